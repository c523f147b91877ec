/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Registers the client's GResource (templates, CSS, icon); safe to call
 * more than once. */
void        regie_ui_init_resources   (void);

/* Formatting shared by the client's widgets; all results are translated
 * and follow the user's locale. */

/* "YYYY-MM-DD" → e.g. "14 Aug 1995" (short) or "14 August 1995". Returns
 * a copy of the input when it is not a valid date. */
char       *regie_ui_format_date      (const char *civil_date,
                                       gboolean    long_form);
/* RFC 3339 timestamp → local date and time, e.g. "23 November 2026, 15:04". */
char       *regie_ui_format_timestamp (const char *timestamp);
/* Wire name of a doelgroep → translated label. */
const char *regie_ui_doelgroep_label  (const char *doelgroep);

G_END_DECLS
