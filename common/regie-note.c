/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include <string.h>

#include "regie-error.h"
#include "regie-json-private.h"
#include "regie-records.h"
#include "regie-util.h"

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
  static const char * const members[] = { "author", "created_at", "text", NULL };
  JsonObject *object;
  const char *author, *created_at = NULL, *text = NULL;
  GError *local_error = NULL;
  g_autofree char *stripped = NULL;

  if (!(object = regie_json_expect_object (node, "note", error)) ||
      !regie_json_check_members (object, "note", members, error))
    return NULL;

  author = regie_json_get_string (object, "note", "author", TRUE, &local_error);
  if (!local_error)
    created_at = regie_json_get_string (object, "note", "created_at", TRUE, &local_error);
  if (!local_error)
    text = regie_json_get_string (object, "note", "text", TRUE, &local_error);
  if (local_error)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  if (!regie_text_is_valid (author, 64, FALSE) || author[0] == '\0')
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                           "note: author must be a user name");
      return NULL;
    }
  if (!regie_timestamp_is_valid (created_at))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                           "note: created_at must be an RFC 3339 UTC timestamp");
      return NULL;
    }
  if (strlen (text) > REGIE_MAX_NOTE_BYTES)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_TOO_LARGE,
                   "note: text is longer than %d bytes", REGIE_MAX_NOTE_BYTES);
      return NULL;
    }
  if (!regie_text_is_valid (text, REGIE_MAX_NOTE_BYTES, TRUE))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                           "note: text holds control characters");
      return NULL;
    }
  stripped = g_strstrip (g_strdup (text));
  if (stripped[0] == '\0')
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID, "note: text is empty");
      return NULL;
    }

  return regie_note_new (author, created_at, text);
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
