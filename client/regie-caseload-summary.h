/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <gio/gio.h>

#include "regie-case.h"
#include "regie-caseload-model.h"
#include "regie-settings.h"
#include "regie-store.h"

G_BEGIN_DECLS

/* What the caseload list needs to know about each dossier beyond its
 * person record: the rules engine's next deadline, whether anything needs
 * acting on, the route and the stage. Evaluated for the whole caseload on
 * a worker thread and cached per dossier, so that sorting by deadline,
 * the filters and "My week" never run the rules engine on the main loop. */

typedef enum
{
  REGIE_STAGE_INTAKE,   /* no brede intake recorded yet */
  REGIE_STAGE_PLAN,     /* intake started, no PIP issued */
  REGIE_STAGE_ROUTE,    /* a PIP is in force */
  REGIE_STAGE_CLOSED,
} RegieStage;

typedef enum
{
  REGIE_AGENDA_DEADLINE,
  REGIE_AGENDA_TALK,     /* a planned progress talk */
  REGIE_AGENDA_SIGNAL,
} RegieAgendaKind;

typedef struct
{
  RegieAgendaKind  kind;
  GDate            date;
  const char      *code;     /* rules code, or "signal" for a recorded signal */
  char            *text;     /* translated, or the signal's title */
} RegieAgendaEntry;

typedef struct
{
  char       *dossier_id;
  gboolean    has_deadline;
  GDate       next_deadline;       /* earliest deadline still to meet (may be past) */
  const char *next_deadline_code;  /* static */
  guint       n_signals;           /* rule signals plus recorded signals not done */
  char       *route;               /* "b1", "onderwijs", "z" or NULL (no PIP) */
  RegieStage  stage;
  GArray     *agenda;              /* RegieAgendaEntry: overdue, or due before today + 7 */
} RegieCaseloadSummary;

RegieCaseloadSummary *regie_caseload_summary_compute (RegieCase           *dossier,
                                                      const GDate         *today,
                                                      const RegieSettings *settings);
void                  regie_caseload_summary_free    (RegieCaseloadSummary *summary);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RegieCaseloadSummary, regie_caseload_summary_free)

const char           *regie_stage_to_string          (RegieStage stage);
/* Translated label of a stage. */
const char           *regie_stage_label              (RegieStage stage);

/* Reads the municipal settings from the store's "settings" meta key;
 * defaults for anything missing or unreadable. */
void                  regie_caseload_settings_load   (RegieStore    *store,
                                                      RegieSettings *out_settings);

#define REGIE_TYPE_CASELOAD_SUMMARIES (regie_caseload_summaries_get_type ())
G_DECLARE_FINAL_TYPE (RegieCaseloadSummaries, regie_caseload_summaries, REGIE, CASELOAD_SUMMARIES, GObject)

/* The cache. Emits "changed" on the main thread whenever summaries were
 * (re)computed; "ready" (boolean property) turns TRUE once a whole
 * caseload has been evaluated. */
RegieCaseloadSummaries *regie_caseload_summaries_new      (void);
/* Evaluates the given dossiers (or, ids NULL, every dossier in the store)
 * on a worker thread, with a separate read connection to the store file.
 * A full update cancels one still running. */
void                    regie_caseload_summaries_update   (RegieCaseloadSummaries *self,
                                                           RegieStore             *store,
                                                           const char * const     *ids);
/* The list's caseload: a whole-caseload update evaluates the dossiers it
 * holds instead of reading every dossier id from the store again, as
 * long as it is not empty. */
void                    regie_caseload_summaries_set_caseload (RegieCaseloadSummaries *self,
                                                               RegieCaseloadModel     *caseload);
void                    regie_caseload_summaries_clear    (RegieCaseloadSummaries *self);
RegieCaseloadSummary   *regie_caseload_summaries_lookup   (RegieCaseloadSummaries *self,
                                                           const char             *dossier_id);
gboolean                regie_caseload_summaries_is_ready (RegieCaseloadSummaries *self);
/* The day the summaries were computed for. */
const GDate            *regie_caseload_summaries_get_today (RegieCaseloadSummaries *self);
/* Iterates (dossier id → RegieCaseloadSummary). */
GHashTable             *regie_caseload_summaries_get_table (RegieCaseloadSummaries *self);

G_END_DECLS
