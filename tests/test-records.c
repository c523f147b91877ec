/* SPDX-License-Identifier: EUPL-1.2 */
#include "config.h"

#include <string.h>

#include "regie-error.h"
#include "regie-records.h"
#include "regie-schema.h"
#include "regie-util.h"

#define PERSON_JSON \
  "{\"bsn\":\"123456782\",\"v_number\":\"1234567890\",\"given_names\":\"Ayşe\"," \
  "\"family_name\":\"Yılmaz\",\"birth_date\":\"1994-02-28\",\"doelgroep\":\"gezinsmigrant\"}"

static void
test_person_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) obj = regie_record_new_from_payload (REGIE_RECORD_PERSON, PERSON_JSON, -1, &error);
  g_autofree char *again = NULL;
  g_autofree char *full = NULL;
  RegiePerson *person;

  g_assert_no_error (error);
  person = REGIE_PERSON (obj);
  g_assert_cmpstr (regie_person_get_bsn (person), ==, "123456782");
  g_assert_cmpstr (regie_person_get_given_names (person), ==, "Ayşe");
  g_assert_cmpint (regie_person_get_doelgroep (person), ==, REGIE_DOELGROEP_GEZINSMIGRANT);
  full = regie_person_dup_full_name (person);
  g_assert_cmpstr (full, ==, "Ayşe Yılmaz");

  again = regie_record_canonicalize (REGIE_RECORD_PERSON, PERSON_JSON, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, PERSON_JSON);
}

static void
test_canonical_order (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out =
    regie_record_canonicalize (REGIE_RECORD_ASSIGNMENT,
                               " { \"klantmanager\" : \"fatima\", \"team\": \"team-noord\" } ",
                               -1, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "{\"team\":\"team-noord\",\"klantmanager\":\"fatima\"}");
}

static void
test_note_round_trip (void)
{
  g_autoptr(RegieNote) note = regie_note_new ("fatima", "2026-11-23T10:00:00.000Z",
                                              "Huisbezoek.\nTolk\tTigrinya aanwezig. \"Goed\" gesprek.");
  g_autoptr(JsonNode) node = regie_note_to_json (note);
  g_autofree char *text = regie_json_to_string (node);
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) back = regie_record_new_from_payload (REGIE_RECORD_NOTE, text, -1, &error);

  g_assert_no_error (error);
  /* Compact JSON never holds a raw TAB or LF, which the pull format needs. */
  g_assert_null (strpbrk (text, "\t\n"));
  g_assert_cmpstr (regie_note_get_text (REGIE_NOTE (back)), ==, regie_note_get_text (note));
  g_assert_cmpstr (regie_note_get_created_at (REGIE_NOTE (back)), ==, "2026-11-23T10:00:00.000Z");
}

static void
test_dossier_round_trip (void)
{
  const char *json = "{\"status\":\"open\",\"opened_on\":\"2024-02-29\",\"notified_on\":\"2024-02-01\"}";
  g_autoptr(GError) error = NULL;
  g_autofree char *out = regie_record_canonicalize (REGIE_RECORD_DOSSIER, json, -1, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, json);
}

typedef struct
{
  RegieRecordKind  kind;
  const char      *json;
  int              code;
} BadCase;

static void
test_bad_payloads (void)
{
  g_autofree char *long_note = NULL;
  g_autofree char *huge = NULL;
  const BadCase cases[] = {
    { REGIE_RECORD_PERSON, "", REGIE_ERROR_PARSE },
    { REGIE_RECORD_PERSON, "{", REGIE_ERROR_PARSE },
    { REGIE_RECORD_PERSON, "[]", REGIE_ERROR_PARSE },
    { REGIE_RECORD_PERSON, "null", REGIE_ERROR_PARSE },
    { REGIE_RECORD_PERSON, "{\"bsn\":\"123456781\",\"given_names\":\"A\",\"family_name\":\"B\","
      "\"birth_date\":\"1990-01-01\",\"doelgroep\":\"gezinsmigrant\"}", REGIE_ERROR_INVALID },
    { REGIE_RECORD_PERSON, "{\"bsn\":123456782,\"given_names\":\"A\",\"family_name\":\"B\","
      "\"birth_date\":\"1990-01-01\",\"doelgroep\":\"gezinsmigrant\"}", REGIE_ERROR_INVALID },
    { REGIE_RECORD_PERSON, "{\"bsn\":\"123456782\",\"given_names\":\"A\",\"family_name\":\"B\","
      "\"birth_date\":\"1990-02-30\",\"doelgroep\":\"gezinsmigrant\"}", REGIE_ERROR_INVALID },
    { REGIE_RECORD_PERSON, "{\"bsn\":\"123456782\",\"given_names\":\"A\",\"family_name\":\"B\","
      "\"birth_date\":\"2023-02-29\",\"doelgroep\":\"gezinsmigrant\"}", REGIE_ERROR_INVALID },
    { REGIE_RECORD_PERSON, "{\"bsn\":\"123456782\",\"given_names\":\"A\",\"family_name\":\"   \","
      "\"birth_date\":\"1990-01-01\",\"doelgroep\":\"gezinsmigrant\"}", REGIE_ERROR_INVALID },
    { REGIE_RECORD_PERSON, "{\"bsn\":\"123456782\",\"given_names\":\"A\",\"family_name\":\"B\","
      "\"birth_date\":\"1990-01-01\",\"doelgroep\":\"toerist\"}", REGIE_ERROR_INVALID },
    { REGIE_RECORD_PERSON, "{\"bsn\":\"123456782\",\"given_names\":\"A\",\"family_name\":\"B\","
      "\"birth_date\":\"1990-01-01\",\"doelgroep\":\"gezinsmigrant\",\"extra\":1}", REGIE_ERROR_INVALID },
    { REGIE_RECORD_PERSON, "{\"bsn\":\"123456782\",\"given_names\":\"A\",\"family_name\":\"B\u202e\","
      "\"birth_date\":\"1990-01-01\",\"doelgroep\":\"gezinsmigrant\"}", REGIE_ERROR_INVALID },
    { REGIE_RECORD_PERSON, "{\"bsn\":\"123456782\",\"given_names\":\"A\",\"family_name\":\"\xc3\x28\","
      "\"birth_date\":\"1990-01-01\",\"doelgroep\":\"gezinsmigrant\"}", REGIE_ERROR_PARSE },
    { REGIE_RECORD_NOTE, "{\"author\":\"fatima\",\"created_at\":\"2026-11-23T10:00:00Z\",\"text\":\"  \"}",
      REGIE_ERROR_INVALID },
    { REGIE_RECORD_NOTE, "{\"author\":\"fatima\",\"created_at\":\"yesterday\",\"text\":\"x\"}",
      REGIE_ERROR_INVALID },
    { REGIE_RECORD_NOTE, "{\"author\":\"fatima\",\"created_at\":\"2026-11-23T10:00:00Z\",\"text\":[\"x\"]}",
      REGIE_ERROR_INVALID },
    { REGIE_RECORD_NOTE, "{\"author\":\"fatima\",\"created_at\":\"2026-11-23T10:00:00Z\",\"text\":\"a\\u0000b\"}",
      REGIE_ERROR_PARSE },
    { REGIE_RECORD_DOSSIER, "{\"status\":\"lost\",\"opened_on\":\"2024-01-01\"}", REGIE_ERROR_INVALID },
    { REGIE_RECORD_ASSIGNMENT, "{\"team\":\"Team Noord\",\"klantmanager\":\"fatima\"}", REGIE_ERROR_INVALID },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = regie_record_canonicalize (cases[i].kind, cases[i].json, -1, &error);

      g_test_message ("case %u: %s", i, cases[i].json);
      g_assert_null (out);
      g_assert_error (error, REGIE_ERROR, cases[i].code);
    }

  /* Over-long note text and over-large payloads are refused, not cut. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *text = g_strnfill (REGIE_MAX_NOTE_BYTES + 1, 'a');
    g_autofree char *out = NULL;

    long_note = g_strdup_printf ("{\"author\":\"fatima\",\"created_at\":\"2026-11-23T10:00:00Z\","
                                 "\"text\":\"%s\"}", text);
    out = regie_record_canonicalize (REGIE_RECORD_NOTE, long_note, -1, &error);
    g_assert_null (out);
    g_assert_error (error, REGIE_ERROR, REGIE_ERROR_TOO_LARGE);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *out = NULL;

    huge = g_strnfill (REGIE_MAX_PAYLOAD_BYTES + 10, ' ');
    out = regie_record_canonicalize (REGIE_RECORD_NOTE, huge, -1, &error);
    g_assert_null (out);
    g_assert_error (error, REGIE_ERROR, REGIE_ERROR_TOO_LARGE);
  }
}

static void
test_escaped_backslash_is_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) note =
    regie_record_new_from_payload (REGIE_RECORD_NOTE,
                                   "{\"author\":\"fatima\",\"created_at\":\"2026-11-23T10:00:00Z\","
                                   "\"text\":\"C:\\\\u0000\"}", -1, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (regie_note_get_text (REGIE_NOTE (note)), ==, "C:\\u0000");
}

static void
test_dates (void)
{
  GDate d;
  g_autofree char *s = NULL;

  g_assert_true (regie_date_parse ("2024-02-29", &d));
  s = regie_date_format (&d);
  g_assert_cmpstr (s, ==, "2024-02-29");
  g_assert_false (regie_date_is_valid ("2023-02-29"));
  g_assert_false (regie_date_is_valid ("2024-13-01"));
  g_assert_false (regie_date_is_valid ("2024-1-01"));
  g_assert_false (regie_date_is_valid ("2024-01-01T00:00"));
  g_assert_true (regie_timestamp_is_valid ("2026-11-23T15:04:05.123Z"));
  g_assert_true (regie_timestamp_is_valid ("2026-11-23T15:04:05Z"));
  g_assert_false (regie_timestamp_is_valid ("2026-11-23T25:04:05Z"));
  g_assert_false (regie_timestamp_is_valid ("2026-11-23 15:04:05Z"));
  g_assert_false (regie_timestamp_is_valid ("2026-11-23T15:04:05+01:00"));
}

static void
test_now_is_valid (void)
{
  g_autofree char *now = regie_timestamp_now ();
  g_autofree char *a = regie_uuid_v7_new ();
  g_autofree char *b = regie_uuid_v7_new ();

  g_assert_true (regie_timestamp_is_valid (now));
  g_assert_true (regie_uuid_is_valid (a));
  g_assert_true (regie_uuid_is_valid (b));
  g_assert_cmpstr (a, !=, b);
  g_assert_cmpint (a[14], ==, '7');   /* version nibble */
  g_assert_false (regie_uuid_is_valid ("0190f3f0-0000-7000-8000-00000000000G"));
  g_assert_false (regie_uuid_is_valid ("0190F3F0-0000-7000-8000-000000000000"));
}

/* docs/data-model.md holds the generated tables verbatim. */
static void
test_data_model_documented (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "docs", "data-model.md", NULL);
  g_autofree char *expected = regie_schema_describe_markdown ();
  g_autofree char *doc = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &doc, NULL, &error);
  g_assert_no_error (error);
  if (strstr (doc, expected) == NULL)
    g_test_message ("regenerate with: regie-rules --data-model");
  g_assert_nonnull (strstr (doc, expected));
}

/* \u escapes that are not a character are refused before json-glib
 * sees them (it leaked memory on them). */
static void
test_json_bad_escapes (void)
{
  static const char * const bad[] = {
    "{\"\\uDe2a\\uDe2a", "{\"a\":\"\\udc00\"}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\ud800\\u0041\"}",
    "{\"a\":\"\\u12\"}", "{\"a\":\"\\u00zz\"}", "{\"a\":\"\\u0000\"}", "[\"\\uD83D\"]",
    /* Not JSON between the tokens, or brackets that do not match: json-glib
     * leaked on some of these too. */
    "{/{/}{}-", "{\"a\":[1}", "[{]}", "{\"a\":1} {}", "{\"a\":\"b",
  };
  static const char * const good[] = {
    "{\"a\":\"\\ud83d\\ude00\"}", "{\"a\":\"\\\\udc00\"}", "{\"a\":\"\\u00e9\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = regie_json_parse (bad[i], -1, &error);

      g_assert_null (node);
      g_assert_error (error, REGIE_ERROR, REGIE_ERROR_PARSE);
    }
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = regie_json_parse (good[i], -1, &error);

      g_assert_no_error (error);
      g_assert_nonnull (node);
    }
}

/* A parse error says where, never what: the text may be a password. */
static void
test_json_error_hides_text (void)
{
  static const char * const bodies[] = {
    "{\"username\":\"fatima\",\"password\": geheimwachtwoord}",
    "{\"password\":\"geheimwachtwoord\" \"x\"}",
    "{\"password\": \"geheimwachtwoord",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = regie_json_parse (bodies[i], -1, &error);

      g_assert_null (node);
      g_assert_error (error, REGIE_ERROR, REGIE_ERROR_PARSE);
      g_assert_null (strstr (error->message, "geheim"));
      g_assert_true (g_str_has_prefix (error->message, "malformed JSON"));
    }
}

/* The fast member scan reads what the JSON parser reads, or declines. */
static void
test_json_scan_strings (void)
{
  static const char * const names[] = { "given_names", "family_name", "bsn", NULL };
  static const struct {
    const char *text;
    gboolean    ok;
    const char *values[3];
  } cases[] = {
    { "{\"given_names\":\"Ayşe\",\"family_name\":\"Demir\",\"bsn\":\"111222333\"}", TRUE,
      { "Ayşe", "Demir", "111222333" } },
    { " { \"bsn\" : \"1\\\"2\\\\3\\/\" , \"x\": {\"given_names\": \"no\", \"a\": [1, {\"b\": null}, \"]\"]},"
      " \"given_names\": \"A\\u00efda \\ud83d\\ude00\\n\", \"n\": -1.5e3, \"t\": true } ", TRUE,
      { "A\xc3\xaf" "da \xf0\x9f\x98\x80\n", NULL, "1\"2\\3/" } },
    { "{\"given_names\": null, \"family_name\": 7, \"bsn\": [\"x\"]}", TRUE, { NULL, NULL, NULL } },
    { "{}", TRUE, { NULL, NULL, NULL } },
    { "{\"bsn\":\"1\",\"bsn\":\"2\"}", FALSE, { NULL } },
    { "{\"bsn\":\"1\"", FALSE, { NULL } },
    { "{\"bsn\":\"a\\u0000b\"}", FALSE, { NULL } },
    { "{\"bsn\":\"\\ud800\"}", FALSE, { NULL } },
    { "{\"bsn\":\"1\"} x", FALSE, { NULL } },
    { "[\"bsn\"]", FALSE, { NULL } },
    { "{\"bsn\" \"1\"}", FALSE, { NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      char *values[3];
      gboolean ok = regie_json_scan_strings (cases[i].text, strlen (cases[i].text), names, values);

      g_test_message ("case %u: %s", i, cases[i].text);
      g_assert_cmpint (ok, ==, cases[i].ok);
      for (guint j = 0; j < 3; j++)
        {
          g_assert_cmpstr (values[j], ==, ok ? cases[i].values[j] : NULL);
          g_free (values[j]);
        }

      /* Whatever it reads, json-glib reads the same. */
      if (ok)
        {
          g_autoptr(JsonNode) node = regie_json_parse (cases[i].text, -1, NULL);

          g_assert_nonnull (node);
          for (guint j = 0; j < 3; j++)
            {
              JsonNode *member = json_object_get_member (json_node_get_object (node), names[j]);
              const char *expected = member != NULL && json_node_get_value_type (member) == G_TYPE_STRING
                                     ? json_node_get_string (member) : NULL;

              g_assert_cmpstr (expected, ==, cases[i].values[j]);
            }
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/records/person-round-trip", test_person_round_trip);
  g_test_add_func ("/records/json-error-hides-text", test_json_error_hides_text);
  g_test_add_func ("/records/json-scan-strings", test_json_scan_strings);
  g_test_add_func ("/records/json-bad-escapes", test_json_bad_escapes);
  g_test_add_func ("/records/canonical-order", test_canonical_order);
  g_test_add_func ("/records/note-round-trip", test_note_round_trip);
  g_test_add_func ("/records/dossier-round-trip", test_dossier_round_trip);
  g_test_add_func ("/records/bad-payloads", test_bad_payloads);
  g_test_add_func ("/records/escaped-backslash", test_escaped_backslash_is_text);
  g_test_add_func ("/records/dates", test_dates);
  g_test_add_func ("/records/data-model-documented", test_data_model_documented);
  g_test_add_func ("/records/ids-and-timestamps", test_now_is_valid);

  return g_test_run ();
}
