/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <glib-object.h>

#include "regie-audit.h"
#include "regie-case.h"
#include "regie-server-user.h"
#include "regie-settings.h"
#include "regie-sync.h"
#include "regie-types.h"

G_BEGIN_DECLS

/* The municipal master database. All SQL of the server lives behind this
 * interface, so that another engine (PostgreSQL) can take its place.
 *
 * Every function may be called from any thread: each call borrows one
 * SQLite connection from a small pool for its duration, so a connection
 * is never used by two threads at once. Calls that touch the disk must
 * not be made from the SoupServer main loop. */

#define REGIE_TYPE_SERVER_DB (regie_server_db_get_type ())
G_DECLARE_FINAL_TYPE (RegieServerDb, regie_server_db, REGIE, SERVER_DB, GObject)

#define REGIE_SERVER_DB_SCHEMA_VERSION 4

RegieServerDb   *regie_server_db_open              (const char            *path,
                                                    GError               **error);
const char      *regie_server_db_get_path          (RegieServerDb         *self);

/* Highest sequence number committed (or being committed); kept in memory
 * so that a no-op pull needs no query. */
gint64           regie_server_db_get_max_seq       (RegieServerDb         *self);

/* The database epoch: 128 random bits as 32 lower-case hex digits, made
 * with the database and renewed when it turns out to be restored from an
 * older copy, so that clients can tell that edits the server acknowledged
 * may be gone (docs/protocol.md, "Restored databases"). */
#define REGIE_SERVER_DB_EPOCH_LEN 32

const char      *regie_server_db_get_epoch         (RegieServerDb         *self);
/* Call once before serving. Compares the generation file at `path` (the
 * epoch and high-water mark — the change sequence — last committed) with
 * the database, renews the epoch when they show the database is older
 * than what was served before (or `renew` is set: the operator restored
 * it), logs the renewal, and from then on rewrites the file after every
 * commit that moves the sequence. A missing or unreadable file renews
 * too, except for a database made by this open. */
gboolean         regie_server_db_check_generation  (RegieServerDb         *self,
                                                    const char            *path,
                                                    gboolean               renew,
                                                    gboolean              *out_renewed,
                                                    GError               **error);

gboolean         regie_server_db_has_municipality  (RegieServerDb         *self,
                                                    gboolean              *out_has,
                                                    GError               **error);

/* Sign-in. lookup_login sets *out_user to NULL for an unknown or
 * disabled user; *out_password_hash is then NULL too. */
gboolean         regie_server_db_lookup_login      (RegieServerDb         *self,
                                                    const char            *username,
                                                    RegieServerUser      **out_user,
                                                    char                 **out_password_hash,
                                                    GError               **error);
/* Registers device_id (nullable: a client without devices) for username
 * and stores the session bound to it, logging the sign-in. A device that
 * was revoked gets no session: *out_revoked is set and nothing but the
 * refusal is written. */
gboolean         regie_server_db_insert_session    (RegieServerDb         *self,
                                                    const char            *token_hash,
                                                    const char            *username,
                                                    const char            *device_id,
                                                    const char            *device_name,
                                                    gint64                 created_at,
                                                    gint64                 expires_at,
                                                    gboolean              *out_revoked,
                                                    GError               **error);
/* Sets *out_user to NULL when there is no live session for token_hash;
 * a session of a revoked device is returned with ->revoked set. */
gboolean         regie_server_db_lookup_session    (RegieServerDb         *self,
                                                    const char            *token_hash,
                                                    gint64                 now,
                                                    RegieServerUser      **out_user,
                                                    GError               **error);

/* Sign-out: forgets one session (nothing happens for an unknown one). */
gboolean         regie_server_db_delete_session    (RegieServerDb         *self,
                                                    const char            *token_hash,
                                                    const RegieServerUser *actor,
                                                    GError               **error);
/* Stores a new password hash and ends every session of the user except
 * keep_token_hash (may be NULL), in one transaction. */
gboolean         regie_server_db_set_password      (RegieServerDb         *self,
                                                    const char            *username,
                                                    const char            *password_hash,
                                                    const char            *keep_token_hash,
                                                    const char            *device_id,
                                                    GError               **error);
/* Every user, disabled ones included (RegieServerUser.disabled set), by
 * user name. */
GPtrArray       *regie_server_db_list_users        (RegieServerDb         *self,
                                                    GError               **error);
/* Disabling also ends every session of the user. *out_found is FALSE for
 * an unknown user (nothing changed). */
gboolean         regie_server_db_set_user_disabled (RegieServerDb         *self,
                                                    const RegieServerUser *actor,
                                                    const char            *username,
                                                    gboolean               disabled,
                                                    gboolean              *out_found,
                                                    GError               **error);

/* Checks every mutation against the permission matrix: the kind for the
 * user's role, the dossier for their scope (REGIE_ERROR_FORBIDDEN or
 * REGIE_ERROR_INVALID, nothing written), then applies the batch and its
 * processing-log entry in one transaction. Returns a GPtrArray of
 * RegiePushResult. */
GPtrArray       *regie_server_db_push              (RegieServerDb         *self,
                                                    const RegieServerUser *user,
                                                    GPtrArray             *mutations,
                                                    GError               **error);

/* Appends one pull page (changes with seq > cursor in the user's scope,
 * at most limit, and the end line) to page. */
gboolean         regie_server_db_pull              (RegieServerDb         *self,
                                                    const RegieServerUser *user,
                                                    gint64                 cursor,
                                                    unsigned               limit,
                                                    GString               *page,
                                                    GError               **error);

/* One snapshot page (docs/protocol.md, "Snapshots") for a first sync:
 * the dossiers of the user's scope with ids after `after` (NULL or "":
 * from the first), in id order, at most `limit`
 * (1…REGIE_SNAPSHOT_MAX_LIMIT), each as its person line and bundle, with
 * the pull's current cursor and the dossiers in scope on the S line. A
 * missing bundle is built from the same read and stored. The read is
 * logged in the processing log before the page is returned. Only for
 * roles that may read every kind: others get REGIE_ERROR_NOT_FOUND. */
GBytes          *regie_server_db_snapshot          (RegieServerDb         *self,
                                                    const RegieServerUser *user,
                                                    const char            *after,
                                                    unsigned               limit,
                                                    GError               **error);
/* Builds and stores the missing bundles of at most max_dossiers
 * dossiers, the first ones with an id after `after` (NULL: from the
 * first), in one read and one short write transaction. *out_last is the
 * id to continue after, or NULL when no dossier was left; *out_built
 * (may be NULL) how many bundles were stored. */
gboolean         regie_server_db_build_bundles     (RegieServerDb         *self,
                                                    const char            *after,
                                                    unsigned               max_dossiers,
                                                    char                 **out_last,
                                                    unsigned              *out_built,
                                                    GError               **error);

/* Municipal settings: one canonical JSON object in meta, with a version
 * that grows on every change (0 while the defaults were never changed). */
gboolean         regie_server_db_get_settings      (RegieServerDb         *self,
                                                    RegieSettings         *out_settings,
                                                    gint64                *out_version,
                                                    GError               **error);
gboolean         regie_server_db_set_settings      (RegieServerDb         *self,
                                                    const RegieSettings   *settings,
                                                    gint64                *out_version,
                                                    GError               **error);

/* Calls func once per dossier (ordered by dossier id) with all its
 * records, from one read snapshot; dossier_id NULL means every dossier.
 * Stops at the first FALSE from func. */
typedef gboolean (*RegieServerDbCaseFunc) (RegieCase  *dossier,
                                           gpointer    user_data,
                                           GError    **error);

gboolean         regie_server_db_export            (RegieServerDb         *self,
                                                    const char            *dossier_id,
                                                    RegieServerDbCaseFunc  func,
                                                    gpointer               user_data,
                                                    GError               **error);

/* Bulk loading (the demo municipality): one transaction, prepared
 * statements, records get version 1 and the next sequence number. */
typedef struct _RegieServerDbBulk RegieServerDbBulk;

RegieServerDbBulk *regie_server_db_bulk_begin      (RegieServerDb         *self,
                                                    GError               **error);
gboolean           regie_server_db_bulk_set_meta   (RegieServerDbBulk     *bulk,
                                                    const char            *key,
                                                    const char            *value,
                                                    GError               **error);
gboolean           regie_server_db_bulk_add_team   (RegieServerDbBulk     *bulk,
                                                    const char            *id,
                                                    const char            *name,
                                                    GError               **error);
gboolean           regie_server_db_bulk_add_user   (RegieServerDbBulk     *bulk,
                                                    const char            *username,
                                                    const char            *display_name,
                                                    RegieRole              role,
                                                    const char            *team,
                                                    const char            *password_hash,
                                                    GError               **error);
/* payload must be canonical; for an assignment, team and klantmanager
 * must repeat its members (they update the scope table). */
gboolean           regie_server_db_bulk_add_record (RegieServerDbBulk     *bulk,
                                                    const char            *id,
                                                    const char            *dossier_id,
                                                    RegieRecordKind        kind,
                                                    const char            *payload,
                                                    const char            *team,
                                                    const char            *klantmanager,
                                                    GError               **error);
gboolean           regie_server_db_bulk_commit     (RegieServerDbBulk     *bulk,
                                                    GError               **error);
/* Rolls back unless committed. */
void               regie_server_db_bulk_free       (RegieServerDbBulk     *bulk);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RegieServerDbBulk, regie_server_db_bulk_free)

/* Devices. Times are µs since the epoch; revoked_at 0: not revoked. */
typedef struct
{
  char   *id;
  char   *username;
  char   *name;
  gint64  first_seen;
  gint64  last_seen;
  gint64  revoked_at;
} RegieServerDevice;

void             regie_server_device_free          (RegieServerDevice     *device);
/* GPtrArray of RegieServerDevice, most recently seen first. */
GPtrArray       *regie_server_db_list_devices      (RegieServerDb         *self,
                                                    GError               **error);
/* Revokes every registration of device_id (idempotent) and logs it;
 * *out_found is FALSE for an unknown device. */
gboolean         regie_server_db_revoke_device     (RegieServerDb         *self,
                                                    const RegieServerUser *actor,
                                                    const char            *device_id,
                                                    gint64                 now,
                                                    gboolean              *out_found,
                                                    GError               **error);

/* The processing log (regie-audit.h): one entry in a transaction of its
 * own, for work whose own transaction is elsewhere (pull pages). */
gboolean         regie_server_db_audit             (RegieServerDb         *self,
                                                    const RegieAuditEntry *entry,
                                                    GError               **error);
gboolean         regie_server_db_audit_verify      (RegieServerDb         *self,
                                                    gint64                *out_entries,
                                                    char                 **out_head,
                                                    GError               **error);
/* {"dossier_id": …, "entries": [{seq, at, username, device, action,
 * field_classes}, …]} newest first, at most limit; only for a coordinator
 * of the dossier's team (REGIE_ERROR_FORBIDDEN otherwise). The reading
 * is logged too. */
JsonNode        *regie_server_db_access_log        (RegieServerDb         *self,
                                                    const RegieServerUser *user,
                                                    const char            *dossier_id,
                                                    unsigned               limit,
                                                    GError               **error);

/* {"record_id", "dossier_id", "kind", "versions": [{version, seq, author,
 * payload, overwritten: [member names a later merge overwrote]}, …]}
 * oldest first, the current version last; only for a user who may read
 * the record's kind in a dossier of their scope (REGIE_ERROR_FORBIDDEN
 * otherwise, also for an unknown record). The reading is logged. */
JsonNode        *regie_server_db_record_history    (RegieServerDb         *self,
                                                    const RegieServerUser *user,
                                                    const char            *record_id,
                                                    GError               **error);

/* Retention: purges every dossier closed longer than the settings'
 * retention_months before today (records deleted, the dossier record a
 * tombstone), logs it and returns the purged dossier ids (sorted). */
GPtrArray       *regie_server_db_purge             (RegieServerDb         *self,
                                                    const GDate           *today,
                                                    GError               **error);
/* REGIE_ERROR_FORBIDDEN when a mutation touches a purged dossier. */
gboolean         regie_server_db_check_not_purged  (RegieServerDb         *self,
                                                    GPtrArray             *mutations,
                                                    GError               **error);

G_END_DECLS
