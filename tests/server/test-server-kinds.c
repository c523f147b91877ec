/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieTest"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "regie-case.h"
#include "regie-permissions.h"
#include "regie-records.h"
#include "regie-schema.h"
#include "server-test-util.h"

/* Every kind the server stores and syncs, with a valid payload each. */

static RegieTestServer *server;

static const char *
url (void)
{
  return regie_test_server_get_url (server);
}

typedef struct
{
  const char *kind;
  char       *payload;
} Sample;

/* Every kind, in kind order, with a valid payload (server-test-util.c). */
static Sample samples[REGIE_N_RECORD_KINDS];

static gboolean
coordinator_only (RegieRecordKind kind)
{
  return kind == REGIE_RECORD_ASSIGNMENT || kind == REGIE_RECORD_DOSSIER;
}

static char *
sample_payload (const Sample *sample)
{
  return g_strdup (sample->payload);
}

/* Pushes a batch and returns the results, asserting a 200. */
static GPtrArray *
push_ok (const char *token,
         const char *body)
{
  g_autofree char *response = NULL;
  unsigned status = 0;

  response = test_push (url (), token, body, 0, &status);
  if (status != 200)
    g_error ("push answered %u: %s", status, response);
  return test_push_results (response);
}

static void
assert_applied (GPtrArray *results)
{
  for (unsigned i = 0; i < results->len; i++)
    {
      RegiePushResult *r = g_ptr_array_index (results, i);

      if (r->status != REGIE_PUSH_APPLIED)
        g_error ("mutation %u: %s (%s)", i, regie_push_status_to_string (r->status),
                 r->reason != NULL ? r->reason : "");
    }
}

/* A coordinator opens a new dossier on fatima's caseload. */
static char *
open_dossier (const char *coordinator)
{
  g_autofree char *dossier_id = test_uuid ();
  g_autofree char *m1 = test_uuid (), *m2 = test_uuid (), *a = test_uuid ();
  g_autofree char *body = NULL;
  g_autoptr(GPtrArray) results = NULL;
  GString *batch = test_batch_begin ();

  test_batch_add (batch, m1, a, dossier_id, "assignment", 0, samples[2].payload);
  test_batch_add (batch, m2, dossier_id, dossier_id, "dossier", 0, samples[0].payload);
  body = test_batch_end (batch);
  results = push_ok (coordinator, body);
  assert_applied (results);

  return g_steal_pointer (&dossier_id);
}

static void
test_every_kind (void)
{
  g_autofree char *ingrid = test_login (url (), "ingrid");
  g_autofree char *fatima = test_login (url (), "fatima");
  g_autofree char *dossier_id = NULL;
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(TestPull) pull = NULL;
  g_autofree char *body = NULL;
  GString *batch;
  gint64 cursor;
  guint seen[REGIE_N_RECORD_KINDS] = { 0 };

  /* The table covers every kind exactly once. */
  g_assert_cmpuint (G_N_ELEMENTS (samples), ==, REGIE_N_RECORD_KINDS);
  for (unsigned i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      RegieRecordKind kind;

      g_assert_true (regie_record_kind_from_string (samples[i].kind, &kind));
      g_assert_cmpuint (seen[kind]++, ==, 0);
    }

  cursor = test_pull_cursor (url (), fatima);
  dossier_id = open_dossier (ingrid);

  /* The klantmanager writes every other kind in one batch. */
  batch = test_batch_begin ();
  for (unsigned i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *m = test_uuid ();
      g_autofree char *r = test_uuid ();
      g_autofree char *payload = sample_payload (&samples[i]);
      g_autoptr(GError) error = NULL;
      RegieRecordKind kind;
      char *canonical;

      regie_record_kind_from_string (samples[i].kind, &kind);
      canonical = regie_record_canonicalize (kind, payload, -1, &error);
      g_assert_no_error (error);

      if (coordinator_only (kind))
        {
          g_hash_table_insert (expected, g_strdup (samples[i].kind), canonical);
          continue;
        }
      g_hash_table_insert (expected, g_strdup (samples[i].kind), canonical);
      test_batch_add (batch, m, r, dossier_id, samples[i].kind, 0, payload);
    }
  body = test_batch_end (batch);
  results = push_ok (fatima, body);
  g_assert_cmpuint (results->len, ==, REGIE_N_RECORD_KINDS - 2);
  assert_applied (results);

  /* Pulled back unchanged: the canonical form of what was pushed. */
  pull = test_pull_all (url (), fatima, cursor, 0);
  memset (seen, 0, sizeof seen);
  for (unsigned i = 0; i < pull->changes->len; i++)
    {
      TestChange *change = g_ptr_array_index (pull->changes, i);
      const char *kind = regie_record_kind_to_string (change->kind);

      if (g_strcmp0 (change->dossier_id, dossier_id) != 0)
        continue;
      g_assert_cmpstr (change->payload, ==, g_hash_table_lookup (expected, kind));
      g_assert_cmpint (change->version, ==, 1);
      seen[change->kind]++;
    }
  for (unsigned k = 0; k < REGIE_N_RECORD_KINDS; k++)
    {
      if (seen[k] != 1)
        g_error ("kind %s pulled %u times", regie_record_kind_to_string (k), seen[k]);
    }
}

static void
test_klantmanager_not_assignment_or_dossier (void)
{
  g_autofree char *ingrid = test_login (url (), "ingrid");
  g_autofree char *fatima = test_login (url (), "fatima");
  g_autofree char *dossier_id = open_dossier (ingrid);
  const char *kinds[] = { "assignment", "dossier" };
  const char *payloads[] = { samples[2].payload, samples[0].payload };

  for (unsigned i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *m = test_uuid ();
      g_autofree char *r = test_uuid ();
      g_autofree char *body = NULL;
      g_autofree char *response = NULL;
      g_autofree char *message = NULL;
      GString *batch = test_batch_begin ();
      unsigned status = 0;

      test_batch_add (batch, m, i == 1 ? dossier_id : r, dossier_id, kinds[i], i == 1 ? 1 : 0,
                      payloads[i]);
      body = test_batch_end (batch);
      response = test_push (url (), fatima, body, 0, &status);
      g_assert_cmpuint (status, ==, 403);
      message = test_assert_error (response, 403, "forbidden");
    }
}

static void
test_one_per_dossier (void)
{
  g_autofree char *ingrid = test_login (url (), "ingrid");
  g_autofree char *fatima = test_login (url (), "fatima");
  g_autofree char *dossier_id = open_dossier (ingrid);
  unsigned checked = 0;

  for (unsigned i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *m1 = test_uuid (), *m2 = test_uuid ();
      g_autofree char *r1 = test_uuid (), *r2 = test_uuid ();
      g_autofree char *body = NULL;
      g_autofree char *payload = sample_payload (&samples[i]);
      g_autoptr(GPtrArray) results = NULL;
      RegiePushResult *first, *second;
      RegieRecordKind kind;
      GString *batch;

      regie_record_kind_from_string (samples[i].kind, &kind);
      /* A dossier record's id is the dossier id: a second one cannot be. */
      if (!regie_kind_spec_get (kind)->one_per_dossier || kind == REGIE_RECORD_DOSSIER)
        continue;

      /* The assignment exists already; the others get a first record here,
       * from whoever may write the kind (the coordinator does not write
       * intake, health or finance: docs/permissions.md). */
      batch = test_batch_begin ();
      if (kind != REGIE_RECORD_ASSIGNMENT)
        test_batch_add (batch, m1, r1, dossier_id, samples[i].kind, 0, payload);
      test_batch_add (batch, m2, r2, dossier_id, samples[i].kind, 0, payload);
      body = test_batch_end (batch);
      results = push_ok (regie_permissions_may_write (REGIE_ROLE_COORDINATOR, kind) ? ingrid : fatima,
                         body);

      if (kind != REGIE_RECORD_ASSIGNMENT)
        {
          g_assert_cmpuint (results->len, ==, 2);
          first = g_ptr_array_index (results, 0);
          g_assert_cmpint (first->status, ==, REGIE_PUSH_APPLIED);
        }
      second = g_ptr_array_index (results, results->len - 1);
      if (second->status != REGIE_PUSH_REJECTED)
        g_error ("a second %s was %s", samples[i].kind, regie_push_status_to_string (second->status));
      g_assert_nonnull (strstr (second->reason, "at most one"));
      checked++;
    }
  g_assert_cmpuint (checked, >=, 10);
}

static void
test_append_only_kinds (void)
{
  g_autofree char *ingrid = test_login (url (), "ingrid");
  g_autofree char *fatima = test_login (url (), "fatima");
  g_autofree char *dossier_id = open_dossier (ingrid);
  unsigned checked = 0;

  for (unsigned i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *m1 = test_uuid (), *m2 = test_uuid (), *r = test_uuid ();
      g_autofree char *b1 = NULL, *b2 = NULL;
      g_autofree char *payload = sample_payload (&samples[i]);
      g_autoptr(GPtrArray) first = NULL;
      g_autoptr(GPtrArray) second = NULL;
      RegiePushResult *result;
      RegieRecordKind kind;
      GString *batch;

      regie_record_kind_from_string (samples[i].kind, &kind);
      if (!regie_record_kind_is_append_only (kind))
        continue;

      batch = test_batch_begin ();
      test_batch_add (batch, m1, r, dossier_id, samples[i].kind, 0, payload);
      b1 = test_batch_end (batch);
      first = push_ok (fatima, b1);
      assert_applied (first);

      /* The same record again, on its current version: still refused. */
      batch = test_batch_begin ();
      test_batch_add (batch, m2, r, dossier_id, samples[i].kind, 1, payload);
      b2 = test_batch_end (batch);
      second = push_ok (fatima, b2);
      result = g_ptr_array_index (second, 0);
      g_assert_cmpint (result->status, ==, REGIE_PUSH_REJECTED);
      g_assert_nonnull (strstr (result->reason, "append-only"));
      checked++;
    }
  g_assert_cmpuint (checked, >=, 5);
}

/* A whole persona dossier, as the demo made it, typed in again by a
 * client: the coordinator opens it, the klantmanager fills it; pulled
 * back, every record is the same. */
static void
test_persona_round_trip (void)
{
  g_autofree char *export = test_demo_export (4, "2021", "2026-03-02", PERSONA_RAHAF);
  g_autofree char *ingrid = test_login (url (), "ingrid");
  g_autofree char *fatima = test_login (url (), "fatima");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(RegieCase) dossier = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TestPull) pull = NULL;
  g_autoptr(GHashTable) pushed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *coordinator_body = NULL;
  g_autofree char *klantmanager_body = NULL;
  g_autoptr(GPtrArray) r1 = NULL;
  g_autoptr(GPtrArray) r2 = NULL;
  GString *coordinator_batch = test_batch_begin ();
  GString *klantmanager_batch = test_batch_begin ();
  JsonArray *records;
  unsigned n_matched = 0;
  gint64 cursor;

  root = json_from_string (export, &error);
  g_assert_no_error (error);
  dossier = regie_case_new_from_json (root, REGIE_SCHEMA_STRICT, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (regie_case_get_id (dossier), ==, PERSONA_RAHAF);
  g_assert_cmpuint (regie_case_get_n_records (dossier), >, 30);

  records = json_object_get_array_member (json_node_get_object (root), "records");
  for (unsigned i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *r = json_array_get_object_element (records, i);
      const char *id = json_object_get_string_member (r, "id");
      const char *kind = json_object_get_string_member (r, "kind");
      g_autofree char *payload = json_to_string (json_object_get_member (r, "payload"), FALSE);
      g_autofree char *m = test_uuid ();
      RegieRecordKind k;

      g_assert_true (regie_record_kind_from_string (kind, &k));
      test_batch_add (coordinator_only (k) ? coordinator_batch : klantmanager_batch,
                      m, id, PERSONA_RAHAF, kind, 0, payload);
      g_hash_table_insert (pushed, (gpointer) id, r);
    }

  cursor = test_pull_cursor (url (), fatima);
  coordinator_body = test_batch_end (coordinator_batch);
  klantmanager_body = test_batch_end (klantmanager_batch);
  r1 = push_ok (ingrid, coordinator_body);
  assert_applied (r1);
  r2 = push_ok (fatima, klantmanager_body);
  assert_applied (r2);
  g_assert_cmpuint (r1->len + r2->len, ==, json_array_get_length (records));

  pull = test_pull_all (url (), fatima, cursor, 0);
  for (unsigned i = 0; i < pull->changes->len; i++)
    {
      TestChange *change = g_ptr_array_index (pull->changes, i);
      JsonObject *r = g_hash_table_lookup (pushed, change->record_id);
      g_autofree char *payload = NULL;

      if (r == NULL)
        continue;
      payload = json_to_string (json_object_get_member (r, "payload"), FALSE);
      g_assert_cmpstr (change->dossier_id, ==, PERSONA_RAHAF);
      g_assert_cmpstr (regie_record_kind_to_string (change->kind), ==,
                       json_object_get_string_member (r, "kind"));
      g_assert_cmpstr (change->payload, ==, payload);
      n_matched++;
    }
  g_assert_cmpuint (n_matched, ==, json_array_get_length (records));
}

int
main (int   argc,
      char *argv[])
{
  const char * const demo[] = { "--demo", "--dossiers", "0", NULL };
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  for (int k = 0; k < REGIE_N_RECORD_KINDS; k++)
    {
      samples[k].kind = regie_record_kind_to_string (k);
      samples[k].payload = test_sample_payload (k, "fatima");
    }

  server = regie_test_server_start (NULL, demo, &error);
  g_assert_no_error (error);

  g_test_add_func ("/server/kinds/every-kind-round-trip", test_every_kind);
  g_test_add_func ("/server/kinds/klantmanager-not-assignment-or-dossier",
                   test_klantmanager_not_assignment_or_dossier);
  g_test_add_func ("/server/kinds/one-per-dossier", test_one_per_dossier);
  g_test_add_func ("/server/kinds/append-only", test_append_only_kinds);
  g_test_add_func ("/server/kinds/persona-round-trip", test_persona_round_trip);

  status = g_test_run ();
  regie_test_server_free (server);
  for (int k = 0; k < REGIE_N_RECORD_KINDS; k++)
    g_free (samples[k].payload);

  return status;
}
