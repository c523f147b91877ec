/* SPDX-License-Identifier: EUPL-1.2 */
/* The PIP letter is plain Dutch at B1 level, for every route and option. */
#include "config.h"

#include <string.h>

#include "regie-error.h"
#include "regie-pip-letter.h"
#include "regie-readability.h"
#include "regie-records.h"

#define DOSSIER_ID "0190f3f0-0000-7000-8000-0000000000d0"

static RegieRecord *
record (const char *id,
        const char *kind_name,
        const char *payload)
{
  g_autoptr(GError) error = NULL;
  RegieRecordKind kind;
  RegieRecord *r;

  g_assert_true (regie_record_kind_from_string (kind_name, &kind));
  r = regie_record_parse_text (id, DOSSIER_ID, kind, 1, payload, -1, &error);
  g_assert_no_error (error);
  return r;
}

static void
test_readability_measure (void)
{
  RegieReadability r;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) long_sentence = g_string_new ("Dit");

  regie_readability_measure ("U moet inburgeren. Dat is een plicht! Heeft u vragen? Bel ons.", &r);
  g_assert_cmpuint (r.n_sentences, ==, 4);
  g_assert_cmpuint (r.n_words, ==, 12);
  g_assert_cmpuint (r.max_sentence_words, ==, 4);

  /* Numbers, dates and hyphenated words are one word each. */
  regie_readability_measure ("Op 23-11-2026 krijgt u €1.200 voor de B1-route.", &r);
  g_assert_cmpuint (r.n_words, ==, 8);
  g_assert_cmpuint (r.n_sentences, ==, 1);

  /* 26 words in one sentence: too long. */
  for (int i = 0; i < 25; i++)
    g_string_append (long_sentence, " woord");
  g_string_append_c (long_sentence, '.');
  g_assert_false (regie_readability_check_b1 (long_sentence->str, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "26 words"));
  g_clear_error (&error);

  /* Bureaucratic compounds: too many long words. */
  g_assert_false (regie_readability_check_b1 ("De inburgeringstermijn start na de participatieverklaring. "
                                              "Het overbruggingskrediet volgt.", &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (regie_readability_check_b1 ("U leert Nederlands. Wij helpen u daarbij.", &error));
  g_assert_no_error (error);
}

static void
check_letter (const char *doelgroep,
              const char *pip_payload,
              const char *expect)
{
  g_autoptr(RegieCase) c = regie_case_new (DOSSIER_ID);
  g_autoptr(RegieRecord) person = NULL;
  g_autoptr(RegieRecord) pip = NULL;
  g_autoptr(RegiePipLetter) letter = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *person_payload = NULL;
  g_autofree char *text = NULL;
  RegieReadability r;

  person_payload = g_strdup_printf ("{\"bsn\":\"123456782\",\"given_names\":\"Lina\",\"family_name\":\"Haddad\","
                                    "\"birth_date\":\"2002-07-21\",\"doelgroep\":\"%s\"}", doelgroep);
  person = record ("0190f3f0-0000-7000-8000-000000000001", "person", person_payload);
  pip = record ("0190f3f0-0000-7000-8000-000000000002", "pip", pip_payload);
  regie_case_add_record (c, person);
  regie_case_add_record (c, pip);

  letter = regie_pip_letter_new (c, pip, "Gemeente Demoland", "Fatima El Amrani", NULL, &error);
  g_assert_no_error (error);
  text = regie_pip_letter_to_text (letter);
  g_test_message ("%s", text);

  /* The right to object, with its last day, and the term. */
  g_assert_nonnull (strstr (letter->body, "bezwaar"));
  g_assert_nonnull (strstr (letter->body, "zes weken"));
  g_assert_nonnull (strstr (letter->body, "uiterlijk op 21 april 2024"));
  g_assert_nonnull (strstr (letter->body, "eindigt op 10 maart 2027"));
  g_assert_nonnull (strstr (letter->body, expect));
  g_assert_cmpstr (letter->date, ==, "10 maart 2024");
  g_assert_cmpstr (letter->recipient, ==, "Lina Haddad");

  regie_readability_measure (letter->body, &r);
  g_test_message ("%u sentences, %.1f words average, longest %u, long words %.1f%%",
                  r.n_sentences, r.average_sentence_words, r.max_sentence_words, 100 * r.long_word_share);
  g_assert_true (regie_readability_check_b1 (letter->body, &error));
  g_assert_no_error (error);
}

static void
test_letter_routes (void)
{
  check_letter ("asielstatushouder",
                "{\"version\":1,\"dagtekening\":\"2024-03-10\",\"leerroute\":\"b1\","
                "\"target_levels\":{\"reading\":\"B1\",\"listening\":\"B1\",\"writing\":\"B1\",\"speaking\":\"B1\"},"
                "\"knm\":true,\"hours_estimate\":900,\"course_provider\":\"Taalschool De Brug\","
                "\"intensity_hours_per_week\":12,\"pvt\":true,\"map\":true,\"progress_talk_weeks\":8}",
                "niveau B1");
  check_letter ("asielstatushouder",
                "{\"version\":1,\"dagtekening\":\"2024-03-10\",\"leerroute\":\"onderwijs\","
                "\"target_levels\":{\"reading\":\"B2\",\"listening\":\"B2\",\"writing\":\"B1\",\"speaking\":\"B1\"},"
                "\"knm\":true,\"course_provider\":\"ROC Demoland\",\"pvt\":true}",
                "onderwijsroute");
  check_letter ("asielstatushouder",
                "{\"version\":1,\"dagtekening\":\"2024-03-10\",\"leerroute\":\"z\","
                "\"target_levels\":{\"reading\":\"A1\",\"listening\":\"A1\",\"writing\":\"A0\",\"speaking\":\"A1\"},"
                "\"pvt\":true,\"participation\":\"Vrijwilliger bij de voedselbank\"}",
                "Z-route");
  check_letter ("gezinsmigrant",
                "{\"version\":1,\"dagtekening\":\"2024-03-10\",\"leerroute\":\"b1\","
                "\"target_levels\":{\"reading\":\"B1\",\"listening\":\"B1\",\"writing\":\"B1\",\"speaking\":\"B1\"},"
                "\"duaal\":true,\"course_provider\":\"Taalcentrum Noord\",\"intensity_hours_per_week\":6}",
                "tegelijk");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pip-letter/readability", test_readability_measure);
  g_test_add_func ("/pip-letter/routes", test_letter_routes);

  return g_test_run ();
}
