/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieSync"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "regie-api-private.h"
#include "regie-error.h"
#include "regie-lease.h"
#include "regie-records.h"
#include "regie-settings.h"
#include "regie-sync-engine.h"
#include "regie-util.h"

#define PUSH_BATCH_SIZE       1000
#define PULL_PAGE_LIMIT       20000   /* the protocol's maximum; docs/performance.md */
#define DEBOUNCE_MS           1500
#define BACKOFF_MIN_SECONDS   5
#define BACKOFF_MAX_SECONDS   (5 * 60)

struct _RegieSyncEngine
{
  GObject          parent_instance;

  RegieStore      *store;
  char            *server_url;
  char            *token;
  SoupSession     *session;
  GAsyncQueue     *fetch_jobs;        /* the page fetcher's, while it runs */
  GMainContext    *context;           /* where the timers run */
  GMainContext    *blocking_context;  /* for regie_sync_engine_sync() */

  RegieSyncState   state;
  RegieSyncState   state_before_run;
  guint            pending;
  char            *last_error;
  double           progress;

  /* The running sync, if any. */
  GPtrArray       *tasks;             /* GTask waiting for it */
  GCancellable    *run_cancellable;
  guint            run_serial;        /* tells stale callbacks apart */
  guint            running : 1;
  guint            again : 1;         /* asked for while pushing was done */
  guint            in_pull : 1;
  guint            resynced : 1;
  guint            one_by_one : 1;   /* a batch was refused: find the edit */
  guint            push_total;
  guint            push_done;
  guint            pull_page_limit;   /* changes per pull page asked for */
  guint            snapshot_refused : 1;  /* the server has no snapshot for us */
  guint            snapshot_limit;    /* dossiers per snapshot page; 0: none */
  gint64           snapshot_done;     /* dossiers stored by this run's snapshot */
  gint64           pull_from;         /* cursor of this pull's first page; -1 */
  char            *settings_version;  /* the server's, from the last pull */

  gulong           store_changed_id;

  gboolean         auto_sync;
  GNetworkMonitor *monitor;
  gulong           network_changed_id;
  GSource         *debounce_source;
  GSource         *retry_source;
  guint            backoff_seconds;
};

G_DEFINE_FINAL_TYPE (RegieSyncEngine, regie_sync_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_PENDING,
  PROP_LAST_ERROR,
  PROP_PROGRESS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void push_next     (RegieSyncEngine *self);
static void start_run     (RegieSyncEngine *self);
static void snapshot_next (RegieSyncEngine *self,
                           const char      *after);
static void pull_next     (RegieSyncEngine *self,
                           gint64           cursor);
static void clear_source  (GSource        **slot);
static void stop_fetcher  (RegieSyncEngine *self);
static void schedule_sync (RegieSyncEngine *self,
                           GSource        **slot,
                           guint            delay_ms);

/* Per-task bookkeeping for joined callers with their own cancellable. */
typedef struct
{
  RegieSyncEngine *engine;
  GCancellable    *cancellable;
  gulong           handler_id;
  gboolean         late;          /* joined a run already cancelled */
} TaskData;

static void
task_data_free (TaskData *data)
{
  if (data->handler_id != 0)
    g_cancellable_disconnect (data->cancellable, data->handler_id);
  g_clear_object (&data->cancellable);
  g_free (data);
}

/* ---- state --------------------------------------------------------------- */

static void
set_state (RegieSyncEngine *self,
           RegieSyncState   state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_last_error (RegieSyncEngine *self,
                const char      *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;

  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
set_progress (RegieSyncEngine *self,
              double           progress)
{
  if (self->progress == progress)
    return;

  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

static void
update_pending (RegieSyncEngine *self)
{
  guint pending = regie_store_count_pending (self->store);

  if (pending == self->pending)
    return;

  self->pending = pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

static void
store_changed_cb (RegieStore      *store,
                  const char      *dossier_id,
                  RegieSyncEngine *self)
{
  update_pending (self);
}

/* Short, translated, and with a next step: this is what the caseworker
 * reads in the sync status. */
static const char *
describe_error (const GError *error)
{
  if (regie_api_error_is_certificate_change (error))
    return _("The server's identity has changed. Do not continue; contact your IT department.");

  if (error->domain != REGIE_ERROR)
    return _("Synchronising failed. Try again later; your changes are kept.");

  switch ((RegieError) error->code)
    {
    case REGIE_ERROR_AUTH:
      return _("Your session has expired. Sign in again.");
    case REGIE_ERROR_FORBIDDEN:
      return _("The server refused some of your changes. Ask your coordinator to check your caseload.");
    case REGIE_ERROR_PROTOCOL:
      return _("This version of Regie is too old for the server. Update Regie; your changes are kept.");
    case REGIE_ERROR_SERVER:
      return _("The server has a problem. Try again later; your changes are kept.");
    case REGIE_ERROR_STORAGE:
      return _("Your data could not be saved on this computer. Check the free disk space and restart Regie.");
    case REGIE_ERROR_TOO_LARGE:
    case REGIE_ERROR_INVALID:
    case REGIE_ERROR_PARSE:
    case REGIE_ERROR_CONFLICT:
    case REGIE_ERROR_GONE:
    case REGIE_ERROR_NOT_FOUND:
      return _("The server did not accept the data. Try again later or contact your administrator.");
    case REGIE_ERROR_NETWORK:
      return _("The server cannot be reached. Your changes are kept and sent later.");
    default:
      return _("Synchronising failed. Try again later; your changes are kept.");
    }
}

/* ---- running a sync ------------------------------------------------------- */

static void
finish_run (RegieSyncEngine *self,
            GError          *error)
{
  g_autoptr(GPtrArray) tasks = NULL;
  g_autoptr(GError) owned_error = error;

  g_assert (self->running);

  if (error == NULL && self->again)
    {
      /* Someone asked while we were past the push: their edits go now. */
      self->again = FALSE;
      self->in_pull = FALSE;
      self->push_total = regie_store_count_pending (self->store);
      self->push_done = 0;
      push_next (self);
      return;
    }

  self->running = FALSE;
  self->again = FALSE;
  self->in_pull = FALSE;
  self->run_serial++;
  /* A prefetched page may still be on its way; nobody wants it now. */
  g_cancellable_cancel (self->run_cancellable);
  g_clear_object (&self->run_cancellable);
  stop_fetcher (self);

  g_object_freeze_notify (G_OBJECT (self));

  update_pending (self);
  set_progress (self, -1);

  if (error == NULL)
    {
      self->backoff_seconds = 0;
      set_last_error (self, NULL);
      set_state (self, REGIE_SYNC_STATE_SYNCED);
    }
  else if (g_error_matches (error, REGIE_ERROR, REGIE_ERROR_NETWORK) &&
           !regie_api_error_is_certificate_change (error))
    {
      /* A changed certificate is not "offline": it must not be retried
       * quietly but shown (the else branch below). */
      g_debug ("Offline: %s", error->message);
      set_last_error (self, NULL);
      set_state (self, REGIE_SYNC_STATE_OFFLINE);

      if (self->auto_sync)
        {
          guint delay;

          self->backoff_seconds = self->backoff_seconds == 0
            ? BACKOFF_MIN_SECONDS
            : MIN (self->backoff_seconds * 2, BACKOFF_MAX_SECONDS);
          /* Jitter, so that a room full of laptops does not come back at
           * the same moment. */
          delay = (guint) (self->backoff_seconds * 1000 * g_random_double_range (0.8, 1.2));
          schedule_sync (self, &self->retry_source, delay);
        }
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_state (self, self->state_before_run);
    }
  else if (regie_api_error_is_revoked (error))
    {
      /* The device was revoked: its copy goes now (regie-lease.h). */
      regie_lease_wipe_store (regie_store_get_path (self->store), NULL);
      set_last_error (self, regie_device_revoked_message ());
      set_state (self, REGIE_SYNC_STATE_ERROR);
    }
  else
    {
      g_message ("Sync failed: %s", error->message);
      set_last_error (self, describe_error (error));
      set_state (self, REGIE_SYNC_STATE_ERROR);
    }

  g_object_thaw_notify (G_OBJECT (self));

  tasks = g_steal_pointer (&self->tasks);
  self->tasks = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);
      TaskData *data = g_task_get_task_data (task);

      if (data->late)
        {
          data->late = FALSE;
          g_ptr_array_add (self->tasks, g_object_ref (task));
        }
      else if (error == NULL)
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_error_copy (error));
    }

  /* Asked for while a cancelled run was ending: a run of their own, not
   * that one's cancellation (unless a callback above started one). */
  if (self->tasks->len > 0 && !self->running)
    start_run (self);
}

typedef struct
{
  RegieSyncEngine *self;
  SoupMessage     *message;
  GPtrArray       *batch;
  gint64           started;
  guint            serial;
} RequestData;

static void
request_data_free (RequestData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->message);
  g_clear_pointer (&data->batch, g_ptr_array_unref);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RequestData, request_data_free)

/* Every answer names the server database's epoch; a new one means it was
 * restored from an older copy (regie_store_note_server_epoch()). */
static gboolean
note_epoch (RegieSyncEngine  *self,
            SoupMessage      *message,
            gboolean         *out_restored,
            GError          **error)
{
  const char *epoch = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                    REGIE_DATABASE_EPOCH_HEADER);
  guint requeued = 0;

  if (!regie_store_note_server_epoch (self->store, epoch, out_restored, &requeued, error))
    return FALSE;

  self->push_total += requeued;
  return TRUE;
}

static gboolean
check_results (GPtrArray  *batch,
               GPtrArray  *results,
               GError    **error)
{
  if (results->len != batch->len)
    goto bad;

  for (guint i = 0; i < batch->len; i++)
    {
      const RegieMutation *mutation = g_ptr_array_index (batch, i);
      const RegiePushResult *result = g_ptr_array_index (results, i);

      if (g_strcmp0 (mutation->id, result->mutation_id) != 0)
        goto bad;
    }

  return TRUE;

bad:
  g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                       "The push answer does not match the mutations sent");
  return FALSE;
}

/* The server refuses a whole batch when one edit in it is forbidden or
 * invalid (a role changed meanwhile, an older client's payload): sending
 * it again would block every later edit for good. So the batch goes
 * again one edit at a time, and the one refused alone is kept as
 * "rejected" with the server's reason (regie_store_list_rejected()),
 * for the user to see, while the others go out. */
static gboolean
refused_batch (RegieSyncEngine *self,
               GPtrArray       *batch,
               const GError    *error)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) local_error = NULL;
  const RegieMutation *mutation;

  /* Only a refusal of one edit ("mutation N: …"), not of the user. */
  if ((!g_error_matches (error, REGIE_ERROR, REGIE_ERROR_FORBIDDEN) &&
       !g_error_matches (error, REGIE_ERROR, REGIE_ERROR_INVALID)) ||
      strstr (error->message, "mutation ") == NULL)
    return FALSE;

  if (batch->len > 1)
    {
      g_message ("A batch of %u edits was refused (%s): sending them one by one", batch->len, error->message);
      self->one_by_one = TRUE;
      return TRUE;
    }

  mutation = g_ptr_array_index (batch, 0);
  results = g_ptr_array_new_with_free_func ((GDestroyNotify) regie_push_result_free);
  g_ptr_array_add (results, regie_push_result_new (mutation->id, REGIE_PUSH_REJECTED, 0, error->message));
  if (!regie_store_ack_outbox (self->store, results, &local_error))
    {
      g_warning ("Could not set the refused edit %s aside: %s", mutation->id, local_error->message);
      return FALSE;
    }
  g_message ("Edit %s refused by the server and kept: %s", mutation->id, error->message);
  self->push_done++;
  return TRUE;
}

static void
push_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(RequestData) data = user_data;
  RegieSyncEngine *self = data->self;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GPtrArray) results = NULL;
  GError *error = NULL;
  const char *text;
  gsize len;
  gint64 acked;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (data->serial != self->run_serial)
    {
      g_clear_error (&error);
      return;
    }
  if (body == NULL)
    {
      finish_run (self, regie_api_send_error (data->message, error));
      return;
    }

  if (!regie_api_check_status (data->message, body, &error))
    {
      if (refused_batch (self, data->batch, error))
        {
          g_clear_error (&error);
          push_next (self);
          return;
        }
      finish_run (self, error);
      return;
    }
  regie_lease_note_response (regie_store_get_path (self->store), data->message);

  /* A restored server: what it lost goes back into the outbox, behind
   * nothing (lower seqs), and is pushed next; this batch's answer is
   * the restored server's and is stored as usual. */
  if (!note_epoch (self, data->message, NULL, &error))
    {
      finish_run (self, error);
      return;
    }

  acked = g_get_monotonic_time ();
  text = g_bytes_get_data (body, &len);
  results = regie_push_response_parse (text != NULL ? text : "", len, &error);
  if (results == NULL ||
      !check_results (data->batch, results, &error) ||
      !regie_store_ack_outbox (self->store, results, &error))
    {
      finish_run (self, error);
      return;
    }

  self->push_done += data->batch->len;
  g_debug ("Pushed %u mutations: answered in %.1f ms, acknowledged in %.1f ms",
           data->batch->len, (acked - data->started) / 1000.0,
           (g_get_monotonic_time () - acked) / 1000.0);
  if (self->push_total > 0)
    set_progress (self, MIN (1.0, (double) self->push_done / self->push_total));

  push_next (self);
}

static void
push_next (RegieSyncEngine *self)
{
  g_autoptr(RequestData) data = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessage *message;
  GError *error = NULL;
  GPtrArray *batch;
  char *json;

  if (g_cancellable_set_error_if_cancelled (self->run_cancellable, &error))
    {
      finish_run (self, error);
      return;
    }

  batch = regie_store_read_outbox (self->store, self->one_by_one ? 1 : PUSH_BATCH_SIZE, &error);
  if (batch == NULL)
    {
      finish_run (self, error);
      return;
    }

  if (batch->len == 0)
    {
      g_autofree char *after = NULL;

      g_ptr_array_unref (batch);
      self->in_pull = TRUE;
      self->resynced = FALSE;
      self->pull_from = -1;
      set_progress (self, -1);
      /* An empty store (or one a snapshot was cut off in) starts with
       * the snapshot: a few compressed rows per dossier instead of every
       * change ever made (docs/protocol.md, "Snapshots"). */
      if (self->snapshot_limit > 0 && !self->snapshot_refused &&
          regie_store_wants_snapshot (self->store, NULL, &after))
        snapshot_next (self, after);
      else
        pull_next (self, regie_store_get_cursor (self->store));
      return;
    }

  data = g_new0 (RequestData, 1);
  data->started = g_get_monotonic_time ();
  json = regie_push_request_serialize (batch);
  body = g_bytes_new_take (json, strlen (json));
  g_debug ("Push batch of %u mutations encoded in %.1f ms",
           batch->len, (g_get_monotonic_time () - data->started) / 1000.0);

  data->self = g_object_ref (self);
  data->serial = self->run_serial;
  data->batch = batch;
  data->message = regie_api_message_new ("POST", self->server_url, "/api/v1/sync/push",
                                         self->token, body);
  if (data->message == NULL)
    {
      finish_run (self, g_error_new (REGIE_ERROR, REGIE_ERROR_INVALID,
                                     "Not a server address: %s", self->server_url));
      return;
    }

  message = data->message;
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    self->run_cancellable, push_cb,
                                    g_steal_pointer (&data));
}

/* ---- reading large bodies ------------------------------------------------- */

/* soup_session_send_and_read_async() splices the body through 8 KiB
 * reads, one main-loop turn each: ~20 ms of a 10 MB snapshot page. This
 * reads into one buffer sized from Content-Length, as much per turn as
 * the socket holds. */
#define BODY_MAX_BYTES (512 * 1024 * 1024)

typedef struct
{
  SoupMessage  *message;
  GInputStream *stream;
  guint8       *buf;
  gsize         len;
  gsize         cap;
} ReadBody;

static void
read_body_free (ReadBody *rb)
{
  g_clear_object (&rb->message);
  g_clear_object (&rb->stream);
  g_free (rb->buf);
  g_free (rb);
}

/* Room for the answer as announced (one byte more, so that the read that
 * meets the end needs no new buffer), or 1 MiB when it announced none. */
static void
read_body_start (ReadBody *rb)
{
  goffset length = soup_message_headers_get_content_length (soup_message_get_response_headers (rb->message));

  rb->cap = length > 0 && length < BODY_MAX_BYTES ? (gsize) length + 1 : 1024 * 1024;
  rb->buf = g_malloc (rb->cap);
  rb->len = 0;
}

/* At least 64 KiB free for the next read, up to BODY_MAX_BYTES. */
static gboolean
read_body_reserve (ReadBody  *rb,
                   GError   **error)
{
  if (rb->cap - rb->len >= 64 * 1024)
    return TRUE;
  if (rb->cap >= BODY_MAX_BYTES)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_TOO_LARGE,
                   "The server's answer is larger than %d MB", BODY_MAX_BYTES / (1024 * 1024));
      return FALSE;
    }
  rb->cap = MIN (MAX (rb->cap * 2, rb->len + 1024 * 1024), (gsize) BODY_MAX_BYTES);
  rb->buf = g_realloc (rb->buf, rb->cap);
  return TRUE;
}

static void read_body_next (GTask *task);

static void
read_body_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  ReadBody *rb = g_task_get_task_data (task);
  GError *error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  if (n < 0)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (n == 0)
    {
      gsize len = rb->len;

      g_task_return_pointer (task, g_bytes_new_take (g_steal_pointer (&rb->buf), len),
                             (GDestroyNotify) g_bytes_unref);
      g_object_unref (task);
      return;
    }
  rb->len += (gsize) n;
  read_body_next (task);
}

static void
read_body_next (GTask *task)
{
  ReadBody *rb = g_task_get_task_data (task);
  GError *error = NULL;

  if (!read_body_reserve (rb, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_input_stream_read_async (rb->stream, rb->buf + rb->len, rb->cap - rb->len, G_PRIORITY_DEFAULT,
                             g_task_get_cancellable (task), read_body_cb, task);
}

static void
read_body_sent_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  ReadBody *rb = g_task_get_task_data (task);
  GError *error = NULL;

  rb->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (rb->stream == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  read_body_start (rb);
  read_body_next (task);
}

static void
read_body_async (SoupSession         *session,
                 SoupMessage         *message,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task = g_task_new (session, cancellable, callback, user_data);
  ReadBody *rb = g_new0 (ReadBody, 1);

  rb->message = g_object_ref (message);
  g_task_set_task_data (task, rb, (GDestroyNotify) read_body_free);
  soup_session_send_async (session, message, G_PRIORITY_DEFAULT, cancellable,
                           read_body_sent_cb, task);
}

static GBytes *
read_body_finish (GAsyncResult  *result,
                  GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the page fetcher ------------------------------------------------------ */

/* Snapshot pages and the later pages of a long pull are read on a thread
 * of their own, with its own session (a session is used only from the
 * thread that made it): the main thread stores one page while the next
 * one arrives. Read on the main thread,
 * the next page waited in the socket until the store was done, and a
 * first sync took the sum of both (docs/performance.md). */

#define FETCHER_STOP ((gpointer) &fetcher_stop_marker)
static const char fetcher_stop_marker = 0;

static GBytes *
fetch_body_blocking (SoupSession   *session,
                     ReadBody      *rb,
                     GCancellable  *cancellable,
                     GError       **error)
{
  /* The stream is the message's I/O: it must end in this thread, also
   * when the read fails (libsoup completes the message where it ends). */
  g_autoptr(GInputStream) stream = soup_session_send (session, rb->message, cancellable, error);

  if (stream == NULL)
    return NULL;

  read_body_start (rb);
  for (;;)
    {
      gssize n;

      if (!read_body_reserve (rb, error))
        return NULL;
      n = g_input_stream_read (stream, rb->buf + rb->len, rb->cap - rb->len, cancellable, error);
      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      rb->len += (gsize) n;
    }
  /* Closing lets the connection go back to the session for the next page. */
  g_input_stream_close (stream, NULL, NULL);

  return g_bytes_new_take (g_steal_pointer (&rb->buf), rb->len);
}

static gpointer
fetcher_thread (gpointer user_data)
{
  g_autoptr(GAsyncQueue) jobs = user_data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  SoupSession *session;
  GTask *task;

  /* Everything the session does happens in this thread's context. */
  g_main_context_push_thread_default (context);
  session = regie_api_session_new ();

  while ((task = g_async_queue_pop (jobs)) != FETCHER_STOP)
    {
      ReadBody *rb = g_task_get_task_data (task);
      GError *error = NULL;
      GBytes *body;

      body = fetch_body_blocking (session, rb, g_task_get_cancellable (task), &error);
      if (body != NULL)
        g_task_return_pointer (task, body, (GDestroyNotify) g_bytes_unref);
      else
        g_task_return_error (task, error);
      g_object_unref (task);
    }

  soup_session_abort (session);
  g_clear_object (&session);
  g_main_context_pop_thread_default (context);
  return NULL;
}

/* Like read_body_async(), on the fetcher's thread, which starts with the
 * first page asked for and stops when the run ends. The callback runs in
 * the caller's thread-default context. */
static void
fetch_body_async (RegieSyncEngine     *self,
                  SoupMessage         *message,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task;
  ReadBody *rb;

  if (self->fetch_jobs == NULL)
    {
      g_autoptr(GError) error = NULL;
      GThread *thread;

      self->fetch_jobs = g_async_queue_new ();
      thread = g_thread_try_new ("regie-fetch", fetcher_thread, g_async_queue_ref (self->fetch_jobs), &error);
      if (thread == NULL)
        {
          g_async_queue_unref (self->fetch_jobs);   /* the thread's reference */
          g_clear_pointer (&self->fetch_jobs, g_async_queue_unref);
          g_debug ("No fetch thread (%s); reading on the main thread", error->message);
          read_body_async (self->session, message, cancellable, callback, user_data);
          return;
        }
      g_thread_unref (thread);
    }

  task = g_task_new (NULL, cancellable, callback, user_data);
  rb = g_new0 (ReadBody, 1);
  rb->message = g_object_ref (message);
  g_task_set_task_data (task, rb, (GDestroyNotify) read_body_free);
  g_async_queue_push (self->fetch_jobs, task);
}

/* Lets the fetcher's thread end once the page it reads (if any) is in. */
static void
stop_fetcher (RegieSyncEngine *self)
{
  if (self->fetch_jobs == NULL)
    return;
  g_async_queue_push (self->fetch_jobs, FETCHER_STOP);
  g_clear_pointer (&self->fetch_jobs, g_async_queue_unref);
}

/* TRUE when the page ends in "E\t<cursor>\t1\n": more pages follow. */
static gboolean
peek_end_line (const char *page,
               gsize       len,
               gint64     *out_cursor)
{
  const char *end = page + len;
  const char *line;
  char *num_end = NULL;
  gint64 cursor;

  if (len < 7 || end[-1] != '\n' || end[-2] != '1' || end[-3] != '\t')
    return FALSE;

  line = end - 3;
  while (line > page && line[-1] != '\n')
    line--;

  if (line[0] != 'E' || line[1] != '\t' || !g_ascii_isdigit (line[2]))
    return FALSE;

  cursor = g_ascii_strtoll (line + 2, &num_end, 10);
  if (num_end != end - 3)
    return FALSE;

  *out_cursor = cursor;
  return TRUE;
}

/* The municipal settings, read-only for clients: fetched only when the
 * version the server sends with every pull differs from the stored one.
 * A failure keeps the settings we have and does not fail the sync. */
static void fetch_settings_if_changed (RegieSyncEngine *self);

static void
settings_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(RequestData) data = user_data;
  RegieSyncEngine *self = data->self;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) clean = NULL;
  g_autofree char *text = NULL;
  RegieSettings settings;
  JsonObject *object_;
  gint64 version;
  const char *bytes;
  gsize len = 0;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (data->serial != self->run_serial)
    return;

  if (body != NULL && regie_api_check_status (data->message, body, &error))
    {
      bytes = g_bytes_get_data (body, &len);
      root = regie_json_parse (bytes != NULL ? bytes : "", len, &error);
    }
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      clean = json_node_copy (root);
      object_ = json_node_get_object (clean);
      version = json_object_get_int_member_with_default (object_, "version", 0);
      json_object_remove_member (object_, "version");
      regie_settings_init_defaults (&settings);
      if (regie_settings_from_json (&settings, clean, &error))
        {
          g_autoptr(JsonNode) out = regie_settings_to_json (&settings);
          g_autofree char *version_text = g_strdup_printf ("%" G_GINT64_FORMAT, version);

          text = regie_json_to_string (out);
          if (!regie_store_set_meta (self->store, "settings", text, &error) ||
              !regie_store_set_meta (self->store, "settings_version", version_text, &error))
            g_warning ("Could not store the municipal settings: %s", error->message);
        }
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Stopped by the user while the settings came: say so, not
       * "synchronised" (the changes pulled so far are kept). */
      finish_run (self, g_steal_pointer (&error));
      return;
    }
  if (error != NULL)
    g_message ("Municipal settings not updated: %s", error->message);

  finish_run (self, NULL);
}

static void
fetch_settings_if_changed (RegieSyncEngine *self)
{
  g_autoptr(RequestData) data = NULL;
  g_autofree char *have = regie_store_dup_meta (self->store, "settings_version");
  SoupMessage *message;

  if (self->settings_version == NULL || g_strcmp0 (have, self->settings_version) == 0)
    {
      finish_run (self, NULL);
      return;
    }

  data = g_new0 (RequestData, 1);
  data->self = g_object_ref (self);
  data->serial = self->run_serial;
  data->message = regie_api_message_new ("GET", self->server_url, "/api/v1/settings", self->token, NULL);
  data->started = g_get_monotonic_time ();
  if (data->message == NULL)
    {
      finish_run (self, NULL);
      return;
    }
  message = data->message;
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    self->run_cancellable, settings_cb, g_steal_pointer (&data));
}

/* What every pull and snapshot answer needs first. Returns the body of a
 * 2xx answer. Otherwise NULL, and either *out_refused holds the server's
 * error for the caller to handle (some it can recover from) or the run
 * already went on (a restored server: push what it lost first) or ended. */
static GBytes *
receive_page (RegieSyncEngine  *self,
              RequestData      *data,
              GAsyncResult     *result,
              GError          **out_refused)
{
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  gboolean restored = FALSE;
  guint serial = data->serial;

  body = read_body_finish (result, &error);
  if (serial != self->run_serial)
    {
      g_clear_error (&error);
      return NULL;
    }
  if (body == NULL)
    {
      finish_run (self, regie_api_send_error (data->message, error));
      return NULL;
    }
  /* Cancelled while the page was on its way: the store keeps what it
   * stored before, and the next sync resumes there. */
  if (g_cancellable_set_error_if_cancelled (self->run_cancellable, &error))
    {
      finish_run (self, error);
      return NULL;
    }

  if (!regie_api_check_status (data->message, body, out_refused))
    {
      if (!note_epoch (self, data->message, &restored, &error))
        {
          g_clear_error (out_refused);
          finish_run (self, error);
        }
      else if (restored)
        {
          /* Push what the restored server lost, then start again. */
          g_clear_error (out_refused);
          self->in_pull = FALSE;
          push_next (self);
        }
      return NULL;
    }

  regie_lease_note_response (regie_store_get_path (self->store), data->message);
  if (!note_epoch (self, data->message, &restored, &error))
    {
      finish_run (self, error);
      return NULL;
    }
  if (restored)
    {
      /* This page belongs to the lost database: drop it. */
      self->in_pull = FALSE;
      push_next (self);
      return NULL;
    }
  g_free (self->settings_version);
  self->settings_version = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (data->message),
                                                                   "Regie-Settings-Version"));
  return g_steal_pointer (&body);
}

static void
pull_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(RequestData) data = user_data;
  RegieSyncEngine *self = data->self;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  const char *page;
  gsize len;
  gint64 next_cursor = 0;
  gboolean more = FALSE;
  guint n_changes = 0;
  gint64 start;
  gint64 peek_cursor = 0;
  gboolean prefetched = FALSE;
  guint serial = data->serial;

  body = receive_page (self, data, result, &error);
  if (body == NULL)
    {
      if (error == NULL)
        return;
      if (g_error_matches (error, REGIE_ERROR, REGIE_ERROR_GONE) && !self->resynced)
        {
          /* Our cursor is too old for the server: pull everything again.
           * The outbox stays, and pending records are never overwritten. */
          g_message ("Cursor no longer valid, resynchronising: %s", error->message);
          g_clear_error (&error);
          self->resynced = TRUE;
          self->pull_from = -1;
          if (!regie_store_reset_cursor (self->store, &error))
            finish_run (self, error);
          else
            pull_next (self, 0);
          return;
        }
      finish_run (self, error);
      return;
    }

  /* The page is stored as received: no copy, no JSON tree. */
  page = g_bytes_get_data (body, &len);

  /* Ask for the next page before storing this one, so that the server
   * builds it while we write. The end line is the last line. */
  if (page != NULL && peek_end_line (page, len, &peek_cursor))
    {
      prefetched = TRUE;
      pull_next (self, peek_cursor);
      if (serial != self->run_serial)
        return;
    }

  start = g_get_monotonic_time ();
  if (!regie_store_apply_pull_page (self->store, page != NULL ? page : "", len,
                                    &next_cursor, &more, &n_changes, &error))
    {
      finish_run (self, error);
      return;
    }
  g_debug ("Pull page: %u changes, %" G_GSIZE_FORMAT " bytes, fetched in %.1f ms, applied in %.1f ms",
           n_changes, len, (start - data->started) / 1000.0,
           (g_get_monotonic_time () - start) / 1000.0);

  /* Progress of a long pull: how far the cursor came towards the head
   * the server named (older servers name none). */
  if (more)
    {
      const char *head_text = soup_message_headers_get_one (soup_message_get_response_headers (data->message),
                                                            REGIE_PULL_HEAD_HEADER);
      gint64 head = head_text != NULL ? g_ascii_strtoll (head_text, NULL, 10) : 0;

      if (self->pull_from >= 0 && head > self->pull_from && next_cursor >= self->pull_from)
        set_progress (self, MIN (1.0, (double) (next_cursor - self->pull_from) /
                                      (double) (head - self->pull_from)));
    }

  if (prefetched && (!more || next_cursor != peek_cursor))
    {
      /* Cannot happen with a well-formed page; don't trust the prefetch. */
      finish_run (self, g_error_new_literal (REGIE_ERROR, REGIE_ERROR_PARSE,
                                             "The pull page's end line is inconsistent"));
      return;
    }

  if (!more)
    fetch_settings_if_changed (self);
  else if (!prefetched)
    pull_next (self, next_cursor);
}

/* ---- snapshot ------------------------------------------------------------ */

/* TRUE when the snapshot page ends in "E\t<dossier-id>\t1\n": more pages
 * follow, after that dossier. */
static gboolean
peek_snapshot_end (const char *page,
                   gsize       len,
                   char        out_after[37])
{
  const char *line = page + len - 41;

  if (len < 42 || line[-1] != '\n' || line[0] != 'E' || line[1] != '\t' ||
      line[38] != '\t' || line[39] != '1' || line[40] != '\n')
    return FALSE;

  memcpy (out_after, line + 2, 36);
  out_after[36] = '\0';
  return regie_uuid_is_valid (out_after);
}

static void
snapshot_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(RequestData) data = user_data;
  RegieSyncEngine *self = data->self;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  const char *page;
  gsize len;
  char next_after[37];
  gboolean prefetched = FALSE;
  gboolean more = FALSE;
  gint64 total = 0;
  guint n_dossiers = 0;
  gint64 start;
  guint serial = data->serial;

  body = receive_page (self, data, result, &error);
  if (body == NULL)
    {
      if (error == NULL)
        return;
      if (soup_message_get_status (data->message) == SOUP_STATUS_NOT_FOUND)
        {
          /* An older server, or none for this role: pull every change. */
          g_debug ("No snapshot from the server; pulling from the start");
          g_clear_error (&error);
          self->snapshot_refused = TRUE;
          if (!regie_store_reset_cursor (self->store, &error))
            finish_run (self, error);
          else
            pull_next (self, 0);
          return;
        }
      finish_run (self, error);
      return;
    }

  page = g_bytes_get_data (body, &len);

  /* As with pull pages: ask for the next page before storing this one. */
  if (page != NULL && peek_snapshot_end (page, len, next_after))
    {
      prefetched = TRUE;
      snapshot_next (self, next_after);
      if (serial != self->run_serial)
        return;
    }

  start = g_get_monotonic_time ();
  if (!regie_store_apply_snapshot_page (self->store, page != NULL ? page : "", len,
                                        &more, &total, &n_dossiers, &error))
    {
      finish_run (self, error);
      return;
    }
  g_debug ("Snapshot page: %u dossiers, %" G_GSIZE_FORMAT " bytes, fetched in %.1f ms, stored in %.1f ms",
           n_dossiers, len, (start - data->started) / 1000.0,
           (g_get_monotonic_time () - start) / 1000.0);

  self->snapshot_done += n_dossiers;
  if (total > 0)
    set_progress (self, MIN (1.0, (double) self->snapshot_done / (double) total));

  if (prefetched && !more)
    {
      finish_run (self, g_error_new_literal (REGIE_ERROR, REGIE_ERROR_PARSE,
                                             "The snapshot page's end line is inconsistent"));
      return;
    }

  if (!more)
    {
      /* Everything that changed since the snapshot's first page. */
      set_progress (self, -1);
      pull_next (self, regie_store_get_cursor (self->store));
    }
  else if (!prefetched)
    {
      g_autofree char *after = NULL;

      regie_store_wants_snapshot (self->store, NULL, &after);
      snapshot_next (self, after);
    }
}

/* GET `path` for a page of this run; `callback` gets its RequestData. */
static void
request_page (RegieSyncEngine     *self,
              const char          *path,
              gboolean             threaded,
              GAsyncReadyCallback  callback)
{
  g_autoptr(RequestData) data = g_new0 (RequestData, 1);
  SoupMessage *message;

  data->self = g_object_ref (self);
  data->serial = self->run_serial;
  data->message = regie_api_message_new ("GET", self->server_url, path, self->token, NULL);
  data->started = g_get_monotonic_time ();
  if (data->message == NULL)
    {
      finish_run (self, g_error_new (REGIE_ERROR, REGIE_ERROR_INVALID,
                                     "Not a server address: %s", self->server_url));
      return;
    }

  message = data->message;
  if (threaded)
    fetch_body_async (self, message, self->run_cancellable, callback, g_steal_pointer (&data));
  else
    read_body_async (self->session, message, self->run_cancellable, callback,
                     g_steal_pointer (&data));
}

static void
snapshot_next (RegieSyncEngine *self,
               const char      *after)
{
  g_autofree char *path = NULL;
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (self->run_cancellable, &error))
    {
      finish_run (self, error);
      return;
    }

  path = g_strdup_printf ("/api/v1/sync/snapshot?after=%s&limit=%u",
                          after != NULL ? after : "", self->snapshot_limit);
  request_page (self, path, TRUE, snapshot_cb);
}

static void
pull_next (RegieSyncEngine *self,
           gint64           cursor)
{
  g_autofree char *path = NULL;
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (self->run_cancellable, &error))
    {
      finish_run (self, error);
      return;
    }

  if (self->pull_from < 0)
    self->pull_from = cursor;
  path = g_strdup_printf ("/api/v1/sync/pull?cursor=%" G_GINT64_FORMAT "&limit=%u",
                          cursor, self->pull_page_limit);
  /* A pull's first page (usually its only one) comes on the main thread;
   * the pages of a long pull come on the fetcher's, as snapshot pages. */
  request_page (self, path, cursor != self->pull_from, pull_cb);
}

static void
start_run (RegieSyncEngine *self)
{
  g_assert (!self->running);

  self->running = TRUE;
  self->again = FALSE;
  self->in_pull = FALSE;
  self->one_by_one = FALSE;
  self->run_cancellable = g_cancellable_new ();
  self->push_total = regie_store_count_pending (self->store);
  self->push_done = 0;
  self->snapshot_done = 0;
  self->pull_from = -1;
  self->state_before_run = self->state;

  clear_source (&self->retry_source);
  clear_source (&self->debounce_source);

  g_object_freeze_notify (G_OBJECT (self));
  set_state (self, REGIE_SYNC_STATE_SYNCING);
  set_progress (self, self->push_total > 0 ? 0.0 : -1.0);
  g_object_thaw_notify (G_OBJECT (self));

  push_next (self);
}

/* ---- cancellation of joined callers --------------------------------------- */

static gboolean
check_cancelled_cb (gpointer user_data)
{
  RegieSyncEngine *self = user_data;

  for (guint i = self->tasks->len; i > 0; i--)
    {
      GTask *task = g_ptr_array_index (self->tasks, i - 1);
      GCancellable *cancellable = g_task_get_cancellable (task);

      if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
        {
          GTask *owned = g_ptr_array_steal_index (self->tasks, i - 1);

          g_task_return_error_if_cancelled (owned);
          g_object_unref (owned);
        }
    }

  /* Only stop the network work when nobody waits for it any more. */
  if (self->running && self->tasks->len == 0 && self->run_cancellable != NULL)
    g_cancellable_cancel (self->run_cancellable);

  return G_SOURCE_REMOVE;
}

static void
task_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;
  TaskData *data = g_task_get_task_data (task);
  GSource *source;

  /* Never act from inside the cancellable's emission. */
  source = g_idle_source_new ();
  g_source_set_callback (source, check_cancelled_cb, g_object_ref (data->engine), g_object_unref);
  g_source_set_static_name (source, "[regie] sync cancelled");
  g_source_attach (source, g_task_get_context (task));
  g_source_unref (source);
}

/* ---- public -------------------------------------------------------------- */

void
regie_sync_engine_sync_async (RegieSyncEngine     *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  TaskData *data;

  g_return_if_fail (REGIE_IS_SYNC_ENGINE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, regie_sync_engine_sync_async);

  if (g_task_return_error_if_cancelled (task))
    return;

  data = g_new0 (TaskData, 1);
  data->engine = self;
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  if (cancellable != NULL)
    {
      data->cancellable = g_object_ref (cancellable);
      /* The task data (and so the handler) lives as long as the task. */
      data->handler_id = g_cancellable_connect (cancellable, G_CALLBACK (task_cancelled_cb),
                                                task, NULL);
    }

  g_ptr_array_add (self->tasks, g_steal_pointer (&task));

  if (!self->running)
    start_run (self);
  else if (g_cancellable_is_cancelled (self->run_cancellable))
    data->late = TRUE;   /* that run is ending; this caller gets the next */
  else if (self->in_pull)
    self->again = TRUE;
}

gboolean
regie_sync_engine_sync_finish (RegieSyncEngine  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (REGIE_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == regie_sync_engine_sync_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
sync_blocking_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

gboolean
regie_sync_engine_sync (RegieSyncEngine  *self,
                        GCancellable     *cancellable,
                        GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (REGIE_IS_SYNC_ENGINE (self), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* One private context per engine, reused: libsoup ties its pooled
   * connections to the context they were made in. */
  if (self->blocking_context == NULL)
    self->blocking_context = g_main_context_new ();

  g_main_context_push_thread_default (self->blocking_context);
  regie_sync_engine_sync_async (self, cancellable, sync_blocking_cb, &result);
  while (result == NULL)
    g_main_context_iteration (self->blocking_context, TRUE);
  g_main_context_pop_thread_default (self->blocking_context);

  return regie_sync_engine_sync_finish (self, result, error);
}

void
regie_sync_engine_cancel (RegieSyncEngine *self)
{
  g_return_if_fail (REGIE_IS_SYNC_ENGINE (self));

  /* The request in flight ends with G_IO_ERROR_CANCELLED, and so does
   * the run, for every caller (finish_run). */
  if (self->running && self->run_cancellable != NULL)
    g_cancellable_cancel (self->run_cancellable);
}

void
regie_sync_engine_set_pull_page_limit (RegieSyncEngine *self,
                                       guint            limit)
{
  g_return_if_fail (REGIE_IS_SYNC_ENGINE (self));
  g_return_if_fail (limit <= REGIE_PULL_MAX_LIMIT);

  self->pull_page_limit = limit > 0 ? limit : PULL_PAGE_LIMIT;
}

void
regie_sync_engine_set_snapshot_limit (RegieSyncEngine *self,
                                      guint            limit)
{
  g_return_if_fail (REGIE_IS_SYNC_ENGINE (self));
  g_return_if_fail (limit <= REGIE_SNAPSHOT_MAX_LIMIT);

  self->snapshot_limit = limit;
}

RegieSyncState
regie_sync_engine_get_state (RegieSyncEngine *self)
{
  g_return_val_if_fail (REGIE_IS_SYNC_ENGINE (self), REGIE_SYNC_STATE_IDLE);

  return self->state;
}

guint
regie_sync_engine_get_pending (RegieSyncEngine *self)
{
  g_return_val_if_fail (REGIE_IS_SYNC_ENGINE (self), 0);

  return self->pending;
}

const char *
regie_sync_engine_get_last_error (RegieSyncEngine *self)
{
  g_return_val_if_fail (REGIE_IS_SYNC_ENGINE (self), NULL);

  return self->last_error;
}

double
regie_sync_engine_get_progress (RegieSyncEngine *self)
{
  g_return_val_if_fail (REGIE_IS_SYNC_ENGINE (self), -1);

  return self->progress;
}

void
regie_sync_engine_set_token (RegieSyncEngine *self,
                             const char      *token)
{
  g_return_if_fail (REGIE_IS_SYNC_ENGINE (self));

  g_free (self->token);
  self->token = g_strdup (token);
}

void
regie_sync_engine_set_server_url (RegieSyncEngine *self,
                                  const char      *server_url)
{
  g_return_if_fail (REGIE_IS_SYNC_ENGINE (self));
  g_return_if_fail (server_url != NULL);

  g_free (self->server_url);
  self->server_url = g_strdup (server_url);
}

const char *
regie_sync_engine_get_server_url (RegieSyncEngine *self)
{
  g_return_val_if_fail (REGIE_IS_SYNC_ENGINE (self), NULL);

  return self->server_url;
}

RegieStore *
regie_sync_engine_get_store (RegieSyncEngine *self)
{
  g_return_val_if_fail (REGIE_IS_SYNC_ENGINE (self), NULL);

  return self->store;
}

/* ---- automatic sync ------------------------------------------------------- */

static void
auto_sync_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The state and last-error properties already tell the user. */
  if (!regie_sync_engine_sync_finish (REGIE_SYNC_ENGINE (object), result, &error))
    g_debug ("Automatic sync did not complete: %s", error->message);
}

static void
clear_source (GSource **slot)
{
  if (*slot != NULL)
    {
      g_source_destroy (*slot);
      g_clear_pointer (slot, g_source_unref);
    }
}

static gboolean
scheduled_sync_cb (gpointer user_data)
{
  RegieSyncEngine *self = user_data;

  clear_source (&self->debounce_source);
  clear_source (&self->retry_source);

  if (self->auto_sync && !self->running)
    regie_sync_engine_sync_async (self, NULL, auto_sync_done_cb, NULL);

  return G_SOURCE_REMOVE;
}

static void
schedule_sync (RegieSyncEngine  *self,
               GSource         **slot,
               guint             delay_ms)
{
  GSource *source;

  if (*slot != NULL)
    {
      g_source_destroy (*slot);
      g_clear_pointer (slot, g_source_unref);
    }

  source = g_timeout_source_new (delay_ms);
  /* The engine removes its sources in dispose, so no reference here. */
  g_source_set_callback (source, scheduled_sync_cb, self, NULL);
  g_source_set_static_name (source, "[regie] scheduled sync");
  g_source_attach (source, self->context);
  *slot = source;

  g_debug ("Next sync in %u ms", delay_ms);
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    RegieSyncEngine *self)
{
  if (!available || !self->auto_sync)
    return;

  /* Network changes come in bursts (interfaces, routes, DNS): wait for
   * them to settle before syncing once. */
  self->backoff_seconds = 0;
  clear_source (&self->retry_source);
  schedule_sync (self, &self->debounce_source, DEBOUNCE_MS);
}

void
regie_sync_engine_set_auto_sync (RegieSyncEngine *self,
                                 gboolean         auto_sync)
{
  g_return_if_fail (REGIE_IS_SYNC_ENGINE (self));

  auto_sync = !!auto_sync;
  if (self->auto_sync == auto_sync)
    return;

  self->auto_sync = auto_sync;

  if (auto_sync)
    {
      self->monitor = g_object_ref (g_network_monitor_get_default ());
      self->network_changed_id =
        g_signal_connect (self->monitor, "network-changed",
                          G_CALLBACK (network_changed_cb), self);
      if (self->state == REGIE_SYNC_STATE_OFFLINE && !self->running)
        schedule_sync (self, &self->retry_source, BACKOFF_MIN_SECONDS * 1000);
    }
  else
    {
      g_clear_signal_handler (&self->network_changed_id, self->monitor);
      g_clear_object (&self->monitor);
      clear_source (&self->debounce_source);
      clear_source (&self->retry_source);
    }
}

/* ---- GObject ------------------------------------------------------------- */

static void
regie_sync_engine_dispose (GObject *object)
{
  RegieSyncEngine *self = (RegieSyncEngine *)object;

  regie_sync_engine_set_auto_sync (self, FALSE);
  if (self->store != NULL)
    g_clear_signal_handler (&self->store_changed_id, self->store);
  g_clear_object (&self->store);
  stop_fetcher (self);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (regie_sync_engine_parent_class)->dispose (object);
}

static void
regie_sync_engine_finalize (GObject *object)
{
  RegieSyncEngine *self = (RegieSyncEngine *)object;

  g_assert (!self->running);

  g_clear_pointer (&self->tasks, g_ptr_array_unref);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->last_error, g_free);
  g_clear_pointer (&self->settings_version, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->blocking_context, g_main_context_unref);

  G_OBJECT_CLASS (regie_sync_engine_parent_class)->finalize (object);
}

static void
regie_sync_engine_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RegieSyncEngine *self = REGIE_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_PENDING:
      g_value_set_uint (value, self->pending);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
regie_sync_engine_class_init (RegieSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = regie_sync_engine_dispose;
  object_class->finalize = regie_sync_engine_finalize;
  object_class->get_property = regie_sync_engine_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      REGIE_SYNC_STATE_IDLE, REGIE_SYNC_STATE_ERROR, REGIE_SYNC_STATE_IDLE,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL,
                         -1.0, 1.0, -1.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
regie_sync_engine_init (RegieSyncEngine *self)
{
  self->tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->progress = -1;
  self->pull_page_limit = PULL_PAGE_LIMIT;
  self->snapshot_limit = REGIE_SNAPSHOT_DEFAULT_LIMIT;
  self->state = REGIE_SYNC_STATE_IDLE;
  self->context = g_main_context_ref_thread_default ();
}

RegieSyncEngine *
regie_sync_engine_new (RegieStore *store,
                       const char *server_url,
                       const char *token)
{
  RegieSyncEngine *self;

  g_return_val_if_fail (REGIE_IS_STORE (store), NULL);
  g_return_val_if_fail (server_url != NULL, NULL);

  self = g_object_new (REGIE_TYPE_SYNC_ENGINE, NULL);
  self->store = g_object_ref (store);
  self->server_url = g_strdup (server_url);
  self->token = g_strdup (token);
  self->session = regie_api_session_new ();
  self->pending = regie_store_count_pending (store);
  self->store_changed_id = g_signal_connect (store, "changed",
                                             G_CALLBACK (store_changed_cb), self);

  return self;
}
