/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Encryption at rest for the client store. A random 256-bit data key
 * encrypts every payload with AES-256-GCM; the data key itself is stored
 * only wrapped (AES-256-GCM again) under a key derived from the user's
 * password with scrypt, so the user can unlock offline and a stolen
 * laptop yields nothing without the password. */

#define REGIE_KEY_BYTES 32

typedef struct _RegieKey RegieKey;   /* lives in locked, wiped memory */

RegieKey   *regie_key_new_random      (void);
/* A key for another thread (each key keeps its own cipher contexts). */
RegieKey   *regie_key_copy            (const RegieKey *key);
gboolean    regie_key_equal           (const RegieKey *a,
                                       const RegieKey *b);
void        regie_key_free            (RegieKey      *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RegieKey, regie_key_free)

/* Wraps a new data key under `password`; the result (salt, scrypt
 * parameters and the sealed key, as text) is safe to store anywhere. */
char       *regie_key_wrap            (const RegieKey  *data_key,
                                       const char      *password,
                                       GError         **error);
/* REGIE_ERROR_AUTH when the password is wrong. */
RegieKey   *regie_key_unwrap          (const char      *wrapped,
                                       const char      *password,
                                       GError         **error);

/* Seals `plaintext` with the data key; `context` (e.g. the record id) is
 * bound as associated data so a ciphertext cannot be moved to another
 * record. Output: 12-byte nonce, ciphertext, 16-byte tag. */
GBytes     *regie_key_seal            (RegieKey        *key,
                                       const void      *plaintext,
                                       gsize            length,
                                       const char      *context);
/* REGIE_ERROR_STORAGE when the data was altered or the context differs. */
char       *regie_key_open            (RegieKey        *key,
                                       const void      *sealed,
                                       gsize            length,
                                       const char      *context,
                                       gsize           *out_length,
                                       GError         **error);

/* Sealed size of `length` bytes of plaintext. */
#define REGIE_SEALED_SIZE(length) ((gsize) (length) + 12 + 16)

/* The same without allocating: `out` has REGIE_SEALED_SIZE (length)
 * bytes; `context` need not be NUL-terminated. */
void        regie_key_seal_to         (RegieKey        *key,
                                       const void      *plaintext,
                                       gsize            length,
                                       const void      *context,
                                       gsize            context_length,
                                       guint8          *out);
char       *regie_key_open_full       (RegieKey        *key,
                                       const void      *sealed,
                                       gsize            length,
                                       const void      *context,
                                       gsize            context_length,
                                       gsize           *out_length,
                                       GError         **error);

G_END_DECLS
