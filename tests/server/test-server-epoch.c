/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieTest"

/* The database epoch (docs/protocol.md, "Restored databases"): the same
 * on every answer and across restarts and crashes; a new one when the
 * database is found restored from an older copy, or marked so by the
 * operator, so that clients know acknowledged edits may be gone. */

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "regie-records.h"
#include "server-test-util.h"

static const char * const demo[] = { "--demo", "--dossiers", "5", NULL };

static const char * const db_files[] = { "regie.sqlite", "regie.sqlite-wal", "regie.sqlite-shm" };

static void
assert_epoch_format (const char *epoch)
{
  g_assert_nonnull (epoch);
  g_assert_cmpuint (strlen (epoch), ==, 32);
  g_assert_cmpuint (strspn (epoch, "0123456789abcdef"), ==, 32);
}

/* Signs in; returns the token and the epoch the answer carried. */
static char *
sign_in (SoupSession  *session,
         const char   *url,
         const char   *username,
         char        **out_epoch)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"demo-%s\"}",
                                           username, username);
  g_autoptr(TestResponse) response = test_request (session, url, "POST", "/api/v1/session", NULL,
                                                   body, NULL, NULL);
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpuint (response->status, ==, 200);
  *out_epoch = g_strdup (soup_message_headers_get_one (response->headers,
                                                       REGIE_DATABASE_EPOCH_HEADER));
  assert_epoch_format (*out_epoch);
  root = json_from_string (response->body, NULL);
  g_assert_nonnull (root);
  return g_strdup (json_object_get_string_member (json_node_get_object (root), "token"));
}

/* The epoch a freshly signed-in user sees. */
static char *
current_epoch (RegieTestServer *server)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *token = NULL;
  char *epoch = NULL;

  token = sign_in (session, regie_test_server_get_url (server), "fatima", &epoch);
  return epoch;
}

/* Pushes one note as fatima with the given mutation and record ids;
 * returns its result status. */
static RegiePushStatus
push_note (RegieTestServer *server,
           const char      *token,
           const char      *mutation_id,
           const char      *record_id,
           char           **out_epoch)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *payload = test_note_payload ("fatima", "Afspraak bevestigd.");
  g_autofree char *body = NULL;
  g_autoptr(TestResponse) response = NULL;
  g_autoptr(GPtrArray) results = NULL;
  GString *batch = test_batch_begin ();

  test_batch_add (batch, mutation_id, record_id, PERSONA_AYSE, "note", 0, payload);
  body = test_batch_end (batch);
  response = test_request (session, regie_test_server_get_url (server), "POST",
                           "/api/v1/sync/push", token, body, NULL, NULL);
  g_assert_cmpuint (response->status, ==, 200);
  if (out_epoch != NULL)
    *out_epoch = g_strdup (soup_message_headers_get_one (response->headers,
                                                         REGIE_DATABASE_EPOCH_HEADER));
  results = test_push_results (response->body);
  g_assert_cmpuint (results->len, ==, 1);

  return ((RegiePushResult *) g_ptr_array_index (results, 0))->status;
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (from, &contents, &len, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (to, contents, (gssize) len, &error));
  g_assert_no_error (error);
}

/* Copies the database files (those that exist) from one directory to
 * another, removing any the source lacks: a restore as an operator does
 * it, with the server stopped. */
static void
copy_database (const char *from_dir,
               const char *to_dir)
{
  for (guint i = 0; i < G_N_ELEMENTS (db_files); i++)
    {
      g_autofree char *from = g_build_filename (from_dir, db_files[i], NULL);
      g_autofree char *to = g_build_filename (to_dir, db_files[i], NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS))
        copy_file (from, to);
      else
        g_remove (to);
    }
}

static void
remove_dir (const char *dir)
{
  const char * const files[] = {
    "regie.sqlite", "regie.sqlite-wal", "regie.sqlite-shm", "generation", "generation.new",
    "generation.saved",
    "tls/cert.pem", "tls/key.pem",
  };
  g_autofree char *tls = g_build_filename (dir, "tls", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      g_remove (path);
    }
  g_rmdir (tls);
  g_rmdir (dir);
}

static char *
restore_mark (const char *dir,
              int        *out_status)
{
  const char * const args[] = { "restore-mark", "--data", dir, NULL };

  return test_run (g_getenv ("REGIE_SERVER_PATH"), args, NULL, out_status);
}

static char *
pull_with_epoch (RegieTestServer *server,
                 const char      *token,
                 const char      *epoch,
                 unsigned        *out_status,
                 char           **out_epoch)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(TestResponse) response = NULL;

  response = test_request (session, regie_test_server_get_url (server), "GET",
                           "/api/v1/sync/pull?cursor=0&limit=1", token, NULL,
                           epoch != NULL ? REGIE_DATABASE_EPOCH_HEADER : NULL, epoch);
  *out_status = response->status;
  *out_epoch = g_strdup (soup_message_headers_get_one (response->headers,
                                                       REGIE_DATABASE_EPOCH_HEADER));
  return g_steal_pointer (&response->body);
}

/* Sign-in, push, pull and the no-op pull all carry the same epoch. */
static void
test_every_answer (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieTestServer) server = regie_test_server_start (NULL, demo, &error);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *signed_in = NULL;
  g_autofree char *pushed = NULL;
  g_autofree char *token = NULL;
  g_autofree char *m = test_uuid (), *n = test_uuid ();
  gint64 cursor;
  const char *url;

  g_assert_no_error (error);
  url = regie_test_server_get_url (server);
  token = sign_in (session, url, "fatima", &signed_in);

  g_assert_cmpint (push_note (server, token, m, n, &pushed), ==, REGIE_PUSH_APPLIED);
  g_assert_cmpstr (pushed, ==, signed_in);

  cursor = test_pull_cursor (url, token);
  for (guint i = 0; i < 2; i++)
    {
      /* From the start (a worker builds the page), then at the end (the
       * no-op pull, answered from memory). */
      g_autofree char *path = g_strdup_printf ("/api/v1/sync/pull?cursor=%" G_GINT64_FORMAT,
                                               i == 0 ? 0 : cursor);
      g_autoptr(TestResponse) pull = test_request (session, url, "GET", path, token, NULL, NULL,
                                                   NULL);

      g_assert_cmpuint (pull->status, ==, 200);
      g_assert_cmpstr (soup_message_headers_get_one (pull->headers, REGIE_DATABASE_EPOCH_HEADER),
                       ==, signed_in);
      /* Only in the header: the page format has no room for it. */
      g_assert_null (strstr (pull->body, signed_in));
    }
}

/* A restart, and a crash, keep the epoch: nothing was lost. */
static void
test_restarts_keep_it (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("regie-epoch-XXXXXX", &error);
  g_autoptr(RegieTestServer) server = NULL;
  g_autofree char *first = NULL, *after_stop = NULL, *after_kill = NULL;
  g_autofree char *token = NULL;
  g_autofree char *m = test_uuid (), *n = test_uuid ();
  g_autoptr(SoupSession) session = soup_session_new ();
  char *ignored = NULL;

  g_assert_no_error (error);
  server = regie_test_server_start (dir, demo, &error);
  g_assert_no_error (error);
  first = current_epoch (server);

  regie_test_server_kill (server, FALSE);
  g_clear_pointer (&server, regie_test_server_free);
  server = regie_test_server_start (dir, demo, &error);
  g_assert_no_error (error);
  after_stop = current_epoch (server);
  g_assert_cmpstr (after_stop, ==, first);

  /* kill -9 right after an acknowledged write. */
  token = sign_in (session, regie_test_server_get_url (server), "fatima", &ignored);
  g_free (ignored);
  g_assert_cmpint (push_note (server, token, m, n, NULL), ==, REGIE_PUSH_APPLIED);
  regie_test_server_kill (server, TRUE);
  g_clear_pointer (&server, regie_test_server_free);
  server = regie_test_server_start (dir, demo, &error);
  g_assert_no_error (error);
  after_kill = current_epoch (server);
  g_assert_cmpstr (after_kill, ==, first);

  g_clear_pointer (&server, regie_test_server_free);
  remove_dir (dir);
}

/* The operator restores last night's database file: the server notices
 * by itself, and clients can tell. */
static void
test_restored_copy (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("regie-epoch-XXXXXX", &error);
  g_autofree char *backup = g_dir_make_tmp ("regie-epoch-backup-XXXXXX", &error);
  g_autoptr(RegieTestServer) server = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(TestPull) pull = NULL;
  g_autofree char *before = NULL, *restored = NULL, *again = NULL;
  g_autofree char *token = NULL;
  g_autofree char *kept_m = test_uuid (), *kept_n = test_uuid ();
  g_autofree char *lost_m = test_uuid (), *lost_n = test_uuid ();
  g_autofree char *body = NULL, *header = NULL, *message = NULL;
  g_autofree char *verify = NULL;
  const char * const verify_args[] = { "audit", "verify", "--data", dir, NULL };
  unsigned status = 0;
  int exit_status = -1;

  g_assert_no_error (error);
  server = regie_test_server_start (dir, demo, &error);
  g_assert_no_error (error);
  token = sign_in (session, regie_test_server_get_url (server), "fatima", &before);
  g_assert_cmpint (push_note (server, token, kept_m, kept_n, NULL), ==, REGIE_PUSH_APPLIED);

  /* The nightly backup, server stopped. */
  regie_test_server_kill (server, FALSE);
  g_clear_pointer (&server, regie_test_server_free);
  copy_database (dir, backup);

  /* A day's work: acknowledged, then lost with the restore. */
  server = regie_test_server_start (dir, demo, &error);
  g_assert_no_error (error);
  g_clear_pointer (&token, g_free);
  g_clear_pointer (&again, g_free);
  token = sign_in (session, regie_test_server_get_url (server), "fatima", &again);
  g_assert_cmpstr (again, ==, before);
  g_assert_cmpint (push_note (server, token, lost_m, lost_n, NULL), ==, REGIE_PUSH_APPLIED);
  regie_test_server_kill (server, FALSE);
  g_clear_pointer (&server, regie_test_server_free);

  copy_database (backup, dir);

  server = regie_test_server_start (dir, demo, &error);
  g_assert_no_error (error);
  g_clear_pointer (&token, g_free);
  token = sign_in (session, regie_test_server_get_url (server), "fatima", &restored);
  g_assert_cmpstr (restored, !=, before);

  pull = test_pull_all (regie_test_server_get_url (server), token, 0, 0);
  g_assert_true (g_hash_table_contains (pull->by_id, kept_n));
  g_assert_false (g_hash_table_contains (pull->by_id, lost_n));

  /* A pull on the old epoch is sent back to resync, and learns the new
   * one; on the new epoch it is served. */
  body = pull_with_epoch (server, token, before, &status, &header);
  g_assert_cmpuint (status, ==, 410);
  message = test_assert_error (body, 410, "gone");
  g_assert_cmpstr (header, ==, restored);
  g_clear_pointer (&body, g_free);
  g_clear_pointer (&header, g_free);
  body = pull_with_epoch (server, token, restored, &status, &header);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (header, ==, restored);

  /* The client sends its acknowledged edit again: the server lost the
   * mutation id with it, so it is applied once more — and only once. */
  g_assert_cmpint (push_note (server, token, kept_m, kept_n, NULL), ==, REGIE_PUSH_DUPLICATE);
  g_assert_cmpint (push_note (server, token, lost_m, lost_n, NULL), ==, REGIE_PUSH_APPLIED);
  g_assert_cmpint (push_note (server, token, lost_m, lost_n, NULL), ==, REGIE_PUSH_DUPLICATE);

  /* The renewal is in the processing log, and the chain holds. */
  verify = test_run (g_getenv ("REGIE_SERVER_PATH"), verify_args, NULL, &exit_status);
  g_assert_cmpint (exit_status, ==, 0);

  /* From now on the new epoch stays. */
  regie_test_server_kill (server, FALSE);
  g_clear_pointer (&server, regie_test_server_free);
  server = regie_test_server_start (dir, demo, &error);
  g_assert_no_error (error);
  g_clear_pointer (&again, g_free);
  again = current_epoch (server);
  g_assert_cmpstr (again, ==, restored);

  g_clear_pointer (&server, regie_test_server_free);
  remove_dir (dir);
  remove_dir (backup);
}

/* A restore of the whole data directory brings back the old generation
 * file too, and cannot be told: the operator marks it. */
static void
test_restore_mark (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("regie-epoch-XXXXXX", &error);
  g_autofree char *backup = g_dir_make_tmp ("regie-epoch-backup-XXXXXX", &error);
  g_autoptr(RegieTestServer) server = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *before = NULL, *unnoticed = NULL, *marked = NULL, *after = NULL;
  g_autofree char *token = NULL;
  g_autofree char *out = NULL;
  g_autofree char *m = test_uuid (), *n = test_uuid ();
  g_autofree char *generation = g_build_filename (dir, "generation", NULL);
  g_autofree char *saved = g_build_filename (backup, "generation.saved", NULL);
  int exit_status = -1;

  g_assert_no_error (error);
  server = regie_test_server_start (dir, demo, &error);
  g_assert_no_error (error);
  before = current_epoch (server);
  regie_test_server_kill (server, FALSE);
  g_clear_pointer (&server, regie_test_server_free);
  copy_database (dir, backup);
  copy_file (generation, saved);

  server = regie_test_server_start (dir, demo, &error);
  g_assert_no_error (error);
  token = sign_in (session, regie_test_server_get_url (server), "fatima", &after);
  g_assert_cmpint (push_note (server, token, m, n, NULL), ==, REGIE_PUSH_APPLIED);
  regie_test_server_kill (server, FALSE);
  g_clear_pointer (&server, regie_test_server_free);

  copy_database (backup, dir);
  copy_file (saved, generation);
  server = regie_test_server_start (dir, demo, &error);
  g_assert_no_error (error);
  unnoticed = current_epoch (server);
  g_assert_cmpstr (unnoticed, ==, before);
  regie_test_server_kill (server, FALSE);
  g_clear_pointer (&server, regie_test_server_free);

  out = restore_mark (dir, &exit_status);
  g_assert_cmpint (exit_status, ==, 0);
  g_assert_true (g_str_has_prefix (out, "epoch "));
  g_strstrip (out);
  assert_epoch_format (out + 6);
  g_assert_cmpstr (out + 6, !=, before);

  server = regie_test_server_start (dir, demo, &error);
  g_assert_no_error (error);
  marked = current_epoch (server);
  g_assert_cmpstr (marked, ==, out + 6);

  g_clear_pointer (&server, regie_test_server_free);
  remove_dir (dir);
  remove_dir (backup);
}

/* Without a readable generation file the server cannot vouch for its
 * database, and renews the epoch: a needless resend is harmless, a lost
 * edit is not. */
static void
test_generation_file_unreadable (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("regie-epoch-XXXXXX", &error);
  g_autofree char *generation = g_build_filename (dir, "generation", NULL);
  g_autoptr(RegieTestServer) server = NULL;
  g_autofree char *first = NULL, *missing = NULL, *garbled = NULL, *ahead = NULL;
  g_autofree char *text = NULL;
  g_autofree char *forged = NULL;
  gint64 high_water = 0;
  char epoch[33];

  g_assert_no_error (error);
  server = regie_test_server_start (dir, demo, &error);
  g_assert_no_error (error);
  first = current_epoch (server);
  regie_test_server_kill (server, FALSE);
  g_clear_pointer (&server, regie_test_server_free);

  /* The file the server keeps: its epoch and high-water mark. */
  g_assert_true (g_file_get_contents (generation, &text, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sscanf (text, "regie-generation 1\nepoch %32s\nhigh_water %" G_GINT64_FORMAT "\n",
                           epoch, &high_water), ==, 2);
  g_assert_cmpstr (epoch, ==, first);
  g_assert_cmpint (high_water, >, 0);

  g_assert_cmpint (g_remove (generation), ==, 0);
  server = regie_test_server_start (dir, demo, &error);
  g_assert_no_error (error);
  missing = current_epoch (server);
  g_assert_cmpstr (missing, !=, first);
  regie_test_server_kill (server, FALSE);
  g_clear_pointer (&server, regie_test_server_free);

  g_assert_true (g_file_set_contents (generation, "regie-generation 1\nepoch nonsense\n", -1, &error));
  g_assert_no_error (error);
  server = regie_test_server_start (dir, demo, &error);
  g_assert_no_error (error);
  garbled = current_epoch (server);
  g_assert_cmpstr (garbled, !=, missing);
  regie_test_server_kill (server, FALSE);
  g_clear_pointer (&server, regie_test_server_free);

  /* The file ahead of the database: what a restored database looks like. */
  forged = g_strdup_printf ("regie-generation 1\nepoch %s\nhigh_water %" G_GINT64_FORMAT "\n",
                            garbled, high_water + 1000);
  g_assert_true (g_file_set_contents (generation, forged, -1, &error));
  g_assert_no_error (error);
  server = regie_test_server_start (dir, demo, &error);
  g_assert_no_error (error);
  ahead = current_epoch (server);
  g_assert_cmpstr (ahead, !=, garbled);

  g_clear_pointer (&server, regie_test_server_free);
  remove_dir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/server/epoch/every-answer", test_every_answer);
  g_test_add_func ("/server/epoch/restarts-keep-it", test_restarts_keep_it);
  g_test_add_func ("/server/epoch/restored-copy", test_restored_copy);
  g_test_add_func ("/server/epoch/restore-mark", test_restore_mark);
  g_test_add_func ("/server/epoch/generation-file-unreadable", test_generation_file_unreadable);

  return g_test_run ();
}
