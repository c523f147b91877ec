/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define REGIE_ERROR (regie_error_quark ())

/* One error domain for everything in libregie-common, the server and the
 * client. The codes are stable: the server maps them to HTTP statuses and
 * the client to messages a caseworker can act on. */
typedef enum
{
  REGIE_ERROR_INVALID,       /* a value fails validation (400) */
  REGIE_ERROR_PARSE,         /* not JSON, or not the expected shape (400) */
  REGIE_ERROR_TOO_LARGE,     /* body or field over its limit (413) */
  REGIE_ERROR_AUTH,          /* not signed in, or wrong credentials (401) */
  REGIE_ERROR_FORBIDDEN,     /* outside the user's role or scope (403) */
  REGIE_ERROR_NOT_FOUND,     /* (404) */
  REGIE_ERROR_CONFLICT,      /* stale base version (409) */
  REGIE_ERROR_GONE,          /* cursor no longer valid: resync (410) */
  REGIE_ERROR_PROTOCOL,      /* protocol version mismatch (426) */
  REGIE_ERROR_NETWORK,       /* the server could not be reached */
  REGIE_ERROR_SERVER,        /* the server failed (5xx) */
  REGIE_ERROR_STORAGE,       /* SQLite or the file system failed */
  REGIE_ERROR_THROTTLED,     /* too many attempts: wait (429) */
  REGIE_ERROR_REVOKED,       /* this device was revoked: wipe (401) */
  REGIE_ERROR_LOCKED,        /* the local store is locked: unlock first (client only) */
} RegieError;

GQuark      regie_error_quark          (void);
unsigned    regie_error_to_http_status (const GError *error);
RegieError  regie_error_from_http_status (unsigned status);

G_END_DECLS
