/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieTest"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "ui-test-util.h"

static char *test_home;

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

void
ui_test_init (int          *argc,
              char       ***argv,
              const char   *name)
{
  const char *localedir = g_getenv ("REGIE_LOCALEDIR");
  g_autofree char *template = g_strdup_printf ("regie-%s-XXXXXX", name);

  g_assert_null (test_home);

  /* A private home for the local store and caches. Not
   * G_TEST_OPTION_ISOLATE_DIRS: that also hides XDG_DATA_DIRS, and with it
   * the MIME database GdkPixbuf needs to load the SVG app icon. */
  test_home = g_dir_make_tmp (template, NULL);
  g_assert_nonnull (test_home);
  for (guint i = 0; i < G_N_ELEMENTS (xdg_vars); i++)
    {
      g_autofree char *dir = g_build_filename (test_home, xdg_vars[i].subdir, NULL);

      g_mkdir_with_parents (dir, 0700);
      g_setenv (xdg_vars[i].name, dir, TRUE);
    }

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (argc, argv, NULL);
  gtk_init ();
  adw_init ();
}

const char *
ui_test_get_home (void)
{
  g_assert_nonnull (test_home);
  return test_home;
}

int
ui_test_run (void)
{
  int ret;

  g_assert_nonnull (test_home);

  ret = g_test_run ();
  remove_tree (test_home);
  g_clear_pointer (&test_home, g_free);

  return ret;
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Every step that can make the condition true wakes the context (network
 * replies, signals, idles), so no polling sleeps. */
void
ui_test_wait_for (UiTestCondition  condition,
                  gpointer         data,
                  const char      *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (UI_TEST_WAIT_TIMEOUT_SECONDS, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (timed_out)
    g_error ("Timed out after %d s waiting for %s", UI_TEST_WAIT_TIMEOUT_SECONDS, what);

  g_source_remove (id);
}

void
ui_test_iterate_pending (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

gboolean
ui_test_widget_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (GTK_WIDGET (widget));
}

gboolean
ui_test_signed_in_and_loaded (gpointer data)
{
  RegieWindow *window = data;
  RegieCaseloadView *view = regie_window_get_caseload_view (window);

  return regie_window_get_store (window) != NULL &&
         !regie_window_is_syncing (window) &&
         g_list_model_get_n_items (regie_caseload_view_get_caseload (view)) > 0;
}

gboolean
ui_test_caseload_evaluated (gpointer data)
{
  RegieWindow *window = data;
  GListModel *caseload = regie_caseload_view_get_caseload (regie_window_get_caseload_view (window));
  RegieCaseloadSummaries *summaries = regie_window_get_summaries (window);

  if (!ui_test_signed_in_and_loaded (window) || !regie_caseload_summaries_is_ready (summaries))
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (caseload); i++)
    {
      g_autoptr(RegieCaseloadItem) item = g_list_model_get_item (caseload, i);

      if (regie_caseload_summaries_lookup (summaries, regie_caseload_item_get_dossier_id (item)) == NULL)
        return FALSE;
    }
  return TRUE;
}

void
ui_test_fixture_setup (UiTestFixture *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->server = regie_test_server_start (NULL, (const char *[]) { "--demo", NULL }, &error);
  g_assert_no_error (error);
  fixture->url = g_strdup (regie_test_server_get_url (fixture->server));

  fixture->app = regie_application_new (G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (fixture->app), NULL, &error);
  g_assert_no_error (error);

  fixture->window = regie_window_new (fixture->app);
  gtk_window_present (GTK_WINDOW (fixture->window));
  ui_test_wait_for (ui_test_widget_mapped, fixture->window, "the window to appear");
}

void
ui_test_fixture_teardown (UiTestFixture *fixture,
                          gconstpointer  user_data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  ui_test_iterate_pending ();

  g_clear_object (&fixture->app);
  g_clear_pointer (&fixture->server, regie_test_server_free);
  g_clear_pointer (&fixture->url, g_free);
}

void
ui_test_fixture_sign_in (UiTestFixture *fixture)
{
  regie_window_sign_in (fixture->window, fixture->url, "fatima", "demo-fatima");
  ui_test_wait_for (ui_test_signed_in_and_loaded, fixture->window, "sign-in and the first sync");
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

void
ui_test_maybe_screenshot (GtkWidget  *window,
                          const char *name)
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
  clock = gtk_widget_get_frame_clock (window);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &frames);
  gdk_frame_clock_begin_updating (clock);
  ui_test_wait_for (frames_done, &frames, "frames to paint");
  gdk_frame_clock_end_updating (clock);
  g_signal_handler_disconnect (clock, handler);

  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
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

GtkWidget *
ui_test_find_named (GtkWidget  *root,
                    const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_test_find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
ui_test_need (GtkWidget  *root,
              const char *name)
{
  GtkWidget *widget = ui_test_find_named (root, name);

  if (widget == NULL)
    g_error ("No widget named %s", name);
  return widget;
}

char *
ui_test_find_dossier (RegieCaseloadView *view,
                      const char        *full_name)
{
  GListModel *caseload = regie_caseload_view_get_caseload (view);

  for (guint i = 0; i < g_list_model_get_n_items (caseload); i++)
    {
      g_autoptr(RegieCaseloadItem) item = g_list_model_get_item (caseload, i);

      if (g_str_equal (regie_caseload_item_get_full_name (item), full_name))
        return g_strdup (regie_caseload_item_get_dossier_id (item));
    }
  g_error ("No dossier for %s", full_name);
  return NULL;
}

AdwMessageDialog *
ui_test_find_message_dialog (GtkWindow *parent)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data) &&
        gtk_window_get_transient_for (l->data) == parent)
      return l->data;
  return NULL;
}
