/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include "regie-record.h"
#include "regie-records.h"

struct _RegieAssignment
{
  GObject  parent_instance;

  char    *team;
  char    *klantmanager;
};

G_DEFINE_FINAL_TYPE (RegieAssignment, regie_assignment, G_TYPE_OBJECT)

static void
regie_assignment_finalize (GObject *object)
{
  RegieAssignment *self = (RegieAssignment *) object;

  g_free (self->team);
  g_free (self->klantmanager);

  G_OBJECT_CLASS (regie_assignment_parent_class)->finalize (object);
}

static void
regie_assignment_class_init (RegieAssignmentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = regie_assignment_finalize;
}

static void
regie_assignment_init (RegieAssignment *self)
{
}

RegieAssignment *
regie_assignment_new_from_json (JsonNode  *node,
                                GError   **error)
{
  g_autoptr(RegieRecord) record = NULL;
  RegieAssignment *self;

  if (!(record = regie_record_parse (NULL, NULL, REGIE_RECORD_ASSIGNMENT, 0, node, error)))
    return NULL;

  self = g_object_new (REGIE_TYPE_ASSIGNMENT, NULL);
  self->team = g_strdup (regie_record_get_string (record, "team"));
  self->klantmanager = g_strdup (regie_record_get_string (record, "klantmanager"));

  return self;
}

JsonNode *
regie_assignment_to_json (RegieAssignment *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  g_return_val_if_fail (REGIE_IS_ASSIGNMENT (self), NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "team");
  json_builder_add_string_value (b, self->team);
  json_builder_set_member_name (b, "klantmanager");
  json_builder_add_string_value (b, self->klantmanager);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

const char *
regie_assignment_get_team (RegieAssignment *self)
{
  g_return_val_if_fail (REGIE_IS_ASSIGNMENT (self), NULL);
  return self->team;
}

const char *
regie_assignment_get_klantmanager (RegieAssignment *self)
{
  g_return_val_if_fail (REGIE_IS_ASSIGNMENT (self), NULL);
  return self->klantmanager;
}
