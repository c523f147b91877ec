/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieBench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib/gstdio.h>

#include "regie-application.h"
#include "regie-window-private.h"

/* The real client with 10,000 dossiers, in-process under Xvfb: cold start
 * to the caseload on screen, a search keystroke, and memory. The store is
 * filled once per run of this program by pulling from
 * `regie-server --demo --dossiers 10000 --single-caseload`, in a child
 * process so that what the pull leaves in the heap is not counted as the
 * client's memory; each start then opens that store as a caseworker's
 * laptop would. Prints
 * "name value unit (target T)"; times are medians of --runs starts.
 *
 *   GSETTINGS_SCHEMA_DIR=_build/ui xvfb-run -a -s '-screen 0 1280x800x24' \
 *     _build/bench/regie-bench-client --server-path _build/server/regie-server */

#define LISTEN_PREFIX "regie-server: listening on "
#define N_DOSSIERS    10000

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

static GSubprocess *
server_start (const char  *server_path,
              const char  *data_dir,
              char       **out_url,
              GError     **error)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  char n[16];

  g_snprintf (n, sizeof n, "%d", N_DOSSIERS);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, error,
                              server_path, "--listen", "127.0.0.1:0", "--data", data_dir,
                              "--demo", "--dossiers", n, "--single-caseload", NULL);
  if (process == NULL)
    return NULL;

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, error);

      if (line == NULL)
        {
          if (error != NULL && *error == NULL)
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "regie-server exited before listening");
          return NULL;
        }
      if (g_str_has_prefix (line, LISTEN_PREFIX))
        {
          *out_url = g_strstrip (g_strdup (line + strlen (LISTEN_PREFIX)));
          return g_steal_pointer (&process);
        }
    }
}

/* Signs in and pulls in a child process (this program with --fill-store):
 * the pull allocates a few hundred MB, and what glibc and GSlice keep of
 * that is not part of a start. */
static gboolean
fill_store_in_child (const char  *url,
                     GError     **error)
{
  g_autoptr(GSubprocess) child = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, error,
                                                   "/proc/self/exe", "--fill-store", url, NULL);

  return child != NULL && g_subprocess_wait_check (child, NULL, error);
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Signs in and pulls the whole caseload into the store the window opens
 * for fatima at this server, as a first sign-in would. */
static gboolean
fill_store (const char  *url,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(RegieAccount) account = NULL;
  g_autoptr(RegieStore) store = NULL;
  g_autoptr(RegieSyncEngine) engine = NULL;
  g_autofree char *path = regie_store_path_for (url, "fatima");

  regie_api_login_async (url, "fatima", "demo-fatima", NULL, login_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  account = regie_api_login_finish (result, error);
  if (account == NULL)
    return FALSE;

  store = regie_store_open (path, error);
  if (store == NULL ||
      !regie_store_unlock (store, "demo-fatima", REGIE_UNLOCK_CREATE, error) ||
      !regie_store_save_account (store, account->display_name, account->role, account->team,
                                 account->token, error))
    return FALSE;

  engine = regie_sync_engine_new (store, url, account->token);
  return regie_sync_engine_sync (engine, NULL, error);
}

/* CPU time of this thread: the machines these run on are shared, and
 * wall-clock keystrokes include waiting for a core. */
static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double da = *(const double *) a, db = *(const double *) b;

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
  return (g_array_index (values, double, values->len / 2 - 1) + g_array_index (values, double, values->len / 2)) / 2;
}

static double
rss_mb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line != NULL ? g_ascii_strtod (line + strlen ("VmRSS:"), NULL) / 1024.0 : -1;
}

typedef struct
{
  RegieWindow *window;
  gboolean     painted;
} Start;

static gboolean
caseload_loaded (Start *start)
{
  RegieCaseloadView *view = regie_window_get_caseload_view (start->window);

  return g_list_model_get_n_items (G_LIST_MODEL (regie_caseload_view_get_selection (view))) >= N_DOSSIERS;
}

static void
after_paint_cb (GdkFrameClock *clock,
                Start         *start)
{
  start->painted = TRUE;
}

/* Until a frame of the window has been painted. */
static void
wait_for_frame (RegieWindow *window)
{
  Start start = { window, FALSE };
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  gulong handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &start);

  gtk_widget_queue_draw (GTK_WIDGET (window));
  while (!start.painted)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, handler);
}

static gboolean
timeout_cb (gpointer user_data)
{
  g_error ("Timed out: %s", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

/* One cold start: a new window signs in against the store on disk; ends
 * when the list holds every dossier and a frame with it was painted. */
static RegieWindow *
timed_start (RegieApplication *app,
             const char       *url,
             double           *out_ms,
             double           *out_sign_in_ms)
{
  Start start = { 0 };
  gint64 begin = g_get_monotonic_time ();
  guint timeout = g_timeout_add_seconds (120, timeout_cb, (gpointer) "the caseload to appear");

  start.window = regie_window_new (app);
  gtk_window_present (GTK_WINDOW (start.window));
  regie_window_sign_in (start.window, url, "fatima", "demo-fatima");
  /* Sign-in (server round trip, password verifier) and the list filled. */
  while (regie_window_get_store (start.window) == NULL)
    g_main_context_iteration (NULL, TRUE);
  *out_sign_in_ms = (g_get_monotonic_time () - begin) / 1000.0;
  while (!caseload_loaded (&start))
    g_main_context_iteration (NULL, TRUE);

  wait_for_frame (start.window);

  *out_ms = (g_get_monotonic_time () - begin) / 1000.0;
  g_source_remove (timeout);
  return start.window;
}

static gboolean
summaries_ready (RegieWindow *window)
{
  return regie_caseload_summaries_is_ready (regie_window_get_summaries (window));
}

static void
close_window (RegieWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *server_path = NULL;
  g_autofree char *fill_url = NULL;
  g_autofree char *home = NULL;
  g_autofree char *server_dir = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieApplication) app = NULL;
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) opens = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) keystrokes = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) sign_ins = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) keystrokes_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GSettings) settings = NULL;
  double rss = -1, rss_dossier = -1, summaries_ms = 0, load_ms = 0;
  int runs = 5;
  const char *queries[] = { "a", "ah", "ahm", "ahma", "ahmad", "", "6", "63", "633", "", "de", "de v", "de vr", "",
                            "h", "ha", "had", "hadd", "hadda", "haddad", "", "r", "ra", "rah", "" };
  GOptionEntry entries[] = {
    { "server-path", 0, 0, G_OPTION_ARG_FILENAME, &server_path, "regie-server to run", "PATH" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "starts to take the median of (5)", "N" },
    { "fill-store", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &fill_url, "sign in to URL and pull (child process)", "URL" },
    { NULL }
  };

  context = g_option_context_new ("— client benchmarks with 10,000 dossiers");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  /* The child: the parent's home is in the environment already. */
  if (fill_url != NULL)
    {
      if (!fill_store (fill_url, &error))
        {
          g_printerr ("Could not prepare the store: %s\n", error->message);
          return 1;
        }
      return 0;
    }

  /* A private home: the store, the pinned certificate and settings. */
  home = g_dir_make_tmp ("regie-bench-client-XXXXXX", NULL);
  g_assert (home != NULL);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  if (g_getenv ("GSETTINGS_BACKEND") == NULL)
    g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (server_path == NULL)
    server_path = g_strdup (g_getenv ("REGIE_SERVER_PATH"));
  if (server_path == NULL)
    {
      g_printerr ("Give --server-path or REGIE_SERVER_PATH\n");
      return 2;
    }

  gtk_init ();
  adw_init ();

  server_dir = g_build_filename (home, "server", NULL);
  g_mkdir_with_parents (server_dir, 0700);
  server = server_start (server_path, server_dir, &url, &error);
  if (server == NULL || !fill_store_in_child (url, &error))
    {
      g_printerr ("Could not prepare the store: %s\n", error->message);
      return 1;
    }

  app = regie_application_new (G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  settings = g_object_ref (regie_application_get_settings (app));
  /* The store is complete; starting measures opening it, not a pull. */
  g_settings_set_boolean (settings, "sync-on-start", FALSE);

  for (int run = 0; run < MAX (runs, 1); run++)
    {
      RegieWindow *window;
      double ms, sign_in_ms;

      window = timed_start (app, url, &ms, &sign_in_ms);
      g_array_append_val (starts, ms);
      g_array_append_val (sign_ins, sign_in_ms);

      if (run == 0)
        {
          RegieCaseloadView *view = regie_window_get_caseload_view (window);
          GtkEditable *entry = regie_caseload_view_get_search_entry (view);
          gint64 begin;

          rss = rss_mb ();

          /* The rules for the whole caseload, on the worker thread. */
          begin = g_get_monotonic_time ();
          while (!summaries_ready (window))
            g_main_context_iteration (NULL, TRUE);
          summaries_ms = (g_get_monotonic_time () - begin) / 1000.0 + ms;

          /* Keystrokes: the filter model refilters synchronously inside
           * the entry's "changed" handler. */
          for (int round = 0; round < 4; round++)
            for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
              {
                gint64 t0 = g_get_monotonic_time ();
                double cpu0 = thread_cpu_ms ();
                double key_ms, key_cpu_ms;

                gtk_editable_set_text (entry, queries[q]);
                key_ms = (g_get_monotonic_time () - t0) / 1000.0;
                key_cpu_ms = thread_cpu_ms () - cpu0;
                g_array_append_val (keystrokes, key_ms);
                g_array_append_val (keystrokes_cpu, key_cpu_ms);
                while (g_main_context_iteration (NULL, FALSE))
                  ;
              }
        }

      /* The first dossier opened in this window (its forms are made
       * then), to its first frame; in the first run also the memory
       * with a dossier open. */
      {
        RegieCaseloadView *view = regie_window_get_caseload_view (window);
        RegieDossierPage *page = regie_window_get_dossier_page (window);
        gint64 t0;
        double open_ms;

        gtk_editable_set_text (regie_caseload_view_get_search_entry (view), "");
        while (g_main_context_iteration (NULL, FALSE))
          ;
        t0 = g_get_monotonic_time ();
        if (!regie_caseload_view_select_relative (view, 1))
          g_error ("Could not select a dossier");
        while (g_strcmp0 (regie_dossier_page_get_dossier_id (page),
                          regie_caseload_view_get_selected_id (view)) != 0)
          g_main_context_iteration (NULL, TRUE);
        wait_for_frame (window);
        open_ms = (g_get_monotonic_time () - t0) / 1000.0;
        g_array_append_val (opens, open_ms);
        if (run == 0)
          rss_dossier = rss_mb ();
      }

      close_window (window);
    }

  /* The store's share of a start: unlocking and reading the caseload
   * (main thread). After the starts, so that it is not in their memory. */
  {
    g_autofree char *path = regie_store_path_for (url, "fatima");
    g_autoptr(RegieStore) store = regie_store_open (path, &error);
    gint64 begin = g_get_monotonic_time ();

    if (store != NULL && !regie_store_unlock (store, "demo-fatima", REGIE_UNLOCK_DEFAULT, &error))
      g_clear_object (&store);
    g_autoptr(GListModel) caseload = store != NULL ? regie_store_load_caseload (store, &error) : NULL;

    load_ms = (g_get_monotonic_time () - begin) / 1000.0;
    if (caseload == NULL)
      {
        g_printerr ("Could not read the caseload: %s\n", error->message);
        return 1;
      }
  }

  printf ("client_startup_10k_ms %.1f ms (target 300)\n", median (starts));
  printf ("client_search_keystroke_10k_ms %.2f ms (target 5)\n", median (keystrokes));
  printf ("client_search_keystroke_cpu_10k_ms %.2f ms (info: main thread CPU time of a keystroke)\n", median (keystrokes_cpu));
  printf ("client_rss_10k_mb %.1f MB (target 80)\n", rss);
  printf ("client_startup_sign_in_10k_ms %.1f ms (info: of the start, sign-in until the session opened with the list filled, before the first frame)\n", median (sign_ins));
  printf ("client_store_load_caseload_10k_ms %.1f ms (info: regie_store_load_caseload alone)\n", load_ms);
  printf ("client_open_dossier_ms %.1f ms (info: the first dossier opened after a start, to its first frame)\n", median (opens));
  printf ("client_rss_dossier_open_10k_mb %.1f MB (info: memory with that dossier open)\n", rss_dossier);
  printf ("client_rules_caseload_10k_ms %.1f ms (info: start to every dossier's deadlines known)\n", summaries_ms);
  fflush (stdout);

  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
  g_clear_object (&app);
  remove_tree (home);
  return 0;
}
