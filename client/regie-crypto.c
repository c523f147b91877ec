/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieStore"

#include "config.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include "regie-crypto.h"
#include "regie-error.h"

#define NONCE_BYTES 12
#define NONCE_POOL  256   /* nonces drawn at once */
#define TAG_BYTES   16
#define SALT_BYTES  16

/* scrypt: N = 2^15, r = 8, p = 1 — about 32 MiB and 0.1 s on our
 * reference laptops: slow for an attacker guessing, fine at unlock. */
#define SCRYPT_LOG_N 15
#define SCRYPT_R     8
#define SCRYPT_P     1

struct _RegieKey
{
  guint8 bytes[REGIE_KEY_BYTES];
  /* AES-GCM contexts with the key schedule set up once; a key is used by
   * one thread at a time (regie_key_copy() for another). */
  EVP_CIPHER_CTX *ctx[2];   /* [0] open, [1] seal */
  /* Random nonces drawn NONCE_POOL at a time: one RAND_bytes() call per
   * seal cost ~1.7 µs, a third of sealing a small payload (a first sync
   * seals 20,000 values, a full pull 350,000). Each is used once and
   * wiped; a copy of the key starts with none. */
  guint8 nonces[NONCE_POOL * NONCE_BYTES];
  guint   nonces_left;
};

static RegieKey *
key_alloc (void)
{
  /* OpenSSL's secure heap if configured, else plain memory; wiped on free. */
  RegieKey *key = OPENSSL_secure_zalloc (sizeof (RegieKey));
  g_assert (key != NULL);
  return key;
}

RegieKey *
regie_key_new_random (void)
{
  RegieKey *key = key_alloc ();

  if (RAND_bytes (key->bytes, sizeof key->bytes) != 1)
    g_error ("No random numbers from OpenSSL: cannot make a data key");
  return key;
}

RegieKey *
regie_key_copy (const RegieKey *key)
{
  RegieKey *copy;

  g_return_val_if_fail (key != NULL, NULL);

  copy = key_alloc ();
  memcpy (copy->bytes, key->bytes, sizeof copy->bytes);
  return copy;
}

gboolean
regie_key_equal (const RegieKey *a,
                 const RegieKey *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return CRYPTO_memcmp (a->bytes, b->bytes, sizeof a->bytes) == 0;
}

void
regie_key_free (RegieKey *key)
{
  if (key == NULL)
    return;

  /* EVP_CIPHER_CTX_free() cleanses the key schedule. */
  g_clear_pointer (&key->ctx[0], EVP_CIPHER_CTX_free);
  g_clear_pointer (&key->ctx[1], EVP_CIPHER_CTX_free);
  OPENSSL_secure_clear_free (key, sizeof (RegieKey));
}

static EVP_CIPHER_CTX *
key_context (RegieKey *key,
             gboolean  encrypt)
{
  EVP_CIPHER_CTX *ctx = key->ctx[encrypt ? 1 : 0];

  if (ctx != NULL)
    return ctx;

  ctx = EVP_CIPHER_CTX_new ();
  if (ctx == NULL ||
      EVP_CipherInit_ex (ctx, EVP_aes_256_gcm (), NULL, NULL, NULL, encrypt) != 1 ||
      EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_GCM_SET_IVLEN, NONCE_BYTES, NULL) != 1 ||
      EVP_CipherInit_ex (ctx, NULL, NULL, key->bytes, NULL, encrypt) != 1)
    {
      EVP_CIPHER_CTX_free (ctx);
      return NULL;
    }

  key->ctx[encrypt ? 1 : 0] = ctx;
  return ctx;
}

static gboolean
aead (gboolean       encrypt,
      RegieKey      *key,
      const guint8  *nonce,
      const guint8  *in,
      gsize          in_len,
      const void    *aad,
      gsize          aad_len,
      guint8        *out,
      guint8        *tag)
{
  EVP_CIPHER_CTX *ctx = key_context (key, encrypt);
  int len = 0;

  if (ctx == NULL || in_len > G_MAXINT || aad_len > G_MAXINT)
    return FALSE;
  /* Only the nonce changes: the key schedule stays. */
  if (EVP_CipherInit_ex (ctx, NULL, NULL, NULL, nonce, encrypt) != 1)
    return FALSE;
  if (aad_len > 0 && EVP_CipherUpdate (ctx, NULL, &len, aad, (int) aad_len) != 1)
    return FALSE;
  if (in_len > 0 && EVP_CipherUpdate (ctx, out, &len, in, (int) in_len) != 1)
    return FALSE;
  if (!encrypt && EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_GCM_SET_TAG, TAG_BYTES, tag) != 1)
    return FALSE;
  if (EVP_CipherFinal_ex (ctx, out + len, &len) != 1)
    return FALSE;
  if (encrypt && EVP_CIPHER_CTX_ctrl (ctx, EVP_CTRL_GCM_GET_TAG, TAG_BYTES, tag) != 1)
    return FALSE;
  return TRUE;
}

void
regie_key_seal_to (RegieKey    *key,
                   const void  *plaintext,
                   gsize        length,
                   const void  *context,
                   gsize        context_length,
                   guint8      *out)
{
  g_return_if_fail (key != NULL);
  g_return_if_fail (plaintext != NULL || length == 0);
  g_return_if_fail (out != NULL);

  if (key->nonces_left == 0)
    {
      if (RAND_bytes (key->nonces, sizeof key->nonces) != 1)
        g_error ("No random numbers from OpenSSL: cannot seal");
      key->nonces_left = NONCE_POOL;
    }
  key->nonces_left--;
  memcpy (out, key->nonces + key->nonces_left * NONCE_BYTES, NONCE_BYTES);
  OPENSSL_cleanse (key->nonces + key->nonces_left * NONCE_BYTES, NONCE_BYTES);

  if (!aead (TRUE, key, out, plaintext, length, context, context_length,
             out + NONCE_BYTES, out + NONCE_BYTES + length))
    g_error ("AES-256-GCM failed in OpenSSL");
}

GBytes *
regie_key_seal (RegieKey    *key,
                const void  *plaintext,
                gsize        length,
                const char  *context)
{
  gsize total = REGIE_SEALED_SIZE (length);
  guint8 *out;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (plaintext != NULL || length == 0, NULL);

  out = g_malloc (total);
  regie_key_seal_to (key, plaintext, length, context, context ? strlen (context) : 0, out);
  return g_bytes_new_take (out, total);
}

char *
regie_key_open_full (RegieKey     *key,
                     const void   *sealed,
                     gsize         length,
                     const void   *context,
                     gsize         context_length,
                     gsize        *out_length,
                     GError      **error)
{
  const guint8 *in = sealed;
  gsize n;
  char *out;

  g_return_val_if_fail (key != NULL, NULL);

  if (sealed == NULL || length < NONCE_BYTES + TAG_BYTES)
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_STORAGE, "encrypted data is cut short");
      return NULL;
    }
  n = length - NONCE_BYTES - TAG_BYTES;
  out = g_malloc (n + 1);
  if (!aead (FALSE, key, in, in + NONCE_BYTES, n, context, context_length, (guint8 *) out,
             (guint8 *) in + NONCE_BYTES + n))
    {
      OPENSSL_cleanse (out, n);
      g_free (out);
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_STORAGE,
                           "encrypted data was altered or belongs elsewhere");
      return NULL;
    }
  out[n] = '\0';
  if (out_length != NULL)
    *out_length = n;
  return out;
}

char *
regie_key_open (RegieKey     *key,
                const void   *sealed,
                gsize         length,
                const char   *context,
                gsize        *out_length,
                GError      **error)
{
  return regie_key_open_full (key, sealed, length, context, context ? strlen (context) : 0,
                              out_length, error);
}

static gboolean
derive (const char   *password,
        const guint8 *salt,
        int           log_n,
        int           r,
        int           p,
        guint8       *out)
{
  /* 128·r·N bytes of memory, with headroom. */
  guint64 maxmem = (guint64) 128 * r * ((guint64) 1 << log_n) * 2 + 1024 * 1024;

  return EVP_PBE_scrypt (password, strlen (password), salt, SALT_BYTES,
                         (guint64) 1 << log_n, r, p, maxmem, out, REGIE_KEY_BYTES) == 1;
}

/* "scrypt$LOGN$R$P$SALT_HEX$SEALED_HEX" */
char *
regie_key_wrap (const RegieKey  *data_key,
                const char      *password,
                GError         **error)
{
  g_autoptr(RegieKey) kek = key_alloc ();
  g_autoptr(GBytes) sealed = NULL;
  g_autofree char *salt_hex = NULL;
  g_autofree char *sealed_hex = NULL;
  guint8 salt[SALT_BYTES];
  const guint8 *data;
  gsize len;

  g_return_val_if_fail (data_key != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);

  if (RAND_bytes (salt, sizeof salt) != 1 ||
      !derive (password, salt, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P, kek->bytes))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_STORAGE, "could not derive a key from the password");
      return NULL;
    }

  sealed = regie_key_seal (kek, data_key->bytes, REGIE_KEY_BYTES, "regie-data-key");
  data = g_bytes_get_data (sealed, &len);

  salt_hex = g_malloc (SALT_BYTES * 2 + 1);
  for (int i = 0; i < SALT_BYTES; i++)
    g_snprintf (salt_hex + 2 * i, 3, "%02x", salt[i]);
  sealed_hex = g_malloc (len * 2 + 1);
  for (gsize i = 0; i < len; i++)
    g_snprintf (sealed_hex + 2 * i, 3, "%02x", data[i]);

  return g_strdup_printf ("scrypt$%d$%d$%d$%s$%s", SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P, salt_hex, sealed_hex);
}

static guint8 *
hex_decode (const char *hex,
            gsize      *out_len)
{
  gsize n = strlen (hex);
  guint8 *out;

  if (n % 2 != 0)
    return NULL;
  out = g_malloc (n / 2 + 1);
  for (gsize i = 0; i < n / 2; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);
      if (hi < 0 || lo < 0)
        {
          g_free (out);
          return NULL;
        }
      out[i] = (guint8) (hi * 16 + lo);
    }
  *out_len = n / 2;
  return out;
}

RegieKey *
regie_key_unwrap (const char  *wrapped,
                  const char  *password,
                  GError     **error)
{
  g_auto(GStrv) parts = NULL;
  g_autofree guint8 *salt = NULL;
  g_autofree guint8 *sealed = NULL;
  g_autoptr(RegieKey) kek = key_alloc ();
  g_autofree char *opened = NULL;
  gsize salt_len = 0, sealed_len = 0, opened_len = 0;
  gint64 log_n, r, p;
  RegieKey *key;

  g_return_val_if_fail (wrapped != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);

  parts = g_strsplit (wrapped, "$", -1);
  if (g_strv_length (parts) != 6 || g_strcmp0 (parts[0], "scrypt") != 0 ||
      !g_ascii_string_to_signed (parts[1], 10, 10, 22, &log_n, NULL) ||
      !g_ascii_string_to_signed (parts[2], 10, 1, 32, &r, NULL) ||
      !g_ascii_string_to_signed (parts[3], 10, 1, 16, &p, NULL) ||
      !(salt = hex_decode (parts[4], &salt_len)) || salt_len != SALT_BYTES ||
      !(sealed = hex_decode (parts[5], &sealed_len)))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_STORAGE, "the wrapped key is damaged");
      return NULL;
    }

  if (!derive (password, salt, (int) log_n, (int) r, (int) p, kek->bytes))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_STORAGE, "could not derive a key from the password");
      return NULL;
    }

  opened = regie_key_open (kek, sealed, sealed_len, "regie-data-key", &opened_len, NULL);
  if (opened == NULL || opened_len != REGIE_KEY_BYTES)
    {
      if (opened != NULL)
        OPENSSL_cleanse (opened, opened_len);
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_AUTH, "the password does not unlock this store");
      return NULL;
    }

  key = key_alloc ();
  memcpy (key->bytes, opened, REGIE_KEY_BYTES);
  OPENSSL_cleanse (opened, opened_len);
  return key;
}
