/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include <string.h>

#include "regie-error.h"
#include "regie-pip-letter.h"
#include "regie-rules.h"
#include "regie-util.h"

/* The letter is Dutch by law and by design; its sentences are kept short
 * (see regie-readability.h, checked by tests/test-pip-letter.c). */

char *
regie_date_format_dutch (const GDate *date)
{
  static const char * const months[] = {
    "januari", "februari", "maart", "april", "mei", "juni", "juli",
    "augustus", "september", "oktober", "november", "december",
  };

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  return g_strdup_printf ("%u %s %u", g_date_get_day (date),
                          months[g_date_get_month (date) - 1], g_date_get_year (date));
}

static const char *
level_of (JsonObject *levels,
          const char *skill)
{
  const char *l = regie_json_object_get_str (levels, skill);
  return l != NULL ? l : "?";
}

static void
paragraph (GString    *body,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static void
paragraph (GString    *body,
           const char *format,
           ...)
{
  va_list args;

  if (body->len > 0)
    g_string_append (body, "\n\n");
  va_start (args, format);
  g_string_append_vprintf (body, format, args);
  va_end (args);
}

RegiePipLetter *
regie_pip_letter_new (RegieCase           *dossier,
                      RegieRecord         *pip,
                      const char          *municipality,
                      const char          *klantmanager_name,
                      const RegieSettings *settings,
                      GError             **error)
{
  g_autoptr(RegieRulesResult) rules = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  RegiePipLetter *letter;
  RegieRecord *person;
  const RegieDeadline *term_end;
  const char *route, *provider;
  JsonObject *levels;
  g_autofree char *date = NULL;
  g_autofree char *bezwaar = NULL;
  g_autofree char *term_text = NULL;
  g_autofree char *term_start_text = NULL;
  GDate dagtekening, bezwaar_end, term_start;
  gint64 weeks, intensity;
  const char *given, *family;

  g_return_val_if_fail (REGIE_IS_CASE (dossier), NULL);
  g_return_val_if_fail (REGIE_IS_RECORD (pip), NULL);
  g_return_val_if_fail (regie_record_get_kind (pip) == REGIE_RECORD_PIP, NULL);

  person = regie_case_get_first (dossier, REGIE_RECORD_PERSON);
  if (person == NULL)
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                           "the dossier has no person to address the letter to");
      return NULL;
    }
  if (!regie_record_get_date (pip, "dagtekening", &dagtekening))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID, "the PIP has no dagtekening");
      return NULL;
    }

  rules = regie_rules_evaluate (dossier, &dagtekening, settings);
  term_end = regie_rules_result_get_deadline (rules, "term_end");

  route = regie_record_get_string (pip, "leerroute");
  levels = regie_record_get_object (pip, "target_levels");
  provider = regie_record_get_string (pip, "course_provider");
  weeks = regie_record_get_int (pip, "progress_talk_weeks", settings ? settings->progress_talk_weeks : 12);
  intensity = regie_record_get_int (pip, "intensity_hours_per_week", 0);
  given = regie_record_get_string (person, "given_names");
  family = regie_record_get_string (person, "family_name");

  paragraph (body, "U moet inburgeren in Nederland. Daarom hebben wij samen met u een plan gemaakt. "
                   "Dit plan heet het PIP. Het PIP is een besluit van de gemeente. "
                   "In deze brief leest u wat er in uw plan staat.");

  if (g_strcmp0 (route, "b1") == 0)
    paragraph (body, "Uw route is de B1-route. U leert Nederlands op niveau B1. "
                     "Dat is het niveau van veel werk en opleidingen.");
  else if (g_strcmp0 (route, "onderwijs") == 0)
    paragraph (body, "Uw route is de onderwijsroute. U leert Nederlands op een school. "
                     "Daarna kunt u verder leren aan een mbo, hbo of universiteit.");
  else
    paragraph (body, "Uw route is de Z-route. U leert Nederlands in uw eigen tempo. "
                     "U doet ook mee in de buurt of op uw werk. Zo wordt u zelfstandiger.");

  paragraph (body, "Dit zijn uw doelen voor de taal. Lezen: niveau %s. Luisteren: niveau %s. "
                   "Schrijven: niveau %s. Spreken: niveau %s.",
             level_of (levels, "reading"), level_of (levels, "listening"),
             level_of (levels, "writing"), level_of (levels, "speaking"));

  if (provider != NULL && intensity > 0)
    paragraph (body, "U krijgt les van %s. U gaat %d uur per week naar les.",
               provider, (int) intensity);
  else if (provider != NULL)
    paragraph (body, "U krijgt les van %s.", provider);

  if (regie_record_get_bool (pip, "knm"))
    paragraph (body, "U leert ook hoe Nederland werkt. Dit heet KNM. Daar hoort ook een examen bij.");
  if (regie_record_get_bool (pip, "pvt"))
    paragraph (body, "U doet mee aan het PVT. Daar leert u over de regels en waarden van Nederland. "
                     "Aan het eind zet u uw handtekening onder een verklaring.");
  if (regie_record_get_bool (pip, "map"))
    paragraph (body, "U doet mee aan de MAP. Daar praten we over werk. "
                     "We kijken samen wat u kunt en wat u wilt.");
  if (regie_record_get_bool (pip, "duaal"))
    paragraph (body, "U leert Nederlands en u werkt tegelijk. Zo oefent u de taal ook op uw werk.");

  paragraph (body, "Wij praten elke %d weken met u. We kijken dan hoe het gaat. "
                   "We praten ook over werk, geld, wonen en gezondheid.", (int) weeks);

  if (term_end != NULL)
    {
      term_start = dagtekening;
      g_date_add_days (&term_start, 1);
      term_start_text = regie_date_format_dutch (&term_start);
      term_text = regie_date_format_dutch (&term_end->date);
      paragraph (body, "U heeft drie jaar de tijd om in te burgeren. Die tijd begint op %s. "
                       "Hij eindigt op %s.", term_start_text, term_text);
    }

  bezwaar_end = dagtekening;
  g_date_add_days (&bezwaar_end, 42);
  bezwaar = regie_date_format_dutch (&bezwaar_end);
  paragraph (body, "Bent u het niet eens met dit besluit? Dan kunt u bezwaar maken. "
                   "Dat moet binnen zes weken na de datum van deze brief. Dus uiterlijk op %s. "
                   "Stuur dan een brief naar de gemeente. Schrijf daarin waarom u het niet eens bent.",
             bezwaar);
  paragraph (body, "Heeft u vragen? Bel of mail dan uw klantmanager. Wij helpen u graag.");

  date = regie_date_format_dutch (&dagtekening);

  letter = g_new0 (RegiePipLetter, 1);
  letter->municipality = g_strdup (municipality ? municipality : "Gemeente");
  letter->recipient = (given != NULL && given[0] != '\0') ? g_strconcat (given, " ", family, NULL)
                                                          : g_strdup (family);
  letter->date = g_steal_pointer (&date);
  letter->subject = g_strdup_printf ("Besluit over uw plan voor inburgering (PIP), versie %d",
                                     (int) regie_record_get_int (pip, "version", 1));
  letter->body = g_string_free (g_steal_pointer (&body), FALSE);
  letter->closing = g_strdup_printf ("Met vriendelijke groet,\n\n%s\nKlantmanager inburgering\n%s",
                                     klantmanager_name ? klantmanager_name : "",
                                     letter->municipality);
  return letter;
}

void
regie_pip_letter_free (RegiePipLetter *letter)
{
  if (letter == NULL)
    return;
  g_free (letter->municipality);
  g_free (letter->recipient);
  g_free (letter->date);
  g_free (letter->subject);
  g_free (letter->body);
  g_free (letter->closing);
  g_free (letter);
}

char *
regie_pip_letter_to_text (const RegiePipLetter *letter)
{
  g_return_val_if_fail (letter != NULL, NULL);

  return g_strdup_printf ("%s\n\n%s\n\n%s\n\n%s\n\nBeste %s,\n\n%s\n\n%s\n",
                          letter->municipality, letter->recipient, letter->date, letter->subject,
                          letter->recipient, letter->body, letter->closing);
}
