/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <glib.h>

#include "regie-types.h"

G_BEGIN_DECLS

/* A signed-in user as the server sees it: what scope checks need. */
typedef struct
{
  char      *username;
  char      *display_name;
  RegieRole  role;
  char      *team;        /* NULL for users without a team */
  gint64     expires_at;  /* session expiry, µs since the epoch; 0 if none */
  gboolean   disabled;    /* only filled in by regie_server_db_list_users */
  char      *device_id;   /* the device the session is bound to, or NULL */
  gboolean   revoked;     /* the session's device was revoked (lookup_session) */
} RegieServerUser;

RegieServerUser *regie_server_user_new  (const char      *username,
                                         const char      *display_name,
                                         RegieRole        role,
                                         const char      *team);
RegieServerUser *regie_server_user_copy (const RegieServerUser *user);
void             regie_server_user_free (RegieServerUser *user);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RegieServerUser, regie_server_user_free)

G_END_DECLS
