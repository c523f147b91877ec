/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <cairo.h>

#include "regie-pip-letter.h"

G_BEGIN_DECLS

/* Lays the letter out on pages of `width` × `height` points (A4 is
 * 595 × 842) and draws page `page` (0-based) on `cr`; returns the number
 * of pages. With page −1 it only counts. Shared by the PDF export and
 * GtkPrintOperation, so the printed letter is the PDF. */
int      regie_pip_letter_draw      (const RegiePipLetter  *letter,
                                     cairo_t               *cr,
                                     double                 width,
                                     double                 height,
                                     int                    page);
gboolean regie_pip_letter_write_pdf (const RegiePipLetter  *letter,
                                     const char            *path,
                                     GError               **error);

G_END_DECLS
