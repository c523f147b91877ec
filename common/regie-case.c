/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include <string.h>

#include "regie-case.h"
#include "regie-error.h"
#include "regie-json-private.h"
#include "regie-records.h"
#include "regie-util.h"

#define REGIE_MAX_CASE_RECORDS 100000

struct _RegieCase
{
  GObject     parent_instance;

  char       *id;
  GPtrArray  *by_kind[REGIE_N_RECORD_KINDS];
  guint       n_records;
};

G_DEFINE_FINAL_TYPE (RegieCase, regie_case, G_TYPE_OBJECT)

static void
regie_case_finalize (GObject *object)
{
  RegieCase *self = (RegieCase *) object;

  g_free (self->id);
  for (int i = 0; i < REGIE_N_RECORD_KINDS; i++)
    g_ptr_array_unref (self->by_kind[i]);

  G_OBJECT_CLASS (regie_case_parent_class)->finalize (object);
}

static void
regie_case_class_init (RegieCaseClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = regie_case_finalize;
}

static void
regie_case_init (RegieCase *self)
{
  for (int i = 0; i < REGIE_N_RECORD_KINDS; i++)
    self->by_kind[i] = g_ptr_array_new_with_free_func (g_object_unref);
}

RegieCase *
regie_case_new (const char *dossier_id)
{
  RegieCase *self = g_object_new (REGIE_TYPE_CASE, NULL);

  self->id = g_strdup (dossier_id);
  return self;
}

const char *
regie_case_get_id (RegieCase *self)
{
  g_return_val_if_fail (REGIE_IS_CASE (self), NULL);
  return self->id;
}

void
regie_case_add_record (RegieCase   *self,
                       RegieRecord *record)
{
  GPtrArray *list;
  const char *id;

  g_return_if_fail (REGIE_IS_CASE (self));
  g_return_if_fail (REGIE_IS_RECORD (record));

  list = self->by_kind[regie_record_get_kind (record)];
  id = regie_record_get_id (record);
  for (guint i = 0; id != NULL && i < list->len; i++)
    if (g_strcmp0 (regie_record_get_id (g_ptr_array_index (list, i)), id) == 0)
      {
        g_object_unref (g_ptr_array_index (list, i));
        g_ptr_array_index (list, i) = g_object_ref (record);
        return;
      }

  g_ptr_array_add (list, g_object_ref (record));
  self->n_records++;
}

GPtrArray *
regie_case_get_records (RegieCase       *self,
                        RegieRecordKind  kind)
{
  g_return_val_if_fail (REGIE_IS_CASE (self), NULL);
  g_return_val_if_fail ((unsigned) kind < REGIE_N_RECORD_KINDS, NULL);

  return self->by_kind[kind];
}

RegieRecord *
regie_case_get_first (RegieCase       *self,
                      RegieRecordKind  kind)
{
  GPtrArray *list = regie_case_get_records (self, kind);

  return list != NULL && list->len > 0 ? g_ptr_array_index (list, 0) : NULL;
}

guint
regie_case_get_n_records (RegieCase *self)
{
  g_return_val_if_fail (REGIE_IS_CASE (self), 0);
  return self->n_records;
}

RegieCase *
regie_case_new_from_json (JsonNode          *node,
                          RegieSchemaFlags   flags,
                          GError           **error)
{
  static const char * const members[] = { "id", "records", NULL };
  static const char * const record_members[] = { "id", "kind", "version", "payload", NULL };
  g_autoptr(RegieCase) self = NULL;
  JsonObject *object;
  JsonNode *list;
  JsonArray *array;
  const char *id;

  if (!(object = regie_json_expect_object (node, "dossier", error)) ||
      !regie_json_check_members (object, "dossier", members, error) ||
      !(id = regie_json_get_string (object, "dossier", "id", TRUE, error)))
    return NULL;
  if (!regie_uuid_is_valid (id))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID, "dossier: \"id\" must be a UUID");
      return NULL;
    }

  list = json_object_get_member (object, "records");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                           "dossier: \"records\" must be an array");
      return NULL;
    }
  array = json_node_get_array (list);
  if (json_array_get_length (array) > REGIE_MAX_CASE_RECORDS)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_TOO_LARGE,
                   "dossier: more than %d records", REGIE_MAX_CASE_RECORDS);
      return NULL;
    }

  self = regie_case_new (id);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *what = g_strdup_printf ("record %u", i);
      g_autoptr(RegieRecord) record = NULL;
      g_autoptr(GError) local_error = NULL;
      JsonObject *r;
      const char *rid, *kind_name;
      RegieRecordKind kind;
      gint64 version = 0;

      if (!(r = regie_json_expect_object (json_array_get_element (array, i), what, error)) ||
          !regie_json_check_members (r, what, record_members, error) ||
          !(rid = regie_json_get_string (r, what, "id", TRUE, error)) ||
          !(kind_name = regie_json_get_string (r, what, "kind", TRUE, error)))
        return NULL;
      if (json_object_has_member (r, "version") &&
          !regie_json_get_int (r, what, "version", &version, error))
        return NULL;
      if (!regie_record_kind_from_string (kind_name, &kind))
        {
          g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                       "%s: unknown kind \"%s\"", what, kind_name);
          return NULL;
        }
      if (kind == REGIE_RECORD_DOSSIER && strcmp (rid, id) != 0)
        {
          g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                       "%s: a dossier record's id is the dossier id", what);
          return NULL;
        }

      record = regie_record_parse_full (rid, id, kind, version,
                                        json_object_get_member (r, "payload"), flags, &local_error);
      if (record == NULL)
        {
          g_set_error (error, REGIE_ERROR, local_error->code, "%s: %s", what, local_error->message);
          return NULL;
        }
      if (regie_kind_spec_get (kind)->one_per_dossier && regie_case_get_first (self, kind) != NULL)
        {
          g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                       "%s: a dossier has at most one \"%s\" record", what, kind_name);
          return NULL;
        }
      regie_case_add_record (self, record);
    }

  return g_steal_pointer (&self);
}

JsonNode *
regie_case_to_json (RegieCase *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  g_return_val_if_fail (REGIE_IS_CASE (self), NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, self->id);
  json_builder_set_member_name (b, "records");
  json_builder_begin_array (b);
  for (int k = 0; k < REGIE_N_RECORD_KINDS; k++)
    for (guint i = 0; i < self->by_kind[k]->len; i++)
      {
        RegieRecord *r = g_ptr_array_index (self->by_kind[k], i);

        json_builder_begin_object (b);
        json_builder_set_member_name (b, "id");
        json_builder_add_string_value (b, regie_record_get_id (r));
        json_builder_set_member_name (b, "kind");
        json_builder_add_string_value (b, regie_record_kind_to_string (k));
        json_builder_set_member_name (b, "version");
        json_builder_add_int_value (b, regie_record_get_version (r));
        json_builder_set_member_name (b, "payload");
        json_builder_add_value (b, json_node_copy (regie_record_get_payload (r)));
        json_builder_end_object (b);
      }
  json_builder_end_array (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}
