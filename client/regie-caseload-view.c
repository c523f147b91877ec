/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>

#include "regie-caseload-view.h"
#include "regie-ui-util.h"

struct _RegieCaseloadView
{
  AdwBin              parent_instance;

  GtkSearchEntry     *search_entry;
  GtkStack           *stack;
  GtkListView        *list_view;
  AdwStatusPage      *empty_page;
  GtkLabel           *count_label;

  RegieStore         *store;
  GListStore         *caseload;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  GtkSingleSelection *selection;

  char               *query;           /* folded; NULL or "" shows all */
  char               *selected_id;
  guint               selecting : 1;   /* selection changed by code, not the user */
};

G_DEFINE_FINAL_TYPE (RegieCaseloadView, regie_caseload_view, ADW_TYPE_BIN)

enum {
  SIGNAL_DOSSIER_SELECTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  RegieCaseloadView *self = user_data;

  if (self->query == NULL || self->query[0] == '\0')
    return TRUE;

  return regie_caseload_item_matches (REGIE_CASELOAD_ITEM (item), self->query);
}

static void
update_state (RegieCaseloadView *self)
{
  guint n_total = g_list_model_get_n_items (G_LIST_MODEL (self->caseload));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  gboolean searching = self->query != NULL && self->query[0] != '\0';
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
  update_state (self);
}

static gboolean
find_position (RegieCaseloadView *self,
               const char        *dossier_id,
               guint             *out_position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RegieCaseloadItem) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);

      if (g_strcmp0 (regie_caseload_item_get_dossier_id (item), dossier_id) == 0)
        {
          *out_position = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* Puts the selection back on self->selected_id after the model changed. */
static void
restore_selection (RegieCaseloadView *self)
{
  guint position = GTK_INVALID_LIST_POSITION;

  self->selecting = TRUE;
  if (self->selected_id != NULL && find_position (self, self->selected_id, &position))
    gtk_single_selection_set_selected (self->selection, position);
  else
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  self->selecting = FALSE;
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
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  g_strstrip (query);

  if (g_strcmp0 (query, self->query) == 0)
    return;

  /* Tell the filter model how the query changed, so it only re-checks the
   * rows that can change. */
  if (self->query != NULL && g_str_has_prefix (query, self->query))
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (self->query != NULL && g_str_has_prefix (self->query, query))
    change = GTK_FILTER_CHANGE_LESS_STRICT;

  g_free (self->query);
  self->query = g_steal_pointer (&query);

  self->selecting = TRUE;
  gtk_filter_changed (GTK_FILTER (self->filter), change);
  self->selecting = FALSE;
  restore_selection (self);
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

static void
factory_setup_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  GtkWidget *box;
  GtkWidget *title;
  GtkWidget *subtitle;

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_add_css_class (box, "caseload-row");

  title = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (box), title);

  subtitle = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "numeric");
  gtk_box_append (GTK_BOX (box), subtitle);

  gtk_list_item_set_child (list_item, box);
}

static void
factory_bind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  RegieCaseloadItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  GtkWidget *title = gtk_widget_get_first_child (box);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  g_autofree char *birth_date = regie_ui_format_date (regie_caseload_item_get_birth_date (item), FALSE);
  g_autofree char *details = NULL;
  g_autofree char *accessible = NULL;

  /* Translators: second line of a caseload row: BSN · date of birth · doelgroep */
  details = g_strdup_printf (_("%s · %s · %s"),
                             regie_caseload_item_get_bsn (item),
                             birth_date,
                             regie_ui_doelgroep_label (regie_caseload_item_get_doelgroep (item)));

  gtk_label_set_text (GTK_LABEL (title), regie_caseload_item_get_full_name (item));
  gtk_label_set_text (GTK_LABEL (subtitle), details);

  /* Read "BSN" out loud instead of a bare number. */
  /* Translators: what a screen reader says for a caseload row: name, BSN, date of birth, doelgroep */
  accessible = g_strdup_printf (_("%s, BSN %s, born %s, %s"),
                                regie_caseload_item_get_full_name (item),
                                regie_caseload_item_get_bsn (item),
                                birth_date,
                                regie_ui_doelgroep_label (regie_caseload_item_get_doelgroep (item)));
  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

void
regie_caseload_view_set_store (RegieCaseloadView *self,
                               RegieStore        *store)
{
  g_return_if_fail (REGIE_IS_CASELOAD_VIEW (self));
  g_return_if_fail (store == NULL || REGIE_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  g_clear_pointer (&self->selected_id, g_free);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  g_list_store_remove_all (self->caseload);
  update_state (self);
}

gboolean
regie_caseload_view_reload (RegieCaseloadView  *self,
                            GError            **error)
{
  g_autoptr(GListModel) model = NULL;
  g_autoptr(GPtrArray) items = NULL;
  guint n;

  g_return_val_if_fail (REGIE_IS_CASELOAD_VIEW (self), FALSE);

  if (self->store == NULL)
    return TRUE;

  model = regie_store_load_caseload (self->store, error);
  if (model == NULL)
    return FALSE;

  n = g_list_model_get_n_items (model);
  items = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (model, i));

  self->selecting = TRUE;
  g_list_store_splice (self->caseload, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->caseload)),
                       items->pdata, items->len);
  self->selecting = FALSE;

  restore_selection (self);
  update_state (self);

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
  return TRUE;
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

static void
regie_caseload_view_dispose (GObject *object)
{
  RegieCaseloadView *self = REGIE_CASELOAD_VIEW (object);

  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);

  /* No gtk_widget_dispose_template(): AdwBin unparents its child itself. */

  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
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

  G_OBJECT_CLASS (regie_caseload_view_parent_class)->finalize (object);
}

static void
regie_caseload_view_class_init (RegieCaseloadViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = regie_caseload_view_dispose;
  object_class->finalize = regie_caseload_view_finalize;

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

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/regie/Regie/regie-caseload-view.ui");
  gtk_widget_class_bind_template_child (widget_class, RegieCaseloadView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, RegieCaseloadView, stack);
  gtk_widget_class_bind_template_child (widget_class, RegieCaseloadView, list_view);
  gtk_widget_class_bind_template_child (widget_class, RegieCaseloadView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, RegieCaseloadView, count_label);
  gtk_widget_class_bind_template_callback (widget_class, search_entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_entry_stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, factory_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, factory_bind_cb);
}

static void
regie_caseload_view_init (RegieCaseloadView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->caseload = g_list_store_new (REGIE_TYPE_CASELOAD_ITEM);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->caseload)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);

  g_signal_connect_object (self->filtered, "items-changed",
                           G_CALLBACK (filtered_items_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);

  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search dossiers"),
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Caseload"),
                                  -1);

  update_state (self);
}
