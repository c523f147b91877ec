/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <glib/gi18n.h>

#include "regie-rules.h"

#include "regie-caseload-summary.h"
#include "regie-ui-util.h"

#define AGENDA_DAYS 7

static void
agenda_entry_clear (gpointer data)
{
  RegieAgendaEntry *entry = data;

  g_free (entry->text);
}

void
regie_caseload_summary_free (RegieCaseloadSummary *summary)
{
  if (summary == NULL)
    return;

  g_free (summary->dossier_id);
  g_free (summary->route);
  g_clear_pointer (&summary->agenda, g_array_unref);
  g_free (summary);
}

const char *
regie_stage_to_string (RegieStage stage)
{
  switch (stage)
    {
    case REGIE_STAGE_INTAKE: return "intake";
    case REGIE_STAGE_PLAN: return "plan";
    case REGIE_STAGE_ROUTE: return "route";
    case REGIE_STAGE_CLOSED: return "closed";
    default: g_assert_not_reached ();
    }
}

const char *
regie_stage_label (RegieStage stage)
{
  switch (stage)
    {
    /* Translators: stage of a dossier: the brede intake has not started */
    case REGIE_STAGE_INTAKE: return C_("stage", "Intake");
    /* Translators: stage of a dossier: intake started, PIP not yet issued */
    case REGIE_STAGE_PLAN: return C_("stage", "Waiting for PIP");
    /* Translators: stage of a dossier: a PIP is in force, the person follows a route */
    case REGIE_STAGE_ROUTE: return C_("stage", "On route");
    case REGIE_STAGE_CLOSED: return C_("stage", "Closed");
    default: g_assert_not_reached ();
    }
}

static void
add_agenda (RegieCaseloadSummary *summary,
            RegieAgendaKind       kind,
            const GDate          *date,
            const char           *code,
            const char           *text)
{
  RegieAgendaEntry entry = { kind, *date, code, g_strdup (text) };

  g_array_append_val (summary->agenda, entry);
}

/* Deadlines that need nothing more once they pass (a window closing) or
 * that an existing record already met; the dossier page reads them the
 * same way. */
static gboolean
deadline_met (RegieCase   *dossier,
              const char  *code,
              const GDate *date,
              const GDate *today)
{
  RegieRecord *ontzorgen;

  if (g_str_equal (code, "bezwaar_end") || g_str_equal (code, "route_switch_limit"))
    return g_date_compare (date, today) < 0;
  if (g_str_equal (code, "pip_due"))
    return regie_case_get_records (dossier, REGIE_RECORD_PIP)->len > 0;
  if (g_str_equal (code, "ontzorgen_review"))
    {
      ontzorgen = regie_case_get_first (dossier, REGIE_RECORD_ONTZORGEN);
      return ontzorgen != NULL && regie_record_get_string (ontzorgen, "reviewed_on") != NULL;
    }
  return FALSE;
}

RegieCaseloadSummary *
regie_caseload_summary_compute (RegieCase           *dossier,
                                const GDate         *today,
                                const RegieSettings *settings)
{
  g_autoptr(RegieRulesResult) result = NULL;
  RegieCaseloadSummary *summary;
  GPtrArray *pips, *signals;
  GDate horizon = *today;
  gint64 latest_version = -1;

  g_return_val_if_fail (REGIE_IS_CASE (dossier), NULL);
  g_return_val_if_fail (today != NULL && g_date_valid (today), NULL);

  g_date_add_days (&horizon, AGENDA_DAYS);

  summary = g_new0 (RegieCaseloadSummary, 1);
  summary->dossier_id = g_strdup (regie_case_get_id (dossier));
  summary->agenda = g_array_new (FALSE, FALSE, sizeof (RegieAgendaEntry));
  g_array_set_clear_func (summary->agenda, agenda_entry_clear);
  g_date_clear (&summary->next_deadline, 1);

  pips = regie_case_get_records (dossier, REGIE_RECORD_PIP);
  for (guint i = 0; i < pips->len; i++)
    {
      RegieRecord *pip = g_ptr_array_index (pips, i);
      gint64 version = regie_record_get_int (pip, "version", 0);

      if (version > latest_version)
        {
          latest_version = version;
          g_free (summary->route);
          summary->route = g_strdup (regie_record_get_string (pip, "leerroute"));
        }
    }

  if (regie_case_get_first (dossier, REGIE_RECORD_CLOSURE) != NULL)
    summary->stage = REGIE_STAGE_CLOSED;
  else if (pips->len > 0)
    summary->stage = REGIE_STAGE_ROUTE;
  else if (regie_case_get_first (dossier, REGIE_RECORD_INTAKE_LEERBAARHEID) != NULL ||
           regie_case_get_first (dossier, REGIE_RECORD_INTAKE_EDUCATION) != NULL ||
           regie_case_get_first (dossier, REGIE_RECORD_INTAKE_CIRCUMSTANCES) != NULL)
    summary->stage = REGIE_STAGE_PLAN;
  else
    summary->stage = REGIE_STAGE_INTAKE;

  result = regie_rules_evaluate (dossier, today, settings);

  for (guint i = 0; i < result->deadlines->len; i++)
    {
      const RegieDeadline *deadline = &g_array_index (result->deadlines, RegieDeadline, i);

      if (deadline_met (dossier, deadline->code, &deadline->date, today))
        continue;

      if (!summary->has_deadline)
        {
          summary->has_deadline = TRUE;
          summary->next_deadline = deadline->date;
          summary->next_deadline_code = deadline->code;
        }

      if (g_date_compare (&deadline->date, &horizon) < 0)
        add_agenda (summary,
                    g_str_equal (deadline->code, "next_progress_talk") ? REGIE_AGENDA_TALK : REGIE_AGENDA_DEADLINE,
                    &deadline->date, deadline->code, NULL);
    }

  for (guint i = 0; i < result->signals->len; i++)
    {
      RegieRuleSignal *signal = g_ptr_array_index (result->signals, i);
      GDate from = *today;

      summary->n_signals++;
      /* A signal of the past week or the coming one; older ones stay on
       * the dossier page. */
      g_date_subtract_days (&from, AGENDA_DAYS);
      if (g_date_compare (&signal->date, &from) >= 0 && g_date_compare (&signal->date, &horizon) < 0)
        add_agenda (summary, REGIE_AGENDA_SIGNAL, &signal->date, signal->code, signal->message);
    }

  signals = regie_case_get_records (dossier, REGIE_RECORD_SIGNAL);
  for (guint i = 0; i < signals->len; i++)
    {
      RegieRecord *signal = g_ptr_array_index (signals, i);
      GDate raised, from = *today;

      if (g_strcmp0 (regie_record_get_string (signal, "status"), "done") == 0)
        continue;
      summary->n_signals++;
      g_date_subtract_days (&from, AGENDA_DAYS);
      if (regie_record_get_date (signal, "raised_on", &raised) &&
          g_date_compare (&raised, &from) >= 0 && g_date_compare (&raised, &horizon) < 0)
        add_agenda (summary, REGIE_AGENDA_SIGNAL, &raised, "signal", regie_record_get_string (signal, "title"));
    }

  return summary;
}

void
regie_caseload_settings_load (RegieStore    *store,
                              RegieSettings *out_settings)
{
  g_autofree char *json = NULL;

  regie_settings_init_defaults (out_settings);
  json = store != NULL ? regie_store_dup_meta (store, "settings") : NULL;
  if (json != NULL)
    {
      g_autoptr(JsonNode) node = json_from_string (json, NULL);
      g_autoptr(GError) error = NULL;
      RegieSettings parsed;

      regie_settings_init_defaults (&parsed);
      if (node != NULL && regie_settings_from_json (&parsed, node, &error))
        *out_settings = parsed;
      else
        g_debug ("Ignoring unreadable municipal settings: %s", error != NULL ? error->message : "not JSON");
    }
}

/* ---- the cache ------------------------------------------------------------ */

struct _RegieCaseloadSummaries
{
  GObject       parent_instance;

  GHashTable         *table;        /* dossier id → RegieCaseloadSummary */
  GCancellable       *full_update;  /* the running whole-caseload update */
  RegieCaseloadModel *caseload;     /* where a whole-caseload update takes its ids */
  GDate         today;
  guint         ready : 1;
};

G_DEFINE_FINAL_TYPE (RegieCaseloadSummaries, regie_caseload_summaries, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_READY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  RegieStore          *store;       /* a second connection, for this thread */
  char               **ids;         /* NULL: every dossier */
  RegieCaseloadTable  *caseload;    /* every dossier, as the list has it; or NULL */
  GDate          today;
  RegieSettings  settings;
  gboolean       full;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->store);
  g_strfreev (job->ids);
  g_clear_pointer (&job->caseload, regie_caseload_table_unref);
  g_free (job);
}

static void
update_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  RegieStore *store = job->store;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) regie_caseload_summary_free);
  /* Pointers into job->ids, the table or `caseload`, which outlive it. */
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GListModel) caseload = NULL;
  g_autoptr(GError) error = NULL;

  /* The window's connection belongs to the main thread (SQLite is opened
   * without a mutex); WAL lets a second one read alongside it. */
  if (job->ids != NULL)
    for (guint i = 0; job->ids[i] != NULL; i++)
      g_ptr_array_add (ids, job->ids[i]);
  else if (job->caseload != NULL)
    for (guint i = 0; i < job->caseload->n_entries; i++)
      g_ptr_array_add (ids, job->caseload->pool + job->caseload->entries[i].id);
  else
    {
      caseload = regie_store_load_caseload (store, &error);
      if (caseload == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      for (guint i = 0; i < g_list_model_get_n_items (caseload); i++)
        {
          g_autoptr(RegieCaseloadItem) item = g_list_model_get_item (caseload, i);

          /* The list store keeps the item, and so its text. */
          g_ptr_array_add (ids, (char *) regie_caseload_item_get_dossier_id (item));
        }
    }

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(RegieCase) dossier = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      dossier = regie_store_load_case (store, g_ptr_array_index (ids, i), &error);
      if (dossier == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_ptr_array_add (results, regie_caseload_summary_compute (dossier, &job->today, &job->settings));
    }

  g_task_return_pointer (task, g_steal_pointer (&results), (GDestroyNotify) g_ptr_array_unref);
}

static void
update_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  RegieCaseloadSummaries *self = REGIE_CASELOAD_SUMMARIES (object);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GPtrArray) summaries = NULL;
  g_autoptr(GError) error = NULL;

  summaries = g_task_propagate_pointer (G_TASK (result), &error);
  if (summaries == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not evaluate the caseload: %s", error->message);
      return;
    }

  if (job->full)
    {
      g_clear_object (&self->full_update);
      g_hash_table_remove_all (self->table);
    }

  self->today = job->today;
  for (guint i = 0; i < summaries->len; i++)
    {
      RegieCaseloadSummary *summary = g_ptr_array_index (summaries, i);

      g_hash_table_replace (self->table, summary->dossier_id, summary);
    }
  /* The table owns them now. */
  g_ptr_array_set_free_func (summaries, NULL);

  if (job->full && !self->ready)
    {
      self->ready = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
    }

  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);

#ifdef __GLIBC__
  /* Evaluating every dossier read them all on the worker thread; glibc
   * keeps what was freed in that thread's arena (~15 MB for 10,000). */
  if (job->full)
    malloc_trim (0);
#endif
}

RegieCaseloadSummaries *
regie_caseload_summaries_new (void)
{
  return g_object_new (REGIE_TYPE_CASELOAD_SUMMARIES, NULL);
}

void
regie_caseload_summaries_update (RegieCaseloadSummaries *self,
                                 RegieStore             *store,
                                 const char * const     *ids)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (REGIE_IS_CASELOAD_SUMMARIES (self));
  g_return_if_fail (REGIE_IS_STORE (store));

  job = g_new0 (Job, 1);
  job->store = regie_store_open_sibling (store, NULL);
  if (job->store == NULL)
    {
      /* Locked (or the file is gone): nothing to compute now. */
      job_free (job);
      return;
    }
  job->ids = g_strdupv ((char **) ids);
  job->full = ids == NULL;
  /* The list has just read every dossier from the store; reading them
   * again on the worker costs a scan of the whole records table. */
  if (job->full && self->caseload != NULL && regie_caseload_model_get_table (self->caseload) != NULL)
    job->caseload = regie_caseload_table_ref (regie_caseload_model_get_table (self->caseload));
  regie_ui_get_today (&job->today);
  regie_caseload_settings_load (store, &job->settings);

  if (job->full)
    {
      g_cancellable_cancel (self->full_update);
      g_clear_object (&self->full_update);
      self->full_update = g_cancellable_new ();
    }

  task = g_task_new (self, job->full ? self->full_update : NULL, update_cb, NULL);
  g_task_set_source_tag (task, regie_caseload_summaries_update);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, update_thread);
}

void
regie_caseload_summaries_set_caseload (RegieCaseloadSummaries *self,
                                       RegieCaseloadModel     *caseload)
{
  g_return_if_fail (REGIE_IS_CASELOAD_SUMMARIES (self));
  g_return_if_fail (caseload == NULL || REGIE_IS_CASELOAD_MODEL (caseload));

  g_set_object (&self->caseload, caseload);
}

void
regie_caseload_summaries_clear (RegieCaseloadSummaries *self)
{
  g_return_if_fail (REGIE_IS_CASELOAD_SUMMARIES (self));

  g_cancellable_cancel (self->full_update);
  g_clear_object (&self->full_update);
  g_hash_table_remove_all (self->table);
  if (self->ready)
    {
      self->ready = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
    }
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

RegieCaseloadSummary *
regie_caseload_summaries_lookup (RegieCaseloadSummaries *self,
                                 const char             *dossier_id)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_SUMMARIES (self), NULL);

  return dossier_id != NULL ? g_hash_table_lookup (self->table, dossier_id) : NULL;
}

gboolean
regie_caseload_summaries_is_ready (RegieCaseloadSummaries *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_SUMMARIES (self), FALSE);
  return self->ready;
}

const GDate *
regie_caseload_summaries_get_today (RegieCaseloadSummaries *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_SUMMARIES (self), NULL);
  return &self->today;
}

GHashTable *
regie_caseload_summaries_get_table (RegieCaseloadSummaries *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_SUMMARIES (self), NULL);
  return self->table;
}

static void
regie_caseload_summaries_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  RegieCaseloadSummaries *self = REGIE_CASELOAD_SUMMARIES (object);

  switch (prop_id)
    {
    case PROP_READY:
      g_value_set_boolean (value, self->ready);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
regie_caseload_summaries_dispose (GObject *object)
{
  RegieCaseloadSummaries *self = REGIE_CASELOAD_SUMMARIES (object);

  g_cancellable_cancel (self->full_update);
  g_clear_object (&self->full_update);
  g_clear_object (&self->caseload);

  G_OBJECT_CLASS (regie_caseload_summaries_parent_class)->dispose (object);
}

static void
regie_caseload_summaries_finalize (GObject *object)
{
  RegieCaseloadSummaries *self = REGIE_CASELOAD_SUMMARIES (object);

  g_hash_table_unref (self->table);

  G_OBJECT_CLASS (regie_caseload_summaries_parent_class)->finalize (object);
}

static void
regie_caseload_summaries_class_init (RegieCaseloadSummariesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = regie_caseload_summaries_get_property;
  object_class->dispose = regie_caseload_summaries_dispose;
  object_class->finalize = regie_caseload_summaries_finalize;

  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
regie_caseload_summaries_init (RegieCaseloadSummaries *self)
{
  self->table = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) regie_caseload_summary_free);
  g_date_clear (&self->today, 1);
}
