/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <gtk/gtk.h>

#include "regie-store.h"

G_BEGIN_DECLS

#define REGIE_TYPE_NOTE_ROW (regie_note_row_get_type ())
G_DECLARE_FINAL_TYPE (RegieNoteRow, regie_note_row, REGIE, NOTE_ROW, GtkListBoxRow)

/* One note of the dossier timeline. author_label replaces the user name
 * when set (the signed-in user's display name, say). */
GtkWidget  *regie_note_row_new         (const RegieStoreNote *note,
                                        const char           *author_label);
const char *regie_note_row_get_record_id (RegieNoteRow       *self);
gboolean    regie_note_row_get_pending (RegieNoteRow         *self);
const char *regie_note_row_get_text    (RegieNoteRow         *self);

G_END_DECLS
