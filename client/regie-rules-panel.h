/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <adwaita.h>

#include "regie-rules.h"

G_BEGIN_DECLS

#define REGIE_TYPE_RULES_PANEL (regie_rules_panel_get_type ())
G_DECLARE_FINAL_TYPE (RegieRulesPanel, regie_rules_panel, REGIE, RULES_PANEL, AdwBin)

/* What the rules engine says about a dossier: deadlines (overdue in the
 * `error` colour, within 14 days in `warning`), findings and signals, the
 * most urgent first. Each row's widget name is its code, e.g.
 * "leefgeld_low". When all of it does not fit in the height the panel
 * gets, it shows less (every deadline and the first findings, or only the
 * most urgent deadline and finding on a line each), and all of it behind
 * "Show All". */

GtkWidget *regie_rules_panel_new        (void);
/* NULL clears the panel. `today` decides what is overdue; deadlines in
 * `met_codes` (NULL-terminated, may be NULL) that have passed need nothing
 * more and are shown as passed instead. */
void       regie_rules_panel_set_result (RegieRulesPanel    *self,
                                         RegieRulesResult   *result,
                                         const GDate        *today,
                                         const char * const *met_codes);
/* Whether a row for `code` is shown. */
gboolean   regie_rules_panel_has_code   (RegieRulesPanel  *self,
                                         const char       *code);
/* The most height the panel asks for (0: all it needs); the owner sets it
 * from the height it has. */
void       regie_rules_panel_set_max_height (RegieRulesPanel *self,
                                             int              max_height);
typedef enum
{
  REGIE_RULES_PANEL_FULL,        /* everything */
  REGIE_RULES_PANEL_FIRST_ROWS,  /* every deadline, the first findings */
  REGIE_RULES_PANEL_SUMMARY,     /* a line each for the most urgent */
} RegieRulesPanelForm;

/* What the panel shows at its current size. */
RegieRulesPanelForm regie_rules_panel_get_form (RegieRulesPanel *self);
/* Whether "Show All" is offered (something is left out). */
gboolean   regie_rules_panel_get_show_all_visible (RegieRulesPanel *self);

G_END_DECLS
