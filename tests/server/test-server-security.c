/* SPDX-License-Identifier: EUPL-1.2 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "regie-error.h"
#include "server-test-util.h"

/* Devices, the processing log and retention (docs/security.md). */

#define DEVICE_A "01900000-0000-7000-8aaa-000000000001"

static char *
login_device (const char *url,
              const char *username,
              const char *device_id,
              unsigned   *out_status)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"demo-%s\","
                                           "\"device_id\":\"%s\",\"device_name\":\"laptop-%s\"}",
                                           username, username, device_id, username);
  g_autofree char *response = regie_test_http (url, "POST", "/api/v1/session", NULL, body, 0,
                                               out_status, NULL);
  g_autoptr(JsonNode) root = NULL;

  if (*out_status != 200)
    return g_steal_pointer (&response);

  root = json_from_string (response, NULL);
  g_assert_nonnull (root);
  return g_strdup (json_object_get_string_member (json_node_get_object (root), "token"));
}

static char *
server_path (void)
{
  return g_strdup (g_getenv ("REGIE_SERVER_PATH"));
}

static char *
audit_verify (const char *data_dir,
              int        *out_status)
{
  g_autofree char *path = server_path ();
  const char * const args[] = { "audit", "verify", "--data", data_dir, NULL };

  return test_run (path, args, NULL, out_status);
}

/* The entry count `regie-server audit verify` prints (the chain must hold). */
static gint64
audit_entries (const char *data_dir)
{
  g_autofree char *out = NULL;
  int exit_status = -1;
  gint64 entries = -1;

  out = audit_verify (data_dir, &exit_status);
  g_assert_cmpint (exit_status, ==, 0);
  g_assert_cmpint (sscanf (out, "entries %" G_GINT64_FORMAT, &entries), ==, 1);
  return entries;
}

static void
test_devices (void)
{
  g_autoptr(GError) error = NULL;
  const char * const args[] = { "--demo", "--dossiers", "10", "--device-lease-days", "3", NULL };
  g_autoptr(RegieTestServer) server = regie_test_server_start (NULL, args, &error);
  g_autofree char *token = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *list = NULL;
  g_autofree char *body = NULL;
  g_autofree char *again = NULL;
  g_autofree char *message = NULL;
  const char *url;
  unsigned status = 0;

  g_assert_no_error (error);
  url = regie_test_server_get_url (server);

  token = login_device (url, "fatima", DEVICE_A, &status);
  g_assert_cmpuint (status, ==, 200);
  admin = test_login (url, "beheer");

  list = regie_test_http (url, "GET", "/api/v1/admin/devices", admin, NULL, 0, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (list, "\"id\":\"" DEVICE_A "\""));
  g_assert_nonnull (strstr (list, "\"name\":\"laptop-fatima\""));
  g_assert_nonnull (strstr (list, "\"revoked_at\":null"));

  body = regie_test_http (url, "GET", "/api/v1/sync/pull", token, NULL, 0, &status, NULL);
  g_assert_cmpuint (status, ==, 200);

  g_clear_pointer (&body, g_free);
  body = regie_test_http (url, "POST", "/api/v1/admin/devices/" DEVICE_A "/revoke", admin, NULL, 0,
                          &status, NULL);
  g_assert_cmpuint (status, ==, 204);

  /* Every request of the device hears it, even from the token cache. */
  g_clear_pointer (&body, g_free);
  body = regie_test_http (url, "GET", "/api/v1/sync/pull", token, NULL, 0, &status, NULL);
  g_assert_cmpuint (status, ==, 401);
  g_assert_nonnull (strstr (body, "\"error\":\"revoked\""));
  g_clear_pointer (&body, g_free);
  body = regie_test_http (url, "GET", "/api/v1/settings", token, NULL, 0, &status, NULL);
  g_assert_cmpuint (status, ==, 401);
  g_assert_nonnull (strstr (body, "\"error\":\"revoked\""));

  /* A new sign-in on the device too, whoever signs in. */
  again = login_device (url, "joost", DEVICE_A, &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_nonnull (strstr (again, "\"error\":\"revoked\""));

  /* Another device of the same user is unaffected. */
  g_clear_pointer (&again, g_free);
  again = login_device (url, "fatima", "01900000-0000-7000-8aaa-000000000002", &status);
  g_assert_cmpuint (status, ==, 200);

  g_clear_pointer (&list, g_free);
  list = regie_test_http (url, "GET", "/api/v1/admin/devices", admin, NULL, 0, &status, NULL);
  g_assert_null (strstr (list, "\"username\":\"joost\""));
  g_assert_nonnull (strstr (list, "\"revoked_at\":\"2"));

  /* Revoking twice is fine; an unknown device is 404. */
  g_clear_pointer (&body, g_free);
  body = regie_test_http (url, "POST", "/api/v1/admin/devices/" DEVICE_A "/revoke", admin, NULL, 0,
                          &status, NULL);
  g_assert_cmpuint (status, ==, 204);
  g_clear_pointer (&body, g_free);
  body = regie_test_http (url, "POST", "/api/v1/admin/devices/01900000-0000-7000-8aaa-00000000ffff/revoke",
                          admin, NULL, 0, &status, NULL);
  g_assert_cmpuint (status, ==, 404);
  message = test_assert_error (body, 404, "not_found");
}

/* The lease header on sign-in and sync. */
static void
test_lease_header (void)
{
  g_autoptr(GError) error = NULL;
  const char * const args[] = { "--demo", "--dossiers", "5", "--device-lease-days", "3", NULL };
  g_autoptr(RegieTestServer) server = regie_test_server_start (NULL, args, &error);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GDateTime) until = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *token = NULL;
  g_autofree char *full = NULL;
  g_autofree char *auth = NULL;
  GTimeSpan ahead;

  g_assert_no_error (error);
  token = test_login (regie_test_server_get_url (server), "fatima");

  full = g_strconcat (regie_test_server_get_url (server), "api/v1/sync/pull", NULL);
  msg = soup_message_new ("GET", full);
  regie_test_trust_server (session, msg, regie_test_server_get_url (server));
  auth = g_strdup_printf ("Bearer %s", token);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Regie-Protocol", "1");
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);

  until = g_date_time_new_from_iso8601 (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                                      "Regie-Lease-Until"), NULL);
  g_assert_nonnull (until);
  ahead = g_date_time_difference (until, now);
  g_assert_cmpint (ahead, >, 3 * G_TIME_SPAN_DAY - G_TIME_SPAN_HOUR);
  g_assert_cmpint (ahead, <, 3 * G_TIME_SPAN_DAY + G_TIME_SPAN_HOUR);
}

static void
test_audit_and_access_log (void)
{
  g_autoptr(GError) error = NULL;
  const char * const args[] = { "--demo", "--dossiers", "10", NULL };
  g_autoptr(RegieTestServer) server = regie_test_server_start (NULL, args, &error);
  g_autoptr(TestPull) pull = NULL;
  g_autoptr(GString) batch = NULL;
  g_autofree char *fatima = NULL;
  g_autofree char *ingrid = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *body = NULL;
  g_autofree char *response = NULL;
  g_autofree char *log = NULL;
  g_autofree char *verify = NULL;
  g_autofree char *mutation = test_uuid ();
  g_autofree char *record = test_uuid ();
  const char *url;
  unsigned status = 0;
  int exit_status = -1;
  gint64 entries;

  g_assert_no_error (error);
  url = regie_test_server_get_url (server);

  fatima = test_login (url, "fatima");
  ingrid = test_login (url, "ingrid");
  pull = test_pull_all (url, fatima, 0, 0);
  g_assert_true (g_hash_table_contains (pull->dossiers, PERSONA_TESFAY));

  batch = test_batch_begin ();
  payload = test_note_payload ("fatima", "Gesprek gevoerd.");
  test_batch_add (batch, mutation, record, PERSONA_TESFAY, "note", 0, payload);
  body = test_batch_end (g_steal_pointer (&batch));
  entries = audit_entries (regie_test_server_get_data_dir (server));
  response = test_push (url, fatima, body, strlen (body), &status);
  g_assert_cmpuint (status, ==, 200);

  /* Once the push is answered its entry is in the chain: exactly one
   * more, committed with the write. */
  g_assert_cmpint (audit_entries (regie_test_server_get_data_dir (server)), ==, entries + 1);

  /* The coordinator of the team sees who read and wrote the dossier. */
  log = regie_test_http (url, "GET", "/api/v1/dossiers/" PERSONA_TESFAY "/access-log", ingrid, NULL, 0,
                         &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_test_message ("%s", log);
  {
    g_autoptr(JsonNode) root = json_from_string (log, NULL);
    JsonArray *list;
    JsonObject *newest;
    JsonArray *classes;

    /* Newest first: the push is the last thing that happened to it. */
    g_assert_nonnull (root);
    list = json_object_get_array_member (json_node_get_object (root), "entries");
    g_assert_cmpuint (json_array_get_length (list), >, 0);
    newest = json_array_get_object_element (list, 0);
    g_assert_cmpstr (json_object_get_string_member (newest, "action"), ==, "write");
    g_assert_cmpstr (json_object_get_string_member (newest, "username"), ==, "fatima");
    classes = json_object_get_array_member (newest, "field_classes");
    g_assert_cmpuint (json_array_get_length (classes), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (classes, 0), ==, "notes");
  }
  g_assert_nonnull (strstr (log, "\"username\":\"fatima\""));
  g_assert_nonnull (strstr (log, "\"action\":\"read\""));
  g_assert_nonnull (strstr (log, "\"action\":\"write\""));
  g_assert_nonnull (strstr (log, "\"notes\""));
  /* No content in the log. */
  g_assert_null (strstr (log, "Gesprek"));

  /* The chain holds; sign-out is logged too. */
  g_clear_pointer (&response, g_free);
  response = regie_test_http (url, "DELETE", "/api/v1/session", fatima, NULL, 0, &status, NULL);
  g_assert_cmpuint (status, ==, 204);
  verify = audit_verify (regie_test_server_get_data_dir (server), &exit_status);
  g_assert_cmpint (exit_status, ==, 0);
  g_assert_true (g_str_has_prefix (verify, "entries "));
  g_assert_nonnull (strstr (verify, "\nhead "));
}

static gboolean
has_deleted_dossier (TestPull   *pull,
                     const char *dossier_id)
{
  for (guint i = 0; i < pull->changes->len; i++)
    {
      const TestChange *change = g_ptr_array_index (pull->changes, i);

      if (change->deleted && change->kind == REGIE_RECORD_DOSSIER &&
          g_strcmp0 (change->dossier_id, dossier_id) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_purge (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("regie-purge-XXXXXX", &error);
  const char * const args[] = { "--demo", "--dossiers", "10", NULL };
  g_autoptr(RegieTestServer) server = NULL;
  g_autoptr(TestPull) before = NULL;
  g_autoptr(TestPull) after = NULL;
  g_autoptr(GString) batch = NULL;
  g_autofree char *ingrid = NULL;
  g_autofree char *fatima = NULL;
  g_autofree char *body = NULL;
  g_autofree char *response = NULL;
  g_autofree char *out = NULL;
  g_autofree char *export = NULL;
  g_autofree char *verify = NULL;
  g_autofree char *log = NULL;
  g_autofree char *path = server_path ();
  g_autofree char *mutation = test_uuid ();
  g_autofree char *record = test_uuid ();
  g_autofree char *note_mutation = test_uuid ();
  g_autofree char *note_record = test_uuid ();
  g_autofree char *payload = NULL;
  unsigned status = 0;
  int exit_status = -1;
  gint64 cursor;

  g_assert_no_error (error);
  server = regie_test_server_start (dir, args, &error);
  g_assert_no_error (error);

  /* fatima holds Lina's dossier; her coordinator closes it, long ago. */
  fatima = test_login (regie_test_server_get_url (server), "fatima");
  ingrid = test_login (regie_test_server_get_url (server), "ingrid");
  before = test_pull_all (regie_test_server_get_url (server), fatima, 0, 0);
  g_assert_true (g_hash_table_contains (before->dossiers, PERSONA_LINA));
  cursor = before->cursor;

  batch = test_batch_begin ();
  test_batch_add (batch, mutation, record, PERSONA_LINA, "closure", 0,
                  "{\"closed_on\":\"2015-03-01\",\"reason\":\"moved\"}");
  body = test_batch_end (g_steal_pointer (&batch));
  response = test_push (regie_test_server_get_url (server), ingrid, body, strlen (body), &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (response, "\"applied\""));

  regie_test_server_kill (server, FALSE);

  /* Not yet due: nothing purged. */
  {
    const char * const purge_args[] = { "purge", "--data", dir, "--today", "2020-03-01", NULL };
    out = test_run (path, purge_args, NULL, &exit_status);
    g_assert_cmpint (exit_status, ==, 0);
    g_assert_null (strstr (out, PERSONA_LINA));
    g_clear_pointer (&out, g_free);
  }
  {
    const char * const purge_args[] = { "purge", "--data", dir, "--today", "2025-06-01", NULL };
    out = test_run (path, purge_args, NULL, &exit_status);
    g_assert_cmpint (exit_status, ==, 0);
    g_assert_nonnull (strstr (out, "purged " PERSONA_LINA "\n"));
  }
  {
    const char * const bad_args[] = { "purge", "--data", dir, "--today", "2025-02-29", NULL };
    g_autofree char *bad = test_run (path, bad_args, NULL, &exit_status);
    g_assert_cmpint (exit_status, ==, 2);
  }

  /* Gone from the database. */
  {
    const char * const export_args[] = { "export", "--data", dir, "--dossier", PERSONA_LINA, NULL };
    export = test_run (path, export_args, NULL, &exit_status);
    g_assert_cmpint (exit_status, ==, 0);
    g_assert_true (export == NULL || *export == '\0');
  }

  verify = audit_verify (dir, &exit_status);
  g_assert_cmpint (exit_status, ==, 0);

  /* The client that had it hears on its next pull. */
  g_clear_pointer (&server, regie_test_server_free);
  server = regie_test_server_start (dir, NULL, &error);
  g_assert_no_error (error);
  after = test_pull_all (regie_test_server_get_url (server), fatima, cursor, 0);
  g_assert_true (has_deleted_dossier (after, PERSONA_LINA));

  /* Nothing brings it back. */
  batch = test_batch_begin ();
  payload = test_note_payload ("fatima", "Nog iets.");
  test_batch_add (batch, note_mutation, note_record, PERSONA_LINA, "note", 0, payload);
  g_clear_pointer (&body, g_free);
  body = test_batch_end (g_steal_pointer (&batch));
  g_clear_pointer (&response, g_free);
  response = test_push (regie_test_server_get_url (server), fatima, body, strlen (body), &status);
  g_assert_cmpuint (status, ==, 403);

  /* The purge is in the log, without content. */
  log = regie_test_http (regie_test_server_get_url (server), "GET",
                         "/api/v1/dossiers/" PERSONA_LINA "/access-log", ingrid, NULL, 0, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (log, "\"action\":\"purge\""));

  g_clear_pointer (&server, regie_test_server_free);
  g_clear_pointer (&verify, g_free);
  verify = audit_verify (dir, &exit_status);
  g_assert_cmpint (exit_status, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/server/security/devices", test_devices);
  g_test_add_func ("/server/security/lease-header", test_lease_header);
  g_test_add_func ("/server/security/audit", test_audit_and_access_log);
  g_test_add_func ("/server/security/purge", test_purge);

  return g_test_run ();
}
