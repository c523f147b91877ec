/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieServer"

#include "config.h"

#include <string.h>

#include "regie-audit.h"
#include "regie-error.h"

#define GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

static const char audit_schema[] =
  "CREATE TABLE IF NOT EXISTS audit ("
  "  seq           INTEGER PRIMARY KEY,"
  "  at            TEXT NOT NULL,"
  "  username      TEXT NOT NULL,"
  "  device        TEXT,"
  "  action        TEXT NOT NULL,"
  "  field_classes TEXT,"
  "  detail        TEXT,"
  "  prev_hash     TEXT NOT NULL,"
  "  hash          TEXT NOT NULL"
  ");"
  "CREATE TABLE IF NOT EXISTS audit_dossier ("
  "  audit_seq  INTEGER NOT NULL,"
  "  dossier_id TEXT NOT NULL,"
  "  PRIMARY KEY (dossier_id, audit_seq)"
  ") WITHOUT ROWID;"
  "CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit "
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit "
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TRIGGER IF NOT EXISTS audit_dossier_no_update BEFORE UPDATE ON audit_dossier "
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TRIGGER IF NOT EXISTS audit_dossier_no_delete BEFORE DELETE ON audit_dossier "
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;";

static gboolean
sqlite_fail (sqlite3     *db,
             const char  *what,
             GError     **error)
{
  g_set_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE, "audit log: %s: %s", what, sqlite3_errmsg (db));
  return FALSE;
}

gboolean
regie_audit_init (sqlite3  *db,
                  GError  **error)
{
  g_return_val_if_fail (db != NULL, FALSE);

  if (sqlite3_exec (db, audit_schema, NULL, NULL, NULL) != SQLITE_OK)
    return sqlite_fail (db, "create", error);
  return TRUE;
}

/* Length-prefixed fields, so no choice of values can make two different
 * entries hash alike. */
static void
feed (GChecksum  *sum,
      const char *value)
{
  char len[24];

  if (value == NULL)
    {
      g_checksum_update (sum, (const guchar *) "-\n", 2);
      return;
    }
  g_snprintf (len, sizeof len, "%zu:", strlen (value));
  g_checksum_update (sum, (const guchar *) len, -1);
  g_checksum_update (sum, (const guchar *) value, -1);
  g_checksum_update (sum, (const guchar *) "\n", 1);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char **) a, *(const char **) b);
}

static char *
entry_hash (gint64       seq,
            const char  *at,
            const char  *username,
            const char  *device,
            const char  *action,
            const char  *field_classes,
            const char  *detail,
            GPtrArray   *dossiers,    /* sorted */
            const char  *prev_hash)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *seq_text = g_strdup_printf ("%" G_GINT64_FORMAT, seq);

  feed (sum, prev_hash);
  feed (sum, seq_text);
  feed (sum, at);
  feed (sum, username);
  feed (sum, device);
  feed (sum, action);
  feed (sum, field_classes);
  feed (sum, detail);
  for (guint i = 0; i < dossiers->len; i++)
    feed (sum, g_ptr_array_index (dossiers, i));

  return g_strdup (g_checksum_get_string (sum));
}

static char *
now_text (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
}

gboolean
regie_audit_append (sqlite3                *db,
                    const RegieAuditEntry  *entry,
                    GError                **error)
{
  g_autoptr(GPtrArray) dossiers = g_ptr_array_new ();
  g_autofree char *prev = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *at = now_text ();
  sqlite3_stmt *stmt = NULL;
  gint64 seq = 1;
  int rc;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (entry != NULL && entry->username != NULL && entry->action != NULL, FALSE);

  if (sqlite3_prepare_v2 (db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", -1, &stmt, NULL) != SQLITE_OK)
    return sqlite_fail (db, "read head", error);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      seq = sqlite3_column_int64 (stmt, 0) + 1;
      prev = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return sqlite_fail (db, "read head", error);
  if (prev == NULL)
    prev = g_strdup (GENESIS_HASH);

  for (guint i = 0; i < entry->n_dossiers; i++)
    g_ptr_array_add (dossiers, (gpointer) entry->dossier_ids[i]);
  g_ptr_array_sort (dossiers, compare_strings);

  hash = entry_hash (seq, at, entry->username, entry->device, entry->action,
                     entry->field_classes, entry->detail, dossiers, prev);

  if (sqlite3_prepare_v2 (db,
                          "INSERT INTO audit (seq, at, username, device, action, field_classes, detail, prev_hash, hash) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return sqlite_fail (db, "prepare", error);
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_text (stmt, 2, at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, entry->username, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, entry->device, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, entry->action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, entry->field_classes, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, entry->detail, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, prev, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, hash, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return sqlite_fail (db, "append", error);

  if (dossiers->len == 0)
    return TRUE;

  if (sqlite3_prepare_v2 (db, "INSERT OR IGNORE INTO audit_dossier (audit_seq, dossier_id) VALUES (?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return sqlite_fail (db, "prepare", error);
  for (guint i = 0; i < dossiers->len; i++)
    {
      sqlite3_bind_int64 (stmt, 1, seq);
      sqlite3_bind_text (stmt, 2, g_ptr_array_index (dossiers, i), -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          sqlite3_finalize (stmt);
          return sqlite_fail (db, "append dossier", error);
        }
    }
  sqlite3_finalize (stmt);

  return TRUE;
}

gboolean
regie_audit_verify (sqlite3  *db,
                    gint64   *out_entries,
                    char    **out_head,
                    GError  **error)
{
  g_autofree char *prev = g_strdup (GENESIS_HASH);
  sqlite3_stmt *rows = NULL, *links = NULL;
  gint64 expected_seq = 1;
  gint64 n = 0;
  gboolean ok = FALSE;
  int rc, link_rc;

  g_return_val_if_fail (db != NULL, FALSE);

  if (sqlite3_prepare_v2 (db,
                          "SELECT seq, at, username, device, action, field_classes, detail, prev_hash, hash "
                          "FROM audit ORDER BY seq", -1, &rows, NULL) != SQLITE_OK ||
      /* The dossiers of every entry in one ordered pass, merged with the
       * entries below: audit_dossier is keyed by dossier, so a lookup by
       * entry would scan the whole table once per entry. */
      sqlite3_prepare_v2 (db, "SELECT audit_seq, dossier_id FROM audit_dossier ORDER BY audit_seq, dossier_id",
                          -1, &links, NULL) != SQLITE_OK)
    {
      sqlite_fail (db, "prepare", error);
      goto out;
    }

  link_rc = sqlite3_step (links);
  while ((rc = sqlite3_step (rows)) == SQLITE_ROW)
    {
      g_autoptr(GPtrArray) dossiers = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *hash = NULL;
      gint64 seq = sqlite3_column_int64 (rows, 0);
      const char *stored_prev = (const char *) sqlite3_column_text (rows, 7);
      const char *stored_hash = (const char *) sqlite3_column_text (rows, 8);

      if (seq != expected_seq)
        {
          g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                       "audit log: entry %" G_GINT64_FORMAT " is missing", expected_seq);
          goto out;
        }

      /* Links of entries that do not exist are passed over, as before. */
      while (link_rc == SQLITE_ROW && sqlite3_column_int64 (links, 0) < seq)
        link_rc = sqlite3_step (links);
      while (link_rc == SQLITE_ROW && sqlite3_column_int64 (links, 0) == seq)
        {
          g_ptr_array_add (dossiers, g_strdup ((const char *) sqlite3_column_text (links, 1)));
          link_rc = sqlite3_step (links);
        }
      if (link_rc != SQLITE_ROW && link_rc != SQLITE_DONE)
        {
          sqlite_fail (db, "read", error);
          goto out;
        }

      hash = entry_hash (seq,
                         (const char *) sqlite3_column_text (rows, 1),
                         (const char *) sqlite3_column_text (rows, 2),
                         (const char *) sqlite3_column_text (rows, 3),
                         (const char *) sqlite3_column_text (rows, 4),
                         (const char *) sqlite3_column_text (rows, 5),
                         (const char *) sqlite3_column_text (rows, 6),
                         dossiers, prev);
      if (g_strcmp0 (stored_prev, prev) != 0 || g_strcmp0 (stored_hash, hash) != 0)
        {
          g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                       "audit log: entry %" G_GINT64_FORMAT " was altered (hash chain broken)", seq);
          goto out;
        }

      g_free (prev);
      prev = g_strdup (stored_hash);
      expected_seq++;
      n++;
    }
  if (rc != SQLITE_DONE)
    {
      sqlite_fail (db, "read", error);
      goto out;
    }

  if (out_entries != NULL)
    *out_entries = n;
  if (out_head != NULL)
    *out_head = g_steal_pointer (&prev);
  ok = TRUE;

out:
  sqlite3_finalize (rows);
  sqlite3_finalize (links);
  return ok;
}
