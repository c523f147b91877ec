/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <gio/gio.h>

#include "regie-case.h"
#include "regie-records.h"
#include "regie-sync.h"

G_BEGIN_DECLS

/* The caseworker's local copy: one SQLite file per user and server. Every
 * local edit writes its record and its outbox row in one transaction.
 *
 * Encryption at rest (docs/security.md): every record payload, outbox
 * payload and secret in the file is sealed with AES-256-GCM under a random
 * data key, which is itself kept only wrapped under a key derived from the
 * user's password (scrypt). A store opens locked: metadata (ids, kinds,
 * versions, counts, the cursor) can be read, but anything personal fails
 * with REGIE_ERROR_LOCKED until regie_store_unlock(). */

#define REGIE_TYPE_STORE (regie_store_get_type ())
G_DECLARE_FINAL_TYPE (RegieStore, regie_store, REGIE, STORE, GObject)

/* $XDG_DATA_HOME/regie/stores/<username>@<host>_<port>.sqlite */
char        *regie_store_path_for        (const char  *server_url,
                                          const char  *username);
RegieStore  *regie_store_open            (const char  *path,
                                          GError     **error);
const char  *regie_store_get_path        (RegieStore  *self);

typedef enum
{
  REGIE_UNLOCK_DEFAULT = 0,
  /* A store without a data key gets a new one under this password (and
   * an older plain-text store is encrypted in place). Only after the
   * server accepted the password: an offline unlock never creates one. */
  REGIE_UNLOCK_CREATE  = 1 << 0,
} RegieUnlockFlags;

/* REGIE_ERROR_AUTH for a wrong password; REGIE_ERROR_NOT_FOUND when the
 * store has no data key and REGIE_UNLOCK_CREATE was not given. Takes
 * about 0.1 s (scrypt): use the async variant on the main thread. */
gboolean     regie_store_unlock          (RegieStore        *self,
                                          const char        *password,
                                          RegieUnlockFlags   flags,
                                          GError           **error);
void         regie_store_unlock_async    (RegieStore          *self,
                                          const char          *password,
                                          RegieUnlockFlags     flags,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean     regie_store_unlock_finish   (RegieStore    *self,
                                          GAsyncResult  *result,
                                          GError       **error);
/* Forgets the data key ("locked" turns TRUE). */
void         regie_store_lock            (RegieStore  *self);
gboolean     regie_store_is_locked       (RegieStore  *self);
/* Whether a data key was ever made here (an offline unlock can work). */
gboolean     regie_store_has_data_key    (RegieStore  *self);
/* Wraps the data key under a new password; needs the store unlocked. */
gboolean     regie_store_change_password (RegieStore  *self,
                                          const char  *new_password,
                                          GError     **error);
/* Another connection to the same file, unlocked with the same key, for a
 * worker thread. */
RegieStore  *regie_store_open_sibling    (RegieStore  *self,
                                          GError     **error);

/* Caseload: a GListModel of RegieCaseloadItem, sorted by family name. */
GListModel  *regie_store_load_caseload   (RegieStore  *self,
                                          GError     **error);
RegiePerson *regie_store_get_person      (RegieStore  *self,
                                          const char  *dossier_id,
                                          GError     **error);

typedef struct
{
  char      *record_id;
  RegieNote *note;
  gboolean   pending;     /* written here, not yet acknowledged by the server */
} RegieStoreNote;

void         regie_store_note_free       (RegieStoreNote *note);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RegieStoreNote, regie_store_note_free)

/* Notes of a dossier, oldest first (GPtrArray of RegieStoreNote). */
GPtrArray   *regie_store_list_notes      (RegieStore  *self,
                                          const char  *dossier_id,
                                          GError     **error);
/* Works offline. Returns the new note's record id. */
char        *regie_store_add_note        (RegieStore  *self,
                                          const char  *dossier_id,
                                          const char  *author,
                                          const char  *text,
                                          GError     **error);

/* Any record kind. `record_id` NULL creates a record; otherwise the record
 * is replaced (append-only kinds refuse). The payload is validated and
 * stored canonical with its outbox row in one transaction; works offline.
 * Returns the record id. */
char        *regie_store_put_record      (RegieStore       *self,
                                          const char       *dossier_id,
                                          RegieRecordKind   kind,
                                          const char       *record_id,
                                          const char       *payload,
                                          GError          **error);
/* Every record of a dossier, as the rules engine reads it. */
RegieCase   *regie_store_load_case       (RegieStore  *self,
                                          const char  *dossier_id,
                                          GError     **error);
gboolean     regie_store_record_is_pending (RegieStore *self,
                                            const char *record_id);

guint        regie_store_count_pending   (RegieStore  *self);
gint64       regie_store_get_cursor      (RegieStore  *self);

/* Remembered account, for starting offline (sealed; needs the store
 * unlocked). The password itself is never kept: unlocking checks it. */
gboolean     regie_store_save_account    (RegieStore  *self,
                                          const char  *display_name,
                                          const char  *role,
                                          const char  *team,
                                          const char  *token,
                                          GError     **error);
/* Sealed values ("token", "display_name", "team") read as NULL while the
 * store is locked. */
char        *regie_store_dup_meta        (RegieStore  *self,
                                          const char  *key);

/* Sync engine side. */
GPtrArray   *regie_store_read_outbox     (RegieStore  *self,
                                          guint        max,
                                          GError     **error);
gboolean     regie_store_ack_outbox      (RegieStore  *self,
                                          GPtrArray   *results,
                                          GError     **error);
gboolean     regie_store_apply_pull_page (RegieStore  *self,
                                          const char  *page,
                                          gsize        length,
                                          gint64      *out_next_cursor,
                                          gboolean    *out_more,
                                          guint       *out_n_changes,
                                          GError     **error);

/* A first sync by snapshot (docs/protocol.md, "Snapshots"). TRUE when the
 * next sync should ask for snapshot pages rather than pull: a snapshot is
 * under way (an earlier page said more follow), or the store is empty
 * (cursor 0, no records, nothing in the outbox). out_cursor: the cursor
 * of the snapshot's first page, 0 when none was stored yet; out_after
 * (free it): the last dossier stored, the `after` of the next page, NULL
 * when none. Works while locked. */
gboolean     regie_store_wants_snapshot  (RegieStore  *self,
                                          gint64      *out_cursor,
                                          char       **out_after);
/* Stores one snapshot page in one transaction: each person as a sealed
 * row (as a pull stores it) and each dossier's bundle as one sealed row,
 * not opened. The dossier is then "bundled" until something writes to it:
 * reads (load_case, list_notes, get_person) open the bundle in memory and
 * give its records as if they were rows; the first write to the dossier
 * (an edit, a pulled change, a resolved conflict) turns its records into
 * rows in the same transaction, and a purge drops the bundle unopened.
 * A bundle that does not open (altered, or moved to another dossier) is
 * logged and its records left out of reads, like an unreadable row;
 * writes to that dossier fail with REGIE_ERROR_STORAGE rather than lose
 * them. After the last page (*out_more FALSE) the pull cursor is the
 * first page's cursor. REGIE_ERROR_PARSE for a page cut off or malformed, with
 * dossiers out of order or not after those stored, or a person line
 * followed by another dossier's bundle; REGIE_ERROR_INVALID when the store
 * already holds records of a pull. Nothing changes on error.
 * out_total: the dossiers in scope (from the page); out_n_dossiers: those
 * in this page. Emits "changed" (NULL) when it stored any. */
gboolean     regie_store_apply_snapshot_page (RegieStore  *self,
                                              const char  *page,
                                              gsize        length,
                                              gboolean    *out_more,
                                              gint64      *out_total,
                                              guint       *out_n_dossiers,
                                              GError     **error);

/* The server's database epoch (Regie-Database-Epoch, docs/protocol.md
 * "Restored databases"), from any answer. When it differs from the one
 * known, the server was restored from an older copy: every edit it had
 * acknowledged in the last 30 days goes back into the outbox (same
 * mutation ids) and the cursor is reset (*out_restored); out_requeued:
 * how many went back. */
gboolean     regie_store_note_server_epoch (RegieStore  *self,
                                            const char  *epoch,
                                            gboolean    *out_restored,
                                            guint       *out_requeued,
                                            GError     **error);

/* Additions (client core). Any meta key, e.g. "username", "server_url". */
gboolean     regie_store_set_meta        (RegieStore  *self,
                                          const char  *key,
                                          const char  *value,
                                          GError     **error);
/* Forget the pull position (full resync after 410 Gone); keeps the outbox.
 * Also abandons a snapshot under way: the store is no longer empty, so
 * the next sync pulls every change, and the dossiers stored by the
 * snapshot are expanded as their changes come (same versions: nothing
 * else written). A new server epoch does the same. */
gboolean     regie_store_reset_cursor    (RegieStore  *self,
                                          GError     **error);
/* Outbox rows the server answered with conflict or rejected; they are
 * not re-sent and wait for the user. Included in count_pending. */
guint        regie_store_count_stuck     (RegieStore  *self);

/* The conflict queue (docs/protocol.md, conflicts by field class). A
 * conflict is an edit the server did not apply because the record changed
 * meanwhile and its kind needs a decision; it is kept, not re-sent, with
 * the server's record, until the user chooses. */
typedef struct
{
  char            *record_id;
  char            *dossier_id;
  RegieRecordKind  kind;
  char            *mine;             /* the payload this device made */
  char            *theirs;           /* the server's current payload; NULL when it has none */
  gint64           base_version;     /* what mine was made on */
  gint64           current_version;  /* the server's version (theirs) */
  char            *reason;
  char            *person;           /* orphaned: the dossier's person record as it
                                      * was when the dossier left (JSON), or NULL */
} RegieConflict;

void         regie_conflict_free          (RegieConflict *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RegieConflict, regie_conflict_free)

typedef enum
{
  REGIE_CONFLICT_MINE,    /* send mine again, on the server's version */
  REGIE_CONFLICT_THEIRS,  /* drop mine, keep the server's record */
  REGIE_CONFLICT_EDIT,    /* send an edited payload on the server's version */
} RegieConflictChoice;

/* GPtrArray of RegieConflict, oldest first. */
GPtrArray   *regie_store_list_conflicts   (RegieStore          *self,
                                           GError             **error);
/* REGIE_ERROR_NOT_FOUND when the record has no conflict; edited_payload
 * only (and required) for REGIE_CONFLICT_EDIT, validated for the kind. */
gboolean     regie_store_resolve_conflict (RegieStore          *self,
                                           const char          *record_id,
                                           RegieConflictChoice  choice,
                                           const char          *edited_payload,
                                           GError             **error);
/* Unsent edits of dossiers that left the user's scope (reassigned,
 * closed) before they were sent: kept locally and reported here, never
 * sent nor dropped silently. GPtrArray of RegieConflict (theirs NULL;
 * reason says why). Included in count_stuck. */
GPtrArray   *regie_store_list_orphaned    (RegieStore          *self,
                                           GError             **error);

/* Edits the server refused outright (invalid or forbidden; reason says
 * why): kept, not re-sent, included in count_stuck. As list_orphaned. */
GPtrArray   *regie_store_list_rejected    (RegieStore          *self,
                                           GError             **error);
/* Drops an orphaned or rejected edit of record_id for good, after the
 * user saw it (and perhaps copied its text). REGIE_ERROR_NOT_FOUND when
 * there is none. A refused edit of a record the server has resets the
 * cursor, so the next sync brings the server's version back. */
gboolean     regie_store_dismiss_stuck    (RegieStore          *self,
                                           const char          *record_id,
                                           GError             **error);

/* Signals: "changed" (const char *dossier_id, or NULL when many dossiers
 * changed) after a local edit or an applied pull page. */

#define REGIE_TYPE_CASELOAD_ITEM (regie_caseload_item_get_type ())
G_DECLARE_FINAL_TYPE (RegieCaseloadItem, regie_caseload_item, REGIE, CASELOAD_ITEM, GObject)

/* Properties (all read-only strings unless noted): "dossier-id",
 * "full-name" ("Given Family"), "sort-name" ("Family, Given"), "bsn",
 * "v-number", "birth-date", "doelgroep" (wire name), "search-key" (folded
 * lower-case name + BSN + V-nummer, for filtering). */
const char *regie_caseload_item_get_dossier_id (RegieCaseloadItem *self);
const char *regie_caseload_item_get_full_name  (RegieCaseloadItem *self);
const char *regie_caseload_item_get_sort_name  (RegieCaseloadItem *self);
const char *regie_caseload_item_get_bsn        (RegieCaseloadItem *self);
const char *regie_caseload_item_get_v_number   (RegieCaseloadItem *self);
const char *regie_caseload_item_get_birth_date (RegieCaseloadItem *self);
const char *regie_caseload_item_get_doelgroep  (RegieCaseloadItem *self);
gboolean    regie_caseload_item_matches        (RegieCaseloadItem *self,
                                                const char        *folded_query);
/* Folds a query the same way as the search key (lower case, no accents). */
char       *regie_search_fold                  (const char        *text);

G_END_DECLS
