/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>

#include "regie-window-private.h"

/* Half-written notes, one per dossier. The dossier page empties the note
 * field when another dossier opens (a note belongs to the dossier it was
 * written in); the window keeps what was typed and puts it back when that
 * dossier opens again. Kept in memory only: a note is personal data and
 * is written to disk only when it is added. */

struct _RegieNoteDrafts
{
  RegieDossierPage *page;
  GtkTextBuffer    *buffer;
  GHashTable       *drafts;          /* dossier id → text */
  char             *discarded;       /* for Undo */
  char             *discarded_dossier;
};

static char *
dup_buffer_text (RegieNoteDrafts *drafts)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (drafts->buffer, &start, &end);
  return gtk_text_buffer_get_text (drafts->buffer, &start, &end, FALSE);
}

gboolean
regie_note_drafts_has_text (RegieNoteDrafts *drafts)
{
  g_autofree char *text = dup_buffer_text (drafts);

  return g_strstrip (text)[0] != '\0';
}

RegieNoteDrafts *
regie_note_drafts_new (RegieDossierPage *page)
{
  RegieNoteDrafts *drafts = g_new0 (RegieNoteDrafts, 1);
  GtkTextView *view = regie_dossier_page_get_note_view (page);

  /* "Discard Draft" is in the page's template, beside "Add Note"; its
   * action (win.discard-note-draft) is the window's. */
  drafts->page = page;
  drafts->buffer = g_object_ref (gtk_text_view_get_buffer (view));
  drafts->drafts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  return drafts;
}

void
regie_note_drafts_free (RegieNoteDrafts *drafts)
{
  if (drafts == NULL)
    return;

  g_clear_object (&drafts->buffer);
  g_hash_table_unref (drafts->drafts);
  g_free (drafts->discarded);
  g_free (drafts->discarded_dossier);
  g_free (drafts);
}

void
regie_note_drafts_open (RegieNoteDrafts *drafts,
                        const char      *dossier_id)
{
  const char *current = regie_dossier_page_get_dossier_id (drafts->page);
  const char *kept;

  if (g_strcmp0 (current, dossier_id) == 0)
    return;

  if (current != NULL)
    {
      if (regie_note_drafts_has_text (drafts))
        g_hash_table_replace (drafts->drafts, g_strdup (current), dup_buffer_text (drafts));
      else
        g_hash_table_remove (drafts->drafts, current);
    }

  regie_dossier_page_set_dossier_id (drafts->page, dossier_id);

  kept = dossier_id != NULL ? g_hash_table_lookup (drafts->drafts, dossier_id) : NULL;
  if (kept != NULL)
    gtk_text_buffer_set_text (drafts->buffer, kept, -1);
}

void
regie_note_drafts_forget (RegieNoteDrafts *drafts)
{
  g_hash_table_remove_all (drafts->drafts);
  g_clear_pointer (&drafts->discarded, g_free);
  g_clear_pointer (&drafts->discarded_dossier, g_free);
}

gboolean
regie_note_drafts_discard (RegieNoteDrafts *drafts)
{
  const char *dossier_id = regie_dossier_page_get_dossier_id (drafts->page);

  if (dossier_id == NULL || !regie_note_drafts_has_text (drafts))
    return FALSE;

  g_free (drafts->discarded);
  drafts->discarded = dup_buffer_text (drafts);
  g_free (drafts->discarded_dossier);
  drafts->discarded_dossier = g_strdup (dossier_id);
  g_hash_table_remove (drafts->drafts, dossier_id);
  gtk_text_buffer_set_text (drafts->buffer, "", 0);
  return TRUE;
}

gboolean
regie_note_drafts_undo (RegieNoteDrafts *drafts)
{
  if (drafts->discarded == NULL ||
      g_strcmp0 (drafts->discarded_dossier, regie_dossier_page_get_dossier_id (drafts->page)) != 0)
    return FALSE;

  gtk_text_buffer_set_text (drafts->buffer, drafts->discarded, -1);
  g_clear_pointer (&drafts->discarded, g_free);
  g_clear_pointer (&drafts->discarded_dossier, g_free);
  return TRUE;
}
