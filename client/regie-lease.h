/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <libsoup/soup.h>

#include "regie-sync-engine.h"

G_BEGIN_DECLS

/* Devices and leases (docs/security.md, "Devices and leases").
 *
 * Every installation has a device id, a random UUID in
 * $XDG_DATA_HOME/regie/device-id, sent with the host name at sign-in; the
 * server binds the session to it. A beheerder can revoke a device: every
 * request of it is then answered 401 {"error": "revoked"}, and the client
 * wipes its local store at once.
 *
 * The lease: every successful sign-in and sync carries a Regie-Lease-Until
 * header (RFC 3339, UTC). It is kept beside the store, in STORE.lease.
 * Past it — or when the clock went back before the last time seen — the
 * store must not be opened until an online sign-in succeeds. */

/* The device id of this installation (made on first use), lower case. */
char            *regie_device_dup_id             (GError          **error);
/* What the beheerder sees in the device list: the host name. */
char            *regie_device_dup_name           (void);

/* Whether error is the server's 401 {"error": "revoked"} (a
 * REGIE_ERROR_AUTH whose message starts "Device revoked:", untranslated;
 * common/ has no REGIE_ERROR_REVOKED yet). */
gboolean         regie_api_error_is_revoked      (const GError     *error);
/* The translated sentence to show after a revocation. */
const char      *regie_device_revoked_message    (void);

/* Deletes the store file, its -wal, -shm and -journal and its lease (the
 * certificate pins stay). Missing files are fine. An open RegieStore keeps
 * working on the deleted files until it is finalized: drop every
 * reference to it before a new store is opened at the same path. */
gboolean         regie_lease_wipe_store          (const char       *store_path,
                                                  GError          **error);

typedef enum
{
  REGIE_LEASE_VALID,     /* within the lease: may be opened offline */
  REGIE_LEASE_EXPIRED,   /* past the lease */
  REGIE_LEASE_NONE,      /* never leased (or the lease file is unreadable) */
  REGIE_LEASE_CLOCK,     /* the clock is earlier than a time already seen */
} RegieLeaseStatus;

/* Keeps a Regie-Lease-Until value (RFC 3339) for the store at store_path. */
gboolean         regie_lease_record              (const char       *store_path,
                                                  const char       *lease_until,
                                                  GError          **error);
/* The same from a successful response, if it has the header; silent. */
void             regie_lease_note_response       (const char       *store_path,
                                                  SoupMessage      *message);
/* now: seconds since the epoch (g_get_real_time () / G_USEC_PER_SEC). */
RegieLeaseStatus regie_lease_check               (const char       *store_path,
                                                  gint64            now);
/* The lease's end as seconds since the epoch, or 0. */
gint64           regie_lease_get_until           (const char       *store_path);
/* TRUE when the store may be opened for offline work; else FALSE with a
 * REGIE_ERROR_AUTH whose message is translated and says to sign in
 * online. Call before opening a store without signing in. */
gboolean         regie_lease_check_store         (const char       *store_path,
                                                  GError          **error);
/* Whether the lease of the engine's store has run out (or never was):
 * the UI then locks and asks for an online sign-in. */
gboolean         regie_sync_engine_lease_expired (RegieSyncEngine  *self);

G_END_DECLS
