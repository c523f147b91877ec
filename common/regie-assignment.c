/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include "regie-error.h"
#include "regie-json-private.h"
#include "regie-records.h"
#include "regie-util.h"

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

/* Team ids and user names: 1-64 characters of [a-z0-9._-]. */
static gboolean
is_identifier (const char *s)
{
  gsize n = 0;

  for (; s[n] != '\0'; n++)
    {
      char c = s[n];
      if (!(g_ascii_islower (c) || g_ascii_isdigit (c) || c == '.' || c == '_' || c == '-'))
        return FALSE;
    }
  return n >= 1 && n <= 64;
}

RegieAssignment *
regie_assignment_new_from_json (JsonNode  *node,
                                GError   **error)
{
  static const char * const members[] = { "team", "klantmanager", NULL };
  g_autoptr(RegieAssignment) self = NULL;
  JsonObject *object;
  const char *team, *klantmanager = NULL;
  GError *local_error = NULL;

  if (!(object = regie_json_expect_object (node, "assignment", error)) ||
      !regie_json_check_members (object, "assignment", members, error))
    return NULL;

  team = regie_json_get_string (object, "assignment", "team", TRUE, &local_error);
  if (!local_error)
    klantmanager = regie_json_get_string (object, "assignment", "klantmanager", TRUE, &local_error);
  if (local_error)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (!is_identifier (team) || !is_identifier (klantmanager))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                           "assignment: team and klantmanager must be identifiers");
      return NULL;
    }

  self = g_object_new (REGIE_TYPE_ASSIGNMENT, NULL);
  self->team = g_strdup (team);
  self->klantmanager = g_strdup (klantmanager);

  return g_steal_pointer (&self);
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
