/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <gio/gio.h>

#include "regie-server-db.h"

G_BEGIN_DECLS

#define REGIE_TYPE_SERVER (regie_server_get_type ())
G_DECLARE_FINAL_TYPE (RegieServer, regie_server, REGIE, SERVER, GObject)

/* Default session lifetime. */
#define REGIE_SERVER_SESSION_SECONDS (12 * 60 * 60)
/* Default device lease: how long a client may work offline. */
#define REGIE_SERVER_LEASE_DAYS      14
#define REGIE_SERVER_MAX_LEASE_DAYS  365
/* Listener threads: at most this many. */
#define REGIE_SERVER_MAX_THREADS     64

RegieServer *regie_server_new      (RegieServerDb  *db);
/* Before listening: the certificate (with its private key) to serve
 * HTTPS with. Without one the server speaks plain HTTP, and only on a
 * loopback address. */
void         regie_server_set_tls_certificate  (RegieServer     *self,
                                                GTlsCertificate *certificate);
/* Lifetime of sessions signed in from now on (0 only makes sense in
 * tests: every token is born expired). */
void         regie_server_set_session_lifetime (RegieServer     *self,
                                                unsigned         seconds);
/* Days a client may work offline after a successful sign-in or sync; sent
 * as the Regie-Lease-Until header (docs/security.md). 1…365. */
void         regie_server_set_device_lease_days (RegieServer    *self,
                                                 unsigned        days);
/* Before listening: the oldest Regie-Protocol version served (default
 * and minimum 1, the version this server speaks). Every request of an
 * older one is answered 426 (docs/protocol.md); as this server speaks
 * only REGIE_PROTOCOL_VERSION, a higher value refuses every request the
 * way a newer server refuses this version's clients — for testing how
 * clients recover (regie-server --min-protocol). */
#define REGIE_SERVER_MAX_MIN_PROTOCOL 1000
void         regie_server_set_min_protocol     (RegieServer    *self,
                                                unsigned        version);
/* Before listening: how many threads accept and serve connections
 * (1…REGIE_SERVER_MAX_THREADS). 1, the default, serves on the main context
 * that is thread-default where regie_server_listen() is called; more start
 * that many threads, each with its own main context and SoupServer on a
 * socket of its own bound to the same port (SO_REUSEPORT). Database work
 * runs on worker threads either way. */
void         regie_server_set_threads          (RegieServer    *self,
                                                unsigned        n_threads);
/* Runs the retention purge (regie_server_db_purge) in the background ten
 * minutes from now and then daily. */
void         regie_server_schedule_purge       (RegieServer    *self);
/* Today in Europe/Amsterdam. */
void         regie_server_today                (GDate          *out);
/* address is "HOST:PORT" ("[::1]:PORT" for IPv6); port 0 picks a free
 * port. Returns the base URL, e.g. "https://127.0.0.1:8765/" (http:// when
 * no certificate was set); a non-loopback address without a certificate
 * is G_IO_ERROR_PERMISSION_DENIED. */
char        *regie_server_listen   (RegieServer    *self,
                                    const char     *address,
                                    GError        **error);
/* Stops accepting and waits until the requests in flight have finished
 * their database work (iterating the default main context for the purge
 * and for a server without listener threads; listener threads are
 * joined). Call it before dropping the last reference. */
void         regie_server_shutdown (RegieServer    *self);

G_END_DECLS
