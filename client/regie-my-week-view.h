/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <adwaita.h>

#include "regie-caseload-summary.h"
#include "regie-caseload-view.h"

G_BEGIN_DECLS

#define REGIE_TYPE_MY_WEEK_VIEW (regie_my_week_view_get_type ())
G_DECLARE_FINAL_TYPE (RegieMyWeekView, regie_my_week_view, REGIE, MY_WEEK_VIEW, AdwBin)

/* "My week": every deadline, signal and planned progress talk across the
 * caseload for the coming seven days, and what is overdue, grouped by day.
 * Activating an entry emits "dossier-activated" (const char *dossier_id). */

/* Names come from the caseload view, dates and codes from the summaries. */
void        regie_my_week_view_set_sources  (RegieMyWeekView        *self,
                                             RegieCaseloadSummaries *summaries,
                                             RegieCaseloadView      *caseload);
/* Builds the list again (the caseload reloaded). */
void        regie_my_week_view_refresh      (RegieMyWeekView        *self);

/* For tests: the shown rows (GListModel of RegieAgendaRow). */
GListModel *regie_my_week_view_get_model    (RegieMyWeekView        *self);

#define REGIE_TYPE_AGENDA_ROW (regie_agenda_row_get_type ())
G_DECLARE_FINAL_TYPE (RegieAgendaRow, regie_agenda_row, REGIE, AGENDA_ROW, GObject)

/* A day heading has no dossier id. */
const char *regie_agenda_row_get_dossier_id (RegieAgendaRow *self);
const char *regie_agenda_row_get_title      (RegieAgendaRow *self);
const char *regie_agenda_row_get_subtitle   (RegieAgendaRow *self);
/* Rules code ("pip_due", …), "signal", or NULL for a heading. */
const char *regie_agenda_row_get_code       (RegieAgendaRow *self);

G_END_DECLS
