/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieTest"

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "regie-records.h"
#include "server-test-util.h"

#define N_NOTES 3000

typedef struct
{
  gboolean  wrote_body;
  gboolean  done;
  unsigned  status;
  GBytes   *response;
  GError   *error;
} AsyncPush;

static void
wrote_body_cb (SoupMessage *msg,
               gpointer     user_data)
{
  AsyncPush *state = user_data;

  state->wrote_body = TRUE;
}

static void
push_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  AsyncPush *state = user_data;

  state->response = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                       &state->error);
  state->done = TRUE;
}

static void
remove_data_dir (const char *dir)
{
  const char * const files[] = {
    "regie.sqlite", "regie.sqlite-wal", "regie.sqlite-shm", "generation", "generation.new",
    "tls/cert.pem", "tls/key.pem",
  };

  for (unsigned i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      g_unlink (path);
    }
  {
    g_autofree char *tls = g_build_filename (dir, "tls", NULL);
    g_rmdir (tls);
  }
  g_rmdir (dir);
}

static char *
big_batch (char ***out_note_ids)
{
  const char * const dossiers[] = { PERSONA_TESFAY, PERSONA_LINA, PERSONA_AYSE, PERSONA_RAHAF };
  GString *batch = test_batch_begin ();
  char **note_ids = g_new0 (char *, N_NOTES + 1);

  for (unsigned i = 0; i < N_NOTES; i++)
    {
      g_autofree char *m = test_uuid ();
      g_autofree char *text = g_strdup_printf ("Notitie %u van een lange offline werkdag. "
                                               "Gesprek met tolk gevoerd; vervolgafspraak "
                                               "ingepland bij Taalschool De Brug.", i);
      g_autofree char *payload = test_note_payload ("fatima", text);

      note_ids[i] = test_uuid ();
      test_batch_add (batch, m, note_ids[i], dossiers[i % G_N_ELEMENTS (dossiers)], "note", 0,
                      payload);
    }

  *out_note_ids = note_ids;
  return test_batch_end (batch);
}

/* kill -9 while a large push is in flight, restart, retry: every note
 * exists exactly once. */
static void
test_kill_during_push (void)
{
  const char * const demo[] = { "--demo", "--dossiers", "50", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieTestServer) server = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(TestPull) pull = NULL;
  g_auto(GStrv) note_ids = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *token = NULL;
  g_autofree char *batch = NULL;
  g_autofree char *push_url = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *response = NULL;
  g_autofree char *response2 = NULL;
  AsyncPush state = { 0 };
  gint64 cursor;
  unsigned status = 0;
  unsigned applied = 0, duplicate = 0;

  dir = g_dir_make_tmp ("regie-test-crash-XXXXXX", &error);
  g_assert_no_error (error);

  server = regie_test_server_start (dir, demo, &error);
  g_assert_no_error (error);
  token = test_login (regie_test_server_get_url (server), "fatima");
  cursor = test_pull_cursor (regie_test_server_get_url (server), token);

  batch = big_batch (&note_ids);

  session = soup_session_new ();
  push_url = g_strconcat (regie_test_server_get_url (server), "api/v1/sync/push", NULL);
  msg = soup_message_new ("POST", push_url);
  regie_test_trust_server (session, msg, regie_test_server_get_url (server));
  auth = g_strdup_printf ("Bearer %s", token);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Regie-Protocol", "1");
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  bytes = g_bytes_new_static (batch, strlen (batch));
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  g_signal_connect (msg, "wrote-body", G_CALLBACK (wrote_body_cb), &state);

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, push_done_cb, &state);

  /* The whole body is on its way: the server is parsing or writing. */
  while (!state.wrote_body && !state.done)
    g_main_context_iteration (NULL, TRUE);
  g_test_message ("killing the server; the push has %s", state.done ? "finished" : "not finished");
  regie_test_server_kill (server, TRUE);

  while (!state.done)
    g_main_context_iteration (NULL, TRUE);
  if (state.error != NULL)
    g_test_message ("the push failed as expected: %s", state.error->message);
  else
    g_test_message ("the push got an answer (%u) before the kill", soup_message_get_status (msg));
  g_clear_error (&state.error);
  g_clear_pointer (&state.response, g_bytes_unref);
  g_clear_object (&session);
  g_clear_pointer (&server, regie_test_server_free);

  /* Restart on the same data. Whatever of the batch was committed has
   * its processing-log entry: the write and the entry commit together,
   * so the notes are there exactly when the log says fatima wrote. */
  server = regie_test_server_start (dir, demo, &error);
  g_assert_no_error (error);
  {
    g_autofree char *ingrid = test_login (regie_test_server_get_url (server), "ingrid");
    g_autoptr(TestPull) before_retry = test_pull_all (regie_test_server_get_url (server), token,
                                                      cursor, 0);
    g_autofree char *log = regie_test_http (regie_test_server_get_url (server), "GET",
                                            "/api/v1/dossiers/" PERSONA_AYSE "/access-log",
                                            ingrid, NULL, 0, &status, NULL);
    gboolean written = before_retry->changes->len > 0;
    gboolean logged;

    g_assert_cmpuint (status, ==, 200);
    g_assert_true (before_retry->changes->len == 0 || before_retry->changes->len == N_NOTES);
    logged = strstr (log, "\"action\":\"write\"") != NULL;
    g_test_message ("before the retry: the batch is %s and %s", written ? "written" : "not written",
                    logged ? "logged" : "not logged");
    g_assert_cmpint (written, ==, logged);
  }

  /* Retry the same batch. */
  response = test_push (regie_test_server_get_url (server), token, batch, 0, &status);
  g_assert_cmpuint (status, ==, 200);
  results = test_push_results (response);
  g_assert_cmpuint (results->len, ==, N_NOTES);
  for (unsigned i = 0; i < results->len; i++)
    {
      RegiePushResult *result = g_ptr_array_index (results, i);

      g_assert_cmpint (result->version, ==, 1);
      if (result->status == REGIE_PUSH_APPLIED)
        applied++;
      else if (result->status == REGIE_PUSH_DUPLICATE)
        duplicate++;
      else
        g_assert_not_reached ();
    }
  /* One transaction: all of the batch was written before, or none. */
  g_test_message ("after the retry: %u applied, %u duplicate", applied, duplicate);
  g_assert_true (applied == N_NOTES || duplicate == N_NOTES);

  /* test_pull_all fails on any record that comes twice. */
  pull = test_pull_all (regie_test_server_get_url (server), token, cursor, 0);
  g_assert_cmpuint (pull->changes->len, ==, N_NOTES);
  for (unsigned i = 0; i < N_NOTES; i++)
    {
      TestChange *change = g_hash_table_lookup (pull->by_id, note_ids[i]);

      g_assert_nonnull (change);
      g_assert_cmpint (change->version, ==, 1);
    }

  /* And once more: all duplicates now. */
  response2 = test_push (regie_test_server_get_url (server), token, batch, 0, &status);
  g_assert_cmpuint (status, ==, 200);
  again = test_push_results (response2);
  for (unsigned i = 0; i < again->len; i++)
    g_assert_cmpint (((RegiePushResult *) g_ptr_array_index (again, i))->status, ==,
                     REGIE_PUSH_DUPLICATE);

  g_clear_pointer (&server, regie_test_server_free);
  remove_data_dir (dir);
}

/* kill -9 of an idle server loses nothing committed. */
static void
test_kill_idle (void)
{
  const char * const demo[] = { "--demo", "--dossiers", "30", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieTestServer) server = NULL;
  g_autoptr(TestPull) before = NULL;
  g_autoptr(TestPull) after = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *token = NULL;
  g_autofree char *m = test_uuid ();
  g_autofree char *n = test_uuid ();
  g_autofree char *payload = test_note_payload ("fatima", "Vlak voor de stroomstoring.");
  g_autofree char *body = NULL;
  g_autofree char *response = NULL;
  GString *batch;
  unsigned status = 0;

  dir = g_dir_make_tmp ("regie-test-crash-XXXXXX", &error);
  g_assert_no_error (error);

  server = regie_test_server_start (dir, demo, &error);
  g_assert_no_error (error);
  token = test_login (regie_test_server_get_url (server), "fatima");

  batch = test_batch_begin ();
  test_batch_add (batch, m, n, PERSONA_AYSE, "note", 0, payload);
  body = test_batch_end (batch);
  response = test_push (regie_test_server_get_url (server), token, body, 0, &status);
  g_assert_cmpuint (status, ==, 200);
  before = test_pull_all (regie_test_server_get_url (server), token, 0, 0);

  regie_test_server_kill (server, TRUE);
  g_clear_pointer (&server, regie_test_server_free);

  server = regie_test_server_start (dir, demo, &error);
  g_assert_no_error (error);
  after = test_pull_all (regie_test_server_get_url (server), token, 0, 0);
  g_assert_cmpuint (after->changes->len, ==, before->changes->len);
  g_assert_cmpint (after->cursor, ==, before->cursor);
  g_assert_true (g_hash_table_contains (after->by_id, n));

  g_clear_pointer (&server, regie_test_server_free);
  remove_data_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/crash/kill-idle", test_kill_idle);
  g_test_add_func ("/server/crash/kill-during-push", test_kill_during_push);

  return g_test_run ();
}
