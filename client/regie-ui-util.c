/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>

#include "regie-types.h"
#include "regie-util.h"

#include "regie-resources.h"
#include "regie-ui-util.h"

void
regie_ui_init_resources (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      regie_register_resource ();
      g_once_init_leave (&initialized, 1);
    }
}

char *
regie_ui_format_date (const char *civil_date,
                      gboolean    long_form)
{
  g_autoptr(GDateTime) date_time = NULL;
  GDate date;

  if (civil_date == NULL)
    return g_strdup ("");

  if (!regie_date_parse (civil_date, &date))
    return g_strdup (civil_date);

  date_time = g_date_time_new_local (g_date_get_year (&date),
                                     g_date_get_month (&date),
                                     g_date_get_day (&date),
                                     12, 0, 0);
  if (date_time == NULL)
    return g_strdup (civil_date);

  if (long_form)
    /* Translators: a date of birth in full, see the strftime manual page;
     * in Dutch for example "%-e %B %Y" */
    return g_date_time_format (date_time, C_("long date", "%B %-e, %Y"));
  else
    /* Translators: a short date of birth in a list, see the strftime
     * manual page; in Dutch for example "%d-%m-%Y" */
    return g_date_time_format (date_time, C_("short date", "%b %-e, %Y"));
}

char *
regie_ui_format_timestamp (const char *timestamp)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (timestamp == NULL)
    return g_strdup ("");

  utc = g_date_time_new_from_iso8601 (timestamp, NULL);
  if (utc == NULL)
    return g_strdup (timestamp);

  local = g_date_time_to_local (utc);
  now = g_date_time_new_now_local ();

  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    /* Translators: when a note was written today, see the strftime manual
     * page; in Dutch for example "vandaag om %H:%M" */
    return g_date_time_format (local, C_("note time", "Today at %H:%M"));

  /* Translators: when a note was written, see the strftime manual page;
   * in Dutch for example "%-e %B %Y om %H:%M" */
  return g_date_time_format (local, C_("note time", "%B %-e, %Y at %H:%M"));
}

const char *
regie_ui_doelgroep_label (const char *doelgroep)
{
  RegieDoelgroep value;

  if (doelgroep == NULL || !regie_doelgroep_from_string (doelgroep, &value))
    return C_("doelgroep", "Unknown");

  switch (value)
    {
    case REGIE_DOELGROEP_ASIELSTATUSHOUDER:
      /* Translators: doelgroep "asielstatushouder" of the Civic Integration Act */
      return C_("doelgroep", "Asylum status holder");
    case REGIE_DOELGROEP_GEZINSMIGRANT:
      /* Translators: doelgroep "gezinsmigrant" of the Civic Integration Act */
      return C_("doelgroep", "Family migrant");
    case REGIE_DOELGROEP_OVERIGE_MIGRANT:
      /* Translators: doelgroep "overige migrant" of the Civic Integration Act */
      return C_("doelgroep", "Other migrant");
    default:
      return C_("doelgroep", "Unknown");
    }
}
