/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieTest"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "regie-permissions.h"
#include "regie-records.h"
#include "server-test-util.h"

static RegieTestServer *server;

static const char *
url (void)
{
  return regie_test_server_get_url (server);
}

static const RegiePushResult *
result_at (GPtrArray *results,
           unsigned   i)
{
  g_assert_cmpuint (i, <, results->len);
  return g_ptr_array_index (results, i);
}

/* A dossier of `username` other than the personas. */
static char *
some_dossier_of (const char *username)
{
  g_autofree char *token = test_login (url (), username);
  g_autoptr(TestPull) pull = test_pull_all (url (), token, 0, REGIE_PULL_MAX_LIMIT);

  for (unsigned i = 0; i < pull->changes->len; i++)
    {
      TestChange *change = g_ptr_array_index (pull->changes, i);

      if (change->kind == REGIE_RECORD_DOSSIER && !g_str_has_prefix (change->dossier_id, "01900000-"))
        return g_strdup (change->dossier_id);
    }

  g_assert_not_reached ();
}

static void
test_push_then_pull (void)
{
  g_autofree char *token = test_login (url (), "fatima");
  g_autofree char *mutation_id = test_uuid ();
  g_autofree char *note_id = test_uuid ();
  g_autofree char *payload = test_note_payload ("fatima", "Intake gepland met tolk Tigrinya. Ayşe komt mee.");
  g_autofree char *body = NULL;
  g_autofree char *response = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(TestPull) pull = NULL;
  GString *batch;
  TestChange *change;
  gint64 cursor;
  unsigned status = 0;

  cursor = test_pull_cursor (url (), token);

  batch = test_batch_begin ();
  test_batch_add (batch, mutation_id, note_id, PERSONA_TESFAY, "note", 0, payload);
  body = test_batch_end (batch);

  response = test_push (url (), token, body, 0, &status);
  g_assert_cmpuint (status, ==, 200);
  results = test_push_results (response);
  g_assert_cmpuint (results->len, ==, 1);
  g_assert_cmpstr (result_at (results, 0)->mutation_id, ==, mutation_id);
  g_assert_cmpint (result_at (results, 0)->status, ==, REGIE_PUSH_APPLIED);
  g_assert_cmpint (result_at (results, 0)->version, ==, 1);

  pull = test_pull_all (url (), token, cursor, 0);
  g_assert_cmpuint (pull->changes->len, ==, 1);
  change = g_hash_table_lookup (pull->by_id, note_id);
  g_assert_nonnull (change);
  g_assert_cmpint (change->kind, ==, REGIE_RECORD_NOTE);
  g_assert_cmpstr (change->dossier_id, ==, PERSONA_TESFAY);
  g_assert_cmpint (change->version, ==, 1);
  g_assert_cmpstr (change->payload, ==, payload);
  g_assert_cmpint (pull->cursor, ==, change->seq);
}

static void
test_klantmanager_scope (void)
{
  const char * const personas[] = { PERSONA_TESFAY, PERSONA_LINA, PERSONA_AYSE, PERSONA_RAHAF };
  g_autofree char *joost = test_login (url (), "joost");
  g_autofree char *fatima = test_login (url (), "fatima");
  g_autoptr(TestPull) joost_pull = test_pull_all (url (), joost, 0, REGIE_PULL_MAX_LIMIT);
  g_autoptr(TestPull) fatima_pull = test_pull_all (url (), fatima, 0, REGIE_PULL_MAX_LIMIT);
  GHashTableIter iter;
  gpointer key;

  g_assert_cmpuint (g_hash_table_size (joost_pull->dossiers), >, 100);
  for (unsigned i = 0; i < G_N_ELEMENTS (personas); i++)
    {
      g_assert_false (g_hash_table_contains (joost_pull->dossiers, personas[i]));
      g_assert_true (g_hash_table_contains (fatima_pull->dossiers, personas[i]));
    }

  /* No dossier is in both caseloads; every assignment joost sees is his. */
  g_hash_table_iter_init (&iter, joost_pull->dossiers);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_assert_false (g_hash_table_contains (fatima_pull->dossiers, key));

  for (unsigned i = 0; i < joost_pull->changes->len; i++)
    {
      TestChange *change = g_ptr_array_index (joost_pull->changes, i);

      if (change->kind == REGIE_RECORD_ASSIGNMENT)
        g_assert_nonnull (strstr (change->payload, "\"klantmanager\":\"joost\""));
    }

  /* Every dossier comes with its three records. */
  g_assert_cmpuint (joost_pull->changes->len, >=, 3 * g_hash_table_size (joost_pull->dossiers));
}

static void
test_push_outside_scope (void)
{
  g_autofree char *joost = test_login (url (), "joost");
  g_autofree char *fatima = test_login (url (), "fatima");
  g_autofree char *joost_dossier = some_dossier_of ("joost");
  g_autofree char *m1 = test_uuid (), *n1 = test_uuid ();
  g_autofree char *m2 = test_uuid (), *n2 = test_uuid ();
  g_autofree char *p1 = test_note_payload ("joost", "Mag niet in dossier van een collega.");
  g_autofree char *p2 = test_note_payload ("joost", "Eigen dossier, maar in een gemengde batch.");
  g_autofree char *body = NULL;
  g_autofree char *mixed = NULL;
  g_autofree char *allowed = NULL;
  g_autofree char *response = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(TestPull) fatima_pull = NULL;
  g_autoptr(TestPull) joost_pull = NULL;
  GString *batch;
  gint64 fatima_cursor, joost_cursor;
  unsigned status = 0;

  fatima_cursor = test_pull_cursor (url (), fatima);
  joost_cursor = test_pull_cursor (url (), joost);

  /* One forbidden mutation alone. */
  batch = test_batch_begin ();
  test_batch_add (batch, m1, n1, PERSONA_LINA, "note", 0, p1);
  body = test_batch_end (batch);
  response = test_push (url (), joost, body, 0, &status);
  g_assert_cmpuint (status, ==, 403);
  message = test_assert_error (response, status, "forbidden");
  g_clear_pointer (&response, g_free);
  g_clear_pointer (&message, g_free);

  /* An allowed one first, then the forbidden one: nothing is written. */
  batch = test_batch_begin ();
  test_batch_add (batch, m2, n2, joost_dossier, "note", 0, p2);
  test_batch_add (batch, m1, n1, PERSONA_LINA, "note", 0, p1);
  mixed = test_batch_end (batch);
  response = test_push (url (), joost, mixed, 0, &status);
  g_assert_cmpuint (status, ==, 403);
  message = test_assert_error (response, status, "forbidden");
  g_assert_nonnull (strstr (message, "mutation 1"));
  g_clear_pointer (&response, g_free);

  fatima_pull = test_pull_all (url (), fatima, fatima_cursor, 0);
  g_assert_false (g_hash_table_contains (fatima_pull->by_id, n1));
  joost_pull = test_pull_all (url (), joost, joost_cursor, 0);
  g_assert_false (g_hash_table_contains (joost_pull->by_id, n2));
  g_assert_cmpuint (joost_pull->changes->len, ==, 0);

  /* A klantmanager may not write kinds outside the role either. */
  {
    g_autofree char *m3 = test_uuid (), *a3 = test_uuid ();
    g_autofree char *b3 = NULL;
    g_autofree char *r3 = NULL;
    g_autofree char *msg3 = NULL;

    batch = test_batch_begin ();
    test_batch_add (batch, m3, a3, joost_dossier, "assignment", 0,
                    "{\"team\":\"team-noord\",\"klantmanager\":\"joost\"}");
    b3 = test_batch_end (batch);
    r3 = test_push (url (), joost, b3, 0, &status);
    g_assert_cmpuint (status, ==, 403);
    msg3 = test_assert_error (r3, status, "forbidden");
  }

  /* The allowed mutation on its own is fine. */
  batch = test_batch_begin ();
  test_batch_add (batch, m2, n2, joost_dossier, "note", 0, p2);
  allowed = test_batch_end (batch);
  response = test_push (url (), joost, allowed, 0, &status);
  g_assert_cmpuint (status, ==, 200);
  results = test_push_results (response);
  g_assert_cmpint (result_at (results, 0)->status, ==, REGIE_PUSH_APPLIED);
}

static void
test_coordinator_sees_team (void)
{
  g_autofree char *ingrid = test_login (url (), "ingrid");
  g_autoptr(TestPull) team = test_pull_all (url (), ingrid, 0, REGIE_PULL_MAX_LIMIT);
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char * const noord[] = { "fatima", "joost", "noor" };
  const char * const others[] = { "sanne", "daan" };
  GHashTableIter iter;
  gpointer key;

  for (unsigned i = 0; i < G_N_ELEMENTS (noord); i++)
    {
      g_autofree char *token = test_login (url (), noord[i]);
      g_autoptr(TestPull) pull = test_pull_all (url (), token, 0, REGIE_PULL_MAX_LIMIT);

      g_hash_table_iter_init (&iter, pull->dossiers);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_hash_table_add (expected, g_strdup (key));
    }

  g_assert_true (g_hash_table_contains (team->dossiers, PERSONA_AYSE));
  g_assert_cmpuint (g_hash_table_size (team->dossiers), ==, g_hash_table_size (expected));
  g_hash_table_iter_init (&iter, expected);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_assert_true (g_hash_table_contains (team->dossiers, key));

  for (unsigned i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autofree char *token = test_login (url (), others[i]);
      g_autoptr(TestPull) pull = test_pull_all (url (), token, 0, REGIE_PULL_MAX_LIMIT);

      g_hash_table_iter_init (&iter, pull->dossiers);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_assert_false (g_hash_table_contains (team->dossiers, key));
    }
}

static void
test_roles_without_scope (void)
{
  const char * const users[] = { "beheer", "ruud" };

  for (unsigned i = 0; i < G_N_ELEMENTS (users); i++)
    {
      g_autofree char *token = test_login (url (), users[i]);
      g_autoptr(TestPull) pull = test_pull_all (url (), token, 0, 0);
      g_autofree char *m = test_uuid (), *n = test_uuid ();
      g_autofree char *payload = test_note_payload (users[i], "Poging tot schrijven.");
      g_autofree char *body = NULL;
      g_autofree char *response = NULL;
      g_autofree char *message = NULL;
      GString *batch;
      unsigned status = 0;

      /* The inkomensconsulent pulls the ontzorgen dossiers, only the kinds
       * the role may read (test-server-conflicts walks role × kind); the
       * beheerder pulls nothing. Neither pushes. */
      if (g_str_equal (users[i], "ruud"))
        for (unsigned j = 0; j < pull->changes->len; j++)
          {
            TestChange *change = g_ptr_array_index (pull->changes, j);

            g_assert_true (regie_permissions_may_read (REGIE_ROLE_INKOMENSCONSULENT, change->kind));
          }
      else
        g_assert_cmpuint (pull->changes->len, ==, 0);
      g_assert_cmpint (pull->cursor, >, 0);

      batch = test_batch_begin ();
      test_batch_add (batch, m, n, PERSONA_TESFAY, "note", 0, payload);
      body = test_batch_end (batch);
      response = test_push (url (), token, body, 0, &status);
      g_assert_cmpuint (status, ==, 403);
      message = test_assert_error (response, status, "forbidden");
    }
}

static void
test_push_twice (void)
{
  g_autofree char *token = test_login (url (), "fatima");
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(TestPull) pull = NULL;
  g_autofree char *body = NULL;
  g_autofree char *r1 = NULL;
  g_autofree char *r2 = NULL;
  char *note_ids[3];
  GString *batch;
  gint64 cursor;
  unsigned status = 0;

  cursor = test_pull_cursor (url (), token);

  batch = test_batch_begin ();
  for (unsigned i = 0; i < G_N_ELEMENTS (note_ids); i++)
    {
      g_autofree char *m = test_uuid ();
      g_autofree char *text = g_strdup_printf ("Herhaalde verzending %u.", i);
      g_autofree char *payload = test_note_payload ("fatima", text);

      note_ids[i] = test_uuid ();
      test_batch_add (batch, m, note_ids[i], PERSONA_RAHAF, "note", 0, payload);
    }
  body = test_batch_end (batch);

  r1 = test_push (url (), token, body, 0, &status);
  g_assert_cmpuint (status, ==, 200);
  r2 = test_push (url (), token, body, 0, &status);
  g_assert_cmpuint (status, ==, 200);

  first = test_push_results (r1);
  second = test_push_results (r2);
  g_assert_cmpuint (first->len, ==, 3);
  g_assert_cmpuint (second->len, ==, 3);
  for (unsigned i = 0; i < 3; i++)
    {
      g_assert_cmpint (result_at (first, i)->status, ==, REGIE_PUSH_APPLIED);
      g_assert_cmpint (result_at (second, i)->status, ==, REGIE_PUSH_DUPLICATE);
      g_assert_cmpint (result_at (second, i)->version, ==, result_at (first, i)->version);
      g_assert_cmpstr (result_at (second, i)->mutation_id, ==, result_at (first, i)->mutation_id);
    }

  /* test_pull_all asserts that no record comes twice. */
  pull = test_pull_all (url (), token, cursor, 0);
  g_assert_cmpuint (pull->changes->len, ==, 3);
  for (unsigned i = 0; i < G_N_ELEMENTS (note_ids); i++)
    {
      g_assert_true (g_hash_table_contains (pull->by_id, note_ids[i]));
      g_free (note_ids[i]);
    }
}

static char *
person_payload (const char *given_names)
{
  return g_strdup_printf ("{\"bsn\":\"111222333\",\"v_number\":\"1234567890\","
                          "\"given_names\":\"%s\",\"family_name\":\"Haddad\","
                          "\"birth_date\":\"2002-07-21\",\"doelgroep\":\"asielstatushouder\"}",
                          given_names);
}

static void
test_stale_base_version (void)
{
  g_autofree char *token = test_login (url (), "fatima");
  g_autofree char *m1 = test_uuid (), *m2 = test_uuid ();
  g_autofree char *p1 = person_payload ("Lina Maryam");
  g_autofree char *p2 = person_payload ("Lina");
  g_autofree char *b1 = NULL, *b2 = NULL, *r1 = NULL, *r2 = NULL;
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(TestPull) pull = NULL;
  TestChange *change;
  GString *batch;
  gint64 cursor;
  unsigned status = 0;

  cursor = test_pull_cursor (url (), token);

  batch = test_batch_begin ();
  test_batch_add (batch, m1, PERSONA_LINA_PERSON, PERSONA_LINA, "person", 1, p1);
  b1 = test_batch_end (batch);
  r1 = test_push (url (), token, b1, 0, &status);
  g_assert_cmpuint (status, ==, 200);
  first = test_push_results (r1);
  g_assert_cmpint (result_at (first, 0)->status, ==, REGIE_PUSH_APPLIED);
  g_assert_cmpint (result_at (first, 0)->version, ==, 2);

  /* Another device still on version 1. A person merges per member
   * (conflicts by field class; test-server-conflicts has the cases): this
   * device left given_names as it was, so the first device's change
   * stays, and nothing was overwritten. */
  batch = test_batch_begin ();
  test_batch_add (batch, m2, PERSONA_LINA_PERSON, PERSONA_LINA, "person", 1, p2);
  b2 = test_batch_end (batch);
  r2 = test_push (url (), token, b2, 0, &status);
  g_assert_cmpuint (status, ==, 200);
  second = test_push_results (r2);
  g_assert_cmpint (result_at (second, 0)->status, ==, REGIE_PUSH_APPLIED);
  g_assert_cmpint (result_at (second, 0)->version, ==, 3);
  g_assert_nonnull (result_at (second, 0)->merged);
  g_assert_cmpuint (result_at (second, 0)->merged->len, ==, 0);

  pull = test_pull_all (url (), token, cursor, 0);
  g_assert_cmpuint (pull->changes->len, ==, 1);
  change = g_hash_table_lookup (pull->by_id, PERSONA_LINA_PERSON);
  g_assert_nonnull (change);
  g_assert_cmpint (change->version, ==, 3);
  g_assert_nonnull (strstr (change->payload, "Lina Maryam"));
}

static void
test_note_is_append_only (void)
{
  g_autofree char *token = test_login (url (), "fatima");
  g_autofree char *m1 = test_uuid (), *m2 = test_uuid (), *m3 = test_uuid ();
  g_autofree char *payload = test_note_payload ("fatima", "Gewijzigde tekst.");
  g_autofree char *b1 = NULL, *b2 = NULL, *b3 = NULL, *r1 = NULL, *r2 = NULL, *r3 = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) results2 = NULL;
  g_autoptr(GPtrArray) results3 = NULL;
  g_autoptr(TestPull) pull = NULL;
  GString *batch;
  gint64 cursor;
  unsigned status = 0;

  cursor = test_pull_cursor (url (), token);

  /* Modify a demo note. */
  batch = test_batch_begin ();
  test_batch_add (batch, m1, PERSONA_TESFAY_NOTE, PERSONA_TESFAY, "note", 1, payload);
  b1 = test_batch_end (batch);
  r1 = test_push (url (), token, b1, 0, &status);
  g_assert_cmpuint (status, ==, 200);
  results = test_push_results (r1);
  g_assert_cmpint (result_at (results, 0)->status, ==, REGIE_PUSH_REJECTED);
  g_assert_nonnull (result_at (results, 0)->reason);

  /* Re-create it as new (base 0) is no way around it. */
  batch = test_batch_begin ();
  test_batch_add (batch, m2, PERSONA_TESFAY_NOTE, PERSONA_TESFAY, "note", 0, payload);
  b2 = test_batch_end (batch);
  r2 = test_push (url (), token, b2, 0, &status);
  g_assert_cmpuint (status, ==, 200);
  results2 = test_push_results (r2);
  g_assert_cmpint (result_at (results2, 0)->status, ==, REGIE_PUSH_REJECTED);

  /* Nor is moving a record to another dossier. */
  batch = test_batch_begin ();
  test_batch_add (batch, m3, PERSONA_TESFAY_NOTE, PERSONA_LINA, "note", 0, payload);
  b3 = test_batch_end (batch);
  r3 = test_push (url (), token, b3, 0, &status);
  g_assert_cmpuint (status, ==, 200);
  results3 = test_push_results (r3);
  g_assert_cmpint (result_at (results3, 0)->status, ==, REGIE_PUSH_REJECTED);
  /* Nothing about the record in the other dossier comes back: neither
   * its version nor that it is in another dossier. */
  g_assert_cmpint (result_at (results3, 0)->current_version, ==, 0);
  g_assert_cmpstr (result_at (results3, 0)->reason, ==, "the record id is already in use");

  pull = test_pull_all (url (), token, cursor, 0);
  g_assert_cmpuint (pull->changes->len, ==, 0);
}

static void
test_note_author_is_user (void)
{
  g_autofree char *token = test_login (url (), "fatima");
  g_autofree char *m = test_uuid (), *n = test_uuid ();
  g_autofree char *payload = test_note_payload ("joost", "Namens een collega.");
  g_autofree char *body = NULL, *response = NULL;
  g_autoptr(GPtrArray) results = NULL;
  GString *batch;
  unsigned status = 0;

  batch = test_batch_begin ();
  test_batch_add (batch, m, n, PERSONA_TESFAY, "note", 0, payload);
  body = test_batch_end (batch);
  response = test_push (url (), token, body, 0, &status);
  g_assert_cmpuint (status, ==, 200);
  results = test_push_results (response);
  g_assert_cmpint (result_at (results, 0)->status, ==, REGIE_PUSH_REJECTED);
}

static void
test_coordinator_reassigns (void)
{
  g_autofree char *ingrid = test_login (url (), "ingrid");
  g_autofree char *noor = test_login (url (), "noor");
  g_autofree char *joost_dossier = some_dossier_of ("joost");
  g_autofree char *m = test_uuid ();
  g_autofree char *body = NULL, *response = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(TestPull) all = NULL;
  g_autoptr(TestPull) noor_pull = NULL;
  const char *assignment_id = NULL;
  GString *batch;
  gint64 noor_cursor;
  unsigned status = 0;

  all = test_pull_all (url (), ingrid, 0, REGIE_PULL_MAX_LIMIT);
  for (unsigned i = 0; i < all->changes->len; i++)
    {
      TestChange *change = g_ptr_array_index (all->changes, i);
      if (change->kind == REGIE_RECORD_ASSIGNMENT && g_str_equal (change->dossier_id, joost_dossier))
        assignment_id = change->record_id;
    }
  g_assert_nonnull (assignment_id);

  noor_cursor = test_pull_cursor (url (), noor);

  batch = test_batch_begin ();
  test_batch_add (batch, m, assignment_id, joost_dossier, "assignment", 1,
                  "{\"team\":\"team-noord\",\"klantmanager\":\"noor\"}");
  body = test_batch_end (batch);
  response = test_push (url (), ingrid, body, 0, &status);
  g_assert_cmpuint (status, ==, 200);
  results = test_push_results (response);
  g_assert_cmpint (result_at (results, 0)->status, ==, REGIE_PUSH_APPLIED);

  /* The new assignment record reaches noor. */
  noor_pull = test_pull_all (url (), noor, noor_cursor, 0);
  g_assert_true (g_hash_table_contains (noor_pull->by_id, assignment_id));
}

static void
test_noop_pull (void)
{
  g_autofree char *token = test_login (url (), "fatima");
  g_autofree char *path = NULL;
  g_autofree char *page = NULL;
  g_autofree char *expected = NULL;
  gint64 cursor;
  unsigned status = 0;

  cursor = test_pull_cursor (url (), token);
  path = g_strdup_printf ("/api/v1/sync/pull?cursor=%" G_GINT64_FORMAT, cursor);
  expected = g_strdup_printf ("E\t%" G_GINT64_FORMAT "\t0\n", cursor);

  for (unsigned i = 0; i < 3; i++)
    {
      g_clear_pointer (&page, g_free);
      page = regie_test_http (url (), "GET", path, token, NULL, 0, &status, NULL);
      g_assert_cmpuint (status, ==, 200);
      g_assert_cmpstr (page, ==, expected);
    }
}

static void
test_pull_paging (void)
{
  g_autofree char *token = test_login (url (), "fatima");
  g_autoptr(TestPull) whole = test_pull_all (url (), token, 0, REGIE_PULL_MAX_LIMIT);
  g_autoptr(TestPull) paged = test_pull_all (url (), token, 0, 7);
  g_autoptr(TestPull) by_default = test_pull_all (url (), token, 0, 0);

  g_assert_cmpuint (whole->n_pages, ==, 1);
  g_assert_cmpuint (paged->n_pages, >=, whole->changes->len / 7);
  g_assert_cmpuint (paged->changes->len, ==, whole->changes->len);
  g_assert_cmpuint (by_default->changes->len, ==, whole->changes->len);
  g_assert_cmpint (paged->cursor, ==, whole->cursor);

  for (unsigned i = 0; i < whole->changes->len; i++)
    {
      TestChange *a = g_ptr_array_index (whole->changes, i);
      TestChange *b = g_ptr_array_index (paged->changes, i);

      g_assert_cmpint (a->seq, ==, b->seq);
      g_assert_cmpstr (a->record_id, ==, b->record_id);
      g_assert_cmpstr (a->payload, ==, b->payload);
    }
}

static void
test_pull_bad_query (void)
{
  g_autofree char *token = test_login (url (), "fatima");
  static const char * const queries[] = {
    "cursor=-1", "cursor=abc", "cursor=1e3", "cursor=", "cursor=0&limit=0",
    "cursor=0&limit=20001", "cursor=0&limit=x", "cursor=99999999999999999999",
  };

  for (unsigned i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/sync/pull?%s", queries[i]);
      g_autofree char *response = NULL;
      g_autofree char *message = NULL;
      unsigned status = 0;

      response = regie_test_http (url (), "GET", path, token, NULL, 0, &status, NULL);
      g_assert_cmpuint (status, ==, 400);
      message = test_assert_error (response, status, "invalid");
    }
}

static void
test_pull_future_cursor (void)
{
  g_autofree char *token = test_login (url (), "fatima");
  g_autofree char *response = NULL;
  g_autofree char *message = NULL;
  unsigned status = 0;

  response = regie_test_http (url (), "GET", "/api/v1/sync/pull?cursor=900000000", token,
                              NULL, 0, &status, NULL);
  g_assert_cmpuint (status, ==, 410);
  message = test_assert_error (response, status, "gone");
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

  g_test_add_func ("/server/sync/push-then-pull", test_push_then_pull);
  g_test_add_func ("/server/sync/klantmanager-scope", test_klantmanager_scope);
  g_test_add_func ("/server/sync/push-outside-scope", test_push_outside_scope);
  g_test_add_func ("/server/sync/coordinator-sees-team", test_coordinator_sees_team);
  g_test_add_func ("/server/sync/roles-without-scope", test_roles_without_scope);
  g_test_add_func ("/server/sync/push-twice", test_push_twice);
  g_test_add_func ("/server/sync/stale-base-version", test_stale_base_version);
  g_test_add_func ("/server/sync/note-append-only", test_note_is_append_only);
  g_test_add_func ("/server/sync/note-author", test_note_author_is_user);
  g_test_add_func ("/server/sync/coordinator-reassigns", test_coordinator_reassigns);
  g_test_add_func ("/server/sync/noop-pull", test_noop_pull);
  g_test_add_func ("/server/sync/pull-paging", test_pull_paging);
  g_test_add_func ("/server/sync/pull-bad-query", test_pull_bad_query);
  g_test_add_func ("/server/sync/pull-future-cursor", test_pull_future_cursor);

  ret = g_test_run ();
  regie_test_server_free (server);

  return ret;
}
