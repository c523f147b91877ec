/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieTest"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "regie-note-row.h"
#include "regie-test-scan.h"
#include "ui-test-util.h"

/* Drives the real window against a real demo server: sign in as fatima,
 * search, add a note offline-first, sync it. With REGIE_SCREENSHOT_DIR set
 * it also saves sign-in.png, caseload.png and dossier.png there (with the
 * suffix REGIE_SCREENSHOT_SUFFIX, e.g. "-nl"). */

static gboolean
sign_in_finished (gpointer data)
{
  return !regie_window_is_signing_in (REGIE_WINDOW (data));
}

static gboolean
sync_finished (gpointer data)
{
  return !regie_window_is_syncing (REGIE_WINDOW (data));
}

static void
test_ui_sign_in_search_note_sync (UiTestFixture *fixture,
                                  gconstpointer  user_data)
{
  RegieWindow *window = fixture->window;
  RegieApplication *app = fixture->app;
  const char *url = fixture->url;
  RegieCaseloadView *view;
  RegieDossierPage *page;
  GtkSingleSelection *selection;
  GListModel *shown;
  GtkListBox *notes_list;
  GtkWidget *first_row;
  GtkTextBuffer *buffer;
  const char *personas[] = { "Tesfay Gebremedhin", "Lina Haddad", "Ayşe Demir", "Rahaf Al-Khatib" };
  g_autofree char *lina_id = NULL;
  const char *note_text = "Intake gepland op dinsdag; tolk Tigrinya geregeld.";

  /* The shortcuts window and the About window build from their .ui and
   * properties without warnings. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  gtk_widget_set_visible (GTK_WIDGET (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window))), FALSE);
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  {
    g_autoptr(GList) windows = gtk_window_list_toplevels ();
    gboolean found = FALSE;

    for (GList *l = windows; l != NULL; l = l->next)
      if (ADW_IS_ABOUT_WINDOW (l->data))
        {
          found = TRUE;
          gtk_window_destroy (GTK_WINDOW (l->data));
        }
    g_assert_true (found);
  }

  /* A wrong password is refused with a message, and nothing is opened. */
  regie_window_sign_in (window, url, "fatima", "not-her-password");
  ui_test_wait_for (sign_in_finished, window, "the refused sign-in");
  g_assert_null (regie_window_get_store (window));
  g_assert_cmpstr (regie_sign_in_page_get_error (regie_window_get_sign_in_page (window)), ==,
                   _("The user name or password is incorrect. Check both and try again."));

  regie_sign_in_page_set_error (regie_window_get_sign_in_page (window), NULL);
  regie_sign_in_page_clear_password (regie_window_get_sign_in_page (window));
  regie_sign_in_page_focus (regie_window_get_sign_in_page (window));
  ui_test_maybe_screenshot (GTK_WIDGET (window), "sign-in");

  /* The real sign-in flow, as with the Sign In button. */
  ui_test_fixture_sign_in (fixture);

  view = regie_window_get_caseload_view (window);
  page = regie_window_get_dossier_page (window);
  selection = regie_caseload_view_get_selection (view);
  shown = gtk_single_selection_get_model (selection);

  /* The four persona dossiers are in fatima's caseload. */
  for (guint p = 0; p < G_N_ELEMENTS (personas); p++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < g_list_model_get_n_items (shown) && !found; i++)
        {
          g_autoptr(RegieCaseloadItem) item = g_list_model_get_item (shown, i);
          found = g_strcmp0 (regie_caseload_item_get_full_name (item), personas[p]) == 0;
        }
      if (!found)
        g_error ("Persona %s is not in the caseload", personas[p]);
    }
  g_assert_cmpuint (regie_store_count_pending (regie_window_get_store (window)), ==, 0);
  g_assert_cmpstr (regie_window_get_sync_status (window), ==, C_("sync state", "Synced"));

  g_assert_null (regie_dossier_page_get_dossier_id (page));
  ui_test_maybe_screenshot (GTK_WIDGET (window), "caseload");

  /* Search as you type: only the matching rows remain, the same model. */
  gtk_editable_set_text (regie_caseload_view_get_search_entry (view), "Haddad");
  g_assert_true (shown == gtk_single_selection_get_model (selection));
  {
    GListModel *caseload = regie_caseload_view_get_caseload (view);
    g_autofree char *folded = regie_search_fold ("Haddad");
    guint expected = 0;

    for (guint i = 0; i < g_list_model_get_n_items (caseload); i++)
      {
        g_autoptr(RegieCaseloadItem) item = g_list_model_get_item (caseload, i);
        if (regie_caseload_item_matches (item, folded))
          expected++;
      }
    g_assert_cmpuint (expected, >=, 1);
    g_assert_cmpuint (g_list_model_get_n_items (shown), ==, expected);
    for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
      {
        g_autoptr(RegieCaseloadItem) item = g_list_model_get_item (shown, i);
        g_assert_nonnull (strstr (regie_caseload_item_get_full_name (item), "Haddad"));
      }
  }

  /* Pick Lina Haddad like a click on her row. */
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(RegieCaseloadItem) item = g_list_model_get_item (shown, i);

      if (g_strcmp0 (regie_caseload_item_get_full_name (item), "Lina Haddad") == 0)
        gtk_single_selection_set_selected (selection, i);
    }
  g_assert_cmpstr (regie_dossier_page_get_title (page), ==, "Lina Haddad");
  g_assert_nonnull (regie_dossier_page_get_dossier_id (page));
  lina_id = g_strdup (regie_dossier_page_get_dossier_id (page));

  /* Add a note through the UI: type it, press Add Note. */
  buffer = gtk_text_view_get_buffer (regie_dossier_page_get_note_view (page));
  gtk_text_buffer_set_text (buffer, note_text, -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "dossier.add-note", NULL));

  g_assert_cmpuint (regie_store_count_pending (regie_window_get_store (window)), ==, 1);
  g_assert_cmpint (gtk_text_buffer_get_char_count (buffer), ==, 0);
  notes_list = regie_dossier_page_get_notes_list (page);
  first_row = GTK_WIDGET (gtk_list_box_get_row_at_index (notes_list, 0));
  g_assert_true (REGIE_IS_NOTE_ROW (first_row));
  g_assert_cmpstr (regie_note_row_get_text (REGIE_NOTE_ROW (first_row)), ==, note_text);
  g_assert_true (regie_note_row_get_pending (REGIE_NOTE_ROW (first_row)));

  /* The header counts the change before any sync. */
  ui_test_wait_for (sync_finished, window, "no sync running");
  {
    g_autofree char *expected = g_strdup_printf (ngettext ("%u change waiting", "%u changes waiting", 1), 1u);
    g_assert_cmpstr (regie_window_get_sync_status (window), ==, expected);
  }

  /* Clear the search for the screenshot, keeping Lina selected. */
  gtk_editable_set_text (regie_caseload_view_get_search_entry (view), "");
  g_assert_cmpstr (regie_caseload_view_get_selected_id (view), ==, regie_dossier_page_get_dossier_id (page));
  ui_test_maybe_screenshot (GTK_WIDGET (window), "dossier");

  /* Sync: the note reaches the server and is no longer pending. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  g_assert_true (regie_window_is_syncing (window));
  ui_test_wait_for (sync_finished, window, "the sync of the note");
  g_assert_cmpuint (regie_store_count_pending (regie_window_get_store (window)), ==, 0);
  g_assert_cmpstr (regie_window_get_sync_status (window), ==, C_("sync state", "Synced"));

  /* After the reload the note is still there, now sent. */
  ui_test_iterate_pending ();
  first_row = GTK_WIDGET (gtk_list_box_get_row_at_index (notes_list, 0));
  g_assert_true (REGIE_IS_NOTE_ROW (first_row));
  g_assert_cmpstr (regie_note_row_get_text (REGIE_NOTE_ROW (first_row)), ==, note_text);
  g_assert_false (regie_note_row_get_pending (REGIE_NOTE_ROW (first_row)));

  /* Sign out, lose the server, sign in again: the copy on this computer
   * opens with the same password, and a note still goes in, waiting. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL));
  g_assert_null (regie_window_get_store (window));
  regie_test_server_kill (fixture->server, TRUE);

  regie_window_sign_in (window, url, "fatima", "wrong-password");
  ui_test_wait_for (sign_in_finished, window, "the refused offline sign-in");
  g_assert_null (regie_window_get_store (window));
  g_assert_nonnull (regie_sign_in_page_get_error (regie_window_get_sign_in_page (window)));

  regie_window_sign_in (window, url, "fatima", "demo-fatima");
  ui_test_wait_for (ui_test_signed_in_and_loaded, window, "the offline sign-in");
  g_assert_cmpstr (regie_window_get_sync_status (window), ==, C_("sync state", "Offline"));
  g_assert_true (regie_caseload_view_select (view, lina_id));
  g_assert_cmpstr (regie_dossier_page_get_title (page), ==, "Lina Haddad");
  gtk_text_buffer_set_text (buffer, "Huisbezoek zonder netwerk.", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "dossier.add-note", NULL));
  g_assert_cmpuint (regie_store_count_pending (regie_window_get_store (window)), ==, 1);
  first_row = GTK_WIDGET (gtk_list_box_get_row_at_index (notes_list, 0));
  g_assert_true (regie_note_row_get_pending (REGIE_NOTE_ROW (first_row)));
}

static gboolean
window_locked (gpointer data)
{
  return regie_window_is_locked (REGIE_WINDOW (data));
}

static gboolean
window_unlocked_and_loaded (gpointer data)
{
  return !regie_window_is_locked (REGIE_WINDOW (data)) && ui_test_signed_in_and_loaded (data);
}

static gboolean
lock_page_answered (gpointer data)
{
  return regie_lock_page_get_error (REGIE_LOCK_PAGE (data)) != NULL;
}

/* A stand-in for logind on a private system bus: it owns the name and
 * announces a suspend, as logind does before the computer sleeps. */
static void
announce_suspend (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  guint32 owned = 0;

  bus = g_dbus_connection_new_for_address_sync (g_getenv ("DBUS_SYSTEM_BUS_ADDRESS"),
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, &error);
  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.login1", 0),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &owned);
  g_assert_cmpuint (owned, ==, 1);   /* DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER */
  g_assert_true (g_dbus_connection_emit_signal (bus, NULL, "/org/freedesktop/login1",
                                                "org.freedesktop.login1.Manager", "PrepareForSleep",
                                                g_variant_new ("(b)", TRUE), &error));
  g_assert_no_error (error);
  g_assert_true (g_dbus_connection_flush_sync (bus, NULL, &error));
  g_assert_no_error (error);
}

/* The copy on this computer after a full sync of the demo caseload: no
 * BSN, name or note in any file; it locks after idle time and on
 * suspend, hides the caseload while locked, refuses a wrong password and
 * comes back where it was with the right one. */
static void
test_ui_lock_and_at_rest (UiTestFixture *fixture,
                          gconstpointer  user_data)
{
  RegieWindow *window = fixture->window;
  RegieCaseloadView *view;
  RegieDossierPage *page;
  RegieLockPage *lock_page = regie_window_get_lock_page (window);
  GListModel *caseload;
  GtkTextBuffer *buffer;
  g_autoptr(GPtrArray) needles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *lina_id = NULL;
  const char *note_text = "Bespreekt schuldhulp met haar zus in Utrecht.";
  const char *draft_text = "Nog niet verstuurd: belt volgende week terug.";
  guint n_files;
  guint n_items;

  ui_test_fixture_sign_in (fixture);
  view = regie_window_get_caseload_view (window);
  page = regie_window_get_dossier_page (window);
  caseload = regie_caseload_view_get_caseload (view);
  g_assert_cmpuint (g_list_model_get_n_items (caseload), >, 100);
  n_items = g_list_model_get_n_items (caseload);


  /* What must never be readable off the disk: every BSN, V-nummer and
   * name of the caseload (long enough not to occur by chance in random
   * bytes), and a note written here. */
  for (guint i = 0; i < g_list_model_get_n_items (caseload); i++)
    {
      g_autoptr(RegieCaseloadItem) item = g_list_model_get_item (caseload, i);
      const char *family = strchr (regie_caseload_item_get_sort_name (item), ',');

      g_ptr_array_add (needles, g_strdup (regie_caseload_item_get_bsn (item)));
      if (strlen (regie_caseload_item_get_v_number (item)) >= 8)
        g_ptr_array_add (needles, g_strdup (regie_caseload_item_get_v_number (item)));
      g_ptr_array_add (needles, g_strdup (regie_caseload_item_get_full_name (item)));
      if (family != NULL && family - regie_caseload_item_get_sort_name (item) >= 7)
        g_ptr_array_add (needles, g_strndup (regie_caseload_item_get_sort_name (item),
                                             family - regie_caseload_item_get_sort_name (item)));
    }
  g_ptr_array_add (needles, g_strdup (note_text));
  g_ptr_array_add (needles, g_strdup (draft_text));

  lina_id = ui_test_find_dossier (view, "Lina Haddad");
  g_assert_true (regie_caseload_view_select (view, lina_id));
  buffer = gtk_text_view_get_buffer (regie_dossier_page_get_note_view (page));
  gtk_text_buffer_set_text (buffer, note_text, -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "dossier.add-note", NULL));
  g_assert_cmpuint (regie_store_count_pending (regie_window_get_store (window)), ==, 1);
  /* A note being written when the lock comes is not lost. */
  gtk_text_buffer_set_text (buffer, draft_text, -1);

  /* Idle time: a second without input locks it. */
  g_settings_set_uint (settings, "lock-after-idle", 1);
  ui_test_wait_for (window_locked, window, "the idle lock");
  g_assert_true (regie_store_is_locked (regie_window_get_store (window)));
  g_assert_null (regie_dossier_page_get_dossier_id (page));
  g_assert_true (regie_caseload_view_get_caseload (view) == NULL ||
                 g_list_model_get_n_items (regie_caseload_view_get_caseload (view)) == 0);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "search"));
  g_settings_set_uint (settings, "lock-after-idle", 300);
  ui_test_maybe_screenshot (GTK_WIDGET (window), "locked");

  /* Locked, every file the client wrote is read whole: none of it. */
  g_ptr_array_add (needles, NULL);
  n_files = regie_test_assert_no_plain_text (ui_test_get_home (), (const char * const *) needles->pdata);
  g_test_message ("%u files scanned for %u names, BSNs and notes", n_files, needles->len - 1);
  g_assert_cmpuint (n_files, >=, 2);

  /* A wrong password does not unlock it. */
  regie_lock_page_submit (lock_page, "demo-fatimA");
  ui_test_wait_for (lock_page_answered, lock_page, "the refused unlock");
  g_assert_true (regie_window_is_locked (window));
  g_assert_true (regie_store_is_locked (regie_window_get_store (window)));
  g_assert_cmpstr (regie_lock_page_get_error (lock_page), ==, _("The password is incorrect. Try again."));

  /* The right one brings back the caseload, the dossier and the draft. */
  regie_lock_page_submit (lock_page, "demo-fatima");
  ui_test_wait_for (window_unlocked_and_loaded, window, "the unlock");
  ui_test_iterate_pending ();
  g_assert_cmpstr (regie_dossier_page_get_dossier_id (page), ==, lina_id);
  {
    g_autofree char *text = NULL;
    GtkTextIter start, end;

    gtk_text_buffer_get_bounds (buffer, &start, &end);
    text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (text, ==, draft_text);
  }
  /* Syncing again after the unlock: the note written before it went out. */
  ui_test_wait_for (sync_finished, window, "the sync after unlocking");
  g_assert_cmpuint (regie_store_count_pending (regie_window_get_store (window)), ==, 0);

  /* The computer suspends: locked at once. */
  announce_suspend ();
  ui_test_wait_for (window_locked, window, "the lock on suspend");
  g_assert_true (regie_store_is_locked (regie_window_get_store (window)));

  /* And on request (Ctrl+L), after unlocking again. */
  regie_lock_page_submit (lock_page, "demo-fatima");
  ui_test_wait_for (window_unlocked_and_loaded, window, "the second unlock");

  /* While it syncs, the sync button stops it; the next sync completes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  g_assert_true (regie_window_is_syncing (window));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (ui_test_need (GTK_WIDGET (window), "sync-button"))),
                   ==, "win.stop-sync");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.stop-sync", NULL));
  ui_test_wait_for (sync_finished, window, "the stopped sync");
  g_assert_cmpstr (regie_window_get_sync_status (window), !=, _("Syncing…"));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (ui_test_need (GTK_WIDGET (window), "sync-button"))),
                   ==, "win.sync");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  ui_test_wait_for (sync_finished, window, "the sync after stopping");
  g_assert_cmpstr (regie_window_get_sync_status (window), ==, C_("sync state", "Synced"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.lock", NULL));
  g_assert_true (regie_window_is_locked (window));

  /* Signing out from the lock screen, then in again online: the copy
   * here is unlocked while the server checks the password. */
  g_signal_emit_by_name (lock_page, "sign-out");
  g_assert_null (regie_window_get_store (window));
  g_assert_false (regie_window_is_locked (window));
  regie_window_sign_in (window, fixture->url, "fatima", "demo-fatima");
  ui_test_wait_for (ui_test_signed_in_and_loaded, window, "the second online sign-in");
  ui_test_wait_for (sync_finished, window, "the sync after signing in again");
  g_assert_false (regie_store_is_locked (regie_window_get_store (window)));
  g_assert_cmpuint (g_list_model_get_n_items (regie_caseload_view_get_caseload (view)), ==, n_items);
  g_assert_cmpstr (regie_window_get_sync_status (window), ==, C_("sync state", "Synced"));
}

/* A private system bus for the suspend signal, before anything in this
 * process asks for the system bus. */
static GSubprocess *
start_system_bus (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *address = NULL;
  GSubprocess *daemon;

  daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             "dbus-daemon", "--session", "--nofork", "--print-address=1", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (daemon));
  address = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);
  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", address, TRUE);
  return daemon;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSubprocess) system_bus = NULL;
  int ret;

  ui_test_init (&argc, &argv, "test-ui");
  system_bus = start_system_bus ();

  g_test_add ("/ui/sign-in-search-note-sync", UiTestFixture, NULL,
              ui_test_fixture_setup, test_ui_sign_in_search_note_sync, ui_test_fixture_teardown);
  g_test_add ("/ui/lock-and-at-rest", UiTestFixture, NULL,
              ui_test_fixture_setup, test_ui_lock_and_at_rest, ui_test_fixture_teardown);

  ret = ui_test_run ();
  g_subprocess_force_exit (system_bus);
  return ret;
}

