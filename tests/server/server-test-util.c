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
