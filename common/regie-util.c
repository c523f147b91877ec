/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <openssl/rand.h>

#include "regie-util.h"

char *
regie_uuid_v7_new (void)
{
  guint8 b[16];
  gint64 ms = g_get_real_time () / 1000;

  /* 48 bits of Unix milliseconds, then random bits (RFC 9562 §5.7). */
  if (RAND_bytes (b, sizeof b) != 1)
    {
      for (guint i = 0; i < sizeof b; i++)
        b[i] = (guint8) g_random_int_range (0, 256);
    }
  for (int i = 0; i < 6; i++)
    b[i] = (guint8) (ms >> (8 * (5 - i)));
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* Accepts any RFC 9562 UUID in its canonical lower-case text form. */
gboolean
regie_uuid_is_valid (const char *str)
{
  if (str == NULL || strlen (str) != 36)
    return FALSE;

  for (int i = 0; i < 36; i++)
    {
      char c = str[i];
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (c != '-')
            return FALSE;
        }
      else if (!g_ascii_isdigit (c) && !(c >= 'a' && c <= 'f'))
        return FALSE;
    }
  return TRUE;
}

static gboolean
parse_digits (const char *s,
              int         n,
              int        *out)
{
  int v = 0;
  for (int i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      v = v * 10 + (s[i] - '0');
    }
  *out = v;
  return TRUE;
}

gboolean
regie_date_parse (const char *str,
                  GDate      *out_date)
{
  int y, m, d;

  if (str == NULL || strlen (str) != 10 || str[4] != '-' || str[7] != '-')
    return FALSE;
  if (!parse_digits (str, 4, &y) || !parse_digits (str + 5, 2, &m) ||
      !parse_digits (str + 8, 2, &d))
    return FALSE;
  if (y < 1900 || y > 2200)
    return FALSE;
  if (!g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return FALSE;

  if (out_date != NULL)
    g_date_set_dmy (out_date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  return TRUE;
}

gboolean
regie_date_is_valid (const char *str)
{
  return regie_date_parse (str, NULL);
}

char *
regie_date_format (const GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  return g_strdup_printf ("%04u-%02u-%02u",
                          g_date_get_year (date),
                          g_date_get_month (date),
                          g_date_get_day (date));
}

void
regie_date_add_months_clamped (GDate *date,
                               int    months)
{
  g_return_if_fail (date != NULL && g_date_valid (date));

  /* GLib clamps to the last day of the target month. */
  if (months >= 0)
    g_date_add_months (date, months);
  else
    g_date_subtract_months (date, -months);
}

void
regie_date_period_end (GDate *date,
                       int    months)
{
  GDateDay day;
  GDateMonth month;
  GDateYear year;
  int total;

  g_return_if_fail (date != NULL && g_date_valid (date));
  g_return_if_fail (months >= 0);

  day = g_date_get_day (date);
  total = (g_date_get_month (date) - 1) + months;
  year = g_date_get_year (date) + total / 12;
  month = (GDateMonth) (total % 12 + 1);

  if (day > g_date_get_days_in_month (month, year))
    {
      /* The same day does not exist: the period ends on the month's last day. */
      g_date_set_dmy (date, g_date_get_days_in_month (month, year), month, year);
      return;
    }

  g_date_set_dmy (date, day, month, year);
  g_date_subtract_days (date, 1);
}

char *
regie_timestamp_now (void)
{
  gint64 now = g_get_real_time ();
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  g_autofree char *base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, (int) ((now % G_USEC_PER_SEC) / 1000));
}

/* Strict RFC 3339 in UTC: "YYYY-MM-DDTHH:MM:SS[.fff]Z". */
gboolean
regie_timestamp_is_valid (const char *str)
{
  int hh, mm, ss;
  gsize len;
  char date[11];

  if (str == NULL)
    return FALSE;
  len = strlen (str);
  if (len != 20 && len != 24)
    return FALSE;

  memcpy (date, str, 10);
  date[10] = '\0';
  if (!regie_date_is_valid (date) || str[10] != 'T' || str[13] != ':' || str[16] != ':')
    return FALSE;
  if (!parse_digits (str + 11, 2, &hh) || !parse_digits (str + 14, 2, &mm) ||
      !parse_digits (str + 17, 2, &ss))
    return FALSE;
  if (hh > 23 || mm > 59 || ss > 60)
    return FALSE;

  if (len == 24)
    {
      int ms;
      if (str[19] != '.' || !parse_digits (str + 20, 3, &ms) || str[23] != 'Z')
        return FALSE;
    }
  else if (str[19] != 'Z')
    return FALSE;

  return TRUE;
}

gboolean
regie_text_is_valid (const char *str,
                     gsize       max_bytes,
                     gboolean    allow_newlines)
{
  const char *end;

  if (str == NULL)
    return FALSE;
  if (strlen (str) > max_bytes)
    return FALSE;
  if (!g_utf8_validate (str, -1, &end))
    return FALSE;

  for (const char *p = str; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' || c == '\t')
        {
          if (!allow_newlines)
            return FALSE;
          continue;
        }
      /* Control characters, and the bidi overrides that can disguise text. */
      if (g_unichar_iscntrl (c) || c == '\r' ||
          (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
        return FALSE;
      if (c == 0xFFFE || c == 0xFFFF)
        return FALSE;
    }
  return TRUE;
}
