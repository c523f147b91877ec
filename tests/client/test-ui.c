/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieTest"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "regie-application.h"
#include "regie-note-row.h"
#include "regie-test-server.h"
#include "regie-window-private.h"

/* Drives the real window against a real demo server: sign in as fatima,
 * search, add a note offline-first, sync it. With REGIE_SCREENSHOT_DIR set
 * it also saves sign-in.png, caseload.png and dossier.png there (with the
 * suffix REGIE_SCREENSHOT_SUFFIX, e.g. "-nl"). */

#define WAIT_TIMEOUT_SECONDS 60

typedef gboolean (*Condition) (gpointer data);

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until condition holds; fails the test after
 * WAIT_TIMEOUT_SECONDS. Every step that can make it true wakes the
 * context (network replies, signals, idles), so no polling sleeps. */
static void
wait_for (Condition   condition,
          gpointer    data,
          const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (WAIT_TIMEOUT_SECONDS, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("Timed out after %d s waiting for %s", WAIT_TIMEOUT_SECONDS, what);

  g_source_remove (id);
}

typedef struct
{
  RegieTestServer *server;
  RegieApplication *app;
  RegieWindow     *window;
  char            *home;
} Fixture;

static gboolean
signed_in_and_loaded (gpointer data)
{
  RegieWindow *window = data;
  RegieCaseloadView *view = regie_window_get_caseload_view (window);

  return regie_window_get_store (window) != NULL &&
         !regie_window_is_syncing (window) &&
         g_list_model_get_n_items (regie_caseload_view_get_caseload (view)) > 0;
}

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

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  guint *frames = user_data;

  (*frames)++;
}

static gboolean
frames_done (gpointer data)
{
  return *(guint *) data >= 30;
}

/* Renders the window as the user sees it, once transitions have settled. */
static void
maybe_screenshot (RegieWindow *window,
                  const char  *name)
{
  const char *dir = g_getenv ("REGIE_SCREENSHOT_DIR");
  const char *suffix = g_getenv ("REGIE_SCREENSHOT_SUFFIX");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  GdkFrameClock *clock;
  guint frames = 0;
  gulong handler;
  int width, height;

  if (dir == NULL || *dir == '\0')
    return;

  /* Let animations (stack crossfade, spinner, toasts) run for a while:
   * count frames while forcing redraws. */
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &frames);
  gdk_frame_clock_begin_updating (clock);
  wait_for (frames_done, &frames, "frames to paint");
  gdk_frame_clock_end_updating (clock);
  g_signal_handler_disconnect (clock, handler);

  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  file_name = g_strdup_printf ("%s%s.png", name, suffix != NULL ? suffix : "");
  path = g_build_filename (dir, file_name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

static void
test_ui_sign_in_search_note_sync (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieTestServer) server = NULL;
  g_autoptr(RegieApplication) app = NULL;
  RegieWindow *window;
  RegieCaseloadView *view;
  RegieDossierPage *page;
  GtkSingleSelection *selection;
  GListModel *shown;
  GtkListBox *notes_list;
  GtkWidget *first_row;
  GtkTextBuffer *buffer;
  const char *personas[] = { "Tesfay Gebremedhin", "Lina Haddad", "Ayşe Demir", "Rahaf Al-Khatib" };
  g_autofree char *lina_id = NULL;
  g_autofree char *url = NULL;
  const char *note_text = "Intake gepland op dinsdag; tolk Tigrinya geregeld.";

  server = regie_test_server_start (NULL, (const char *[]) { "--demo", NULL }, &error);
  g_assert_no_error (error);
  url = g_strdup (regie_test_server_get_url (server));

  app = regie_application_new (G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  window = regie_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (window_mapped, window, "the window to appear");

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
  wait_for (sign_in_finished, window, "the refused sign-in");
  g_assert_null (regie_window_get_store (window));
  g_assert_cmpstr (regie_sign_in_page_get_error (regie_window_get_sign_in_page (window)), ==,
                   _("The user name or password is incorrect. Check both and try again."));

  regie_sign_in_page_set_error (regie_window_get_sign_in_page (window), NULL);
  regie_sign_in_page_clear_password (regie_window_get_sign_in_page (window));
  regie_sign_in_page_focus (regie_window_get_sign_in_page (window));
  maybe_screenshot (window, "sign-in");

  /* The real sign-in flow, as with the Sign In button. */
  regie_window_sign_in (window, url, "fatima", "demo-fatima");
  wait_for (signed_in_and_loaded, window, "sign-in and the first sync");

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
  maybe_screenshot (window, "caseload");

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
  wait_for (sync_finished, window, "no sync running");
  {
    g_autofree char *expected = g_strdup_printf (ngettext ("%u change waiting", "%u changes waiting", 1), 1u);
    g_assert_cmpstr (regie_window_get_sync_status (window), ==, expected);
  }

  /* Clear the search for the screenshot, keeping Lina selected. */
  gtk_editable_set_text (regie_caseload_view_get_search_entry (view), "");
  g_assert_cmpstr (regie_caseload_view_get_selected_id (view), ==, regie_dossier_page_get_dossier_id (page));
  maybe_screenshot (window, "dossier");

  /* Sync: the note reaches the server and is no longer pending. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sync", NULL));
  g_assert_true (regie_window_is_syncing (window));
  wait_for (sync_finished, window, "the sync of the note");
  g_assert_cmpuint (regie_store_count_pending (regie_window_get_store (window)), ==, 0);
  g_assert_cmpstr (regie_window_get_sync_status (window), ==, C_("sync state", "Synced"));

  /* After the reload the note is still there, now sent. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  first_row = GTK_WIDGET (gtk_list_box_get_row_at_index (notes_list, 0));
  g_assert_true (REGIE_IS_NOTE_ROW (first_row));
  g_assert_cmpstr (regie_note_row_get_text (REGIE_NOTE_ROW (first_row)), ==, note_text);
  g_assert_false (regie_note_row_get_pending (REGIE_NOTE_ROW (first_row)));

  /* Sign out, lose the server, sign in again: the copy on this computer
   * opens with the same password, and a note still goes in, waiting. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL));
  g_assert_null (regie_window_get_store (window));
  regie_test_server_kill (server, TRUE);

  regie_window_sign_in (window, url, "fatima", "wrong-password");
  wait_for (sign_in_finished, window, "the refused offline sign-in");
  g_assert_null (regie_window_get_store (window));
  g_assert_nonnull (regie_sign_in_page_get_error (regie_window_get_sign_in_page (window)));

  regie_window_sign_in (window, url, "fatima", "demo-fatima");
  wait_for (signed_in_and_loaded, window, "the offline sign-in");
  g_assert_cmpstr (regie_window_get_sync_status (window), ==, C_("sync state", "Offline"));
  g_assert_true (regie_caseload_view_select (view, lina_id));
  g_assert_cmpstr (regie_dossier_page_get_title (page), ==, "Lina Haddad");
  gtk_text_buffer_set_text (buffer, "Huisbezoek zonder netwerk.", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "dossier.add-note", NULL));
  g_assert_cmpuint (regie_store_count_pending (regie_window_get_store (window)), ==, 1);
  first_row = GTK_WIDGET (gtk_list_box_get_row_at_index (notes_list, 0));
  g_assert_true (regie_note_row_get_pending (REGIE_NOTE_ROW (first_row)));

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static const struct {
  const char *name;
  const char *subdir;
} xdg_vars[] = {
  { "HOME", "home" },
  { "XDG_DATA_HOME", "data" },
  { "XDG_CONFIG_HOME", "config" },
  { "XDG_CACHE_HOME", "cache" },
  { "XDG_STATE_HOME", "state" },
  { "XDG_RUNTIME_DIR", "runtime" },
};

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      remove_tree (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("REGIE_LOCALEDIR");
  g_autofree char *home = NULL;
  int ret;

  /* A private home for the local store and caches. Not
   * G_TEST_OPTION_ISOLATE_DIRS: that also hides XDG_DATA_DIRS, and with it
   * the MIME database GdkPixbuf needs to load the SVG app icon. */
  home = g_dir_make_tmp ("regie-test-ui-XXXXXX", NULL);
  g_assert_nonnull (home);
  for (guint i = 0; i < G_N_ELEMENTS (xdg_vars); i++)
    {
      g_autofree char *dir = g_build_filename (home, xdg_vars[i].subdir, NULL);

      g_mkdir_with_parents (dir, 0700);
      g_setenv (xdg_vars[i].name, dir, TRUE);
    }

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/ui/sign-in-search-note-sync", test_ui_sign_in_search_note_sync);

  ret = g_test_run ();
  remove_tree (home);

  return ret;
}
