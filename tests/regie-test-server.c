/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieTest"

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "regie-test-server.h"

#define LISTEN_PREFIX  "regie-server: listening on "
#define CERT_PREFIX    "regie-server: certificate sha256 "
#define START_TIMEOUT  60

struct _RegieTestServer
{
  GSubprocess      *process;
  GDataInputStream *stdout_stream;
  char             *url;
  char             *fingerprint;
  GTlsCertificate  *certificate;
  char             *data_dir;
  gboolean          owns_data_dir;
};

/* URL → GTlsCertificate of the test servers running in this process, for
 * regie_test_http(). */
static GMutex      servers_mutex;
static GHashTable *server_certificates;

static void
register_certificate (const char      *url,
                      GTlsCertificate *certificate)
{
  g_mutex_lock (&servers_mutex);
  if (server_certificates == NULL)
    server_certificates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  if (certificate != NULL)
    g_hash_table_replace (server_certificates, g_strdup (url), g_object_ref (certificate));
  else
    g_hash_table_remove (server_certificates, url);
  g_mutex_unlock (&servers_mutex);
}

static GTlsCertificate *
lookup_certificate (const char *url)
{
  GTlsCertificate *certificate = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_mutex_lock (&servers_mutex);
  if (server_certificates != NULL)
    {
      g_hash_table_iter_init (&iter, server_certificates);
      while (certificate == NULL && g_hash_table_iter_next (&iter, &key, &value))
        if (g_str_has_prefix (url, key))
          certificate = g_object_ref (value);
    }
  g_mutex_unlock (&servers_mutex);

  return certificate;
}

typedef struct
{
  char     *line;
  GError   *error;
  gboolean  done;
  gboolean  timed_out;
} ReadLine;

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ReadLine *state = user_data;

  state->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object),
                                                           result, NULL, &state->error);
  state->done = TRUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  ReadLine *state = user_data;

  state->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs in the child between fork and exec: a test that aborts on a failed
 * assertion must not leave its server running. */
static void
child_setup_cb (gpointer user_data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}

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

/* Reads one line from the server's stdout, iterating a private context,
 * with a timeout: no sleeping, no polling. */
static char *
read_line (GDataInputStream  *stream,
           GError           **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) timeout = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  ReadLine state = { 0 };

  g_main_context_push_thread_default (context);
  timeout = g_timeout_source_new_seconds (START_TIMEOUT);
  g_source_set_callback (timeout, timeout_cb, &state, NULL);
  g_source_attach (timeout, context);

  g_data_input_stream_read_line_async (stream, G_PRIORITY_DEFAULT, cancellable,
                                       read_line_cb, &state);
  while (!state.done)
    {
      if (state.timed_out)
        g_cancellable_cancel (cancellable);
      g_main_context_iteration (context, TRUE);
    }

  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);

  if (state.error != NULL)
    {
      g_free (state.line);
      g_propagate_error (error, state.error);
      return NULL;
    }
  if (state.line == NULL)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "regie-server said nothing more");

  return state.line;
}

RegieTestServer *
regie_test_server_start (const char         *data_dir,
                         const char * const *extra_args,
                         GError            **error)
{
  return regie_test_server_start_full (data_dir, extra_args, REGIE_TEST_SERVER_NONE, error);
}

RegieTestServer *
regie_test_server_start_full (const char          *data_dir,
                              const char * const  *extra_args,
                              RegieTestServerFlags flags,
                              GError             **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GSource) timeout = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  RegieTestServer *self;
  const char *server_path;
  ReadLine state = { 0 };

  server_path = g_getenv ("REGIE_SERVER_PATH");
  if (server_path == NULL || *server_path == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "REGIE_SERVER_PATH is not set");
      return NULL;
    }

  self = g_new0 (RegieTestServer, 1);
  if (data_dir != NULL)
    {
      self->data_dir = g_strdup (data_dir);
    }
  else
    {
      self->data_dir = g_dir_make_tmp ("regie-test-server-XXXXXX", error);
      if (self->data_dir == NULL)
        {
          regie_test_server_free (self);
          return NULL;
        }
      self->owns_data_dir = TRUE;
    }

  g_ptr_array_add (argv, (char *) server_path);
  g_ptr_array_add (argv, (char *) "--listen");
  g_ptr_array_add (argv, (char *) "127.0.0.1:0");
  g_ptr_array_add (argv, (char *) "--data");
  g_ptr_array_add (argv, self->data_dir);
  if (flags & REGIE_TEST_SERVER_PLAIN_HTTP)
    g_ptr_array_add (argv, (char *) "--plain-http");
  for (gsize i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup_cb, NULL, NULL);
  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                error);
  if (self->process == NULL)
    {
      regie_test_server_free (self);
      return NULL;
    }

  self->stdout_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));

  /* Iterate a private context until the line arrives, the server exits
   * (EOF) or the timeout fires: no sleeping, no polling. */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);

  cancellable = g_cancellable_new ();
  timeout = g_timeout_source_new_seconds (START_TIMEOUT);
  g_source_set_callback (timeout, timeout_cb, &state, NULL);
  g_source_attach (timeout, context);

  while (!state.done)
    {
      g_clear_pointer (&state.line, g_free);
      state.done = FALSE;
      g_data_input_stream_read_line_async (self->stdout_stream, G_PRIORITY_DEFAULT,
                                           cancellable, read_line_cb, &state);
      while (!state.done)
        {
          if (state.timed_out)
            {
              g_cancellable_cancel (cancellable);
              while (!state.done)
                g_main_context_iteration (context, TRUE);
              break;
            }
          g_main_context_iteration (context, TRUE);
        }

      if (state.timed_out || state.error != NULL || state.line == NULL)
        break;

      if (g_str_has_prefix (state.line, LISTEN_PREFIX))
        break;

      /* Some other output: read on. */
      state.done = FALSE;
    }

  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);

  if (state.timed_out)
    {
      g_clear_error (&state.error);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "regie-server did not start listening within %d s", START_TIMEOUT);
      g_free (state.line);
      regie_test_server_free (self);
      return NULL;
    }
  if (state.error != NULL)
    {
      g_propagate_error (error, state.error);
      g_free (state.line);
      regie_test_server_free (self);
      return NULL;
    }
  if (state.line == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           "regie-server exited before listening");
      regie_test_server_free (self);
      return NULL;
    }

  self->url = g_strdup (state.line + strlen (LISTEN_PREFIX));
  g_strstrip (self->url);
  g_free (state.line);

  if (g_str_has_prefix (self->url, "https://"))
    {
      g_autofree char *line = NULL;
      g_autofree char *cert_path = g_build_filename (self->data_dir, "tls", "cert.pem", NULL);

      /* The second line: the fingerprint an admin would compare. */
      if ((line = read_line (self->stdout_stream, error)) == NULL)
        {
          regie_test_server_free (self);
          return NULL;
        }
      if (!g_str_has_prefix (line, CERT_PREFIX))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "regie-server printed “%s” instead of its certificate", line);
          regie_test_server_free (self);
          return NULL;
        }
      self->fingerprint = g_strstrip (g_strdup (line + strlen (CERT_PREFIX)));

      self->certificate = g_tls_certificate_new_from_file (cert_path, error);
      if (self->certificate == NULL)
        {
          regie_test_server_free (self);
          return NULL;
        }
      register_certificate (self->url, self->certificate);
    }

  return self;
}

const char *
regie_test_server_get_url (RegieTestServer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->url;
}

const char *
regie_test_server_get_fingerprint (RegieTestServer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->fingerprint;
}

GTlsCertificate *
regie_test_server_get_certificate (RegieTestServer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->certificate;
}

const char *
regie_test_server_get_data_dir (RegieTestServer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->data_dir;
}

void
regie_test_server_kill (RegieTestServer *self,
                        gboolean         hard)
{
  g_return_if_fail (self != NULL);

  if (self->process == NULL)
    return;

  if (hard)
    g_subprocess_force_exit (self->process);
  else
    g_subprocess_send_signal (self->process, SIGTERM);

  g_subprocess_wait (self->process, NULL, NULL);
  g_clear_object (&self->stdout_stream);
  g_clear_object (&self->process);
}

void
regie_test_server_free (RegieTestServer *self)
{
  if (self == NULL)
    return;

  regie_test_server_kill (self, FALSE);

  if (self->url != NULL && self->certificate != NULL)
    register_certificate (self->url, NULL);
  g_clear_object (&self->certificate);
  g_free (self->fingerprint);

  if (self->owns_data_dir && self->data_dir != NULL)
    remove_tree (self->data_dir);

  g_free (self->url);
  g_free (self->data_dir);
  g_free (self);
}

static void
closure_unref_cb (gpointer  data,
                  GClosure *closure)
{
  g_clear_object (&data);
}

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  GTlsCertificate *expected = user_data;

  return expected != NULL && g_tls_certificate_is_same (certificate, expected);
}

void
regie_test_trust_server (SoupSession *session,
                         SoupMessage *msg,
                         const char  *base_url)
{
  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (SOUP_IS_MESSAGE (msg));
  g_return_if_fail (base_url != NULL);

  /* No CA database: the one certificate accepted is the test server's. */
  soup_session_set_tls_database (session, NULL);
  g_signal_connect_data (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb),
                         lookup_certificate (base_url), (GClosureNotify) closure_unref_cb, 0);
}

char *
regie_test_http (const char *base_url,
                 const char *method,
                 const char *path,
                 const char *token,
                 const char *body,
                 gsize       body_len,
                 unsigned   *out_status,
                 gsize      *out_len)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  SoupMessageHeaders *headers;
  gsize len = 0;
  char *data;

  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if (out_status != NULL)
    *out_status = 0;
  if (out_len != NULL)
    *out_len = 0;

  /* base_url ends in '/', paths start with one */
  if (g_str_has_suffix (base_url, "/") && path[0] == '/')
    url = g_strconcat (base_url, path + 1, NULL);
  else
    url = g_strconcat (base_url, path, NULL);

  session = soup_session_new_with_options ("timeout", 120, NULL);
  msg = soup_message_new (method, url);
  if (msg == NULL)
    return NULL;

  regie_test_trust_server (session, msg, base_url);

  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Regie-Protocol", "1");
  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = NULL;

      if (body_len == 0)
        body_len = strlen (body);
      bytes = g_bytes_new (body, body_len);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  response = soup_session_send_and_read (session, msg, NULL, &error);
  if (response == NULL)
    {
      g_debug ("%s %s failed: %s", method, url, error->message);
      return NULL;
    }

  if (out_status != NULL)
    *out_status = soup_message_get_status (msg);

  data = g_malloc (g_bytes_get_size (response) + 1);
  len = g_bytes_get_size (response);
  if (len > 0)
    memcpy (data, g_bytes_get_data (response, NULL), len);
  data[len] = '\0';

  if (out_len != NULL)
    *out_len = len;

  return data;
}
