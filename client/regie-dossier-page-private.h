/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <json-glib/json-glib.h>

#include "regie-dossier-page.h"
#include "regie-field-compare.h"
#include "regie-rules-panel.h"

G_BEGIN_DECLS

/* The dossier page is one widget split by concern: this file (core, rules,
 * notes), -pip.c (PIP versions and the editor), -intake.c (brede intake),
 * -progress.c (route progress) and -sections.c (person and household,
 * progress talks, signals, ontzorgen). They share the struct below. */

typedef struct
{
  GtkWidget *group;
  GtkWidget *error_label;
} RegieForm;

struct _RegieDossierPage
{
  AdwBin             parent_instance;

  GtkStack          *stack;
  GtkWidget         *dossier_box;
  guint              sections_built;  /* bit per entry of page_sections[] */
  GtkStack          *sections;
  GtkScrolledWindow *scrolled_window;
  RegieRulesPanel   *rules_panel;
  GtkLabel          *bsn_label;
  GtkLabel          *v_number_label;
  GtkLabel          *birth_date_label;
  GtkLabel          *doelgroep_label;
  GtkBox            *person_box;
  GtkTextView       *note_view;
  GtkTextBuffer     *note_buffer;
  GtkListBox        *notes_list;

  RegieStore        *store;
  char              *username;
  char              *display_name;
  char              *dossier_id;
  char              *title;
  char              *subtitle;
  RegieCase         *dossier;       /* records as last loaded from the store */
  RegieSettings      settings;
  GDate              today;

  /* person and household */
  GtkListBox        *household_list;
  GtkWidget         *member_given, *member_family, *member_relation, *member_birth, *member_childcare;
  RegieForm          member_form;

  /* intake */
  GtkWidget         *lb_date, *lb_outcome, *lb_score;
  RegieForm          lb_form;
  GtkWidget         *edu_date, *edu_education, *edu_languages, *edu_work, *edu_ambitions;
  RegieForm          edu_form;
  GtkWidget         *circ_date, *circ_household, *circ_housing, *circ_finances, *circ_childcare,
                    *circ_network, *circ_support;
  RegieForm          circ_form;
  GtkWidget         *health_date, *health_text, *health_care, *health_limits;
  RegieForm          health_form;

  /* PIP */
  GtkListBox        *pip_versions;
  GtkWidget         *pip_route, *pip_levels[4], *pip_knm, *pip_hours, *pip_provider, *pip_certified,
                    *pip_intensity, *pip_pvt, *pip_map, *pip_participation, *pip_duaal, *pip_childcare,
                    *pip_support, *pip_talk_weeks, *pip_waiting, *pip_afschalen[5], *pip_effort;
  GtkListBox        *pip_findings;
  GtkLabel          *pip_blocked_label;
  GtkWidget         *pip_issue_button;
  RegieFieldCompare *pip_compare;
  GtkLabel          *pip_compare_heading;
  char              *pip_draft_id;
  gboolean           pip_filling;

  /* route progress */
  GtkLabel          *lessons_total, *lessons_certified, *participation_total;
  GtkLevelBar       *afschalen_bar, *zroute_lessons_bar, *zroute_participation_bar;
  GtkListBox        *hours_list;
  GtkWidget         *les_provider, *les_certified, *les_from, *les_to, *les_hours;
  RegieForm          les_form;
  GtkWidget         *par_activity, *par_kind, *par_from, *par_to, *par_hours;
  RegieForm          par_form;
  GtkWidget         *pvt_started, *pvt_hours, *pvt_signed;
  RegieForm          pvt_form;
  GtkWidget         *map_started, *map_eind;
  RegieForm          map_form;
  GtkListBox        *exams_list;
  GtkWidget         *exam_part, *exam_date, *exam_result, *exam_level;
  RegieForm          exam_form;

  /* progress talks */
  GtkListBox        *talks_list;
  GtkWidget         *talk_date, *talk_areas[8], *talk_agreements;
  RegieForm          talk_form;

  /* signals */
  GtkListBox        *signals_list;

  /* ontzorgen */
  GtkListBox        *months_list;
  GtkWidget         *month_month, *month_bijstand, *month_other, *month_toeslag_type,
                    *month_toeslag_expected, *month_toeslag_expected_on, *month_toeslag_received,
                    *month_toeslag_received_on, *month_rent, *month_energy, *month_insurance;
  RegieForm          month_form;
};

/* -- shared helpers (regie-dossier-page.c) -- */
void         regie_dossier_page_toast        (RegieDossierPage *self,
                                              const char       *message);
/* Validates and writes a record offline; shows why not on failure. */
char        *regie_dossier_page_put          (RegieDossierPage *self,
                                              RegieForm        *form,
                                              RegieRecordKind   kind,
                                              const char       *record_id,
                                              JsonBuilder      *builder);
/* The vertical box of a section of the sidebar stack, e.g. "pip". */
GtkBox      *regie_dossier_page_section_box  (RegieDossierPage *self,
                                              const char       *name);
void         regie_form_init                 (RegieForm        *form,
                                              const char       *title,
                                              const char       *description);
void         regie_form_set_error            (RegieForm        *form,
                                              const char       *message);
GtkWidget   *regie_form_add_save_button      (RegieForm        *form,
                                              const char       *label,
                                              const char       *name,
                                              GCallback         callback,
                                              gpointer          data);
GtkWidget   *regie_form_entry                (RegieForm        *form,
                                              const char       *title);
GtkWidget   *regie_form_date                 (RegieForm        *form,
                                              const char       *title);
GtkWidget   *regie_form_combo                (RegieForm        *form,
                                              const char       *title,
                                              const char * const *labels);
GtkWidget   *regie_form_switch               (RegieForm        *form,
                                              const char       *title,
                                              const char       *subtitle);
GtkWidget   *regie_form_spin                 (RegieForm        *form,
                                              const char       *title,
                                              int               min,
                                              int               max);
GtkWidget   *regie_list_new                  (const char       *placeholder,
                                              const char       *accessible_label);
void         regie_list_clear                (GtkListBox       *list);
/* A read-only row; adds the "Not yet sent" badge when the record waits. */
GtkWidget   *regie_dossier_page_record_row   (RegieDossierPage *self,
                                              RegieRecord      *record,
                                              const char       *title,
                                              const char       *subtitle);
/* Text of an entry (row); NULL when empty. */
const char  *regie_form_text                 (GtkWidget        *editable);
gboolean     regie_form_switch_get           (GtkWidget        *row);
void         regie_form_switch_set           (GtkWidget        *row,
                                              gboolean          active);
GtkSpinButton *regie_form_spin_get_button    (GtkWidget        *row);
/* Reads an optional whole number; marks the row invalid when it is not one. */
gboolean     regie_form_int                  (GtkWidget        *row,
                                              gint64            min,
                                              gint64            max,
                                              gboolean          required,
                                              gint64           *out_value,
                                              gboolean         *out_set);
gboolean     regie_form_euros                (GtkWidget        *row,
                                              gboolean          required,
                                              gint64           *out_cents,
                                              gboolean         *out_set);
void         regie_builder_add_string        (JsonBuilder      *builder,
                                              const char       *member,
                                              const char       *value);
/* Sorted copy (by a date or integer member) of one kind's records. */
GPtrArray   *regie_dossier_page_sorted       (RegieDossierPage *self,
                                              RegieRecordKind   kind,
                                              const char       *member);

/* -- sections -- */
void         regie_dossier_page_build_person    (RegieDossierPage *self);
void         regie_dossier_page_update_person   (RegieDossierPage *self,
                                                 gboolean          reset_forms);
void         regie_dossier_page_build_intake    (RegieDossierPage *self);
void         regie_dossier_page_update_intake   (RegieDossierPage *self,
                                                 gboolean          reset_forms);
void         regie_dossier_page_build_pip       (RegieDossierPage *self);
void         regie_dossier_page_update_pip      (RegieDossierPage *self,
                                                 gboolean          reset_forms);
void         regie_dossier_page_build_progress  (RegieDossierPage *self);
void         regie_dossier_page_update_progress (RegieDossierPage *self,
                                                 gboolean          reset_forms);
void         regie_dossier_page_build_talks     (RegieDossierPage *self);
void         regie_dossier_page_update_talks    (RegieDossierPage *self,
                                                 gboolean          reset_forms);
void         regie_dossier_page_build_signals   (RegieDossierPage *self);
void         regie_dossier_page_update_signals  (RegieDossierPage *self,
                                                 gboolean          reset_forms);
void         regie_dossier_page_build_ontzorgen (RegieDossierPage *self);
void         regie_dossier_page_update_ontzorgen (RegieDossierPage *self,
                                                  gboolean          reset_forms);

G_END_DECLS
