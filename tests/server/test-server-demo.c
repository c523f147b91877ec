/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieTest"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "server-test-util.h"

/* The demo generator (docs/generator.md): deterministic, and every
 * dossier it makes is one the rules engine can read, with the problems a
 * real caseload has and none that a consistent dossier cannot have. */

#define REFERENCE_DATE "2026-03-02"

static void
test_deterministic (void)
{
  g_autofree char *a = test_demo_export (300, "77", REFERENCE_DATE, NULL);
  g_autofree char *b = test_demo_export (300, "77", REFERENCE_DATE, NULL);
  g_autofree char *other_seed = test_demo_export (300, "78", REFERENCE_DATE, NULL);
  g_autofree char *other_day = test_demo_export (300, "77", "2026-06-15", NULL);
  g_autoptr(GPtrArray) lines = test_split_lines (a);

  g_assert_cmpuint (lines->len, ==, 300);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (a, !=, other_seed);
  g_assert_cmpstr (a, !=, other_day);
}

/* regie-rules on one dossier line; returns its parsed output. */
static JsonObject *
run_rules (const char *dossier_json)
{
  const char * const args[] = { "--today", REFERENCE_DATE, "-", NULL };
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  out = test_run (g_getenv ("REGIE_RULES_PATH"), args, dossier_json, &status);
  if (status != 0)
    g_error ("regie-rules exited %d on %s", status, dossier_json);
  root = json_from_string (out, &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (root));
}

static gboolean
has_code (JsonObject *result,
          const char *list,
          const char *code)
{
  JsonArray *array = json_object_get_array_member (result, list);

  for (unsigned i = 0; i < json_array_get_length (array); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (array, i), "code"),
                     code))
      return TRUE;
  return FALSE;
}

static void
collect_codes (JsonObject *result,
               const char *list,
               GHashTable *counts)
{
  JsonArray *array = json_object_get_array_member (result, list);

  for (unsigned i = 0; i < json_array_get_length (array); i++)
    {
      const char *code = json_object_get_string_member (json_array_get_object_element (array, i),
                                                        "code");
      g_hash_table_insert (counts, g_strdup (code),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, code)) + 1));
    }
}

static void
test_rules_on_every_dossier (void)
{
  /* Problems a consistent dossier cannot have: the generator must never
   * make them. */
  static const char * const impossible[] = {
    "bsn_invalid", "pip_a2_on_first_b1", "pip_a2_on_onderwijsroute", "pip_b1_on_zroute",
    "pip_hours_estimate_not_asylum", "afschalen_not_b1_route", "afschalen_first_pip",
    "afschalen_hours_short", "afschalen_effort_missing", "pvt_hours_short",
    "map_on_onderwijsroute", "zroute_hours_short", "ontzorgen_not_asylum", "fine_over_max",
    "fine_without_warning",
  };
  /* Problems a real caseload has, which the demo leaves for the rules. */
  static const char * const expected[] = {
    "pip_late", "progress_talk_overdue", "leefgeld_low", "toeslag_late", "pip_due_soon",
    "term_end", "ontzorgen_review",
  };
  g_autofree char *export = test_demo_export (500, "2021", REFERENCE_DATE, NULL);
  g_autoptr(GPtrArray) lines = test_split_lines (export);
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_cmpuint (lines->len, ==, 500);
  for (unsigned i = 0; i < lines->len; i++)
    {
      g_autoptr(JsonObject) result = run_rules (g_ptr_array_index (lines, i));

      collect_codes (result, "deadlines", counts);
      collect_codes (result, "findings", counts);
      collect_codes (result, "signals", counts);
    }

  for (unsigned i = 0; i < G_N_ELEMENTS (impossible); i++)
    if (g_hash_table_contains (counts, impossible[i]))
      g_error ("the generator made %u dossiers with %s", GPOINTER_TO_UINT (g_hash_table_lookup (counts, impossible[i])),
               impossible[i]);
  for (unsigned i = 0; i < G_N_ELEMENTS (expected); i++)
    if (!g_hash_table_contains (counts, expected[i]))
      g_error ("no dossier shows %s", expected[i]);

  /* Late PIPs are a share, not the rule. */
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "pip_late")), <, 500 / 4);
}

static JsonObject *
persona_rules (const char *dossier_id)
{
  g_autofree char *export = test_demo_export (4, "2021", REFERENCE_DATE, dossier_id);
  g_autoptr(GPtrArray) lines = test_split_lines (export);

  g_assert_cmpuint (lines->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (lines, 0), dossier_id));
  return run_rules (g_ptr_array_index (lines, 0));
}

static void
assert_no_errors (JsonObject *result)
{
  JsonArray *findings = json_object_get_array_member (result, "findings");

  for (unsigned i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *f = json_array_get_object_element (findings, i);

      if (g_str_equal (json_object_get_string_member (f, "severity"), "error"))
        g_error ("finding %s: %s", json_object_get_string_member (f, "code"),
                 json_object_get_string_member (f, "message"));
    }
}

static void
test_persona_tesfay (void)
{
  g_autoptr(JsonObject) r = persona_rules (PERSONA_TESFAY);

  /* Z-route with 800/800 hours and the eindgesprek held: the term runs
   * out, nothing is short. */
  g_assert_true (has_code (r, "deadlines", "term_end"));
  g_assert_true (has_code (r, "deadlines", "ontzorgen_review"));
  g_assert_false (has_code (r, "findings", "zroute_hours_short"));
  g_assert_false (has_code (r, "findings", "pip_b1_on_zroute"));
  g_assert_false (has_code (r, "signals", "leefgeld_low"));
  assert_no_errors (r);
}

static void
test_persona_lina (void)
{
  g_autoptr(JsonObject) r = persona_rules (PERSONA_LINA);

  g_assert_true (has_code (r, "deadlines", "term_end"));
  g_assert_true (has_code (r, "deadlines", "next_progress_talk"));
  g_assert_false (has_code (r, "findings", "map_on_onderwijsroute"));
  g_assert_false (has_code (r, "findings", "pip_late"));
  g_assert_false (has_code (r, "signals", "progress_talk_overdue"));
  assert_no_errors (r);
}

static void
test_persona_ayse (void)
{
  g_autoptr(JsonObject) r = persona_rules (PERSONA_AYSE);

  /* A family migrant: no ontzorgen, no hours estimate. */
  g_assert_true (has_code (r, "deadlines", "term_end"));
  g_assert_false (has_code (r, "deadlines", "ontzorgen_review"));
  g_assert_false (has_code (r, "findings", "ontzorgen_not_asylum"));
  g_assert_false (has_code (r, "findings", "pip_hours_estimate_not_asylum"));
  g_assert_false (has_code (r, "signals", "leefgeld_low"));
  g_assert_false (has_code (r, "signals", "toeslag_late"));
  g_assert_false (has_code (r, "signals", "bridging_loan_open"));
  assert_no_errors (r);
}

static void
test_persona_rahaf (void)
{
  g_autoptr(JsonObject) r = persona_rules (PERSONA_RAHAF);

  /* Ontzorgen trouble: €15 leefgeld, late toeslagen, an open loan. */
  g_assert_true (has_code (r, "signals", "leefgeld_low"));
  g_assert_true (has_code (r, "signals", "toeslag_late"));
  g_assert_true (has_code (r, "signals", "bridging_loan_open"));
  g_assert_true (has_code (r, "deadlines", "ontzorgen_review"));
  g_assert_true (has_code (r, "deadlines", "term_end"));
  assert_no_errors (r);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/demo/deterministic", test_deterministic);
  g_test_add_func ("/server/demo/rules-on-every-dossier", test_rules_on_every_dossier);
  g_test_add_func ("/server/demo/persona-tesfay", test_persona_tesfay);
  g_test_add_func ("/server/demo/persona-lina", test_persona_lina);
  g_test_add_func ("/server/demo/persona-ayse", test_persona_ayse);
  g_test_add_func ("/server/demo/persona-rahaf", test_persona_rahaf);

  return g_test_run ();
}
