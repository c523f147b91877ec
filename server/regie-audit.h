/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* The processing log (in the spirit of VNG Verwerkingenlogging): every
 * read and write of a dossier, append-only and hash-chained. Each entry's
 * hash covers its own fields, the dossiers it touched and the previous
 * entry's hash, so changing, removing or reordering any entry breaks the
 * chain from there on. Triggers refuse UPDATE and DELETE outright. */

typedef struct
{
  const char         *username;
  const char         *device;         /* nullable */
  const char         *action;         /* "read", "write", "purge", … */
  const char         *field_classes;  /* comma-separated, nullable */
  const char         *detail;         /* nullable; never dossier content */
  const char * const *dossier_ids;    /* the dossiers touched */
  guint               n_dossiers;
} RegieAuditEntry;

gboolean regie_audit_init   (sqlite3                *db,
                             GError                **error);
/* Appends within the caller's transaction, so the entry commits or rolls
 * back with the work it describes. */
gboolean regie_audit_append (sqlite3                *db,
                             const RegieAuditEntry  *entry,
                             GError                **error);
/* Recomputes the chain. On success gives the number of entries and the
 * head hash (to anchor elsewhere); on a mismatch fails naming the first
 * broken entry. */
gboolean regie_audit_verify (sqlite3                *db,
                             gint64                 *out_entries,
                             char                  **out_head,
                             GError                **error);

G_END_DECLS
