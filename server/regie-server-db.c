/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieServer"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <openssl/rand.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <string.h>

#include "regie-audit.h"
#include "regie-case.h"
#include "regie-error.h"
#include "regie-merge.h"
#include "regie-permissions.h"
#include "regie-records.h"
#include "regie-schema.h"
#include "regie-server-db.h"
#include "regie-util.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close)

#define BUSY_TIMEOUT_MS 10000

/* Who the processing log names for work nobody signed in for. */
#define AUDIT_SYSTEM_USER "regie-server"

/* Records are keyed by their sequence number (the rowid), so a pull is a
 * range scan of the table in storage order; the record id is a unique
 * column. An update moves a record to a new seq. */
static const char schema_sql[] =
  "CREATE TABLE IF NOT EXISTS meta ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS teams ("
  "  id    TEXT PRIMARY KEY,"
  "  name  TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS users ("
  "  username      TEXT PRIMARY KEY,"
  "  display_name  TEXT NOT NULL,"
  "  role          TEXT NOT NULL,"
  "  team          TEXT REFERENCES teams (id),"
  "  password_hash TEXT NOT NULL,"
  "  disabled      INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE IF NOT EXISTS sessions ("
  "  token_hash TEXT PRIMARY KEY,"
  "  username   TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  device_id  TEXT);"
  "CREATE TABLE IF NOT EXISTS records ("
  "  seq        INTEGER PRIMARY KEY,"
  "  id         TEXT NOT NULL UNIQUE,"
  "  dossier_id TEXT NOT NULL,"
  "  kind       TEXT NOT NULL,"
  "  version    INTEGER NOT NULL,"
  "  deleted    INTEGER NOT NULL DEFAULT 0,"
  "  payload    TEXT);"
  "CREATE INDEX IF NOT EXISTS records_dossier ON records (dossier_id, kind);"
  "CREATE TABLE IF NOT EXISTS mutations ("
  "  id        TEXT PRIMARY KEY,"
  "  record_id TEXT NOT NULL,"
  "  version   INTEGER NOT NULL,"
  "  status    TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS scope ("
  "  dossier_id   TEXT PRIMARY KEY,"
  "  team         TEXT NOT NULL,"
  "  klantmanager TEXT NOT NULL);"
  "CREATE INDEX IF NOT EXISTS scope_klantmanager ON scope (klantmanager);"
  "CREATE INDEX IF NOT EXISTS scope_team ON scope (team);"
  /* Covers the pull's per-row scope probe: one b-tree descent instead of
   * the primary-key index plus the table row (docs/performance.md). */
  "CREATE INDEX IF NOT EXISTS scope_pull ON scope (dossier_id, klantmanager, team);"
  "INSERT OR IGNORE INTO meta (key, value) VALUES ('seq', '0');";

/* Schema 2 (devices, retention, the processing log): added to a fresh
 * database after schema_sql, to a version 1 database after adding the
 * sessions' device column. */
static const char schema_2_sql[] =
  "CREATE TABLE IF NOT EXISTS devices ("
  "  id         TEXT NOT NULL,"
  "  username   TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,"
  "  name       TEXT NOT NULL,"
  "  first_seen INTEGER NOT NULL,"
  "  last_seen  INTEGER NOT NULL,"
  "  revoked_at INTEGER,"
  "  PRIMARY KEY (id, username));"
  "CREATE TABLE IF NOT EXISTS dossier_closed_seen ("
  "  dossier_id TEXT PRIMARY KEY,"
  "  seen_on    TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS purged ("
  "  dossier_id TEXT PRIMARY KEY,"
  "  purged_on  TEXT NOT NULL);";

/* Schema 3 (conflicts by field class, scopes): who wrote each version;
 * every replaced version of a record, so that the base of a stale edit
 * can be found and overwritten values stay visible; whether a dossier
 * has an ontzorgen arrangement (the inkomensconsulent's scope); and the
 * assignment changes, so that a pull can tell a user a dossier left. */
static const char schema_3_sql[] =
  "ALTER TABLE records ADD COLUMN author TEXT;"
  "ALTER TABLE scope ADD COLUMN ontzorgen INTEGER NOT NULL DEFAULT 0;"
  "UPDATE scope SET ontzorgen = 1 WHERE dossier_id IN "
  "  (SELECT dossier_id FROM records WHERE kind = 'ontzorgen' AND deleted = 0);"
  "CREATE TABLE IF NOT EXISTS record_history ("
  "  record_id   TEXT NOT NULL,"
  "  version     INTEGER NOT NULL,"
  "  payload     TEXT,"
  "  seq         INTEGER,"
  "  author      TEXT,"
  "  overwritten TEXT,"   /* JSON array of the members a later merge overwrote */
  "  PRIMARY KEY (record_id, version));"
  "CREATE TABLE IF NOT EXISTS scope_history ("
  "  seq              INTEGER PRIMARY KEY,"
  "  dossier_id       TEXT NOT NULL,"
  "  old_team         TEXT,"
  "  old_klantmanager TEXT,"
  "  new_team         TEXT,"
  "  new_klantmanager TEXT);"
  "CREATE INDEX IF NOT EXISTS scope_history_dossier ON scope_history (dossier_id);";

/* Schema 4 (snapshots, docs/protocol.md): one prebuilt bundle per
 * dossier, the text a first sync would otherwise pull record by record.
 * `person` is the R line (with its LF) of the dossier's person record;
 * `body` the raw-deflated pull page of every other live record in seq
 * order and its E line; `classes` a bit per field class of its records
 * (the person's too), for the processing log. Bundles are derived data: the
 * triggers drop a dossier's bundle in the transaction of any write to its
 * records, whichever code path writes, and a missing bundle is built
 * again. The two indexes give the snapshot its dossiers of one scope in
 * id order. */
static const char schema_4_sql[] =
  "CREATE TABLE IF NOT EXISTS bundles ("
  "  dossier_id TEXT PRIMARY KEY,"
  "  person     TEXT,"
  "  n_records  INTEGER NOT NULL,"
  "  classes    INTEGER NOT NULL,"
  "  body       BLOB NOT NULL);"
  "CREATE TRIGGER IF NOT EXISTS bundles_record_insert AFTER INSERT ON records BEGIN "
  "  DELETE FROM bundles WHERE dossier_id = NEW.dossier_id; END;"
  "CREATE TRIGGER IF NOT EXISTS bundles_record_update AFTER UPDATE ON records BEGIN "
  "  DELETE FROM bundles WHERE dossier_id IN (OLD.dossier_id, NEW.dossier_id); END;"
  "CREATE TRIGGER IF NOT EXISTS bundles_record_delete AFTER DELETE ON records BEGIN "
  "  DELETE FROM bundles WHERE dossier_id = OLD.dossier_id; END;"
  "CREATE INDEX IF NOT EXISTS scope_own_dossiers ON scope (klantmanager, dossier_id);"
  "CREATE INDEX IF NOT EXISTS scope_team_dossiers ON scope (team, dossier_id);";

typedef enum
{
  STMT_META_GET,
  STMT_META_SET,
  STMT_LOGIN_LOOKUP,
  STMT_SESSION_INSERT,
  STMT_SESSION_LOOKUP,
  STMT_SESSION_PURGE,
  STMT_MUTATION_LOOKUP,
  STMT_MUTATION_INSERT,
  STMT_RECORD_LOOKUP,
  STMT_RECORD_INSERT,
  STMT_RECORD_UPDATE,
  STMT_KIND_OF_DOSSIER,
  STMT_SCOPE_LOOKUP,
  STMT_SCOPE_UPSERT,
  STMT_USER_LOOKUP,
  STMT_TEAM_INSERT,
  STMT_USER_INSERT,
  STMT_HISTORY_INSERT,
  STMT_HISTORY_LOOKUP,
  STMT_HISTORY_MARK,
  STMT_SCOPE_HISTORY_INSERT,
  STMT_SCOPE_LEFT,
  STMT_SCOPE_EVENTS,
  STMT_SCOPE_SET_ONTZORGEN,
  STMT_DOSSIER_RECORD_IDS,
  STMT_RESEQ,
  STMT_BUNDLE_RECORDS,
  STMT_BUNDLE_STAMP,
  STMT_BUNDLE_STORE,
  STMT_BUNDLE_MISSING,
  N_STMTS
} StmtId;

static const char * const stmt_sql[N_STMTS] = {
  [STMT_META_GET] = "SELECT value FROM meta WHERE key = ?1",
  [STMT_META_SET] = "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  [STMT_LOGIN_LOOKUP] = "SELECT username, display_name, role, team, password_hash "
                        "FROM users WHERE username = ?1 AND disabled = 0",
  [STMT_SESSION_INSERT] = "INSERT INTO sessions (token_hash, username, created_at, expires_at, "
                          "device_id) VALUES (?1, ?2, ?3, ?4, ?5)",
  [STMT_SESSION_LOOKUP] = "SELECT u.username, u.display_name, u.role, u.team, s.expires_at, "
                          "s.device_id, EXISTS (SELECT 1 FROM devices d WHERE d.id = s.device_id "
                          "AND d.revoked_at IS NOT NULL) "
                          "FROM sessions s JOIN users u ON u.username = s.username "
                          "WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.disabled = 0",
  [STMT_SESSION_PURGE] = "DELETE FROM sessions WHERE expires_at <= ?1",
  [STMT_MUTATION_LOOKUP] = "SELECT version FROM mutations WHERE id = ?1",
  [STMT_MUTATION_INSERT] = "INSERT INTO mutations (id, record_id, version, status) "
                           "VALUES (?1, ?2, ?3, 'applied')",
  [STMT_RECORD_LOOKUP] = "SELECT dossier_id, kind, version, payload, seq, author "
                         "FROM records WHERE id = ?1",
  [STMT_RECORD_INSERT] = "INSERT INTO records (seq, id, dossier_id, kind, version, deleted, payload, "
                         "author) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7)",
  [STMT_RECORD_UPDATE] = "UPDATE records SET seq = ?1, version = ?2, payload = ?3, author = ?5 "
                         "WHERE id = ?4",
  [STMT_KIND_OF_DOSSIER] = "SELECT id FROM records WHERE dossier_id = ?1 AND kind = ?2 "
                           "AND id != ?3 AND deleted = 0 LIMIT 1",
  [STMT_SCOPE_LOOKUP] = "SELECT team, klantmanager, ontzorgen FROM scope WHERE dossier_id = ?1",
  [STMT_SCOPE_UPSERT] = "INSERT INTO scope (dossier_id, team, klantmanager, ontzorgen) "
                        "VALUES (?1, ?2, ?3, EXISTS (SELECT 1 FROM records WHERE dossier_id = ?1 "
                        "AND kind = 'ontzorgen' AND deleted = 0)) "
                        "ON CONFLICT (dossier_id) DO UPDATE SET team = excluded.team, "
                        "klantmanager = excluded.klantmanager",
  [STMT_USER_LOOKUP] = "SELECT role, team FROM users WHERE username = ?1 AND disabled = 0",
  [STMT_TEAM_INSERT] = "INSERT INTO teams (id, name) VALUES (?1, ?2)",
  [STMT_USER_INSERT] = "INSERT INTO users (username, display_name, role, team, password_hash) "
                       "VALUES (?1, ?2, ?3, ?4, ?5)",
  [STMT_HISTORY_INSERT] = "INSERT OR IGNORE INTO record_history (record_id, version, payload, seq, "
                          "author, overwritten) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  [STMT_HISTORY_LOOKUP] = "SELECT payload FROM record_history WHERE record_id = ?1 AND version = ?2",
  [STMT_HISTORY_MARK] = "UPDATE record_history SET overwritten = ?3 WHERE record_id = ?1 AND version = ?2",
  [STMT_SCOPE_HISTORY_INSERT] = "INSERT INTO scope_history (seq, dossier_id, old_team, old_klantmanager, "
                                "new_team, new_klantmanager) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  [STMT_SCOPE_LEFT] = "SELECT 1 FROM scope_history WHERE dossier_id = ?1 "
                      "AND (old_klantmanager = ?2 OR old_team = ?3) LIMIT 1",
  /* Only events that took a dossier from the user: ?2 the user name of a
   * klantmanager, ?3 the team of a coordinator (the other NULL). */
  [STMT_SCOPE_EVENTS] = "SELECT h.seq, h.dossier_id, h.new_team, h.new_klantmanager, "
                        "(SELECT r.version FROM records r WHERE r.id = h.dossier_id) "
                        "FROM scope_history h WHERE h.seq > ?1 AND h.seq <= ?4 "
                        "AND (h.old_klantmanager = ?2 OR h.old_team = ?3) ORDER BY h.seq",
  [STMT_SCOPE_SET_ONTZORGEN] = "UPDATE scope SET ontzorgen = 1 WHERE dossier_id = ?1 AND ontzorgen = 0",
  [STMT_DOSSIER_RECORD_IDS] = "SELECT id FROM records WHERE dossier_id = ?1 ORDER BY seq",
  [STMT_RESEQ] = "UPDATE records SET seq = ?1 WHERE id = ?2",
  /* Deleted rows too: they count in the stamp (bundle_build). */
  [STMT_BUNDLE_RECORDS] = "SELECT seq, kind, id, dossier_id, version, deleted, payload "
                          "FROM records WHERE dossier_id = ?1 ORDER BY seq",
  [STMT_BUNDLE_STAMP] = "SELECT max(seq), count(*) FROM records WHERE dossier_id = ?1",
  [STMT_BUNDLE_STORE] = "INSERT OR REPLACE INTO bundles (dossier_id, person, n_records, classes, body) "
                        "VALUES (?1, ?2, ?3, ?4, ?5)",
  [STMT_BUNDLE_MISSING] = "SELECT s.dossier_id FROM scope s WHERE s.dossier_id > ?1 "
                          "AND NOT EXISTS (SELECT 1 FROM bundles b WHERE b.dossier_id = s.dossier_id) "
                          "ORDER BY s.dossier_id LIMIT ?2",
};

/* Statements that depend on the role: its scope and the kinds it may
 * read (regie_permissions_may_read), built once as SQL text per role.
 * NULL: the role has no such statement (it pulls nothing, or gets no
 * snapshot).
 *
 * The pull: records in the role's scope of the kinds the role may read,
 * precomputed as a kind IN (...) set. CROSS JOIN keeps records as the
 * outer loop: a range scan in seq order from the cursor with one
 * primary-key probe into scope per row, so no sort and an incremental
 * pull touches only new rows. ?1 cursor, ?2 the user name or team, ?3
 * limit.
 *
 * The snapshot, only for roles that may read every kind (a bundle holds
 * every record): the number of dossiers in scope, and the page: the
 * dossiers after ?1 in id order, at most ?3, with their bundles. ?2 as
 * for the pull. */
#define N_ROLES (REGIE_ROLE_BEHEERDER + 1)

typedef enum
{
  ROLE_STMT_PULL,
  ROLE_STMT_SNAPSHOT_TOTAL,
  ROLE_STMT_SNAPSHOT_PAGE,
  N_ROLE_STMTS
} RoleStmtId;

static char *role_sql[N_ROLE_STMTS][N_ROLES];

/* The dossiers of the role's scope, on scope s; ?2 the user name or
 * team. NULL: the role holds no dossiers. */
static const char *
scope_condition (RegieRole role)
{
  switch (regie_permissions_get_scope (role))
    {
    case REGIE_SCOPE_OWN: return "s.klantmanager = ?2";
    case REGIE_SCOPE_TEAM: return "s.team = ?2";
    case REGIE_SCOPE_ONTZORGEN: return "s.ontzorgen = 1 AND ?2 IS NOT NULL";
    case REGIE_SCOPE_MUNICIPALITY: return "?2 IS NOT NULL";
    case REGIE_SCOPE_NONE:
    default: return NULL;
    }
}

static gpointer
build_role_sql (G_GNUC_UNUSED gpointer data)
{
  for (unsigned role = 0; role < N_ROLES; role++)
    {
      GString *sql;
      const char *condition = scope_condition ((RegieRole) role);
      gboolean all = TRUE, any = FALSE;

      if (condition == NULL)
        continue;

      for (unsigned kind = 0; kind < REGIE_N_RECORD_KINDS; kind++)
        {
          if (regie_permissions_may_read ((RegieRole) role, (RegieRecordKind) kind))
            any = TRUE;
          else
            all = FALSE;
        }
      if (!any)
        continue;

      sql = g_string_new ("SELECT r.seq, r.kind, r.id, r.dossier_id, r.version, r.deleted, r.payload "
                          "FROM records r CROSS JOIN scope s ON s.dossier_id = r.dossier_id "
                          "WHERE r.seq > ?1 AND ");
      g_string_append (sql, condition);
      if (!all)
        {
          gboolean first = TRUE;

          g_string_append (sql, " AND r.kind IN (");
          for (unsigned kind = 0; kind < REGIE_N_RECORD_KINDS; kind++)
            if (regie_permissions_may_read ((RegieRole) role, (RegieRecordKind) kind))
              {
                g_string_append_printf (sql, "%s'%s'", first ? "" : ", ",
                                        regie_record_kind_to_string ((RegieRecordKind) kind));
                first = FALSE;
              }
          g_string_append_c (sql, ')');
        }
      g_string_append (sql, " ORDER BY r.seq LIMIT ?3");
      role_sql[ROLE_STMT_PULL][role] = g_string_free (sql, FALSE);

      if (!all)
        continue;

      role_sql[ROLE_STMT_SNAPSHOT_TOTAL][role] =
        g_strdup_printf ("SELECT count(*) FROM scope s WHERE %s", condition);
      role_sql[ROLE_STMT_SNAPSHOT_PAGE][role] =
        g_strdup_printf ("SELECT s.dossier_id, b.person, b.n_records, b.classes, b.body "
                         "FROM scope s LEFT JOIN bundles b ON b.dossier_id = s.dossier_id "
                         "WHERE %s AND s.dossier_id > ?1 ORDER BY s.dossier_id LIMIT ?3",
                         condition);
    }

  return NULL;
}

typedef struct
{
  sqlite3      *db;
  sqlite3_stmt *stmts[N_STMTS];
  sqlite3_stmt *role_stmts[N_ROLE_STMTS][N_ROLES];
} Conn;

struct _RegieServerDb
{
  GObject      parent_instance;

  char        *path;
  GMutex       pool_mutex;
  GPtrArray   *idle;        /* Conn*, not in use by any thread */
  atomic_llong max_seq;
  /* The most bytes per dossier a snapshot page has taken, to size the
   * next one: asking SQLite for the exact size reads every bundle twice. */
  atomic_llong snapshot_dossier_bytes;

  /* The database epoch (docs/protocol.md, "Restored databases"): made
   * with the database, renewed only before serving. */
  char         epoch[REGIE_SERVER_DB_EPOCH_LEN + 1];
  gboolean     epoch_made;          /* made by this open: nothing to compare */
  GMutex       generation_mutex;
  char        *generation_path;     /* NULL: no generation file kept */
  gint64       generation_written;  /* the high-water mark it holds */
};

G_DEFINE_FINAL_TYPE (RegieServerDb, regie_server_db, G_TYPE_OBJECT)

static gboolean generation_note (RegieServerDb  *self,
                                 gint64          high_water,
                                 GError        **error);

struct _RegieServerDbBulk
{
  RegieServerDb *db;
  Conn          *conn;
  gint64         seq;
  gboolean       done;
};

static gboolean
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  const char  *what)
{
  g_set_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE,
               "%s: %s", what, db != NULL ? sqlite3_errmsg (db) : "out of memory");
  return FALSE;
}

static void
conn_free (Conn *conn)
{
  if (conn == NULL)
    return;

  for (unsigned i = 0; i < N_STMTS; i++)
    sqlite3_finalize (conn->stmts[i]);
  for (unsigned i = 0; i < N_ROLE_STMTS; i++)
    for (unsigned role = 0; role < N_ROLES; role++)
      sqlite3_finalize (conn->role_stmts[i][role]);
  sqlite3_close (conn->db);
  g_free (conn);
}

static gboolean
conn_exec (Conn        *conn,
           const char  *sql,
           GError     **error)
{
  char *errmsg = NULL;

  if (sqlite3_exec (conn->db, sql, NULL, NULL, &errmsg) != SQLITE_OK)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE,
                   "%s: %s", sql, errmsg != NULL ? errmsg : "unknown error");
      sqlite3_free (errmsg);
      return FALSE;
    }

  return TRUE;
}

static Conn *
conn_open (const char  *path,
           GError     **error)
{
  g_autoptr(sqlite3) db = NULL;
  Conn *conn;
  int rc;

  rc = sqlite3_open_v2 (path, &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, db, "Could not open the database");
      return NULL;
    }

  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (db, 1);

  conn = g_new0 (Conn, 1);
  conn->db = g_steal_pointer (&db);

  if (!conn_exec (conn,
                  "PRAGMA journal_mode = WAL;"
                  "PRAGMA synchronous = NORMAL;"
                  "PRAGMA foreign_keys = ON;",
                  error))
    {
      conn_free (conn);
      return NULL;
    }

  return conn;
}

/* Statements are prepared once per connection, on first use. */
static sqlite3_stmt *
conn_stmt (Conn     *conn,
           StmtId    id,
           GError  **error)
{
  if (conn->stmts[id] == NULL)
    {
      if (sqlite3_prepare_v3 (conn->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                              &conn->stmts[id], NULL) != SQLITE_OK)
        {
          set_sqlite_error (error, conn->db, "Could not prepare a statement");
          return NULL;
        }
    }
  else
    {
      sqlite3_reset (conn->stmts[id]);
      sqlite3_clear_bindings (conn->stmts[id]);
    }

  return conn->stmts[id];
}

static const char *
role_sql_get (RoleStmtId id,
              RegieRole  role)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, build_role_sql, NULL);
  return (unsigned) role < N_ROLES ? role_sql[id][role] : NULL;
}

/* A statement of the role, prepared once per connection; *out_stmt
 * NULL when the role has none. */
static gboolean
conn_role_stmt (Conn           *conn,
                RoleStmtId      id,
                RegieRole       role,
                sqlite3_stmt  **out_stmt,
                GError        **error)
{
  sqlite3_stmt **stmt;

  *out_stmt = NULL;
  if (role_sql_get (id, role) == NULL)
    return TRUE;

  stmt = &conn->role_stmts[id][role];
  if (*stmt == NULL)
    {
      if (sqlite3_prepare_v3 (conn->db, role_sql[id][role], -1, SQLITE_PREPARE_PERSISTENT,
                              stmt, NULL) != SQLITE_OK)
        return set_sqlite_error (error, conn->db, "Could not prepare a statement");
    }
  else
    {
      sqlite3_reset (*stmt);
      sqlite3_clear_bindings (*stmt);
    }

  *out_stmt = *stmt;
  return TRUE;
}

static Conn *
acquire (RegieServerDb  *self,
         GError        **error)
{
  Conn *conn = NULL;

  g_mutex_lock (&self->pool_mutex);
  if (self->idle->len > 0)
    conn = g_ptr_array_steal_index_fast (self->idle, self->idle->len - 1);
  g_mutex_unlock (&self->pool_mutex);

  if (conn == NULL)
    conn = conn_open (self->path, error);

  return conn;
}

static void
release (RegieServerDb *self,
         Conn          *conn)
{
  /* Leave no statement holding a read snapshot open. */
  for (unsigned i = 0; i < N_STMTS; i++)
    if (conn->stmts[i] != NULL)
      sqlite3_reset (conn->stmts[i]);
  for (unsigned i = 0; i < N_ROLE_STMTS; i++)
    for (unsigned role = 0; role < N_ROLES; role++)
      if (conn->role_stmts[i][role] != NULL)
        sqlite3_reset (conn->role_stmts[i][role]);

  if (!sqlite3_get_autocommit (conn->db))
    sqlite3_exec (conn->db, "ROLLBACK", NULL, NULL, NULL);

  g_mutex_lock (&self->pool_mutex);
  g_ptr_array_add (self->idle, conn);
  g_mutex_unlock (&self->pool_mutex);
}

static void
regie_server_db_finalize (GObject *object)
{
  RegieServerDb *self = (RegieServerDb *) object;

  g_clear_pointer (&self->idle, g_ptr_array_unref);
  g_mutex_clear (&self->pool_mutex);
  g_mutex_clear (&self->generation_mutex);
  g_free (self->generation_path);
  g_free (self->path);

  G_OBJECT_CLASS (regie_server_db_parent_class)->finalize (object);
}

static void
regie_server_db_class_init (RegieServerDbClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = regie_server_db_finalize;
}

static void
regie_server_db_init (RegieServerDb *self)
{
  g_mutex_init (&self->pool_mutex);
  g_mutex_init (&self->generation_mutex);
  self->idle = g_ptr_array_new_with_free_func ((GDestroyNotify) conn_free);
  atomic_init (&self->max_seq, 0);
  atomic_init (&self->snapshot_dossier_bytes, 4096);
}

/* meta as text; *out_value NULL when the key is absent. */
static gboolean
meta_get_text (Conn        *conn,
               const char  *key,
               char       **out_value,
               GError     **error)
{
  sqlite3_stmt *stmt = conn_stmt (conn, STMT_META_GET, error);
  int rc;

  *out_value = NULL;
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (error, conn->db, "Could not read meta");

  return TRUE;
}

static gboolean
meta_get_int (Conn     *conn,
              const char *key,
              gint64   *out_value,
              GError  **error)
{
  sqlite3_stmt *stmt = conn_stmt (conn, STMT_META_GET, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_value = sqlite3_column_int64 (stmt, 0);
  else if (rc == SQLITE_DONE)
    *out_value = 0;
  else
    return set_sqlite_error (error, conn->db, "Could not read meta");

  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
meta_set (Conn        *conn,
          const char  *key,
          const char  *value,
          GError     **error)
{
  sqlite3_stmt *stmt = conn_stmt (conn, STMT_META_SET, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (error, conn->db, "Could not write meta");

  return TRUE;
}

static gboolean
meta_set_int (Conn        *conn,
              const char  *key,
              gint64       value,
              GError     **error)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value);
  return meta_set (conn, key, buf, error);
}

static void
raise_max_seq (RegieServerDb *self,
               gint64         seq)
{
  long long current = atomic_load (&self->max_seq);

  while (current < seq &&
         !atomic_compare_exchange_weak (&self->max_seq, &current, seq))
    ;
}

/* 128 random bits as 32 lower-case hex digits. */
static gboolean
epoch_new (char     out[REGIE_SERVER_DB_EPOCH_LEN + 1],
           GError **error)
{
  guint8 bytes[REGIE_SERVER_DB_EPOCH_LEN / 2];

  if (RAND_bytes (bytes, sizeof bytes) != 1)
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_SERVER,
                           "Could not make a database epoch");
      return FALSE;
    }
  for (guint i = 0; i < sizeof bytes; i++)
    g_snprintf (out + 2 * i, 3, "%02x", bytes[i]);
  return TRUE;
}

static gboolean
epoch_is_valid (const char *text)
{
  return text != NULL && strlen (text) == REGIE_SERVER_DB_EPOCH_LEN &&
         strspn (text, "0123456789abcdef") == REGIE_SERVER_DB_EPOCH_LEN;
}

/* The epoch is made with the database (or on the first open of one made
 * before epochs existed) and kept in meta. */
static gboolean
epoch_load (RegieServerDb  *self,
            Conn           *conn,
            GError        **error)
{
  g_autofree char *stored = NULL;

  if (!conn_exec (conn, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (!meta_get_text (conn, "epoch", &stored, error))
    goto fail;

  if (stored == NULL)
    {
      if (!epoch_new (self->epoch, error) ||
          !meta_set (conn, "epoch", self->epoch, error))
        goto fail;
      self->epoch_made = TRUE;
    }
  else if (!epoch_is_valid (stored))
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE,
                   "The database has a malformed epoch “%s”", stored);
      goto fail;
    }
  else
    g_strlcpy (self->epoch, stored, sizeof self->epoch);

  return conn_exec (conn, "COMMIT", error);

fail:
  sqlite3_exec (conn->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

RegieServerDb *
regie_server_db_open (const char  *path,
                      GError     **error)
{
  g_autoptr(RegieServerDb) self = NULL;
  sqlite3_stmt *stmt;
  Conn *conn;
  int user_version = 0;
  gint64 seq = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (REGIE_TYPE_SERVER_DB, NULL);
  self->path = g_strdup (path);

  conn = conn_open (path, error);
  if (conn == NULL)
    return NULL;

  if (sqlite3_prepare_v2 (conn->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        user_version = sqlite3_column_int (stmt, 0);
      sqlite3_finalize (stmt);
    }

  if (user_version > REGIE_SERVER_DB_SCHEMA_VERSION)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE,
                   "The database %s has schema version %d; this server knows up to %d",
                   path, user_version, REGIE_SERVER_DB_SCHEMA_VERSION);
      goto out;
    }

  if (user_version < REGIE_SERVER_DB_SCHEMA_VERSION)
    {
      /* Version 1 had sessions without a device; a fresh database gets
       * them from schema_sql. */
      g_autofree char *sql = g_strdup_printf ("BEGIN IMMEDIATE;%s%s",
                                              user_version == 0 ? schema_sql : "",
                                              user_version == 1
                                                ? "ALTER TABLE sessions ADD COLUMN device_id TEXT;"
                                                : "");
      g_autofree char *finish = g_strdup_printf ("%s%s%sPRAGMA user_version = %d;COMMIT;",
                                                 user_version < 2 ? schema_2_sql : "",
                                                 user_version < 3 ? schema_3_sql : "",
                                                 schema_4_sql, REGIE_SERVER_DB_SCHEMA_VERSION);

      if (!conn_exec (conn, sql, error))
        goto out;
      if ((user_version < 2 && !regie_audit_init (conn->db, error)) ||
          !conn_exec (conn, finish, error))
        {
          sqlite3_exec (conn->db, "ROLLBACK", NULL, NULL, NULL);
          goto out;
        }
    }

  if (!meta_get_int (conn, "seq", &seq, error) ||
      !epoch_load (self, conn, error))
    goto out;
  atomic_store (&self->max_seq, seq);

  ok = TRUE;

out:
  if (!ok)
    {
      conn_free (conn);
      return NULL;
    }

  release (self, conn);
  return g_steal_pointer (&self);
}

const char *
regie_server_db_get_path (RegieServerDb *self)
{
  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), NULL);

  return self->path;
}

gint64
regie_server_db_get_max_seq (RegieServerDb *self)
{
  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), 0);

  return atomic_load (&self->max_seq);
}

const char *
regie_server_db_get_epoch (RegieServerDb *self)
{
  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), NULL);

  return self->epoch;
}

gboolean
regie_server_db_has_municipality (RegieServerDb  *self,
                                  gboolean       *out_has,
                                  GError        **error)
{
  sqlite3_stmt *stmt;
  Conn *conn;
  int rc;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), FALSE);
  g_return_val_if_fail (out_has != NULL, FALSE);

  if ((conn = acquire (self, error)) == NULL)
    return FALSE;

  if ((stmt = conn_stmt (conn, STMT_META_GET, error)) == NULL)
    {
      release (self, conn);
      return FALSE;
    }

  sqlite3_bind_text (stmt, 1, "municipality", -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, "Could not read meta");
      release (self, conn);
      return FALSE;
    }

  *out_has = (rc == SQLITE_ROW);
  release (self, conn);

  return TRUE;
}

static RegieServerUser *
user_from_row (sqlite3_stmt *stmt)
{
  const char *role_str = (const char *) sqlite3_column_text (stmt, 2);
  RegieRole role = REGIE_ROLE_BEHEERDER;

  /* An unknown role reads as the one that may see and write nothing. */
  if (role_str == NULL || !regie_role_from_string (role_str, &role))
    role = REGIE_ROLE_BEHEERDER;

  return regie_server_user_new ((const char *) sqlite3_column_text (stmt, 0),
                                (const char *) sqlite3_column_text (stmt, 1),
                                role,
                                (const char *) sqlite3_column_text (stmt, 3));
}

gboolean
regie_server_db_lookup_login (RegieServerDb    *self,
                              const char       *username,
                              RegieServerUser **out_user,
                              char            **out_password_hash,
                              GError          **error)
{
  sqlite3_stmt *stmt;
  Conn *conn;
  int rc;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), FALSE);
  g_return_val_if_fail (username != NULL, FALSE);
  g_return_val_if_fail (out_user != NULL, FALSE);
  g_return_val_if_fail (out_password_hash != NULL, FALSE);

  *out_user = NULL;
  *out_password_hash = NULL;

  if ((conn = acquire (self, error)) == NULL)
    return FALSE;

  if ((stmt = conn_stmt (conn, STMT_LOGIN_LOOKUP, error)) == NULL)
    {
      release (self, conn);
      return FALSE;
    }

  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_user = user_from_row (stmt);
      *out_password_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
    }
  else if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, "Could not look up the user");
      release (self, conn);
      return FALSE;
    }

  release (self, conn);
  return TRUE;
}

/* One entry of the processing log, in the caller's transaction. */
static gboolean
audit_append (Conn                *conn,
              const char          *username,
              const char          *device,
              const char          *action,
              const char          *field_classes,
              const char          *detail,
              const char * const  *dossier_ids,
              guint                n_dossiers,
              GError             **error)
{
  RegieAuditEntry entry = {
    .username = username,
    .device = device,
    .action = action,
    .field_classes = field_classes,
    .detail = detail,
    .dossier_ids = dossier_ids,
    .n_dossiers = n_dossiers,
  };

  return regie_audit_append (conn->db, &entry, error);
}

/* Whether any user's registration of device_id is revoked. */
static gboolean
device_is_revoked (Conn        *conn,
                   const char  *device_id,
                   gboolean    *out_revoked,
                   GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (conn->db, "SELECT 1 FROM devices WHERE id = ?1 AND revoked_at IS NOT NULL",
                          -1, &stmt, NULL) != SQLITE_OK)
    return set_sqlite_error (error, conn->db, "Could not prepare a statement");
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (error, conn->db, "Could not look up the device");

  *out_revoked = (rc == SQLITE_ROW);
  return TRUE;
}

gboolean
regie_server_db_insert_session (RegieServerDb  *self,
                                const char     *token_hash,
                                const char     *username,
                                const char     *device_id,
                                const char     *device_name,
                                gint64          created_at,
                                gint64          expires_at,
                                gboolean       *out_revoked,
                                GError        **error)
{
  sqlite3_stmt *stmt;
  Conn *conn;
  gboolean ok = FALSE;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), FALSE);
  g_return_val_if_fail (token_hash != NULL, FALSE);
  g_return_val_if_fail (username != NULL, FALSE);
  g_return_val_if_fail (out_revoked != NULL, FALSE);

  *out_revoked = FALSE;

  if ((conn = acquire (self, error)) == NULL)
    return FALSE;

  if (!conn_exec (conn, "BEGIN IMMEDIATE", error))
    goto out;

  /* A revoked device gets no session, whoever signs in on it. */
  if (device_id != NULL)
    {
      sqlite3_stmt *upsert = NULL;
      int rc;

      if (!device_is_revoked (conn, device_id, out_revoked, error))
        goto out;
      if (*out_revoked)
        {
          ok = audit_append (conn, username, device_id, "sign-in-refused", NULL,
                             "device revoked", NULL, 0, error) &&
               conn_exec (conn, "COMMIT", error);
          goto out;
        }

      if (sqlite3_prepare_v2 (conn->db,
                              "INSERT INTO devices (id, username, name, first_seen, last_seen) "
                              "VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (id, username) DO UPDATE "
                              "SET name = excluded.name, last_seen = excluded.last_seen",
                              -1, &upsert, NULL) != SQLITE_OK)
        {
          set_sqlite_error (error, conn->db, "Could not prepare a statement");
          goto out;
        }
      sqlite3_bind_text (upsert, 1, device_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (upsert, 2, username, -1, SQLITE_STATIC);
      sqlite3_bind_text (upsert, 3, device_name != NULL ? device_name : "", -1, SQLITE_STATIC);
      sqlite3_bind_int64 (upsert, 4, created_at);
      rc = sqlite3_step (upsert);
      sqlite3_finalize (upsert);
      if (rc != SQLITE_DONE)
        {
          set_sqlite_error (error, conn->db, "Could not register the device");
          goto out;
        }
    }

  /* Expired sessions go on every sign-in, so the table stays small. */
  if ((stmt = conn_stmt (conn, STMT_SESSION_PURGE, error)) == NULL)
    goto out;
  sqlite3_bind_int64 (stmt, 1, created_at);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, "Could not purge sessions");
      goto out;
    }

  if ((stmt = conn_stmt (conn, STMT_SESSION_INSERT, error)) == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, username, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, created_at);
  sqlite3_bind_int64 (stmt, 4, expires_at);
  if (device_id != NULL)
    sqlite3_bind_text (stmt, 5, device_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, "Could not store the session");
      goto out;
    }

  ok = audit_append (conn, username, device_id, "sign-in", NULL, NULL, NULL, 0, error) &&
       conn_exec (conn, "COMMIT", error);

out:
  release (self, conn);
  return ok;
}

gboolean
regie_server_db_lookup_session (RegieServerDb    *self,
                                const char       *token_hash,
                                gint64            now,
                                RegieServerUser **out_user,
                                GError          **error)
{
  sqlite3_stmt *stmt;
  Conn *conn;
  int rc;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), FALSE);
  g_return_val_if_fail (token_hash != NULL, FALSE);
  g_return_val_if_fail (out_user != NULL, FALSE);

  *out_user = NULL;

  if ((conn = acquire (self, error)) == NULL)
    return FALSE;

  if ((stmt = conn_stmt (conn, STMT_SESSION_LOOKUP, error)) == NULL)
    {
      release (self, conn);
      return FALSE;
    }

  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_user = user_from_row (stmt);
      (*out_user)->expires_at = sqlite3_column_int64 (stmt, 4);
      (*out_user)->device_id = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      (*out_user)->revoked = sqlite3_column_int (stmt, 6) != 0;
    }
  else if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, "Could not look up the session");
      release (self, conn);
      return FALSE;
    }

  release (self, conn);
  return TRUE;
}

/* Accounts: sign-out, password change, the beheerder's user list. These
 * are rare, so their statements are prepared per call. */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

static sqlite3_stmt *
conn_prepare (Conn        *conn,
              const char  *sql,
              GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (conn->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, conn->db, "Could not prepare a statement");
      return NULL;
    }

  return stmt;
}

/* Runs one bound statement to completion. */
static gboolean
step_done (Conn          *conn,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (error, conn->db, what);

  return TRUE;
}

gboolean
regie_server_db_delete_session (RegieServerDb          *self,
                                const char             *token_hash,
                                const RegieServerUser  *actor,
                                GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  Conn *conn;
  gboolean ok;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), FALSE);
  g_return_val_if_fail (token_hash != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  if ((conn = acquire (self, error)) == NULL)
    return FALSE;

  ok = conn_exec (conn, "BEGIN IMMEDIATE", error) &&
       (stmt = conn_prepare (conn, "DELETE FROM sessions WHERE token_hash = ?1", error)) != NULL &&
       sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_STATIC) == SQLITE_OK &&
       step_done (conn, stmt, "Could not end the session", error) &&
       audit_append (conn, actor->username, actor->device_id, "sign-out", NULL, NULL, NULL, 0,
                     error) &&
       conn_exec (conn, "COMMIT", error);

  g_clear_pointer (&stmt, sqlite3_finalize);
  release (self, conn);
  return ok;
}

gboolean
regie_server_db_set_password (RegieServerDb  *self,
                              const char     *username,
                              const char     *password_hash,
                              const char     *keep_token_hash,
                              const char     *device_id,
                              GError        **error)
{
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autoptr(sqlite3_stmt) purge = NULL;
  Conn *conn;
  gboolean ok = FALSE;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), FALSE);
  g_return_val_if_fail (username != NULL, FALSE);
  g_return_val_if_fail (password_hash != NULL, FALSE);

  if ((conn = acquire (self, error)) == NULL)
    return FALSE;

  if (!conn_exec (conn, "BEGIN IMMEDIATE", error))
    goto out;

  if ((update = conn_prepare (conn, "UPDATE users SET password_hash = ?2 WHERE username = ?1",
                              error)) == NULL)
    goto out;
  sqlite3_bind_text (update, 1, username, -1, SQLITE_STATIC);
  sqlite3_bind_text (update, 2, password_hash, -1, SQLITE_STATIC);
  if (!step_done (conn, update, "Could not store the password", error))
    goto out;

  if ((purge = conn_prepare (conn, "DELETE FROM sessions WHERE username = ?1 "
                                   "AND token_hash IS NOT ?2", error)) == NULL)
    goto out;
  sqlite3_bind_text (purge, 1, username, -1, SQLITE_STATIC);
  if (keep_token_hash != NULL)
    sqlite3_bind_text (purge, 2, keep_token_hash, -1, SQLITE_STATIC);
  if (!step_done (conn, purge, "Could not end the other sessions", error))
    goto out;

  ok = audit_append (conn, username, device_id, "password-change", NULL, NULL, NULL, 0, error) &&
       conn_exec (conn, "COMMIT", error);

out:
  g_clear_pointer (&update, sqlite3_finalize);
  g_clear_pointer (&purge, sqlite3_finalize);
  release (self, conn);
  return ok;
}

GPtrArray *
regie_server_db_list_users (RegieServerDb  *self,
                            GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) users = NULL;
  Conn *conn;
  int rc;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), NULL);

  if ((conn = acquire (self, error)) == NULL)
    return NULL;

  stmt = conn_prepare (conn, "SELECT username, display_name, role, team, disabled "
                             "FROM users ORDER BY username", error);
  if (stmt == NULL)
    {
      release (self, conn);
      return NULL;
    }

  users = g_ptr_array_new_with_free_func ((GDestroyNotify) regie_server_user_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RegieServerUser *user = user_from_row (stmt);

      user->disabled = sqlite3_column_int (stmt, 4) != 0;
      g_ptr_array_add (users, user);
    }

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, "Could not list the users");
      g_clear_pointer (&users, g_ptr_array_unref);
    }

  g_clear_pointer (&stmt, sqlite3_finalize);
  release (self, conn);
  return g_steal_pointer (&users);
}

gboolean
regie_server_db_set_user_disabled (RegieServerDb          *self,
                                   const RegieServerUser  *actor,
                                   const char             *username,
                                   gboolean                disabled,
                                   gboolean               *out_found,
                                   GError                **error)
{
  g_autofree char *detail = NULL;
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autoptr(sqlite3_stmt) purge = NULL;
  Conn *conn;
  gboolean ok = FALSE;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);
  g_return_val_if_fail (username != NULL, FALSE);
  g_return_val_if_fail (out_found != NULL, FALSE);

  *out_found = FALSE;
  detail = g_strdup_printf ("user %s", username);

  if ((conn = acquire (self, error)) == NULL)
    return FALSE;

  if (!conn_exec (conn, "BEGIN IMMEDIATE", error))
    goto out;

  if ((update = conn_prepare (conn, "UPDATE users SET disabled = ?2 WHERE username = ?1",
                              error)) == NULL)
    goto out;
  sqlite3_bind_text (update, 1, username, -1, SQLITE_STATIC);
  sqlite3_bind_int (update, 2, disabled ? 1 : 0);
  if (!step_done (conn, update, "Could not change the user", error))
    goto out;
  *out_found = sqlite3_changes (conn->db) > 0;

  if (disabled)
    {
      if ((purge = conn_prepare (conn, "DELETE FROM sessions WHERE username = ?1", error)) == NULL)
        goto out;
      sqlite3_bind_text (purge, 1, username, -1, SQLITE_STATIC);
      if (!step_done (conn, purge, "Could not end the user's sessions", error))
        goto out;
    }

  if (!*out_found)
    {
      ok = TRUE;   /* nothing changed, nothing to log; rolled back */
      goto out;
    }

  ok = audit_append (conn, actor->username, actor->device_id, disabled ? "disable" : "enable",
                     NULL, detail, NULL, 0, error) &&
       conn_exec (conn, "COMMIT", error);

out:
  g_clear_pointer (&update, sqlite3_finalize);
  g_clear_pointer (&purge, sqlite3_finalize);
  release (self, conn);
  return ok;
}

/* Push */

/* Whether the dossier was once the user's and was reassigned since. */
static gboolean
dossier_left_user (Conn                  *conn,
                   const RegieServerUser *user,
                   const char            *dossier_id,
                   gboolean              *out_left,
                   GError               **error)
{
  sqlite3_stmt *stmt = conn_stmt (conn, STMT_SCOPE_LEFT, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, dossier_id, -1, SQLITE_STATIC);
  /* Only assignments take a dossier from someone; the ontzorgen scope
   * is never left (NULLs match no row). */
  switch (regie_permissions_get_scope (user->role))
    {
    case REGIE_SCOPE_OWN:
      sqlite3_bind_text (stmt, 2, user->username, -1, SQLITE_STATIC);
      break;
    case REGIE_SCOPE_TEAM:
      if (user->team != NULL)
        sqlite3_bind_text (stmt, 3, user->team, -1, SQLITE_STATIC);
      break;
    case REGIE_SCOPE_NONE:
    case REGIE_SCOPE_ONTZORGEN:
    case REGIE_SCOPE_MUNICIPALITY:
    default:
      break;
    }
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return set_sqlite_error (error, conn->db, "Could not read the scope history");

  *out_left = rc == SQLITE_ROW;
  return TRUE;
}

/* `left` (set of mutations): mutations on a dossier that was the user's
 * and has been reassigned since. They are answered `rejected` one by one
 * instead of refusing the whole batch: the device learns of the move
 * only from its next pull, which a refused batch would block for good,
 * and the edits stay in its outbox for the user (docs/protocol.md). */
static gboolean
check_mutation (Conn                  *conn,
                const RegieServerUser *user,
                const RegieMutation   *mutation,
                unsigned               index,
                GHashTable            *new_dossiers,
                GHashTable            *left,
                GError               **error)
{
  sqlite3_stmt *stmt;
  gboolean in_scope = FALSE;
  gboolean unassigned = FALSE;
  int rc;

  /* The permission matrix (common/regie-permissions.c) decides, for
   * every role alike: the kind's field class and the dossier's scope. */
  if (!regie_permissions_may_write (user->role, mutation->kind))
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_FORBIDDEN,
                   "mutation %u: the role %s may not write %s records", index,
                   regie_role_to_string (user->role),
                   regie_record_kind_to_string (mutation->kind));
      return FALSE;
    }

  if ((stmt = conn_stmt (conn, STMT_SCOPE_LOOKUP, error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, mutation->dossier_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    in_scope = regie_permissions_in_scope (user->role, user->username, user->team,
                                           (const char *) sqlite3_column_text (stmt, 0),
                                           (const char *) sqlite3_column_text (stmt, 1),
                                           sqlite3_column_int (stmt, 2) != 0);
  else if (rc == SQLITE_DONE)
    unassigned = TRUE;
  else
    return set_sqlite_error (error, conn->db, "Could not read the scope");
  sqlite3_reset (stmt);

  /* A new dossier is opened by assigning it to the team of whoever may
   * assign (the coordinator); the rest of the same batch may then fill
   * it, each mutation within its own kind's permission. */
  if (unassigned && user->team != NULL &&
      regie_permissions_may_write (user->role, REGIE_RECORD_ASSIGNMENT) &&
      regie_permissions_get_scope (user->role) == REGIE_SCOPE_TEAM)
    {
      if (mutation->kind == REGIE_RECORD_ASSIGNMENT)
        {
          in_scope = TRUE;
          g_hash_table_add (new_dossiers, g_strdup (mutation->dossier_id));
        }
      else
        in_scope = g_hash_table_contains (new_dossiers, mutation->dossier_id);
    }

  if (!in_scope && !unassigned)
    {
      gboolean was_left = FALSE;

      if (!dossier_left_user (conn, user, mutation->dossier_id, &was_left, error))
        return FALSE;
      if (was_left)
        {
          g_hash_table_add (left, (gpointer) mutation);
          return TRUE;
        }
    }

  if (!in_scope)
    {
      /* The same answer whether or not the dossier exists. */
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_FORBIDDEN,
                   "mutation %u: dossier %s is outside your scope", index,
                   mutation->dossier_id);
      return FALSE;
    }

  if (mutation->kind == REGIE_RECORD_ASSIGNMENT)
    {
      g_autoptr(GObject) object = NULL;
      RegieAssignment *assignment;
      const char *km_role;
      const char *km_team;
      gboolean km_ok = FALSE;

      object = regie_record_new_from_payload (mutation->kind, mutation->payload, -1, error);
      if (object == NULL)
        {
          g_prefix_error (error, "mutation %u: ", index);
          return FALSE;
        }
      assignment = REGIE_ASSIGNMENT (object);

      if (g_strcmp0 (regie_assignment_get_team (assignment), user->team) != 0)
        {
          g_set_error (error, REGIE_ERROR, REGIE_ERROR_FORBIDDEN,
                       "mutation %u: a dossier is assigned only to your own team", index);
          return FALSE;
        }

      if ((stmt = conn_stmt (conn, STMT_USER_LOOKUP, error)) == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, regie_assignment_get_klantmanager (assignment), -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          km_role = (const char *) sqlite3_column_text (stmt, 0);
          km_team = (const char *) sqlite3_column_text (stmt, 1);
          km_ok = g_strcmp0 (km_role, "klantmanager") == 0 &&
                  g_strcmp0 (km_team, user->team) == 0;
        }
      else if (rc != SQLITE_DONE)
        {
          return set_sqlite_error (error, conn->db, "Could not look up the klantmanager");
        }
      sqlite3_reset (stmt);

      if (!km_ok)
        {
          g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                       "mutation %u: %s is not a klantmanager of %s", index,
                       regie_assignment_get_klantmanager (assignment), user->team);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
update_scope (Conn        *conn,
              const char  *dossier_id,
              const char  *team,
              const char  *klantmanager,
              GError     **error)
{
  sqlite3_stmt *stmt = conn_stmt (conn, STMT_SCOPE_UPSERT, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, dossier_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, team, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, klantmanager, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (error, conn->db, "Could not update the scope");

  return TRUE;
}

static gboolean
update_scope_from_payload (Conn        *conn,
                           const char  *dossier_id,
                           const char  *payload,
                           GError     **error)
{
  g_autoptr(GObject) object = NULL;

  object = regie_record_new_from_payload (REGIE_RECORD_ASSIGNMENT, payload, -1, error);
  if (object == NULL)
    return FALSE;

  return update_scope (conn, dossier_id,
                       regie_assignment_get_team (REGIE_ASSIGNMENT (object)),
                       regie_assignment_get_klantmanager (REGIE_ASSIGNMENT (object)),
                       error);
}

/* Returns a reason when the new record may not be created, else NULL. */
static char *
check_new_record (Conn                  *conn,
                  const RegieServerUser *user,
                  const RegieMutation   *mutation,
                  GError               **error)
{
  if (regie_kind_spec_get (mutation->kind)->one_per_dossier)
    {
      const char *kind_str = regie_record_kind_to_string (mutation->kind);
      sqlite3_stmt *stmt = conn_stmt (conn, STMT_KIND_OF_DOSSIER, error);
      int rc;

      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, mutation->dossier_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, kind_str, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, mutation->record_id, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_ROW)
        return g_strdup_printf ("the dossier already has a %s record; a dossier has at most one",
                                kind_str);
      if (rc != SQLITE_DONE)
        {
          set_sqlite_error (error, conn->db, "Could not look up the dossier's records");
          return NULL;
        }
    }

  if (mutation->kind == REGIE_RECORD_NOTE)
    {
      static const char * const names[] = { "author", NULL };
      g_autofree char *author = NULL;

      /* The payload was made canonical from the note schema when the
       * request was parsed (regie_push_request_parse): only the author is
       * read here, by a scan without a JSON tree (docs/performance.md,
       * push). Text the scan declines leaves no author, and is refused. */
      regie_json_scan_strings (mutation->payload, strlen (mutation->payload), names, &author);

      /* Notes are signed: nobody writes in another person's name. */
      if (g_strcmp0 (author, user->username) != 0)
        return g_strdup ("the note author must be the signed-in user");
    }

  return NULL;
}

static RegiePushResult *
conflict_result (const RegieMutation *mutation,
                 const char          *reason,
                 gint64               version,
                 const char          *current)
{
  RegiePushResult *result = regie_push_result_new (mutation->id, REGIE_PUSH_CONFLICT, version, reason);

  result->current = g_strdup (current);
  result->current_version = version;
  return result;
}

/* Moves every record of the dossier to new sequence numbers, so that the
 * next pull of whoever now holds it (seq > their cursor) brings all of
 * it: a dossier entering a scope (docs/decisions.md, scopes). */
static gboolean
reseq_dossier (Conn        *conn,
               const char  *dossier_id,
               gint64      *seq,
               GError     **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  /* Collected first: updating the rowid while scanning would meet the
   * moved rows again. */
  if ((stmt = conn_stmt (conn, STMT_DOSSIER_RECORD_IDS, error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, dossier_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, conn->db, "Could not read the dossier's records");

  for (guint i = 0; i < ids->len; i++)
    {
      if ((stmt = conn_stmt (conn, STMT_RESEQ, error)) == NULL)
        return FALSE;
      (*seq)++;
      sqlite3_bind_int64 (stmt, 1, *seq);
      sqlite3_bind_text (stmt, 2, g_ptr_array_index (ids, i), -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        return set_sqlite_error (error, conn->db, "Could not move a record");
    }

  return TRUE;
}

/* An assignment changed who holds the dossier: the change is kept in
 * scope_history under its own sequence number (a pull tells whoever lost
 * the dossier), then the dossier's records move after it (whoever gained
 * it pulls them). */
static gboolean
note_reassignment (Conn        *conn,
                   const char  *dossier_id,
                   const char  *old_team,
                   const char  *old_klantmanager,
                   const char  *payload,
                   gint64      *seq,
                   GError     **error)
{
  g_autoptr(GObject) object = NULL;
  const char *new_team, *new_klantmanager;
  sqlite3_stmt *stmt;

  object = regie_record_new_from_payload (REGIE_RECORD_ASSIGNMENT, payload, -1, error);
  if (object == NULL)
    return FALSE;
  new_team = regie_assignment_get_team (REGIE_ASSIGNMENT (object));
  new_klantmanager = regie_assignment_get_klantmanager (REGIE_ASSIGNMENT (object));

  if (g_strcmp0 (old_team, new_team) == 0 && g_strcmp0 (old_klantmanager, new_klantmanager) == 0)
    return TRUE;

  if ((stmt = conn_stmt (conn, STMT_SCOPE_HISTORY_INSERT, error)) == NULL)
    return FALSE;
  (*seq)++;
  sqlite3_bind_int64 (stmt, 1, *seq);
  sqlite3_bind_text (stmt, 2, dossier_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, old_team, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, old_klantmanager, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, new_team, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, new_klantmanager, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (error, conn->db, "Could not write the scope history");

  return reseq_dossier (conn, dossier_id, seq, error);
}

/* The first ontzorgen record brings the dossier into the scope of the
 * inkomensconsulent. */
static gboolean
note_ontzorgen (Conn        *conn,
                const char  *dossier_id,
                gint64      *seq,
                GError     **error)
{
  sqlite3_stmt *stmt = conn_stmt (conn, STMT_SCOPE_SET_ONTZORGEN, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, dossier_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (error, conn->db, "Could not update the scope");
  if (sqlite3_changes (conn->db) == 0)
    return TRUE;

  return reseq_dossier (conn, dossier_id, seq, error);
}

static char *
names_to_json (GPtrArray *names)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; i < names->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (names, i));
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  return regie_json_to_string (root);
}

static RegiePushResult *
apply_mutation (Conn                  *conn,
                const RegieServerUser *user,
                const RegieMutation   *mutation,
                gboolean               left_scope,
                gint64                *seq,
                GError               **error)
{
  g_autofree char *record_dossier = NULL;
  g_autofree char *record_kind = NULL;
  g_autofree char *current = NULL;
  g_autofree char *current_author = NULL;
  g_autofree char *merged_payload = NULL;
  g_autofree char *old_team = NULL;
  g_autofree char *old_klantmanager = NULL;
  g_autoptr(GPtrArray) overwritten = NULL;
  const char *kind_str = regie_record_kind_to_string (mutation->kind);
  const char *payload = mutation->payload;
  sqlite3_stmt *stmt;
  gint64 version = 0;
  gint64 current_seq = 0;
  gboolean exists = FALSE;
  gboolean had_scope = FALSE;
  RegiePushResult *result;
  int rc;

  /* 1. Idempotency: a mutation id is applied at most once. */
  if ((stmt = conn_stmt (conn, STMT_MUTATION_LOOKUP, error)) == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, mutation->id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      gint64 stored = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      return regie_push_result_new (mutation->id, REGIE_PUSH_DUPLICATE, stored, NULL);
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, "Could not look up the mutation");
      return NULL;
    }
  sqlite3_reset (stmt);

  if (left_scope)
    {
      g_autofree char *reason = g_strdup_printf ("dossier %s is no longer in your scope "
                                                 "(it was reassigned)", mutation->dossier_id);
      return regie_push_result_new (mutation->id, REGIE_PUSH_REJECTED, 0, reason);
    }

  /* 2. The record as the server has it. */
  if ((stmt = conn_stmt (conn, STMT_RECORD_LOOKUP, error)) == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, mutation->record_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      exists = TRUE;
      record_dossier = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      record_kind = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      version = sqlite3_column_int64 (stmt, 2);
      current = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      current_seq = sqlite3_column_int64 (stmt, 4);
      current_author = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
    }
  else if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, "Could not look up the record");
      return NULL;
    }
  sqlite3_reset (stmt);

  if (mutation->kind == REGIE_RECORD_ASSIGNMENT)
    {
      if ((stmt = conn_stmt (conn, STMT_SCOPE_LOOKUP, error)) == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, mutation->dossier_id, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          had_scope = TRUE;
          old_team = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          old_klantmanager = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          set_sqlite_error (error, conn->db, "Could not read the scope");
          return NULL;
        }
    }

  if (exists)
    {
      /* Of another dossier: the writer may not see that one, so nothing
       * about it (not its version) goes back; only that the id is taken. */
      if (g_strcmp0 (record_dossier, mutation->dossier_id) != 0)
        return regie_push_result_new (mutation->id, REGIE_PUSH_REJECTED, 0,
                                      "the record id is already in use");
      if (g_strcmp0 (record_kind, kind_str) != 0)
        return regie_push_result_new (mutation->id, REGIE_PUSH_REJECTED, version,
                                      "the record is of another kind");

      if (regie_record_kind_is_append_only (mutation->kind))
        {
          g_autofree char *reason = g_strdup_printf ("%s records are append-only", kind_str);
          return regie_push_result_new (mutation->id, REGIE_PUSH_REJECTED, version, reason);
        }

      /* 3. A stale base: conflicts by field class (docs/protocol.md). */
      if (mutation->base_version != version)
        {
          g_autofree char *reason = g_strdup_printf ("stale base version %" G_GINT64_FORMAT
                                                     ", server has %" G_GINT64_FORMAT,
                                                     mutation->base_version, version);
          g_autofree char *base = NULL;
          g_autoptr(GError) merge_error = NULL;

          if (regie_kind_merge_policy (mutation->kind) != REGIE_MERGE_FIELDS ||
              mutation->base_version <= 0 || mutation->base_version > version)
            return conflict_result (mutation, reason, version, current);

          if ((stmt = conn_stmt (conn, STMT_HISTORY_LOOKUP, error)) == NULL)
            return NULL;
          sqlite3_bind_text (stmt, 1, mutation->record_id, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 2, mutation->base_version);
          rc = sqlite3_step (stmt);
          if (rc == SQLITE_ROW)
            base = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          sqlite3_reset (stmt);
          if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            {
              set_sqlite_error (error, conn->db, "Could not read the record history");
              return NULL;
            }
          if (base == NULL)
            return conflict_result (mutation, reason, version, current);

          merged_payload = regie_merge_fields (mutation->kind, base, mutation->payload, current,
                                               &overwritten, &merge_error);
          if (merged_payload == NULL)
            {
              g_autofree char *why = g_strdup_printf ("%s; %s", reason, merge_error->message);
              return conflict_result (mutation, why, version, current);
            }
          payload = merged_payload;
        }

      /* 4. The version being replaced goes to the history, marked with
       * the members this change overwrote. */
      if ((stmt = conn_stmt (conn, STMT_HISTORY_INSERT, error)) == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, mutation->record_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, version);
      sqlite3_bind_text (stmt, 3, current, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, current_seq);
      sqlite3_bind_text (stmt, 5, current_author, -1, SQLITE_STATIC);
      if (overwritten != NULL && overwritten->len > 0)
        sqlite3_bind_text (stmt, 6, names_to_json (overwritten), -1, g_free);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          set_sqlite_error (error, conn->db, "Could not write the record history");
          return NULL;
        }

      version++;
      (*seq)++;
      if ((stmt = conn_stmt (conn, STMT_RECORD_UPDATE, error)) == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, *seq);
      sqlite3_bind_int64 (stmt, 2, version);
      sqlite3_bind_text (stmt, 3, payload, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, mutation->record_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, user->username, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          set_sqlite_error (error, conn->db, "Could not update the record");
          return NULL;
        }
    }
  else
    {
      g_autofree char *reason = NULL;
      g_autoptr(GError) local_error = NULL;

      if (mutation->base_version != 0)
        {
          reason = g_strdup_printf ("stale base version %" G_GINT64_FORMAT ", server has 0",
                                    mutation->base_version);
          return conflict_result (mutation, reason, 0, NULL);
        }

      reason = check_new_record (conn, user, mutation, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (reason != NULL)
        return regie_push_result_new (mutation->id, REGIE_PUSH_REJECTED, 0, reason);

      version = 1;
      (*seq)++;
      if ((stmt = conn_stmt (conn, STMT_RECORD_INSERT, error)) == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, *seq);
      sqlite3_bind_text (stmt, 2, mutation->record_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, mutation->dossier_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, kind_str, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, version);
      sqlite3_bind_text (stmt, 6, payload, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, user->username, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          set_sqlite_error (error, conn->db, "Could not insert the record");
          return NULL;
        }

      if (mutation->kind == REGIE_RECORD_ONTZORGEN &&
          !note_ontzorgen (conn, mutation->dossier_id, seq, error))
        return NULL;
    }

  if (mutation->kind == REGIE_RECORD_ASSIGNMENT)
    {
      if (!update_scope_from_payload (conn, mutation->dossier_id, payload, error))
        return NULL;
      if (had_scope &&
          !note_reassignment (conn, mutation->dossier_id, old_team, old_klantmanager, payload,
                              seq, error))
        return NULL;
    }

  if ((stmt = conn_stmt (conn, STMT_MUTATION_INSERT, error)) == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, mutation->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, mutation->record_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, version);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, "Could not record the mutation");
      return NULL;
    }

  result = regie_push_result_new (mutation->id, REGIE_PUSH_APPLIED, version, NULL);
  if (merged_payload != NULL)
    {
      result->current = g_steal_pointer (&merged_payload);
      result->current_version = version;
      result->merged = overwritten != NULL ? g_steal_pointer (&overwritten)
                                           : g_ptr_array_new_with_free_func (g_free);
    }
  return result;
}

/* The processing log's entry for a push batch: the dossiers and field
 * classes written (applied, or acknowledged again to a retry). It is
 * appended in the batch's own transaction, so that no write commits
 * without its entry (docs/security.md, "Processing log"). */
static gboolean
audit_push (Conn                  *conn,
            const RegieServerUser *user,
            GPtrArray             *mutations,
            GPtrArray             *results,
            GError               **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) dossier_ids = g_ptr_array_new ();
  g_autoptr(GString) classes = g_string_new (NULL);
  g_autofree char *detail = NULL;
  guint class_bits = 0;
  guint applied = 0, again = 0;

  for (guint i = 0; i < mutations->len && i < results->len; i++)
    {
      const RegieMutation *mutation = g_ptr_array_index (mutations, i);
      const RegiePushResult *result = g_ptr_array_index (results, i);

      if (result->status == REGIE_PUSH_APPLIED)
        applied++;
      else if (result->status == REGIE_PUSH_DUPLICATE)
        again++;
      else
        continue;

      class_bits |= 1u << regie_kind_spec_get (mutation->kind)->field_class;
      if (g_hash_table_add (seen, mutation->dossier_id))
        g_ptr_array_add (dossier_ids, mutation->dossier_id);
    }

  if (dossier_ids->len == 0)
    return TRUE;

  for (int c = 0; c < REGIE_N_FIELD_CLASSES; c++)
    if (class_bits & (1u << c))
      {
        if (classes->len > 0)
          g_string_append_c (classes, ',');
        g_string_append (classes, regie_field_class_to_string ((RegieFieldClass) c));
      }
  detail = g_strdup_printf ("%u applied, %u acknowledged again", applied, again);

  return audit_append (conn, user->username, user->device_id, "write", classes->str, detail,
                       (const char * const *) dossier_ids->pdata, dossier_ids->len, error);
}

GPtrArray *
regie_server_db_push (RegieServerDb          *self,
                      const RegieServerUser  *user,
                      GPtrArray              *mutations,
                      GError                **error)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GHashTable) new_dossiers = NULL;
  g_autoptr(GHashTable) left = NULL;
  gint64 seq = 0;
  gint64 first_seq;
  gint64 t_start = g_get_monotonic_time ();
  gint64 t_checked = 0;
  gint64 t_applied = 0;
  Conn *conn;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), NULL);
  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (mutations != NULL, NULL);

  if ((conn = acquire (self, error)) == NULL)
    return NULL;

  /* The write lock is taken first, so that the scope checked is the
   * scope written under. */
  if (!conn_exec (conn, "BEGIN IMMEDIATE", error))
    goto fail;

  /* Assignments first: one that opens a new dossier admits the other
   * mutations of that dossier wherever they stand in the batch. */
  new_dossiers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  left = g_hash_table_new (NULL, NULL);
  for (unsigned pass = 0; pass < 2; pass++)
    for (unsigned i = 0; i < mutations->len; i++)
      {
        const RegieMutation *mutation = g_ptr_array_index (mutations, i);

        if ((mutation->kind == REGIE_RECORD_ASSIGNMENT) != (pass == 0))
          continue;
        if (!check_mutation (conn, user, mutation, i, new_dossiers, left, error))
          goto fail;
      }

  t_checked = g_get_monotonic_time ();
  if (!meta_get_int (conn, "seq", &seq, error))
    goto fail;
  first_seq = seq;

  results = g_ptr_array_new_full (mutations->len, (GDestroyNotify) regie_push_result_free);
  for (unsigned i = 0; i < mutations->len; i++)
    {
      RegiePushResult *result;

      const RegieMutation *mutation = g_ptr_array_index (mutations, i);

      result = apply_mutation (conn, user, mutation, g_hash_table_contains (left, mutation),
                               &seq, error);
      if (result == NULL)
        goto fail;
      g_ptr_array_add (results, result);
    }

  if (!audit_push (conn, user, mutations, results, error))
    goto fail;

  if (seq != first_seq)
    {
      if (!meta_set_int (conn, "seq", seq, error))
        goto fail;

      /* Raised before COMMIT: a pull may then query a little early and
       * find nothing, but never skips a committed change. */
      raise_max_seq (self, seq);
    }
  t_applied = g_get_monotonic_time ();

  if (!conn_exec (conn, "COMMIT", error))
    goto fail;

  /* Before anyone hears of the write: a restore to an older copy must
   * be told from a later start (also for a retry that changed nothing:
   * an earlier attempt may have failed just here). */
  if (!generation_note (self, seq, error))
    goto fail;

  g_debug ("Push of %u mutations: checked in %.1f ms, applied in %.1f ms, committed in %.1f ms",
           mutations->len, (t_checked - t_start) / 1000.0, (t_applied - t_checked) / 1000.0,
           (g_get_monotonic_time () - t_applied) / 1000.0);

  release (self, conn);
  return g_steal_pointer (&results);

fail:
  release (self, conn);   /* rolls back */
  return NULL;
}

/* Pull */

/* A dossier that left the user's scope: the pull sends a tombstone of
 * its dossier record, which makes the client purge it. */
typedef struct
{
  gint64  seq;
  char   *dossier_id;
  gint64  version;     /* of the dossier record */
} ScopeLeave;

static void
scope_leave_clear (ScopeLeave *leave)
{
  g_free (leave->dossier_id);
}

/* The leave events after cursor (up to max_seq) for the user: the
 * assignment changes that took a dossier from them to someone outside
 * their scope. Usually none: scope_history is read by its primary key
 * from the cursor on. */
static gboolean
read_scope_leaves (Conn                  *conn,
                   const RegieServerUser *user,
                   gint64                 cursor,
                   gint64                 max_seq,
                   GArray                *leaves,
                   GError               **error)
{
  RegieScope scope = regie_permissions_get_scope (user->role);
  sqlite3_stmt *stmt;
  int rc;

  /* Only assignments take a dossier away: the ontzorgen scope is never
   * left; no scope, no leave. */
  if (scope != REGIE_SCOPE_OWN && !(scope == REGIE_SCOPE_TEAM && user->team != NULL))
    return TRUE;

  if ((stmt = conn_stmt (conn, STMT_SCOPE_EVENTS, error)) == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, cursor);
  if (scope == REGIE_SCOPE_OWN)
    sqlite3_bind_text (stmt, 2, user->username, -1, SQLITE_STATIC);
  else
    sqlite3_bind_text (stmt, 3, user->team, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, max_seq);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ScopeLeave leave;

      /* Old holder was the user; a change within the scope (another
       * klantmanager of a coordinator's team) is no leave. */
      if (regie_permissions_in_scope (user->role, user->username, user->team,
                                      (const char *) sqlite3_column_text (stmt, 2),
                                      (const char *) sqlite3_column_text (stmt, 3), FALSE))
        continue;

      leave.seq = sqlite3_column_int64 (stmt, 0);
      leave.dossier_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      leave.version = sqlite3_column_int64 (stmt, 4);
      g_array_append_val (leaves, leave);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, conn->db, "Could not read the scope history");

  return TRUE;
}

gboolean
regie_server_db_pull (RegieServerDb         *self,
                      const RegieServerUser *user,
                      gint64                 cursor,
                      unsigned               limit,
                      GString               *page,
                      GError               **error)
{
  g_autoptr(GArray) leaves = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 max_seq = 0;
  gint64 last_seq = cursor;
  unsigned count = 0;
  guint next_leave = 0;
  gboolean ok = FALSE;
  Conn *conn;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), FALSE);
  g_return_val_if_fail (user != NULL, FALSE);
  g_return_val_if_fail (page != NULL, FALSE);
  g_return_val_if_fail (limit > 0, FALSE);

  if ((conn = acquire (self, error)) == NULL)
    return FALSE;

  leaves = g_array_new (FALSE, FALSE, sizeof (ScopeLeave));
  g_array_set_clear_func (leaves, (GDestroyNotify) scope_leave_clear);

  /* One read transaction: max seq and the changes from one snapshot. */
  if (!conn_exec (conn, "BEGIN", error))
    goto out;

  if (!meta_get_int (conn, "seq", &max_seq, error))
    goto out;

  /* The role's statement: its scope and the kinds it may read. */
  if (!conn_role_stmt (conn, ROLE_STMT_PULL, user->role, &stmt, error))
    goto out;
  if (stmt != NULL)
    {
      const char *who = regie_permissions_get_scope (user->role) == REGIE_SCOPE_TEAM
                        ? user->team : user->username;

      if (who == NULL)
        stmt = NULL;   /* a coordinator without a team holds nothing */
      else
        sqlite3_bind_text (stmt, 2, who, -1, SQLITE_STATIC);
    }

  if (!read_scope_leaves (conn, user, cursor, max_seq, leaves, error))
    goto out;

  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, cursor);
      sqlite3_bind_int64 (stmt, 3, limit);

      while (count < limit && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          RegieRecordKind kind;
          const char *kind_str = (const char *) sqlite3_column_text (stmt, 1);
          gint64 seq = sqlite3_column_int64 (stmt, 0);

          /* Leaves in seq order between the records. */
          while (next_leave < leaves->len && count < limit &&
                 g_array_index (leaves, ScopeLeave, next_leave).seq < seq)
            {
              ScopeLeave *leave = &g_array_index (leaves, ScopeLeave, next_leave++);

              regie_pull_page_append_change (page, leave->seq, REGIE_RECORD_DOSSIER,
                                             leave->dossier_id, leave->dossier_id,
                                             leave->version, TRUE, NULL);
              last_seq = leave->seq;
              count++;
            }
          if (count >= limit)
            break;

          last_seq = seq;
          if (kind_str == NULL || !regie_record_kind_from_string (kind_str, &kind))
            {
              g_warning ("Record at seq %" G_GINT64_FORMAT " has unknown kind %s; skipped",
                         last_seq, kind_str);
              count++;
              continue;
            }

          regie_pull_page_append_change (page,
                                         last_seq,
                                         kind,
                                         (const char *) sqlite3_column_text (stmt, 2),
                                         (const char *) sqlite3_column_text (stmt, 3),
                                         sqlite3_column_int64 (stmt, 4),
                                         sqlite3_column_int (stmt, 5) != 0,
                                         (const char *) sqlite3_column_text (stmt, 6));
          count++;
        }

      if (count < limit && rc != SQLITE_DONE)
        {
          set_sqlite_error (error, conn->db, "Could not read changes");
          goto out;
        }
      sqlite3_reset (stmt);
    }

  /* Leaves after the last record. */
  while (next_leave < leaves->len && count < limit)
    {
      ScopeLeave *leave = &g_array_index (leaves, ScopeLeave, next_leave++);

      regie_pull_page_append_change (page, leave->seq, REGIE_RECORD_DOSSIER,
                                     leave->dossier_id, leave->dossier_id, leave->version,
                                     TRUE, NULL);
      last_seq = leave->seq;
      count++;
    }

  if (count >= limit)
    regie_pull_page_append_end (page, last_seq, TRUE);
  else
    regie_pull_page_append_end (page, MAX (max_seq, cursor), FALSE);

  ok = conn_exec (conn, "COMMIT", error);

out:
  release (self, conn);
  return ok;
}

/* Snapshots (docs/protocol.md, "Snapshots") */

/* A dossier's bundle as built from its records. The stamp, the highest
 * seq and the number of the dossier's rows (live or deleted), tells
 * whether the records changed between the read the bundle was built in
 * and the write that stores it: every write to records gives the row it
 * writes a new, higher seq, or removes a row. */
typedef struct
{
  char    *dossier_id;
  char    *person;        /* the person's R line with its LF, or NULL */
  gint64   n_records;
  guint    classes;       /* a bit per RegieFieldClass */
  GBytes  *body;
  gint64   stamp_seq;
  gint64   stamp_rows;
} Bundle;

static void
bundle_free (Bundle *bundle)
{
  g_free (bundle->dossier_id);
  g_free (bundle->person);
  g_clear_pointer (&bundle->body, g_bytes_unref);
  g_free (bundle);
}

/* Builds the dossier's bundle from what the connection's transaction
 * sees. Every line is written as the pull writes it, from the same
 * columns, so a snapshot hands the client the bytes a pull of the same
 * records would. `text` is scratch space. */
static Bundle *
bundle_build (Conn        *conn,
              const char  *dossier_id,
              GString     *text,
              GError     **error)
{
  g_autofree char *person = NULL;
  sqlite3_stmt *stmt;
  Bundle *bundle;
  gint64 max_live_seq = 0, stamp_seq = 0, stamp_rows = 0, n_records = 0;
  guint classes = 0;
  int rc;

  if ((stmt = conn_stmt (conn, STMT_BUNDLE_RECORDS, error)) == NULL)
    return NULL;

  g_string_truncate (text, 0);
  sqlite3_bind_text (stmt, 1, dossier_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      const char *kind_str = (const char *) sqlite3_column_text (stmt, 1);
      const char *payload = (const char *) sqlite3_column_text (stmt, 6);
      RegieRecordKind kind;

      stamp_seq = seq;   /* in seq order: the last is the highest */
      stamp_rows++;

      /* Deleted records have nothing to give an empty store; a kind this
       * server does not know is left out as the pull leaves it out. */
      if (sqlite3_column_int (stmt, 5) != 0 || payload == NULL ||
          kind_str == NULL || !regie_record_kind_from_string (kind_str, &kind))
        continue;

      max_live_seq = seq;
      classes |= 1u << regie_kind_spec_get (kind)->field_class;
      if (kind == REGIE_RECORD_PERSON && person == NULL)
        {
          GString *line = g_string_sized_new (strlen (payload) + 160);

          regie_pull_page_append_change (line, seq, kind,
                                         (const char *) sqlite3_column_text (stmt, 2),
                                         (const char *) sqlite3_column_text (stmt, 3),
                                         sqlite3_column_int64 (stmt, 4), FALSE, payload);
          person = g_string_free (line, FALSE);
          continue;
        }

      regie_pull_page_append_change (text, seq, kind,
                                     (const char *) sqlite3_column_text (stmt, 2),
                                     (const char *) sqlite3_column_text (stmt, 3),
                                     sqlite3_column_int64 (stmt, 4), FALSE, payload);
      n_records++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, "Could not read the dossier's records");
      return NULL;
    }

  regie_pull_page_append_end (text, max_live_seq, FALSE);

  bundle = g_new0 (Bundle, 1);
  bundle->dossier_id = g_strdup (dossier_id);
  bundle->person = g_steal_pointer (&person);
  bundle->n_records = n_records;
  bundle->classes = classes;
  bundle->body = regie_deflate (text->str, text->len);
  bundle->stamp_seq = stamp_seq;
  bundle->stamp_rows = stamp_rows;

  return bundle;
}

/* Stores bundles built in an earlier read, in the caller's write
 * transaction. A bundle whose dossier was written to since that read is
 * not stored: the trigger has dropped (or will drop) what it describes,
 * and the dossier is built again when next needed. */
static gboolean
bundles_store (Conn       *conn,
               GPtrArray  *bundles,
               unsigned   *out_stored,
               GError    **error)
{
  unsigned stored = 0;

  for (guint i = 0; i < bundles->len; i++)
    {
      const Bundle *bundle = g_ptr_array_index (bundles, i);
      sqlite3_stmt *stmt;
      gsize body_len = 0;
      const void *body;
      int rc;

      if ((stmt = conn_stmt (conn, STMT_BUNDLE_STAMP, error)) == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, bundle->dossier_id, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW)
        return set_sqlite_error (error, conn->db, "Could not read the dossier's records");
      if (sqlite3_column_int64 (stmt, 0) != bundle->stamp_seq ||
          sqlite3_column_int64 (stmt, 1) != bundle->stamp_rows)
        {
          sqlite3_reset (stmt);
          continue;
        }
      sqlite3_reset (stmt);

      if ((stmt = conn_stmt (conn, STMT_BUNDLE_STORE, error)) == NULL)
        return FALSE;
      body = g_bytes_get_data (bundle->body, &body_len);
      sqlite3_bind_text (stmt, 1, bundle->dossier_id, -1, SQLITE_STATIC);
      if (bundle->person != NULL)
        sqlite3_bind_text (stmt, 2, bundle->person, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, bundle->n_records);
      sqlite3_bind_int64 (stmt, 4, bundle->classes);
      sqlite3_bind_blob64 (stmt, 5, body, body_len, SQLITE_STATIC);
      if (!step_done (conn, stmt, "Could not store a bundle", error))
        return FALSE;
      stored++;
    }

  if (out_stored != NULL)
    *out_stored = stored;
  return TRUE;
}

gboolean
regie_server_db_build_bundles (RegieServerDb  *self,
                               const char     *after,
                               unsigned        max_dossiers,
                               char          **out_last,
                               unsigned       *out_built,
                               GError        **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) bundles = g_ptr_array_new_with_free_func ((GDestroyNotify) bundle_free);
  g_autoptr(GString) text = NULL;
  sqlite3_stmt *stmt;
  unsigned stored = 0;
  gboolean ok = FALSE;
  Conn *conn;
  int rc;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), FALSE);
  g_return_val_if_fail (max_dossiers > 0, FALSE);
  g_return_val_if_fail (out_last != NULL, FALSE);

  *out_last = NULL;
  if (out_built != NULL)
    *out_built = 0;

  if ((conn = acquire (self, error)) == NULL)
    return FALSE;

  /* Built in a read transaction and stored in a short write transaction
   * of its own: pushes wait for the write lock only while the rows are
   * inserted, not while the records are read and compressed. */
  if (!conn_exec (conn, "BEGIN", error) ||
      (stmt = conn_stmt (conn, STMT_BUNDLE_MISSING, error)) == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, after != NULL ? after : "", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, max_dossiers);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, "Could not find the dossiers without a bundle");
      goto out;
    }

  text = g_string_sized_new (64 * 1024);
  for (guint i = 0; i < ids->len; i++)
    {
      Bundle *bundle = bundle_build (conn, g_ptr_array_index (ids, i), text, error);

      if (bundle == NULL)
        goto out;
      g_ptr_array_add (bundles, bundle);
    }
  if (!conn_exec (conn, "COMMIT", error))
    goto out;

  if (bundles->len > 0 &&
      (!conn_exec (conn, "BEGIN IMMEDIATE", error) ||
       !bundles_store (conn, bundles, &stored, error) ||
       !conn_exec (conn, "COMMIT", error)))
    goto out;

  /* A short batch was the end of the dossiers. */
  if (ids->len == max_dossiers)
    *out_last = g_strdup (g_ptr_array_index (ids, ids->len - 1));
  if (out_built != NULL)
    *out_built = stored;
  ok = TRUE;

out:
  release (self, conn);   /* rolls back what is still open */
  return ok;
}

static char *
classes_to_string (guint classes)
{
  GString *out = g_string_new (NULL);

  for (int c = 0; c < REGIE_N_FIELD_CLASSES; c++)
    if (classes & (1u << c))
      {
        if (out->len > 0)
          g_string_append_c (out, ',');
        g_string_append (out, regie_field_class_to_string ((RegieFieldClass) c));
      }

  return g_string_free (out, FALSE);
}

GBytes *
regie_server_db_snapshot (RegieServerDb          *self,
                          const RegieServerUser  *user,
                          const char             *after,
                          unsigned                limit,
                          GError                **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) built = g_ptr_array_new_with_free_func ((GDestroyNotify) bundle_free);
  g_autoptr(GString) text = NULL;
  g_autofree char *classes_text = NULL;
  sqlite3_stmt *total_stmt = NULL, *page_stmt = NULL;
  GString *page = NULL;
  const char *who;
  gint64 cursor = 0, total = 0;
  long long dossier_bytes;
  guint classes = 0;
  gboolean more = FALSE;
  gint64 t_start = g_get_monotonic_time ();
  gint64 t_read = 0, t_logged = 0;
  Conn *conn;
  int rc;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), NULL);
  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (limit > 0 && limit <= REGIE_SNAPSHOT_MAX_LIMIT, NULL);

  /* A bundle holds every record of its dossier: only for a role that may
   * read every kind. */
  if (role_sql_get (ROLE_STMT_SNAPSHOT_PAGE, user->role) == NULL)
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_NOT_FOUND,
                           "no snapshot for this role: pull instead");
      return NULL;
    }

  if (after == NULL)
    after = "";
  /* As the pull: a coordinator without a team holds nothing. */
  who = regie_permissions_get_scope (user->role) == REGIE_SCOPE_TEAM ? user->team : user->username;

  if ((conn = acquire (self, error)) == NULL)
    return NULL;

  /* One read transaction: the cursor, the stored bundles and those built
   * here come from one state of the database, so that the page is what a
   * pull up to the cursor would have given. */
  if (!conn_exec (conn, "BEGIN", error) ||
      !meta_get_int (conn, "seq", &cursor, error))
    goto fail;

  if (who != NULL)
    {
      if (!conn_role_stmt (conn, ROLE_STMT_SNAPSHOT_TOTAL, user->role, &total_stmt, error) ||
          !conn_role_stmt (conn, ROLE_STMT_SNAPSHOT_PAGE, user->role, &page_stmt, error))
        goto fail;
      g_assert (total_stmt != NULL && page_stmt != NULL);

      sqlite3_bind_text (total_stmt, 2, who, -1, SQLITE_STATIC);
      if (sqlite3_step (total_stmt) != SQLITE_ROW)
        {
          set_sqlite_error (error, conn->db, "Could not count the dossiers");
          goto fail;
        }
      total = sqlite3_column_int64 (total_stmt, 0);
      sqlite3_reset (total_stmt);
    }

  /* Sized once, for as many dossiers as the page may hold at the most
   * any page has taken per dossier, so that the page is not copied while
   * it grows. */
  dossier_bytes = atomic_load (&self->snapshot_dossier_bytes);
  page = g_string_sized_new ((gsize) (MIN ((gint64) limit, total) * dossier_bytes) + 256);
  regie_snapshot_page_append_start (page, cursor, total);

  if (page_stmt != NULL)
    {
      /* One row more than the page: whether more follow. */
      sqlite3_bind_text (page_stmt, 1, after, -1, SQLITE_STATIC);
      sqlite3_bind_text (page_stmt, 2, who, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (page_stmt, 3, (gint64) limit + 1);

      while ((rc = sqlite3_step (page_stmt)) == SQLITE_ROW)
        {
          const char *dossier_id = (const char *) sqlite3_column_text (page_stmt, 0);

          if (ids->len == limit)
            {
              more = TRUE;
              break;
            }

          if (sqlite3_column_type (page_stmt, 4) == SQLITE_NULL)
            {
              Bundle *bundle;

              /* Not built yet (or dropped by a write): built from this
               * read, and stored afterwards for the next request. */
              if (text == NULL)
                text = g_string_sized_new (64 * 1024);
              if ((bundle = bundle_build (conn, dossier_id, text, error)) == NULL)
                goto fail;
              if (bundle->person != NULL)
                g_string_append (page, bundle->person);
              regie_snapshot_page_append_bundle (page, dossier_id, bundle->n_records,
                                                 g_bytes_get_data (bundle->body, NULL),
                                                 g_bytes_get_size (bundle->body));
              classes |= bundle->classes;
              g_ptr_array_add (built, bundle);
            }
          else
            {
              if (sqlite3_column_type (page_stmt, 1) != SQLITE_NULL)
                g_string_append_len (page, (const char *) sqlite3_column_text (page_stmt, 1),
                                     sqlite3_column_bytes (page_stmt, 1));
              regie_snapshot_page_append_bundle (page, dossier_id,
                                                 sqlite3_column_int64 (page_stmt, 2),
                                                 sqlite3_column_blob (page_stmt, 4),
                                                 (gsize) sqlite3_column_bytes (page_stmt, 4));
              classes |= (guint) sqlite3_column_int64 (page_stmt, 3);
            }
          g_ptr_array_add (ids, g_strdup (dossier_id));
        }
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          set_sqlite_error (error, conn->db, "Could not read the snapshot");
          goto fail;
        }
      sqlite3_reset (page_stmt);
    }

  regie_snapshot_page_append_end (page, ids->len > 0 ? g_ptr_array_index (ids, ids->len - 1) : NULL,
                                  more);

  if (!conn_exec (conn, "COMMIT", error))
    goto fail;
  t_read = g_get_monotonic_time ();

  if (ids->len > 0)
    {
      long long per_dossier = (long long) (page->len / ids->len) + 1;

      while (dossier_bytes < per_dossier &&
             !atomic_compare_exchange_weak (&self->snapshot_dossier_bytes, &dossier_bytes, per_dossier))
        ;
    }

  /* The page leaves only once its entry in the processing log is
   * committed; the bundles built for it are kept in the same write. */
  if (ids->len > 0)
    {
      classes_text = classes_to_string (classes);
      if (!conn_exec (conn, "BEGIN IMMEDIATE", error) ||
          !bundles_store (conn, built, NULL, error) ||
          !audit_append (conn, user->username, user->device_id, "read", classes_text, "snapshot",
                         (const char * const *) ids->pdata, ids->len, error) ||
          !conn_exec (conn, "COMMIT", error))
        goto fail;
    }

  t_logged = g_get_monotonic_time ();
  g_debug ("Snapshot page of %u dossiers (%u built) for %s: %" G_GSIZE_FORMAT " bytes, "
           "read in %.1f ms, logged in %.1f ms",
           ids->len, built->len, user->username, page->len,
           (t_read - t_start) / 1000.0, (t_logged - t_read) / 1000.0);

  release (self, conn);
  return g_string_free_to_bytes (page);

fail:
  release (self, conn);   /* rolls back */
  if (page != NULL)
    g_string_free (page, TRUE);
  return NULL;
}

/* Bulk loading */

RegieServerDbBulk *
regie_server_db_bulk_begin (RegieServerDb  *self,
                            GError        **error)
{
  RegieServerDbBulk *bulk;
  Conn *conn;
  gint64 seq = 0;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), NULL);

  if ((conn = acquire (self, error)) == NULL)
    return NULL;

  /* One large transaction: a big page cache keeps SQLite from spilling
   * pages to the WAL before the commit. */
  if (!conn_exec (conn, "PRAGMA cache_size = -262144", error) ||
      !conn_exec (conn, "BEGIN IMMEDIATE", error) ||
      !meta_get_int (conn, "seq", &seq, error))
    {
      sqlite3_exec (conn->db, "PRAGMA cache_size = -2000", NULL, NULL, NULL);
      release (self, conn);
      return NULL;
    }

  bulk = g_new0 (RegieServerDbBulk, 1);
  bulk->db = g_object_ref (self);
  bulk->conn = conn;
  bulk->seq = seq;

  return bulk;
}

gboolean
regie_server_db_bulk_set_meta (RegieServerDbBulk  *bulk,
                               const char         *key,
                               const char         *value,
                               GError            **error)
{
  g_return_val_if_fail (bulk != NULL && !bulk->done, FALSE);

  return meta_set (bulk->conn, key, value, error);
}

gboolean
regie_server_db_bulk_add_team (RegieServerDbBulk  *bulk,
                               const char         *id,
                               const char         *name,
                               GError            **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (bulk != NULL && !bulk->done, FALSE);

  if ((stmt = conn_stmt (bulk->conn, STMT_TEAM_INSERT, error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (error, bulk->conn->db, "Could not insert the team");

  return TRUE;
}

gboolean
regie_server_db_bulk_add_user (RegieServerDbBulk  *bulk,
                               const char         *username,
                               const char         *display_name,
                               RegieRole           role,
                               const char         *team,
                               const char         *password_hash,
                               GError            **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (bulk != NULL && !bulk->done, FALSE);

  if ((stmt = conn_stmt (bulk->conn, STMT_USER_INSERT, error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, display_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, regie_role_to_string (role), -1, SQLITE_STATIC);
  if (team != NULL)
    sqlite3_bind_text (stmt, 4, team, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, 4);
  sqlite3_bind_text (stmt, 5, password_hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (error, bulk->conn->db, "Could not insert the user");

  return TRUE;
}

gboolean
regie_server_db_bulk_add_record (RegieServerDbBulk  *bulk,
                                 const char         *id,
                                 const char         *dossier_id,
                                 RegieRecordKind     kind,
                                 const char         *payload,
                                 const char         *team,
                                 const char         *klantmanager,
                                 GError            **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (bulk != NULL && !bulk->done, FALSE);
  g_return_val_if_fail (kind != REGIE_RECORD_ASSIGNMENT || (team != NULL && klantmanager != NULL), FALSE);

  if ((stmt = conn_stmt (bulk->conn, STMT_RECORD_INSERT, error)) == NULL)
    return FALSE;
  bulk->seq++;
  sqlite3_bind_int64 (stmt, 1, bulk->seq);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, dossier_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, regie_record_kind_to_string (kind), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, 1);
  sqlite3_bind_text (stmt, 6, payload, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (error, bulk->conn->db, "Could not insert the record");

  if (kind == REGIE_RECORD_ASSIGNMENT)
    return update_scope (bulk->conn, dossier_id, team, klantmanager, error);

  /* An assignment loaded before it sets the flag itself (STMT_SCOPE_UPSERT). */
  if (kind == REGIE_RECORD_ONTZORGEN)
    {
      if ((stmt = conn_stmt (bulk->conn, STMT_SCOPE_SET_ONTZORGEN, error)) == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, dossier_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        return set_sqlite_error (error, bulk->conn->db, "Could not update the scope");
    }

  return TRUE;
}

gboolean
regie_server_db_bulk_commit (RegieServerDbBulk  *bulk,
                             GError            **error)
{
  g_return_val_if_fail (bulk != NULL && !bulk->done, FALSE);

  if (!meta_set_int (bulk->conn, "seq", bulk->seq, error) ||
      !conn_exec (bulk->conn, "COMMIT", error))
    return FALSE;

  bulk->done = TRUE;
  raise_max_seq (bulk->db, bulk->seq);

  return generation_note (bulk->db, bulk->seq, error);
}

void
regie_server_db_bulk_free (RegieServerDbBulk *bulk)
{
  if (bulk == NULL)
    return;

  /* Rolls back unless committed: a big cache_size keeps no pages. */
  sqlite3_exec (bulk->conn->db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_exec (bulk->conn->db, "PRAGMA cache_size = -2000", NULL, NULL, NULL);
  release (bulk->db, bulk->conn);
  g_object_unref (bulk->db);
  g_free (bulk);
}

/* Settings */

gboolean
regie_server_db_get_settings (RegieServerDb  *self,
                              RegieSettings  *out_settings,
                              gint64         *out_version,
                              GError        **error)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 version = 0;
  sqlite3_stmt *stmt;
  Conn *conn;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), FALSE);
  g_return_val_if_fail (out_settings != NULL, FALSE);

  regie_settings_init_defaults (out_settings);

  if ((conn = acquire (self, error)) == NULL)
    return FALSE;

  if (!conn_exec (conn, "BEGIN", error))
    goto out;

  if ((stmt = conn_stmt (conn, STMT_META_GET, error)) == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, "settings", -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, "Could not read the settings");
      goto out;
    }

  if (text != NULL &&
      (!meta_get_int (conn, "settings_version", &version, error) ||
       !(node = regie_json_parse (text, -1, error)) ||
       !regie_settings_from_json (out_settings, node, error)))
    {
      g_prefix_error (error, "Stored settings: ");
      goto out;
    }

  ok = conn_exec (conn, "COMMIT", error);

out:
  release (self, conn);
  if (ok && out_version != NULL)
    *out_version = version;
  return ok;
}

gboolean
regie_server_db_set_settings (RegieServerDb        *self,
                              const RegieSettings  *settings,
                              gint64               *out_version,
                              GError              **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  gint64 version = 0;
  gboolean ok = FALSE;
  Conn *conn;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), FALSE);
  g_return_val_if_fail (settings != NULL, FALSE);

  node = regie_settings_to_json (settings);
  text = regie_json_to_string (node);

  if ((conn = acquire (self, error)) == NULL)
    return FALSE;

  if (!conn_exec (conn, "BEGIN IMMEDIATE", error) ||
      !meta_get_int (conn, "settings_version", &version, error))
    goto out;

  version++;
  if (!meta_set (conn, "settings", text, error) ||
      !meta_set_int (conn, "settings_version", version, error))
    goto out;

  ok = conn_exec (conn, "COMMIT", error);

out:
  release (self, conn);   /* rolls back unless committed */
  if (ok && out_version != NULL)
    *out_version = version;
  return ok;
}

/* Export */

static gboolean
export_flush (RegieCase              **dossier,
              RegieServerDbCaseFunc    func,
              gpointer                 user_data,
              GError                 **error)
{
  g_autoptr(RegieCase) done = g_steal_pointer (dossier);

  return done == NULL || func (done, user_data, error);
}

gboolean
regie_server_db_export (RegieServerDb          *self,
                        const char             *dossier_id,
                        RegieServerDbCaseFunc   func,
                        gpointer                user_data,
                        GError                **error)
{
  g_autoptr(RegieCase) current = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;
  Conn *conn;
  int rc;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if ((conn = acquire (self, error)) == NULL)
    return FALSE;

  if (!conn_exec (conn, "BEGIN", error))
    goto out;

  /* Rare and long: prepared here rather than kept per connection. */
  if (sqlite3_prepare_v2 (conn->db,
                          "SELECT id, dossier_id, kind, version, payload FROM records "
                          "WHERE deleted = 0 AND (?1 IS NULL OR dossier_id = ?1) "
                          "ORDER BY dossier_id, seq",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, conn->db, "Could not prepare the export");
      goto out;
    }
  if (dossier_id != NULL)
    sqlite3_bind_text (stmt, 1, dossier_id, -1, SQLITE_STATIC);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      const char *did = (const char *) sqlite3_column_text (stmt, 1);
      const char *kind_str = (const char *) sqlite3_column_text (stmt, 2);
      const char *payload = (const char *) sqlite3_column_text (stmt, 4);
      g_autoptr(RegieRecord) record = NULL;
      RegieRecordKind kind;

      if (kind_str == NULL || !regie_record_kind_from_string (kind_str, &kind))
        {
          g_set_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE,
                       "record %s has an unknown kind %s", id, kind_str);
          goto out;
        }

      if (current != NULL && g_strcmp0 (regie_case_get_id (current), did) != 0 &&
          !export_flush (&current, func, user_data, error))
        goto out;
      if (current == NULL)
        current = regie_case_new (did);

      record = regie_record_parse_text (id, did, kind, sqlite3_column_int64 (stmt, 3),
                                        payload != NULL ? payload : "", -1, error);
      if (record == NULL)
        {
          g_prefix_error (error, "record %s: ", id);
          goto out;
        }
      regie_case_add_record (current, record);
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, "Could not read the records");
      goto out;
    }

  if (!export_flush (&current, func, user_data, error))
    goto out;

  ok = conn_exec (conn, "COMMIT", error);

out:
  sqlite3_finalize (stmt);
  release (self, conn);   /* ends the read transaction if still open */
  return ok;
}

/* Devices (docs/security.md, "Devices and leases") */

void
regie_server_device_free (RegieServerDevice *device)
{
  if (device == NULL)
    return;

  g_free (device->id);
  g_free (device->username);
  g_free (device->name);
  g_free (device);
}

GPtrArray *
regie_server_db_list_devices (RegieServerDb  *self,
                              GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  Conn *conn;
  int rc;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), NULL);

  if ((conn = acquire (self, error)) == NULL)
    return NULL;

  stmt = conn_prepare (conn, "SELECT id, username, name, first_seen, last_seen, revoked_at "
                             "FROM devices ORDER BY last_seen DESC, id, username", error);
  if (stmt == NULL)
    {
      release (self, conn);
      return NULL;
    }

  devices = g_ptr_array_new_with_free_func ((GDestroyNotify) regie_server_device_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RegieServerDevice *device = g_new0 (RegieServerDevice, 1);

      device->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      device->username = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      device->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      device->first_seen = sqlite3_column_int64 (stmt, 3);
      device->last_seen = sqlite3_column_int64 (stmt, 4);
      device->revoked_at = sqlite3_column_type (stmt, 5) == SQLITE_NULL
                             ? 0 : sqlite3_column_int64 (stmt, 5);
      g_ptr_array_add (devices, device);
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, "Could not list the devices");
      g_clear_pointer (&devices, g_ptr_array_unref);
    }

  g_clear_pointer (&stmt, sqlite3_finalize);
  release (self, conn);
  return g_steal_pointer (&devices);
}

gboolean
regie_server_db_revoke_device (RegieServerDb          *self,
                               const RegieServerUser  *actor,
                               const char             *device_id,
                               gint64                  now,
                               gboolean               *out_found,
                               GError                **error)
{
  g_autoptr(sqlite3_stmt) update = NULL;
  g_autofree char *detail = NULL;
  Conn *conn;
  gboolean ok = FALSE;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);
  g_return_val_if_fail (device_id != NULL, FALSE);
  g_return_val_if_fail (out_found != NULL, FALSE);

  *out_found = FALSE;
  detail = g_strdup_printf ("device %s", device_id);

  if ((conn = acquire (self, error)) == NULL)
    return FALSE;

  if (!conn_exec (conn, "BEGIN IMMEDIATE", error))
    goto out;

  /* Sessions stay: their next request is answered "revoked", so that
   * the device learns it must wipe its copy. */
  if ((update = conn_prepare (conn, "UPDATE devices SET revoked_at = COALESCE (revoked_at, ?2) "
                                    "WHERE id = ?1", error)) == NULL)
    goto out;
  sqlite3_bind_text (update, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (update, 2, now);
  if (!step_done (conn, update, "Could not revoke the device", error))
    goto out;
  *out_found = sqlite3_changes (conn->db) > 0;

  if (!*out_found)
    {
      ok = TRUE;
      goto out;
    }

  ok = audit_append (conn, actor->username, actor->device_id, "revoke", NULL, detail,
                     NULL, 0, error) &&
       conn_exec (conn, "COMMIT", error);

out:
  g_clear_pointer (&update, sqlite3_finalize);
  release (self, conn);
  return ok;
}

/* The processing log */

gboolean
regie_server_db_audit (RegieServerDb          *self,
                       const RegieAuditEntry  *entry,
                       GError                **error)
{
  Conn *conn;
  gboolean ok;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);

  if ((conn = acquire (self, error)) == NULL)
    return FALSE;

  ok = conn_exec (conn, "BEGIN IMMEDIATE", error) &&
       regie_audit_append (conn->db, entry, error) &&
       conn_exec (conn, "COMMIT", error);

  release (self, conn);   /* rolls back unless committed */
  return ok;
}

gboolean
regie_server_db_audit_verify (RegieServerDb  *self,
                              gint64         *out_entries,
                              char          **out_head,
                              GError        **error)
{
  Conn *conn;
  gboolean ok;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), FALSE);

  if ((conn = acquire (self, error)) == NULL)
    return FALSE;

  /* One snapshot, so that an append meanwhile cannot look like a gap. */
  ok = conn_exec (conn, "BEGIN", error) &&
       regie_audit_verify (conn->db, out_entries, out_head, error);

  release (self, conn);
  return ok;
}

JsonNode *
regie_server_db_access_log (RegieServerDb          *self,
                            const RegieServerUser  *user,
                            const char             *dossier_id,
                            unsigned                limit,
                            GError                **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *team = NULL;
  g_autofree char *klantmanager = NULL;
  gboolean ontzorgen = FALSE;
  sqlite3_stmt *scope;
  JsonNode *result = NULL;
  Conn *conn;
  int rc;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), NULL);
  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (dossier_id != NULL, NULL);

  if (!regie_permissions_may_read_access_log (user->role))
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_FORBIDDEN,
                   "only the coordinator of the dossier's team may read its access log");
      return NULL;
    }

  if ((conn = acquire (self, error)) == NULL)
    return NULL;

  /* A write transaction: the reading of the log is logged with it. */
  if (!conn_exec (conn, "BEGIN IMMEDIATE", error) ||
      (scope = conn_stmt (conn, STMT_SCOPE_LOOKUP, error)) == NULL)
    goto out;
  sqlite3_bind_text (scope, 1, dossier_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (scope);
  if (rc == SQLITE_ROW)
    {
      team = g_strdup ((const char *) sqlite3_column_text (scope, 0));
      klantmanager = g_strdup ((const char *) sqlite3_column_text (scope, 1));
      ontzorgen = sqlite3_column_int (scope, 2) != 0;
    }
  sqlite3_reset (scope);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, "Could not read the scope");
      goto out;
    }

  /* The same answer whether or not the dossier exists. */
  if (rc != SQLITE_ROW ||
      !regie_permissions_in_scope (user->role, user->username, user->team, team, klantmanager,
                                   ontzorgen))
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_FORBIDDEN,
                   "dossier %s is not of your team", dossier_id);
      goto out;
    }

  stmt = conn_prepare (conn, "SELECT a.seq, a.at, a.username, a.device, a.action, a.field_classes "
                             "FROM audit_dossier ad JOIN audit a ON a.seq = ad.audit_seq "
                             "WHERE ad.dossier_id = ?1 ORDER BY a.seq DESC LIMIT ?2", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, dossier_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit);

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "dossier_id");
  json_builder_add_string_value (builder, dossier_id);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *device = (const char *) sqlite3_column_text (stmt, 3);
      const char *classes = (const char *) sqlite3_column_text (stmt, 5);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "seq");
      json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, 0));
      json_builder_set_member_name (builder, "at");
      json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 1));
      json_builder_set_member_name (builder, "username");
      json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 2));
      json_builder_set_member_name (builder, "device");
      if (device != NULL)
        json_builder_add_string_value (builder, device);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "action");
      json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, 4));
      json_builder_set_member_name (builder, "field_classes");
      json_builder_begin_array (builder);
      if (classes != NULL && *classes != '\0')
        {
          g_auto(GStrv) parts = g_strsplit (classes, ",", -1);

          for (guint i = 0; parts[i] != NULL; i++)
            json_builder_add_string_value (builder, parts[i]);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, "Could not read the access log");
      goto out;
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  {
    const char *ids[] = { dossier_id };

    if (!audit_append (conn, user->username, user->device_id, "read-access-log", NULL, NULL,
                       ids, 1, error) ||
        !conn_exec (conn, "COMMIT", error))
      goto out;
  }

  result = json_builder_get_root (builder);

out:
  g_clear_pointer (&stmt, sqlite3_finalize);
  release (self, conn);
  return result;
}

/* Retention (docs/security.md, "Retention") */

gboolean
regie_server_db_check_not_purged (RegieServerDb  *self,
                                  GPtrArray      *mutations,
                                  GError        **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  Conn *conn;
  gboolean ok = FALSE;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), FALSE);
  g_return_val_if_fail (mutations != NULL, FALSE);

  if ((conn = acquire (self, error)) == NULL)
    return FALSE;

  if ((stmt = conn_prepare (conn, "SELECT 1 FROM purged WHERE dossier_id = ?1", error)) == NULL)
    goto out;

  for (guint i = 0; i < mutations->len; i++)
    {
      const RegieMutation *mutation = g_ptr_array_index (mutations, i);
      int rc;

      /* A batch is mostly a few dossiers' edits in a row: each once. */
      if (i > 0 && strcmp (mutation->dossier_id,
                           ((const RegieMutation *) g_ptr_array_index (mutations, i - 1))->dossier_id) == 0)
        continue;

      sqlite3_bind_text (stmt, 1, mutation->dossier_id, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_ROW)
        {
          g_set_error (error, REGIE_ERROR, REGIE_ERROR_FORBIDDEN,
                       "mutation %u: dossier %s was purged after its retention period",
                       i, mutation->dossier_id);
          goto out;
        }
      if (rc != SQLITE_DONE)
        {
          set_sqlite_error (error, conn->db, "Could not look up purged dossiers");
          goto out;
        }
    }
  ok = TRUE;

out:
  g_clear_pointer (&stmt, sqlite3_finalize);
  release (self, conn);
  return ok;
}

/* The day a closed dossier closed: its closure's closed_on, else (status
 * closed without a closure) the day a purge first saw it closed. */
static gboolean
purge_collect (Conn         *conn,
               const GDate  *today,
               GHashTable   *closed_on,   /* dossier id → "YYYY-MM-DD" */
               GError      **error)
{
  g_autoptr(sqlite3_stmt) closures = NULL;
  g_autoptr(sqlite3_stmt) dossiers = NULL;
  g_autoptr(sqlite3_stmt) seen = NULL;
  char today_text[16];
  int rc;

  g_snprintf (today_text, sizeof today_text, "%04u-%02u-%02u", g_date_get_year (today),
              g_date_get_month (today), g_date_get_day (today));

  closures = conn_prepare (conn, "SELECT dossier_id, json_extract (payload, '$.closed_on') "
                                 "FROM records WHERE kind = 'closure' AND deleted = 0", error);
  if (closures == NULL)
    return FALSE;
  while ((rc = sqlite3_step (closures)) == SQLITE_ROW)
    {
      const char *date = (const char *) sqlite3_column_text (closures, 1);

      if (date != NULL)
        g_hash_table_replace (closed_on, g_strdup ((const char *) sqlite3_column_text (closures, 0)),
                              g_strdup (date));
    }
  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, conn->db, "Could not read the closures");

  dossiers = conn_prepare (conn, "SELECT id FROM records WHERE kind = 'dossier' AND deleted = 0 "
                                 "AND json_extract (payload, '$.status') = 'closed'", error);
  seen = conn_prepare (conn, "INSERT INTO dossier_closed_seen (dossier_id, seen_on) "
                             "VALUES (?1, ?2) ON CONFLICT (dossier_id) DO UPDATE "
                             "SET seen_on = seen_on RETURNING seen_on", error);
  if (dossiers == NULL || seen == NULL)
    return FALSE;
  while ((rc = sqlite3_step (dossiers)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (dossiers, 0);

      if (g_hash_table_contains (closed_on, id))
        continue;
      sqlite3_bind_text (seen, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_text (seen, 2, today_text, -1, SQLITE_STATIC);
      if (sqlite3_step (seen) != SQLITE_ROW)
        return set_sqlite_error (error, conn->db, "Could not note a closed dossier");
      g_hash_table_replace (closed_on, g_strdup (id),
                            g_strdup ((const char *) sqlite3_column_text (seen, 0)));
      sqlite3_reset (seen);
    }
  if (rc != SQLITE_DONE)
    return set_sqlite_error (error, conn->db, "Could not read the dossiers");

  return TRUE;
}

static gboolean
purge_dossier (Conn        *conn,
               const char  *dossier_id,
               const char  *purged_on,
               gint64      *seq,
               GError     **error)
{
  g_autoptr(sqlite3_stmt) remove = NULL;
  g_autoptr(sqlite3_stmt) tomb = NULL;
  g_autoptr(sqlite3_stmt) mark = NULL;

  /* Every record goes; the dossier record becomes the tombstone that
   * makes each client purge its copy (docs/protocol.md, pull). The scope
   * row stays, so the tombstone reaches whoever held the dossier. */
  remove = conn_prepare (conn, "DELETE FROM records WHERE dossier_id = ?1 AND id != ?1", error);
  if (remove == NULL)
    return FALSE;
  sqlite3_bind_text (remove, 1, dossier_id, -1, SQLITE_STATIC);
  if (!step_done (conn, remove, "Could not purge the records", error))
    return FALSE;

  (*seq)++;
  tomb = conn_prepare (conn, "INSERT INTO records (seq, id, dossier_id, kind, version, deleted, payload) "
                             "VALUES (?2, ?1, ?1, 'dossier', 1, 1, NULL) "
                             "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, "
                             "version = version + 1, deleted = 1, payload = NULL", error);
  if (tomb == NULL)
    return FALSE;
  sqlite3_bind_text (tomb, 1, dossier_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (tomb, 2, *seq);
  if (!step_done (conn, tomb, "Could not write the tombstone", error))
    return FALSE;

  mark = conn_prepare (conn, "INSERT OR IGNORE INTO purged (dossier_id, purged_on) VALUES (?1, ?2)",
                       error);
  if (mark == NULL)
    return FALSE;
  sqlite3_bind_text (mark, 1, dossier_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (mark, 2, purged_on, -1, SQLITE_STATIC);
  return step_done (conn, mark, "Could not note the purge", error);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GPtrArray *
regie_server_db_purge (RegieServerDb  *self,
                       const GDate    *today,
                       GError        **error)
{
  g_autoptr(GHashTable) closed_on = NULL;
  g_autoptr(GPtrArray) purged = NULL;
  g_autofree char *detail = NULL;
  RegieSettings settings;
  GHashTableIter iter;
  gpointer key, value;
  char today_text[16];
  gint64 seq = 0;
  gint64 first_seq;
  Conn *conn;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  if (!regie_server_db_get_settings (self, &settings, NULL, error))
    return NULL;

  g_snprintf (today_text, sizeof today_text, "%04u-%02u-%02u", g_date_get_year (today),
              g_date_get_month (today), g_date_get_day (today));

  if ((conn = acquire (self, error)) == NULL)
    return NULL;

  if (!conn_exec (conn, "BEGIN IMMEDIATE", error) ||
      !meta_get_int (conn, "seq", &seq, error))
    goto fail;
  first_seq = seq;

  closed_on = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!purge_collect (conn, today, closed_on, error))
    goto fail;

  purged = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_iter_init (&iter, closed_on);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GDate due;

      /* Kept for retention_months after the day it closed, then purged
       * the day after. A closed_on that does not parse is kept. */
      if (!regie_date_parse (value, &due))
        continue;
      g_date_add_months (&due, (guint) settings.retention_months);
      if (g_date_compare (&due, today) < 0)
        g_ptr_array_add (purged, g_strdup (key));
    }
  g_ptr_array_sort (purged, compare_ids);

  for (guint i = 0; i < purged->len; i++)
    if (!purge_dossier (conn, g_ptr_array_index (purged, i), today_text, &seq, error))
      goto fail;

  if (purged->len > 0)
    {
      detail = g_strdup_printf ("retention %d months, on %s", settings.retention_months,
                                today_text);
      if (!audit_append (conn, AUDIT_SYSTEM_USER, NULL, "purge", NULL, detail,
                         (const char * const *) purged->pdata, purged->len, error))
        goto fail;
    }

  if (seq != first_seq)
    {
      if (!meta_set_int (conn, "seq", seq, error))
        goto fail;
      raise_max_seq (self, seq);
    }

  if (!conn_exec (conn, "COMMIT", error) ||
      !generation_note (self, seq, error))
    goto fail;

  release (self, conn);
  return g_steal_pointer (&purged);

fail:
  release (self, conn);   /* rolls back */
  return NULL;
}

/* Record history */

static void
add_names_member (JsonBuilder *builder,
                  const char  *json_names)
{
  g_autoptr(JsonNode) node = json_names != NULL ? regie_json_parse (json_names, -1, NULL) : NULL;

  json_builder_set_member_name (builder, "overwritten");
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    json_builder_add_value (builder, g_steal_pointer (&node));
  else
    {
      json_builder_begin_array (builder);
      json_builder_end_array (builder);
    }
}

static void
add_version (JsonBuilder *builder,
             gint64       version,
             gint64       seq,
             const char  *author,
             const char  *payload,
             const char  *overwritten)
{
  g_autoptr(JsonNode) node = payload != NULL ? regie_json_parse (payload, -1, NULL) : NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, version);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, seq);
  json_builder_set_member_name (builder, "author");
  if (author != NULL)
    json_builder_add_string_value (builder, author);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "payload");
  if (node != NULL)
    json_builder_add_value (builder, g_steal_pointer (&node));
  else
    json_builder_add_null_value (builder);
  add_names_member (builder, overwritten);
  json_builder_end_object (builder);
}

JsonNode *
regie_server_db_record_history (RegieServerDb          *self,
                                const RegieServerUser  *user,
                                const char             *record_id,
                                GError                **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *dossier_id = NULL;
  g_autofree char *kind_str = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *author = NULL;
  g_autofree char *team = NULL;
  g_autofree char *klantmanager = NULL;
  const char *dossier_ids[1];
  RegieRecordKind kind = REGIE_RECORD_DOSSIER;
  gboolean ontzorgen = FALSE;
  gboolean found = FALSE;
  gboolean allowed = FALSE;
  gint64 version = 0, seq = 0;
  sqlite3_stmt *lookup;
  JsonNode *result = NULL;
  Conn *conn;
  int rc;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), NULL);
  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (record_id != NULL, NULL);

  if ((conn = acquire (self, error)) == NULL)
    return NULL;

  /* A write transaction: the reading is logged with it. */
  if (!conn_exec (conn, "BEGIN IMMEDIATE", error) ||
      (lookup = conn_stmt (conn, STMT_RECORD_LOOKUP, error)) == NULL)
    goto out;
  sqlite3_bind_text (lookup, 1, record_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (lookup);
  if (rc == SQLITE_ROW)
    {
      found = regie_record_kind_from_string ((const char *) sqlite3_column_text (lookup, 1), &kind);
      dossier_id = g_strdup ((const char *) sqlite3_column_text (lookup, 0));
      kind_str = g_strdup ((const char *) sqlite3_column_text (lookup, 1));
      version = sqlite3_column_int64 (lookup, 2);
      payload = g_strdup ((const char *) sqlite3_column_text (lookup, 3));
      seq = sqlite3_column_int64 (lookup, 4);
      author = g_strdup ((const char *) sqlite3_column_text (lookup, 5));
    }
  sqlite3_reset (lookup);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, "Could not look up the record");
      goto out;
    }

  if (found)
    {
      if ((lookup = conn_stmt (conn, STMT_SCOPE_LOOKUP, error)) == NULL)
        goto out;
      sqlite3_bind_text (lookup, 1, dossier_id, -1, SQLITE_STATIC);
      rc = sqlite3_step (lookup);
      if (rc == SQLITE_ROW)
        {
          team = g_strdup ((const char *) sqlite3_column_text (lookup, 0));
          klantmanager = g_strdup ((const char *) sqlite3_column_text (lookup, 1));
          ontzorgen = sqlite3_column_int (lookup, 2) != 0;
        }
      sqlite3_reset (lookup);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          set_sqlite_error (error, conn->db, "Could not read the scope");
          goto out;
        }
      allowed = rc == SQLITE_ROW &&
                regie_permissions_may_read (user->role, kind) &&
                regie_permissions_in_scope (user->role, user->username, user->team, team,
                                            klantmanager, ontzorgen);
    }

  /* The same answer whether or not the record exists. */
  if (!allowed)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_FORBIDDEN,
                   "record %s is not one you may read", record_id);
      goto out;
    }

  stmt = conn_prepare (conn, "SELECT version, seq, author, payload, overwritten FROM record_history "
                             "WHERE record_id = ?1 AND version < ?2 ORDER BY version", error);
  if (stmt == NULL)
    goto out;
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, version);

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "record_id");
  json_builder_add_string_value (builder, record_id);
  json_builder_set_member_name (builder, "dossier_id");
  json_builder_add_string_value (builder, dossier_id);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, kind_str);
  json_builder_set_member_name (builder, "versions");
  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    add_version (builder, sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
                 (const char *) sqlite3_column_text (stmt, 2),
                 (const char *) sqlite3_column_text (stmt, 3),
                 (const char *) sqlite3_column_text (stmt, 4));
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, "Could not read the record history");
      goto out;
    }
  add_version (builder, version, seq, author, payload, NULL);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  dossier_ids[0] = dossier_id;
  if (!audit_append (conn, user->username, user->device_id, "read-history",
                     regie_field_class_to_string (regie_kind_spec_get (kind)->field_class),
                     record_id, dossier_ids, 1, error) ||
      !conn_exec (conn, "COMMIT", error))
    goto out;

  result = json_builder_get_root (builder);

out:
  g_clear_pointer (&stmt, sqlite3_finalize);
  release (self, conn);
  return result;
}

/* Database epoch and generation (docs/protocol.md, "Restored databases") */

#define GENERATION_MAGIC "regie-generation 1"

/* The generation file: the epoch and high-water mark (the change
 * sequence, meta `seq`) last committed, rewritten after every commit that
 * may move them. Always replaced whole (a killed server leaves the old
 * or the new file), but synced to disk only at start, where the epoch
 * may have changed, not on the push path: a file lost or torn by a
 * machine crash reads as unknown, which renews the epoch, and clients
 * then send acknowledged edits again — always safe, a mutation id is
 * applied at most once. */
static gboolean
generation_write (const char  *path,
                  const char  *epoch,
                  gint64       high_water,
                  gboolean     durable,
                  GError     **error)
{
  g_autofree char *text = g_strdup_printf (GENERATION_MAGIC "\nepoch %s\nhigh_water %"
                                           G_GINT64_FORMAT "\n", epoch, high_water);
  g_autofree char *temp = g_strconcat (path, ".new", NULL);
  g_autoptr(GError) local_error = NULL;

  if (durable)
    g_file_set_contents_full (path, text, -1,
                              G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                              0600, &local_error);
  else if (g_file_set_contents_full (temp, text, -1, G_FILE_SET_CONTENTS_NONE, 0600,
                                     &local_error) &&
           g_rename (temp, path) != 0)
    {
      int saved_errno = errno;

      g_set_error (&local_error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s", g_strerror (saved_errno));
    }

  if (local_error != NULL)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE,
                   "Could not write the generation file %s: %s", path, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* FALSE for a missing, unreadable or malformed file. */
static gboolean
generation_read (const char  *path,
                 char         out_epoch[REGIE_SERVER_DB_EPOCH_LEN + 1],
                 gint64      *out_high_water)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 high_water;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return FALSE;

  lines = g_strsplit (text, "\n", -1);
  if (g_strv_length (lines) != 4 || g_strcmp0 (lines[0], GENERATION_MAGIC) != 0 ||
      !g_str_has_prefix (lines[1], "epoch ") || !epoch_is_valid (lines[1] + 6) ||
      !g_str_has_prefix (lines[2], "high_water ") ||
      !g_ascii_string_to_unsigned (lines[2] + 11, 10, 0, G_MAXINT64, &high_water, NULL) ||
      *lines[3] != '\0')
    return FALSE;

  g_strlcpy (out_epoch, lines[1] + 6, REGIE_SERVER_DB_EPOCH_LEN + 1);
  *out_high_water = (gint64) high_water;
  return TRUE;
}

static gboolean
generation_note (RegieServerDb  *self,
                 gint64          high_water,
                 GError        **error)
{
  gboolean ok = TRUE;

  g_mutex_lock (&self->generation_mutex);
  /* Concurrent commits may note out of order: the file only grows. */
  if (self->generation_path != NULL && high_water > self->generation_written)
    {
      ok = generation_write (self->generation_path, self->epoch, high_water, FALSE, error);
      if (ok)
        self->generation_written = high_water;
    }
  g_mutex_unlock (&self->generation_mutex);

  return ok;
}

gboolean
regie_server_db_check_generation (RegieServerDb  *self,
                                  const char     *path,
                                  gboolean        renew,
                                  gboolean       *out_renewed,
                                  GError        **error)
{
  g_autofree char *reason = NULL;
  g_autofree char *detail = NULL;
  char file_epoch[REGIE_SERVER_DB_EPOCH_LEN + 1] = "";
  char new_epoch[REGIE_SERVER_DB_EPOCH_LEN + 1];
  gint64 file_high_water = 0;
  gint64 high_water = 0;
  gboolean have_file;
  Conn *conn;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (out_renewed != NULL)
    *out_renewed = FALSE;

  /* The file before the database: it is written after each commit, so
   * read in this order it never runs ahead of a database that was not
   * restored, even if someone commits meanwhile. */
  have_file = generation_read (path, file_epoch, &file_high_water);

  if ((conn = acquire (self, error)) == NULL)
    return FALSE;
  if (!conn_exec (conn, "BEGIN IMMEDIATE", error) ||
      !meta_get_int (conn, "seq", &high_water, error))
    goto fail;

  if (renew)
    reason = g_strdup ("marked as restored by the operator");
  else if (self->epoch_made)
    reason = NULL;   /* a new database, or one from before epochs: nothing to compare */
  else if (!have_file)
    reason = g_strdup ("the generation file is missing or unreadable");
  else if (strcmp (file_epoch, self->epoch) != 0)
    reason = g_strdup_printf ("the generation file names epoch %s", file_epoch);
  else if (file_high_water > high_water)
    reason = g_strdup_printf ("the database's high-water mark %" G_GINT64_FORMAT " is below "
                              "the %" G_GINT64_FORMAT " last served, so it was restored from an "
                              "older copy", high_water, file_high_water);

  if (reason != NULL)
    {
      if (!epoch_new (new_epoch, error) ||
          !meta_set (conn, "epoch", new_epoch, error))
        goto fail;

      /* In the processing log, in the same transaction. */
      detail = g_strdup_printf ("database epoch %s replaces %s: %s", new_epoch, self->epoch,
                                reason);
      if (!audit_append (conn, AUDIT_SYSTEM_USER, NULL, "epoch", NULL, detail, NULL, 0, error))
        goto fail;
    }

  if (!conn_exec (conn, "COMMIT", error))
    goto fail;
  release (self, conn);

  g_mutex_lock (&self->generation_mutex);
  if (reason != NULL)
    {
      g_debug ("New %s", detail);
      g_strlcpy (self->epoch, new_epoch, sizeof self->epoch);
    }
  g_free (self->generation_path);
  self->generation_path = g_strdup (path);
  self->generation_written = high_water;
  g_mutex_unlock (&self->generation_mutex);

  if (!generation_write (path, self->epoch, high_water, TRUE, error))
    return FALSE;

  if (out_renewed != NULL)
    *out_renewed = reason != NULL;
  return TRUE;

fail:
  release (self, conn);   /* rolls back */
  return FALSE;
}
