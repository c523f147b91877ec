/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieTest"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "regie-settings.h"
#include "server-test-util.h"

static RegieTestServer *server;

static const char *
url (void)
{
  return regie_test_server_get_url (server);
}

/* GET /api/v1/settings as `username`; returns the object. */
static JsonObject *
get_settings (const char *token)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  unsigned status = 0;

  body = regie_test_http (url (), "GET", "/api/v1/settings", token, NULL, 0, &status, NULL);
  g_assert_nonnull (body);
  if (status != 200)
    g_error ("GET settings answered %u: %s", status, body);
  root = json_from_string (body, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_object_ref (json_node_get_object (root));
}

static char *
put_settings (const char *token,
              const char *body,
              unsigned   *out_status)
{
  char *response = regie_test_http (url (), "PUT", "/api/v1/settings", token, body, 0,
                                    out_status, NULL);
  g_assert_nonnull (response);
  return response;
}

static void
test_settings (void)
{
  g_autofree char *fatima = test_login (url (), "fatima");
  g_autofree char *beheer = test_login (url (), "beheer");
  g_autofree char *ok_body = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonNode) defaults_node = NULL;
  RegieSettings defaults;
  gint64 version;
  unsigned status = 0;
  const char * const bad[] = {
    "{\"progress_talk_weeks\":99}",
    "{\"leefgeld_threshold_cents\":\"veel\"}",
    "{\"leefgeld_threshold_cents\":20000,\"unknown\":1}",
    "[1,2]",
    "{\"toeslag_grace_days\":",
  };

  /* Any signed-in user reads them; at first the defaults. */
  before = get_settings (fatima);
  version = json_object_get_int_member (before, "version");
  regie_settings_init_defaults (&defaults);
  defaults_node = regie_settings_to_json (&defaults);
  {
    JsonObjectIter iter;
    const char *name;
    JsonNode *value;

    json_object_iter_init (&iter, json_node_get_object (defaults_node));
    while (json_object_iter_next (&iter, &name, &value))
      g_assert_true (json_node_equal (value, json_object_get_member (before, name)));
    g_assert_cmpuint (json_object_get_size (before), ==,
                      json_object_get_size (json_node_get_object (defaults_node)) + 1);
  }

  /* A klantmanager may not change them. */
  {
    g_autofree char *response = put_settings (fatima, "{\"leefgeld_threshold_cents\":20000}", &status);
    g_autofree char *message = NULL;

    g_assert_cmpuint (status, ==, 403);
    message = test_assert_error (response, 403, "forbidden");
  }

  /* The beheerder may; the answer and a later GET show the new values. */
  ok_body = g_strdup ("{\"leefgeld_threshold_cents\":20000,\"fine_asylum_status_holders\":true}");
  {
    g_autofree char *response = put_settings (beheer, ok_body, &status);
    g_autoptr(JsonNode) root = json_from_string (response, NULL);

    g_assert_cmpuint (status, ==, 200);
    g_assert_nonnull (root);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "version"), >, version);
  }
  after = get_settings (fatima);
  g_assert_cmpint (json_object_get_int_member (after, "version"), >, version);
  g_assert_cmpint (json_object_get_int_member (after, "leefgeld_threshold_cents"), ==, 20000);
  g_assert_true (json_object_get_boolean_member (after, "fine_asylum_status_holders"));
  /* PUT replaces: what was left out is the default. */
  g_assert_cmpint (json_object_get_int_member (after, "progress_talk_weeks"), ==,
                   defaults.progress_talk_weeks);

  /* Bad settings: 400 with a reason, and nothing changes. */
  for (unsigned i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *response = put_settings (beheer, bad[i], &status);
      g_autoptr(JsonNode) root = json_from_string (response, NULL);
      JsonObject *o;

      if (status != 400)
        g_error ("PUT %s answered %u: %s", bad[i], status, response);
      g_assert_nonnull (root);
      o = json_node_get_object (root);
      g_assert_true (g_str_equal (json_object_get_string_member (o, "error"), "invalid") ||
                     g_str_equal (json_object_get_string_member (o, "error"), "parse"));
      g_assert_cmpuint (strlen (json_object_get_string_member (o, "message")), >, 0);
    }
  again = get_settings (beheer);
  g_assert_cmpint (json_object_get_int_member (again, "version"), ==,
                   json_object_get_int_member (after, "version"));
  g_assert_cmpint (json_object_get_int_member (again, "leefgeld_threshold_cents"), ==, 20000);
}

/* null is no value and no "default" either: a member is given with a
 * valid value or left out. Refused with the member named, and nothing
 * changes — also when the rest of the object is fine. */
static void
test_settings_null (void)
{
  g_autofree char *beheer = test_login (url (), "beheer");
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonNode) defaults_node = NULL;
  RegieSettings defaults;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;
  unsigned status = 0;
  unsigned n_members = 0;

  /* Away from every default, so that a null read as "default" would show. */
  {
    g_autofree char *response = put_settings (beheer, "{\"leefgeld_threshold_cents\":17500,"
                                              "\"progress_talk_weeks\":9,"
                                              "\"fine_asylum_status_holders\":true,"
                                              "\"retention_months\":84,\"pip_due_lead_days\":21,"
                                              "\"toeslag_grace_days\":5,\"free_exam_attempts\":4}",
                                              &status);
    g_assert_cmpuint (status, ==, 200);
  }
  before = get_settings (beheer);

  regie_settings_init_defaults (&defaults);
  defaults_node = regie_settings_to_json (&defaults);
  json_object_iter_init (&iter, json_node_get_object (defaults_node));
  while (json_object_iter_next (&iter, &name, &value))
    {
      g_autofree char *alone = g_strdup_printf ("{\"%s\":null}", name);
      g_autofree char *among = g_strdup_printf ("{\"free_exam_attempts\":5,\"%s\":null}", name);
      const char *bodies[] = { alone, among };

      g_assert_false (json_node_equal (value, json_object_get_member (before, name)));
      for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
        {
          g_autofree char *response = put_settings (beheer, bodies[i], &status);
          g_autofree char *message = NULL;

          if (status != 400)
            g_error ("PUT %s answered %u: %s", bodies[i], status, response);
          message = test_assert_error (response, 400, "invalid");
          g_assert_nonnull (strstr (message, name));
          g_assert_nonnull (strstr (message, "null"));
        }
      n_members++;
    }
  g_assert_cmpuint (n_members, ==, 7);

  after = get_settings (beheer);
  json_object_iter_init (&iter, before);
  while (json_object_iter_next (&iter, &name, &value))
    g_assert_true (json_node_equal (value, json_object_get_member (after, name)));
}

static void
test_settings_needs_sign_in (void)
{
  g_autofree char *body = NULL;
  g_autofree char *message = NULL;
  unsigned status = 0;

  body = regie_test_http (url (), "GET", "/api/v1/settings", NULL, NULL, 0, &status, NULL);
  g_assert_cmpuint (status, ==, 401);
  message = test_assert_error (body, 401, "auth");
}

static void
test_settings_method (void)
{
  g_autofree char *beheer = test_login (url (), "beheer");
  g_autofree char *body = NULL;
  unsigned status = 0;

  body = regie_test_http (url (), "POST", "/api/v1/settings", beheer, "{}", 0, &status, NULL);
  g_assert_cmpuint (status, ==, 405);
}

int
main (int   argc,
      char *argv[])
{
  const char * const demo[] = { "--demo", "--dossiers", "0", NULL };
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  server = regie_test_server_start (NULL, demo, &error);
  g_assert_no_error (error);

  g_test_add_func ("/server/settings/get-put", test_settings);
  g_test_add_func ("/server/settings/null", test_settings_null);
  g_test_add_func ("/server/settings/needs-sign-in", test_settings_needs_sign_in);
  g_test_add_func ("/server/settings/method", test_settings_method);

  status = g_test_run ();
  regie_test_server_free (server);

  return status;
}
