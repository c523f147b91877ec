/* SPDX-License-Identifier: EUPL-1.2 */
#include "config.h"

#include <string.h>

#include "regie-bsn.h"

static void
test_bsn_valid (void)
{
  /* Examples that pass the elfproef. */
  const char *valid[] = { "111222333", "123456782", "999999990", "010000008" };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    g_assert_true (regie_bsn_is_valid (valid[i]));
}

static void
test_bsn_invalid (void)
{
  const char *invalid[] = {
    "111222334",   /* one digit off */
    "123456781",
    "000000000",   /* passes the arithmetic, never issued */
    "12345678",    /* too short */
    "1234567820",  /* too long */
    "12345678a",
    " 123456782",
    "123 45678",
    "",
    "１２３４５６７８２", /* full-width digits */
  };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    g_assert_false (regie_bsn_is_valid (invalid[i]));
  g_assert_false (regie_bsn_is_valid (NULL));
}

static void
test_bsn_every_single_digit_change (void)
{
  /* The elfproef catches every single-digit error. */
  const char *base = "123456782";

  for (int pos = 0; pos < 9; pos++)
    for (char d = '0'; d <= '9'; d++)
      {
        char s[10];

        if (d == base[pos])
          continue;
        memcpy (s, base, 10);
        s[pos] = d;
        g_assert_false (regie_bsn_is_valid (s));
      }
}

static void
test_v_number (void)
{
  g_assert_true (regie_v_number_is_valid ("1234567890"));
  g_assert_false (regie_v_number_is_valid ("123456789"));
  g_assert_false (regie_v_number_is_valid ("12345678901"));
  g_assert_false (regie_v_number_is_valid ("12345678x0"));
  g_assert_false (regie_v_number_is_valid (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bsn/valid", test_bsn_valid);
  g_test_add_func ("/bsn/invalid", test_bsn_invalid);
  g_test_add_func ("/bsn/single-digit-errors", test_bsn_every_single_digit_change);
  g_test_add_func ("/bsn/v-number", test_v_number);

  return g_test_run ();
}
