/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>

#include "regie-util.h"

#include "regie-dossier-page-private.h"
#include "regie-ui-util.h"

/* Brede intake as a guided form in three parts, with health apart: it is
 * special-category data (AVG art. 9). Each part is one record per dossier,
 * saved on its own, offline. */

static const char * const outcomes[] = { "b1_haalbaar", "niet_haalbaar", "onbekend", NULL };

static RegieRecord *
first (RegieDossierPage *self,
       RegieRecordKind   kind)
{
  return self->dossier != NULL ? regie_case_get_first (self->dossier, kind) : NULL;
}

static void
set_text (GtkWidget   *row,
          RegieRecord *record,
          const char  *member)
{
  const char *value = record != NULL ? regie_record_get_string (record, member) : NULL;

  gtk_editable_set_text (GTK_EDITABLE (row), value != NULL ? value : "");
}

static void
set_pending (RegieDossierPage *self,
             RegieForm        *form,
             RegieRecord      *record)
{
  GtkWidget *badge = g_object_get_data (G_OBJECT (form->group), "regie-badge");

  if (badge == NULL)
    {
      badge = regie_ui_pending_badge_new ();
      g_object_set_data (G_OBJECT (form->group), "regie-badge", badge);
      adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (form->group), badge);
    }
  gtk_widget_set_visible (badge, record != NULL && regie_store_record_is_pending (self->store, regie_record_get_id (record)));
}

void
regie_dossier_page_update_intake (RegieDossierPage *self,
                                  gboolean          reset_forms)
{
  RegieRecord *lb = first (self, REGIE_RECORD_INTAKE_LEERBAARHEID);
  RegieRecord *edu = first (self, REGIE_RECORD_INTAKE_EDUCATION);
  RegieRecord *circ = first (self, REGIE_RECORD_INTAKE_CIRCUMSTANCES);
  RegieRecord *health = first (self, REGIE_RECORD_INTAKE_HEALTH);

  set_pending (self, &self->lb_form, lb);
  set_pending (self, &self->edu_form, edu);
  set_pending (self, &self->circ_form, circ);
  set_pending (self, &self->health_form, health);

  if (!reset_forms)
    return;

  regie_ui_date_row_set (self->lb_date, lb != NULL ? regie_record_get_string (lb, "taken_on") : NULL);
  {
    int index = 2;

    for (int i = 0; lb != NULL && outcomes[i] != NULL; i++)
      if (g_strcmp0 (outcomes[i], regie_record_get_string (lb, "outcome")) == 0)
        index = i;
    adw_combo_row_set_selected (ADW_COMBO_ROW (self->lb_outcome), index);
  }
  if (lb != NULL && regie_record_get_int (lb, "score", -1) >= 0)
    {
      g_autofree char *score = g_strdup_printf ("%" G_GINT64_FORMAT, regie_record_get_int (lb, "score", 0));
      gtk_editable_set_text (GTK_EDITABLE (self->lb_score), score);
    }
  else
    gtk_editable_set_text (GTK_EDITABLE (self->lb_score), "");

  regie_ui_date_row_set (self->edu_date, edu != NULL ? regie_record_get_string (edu, "completed_on") : NULL);
  set_text (self->edu_education, edu, "education");
  {
    JsonArray *languages = edu != NULL ? regie_record_get_array (edu, "languages") : NULL;
    g_autoptr(GString) text = g_string_new (NULL);

    for (guint i = 0; languages != NULL && i < json_array_get_length (languages); i++)
      g_string_append_printf (text, "%s%s", i > 0 ? ", " : "", json_array_get_string_element (languages, i));
    gtk_editable_set_text (GTK_EDITABLE (self->edu_languages), text->str);
  }
  set_text (self->edu_work, edu, "work_history");
  set_text (self->edu_ambitions, edu, "ambitions");

  regie_ui_date_row_set (self->circ_date, circ != NULL ? regie_record_get_string (circ, "completed_on") : NULL);
  set_text (self->circ_household, circ, "household");
  set_text (self->circ_housing, circ, "housing");
  set_text (self->circ_finances, circ, "finances");
  set_text (self->circ_childcare, circ, "childcare");
  set_text (self->circ_network, circ, "network");
  regie_form_switch_set (self->circ_support, circ != NULL && regie_record_get_bool (circ, "client_support_offered"));

  regie_ui_date_row_set (self->health_date, health != NULL ? regie_record_get_string (health, "completed_on") : NULL);
  set_text (self->health_text, health, "health");
  set_text (self->health_care, health, "care_providers");
  regie_form_switch_set (self->health_limits, health != NULL && regie_record_get_bool (health, "limits_learning"));
}

static void
saved (RegieDossierPage *self,
       const char       *what)
{
  g_autofree char *message = NULL;

  /* Translators: %s is a part of the intake, e.g. "Leerbaarheidstoets" */
  message = g_strdup_printf (_("%s saved on this computer"), what);
  regie_dossier_page_toast (self, message);
}

static const char *
id_of (RegieRecord *record)
{
  return record != NULL ? regie_record_get_id (record) : NULL;
}

static void
save_leerbaarheid_cb (RegieDossierPage *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *date = NULL;
  g_autofree char *id = NULL;
  gint64 score = 0;
  gboolean score_set = FALSE;
  gboolean ok = TRUE;

  ok &= regie_ui_date_row_get (self->lb_date, TRUE, &date);
  ok &= regie_form_int (self->lb_score, 0, 1000, FALSE, &score, &score_set);
  if (!ok)
    {
      regie_form_set_error (&self->lb_form, _("Correct the marked fields. Nothing was saved."));
      return;
    }

  json_builder_begin_object (b);
  regie_builder_add_string (b, "taken_on", date);
  regie_builder_add_string (b, "outcome", outcomes[adw_combo_row_get_selected (ADW_COMBO_ROW (self->lb_outcome))]);
  if (score_set)
    {
      json_builder_set_member_name (b, "score");
      json_builder_add_int_value (b, score);
    }
  json_builder_end_object (b);

  id = regie_dossier_page_put (self, &self->lb_form, REGIE_RECORD_INTAKE_LEERBAARHEID,
                               id_of (first (self, REGIE_RECORD_INTAKE_LEERBAARHEID)), b);
  if (id != NULL)
    saved (self, _("Leerbaarheidstoets"));
}

static void
add_languages (JsonBuilder *b,
               const char  *text)
{
  g_auto(GStrv) items = NULL;

  if (text == NULL)
    return;
  items = g_strsplit_set (text, ",;", -1);
  json_builder_set_member_name (b, "languages");
  json_builder_begin_array (b);
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_strstrip (items[i]);
      if (items[i][0] != '\0')
        json_builder_add_string_value (b, items[i]);
    }
  json_builder_end_array (b);
}

static void
save_education_cb (RegieDossierPage *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *date = NULL;
  g_autofree char *id = NULL;

  if (!regie_ui_date_row_get (self->edu_date, FALSE, &date))
    {
      regie_form_set_error (&self->edu_form, _("Correct the marked fields. Nothing was saved."));
      return;
    }

  json_builder_begin_object (b);
  regie_builder_add_string (b, "completed_on", date);
  regie_builder_add_string (b, "education", regie_form_text (self->edu_education));
  add_languages (b, regie_form_text (self->edu_languages));
  regie_builder_add_string (b, "work_history", regie_form_text (self->edu_work));
  regie_builder_add_string (b, "ambitions", regie_form_text (self->edu_ambitions));
  json_builder_end_object (b);

  id = regie_dossier_page_put (self, &self->edu_form, REGIE_RECORD_INTAKE_EDUCATION,
                               id_of (first (self, REGIE_RECORD_INTAKE_EDUCATION)), b);
  if (id != NULL)
    saved (self, _("Education and work"));
}

static void
save_circumstances_cb (RegieDossierPage *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *date = NULL;
  g_autofree char *id = NULL;

  if (!regie_ui_date_row_get (self->circ_date, FALSE, &date))
    {
      regie_form_set_error (&self->circ_form, _("Correct the marked fields. Nothing was saved."));
      return;
    }

  json_builder_begin_object (b);
  regie_builder_add_string (b, "completed_on", date);
  regie_builder_add_string (b, "household", regie_form_text (self->circ_household));
  regie_builder_add_string (b, "housing", regie_form_text (self->circ_housing));
  regie_builder_add_string (b, "finances", regie_form_text (self->circ_finances));
  regie_builder_add_string (b, "childcare", regie_form_text (self->circ_childcare));
  regie_builder_add_string (b, "network", regie_form_text (self->circ_network));
  json_builder_set_member_name (b, "client_support_offered");
  json_builder_add_boolean_value (b, regie_form_switch_get (self->circ_support));
  json_builder_end_object (b);

  id = regie_dossier_page_put (self, &self->circ_form, REGIE_RECORD_INTAKE_CIRCUMSTANCES,
                               id_of (first (self, REGIE_RECORD_INTAKE_CIRCUMSTANCES)), b);
  if (id != NULL)
    saved (self, _("Personal circumstances"));
}

static void
save_health_cb (RegieDossierPage *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *date = NULL;
  g_autofree char *id = NULL;

  if (!regie_ui_date_row_get (self->health_date, FALSE, &date))
    {
      regie_form_set_error (&self->health_form, _("Correct the marked fields. Nothing was saved."));
      return;
    }

  json_builder_begin_object (b);
  regie_builder_add_string (b, "completed_on", date);
  regie_builder_add_string (b, "health", regie_form_text (self->health_text));
  regie_builder_add_string (b, "care_providers", regie_form_text (self->health_care));
  json_builder_set_member_name (b, "limits_learning");
  json_builder_add_boolean_value (b, regie_form_switch_get (self->health_limits));
  json_builder_end_object (b);

  id = regie_dossier_page_put (self, &self->health_form, REGIE_RECORD_INTAKE_HEALTH,
                               id_of (first (self, REGIE_RECORD_INTAKE_HEALTH)), b);
  if (id != NULL)
    saved (self, _("Health"));
}

void
regie_dossier_page_build_intake (RegieDossierPage *self)
{
  GtkBox *box = regie_dossier_page_section_box (self, "intake");
  const char *outcome_labels[] = {
    /* Translators: outcome of DUO's leerbaarheidstoets (learnability test): B1 is within reach */
    C_("leerbaarheid", "B1 feasible"),
    /* Translators: outcome of the leerbaarheidstoets: B1 is not within reach */
    C_("leerbaarheid", "B1 not feasible"),
    C_("leerbaarheid", "Unknown"),
    NULL
  };
  GtkWidget *caption_box, *icon, *caption;

  regie_form_init (&self->lb_form,
                   /* Translators: part 1 of the brede intake; the leerbaarheidstoets is DUO's learnability test; keep the term */
                   _("1 · Leerbaarheidstoets"),
                   _("DUO’s test of how well the person can learn Dutch."));
  self->lb_date = regie_form_date (&self->lb_form, _("Day of the test"));
  gtk_widget_set_name (self->lb_date, "intake-lb-date");
  self->lb_outcome = regie_form_combo (&self->lb_form, _("Outcome"), outcome_labels);
  gtk_widget_set_name (self->lb_outcome, "intake-lb-outcome");
  self->lb_score = regie_form_entry (&self->lb_form, _("Score"));
  gtk_widget_set_name (self->lb_score, "intake-lb-score");
  regie_form_add_save_button (&self->lb_form, _("_Save Test Result"), "intake-lb-save",
                              G_CALLBACK (save_leerbaarheid_cb), self);
  gtk_box_append (box, self->lb_form.group);

  regie_form_init (&self->edu_form, _("2 · Education and Work"), NULL);
  self->edu_date = regie_form_date (&self->edu_form, _("Completed on"));
  self->edu_education = regie_form_entry (&self->edu_form, _("Schooling and diplomas"));
  gtk_widget_set_name (self->edu_education, "intake-edu-education");
  self->edu_languages = regie_form_entry (&self->edu_form, _("Languages, separated by commas"));
  self->edu_work = regie_form_entry (&self->edu_form, _("Work history"));
  self->edu_ambitions = regie_form_entry (&self->edu_form, _("Ambitions for work and study"));
  regie_form_add_save_button (&self->edu_form, _("S_ave Education and Work"), "intake-edu-save",
                              G_CALLBACK (save_education_cb), self);
  gtk_box_append (box, self->edu_form.group);

  regie_form_init (&self->circ_form, _("3 · Personal Circumstances"), NULL);
  self->circ_date = regie_form_date (&self->circ_form, _("Completed on"));
  self->circ_household = regie_form_entry (&self->circ_form, _("Household"));
  gtk_widget_set_name (self->circ_household, "intake-circ-household");
  self->circ_housing = regie_form_entry (&self->circ_form, _("Housing"));
  self->circ_finances = regie_form_entry (&self->circ_form, _("Finances and debts"));
  self->circ_childcare = regie_form_entry (&self->circ_form, _("Childcare needs"));
  self->circ_network = regie_form_entry (&self->circ_form, _("Social network"));
  self->circ_support = regie_form_switch (&self->circ_form, _("Independent client support offered"),
                                          /* Translators: onafhankelijke cliëntondersteuning */
                                          _("Onafhankelijke cliëntondersteuning"));
  regie_form_add_save_button (&self->circ_form, _("Sa_ve Circumstances"), "intake-circ-save",
                              G_CALLBACK (save_circumstances_cb), self);
  gtk_box_append (box, self->circ_form.group);

  regie_form_init (&self->health_form, _("3 · Health"), NULL);
  gtk_widget_add_css_class (self->health_form.group, "special-category");
  caption_box = adw_action_row_new ();
  icon = gtk_image_new_from_icon_name ("security-high-symbolic");
  gtk_widget_add_css_class (icon, "warning");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Special category data"), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (caption_box), icon);
  /* Translators: AVG is the Dutch name of the GDPR; article 9 covers health data */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (caption_box), _("Special category (AVG art. 9): only you can see this"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (caption_box), FALSE);
  gtk_widget_add_css_class (caption_box, "special-category-caption");
  caption = caption_box;
  gtk_widget_set_name (caption, "intake-health-caption");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->health_form.group), caption_box);
  self->health_date = regie_form_date (&self->health_form, _("Completed on"));
  self->health_text = regie_form_entry (&self->health_form, _("Physical and mental health"));
  gtk_widget_set_name (self->health_text, "intake-health-text");
  self->health_care = regie_form_entry (&self->health_form, _("Care providers involved"));
  self->health_limits = regie_form_switch (&self->health_form, _("Health limits learning or participation"), NULL);
  regie_form_add_save_button (&self->health_form, _("Save _Health"), "intake-health-save",
                              G_CALLBACK (save_health_cb), self);
  gtk_box_append (box, self->health_form.group);
}
