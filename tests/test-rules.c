/* SPDX-License-Identifier: EUPL-1.2 */
/* Table-driven tests of the rules engine, each code at its boundaries. */
#include "config.h"

#include <string.h>

#include "regie-case.h"
#include "regie-records.h"
#include "regie-rules.h"
#include "regie-util.h"

#define DOSSIER_ID "0190f3f0-0000-7000-8000-0000000000d0"

static guint next_id;

static void
add (RegieCase  *c,
     const char *kind_name,
     const char *payload)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieRecord) r = NULL;
  g_autoptr(JsonNode) node = regie_json_parse (payload, -1, &error);
  g_autofree char *id = NULL;
  RegieRecordKind kind;

  g_assert_no_error (error);
  g_assert_true (regie_record_kind_from_string (kind_name, &kind));
  id = kind == REGIE_RECORD_DOSSIER ? g_strdup (DOSSIER_ID)
                                    : g_strdup_printf ("0190f3f0-0000-7000-8000-%012x", ++next_id);
  r = regie_record_parse_full (id, DOSSIER_ID, kind, 1, node, REGIE_SCHEMA_LENIENT_BSN, &error);
  g_assert_no_error (error);
  regie_case_add_record (c, r);
}

/* A dossier notified on `notified` for someone of `doelgroep`. */
static RegieCase *
new_case (const char *doelgroep,
          const char *notified)
{
  RegieCase *c = regie_case_new (DOSSIER_ID);
  g_autofree char *d = g_strdup_printf ("{\"status\":\"open\",\"opened_on\":\"%s\",\"notified_on\":\"%s\"}",
                                        notified, notified);
  g_autofree char *p = g_strdup_printf ("{\"bsn\":\"123456782\",\"given_names\":\"Test\","
                                        "\"family_name\":\"Persoon\",\"birth_date\":\"1990-01-01\","
                                        "\"doelgroep\":\"%s\"}", doelgroep);
  add (c, "dossier", d);
  add (c, "person", p);
  return c;
}

static void
add_pip (RegieCase  *c,
         int         version,
         const char *dagtekening,
         const char *route,
         const char *level,
         const char *extra)
{
  g_autofree char *p = g_strdup_printf ("{\"version\":%d,\"dagtekening\":\"%s\",\"leerroute\":\"%s\","
                                        "\"target_levels\":{\"reading\":\"%s\",\"listening\":\"B1\","
                                        "\"writing\":\"%s\",\"speaking\":\"B1\"}%s%s}",
                                        version, dagtekening, route, level, level,
                                        extra ? "," : "", extra ? extra : "");
  if (g_strcmp0 (route, "z") == 0)
    {
      g_free (p);
      p = g_strdup_printf ("{\"version\":%d,\"dagtekening\":\"%s\",\"leerroute\":\"z\","
                           "\"target_levels\":{\"reading\":\"%s\",\"listening\":\"A1\","
                           "\"writing\":\"%s\",\"speaking\":\"A1\"}%s%s}",
                           version, dagtekening, level, level, extra ? "," : "", extra ? extra : "");
    }
  add (c, "pip", p);
}

static RegieRulesResult *
eval (RegieCase           *c,
      const char          *today,
      const RegieSettings *settings)
{
  GDate d;

  g_assert_true (regie_date_parse (today, &d));
  return regie_rules_evaluate (c, &d, settings);
}

static void
assert_deadline (RegieRulesResult *r,
                 const char       *code,
                 const char       *expected)
{
  const RegieDeadline *d = regie_rules_result_get_deadline (r, code);
  g_autofree char *got = NULL;

  if (expected == NULL)
    {
      g_assert_null (d);
      return;
    }
  g_assert_nonnull (d);
  got = regie_date_format (&d->date);
  g_assert_cmpstr (got, ==, expected);
}

static void
assert_finding (RegieRulesResult *r,
                const char       *code,
                int               severity) /* -1: absent */
{
  RegieFinding *f = regie_rules_result_get_finding (r, code);

  if (severity < 0)
    {
      if (f != NULL)
        g_test_message ("unexpected finding %s: %s", code, f->message);
      g_assert_null (f);
      return;
    }
  g_assert_nonnull (f);
  g_assert_cmpint (f->severity, ==, severity);
  g_assert_true (f->message != NULL && f->message[0] != '\0');
}

static void
assert_signal (RegieRulesResult *r,
               const char       *code,
               const char       *date)  /* NULL: absent */
{
  RegieRuleSignal *s = regie_rules_result_get_signal (r, code);
  g_autofree char *got = NULL;

  if (date == NULL)
    {
      g_assert_null (s);
      return;
    }
  g_assert_nonnull (s);
  got = regie_date_format (&s->date);
  g_assert_cmpstr (got, ==, date);
}

#define ERR REGIE_SEVERITY_ERROR
#define WARN REGIE_SEVERITY_WARNING
#define NONE (-1)

/* pip_due: notification + 10 weeks, + 2 with the extension recorded. */
static void
test_pip_due (void)
{
  const struct {
    const char *doelgroep, *notified, *brp; gboolean extended; const char *due;
  } rows[] = {
    { "gezinsmigrant", "2026-01-01", NULL, FALSE, "2026-03-12" },
    { "gezinsmigrant", "2026-01-01", NULL, TRUE, "2026-03-26" },
    { "gezinsmigrant", "2024-01-01", NULL, FALSE, "2024-03-11" },            /* leap year */
    { "asielstatushouder", "2026-01-01", "2026-01-10", FALSE, "2026-03-21" }, /* BRP later */
    { "asielstatushouder", "2026-01-10", "2026-01-01", FALSE, "2026-03-21" }, /* BRP earlier */
    { "gezinsmigrant", "2026-01-01", "2026-01-10", FALSE, "2026-03-12" },     /* BRP only for asylum */
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(RegieCase) c = regie_case_new (DOSSIER_ID);
      g_autoptr(RegieRulesResult) r = NULL;
      g_autofree char *d = g_strdup_printf ("{\"status\":\"open\",\"opened_on\":\"%s\",\"notified_on\":\"%s\"%s%s%s%s}",
                                            rows[i].notified, rows[i].notified,
                                            rows[i].brp ? ",\"brp_registered_on\":\"" : "",
                                            rows[i].brp ? rows[i].brp : "", rows[i].brp ? "\"" : "",
                                            rows[i].extended ? ",\"pip_term_extended\":true" : "");
      g_autofree char *p = g_strdup_printf ("{\"bsn\":\"123456782\",\"family_name\":\"X\","
                                            "\"birth_date\":\"1990-01-01\",\"doelgroep\":\"%s\"}",
                                            rows[i].doelgroep);
      g_test_message ("row %u", i);
      add (c, "dossier", d);
      add (c, "person", p);
      r = eval (c, "2026-01-02", NULL);
      assert_deadline (r, "pip_due", rows[i].due);
    }

  /* An earlier SS101 notification counts over the dossier's date. */
  {
    g_autoptr(RegieCase) c = new_case ("gezinsmigrant", "2026-01-20");
    g_autoptr(RegieRulesResult) r = NULL;

    add (c, "duo_notification", "{\"received_on\":\"2026-01-01\",\"event_code\":\"SS101\"}");
    add (c, "duo_notification", "{\"received_on\":\"2025-12-01\",\"event_code\":\"SS139\"}");
    r = eval (c, "2026-01-02", NULL);
    assert_deadline (r, "pip_due", "2026-03-12");
  }
}

/* pip_late and pip_due_soon around the due date 2026-03-12. */
static void
test_pip_late_and_due_soon (void)
{
  const struct { const char *today; int late; const char *soon; } rows[] = {
    { "2026-02-25", NONE, NULL },          /* 15 days ahead: no signal yet */
    { "2026-02-26", NONE, "2026-03-12" },  /* 14 days ahead */
    { "2026-03-11", NONE, "2026-03-12" },  /* day before */
    { "2026-03-12", NONE, "2026-03-12" },  /* day of */
    { "2026-03-13", ERR, NULL },           /* day after */
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(RegieCase) c = new_case ("gezinsmigrant", "2026-01-01");
      g_autoptr(RegieRulesResult) r = eval (c, rows[i].today, NULL);

      g_test_message ("today %s", rows[i].today);
      assert_finding (r, "pip_late", rows[i].late);
      assert_signal (r, "pip_due_soon", rows[i].soon);
    }

  /* Issued on the last day: in time. The day after: late, as a warning. */
  {
    g_autoptr(RegieCase) c = new_case ("gezinsmigrant", "2026-01-01");
    g_autoptr(RegieRulesResult) r = NULL;

    add_pip (c, 1, "2026-03-12", "b1", "B1", NULL);
    r = eval (c, "2026-04-01", NULL);
    assert_finding (r, "pip_late", NONE);
    assert_signal (r, "pip_due_soon", NULL);
  }
  {
    g_autoptr(RegieCase) c = new_case ("gezinsmigrant", "2026-01-01");
    g_autoptr(RegieRulesResult) r = NULL;

    add_pip (c, 1, "2026-03-13", "b1", "B1", NULL);
    r = eval (c, "2026-04-01", NULL);
    assert_finding (r, "pip_late", WARN);
  }
  /* Closed dossiers raise nothing about a missing PIP. */
  {
    g_autoptr(RegieCase) c = new_case ("gezinsmigrant", "2026-01-01");
    g_autoptr(RegieRulesResult) r = NULL;

    add (c, "closure", "{\"closed_on\":\"2026-02-01\",\"reason\":\"departure\"}");
    r = eval (c, "2026-04-01", NULL);
    assert_finding (r, "pip_late", NONE);
  }
}

/* term_end: 3 years from the day after the first PIP's dagtekening. */
static void
test_term_end (void)
{
  const struct { const char *first, *second; const char *end, *switch_limit; } rows[] = {
    { "2024-03-10", NULL, "2027-03-10", "2025-09-10" },
    { "2024-02-27", NULL, "2027-02-27", "2025-08-27" },
    { "2024-02-28", NULL, "2027-02-28", "2025-08-28" },  /* term starts 29 Feb: ends 28 Feb */
    { "2024-02-29", NULL, "2027-02-28", "2025-08-31" },  /* term starts 1 Mar */
    { "2025-02-28", NULL, "2028-02-29", "2026-08-31" },  /* ends in a leap year */
    { "2024-03-10", "2025-06-01", "2027-03-10", "2025-09-10" },  /* later PIP never moves it */
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(RegieCase) c = new_case ("asielstatushouder", "2023-12-01");
      g_autoptr(RegieRulesResult) r = NULL;

      g_test_message ("first PIP %s", rows[i].first);
      add_pip (c, 1, rows[i].first, "b1", "B1", NULL);
      if (rows[i].second)
        add_pip (c, 2, rows[i].second, "b1", "B1", NULL);
      r = eval (c, "2026-01-01", NULL);
      assert_deadline (r, "term_end", rows[i].end);
      assert_deadline (r, "route_switch_limit", rows[i].switch_limit);
    }

  /* A granted verlenging moves it; a refused or pending one does not. */
  {
    const struct { const char *outcome; const char *end; } v[] = {
      { "granted", "2027-09-10" }, { "refused", "2027-03-10" }, { "pending", "2027-03-10" },
    };
    for (guint i = 0; i < G_N_ELEMENTS (v); i++)
      {
        g_autoptr(RegieCase) c = new_case ("asielstatushouder", "2023-12-01");
        g_autoptr(RegieRulesResult) r = NULL;
        g_autofree char *d = g_strdup_printf ("{\"type\":\"verlenging\",\"requested_on\":\"2026-10-01\","
                                              "\"outcome\":\"%s\",\"extension_months\":6}", v[i].outcome);

        add_pip (c, 1, "2024-03-10", "b1", "B1", NULL);
        add (c, "duo_decision", d);
        r = eval (c, "2026-01-01", NULL);
        assert_deadline (r, "term_end", v[i].end);
      }
  }

  /* No PIP, no term. */
  {
    g_autoptr(RegieCase) c = new_case ("asielstatushouder", "2023-12-01");
    g_autoptr(RegieRulesResult) r = eval (c, "2024-01-01", NULL);
    assert_deadline (r, "term_end", NULL);
    assert_deadline (r, "bezwaar_end", NULL);
  }
}

static void
test_bezwaar_and_progress_talks (void)
{
  g_autoptr(RegieCase) c = new_case ("gezinsmigrant", "2024-01-10");
  g_autoptr(RegieRulesResult) r = NULL;

  add_pip (c, 1, "2024-03-10", "b1", "B1", "\"progress_talk_weeks\":8");
  r = eval (c, "2024-05-05", NULL);
  assert_deadline (r, "bezwaar_end", "2024-04-21");
  assert_deadline (r, "next_progress_talk", "2024-05-05");
  assert_signal (r, "progress_talk_overdue", NULL);
  g_clear_pointer (&r, regie_rules_result_free);

  r = eval (c, "2024-05-06", NULL);
  assert_signal (r, "progress_talk_overdue", "2024-05-05");
  g_clear_pointer (&r, regie_rules_result_free);

  /* A talk held moves the next one; the latest PIP's bezwaar term counts. */
  add (c, "progress_talk", "{\"held_on\":\"2024-04-01\",\"life_areas\":{\"language\":\"Gaat goed.\"}}");
  add_pip (c, 2, "2024-06-01", "b1", "B1", "\"progress_talk_weeks\":8");
  r = eval (c, "2024-05-27", NULL);
  assert_deadline (r, "next_progress_talk", "2024-05-27");
  assert_deadline (r, "bezwaar_end", "2024-07-13");
  assert_signal (r, "progress_talk_overdue", NULL);
  g_clear_pointer (&r, regie_rules_result_free);

  r = eval (c, "2024-05-28", NULL);
  assert_signal (r, "progress_talk_overdue", "2024-05-27");
}

static void
test_default_talk_frequency (void)
{
  g_autoptr(RegieCase) c = new_case ("gezinsmigrant", "2024-01-10");
  g_autoptr(RegieRulesResult) r = NULL;
  RegieSettings s;

  regie_settings_init_defaults (&s);
  s.progress_talk_weeks = 4;
  add_pip (c, 1, "2024-03-10", "b1", "B1", NULL);
  r = eval (c, "2024-03-11", &s);
  assert_deadline (r, "next_progress_talk", "2024-04-07");
}

static void
test_ontzorgen_review (void)
{
  const struct { const char *start, *review; } rows[] = {
    { "2024-01-15", "2024-07-15" },
    { "2024-08-31", "2025-02-28" },
    { "2023-08-31", "2024-02-29" },
    { "2024-02-29", "2024-08-29" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(RegieCase) c = new_case ("asielstatushouder", "2023-01-01");
      g_autoptr(RegieRulesResult) r = NULL;
      g_autofree char *o = g_strdup_printf ("{\"started_on\":\"%s\"}", rows[i].start);

      add (c, "ontzorgen", o);
      r = eval (c, "2024-01-01", NULL);
      assert_deadline (r, "ontzorgen_review", rows[i].review);
      assert_finding (r, "ontzorgen_not_asylum", NONE);
    }

  {
    g_autoptr(RegieCase) c = new_case ("gezinsmigrant", "2023-01-01");
    g_autoptr(RegieRulesResult) r = NULL;

    add (c, "ontzorgen", "{\"started_on\":\"2024-01-15\"}");
    r = eval (c, "2024-01-01", NULL);
    assert_finding (r, "ontzorgen_not_asylum", ERR);
  }
}

/* DUO's validations of the PIP. */
static void
test_pip_validations (void)
{
  const struct {
    const char *doelgroep; const char *route; const char *level; int version;
    const char *extra; const char *code; int severity;
  } rows[] = {
    { "gezinsmigrant", "b1", "A2", 1, NULL, "pip_a2_on_first_b1", ERR },
    { "gezinsmigrant", "b1", "B1", 1, NULL, "pip_a2_on_first_b1", NONE },
    { "gezinsmigrant", "onderwijs", "A2", 1, NULL, "pip_a2_on_onderwijsroute", ERR },
    { "gezinsmigrant", "onderwijs", "B1", 1, NULL, "pip_a2_on_onderwijsroute", NONE },
    { "asielstatushouder", "z", "B1", 1, NULL, "pip_b1_on_zroute", ERR },
    { "asielstatushouder", "z", "A2", 1, NULL, "pip_b1_on_zroute", NONE },
    { "gezinsmigrant", "b1", "B1", 1, "\"hours_estimate\":600", "pip_hours_estimate_not_asylum", ERR },
    { "overige_migrant", "b1", "B1", 1, "\"hours_estimate\":0", "pip_hours_estimate_not_asylum", ERR },
    { "asielstatushouder", "b1", "B1", 1, "\"hours_estimate\":600", "pip_hours_estimate_not_asylum", NONE },
    { "asielstatushouder", "onderwijs", "B1", 1, "\"map\":true", "map_on_onderwijsroute", ERR },
    { "asielstatushouder", "onderwijs", "B1", 1, "\"map\":false", "map_on_onderwijsroute", NONE },
    { "asielstatushouder", "b1", "B1", 1, "\"map\":true", "map_on_onderwijsroute", NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(RegieCase) c = new_case (rows[i].doelgroep, "2024-01-10");
      g_autoptr(RegieRulesResult) r = NULL;

      g_test_message ("row %u: %s", i, rows[i].code);
      add_pip (c, rows[i].version, "2024-03-10", rows[i].route, rows[i].level, rows[i].extra);
      r = eval (c, "2024-04-01", NULL);
      assert_finding (r, rows[i].code, rows[i].severity);
      g_assert_cmpint (regie_rules_result_has_errors (r), ==, rows[i].severity == ERR);
    }

  /* An A2 target on a later B1 PIP is afschalen, not this error. */
  {
    g_autoptr(RegieCase) c = new_case ("gezinsmigrant", "2024-01-10");
    g_autoptr(RegieRulesResult) r = NULL;

    add_pip (c, 1, "2024-03-10", "b1", "B1", NULL);
    add_pip (c, 2, "2025-06-10", "b1", "A2", NULL);
    r = eval (c, "2025-07-01", NULL);
    assert_finding (r, "pip_a2_on_first_b1", NONE);
  }
}

static void
add_hours (RegieCase  *c,
           const char *to,
           int         hours,
           gboolean    certified)
{
  g_autofree char *p = g_strdup_printf ("{\"provider\":\"Taalschool De Brug\",\"certified\":%s,"
                                        "\"from\":\"2024-04-01\",\"to\":\"%s\",\"hours\":%d}",
                                        certified ? "true" : "false", to, hours);
  add (c, "lesson_hours", p);
}

/* afschalen: B1-route only, never in the first PIP, ≥ 600 certified
 * lesson hours before the dagtekening, with the effort written down. */
static void
test_afschalen (void)
{
  const char *ok = "\"afschalen_parts\":[\"S\"],\"effort_evidence\":\"Drie examenpogingen, 95% aanwezig.\"";
  const struct {
    int certified, uncertified, after; const char *route; int version; const char *extra;
    int hours_short, not_b1, first, effort;
  } rows[] = {
    { 600, 0, 0, "b1", 2, NULL, NONE, NONE, NONE, NONE },
    { 599, 0, 0, "b1", 2, NULL, ERR, NONE, NONE, NONE },
    { 599, 300, 0, "b1", 2, NULL, ERR, NONE, NONE, NONE },  /* uncertified hours don't count */
    { 599, 0, 50, "b1", 2, NULL, ERR, NONE, NONE, NONE },   /* nor hours after the dagtekening */
    { 700, 0, 0, "b1", 1, NULL, NONE, NONE, ERR, NONE },
    { 700, 0, 0, "z", 2, NULL, NONE, ERR, NONE, NONE },
    { 700, 0, 0, "b1", 2, "\"afschalen_parts\":[\"S\"],\"effort_evidence\":\"  \"", NONE, NONE, NONE, ERR },
    { 700, 0, 0, "b1", 2, "\"afschalen_parts\":[\"S\"]", NONE, NONE, NONE, ERR },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(RegieCase) c = new_case ("asielstatushouder", "2024-01-10");
      g_autoptr(RegieRulesResult) r = NULL;

      g_test_message ("row %u", i);
      if (rows[i].version > 1)
        add_pip (c, 1, "2024-03-10", "b1", "B1", NULL);
      add_hours (c, "2025-05-31", rows[i].certified, TRUE);
      if (rows[i].uncertified)
        add_hours (c, "2025-05-31", rows[i].uncertified, FALSE);
      if (rows[i].after)
        add_hours (c, "2025-06-30", rows[i].after, TRUE);
      add_pip (c, rows[i].version, "2025-06-10", rows[i].route,
               g_strcmp0 (rows[i].route, "z") == 0 ? "A2" : "A2",
               rows[i].extra ? rows[i].extra : ok);
      r = eval (c, "2025-07-01", NULL);
      assert_finding (r, "afschalen_hours_short", rows[i].hours_short);
      assert_finding (r, "afschalen_not_b1_route", rows[i].not_b1);
      assert_finding (r, "afschalen_first_pip", rows[i].first);
      assert_finding (r, "afschalen_effort_missing", rows[i].effort);
    }
}

static void
test_pvt_and_zroute (void)
{
  const struct { const char *pvt; int severity; } pvt[] = {
    { "{\"hours\":11,\"signed_on\":\"2024-06-01\"}", ERR },
    { "{\"hours\":12,\"signed_on\":\"2024-06-01\"}", NONE },
    { "{\"hours\":11}", NONE },  /* not signed yet */
  };

  for (guint i = 0; i < G_N_ELEMENTS (pvt); i++)
    {
      g_autoptr(RegieCase) c = new_case ("asielstatushouder", "2024-01-10");
      g_autoptr(RegieRulesResult) r = NULL;

      add (c, "pvt", pvt[i].pvt);
      r = eval (c, "2024-07-01", NULL);
      assert_finding (r, "pvt_hours_short", pvt[i].severity);
    }

  {
    const struct { const char *doelgroep; int course, participation; int severity; } z[] = {
      { "asielstatushouder", 800, 800, NONE },
      { "asielstatushouder", 799, 800, ERR },
      { "asielstatushouder", 800, 799, ERR },
      { "gezinsmigrant", 800, 0, NONE },
      { "gezinsmigrant", 799, 900, ERR },
    };

    for (guint i = 0; i < G_N_ELEMENTS (z); i++)
      {
        g_autoptr(RegieCase) c = new_case (z[i].doelgroep, "2024-01-10");
        g_autoptr(RegieRulesResult) r = NULL;
        g_autofree char *part = g_strdup_printf ("{\"activity\":\"Vrijwilliger buurthuis\",\"kind\":\"volunteering\","
                                                 "\"from\":\"2024-04-01\",\"to\":\"2026-01-31\",\"hours\":%d}",
                                                 z[i].participation);

        g_test_message ("z row %u", i);
        add_pip (c, 1, "2024-03-10", "z", "A1", NULL);
        add_hours (c, "2026-01-31", z[i].course, FALSE);
        add (c, "participation_hours", part);
        r = eval (c, "2026-02-01", NULL);
        assert_finding (r, "zroute_hours_short", NONE);  /* only at the eindgesprek */
        g_clear_pointer (&r, regie_rules_result_free);
        add (c, "zroute_eindgesprek", "{\"held_on\":\"2026-02-10\"}");
        r = eval (c, "2026-02-11", NULL);
        assert_finding (r, "zroute_hours_short", z[i].severity);
      }
  }
}

static void
test_handhaving (void)
{
  const struct {
    const char *doelgroep; const char *subject; int amount; const char *warning_subject;
    const char *warning_date; gboolean policy; int over, no_warning, asylum;
  } rows[] = {
    { "gezinsmigrant", "pip", 80000, "pip", "2025-01-01", FALSE, NONE, NONE, NONE },
    { "gezinsmigrant", "pip", 80001, "pip", "2025-01-01", FALSE, ERR, NONE, NONE },
    { "gezinsmigrant", "intake", 25000, "intake", "2025-01-01", FALSE, NONE, NONE, NONE },
    { "gezinsmigrant", "intake", 25001, "intake", "2025-01-01", FALSE, ERR, NONE, NONE },
    { "gezinsmigrant", "pip", 50000, "pip", "2025-02-01", FALSE, NONE, NONE, NONE },  /* same day */
    { "gezinsmigrant", "pip", 50000, "pip", "2025-02-02", FALSE, NONE, ERR, NONE },   /* after */
    { "gezinsmigrant", "pip", 50000, "intake", "2025-01-01", FALSE, NONE, ERR, NONE },
    { "gezinsmigrant", "pip", 50000, NULL, NULL, FALSE, NONE, ERR, NONE },
    { "asielstatushouder", "pip", 50000, "pip", "2025-01-01", FALSE, NONE, NONE, WARN },
    { "asielstatushouder", "pip", 50000, "pip", "2025-01-01", TRUE, NONE, NONE, NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(RegieCase) c = new_case (rows[i].doelgroep, "2024-01-10");
      g_autoptr(RegieRulesResult) r = NULL;
      g_autofree char *fine = g_strdup_printf ("{\"action\":\"fine\",\"subject\":\"%s\",\"date\":\"2025-02-01\","
                                               "\"amount_cents\":%d,\"culpability\":\"verwijtbaar\"}",
                                               rows[i].subject, rows[i].amount);
      RegieSettings s;

      g_test_message ("row %u", i);
      regie_settings_init_defaults (&s);
      s.fine_asylum_status_holders = rows[i].policy;
      if (rows[i].warning_subject)
        {
          g_autofree char *w = g_strdup_printf ("{\"action\":\"warning\",\"subject\":\"%s\",\"date\":\"%s\"}",
                                                rows[i].warning_subject, rows[i].warning_date);
          add (c, "handhaving", w);
        }
      add (c, "handhaving", fine);
      r = eval (c, "2025-03-01", &s);
      assert_finding (r, "fine_over_max", rows[i].over);
      assert_finding (r, "fine_without_warning", rows[i].no_warning);
      assert_finding (r, "fine_asylum_policy", rows[i].asylum);
    }
}

static void
test_money_signals (void)
{
  /* leefgeld = bijstand + received toeslagen − fixed costs; threshold €150. */
  const struct { int bijstand; int costs; const char *low; } rows[] = {
    { 115000, 100000, NULL },          /* exactly €150: not below */
    { 114999, 100000, "2025-03-01" },  /* one cent below */
    { 101500, 100000, "2025-03-01" },  /* the €15 of the pilots */
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(RegieCase) c = new_case ("asielstatushouder", "2024-10-01");
      g_autoptr(RegieRulesResult) r = NULL;
      g_autofree char *m = g_strdup_printf ("{\"month\":\"2025-03\",\"bijstand_cents\":%d,"
                                            "\"fixed_costs\":[{\"type\":\"rent\",\"amount_cents\":%d}]}",
                                            rows[i].bijstand, rows[i].costs);
      add (c, "ontzorgen", "{\"started_on\":\"2025-01-01\"}");
      add (c, "ontzorgen_month", m);
      r = eval (c, "2025-03-02", NULL);
      assert_signal (r, "leefgeld_low", rows[i].low);
    }

  /* toeslag_late: after the expected day, unless received. */
  {
    const struct { const char *today; const char *received; const char *late; } t[] = {
      { "2025-03-20", NULL, NULL },
      { "2025-03-21", NULL, "2025-03-20" },
      { "2025-03-21", "\"received_on\":\"2025-03-21\",\"received_cents\":15000,", NULL },
    };
    for (guint i = 0; i < G_N_ELEMENTS (t); i++)
      {
        g_autoptr(RegieCase) c = new_case ("asielstatushouder", "2024-10-01");
        g_autoptr(RegieRulesResult) r = NULL;
        g_autofree char *m = g_strdup_printf ("{\"month\":\"2025-03\",\"bijstand_cents\":130000,"
                                              "\"toeslagen\":[{\"type\":\"zorgtoeslag\",%s"
                                              "\"expected_cents\":15000,\"expected_on\":\"2025-03-20\"}]}",
                                              t[i].received ? t[i].received : "");
        add (c, "ontzorgen_month", m);
        r = eval (c, t[i].today, NULL);
        assert_signal (r, "toeslag_late", t[i].late);
      }
  }

  /* bridging_loan_open until fully repaid. */
  {
    const struct { const char *repayments; const char *open; } b[] = {
      { "[{\"paid_on\":\"2025-04-01\",\"amount_cents\":20000}]", "2025-03-01" },
      { "[{\"paid_on\":\"2025-04-01\",\"amount_cents\":20000},{\"paid_on\":\"2025-05-01\",\"amount_cents\":30000}]", NULL },
    };
    for (guint i = 0; i < G_N_ELEMENTS (b); i++)
      {
        g_autoptr(RegieCase) c = new_case ("asielstatushouder", "2024-10-01");
        g_autoptr(RegieRulesResult) r = NULL;
        g_autofree char *l = g_strdup_printf ("{\"granted_on\":\"2025-03-01\",\"amount_cents\":50000,"
                                              "\"repayments\":%s}", b[i].repayments);
        add (c, "bridging_loan", l);
        r = eval (c, "2025-06-01", NULL);
        assert_signal (r, "bridging_loan_open", b[i].open);
      }
  }
}

static void
test_exam_attempts (void)
{
  const struct { const char *doelgroep; int failed; gboolean passed; const char *signal; } rows[] = {
    { "asielstatushouder", 2, FALSE, NULL },
    { "asielstatushouder", 3, FALSE, "2025-03-03" },
    { "asielstatushouder", 3, TRUE, NULL },
    { "gezinsmigrant", 3, FALSE, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(RegieCase) c = new_case (rows[i].doelgroep, "2024-01-10");
      g_autoptr(RegieRulesResult) r = NULL;

      for (int a = 1; a <= rows[i].failed; a++)
        {
          g_autofree char *e = g_strdup_printf ("{\"part\":\"Sp\",\"taken_on\":\"2025-03-0%d\",\"attempt\":%d,"
                                                "\"result\":\"%s\"}", a, a,
                                                rows[i].passed && a == rows[i].failed ? "passed" : "failed");
          add (c, "exam", e);
        }
      r = eval (c, "2025-04-01", NULL);
      assert_signal (r, "exam_attempts_exhausted", rows[i].signal);
    }
}

static void
test_bsn_invalid (void)
{
  g_autoptr(RegieCase) c = regie_case_new (DOSSIER_ID);
  g_autoptr(RegieRulesResult) r = NULL;

  add (c, "person", "{\"bsn\":\"123456781\",\"family_name\":\"X\",\"birth_date\":\"1990-01-01\","
                    "\"doelgroep\":\"gezinsmigrant\"}");
  r = eval (c, "2025-01-01", NULL);
  assert_finding (r, "bsn_invalid", ERR);
  g_clear_pointer (&r, regie_rules_result_free);
  g_clear_object (&c);

  c = new_case ("gezinsmigrant", "2024-01-10");
  r = eval (c, "2024-01-11", NULL);
  assert_finding (r, "bsn_invalid", NONE);
}

/* Every documented code is one the engine knows, and docs/rules.md names
 * every code the engine knows. */
static void
test_codes_documented (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "docs", "rules.md", NULL);
  g_autofree char *doc = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &doc, NULL, &error);
  g_assert_no_error (error);
  for (const char * const *code = regie_rules_all_codes (); *code != NULL; code++)
    {
      g_autofree char *heading = g_strdup_printf ("### `%s`", *code);
      g_test_message ("code %s", *code);
      g_assert_nonnull (strstr (doc, heading));
    }
}

static void
test_result_json (void)
{
  g_autoptr(RegieCase) c = new_case ("gezinsmigrant", "2026-01-01");
  g_autoptr(RegieRulesResult) r = eval (c, "2026-03-13", NULL);
  g_autoptr(JsonNode) node = regie_rules_result_to_json (r);
  g_autofree char *text = regie_json_to_string (node);

  g_assert_nonnull (strstr (text, "\"deadlines\":[{\"code\":\"pip_due\",\"date\":\"2026-03-12\"}]"));
  g_assert_nonnull (strstr (text, "{\"code\":\"pip_late\",\"severity\":\"error\",\"message\":"));
  g_assert_nonnull (strstr (text, "\"signals\":[]"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/rules/pip-due", test_pip_due);
  g_test_add_func ("/rules/pip-late-and-due-soon", test_pip_late_and_due_soon);
  g_test_add_func ("/rules/term-end", test_term_end);
  g_test_add_func ("/rules/bezwaar-and-progress-talks", test_bezwaar_and_progress_talks);
  g_test_add_func ("/rules/default-talk-frequency", test_default_talk_frequency);
  g_test_add_func ("/rules/ontzorgen-review", test_ontzorgen_review);
  g_test_add_func ("/rules/pip-validations", test_pip_validations);
  g_test_add_func ("/rules/afschalen", test_afschalen);
  g_test_add_func ("/rules/pvt-and-zroute", test_pvt_and_zroute);
  g_test_add_func ("/rules/handhaving", test_handhaving);
  g_test_add_func ("/rules/money-signals", test_money_signals);
  g_test_add_func ("/rules/exam-attempts", test_exam_attempts);
  g_test_add_func ("/rules/bsn-invalid", test_bsn_invalid);
  g_test_add_func ("/rules/result-json", test_result_json);
  g_test_add_func ("/rules/codes-documented", test_codes_documented);

  return g_test_run ();
}
