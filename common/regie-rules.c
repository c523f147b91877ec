/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieRules"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "regie-bsn.h"
#include "regie-rules.h"
#include "regie-util.h"

/* Numbers fixed by the law (docs/rules.md gives the sources). Numbers that
 * are a municipality's choice are in RegieSettings instead. */
#define PIP_TERM_DAYS            (10 * 7)   /* Wi 2021 art. 14: 10 weeks */
#define PIP_EXTENSION_DAYS       (2 * 7)    /* + at most 2 weeks for third-party information */
#define TERM_MONTHS              36         /* inburgeringstermijn: 3 years */
#define BEZWAAR_DAYS             (6 * 7)    /* Awb art. 6:7: 6 weeks */
#define ONTZORGEN_REVIEW_MONTHS  6
#define ROUTE_SWITCH_MONTHS      18
#define AFSCHALEN_MIN_HOURS      600
#define PVT_MIN_HOURS            12
#define ZROUTE_MIN_HOURS         800
#define FINE_MAX_PIP_CENTS       80000
#define FINE_MAX_INTAKE_CENTS    25000

static const char * const all_codes[] = {
  /* deadlines */
  "pip_due", "term_end", "bezwaar_end", "next_progress_talk", "ontzorgen_review",
  "route_switch_limit",
  /* findings */
  "bsn_invalid", "pip_late", "pip_a2_on_first_b1", "pip_a2_on_onderwijsroute",
  "pip_b1_on_zroute", "pip_hours_estimate_not_asylum", "afschalen_not_b1_route",
  "afschalen_first_pip", "afschalen_hours_short", "afschalen_effort_missing",
  "pvt_hours_short", "map_on_onderwijsroute", "zroute_hours_short", "ontzorgen_not_asylum",
  "fine_over_max", "fine_without_warning", "fine_asylum_policy",
  /* signals */
  "pip_due_soon", "progress_talk_overdue", "leefgeld_low", "toeslag_late",
  "bridging_loan_open", "exam_attempts_exhausted",
  NULL
};

const char * const *
regie_rules_all_codes (void)
{
  return all_codes;
}

const char *
regie_severity_to_string (RegieSeverity severity)
{
  return severity == REGIE_SEVERITY_ERROR ? "error" : "warning";
}

typedef struct
{
  RegieCase           *c;
  const GDate         *today;
  const RegieSettings *settings;
  RegieRulesResult    *result;
  gboolean             asylum;
  gboolean             closed;
  GPtrArray           *pips;       /* sorted by version */
} Ctx;

static char *
format_date (const GDate *date)
{
  char buf[64];

  /* Translators: date format in messages, see strftime(3); e.g. "23 November 2026". */
  if (g_date_strftime (buf, sizeof buf, _("%-d %B %Y"), date) == 0)
    return regie_date_format (date);
  return g_strdup (buf);
}

static char *
format_money (gint64 cents)
{
  /* Translators: an amount in euros; %.2f is the amount. */
  return g_strdup_printf (_("€%.2f"), cents / 100.0);
}

static void
add_deadline (Ctx         *ctx,
              const char  *code,
              const GDate *date)
{
  RegieDeadline d = { .code = code, .date = *date };

  g_array_append_val (ctx->result->deadlines, d);
}

static void G_GNUC_PRINTF (5, 6)
add_finding (Ctx            *ctx,
             const char     *code,
             RegieSeverity   severity,
             RegieRecord    *about,
             const char     *format,
             ...)
{
  RegieFinding *f = g_new0 (RegieFinding, 1);
  va_list args;

  va_start (args, format);
  f->code = code;
  f->severity = severity;
  f->message = g_strdup_vprintf (format, args);
  f->record_id = about ? g_strdup (regie_record_get_id (about)) : NULL;
  va_end (args);

  g_ptr_array_add (ctx->result->findings, f);
}

static void G_GNUC_PRINTF (5, 6)
add_signal (Ctx         *ctx,
            const char  *code,
            const GDate *date,
            RegieRecord *about,
            const char  *format,
            ...)
{
  RegieRuleSignal *s = g_new0 (RegieRuleSignal, 1);
  va_list args;

  va_start (args, format);
  s->code = code;
  s->date = *date;
  s->message = g_strdup_vprintf (format, args);
  s->record_id = about ? g_strdup (regie_record_get_id (about)) : NULL;
  va_end (args);

  g_ptr_array_add (ctx->result->signals, s);
}

static const char *
doelgroep_of (RegieCase *c)
{
  RegieRecord *person = regie_case_get_first (c, REGIE_RECORD_PERSON);
  GPtrArray *notes = regie_case_get_records (c, REGIE_RECORD_DUO_NOTIFICATION);

  if (person != NULL)
    return regie_record_get_string (person, "doelgroep");
  for (guint i = 0; i < notes->len; i++)
    {
      const char *d = regie_record_get_string (g_ptr_array_index (notes, i), "doelgroep");
      if (d != NULL)
        return d;
    }
  return NULL;
}

static int
compare_pips (gconstpointer a,
              gconstpointer b)
{
  RegieRecord *ra = *(RegieRecord **) a;
  RegieRecord *rb = *(RegieRecord **) b;
  gint64 va = regie_record_get_int (ra, "version", 0);
  gint64 vb = regie_record_get_int (rb, "version", 0);
  GDate da, db;

  if (va != vb)
    return va < vb ? -1 : 1;
  regie_record_get_date (ra, "dagtekening", &da);
  regie_record_get_date (rb, "dagtekening", &db);
  return g_date_compare (&da, &db);
}

/* The day the 10-week PIP term runs from: the DUO notification (SS101), or
 * for asylum status holders their registration in the BRP when later. */
static gboolean
pip_term_start (Ctx   *ctx,
                GDate *out)
{
  GPtrArray *notes = regie_case_get_records (ctx->c, REGIE_RECORD_DUO_NOTIFICATION);
  RegieRecord *dossier = regie_case_get_first (ctx->c, REGIE_RECORD_DOSSIER);
  gboolean found = FALSE;
  GDate brp;

  for (guint i = 0; i < notes->len; i++)
    {
      RegieRecord *n = g_ptr_array_index (notes, i);
      GDate d;

      if (g_strcmp0 (regie_record_get_string (n, "event_code"), "SS101") != 0 ||
          !regie_record_get_date (n, "received_on", &d))
        continue;
      if (!found || g_date_compare (&d, out) < 0)
        *out = d;
      found = TRUE;
    }
  if (!found && dossier != NULL && regie_record_get_date (dossier, "notified_on", out))
    found = TRUE;

  if (found && ctx->asylum && dossier != NULL &&
      regie_record_get_date (dossier, "brp_registered_on", &brp) &&
      g_date_compare (&brp, out) > 0)
    *out = brp;

  return found;
}

static gboolean
pip_extension_recorded (Ctx *ctx)
{
  RegieRecord *dossier = regie_case_get_first (ctx->c, REGIE_RECORD_DOSSIER);

  if (dossier != NULL && regie_record_get_bool (dossier, "pip_term_extended"))
    return TRUE;
  return ctx->pips->len > 0 &&
         regie_record_get_bool (g_ptr_array_index (ctx->pips, 0), "waiting_third_party");
}

static int
level_rank (const char *level)
{
  static const char * const order[] = { "A0", "A1", "A2", "B1", "B2" };

  for (int i = 0; i < (int) G_N_ELEMENTS (order); i++)
    if (g_strcmp0 (order[i], level) == 0)
      return i;
  return -1;
}

/* Highest and lowest target level over the four language skills. */
static void
target_range (RegieRecord *pip,
              int         *out_min,
              int         *out_max)
{
  static const char * const skills[] = { "reading", "listening", "writing", "speaking" };
  JsonObject *levels = regie_record_get_object (pip, "target_levels");

  *out_min = 99;
  *out_max = -1;
  for (guint i = 0; i < G_N_ELEMENTS (skills); i++)
    {
      int r = level_rank (regie_json_object_get_str (levels, skills[i]));
      *out_min = MIN (*out_min, r);
      *out_max = MAX (*out_max, r);
    }
}

/* Lesson hours (optionally only at certified schools) in periods ending on
 * or before `until` (NULL: all). */
static gint64
lesson_hours (Ctx         *ctx,
              gboolean     certified_only,
              const GDate *until)
{
  GPtrArray *rows = regie_case_get_records (ctx->c, REGIE_RECORD_LESSON_HOURS);
  gint64 total = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      RegieRecord *r = g_ptr_array_index (rows, i);
      GDate to;

      if (certified_only && !regie_record_get_bool (r, "certified"))
        continue;
      if (until != NULL && regie_record_get_date (r, "to", &to) && g_date_compare (&to, until) > 0)
        continue;
      total += regie_record_get_int (r, "hours", 0);
    }
  return total;
}

static gint64
participation_hours (Ctx *ctx)
{
  GPtrArray *rows = regie_case_get_records (ctx->c, REGIE_RECORD_PARTICIPATION_HOURS);
  gint64 total = 0;

  for (guint i = 0; i < rows->len; i++)
    total += regie_record_get_int (g_ptr_array_index (rows, i), "hours", 0);
  return total;
}

static void
check_identity (Ctx *ctx)
{
  RegieRecord *person = regie_case_get_first (ctx->c, REGIE_RECORD_PERSON);

  if (person != NULL && !regie_bsn_is_valid (regie_record_get_string (person, "bsn")))
    add_finding (ctx, "bsn_invalid", REGIE_SEVERITY_ERROR, person,
                 _("The BSN %s fails the elfproef. Check it against the BRP."),
                 regie_record_get_string (person, "bsn"));
}

static void
check_pip_deadline (Ctx *ctx)
{
  GDate start, due, first_day;
  g_autofree char *due_text = NULL;

  if (!pip_term_start (ctx, &start))
    return;

  due = start;
  g_date_add_days (&due, PIP_TERM_DAYS + (pip_extension_recorded (ctx) ? PIP_EXTENSION_DAYS : 0));
  add_deadline (ctx, "pip_due", &due);
  due_text = format_date (&due);

  if (ctx->pips->len == 0)
    {
      GDate lead = due;

      if (ctx->closed)
        return;
      if (g_date_compare (ctx->today, &due) > 0)
        add_finding (ctx, "pip_late", REGIE_SEVERITY_ERROR, NULL,
                     _("There is no PIP yet. It was due on %s."), due_text);
      else
        {
          g_date_subtract_days (&lead, ctx->settings->pip_due_lead_days);
          if (g_date_compare (ctx->today, &lead) >= 0)
            add_signal (ctx, "pip_due_soon", &due, NULL,
                        _("The PIP is due on %s."), due_text);
        }
      return;
    }

  regie_record_get_date (g_ptr_array_index (ctx->pips, 0), "dagtekening", &first_day);
  if (g_date_compare (&first_day, &due) > 0)
    add_finding (ctx, "pip_late", REGIE_SEVERITY_WARNING, g_ptr_array_index (ctx->pips, 0),
                 ngettext ("The first PIP was issued %d day after its deadline of %s.",
                           "The first PIP was issued %d days after its deadline of %s.",
                           g_date_days_between (&due, &first_day)),
                 g_date_days_between (&due, &first_day), due_text);
}

static void
term_deadlines (Ctx *ctx)
{
  GPtrArray *decisions = regie_case_get_records (ctx->c, REGIE_RECORD_DUO_DECISION);
  RegieRecord *first, *latest;
  GDate term_start, end, day;
  int months = TERM_MONTHS;

  if (ctx->pips->len == 0)
    return;

  first = g_ptr_array_index (ctx->pips, 0);
  latest = g_ptr_array_index (ctx->pips, ctx->pips->len - 1);

  /* The term runs from the day after the first PIP's dagtekening; later
   * PIP versions never move it, a granted verlenging does. */
  regie_record_get_date (first, "dagtekening", &term_start);
  g_date_add_days (&term_start, 1);

  for (guint i = 0; i < decisions->len; i++)
    {
      RegieRecord *d = g_ptr_array_index (decisions, i);

      if (g_strcmp0 (regie_record_get_string (d, "type"), "verlenging") == 0 &&
          g_strcmp0 (regie_record_get_string (d, "outcome"), "granted") == 0)
        months += (int) regie_record_get_int (d, "extension_months", 0);
    }

  end = term_start;
  regie_date_period_end (&end, months);
  add_deadline (ctx, "term_end", &end);

  end = term_start;
  regie_date_period_end (&end, ROUTE_SWITCH_MONTHS);
  add_deadline (ctx, "route_switch_limit", &end);

  regie_record_get_date (latest, "dagtekening", &day);
  g_date_add_days (&day, BEZWAAR_DAYS);
  add_deadline (ctx, "bezwaar_end", &day);
}

static void
progress_talks (Ctx *ctx)
{
  GPtrArray *talks = regie_case_get_records (ctx->c, REGIE_RECORD_PROGRESS_TALK);
  RegieRecord *latest_pip;
  GDate base, next;
  gboolean have_talk = FALSE;
  int weeks;

  if (ctx->pips->len == 0 || ctx->closed)
    return;

  latest_pip = g_ptr_array_index (ctx->pips, ctx->pips->len - 1);
  weeks = (int) regie_record_get_int (latest_pip, "progress_talk_weeks",
                                      ctx->settings->progress_talk_weeks);

  for (guint i = 0; i < talks->len; i++)
    {
      GDate held;

      if (regie_record_get_date (g_ptr_array_index (talks, i), "held_on", &held) &&
          (!have_talk || g_date_compare (&held, &base) > 0))
        {
          base = held;
          have_talk = TRUE;
        }
    }
  if (!have_talk)
    regie_record_get_date (g_ptr_array_index (ctx->pips, 0), "dagtekening", &base);

  next = base;
  g_date_add_days (&next, weeks * 7);
  add_deadline (ctx, "next_progress_talk", &next);

  if (g_date_compare (ctx->today, &next) > 0)
    {
      g_autofree char *when = format_date (&next);
      add_signal (ctx, "progress_talk_overdue", &next, NULL,
                  _("A progress talk was due on %s."), when);
    }
}

static void
check_pips (Ctx *ctx)
{
  const char *doelgroep = doelgroep_of (ctx->c);

  for (guint i = 0; i < ctx->pips->len; i++)
    {
      RegieRecord *pip = g_ptr_array_index (ctx->pips, i);
      const char *route = regie_record_get_string (pip, "leerroute");
      int version = (int) regie_record_get_int (pip, "version", 0);
      JsonArray *lowered = regie_record_get_array (pip, "afschalen_parts");
      gboolean first = i == 0;
      int lo, hi;

      target_range (pip, &lo, &hi);

      if (first && g_strcmp0 (route, "b1") == 0 && lo < level_rank ("B1"))
        add_finding (ctx, "pip_a2_on_first_b1", REGIE_SEVERITY_ERROR, pip,
                     _("PIP version %d: a first PIP on the B1-route cannot set a "
                       "target below B1. DUO will refuse it."), version);
      if (g_strcmp0 (route, "onderwijs") == 0 && lo < level_rank ("B1"))
        add_finding (ctx, "pip_a2_on_onderwijsroute", REGIE_SEVERITY_ERROR, pip,
                     _("PIP version %d: the onderwijsroute cannot have a target "
                       "below B1."), version);
      if (g_strcmp0 (route, "z") == 0 && hi >= level_rank ("B1"))
        add_finding (ctx, "pip_b1_on_zroute", REGIE_SEVERITY_ERROR, pip,
                     _("PIP version %d: the Z-route cannot have a B1 target."),
                     version);
      if (regie_record_get_int (pip, "hours_estimate", -1) >= 0 &&
          g_strcmp0 (doelgroep, "asielstatushouder") != 0)
        add_finding (ctx, "pip_hours_estimate_not_asylum", REGIE_SEVERITY_ERROR, pip,
                     _("PIP version %d: an hours estimate is only given to "
                       "asylum status holders."), version);
      if (g_strcmp0 (route, "onderwijs") == 0 && regie_record_get_bool (pip, "map"))
        add_finding (ctx, "map_on_onderwijsroute", REGIE_SEVERITY_ERROR, pip,
                     _("PIP version %d: the MAP is not part of the "
                       "onderwijsroute."), version);

      if (lowered != NULL && json_array_get_length (lowered) > 0)
        {
          const char *effort = regie_record_get_string (pip, "effort_evidence");
          g_autofree char *effort_stripped = g_strstrip (g_strdup (effort ? effort : ""));
          GDate day;
          gint64 hours;

          regie_record_get_date (pip, "dagtekening", &day);
          hours = lesson_hours (ctx, TRUE, &day);

          if (g_strcmp0 (route, "b1") != 0)
            add_finding (ctx, "afschalen_not_b1_route", REGIE_SEVERITY_ERROR, pip,
                         _("PIP version %d: lowering a target to A2 is only "
                           "possible on the B1-route."), version);
          if (first)
            add_finding (ctx, "afschalen_first_pip", REGIE_SEVERITY_ERROR, pip,
                         _("PIP version %d: a target cannot be lowered in the "
                           "first PIP."), version);
          if (hours < AFSCHALEN_MIN_HOURS)
            add_finding (ctx, "afschalen_hours_short", REGIE_SEVERITY_ERROR, pip,
                         _("PIP version %d: lowering a target needs at least "
                           "%d lesson hours at a certified school; %d are recorded."),
                         version, AFSCHALEN_MIN_HOURS, (int) hours);
          if (effort_stripped[0] == '\0')
            add_finding (ctx, "afschalen_effort_missing", REGIE_SEVERITY_ERROR, pip,
                         _("PIP version %d: describe the demonstrable effort "
                           "before lowering a target."), version);
        }
    }
}

static void
check_route_progress (Ctx *ctx)
{
  RegieRecord *pvt = regie_case_get_first (ctx->c, REGIE_RECORD_PVT);
  RegieRecord *eind = regie_case_get_first (ctx->c, REGIE_RECORD_ZROUTE_EINDGESPREK);
  GDate signed_on;

  if (pvt != NULL && regie_record_get_date (pvt, "signed_on", &signed_on) &&
      regie_record_get_int (pvt, "hours", 0) < PVT_MIN_HOURS)
    add_finding (ctx, "pvt_hours_short", REGIE_SEVERITY_ERROR, pvt,
                 _("The participatieverklaring was signed after %d hours; the PVT takes at "
                   "least %d."),
                 (int) regie_record_get_int (pvt, "hours", 0), PVT_MIN_HOURS);

  if (eind != NULL && ctx->pips->len > 0 &&
      g_strcmp0 (regie_record_get_string (g_ptr_array_index (ctx->pips, ctx->pips->len - 1),
                                          "leerroute"), "z") == 0)
    {
      gint64 course = lesson_hours (ctx, FALSE, NULL);
      gint64 participation = participation_hours (ctx);

      if (ctx->asylum && (course < ZROUTE_MIN_HOURS || participation < ZROUTE_MIN_HOURS))
        add_finding (ctx, "zroute_hours_short", REGIE_SEVERITY_ERROR, eind,
                     _("The Z-route needs %d course hours and %d participation hours; "
                       "%d and %d are recorded."),
                     ZROUTE_MIN_HOURS, ZROUTE_MIN_HOURS, (int) course, (int) participation);
      else if (!ctx->asylum && course < ZROUTE_MIN_HOURS)
        add_finding (ctx, "zroute_hours_short", REGIE_SEVERITY_ERROR, eind,
                     _("The Z-route needs %d course hours; %d are recorded."),
                     ZROUTE_MIN_HOURS, (int) course);
    }
}

static void
check_exams (Ctx *ctx)
{
  static const char * const parts[] = { "L", "Lu", "S", "Sp", "KNM" };
  GPtrArray *exams = regie_case_get_records (ctx->c, REGIE_RECORD_EXAM);

  if (!ctx->asylum || ctx->closed)
    return;

  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    {
      gint64 attempts = 0;
      gboolean passed = FALSE;
      RegieRecord *last = NULL;
      GDate last_day;

      for (guint i = 0; i < exams->len; i++)
        {
          RegieRecord *e = g_ptr_array_index (exams, i);
          GDate d;

          if (g_strcmp0 (regie_record_get_string (e, "part"), parts[p]) != 0)
            continue;
          attempts = MAX (attempts, regie_record_get_int (e, "attempt", 0));
          if (g_strcmp0 (regie_record_get_string (e, "result"), "passed") == 0)
            passed = TRUE;
          if (regie_record_get_date (e, "taken_on", &d) &&
              (last == NULL || g_date_compare (&d, &last_day) > 0))
            {
              last = e;
              last_day = d;
            }
        }

      if (!passed && last != NULL && attempts >= ctx->settings->free_exam_attempts)
        add_signal (ctx, "exam_attempts_exhausted", &last_day, last,
                    _("All %d free attempts for exam part %s are used and it is not passed."),
                    ctx->settings->free_exam_attempts, parts[p]);
    }
}

static void
check_ontzorgen (Ctx *ctx)
{
  RegieRecord *ontzorgen = regie_case_get_first (ctx->c, REGIE_RECORD_ONTZORGEN);
  GPtrArray *months = regie_case_get_records (ctx->c, REGIE_RECORD_ONTZORGEN_MONTH);
  GPtrArray *loans = regie_case_get_records (ctx->c, REGIE_RECORD_BRIDGING_LOAN);
  GDate started;

  if (ontzorgen != NULL)
    {
      if (!ctx->asylum)
        add_finding (ctx, "ontzorgen_not_asylum", REGIE_SEVERITY_ERROR, ontzorgen,
                     _("Ontzorgen is for asylum status holders only."));
      if (regie_record_get_date (ontzorgen, "started_on", &started))
        {
          regie_date_add_months_clamped (&started, ONTZORGEN_REVIEW_MONTHS);
          add_deadline (ctx, "ontzorgen_review", &started);
        }
    }

  if (ctx->closed)
    return;

  for (guint i = 0; i < months->len; i++)
    {
      RegieRecord *m = g_ptr_array_index (months, i);
      JsonArray *toeslagen = regie_record_get_array (m, "toeslagen");
      JsonArray *costs = regie_record_get_array (m, "fixed_costs");
      g_autofree char *first_day_text = g_strconcat (regie_record_get_string (m, "month"), "-01", NULL);
      gint64 leefgeld = regie_record_get_int (m, "bijstand_cents", 0) +
                        regie_record_get_int (m, "other_income_cents", 0);
      GDate first_day;

      regie_date_parse (first_day_text, &first_day);

      for (guint t = 0; toeslagen != NULL && t < json_array_get_length (toeslagen); t++)
        {
          JsonObject *o = json_array_get_object_element (toeslagen, t);
          GDate expected, received;

          if (regie_json_object_get_date (o, "received_on", &received))
            leefgeld += regie_json_object_get_int (o, "received_cents", 0);
          else if (regie_json_object_get_date (o, "expected_on", &expected))
            {
              GDate late = expected;

              g_date_add_days (&late, ctx->settings->toeslag_grace_days);
              if (g_date_compare (ctx->today, &late) > 0)
                {
                  g_autofree char *when = format_date (&expected);
                  g_autofree char *amount = format_money (regie_json_object_get_int (o, "expected_cents", 0));
                  add_signal (ctx, "toeslag_late", &expected, m,
                              _("%s of %s expected on %s has not arrived."),
                              regie_json_object_get_str (o, "type"), amount, when);
                }
            }
        }
      for (guint k = 0; costs != NULL && k < json_array_get_length (costs); k++)
        leefgeld -= regie_json_object_get_int (json_array_get_object_element (costs, k),
                                               "amount_cents", 0);

      if (leefgeld < ctx->settings->leefgeld_threshold_cents)
        {
          g_autofree char *amount = format_money (leefgeld);
          g_autofree char *threshold = format_money (ctx->settings->leefgeld_threshold_cents);
          add_signal (ctx, "leefgeld_low", &first_day, m,
                      _("Leefgeld in %s is %s, below the threshold of %s."),
                      regie_record_get_string (m, "month"), amount, threshold);
        }
    }

  for (guint i = 0; i < loans->len; i++)
    {
      RegieRecord *loan = g_ptr_array_index (loans, i);
      JsonArray *repayments = regie_record_get_array (loan, "repayments");
      gint64 open = regie_record_get_int (loan, "amount_cents", 0);
      GDate granted;

      for (guint r = 0; repayments != NULL && r < json_array_get_length (repayments); r++)
        open -= regie_json_object_get_int (json_array_get_object_element (repayments, r),
                                           "amount_cents", 0);
      if (open > 0 && regie_record_get_date (loan, "granted_on", &granted))
        {
          g_autofree char *amount = format_money (open);
          add_signal (ctx, "bridging_loan_open", &granted, loan,
                      _("%s of a bridging loan is still to be repaid."), amount);
        }
    }
}

static void
check_handhaving (Ctx *ctx)
{
  GPtrArray *acts = regie_case_get_records (ctx->c, REGIE_RECORD_HANDHAVING);

  for (guint i = 0; i < acts->len; i++)
    {
      RegieRecord *fine = g_ptr_array_index (acts, i);
      const char *subject = regie_record_get_string (fine, "subject");
      gint64 amount = regie_record_get_int (fine, "amount_cents", 0);
      gint64 max = g_strcmp0 (subject, "intake") == 0 ? FINE_MAX_INTAKE_CENTS : FINE_MAX_PIP_CENTS;
      gboolean warned = FALSE;
      GDate fine_day;

      if (g_strcmp0 (regie_record_get_string (fine, "action"), "fine") != 0)
        continue;
      regie_record_get_date (fine, "date", &fine_day);

      if (amount > max)
        {
          g_autofree char *a = format_money (amount);
          g_autofree char *m = format_money (max);
          add_finding (ctx, "fine_over_max", REGIE_SEVERITY_ERROR, fine,
                       _("A fine of %s is more than the maximum of %s."), a, m);
        }

      for (guint j = 0; j < acts->len && !warned; j++)
        {
          RegieRecord *w = g_ptr_array_index (acts, j);
          GDate d;

          warned = g_strcmp0 (regie_record_get_string (w, "action"), "warning") == 0 &&
                   g_strcmp0 (regie_record_get_string (w, "subject"), subject) == 0 &&
                   regie_record_get_date (w, "date", &d) && g_date_compare (&d, &fine_day) <= 0;
        }
      if (!warned)
        add_finding (ctx, "fine_without_warning", REGIE_SEVERITY_ERROR, fine,
                     _("A fine needs an earlier warning on the same subject."));

      if (ctx->asylum && !ctx->settings->fine_asylum_status_holders)
        add_finding (ctx, "fine_asylum_policy", REGIE_SEVERITY_WARNING, fine,
                     _("The municipality does not fine asylum status holders."));
    }
}

static int
compare_deadlines (gconstpointer a,
                   gconstpointer b)
{
  const RegieDeadline *da = a, *db = b;
  int c = g_date_compare (&da->date, &db->date);

  return c != 0 ? c : strcmp (da->code, db->code);
}

static int
compare_findings (gconstpointer a,
                  gconstpointer b)
{
  const RegieFinding *fa = *(RegieFinding **) a, *fb = *(RegieFinding **) b;

  if (fa->severity != fb->severity)
    return fa->severity < fb->severity ? -1 : 1;
  return strcmp (fa->code, fb->code);
}

static int
compare_signals (gconstpointer a,
                 gconstpointer b)
{
  const RegieRuleSignal *sa = *(RegieRuleSignal **) a, *sb = *(RegieRuleSignal **) b;
  int c = g_date_compare (&sa->date, &sb->date);

  return c != 0 ? c : strcmp (sa->code, sb->code);
}

static void
finding_free (RegieFinding *f)
{
  g_free (f->message);
  g_free (f->record_id);
  g_free (f);
}

static void
rule_signal_free (RegieRuleSignal *s)
{
  g_free (s->message);
  g_free (s->record_id);
  g_free (s);
}

RegieRulesResult *
regie_rules_evaluate (RegieCase           *dossier,
                      const GDate         *today,
                      const RegieSettings *settings)
{
  RegieRulesResult *result;
  RegieRecord *d, *closure;
  RegieSettings defaults;
  GPtrArray *pips;
  Ctx ctx = { 0 };

  g_return_val_if_fail (REGIE_IS_CASE (dossier), NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  if (settings == NULL)
    {
      regie_settings_init_defaults (&defaults);
      settings = &defaults;
    }

  result = g_new0 (RegieRulesResult, 1);
  result->deadlines = g_array_new (FALSE, FALSE, sizeof (RegieDeadline));
  result->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) finding_free);
  result->signals = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_signal_free);

  /* A borrowed view: g_ptr_array_copy() would inherit the unref func. */
  pips = g_ptr_array_new ();
  g_ptr_array_extend (pips, regie_case_get_records (dossier, REGIE_RECORD_PIP), NULL, NULL);
  g_ptr_array_sort (pips, compare_pips);

  d = regie_case_get_first (dossier, REGIE_RECORD_DOSSIER);
  closure = regie_case_get_first (dossier, REGIE_RECORD_CLOSURE);

  ctx.c = dossier;
  ctx.today = today;
  ctx.settings = settings;
  ctx.result = result;
  ctx.asylum = g_strcmp0 (doelgroep_of (dossier), "asielstatushouder") == 0;
  ctx.closed = closure != NULL ||
               (d != NULL && g_strcmp0 (regie_record_get_string (d, "status"), "closed") == 0);
  ctx.pips = pips;

  check_identity (&ctx);
  check_pip_deadline (&ctx);
  term_deadlines (&ctx);
  progress_talks (&ctx);
  check_pips (&ctx);
  check_route_progress (&ctx);
  check_exams (&ctx);
  check_ontzorgen (&ctx);
  check_handhaving (&ctx);

  g_array_sort (result->deadlines, compare_deadlines);
  g_ptr_array_sort (result->findings, compare_findings);
  g_ptr_array_sort (result->signals, compare_signals);
  g_ptr_array_unref (pips);

  return result;
}

void
regie_rules_result_free (RegieRulesResult *result)
{
  if (result == NULL)
    return;
  g_array_unref (result->deadlines);
  g_ptr_array_unref (result->findings);
  g_ptr_array_unref (result->signals);
  g_free (result);
}

const RegieDeadline *
regie_rules_result_get_deadline (RegieRulesResult *result,
                                 const char       *code)
{
  g_return_val_if_fail (result != NULL, NULL);

  for (guint i = 0; i < result->deadlines->len; i++)
    if (strcmp (g_array_index (result->deadlines, RegieDeadline, i).code, code) == 0)
      return &g_array_index (result->deadlines, RegieDeadline, i);
  return NULL;
}

RegieFinding *
regie_rules_result_get_finding (RegieRulesResult *result,
                                const char       *code)
{
  g_return_val_if_fail (result != NULL, NULL);

  for (guint i = 0; i < result->findings->len; i++)
    {
      RegieFinding *f = g_ptr_array_index (result->findings, i);
      if (strcmp (f->code, code) == 0)
        return f;
    }
  return NULL;
}

RegieRuleSignal *
regie_rules_result_get_signal (RegieRulesResult *result,
                               const char       *code)
{
  g_return_val_if_fail (result != NULL, NULL);

  for (guint i = 0; i < result->signals->len; i++)
    {
      RegieRuleSignal *s = g_ptr_array_index (result->signals, i);
      if (strcmp (s->code, code) == 0)
        return s;
    }
  return NULL;
}

gboolean
regie_rules_result_has_errors (RegieRulesResult *result)
{
  g_return_val_if_fail (result != NULL, FALSE);

  for (guint i = 0; i < result->findings->len; i++)
    if (((RegieFinding *) g_ptr_array_index (result->findings, i))->severity == REGIE_SEVERITY_ERROR)
      return TRUE;
  return FALSE;
}

JsonNode *
regie_rules_result_to_json (RegieRulesResult *result)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();

  g_return_val_if_fail (result != NULL, NULL);

  json_builder_begin_object (b);

  json_builder_set_member_name (b, "deadlines");
  json_builder_begin_array (b);
  for (guint i = 0; i < result->deadlines->len; i++)
    {
      RegieDeadline *d = &g_array_index (result->deadlines, RegieDeadline, i);
      g_autofree char *date = regie_date_format (&d->date);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, d->code);
      json_builder_set_member_name (b, "date");
      json_builder_add_string_value (b, date);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "findings");
  json_builder_begin_array (b);
  for (guint i = 0; i < result->findings->len; i++)
    {
      RegieFinding *f = g_ptr_array_index (result->findings, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, f->code);
      json_builder_set_member_name (b, "severity");
      json_builder_add_string_value (b, regie_severity_to_string (f->severity));
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, f->message);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "signals");
  json_builder_begin_array (b);
  for (guint i = 0; i < result->signals->len; i++)
    {
      RegieRuleSignal *s = g_ptr_array_index (result->signals, i);
      g_autofree char *date = regie_date_format (&s->date);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, s->code);
      json_builder_set_member_name (b, "date");
      json_builder_add_string_value (b, date);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, s->message);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}
