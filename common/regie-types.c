/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include <string.h>

#include "regie-schema.h"
#include "regie-types.h"

static const char * const role_names[] = {
  [REGIE_ROLE_KLANTMANAGER] = "klantmanager",
  [REGIE_ROLE_COORDINATOR] = "coordinator",
  [REGIE_ROLE_INKOMENSCONSULENT] = "inkomensconsulent",
  [REGIE_ROLE_BEHEERDER] = "beheerder",
};

static const char * const doelgroep_names[] = {
  [REGIE_DOELGROEP_ASIELSTATUSHOUDER] = "asielstatushouder",
  [REGIE_DOELGROEP_GEZINSMIGRANT] = "gezinsmigrant",
  [REGIE_DOELGROEP_OVERIGE_MIGRANT] = "overige_migrant",
};

static const char * const status_names[] = {
  [REGIE_DOSSIER_STATUS_OPEN] = "open",
  [REGIE_DOSSIER_STATUS_CLOSED] = "closed",
};

static int
lookup (const char * const *names,
        int                 n_names,
        const char         *str)
{
  if (str == NULL)
    return -1;
  for (int i = 0; i < n_names; i++)
    if (strcmp (names[i], str) == 0)
      return i;
  return -1;
}

#define DEFINE_ENUM_STRINGS(prefix, Type, names)                        \
  const char *                                                          \
  prefix##_to_string (Type value)                                       \
  {                                                                     \
    g_return_val_if_fail ((unsigned) value < G_N_ELEMENTS (names), NULL); \
    return names[value];                                                \
  }                                                                     \
  gboolean                                                              \
  prefix##_from_string (const char *str,                                \
                        Type       *out)                                \
  {                                                                     \
    int i = lookup (names, G_N_ELEMENTS (names), str);                  \
    if (i < 0)                                                          \
      return FALSE;                                                     \
    if (out != NULL)                                                    \
      *out = (Type) i;                                                  \
    return TRUE;                                                        \
  }

DEFINE_ENUM_STRINGS (regie_role, RegieRole, role_names)
DEFINE_ENUM_STRINGS (regie_doelgroep, RegieDoelgroep, doelgroep_names)
DEFINE_ENUM_STRINGS (regie_dossier_status, RegieDossierStatus, status_names)

const char *
regie_record_kind_to_string (RegieRecordKind kind)
{
  g_return_val_if_fail ((unsigned) kind < REGIE_N_RECORD_KINDS, NULL);
  return regie_kind_spec_get (kind)->name;
}

gboolean
regie_record_kind_from_string (const char      *str,
                               RegieRecordKind *out)
{
  for (int i = 0; str != NULL && i < REGIE_N_RECORD_KINDS; i++)
    if (strcmp (regie_kind_spec_get (i)->name, str) == 0)
      {
        if (out != NULL)
          *out = (RegieRecordKind) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
regie_record_kind_is_append_only (RegieRecordKind kind)
{
  g_return_val_if_fail ((unsigned) kind < REGIE_N_RECORD_KINDS, FALSE);
  return regie_kind_spec_get (kind)->append_only;
}
