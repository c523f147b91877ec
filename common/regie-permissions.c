/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include "regie-permissions.h"

#define N REGIE_ACCESS_NONE
#define R REGIE_ACCESS_READ
#define W REGIE_ACCESS_WRITE

/* Purpose limitation per role (DOMAIN.md §1, §5). Health is special-category
 * data: only the klantmanager who holds the dossier. Income staff see who
 * someone is and the money, nothing of intake, health, plan or notes. The
 * beheerder manages users and settings and sees no dossier content. */
static const RegieAccess matrix[][REGIE_N_FIELD_CLASSES] = {
  /*                              identity intake health pip progress finance notes admin */
  [REGIE_ROLE_KLANTMANAGER]      = { W,      W,     W,     W,  W,       W,      W,    W },
  [REGIE_ROLE_COORDINATOR]       = { W,      R,     N,     W,  W,       R,      W,    W },
  [REGIE_ROLE_INKOMENSCONSULENT] = { R,      N,     N,     N,  N,       W,      N,    N },
  [REGIE_ROLE_BEHEERDER]         = { N,      N,     N,     N,  N,       N,      N,    N },
};

static const RegieScope scopes[] = {
  [REGIE_ROLE_KLANTMANAGER] = REGIE_SCOPE_OWN,
  [REGIE_ROLE_COORDINATOR] = REGIE_SCOPE_TEAM,
  [REGIE_ROLE_INKOMENSCONSULENT] = REGIE_SCOPE_ONTZORGEN,
  [REGIE_ROLE_BEHEERDER] = REGIE_SCOPE_NONE,
};

RegieScope
regie_permissions_get_scope (RegieRole role)
{
  g_return_val_if_fail ((unsigned) role < G_N_ELEMENTS (scopes), REGIE_SCOPE_NONE);
  return scopes[role];
}

RegieAccess
regie_permissions_get_access (RegieRole       role,
                              RegieFieldClass field_class)
{
  g_return_val_if_fail ((unsigned) role < G_N_ELEMENTS (matrix), REGIE_ACCESS_NONE);
  g_return_val_if_fail ((unsigned) field_class < REGIE_N_FIELD_CLASSES, REGIE_ACCESS_NONE);
  return matrix[role][field_class];
}

gboolean
regie_permissions_may_read (RegieRole       role,
                            RegieRecordKind kind)
{
  g_return_val_if_fail ((unsigned) kind < REGIE_N_RECORD_KINDS, FALSE);

  /* Everyone who may see any of a dossier sees the dossier record and its
   * assignment, so a client knows what it holds and who is responsible. */
  if ((kind == REGIE_RECORD_DOSSIER || kind == REGIE_RECORD_ASSIGNMENT) &&
      regie_permissions_get_scope (role) != REGIE_SCOPE_NONE)
    return TRUE;

  return regie_permissions_get_access (role, regie_kind_spec_get (kind)->field_class) >= REGIE_ACCESS_READ;
}

gboolean
regie_permissions_may_write (RegieRole       role,
                             RegieRecordKind kind)
{
  g_return_val_if_fail ((unsigned) kind < REGIE_N_RECORD_KINDS, FALSE);

  /* Who holds a dossier, and opening it, is the coordinator's decision. */
  if (kind == REGIE_RECORD_ASSIGNMENT || kind == REGIE_RECORD_DOSSIER)
    return role == REGIE_ROLE_COORDINATOR;

  return regie_permissions_get_access (role, regie_kind_spec_get (kind)->field_class) == REGIE_ACCESS_WRITE;
}

gboolean
regie_permissions_may_read_access_log (RegieRole role)
{
  g_return_val_if_fail ((unsigned) role < G_N_ELEMENTS (scopes), FALSE);

  /* Steering the team: the coordinator. Neither the beheerder (accounts
   * and devices, no dossiers) nor anyone working on single dossiers. */
  return scopes[role] == REGIE_SCOPE_TEAM;
}

gboolean
regie_permissions_in_scope (RegieRole   role,
                            const char *username,
                            const char *user_team,
                            const char *dossier_team,
                            const char *dossier_klantmanager,
                            gboolean    dossier_has_ontzorgen)
{
  switch (regie_permissions_get_scope (role))
    {
    case REGIE_SCOPE_OWN:
      return username != NULL && g_strcmp0 (username, dossier_klantmanager) == 0;
    case REGIE_SCOPE_TEAM:
      return user_team != NULL && g_strcmp0 (user_team, dossier_team) == 0;
    case REGIE_SCOPE_ONTZORGEN:
      return dossier_has_ontzorgen;
    case REGIE_SCOPE_MUNICIPALITY:
      return TRUE;
    case REGIE_SCOPE_NONE:
    default:
      return FALSE;
    }
}

const char *
regie_scope_to_string (RegieScope scope)
{
  switch (scope)
    {
    case REGIE_SCOPE_OWN: return "own";
    case REGIE_SCOPE_TEAM: return "team";
    case REGIE_SCOPE_ONTZORGEN: return "ontzorgen";
    case REGIE_SCOPE_MUNICIPALITY: return "municipality";
    case REGIE_SCOPE_NONE:
    default: return "none";
    }
}

const char *
regie_access_to_string (RegieAccess access)
{
  switch (access)
    {
    case REGIE_ACCESS_READ: return "read";
    case REGIE_ACCESS_WRITE: return "write";
    case REGIE_ACCESS_NONE:
    default: return "none";
    }
}
