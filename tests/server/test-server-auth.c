/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieTest"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "server-test-util.h"

static RegieTestServer *server;

static const char *
url (void)
{
  return regie_test_server_get_url (server);
}

static char *
login_raw (const char *body,
           gsize       len,
           unsigned   *status)
{
  char *response = regie_test_http (url (), "POST", "/api/v1/session", NULL, body, len,
                                    status, NULL);
  g_assert_nonnull (response);
  return response;
}

static void
test_login_good (void)
{
  g_autofree char *response = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object, *user;
  const char *token;
  unsigned status = 0;

  response = login_raw ("{\"username\":\"fatima\",\"password\":\"demo-fatima\"}", 0, &status);
  g_assert_cmpuint (status, ==, 200);

  root = json_from_string (response, &error);
  g_assert_no_error (error);
  object = json_node_get_object (root);
  token = json_object_get_string_member (object, "token");
  g_assert_cmpuint (strlen (token), ==, 64);
  for (const char *p = token; *p; p++)
    g_assert_true (g_ascii_isxdigit (*p));

  user = json_object_get_object_member (object, "user");
  g_assert_cmpstr (json_object_get_string_member (user, "username"), ==, "fatima");
  g_assert_cmpstr (json_object_get_string_member (user, "display_name"), ==, "Fatima El Amrani");
  g_assert_cmpstr (json_object_get_string_member (user, "role"), ==, "klantmanager");
  g_assert_cmpstr (json_object_get_string_member (user, "team"), ==, "team-noord");

  /* The token works. */
  g_assert_cmpint (test_pull_cursor (url (), token), >, 0);
}

static void
test_login_every_demo_account (void)
{
  static const struct { const char *user, *name, *role, *team; } accounts[] = {
    { "mehmet", "Mehmet Yılmaz", "klantmanager", "team-zuid" },
    { "ingrid", "Ingrid Mulder", "coordinator", "team-noord" },
    { "ruud", "Ruud Verbeek", "inkomensconsulent", "team-centrum" },
    { "beheer", "Bram Beheer", "beheerder", NULL },
  };

  for (unsigned i = 0; i < G_N_ELEMENTS (accounts); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"demo-%s\"}",
                                               accounts[i].user, accounts[i].user);
      g_autofree char *response = NULL;
      g_autoptr(JsonNode) root = NULL;
      JsonObject *user;
      unsigned status = 0;

      response = login_raw (body, 0, &status);
      g_assert_cmpuint (status, ==, 200);
      root = json_from_string (response, NULL);
      user = json_object_get_object_member (json_node_get_object (root), "user");
      g_assert_cmpstr (json_object_get_string_member (user, "display_name"), ==, accounts[i].name);
      g_assert_cmpstr (json_object_get_string_member (user, "role"), ==, accounts[i].role);
      if (accounts[i].team != NULL)
        g_assert_cmpstr (json_object_get_string_member (user, "team"), ==, accounts[i].team);
      else
        g_assert_true (json_object_get_null_member (user, "team"));
    }
}

static void
test_login_wrong_password_and_unknown_user (void)
{
  g_autofree char *wrong = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *message = NULL;
  unsigned status = 0;

  wrong = login_raw ("{\"username\":\"fatima\",\"password\":\"demo-joost\"}", 0, &status);
  g_assert_cmpuint (status, ==, 401);
  message = test_assert_error (wrong, status, "auth");

  status = 0;
  unknown = login_raw ("{\"username\":\"nobody\",\"password\":\"demo-nobody\"}", 0, &status);
  g_assert_cmpuint (status, ==, 401);

  /* Nothing tells an unknown user from a wrong password. */
  g_assert_cmpstr (wrong, ==, unknown);
}

static void
test_login_missing_fields (void)
{
  static const char * const bodies[] = {
    "{\"username\":\"fatima\"}",
    "{\"password\":\"demo-fatima\"}",
    "{\"username\":\"fatima\",\"password\":42}",
    "{\"username\":null,\"password\":\"demo-fatima\"}",
    "{}",
  };

  for (unsigned i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autofree char *response = NULL;
      g_autofree char *message = NULL;
      unsigned status = 0;

      response = login_raw (bodies[i], 0, &status);
      g_assert_cmpuint (status, ==, 400);
      message = test_assert_error (response, status, "invalid");
    }
}

static void
test_login_not_json (void)
{
  static const char * const bodies[] = { "username=fatima", "[1,2", "\"fatima\"", "" };

  for (unsigned i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autofree char *response = NULL;
      g_autofree char *message = NULL;
      unsigned status = 0;

      response = regie_test_http (url (), "POST", "/api/v1/session", NULL, bodies[i],
                                  strlen (bodies[i]), &status, NULL);
      g_assert_nonnull (response);
      g_assert_cmpuint (status, ==, 400);
      message = test_assert_error (response, status, "parse");
    }
}

static void
test_login_too_large (void)
{
  g_autoptr(GString) body = g_string_new ("{\"username\":\"fatima\",\"password\":\"");
  g_autofree char *response = NULL;
  g_autofree char *message = NULL;
  unsigned status = 0;

  while (body->len < 5000)
    g_string_append_c (body, 'x');
  g_string_append (body, "\"}");

  response = login_raw (body->str, body->len, &status);
  g_assert_cmpuint (status, ==, 413);
  message = test_assert_error (response, status, "too_large");
}

static void
test_protocol_header (void)
{
  static const char * const values[] = { NULL, "0", "2", "1.0", "" };
  static const char * const paths[] = {
    "/api/v1/session", "/api/v1/sync/pull", "/api/v1/sync/push", "/nowhere",
  };

  for (unsigned i = 0; i < G_N_ELEMENTS (values); i++)
    for (unsigned j = 0; j < G_N_ELEMENTS (paths); j++)
      {
        g_autofree char *response = NULL;
        g_autofree char *message = NULL;
        unsigned status = 0;

        response = test_http_protocol (url (), j == 1 ? "GET" : "POST", paths[j], values[i],
                                       &status);
        g_assert_cmpuint (status, ==, 426);
        message = test_assert_error (response, status, "protocol");
      }
}

static void
test_unknown_path_and_method (void)
{
  g_autofree char *response = NULL;
  g_autofree char *message = NULL;
  unsigned status = 0;

  response = regie_test_http (url (), "GET", "/api/v1/records", NULL, NULL, 0, &status, NULL);
  g_assert_cmpuint (status, ==, 404);
  message = test_assert_error (response, status, "not_found");
  g_clear_pointer (&response, g_free);

  response = regie_test_http (url (), "GET", "/api/v1/session", NULL, NULL, 0, &status, NULL);
  g_assert_cmpuint (status, ==, 405);
  g_assert_nonnull (strstr (response, "\"error\""));
  g_clear_pointer (&response, g_free);

  response = regie_test_http (url (), "POST", "/api/v1/sync/pull", NULL, "{}", 2, &status, NULL);
  g_assert_cmpuint (status, ==, 405);
  g_assert_nonnull (strstr (response, "\"error\""));
}

static void
test_bad_token (void)
{
  static const char * const tokens[] = {
    NULL,
    "0000000000000000000000000000000000000000000000000000000000000000",
    "short",
  };

  for (unsigned i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      g_autofree char *pull = NULL;
      g_autofree char *push = NULL;
      g_autofree char *message = NULL;
      g_autofree char *message2 = NULL;
      unsigned status = 0;

      pull = regie_test_http (url (), "GET", "/api/v1/sync/pull?cursor=0", tokens[i], NULL, 0,
                              &status, NULL);
      g_assert_cmpuint (status, ==, 401);
      message = test_assert_error (pull, status, "auth");

      push = regie_test_http (url (), "POST", "/api/v1/sync/push", tokens[i],
                              "{\"mutations\":[]}", 0, &status, NULL);
      g_assert_cmpuint (status, ==, 401);
      message2 = test_assert_error (push, status, "auth");
    }
}

/* Sessions are stored (hashed), so a token outlives a server restart;
 * the restarted server has an empty token cache and must ask SQLite. */
static void
test_session_survives_restart (void)
{
  const char * const demo[] = { "--demo", "--dossiers", "20", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieTestServer) first = NULL;
  g_autoptr(RegieTestServer) second = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *token = NULL;
  g_autofree char *sqlite = NULL;
  g_autofree char *contents = NULL;
  gint64 cursor;
  gsize len = 0;

  dir = g_dir_make_tmp ("regie-test-auth-XXXXXX", &error);
  g_assert_no_error (error);

  first = regie_test_server_start (dir, demo, &error);
  g_assert_no_error (error);
  token = test_login (regie_test_server_get_url (first), "joost");
  cursor = test_pull_cursor (regie_test_server_get_url (first), token);
  regie_test_server_kill (first, FALSE);

  /* Only the hash of the token is on disk. */
  sqlite = g_build_filename (dir, "regie.sqlite", NULL);
  g_assert_true (g_file_get_contents (sqlite, &contents, &len, NULL));
  g_assert_null (g_strstr_len (contents, len, token));

  second = regie_test_server_start (dir, demo, &error);
  g_assert_no_error (error);
  g_assert_cmpint (test_pull_cursor (regie_test_server_get_url (second), token), ==, cursor);
  regie_test_server_kill (second, FALSE);

  /* Start did not remove a directory it did not make. */
  g_assert_true (g_file_test (sqlite, G_FILE_TEST_EXISTS));
  g_clear_pointer (&second, regie_test_server_free);
  g_clear_pointer (&first, regie_test_server_free);
  g_unlink (sqlite);
  {
    g_autofree char *wal = g_strconcat (sqlite, "-wal", NULL);
    g_autofree char *shm = g_strconcat (sqlite, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  const char * const demo[] = { "--demo", NULL };
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  server = regie_test_server_start (NULL, demo, &error);
  g_assert_no_error (error);

  g_test_add_func ("/server/auth/login-good", test_login_good);
  g_test_add_func ("/server/auth/demo-accounts", test_login_every_demo_account);
  g_test_add_func ("/server/auth/wrong-password-unknown-user",
                   test_login_wrong_password_and_unknown_user);
  g_test_add_func ("/server/auth/missing-fields", test_login_missing_fields);
  g_test_add_func ("/server/auth/not-json", test_login_not_json);
  g_test_add_func ("/server/auth/too-large", test_login_too_large);
  g_test_add_func ("/server/auth/protocol-header", test_protocol_header);
  g_test_add_func ("/server/auth/unknown-path-method", test_unknown_path_and_method);
  g_test_add_func ("/server/auth/bad-token", test_bad_token);
  g_test_add_func ("/server/auth/session-survives-restart", test_session_survives_restart);

  ret = g_test_run ();
  regie_test_server_free (server);

  return ret;
}
