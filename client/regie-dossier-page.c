/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "regie-error.h"
#include "regie-records.h"
#include "regie-util.h"

#include "regie-dossier-page.h"
#include "regie-note-row.h"
#include "regie-ui-util.h"

struct _RegieDossierPage
{
  AdwBin         parent_instance;

  GtkStack      *stack;
  GtkScrolledWindow *scrolled_window;
  GtkLabel      *bsn_label;
  GtkLabel      *v_number_label;
  GtkLabel      *birth_date_label;
  GtkLabel      *doelgroep_label;
  GtkTextView   *note_view;
  GtkTextBuffer *note_buffer;
  GtkListBox    *notes_list;

  RegieStore    *store;
  char          *username;
  char          *display_name;
  char          *dossier_id;
  char          *title;
  char          *subtitle;
};

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

void
regie_dossier_page_reload (RegieDossierPage *self)
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
      regie_dossier_page_reload (self);
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

  gtk_stack_set_visible_child_name (self->stack, "dossier");
  update_actions (self);
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

  g_set_object (&self->store, store);
  g_free (self->username);
  self->username = g_strdup (username);
  g_free (self->display_name);
  self->display_name = g_strdup (display_name);
  g_clear_pointer (&self->dossier_id, g_free);
  gtk_text_buffer_set_text (self->note_buffer, "", 0);

  regie_dossier_page_reload (self);
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

  regie_dossier_page_reload (self);
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
  g_clear_object (&self->store);

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

  G_OBJECT_CLASS (regie_dossier_page_parent_class)->finalize (object);
}

static void
regie_dossier_page_class_init (RegieDossierPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = regie_dossier_page_get_property;
  object_class->dispose = regie_dossier_page_dispose;
  object_class->finalize = regie_dossier_page_finalize;

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

  gtk_widget_init_template (GTK_WIDGET (self));

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
