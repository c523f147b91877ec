/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>

#include "regie-my-week-view.h"
#include "regie-rule-labels.h"
#include "regie-ui-util.h"

/* ---- RegieAgendaRow ------------------------------------------------------- */

struct _RegieAgendaRow
{
  GObject  parent_instance;

  char    *dossier_id;
  char    *title;
  char    *subtitle;
  char    *code;
  char    *icon_name;
  gboolean overdue;
};

G_DEFINE_FINAL_TYPE (RegieAgendaRow, regie_agenda_row, G_TYPE_OBJECT)

static void
regie_agenda_row_finalize (GObject *object)
{
  RegieAgendaRow *self = REGIE_AGENDA_ROW (object);

  g_free (self->dossier_id);
  g_free (self->title);
  g_free (self->subtitle);
  g_free (self->code);
  g_free (self->icon_name);

  G_OBJECT_CLASS (regie_agenda_row_parent_class)->finalize (object);
}

static void
regie_agenda_row_class_init (RegieAgendaRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = regie_agenda_row_finalize;
}

static void
regie_agenda_row_init (RegieAgendaRow *self)
{
}

const char *
regie_agenda_row_get_dossier_id (RegieAgendaRow *self)
{
  g_return_val_if_fail (REGIE_IS_AGENDA_ROW (self), NULL);
  return self->dossier_id;
}

const char *
regie_agenda_row_get_title (RegieAgendaRow *self)
{
  g_return_val_if_fail (REGIE_IS_AGENDA_ROW (self), NULL);
  return self->title;
}

const char *
regie_agenda_row_get_subtitle (RegieAgendaRow *self)
{
  g_return_val_if_fail (REGIE_IS_AGENDA_ROW (self), NULL);
  return self->subtitle;
}

const char *
regie_agenda_row_get_code (RegieAgendaRow *self)
{
  g_return_val_if_fail (REGIE_IS_AGENDA_ROW (self), NULL);
  return self->code;
}

/* ---- RegieMyWeekView ------------------------------------------------------ */

struct _RegieMyWeekView
{
  AdwBin                  parent_instance;

  GtkStack               *stack;
  GtkListView            *list_view;

  RegieCaseloadSummaries *summaries;
  RegieCaseloadView      *caseload;
  GListStore             *rows;
  GtkNoSelection         *selection;
};

G_DEFINE_FINAL_TYPE (RegieMyWeekView, regie_my_week_view, ADW_TYPE_BIN)

enum {
  SIGNAL_DOSSIER_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  const RegieAgendaEntry *entry;
  const char             *dossier_id;
  const char             *name;
} Pending;

static int
pending_compare (gconstpointer a,
                 gconstpointer b)
{
  const Pending *pa = a, *pb = b;
  int cmp = g_date_compare (&pa->entry->date, &pb->entry->date);

  if (cmp != 0)
    return cmp;
  if (pa->entry->kind != pb->entry->kind)
    return (int) pa->entry->kind - (int) pb->entry->kind;
  return g_utf8_collate (pa->name, pb->name);
}

static char *
day_heading (const GDate *date,
             const GDate *today)
{
  int days = g_date_days_between (today, date);
  g_autofree char *formatted = regie_ui_format_gdate (date, TRUE);
  char weekday[64];

  if (days < 0)
    return g_strdup (_("Overdue and Earlier"));
  if (days == 0)
    /* Translators: a day heading in My week, %s is the date */
    return g_strdup_printf (_("Today, %s"), formatted);
  if (days == 1)
    /* Translators: a day heading in My week, %s is the date */
    return g_strdup_printf (_("Tomorrow, %s"), formatted);

  if (g_date_strftime (weekday, sizeof weekday, "%A", date) == 0)
    return g_steal_pointer (&formatted);
  /* Translators: a day heading in My week: weekday, date */
  return g_strdup_printf (C_("day heading", "%s, %s"), weekday, formatted);
}

static RegieAgendaRow *
entry_row (const Pending *pending,
           const GDate   *today)
{
  RegieAgendaRow *row = g_object_new (REGIE_TYPE_AGENDA_ROW, NULL);
  const RegieAgendaEntry *entry = pending->entry;
  g_autofree char *date = regie_ui_format_gdate (&entry->date, FALSE);

  row->dossier_id = g_strdup (pending->dossier_id);
  row->code = g_strdup (entry->code);
  row->overdue = entry->kind != REGIE_AGENDA_SIGNAL && g_date_compare (&entry->date, today) < 0;

  switch (entry->kind)
    {
    case REGIE_AGENDA_SIGNAL:
      /* Translators: My week: a signal about a person, "Rahaf Al-Khatib: Toeslagen nog niet ontvangen" */
      row->title = g_strdup_printf (C_("my week", "%s: %s"), pending->name,
                                    entry->text != NULL ? entry->text : regie_rule_label (entry->code));
      /* Translators: My week: kind of entry and the date it was raised */
      row->subtitle = g_strdup_printf (_("Signal · %s"), date);
      row->icon_name = g_strdup ("dialog-warning-symbolic");
      break;
    case REGIE_AGENDA_TALK:
      row->title = g_strdup_printf (C_("my week", "%s: %s"), pending->name, _("Progress talk planned"));
      row->subtitle = row->overdue
        /* Translators: My week: a progress talk that should have been held on %s */
        ? g_strdup_printf (_("Overdue since %s"), date)
        /* Translators: My week: a progress talk planned on %s */
        : g_strdup_printf (_("Planned on %s"), date);
      row->icon_name = g_strdup (regie_rule_icon_name (entry->code));
      break;
    case REGIE_AGENDA_DEADLINE:
    default:
      row->title = g_strdup_printf (C_("my week", "%s: %s"), pending->name, regie_rule_label (entry->code));
      row->subtitle = row->overdue
        /* Translators: My week: a deadline that passed on %s */
        ? g_strdup_printf (_("Overdue since %s"), date)
        /* Translators: My week: a deadline on %s */
        : g_strdup_printf (_("Deadline %s"), date);
      row->icon_name = g_strdup (regie_rule_icon_name (entry->code));
      break;
    }

  return row;
}

void
regie_my_week_view_refresh (RegieMyWeekView *self)
{
  g_autoptr(GArray) pending = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GHashTableIter iter;
  gpointer key, value;
  const GDate *today;
  GDate group;

  g_return_if_fail (REGIE_IS_MY_WEEK_VIEW (self));

  if (self->summaries == NULL || self->caseload == NULL)
    {
      g_list_store_remove_all (self->rows);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  if (!regie_caseload_summaries_is_ready (self->summaries))
    {
      g_list_store_remove_all (self->rows);
      gtk_stack_set_visible_child_name (self->stack, "loading");
      return;
    }

  today = regie_caseload_summaries_get_today (self->summaries);
  pending = g_array_new (FALSE, FALSE, sizeof (Pending));
  g_hash_table_iter_init (&iter, regie_caseload_summaries_get_table (self->summaries));
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      RegieCaseloadSummary *summary = value;
      const char *name = regie_caseload_view_lookup_name (self->caseload, key);

      /* Left the caseload since it was evaluated. */
      if (name == NULL)
        continue;

      for (guint i = 0; i < summary->agenda->len; i++)
        {
          Pending p = { &g_array_index (summary->agenda, RegieAgendaEntry, i), key, name };

          g_array_append_val (pending, p);
        }
    }
  g_array_sort (pending, pending_compare);

  rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_date_clear (&group, 1);
  for (guint i = 0; i < pending->len; i++)
    {
      const Pending *p = &g_array_index (pending, Pending, i);
      gboolean past = g_date_compare (&p->entry->date, today) < 0;
      gboolean new_group = !g_date_valid (&group) ||
                           (past ? g_date_compare (&group, today) >= 0 : g_date_compare (&group, &p->entry->date) != 0);

      if (new_group)
        {
          RegieAgendaRow *heading = g_object_new (REGIE_TYPE_AGENDA_ROW, NULL);

          group = p->entry->date;
          heading->title = day_heading (&group, today);
          g_ptr_array_add (rows, heading);
        }
      g_ptr_array_add (rows, entry_row (p, today));
    }

  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       rows->pdata, rows->len);
  gtk_stack_set_visible_child_name (self->stack, rows->len > 0 ? "list" : "empty");
}

static void
summaries_changed_cb (RegieMyWeekView *self)
{
  regie_my_week_view_refresh (self);
}

void
regie_my_week_view_set_sources (RegieMyWeekView        *self,
                                RegieCaseloadSummaries *summaries,
                                RegieCaseloadView      *caseload)
{
  g_return_if_fail (REGIE_IS_MY_WEEK_VIEW (self));

  if (self->summaries != NULL)
    g_signal_handlers_disconnect_by_func (self->summaries, summaries_changed_cb, self);
  g_set_object (&self->summaries, summaries);
  g_set_object (&self->caseload, caseload);
  if (summaries != NULL)
    g_signal_connect_object (summaries, "changed", G_CALLBACK (summaries_changed_cb), self, G_CONNECT_SWAPPED);
  regie_my_week_view_refresh (self);
}

GListModel *
regie_my_week_view_get_model (RegieMyWeekView *self)
{
  g_return_val_if_fail (REGIE_IS_MY_WEEK_VIEW (self), NULL);
  return G_LIST_MODEL (self->rows);
}

static void
list_view_activate_cb (RegieMyWeekView *self,
                       guint            position)
{
  g_autoptr(RegieAgendaRow) row = g_list_model_get_item (G_LIST_MODEL (self->rows), position);

  if (row != NULL && row->dossier_id != NULL)
    g_signal_emit (self, signals[SIGNAL_DOSSIER_ACTIVATED], 0, row->dossier_id);
}

static void
factory_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  GtkWidget *box, *icon, *text, *title, *subtitle;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (box, "agenda-row");
  icon = gtk_image_new ();
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), icon);

  text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (text, TRUE);
  title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (title), PANGO_WRAP_WORD_CHAR);
  gtk_box_append (GTK_BOX (text), title);
  subtitle = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_box_append (GTK_BOX (text), subtitle);
  gtk_box_append (GTK_BOX (box), text);

  gtk_list_item_set_child (list_item, box);
}

static void
factory_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  RegieAgendaRow *row = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *icon = gtk_widget_get_first_child (box);
  GtkWidget *text = gtk_widget_get_next_sibling (icon);
  GtkWidget *title = gtk_widget_get_first_child (text);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  gboolean heading = row->dossier_id == NULL;
  g_autofree char *accessible = NULL;

  gtk_list_item_set_activatable (list_item, !heading);
  gtk_list_item_set_selectable (list_item, FALSE);

  gtk_label_set_text (GTK_LABEL (title), row->title);
  gtk_label_set_text (GTK_LABEL (subtitle), row->subtitle != NULL ? row->subtitle : "");
  gtk_widget_set_visible (subtitle, !heading);
  gtk_widget_set_visible (icon, !heading);
  if (row->icon_name != NULL)
    gtk_image_set_from_icon_name (GTK_IMAGE (icon), row->icon_name);

  if (heading)
    {
      gtk_widget_add_css_class (title, "heading");
      gtk_widget_add_css_class (box, "agenda-heading");
    }
  else
    {
      gtk_widget_remove_css_class (title, "heading");
      gtk_widget_remove_css_class (box, "agenda-heading");
    }

  if (row->overdue)
    gtk_widget_add_css_class (subtitle, "error");
  else
    gtk_widget_remove_css_class (subtitle, "error");
  if (!row->overdue)
    gtk_widget_add_css_class (subtitle, "dim-label");
  else
    gtk_widget_remove_css_class (subtitle, "dim-label");

  accessible = heading ? g_strdup (row->title) : g_strdup_printf ("%s, %s", row->title, row->subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

static void
regie_my_week_view_dispose (GObject *object)
{
  RegieMyWeekView *self = REGIE_MY_WEEK_VIEW (object);

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  if (self->summaries != NULL)
    g_signal_handlers_disconnect_by_func (self->summaries, summaries_changed_cb, self);
  g_clear_object (&self->summaries);
  g_clear_object (&self->caseload);
  g_clear_object (&self->selection);
  g_clear_object (&self->rows);

  G_OBJECT_CLASS (regie_my_week_view_parent_class)->dispose (object);
}

static void
regie_my_week_view_class_init (RegieMyWeekViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = regie_my_week_view_dispose;

  /**
   * RegieMyWeekView::dossier-activated:
   * @dossier_id: the dossier of the entry
   */
  signals[SIGNAL_DOSSIER_ACTIVATED] =
    g_signal_new ("dossier-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/regie/Regie/regie-my-week-view.ui");
  gtk_widget_class_bind_template_child (widget_class, RegieMyWeekView, stack);
  gtk_widget_class_bind_template_child (widget_class, RegieMyWeekView, list_view);
  gtk_widget_class_bind_template_callback (widget_class, list_view_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, factory_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, factory_bind_cb);
}

static void
regie_my_week_view_init (RegieMyWeekView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_list_store_new (REGIE_TYPE_AGENDA_ROW);
  self->selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->rows)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}
