/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>

#include "regie-error.h"
#include "regie-permissions.h"
#include "regie-records.h"
#include "regie-schema.h"

#include "regie-conflicts-window.h"
#include "regie-kind-labels.h"
#include "regie-ui-util.h"

/* One card per conflict: an AdwPreferencesGroup named after the record id
 * with the person as its title and the kind as its description, the two
 * versions field by field (RegieFieldCompare, as in the PIP editor) and
 * the three choices. Edits that cannot be sent at all (their dossier left
 * the caseload, or the server refused them) get a card with their text,
 * to copy and then discard; a refused one says why in the user's words,
 * with the server's own (English) message folded away for support. The
 * queue is short and changes only when a sync or a choice changes it, so
 * the cards are rebuilt when it does. */

struct _RegieConflictsWindow
{
  AdwWindow        parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  AdwWindowTitle  *list_title;
  GtkStack        *list_stack;
  GtkWidget       *conflicts_section;
  GtkBox          *conflicts_box;
  GtkWidget       *orphaned_section;
  GtkBox          *orphaned_box;
  GtkWidget       *rejected_section;
  GtkBox          *rejected_box;
  AdwWindowTitle  *edit_title;
  GtkLabel        *edit_explanation;
  AdwBin          *editor_bin;

  RegieStore      *store;
  GPtrArray       *conflicts;     /* of RegieConflict, as shown */
  GPtrArray       *orphaned;      /* of RegieConflict, as shown */
  GPtrArray       *rejected;      /* of RegieConflict, as shown */
  GHashTable      *compares;      /* record id → RegieFieldCompare (borrowed) */
  char            *signature;     /* of what is shown, to rebuild only on change */
  char            *edit_record_id;
  guint            refresh_source;
};

G_DEFINE_FINAL_TYPE (RegieConflictsWindow, regie_conflicts_window, ADW_TYPE_WINDOW)

enum {
  RESOLVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

guint
regie_conflicts_count (RegieStore *store)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) orphaned = NULL;
  g_autoptr(GPtrArray) rejected = NULL;

  g_return_val_if_fail (REGIE_IS_STORE (store), 0);

  /* count_stuck is one small query; the lists open the payloads. */
  if (regie_store_count_stuck (store) == 0)
    return 0;

  conflicts = regie_store_list_conflicts (store, NULL);
  orphaned = regie_store_list_orphaned (store, NULL);
  rejected = regie_store_list_rejected (store, NULL);
  return (conflicts != NULL ? conflicts->len : 0) + (orphaned != NULL ? orphaned->len : 0) +
         (rejected != NULL ? rejected->len : 0);
}

char *
regie_conflicts_describe_count (guint n)
{
  /* Translators: in the header and the banner: edits that wait until the
   * user chooses what happens to them (conflicts, edits of dossiers that
   * left the caseload, edits the server refused) */
  return g_strdup_printf (ngettext ("%u change needs your decision", "%u changes need your decision", n), n);
}

static void
show_toast (RegieConflictsWindow *self,
            const char           *message)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static RegieConflict *
find (GPtrArray  *list,
      const char *record_id)
{
  for (guint i = 0; list != NULL && i < list->len; i++)
    {
      RegieConflict *conflict = g_ptr_array_index (list, i);

      if (g_strcmp0 (conflict->record_id, record_id) == 0)
        return conflict;
    }
  return NULL;
}

/* "Given Family", or NULL when the store no longer holds the person. */
static char *
dup_person_name (RegieConflictsWindow *self,
                 const char           *dossier_id)
{
  g_autoptr(RegiePerson) person = regie_store_get_person (self->store, dossier_id, NULL);
  const char *given;

  if (person == NULL)
    return NULL;
  given = regie_person_get_given_names (person);
  if (given == NULL || *given == '\0')
    return g_strdup (regie_person_get_family_name (person));
  return g_strdup_printf ("%s %s", given, regie_person_get_family_name (person));
}

static JsonObject *
parse_object (const char *payload)
{
  g_autoptr(JsonNode) root = payload != NULL ? json_from_string (payload, NULL) : NULL;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return json_object_new ();
  return json_object_ref (json_node_get_object (root));
}

static void
fill_compare (RegieFieldCompare *compare,
              RegieConflict     *conflict)
{
  g_autoptr(JsonObject) mine = parse_object (conflict->mine);
  g_autoptr(JsonObject) theirs = parse_object (conflict->theirs);
  const RegieKindSpec *spec = regie_kind_spec_get (conflict->kind);

  regie_field_compare_set_titles (compare,
                                  /* Translators: column heading: the version made on this computer */
                                  C_("comparison", "Yours"),
                                  /* Translators: column heading: the version on the server */
                                  C_("comparison", "On the server"));
  regie_field_compare_set_placeholder (compare, conflict->theirs != NULL
                                                  ? _("Both versions say the same.")
                                                  : NULL);

  /* Only what differs: that is what the choice is about. */
  for (const RegieFieldSpec *field = spec->fields; field->name != NULL; field++)
    {
      g_autofree char *before = regie_kind_format_value (conflict->kind, field, mine);
      g_autofree char *after = NULL;

      if (conflict->theirs == NULL)
        /* Translators: in the comparison: the server has no such record */
        after = g_strdup (C_("comparison", "Not on the server"));
      else
        after = regie_kind_format_value (conflict->kind, field, theirs);
      if (g_strcmp0 (before, after) != 0)
        regie_field_compare_add_row (compare, regie_kind_member_label (conflict->kind, field->name), before, after);
    }
}

static GtkWidget *
action_button (const char *label,
               const char *action_name,
               const char *record_id,
               const char *description,
               const char *name)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", record_id);
  gtk_widget_set_name (button, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  return button;
}

/* The white box under a card's title, like a boxed list with one row. */
static GtkWidget *
card_body (GtkWidget *child)
{
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_set_margin_start (child, 12);
  gtk_widget_set_margin_end (child, 12);
  gtk_widget_set_margin_top (child, 12);
  gtk_widget_set_margin_bottom (child, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), child);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  return list;
}

/* A card's n buttons, at the end; they wrap when the window is narrow
 * (the Dutch labels side by side are wider than 400 px) and then fill the
 * card's width. A spacer pushes them to the end, not the flow box's own
 * end alignment: GTK 4.8 moves the last line of an end-aligned flow box
 * out of sight when that line is full (one button to a line, as in a
 * narrow window). At most n to a line, so that the box asks for the
 * width of its buttons side by side and no more. */
static GtkWidget *
button_box (guint n)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *spacer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *flow = regie_ui_wrap_row_new ();

  gtk_widget_set_hexpand (spacer, TRUE);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 6);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), n);
  gtk_widget_set_halign (flow, GTK_ALIGN_FILL);
  gtk_box_append (GTK_BOX (box), spacer);
  gtk_box_append (GTK_BOX (box), flow);
  gtk_widget_set_margin_top (box, 12);
  return box;
}

static void
button_box_append (GtkWidget *box,
                   GtkWidget *button)
{
  regie_ui_wrap_row_append (gtk_widget_get_last_child (box), button);
}

static GtkWidget *
new_group (const char *record_id,
           const char *title,
           const char *description)
{
  GtkWidget *group = adw_preferences_group_new ();

  gtk_widget_set_name (group, record_id);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (group), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  return group;
}

static GtkWidget *
conflict_card (RegieConflictsWindow *self,
               RegieConflict        *conflict)
{
  g_autofree char *name = dup_person_name (self, conflict->dossier_id);
  const char *kind = regie_kind_label (conflict->kind);
  g_autofree char *context = NULL;
  g_autofree char *reason = NULL;
  GtkWidget *group, *body, *compare, *label, *buttons, *button;

  /* Translators: what a choice applies to, for screen readers: the kind
   * of record, then the person, e.g. "DUO decision of Rahaf Al-Khatib" */
  context = g_strdup_printf (C_("conflict", "%s of %s"), kind, name != NULL ? name : _("Unknown dossier"));
  group = new_group (conflict->record_id, name != NULL ? name : _("Unknown dossier"), kind);

  body = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  if (conflict->theirs != NULL)
    /* Translators: why a change was not sent; %d and %d are version numbers of the record */
    reason = g_strdup_printf (_("Changed on the server (now version %d) after you started from version %d. Your version was not sent."),
                              (int) conflict->current_version, (int) conflict->base_version);
  else
    reason = g_strdup (_("The server no longer has this record. Your version was not sent."));
  label = gtk_label_new (reason);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  if (conflict->reason != NULL)
    gtk_widget_set_tooltip_text (label, conflict->reason);
  gtk_box_append (GTK_BOX (body), label);

  compare = regie_field_compare_new ();
  gtk_accessible_update_property (GTK_ACCESSIBLE (compare), GTK_ACCESSIBLE_PROPERTY_LABEL, context, -1);
  fill_compare (REGIE_FIELD_COMPARE (compare), conflict);
  g_hash_table_insert (self->compares, g_strdup (conflict->record_id), compare);
  gtk_box_append (GTK_BOX (body), compare);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), card_body (body));

  buttons = button_box (3);
  button = action_button (_("Keep Mine"), "conflicts.keep-mine", conflict->record_id, context, "keep-mine");
  gtk_widget_set_tooltip_text (button, _("Send your version again, replacing the server’s"));
  button_box_append (buttons, button);
  button = action_button (_("Use Theirs"), "conflicts.use-theirs", conflict->record_id, context, "use-theirs");
  gtk_widget_set_tooltip_text (button, _("Drop your version and keep the server’s"));
  button_box_append (buttons, button);
  button = action_button (_("Edit…"), "conflicts.edit", conflict->record_id, context, "edit");
  gtk_widget_set_tooltip_text (button, _("Change your version, then send it"));
  button_box_append (buttons, button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), buttons);

  return group;
}

/* A text the user can copy, for an edit that cannot be sent. */
static GtkWidget *
edit_text_label (RegieConflict *edit,
                 const char    *context)
{
  g_autofree char *text = regie_kind_describe (edit->kind, edit->mine);
  GtkWidget *label = gtk_label_new (g_strstrip (text));

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "orphaned-text");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, context, -1);
  return label;
}

static GtkWidget *
wrapped_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  return label;
}

/* "Copy Text" and "Discard…", for edits that cannot be sent. */
static GtkWidget *
stuck_buttons (RegieConflict *edit,
               const char    *context)
{
  GtkWidget *buttons = button_box (2);
  GtkWidget *copy, *discard;

  copy = action_button (_("Copy Text"), "conflicts.copy-text", edit->record_id, context, "copy");
  gtk_widget_set_tooltip_text (copy, _("Copy this edit to the clipboard"));
  discard = action_button (_("Discard…"), "conflicts.discard", edit->record_id, context, "discard");
  gtk_widget_set_tooltip_text (discard, _("Remove this edit from this computer"));
  button_box_append (buttons, discard);
  button_box_append (buttons, copy);
  return buttons;
}

/* The name of the person whose dossier left the caseload, from the copy
 * the store kept with the edit. */
static char *
dup_kept_person_name (RegieConflict *edit)
{
  g_autoptr(JsonNode) node = edit->person != NULL ? json_from_string (edit->person, NULL) : NULL;
  g_autoptr(RegiePerson) person = node != NULL ? regie_person_new_from_json (node, NULL) : NULL;
  const char *given;

  if (person == NULL)
    return NULL;
  given = regie_person_get_given_names (person);
  if (given == NULL || *given == '\0')
    return g_strdup (regie_person_get_family_name (person));
  return g_strdup_printf ("%s %s", given, regie_person_get_family_name (person));
}

static GtkWidget *
orphaned_card (RegieConflictsWindow *self,
               RegieConflict        *edit)
{
  g_autofree char *name = dup_person_name (self, edit->dossier_id);
  g_autofree char *context = NULL;
  const char *kind = regie_kind_label (edit->kind);
  GtkWidget *group, *body, *label;

  if (name == NULL)
    name = dup_kept_person_name (edit);
  context = g_strdup_printf (C_("conflict", "%s of %s"), kind,
                             name != NULL ? name : _("a dossier no longer in your caseload"));
  group = new_group (edit->record_id, name != NULL ? name : _("Dossier No Longer in Your Caseload"), kind);

  body = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  label = wrapped_label (_("The dossier left your caseload before this was sent."));
  if (edit->reason != NULL)
    gtk_widget_set_tooltip_text (label, edit->reason);
  gtk_box_append (GTK_BOX (body), label);
  gtk_box_append (GTK_BOX (body), edit_text_label (edit, context));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), card_body (body));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), stuck_buttons (edit, context));

  return group;
}

/* Whether the dossier holds a record of the edit's kind other than the
 * edit itself: for kinds a dossier has one of, the one that was there
 * first (it came with the same sync that refused the edit). */
static gboolean
dossier_has_other (RegieConflictsWindow *self,
                   RegieConflict        *edit)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieCase) dossier = regie_store_load_case (self->store, edit->dossier_id, &error);
  GPtrArray *records;

  if (dossier == NULL)
    {
      g_debug ("Could not read dossier %s: %s", edit->dossier_id, error->message);
      return FALSE;
    }
  records = regie_case_get_records (dossier, edit->kind);
  for (guint i = 0; records != NULL && i < records->len; i++)
    if (g_strcmp0 (regie_record_get_id (g_ptr_array_index (records, i)), edit->record_id) != 0)
      return TRUE;
  return FALSE;
}

/* What happened to a refused edit and what to do next, in the user's
 * language. The server words its reason in English for support, so the
 * card says it again from what this computer knows: the signed-in role
 * (as the server checks it), whether the dossier is still here, and
 * whether it already has the one record of the kind it may have. */
static char *
describe_refusal (RegieConflictsWindow *self,
                  RegieConflict        *edit,
                  gboolean              known_dossier)
{
  g_autofree char *role_name = regie_store_dup_meta (self->store, "role");
  const RegieKindSpec *spec = regie_kind_spec_get (edit->kind);
  const char *kind = regie_kind_label (edit->kind);
  RegieRole role;

  if (role_name != NULL && regie_role_from_string (role_name, &role) &&
      !regie_permissions_may_write (role, edit->kind))
    {
      /* Whoever holds the dossier first; the coordinator for what only
       * the coordinator decides (who holds it, opening it). */
      if (role != REGIE_ROLE_KLANTMANAGER && regie_permissions_may_write (REGIE_ROLE_KLANTMANAGER, edit->kind))
        /* Translators: on the card of an edit the server refused; %s is
         * the kind of record, e.g. "Leerbaarheidstoets" */
        return g_strdup_printf (_("Your role does not allow you to change this part of a dossier (%s), so the "
                                  "server refused this edit. Copy the text and ask the dossier’s klantmanager "
                                  "to make the change, then discard the edit here."), kind);
      if (role != REGIE_ROLE_COORDINATOR && regie_permissions_may_write (REGIE_ROLE_COORDINATOR, edit->kind))
        /* Translators: on the card of an edit the server refused; %s is
         * the kind of record, e.g. "Assignment" */
        return g_strdup_printf (_("Your role does not allow you to change this part of a dossier (%s), so the "
                                  "server refused this edit. Copy the text and ask your coordinator to make "
                                  "the change, then discard the edit here."), kind);
      /* Translators: on the card of an edit the server refused; %s is
       * the kind of record, e.g. "Ontzorgen month" */
      return g_strdup_printf (_("Your role does not allow you to change this part of a dossier (%s), so the "
                                "server refused this edit. Copy the text and ask a colleague who may make "
                                "this change, then discard the edit here."), kind);
    }

  if (!known_dossier)
    /* Translators: on the card of an edit the server refused */
    return g_strdup (_("This dossier is no longer in your caseload, so the server refused this edit. Copy the "
                       "text and pass it on to the dossier’s klantmanager, then discard the edit here."));

  if (spec->one_per_dossier && edit->base_version == 0 && dossier_has_other (self, edit))
    /* Translators: on the card of an edit the server refused; %s is the
     * kind of record, e.g. "Leerbaarheidstoets", of which a dossier has
     * only one */
    return g_strdup_printf (_("This dossier already has this part (%s), and a dossier has only one, so the "
                              "server refused yours. Compare yours with the one in the dossier, add what is "
                              "missing there, then discard this edit."), kind);

  /* Translators: on the card of an edit the server refused, for any
   * other reason (the server's own message, in English, is below it) */
  return g_strdup (_("The server refused this edit, and sending it again would not change that. Check the "
                     "dossier, copy what you still need from the text below, then discard the edit here."));
}

/* The server's own words, folded away: English, for support. */
static GtkWidget *
server_message_row (const char *reason)
{
  GtkWidget *expander = adw_expander_row_new ();
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = wrapped_label (reason);

  gtk_widget_set_name (expander, "rejected-details");
  /* Translators: a row on the card of a refused edit that unfolds to the
   * server's reason, in the server's words (English) */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), _("Message from the Server"));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), _("For your IT department, as the server gave it"));

  gtk_widget_set_name (label, "rejected-reason");
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  /* The label takes the focus (to select and copy), not a row around it. */
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
  return expander;
}

static GtkWidget *
rejected_card (RegieConflictsWindow *self,
               RegieConflict        *edit)
{
  g_autofree char *name = dup_person_name (self, edit->dossier_id);
  g_autofree char *context = NULL;
  g_autofree char *explanation = NULL;
  const char *kind = regie_kind_label (edit->kind);
  GtkWidget *group, *body, *list, *label;

  context = g_strdup_printf (C_("conflict", "%s of %s"), kind, name != NULL ? name : _("Unknown dossier"));
  group = new_group (edit->record_id, name != NULL ? name : _("Unknown dossier"), kind);

  body = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  explanation = describe_refusal (self, edit, name != NULL);
  label = wrapped_label (explanation);
  gtk_widget_set_name (label, "rejected-explanation");
  gtk_box_append (GTK_BOX (body), label);
  gtk_box_append (GTK_BOX (body), edit_text_label (edit, context));
  list = card_body (body);
  if (edit->reason != NULL)
    gtk_list_box_append (GTK_LIST_BOX (list), server_message_row (edit->reason));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), stuck_buttons (edit, context));

  return group;
}

static void
append_signature (GString   *signature,
                  GPtrArray *list)
{
  for (guint i = 0; i < list->len; i++)
    {
      RegieConflict *conflict = g_ptr_array_index (list, i);

      g_string_append_printf (signature, "%s:%" G_GINT64_FORMAT ":%u:%u;", conflict->record_id,
                              conflict->current_version, g_str_hash (conflict->mine),
                              conflict->theirs != NULL ? g_str_hash (conflict->theirs) : 0);
    }
  g_string_append_c (signature, '|');
}

static void
box_clear (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static gboolean
focus_within (RegieConflictsWindow *self,
              GtkWidget            *ancestor)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  return focus != NULL && (focus == ancestor || gtk_widget_is_ancestor (focus, ancestor));
}

/* The first descendant of root named `name` (a card's buttons, the
 * editor's rows). */
static GtkWidget *
find_named (GtkWidget  *root,
            const char *name,
            gboolean    prefix)
{
  const char *widget_name = gtk_widget_get_name (root);

  if (prefix ? g_str_has_prefix (widget_name, name) : g_str_equal (widget_name, name))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name, prefix);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
show_list (RegieConflictsWindow *self)
{
  g_clear_pointer (&self->edit_record_id, g_free);
  adw_bin_set_child (self->editor_bin, NULL);
  gtk_stack_set_visible_child_name (self->stack, "list");
}

void
regie_conflicts_window_refresh (RegieConflictsWindow *self)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) orphaned = NULL;
  g_autoptr(GPtrArray) rejected = NULL;
  g_autoptr(GString) signature = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *subtitle = NULL;
  gboolean had_focus;
  guint total;

  g_return_if_fail (REGIE_IS_CONFLICTS_WINDOW (self));

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->store == NULL)
    return;

  conflicts = regie_store_list_conflicts (self->store, &error);
  if (conflicts != NULL)
    orphaned = regie_store_list_orphaned (self->store, &error);
  if (orphaned != NULL)
    rejected = regie_store_list_rejected (self->store, &error);
  if (rejected == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is a technical reason */
      message = g_strdup_printf (_("The conflicts could not be read from this computer: %s"), error->message);
      show_toast (self, message);
      return;
    }

  append_signature (signature, conflicts);
  append_signature (signature, orphaned);
  append_signature (signature, rejected);
  if (g_strcmp0 (signature->str, self->signature) == 0)
    return;
  g_free (self->signature);
  self->signature = g_strdup (signature->str);

  had_focus = focus_within (self, GTK_WIDGET (self->list_stack));
  g_hash_table_remove_all (self->compares);
  box_clear (self->conflicts_box);
  box_clear (self->orphaned_box);
  box_clear (self->rejected_box);
  g_clear_pointer (&self->conflicts, g_ptr_array_unref);
  g_clear_pointer (&self->orphaned, g_ptr_array_unref);
  g_clear_pointer (&self->rejected, g_ptr_array_unref);
  self->conflicts = g_steal_pointer (&conflicts);
  self->orphaned = g_steal_pointer (&orphaned);
  self->rejected = g_steal_pointer (&rejected);

  for (guint i = 0; i < self->conflicts->len; i++)
    gtk_box_append (self->conflicts_box, conflict_card (self, g_ptr_array_index (self->conflicts, i)));
  for (guint i = 0; i < self->orphaned->len; i++)
    gtk_box_append (self->orphaned_box, orphaned_card (self, g_ptr_array_index (self->orphaned, i)));
  for (guint i = 0; i < self->rejected->len; i++)
    gtk_box_append (self->rejected_box, rejected_card (self, g_ptr_array_index (self->rejected, i)));

  total = self->conflicts->len + self->orphaned->len + self->rejected->len;
  gtk_widget_set_visible (self->conflicts_section, self->conflicts->len > 0);
  gtk_widget_set_visible (self->orphaned_section, self->orphaned->len > 0);
  gtk_widget_set_visible (self->rejected_section, self->rejected->len > 0);
  gtk_stack_set_visible_child_name (self->list_stack, total > 0 ? "items" : "empty");
  if (total > 0)
    subtitle = regie_conflicts_describe_count (total);
  adw_window_title_set_subtitle (self->list_title, subtitle);

  /* The record being edited was resolved elsewhere meanwhile. */
  if (self->edit_record_id != NULL && find (self->conflicts, self->edit_record_id) == NULL)
    show_list (self);

  /* Keyboard users go on with the next card instead of losing focus. */
  if (had_focus || gtk_root_get_focus (GTK_ROOT (self)) == NULL)
    {
      GtkWidget *first = NULL;

      if (self->conflicts->len > 0)
        first = find_named (GTK_WIDGET (self->conflicts_box), "keep-mine", FALSE);
      else if (self->orphaned->len > 0)
        first = find_named (GTK_WIDGET (self->orphaned_box), "copy", FALSE);
      else if (self->rejected->len > 0)
        first = find_named (GTK_WIDGET (self->rejected_box), "copy", FALSE);
      if (first != NULL)
        gtk_widget_grab_focus (first);
    }
}

static gboolean
refresh_cb (gpointer user_data)
{
  RegieConflictsWindow *self = user_data;

  self->refresh_source = 0;
  regie_conflicts_window_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (RegieConflictsWindow *self)
{
  /* A pull applies many pages in a row; read the queue once after them. */
  if (self->refresh_source == 0)
    self->refresh_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, refresh_cb, self, NULL);
}

static gboolean
resolve (RegieConflictsWindow *self,
         const char           *record_id,
         RegieConflictChoice   choice,
         const char           *payload)
{
  g_autoptr(GError) error = NULL;

  if (!regie_store_resolve_conflict (self->store, record_id, choice, payload, &error))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is a technical reason */
      message = g_strdup_printf (_("Your choice could not be saved: %s"), error->message);
      show_toast (self, message);
      regie_conflicts_window_refresh (self);
      return FALSE;
    }

  switch (choice)
    {
    case REGIE_CONFLICT_MINE:
      show_toast (self, _("Your version will be sent with the next sync"));
      break;
    case REGIE_CONFLICT_THEIRS:
      show_toast (self, _("The server’s version is kept"));
      break;
    case REGIE_CONFLICT_EDIT:
    default:
      show_toast (self, _("Your edited version will be sent with the next sync"));
      break;
    }

  regie_conflicts_window_refresh (self);
  g_signal_emit (self, signals[RESOLVED], 0, record_id);
  return TRUE;
}

static void
keep_mine_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  resolve (REGIE_CONFLICTS_WINDOW (widget), g_variant_get_string (parameter, NULL), REGIE_CONFLICT_MINE, NULL);
}

static void
use_theirs_action_cb (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  resolve (REGIE_CONFLICTS_WINDOW (widget), g_variant_get_string (parameter, NULL), REGIE_CONFLICT_THEIRS, NULL);
}

static void
edit_action_cb (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RegieConflictsWindow *self = REGIE_CONFLICTS_WINDOW (widget);
  RegieConflict *conflict = find (self->conflicts, g_variant_get_string (parameter, NULL));
  g_autofree char *name = NULL;
  g_autofree char *explanation = NULL;
  GtkWidget *editor;

  if (conflict == NULL)
    return;

  name = dup_person_name (self, conflict->dossier_id);
  /* The dossier page has no editor for the kinds that conflict (they are
   * decisions and who holds the dossier), so a form from the schema. */
  editor = regie_record_editor_new (conflict->kind, regie_kind_label (conflict->kind), conflict->mine);
  adw_bin_set_child (self->editor_bin, editor);
  g_free (self->edit_record_id);
  self->edit_record_id = g_strdup (conflict->record_id);

  adw_window_title_set_subtitle (self->edit_title, name);
  /* Translators: %d is the version of the record on the server */
  explanation = g_strdup_printf (_("Starts from your version. What you send replaces the server’s version %d."),
                                 (int) conflict->current_version);
  gtk_label_set_text (self->edit_explanation, explanation);
  gtk_stack_set_visible_child_name (self->stack, "edit");
  if (find_named (editor, "editor-", TRUE) != NULL)
    gtk_widget_grab_focus (find_named (editor, "editor-", TRUE));
}

static void
save_edit_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RegieConflictsWindow *self = REGIE_CONFLICTS_WINDOW (widget);
  GtkWidget *editor = adw_bin_get_child (self->editor_bin);
  g_autofree char *payload = NULL;
  g_autofree char *record_id = NULL;

  if (editor == NULL || self->edit_record_id == NULL)
    return;

  payload = regie_record_editor_dup_payload (REGIE_RECORD_EDITOR (editor), NULL);
  if (payload == NULL)
    return;   /* the editor says why */

  record_id = g_strdup (self->edit_record_id);
  show_list (self);
  resolve (self, record_id, REGIE_CONFLICT_EDIT, payload);
}

static void
cancel_edit_action_cb (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  RegieConflictsWindow *self = REGIE_CONFLICTS_WINDOW (widget);
  g_autofree char *record_id = g_strdup (self->edit_record_id);
  GtkWidget *group;

  show_list (self);
  /* Back where the user came from. */
  group = record_id != NULL ? gtk_widget_get_first_child (GTK_WIDGET (self->conflicts_box)) : NULL;
  while (group != NULL && g_strcmp0 (gtk_widget_get_name (group), record_id) != 0)
    group = gtk_widget_get_next_sibling (group);
  if (group != NULL && find_named (group, "edit", FALSE) != NULL)
    gtk_widget_grab_focus (find_named (group, "edit", FALSE));
}

/* An orphaned or refused edit, as shown. */
static RegieConflict *
find_stuck (RegieConflictsWindow *self,
            const char           *record_id)
{
  RegieConflict *edit = find (self->orphaned, record_id);

  return edit != NULL ? edit : find (self->rejected, record_id);
}

static void
copy_text_action_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RegieConflictsWindow *self = REGIE_CONFLICTS_WINDOW (widget);
  RegieConflict *edit = find_stuck (self, g_variant_get_string (parameter, NULL));
  g_autofree char *text = NULL;

  if (edit == NULL)
    return;

  text = regie_kind_describe (edit->kind, edit->mine);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), g_strstrip (text));
  show_toast (self, _("Copied to the clipboard"));
}

static void
discard_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (dialog));
  const char *record_id = user_data;
  g_autoptr(GError) error = NULL;
  RegieConflictsWindow *self;

  if (g_strcmp0 (response, "discard") != 0 || !REGIE_IS_CONFLICTS_WINDOW (parent))
    return;
  self = REGIE_CONFLICTS_WINDOW (parent);
  if (self->store == NULL)
    return;

  if (!regie_store_dismiss_stuck (self->store, record_id, &error))
    {
      /* Already gone (discarded elsewhere meanwhile): nothing to say. */
      if (!g_error_matches (error, REGIE_ERROR, REGIE_ERROR_NOT_FOUND))
        {
          g_autofree char *message = NULL;

          /* Translators: %s is a technical reason */
          message = g_strdup_printf (_("The edit could not be discarded: %s"), error->message);
          show_toast (self, message);
        }
      regie_conflicts_window_refresh (self);
      return;
    }

  show_toast (self, _("Edit discarded"));
  regie_conflicts_window_refresh (self);
  /* A refused edit of a record the server has: the next sync brings the
   * server's version back. */
  g_signal_emit (self, signals[RESOLVED], 0, record_id);
}

static void
discard_action_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  RegieConflictsWindow *self = REGIE_CONFLICTS_WINDOW (widget);
  RegieConflict *edit = find_stuck (self, g_variant_get_string (parameter, NULL));
  GtkWidget *dialog;

  if (edit == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Discard This Edit?"),
                                   _("The edit is removed from this computer. It was never sent to the "
                                     "server, so no copy of it is left anywhere."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (discard_response_cb),
                         g_strdup (edit->record_id), (GClosureNotify) G_CALLBACK (g_free), 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   user_data)
{
  RegieConflictsWindow *self = REGIE_CONFLICTS_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "edit") == 0)
    gtk_widget_activate_action (widget, "conflicts.cancel-edit", NULL);
  else
    gtk_window_close (GTK_WINDOW (self));
  return TRUE;
}

RegieConflictsWindow *
regie_conflicts_window_new (GtkWindow  *parent,
                            RegieStore *store)
{
  RegieConflictsWindow *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (REGIE_IS_STORE (store), NULL);

  self = g_object_new (REGIE_TYPE_CONFLICTS_WINDOW,
                       "transient-for", parent,
                       NULL);
  self->store = g_object_ref (store);
  g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  regie_conflicts_window_refresh (self);

  return self;
}

guint
regie_conflicts_window_get_n_conflicts (RegieConflictsWindow *self)
{
  g_return_val_if_fail (REGIE_IS_CONFLICTS_WINDOW (self), 0);

  return self->conflicts != NULL ? self->conflicts->len : 0;
}

guint
regie_conflicts_window_get_n_orphaned (RegieConflictsWindow *self)
{
  g_return_val_if_fail (REGIE_IS_CONFLICTS_WINDOW (self), 0);

  return self->orphaned != NULL ? self->orphaned->len : 0;
}

guint
regie_conflicts_window_get_n_rejected (RegieConflictsWindow *self)
{
  g_return_val_if_fail (REGIE_IS_CONFLICTS_WINDOW (self), 0);

  return self->rejected != NULL ? self->rejected->len : 0;
}

RegieFieldCompare *
regie_conflicts_window_get_compare (RegieConflictsWindow *self,
                                    const char           *record_id)
{
  g_return_val_if_fail (REGIE_IS_CONFLICTS_WINDOW (self), NULL);

  return g_hash_table_lookup (self->compares, record_id);
}

RegieRecordEditor *
regie_conflicts_window_get_editor (RegieConflictsWindow *self)
{
  GtkWidget *editor;

  g_return_val_if_fail (REGIE_IS_CONFLICTS_WINDOW (self), NULL);

  editor = adw_bin_get_child (self->editor_bin);
  return editor != NULL ? REGIE_RECORD_EDITOR (editor) : NULL;
}

static void
regie_conflicts_window_dispose (GObject *object)
{
  RegieConflictsWindow *self = REGIE_CONFLICTS_WINDOW (object);

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  if (self->compares != NULL)
    g_hash_table_remove_all (self->compares);

  gtk_widget_dispose_template (GTK_WIDGET (self), REGIE_TYPE_CONFLICTS_WINDOW);

  G_OBJECT_CLASS (regie_conflicts_window_parent_class)->dispose (object);
}

static void
regie_conflicts_window_finalize (GObject *object)
{
  RegieConflictsWindow *self = REGIE_CONFLICTS_WINDOW (object);

  g_clear_pointer (&self->conflicts, g_ptr_array_unref);
  g_clear_pointer (&self->orphaned, g_ptr_array_unref);
  g_clear_pointer (&self->rejected, g_ptr_array_unref);
  g_clear_pointer (&self->compares, g_hash_table_unref);
  g_free (self->signature);
  g_free (self->edit_record_id);

  G_OBJECT_CLASS (regie_conflicts_window_parent_class)->finalize (object);
}

static void
regie_conflicts_window_class_init (RegieConflictsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = regie_conflicts_window_dispose;
  object_class->finalize = regie_conflicts_window_finalize;

  signals[RESOLVED] = g_signal_new ("resolved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  regie_ui_init_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, "/nl/regie/Regie/regie-conflicts-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RegieConflictsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RegieConflictsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, RegieConflictsWindow, list_title);
  gtk_widget_class_bind_template_child (widget_class, RegieConflictsWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, RegieConflictsWindow, conflicts_section);
  gtk_widget_class_bind_template_child (widget_class, RegieConflictsWindow, conflicts_box);
  gtk_widget_class_bind_template_child (widget_class, RegieConflictsWindow, orphaned_section);
  gtk_widget_class_bind_template_child (widget_class, RegieConflictsWindow, orphaned_box);
  gtk_widget_class_bind_template_child (widget_class, RegieConflictsWindow, rejected_section);
  gtk_widget_class_bind_template_child (widget_class, RegieConflictsWindow, rejected_box);
  gtk_widget_class_bind_template_child (widget_class, RegieConflictsWindow, edit_title);
  gtk_widget_class_bind_template_child (widget_class, RegieConflictsWindow, edit_explanation);
  gtk_widget_class_bind_template_child (widget_class, RegieConflictsWindow, editor_bin);

  gtk_widget_class_install_action (widget_class, "conflicts.keep-mine", "s", keep_mine_action_cb);
  gtk_widget_class_install_action (widget_class, "conflicts.use-theirs", "s", use_theirs_action_cb);
  gtk_widget_class_install_action (widget_class, "conflicts.edit", "s", edit_action_cb);
  gtk_widget_class_install_action (widget_class, "conflicts.save-edit", NULL, save_edit_action_cb);
  gtk_widget_class_install_action (widget_class, "conflicts.cancel-edit", NULL, cancel_edit_action_cb);
  gtk_widget_class_install_action (widget_class, "conflicts.copy-text", "s", copy_text_action_cb);
  gtk_widget_class_install_action (widget_class, "conflicts.discard", "s", discard_action_cb);

  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_cb, NULL);
}

static void
regie_conflicts_window_init (RegieConflictsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->compares = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}
