/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include "regie-schema.h"
#include "regie-settings.h"

static const RegieFieldSpec settings_fields[] = {
  { .name = "leefgeld_threshold_cents", .type = REGIE_FIELD_MONEY, .min = 0, .max = 1000000,
    .doc = "signal leefgeld_low below this amount a month (default €150)" },
  { .name = "progress_talk_weeks", .type = REGIE_FIELD_INT, .min = 1, .max = 52,
    .doc = "weeks between progress talks when the PIP sets none (default 12)" },
  { .name = "fine_asylum_status_holders", .type = REGIE_FIELD_BOOL,
    .doc = "whether asylum status holders are fined at all (default false)" },
  { .name = "retention_months", .type = REGIE_FIELD_INT, .min = 1, .max = 1200,
    .doc = "months after closing before a dossier is purged (default 60)" },
  { .name = "pip_due_lead_days", .type = REGIE_FIELD_INT, .min = 0, .max = 70,
    .doc = "days before pip_due that pip_due_soon appears (default 14)" },
  { .name = "toeslag_grace_days", .type = REGIE_FIELD_INT, .min = 0, .max = 90,
    .doc = "days after a toeslag's expected date before toeslag_late (default 0)" },
  { .name = "free_exam_attempts", .type = REGIE_FIELD_INT, .min = 1, .max = 10,
    .doc = "free attempts per exam part for asylum status holders (default 3)" },
  { .name = NULL }
};

void
regie_settings_init_defaults (RegieSettings *settings)
{
  g_return_if_fail (settings != NULL);

  settings->leefgeld_threshold_cents = 15000;
  settings->progress_talk_weeks = 12;
  settings->fine_asylum_status_holders = FALSE;
  settings->retention_months = 60;
  settings->pip_due_lead_days = 14;
  settings->toeslag_grace_days = 0;
  settings->free_exam_attempts = 3;
}

gboolean
regie_settings_from_json (RegieSettings  *settings,
                          JsonNode       *node,
                          GError        **error)
{
  g_autoptr(JsonNode) canonical = NULL;
  JsonObject *o;
  JsonNode *n;

  g_return_val_if_fail (settings != NULL, FALSE);

  if (!(canonical = regie_schema_canonicalize (settings_fields, "settings", node, REGIE_SCHEMA_STRICT, error)))
    return FALSE;

  o = json_node_get_object (canonical);
  if ((n = json_object_get_member (o, "leefgeld_threshold_cents")))
    settings->leefgeld_threshold_cents = json_node_get_int (n);
  if ((n = json_object_get_member (o, "progress_talk_weeks")))
    settings->progress_talk_weeks = (int) json_node_get_int (n);
  if ((n = json_object_get_member (o, "fine_asylum_status_holders")))
    settings->fine_asylum_status_holders = json_node_get_boolean (n);
  if ((n = json_object_get_member (o, "retention_months")))
    settings->retention_months = (int) json_node_get_int (n);
  if ((n = json_object_get_member (o, "pip_due_lead_days")))
    settings->pip_due_lead_days = (int) json_node_get_int (n);
  if ((n = json_object_get_member (o, "toeslag_grace_days")))
    settings->toeslag_grace_days = (int) json_node_get_int (n);
  if ((n = json_object_get_member (o, "free_exam_attempts")))
    settings->free_exam_attempts = (int) json_node_get_int (n);

  return TRUE;
}

JsonNode *
regie_settings_to_json (const RegieSettings *settings)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  g_return_val_if_fail (settings != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "leefgeld_threshold_cents");
  json_builder_add_int_value (b, settings->leefgeld_threshold_cents);
  json_builder_set_member_name (b, "progress_talk_weeks");
  json_builder_add_int_value (b, settings->progress_talk_weeks);
  json_builder_set_member_name (b, "fine_asylum_status_holders");
  json_builder_add_boolean_value (b, settings->fine_asylum_status_holders);
  json_builder_set_member_name (b, "retention_months");
  json_builder_add_int_value (b, settings->retention_months);
  json_builder_set_member_name (b, "pip_due_lead_days");
  json_builder_add_int_value (b, settings->pip_due_lead_days);
  json_builder_set_member_name (b, "toeslag_grace_days");
  json_builder_add_int_value (b, settings->toeslag_grace_days);
  json_builder_set_member_name (b, "free_exam_attempts");
  json_builder_add_int_value (b, settings->free_exam_attempts);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}
