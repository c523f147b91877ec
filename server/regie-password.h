/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define REGIE_PASSWORD_ITERATIONS 100000

/* "pbkdf2-sha256$ITER$SALT_HEX$HASH_HEX" with a random 16-byte salt.
 * Slow on purpose: call from a worker thread. */
char     *regie_password_hash        (const char  *password,
                                      GError     **error);
/* Constant-time comparison; FALSE for a malformed stored hash. A NULL
 * stored hash burns the same time and fails, so that an unknown user
 * cannot be told from a wrong password. */
gboolean  regie_password_verify      (const char  *password,
                                      const char  *stored);

/* Session tokens: 32 random bytes as 64 hex digits; only the SHA-256 hex
 * of a token is ever stored. */
char     *regie_session_token_new    (GError     **error);
char     *regie_session_token_hash   (const char  *token);

G_END_DECLS
