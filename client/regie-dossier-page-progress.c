/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>

#include "regie-util.h"

#include "regie-dossier-page-private.h"
#include "regie-ui-util.h"

/* Route progress: hours towards afschalen (600 certified lesson hours) and
 * the Z-route (800 + 800), PVT, MAP and exams. */

#define AFSCHALEN_HOURS 600
#define ZROUTE_HOURS    800

static const char * const participation_kinds[] = { "work", "volunteering", "duaal", "course", "other", NULL };
static const char * const exam_parts[] = { "L", "Lu", "S", "Sp", "KNM", NULL };
static const char * const exam_results[] = { "passed", "failed", "no_show", "pending", NULL };
static const char * const levels[] = { "A0", "A1", "A2", "B1", "B2", NULL };

static const char *
exam_part_label (const char *part)
{
  /* Translators: exam parts of the inburgeringsexamen */
  if (g_strcmp0 (part, "L") == 0) return C_("exam part", "Reading (L)");
  if (g_strcmp0 (part, "Lu") == 0) return C_("exam part", "Listening (Lu)");
  if (g_strcmp0 (part, "S") == 0) return C_("exam part", "Writing (S)");
  if (g_strcmp0 (part, "Sp") == 0) return C_("exam part", "Speaking (Sp)");
  /* Translators: KNM is Kennis Nederlandse Maatschappij; keep the abbreviation */
  return C_("exam part", "KNM");
}

static const char *
exam_result_label (const char *result)
{
  if (g_strcmp0 (result, "passed") == 0) return C_("exam result", "Passed");
  if (g_strcmp0 (result, "failed") == 0) return C_("exam result", "Failed");
  if (g_strcmp0 (result, "no_show") == 0) return C_("exam result", "Did not appear");
  return C_("exam result", "Waiting for the result");
}

static const char *
participation_kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "work") == 0) return C_("participation", "Work");
  if (g_strcmp0 (kind, "volunteering") == 0) return C_("participation", "Volunteering");
  /* Translators: duaal: language and work combined */
  if (g_strcmp0 (kind, "duaal") == 0) return C_("participation", "Duaal");
  if (g_strcmp0 (kind, "course") == 0) return C_("participation", "Course");
  return C_("participation", "Other");
}

static char *
period_text (RegieRecord *record)
{
  g_autofree char *from = regie_ui_format_date (regie_record_get_string (record, "from"), FALSE);
  g_autofree char *to = regie_ui_format_date (regie_record_get_string (record, "to"), FALSE);

  /* Translators: a period: first day – last day */
  return g_strdup_printf (_("%s – %s"), from, to);
}

static void
set_bar (GtkLevelBar *bar,
         gint64       value,
         gint64       target)
{
  g_autofree char *text = NULL;

  gtk_level_bar_set_value (bar, MIN (value, target));
  /* Translators: hours done of the hours needed */
  text = g_strdup_printf (_("%d of %d hours"), (int) value, (int) target);
  gtk_widget_set_tooltip_text (GTK_WIDGET (bar), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text, -1);
}

void
regie_dossier_page_update_progress (RegieDossierPage *self,
                                    gboolean          reset_forms)
{
  g_autoptr(GPtrArray) lessons = regie_dossier_page_sorted (self, REGIE_RECORD_LESSON_HOURS, "from");
  g_autoptr(GPtrArray) participation = regie_dossier_page_sorted (self, REGIE_RECORD_PARTICIPATION_HOURS, "from");
  g_autoptr(GPtrArray) exams = regie_dossier_page_sorted (self, REGIE_RECORD_EXAM, "taken_on");
  RegieRecord *pvt = self->dossier != NULL ? regie_case_get_first (self->dossier, REGIE_RECORD_PVT) : NULL;
  RegieRecord *map = self->dossier != NULL ? regie_case_get_first (self->dossier, REGIE_RECORD_MAP) : NULL;
  gint64 total = 0, certified = 0, part_total = 0;
  g_autofree char *text = NULL;

  regie_list_clear (self->hours_list);
  for (guint i = lessons->len; i > 0; i--)
    {
      RegieRecord *r = g_ptr_array_index (lessons, i - 1);
      gint64 hours = regie_record_get_int (r, "hours", 0);
      g_autofree char *title = NULL;
      g_autofree char *period = period_text (r);
      g_autofree char *subtitle = NULL;

      total += hours;
      if (regie_record_get_bool (r, "certified"))
        certified += hours;
      /* Translators: lesson hours at a school: %s the hours, %s the school */
      title = g_strdup_printf (ngettext ("%d lesson hour · %s", "%d lesson hours · %s", hours),
                               (int) hours, regie_record_get_string (r, "provider"));
      subtitle = regie_record_get_bool (r, "certified")
        ? g_strdup_printf ("%s · %s", period, _("certified school")) : g_strdup (period);
      gtk_list_box_append (self->hours_list, regie_dossier_page_record_row (self, r, title, subtitle));
    }
  for (guint i = participation->len; i > 0; i--)
    {
      RegieRecord *r = g_ptr_array_index (participation, i - 1);
      gint64 hours = regie_record_get_int (r, "hours", 0);
      g_autofree char *title = NULL;
      g_autofree char *period = period_text (r);
      g_autofree char *subtitle = NULL;

      part_total += hours;
      /* Translators: participation hours: %d the hours, %s the activity */
      title = g_strdup_printf (ngettext ("%d participation hour · %s", "%d participation hours · %s", hours),
                               (int) hours, regie_record_get_string (r, "activity"));
      subtitle = g_strdup_printf ("%s · %s", period, participation_kind_label (regie_record_get_string (r, "kind")));
      gtk_list_box_append (self->hours_list, regie_dossier_page_record_row (self, r, title, subtitle));
    }

  text = g_strdup_printf (ngettext ("%d hour", "%d hours", total), (int) total);
  gtk_label_set_text (self->lessons_total, text);
  g_free (text);
  text = g_strdup_printf (ngettext ("%d hour", "%d hours", certified), (int) certified);
  gtk_label_set_text (self->lessons_certified, text);
  g_free (text);
  text = g_strdup_printf (ngettext ("%d hour", "%d hours", part_total), (int) part_total);
  gtk_label_set_text (self->participation_total, text);
  set_bar (self->afschalen_bar, certified, AFSCHALEN_HOURS);
  set_bar (self->zroute_lessons_bar, total, ZROUTE_HOURS);
  set_bar (self->zroute_participation_bar, part_total, ZROUTE_HOURS);

  regie_list_clear (self->exams_list);
  for (guint p = 0; exam_parts[p] != NULL; p++)
    for (guint i = 0; i < exams->len; i++)
      {
        RegieRecord *r = g_ptr_array_index (exams, i);
        g_autofree char *title = NULL;
        g_autofree char *subtitle = NULL;
        g_autofree char *date = NULL;

        if (g_strcmp0 (regie_record_get_string (r, "part"), exam_parts[p]) != 0)
          continue;
        date = regie_ui_format_date (regie_record_get_string (r, "taken_on"), FALSE);
        /* Translators: an exam: %s the part, %d the attempt number */
        title = g_strdup_printf (_("%s, attempt %d"), exam_part_label (exam_parts[p]),
                                 (int) regie_record_get_int (r, "attempt", 1));
        subtitle = g_strdup_printf ("%s · %s%s%s", date, exam_result_label (regie_record_get_string (r, "result")),
                                    regie_record_get_string (r, "level") != NULL ? " · " : "",
                                    regie_record_get_string (r, "level") != NULL ? regie_record_get_string (r, "level") : "");
        gtk_list_box_append (self->exams_list, regie_dossier_page_record_row (self, r, title, subtitle));
      }

  if (!reset_forms)
    return;

  {
    g_autofree char *today = regie_date_format (&self->today);

    regie_ui_date_row_set (self->les_to, today);
    regie_ui_date_row_set (self->par_to, today);
    regie_ui_date_row_set (self->exam_date, today);
  }
  regie_ui_date_row_set (self->pvt_started, pvt != NULL ? regie_record_get_string (pvt, "started_on") : NULL);
  regie_ui_date_row_set (self->pvt_signed, pvt != NULL ? regie_record_get_string (pvt, "signed_on") : NULL);
  gtk_spin_button_set_value (regie_form_spin_get_button (self->pvt_hours), pvt != NULL ? regie_record_get_int (pvt, "hours", 0) : 0);
  regie_ui_date_row_set (self->map_started, map != NULL ? regie_record_get_string (map, "started_on") : NULL);
  regie_ui_date_row_set (self->map_eind, map != NULL ? regie_record_get_string (map, "eindgesprek_on") : NULL);
}

#define INVALID_MESSAGE _("Correct the marked fields. Nothing was saved.")

static gboolean
read_period (RegieForm *form,
             GtkWidget *from_row,
             GtkWidget *to_row,
             char     **from,
             char     **to)
{
  gboolean ok = TRUE;

  ok &= regie_ui_date_row_get (from_row, TRUE, from);
  ok &= regie_ui_date_row_get (to_row, TRUE, to);
  if (ok && g_strcmp0 (*from, *to) > 0)
    {
      regie_ui_set_invalid (to_row, _("The period ends before it starts."));
      ok = FALSE;
    }
  if (!ok)
    regie_form_set_error (form, INVALID_MESSAGE);
  return ok;
}

static void
add_lessons_cb (RegieDossierPage *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *from = NULL, *to = NULL, *id = NULL;
  gint64 hours = 0;
  gboolean set = FALSE, ok;

  ok = read_period (&self->les_form, self->les_from, self->les_to, &from, &to);
  if (regie_form_text (self->les_provider) == NULL)
    {
      regie_ui_set_invalid (self->les_provider, _("Enter the language school."));
      ok = FALSE;
    }
  ok &= regie_form_int (self->les_hours, 0, 2000, TRUE, &hours, &set);
  if (!ok)
    {
      regie_form_set_error (&self->les_form, INVALID_MESSAGE);
      return;
    }

  json_builder_begin_object (b);
  regie_builder_add_string (b, "provider", regie_form_text (self->les_provider));
  json_builder_set_member_name (b, "certified");
  json_builder_add_boolean_value (b, regie_form_switch_get (self->les_certified));
  regie_builder_add_string (b, "from", from);
  regie_builder_add_string (b, "to", to);
  json_builder_set_member_name (b, "hours");
  json_builder_add_int_value (b, hours);
  json_builder_end_object (b);

  id = regie_dossier_page_put (self, &self->les_form, REGIE_RECORD_LESSON_HOURS, NULL, b);
  if (id != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->les_hours), "");
      regie_ui_date_row_set (self->les_from, NULL);
      regie_dossier_page_toast (self, _("Lesson hours saved on this computer"));
    }
}

static void
add_participation_cb (RegieDossierPage *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *from = NULL, *to = NULL, *id = NULL;
  gint64 hours = 0;
  gboolean set = FALSE, ok;

  ok = read_period (&self->par_form, self->par_from, self->par_to, &from, &to);
  if (regie_form_text (self->par_activity) == NULL)
    {
      regie_ui_set_invalid (self->par_activity, _("Enter what the person did."));
      ok = FALSE;
    }
  ok &= regie_form_int (self->par_hours, 0, 2000, TRUE, &hours, &set);
  if (!ok)
    {
      regie_form_set_error (&self->par_form, INVALID_MESSAGE);
      return;
    }

  json_builder_begin_object (b);
  regie_builder_add_string (b, "activity", regie_form_text (self->par_activity));
  regie_builder_add_string (b, "kind", participation_kinds[adw_combo_row_get_selected (ADW_COMBO_ROW (self->par_kind))]);
  regie_builder_add_string (b, "from", from);
  regie_builder_add_string (b, "to", to);
  json_builder_set_member_name (b, "hours");
  json_builder_add_int_value (b, hours);
  json_builder_end_object (b);

  id = regie_dossier_page_put (self, &self->par_form, REGIE_RECORD_PARTICIPATION_HOURS, NULL, b);
  if (id != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->par_hours), "");
      regie_dossier_page_toast (self, _("Participation hours saved on this computer"));
    }
}

static void
save_pvt_cb (RegieDossierPage *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *started = NULL, *signed_on = NULL, *id = NULL;
  RegieRecord *pvt = regie_case_get_first (self->dossier, REGIE_RECORD_PVT);
  gboolean ok = TRUE;

  ok &= regie_ui_date_row_get (self->pvt_started, FALSE, &started);
  ok &= regie_ui_date_row_get (self->pvt_signed, FALSE, &signed_on);
  if (!ok)
    {
      regie_form_set_error (&self->pvt_form, INVALID_MESSAGE);
      return;
    }
  json_builder_begin_object (b);
  regie_builder_add_string (b, "started_on", started);
  json_builder_set_member_name (b, "hours");
  json_builder_add_int_value (b, gtk_spin_button_get_value_as_int (regie_form_spin_get_button (self->pvt_hours)));
  regie_builder_add_string (b, "signed_on", signed_on);
  json_builder_end_object (b);

  id = regie_dossier_page_put (self, &self->pvt_form, REGIE_RECORD_PVT,
                               pvt != NULL ? regie_record_get_id (pvt) : NULL, b);
  if (id != NULL)
    regie_dossier_page_toast (self, _("PVT saved on this computer"));
}

static void
save_map_cb (RegieDossierPage *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *started = NULL, *eind = NULL, *id = NULL;
  RegieRecord *map = regie_case_get_first (self->dossier, REGIE_RECORD_MAP);
  gboolean ok = TRUE;

  ok &= regie_ui_date_row_get (self->map_started, FALSE, &started);
  ok &= regie_ui_date_row_get (self->map_eind, FALSE, &eind);
  if (!ok)
    {
      regie_form_set_error (&self->map_form, INVALID_MESSAGE);
      return;
    }
  json_builder_begin_object (b);
  regie_builder_add_string (b, "started_on", started);
  regie_builder_add_string (b, "eindgesprek_on", eind);
  json_builder_end_object (b);

  id = regie_dossier_page_put (self, &self->map_form, REGIE_RECORD_MAP,
                               map != NULL ? regie_record_get_id (map) : NULL, b);
  if (id != NULL)
    regie_dossier_page_toast (self, _("MAP saved on this computer"));
}

static void
add_exam_cb (RegieDossierPage *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GPtrArray) exams = regie_dossier_page_sorted (self, REGIE_RECORD_EXAM, "taken_on");
  g_autofree char *date = NULL, *id = NULL;
  const char *part = exam_parts[adw_combo_row_get_selected (ADW_COMBO_ROW (self->exam_part))];
  gint64 attempt = 1;

  if (!regie_ui_date_row_get (self->exam_date, TRUE, &date))
    {
      regie_form_set_error (&self->exam_form, INVALID_MESSAGE);
      return;
    }
  /* The attempt number follows from the attempts already recorded. */
  for (guint i = 0; i < exams->len; i++)
    if (g_strcmp0 (regie_record_get_string (g_ptr_array_index (exams, i), "part"), part) == 0)
      attempt = MAX (attempt, regie_record_get_int (g_ptr_array_index (exams, i), "attempt", 0) + 1);

  json_builder_begin_object (b);
  regie_builder_add_string (b, "part", part);
  regie_builder_add_string (b, "taken_on", date);
  json_builder_set_member_name (b, "attempt");
  json_builder_add_int_value (b, MIN (attempt, 20));
  regie_builder_add_string (b, "result", exam_results[adw_combo_row_get_selected (ADW_COMBO_ROW (self->exam_result))]);
  regie_builder_add_string (b, "level", levels[adw_combo_row_get_selected (ADW_COMBO_ROW (self->exam_level))]);
  json_builder_end_object (b);

  id = regie_dossier_page_put (self, &self->exam_form, REGIE_RECORD_EXAM, NULL, b);
  if (id != NULL)
    regie_dossier_page_toast (self, _("Exam result saved on this computer"));
}

static GtkWidget *
total_row (const char  *title,
           GtkLabel   **out_label)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_add_css_class (label, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  *out_label = GTK_LABEL (label);
  return row;
}

static GtkWidget *
bar_row (const char   *title,
         const char   *subtitle,
         const char   *name,
         GtkLevelBar **out_bar,
         int           target)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *caption = gtk_label_new (subtitle);
  GtkWidget *bar = gtk_level_bar_new_for_interval (0, target);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");
  gtk_level_bar_set_mode (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_MODE_CONTINUOUS);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_widget_set_name (bar, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), bar);
  gtk_box_append (GTK_BOX (box), caption);
  gtk_widget_set_margin_top (box, 6);
  *out_bar = GTK_LEVEL_BAR (bar);
  return box;
}

void
regie_dossier_page_build_progress (RegieDossierPage *self)
{
  GtkBox *box = regie_dossier_page_section_box (self, "progress");
  RegieForm totals = { 0 }, list = { 0 }, exams = { 0 };
  const char *kind_labels[6];
  const char *part_labels[6];
  const char *result_labels[5];

  for (guint i = 0; participation_kinds[i] != NULL; i++)
    kind_labels[i] = participation_kind_label (participation_kinds[i]);
  kind_labels[5] = NULL;
  for (guint i = 0; exam_parts[i] != NULL; i++)
    part_labels[i] = exam_part_label (exam_parts[i]);
  part_labels[5] = NULL;
  for (guint i = 0; exam_results[i] != NULL; i++)
    result_labels[i] = exam_result_label (exam_results[i]);
  result_labels[4] = NULL;

  regie_form_init (&totals, _("Hours"), NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (totals.group), total_row (_("Lesson hours"), &self->lessons_total));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (totals.group),
                             total_row (_("Lesson hours at certified schools"), &self->lessons_certified));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (totals.group),
                             total_row (_("Participation hours"), &self->participation_total));
  gtk_widget_set_name (GTK_WIDGET (self->lessons_total), "progress-lessons-total");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (totals.group),
                             bar_row (_("Towards afschalen"),
                                      /* Translators: afschalen needs 600 lesson hours at certified schools */
                                      _("600 lesson hours at certified schools, needed before lowering exam parts to A2"),
                                      "progress-afschalen-bar", &self->afschalen_bar, AFSCHALEN_HOURS));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (totals.group),
                             bar_row (_("Z-route: language course"), _("800 hours"),
                                      "progress-zroute-lessons-bar", &self->zroute_lessons_bar, ZROUTE_HOURS));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (totals.group),
                             bar_row (_("Z-route: participation"), _("800 hours, asylum status holders"),
                                      "progress-zroute-participation-bar", &self->zroute_participation_bar, ZROUTE_HOURS));
  gtk_box_append (box, totals.group);

  regie_form_init (&list, _("Hours Recorded"), NULL);
  self->hours_list = GTK_LIST_BOX (regie_list_new (_("No hours recorded yet"), _("Hours recorded")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (list.group), GTK_WIDGET (self->hours_list));
  gtk_box_append (box, list.group);

  regie_form_init (&self->les_form, _("Add Lesson Hours"), NULL);
  self->les_provider = regie_form_entry (&self->les_form, _("Language school"));
  gtk_widget_set_name (self->les_provider, "lessons-provider");
  self->les_certified = regie_form_switch (&self->les_form, _("School holds the quality mark"), NULL);
  regie_form_switch_set (self->les_certified, TRUE);
  self->les_from = regie_form_date (&self->les_form, _("First day"));
  gtk_widget_set_name (self->les_from, "lessons-from");
  self->les_to = regie_form_date (&self->les_form, _("Last day"));
  gtk_widget_set_name (self->les_to, "lessons-to");
  self->les_hours = regie_form_entry (&self->les_form, _("Hours attended"));
  gtk_widget_set_name (self->les_hours, "lessons-hours");
  regie_form_add_save_button (&self->les_form, _("Add _Lesson Hours"), "lessons-add",
                              G_CALLBACK (add_lessons_cb), self);
  gtk_box_append (box, self->les_form.group);

  regie_form_init (&self->par_form, _("Add Participation Hours"), NULL);
  self->par_activity = regie_form_entry (&self->par_form, _("Activity"));
  self->par_kind = regie_form_combo (&self->par_form, _("Kind"), kind_labels);
  self->par_from = regie_form_date (&self->par_form, _("First day"));
  self->par_to = regie_form_date (&self->par_form, _("Last day"));
  self->par_hours = regie_form_entry (&self->par_form, _("Hours"));
  regie_form_add_save_button (&self->par_form, _("Add _Participation Hours"), "participation-add",
                              G_CALLBACK (add_participation_cb), self);
  gtk_box_append (box, self->par_form.group);

  regie_form_init (&self->pvt_form,
                   /* Translators: PVT is the participatieverklaringstraject; keep the abbreviation */
                   _("PVT"),
                   _("At least 12 hours on Dutch core values, ending with signing the participatieverklaring."));
  self->pvt_started = regie_form_date (&self->pvt_form, _("Started on"));
  self->pvt_hours = regie_form_spin (&self->pvt_form, _("Hours followed"), 0, 200);
  self->pvt_signed = regie_form_date (&self->pvt_form, _("Participatieverklaring signed on"));
  regie_form_add_save_button (&self->pvt_form, _("Save P_VT"), "pvt-save", G_CALLBACK (save_pvt_cb), self);
  gtk_box_append (box, self->pvt_form.group);

  regie_form_init (&self->map_form,
                   /* Translators: MAP is the module arbeidsmarkt en participatie; keep the abbreviation */
                   _("MAP"), _("Orientation on work, ending with a closing talk."));
  self->map_started = regie_form_date (&self->map_form, _("Started on"));
  self->map_eind = regie_form_date (&self->map_form, _("Closing talk on"));
  regie_form_add_save_button (&self->map_form, _("Save _MAP"), "map-save", G_CALLBACK (save_map_cb), self);
  gtk_box_append (box, self->map_form.group);

  regie_form_init (&exams, _("Exams"), _("Per part, with every attempt."));
  self->exams_list = GTK_LIST_BOX (regie_list_new (_("No exams yet"), _("Exams")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (exams.group), GTK_WIDGET (self->exams_list));
  gtk_box_append (box, exams.group);

  regie_form_init (&self->exam_form, _("Add Exam Result"), NULL);
  self->exam_part = regie_form_combo (&self->exam_form, _("Part"), part_labels);
  self->exam_date = regie_form_date (&self->exam_form, _("Exam day"));
  self->exam_result = regie_form_combo (&self->exam_form, _("Result"), result_labels);
  self->exam_level = regie_form_combo (&self->exam_form, _("Level"), levels);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->exam_level), 3);
  regie_form_add_save_button (&self->exam_form, _("Add _Exam Result"), "exam-add", G_CALLBACK (add_exam_cb), self);
  gtk_box_append (box, self->exam_form.group);
}
