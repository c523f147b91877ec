/* SPDX-License-Identifier: EUPL-1.2 */
/* Encryption at rest: the data key, wrapping, sealing. */
#include "config.h"

#include <string.h>

#include "regie-crypto.h"
#include "regie-error.h"

static void
test_seal_open (void)
{
  g_autoptr(RegieKey) key = regie_key_new_random ();
  g_autoptr(RegieKey) other = regie_key_new_random ();
  const char *text = "{\"bsn\":\"123456782\",\"family_name\":\"Gebremedhin\"}";
  g_autoptr(GBytes) sealed = regie_key_seal (key, text, strlen (text), "record-1");
  g_autoptr(GBytes) sealed2 = regie_key_seal (key, text, strlen (text), "record-1");
  g_autoptr(GError) error = NULL;
  g_autofree char *opened = NULL;
  g_autofree guint8 *tampered = NULL;
  gsize len;
  const guint8 *data = g_bytes_get_data (sealed, &len);

  /* No plaintext in the sealed bytes; a fresh nonce every time. */
  g_assert_null (g_strstr_len ((const char *) data, len, "Gebremedhin"));
  g_assert_false (g_bytes_equal (sealed, sealed2));
  g_assert_cmpuint (len, ==, strlen (text) + 28);

  opened = regie_key_open (key, data, len, "record-1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (opened, ==, text);

  /* Wrong key, wrong record, a flipped bit, cut short: all refused. */
  g_assert_null (regie_key_open (other, data, len, "record-1", NULL, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE);
  g_clear_error (&error);
  g_assert_null (regie_key_open (key, data, len, "record-2", NULL, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE);
  g_clear_error (&error);
  tampered = g_memdup2 (data, len);
  tampered[20] ^= 1;
  g_assert_null (regie_key_open (key, tampered, len, "record-1", NULL, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE);
  g_clear_error (&error);
  g_assert_null (regie_key_open (key, data, 20, "record-1", NULL, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE);
}

static void
test_wrap_unwrap (void)
{
  g_autoptr(RegieKey) key = regie_key_new_random ();
  g_autoptr(RegieKey) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wrapped = regie_key_wrap (key, "demo-fatima", &error);
  g_autofree char *opened = NULL;
  g_autoptr(GBytes) sealed = NULL;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (wrapped, "scrypt$15$8$1$"));

  g_assert_null (regie_key_unwrap (wrapped, "demo-fatimA", &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_null (regie_key_unwrap ("scrypt$15$8$1$zz$00", "demo-fatima", &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE);
  g_clear_error (&error);

  back = regie_key_unwrap (wrapped, "demo-fatima", &error);
  g_assert_no_error (error);
  sealed = regie_key_seal (key, "x", 1, "c");
  opened = regie_key_open (back, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), "c", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (opened, ==, "x");
}

/* Nonces come from a pool: never one twice, across refills and copies,
 * and every sealed value still opens. */
static void
test_nonces_unique (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                                      (GDestroyNotify) g_bytes_unref, NULL);
  RegieKey *key = regie_key_new_random ();
  RegieKey *copy = regie_key_copy (key);

  for (guint i = 0; i < 2000; i++)
    {
      RegieKey *k = i % 3 == 0 ? copy : key;
      g_autoptr(GBytes) sealed = regie_key_seal (k, "same", 4, "id");
      g_autofree char *opened = NULL;
      gsize len = 0;
      g_autoptr(GError) error = NULL;

      g_assert_cmpuint (g_bytes_get_size (sealed), ==, REGIE_SEALED_SIZE (4));
      g_assert_true (g_hash_table_add (seen, g_bytes_new_from_bytes (sealed, 0, 12)));
      opened = regie_key_open (key, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed),
                               "id", &len, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (opened, len, "same", 4);
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, 2000);
  regie_key_free (copy);
  regie_key_free (key);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crypto/seal-open", test_seal_open);
  g_test_add_func ("/crypto/wrap-unwrap", test_wrap_unwrap);
  g_test_add_func ("/crypto/nonces-unique", test_nonces_unique);

  return g_test_run ();
}
