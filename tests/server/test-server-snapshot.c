/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieTest"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "regie-records.h"
#include "server-test-util.h"

/* First sync by snapshot (docs/protocol.md, "Snapshots"): what a
 * klantmanager's empty laptop receives must be exactly what pulling every
 * change would have given it. */

static RegieTestServer *server;

static const char *
url (void)
{
  return regie_test_server_get_url (server);
}

/* Everything one snapshot gave, page after page. */
typedef struct
{
  GHashTable *records;       /* record id → TestChange */
  GPtrArray  *dossiers;      /* dossier ids, in the order they came */
  GHashTable *dossier_set;
  gint64      cursor;        /* from the first page */
  gint64      total;
  unsigned    n_pages;
  gboolean    written_meanwhile;  /* later pages may be newer */
} Snapshot;

static void
change_free (TestChange *change)
{
  g_free (change->record_id);
  g_free (change->dossier_id);
  g_free (change->payload);
  g_free (change);
}

static void
snapshot_free (Snapshot *snap)
{
  g_hash_table_unref (snap->records);
  g_hash_table_unref (snap->dossier_set);
  g_ptr_array_unref (snap->dossiers);
  g_free (snap);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Snapshot, snapshot_free)

static void
add_change (Snapshot              *snap,
            const RegieChangeView *view)
{
  TestChange *change = g_new0 (TestChange, 1);

  /* An empty store gets live records only, each once. */
  g_assert_false (view->deleted);
  change->seq = view->seq;
  change->kind = view->kind;
  change->version = view->version;
  change->record_id = g_strndup (view->record_id, view->record_id_len);
  change->dossier_id = g_strndup (view->dossier_id, view->dossier_id_len);
  change->payload = g_strndup (view->payload, view->payload_len);
  g_assert_false (g_hash_table_contains (snap->records, change->record_id));
  g_hash_table_insert (snap->records, change->record_id, change);
}

/* Checks one page's grammar and order; returns whether more follow and
 * the id to ask after. */
static void
read_page (Snapshot   *snap,
           const char *page,
           gsize       len,
           char      **out_after,
           gboolean   *out_more)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *person_of = NULL;
  RegieSnapshotReader reader;
  RegieSnapshotItem item;
  unsigned n_bundles = 0;
  gboolean started = FALSE;

  regie_snapshot_reader_init (&reader, page, len);
  while (regie_snapshot_reader_next (&reader, &item, &error))
    {
      switch (item.type)
        {
        case REGIE_SNAPSHOT_ITEM_START:
          g_assert_false (started);
          started = TRUE;
          if (snap->n_pages == 0)
            {
              snap->cursor = item.cursor;
              snap->total = item.total;
            }
          else if (snap->written_meanwhile)
            g_assert_cmpint (item.cursor, >=, snap->cursor);
          else
            {
              g_assert_cmpint (item.cursor, ==, snap->cursor);
              g_assert_cmpint (item.total, ==, snap->total);
            }
          break;

        case REGIE_SNAPSHOT_ITEM_PERSON:
          g_assert_true (started);
          g_assert_null (person_of);
          g_assert_cmpint (item.change.kind, ==, REGIE_RECORD_PERSON);
          person_of = g_strndup (item.change.dossier_id, item.change.dossier_id_len);
          add_change (snap, &item.change);
          break;

        case REGIE_SNAPSHOT_ITEM_BUNDLE:
          {
            g_autofree char *dossier_id = g_strndup (item.dossier_id, item.dossier_id_len);
            g_autoptr(GBytes) text = NULL;
            g_autoptr(GError) inflate_error = NULL;
            RegiePullReader pull;
            RegieChangeView view;
            gsize text_len = 0;
            const char *text_data;
            gint64 n = 0;

            g_assert_true (started);
            /* The person line belongs to the bundle after it. */
            if (person_of != NULL)
              g_assert_cmpstr (person_of, ==, dossier_id);
            g_clear_pointer (&person_of, g_free);

            /* In id order, each dossier once over all pages. */
            if (snap->dossiers->len > 0)
              g_assert_cmpint (strcmp (g_ptr_array_index (snap->dossiers, snap->dossiers->len - 1),
                                       dossier_id), <, 0);
            g_assert_false (g_hash_table_contains (snap->dossier_set, dossier_id));

            text = regie_inflate (item.data, item.data_len, REGIE_BUNDLE_MAX_BYTES, &inflate_error);
            g_assert_no_error (inflate_error);
            text_data = g_bytes_get_data (text, &text_len);
            regie_pull_reader_init (&pull, text_data, text_len);
            while (regie_pull_reader_next (&pull, &view, &inflate_error))
              {
                g_assert_cmpint (view.kind, !=, REGIE_RECORD_PERSON);
                g_assert_cmpuint (view.dossier_id_len, ==, strlen (dossier_id));
                g_assert_true (memcmp (view.dossier_id, dossier_id, view.dossier_id_len) == 0);
                add_change (snap, &view);
                n++;
              }
            g_assert_no_error (inflate_error);
            g_assert_true (pull.finished);
            g_assert_false (pull.more);
            g_assert_cmpint (n, ==, item.n_records);

            g_hash_table_add (snap->dossier_set, g_strdup (dossier_id));
            g_ptr_array_add (snap->dossiers, g_steal_pointer (&dossier_id));
            n_bundles++;
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }
  g_assert_no_error (error);
  g_assert_true (started);
  g_assert_true (reader.finished);
  g_assert_null (person_of);

  /* The E line names the last dossier of the page ("-" for none). */
  if (n_bundles > 0)
    g_assert_cmpstr (reader.last_dossier_id, ==,
                     g_ptr_array_index (snap->dossiers, snap->dossiers->len - 1));
  else
    g_assert_cmpstr (reader.last_dossier_id, ==, "");

  snap->n_pages++;
  *out_more = reader.more;
  *out_after = g_strdup (reader.last_dossier_id);
}

static char *
snapshot_page (const char *token,
               const char *after,
               unsigned    limit,
               unsigned   *out_status,
               gsize      *out_len)
{
  g_autofree char *path = NULL;

  if (limit > 0)
    path = g_strdup_printf ("/api/v1/sync/snapshot?after=%s&limit=%u", after, limit);
  else
    path = g_strdup_printf ("/api/v1/sync/snapshot?after=%s", after);

  return regie_test_http (url (), "GET", path, token, NULL, 0, out_status, out_len);
}

/* Every page, with the given limit (0: the server's default). */
static Snapshot *
snapshot_all (const char *token,
              unsigned    limit)
{
  Snapshot *snap = g_new0 (Snapshot, 1);
  g_autofree char *after = g_strdup ("");
  gboolean more = TRUE;

  snap->records = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) change_free);
  snap->dossiers = g_ptr_array_new_with_free_func (g_free);
  snap->dossier_set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  while (more)
    {
      g_autofree char *page = NULL;
      unsigned status = 0;
      gsize len = 0;
      char *next = NULL;

      page = snapshot_page (token, after, limit, &status, &len);
      g_assert_nonnull (page);
      g_assert_cmpuint (status, ==, 200);
      read_page (snap, page, len, &next, &more);
      g_free (after);
      after = next;
      if (more)
        g_assert_cmpstr (after, !=, "");
    }

  /* Every dossier in scope came, once. */
  g_assert_cmpint (snap->dossiers->len, ==, snap->total);
  if (limit > 0)
    g_assert_cmpuint (snap->n_pages, >=, (snap->total + limit - 1) / limit);

  return snap;
}

/* The records of the snapshot are the live records of a pull from cursor
 * 0, byte for byte: the same seq, version and payload. */
static void
assert_same_as_pull (const Snapshot *snap,
                     const TestPull *pull)
{
  unsigned live = 0;

  for (guint i = 0; i < pull->changes->len; i++)
    {
      const TestChange *change = g_ptr_array_index (pull->changes, i);
      const TestChange *got = g_hash_table_lookup (snap->records, change->record_id);

      if (change->deleted)
        {
          g_assert_null (got);
          continue;
        }

      live++;
      g_assert_nonnull (got);
      g_assert_cmpint (got->seq, ==, change->seq);
      g_assert_cmpint (got->kind, ==, change->kind);
      g_assert_cmpstr (got->dossier_id, ==, change->dossier_id);
      g_assert_cmpint (got->version, ==, change->version);
      g_assert_cmpstr (got->payload, ==, change->payload);
      g_assert_true (g_hash_table_contains (snap->dossier_set, change->dossier_id));
    }
  g_assert_cmpuint (g_hash_table_size (snap->records), ==, live);

  /* Pulling on from the snapshot's cursor misses nothing and repeats
   * nothing: it is where the full pull ended. */
  g_assert_cmpint (snap->cursor, ==, pull->cursor);
}

static void
assert_snapshot_matches_pull (const char *username)
{
  g_autofree char *token = test_login (url (), username);
  g_autoptr(Snapshot) snap = snapshot_all (token, 0);
  g_autoptr(TestPull) pull = test_pull_all (url (), token, 0, REGIE_PULL_MAX_LIMIT);

  g_assert_cmpuint (g_hash_table_size (snap->records), >, 0);
  assert_same_as_pull (snap, pull);
}

static void
test_matches_pull (void)
{
  g_autofree char *token = test_login (url (), "fatima");
  g_autoptr(Snapshot) snap = snapshot_all (token, 0);
  g_autoptr(TestPull) pull = test_pull_all (url (), token, 0, REGIE_PULL_MAX_LIMIT);
  const char * const personas[] = { PERSONA_TESFAY, PERSONA_LINA, PERSONA_AYSE, PERSONA_RAHAF };
  const TestChange *person;

  assert_same_as_pull (snap, pull);

  /* Her caseload, each dossier with its records and one person line. */
  g_assert_cmpuint (snap->dossiers->len, ==, g_hash_table_size (pull->dossiers));
  for (guint i = 0; i < G_N_ELEMENTS (personas); i++)
    g_assert_true (g_hash_table_contains (snap->dossier_set, personas[i]));
  person = g_hash_table_lookup (snap->records, PERSONA_LINA_PERSON);
  g_assert_nonnull (person);
  g_assert_cmpint (person->kind, ==, REGIE_RECORD_PERSON);
  g_assert_cmpuint (g_hash_table_size (snap->records), >, 10 * snap->dossiers->len);

  /* The server's default page size. */
  g_assert_cmpuint (snap->n_pages, ==,
                    MAX (1, (snap->total + REGIE_SNAPSHOT_DEFAULT_LIMIT - 1) / REGIE_SNAPSHOT_DEFAULT_LIMIT));
}

static void
test_headers (void)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *token = test_login (url (), "fatima");
  g_autoptr(TestResponse) response = NULL;
  const char *content_type;

  response = test_request (session, url (), "GET", "/api/v1/sync/snapshot?limit=1", token, NULL,
                           NULL, NULL);
  g_assert_cmpuint (response->status, ==, 200);
  content_type = soup_message_headers_get_content_type (response->headers, NULL);
  g_assert_cmpstr (content_type, ==, REGIE_SNAPSHOT_CONTENT_TYPE);
  /* As every sync answer: the lease, the settings version, the epoch. */
  g_assert_nonnull (soup_message_headers_get_one (response->headers, "Regie-Lease-Until"));
  g_assert_nonnull (soup_message_headers_get_one (response->headers, "Regie-Settings-Version"));
  g_assert_cmpuint (strlen (soup_message_headers_get_one (response->headers,
                                                          REGIE_DATABASE_EPOCH_HEADER)), ==, 32);
}

static void
test_paging (void)
{
  g_autofree char *token = test_login (url (), "fatima");
  g_autoptr(Snapshot) whole = snapshot_all (token, REGIE_SNAPSHOT_MAX_LIMIT);
  g_autoptr(Snapshot) small = snapshot_all (token, 7);
  g_autoptr(Snapshot) exact = NULL;
  g_autofree char *after_last = NULL;
  g_autofree char *page = NULL;
  char *next = NULL;
  unsigned status = 0;
  gboolean more = TRUE;
  gsize len = 0;

  g_assert_cmpuint (whole->n_pages, ==, 1);
  g_assert_cmpuint (small->n_pages, ==, (small->total + 6) / 7);

  /* The same dossiers in the same order, the same records. */
  g_assert_cmpuint (small->dossiers->len, ==, whole->dossiers->len);
  for (guint i = 0; i < whole->dossiers->len; i++)
    g_assert_cmpstr (g_ptr_array_index (small->dossiers, i), ==, g_ptr_array_index (whole->dossiers, i));
  g_assert_cmpuint (g_hash_table_size (small->records), ==, g_hash_table_size (whole->records));

  /* A page that ends exactly with the last dossier says no more. */
  exact = snapshot_all (token, (unsigned) whole->total);
  g_assert_cmpuint (exact->n_pages, ==, 1);

  /* After the last dossier: an empty page, start and end. */
  after_last = g_strdup (g_ptr_array_index (whole->dossiers, whole->dossiers->len - 1));
  page = snapshot_page (token, after_last, 0, &status, &len);
  g_assert_cmpuint (status, ==, 200);
  {
    g_autoptr(Snapshot) empty = g_new0 (Snapshot, 1);

    empty->records = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) change_free);
    empty->dossiers = g_ptr_array_new_with_free_func (g_free);
    empty->dossier_set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    read_page (empty, page, len, &next, &more);
    g_assert_false (more);
    g_assert_cmpstr (next, ==, "");
    g_assert_cmpuint (empty->dossiers->len, ==, 0);
    g_assert_cmpint (empty->total, ==, whole->total);
    g_free (next);
  }

  /* Starting after an id that is no dossier works as well: ids are
   * compared as text. */
  {
    g_autoptr(Snapshot) tail = g_new0 (Snapshot, 1);
    g_autofree char *middle = g_strdup (g_ptr_array_index (whole->dossiers, whole->dossiers->len / 2));
    g_autofree char *tail_page = NULL;

    tail->records = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) change_free);
    tail->dossiers = g_ptr_array_new_with_free_func (g_free);
    tail->dossier_set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    tail_page = snapshot_page (token, middle, REGIE_SNAPSHOT_MAX_LIMIT, &status, &len);
    g_assert_cmpuint (status, ==, 200);
    read_page (tail, tail_page, len, &next, &more);
    g_free (next);
    g_assert_false (more);
    g_assert_cmpuint (tail->dossiers->len, ==, whole->dossiers->len - whole->dossiers->len / 2 - 1);
    g_assert_cmpstr (g_ptr_array_index (tail->dossiers, 0), ==,
                     g_ptr_array_index (whole->dossiers, whole->dossiers->len / 2 + 1));
  }
}

static void
test_scope (void)
{
  g_autofree char *fatima = test_login (url (), "fatima");
  g_autofree char *joost = test_login (url (), "joost");
  g_autoptr(Snapshot) fatima_snap = snapshot_all (fatima, 0);
  g_autoptr(Snapshot) joost_snap = snapshot_all (joost, 50);
  g_autoptr(TestPull) joost_pull = test_pull_all (url (), joost, 0, REGIE_PULL_MAX_LIMIT);
  GHashTableIter iter;
  gpointer key, value;

  assert_same_as_pull (joost_snap, joost_pull);

  /* No dossier of someone else's caseload. */
  g_assert_cmpuint (joost_snap->dossiers->len, >, 0);
  for (guint i = 0; i < joost_snap->dossiers->len; i++)
    g_assert_false (g_hash_table_contains (fatima_snap->dossier_set,
                                           g_ptr_array_index (joost_snap->dossiers, i)));
  g_hash_table_iter_init (&iter, joost_snap->records);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const TestChange *change = value;

      if (change->kind == REGIE_RECORD_ASSIGNMENT)
        g_assert_nonnull (strstr (change->payload, "\"klantmanager\":\"joost\""));
    }
}

static void
test_other_roles (void)
{
  const char * const users[] = { "ingrid", "ruud", "beheer" };

  /* A coordinator, an inkomensconsulent and a beheerder may not read
   * every kind: their client pulls. */
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autofree char *token = test_login (url (), users[i]);
      g_autofree char *body = NULL;
      g_autofree char *message = NULL;
      unsigned status = 0;

      body = snapshot_page (token, "", 0, &status, NULL);
      g_assert_cmpuint (status, ==, 404);
      message = test_assert_error (body, 404, "not_found");
      g_assert_nonnull (strstr (message, "pull instead"));
    }

  /* Without a session, nothing. */
  {
    g_autofree char *body = NULL;
    unsigned status = 0;

    body = regie_test_http (url (), "GET", "/api/v1/sync/snapshot", NULL, NULL, 0, &status, NULL);
    g_assert_cmpuint (status, ==, 401);
    g_free (test_assert_error (body, 401, "auth"));
  }
}

static void
test_bad_query (void)
{
  g_autofree char *token = test_login (url (), "fatima");
  const char * const queries[] = {
    "limit=0", "limit=5001", "limit=-1", "limit=abc", "limit=", "limit=1.5",
    "after=nonsense", "after=01900000-0000-7000-8000-00000000000", /* 35 */
    "after=01900000-0000-7000-8000-000000000001x",
    "after=01900000-0000-7000-8000-00000000000A",
    "after=01900000_0000_7000_8000_000000000001",
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/sync/snapshot?%s", queries[i]);
      g_autofree char *body = NULL;
      unsigned status = 0;

      body = regie_test_http (url (), "GET", path, token, NULL, 0, &status, NULL);
      g_test_message ("%s: %u %s", queries[i], status, body);
      g_assert_cmpuint (status, ==, 400);
      g_free (test_assert_error (body, 400, "invalid"));
    }

  /* Only GET. */
  {
    unsigned status = 0;

    g_free (regie_test_http (url (), "POST", "/api/v1/sync/snapshot", token, "{}", 0, &status, NULL));
    g_assert_cmpuint (status, ==, 405);
  }
}

static void
test_other_epoch (void)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *token = test_login (url (), "fatima");
  g_autoptr(TestResponse) response = NULL;

  /* Pages stored under another epoch belong to another database. */
  response = test_request (session, url (), "GET", "/api/v1/sync/snapshot", token, NULL,
                           REGIE_DATABASE_EPOCH_HEADER, "00000000000000000000000000000000");
  g_assert_cmpuint (response->status, ==, 410);
  g_free (test_assert_error (response->body, 410, "gone"));
  g_assert_nonnull (soup_message_headers_get_one (response->headers, REGIE_DATABASE_EPOCH_HEADER));
}

/* How many times the dossier's access log shows `username` reading. */
static unsigned
reads_logged (const char *coordinator,
              const char *dossier_id,
              const char *username)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/dossiers/%s/access-log", dossier_id);
  g_autofree char *log = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *entries;
  unsigned status = 0;
  unsigned n = 0;

  log = regie_test_http (url (), "GET", path, coordinator, NULL, 0, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  root = json_from_string (log, NULL);
  g_assert_nonnull (root);
  entries = json_object_get_array_member (json_node_get_object (root), "entries");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);

      if (g_strcmp0 (json_object_get_string_member (entry, "username"), username) == 0 &&
          g_strcmp0 (json_object_get_string_member (entry, "action"), "read") == 0)
        n++;
    }

  return n;
}

static void
test_logged (void)
{
  g_autofree char *fatima = test_login (url (), "fatima");
  g_autofree char *ingrid = test_login (url (), "ingrid");
  g_autoptr(Snapshot) snap = NULL;
  unsigned before = reads_logged (ingrid, PERSONA_AYSE, "fatima");
  unsigned before_last;
  g_autofree char *last = NULL;

  /* One entry per page, naming every dossier of the page. */
  snap = snapshot_all (fatima, 0);
  g_assert_cmpuint (reads_logged (ingrid, PERSONA_AYSE, "fatima"), ==, before + 1);

  last = g_strdup (g_ptr_array_index (snap->dossiers, snap->dossiers->len - 1));
  before_last = reads_logged (ingrid, last, "fatima");
  g_clear_pointer (&snap, snapshot_free);
  snap = snapshot_all (fatima, 0);
  g_assert_cmpuint (reads_logged (ingrid, last, "fatima"), ==, before_last + 1);
}

static RegiePushResult *
push_one (const char *token,
          const char *record_id,
          const char *dossier_id,
          const char *kind,
          gint64      base_version,
          const char *payload)
{
  return test_push_one (url (), token, record_id, dossier_id, kind, base_version, payload);
}

static void
test_after_writes (void)
{
  g_autofree char *fatima = test_login (url (), "fatima");
  g_autofree char *ingrid = test_login (url (), "ingrid");
  g_autoptr(Snapshot) before = snapshot_all (fatima, 0);
  g_autoptr(Snapshot) after = NULL;
  g_autoptr(Snapshot) moved = NULL;
  g_autoptr(TestPull) pull = NULL;
  g_autoptr(TestPull) ingrid_pull = NULL;
  g_autoptr(RegiePushResult) note_result = NULL;
  g_autoptr(RegiePushResult) person_result = NULL;
  g_autoptr(RegiePushResult) move_result = NULL;
  g_autoptr(JsonNode) person = NULL;
  g_autofree char *note_id = test_uuid ();
  g_autofree char *note = test_note_payload ("fatima", "Na de eerste synchronisatie geschreven.");
  g_autofree char *person_payload = NULL;
  const TestChange *old_person;
  const TestChange *got;
  const char *assignment_id = NULL;
  gint64 assignment_version = 0;

  /* The bundles of both dossiers exist now (served, so stored). A new
   * record in one, a new version of the person in the other. */
  g_assert_true (g_hash_table_contains (before->dossier_set, PERSONA_AYSE));
  note_result = push_one (fatima, note_id, PERSONA_AYSE, "note", 0, note);
  g_assert_cmpint (note_result->status, ==, REGIE_PUSH_APPLIED);

  old_person = g_hash_table_lookup (before->records, PERSONA_LINA_PERSON);
  g_assert_nonnull (old_person);
  person = json_from_string (old_person->payload, NULL);
  g_assert_nonnull (person);
  json_object_set_string_member (json_node_get_object (person), "phone", "06-11223344");
  person_payload = json_to_string (person, FALSE);
  person_result = push_one (fatima, PERSONA_LINA_PERSON, PERSONA_LINA, "person",
                            old_person->version, person_payload);
  g_assert_cmpint (person_result->status, ==, REGIE_PUSH_APPLIED);
  g_assert_cmpint (person_result->version, ==, old_person->version + 1);

  after = snapshot_all (fatima, 0);
  got = g_hash_table_lookup (after->records, note_id);
  g_assert_nonnull (got);
  g_assert_cmpstr (got->dossier_id, ==, PERSONA_AYSE);
  g_assert_cmpstr (got->payload, ==, note);
  got = g_hash_table_lookup (after->records, PERSONA_LINA_PERSON);
  g_assert_cmpint (got->version, ==, old_person->version + 1);
  g_assert_nonnull (strstr (got->payload, "06-11223344"));
  g_assert_cmpint (after->cursor, >, before->cursor);
  pull = test_pull_all (url (), fatima, 0, REGIE_PULL_MAX_LIMIT);
  assert_same_as_pull (after, pull);

  /* Her coordinator gives Tesfay to joost: it leaves her snapshot and
   * enters his, with the records' new sequence numbers. */
  ingrid_pull = test_pull_all (url (), ingrid, 0, REGIE_PULL_MAX_LIMIT);
  for (guint i = 0; i < ingrid_pull->changes->len; i++)
    {
      const TestChange *change = g_ptr_array_index (ingrid_pull->changes, i);

      if (change->kind == REGIE_RECORD_ASSIGNMENT && g_str_equal (change->dossier_id, PERSONA_TESFAY))
        {
          assignment_id = change->record_id;
          assignment_version = change->version;
        }
    }
  g_assert_nonnull (assignment_id);
  move_result = push_one (ingrid, assignment_id, PERSONA_TESFAY, "assignment", assignment_version,
                          "{\"team\":\"team-noord\",\"klantmanager\":\"joost\"}");
  g_assert_cmpint (move_result->status, ==, REGIE_PUSH_APPLIED);

  moved = snapshot_all (fatima, 0);
  g_assert_false (g_hash_table_contains (moved->dossier_set, PERSONA_TESFAY));
  g_assert_cmpint (moved->total, ==, after->total - 1);
  g_clear_pointer (&pull, test_pull_free);
  pull = test_pull_all (url (), fatima, 0, REGIE_PULL_MAX_LIMIT);
  assert_same_as_pull (moved, pull);

  assert_snapshot_matches_pull ("joost");
}

static gboolean
in_dossier_cb (gpointer key,
               gpointer value,
               gpointer user_data)
{
  return g_str_equal (((TestChange *) value)->dossier_id, user_data);
}

/* What the client does: it keeps the first page's cursor, stores every
 * page, then pulls from that cursor. Writes made while it paged must end
 * up in its copy just as in a full pull's. */
static void
test_changes_while_paging (void)
{
  g_autofree char *fatima = test_login (url (), "fatima");
  g_autoptr(Snapshot) store = g_new0 (Snapshot, 1);
  g_autoptr(TestPull) since = NULL;
  g_autoptr(TestPull) full = NULL;
  g_autofree char *after = g_strdup ("");
  g_autofree char *early_note = test_uuid ();
  g_autofree char *late_note = test_uuid ();
  g_autofree char *early_text = test_note_payload ("fatima", "Geschreven terwijl de eerste pagina binnenkwam.");
  g_autofree char *late_text = test_note_payload ("fatima", "Ook geschreven tijdens de eerste synchronisatie.");
  const char *early_dossier = NULL, *late_dossier = NULL;
  gboolean more = TRUE;
  unsigned page_no = 0;
  GHashTableIter iter;
  gpointer key, value;

  store->records = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) change_free);
  store->dossiers = g_ptr_array_new_with_free_func (g_free);
  store->dossier_set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  while (more)
    {
      g_autofree char *page = NULL;
      unsigned status = 0;
      gsize len = 0;
      char *next = NULL;

      page = snapshot_page (fatima, after, 25, &status, &len);
      g_assert_cmpuint (status, ==, 200);
      read_page (store, page, len, &next, &more);
      g_free (after);
      after = next;

      if (page_no++ == 0)
        {
          g_autoptr(RegiePushResult) r1 = NULL;
          g_autoptr(RegiePushResult) r2 = NULL;

          /* One dossier already stored, one still to come. */
          g_assert_true (more);
          early_dossier = g_ptr_array_index (store->dossiers, 0);
          late_dossier = PERSONA_RAHAF;
          g_assert_cmpint (strcmp (late_dossier, after), >, 0);
          r1 = push_one (fatima, early_note, early_dossier, "note", 0, early_text);
          r2 = push_one (fatima, late_note, late_dossier, "note", 0, late_text);
          g_assert_cmpint (r1->status, ==, REGIE_PUSH_APPLIED);
          g_assert_cmpint (r2->status, ==, REGIE_PUSH_APPLIED);
          store->written_meanwhile = TRUE;
        }
    }
  g_assert_cmpuint (page_no, >, 2);
  g_assert_false (g_hash_table_contains (store->records, early_note));
  g_assert_true (g_hash_table_contains (store->records, late_note));

  /* Then the pull from the first page's cursor, applied as the client
   * applies it: a record replaces what it had, a dossier's tombstone
   * purges the dossier. */
  since = test_pull_all (url (), fatima, store->cursor, 0);
  for (guint i = 0; i < since->changes->len; i++)
    {
      const TestChange *change = g_ptr_array_index (since->changes, i);

      if (change->deleted && change->kind == REGIE_RECORD_DOSSIER)
        g_hash_table_foreach_remove (store->records, in_dossier_cb, change->dossier_id);
      else if (change->deleted)
        g_hash_table_remove (store->records, change->record_id);
      else
        {
          TestChange *copy = g_new0 (TestChange, 1);

          *copy = *change;
          copy->record_id = g_strdup (change->record_id);
          copy->dossier_id = g_strdup (change->dossier_id);
          copy->payload = g_strdup (change->payload);
          g_hash_table_replace (store->records, copy->record_id, copy);
        }
    }
  g_assert_true (g_hash_table_contains (store->records, early_note));

  /* The copy is the full pull's. */
  full = test_pull_all (url (), fatima, 0, REGIE_PULL_MAX_LIMIT);
  store->cursor = full->cursor;
  assert_same_as_pull (store, full);
  g_hash_table_iter_init (&iter, store->records);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_nonnull (g_hash_table_lookup (full->by_id, key));
}

/* Writes outside the running server (the retention purge command) drop
 * bundles too: the triggers live in the database. */
static void
test_after_purge (void)
{
  g_autoptr(GError) error = NULL;
  const char * const args[] = { "--demo", "--dossiers", "10", NULL };
  RegieTestServer *main_server = server;
  g_autoptr(RegieTestServer) first = NULL;
  g_autoptr(RegieTestServer) second = NULL;
  GHashTableIter iter;
  gpointer value;
  g_autoptr(Snapshot) before = NULL;
  g_autoptr(Snapshot) closed = NULL;
  g_autoptr(Snapshot) after = NULL;
  g_autoptr(TestPull) pull = NULL;
  g_autoptr(RegiePushResult) closure = NULL;
  g_autofree char *fatima = NULL;
  g_autofree char *ingrid = NULL;
  g_autofree char *closure_id = test_uuid ();
  g_autofree char *out = NULL;
  const char *dir;
  unsigned n_lina = 0;
  int exit_status = -1;

  first = regie_test_server_start (NULL, args, &error);
  g_assert_no_error (error);
  server = first;
  dir = regie_test_server_get_data_dir (first);

  fatima = test_login (url (), "fatima");
  ingrid = test_login (url (), "ingrid");
  before = snapshot_all (fatima, 0);
  g_assert_true (g_hash_table_contains (before->records, PERSONA_LINA_PERSON));

  /* Closed long ago; the snapshot after that stores Lina's bundle. */
  closure = push_one (ingrid, closure_id, PERSONA_LINA, "closure", 0,
                      "{\"closed_on\":\"2015-03-01\",\"reason\":\"moved\"}");
  g_assert_cmpint (closure->status, ==, REGIE_PUSH_APPLIED);
  closed = snapshot_all (fatima, 0);
  g_assert_true (g_hash_table_contains (closed->records, closure_id));

  regie_test_server_kill (first, FALSE);
  {
    const char * const purge_args[] = { "purge", "--data", dir, "--today", "2025-06-01", NULL };

    out = test_run (g_getenv ("REGIE_SERVER_PATH"), purge_args, NULL, &exit_status);
  }
  g_assert_cmpint (exit_status, ==, 0);
  g_assert_nonnull (strstr (out, "purged " PERSONA_LINA "\n"));

  second = regie_test_server_start (dir, NULL, &error);
  g_assert_no_error (error);
  server = second;

  /* Still in her scope, with nothing left in it. */
  after = snapshot_all (fatima, 0);
  g_assert_true (g_hash_table_contains (after->dossier_set, PERSONA_LINA));
  g_assert_false (g_hash_table_contains (after->records, PERSONA_LINA_PERSON));
  g_assert_false (g_hash_table_contains (after->records, closure_id));
  g_hash_table_iter_init (&iter, after->records);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (g_str_equal (((TestChange *) value)->dossier_id, PERSONA_LINA))
      n_lina++;
  g_assert_cmpuint (n_lina, ==, 0);
  pull = test_pull_all (url (), fatima, 0, REGIE_PULL_MAX_LIMIT);
  assert_same_as_pull (after, pull);

  /* The second server first: the first one's data directory goes with it. */
  g_clear_pointer (&second, regie_test_server_free);
  server = main_server;
}

int
main (int   argc,
      char *argv[])
{
  const char * const demo[] = { "--demo", NULL };
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  server = regie_test_server_start (NULL, demo, &error);
  g_assert_no_error (error);

  g_test_add_func ("/server/snapshot/matches-pull", test_matches_pull);
  g_test_add_func ("/server/snapshot/headers", test_headers);
  g_test_add_func ("/server/snapshot/paging", test_paging);
  g_test_add_func ("/server/snapshot/scope", test_scope);
  g_test_add_func ("/server/snapshot/other-roles", test_other_roles);
  g_test_add_func ("/server/snapshot/bad-query", test_bad_query);
  g_test_add_func ("/server/snapshot/other-epoch", test_other_epoch);
  g_test_add_func ("/server/snapshot/logged", test_logged);
  g_test_add_func ("/server/snapshot/after-writes", test_after_writes);
  g_test_add_func ("/server/snapshot/changes-while-paging", test_changes_while_paging);
  g_test_add_func ("/server/snapshot/after-purge", test_after_purge);

  ret = g_test_run ();
  regie_test_server_free (server);
  return ret;
}
