/* SPDX-License-Identifier: EUPL-1.2 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "regie-error.h"
#include "regie-lease.h"
#include "regie-store.h"
#include "regie-sync-engine.h"
#include "regie-test-server.h"

/* Devices and leases (docs/security.md): a revoked device wipes its
 * store on the next contact; a store past its lease stays locked. */

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
       const char  *username,
       GError     **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *password = g_strconcat ("demo-", username, NULL);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  g_main_context_push_thread_default (context);
  regie_api_login_async (url, username, password, NULL, login_cb, &result);
  while (result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);
  g_assert_nonnull (result);

  return regie_api_login_finish (result, error);
}

/* The beheerder's view, over the test helper's HTTPS. */
static char *
admin_token (const char *url)
{
  unsigned status = 0;
  g_autofree char *body = regie_test_http (url, "POST", "/api/v1/session", NULL,
                                           "{\"username\":\"beheer\",\"password\":\"demo-beheer\"}",
                                           0, &status, NULL);
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpuint (status, ==, 200);
  root = json_from_string (body, NULL);
  g_assert_nonnull (root);
  return g_strdup (json_object_get_string_member (json_node_get_object (root), "token"));
}

static void
test_revoke_wipes_store (void)
{
  g_autoptr(GError) error = NULL;
  const char * const args[] = { "--demo", "--dossiers", "10", NULL };
  g_autoptr(RegieTestServer) server = regie_test_server_start (NULL, args, &error);
  g_autoptr(RegieAccount) account = NULL;
  g_autoptr(RegieAccount) again = NULL;
  g_autoptr(RegieStore) store = NULL;
  g_autoptr(RegieSyncEngine) engine = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *admin = NULL;
  g_autofree char *list = NULL;
  g_autofree char *revoke_path = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *pins = NULL;
  g_autofree char *revoke_body = NULL;
  const char *url;
  unsigned status = 0;

  g_assert_no_error (error);
  url = regie_test_server_get_url (server);

  account = login (url, "fatima", &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);

  /* Signing in made the device id and kept the lease. */
  device_id = regie_device_dup_id (&error);
  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (device_id));
  store_path = regie_store_path_for (url, "fatima");
  g_assert_cmpint (regie_lease_check (store_path, g_get_real_time () / G_USEC_PER_SEC), ==,
                   REGIE_LEASE_VALID);

  store = regie_store_open (store_path, &error);
  g_assert_no_error (error);
  g_assert_true (regie_store_unlock (store, "demo-fatima", REGIE_UNLOCK_CREATE, &error));
  g_assert_no_error (error);
  engine = regie_sync_engine_new (store, url, account->token);
  g_assert_true (regie_sync_engine_sync (engine, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (regie_store_get_cursor (store), >, 0);
  g_assert_false (regie_sync_engine_lease_expired (engine));
  g_assert_true (g_file_test (store_path, G_FILE_TEST_EXISTS));

  /* The beheerder sees the device under its host name and revokes it. */
  admin = admin_token (url);
  list = regie_test_http (url, "GET", "/api/v1/admin/devices", admin, NULL, 0, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (list, device_id));
  revoke_path = g_strdup_printf ("/api/v1/admin/devices/%s/revoke", device_id);
  revoke_body = regie_test_http (url, "POST", revoke_path, admin, NULL, 0, &status, NULL);
  g_assert_cmpuint (status, ==, 204);

  /* The next sync hears "revoked" and the local copy is gone. */
  g_assert_false (regie_sync_engine_sync (engine, NULL, &error));
  g_assert_true (regie_api_error_is_revoked (error));
  g_clear_error (&error);
  g_assert_cmpint (regie_sync_engine_get_state (engine), ==, REGIE_SYNC_STATE_ERROR);
  g_assert_cmpstr (regie_sync_engine_get_last_error (engine), ==, regie_device_revoked_message ());
  g_assert_false (g_file_test (store_path, G_FILE_TEST_EXISTS));
  wal = g_strconcat (store_path, "-wal", NULL);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_cmpint (regie_lease_check (store_path, g_get_real_time () / G_USEC_PER_SEC), ==,
                   REGIE_LEASE_NONE);
  g_clear_object (&engine);
  g_clear_object (&store);

  /* The pins stay. */
  pins = regie_api_dup_pin (url);
  g_assert_nonnull (pins);

  /* Signing in again from this device is refused as revoked. */
  again = login (url, "fatima", &error);
  g_assert_null (again);
  g_assert_true (regie_api_error_is_revoked (error));
}

static void
test_lease_expiry_locks (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("regie-lease-XXXXXX", &error);
  g_autofree char *store_path = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 14);
  g_autoptr(GDateTime) past = g_date_time_add_days (now, -1);
  g_autofree char *later_text = g_date_time_format_iso8601 (later);
  g_autofree char *past_text = g_date_time_format_iso8601 (past);
  gint64 t = g_date_time_to_unix (now);

  g_assert_no_error (error);
  store_path = g_build_filename (dir, "user@host_1.sqlite", NULL);

  /* Never leased: locked. */
  g_assert_cmpint (regie_lease_check (store_path, t), ==, REGIE_LEASE_NONE);
  g_assert_false (regie_lease_check_store (store_path, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_AUTH);
  g_clear_error (&error);

  /* Within the lease: open. */
  g_assert_true (regie_lease_record (store_path, later_text, &error));
  g_assert_no_error (error);
  g_assert_cmpint (regie_lease_get_until (store_path), ==, g_date_time_to_unix (later));
  g_assert_cmpint (regie_lease_check (store_path, t), ==, REGIE_LEASE_VALID);
  g_assert_true (regie_lease_check_store (store_path, &error));
  g_assert_no_error (error);

  /* Offline past the lease: locked until an online sign-in renews it. */
  g_assert_cmpint (regie_lease_check (store_path, g_date_time_to_unix (later) + 1), ==,
                   REGIE_LEASE_EXPIRED);

  /* The clock turned back behind a time already seen: locked too. */
  g_assert_cmpint (regie_lease_check (store_path, t + 3 * 24 * 3600), ==, REGIE_LEASE_VALID);
  g_assert_cmpint (regie_lease_check (store_path, t), ==, REGIE_LEASE_CLOCK);

  /* A lease that has run out (the server's last answer is long ago). */
  g_assert_true (regie_lease_record (store_path, past_text, &error));
  g_assert_no_error (error);
  g_assert_false (regie_lease_check_store (store_path, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_AUTH);
  g_clear_error (&error);

  /* Garbage from a server is refused, the lease kept. */
  g_assert_false (regie_lease_record (store_path, "next tuesday", &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_PARSE);
  g_clear_error (&error);

  g_assert_true (regie_lease_wipe_store (store_path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (regie_lease_check (store_path, t), ==, REGIE_LEASE_NONE);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/client/device/revoke-wipes-store", test_revoke_wipes_store);
  g_test_add_func ("/client/device/lease-expiry-locks", test_lease_expiry_locks);

  return g_test_run ();
}
