/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieRules"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <glib/gi18n.h>
#include <gio/gio.h>
#include <gio/gunixinputstream.h>

#include "regie-case.h"
#include "regie-records.h"
#include "regie-rules.h"
#include "regie-util.h"

#define MAX_INPUT_BYTES (64 * 1024 * 1024)

static char *
read_input (const char  *path,
            gsize       *out_len,
            GError     **error)
{
  g_autoptr(GInputStream) in = NULL;
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  guint8 chunk[65536];
  gssize n;

  if (g_strcmp0 (path, "-") == 0)
    in = g_unix_input_stream_new (0, FALSE);
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
      if (!(in = (GInputStream *) g_file_read (file, NULL, error)))
        return NULL;
    }

  while ((n = g_input_stream_read (in, chunk, sizeof chunk, NULL, error)) > 0)
    {
      if (buf->len + n > MAX_INPUT_BYTES)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                       "input is larger than %d MiB", MAX_INPUT_BYTES / (1024 * 1024));
          return NULL;
        }
      g_byte_array_append (buf, chunk, n);
    }
  if (n < 0)
    return NULL;

  *out_len = buf->len;
  g_byte_array_append (buf, (const guint8 *) "", 1);
  return (char *) g_byte_array_free (g_steal_pointer (&buf), FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) out = NULL;
  g_autoptr(RegieCase) dossier = NULL;
  g_autoptr(RegieRulesResult) result = NULL;
  g_autoptr(JsonGenerator) gen = NULL;
  g_autofree char *today_str = NULL;
  g_autofree char *settings_path = NULL;
  g_autofree char *input = NULL;
  g_autofree char *text = NULL;
  RegieSettings settings;
  gsize len = 0;
  GDate today;
  gboolean data_model = FALSE;
  const GOptionEntry entries[] = {
    { "data-model", 0, 0, G_OPTION_ARG_NONE, &data_model,
      N_("Print the record kinds and their members as Markdown, then exit"), NULL },
    { "today", 0, 0, G_OPTION_ARG_STRING, &today_str,
      N_("Evaluate as on this day instead of today"), N_("YYYY-MM-DD") },
    { "settings", 0, 0, G_OPTION_ARG_FILENAME, &settings_path,
      N_("Municipal settings as JSON (defaults otherwise)"), N_("FILE") },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("REGIE_LOCALEDIR") ? g_getenv ("REGIE_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("[FILE|-] — deadlines, findings and signals of one dossier"));
  g_option_context_set_summary (context,
                                _("Reads one dossier as JSON (see docs/data-model.md) and prints "
                                  "what the rules of the Wet inburgering 2021 say about it."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("regie-rules: %s\n", error->message);
      return 2;
    }
  if (data_model)
    {
      g_autofree char *md = regie_schema_describe_markdown ();
      g_print ("%s", md);
      return 0;
    }
  if (argc > 2)
    {
      g_printerr ("regie-rules: %s\n", _("give at most one input file"));
      return 2;
    }

  if (today_str != NULL)
    {
      if (!regie_date_parse (today_str, &today))
        {
          g_printerr ("regie-rules: %s\n", _("--today must be a valid date as YYYY-MM-DD"));
          return 2;
        }
    }
  else
    {
      /* Deadlines are civil dates in the Netherlands, wherever this runs. */
      g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Amsterdam");
      g_autoptr(GDateTime) now = NULL;

      if (tz == NULL)
        tz = g_time_zone_new_local ();
      now = g_date_time_new_now (tz);
      g_date_set_dmy (&today, g_date_time_get_day_of_month (now),
                      g_date_time_get_month (now), g_date_time_get_year (now));
    }

  regie_settings_init_defaults (&settings);
  if (settings_path != NULL)
    {
      g_autofree char *s = NULL;
      g_autoptr(JsonNode) sn = NULL;
      gsize slen;

      if (!g_file_get_contents (settings_path, &s, &slen, &error) ||
          !(sn = regie_json_parse (s, slen, &error)) ||
          !regie_settings_from_json (&settings, sn, &error))
        {
          g_printerr ("regie-rules: %s: %s\n", settings_path, error->message);
          return 2;
        }
    }

  if (!(input = read_input (argc == 2 ? argv[1] : "-", &len, &error)))
    {
      g_printerr ("regie-rules: %s\n", error->message);
      return 2;
    }
  if (!(root = regie_json_parse (input, len, &error)) ||
      !(dossier = regie_case_new_from_json (root, REGIE_SCHEMA_LENIENT_BSN, &error)))
    {
      g_printerr ("regie-rules: %s\n", error->message);
      return 2;
    }

  result = regie_rules_evaluate (dossier, &today, &settings);
  out = regie_rules_result_to_json (result);

  gen = json_generator_new ();
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, out);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);

  return 0;
}
