/* SPDX-License-Identifier: EUPL-1.2 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "regie-error.h"
#include "regie-store.h"
#include "regie-records.h"
#include "regie-settings.h"
#include "regie-sync-engine.h"
#include "regie-test-server.h"

#include "client-test-util.h"

/* End-to-end: the real regie-server (--demo) and real client stores. */


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

static void
test_e2e_login (void)
{
  g_autoptr(RegieTestServer) server = start_server (NULL);
  g_autoptr(RegieAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup (regie_test_server_get_url (server));
  RegieAccount *bad;

  account = login (url, "fatima", "demo-fatima", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (account->username, ==, "fatima");
  g_assert_cmpstr (account->display_name, ==, "Fatima El Amrani");
  g_assert_cmpstr (account->role, ==, "klantmanager");
  g_assert_cmpstr (account->team, ==, "team-noord");
  g_assert_cmpuint (strlen (account->token), ==, 64);

  bad = login (url, "fatima", "demo-joost", &error);
  g_assert_null (bad);
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_AUTH);
  g_clear_error (&error);

  bad = login (url, "nobody", "demo-nobody", &error);
  g_assert_null (bad);
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_AUTH);
  g_clear_error (&error);

  /* No server at all: the network, not the password, is the problem. */
  regie_test_server_kill (server, TRUE);
  bad = login (url, "fatima", "demo-fatima", &error);
  g_assert_null (bad);
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_NETWORK);
}

static void
state_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 GArray     *states)
{
  int state = regie_sync_engine_get_state (REGIE_SYNC_ENGINE (object));

  g_array_append_val (states, state);
}

static void
test_e2e_first_sync (void)
{
  g_autoptr(RegieTestServer) server = start_server (NULL);
  g_autoptr(Device) device = device_new (regie_test_server_get_url (server), "a", "fatima");
  g_autoptr(GListModel) caseload = NULL;
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GError) error = NULL;
  const char *personas[] = {
    "Tesfay Gebremedhin", "Lina Haddad", "Ayşe Demir", "Rahaf Al-Khatib",
  };
  gint64 cursor;
  guint n;

  g_signal_connect (device->engine, "notify::state", G_CALLBACK (state_notify_cb), states);
  g_assert_cmpint (regie_sync_engine_get_state (device->engine), ==, REGIE_SYNC_STATE_IDLE);

  device_sync (device);
  g_assert_cmpuint (states->len, ==, 2);
  g_assert_cmpint (g_array_index (states, int, 0), ==, REGIE_SYNC_STATE_SYNCING);
  g_assert_cmpint (g_array_index (states, int, 1), ==, REGIE_SYNC_STATE_SYNCED);

  caseload = regie_store_load_caseload (device->store, &error);
  g_assert_no_error (error);
  n = g_list_model_get_n_items (caseload);
  g_assert_cmpuint (n, >=, 200);
  g_assert_cmpuint (n, <=, 400);

  for (guint i = 0; i < G_N_ELEMENTS (personas); i++)
    {
      g_autofree char *dossier_id = find_dossier (device->store, personas[i]);
      g_autoptr(GPtrArray) notes = NULL;

      g_assert_nonnull (dossier_id);
      notes = regie_store_list_notes (device->store, dossier_id, &error);
      g_assert_no_error (error);
    }

  cursor = regie_store_get_cursor (device->store);
  g_assert_cmpint (cursor, >, 0);
  g_assert_cmpuint (regie_sync_engine_get_pending (device->engine), ==, 0);

  /* Nothing changed: a second sync moves nothing. */
  device_sync (device);
  g_assert_cmpint (regie_store_get_cursor (device->store), ==, cursor);
}

static void
test_e2e_offline_note (void)
{
  g_autofree char *data_dir = g_dir_make_tmp ("regie-e2e-XXXXXX", NULL);
  g_autoptr(RegieTestServer) server = start_server (data_dir);
  g_autoptr(Device) device = device_new (regie_test_server_get_url (server), "a", "fatima");
  g_autoptr(Device) check = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dossier_id = NULL;
  g_autofree char *note_id = NULL;
  const char *text = "Offline geschreven: belt terug over de taalschool.";

  device_sync (device);
  dossier_id = find_dossier (device->store, "Lina Haddad");
  g_assert_nonnull (dossier_id);

  /* The server goes away; the caseworker keeps working. */
  regie_test_server_kill (server, TRUE);
  note_id = regie_store_add_note (device->store, dossier_id, "fatima", text, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (regie_sync_engine_get_pending (device->engine), ==, 1);

  g_assert_false (regie_sync_engine_sync (device->engine, NULL, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_cmpint (regie_sync_engine_get_state (device->engine), ==, REGIE_SYNC_STATE_OFFLINE);
  g_assert_null (regie_sync_engine_get_last_error (device->engine));
  g_assert_cmpuint (regie_sync_engine_get_pending (device->engine), ==, 1);
  g_assert_cmpuint (regie_store_count_pending (device->store), ==, 1);

  /* Back, on another port. */
  g_clear_pointer (&server, regie_test_server_free);
  server = start_server (data_dir);
  regie_sync_engine_set_server_url (device->engine, regie_test_server_get_url (server));
  device_sync (device);
  g_assert_cmpuint (regie_sync_engine_get_pending (device->engine), ==, 0);
  g_assert_cmpuint (count_notes_with_text (device->store, dossier_id, text), ==, 1);

  /* Another device sees it, once. */
  check = device_new (regie_test_server_get_url (server), "check", "fatima");
  device_sync (check);
  g_assert_cmpuint (count_notes_with_text (check->store, dossier_id, text), ==, 1);

  g_clear_pointer (&server, regie_test_server_free);
  remove_tree (data_dir);
}

static void
test_e2e_two_devices (void)
{
  g_autoptr(RegieTestServer) server = start_server (NULL);
  const char *url = regie_test_server_get_url (server);
  g_autoptr(Device) a = device_new (url, "fatima-laptop", "fatima");
  g_autoptr(Device) b = device_new (url, "ingrid-desktop", "ingrid");
  g_autoptr(GError) error = NULL;
  g_autofree char *dossier_id = NULL;
  g_autofree char *dossier_b = NULL;
  g_autofree char *id_a = NULL;
  g_autofree char *id_b = NULL;
  const char *text_a = "Fatima: intake deel 2 afgerond.";
  const char *text_b = "Ingrid: dossier besproken in teamoverleg.";

  device_sync (a);
  device_sync (b);
  dossier_id = find_dossier (a->store, "Rahaf Al-Khatib");
  dossier_b = find_dossier (b->store, "Rahaf Al-Khatib");
  g_assert_nonnull (dossier_id);
  g_assert_cmpstr (dossier_id, ==, dossier_b);

  /* Both write offline, to the same dossier. */
  id_a = regie_store_add_note (a->store, dossier_id, "fatima", text_a, &error);
  g_assert_no_error (error);
  id_b = regie_store_add_note (b->store, dossier_id, "ingrid", text_b, &error);
  g_assert_no_error (error);

  device_sync (a);
  device_sync (b);
  device_sync (a);

  for (guint i = 0; i < 2; i++)
    {
      RegieStore *store = i == 0 ? a->store : b->store;

      g_assert_cmpuint (count_notes_with_text (store, dossier_id, text_a), ==, 1);
      g_assert_cmpuint (count_notes_with_text (store, dossier_id, text_b), ==, 1);
      g_assert_cmpuint (regie_store_count_pending (store), ==, 0);
    }
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (from, &contents, &len, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents_full (to, contents, len, G_FILE_SET_CONTENTS_NONE, 0600, &error));
  g_assert_no_error (error);
}

static void
test_e2e_lost_ack (void)
{
  g_autoptr(RegieTestServer) server = start_server (NULL);
  const char *url = regie_test_server_get_url (server);
  g_autoptr(Device) a = device_new (url, "a", "fatima");
  g_autoptr(Device) copy = NULL;
  g_autoptr(Device) check = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dossier_id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *copy_path = NULL;
  const char *texts[] = { "Eerste poging.", "Tweede notitie.", "Derde notitie." };

  device_sync (a);
  dossier_id = find_dossier (a->store, "Ayşe Demir");
  g_assert_nonnull (dossier_id);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *id = regie_store_add_note (a->store, dossier_id, "fatima", texts[i], &error);
      g_assert_no_error (error);
    }

  /* Freeze the outbox as it is before the push: a device whose push
   * reached the server but whose answer was lost looks exactly like this. */
  path = g_strdup (regie_store_get_path (a->store));
  g_assert_finalize_object (g_steal_pointer (&a->engine));
  g_assert_finalize_object (g_steal_pointer (&a->store));   /* checkpoints the WAL */
  copy_path = g_build_filename (g_get_user_data_dir (), "devices", "copy.sqlite", NULL);
  copy_file (path, copy_path);

  copy = device_new (url, "copy", "fatima");
  a->store = regie_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (regie_store_unlock (a->store, "demo-fatima", REGIE_UNLOCK_DEFAULT, &error));
  g_assert_no_error (error);
  {
    g_autoptr(RegieAccount) account = login (url, "fatima", "demo-fatima", &error);
    g_assert_no_error (error);
    a->engine = regie_sync_engine_new (a->store, url, account->token);
  }

  g_assert_cmpuint (regie_store_count_pending (copy->store), ==, 3);
  device_sync (a);
  g_assert_cmpuint (regie_store_count_pending (a->store), ==, 0);

  /* The retry: same mutation ids again. */
  device_sync (copy);
  g_assert_cmpuint (regie_store_count_pending (copy->store), ==, 0);
  g_assert_cmpuint (regie_store_count_stuck (copy->store), ==, 0);

  check = device_new (url, "check", "fatima");
  device_sync (check);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_assert_cmpuint (count_notes_with_text (check->store, dossier_id, texts[i]), ==, 1);
      g_assert_cmpuint (count_notes_with_text (a->store, dossier_id, texts[i]), ==, 1);
      g_assert_cmpuint (count_notes_with_text (copy->store, dossier_id, texts[i]), ==, 1);
    }
}

typedef struct
{
  RegieTestServer *server;
  gboolean         killed;
} KillData;

static gboolean
kill_server_cb (gpointer user_data)
{
  KillData *data = user_data;

  regie_test_server_kill (data->server, TRUE);
  return G_SOURCE_REMOVE;
}

static void
progress_notify_cb (GObject    *object,
                    GParamSpec *pspec,
                    KillData   *data)
{
  double progress = regie_sync_engine_get_progress (REGIE_SYNC_ENGINE (object));
  GSource *source;

  if (data->killed || progress <= 0.0)
    return;

  /* The first batch is acknowledged. Kill the server while the next one
   * is on its way: from an idle, so the engine has sent it by then. */
  data->killed = TRUE;
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_LOW);
  g_source_set_callback (source, kill_server_cb, data, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
  g_source_unref (source);
}

static void
test_e2e_kill_mid_push (void)
{
  g_autofree char *data_dir = g_dir_make_tmp ("regie-e2e-XXXXXX", NULL);
  g_autoptr(RegieTestServer) server = start_server (data_dir);
  g_autoptr(Device) device = device_new (regie_test_server_get_url (server), "a", "fatima");
  g_autoptr(Device) check = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autofree char *dossier_id = NULL;
  KillData kill = { 0, };
  const guint n_notes = 2000;
  gulong handler;

  device_sync (device);
  dossier_id = find_dossier (device->store, "Tesfay Gebremedhin");
  g_assert_nonnull (dossier_id);

  for (guint i = 0; i < n_notes; i++)
    {
      g_autofree char *text = g_strdup_printf ("Urenregistratie %u", i);
      g_autofree char *id = regie_store_add_note (device->store, dossier_id, "fatima", text, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (regie_store_count_pending (device->store), ==, n_notes);

  kill.server = server;
  handler = g_signal_connect (device->engine, "notify::progress", G_CALLBACK (progress_notify_cb), &kill);
  g_assert_false (regie_sync_engine_sync (device->engine, NULL, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_NETWORK);
  g_clear_error (&error);
  g_signal_handler_disconnect (device->engine, handler);
  g_assert_true (kill.killed);
  g_assert_cmpint (regie_sync_engine_get_state (device->engine), ==, REGIE_SYNC_STATE_OFFLINE);
  g_assert_cmpuint (regie_store_count_pending (device->store), >, 0);

  g_clear_pointer (&server, regie_test_server_free);
  server = start_server (data_dir);
  regie_sync_engine_set_server_url (device->engine, regie_test_server_get_url (server));
  device_sync (device);
  g_assert_cmpuint (regie_store_count_pending (device->store), ==, 0);

  /* Every note exactly once on the server. */
  check = device_new (regie_test_server_get_url (server), "check", "fatima");
  device_sync (check);
  notes = regie_store_list_notes (check->store, dossier_id, &error);
  g_assert_no_error (error);
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < notes->len; i++)
    {
      RegieStoreNote *note = g_ptr_array_index (notes, i);
      const char *text = regie_note_get_text (note->note);

      if (!g_str_has_prefix (text, "Urenregistratie "))
        continue;
      g_assert_false (g_hash_table_contains (seen, text));
      g_hash_table_add (seen, (gpointer) text);
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, n_notes);

  g_clear_pointer (&server, regie_test_server_free);
  remove_tree (data_dir);
}


/* The municipal settings reach the client read-only, and only when the
 * server's settings version changed. */
static void
test_e2e_settings (void)
{
  g_autoptr(RegieTestServer) server = start_server (NULL);
  const char *url = regie_test_server_get_url (server);
  g_autoptr(Device) device = device_new (url, "s", "fatima");
  g_autoptr(RegieAccount) admin = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *settings = NULL;
  g_autofree char *body = NULL;
  g_autofree char *answer = NULL;
  RegieSettings parsed;
  unsigned status = 0;
  gsize len = 0;

  /* The first sync fetches them once (version 0: the defaults). */
  device_sync (device);
  settings = regie_store_dup_meta (device->store, "settings");
  g_assert_nonnull (strstr (settings, "\"leefgeld_threshold_cents\":15000"));
  g_clear_pointer (&settings, g_free);

  admin = login (url, "beheer", "demo-beheer", &error);
  g_assert_no_error (error);
  body = g_strdup ("{\"leefgeld_threshold_cents\":20000,\"progress_talk_weeks\":6}");
  answer = regie_test_http (url, "PUT", "/api/v1/settings", admin->token, body, strlen (body), &status, &len);
  g_assert_cmpuint (status, ==, 200);

  device_sync (device);
  settings = regie_store_dup_meta (device->store, "settings");
  g_assert_nonnull (settings);
  node = regie_json_parse (settings, -1, &error);
  g_assert_no_error (error);
  regie_settings_init_defaults (&parsed);
  g_assert_true (regie_settings_from_json (&parsed, node, &error));
  g_assert_cmpint (parsed.leefgeld_threshold_cents, ==, 20000);
  g_assert_cmpint (parsed.progress_talk_weeks, ==, 6);
}

int
main (int   argc,
      char *argv[])
{
  /* The isolated XDG dirs have no GSettings schemas, which the system
   * proxy resolver would read; loopback needs no proxy anyway. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_setenv ("GIO_USE_VFS", "local", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (g_getenv ("REGIE_SERVER_PATH") == NULL)
    {
      g_test_skip ("REGIE_SERVER_PATH is not set");
      return g_test_run ();
    }

  g_test_add_func ("/e2e/login", test_e2e_login);
  g_test_add_func ("/e2e/first-sync", test_e2e_first_sync);
  g_test_add_func ("/e2e/settings", test_e2e_settings);
  g_test_add_func ("/e2e/offline-note", test_e2e_offline_note);
  g_test_add_func ("/e2e/two-devices", test_e2e_two_devices);
  g_test_add_func ("/e2e/lost-ack", test_e2e_lost_ack);
  g_test_add_func ("/e2e/kill-mid-push", test_e2e_kill_mid_push);

  return g_test_run ();
}
