/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include "regie-caseload-view.h"
#include "regie-dossier-page.h"
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

G_END_DECLS
