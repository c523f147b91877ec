/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>

#include "regie-rule-labels.h"

typedef struct
{
  const char *code;
  const char *context;
  const char *label;
  const char *icon_name;
} RuleLabel;

/* One table for every code the engine produces; kept complete by
 * test-dossier-ui against regie_rules_all_codes(). Labels are marked with
 * NC_() and translated on lookup. */
static const RuleLabel labels[] = {
  /* deadlines */
  /* Translators: deadline: last day to issue the first PIP (Persoonlijk
   * Plan Inburgering en Participatie, the integration plan); keep "PIP" */
  { "pip_due", "deadline", NC_("deadline", "PIP due"), "document-edit-symbolic" },
  /* Translators: deadline: end of the 3-year inburgeringstermijn */
  { "term_end", "deadline", NC_("deadline", "End of integration term"), "appointment-soon-symbolic" },
  /* Translators: deadline: last day to lodge bezwaar (an objection)
   * against the latest PIP decision */
  { "bezwaar_end", "deadline", NC_("deadline", "Objection period ends"), "mail-send-symbolic" },
  /* Translators: deadline: the next voortgangsgesprek (progress talk) */
  { "next_progress_talk", "deadline", NC_("deadline", "Next progress talk"), "system-users-symbolic" },
  /* Translators: deadline: the six-month review of ontzorgen (the
   * municipality paying fixed costs out of the benefit); keep "ontzorgen" */
  { "ontzorgen_review", "deadline", NC_("deadline", "Ontzorgen review"), "accessories-calculator-symbolic" },
  /* Translators: deadline: last day the leerroute (learning route) may be
   * switched, 18 months into the term */
  { "route_switch_limit", "deadline", NC_("deadline", "Route switch possible until"), "media-playlist-shuffle-symbolic" },

  /* findings */
  /* Translators: BSN is the Dutch citizen service number; the elfproef is its check digit test */
  { "bsn_invalid", "finding", NC_("finding", "BSN fails the elfproef"), "dialog-error-symbolic" },
  { "pip_late", "finding", NC_("finding", "PIP late"), "dialog-error-symbolic" },
  /* Translators: a DUO validation; keep "PIP" and "B1" */
  { "pip_a2_on_first_b1", "finding", NC_("finding", "Target below B1 on a first B1 PIP"), "dialog-error-symbolic" },
  /* Translators: a DUO validation; "onderwijsroute" is the education route of the Act */
  { "pip_a2_on_onderwijsroute", "finding", NC_("finding", "Target below B1 on the onderwijsroute"), "dialog-error-symbolic" },
  /* Translators: a DUO validation; the Z-route is the self-reliance route */
  { "pip_b1_on_zroute", "finding", NC_("finding", "B1 target on the Z-route"), "dialog-error-symbolic" },
  { "pip_hours_estimate_not_asylum", "finding", NC_("finding", "Hours estimate for a non-asylum PIP"), "dialog-error-symbolic" },
  /* Translators: afschalen is lowering an exam part from B1 to A2; keep the term */
  { "afschalen_not_b1_route", "finding", NC_("finding", "Afschalen outside the B1-route"), "dialog-error-symbolic" },
  { "afschalen_first_pip", "finding", NC_("finding", "Afschalen in the first PIP"), "dialog-error-symbolic" },
  { "afschalen_hours_short", "finding", NC_("finding", "Afschalen before 600 certified hours"), "dialog-error-symbolic" },
  { "afschalen_effort_missing", "finding", NC_("finding", "Afschalen without proven effort"), "dialog-error-symbolic" },
  /* Translators: PVT is the participatieverklaringstraject; keep the abbreviation */
  { "pvt_hours_short", "finding", NC_("finding", "PVT signed before 12 hours"), "dialog-error-symbolic" },
  /* Translators: MAP is the module arbeidsmarkt en participatie; keep the abbreviation */
  { "map_on_onderwijsroute", "finding", NC_("finding", "MAP on the onderwijsroute"), "dialog-error-symbolic" },
  { "zroute_hours_short", "finding", NC_("finding", "Z-route hours short"), "dialog-error-symbolic" },
  { "ontzorgen_not_asylum", "finding", NC_("finding", "Ontzorgen for a non-asylum dossier"), "dialog-error-symbolic" },
  { "fine_over_max", "finding", NC_("finding", "Fine over the maximum"), "dialog-error-symbolic" },
  { "fine_without_warning", "finding", NC_("finding", "Fine without a warning"), "dialog-error-symbolic" },
  { "fine_asylum_policy", "finding", NC_("finding", "Fine against municipal policy"), "dialog-warning-symbolic" },

  /* signals */
  { "pip_due_soon", "signal", NC_("signal", "PIP due soon"), "appointment-missed-symbolic" },
  { "progress_talk_overdue", "signal", NC_("signal", "Progress talk overdue"), "appointment-missed-symbolic" },
  /* Translators: leefgeld is the money left to live on after fixed costs; keep the term */
  { "leefgeld_low", "signal", NC_("signal", "Leefgeld low"), "accessories-calculator-symbolic" },
  /* Translators: a toeslag is a Dutch benefit allowance (rent, care, children) */
  { "toeslag_late", "signal", NC_("signal", "Toeslag late"), "accessories-calculator-symbolic" },
  /* Translators: an overbruggingskrediet, a bridging loan */
  { "bridging_loan_open", "signal", NC_("signal", "Bridging loan open"), "accessories-calculator-symbolic" },
  { "exam_attempts_exhausted", "signal", NC_("signal", "Free exam attempts used"), "dialog-warning-symbolic" },
};

static const RuleLabel *
find (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].code, code) == 0)
      return &labels[i];
  return NULL;
}

const char *
regie_rule_label (const char *code)
{
  const RuleLabel *label = find (code);

  if (label == NULL)
    return code;
  return g_dpgettext2 (NULL, label->context, label->label);
}

const char *
regie_rule_icon_name (const char *code)
{
  const RuleLabel *label = find (code);

  return label != NULL ? label->icon_name : "dialog-information-symbolic";
}
