/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Runs the real regie-server binary (REGIE_SERVER_PATH) on loopback port 0
 * for integration tests, over HTTPS with the certificate the server makes
 * in its data dir (DATA_DIR/tls) unless asked for plain HTTP. */
typedef struct _RegieTestServer RegieTestServer;

typedef enum
{
  REGIE_TEST_SERVER_NONE       = 0,
  REGIE_TEST_SERVER_PLAIN_HTTP = 1 << 0,  /* --plain-http */
} RegieTestServerFlags;

/* Starts the built regie-server (path from env REGIE_SERVER_PATH) with
 * --listen 127.0.0.1:0 --data DATA_DIR (NULL → a fresh g_dir_make_tmp dir,
 * removed on free) plus extra_args (NULL-terminated, may be NULL; e.g.
 * {"--demo", NULL}); waits for the "listening on" line (timeout 60 s). */
RegieTestServer *regie_test_server_start        (const char         *data_dir,
                                                 const char * const *extra_args,
                                                 GError            **error);
/* As regie_test_server_start, with flags. */
RegieTestServer *regie_test_server_start_full   (const char         *data_dir,
                                                 const char * const *extra_args,
                                                 RegieTestServerFlags flags,
                                                 GError            **error);
/* "https://127.0.0.1:PORT/" ("http://…" with PLAIN_HTTP) */
const char      *regie_test_server_get_url      (RegieTestServer    *self);
/* The "certificate sha256 AA:BB:…" the server printed; NULL over HTTP. */
const char      *regie_test_server_get_fingerprint (RegieTestServer *self);
/* The server's certificate as read from DATA_DIR/tls/cert.pem; NULL over
 * HTTP. regie_test_http() accepts exactly this one for the server's URL. */
GTlsCertificate *regie_test_server_get_certificate (RegieTestServer *self);
const char      *regie_test_server_get_data_dir (RegieTestServer    *self);
/* hard: SIGKILL, else SIGTERM; waits for exit */
void             regie_test_server_kill         (RegieTestServer    *self,
                                                 gboolean            hard);
/* kills if running; removes the temporary data dir it created */
void             regie_test_server_free         (RegieTestServer    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RegieTestServer, regie_test_server_free)

/* Synchronous request for tests (https: only the certificate of the test
 * server running at base_url is accepted): sends `Regie-Protocol: 1`, a JSON content
 * type when there is a body and `Authorization: Bearer TOKEN` when token is
 * set. body_len 0 with a body means strlen (body). Returns the response
 * body (NUL-terminated, never NULL on a transport success) or NULL with
 * *out_status 0 when the server could not be reached. */
char            *regie_test_http                (const char         *base_url,
                                                 const char         *method,
                                                 const char         *path,
                                                 const char         *token,
                                                 const char         *body,
                                                 gsize               body_len,
                                                 unsigned           *out_status,
                                                 gsize              *out_len);

/* For tests that send with their own SoupSession: makes msg accept only
 * the certificate of the test server running at base_url. */
void             regie_test_trust_server        (SoupSession        *session,
                                                 SoupMessage        *msg,
                                                 const char         *base_url);

G_END_DECLS
