/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieStore"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include <glib/gstdio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sqlite3.h>

#include "regie-crypto.h"
#include "regie-error.h"
#include "regie-permissions.h"
#include "regie-store.h"
#include "regie-store-private.h"
#include "regie-util.h"

/* Record ids are UUIDs; anything longer is not one of ours. */
#define MAX_ID_BYTES 64

struct _RegieStore
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  /* SQL text (static string) → persistent prepared statement */
  GHashTable *statements;
  gboolean    index_deferred;   /* dossier index dropped for a first pull */
  gint64      acked_pruned_at;  /* unix seconds; 0: not yet */

  /* The data key: NULL while locked. Every payload and the secrets in
   * meta are sealed with it (docs/security.md, encryption at rest). */
  RegieKey   *key;
  GByteArray *scratch;          /* sealing buffer for pull pages */

  /* Dossiers kept as one bundle (see "bundles" below): dossier id → itself.
   * Read from the file at open and again when another connection wrote
   * to it (PRAGMA data_version) or a transaction that changed the set
   * was rolled back, so that a pull asks a hash table, not SQLite. */
  GHashTable *bundled;
  gint64      bundled_data_version;
  gboolean    bundled_dirty;    /* changed in the open transaction */
  gboolean    bundled_stale;    /* read again before the next use */

  /* A snapshot writes ~30 MB: the WAL is copied into the database on a
   * thread of its own afterwards, not by the commit that crosses the
   * autocheckpoint size (docs/performance.md). */
  gboolean    autocheckpoint_off;
  gboolean    storing_snapshot;
  GThread    *checkpoint_thread;
  gint        checkpoint_done;  /* atomic */
};

G_DEFINE_FINAL_TYPE (RegieStore, regie_store, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* A "changed" handler may free what the caller's ids point into (the
 * record it was given, a dossier view's own copy), so handlers get a
 * copy of the id that outlives the emission. */
static void
emit_changed (RegieStore *self,
              const char *dossier_id)
{
  g_autofree char *id = g_strdup (dossier_id);

  g_signal_emit (self, signals[CHANGED], 0, id);
}

enum {
  PROP_0,
  PROP_LOCKED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Meta keys kept sealed; the others (cursor, wrapped key, settings
 * versions) are not personal. */
static const char * const sealed_meta_keys[] = {
  "token", "display_name", "team", NULL
};

#define DATA_KEY_META "data_key"

/* See docs/performance.md for the measurements behind these. */
#define STORE_PAGE_SIZE       65536
#define STORE_CACHE_KIB       -16384    /* negative: KiB, as PRAGMA cache_size takes it */
#define STORE_BULK_CACHE_KIB  -131072   /* during a first pull only */
#define SIBLING_CACHE_KIB     -2048     /* worker connections */
#define WAL_CHECKPOINT_BYTES  (32 * 1024 * 1024)

#define INDEX_SQL "CREATE INDEX IF NOT EXISTS records_dossier_kind ON records (dossier_id, kind)"

static const char schema_sql[] =
  "CREATE TABLE IF NOT EXISTS records ("
  "  id         TEXT PRIMARY KEY NOT NULL,"
  "  dossier_id TEXT NOT NULL,"
  "  kind       TEXT NOT NULL,"
  "  version    INTEGER NOT NULL,"
  "  payload    TEXT NOT NULL"
  ");"
  INDEX_SQL ";"
  /* The caseload reads the person of every dossier at each unlock. The
   * index holds the whole row (~3 MB for 10,000 persons), so that the
   * read never visits the table, where person rows lie between the
   * dossiers' other records (docs/performance.md). kind is a column too:
   * SQLite 3.40 counts a column used in the WHERE as not covered even
   * when the partial index fixes it. The first open of an older store
   * builds it once (a scan of the records table). */
  "DROP INDEX IF EXISTS records_person;"
  "CREATE INDEX IF NOT EXISTS records_person_row ON records (dossier_id, id, kind, payload) WHERE kind = 'person';"
  "CREATE TABLE IF NOT EXISTS outbox ("
  "  seq          INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  mutation_id  TEXT NOT NULL UNIQUE,"
  "  record_id    TEXT NOT NULL,"
  "  dossier_id   TEXT NOT NULL,"
  "  kind         TEXT NOT NULL,"
  "  base_version INTEGER NOT NULL,"
  "  payload      TEXT NOT NULL,"
  "  status       TEXT,"
  "  reason       TEXT,"
  "  current_payload TEXT,"     /* conflict: the server's record (NULL: none) */
  "  current_version INTEGER,"  /* conflict: its version */
  "  person_id  TEXT,"          /* orphaned: the dossier's person record, */
  "  person     BLOB"           /* sealed as it was, to name the dossier */
  ");"
  "CREATE INDEX IF NOT EXISTS outbox_record ON outbox (record_id);"
  /* Edits the server acknowledged, kept a while: if its database is
   * restored from an older copy (a new epoch), they are sent again. */
  "CREATE TABLE IF NOT EXISTS acked ("
  "  seq          INTEGER PRIMARY KEY,"   /* the outbox seq it had */
  "  mutation_id  TEXT NOT NULL UNIQUE,"
  "  record_id    TEXT NOT NULL,"
  "  dossier_id   TEXT NOT NULL,"
  "  kind         TEXT NOT NULL,"
  "  base_version INTEGER NOT NULL,"
  "  payload      BLOB NOT NULL,"
  "  acked_at     INTEGER NOT NULL"      /* unix seconds */
  ");"
  "CREATE TABLE IF NOT EXISTS meta ("
  "  key   TEXT PRIMARY KEY NOT NULL,"
  "  value TEXT"
  ");"
  /* A dossier from a first sync by snapshot: every record but the person
   * as the server's pull page of them, deflated, then sealed with the
   * dossier id as associated data. Opened in memory for reading; the
   * first write to the dossier turns it into rows (expand_bundle()). */
  "CREATE TABLE IF NOT EXISTS bundles ("
  "  dossier_id TEXT PRIMARY KEY NOT NULL,"
  "  n_records  INTEGER NOT NULL,"
  "  payload    BLOB NOT NULL"
  ");";

/* Meta keys of a first sync by snapshot under way: the cursor of its first
 * page and the last dossier stored. */
#define SNAPSHOT_CURSOR_META "snapshot_cursor"
#define SNAPSHOT_AFTER_META  "snapshot_after"

/* Shared by pull and snapshot pages (statements are cached by SQL text
 * address). An upsert in place rather than INSERT OR REPLACE (delete +
 * insert, which rewrites every index entry of the row), and nothing at
 * all when the stored row is already this version: the common case after
 * a push, when the server sends our own records back. */
static const char upsert_record_sql[] =
  "INSERT INTO records (id, dossier_id, kind, version, payload) "
  "VALUES (?1, ?2, ?3, ?4, ?5) "
  "ON CONFLICT (id) DO UPDATE SET dossier_id = excluded.dossier_id, "
  "kind = excluded.kind, version = excluded.version, payload = excluded.payload "
  "WHERE records.version IS NOT excluded.version "
  "OR records.dossier_id IS NOT excluded.dossier_id "
  "OR records.kind IS NOT excluded.kind";

static const char select_bundle_sql[] =
  "SELECT payload, n_records FROM bundles WHERE dossier_id = ?";

static const char *column_text (sqlite3_stmt *stmt,
                                int           column);
static gboolean    refresh_bundled (RegieStore  *self,
                                    GError     **error);

static gboolean
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  const char  *what)
{
  g_set_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE,
               "%s: %s", what, sqlite3_errmsg (db));
  return FALSE;
}

static gboolean
exec (RegieStore  *self,
      const char  *sql,
      GError     **error)
{
  char *msg = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE,
                   "%s: %s", sql, msg ? msg : "unknown error");
      sqlite3_free (msg);
      return FALSE;
    }

  return TRUE;
}

/* Returns a reset statement for the static SQL text; owned by the store. */
static sqlite3_stmt *
get_statement (RegieStore  *self,
               const char  *sql,
               GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                          &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, "prepare");
      return NULL;
    }

  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

static void     rollback               (RegieStore  *self);
static gboolean set_wal_autocheckpoint (RegieStore  *self,
                                        GError     **error);

static gpointer
checkpoint_thread (gpointer data)
{
  RegieStore *self = data;   /* its path and flag only; finalize joins us */
  sqlite3 *db = NULL;
  gint64 start = g_get_monotonic_time ();
  int n_frames = 0, n_copied = 0;
  int rc;

  /* PASSIVE: never waits for the store's own connection, which goes on
   * reading and writing meanwhile. A read first: a connection finds the
   * WAL when it first reads. */
  rc = sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "PRAGMA schema_version", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_PASSIVE, &n_frames, &n_copied);
  if (rc == SQLITE_OK)
    g_debug ("Checkpoint after a snapshot: %d of %d WAL frames in %.1f ms",
             n_copied, n_frames, (g_get_monotonic_time () - start) / 1000.0);
  else
    g_debug ("No checkpoint after a snapshot: %s", sqlite3_errmsg (db));
  sqlite3_close (db);
  g_atomic_int_set (&self->checkpoint_done, 1);
  return NULL;
}

static void
join_checkpoint (RegieStore *self)
{
  if (self->checkpoint_thread != NULL)
    g_thread_join (g_steal_pointer (&self->checkpoint_thread));
}

/* The WAL a snapshot left is copied on a worker thread: the caller's
 * thread goes on (the pull after the snapshot, the caseload). */
static void
start_checkpoint (RegieStore *self)
{
  join_checkpoint (self);
  g_atomic_int_set (&self->checkpoint_done, 0);
  self->checkpoint_thread = g_thread_new ("regie-checkpoint", checkpoint_thread, self);
}

/* Turns automatic checkpoints back on once no snapshot page is being
 * stored and the worker's checkpoint (if any) is over. */
static void
restore_autocheckpoint (RegieStore *self)
{
  if (!self->autocheckpoint_off || self->storing_snapshot ||
      (self->checkpoint_thread != NULL && !g_atomic_int_get (&self->checkpoint_done)))
    return;

  join_checkpoint (self);
  /* Failing leaves checkpoints off until the next write tries again. */
  if (set_wal_autocheckpoint (self, NULL))
    self->autocheckpoint_off = FALSE;
}

/* Every write transaction starts with the set of bundled dossiers as the
 * file has it: a write to a bundled dossier must expand it first. */
static gboolean
begin (RegieStore  *self,
       GError     **error)
{
  restore_autocheckpoint (self);

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!refresh_bundled (self, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
commit (RegieStore  *self,
        GError     **error)
{
  if (!exec (self, "COMMIT", error))
    return FALSE;

  self->bundled_dirty = FALSE;
  return TRUE;
}

static void
rollback (RegieStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);

  /* The set followed the transaction's changes: read it again. */
  if (self->bundled_dirty)
    {
      self->bundled_dirty = FALSE;
      self->bundled_stale = TRUE;
    }
}

static gboolean
step_done (RegieStore    *self,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return set_sqlite_error (error, self->db, "step");

  return TRUE;
}

static void
regie_store_finalize (GObject *object)
{
  RegieStore *self = (RegieStore *)object;

  join_checkpoint (self);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->key, regie_key_free);
  g_clear_pointer (&self->scratch, g_byte_array_unref);
  g_clear_pointer (&self->bundled, g_hash_table_unref);
  if (self->db != NULL)
    {
      sqlite3_close (self->db);
      self->db = NULL;
    }
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (regie_store_parent_class)->finalize (object);
}

static void
regie_store_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  RegieStore *self = REGIE_STORE (object);

  switch (prop_id)
    {
    case PROP_LOCKED:
      g_value_set_boolean (value, self->key == NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
regie_store_class_init (RegieStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = regie_store_finalize;
  object_class->get_property = regie_store_get_property;

  /**
   * RegieStore:locked:
   *
   * Whether the data key is absent: nothing personal can be read or
   * written until regie_store_unlock().
   */
  properties[PROP_LOCKED] =
    g_param_spec_boolean ("locked", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RegieStore::changed:
   * @dossier_id: (nullable): the dossier that changed, or %NULL for many
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
regie_store_init (RegieStore *self)
{
  self->statements = g_hash_table_new_full (NULL, NULL, NULL, finalize_statement);
  self->scratch = g_byte_array_new ();
  self->bundled = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->bundled_stale = TRUE;
}

/* ---- sealing --------------------------------------------------------------- */

static gboolean
require_key (RegieStore  *self,
             GError     **error)
{
  if (self->key != NULL)
    return TRUE;

  g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_LOCKED,
                       "The copy on this computer is locked");
  return FALSE;
}

/* Binds `text` sealed for `context` (the record id); SQLite frees it. */
static void
bind_sealed (RegieStore   *self,
             sqlite3_stmt *stmt,
             int           index,
             const char   *text,
             gssize        length,
             const char   *context,
             gssize        context_length)
{
  gsize n = length < 0 ? strlen (text) : (gsize) length;
  gsize c = context_length < 0 ? strlen (context) : (gsize) context_length;
  guint8 *out = g_malloc (REGIE_SEALED_SIZE (n));

  g_assert (self->key != NULL);
  regie_key_seal_to (self->key, text, n, context, c, out);
  sqlite3_bind_blob64 (stmt, index, out, REGIE_SEALED_SIZE (n), g_free);
}

/* Opens a sealed column; NULL without error for SQL NULL. */
static char *
column_open (RegieStore    *self,
             sqlite3_stmt  *stmt,
             int            column,
             const char    *context,
             gsize         *out_length,
             GError       **error)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return NULL;

  if (!require_key (self, error))
    return NULL;

  if (sqlite3_column_type (stmt, column) != SQLITE_BLOB)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE,
                   "A stored value of %s is not encrypted", context);
      return NULL;
    }

  return regie_key_open_full (self->key,
                              sqlite3_column_blob (stmt, column),
                              (gsize) sqlite3_column_bytes (stmt, column),
                              context, strlen (context), out_length, error);
}

/* ---- bundles ---------------------------------------------------------------
 *
 * A first sync by snapshot (regie_store_apply_snapshot_page()) stores a
 * dossier as its person row and one sealed row of `bundles` holding every
 * other record. Such a dossier is *bundled* until something writes to it:
 * reads open the bundle in memory and return its records as if they were
 * rows; every write to the dossier first expands it (its records become
 * rows, the bundle goes), in the write's own transaction. So a dossier is
 * either bundled (rows: at most its person) or expanded (no bundle), and
 * no record of a bundled dossier has an outbox row. */

static gint64
data_version (RegieStore *self)
{
  sqlite3_stmt *stmt = get_statement (self, "PRAGMA data_version", NULL);
  gint64 version = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return version;
}

/* Reads the set of bundled dossiers again if the file may have changed
 * under it: another connection committed (data_version moved), or a
 * rollback undid changes it had followed. */
static gboolean
refresh_bundled (RegieStore  *self,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 version;
  int rc;

  /* Taken before the read: a commit in between makes the next check
   * read again, never miss it. */
  version = data_version (self);
  if (!self->bundled_stale && version == self->bundled_data_version)
    return TRUE;

  stmt = get_statement (self, "SELECT dossier_id FROM bundles", error);
  if (stmt == NULL)
    return FALSE;

  g_hash_table_remove_all (self->bundled);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (self->bundled, g_strdup (column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      self->bundled_stale = TRUE;
      return set_sqlite_error (error, self->db, "read bundled dossiers");
    }

  self->bundled_stale = FALSE;
  self->bundled_data_version = version;
  return TRUE;
}

static inline gboolean
is_bundled (RegieStore *self,
            const char *dossier_id,
            gsize       dossier_id_len)
{
  char buf[MAX_ID_BYTES + 1];

  /* Free when no dossier is bundled: the usual case. */
  if (g_hash_table_size (self->bundled) == 0 || dossier_id_len > MAX_ID_BYTES)
    return FALSE;

  memcpy (buf, dossier_id, dossier_id_len);
  buf[dossier_id_len] = '\0';
  return g_hash_table_contains (self->bundled, buf);
}

typedef gboolean (*BundleFunc) (RegieStore             *self,
                                const RegieChangeView  *change,
                                gpointer                user_data,
                                GError                **error);

/* Opens the bundle in column `column` of `stmt` (its record count in
 * `n_column`), inflates it and calls `func` for each record. A bundle
 * that was altered or moved to another dossier, or does not hold what it
 * says, fails with REGIE_ERROR_STORAGE; `func` fails with its own error. */
static gboolean
walk_bundle (RegieStore   *self,
             sqlite3_stmt *stmt,
             int           column,
             int           n_column,
             const char   *dossier_id,
             BundleFunc    func,
             gpointer      user_data,
             GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) page = NULL;
  g_autofree char *packed = NULL;
  gint64 n_records = sqlite3_column_int64 (stmt, n_column);
  gsize dossier_id_len = strlen (dossier_id);
  gsize packed_len = 0;
  gint64 n = 0;
  RegiePullReader reader;
  RegieChangeView change;

  packed = column_open (self, stmt, column, dossier_id, &packed_len, &local_error);
  if (packed == NULL && local_error == NULL)
    g_set_error_literal (&local_error, REGIE_ERROR, REGIE_ERROR_STORAGE, "no data");
  if (packed != NULL)
    page = regie_inflate (packed, packed_len, REGIE_BUNDLE_MAX_BYTES, &local_error);

  if (page != NULL)
    {
      regie_pull_reader_init (&reader, g_bytes_get_data (page, NULL), g_bytes_get_size (page));
      while (regie_pull_reader_next (&reader, &change, &local_error))
        {
          if (change.deleted || change.dossier_id_len != dossier_id_len ||
              memcmp (change.dossier_id, dossier_id, dossier_id_len) != 0)
            {
              g_set_error (&local_error, REGIE_ERROR, REGIE_ERROR_STORAGE,
                           "record %.*s is not a record of this dossier",
                           (int) change.record_id_len, change.record_id);
              break;
            }
          n++;
          if (!func (self, &change, user_data, error))
            return FALSE;
        }
      if (local_error == NULL && n != n_records)
        g_set_error (&local_error, REGIE_ERROR, REGIE_ERROR_STORAGE,
                     "%" G_GINT64_FORMAT " records instead of %" G_GINT64_FORMAT, n, n_records);
    }

  if (local_error != NULL)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE,
                   "The stored records of dossier %s cannot be read: %s",
                   dossier_id, local_error->message);
      return FALSE;
    }

  return TRUE;
}

/* Reads the bundle of `dossier_id`, if it has one, with `func`. Reads
 * never expand: they run on worker connections too (summaries of every
 * dossier), which must not write. An unreadable bundle is logged and its
 * records left out, like an unreadable row (docs/security.md): the
 * dossier's other records and every other dossier still read; writes to
 * it fail instead (expand_bundle()). */
static gboolean
read_bundle (RegieStore  *self,
             const char  *dossier_id,
             BundleFunc   func,
             gpointer     user_data,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = get_statement (self, select_bundle_sql, error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, dossier_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW &&
      !walk_bundle (self, stmt, 0, 1, dossier_id, func, user_data, &local_error))
    g_warning ("Skipping the bundled records of dossier %s: %s", dossier_id, local_error->message);
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (error, self->db, "read bundle");
  return TRUE;
}

/* Rows and bundle of a dossier are read in one snapshot of the file:
 * between two statements another connection may expand the bundle. */
static gboolean
read_begin (RegieStore *self)
{
  sqlite3_stmt *stmt;

  if (!sqlite3_get_autocommit (self->db) ||
      (stmt = get_statement (self, "BEGIN", NULL)) == NULL)
    return FALSE;
  return step_done (self, stmt, NULL);
}

static void
read_end (RegieStore *self,
          gboolean    began)
{
  sqlite3_stmt *stmt;

  if (began && (stmt = get_statement (self, "COMMIT", NULL)) != NULL)
    step_done (self, stmt, NULL);
}

static gboolean
insert_expanded_cb (RegieStore             *self,
                    const RegieChangeView  *change,
                    gpointer                user_data,
                    GError                **error)
{
  sqlite3_stmt *stmt = user_data;
  int rc;

  sqlite3_bind_text (stmt, 1, change->record_id, change->record_id_len, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, change->dossier_id, change->dossier_id_len, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, regie_record_kind_to_string (change->kind), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, change->version);
  g_byte_array_set_size (self->scratch, REGIE_SEALED_SIZE (change->payload_len));
  regie_key_seal_to (self->key, change->payload, change->payload_len,
                     change->record_id, change->record_id_len, self->scratch->data);
  sqlite3_bind_blob64 (stmt, 5, self->scratch->data, self->scratch->len, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, self->db, "expand bundle");
  return TRUE;
}

/* Before any write to a dossier, inside the write's transaction: a
 * bundled dossier's records become rows and its bundle goes. Nothing to
 * do (a hash lookup) for any other dossier. An unreadable bundle fails
 * the write and stays: expanding it would lose its records. */
static gboolean
expand_bundle (RegieStore  *self,
               const char  *dossier_id,
               gsize        dossier_id_len,
               GError     **error)
{
  char id[MAX_ID_BYTES + 1];
  sqlite3_stmt *select;
  sqlite3_stmt *insert;
  sqlite3_stmt *remove;
  gboolean ok = TRUE;
  int rc;

  if (!is_bundled (self, dossier_id, dossier_id_len))
    return TRUE;

  g_assert (!sqlite3_get_autocommit (self->db));
  if (!require_key (self, error))
    return FALSE;
  memcpy (id, dossier_id, dossier_id_len);
  id[dossier_id_len] = '\0';

  /* A row of the same id (none, as long as the invariant holds) is newer
   * than the bundle: it is kept. */
  insert = get_statement (self,
                          "INSERT INTO records (id, dossier_id, kind, version, payload) "
                          "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO NOTHING",
                          error);
  remove = insert ? get_statement (self, "DELETE FROM bundles WHERE dossier_id = ?", error) : NULL;
  select = remove ? get_statement (self, select_bundle_sql, error) : NULL;
  if (select == NULL)
    return FALSE;

  sqlite3_bind_text (select, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (select);
  if (rc == SQLITE_ROW)
    ok = walk_bundle (self, select, 0, 1, id, insert_expanded_cb, insert, error);
  sqlite3_reset (select);
  if (!ok)
    return FALSE;
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (error, self->db, "read bundle");

  sqlite3_bind_text (remove, 1, id, -1, SQLITE_STATIC);
  if (!step_done (self, remove, error))
    return FALSE;

  g_hash_table_remove (self->bundled, id);
  self->bundled_dirty = TRUE;
  g_debug ("Dossier %s expanded from its bundle", id);
  return TRUE;
}

/* A dossier that is purged: its bundle goes unopened. */
static gboolean
drop_bundle (RegieStore  *self,
             const char  *dossier_id,
             gsize        dossier_id_len,
             GError     **error)
{
  char id[MAX_ID_BYTES + 1];
  sqlite3_stmt *stmt;

  if (!is_bundled (self, dossier_id, dossier_id_len))
    return TRUE;

  memcpy (id, dossier_id, dossier_id_len);
  id[dossier_id_len] = '\0';
  stmt = get_statement (self, "DELETE FROM bundles WHERE dossier_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    return FALSE;

  g_hash_table_remove (self->bundled, id);
  self->bundled_dirty = TRUE;
  return TRUE;
}

/* The WAL is checkpointed at about the same size in bytes whatever the
 * page size (32 MiB: 8192 pages of 4 KiB, 512 of 64 KiB). */
static gboolean
set_wal_autocheckpoint (RegieStore  *self,
                        GError     **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 page_size = 4096;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA page_size", -1, &stmt, NULL) != SQLITE_OK)
    return set_sqlite_error (error, self->db, "page size");
  if (sqlite3_step (stmt) == SQLITE_ROW)
    page_size = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  sql = g_strdup_printf ("PRAGMA wal_autocheckpoint=%" G_GINT64_FORMAT ";",
                         MAX ((gint64) 64, WAL_CHECKPOINT_BYTES / MAX (page_size, 512)));
  return exec (self, sql, error);
}

static char *
sanitize_component (const char *str)
{
  GString *out = g_string_new (NULL);

  for (const char *p = str; *p; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-' || *p == '.' || *p == '_')
        g_string_append_c (out, *p);
      else
        g_string_append_c (out, '_');
    }

  return g_string_free (out, FALSE);
}

char *
regie_store_path_for (const char *server_url,
                      const char *username)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *user = NULL;
  g_autofree char *host = NULL;
  g_autofree char *file = NULL;
  const char *scheme;
  int port;

  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (username != NULL, NULL);

  uri = g_uri_parse (server_url, G_URI_FLAGS_NONE, NULL);
  if (uri != NULL && g_uri_get_host (uri) != NULL)
    {
      scheme = g_uri_get_scheme (uri);
      port = g_uri_get_port (uri);
      if (port < 0)
        port = g_strcmp0 (scheme, "http") == 0 ? 80 : 443;
      host = sanitize_component (g_uri_get_host (uri));
    }
  else
    {
      port = 0;
      host = sanitize_component (server_url);
    }

  user = sanitize_component (username);
  file = g_strdup_printf ("%s@%s_%d.sqlite", user, host, port);

  return g_build_filename (g_get_user_data_dir (), "regie", "stores", file, NULL);
}

RegieStore *
regie_store_open (const char  *path,
                  GError     **error)
{
  g_autoptr(RegieStore) self = NULL;
  g_autofree char *dir = NULL;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE,
                   "Could not create %s: %s", dir, g_strerror (errsv));
      return NULL;
    }

  /* Create the file ourselves so that it is private from the start;
   * SQLite gives the -wal and -shm files the same mode. */
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int errsv = errno;
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE,
                   "Could not open %s: %s", path, g_strerror (errsv));
      return NULL;
    }
  g_close (fd, NULL);

  self = g_object_new (REGIE_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, self->db, "open");
      return NULL;
    }

  sqlite3_busy_timeout (self->db, 5000);

  /* Large pages for a new store (docs/performance.md): a first sync
   * writes ~100 MB, and with 4 KiB pages half its time went to the
   * kernel (two write calls per WAL frame, then the checkpoint). Only
   * takes effect on an empty file, so it comes before WAL mode;
   * existing stores keep their page size. */
  if (!exec (self, "PRAGMA page_size=" G_STRINGIFY (STORE_PAGE_SIZE) ";", error))
    return NULL;

  if (!exec (self,
             "PRAGMA journal_mode=WAL;"
             "PRAGMA synchronous=NORMAL;"
             "PRAGMA foreign_keys=OFF;"
             "PRAGMA temp_store=MEMORY;"
             "PRAGMA cache_size=" G_STRINGIFY (STORE_CACHE_KIB) ";",
             error))
    return NULL;

  if (!set_wal_autocheckpoint (self, error))
    return NULL;

  if (!exec (self, schema_sql, error))
    return NULL;

  if (!refresh_bundled (self, error))
    return NULL;

  /* Stores made before the conflict queue lack its columns. */
  {
    sqlite3_stmt *probe = NULL;

    if (sqlite3_prepare_v2 (self->db, "SELECT current_payload, current_version FROM outbox LIMIT 0",
                            -1, &probe, NULL) != SQLITE_OK &&
        !exec (self,
               "ALTER TABLE outbox ADD COLUMN current_payload TEXT;"
               "ALTER TABLE outbox ADD COLUMN current_version INTEGER;",
               error))
      {
        sqlite3_finalize (probe);
        return NULL;
      }
    sqlite3_finalize (probe);
  }
  /* ... and before orphaned edits kept the dossier's person. */
  {
    sqlite3_stmt *probe = NULL;

    if (sqlite3_prepare_v2 (self->db, "SELECT person_id, person FROM outbox LIMIT 0",
                            -1, &probe, NULL) != SQLITE_OK &&
        !exec (self,
               "ALTER TABLE outbox ADD COLUMN person_id TEXT;"
               "ALTER TABLE outbox ADD COLUMN person BLOB;",
               error))
      {
        sqlite3_finalize (probe);
        return NULL;
      }
    sqlite3_finalize (probe);
  }

  return g_steal_pointer (&self);
}

const char *
regie_store_get_path (RegieStore *self)
{
  g_return_val_if_fail (REGIE_IS_STORE (self), NULL);

  return self->path;
}

/* ---- meta ---------------------------------------------------------------- */

static gboolean
meta_is_sealed (const char *key)
{
  return g_strv_contains (sealed_meta_keys, key);
}

static gboolean
set_meta (RegieStore  *self,
          const char  *key,
          const char  *value,
          GError     **error)
{
  g_autofree char *context = NULL;
  sqlite3_stmt *stmt;

  if (value != NULL && meta_is_sealed (key) && !require_key (self, error))
    return FALSE;

  stmt = get_statement (self, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (value != NULL && meta_is_sealed (key))
    {
      context = g_strconcat ("meta:", key, NULL);
      bind_sealed (self, stmt, 2, value, -1, context, -1);
    }
  else
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);

  return step_done (self, stmt, error);
}

static gboolean
set_meta_int (RegieStore  *self,
              const char  *key,
              gint64       value,
              GError     **error)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value);
  return set_meta (self, key, buf, error);
}

char *
regie_store_dup_meta (RegieStore *self,
                      const char *key)
{
  sqlite3_stmt *stmt;
  char *ret = NULL;

  g_return_val_if_fail (REGIE_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = get_statement (self, "SELECT value FROM meta WHERE key = ?", NULL);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      if (sqlite3_column_type (stmt, 0) == SQLITE_BLOB)
        {
          g_autofree char *context = g_strconcat ("meta:", key, NULL);

          /* Locked: secrets read as absent. */
          if (self->key != NULL)
            ret = column_open (self, stmt, 0, context, NULL, NULL);
        }
      else if (sqlite3_column_type (stmt, 0) != SQLITE_NULL && !meta_is_sealed (key))
        ret = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    }
  sqlite3_reset (stmt);

  return ret;
}

gboolean
regie_store_set_meta (RegieStore  *self,
                      const char  *key,
                      const char  *value,
                      GError     **error)
{
  g_return_val_if_fail (REGIE_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  return set_meta (self, key, value, error);
}

gint64
regie_store_get_cursor (RegieStore *self)
{
  g_autofree char *value = NULL;

  g_return_val_if_fail (REGIE_IS_STORE (self), 0);

  value = regie_store_dup_meta (self, "cursor");
  if (value == NULL)
    return 0;

  return g_ascii_strtoll (value, NULL, 10);
}

static gboolean
clear_snapshot_meta (RegieStore  *self,
                     GError     **error)
{
  sqlite3_stmt *stmt = get_statement (self,
                                      "DELETE FROM meta WHERE key IN ('" SNAPSHOT_CURSOR_META "', '"
                                      SNAPSHOT_AFTER_META "')",
                                      error);

  return stmt != NULL && step_done (self, stmt, error);
}

/* Everything is pulled again from the start; a snapshot under way is
 * abandoned with it (the next sync pulls instead: the store is no longer
 * empty). Dossiers it stored stay bundled until a pulled change of each
 * expands it, which then finds the same versions and writes nothing more. */
static gboolean
forget_cursor (RegieStore  *self,
               GError     **error)
{
  return set_meta_int (self, "cursor", 0, error) && clear_snapshot_meta (self, error);
}

gboolean
regie_store_reset_cursor (RegieStore  *self,
                          GError     **error)
{
  g_return_val_if_fail (REGIE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!begin (self, error))
    return FALSE;
  if (!forget_cursor (self, error) || !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* ---- account ------------------------------------------------------------- */

gboolean
regie_store_save_account (RegieStore  *self,
                          const char  *display_name,
                          const char  *role,
                          const char  *team,
                          const char  *token,
                          GError     **error)
{
  g_return_val_if_fail (REGIE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!require_key (self, error) || !begin (self, error))
    return FALSE;

  if (!set_meta (self, "display_name", display_name, error) ||
      !set_meta (self, "role", role, error) ||
      !set_meta (self, "team", team, error) ||
      !set_meta (self, "token", token, error) ||
      !commit (self, error))
    {
      rollback (self);
      return FALSE;
    }

  return TRUE;
}

/* ---- the data key ---------------------------------------------------------- */

gboolean
regie_store_is_locked (RegieStore *self)
{
  g_return_val_if_fail (REGIE_IS_STORE (self), TRUE);

  return self->key == NULL;
}

gboolean
regie_store_has_data_key (RegieStore *self)
{
  g_autofree char *wrapped = NULL;

  g_return_val_if_fail (REGIE_IS_STORE (self), FALSE);

  wrapped = regie_store_dup_meta (self, DATA_KEY_META);
  return wrapped != NULL;
}

void
regie_store_lock (RegieStore *self)
{
  g_return_if_fail (REGIE_IS_STORE (self));

  if (self->key == NULL)
    return;

  g_clear_pointer (&self->key, regie_key_free);
  /* Only ciphertext is cached, but give the memory back. */
  sqlite3_db_release_memory (self->db);
  g_debug ("Store %s locked", self->path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
}

/* Seals, in place, what a store made before encryption at rest kept in
 * plain text, then rewrites the file so that no old page keeps it. */
static gboolean
seal_legacy_rows (RegieStore  *self,
                  gboolean    *out_changed,
                  GError     **error)
{
  /* Bundles are not here: they were only ever written sealed. */
  static const struct {
    const char *select;
    const char *update;
  } tables[] = {
    { "SELECT rowid, id, payload, NULL FROM records WHERE typeof (payload) = 'text'",
      "UPDATE records SET payload = ?1 WHERE rowid = ?3" },
    { "SELECT seq, record_id, payload, current_payload FROM outbox "
      "WHERE typeof (payload) = 'text' OR typeof (current_payload) = 'text'",
      "UPDATE outbox SET payload = ?1, current_payload = ?2 WHERE seq = ?3" },
  };

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      sqlite3_stmt *select = NULL;
      sqlite3_stmt *update = NULL;
      int rc;

      if (sqlite3_prepare_v2 (self->db, tables[t].select, -1, &select, NULL) != SQLITE_OK ||
          sqlite3_prepare_v2 (self->db, tables[t].update, -1, &update, NULL) != SQLITE_OK)
        {
          sqlite3_finalize (select);
          sqlite3_finalize (update);
          return set_sqlite_error (error, self->db, "prepare sealing");
        }

      while ((rc = sqlite3_step (select)) == SQLITE_ROW)
        {
          const char *context = (const char *) sqlite3_column_text (select, 1);

          for (int column = 2; column <= 3; column++)
            {
              if (sqlite3_column_type (select, column) == SQLITE_TEXT)
                bind_sealed (self, update, column - 1,
                             (const char *) sqlite3_column_text (select, column),
                             sqlite3_column_bytes (select, column), context, -1);
              else
                sqlite3_bind_value (update, column - 1, sqlite3_column_value (select, column));
            }
          sqlite3_bind_int64 (update, 3, sqlite3_column_int64 (select, 0));
          if (sqlite3_step (update) != SQLITE_DONE)
            break;
          sqlite3_reset (update);
          sqlite3_clear_bindings (update);
          *out_changed = TRUE;
        }
      sqlite3_finalize (select);
      sqlite3_finalize (update);
      if (rc != SQLITE_DONE)
        return set_sqlite_error (error, self->db, "seal rows");
    }

  for (guint i = 0; sealed_meta_keys[i] != NULL; i++)
    {
      sqlite3_stmt *stmt = get_statement (self, "SELECT value FROM meta WHERE key = ? AND typeof (value) = 'text'", error);
      g_autofree char *value = NULL;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, sealed_meta_keys[i], -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
      if (value != NULL)
        {
          if (!set_meta (self, sealed_meta_keys[i], value, error))
            return FALSE;
          *out_changed = TRUE;
        }
    }

  /* The password verifier of older stores: the wrapped key replaces it. */
  if (!exec (self, "DELETE FROM meta WHERE key = 'password_verifier'", error))
    return FALSE;
  if (sqlite3_changes (self->db) > 0)
    *out_changed = TRUE;

  return TRUE;
}

static gboolean
install_key (RegieStore  *self,
             RegieKey    *key,
             const char  *new_wrapped,
             GError     **error)
{
  gboolean changed = FALSE;

  g_assert (self->key == NULL);
  self->key = key;

  if (new_wrapped != NULL)
    {
      if (!begin (self, error))
        goto failure;
      if (!set_meta (self, DATA_KEY_META, new_wrapped, error) ||
          !seal_legacy_rows (self, &changed, error) ||
          !commit (self, error))
        {
          rollback (self);
          goto failure;
        }

      /* Free pages and the WAL may still hold the old plain text. */
      if (changed &&
          (!exec (self, "VACUUM", error) ||
           !exec (self, "PRAGMA wal_checkpoint(TRUNCATE)", error)))
        goto failure;
      if (changed)
        g_message ("Encrypted the existing copy in %s", self->path);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
  return TRUE;

failure:
  g_clear_pointer (&self->key, regie_key_free);
  return FALSE;
}

typedef struct
{
  char             *wrapped;      /* NULL: no key yet */
  char             *password;
  RegieUnlockFlags  flags;
  RegieKey         *key;          /* result */
  char             *new_wrapped;  /* result, for a new key */
} UnlockData;

static void
unlock_data_free (UnlockData *data)
{
  g_free (data->wrapped);
  if (data->password != NULL)
    OPENSSL_cleanse (data->password, strlen (data->password));
  g_free (data->password);
  g_clear_pointer (&data->key, regie_key_free);
  g_free (data->new_wrapped);
  g_free (data);
}

/* The slow part (scrypt), safe on any thread: touches no SQLite. */
static gboolean
unlock_derive (UnlockData  *data,
               GError     **error)
{
  if (data->wrapped != NULL)
    {
      data->key = regie_key_unwrap (data->wrapped, data->password, error);
      return data->key != NULL;
    }

  if (!(data->flags & REGIE_UNLOCK_CREATE))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_NOT_FOUND,
                           "This copy was never opened with a password on this computer");
      return FALSE;
    }

  data->key = regie_key_new_random ();
  data->new_wrapped = regie_key_wrap (data->key, data->password, error);
  return data->new_wrapped != NULL;
}

static UnlockData *
unlock_data_new (RegieStore       *self,
                 const char       *password,
                 RegieUnlockFlags  flags)
{
  UnlockData *data = g_new0 (UnlockData, 1);

  data->wrapped = regie_store_dup_meta (self, DATA_KEY_META);
  data->password = g_strdup (password);
  data->flags = flags;
  return data;
}

static gboolean
unlock_finish_data (RegieStore  *self,
                    UnlockData  *data,
                    GError     **error)
{
  if (self->key != NULL)
    {
      /* Unlocked meanwhile; the same password must still be right. */
      if (data->new_wrapped == NULL && !regie_key_equal (self->key, data->key))
        {
          g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_AUTH,
                               "the password does not unlock this store");
          return FALSE;
        }
      return TRUE;
    }

  return install_key (self, g_steal_pointer (&data->key), data->new_wrapped, error);
}

gboolean
regie_store_unlock (RegieStore        *self,
                    const char        *password,
                    RegieUnlockFlags   flags,
                    GError           **error)
{
  UnlockData *data;
  gboolean ok;

  g_return_val_if_fail (REGIE_IS_STORE (self), FALSE);
  g_return_val_if_fail (password != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = unlock_data_new (self, password, flags);
  ok = unlock_derive (data, error) && unlock_finish_data (self, data, error);
  unlock_data_free (data);
  return ok;
}

static void
unlock_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;

  if (unlock_derive (task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
regie_store_unlock_async (RegieStore          *self,
                          const char          *password,
                          RegieUnlockFlags     flags,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (REGIE_IS_STORE (self));
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, regie_store_unlock_async);
  g_task_set_task_data (task, unlock_data_new (self, password, flags), (GDestroyNotify) unlock_data_free);
  g_task_run_in_thread (task, unlock_thread);
}

gboolean
regie_store_unlock_finish (RegieStore    *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;

  return unlock_finish_data (self, g_task_get_task_data (G_TASK (result)), error);
}

gboolean
regie_store_change_password (RegieStore  *self,
                             const char  *new_password,
                             GError     **error)
{
  g_autofree char *wrapped = NULL;

  g_return_val_if_fail (REGIE_IS_STORE (self), FALSE);
  g_return_val_if_fail (new_password != NULL, FALSE);

  if (!require_key (self, error))
    return FALSE;

  wrapped = regie_key_wrap (self->key, new_password, error);
  return wrapped != NULL && set_meta (self, DATA_KEY_META, wrapped, error);
}

RegieKey *
regie_store_dup_data_key (RegieStore *self)
{
  g_return_val_if_fail (REGIE_IS_STORE (self), NULL);

  return self->key != NULL ? regie_key_copy (self->key) : NULL;
}

RegieStore *
regie_store_open_sibling (RegieStore  *self,
                          GError     **error)
{
  g_autoptr(RegieStore) sibling = NULL;

  g_return_val_if_fail (REGIE_IS_STORE (self), NULL);

  if (!require_key (self, error))
    return NULL;

  sibling = regie_store_open (self->path, error);
  if (sibling == NULL)
    return NULL;

  /* A worker reads each dossier once: a small cache is enough. */
  sqlite3_exec (sibling->db, "PRAGMA cache_size=" G_STRINGIFY (SIBLING_CACHE_KIB), NULL, NULL, NULL);
  sibling->key = regie_key_copy (self->key);
  return g_steal_pointer (&sibling);
}

/* ---- notes --------------------------------------------------------------- */

void
regie_store_note_free (RegieStoreNote *note)
{
  if (note == NULL)
    return;

  g_free (note->record_id);
  g_clear_object (&note->note);
  g_free (note);
}

static gboolean
dossier_exists (RegieStore  *self,
                const char  *dossier_id,
                gboolean    *out_exists,
                GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  /* A bundled dossier may have no person row. */
  stmt = get_statement (self,
                        "SELECT EXISTS (SELECT 1 FROM records WHERE dossier_id = ?1) "
                        "OR EXISTS (SELECT 1 FROM bundles WHERE dossier_id = ?1)",
                        error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, dossier_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  *out_exists = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return set_sqlite_error (error, self->db, "step");

  return TRUE;
}

/* What the server would refuse is not made here (the UI does not offer
 * it either): a refused edit could only wait for the user. The role is
 * the signed-in user's (regie_store_save_account()). */
static gboolean
check_may_write (RegieStore       *self,
                 RegieRecordKind   kind,
                 GError          **error)
{
  g_autofree char *role_name = regie_store_dup_meta (self, "role");
  RegieRole role;

  if (role_name != NULL && regie_role_from_string (role_name, &role) &&
      !regie_permissions_may_write (role, kind))
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_FORBIDDEN,
                   "The role %s may not change %s records", role_name, regie_record_kind_to_string (kind));
      return FALSE;
    }
  return TRUE;
}

char *
regie_store_add_note (RegieStore  *self,
                      const char  *dossier_id,
                      const char  *author,
                      const char  *text,
                      GError     **error)
{
  g_autoptr(RegieNote) note = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *created_at = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *record_id = NULL;
  g_autofree char *mutation_id = NULL;
  g_autofree char *stripped = NULL;
  sqlite3_stmt *stmt;
  gboolean exists = FALSE;

  g_return_val_if_fail (REGIE_IS_STORE (self), NULL);
  g_return_val_if_fail (dossier_id != NULL, NULL);
  g_return_val_if_fail (author != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (strlen (text) > REGIE_MAX_NOTE_BYTES)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_TOO_LARGE,
                   "Note text is longer than %d bytes", REGIE_MAX_NOTE_BYTES);
      return NULL;
    }

  if (!regie_text_is_valid (text, REGIE_MAX_NOTE_BYTES, TRUE))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                           "Note text is not valid text");
      return NULL;
    }

  stripped = g_strstrip (g_strdup (text));
  if (stripped[0] == '\0')
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                           "Note text is empty");
      return NULL;
    }

  if (!regie_uuid_is_valid (dossier_id))
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                   "Not a dossier id: %s", dossier_id);
      return NULL;
    }

  if (!require_key (self, error) || !check_may_write (self, REGIE_RECORD_NOTE, error) ||
      !dossier_exists (self, dossier_id, &exists, error))
    return NULL;

  if (!exists)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_NOT_FOUND,
                   "Dossier %s is not in this store", dossier_id);
      return NULL;
    }

  created_at = regie_timestamp_now ();
  note = regie_note_new (author, created_at, text);
  node = regie_note_to_json (note);
  payload = regie_json_to_string (node);
  record_id = regie_uuid_v7_new ();
  mutation_id = regie_uuid_v7_new ();

  if (!begin (self, error))
    return NULL;

  if (!expand_bundle (self, dossier_id, strlen (dossier_id), error))
    goto failure;

  stmt = get_statement (self,
                        "INSERT INTO records (id, dossier_id, kind, version, payload) "
                        "VALUES (?, ?, 'note', 0, ?)",
                        error);
  if (stmt == NULL)
    goto failure;

  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, dossier_id, -1, SQLITE_STATIC);
  bind_sealed (self, stmt, 3, payload, -1, record_id, -1);
  if (!step_done (self, stmt, error))
    goto failure;

  stmt = get_statement (self,
                        "INSERT INTO outbox (mutation_id, record_id, dossier_id, kind, base_version, payload) "
                        "VALUES (?, ?, ?, 'note', 0, ?)",
                        error);
  if (stmt == NULL)
    goto failure;

  sqlite3_bind_text (stmt, 1, mutation_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, record_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, dossier_id, -1, SQLITE_STATIC);
  bind_sealed (self, stmt, 4, payload, -1, record_id, -1);
  if (!step_done (self, stmt, error))
    goto failure;

  if (!commit (self, error))
    goto failure;

  g_debug ("Note %s added to dossier %s", record_id, dossier_id);
  emit_changed (self, dossier_id);

  return g_steal_pointer (&record_id);

failure:
  rollback (self);
  return NULL;
}

/* Outbox rows with base_version −1 are edits made while an earlier edit of
 * the same record was still waiting: they are sent once the earlier one is
 * acknowledged and so carry the version it produced. Until then a further
 * edit replaces their payload, which was never sent. */
#define CHAINED_BASE_VERSION (-1)

/* How long acknowledged edits are kept for a restored server database. */
#define ACKED_KEEP_DAYS 30

char *
regie_store_put_record (RegieStore       *self,
                        const char       *dossier_id,
                        RegieRecordKind   kind,
                        const char       *record_id,
                        const char       *payload,
                        GError          **error)
{
  g_autofree char *canonical = NULL;
  g_autofree char *new_id = NULL;
  g_autofree char *mutation_id = NULL;
  const char *kind_name;
  sqlite3_stmt *stmt;
  gboolean exists = FALSE;
  gboolean found = FALSE;
  gboolean pending = FALSE;
  gboolean chained = FALSE;
  gint64 version = 0;
  int rc;

  g_return_val_if_fail (REGIE_IS_STORE (self), NULL);
  g_return_val_if_fail (dossier_id != NULL, NULL);
  g_return_val_if_fail ((unsigned) kind < REGIE_N_RECORD_KINDS, NULL);
  g_return_val_if_fail (payload != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!regie_uuid_is_valid (dossier_id) || (record_id != NULL && !regie_uuid_is_valid (record_id)))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID, "Not a dossier or record id");
      return NULL;
    }
  if (!(canonical = regie_record_canonicalize (kind, payload, -1, error)))
    return NULL;
  if (!require_key (self, error) || !dossier_exists (self, dossier_id, &exists, error))
    return NULL;
  if (!exists)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_NOT_FOUND,
                   "Dossier %s is not in this store", dossier_id);
      return NULL;
    }

  if (!check_may_write (self, kind, error))
    return NULL;

  kind_name = regie_record_kind_to_string (kind);
  mutation_id = regie_uuid_v7_new ();
  if (record_id == NULL)
    record_id = new_id = regie_uuid_v7_new ();

  if (!begin (self, error))
    return NULL;

  /* The record is looked up by id: a record of this dossier that is
   * still in its bundle must be a row first. (A record id of another,
   * bundled dossier is not found here and would be taken as new; the
   * caller names the record's own dossier, which the server checks.) */
  if (!expand_bundle (self, dossier_id, strlen (dossier_id), error))
    goto failure;

  stmt = get_statement (self, "SELECT dossier_id, kind, version FROM records WHERE id = ?", error);
  if (stmt == NULL)
    goto failure;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      found = TRUE;
      version = sqlite3_column_int64 (stmt, 2);
      if (g_strcmp0 (column_text (stmt, 0), dossier_id) != 0 ||
          g_strcmp0 (column_text (stmt, 1), kind_name) != 0)
        {
          sqlite3_reset (stmt);
          g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                               "The record belongs to another dossier or kind");
          goto failure;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, "find record");
      goto failure;
    }
  if (found && regie_record_kind_is_append_only (kind))
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                   "A %s cannot be changed once written", kind_name);
      goto failure;
    }

  if (found)
    {
      stmt = get_statement (self,
                            "SELECT count(*), sum(base_version < 0) FROM outbox "
                            "WHERE record_id = ? AND status IS NULL",
                            error);
      if (stmt == NULL)
        goto failure;
      sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          pending = sqlite3_column_int64 (stmt, 0) > 0;
          chained = sqlite3_column_int64 (stmt, 1) > 0;
        }
      sqlite3_reset (stmt);

      stmt = get_statement (self, "UPDATE records SET payload = ? WHERE id = ?", error);
      if (stmt == NULL)
        goto failure;
      bind_sealed (self, stmt, 1, canonical, -1, record_id, -1);
      sqlite3_bind_text (stmt, 2, record_id, -1, SQLITE_STATIC);
      if (!step_done (self, stmt, error))
        goto failure;
    }
  else
    {
      stmt = get_statement (self,
                            "INSERT INTO records (id, dossier_id, kind, version, payload) "
                            "VALUES (?, ?, ?, 0, ?)",
                            error);
      if (stmt == NULL)
        goto failure;
      sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, dossier_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, kind_name, -1, SQLITE_STATIC);
      bind_sealed (self, stmt, 4, canonical, -1, record_id, -1);
      if (!step_done (self, stmt, error))
        goto failure;
    }

  if (chained)
    {
      stmt = get_statement (self,
                            "UPDATE outbox SET payload = ? "
                            "WHERE record_id = ? AND base_version < 0 AND status IS NULL",
                            error);
      if (stmt == NULL)
        goto failure;
      bind_sealed (self, stmt, 1, canonical, -1, record_id, -1);
      sqlite3_bind_text (stmt, 2, record_id, -1, SQLITE_STATIC);
    }
  else
    {
      stmt = get_statement (self,
                            "INSERT INTO outbox (mutation_id, record_id, dossier_id, kind, base_version, payload) "
                            "VALUES (?, ?, ?, ?, ?, ?)",
                            error);
      if (stmt == NULL)
        goto failure;
      sqlite3_bind_text (stmt, 1, mutation_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, record_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, dossier_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, kind_name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, pending ? CHAINED_BASE_VERSION : version);
      bind_sealed (self, stmt, 6, canonical, -1, record_id, -1);
    }
  if (!step_done (self, stmt, error))
    goto failure;

  if (!commit (self, error))
    goto failure;

  {
    char *result = g_strdup (record_id);

    emit_changed (self, dossier_id);
    return result;
  }

failure:
  rollback (self);
  return NULL;
}

static gboolean
add_to_case_cb (RegieStore             *self,
                const RegieChangeView  *change,
                gpointer                user_data,
                GError                **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(RegieRecord) record = NULL;
  RegieCase *dossier = user_data;
  char id[MAX_ID_BYTES + 1];

  g_assert (change->record_id_len <= MAX_ID_BYTES);
  memcpy (id, change->record_id, change->record_id_len);
  id[change->record_id_len] = '\0';

  record = regie_record_parse_text (id, regie_case_get_id (dossier), change->kind, change->version,
                                    change->payload, change->payload_len, &local_error);
  if (record == NULL)
    g_warning ("Skipping unreadable record %s: %s", id, local_error->message);
  else
    regie_case_add_record (dossier, record);
  return TRUE;
}

RegieCase *
regie_store_load_case (RegieStore  *self,
                       const char  *dossier_id,
                       GError     **error)
{
  g_autoptr(RegieCase) dossier = NULL;
  sqlite3_stmt *stmt;
  gboolean began;
  int rc;

  g_return_val_if_fail (REGIE_IS_STORE (self), NULL);
  g_return_val_if_fail (dossier_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!require_key (self, error))
    return NULL;

  dossier = regie_case_new (dossier_id);
  began = read_begin (self);

  /* The bundle first: in the order a pull would have stored its records,
   * and rows (newer, should one share an id) replace what they add. */
  if (!read_bundle (self, dossier_id, add_to_case_cb, dossier, error))
    {
      read_end (self, began);
      return NULL;
    }

  stmt = get_statement (self,
                        "SELECT id, kind, version, payload FROM records WHERE dossier_id = ? ORDER BY rowid",
                        error);
  if (stmt == NULL)
    {
      read_end (self, began);
      return NULL;
    }

  sqlite3_bind_text (stmt, 1, dossier_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(RegieRecord) record = NULL;
      g_autofree char *payload = NULL;
      gsize payload_len = 0;
      RegieRecordKind kind;

      if (!regie_record_kind_from_string (column_text (stmt, 1), &kind))
        continue;   /* a kind of a newer server: kept, not shown */
      payload = column_open (self, stmt, 3, column_text (stmt, 0), &payload_len, &local_error);
      if (payload != NULL)
        record = regie_record_parse_text (column_text (stmt, 0), dossier_id, kind,
                                          sqlite3_column_int64 (stmt, 2),
                                          payload, payload_len, &local_error);
      if (record == NULL)
        {
          g_warning ("Skipping unreadable record %s: %s", column_text (stmt, 0),
                     local_error ? local_error->message : "no payload");
          continue;
        }
      regie_case_add_record (dossier, record);
    }
  sqlite3_reset (stmt);
  read_end (self, began);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, "load dossier");
      return NULL;
    }

  return g_steal_pointer (&dossier);
}

gboolean
regie_store_record_is_pending (RegieStore *self,
                               const char *record_id)
{
  sqlite3_stmt *stmt;
  gboolean pending = FALSE;

  g_return_val_if_fail (REGIE_IS_STORE (self), FALSE);
  g_return_val_if_fail (record_id != NULL, FALSE);

  stmt = get_statement (self, "SELECT 1 FROM outbox WHERE record_id = ? LIMIT 1", NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  pending = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);

  return pending;
}

static int
compare_notes (gconstpointer a,
               gconstpointer b)
{
  const RegieStoreNote *na = *(RegieStoreNote * const *) a;
  const RegieStoreNote *nb = *(RegieStoreNote * const *) b;
  int ret = g_strcmp0 (regie_note_get_created_at (na->note), regie_note_get_created_at (nb->note));

  return ret != 0 ? ret : strcmp (na->record_id, nb->record_id);
}

static RegieStoreNote *
store_note_new (const char  *record_id,
                const char  *payload,
                gsize        payload_len,
                gboolean     pending)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) node = NULL;
  RegieStoreNote *item;
  RegieNote *note;

  node = regie_json_parse (payload, payload_len, &local_error);
  note = node ? regie_note_new_from_json (node, &local_error) : NULL;
  if (note == NULL)
    {
      /* The server validated it; a bad row must not hide the others. */
      g_warning ("Skipping unreadable note %s: %s", record_id, local_error->message);
      return NULL;
    }

  item = g_new0 (RegieStoreNote, 1);
  item->record_id = g_strdup (record_id);
  item->note = note;
  item->pending = pending;
  return item;
}

static gboolean
add_note_cb (RegieStore             *self,
             const RegieChangeView  *change,
             gpointer                user_data,
             GError                **error)
{
  GPtrArray *notes = user_data;
  RegieStoreNote *item;
  char id[MAX_ID_BYTES + 1];

  if (change->kind != REGIE_RECORD_NOTE)
    return TRUE;

  g_assert (change->record_id_len <= MAX_ID_BYTES);
  memcpy (id, change->record_id, change->record_id_len);
  id[change->record_id_len] = '\0';
  /* Never pending: a local edit expands the dossier first. */
  item = store_note_new (id, change->payload, change->payload_len, FALSE);
  if (item != NULL)
    g_ptr_array_add (notes, item);
  return TRUE;
}

GPtrArray *
regie_store_list_notes (RegieStore  *self,
                        const char  *dossier_id,
                        GError     **error)
{
  g_autoptr(GPtrArray) notes = NULL;
  sqlite3_stmt *stmt;
  gboolean began;
  int rc;

  g_return_val_if_fail (REGIE_IS_STORE (self), NULL);
  g_return_val_if_fail (dossier_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = get_statement (self,
                        "SELECT r.id, r.payload, "
                        "       EXISTS (SELECT 1 FROM outbox o WHERE o.record_id = r.id) "
                        "FROM records r "
                        "WHERE r.dossier_id = ? AND r.kind = 'note'",
                        error);
  if (stmt == NULL)
    return NULL;

  if (!require_key (self, error))
    return NULL;

  notes = g_ptr_array_new_with_free_func ((GDestroyNotify) regie_store_note_free);
  began = read_begin (self);
  sqlite3_bind_text (stmt, 1, dossier_id, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *payload = NULL;
      gsize payload_len = 0;
      RegieStoreNote *item;

      payload = column_open (self, stmt, 1, column_text (stmt, 0), &payload_len, &local_error);
      if (payload == NULL)
        {
          g_warning ("Skipping unreadable note %s: %s", column_text (stmt, 0),
                     local_error ? local_error->message : "no payload");
          continue;
        }
      item = store_note_new (column_text (stmt, 0), payload, payload_len,
                             sqlite3_column_int (stmt, 2) != 0);
      if (item != NULL)
        g_ptr_array_add (notes, item);
    }
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE && !read_bundle (self, dossier_id, add_note_cb, notes, error))
    {
      read_end (self, began);
      return NULL;
    }
  read_end (self, began);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, "list notes");
      return NULL;
    }

  /* Oldest first; the payloads are sealed, so sorted here, not in SQL. */
  g_ptr_array_sort (notes, compare_notes);

  return g_steal_pointer (&notes);
}

static gboolean
find_person_cb (RegieStore             *self,
                const RegieChangeView  *change,
                gpointer                user_data,
                GError                **error)
{
  char **payload = user_data;

  if (change->kind == REGIE_RECORD_PERSON && *payload == NULL)
    *payload = g_strndup (change->payload, change->payload_len);
  return TRUE;
}

RegiePerson *
regie_store_get_person (RegieStore  *self,
                        const char  *dossier_id,
                        GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *bundled = NULL;
  sqlite3_stmt *stmt;
  RegiePerson *person = NULL;
  int rc;

  g_return_val_if_fail (REGIE_IS_STORE (self), NULL);
  g_return_val_if_fail (dossier_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!require_key (self, error))
    return NULL;

  stmt = get_statement (self,
                        "SELECT payload, id FROM records "
                        "WHERE dossier_id = ? AND kind = 'person' LIMIT 1",
                        error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, dossier_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_autofree char *payload = NULL;
      gsize payload_len = 0;

      payload = column_open (self, stmt, 0, column_text (stmt, 1), &payload_len, error);
      if (payload != NULL)
        node = regie_json_parse (payload, payload_len, error);
      if (node != NULL)
        person = regie_person_new_from_json (node, error);
    }
  else if (rc != SQLITE_DONE)
    set_sqlite_error (error, self->db, "get person");
  sqlite3_reset (stmt);

  /* A snapshot stores the person as a row; should a bundle hold one
   * instead, it is read there, as a row would have been. */
  if (rc == SQLITE_DONE)
    {
      if (!read_bundle (self, dossier_id, find_person_cb, &bundled, error))
        return NULL;
      if (bundled == NULL)
        {
          g_set_error (error, REGIE_ERROR, REGIE_ERROR_NOT_FOUND,
                       "No person in dossier %s", dossier_id);
          return NULL;
        }
      node = regie_json_parse (bundled, -1, error);
      if (node != NULL)
        person = regie_person_new_from_json (node, error);
    }

  return person;
}

/* ---- caseload ------------------------------------------------------------ */

typedef struct
{
  RegieCaseloadItem *item;
  char              *key;
} SortEntry;

static int
sort_entry_compare (gconstpointer a,
                    gconstpointer b)
{
  const SortEntry *ea = a;
  const SortEntry *eb = b;
  int ret = strcmp (ea->key, eb->key);

  if (ret == 0)
    ret = strcmp (regie_caseload_item_get_dossier_id (ea->item),
                  regie_caseload_item_get_dossier_id (eb->item));
  return ret;
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? text : "";
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return "";
  return json_node_get_string (node);
}

/* In the order regie_caseload_item_new() takes them. */
static const char * const person_members[] = {
  "given_names", "family_name", "bsn", "v_number", "birth_date", "doelgroep", NULL
};

GListModel *
regie_store_load_caseload (RegieStore  *self,
                           GError     **error)
{
  g_autoptr(GListStore) model = NULL;
  g_autoptr(GArray) entries = NULL;
  g_autofree gpointer *items = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (REGIE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!require_key (self, error))
    return NULL;

  /* Persons are rows in bundled dossiers too: a snapshot stores them so. */
  stmt = get_statement (self,
                        "SELECT dossier_id, id, payload FROM records WHERE kind = 'person'",
                        error);
  if (stmt == NULL)
    return NULL;

  entries = g_array_new (FALSE, FALSE, sizeof (SortEntry));

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *payload = NULL;
      g_autofree char *sort_key_text = NULL;
      gsize payload_len = 0;
      char *values[6];
      SortEntry entry;

      payload = column_open (self, stmt, 2, column_text (stmt, 1), &payload_len, &local_error);
      /* The fast path reads the six strings without a JSON tree; the
       * parser only for what it does not take. */
      if (payload == NULL ||
          !regie_json_scan_strings (payload, payload_len, person_members, values))
        {
          node = payload ? regie_json_parse (payload, payload_len, &local_error) : NULL;
          if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
            {
              g_warning ("Skipping unreadable person %s: %s", column_text (stmt, 1),
                         local_error ? local_error->message : "not an object");
              continue;
            }
          for (guint i = 0; i < G_N_ELEMENTS (values); i++)
            values[i] = g_strdup (string_member (json_node_get_object (node), person_members[i]));
        }
      for (guint i = 0; i < G_N_ELEMENTS (values); i++)
        if (values[i] == NULL)
          values[i] = g_strdup ("");

      entry.item = regie_caseload_item_new (column_text (stmt, 0),
                                            values[0], values[1], values[2],
                                            values[3], values[4], values[5]);
      /* Family name first; a separator below any letter keeps "De Vries"
       * before "De Vriesenberg". */
      sort_key_text = g_strconcat (values[1], "\x01", values[0], NULL);
      for (guint i = 0; i < G_N_ELEMENTS (values); i++)
        g_free (values[i]);
      entry.key = g_utf8_collate_key (sort_key_text, -1);
      g_array_append_val (entries, entry);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      for (guint i = 0; i < entries->len; i++)
        {
          g_object_unref (g_array_index (entries, SortEntry, i).item);
          g_free (g_array_index (entries, SortEntry, i).key);
        }
      set_sqlite_error (error, self->db, "load caseload");
      return NULL;
    }

  g_array_sort (entries, sort_entry_compare);

  items = g_new (gpointer, entries->len + 1);
  for (guint i = 0; i < entries->len; i++)
    {
      SortEntry *entry = &g_array_index (entries, SortEntry, i);

      items[i] = entry->item;
      g_free (entry->key);
    }

  model = g_list_store_new (REGIE_TYPE_CASELOAD_ITEM);
  g_list_store_splice (model, 0, 0, items, entries->len);
  for (guint i = 0; i < entries->len; i++)
    g_object_unref (items[i]);

  /* The scan filled the page cache with every person; not needed again. */
  sqlite3_db_release_memory (self->db);

  return G_LIST_MODEL (g_steal_pointer (&model));
}

/* ---- outbox -------------------------------------------------------------- */

guint
regie_store_count_pending (RegieStore *self)
{
  sqlite3_stmt *stmt;
  guint count = 0;

  g_return_val_if_fail (REGIE_IS_STORE (self), 0);

  stmt = get_statement (self, "SELECT count(*) FROM outbox", NULL);
  if (stmt == NULL)
    return 0;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return count;
}

guint
regie_store_count_stuck (RegieStore *self)
{
  sqlite3_stmt *stmt;
  guint count = 0;

  g_return_val_if_fail (REGIE_IS_STORE (self), 0);

  stmt = get_statement (self, "SELECT count(*) FROM outbox WHERE status IS NOT NULL", NULL);
  if (stmt == NULL)
    return 0;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return count;
}

GPtrArray *
regie_store_read_outbox (RegieStore  *self,
                         guint        max,
                         GError     **error)
{
  g_autoptr(GPtrArray) mutations = NULL;
  g_autoptr(GHashTable) records = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (REGIE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Rows marked conflict/rejected wait for the user; resending them would
   * only get the same answer again. */
  stmt = get_statement (self,
                        "SELECT mutation_id, record_id, dossier_id, kind, base_version, payload "
                        "FROM outbox WHERE status IS NULL AND base_version >= 0 ORDER BY seq LIMIT ?",
                        error);
  if (stmt == NULL)
    return NULL;

  if (!require_key (self, error))
    return NULL;

  sqlite3_bind_int64 (stmt, 1, max > 0 ? (gint64) max : G_MAXINT64);
  mutations = g_ptr_array_new_with_free_func ((GDestroyNotify) regie_mutation_free);
  records = g_hash_table_new (g_str_hash, g_str_equal);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RegieMutation *mutation;
      RegieRecordKind kind;

      /* One mutation per record in a batch (the wire format's rule); a
       * second one waits for the next batch, so the order holds. Only
       * edits sent again after a restored server come here twice. */
      if (g_hash_table_contains (records, column_text (stmt, 1)))
        {
          rc = SQLITE_DONE;
          break;
        }

      mutation = regie_mutation_new ();

      if (!regie_record_kind_from_string (column_text (stmt, 3), &kind))
        {
          g_warning ("Outbox row %s has unknown kind %s",
                     column_text (stmt, 0), column_text (stmt, 3));
          regie_mutation_free (mutation);
          continue;
        }

      mutation->id = g_strdup (column_text (stmt, 0));
      mutation->record_id = g_strdup (column_text (stmt, 1));
      mutation->dossier_id = g_strdup (column_text (stmt, 2));
      mutation->kind = kind;
      mutation->base_version = sqlite3_column_int64 (stmt, 4);
      g_hash_table_add (records, mutation->record_id);
      mutation->payload = column_open (self, stmt, 5, mutation->record_id, NULL, error);
      if (mutation->payload == NULL)
        {
          /* Never send around an edit we cannot read: stop here. */
          regie_mutation_free (mutation);
          sqlite3_reset (stmt);
          if (error != NULL && *error == NULL)
            g_set_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE, "Outbox row without payload");
          return NULL;
        }
      g_ptr_array_add (mutations, mutation);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, "read outbox");
      return NULL;
    }

  return g_steal_pointer (&mutations);
}

/* The record of an outbox row; an empty string when the row is gone. */
static char *
outbox_record_id (RegieStore  *self,
                  const char  *mutation_id,
                  GError     **error)
{
  sqlite3_stmt *stmt = get_statement (self, "SELECT record_id FROM outbox WHERE mutation_id = ?", error);
  char *record_id = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, mutation_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  record_id = g_strdup (rc == SQLITE_ROW ? column_text (stmt, 0) : "");
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      g_free (record_id);
      set_sqlite_error (error, self->db, "find outbox row");
      return NULL;
    }
  return record_id;
}

/* The plain acknowledgements of a batch (applied or a duplicate, no
 * merged record to store), in a few statements over the whole batch
 * instead of four per edit (docs/performance.md, push). `plain` is a
 * JSON array of {"m": mutation id, "v": the server's version}. Only edits
 * still in the outbox change anything: an answer repeated for edits
 * acknowledged before finds none. */
static gboolean
ack_plain (RegieStore  *self,
           const char  *plain,
           gint64       now,
           GError     **error)
{
  static const char * const steps[] = {
    /* The records get the server's versions… */
    "UPDATE records SET version = j.value ->> 'v' "
    "FROM json_each (?1) j JOIN outbox o ON o.mutation_id = j.value ->> 'm' "
    "WHERE records.id = o.record_id",
    /* …later edits of them, waiting for those versions, get them… */
    "UPDATE outbox SET base_version = j.value ->> 'v' "
    "FROM json_each (?1) j JOIN outbox o ON o.mutation_id = j.value ->> 'm' "
    "WHERE outbox.record_id = o.record_id AND outbox.base_version < 0 AND outbox.status IS NULL",
    /* …the edits are kept for a restored server… */
    "INSERT OR IGNORE INTO acked (seq, mutation_id, record_id, dossier_id, kind, "
    "base_version, payload, acked_at) "
    "SELECT o.seq, o.mutation_id, o.record_id, o.dossier_id, o.kind, o.base_version, o.payload, ?2 "
    "FROM json_each (?1) j JOIN outbox o ON o.mutation_id = j.value ->> 'm'",
    /* …and leave the outbox. */
    "DELETE FROM outbox WHERE mutation_id IN (SELECT value ->> 'm' FROM json_each (?1))",
  };
  g_autoptr(GPtrArray) dossiers = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  /* The records are written by id below. They had outbox rows, so their
   * dossiers were expanded when the edits were made (or requeued): this
   * finds nothing to do, unless the store broke the rule. */
  stmt = get_statement (self,
                        "SELECT DISTINCT o.dossier_id FROM json_each (?1) j "
                        "JOIN outbox o ON o.mutation_id = j.value ->> 'm'",
                        error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, plain, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (dossiers, g_strdup (column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, self->db, "ack outbox");
  for (guint i = 0; i < dossiers->len; i++)
    {
      const char *dossier_id = g_ptr_array_index (dossiers, i);

      if (!expand_bundle (self, dossier_id, strlen (dossier_id), error))
        return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      if ((stmt = get_statement (self, steps[i], error)) == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, plain, -1, SQLITE_STATIC);
      if (sqlite3_bind_parameter_count (stmt) >= 2)
        sqlite3_bind_int64 (stmt, 2, now);
      if (!step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
regie_store_ack_outbox (RegieStore  *self,
                        GPtrArray   *results,
                        GError     **error)
{
  g_autoptr(GString) plain = NULL;
  sqlite3_stmt *keep_stmt;
  sqlite3_stmt *remove_stmt;
  sqlite3_stmt *version_stmt;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  sqlite3_stmt *mark_stmt;
  sqlite3_stmt *chain_stmt;
  sqlite3_stmt *merged_stmt;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (REGIE_IS_STORE (self), FALSE);
  g_return_val_if_fail (results != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (results->len == 0)
    return TRUE;

  if (!require_key (self, error) || !begin (self, error))
    return FALSE;

  /* Kept for a restored server database (regie_store_note_server_epoch). */
  keep_stmt = get_statement (self,
                             "INSERT OR IGNORE INTO acked (seq, mutation_id, record_id, dossier_id, kind, "
                             "base_version, payload, acked_at) "
                             "SELECT seq, mutation_id, record_id, dossier_id, kind, base_version, payload, ?2 "
                             "FROM outbox WHERE mutation_id = ?1",
                             error);
  remove_stmt = keep_stmt ? get_statement (self,
                                           "DELETE FROM outbox WHERE mutation_id = ? RETURNING record_id, dossier_id",
                                           error) : NULL;
  version_stmt = remove_stmt ? get_statement (self, "UPDATE records SET version = ? WHERE id = ?", error) : NULL;
  mark_stmt = version_stmt ? get_statement (self,
                                            "UPDATE outbox SET status = ?, reason = ?, "
                                            "current_payload = ?4, current_version = ?5 "
                                            "WHERE mutation_id = ?3", error) : NULL;
  chain_stmt = mark_stmt ? get_statement (self,
                                          "UPDATE outbox SET base_version = ? "
                                          "WHERE record_id = ? AND base_version < 0 AND status IS NULL",
                                          error) : NULL;
  /* A merged edit: the server's merged record replaces ours, unless a
   * later local edit of it still waits. */
  merged_stmt = chain_stmt ? get_statement (self,
                                            "UPDATE records SET payload = ?1 WHERE id = ?2 "
                                            "AND NOT EXISTS (SELECT 1 FROM outbox WHERE record_id = ?2)",
                                            error) : NULL;
  if (merged_stmt == NULL)
    goto failure;

  plain = g_string_new ("[");
  for (guint i = 0; i < results->len; i++)
    {
      const RegiePushResult *result = g_ptr_array_index (results, i);

      /* Mutation ids are our own UUIDs (the engine checked the answer
       * names exactly the mutations sent). */
      if ((result->status == REGIE_PUSH_APPLIED || result->status == REGIE_PUSH_DUPLICATE) &&
          !(result->merged != NULL && result->current != NULL) &&
          regie_uuid_is_valid (result->mutation_id))
        {
          g_string_append_printf (plain, "%s{\"m\":\"%s\",\"v\":%" G_GINT64_FORMAT "}",
                                  plain->len > 1 ? "," : "", result->mutation_id, result->version);
          continue;
        }

      switch (result->status)
        {
        case REGIE_PUSH_APPLIED:
        case REGIE_PUSH_DUPLICATE:
          {
            g_autofree char *record_id = NULL;
            g_autofree char *dossier_id = NULL;
            int rc;

            sqlite3_bind_text (keep_stmt, 1, result->mutation_id, -1, SQLITE_STATIC);
            sqlite3_bind_int64 (keep_stmt, 2, now);
            if (!step_done (self, keep_stmt, error))
              goto failure;

            sqlite3_bind_text (remove_stmt, 1, result->mutation_id, -1, SQLITE_STATIC);
            rc = sqlite3_step (remove_stmt);
            if (rc == SQLITE_ROW)
              {
                record_id = g_strdup (column_text (remove_stmt, 0));
                dossier_id = g_strdup (column_text (remove_stmt, 1));
              }
            /* RETURNING: step to the end so that the delete completes. */
            while (rc == SQLITE_ROW)
              rc = sqlite3_step (remove_stmt);
            sqlite3_reset (remove_stmt);
            if (rc != SQLITE_DONE)
              {
                set_sqlite_error (error, self->db, "ack outbox");
                goto failure;
              }

            if (record_id == NULL)
              continue;   /* acknowledged before: a repeated answer */

            /* The record is written by id below. It had an outbox row, so
             * its dossier was expanded when the edit was made (or requeued):
             * this finds nothing to do, unless the store broke the rule. */
            if (!expand_bundle (self, dossier_id, strlen (dossier_id), error))
              goto failure;

            sqlite3_bind_int64 (version_stmt, 1, result->version);
            sqlite3_bind_text (version_stmt, 2, record_id, -1, SQLITE_TRANSIENT);
            if (!step_done (self, version_stmt, error))
              goto failure;

            /* A later edit of the same record waited for this version. */
            sqlite3_bind_int64 (chain_stmt, 1, result->version);
            sqlite3_bind_text (chain_stmt, 2, record_id, -1, SQLITE_TRANSIENT);
            if (!step_done (self, chain_stmt, error))
              goto failure;

            if (result->merged != NULL && result->current != NULL)
              {
                bind_sealed (self, merged_stmt, 1, result->current, -1, record_id, -1);
                sqlite3_bind_text (merged_stmt, 2, record_id, -1, SQLITE_TRANSIENT);
                if (!step_done (self, merged_stmt, error))
                  goto failure;
              }
          }
          break;

        case REGIE_PUSH_CONFLICT:
        case REGIE_PUSH_REJECTED:
          g_debug ("Mutation %s %s: %s", result->mutation_id,
                   regie_push_status_to_string (result->status),
                   result->reason ? result->reason : "");
          sqlite3_bind_text (mark_stmt, 1, regie_push_status_to_string (result->status), -1, SQLITE_STATIC);
          sqlite3_bind_text (mark_stmt, 2, result->reason, -1, SQLITE_STATIC);
          sqlite3_bind_text (mark_stmt, 3, result->mutation_id, -1, SQLITE_STATIC);
          /* A conflict keeps the server's record for the user's choice. */
          if (result->status == REGIE_PUSH_CONFLICT)
            {
              g_autofree char *record_id = NULL;

              if (result->current != NULL &&
                  !(record_id = outbox_record_id (self, result->mutation_id, error)))
                goto failure;
              if (result->current != NULL)
                bind_sealed (self, mark_stmt, 4, result->current, -1, record_id, -1);
              sqlite3_bind_int64 (mark_stmt, 5, result->current_version > 0 ? result->current_version
                                                                            : result->version);
            }
          if (!step_done (self, mark_stmt, error))
            goto failure;
          break;

        default:
          g_assert_not_reached ();
        }
    }

  g_string_append_c (plain, ']');
  if (plain->len > 2 && !ack_plain (self, plain->str, now, error))
    goto failure;

  /* Older than any backup a municipality would restore. The table has no
   * index on the time: pruned once an hour of this connection, not with
   * every acknowledgement (each would read it all). */
  if (now - self->acked_pruned_at >= 3600)
    {
      stmt = get_statement (self, "DELETE FROM acked WHERE acked_at < ?", error);
      if (stmt == NULL)
        goto failure;
      sqlite3_bind_int64 (stmt, 1, now - ACKED_KEEP_DAYS * 24 * 3600);
      if (!step_done (self, stmt, error))
        goto failure;
      self->acked_pruned_at = now;
    }

  if (!commit (self, error))
    goto failure;

  g_signal_emit (self, signals[CHANGED], 0, NULL);
  return TRUE;

failure:
  rollback (self);
  return FALSE;
}

gboolean
regie_store_note_server_epoch (RegieStore  *self,
                               const char  *epoch,
                               gboolean    *out_restored,
                               guint       *out_requeued,
                               GError     **error)
{
  g_autofree char *known = NULL;
  sqlite3_stmt *stmt;
  guint requeued = 0;

  g_return_val_if_fail (REGIE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_restored != NULL)
    *out_restored = FALSE;
  if (out_requeued != NULL)
    *out_requeued = 0;
  if (epoch == NULL || *epoch == '\0')
    return TRUE;   /* an older server: nothing to compare */

  known = regie_store_dup_meta (self, "server_epoch");
  if (g_strcmp0 (known, epoch) == 0)
    return TRUE;

  if (!begin (self, error))
    return FALSE;

  if (known != NULL)
    {
      /* The server lost what it acknowledged since its backup: send it all
       * again, in the original order and under the original ids (what
       * the restored database still has is answered "duplicate"), and
       * pull everything again. Pending records stay as they are. */
      stmt = get_statement (self,
                            "INSERT OR IGNORE INTO outbox (seq, mutation_id, record_id, dossier_id, kind, "
                            "base_version, payload) "
                            "SELECT seq, mutation_id, record_id, dossier_id, kind, base_version, payload "
                            "FROM acked ORDER BY seq",
                            error);
      if (stmt == NULL || !step_done (self, stmt, error))
        goto failure;
      requeued = (guint) sqlite3_changes (self->db);

      /* Their records are written by id when acknowledged again: a
       * dossier bundled since must be rows first. */
      if (g_hash_table_size (self->bundled) > 0)
        {
          g_autoptr(GPtrArray) dossiers = g_ptr_array_new_with_free_func (g_free);
          int rc;

          stmt = get_statement (self, "SELECT DISTINCT dossier_id FROM acked", error);
          if (stmt == NULL)
            goto failure;
          while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
            g_ptr_array_add (dossiers, g_strdup (column_text (stmt, 0)));
          sqlite3_reset (stmt);
          if (rc != SQLITE_DONE)
            {
              set_sqlite_error (error, self->db, "read acknowledged edits");
              goto failure;
            }
          for (guint i = 0; i < dossiers->len; i++)
            {
              const char *dossier_id = g_ptr_array_index (dossiers, i);

              if (!expand_bundle (self, dossier_id, strlen (dossier_id), error))
                goto failure;
            }
        }

      /* A snapshot under way came from the lost database: abandoned. */
      if (!exec (self, "DELETE FROM acked", error) ||
          !forget_cursor (self, error))
        goto failure;
      g_message ("The server's database was restored (epoch %s, was %s): sending %u acknowledged changes again",
                 epoch, known, requeued);
    }

  if (!set_meta (self, "server_epoch", epoch, error) || !commit (self, error))
    goto failure;

  if (out_restored != NULL)
    *out_restored = known != NULL;
  if (out_requeued != NULL)
    *out_requeued = requeued;
  if (requeued > 0)
    g_signal_emit (self, signals[CHANGED], 0, NULL);
  return TRUE;

failure:
  rollback (self);
  return FALSE;
}

/* ---- conflict queue ------------------------------------------------------ */

void
regie_conflict_free (RegieConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->record_id);
  g_free (conflict->dossier_id);
  g_free (conflict->mine);
  g_free (conflict->theirs);
  g_free (conflict->reason);
  g_free (conflict->person);
  g_free (conflict);
}

static GPtrArray *
list_outbox_with_status (RegieStore  *self,
                         const char  *sql,
                         const char  *status,
                         GError     **error)
{
  g_autoptr(GPtrArray) list = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!require_key (self, error) || (stmt = get_statement (self, sql, error)) == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, status, -1, SQLITE_STATIC);

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) regie_conflict_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RegieConflict *conflict;
      RegieRecordKind kind;

      if (!regie_record_kind_from_string (column_text (stmt, 2), &kind))
        continue;
      conflict = g_new0 (RegieConflict, 1);
      conflict->record_id = g_strdup (column_text (stmt, 0));
      conflict->dossier_id = g_strdup (column_text (stmt, 1));
      conflict->kind = kind;
      conflict->mine = column_open (self, stmt, 3, conflict->record_id, NULL, NULL);
      conflict->theirs = column_open (self, stmt, 4, conflict->record_id, NULL, NULL);
      if (conflict->mine == NULL)
        conflict->mine = g_strdup ("{}");   /* unreadable: still shown, never lost */
      conflict->base_version = sqlite3_column_int64 (stmt, 5);
      conflict->current_version = sqlite3_column_int64 (stmt, 6);
      conflict->reason = g_strdup (column_text (stmt, 7));
      if (column_text (stmt, 8) != NULL)
        conflict->person = column_open (self, stmt, 9, column_text (stmt, 8), NULL, NULL);
      g_ptr_array_add (list, conflict);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, "list outbox");
      return NULL;
    }

  return g_steal_pointer (&list);
}

GPtrArray *
regie_store_list_conflicts (RegieStore  *self,
                            GError     **error)
{
  g_return_val_if_fail (REGIE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return list_outbox_with_status (self,
                                  "SELECT record_id, dossier_id, kind, payload, current_payload, "
                                  "base_version, current_version, reason, NULL, NULL "
                                  "FROM outbox WHERE status = ?1 ORDER BY seq",
                                  "conflict", error);
}

/* Stuck edits with no server copy: orphaned or rejected (?1). */
#define STUCK_SQL "SELECT record_id, dossier_id, kind, payload, NULL, base_version, 0, reason, " \
                  "       person_id, person " \
                  "FROM outbox WHERE status = ?1 ORDER BY seq"

GPtrArray *
regie_store_list_orphaned (RegieStore  *self,
                           GError     **error)
{
  g_return_val_if_fail (REGIE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return list_outbox_with_status (self, STUCK_SQL, "orphaned", error);
}

GPtrArray *
regie_store_list_rejected (RegieStore  *self,
                           GError     **error)
{
  g_return_val_if_fail (REGIE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return list_outbox_with_status (self, STUCK_SQL, "rejected", error);
}

gboolean
regie_store_dismiss_stuck (RegieStore  *self,
                           const char  *record_id,
                           GError     **error)
{
  g_autofree char *dossier_id = NULL;
  gboolean refetch = FALSE;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (REGIE_IS_STORE (self), FALSE);
  g_return_val_if_fail (record_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!require_key (self, error) || !begin (self, error))
    return FALSE;

  stmt = get_statement (self,
                        "DELETE FROM outbox WHERE record_id = ? AND status IN ('orphaned', 'rejected') "
                        "RETURNING dossier_id, status = 'rejected' AND base_version > 0",
                        error);
  if (stmt == NULL)
    goto failure;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (dossier_id == NULL)
        dossier_id = g_strdup (column_text (stmt, 0));
      refetch |= sqlite3_column_int (stmt, 1) != 0;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, "dismiss");
      goto failure;
    }
  if (dossier_id == NULL)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_NOT_FOUND,
                   "Record %s has no orphaned or rejected edit", record_id);
      goto failure;
    }

  /* The local copy stays only while an edit of it waits: an orphaned
   * dossier's record goes with its last edit, a new record the server
   * refused goes. A refused edit of a record the server has leaves our
   * version here: the next sync pulls everything again (unchanged
   * records are skipped) to get the server's back. The record had an
   * outbox row, so its dossier is not bundled (expanded at the edit);
   * checked all the same, a hash lookup. */
  if (!expand_bundle (self, dossier_id, strlen (dossier_id), error))
    goto failure;
  stmt = get_statement (self,
                        "DELETE FROM records WHERE id = ?1 "
                        "AND NOT EXISTS (SELECT 1 FROM outbox WHERE record_id = ?1)",
                        error);
  if (stmt == NULL)
    goto failure;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error) ||
      (refetch && !forget_cursor (self, error)) ||
      !commit (self, error))
    goto failure;

  emit_changed (self, dossier_id);
  return TRUE;

failure:
  rollback (self);
  return FALSE;
}

gboolean
regie_store_resolve_conflict (RegieStore          *self,
                              const char          *record_id,
                              RegieConflictChoice  choice,
                              const char          *edited_payload,
                              GError             **error)
{
  g_autofree char *dossier_id = NULL;
  g_autofree char *kind_name = NULL;
  g_autoptr(GBytes) theirs = NULL;   /* sealed, for the same record */
  g_autofree char *canonical = NULL;
  g_autofree char *mutation_id = NULL;
  sqlite3_stmt *stmt;
  RegieRecordKind kind;
  gint64 outbox_seq = 0, current_version = 0;
  int rc;

  g_return_val_if_fail (REGIE_IS_STORE (self), FALSE);
  g_return_val_if_fail (record_id != NULL, FALSE);
  g_return_val_if_fail (choice != REGIE_CONFLICT_EDIT || edited_payload != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!require_key (self, error) || !begin (self, error))
    return FALSE;

  stmt = get_statement (self,
                        "SELECT seq, dossier_id, kind, current_payload, current_version FROM outbox "
                        "WHERE record_id = ? AND status = 'conflict' ORDER BY seq LIMIT 1",
                        error);
  if (stmt == NULL)
    goto failure;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      outbox_seq = sqlite3_column_int64 (stmt, 0);
      dossier_id = g_strdup (column_text (stmt, 1));
      kind_name = g_strdup (column_text (stmt, 2));
      if (sqlite3_column_type (stmt, 3) == SQLITE_BLOB)
        theirs = g_bytes_new (sqlite3_column_blob (stmt, 3), sqlite3_column_bytes (stmt, 3));
      current_version = sqlite3_column_int64 (stmt, 4);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, "find conflict");
      goto failure;
    }
  if (rc == SQLITE_DONE || !regie_record_kind_from_string (kind_name, &kind))
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_NOT_FOUND,
                   "Record %s has no conflict waiting", record_id);
      goto failure;
    }

  /* The record is written by id below; as it has an outbox row its
   * dossier was expanded when the edit was made. */
  if (!expand_bundle (self, dossier_id, strlen (dossier_id), error))
    goto failure;

  if (choice == REGIE_CONFLICT_THEIRS)
    {
      /* Mine goes, with any edit chained on it; the server's record stays. */
      stmt = get_statement (self,
                            "DELETE FROM outbox WHERE seq = ?1 OR (record_id = ?2 AND base_version < 0 "
                            "AND status IS NULL)",
                            error);
      if (stmt == NULL)
        goto failure;
      sqlite3_bind_int64 (stmt, 1, outbox_seq);
      sqlite3_bind_text (stmt, 2, record_id, -1, SQLITE_STATIC);
      if (!step_done (self, stmt, error))
        goto failure;

      if (theirs != NULL)
        {
          stmt = get_statement (self, "UPDATE records SET payload = ?1, version = ?2 WHERE id = ?3",
                                error);
          if (stmt == NULL)
            goto failure;
          sqlite3_bind_blob64 (stmt, 1, g_bytes_get_data (theirs, NULL), g_bytes_get_size (theirs),
                               SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 2, current_version);
        }
      else
        {
          /* The server has no such record: ours was never accepted. */
          stmt = get_statement (self, "DELETE FROM records WHERE id = ?3", error);
          if (stmt == NULL)
            goto failure;
        }
      sqlite3_bind_text (stmt, 3, record_id, -1, SQLITE_STATIC);
      if (!step_done (self, stmt, error))
        goto failure;
    }
  else
    {
      /* Mine, or an edit, sent again on the server's version under a new
       * idempotency key. */
      if (choice == REGIE_CONFLICT_EDIT &&
          !(canonical = regie_record_canonicalize (kind, edited_payload, -1, error)))
        goto failure;
      mutation_id = regie_uuid_v7_new ();

      stmt = get_statement (self,
                            "UPDATE outbox SET mutation_id = ?1, base_version = ?2, "
                            "payload = coalesce (?3, payload), status = NULL, reason = NULL, "
                            "current_payload = NULL, current_version = NULL WHERE seq = ?4",
                            error);
      if (stmt == NULL)
        goto failure;
      sqlite3_bind_text (stmt, 1, mutation_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, current_version);
      if (canonical != NULL)
        bind_sealed (self, stmt, 3, canonical, -1, record_id, -1);
      sqlite3_bind_int64 (stmt, 4, outbox_seq);
      if (!step_done (self, stmt, error))
        goto failure;

      stmt = get_statement (self,
                            "UPDATE records SET version = ?1, payload = coalesce (?2, payload) "
                            "WHERE id = ?3",
                            error);
      if (stmt == NULL)
        goto failure;
      sqlite3_bind_int64 (stmt, 1, current_version);
      if (canonical != NULL)
        bind_sealed (self, stmt, 2, canonical, -1, record_id, -1);
      sqlite3_bind_text (stmt, 3, record_id, -1, SQLITE_STATIC);
      if (!step_done (self, stmt, error))
        goto failure;
    }

  if (!commit (self, error))
    goto failure;

  emit_changed (self, dossier_id);
  return TRUE;

failure:
  rollback (self);
  return FALSE;
}

/* ---- pull ---------------------------------------------------------------- */

static void
set_cache_size (RegieStore *self,
                gboolean    bulk)
{
  /* Only a size: failing leaves the old one, which is still correct. */
  sqlite3_exec (self->db,
                bulk ? "PRAGMA cache_size=" G_STRINGIFY (STORE_BULK_CACHE_KIB)
                     : "PRAGMA cache_size=" G_STRINGIFY (STORE_CACHE_KIB),
                NULL, NULL, NULL);
}

static gboolean
store_is_empty (RegieStore *self)
{
  sqlite3_stmt *stmt = get_statement (self,
                                      "SELECT NOT EXISTS (SELECT 1 FROM records) "
                                      "AND NOT EXISTS (SELECT 1 FROM bundles)",
                                      NULL);
  gboolean empty = FALSE;

  if (stmt == NULL)
    return FALSE;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    empty = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  return empty;
}

static GHashTable *
load_pending_record_ids (RegieStore  *self,
                         GError     **error)
{
  g_autoptr(GHashTable) ids = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = get_statement (self, "SELECT DISTINCT record_id FROM outbox", error);
  if (stmt == NULL)
    return NULL;

  ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (ids, g_strdup (column_text (stmt, 0)));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, self->db, "read pending ids");
      return NULL;
    }

  return g_steal_pointer (&ids);
}

static inline gboolean
is_pending (GHashTable *pending,
            const char *id,
            gsize       id_len)
{
  char buf[MAX_ID_BYTES + 1];

  if (pending == NULL || g_hash_table_size (pending) == 0)
    return FALSE;

  /* Not one of our ids: it cannot be pending. */
  if (id_len > MAX_ID_BYTES)
    return FALSE;

  memcpy (buf, id, id_len);
  buf[id_len] = '\0';
  return g_hash_table_contains (pending, buf);
}

gboolean
regie_store_apply_pull_page (RegieStore  *self,
                             const char  *page,
                             gsize        length,
                             gint64      *out_next_cursor,
                             gboolean    *out_more,
                             guint       *out_n_changes,
                             GError     **error)
{
  g_autoptr(GHashTable) pending = NULL;
  g_autoptr(GError) local_error = NULL;
  RegiePullReader reader;
  RegieChangeView change;
  sqlite3_stmt *upsert;
  sqlite3_stmt *remove;
  sqlite3_stmt *purge;
  sqlite3_stmt *orphan;
  guint n_changes = 0;
  gboolean index_dropped = FALSE;

  g_return_val_if_fail (REGIE_IS_STORE (self), FALSE);
  g_return_val_if_fail (page != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!require_key (self, error) || !begin (self, error))
    return FALSE;

  /* The outbox is small (usually empty): one lookup table per page keeps
   * the per-change check off SQLite. */
  if (regie_store_count_pending (self) > 0)
    {
      pending = load_pending_record_ids (self, error);
      if (pending == NULL)
        goto failure;
    }

  upsert = get_statement (self, upsert_record_sql, error);
  remove = upsert ? get_statement (self, "DELETE FROM records WHERE id = ?", error) : NULL;
  purge = remove ? get_statement (self,
                                  "DELETE FROM records WHERE dossier_id = ?1 "
                                  "AND id NOT IN (SELECT record_id FROM outbox WHERE dossier_id = ?1)",
                                  error) : NULL;
  orphan = purge ? get_statement (self,
                                  "UPDATE outbox SET status = 'orphaned', "
                                  "reason = 'the dossier left your caseload before this was sent', "
                                  /* The person goes with the dossier: keep its sealed
                                   * payload (it opens under its own id) so that the
                                   * edit can still say whose it was. */
                                  "person_id = (SELECT id FROM records WHERE dossier_id = ?1 AND kind = 'person'), "
                                  "person = (SELECT payload FROM records WHERE dossier_id = ?1 AND kind = 'person') "
                                  "WHERE dossier_id = ?1",
                                  error) : NULL;
  if (orphan == NULL)
    goto failure;

  /* First sync into an empty store: dossier ids arrive in random order, so
   * keeping the dossier index up to date row by row costs more than the
   * rows themselves. Build it once at the end instead; if the pull is cut
   * off first, regie_store_open() recreates it. */
  if (!self->index_deferred && regie_store_get_cursor (self) == 0 && store_is_empty (self))
    {
      if (!exec (self, "DROP INDEX IF EXISTS records_dossier_kind", error))
        goto failure;
      index_dropped = TRUE;
      /* The record id index of a whole caseload (~20 MB for 350,000
       * records) must stay in the cache while the ids arrive in random
       * order; back to the normal size after the last page. */
      set_cache_size (self, TRUE);
    }

  regie_pull_reader_init (&reader, page, length);

  while (regie_pull_reader_next (&reader, &change, &local_error))
    {
      int rc;

      /* Unsynced local changes win until they are pushed (conflicts are
       * resolved by the server and come back in a later page). */
      if (is_pending (pending, change.record_id, change.record_id_len))
        continue;

      /* A change to a dossier kept as a bundle (a first sync by snapshot)
       * applies to its rows: expanded first, unless it is purged whole.
       * A hash lookup, nothing when no dossier is bundled. */
      if (!(change.deleted && change.kind == REGIE_RECORD_DOSSIER) &&
          !expand_bundle (self, change.dossier_id, change.dossier_id_len, error))
        goto failure;

      if (G_LIKELY (!change.deleted))
        {
          sqlite3_bind_text (upsert, 1, change.record_id, change.record_id_len, SQLITE_STATIC);
          sqlite3_bind_text (upsert, 2, change.dossier_id, change.dossier_id_len, SQLITE_STATIC);
          sqlite3_bind_text (upsert, 3, regie_record_kind_to_string (change.kind), -1, SQLITE_STATIC);
          sqlite3_bind_int64 (upsert, 4, change.version);
          /* Sealed into one buffer reused for every change of the page. */
          g_byte_array_set_size (self->scratch, REGIE_SEALED_SIZE (change.payload_len));
          regie_key_seal_to (self->key, change.payload, change.payload_len,
                             change.record_id, change.record_id_len, self->scratch->data);
          sqlite3_bind_blob64 (upsert, 5, self->scratch->data, self->scratch->len, SQLITE_STATIC);
          rc = sqlite3_step (upsert);
          sqlite3_reset (upsert);
        }
      else if (change.kind == REGIE_RECORD_DOSSIER)
        {
          /* The dossier is gone for us (closed or out of scope): purge
           * what we hold of it, except edits still waiting to be sent.
           * Those are kept and reported, never lost: they wait for the
           * user (regie_store_list_orphaned), no longer sent. Marked
           * before the purge, which takes the person with it. */
          rc = SQLITE_DONE;
          if (pending != NULL)
            {
              sqlite3_bind_text (orphan, 1, change.dossier_id, change.dossier_id_len, SQLITE_STATIC);
              rc = sqlite3_step (orphan);
              sqlite3_reset (orphan);
              if (rc == SQLITE_DONE && sqlite3_changes (self->db) > 0)
                g_message ("Dossier %.*s left this caseload with %d unsent changes; kept",
                           (int) change.dossier_id_len, change.dossier_id,
                           sqlite3_changes (self->db));
            }
          if (rc == SQLITE_DONE)
            {
              sqlite3_bind_text (purge, 1, change.dossier_id, change.dossier_id_len, SQLITE_STATIC);
              rc = sqlite3_step (purge);
              sqlite3_reset (purge);
            }
          /* A bundled dossier has no edits waiting: its bundle goes whole. */
          if (rc == SQLITE_DONE &&
              !drop_bundle (self, change.dossier_id, change.dossier_id_len, error))
            goto failure;
        }
      else
        {
          sqlite3_bind_text (remove, 1, change.record_id, change.record_id_len, SQLITE_STATIC);
          rc = sqlite3_step (remove);
          sqlite3_reset (remove);
        }

      if (G_UNLIKELY (rc != SQLITE_DONE))
        {
          set_sqlite_error (error, self->db, "apply change");
          goto failure;
        }

      n_changes++;
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto failure;
    }

  if (!reader.finished)
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                           "The pull page was cut off");
      goto failure;
    }

  if (!set_meta_int (self, "cursor", reader.next_cursor, error))
    goto failure;

  if ((self->index_deferred || index_dropped) && !reader.more &&
      !exec (self, INDEX_SQL, error))
    goto failure;

  if (!commit (self, error))
    goto failure;

  if (index_dropped)
    self->index_deferred = TRUE;
  if (!reader.more && self->index_deferred)
    {
      self->index_deferred = FALSE;
      set_cache_size (self, FALSE);
    }

  g_debug ("Applied %u changes, cursor now %" G_GINT64_FORMAT "%s",
           n_changes, reader.next_cursor, reader.more ? " (more)" : "");

  if (out_next_cursor != NULL)
    *out_next_cursor = reader.next_cursor;
  if (out_more != NULL)
    *out_more = reader.more;
  if (out_n_changes != NULL)
    *out_n_changes = n_changes;

  if (n_changes > 0)
    g_signal_emit (self, signals[CHANGED], 0, NULL);

  return TRUE;

failure:
  rollback (self);
  if (index_dropped)
    set_cache_size (self, FALSE);
  return FALSE;
}

/* ---- snapshot ------------------------------------------------------------ */

gboolean
regie_store_wants_snapshot (RegieStore  *self,
                            gint64      *out_cursor,
                            char       **out_after)
{
  g_autofree char *cursor = NULL;

  g_return_val_if_fail (REGIE_IS_STORE (self), FALSE);

  if (out_cursor != NULL)
    *out_cursor = 0;
  if (out_after != NULL)
    *out_after = NULL;

  cursor = regie_store_dup_meta (self, SNAPSHOT_CURSOR_META);
  if (cursor != NULL)
    {
      if (out_cursor != NULL)
        *out_cursor = g_ascii_strtoll (cursor, NULL, 10);
      if (out_after != NULL)
        *out_after = regie_store_dup_meta (self, SNAPSHOT_AFTER_META);
      return TRUE;
    }

  /* Nothing to mix a snapshot with: never synced, nothing stored, no
   * edit waiting. */
  return regie_store_get_cursor (self) == 0 && store_is_empty (self) &&
         regie_store_count_pending (self) == 0;
}

/* Snapshot ids are compared as text, as the server orders them. */
static inline int
compare_ids (const char *a,
             gsize       a_len,
             const char *b,
             gsize       b_len)
{
  int ret = memcmp (a, b, MIN (a_len, b_len));

  return ret != 0 ? ret : (a_len > b_len) - (a_len < b_len);
}

gboolean
regie_store_apply_snapshot_page (RegieStore  *self,
                                 const char  *page,
                                 gsize        length,
                                 gboolean    *out_more,
                                 gint64      *out_total,
                                 guint       *out_n_dossiers,
                                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *stored_cursor = NULL;
  g_autofree char *stored_after = NULL;
  RegieSnapshotReader reader;
  RegieSnapshotItem item;
  sqlite3_stmt *upsert;
  sqlite3_stmt *insert;
  char last[MAX_ID_BYTES + 1] = "";   /* the last dossier stored */
  gsize last_len = 0;
  char person[MAX_ID_BYTES + 1];      /* the dossier of a person line before its bundle */
  gsize person_len = 0;
  gint64 cursor = 0;
  gint64 total = 0;
  guint n_dossiers = 0;

  g_return_val_if_fail (REGIE_IS_STORE (self), FALSE);
  g_return_val_if_fail (page != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!require_key (self, error))
    return FALSE;

  /* The pages' ~30 MB would cross the autocheckpoint size once, and that
   * commit would copy them all into the database (and fsync) before
   * returning: 50–90 ms of the ~150 ms a first sync may take. Off while
   * the pages come; a worker thread does it after the last one. */
  self->storing_snapshot = TRUE;
  if (!self->autocheckpoint_off &&
      sqlite3_exec (self->db, "PRAGMA wal_autocheckpoint=0", NULL, NULL, NULL) == SQLITE_OK)
    self->autocheckpoint_off = TRUE;

  if (!begin (self, error))
    {
      self->storing_snapshot = FALSE;
      return FALSE;
    }

  /* Only into an empty store, or after the pages of the same snapshot:
   * bundles beside rows of the same dossiers would break the rule that a
   * dossier is either bundled or rows. */
  stored_cursor = regie_store_dup_meta (self, SNAPSHOT_CURSOR_META);
  if (stored_cursor != NULL)
    {
      stored_after = regie_store_dup_meta (self, SNAPSHOT_AFTER_META);
      if (stored_after != NULL && strlen (stored_after) <= MAX_ID_BYTES)
        {
          last_len = strlen (stored_after);
          memcpy (last, stored_after, last_len + 1);
        }
    }
  else if (!regie_store_wants_snapshot (self, NULL, NULL))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                           "This copy already holds records: a snapshot is only for a first sync");
      goto failure;
    }

  upsert = get_statement (self, upsert_record_sql, error);
  insert = upsert ? get_statement (self,
                                   "INSERT INTO bundles (dossier_id, n_records, payload) VALUES (?, ?, ?)",
                                   error) : NULL;
  if (insert == NULL)
    goto failure;

  regie_snapshot_reader_init (&reader, page, length);

  while (regie_snapshot_reader_next (&reader, &item, &local_error))
    {
      const char *dossier_id;
      gsize dossier_id_len;
      int rc = SQLITE_DONE;

      switch (item.type)
        {
        case REGIE_SNAPSHOT_ITEM_START:
          cursor = item.cursor;
          total = item.total;
          continue;

        case REGIE_SNAPSHOT_ITEM_PERSON:
          dossier_id = item.change.dossier_id;
          dossier_id_len = item.change.dossier_id_len;
          /* One person per dossier, before its bundle, after every
           * dossier stored before. */
          if (person_len != 0 || dossier_id_len > MAX_ID_BYTES ||
              compare_ids (dossier_id, dossier_id_len, last, last_len) <= 0)
            goto out_of_order;

          sqlite3_bind_text (upsert, 1, item.change.record_id, item.change.record_id_len, SQLITE_STATIC);
          sqlite3_bind_text (upsert, 2, dossier_id, dossier_id_len, SQLITE_STATIC);
          sqlite3_bind_text (upsert, 3, regie_record_kind_to_string (REGIE_RECORD_PERSON), -1, SQLITE_STATIC);
          sqlite3_bind_int64 (upsert, 4, item.change.version);
          g_byte_array_set_size (self->scratch, REGIE_SEALED_SIZE (item.change.payload_len));
          regie_key_seal_to (self->key, item.change.payload, item.change.payload_len,
                             item.change.record_id, item.change.record_id_len, self->scratch->data);
          sqlite3_bind_blob64 (upsert, 5, self->scratch->data, self->scratch->len, SQLITE_STATIC);
          rc = sqlite3_step (upsert);
          sqlite3_reset (upsert);

          memcpy (person, dossier_id, dossier_id_len);
          person_len = dossier_id_len;
          break;

        case REGIE_SNAPSHOT_ITEM_BUNDLE:
          dossier_id = item.dossier_id;
          dossier_id_len = item.dossier_id_len;
          if (person_len != 0
              ? compare_ids (dossier_id, dossier_id_len, person, person_len) != 0
              : compare_ids (dossier_id, dossier_id_len, last, last_len) <= 0)
            goto out_of_order;
          if (item.n_records < 0 || item.data_len == 0)
            {
              g_set_error (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                           "The snapshot's bundle of dossier %.*s is empty",
                           (int) dossier_id_len, dossier_id);
              goto failure;
            }

          /* Stored as it came, sealed: opened only when the dossier is
           * read, and made into rows when it is written. */
          sqlite3_bind_text (insert, 1, dossier_id, dossier_id_len, SQLITE_STATIC);
          sqlite3_bind_int64 (insert, 2, item.n_records);
          g_byte_array_set_size (self->scratch, REGIE_SEALED_SIZE (item.data_len));
          regie_key_seal_to (self->key, item.data, item.data_len,
                             dossier_id, dossier_id_len, self->scratch->data);
          sqlite3_bind_blob64 (insert, 3, self->scratch->data, self->scratch->len, SQLITE_STATIC);
          rc = sqlite3_step (insert);
          sqlite3_reset (insert);

          g_hash_table_add (self->bundled, g_strndup (dossier_id, dossier_id_len));
          self->bundled_dirty = TRUE;
          memcpy (last, dossier_id, dossier_id_len);
          last[dossier_id_len] = '\0';
          last_len = dossier_id_len;
          person_len = 0;
          n_dossiers++;
          break;

        default:
          g_assert_not_reached ();
        }

      if (G_UNLIKELY (rc != SQLITE_DONE))
        {
          set_sqlite_error (error, self->db, "store snapshot");
          goto failure;
        }
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      goto failure;
    }
  if (!reader.finished)
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_PARSE, "The snapshot page was cut off");
      goto failure;
    }
  /* The end line names the page's last dossier, which the next page
   * starts after; a page with more to come holds at least one. */
  if (person_len != 0 || strcmp (reader.last_dossier_id, n_dossiers > 0 ? last : "") != 0 ||
      (reader.more && n_dossiers == 0))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                           "The snapshot page's end line does not match its dossiers");
      goto failure;
    }

  if (reader.more)
    {
      /* Incremental pulls start at the first page's cursor: what changed
       * while the later pages were made is pulled again. */
      if ((stored_cursor == NULL && !set_meta_int (self, SNAPSHOT_CURSOR_META, cursor, error)) ||
          !set_meta (self, SNAPSHOT_AFTER_META, last, error))
        goto failure;
    }
  else
    {
      if (stored_cursor != NULL)
        cursor = g_ascii_strtoll (stored_cursor, NULL, 10);
      if (!set_meta_int (self, "cursor", cursor, error) ||
          !clear_snapshot_meta (self, error))
        goto failure;
    }

  if (!commit (self, error))
    goto failure;

  self->storing_snapshot = FALSE;
  if (!reader.more && self->autocheckpoint_off)
    start_checkpoint (self);

  g_debug ("Stored %u dossiers of a snapshot%s", n_dossiers,
           reader.more ? " (more)" : ", the pull continues from its first cursor");

  if (out_more != NULL)
    *out_more = reader.more;
  if (out_total != NULL)
    *out_total = total;
  if (out_n_dossiers != NULL)
    *out_n_dossiers = n_dossiers;

  if (n_dossiers > 0)
    g_signal_emit (self, signals[CHANGED], 0, NULL);

  return TRUE;

out_of_order:
  g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                       "The snapshot page's dossiers are not in order after those stored");
failure:
  rollback (self);
  self->storing_snapshot = FALSE;
  return FALSE;
}

/* ---- caseload item -------------------------------------------------------- */

char *
regie_search_fold (const char *text)
{
  g_autofree char *normalized = NULL;
  g_autofree char *ascii = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  /* g_str_to_ascii transliterates "ş" → "s", "ı" → "i", "é" → "e". */
  normalized = g_utf8_normalize (text, -1, G_NORMALIZE_DEFAULT_COMPOSE);
  ascii = g_str_to_ascii (normalized != NULL ? normalized : "", "C");

  return g_ascii_strdown (ascii, -1);
}
