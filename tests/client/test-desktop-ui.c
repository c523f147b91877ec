/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieTest"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "regie-ontzorgen-chart.h"
#include "regie-preferences-window.h"
#include "ui-test-util.h"

/* The klantmanager's desktop against a real demo server: caseload filters
 * and sorting from the rules engine, My week, next/previous dossier, note
 * and PIP drafts with undo, the ontzorgen chart, the PIP letter as PDF and
 * the dark style. Assertions on text compare with the translations, so it
 * runs in any language. With REGIE_SCREENSHOT_DIR set it saves
 * caseload-filters.png, my-week.png, ontzorgen-chart.png, preferences.png,
 * and narrow.png (with the suffix REGIE_SCREENSHOT_SUFFIX; build-aux/
 * take-screenshots makes the dark ones). */

static gboolean
signed_in_and_evaluated (gpointer data)
{
  RegieWindow *window = data;
  RegieCaseloadView *view = regie_window_get_caseload_view (window);

  GListModel *caseload = regie_caseload_view_get_caseload (view);
  RegieCaseloadSummaries *summaries = regie_window_get_summaries (window);

  if (regie_window_get_store (window) == NULL || regie_window_is_syncing (window) ||
      g_list_model_get_n_items (caseload) == 0 || !regie_caseload_summaries_is_ready (summaries))
    return FALSE;

  /* Every dossier of the caseload evaluated. */
  for (guint i = 0; i < g_list_model_get_n_items (caseload); i++)
    {
      g_autoptr(RegieCaseloadItem) item = g_list_model_get_item (caseload, i);

      if (regie_caseload_summaries_lookup (summaries, regie_caseload_item_get_dossier_id (item)) == NULL)
        return FALSE;
    }
  return TRUE;
}

static RegieCaseloadItem *
shown_item (RegieCaseloadView *view,
            guint              position)
{
  return g_list_model_get_item (G_LIST_MODEL (regie_caseload_view_get_selection (view)), position);
}

static guint
n_shown (RegieCaseloadView *view)
{
  return g_list_model_get_n_items (G_LIST_MODEL (regie_caseload_view_get_selection (view)));
}

static gboolean
shows (RegieCaseloadView *view,
       const char        *dossier_id)
{
  for (guint i = 0; i < n_shown (view); i++)
    {
      g_autoptr(RegieCaseloadItem) item = shown_item (view, i);

      if (g_str_equal (regie_caseload_item_get_dossier_id (item), dossier_id))
        return TRUE;
    }
  return FALSE;
}

static char *
buffer_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
width_is_800 (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) == 800;
}

/* The literal text between the placeholders of a translated template,
 * e.g. ", below the threshold of " as piece 2 of " Lowest leefgeld %s in
 * %s, below the threshold of %s.": what a sentence made from it contains
 * in any language. */
static char *
template_piece (const char *template,
                guint       index)
{
  g_auto(GStrv) pieces = g_strsplit (template, "%s", -1);

  g_assert_cmpuint (index, <, g_strv_length (pieces));
  g_assert_cmpstr (pieces[index], !=, "");
  return g_strdup (pieces[index]);
}

static gboolean
chart_drawn (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data)) && gtk_widget_get_height (GTK_WIDGET (data)) > 0;
}

static const char *expected_dossier;

static gboolean
page_shows_expected (gpointer data)
{
  return g_strcmp0 (regie_dossier_page_get_dossier_id (REGIE_DOSSIER_PAGE (data)), expected_dossier) == 0;
}

static void
test_desktop (UiTestFixture *fixture,
              gconstpointer  user_data)
{
  RegieWindow *window = fixture->window;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *rahaf = NULL;
  g_autofree char *tesfay = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *pdf = NULL;
  RegieCaseloadView *view;
  RegieDossierPage *page;
  RegieCaseloadSummaries *summaries;
  RegieStore *store;
  GtkWidget *root;
  guint total;

  settings = g_object_ref (regie_application_get_settings (fixture->app));

  ui_test_fixture_sign_in (fixture);
  ui_test_wait_for (signed_in_and_evaluated, window, "the rules for the caseload");

  view = regie_window_get_caseload_view (window);
  page = regie_window_get_dossier_page (window);
  root = GTK_WIDGET (page);
  store = regie_window_get_store (window);
  summaries = regie_window_get_summaries (window);
  rahaf = ui_test_find_dossier (view, "Rahaf Al-Khatib");
  tesfay = ui_test_find_dossier (view, "Tesfay Gebremedhin");
  total = g_list_model_get_n_items (regie_caseload_view_get_caseload (view));
  g_assert_cmpuint (n_shown (view), ==, total);

  /* Sorted by the next deadline by default: what is due first is on top. */
  {
    GDate previous;

    g_date_clear (&previous, 1);
    for (guint i = 0; i < n_shown (view); i++)
      {
        g_autoptr(RegieCaseloadItem) item = shown_item (view, i);
        RegieCaseloadSummary *s = regie_caseload_summaries_lookup (summaries, regie_caseload_item_get_dossier_id (item));

        g_assert_nonnull (s);
        /* Dossiers without deadlines come last. */
        if (!s->has_deadline)
          {
            g_date_set_dmy (&previous, 31, G_DATE_DECEMBER, 8999);
            continue;
          }
        if (g_date_valid (&previous))
          g_assert_cmpint (g_date_compare (&previous, &s->next_deadline), <=, 0);
        previous = s->next_deadline;
      }
  }

  /* By name: family name order, as the store gives it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "caseload.sort", "s", "name"));
  {
    GListModel *caseload = regie_caseload_view_get_caseload (view);

    for (guint i = 0; i < n_shown (view); i++)
      {
        g_autoptr(RegieCaseloadItem) a = shown_item (view, i);
        g_autoptr(RegieCaseloadItem) b = g_list_model_get_item (caseload, i);

        g_assert_true (a == b);
      }
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "caseload.sort", "s", "deadline"));

  /* Filters narrow the list: Rahaf has signals (late toeslagen). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "caseload.signals-filter", NULL));
  g_assert_cmpuint (n_shown (view), <, total);
  g_assert_cmpuint (n_shown (view), >, 0);
  g_assert_true (shows (view, rahaf));
  for (guint i = 0; i < n_shown (view); i++)
    {
      g_autoptr(RegieCaseloadItem) item = shown_item (view, i);

      g_assert_cmpuint (regie_caseload_summaries_lookup (summaries, regie_caseload_item_get_dossier_id (item))->n_signals, >, 0);
    }
  /* And an asylum status holder on the B1-route: Rahaf still; not Tesfay. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "caseload.route-filter", "s", "b1"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "caseload.doelgroep-filter", "s", "asielstatushouder"));
  g_assert_true (shows (view, rahaf));
  for (guint i = 0; i < n_shown (view); i++)
    {
      g_autoptr(RegieCaseloadItem) item = shown_item (view, i);

      g_assert_cmpstr (regie_caseload_summaries_lookup (summaries, regie_caseload_item_get_dossier_id (item))->route, ==, "b1");
      g_assert_cmpstr (regie_caseload_item_get_doelgroep (item), ==, "asielstatushouder");
    }
  g_assert_true (regie_caseload_view_select (view, rahaf));
  ui_test_maybe_screenshot (GTK_WIDGET (window), "caseload-filters");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "caseload.clear-filters", NULL));
  g_assert_cmpuint (n_shown (view), ==, total);

  /* My week lists every deadline, signal and talk due within 7 days or
   * overdue; Rahaf's recent signal (the energy bill, six days ago) is
   * there, and activating it opens her dossier. */
  regie_window_show_list (window, "my-week");
  {
    GListModel *rows = regie_my_week_view_get_model (regie_window_get_my_week_view (window));
    guint found = G_MAXUINT;

    g_assert_cmpuint (g_list_model_get_n_items (rows), >, 0);
    for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
      {
        g_autoptr(RegieAgendaRow) row = g_list_model_get_item (rows, i);

        if (g_strcmp0 (regie_agenda_row_get_dossier_id (row), rahaf) == 0 && found == G_MAXUINT)
          found = i;
      }
    g_assert_cmpuint (found, !=, G_MAXUINT);
    ui_test_maybe_screenshot (GTK_WIDGET (window), "my-week");
    g_assert_true (regie_caseload_view_select (view, tesfay));
    g_signal_emit_by_name (regie_window_get_my_week_view (window), "dossier-activated", rahaf);
    g_assert_cmpstr (regie_dossier_page_get_dossier_id (page), ==, rahaf);
  }
  regie_window_show_list (window, "caseload");

  /* Rahaf's ontzorgen as a chart: months below the threshold, said in words. */
  regie_dossier_page_show_section (page, "ontzorgen");
  {
    RegieOntzorgenChart *chart = REGIE_ONTZORGEN_CHART (ui_test_need (root, "ontzorgen-chart"));

    g_assert_cmpuint (regie_ontzorgen_chart_get_n_months (chart), >, 0);
    g_autofree char *below = template_piece (_(" Lowest leefgeld %s in %s, below the threshold of %s."), 2);
    g_autofree char *late = template_piece (_(" Toeslagen late in: %s."), 0);

    g_assert_nonnull (strstr (regie_ontzorgen_chart_get_description (chart), below));
    g_assert_nonnull (strstr (regie_ontzorgen_chart_get_description (chart), late));
    g_assert_true (regie_caseload_view_select (view, rahaf));
    ui_test_wait_for (chart_drawn, chart, "the chart to be shown");
    ui_test_maybe_screenshot (GTK_WIDGET (window), "ontzorgen-chart");
  }

  /* Preferences: the style follows the choice at once. */
  {
    GtkWidget *preferences = regie_preferences_window_new (GTK_WINDOW (window), settings);
    AdwStyleManager *style = adw_style_manager_get_default ();

    gtk_window_present (GTK_WINDOW (preferences));
    ui_test_wait_for (ui_test_widget_mapped, preferences, "the preferences to appear");
    ui_test_maybe_screenshot (preferences, "preferences");
    adw_combo_row_set_selected (ADW_COMBO_ROW (ui_test_need (preferences, "style-row")), 2);
    g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_FORCE_DARK);
    g_assert_true (adw_style_manager_get_dark (style));
    gtk_window_destroy (GTK_WINDOW (preferences));

    g_settings_set_string (settings, "color-scheme", "default");
    g_assert_cmpint (adw_style_manager_get_color_scheme (style), ==, ADW_COLOR_SCHEME_DEFAULT);
  }

  /* Next and previous dossier follow the list as shown. */
  {
    g_autoptr(RegieCaseloadItem) first = shown_item (view, 0);
    g_autoptr(RegieCaseloadItem) second = shown_item (view, 1);

    g_assert_true (regie_caseload_view_select (view, regie_caseload_item_get_dossier_id (first)));
    g_action_group_activate_action (G_ACTION_GROUP (window), "next-dossier", NULL);
    g_assert_cmpstr (regie_dossier_page_get_dossier_id (page), ==, regie_caseload_item_get_dossier_id (second));
    g_action_group_activate_action (G_ACTION_GROUP (window), "previous-dossier", NULL);
    g_assert_cmpstr (regie_dossier_page_get_dossier_id (page), ==, regie_caseload_item_get_dossier_id (first));
  }

  /* A half-written note stays with its dossier; Discard Draft can be undone. */
  {
    GtkTextView *note = regie_dossier_page_get_note_view (page);
    g_autofree char *after_switch = NULL;
    g_autofree char *after_discard = NULL;
    g_autofree char *after_undo = NULL;

    g_assert_true (regie_caseload_view_select (view, rahaf));
    g_action_group_activate_action (G_ACTION_GROUP (window), "new-note", NULL);
    g_assert_true (gtk_widget_has_focus (GTK_WIDGET (note)));
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (note), "Belt terug over de energierekening.", -1);

    g_assert_true (regie_caseload_view_select (view, tesfay));
    g_assert_true (regie_caseload_view_select (view, rahaf));
    after_switch = buffer_text (note);
    g_assert_cmpstr (after_switch, ==, "Belt terug over de energierekening.");

    g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "discard-note-draft"));
    g_action_group_activate_action (G_ACTION_GROUP (window), "discard-note-draft", NULL);
    after_discard = buffer_text (note);
    g_assert_cmpstr (after_discard, ==, "");
    g_action_group_activate_action (G_ACTION_GROUP (window), "undo-discard-note-draft", NULL);
    after_undo = buffer_text (note);
    g_assert_cmpstr (after_undo, ==, "Belt terug over de energierekening.");
  }

  /* The PIP draft likewise. */
  regie_dossier_page_show_section (page, "pip");
  {
    GtkWidget *provider = ui_test_need (root, "pip-discard-button");
    GtkWidget *issue = ui_test_need (root, "pip-issue-button");
    GtkEditable *hours = GTK_EDITABLE (ui_test_need (root, "pip-hours-estimate"));
    g_autofree char *original = g_strdup (gtk_editable_get_text (hours));

    (void) provider;
    (void) issue;
    gtk_editable_set_text (hours, "1200");
    g_assert_true (gtk_widget_activate_action (root, "pip.discard-draft", NULL));
    g_assert_cmpstr (gtk_editable_get_text (hours), ==, original);
    g_assert_true (gtk_widget_activate_action (root, "pip.undo-discard-draft", NULL));
    g_assert_cmpstr (gtk_editable_get_text (hours), ==, "1200");
    /* Kept when another dossier is opened in between. */
    g_assert_true (regie_caseload_view_select (view, tesfay));
    g_assert_true (regie_caseload_view_select (view, rahaf));
    g_assert_cmpstr (gtk_editable_get_text (hours), ==, "1200");
    g_assert_true (gtk_widget_activate_action (root, "pip.discard-draft", NULL));
    g_assert_cmpstr (gtk_editable_get_text (hours), ==, original);
  }

  /* The issued PIP as the letter, saved as PDF. */
  {
    g_autoptr(RegieCase) dossier = regie_store_load_case (store, rahaf, &error);
    GPtrArray *pips;
    g_autofree char *contents = NULL;
    gsize length = 0;

    g_assert_no_error (error);
    pips = regie_case_get_records (dossier, REGIE_RECORD_PIP);
    g_assert_cmpuint (pips->len, >, 0);
    tmp = g_dir_make_tmp ("regie-letter-XXXXXX", &error);
    g_assert_no_error (error);
    pdf = g_build_filename (tmp, "pip.pdf", NULL);
    g_assert_true (gtk_widget_activate_action (root, "pip.write-letter-pdf", "(ss)",
                                               regie_record_get_id (g_ptr_array_index (pips, 0)), pdf));
    g_assert_true (g_file_get_contents (pdf, &contents, &length, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (length, >, 1000);
    g_assert_true (g_str_has_prefix (contents, "%PDF"));
    g_unlink (pdf);
    g_rmdir (tmp);
  }

  /* 800 pixels wide still shows list and dossier side by side. */
  {
    int width, height;

    /* The default size counts the client-side decoration's margin too. */
    gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
    gtk_window_set_default_size (GTK_WINDOW (window), 800 + width - gtk_widget_get_width (GTK_WIDGET (window)), height);
  }
  ui_test_wait_for (width_is_800, window, "the window to be 800 px wide");
  regie_dossier_page_show_section (page, "pip");
  ui_test_maybe_screenshot (GTK_WIDGET (window), "narrow");

  /* The open dossier is remembered for the next start. */
  {
    g_autofree char *last = g_settings_get_string (settings, "last-dossier");

    g_assert_cmpstr (last, ==, rahaf);
  }

  /* … and opened again once the next sign-in has shown the caseload. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL));
  g_assert_null (regie_dossier_page_get_dossier_id (page));
  regie_window_sign_in (window, fixture->url, "fatima", "demo-fatima");
  ui_test_wait_for (ui_test_signed_in_and_loaded, window, "signing in again");
  expected_dossier = rahaf;
  ui_test_wait_for (page_shows_expected, page, "the last dossier to open again");
  g_assert_cmpstr (regie_caseload_view_get_selected_id (view), ==, rahaf);
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv, "test-desktop-ui");

  g_test_add ("/desktop-ui/caseload-week-drafts-letter-chart-prefs", UiTestFixture, NULL,
              ui_test_fixture_setup, test_desktop, ui_test_fixture_teardown);

  return ui_test_run ();
}
