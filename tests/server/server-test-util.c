/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieTest"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <glib/gstdio.h>
#include <string.h>

#include "regie-error.h"
#include "regie-records.h"
#include "regie-util.h"
#include "server-test-util.h"

static void
test_change_free (TestChange *change)
{
  g_free (change->record_id);
  g_free (change->dossier_id);
  g_free (change->payload);
  g_free (change);
}

void
test_pull_free (TestPull *pull)
{
  if (pull == NULL)
    return;

  g_hash_table_unref (pull->by_id);
  g_hash_table_unref (pull->dossiers);
  g_ptr_array_unref (pull->changes);
  g_free (pull);
}

void
test_response_free (TestResponse *response)
{
  if (response == NULL)
    return;

  g_free (response->body);
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_free (response);
}

TestResponse *
test_request (SoupSession *session,
              const char  *url,
              const char  *method,
              const char  *path,
              const char  *token,
              const char  *body,
              const char  *extra_name,
              const char  *extra_value)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *full = g_strconcat (url, path + 1, NULL);
  SoupMessageHeaders *headers;
  TestResponse *response;

  msg = soup_message_new (method, full);
  g_assert_nonnull (msg);
  regie_test_trust_server (session, msg, url);
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Regie-Protocol", "1");
  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (extra_name != NULL)
    soup_message_headers_append (headers, extra_name, extra_value);
  if (body != NULL)
    {
      g_autoptr(GBytes) request_body = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
    }

  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);

  response = g_new0 (TestResponse, 1);
  response->status = soup_message_get_status (msg);
  response->body = g_strndup (g_bytes_get_data (bytes, &response->len), g_bytes_get_size (bytes));
  response->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));

  return response;
}

/* Every kind the server stores, with a valid payload each (the note is
 * made per use: it carries a timestamp and its author). */
static const struct
{
  const char *kind;
  const char *payload;
} samples[] = {
  { "dossier", "{\"status\":\"open\",\"opened_on\":\"2026-01-12\",\"notified_on\":\"2026-01-05\","
               "\"brp_registered_on\":\"2026-01-09\"}" },
  { "person", "{\"bsn\":\"111222333\",\"v_number\":\"1234567890\",\"given_names\":\"Samir\","
              "\"family_name\":\"Nasser\",\"birth_date\":\"1994-05-03\",\"doelgroep\":\"asielstatushouder\","
              "\"languages\":[\"Arabisch\",\"Engels\"],\"phone\":\"06-12345678\",\"address\":\"Kerkstraat 4, Demoland\"}" },
  { "assignment", "{\"team\":\"team-noord\",\"klantmanager\":\"fatima\"}" },
  { "note", NULL },   /* made per run: it carries a timestamp */
  { "household_member", "{\"given_names\":\"Nour\",\"family_name\":\"Nasser\",\"relation\":\"child\","
                        "\"birth_date\":\"2022-02-01\",\"needs_childcare\":true}" },
  { "duo_notification", "{\"received_on\":\"2026-01-05\",\"event_code\":\"SS101\",\"doelgroep\":\"asielstatushouder\"}" },
  { "intake_leerbaarheid", "{\"taken_on\":\"2026-01-20\",\"outcome\":\"b1_haalbaar\",\"score\":640}" },
  { "intake_education", "{\"completed_on\":\"2026-01-27\",\"education\":\"Middelbare school.\","
                        "\"languages\":[\"Arabisch\"],\"work_history\":\"Monteur.\",\"ambitions\":\"Installateur worden.\"}" },
  { "intake_circumstances", "{\"completed_on\":\"2026-01-27\",\"household\":\"Gezin met één kind.\","
                            "\"housing\":\"Huurwoning.\",\"finances\":\"Bijstand.\",\"childcare\":\"Nodig.\","
                            "\"network\":\"Weinig.\",\"client_support_offered\":true}" },
  { "intake_health", "{\"completed_on\":\"2026-01-27\",\"health\":\"Geen bijzonderheden.\","
                     "\"care_providers\":\"Huisarts\",\"limits_learning\":false}" },
  { "pip", "{\"version\":1,\"dagtekening\":\"2026-03-02\",\"leerroute\":\"b1\",\"target_levels\":"
           "{\"reading\":\"B1\",\"listening\":\"B1\",\"writing\":\"B1\",\"speaking\":\"B1\"},\"knm\":true,"
           "\"hours_estimate\":1000,\"course_provider\":\"Taalschool De Brug\",\"course_provider_certified\":true,"
           "\"intensity_hours_per_week\":12,\"pvt\":true,\"map\":true,\"participation\":\"Vrijwilligerswerk.\","
           "\"duaal\":false,\"childcare\":\"Opvang op lesdagen.\",\"support\":\"VluchtelingenWerk.\","
           "\"progress_talk_weeks\":8,\"waiting_third_party\":false,\"afschalen_parts\":[],"
           "\"effort_evidence\":\"\"}" },
  { "lesson_hours", "{\"provider\":\"Taalschool De Brug\",\"certified\":true,\"from\":\"2026-03-01\","
                    "\"to\":\"2026-03-31\",\"hours\":44}" },
  { "participation_hours", "{\"activity\":\"Voedselbank\",\"kind\":\"volunteering\",\"from\":\"2026-03-01\","
                           "\"to\":\"2026-05-31\",\"hours\":60}" },
  { "pvt", "{\"started_on\":\"2026-04-01\",\"hours\":14,\"signed_on\":\"2026-06-10\"}" },
  { "map", "{\"started_on\":\"2026-06-01\",\"eindgesprek_on\":\"2026-10-01\"}" },
  { "zroute_eindgesprek", "{\"held_on\":\"2028-12-01\",\"summary\":\"Afgerond.\",\"reported_to_duo_on\":\"2028-12-05\"}" },
  { "exam", "{\"part\":\"KNM\",\"taken_on\":\"2027-01-15\",\"attempt\":1,\"result\":\"passed\",\"level\":\"B1\"}" },
  { "progress_talk", "{\"held_on\":\"2026-04-27\",\"held_by\":\"fatima\",\"life_areas\":{\"language\":\"Goed.\","
                     "\"participation\":\"Voedselbank.\",\"work\":\"Nog niet.\",\"income\":\"Krap.\",\"housing\":\"Op orde.\","
                     "\"family\":\"Goed.\",\"wellbeing\":\"Goed.\",\"network\":\"Taalmaatje.\"},\"agreements\":\"Bellen.\"}" },
  { "signal", "{\"title\":\"Toeslagen nog niet ontvangen\",\"description\":\"Gebeld.\",\"owner\":\"fatima\","
              "\"status\":\"open\",\"raised_on\":\"2026-04-27\",\"due_on\":\"2026-05-11\"}" },
  { "duo_decision", "{\"type\":\"verlenging\",\"requested_on\":\"2028-06-01\",\"advised_on\":\"2028-06-10\","
                    "\"advice\":\"positive\",\"outcome\":\"granted\",\"decided_on\":\"2028-07-20\",\"extension_months\":6}" },
  { "handhaving", "{\"action\":\"fine\",\"subject\":\"pip\",\"date\":\"2027-02-01\",\"amount_cents\":25000,"
                  "\"culpability\":\"verwijtbaar\",\"culpability_notes\":\"Na waarschuwing.\"}" },
  { "ontzorgen", "{\"started_on\":\"2026-02-01\",\"mandate_on\":\"2026-01-28\",\"reviewed_on\":\"2026-08-01\","
                 "\"handed_back_on\":\"2026-09-01\",\"notes\":\"Gaat goed.\"}" },
  { "ontzorgen_month", "{\"month\":\"2026-02\",\"bijstand_cents\":125000,\"other_income_cents\":0,\"toeslagen\":"
                       "[{\"type\":\"zorgtoeslag\",\"expected_cents\":12300,\"expected_on\":\"2026-02-20\","
                       "\"received_cents\":12300,\"received_on\":\"2026-02-20\"}],\"fixed_costs\":"
                       "[{\"type\":\"rent\",\"amount_cents\":72000,\"paid_on\":\"2026-02-01\"}]}" },
  { "bridging_loan", "{\"granted_on\":\"2026-02-10\",\"amount_cents\":40000,\"reason\":\"Toeslagen laat.\","
                     "\"repayments\":[{\"paid_on\":\"2026-04-01\",\"amount_cents\":2500}]}" },
  { "handover", "{\"to_municipality\":\"Gemeente Utrecht\",\"handed_over_on\":\"2027-05-01\",\"notes\":\"Alles mee.\"}" },
  { "closure", "{\"closed_on\":\"2027-05-01\",\"reason\":\"moved\",\"notes\":\"Verhuisd.\"}" },
};

char *
test_sample_payload (RegieRecordKind  kind,
                     const char      *author)
{
  g_assert_cmpuint (G_N_ELEMENTS (samples), ==, REGIE_N_RECORD_KINDS);
  g_assert_cmpint (kind, >=, 0);
  g_assert_cmpint (kind, <, REGIE_N_RECORD_KINDS);
  g_assert_cmpstr (samples[kind].kind, ==, regie_record_kind_to_string (kind));

  if (kind == REGIE_RECORD_NOTE)
    return test_note_payload (author, "Eerste gesprek gevoerd.");
  return g_strdup (samples[kind].payload);
}

char *
test_http_protocol (const char *url,
                    const char *method,
                    const char *path,
                    const char *protocol,
                    unsigned   *out_status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *full = g_strconcat (url, path + 1, NULL);

  msg = soup_message_new (method, full);
  g_assert_nonnull (msg);
  regie_test_trust_server (session, msg, url);
  if (protocol != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg),
                                  "Regie-Protocol", protocol);
  if (g_str_equal (method, "POST"))
    {
      g_autoptr(GBytes) body = g_bytes_new_static ("{}", 2);
      soup_message_set_request_body_from_bytes (msg, "application/json", body);
    }

  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *out_status = soup_message_get_status (msg);

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

char *
test_login (const char *url,
            const char *username)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"demo-%s\"}",
                                           username, username);
  g_autofree char *response = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  unsigned status = 0;

  response = regie_test_http (url, "POST", "/api/v1/session", NULL, body, 0, &status, NULL);
  g_assert_nonnull (response);
  g_assert_cmpuint (status, ==, 200);

  root = json_from_string (response, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return g_strdup (json_object_get_string_member (json_node_get_object (root), "token"));
}

TestPull *
test_pull_all (const char *url,
               const char *token,
               gint64      cursor,
               unsigned    limit)
{
  TestPull *pull = g_new0 (TestPull, 1);
  gboolean more = TRUE;

  pull->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) test_change_free);
  pull->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  pull->dossiers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  while (more)
    {
      g_autofree char *path = NULL;
      g_autofree char *page = NULL;
      g_autoptr(GError) error = NULL;
      RegiePullReader reader;
      RegieChangeView view;
      unsigned status = 0;
      unsigned n = 0;
      gsize len = 0;

      if (limit > 0)
        path = g_strdup_printf ("/api/v1/sync/pull?cursor=%" G_GINT64_FORMAT "&limit=%u",
                                cursor, limit);
      else
        path = g_strdup_printf ("/api/v1/sync/pull?cursor=%" G_GINT64_FORMAT, cursor);

      page = regie_test_http (url, "GET", path, token, NULL, 0, &status, &len);
      g_assert_nonnull (page);
      g_assert_cmpuint (status, ==, 200);

      regie_pull_reader_init (&reader, page, len);
      while (regie_pull_reader_next (&reader, &view, &error))
        {
          TestChange *change = g_new0 (TestChange, 1);

          change->seq = view.seq;
          change->kind = view.kind;
          change->deleted = view.deleted;
          change->version = view.version;
          change->record_id = g_strndup (view.record_id, view.record_id_len);
          change->dossier_id = g_strndup (view.dossier_id, view.dossier_id_len);
          if (!view.deleted)
            change->payload = g_strndup (view.payload, view.payload_len);

          /* Ordered by seq, strictly after the cursor. */
          g_assert_cmpint (change->seq, >, cursor);
          if (pull->changes->len > 0)
            g_assert_cmpint (change->seq, >,
                             ((TestChange *) g_ptr_array_index (pull->changes,
                                                                pull->changes->len - 1))->seq);

          /* Nothing is written while a test pulls: each record once. */
          g_assert_false (g_hash_table_contains (pull->by_id, change->record_id));
          g_hash_table_insert (pull->by_id, change->record_id, change);
          g_hash_table_add (pull->dossiers, g_strdup (change->dossier_id));
          g_ptr_array_add (pull->changes, change);
          n++;
        }
      g_assert_no_error (error);
      g_assert_true (reader.finished);

      if (limit > 0)
        g_assert_cmpuint (n, <=, limit);
      g_assert_cmpint (reader.next_cursor, >=, cursor);

      cursor = reader.next_cursor;
      more = reader.more;
      pull->n_pages++;
    }

  pull->cursor = cursor;
  return pull;
}

gint64
test_pull_cursor (const char *url,
                  const char *token)
{
  g_autoptr(TestPull) pull = test_pull_all (url, token, 0, REGIE_PULL_MAX_LIMIT);

  return pull->cursor;
}

char *
test_push (const char *url,
           const char *token,
           const char *body,
           gsize       len,
           unsigned   *out_status)
{
  char *response;

  response = regie_test_http (url, "POST", "/api/v1/sync/push", token, body, len,
                              out_status, NULL);
  g_assert_nonnull (response);

  return response;
}

GPtrArray *
test_push_results (const char *body)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *results;

  results = regie_push_response_parse (body, strlen (body), &error);
  g_assert_no_error (error);
  g_assert_nonnull (results);

  return results;
}

char *
test_assert_error (const char *body,
                   unsigned    status,
                   const char *code)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  const char *message;

  g_assert_nonnull (body);
  root = json_from_string (body, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "error"), ==, code);
  message = json_object_get_string_member (object, "message");
  g_assert_nonnull (message);
  g_assert_cmpuint (strlen (message), >, 0);

  /* The shared decoder agrees on the code. */
  g_assert_false (regie_error_body_parse (body, strlen (body), status, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == REGIE_ERROR);
  g_assert_cmpuint (regie_error_to_http_status (error), ==, status);

  return g_strdup (message);
}

GString *
test_batch_begin (void)
{
  return g_string_new ("{\"mutations\":[");
}

void
test_batch_add (GString    *batch,
                const char *mutation_id,
                const char *record_id,
                const char *dossier_id,
                const char *kind,
                gint64      base_version,
                const char *payload)
{
  if (batch->str[batch->len - 1] != '[')
    g_string_append_c (batch, ',');
  g_string_append_printf (batch,
                          "{\"id\":\"%s\",\"record_id\":\"%s\",\"dossier_id\":\"%s\","
                          "\"kind\":\"%s\",\"base_version\":%" G_GINT64_FORMAT ","
                          "\"payload\":%s}",
                          mutation_id, record_id, dossier_id, kind, base_version, payload);
}

/* Canonical member order, so that a pull must return the same text. */
char *
test_note_payload (const char *author,
                   const char *text)
{
  g_autofree char *created_at = regie_timestamp_now ();

  return g_strdup_printf ("{\"author\":\"%s\",\"created_at\":\"%s\",\"text\":\"%s\"}",
                          author, created_at, text);
}

char *
test_batch_end (GString *batch)
{
  g_string_append (batch, "]}");
  return g_string_free (batch, FALSE);
}

char *
test_uuid (void)
{
  return regie_uuid_v7_new ();
}

char *
test_run (const char         *path,
          const char * const *args,
          const char         *input,
          int                *out_status)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) in = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (path);
  g_ptr_array_add (argv, (char *) path);
  for (unsigned i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               (input != NULL ? G_SUBPROCESS_FLAGS_STDIN_PIPE : G_SUBPROCESS_FLAGS_NONE),
                               &error);
  g_assert_no_error (error);
  if (input != NULL)
    in = g_bytes_new (input, strlen (input));
  g_subprocess_communicate (process, in, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  *out_status = g_subprocess_get_exit_status (process);

  return g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
}

char *
test_demo_export (unsigned    n_dossiers,
                  const char *seed,
                  const char *reference_date,
                  const char *dossier)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("regie-demo-XXXXXX", &error);
  g_autofree char *n = g_strdup_printf ("%u", n_dossiers);
  g_autofree char *db = NULL;
  const char *args[16];
  unsigned i = 0;
  int status = -1;
  char *out;

  g_assert_no_error (error);
  args[i++] = "export";
  args[i++] = "--demo";
  args[i++] = "--data";
  args[i++] = dir;
  args[i++] = "--dossiers";
  args[i++] = n;
  args[i++] = "--seed";
  args[i++] = seed;
  args[i++] = "--reference-date";
  args[i++] = reference_date;
  if (dossier != NULL)
    {
      args[i++] = "--dossier";
      args[i++] = dossier;
    }
  args[i] = NULL;

  out = test_run (g_getenv ("REGIE_SERVER_PATH"), args, NULL, &status);
  g_assert_cmpint (status, ==, 0);

  db = g_build_filename (dir, "regie.sqlite", NULL);
  g_remove (db);
  g_free (db);
  db = g_build_filename (dir, "regie.sqlite-wal", NULL);
  g_remove (db);
  g_free (db);
  db = g_build_filename (dir, "regie.sqlite-shm", NULL);
  g_remove (db);
  g_rmdir (dir);

  return out;
}

GPtrArray *
test_split_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (unsigned i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (out, g_strdup (lines[i]));
  return out;
}

RegiePushResult *
test_push_one (const char *url,
               const char *token,
               const char *record_id,
               const char *dossier_id,
               const char *kind,
               gint64      base_version,
               const char *payload)
{
  g_autofree char *mutation_id = test_uuid ();
  g_autofree char *body = NULL;
  g_autofree char *response = NULL;
  g_autoptr(GPtrArray) results = NULL;
  GString *batch = test_batch_begin ();
  unsigned status = 0;

  test_batch_add (batch, mutation_id, record_id, dossier_id, kind, base_version, payload);
  body = test_batch_end (batch);
  response = test_push (url, token, body, 0, &status);
  g_assert_cmpuint (status, ==, 200);
  results = test_push_results (response);
  g_assert_cmpuint (results->len, ==, 1);

  return g_ptr_array_steal_index (results, 0);
}
