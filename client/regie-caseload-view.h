/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <adwaita.h>

#include "regie-store.h"

G_BEGIN_DECLS

#define REGIE_TYPE_CASELOAD_VIEW (regie_caseload_view_get_type ())
G_DECLARE_FINAL_TYPE (RegieCaseloadView, regie_caseload_view, REGIE, CASELOAD_VIEW, AdwBin)

/* The caseworker's list of dossiers with search-as-you-type. Emits
 * "dossier-selected" (const char *dossier_id, or NULL) when the user picks
 * a dossier; not when a reload keeps the selection. */

void         regie_caseload_view_set_store       (RegieCaseloadView *self,
                                                  RegieStore        *store);
/* Reads the caseload from the store again, keeping search and selection. */
gboolean     regie_caseload_view_reload          (RegieCaseloadView *self,
                                                  GError           **error);
void         regie_caseload_view_focus_search    (RegieCaseloadView *self);
const char  *regie_caseload_view_get_selected_id (RegieCaseloadView *self);
/* Selects the dossier if it is shown; returns whether it was. */
gboolean     regie_caseload_view_select          (RegieCaseloadView *self,
                                                  const char        *dossier_id);

/* For tests: the filtered model the list shows (GtkSingleSelection of
 * RegieCaseloadItem), the unfiltered caseload, and the search entry. */
GtkSingleSelection *regie_caseload_view_get_selection    (RegieCaseloadView *self);
GListModel         *regie_caseload_view_get_caseload     (RegieCaseloadView *self);
GtkEditable        *regie_caseload_view_get_search_entry (RegieCaseloadView *self);

G_END_DECLS
