/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <glib-object.h>

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

#define REGIE_SERVER_DB_SCHEMA_VERSION 1

RegieServerDb   *regie_server_db_open              (const char            *path,
                                                    GError               **error);
const char      *regie_server_db_get_path          (RegieServerDb         *self);

/* Highest sequence number committed (or being committed); kept in memory
 * so that a no-op pull needs no query. */
gint64           regie_server_db_get_max_seq       (RegieServerDb         *self);

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
gboolean         regie_server_db_insert_session    (RegieServerDb         *self,
                                                    const char            *token_hash,
                                                    const char            *username,
                                                    gint64                 created_at,
                                                    gint64                 expires_at,
                                                    GError               **error);
/* Sets *out_user to NULL when there is no live session for token_hash. */
gboolean         regie_server_db_lookup_session    (RegieServerDb         *self,
                                                    const char            *token_hash,
                                                    gint64                 now,
                                                    RegieServerUser      **out_user,
                                                    GError               **error);

/* Sign-out: forgets one session (nothing happens for an unknown one). */
gboolean         regie_server_db_delete_session    (RegieServerDb         *self,
                                                    const char            *token_hash,
                                                    GError               **error);
/* Stores a new password hash and ends every session of the user except
 * keep_token_hash (may be NULL), in one transaction. */
gboolean         regie_server_db_set_password      (RegieServerDb         *self,
                                                    const char            *username,
                                                    const char            *password_hash,
                                                    const char            *keep_token_hash,
                                                    GError               **error);
/* Every user, disabled ones included (RegieServerUser.disabled set), by
 * user name. */
GPtrArray       *regie_server_db_list_users        (RegieServerDb         *self,
                                                    GError               **error);
/* Disabling also ends every session of the user. *out_found is FALSE for
 * an unknown user (nothing changed). */
gboolean         regie_server_db_set_user_disabled (RegieServerDb         *self,
                                                    const char            *username,
                                                    gboolean               disabled,
                                                    gboolean              *out_found,
                                                    GError               **error);

/* Checks scope and role of every mutation (REGIE_ERROR_FORBIDDEN or
 * REGIE_ERROR_INVALID, nothing written), then applies the batch in one
 * transaction. Returns a GPtrArray of RegiePushResult. */
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

G_END_DECLS
