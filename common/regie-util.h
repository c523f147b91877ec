/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* UUIDv7: time-ordered, made on the device that creates the record. */
char     *regie_uuid_v7_new          (void);
gboolean  regie_uuid_is_valid        (const char *str);

/* Civil dates are "YYYY-MM-DD" strings; parsing is strict (no 30 February). */
gboolean  regie_date_parse           (const char *str,
                                      GDate      *out_date);
gboolean  regie_date_is_valid        (const char *str);
char     *regie_date_format          (const GDate *date);

/* Calendar arithmetic on civil dates, as docs/rules.md describes:
 * - a point N months after a day falls on the same day of the month, or on
 *   the month's last day when that day does not exist (31 Aug + 6 months =
 *   28/29 Feb);
 * - a period of N months starting on a day ends the day before the same
 *   day N months later; when that day does not exist the period ends on
 *   the last day of that month (a 3-year term starting 29 Feb 2024 ends
 *   28 Feb 2027). */
void      regie_date_add_months_clamped (GDate *date,
                                         int    months);
void      regie_date_period_end         (GDate *date,
                                         int    months);

/* Timestamps are RFC 3339 in UTC with milliseconds, e.g.
 * "2026-11-23T15:04:05.123Z". */
char     *regie_timestamp_now        (void);
gboolean  regie_timestamp_is_valid   (const char *str);

/* Text a person typed: valid UTF-8, no NUL or control characters except
 * tab and newline, at most max_bytes. */
gboolean  regie_text_is_valid        (const char *str,
                                      gsize       max_bytes,
                                      gboolean    allow_newlines);

G_END_DECLS
