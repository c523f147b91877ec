/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "regie-error.h"
#include "regie-records.h"
#include "regie-util.h"

#include "regie-dossier-page-private.h"
#include "regie-rule-labels.h"
#include "regie-note-row.h"
#include "regie-ui-util.h"


G_DEFINE_FINAL_TYPE (RegieDossierPage, regie_dossier_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_SUBTITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
show_toast (RegieDossierPage *self,
            const char       *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  if (overlay == NULL)
    {
      g_warning ("%s", message);
      return;
    }

  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

void
regie_dossier_page_toast (RegieDossierPage *self,
                          const char       *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  /* Confirmations go away by themselves; errors (show_toast) stay. */
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
}

/* ---- form helpers, shared by the sections ------------------------------- */

void
regie_form_init (RegieForm  *form,
                 const char *title,
                 const char *description)
{
  form->group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (form->group), title);
  if (description != NULL)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (form->group), description);

  form->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (form->error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (form->error_label), 0);
  gtk_widget_add_css_class (form->error_label, "error");
  gtk_widget_set_visible (form->error_label, FALSE);
  gtk_widget_set_margin_top (form->error_label, 6);
}

void
regie_form_set_error (RegieForm  *form,
                      const char *message)
{
  gtk_label_set_text (GTK_LABEL (form->error_label), message != NULL ? message : "");
  gtk_widget_set_visible (form->error_label, message != NULL);
}

GtkWidget *
regie_form_add_save_button (RegieForm  *form,
                            const char *label,
                            const char *name,
                            GCallback   callback,
                            gpointer    data)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  gtk_widget_set_name (button, name);
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_set_hexpand (form->error_label, TRUE);
  gtk_widget_set_margin_top (box, 12);
  gtk_box_append (GTK_BOX (box), form->error_label);
  gtk_box_append (GTK_BOX (box), button);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (form->group), box);
  g_signal_connect_swapped (button, "clicked", callback, data);
  return button;
}

static void
clear_invalid_cb (GtkEditable *editable)
{
  regie_ui_set_invalid (GTK_WIDGET (editable), NULL);
}

GtkWidget *
regie_form_entry (RegieForm  *form,
                  const char *title)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  g_signal_connect (row, "changed", G_CALLBACK (clear_invalid_cb), NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (form->group), row);
  return row;
}

GtkWidget *
regie_form_date (RegieForm  *form,
                 const char *title)
{
  GtkWidget *row = regie_ui_date_row_new (title);

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (form->group), row);
  return row;
}

GtkWidget *
regie_form_combo (RegieForm          *form,
                  const char         *title,
                  const char * const *labels)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) model = gtk_string_list_new ((const char **) labels);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (form->group), row);
  return row;
}

GtkWidget *
regie_form_switch (RegieForm  *form,
                   const char *title,
                   const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  g_object_set_data (G_OBJECT (row), "regie-switch", toggle);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (form->group), row);
  return row;
}

gboolean
regie_form_switch_get (GtkWidget *row)
{
  return gtk_switch_get_active (g_object_get_data (G_OBJECT (row), "regie-switch"));
}

void
regie_form_switch_set (GtkWidget *row,
                       gboolean   active)
{
  gtk_switch_set_active (g_object_get_data (G_OBJECT (row), "regie-switch"), active);
}

GtkWidget *
regie_form_spin (RegieForm  *form,
                 const char *title,
                 int         min,
                 int         max)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  g_object_set_data (G_OBJECT (row), "regie-spin", spin);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (form->group), row);
  return row;
}

GtkSpinButton *
regie_form_spin_get_button (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "regie-spin");
}

const char *
regie_form_text (GtkWidget *editable)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (editable));

  while (*text == ' ')
    text++;
  return *text != '\0' ? gtk_editable_get_text (GTK_EDITABLE (editable)) : NULL;
}

gboolean
regie_form_int (GtkWidget *row,
                gint64     min,
                gint64     max,
                gboolean   required,
                gint64    *out_value,
                gboolean  *out_set)
{
  const char *text = regie_form_text (row);
  g_autofree char *message = NULL;
  g_autofree char *stripped = NULL;
  guint64 value;

  *out_set = FALSE;
  if (text == NULL)
    {
      if (!required)
        return TRUE;
      regie_ui_set_invalid (row, _("Enter a number."));
      return FALSE;
    }

  stripped = g_strstrip (g_strdup (text));
  if (!g_ascii_string_to_unsigned (stripped, 10, min < 0 ? 0 : min, max, &value, NULL))
    {
      /* Translators: %d and %d are the lowest and highest allowed number */
      message = g_strdup_printf (_("Enter a whole number from %d to %d."), (int) min, (int) max);
      regie_ui_set_invalid (row, message);
      return FALSE;
    }

  regie_ui_set_invalid (row, NULL);
  *out_value = (gint64) value;
  *out_set = TRUE;
  return TRUE;
}

gboolean
regie_form_euros (GtkWidget *row,
                  gboolean   required,
                  gint64    *out_cents,
                  gboolean  *out_set)
{
  const char *text = regie_form_text (row);

  *out_set = FALSE;
  if (text == NULL)
    {
      if (!required)
        return TRUE;
      regie_ui_set_invalid (row, _("Enter an amount in euros."));
      return FALSE;
    }

  if (!regie_ui_parse_euros (text, out_cents) || *out_cents > 100000000)
    {
      /* Translators: the example uses the local decimal separator */
      regie_ui_set_invalid (row, _("Enter an amount in euros with at most two decimals, for example 1234,56."));
      return FALSE;
    }

  regie_ui_set_invalid (row, NULL);
  *out_set = TRUE;
  return TRUE;
}

void
regie_builder_add_string (JsonBuilder *builder,
                          const char  *member,
                          const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

GtkWidget *
regie_list_new (const char *placeholder,
                const char *accessible_label)
{
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *label = gtk_label_new (placeholder);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_list_box_set_placeholder (GTK_LIST_BOX (list), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);
  return list;
}

void
regie_list_clear (GtkListBox *list)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (list, 0)) != NULL)
    gtk_list_box_remove (list, GTK_WIDGET (row));
}

GtkWidget *
regie_dossier_page_record_row (RegieDossierPage *self,
                               RegieRecord      *record,
                               const char       *title,
                               const char       *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_name (row, regie_record_get_id (record));
  if (regie_store_record_is_pending (self->store, regie_record_get_id (record)))
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), regie_ui_pending_badge_new ());
  return row;
}

typedef struct
{
  const char *member;
} SortData;

static int
compare_records (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  RegieRecord *ra = *(RegieRecord **) a;
  RegieRecord *rb = *(RegieRecord **) b;
  const char *member = user_data;
  const char *sa = regie_record_get_string (ra, member);
  const char *sb = regie_record_get_string (rb, member);

  if (sa != NULL || sb != NULL)
    return g_strcmp0 (sa, sb);
  return (int) CLAMP (regie_record_get_int (ra, member, 0) - regie_record_get_int (rb, member, 0), -1, 1);
}

GPtrArray *
regie_dossier_page_sorted (RegieDossierPage *self,
                           RegieRecordKind   kind,
                           const char       *member)
{
  GPtrArray *records = g_ptr_array_new_with_free_func (g_object_unref);

  if (self->dossier != NULL)
    {
      GPtrArray *all = regie_case_get_records (self->dossier, kind);

      for (guint i = 0; i < all->len; i++)
        g_ptr_array_add (records, g_object_ref (g_ptr_array_index (all, i)));
    }
  g_ptr_array_sort_with_data (records, compare_records, (gpointer) member);
  return records;
}

char *
regie_dossier_page_put (RegieDossierPage *self,
                        RegieForm        *form,
                        RegieRecordKind   kind,
                        const char       *record_id,
                        JsonBuilder      *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *payload = json_to_string (root, FALSE);
  g_autoptr(GError) error = NULL;
  char *id;

  if (self->store == NULL || self->dossier_id == NULL)
    return NULL;

  id = regie_store_put_record (self->store, self->dossier_id, kind, record_id, payload, &error);
  if (id == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is a technical reason */
      message = g_strdup_printf (_("This could not be saved: %s"), error->message);
      if (form != NULL)
        regie_form_set_error (form, message);
      else
        show_toast (self, message);
      return NULL;
    }

  if (form != NULL)
    regie_form_set_error (form, NULL);
  return id;
}

GtkBox *
regie_dossier_page_section_box (RegieDossierPage *self,
                                const char       *name)
{
  GtkWidget *scrolled = gtk_stack_get_child_by_name (self->sections, name);
  GtkWidget *viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
  GtkWidget *clamp = gtk_viewport_get_child (GTK_VIEWPORT (viewport));

  return GTK_BOX (adw_clamp_get_child (ADW_CLAMP (clamp)));
}

/* ---- rules -------------------------------------------------------------- */

static void
load_settings (RegieDossierPage *self)
{
  g_autofree char *json = NULL;

  regie_settings_init_defaults (&self->settings);
  json = self->store != NULL ? regie_store_dup_meta (self->store, "settings") : NULL;
  if (json != NULL)
    {
      g_autoptr(JsonNode) node = json_from_string (json, NULL);
      g_autoptr(GError) error = NULL;
      RegieSettings parsed;

      regie_settings_init_defaults (&parsed);
      if (node != NULL && regie_settings_from_json (&parsed, node, &error))
        self->settings = parsed;
      else
        g_debug ("Ignoring unreadable municipal settings: %s", error != NULL ? error->message : "not JSON");
    }
}

/* A section's forms are made when it is first shown with a dossier:
 * most windows start with no dossier open, most visits look at two or
 * three sections, and made forms cost memory and layout time. */
typedef struct
{
  const char *name;
  void      (*build)  (RegieDossierPage *self);
  void      (*update) (RegieDossierPage *self,
                       gboolean          reset_forms);
} PageSection;

static const PageSection page_sections[] = {
  { "person", regie_dossier_page_build_person, regie_dossier_page_update_person },
  { "intake", regie_dossier_page_build_intake, regie_dossier_page_update_intake },
  { "pip", regie_dossier_page_build_pip, regie_dossier_page_update_pip },
  { "progress", regie_dossier_page_build_progress, regie_dossier_page_update_progress },
  { "talks", regie_dossier_page_build_talks, regie_dossier_page_update_talks },
  { "signals", regie_dossier_page_build_signals, regie_dossier_page_update_signals },
  { "ontzorgen", regie_dossier_page_build_ontzorgen, regie_dossier_page_update_ontzorgen },
};

G_STATIC_ASSERT (G_N_ELEMENTS (page_sections) <= sizeof (guint) * 8);

/* Makes the section shown, if it is one of ours and not made yet, and
 * fills it from the dossier. */
static void
ensure_visible_section (RegieDossierPage *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->sections);

  if (self->dossier == NULL || name == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (page_sections); i++)
    if (strcmp (page_sections[i].name, name) == 0 && !(self->sections_built & (1u << i)))
      {
        self->sections_built |= 1u << i;
        page_sections[i].build (self);
        page_sections[i].update (self, TRUE);
      }
}

static void
refresh (RegieDossierPage *self,
         gboolean          reset_forms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieRulesResult) result = NULL;

  g_clear_object (&self->dossier);
  regie_ui_get_today (&self->today);
  load_settings (self);

  self->dossier = regie_store_load_case (self->store, self->dossier_id, &error);
  if (self->dossier == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is a technical reason */
      message = g_strdup_printf (_("The dossier could not be read: %s"), error->message);
      show_toast (self, message);
      self->dossier = regie_case_new (self->dossier_id);
    }

  result = regie_rules_evaluate (self->dossier, &self->today, &self->settings);
  {
    /* Passed deadlines that need nothing more: windows that closed, a PIP
     * that was issued, a review that was held. The rest is overdue. */
    const char *met[5] = { "bezwaar_end", "route_switch_limit", NULL, NULL, NULL };
    RegieRecord *ontzorgen = regie_case_get_first (self->dossier, REGIE_RECORD_ONTZORGEN);
    guint n = 2;

    if (regie_case_get_records (self->dossier, REGIE_RECORD_PIP)->len > 0)
      met[n++] = "pip_due";
    if (ontzorgen != NULL && regie_record_get_string (ontzorgen, "reviewed_on") != NULL)
      met[n++] = "ontzorgen_review";
    regie_rules_panel_set_result (self->rules_panel, result, &self->today, met);
  }

  for (guint i = 0; i < G_N_ELEMENTS (page_sections); i++)
    if (self->sections_built & (1u << i))
      page_sections[i].update (self, reset_forms);
  ensure_visible_section (self);
}

static void
store_changed_cb (RegieDossierPage *self,
                  const char       *dossier_id)
{
  if (self->dossier_id == NULL || gtk_widget_in_destruction (GTK_WIDGET (self)))
    return;
  if (dossier_id == NULL || g_strcmp0 (dossier_id, self->dossier_id) == 0)
    regie_dossier_page_reload (self);
}

static void
set_titles (RegieDossierPage *self,
            const char       *title,
            const char       *subtitle)
{
  if (g_strcmp0 (title, self->title) != 0)
    {
      g_free (self->title);
      self->title = g_strdup (title);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
    }

  if (g_strcmp0 (subtitle, self->subtitle) != 0)
    {
      g_free (self->subtitle);
      self->subtitle = g_strdup (subtitle);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBTITLE]);
    }
}

static char *
dup_note_text (RegieDossierPage *self)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (self->note_buffer, &start, &end);
  text = gtk_text_buffer_get_text (self->note_buffer, &start, &end, FALSE);

  return g_strdup (g_strstrip (text));
}

static void
update_actions (RegieDossierPage *self)
{
  g_autofree char *text = dup_note_text (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dossier.add-note",
                                 self->store != NULL && self->dossier_id != NULL &&
                                 text[0] != '\0');
}

static void
note_buffer_changed_cb (RegieDossierPage *self)
{
  update_actions (self);
}

static void
clear_notes (RegieDossierPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->notes_list))) != NULL)
    {
      /* The placeholder is a child too; leave it. */
      if (!GTK_IS_LIST_BOX_ROW (child))
        {
          GtkWidget *next = gtk_widget_get_next_sibling (child);

          while (next != NULL && !GTK_IS_LIST_BOX_ROW (next))
            next = gtk_widget_get_next_sibling (next);
          if (next == NULL)
            break;
          child = next;
        }
      gtk_list_box_remove (self->notes_list, child);
    }
}

static void
load_notes (RegieDossierPage *self)
{
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GError) error = NULL;

  clear_notes (self);

  notes = regie_store_list_notes (self->store, self->dossier_id, &error);
  if (notes == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is a technical reason */
      message = g_strdup_printf (_("The notes could not be read: %s"), error->message);
      show_toast (self, message);
      return;
    }

  /* The store gives oldest first; the timeline shows the newest on top,
   * right under the field where a new one is written. */
  for (guint i = notes->len; i > 0; i--)
    {
      RegieStoreNote *note = g_ptr_array_index (notes, i - 1);
      const char *author = NULL;

      if (self->display_name != NULL && self->display_name[0] != '\0' &&
          g_strcmp0 (regie_note_get_author (note->note), self->username) == 0)
        author = self->display_name;

      gtk_list_box_append (self->notes_list, regie_note_row_new (note, author));
    }
}

static void
reload (RegieDossierPage *self,
        gboolean          reset_forms)
{
  g_autoptr(RegiePerson) person = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *full_name = NULL;
  g_autofree char *birth_date = NULL;
  const char *doelgroep;

  g_return_if_fail (REGIE_IS_DOSSIER_PAGE (self));

  if (self->store == NULL || self->dossier_id == NULL)
    {
      clear_notes (self);
      g_clear_object (&self->dossier);
      set_titles (self, NULL, NULL);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      update_actions (self);
      return;
    }

  person = regie_store_get_person (self->store, self->dossier_id, &error);
  if (person == NULL)
    {
      /* The dossier left the caseload (reassigned, say) while it was open. */
      if (!g_error_matches (error, REGIE_ERROR, REGIE_ERROR_NOT_FOUND))
        g_warning ("Could not read dossier %s: %s", self->dossier_id, error->message);
      g_clear_pointer (&self->dossier_id, g_free);
      reload (self, TRUE);
      return;
    }

  doelgroep = regie_doelgroep_to_string (regie_person_get_doelgroep (person));
  full_name = regie_person_dup_full_name (person);
  birth_date = regie_ui_format_date (regie_person_get_birth_date (person), TRUE);

  gtk_label_set_text (self->bsn_label, regie_person_get_bsn (person));
  gtk_label_set_text (self->v_number_label, regie_person_get_v_number (person));
  gtk_label_set_text (self->birth_date_label, birth_date);
  gtk_label_set_text (self->doelgroep_label, regie_ui_doelgroep_label (doelgroep));
  set_titles (self, full_name, regie_ui_doelgroep_label (doelgroep));

  load_notes (self);
  refresh (self, reset_forms);

  /* Hidden until the first dossier: a hidden page of the homogeneous
   * stack is neither styled nor measured at each layout. */
  gtk_widget_set_visible (self->dossier_box, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "dossier");
  update_actions (self);
}

void
regie_dossier_page_reload (RegieDossierPage *self)
{
  g_return_if_fail (REGIE_IS_DOSSIER_PAGE (self));

  /* Lists and rules follow the store; what is being typed stays. */
  reload (self, FALSE);
}

static void
add_note_action_cb (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RegieDossierPage *self = REGIE_DOSSIER_PAGE (widget);
  g_autofree char *text = NULL;
  g_autofree char *record_id = NULL;
  g_autoptr(GError) error = NULL;

  if (self->store == NULL || self->dossier_id == NULL)
    return;

  text = dup_note_text (self);
  if (text[0] == '\0')
    return;

  if (strlen (text) > REGIE_MAX_NOTE_BYTES)
    {
      show_toast (self, _("This note is too long. Split it into two or more notes."));
      return;
    }

  if (!regie_text_is_valid (text, REGIE_MAX_NOTE_BYTES, TRUE))
    {
      show_toast (self, _("This note contains characters that cannot be saved. Remove control characters and try again."));
      return;
    }

  record_id = regie_store_add_note (self->store, self->dossier_id, self->username, text, &error);
  if (record_id == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is a technical reason */
      message = g_strdup_printf (_("The note could not be saved on this computer: %s. Your text is still in the field; try again."),
                                 error->message);
      show_toast (self, message);
      return;
    }

  gtk_text_buffer_set_text (self->note_buffer, "", 0);
  load_notes (self);
}

void
regie_dossier_page_set_session (RegieDossierPage *self,
                                RegieStore       *store,
                                const char       *username,
                                const char       *display_name)
{
  g_return_if_fail (REGIE_IS_DOSSIER_PAGE (self));
  g_return_if_fail (store == NULL || REGIE_IS_STORE (store));

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, store_changed_cb, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
  g_free (self->username);
  self->username = g_strdup (username);
  g_free (self->display_name);
  self->display_name = g_strdup (display_name);
  g_clear_pointer (&self->dossier_id, g_free);
  gtk_text_buffer_set_text (self->note_buffer, "", 0);

  reload (self, TRUE);
}

void
regie_dossier_page_set_dossier_id (RegieDossierPage *self,
                                   const char       *dossier_id)
{
  GtkAdjustment *adjustment;

  g_return_if_fail (REGIE_IS_DOSSIER_PAGE (self));

  if (g_strcmp0 (dossier_id, self->dossier_id) == 0)
    return;

  g_free (self->dossier_id);
  self->dossier_id = g_strdup (dossier_id);

  /* A half-written note belongs to the dossier it was written in. */
  gtk_text_buffer_set_text (self->note_buffer, "", 0);

  adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));

  reload (self, TRUE);
}

const char *
regie_dossier_page_get_dossier_id (RegieDossierPage *self)
{
  g_return_val_if_fail (REGIE_IS_DOSSIER_PAGE (self), NULL);
  return self->dossier_id;
}

const char *
regie_dossier_page_get_title (RegieDossierPage *self)
{
  g_return_val_if_fail (REGIE_IS_DOSSIER_PAGE (self), NULL);
  return self->title;
}

const char *
regie_dossier_page_get_subtitle (RegieDossierPage *self)
{
  g_return_val_if_fail (REGIE_IS_DOSSIER_PAGE (self), NULL);
  return self->subtitle;
}

GtkTextView *
regie_dossier_page_get_note_view (RegieDossierPage *self)
{
  g_return_val_if_fail (REGIE_IS_DOSSIER_PAGE (self), NULL);
  return self->note_view;
}

GtkListBox *
regie_dossier_page_get_notes_list (RegieDossierPage *self)
{
  g_return_val_if_fail (REGIE_IS_DOSSIER_PAGE (self), NULL);
  return self->notes_list;
}

RegieRulesPanel *
regie_dossier_page_get_rules_panel (RegieDossierPage *self)
{
  g_return_val_if_fail (REGIE_IS_DOSSIER_PAGE (self), NULL);
  return self->rules_panel;
}

void
regie_dossier_page_show_section (RegieDossierPage *self,
                                 const char       *name)
{
  g_return_if_fail (REGIE_IS_DOSSIER_PAGE (self));
  gtk_stack_set_visible_child_name (self->sections, name);
}

static void
regie_dossier_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  RegieDossierPage *self = REGIE_DOSSIER_PAGE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_SUBTITLE:
      g_value_set_string (value, self->subtitle);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
regie_dossier_page_dispose (GObject *object)
{
  RegieDossierPage *self = REGIE_DOSSIER_PAGE (object);

  /* No gtk_widget_dispose_template(): AdwBin unparents its child itself. */
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, store_changed_cb, self);
  g_clear_object (&self->store);
  g_clear_object (&self->dossier);

  G_OBJECT_CLASS (regie_dossier_page_parent_class)->dispose (object);
}

static void
regie_dossier_page_finalize (GObject *object)
{
  RegieDossierPage *self = REGIE_DOSSIER_PAGE (object);

  g_free (self->username);
  g_free (self->display_name);
  g_free (self->dossier_id);
  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->pip_draft_id);

  G_OBJECT_CLASS (regie_dossier_page_parent_class)->finalize (object);
}

/* Short windows: the sections keep most of the height and the rules panel
 * shows its one-line summary when everything would take more. */
#define RULES_PANEL_SHARE 0.45

/* No layout manager (AdwBin's would allocate for us), to see the height. */
static GtkSizeRequestMode
regie_dossier_page_get_request_mode (GtkWidget *widget)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  return child != NULL ? gtk_widget_get_request_mode (child) : GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
regie_dossier_page_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  *minimum = *natural = 0;
  if (child != NULL && gtk_widget_get_visible (child))
    gtk_widget_measure (child, orientation, for_size, minimum, natural, NULL, NULL);
}

static void
regie_dossier_page_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  RegieDossierPage *self = REGIE_DOSSIER_PAGE (widget);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  regie_rules_panel_set_max_height (self->rules_panel, MAX (1, (int) (height * RULES_PANEL_SHARE)));
  if (child != NULL && gtk_widget_get_visible (child))
    gtk_widget_allocate (child, width, height, baseline, NULL);
}

static void
regie_dossier_page_class_init (RegieDossierPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = regie_dossier_page_get_property;
  object_class->dispose = regie_dossier_page_dispose;
  object_class->finalize = regie_dossier_page_finalize;
  widget_class->get_request_mode = regie_dossier_page_get_request_mode;
  widget_class->measure = regie_dossier_page_measure;
  widget_class->size_allocate = regie_dossier_page_size_allocate;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "dossier.add-note", NULL, add_note_action_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "dossier.add-note", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "dossier.add-note", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/regie/Regie/regie-dossier-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RegieDossierPage, stack);
  gtk_widget_class_bind_template_child (widget_class, RegieDossierPage, dossier_box);
  gtk_widget_class_bind_template_child (widget_class, RegieDossierPage, sections);
  gtk_widget_class_bind_template_child (widget_class, RegieDossierPage, rules_panel);
  gtk_widget_class_bind_template_child (widget_class, RegieDossierPage, person_box);
  gtk_widget_class_bind_template_child (widget_class, RegieDossierPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, RegieDossierPage, bsn_label);
  gtk_widget_class_bind_template_child (widget_class, RegieDossierPage, v_number_label);
  gtk_widget_class_bind_template_child (widget_class, RegieDossierPage, birth_date_label);
  gtk_widget_class_bind_template_child (widget_class, RegieDossierPage, doelgroep_label);
  gtk_widget_class_bind_template_child (widget_class, RegieDossierPage, note_view);
  gtk_widget_class_bind_template_child (widget_class, RegieDossierPage, note_buffer);
  gtk_widget_class_bind_template_child (widget_class, RegieDossierPage, notes_list);
  gtk_widget_class_bind_template_callback (widget_class, note_buffer_changed_cb);
}

static void
regie_dossier_page_init (RegieDossierPage *self)
{
  GtkEventController *controller;
  GtkShortcut *shortcut;

  g_type_ensure (REGIE_TYPE_RULES_PANEL);
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->sections, "notify::visible-child",
                           G_CALLBACK (ensure_visible_section), self, G_CONNECT_SWAPPED);
  regie_settings_init_defaults (&self->settings);
  regie_ui_get_today (&self->today);

  /* Ctrl+Enter must reach us before the text view turns it into a new
   * line, so catch it in the capture phase on the text view itself. */
  controller = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  shortcut = gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_CONTROL_MASK),
                                                            gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_CONTROL_MASK)),
                               gtk_named_action_new ("dossier.add-note"));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
  gtk_widget_add_controller (GTK_WIDGET (self->note_view), controller);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->note_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("New note"),
                                  -1);

  update_actions (self);
}
