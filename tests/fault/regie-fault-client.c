/* SPDX-License-Identifier: EUPL-1.2 */
/* regie-fault-client: a caseworker's device driven at random, for the crash
 * and fault harness (test-fault.c). It writes notes and household members
 * into the dossiers of one klantmanager, syncs now and then, and keeps two
 * fsync'd journals next to its store:
 *
 *   PREFIX.commits  "C <kind> <record_id> <n>" after every local commit
 *                   (n: the device's commit counter, also in the payload)
 *   PREFIX.acks     "A <mutation_id> <record_id>" for every outbox row the
 *                   server acknowledged (applied or duplicate)
 *
 * The journals are the harness's ground truth: a line is written only after
 * the fact it records is durable, so a kill can lose a line, never invent
 * one.
 *
 * Usage: regie-fault-client URL USER PASSWORD STORE PREFIX SEED OPS OWNER
 * OPS 0: only sync. Env REGIE_FAULT_TOKEN: a session token (skips sign-in).
 * Exit: 0 done, 2 a sync failed (e.g. the server went away), 1 other error. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "regie-error.h"
#include "regie-records.h"
#include "regie-store-private.h"

#include "fault-sql.h"
#include "regie-sync-engine.h"

typedef struct
{
  RegieStore      *store;
  RegieSyncEngine *engine;
  sqlite3         *db;        /* read-only second connection, for the journal */
  int              commits_fd;
  int              acks_fd;
  char            *device;    /* basename of the journal prefix */
  char            *owner;
  char            *user;
  char            *run;       /* random per process run: note texts are unique */
  guint64          counter;   /* next commit number */
  GRand           *rand;
  GPtrArray       *owned;     /* owned_dossiers(), until the next sync */
} Client;

static void
journal (int         fd,
         const char *line)
{
  gsize len = strlen (line);
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = write (fd, line + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        g_error ("journal write: %s", g_strerror (errno));
      done += (gsize) n;
    }
  if (fsync (fd) != 0)
    g_error ("journal fsync: %s", g_strerror (errno));
}

static int
open_journal (const char *prefix,
              const char *suffix)
{
  g_autofree char *path = g_strconcat (prefix, suffix, NULL);
  int fd = open (path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);

  if (fd < 0)
    g_error ("open %s: %s", path, g_strerror (errno));
  return fd;
}

/* The counter goes on from the highest number journaled so far: a commit
 * killed before its line may reuse a number, which the harness allows. */
static guint64
next_counter (const char *prefix)
{
  g_autofree char *path = g_strconcat (prefix, ".commits", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 max = 0;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 1;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit (lines[i], " ", 0);

      if (g_strv_length (f) == 4)
        max = MAX (max, g_ascii_strtoull (f[3], NULL, 10));
    }
  return max + 1;
}

static GPtrArray *
query_column (Client     *client,
              const char *sql,
              const char *arg)
{
  GPtrArray *values = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (client->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (client->db));
  if (arg != NULL)
    sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (values, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  return values;
}

static const char *
pick (Client    *client,
      GPtrArray *values)
{
  if (values->len == 0)
    return NULL;
  return g_ptr_array_index (values, g_rand_int_range (client->rand, 0, (gint32) values->len));
}

/* The dossiers assigned to the owner. Read through the store: after a
 * first sync by snapshot most records of a dossier sit in its sealed
 * bundle, and only the person is a row of its own. */
static GPtrArray *
owned_dossiers (Client *client)
{
  g_autoptr(GPtrArray) all = NULL;
  GPtrArray *owned;

  /* Assignments change only by a sync. */
  if (client->owned != NULL)
    return g_ptr_array_ref (client->owned);

  all = query_column (client, "SELECT dossier_id FROM records WHERE kind = 'person'", NULL);
  owned = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < all->len; i++)
    {
      const char *dossier_id = g_ptr_array_index (all, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(RegieCase) dossier = regie_store_load_case (client->store, dossier_id, &error);
      RegieRecord *record;

      if (dossier == NULL)
        g_error ("load dossier %s: %s", dossier_id, error->message);
      record = regie_case_get_first (dossier, REGIE_RECORD_ASSIGNMENT);
      if (record != NULL && g_strcmp0 (regie_record_get_string (record, "klantmanager"), client->owner) == 0)
        g_ptr_array_add (owned, g_strdup (dossier_id));
    }
  client->owned = g_ptr_array_ref (owned);
  return owned;
}

/* Outbox rows still waiting (not marked conflict/rejected):
 * mutation id → record id. */
static GHashTable *
outbox_snapshot (Client *client)
{
  GHashTable *rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (client->db,
                          "SELECT mutation_id, record_id FROM outbox WHERE status IS NULL",
                          -1, &stmt, NULL) != SQLITE_OK)
    g_error ("outbox: %s", sqlite3_errmsg (client->db));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (rows,
                         g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);
  return rows;
}

static gboolean
sync_and_journal (Client *client)
{
  g_autoptr(GHashTable) before = outbox_snapshot (client);
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) acks = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;
  gboolean ok;

  g_clear_pointer (&client->owned, g_ptr_array_unref);
  ok = regie_sync_engine_sync (client->engine, NULL, &error);

  /* Even a failed sync may have had batches acknowledged. */
  after = outbox_snapshot (client);
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (after, key))
      {
        /* Gone from the outbox and not marked stuck: acknowledged. */
        g_string_append_printf (acks, "A %s %s\n", (char *) key, (char *) value);
      }
  if (acks->len > 0)
    journal (client->acks_fd, acks->str);

  if (!ok)
    g_printerr ("regie-fault-client %s: sync failed: %s\n", client->device, error->message);
  return ok;
}

static void
commit_line (Client     *client,
             const char *kind,
             const char *record_id,
             guint64     n)
{
  g_autofree char *line = g_strdup_printf ("C %s %s %" G_GUINT64_FORMAT "\n", kind, record_id, n);

  journal (client->commits_fd, line);
}

static gboolean
do_note (Client *client)
{
  g_autoptr(GPtrArray) dossiers = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *id = NULL;
  const char *dossier;
  guint64 n = client->counter++;

  dossiers = owned_dossiers (client);
  if ((dossier = pick (client, dossiers)) == NULL)
    return TRUE;   /* nothing pulled yet */

  text = g_strdup_printf ("fault:%s:%" G_GUINT64_FORMAT ":%s", client->device, n, client->run);
  id = regie_store_add_note (client->store, dossier, client->user, text, &error);
  if (id == NULL)
    {
      g_printerr ("regie-fault-client: add note: %s\n", error->message);
      return FALSE;
    }
  commit_line (client, "note", id, n);
  return TRUE;
}

static gboolean
do_member (Client *client)
{
  g_autoptr(GPtrArray) dossiers = NULL;
  g_autoptr(GPtrArray) own = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pattern = g_strdup_printf ("fault:%s:%%", client->device);
  g_autofree char *payload = NULL;
  g_autofree char *dossier = NULL;
  g_autofree char *id = NULL;
  const char *record_id = NULL;
  guint64 n = client->counter++;

  own = query_column (client,
                      "SELECT id FROM records WHERE kind = 'household_member' "
                      "AND json_extract (regie_open (id, payload), '$.given_names') LIKE ?",
                      pattern);
  if (own->len > 0 && g_rand_boolean (client->rand))
    {
      g_autoptr(GPtrArray) d = NULL;

      record_id = pick (client, own);
      d = query_column (client, "SELECT dossier_id FROM records WHERE id = ?", record_id);
      dossier = g_strdup (g_ptr_array_index (d, 0));
    }
  else
    {
      dossiers = owned_dossiers (client);
      if (dossiers->len == 0)
        return TRUE;
      dossier = g_strdup (pick (client, dossiers));
    }

  payload = g_strdup_printf ("{\"given_names\": \"fault:%s:%" G_GUINT64_FORMAT "\", "
                             "\"family_name\": \"Fout\", \"relation\": \"child\"}",
                             client->device, n);
  id = regie_store_put_record (client->store, dossier, REGIE_RECORD_HOUSEHOLD_MEMBER,
                               record_id, payload, &error);
  if (id == NULL)
    {
      g_printerr ("regie-fault-client: put record: %s\n", error->message);
      return FALSE;
    }
  commit_line (client, "household_member", id, n);
  return TRUE;
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static char *
login (const char *url,
       const char *user,
       const char *password)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RegieAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  g_main_context_push_thread_default (context);
  regie_api_login_async (url, user, password, NULL, login_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  account = regie_api_login_finish (result, &error);
  if (account == NULL)
    {
      g_printerr ("regie-fault-client: sign-in: %s\n", error->message);
      return NULL;
    }
  return g_strdup (account->token);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  Client client = { 0 };
  const char *url, *user, *password, *store_path, *prefix;
  guint64 ops;
  int status = 0;

  if (argc != 9)
    {
      g_printerr ("usage: %s URL USER PASSWORD STORE PREFIX SEED OPS OWNER\n", argv[0]);
      return 1;
    }
  url = argv[1];
  user = argv[2];
  password = argv[3];
  store_path = argv[4];
  prefix = argv[5];
  client.rand = g_rand_new_with_seed ((guint32) g_ascii_strtoull (argv[6], NULL, 10));
  ops = g_ascii_strtoull (argv[7], NULL, 10);
  client.owner = argv[8];
  client.user = (char *) user;
  client.run = g_strdup_printf ("%08x", g_random_int ());
  client.device = g_path_get_basename (prefix);
  client.counter = next_counter (prefix);
  client.commits_fd = open_journal (prefix, ".commits");
  client.acks_fd = open_journal (prefix, ".acks");

  if (g_getenv ("REGIE_FAULT_TOKEN") != NULL)
    token = g_strdup (g_getenv ("REGIE_FAULT_TOKEN"));
  else if ((token = login (url, user, password)) == NULL)
    return 2;

  /* As the client does after signing in: the password unlocks the copy
   * (or makes its key, the first time). */
  client.store = regie_store_open (store_path, &error);
  if (client.store == NULL ||
      !regie_store_unlock (client.store, password, REGIE_UNLOCK_CREATE, &error))
    {
      g_printerr ("regie-fault-client: open store: %s\n", error->message);
      return 1;
    }
  if (sqlite3_open_v2 (store_path, &client.db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      g_printerr ("regie-fault-client: %s\n", sqlite3_errmsg (client.db));
      return 1;
    }
  sqlite3_busy_timeout (client.db, 10000);
  fault_sql_register_open (client.db, regie_store_dup_data_key (client.store));
  client.engine = regie_sync_engine_new (client.store, url, token);

  /* The first thing a device does: sync (it has no dossiers before). */
  if (!sync_and_journal (&client))
    status = 2;

  for (guint64 i = 0; status == 0 && i < ops; i++)
    {
      guint32 r = (guint32) g_rand_int_range (client.rand, 0, 100);
      gboolean ok;

      if (r < 55)
        ok = do_note (&client);
      else if (r < 80)
        ok = do_member (&client);
      else
        ok = sync_and_journal (&client) ? TRUE : (status = 2, TRUE);
      if (!ok)
        status = 1;
    }
  if (status == 0 && ops > 0 && !sync_and_journal (&client))
    status = 2;

  g_object_unref (client.engine);
  sqlite3_close (client.db);
  g_object_unref (client.store);
  close (client.commits_fd);
  close (client.acks_fd);
  g_rand_free (client.rand);
  g_free (client.device);
  g_free (client.run);
  return status;
}
