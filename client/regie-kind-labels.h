/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <json-glib/json-glib.h>

#include "regie-schema.h"
#include "regie-types.h"

G_BEGIN_DECLS

/* What a caseworker reads for the record kinds of docs/data-model.md, for
 * views that show a record of any kind (the conflict queue and its
 * editor). All results are translated. */

/* "DUO decision", "Handhaving", … */
const char *regie_kind_label          (RegieRecordKind       kind);
/* The name of a member, e.g. "Outcome"; the wire name for members that
 * have no label of their own. */
const char *regie_kind_member_label   (RegieRecordKind       kind,
                                       const char           *member);
/* An enumerated value, e.g. "Granted" for outcome "granted"; the wire
 * value when it has no label. */
const char *regie_kind_value_label    (RegieRecordKind       kind,
                                       const char           *member,
                                       const char           *value);
/* A member's value as a person reads it: dates in the locale's words,
 * amounts in euros, Yes/No, labels for enumerations; "—" when absent. */
char       *regie_kind_format_value   (RegieRecordKind       kind,
                                       const RegieFieldSpec *spec,
                                       JsonObject           *payload);
/* Every member of a payload with a value, as "Name: value" lines; for a
 * note only its text. For copying an edit elsewhere. */
char       *regie_kind_describe       (RegieRecordKind       kind,
                                       const char           *payload);

G_END_DECLS
