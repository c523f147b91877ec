/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include <string.h>

#include "regie-error.h"
#include "regie-json-private.h"
#include "regie-record.h"
#include "regie-records.h"

static GObject *record_from_node (RegieRecordKind   kind,
                                  JsonNode         *node,
                                  GError          **error);

GObject *
regie_record_new_from_payload (RegieRecordKind   kind,
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

  return record_from_node (kind, node, error);
}

static GObject *
record_from_node (RegieRecordKind   kind,
                  JsonNode         *node,
                  GError          **error)
{
  switch (kind)
    {
    case REGIE_RECORD_DOSSIER:
      return (GObject *) regie_dossier_new_from_json (node, error);
    case REGIE_RECORD_PERSON:
      return (GObject *) regie_person_new_from_json (node, error);
    case REGIE_RECORD_ASSIGNMENT:
      return (GObject *) regie_assignment_new_from_json (node, error);
    case REGIE_RECORD_NOTE:
      return (GObject *) regie_note_new_from_json (node, error);
    case REGIE_N_RECORD_KINDS:
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID, "unknown record kind");
      return NULL;
    default:
      return (GObject *) regie_record_parse (NULL, NULL, kind, 0, node, error);
    }
}

char *
regie_record_canonicalize (RegieRecordKind   kind,
                           const char       *payload,
                           gssize            length,
                           GError          **error)
{
  g_autoptr(RegieRecord) record = NULL;

  if ((unsigned) kind >= REGIE_N_RECORD_KINDS)
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID, "unknown record kind");
      return NULL;
    }
  if (!(record = regie_record_parse_text (NULL, NULL, kind, 0, payload, length, error)))
    return NULL;

  return regie_record_dup_payload_text (record);
}

char *
regie_record_canonicalize_node (int        kind,
                                JsonNode  *node,
                                GError   **error)
{
  g_autoptr(JsonNode) out = NULL;
  const RegieKindSpec *spec;

  if (kind < 0 || kind >= REGIE_N_RECORD_KINDS)
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID, "unknown record kind");
      return NULL;
    }
  spec = regie_kind_spec_get (kind);
  if (!(out = regie_schema_canonicalize (spec->fields, spec->name, node, REGIE_SCHEMA_STRICT, error)))
    return NULL;

  if (spec->validate != NULL && !spec->validate (json_node_get_object (out), error))
    return NULL;

  return regie_json_to_string (out);
}
