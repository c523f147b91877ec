/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <glib.h>

#include "regie-types.h"

G_BEGIN_DECLS

/* See docs/protocol.md for the wire format. */

#define REGIE_PROTOCOL_HEADER       "Regie-Protocol"
/* The server database's epoch, on every sign-in, push and pull answer;
 * a client may send the epoch it synced with on a pull (docs/protocol.md,
 * "Restored databases"). */
#define REGIE_DATABASE_EPOCH_HEADER "Regie-Database-Epoch"
/* On pull answers that carry changes: the server's newest cursor when the
 * pull began, for progress (optional; older servers send none). */
#define REGIE_PULL_HEAD_HEADER      "Regie-Pull-Head"
#define REGIE_MAX_PUSH_BYTES        (8 * 1024 * 1024)
#define REGIE_MAX_PUSH_MUTATIONS    5000
#define REGIE_MAX_LOGIN_BYTES       (4 * 1024)
#define REGIE_PULL_DEFAULT_LIMIT    5000
#define REGIE_PULL_MAX_LIMIT        20000

/* One client change. `id` is the idempotency key; `base_version` is the
 * server version the change was made on (0 for a new record). */
typedef struct
{
  char            *id;
  char            *record_id;
  char            *dossier_id;
  RegieRecordKind  kind;
  gint64           base_version;
  char            *payload;       /* JSON object text */
} RegieMutation;

RegieMutation *regie_mutation_new   (void);
void           regie_mutation_free  (RegieMutation *mutation);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RegieMutation, regie_mutation_free)

/* Parses {"mutations":[...]}; every mutation is checked (ids, kind,
 * version, payload validated and canonicalised for its kind). Returns a
 * GPtrArray of RegieMutation, or NULL with REGIE_ERROR_PARSE/INVALID/
 * TOO_LARGE naming the first bad mutation. */
GPtrArray     *regie_push_request_parse     (const char *body,
                                             gsize       length,
                                             GError    **error);
char          *regie_push_request_serialize (GPtrArray  *mutations);

typedef enum
{
  REGIE_PUSH_APPLIED,
  REGIE_PUSH_DUPLICATE,
  REGIE_PUSH_CONFLICT,
  REGIE_PUSH_REJECTED,
} RegiePushStatus;

typedef struct
{
  char            *mutation_id;
  RegiePushStatus  status;
  gint64           version;   /* version on the server after this mutation */
  char            *reason;    /* for conflict and rejected, else NULL */
  /* Additions (conflicts by field class; all optional on the wire, so an
   * older server's answer still parses):
   * - conflict: the server's current record, `current` (payload text,
   *   NULL when the record does not exist) at `current_version`;
   * - applied after a three-way merge: `merged` (GPtrArray of member
   *   names, possibly empty) lists the members of the server's version
   *   this edit overwrote, and `current` is the merged payload. NULL when
   *   the edit was applied as sent. */
  char            *current;
  gint64           current_version;
  GPtrArray       *merged;
} RegiePushResult;

RegiePushResult *regie_push_result_new   (const char      *mutation_id,
                                          RegiePushStatus  status,
                                          gint64           version,
                                          const char      *reason);
void             regie_push_result_free  (RegiePushResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RegiePushResult, regie_push_result_free)

const char *regie_push_status_to_string   (RegiePushStatus  status);
gboolean    regie_push_status_from_string (const char      *str,
                                           RegiePushStatus *out_status);

GPtrArray  *regie_push_response_parse     (const char *body,
                                           gsize       length,
                                           GError    **error);
char       *regie_push_response_serialize (GPtrArray  *results);

/* A pull page is text, one change per line, so that a client can store
 * payloads as received without building a JSON tree per record:
 *
 *   R <seq> <kind> <record_id> <dossier_id> <version> <payload-json>
 *   D <seq> <kind> <record_id> <dossier_id> <version>
 *   E <next-cursor> <more: 0|1>
 *
 * fields separated by one TAB, lines by LF; the page ends with exactly one
 * E line. Payloads are compact JSON, which never holds a raw TAB or LF. */
typedef struct
{
  gint64           seq;
  RegieRecordKind  kind;
  gboolean         deleted;
  const char      *record_id;   /* views into the page: not NUL-terminated */
  gsize            record_id_len;
  const char      *dossier_id;
  gsize            dossier_id_len;
  gint64           version;
  const char      *payload;
  gsize            payload_len;
} RegieChangeView;

typedef struct
{
  const char *pos;
  const char *end;
  gint64      next_cursor;
  gboolean    more;
  gboolean    finished;
} RegiePullReader;

void      regie_pull_reader_init (RegiePullReader *reader,
                                  const char      *page,
                                  gsize            length);
/* Returns TRUE and fills `change` for each change; returns FALSE at the
 * end line (reader->finished set, next_cursor/more filled) or on error. */
gboolean  regie_pull_reader_next (RegiePullReader *reader,
                                  RegieChangeView *change,
                                  GError         **error);

void      regie_pull_page_append_change (GString         *page,
                                         gint64           seq,
                                         RegieRecordKind  kind,
                                         const char      *record_id,
                                         const char      *dossier_id,
                                         gint64           version,
                                         gboolean         deleted,
                                         const char      *payload);
void      regie_pull_page_append_end    (GString         *page,
                                         gint64           next_cursor,
                                         gboolean         more);

/* First sync by snapshot (docs/protocol.md, "Snapshots"). A client with
 * an empty store asks GET /api/v1/sync/snapshot?after=<dossier-id>&limit=N
 * (after empty on the first page) instead of pulling every change. The
 * answer (Content-Type REGIE_SNAPSHOT_CONTENT_TYPE) is, per line:
 *
 *   S <cursor> <dossiers-in-scope>                 first line, once
 *   R <seq> person <record_id> <dossier_id> <version> <payload>
 *   B <dossier_id> <n_records> <n_bytes>           then n_bytes of data, then LF
 *   E <last-dossier-id or -> <more: 0|1>           last line, once
 *
 * A B line's data is a "bundle": every other live record of the dossier
 * as a pull page (R lines and one E line), compressed with raw deflate.
 * Dossiers come in id order; `after` is the last id of the page before.
 * <cursor> is where incremental pulls start once the last page is
 * stored; every page sends the server's cursor of that moment and the
 * client keeps the one from its first page (later pages may be newer:
 * pulling from the first cursor replays what changed meanwhile). A server
 * that has no snapshot for the signed-in role answers 404, and the client
 * pulls from cursor 0. */
#define REGIE_SNAPSHOT_CONTENT_TYPE   "application/x-regie-snapshot"
#define REGIE_SNAPSHOT_DEFAULT_LIMIT  2000
#define REGIE_SNAPSHOT_MAX_LIMIT      5000
/* An inflated bundle larger than this is refused (a deflate bomb). */
#define REGIE_BUNDLE_MAX_BYTES        (64 * 1024 * 1024)

typedef enum
{
  REGIE_SNAPSHOT_ITEM_START,   /* cursor, total */
  REGIE_SNAPSHOT_ITEM_PERSON,  /* change (a person record, never deleted) */
  REGIE_SNAPSHOT_ITEM_BUNDLE,  /* dossier_id, n_records, data */
} RegieSnapshotItemType;

typedef struct
{
  RegieSnapshotItemType  type;
  gint64                 cursor;        /* START */
  gint64                 total;         /* START */
  RegieChangeView        change;        /* PERSON */
  const char            *dossier_id;    /* BUNDLE: a view, 36 bytes, not NUL-terminated */
  gsize                  dossier_id_len;
  gint64                 n_records;     /* BUNDLE */
  const guint8          *data;          /* BUNDLE: compressed, a view into the page */
  gsize                  data_len;
} RegieSnapshotItem;

typedef struct
{
  const char *pos;
  const char *end;
  gboolean    started;
  gboolean    finished;
  gboolean    more;          /* from the E line */
  char        last_dossier_id[37];  /* from the E line; "" for "-" */
} RegieSnapshotReader;

void      regie_snapshot_reader_init (RegieSnapshotReader *reader,
                                      const char          *page,
                                      gsize                length);
/* Returns TRUE and fills `item` for each item (START first); FALSE at the
 * E line (reader->finished set) or on error (REGIE_ERROR_PARSE). */
gboolean  regie_snapshot_reader_next (RegieSnapshotReader *reader,
                                      RegieSnapshotItem   *item,
                                      GError             **error);

void      regie_snapshot_page_append_start  (GString      *page,
                                             gint64        cursor,
                                             gint64        total);
/* A person line: regie_pull_page_append_change() with kind person. */
void      regie_snapshot_page_append_bundle (GString      *page,
                                             const char   *dossier_id,
                                             gint64        n_records,
                                             const guint8 *data,
                                             gsize         data_len);
void      regie_snapshot_page_append_end    (GString      *page,
                                             const char   *last_dossier_id,
                                             gboolean      more);

/* Raw deflate (GZlibCompressor, level 6) and its inverse; regie_inflate
 * refuses output beyond max_bytes and data that is not whole. */
GBytes   *regie_deflate (const void  *data,
                         gsize        length);
GBytes   *regie_inflate (const void  *data,
                         gsize        length,
                         gsize        max_bytes,
                         GError     **error);

/* Error bodies: {"error":"<code>","message":"<text>"} */
char     *regie_error_body_new          (const GError    *error);
gboolean  regie_error_body_parse        (const char      *body,
                                         gsize            length,
                                         unsigned         http_status,
                                         GError         **error);

G_END_DECLS
