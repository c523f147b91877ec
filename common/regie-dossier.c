/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include "regie-record.h"
#include "regie-records.h"

struct _RegieDossier
{
  GObject             parent_instance;

  RegieDossierStatus  status;
  char               *opened_on;
  char               *notified_on;
};

G_DEFINE_FINAL_TYPE (RegieDossier, regie_dossier, G_TYPE_OBJECT)

static void
regie_dossier_finalize (GObject *object)
{
  RegieDossier *self = (RegieDossier *) object;

  g_free (self->opened_on);
  g_free (self->notified_on);

  G_OBJECT_CLASS (regie_dossier_parent_class)->finalize (object);
}

static void
regie_dossier_class_init (RegieDossierClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = regie_dossier_finalize;
}

static void
regie_dossier_init (RegieDossier *self)
{
}

RegieDossier *
regie_dossier_new_from_json (JsonNode  *node,
                             GError   **error)
{
  g_autoptr(RegieRecord) record = NULL;
  RegieDossier *self;

  if (!(record = regie_record_parse (NULL, NULL, REGIE_RECORD_DOSSIER, 0, node, error)))
    return NULL;

  self = g_object_new (REGIE_TYPE_DOSSIER, NULL);
  regie_dossier_status_from_string (regie_record_get_string (record, "status"), &self->status);
  self->opened_on = g_strdup (regie_record_get_string (record, "opened_on"));
  self->notified_on = g_strdup (regie_record_get_string (record, "notified_on"));

  return self;
}

JsonNode *
regie_dossier_to_json (RegieDossier *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  g_return_val_if_fail (REGIE_IS_DOSSIER (self), NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, regie_dossier_status_to_string (self->status));
  json_builder_set_member_name (b, "opened_on");
  json_builder_add_string_value (b, self->opened_on);
  if (self->notified_on != NULL)
    {
      json_builder_set_member_name (b, "notified_on");
      json_builder_add_string_value (b, self->notified_on);
    }
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

RegieDossierStatus
regie_dossier_get_status (RegieDossier *self)
{
  g_return_val_if_fail (REGIE_IS_DOSSIER (self), REGIE_DOSSIER_STATUS_OPEN);
  return self->status;
}

const char *
regie_dossier_get_opened_on (RegieDossier *self)
{
  g_return_val_if_fail (REGIE_IS_DOSSIER (self), NULL);
  return self->opened_on;
}

const char *
regie_dossier_get_notified_on (RegieDossier *self)
{
  g_return_val_if_fail (REGIE_IS_DOSSIER (self), NULL);
  return self->notified_on;
}
