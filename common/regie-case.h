/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include "regie-record.h"

G_BEGIN_DECLS

/* One dossier with all its records: what the rules engine reads. Its JSON
 * form (docs/data-model.md) is what `regie-rules` takes:
 *   {"id": "<dossier uuid>", "records": [{"id", "kind", "version", "payload"}, …]} */

#define REGIE_TYPE_CASE (regie_case_get_type ())
G_DECLARE_FINAL_TYPE (RegieCase, regie_case, REGIE, CASE, GObject)

RegieCase    *regie_case_new            (const char       *dossier_id);
RegieCase    *regie_case_new_from_json  (JsonNode         *node,
                                         RegieSchemaFlags  flags,
                                         GError          **error);
JsonNode     *regie_case_to_json        (RegieCase        *self);
const char   *regie_case_get_id         (RegieCase        *self);
/* Adds or, for the same record id, replaces. */
void          regie_case_add_record     (RegieCase        *self,
                                         RegieRecord      *record);
/* Records of one kind in the order they were added; never NULL. */
GPtrArray    *regie_case_get_records    (RegieCase        *self,
                                         RegieRecordKind   kind);
RegieRecord  *regie_case_get_first      (RegieCase        *self,
                                         RegieRecordKind   kind);
guint         regie_case_get_n_records  (RegieCase        *self);

G_END_DECLS
