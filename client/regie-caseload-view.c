/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <glib/gi18n.h>

#include "regie-caseload-view.h"
#include "regie-caseload-filter-model.h"
#include "regie-caseload-model.h"
#include "regie-rule-labels.h"
#include "regie-ui-util.h"

/* Deadlines this close are marked as coming soon in the list. */
#define SOON_DAYS 14

/* The caseload read on a worker thread while the sign-in waits for the
 * server (regie_caseload_view_prefetch()). */
typedef struct
{
  gatomicrefcount     ref_count;
  GMutex              mutex;
  GCond               cond;
  RegieStore         *store;      /* a second connection, the worker's */
  RegieCaseloadTable *table;      /* the result; NULL with `error`, or empty */
  GError             *error;
  gboolean            done;
} Prefetch;

struct _RegieCaseloadView
{
  AdwBin                  parent_instance;

  GtkSearchEntry         *search_entry;
  GtkMenuButton          *filter_button;
  GtkMenuButton          *sort_button;
  GtkRevealer            *filter_revealer;
  GtkLabel               *filter_label;
  GtkRevealer            *progress_revealer;
  GtkLabel               *progress_label;
  GtkProgressBar         *progress_bar;
  GtkStack               *stack;
  GtkListView            *list_view;
  AdwStatusPage          *empty_page;
  GtkLabel               *count_label;

  RegieStore             *store;
  RegieCaseloadSummaries *summaries;
  Prefetch               *prefetch;
  RegieStore             *prefetch_for;   /* the store it reads (weak) */
  RegieCaseloadModel     *caseload;       /* every dossier, name order */
  RegieCaseloadFilterModel *filtered;     /* as shown: searched, filtered, sorted */
  GtkSingleSelection     *selection;
  GHashTable             *bound_rows;     /* row box → RegieCaseloadItem, rows on screen */
  GPtrArray              *spare_rows;     /* row boxes of list items GTK destroyed */
  GHashTable             *birth_dates;    /* civil date → as shown */
  GHashTable             *deadline_dates; /* Julian day → as shown */
  GHashTable             *rule_labels;    /* rules engine code (static) → translated label */

  char                   *query;          /* folded; NULL or "" shows all */
  char                   *selected_id;

  char                   *sort;
  char                   *route_filter;
  char                   *stage_filter;
  char                   *doelgroep_filter;
  int                     deadline_days;
  guint                   signals_filter : 1;
  guint                   deadline_filter : 1;
  guint                   selecting : 1;  /* selection changed by code, not the user */
  guint                   updating : 1;   /* inside regie_caseload_filter_model_update() */
};

G_DEFINE_FINAL_TYPE (RegieCaseloadView, regie_caseload_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SORT,
  PROP_ROUTE_FILTER,
  PROP_STAGE_FILTER,
  PROP_DOELGROEP_FILTER,
  PROP_SIGNALS_FILTER,
  PROP_DEADLINE_FILTER,
  PROP_DEADLINE_DAYS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_DOSSIER_SELECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
route_label (const char *route)
{
  if (g_strcmp0 (route, "b1") == 0)
    return C_("leerroute", "B1-route");
  if (g_strcmp0 (route, "onderwijs") == 0)
    return C_("leerroute", "Onderwijsroute");
  if (g_strcmp0 (route, "z") == 0)
    return C_("leerroute", "Z-route");
  /* Translators: filter: dossiers without an issued PIP, so without a route */
  return C_("leerroute", "No route yet");
}

static gboolean
filtering (RegieCaseloadView *self)
{
  return self->route_filter[0] != '\0' || self->stage_filter[0] != '\0' ||
         self->doelgroep_filter[0] != '\0' || self->signals_filter || self->deadline_filter;
}

static RegieCaseloadSummary *
lookup_summary (RegieCaseloadView *self,
                RegieCaseloadItem *item)
{
  if (self->summaries == NULL)
    return NULL;
  return regie_caseload_summaries_lookup (self->summaries, regie_caseload_item_get_dossier_id (item));
}

static RegieCaseloadRoute
route_code (const char *route)
{
  if (route == NULL)
    return REGIE_CASELOAD_ROUTE_NONE;
  if (g_str_equal (route, "b1"))
    return REGIE_CASELOAD_ROUTE_B1;
  if (g_str_equal (route, "onderwijs"))
    return REGIE_CASELOAD_ROUTE_ONDERWIJS;
  if (g_str_equal (route, "z"))
    return REGIE_CASELOAD_ROUTE_Z;
  return REGIE_CASELOAD_ROUTE_OTHER;
}

/* Copies what the filters and the deadline order need from the summaries
 * into the model's compact attributes, once per change of the summaries
 * instead of once per row per keystroke. */
static void
update_attrs (RegieCaseloadView *self)
{
  RegieCaseloadAttrs *attrs = regie_caseload_model_get_attrs (self->caseload);
  guint n = regie_caseload_model_get_n_entries (self->caseload);

  for (guint i = 0; i < n; i++)
    {
      RegieCaseloadSummary *summary = self->summaries != NULL
        ? regie_caseload_summaries_lookup (self->summaries, regie_caseload_model_get_id (self->caseload, i))
        : NULL;
      RegieCaseloadAttrs *a = &attrs[i];

      memset (a, 0, sizeof *a);
      if (summary == NULL)
        continue;
      a->evaluated = TRUE;
      a->has_signals = summary->n_signals > 0;
      a->route = route_code (summary->route);
      a->stage = summary->stage;
      a->deadline = summary->has_deadline ? g_date_get_julian (&summary->next_deadline) : 0;
    }
  regie_caseload_model_attrs_changed (self->caseload);
}

/* Searches, filters and sorts the shown list again; `more_strict` when
 * only a longer query changed. */
static void
apply (RegieCaseloadView *self,
       gboolean           more_strict)
{
  RegieCaseloadUpdateFlags flags = more_strict ? REGIE_CASELOAD_UPDATE_MORE_STRICT : REGIE_CASELOAD_UPDATE_DEFAULT;
  GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->list_view));
  RegieCaseloadCriteria criteria = { 0 };

  criteria.query = self->query;
  criteria.doelgroep = self->doelgroep_filter;
  criteria.route = -1;
  if (self->route_filter[0] != '\0')
    criteria.route = g_str_equal (self->route_filter, "none") ? REGIE_CASELOAD_ROUTE_NONE
                                                              : route_code (self->route_filter);
  criteria.stage = -1;
  for (RegieStage s = REGIE_STAGE_INTAKE; self->stage_filter[0] != '\0' && s <= REGIE_STAGE_CLOSED; s++)
    if (g_str_equal (regie_stage_to_string (s), self->stage_filter))
      criteria.stage = s;
  if (self->stage_filter[0] != '\0' && criteria.stage < 0)
    criteria.stage = G_MAXUINT8;   /* an unknown stage: nothing matches */
  criteria.signals = self->signals_filter;
  if (self->deadline_filter)
    {
      const GDate *today = self->summaries != NULL ? regie_caseload_summaries_get_today (self->summaries) : NULL;

      criteria.deadline_limit = 1;
      if (today != NULL && g_date_valid (today))
        criteria.deadline_limit = g_date_get_julian (today) + self->deadline_days;
    }
  criteria.by_deadline = g_str_equal (self->sort, "deadline");

  /* At the top of a list longer than the window (the usual case while
   * typing a search), anchor the list at its first row, which it shows
   * already, so that the filter model may announce the change in the two
   * steps that let GtkListView reuse its row widgets. */
  if (vadjustment != NULL && gtk_adjustment_get_value (vadjustment) == 0 &&
      gtk_adjustment_get_upper (vadjustment) > gtk_adjustment_get_page_size (vadjustment) &&
      g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0)
    {
      gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", 0);
      flags |= REGIE_CASELOAD_UPDATE_SPLIT;
    }

  self->updating = TRUE;
  regie_caseload_filter_model_update (self->filtered, &criteria, flags);
  self->updating = FALSE;

  /* And it stays there. When a change removes the first row, GTK keeps
   * that dossier in view at its new place: clearing a search showed the
   * list from its ninth row, say, and the next keystroke, no longer at
   * the top, made and destroyed ~190 row widgets (5–10 ms more). */
  if ((flags & REGIE_CASELOAD_UPDATE_SPLIT) && g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0)
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", 0);
}

static void
update_filter_label (RegieCaseloadView *self)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;
  g_autofree char *joined = NULL;

  if (self->route_filter[0] != '\0')
    g_ptr_array_add (parts, g_strdup (route_label (self->route_filter)));
  if (self->stage_filter[0] != '\0')
    {
      for (RegieStage s = REGIE_STAGE_INTAKE; s <= REGIE_STAGE_CLOSED; s++)
        if (g_str_equal (regie_stage_to_string (s), self->stage_filter))
          g_ptr_array_add (parts, g_strdup (regie_stage_label (s)));
    }
  if (self->doelgroep_filter[0] != '\0')
    g_ptr_array_add (parts, g_strdup (regie_ui_doelgroep_label (self->doelgroep_filter)));
  if (self->signals_filter)
    g_ptr_array_add (parts, g_strdup (_("has signals")));
  if (self->deadline_filter)
    /* Translators: an active filter, shown under the search field */
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("deadline within %d day", "deadline within %d days",
                                                       self->deadline_days),
                                             self->deadline_days));
  g_ptr_array_add (parts, NULL);

  /* Translators: a list separator between active filters */
  joined = g_strjoinv (_(" · "), (char **) parts->pdata);
  /* Translators: %s lists the active filters, e.g. "B1-route · has signals" */
  text = g_strdup_printf (_("Filtered: %s"), joined);
  gtk_label_set_text (self->filter_label, text);
  gtk_revealer_set_reveal_child (self->filter_revealer, filtering (self));
}

static void
update_state (RegieCaseloadView *self)
{
  guint n_total = regie_caseload_model_get_n_entries (self->caseload);
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  gboolean searching = (self->query != NULL && self->query[0] != '\0') || filtering (self);
  g_autofree char *count = NULL;

  if (n_total == 0)
    {
      gboolean synced_once = self->store != NULL && regie_store_get_cursor (self->store) > 0;

      if (synced_once)
        {
          adw_status_page_set_title (self->empty_page, _("No Dossiers"));
          adw_status_page_set_description (self->empty_page,
                                           _("No dossiers are assigned to you. Ask your coordinator if you expected some."));
        }
      else
        {
          adw_status_page_set_title (self->empty_page, _("No Dossiers Yet"));
          adw_status_page_set_description (self->empty_page,
                                           _("Your caseload appears here after the first sync with the server."));
        }
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else if (n_shown == 0)
    gtk_stack_set_visible_child_name (self->stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");

  if (searching)
    /* Translators: how many dossiers match the search */
    count = g_strdup_printf (ngettext ("%u of %u dossier", "%u of %u dossiers", n_total),
                             n_shown, n_total);
  else
    /* Translators: how many dossiers the caseload has */
    count = g_strdup_printf (ngettext ("%u dossier", "%u dossiers", n_total), n_total);

  gtk_label_set_text (self->count_label, count);
}

static void
filtered_items_changed_cb (RegieCaseloadView *self)
{
  /* apply() updates the state once the update is complete. */
  if (!self->updating)
    update_state (self);
}

static gboolean
find_position (RegieCaseloadView *self,
               const char        *dossier_id,
               guint             *out_position)
{
  int entry = regie_caseload_model_find (self->caseload, dossier_id);
  int position = entry >= 0 ? regie_caseload_filter_model_find_entry (self->filtered, entry) : -1;

  if (position < 0)
    return FALSE;
  *out_position = position;
  return TRUE;
}

/* Puts the selection back on self->selected_id after the model changed. */
static void
restore_selection (RegieCaseloadView *self)
{
  guint position = GTK_INVALID_LIST_POSITION;
  RegieCaseloadItem *current = gtk_single_selection_get_selected_item (self->selection);

  /* The selection model followed the item already. */
  if (current != NULL && g_strcmp0 (regie_caseload_item_get_dossier_id (current), self->selected_id) == 0)
    return;

  self->selecting = TRUE;
  if (self->selected_id != NULL && find_position (self, self->selected_id, &position))
    gtk_single_selection_set_selected (self->selection, position);
  else
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  self->selecting = FALSE;
}

static void
refilter (RegieCaseloadView *self,
          gboolean           more_strict)
{
  /* Unselect first: otherwise GtkSingleSelection looks for the selected
   * item among all the rows that changed, making an item for each. */
  self->selecting = TRUE;
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  apply (self, more_strict);
  self->selecting = FALSE;
  restore_selection (self);
  update_state (self);
}

static void
selection_changed_cb (RegieCaseloadView *self)
{
  RegieCaseloadItem *item;
  const char *id;

  if (self->selecting)
    return;

  item = gtk_single_selection_get_selected_item (self->selection);

  /* A search that hides the selected dossier unselects it only in the
   * list; the dossier stays open on the right. */
  if (item == NULL)
    return;

  id = regie_caseload_item_get_dossier_id (item);
  if (g_strcmp0 (id, self->selected_id) == 0)
    return;

  g_free (self->selected_id);
  self->selected_id = g_strdup (id);
  g_signal_emit (self, signals[SIGNAL_DOSSIER_SELECTED], 0, self->selected_id);
}

static void
search_entry_changed_cb (RegieCaseloadView *self)
{
  g_autofree char *query = regie_search_fold (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  gboolean more_strict = FALSE;

  g_strstrip (query);

  if (g_strcmp0 (query, self->query) == 0)
    return;

  /* A query that extends the previous one (every word of it still a
   * substring of the new words) only needs the rows shown re-checked. */
  if (self->query != NULL && g_str_has_prefix (query, self->query))
    more_strict = TRUE;

  g_free (self->query);
  self->query = g_steal_pointer (&query);

  refilter (self, more_strict);
}

static void
search_entry_stop_search_cb (RegieCaseloadView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

/* Enter in the search entry opens the first match. */
static void
search_entry_activate_cb (RegieCaseloadView *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0)
    return;

  gtk_single_selection_set_selected (self->selection, 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->list_view));
}

/* ---- rows ---------------------------------------------------------------- */

/* GtkListView (GTK 4.8) keeps up to 200 rows around the visible ones and
 * binds every row again whose position moved, so a keystroke binds up to
 * 200 rows: binding must not do anything slow. Dates are formatted once
 * (g_date_time_new_local() looks up the time zone each time), the signal
 * count's tooltip is made when asked for (setting a tooltip queries the
 * pointer from the X server), and style classes change only when they
 * differ. */

typedef enum
{
  DEADLINE_STYLE_NONE,
  DEADLINE_STYLE_ERROR,
  DEADLINE_STYLE_WARNING,
  DEADLINE_STYLE_DIM,
} DeadlineStyle;

static const char * const deadline_style_classes[] = { NULL, "error", "warning", "dim-label" };

static GQuark row_style_quark;
static GQuark row_signals_quark;
static GQuark row_box_quark;
static const char *details_format;
static const char *accessible_format;
static const char *overdue_format;
static const char *deadline_format;

/* gettext once per message (`context` as for C_(), or NULL): a keystroke
 * binds up to 200 rows, and these lookups were a tenth of binding one. */
G_GNUC_FORMAT (2)
static const char *
translate_once (const char  *context,
                const char  *msgid,
                const char **cache)
{
  if (G_UNLIKELY (*cache == NULL))
    *cache = context != NULL ? g_dpgettext2 (GETTEXT_PACKAGE, context, msgid) : _(msgid);
  return *cache;
}

/* Row boxes kept from list items GTK 4.8 destroyed, for the ones it makes
 * next: a keystroke that shortens the list below GTK's 200 rows destroys
 * up to 200 list items, and one that lengthens it makes as many, which
 * was half of such a keystroke (six widgets each). */
#define MAX_SPARE_ROWS 200

static const char *
cached_birth_date (RegieCaseloadView *self,
                   const char        *civil_date)
{
  char *text = g_hash_table_lookup (self->birth_dates, civil_date);

  if (text == NULL)
    {
      /* Dates of birth: at most a few thousand different ones. */
      text = regie_ui_format_date (civil_date, FALSE);
      g_hash_table_insert (self->birth_dates, g_strdup (civil_date), text);
    }
  return text;
}

static const char *
cached_deadline_date (RegieCaseloadView *self,
                      const GDate       *date)
{
  gpointer key = GUINT_TO_POINTER (g_date_get_julian (date));
  char *text = g_hash_table_lookup (self->deadline_dates, key);

  if (text == NULL)
    {
      text = regie_ui_format_gdate (date, FALSE);
      g_hash_table_insert (self->deadline_dates, key, text);
    }
  return text;
}

/* regie_rule_label() asks gettext each time; a handful of codes. */
static const char *
cached_rule_label (RegieCaseloadView *self,
                   const char        *code)
{
  const char *label = g_hash_table_lookup (self->rule_labels, code);

  if (label == NULL)
    {
      label = regie_rule_label (code);
      g_hash_table_insert (self->rule_labels, (gpointer) code, (gpointer) label);
    }
  return label;
}

static void
set_deadline_style (GtkWidget     *deadline,
                    DeadlineStyle  style)
{
  DeadlineStyle old = GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (deadline), row_style_quark));

  if (old == style)
    return;
  if (deadline_style_classes[old] != NULL)
    gtk_widget_remove_css_class (deadline, deadline_style_classes[old]);
  if (deadline_style_classes[style] != NULL)
    gtk_widget_add_css_class (deadline, deadline_style_classes[style]);
  g_object_set_qdata (G_OBJECT (deadline), row_style_quark, GUINT_TO_POINTER (style));
}

static gboolean
signal_icon_query_tooltip_cb (GtkWidget  *icon,
                              int         x,
                              int         y,
                              gboolean    keyboard_mode,
                              GtkTooltip *tooltip,
                              gpointer    user_data)
{
  guint n_signals = GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (icon), row_signals_quark));
  g_autofree char *text = NULL;

  if (n_signals == 0)
    return FALSE;

  /* Translators: a caseload row has signals someone must act on */
  text = g_strdup_printf (ngettext ("%u signal", "%u signals", n_signals), n_signals);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
update_row (RegieCaseloadView *self,
            GtkWidget         *box,
            RegieCaseloadItem *item)
{
  GtkWidget *title_box = gtk_widget_get_first_child (box);
  GtkWidget *title = gtk_widget_get_first_child (title_box);
  GtkWidget *signal_icon = gtk_widget_get_next_sibling (title);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title_box);
  GtkWidget *deadline = gtk_widget_get_next_sibling (subtitle);
  RegieCaseloadSummary *summary = lookup_summary (self, item);
  const char *birth_date = cached_birth_date (self, regie_caseload_item_get_birth_date (item));
  const char *doelgroep = regie_ui_doelgroep_label (regie_caseload_item_get_doelgroep (item));
  guint n_signals = summary != NULL ? summary->n_signals : 0;
  DeadlineStyle style = DEADLINE_STYLE_NONE;
  g_autofree char *details = NULL;
  g_autofree char *deadline_text = NULL;
  g_autofree char *accessible = NULL;
  g_autofree char *signals_text = NULL;

  /* Translators: second line of a caseload row: BSN · date of birth · doelgroep */
  details = g_strdup_printf (translate_once (NULL, N_("%s · %s · %s"), &details_format),
                             regie_caseload_item_get_bsn (item), birth_date, doelgroep);

  gtk_label_set_text (GTK_LABEL (title), regie_caseload_item_get_full_name (item));
  gtk_label_set_text (GTK_LABEL (subtitle), details);

  if (summary != NULL && summary->has_deadline)
    {
      const GDate *today = regie_caseload_summaries_get_today (self->summaries);
      const char *date = cached_deadline_date (self, &summary->next_deadline);
      int days = g_date_days_between (today, &summary->next_deadline);

      if (days < 0)
        {
          /* Translators: caseload row: an overdue deadline, e.g. "Overdue: PIP due · 3 Mar 2026" */
          deadline_text = g_strdup_printf (translate_once (NULL, N_("Overdue: %s · %s"), &overdue_format),
                                           cached_rule_label (self, summary->next_deadline_code), date);
          style = DEADLINE_STYLE_ERROR;
        }
      else
        {
          /* Translators: caseload row: the next deadline, e.g. "PIP due · 3 Mar 2026" */
          deadline_text = g_strdup_printf (translate_once ("caseload row", NC_("caseload row", "%s · %s"), &deadline_format),
                                           cached_rule_label (self, summary->next_deadline_code), date);
          style = days <= SOON_DAYS ? DEADLINE_STYLE_WARNING : DEADLINE_STYLE_DIM;
        }
    }
  else if (summary != NULL)
    {
      deadline_text = g_strdup (_("No deadlines"));
      style = DEADLINE_STYLE_DIM;
    }

  set_deadline_style (deadline, style);
  gtk_label_set_text (GTK_LABEL (deadline), deadline_text != NULL ? deadline_text : "");
  gtk_widget_set_visible (deadline, deadline_text != NULL);

  gtk_widget_set_visible (signal_icon, n_signals > 0);
  g_object_set_qdata (G_OBJECT (signal_icon), row_signals_quark, GUINT_TO_POINTER (n_signals));
  if (n_signals > 0)
    /* Translators: a caseload row has signals someone must act on */
    signals_text = g_strdup_printf (ngettext ("%u signal", "%u signals", n_signals), n_signals);

  /* Read "BSN" out loud instead of a bare number. */
  /* Translators: what a screen reader says for a caseload row: name, BSN, date of birth, doelgroep */
  accessible = g_strdup_printf (translate_once (NULL, N_("%s, BSN %s, born %s, %s"), &accessible_format),
                                regie_caseload_item_get_full_name (item),
                                regie_caseload_item_get_bsn (item),
                                birth_date,
                                doelgroep);
  if (deadline_text != NULL || signals_text != NULL)
    {
      char *longer = g_strjoin (", ", accessible, deadline_text != NULL ? deadline_text : signals_text,
                                deadline_text != NULL ? signals_text : NULL, NULL);
      g_free (accessible);
      accessible = longer;
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

static GtkWidget *
row_label (const char *style_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, style_class);
  return label;
}


static void
factory_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  RegieCaseloadView *self = user_data;
  GtkWidget *box, *title_box, *title, *icon, *subtitle, *deadline;

  if (self->spare_rows != NULL && self->spare_rows->len > 0)
    {
      /* The spare row's reference goes to the list item's data. */
      box = g_ptr_array_steal_index_fast (self->spare_rows, self->spare_rows->len - 1);
      g_object_set_qdata_full (G_OBJECT (list_item), row_box_quark, box, g_object_unref);
      gtk_list_item_set_child (list_item, box);
      return;
    }

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_add_css_class (box, "caseload-row");

  title_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  title = row_label ("heading");
  gtk_widget_set_hexpand (title, TRUE);
  gtk_box_append (GTK_BOX (title_box), title);
  icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_add_css_class (icon, "warning");
  gtk_widget_set_has_tooltip (icon, TRUE);
  g_signal_connect (icon, "query-tooltip", G_CALLBACK (signal_icon_query_tooltip_cb), NULL);
  gtk_box_append (GTK_BOX (title_box), icon);
  gtk_box_append (GTK_BOX (box), title_box);

  subtitle = row_label ("dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "numeric");
  gtk_box_append (GTK_BOX (box), subtitle);

  deadline = row_label ("caption");
  gtk_widget_add_css_class (deadline, "deadline-line");
  gtk_box_append (GTK_BOX (box), deadline);

  gtk_list_item_set_child (list_item, box);
  /* GTK 4.8 unsets the child before "teardown": keep a reference. */
  g_object_set_qdata_full (G_OBJECT (list_item), row_box_quark, g_object_ref (box), g_object_unref);
}

static void
factory_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 RegieCaseloadView        *self)
{
  RegieCaseloadItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);

  g_hash_table_insert (self->bound_rows, box, item);
  update_row (self, box, item);
}

/* Keeps the row box for the next list item; bind sets all it shows. */
static void
factory_teardown_cb (GtkSignalListItemFactory *factory,
                     GtkListItem              *list_item,
                     RegieCaseloadView        *self)
{
  GtkWidget *box = g_object_steal_qdata (G_OBJECT (list_item), row_box_quark);

  if (box == NULL)
    return;
  if (self->spare_rows == NULL || self->spare_rows->len >= MAX_SPARE_ROWS ||
      gtk_widget_get_parent (box) != NULL)
    {
      g_object_unref (box);
      return;
    }
  g_ptr_array_add (self->spare_rows, box);
}

static void
factory_unbind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   RegieCaseloadView        *self)
{
  g_hash_table_remove (self->bound_rows, gtk_list_item_get_child (list_item));
}

static void
summaries_changed_cb (RegieCaseloadView *self)
{
  GHashTableIter iter;
  gpointer box, item;

  /* Rows on screen show the new figures; the order and the filters that
   * depend on them follow. */
  g_hash_table_iter_init (&iter, self->bound_rows);
  while (g_hash_table_iter_next (&iter, &box, &item))
    update_row (self, box, item);

  update_attrs (self);
  if (g_str_equal (self->sort, "deadline") || filtering (self))
    refilter (self, FALSE);
}

/* ---- menus --------------------------------------------------------------- */

static void
add_radio (GMenu      *section,
           const char *label,
           const char *action,
           const char *target)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action, g_variant_new_string (target));
  g_menu_append_item (section, item);
}

static void
rebuild_menus (RegieCaseloadView *self)
{
  g_autoptr(GMenu) filter_menu = g_menu_new ();
  g_autoptr(GMenu) route = g_menu_new ();
  g_autoptr(GMenu) stage = g_menu_new ();
  g_autoptr(GMenu) doelgroep = g_menu_new ();
  g_autoptr(GMenu) toggles = g_menu_new ();
  g_autoptr(GMenu) clear = g_menu_new ();
  g_autoptr(GMenu) sort_menu = g_menu_new ();
  g_autoptr(GMenu) sort_section = g_menu_new ();
  g_autofree char *deadline_label = NULL;

  /* Translators: filter menu: any route */
  add_radio (route, C_("leerroute", "Any Route"), "caseload.route-filter", "");
  add_radio (route, route_label ("b1"), "caseload.route-filter", "b1");
  add_radio (route, route_label ("onderwijs"), "caseload.route-filter", "onderwijs");
  add_radio (route, route_label ("z"), "caseload.route-filter", "z");
  add_radio (route, route_label ("none"), "caseload.route-filter", "none");
  g_menu_append_section (filter_menu, C_("filter menu", "Route"), G_MENU_MODEL (route));

  add_radio (stage, C_("stage", "Any Stage"), "caseload.stage-filter", "");
  for (RegieStage s = REGIE_STAGE_INTAKE; s <= REGIE_STAGE_CLOSED; s++)
    add_radio (stage, regie_stage_label (s), "caseload.stage-filter", regie_stage_to_string (s));
  g_menu_append_section (filter_menu, C_("filter menu", "Stage"), G_MENU_MODEL (stage));

  add_radio (doelgroep, C_("doelgroep", "Any Doelgroep"), "caseload.doelgroep-filter", "");
  add_radio (doelgroep, regie_ui_doelgroep_label ("asielstatushouder"), "caseload.doelgroep-filter", "asielstatushouder");
  add_radio (doelgroep, regie_ui_doelgroep_label ("gezinsmigrant"), "caseload.doelgroep-filter", "gezinsmigrant");
  add_radio (doelgroep, regie_ui_doelgroep_label ("overige_migrant"), "caseload.doelgroep-filter", "overige_migrant");
  /* Translators: the doelgroep (target group) of the Civic Integration Act; keep the term */
  g_menu_append_section (filter_menu, C_("filter menu", "Doelgroep"), G_MENU_MODEL (doelgroep));

  g_menu_append (toggles, _("Has _Signals"), "caseload.signals-filter");
  /* Translators: filter menu item; %d is a number of days set in the preferences */
  deadline_label = g_strdup_printf (ngettext ("_Deadline Within %d Day", "_Deadline Within %d Days", self->deadline_days),
                                    self->deadline_days);
  g_menu_append (toggles, deadline_label, "caseload.deadline-filter");
  g_menu_append_section (filter_menu, NULL, G_MENU_MODEL (toggles));

  g_menu_append (clear, _("_Clear Filters"), "caseload.clear-filters");
  g_menu_append_section (filter_menu, NULL, G_MENU_MODEL (clear));

  add_radio (sort_section, _("Next _Deadline First"), "caseload.sort", "deadline");
  add_radio (sort_section, _("_Name"), "caseload.sort", "name");
  g_menu_append_section (sort_menu, C_("sort menu", "Sort By"), G_MENU_MODEL (sort_section));

  gtk_menu_button_set_menu_model (self->filter_button, G_MENU_MODEL (filter_menu));
  gtk_menu_button_set_menu_model (self->sort_button, G_MENU_MODEL (sort_menu));
}

static void
clear_filters_action_cb (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  g_object_set (widget,
                "route-filter", "",
                "stage-filter", "",
                "doelgroep-filter", "",
                "signals-filter", FALSE,
                "deadline-filter", FALSE,
                NULL);
}

/* ---- prefetch ------------------------------------------------------------ */

static void
prefetch_unref (Prefetch *prefetch)
{
  if (!g_atomic_ref_count_dec (&prefetch->ref_count))
    return;

  g_clear_object (&prefetch->store);
  g_clear_pointer (&prefetch->table, regie_caseload_table_unref);
  g_clear_error (&prefetch->error);
  g_mutex_clear (&prefetch->mutex);
  g_cond_clear (&prefetch->cond);
  g_free (prefetch);
}

static gpointer
prefetch_thread (gpointer data)
{
  Prefetch *prefetch = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) caseload = regie_store_load_caseload (prefetch->store, &error);
  RegieCaseloadTable *table = caseload != NULL ? regie_caseload_table_new_for_list (caseload) : NULL;

  /* The connection is closed here, on the thread that used it. */
  g_clear_object (&caseload);
  g_clear_object (&prefetch->store);

  g_mutex_lock (&prefetch->mutex);
  prefetch->table = table;
  prefetch->error = g_steal_pointer (&error);
  prefetch->done = TRUE;
  g_cond_signal (&prefetch->cond);
  g_mutex_unlock (&prefetch->mutex);

  prefetch_unref (prefetch);
  return NULL;
}

static void prefetch_store_changed_cb (RegieCaseloadView *self);

static void
drop_prefetch (RegieCaseloadView *self)
{
  if (self->prefetch_for != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->prefetch_for, prefetch_store_changed_cb, self);
      g_clear_weak_pointer (&self->prefetch_for);
    }
  /* A reading under way ends by itself and frees what it read. */
  g_clear_pointer (&self->prefetch, prefetch_unref);
}

static void
prefetch_store_changed_cb (RegieCaseloadView *self)
{
  /* What was read may be out of date. */
  drop_prefetch (self);
}

/* Waits for the prefetch of self->store, if there is one, and takes its
 * result: TRUE with the table (NULL: no dossiers). */
static gboolean
take_prefetch (RegieCaseloadView   *self,
               RegieCaseloadTable **out_table)
{
  Prefetch *prefetch = self->prefetch;
  gboolean ok = FALSE;

  if (prefetch == NULL || self->prefetch_for != self->store)
    {
      drop_prefetch (self);
      return FALSE;
    }

  g_mutex_lock (&prefetch->mutex);
  while (!prefetch->done)
    g_cond_wait (&prefetch->cond, &prefetch->mutex);
  if (prefetch->error == NULL)
    {
      *out_table = g_steal_pointer (&prefetch->table);
      ok = TRUE;
    }
  else
    g_debug ("Reading the caseload ahead failed: %s", prefetch->error->message);
  g_mutex_unlock (&prefetch->mutex);

  drop_prefetch (self);
  return ok;
}

void
regie_caseload_view_prefetch (RegieCaseloadView *self,
                              RegieStore        *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GThread) thread = NULL;
  Prefetch *prefetch;

  g_return_if_fail (REGIE_IS_CASELOAD_VIEW (self));
  g_return_if_fail (store == NULL || REGIE_IS_STORE (store));

  drop_prefetch (self);
  if (store == NULL)
    return;

  prefetch = g_new0 (Prefetch, 1);
  g_atomic_ref_count_init (&prefetch->ref_count);
  g_mutex_init (&prefetch->mutex);
  g_cond_init (&prefetch->cond);
  /* The store's own connection belongs to this thread. */
  prefetch->store = regie_store_open_sibling (store, &error);
  if (prefetch->store == NULL)
    {
      g_debug ("Not reading the caseload ahead: %s", error->message);
      prefetch_unref (prefetch);
      return;
    }

  /* One reference for the thread, one for the view. */
  g_atomic_ref_count_inc (&prefetch->ref_count);
  thread = g_thread_try_new ("regie-caseload", prefetch_thread, prefetch, &error);
  if (thread == NULL)
    {
      g_debug ("Not reading the caseload ahead: %s", error->message);
      g_atomic_ref_count_dec (&prefetch->ref_count);
      prefetch_unref (prefetch);
      return;
    }

  self->prefetch = prefetch;
  g_set_weak_pointer (&self->prefetch_for, store);
  g_signal_connect_swapped (store, "changed", G_CALLBACK (prefetch_store_changed_cb), self);
}

/* ---- public API ---------------------------------------------------------- */

void
regie_caseload_view_set_store (RegieCaseloadView *self,
                               RegieStore        *store)
{
  g_return_if_fail (REGIE_IS_CASELOAD_VIEW (self));
  g_return_if_fail (store == NULL || REGIE_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  if (self->prefetch_for != store)
    drop_prefetch (self);
  g_clear_pointer (&self->selected_id, g_free);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  regie_caseload_model_clear (self->caseload);
  update_state (self);
}

void
regie_caseload_view_set_summaries (RegieCaseloadView      *self,
                                   RegieCaseloadSummaries *summaries)
{
  g_return_if_fail (REGIE_IS_CASELOAD_VIEW (self));
  g_return_if_fail (summaries == NULL || REGIE_IS_CASELOAD_SUMMARIES (summaries));

  if (self->summaries == summaries)
    return;
  if (self->summaries != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->summaries, summaries_changed_cb, self);
      regie_caseload_summaries_set_caseload (self->summaries, NULL);
    }
  g_set_object (&self->summaries, summaries);
  if (summaries != NULL)
    {
      g_signal_connect_object (summaries, "changed", G_CALLBACK (summaries_changed_cb), self, G_CONNECT_SWAPPED);
      regie_caseload_summaries_set_caseload (summaries, self->caseload);
    }
  summaries_changed_cb (self);
}

gboolean
regie_caseload_view_reload (RegieCaseloadView  *self,
                            GError            **error)
{
  RegieCaseloadTable *table = NULL;
  gint64 begin, loaded;

  g_return_val_if_fail (REGIE_IS_CASELOAD_VIEW (self), FALSE);

  if (self->store == NULL)
    return TRUE;

  begin = g_get_monotonic_time ();
  if (!take_prefetch (self, &table))
    {
      g_autoptr(GListModel) model = regie_store_load_caseload (self->store, error);

      if (model == NULL)
        return FALSE;
      table = regie_caseload_table_new_for_list (model);
    }
  loaded = g_get_monotonic_time ();

  self->selecting = TRUE;
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  regie_caseload_model_set_table (self->caseload, table);
  update_attrs (self);
  apply (self, FALSE);
  self->selecting = FALSE;

  restore_selection (self);
  update_state (self);

#ifdef __GLIBC__
  /* Reading 10,000 persons (and a sync before it) leaves megabytes of
   * freed memory between live blocks: decrypted rows, the store's items,
   * SQLite pages. glibc would keep it all (~9 MB); giving it back costs
   * 0.4–2 ms. */
  malloc_trim (0);
#endif

  g_debug ("Caseload reloaded: %u dossiers, store %.1f ms, list %.1f ms",
           regie_caseload_model_get_n_entries (self->caseload),
           (loaded - begin) / 1000.0, (g_get_monotonic_time () - loaded) / 1000.0);
  return TRUE;
}

void
regie_caseload_view_focus_search (RegieCaseloadView *self)
{
  g_return_if_fail (REGIE_IS_CASELOAD_VIEW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

const char *
regie_caseload_view_get_selected_id (RegieCaseloadView *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_VIEW (self), NULL);

  return self->selected_id;
}

gboolean
regie_caseload_view_select (RegieCaseloadView *self,
                            const char        *dossier_id)
{
  guint position;

  g_return_val_if_fail (REGIE_IS_CASELOAD_VIEW (self), FALSE);

  if (dossier_id == NULL || !find_position (self, dossier_id, &position))
    return FALSE;

  /* Goes through selection_changed_cb like a click. */
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
  return TRUE;
}

gboolean
regie_caseload_view_select_relative (RegieCaseloadView *self,
                                     int                delta)
{
  guint n, position, target;

  g_return_val_if_fail (REGIE_IS_CASELOAD_VIEW (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  if (n == 0)
    return FALSE;

  position = gtk_single_selection_get_selected (self->selection);
  if (position == GTK_INVALID_LIST_POSITION)
    target = delta > 0 ? 0 : n - 1;
  else if (delta > 0)
    target = MIN (n - 1, position + (guint) delta);
  else
    target = (guint) MAX (0, (int) position + delta);

  if (target == position)
    return FALSE;

  gtk_single_selection_set_selected (self->selection, target);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", target);
  return TRUE;
}

void
regie_caseload_view_set_progress (RegieCaseloadView *self,
                                  gboolean           visible,
                                  double             fraction,
                                  const char        *text)
{
  g_return_if_fail (REGIE_IS_CASELOAD_VIEW (self));

  gtk_revealer_set_reveal_child (self->progress_revealer, visible);
  gtk_label_set_text (self->progress_label, text != NULL ? text : "");
  if (!visible)
    return;
  if (fraction >= 0)
    gtk_progress_bar_set_fraction (self->progress_bar, CLAMP (fraction, 0, 1));
  else
    gtk_progress_bar_pulse (self->progress_bar);
}

const char *
regie_caseload_view_lookup_name (RegieCaseloadView *self,
                                 const char        *dossier_id)
{
  int entry;

  g_return_val_if_fail (REGIE_IS_CASELOAD_VIEW (self), NULL);

  entry = regie_caseload_model_find (self->caseload, dossier_id);
  return entry >= 0 ? regie_caseload_model_get_full_name (self->caseload, entry) : NULL;
}

GtkSingleSelection *
regie_caseload_view_get_selection (RegieCaseloadView *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_VIEW (self), NULL);
  return self->selection;
}

GListModel *
regie_caseload_view_get_caseload (RegieCaseloadView *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_VIEW (self), NULL);
  return G_LIST_MODEL (self->caseload);
}

GtkEditable *
regie_caseload_view_get_search_entry (RegieCaseloadView *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_VIEW (self), NULL);
  return GTK_EDITABLE (self->search_entry);
}

/* ---- GObject ------------------------------------------------------------- */

static void
set_string (char       **field,
            const GValue *value)
{
  g_free (*field);
  *field = g_strdup (g_value_get_string (value) != NULL ? g_value_get_string (value) : "");
}

static void
regie_caseload_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  RegieCaseloadView *self = REGIE_CASELOAD_VIEW (object);

  switch (prop_id)
    {
    case PROP_SORT:
      if (g_strcmp0 (g_value_get_string (value), self->sort) == 0)
        return;
      g_free (self->sort);
      self->sort = g_strdup (g_strcmp0 (g_value_get_string (value), "name") == 0 ? "name" : "deadline");
      refilter (self, FALSE);
      break;
    case PROP_ROUTE_FILTER:
      if (g_strcmp0 (g_value_get_string (value), self->route_filter) == 0)
        return;
      set_string (&self->route_filter, value);
      break;
    case PROP_STAGE_FILTER:
      if (g_strcmp0 (g_value_get_string (value), self->stage_filter) == 0)
        return;
      set_string (&self->stage_filter, value);
      break;
    case PROP_DOELGROEP_FILTER:
      if (g_strcmp0 (g_value_get_string (value), self->doelgroep_filter) == 0)
        return;
      set_string (&self->doelgroep_filter, value);
      break;
    case PROP_SIGNALS_FILTER:
      if (self->signals_filter == g_value_get_boolean (value))
        return;
      self->signals_filter = g_value_get_boolean (value);
      break;
    case PROP_DEADLINE_FILTER:
      if (self->deadline_filter == g_value_get_boolean (value))
        return;
      self->deadline_filter = g_value_get_boolean (value);
      break;
    case PROP_DEADLINE_DAYS:
      if (self->deadline_days == g_value_get_int (value))
        return;
      self->deadline_days = g_value_get_int (value);
      rebuild_menus (self);
      if (!self->deadline_filter)
        {
          g_object_notify_by_pspec (object, pspec);
          return;
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  if (prop_id != PROP_SORT)
    {
      update_filter_label (self);
      refilter (self, FALSE);
    }
  g_object_notify_by_pspec (object, pspec);
}

static void
regie_caseload_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RegieCaseloadView *self = REGIE_CASELOAD_VIEW (object);

  switch (prop_id)
    {
    case PROP_SORT:
      g_value_set_string (value, self->sort);
      break;
    case PROP_ROUTE_FILTER:
      g_value_set_string (value, self->route_filter);
      break;
    case PROP_STAGE_FILTER:
      g_value_set_string (value, self->stage_filter);
      break;
    case PROP_DOELGROEP_FILTER:
      g_value_set_string (value, self->doelgroep_filter);
      break;
    case PROP_SIGNALS_FILTER:
      g_value_set_boolean (value, self->signals_filter);
      break;
    case PROP_DEADLINE_FILTER:
      g_value_set_boolean (value, self->deadline_filter);
      break;
    case PROP_DEADLINE_DAYS:
      g_value_set_int (value, self->deadline_days);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
regie_caseload_view_dispose (GObject *object)
{
  RegieCaseloadView *self = REGIE_CASELOAD_VIEW (object);

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);

  drop_prefetch (self);
  /* After the model: its list items' boxes came here on the way out. */
  g_clear_pointer (&self->spare_rows, g_ptr_array_unref);

  /* No gtk_widget_dispose_template(): AdwBin unparents its child itself. */

  if (self->summaries != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->summaries, summaries_changed_cb, self);
      regie_caseload_summaries_set_caseload (self->summaries, NULL);
    }
  g_clear_object (&self->summaries);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->caseload);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (regie_caseload_view_parent_class)->dispose (object);
}

static void
regie_caseload_view_finalize (GObject *object)
{
  RegieCaseloadView *self = REGIE_CASELOAD_VIEW (object);

  g_free (self->query);
  g_free (self->selected_id);
  g_free (self->sort);
  g_free (self->route_filter);
  g_free (self->stage_filter);
  g_free (self->doelgroep_filter);
  g_hash_table_unref (self->bound_rows);
  g_hash_table_unref (self->birth_dates);
  g_hash_table_unref (self->deadline_dates);
  g_hash_table_unref (self->rule_labels);

  G_OBJECT_CLASS (regie_caseload_view_parent_class)->finalize (object);
}

static GParamSpec *
string_property (const char *name,
                 const char *default_value)
{
  return g_param_spec_string (name, NULL, NULL, default_value,
                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
boolean_property (const char *name)
{
  return g_param_spec_boolean (name, NULL, NULL, FALSE,
                               G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
regie_caseload_view_class_init (RegieCaseloadViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = regie_caseload_view_set_property;
  object_class->get_property = regie_caseload_view_get_property;
  object_class->dispose = regie_caseload_view_dispose;
  object_class->finalize = regie_caseload_view_finalize;

  row_style_quark = g_quark_from_static_string ("regie-caseload-row-style");
  row_signals_quark = g_quark_from_static_string ("regie-caseload-row-signals");
  row_box_quark = g_quark_from_static_string ("regie-caseload-row-box");

  properties[PROP_SORT] = string_property ("sort", "deadline");
  properties[PROP_ROUTE_FILTER] = string_property ("route-filter", "");
  properties[PROP_STAGE_FILTER] = string_property ("stage-filter", "");
  properties[PROP_DOELGROEP_FILTER] = string_property ("doelgroep-filter", "");
  properties[PROP_SIGNALS_FILTER] = boolean_property ("signals-filter");
  properties[PROP_DEADLINE_FILTER] = boolean_property ("deadline-filter");
  properties[PROP_DEADLINE_DAYS] =
    g_param_spec_int ("deadline-days", NULL, NULL, 1, 3650, 14,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RegieCaseloadView::dossier-selected:
   * @dossier_id: (nullable): the dossier the user picked
   */
  signals[SIGNAL_DOSSIER_SELECTED] =
    g_signal_new ("dossier-selected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_install_property_action (widget_class, "caseload.sort", "sort");
  gtk_widget_class_install_property_action (widget_class, "caseload.route-filter", "route-filter");
  gtk_widget_class_install_property_action (widget_class, "caseload.stage-filter", "stage-filter");
  gtk_widget_class_install_property_action (widget_class, "caseload.doelgroep-filter", "doelgroep-filter");
  gtk_widget_class_install_property_action (widget_class, "caseload.signals-filter", "signals-filter");
  gtk_widget_class_install_property_action (widget_class, "caseload.deadline-filter", "deadline-filter");
  gtk_widget_class_install_action (widget_class, "caseload.clear-filters", NULL, clear_filters_action_cb);

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/regie/Regie/regie-caseload-view.ui");
  gtk_widget_class_bind_template_child (widget_class, RegieCaseloadView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RegieCaseloadView, filter_button);
  gtk_widget_class_bind_template_child (widget_class, RegieCaseloadView, sort_button);
  gtk_widget_class_bind_template_child (widget_class, RegieCaseloadView, filter_revealer);
  gtk_widget_class_bind_template_child (widget_class, RegieCaseloadView, filter_label);
  gtk_widget_class_bind_template_child (widget_class, RegieCaseloadView, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, RegieCaseloadView, progress_label);
  gtk_widget_class_bind_template_child (widget_class, RegieCaseloadView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, RegieCaseloadView, stack);
  gtk_widget_class_bind_template_child (widget_class, RegieCaseloadView, list_view);
  gtk_widget_class_bind_template_child (widget_class, RegieCaseloadView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, RegieCaseloadView, count_label);
  gtk_widget_class_bind_template_callback (widget_class, search_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_entry_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, factory_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, factory_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, factory_unbind_cb);
}

static void
regie_caseload_view_init (RegieCaseloadView *self)
{
  self->sort = g_strdup ("deadline");
  self->route_filter = g_strdup ("");
  self->stage_filter = g_strdup ("");
  self->doelgroep_filter = g_strdup ("");
  self->deadline_days = 14;
  self->bound_rows = g_hash_table_new (NULL, NULL);
  self->spare_rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->birth_dates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->deadline_dates = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->rule_labels = g_hash_table_new (NULL, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->caseload = regie_caseload_model_new ();
  self->filtered = regie_caseload_filter_model_new (self->caseload);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);

  g_signal_connect_object (self->filtered, "items-changed",
                           G_CALLBACK (filtered_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);

  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (gtk_list_view_get_factory (self->list_view), "teardown",
                           G_CALLBACK (factory_teardown_cb), self, 0);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search dossiers"),
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Caseload"),
                                  -1);

  rebuild_menus (self);
  update_filter_label (self);
  update_state (self);
}
