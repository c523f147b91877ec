/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include "regie-record.h"
#include "regie-records.h"

struct _RegiePerson
{
  GObject         parent_instance;

  char           *bsn;
  char           *v_number;
  char           *given_names;
  char           *family_name;
  char           *birth_date;
  RegieDoelgroep  doelgroep;
};

G_DEFINE_FINAL_TYPE (RegiePerson, regie_person, G_TYPE_OBJECT)

static void
regie_person_finalize (GObject *object)
{
  RegiePerson *self = (RegiePerson *) object;

  g_free (self->bsn);
  g_free (self->v_number);
  g_free (self->given_names);
  g_free (self->family_name);
  g_free (self->birth_date);

  G_OBJECT_CLASS (regie_person_parent_class)->finalize (object);
}

static void
regie_person_class_init (RegiePersonClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = regie_person_finalize;
}

static void
regie_person_init (RegiePerson *self)
{
}

RegiePerson *
regie_person_new_from_json (JsonNode  *node,
                            GError   **error)
{
  g_autoptr(RegieRecord) record = NULL;
  RegiePerson *self;

  if (!(record = regie_record_parse (NULL, NULL, REGIE_RECORD_PERSON, 0, node, error)))
    return NULL;

  self = g_object_new (REGIE_TYPE_PERSON, NULL);
  self->bsn = g_strdup (regie_record_get_string (record, "bsn"));
  self->v_number = g_strdup (regie_record_get_string (record, "v_number"));
  self->given_names = g_strdup (regie_record_get_string (record, "given_names"));
  if (self->given_names == NULL)
    self->given_names = g_strdup ("");
  self->family_name = g_strdup (regie_record_get_string (record, "family_name"));
  self->birth_date = g_strdup (regie_record_get_string (record, "birth_date"));
  regie_doelgroep_from_string (regie_record_get_string (record, "doelgroep"), &self->doelgroep);

  return self;
}

JsonNode *
regie_person_to_json (RegiePerson *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  g_return_val_if_fail (REGIE_IS_PERSON (self), NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "bsn");
  json_builder_add_string_value (b, self->bsn);
  if (self->v_number != NULL)
    {
      json_builder_set_member_name (b, "v_number");
      json_builder_add_string_value (b, self->v_number);
    }
  json_builder_set_member_name (b, "given_names");
  json_builder_add_string_value (b, self->given_names);
  json_builder_set_member_name (b, "family_name");
  json_builder_add_string_value (b, self->family_name);
  json_builder_set_member_name (b, "birth_date");
  json_builder_add_string_value (b, self->birth_date);
  json_builder_set_member_name (b, "doelgroep");
  json_builder_add_string_value (b, regie_doelgroep_to_string (self->doelgroep));
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

const char *
regie_person_get_bsn (RegiePerson *self)
{
  g_return_val_if_fail (REGIE_IS_PERSON (self), NULL);
  return self->bsn;
}

const char *
regie_person_get_v_number (RegiePerson *self)
{
  g_return_val_if_fail (REGIE_IS_PERSON (self), NULL);
  return self->v_number;
}

const char *
regie_person_get_given_names (RegiePerson *self)
{
  g_return_val_if_fail (REGIE_IS_PERSON (self), NULL);
  return self->given_names;
}

const char *
regie_person_get_family_name (RegiePerson *self)
{
  g_return_val_if_fail (REGIE_IS_PERSON (self), NULL);
  return self->family_name;
}

const char *
regie_person_get_birth_date (RegiePerson *self)
{
  g_return_val_if_fail (REGIE_IS_PERSON (self), NULL);
  return self->birth_date;
}

RegieDoelgroep
regie_person_get_doelgroep (RegiePerson *self)
{
  g_return_val_if_fail (REGIE_IS_PERSON (self), REGIE_DOELGROEP_ASIELSTATUSHOUDER);
  return self->doelgroep;
}

char *
regie_person_dup_full_name (RegiePerson *self)
{
  g_return_val_if_fail (REGIE_IS_PERSON (self), NULL);

  if (self->given_names == NULL || self->given_names[0] == '\0')
    return g_strdup (self->family_name);
  return g_strconcat (self->given_names, " ", self->family_name, NULL);
}
