/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <adwaita.h>

#include "regie-field-compare.h"
#include "regie-record-editor.h"
#include "regie-store.h"

G_BEGIN_DECLS

/* The conflict queue for people (docs/protocol.md, conflicts by field
 * class): every edit the server did not apply because the record changed
 * meanwhile, this computer's version beside the server's, to keep mine,
 * use theirs or edit; and, in sections of their own, the edits left
 * behind when a dossier left the caseload before they were sent and the
 * edits the server refused, to copy elsewhere and then discard (after a
 * confirmation). Follows the store while open.
 *
 * Signal "resolved" (const char *record_id): a conflict was resolved, or
 * an edit discarded, in the store; the owner syncs so that the choice
 * reaches the server (or the server's version comes back). */

#define REGIE_TYPE_CONFLICTS_WINDOW (regie_conflicts_window_get_type ())
G_DECLARE_FINAL_TYPE (RegieConflictsWindow, regie_conflicts_window, REGIE, CONFLICTS_WINDOW, AdwWindow)

RegieConflictsWindow *regie_conflicts_window_new          (GtkWindow            *parent,
                                                           RegieStore           *store);
/* Reads the queue from the store again now (it also does so by itself
 * after the store changed). */
void                  regie_conflicts_window_refresh      (RegieConflictsWindow *self);
guint                 regie_conflicts_window_get_n_conflicts (RegieConflictsWindow *self);
guint                 regie_conflicts_window_get_n_orphaned  (RegieConflictsWindow *self);
guint                 regie_conflicts_window_get_n_rejected  (RegieConflictsWindow *self);
/* The comparison shown for a conflicting record; NULL if none. */
RegieFieldCompare    *regie_conflicts_window_get_compare  (RegieConflictsWindow *self,
                                                           const char           *record_id);
/* The form of "Edit…" while it is shown; NULL otherwise. */
RegieRecordEditor    *regie_conflicts_window_get_editor   (RegieConflictsWindow *self);

/* Conflicts, orphaned and refused edits together: what waits for the
 * user's decision. Cheap when there is none. */
guint                 regie_conflicts_count               (RegieStore           *store);
/* "2 changes need your decision" */
char                 *regie_conflicts_describe_count      (guint                 n);

G_END_DECLS
