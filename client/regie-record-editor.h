/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <adwaita.h>

#include "regie-types.h"

G_BEGIN_DECLS

/* A form for a record of any kind, built from its schema
 * (common/regie-kinds.c) and filled in from a payload: for kinds the
 * dossier page has no editor of its own, e.g. to edit this computer's
 * version of a conflicting DUO decision. Each member's row is named
 * "editor-MEMBER". Nested lists are kept as they are. */

#define REGIE_TYPE_RECORD_EDITOR (regie_record_editor_get_type ())
G_DECLARE_FINAL_TYPE (RegieRecordEditor, regie_record_editor, REGIE, RECORD_EDITOR, AdwBin)

GtkWidget       *regie_record_editor_new         (RegieRecordKind     kind,
                                                  const char         *title,
                                                  const char         *payload);
RegieRecordKind  regie_record_editor_get_kind    (RegieRecordEditor  *self);
/* The edited payload, validated for the kind, or NULL: then the rows at
 * fault are marked and the reason is shown under the form. */
char            *regie_record_editor_dup_payload (RegieRecordEditor  *self,
                                                  GError            **error);

G_END_DECLS
