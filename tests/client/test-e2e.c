/* SPDX-License-Identifier: EUPL-1.2 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

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

/* The person record of a dossier (owned), or NULL. */
static RegieRecord *
person_record (RegieStore *store,
               const char *dossier_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieCase) dossier = regie_store_load_case (store, dossier_id, &error);
  RegieRecord *record;

  g_assert_no_error (error);
  record = regie_case_get_first (dossier, REGIE_RECORD_PERSON);
  return record != NULL ? g_object_ref (record) : NULL;
}

/* The outbox as it would be sent: ids, base versions, payloads. */
static char *
outbox_snapshot (RegieStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batch = regie_store_read_outbox (store, 0, &error);

  g_assert_no_error (error);
  return regie_push_request_serialize (batch);
}

static char *
case_snapshot (RegieStore *store,
               const char *dossier_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieCase) dossier = regie_store_load_case (store, dossier_id, &error);
  g_autoptr(JsonNode) node = NULL;

  g_assert_no_error (error);
  node = regie_case_to_json (dossier);
  return regie_json_to_string (node);
}

/* A server that no longer serves this client's protocol version answers
 * 426: the sync fails with REGIE_ERROR_PROTOCOL and says what to do,
 * nothing is pulled or written, the outbox stays exactly as it was; once
 * the server serves the version again the same store syncs and its edits
 * arrive exactly once. */
static void
test_e2e_protocol_426 (void)
{
  static const char * const newer[] = { "--min-protocol", "2", NULL };
  g_autofree char *data_dir = g_dir_make_tmp ("regie-e2e-XXXXXX", NULL);
  g_autoptr(RegieTestServer) server = start_server (data_dir);
  const char *url = regie_test_server_get_url (server);
  g_autoptr(Device) a = device_new (url, "a", "fatima");
  g_autoptr(Device) other = device_new (url, "other", "fatima");
  g_autoptr(RegieRecord) person = NULL;
  g_autoptr(RegieRecord) after = NULL;
  g_autoptr(RegieAccount) refused = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dossier_id = NULL;
  g_autofree char *note_id = NULL;
  g_autofree char *person_id = NULL;
  g_autofree char *edited = NULL;
  g_autofree char *outbox_before = NULL, *outbox_after = NULL;
  g_autofree char *case_before = NULL, *case_after = NULL;
  const char *text_a = "Geschreven terwijl de server een nieuwere versie eiste.";
  const char *text_other = "Van het andere apparaat, tijdens de 426.";
  gint64 cursor_a, cursor_other, person_version;

  device_sync (a);
  device_sync (other);
  dossier_id = find_dossier (a->store, "Lina Haddad");
  g_assert_nonnull (dossier_id);

  /* Two edits wait in a's outbox; the other device's note is on the
   * server, not yet on a. */
  note_id = regie_store_add_note (a->store, dossier_id, "fatima", text_a, &error);
  g_assert_no_error (error);
  person = person_record (a->store, dossier_id);
  person_id = g_strdup (regie_record_get_id (person));
  person_version = regie_record_get_version (person);
  payload = json_from_string (regie_record_dup_payload_text (person), &error);
  g_assert_no_error (error);
  json_object_set_string_member (json_node_get_object (payload), "phone", "06-42642642");
  edited = regie_json_to_string (payload);
  g_free (regie_store_put_record (a->store, dossier_id, REGIE_RECORD_PERSON, person_id, edited, &error));
  g_assert_no_error (error);
  g_free (regie_store_add_note (other->store, dossier_id, "fatima", text_other, &error));
  g_assert_no_error (error);
  device_sync (other);

  g_assert_cmpuint (regie_store_count_pending (a->store), ==, 2);
  outbox_before = outbox_snapshot (a->store);
  case_before = case_snapshot (a->store, dossier_id);
  cursor_a = regie_store_get_cursor (a->store);
  cursor_other = regie_store_get_cursor (other->store);

  /* The server now demands protocol 2. */
  g_clear_pointer (&server, regie_test_server_free);
  server = start_server_with (data_dir, newer);
  url = regie_test_server_get_url (server);
  regie_sync_engine_set_server_url (a->engine, url);
  regie_sync_engine_set_server_url (other->engine, url);

  refused = login (url, "fatima", "demo-fatima", &error);
  g_assert_null (refused);
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_PROTOCOL);
  g_clear_error (&error);

  g_assert_false (regie_sync_engine_sync (a->engine, NULL, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "Regie-Protocol 2"));
  g_clear_error (&error);
  g_assert_cmpint (regie_sync_engine_get_state (a->engine), ==, REGIE_SYNC_STATE_ERROR);
  g_assert_nonnull (strstr (regie_sync_engine_get_last_error (a->engine), "Update Regie"));
  g_assert_cmpuint (regie_sync_engine_get_pending (a->engine), ==, 2);

  /* Nothing moved: the same outbox (ids, base versions, payloads), the
   * same cursor, the same records, the other device's note not pulled. */
  outbox_after = outbox_snapshot (a->store);
  case_after = case_snapshot (a->store, dossier_id);
  g_assert_cmpstr (outbox_after, ==, outbox_before);
  g_assert_cmpstr (case_after, ==, case_before);
  g_assert_cmpint (regie_store_get_cursor (a->store), ==, cursor_a);
  g_assert_cmpuint (regie_store_count_pending (a->store), ==, 2);
  g_assert_cmpuint (regie_store_count_stuck (a->store), ==, 0);
  g_assert_cmpuint (count_notes_with_text (a->store, dossier_id, text_other), ==, 0);

  /* An empty outbox: the pull itself is refused. */
  g_assert_false (regie_sync_engine_sync (other->engine, NULL, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_assert_cmpint (regie_store_get_cursor (other->store), ==, cursor_other);

  /* Served normally again: the same store syncs, everything once. */
  g_clear_pointer (&server, regie_test_server_free);
  server = start_server (data_dir);
  url = regie_test_server_get_url (server);
  regie_sync_engine_set_server_url (a->engine, url);
  regie_sync_engine_set_server_url (other->engine, url);
  device_sync (a);
  g_assert_cmpuint (regie_store_count_pending (a->store), ==, 0);
  g_assert_cmpuint (count_notes_with_text (a->store, dossier_id, text_other), ==, 1);
  device_sync (a);
  device_sync (other);
  g_assert_cmpuint (count_notes_with_text (other->store, dossier_id, text_a), ==, 1);
  g_assert_cmpuint (count_notes_with_text (a->store, dossier_id, text_a), ==, 1);
  after = person_record (other->store, dossier_id);
  g_assert_cmpint (regie_record_get_version (after), ==, person_version + 1);
  g_assert_cmpstr (regie_record_get_string (after, "phone"), ==, "06-42642642");

  g_clear_pointer (&server, regie_test_server_free);
  remove_tree (data_dir);
}

/* Watches pull pages being applied: the cursor after each, and cancels
 * after a number of them. */
typedef struct
{
  RegieSyncEngine *engine;
  GArray          *cursors;
  guint            cancel_after;   /* pages; 0: never */
  GCancellable    *cancellable;    /* cancel this rather than the engine */
  gint64           cancelled_at;
} PageWatch;

static void
page_applied_cb (RegieStore *store,
                 const char *dossier_id,
                 PageWatch  *watch)
{
  gint64 cursor = regie_store_get_cursor (store);

  if (dossier_id != NULL ||
      (watch->cursors->len > 0 && g_array_index (watch->cursors, gint64, watch->cursors->len - 1) == cursor))
    return;

  g_array_append_val (watch->cursors, cursor);
  if (watch->cancel_after > 0 && watch->cursors->len == watch->cancel_after)
    {
      watch->cancelled_at = g_get_monotonic_time ();
      if (watch->cancellable != NULL)
        g_cancellable_cancel (watch->cancellable);
      else
        regie_sync_engine_cancel (watch->engine);
    }
}

static char *
sql_text (const char *path,
          const char *sql)
{
  GString *out = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        g_string_append_printf (out, "%s%s", i > 0 ? "|" : "", (const char *) sqlite3_column_text (stmt, i));
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

static void
assert_store_sound (RegieStore *store)
{
  g_autofree char *integrity = sql_text (regie_store_get_path (store), "PRAGMA integrity_check");
  g_autofree char *keys = sql_text (regie_store_get_path (store), "PRAGMA foreign_key_check");

  g_assert_cmpstr (integrity, ==, "ok\n");
  g_assert_cmpstr (keys, ==, "");
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every record the store holds, opened, one sorted line each. */
static char *
dump_store (RegieStore *store)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *ids = sql_text (regie_store_get_path (store), "SELECT DISTINCT dossier_id FROM records");
  g_auto(GStrv) dossier_ids = g_strsplit (ids, "\n", -1);
  GString *out = g_string_new (NULL);

  for (guint d = 0; dossier_ids[d] != NULL && dossier_ids[d][0] != '\0'; d++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RegieCase) dossier = regie_store_load_case (store, dossier_ids[d], &error);

      g_assert_no_error (error);
      for (guint kind = 0; kind < REGIE_N_RECORD_KINDS; kind++)
        {
          GPtrArray *records = regie_case_get_records (dossier, kind);

          for (guint i = 0; i < records->len; i++)
            {
              RegieRecord *record = g_ptr_array_index (records, i);
              g_autofree char *payload = regie_record_dup_payload_text (record);

              g_ptr_array_add (lines, g_strdup_printf ("%s %s %s %" G_GINT64_FORMAT " %s",
                                                       dossier_ids[d], regie_record_kind_to_string (kind),
                                                       regie_record_get_id (record),
                                                       regie_record_get_version (record), payload));
            }
        }
    }
  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (const char *) g_ptr_array_index (lines, i));
  return g_string_free (out, FALSE);
}

#define SMALL_PAGES 500

/* A first sync of many pages, stopped in the middle twice — with
 * regie_sync_engine_cancel() and with the caller's GCancellable — stops
 * at once, leaves a sound store at the cursor of the last page it
 * applied, and resumes there: the pages of the three runs together are
 * exactly those of an uninterrupted first sync, and so is the result. */
static void
test_e2e_cancel_resume (void)
{
  g_autoptr(RegieTestServer) server = start_server (NULL);
  const char *url = regie_test_server_get_url (server);
  g_autoptr(Device) whole = device_new (url, "whole", "fatima");
  g_autoptr(Device) cut = device_new (url, "cut", "fatima");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GListModel) caseload = NULL;
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  g_autofree char *dump_whole = NULL, *dump_cut = NULL;
  g_autofree char *schema_whole = NULL, *schema_cut = NULL;
  PageWatch ref = { whole->engine, g_array_new (FALSE, FALSE, sizeof (gint64)), 0, NULL, 0 };
  PageWatch watch = { cut->engine, g_array_new (FALSE, FALSE, sizeof (gint64)), 3, NULL, 0 };
  gulong handler;
  guint n_partial;

  /* Pull pages, not a snapshot (that is /e2e/snapshot-resume). */
  regie_sync_engine_set_snapshot_limit (whole->engine, 0);
  regie_sync_engine_set_snapshot_limit (cut->engine, 0);
  regie_sync_engine_set_pull_page_limit (whole->engine, SMALL_PAGES);
  regie_sync_engine_set_pull_page_limit (cut->engine, SMALL_PAGES);

  handler = g_signal_connect (whole->store, "changed", G_CALLBACK (page_applied_cb), &ref);
  device_sync (whole);
  g_signal_handler_disconnect (whole->store, handler);
  g_assert_cmpuint (ref.cursors->len, >=, 10);
  g_assert_cmpint (g_array_index (ref.cursors, gint64, ref.cursors->len - 1), ==,
                   regie_store_get_cursor (whole->store));

  handler = g_signal_connect (cut->store, "changed", G_CALLBACK (page_applied_cb), &watch);

  /* 1. regie_sync_engine_cancel() after the third page. */
  g_assert_false (regie_sync_engine_sync (cut->engine, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (watch.cursors->len, ==, 3);   /* not one page more */
  g_assert_cmpint (g_get_monotonic_time () - watch.cancelled_at, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (regie_sync_engine_get_state (cut->engine), ==, REGIE_SYNC_STATE_IDLE);
  g_assert_null (regie_sync_engine_get_last_error (cut->engine));
  g_assert_cmpint (regie_store_get_cursor (cut->store), ==, g_array_index (watch.cursors, gint64, 2));
  assert_store_sound (cut->store);
  caseload = regie_store_load_caseload (cut->store, &error);
  g_assert_no_error (error);
  n_partial = g_list_model_get_n_items (caseload);
  g_clear_object (&caseload);
  caseload = regie_store_load_caseload (whole->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_partial, >, 0);
  g_assert_cmpuint (n_partial, <, g_list_model_get_n_items (caseload));
  g_array_append_vals (all, watch.cursors->data, watch.cursors->len);

  /* 2. The caller's own cancellable, three pages later. */
  g_array_set_size (watch.cursors, 0);
  watch.cancellable = cancellable;
  g_assert_false (regie_sync_engine_sync (cut->engine, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (watch.cursors->len, >=, 3);
  g_assert_cmpint (g_get_monotonic_time () - watch.cancelled_at, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (g_array_index (watch.cursors, gint64, 0), >, g_array_index (all, gint64, all->len - 1));
  g_array_append_vals (all, watch.cursors->data, watch.cursors->len);
  g_assert_cmpint (regie_store_get_cursor (cut->store), ==, g_array_index (all, gint64, all->len - 1));
  assert_store_sound (cut->store);

  /* 3. To the end. */
  g_array_set_size (watch.cursors, 0);
  watch.cancel_after = 0;
  device_sync (cut);
  g_signal_handler_disconnect (cut->store, handler);
  g_array_append_vals (all, watch.cursors->data, watch.cursors->len);

  g_assert_cmpuint (all->len, ==, ref.cursors->len);
  for (guint i = 0; i < all->len; i++)
    g_assert_cmpint (g_array_index (all, gint64, i), ==, g_array_index (ref.cursors, gint64, i));
  g_assert_cmpint (regie_store_get_cursor (cut->store), ==, regie_store_get_cursor (whole->store));
  assert_store_sound (cut->store);
  schema_whole = sql_text (regie_store_get_path (whole->store), "SELECT type, name FROM sqlite_master ORDER BY name");
  schema_cut = sql_text (regie_store_get_path (cut->store), "SELECT type, name FROM sqlite_master ORDER BY name");
  g_assert_cmpstr (schema_cut, ==, schema_whole);
  dump_whole = dump_store (whole->store);
  dump_cut = dump_store (cut->store);
  g_assert_cmpuint (strlen (dump_whole), >, 0);
  g_assert_true (g_str_equal (dump_cut, dump_whole));

  g_array_unref (ref.cursors);
  g_array_unref (watch.cursors);
}

static void
progress_cb (GObject    *object,
             GParamSpec *pspec,
             GArray     *values)
{
  double progress = regie_sync_engine_get_progress (REGIE_SYNC_ENGINE (object));

  g_array_append_val (values, progress);
}

static gint64
count_rows (RegieStore *store,
            const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  g_autofree char *text = sql_text (regie_store_get_path (store), sql);

  return g_ascii_strtoll (text, NULL, 10);
}

/* A first sync by snapshot (pages of 40 dossiers) gives exactly what
 * pulling every change gives, keeps most records in one bundle per
 * dossier, reports progress, and an edit to a bundled dossier goes out
 * and comes back like any other. */
static void
test_e2e_snapshot (void)
{
  g_autoptr(RegieTestServer) server = start_server (NULL);
  const char *url = regie_test_server_get_url (server);
  g_autoptr(Device) snap = device_new (url, "snap", "fatima");
  g_autoptr(Device) pull = device_new (url, "pull", "fatima");
  g_autoptr(GArray) progress = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  g_autofree char *dump_snap = NULL, *dump_pull = NULL;
  g_autofree char *tesfay = NULL;
  g_autofree char *note_id = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  gboolean in_range = FALSE;
  gulong handler;

  regie_sync_engine_set_snapshot_limit (snap->engine, 40);
  regie_sync_engine_set_snapshot_limit (pull->engine, 0);
  g_assert_true (regie_store_wants_snapshot (snap->store, NULL, NULL));

  handler = g_signal_connect (snap->engine, "notify::progress", G_CALLBACK (progress_cb), progress);
  device_sync (snap);
  g_signal_handler_disconnect (snap->engine, handler);
  device_sync (pull);

  g_assert_false (regie_store_wants_snapshot (snap->store, NULL, NULL));
  g_assert_cmpint (regie_store_get_cursor (snap->store), >, 0);
  g_assert_cmpint (regie_store_get_cursor (snap->store), ==, regie_store_get_cursor (pull->store));
  g_assert_cmpint (count_rows (snap->store, "bundles"), >=, 200);
  g_assert_cmpint (count_rows (pull->store, "bundles"), ==, 0);
  /* Persons are rows (the caseload reads them); the rest is bundled. */
  g_assert_cmpint (count_rows (snap->store, "records"), ==, count_rows (snap->store, "bundles"));
  g_assert_cmpint (count_rows (pull->store, "records"), >, 10 * count_rows (snap->store, "records"));

  dump_snap = dump_store (snap->store);
  dump_pull = dump_store (pull->store);
  g_assert_cmpuint (strlen (dump_pull), >, 0);
  g_assert_true (g_str_equal (dump_snap, dump_pull));

  /* Progress went up by pages, between 0 and 1. */
  for (guint i = 0; i < progress->len; i++)
    in_range |= g_array_index (progress, double, i) > 0.0 && g_array_index (progress, double, i) < 1.0;
  g_assert_true (in_range);

  /* A note in a bundled dossier: the dossier is opened into rows, the
   * note goes out and reaches the other device. */
  tesfay = find_dossier (snap->store, "Tesfay Gebremedhin");
  g_assert_nonnull (tesfay);
  note_id = regie_store_add_note (snap->store, tesfay, "fatima", "Na de snapshot.", &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (snap->store, "bundles"), ==, count_rows (snap->store, "records WHERE kind = 'person'") - 1);
  device_sync (snap);
  g_assert_cmpuint (regie_sync_engine_get_pending (snap->engine), ==, 0);
  device_sync (pull);
  notes = regie_store_list_notes (pull->store, tesfay, &error);
  g_assert_no_error (error);
  g_assert_true (notes->len > 0);
  {
    gboolean found = FALSE;

    for (guint i = 0; i < notes->len; i++)
      found |= g_str_equal (((RegieStoreNote *) g_ptr_array_index (notes, i))->record_id, note_id);
    g_assert_true (found);
  }

  g_clear_pointer (&dump_snap, g_free);
  g_clear_pointer (&dump_pull, g_free);
  dump_snap = dump_store (snap->store);
  dump_pull = dump_store (pull->store);
  g_assert_true (g_str_equal (dump_snap, dump_pull));
  assert_store_sound (snap->store);
}

static void
cancel_on_progress_cb (GObject    *object,
                       GParamSpec *pspec,
                       gpointer    user_data)
{
  guint *n_pages = user_data;
  double progress = regie_sync_engine_get_progress (REGIE_SYNC_ENGINE (object));

  if (progress > 0.0 && progress < 1.0 && --(*n_pages) == 0)
    regie_sync_engine_cancel (REGIE_SYNC_ENGINE (object));
}

/* A snapshot cut off after two pages resumes after the last stored
 * dossier and ends equal to a pull of every change; a role that gets no
 * snapshot (a coordinator) pulls instead. */
static void
test_e2e_snapshot_resume (void)
{
  g_autoptr(RegieTestServer) server = start_server (NULL);
  const char *url = regie_test_server_get_url (server);
  g_autoptr(Device) cut = device_new (url, "cut", "fatima");
  g_autoptr(Device) pull = device_new (url, "pull", "fatima");
  g_autoptr(Device) coordinator = device_new (url, "coordinator", "ingrid");
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) caseload = NULL;
  g_autofree char *after = NULL;
  g_autofree char *dump_cut = NULL, *dump_pull = NULL;
  gint64 cursor = -1;
  guint n_pages = 2;
  gulong handler;

  regie_sync_engine_set_snapshot_limit (cut->engine, 30);
  regie_sync_engine_set_snapshot_limit (pull->engine, 0);
  regie_sync_engine_set_pull_page_limit (pull->engine, SMALL_PAGES);

  handler = g_signal_connect (cut->engine, "notify::progress", G_CALLBACK (cancel_on_progress_cb), &n_pages);
  g_assert_false (regie_sync_engine_sync (cut->engine, NULL, &error));
  g_signal_handler_disconnect (cut->engine, handler);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_null (regie_sync_engine_get_last_error (cut->engine));

  /* Two pages stored, the rest to come: no pull cursor yet. */
  g_assert_true (regie_store_wants_snapshot (cut->store, &cursor, &after));
  g_assert_cmpint (cursor, >, 0);
  g_assert_nonnull (after);
  g_assert_cmpuint (strlen (after), ==, 36);
  g_assert_cmpint (regie_store_get_cursor (cut->store), ==, 0);
  g_assert_cmpint (count_rows (cut->store, "bundles"), >=, 30);
  g_assert_cmpint (count_rows (cut->store, "bundles"), <=, 60);
  caseload = regie_store_load_caseload (cut->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (caseload), ==, count_rows (cut->store, "bundles"));
  assert_store_sound (cut->store);

  /* The server changes meanwhile: the rest of the snapshot is newer than
   * its first page, and the pull from the first cursor replays it. A
   * pull of many pages reports how far it came (Regie-Pull-Head). */
  {
    g_autoptr(GArray) progress = g_array_new (FALSE, FALSE, sizeof (double));
    gulong progress_handler = g_signal_connect (pull->engine, "notify::progress",
                                                G_CALLBACK (progress_cb), progress);
    double last = 0.0;
    guint n_between = 0;

    device_sync (pull);
    g_signal_handler_disconnect (pull->engine, progress_handler);
    for (guint i = 0; i < progress->len; i++)
      {
        double value = g_array_index (progress, double, i);

        if (value > 0.0 && value < 1.0)
          {
            g_assert_cmpfloat (value, >=, last);
            last = value;
            n_between++;
          }
      }
    g_assert_cmpuint (n_between, >=, 3);
  }
  {
    g_autofree char *lina = find_dossier (pull->store, "Lina Haddad");
    g_autofree char *id = regie_store_add_note (pull->store, lina, "fatima", "Tussendoor.", &error);

    g_assert_no_error (error);
    g_assert_nonnull (id);
  }
  device_sync (pull);

  device_sync (cut);
  g_assert_false (regie_store_wants_snapshot (cut->store, NULL, NULL));
  device_sync (pull);
  g_assert_cmpint (regie_store_get_cursor (cut->store), ==, regie_store_get_cursor (pull->store));
  dump_cut = dump_store (cut->store);
  dump_pull = dump_store (pull->store);
  g_assert_true (g_str_equal (dump_cut, dump_pull));
  assert_store_sound (cut->store);

  /* A coordinator may not read every kind: no snapshot, a pull. */
  device_sync (coordinator);
  g_assert_cmpint (count_rows (coordinator->store, "bundles"), ==, 0);
  g_assert_cmpint (count_rows (coordinator->store, "records"), >, 0);
  g_assert_cmpint (regie_store_get_cursor (coordinator->store), >, 0);
}

int
main (int   argc,
      char *argv[])
{
  /* The isolated XDG dirs have no GSettings schemas, which the system
   * proxy resolver would read; loopback needs no proxy anyway. */
  if (!client_test_init (&argc, &argv))
    return g_test_run ();

  g_test_add_func ("/e2e/login", test_e2e_login);
  g_test_add_func ("/e2e/first-sync", test_e2e_first_sync);
  g_test_add_func ("/e2e/settings", test_e2e_settings);
  g_test_add_func ("/e2e/offline-note", test_e2e_offline_note);
  g_test_add_func ("/e2e/two-devices", test_e2e_two_devices);
  g_test_add_func ("/e2e/lost-ack", test_e2e_lost_ack);
  g_test_add_func ("/e2e/kill-mid-push", test_e2e_kill_mid_push);
  g_test_add_func ("/e2e/protocol-426", test_e2e_protocol_426);
  g_test_add_func ("/e2e/cancel-resume", test_e2e_cancel_resume);
  g_test_add_func ("/e2e/snapshot", test_e2e_snapshot);
  g_test_add_func ("/e2e/snapshot-resume", test_e2e_snapshot_resume);

  return g_test_run ();
}
