/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <glib.h>

#include "regie-types.h"

G_BEGIN_DECLS

/* What happens when an edit arrives on a stale base version:
 * - append-only kinds are never edited, so they never conflict;
 * - administrative kinds merge per member: members only one side changed
 *   take that side; members both changed take the later write (server
 *   order), and the overwritten value is kept in the record's history;
 * - critical kinds (who holds the dossier, its status, decisions,
 *   handhaving, handover, closure) go to the user's conflict queue. */
typedef enum
{
  REGIE_MERGE_APPEND_ONLY,
  REGIE_MERGE_FIELDS,
  REGIE_MERGE_CRITICAL,
} RegieMergePolicy;

RegieMergePolicy regie_kind_merge_policy (RegieRecordKind   kind);

/* Three-way merge of canonical payloads: `base` is what `mine` was made
 * on, `theirs` the current server version. Returns the merged canonical
 * payload; `out_overwritten` (nullable) receives the names of members
 * both sides changed differently, where `mine` won. Fails with
 * REGIE_ERROR_CONFLICT when the merge is not a valid record (e.g. a
 * period whose ends came from different sides). */
char            *regie_merge_fields      (RegieRecordKind   kind,
                                          const char       *base,
                                          const char       *mine,
                                          const char       *theirs,
                                          GPtrArray       **out_overwritten,
                                          GError          **error);

G_END_DECLS
