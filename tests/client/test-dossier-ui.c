/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieTest"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "regie-rule-labels.h"
#include "regie-rules-panel.h"
#include "regie-sync.h"
#include "regie-ui-util.h"
#include "ui-test-util.h"

/* The dossier page as a caseworker uses it, against a real demo server:
 * the rules panel on a persona dossier, the brede intake, the PIP editor's
 * live DUO validation and issuing a version, lesson hours and a progress
 * talk — the edits with the server gone. With REGIE_SCREENSHOT_DIR set it
 * saves dossier-rules.png, dossier-rules-short.png, intake.png,
 * pip-editor.png, progress.png, talks.png, signals.png and notes.png (with
 * the suffix REGIE_SCREENSHOT_SUFFIX). */

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
  GtkWidget *button = ui_test_need (root, name);

  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
set_text (GtkWidget  *root,
          const char *name,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (ui_test_need (root, name)), text);
}

/* Scrolls the visible section so `name` is on screen, for screenshots. */
static void
scroll_to (GtkWidget  *root,
           const char *name)
{
  GtkWidget *widget = ui_test_need (root, name);
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  GtkWidget *content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  graphene_point_t point;

  ui_test_iterate_pending ();
  g_assert_true (gtk_widget_compute_point (widget, content, &GRAPHENE_POINT_INIT (0, 0), &point));
  gtk_adjustment_set_value (adjustment, point.y - 12);
}

static gboolean
show_all_offered (gpointer data)
{
  return regie_rules_panel_get_show_all_visible (REGIE_RULES_PANEL (data));
}

static gboolean
page_height_is (gpointer data)
{
  RegieDossierPage *page = data;
  int wanted = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (page), "wanted-height"));

  return gtk_widget_get_height (GTK_WIDGET (page)) == wanted;
}

/* Resizes the window so that the dossier page is `height` pixels high. */
static void
resize_page (RegieWindow      *window,
             RegieDossierPage *page,
             int               height)
{
  int width, default_height;

  gtk_window_get_default_size (GTK_WINDOW (window), &width, &default_height);
  gtk_window_set_default_size (GTK_WINDOW (window), width,
                               default_height + height - gtk_widget_get_height (GTK_WIDGET (page)));
  g_object_set_data (G_OBJECT (page), "wanted-height", GINT_TO_POINTER (height));
  ui_test_wait_for (page_height_is, page, "the dossier page to be resized");
  ui_test_iterate_pending ();
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_dossier_rules_intake_pip_progress (UiTestFixture *fixture,
                                        gconstpointer  user_data)
{
  RegieWindow *window = fixture->window;
  g_autofree char *rahaf = NULL;
  g_autofree char *tesfay = NULL;
  RegieCaseloadView *view;
  RegieDossierPage *page;
  GtkWidget *root;
  RegieRulesPanel *panel;
  RegieStore *store;
  guint pending;
  gint64 version;
  GtkWidget *issue, *label, *reading;
  guint reading_level;

  ui_test_fixture_sign_in (fixture);
  ui_test_wait_for (ui_test_caseload_evaluated, window, "the rules for the caseload");

  view = regie_window_get_caseload_view (window);
  page = regie_window_get_dossier_page (window);
  root = GTK_WIDGET (page);
  panel = regie_dossier_page_get_rules_panel (page);
  store = regie_window_get_store (window);
  rahaf = ui_test_find_dossier (view, "Rahaf Al-Khatib");
  tesfay = ui_test_find_dossier (view, "Tesfay Gebremedhin");

  /* Rahaf's ontzorgen is in trouble: the rules panel says so, from the
   * same engine as the server, before anyone asks. */
  g_assert_true (regie_caseload_view_select (view, rahaf));
  g_assert_true (regie_rules_panel_has_code (panel, "leefgeld_low"));
  g_assert_true (regie_rules_panel_has_code (panel, "toeslag_late"));
  g_assert_true (regie_rules_panel_has_code (panel, "term_end"));
  g_assert_nonnull (ui_test_find_named (GTK_WIDGET (panel), "leefgeld_low"));
  g_assert_nonnull (ui_test_find_named (GTK_WIDGET (panel), "toeslag_late"));
  regie_dossier_page_show_section (page, "ontzorgen");
  ui_test_maybe_screenshot (GTK_WIDGET (window), "dossier-rules");

  /* Rahaf has more to say than fits above the sections at 1280 × 800:
   * every deadline and her first signals, and Show All for the rest. */
  ui_test_iterate_pending ();
  g_assert_cmpint (regie_rules_panel_get_form (panel), ==, REGIE_RULES_PANEL_FIRST_ROWS);
  ui_test_wait_for (show_all_offered, panel, "Show All");
  {
    GtkWidget *sections = gtk_widget_get_parent (ui_test_need (root, "ontzorgen-chart"));
    int page_height = gtk_widget_get_height (root);
    GtkWidget *show_all = ui_test_need (GTK_WIDGET (panel), "rules-show-all");
    GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (show_all));

    /* In a short window, a line for the most urgent deadline and one for
     * the most serious finding; the sections keep most of the height. */
    resize_page (window, page, 540);
    g_assert_cmpint (regie_rules_panel_get_form (panel), ==, REGIE_RULES_PANEL_SUMMARY);
    g_assert_true (gtk_widget_get_mapped (ui_test_need (GTK_WIDGET (panel), "compact-deadline")));
    g_assert_true (gtk_widget_get_mapped (ui_test_need (GTK_WIDGET (panel), "compact-attention")));
    g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (panel)), <, 540 / 4);
    g_assert_true (gtk_widget_get_mapped (sections));
    ui_test_wait_for (show_all_offered, panel, "Show All");
    ui_test_maybe_screenshot (GTK_WIDGET (window), "dossier-rules-short");

    /* Show All lists all of it. */
    gtk_menu_button_popup (GTK_MENU_BUTTON (show_all));
    ui_test_wait_for (ui_test_widget_mapped, popover, "the popover");
    g_assert_nonnull (ui_test_find_named (GTK_WIDGET (popover), "leefgeld_low"));
    g_assert_nonnull (ui_test_find_named (GTK_WIDGET (popover), "toeslag_late"));
    g_assert_nonnull (ui_test_find_named (GTK_WIDGET (popover), "term_end"));
    ui_test_maybe_screenshot (GTK_WIDGET (popover), "dossier-rules-all");
    gtk_menu_button_popdown (GTK_MENU_BUTTON (show_all));

    /* And everything again with room for it. */
    resize_page (window, page, page_height);
    g_assert_cmpint (regie_rules_panel_get_form (panel), !=, REGIE_RULES_PANEL_SUMMARY);
  }

  /* From here on there is no server: a home visit. */
  regie_test_server_kill (fixture->server, TRUE);

  /* Brede intake, part 1: a wrong date is refused inline and saves nothing. */
  regie_dossier_page_show_section (page, "intake");
  pending = regie_store_count_pending (store);
  set_text (root, "intake-lb-date", "31-02-2026");
  set_text (root, "intake-lb-score", "612");
  click (root, "intake-lb-save");
  g_assert_true (gtk_widget_has_css_class (ui_test_need (root, "intake-lb-date"), "error"));
  g_assert_cmpuint (regie_store_count_pending (store), ==, pending);

  set_text (root, "intake-lb-date", "02-03-2026");
  click (root, "intake-lb-save");
  g_assert_false (gtk_widget_has_css_class (ui_test_need (root, "intake-lb-date"), "error"));

  /* The date row's calendar opens at the date in the field, and a day
   * picked there goes into the field. */
  {
    GtkWidget *row = ui_test_need (root, "intake-lb-date");
    GtkMenuButton *button = GTK_MENU_BUTTON (find_descendant (row, GTK_TYPE_MENU_BUTTON));
    GtkCalendar *calendar;
    g_autoptr(GDateTime) shown = NULL;
    g_autoptr(GDateTime) pick = g_date_time_new_local (2026, 3, 5, 12, 0, 0);
    GDate typed;

    gtk_menu_button_popup (button);
    ui_test_wait_for (ui_test_widget_mapped, gtk_menu_button_get_popover (button), "the calendar");
    calendar = GTK_CALENDAR (gtk_popover_get_child (gtk_menu_button_get_popover (button)));
    shown = gtk_calendar_get_date (calendar);
    g_assert_cmpint (g_date_time_get_year (shown), ==, 2026);
    g_assert_cmpint (g_date_time_get_month (shown), ==, 3);
    g_assert_cmpint (g_date_time_get_day_of_month (shown), ==, 2);
    /* Opening it does not change the field. */
    g_assert_true (regie_ui_parse_date (gtk_editable_get_text (GTK_EDITABLE (row)), &typed));
    g_assert_cmpint (g_date_get_day (&typed), ==, 2);

    gtk_calendar_select_day (calendar, pick);
    g_assert_true (regie_ui_parse_date (gtk_editable_get_text (GTK_EDITABLE (row)), &typed));
    g_assert_cmpint (g_date_get_year (&typed), ==, 2026);
    g_assert_cmpint (g_date_get_month (&typed), ==, G_DATE_MARCH);
    g_assert_cmpint (g_date_get_day (&typed), ==, 5);
    ui_test_iterate_pending ();
  }
  g_assert_cmpuint (count_outbox (store, rahaf, REGIE_RECORD_INTAKE_LEERBAARHEID), ==, 1);
  set_text (root, "intake-circ-household", "Alleenstaande moeder van drie kinderen.");
  click (root, "intake-circ-save");
  g_assert_cmpuint (count_outbox (store, rahaf, REGIE_RECORD_INTAKE_CIRCUMSTANCES), ==, 1);
  set_text (root, "intake-health-text", "Slaapt slecht door geldzorgen.");
  click (root, "intake-health-save");
  g_assert_cmpuint (count_outbox (store, rahaf, REGIE_RECORD_INTAKE_HEALTH), ==, 1);
  g_assert_cmpuint (count_records (store, rahaf, REGIE_RECORD_INTAKE_HEALTH), ==, 1);
  g_assert_cmpuint (regie_store_count_pending (store), ==, pending + 3);
  g_assert_true (gtk_widget_get_visible (ui_test_need (root, "intake-health-caption")));
  scroll_to (root, "intake-health-caption");
  ui_test_maybe_screenshot (GTK_WIDGET (window), "intake");

  /* A new PIP for Tesfay on the Z-route: a B1 target is refused as DUO
   * would, and the button says why. */
  g_assert_true (regie_caseload_view_select (view, tesfay));
  regie_dossier_page_show_section (page, "pip");
  issue = ui_test_need (root, "pip-issue-button");
  label = ui_test_need (root, "pip-blocked-label");
  reading = ui_test_need (root, "pip-target-reading");
  version = max_pip_version (store, tesfay);
  g_assert_cmpint (version, >=, 1);
  g_assert_true (gtk_widget_is_sensitive (issue));
  reading_level = adw_combo_row_get_selected (ADW_COMBO_ROW (reading));
  g_assert_cmpuint (reading_level, <, 3);

  adw_combo_row_set_selected (ADW_COMBO_ROW (reading), 3);   /* B1 */
  g_assert_false (gtk_widget_is_sensitive (issue));
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), C_("leerroute", "Z-route")));
  g_assert_nonnull (ui_test_find_named (ui_test_need (root, "pip-findings"), "pip_b1_on_zroute"));
  scroll_to (root, "pip-afschalen-L");
  ui_test_maybe_screenshot (GTK_WIDGET (window), "pip-editor");

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
    g_assert_true (gtk_widget_has_css_class (ui_test_need (root, "lessons-hours"), "error"));
    g_assert_cmpuint (count_records (store, tesfay, REGIE_RECORD_LESSON_HOURS), ==, lessons);

    set_text (root, "lessons-hours", "24");
    click (root, "lessons-add");
    g_assert_cmpuint (count_records (store, tesfay, REGIE_RECORD_LESSON_HOURS), ==, lessons + 1);
    g_assert_cmpuint (count_outbox (store, tesfay, REGIE_RECORD_LESSON_HOURS), ==, 1);
  }
  ui_test_maybe_screenshot (GTK_WIDGET (window), "progress");

  regie_dossier_page_show_section (page, "talks");
  {
    guint talks = count_records (store, tesfay, REGIE_RECORD_PROGRESS_TALK);

    set_text (root, "talk-language", "Oefent elke dag met de buurvrouw.");
    set_text (root, "talk-income", "Rondkomen lukt.");
    click (root, "talk-add");
    g_assert_cmpuint (count_records (store, tesfay, REGIE_RECORD_PROGRESS_TALK), ==, talks + 1);
    g_assert_cmpuint (count_outbox (store, tesfay, REGIE_RECORD_PROGRESS_TALK), ==, 1);
  }
  ui_test_maybe_screenshot (GTK_WIDGET (window), "talks");

  /* The other sections, for the screenshots: Rahaf's signals and notes. */
  g_assert_true (regie_caseload_view_select (view, rahaf));
  regie_dossier_page_show_section (page, "signals");
  ui_test_maybe_screenshot (GTK_WIDGET (window), "signals");
  regie_dossier_page_show_section (page, "notes");
  ui_test_maybe_screenshot (GTK_WIDGET (window), "notes");
}

/* Every code of the engine has its own translated label. */
static void
test_rule_labels_complete (void)
{
  const char * const *codes = regie_rules_all_codes ();

  for (guint i = 0; codes[i] != NULL; i++)
    g_assert_cmpstr (regie_rule_label (codes[i]), !=, codes[i]);
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv, "test-dossier-ui");

  g_test_add_func ("/dossier-ui/rule-labels", test_rule_labels_complete);
  g_test_add ("/dossier-ui/rules-intake-pip-progress", UiTestFixture, NULL,
              ui_test_fixture_setup, test_dossier_rules_intake_pip_progress, ui_test_fixture_teardown);

  return ui_test_run ();
}
