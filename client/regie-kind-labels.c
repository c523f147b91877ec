/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>

#include "regie-record.h"

#include "regie-kind-labels.h"
#include "regie-ui-util.h"

/* Labels are marked with NC_() and translated on lookup, as in
 * regie-rule-labels.c. Members and values have labels where a person meets
 * them outside the dossier page: the kinds that go to the conflict queue
 * (regie_kind_merge_policy) and notes, which are what is usually left
 * behind when a dossier moves to another klantmanager. */

static const char * const kind_labels[REGIE_N_RECORD_KINDS] = {
  [REGIE_RECORD_DOSSIER] = NC_("record kind", "Dossier status"),
  [REGIE_RECORD_PERSON] = NC_("record kind", "Personal details"),
  /* Translators: who holds the dossier: team and klantmanager */
  [REGIE_RECORD_ASSIGNMENT] = NC_("record kind", "Assignment"),
  [REGIE_RECORD_NOTE] = NC_("record kind", "Note"),
  [REGIE_RECORD_HOUSEHOLD_MEMBER] = NC_("record kind", "Household member"),
  [REGIE_RECORD_DUO_NOTIFICATION] = NC_("record kind", "DUO notification"),
  /* Translators: part 1 of the brede intake; keep "leerbaarheidstoets" */
  [REGIE_RECORD_INTAKE_LEERBAARHEID] = NC_("record kind", "Leerbaarheidstoets"),
  [REGIE_RECORD_INTAKE_EDUCATION] = NC_("record kind", "Intake: education and work"),
  [REGIE_RECORD_INTAKE_CIRCUMSTANCES] = NC_("record kind", "Intake: circumstances"),
  [REGIE_RECORD_INTAKE_HEALTH] = NC_("record kind", "Intake: health"),
  /* Translators: PIP: Persoonlijk Plan Inburgering en Participatie; keep the abbreviation */
  [REGIE_RECORD_PIP] = NC_("record kind", "PIP version"),
  [REGIE_RECORD_LESSON_HOURS] = NC_("record kind", "Lesson hours"),
  [REGIE_RECORD_PARTICIPATION_HOURS] = NC_("record kind", "Participation hours"),
  /* Translators: PVT is the participatieverklaringstraject; keep the abbreviation */
  [REGIE_RECORD_PVT] = NC_("record kind", "PVT"),
  /* Translators: MAP is the module arbeidsmarkt en participatie; keep the abbreviation */
  [REGIE_RECORD_MAP] = NC_("record kind", "MAP"),
  /* Translators: the closing talk of the Z-route */
  [REGIE_RECORD_ZROUTE_EINDGESPREK] = NC_("record kind", "Z-route closing talk"),
  [REGIE_RECORD_EXAM] = NC_("record kind", "Exam"),
  [REGIE_RECORD_PROGRESS_TALK] = NC_("record kind", "Progress talk"),
  [REGIE_RECORD_SIGNAL] = NC_("record kind", "Signal"),
  /* Translators: a request to DUO for ontheffing, vrijstelling or verlenging, and DUO's decision */
  [REGIE_RECORD_DUO_DECISION] = NC_("record kind", "DUO decision"),
  /* Translators: enforcement: a warning or a fine; keep "handhaving" or use the official term */
  [REGIE_RECORD_HANDHAVING] = NC_("record kind", "Handhaving"),
  /* Translators: ontzorgen: the municipality pays fixed costs out of the benefit; keep the term */
  [REGIE_RECORD_ONTZORGEN] = NC_("record kind", "Ontzorgen"),
  [REGIE_RECORD_ONTZORGEN_MONTH] = NC_("record kind", "Ontzorgen month"),
  [REGIE_RECORD_BRIDGING_LOAN] = NC_("record kind", "Bridging loan"),
  [REGIE_RECORD_HANDOVER] = NC_("record kind", "Handover to another municipality"),
  [REGIE_RECORD_CLOSURE] = NC_("record kind", "Closure"),
};

typedef struct
{
  RegieRecordKind  kind;
  const char      *member;
  const char      *label;
} MemberLabel;

static const MemberLabel member_labels[] = {
  { REGIE_RECORD_DOSSIER, "status", NC_("record field", "Status") },
  { REGIE_RECORD_DOSSIER, "opened_on", NC_("record field", "Opened on") },
  { REGIE_RECORD_DOSSIER, "notified_on", NC_("record field", "DUO notification on") },
  /* Translators: BRP is the Dutch population register; keep the abbreviation */
  { REGIE_RECORD_DOSSIER, "brp_registered_on", NC_("record field", "Registered in the BRP on") },
  { REGIE_RECORD_DOSSIER, "pip_term_extended", NC_("record field", "PIP term extended") },
  { REGIE_RECORD_DOSSIER, "pip_term_extension_reason", NC_("record field", "Reason for the extension") },
  { REGIE_RECORD_ASSIGNMENT, "team", NC_("record field", "Team") },
  /* Translators: the caseworker who holds the dossier; keep "klantmanager" */
  { REGIE_RECORD_ASSIGNMENT, "klantmanager", NC_("record field", "Klantmanager") },
  /* Translators: the person who directs the integration route; keep "regievoerder" */
  { REGIE_RECORD_ASSIGNMENT, "regievoerder", NC_("record field", "Regievoerder") },
  { REGIE_RECORD_INTAKE_LEERBAARHEID, "taken_on", NC_("record field", "Day of the test") },
  { REGIE_RECORD_INTAKE_LEERBAARHEID, "outcome", NC_("record field", "Outcome") },
  { REGIE_RECORD_INTAKE_LEERBAARHEID, "score", NC_("record field", "Score") },
  { REGIE_RECORD_NOTE, "author", NC_("record field", "Author") },
  { REGIE_RECORD_NOTE, "created_at", NC_("record field", "Written") },
  { REGIE_RECORD_NOTE, "text", NC_("record field", "Text") },
  { REGIE_RECORD_DUO_DECISION, "type", NC_("record field", "Request") },
  { REGIE_RECORD_DUO_DECISION, "requested_on", NC_("record field", "Requested on") },
  { REGIE_RECORD_DUO_DECISION, "advised_on", NC_("record field", "Advised on") },
  { REGIE_RECORD_DUO_DECISION, "advice", NC_("record field", "Municipality’s advice") },
  { REGIE_RECORD_DUO_DECISION, "outcome", NC_("record field", "DUO’s decision") },
  { REGIE_RECORD_DUO_DECISION, "decided_on", NC_("record field", "Decided on") },
  { REGIE_RECORD_DUO_DECISION, "extension_months", NC_("record field", "Extension in months") },
  { REGIE_RECORD_HANDHAVING, "action", NC_("record field", "Measure") },
  { REGIE_RECORD_HANDHAVING, "subject", NC_("record field", "Concerning") },
  { REGIE_RECORD_HANDHAVING, "date", NC_("record field", "Date of the decision") },
  { REGIE_RECORD_HANDHAVING, "amount_cents", NC_("record field", "Fine") },
  /* Translators: verwijtbaarheid: how far the person is to blame */
  { REGIE_RECORD_HANDHAVING, "culpability", NC_("record field", "Culpability") },
  { REGIE_RECORD_HANDHAVING, "culpability_notes", NC_("record field", "How culpability was assessed") },
  { REGIE_RECORD_HANDOVER, "to_municipality", NC_("record field", "To municipality") },
  { REGIE_RECORD_HANDOVER, "handed_over_on", NC_("record field", "Handed over on") },
  { REGIE_RECORD_HANDOVER, "notes", NC_("record field", "Notes") },
  { REGIE_RECORD_CLOSURE, "closed_on", NC_("record field", "Closed on") },
  { REGIE_RECORD_CLOSURE, "reason", NC_("record field", "Reason") },
  { REGIE_RECORD_CLOSURE, "notes", NC_("record field", "Notes") },
};

typedef struct
{
  RegieRecordKind  kind;
  const char      *member;
  const char      *value;
  const char      *context;
  const char      *label;
} ValueLabel;

static const ValueLabel value_labels[] = {
  { REGIE_RECORD_DOSSIER, "status", "open", "dossier status", NC_("dossier status", "Open") },
  { REGIE_RECORD_DOSSIER, "status", "closed", "dossier status", NC_("dossier status", "Closed") },
  /* Translators: ontheffing: exemption from the integration duty */
  { REGIE_RECORD_DUO_DECISION, "type", "ontheffing_med", "decision type", NC_("decision type", "Ontheffing (medical)") },
  { REGIE_RECORD_DUO_DECISION, "type", "ontheffing_bio", "decision type", NC_("decision type", "Ontheffing (proven effort)") },
  /* Translators: vrijstelling: release from the duty, e.g. after a diploma */
  { REGIE_RECORD_DUO_DECISION, "type", "vrijstelling", "decision type", NC_("decision type", "Vrijstelling") },
  /* Translators: verlenging: extension of the integration term */
  { REGIE_RECORD_DUO_DECISION, "type", "verlenging", "decision type", NC_("decision type", "Verlenging") },
  { REGIE_RECORD_INTAKE_LEERBAARHEID, "outcome", "b1_haalbaar", "leerbaarheid", NC_("leerbaarheid", "B1 feasible") },
  { REGIE_RECORD_INTAKE_LEERBAARHEID, "outcome", "niet_haalbaar", "leerbaarheid", NC_("leerbaarheid", "B1 not feasible") },
  { REGIE_RECORD_INTAKE_LEERBAARHEID, "outcome", "onbekend", "leerbaarheid", NC_("leerbaarheid", "Unknown") },
  { REGIE_RECORD_DUO_DECISION, "advice", "positive", "advice", NC_("advice", "Positive") },
  { REGIE_RECORD_DUO_DECISION, "advice", "negative", "advice", NC_("advice", "Negative") },
  { REGIE_RECORD_DUO_DECISION, "advice", "none", "advice", NC_("advice", "No advice") },
  { REGIE_RECORD_DUO_DECISION, "outcome", "pending", "decision outcome", NC_("decision outcome", "Pending") },
  { REGIE_RECORD_DUO_DECISION, "outcome", "granted", "decision outcome", NC_("decision outcome", "Granted") },
  { REGIE_RECORD_DUO_DECISION, "outcome", "refused", "decision outcome", NC_("decision outcome", "Refused") },
  { REGIE_RECORD_HANDHAVING, "action", "warning", "handhaving", NC_("handhaving", "Warning") },
  { REGIE_RECORD_HANDHAVING, "action", "fine", "handhaving", NC_("handhaving", "Fine") },
  /* Translators: handhaving concerning the brede intake (not appearing) */
  { REGIE_RECORD_HANDHAVING, "subject", "intake", "handhaving", NC_("handhaving", "Intake") },
  /* Translators: handhaving concerning the PIP (not following it); keep "PIP" */
  { REGIE_RECORD_HANDHAVING, "subject", "pip", "handhaving", NC_("handhaving", "PIP") },
  { REGIE_RECORD_HANDHAVING, "culpability", "verwijtbaar", "culpability", NC_("culpability", "To blame") },
  { REGIE_RECORD_HANDHAVING, "culpability", "deels_verwijtbaar", "culpability", NC_("culpability", "Partly to blame") },
  { REGIE_RECORD_HANDHAVING, "culpability", "niet_verwijtbaar", "culpability", NC_("culpability", "Not to blame") },
  { REGIE_RECORD_CLOSURE, "reason", "diploma", "closure reason", NC_("closure reason", "Diploma") },
  { REGIE_RECORD_CLOSURE, "reason", "ontheffing", "closure reason", NC_("closure reason", "Ontheffing") },
  { REGIE_RECORD_CLOSURE, "reason", "vrijstelling", "closure reason", NC_("closure reason", "Vrijstelling") },
  { REGIE_RECORD_CLOSURE, "reason", "departure", "closure reason", NC_("closure reason", "Left the Netherlands") },
  { REGIE_RECORD_CLOSURE, "reason", "naturalisation", "closure reason", NC_("closure reason", "Naturalisation") },
  { REGIE_RECORD_CLOSURE, "reason", "moved", "closure reason", NC_("closure reason", "Moved to another municipality") },
  { REGIE_RECORD_CLOSURE, "reason", "deceased", "closure reason", NC_("closure reason", "Deceased") },
  { REGIE_RECORD_CLOSURE, "reason", "other", "closure reason", NC_("closure reason", "Other") },
};

const char *
regie_kind_label (RegieRecordKind kind)
{
  g_return_val_if_fail ((unsigned) kind < REGIE_N_RECORD_KINDS, "");

  return g_dpgettext2 (NULL, "record kind", kind_labels[kind]);
}

const char *
regie_kind_member_label (RegieRecordKind  kind,
                         const char      *member)
{
  g_return_val_if_fail (member != NULL, "");

  for (guint i = 0; i < G_N_ELEMENTS (member_labels); i++)
    if (member_labels[i].kind == kind && g_str_equal (member_labels[i].member, member))
      return g_dpgettext2 (NULL, "record field", member_labels[i].label);
  return member;
}

const char *
regie_kind_value_label (RegieRecordKind  kind,
                        const char      *member,
                        const char      *value)
{
  g_return_val_if_fail (member != NULL, "");

  if (value == NULL)
    return "";
  for (guint i = 0; i < G_N_ELEMENTS (value_labels); i++)
    if (value_labels[i].kind == kind && g_str_equal (value_labels[i].member, member) &&
        g_str_equal (value_labels[i].value, value))
      return g_dpgettext2 (NULL, value_labels[i].context, value_labels[i].label);
  return value;
}

char *
regie_kind_format_value (RegieRecordKind       kind,
                         const RegieFieldSpec *spec,
                         JsonObject           *payload)
{
  JsonNode *node;

  g_return_val_if_fail (spec != NULL, NULL);

  node = payload != NULL ? json_object_get_member (payload, spec->name) : NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup (spec->type == REGIE_FIELD_BOOL ? C_("boolean", "No") : "—");

  switch (spec->type)
    {
    case REGIE_FIELD_BOOL:
      return g_strdup (json_node_get_boolean (node) ? C_("boolean", "Yes") : C_("boolean", "No"));
    case REGIE_FIELD_INT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case REGIE_FIELD_MONEY:
      return regie_ui_format_euros (json_node_get_int (node));
    case REGIE_FIELD_DATE:
      return regie_ui_format_date (json_node_get_string (node), TRUE);
    case REGIE_FIELD_TIMESTAMP:
      return regie_ui_format_timestamp (json_node_get_string (node));
    case REGIE_FIELD_ENUM:
      return g_strdup (regie_kind_value_label (kind, spec->name, json_node_get_string (node)));
    case REGIE_FIELD_STRINGS:
      {
        g_autoptr(GString) text = g_string_new (NULL);
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append (text, ", ");
            g_string_append (text, json_array_get_string_element (array, i));
          }
        return g_strdup (text->len > 0 ? text->str : "—");
      }
    case REGIE_FIELD_OBJECT:
    case REGIE_FIELD_ARRAY:
      {
        guint n = JSON_NODE_HOLDS_ARRAY (node) ? json_array_get_length (json_node_get_array (node))
                                               : json_object_get_size (json_node_get_object (node));

        /* Translators: the size of a nested list in a record, e.g. repayments */
        return g_strdup_printf (ngettext ("%u item", "%u items", n), n);
      }
    case REGIE_FIELD_STRING:
    case REGIE_FIELD_TEXT:
    case REGIE_FIELD_IDENT:
    case REGIE_FIELD_MONTH:
    case REGIE_FIELD_BSN:
    case REGIE_FIELD_V_NUMBER:
    default:
      return g_strdup (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                         ? json_node_get_string (node) : "—");
    }
}

char *
regie_kind_describe (RegieRecordKind  kind,
                     const char      *payload)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  const RegieKindSpec *spec;
  JsonObject *object;

  g_return_val_if_fail ((unsigned) kind < REGIE_N_RECORD_KINDS, NULL);

  root = payload != NULL ? json_from_string (payload, NULL) : NULL;
  object = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  if (object == NULL)
    return g_strdup ("");

  if (kind == REGIE_RECORD_NOTE)
    return g_strdup (regie_json_object_get_str (object, "text"));

  spec = regie_kind_spec_get (kind);
  for (const RegieFieldSpec *field = spec->fields; field->name != NULL; field++)
    {
      g_autofree char *value = NULL;

      if (!json_object_has_member (object, field->name))
        continue;
      value = regie_kind_format_value (kind, field, object);
      /* Translators: one line of a record copied as text: a field's name and its value */
      g_string_append_printf (text, C_("copied record", "%s: %s\n"), regie_kind_member_label (kind, field->name), value);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}
