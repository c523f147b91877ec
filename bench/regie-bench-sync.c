/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieBench"

#include "config.h"

#include <stdio.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "regie-store.h"
#include "regie-sync-engine.h"

/* Sync benchmarks against a real regie-server on loopback. Prints one line
 * per figure: "name value unit (target T)". Server start-up and sign-in
 * are not timed. */

#define LISTEN_PREFIX "regie-server: listening on "
#define N_DOSSIERS    "10000"

typedef struct
{
  GSubprocess *process;
  char        *url;
  char        *data_dir;
} Server;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
server_free (Server *server)
{
  if (server->process != NULL)
    {
      g_subprocess_force_exit (server->process);
      g_subprocess_wait (server->process, NULL, NULL);
      g_object_unref (server->process);
    }
  if (server->data_dir != NULL)
    remove_tree (server->data_dir);
  g_free (server->data_dir);
  g_free (server->url);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_free)

static Server *
server_start (const char  *server_path,
              gboolean     tls,
              GError     **error)
{
  g_autoptr(Server) server = g_new0 (Server, 1);
  g_autoptr(GDataInputStream) out = NULL;

  server->data_dir = g_dir_make_tmp ("regie-bench-XXXXXX", error);
  if (server->data_dir == NULL)
    return NULL;

  /* Plain HTTP on loopback by default, so that the figures measure the
   * sync path and stay comparable with earlier ones; --tls measures with
   * the server's default TLS (docs/performance.md). */
  server->process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, error,
                                      server_path,
                                      "--listen", "127.0.0.1:0",
                                      "--data", server->data_dir,
                                      "--demo",
                                      "--dossiers", N_DOSSIERS,
                                      "--single-caseload",
                                      tls ? NULL : "--plain-http",
                                      NULL);
  if (server->process == NULL)
    return NULL;

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, error);

      if (line == NULL)
        {
          if (error != NULL && *error == NULL)
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                                 "regie-server exited before listening");
          return NULL;
        }

      if (g_str_has_prefix (line, LISTEN_PREFIX))
        {
          server->url = g_strstrip (g_strdup (line + strlen (LISTEN_PREFIX)));
          break;
        }
    }

  return g_steal_pointer (&server);
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
login_token (const char  *url,
             GError     **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RegieAccount) account = NULL;

  g_main_context_push_thread_default (context);
  regie_api_login_async (url, "fatima", "demo-fatima", NULL, login_cb, &result);
  while (result == NULL)
    g_main_context_iteration (context, TRUE);
  g_main_context_pop_thread_default (context);

  account = regie_api_login_finish (result, error);
  if (account == NULL)
    return NULL;

  return g_strdup (account->token);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double da = *(const double *) a;
  double db = *(const double *) b;

  return (da > db) - (da < db);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_double);
  if (values->len == 0)
    return 0;
  if (values->len % 2 == 1)
    return g_array_index (values, double, values->len / 2);
  return (g_array_index (values, double, values->len / 2 - 1) +
          g_array_index (values, double, values->len / 2)) / 2;
}

static void
remove_store_files (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
}

static gboolean
timed_sync (RegieSyncEngine  *engine,
            double           *out_ms,
            GError          **error)
{
  gint64 start = g_get_monotonic_time ();
  struct rusage r0, r1;

  getrusage (RUSAGE_SELF, &r0);
  if (!regie_sync_engine_sync (engine, NULL, error))
    return FALSE;

  *out_ms = (g_get_monotonic_time () - start) / 1000.0;
  getrusage (RUSAGE_SELF, &r1);
  g_debug ("sync: %.1f ms, client cpu user %.1f sys %.1f", *out_ms,
           (r1.ru_utime.tv_sec - r0.ru_utime.tv_sec) * 1e3 + (r1.ru_utime.tv_usec - r0.ru_utime.tv_usec) / 1e3,
           (r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) * 1e3 + (r1.ru_stime.tv_usec - r0.ru_stime.tv_usec) / 1e3);
  return TRUE;
}

static void
report (const char *name,
        double      value,
        double      target)
{
  printf ("%s %.1f ms (target %g)\n", name, value, target);
  fflush (stdout);
}

static void
report_info (const char *name,
             double      value,
             const char *unit)
{
  printf ("%s %.1f %s (info)\n", name, value, unit);
  fflush (stdout);
}

/* What the initial pull moved, read from the store it filled (through
 * its own connection, so nothing in the store API exists for this). */
static gboolean
count_store (const char *path,
             gint64     *out_records,
             gint64     *out_payload_bytes)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      /* A first sync by snapshot keeps most records in one sealed,
       * compressed bundle per dossier: counted by what they hold, sized
       * as stored. */
      sqlite3_prepare_v2 (db,
                          "SELECT (SELECT count(*) FROM records) + "
                          "       coalesce ((SELECT sum(n_records) FROM bundles), 0), "
                          "       (SELECT total(length(CAST(payload AS BLOB))) FROM records) + "
                          "       coalesce ((SELECT total(length(payload)) FROM bundles), 0)",
                          -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    {
      *out_records = sqlite3_column_int64 (stmt, 0);
      *out_payload_bytes = (gint64) sqlite3_column_double (stmt, 1);
      ok = TRUE;
    }

  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return ok;
}

static const char *
first_dossier (RegieStore *store)
{
  static char dossier_id[64];
  g_autoptr(GListModel) caseload = regie_store_load_caseload (store, NULL);
  g_autoptr(RegieCaseloadItem) item = NULL;

  if (caseload == NULL || g_list_model_get_n_items (caseload) == 0)
    return NULL;

  item = g_list_model_get_item (caseload, 0);
  g_strlcpy (dossier_id, regie_caseload_item_get_dossier_id (item), sizeof dossier_id);
  return dossier_id;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Server) server = NULL;
  g_autoptr(GArray) pull_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) noop_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) push_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(RegieStore) store = NULL;
  g_autoptr(RegieSyncEngine) engine = NULL;
  g_autofree char *server_path = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *token = NULL;
  g_autofree char *store_dir = NULL;
  g_autofree char *store_path = NULL;
  const char *dossier_id;
  int runs = 5;
  int noop_runs = 200;
  gboolean tls = FALSE;
  gboolean no_snapshot = FALSE;
  GOptionEntry entries[] = {
    { "server-path", 0, 0, G_OPTION_ARG_FILENAME, &server_path, "The regie-server binary", "PATH" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs per figure (default 5)", "N" },
    { "noop-runs", 0, 0, G_OPTION_ARG_INT, &noop_runs, "Runs of the no-op sync (default 200)", "N" },
    { "tls", 0, 0, G_OPTION_ARG_NONE, &tls, "Use the server's TLS instead of plain HTTP on loopback", NULL },
    { "no-snapshot", 0, 0, G_OPTION_ARG_NONE, &no_snapshot, "First sync by pull pages only, as a coordinator's", NULL },
    { "server-url", 0, 0, G_OPTION_ARG_STRING, &server_url,
      "Use a running demo server started with --dossiers 10000 --single-caseload (to profile it)", "URL" },
    { NULL }
  };

  /* Loopback only: never through a configured proxy. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  context = g_option_context_new ("- measure Regie client sync");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  if (server_path == NULL)
    server_path = g_strdup (g_getenv ("REGIE_SERVER_PATH"));
  if ((server_path == NULL && server_url == NULL) || runs < 1 || noop_runs < 1)
    {
      g_printerr ("Usage: regie-bench-sync --server-path PATH|--server-url URL [--runs N]\n");
      return EXIT_FAILURE;
    }

  if (server_url != NULL)
    {
      server = g_new0 (Server, 1);
      server->url = g_steal_pointer (&server_url);
    }
  else
    server = server_start (server_path, tls, &error);
  if (server == NULL)
    {
      g_printerr ("Could not start %s: %s\n", server_path, error->message);
      return EXIT_FAILURE;
    }

  token = login_token (server->url, &error);
  if (token == NULL)
    {
      g_printerr ("Could not sign in: %s\n", error->message);
      return EXIT_FAILURE;
    }

  store_dir = g_dir_make_tmp ("regie-bench-store-XXXXXX", &error);
  if (store_dir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  /* Initial pull: a fresh store each run. */
  for (int i = 0; i < runs; i++)
    {
      g_autofree char *name = g_strdup_printf ("pull-%d.sqlite", i);
      double ms = 0;

      g_clear_object (&engine);
      g_clear_object (&store);
      if (store_path != NULL)
        remove_store_files (store_path);
      g_free (store_path);
      store_path = g_build_filename (store_dir, name, NULL);

      store = regie_store_open (store_path, &error);
      if (store == NULL || !regie_store_unlock (store, "demo-fatima", REGIE_UNLOCK_CREATE, &error))
        goto failed;
      engine = regie_sync_engine_new (store, server->url, token);
      if (no_snapshot)
        regie_sync_engine_set_snapshot_limit (engine, 0);
      if (!timed_sync (engine, &ms, &error))
        goto failed;
      g_array_append_val (pull_ms, ms);
      g_debug ("initial pull run %d: %.1f ms, cursor %" G_GINT64_FORMAT,
               i, ms, regie_store_get_cursor (store));
    }
  report ("sync_initial_pull_10k_ms", median (pull_ms), 150);
  /* The first run may find the server still building its per-dossier
   * bundles (it does so in the background after start-up). */
  report_info ("sync_initial_pull_10k_first_run", g_array_index (pull_ms, double, 0), "ms");
  {
    gint64 records = 0, payload_bytes = 0;

    if (count_store (store_path, &records, &payload_bytes))
      {
        report_info ("sync_initial_pull_10k_records", records, "records");
        report_info ("sync_initial_pull_10k_stored", payload_bytes / 1e6, "MB");
      }
  }

  /* No-op: nothing changed since the last sync. */
  for (int i = 0; i < noop_runs; i++)
    {
      double ms = 0;

      if (!timed_sync (engine, &ms, &error))
        goto failed;
      g_array_append_val (noop_ms, ms);
    }
  report ("sync_noop_ms", median (noop_ms), 1);

  /* Push: 1000 notes written offline, then one sync. */
  dossier_id = first_dossier (store);
  if (dossier_id == NULL)
    {
      g_printerr ("The caseload is empty\n");
      return EXIT_FAILURE;
    }

  for (int i = 0; i < runs; i++)
    {
      double ms = 0;

      for (int j = 0; j < 1000; j++)
        {
          g_autofree char *text = g_strdup_printf ("Benchmarknotitie %d/%d: contact gehad over de voortgang.", i, j);
          g_autofree char *id = regie_store_add_note (store, dossier_id, "fatima", text, &error);

          if (id == NULL)
            goto failed;
        }

      if (!timed_sync (engine, &ms, &error))
        goto failed;
      if (regie_store_count_pending (store) != 0)
        {
          g_printerr ("Outbox not empty after push\n");
          return EXIT_FAILURE;
        }
      g_array_append_val (push_ms, ms);
    }
  report ("sync_push_1k_ms", median (push_ms), 50);

  g_clear_object (&engine);
  g_clear_object (&store);
  remove_tree (store_dir);

  return EXIT_SUCCESS;

failed:
  g_printerr ("Benchmark failed: %s\n", error ? error->message : "unknown error");
  g_clear_object (&engine);
  g_clear_object (&store);
  remove_tree (store_dir);
  return EXIT_FAILURE;
}
