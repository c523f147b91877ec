/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include <string.h>

#include "regie-error.h"
#include "regie-record.h"
#include "regie-records.h"
#include "regie-util.h"

struct _RegieRecord
{
  GObject          parent_instance;

  char            *id;
  char            *dossier_id;
  RegieRecordKind  kind;
  gint64           version;
  JsonNode        *payload;
};

G_DEFINE_FINAL_TYPE (RegieRecord, regie_record, G_TYPE_OBJECT)

static void
regie_record_finalize (GObject *object)
{
  RegieRecord *self = (RegieRecord *) object;

  g_free (self->id);
  g_free (self->dossier_id);
  g_clear_pointer (&self->payload, json_node_unref);

  G_OBJECT_CLASS (regie_record_parent_class)->finalize (object);
}

static void
regie_record_class_init (RegieRecordClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = regie_record_finalize;
}

static void
regie_record_init (RegieRecord *self)
{
}

RegieRecord *
regie_record_parse (const char       *id,
                    const char       *dossier_id,
                    RegieRecordKind   kind,
                    gint64            version,
                    JsonNode         *payload,
                    GError          **error)
{
  return regie_record_parse_full (id, dossier_id, kind, version, payload,
                                  REGIE_SCHEMA_STRICT, error);
}

RegieRecord *
regie_record_parse_full (const char       *id,
                         const char       *dossier_id,
                         RegieRecordKind   kind,
                         gint64            version,
                         JsonNode         *payload,
                         RegieSchemaFlags  flags,
                         GError          **error)
{
  const RegieKindSpec *spec;
  RegieRecord *self;
  JsonNode *canonical;

  g_return_val_if_fail (kind < REGIE_N_RECORD_KINDS, NULL);

  if (id != NULL && !regie_uuid_is_valid (id))
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID, "record id \"%s\" is not a UUID", id);
      return NULL;
    }
  if (dossier_id != NULL && !regie_uuid_is_valid (dossier_id))
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                   "dossier id \"%s\" is not a UUID", dossier_id);
      return NULL;
    }

  spec = regie_kind_spec_get (kind);
  if (!(canonical = regie_schema_canonicalize (spec->fields, spec->name, payload, flags, error)))
    return NULL;
  if (spec->validate != NULL && !spec->validate (json_node_get_object (canonical), error))
    {
      json_node_unref (canonical);
      return NULL;
    }

  self = g_object_new (REGIE_TYPE_RECORD, NULL);
  self->id = g_strdup (id);
  self->dossier_id = g_strdup (dossier_id);
  self->kind = kind;
  self->version = version;
  self->payload = canonical;

  return self;
}

RegieRecord *
regie_record_parse_text (const char       *id,
                         const char       *dossier_id,
                         RegieRecordKind   kind,
                         gint64            version,
                         const char       *payload,
                         gssize            length,
                         GError          **error)
{
  g_autoptr(JsonNode) node = NULL;
  gsize len;

  g_return_val_if_fail (payload != NULL, NULL);

  len = length < 0 ? strlen (payload) : (gsize) length;
  if (len > REGIE_MAX_PAYLOAD_BYTES)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_TOO_LARGE,
                   "payload is larger than %d bytes", REGIE_MAX_PAYLOAD_BYTES);
      return NULL;
    }
  if (!(node = regie_json_parse (payload, len, error)))
    return NULL;

  return regie_record_parse (id, dossier_id, kind, version, node, error);
}

const char *
regie_record_get_id (RegieRecord *self)
{
  g_return_val_if_fail (REGIE_IS_RECORD (self), NULL);
  return self->id;
}

const char *
regie_record_get_dossier_id (RegieRecord *self)
{
  g_return_val_if_fail (REGIE_IS_RECORD (self), NULL);
  return self->dossier_id;
}

RegieRecordKind
regie_record_get_kind (RegieRecord *self)
{
  g_return_val_if_fail (REGIE_IS_RECORD (self), REGIE_RECORD_NOTE);
  return self->kind;
}

gint64
regie_record_get_version (RegieRecord *self)
{
  g_return_val_if_fail (REGIE_IS_RECORD (self), 0);
  return self->version;
}

JsonNode *
regie_record_get_payload (RegieRecord *self)
{
  g_return_val_if_fail (REGIE_IS_RECORD (self), NULL);
  return self->payload;
}

char *
regie_record_dup_payload_text (RegieRecord *self)
{
  g_return_val_if_fail (REGIE_IS_RECORD (self), NULL);
  return regie_json_to_string (self->payload);
}

const char *
regie_json_object_get_str (JsonObject *object,
                           const char *member)
{
  JsonNode *n;

  if (object == NULL || !(n = json_object_get_member (object, member)) ||
      !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

gboolean
regie_json_object_get_date (JsonObject *object,
                            const char *member,
                            GDate      *out_date)
{
  const char *s = regie_json_object_get_str (object, member);

  if (s == NULL)
    {
      if (out_date != NULL)
        g_date_clear (out_date, 1);
      return FALSE;
    }
  return regie_date_parse (s, out_date);
}

gint64
regie_json_object_get_int (JsonObject *object,
                           const char *member,
                           gint64      fallback)
{
  JsonNode *n;

  if (object == NULL || !(n = json_object_get_member (object, member)) ||
      !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (n);
}

const char *
regie_record_get_string (RegieRecord *self,
                         const char  *member)
{
  g_return_val_if_fail (REGIE_IS_RECORD (self), NULL);
  return regie_json_object_get_str (json_node_get_object (self->payload), member);
}

gboolean
regie_record_get_date (RegieRecord *self,
                       const char  *member,
                       GDate       *out_date)
{
  g_return_val_if_fail (REGIE_IS_RECORD (self), FALSE);
  return regie_json_object_get_date (json_node_get_object (self->payload), member, out_date);
}

gint64
regie_record_get_int (RegieRecord *self,
                      const char  *member,
                      gint64       fallback)
{
  g_return_val_if_fail (REGIE_IS_RECORD (self), fallback);
  return regie_json_object_get_int (json_node_get_object (self->payload), member, fallback);
}

gboolean
regie_record_get_bool (RegieRecord *self,
                       const char  *member)
{
  JsonNode *n;

  g_return_val_if_fail (REGIE_IS_RECORD (self), FALSE);

  n = json_object_get_member (json_node_get_object (self->payload), member);
  return n != NULL && JSON_NODE_HOLDS_VALUE (n) &&
         json_node_get_value_type (n) == G_TYPE_BOOLEAN && json_node_get_boolean (n);
}

JsonObject *
regie_record_get_object (RegieRecord *self,
                         const char  *member)
{
  JsonNode *n;

  g_return_val_if_fail (REGIE_IS_RECORD (self), NULL);

  n = json_object_get_member (json_node_get_object (self->payload), member);
  return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

JsonArray *
regie_record_get_array (RegieRecord *self,
                        const char  *member)
{
  JsonNode *n;

  g_return_val_if_fail (REGIE_IS_RECORD (self), NULL);

  n = json_object_get_member (json_node_get_object (self->payload), member);
  return n != NULL && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}
