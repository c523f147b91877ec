/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieServer"

#include "config.h"

#include "regie-server-user.h"

RegieServerUser *
regie_server_user_new (const char *username,
                       const char *display_name,
                       RegieRole   role,
                       const char *team)
{
  RegieServerUser *user;

  g_return_val_if_fail (username != NULL, NULL);

  user = g_new0 (RegieServerUser, 1);
  user->username = g_strdup (username);
  user->display_name = g_strdup (display_name != NULL ? display_name : username);
  user->role = role;
  user->team = (team != NULL && *team != '\0') ? g_strdup (team) : NULL;

  return user;
}

RegieServerUser *
regie_server_user_copy (const RegieServerUser *user)
{
  RegieServerUser *copy;

  g_return_val_if_fail (user != NULL, NULL);

  copy = regie_server_user_new (user->username, user->display_name, user->role, user->team);
  copy->expires_at = user->expires_at;
  copy->disabled = user->disabled;
  copy->device_id = g_strdup (user->device_id);
  copy->revoked = user->revoked;

  return copy;
}

void
regie_server_user_free (RegieServerUser *user)
{
  if (user == NULL)
    return;

  g_free (user->username);
  g_free (user->display_name);
  g_free (user->team);
  g_free (user->device_id);
  g_free (user);
}
