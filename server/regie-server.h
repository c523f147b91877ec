/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <gio/gio.h>

#include "regie-server-db.h"

G_BEGIN_DECLS

#define REGIE_TYPE_SERVER (regie_server_get_type ())
G_DECLARE_FINAL_TYPE (RegieServer, regie_server, REGIE, SERVER, GObject)

/* Session lifetime. */
#define REGIE_SERVER_SESSION_SECONDS (12 * 60 * 60)

RegieServer *regie_server_new      (RegieServerDb  *db);
/* address is "HOST:PORT" ("[::1]:PORT" for IPv6); port 0 picks a free
 * port. Returns the base URL, e.g. "http://127.0.0.1:8765/". */
char        *regie_server_listen   (RegieServer    *self,
                                    const char     *address,
                                    GError        **error);
/* Stops accepting and waits (iterating the default main context) until
 * the requests in flight have finished their database work. */
void         regie_server_shutdown (RegieServer    *self);

G_END_DECLS
