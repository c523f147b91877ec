/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include "regie-error.h"
#include "regie-record.h"
#include "regie-schema.h"
#include "regie-types.h"

/* The record kinds of a dossier: wire names, field classes and members.
 * docs/data-model.md describes the same table for people; the unit test
 * test-kinds checks that every kind is documented there. */

#define END { .name = NULL }
#define STR(n, req, d) { .name = n, .type = REGIE_FIELD_STRING, .required = req, .doc = d }
#define TXT(n, d) { .name = n, .type = REGIE_FIELD_TEXT, .doc = d }
#define DATE(n, req, d) { .name = n, .type = REGIE_FIELD_DATE, .required = req, .doc = d }
#define BOOL(n, d) { .name = n, .type = REGIE_FIELD_BOOL, .doc = d }
#define INT(n, req, lo, hi, d) { .name = n, .type = REGIE_FIELD_INT, .required = req, .min = lo, .max = hi, .doc = d }
#define MONEY(n, req, d) { .name = n, .type = REGIE_FIELD_MONEY, .required = req, .min = 0, .max = 100000000, .doc = d }
#define ENUM(n, req, v, d) { .name = n, .type = REGIE_FIELD_ENUM, .required = req, .values = v, .doc = d }
#define IDENT(n, req, d) { .name = n, .type = REGIE_FIELD_IDENT, .required = req, .doc = d }

static const char * const doelgroepen[] = { "asielstatushouder", "gezinsmigrant", "overige_migrant", NULL };
static const char * const dossier_statuses[] = { "open", "closed", NULL };
static const char * const relations[] = { "partner", "child", "parent", "other", NULL };
static const char * const event_codes[] = { "SS101", "SS139", "SS126", NULL };
static const char * const leerbaarheid_outcomes[] = { "b1_haalbaar", "niet_haalbaar", "onbekend", NULL };
static const char * const leerroutes[] = { "b1", "onderwijs", "z", NULL };
static const char * const levels[] = { "A0", "A1", "A2", "B1", "B2", NULL };
static const char * const exam_parts[] = { "L", "Lu", "S", "Sp", "KNM", NULL };
static const char * const exam_results[] = { "passed", "failed", "no_show", "pending", NULL };
static const char * const participation_kinds[] = { "work", "volunteering", "duaal", "course", "other", NULL };
static const char * const signal_statuses[] = { "open", "in_progress", "done", NULL };
static const char * const decision_types[] = { "ontheffing_med", "ontheffing_bio", "vrijstelling", "verlenging", NULL };
static const char * const advices[] = { "positive", "negative", "none", NULL };
static const char * const decision_outcomes[] = { "pending", "granted", "refused", NULL };
static const char * const handhaving_actions[] = { "warning", "fine", NULL };
static const char * const handhaving_subjects[] = { "intake", "pip", NULL };
static const char * const culpabilities[] = { "verwijtbaar", "deels_verwijtbaar", "niet_verwijtbaar", NULL };
static const char * const toeslag_types[] = { "huurtoeslag", "zorgtoeslag", "kinderopvangtoeslag", "kindgebonden_budget", NULL };
static const char * const cost_types[] = { "rent", "energy", "water", "health_insurance", "municipal_tax", "other", NULL };
static const char * const closure_reasons[] = { "diploma", "ontheffing", "vrijstelling", "departure", "naturalisation",
                                                "moved", "deceased", "other", NULL };

static const RegieFieldSpec dossier_fields[] = {
  ENUM ("status", TRUE, dossier_statuses, "`open` or `closed`"),
  DATE ("opened_on", TRUE, "day the municipality opened the dossier"),
  DATE ("notified_on", FALSE, "day of the DUO notification (SS101)"),
  DATE ("brp_registered_on", FALSE, "asylum status holders: registration in the municipality's BRP"),
  BOOL ("pip_term_extended", "PIP term extended by 2 weeks while waiting for third-party information"),
  TXT ("pip_term_extension_reason", "which information the municipality is waiting for"),
  END
};

static const RegieFieldSpec person_fields[] = {
  { .name = "bsn", .type = REGIE_FIELD_BSN, .required = TRUE, .doc = "burgerservicenummer, passes the elfproef" },
  { .name = "v_number", .type = REGIE_FIELD_V_NUMBER, .doc = "V-nummer, ten digits" },
  { .name = "given_names", .type = REGIE_FIELD_STRING, .required = FALSE, .max = 200, .doc = "given names (may be empty)" },
  STR ("family_name", TRUE, "family name"),
  DATE ("birth_date", TRUE, "date of birth"),
  ENUM ("doelgroep", TRUE, doelgroepen, "`asielstatushouder`, `gezinsmigrant` or `overige_migrant`"),
  { .name = "languages", .type = REGIE_FIELD_STRINGS, .max = 20, .doc = "languages spoken" },
  STR ("phone", FALSE, "telephone number"),
  STR ("address", FALSE, "address"),
  END
};

static const RegieFieldSpec assignment_fields[] = {
  IDENT ("team", TRUE, "team id"),
  IDENT ("klantmanager", TRUE, "user name of the klantmanager"),
  IDENT ("regievoerder", FALSE, "user name of the regievoerder, when not the klantmanager"),
  END
};

static const RegieFieldSpec note_fields[] = {
  IDENT ("author", TRUE, "user name"),
  { .name = "created_at", .type = REGIE_FIELD_TIMESTAMP, .required = TRUE, .doc = "RFC 3339 UTC" },
  { .name = "text", .type = REGIE_FIELD_TEXT, .required = TRUE, .max = 20000, .doc = "the note, at most 20,000 bytes" },
  END
};

static const RegieFieldSpec household_member_fields[] = {
  STR ("given_names", FALSE, "given names"),
  STR ("family_name", TRUE, "family name"),
  ENUM ("relation", TRUE, relations, "`partner`, `child`, `parent` or `other`"),
  DATE ("birth_date", FALSE, "date of birth"),
  BOOL ("needs_childcare", "a child who needs childcare during course hours"),
  END
};

static const RegieFieldSpec duo_notification_fields[] = {
  DATE ("received_on", TRUE, "day the municipality received it"),
  ENUM ("event_code", TRUE, event_codes, "`SS101` plicht established, `SS139` PIP term started, `SS126` no route after the term"),
  ENUM ("doelgroep", FALSE, doelgroepen, "doelgroep as DUO reports it"),
  END
};

static const RegieFieldSpec intake_leerbaarheid_fields[] = {
  DATE ("taken_on", TRUE, "day of the leerbaarheidstoets"),
  ENUM ("outcome", TRUE, leerbaarheid_outcomes, "`b1_haalbaar`, `niet_haalbaar` or `onbekend`"),
  INT ("score", FALSE, 0, 1000, "score as DUO reports it"),
  END
};

static const RegieFieldSpec intake_education_fields[] = {
  DATE ("completed_on", FALSE, "day this part was completed"),
  TXT ("education", "schooling and diplomas"),
  { .name = "languages", .type = REGIE_FIELD_STRINGS, .max = 20, .doc = "languages and level" },
  TXT ("work_history", "work history"),
  TXT ("ambitions", "ambitions for work and study"),
  END
};

static const RegieFieldSpec intake_circumstances_fields[] = {
  DATE ("completed_on", FALSE, "day this part was completed"),
  TXT ("household", "household"),
  TXT ("housing", "housing"),
  TXT ("finances", "finances and debts"),
  TXT ("childcare", "childcare needs"),
  TXT ("network", "social network"),
  BOOL ("client_support_offered", "independent client support (onafhankelijke cliëntondersteuning) offered"),
  END
};

static const RegieFieldSpec intake_health_fields[] = {
  DATE ("completed_on", FALSE, "day this part was completed"),
  TXT ("health", "physical and mental health (AVG art. 9 special category)"),
  TXT ("care_providers", "care providers involved"),
  BOOL ("limits_learning", "health limits learning or participation"),
  END
};

static const RegieFieldSpec target_level_fields[] = {
  ENUM ("reading", TRUE, levels, "lezen"),
  ENUM ("listening", TRUE, levels, "luisteren"),
  ENUM ("writing", TRUE, levels, "schrijven"),
  ENUM ("speaking", TRUE, levels, "spreken"),
  END
};

static const RegieFieldSpec pip_fields[] = {
  INT ("version", TRUE, 1, 100, "1 for the first PIP, then 2, 3, …"),
  DATE ("dagtekening", TRUE, "date of the beschikking"),
  ENUM ("leerroute", TRUE, leerroutes, "`b1`, `onderwijs` or `z`"),
  { .name = "target_levels", .type = REGIE_FIELD_OBJECT, .required = TRUE, .fields = target_level_fields,
    .doc = "target level per skill: `reading`, `listening`, `writing`, `speaking`, each A0–B2" },
  BOOL ("knm", "Kennis Nederlandse Maatschappij part of the route"),
  INT ("hours_estimate", FALSE, 0, 5000, "estimated course hours (asylum status holders only)"),
  STR ("course_provider", FALSE, "language school or institution"),
  BOOL ("course_provider_certified", "school holds the Blik op Werk quality mark"),
  INT ("intensity_hours_per_week", FALSE, 0, 60, "course hours per week"),
  BOOL ("pvt", "participatieverklaringstraject arranged"),
  BOOL ("map", "module arbeidsmarkt en participatie arranged"),
  TXT ("participation", "participation: work, volunteering, activities"),
  BOOL ("duaal", "language and work combined"),
  TXT ("childcare", "childcare arrangements"),
  TXT ("support", "support, e.g. maatschappelijke begeleiding"),
  INT ("progress_talk_weeks", FALSE, 1, 52, "weeks between progress talks"),
  BOOL ("waiting_third_party", "PIP term extended by 2 weeks while waiting for third-party information"),
  { .name = "afschalen_parts", .type = REGIE_FIELD_STRINGS, .values = exam_parts, .max = 5,
    .doc = "exam parts lowered from B1 to A2 in this version" },
  TXT ("effort_evidence", "the demonstrable effort behind afschalen"),
  END
};

static const RegieFieldSpec lesson_hours_fields[] = {
  STR ("provider", TRUE, "language school"),
  BOOL ("certified", "school holds the quality mark"),
  DATE ("from", TRUE, "first day of the period"),
  DATE ("to", TRUE, "last day of the period"),
  INT ("hours", TRUE, 0, 2000, "lesson hours attended"),
  END
};

static const RegieFieldSpec participation_hours_fields[] = {
  STR ("activity", TRUE, "what the person did"),
  ENUM ("kind", TRUE, participation_kinds, "`work`, `volunteering`, `duaal`, `course` or `other`"),
  DATE ("from", TRUE, "first day of the period"),
  DATE ("to", TRUE, "last day of the period"),
  INT ("hours", TRUE, 0, 2000, "hours"),
  END
};

static const RegieFieldSpec pvt_fields[] = {
  DATE ("started_on", FALSE, "start of the traject"),
  INT ("hours", TRUE, 0, 200, "hours followed"),
  DATE ("signed_on", FALSE, "day the participatieverklaring was signed"),
  END
};

static const RegieFieldSpec map_fields[] = {
  DATE ("started_on", FALSE, "start of the module"),
  DATE ("eindgesprek_on", FALSE, "day of the closing talk"),
  END
};

static const RegieFieldSpec zroute_eindgesprek_fields[] = {
  DATE ("held_on", TRUE, "day of the eindgesprek"),
  TXT ("summary", "what was concluded"),
  DATE ("reported_to_duo_on", FALSE, "day the completion was reported to DUO"),
  END
};

static const RegieFieldSpec exam_fields[] = {
  ENUM ("part", TRUE, exam_parts, "`L`, `Lu`, `S`, `Sp` or `KNM`"),
  DATE ("taken_on", TRUE, "exam day"),
  INT ("attempt", TRUE, 1, 20, "attempt number for this part"),
  ENUM ("result", TRUE, exam_results, "`passed`, `failed`, `no_show` or `pending`"),
  ENUM ("level", FALSE, levels, "level of the exam"),
  END
};

static const RegieFieldSpec life_area_fields[] = {
  TXT ("language", "language learning"),
  TXT ("participation", "participation and activities"),
  TXT ("work", "work and study"),
  TXT ("income", "income and money"),
  TXT ("housing", "housing"),
  TXT ("family", "family and childcare"),
  TXT ("wellbeing", "wellbeing, without medical detail"),
  TXT ("network", "social network"),
  END
};

static const RegieFieldSpec progress_talk_fields[] = {
  DATE ("held_on", TRUE, "day of the talk"),
  IDENT ("held_by", FALSE, "user name"),
  { .name = "life_areas", .type = REGIE_FIELD_OBJECT, .required = TRUE, .fields = life_area_fields,
    .doc = "one text per life area" },
  TXT ("agreements", "what was agreed"),
  END
};

static const RegieFieldSpec signal_fields[] = {
  STR ("title", TRUE, "what needs attention"),
  TXT ("description", "details"),
  IDENT ("owner", TRUE, "user name of whoever acts on it"),
  ENUM ("status", TRUE, signal_statuses, "`open`, `in_progress` or `done`"),
  DATE ("raised_on", TRUE, "day raised"),
  DATE ("due_on", FALSE, "day it should be handled"),
  END
};

static const RegieFieldSpec duo_decision_fields[] = {
  ENUM ("type", TRUE, decision_types, "`ontheffing_med`, `ontheffing_bio`, `vrijstelling` or `verlenging`"),
  DATE ("requested_on", TRUE, "day requested"),
  DATE ("advised_on", FALSE, "day of the municipality's advice"),
  ENUM ("advice", FALSE, advices, "`positive`, `negative` or `none`"),
  ENUM ("outcome", TRUE, decision_outcomes, "`pending`, `granted` or `refused`"),
  DATE ("decided_on", FALSE, "day of DUO's decision"),
  INT ("extension_months", FALSE, 1, 36, "verlenging: months added to the term"),
  END
};

static const RegieFieldSpec handhaving_fields[] = {
  ENUM ("action", TRUE, handhaving_actions, "`warning` or `fine`"),
  ENUM ("subject", TRUE, handhaving_subjects, "`intake` (not appearing) or `pip` (not following it)"),
  DATE ("date", TRUE, "date of the decision"),
  MONEY ("amount_cents", FALSE, "fine in euro cents"),
  ENUM ("culpability", FALSE, culpabilities, "assessed verwijtbaarheid"),
  TXT ("culpability_notes", "how culpability was assessed"),
  END
};

static const RegieFieldSpec ontzorgen_fields[] = {
  DATE ("started_on", TRUE, "first payment out of the benefit"),
  DATE ("mandate_on", FALSE, "day the person signed the mandate"),
  DATE ("reviewed_on", FALSE, "day of the six-month review"),
  DATE ("handed_back_on", FALSE, "day payments were handed back to the person"),
  TXT ("notes", "notes on financial self-reliance"),
  END
};

static const RegieFieldSpec toeslag_fields[] = {
  ENUM ("type", TRUE, toeslag_types, "`huurtoeslag`, `zorgtoeslag`, `kinderopvangtoeslag` or `kindgebonden_budget`"),
  MONEY ("expected_cents", TRUE, "amount expected"),
  DATE ("expected_on", TRUE, "day expected"),
  MONEY ("received_cents", FALSE, "amount received"),
  DATE ("received_on", FALSE, "day received"),
  END
};

static const RegieFieldSpec fixed_cost_fields[] = {
  ENUM ("type", TRUE, cost_types, "`rent`, `energy`, `water`, `health_insurance`, `municipal_tax` or `other`"),
  MONEY ("amount_cents", TRUE, "amount"),
  DATE ("paid_on", FALSE, "day paid"),
  END
};

static const RegieFieldSpec ontzorgen_month_fields[] = {
  { .name = "month", .type = REGIE_FIELD_MONTH, .required = TRUE, .doc = "YYYY-MM" },
  MONEY ("bijstand_cents", TRUE, "social assistance paid this month"),
  MONEY ("other_income_cents", FALSE, "other income"),
  { .name = "toeslagen", .type = REGIE_FIELD_ARRAY, .fields = toeslag_fields, .max = 10,
    .doc = "allowances: `type`, `expected_cents`, `expected_on`, `received_cents`, `received_on`" },
  { .name = "fixed_costs", .type = REGIE_FIELD_ARRAY, .fields = fixed_cost_fields, .max = 20,
    .doc = "fixed costs paid directly: `type`, `amount_cents`, `paid_on`" },
  END
};

static const RegieFieldSpec repayment_fields[] = {
  DATE ("paid_on", TRUE, "day repaid"),
  MONEY ("amount_cents", TRUE, "amount"),
  END
};

static const RegieFieldSpec bridging_loan_fields[] = {
  DATE ("granted_on", TRUE, "day granted"),
  MONEY ("amount_cents", TRUE, "amount lent"),
  TXT ("reason", "why"),
  { .name = "repayments", .type = REGIE_FIELD_ARRAY, .fields = repayment_fields, .max = 120,
    .doc = "repayments: `paid_on`, `amount_cents`" },
  END
};

static const RegieFieldSpec handover_fields[] = {
  STR ("to_municipality", TRUE, "municipality taking over"),
  DATE ("handed_over_on", TRUE, "day of the handover"),
  TXT ("notes", "what was handed over"),
  END
};

static const RegieFieldSpec closure_fields[] = {
  DATE ("closed_on", TRUE, "day closed"),
  ENUM ("reason", TRUE, closure_reasons, "`diploma`, `ontheffing`, `vrijstelling`, `departure`, "
        "`naturalisation`, `moved`, `deceased` or `other`"),
  TXT ("notes", "notes"),
  END
};

#define KIND(k, n, cls, append, one, f, d) \
  [k] = { .name = n, .field_class = REGIE_FIELD_CLASS_##cls, .append_only = append, \
          .one_per_dossier = one, .fields = f, .doc = d, .validate = validate_##f }

static gboolean
check_period (JsonObject  *p,
              const char  *what,
              GError     **error)
{
  GDate from, to;

  if (regie_json_object_get_date (p, "from", &from) &&
      regie_json_object_get_date (p, "to", &to) &&
      g_date_compare (&from, &to) > 0)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID, "%s: \"from\" is after \"to\"", what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
validate_lesson_hours_fields (JsonObject  *p,
                              GError     **error)
{
  return check_period (p, "lesson_hours", error);
}

static gboolean
validate_participation_hours_fields (JsonObject  *p,
                                     GError     **error)
{
  return check_period (p, "participation_hours", error);
}

static gboolean
validate_handhaving_fields (JsonObject  *p,
                            GError     **error)
{
  gboolean fine = g_strcmp0 (regie_json_object_get_str (p, "action"), "fine") == 0;

  if (fine != json_object_has_member (p, "amount_cents"))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                           "handhaving: a fine has \"amount_cents\" and a warning has none");
      return FALSE;
    }
  return TRUE;
}

static gboolean
validate_duo_decision_fields (JsonObject  *p,
                              GError     **error)
{
  if (g_strcmp0 (regie_json_object_get_str (p, "type"), "verlenging") == 0 &&
      g_strcmp0 (regie_json_object_get_str (p, "outcome"), "granted") == 0 &&
      !json_object_has_member (p, "extension_months"))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                           "duo_decision: a granted verlenging needs \"extension_months\"");
      return FALSE;
    }
  return TRUE;
}

#define validate_dossier_fields NULL
#define validate_person_fields NULL
#define validate_assignment_fields NULL
#define validate_note_fields NULL
#define validate_household_member_fields NULL
#define validate_duo_notification_fields NULL
#define validate_intake_leerbaarheid_fields NULL
#define validate_intake_education_fields NULL
#define validate_intake_circumstances_fields NULL
#define validate_intake_health_fields NULL
#define validate_pip_fields NULL
#define validate_pvt_fields NULL
#define validate_map_fields NULL
#define validate_zroute_eindgesprek_fields NULL
#define validate_exam_fields NULL
#define validate_progress_talk_fields NULL
#define validate_signal_fields NULL
#define validate_ontzorgen_fields NULL
#define validate_ontzorgen_month_fields NULL
#define validate_bridging_loan_fields NULL
#define validate_handover_fields NULL
#define validate_closure_fields NULL

static const RegieKindSpec kinds[REGIE_N_RECORD_KINDS] = {
  KIND (REGIE_RECORD_DOSSIER, "dossier", ADMIN, FALSE, TRUE, dossier_fields,
        "the dossier itself; its record id is the dossier id"),
  KIND (REGIE_RECORD_PERSON, "person", IDENTITY, FALSE, TRUE, person_fields, "the inburgeraar"),
  KIND (REGIE_RECORD_ASSIGNMENT, "assignment", ADMIN, FALSE, TRUE, assignment_fields,
        "team and klantmanager; decides who holds the dossier"),
  KIND (REGIE_RECORD_NOTE, "note", NOTES, TRUE, FALSE, note_fields, "a note in the timeline"),
  KIND (REGIE_RECORD_HOUSEHOLD_MEMBER, "household_member", IDENTITY, FALSE, FALSE,
        household_member_fields, "a member of the household"),
  KIND (REGIE_RECORD_DUO_NOTIFICATION, "duo_notification", ADMIN, FALSE, FALSE,
        duo_notification_fields, "a notification from DUO"),
  KIND (REGIE_RECORD_INTAKE_LEERBAARHEID, "intake_leerbaarheid", INTAKE, FALSE, TRUE,
        intake_leerbaarheid_fields, "brede intake part 1: the leerbaarheidstoets"),
  KIND (REGIE_RECORD_INTAKE_EDUCATION, "intake_education", INTAKE, FALSE, TRUE,
        intake_education_fields, "brede intake part 2: education, languages, work, ambitions"),
  KIND (REGIE_RECORD_INTAKE_CIRCUMSTANCES, "intake_circumstances", INTAKE, FALSE, TRUE,
        intake_circumstances_fields, "brede intake part 3: personal circumstances"),
  KIND (REGIE_RECORD_INTAKE_HEALTH, "intake_health", HEALTH, FALSE, TRUE, intake_health_fields,
        "brede intake part 3, health: special-category data"),
  KIND (REGIE_RECORD_PIP, "pip", PIP, TRUE, FALSE, pip_fields,
        "one issued PIP version (a beschikking); immutable"),
  KIND (REGIE_RECORD_LESSON_HOURS, "lesson_hours", PROGRESS, TRUE, FALSE, lesson_hours_fields,
        "lesson hours over a period"),
  KIND (REGIE_RECORD_PARTICIPATION_HOURS, "participation_hours", PROGRESS, TRUE, FALSE,
        participation_hours_fields, "participation hours over a period"),
  KIND (REGIE_RECORD_PVT, "pvt", PROGRESS, FALSE, TRUE, pvt_fields, "the participatieverklaringstraject"),
  KIND (REGIE_RECORD_MAP, "map", PROGRESS, FALSE, TRUE, map_fields, "the module arbeidsmarkt en participatie"),
  KIND (REGIE_RECORD_ZROUTE_EINDGESPREK, "zroute_eindgesprek", PROGRESS, FALSE, TRUE,
        zroute_eindgesprek_fields, "the closing talk of the Z-route"),
  KIND (REGIE_RECORD_EXAM, "exam", PROGRESS, TRUE, FALSE, exam_fields, "one exam attempt"),
  KIND (REGIE_RECORD_PROGRESS_TALK, "progress_talk", PROGRESS, TRUE, FALSE, progress_talk_fields,
        "a voortgangsgesprek across all life areas"),
  KIND (REGIE_RECORD_SIGNAL, "signal", ADMIN, FALSE, FALSE, signal_fields,
        "something someone must act on, with an owner and a status"),
  KIND (REGIE_RECORD_DUO_DECISION, "duo_decision", ADMIN, FALSE, FALSE, duo_decision_fields,
        "ontheffing, vrijstelling or verlenging: request, advice and DUO's decision"),
  KIND (REGIE_RECORD_HANDHAVING, "handhaving", ADMIN, FALSE, FALSE, handhaving_fields,
        "a warning or a fine"),
  KIND (REGIE_RECORD_ONTZORGEN, "ontzorgen", FINANCE, FALSE, TRUE, ontzorgen_fields,
        "the ontzorgen arrangement"),
  KIND (REGIE_RECORD_ONTZORGEN_MONTH, "ontzorgen_month", FINANCE, FALSE, FALSE,
        ontzorgen_month_fields, "one month of ontzorgen: income, allowances, fixed costs"),
  KIND (REGIE_RECORD_BRIDGING_LOAN, "bridging_loan", FINANCE, FALSE, FALSE, bridging_loan_fields,
        "an overbruggingskrediet and its repayments"),
  KIND (REGIE_RECORD_HANDOVER, "handover", ADMIN, FALSE, FALSE, handover_fields,
        "handover to another municipality"),
  KIND (REGIE_RECORD_CLOSURE, "closure", ADMIN, FALSE, TRUE, closure_fields,
        "closing the dossier"),
};

const RegieKindSpec *
regie_kind_spec_get (int kind)
{
  g_return_val_if_fail (kind >= 0 && kind < REGIE_N_RECORD_KINDS, NULL);

  return &kinds[kind];
}
