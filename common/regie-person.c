/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include "regie-bsn.h"
#include "regie-error.h"
#include "regie-json-private.h"
#include "regie-records.h"
#include "regie-util.h"

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

static gboolean
check_name (const char  *value,
            const char  *member,
            gboolean     allow_empty,
            GError     **error)
{
  g_autofree char *stripped = NULL;

  if (!regie_text_is_valid (value, REGIE_MAX_NAME_BYTES, FALSE))
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                   "person: \"%s\" must be at most %d bytes of printable UTF-8",
                   member, REGIE_MAX_NAME_BYTES);
      return FALSE;
    }
  stripped = g_strstrip (g_strdup (value));
  if (!allow_empty && stripped[0] == '\0')
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID, "person: \"%s\" is empty", member);
      return FALSE;
    }
  return TRUE;
}

RegiePerson *
regie_person_new_from_json (JsonNode  *node,
                            GError   **error)
{
  static const char * const members[] = {
    "bsn", "v_number", "given_names", "family_name", "birth_date", "doelgroep", NULL
  };
  g_autoptr(RegiePerson) self = NULL;
  JsonObject *object;
  const char *bsn, *v_number = NULL, *given = NULL, *family = NULL, *birth = NULL;
  const char *doelgroep = NULL;
  GError *local_error = NULL;
  GDate date;

  if (!(object = regie_json_expect_object (node, "person", error)) ||
      !regie_json_check_members (object, "person", members, error))
    return NULL;

  bsn = regie_json_get_string (object, "person", "bsn", TRUE, &local_error);
  if (!local_error)
    v_number = regie_json_get_string (object, "person", "v_number", FALSE, &local_error);
  if (!local_error)
    given = regie_json_get_string (object, "person", "given_names", TRUE, &local_error);
  if (!local_error)
    family = regie_json_get_string (object, "person", "family_name", TRUE, &local_error);
  if (!local_error)
    birth = regie_json_get_string (object, "person", "birth_date", TRUE, &local_error);
  if (!local_error)
    doelgroep = regie_json_get_string (object, "person", "doelgroep", TRUE, &local_error);
  if (local_error)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  self = g_object_new (REGIE_TYPE_PERSON, NULL);

  if (!regie_bsn_is_valid (bsn))
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                   "person: BSN fails the elfproef");
      return NULL;
    }
  if (v_number != NULL && !regie_v_number_is_valid (v_number))
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                   "person: V-nummer must be ten digits");
      return NULL;
    }
  if (!check_name (given, "given_names", TRUE, error) ||
      !check_name (family, "family_name", FALSE, error))
    return NULL;
  if (!regie_date_parse (birth, &date))
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                   "person: birth_date is not a valid YYYY-MM-DD date");
      return NULL;
    }
  if (!regie_doelgroep_from_string (doelgroep, &self->doelgroep))
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                   "person: unknown doelgroep \"%s\"", doelgroep);
      return NULL;
    }

  self->bsn = g_strdup (bsn);
  self->v_number = g_strdup (v_number);
  self->given_names = g_strdup (given);
  self->family_name = g_strdup (family);
  self->birth_date = g_strdup (birth);

  return g_steal_pointer (&self);
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
