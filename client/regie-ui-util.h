/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <gtk/gtk.h>

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

/* The civil date in the Netherlands (Europe/Amsterdam), whatever the
 * machine's time zone: the "today" of the rules engine. */
void        regie_ui_get_today        (GDate      *out_today);
/* A GDate → the same formats as regie_ui_format_date(). */
char       *regie_ui_format_gdate     (const GDate *date,
                                       gboolean     long_form);

/* What a person types: a date as YYYY-MM-DD or in the locale's day-first
 * form (23-11-2026, 23/11/2026, 23.11.2026); a month as YYYY-MM or
 * MM-YYYY; an amount in euros with at most two decimals ("1.234,56",
 * "1234.56", "€ 12"). Empty text is FALSE. */
gboolean    regie_ui_parse_date       (const char *text,
                                       GDate      *out_date);
gboolean    regie_ui_parse_month      (const char *text,
                                       char      **out_month);
gboolean    regie_ui_parse_euros      (const char *text,
                                       gint64     *out_cents);
/* Cents → "€ 1.234,56" in the user's locale conventions. */
char       *regie_ui_format_euros     (gint64      cents);

/* Marks an editable (entry or entry row) as invalid with the `error`
 * style class and a tooltip, or clears that. */
void        regie_ui_set_invalid      (GtkWidget  *widget,
                                       const char *message);

/* A form row for a date: an AdwEntryRow with a calendar popover button
 * that fills it in. Read it with regie_ui_date_row_get(). */
GtkWidget  *regie_ui_date_row_new     (const char *title);
void        regie_ui_date_row_set     (GtkWidget  *row,
                                       const char *civil_date);
/* TRUE with *out_iso (YYYY-MM-DD, or NULL when empty and `required` is
 * FALSE) when the text is valid; otherwise marks the row invalid. */
gboolean    regie_ui_date_row_get     (GtkWidget  *row,
                                       gboolean    required,
                                       char      **out_iso);

/* A small "Not yet sent" badge for records still in the outbox. */
GtkWidget  *regie_ui_pending_badge_new (void);

/* Controls side by side that wrap onto more lines when the width runs
 * out (GTK 4.8 has no wrap box), aligned to the end; each control is
 * reached with Tab as if it were in a box. */
GtkWidget  *regie_ui_wrap_row_new     (void);
void        regie_ui_wrap_row_append  (GtkWidget  *row,
                                       GtkWidget  *child);

G_END_DECLS
