/* SPDX-License-Identifier: EUPL-1.2 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "regie-error.h"
#include "regie-store.h"
#include "regie-sync-engine.h"
#include "regie-test-server.h"

/* The client pins the server's certificate on first contact and refuses
 * any other one afterwards, before anything is sent. */

#define PERSONA_TESFAY "01900000-0000-7000-8000-000000000001"

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static RegieTestServer *
start_server (const char *data_dir,
              int         port)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%d", port);
  const char * const args[] = { "--demo", "--dossiers", "20", "--listen", listen, NULL };
  RegieTestServer *server;

  server = regie_test_server_start (data_dir, args, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (regie_test_server_get_url (server), "https://"));

  return server;
}

static int
server_port (RegieTestServer *server)
{
  g_autoptr(GUri) uri = g_uri_parse (regie_test_server_get_url (server), G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (uri);
  return g_uri_get_port (uri);
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static RegieAccount *
login (const char  *url,
       GError     **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;

  g_main_context_push_thread_default (context);
  regie_api_login_async (url, "fatima", "demo-fatima", NULL, login_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  return regie_api_login_finish (result, error);
}

static char *
pins_file (void)
{
  return g_build_filename (g_get_user_data_dir (), "regie", "pins.ini", NULL);
}

static void
test_first_contact_pins (void)
{
  g_autoptr(RegieTestServer) server = start_server (NULL, 0);
  g_autoptr(RegieAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *path = pins_file ();
  g_autofree char *contents = NULL;
  g_autofree char *key = g_strdup_printf ("127.0.0.1:%d=", server_port (server));
  const char *url = regie_test_server_get_url (server);
  GStatBuf st;

  g_assert_null (regie_api_dup_pin (url));

  account = login (url, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);

  /* The pin is the fingerprint the server printed, keyed by host:port. */
  pin = regie_api_dup_pin (url);
  g_assert_cmpstr (pin, ==, regie_test_server_get_fingerprint (server));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, key));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Same server, same certificate: accepted again. */
  g_clear_pointer (&account, regie_account_free);
  account = login (url, &error);
  g_assert_no_error (error);
}

static void
test_certificate_change (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("regie-test-pinning-XXXXXX", &error);
  g_autofree char *tls_dir = g_build_filename (dir, "tls", NULL);
  g_autofree char *store_path = g_build_filename (g_get_user_data_dir (), "pinning.sqlite", NULL);
  g_autofree char *url = NULL;
  g_autofree char *first_pin = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *note_id = NULL;
  g_autofree char *body = NULL;
  g_autoptr(RegieTestServer) server = NULL;
  g_autoptr(RegieAccount) account = NULL;
  g_autoptr(RegieStore) store = NULL;
  g_autoptr(RegieSyncEngine) engine = NULL;
  const char *text = "Pinning test: this note must not reach an impostor.";
  unsigned status = 0;
  int port;

  g_assert_no_error (error);

  /* First contact: pinned; a full sync works. */
  server = start_server (dir, 0);
  port = server_port (server);
  url = g_strdup (regie_test_server_get_url (server));
  account = login (url, &error);
  g_assert_no_error (error);
  first_pin = regie_api_dup_pin (url);
  g_assert_cmpstr (first_pin, ==, regie_test_server_get_fingerprint (server));

  store = regie_store_open (store_path, &error);
  g_assert_no_error (error);
  g_assert_true (regie_store_unlock (store, "demo-fatima", REGIE_UNLOCK_CREATE, &error));
  g_assert_no_error (error);
  engine = regie_sync_engine_new (store, url, account->token);
  g_assert_true (regie_sync_engine_sync (engine, NULL, &error));
  g_assert_no_error (error);

  /* A restart with the same certificate (same data dir, same port). */
  regie_test_server_kill (server, FALSE);
  g_clear_pointer (&server, regie_test_server_free);
  server = start_server (dir, port);
  g_assert_cmpstr (regie_test_server_get_url (server), ==, url);
  g_assert_cmpstr (regie_test_server_get_fingerprint (server), ==, first_pin);
  g_assert_true (regie_sync_engine_sync (engine, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&account, regie_account_free);
  account = login (url, &error);
  g_assert_no_error (error);

  /* A note waits in the outbox; then the server gets another key. */
  note_id = regie_store_add_note (store, PERSONA_TESFAY, "fatima", text, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (regie_store_count_pending (store), ==, 1);

  regie_test_server_kill (server, FALSE);
  g_clear_pointer (&server, regie_test_server_free);
  remove_tree (tls_dir);
  server = start_server (dir, port);
  g_assert_cmpstr (regie_test_server_get_url (server), ==, url);
  g_assert_cmpstr (regie_test_server_get_fingerprint (server), !=, first_pin);

  /* Signing in is refused, and says why. */
  g_clear_pointer (&account, regie_account_free);
  account = login (url, &error);
  g_assert_null (account);
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_NETWORK);
  g_assert_true (regie_api_error_is_certificate_change (error));
  g_clear_error (&error);

  /* So is syncing: ERROR (not OFFLINE) with the translated message. */
  g_assert_false (regie_sync_engine_sync (engine, NULL, &error));
  g_assert_true (regie_api_error_is_certificate_change (error));
  g_clear_error (&error);
  g_assert_cmpint (regie_sync_engine_get_state (engine), ==, REGIE_SYNC_STATE_ERROR);
  g_assert_cmpstr (regie_sync_engine_get_last_error (engine), ==,
                   "The server's identity has changed. Do not continue; contact your IT department.");

  /* Nothing was sent: the outbox is intact, the pin unchanged, and the
   * server has not seen the note. */
  g_assert_cmpuint (regie_store_count_pending (store), ==, 1);
  g_assert_true (regie_store_record_is_pending (store, note_id));
  pin = regie_api_dup_pin (url);
  g_assert_cmpstr (pin, ==, first_pin);
  {
    g_autofree char *login_body = NULL;
    g_autofree char *token = NULL;
    const char *start;

    login_body = regie_test_http (url, "POST", "/api/v1/session", NULL,
                                  "{\"username\":\"fatima\",\"password\":\"demo-fatima\"}", 0,
                                  &status, NULL);
    g_assert_cmpuint (status, ==, 200);
    start = strstr (login_body, "\"token\":\"");
    g_assert_nonnull (start);
    token = g_strndup (start + strlen ("\"token\":\""), 64);
    body = regie_test_http (url, "GET", "/api/v1/sync/pull?cursor=0&limit=20000", token, NULL, 0,
                            &status, NULL);
    g_assert_cmpuint (status, ==, 200);
    g_assert_null (strstr (body, note_id));
  }

  /* An admin approved the new certificate: forget the pin, pin anew. */
  g_assert_true (regie_api_forget_pin (url, &error));
  g_assert_no_error (error);
  g_assert_null (regie_api_dup_pin (url));
  account = login (url, &error);
  g_assert_no_error (error);
  g_clear_pointer (&pin, g_free);
  pin = regie_api_dup_pin (url);
  g_assert_cmpstr (pin, ==, regie_test_server_get_fingerprint (server));
  g_assert_true (regie_sync_engine_sync (engine, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (regie_store_count_pending (store), ==, 0);
  g_assert_cmpint (regie_sync_engine_get_state (engine), ==, REGIE_SYNC_STATE_SYNCED);

  g_assert_finalize_object (g_steal_pointer (&engine));
  g_assert_finalize_object (g_steal_pointer (&store));
  g_clear_pointer (&server, regie_test_server_free);
  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_setenv ("GIO_USE_VFS", "local", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/client/tls/first-contact-pins", test_first_contact_pins);
  g_test_add_func ("/client/tls/certificate-change", test_certificate_change);

  return g_test_run ();
}
