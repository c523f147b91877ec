/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include "regie-error.h"
#include "regie-json-private.h"
#include "regie-records.h"
#include "regie-util.h"

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
  static const char * const members[] = { "status", "opened_on", "notified_on", NULL };
  g_autoptr(RegieDossier) self = NULL;
  JsonObject *object;
  const char *status, *opened_on = NULL, *notified_on = NULL;
  GError *local_error = NULL;

  if (!(object = regie_json_expect_object (node, "dossier", error)) ||
      !regie_json_check_members (object, "dossier", members, error))
    return NULL;

  status = regie_json_get_string (object, "dossier", "status", TRUE, &local_error);
  if (!local_error)
    opened_on = regie_json_get_string (object, "dossier", "opened_on", TRUE, &local_error);
  if (!local_error)
    notified_on = regie_json_get_string (object, "dossier", "notified_on", FALSE, &local_error);
  if (local_error)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  self = g_object_new (REGIE_TYPE_DOSSIER, NULL);
  if (!regie_dossier_status_from_string (status, &self->status))
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                   "dossier: unknown status \"%s\"", status);
      return NULL;
    }
  if (!regie_date_is_valid (opened_on) ||
      (notified_on != NULL && !regie_date_is_valid (notified_on)))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                           "dossier: dates must be valid YYYY-MM-DD dates");
      return NULL;
    }

  self->opened_on = g_strdup (opened_on);
  self->notified_on = g_strdup (notified_on);

  return g_steal_pointer (&self);
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
