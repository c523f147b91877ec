/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include "regie-record.h"
#include "regie-records.h"

struct _RegieNote
{
  GObject  parent_instance;

  char    *author;
  char    *created_at;
  char    *text;
};

G_DEFINE_FINAL_TYPE (RegieNote, regie_note, G_TYPE_OBJECT)

static void
regie_note_finalize (GObject *object)
{
  RegieNote *self = (RegieNote *) object;

  g_free (self->author);
  g_free (self->created_at);
  g_free (self->text);

  G_OBJECT_CLASS (regie_note_parent_class)->finalize (object);
}

static void
regie_note_class_init (RegieNoteClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = regie_note_finalize;
}

static void
regie_note_init (RegieNote *self)
{
}

RegieNote *
regie_note_new (const char *author,
                const char *created_at,
                const char *text)
{
  RegieNote *self;

  g_return_val_if_fail (author != NULL, NULL);
  g_return_val_if_fail (created_at != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  self = g_object_new (REGIE_TYPE_NOTE, NULL);
  self->author = g_strdup (author);
  self->created_at = g_strdup (created_at);
  self->text = g_strdup (text);

  return self;
}

RegieNote *
regie_note_new_from_json (JsonNode  *node,
                          GError   **error)
{
  g_autoptr(RegieRecord) record = NULL;

  if (!(record = regie_record_parse (NULL, NULL, REGIE_RECORD_NOTE, 0, node, error)))
    return NULL;

  return regie_note_new (regie_record_get_string (record, "author"),
                         regie_record_get_string (record, "created_at"),
                         regie_record_get_string (record, "text"));
}

JsonNode *
regie_note_to_json (RegieNote *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  g_return_val_if_fail (REGIE_IS_NOTE (self), NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "author");
  json_builder_add_string_value (b, self->author);
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, self->created_at);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, self->text);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

const char *
regie_note_get_author (RegieNote *self)
{
  g_return_val_if_fail (REGIE_IS_NOTE (self), NULL);
  return self->author;
}

const char *
regie_note_get_created_at (RegieNote *self)
{
  g_return_val_if_fail (REGIE_IS_NOTE (self), NULL);
  return self->created_at;
}

const char *
regie_note_get_text (RegieNote *self)
{
  g_return_val_if_fail (REGIE_IS_NOTE (self), NULL);
  return self->text;
}
