/* SPDX-License-Identifier: EUPL-1.2 */
/* Conflicts by field class: who wins, what merges, what waits for a person. */
#include "config.h"

#include "regie-error.h"
#include "regie-merge.h"

#define PERSON(family, phone, address) \
  "{\"bsn\":\"123456782\",\"family_name\":\"" family "\",\"birth_date\":\"1990-01-01\"," \
  "\"doelgroep\":\"gezinsmigrant\",\"phone\":\"" phone "\",\"address\":\"" address "\"}"

static void
test_policies (void)
{
  g_assert_cmpint (regie_kind_merge_policy (REGIE_RECORD_NOTE), ==, REGIE_MERGE_APPEND_ONLY);
  g_assert_cmpint (regie_kind_merge_policy (REGIE_RECORD_PIP), ==, REGIE_MERGE_APPEND_ONLY);
  g_assert_cmpint (regie_kind_merge_policy (REGIE_RECORD_EXAM), ==, REGIE_MERGE_APPEND_ONLY);
  g_assert_cmpint (regie_kind_merge_policy (REGIE_RECORD_PERSON), ==, REGIE_MERGE_FIELDS);
  g_assert_cmpint (regie_kind_merge_policy (REGIE_RECORD_SIGNAL), ==, REGIE_MERGE_FIELDS);
  g_assert_cmpint (regie_kind_merge_policy (REGIE_RECORD_INTAKE_HEALTH), ==, REGIE_MERGE_FIELDS);
  g_assert_cmpint (regie_kind_merge_policy (REGIE_RECORD_ASSIGNMENT), ==, REGIE_MERGE_CRITICAL);
  g_assert_cmpint (regie_kind_merge_policy (REGIE_RECORD_DOSSIER), ==, REGIE_MERGE_CRITICAL);
  g_assert_cmpint (regie_kind_merge_policy (REGIE_RECORD_HANDHAVING), ==, REGIE_MERGE_CRITICAL);
  g_assert_cmpint (regie_kind_merge_policy (REGIE_RECORD_DUO_DECISION), ==, REGIE_MERGE_CRITICAL);
  g_assert_cmpint (regie_kind_merge_policy (REGIE_RECORD_CLOSURE), ==, REGIE_MERGE_CRITICAL);
}

static void
test_disjoint_changes_merge (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) overwritten = NULL;
  g_autofree char *merged = regie_merge_fields (REGIE_RECORD_PERSON,
                                                PERSON ("Demir", "0612345678", "Dorpsstraat 1"),
                                                PERSON ("Demir", "0687654321", "Dorpsstraat 1"),
                                                PERSON ("Demir", "0612345678", "Kerkplein 3"),
                                                &overwritten, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (merged, ==, PERSON ("Demir", "0687654321", "Kerkplein 3"));
  g_assert_cmpuint (overwritten->len, ==, 0);
}

static void
test_both_changed_later_write_wins (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) overwritten = NULL;
  g_autofree char *merged = regie_merge_fields (REGIE_RECORD_PERSON,
                                                PERSON ("Demir", "0612345678", "Dorpsstraat 1"),
                                                PERSON ("Demir", "0600000001", "Dorpsstraat 1"),
                                                PERSON ("Demir", "0600000002", "Dorpsstraat 1"),
                                                &overwritten, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (merged, ==, PERSON ("Demir", "0600000001", "Dorpsstraat 1"));
  g_assert_cmpuint (overwritten->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (overwritten, 0), ==, "phone");
}

static void
test_same_change_is_no_conflict (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) overwritten = NULL;
  g_autofree char *merged = regie_merge_fields (REGIE_RECORD_PERSON,
                                                PERSON ("Demir", "0612345678", "Dorpsstraat 1"),
                                                PERSON ("Yılmaz", "0612345678", "Dorpsstraat 1"),
                                                PERSON ("Yılmaz", "0612345678", "Dorpsstraat 1"),
                                                &overwritten, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (merged, ==, PERSON ("Yılmaz", "0612345678", "Dorpsstraat 1"));
  g_assert_cmpuint (overwritten->len, ==, 0);
}

static void
test_removed_member (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *merged = regie_merge_fields (
    REGIE_RECORD_SIGNAL,
    "{\"title\":\"Huur\",\"owner\":\"fatima\",\"status\":\"open\",\"raised_on\":\"2026-01-01\",\"due_on\":\"2026-02-01\"}",
    "{\"title\":\"Huur\",\"owner\":\"fatima\",\"status\":\"open\",\"raised_on\":\"2026-01-01\"}",
    "{\"title\":\"Huur\",\"owner\":\"fatima\",\"status\":\"done\",\"raised_on\":\"2026-01-01\",\"due_on\":\"2026-02-01\"}",
    NULL, &error);

  g_assert_no_error (error);
  /* My removal of due_on and their status change both hold. */
  g_assert_cmpstr (merged, ==,
                   "{\"title\":\"Huur\",\"owner\":\"fatima\",\"status\":\"done\",\"raised_on\":\"2026-01-01\"}");
}

/* Who holds a dossier is never merged: two coordinators' reassignments
 * wait for a person. */
static void
test_critical_conflicts (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = regie_merge_fields (REGIE_RECORD_ASSIGNMENT,
                                           "{\"team\":\"team-noord\",\"klantmanager\":\"fatima\"}",
                                           "{\"team\":\"team-noord\",\"klantmanager\":\"joost\"}",
                                           "{\"team\":\"team-noord\",\"klantmanager\":\"noor\"}",
                                           NULL, &error);
  g_assert_null (a);
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_CONFLICT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/merge/policies", test_policies);
  g_test_add_func ("/merge/disjoint-changes", test_disjoint_changes_merge);
  g_test_add_func ("/merge/both-changed", test_both_changed_later_write_wins);
  g_test_add_func ("/merge/same-change", test_same_change_is_no_conflict);
  g_test_add_func ("/merge/removed-member", test_removed_member);
  g_test_add_func ("/merge/critical-conflicts", test_critical_conflicts);

  return g_test_run ();
}
