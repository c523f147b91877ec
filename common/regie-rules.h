/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include "regie-case.h"
#include "regie-settings.h"

G_BEGIN_DECLS

/* The rules of the Wet inburgering 2021 as pure functions of a dossier, a
 * date and the municipal settings: no I/O, no clock. Every code is stable
 * and documented in docs/rules.md with its legal source. */

typedef enum
{
  REGIE_SEVERITY_ERROR,
  REGIE_SEVERITY_WARNING,
} RegieSeverity;

typedef struct
{
  const char *code;      /* static string, e.g. "pip_due" */
  GDate       date;
} RegieDeadline;

typedef struct
{
  const char    *code;
  RegieSeverity  severity;
  char          *message;   /* translated, for people */
  char          *record_id; /* the record it is about, or NULL */
} RegieFinding;

typedef struct
{
  const char *code;
  GDate       date;
  char       *message;
  char       *record_id;
} RegieRuleSignal;

typedef struct
{
  GArray    *deadlines;   /* RegieDeadline, ordered by date */
  GPtrArray *findings;    /* RegieFinding*, errors first */
  GPtrArray *signals;     /* RegieRuleSignal*, ordered by date */
} RegieRulesResult;

RegieRulesResult *regie_rules_evaluate          (RegieCase           *dossier,
                                                 const GDate         *today,
                                                 const RegieSettings *settings);
void              regie_rules_result_free       (RegieRulesResult    *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RegieRulesResult, regie_rules_result_free)

const RegieDeadline *regie_rules_result_get_deadline (RegieRulesResult *result,
                                                      const char       *code);
RegieFinding        *regie_rules_result_get_finding  (RegieRulesResult *result,
                                                      const char       *code);
RegieRuleSignal     *regie_rules_result_get_signal   (RegieRulesResult *result,
                                                      const char       *code);
gboolean             regie_rules_result_has_errors   (RegieRulesResult *result);

/* {"deadlines":[{"code","date"}], "findings":[{"code","severity","message"}],
 *  "signals":[{"code","date"}]} */
JsonNode         *regie_rules_result_to_json    (RegieRulesResult    *result);
const char       *regie_severity_to_string      (RegieSeverity        severity);

/* Every code the engine can produce, for documentation and tests. */
const char * const *regie_rules_all_codes       (void);

G_END_DECLS
