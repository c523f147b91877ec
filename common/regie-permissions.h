/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include "regie-schema.h"
#include "regie-types.h"

G_BEGIN_DECLS

/* The permission matrix: role × field class × scope, in this one place.
 * The server enforces it on every endpoint and every pulled record; the
 * client reads it only to hide what cannot be done. docs/permissions.md
 * writes it out. */

typedef enum
{
  REGIE_SCOPE_NONE,          /* no dossiers at all */
  REGIE_SCOPE_OWN,           /* dossiers assigned to the user */
  REGIE_SCOPE_TEAM,          /* dossiers of the user's team */
  REGIE_SCOPE_ONTZORGEN,     /* every dossier with an ontzorgen arrangement */
  REGIE_SCOPE_MUNICIPALITY,  /* every dossier */
} RegieScope;

typedef enum
{
  REGIE_ACCESS_NONE,
  REGIE_ACCESS_READ,
  REGIE_ACCESS_WRITE,        /* implies read */
} RegieAccess;

RegieScope   regie_permissions_get_scope     (RegieRole        role);
RegieAccess  regie_permissions_get_access    (RegieRole        role,
                                              RegieFieldClass  field_class);
/* Per kind: the field class's access, narrowed for kinds only some roles
 * may change (the assignment and the dossier record itself). */
gboolean     regie_permissions_may_read      (RegieRole        role,
                                              RegieRecordKind  kind);
gboolean     regie_permissions_may_write     (RegieRole        role,
                                              RegieRecordKind  kind);
/* Who may read a dossier's access log (who read and wrote it when; user
 * names and field classes, never content): whoever steers the team, for
 * the dossiers of their scope. */
gboolean     regie_permissions_may_read_access_log (RegieRole  role);
/* Whether a dossier assigned to `dossier_klantmanager` in `dossier_team`
 * (with or without an ontzorgen record) lies within the scope of
 * `username` of `user_team` in `role`. */
gboolean     regie_permissions_in_scope      (RegieRole        role,
                                              const char      *username,
                                              const char      *user_team,
                                              const char      *dossier_team,
                                              const char      *dossier_klantmanager,
                                              gboolean         dossier_has_ontzorgen);

const char  *regie_scope_to_string           (RegieScope       scope);
const char  *regie_access_to_string          (RegieAccess      access);

G_END_DECLS
