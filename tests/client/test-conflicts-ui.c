/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieTest"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "regie-conflicts-window.h"
#include "regie-field-compare.h"
#include "regie-kind-labels.h"
#include "regie-record-editor.h"

#include "client-test-util.h"
#include "ui-test-util.h"

/* The conflict queue in the window, against a real demo server: fatima's
 * laptop (a second store and sync engine) and the window both change the
 * same handhaving records; the laptop sends first, so the window's edits
 * come back as conflicts. The header and a banner say so, the Conflicts
 * window shows both versions, and Use Theirs, Keep Mine and Edit… each
 * resolve one. A note written after the dossier was reassigned is kept,
 * can be copied and, after a confirmation, discarded; so can an edit the
 * server refused, which its card explains in the user's language (the
 * server's English is kept for support). And at 800 × 600 the caseload
 * and a dossier stay side by side. With REGIE_SCREENSHOT_DIR set it saves narrow-800.png,
 * conflicts.png, conflicts-narrow.png, orphaned.png, rejected.png and
 * discard.png (with REGIE_SCREENSHOT_SUFFIX). */

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
assert_status_decisions (RegieWindow *window,
                         guint        n)
{
  g_autofree char *expected = regie_conflicts_describe_count (n);

  g_assert_cmpstr (regie_window_get_sync_status (window), ==, expected);
}

static char *
clipboard_text (GtkWidget *widget)
{
  GdkContentProvider *content = gdk_clipboard_get_content (gtk_widget_get_clipboard (widget));
  g_autoptr(GError) error = NULL;
  GValue value = G_VALUE_INIT;
  char *text;

  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, &error));
  g_assert_no_error (error);
  text = g_value_dup_string (&value);
  g_value_unset (&value);
  return text;
}

static gboolean
dialog_gone (gpointer data)
{
  return ui_test_find_message_dialog (GTK_WINDOW (data)) == NULL;
}

/* The dialog's button with this label. */
static GtkWidget *
response_button (GtkWidget  *root,
                 const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = response_button (child, label);

      if (found != NULL)
        return found;
    }
  if (gtk_widget_get_parent (root) == NULL)
    g_error ("No button %s", label);
  return NULL;
}

/* Discard… on the card of record_id: the confirmation says what goes and
 * that it was never sent, with Discard as the destructive response;
 * answers it with `response`. */
static void
discard (RegieConflictsWindow *conflicts,
         const char           *record_id,
         const char           *response,
         const char           *screenshot)
{
  AdwMessageDialog *dialog;

  g_assert_null (ui_test_find_message_dialog (GTK_WINDOW (conflicts)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (conflicts), "conflicts.discard", "s", record_id));
  dialog = ui_test_find_message_dialog (GTK_WINDOW (conflicts));
  g_assert_nonnull (dialog);
  ui_test_wait_for (ui_test_widget_mapped, dialog, "the confirmation");

  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, _("Discard This Edit?"));
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==,
                   _("The edit is removed from this computer. It was never sent to the "
                     "server, so no copy of it is left anywhere."));
  g_assert_true (adw_message_dialog_has_response (dialog, "discard"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "discard"), ==, ADW_RESPONSE_DESTRUCTIVE);
  /* Enter does not discard. */
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  if (screenshot != NULL)
    ui_test_maybe_screenshot (GTK_WIDGET (dialog), screenshot);

  /* Clicked as the user would. */
  g_signal_emit_by_name (response_button (GTK_WIDGET (dialog), adw_message_dialog_get_response_label (dialog, response)),
                         "clicked");
  ui_test_wait_for (dialog_gone, conflicts, "the confirmation to close");
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
  ui_test_wait_for (ui_test_caseload_evaluated, window, "the rules for the caseload");
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
  assert_status_decisions (window, 3);
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
      compare_row (compare, regie_kind_member_label (REGIE_RECORD_HANDHAVING, "culpability"), &yours, &server);
      g_assert_cmpstr (yours, ==, regie_kind_value_label (REGIE_RECORD_HANDHAVING, "culpability", "niet_verwijtbaar"));
      g_assert_cmpstr (server, ==, regie_kind_value_label (REGIE_RECORD_HANDHAVING, "culpability", "verwijtbaar"));
      /* The person and the kind head each card. */
      {
        GtkWidget *group = ui_test_need (GTK_WIDGET (conflicts), records[i]);

        g_assert_cmpstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group)), ==,
                         regie_kind_label (REGIE_RECORD_HANDHAVING));
        g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (group)), !=, _("Unknown dossier"));
      }
    }
  ui_test_maybe_screenshot (GTK_WIDGET (conflicts), "conflicts");
  /* Narrow, the field names go above the two versions. */
  {
    RegieFieldCompare *compare = regie_conflicts_window_get_compare (conflicts, records[0]);
    const char * const choices[] = { "keep-mine", "use-theirs", "edit" };
    int width, height;

    g_assert_false (regie_field_compare_get_stacked (compare));
    gtk_window_get_default_size (GTK_WINDOW (conflicts), &width, &height);
    gtk_window_set_default_size (GTK_WINDOW (conflicts), 400, height);
    ui_test_wait_for (narrower_than_440, compare, "the comparison to be narrow");
    ui_test_iterate_pending ();
    g_assert_true (regie_field_compare_get_stacked (compare));
    /* Every choice stays in sight, however its buttons wrap. */
    for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
      {
        GtkWidget *button = ui_test_need (ui_test_need (GTK_WIDGET (conflicts), records[0]), choices[i]);
        graphene_rect_t bounds;

        g_assert_true (gtk_widget_get_mapped (button));
        g_assert_true (gtk_widget_compute_bounds (button, GTK_WIDGET (conflicts), &bounds));
        g_assert_cmpfloat (bounds.origin.x, >=, 0);
        g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (GTK_WIDGET (conflicts)));
      }
    ui_test_maybe_screenshot (GTK_WIDGET (conflicts), "conflicts-narrow");
    gtk_window_set_default_size (GTK_WINDOW (conflicts), width, height);
  }

  /* Use Theirs: mine is dropped, the server's record kept; a sync runs. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (conflicts), "conflicts.use-theirs", "s", records[0]));
  g_assert_true (regie_window_is_syncing (window));
  g_assert_cmpuint (regie_conflicts_window_get_n_conflicts (conflicts), ==, 2);
  decisions.n = 2;
  ui_test_wait_for (has_decisions, &decisions, "two conflicts");
  assert_status_decisions (window, 2);
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
  assert_status_decisions (window, 1);
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
  g_assert_cmpstr (regie_window_get_sync_status (window), ==, C_("sync state", "Synced"));
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
  guint pending;
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
  assert_status_decisions (window, 1);

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-conflicts", NULL);
  conflicts = regie_window_get_conflicts_window (window);
  ui_test_wait_for (ui_test_widget_mapped, conflicts, "the Conflicts window");
  g_assert_cmpuint (regie_conflicts_window_get_n_conflicts (conflicts), ==, 0);
  g_assert_cmpuint (regie_conflicts_window_get_n_orphaned (conflicts), ==, 1);
  {
    GtkWidget *group = ui_test_need (GTK_WIDGET (conflicts), note_id);

    g_assert_cmpstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group)), ==,
                     regie_kind_label (REGIE_RECORD_NOTE));
    /* Named, although the person left with the dossier. */
    g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (group)), ==, "Tesfay Gebremedhin");
    g_assert_false (gtk_widget_get_visible (ui_test_need (GTK_WIDGET (conflicts), "conflicts-section")));
  }
  ui_test_maybe_screenshot (GTK_WIDGET (conflicts), "orphaned");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (conflicts), "conflicts.copy-text", "s", note_id));
  copied = clipboard_text (GTK_WIDGET (conflicts));
  g_assert_cmpstr (copied, ==, text);

  /* Kept, not sent, through another sync. */
  window_sync (window);
  g_assert_cmpuint (regie_conflicts_count (store), ==, 1);
  g_assert_cmpuint (regie_conflicts_window_get_n_orphaned (conflicts), ==, 1);

  /* Discard… asks first; Cancel keeps it. */
  pending = regie_store_count_pending (store);
  discard (conflicts, note_id, "cancel", NULL);
  g_assert_cmpuint (regie_conflicts_window_get_n_orphaned (conflicts), ==, 1);
  g_assert_cmpuint (regie_store_count_stuck (store), ==, 1);

  /* Discard removes it for good: from the store, the window, the header
   * and the banner. */
  discard (conflicts, note_id, "discard", "discard");
  g_assert_cmpuint (regie_conflicts_window_get_n_orphaned (conflicts), ==, 0);
  g_assert_cmpuint (regie_store_count_stuck (store), ==, 0);
  g_assert_cmpuint (regie_store_count_pending (store), ==, pending - 1);
  g_assert_cmpuint (regie_conflicts_count (store), ==, 0);
  {
    g_autoptr(GPtrArray) orphaned = regie_store_list_orphaned (store, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (orphaned->len, ==, 0);
  }
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (conflicts_banner (window))));
  g_assert_false (gtk_widget_get_visible (ui_test_need (GTK_WIDGET (conflicts), "orphaned-section")));
  g_assert_true (gtk_widget_get_mapped (ui_test_need (GTK_WIDGET (conflicts), "conflicts-empty")));
  decisions.n = 0;
  ui_test_wait_for (has_decisions, &decisions, "no decisions");
  g_assert_cmpstr (regie_window_get_sync_status (window), ==, C_("sync state", "Synced"));
}

/* The card explains a refused edit in the user's language: `expected`
 * is made from the string the window marks for translation, so the test
 * passes in any language. */
static void
assert_explanation (GtkWidget  *group,
                    const char *expected)
{
  GtkWidget *explanation = ui_test_need (group, "rejected-explanation");

  g_assert_true (gtk_widget_get_mapped (explanation));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (explanation)), ==, expected);
}

/* The server's own message is there for support, folded away under a
 * row that names it; unfolded it shows the reason the store kept,
 * selectable. Leaves it folded as it was. */
static void
assert_server_message (RegieStore *store,
                       GtkWidget  *group,
                       const char *record_id,
                       gboolean    leave_expanded)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rejected = regie_store_list_rejected (store, &error);
  GtkWidget *details = ui_test_need (group, "rejected-details");
  GtkWidget *reason = ui_test_need (group, "rejected-reason");
  GtkWidget *explanation = ui_test_need (group, "rejected-explanation");
  const char *server_text = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < rejected->len; i++)
    {
      RegieConflict *edit = g_ptr_array_index (rejected, i);

      if (g_str_equal (edit->record_id, record_id))
        server_text = edit->reason;
    }
  g_assert_nonnull (server_text);

  /* Not the server's words up front. */
  g_assert_null (strstr (gtk_label_get_text (GTK_LABEL (explanation)), server_text));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (details)), ==, _("Message from the Server"));
  g_assert_false (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (details)));
  g_assert_false (gtk_widget_get_mapped (reason));

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (details), TRUE);
  ui_test_wait_for (ui_test_widget_mapped, reason, "the server's message to unfold");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (reason)), ==, server_text);
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (reason)));
  if (!leave_expanded)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (details), FALSE);
}

/* The widget inside card that has the keyboard focus, or NULL. */
static GtkWidget *
focus_in (RegieConflictsWindow *conflicts,
          GtkWidget            *card)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (conflicts));

  return focus != NULL && gtk_widget_is_ancestor (focus, card) ? focus : NULL;
}

/* Tab alone reaches everything on a refused edit's card: its text (to
 * select), the server's message and both buttons; and the buttons say
 * what they act on to a screen reader. */
static void
assert_keyboard_reaches (RegieConflictsWindow *conflicts,
                         const char           *record_id)
{
  GtkWidget *card = ui_test_need (GTK_WIDGET (conflicts), record_id);
  GtkWidget *details = ui_test_need (card, "rejected-details");
  gboolean text = FALSE, message = FALSE, copy = FALSE, discard_button = FALSE;

  /* The window starts on the card's first button. */
  g_assert_true (gtk_root_get_focus (GTK_ROOT (conflicts)) == ui_test_need (card, "copy"));
  gtk_widget_grab_focus (GTK_WIDGET (conflicts));
  for (guint i = 0; i < 40 && !(text && message && copy && discard_button); i++)
    {
      GtkWidget *focus;

      gtk_widget_child_focus (GTK_WIDGET (conflicts), GTK_DIR_TAB_FORWARD);
      focus = focus_in (conflicts, card);
      if (focus == NULL)
        continue;
      text |= GTK_IS_LABEL (focus) && gtk_widget_has_css_class (focus, "orphaned-text");
      message |= focus == details || gtk_widget_is_ancestor (focus, details);
      copy |= g_str_equal (gtk_widget_get_name (focus), "copy");
      discard_button |= g_str_equal (gtk_widget_get_name (focus), "discard");
    }
  g_assert_true (text);
  g_assert_true (message);
  g_assert_true (copy);
  g_assert_true (discard_button);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (ui_test_need (card, "copy"))), ==, _("Copy Text"));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (ui_test_need (card, "discard"))), ==, _("Discard…"));
}

/* The first dossier of the caseload without a record of this kind. */
static char *
dossier_without (RegieWindow     *window,
                 RegieRecordKind  kind)
{
  RegieStore *store = regie_window_get_store (window);
  GListModel *caseload = regie_caseload_view_get_caseload (regie_window_get_caseload_view (window));

  for (guint i = 0; i < g_list_model_get_n_items (caseload); i++)
    {
      g_autoptr(RegieCaseloadItem) item = g_list_model_get_item (caseload, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(RegieCase) dossier = regie_store_load_case (store, regie_caseload_item_get_dossier_id (item), &error);

      g_assert_no_error (error);
      if (regie_case_get_first (dossier, kind) == NULL)
        return g_strdup (regie_caseload_item_get_dossier_id (item));
    }
  g_error ("Every dossier has a %s record", regie_record_kind_to_string (kind));
  return NULL;
}

/* Fatima's laptop and the window both record the leerbaarheidstoets of a
 * dossier that had none; the laptop sends first. A dossier has one, so
 * the server refuses the window's: it is listed with the server's reason,
 * can be copied, and once discarded the laptop's is what the window has. */
static void
test_rejected (UiTestFixture *fixture,
               gconstpointer  user_data)
{
  RegieWindow *window = fixture->window;
  g_autoptr(Device) laptop = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dossier_id = NULL;
  g_autofree char *on_laptop = NULL;
  g_autofree char *in_window = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *expected = NULL;
  RegieConflictsWindow *conflicts;
  RegieStore *store;
  Decisions decisions = { window, 1 };
  const char *laptop_payload_lb = "{\"taken_on\":\"2026-03-02\",\"outcome\":\"b1_haalbaar\",\"score\":612}";
  const char *window_payload_lb = "{\"taken_on\":\"2026-03-03\",\"outcome\":\"onbekend\",\"score\":540}";

  ui_test_fixture_sign_in (fixture);
  store = regie_window_get_store (window);
  dossier_id = dossier_without (window, REGIE_RECORD_INTAKE_LEERBAARHEID);

  laptop = device_new (fixture->url, "fatima-laptop", "fatima");
  device_sync (laptop);
  on_laptop = regie_store_put_record (laptop->store, dossier_id, REGIE_RECORD_INTAKE_LEERBAARHEID, NULL,
                                      laptop_payload_lb, &error);
  g_assert_no_error (error);
  device_sync (laptop);

  ui_test_wait_for (idle_and_loaded, window, "the first sync to end");
  in_window = regie_store_put_record (store, dossier_id, REGIE_RECORD_INTAKE_LEERBAARHEID, NULL,
                                      window_payload_lb, &error);
  g_assert_no_error (error);
  window_sync (window);
  ui_test_wait_for (has_decisions, &decisions, "one refused edit");
  assert_status_decisions (window, 1);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (conflicts_banner (window))));
  {
    g_autoptr(GPtrArray) rejected = regie_store_list_rejected (store, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (rejected->len, ==, 1);
    g_assert_cmpstr (((RegieConflict *) g_ptr_array_index (rejected, 0))->record_id, ==, in_window);
    g_assert_nonnull (((RegieConflict *) g_ptr_array_index (rejected, 0))->reason);
  }

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-conflicts", NULL);
  conflicts = regie_window_get_conflicts_window (window);
  ui_test_wait_for (ui_test_widget_mapped, conflicts, "the Conflicts window");
  g_assert_cmpuint (regie_conflicts_window_get_n_conflicts (conflicts), ==, 0);
  g_assert_cmpuint (regie_conflicts_window_get_n_orphaned (conflicts), ==, 0);
  g_assert_cmpuint (regie_conflicts_window_get_n_rejected (conflicts), ==, 1);
  g_assert_false (gtk_widget_get_visible (ui_test_need (GTK_WIDGET (conflicts), "conflicts-section")));
  g_assert_false (gtk_widget_get_visible (ui_test_need (GTK_WIDGET (conflicts), "orphaned-section")));
  g_assert_true (gtk_widget_get_mapped (ui_test_need (GTK_WIDGET (conflicts), "rejected-section")));
  {
    GtkWidget *group = ui_test_need (GTK_WIDGET (conflicts), in_window);
    g_autofree char *explanation = NULL;

    g_assert_cmpstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group)), ==,
                     regie_kind_label (REGIE_RECORD_INTAKE_LEERBAARHEID));
    g_assert_cmpstr (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (group)), !=, _("Unknown dossier"));

    /* Said in the user's words: the dossier has one already. */
    explanation = g_strdup_printf (_("This dossier already has this part (%s), and a dossier has only one, so the "
                                     "server refused yours. Compare yours with the one in the dossier, add what is "
                                     "missing there, then discard this edit."),
                                   regie_kind_label (REGIE_RECORD_INTAKE_LEERBAARHEID));
    assert_explanation (group, explanation);
    assert_server_message (store, group, in_window, FALSE);
  }
  ui_test_maybe_screenshot (GTK_WIDGET (conflicts), "rejected");
  assert_keyboard_reaches (conflicts, in_window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (conflicts), "conflicts.copy-text", "s", in_window));
  copied = clipboard_text (GTK_WIDGET (conflicts));
  expected = regie_kind_describe (REGIE_RECORD_INTAKE_LEERBAARHEID, window_payload_lb);
  g_assert_cmpstr (copied, ==, g_strstrip (expected));

  /* Refused edits are not sent again. */
  window_sync (window);
  g_assert_cmpuint (regie_conflicts_window_get_n_rejected (conflicts), ==, 1);

  discard (conflicts, in_window, "discard", NULL);
  g_assert_cmpuint (regie_conflicts_window_get_n_rejected (conflicts), ==, 0);
  g_assert_cmpuint (regie_store_count_stuck (store), ==, 0);
  g_assert_false (gtk_widget_get_visible (ui_test_need (GTK_WIDGET (conflicts), "rejected-section")));
  decisions.n = 0;
  ui_test_wait_for (has_decisions, &decisions, "no decisions");
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (conflicts_banner (window))));
  g_assert_cmpstr (regie_window_get_sync_status (window), ==, C_("sync state", "Synced"));
  /* What the dossier has is the laptop's. */
  {
    g_autoptr(RegieCase) dossier = regie_store_load_case (store, dossier_id, &error);
    GPtrArray *records;

    g_assert_no_error (error);
    records = regie_case_get_records (dossier, REGIE_RECORD_INTAKE_LEERBAARHEID);
    g_assert_cmpuint (records->len, ==, 1);
    g_assert_cmpstr (regie_record_get_id (g_ptr_array_index (records, 0)), ==, on_laptop);
  }
}

/* Fatima's account was a coordinator's when she changed who the dossier's
 * regievoerder is (the store keeps the role from the sign-in) and is a
 * klantmanager's by the time it is sent: the server refuses it. The card
 * says that her role may not change an assignment and who may, not the
 * server's English; that stays under the server's message. */
static void
test_rejected_role (UiTestFixture *fixture,
                    gconstpointer  user_data)
{
  RegieWindow *window = fixture->window;
  g_autoptr(GError) error = NULL;
  g_autofree char *dossier_id = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *record_id = NULL;
  g_autofree char *explanation = NULL;
  RegieConflictsWindow *conflicts;
  RegieStore *store;
  GtkWidget *group;
  Decisions decisions = { window, 1 };

  ui_test_fixture_sign_in (fixture);
  store = regie_window_get_store (window);
  dossier_id = ui_test_find_dossier (regie_window_get_caseload_view (window), "Tesfay Gebremedhin");
  {
    g_autoptr(RegieCase) dossier = regie_store_load_case (store, dossier_id, &error);
    RegieRecord *assignment;

    g_assert_no_error (error);
    assignment = regie_case_get_first (dossier, REGIE_RECORD_ASSIGNMENT);
    g_assert_nonnull (assignment);
    record_id = g_strdup (regie_record_get_id (assignment));
    payload = g_strdup_printf ("{\"team\":\"%s\",\"klantmanager\":\"fatima\",\"regievoerder\":\"ingrid\"}",
                               regie_record_get_string (assignment, "team"));
  }

  ui_test_wait_for (idle_and_loaded, window, "the first sync to end");
  g_assert_true (regie_store_set_meta (store, "role", "coordinator", &error));
  g_assert_no_error (error);
  g_free (regie_store_put_record (store, dossier_id, REGIE_RECORD_ASSIGNMENT, record_id, payload, &error));
  g_assert_no_error (error);
  g_assert_true (regie_store_set_meta (store, "role", "klantmanager", &error));
  g_assert_no_error (error);
  window_sync (window);
  ui_test_wait_for (has_decisions, &decisions, "one refused edit");

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-conflicts", NULL);
  conflicts = regie_window_get_conflicts_window (window);
  ui_test_wait_for (ui_test_widget_mapped, conflicts, "the Conflicts window");
  g_assert_cmpuint (regie_conflicts_window_get_n_rejected (conflicts), ==, 1);
  group = ui_test_need (GTK_WIDGET (conflicts), record_id);
  g_assert_cmpstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group)), ==,
                   regie_kind_label (REGIE_RECORD_ASSIGNMENT));
  /* Only a coordinator decides who holds a dossier. */
  explanation = g_strdup_printf (_("Your role does not allow you to change this part of a dossier (%s), so the "
                                   "server refused this edit. Copy the text and ask your coordinator to make "
                                   "the change, then discard the edit here."),
                                 regie_kind_label (REGIE_RECORD_ASSIGNMENT));
  assert_explanation (group, explanation);
  assert_server_message (store, group, record_id, FALSE);
  assert_keyboard_reaches (conflicts, record_id);
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
  g_test_add ("/conflicts-ui/rejected", UiTestFixture, NULL,
              ui_test_fixture_setup, test_rejected, ui_test_fixture_teardown);
  g_test_add ("/conflicts-ui/rejected-role", UiTestFixture, NULL,
              ui_test_fixture_setup, test_rejected_role, ui_test_fixture_teardown);

  return ui_test_run ();
}
