/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieTest"

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "server-test-util.h"

static RegieTestServer *server;
static const char * const demo[] = { "--demo", "--dossiers", "20", NULL };

static const char *
url (void)
{
  return regie_test_server_get_url (server);
}

/* A sign-in attempt; returns the status and, for 429, Retry-After. */
static unsigned
try_login (const char  *base_url,
           const char  *username,
           const char  *password,
           char       **out_body,
           char       **out_retry_after)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *full = g_strconcat (base_url, "api/v1/session", NULL);
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}",
                                           username, password);

  msg = soup_message_new ("POST", full);
  regie_test_trust_server (session, msg, base_url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Regie-Protocol", "1");
  request = g_bytes_new (body, strlen (body));
  soup_message_set_request_body_from_bytes (msg, "application/json", request);

  response = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);

  if (out_body != NULL)
    *out_body = g_strndup (g_bytes_get_data (response, NULL), g_bytes_get_size (response));
  if (out_retry_after != NULL)
    *out_retry_after = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                               "Retry-After"));

  return soup_message_get_status (msg);
}

/* common/regie-error.h has no code for 429: the body is checked here. */
static void
assert_throttled (const char *body,
                  const char *retry_after)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  guint64 seconds = 0;

  root = json_from_string (body, &error);
  g_assert_no_error (error);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "error"), ==, "throttled");
  g_assert_nonnull (json_object_get_string_member (object, "message"));
  g_assert_nonnull (retry_after);
  g_assert_true (g_ascii_string_to_unsigned (retry_after, 10, 1, 60 * 60, &seconds, NULL));
  g_assert_cmpint (json_object_get_int_member (object, "retry_after"), ==, (gint64) seconds);
}

static char *
demo_password (const char *username)
{
  return g_strconcat ("demo-", username, NULL);
}

static unsigned
pull_status (const char *token)
{
  g_autofree char *body = NULL;
  unsigned status = 0;

  body = regie_test_http (url (), "GET", "/api/v1/sync/pull?cursor=0&limit=1", token, NULL, 0,
                          &status, NULL);
  g_assert_nonnull (body);
  return status;
}

/* Five wrong passwords lock the account: even the right one is refused
 * with 429 and Retry-After; other accounts are not affected. */
static void
test_throttle_account (void)
{
  g_autofree char *body = NULL;
  g_autofree char *retry = NULL;
  g_autofree char *right = demo_password ("joost");
  guint64 seconds = 0;

  for (int i = 0; i < 5; i++)
    g_assert_cmpuint (try_login (url (), "joost", "wrong password", NULL, NULL), ==, 401);

  g_assert_cmpuint (try_login (url (), "joost", right, &body, &retry), ==, 429);
  assert_throttled (body, retry);
  /* The first lock-out is a minute. */
  g_assert_true (g_ascii_string_to_unsigned (retry, 10, 1, 60, &seconds, NULL));

  /* Another account from the same address still signs in. */
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (try_login (url (), "noor", "demo-noor", &body, NULL), ==, 200);
}

/* A successful sign-in forgets earlier failures of that account. */
static void
test_throttle_reset_by_success (void)
{
  for (int round = 0; round < 3; round++)
    {
      for (int i = 0; i < 4; i++)
        g_assert_cmpuint (try_login (url (), "sanne", "wrong password", NULL, NULL), ==, 401);
      g_assert_cmpuint (try_login (url (), "sanne", "demo-sanne", NULL, NULL), ==, 200);
    }
}

/* Many failures from one address, on whatever names, lock the address. */
static void
test_throttle_address (void)
{
  g_autoptr(RegieTestServer) own = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *retry = NULL;
  const char *base;
  unsigned status = 0;
  int n = 0;

  own = regie_test_server_start (NULL, demo, &error);
  g_assert_no_error (error);
  base = regie_test_server_get_url (own);

  /* Each name fails once only, so no account lock-out is involved. */
  for (n = 0; n < 200; n++)
    {
      g_autofree char *name = g_strdup_printf ("nobody-%d", n);

      status = try_login (base, name, "guess", NULL, NULL);
      if (status != 401)
        break;
    }
  g_assert_cmpuint (status, ==, 429);
  g_assert_cmpint (n, ==, 50);

  g_assert_cmpuint (try_login (base, "fatima", "demo-fatima", &body, &retry), ==, 429);
  assert_throttled (body, retry);
}

static void
test_token_expiry (void)
{
  const char * const args[] = { "--demo", "--dossiers", "20", "--token-lifetime", "0", NULL };
  g_autoptr(RegieTestServer) own = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *body = NULL;
  g_autofree char *message = NULL;
  unsigned status = 0;

  own = regie_test_server_start (NULL, args, &error);
  g_assert_no_error (error);

  /* Born expired: the cache and the database both refuse it. */
  token = test_login (regie_test_server_get_url (own), "fatima");
  body = regie_test_http (regie_test_server_get_url (own), "GET", "/api/v1/sync/pull?cursor=0",
                          token, NULL, 0, &status, NULL);
  message = test_assert_error (body, 401, "auth");
  g_clear_pointer (&body, g_free);
  body = regie_test_http (regie_test_server_get_url (own), "GET", "/api/v1/settings",
                          token, NULL, 0, &status, NULL);
  g_assert_cmpuint (status, ==, 401);
}

static void
test_sign_out (void)
{
  g_autofree char *token = test_login (url (), "fatima");
  g_autofree char *other = test_login (url (), "fatima");
  g_autofree char *body = NULL;
  g_autofree char *message = NULL;
  unsigned status = 0;

  g_assert_cmpuint (pull_status (token), ==, 200);

  body = regie_test_http (url (), "DELETE", "/api/v1/session", token, NULL, 0, &status, NULL);
  g_assert_cmpuint (status, ==, 204);

  g_assert_cmpuint (pull_status (token), ==, 401);
  /* Signing out again: the token is gone. */
  g_clear_pointer (&body, g_free);
  body = regie_test_http (url (), "DELETE", "/api/v1/session", token, NULL, 0, &status, NULL);
  message = test_assert_error (body, 401, "auth");

  /* Only that session ended. */
  g_assert_cmpuint (pull_status (other), ==, 200);

  g_clear_pointer (&body, g_free);
  body = regie_test_http (url (), "DELETE", "/api/v1/session", NULL, NULL, 0, &status, NULL);
  g_assert_cmpuint (status, ==, 401);
}

static unsigned
change_password (const char *token,
                 const char *current,
                 const char *new_password,
                 char      **out_body)
{
  g_autofree char *request = g_strdup_printf ("{\"current_password\":\"%s\",\"new_password\":\"%s\"}",
                                              current, new_password);
  unsigned status = 0;
  char *body;

  body = regie_test_http (url (), "POST", "/api/v1/session/password", token, request, 0,
                          &status, NULL);
  g_assert_nonnull (body);
  if (out_body != NULL)
    *out_body = body;
  else
    g_free (body);

  return status;
}

static void
test_password_change (void)
{
  g_autofree char *token = test_login (url (), "daan");
  g_autofree char *elsewhere = test_login (url (), "daan");
  g_autofree char *body = NULL;
  g_autofree char *message = NULL;
  const char *new_password = "correct horse battery staple";

  g_assert_cmpuint (change_password (token, "not my password", new_password, &body), ==, 403);
  message = test_assert_error (body, 403, "forbidden");
  g_clear_pointer (&body, g_free);
  g_clear_pointer (&message, g_free);

  g_assert_cmpuint (change_password (token, "demo-daan", "too short", &body), ==, 400);
  message = test_assert_error (body, 400, "invalid");
  g_assert_nonnull (strstr (message, "12"));

  g_assert_cmpuint (change_password (NULL, "demo-daan", new_password, NULL), ==, 401);

  g_assert_cmpuint (change_password (token, "demo-daan", new_password, NULL), ==, 204);

  /* The old password no longer opens the account; the new one does. */
  g_assert_cmpuint (try_login (url (), "daan", "demo-daan", NULL, NULL), ==, 401);
  g_assert_cmpuint (try_login (url (), "daan", new_password, NULL, NULL), ==, 200);

  /* The session that changed it goes on; every other one ended. */
  g_assert_cmpuint (pull_status (token), ==, 200);
  g_assert_cmpuint (pull_status (elsewhere), ==, 401);
}

static JsonObject *
find_user (JsonNode   *root,
           const char *username)
{
  JsonArray *users = json_object_get_array_member (json_node_get_object (root), "users");

  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonObject *user = json_array_get_object_element (users, i);

      if (g_strcmp0 (json_object_get_string_member (user, "username"), username) == 0)
        return user;
    }

  return NULL;
}

static JsonNode *
list_users (const char *token)
{
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;
  unsigned status = 0;
  JsonNode *root;

  body = regie_test_http (url (), "GET", "/api/v1/admin/users", token, NULL, 0, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  root = json_from_string (body, &error);
  g_assert_no_error (error);

  return root;
}

static unsigned
set_user_state (const char *token,
                const char *username,
                const char *action)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/admin/users/%s/%s", username, action);
  g_autofree char *body = NULL;
  unsigned status = 0;

  body = regie_test_http (url (), "POST", path, token, NULL, 0, &status, NULL);
  g_assert_nonnull (body);
  return status;
}

static void
test_disable_enable (void)
{
  g_autofree char *beheer = test_login (url (), "beheer");
  g_autofree char *lotte = test_login (url (), "lotte");
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  JsonObject *user;

  before = list_users (beheer);
  user = find_user (before, "lotte");
  g_assert_nonnull (user);
  g_assert_cmpstr (json_object_get_string_member (user, "display_name"), ==, "Lotte Visser");
  g_assert_cmpstr (json_object_get_string_member (user, "role"), ==, "klantmanager");
  g_assert_cmpstr (json_object_get_string_member (user, "team"), ==, "team-centrum");
  g_assert_false (json_object_get_boolean_member (user, "disabled"));
  g_assert_true (json_object_get_null_member (find_user (before, "beheer"), "team"));
  g_assert_false (json_object_has_member (user, "password_hash"));

  g_assert_cmpuint (pull_status (lotte), ==, 200);
  g_assert_cmpuint (set_user_state (beheer, "lotte", "disable"), ==, 204);

  /* At once: the cached token stops working, and signing in fails. */
  g_assert_cmpuint (pull_status (lotte), ==, 401);
  g_assert_cmpuint (try_login (url (), "lotte", "demo-lotte", NULL, NULL), ==, 401);

  after = list_users (beheer);
  g_assert_true (json_object_get_boolean_member (find_user (after, "lotte"), "disabled"));

  g_assert_cmpuint (set_user_state (beheer, "lotte", "enable"), ==, 204);
  g_assert_cmpuint (try_login (url (), "lotte", "demo-lotte", NULL, NULL), ==, 200);
  /* Tokens of before the lock stay ended. */
  g_assert_cmpuint (pull_status (lotte), ==, 401);

  g_assert_cmpuint (set_user_state (beheer, "nobody-here", "disable"), ==, 404);
  g_assert_cmpuint (set_user_state (beheer, "beheer", "disable"), ==, 400);
  g_assert_cmpuint (set_user_state (beheer, "lotte", "delete"), ==, 404);
}

static void
test_admin_only_for_beheerder (void)
{
  const char *others[] = { "fatima", "ingrid", "ruud" };

  for (gsize i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autofree char *token = test_login (url (), others[i]);
      g_autofree char *body = NULL;
      g_autofree char *message = NULL;
      unsigned status = 0;

      body = regie_test_http (url (), "GET", "/api/v1/admin/users", token, NULL, 0, &status, NULL);
      message = test_assert_error (body, 403, "forbidden");
      g_assert_cmpuint (set_user_state (token, "joost", "disable"), ==, 403);
      g_assert_cmpuint (set_user_state (token, "joost", "enable"), ==, 403);
    }

  /* Without a token: 401, not 403. */
  {
    g_autofree char *body = NULL;
    unsigned status = 0;

    body = regie_test_http (url (), "GET", "/api/v1/admin/users", NULL, NULL, 0, &status, NULL);
    g_assert_cmpuint (status, ==, 401);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  server = regie_test_server_start (NULL, demo, &error);
  g_assert_no_error (error);

  g_test_add_func ("/server/accounts/throttle-account", test_throttle_account);
  g_test_add_func ("/server/accounts/throttle-reset-by-success", test_throttle_reset_by_success);
  g_test_add_func ("/server/accounts/throttle-address", test_throttle_address);
  g_test_add_func ("/server/accounts/token-expiry", test_token_expiry);
  g_test_add_func ("/server/accounts/sign-out", test_sign_out);
  g_test_add_func ("/server/accounts/password-change", test_password_change);
  g_test_add_func ("/server/accounts/disable-enable", test_disable_enable);
  g_test_add_func ("/server/accounts/admin-only-for-beheerder", test_admin_only_for_beheerder);

  ret = g_test_run ();
  regie_test_server_free (server);

  return ret;
}
