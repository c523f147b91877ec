/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include <string.h>

#include "regie-error.h"
#include "regie-json-private.h"
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
    default:
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID, "unknown record kind");
      return NULL;
    }
}

static JsonNode *
record_to_json (RegieRecordKind  kind,
                GObject         *record)
{
  switch (kind)
    {
    case REGIE_RECORD_DOSSIER:
      return regie_dossier_to_json (REGIE_DOSSIER (record));
    case REGIE_RECORD_PERSON:
      return regie_person_to_json (REGIE_PERSON (record));
    case REGIE_RECORD_ASSIGNMENT:
      return regie_assignment_to_json (REGIE_ASSIGNMENT (record));
    case REGIE_RECORD_NOTE:
      return regie_note_to_json (REGIE_NOTE (record));
    case REGIE_N_RECORD_KINDS:
    default:
      g_assert_not_reached ();
    }
}

char *
regie_record_canonicalize (RegieRecordKind   kind,
                           const char       *payload,
                           gssize            length,
                           GError          **error)
{
  g_autoptr(GObject) record = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (!(record = regie_record_new_from_payload (kind, payload, length, error)))
    return NULL;

  node = record_to_json (kind, record);
  return regie_json_to_string (node);
}

char *
regie_record_canonicalize_node (int        kind,
                                JsonNode  *node,
                                GError   **error)
{
  g_autoptr(GObject) record = NULL;
  g_autoptr(JsonNode) out = NULL;

  if (kind < 0 || kind >= REGIE_N_RECORD_KINDS)
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID, "unknown record kind");
      return NULL;
    }
  if (!(record = record_from_node ((RegieRecordKind) kind, node, error)))
    return NULL;

  out = record_to_json ((RegieRecordKind) kind, record);
  return regie_json_to_string (out);
}
