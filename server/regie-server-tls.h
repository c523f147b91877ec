/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define REGIE_SERVER_TLS_VALIDITY_DAYS 730

/* The server's own certificate: DATA_DIR/tls/cert.pem and key.pem (0600),
 * made at first start as a self-signed EC P-256 certificate for
 * localhost, 127.0.0.1, ::1 and host_name, valid for two years; reused as
 * they are afterwards. *out_created tells whether they were made now. */
GTlsCertificate *regie_server_tls_load_or_create (const char       *data_dir,
                                                  const char       *host_name,
                                                  gboolean         *out_created,
                                                  GError          **error);
/* A certificate the municipality supplies (e.g. PKIoverheid). */
GTlsCertificate *regie_server_tls_load           (const char       *cert_file,
                                                  const char       *key_file,
                                                  GError          **error);
/* SHA-256 of the certificate's DER as "AA:BB:…" (95 characters). */
char            *regie_server_tls_fingerprint    (GTlsCertificate  *certificate);

G_END_DECLS
