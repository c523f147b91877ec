/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "regie-error.h"
#include "regie-pip-letter-render.h"

#define MARGIN_LEFT   72.0    /* 2.5 cm */
#define MARGIN_TOP    56.0
#define MARGIN_BOTTOM 56.0
#define PARAGRAPH_GAP 7.0

typedef struct
{
  const char *text;
  const char *font;
  double      gap_after;
} Block;

/* Draws (when `draw_page` matches) or just measures the blocks, breaking
 * pages between blocks; returns the page count. */
static int
layout_blocks (cairo_t     *cr,
               const Block *blocks,
               guint        n_blocks,
               double       width,
               double       height,
               int          draw_page)
{
  double text_width = width - 2 * MARGIN_LEFT;
  double y = MARGIN_TOP;
  int page = 0;

  for (guint i = 0; i < n_blocks; i++)
    {
      g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
      g_autoptr(PangoFontDescription) font = pango_font_description_from_string (blocks[i].font);
      int w, h;

      pango_layout_set_font_description (layout, font);
      pango_layout_set_width (layout, (int) (text_width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_text (layout, blocks[i].text, -1);
      pango_layout_get_size (layout, &w, &h);

      if (y + (double) h / PANGO_SCALE > height - MARGIN_BOTTOM && y > MARGIN_TOP)
        {
          page++;
          y = MARGIN_TOP;
        }
      if (page == draw_page)
        {
          cairo_move_to (cr, MARGIN_LEFT, y);
          pango_cairo_show_layout (cr, layout);
        }
      y += (double) h / PANGO_SCALE + blocks[i].gap_after;
    }

  return page + 1;
}

int
regie_pip_letter_draw (const RegiePipLetter *letter,
                       cairo_t              *cr,
                       double                width,
                       double                height,
                       int                   page)
{
  g_auto(GStrv) paragraphs = NULL;
  g_autoptr(GArray) blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  g_autofree char *greeting = NULL;
  Block b;

  g_return_val_if_fail (letter != NULL, 0);
  g_return_val_if_fail (cr != NULL, 0);

  cairo_set_source_rgb (cr, 0, 0, 0);

  b = (Block) { letter->municipality, "Sans Bold 14", 24 };
  g_array_append_val (blocks, b);
  b = (Block) { letter->recipient, "Serif 10.5", 18 };
  g_array_append_val (blocks, b);
  b = (Block) { letter->date, "Serif 10.5", 12 };
  g_array_append_val (blocks, b);
  b = (Block) { letter->subject, "Sans Bold 11", 18 };
  g_array_append_val (blocks, b);
  greeting = g_strdup_printf ("Beste %s,", letter->recipient);
  b = (Block) { greeting, "Serif 10.5", PARAGRAPH_GAP };
  g_array_append_val (blocks, b);

  paragraphs = g_strsplit (letter->body, "\n\n", -1);
  for (guint i = 0; paragraphs[i] != NULL; i++)
    {
      b = (Block) { paragraphs[i], "Serif 10.5", PARAGRAPH_GAP };
      g_array_append_val (blocks, b);
    }
  b = (Block) { letter->closing, "Serif 10.5", 0 };
  g_array_append_val (blocks, b);

  return layout_blocks (cr, (const Block *) blocks->data, blocks->len, width, height, page);
}

gboolean
regie_pip_letter_write_pdf (const RegiePipLetter  *letter,
                            const char            *path,
                            GError               **error)
{
  const double width = 595.0, height = 842.0;  /* A4 in points */
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;
  int n_pages;

  g_return_val_if_fail (letter != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  surface = cairo_pdf_surface_create (path, width, height);
  cr = cairo_create (surface);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, letter->subject);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, letter->municipality);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Regie " PACKAGE_VERSION);

  n_pages = regie_pip_letter_draw (letter, cr, width, height, -1);
  for (int page = 0; page < n_pages; page++)
    {
      regie_pip_letter_draw (letter, cr, width, height, page);
      cairo_show_page (cr);
    }

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE,
                   "Could not write %s: %s", path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
