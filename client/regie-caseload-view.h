/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <adwaita.h>

#include "regie-caseload-summary.h"
#include "regie-store.h"

G_BEGIN_DECLS

#define REGIE_TYPE_CASELOAD_VIEW (regie_caseload_view_get_type ())
G_DECLARE_FINAL_TYPE (RegieCaseloadView, regie_caseload_view, REGIE, CASELOAD_VIEW, AdwBin)

/* The caseworker's list of dossiers with search-as-you-type, filters and
 * sorting. Emits "dossier-selected" (const char *dossier_id, or NULL) when
 * the user picks a dossier; not when a reload keeps the selection.
 *
 * Properties, each also a widget action "caseload.<name>" (the filter and
 * sort menus use them): "sort" ("deadline" or "name"), "route-filter"
 * ("" any, "b1", "onderwijs", "z", "none"), "stage-filter" ("" or a
 * regie_stage_to_string() value), "doelgroep-filter" ("" or a wire name),
 * "signals-filter" (boolean), "deadline-filter" (boolean: next deadline
 * within "deadline-days" days, or overdue), "deadline-days" (int).
 * Action "caseload.clear-filters" resets every filter. */

void         regie_caseload_view_set_store       (RegieCaseloadView *self,
                                                  RegieStore        *store);
/* Where rows read their next deadline, signals, route and stage from. */
void         regie_caseload_view_set_summaries   (RegieCaseloadView      *self,
                                                  RegieCaseloadSummaries *summaries);
/* Reads the caseload from the store again, keeping search and selection. */
gboolean     regie_caseload_view_reload          (RegieCaseloadView *self,
                                                  GError           **error);
/* Starts reading the caseload of `store` (unlocked) on a worker thread,
 * for the next reload with that store, unless the store changes first;
 * NULL drops a reading under way. */
void         regie_caseload_view_prefetch        (RegieCaseloadView *self,
                                                  RegieStore        *store);
void         regie_caseload_view_focus_search    (RegieCaseloadView *self);
const char  *regie_caseload_view_get_selected_id (RegieCaseloadView *self);
/* Selects the dossier if it is shown; returns whether it was. */
gboolean     regie_caseload_view_select          (RegieCaseloadView *self,
                                                  const char        *dossier_id);
/* Selects the dossier `delta` rows below (or above) the selected one in
 * the list as shown; returns whether the selection moved. */
gboolean     regie_caseload_view_select_relative (RegieCaseloadView *self,
                                                  int                delta);
/* Sync progress in the list pane: fraction 0..1, or < 0 to pulse;
 * `visible` FALSE hides it. */
void         regie_caseload_view_set_progress    (RegieCaseloadView *self,
                                                  gboolean           visible,
                                                  double             fraction,
                                                  const char        *text);
/* The full name of a dossier in the caseload, or NULL. */
const char  *regie_caseload_view_lookup_name     (RegieCaseloadView *self,
                                                  const char        *dossier_id);

/* For tests: the filtered and sorted model the list shows (GtkSingleSelection
 * of RegieCaseloadItem), the unfiltered caseload, and the search entry. */
GtkSingleSelection *regie_caseload_view_get_selection    (RegieCaseloadView *self);
GListModel         *regie_caseload_view_get_caseload     (RegieCaseloadView *self);
GtkEditable        *regie_caseload_view_get_search_entry (RegieCaseloadView *self);

G_END_DECLS
