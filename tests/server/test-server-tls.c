/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieTest"

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>
#include <sys/stat.h>

#include "server-test-util.h"

static const char * const demo[] = { "--demo", "--dossiers", "20", NULL };

static char *
der_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *hex = NULL;
  GString *out = g_string_new (NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  g_assert_nonnull (der);
  lower = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  hex = g_ascii_strup (lower, -1);
  for (gsize i = 0; hex[i] != '\0'; i += 2)
    g_string_append_printf (out, "%s%c%c", i > 0 ? ":" : "", hex[i], hex[i + 1]);

  return g_string_free (out, FALSE);
}

/* First start makes the key and certificate; a restart serves the same. */
static void
test_certificate_made_once (void)
{
  g_autoptr(RegieTestServer) first = NULL;
  g_autoptr(RegieTestServer) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("regie-test-tls-XXXXXX", &error);
  g_autofree char *key = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *computed = NULL;
  GStatBuf st;

  g_assert_no_error (error);
  key = g_build_filename (dir, "tls", "key.pem", NULL);
  cert = g_build_filename (dir, "tls", "cert.pem", NULL);

  first = regie_test_server_start (dir, demo, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (regie_test_server_get_url (first), "https://127.0.0.1:"));
  g_assert_nonnull (regie_test_server_get_fingerprint (first));
  fingerprint = g_strdup (regie_test_server_get_fingerprint (first));

  /* The printed fingerprint is the SHA-256 of the certificate on disk. */
  computed = der_fingerprint (regie_test_server_get_certificate (first));
  g_assert_cmpstr (fingerprint, ==, computed);

  /* The private key is readable by the server's user only. */
  g_assert_cmpint (g_stat (key, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_test (cert, G_FILE_TEST_IS_REGULAR));
  regie_test_server_kill (first, FALSE);

  second = regie_test_server_start (dir, demo, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (regie_test_server_get_fingerprint (second), ==, fingerprint);
  regie_test_server_kill (second, FALSE);

  g_clear_pointer (&first, regie_test_server_free);
  g_clear_pointer (&second, regie_test_server_free);
  {
    const char * const rm[] = { "rm", "-rf", dir, NULL };
    g_autoptr(GSubprocess) p = g_subprocess_newv (rm, G_SUBPROCESS_FLAGS_NONE, &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_wait_check (p, NULL, &error));
  }
}

static char *
run_server_expecting_failure (const char * const *args,
                              int                *out_status)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  char *err = NULL;

  g_ptr_array_add (argv, (char *) g_getenv ("REGIE_SERVER_PATH"));
  for (gsize i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  *out_status = g_subprocess_get_exit_status (process);

  /* It never got as far as listening. */
  g_assert_null (strstr (out, "listening on"));

  return err;
}

static void
test_plain_http_only_on_loopback (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("regie-test-tls-XXXXXX", &error);
  g_autofree char *err = NULL;
  g_autofree char *err6 = NULL;
  int status = 0;

  g_assert_no_error (error);

  err = run_server_expecting_failure ((const char *[]) { "--listen", "0.0.0.0:0", "--plain-http",
                                                         "--data", dir, NULL }, &status);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "plain HTTP is only allowed on a loopback address"));

  err6 = run_server_expecting_failure ((const char *[]) { "--listen", "[::]:0", "--plain-http",
                                                          "--data", dir, NULL }, &status);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err6, "loopback"));

  /* --plain-http made no certificate either. */
  {
    g_autofree char *tls = g_build_filename (dir, "tls", NULL);
    g_assert_false (g_file_test (tls, G_FILE_TEST_EXISTS));
  }
  {
    g_autofree char *sqlite = g_build_filename (dir, "regie.sqlite", NULL);
    const char * const rm[] = { "rm", "-rf", dir, NULL };
    g_autoptr(GSubprocess) p = g_subprocess_newv (rm, G_SUBPROCESS_FLAGS_NONE, &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_wait_check (p, NULL, &error));
    g_assert_false (g_file_test (sqlite, G_FILE_TEST_EXISTS));
  }
}

/* Sign-in and a pull over TLS; a client that trusts only the usual CAs
 * is refused, so this is real TLS with the server's own certificate. */
static void
test_https_end_to_end (void)
{
  g_autoptr(RegieTestServer) server = NULL;
  g_autoptr(TestPull) pull = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *token = NULL;
  g_autofree char *pull_url = NULL;

  server = regie_test_server_start (NULL, demo, &error);
  g_assert_no_error (error);

  token = test_login (regie_test_server_get_url (server), "fatima");
  g_assert_cmpuint (strlen (token), ==, 64);
  pull = test_pull_all (regie_test_server_get_url (server), token, 0, 0);
  g_assert_cmpuint (pull->changes->len, >, 0);

  pull_url = g_strconcat (regie_test_server_get_url (server), "api/v1/sync/pull", NULL);
  msg = soup_message_new ("GET", pull_url);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_error (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_assert_null (body);
}

/* --plain-http on loopback still works, for tests that need it. */
static void
test_plain_http_on_loopback (void)
{
  g_autoptr(RegieTestServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  server = regie_test_server_start_full (NULL, demo, REGIE_TEST_SERVER_PLAIN_HTTP, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (regie_test_server_get_url (server), "http://127.0.0.1:"));
  g_assert_null (regie_test_server_get_fingerprint (server));

  token = test_login (regie_test_server_get_url (server), "fatima");
  g_assert_cmpuint (strlen (token), ==, 64);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/tls/certificate-made-once", test_certificate_made_once);
  g_test_add_func ("/server/tls/plain-http-only-on-loopback", test_plain_http_only_on_loopback);
  g_test_add_func ("/server/tls/https-end-to-end", test_https_end_to_end);
  g_test_add_func ("/server/tls/plain-http-on-loopback", test_plain_http_on_loopback);

  return g_test_run ();
}
