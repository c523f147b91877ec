/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>

#include "regie-util.h"

#include "regie-dossier-page-private.h"
#include "regie-ontzorgen-chart.h"
#include "regie-ui-util.h"

/* The smaller sections: household, progress talks, signals, ontzorgen. */

#define INVALID_MESSAGE _("Correct the marked fields. Nothing was saved.")

/* ---- person and household ---------------------------------------------- */

static const char * const relations[] = { "partner", "child", "parent", "other", NULL };

static const char *
relation_label (const char *relation)
{
  if (g_strcmp0 (relation, "partner") == 0) return C_("relation", "Partner");
  if (g_strcmp0 (relation, "child") == 0) return C_("relation", "Child");
  if (g_strcmp0 (relation, "parent") == 0) return C_("relation", "Parent");
  return C_("relation", "Other");
}

void
regie_dossier_page_update_person (RegieDossierPage *self,
                                  gboolean          reset_forms)
{
  g_autoptr(GPtrArray) members = regie_dossier_page_sorted (self, REGIE_RECORD_HOUSEHOLD_MEMBER, "birth_date");

  regie_list_clear (self->household_list);
  for (guint i = 0; i < members->len; i++)
    {
      RegieRecord *r = g_ptr_array_index (members, i);
      g_autofree char *name = g_strdup_printf ("%s %s", regie_record_get_string (r, "given_names") != NULL
                                               ? regie_record_get_string (r, "given_names") : "",
                                               regie_record_get_string (r, "family_name"));
      g_autofree char *birth = regie_ui_format_date (regie_record_get_string (r, "birth_date"), FALSE);
      g_autofree char *subtitle = NULL;

      subtitle = g_strdup_printf ("%s%s%s%s", relation_label (regie_record_get_string (r, "relation")),
                                  birth[0] != '\0' ? " · " : "", birth,
                                  regie_record_get_bool (r, "needs_childcare") ? _(" · needs childcare") : "");
      gtk_list_box_append (self->household_list, regie_dossier_page_record_row (self, r, g_strstrip (name), subtitle));
    }

  if (reset_forms)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->member_given), "");
      gtk_editable_set_text (GTK_EDITABLE (self->member_family), "");
      regie_ui_date_row_set (self->member_birth, NULL);
    }
}

static void
add_member_cb (RegieDossierPage *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *birth = NULL, *id = NULL;
  gboolean ok = TRUE;

  ok &= regie_ui_date_row_get (self->member_birth, FALSE, &birth);
  if (regie_form_text (self->member_family) == NULL)
    {
      regie_ui_set_invalid (self->member_family, _("Enter the family name."));
      ok = FALSE;
    }
  if (!ok)
    {
      regie_form_set_error (&self->member_form, INVALID_MESSAGE);
      return;
    }

  json_builder_begin_object (b);
  regie_builder_add_string (b, "given_names", regie_form_text (self->member_given));
  regie_builder_add_string (b, "family_name", regie_form_text (self->member_family));
  regie_builder_add_string (b, "relation", relations[adw_combo_row_get_selected (ADW_COMBO_ROW (self->member_relation))]);
  regie_builder_add_string (b, "birth_date", birth);
  json_builder_set_member_name (b, "needs_childcare");
  json_builder_add_boolean_value (b, regie_form_switch_get (self->member_childcare));
  json_builder_end_object (b);

  id = regie_dossier_page_put (self, &self->member_form, REGIE_RECORD_HOUSEHOLD_MEMBER, NULL, b);
  if (id != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->member_given), "");
      gtk_editable_set_text (GTK_EDITABLE (self->member_family), "");
      regie_ui_date_row_set (self->member_birth, NULL);
    }
}

void
regie_dossier_page_build_person (RegieDossierPage *self)
{
  RegieForm household = { 0 };
  const char *relation_labels[] = { relation_label ("partner"), relation_label ("child"),
                                    relation_label ("parent"), relation_label ("other"), NULL };

  regie_form_init (&household, _("Household"), NULL);
  self->household_list = GTK_LIST_BOX (regie_list_new (_("No household members recorded"), _("Household")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (household.group), GTK_WIDGET (self->household_list));
  gtk_box_append (self->person_box, household.group);

  regie_form_init (&self->member_form, _("Add Household Member"), NULL);
  self->member_given = regie_form_entry (&self->member_form, _("Given names"));
  self->member_family = regie_form_entry (&self->member_form, _("Family name"));
  self->member_relation = regie_form_combo (&self->member_form, _("Relation"), relation_labels);
  self->member_birth = regie_form_date (&self->member_form, _("Date of birth"));
  self->member_childcare = regie_form_switch (&self->member_form, _("Needs childcare during course hours"), NULL);
  regie_form_add_save_button (&self->member_form, _("Add _Member"), "member-add", G_CALLBACK (add_member_cb), self);
  gtk_box_append (self->person_box, self->member_form.group);
}

/* ---- progress talks ------------------------------------------------------ */

static const char * const life_areas[] = {
  "language", "participation", "work", "income", "housing", "family", "wellbeing", "network",
};

static const char *
life_area_label (guint i)
{
  switch (i)
    {
    case 0: return C_("life area", "Language learning");
    case 1: return C_("life area", "Participation and activities");
    case 2: return C_("life area", "Work and study");
    case 3: return C_("life area", "Income and money");
    case 4: return C_("life area", "Housing");
    case 5: return C_("life area", "Family and childcare");
    /* Translators: wellbeing, without medical detail (health data is special category) */
    case 6: return C_("life area", "Wellbeing (no medical detail)");
    default: return C_("life area", "Social network");
    }
}

void
regie_dossier_page_update_talks (RegieDossierPage *self,
                                 gboolean          reset_forms)
{
  g_autoptr(GPtrArray) talks = regie_dossier_page_sorted (self, REGIE_RECORD_PROGRESS_TALK, "held_on");

  regie_list_clear (self->talks_list);
  for (guint i = talks->len; i > 0; i--)
    {
      RegieRecord *r = g_ptr_array_index (talks, i - 1);
      JsonObject *areas = regie_record_get_object (r, "life_areas");
      GtkWidget *row = adw_expander_row_new ();
      g_autofree char *date = regie_ui_format_date (regie_record_get_string (r, "held_on"), TRUE);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), date);
      if (regie_record_get_string (r, "agreements") != NULL)
        adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), regie_record_get_string (r, "agreements"));
      gtk_widget_set_name (row, regie_record_get_id (r));
      if (regie_store_record_is_pending (self->store, regie_record_get_id (r)))
        adw_expander_row_add_action (ADW_EXPANDER_ROW (row), regie_ui_pending_badge_new ());
      for (guint a = 0; a < G_N_ELEMENTS (life_areas); a++)
        {
          const char *text = areas != NULL ? regie_json_object_get_str (areas, life_areas[a]) : NULL;
          GtkWidget *area_row;

          if (text == NULL)
            continue;
          area_row = adw_action_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (area_row), life_area_label (a));
          adw_action_row_set_subtitle (ADW_ACTION_ROW (area_row), text);
          gtk_widget_add_css_class (area_row, "property");
          adw_expander_row_add_row (ADW_EXPANDER_ROW (row), area_row);
        }
      gtk_list_box_append (self->talks_list, row);
    }

  if (reset_forms)
    {
      g_autofree char *today = regie_date_format (&self->today);

      regie_ui_date_row_set (self->talk_date, today);
      for (guint a = 0; a < G_N_ELEMENTS (life_areas); a++)
        gtk_editable_set_text (GTK_EDITABLE (self->talk_areas[a]), "");
      gtk_editable_set_text (GTK_EDITABLE (self->talk_agreements), "");
    }
}

static void
add_talk_cb (RegieDossierPage *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *date = NULL, *id = NULL;

  if (!regie_ui_date_row_get (self->talk_date, TRUE, &date))
    {
      regie_form_set_error (&self->talk_form, INVALID_MESSAGE);
      return;
    }

  json_builder_begin_object (b);
  regie_builder_add_string (b, "held_on", date);
  if (self->username != NULL && regie_text_is_valid (self->username, 64, FALSE))
    regie_builder_add_string (b, "held_by", self->username);
  json_builder_set_member_name (b, "life_areas");
  json_builder_begin_object (b);
  for (guint a = 0; a < G_N_ELEMENTS (life_areas); a++)
    regie_builder_add_string (b, life_areas[a], regie_form_text (self->talk_areas[a]));
  json_builder_end_object (b);
  regie_builder_add_string (b, "agreements", regie_form_text (self->talk_agreements));
  json_builder_end_object (b);

  id = regie_dossier_page_put (self, &self->talk_form, REGIE_RECORD_PROGRESS_TALK, NULL, b);
  if (id != NULL)
    {
      for (guint a = 0; a < G_N_ELEMENTS (life_areas); a++)
        gtk_editable_set_text (GTK_EDITABLE (self->talk_areas[a]), "");
      gtk_editable_set_text (GTK_EDITABLE (self->talk_agreements), "");
      regie_dossier_page_toast (self, _("Progress talk saved on this computer"));
    }
}

void
regie_dossier_page_build_talks (RegieDossierPage *self)
{
  GtkBox *box = regie_dossier_page_section_box (self, "talks");
  RegieForm list = { 0 };

  regie_form_init (&list, _("Progress Talks"), _("Broad by design: language, but also work, money, housing and family."));
  self->talks_list = GTK_LIST_BOX (regie_list_new (_("No progress talks yet"), _("Progress talks")));
  gtk_widget_set_name (GTK_WIDGET (self->talks_list), "talks-list");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (list.group), GTK_WIDGET (self->talks_list));
  gtk_box_append (box, list.group);

  regie_form_init (&self->talk_form, _("Add Progress Talk"), NULL);
  self->talk_date = regie_form_date (&self->talk_form, _("Day of the talk"));
  gtk_widget_set_name (self->talk_date, "talk-date");
  for (guint a = 0; a < G_N_ELEMENTS (life_areas); a++)
    {
      g_autofree char *name = g_strdup_printf ("talk-%s", life_areas[a]);

      self->talk_areas[a] = regie_form_entry (&self->talk_form, life_area_label (a));
      gtk_widget_set_name (self->talk_areas[a], name);
    }
  self->talk_agreements = regie_form_entry (&self->talk_form, _("Agreements"));
  regie_form_add_save_button (&self->talk_form, _("Add _Progress Talk"), "talk-add", G_CALLBACK (add_talk_cb), self);
  gtk_box_append (box, self->talk_form.group);
}

/* ---- signals -------------------------------------------------------------- */

static const char * const signal_statuses[] = { "open", "in_progress", "done", NULL };

static void
status_changed_cb (AdwComboRow      *combo,
                   GParamSpec       *pspec,
                   RegieDossierPage *self)
{
  RegieRecord *record = g_object_get_data (G_OBJECT (combo), "regie-record");
  const char *status = signal_statuses[adw_combo_row_get_selected (combo)];
  JsonObject *old = json_node_get_object (regie_record_get_payload (record));
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *id = NULL;
  g_autoptr(GList) members = NULL;

  if (g_strcmp0 (status, regie_record_get_string (record, "status")) == 0)
    return;

  json_builder_begin_object (b);
  members = json_object_get_members (old);
  for (GList *l = members; l != NULL; l = l->next)
    {
      json_builder_set_member_name (b, l->data);
      if (g_str_equal (l->data, "status"))
        json_builder_add_string_value (b, status);
      else
        json_builder_add_value (b, json_node_copy (json_object_get_member (old, l->data)));
    }
  json_builder_end_object (b);

  id = regie_dossier_page_put (self, NULL, REGIE_RECORD_SIGNAL, regie_record_get_id (record), b);
}

void
regie_dossier_page_update_signals (RegieDossierPage *self,
                                   gboolean          reset_forms G_GNUC_UNUSED)
{
  g_autoptr(GPtrArray) records = regie_dossier_page_sorted (self, REGIE_RECORD_SIGNAL, "raised_on");
  const char *status_labels[] = {
    C_("signal status", "Open"), C_("signal status", "In progress"), C_("signal status", "Done"), NULL
  };

  regie_list_clear (self->signals_list);
  for (guint i = records->len; i > 0; i--)
    {
      RegieRecord *r = g_ptr_array_index (records, i - 1);
      GtkWidget *row = adw_combo_row_new ();
      g_autoptr(GtkStringList) model = gtk_string_list_new (status_labels);
      g_autofree char *raised = regie_ui_format_date (regie_record_get_string (r, "raised_on"), FALSE);
      g_autofree char *subtitle = NULL;
      int index = 0;

      for (int s = 0; signal_statuses[s] != NULL; s++)
        if (g_strcmp0 (signal_statuses[s], regie_record_get_string (r, "status")) == 0)
          index = s;

      /* Translators: a signal: %s the owner's user name, %s the day it was raised */
      subtitle = g_strdup_printf (_("Owner: %s · raised %s"), regie_record_get_string (r, "owner"), raised);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), regie_record_get_string (r, "title"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (model));
      adw_combo_row_set_selected (ADW_COMBO_ROW (row), index);
      gtk_widget_set_name (row, regie_record_get_id (r));
      gtk_widget_set_tooltip_text (row, regie_record_get_string (r, "description"));
      if (regie_store_record_is_pending (self->store, regie_record_get_id (r)))
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), regie_ui_pending_badge_new ());
      g_object_set_data_full (G_OBJECT (row), "regie-record", g_object_ref (r), g_object_unref);
      g_signal_connect (row, "notify::selected", G_CALLBACK (status_changed_cb), self);
      gtk_list_box_append (self->signals_list, row);
    }
}

void
regie_dossier_page_build_signals (RegieDossierPage *self)
{
  GtkBox *box = regie_dossier_page_section_box (self, "signals");
  RegieForm list = { 0 };

  regie_form_init (&list, _("Signals"), _("Something someone must act on. Change the status as it is handled."));
  self->signals_list = GTK_LIST_BOX (regie_list_new (_("No signals"), _("Signals")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (list.group), GTK_WIDGET (self->signals_list));
  gtk_box_append (box, list.group);
}

/* ---- ontzorgen ------------------------------------------------------------ */

static const char * const toeslag_types[] = { "huurtoeslag", "zorgtoeslag", "kinderopvangtoeslag", "kindgebonden_budget", NULL };

static const char *
toeslag_label (const char *type)
{
  /* Translators: Dutch benefit allowances; keep the Dutch names or add an explanation */
  if (g_strcmp0 (type, "huurtoeslag") == 0) return C_("toeslag", "Huurtoeslag (rent)");
  if (g_strcmp0 (type, "zorgtoeslag") == 0) return C_("toeslag", "Zorgtoeslag (health care)");
  if (g_strcmp0 (type, "kinderopvangtoeslag") == 0) return C_("toeslag", "Kinderopvangtoeslag (childcare)");
  return C_("toeslag", "Kindgebonden budget (children)");
}

static gint64
sum_array (JsonArray  *array,
           const char *member)
{
  gint64 total = 0;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    total += regie_json_object_get_int (json_array_get_object_element (array, i), member, 0);
  return total;
}

void
regie_dossier_page_update_ontzorgen (RegieDossierPage *self,
                                     gboolean          reset_forms)
{
  g_autoptr(GPtrArray) months = regie_dossier_page_sorted (self, REGIE_RECORD_ONTZORGEN_MONTH, "month");
  RegieOntzorgenChart *chart = g_object_get_data (G_OBJECT (self), "regie-ontzorgen-chart");
  GPtrArray *loans = self->dossier != NULL ? regie_case_get_records (self->dossier, REGIE_RECORD_BRIDGING_LOAN) : NULL;

  regie_ontzorgen_chart_set_data (chart, months, loans, self->settings.leefgeld_threshold_cents,
                                  self->settings.toeslag_grace_days, &self->today);
  gtk_widget_set_visible (GTK_WIDGET (chart), months->len > 0);

  regie_list_clear (self->months_list);
  for (guint i = months->len; i > 0; i--)
    {
      RegieRecord *r = g_ptr_array_index (months, i - 1);
      JsonArray *toeslagen = regie_record_get_array (r, "toeslagen");
      JsonArray *costs = regie_record_get_array (r, "fixed_costs");
      gint64 bijstand = regie_record_get_int (r, "bijstand_cents", 0);
      gint64 other = regie_record_get_int (r, "other_income_cents", 0);
      gint64 expected = sum_array (toeslagen, "expected_cents");
      gint64 received = sum_array (toeslagen, "received_cents");
      gint64 fixed = sum_array (costs, "amount_cents");
      gint64 leefgeld = bijstand + other + received - fixed;
      g_autofree char *s_bijstand = regie_ui_format_euros (bijstand);
      g_autofree char *s_expected = regie_ui_format_euros (expected);
      g_autofree char *s_received = regie_ui_format_euros (received);
      g_autofree char *s_fixed = regie_ui_format_euros (fixed);
      g_autofree char *s_leefgeld = regie_ui_format_euros (leefgeld);
      g_autofree char *subtitle = NULL;
      g_autofree char *title = NULL;
      GtkWidget *row, *label;

      /* Translators: one ontzorgen month: bijstand (social assistance),
       * toeslagen (allowances) received of expected, fixed costs paid */
      subtitle = g_strdup_printf (_("Bijstand %s · toeslagen %s of %s · fixed costs %s"),
                                  s_bijstand, s_received, s_expected, s_fixed);
      title = g_strdup (regie_record_get_string (r, "month"));
      row = regie_dossier_page_record_row (self, r, title, subtitle);
      /* Translators: leefgeld is the money left to live on; keep the term */
      label = gtk_label_new (NULL);
      {
        g_autofree char *text = g_strdup_printf (_("Leefgeld %s"), s_leefgeld);
        gtk_label_set_text (GTK_LABEL (label), text);
      }
      gtk_widget_add_css_class (label, "numeric");
      if (leefgeld < self->settings.leefgeld_threshold_cents)
        gtk_widget_add_css_class (label, "error");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      gtk_list_box_append (self->months_list, row);
    }

  if (reset_forms)
    {
      GtkWidget *rows[] = { self->month_month, self->month_bijstand, self->month_other, self->month_toeslag_expected,
                            self->month_toeslag_received, self->month_rent, self->month_energy, self->month_insurance };

      for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
        gtk_editable_set_text (GTK_EDITABLE (rows[i]), "");
      regie_ui_date_row_set (self->month_toeslag_expected_on, NULL);
      regie_ui_date_row_set (self->month_toeslag_received_on, NULL);
    }
}

static void
add_cost (JsonBuilder *b,
          const char  *type,
          gint64       cents,
          gboolean     set)
{
  if (!set)
    return;
  json_builder_begin_object (b);
  regie_builder_add_string (b, "type", type);
  json_builder_set_member_name (b, "amount_cents");
  json_builder_add_int_value (b, cents);
  json_builder_end_object (b);
}

static void
add_month_cb (RegieDossierPage *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *month = NULL, *expected_on = NULL, *received_on = NULL, *id = NULL;
  gint64 bijstand = 0, other = 0, expected = 0, received = 0, rent = 0, energy = 0, insurance = 0;
  gboolean bijstand_set, other_set, expected_set, received_set, rent_set, energy_set, insurance_set;
  gboolean ok = TRUE;

  if (!regie_ui_parse_month (regie_form_text (self->month_month), &month))
    {
      /* Translators: keep YYYY-MM as is */
      regie_ui_set_invalid (self->month_month, _("Enter the month as YYYY-MM, for example 2026-03."));
      ok = FALSE;
    }
  ok &= regie_form_euros (self->month_bijstand, TRUE, &bijstand, &bijstand_set);
  ok &= regie_form_euros (self->month_other, FALSE, &other, &other_set);
  ok &= regie_form_euros (self->month_toeslag_expected, FALSE, &expected, &expected_set);
  ok &= regie_ui_date_row_get (self->month_toeslag_expected_on, expected_set, &expected_on);
  ok &= regie_form_euros (self->month_toeslag_received, FALSE, &received, &received_set);
  ok &= regie_ui_date_row_get (self->month_toeslag_received_on, FALSE, &received_on);
  ok &= regie_form_euros (self->month_rent, FALSE, &rent, &rent_set);
  ok &= regie_form_euros (self->month_energy, FALSE, &energy, &energy_set);
  ok &= regie_form_euros (self->month_insurance, FALSE, &insurance, &insurance_set);
  if (ok && !expected_set && (received_set || received_on != NULL))
    {
      regie_ui_set_invalid (self->month_toeslag_expected, _("Enter the amount expected too."));
      ok = FALSE;
    }
  if (!ok)
    {
      regie_form_set_error (&self->month_form, INVALID_MESSAGE);
      return;
    }

  json_builder_begin_object (b);
  regie_builder_add_string (b, "month", month);
  json_builder_set_member_name (b, "bijstand_cents");
  json_builder_add_int_value (b, bijstand);
  if (other_set)
    {
      json_builder_set_member_name (b, "other_income_cents");
      json_builder_add_int_value (b, other);
    }
  if (expected_set)
    {
      json_builder_set_member_name (b, "toeslagen");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      regie_builder_add_string (b, "type", toeslag_types[adw_combo_row_get_selected (ADW_COMBO_ROW (self->month_toeslag_type))]);
      json_builder_set_member_name (b, "expected_cents");
      json_builder_add_int_value (b, expected);
      regie_builder_add_string (b, "expected_on", expected_on);
      if (received_set)
        {
          json_builder_set_member_name (b, "received_cents");
          json_builder_add_int_value (b, received);
        }
      regie_builder_add_string (b, "received_on", received_on);
      json_builder_end_object (b);
      json_builder_end_array (b);
    }
  if (rent_set || energy_set || insurance_set)
    {
      json_builder_set_member_name (b, "fixed_costs");
      json_builder_begin_array (b);
      add_cost (b, "rent", rent, rent_set);
      add_cost (b, "energy", energy, energy_set);
      add_cost (b, "health_insurance", insurance, insurance_set);
      json_builder_end_array (b);
    }
  json_builder_end_object (b);

  id = regie_dossier_page_put (self, &self->month_form, REGIE_RECORD_ONTZORGEN_MONTH, NULL, b);
  if (id != NULL)
    {
      regie_dossier_page_update_ontzorgen (self, TRUE);
      regie_dossier_page_toast (self, _("Month saved on this computer"));
    }
}

void
regie_dossier_page_build_ontzorgen (RegieDossierPage *self)
{
  GtkBox *box = regie_dossier_page_section_box (self, "ontzorgen");
  RegieForm list = { 0 };
  GtkWidget *chart;
  const char *toeslag_labels[] = { toeslag_label (toeslag_types[0]), toeslag_label (toeslag_types[1]),
                                   toeslag_label (toeslag_types[2]), toeslag_label (toeslag_types[3]), NULL };

  regie_form_init (&list, _("Months"),
                   /* Translators: leefgeld: what is left to live on; keep the term */
                   _("Income, toeslagen and fixed costs per month, and the leefgeld that remains, against the municipal threshold."));
  chart = regie_ontzorgen_chart_new ();
  gtk_widget_set_name (chart, "ontzorgen-chart");
  gtk_widget_set_margin_bottom (chart, 12);
  g_object_set_data (G_OBJECT (self), "regie-ontzorgen-chart", chart);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (list.group), chart);
  self->months_list = GTK_LIST_BOX (regie_list_new (_("No ontzorgen months recorded"), _("Ontzorgen months")));
  gtk_widget_set_name (GTK_WIDGET (self->months_list), "ontzorgen-months");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (list.group), GTK_WIDGET (self->months_list));
  gtk_box_append (box, list.group);

  regie_form_init (&self->month_form, _("Add Month"), _("Amounts in euros, for example 1234,56."));
  self->month_month = regie_form_entry (&self->month_form, _("Month (YYYY-MM)"));
  gtk_widget_set_name (self->month_month, "month-month");
  self->month_bijstand = regie_form_entry (&self->month_form, _("Bijstand paid"));
  gtk_widget_set_name (self->month_bijstand, "month-bijstand");
  self->month_other = regie_form_entry (&self->month_form, _("Other income"));
  self->month_toeslag_type = regie_form_combo (&self->month_form, _("Toeslag"), toeslag_labels);
  self->month_toeslag_expected = regie_form_entry (&self->month_form, _("Toeslag expected"));
  self->month_toeslag_expected_on = regie_form_date (&self->month_form, _("Expected on"));
  self->month_toeslag_received = regie_form_entry (&self->month_form, _("Toeslag received"));
  self->month_toeslag_received_on = regie_form_date (&self->month_form, _("Received on"));
  self->month_rent = regie_form_entry (&self->month_form, _("Rent paid"));
  self->month_energy = regie_form_entry (&self->month_form, _("Energy paid"));
  self->month_insurance = regie_form_entry (&self->month_form, _("Health insurance paid"));
  regie_form_add_save_button (&self->month_form, _("Add M_onth"), "month-add", G_CALLBACK (add_month_cb), self);
  gtk_box_append (box, self->month_form.group);
}
