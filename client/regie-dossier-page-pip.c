/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>

#include "regie-pip-letter.h"
#include "regie-readability.h"
#include "regie-rules.h"
#include "regie-util.h"

#include "regie-dossier-page-private.h"
#include "regie-field-compare.h"
#include "regie-pip-letter-render.h"
#include "regie-rule-labels.h"
#include "regie-ui-util.h"

/* The PIP section: issued versions (immutable beschikkingen, newest first)
 * and an editor for the next version. The editor runs the rules engine on
 * a copy of the dossier with the draft added, on every change, and only
 * lets a version be issued when DUO would accept it. */

static const char * const routes[] = { "b1", "onderwijs", "z", NULL };
static const char * const levels[] = { "A0", "A1", "A2", "B1", "B2", NULL };
static const char * const skills[] = { "reading", "listening", "writing", "speaking" };
static const char * const exam_parts[] = { "L", "Lu", "S", "Sp", "KNM" };

static const char *
route_label (const char *route)
{
  if (g_strcmp0 (route, "b1") == 0)
    /* Translators: the B1-route (leerroute) of the Civic Integration Act */
    return C_("leerroute", "B1-route");
  if (g_strcmp0 (route, "onderwijs") == 0)
    /* Translators: the onderwijsroute (education route); keep the Dutch term or use the official one */
    return C_("leerroute", "Onderwijsroute");
  if (g_strcmp0 (route, "z") == 0)
    /* Translators: the Z-route (zelfredzaamheidsroute, self-reliance route) */
    return C_("leerroute", "Z-route");
  return route != NULL ? route : "";
}

static const char *
skill_label (guint i)
{
  switch (i)
    {
    case 0: return C_("language skill", "Reading");
    case 1: return C_("language skill", "Listening");
    case 2: return C_("language skill", "Writing");
    default: return C_("language skill", "Speaking");
    }
}

static const char *
yes_no (gboolean value)
{
  return value ? C_("boolean", "Yes") : C_("boolean", "No");
}

typedef enum { F_TEXT, F_BOOL, F_INT, F_ROUTE, F_LEVEL, F_PARTS } FieldType;

typedef struct
{
  const char *member;
  FieldType   type;
  guint       skill;   /* F_LEVEL */
} PipField;

static const PipField pip_fields[] = {
  { "leerroute", F_ROUTE, 0 },
  { "target_levels", F_LEVEL, 0 },
  { "target_levels", F_LEVEL, 1 },
  { "target_levels", F_LEVEL, 2 },
  { "target_levels", F_LEVEL, 3 },
  { "knm", F_BOOL, 0 },
  { "hours_estimate", F_INT, 0 },
  { "course_provider", F_TEXT, 0 },
  { "course_provider_certified", F_BOOL, 0 },
  { "intensity_hours_per_week", F_INT, 0 },
  { "pvt", F_BOOL, 0 },
  { "map", F_BOOL, 0 },
  { "participation", F_TEXT, 0 },
  { "duaal", F_BOOL, 0 },
  { "childcare", F_TEXT, 0 },
  { "support", F_TEXT, 0 },
  { "progress_talk_weeks", F_INT, 0 },
  { "waiting_third_party", F_BOOL, 0 },
  { "afschalen_parts", F_PARTS, 0 },
  { "effort_evidence", F_TEXT, 0 },
};

static const char *
field_label (const PipField *field)
{
  if (field->type == F_LEVEL)
    return skill_label (field->skill);
  if (g_str_equal (field->member, "leerroute"))
    /* Translators: leerroute is the learning route of the Act; keep the term */
    return _("Leerroute");
  if (g_str_equal (field->member, "knm"))
    /* Translators: KNM is Kennis Nederlandse Maatschappij (knowledge of Dutch society); keep the abbreviation */
    return _("KNM");
  if (g_str_equal (field->member, "hours_estimate"))
    return _("Estimated course hours");
  if (g_str_equal (field->member, "course_provider"))
    return _("Course provider");
  if (g_str_equal (field->member, "course_provider_certified"))
    /* Translators: the Blik op Werk quality mark of language schools */
    return _("Provider holds the quality mark");
  if (g_str_equal (field->member, "intensity_hours_per_week"))
    return _("Course hours per week");
  if (g_str_equal (field->member, "pvt"))
    /* Translators: PVT is the participatieverklaringstraject; keep the abbreviation */
    return _("PVT arranged");
  if (g_str_equal (field->member, "map"))
    /* Translators: MAP is the module arbeidsmarkt en participatie; keep the abbreviation */
    return _("MAP arranged");
  if (g_str_equal (field->member, "participation"))
    return _("Participation");
  if (g_str_equal (field->member, "duaal"))
    /* Translators: duaal means language learning and work combined */
    return _("Duaal (language and work combined)");
  if (g_str_equal (field->member, "childcare"))
    return _("Childcare");
  if (g_str_equal (field->member, "support"))
    return _("Support");
  if (g_str_equal (field->member, "progress_talk_weeks"))
    return _("Weeks between progress talks");
  if (g_str_equal (field->member, "waiting_third_party"))
    return _("Waiting for a third party (+2 weeks)");
  if (g_str_equal (field->member, "afschalen_parts"))
    /* Translators: afschalen is lowering exam parts from B1 to A2; keep the term */
    return _("Afschalen to A2");
  return _("Proven effort");
}

static char *
field_text (JsonObject     *payload,
            const PipField *field)
{
  JsonNode *node;

  if (field->type == F_LEVEL)
    {
      JsonObject *levels_object = json_object_get_object_member (payload, "target_levels");
      return g_strdup (levels_object != NULL ? regie_json_object_get_str (levels_object, skills[field->skill]) : "");
    }

  node = json_object_get_member (payload, field->member);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup (field->type == F_BOOL ? yes_no (FALSE) : "—");

  switch (field->type)
    {
    case F_BOOL:
      return g_strdup (yes_no (json_node_get_boolean (node)));
    case F_INT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case F_ROUTE:
      return g_strdup (route_label (json_node_get_string (node)));
    case F_PARTS:
      {
        g_autoptr(GString) parts = g_string_new (NULL);
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append (parts, ", ");
            g_string_append (parts, json_array_get_string_element (array, i));
          }
        return g_strdup (parts->len > 0 ? parts->str : "—");
      }
    case F_TEXT:
    case F_LEVEL:
    default:
      return g_strdup (json_node_get_string (node));
    }
}

static RegieRecord *
latest_pip (RegieDossierPage *self)
{
  g_autoptr(GPtrArray) pips = regie_dossier_page_sorted (self, REGIE_RECORD_PIP, "version");

  return pips->len > 0 ? g_object_ref (g_ptr_array_index (pips, pips->len - 1)) : NULL;
}

static int
index_of (const char * const *values,
          const char         *value)
{
  for (int i = 0; values[i] != NULL; i++)
    if (g_strcmp0 (values[i], value) == 0)
      return i;
  return -1;
}

/* The draft as a PIP payload; NULL when a field cannot be read (it is
 * then marked). */
static JsonNode *
build_draft (RegieDossierPage *self,
             int               version)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *dagtekening = regie_date_format (&self->today);
  gint64 hours = 0;
  gboolean hours_set = FALSE;
  gboolean any_part = FALSE;

  if (!regie_form_int (self->pip_hours, 0, 5000, FALSE, &hours, &hours_set))
    return NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, version);
  regie_builder_add_string (b, "dagtekening", dagtekening);
  regie_builder_add_string (b, "leerroute", routes[adw_combo_row_get_selected (ADW_COMBO_ROW (self->pip_route))]);
  json_builder_set_member_name (b, "target_levels");
  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (skills); i++)
    regie_builder_add_string (b, skills[i], levels[adw_combo_row_get_selected (ADW_COMBO_ROW (self->pip_levels[i]))]);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "knm");
  json_builder_add_boolean_value (b, regie_form_switch_get (self->pip_knm));
  if (hours_set)
    {
      json_builder_set_member_name (b, "hours_estimate");
      json_builder_add_int_value (b, hours);
    }
  regie_builder_add_string (b, "course_provider", regie_form_text (self->pip_provider));
  json_builder_set_member_name (b, "course_provider_certified");
  json_builder_add_boolean_value (b, regie_form_switch_get (self->pip_certified));
  json_builder_set_member_name (b, "intensity_hours_per_week");
  json_builder_add_int_value (b, gtk_spin_button_get_value_as_int (regie_form_spin_get_button (self->pip_intensity)));
  json_builder_set_member_name (b, "pvt");
  json_builder_add_boolean_value (b, regie_form_switch_get (self->pip_pvt));
  json_builder_set_member_name (b, "map");
  json_builder_add_boolean_value (b, regie_form_switch_get (self->pip_map));
  regie_builder_add_string (b, "participation", regie_form_text (self->pip_participation));
  json_builder_set_member_name (b, "duaal");
  json_builder_add_boolean_value (b, regie_form_switch_get (self->pip_duaal));
  regie_builder_add_string (b, "childcare", regie_form_text (self->pip_childcare));
  regie_builder_add_string (b, "support", regie_form_text (self->pip_support));
  json_builder_set_member_name (b, "progress_talk_weeks");
  json_builder_add_int_value (b, gtk_spin_button_get_value_as_int (regie_form_spin_get_button (self->pip_talk_weeks)));
  json_builder_set_member_name (b, "waiting_third_party");
  json_builder_add_boolean_value (b, regie_form_switch_get (self->pip_waiting));
  for (guint i = 0; i < G_N_ELEMENTS (exam_parts); i++)
    any_part |= gtk_check_button_get_active (GTK_CHECK_BUTTON (self->pip_afschalen[i]));
  if (any_part)
    {
      json_builder_set_member_name (b, "afschalen_parts");
      json_builder_begin_array (b);
      for (guint i = 0; i < G_N_ELEMENTS (exam_parts); i++)
        if (gtk_check_button_get_active (GTK_CHECK_BUTTON (self->pip_afschalen[i])))
          json_builder_add_string_value (b, exam_parts[i]);
      json_builder_end_array (b);
    }
  regie_builder_add_string (b, "effort_evidence", regie_form_text (self->pip_effort));
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static int
next_version (RegieDossierPage *self)
{
  g_autoptr(RegieRecord) latest = latest_pip (self);

  return latest != NULL ? (int) regie_record_get_int (latest, "version", 0) + 1 : 1;
}

/* Previous version and the draft side by side, for changed fields only. */
static void
update_compare (RegieDossierPage *self,
                JsonObject       *draft)
{
  g_autoptr(RegieRecord) latest = latest_pip (self);
  JsonObject *previous;
  g_autofree char *heading = NULL;
  g_autofree char *previous_title = NULL;

  regie_field_compare_clear (self->pip_compare);
  if (latest == NULL || draft == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->pip_compare), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->pip_compare_heading), FALSE);
      return;
    }

  previous = json_node_get_object (regie_record_get_payload (latest));
  /* Translators: %d is the number of a PIP version */
  previous_title = g_strdup_printf (_("Version %d"), (int) regie_record_get_int (latest, "version", 0));
  regie_field_compare_set_titles (self->pip_compare, previous_title, C_("comparison", "New version"));

  for (guint i = 0; i < G_N_ELEMENTS (pip_fields); i++)
    {
      g_autofree char *before = field_text (previous, &pip_fields[i]);
      g_autofree char *after = field_text (draft, &pip_fields[i]);

      if (g_strcmp0 (before, after) != 0)
        regie_field_compare_add_row (self->pip_compare, field_label (&pip_fields[i]), before, after);
    }

  /* Translators: %d is the number of the PIP version the draft is compared with */
  heading = g_strdup_printf (_("Changes from Version %d"), (int) regie_record_get_int (latest, "version", 0));
  gtk_label_set_text (self->pip_compare_heading, heading);
  gtk_widget_set_visible (GTK_WIDGET (self->pip_compare), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->pip_compare_heading), TRUE);
}

static void
set_blocked (RegieDossierPage *self,
             const char       *reason)
{
  gtk_widget_set_sensitive (self->pip_issue_button, reason == NULL);
  gtk_label_set_text (self->pip_blocked_label, reason != NULL ? reason : "");
  gtk_widget_set_visible (GTK_WIDGET (self->pip_blocked_label), reason != NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->pip_issue_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, reason != NULL ? reason : "", -1);
}

static void
revalidate (RegieDossierPage *self)
{
  g_autoptr(JsonNode) draft = NULL;
  g_autoptr(RegieRecord) record = NULL;
  g_autoptr(RegieCase) copy = NULL;
  g_autoptr(RegieRulesResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *button_label = NULL;
  const char *blocked = NULL;
  int version;

  if (self->pip_filling)
    return;

  regie_list_clear (self->pip_findings);

  if (self->dossier == NULL)
    {
      set_blocked (self, _("Open a dossier first."));
      return;
    }

  version = next_version (self);
  /* Translators: %d is the number of the PIP version to issue */
  button_label = g_strdup_printf (_("_Issue PIP Version %d"), version);
  gtk_button_set_label (GTK_BUTTON (self->pip_issue_button), button_label);

  draft = build_draft (self, version);
  if (draft == NULL)
    {
      update_compare (self, NULL);
      set_blocked (self, _("Correct the marked fields first."));
      return;
    }
  update_compare (self, json_node_get_object (draft));

  record = regie_record_parse (self->pip_draft_id, self->dossier_id, REGIE_RECORD_PIP, 0, draft, &error);
  if (record == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s says which field is wrong */
      message = g_strdup_printf (_("This PIP cannot be issued: %s"), error->message);
      set_blocked (self, message);
      return;
    }

  /* The same engine as the server, on a copy with the draft added. */
  copy = regie_case_new (self->dossier_id);
  for (int kind = 0; kind < REGIE_N_RECORD_KINDS; kind++)
    {
      GPtrArray *records = regie_case_get_records (self->dossier, kind);

      for (guint i = 0; i < records->len; i++)
        regie_case_add_record (copy, g_ptr_array_index (records, i));
    }
  regie_case_add_record (copy, record);
  result = regie_rules_evaluate (copy, &self->today, &self->settings);

  for (guint i = 0; i < result->findings->len; i++)
    {
      RegieFinding *finding = g_ptr_array_index (result->findings, i);
      gboolean is_error = finding->severity == REGIE_SEVERITY_ERROR;
      GtkWidget *row, *icon;

      if (g_strcmp0 (finding->record_id, self->pip_draft_id) != 0)
        continue;

      row = adw_action_row_new ();
      gtk_widget_set_name (row, finding->code);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), regie_rule_label (finding->code));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), finding->message);
      icon = gtk_image_new_from_icon_name (is_error ? "dialog-error-symbolic" : "dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, is_error ? "error" : "warning");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      is_error ? C_("severity", "Error") : C_("severity", "Warning"), -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_list_box_append (self->pip_findings, row);

      if (is_error && blocked == NULL)
        blocked = finding->message;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->pip_findings),
                          gtk_list_box_get_row_at_index (self->pip_findings, 0) != NULL);

  if (blocked != NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the rules engine's reason, e.g. a DUO validation */
      message = g_strdup_printf (_("Cannot issue yet. %s"), blocked);
      set_blocked (self, message);
    }
  else
    set_blocked (self, NULL);
}

static gboolean
src_bool (JsonObject *src,
          const char *member,
          gboolean    fallback)
{
  return src != NULL ? json_object_get_boolean_member_with_default (src, member, FALSE) : fallback;
}

static const char *
src_str (JsonObject *src,
         const char *member)
{
  const char *value = src != NULL ? regie_json_object_get_str (src, member) : NULL;

  return value != NULL ? value : "";
}

/* Fills the editor from a PIP payload: the version in force, or a draft
 * kept for this dossier; NULL for the defaults of a first PIP. */
static void
fill_editor_from (RegieDossierPage *self,
                  JsonObject       *src)
{
  JsonObject *levels_object = NULL;
  JsonArray *parts = NULL;
  RegieRecord *person = self->dossier != NULL ? regie_case_get_first (self->dossier, REGIE_RECORD_PERSON) : NULL;
  gboolean asylum = person != NULL && g_strcmp0 (regie_record_get_string (person, "doelgroep"), "asielstatushouder") == 0;
  gint64 hours;

  self->pip_filling = TRUE;

  g_free (self->pip_draft_id);
  self->pip_draft_id = regie_uuid_v7_new ();

  if (src != NULL)
    {
      levels_object = json_object_has_member (src, "target_levels") ? json_object_get_object_member (src, "target_levels") : NULL;
      parts = json_object_has_member (src, "afschalen_parts") ? json_object_get_array_member (src, "afschalen_parts") : NULL;
    }

  adw_combo_row_set_selected (ADW_COMBO_ROW (self->pip_route),
                              MAX (0, index_of (routes, src != NULL ? src_str (src, "leerroute") : "b1")));
  for (guint i = 0; i < G_N_ELEMENTS (skills); i++)
    {
      int level = levels_object != NULL ? index_of (levels, regie_json_object_get_str (levels_object, skills[i])) : -1;
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->pip_levels[i]), level >= 0 ? level : index_of (levels, "B1"));
    }
  regie_form_switch_set (self->pip_knm, src_bool (src, "knm", TRUE));
  hours = src != NULL ? regie_json_object_get_int (src, "hours_estimate", -1) : -1;
  if (hours >= 0)
    {
      g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, hours);
      gtk_editable_set_text (GTK_EDITABLE (self->pip_hours), text);
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (self->pip_hours), "");
  gtk_widget_set_sensitive (self->pip_hours, asylum || hours >= 0);
  gtk_editable_set_text (GTK_EDITABLE (self->pip_provider), src_str (src, "course_provider"));
  regie_form_switch_set (self->pip_certified, src_bool (src, "course_provider_certified", TRUE));
  gtk_spin_button_set_value (regie_form_spin_get_button (self->pip_intensity),
                             src != NULL ? regie_json_object_get_int (src, "intensity_hours_per_week", 10) : 10);
  regie_form_switch_set (self->pip_pvt, src_bool (src, "pvt", TRUE));
  regie_form_switch_set (self->pip_map, src_bool (src, "map", TRUE));
  gtk_editable_set_text (GTK_EDITABLE (self->pip_participation), src_str (src, "participation"));
  gtk_editable_set_text (GTK_EDITABLE (self->pip_childcare), src_str (src, "childcare"));
  gtk_editable_set_text (GTK_EDITABLE (self->pip_support), src_str (src, "support"));
  gtk_editable_set_text (GTK_EDITABLE (self->pip_effort), src_str (src, "effort_evidence"));
  regie_form_switch_set (self->pip_duaal, src_bool (src, "duaal", FALSE));
  gtk_spin_button_set_value (regie_form_spin_get_button (self->pip_talk_weeks),
                             src != NULL ? regie_json_object_get_int (src, "progress_talk_weeks", self->settings.progress_talk_weeks)
                                         : self->settings.progress_talk_weeks);
  regie_form_switch_set (self->pip_waiting, src_bool (src, "waiting_third_party", FALSE));
  for (guint i = 0; i < G_N_ELEMENTS (exam_parts); i++)
    {
      gboolean active = FALSE;

      for (guint j = 0; parts != NULL && j < json_array_get_length (parts); j++)
        active |= g_strcmp0 (json_array_get_string_element (parts, j), exam_parts[i]) == 0;
      gtk_check_button_set_active (GTK_CHECK_BUTTON (self->pip_afschalen[i]), active);
    }

  self->pip_filling = FALSE;
}

/* ---- drafts: one per dossier, kept while Regie runs ---------------------- */

/* What the editor holds, without the parts that follow from the day and
 * the version number; NULL when a field cannot be read. */
static char *
dup_draft_text (RegieDossierPage *self)
{
  g_autoptr(JsonNode) draft = build_draft (self, 0);
  JsonObject *object;

  if (draft == NULL)
    return NULL;
  object = json_node_get_object (draft);
  json_object_remove_member (object, "version");
  json_object_remove_member (object, "dagtekening");
  return json_to_string (draft, FALSE);
}

static GHashTable *
drafts (RegieDossierPage *self)
{
  GHashTable *table = g_object_get_data (G_OBJECT (self), "regie-pip-drafts");

  if (table == NULL)
    {
      table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_object_set_data_full (G_OBJECT (self), "regie-pip-drafts", table, (GDestroyNotify) g_hash_table_unref);
    }
  return table;
}

/* The editor as filled from the version in force: a draft is whatever
 * differs from it. */
static void
remember_baseline (RegieDossierPage *self)
{
  g_object_set_data_full (G_OBJECT (self), "regie-pip-baseline", dup_draft_text (self), g_free);
  g_object_set_data_full (G_OBJECT (self), "regie-pip-editor-dossier", g_strdup (self->dossier_id), g_free);
}

static gboolean
editor_has_draft (RegieDossierPage *self)
{
  g_autofree char *current = dup_draft_text (self);

  return current != NULL && g_strcmp0 (current, g_object_get_data (G_OBJECT (self), "regie-pip-baseline")) != 0;
}

static void
update_draft_actions (RegieDossierPage *self)
{
  GActionGroup *group = g_object_get_data (G_OBJECT (self), "regie-pip-actions");
  GAction *discard = g_action_map_lookup_action (G_ACTION_MAP (group), "discard-draft");
  GAction *undo = g_action_map_lookup_action (G_ACTION_MAP (group), "undo-discard-draft");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (discard), self->dossier != NULL && editor_has_draft (self));
  g_simple_action_set_enabled (G_SIMPLE_ACTION (undo),
                               g_object_get_data (G_OBJECT (self), "regie-pip-discarded") != NULL);
}

static void
fill_editor (RegieDossierPage *self)
{
  g_autoptr(RegieRecord) latest = latest_pip (self);

  /* A new version starts as a copy of the one in force. */
  fill_editor_from (self, latest != NULL ? json_node_get_object (regie_record_get_payload (latest)) : NULL);
  remember_baseline (self);
}

static void
fill_editor_from_text (RegieDossierPage *self,
                       const char       *text)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    fill_editor_from (self, json_node_get_object (node));
}

/* Another dossier opens: keep what was typed for the one that closes, and
 * bring back what was typed earlier for the one that opens. */
static void
switch_drafts (RegieDossierPage *self)
{
  const char *editor_dossier = g_object_get_data (G_OBJECT (self), "regie-pip-editor-dossier");
  const char *kept;

  if (editor_dossier != NULL && g_strcmp0 (editor_dossier, self->dossier_id) != 0)
    {
      g_autofree char *current = dup_draft_text (self);

      if (current != NULL && editor_has_draft (self))
        g_hash_table_replace (drafts (self), g_strdup (editor_dossier), g_steal_pointer (&current));
      else
        g_hash_table_remove (drafts (self), editor_dossier);
    }

  fill_editor (self);
  kept = self->dossier_id != NULL ? g_hash_table_lookup (drafts (self), self->dossier_id) : NULL;
  if (kept != NULL)
    fill_editor_from_text (self, kept);
}

/* ---- the beschikking as a letter ------------------------------------------ */

static RegieRecord *
find_pip (RegieDossierPage *self,
          const char       *record_id)
{
  GPtrArray *pips;

  if (self->dossier == NULL)
    return NULL;
  pips = regie_case_get_records (self->dossier, REGIE_RECORD_PIP);
  for (guint i = 0; i < pips->len; i++)
    if (g_strcmp0 (regie_record_get_id (g_ptr_array_index (pips, i)), record_id) == 0)
      return g_ptr_array_index (pips, i);
  return NULL;
}

static char *
dup_municipality (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autofree char *name = g_settings_get_string (settings, "municipality-name");

  g_strstrip (name);
  /* Translators: the sender of a letter when no municipality name is set */
  return name[0] != '\0' ? g_steal_pointer (&name) : g_strdup (_("Gemeente"));
}

/* The letter for an issued version, checked for B1 readability; NULL with
 * a message for the caseworker when it cannot be made. */
static RegiePipLetter *
make_letter (RegieDossierPage  *self,
             const char        *record_id,
             char             **out_message)
{
  RegieRecord *pip = find_pip (self, record_id);
  g_autoptr(RegiePipLetter) letter = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *municipality = dup_municipality ();

  if (pip == NULL)
    {
      *out_message = g_strdup (_("This PIP version is no longer in the dossier."));
      return NULL;
    }

  letter = regie_pip_letter_new (self->dossier, pip, municipality,
                                 self->display_name != NULL ? self->display_name : self->username,
                                 &self->settings, &error);
  if (letter == NULL)
    {
      /* Translators: %s is a technical reason */
      *out_message = g_strdup_printf (_("The letter could not be made: %s"), error->message);
      return NULL;
    }

  /* Generated letters are written at B1; check it anyway before anything
   * leaves the building. */
  if (!regie_readability_check_b1 (letter->body, &error))
    {
      /* Translators: %s says which plain-language rule the letter breaks */
      *out_message = g_strdup_printf (_("The letter is not plain enough to send (B1 level): %s"), error->message);
      return NULL;
    }

  return g_steal_pointer (&letter);
}

static gboolean
write_letter (RegieDossierPage *self,
              const char       *record_id,
              const char       *path)
{
  g_autoptr(RegiePipLetter) letter = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  letter = make_letter (self, record_id, &message);
  if (letter == NULL)
    {
      regie_dossier_page_toast (self, message);
      return FALSE;
    }

  if (!regie_pip_letter_write_pdf (letter, path, &error))
    {
      /* Translators: %s is a technical reason */
      message = g_strdup_printf (_("The letter could not be saved: %s"), error->message);
      regie_dossier_page_toast (self, message);
      return FALSE;
    }

  {
    g_autofree char *basename = g_path_get_basename (path);

    /* Translators: %s is a file name */
    message = g_strdup_printf (_("Letter saved as %s"), basename);
  }
  regie_dossier_page_toast (self, message);
  return TRUE;
}

static void
write_letter_pdf_action_cb (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  const char *record_id, *path;

  g_variant_get (parameter, "(&s&s)", &record_id, &path);
  write_letter (REGIE_DOSSIER_PAGE (user_data), record_id, path);
}

static void
save_dialog_response_cb (GtkNativeDialog *dialog,
                         int              response,
                         gpointer         user_data)
{
  RegieDossierPage *self = user_data;
  const char *record_id = g_object_get_data (G_OBJECT (dialog), "regie-record-id");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        write_letter (self, record_id, path);
    }

  g_object_unref (dialog);
  g_object_unref (self);
}

static void
save_letter_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  RegieDossierPage *self = user_data;
  const char *record_id = g_variant_get_string (parameter, NULL);
  RegieRecord *pip = find_pip (self, record_id);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (pip == NULL)
    return;

  dialog = gtk_file_chooser_native_new (_("Save Letter as PDF"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  /* Translators: default file name of the PIP letter; %s is the person's name, %d the version */
  name = g_strdup_printf (_("PIP %s version %d.pdf"), self->title != NULL ? self->title : "",
                          (int) regie_record_get_int (pip, "version", 0));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_object_set_data_full (G_OBJECT (dialog), "regie-record-id", g_strdup (record_id), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (save_dialog_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                RegiePipLetter    *letter)
{
  int pages = regie_pip_letter_draw (letter, gtk_print_context_get_cairo_context (context),
                                     gtk_print_context_get_width (context),
                                     gtk_print_context_get_height (context), -1);

  gtk_print_operation_set_n_pages (operation, MAX (pages, 1));
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page,
              RegiePipLetter    *letter)
{
  regie_pip_letter_draw (letter, gtk_print_context_get_cairo_context (context),
                         gtk_print_context_get_width (context),
                         gtk_print_context_get_height (context), page);
}

static void
print_letter_action_cb (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  RegieDossierPage *self = user_data;
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  RegiePipLetter *letter;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  letter = make_letter (self, g_variant_get_string (parameter, NULL), &message);
  if (letter == NULL)
    {
      regie_dossier_page_toast (self, message);
      return;
    }

  operation = gtk_print_operation_new ();
  /* The letter is laid out in points, as in the PDF. */
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (operation, letter->subject);
  g_object_set_data_full (G_OBJECT (operation), "regie-letter", letter, (GDestroyNotify) regie_pip_letter_free);
  g_signal_connect (operation, "begin-print", G_CALLBACK (begin_print_cb), letter);
  g_signal_connect (operation, "draw-page", G_CALLBACK (draw_page_cb), letter);

  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, &error) == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      /* Translators: %s is a technical reason */
      message = g_strdup_printf (_("The letter could not be printed: %s"), error->message);
      regie_dossier_page_toast (self, message);
    }
}

static GtkWidget *
letter_menu_button (const char *record_id,
                    int         version)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) save = g_menu_item_new (_("Save Letter as _PDF…"), NULL);
  g_autoptr(GMenuItem) print = g_menu_item_new (_("_Print Letter…"), NULL);
  g_autofree char *label = NULL;
  GtkWidget *button = gtk_menu_button_new ();

  g_menu_item_set_action_and_target_value (save, "pip.save-letter", g_variant_new_string (record_id));
  g_menu_item_set_action_and_target_value (print, "pip.print-letter", g_variant_new_string (record_id));
  g_menu_append_item (menu, save);
  g_menu_append_item (menu, print);

  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "document-save-as-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  /* Translators: %d is the number of a PIP version */
  label = g_strdup_printf (_("Letter for Version %d"), version);
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return button;
}

/* ---- discarding a draft --------------------------------------------------- */

static void
undo_discard (RegieDossierPage *self)
{
  const char *text = g_object_get_data (G_OBJECT (self), "regie-pip-discarded");
  const char *dossier = g_object_get_data (G_OBJECT (self), "regie-pip-discarded-dossier");

  if (text == NULL || g_strcmp0 (dossier, self->dossier_id) != 0)
    return;

  fill_editor_from_text (self, text);
  g_object_set_data (G_OBJECT (self), "regie-pip-discarded", NULL);
  revalidate (self);
  update_draft_actions (self);
}

static void
undo_discard_action_cb (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  undo_discard (REGIE_DOSSIER_PAGE (user_data));
}

static void
undo_toast_clicked_cb (AdwToast         *toast,
                       RegieDossierPage *self)
{
  undo_discard (self);
}

static void
discard_draft_action_cb (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  RegieDossierPage *self = user_data;
  g_autofree char *text = dup_draft_text (self);
  GtkWidget *overlay;
  AdwToast *toast;

  if (text == NULL || self->dossier_id == NULL)
    return;

  g_object_set_data_full (G_OBJECT (self), "regie-pip-discarded", g_steal_pointer (&text), g_free);
  g_object_set_data_full (G_OBJECT (self), "regie-pip-discarded-dossier", g_strdup (self->dossier_id), g_free);
  g_hash_table_remove (drafts (self), self->dossier_id);
  fill_editor (self);
  revalidate (self);
  update_draft_actions (self);

  overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    return;
  toast = adw_toast_new (_("PIP draft discarded"));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (undo_toast_clicked_cb), self, 0);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

static const GActionEntry pip_actions[] = {
  { "save-letter", save_letter_action_cb, "s" },
  { "write-letter-pdf", write_letter_pdf_action_cb, "(ss)" },
  { "print-letter", print_letter_action_cb, "s" },
  { "discard-draft", discard_draft_action_cb },
  { "undo-discard-draft", undo_discard_action_cb },
};

static void
update_versions (RegieDossierPage *self)
{
  g_autoptr(GPtrArray) pips = regie_dossier_page_sorted (self, REGIE_RECORD_PIP, "version");

  regie_list_clear (self->pip_versions);

  for (guint i = pips->len; i > 0; i--)
    {
      RegieRecord *pip = g_ptr_array_index (pips, i - 1);
      JsonObject *payload = json_node_get_object (regie_record_get_payload (pip));
      GtkWidget *row = adw_expander_row_new ();
      g_autofree char *title = NULL;
      g_autofree char *subtitle = NULL;
      g_autofree char *date = NULL;
      GDate d;

      if (regie_record_get_date (pip, "dagtekening", &d))
        date = regie_ui_format_gdate (&d, TRUE);
      /* Translators: %d is the number of a PIP version */
      title = g_strdup_printf (_("Version %d"), (int) regie_record_get_int (pip, "version", 0));
      /* Translators: a PIP version: %s the dagtekening (date of the decision), %s the leerroute */
      subtitle = g_strdup_printf (_("Dated %s · %s"), date != NULL ? date : "",
                                  route_label (regie_record_get_string (pip, "leerroute")));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
      gtk_widget_set_name (row, regie_record_get_id (pip));
      if (regie_store_record_is_pending (self->store, regie_record_get_id (pip)))
        adw_expander_row_add_action (ADW_EXPANDER_ROW (row), regie_ui_pending_badge_new ());
      adw_expander_row_add_action (ADW_EXPANDER_ROW (row),
                                   letter_menu_button (regie_record_get_id (pip),
                                                       (int) regie_record_get_int (pip, "version", 0)));

      for (guint f = 0; f < G_N_ELEMENTS (pip_fields); f++)
        {
          GtkWidget *field_row = adw_action_row_new ();
          g_autofree char *value = field_text (payload, &pip_fields[f]);

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (field_row), field_label (&pip_fields[f]));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (field_row), value);
          gtk_widget_add_css_class (field_row, "property");
          adw_expander_row_add_row (ADW_EXPANDER_ROW (row), field_row);
        }
      gtk_list_box_append (self->pip_versions, row);
    }
}

void
regie_dossier_page_update_pip (RegieDossierPage *self,
                               gboolean          reset_forms)
{
  update_versions (self);
  if (reset_forms || self->pip_draft_id == NULL)
    switch_drafts (self);
  revalidate (self);
  update_draft_actions (self);
}

static void
issue_clicked_cb (RegieDossierPage *self)
{
  g_autoptr(JsonBuilder) unused = NULL;
  g_autoptr(JsonNode) draft = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *id = NULL;
  g_autofree char *message = NULL;
  int version;

  revalidate (self);
  if (!gtk_widget_get_sensitive (self->pip_issue_button) || self->store == NULL)
    return;

  version = next_version (self);
  draft = build_draft (self, version);
  if (draft == NULL)
    return;
  payload = json_to_string (draft, FALSE);

  /* The draft's id becomes the issued record's id: what was checked is
   * what is written. */
  id = regie_store_put_record (self->store, self->dossier_id, REGIE_RECORD_PIP, self->pip_draft_id, payload, &error);
  if (id == NULL)
    {
      /* Translators: %s is a technical reason */
      message = g_strdup_printf (_("The PIP could not be issued: %s"), error->message);
      set_blocked (self, message);
      return;
    }

  /* Translators: %d is the number of the PIP version just issued */
  message = g_strdup_printf (_("PIP version %d issued. It is sent with the next sync."), version);
  regie_dossier_page_toast (self, message);

  if (self->dossier_id != NULL)
    g_hash_table_remove (drafts (self), self->dossier_id);
  regie_dossier_page_reload (self);
  fill_editor (self);
  revalidate (self);
  update_draft_actions (self);
}

static void
changed_cb (RegieDossierPage *self)
{
  if (self->pip_filling)
    return;
  revalidate (self);
  update_draft_actions (self);
}

static void
watch (RegieDossierPage *self,
       GtkWidget        *widget,
       const char       *signal)
{
  g_signal_connect_swapped (widget, signal, G_CALLBACK (changed_cb), self);
}

void
regie_dossier_page_build_pip (RegieDossierPage *self)
{
  GtkBox *box = regie_dossier_page_section_box (self, "pip");
  const char *route_labels[] = { route_label ("b1"), route_label ("onderwijs"), route_label ("z"), NULL };
  RegieForm versions = { 0 }, editor = { 0 }, plan = { 0 }, participation = { 0 }, afschalen = { 0 };
  GtkWidget *parts_box, *issue_box, *heading, *discard;
  GSimpleActionGroup *group = g_simple_action_group_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (group), pip_actions, G_N_ELEMENTS (pip_actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "pip", G_ACTION_GROUP (group));
  g_object_set_data_full (G_OBJECT (self), "regie-pip-actions", group, g_object_unref);

  regie_form_init (&versions, _("Issued Versions"),
                   /* Translators: a PIP version is a beschikking (formal decision); dagtekening is its date */
                   _("Each version is a formal decision with its own date. Issued versions cannot be changed."));
  self->pip_versions = GTK_LIST_BOX (regie_list_new (_("No PIP issued yet"), _("Issued PIP versions")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (versions.group), GTK_WIDGET (self->pip_versions));
  gtk_box_append (box, versions.group);

  regie_form_init (&editor, _("New Version"),
                   _("Starts as a copy of the version in force. Checked against DUO’s rules as you type."));
  self->pip_route = regie_form_combo (&editor, _("Leerroute"), route_labels);
  gtk_widget_set_name (self->pip_route, "pip-leerroute");
  watch (self, self->pip_route, "notify::selected");
  for (guint i = 0; i < G_N_ELEMENTS (skills); i++)
    {
      g_autofree char *title = NULL;
      g_autofree char *name = g_strdup_printf ("pip-target-%s", skills[i]);

      /* Translators: %s is a language skill, e.g. "Reading" */
      title = g_strdup_printf (_("Target level: %s"), skill_label (i));
      self->pip_levels[i] = regie_form_combo (&editor, title, levels);
      gtk_widget_set_name (self->pip_levels[i], name);
      watch (self, self->pip_levels[i], "notify::selected");
    }
  self->pip_knm = regie_form_switch (&editor, _("KNM"),
                                     /* Translators: KNM explained */
                                     _("Knowledge of Dutch society"));
  watch (self, g_object_get_data (G_OBJECT (self->pip_knm), "regie-switch"), "notify::active");
  gtk_box_append (box, editor.group);

  regie_form_init (&plan, _("Course"), NULL);
  self->pip_hours = regie_form_entry (&plan, _("Estimated course hours"));
  gtk_widget_set_name (self->pip_hours, "pip-hours-estimate");
  gtk_widget_set_tooltip_text (self->pip_hours, _("Only for asylum status holders; leave empty otherwise"));
  watch (self, self->pip_hours, "changed");
  self->pip_provider = regie_form_entry (&plan, _("Course provider"));
  watch (self, self->pip_provider, "changed");
  self->pip_certified = regie_form_switch (&plan, _("Provider holds the quality mark"), NULL);
  watch (self, g_object_get_data (G_OBJECT (self->pip_certified), "regie-switch"), "notify::active");
  self->pip_intensity = regie_form_spin (&plan, _("Course hours per week"), 0, 60);
  watch (self, GTK_WIDGET (regie_form_spin_get_button (self->pip_intensity)), "value-changed");
  self->pip_pvt = regie_form_switch (&plan, _("PVT arranged"),
                                     /* Translators: PVT explained */
                                     _("Participatieverklaringstraject, at least 12 hours"));
  watch (self, g_object_get_data (G_OBJECT (self->pip_pvt), "regie-switch"), "notify::active");
  self->pip_map = regie_form_switch (&plan, _("MAP arranged"),
                                     /* Translators: MAP explained */
                                     _("Module arbeidsmarkt en participatie"));
  watch (self, g_object_get_data (G_OBJECT (self->pip_map), "regie-switch"), "notify::active");
  gtk_box_append (box, plan.group);

  regie_form_init (&participation, _("Participation and Support"), NULL);
  self->pip_participation = regie_form_entry (&participation, _("Participation"));
  watch (self, self->pip_participation, "changed");
  self->pip_duaal = regie_form_switch (&participation, _("Duaal (language and work combined)"), NULL);
  watch (self, g_object_get_data (G_OBJECT (self->pip_duaal), "regie-switch"), "notify::active");
  self->pip_childcare = regie_form_entry (&participation, _("Childcare"));
  watch (self, self->pip_childcare, "changed");
  self->pip_support = regie_form_entry (&participation, _("Support"));
  watch (self, self->pip_support, "changed");
  self->pip_talk_weeks = regie_form_spin (&participation, _("Weeks between progress talks"), 1, 52);
  watch (self, GTK_WIDGET (regie_form_spin_get_button (self->pip_talk_weeks)), "value-changed");
  self->pip_waiting = regie_form_switch (&participation, _("Waiting for a third party (+2 weeks)"),
                                         _("Extends the PIP term while information is missing"));
  watch (self, g_object_get_data (G_OBJECT (self->pip_waiting), "regie-switch"), "notify::active");
  gtk_box_append (box, participation.group);

  regie_form_init (&afschalen, _("Afschalen"),
                   /* Translators: afschalen explained; keep the term */
                   _("Lower exam parts from B1 to A2: B1-route only, not in the first PIP, after at least 600 hours at a certified school and proven effort."));
  /* Wraps, so that the section fits beside the caseload at 800 px. */
  parts_box = regie_ui_wrap_row_new ();
  for (guint i = 0; i < G_N_ELEMENTS (exam_parts); i++)
    {
      g_autofree char *name = g_strdup_printf ("pip-afschalen-%s", exam_parts[i]);

      self->pip_afschalen[i] = gtk_check_button_new_with_label (exam_parts[i]);
      gtk_widget_set_name (self->pip_afschalen[i], name);
      /* Translators: %s is an exam part code: L, Lu, S, Sp or KNM */
      {
        g_autofree char *tip = g_strdup_printf (_("Lower exam part %s to A2"), exam_parts[i]);
        gtk_widget_set_tooltip_text (self->pip_afschalen[i], tip);
      }
      watch (self, self->pip_afschalen[i], "toggled");
      regie_ui_wrap_row_append (parts_box, self->pip_afschalen[i]);
    }
  /* The parts below the title rather than beside it: beside it, the
   * title had to wrap letter by letter in a narrow window. */
  {
    GtkWidget *parts_row = adw_preferences_row_new ();
    GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
    GtkWidget *title = gtk_label_new (_("Exam parts lowered to A2"));

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (parts_row), _("Exam parts lowered to A2"));
    gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (parts_row), FALSE);
    gtk_widget_set_focusable (parts_row, FALSE);
    gtk_label_set_xalign (GTK_LABEL (title), 0);
    gtk_label_set_wrap (GTK_LABEL (title), TRUE);
    gtk_widget_set_margin_start (content, 12);
    gtk_widget_set_margin_end (content, 12);
    gtk_widget_set_margin_top (content, 10);
    gtk_widget_set_margin_bottom (content, 10);
    gtk_widget_set_halign (parts_box, GTK_ALIGN_START);
    gtk_box_append (GTK_BOX (content), title);
    gtk_box_append (GTK_BOX (content), parts_box);
    gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (parts_row), content);
    gtk_accessible_update_relation (GTK_ACCESSIBLE (parts_box), GTK_ACCESSIBLE_RELATION_LABELLED_BY, title, NULL, -1);
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (afschalen.group), parts_row);
  }
  self->pip_effort = regie_form_entry (&afschalen, _("Proven effort"));
  watch (self, self->pip_effort, "changed");
  gtk_box_append (box, afschalen.group);

  heading = gtk_label_new (NULL);
  self->pip_compare_heading = GTK_LABEL (heading);
  gtk_label_set_xalign (self->pip_compare_heading, 0);
  /* Longer in Dutch than the section is wide beside the caseload. */
  gtk_label_set_wrap (self->pip_compare_heading, TRUE);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (box, heading);
  self->pip_compare = REGIE_FIELD_COMPARE (regie_field_compare_new ());
  regie_field_compare_set_placeholder (self->pip_compare, _("No changes yet"));
  gtk_widget_set_name (GTK_WIDGET (self->pip_compare), "pip-compare");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->pip_compare), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Changes from the version in force"), -1);
  gtk_box_append (box, GTK_WIDGET (self->pip_compare));

  self->pip_findings = GTK_LIST_BOX (regie_list_new ("", _("Findings for this PIP")));
  gtk_widget_set_name (GTK_WIDGET (self->pip_findings), "pip-findings");
  gtk_box_append (box, GTK_WIDGET (self->pip_findings));

  /* Why it cannot be issued yet on a line of its own, then the buttons,
   * which wrap when the page is narrow. */
  issue_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  self->pip_blocked_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->pip_blocked_label), "pip-blocked-label");
  gtk_label_set_wrap (self->pip_blocked_label, TRUE);
  gtk_label_set_xalign (self->pip_blocked_label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->pip_blocked_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->pip_blocked_label), "error");
  gtk_box_append (GTK_BOX (issue_box), GTK_WIDGET (self->pip_blocked_label));
  self->pip_issue_button = gtk_button_new_with_mnemonic (_("_Issue PIP"));
  gtk_widget_set_name (self->pip_issue_button, "pip-issue-button");
  gtk_widget_set_valign (self->pip_issue_button, GTK_ALIGN_START);
  gtk_widget_add_css_class (self->pip_issue_button, "suggested-action");
  gtk_widget_set_tooltip_text (self->pip_issue_button,
                               _("Issue this version as a formal decision dated today; it cannot be changed afterwards"));
  g_signal_connect_swapped (self->pip_issue_button, "clicked", G_CALLBACK (issue_clicked_cb), self);
  discard = gtk_button_new_with_mnemonic (_("_Discard Draft"));
  gtk_widget_set_name (discard, "pip-discard-button");
  gtk_widget_set_valign (discard, GTK_ALIGN_START);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (discard), "pip.discard-draft");
  gtk_widget_set_tooltip_text (discard, _("Start again from the version in force; you can undo this"));
  {
    GtkWidget *buttons = regie_ui_wrap_row_new ();

    regie_ui_wrap_row_append (buttons, discard);
    regie_ui_wrap_row_append (buttons, self->pip_issue_button);
    gtk_box_append (GTK_BOX (issue_box), buttons);
  }
  gtk_box_append (box, issue_box);
}
