/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include "regie-bsn.h"

/* The elfproef: for the nine digits d1..d9,
 * 9·d1 + 8·d2 + … + 2·d8 − 1·d9 must be a multiple of 11. All zeros
 * passes the arithmetic but is not an issued number. */
gboolean
regie_bsn_is_valid (const char *bsn)
{
  int sum = 0;
  gboolean all_zero = TRUE;

  if (bsn == NULL)
    return FALSE;

  for (int i = 0; i < 9; i++)
    {
      if (!g_ascii_isdigit (bsn[i]))
        return FALSE;
      int d = bsn[i] - '0';
      if (d != 0)
        all_zero = FALSE;
      sum += (i < 8) ? (9 - i) * d : -d;
    }

  if (bsn[9] != '\0')
    return FALSE;

  return !all_zero && sum % 11 == 0;
}

/* A V-nummer (vreemdelingennummer) is ten digits. */
gboolean
regie_v_number_is_valid (const char *v_number)
{
  if (v_number == NULL)
    return FALSE;

  for (int i = 0; i < 10; i++)
    if (!g_ascii_isdigit (v_number[i]))
      return FALSE;

  return v_number[10] == '\0';
}
