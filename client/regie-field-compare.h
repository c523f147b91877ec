/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Two versions of a record side by side, one row per field: its name, the
 * value before and the value after. Wide enough, three columns; narrower,
 * each field's name goes above its two values so that nothing is cut off.
 * Used by the PIP editor (version in force against the draft) and the
 * conflict queue (this computer's version against the server's). */

#define REGIE_TYPE_FIELD_COMPARE (regie_field_compare_get_type ())
G_DECLARE_FINAL_TYPE (RegieFieldCompare, regie_field_compare, REGIE, FIELD_COMPARE, GtkWidget)

GtkWidget  *regie_field_compare_new             (void);
/* The headings of the two value columns. */
void        regie_field_compare_set_titles      (RegieFieldCompare *self,
                                                 const char        *before_title,
                                                 const char        *after_title);
/* Shown across the columns while there are no rows (NULL: nothing). */
void        regie_field_compare_set_placeholder (RegieFieldCompare *self,
                                                 const char        *text);
void        regie_field_compare_clear           (RegieFieldCompare *self);
void        regie_field_compare_add_row         (RegieFieldCompare *self,
                                                 const char        *label,
                                                 const char        *before,
                                                 const char        *after);
guint       regie_field_compare_get_n_rows      (RegieFieldCompare *self);
/* The texts of row `position` (any out argument may be NULL). */
void        regie_field_compare_get_row         (RegieFieldCompare *self,
                                                 guint              position,
                                                 const char       **out_label,
                                                 const char       **out_before,
                                                 const char       **out_after);
/* Whether the last allocation put the names above the values. */
gboolean    regie_field_compare_get_stacked     (RegieFieldCompare *self);

G_END_DECLS
