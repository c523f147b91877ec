/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieTest"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "regie-application.h"
#include "regie-rule-labels.h"
#include "regie-rules-panel.h"
#include "regie-sync.h"
#include "regie-test-server.h"
#include "regie-window-private.h"

/* The dossier page as a caseworker uses it, against a real demo server:
 * the rules panel on a persona dossier, the brede intake, the PIP editor's
 * live DUO validation and issuing a version, lesson hours and a progress
 * talk — the edits with the server gone. With REGIE_SCREENSHOT_DIR set it
 * saves dossier-rules.png, intake.png, pip-editor.png and progress.png
 * (with the suffix REGIE_SCREENSHOT_SUFFIX). */

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


static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  GtkWidget *child;

  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
need (GtkWidget  *root,
      const char *name)
{
  GtkWidget *widget = find_named (root, name);

  if (widget == NULL)
    g_error ("No widget named %s", name);
  return widget;
}

static char *
find_dossier (RegieCaseloadView *view,
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

/* Outbox rows of one kind (for one dossier). */
static guint
count_outbox (RegieStore      *store,
              const char      *dossier_id,
              RegieRecordKind  kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outbox = regie_store_read_outbox (store, 10000, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < outbox->len; i++)
    {
      RegieMutation *m = g_ptr_array_index (outbox, i);

      if (m->kind == kind && g_strcmp0 (m->dossier_id, dossier_id) == 0)
        n++;
    }
  return n;
}

static guint
count_records (RegieStore      *store,
               const char      *dossier_id,
               RegieRecordKind  kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieCase) dossier = regie_store_load_case (store, dossier_id, &error);

  g_assert_no_error (error);
  return regie_case_get_records (dossier, kind)->len;
}

static gint64
max_pip_version (RegieStore *store,
                 const char *dossier_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieCase) dossier = regie_store_load_case (store, dossier_id, &error);
  GPtrArray *pips = regie_case_get_records (dossier, REGIE_RECORD_PIP);
  gint64 version = 0;

  for (guint i = 0; i < pips->len; i++)
    version = MAX (version, regie_record_get_int (g_ptr_array_index (pips, i), "version", 0));
  return version;
}

static void
click (GtkWidget *root,
       const char *name)
{
  GtkWidget *button = need (root, name);

  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
set_text (GtkWidget  *root,
          const char *name,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (need (root, name)), text);
}

/* Scrolls the visible section so `name` is on screen, for screenshots. */
static void
scroll_to (GtkWidget  *root,
           const char *name)
{
  GtkWidget *widget = need (root, name);
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  GtkWidget *content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  graphene_point_t point;

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_true (gtk_widget_compute_point (widget, content, &GRAPHENE_POINT_INIT (0, 0), &point));
  gtk_adjustment_set_value (adjustment, point.y - 12);
}

static void
test_dossier_rules_intake_pip_progress (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieTestServer) server = NULL;
  g_autoptr(RegieApplication) app = NULL;
  g_autofree char *url = NULL;
  g_autofree char *rahaf = NULL;
  g_autofree char *tesfay = NULL;
  RegieWindow *window;
  RegieCaseloadView *view;
  RegieDossierPage *page;
  GtkWidget *root;
  RegieRulesPanel *panel;
  RegieStore *store;
  guint pending;
  gint64 version;
  GtkWidget *issue, *label, *reading;
  guint reading_level;

  server = regie_test_server_start (NULL, (const char *[]) { "--demo", NULL }, &error);
  g_assert_no_error (error);
  url = g_strdup (regie_test_server_get_url (server));

  app = regie_application_new (G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  window = regie_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (window_mapped, window, "the window to appear");

  regie_window_sign_in (window, url, "fatima", "demo-fatima");
  wait_for (signed_in_and_loaded, window, "sign-in and the first sync");

  view = regie_window_get_caseload_view (window);
  page = regie_window_get_dossier_page (window);
  root = GTK_WIDGET (page);
  panel = regie_dossier_page_get_rules_panel (page);
  store = regie_window_get_store (window);
  rahaf = find_dossier (view, "Rahaf Al-Khatib");
  tesfay = find_dossier (view, "Tesfay Gebremedhin");

  /* Rahaf's ontzorgen is in trouble: the rules panel says so, from the
   * same engine as the server, before anyone asks. */
  g_assert_true (regie_caseload_view_select (view, rahaf));
  g_assert_true (regie_rules_panel_has_code (panel, "leefgeld_low"));
  g_assert_true (regie_rules_panel_has_code (panel, "toeslag_late"));
  g_assert_true (regie_rules_panel_has_code (panel, "term_end"));
  g_assert_nonnull (find_named (GTK_WIDGET (panel), "leefgeld_low"));
  g_assert_nonnull (find_named (GTK_WIDGET (panel), "toeslag_late"));
  regie_dossier_page_show_section (page, "ontzorgen");
  maybe_screenshot (window, "dossier-rules");

  /* From here on there is no server: a home visit. */
  regie_test_server_kill (server, TRUE);

  /* Brede intake, part 1: a wrong date is refused inline and saves nothing. */
  regie_dossier_page_show_section (page, "intake");
  pending = regie_store_count_pending (store);
  set_text (root, "intake-lb-date", "31-02-2026");
  set_text (root, "intake-lb-score", "612");
  click (root, "intake-lb-save");
  g_assert_true (gtk_widget_has_css_class (need (root, "intake-lb-date"), "error"));
  g_assert_cmpuint (regie_store_count_pending (store), ==, pending);

  set_text (root, "intake-lb-date", "02-03-2026");
  click (root, "intake-lb-save");
  g_assert_false (gtk_widget_has_css_class (need (root, "intake-lb-date"), "error"));
  g_assert_cmpuint (count_outbox (store, rahaf, REGIE_RECORD_INTAKE_LEERBAARHEID), ==, 1);
  set_text (root, "intake-circ-household", "Alleenstaande moeder van drie kinderen.");
  click (root, "intake-circ-save");
  g_assert_cmpuint (count_outbox (store, rahaf, REGIE_RECORD_INTAKE_CIRCUMSTANCES), ==, 1);
  set_text (root, "intake-health-text", "Slaapt slecht door geldzorgen.");
  click (root, "intake-health-save");
  g_assert_cmpuint (count_outbox (store, rahaf, REGIE_RECORD_INTAKE_HEALTH), ==, 1);
  g_assert_cmpuint (count_records (store, rahaf, REGIE_RECORD_INTAKE_HEALTH), ==, 1);
  g_assert_cmpuint (regie_store_count_pending (store), ==, pending + 3);
  g_assert_true (gtk_widget_get_visible (need (root, "intake-health-caption")));
  scroll_to (root, "intake-health-caption");
  maybe_screenshot (window, "intake");

  /* A new PIP for Tesfay on the Z-route: a B1 target is refused as DUO
   * would, and the button says why. */
  g_assert_true (regie_caseload_view_select (view, tesfay));
  regie_dossier_page_show_section (page, "pip");
  issue = need (root, "pip-issue-button");
  label = need (root, "pip-blocked-label");
  reading = need (root, "pip-target-reading");
  version = max_pip_version (store, tesfay);
  g_assert_cmpint (version, >=, 1);
  g_assert_true (gtk_widget_is_sensitive (issue));
  reading_level = adw_combo_row_get_selected (ADW_COMBO_ROW (reading));
  g_assert_cmpuint (reading_level, <, 3);

  adw_combo_row_set_selected (ADW_COMBO_ROW (reading), 3);   /* B1 */
  g_assert_false (gtk_widget_is_sensitive (issue));
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "Z-route"));
  g_assert_nonnull (find_named (need (root, "pip-findings"), "pip_b1_on_zroute"));
  scroll_to (root, "pip-afschalen-L");
  maybe_screenshot (window, "pip-editor");

  /* Fixing it enables issuing; issuing writes version + 1, offline. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (reading), reading_level);
  g_assert_true (gtk_widget_is_sensitive (issue));
  g_assert_false (gtk_widget_get_visible (label));
  pending = count_outbox (store, tesfay, REGIE_RECORD_PIP);
  g_signal_emit_by_name (issue, "clicked");
  g_assert_cmpint (max_pip_version (store, tesfay), ==, version + 1);
  g_assert_cmpuint (count_outbox (store, tesfay, REGIE_RECORD_PIP), ==, pending + 1);

  /* Lesson hours and a progress talk, offline. */
  regie_dossier_page_show_section (page, "progress");
  {
    guint lessons = count_records (store, tesfay, REGIE_RECORD_LESSON_HOURS);

    set_text (root, "lessons-provider", "Taalhuis Demoland");
    set_text (root, "lessons-from", "2026-01-05");
    set_text (root, "lessons-to", "2026-01-30");
    set_text (root, "lessons-hours", "abc");
    click (root, "lessons-add");
    g_assert_true (gtk_widget_has_css_class (need (root, "lessons-hours"), "error"));
    g_assert_cmpuint (count_records (store, tesfay, REGIE_RECORD_LESSON_HOURS), ==, lessons);

    set_text (root, "lessons-hours", "24");
    click (root, "lessons-add");
    g_assert_cmpuint (count_records (store, tesfay, REGIE_RECORD_LESSON_HOURS), ==, lessons + 1);
    g_assert_cmpuint (count_outbox (store, tesfay, REGIE_RECORD_LESSON_HOURS), ==, 1);
  }
  maybe_screenshot (window, "progress");

  regie_dossier_page_show_section (page, "talks");
  {
    guint talks = count_records (store, tesfay, REGIE_RECORD_PROGRESS_TALK);

    set_text (root, "talk-language", "Oefent elke dag met de buurvrouw.");
    set_text (root, "talk-income", "Rondkomen lukt.");
    click (root, "talk-add");
    g_assert_cmpuint (count_records (store, tesfay, REGIE_RECORD_PROGRESS_TALK), ==, talks + 1);
    g_assert_cmpuint (count_outbox (store, tesfay, REGIE_RECORD_PROGRESS_TALK), ==, 1);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Every code of the engine has its own translated label. */
static void
test_rule_labels_complete (void)
{
  const char * const *codes = regie_rules_all_codes ();

  for (guint i = 0; codes[i] != NULL; i++)
    g_assert_cmpstr (regie_rule_label (codes[i]), !=, codes[i]);
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
  home = g_dir_make_tmp ("regie-test-dossier-ui-XXXXXX", NULL);
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

  g_test_add_func ("/dossier-ui/rule-labels", test_rule_labels_complete);
  g_test_add_func ("/dossier-ui/rules-intake-pip-progress", test_dossier_rules_intake_pip_progress);

  ret = g_test_run ();
  remove_tree (home);

  return ret;
}
