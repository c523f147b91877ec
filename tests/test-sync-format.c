/* SPDX-License-Identifier: EUPL-1.2 */
#include "config.h"

#include <string.h>

#include "regie-error.h"
#include "regie-sync.h"
#include "regie-util.h"

#define DOSSIER "0190f3f0-0000-7000-8000-000000000001"
#define NOTE_ID "0190f3f0-0000-7000-8000-000000000002"
#define MUT_ID  "0190f3f0-0000-7000-8000-000000000003"
#define NOTE \
  "{\"author\":\"fatima\",\"created_at\":\"2026-11-23T10:00:00.000Z\",\"text\":\"Intake met tolk.\"}"

static void
test_push_round_trip (void)
{
  g_autoptr(GPtrArray) mutations = g_ptr_array_new_with_free_func ((GDestroyNotify) regie_mutation_free);
  g_autoptr(GPtrArray) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  RegieMutation *m = regie_mutation_new ();
  RegieMutation *back;

  m->id = g_strdup (MUT_ID);
  m->record_id = g_strdup (NOTE_ID);
  m->dossier_id = g_strdup (DOSSIER);
  m->kind = REGIE_RECORD_NOTE;
  m->base_version = 0;
  m->payload = g_strdup (NOTE);
  g_ptr_array_add (mutations, m);

  body = regie_push_request_serialize (mutations);
  parsed = regie_push_request_parse (body, strlen (body), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (parsed->len, ==, 1);
  back = g_ptr_array_index (parsed, 0);
  g_assert_cmpstr (back->id, ==, MUT_ID);
  g_assert_cmpstr (back->record_id, ==, NOTE_ID);
  g_assert_cmpstr (back->dossier_id, ==, DOSSIER);
  g_assert_cmpint (back->kind, ==, REGIE_RECORD_NOTE);
  g_assert_cmpint (back->base_version, ==, 0);
  g_assert_cmpstr (back->payload, ==, NOTE);
}

static void
test_push_bad_requests (void)
{
  const struct { const char *body; int code; } cases[] = {
    { "", REGIE_ERROR_PARSE },
    { "{\"mutations\":", REGIE_ERROR_PARSE },
    { "[]", REGIE_ERROR_PARSE },
    { "{\"mutations\":{}}", REGIE_ERROR_INVALID },
    { "{\"mutations\":[],\"x\":1}", REGIE_ERROR_INVALID },
    { "{\"mutations\":[1]}", REGIE_ERROR_PARSE },
    /* base_version as a string */
    { "{\"mutations\":[{\"id\":\"" MUT_ID "\",\"record_id\":\"" NOTE_ID "\",\"dossier_id\":\"" DOSSIER
      "\",\"kind\":\"note\",\"base_version\":\"0\",\"payload\":" NOTE "}]}", REGIE_ERROR_INVALID },
    /* unknown kind */
    { "{\"mutations\":[{\"id\":\"" MUT_ID "\",\"record_id\":\"" NOTE_ID "\",\"dossier_id\":\"" DOSSIER
      "\",\"kind\":\"memo\",\"base_version\":0,\"payload\":" NOTE "}]}", REGIE_ERROR_INVALID },
    /* negative version */
    { "{\"mutations\":[{\"id\":\"" MUT_ID "\",\"record_id\":\"" NOTE_ID "\",\"dossier_id\":\"" DOSSIER
      "\",\"kind\":\"note\",\"base_version\":-1,\"payload\":" NOTE "}]}", REGIE_ERROR_INVALID },
    /* not a UUID */
    { "{\"mutations\":[{\"id\":\"1\",\"record_id\":\"" NOTE_ID "\",\"dossier_id\":\"" DOSSIER
      "\",\"kind\":\"note\",\"base_version\":0,\"payload\":" NOTE "}]}", REGIE_ERROR_INVALID },
    /* payload as a string */
    { "{\"mutations\":[{\"id\":\"" MUT_ID "\",\"record_id\":\"" NOTE_ID "\",\"dossier_id\":\"" DOSSIER
      "\",\"kind\":\"note\",\"base_version\":0,\"payload\":\"x\"}]}", REGIE_ERROR_PARSE },
    /* the same record twice */
    { "{\"mutations\":[{\"id\":\"" MUT_ID "\",\"record_id\":\"" NOTE_ID "\",\"dossier_id\":\"" DOSSIER
      "\",\"kind\":\"note\",\"base_version\":0,\"payload\":" NOTE "},"
      "{\"id\":\"" DOSSIER "\",\"record_id\":\"" NOTE_ID "\",\"dossier_id\":\"" DOSSIER
      "\",\"kind\":\"note\",\"base_version\":0,\"payload\":" NOTE "}]}", REGIE_ERROR_INVALID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) parsed = regie_push_request_parse (cases[i].body, strlen (cases[i].body), &error);

      g_test_message ("case %u", i);
      g_assert_null (parsed);
      g_assert_error (error, REGIE_ERROR, cases[i].code);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) parsed = regie_push_request_parse ("{}", REGIE_MAX_PUSH_BYTES + 1, &error);
    g_assert_null (parsed);
    g_assert_error (error, REGIE_ERROR, REGIE_ERROR_TOO_LARGE);
  }
}

static void
test_push_response (void)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) regie_push_result_free);
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  RegiePushResult *r;

  g_ptr_array_add (results, regie_push_result_new (MUT_ID, REGIE_PUSH_APPLIED, 1, NULL));
  g_ptr_array_add (results, regie_push_result_new (NOTE_ID, REGIE_PUSH_CONFLICT, 4, "stale base version"));
  /* Text that JSON must escape, and text it must not touch. */
  g_ptr_array_add (results, regie_push_result_new (DOSSIER, REGIE_PUSH_REJECTED, 0,
                                                   "\"quoted\" back\\slash\nline\ttab\x01 één ✓"));
  body = regie_push_response_serialize (results);
  g_assert_nonnull (strstr (body, "\\\"quoted\\\" back\\\\slash\\u000aline\\u0009tab\\u0001 één ✓"));
  back = regie_push_response_parse (body, strlen (body), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 3);
  r = g_ptr_array_index (back, 1);
  g_assert_cmpstr (r->mutation_id, ==, NOTE_ID);
  g_assert_cmpint (r->status, ==, REGIE_PUSH_CONFLICT);
  g_assert_cmpint (r->version, ==, 4);
  g_assert_cmpstr (r->reason, ==, "stale base version");
  r = g_ptr_array_index (back, 2);
  g_assert_cmpint (r->status, ==, REGIE_PUSH_REJECTED);
  g_assert_cmpstr (r->reason, ==, "\"quoted\" back\\slash\nline\ttab\x01 één ✓");
}

/* Conflicts by field class: a conflict carries the server's record, a
 * merged edit the overwritten members; an answer without them (an older
 * server) still parses. */
static void
test_push_response_conflicts (void)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) regie_push_result_free);
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GPtrArray) old = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  RegiePushResult *r;
  static const char old_body[] =
    "{\"results\":[{\"id\":\"" MUT_ID "\",\"status\":\"conflict\",\"version\":3,"
    "\"reason\":\"stale\"}]}";

  r = regie_push_result_new (MUT_ID, REGIE_PUSH_CONFLICT, 3, "stale base version");
  r->current = g_strdup ("{\"team\":\"team-noord\",\"klantmanager\":\"joost\"}");
  r->current_version = 3;
  g_ptr_array_add (results, r);
  r = regie_push_result_new (NOTE_ID, REGIE_PUSH_APPLIED, 5, NULL);
  r->current = g_strdup ("{\"a\":1}");
  r->current_version = 5;
  r->merged = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (r->merged, g_strdup ("phone"));
  g_ptr_array_add (results, r);
  g_ptr_array_add (results, regie_push_result_new (DOSSIER, REGIE_PUSH_APPLIED, 1, NULL));

  body = regie_push_response_serialize (results);
  back = regie_push_response_parse (body, strlen (body), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->len, ==, 3);

  r = g_ptr_array_index (back, 0);
  g_assert_cmpint (r->status, ==, REGIE_PUSH_CONFLICT);
  g_assert_cmpstr (r->current, ==, "{\"team\":\"team-noord\",\"klantmanager\":\"joost\"}");
  g_assert_cmpint (r->current_version, ==, 3);
  g_assert_null (r->merged);

  r = g_ptr_array_index (back, 1);
  g_assert_cmpint (r->status, ==, REGIE_PUSH_APPLIED);
  g_assert_nonnull (r->merged);
  g_assert_cmpuint (r->merged->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (r->merged, 0), ==, "phone");
  g_assert_cmpstr (r->current, ==, "{\"a\":1}");

  /* A plain applied result has none of the additions on the wire. */
  r = g_ptr_array_index (back, 2);
  g_assert_null (r->current);
  g_assert_null (r->merged);
  g_assert_null (strstr (strstr (body, DOSSIER), "current"));

  old = regie_push_response_parse (old_body, strlen (old_body), &error);
  g_assert_no_error (error);
  r = g_ptr_array_index (old, 0);
  g_assert_cmpint (r->status, ==, REGIE_PUSH_CONFLICT);
  g_assert_null (r->current);
  g_assert_cmpint (r->current_version, ==, 0);

  /* Wrong types are parse errors. */
  {
    static const char bad[] =
      "{\"results\":[{\"id\":\"x\",\"status\":\"applied\",\"version\":1,\"merged\":[1]}]}";
    g_autoptr(GPtrArray) none = regie_push_response_parse (bad, strlen (bad), &error);

    g_assert_null (none);
    g_assert_error (error, REGIE_ERROR, REGIE_ERROR_PARSE);
  }
}

static void
test_pull_page (void)
{
  g_autoptr(GString) page = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  RegiePullReader reader;
  RegieChangeView change;
  guint n = 0;

  regie_pull_page_append_change (page, 7, REGIE_RECORD_NOTE, NOTE_ID, DOSSIER, 1, FALSE, NOTE);
  regie_pull_page_append_change (page, 9, REGIE_RECORD_NOTE, MUT_ID, DOSSIER, 3, TRUE, NULL);
  regie_pull_page_append_end (page, 9, FALSE);

  regie_pull_reader_init (&reader, page->str, page->len);
  while (regie_pull_reader_next (&reader, &change, &error))
    {
      if (n == 0)
        {
          g_assert_cmpint (change.seq, ==, 7);
          g_assert_cmpint (change.kind, ==, REGIE_RECORD_NOTE);
          g_assert_false (change.deleted);
          g_assert_cmpmem (change.record_id, change.record_id_len, NOTE_ID, 36);
          g_assert_cmpmem (change.dossier_id, change.dossier_id_len, DOSSIER, 36);
          g_assert_cmpint (change.version, ==, 1);
          g_assert_cmpmem (change.payload, change.payload_len, NOTE, strlen (NOTE));
        }
      else
        {
          g_assert_true (change.deleted);
          g_assert_cmpint (change.version, ==, 3);
          g_assert_cmpmem (change.record_id, change.record_id_len, MUT_ID, 36);
        }
      n++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  g_assert_true (reader.finished);
  g_assert_cmpint (reader.next_cursor, ==, 9);
  g_assert_false (reader.more);
}

static void
test_pull_page_truncated (void)
{
  g_autoptr(GString) page = g_string_new (NULL);

  regie_pull_page_append_change (page, 7, REGIE_RECORD_NOTE, NOTE_ID, DOSSIER, 1, FALSE, NOTE);
  regie_pull_page_append_end (page, 7, TRUE);

  /* Every cut short of the full page must fail: a page is all or nothing. */
  for (gsize len = 0; len < page->len; len++)
    {
      g_autoptr(GError) error = NULL;
      RegiePullReader reader;
      RegieChangeView change;

      regie_pull_reader_init (&reader, page->str, len);
      while (regie_pull_reader_next (&reader, &change, &error))
        ;
      g_assert_false (reader.finished);
      g_assert_error (error, REGIE_ERROR, REGIE_ERROR_PARSE);
    }
}

#define PERSON "{\"name\":\"A\"}"

/* A snapshot page: start, a person, a bundle that inflates to a pull page,
 * the end; and every cut short of it fails. */
static void
test_snapshot_page (void)
{
  g_autoptr(GString) page = g_string_new (NULL);
  g_autoptr(GString) bundle_text = g_string_new (NULL);
  g_autoptr(GBytes) bundle = NULL;
  g_autoptr(GBytes) inflated = NULL;
  g_autoptr(GError) error = NULL;
  RegieSnapshotReader reader;
  RegieSnapshotItem item;
  RegiePullReader pull;
  RegieChangeView change;
  guint n = 0;

  for (int i = 0; i < 200; i++)
    regie_pull_page_append_change (bundle_text, 10 + i, REGIE_RECORD_NOTE, NOTE_ID, DOSSIER, 1, FALSE, NOTE);
  regie_pull_page_append_end (bundle_text, 209, FALSE);
  bundle = regie_deflate (bundle_text->str, bundle_text->len);
  g_assert_cmpuint (g_bytes_get_size (bundle), <, bundle_text->len / 4);

  regie_snapshot_page_append_start (page, 4242, 10000);
  regie_pull_page_append_change (page, 3, REGIE_RECORD_PERSON, MUT_ID, DOSSIER, 2, FALSE, PERSON);
  regie_snapshot_page_append_bundle (page, DOSSIER, 200, g_bytes_get_data (bundle, NULL), g_bytes_get_size (bundle));
  regie_snapshot_page_append_end (page, DOSSIER, TRUE);

  regie_snapshot_reader_init (&reader, page->str, page->len);
  while (regie_snapshot_reader_next (&reader, &item, &error))
    {
      switch (n++)
        {
        case 0:
          g_assert_cmpint (item.type, ==, REGIE_SNAPSHOT_ITEM_START);
          g_assert_cmpint (item.cursor, ==, 4242);
          g_assert_cmpint (item.total, ==, 10000);
          break;
        case 1:
          g_assert_cmpint (item.type, ==, REGIE_SNAPSHOT_ITEM_PERSON);
          g_assert_cmpint (item.change.version, ==, 2);
          g_assert_cmpmem (item.change.payload, item.change.payload_len, PERSON, strlen (PERSON));
          break;
        case 2:
          g_assert_cmpint (item.type, ==, REGIE_SNAPSHOT_ITEM_BUNDLE);
          g_assert_cmpmem (item.dossier_id, item.dossier_id_len, DOSSIER, 36);
          g_assert_cmpint (item.n_records, ==, 200);
          inflated = regie_inflate (item.data, item.data_len, REGIE_BUNDLE_MAX_BYTES, &error);
          g_assert_no_error (error);
          g_assert_cmpmem (g_bytes_get_data (inflated, NULL), g_bytes_get_size (inflated),
                           bundle_text->str, bundle_text->len);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 3);
  g_assert_true (reader.finished);
  g_assert_true (reader.more);
  g_assert_cmpstr (reader.last_dossier_id, ==, DOSSIER);

  regie_pull_reader_init (&pull, g_bytes_get_data (inflated, NULL), g_bytes_get_size (inflated));
  n = 0;
  while (regie_pull_reader_next (&pull, &change, &error))
    n++;
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 200);

  for (gsize len = 0; len < page->len; len++)
    {
      g_autoptr(GError) cut_error = NULL;

      regie_snapshot_reader_init (&reader, page->str, len);
      while (regie_snapshot_reader_next (&reader, &item, &cut_error))
        ;
      g_assert_false (reader.finished);
      g_assert_error (cut_error, REGIE_ERROR, REGIE_ERROR_PARSE);
    }
}

static void
test_snapshot_bad_pages (void)
{
  static const char * const bad[] = {
    "",
    "E\t-\t0\n",                                        /* no start line */
    "S\t1\n",                                           /* start without total */
    "S\tx\t1\nE\t-\t0\n",
    "S\t1\t1\nE\tshort\t0\n",
    "S\t1\t1\nE\t-\t2\n",
    "S\t1\t1\nE\t-\t0\nX",                              /* data after the end */
    "S\t1\t1\nQ\tzzz\nE\t-\t0\n",
    "S\t1\t1\nB\t" DOSSIER "\t1\t99999999999\n\nE\t-\t0\n",  /* longer than the page */
    "S\t1\t1\nB\t" DOSSIER "\t1\t3\nabcdE\t-\t0\n",     /* no LF after the data */
    "S\t1\t1\nB\t" DOSSIER "\t1\n\nE\t-\t0\n",
    "S\t1\t1\nR\t1\tnote\t" NOTE_ID "\t" DOSSIER "\t1\t{}\nE\t-\t0\n",  /* not a person */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      RegieSnapshotReader reader;
      RegieSnapshotItem item;

      regie_snapshot_reader_init (&reader, bad[i], strlen (bad[i]));
      while (regie_snapshot_reader_next (&reader, &item, &error))
        ;
      g_assert_false (reader.finished);
      g_assert_error (error, REGIE_ERROR, REGIE_ERROR_PARSE);
    }
}

static void
test_inflate_bad (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GBytes) packed = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *junk = NULL;
  const guint8 *data;
  gsize len;

  for (int i = 0; i < 100000; i++)
    g_string_append (text, "aaaaaaaaaa");
  packed = regie_deflate (text->str, text->len);
  data = g_bytes_get_data (packed, &len);

  /* A bomb: 1 MB from a few hundred bytes, refused beyond the limit. */
  out = regie_inflate (data, len, 4096, &error);
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_TOO_LARGE);
  g_assert_null (out);
  g_clear_error (&error);

  out = regie_inflate (data, len, text->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (out), ==, text->len);
  g_clear_pointer (&out, g_bytes_unref);

  /* Cut off, and followed by junk. */
  out = regie_inflate (data, len - 1, REGIE_BUNDLE_MAX_BYTES, &error);
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_PARSE);
  g_clear_error (&error);
  junk = g_malloc (len + 4);
  memcpy (junk, data, len);
  memcpy (junk + len, "junk", 4);
  out = regie_inflate (junk, len + 4, REGIE_BUNDLE_MAX_BYTES, &error);
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_PARSE);
  g_clear_error (&error);

  /* Not deflate at all, and nothing. */
  out = regie_inflate ("\xff\xff\xff\xff", 4, REGIE_BUNDLE_MAX_BYTES, &error);
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_PARSE);
  g_clear_error (&error);
  out = regie_inflate ("", 0, REGIE_BUNDLE_MAX_BYTES, &error);
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_PARSE);
}

static void
test_error_body (void)
{
  g_autoptr(GError) in = g_error_new_literal (REGIE_ERROR, REGIE_ERROR_FORBIDDEN, "not your dossier");
  g_autofree char *body = regie_error_body_new (in);
  g_autoptr(GError) out = NULL;

  g_assert_cmpuint (regie_error_to_http_status (in), ==, 403);
  g_assert_false (regie_error_body_parse (body, strlen (body), 403, &out));
  g_assert_error (out, REGIE_ERROR, REGIE_ERROR_FORBIDDEN);
  g_assert_cmpstr (out->message, ==, "not your dossier");
  g_clear_error (&out);

  g_assert_false (regie_error_body_parse ("<html>", 6, 502, &out));
  g_assert_error (out, REGIE_ERROR, REGIE_ERROR_SERVER);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/push-round-trip", test_push_round_trip);
  g_test_add_func ("/sync/push-bad-requests", test_push_bad_requests);
  g_test_add_func ("/sync/push-response", test_push_response);
  g_test_add_func ("/sync/push-response-conflicts", test_push_response_conflicts);
  g_test_add_func ("/sync/pull-page", test_pull_page);
  g_test_add_func ("/sync/pull-page-truncated", test_pull_page_truncated);
  g_test_add_func ("/sync/snapshot-page", test_snapshot_page);
  g_test_add_func ("/sync/snapshot-bad-pages", test_snapshot_bad_pages);
  g_test_add_func ("/sync/inflate-bad", test_inflate_bad);
  g_test_add_func ("/sync/error-body", test_error_body);

  return g_test_run ();
}
