/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieServer"

#include "config.h"

#include <errno.h>
#include <gio/gnetworking.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>
#include <time.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "regie-error.h"
#include "regie-password.h"
#include "regie-records.h"
#include "regie-server.h"
#include "regie-server-throttle.h"
#include "regie-settings.h"
#include "regie-sync.h"
#include "regie-util.h"

#define PATH_SESSION  "/api/v1/session"
#define PATH_PASSWORD "/api/v1/session/password"
#define PATH_USERS    "/api/v1/admin/users"
#define PATH_PUSH     "/api/v1/sync/push"
#define PATH_PULL     "/api/v1/sync/pull"
#define PATH_SNAPSHOT "/api/v1/sync/snapshot"
#define PATH_SETTINGS "/api/v1/settings"
#define PATH_DEVICES  "/api/v1/admin/devices"
#define PATH_DOSSIERS "/api/v1/dossiers"
#define PATH_RECORDS  "/api/v1/records"

#define LEASE_HEADER "Regie-Lease-Until"
#define SETTINGS_VERSION_HEADER "Regie-Settings-Version"

/* Access log answers: newest first, this many unless asked for fewer. */
#define ACCESS_LOG_DEFAULT_LIMIT 1000
#define ACCESS_LOG_MAX_LIMIT     10000

/* Retention purge in the running server: first a while after start (not
 * during a quick test run), then daily. */
#define PURGE_FIRST_DELAY_SECONDS (10 * 60)
#define PURGE_INTERVAL_SECONDS    (24 * 60 * 60)

/* Snapshot bundles are built in the background in batches of this many
 * dossiers, each batch one short write: pushes wait for the write lock
 * only as long as a batch's inserts take. */
#define BUNDLE_BATCH            200
/* After a push the builder waits this long, so that a burst of pushes
 * makes one pass over the dossiers, not one each. */
#define BUNDLE_SETTLE_USEC      (1 * G_USEC_PER_SEC)
/* And looks anyway this often, for writes made elsewhere (the purge
 * command, a restored database). */
#define BUNDLE_RECHECK_USEC     ((gint64) 10 * 60 * G_USEC_PER_SEC)

/* Sign-in throttling (docs/security.md): per account, 5 failures within
 * 15 minutes lock it for 1 minute, doubling with every further failure
 * up to an hour; per client address the same from 50 failures, since a
 * town hall's laptops may share one address. */
#define THROTTLE_ACCOUNT_FAILURES 5
#define THROTTLE_ADDRESS_FAILURES 50
#define THROTTLE_WINDOW           (15 * 60 * G_USEC_PER_SEC)
#define THROTTLE_BASE_LOCKOUT     (60 * G_USEC_PER_SEC)
#define THROTTLE_MAX_LOCKOUT      ((gint64) 60 * 60 * G_USEC_PER_SEC)
#define THROTTLE_MAX_ENTRIES      10000

#define MIN_PASSWORD_CHARS 12
#define MAX_PASSWORD_BYTES 1024

/* Municipal settings are a handful of numbers. */
#define MAX_SETTINGS_BYTES (64 * 1024)

#define CONTENT_TYPE_JSON     "application/json"
#define CONTENT_TYPE_CHANGES  "text/x-regie-changes"

/* Bodies beyond this are refused from their headers, before libsoup
 * reads them into memory. */
#define HARD_BODY_LIMIT (4 * REGIE_MAX_PUSH_BYTES)

typedef enum
{
  ENDPOINT_SESSION,
  ENDPOINT_SIGN_OUT,
  ENDPOINT_PASSWORD,
  ENDPOINT_USERS,
  ENDPOINT_USER_STATE,
  ENDPOINT_PUSH,
  ENDPOINT_PULL,
  ENDPOINT_SNAPSHOT,
  ENDPOINT_SETTINGS,
  ENDPOINT_DEVICES,
  ENDPOINT_DEVICE_REVOKE,
  ENDPOINT_ACCESS_LOG,
  ENDPOINT_RECORD_HISTORY,
} Endpoint;

/* One SoupServer with its listening socket and main context. With one
 * listener it serves on the main context of whoever called
 * regie_server_listen() (thread NULL); with more, each has a thread of its
 * own, and the kernel spreads new connections over their sockets
 * (SO_REUSEPORT). A message is only touched in its listener's thread. */
typedef struct
{
  RegieServer  *server;       /* not a reference */
  GSocket      *socket;
  SoupServer   *soup;         /* made, used and dropped in the listener's thread */
  GThread      *thread;       /* NULL: the caller's main context */
  GMainContext *context;      /* NULL with thread NULL */
  GMainLoop    *loop;
  unsigned      in_flight;    /* requests on workers; this listener's thread only */
  gboolean      stopping;
  gboolean      started;      /* under start_mutex */
  GError       *start_error;  /* under start_mutex */
} Listener;

struct _RegieServer
{
  GObject        parent_instance;

  RegieServerDb *db;
  unsigned       n_threads;   /* before listening; 1: no listener threads */
  Listener      *listeners;
  unsigned       n_listeners;
  GMutex         start_mutex;
  GCond          start_cond;

  GTlsCertificate *certificate; /* NULL: plain HTTP, loopback only */
  gint64         session_seconds;
  unsigned       lease_days;
  unsigned       min_protocol; /* before listening; > REGIE_PROTOCOL_VERSION refuses all */
  guint          purge_source;

  GMutex         tokens_mutex;
  GHashTable    *tokens;      /* token hash → RegieServerUser */
  guint64        revocations; /* grows whenever tokens are revoked */

  RegieServerThrottle *account_throttle;
  RegieServerThrottle *address_throttle;

  unsigned       in_flight;   /* main context only: the retention purge */
  int            settings_version;  /* atomic: sent with every sync answer */

  /* The snapshot bundle builder (bundles_thread_cb). */
  GThread       *bundles_thread;
  GMutex         bundles_mutex;
  GCond          bundles_cond;
  gboolean       bundles_pending;   /* under bundles_mutex: a pass is due */
  gboolean       bundles_stop;      /* under bundles_mutex */
};

/* The listener whose thread this is (NULL outside listener threads). */
static GPrivate current_listener_key = G_PRIVATE_INIT (NULL);

static Listener *
current_listener (RegieServer *self)
{
  Listener *listener = g_private_get (&current_listener_key);

  if (listener != NULL && listener->server == self)
    return listener;

  /* Not in a listener thread: only the one listener on the caller's
   * context serves messages here. */
  g_assert (self->n_listeners == 1 && self->listeners[0].thread == NULL);
  return &self->listeners[0];
}

G_DEFINE_FINAL_TYPE (RegieServer, regie_server, G_TYPE_OBJECT)

/* One request handed to a worker thread. The worker fills the response
 * fields; the listener's main context sets them on the message and
 * unpauses it. */
typedef struct
{
  RegieServer       *server;
  Listener          *listener;      /* whose thread owns msg */
  SoupServerMessage *msg;
  gulong             finished_id;
  gboolean           finished;

  Endpoint           endpoint;
  char              *token_hash;
  RegieServerUser   *user;          /* from the token cache, or NULL */
  GBytes            *body;
  char              *username;
  char              *password;
  char              *new_password;
  char              *address;       /* the client's IP address */
  gboolean           disable;       /* ENDPOINT_USER_STATE */
  gint64             cursor;
  unsigned           limit;
  char              *after;         /* ENDPOINT_SNAPSHOT: "" for the first page */
  gboolean           write;         /* PUT rather than GET */
  char              *device_id;     /* ENDPOINT_SESSION: the client's device */
  char              *device_name;
  char              *target;        /* device id or dossier id in the path */
  gboolean           revoked;       /* answers 401 revoked */
  gboolean           lease;         /* send Regie-Lease-Until on success */

  unsigned           status;        /* 0: 200 */
  gint64             retry_after;   /* µs; > 0 answers 429 throttled */
  const char        *content_type;  /* NULL: no body */
  char              *response;
  gsize              response_len;
  GBytes            *response_bytes;  /* instead of response: a large body */
} Request;

static void
clear_secret (char **secret)
{
  if (*secret != NULL)
    {
      memset (*secret, 0, strlen (*secret));
      g_clear_pointer (secret, g_free);
    }
}

static void
request_free (Request *request)
{
  if (request->msg != NULL)
    {
      g_clear_signal_handler (&request->finished_id, request->msg);
      g_object_unref (request->msg);
    }
  g_clear_object (&request->server);
  g_free (request->token_hash);
  g_clear_pointer (&request->user, regie_server_user_free);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request->username);
  clear_secret (&request->password);
  clear_secret (&request->new_password);
  g_free (request->address);
  g_free (request->device_id);
  g_free (request->device_name);
  g_free (request->target);
  g_free (request->after);
  g_free (request->response);
  g_clear_pointer (&request->response_bytes, g_bytes_unref);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

/* Set on a message while its body is the placeholder of
 * request_started_cb(), not an answer of ours. */
static GQuark placeholder_quark;

/* soup_server_message_set_response() appends to a body: the placeholder
 * goes first. */
static void
clear_placeholder (SoupServerMessage *msg)
{
  if (g_object_get_qdata (G_OBJECT (msg), placeholder_quark) == NULL)
    return;

  soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
  g_object_set_qdata (G_OBJECT (msg), placeholder_quark, NULL);
}

static void
set_json_response (SoupServerMessage *msg,
                   unsigned           status,
                   char              *json)   /* takes */
{
  clear_placeholder (msg);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, CONTENT_TYPE_JSON, SOUP_MEMORY_TAKE,
                                    json, strlen (json));
}

static void
set_error_response (SoupServerMessage *msg,
                    const GError      *error)
{
  unsigned status = regie_error_to_http_status (error);
  g_autoptr(GError) valid = NULL;

  /* A parser's message may quote the bad input; the body must stay
   * valid UTF-8 (and so valid JSON) whatever came in. */
  if (!g_utf8_validate (error->message, -1, NULL))
    {
      g_autofree char *text = g_utf8_make_valid (error->message, -1);

      valid = g_error_new_literal (error->domain, error->code, text);
      error = valid;
    }

  if (status >= 500)
    g_warning ("%s %s: %s", soup_server_message_get_method (msg),
               g_uri_get_path (soup_server_message_get_uri (msg)), error->message);
  else
    g_debug ("%s %s: %u %s", soup_server_message_get_method (msg),
             g_uri_get_path (soup_server_message_get_uri (msg)), status, error->message);

  set_json_response (msg, status, regie_error_body_new (error));
}

static void
respond_error (SoupServerMessage *msg,
               RegieError         code,
               const char        *format,
               ...) G_GNUC_PRINTF (3, 4);

static void
respond_error (SoupServerMessage *msg,
               RegieError         code,
               const char        *format,
               ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (REGIE_ERROR, code, format, args);
  va_end (args);

  set_error_response (msg, error);
}

/* 429 with Retry-After, and the wait in the body for clients that prefer
 * it to the header. */
static void
respond_throttled (SoupServerMessage *msg,
                   gint64             wait)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *seconds = NULL;
  g_autofree char *message = NULL;
  gint64 wait_seconds = MAX ((wait + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, 1);

  seconds = g_strdup_printf ("%" G_GINT64_FORMAT, wait_seconds);
  message = g_strdup_printf ("too many failed sign-ins; try again in %" G_GINT64_FORMAT " s",
                             wait_seconds);
  g_debug ("%s %s: 429 %s", soup_server_message_get_method (msg),
           g_uri_get_path (soup_server_message_get_uri (msg)), message);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, "throttled");
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "retry_after");
  json_builder_add_int_value (builder, wait_seconds);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Retry-After", seconds);
  set_json_response (msg, 429 /* Too Many Requests */, regie_json_to_string (root));
}

/* 401 with its own code: the client wipes its copy (docs/security.md). */
static void
respond_revoked (SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  g_debug ("%s %s: 401 revoked", soup_server_message_get_method (msg),
           g_uri_get_path (soup_server_message_get_uri (msg)));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, "revoked");
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, "this device was revoked; its local copy must be wiped");
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  set_json_response (msg, SOUP_STATUS_UNAUTHORIZED, regie_json_to_string (root));
}

/* The device lease: until when a client may work offline. */
static void
set_lease_header (RegieServer       *self,
                  SoupServerMessage *msg)
{
  /* On every sync answer: no GDateTime, no allocation. Whole days in UTC
   * are 86,400 s each. */
  time_t until = (time_t) (g_get_real_time () / G_USEC_PER_SEC) +
                 (time_t) self->lease_days * 24 * 60 * 60;
  struct tm tm;
  char text[32];

  if (gmtime_r (&until, &tm) == NULL)
    return;
  g_snprintf (text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
              tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                LEASE_HEADER, text);
}

/* Clients fetch the municipal settings when this differs from theirs, so
 * a no-op sync needs no extra request. */
static void
set_settings_version_header (RegieServer       *self,
                             SoupServerMessage *msg)
{
  char text[16];

  g_snprintf (text, sizeof text, "%d", g_atomic_int_get (&self->settings_version));
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                SETTINGS_VERSION_HEADER, text);
}

/* The database epoch: a client that sees it change knows the database
 * was restored from an older copy (docs/protocol.md, "Restored
 * databases"). Fixed while serving. */
static void
set_epoch_header (RegieServer       *self,
                  SoupServerMessage *msg)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                REGIE_DATABASE_EPOCH_HEADER,
                                regie_server_db_get_epoch (self->db));
}

/* Token cache */

static RegieServerUser *
token_cache_lookup (RegieServer *self,
                    const char  *token_hash)
{
  RegieServerUser *cached;
  RegieServerUser *user = NULL;

  g_mutex_lock (&self->tokens_mutex);
  cached = g_hash_table_lookup (self->tokens, token_hash);
  if (cached != NULL)
    {
      if (cached->expires_at > g_get_real_time ())
        user = regie_server_user_copy (cached);
      else
        g_hash_table_remove (self->tokens, token_hash);
    }
  g_mutex_unlock (&self->tokens_mutex);

  return user;
}

/* token_cache_lookup() without the copy, for the no-op pull. */
static gboolean
token_cache_has_valid (RegieServer *self,
                       const char  *token_hash)
{
  RegieServerUser *cached;
  gboolean valid = FALSE;

  g_mutex_lock (&self->tokens_mutex);
  cached = g_hash_table_lookup (self->tokens, token_hash);
  if (cached != NULL)
    {
      if (cached->expires_at > g_get_real_time ())
        valid = TRUE;
      else
        g_hash_table_remove (self->tokens, token_hash);
    }
  g_mutex_unlock (&self->tokens_mutex);

  return valid;
}

static guint64
token_cache_get_revocations (RegieServer *self)
{
  guint64 revocations;

  g_mutex_lock (&self->tokens_mutex);
  revocations = self->revocations;
  g_mutex_unlock (&self->tokens_mutex);

  return revocations;
}

/* A user read from the database before a revocation must not enter the
 * cache after it: `revocations` is the count seen before the read. */
static void
token_cache_insert (RegieServer           *self,
                    const char            *token_hash,
                    const RegieServerUser *user,
                    guint64                revocations)
{
  g_mutex_lock (&self->tokens_mutex);
  if (self->revocations == revocations)
    g_hash_table_replace (self->tokens, g_strdup (token_hash), regie_server_user_copy (user));
  g_mutex_unlock (&self->tokens_mutex);
}

static void
token_cache_remove (RegieServer *self,
                    const char  *token_hash)
{
  g_mutex_lock (&self->tokens_mutex);
  self->revocations++;
  g_hash_table_remove (self->tokens, token_hash);
  g_mutex_unlock (&self->tokens_mutex);
}

/* Drops every cached token of username except keep_hash (may be NULL). */
static void
token_cache_revoke_user (RegieServer *self,
                         const char  *username,
                         const char  *keep_hash)
{
  GHashTableIter iter;
  gpointer key, value;

  g_mutex_lock (&self->tokens_mutex);
  self->revocations++;
  g_hash_table_iter_init (&iter, self->tokens);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const RegieServerUser *cached = value;

      if (g_strcmp0 (cached->username, username) == 0 && g_strcmp0 (key, keep_hash) != 0)
        g_hash_table_iter_remove (&iter);
    }
  g_mutex_unlock (&self->tokens_mutex);
}

/* Drops every cached token bound to device_id. */
static void
token_cache_revoke_device (RegieServer *self,
                           const char  *device_id)
{
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&self->tokens_mutex);
  self->revocations++;
  g_hash_table_iter_init (&iter, self->tokens);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const RegieServerUser *cached = value;

      if (g_strcmp0 (cached->device_id, device_id) == 0)
        g_hash_table_iter_remove (&iter);
    }
  g_mutex_unlock (&self->tokens_mutex);
}

/* Runs on a worker: a token not in the cache (e.g. after a restart) is
 * looked up in the database once. */
static RegieServerUser *
authenticate (RegieServer  *self,
              Request      *request,
              GError      **error)
{
  g_autoptr(RegieServerUser) user = NULL;
  guint64 revocations;

  if (request->user != NULL)
    return g_steal_pointer (&request->user);

  if (request->token_hash == NULL)
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_AUTH, "not signed in");
      return NULL;
    }

  revocations = token_cache_get_revocations (self);
  if (!regie_server_db_lookup_session (self->db, request->token_hash, g_get_real_time (),
                                       &user, error))
    return NULL;

  if (user == NULL)
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_AUTH,
                           "the session is unknown or has expired");
      return NULL;
    }

  /* Never cached: every request of a revoked device hears it. */
  if (user->revoked)
    {
      request->revoked = TRUE;
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_AUTH, "this device was revoked");
      return NULL;
    }

  token_cache_insert (self, request->token_hash, user, revocations);

  return g_steal_pointer (&user);
}

/* Snapshot bundles: kept built in the background, so that a first sync
 * finds them ready (a snapshot builds what is missing itself, slower). */

static gboolean
bundles_stopping (RegieServer *self)
{
  gboolean stop;

  g_mutex_lock (&self->bundles_mutex);
  stop = self->bundles_stop;
  g_mutex_unlock (&self->bundles_mutex);

  return stop;
}

/* Some records changed (their bundles were dropped with the write). */
static void
bundles_wake (RegieServer *self)
{
  g_mutex_lock (&self->bundles_mutex);
  self->bundles_pending = TRUE;
  g_cond_signal (&self->bundles_cond);
  g_mutex_unlock (&self->bundles_mutex);
}

/* One pass over every dossier, batch by batch, until none lacks its
 * bundle or the server stops. */
static void
bundles_pass (RegieServer *self)
{
  g_autofree char *after = NULL;
  gint64 start = g_get_monotonic_time ();
  unsigned total = 0;

  do
    {
      g_autoptr(GError) error = NULL;
      char *last = NULL;
      unsigned built = 0;

      if (!regie_server_db_build_bundles (self->db, after, BUNDLE_BATCH, &last, &built, &error))
        {
          g_warning ("Could not build snapshot bundles: %s", error->message);
          return;
        }
      g_free (after);
      after = last;
      total += built;
    }
  while (after != NULL && !bundles_stopping (self));

  if (total > 0)
    g_debug ("Built %u snapshot bundles in %.0f ms", total,
             (g_get_monotonic_time () - start) / 1000.0);
}

static gpointer
bundles_thread_cb (gpointer data)
{
  RegieServer *self = data;
  gboolean first = TRUE;

#ifdef __linux__
  /* Requests come first: on Linux the nice value is per thread. */
  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 10) != 0)
    g_debug ("Could not lower the bundle builder's priority: %s", g_strerror (errno));
#endif

  g_mutex_lock (&self->bundles_mutex);
  while (!self->bundles_stop)
    {
      gint64 deadline = g_get_monotonic_time () + BUNDLE_RECHECK_USEC;

      while (!self->bundles_pending && !self->bundles_stop)
        if (!g_cond_wait_until (&self->bundles_cond, &self->bundles_mutex, deadline))
          break;

      /* Let a burst of pushes end; the first pass after start-up need
       * not wait. */
      deadline = g_get_monotonic_time () + BUNDLE_SETTLE_USEC;
      while (!first && !self->bundles_stop)
        if (!g_cond_wait_until (&self->bundles_cond, &self->bundles_mutex, deadline))
          break;
      if (self->bundles_stop)
        break;

      first = FALSE;
      self->bundles_pending = FALSE;
      g_mutex_unlock (&self->bundles_mutex);
      bundles_pass (self);
      g_mutex_lock (&self->bundles_mutex);
    }
  g_mutex_unlock (&self->bundles_mutex);

  return NULL;
}

static void
bundles_start (RegieServer *self)
{
  g_autoptr(GError) error = NULL;

  if (self->bundles_thread != NULL)
    return;

  self->bundles_stop = FALSE;
  self->bundles_pending = TRUE;
  self->bundles_thread = g_thread_try_new ("regie-bundles", bundles_thread_cb, self, &error);
  if (self->bundles_thread == NULL)
    g_warning ("Could not start the snapshot bundle builder: %s", error->message);
}

/* Waits for the batch in progress to finish its transaction. */
static void
bundles_stop (RegieServer *self)
{
  if (self->bundles_thread == NULL)
    return;

  g_mutex_lock (&self->bundles_mutex);
  self->bundles_stop = TRUE;
  g_cond_signal (&self->bundles_cond);
  g_mutex_unlock (&self->bundles_mutex);

  g_clear_pointer (&self->bundles_thread, g_thread_join);
}

/* Workers */

static char *
login_response_new (const char            *token,
                    const RegieServerUser *user)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "user");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, user->username);
  json_builder_set_member_name (builder, "display_name");
  json_builder_add_string_value (builder, user->display_name);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, regie_role_to_string (user->role));
  json_builder_set_member_name (builder, "team");
  if (user->team != NULL)
    json_builder_add_string_value (builder, user->team);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

static gboolean
handle_session (RegieServer  *self,
                Request      *request,
                GError      **error)
{
  g_autoptr(RegieServerUser) user = NULL;
  g_autofree char *password_hash = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  guint64 revocations;
  gint64 now;

  /* Again here: attempts sent in parallel all passed the check in
   * route_session before any of them failed. */
  now = g_get_real_time ();
  request->retry_after = MAX (regie_server_throttle_check (self->address_throttle,
                                                           request->address, now),
                              regie_server_throttle_check (self->account_throttle,
                                                           request->username, now));
  if (request->retry_after > 0)
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_AUTH, "throttled");
      return FALSE;
    }

  if (!regie_server_db_lookup_login (self->db, request->username, &user, &password_hash, error))
    return FALSE;

  /* An unknown user costs the same hashing time as a wrong password. */
  if (!regie_password_verify (request->password, password_hash) || user == NULL)
    {
      now = g_get_real_time ();
      regie_server_throttle_fail (self->account_throttle, request->username, now);
      regie_server_throttle_fail (self->address_throttle, request->address, now);
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_AUTH,
                           "wrong user name or password");
      return FALSE;
    }

  regie_server_throttle_reset (self->account_throttle, request->username);

  if ((token = regie_session_token_new (error)) == NULL)
    return FALSE;
  token_hash = regie_session_token_hash (token);

  now = g_get_real_time ();
  user->expires_at = now + self->session_seconds * G_USEC_PER_SEC;
  user->device_id = g_strdup (request->device_id);
  revocations = token_cache_get_revocations (self);
  if (!regie_server_db_insert_session (self->db, token_hash, user->username,
                                       request->device_id, request->device_name,
                                       now, user->expires_at, &request->revoked, error))
    return FALSE;

  if (request->revoked)
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_AUTH, "this device was revoked");
      return FALSE;
    }

  token_cache_insert (self, token_hash, user, revocations);

  request->lease = TRUE;
  request->content_type = CONTENT_TYPE_JSON;
  request->response = login_response_new (token, user);
  request->response_len = strlen (request->response);

  return TRUE;
}

static gboolean
handle_sign_out (RegieServer  *self,
                 Request      *request,
                 GError      **error)
{
  g_autoptr(RegieServerUser) user = NULL;

  if ((user = authenticate (self, request, error)) == NULL)
    return FALSE;

  /* The cache first: from here on the token opens nothing. */
  token_cache_remove (self, request->token_hash);
  if (!regie_server_db_delete_session (self->db, request->token_hash, user, error))
    return FALSE;

  request->status = SOUP_STATUS_NO_CONTENT;
  return TRUE;
}

static gboolean
password_acceptable (const char  *password,
                     GError     **error)
{
  if (strlen (password) > MAX_PASSWORD_BYTES || !g_utf8_validate (password, -1, NULL))
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                   "the new password must be valid UTF-8 of at most %d bytes",
                   MAX_PASSWORD_BYTES);
      return FALSE;
    }

  if (g_utf8_strlen (password, -1) < MIN_PASSWORD_CHARS)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                   "the new password must have at least %d characters", MIN_PASSWORD_CHARS);
      return FALSE;
    }

  return TRUE;
}

static gboolean
handle_password (RegieServer  *self,
                 Request      *request,
                 GError      **error)
{
  g_autoptr(RegieServerUser) user = NULL;
  g_autoptr(RegieServerUser) login_user = NULL;
  g_autofree char *password_hash = NULL;
  g_autofree char *new_hash = NULL;
  gint64 now;

  if ((user = authenticate (self, request, error)) == NULL)
    return FALSE;

  /* A stolen token must not become a way to guess the password. */
  now = g_get_real_time ();
  request->retry_after = regie_server_throttle_check (self->account_throttle, user->username, now);
  if (request->retry_after > 0)
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_AUTH, "throttled");
      return FALSE;
    }

  if (!password_acceptable (request->new_password, error))
    return FALSE;

  if (!regie_server_db_lookup_login (self->db, user->username, &login_user, &password_hash,
                                     error))
    return FALSE;

  if (!regie_password_verify (request->password, password_hash) || login_user == NULL)
    {
      regie_server_throttle_fail (self->account_throttle, user->username, now);
      regie_server_throttle_fail (self->address_throttle, request->address, now);
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_FORBIDDEN,
                           "the current password is wrong");
      return FALSE;
    }

  if ((new_hash = regie_password_hash (request->new_password, error)) == NULL)
    return FALSE;

  if (!regie_server_db_set_password (self->db, user->username, new_hash, request->token_hash,
                                     user->device_id, error))
    return FALSE;

  /* Whoever else held a token of this user loses it now. */
  token_cache_revoke_user (self, user->username, request->token_hash);
  regie_server_throttle_reset (self->account_throttle, user->username);

  request->status = SOUP_STATUS_NO_CONTENT;
  return TRUE;
}

static gboolean
require_beheerder (const RegieServerUser  *user,
                   GError                **error)
{
  if (user->role == REGIE_ROLE_BEHEERDER)
    return TRUE;

  g_set_error (error, REGIE_ERROR, REGIE_ERROR_FORBIDDEN,
               "the role %s may not manage accounts", regie_role_to_string (user->role));
  return FALSE;
}

static char *
users_response_new (GPtrArray *users)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "users");
  json_builder_begin_array (builder);
  for (guint i = 0; i < users->len; i++)
    {
      const RegieServerUser *user = g_ptr_array_index (users, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "username");
      json_builder_add_string_value (builder, user->username);
      json_builder_set_member_name (builder, "display_name");
      json_builder_add_string_value (builder, user->display_name);
      json_builder_set_member_name (builder, "role");
      json_builder_add_string_value (builder, regie_role_to_string (user->role));
      json_builder_set_member_name (builder, "team");
      if (user->team != NULL)
        json_builder_add_string_value (builder, user->team);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "disabled");
      json_builder_add_boolean_value (builder, user->disabled);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return regie_json_to_string (root);
}

static gboolean
handle_users (RegieServer  *self,
              Request      *request,
              GError      **error)
{
  g_autoptr(RegieServerUser) user = NULL;
  g_autoptr(GPtrArray) users = NULL;

  if ((user = authenticate (self, request, error)) == NULL ||
      !require_beheerder (user, error) ||
      (users = regie_server_db_list_users (self->db, error)) == NULL)
    return FALSE;

  request->content_type = CONTENT_TYPE_JSON;
  request->response = users_response_new (users);
  request->response_len = strlen (request->response);

  return TRUE;
}

static gboolean
handle_user_state (RegieServer  *self,
                   Request      *request,
                   GError      **error)
{
  g_autoptr(RegieServerUser) user = NULL;
  gboolean found = FALSE;

  if ((user = authenticate (self, request, error)) == NULL ||
      !require_beheerder (user, error))
    return FALSE;

  /* The last beheerder could otherwise lock everyone out. */
  if (request->disable && g_strcmp0 (request->username, user->username) == 0)
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                           "a beheerder cannot disable their own account");
      return FALSE;
    }

  if (!regie_server_db_set_user_disabled (self->db, user, request->username, request->disable,
                                          &found, error))
    return FALSE;

  if (!found)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_NOT_FOUND,
                   "there is no user %s", request->username);
      return FALSE;
    }

  if (request->disable)
    token_cache_revoke_user (self, request->username, NULL);

  request->status = SOUP_STATUS_NO_CONTENT;
  return TRUE;
}

/* Collects dossiers (distinct) and field classes for one log entry. */
typedef struct
{
  GHashTable *dossiers;
  GPtrArray  *ids;
  guint       classes;   /* bit per RegieFieldClass */
} AuditScope;

static void
audit_scope_init (AuditScope *scope)
{
  scope->dossiers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  scope->ids = g_ptr_array_new ();
  scope->classes = 0;
}

static void
audit_scope_clear (AuditScope *scope)
{
  g_clear_pointer (&scope->ids, g_ptr_array_unref);
  g_clear_pointer (&scope->dossiers, g_hash_table_unref);
}

static void
audit_scope_add (AuditScope      *scope,
                 const char      *dossier_id,
                 gssize           len,
                 RegieRecordKind  kind)
{
  char *id = len < 0 ? g_strdup (dossier_id) : g_strndup (dossier_id, (gsize) len);

  scope->classes |= 1u << regie_kind_spec_get (kind)->field_class;
  /* g_hash_table_add would free the old key, still in ids. */
  if (g_hash_table_contains (scope->dossiers, id))
    {
      g_free (id);
      return;
    }
  g_hash_table_add (scope->dossiers, id);
  g_ptr_array_add (scope->ids, id);
}

static char *
audit_scope_classes (const AuditScope *scope)
{
  GString *out = g_string_new (NULL);

  for (int i = 0; i < REGIE_N_FIELD_CLASSES; i++)
    if (scope->classes & (1u << i))
      {
        if (out->len > 0)
          g_string_append_c (out, ',');
        g_string_append (out, regie_field_class_to_string ((RegieFieldClass) i));
      }

  return g_string_free (out, FALSE);
}

static gboolean
audit_scope_log (RegieServer           *self,
                 const AuditScope      *scope,
                 const RegieServerUser *user,
                 const char            *action,
                 const char            *detail,
                 GError               **error)
{
  g_autofree char *classes = NULL;
  RegieAuditEntry entry = { 0 };

  if (scope->ids->len == 0)
    return TRUE;

  classes = audit_scope_classes (scope);
  entry.username = user->username;
  entry.device = user->device_id;
  entry.action = action;
  entry.field_classes = classes;
  entry.detail = detail;
  entry.dossier_ids = (const char * const *) scope->ids->pdata;
  entry.n_dossiers = scope->ids->len;

  return regie_server_db_audit (self->db, &entry, error);
}

/* One log entry per pull page: the dossiers whose records were sent. The
 * page leaves only once the entry is committed. */
static gboolean
audit_pull (RegieServer           *self,
            const RegieServerUser *user,
            const GString         *page,
            GError               **error)
{
  RegiePullReader reader;
  RegieChangeView change;
  AuditScope scope;
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  audit_scope_init (&scope);
  regie_pull_reader_init (&reader, page->str, page->len);
  while (regie_pull_reader_next (&reader, &change, &local_error))
    audit_scope_add (&scope, change.dossier_id, (gssize) change.dossier_id_len, change.kind);

  if (local_error != NULL)
    {
      /* Our own page: cannot happen; refuse rather than send unlogged. */
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_SERVER, "pull page unreadable for the log: %s",
                   local_error->message);
      audit_scope_clear (&scope);
      return FALSE;
    }

  ok = audit_scope_log (self, &scope, user, "read", NULL, error);
  audit_scope_clear (&scope);
  return ok;
}

static gboolean
handle_push (RegieServer  *self,
             Request      *request,
             GError      **error)
{
  g_autoptr(RegieServerUser) user = NULL;
  g_autoptr(GPtrArray) mutations = NULL;
  g_autoptr(GPtrArray) results = NULL;
  gsize len = 0;
  const char *data;

  if ((user = authenticate (self, request, error)) == NULL)
    return FALSE;

  data = g_bytes_get_data (request->body, &len);
  mutations = regie_push_request_parse (data != NULL ? data : "", len, error);
  if (mutations == NULL)
    return FALSE;

  if (!regie_server_db_check_not_purged (self->db, mutations, error))
    return FALSE;

  /* Written, and logged in the processing log, in one transaction. */
  results = regie_server_db_push (self->db, user, mutations, error);
  if (results == NULL)
    return FALSE;

  /* The bundles of the dossiers written went with the write. */
  for (guint i = 0; i < results->len; i++)
    if (((RegiePushResult *) g_ptr_array_index (results, i))->status == REGIE_PUSH_APPLIED)
      {
        bundles_wake (self);
        break;
      }

  request->lease = TRUE;

  request->content_type = CONTENT_TYPE_JSON;
  request->response = regie_push_response_serialize (results);
  request->response_len = strlen (request->response);

  return TRUE;
}

static gboolean
handle_pull (RegieServer  *self,
             Request      *request,
             GError      **error)
{
  g_autoptr(RegieServerUser) user = NULL;
  GString *page;

  if ((user = authenticate (self, request, error)) == NULL)
    return FALSE;

  page = g_string_sized_new (4096);
  if (!regie_server_db_pull (self->db, user, request->cursor, request->limit, page, error) ||
      !audit_pull (self, user, page, error))
    {
      g_string_free (page, TRUE);
      return FALSE;
    }

  request->lease = TRUE;

  request->content_type = CONTENT_TYPE_CHANGES;
  request->response_len = page->len;
  request->response = g_string_free (page, FALSE);

  return TRUE;
}

static gboolean
handle_snapshot (RegieServer  *self,
                 Request      *request,
                 GError      **error)
{
  g_autoptr(RegieServerUser) user = NULL;

  if ((user = authenticate (self, request, error)) == NULL)
    return FALSE;

  /* Logged in the processing log before it is returned. */
  request->response_bytes = regie_server_db_snapshot (self->db, user, request->after,
                                                      request->limit, error);
  if (request->response_bytes == NULL)
    return FALSE;

  request->lease = TRUE;
  request->content_type = REGIE_SNAPSHOT_CONTENT_TYPE;

  return TRUE;
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       usec)
{
  json_builder_set_member_name (builder, name);
  if (usec == 0)
    json_builder_add_null_value (builder);
  else
    {
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
      g_autofree char *text = g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");

      json_builder_add_string_value (builder, text);
    }
}

static char *
devices_response_new (GPtrArray *devices)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "devices");
  json_builder_begin_array (builder);
  for (guint i = 0; i < devices->len; i++)
    {
      const RegieServerDevice *device = g_ptr_array_index (devices, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, device->id);
      json_builder_set_member_name (builder, "username");
      json_builder_add_string_value (builder, device->username);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, device->name);
      add_time (builder, "first_seen", device->first_seen);
      add_time (builder, "last_seen", device->last_seen);
      add_time (builder, "revoked_at", device->revoked_at);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return regie_json_to_string (root);
}

static gboolean
handle_devices (RegieServer  *self,
                Request      *request,
                GError      **error)
{
  g_autoptr(RegieServerUser) user = NULL;
  g_autoptr(GPtrArray) devices = NULL;

  if ((user = authenticate (self, request, error)) == NULL ||
      !require_beheerder (user, error) ||
      (devices = regie_server_db_list_devices (self->db, error)) == NULL)
    return FALSE;

  request->content_type = CONTENT_TYPE_JSON;
  request->response = devices_response_new (devices);
  request->response_len = strlen (request->response);

  return TRUE;
}

static gboolean
handle_device_revoke (RegieServer  *self,
                      Request      *request,
                      GError      **error)
{
  g_autoptr(RegieServerUser) user = NULL;
  gboolean found = FALSE;

  if ((user = authenticate (self, request, error)) == NULL ||
      !require_beheerder (user, error))
    return FALSE;

  /* The cache first: from here on the device's tokens go to the database,
   * which answers "revoked". */
  token_cache_revoke_device (self, request->target);
  if (!regie_server_db_revoke_device (self->db, user, request->target, g_get_real_time (),
                                      &found, error))
    return FALSE;

  if (!found)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_NOT_FOUND,
                   "there is no device %s", request->target);
      return FALSE;
    }

  request->status = SOUP_STATUS_NO_CONTENT;
  return TRUE;
}

static gboolean
handle_access_log (RegieServer  *self,
                   Request      *request,
                   GError      **error)
{
  g_autoptr(RegieServerUser) user = NULL;
  g_autoptr(JsonNode) root = NULL;

  if ((user = authenticate (self, request, error)) == NULL ||
      (root = regie_server_db_access_log (self->db, user, request->target, request->limit,
                                          error)) == NULL)
    return FALSE;

  request->content_type = CONTENT_TYPE_JSON;
  request->response = regie_json_to_string (root);
  request->response_len = strlen (request->response);

  return TRUE;
}

static gboolean
handle_record_history (RegieServer  *self,
                       Request      *request,
                       GError      **error)
{
  g_autoptr(RegieServerUser) user = NULL;
  g_autoptr(JsonNode) root = NULL;

  if ((user = authenticate (self, request, error)) == NULL ||
      (root = regie_server_db_record_history (self->db, user, request->target, error)) == NULL)
    return FALSE;

  request->content_type = CONTENT_TYPE_JSON;
  request->response = regie_json_to_string (root);
  request->response_len = strlen (request->response);

  return TRUE;
}

/* regie_settings_to_json plus the version, as one object. */
static char *
settings_response_new (const RegieSettings *settings,
                       gint64               version)
{
  g_autoptr(JsonNode) base = regie_settings_to_json (settings);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_builder_begin_object (builder);
  json_object_iter_init (&iter, json_node_get_object (base));
  while (json_object_iter_next (&iter, &name, &value))
    {
      json_builder_set_member_name (builder, name);
      json_builder_add_value (builder, json_node_copy (value));
    }
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, version);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return regie_json_to_string (root);
}

/* A member is given with a valid value, or left out and then takes its
 * default: `null` is neither, and is refused rather than read as either
 * (docs/protocol.md). */
static gboolean
settings_without_null (JsonNode  *root,
                       GError   **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return TRUE;   /* regie_settings_from_json() says what is wrong */

  json_object_iter_init (&iter, json_node_get_object (root));
  while (json_object_iter_next (&iter, &name, &value))
    if (JSON_NODE_HOLDS_NULL (value))
      {
        g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                     "settings: \"%s\" is null; give it a valid value, or leave it out "
                     "to use its default", name);
        return FALSE;
      }

  return TRUE;
}

static gboolean
handle_settings (RegieServer  *self,
                 Request      *request,
                 GError      **error)
{
  g_autoptr(RegieServerUser) user = NULL;
  RegieSettings settings;
  gint64 version = 0;

  if ((user = authenticate (self, request, error)) == NULL)
    return FALSE;

  if (request->write)
    {
      g_autoptr(JsonNode) root = NULL;
      gsize len = 0;
      const char *data;

      if (user->role != REGIE_ROLE_BEHEERDER)
        {
          g_set_error (error, REGIE_ERROR, REGIE_ERROR_FORBIDDEN,
                       "the role %s may not change the municipal settings",
                       regie_role_to_string (user->role));
          return FALSE;
        }

      /* PUT replaces: members left out take their defaults. Everything
       * is checked before anything is written. */
      data = g_bytes_get_data (request->body, &len);
      regie_settings_init_defaults (&settings);
      if (!(root = regie_json_parse (data != NULL ? data : "", len, error)) ||
          !settings_without_null (root, error) ||
          !regie_settings_from_json (&settings, root, error) ||
          !regie_server_db_set_settings (self->db, &settings, &version, error))
        return FALSE;
    }
  else if (!regie_server_db_get_settings (self->db, &settings, &version, error))
    return FALSE;

  g_atomic_int_set (&self->settings_version, (int) version);
  request->content_type = CONTENT_TYPE_JSON;
  request->response = settings_response_new (&settings, version);
  request->response_len = strlen (request->response);

  return TRUE;
}

static void
request_thread_cb (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  RegieServer *self = source_object;
  Request *request = task_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = FALSE;

  switch (request->endpoint)
    {
    case ENDPOINT_SESSION:
      ok = handle_session (self, request, &error);
      break;
    case ENDPOINT_SIGN_OUT:
      ok = handle_sign_out (self, request, &error);
      break;
    case ENDPOINT_PASSWORD:
      ok = handle_password (self, request, &error);
      break;
    case ENDPOINT_USERS:
      ok = handle_users (self, request, &error);
      break;
    case ENDPOINT_USER_STATE:
      ok = handle_user_state (self, request, &error);
      break;
    case ENDPOINT_PUSH:
      ok = handle_push (self, request, &error);
      break;
    case ENDPOINT_PULL:
      ok = handle_pull (self, request, &error);
      break;
    case ENDPOINT_SNAPSHOT:
      ok = handle_snapshot (self, request, &error);
      break;
    case ENDPOINT_SETTINGS:
      ok = handle_settings (self, request, &error);
      break;
    case ENDPOINT_DEVICES:
      ok = handle_devices (self, request, &error);
      break;
    case ENDPOINT_DEVICE_REVOKE:
      ok = handle_device_revoke (self, request, &error);
      break;
    case ENDPOINT_ACCESS_LOG:
      ok = handle_access_log (self, request, &error);
      break;
    case ENDPOINT_RECORD_HISTORY:
      ok = handle_record_history (self, request, &error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
request_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  RegieServer *self = REGIE_SERVER (object);
  Request *request = g_task_get_task_data (G_TASK (result));
  Listener *listener = request->listener;
  g_autoptr(GError) error = NULL;

  /* In the listener's thread: g_task_new() in dispatch() took its
   * context. */
  g_assert (listener->in_flight > 0);
  listener->in_flight--;
  if (listener->stopping && listener->in_flight == 0 && listener->loop != NULL)
    g_main_loop_quit (listener->loop);

  /* The client may have gone while the worker ran. */
  if (request->finished)
    {
      g_debug ("Client left before the answer was ready");
      return;
    }

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (request->retry_after > 0)
        respond_throttled (request->msg, request->retry_after);
      else if (request->revoked)
        respond_revoked (request->msg);
      else
        set_error_response (request->msg, error);
    }
  else
    {
      soup_server_message_set_status (request->msg,
                                      request->status != 0 ? request->status : SOUP_STATUS_OK,
                                      NULL);
      if (request->lease)
        {
          set_lease_header (self, request->msg);
          set_settings_version_header (self, request->msg);
          set_epoch_header (self, request->msg);
        }
      if (request->response_bytes != NULL)
        {
          /* Megabytes: handed to the body as they are, not copied. */
          soup_message_headers_set_content_type (soup_server_message_get_response_headers (request->msg),
                                                 request->content_type, NULL);
          soup_message_body_truncate (soup_server_message_get_response_body (request->msg));
          soup_message_body_append_bytes (soup_server_message_get_response_body (request->msg),
                                          request->response_bytes);
          g_clear_pointer (&request->response_bytes, g_bytes_unref);
        }
      else if (request->content_type != NULL)
        soup_server_message_set_response (request->msg, request->content_type, SOUP_MEMORY_TAKE,
                                          g_steal_pointer (&request->response),
                                          request->response_len);
    }

  soup_server_message_unpause (request->msg);
}

static void
message_finished_cb (SoupServerMessage *msg,
                     gpointer           user_data)
{
  Request *request = user_data;

  request->finished = TRUE;
}

static void
dispatch (RegieServer       *self,
          SoupServerMessage *msg,
          Request           *request)   /* takes */
{
  g_autoptr(GTask) task = NULL;

  request->server = g_object_ref (self);
  request->msg = g_object_ref (msg);
  request->finished_id = g_signal_connect (msg, "finished",
                                           G_CALLBACK (message_finished_cb), request);

  soup_server_message_pause (msg);
  request->listener = current_listener (self);
  request->listener->in_flight++;

  /* Completes on the thread-default context: the listener's. */
  task = g_task_new (self, NULL, request_done_cb, NULL);
  g_task_set_source_tag (task, dispatch);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  g_task_run_in_thread (task, request_thread_cb);
}

/* Main-context handlers: cheap checks only. */

/* `allowed` is an Allow header value: "GET" or "GET, PUT". */
static gboolean
method_allowed (const char *method,
                const char *allowed)
{
  gsize len;

  if (method == NULL || *method == '\0')
    return FALSE;

  /* Without splitting: this runs for every request. */
  len = strlen (method);
  for (const char *p = strstr (allowed, method); p != NULL; p = strstr (p + 1, method))
    if ((p == allowed || p[-1] == ' ') && (p[len] == ',' || p[len] == '\0'))
      return TRUE;

  return FALSE;
}

static char *
bearer_token_hash (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  /* get_list: two Authorization headers make no token. */
  const char *auth = soup_message_headers_get_list (headers, "Authorization");

  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0)
    return NULL;

  auth += 7;
  while (*auth == ' ')
    auth++;
  if (strlen (auth) != 64)
    return NULL;

  return regie_session_token_hash (auth);
}

static gboolean
body_within (SoupServerMessage *msg,
             gsize              limit,
             GBytes           **out_body)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);

  if (g_bytes_get_size (bytes) > limit)
    {
      respond_error (msg, REGIE_ERROR_TOO_LARGE,
                     "the request body is over the limit of %" G_GSIZE_FORMAT " bytes", limit);
      return FALSE;
    }

  if (out_body != NULL)
    *out_body = g_steal_pointer (&bytes);

  return TRUE;
}

/* A device name shows in the beheerder's list: printable text only, no
 * control or bidi-override characters that could disguise it. */
static gboolean
device_name_acceptable (const char *name)
{
  gsize len = strlen (name);

  if (len == 0 || len > 200 || !g_utf8_validate (name, (gssize) len, NULL))
    return FALSE;

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || (c >= 0x202A && c <= 0x202E) ||
          (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F ||
          c == 0xFEFF || c == 0x061C)
        return FALSE;
    }

  return TRUE;
}

static void
route_session (RegieServer       *self,
               SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Request) request = NULL;
  JsonObject *object;
  JsonNode *username;
  JsonNode *password;
  JsonNode *device_id;
  JsonNode *device_name;
  const char *address = soup_server_message_get_remote_host (msg);
  gint64 now = g_get_real_time ();
  gint64 wait;
  gsize len;
  const char *data;

  if (address == NULL)
    address = "unknown";

  if (!body_within (msg, REGIE_MAX_LOGIN_BYTES, &body))
    return;

  data = g_bytes_get_data (body, &len);
  root = regie_json_parse (data != NULL ? data : "", len, &error);
  if (root == NULL)
    {
      set_error_response (msg, error);
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      respond_error (msg, REGIE_ERROR_PARSE, "the request is not a JSON object");
      return;
    }

  object = json_node_get_object (root);
  username = json_object_get_member (object, "username");
  password = json_object_get_member (object, "password");
  if (username == NULL || json_node_get_value_type (username) != G_TYPE_STRING ||
      password == NULL || json_node_get_value_type (password) != G_TYPE_STRING)
    {
      respond_error (msg, REGIE_ERROR_INVALID, "username and password must be strings");
      return;
    }

  if (*json_node_get_string (username) == '\0' ||
      strlen (json_node_get_string (username)) > 200)
    {
      respond_error (msg, REGIE_ERROR_INVALID, "the username is empty or too long");
      return;
    }

  /* Optional: the device this session is bound to (docs/protocol.md). */
  device_id = json_object_get_member (object, "device_id");
  device_name = json_object_get_member (object, "device_name");
  if (device_id != NULL &&
      (json_node_get_value_type (device_id) != G_TYPE_STRING ||
       !regie_uuid_is_valid (json_node_get_string (device_id))))
    {
      respond_error (msg, REGIE_ERROR_INVALID, "device_id must be a UUID string");
      return;
    }
  if (device_name != NULL &&
      (device_id == NULL || json_node_get_value_type (device_name) != G_TYPE_STRING ||
       !device_name_acceptable (json_node_get_string (device_name))))
    {
      respond_error (msg, REGIE_ERROR_INVALID,
                     "device_name must be printable text of 1 to 200 bytes, with a device_id");
      return;
    }

  /* Refused before the password is looked at, even a right one. */
  wait = MAX (regie_server_throttle_check (self->address_throttle, address, now),
              regie_server_throttle_check (self->account_throttle,
                                           json_node_get_string (username), now));
  if (wait > 0)
    {
      respond_throttled (msg, wait);
      return;
    }

  request = g_new0 (Request, 1);
  request->endpoint = ENDPOINT_SESSION;
  request->username = g_strdup (json_node_get_string (username));
  request->password = g_strdup (json_node_get_string (password));
  request->address = g_strdup (address);
  if (device_id != NULL)
    {
      request->device_id = g_ascii_strdown (json_node_get_string (device_id), -1);
      request->device_name = g_strdup (device_name != NULL ? json_node_get_string (device_name)
                                                           : "");
    }
  dispatch (self, msg, g_steal_pointer (&request));
}

/* Requests that need a token and carry no body of interest. */
static void
route_authenticated (RegieServer       *self,
                     SoupServerMessage *msg,
                     Endpoint           endpoint,
                     const char        *username,
                     gboolean           disable)
{
  g_autoptr(Request) request = g_new0 (Request, 1);

  request->endpoint = endpoint;
  request->token_hash = bearer_token_hash (msg);
  if (request->token_hash == NULL)
    {
      respond_error (msg, REGIE_ERROR_AUTH, "not signed in");
      return;
    }
  request->user = token_cache_lookup (self, request->token_hash);
  request->username = g_strdup (username);
  request->disable = disable;

  dispatch (self, msg, g_steal_pointer (&request));
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static void
route_password (RegieServer       *self,
                SoupServerMessage *msg)
{
  g_autoptr(Request) request = g_new0 (Request, 1);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  const char *current;
  const char *new_password;
  const char *address = soup_server_message_get_remote_host (msg);
  const char *data;
  gsize len;

  request->endpoint = ENDPOINT_PASSWORD;
  request->token_hash = bearer_token_hash (msg);
  if (request->token_hash == NULL)
    {
      respond_error (msg, REGIE_ERROR_AUTH, "not signed in");
      return;
    }

  if (!body_within (msg, REGIE_MAX_LOGIN_BYTES, &request->body))
    return;

  data = g_bytes_get_data (request->body, &len);
  root = regie_json_parse (data != NULL ? data : "", len, &error);
  if (root == NULL)
    {
      set_error_response (msg, error);
      return;
    }

  current = JSON_NODE_HOLDS_OBJECT (root)
    ? string_member (json_node_get_object (root), "current_password") : NULL;
  new_password = JSON_NODE_HOLDS_OBJECT (root)
    ? string_member (json_node_get_object (root), "new_password") : NULL;
  if (current == NULL || new_password == NULL)
    {
      respond_error (msg, REGIE_ERROR_INVALID,
                     "current_password and new_password must be strings");
      return;
    }

  request->user = token_cache_lookup (self, request->token_hash);
  request->password = g_strdup (current);
  request->new_password = g_strdup (new_password);
  request->address = g_strdup (address != NULL ? address : "unknown");
  g_clear_pointer (&request->body, g_bytes_unref);

  dispatch (self, msg, g_steal_pointer (&request));
}

/* /api/v1/admin/users/NAME/disable or …/enable */
static gboolean
parse_user_state_path (const char  *path,
                       char       **out_username,
                       gboolean    *out_disable)
{
  g_autofree char *name = NULL;
  const char *rest = path + strlen (PATH_USERS "/");
  const char *slash = strchr (rest, '/');

  if (slash == NULL || slash == rest)
    return FALSE;

  if (g_strcmp0 (slash, "/disable") == 0)
    *out_disable = TRUE;
  else if (g_strcmp0 (slash, "/enable") == 0)
    *out_disable = FALSE;
  else
    return FALSE;

  name = g_uri_unescape_segment (rest, slash, "/");
  if (name == NULL || *name == '\0' || strlen (name) > 200 || !g_utf8_validate (name, -1, NULL))
    return FALSE;

  *out_username = g_steal_pointer (&name);
  return TRUE;
}

static void
route_push (RegieServer       *self,
            SoupServerMessage *msg)
{
  g_autoptr(Request) request = g_new0 (Request, 1);

  request->endpoint = ENDPOINT_PUSH;
  request->token_hash = bearer_token_hash (msg);
  if (request->token_hash == NULL)
    {
      respond_error (msg, REGIE_ERROR_AUTH, "not signed in");
      return;
    }
  request->user = token_cache_lookup (self, request->token_hash);

  if (!body_within (msg, REGIE_MAX_PUSH_BYTES, &request->body))
    return;

  dispatch (self, msg, g_steal_pointer (&request));
}

static gboolean
parse_query_int (GHashTable  *query,
                 const char  *name,
                 gint64       min,
                 gint64       max,
                 gint64       fallback,
                 gint64      *out_value,
                 GError     **error)
{
  const char *str = query != NULL ? g_hash_table_lookup (query, name) : NULL;
  guint64 value;

  if (str == NULL)
    {
      *out_value = fallback;
      return TRUE;
    }

  /* Digits only: no sign, no spaces, no hex. */
  if (*str == '\0' || strspn (str, "0123456789") != strlen (str) ||
      !g_ascii_string_to_unsigned (str, 10, (guint64) min, (guint64) max, &value, NULL))
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                   "%s must be a whole number from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                   name, min, max);
      return FALSE;
    }

  *out_value = (gint64) value;
  return TRUE;
}

/* A client may send the epoch its copy belongs to. When it is not this
 * database's (restored or replaced), answers 410 and returns TRUE: only a
 * full resync is safe. The header is optional: clients from before
 * epochs send none. */
static gboolean
refuse_other_epoch (RegieServer       *self,
                    SoupServerMessage *msg)
{
  const char *client_epoch;

  client_epoch = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                REGIE_DATABASE_EPOCH_HEADER);
  if (client_epoch == NULL || strcmp (client_epoch, regie_server_db_get_epoch (self->db)) == 0)
    return FALSE;

  set_epoch_header (self, msg);
  respond_error (msg, REGIE_ERROR_GONE,
                 "the database was restored from an older copy (its epoch changed); "
                 "resync, and send the edits it acknowledged under the old epoch again");
  return TRUE;
}

static void
route_pull (RegieServer       *self,
            SoupServerMessage *msg,
            GHashTable        *query)
{
  g_autoptr(Request) request = g_new0 (Request, 1);
  g_autoptr(GError) error = NULL;
  gint64 cursor;
  gint64 limit;
  gint64 max_seq;

  request->endpoint = ENDPOINT_PULL;
  request->token_hash = bearer_token_hash (msg);
  if (request->token_hash == NULL)
    {
      respond_error (msg, REGIE_ERROR_AUTH, "not signed in");
      return;
    }

  if (!parse_query_int (query, "cursor", 0, G_MAXINT64, 0, &cursor, &error) ||
      !parse_query_int (query, "limit", 1, REGIE_PULL_MAX_LIMIT, REGIE_PULL_DEFAULT_LIMIT,
                        &limit, &error))
    {
      set_error_response (msg, error);
      return;
    }

  request->cursor = cursor;
  request->limit = (unsigned) limit;

  max_seq = regie_server_db_get_max_seq (self->db);

  /* A cursor of another epoch, or from the future, was made by another
   * database (restored or replaced). */
  if (refuse_other_epoch (self, msg))
    return;
  if (cursor > max_seq)
    {
      set_epoch_header (self, msg);
      respond_error (msg, REGIE_ERROR_GONE,
                     "cursor %" G_GINT64_FORMAT " is unknown to this server; resync",
                     cursor);
      return;
    }

  /* The no-op pull: nothing newer anywhere, answered from memory (the
   * hot path under load: no copy of the user, no worker). */
  if (cursor == max_seq && token_cache_has_valid (self, request->token_hash))
    {
      GString *page = g_string_sized_new (32);

      regie_pull_page_append_end (page, cursor, FALSE);
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      set_lease_header (self, msg);
      set_settings_version_header (self, msg);
      set_epoch_header (self, msg);
      soup_server_message_set_response (msg, CONTENT_TYPE_CHANGES, SOUP_MEMORY_TAKE,
                                        page->str, page->len);
      g_string_free (page, FALSE);
      return;
    }

  /* Where the changes end now: lets a client show how far a long pull
   * has come (cursors are positions in one sequence). */
  {
    char head[24];

    g_snprintf (head, sizeof head, "%" G_GINT64_FORMAT, max_seq);
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  REGIE_PULL_HEAD_HEADER, head);
  }

  request->user = token_cache_lookup (self, request->token_hash);
  dispatch (self, msg, g_steal_pointer (&request));
}

static void
route_snapshot (RegieServer       *self,
                SoupServerMessage *msg,
                GHashTable        *query)
{
  g_autoptr(Request) request = g_new0 (Request, 1);
  g_autoptr(GError) error = NULL;
  const char *after;
  gint64 limit;

  request->endpoint = ENDPOINT_SNAPSHOT;
  request->token_hash = bearer_token_hash (msg);
  if (request->token_hash == NULL)
    {
      respond_error (msg, REGIE_ERROR_AUTH, "not signed in");
      return;
    }

  if (!parse_query_int (query, "limit", 1, REGIE_SNAPSHOT_MAX_LIMIT, REGIE_SNAPSHOT_DEFAULT_LIMIT,
                        &limit, &error))
    {
      set_error_response (msg, error);
      return;
    }
  request->limit = (unsigned) limit;

  after = query != NULL ? g_hash_table_lookup (query, "after") : NULL;
  if (after != NULL && *after != '\0' && !regie_uuid_is_valid (after))
    {
      respond_error (msg, REGIE_ERROR_INVALID,
                     "after must be a dossier id (a lower-case UUID) or empty");
      return;
    }
  request->after = g_strdup (after != NULL ? after : "");

  /* Pages of one snapshot must come from one database: pages stored
   * under another epoch are of no use. */
  if (refuse_other_epoch (self, msg))
    return;

  request->user = token_cache_lookup (self, request->token_hash);
  dispatch (self, msg, g_steal_pointer (&request));
}

static void
route_settings (RegieServer       *self,
                SoupServerMessage *msg)
{
  g_autoptr(Request) request = g_new0 (Request, 1);

  request->endpoint = ENDPOINT_SETTINGS;
  request->write = g_strcmp0 (soup_server_message_get_method (msg), SOUP_METHOD_PUT) == 0;
  request->token_hash = bearer_token_hash (msg);
  if (request->token_hash == NULL)
    {
      respond_error (msg, REGIE_ERROR_AUTH, "not signed in");
      return;
    }
  request->user = token_cache_lookup (self, request->token_hash);

  if (request->write && !body_within (msg, MAX_SETTINGS_BYTES, &request->body))
    return;

  dispatch (self, msg, g_steal_pointer (&request));
}

/* PREFIX "/ID" SUFFIX → ID (a UUID, lower case), or NULL. */
static char *
parse_id_path (const char *path,
               const char *prefix,
               const char *suffix)
{
  const char *rest;
  const char *slash;
  g_autofree char *id = NULL;

  if (!g_str_has_prefix (path, prefix) || path[strlen (prefix)] != '/')
    return NULL;
  rest = path + strlen (prefix) + 1;
  slash = strchr (rest, '/');
  if (slash == NULL || g_strcmp0 (slash, suffix) != 0)
    return NULL;

  id = g_strndup (rest, slash - rest);
  if (!regie_uuid_is_valid (id))
    return NULL;

  return g_ascii_strdown (id, -1);
}

static char *
parse_device_revoke_path (const char *path)
{
  return parse_id_path (path, PATH_DEVICES, "/revoke");
}

static char *
parse_access_log_path (const char *path)
{
  return parse_id_path (path, PATH_DOSSIERS, "/access-log");
}

static char *
parse_record_history_path (const char *path)
{
  return parse_id_path (path, PATH_RECORDS, "/history");
}

static void
route_target (RegieServer       *self,
              SoupServerMessage *msg,
              Endpoint           endpoint,
              char              *target,   /* takes */
              GHashTable        *query)
{
  g_autoptr(Request) request = g_new0 (Request, 1);
  g_autoptr(GError) error = NULL;
  gint64 limit = 0;

  request->endpoint = endpoint;
  request->target = target;
  request->token_hash = bearer_token_hash (msg);
  if (request->token_hash == NULL)
    {
      respond_error (msg, REGIE_ERROR_AUTH, "not signed in");
      return;
    }

  if (endpoint == ENDPOINT_ACCESS_LOG &&
      !parse_query_int (query, "limit", 1, ACCESS_LOG_MAX_LIMIT, ACCESS_LOG_DEFAULT_LIMIT,
                        &limit, &error))
    {
      set_error_response (msg, error);
      return;
    }
  request->limit = (unsigned) limit;
  request->user = token_cache_lookup (self, request->token_hash);

  dispatch (self, msg, g_steal_pointer (&request));
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  RegieServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *protocol;
  const char *allowed;
  g_autofree char *target_user = NULL;
  char *target = NULL;
  gboolean disable = FALSE;
  Endpoint endpoint;

  /* get_list: a repeated header reads "1, 2" and is refused. */
  protocol = soup_message_headers_get_list (headers, REGIE_PROTOCOL_HEADER);
  if (self->min_protocol > REGIE_PROTOCOL_VERSION)
    {
      respond_error (msg, REGIE_ERROR_PROTOCOL,
                     "this server requires " REGIE_PROTOCOL_HEADER " %u or later; the request has %s",
                     self->min_protocol, protocol != NULL ? protocol : "none");
      return;
    }
  if (protocol == NULL || strcmp (protocol, G_STRINGIFY (REGIE_PROTOCOL_VERSION)) != 0)
    {
      respond_error (msg, REGIE_ERROR_PROTOCOL,
                     "this server speaks " REGIE_PROTOCOL_HEADER " %d; the request has %s",
                     REGIE_PROTOCOL_VERSION, protocol != NULL ? protocol : "none");
      return;
    }

  if (g_strcmp0 (path, PATH_SESSION) == 0)
    {
      endpoint = g_strcmp0 (method, SOUP_METHOD_DELETE) == 0 ? ENDPOINT_SIGN_OUT : ENDPOINT_SESSION;
      allowed = "POST, DELETE";
    }
  else if (g_strcmp0 (path, PATH_PASSWORD) == 0)
    endpoint = ENDPOINT_PASSWORD, allowed = SOUP_METHOD_POST;
  else if (g_strcmp0 (path, PATH_USERS) == 0)
    endpoint = ENDPOINT_USERS, allowed = SOUP_METHOD_GET;
  else if (g_str_has_prefix (path, PATH_USERS "/") &&
           parse_user_state_path (path, &target_user, &disable))
    endpoint = ENDPOINT_USER_STATE, allowed = SOUP_METHOD_POST;
  else if (g_strcmp0 (path, PATH_PUSH) == 0)
    endpoint = ENDPOINT_PUSH, allowed = SOUP_METHOD_POST;
  else if (g_strcmp0 (path, PATH_PULL) == 0)
    endpoint = ENDPOINT_PULL, allowed = SOUP_METHOD_GET;
  else if (g_strcmp0 (path, PATH_SNAPSHOT) == 0)
    endpoint = ENDPOINT_SNAPSHOT, allowed = SOUP_METHOD_GET;
  else if (g_strcmp0 (path, PATH_SETTINGS) == 0)
    endpoint = ENDPOINT_SETTINGS, allowed = "GET, PUT";
  else if (g_strcmp0 (path, PATH_DEVICES) == 0)
    endpoint = ENDPOINT_DEVICES, allowed = SOUP_METHOD_GET;
  else if (g_str_has_prefix (path, PATH_DEVICES "/") &&
           (target = parse_device_revoke_path (path)) != NULL)
    endpoint = ENDPOINT_DEVICE_REVOKE, allowed = SOUP_METHOD_POST;
  else if (g_str_has_prefix (path, PATH_DOSSIERS "/") &&
           (target = parse_access_log_path (path)) != NULL)
    endpoint = ENDPOINT_ACCESS_LOG, allowed = SOUP_METHOD_GET;
  else if (g_str_has_prefix (path, PATH_RECORDS "/") &&
           (target = parse_record_history_path (path)) != NULL)
    endpoint = ENDPOINT_RECORD_HISTORY, allowed = SOUP_METHOD_GET;
  else
    {
      respond_error (msg, REGIE_ERROR_NOT_FOUND, "no such resource: %s", path);
      return;
    }

  if (!method_allowed (method, allowed))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", allowed);
      respond_error (msg, REGIE_ERROR_INVALID, "%s needs %s, not %s", path, allowed, method);
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      g_free (target);
      return;
    }

  switch (endpoint)
    {
    case ENDPOINT_SESSION:
      route_session (self, msg);
      break;
    case ENDPOINT_SIGN_OUT:
    case ENDPOINT_USERS:
      route_authenticated (self, msg, endpoint, NULL, FALSE);
      break;
    case ENDPOINT_USER_STATE:
      route_authenticated (self, msg, endpoint, target_user, disable);
      break;
    case ENDPOINT_PASSWORD:
      route_password (self, msg);
      break;
    case ENDPOINT_PUSH:
      route_push (self, msg);
      break;
    case ENDPOINT_PULL:
      route_pull (self, msg, query);
      break;
    case ENDPOINT_SNAPSHOT:
      route_snapshot (self, msg, query);
      break;
    case ENDPOINT_SETTINGS:
      route_settings (self, msg);
      break;
    case ENDPOINT_DEVICES:
      route_authenticated (self, msg, endpoint, NULL, FALSE);
      break;
    case ENDPOINT_DEVICE_REVOKE:
    case ENDPOINT_ACCESS_LOG:
    case ENDPOINT_RECORD_HISTORY:
      route_target (self, msg, endpoint, g_steal_pointer (&target), query);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Refuses absurd bodies from the headers alone; the exact limits per
 * endpoint are checked on the whole body. */
static void
early_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_message_headers_get_content_length (headers) > HARD_BODY_LIMIT)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      respond_error (msg, REGIE_ERROR_TOO_LARGE, "the request body is far too large");
    }
}

/* libsoup answers some requests itself, before any handler of ours
 * runs, with a bare 400: a request it cannot parse (a malformed request
 * line, an invalid percent escape, a bad Host) and, right after reading
 * the headers, a path that decodes to a NUL or a ".." segment. Every 4xx
 * of this server has a JSON error body (docs/protocol.md), so each
 * request starts out with one, which got_headers_cb() and our handlers
 * replace. */
#define PLACEHOLDER_BODY \
  "{\"error\":\"invalid\",\"message\":\"the request is not valid HTTP: its request line, " \
  "path or headers could not be read\"}"

static void
got_headers_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  unsigned status = soup_server_message_get_status (msg);

  /* Connected after libsoup's own handler: a status here is libsoup's
   * refusal of the path, or an early answer of ours (early_cb). */
  if (g_object_get_qdata (G_OBJECT (msg), placeholder_quark) == NULL)
    return;

  if (status == 0)
    {
      /* An ordinary request: the handlers write the answer. */
      clear_placeholder (msg);
      return;
    }

  g_debug ("%s %s: %u refused by libsoup", soup_server_message_get_method (msg),
           g_uri_get_path (soup_server_message_get_uri (msg)), status);
  respond_error (msg, REGIE_ERROR_INVALID,
                 "the request path is not acceptable: it holds an encoded NUL, "
                 "a \"..\" segment, or the wrong scheme");
  soup_server_message_set_status (msg, status, NULL);
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  soup_server_message_set_response (msg, CONTENT_TYPE_JSON, SOUP_MEMORY_STATIC,
                                    PLACEHOLDER_BODY, strlen (PLACEHOLDER_BODY));
  g_object_set_qdata (G_OBJECT (msg), placeholder_quark, GINT_TO_POINTER (1));
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), NULL);
}

static void listeners_stop (RegieServer *self);

static void
regie_server_dispose (GObject *object)
{
  RegieServer *self = (RegieServer *) object;

  if (self->purge_source != 0)
    g_clear_handle_id (&self->purge_source, g_source_remove);
  bundles_stop (self);
  listeners_stop (self);
  g_clear_object (&self->db);
  g_clear_object (&self->certificate);

  G_OBJECT_CLASS (regie_server_parent_class)->dispose (object);
}

static void
regie_server_finalize (GObject *object)
{
  RegieServer *self = (RegieServer *) object;

  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_mutex_clear (&self->tokens_mutex);
  g_mutex_clear (&self->start_mutex);
  g_cond_clear (&self->start_cond);
  g_mutex_clear (&self->bundles_mutex);
  g_cond_clear (&self->bundles_cond);
  g_clear_pointer (&self->account_throttle, regie_server_throttle_free);
  g_clear_pointer (&self->address_throttle, regie_server_throttle_free);

  G_OBJECT_CLASS (regie_server_parent_class)->finalize (object);
}

static void
regie_server_class_init (RegieServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  placeholder_quark = g_quark_from_static_string ("regie-server-placeholder-body");

  object_class->dispose = regie_server_dispose;
  object_class->finalize = regie_server_finalize;
}

static void
regie_server_init (RegieServer *self)
{
  self->n_threads = 1;
  g_mutex_init (&self->start_mutex);
  g_cond_init (&self->start_cond);
  g_mutex_init (&self->bundles_mutex);
  g_cond_init (&self->bundles_cond);
  g_mutex_init (&self->tokens_mutex);
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) regie_server_user_free);
  self->session_seconds = REGIE_SERVER_SESSION_SECONDS;
  self->lease_days = REGIE_SERVER_LEASE_DAYS;
  self->min_protocol = REGIE_PROTOCOL_VERSION;
  self->account_throttle = regie_server_throttle_new (THROTTLE_ACCOUNT_FAILURES, THROTTLE_WINDOW,
                                                      THROTTLE_BASE_LOCKOUT, THROTTLE_MAX_LOCKOUT,
                                                      THROTTLE_MAX_ENTRIES);
  self->address_throttle = regie_server_throttle_new (THROTTLE_ADDRESS_FAILURES, THROTTLE_WINDOW,
                                                      THROTTLE_BASE_LOCKOUT, THROTTLE_MAX_LOCKOUT,
                                                      THROTTLE_MAX_ENTRIES);
}

RegieServer *
regie_server_new (RegieServerDb *db)
{
  RegieServer *self;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (db), NULL);

  self = g_object_new (REGIE_TYPE_SERVER, NULL);
  self->db = g_object_ref (db);
  {
    g_autoptr(GError) error = NULL;
    RegieSettings settings;
    gint64 version = 0;

    if (regie_server_db_get_settings (db, &settings, &version, &error))
      self->settings_version = (int) version;
    else
      g_warning ("Could not read the municipal settings: %s", error->message);
  }

  return self;
}

void
regie_server_set_threads (RegieServer *self,
                          unsigned     n_threads)
{
  g_return_if_fail (REGIE_IS_SERVER (self));
  g_return_if_fail (n_threads >= 1 && n_threads <= REGIE_SERVER_MAX_THREADS);
  g_return_if_fail (self->listeners == NULL);

  self->n_threads = n_threads;
}

void
regie_server_set_tls_certificate (RegieServer     *self,
                                  GTlsCertificate *certificate)
{
  g_return_if_fail (REGIE_IS_SERVER (self));
  g_return_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate));

  g_set_object (&self->certificate, certificate);
}

void
regie_server_set_session_lifetime (RegieServer *self,
                                   unsigned     seconds)
{
  g_return_if_fail (REGIE_IS_SERVER (self));

  self->session_seconds = seconds;
}

void
regie_server_set_device_lease_days (RegieServer *self,
                                    unsigned     days)
{
  g_return_if_fail (REGIE_IS_SERVER (self));
  g_return_if_fail (days >= 1 && days <= REGIE_SERVER_MAX_LEASE_DAYS);

  self->lease_days = days;
}

void
regie_server_set_min_protocol (RegieServer *self,
                               unsigned     version)
{
  g_return_if_fail (REGIE_IS_SERVER (self));
  g_return_if_fail (version >= 1 && version <= REGIE_SERVER_MAX_MIN_PROTOCOL);

  self->min_protocol = version;
}

/* Retention purge */

void
regie_server_today (GDate *out)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Amsterdam");
  g_autoptr(GDateTime) now = NULL;

  /* Civil dates in the Netherlands, wherever this runs. */
  if (tz == NULL)
    tz = g_time_zone_new_local ();
  now = g_date_time_new_now (tz);
  g_date_clear (out, 1);
  g_date_set_dmy (out, g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now), g_date_time_get_year (now));
}

static void
purge_thread_cb (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  RegieServer *self = source_object;
  g_autoptr(GPtrArray) purged = NULL;
  g_autoptr(GError) error = NULL;
  GDate today;

  regie_server_today (&today);
  purged = regie_server_db_purge (self->db, &today, &error);
  if (purged == NULL)
    g_warning ("Retention purge failed: %s", error->message);
  else if (purged->len > 0)
    {
      g_message ("Retention purge: %u closed dossiers purged", purged->len);
      bundles_wake (self);
    }

  g_task_return_boolean (task, TRUE);
}

static void
purge_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  RegieServer *self = REGIE_SERVER (object);

  g_assert (self->in_flight > 0);
  self->in_flight--;
}

static gboolean
purge_timeout_cb (gpointer user_data)
{
  RegieServer *self = user_data;
  g_autoptr(GTask) task = g_task_new (self, NULL, purge_done_cb, NULL);

  self->in_flight++;
  g_task_set_source_tag (task, purge_timeout_cb);
  g_task_run_in_thread (task, purge_thread_cb);

  /* Daily from now on. */
  self->purge_source = g_timeout_add_seconds (PURGE_INTERVAL_SECONDS, purge_timeout_cb, self);
  return G_SOURCE_REMOVE;
}

void
regie_server_schedule_purge (RegieServer *self)
{
  g_return_if_fail (REGIE_IS_SERVER (self));

  if (self->purge_source == 0)
    self->purge_source = g_timeout_add_seconds (PURGE_FIRST_DELAY_SECONDS, purge_timeout_cb, self);
}

static gboolean
split_address (const char  *address,
               char       **out_host,
               guint16     *out_port,
               GError     **error)
{
  g_autofree char *host = NULL;
  const char *colon;
  guint64 port;

  colon = strrchr (address, ':');
  if (colon == NULL || colon == address)
    goto bad;

  if (address[0] == '[')
    {
      if (colon[-1] != ']' || colon - address < 3)
        goto bad;
      host = g_strndup (address + 1, colon - address - 2);
    }
  else
    {
      host = g_strndup (address, colon - address);
      if (strchr (host, ':') != NULL)
        goto bad;
    }

  if (!g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    goto bad;

  *out_host = g_steal_pointer (&host);
  *out_port = (guint16) port;
  return TRUE;

bad:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "“%s” is not an address of the form HOST:PORT", address);
  return FALSE;
}

/* Listening */

/* GLib's default of 10 drops SYNs when a few hundred clients connect at
 * once, and each dropped SYN costs its client a 1 s retransmit. The
 * kernel caps it at net.core.somaxconn. */
#define LISTEN_BACKLOG 1024

static GSocket *
listen_socket_new (GSocketAddress  *address,
                   gboolean         share_port,
                   gboolean         and_listen,
                   GError         **error)
{
  GSocketFamily family = g_socket_address_get_family (address);
  g_autoptr(GSocket) socket = NULL;
  struct sockaddr_storage native;
  gssize native_len;

  socket = g_socket_new (family, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT, error);
  if (socket == NULL)
    return NULL;

  /* As soup_server_listen() does: "::1" is IPv6 only. */
  if (family == G_SOCKET_FAMILY_IPV6 &&
      !g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, error))
    return NULL;

  /* Several listeners on one port; the kernel spreads the connections.
   * Bound with bind() itself: g_socket_bind() clears SO_REUSEPORT on
   * stream sockets. SO_REUSEADDR as g_socket_bind() would set it. */
  if (!g_socket_set_option (socket, SOL_SOCKET, SO_REUSEADDR, TRUE, error) ||
      (share_port && !g_socket_set_option (socket, SOL_SOCKET, SO_REUSEPORT, TRUE, error)))
    return NULL;

  native_len = g_socket_address_get_native_size (address);
  if (native_len < 0 || (gsize) native_len > sizeof native ||
      !g_socket_address_to_native (address, &native, sizeof native, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                             "unusable socket address");
      return NULL;
    }
  if (bind (g_socket_get_fd (socket), (struct sockaddr *) &native, (socklen_t) native_len) != 0)
    {
      int saved_errno = errno;
      g_autofree char *text = g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (address));

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Error binding to address %s: %s", text, g_strerror (saved_errno));
      return NULL;
    }

  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (and_listen && !g_socket_listen (socket, error))
    return NULL;

  return g_steal_pointer (&socket);
}

/* In the thread that serves the listener, with its context the
 * thread-default: libsoup attaches its sources there. */
static gboolean
listener_serve (Listener  *listener,
                GError   **error)
{
  RegieServer *self = listener->server;
  SoupServerListenOptions options = 0;

  listener->soup = soup_server_new ("server-header", "regie-server/" PACKAGE_VERSION " ", NULL);
  soup_server_add_handler (listener->soup, NULL, server_cb, self, NULL);
  soup_server_add_early_handler (listener->soup, NULL, early_cb, self, NULL);
  g_signal_connect (listener->soup, "request-started", G_CALLBACK (request_started_cb), self);
  if (self->certificate != NULL)
    {
      soup_server_set_tls_certificate (listener->soup, self->certificate);
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }

  return soup_server_listen_socket (listener->soup, listener->socket, options, error);
}

static gpointer
listener_thread_cb (gpointer data)
{
  Listener *listener = data;
  RegieServer *self = listener->server;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_private_set (&current_listener_key, listener);
  g_main_context_push_thread_default (listener->context);

  ok = listener_serve (listener, &error);

  g_mutex_lock (&self->start_mutex);
  listener->start_error = g_steal_pointer (&error);
  listener->started = TRUE;
  g_cond_broadcast (&self->start_cond);
  g_mutex_unlock (&self->start_mutex);

  if (ok)
    g_main_loop_run (listener->loop);

  /* Its connections go with the server, in this thread. */
  g_clear_object (&listener->soup);
  while (g_main_context_iteration (listener->context, FALSE))
    ;
  g_main_context_pop_thread_default (listener->context);
  g_private_set (&current_listener_key, NULL);

  return NULL;
}

/* In the listener's thread: stop accepting, close the connections, and
 * quit once the requests on workers have come back. */
static gboolean
listener_stop_cb (gpointer data)
{
  Listener *listener = data;

  listener->stopping = TRUE;
  if (listener->soup != NULL)
    soup_server_disconnect (listener->soup);
  if (listener->in_flight == 0)
    g_main_loop_quit (listener->loop);

  return G_SOURCE_REMOVE;
}

static void
listeners_stop (RegieServer *self)
{
  Listener *current = g_private_get (&current_listener_key);

  if (self->listeners == NULL)
    return;

  /* The last reference dropped in a listener thread: joining would wait
   * for ourselves. regie_server_shutdown() comes first. */
  if (current != NULL && current->server == self)
    {
      g_critical ("RegieServer disposed in its own listener thread; call "
                  "regie_server_shutdown() first");
      return;
    }

  for (unsigned i = 0; i < self->n_listeners; i++)
    {
      Listener *listener = &self->listeners[i];

      if (listener->thread != NULL)
        {
          GSource *source = g_idle_source_new ();

          g_source_set_callback (source, listener_stop_cb, listener, NULL);
          g_source_attach (source, listener->context);
          g_source_unref (source);
        }
    }

  for (unsigned i = 0; i < self->n_listeners; i++)
    {
      Listener *listener = &self->listeners[i];

      if (listener->thread != NULL)
        g_clear_pointer (&listener->thread, g_thread_join);
      else if (listener->soup != NULL)
        {
          /* On the caller's context: workers hold the database; let each
           * finish its transaction. */
          listener->stopping = TRUE;
          soup_server_disconnect (listener->soup);
          while (listener->in_flight > 0)
            g_main_context_iteration (NULL, TRUE);
          g_clear_object (&listener->soup);
        }

      g_clear_pointer (&listener->loop, g_main_loop_unref);
      g_clear_pointer (&listener->context, g_main_context_unref);
      g_clear_object (&listener->socket);
      g_clear_error (&listener->start_error);
    }

  g_clear_pointer (&self->listeners, g_free);
  self->n_listeners = 0;
}

/* Starts a thread per listener and waits until each listens (or failed). */
static gboolean
listeners_start_threads (RegieServer  *self,
                         GError      **error)
{
  gboolean ok = TRUE;

  for (unsigned i = 0; i < self->n_listeners; i++)
    {
      Listener *listener = &self->listeners[i];
      char name[16];

      g_snprintf (name, sizeof name, "regie-listen-%u", i);
      listener->context = g_main_context_new ();
      listener->loop = g_main_loop_new (listener->context, FALSE);
      listener->thread = g_thread_try_new (name, listener_thread_cb, listener, error);
      if (listener->thread == NULL)
        {
          ok = FALSE;
          break;
        }
    }

  g_mutex_lock (&self->start_mutex);
  for (unsigned i = 0; i < self->n_listeners; i++)
    {
      Listener *listener = &self->listeners[i];

      if (listener->thread == NULL)
        break;
      while (!listener->started)
        g_cond_wait (&self->start_cond, &self->start_mutex);
      if (listener->start_error != NULL && ok)
        {
          g_propagate_error (error, g_steal_pointer (&listener->start_error));
          ok = FALSE;
        }
    }
  g_mutex_unlock (&self->start_mutex);

  return ok;
}

char *
regie_server_listen (RegieServer  *self,
                     const char   *address,
                     GError      **error)
{
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *host = NULL;
  guint16 port = 0;
  int bound_port;
  gboolean ipv6;

  g_return_val_if_fail (REGIE_IS_SERVER (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (self->listeners == NULL, NULL);

  if (!split_address (address, &host, &port, error))
    return NULL;

  socket_address = g_inet_socket_address_new_from_string (host, port);
  if (socket_address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address", host);
      return NULL;
    }

  /* BSNs and health notes never cross a network in the clear: without a
   * certificate only this machine may connect (tests, a local proxy). */
  if (self->certificate == NULL)
    {
      GInetAddress *inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (socket_address));

      if (!g_inet_address_get_is_loopback (inet))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                       "plain HTTP is only allowed on a loopback address (127.0.0.1 or ::1), "
                       "not on %s; leave out --plain-http to use TLS", host);
          return NULL;
        }
    }

  /* SO_REUSEPORT would also let us join the sockets of another process
   * of this user on the port (a second regie-server): first a bind
   * without it, which fails if anyone listens there, as a plain
   * soup_server_listen() would. */
  if (self->n_threads > 1 && port != 0)
    {
      g_autoptr(GSocket) probe = listen_socket_new (socket_address, FALSE, FALSE, error);

      if (probe == NULL)
        return NULL;
      g_socket_close (probe, NULL);
    }

  /* Every socket is bound before any listener starts, so a busy port is
   * reported here. With port 0 the first socket picks it and the others
   * share it. */
  self->n_listeners = self->n_threads;
  self->listeners = g_new0 (Listener, self->n_listeners);
  for (unsigned i = 0; i < self->n_listeners; i++)
    {
      Listener *listener = &self->listeners[i];

      listener->server = self;
      listener->socket = listen_socket_new (i == 0 ? socket_address : bound,
                                            self->n_listeners > 1, TRUE, error);
      if (listener->socket == NULL)
        goto fail;
      if (i == 0 && (bound = g_socket_get_local_address (listener->socket, error)) == NULL)
        goto fail;
    }

  if (self->n_listeners == 1)
    {
      if (!listener_serve (&self->listeners[0], error))
        goto fail;
    }
  else if (!listeners_start_threads (self, error))
    goto fail;

  /* Serving: bundles for first syncs are built from now on. */
  bundles_start (self);

  bound_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  ipv6 = strchr (host, ':') != NULL;
  return g_strdup_printf ("%s://%s%s%s:%d/", self->certificate != NULL ? "https" : "http",
                          ipv6 ? "[" : "", host, ipv6 ? "]" : "", bound_port);

fail:
  listeners_stop (self);
  return NULL;
}

void
regie_server_shutdown (RegieServer *self)
{
  g_return_if_fail (REGIE_IS_SERVER (self));

  if (self->purge_source != 0)
    g_clear_handle_id (&self->purge_source, g_source_remove);

  /* The bundle builder first: it holds a connection only per batch. */
  bundles_stop (self);

  /* Stops accepting, then waits for the requests on workers. */
  listeners_stop (self);

  /* The purge holds the database too; let it finish its transaction. */
  while (self->in_flight > 0)
    g_main_context_iteration (NULL, TRUE);
}
