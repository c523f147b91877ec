/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <adwaita.h>

#include "regie-rules.h"

G_BEGIN_DECLS

#define REGIE_TYPE_RULES_PANEL (regie_rules_panel_get_type ())
G_DECLARE_FINAL_TYPE (RegieRulesPanel, regie_rules_panel, REGIE, RULES_PANEL, AdwBin)

/* What the rules engine says about a dossier: deadlines (overdue in the
 * `error` colour, within 14 days in `warning`), findings and signals. Each
 * row's widget name is its code, e.g. "leefgeld_low". */

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

G_END_DECLS
