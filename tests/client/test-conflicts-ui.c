/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieTest"

#include "config.h"

#include <string.h>

#include "regie-conflicts-window.h"
#include "regie-field-compare.h"
#include "regie-record-editor.h"

#include "client-test-util.h"
#include "ui-test-util.h"

/* The conflict queue in the window, against a real demo server: fatima's
 * laptop (a second store and sync engine) and the window both change the
 * same handhaving records; the laptop sends first, so the window's edits
 * come back as conflicts. The header and a banner say so, the Conflicts
 * window shows both versions, and Use Theirs, Keep Mine and Edit… each
 * resolve one. A note written after the dossier was reassigned is kept
 * and can be copied. And at 800 px the caseload and a dossier stay side
 * by side. With REGIE_SCREENSHOT_DIR set it saves narrow-800.png,
 * conflicts.png and conflicts-dark.png (with REGIE_SCREENSHOT_SUFFIX). */

#define N_RECORDS 3

static const char * const base_payload =
  "{\"action\":\"warning\",\"subject\":\"intake\",\"date\":\"2026-01-12\"}";
static const char * const laptop_payload =
  "{\"action\":\"warning\",\"subject\":\"intake\",\"date\":\"2026-01-12\",\"culpability\":\"verwijtbaar\"}";
static const char * const window_payload =
  "{\"action\":\"warning\",\"subject\":\"intake\",\"date\":\"2026-01-12\",\"culpability\":\"niet_verwijtbaar\"}";

static gboolean
idle_and_loaded (gpointer data)
{
  return ui_test_signed_in_and_loaded (data);
}

/* Syncs the window as the Sync button does, after any sync already
 * running (it may have started before the change to send). */
static void
window_sync (RegieWindow *window)
{
  ui_test_wait_for (idle_and_loaded, window, "the running sync to end");
  regie_window_sync (window);
  g_assert_true (regie_window_is_syncing (window));
  ui_test_wait_for (idle_and_loaded, window, "the sync to end");
}

static GtkWidget *
find_by_type (GtkWidget *root,
              GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The caseload is sorted by deadline: shown once the rules ran. */
static gboolean
evaluated (gpointer data)
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

static gboolean
narrower_than_440 (gpointer data)
{
  int width = gtk_widget_get_width (GTK_WIDGET (data));

  return width > 0 && width < 440;
}

static gboolean
width_is_800 (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) == 800;
}

static void
resize (RegieWindow *window,
        int          width,
        int          height)
{
  int default_width, default_height;

  /* The default size counts the client-side decoration's margin too. */
  gtk_window_get_default_size (GTK_WINDOW (window), &default_width, &default_height);
  gtk_window_set_default_size (GTK_WINDOW (window),
                               width + default_width - gtk_widget_get_width (GTK_WIDGET (window)),
                               height + default_height - gtk_widget_get_height (GTK_WIDGET (window)));
}

static char *
culpability_of (RegieStore *store,
                const char *dossier_id,
                const char *record_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieCase) dossier = regie_store_load_case (store, dossier_id, &error);
  GPtrArray *records;

  g_assert_no_error (error);
  records = regie_case_get_records (dossier, REGIE_RECORD_HANDHAVING);
  for (guint i = 0; i < records->len; i++)
    {
      RegieRecord *record = g_ptr_array_index (records, i);

      if (g_str_equal (regie_record_get_id (record), record_id))
        return g_strdup (regie_record_get_string (record, "culpability"));
    }
  g_error ("No handhaving record %s", record_id);
  return NULL;
}

typedef struct
{
  RegieWindow *window;
  guint        n;
} Decisions;

static gboolean
has_decisions (gpointer data)
{
  Decisions *d = data;
  RegieStore *store = regie_window_get_store (d->window);

  return !regie_window_is_syncing (d->window) && regie_conflicts_count (store) == d->n;
}

static GtkWidget *
conflicts_banner (RegieWindow *window)
{
  return ui_test_need (GTK_WIDGET (window), "conflicts-banner");
}

/* The row of the comparison for a field; fails the test if none. */
static void
compare_row (RegieFieldCompare  *compare,
             const char         *label,
             const char        **out_before,
             const char        **out_after)
{
  for (guint i = 0; i < regie_field_compare_get_n_rows (compare); i++)
    {
      const char *name;

      regie_field_compare_get_row (compare, i, &name, out_before, out_after);
      if (g_str_equal (name, label))
        return;
    }
  g_error ("No row %s in the comparison", label);
}

static void
test_conflicts (UiTestFixture *fixture,
                gconstpointer  user_data)
{
  RegieWindow *window = fixture->window;
  g_autoptr(Device) laptop = NULL;
  g_autoptr(GError) error = NULL;
  RegieConflictsWindow *conflicts;
  RegieCaseloadView *view;
  RegieDossierPage *page;
  RegieStore *store;
  char *dossiers[N_RECORDS];
  char *records[N_RECORDS];
  Decisions decisions = { window, N_RECORDS };

  ui_test_fixture_sign_in (fixture);
  ui_test_wait_for (evaluated, window, "the rules for the caseload");
  view = regie_window_get_caseload_view (window);
  page = regie_window_get_dossier_page (window);
  store = regie_window_get_store (window);

  /* 800 pixels wide: the caseload and an open dossier side by side. */
  {
    AdwLeaflet *leaflet = ADW_LEAFLET (find_by_type (GTK_WIDGET (window), ADW_TYPE_LEAFLET));
    g_autofree char *rahaf = ui_test_find_dossier (view, "Rahaf Al-Khatib");

    g_assert_true (regie_caseload_view_select (view, rahaf));
    resize (window, 800, 600);
    ui_test_wait_for (width_is_800, window, "the window to be 800 px wide");
    ui_test_iterate_pending ();
    g_assert_false (adw_leaflet_get_folded (leaflet));
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (view)));
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
    g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (view)), >=, 280);
    g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (page)), >=, 400);
    g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (view)) + gtk_widget_get_width (GTK_WIDGET (page)), <=, 800);
    regie_dossier_page_show_section (page, "pip");
    ui_test_maybe_screenshot (GTK_WIDGET (window), "narrow-800");
    regie_dossier_page_show_section (page, "person");
  }

  /* Nothing waits yet. */
  g_assert_cmpuint (regie_conflicts_count (store), ==, 0);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (conflicts_banner (window))));

  /* The laptop makes three handhaving records; the window receives them. */
  laptop = device_new (fixture->url, "fatima-laptop", "fatima");
  device_sync (laptop);
  for (guint i = 0; i < N_RECORDS; i++)
    {
      g_autoptr(RegieCaseloadItem) item = g_list_model_get_item (regie_caseload_view_get_caseload (view), i);

      dossiers[i] = g_strdup (regie_caseload_item_get_dossier_id (item));
      records[i] = regie_store_put_record (laptop->store, dossiers[i], REGIE_RECORD_HANDHAVING, NULL,
                                           base_payload, &error);
      g_assert_no_error (error);
    }
  device_sync (laptop);
  window_sync (window);

  /* Both change them; the laptop sends first. */
  for (guint i = 0; i < N_RECORDS; i++)
    {
      g_autofree char *mine = regie_store_put_record (store, dossiers[i], REGIE_RECORD_HANDHAVING, records[i],
                                                      window_payload, &error);
      g_autofree char *theirs = NULL;

      g_assert_no_error (error);
      theirs = regie_store_put_record (laptop->store, dossiers[i], REGIE_RECORD_HANDHAVING, records[i],
                                       laptop_payload, &error);
      g_assert_no_error (error);
    }
  device_sync (laptop);
  window_sync (window);
  ui_test_wait_for (has_decisions, &decisions, "three conflicts");

  /* The header and the banner say so. */
  g_assert_cmpstr (regie_window_get_sync_status (window), ==, "3 changes need your decision");
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (conflicts_banner (window))));
  g_assert_cmpuint (regie_store_count_stuck (store), ==, N_RECORDS);

  /* The Conflicts window: both values of each. */
  g_assert_null (regie_window_get_conflicts_window (window));
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-conflicts", NULL);
  conflicts = regie_window_get_conflicts_window (window);
  g_assert_nonnull (conflicts);
  ui_test_wait_for (ui_test_widget_mapped, conflicts, "the Conflicts window");
  g_assert_cmpuint (regie_conflicts_window_get_n_conflicts (conflicts), ==, N_RECORDS);
  g_assert_cmpuint (regie_conflicts_window_get_n_orphaned (conflicts), ==, 0);
  for (guint i = 0; i < N_RECORDS; i++)
    {
      RegieFieldCompare *compare = regie_conflicts_window_get_compare (conflicts, records[i]);
      const char *yours = NULL, *server = NULL;

      g_assert_nonnull (compare);
      /* Only what differs. */
      g_assert_cmpuint (regie_field_compare_get_n_rows (compare), ==, 1);
      compare_row (compare, "Culpability", &yours, &server);
      g_assert_cmpstr (yours, ==, "Not to blame");
      g_assert_cmpstr (server, ==, "To blame");
      /* The person and the kind head each card. */
      {
        GtkWidget *group = ui_test_need (GTK_WIDGET (conflicts), records[i]);

        g_assert_cmpstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group)), ==, "Handhaving");
        g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (group)), !=, "Unknown dossier");
      }
    }
  ui_test_maybe_screenshot (GTK_WIDGET (conflicts), "conflicts");
  {
    AdwStyleManager *style = adw_style_manager_get_default ();

    adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
    ui_test_maybe_screenshot (GTK_WIDGET (conflicts), "conflicts-dark");
    adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  }
  /* Narrow, the field names go above the two versions. */
  {
    RegieFieldCompare *compare = regie_conflicts_window_get_compare (conflicts, records[0]);
    int width, height;

    g_assert_false (regie_field_compare_get_stacked (compare));
    gtk_window_get_default_size (GTK_WINDOW (conflicts), &width, &height);
    gtk_window_set_default_size (GTK_WINDOW (conflicts), 400, height);
    ui_test_wait_for (narrower_than_440, compare, "the comparison to be narrow");
    ui_test_iterate_pending ();
    g_assert_true (regie_field_compare_get_stacked (compare));
    ui_test_maybe_screenshot (GTK_WIDGET (conflicts), "conflicts-narrow");
    gtk_window_set_default_size (GTK_WINDOW (conflicts), width, height);
  }

  /* Use Theirs: mine is dropped, the server's record kept; a sync runs. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (conflicts), "conflicts.use-theirs", "s", records[0]));
  g_assert_true (regie_window_is_syncing (window));
  g_assert_cmpuint (regie_conflicts_window_get_n_conflicts (conflicts), ==, 2);
  decisions.n = 2;
  ui_test_wait_for (has_decisions, &decisions, "two conflicts");
  g_assert_cmpstr (regie_window_get_sync_status (window), ==, "2 changes need your decision");
  g_assert_cmpuint (regie_store_count_stuck (store), ==, 2);
  g_assert_false (regie_store_record_is_pending (store, records[0]));
  {
    g_autofree char *culpability = culpability_of (store, dossiers[0], records[0]);

    g_assert_cmpstr (culpability, ==, "verwijtbaar");
  }

  /* Keep Mine: sent again on the server's version, and accepted. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (conflicts), "conflicts.keep-mine", "s", records[1]));
  g_assert_true (regie_window_is_syncing (window));
  g_assert_cmpuint (regie_conflicts_window_get_n_conflicts (conflicts), ==, 1);
  decisions.n = 1;
  ui_test_wait_for (has_decisions, &decisions, "one conflict");
  g_assert_cmpstr (regie_window_get_sync_status (window), ==, "1 change needs your decision");
  g_assert_false (regie_store_record_is_pending (store, records[1]));
  g_assert_cmpuint (regie_store_count_stuck (store), ==, 1);

  /* Edit…: the record's form, filled in with mine; what is sent is the
   * edited version. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (conflicts), "conflicts.edit", "s", records[2]));
  {
    RegieRecordEditor *editor = regie_conflicts_window_get_editor (conflicts);
    GtkWidget *culpability, *notes;

    g_assert_nonnull (editor);
    culpability = ui_test_need (GTK_WIDGET (editor), "editor-culpability");
    notes = ui_test_need (GTK_WIDGET (editor), "editor-culpability_notes");
    /* "Not set", then verwijtbaar, deels_verwijtbaar, niet_verwijtbaar: mine. */
    g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (culpability)), ==, 3);
    adw_combo_row_set_selected (ADW_COMBO_ROW (culpability), 2);
    gtk_editable_set_text (GTK_EDITABLE (notes), "Besproken met de coördinator.");
    /* A date the form cannot read is refused with the row marked. */
    gtk_editable_set_text (GTK_EDITABLE (ui_test_need (GTK_WIDGET (editor), "editor-date")), "31-02-2026");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (conflicts), "conflicts.save-edit", NULL));
    g_assert_cmpuint (regie_conflicts_window_get_n_conflicts (conflicts), ==, 1);
    g_assert_true (regie_conflicts_window_get_editor (conflicts) == editor);
    gtk_editable_set_text (GTK_EDITABLE (ui_test_need (GTK_WIDGET (editor), "editor-date")), "2026-01-12");
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (conflicts), "conflicts.save-edit", NULL));
  }
  g_assert_null (regie_conflicts_window_get_editor (conflicts));
  g_assert_cmpuint (regie_conflicts_window_get_n_conflicts (conflicts), ==, 0);
  decisions.n = 0;
  ui_test_wait_for (has_decisions, &decisions, "no conflicts");
  g_assert_cmpuint (regie_store_count_stuck (store), ==, 0);
  g_assert_cmpuint (regie_store_count_pending (store), ==, 0);
  g_assert_cmpstr (regie_window_get_sync_status (window), ==, "Synced");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (conflicts_banner (window))));
  /* The empty state. */
  g_assert_true (gtk_widget_get_mapped (ui_test_need (GTK_WIDGET (conflicts), "conflicts-empty")));

  /* The laptop gets what was chosen, record by record. */
  device_sync (laptop);
  {
    const char * const expected[N_RECORDS] = { "verwijtbaar", "niet_verwijtbaar", "deels_verwijtbaar" };

    for (guint i = 0; i < N_RECORDS; i++)
      {
        g_autofree char *on_laptop = culpability_of (laptop->store, dossiers[i], records[i]);
        g_autofree char *in_window = culpability_of (store, dossiers[i], records[i]);

        g_assert_cmpstr (on_laptop, ==, expected[i]);
        g_assert_cmpstr (in_window, ==, expected[i]);
        g_free (dossiers[i]);
        g_free (records[i]);
      }
  }

  /* Signing out closes it: it shows dossier data. */
  g_object_add_weak_pointer (G_OBJECT (conflicts), (gpointer *) &conflicts);
  g_action_group_activate_action (G_ACTION_GROUP (window), "sign-out", NULL);
  ui_test_iterate_pending ();
  g_assert_null (regie_window_get_conflicts_window (window));
  g_assert_null (conflicts);
}

/* Written after the dossier was reassigned, before it was sent: kept,
 * listed with the reason, and copied to the clipboard. */
static void
test_orphaned (UiTestFixture *fixture,
               gconstpointer  user_data)
{
  RegieWindow *window = fixture->window;
  g_autoptr(Device) ingrid = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tesfay = NULL;
  g_autofree char *note_id = NULL;
  g_autofree char *assignment = NULL;
  g_autofree char *copied = NULL;
  RegieConflictsWindow *conflicts;
  RegieStore *store;
  Decisions decisions = { window, 1 };
  const char *text = "Tolk geregeld voor het voortgangsgesprek van 3 maart.";

  ui_test_fixture_sign_in (fixture);
  store = regie_window_get_store (window);
  tesfay = ui_test_find_dossier (regie_window_get_caseload_view (window), "Tesfay Gebremedhin");

  /* The coordinator hands Tesfay to joost. */
  ingrid = device_new (fixture->url, "ingrid-desk", "ingrid");
  device_sync (ingrid);
  {
    g_autoptr(RegieCase) dossier = regie_store_load_case (ingrid->store, tesfay, &error);
    RegieRecord *record;

    g_assert_no_error (error);
    record = regie_case_get_first (dossier, REGIE_RECORD_ASSIGNMENT);
    assignment = regie_store_put_record (ingrid->store, tesfay, REGIE_RECORD_ASSIGNMENT, regie_record_get_id (record),
                                         "{\"team\":\"team-noord\",\"klantmanager\":\"joost\"}", &error);
    g_assert_no_error (error);
  }
  device_sync (ingrid);

  /* Fatima, not knowing yet, writes a note. */
  ui_test_wait_for (idle_and_loaded, window, "the first sync to end");
  note_id = regie_store_add_note (store, tesfay, "fatima", text, &error);
  g_assert_no_error (error);
  window_sync (window);
  ui_test_wait_for (has_decisions, &decisions, "one orphaned edit");
  g_assert_cmpstr (regie_window_get_sync_status (window), ==, "1 change needs your decision");

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-conflicts", NULL);
  conflicts = regie_window_get_conflicts_window (window);
  ui_test_wait_for (ui_test_widget_mapped, conflicts, "the Conflicts window");
  g_assert_cmpuint (regie_conflicts_window_get_n_conflicts (conflicts), ==, 0);
  g_assert_cmpuint (regie_conflicts_window_get_n_orphaned (conflicts), ==, 1);
  {
    GtkWidget *group = ui_test_need (GTK_WIDGET (conflicts), note_id);

    g_assert_cmpstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group)), ==, "Note");
    g_assert_false (gtk_widget_get_visible (ui_test_need (GTK_WIDGET (conflicts), "conflicts-section")));
  }
  ui_test_maybe_screenshot (GTK_WIDGET (conflicts), "orphaned");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (conflicts), "conflicts.copy-orphaned", "s", note_id));
  {
    GdkContentProvider *content = gdk_clipboard_get_content (gtk_widget_get_clipboard (GTK_WIDGET (conflicts)));
    GValue value = G_VALUE_INIT;

    g_assert_nonnull (content);
    g_value_init (&value, G_TYPE_STRING);
    g_assert_true (gdk_content_provider_get_value (content, &value, &error));
    g_assert_no_error (error);
    copied = g_value_dup_string (&value);
    g_value_unset (&value);
  }
  g_assert_cmpstr (copied, ==, text);

  /* Kept, not sent, through another sync. */
  window_sync (window);
  g_assert_cmpuint (regie_conflicts_count (store), ==, 1);
  g_assert_cmpuint (regie_conflicts_window_get_n_orphaned (conflicts), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  ui_test_init (&argc, &argv, "test-conflicts-ui");

  g_test_add ("/conflicts-ui/mine-theirs-edit-narrow", UiTestFixture, NULL,
              ui_test_fixture_setup, test_conflicts, ui_test_fixture_teardown);
  g_test_add ("/conflicts-ui/orphaned", UiTestFixture, NULL,
              ui_test_fixture_setup, test_orphaned, ui_test_fixture_teardown);

  return ui_test_run ();
}
