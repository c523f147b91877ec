/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieTest"

#include "config.h"

#include <string.h>

#include "regie-error.h"
#include "regie-records.h"
#include "server-test-util.h"

/* Hostile and broken pushes: each must get a 4xx with an error body that
 * names the reason, and none may write anything. Every bad batch starts
 * with a valid mutation, so "nothing written" means something. */

static RegieTestServer *server;
static char *token;

static const char *
url (void)
{
  return regie_test_server_get_url (server);
}

/* Asserts that nothing changed on the server since `cursor`. */
static void
assert_nothing_written (gint64 cursor)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/sync/pull?cursor=%" G_GINT64_FORMAT, cursor);
  g_autofree char *expected = g_strdup_printf ("E\t%" G_GINT64_FORMAT "\t0\n", cursor);
  g_autofree char *page = NULL;
  unsigned status = 0;

  page = regie_test_http (url (), "GET", path, token, NULL, 0, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (page, ==, expected);
}

typedef struct
{
  const char *name;
  const char *second;      /* the bad mutation, or NULL when `raw` is set */
  const char *raw;         /* a whole bad body */
  unsigned    status;
  const char *code;
  const char *mentions;    /* a word the message must contain, or NULL */
} BadCase;

static char *
valid_mutation (void)
{
  g_autofree char *m = test_uuid ();
  g_autofree char *n = test_uuid ();
  g_autofree char *payload = test_note_payload ("fatima", "Geldige notitie vooraan in de batch.");

  return g_strdup_printf ("{\"id\":\"%s\",\"record_id\":\"%s\",\"dossier_id\":\"%s\","
                          "\"kind\":\"note\",\"base_version\":0,\"payload\":%s}",
                          m, n, PERSONA_TESFAY, payload);
}

static void
run_bad_case (gconstpointer data)
{
  const BadCase *bad = data;
  g_autofree char *first = valid_mutation ();
  g_autofree char *body = NULL;
  g_autofree char *response = NULL;
  g_autofree char *message = NULL;
  gint64 cursor;
  unsigned status = 0;

  cursor = test_pull_cursor (url (), token);

  if (bad->raw != NULL)
    body = g_strdup (bad->raw);
  else
    {
      g_autofree char *m = test_uuid ();
      g_autofree char *n = test_uuid ();
      g_autofree char *second = NULL;
      GString *s = g_string_new (bad->second);

      /* @M@ and @N@ become fresh ids. */
      g_string_replace (s, "@M@", m, 0);
      g_string_replace (s, "@N@", n, 0);
      g_string_replace (s, "@D@", PERSONA_TESFAY, 0);
      second = g_string_free (s, FALSE);
      body = g_strdup_printf ("{\"mutations\":[%s,%s]}", first, second);
    }

  response = test_push (url (), token, body, strlen (body), &status);
  g_test_message ("%s -> %u %s", bad->name, status, response);
  g_assert_cmpuint (status, ==, bad->status);
  if (bad->code != NULL)
    message = test_assert_error (response, status, bad->code);
  else
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (regie_error_body_parse (response, strlen (response), status, &error));
      g_assert_true (g_error_matches (error, REGIE_ERROR, REGIE_ERROR_PARSE) ||
                     g_error_matches (error, REGIE_ERROR, REGIE_ERROR_INVALID));
      message = g_strdup (error->message);
    }
  if (bad->mentions != NULL)
    g_assert_nonnull (strstr (message, bad->mentions));

  assert_nothing_written (cursor);
}

#define M_HEAD "{\"id\":\"@M@\",\"record_id\":\"@N@\",\"dossier_id\":\"@D@\","

static const BadCase bad_cases[] = {
  { "malformed-json", NULL, "{\"mutations\":[{\"id\":", 400, "parse", NULL },
  { "not-an-object", NULL, "[1,2,3]", 400, NULL, NULL },
  { "empty-body", NULL, "", 400, NULL, NULL },
  { "base-version-string",
    M_HEAD "\"kind\":\"note\",\"base_version\":\"0\",\"payload\":{\"author\":\"fatima\","
    "\"created_at\":\"2026-01-05T10:00:00.000Z\",\"text\":\"x\"}}",
    NULL, 400, NULL, "mutation 1" },
  { "kind-unknown",
    M_HEAD "\"kind\":\"diary\",\"base_version\":0,\"payload\":{\"text\":\"x\"}}",
    NULL, 400, NULL, "mutation 1" },
  { "text-not-string",
    M_HEAD "\"kind\":\"note\",\"base_version\":0,\"payload\":{\"author\":\"fatima\","
    "\"created_at\":\"2026-01-05T10:00:00.000Z\",\"text\":42}}",
    NULL, 400, NULL, "mutation 1" },
  { "unknown-member",
    M_HEAD "\"kind\":\"note\",\"base_version\":0,\"payload\":{\"author\":\"fatima\","
    "\"created_at\":\"2026-01-05T10:00:00.000Z\",\"text\":\"x\",\"mood\":\"blij\"}}",
    NULL, 400, NULL, "mutation 1" },
  { "invalid-bsn",
    M_HEAD "\"kind\":\"person\",\"base_version\":0,\"payload\":{\"bsn\":\"123456789\","
    "\"v_number\":\"1234567890\",\"given_names\":\"Tesfay\",\"family_name\":\"Gebremedhin\","
    "\"birth_date\":\"1961-03-14\",\"doelgroep\":\"asielstatushouder\"}}",
    NULL, 400, "invalid", "mutation 1" },
  { "invalid-date",
    M_HEAD "\"kind\":\"person\",\"base_version\":0,\"payload\":{\"bsn\":\"111222333\","
    "\"v_number\":\"1234567890\",\"given_names\":\"Tesfay\",\"family_name\":\"Gebremedhin\","
    "\"birth_date\":\"1961-02-30\",\"doelgroep\":\"asielstatushouder\"}}",
    NULL, 400, "invalid", "mutation 1" },
  { "invalid-utf8",
    M_HEAD "\"kind\":\"note\",\"base_version\":0,\"payload\":{\"author\":\"fatima\","
    "\"created_at\":\"2026-01-05T10:00:00.000Z\",\"text\":\"Ay\xc5" "\x20" "e \xff\xfe\"}}",
    NULL, 400, NULL, "UTF-8" },
  { "bad-uuid",
    "{\"id\":\"not-a-uuid\",\"record_id\":\"@N@\",\"dossier_id\":\"@D@\","
    "\"kind\":\"note\",\"base_version\":0,\"payload\":{\"author\":\"fatima\","
    "\"created_at\":\"2026-01-05T10:00:00.000Z\",\"text\":\"x\"}}",
    NULL, 400, NULL, "mutation 1" },
  { "negative-base-version",
    M_HEAD "\"kind\":\"note\",\"base_version\":-1,\"payload\":{\"author\":\"fatima\","
    "\"created_at\":\"2026-01-05T10:00:00.000Z\",\"text\":\"x\"}}",
    NULL, 400, NULL, "mutation 1" },
};

static void
test_over_long_note (void)
{
  g_autofree char *first = valid_mutation ();
  g_autofree char *m = test_uuid ();
  g_autofree char *n = test_uuid ();
  g_autofree char *text = g_strnfill (REGIE_MAX_NOTE_BYTES + 1, 'a');
  g_autofree char *payload = test_note_payload ("fatima", text);
  g_autofree char *body = NULL;
  g_autofree char *response = NULL;
  g_autoptr(GError) error = NULL;
  gint64 cursor;
  unsigned status = 0;

  cursor = test_pull_cursor (url (), token);
  body = g_strdup_printf ("{\"mutations\":[%s,{\"id\":\"%s\",\"record_id\":\"%s\","
                          "\"dossier_id\":\"%s\",\"kind\":\"note\",\"base_version\":0,"
                          "\"payload\":%s}]}", first, m, n, PERSONA_TESFAY, payload);

  response = test_push (url (), token, body, 0, &status);
  g_assert_true (status == 400 || status == 413);
  g_assert_false (regie_error_body_parse (response, strlen (response), status, &error));
  g_assert_nonnull (strstr (error->message, "mutation 1"));

  assert_nothing_written (cursor);

  /* Exactly at the limit is fine. */
  {
    g_autofree char *ok_text = g_strnfill (REGIE_MAX_NOTE_BYTES, 'a');
    g_autofree char *ok_payload = test_note_payload ("fatima", ok_text);
    g_autofree char *ok_body = NULL;
    g_autofree char *ok_response = NULL;
    GString *batch = test_batch_begin ();

    test_batch_add (batch, m, n, PERSONA_TESFAY, "note", 0, ok_payload);
    ok_body = test_batch_end (batch);
    ok_response = test_push (url (), token, ok_body, 0, &status);
    g_assert_cmpuint (status, ==, 200);
  }
}

/* Notes are signed: a note in another person's name is refused, the
 * same note in the user's own name is written. */
static void
test_note_author (void)
{
  g_autofree char *forged = test_note_payload ("joost", "Namens een ander geschreven.");
  g_autofree char *own = test_note_payload ("fatima", "Zelf geschreven.");
  g_autofree char *record_id = test_uuid ();
  g_autoptr(RegiePushResult) refused = NULL;
  g_autoptr(RegiePushResult) written = NULL;
  gint64 cursor = test_pull_cursor (url (), token);

  refused = test_push_one (url (), token, record_id, PERSONA_TESFAY, "note", 0, forged);
  g_assert_cmpint (refused->status, ==, REGIE_PUSH_REJECTED);
  g_assert_nonnull (refused->reason);
  g_assert_nonnull (strstr (refused->reason, "author"));
  assert_nothing_written (cursor);

  written = test_push_one (url (), token, record_id, PERSONA_TESFAY, "note", 0, own);
  g_assert_cmpint (written->status, ==, REGIE_PUSH_APPLIED);
}

static void
test_oversized_body (void)
{
  g_autofree char *first = valid_mutation ();
  g_autoptr(GString) body = g_string_new ("{\"mutations\":[");
  g_autofree char *response = NULL;
  g_autofree char *message = NULL;
  gint64 cursor;
  unsigned status = 0;

  cursor = test_pull_cursor (url (), token);

  g_string_append (body, first);
  /* Valid JSON all the way: only its size is wrong. */
  while (body->len <= REGIE_MAX_PUSH_BYTES)
    {
      g_autofree char *m = test_uuid ();
      g_autofree char *n = test_uuid ();
      g_autofree char *text = g_strnfill (10000, 'b');
      g_autofree char *payload = test_note_payload ("fatima", text);

      g_string_append_printf (body, ",{\"id\":\"%s\",\"record_id\":\"%s\",\"dossier_id\":\"%s\","
                              "\"kind\":\"note\",\"base_version\":0,\"payload\":%s}",
                              m, n, PERSONA_TESFAY, payload);
    }
  g_string_append (body, "]}");
  g_assert_cmpuint (body->len, >, REGIE_MAX_PUSH_BYTES);

  response = test_push (url (), token, body->str, body->len, &status);
  g_assert_cmpuint (status, ==, 413);
  message = test_assert_error (response, status, "too_large");

  assert_nothing_written (cursor);
}

static void
test_too_many_mutations (void)
{
  GString *batch = test_batch_begin ();
  g_autofree char *body = NULL;
  g_autofree char *response = NULL;
  g_autofree char *message = NULL;
  gint64 cursor;
  unsigned status = 0;

  cursor = test_pull_cursor (url (), token);
  for (unsigned i = 0; i <= REGIE_MAX_PUSH_MUTATIONS; i++)
    {
      g_autofree char *m = test_uuid ();
      g_autofree char *n = test_uuid ();
      test_batch_add (batch, m, n, PERSONA_TESFAY, "note", 0,
                      "{\"author\":\"fatima\",\"created_at\":\"2026-01-05T10:00:00.000Z\","
                      "\"text\":\"x\"}");
    }
  body = test_batch_end (batch);

  response = test_push (url (), token, body, 0, &status);
  g_assert_cmpuint (status, ==, 413);
  message = test_assert_error (response, status, "too_large");

  assert_nothing_written (cursor);
}

int
main (int   argc,
      char *argv[])
{
  const char * const demo[] = { "--demo", "--dossiers", "50", NULL };
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  server = regie_test_server_start (NULL, demo, &error);
  g_assert_no_error (error);
  token = test_login (url (), "fatima");

  for (unsigned i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/server/input/%s", bad_cases[i].name);
      g_test_add_data_func (path, &bad_cases[i], run_bad_case);
    }
  g_test_add_func ("/server/input/over-long-note", test_over_long_note);
  g_test_add_func ("/server/input/note-author", test_note_author);
  g_test_add_func ("/server/input/oversized-body", test_oversized_body);
  g_test_add_func ("/server/input/too-many-mutations", test_too_many_mutations);

  ret = g_test_run ();
  g_free (token);
  regie_test_server_free (server);

  return ret;
}
