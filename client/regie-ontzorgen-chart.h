/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <gtk/gtk.h>

#include "regie-record.h"

G_BEGIN_DECLS

#define REGIE_TYPE_ONTZORGEN_CHART (regie_ontzorgen_chart_get_type ())
G_DECLARE_FINAL_TYPE (RegieOntzorgenChart, regie_ontzorgen_chart, REGIE, ONTZORGEN_CHART, GtkWidget)

/* Ontzorgen per month as bars: income (bijstand, other income and the
 * toeslagen received), the fixed costs paid and the leefgeld left, against
 * the municipal threshold. Months with a late toeslag and months with a
 * bridging loan still open are marked. Drawn in the theme's colours, so
 * dark mode follows; the accessible description says the same in words. */

GtkWidget *regie_ontzorgen_chart_new      (void);
/* months: RegieRecord (ontzorgen_month) sorted by month; loans: RegieRecord
 * (bridging_loan). */
void       regie_ontzorgen_chart_set_data (RegieOntzorgenChart *self,
                                           GPtrArray           *months,
                                           GPtrArray           *loans,
                                           gint64               threshold_cents,
                                           int                  toeslag_grace_days,
                                           const GDate         *today);
guint      regie_ontzorgen_chart_get_n_months (RegieOntzorgenChart *self);
/* For tests: the description a screen reader gets. */
const char *regie_ontzorgen_chart_get_description (RegieOntzorgenChart *self);

G_END_DECLS
