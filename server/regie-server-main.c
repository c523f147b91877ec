/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieServer"

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>

#include "regie-demo.h"
#include "regie-records.h"
#include "regie-server.h"
#include "regie-server-db.h"
#include "regie-server-tls.h"
#include "regie-util.h"

#define DEFAULT_LISTEN "127.0.0.1:8765"
/* --threads defaults to the number of CPUs, at most this. */
#define DEFAULT_MAX_THREADS 8
#define MAX_TOKEN_LIFETIME (7 * 24 * 60 * 60)

static gboolean
quit_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_debug ("Signal received; shutting down");
  g_main_loop_quit (loop);

  return G_SOURCE_CONTINUE;
}

static gboolean
export_case_cb (RegieCase  *dossier,
                gpointer    user_data,
                GError    **error)
{
  g_autoptr(JsonNode) node = regie_case_to_json (dossier);
  g_autofree char *line = regie_json_to_string (node);

  /* One dossier per line: compact JSON never holds a raw newline. */
  if (fputs (line, stdout) < 0 || fputc ('\n', stdout) < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "could not write: %s",
                   g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

/* Deadlines are civil dates in the Netherlands, wherever this runs. */
static void
today_in_amsterdam (GDate *out)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Amsterdam");
  g_autoptr(GDateTime) now = NULL;

  if (tz == NULL)
    tz = g_time_zone_new_local ();
  now = g_date_time_new_now (tz);
  g_date_clear (out, 1);
  g_date_set_dmy (out, g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now), g_date_time_get_year (now));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieServerDb) db = NULL;
  g_autoptr(RegieServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *generation_path = NULL;
  g_autofree char *url = NULL;
  g_autofree char *reference_date = NULL;
  g_autofree char *export_dossier = NULL;
  g_autofree char *today_text = NULL;
  gboolean purge = FALSE;
  gboolean audit_verify = FALSE;
  gboolean restore_mark = FALSE;
  int lease_days = REGIE_SERVER_LEASE_DAYS;
  int min_protocol = REGIE_PROTOCOL_VERSION;
  int n_threads = -1;  /* -1: not given */
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *host_name = NULL;
  g_autofree char *fingerprint = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  gboolean plain_http = FALSE;
  gint64 token_lifetime = REGIE_SERVER_SESSION_SECONDS;
  gboolean export = FALSE;
  gboolean demo = FALSE;
  gboolean single_caseload = FALSE;
  gboolean version = FALSE;
  gint64 seed = REGIE_DEMO_DEFAULT_SEED;
  int n_dossiers = REGIE_DEMO_DEFAULT_DOSSIERS;
  guint sigint_id, sigterm_id;
  GDate reference;
  const GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      "Address to listen on (default " DEFAULT_LISTEN "; port 0 picks a free port)", "ADDR:PORT" },
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir,
      "Data directory holding regie.sqlite (default $XDG_DATA_HOME/regie-server)", "DIR" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo,
      "Fill an empty database with the demo municipality", NULL },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed,
      "Seed for the demo data (default 2021)", "N" },
    { "dossiers", 0, 0, G_OPTION_ARG_INT, &n_dossiers,
      "Number of demo dossiers (default 2000)", "N" },
    { "single-caseload", 0, 0, G_OPTION_ARG_NONE, &single_caseload,
      "Benchmark aid: put every demo dossier on klantmanager fatima", NULL },
    { "reference-date", 0, 0, G_OPTION_ARG_STRING, &reference_date,
      "Make the demo data as seen on this day (default today in Europe/Amsterdam)", "YYYY-MM-DD" },
    { "dossier", 0, 0, G_OPTION_ARG_STRING, &export_dossier,
      "With export: only this dossier", "UUID" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert,
      "PEM certificate (chain) to serve HTTPS with, e.g. PKIoverheid (default: a self-signed "
      "one made at first start in DIR/tls)", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key,
      "PEM private key of --tls-cert", "FILE" },
    { "host-name", 0, 0, G_OPTION_ARG_STRING, &host_name,
      "Name clients use for this server, put in a generated certificate (default: this "
      "machine's name)", "NAME" },
    { "plain-http", 0, 0, G_OPTION_ARG_NONE, &plain_http,
      "Speak plain HTTP instead of HTTPS; only allowed on a loopback address", NULL },
    { "threads", 0, 0, G_OPTION_ARG_INT, &n_threads,
      "Threads accepting and serving connections, each with its own main loop, sharing the "
      "port (default: the number of CPUs, at most 8)", "N" },
    { "device-lease-days", 0, 0, G_OPTION_ARG_INT, &lease_days,
      "Days a laptop may work offline after its last sign-in or sync (default 14)", "N" },
    { "min-protocol", 0, 0, G_OPTION_ARG_INT, &min_protocol,
      "Answer requests of a Regie-Protocol version below N with 426 (default " G_STRINGIFY (REGIE_PROTOCOL_VERSION)
      ", the version this server speaks; a higher N refuses every client, as a newer server refuses "
      "this version's clients: for testing client upgrades)", "N" },
    { "today", 0, 0, G_OPTION_ARG_STRING, &today_text,
      "With purge: the day to purge as of (default today in Europe/Amsterdam)", "YYYY-MM-DD" },
    { "token-lifetime", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_INT64, &token_lifetime,
      "Session lifetime in seconds (default 43200; 0 for tests)", "SECONDS" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      "Print the version and exit", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new ("[export | purge | audit verify | restore-mark] — the Regie "
                                   "case-management server");
  g_option_context_set_summary (context,
                                "Serves the Regie sync protocol (docs/protocol.md) over HTTPS "
                                "from a SQLite database.\n\n"
                                "regie-server export --data DIR [--dossier UUID] prints every "
                                "dossier (or one) as one line of dossier JSON (docs/data-model.md) "
                                "and exits, e.g. for regie-rules. With --demo an empty database "
                                "is filled first.\n\n"
                                "regie-server purge --data DIR [--today YYYY-MM-DD] purges the "
                                "dossiers closed longer ago than the retention setting, prints "
                                "their ids and exits (the running server does this daily).\n\n"
                                "regie-server audit verify --data DIR checks the processing log's "
                                "hash chain, prints the entry count and head hash, and exits 1 "
                                "when the chain is broken.\n\n"
                                "regie-server restore-mark --data DIR gives a database restored "
                                "from a backup a new epoch, so that clients send the edits it may "
                                "have lost again (docs/protocol.md, \"Restored databases\"); run "
                                "it with the server stopped, after restoring.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("regie-server: %s\n", error->message);
      return 2;
    }

  if (argc == 2 && g_strcmp0 (argv[1], "export") == 0)
    export = TRUE;
  else if (argc == 2 && g_strcmp0 (argv[1], "purge") == 0)
    purge = TRUE;
  else if (argc == 3 && g_strcmp0 (argv[1], "audit") == 0 && g_strcmp0 (argv[2], "verify") == 0)
    audit_verify = TRUE;
  else if (argc == 2 && g_strcmp0 (argv[1], "restore-mark") == 0)
    restore_mark = TRUE;
  else if (argc > 1)
    {
      g_printerr ("regie-server: unknown command “%s”; see --help\n", argv[1]);
      return 2;
    }

  if (version)
    {
      g_print ("regie-server %s (protocol %d)\n", PACKAGE_VERSION, REGIE_PROTOCOL_VERSION);
      return 0;
    }

  if (n_dossiers < 0 || n_dossiers > 1000000 || seed < 0 || seed > G_MAXUINT32)
    {
      g_printerr ("regie-server: --dossiers must be 0…1000000 and --seed 0…%u\n", G_MAXUINT32);
      return 2;
    }

  if (export_dossier != NULL && (!export || !regie_uuid_is_valid (export_dossier)))
    {
      g_printerr ("regie-server: --dossier takes a dossier UUID and goes with export\n");
      return 2;
    }

  if ((tls_cert == NULL) != (tls_key == NULL) || (plain_http && tls_cert != NULL))
    {
      g_printerr ("regie-server: --tls-cert and --tls-key go together, and not with --plain-http\n");
      return 2;
    }

  if (token_lifetime < 0 || token_lifetime > MAX_TOKEN_LIFETIME)
    {
      g_printerr ("regie-server: --token-lifetime must be 0…%d seconds\n", MAX_TOKEN_LIFETIME);
      return 2;
    }

  if (lease_days < 1 || lease_days > REGIE_SERVER_MAX_LEASE_DAYS)
    {
      g_printerr ("regie-server: --device-lease-days must be 1…%d\n", REGIE_SERVER_MAX_LEASE_DAYS);
      return 2;
    }

  if (min_protocol < 1 || min_protocol > REGIE_SERVER_MAX_MIN_PROTOCOL)
    {
      g_printerr ("regie-server: --min-protocol must be 1…%d\n", REGIE_SERVER_MAX_MIN_PROTOCOL);
      return 2;
    }

  if (n_threads == -1)
    n_threads = (int) CLAMP (g_get_num_processors (), 1, DEFAULT_MAX_THREADS);
  if (n_threads < 1 || n_threads > REGIE_SERVER_MAX_THREADS)
    {
      g_printerr ("regie-server: --threads must be 1…%d\n", REGIE_SERVER_MAX_THREADS);
      return 2;
    }

  if (today_text != NULL && !purge)
    {
      g_printerr ("regie-server: --today goes with purge\n");
      return 2;
    }

  if (reference_date != NULL && !regie_date_parse (reference_date, &reference))
    {
      g_printerr ("regie-server: --reference-date must be a valid date as YYYY-MM-DD\n");
      return 2;
    }
  if (reference_date == NULL)
    today_in_amsterdam (&reference);

  if (data_dir == NULL)
    data_dir = g_build_filename (g_get_user_data_dir (), "regie-server", NULL);
  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      g_printerr ("regie-server: could not create %s: %s\n", data_dir, g_strerror (errno));
      return 1;
    }

  db_path = g_build_filename (data_dir, "regie.sqlite", NULL);
  db = regie_server_db_open (db_path, &error);
  if (db == NULL)
    {
      g_printerr ("regie-server: %s\n", error->message);
      return 1;
    }

  /* Whatever writes or serves first tells a database restored from an
   * older copy by its generation file, and gives it a new epoch; export
   * and audit verify only read (and may run beside the server). */
  if (!export && !audit_verify)
    {
      gboolean renewed = FALSE;

      generation_path = g_build_filename (data_dir, "generation", NULL);
      if (!regie_server_db_check_generation (db, generation_path, restore_mark, &renewed, &error))
        {
          g_printerr ("regie-server: %s\n", error->message);
          return 1;
        }
      if (renewed && !restore_mark)
        g_printerr ("regie-server: this database is older than the one served before; new "
                    "database epoch %s: clients will send the edits it lost again\n",
                    regie_server_db_get_epoch (db));
    }

  if (restore_mark)
    {
      printf ("epoch %s\n", regie_server_db_get_epoch (db));
      return fflush (stdout) == 0 ? 0 : 1;
    }

  if (demo)
    {
      gboolean has = FALSE;

      if (!regie_server_db_has_municipality (db, &has, &error))
        {
          g_printerr ("regie-server: %s\n", error->message);
          return 1;
        }

      if (!has)
        {
          RegieDemoOptions options = {
            .seed = (guint32) seed,
            .n_dossiers = (unsigned) n_dossiers,
            .single_caseload = single_caseload,
            .reference_date = reference,
          };
          gint64 start = g_get_monotonic_time ();

          if (!regie_demo_populate (db, &options, &error))
            {
              g_printerr ("regie-server: could not create the demo municipality: %s\n",
                          error->message);
              return 1;
            }
          g_debug ("Demo municipality with %d dossiers made in %.0f ms", n_dossiers,
                   (g_get_monotonic_time () - start) / 1000.0);
        }
    }

  if (audit_verify)
    {
      g_autofree char *head = NULL;
      gint64 n_entries = 0;

      if (!regie_server_db_audit_verify (db, &n_entries, &head, &error))
        {
          g_printerr ("regie-server: the processing log is broken: %s\n", error->message);
          return 1;
        }
      printf ("entries %" G_GINT64_FORMAT "\nhead %s\n", n_entries, head);
      return fflush (stdout) == 0 ? 0 : 1;
    }

  if (purge)
    {
      g_autoptr(GPtrArray) purged = NULL;
      GDate today;

      if (today_text != NULL && !regie_date_parse (today_text, &today))
        {
          g_printerr ("regie-server: --today must be a valid date as YYYY-MM-DD\n");
          return 2;
        }
      if (today_text == NULL)
        regie_server_today (&today);

      purged = regie_server_db_purge (db, &today, &error);
      if (purged == NULL)
        {
          g_printerr ("regie-server: purge failed: %s\n", error->message);
          return 1;
        }
      for (guint i = 0; i < purged->len; i++)
        printf ("purged %s\n", (const char *) g_ptr_array_index (purged, i));
      printf ("purged dossiers %u\n", purged->len);
      return fflush (stdout) == 0 ? 0 : 1;
    }

  if (export)
    {
      if (!regie_server_db_export (db, export_dossier, export_case_cb, NULL, &error) ||
          fflush (stdout) != 0)
        {
          g_printerr ("regie-server: export failed: %s\n",
                      error != NULL ? error->message : g_strerror (errno));
          return 1;
        }
      return 0;
    }

  if (tls_cert != NULL)
    {
      certificate = regie_server_tls_load (tls_cert, tls_key, &error);
    }
  else if (!plain_http)
    {
      gboolean created = FALSE;

      certificate = regie_server_tls_load_or_create (data_dir,
                                                     host_name != NULL ? host_name
                                                                       : g_get_host_name (),
                                                     &created, &error);
      if (created)
        g_printerr ("regie-server: made a self-signed certificate in %s%stls\n",
                    data_dir, G_DIR_SEPARATOR_S);
    }
  if (certificate == NULL && !plain_http)
    {
      g_printerr ("regie-server: no TLS certificate: %s\n", error->message);
      return 1;
    }

  server = regie_server_new (db);
  regie_server_set_tls_certificate (server, certificate);
  regie_server_set_session_lifetime (server, (unsigned) token_lifetime);
  regie_server_set_device_lease_days (server, (unsigned) lease_days);
  regie_server_set_threads (server, (unsigned) n_threads);
  regie_server_set_min_protocol (server, (unsigned) min_protocol);
  regie_server_schedule_purge (server);
  url = regie_server_listen (server, listen != NULL ? listen : DEFAULT_LISTEN, &error);
  if (url == NULL)
    {
      g_printerr ("regie-server: could not listen: %s\n", error->message);
      return 1;
    }

  /* Tests and scripts read these lines for the URL and the certificate
   * an admin compares with what a client shows. */
  printf ("regie-server: listening on %s\n", url);
  if (certificate != NULL)
    {
      fingerprint = regie_server_tls_fingerprint (certificate);
      printf ("regie-server: certificate sha256 %s\n", fingerprint);
    }
  printf ("regie-server: database epoch %s\n", regie_server_db_get_epoch (db));
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  regie_server_shutdown (server);

  return 0;
}
