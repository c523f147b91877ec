/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieServer"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <string.h>

#include "regie-server-tls.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_NAME, X509_NAME_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509_EXTENSION, X509_EXTENSION_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIGNUM, BN_free)

static gboolean
set_openssl_error (GError     **error,
                   const char  *what)
{
  char buf[256] = "unknown error";
  unsigned long code = ERR_get_error ();

  if (code != 0)
    ERR_error_string_n (code, buf, sizeof buf);
  ERR_clear_error ();

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", what, buf);
  return FALSE;
}

static gboolean
add_extension (X509       *cert,
               int         nid,
               const char *value,
               GError    **error)
{
  g_autoptr(X509_EXTENSION) ext = NULL;
  X509V3_CTX ctx;

  X509V3_set_ctx_nodb (&ctx);
  X509V3_set_ctx (&ctx, cert, cert, NULL, NULL, 0);
  ext = X509V3_EXT_conf_nid (NULL, &ctx, nid, value);
  if (ext == NULL || !X509_add_ext (cert, ext, -1))
    return set_openssl_error (error, "Could not add a certificate extension");

  return TRUE;
}

/* A SAN entry for host: an IP address or a DNS name. Names that could
 * break the extension syntax are left out. */
static void
append_san (GString    *san,
            const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL || *host == '\0')
    return;

  address = g_inet_address_new_from_string (host);
  if (address != NULL)
    {
      g_autofree char *text = g_inet_address_to_string (address);

      g_string_append_printf (san, ",IP:%s", text);
    }
  else if (strpbrk (host, ",:= \t\r\n") == NULL)
    g_string_append_printf (san, ",DNS:%s", host);
}

static X509 *
make_certificate (EVP_PKEY    *key,
                  const char  *host_name,
                  GError     **error)
{
  g_autoptr(X509) cert = X509_new ();
  g_autoptr(BIGNUM) serial = BN_new ();
  g_autoptr(GString) san = g_string_new ("DNS:localhost,IP:127.0.0.1,IP:::1");
  X509_NAME *name;
  const char *cn = host_name != NULL && *host_name != '\0' ? host_name : "localhost";

  if (cert == NULL || serial == NULL)
    {
      set_openssl_error (error, "Out of memory");
      return NULL;
    }

  /* A positive random 127-bit serial, as RFC 5280 asks. */
  if (!BN_rand (serial, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) ||
      !BN_to_ASN1_INTEGER (serial, X509_get_serialNumber (cert)) ||
      !X509_set_version (cert, X509_VERSION_3) ||
      /* An hour back, for clocks that run a little behind the server's. */
      !X509_gmtime_adj (X509_getm_notBefore (cert), -60 * 60) ||
      !X509_time_adj_ex (X509_getm_notAfter (cert), REGIE_SERVER_TLS_VALIDITY_DAYS, 0, NULL) ||
      !X509_set_pubkey (cert, key))
    {
      set_openssl_error (error, "Could not fill in the certificate");
      return NULL;
    }

  name = X509_get_subject_name (cert);
  if (!X509_NAME_add_entry_by_txt (name, "O", MBSTRING_UTF8,
                                   (const unsigned char *) "Regie", -1, -1, 0) ||
      !X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_UTF8,
                                   (const unsigned char *) cn, -1, -1, 0) ||
      !X509_set_issuer_name (cert, name))
    {
      set_openssl_error (error, "Could not name the certificate");
      return NULL;
    }

  if (g_strcmp0 (host_name, "localhost") != 0 && g_strcmp0 (host_name, "127.0.0.1") != 0 &&
      g_strcmp0 (host_name, "::1") != 0)
    append_san (san, host_name);

  if (!add_extension (cert, NID_basic_constraints, "critical,CA:FALSE", error) ||
      !add_extension (cert, NID_key_usage, "critical,digitalSignature,keyEncipherment", error) ||
      !add_extension (cert, NID_ext_key_usage, "serverAuth", error) ||
      !add_extension (cert, NID_subject_key_identifier, "hash", error) ||
      !add_extension (cert, NID_subject_alt_name, san->str, error))
    return NULL;

  if (X509_sign (cert, key, EVP_sha256 ()) == 0)
    {
      set_openssl_error (error, "Could not sign the certificate");
      return NULL;
    }

  return g_steal_pointer (&cert);
}

/* Writes data to path atomically with the given mode: a temporary file in
 * the same directory, fsync, rename. */
static gboolean
write_file (const char  *path,
            const char  *data,
            gsize        len,
            int          mode,
            GError     **error)
{
  return g_file_set_contents_full (path, data, (gssize) len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, mode, error);
}

static char *
bio_to_string (BIO   *bio,
               gsize *out_len)
{
  char *mem = NULL;
  long len = BIO_get_mem_data (bio, &mem);

  *out_len = len > 0 ? (gsize) len : 0;
  return g_strndup (mem, *out_len);
}

static gboolean
create_files (const char  *cert_path,
              const char  *key_path,
              const char  *host_name,
              GError     **error)
{
  g_autoptr(EVP_PKEY) key = NULL;
  g_autoptr(X509) cert = NULL;
  g_autoptr(BIO) key_bio = BIO_new (BIO_s_mem ());
  g_autoptr(BIO) cert_bio = BIO_new (BIO_s_mem ());
  g_autofree char *key_pem = NULL;
  g_autofree char *cert_pem = NULL;
  gsize key_len = 0;
  gsize cert_len = 0;
  gboolean ok;

  key = EVP_EC_gen ("P-256");
  if (key == NULL)
    return set_openssl_error (error, "Could not generate a key");

  if ((cert = make_certificate (key, host_name, error)) == NULL)
    return FALSE;

  if (key_bio == NULL || cert_bio == NULL ||
      !PEM_write_bio_PrivateKey (key_bio, key, NULL, NULL, 0, NULL, NULL) ||
      !PEM_write_bio_X509 (cert_bio, cert))
    return set_openssl_error (error, "Could not encode the key and certificate");

  key_pem = bio_to_string (key_bio, &key_len);
  cert_pem = bio_to_string (cert_bio, &cert_len);

  /* The key first: a certificate without its key is useless, and the
   * next start makes both again. */
  ok = write_file (key_path, key_pem, key_len, 0600, error) &&
       write_file (cert_path, cert_pem, cert_len, 0644, error);

  OPENSSL_cleanse (key_pem, key_len);
  return ok;
}

GTlsCertificate *
regie_server_tls_load_or_create (const char  *data_dir,
                                 const char  *host_name,
                                 gboolean    *out_created,
                                 GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  gboolean have_cert, have_key;

  g_return_val_if_fail (data_dir != NULL, NULL);

  if (out_created != NULL)
    *out_created = FALSE;

  dir = g_build_filename (data_dir, "tls", NULL);
  cert_path = g_build_filename (dir, "cert.pem", NULL);
  key_path = g_build_filename (dir, "key.pem", NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not create %s: %s", dir, g_strerror (saved_errno));
      return NULL;
    }

  have_cert = g_file_test (cert_path, G_FILE_TEST_EXISTS);
  have_key = g_file_test (key_path, G_FILE_TEST_EXISTS);

  /* Half a pair is a damaged directory: never replace a key that clients
   * may have pinned without the admin's say. */
  if (have_cert != have_key)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%s holds only one of cert.pem and key.pem; restore the other or remove both",
                   dir);
      return NULL;
    }

  if (!have_cert)
    {
      if (!create_files (cert_path, key_path, host_name, error))
        return NULL;
      if (out_created != NULL)
        *out_created = TRUE;
    }

  return regie_server_tls_load (cert_path, key_path, error);
}

GTlsCertificate *
regie_server_tls_load (const char  *cert_file,
                       const char  *key_file,
                       GError     **error)
{
  GStatBuf st;

  g_return_val_if_fail (cert_file != NULL, NULL);
  g_return_val_if_fail (key_file != NULL, NULL);

  if (g_stat (key_file, &st) == 0 && (st.st_mode & 0077) != 0)
    g_warning ("The private key %s can be read by others; run chmod 600 on it", key_file);

  return g_tls_certificate_new_from_files (cert_file, key_file, error);
}

char *
regie_server_tls_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *hex = NULL;
  GString *out;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;

  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  out = g_string_sized_new (96);
  for (gsize i = 0; hex[i] != '\0'; i += 2)
    {
      if (i > 0)
        g_string_append_c (out, ':');
      g_string_append_c (out, g_ascii_toupper (hex[i]));
      g_string_append_c (out, g_ascii_toupper (hex[i + 1]));
    }

  return g_string_free (out, FALSE);
}
