/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include "regie-caseload-summary.h"
#include "regie-caseload-view.h"
#include "regie-conflicts-window.h"
#include "regie-my-week-view.h"
#include "regie-dossier-page.h"
#include "regie-lock-page.h"
#include "regie-sign-in-page.h"
#include "regie-store.h"
#include "regie-sync-engine.h"
#include "regie-window.h"

G_BEGIN_DECLS

/* Inside the client and its tests only. */

/* NULL until signed in. */
RegieStore        *regie_window_get_store        (RegieWindow *self);
RegieSyncEngine   *regie_window_get_sync_engine  (RegieWindow *self);
RegieCaseloadView *regie_window_get_caseload_view (RegieWindow *self);
RegieDossierPage  *regie_window_get_dossier_page (RegieWindow *self);
RegieSignInPage   *regie_window_get_sign_in_page (RegieWindow *self);
gboolean           regie_window_is_signing_in    (RegieWindow *self);
gboolean           regie_window_is_syncing       (RegieWindow *self);
/* The text of the sync state in the header ("Synced", "Offline", …). */
const char        *regie_window_get_sync_status  (RegieWindow *self);
RegieMyWeekView   *regie_window_get_my_week_view (RegieWindow *self);
RegieCaseloadSummaries *regie_window_get_summaries (RegieWindow *self);
/* The conflict queue, while open (win.show-conflicts opens it). */
RegieConflictsWindow *regie_window_get_conflicts_window (RegieWindow *self);
/* Locked after idle time, on suspend or on request (win.lock). */
gboolean           regie_window_is_locked        (RegieWindow *self);
RegieLockPage     *regie_window_get_lock_page    (RegieWindow *self);
/* "caseload" or "my-week" */
void               regie_window_show_list        (RegieWindow *self,
                                                  const char  *name);

/* Note drafts per dossier (regie-window-drafts.c). */
typedef struct _RegieNoteDrafts RegieNoteDrafts;

RegieNoteDrafts   *regie_note_drafts_new      (RegieDossierPage *page);
void               regie_note_drafts_free     (RegieNoteDrafts  *drafts);
/* Opens a dossier on the page, keeping the note being written. */
void               regie_note_drafts_open     (RegieNoteDrafts  *drafts,
                                               const char       *dossier_id);
gboolean           regie_note_drafts_has_text (RegieNoteDrafts  *drafts);
void               regie_note_drafts_forget   (RegieNoteDrafts  *drafts);
gboolean           regie_note_drafts_discard  (RegieNoteDrafts  *drafts);
gboolean           regie_note_drafts_undo     (RegieNoteDrafts  *drafts);

G_END_DECLS
