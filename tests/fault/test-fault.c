/* SPDX-License-Identifier: EUPL-1.2 */
/* The crash and fault harness: proof that sync loses nothing.
 *
 * The real regie-server (--demo --dossiers 50, HTTPS) behind a small TCP
 * proxy in this process, and one or two regie-fault-client processes
 * (fatima on two devices, or fatima and her coordinator ingrid) writing
 * into fatima's dossiers. Each trial injects one random fault:
 *
 *   server  SIGKILL the server after a random delay (during a push, pull or
 *           idle), restart it on the same data dir behind the same proxy
 *   client  SIGKILL one client after a random delay (during a local
 *           commit, push or pull); the next run reopens the same store
 *   drop    the proxy closes one connection after forwarding a random
 *           number of the server's chunks: a lost answer, often after the
 *           server applied a push; the client re-sends the same mutations
 *           (its outbox keeps them until acknowledged) — the duplicate
 *           request, done the way TLS allows
 *
 * and then checks the invariants against the server's own database (read
 * only, WAL): every acknowledged mutation (journals) applied exactly once,
 * no record duplicated, every local commit on the server or in its
 * client's outbox, every client store intact with pending = outbox rows;
 * and after a recovery sync of every client, each store holds exactly the
 * server's records of its scope.
 *
 * REGIE_FAULT_TRIALS (default 200) trials; REGIE_FAULT_CLIENT_PATH is the
 * fault client. Prints "# N trials, M faults injected, V violations". */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "regie-error.h"
#include "regie-permissions.h"
#include "regie-store-private.h"
#include "regie-sync.h"
#include "regie-sync-engine.h"
#include "regie-test-server.h"

#include "fault-sql.h"

static const char * const demo_args[] = { "--demo", "--dossiers", "50", NULL };

/* ---- the proxy ----------------------------------------------------------- */

typedef struct
{
  GMutex        mutex;
  guint16       backend_port;
  int           drop_after;   /* >0: the next connection forwards this many server chunks, then closes */
  guint         drops_done;
  guint16       port;
  GMainContext *context;
  GMainLoop    *loop;
  GThread      *thread;
  GCond         cond;
  gboolean      ready;
} Proxy;

static Proxy proxy;

static gboolean
proxy_run_cb (GThreadedSocketService *service,
              GSocketConnection      *connection,
              GObject                *source_object,
              gpointer                user_data)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) backend = NULL;
  GSocket *a = g_socket_connection_get_socket (connection);
  GSocket *b;
  guint16 port;
  int drop_after;
  int server_chunks = 0;
  char buffer[16384];

  g_mutex_lock (&proxy.mutex);
  port = proxy.backend_port;
  drop_after = proxy.drop_after;
  proxy.drop_after = 0;
  g_mutex_unlock (&proxy.mutex);

  if (port == 0)
    return TRUE;
  backend = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  if (backend == NULL)
    return TRUE;   /* server down: the client sees a closed connection */
  b = g_socket_connection_get_socket (backend);

  for (;;)
    {
      GPollFD fds[2] = {
        { g_socket_get_fd (a), G_IO_IN | G_IO_HUP | G_IO_ERR, 0 },
        { g_socket_get_fd (b), G_IO_IN | G_IO_HUP | G_IO_ERR, 0 },
      };

      if (g_poll (fds, 2, 30000) <= 0)
        break;
      for (guint i = 0; i < 2; i++)
        {
          GSocket *from = i == 0 ? a : b;
          GSocket *to = i == 0 ? b : a;
          gssize n, done = 0;

          if (fds[i].revents == 0)
            continue;
          n = g_socket_receive (from, buffer, sizeof buffer, NULL, NULL);
          if (n <= 0)
            goto out;
          if (i == 1 && drop_after > 0 && ++server_chunks > drop_after)
            {
              g_mutex_lock (&proxy.mutex);
              proxy.drops_done++;
              g_mutex_unlock (&proxy.mutex);
              goto out;   /* the answer is lost */
            }
          while (done < n)
            {
              gssize w = g_socket_send (to, buffer + done, (gsize) (n - done), NULL, NULL);

              if (w <= 0)
                goto out;
              done += w;
            }
        }
    }
out:
  g_socket_close (b, NULL);
  g_socket_close (a, NULL);
  return TRUE;
}

static gpointer
proxy_thread (gpointer data)
{
  g_autoptr(GSocketService) service = NULL;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (proxy.context);
  service = g_threaded_socket_service_new (16);
  proxy.port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "run", G_CALLBACK (proxy_run_cb), NULL);
  g_socket_service_start (service);

  g_mutex_lock (&proxy.mutex);
  proxy.ready = TRUE;
  g_cond_signal (&proxy.cond);
  g_mutex_unlock (&proxy.mutex);

  g_main_loop_run (proxy.loop);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  g_main_context_pop_thread_default (proxy.context);
  return NULL;
}

static void
proxy_start (void)
{
  proxy.context = g_main_context_new ();
  proxy.loop = g_main_loop_new (proxy.context, FALSE);
  proxy.thread = g_thread_new ("fault-proxy", proxy_thread, NULL);
  g_mutex_lock (&proxy.mutex);
  while (!proxy.ready)
    g_cond_wait (&proxy.cond, &proxy.mutex);
  g_mutex_unlock (&proxy.mutex);
}

static guint16
url_port (const char *url)
{
  const char *colon = strrchr (url, ':');

  g_assert_nonnull (colon);
  return (guint16) g_ascii_strtoull (colon + 1, NULL, 10);
}

static void
proxy_set_backend (const char *url)
{
  g_mutex_lock (&proxy.mutex);
  proxy.backend_port = url != NULL ? url_port (url) : 0;
  g_mutex_unlock (&proxy.mutex);
}

static void
proxy_arm_drop (int after)
{
  g_mutex_lock (&proxy.mutex);
  proxy.drop_after = after;
  g_mutex_unlock (&proxy.mutex);
}

static char *
proxy_url (void)
{
  return g_strdup_printf ("https://127.0.0.1:%u/", proxy.port);
}

/* ---- helpers ------------------------------------------------------------- */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      remove_tree (child);
    }
  g_rmdir (path);
}

static void
copy_tree (const char *from,
           const char *to)
{
  g_autoptr(GDir) dir = g_dir_open (from, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (to, 0700), ==, 0);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *a = g_build_filename (from, name, NULL);
      g_autofree char *b = g_build_filename (to, name, NULL);

      if (g_file_test (a, G_FILE_TEST_IS_DIR))
        copy_tree (a, b);
      else
        {
          g_autofree char *contents = NULL;
          gsize len;

          g_assert_true (g_file_get_contents (a, &contents, &len, NULL));
          g_assert_true (g_file_set_contents_full (b, contents, len, G_FILE_SET_CONTENTS_NONE, 0600, NULL));
        }
    }
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static char *
login (const char *url,
       const char *username)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RegieAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = g_strconcat ("demo-", username, NULL);

  g_main_context_push_thread_default (context);
  regie_api_login_async (url, username, password, NULL, login_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  account = regie_api_login_finish (result, &error);
  g_assert_no_error (error);
  return g_strdup (account->token);
}

static sqlite3 *
open_db (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 20000);
  return db;
}

static gint64
query_int (sqlite3    *db,
           const char *sql,
           const char *arg)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
query_text (sqlite3    *db,
            const char *sql,
            const char *arg)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

/* ---- devices and the world ----------------------------------------------- */

typedef struct
{
  const char  *name;       /* also the journal prefix's basename */
  const char  *user;
  char        *store_path;
  char        *prefix;
  char        *token;
  GSubprocess *process;
  guint        runs;
  guint        checked_commits;   /* journal lines checked in full already */
  guint        checked_acks;
  char        *wrapped_key;       /* the store's data key as last unwrapped */
  RegieKey    *key;
} Device;

typedef struct
{
  char            *dir;
  char            *data_dir;
  RegieTestServer *server;
  Device           devices[3];
  GRand           *rand;
  guint            violations;
  guint            faults;
  guint            server_kills;
  guint            client_kills;
  guint            drops;
  guint            failed_syncs;
  guint            stuck;
  guint            bundled_seen;  /* most bundled dossiers seen in a store */
} World;

static void
violation (World      *world,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static void
violation (World      *world,
           const char *format,
           ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  world->violations++;
  g_test_message ("VIOLATION: %s", message);
}

static void
server_start (World *world)
{
  g_autoptr(GError) error = NULL;

  world->server = regie_test_server_start (world->data_dir, demo_args, &error);
  g_assert_no_error (error);
  proxy_set_backend (regie_test_server_get_url (world->server));
}

static void
server_stop (World    *world,
             gboolean  hard)
{
  proxy_set_backend (NULL);
  regie_test_server_kill (world->server, hard);
  g_clear_pointer (&world->server, regie_test_server_free);
}

static void
world_init (World      *world,
            const char *name,
            guint32     seed)
{
  static const struct { const char *name, *user; } devices[] = {
    { "fatima-a", "fatima" }, { "fatima-b", "fatima" }, { "ingrid", "ingrid" },
  };

  world->dir = g_build_filename (g_get_user_data_dir (), name, NULL);
  g_assert_cmpint (g_mkdir_with_parents (world->dir, 0700), ==, 0);
  world->data_dir = g_build_filename (world->dir, "server", NULL);
  g_assert_cmpint (g_mkdir_with_parents (world->data_dir, 0700), ==, 0);
  world->rand = g_rand_new_with_seed (seed);
  server_start (world);

  for (guint i = 0; i < G_N_ELEMENTS (devices); i++)
    {
      Device *device = &world->devices[i];
      g_autofree char *file = g_strconcat (devices[i].name, ".sqlite", NULL);

      device->name = devices[i].name;
      device->user = devices[i].user;
      device->store_path = g_build_filename (world->dir, file, NULL);
      device->prefix = g_build_filename (world->dir, devices[i].name, NULL);
      device->token = login (regie_test_server_get_url (world->server), device->user);
    }
}

static void
world_clear (World *world)
{
  if (world->server != NULL)
    server_stop (world, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (world->devices); i++)
    {
      g_free (world->devices[i].store_path);
      g_free (world->devices[i].wrapped_key);
      g_clear_pointer (&world->devices[i].key, regie_key_free);
      g_free (world->devices[i].prefix);
      g_free (world->devices[i].token);
    }
  remove_tree (world->dir);
  g_free (world->dir);
  g_free (world->data_dir);
  g_rand_free (world->rand);
}

static void
device_spawn (World  *world,
              Device *device,
              guint   ops)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = proxy_url ();
  g_autofree char *password = g_strconcat ("demo-", device->user, NULL);
  g_autofree char *seed = g_strdup_printf ("%u", g_rand_int (world->rand));
  g_autofree char *n = g_strdup_printf ("%u", ops);
  const char *path = g_getenv ("REGIE_FAULT_CLIENT_PATH");

  g_assert_nonnull (path);
  g_assert_null (device->process);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  if (g_getenv ("REGIE_FAULT_VERBOSE") != NULL)
    g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_setenv (launcher, "REGIE_FAULT_TOKEN", device->token, TRUE);
  /* The fault client must not die of our fatal-warnings on a lost connection. */
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  device->process = g_subprocess_launcher_spawn (launcher, &error, path, url, device->user,
                                                 password, device->store_path, device->prefix,
                                                 seed, n, "fatima", NULL);
  g_assert_no_error (error);
  device->runs++;
}

/* Waits for the device's process; TRUE when it finished cleanly. */
static gboolean
device_wait (Device *device)
{
  gboolean ok;

  g_assert_nonnull (device->process);
  g_assert_true (g_subprocess_wait (device->process, NULL, NULL));
  ok = g_subprocess_get_if_exited (device->process) && g_subprocess_get_exit_status (device->process) == 0;
  if (g_subprocess_get_if_exited (device->process) && g_subprocess_get_exit_status (device->process) == 1)
    g_error ("%s: fault client failed (exit 1)", device->name);
  g_clear_object (&device->process);
  return ok;
}

/* Recovery: sync until it succeeds (no fault is armed any more). */
static void
device_recover (World  *world,
                Device *device)
{
  for (guint attempt = 0; ; attempt++)
    {
      device_spawn (world, device, 0);
      if (device_wait (device))
        return;
      world->failed_syncs++;
      g_assert_cmpuint (attempt, <, 5);
    }
}

/* ---- journals ------------------------------------------------------------ */

typedef struct
{
  char *kind;
  char *record_id;
  guint64 n;
} Commit;

static void
commit_free (Commit *c)
{
  g_free (c->kind);
  g_free (c->record_id);
  g_free (c);
}

static GStrv
read_lines (const char *prefix,
            const char *suffix)
{
  g_autofree char *path = g_strconcat (prefix, suffix, NULL);
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return g_new0 (char *, 1);
  return g_strsplit (contents, "\n", -1);
}

/* record id → last Commit (highest n) of this device */
static GHashTable *
read_commits (Device *device,
              guint   from,
              guint  *out_n_lines)
{
  GHashTable *commits = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) commit_free);
  g_auto(GStrv) lines = read_lines (device->prefix, ".commits");
  guint n_lines = g_strv_length (lines);

  if (out_n_lines != NULL)
    *out_n_lines = n_lines > 0 ? n_lines - 1 : 0;   /* the last one is empty or partial */
  for (guint i = MIN (from, n_lines); lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], " ", 0);
      Commit *c, *old;

      if (g_strv_length (f) != 4)
        continue;
      c = g_new0 (Commit, 1);
      c->kind = g_strdup (f[1]);
      c->record_id = g_strdup (f[2]);
      c->n = g_ascii_strtoull (f[3], NULL, 10);
      old = g_hash_table_lookup (commits, c->record_id);
      if (old != NULL && old->n > c->n)
        commit_free (c);
      else
        g_hash_table_replace (commits, c->record_id, c);
    }
  return commits;
}

/* ---- invariants ---------------------------------------------------------- */

static char *
server_db_path (World *world)
{
  return g_build_filename (world->data_dir, "regie.sqlite", NULL);
}

static guint64
token_number (const char *text)
{
  g_auto(GStrv) f = text != NULL ? g_strsplit (text, ":", 0) : NULL;

  if (f == NULL || g_strv_length (f) < 3)
    return 0;
  return g_ascii_strtoull (f[2], NULL, 10);
}

static char *
device_password (Device *device)
{
  return g_strconcat ("demo-", device->user, NULL);
}

/* Opens a device's store the way its client does: unlocked by the
 * user's password. */
static RegieStore *
device_open_store (Device *device)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = device_password (device);
  RegieStore *store = regie_store_open (device->store_path, &error);

  g_assert_no_error (error);
  g_assert_true (regie_store_unlock (store, password, REGIE_UNLOCK_DEFAULT, &error));
  g_assert_no_error (error);
  return store;
}

/* Lets `db` read the device's sealed payloads with regie_open(id,
 * payload); the key is unwrapped again only when the store got a new one. */
static void
device_register_open (Device  *device,
                      sqlite3 *db,
                      sqlite3 *local)
{
  g_autofree char *wrapped = query_text (local, "SELECT value FROM meta WHERE key = 'data_key'", NULL);

  g_assert_nonnull (wrapped);
  if (g_strcmp0 (wrapped, device->wrapped_key) != 0)
    {
      g_autoptr(RegieStore) store = device_open_store (device);

      g_clear_pointer (&device->key, regie_key_free);
      device->key = regie_store_dup_data_key (store);
      g_free (device->wrapped_key);
      device->wrapped_key = g_steal_pointer (&wrapped);
    }
  fault_sql_register_open (db, regie_key_copy (device->key));
}

/* Every journaled ack applied exactly once; every journaled commit on the
 * server or in the device's outbox; records not duplicated; store intact. */
static void
check_device (World    *world,
              sqlite3  *server,
              Device   *device,
              gboolean  recovered,
              gboolean  full)
{
  g_auto(GStrv) acks = read_lines (device->prefix, ".acks");
  guint n_commit_lines = 0;
  g_autoptr(GHashTable) commits = read_commits (device, full ? 0 : device->checked_commits, &n_commit_lines);
  guint n_ack_lines = g_strv_length (acks);
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieStore) store = NULL;
  sqlite3 *local;
  g_autofree char *integrity = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gint64 outbox_rows;

  local = open_db (device->store_path);
  integrity = query_text (local, "PRAGMA integrity_check", NULL);
  if (g_strcmp0 (integrity, "ok") != 0)
    violation (world, "%s: integrity_check says %s", device->name, integrity);

  for (guint i = full ? 0 : MIN (device->checked_acks, n_ack_lines); acks[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (acks[i], " ", 0);

      if (g_strv_length (f) != 3)
        continue;
      if (query_int (server, "SELECT count(*) FROM mutations WHERE id = ? AND status = 'applied'", f[1]) != 1)
        violation (world, "%s: acknowledged mutation %s is not on the server", device->name, f[1]);
      if (query_int (server, "SELECT count(*) FROM records WHERE id = ? AND deleted = 0", f[2]) != 1)
        violation (world, "%s: record %s of acknowledged mutation %s is not on the server",
                   device->name, f[2], f[1]);
    }

  g_hash_table_iter_init (&iter, commits);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Commit *c = value;
      gint64 on_server = query_int (server, "SELECT count(*) FROM records WHERE id = ? AND deleted = 0", c->record_id);
      gint64 in_outbox = query_int (local, "SELECT count(*) FROM outbox WHERE record_id = ?", c->record_id);
      gint64 version = query_int (server, "SELECT version FROM records WHERE id = ?", c->record_id);

      if (on_server == 0 && in_outbox == 0)
        violation (world, "%s: %s %s (commit %" G_GUINT64_FORMAT ") is neither on the server nor in the outbox",
                   device->name, c->kind, c->record_id, c->n);
      if (recovered && in_outbox > 0)
        {
          world->stuck++;
          g_test_message ("%s: %s %s still in the outbox after recovery (stuck)", device->name, c->kind, c->record_id);
        }
      if (on_server > 0)
        {
          /* Exactly once: the applied mutations of the record have the
           * versions 1..V, each once (every record here was made by a
           * fault client, so version 1 is one of ours). */
          gint64 n = query_int (server, "SELECT count(*) FROM mutations WHERE record_id = ? AND status = 'applied'", c->record_id);
          gint64 distinct = query_int (server, "SELECT count(DISTINCT version) FROM mutations WHERE record_id = ? AND status = 'applied'", c->record_id);
          gint64 max = query_int (server, "SELECT max(version) FROM mutations WHERE record_id = ? AND status = 'applied'", c->record_id);

          if (n != version || distinct != version || max != version)
            violation (world, "%s: record %s has version %" G_GINT64_FORMAT " but %" G_GINT64_FORMAT
                       " applied mutations (%" G_GINT64_FORMAT " distinct versions, max %" G_GINT64_FORMAT ")",
                       device->name, c->record_id, version, n, distinct, max);
          if (g_str_equal (c->kind, "note") && version != 1)
            violation (world, "%s: note %s has version %" G_GINT64_FORMAT, device->name, c->record_id, version);
        }
      if (recovered && on_server > 0 && in_outbox == 0 && g_str_equal (c->kind, "household_member"))
        {
          /* Only this device edits its members: the server holds its last
           * journaled edit or a later one (a commit killed before its line). */
          g_autofree char *names = query_text (server, "SELECT json_extract (payload, '$.given_names') FROM records WHERE id = ?", c->record_id);

          if (token_number (names) < c->n)
            violation (world, "%s: member %s on the server is %s, older than commit %" G_GUINT64_FORMAT,
                       device->name, c->record_id, names, c->n);
        }
    }

  /* After a recovery everything journaled so far is settled: later
   * trials check only new lines, with a full pass now and then. */
  if (recovered)
    {
      device->checked_commits = n_commit_lines;
      device->checked_acks = n_ack_lines > 0 ? n_ack_lines - 1 : 0;
    }

  outbox_rows = query_int (local, "SELECT count(*) FROM outbox", NULL);
  sqlite3_close (local);

  store = regie_store_open (device->store_path, &error);
  g_assert_no_error (error);
  if ((gint64) regie_store_count_pending (store) != outbox_rows)
    violation (world, "%s: pending %u but %" G_GINT64_FORMAT " outbox rows",
               device->name, regie_store_count_pending (store), outbox_rows);
}

/* Fills temp.local_records (id, version, payload as text) on `server`
 * with every record of the device's store (attached as s): its rows, and
 * the records inside the sealed bundles a first sync by snapshot left. */
static void
fill_local_records (sqlite3 *server,
                    Device  *device)
{
  sqlite3_stmt *bundles = NULL;
  sqlite3_stmt *insert = NULL;

  g_assert_cmpint (sqlite3_exec (server,
                                 "DROP TABLE IF EXISTS temp.local_records;"
                                 "CREATE TEMP TABLE local_records (id TEXT PRIMARY KEY, version INTEGER, payload TEXT);"
                                 "INSERT INTO temp.local_records SELECT id, version, regie_open (id, payload) FROM s.records;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (server, "SELECT dossier_id, payload FROM s.bundles", -1, &bundles, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (server, "INSERT INTO temp.local_records VALUES (?, ?, ?)", -1, &insert, NULL), ==, SQLITE_OK);
  while (sqlite3_step (bundles) == SQLITE_ROW)
    {
      const char *dossier_id = (const char *) sqlite3_column_text (bundles, 0);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) page = NULL;
      g_autofree char *packed = NULL;
      gsize packed_len = 0;
      RegiePullReader reader;
      RegieChangeView change;

      packed = regie_key_open (device->key, sqlite3_column_blob (bundles, 1),
                               (gsize) sqlite3_column_bytes (bundles, 1), dossier_id, &packed_len, &error);
      g_assert_no_error (error);
      page = regie_inflate (packed, packed_len, REGIE_BUNDLE_MAX_BYTES, &error);
      g_assert_no_error (error);
      regie_pull_reader_init (&reader, g_bytes_get_data (page, NULL), g_bytes_get_size (page));
      while (regie_pull_reader_next (&reader, &change, &error))
        {
          g_assert_false (change.deleted);
          sqlite3_bind_text (insert, 1, change.record_id, (int) change.record_id_len, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (insert, 2, change.version);
          sqlite3_bind_text (insert, 3, change.payload, (int) change.payload_len, SQLITE_TRANSIENT);
          g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
          sqlite3_reset (insert);
        }
      g_assert_no_error (error);
    }
  sqlite3_finalize (bundles);
  sqlite3_finalize (insert);
}

/* After a recovery sync: the store holds exactly the server's records of
 * its scope (records with a stuck outbox row excepted). */
static void
check_store_equals_server (World   *world,
                           sqlite3 *server,
                           Device  *device)
{
  g_autofree char *attach = g_strdup_printf ("ATTACH DATABASE 'file:%s?mode=ro' AS s", device->store_path);
  RegieRole role = g_str_equal (device->user, "ingrid") ? REGIE_ROLE_COORDINATOR : REGIE_ROLE_KLANTMANAGER;
  const char *scope_dossiers = role == REGIE_ROLE_COORDINATOR
                               ? "SELECT dossier_id FROM scope WHERE team = 'team-noord'"
                               : "SELECT dossier_id FROM scope WHERE klantmanager = 'fatima'";
  g_autoptr(GString) unreadable = g_string_new ("''");
  g_autofree char *scope = NULL;

  /* The permission matrix decides which kinds reach the device at all
   * (a coordinator never receives health records). */
  for (int k = 0; k < REGIE_N_RECORD_KINDS; k++)
    if (!regie_permissions_may_read (role, k))
      g_string_append_printf (unreadable, ", '%s'", regie_record_kind_to_string (k));
  scope = g_strdup_printf ("%s) AND r.kind NOT IN (%s", scope_dossiers, unreadable->str);
  g_autofree char *missing_sql = NULL;
  g_autofree char *extra_sql = NULL;
  gint64 missing, extra;

  {
    sqlite3 *local = open_db (device->store_path);

    device_register_open (device, server, local);
    sqlite3_close (local);
  }
  g_assert_cmpint (sqlite3_exec (server, attach, NULL, NULL, NULL), ==, SQLITE_OK);
  fill_local_records (server, device);
  /* The klantmanager's devices start by snapshot: bundled dossiers. */
  world->bundled_seen = MAX (world->bundled_seen,
                             (guint) query_int (server, "SELECT count(*) FROM s.bundles", NULL));
  missing_sql = g_strdup_printf ("SELECT count(*) FROM main.records r WHERE r.deleted = 0 AND r.dossier_id IN (%s) "
                                 "AND r.id NOT IN (SELECT record_id FROM s.outbox) "
                                 "AND NOT EXISTS (SELECT 1 FROM temp.local_records l WHERE l.id = r.id "
                                 "AND l.version = r.version AND json(l.payload) = json(r.payload))", scope);
  extra_sql = g_strdup_printf ("SELECT count(*) FROM temp.local_records l WHERE l.id NOT IN (SELECT record_id FROM s.outbox) "
                               "AND NOT EXISTS (SELECT 1 FROM main.records r WHERE r.id = l.id AND r.deleted = 0 "
                               "AND r.dossier_id IN (%s))", scope);
  missing = query_int (server, missing_sql, NULL);
  extra = query_int (server, extra_sql, NULL);
  if (missing != 0)
    {
      g_autofree char *detail_sql =
        g_strdup_printf ("SELECT r.id, r.kind, r.version, r.seq, "
                         "(SELECT l.version FROM temp.local_records l WHERE l.id = r.id), "
                         "(SELECT json(l.payload) = json(r.payload) FROM temp.local_records l WHERE l.id = r.id) "
                         "FROM main.records r WHERE r.deleted = 0 AND r.dossier_id IN (%s) "
                         "AND r.id NOT IN (SELECT record_id FROM s.outbox) "
                         "AND NOT EXISTS (SELECT 1 FROM temp.local_records l WHERE l.id = r.id "
                         "AND l.version = r.version AND json(l.payload) = json(r.payload)) LIMIT 5", scope);
      sqlite3_stmt *stmt = NULL;

      violation (world, "%s: %" G_GINT64_FORMAT " server records of its scope missing or different in the store",
                 device->name, missing);
      /* Which ones, to tell a lost pull from a stale version. */
      if (sqlite3_prepare_v2 (server, detail_sql, -1, &stmt, NULL) == SQLITE_OK)
        {
          while (sqlite3_step (stmt) == SQLITE_ROW)
            g_test_message ("  %s %s server v%lld seq %lld, store v%s, same payload %s",
                            sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1),
                            sqlite3_column_int64 (stmt, 2), sqlite3_column_int64 (stmt, 3),
                            sqlite3_column_type (stmt, 4) == SQLITE_NULL ? "-" : (const char *) sqlite3_column_text (stmt, 4),
                            sqlite3_column_type (stmt, 5) == SQLITE_NULL ? "-" : (const char *) sqlite3_column_text (stmt, 5));
          sqlite3_finalize (stmt);
        }
    }
  if (extra != 0)
    violation (world, "%s: %" G_GINT64_FORMAT " records in the store that the server does not hold for it",
               device->name, extra);
  g_assert_cmpint (sqlite3_exec (server, "DETACH DATABASE s", NULL, NULL, NULL), ==, SQLITE_OK);
}

static void
check_no_duplicates (World   *world,
                     sqlite3 *server)
{
  gint64 dups = query_int (server,
                           "SELECT count(*) FROM (SELECT json_extract (payload, '$.text') AS t FROM records "
                           "WHERE kind = 'note' AND t LIKE 'fault:%' GROUP BY t HAVING count(*) > 1)", NULL);

  if (dups != 0)
    violation (world, "%" G_GINT64_FORMAT " fault notes on the server more than once", dups);
}

static void
check_world (World    *world,
             Device  **devices,
             guint     n_devices,
             gboolean  recovered,
             gboolean  full)
{
  g_autofree char *path = server_db_path (world);
  sqlite3 *server = open_db (path);

  check_no_duplicates (world, server);
  for (guint i = 0; i < n_devices; i++)
    {
      Device *device = devices[i];

      check_device (world, server, device, recovered, full);
      if (recovered)
        check_store_equals_server (world, server, device);
    }
  sqlite3_close (server);
}

/* ---- the trials ---------------------------------------------------------- */

typedef enum
{
  FAULT_SERVER_KILL,
  FAULT_CLIENT_KILL,
  FAULT_DROP,
  FAULT_NONE,
} Fault;

static void
run_trial (World    *world,
           gboolean  full)
{
  Device *active[2] = { &world->devices[0], NULL };
  guint n_active = 1;
  guint r = (guint) g_rand_int_range (world->rand, 0, 100);
  Fault fault;

  if (r < 35)
    active[n_active++] = &world->devices[1];   /* fatima's second device */
  else if (r < 70)
    active[n_active++] = &world->devices[2];   /* her coordinator */

  r = (guint) g_rand_int_range (world->rand, 0, 100);
  fault = r < 35 ? FAULT_SERVER_KILL : r < 70 ? FAULT_CLIENT_KILL : r < 95 ? FAULT_DROP : FAULT_NONE;

  if (fault == FAULT_DROP)
    proxy_arm_drop (g_rand_int_range (world->rand, 1, 6));

  for (guint i = 0; i < n_active; i++)
    device_spawn (world, active[i], (guint) g_rand_int_range (world->rand, 2, 10));

  /* The random delay is the fault's timing, not synchronisation. */
  if (fault == FAULT_SERVER_KILL || fault == FAULT_CLIENT_KILL)
    g_usleep ((gulong) g_rand_int_range (world->rand, 0, 100) * 1000);

  if (fault == FAULT_SERVER_KILL)
    {
      server_stop (world, TRUE);
      world->server_kills++;
      world->faults++;
    }
  else if (fault == FAULT_CLIENT_KILL)
    {
      Device *victim = active[g_rand_int_range (world->rand, 0, (gint32) n_active)];

      g_subprocess_force_exit (victim->process);
      world->client_kills++;
      world->faults++;
    }

  for (guint i = 0; i < n_active; i++)
    if (!device_wait (active[i]))
      world->failed_syncs++;

  if (fault == FAULT_DROP)
    {
      guint before = world->drops;

      proxy_arm_drop (0);
      g_mutex_lock (&proxy.mutex);
      world->drops = proxy.drops_done;
      g_mutex_unlock (&proxy.mutex);
      world->faults += world->drops - before;
    }
  if (world->server == NULL)
    server_start (world);

  /* Right after the fault: nothing acknowledged or committed is lost. */
  check_world (world, active, n_active, FALSE, FALSE);

  /* Recovery: the devices of this trial sync once more — twice round,
   * so that a device that synced first also receives what the others
   * sent from their outboxes after it. */
  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < n_active; i++)
      device_recover (world, active[i]);
  check_world (world, active, n_active, TRUE, full);
}

/* The end: every device syncs, then the full check. */
static void
final_check (World *world)
{
  Device *all[G_N_ELEMENTS (world->devices)];
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (world->devices); i++)
    if (world->devices[i].runs > 0)
      {
        device_recover (world, &world->devices[i]);
        all[n++] = &world->devices[i];
      }
  /* A second round brings each device what the later ones sent. */
  for (guint i = 0; i < n; i++)
    device_recover (world, all[i]);
  check_world (world, all, n, TRUE, TRUE);
}

static guint
n_trials (void)
{
  const char *env = g_getenv ("REGIE_FAULT_TRIALS");

  return env != NULL && *env != '\0' ? (guint) g_ascii_strtoull (env, NULL, 10) : 200;
}

static void
test_fault_trials (void)
{
  World world = { 0 };
  guint trials = n_trials ();
  gint64 start = g_get_monotonic_time ();
  guint32 seed = g_test_rand_int ();

  g_test_message ("seed %u (REGIE_FAULT_SEED to repeat)", seed);
  if (g_getenv ("REGIE_FAULT_SEED") != NULL)
    seed = (guint32) g_ascii_strtoull (g_getenv ("REGIE_FAULT_SEED"), NULL, 10);
  world_init (&world, "trials", seed);

  for (guint t = 0; t < trials; t++)
    run_trial (&world, t % 50 == 49);
  final_check (&world);

  g_test_message ("server kills %u, client kills %u, dropped connections %u, failed syncs %u, stuck %u, %.1f s",
                  world.server_kills, world.client_kills, world.drops, world.failed_syncs, world.stuck,
                  (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC);
  g_print ("# %u trials, %u faults injected, %u violations; up to %u bundled dossiers in a store\n",
           trials, world.faults, world.violations, world.bundled_seen);
  world_clear (&world);
  g_assert_cmpuint (world.violations, ==, 0);
  /* The first syncs went by snapshot, so the harness covered that path. */
  g_assert_cmpuint (world.bundled_seen, >, 0);
}

/* The server comes back with a copy of an older database. The client's
 * cursor is then from the future: 410, full resync keeping the outbox.
 * What the old database never saw — including edits it acknowledged
 * before it was rolled back — is reported, not hidden. */
static void
test_fault_rollback (void)
{
  World world = { 0 };
  Device *device;
  g_autofree char *backup = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GPtrArray) offline = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key, value;
  guint lost = 0, lost_kept_locally = 0, offline_on_server = 0;
  gint64 old_max_seq, cursor_before, cursor_after;
  sqlite3 *server;

  world_init (&world, "rollback", 4711);
  device = &world.devices[0];

  device_spawn (&world, device, 12);
  g_assert_true (device_wait (device));
  before = read_commits (device, 0, NULL);

  /* The backup, taken with the server stopped cleanly. */
  server_stop (&world, FALSE);
  backup = g_build_filename (world.dir, "backup", NULL);
  copy_tree (world.data_dir, backup);
  path = server_db_path (&world);
  server = open_db (path);
  old_max_seq = query_int (server, "SELECT max(seq) FROM records", NULL);
  sqlite3_close (server);
  server_start (&world);

  /* More edits, acknowledged by the database that will be rolled back. */
  device_spawn (&world, device, 30);
  g_assert_true (device_wait (device));
  after = read_commits (device, 0, NULL);

  /* And edits still in the outbox when the server is restored. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(RegieStore) store = device_open_store (device);
    g_autoptr(GListModel) caseload = regie_store_load_caseload (store, &error);
    g_autoptr(RegieCaseloadItem) item = g_list_model_get_item (caseload, 0);

    g_assert_no_error (error);
    for (guint i = 0; i < 3; i++)
      {
        g_autofree char *text = g_strdup_printf ("offline %u", i);
        char *id = regie_store_add_note (store, regie_caseload_item_get_dossier_id (item), "fatima", text, &error);

        g_assert_no_error (error);
        g_ptr_array_add (offline, id);
      }
    cursor_before = regie_store_get_cursor (store);
  }

  /* The restore: the operator puts back the database file of the backup
   * (not its generation file), as after a disk failure. */
  server_stop (&world, TRUE);
  {
    static const char * const suffixes[] = { "", "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *live = g_strconcat (path, suffixes[i], NULL);
        g_autofree char *name = g_strconcat ("regie.sqlite", suffixes[i], NULL);
        g_autofree char *saved = g_build_filename (backup, name, NULL);
        g_autofree char *contents = NULL;
        gsize length = 0;

        g_remove (live);
        if (g_file_get_contents (saved, &contents, &length, NULL))
          g_assert_true (g_file_set_contents (live, contents, (gssize) length, NULL));
      }
  }
  server_start (&world);
  g_assert_cmpint (cursor_before, >, old_max_seq);   /* the client's cursor is from the future */

  device_recover (&world, device);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(RegieStore) store = regie_store_open (device->store_path, &error);

    g_assert_no_error (error);
    cursor_after = regie_store_get_cursor (store);
    g_test_message ("rollback: server max seq %" G_GINT64_FORMAT " after restore; client cursor %"
                    G_GINT64_FORMAT " before, %" G_GINT64_FORMAT " after the resync; pending %u",
                    old_max_seq, cursor_before, cursor_after, regie_store_count_pending (store));
    g_assert_cmpuint (regie_store_count_pending (store), ==, 0);
  }

  server = open_db (path);
  for (guint i = 0; i < offline->len; i++)
    offline_on_server += query_int (server, "SELECT count(*) FROM records WHERE id = ?",
                                    g_ptr_array_index (offline, i)) == 1;
  {
    sqlite3 *local = open_db (device->store_path);

    g_hash_table_iter_init (&iter, after);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        if (g_hash_table_contains (before, key))
          continue;
        if (query_int (server, "SELECT count(*) FROM records WHERE id = ?", key) == 0)
          {
            lost++;
            lost_kept_locally += query_int (local, "SELECT count(*) FROM records WHERE id = ?", key) == 1;
          }
      }
    sqlite3_close (local);
  }
  sqlite3_close (server);

  g_test_message ("rollback: %u of %u outbox notes reached the restored server; %u records "
                  "acknowledged by the rolled-back database are not on the server "
                  "(%u of them still in the client's store, no longer pending)",
                  offline_on_server, offline->len, lost, lost_kept_locally);
  g_print ("# rollback: outbox kept and pushed %u/%u; acknowledged-then-rolled-back records lost on server: %u\n",
           offline_on_server, offline->len, lost);

  /* What the design promises: the outbox survives the resync, and the
   * new epoch brings back every edit the lost database acknowledged. */
  g_assert_cmpuint (offline_on_server, ==, offline->len);
  g_assert_cmpuint (lost, ==, 0);
  server = open_db (path);
  g_assert_cmpint (cursor_after, <=, query_int (server, "SELECT max(seq) FROM records", NULL));
  sqlite3_close (server);

  world_clear (&world);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  proxy_start ();

  g_test_add_func ("/fault/trials", test_fault_trials);
  g_test_add_func ("/fault/rollback", test_fault_rollback);

  status = g_test_run ();
  g_main_loop_quit (proxy.loop);
  g_thread_join (proxy.thread);
  return status;
}
