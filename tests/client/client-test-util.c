/* SPDX-License-Identifier: EUPL-1.2 */
/* What the client-core tests share: a demo server, signing in, devices
 * (a store and a sync engine each) and looking things up in a store. */
#include "config.h"

#include "client-test-util.h"

static const char * const demo_args[] = { "--demo", NULL };

gboolean
client_test_init (int    *argc,
                  char ***argv)
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_setenv ("GIO_USE_VFS", "local", TRUE);
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (g_getenv ("REGIE_SERVER_PATH") == NULL)
    {
      g_test_skip ("REGIE_SERVER_PATH is not set");
      return FALSE;
    }
  return TRUE;
}

RegieTestServer *
start_server (const char *data_dir)
{
  return start_server_with (data_dir, NULL);
}

RegieTestServer *
start_server_with (const char         *data_dir,
                   const char * const *extra_args)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  RegieTestServer *server;

  g_ptr_array_add (args, (gpointer) demo_args[0]);
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) extra_args[i]);
  g_ptr_array_add (args, NULL);

  server = regie_test_server_start (data_dir, (const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_assert_nonnull (server);

  return server;
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

RegieAccount *
login (const char  *url,
       const char  *username,
       const char  *password,
       GError     **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;

  g_main_context_push_thread_default (context);
  regie_api_login_async (url, username, password, NULL, login_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  return regie_api_login_finish (result, error);
}


Device *
device_new (const char *url,
            const char *device_name,
            const char *username)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieAccount) account = NULL;
  g_autofree char *password = g_strconcat ("demo-", username, NULL);
  g_autofree char *file = g_strconcat (device_name, ".sqlite", NULL);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "devices", file, NULL);
  Device *device = g_new0 (Device, 1);

  account = login (url, username, password, &error);
  g_assert_no_error (error);

  device->username = g_strdup (username);
  device->token = g_strdup (account->token);
  device->store = regie_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (regie_store_unlock (device->store, password, REGIE_UNLOCK_CREATE, &error));
  g_assert_no_error (error);
  device->engine = regie_sync_engine_new (device->store, url, account->token);

  return device;
}

void
device_free (Device *device)
{
  g_assert_finalize_object (device->engine);
  g_assert_finalize_object (device->store);
  g_free (device->username);
  g_free (device->token);
  g_free (device);
}


void
device_sync (Device *device)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = regie_sync_engine_sync (device->engine, NULL, &error);

  g_assert_no_error (error);   /* first, to show the message */
  g_assert_true (ok);
  g_assert_cmpint (regie_sync_engine_get_state (device->engine), ==, REGIE_SYNC_STATE_SYNCED);
  g_assert_null (regie_sync_engine_get_last_error (device->engine));
}

char *
find_dossier (RegieStore *store,
              const char *full_name)
{
  g_autoptr(GListModel) caseload = NULL;
  g_autoptr(GError) error = NULL;

  caseload = regie_store_load_caseload (store, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < g_list_model_get_n_items (caseload); i++)
    {
      g_autoptr(RegieCaseloadItem) item = g_list_model_get_item (caseload, i);

      if (g_str_equal (regie_caseload_item_get_full_name (item), full_name))
        return g_strdup (regie_caseload_item_get_dossier_id (item));
    }

  return NULL;
}

guint
count_notes_with_text (RegieStore *store,
                       const char *dossier_id,
                       const char *text)
{
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GError) error = NULL;
  guint count = 0;

  notes = regie_store_list_notes (store, dossier_id, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < notes->len; i++)
    {
      RegieStoreNote *note = g_ptr_array_index (notes, i);

      if (g_str_equal (regie_note_get_text (note->note), text))
        count++;
    }

  return count;
}

/* ---- tests --------------------------------------------------------------- */
