/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

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

static const char *
doelgroep_label (RegieDoelgroep value)
{
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

const char *
regie_ui_doelgroep_label (const char *doelgroep)
{
  /* Translated once per value: every caseload row asks (up to 200 a
   * keystroke), and a gettext lookup costs more than the rest of it. */
  static const char *labels[REGIE_DOELGROEP_OVERIGE_MIGRANT + 1];
  RegieDoelgroep value;

  if (doelgroep == NULL || !regie_doelgroep_from_string (doelgroep, &value))
    return C_("doelgroep", "Unknown");

  if ((guint) value >= G_N_ELEMENTS (labels))
    return doelgroep_label (value);
  if (G_UNLIKELY (labels[value] == NULL))
    labels[value] = doelgroep_label (value);
  return labels[value];
}

void
regie_ui_get_today (GDate *out_today)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Amsterdam");
  g_autoptr(GDateTime) now = NULL;

  g_return_if_fail (out_today != NULL);

  /* Without tzdata, the local zone is the best guess left. */
  if (tz == NULL)
    tz = g_time_zone_new_local ();
  now = g_date_time_new_now (tz);
  g_date_clear (out_today, 1);
  g_date_set_dmy (out_today, g_date_time_get_day_of_month (now),
                  g_date_time_get_month (now), g_date_time_get_year (now));
}

char *
regie_ui_format_gdate (const GDate *date,
                       gboolean     long_form)
{
  g_autofree char *iso = NULL;

  g_return_val_if_fail (date != NULL, NULL);

  if (!g_date_valid (date))
    return g_strdup ("");
  iso = regie_date_format (date);
  return regie_ui_format_date (iso, long_form);
}

static gboolean
parse_digits (const char *text,
              guint       n_min,
              guint       n_max,
              guint      *out)
{
  guint n = strlen (text);
  guint64 value;

  if (n < n_min || n > n_max)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  value = g_ascii_strtoull (text, NULL, 10);
  *out = (guint) value;
  return TRUE;
}

gboolean
regie_ui_parse_date (const char *text,
                     GDate      *out_date)
{
  g_autofree char *copy = NULL;
  g_auto(GStrv) parts = NULL;
  guint a, b, c;

  g_return_val_if_fail (out_date != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  copy = g_strstrip (g_strdup (text));
  if (regie_date_parse (copy, out_date))
    return TRUE;

  /* Day first, as Dutch (and most European) dates are written. */
  g_strdelimit (copy, "/.", '-');
  parts = g_strsplit (copy, "-", -1);
  if (g_strv_length (parts) != 3 ||
      !parse_digits (parts[0], 1, 2, &a) ||
      !parse_digits (parts[1], 1, 2, &b) ||
      !parse_digits (parts[2], 4, 4, &c))
    return FALSE;
  if (c < 1 || b < 1 || b > 12 || a < 1 || !g_date_valid_dmy (a, b, c))
    return FALSE;
  g_date_clear (out_date, 1);
  g_date_set_dmy (out_date, a, b, c);
  return TRUE;
}

gboolean
regie_ui_parse_month (const char  *text,
                      char       **out_month)
{
  g_autofree char *copy = NULL;
  g_auto(GStrv) parts = NULL;
  guint year, month;

  g_return_val_if_fail (out_month != NULL, FALSE);

  if (text == NULL)
    return FALSE;
  copy = g_strstrip (g_strdup (text));
  g_strdelimit (copy, "/.", '-');
  parts = g_strsplit (copy, "-", -1);
  if (g_strv_length (parts) != 2)
    return FALSE;
  if (parse_digits (parts[0], 4, 4, &year) && parse_digits (parts[1], 1, 2, &month))
    ;
  else if (parse_digits (parts[0], 1, 2, &month) && parse_digits (parts[1], 4, 4, &year))
    ;
  else
    return FALSE;
  if (year < 1900 || month < 1 || month > 12)
    return FALSE;
  *out_month = g_strdup_printf ("%04u-%02u", year, month);
  return TRUE;
}

gboolean
regie_ui_parse_euros (const char *text,
                      gint64     *out_cents)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  const char *p;
  const char *decimal = NULL;
  guint n_decimals = 0;
  gint64 euros = 0;
  gint64 cents = 0;

  g_return_val_if_fail (out_cents != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  /* The last ',' or '.' followed by one or two digits is the decimal
   * separator; any other ',' or '.' groups thousands. */
  for (p = text; *p != '\0'; p++)
    if (*p == ',' || *p == '.')
      decimal = p;
  if (decimal != NULL)
    {
      const char *q = decimal + 1;

      while (g_ascii_isdigit (*q))
        q++, n_decimals++;
      if (n_decimals == 3 && *q == '\0' && strchr (text, *decimal) != decimal)
        decimal = NULL;   /* "1.234.567": grouping only */
      else if (n_decimals == 3 && *q == '\0')
        decimal = NULL;   /* "1.234": read as thousands, as people write it */
      else if (n_decimals > 2)
        return FALSE;
    }

  for (p = text; *p != '\0'; p++)
    {
      if (p == decimal)
        break;
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (*p == ',' || *p == '.' || *p == ' ' || g_str_has_prefix (p, "€"))
        {
          if (g_str_has_prefix (p, "€"))
            p += strlen ("€") - 1;
        }
      else
        return FALSE;
    }
  if (digits->len == 0 || digits->len > 12)
    return FALSE;
  euros = g_ascii_strtoll (digits->str, NULL, 10);

  if (decimal != NULL)
    {
      for (p = decimal + 1; *p != '\0'; p++)
        {
          if (g_ascii_isdigit (*p))
            cents = cents * 10 + (*p - '0');
          else if (*p != ' ')
            return FALSE;
        }
      if (n_decimals == 1)
        cents *= 10;
    }

  *out_cents = euros * 100 + cents;
  return TRUE;
}

char *
regie_ui_format_euros (gint64 cents)
{
  g_autoptr(GString) whole = g_string_new (NULL);
  g_autofree char *digits = NULL;
  gint64 abs_cents = cents < 0 ? -cents : cents;
  /* Translators: the thousands separator in amounts of money; "." in Dutch */
  const char *group = C_("money", ",");
  /* Translators: the decimal separator in amounts of money; "," in Dutch */
  const char *point = C_("money", ".");
  guint len;

  digits = g_strdup_printf ("%" G_GINT64_FORMAT, abs_cents / 100);
  len = strlen (digits);
  for (guint i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (whole, group);
      g_string_append_c (whole, digits[i]);
    }

  /* Translators: an amount of money: %s the sign ("" or "−"), %s euros
   * with thousands separators, %s the decimal separator, %02d the cents;
   * in Dutch for example "€ %s%s%s%02d" */
  return g_strdup_printf (C_("money", "€%s%s%s%02d"),
                          cents < 0 ? "−" : "", whole->str, point, (int) (abs_cents % 100));
}

void
regie_ui_set_invalid (GtkWidget  *widget,
                      const char *message)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (message != NULL)
    {
      gtk_widget_add_css_class (widget, "error");
      gtk_widget_set_tooltip_text (widget, message);
      gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (widget, "error");
      gtk_widget_set_tooltip_text (widget, NULL);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

/* A date as it stands in a date row, in the form people of the UI's
 * language type: regie_ui_parse_date() reads it back. */
static char *
format_editable_date (GDateTime *date)
{
  /* Translators: how a date is written in a date field, as a strftime()
   * format. Only two forms are read back: "%Y-%m-%d" and day first with
   * dashes, slashes or dots between the numbers ("%d-%m-%Y"). */
  return g_date_time_format (date, C_("editable date", "%Y-%m-%d"));
}

static void
date_row_day_selected_cb (GtkCalendar *calendar,
                          GtkWidget   *row)
{
  g_autoptr(GDateTime) picked = gtk_calendar_get_date (calendar);
  g_autofree char *text = format_editable_date (picked);
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (calendar), GTK_TYPE_POPOVER);

  gtk_editable_set_text (GTK_EDITABLE (row), text);
  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
}

static void
date_row_changed_cb (GtkEditable *editable)
{
  regie_ui_set_invalid (GTK_WIDGET (editable), NULL);
}

/* The calendar is made the first time it is asked for: a GtkCalendar is
 * some sixty widgets, and the dossier page has about twenty date rows. */
static void
date_row_create_popup_cb (GtkMenuButton *button,
                          gpointer       user_data)
{
  GtkWidget *row = user_data;
  GtkWidget *popover = GTK_WIDGET (gtk_menu_button_get_popover (button));
  GtkWidget *calendar;
  GDate date;

  if (popover == NULL)
    {
      popover = gtk_popover_new ();
      calendar = gtk_calendar_new ();
      gtk_popover_set_child (GTK_POPOVER (popover), calendar);
      g_signal_connect_object (calendar, "day-selected", G_CALLBACK (date_row_day_selected_cb), row, 0);
      gtk_menu_button_set_popover (button, popover);
    }
  calendar = gtk_popover_get_child (GTK_POPOVER (popover));

  /* GTK asks each time the button opens it: the calendar starts at the
   * date in the field, if there is one (without filling it in again). */
  if (regie_ui_parse_date (gtk_editable_get_text (GTK_EDITABLE (row)), &date))
    {
      g_autoptr(GDateTime) day = g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date),
                                                        g_date_get_day (&date), 12, 0, 0);

      g_signal_handlers_block_by_func (calendar, date_row_day_selected_cb, row);
      gtk_calendar_select_day (GTK_CALENDAR (calendar), day);
      g_signal_handlers_unblock_by_func (calendar, date_row_day_selected_cb, row);
    }
}

GtkWidget *
regie_ui_date_row_new (const char *title)
{
  GtkWidget *row = adw_entry_row_new ();
  GtkWidget *button = gtk_menu_button_new ();
  g_autofree char *tooltip = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  /* Translators: how to type a date; keep YYYY-MM-DD as is */
                                  _("A date as YYYY-MM-DD or day-month-year"), -1);

  /* The button is the row's child: the row outlives it. */
  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (button), date_row_create_popup_cb, row, NULL);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "x-office-calendar-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  /* Translators: %s is the name of a date field, e.g. "Exam day" */
  tooltip = g_strdup_printf (_("Pick %s from a calendar"), title);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), button);

  g_signal_connect (row, "changed", G_CALLBACK (date_row_changed_cb), NULL);

  return row;
}

void
regie_ui_date_row_set (GtkWidget  *row,
                       const char *civil_date)
{
  GDate date;
  g_autofree char *text = NULL;

  g_return_if_fail (ADW_IS_ENTRY_ROW (row));

  if (civil_date != NULL && regie_date_parse (civil_date, &date))
    {
      g_autoptr(GDateTime) time = g_date_time_new_utc (g_date_get_year (&date), g_date_get_month (&date),
                                                       g_date_get_day (&date), 0, 0, 0);

      text = format_editable_date (time);
    }
  gtk_editable_set_text (GTK_EDITABLE (row), text != NULL ? text : civil_date != NULL ? civil_date : "");
  regie_ui_set_invalid (row, NULL);
}

gboolean
regie_ui_date_row_get (GtkWidget  *row,
                       gboolean    required,
                       char      **out_iso)
{
  const char *text;
  GDate date;

  g_return_val_if_fail (ADW_IS_ENTRY_ROW (row), FALSE);
  g_return_val_if_fail (out_iso != NULL, FALSE);

  text = gtk_editable_get_text (GTK_EDITABLE (row));
  *out_iso = NULL;

  if (text[strspn (text, " ")] == '\0')
    {
      if (!required)
        return TRUE;
      regie_ui_set_invalid (row, _("Enter a date."));
      return FALSE;
    }

  if (!regie_ui_parse_date (text, &date))
    {
      /* Translators: keep YYYY-MM-DD as is; DD-MM-YYYY in the local order */
      regie_ui_set_invalid (row, _("This is not a date. Write it as YYYY-MM-DD or DD-MM-YYYY."));
      return FALSE;
    }

  regie_ui_set_invalid (row, NULL);
  *out_iso = regie_date_format (&date);
  return TRUE;
}

GtkWidget *
regie_ui_pending_badge_new (void)
{
  GtkWidget *label = gtk_label_new (_("Not yet sent"));

  gtk_widget_add_css_class (label, "pending-badge");
  gtk_widget_add_css_class (label, "warning");
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (label, _("Saved on this computer; sent with the next sync"));
  return label;
}

GtkWidget *
regie_ui_wrap_row_new (void)
{
  GtkWidget *row = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (row), GTK_SELECTION_NONE);
  /* Homogeneous: GTK 4.8's flow box can give a child of a non-homogeneous
   * line less than its minimum width. */
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (row), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (row), 1);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (row), 8);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (row), 12);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (row), 6);
  gtk_widget_set_halign (row, GTK_ALIGN_END);
  gtk_widget_set_valign (row, GTK_ALIGN_START);
  return row;
}

void
regie_ui_wrap_row_append (GtkWidget *row,
                          GtkWidget *child)
{
  GtkWidget *flow_child;

  g_return_if_fail (GTK_IS_FLOW_BOX (row));
  g_return_if_fail (GTK_IS_WIDGET (child));

  gtk_flow_box_append (GTK_FLOW_BOX (row), child);
  /* Focus goes to the control itself, not to a selectable cell around it. */
  flow_child = gtk_widget_get_parent (child);
  gtk_widget_set_focusable (flow_child, FALSE);

  /* GTK 4.8's flow box asks for the width of as many columns as it may
   * put on a line, children or not: an end-aligned row of two buttons
   * would end a column short of its edge. */
  {
    guint n = 0;

    for (GtkWidget *c = gtk_widget_get_first_child (row); c != NULL; c = gtk_widget_get_next_sibling (c))
      n++;
    gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (row), MAX (n, 1));
  }
}
