/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  REGIE_ROLE_KLANTMANAGER,
  REGIE_ROLE_COORDINATOR,
  REGIE_ROLE_INKOMENSCONSULENT,
  REGIE_ROLE_BEHEERDER,
} RegieRole;

typedef enum
{
  REGIE_DOELGROEP_ASIELSTATUSHOUDER,
  REGIE_DOELGROEP_GEZINSMIGRANT,
  REGIE_DOELGROEP_OVERIGE_MIGRANT,
} RegieDoelgroep;

typedef enum
{
  REGIE_DOSSIER_STATUS_OPEN,
  REGIE_DOSSIER_STATUS_CLOSED,
} RegieDossierStatus;

/* The kinds of record a dossier owns; the wire names are stable. */
typedef enum
{
  REGIE_RECORD_DOSSIER,
  REGIE_RECORD_PERSON,
  REGIE_RECORD_ASSIGNMENT,
  REGIE_RECORD_NOTE,
  REGIE_RECORD_HOUSEHOLD_MEMBER,
  REGIE_RECORD_DUO_NOTIFICATION,
  REGIE_RECORD_INTAKE_LEERBAARHEID,
  REGIE_RECORD_INTAKE_EDUCATION,
  REGIE_RECORD_INTAKE_CIRCUMSTANCES,
  REGIE_RECORD_INTAKE_HEALTH,
  REGIE_RECORD_PIP,
  REGIE_RECORD_LESSON_HOURS,
  REGIE_RECORD_PARTICIPATION_HOURS,
  REGIE_RECORD_PVT,
  REGIE_RECORD_MAP,
  REGIE_RECORD_ZROUTE_EINDGESPREK,
  REGIE_RECORD_EXAM,
  REGIE_RECORD_PROGRESS_TALK,
  REGIE_RECORD_SIGNAL,
  REGIE_RECORD_DUO_DECISION,
  REGIE_RECORD_HANDHAVING,
  REGIE_RECORD_ONTZORGEN,
  REGIE_RECORD_ONTZORGEN_MONTH,
  REGIE_RECORD_BRIDGING_LOAN,
  REGIE_RECORD_HANDOVER,
  REGIE_RECORD_CLOSURE,
  REGIE_N_RECORD_KINDS,
} RegieRecordKind;

const char *regie_role_to_string        (RegieRole       role);
gboolean    regie_role_from_string      (const char     *str,
                                         RegieRole      *out_role);
const char *regie_doelgroep_to_string   (RegieDoelgroep  doelgroep);
gboolean    regie_doelgroep_from_string (const char     *str,
                                         RegieDoelgroep *out_doelgroep);
const char *regie_dossier_status_to_string   (RegieDossierStatus  status);
gboolean    regie_dossier_status_from_string (const char         *str,
                                              RegieDossierStatus *out_status);
const char *regie_record_kind_to_string   (RegieRecordKind  kind);
gboolean    regie_record_kind_from_string (const char      *str,
                                           RegieRecordKind *out_kind);
/* Append-only kinds are created once and never changed or conflicted. */
gboolean    regie_record_kind_is_append_only (RegieRecordKind kind);

G_END_DECLS
