/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <gio/gio.h>

#include "regie-caseload-model.h"

G_BEGIN_DECLS

/* The caseload as shown: a RegieCaseloadModel's entries filtered and
 * ordered in place, as an array of entry numbers. A new query that only
 * adds to the previous one re-checks the rows shown; a change is announced
 * as "items-changed" covering just the rows that differ. */

#define REGIE_TYPE_CASELOAD_FILTER_MODEL (regie_caseload_filter_model_get_type ())
G_DECLARE_FINAL_TYPE (RegieCaseloadFilterModel, regie_caseload_filter_model, REGIE, CASELOAD_FILTER_MODEL, GObject)

typedef struct
{
  const char *query;           /* folded (regie_search_fold()); NULL or "": any */
  const char *doelgroep;       /* NULL or "": any */
  int         route;           /* RegieCaseloadRoute, or -1: any */
  int         stage;           /* RegieStage, or -1: any */
  gboolean    signals;         /* only dossiers with signals */
  guint32     deadline_limit;  /* Julian day: next deadline on or before it; 0: off */
  gboolean    by_deadline;     /* order by next deadline, else by name */
} RegieCaseloadCriteria;

typedef enum
{
  REGIE_CASELOAD_UPDATE_DEFAULT     = 0,
  /* Everything the new criteria let through, the old ones did too, in
   * the same order (a longer query): only the rows shown are checked. */
  REGIE_CASELOAD_UPDATE_MORE_STRICT = 1 << 0,
  /* Announce a replacement of rows in two steps instead of one, so that
   * GtkListView can reuse its row widgets (see the .c file). Only for a
   * list view whose scroll anchor is its first row. */
  REGIE_CASELOAD_UPDATE_SPLIT       = 1 << 1,
} RegieCaseloadUpdateFlags;

RegieCaseloadFilterModel *regie_caseload_filter_model_new        (RegieCaseloadModel          *source);
void                      regie_caseload_filter_model_update     (RegieCaseloadFilterModel    *self,
                                                                  const RegieCaseloadCriteria *criteria,
                                                                  RegieCaseloadUpdateFlags     flags);
/* The position of a source entry, or -1 if it is not shown. */
int                       regie_caseload_filter_model_find_entry (RegieCaseloadFilterModel    *self,
                                                                  guint                        entry);
/* The source entry shown at `position`. */
guint                     regie_caseload_filter_model_get_entry  (RegieCaseloadFilterModel    *self,
                                                                  guint                        position);

G_END_DECLS
