/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieServer"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "regie-error.h"
#include "regie-password.h"

#define SALT_BYTES  16
#define HASH_BYTES  32
#define PREFIX      "pbkdf2-sha256"

static char *
hex_encode (const guint8 *data,
            gsize         len)
{
  static const char digits[] = "0123456789abcdef";
  char *out = g_malloc (len * 2 + 1);

  for (gsize i = 0; i < len; i++)
    {
      out[2 * i] = digits[data[i] >> 4];
      out[2 * i + 1] = digits[data[i] & 0xf];
    }
  out[len * 2] = '\0';

  return out;
}

static gboolean
hex_decode (const char *hex,
            guint8     *out,
            gsize       out_len)
{
  if (strlen (hex) != out_len * 2)
    return FALSE;

  for (gsize i = 0; i < out_len; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return FALSE;
      out[i] = (guint8) ((hi << 4) | lo);
    }

  return TRUE;
}

static gboolean
derive (const char   *password,
        const guint8 *salt,
        int           iterations,
        guint8       *out)
{
  return PKCS5_PBKDF2_HMAC (password, (int) strlen (password),
                            salt, SALT_BYTES, iterations,
                            EVP_sha256 (), HASH_BYTES, out) == 1;
}

char *
regie_password_hash (const char  *password,
                     GError     **error)
{
  guint8 salt[SALT_BYTES];
  guint8 hash[HASH_BYTES];
  g_autofree char *salt_hex = NULL;
  g_autofree char *hash_hex = NULL;

  g_return_val_if_fail (password != NULL, NULL);

  if (RAND_bytes (salt, sizeof salt) != 1 ||
      !derive (password, salt, REGIE_PASSWORD_ITERATIONS, hash))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_SERVER,
                           "Could not hash the password");
      return NULL;
    }

  salt_hex = hex_encode (salt, sizeof salt);
  hash_hex = hex_encode (hash, sizeof hash);
  OPENSSL_cleanse (hash, sizeof hash);

  return g_strdup_printf (PREFIX "$%d$%s$%s", REGIE_PASSWORD_ITERATIONS, salt_hex, hash_hex);
}

gboolean
regie_password_verify (const char *password,
                       const char *stored)
{
  static const guint8 dummy_salt[SALT_BYTES] = { 0 };
  g_auto(GStrv) parts = NULL;
  guint8 salt[SALT_BYTES];
  guint8 expected[HASH_BYTES];
  guint8 actual[HASH_BYTES];
  gint64 iterations;
  char *end = NULL;
  gboolean ok;

  g_return_val_if_fail (password != NULL, FALSE);

  if (stored == NULL)
    {
      derive (password, dummy_salt, REGIE_PASSWORD_ITERATIONS, actual);
      return FALSE;
    }

  parts = g_strsplit (stored, "$", -1);
  if (g_strv_length (parts) != 4 || strcmp (parts[0], PREFIX) != 0)
    return FALSE;

  errno = 0;
  iterations = g_ascii_strtoll (parts[1], &end, 10);
  if (errno != 0 || end == parts[1] || *end != '\0' ||
      iterations < 1 || iterations > 10000000)
    return FALSE;

  if (!hex_decode (parts[2], salt, sizeof salt) ||
      !hex_decode (parts[3], expected, sizeof expected))
    return FALSE;

  if (!derive (password, salt, (int) iterations, actual))
    return FALSE;

  ok = CRYPTO_memcmp (expected, actual, HASH_BYTES) == 0;
  OPENSSL_cleanse (actual, sizeof actual);

  return ok;
}

char *
regie_session_token_new (GError **error)
{
  guint8 bytes[32];
  char *token;

  if (RAND_bytes (bytes, sizeof bytes) != 1)
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_SERVER,
                           "Could not make a session token");
      return NULL;
    }

  token = hex_encode (bytes, sizeof bytes);
  OPENSSL_cleanse (bytes, sizeof bytes);

  return token;
}

char *
regie_session_token_hash (const char *token)
{
  g_return_val_if_fail (token != NULL, NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}
