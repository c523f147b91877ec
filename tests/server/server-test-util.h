/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <glib.h>

#include "regie-sync.h"
#include "regie-test-server.h"

G_BEGIN_DECLS

/* The persona dossiers of docs/demo-accounts.md have fixed ids. */
#define PERSONA_TESFAY "01900000-0000-7000-8000-000000000001"
#define PERSONA_LINA   "01900000-0000-7000-8000-000000000002"
#define PERSONA_AYSE   "01900000-0000-7000-8000-000000000003"
#define PERSONA_RAHAF  "01900000-0000-7000-8000-000000000004"
#define PERSONA_LINA_PERSON "01900000-0000-7000-8001-000000000002"
#define PERSONA_TESFAY_NOTE "01900000-0000-7000-8003-000001000001"

typedef struct
{
  gint64           seq;
  RegieRecordKind  kind;
  char            *record_id;
  char            *dossier_id;
  gint64           version;
  gboolean         deleted;
  char            *payload;
} TestChange;

typedef struct
{
  GPtrArray  *changes;      /* TestChange, in order */
  GHashTable *by_id;        /* record id → TestChange (last seen) */
  GHashTable *dossiers;     /* dossier ids seen (set) */
  gint64      cursor;       /* next cursor after the last page */
  unsigned    n_pages;
} TestPull;

void      test_pull_free      (TestPull *pull);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestPull, test_pull_free)

/* An answer with its headers, for tests that look beyond the body. */
typedef struct
{
  unsigned            status;
  char               *body;      /* NUL-terminated */
  gsize               len;
  SoupMessageHeaders *headers;   /* the response headers */
} TestResponse;

void      test_response_free  (TestResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestResponse, test_response_free)

/* As regie_test_http(), on `session` (reused: one TLS handshake for many
 * requests), with one more request header when extra_name is set. */
TestResponse *test_request    (SoupSession *session,
                               const char  *url,
                               const char  *method,
                               const char  *path,
                               const char  *token,
                               const char  *body,
                               const char  *extra_name,
                               const char  *extra_value);

/* A valid payload of every record kind; a note is signed by `author`. */
char     *test_sample_payload (RegieRecordKind  kind,
                               const char      *author);

/* A request with an explicit Regie-Protocol value (NULL: none). */
char     *test_http_protocol  (const char *url,
                               const char *method,
                               const char *path,
                               const char *protocol,
                               unsigned   *out_status);

char     *test_login          (const char *url,
                               const char *username);
/* Pulls every page from cursor with the given limit (0: server default);
 * asserts each page is well-formed and no record comes twice. */
TestPull *test_pull_all       (const char *url,
                               const char *token,
                               gint64      cursor,
                               unsigned    limit);
gint64    test_pull_cursor    (const char *url,
                               const char *token);
/* Returns the response body; *out_status set. */
char     *test_push           (const char *url,
                               const char *token,
                               const char *body,
                               gsize       len,
                               unsigned   *out_status);
/* Parses a 200 push answer into RegiePushResult. */
GPtrArray *test_push_results  (const char *body);
/* Pushes one mutation (a new mutation id), asserts a 200 answer with one
 * result and returns that result (owned). */
RegiePushResult *test_push_one (const char *url,
                                const char *token,
                                const char *record_id,
                                const char *dossier_id,
                                const char *kind,
                                gint64      base_version,
                                const char *payload);
/* Asserts body is an error body with the given code; returns message. */
char     *test_assert_error   (const char *body,
                               unsigned    status,
                               const char *code);

/* Appends one note mutation to a batch being built in `batch` (which
 * starts as "{\"mutations\":[" and is closed by test_batch_end). */
GString  *test_batch_begin    (void);
void      test_batch_add      (GString    *batch,
                               const char *mutation_id,
                               const char *record_id,
                               const char *dossier_id,
                               const char *kind,
                               gint64      base_version,
                               const char *payload);
char     *test_note_payload   (const char *author,
                               const char *text);
char     *test_batch_end      (GString    *batch);
char     *test_uuid           (void);

/* Runs `path` with argv (NULL-terminated, without argv[0]) feeding
 * `input` (may be NULL) on stdin; returns stdout and sets *out_status to
 * the exit status (asserts that it exited normally). */
char     *test_run            (const char         *path,
                               const char * const *args,
                               const char         *input,
                               int                *out_status);
/* regie-server export of a demo generation in a fresh data dir: one
 * dossier JSON per line. `dossier` NULL exports every dossier. */
char     *test_demo_export    (unsigned            n_dossiers,
                               const char         *seed,
                               const char         *reference_date,
                               const char         *dossier);
/* Splits test_demo_export output into lines (without the empty tail). */
GPtrArray *test_split_lines   (const char         *text);

G_END_DECLS
