/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <gio/gio.h>

#include "regie-store.h"

G_BEGIN_DECLS

typedef enum
{
  REGIE_SYNC_STATE_IDLE,      /* nothing tried yet */
  REGIE_SYNC_STATE_SYNCING,
  REGIE_SYNC_STATE_SYNCED,    /* last sync succeeded */
  REGIE_SYNC_STATE_OFFLINE,   /* server unreachable; edits wait in the outbox */
  REGIE_SYNC_STATE_ERROR,     /* server answered with an error; see last-error */
} RegieSyncState;

typedef struct
{
  char *username;
  char *display_name;
  char *role;
  char *team;
  char *token;
} RegieAccount;

void          regie_account_free   (RegieAccount *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RegieAccount, regie_account_free)

/* POST /api/v1/session. Errors: REGIE_ERROR_AUTH (wrong user or password),
 * REGIE_ERROR_NETWORK (unreachable), REGIE_ERROR_PROTOCOL, ... */
void          regie_api_login_async  (const char          *server_url,
                                      const char          *username,
                                      const char          *password,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
RegieAccount *regie_api_login_finish (GAsyncResult        *result,
                                      GError             **error);

#define REGIE_TYPE_SYNC_ENGINE (regie_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (RegieSyncEngine, regie_sync_engine, REGIE, SYNC_ENGINE, GObject)

/* Properties: "state" (RegieSyncState, int), "pending" (guint: outbox rows),
 * "last-error" (string, translated, or NULL), "progress" (double 0..1
 * during a long pull, -1 when unknown). */
RegieSyncEngine *regie_sync_engine_new        (RegieStore        *store,
                                               const char        *server_url,
                                               const char        *token);
void             regie_sync_engine_set_token  (RegieSyncEngine   *self,
                                               const char        *token);
RegieSyncState   regie_sync_engine_get_state  (RegieSyncEngine   *self);
guint            regie_sync_engine_get_pending (RegieSyncEngine  *self);
const char      *regie_sync_engine_get_last_error (RegieSyncEngine *self);
/* Push the whole outbox (in batches), then pull until no more pages.
 * A second call while one runs joins the running one. */
void             regie_sync_engine_sync_async  (RegieSyncEngine     *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean         regie_sync_engine_sync_finish (RegieSyncEngine     *self,
                                                GAsyncResult        *result,
                                                GError             **error);
/* Blocking variant for tests and benchmarks (runs its own main context). */
gboolean         regie_sync_engine_sync        (RegieSyncEngine     *self,
                                                GCancellable        *cancellable,
                                                GError             **error);
/* Stops the running sync, if any, for every caller waiting for it (a
 * caller's own GCancellable only lets that caller go; the run goes on
 * while others wait for it): each gets G_IO_ERROR_CANCELLED, and the
 * state is what it was before the run. No pull page is applied after
 * this call; what was pushed and acknowledged, and every page applied
 * before, stays: the next sync resumes at the stored cursor. A sync asked
 * for while the cancelled run is ending gets a run of its own. Does not
 * turn automatic syncing off. */
void             regie_sync_engine_cancel      (RegieSyncEngine     *self);
/* Changes per pull page asked for (1…REGIE_PULL_MAX_LIMIT; 0: the
 * default, the protocol's maximum). Smaller pages mean more requests;
 * for tests and measurements. */
void             regie_sync_engine_set_pull_page_limit (RegieSyncEngine *self,
                                                        guint            limit);
/* Dossiers per snapshot page of a first sync (1…REGIE_SNAPSHOT_MAX_LIMIT;
 * default REGIE_SNAPSHOT_DEFAULT_LIMIT); 0: no snapshot, pull every
 * change (docs/protocol.md, "Snapshots"). For tests and measurements. */
void             regie_sync_engine_set_snapshot_limit  (RegieSyncEngine *self,
                                                        guint            limit);
/* Sync when the network comes back (GNetworkMonitor), default off. */
void             regie_sync_engine_set_auto_sync (RegieSyncEngine   *self,
                                                  gboolean           auto_sync);

/* Additions (client core). */
/* The server moved (new address or port); takes effect at the next request. */
void             regie_sync_engine_set_server_url (RegieSyncEngine *self,
                                                   const char      *server_url);
const char      *regie_sync_engine_get_server_url (RegieSyncEngine *self);
double           regie_sync_engine_get_progress   (RegieSyncEngine *self);
RegieStore      *regie_sync_engine_get_store      (RegieSyncEngine *self);

/* Additions: server certificate pinning (docs/security.md). An https
 * server's certificate is pinned on first contact, per host:port, in
 * $XDG_DATA_HOME/regie/pins.ini; afterwards any other certificate is
 * refused before anything is sent, and login and sync fail with
 * REGIE_ERROR_NETWORK whose message starts "Server identity changed:"
 * (untranslated, for logs) — tell it apart with
 * regie_api_error_is_certificate_change(); the sync engine then goes to
 * REGIE_SYNC_STATE_ERROR, not OFFLINE. */
gboolean         regie_api_error_is_certificate_change (const GError *error);
/* The pinned SHA-256 fingerprint ("AA:BB:…", as regie-server prints it)
 * for server_url's host and port, or NULL. */
char            *regie_api_dup_pin                     (const char   *server_url);
/* For the case an admin approved: the next contact pins anew. */
gboolean         regie_api_forget_pin                  (const char   *server_url,
                                                        GError      **error);

G_END_DECLS
