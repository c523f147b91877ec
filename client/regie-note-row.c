/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>

#include "regie-note-row.h"
#include "regie-ui-util.h"

struct _RegieNoteRow
{
  GtkListBoxRow  parent_instance;

  GtkLabel      *author_label;
  GtkLabel      *time_label;
  GtkLabel      *pending_label;
  GtkLabel      *text_label;

  char          *record_id;
  gboolean       pending;
};

G_DEFINE_FINAL_TYPE (RegieNoteRow, regie_note_row, GTK_TYPE_LIST_BOX_ROW)

GtkWidget *
regie_note_row_new (const RegieStoreNote *note,
                    const char           *author_label)
{
  RegieNoteRow *self;
  g_autofree char *when = NULL;
  g_autofree char *accessible = NULL;
  const char *author;

  g_return_val_if_fail (note != NULL, NULL);
  g_return_val_if_fail (REGIE_IS_NOTE (note->note), NULL);

  self = g_object_new (REGIE_TYPE_NOTE_ROW, NULL);
  self->record_id = g_strdup (note->record_id);
  self->pending = note->pending;

  author = author_label != NULL ? author_label : regie_note_get_author (note->note);
  when = regie_ui_format_timestamp (regie_note_get_created_at (note->note));

  gtk_label_set_text (self->author_label, author);
  gtk_label_set_text (self->time_label, when);
  gtk_label_set_text (self->text_label, regie_note_get_text (note->note));
  gtk_widget_set_visible (GTK_WIDGET (self->pending_label), note->pending);

  /* Translators: what a screen reader says for a note: author, time, text */
  accessible = g_strdup_printf (_("Note by %s, %s: %s"), author, when,
                                regie_note_get_text (note->note));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);

  return GTK_WIDGET (self);
}

const char *
regie_note_row_get_record_id (RegieNoteRow *self)
{
  g_return_val_if_fail (REGIE_IS_NOTE_ROW (self), NULL);
  return self->record_id;
}

gboolean
regie_note_row_get_pending (RegieNoteRow *self)
{
  g_return_val_if_fail (REGIE_IS_NOTE_ROW (self), FALSE);
  return self->pending;
}

const char *
regie_note_row_get_text (RegieNoteRow *self)
{
  g_return_val_if_fail (REGIE_IS_NOTE_ROW (self), NULL);
  return gtk_label_get_text (self->text_label);
}

static void
regie_note_row_finalize (GObject *object)
{
  RegieNoteRow *self = REGIE_NOTE_ROW (object);

  g_free (self->record_id);

  G_OBJECT_CLASS (regie_note_row_parent_class)->finalize (object);
}

static void
regie_note_row_class_init (RegieNoteRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = regie_note_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/regie/Regie/regie-note-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RegieNoteRow, author_label);
  gtk_widget_class_bind_template_child (widget_class, RegieNoteRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, RegieNoteRow, pending_label);
  gtk_widget_class_bind_template_child (widget_class, RegieNoteRow, text_label);
}

static void
regie_note_row_init (RegieNoteRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
