/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include "regie-case.h"
#include "regie-settings.h"

G_BEGIN_DECLS

/* The PIP beschikking as a letter to the inburgeraar, in plain Dutch at
 * B1 level. The letter is a decision of a Dutch municipality and is always
 * in Dutch, whatever language the caseworker's desktop uses. */
typedef struct
{
  char *municipality;   /* "Gemeente Demoland" */
  char *recipient;      /* full name */
  char *date;           /* dagtekening, e.g. "23 november 2026" */
  char *subject;
  char *body;           /* paragraphs separated by a blank line */
  char *closing;        /* greeting, name and role, one per line */
} RegiePipLetter;

RegiePipLetter *regie_pip_letter_new   (RegieCase           *dossier,
                                        RegieRecord         *pip,
                                        const char          *municipality,
                                        const char          *klantmanager_name,
                                        const RegieSettings *settings,
                                        GError             **error);
void            regie_pip_letter_free  (RegiePipLetter      *letter);
/* The whole letter as plain text. */
char           *regie_pip_letter_to_text (const RegiePipLetter *letter);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RegiePipLetter, regie_pip_letter_free)

/* "23 november 2026": Dutch month names, independent of the locale. */
char           *regie_date_format_dutch (const GDate *date);

G_END_DECLS
