/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieSync"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "regie-api-private.h"
#include "regie-error.h"
#include "regie-lease.h"
#include "regie-sync.h"
#include "regie-sync-engine.h"

#define REQUEST_TIMEOUT_SECONDS 30

#define PINS_GROUP          "pins"
#define PIN_MISMATCH_KEY    "regie-pin-mismatch"
#define CERTIFICATE_CHANGED "Server identity changed"


/* ---- certificate pinning (trust on first use) ---------------------------- */

static char *
pins_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "regie", "pins.ini", NULL);
}

/* "host:port" as the pins file keys it: the host as GUri gives it (IPv6
 * without brackets), lower case; the port explicit. */
static char *
pin_key_for_uri (GUri *uri)
{
  g_autofree char *host = NULL;
  int port;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return NULL;

  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  port = g_uri_get_port (uri);
  if (port <= 0)
    port = g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;

  return g_strdup_printf ("%s:%d", host, port);
}

static char *
pin_key_for_url (const char *server_url)
{
  g_autoptr(GUri) uri = g_uri_parse (server_url, SOUP_HTTP_URI_FLAGS, NULL);

  return pin_key_for_uri (uri);
}

static GKeyFile *
pins_load (void)
{
  g_autofree char *path = pins_path ();
  g_autoptr(GKeyFile) pins = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  if (!g_key_file_load_from_file (pins, path, G_KEY_FILE_NONE, &error) &&
      !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_warning ("Could not read the pinned certificates in %s: %s", path, error->message);

  return g_steal_pointer (&pins);
}

static gboolean
pins_save (GKeyFile  *pins,
           GError   **error)
{
  g_autofree char *path = pins_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  gsize len = 0;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Could not create %s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }

  data = g_key_file_to_data (pins, &len, NULL);
  return g_file_set_contents_full (path, data, (gssize) len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static char *
certificate_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *hex = NULL;
  GString *out;

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;

  /* The same form as the server's "certificate sha256" line, so that an
   * admin can compare the two by eye. */
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

/* Every certificate passes through here (the session has no CA
 * database, so validation always "fails"): the first one a server shows
 * is pinned; afterwards only that one is accepted. */
static gboolean
accept_certificate_cb (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  g_autoptr(GKeyFile) pins = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = pin_key_for_uri (soup_message_get_uri (message));
  g_autofree char *fingerprint = certificate_fingerprint (certificate);
  g_autofree char *pinned = NULL;

  if (key == NULL || fingerprint == NULL)
    return FALSE;

  pins = pins_load ();
  pinned = g_key_file_get_string (pins, PINS_GROUP, key, NULL);

  if (pinned != NULL)
    {
      if (g_ascii_strcasecmp (pinned, fingerprint) == 0)
        return TRUE;

      g_message ("The certificate of %s changed: pinned %s, offered %s; refused",
                 key, pinned, fingerprint);
      g_object_set_data_full (G_OBJECT (message), PIN_MISMATCH_KEY,
                              g_strdup_printf ("%s: the certificate of %s (sha256 %s) is not "
                                               "the one pinned (sha256 %s)",
                                               CERTIFICATE_CHANGED, key, fingerprint, pinned),
                              g_free);
      return FALSE;
    }

  /* Trust on first use, but not a certificate that is broken anyway. */
  if (errors & (G_TLS_CERTIFICATE_EXPIRED | G_TLS_CERTIFICATE_NOT_ACTIVATED |
                G_TLS_CERTIFICATE_REVOKED | G_TLS_CERTIFICATE_INSECURE))
    {
      g_debug ("First certificate of %s refused (flags 0x%x)", key, errors);
      return FALSE;
    }

  g_key_file_set_string (pins, PINS_GROUP, key, fingerprint);
  if (!pins_save (pins, &error))
    g_warning ("Could not pin the certificate of %s: %s", key, error->message);
  else
    g_debug ("Pinned the certificate of %s: sha256 %s", key, fingerprint);

  return TRUE;
}

char *
regie_api_dup_pin (const char *server_url)
{
  g_autoptr(GKeyFile) pins = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (server_url != NULL, NULL);

  if ((key = pin_key_for_url (server_url)) == NULL)
    return NULL;

  pins = pins_load ();
  return g_key_file_get_string (pins, PINS_GROUP, key, NULL);
}

gboolean
regie_api_forget_pin (const char  *server_url,
                      GError     **error)
{
  g_autoptr(GKeyFile) pins = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (server_url != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if ((key = pin_key_for_url (server_url)) == NULL)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                   "Not a server address: %s", server_url);
      return FALSE;
    }

  pins = pins_load ();
  if (!g_key_file_remove_key (pins, PINS_GROUP, key, NULL))
    return TRUE;

  g_message ("Forgot the pinned certificate of %s", key);
  return pins_save (pins, error);
}

gboolean
regie_api_error_is_certificate_change (const GError *error)
{
  return error != NULL && g_error_matches (error, REGIE_ERROR, REGIE_ERROR_NETWORK) &&
         g_str_has_prefix (error->message, CERTIFICATE_CHANGED ":");
}

SoupSession *
regie_api_session_new (void)
{
  SoupSession *session;

  session = soup_session_new_with_options ("timeout", REQUEST_TIMEOUT_SECONDS,
                                           "idle-timeout", 60,
                                           "user-agent", "Regie/" PACKAGE_VERSION,
                                           NULL);
  /* No CA database: every certificate goes to accept_certificate_cb and
   * is checked against its pin, even one a CA vouches for. */
  soup_session_set_tls_database (session, NULL);

  return session;
}

SoupMessage *
regie_api_message_new (const char *method,
                       const char *server_url,
                       const char *path_and_query,
                       const char *token,
                       GBytes     *json_body)
{
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  SoupMessageHeaders *headers;
  SoupMessage *message;
  gsize len;

  g_assert (server_url != NULL);
  g_assert (path_and_query != NULL && path_and_query[0] == '/');

  base = g_strdup (server_url);
  len = strlen (base);
  while (len > 0 && base[len - 1] == '/')
    base[--len] = '\0';
  url = g_strconcat (base, path_and_query, NULL);

  message = soup_message_new (method, url);
  if (message == NULL)
    return NULL;

  g_signal_connect (message, "accept-certificate", G_CALLBACK (accept_certificate_cb), NULL);

  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, REGIE_PROTOCOL_HEADER,
                                G_STRINGIFY (REGIE_PROTOCOL_VERSION));
  if (token != NULL && token[0] != '\0')
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (headers, "Authorization", auth);
    }

  if (json_body != NULL)
    soup_message_set_request_body_from_bytes (message, "application/json", json_body);

  return message;
}

GError *
regie_api_send_error (SoupMessage *message,
                      GError      *error)
{
  const char *mismatch = g_object_get_data (G_OBJECT (message), PIN_MISMATCH_KEY);

  if (mismatch != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      GError *ret = g_error_new_literal (REGIE_ERROR, REGIE_ERROR_NETWORK, mismatch);

      g_error_free (error);
      return ret;
    }

  return regie_api_transport_error (error);
}

GError *
regie_api_transport_error (GError *error)
{
  GError *ret;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      error->domain == REGIE_ERROR)
    return error;

  /* Refused, unreachable, timed out, reset, cut off mid-body, name not
   * resolved: to the caseworker all of these mean "the server cannot be
   * reached now", and their edits wait in the outbox. */
  ret = g_error_new (REGIE_ERROR, REGIE_ERROR_NETWORK,
                     "Server not reachable: %s", error->message);
  g_error_free (error);
  return ret;
}

gboolean
regie_api_check_status (SoupMessage  *message,
                        GBytes       *body,
                        GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  unsigned status = soup_message_get_status (message);
  const char *data = NULL;
  gsize len = 0;

  if (status >= 200 && status < 300)
    return TRUE;

  /* Too many failed sign-ins: a translated message that says how long to
   * wait, which the sign-in page shows as it is. */
  if (status == 429)
    {
      const char *retry = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                        "Retry-After");
      guint64 seconds = 0;
      gulong minutes;

      if (retry == NULL || !g_ascii_string_to_unsigned (retry, 10, 1, G_MAXINT, &seconds, NULL))
        seconds = 60;
      minutes = (gulong) MAX ((seconds + 59) / 60, 1);

      g_set_error (error, REGIE_ERROR, REGIE_ERROR_THROTTLED,
                   /* Translators: shown after too many wrong passwords; %lu is a number of minutes */
                   g_dngettext (GETTEXT_PACKAGE,
                                "too many failed sign-in attempts; wait %lu minute",
                                "too many failed sign-in attempts; wait %lu minutes",
                                minutes),
                   minutes);
      return FALSE;
    }


  if (body != NULL)
    data = g_bytes_get_data (body, &len);

  regie_error_body_parse (data != NULL ? data : "", len, status, &local_error);
  if (local_error == NULL || local_error->domain != REGIE_ERROR)
    {
      g_clear_error (&local_error);
      local_error = g_error_new (REGIE_ERROR, regie_error_from_http_status (status),
                                 "HTTP %u %s", status,
                                 soup_message_get_reason_phrase (message)
                                   ? soup_message_get_reason_phrase (message) : "");
    }

  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* ---- devices ------------------------------------------------------------- */

static char *
device_id_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "regie", "device-id", NULL);
}

char *
regie_device_dup_id (GError **error)
{
  g_autofree char *path = device_id_path ();
  g_autofree char *dir = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *id = NULL;

  if (g_file_get_contents (path, &contents, NULL, NULL))
    {
      g_strstrip (contents);
      if (g_uuid_string_is_valid (contents))
        return g_ascii_strdown (contents, -1);
      g_warning ("The device id in %s is not a UUID; making a new one", path);
    }

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE,
                   "Could not create %s: %s", dir, g_strerror (saved_errno));
      return NULL;
    }

  id = g_uuid_string_random ();
  if (!g_file_set_contents_full (path, id, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return NULL;

  return g_steal_pointer (&id);
}

char *
regie_device_dup_name (void)
{
  g_autofree char *name = g_strdup (g_get_host_name ());

  /* The server wants 1…200 bytes of printable text. */
  g_strcanon (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_ ", '_');
  if (strlen (name) > 200)
    name[200] = '\0';
  if (*name == '\0')
    return g_strdup ("unknown");

  return g_steal_pointer (&name);
}

gboolean
regie_api_error_is_revoked (const GError *error)
{
  return g_error_matches (error, REGIE_ERROR, REGIE_ERROR_REVOKED);
}

/* ---- login --------------------------------------------------------------- */

void
regie_account_free (RegieAccount *account)
{
  if (account == NULL)
    return;

  g_free (account->username);
  g_free (account->display_name);
  g_free (account->role);
  g_free (account->team);
  if (account->token != NULL)
    memset (account->token, 0, strlen (account->token));
  g_free (account->token);
  g_free (account);
}

typedef struct
{
  SoupSession *session;
  SoupMessage *message;
  char        *store_path;   /* of this user and server: lease, wipe */
} LoginData;

static void
login_data_free (LoginData *data)
{
  g_clear_object (&data->session);
  g_clear_object (&data->message);
  g_free (data->store_path);
  g_free (data);
}

static char *
dup_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return g_strdup (json_node_get_string (node));
}

static RegieAccount *
parse_login_response (GBytes  *body,
                      GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(RegieAccount) account = NULL;
  JsonObject *root;
  JsonObject *user;
  JsonNode *user_node;
  const char *data;
  gsize len;

  data = g_bytes_get_data (body, &len);
  if (!json_parser_load_from_data (parser, data, len, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    goto bad;

  root = json_node_get_object (json_parser_get_root (parser));
  user_node = json_object_get_member (root, "user");
  if (user_node == NULL || !JSON_NODE_HOLDS_OBJECT (user_node))
    goto bad;
  user = json_node_get_object (user_node);

  account = g_new0 (RegieAccount, 1);
  account->token = dup_member (root, "token");
  account->username = dup_member (user, "username");
  account->display_name = dup_member (user, "display_name");
  account->role = dup_member (user, "role");
  account->team = dup_member (user, "team");

  if (account->token == NULL || account->username == NULL || account->role == NULL)
    goto bad;
  if (account->display_name == NULL)
    account->display_name = g_strdup (account->username);

  return g_steal_pointer (&account);

bad:
  g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                       "The server's sign-in answer is not understood");
  return NULL;
}

static void
login_send_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoginData *data = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  RegieAccount *account;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, regie_api_send_error (data->message, g_steal_pointer (&error)));
      return;
    }

  if (!regie_api_check_status (data->message, body, &error))
    {
      /* A revoked device loses its copy on the first contact, even when
       * the sign-in is all that reaches the server. */
      if (regie_api_error_is_revoked (error))
        {
          g_autoptr(GError) wipe_error = NULL;

          if (!regie_lease_wipe_store (data->store_path, &wipe_error))
            g_warning ("%s", wipe_error->message);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  regie_lease_note_response (data->store_path, data->message);

  account = parse_login_response (body, &error);
  if (account == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, account, (GDestroyNotify) regie_account_free);
}

void
regie_api_login_async (const char          *server_url,
                       const char          *username,
                       const char          *password,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) device_error = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *device_name = NULL;
  SoupSession *session;
  SoupMessage *message;
  LoginData *data;
  char *text;
  gsize len;

  g_return_if_fail (server_url != NULL);
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, regie_api_login_async);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  /* The session is bound to this device, so that a beheerder can revoke
   * it (docs/protocol.md). Without an id the sign-in still works. */
  device_id = regie_device_dup_id (&device_error);
  if (device_id != NULL)
    {
      device_name = regie_device_dup_name ();
      json_builder_set_member_name (builder, "device_id");
      json_builder_add_string_value (builder, device_id);
      json_builder_set_member_name (builder, "device_name");
      json_builder_add_string_value (builder, device_name);
    }
  else
    g_warning ("Signing in without a device id: %s", device_error->message);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);
  body = g_bytes_new_take (text, len);

  data = g_new0 (LoginData, 1);
  data->session = regie_api_session_new ();
  data->message = regie_api_message_new ("POST", server_url, "/api/v1/session", NULL, body);
  data->store_path = regie_store_path_for (server_url, username);
  g_task_set_task_data (task, data, (GDestroyNotify) login_data_free);

  if (data->message == NULL)
    {
      g_task_return_new_error (task, REGIE_ERROR, REGIE_ERROR_INVALID,
                               "Not a server address: %s", server_url);
      return;
    }

  session = data->session;
  message = data->message;
  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT,
                                    cancellable, login_send_cb, g_steal_pointer (&task));
}

RegieAccount *
regie_api_login_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == regie_api_login_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
