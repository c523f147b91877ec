/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <json-glib/json-glib.h>

#include "regie-schema.h"
#include "regie-types.h"

G_BEGIN_DECLS

/* Any record of a dossier: its envelope plus a validated, canonical
 * payload. The rules engine and the stores read every kind through this
 * one type; the typed objects (RegiePerson, RegieNote, …) exist for the
 * kinds the UI builds on. */

#define REGIE_TYPE_RECORD (regie_record_get_type ())
G_DECLARE_FINAL_TYPE (RegieRecord, regie_record, REGIE, RECORD, GObject)

/* Validates `payload` (a JSON object) against the kind's schema. */
RegieRecord     *regie_record_parse            (const char       *id,
                                                const char       *dossier_id,
                                                RegieRecordKind   kind,
                                                gint64            version,
                                                JsonNode         *payload,
                                                GError          **error);
RegieRecord     *regie_record_parse_full       (const char       *id,
                                                const char       *dossier_id,
                                                RegieRecordKind   kind,
                                                gint64            version,
                                                JsonNode         *payload,
                                                RegieSchemaFlags  flags,
                                                GError          **error);
RegieRecord     *regie_record_parse_text       (const char       *id,
                                                const char       *dossier_id,
                                                RegieRecordKind   kind,
                                                gint64            version,
                                                const char       *payload,
                                                gssize            length,
                                                GError          **error);

const char      *regie_record_get_id           (RegieRecord      *self);
const char      *regie_record_get_dossier_id   (RegieRecord      *self);
RegieRecordKind  regie_record_get_kind         (RegieRecord      *self);
gint64           regie_record_get_version      (RegieRecord      *self);
JsonNode        *regie_record_get_payload      (RegieRecord      *self);
char            *regie_record_dup_payload_text (RegieRecord      *self);

/* Member access; absent members give NULL, FALSE or `fallback`. */
const char      *regie_record_get_string       (RegieRecord      *self,
                                                const char       *member);
gboolean         regie_record_get_date         (RegieRecord      *self,
                                                const char       *member,
                                                GDate            *out_date);
gint64           regie_record_get_int          (RegieRecord      *self,
                                                const char       *member,
                                                gint64            fallback);
gboolean         regie_record_get_bool         (RegieRecord      *self,
                                                const char       *member);
JsonObject      *regie_record_get_object       (RegieRecord      *self,
                                                const char       *member);
JsonArray       *regie_record_get_array        (RegieRecord      *self,
                                                const char       *member);

/* The same for members of nested objects (array items, target levels). */
const char      *regie_json_object_get_str     (JsonObject       *object,
                                                const char       *member);
gboolean         regie_json_object_get_date    (JsonObject       *object,
                                                const char       *member,
                                                GDate            *out_date);
gint64           regie_json_object_get_int     (JsonObject       *object,
                                                const char       *member,
                                                gint64            fallback);

G_END_DECLS
