/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Municipal policy: held by the server, edited by the beheerder, synced
 * read-only to clients. Numbers that are a municipality's choice live
 * here, never as constants in the rules. */
typedef struct
{
  gint64   leefgeld_threshold_cents;    /* signal when a month's leefgeld is below */
  int      progress_talk_weeks;         /* default when the PIP sets none */
  gboolean fine_asylum_status_holders;  /* whether the municipality fines them at all */
  int      retention_months;            /* closed dossiers are purged after this */
  int      pip_due_lead_days;           /* pip_due_soon this many days ahead */
  int      toeslag_grace_days;          /* toeslag_late after expected_on + this */
  int      free_exam_attempts;          /* per exam part, asylum status holders */
} RegieSettings;

void           regie_settings_init_defaults (RegieSettings  *settings);
/* Members absent from `node` keep their defaults; wrong types and
 * out-of-range values are errors. */
gboolean       regie_settings_from_json     (RegieSettings  *settings,
                                             JsonNode       *node,
                                             GError        **error);
JsonNode      *regie_settings_to_json       (const RegieSettings *settings);

G_END_DECLS
