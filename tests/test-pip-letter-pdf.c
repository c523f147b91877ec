/* SPDX-License-Identifier: EUPL-1.2 */
/* Issuing a PIP produces the beschikking as a PDF. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "regie-error.h"
#include "regie-pip-letter-render.h"
#include "regie-readability.h"
#include "regie-records.h"

#define DOSSIER_ID "0190f3f0-0000-7000-8000-0000000000d0"

static void
test_pdf (void)
{
  g_autoptr(RegieCase) c = regie_case_new (DOSSIER_ID);
  g_autoptr(RegieRecord) person = NULL;
  g_autoptr(RegieRecord) pip = NULL;
  g_autoptr(RegiePipLetter) letter = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("regie-pdf-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "pip.pdf", NULL);
  g_autofree char *data = NULL;
  gsize len = 0;

  person = regie_record_parse_text ("0190f3f0-0000-7000-8000-000000000001", DOSSIER_ID, REGIE_RECORD_PERSON, 1,
                                    "{\"bsn\":\"123456782\",\"given_names\":\"Tesfay\",\"family_name\":\"Gebremedhin\","
                                    "\"birth_date\":\"1961-02-03\",\"doelgroep\":\"asielstatushouder\"}", -1, &error);
  g_assert_no_error (error);
  pip = regie_record_parse_text ("0190f3f0-0000-7000-8000-000000000002", DOSSIER_ID, REGIE_RECORD_PIP, 1,
                                 "{\"version\":1,\"dagtekening\":\"2025-05-12\",\"leerroute\":\"z\","
                                 "\"target_levels\":{\"reading\":\"A1\",\"listening\":\"A1\",\"writing\":\"A0\",\"speaking\":\"A1\"},"
                                 "\"hours_estimate\":800,\"course_provider\":\"Taalhuis Demoland\","
                                 "\"intensity_hours_per_week\":8,\"pvt\":true,\"progress_talk_weeks\":6}", -1, &error);
  g_assert_no_error (error);
  regie_case_add_record (c, person);
  regie_case_add_record (c, pip);

  letter = regie_pip_letter_new (c, pip, "Gemeente Demoland", "Fatima El Amrani", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (regie_readability_check_b1 (letter->body, &error));
  g_assert_no_error (error);

  g_assert_true (regie_pip_letter_write_pdf (letter, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  g_assert_cmpuint (len, >, 2000);
  g_assert_true (memcmp (data, "%PDF-", 5) == 0);
  if (g_getenv ("REGIE_KEEP_PDF"))
    g_test_message ("PDF kept at %s", path);

  if (!g_getenv ("REGIE_KEEP_PDF"))
    {
      g_unlink (path);
      g_rmdir (dir);
    }
}

static void
test_unwritable (void)
{
  g_autoptr(GError) error = NULL;
  RegiePipLetter letter = {
    .municipality = (char *) "Gemeente Demoland", .recipient = (char *) "A B", .date = (char *) "1 mei 2025",
    .subject = (char *) "Besluit", .body = (char *) "Tekst.", .closing = (char *) "Groet",
  };

  g_assert_false (regie_pip_letter_write_pdf (&letter, "/nonexistent-dir/pip.pdf", &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pip-letter/pdf", test_pdf);
  g_test_add_func ("/pip-letter/unwritable", test_unwritable);

  return g_test_run ();
}
