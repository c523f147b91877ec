/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <adwaita.h>

#include "regie-rules-panel.h"
#include "regie-store.h"

G_BEGIN_DECLS

#define REGIE_TYPE_DOSSIER_PAGE (regie_dossier_page_get_type ())
G_DECLARE_FINAL_TYPE (RegieDossierPage, regie_dossier_page, REGIE, DOSSIER_PAGE, AdwBin)

/* One dossier as the Wet inburgering shapes it: the rules engine's
 * deadlines, findings and signals always on top, and sections for person
 * and household, brede intake, the PIP (versions and an editor that checks
 * DUO's validations as you type), route progress, progress talks, signals,
 * ontzorgen and notes. Every edit works offline. Properties "title" and
 * "subtitle" are meant for the header bar. */

void        regie_dossier_page_set_session    (RegieDossierPage *self,
                                               RegieStore       *store,
                                               const char       *username,
                                               const char       *display_name);
/* NULL shows the "no dossier selected" state. */
void        regie_dossier_page_set_dossier_id (RegieDossierPage *self,
                                               const char       *dossier_id);
const char *regie_dossier_page_get_dossier_id (RegieDossierPage *self);
/* Reads person and notes from the store again. */
void        regie_dossier_page_reload         (RegieDossierPage *self);
const char *regie_dossier_page_get_title      (RegieDossierPage *self);
const char *regie_dossier_page_get_subtitle   (RegieDossierPage *self);

/* For tests. */
GtkTextView *regie_dossier_page_get_note_view  (RegieDossierPage *self);
GtkListBox  *regie_dossier_page_get_notes_list (RegieDossierPage *self);
RegieRulesPanel *regie_dossier_page_get_rules_panel (RegieDossierPage *self);
/* "person", "intake", "pip", "progress", "talks", "signals", "ontzorgen", "notes" */
void         regie_dossier_page_show_section   (RegieDossierPage *self,
                                                const char       *name);

G_END_DECLS
