/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>

#include "regie-error.h"
#include "regie-records.h"
#include "regie-schema.h"

#include "regie-dossier-page-private.h"
#include "regie-kind-labels.h"
#include "regie-record-editor.h"
#include "regie-ui-util.h"

/* The rows come from the same form helpers as the dossier page's
 * sections, so the editor looks and checks input the same way. */

typedef struct
{
  const RegieFieldSpec *spec;
  GtkWidget            *row;      /* NULL: kept as it is (nested lists) */
  gboolean              not_set;  /* ENUM: the combo starts with "Not set" */
} Member;

struct _RegieRecordEditor
{
  AdwBin           parent_instance;

  RegieRecordKind  kind;
  JsonObject      *original;
  RegieForm        form;
  GArray          *members;     /* of Member */
};

G_DEFINE_FINAL_TYPE (RegieRecordEditor, regie_record_editor, ADW_TYPE_BIN)

static void
regie_record_editor_finalize (GObject *object)
{
  RegieRecordEditor *self = REGIE_RECORD_EDITOR (object);

  g_clear_pointer (&self->original, json_object_unref);
  g_clear_pointer (&self->members, g_array_unref);

  G_OBJECT_CLASS (regie_record_editor_parent_class)->finalize (object);
}

static void
regie_record_editor_class_init (RegieRecordEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = regie_record_editor_finalize;
}

static void
regie_record_editor_init (RegieRecordEditor *self)
{
  self->members = g_array_new (FALSE, TRUE, sizeof (Member));
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static GtkWidget *
add_row (RegieRecordEditor    *self,
         const RegieFieldSpec *spec,
         Member               *member)
{
  const char *title = regie_kind_member_label (self->kind, spec->name);
  JsonNode *node = json_object_get_member (self->original, spec->name);
  gboolean has_value = node != NULL && !JSON_NODE_HOLDS_NULL (node);

  switch (spec->type)
    {
    case REGIE_FIELD_ENUM:
      {
        g_autoptr(GPtrArray) labels = g_ptr_array_new ();
        const char *value = string_member (self->original, spec->name);
        guint selected = 0;
        GtkWidget *row;

        member->not_set = !spec->required;
        if (member->not_set)
          /* Translators: the choice for an optional field left empty */
          g_ptr_array_add (labels, (gpointer) C_("choice", "Not set"));
        for (guint i = 0; spec->values[i] != NULL; i++)
          {
            if (g_strcmp0 (spec->values[i], value) == 0)
              selected = labels->len;
            g_ptr_array_add (labels, (gpointer) regie_kind_value_label (self->kind, spec->name, spec->values[i]));
          }
        g_ptr_array_add (labels, NULL);
        row = regie_form_combo (&self->form, title, (const char * const *) labels->pdata);
        adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
        return row;
      }

    case REGIE_FIELD_BOOL:
      {
        GtkWidget *row = regie_form_switch (&self->form, title, NULL);

        regie_form_switch_set (row, has_value && json_node_get_boolean (node));
        return row;
      }

    case REGIE_FIELD_DATE:
      {
        GtkWidget *row = regie_form_date (&self->form, title);

        regie_ui_date_row_set (row, string_member (self->original, spec->name));
        return row;
      }

    case REGIE_FIELD_INT:
    case REGIE_FIELD_MONEY:
      {
        GtkWidget *row = regie_form_entry (&self->form, title);
        g_autofree char *text = NULL;

        if (has_value && spec->type == REGIE_FIELD_INT)
          text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
        else if (has_value)
          text = regie_ui_format_euros (json_node_get_int (node));
        gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : "");
        return row;
      }

    case REGIE_FIELD_OBJECT:
    case REGIE_FIELD_ARRAY:
    case REGIE_FIELD_STRINGS:
      {
        GtkWidget *row = adw_action_row_new ();
        g_autofree char *value = regie_kind_format_value (self->kind, spec, self->original);
        g_autofree char *subtitle = NULL;

        /* Translators: a field the generic editor cannot change; %s is its value */
        subtitle = g_strdup_printf (_("%s (kept as it is)"), value);
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->form.group), row);
        return NULL;
      }

    case REGIE_FIELD_STRING:
    case REGIE_FIELD_TEXT:
    case REGIE_FIELD_IDENT:
    case REGIE_FIELD_MONTH:
    case REGIE_FIELD_TIMESTAMP:
    case REGIE_FIELD_BSN:
    case REGIE_FIELD_V_NUMBER:
    default:
      {
        GtkWidget *row = regie_form_entry (&self->form, title);
        const char *value = string_member (self->original, spec->name);

        gtk_editable_set_text (GTK_EDITABLE (row), value != NULL ? value : "");
        return row;
      }
    }
}

GtkWidget *
regie_record_editor_new (RegieRecordKind  kind,
                         const char      *title,
                         const char      *payload)
{
  RegieRecordEditor *self;
  g_autoptr(JsonNode) root = NULL;
  const RegieKindSpec *spec;
  GtkWidget *box;

  g_return_val_if_fail ((unsigned) kind < REGIE_N_RECORD_KINDS, NULL);

  self = g_object_new (REGIE_TYPE_RECORD_EDITOR, NULL);
  self->kind = kind;
  root = payload != NULL ? json_from_string (payload, NULL) : NULL;
  self->original = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
                     ? json_object_ref (json_node_get_object (root)) : json_object_new ();

  regie_form_init (&self->form, title, NULL);
  spec = regie_kind_spec_get (kind);
  for (const RegieFieldSpec *field = spec->fields; field->name != NULL; field++)
    {
      Member member = { .spec = field };
      g_autofree char *name = g_strconcat ("editor-", field->name, NULL);

      member.row = add_row (self, field, &member);
      if (member.row != NULL)
        gtk_widget_set_name (member.row, name);
      g_array_append_val (self->members, member);
    }

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (box), self->form.group);
  gtk_widget_set_hexpand (self->form.error_label, TRUE);
  gtk_box_append (GTK_BOX (box), self->form.error_label);
  adw_bin_set_child (ADW_BIN (self), box);

  return GTK_WIDGET (self);
}

RegieRecordKind
regie_record_editor_get_kind (RegieRecordEditor *self)
{
  g_return_val_if_fail (REGIE_IS_RECORD_EDITOR (self), REGIE_RECORD_NOTE);

  return self->kind;
}

/* Reads one row into `object`; FALSE (the row marked) when it cannot be. */
static gboolean
read_member (RegieRecordEditor *self,
             Member            *member,
             JsonObject        *object)
{
  const RegieFieldSpec *spec = member->spec;
  const char *name = spec->name;

  if (member->row == NULL)
    return TRUE;

  json_object_remove_member (object, name);

  switch (spec->type)
    {
    case REGIE_FIELD_ENUM:
      {
        guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (member->row));

        if (member->not_set && selected == 0)
          return TRUE;
        json_object_set_string_member (object, name, spec->values[selected - (member->not_set ? 1 : 0)]);
        return TRUE;
      }

    case REGIE_FIELD_BOOL:
      json_object_set_boolean_member (object, name, regie_form_switch_get (member->row));
      return TRUE;

    case REGIE_FIELD_DATE:
      {
        g_autofree char *iso = NULL;

        if (!regie_ui_date_row_get (member->row, spec->required, &iso))
          return FALSE;
        if (iso != NULL)
          json_object_set_string_member (object, name, iso);
        return TRUE;
      }

    case REGIE_FIELD_INT:
      {
        gint64 value = 0;
        gboolean set = FALSE;

        if (!regie_form_int (member->row, spec->min, spec->max, spec->required, &value, &set))
          return FALSE;
        if (set)
          json_object_set_int_member (object, name, value);
        return TRUE;
      }

    case REGIE_FIELD_MONEY:
      {
        gint64 cents = 0;
        gboolean set = FALSE;

        if (!regie_form_euros (member->row, spec->required, &cents, &set))
          return FALSE;
        if (set)
          json_object_set_int_member (object, name, cents);
        return TRUE;
      }

    default:
      {
        const char *text = regie_form_text (member->row);

        if (text == NULL && spec->required)
          {
            regie_ui_set_invalid (member->row, _("Fill this in."));
            return FALSE;
          }
        if (text != NULL)
          json_object_set_string_member (object, name, text);
        return TRUE;
      }
    }
}

char *
regie_record_editor_dup_payload (RegieRecordEditor  *self,
                                 GError            **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  gboolean valid = TRUE;
  char *canonical;

  g_return_val_if_fail (REGIE_IS_RECORD_EDITOR (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = json_node_new (JSON_NODE_OBJECT);
  object = json_object_new ();
  /* Start from the original so that what the form cannot show is kept. */
  json_node_take_object (root, object);
  {
    g_autoptr(GList) names = json_object_get_members (self->original);

    for (GList *l = names; l != NULL; l = l->next)
      json_object_set_member (object, l->data, json_node_copy (json_object_get_member (self->original, l->data)));
  }

  for (guint i = 0; i < self->members->len; i++)
    valid &= read_member (self, &g_array_index (self->members, Member, i), object);

  if (!valid)
    {
      regie_form_set_error (&self->form, _("Correct the marked fields first."));
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID, _("Correct the marked fields first."));
      return NULL;
    }

  text = json_to_string (root, FALSE);
  canonical = regie_record_canonicalize (self->kind, text, -1, &local_error);
  if (canonical == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is a technical reason */
      message = g_strdup_printf (_("This version is not valid: %s"), local_error->message);
      regie_form_set_error (&self->form, message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  regie_form_set_error (&self->form, NULL);
  return canonical;
}
