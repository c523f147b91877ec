/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <string.h>

#include "regie-caseload-filter-model.h"

#define MAX_WORDS 16

struct _RegieCaseloadFilterModel
{
  GObject             parent_instance;

  RegieCaseloadModel *source;
  GArray             *shown;     /* guint32 entry numbers, in the order shown */
  GArray             *scratch;
  GArray             *scratch2;
};

static void regie_caseload_filter_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RegieCaseloadFilterModel, regie_caseload_filter_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, regie_caseload_filter_model_list_model_init))

static GType
regie_caseload_filter_model_get_item_type (GListModel *model)
{
  return REGIE_TYPE_CASELOAD_ITEM;
}

static guint
regie_caseload_filter_model_get_n_items (GListModel *model)
{
  return REGIE_CASELOAD_FILTER_MODEL (model)->shown->len;
}

static gpointer
regie_caseload_filter_model_get_item (GListModel *model,
                                      guint       position)
{
  RegieCaseloadFilterModel *self = REGIE_CASELOAD_FILTER_MODEL (model);

  if (position >= self->shown->len)
    return NULL;
  return regie_caseload_model_get_entry_item (self->source, g_array_index (self->shown, guint32, position));
}

static void
regie_caseload_filter_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = regie_caseload_filter_model_get_item_type;
  iface->get_n_items = regie_caseload_filter_model_get_n_items;
  iface->get_item = regie_caseload_filter_model_get_item;
}

/* The source was reloaded: the entry numbers mean other dossiers now, so
 * show nothing until the next update. */
static void
source_items_changed_cb (RegieCaseloadFilterModel *self)
{
  guint old_n = self->shown->len;

  g_array_set_size (self->shown, 0);
  if (old_n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);
}

typedef struct
{
  const RegieCaseloadCriteria *criteria;
  char                        *words[MAX_WORDS];
  guint                        n_words;
  gboolean                     needs_attrs;
} Matcher;

static void
matcher_init (Matcher                     *m,
              const RegieCaseloadCriteria *criteria,
              char                        *query_copy)
{
  char *p = query_copy;

  m->criteria = criteria;
  m->n_words = 0;
  m->needs_attrs = criteria->route >= 0 || criteria->stage >= 0 || criteria->signals || criteria->deadline_limit != 0;

  /* Every word of the query must occur in the key: "haddad lina" finds
   * "Lina Haddad" (as regie_caseload_item_matches()). */
  while (p != NULL && *p != '\0')
    {
      while (*p == ' ')
        p++;
      if (*p == '\0')
        break;
      if (m->n_words < MAX_WORDS)
        m->words[m->n_words++] = p;
      while (*p != '\0' && *p != ' ')
        p++;
      if (*p == ' ')
        *p++ = '\0';
    }
}

static gboolean
matcher_accepts (const Matcher      *m,
                 RegieCaseloadModel *source,
                 guint               entry)
{
  const RegieCaseloadCriteria *c = m->criteria;

  if (m->n_words > 0)
    {
      const char *key = regie_caseload_model_get_search_key (source, entry);

      for (guint w = 0; w < m->n_words; w++)
        if (strstr (key, m->words[w]) == NULL)
          return FALSE;
    }

  if (c->doelgroep != NULL && c->doelgroep[0] != '\0' &&
      strcmp (regie_caseload_model_get_doelgroep (source, entry), c->doelgroep) != 0)
    return FALSE;

  if (m->needs_attrs)
    {
      const RegieCaseloadAttrs *a = &regie_caseload_model_get_attrs (source)[entry];

      /* Not evaluated yet: hidden until it is, rather than shown wrongly. */
      if (!a->evaluated)
        return FALSE;
      if (c->route >= 0 && a->route != c->route)
        return FALSE;
      if (c->stage >= 0 && a->stage != c->stage)
        return FALSE;
      if (c->signals && !a->has_signals)
        return FALSE;
      if (c->deadline_limit != 0 && (a->deadline == 0 || a->deadline > c->deadline_limit))
        return FALSE;
    }

  return TRUE;
}

/* GtkListView's range of row widgets in GTK 4.8 (GTK_LIST_VIEW_MAX_LIST_ITEMS). */
#define SPLIT_MIN_ROWS 200

static gboolean
contains (GArray  *entries,
          guint32  entry)
{
  for (guint i = 0; i < entries->len; i++)
    if (g_array_index (entries, guint32, i) == entry)
      return TRUE;
  return FALSE;
}

/* Announces that `shown` changed from `old` to `new` (both in self->shown
 * order, `new` already in place).
 *
 * One "items-changed" covers the rows between the common prefix and the
 * common suffix. GtkListView in GTK 4.8 keeps row widgets for up to 200
 * rows around its scroll anchor; the widgets of rows a change removes
 * are destroyed, and rows that come into that range get new ones, so a
 * keystroke that replaces the first rows cost ~200 widgets made and ~200
 * destroyed. Widgets of rows that merely leave the range are kept and
 * bound to the rows that enter it instead.
 *
 * Split, the same change is two: first the first changed row is replaced
 * by all new rows (the old ones after it move out of the range; if the
 * replaced row was the anchor, GTK keeps the anchor at that position),
 * then the old rows, which have no widgets any more, are removed. The
 * model passes through a state with both, which is valid: every signal
 * describes the contents at that moment. */
static void
announce (RegieCaseloadFilterModel *self,
          GArray                   *old,
          GArray                   *new,
          gboolean                  split)
{
  guint old_n = old->len, new_n = new->len, prefix = 0, suffix = 0;
  guint removed, added;

  while (prefix < old_n && prefix < new_n &&
         g_array_index (old, guint32, prefix) == g_array_index (new, guint32, prefix))
    prefix++;
  while (suffix < old_n - prefix && suffix < new_n - prefix &&
         g_array_index (old, guint32, old_n - 1 - suffix) == g_array_index (new, guint32, new_n - 1 - suffix))
    suffix++;

  removed = old_n - prefix - suffix;
  added = new_n - prefix - suffix;
  if (removed == 0 && added == 0)
    return;

  /* Only when the new rows fill GTK's range by themselves and the replaced
   * row is not among them: otherwise GTK keeps widgets for old rows next
   * to the new ones, or follows the replaced row to its new position, and
   * the list would hold two widgets for one dossier. */
  if (split && removed > 1 && new_n - suffix >= SPLIT_MIN_ROWS && !contains (new, g_array_index (old, guint32, prefix)))
    {
      GArray *both = self->scratch2;

      /* new[0, new_n - suffix) + old[prefix + 1, old_n) */
      g_array_set_size (both, 0);
      g_array_append_vals (both, new->data, new_n - suffix);
      g_array_append_vals (both, &g_array_index (old, guint32, prefix + 1), old_n - prefix - 1);

      self->shown = both;
      g_list_model_items_changed (G_LIST_MODEL (self), prefix, 1, added);
      self->shown = new;
      g_list_model_items_changed (G_LIST_MODEL (self), new_n - suffix, removed - 1, 0);
    }
  else
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, removed, added);
}

void
regie_caseload_filter_model_update (RegieCaseloadFilterModel    *self,
                                    const RegieCaseloadCriteria *criteria,
                                    RegieCaseloadUpdateFlags     flags)
{
  g_autofree char *query = NULL;
  Matcher m;
  GArray *old, *new;
  guint n;

  g_return_if_fail (REGIE_IS_CASELOAD_FILTER_MODEL (self));
  g_return_if_fail (criteria != NULL);

  query = g_strdup (criteria->query);
  matcher_init (&m, criteria, query);

  old = self->shown;
  new = self->scratch;
  g_array_set_size (new, 0);
  n = regie_caseload_model_get_n_entries (self->source);

  if (flags & REGIE_CASELOAD_UPDATE_MORE_STRICT)
    {
      for (guint i = 0; i < old->len; i++)
        {
          guint32 entry = g_array_index (old, guint32, i);

          if (matcher_accepts (&m, self->source, entry))
            g_array_append_val (new, entry);
        }
    }
  else
    {
      const guint32 *order = criteria->by_deadline ? regie_caseload_model_get_deadline_order (self->source) : NULL;

      for (guint i = 0; i < n; i++)
        {
          guint32 entry = order != NULL ? order[i] : i;

          if (matcher_accepts (&m, self->source, entry))
            g_array_append_val (new, entry);
        }
    }

  self->shown = new;
  self->scratch = old;
  announce (self, old, new, (flags & REGIE_CASELOAD_UPDATE_SPLIT) != 0);
}

int
regie_caseload_filter_model_find_entry (RegieCaseloadFilterModel *self,
                                        guint                     entry)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_FILTER_MODEL (self), -1);

  for (guint i = 0; i < self->shown->len; i++)
    if (g_array_index (self->shown, guint32, i) == entry)
      return (int) i;
  return -1;
}

guint
regie_caseload_filter_model_get_entry (RegieCaseloadFilterModel *self,
                                       guint                     position)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_FILTER_MODEL (self), 0);
  g_return_val_if_fail (position < self->shown->len, 0);

  return g_array_index (self->shown, guint32, position);
}

RegieCaseloadFilterModel *
regie_caseload_filter_model_new (RegieCaseloadModel *source)
{
  RegieCaseloadFilterModel *self;

  g_return_val_if_fail (REGIE_IS_CASELOAD_MODEL (source), NULL);

  self = g_object_new (REGIE_TYPE_CASELOAD_FILTER_MODEL, NULL);
  self->source = g_object_ref (source);
  g_signal_connect_object (source, "items-changed", G_CALLBACK (source_items_changed_cb), self, G_CONNECT_SWAPPED);
  return self;
}

static void
regie_caseload_filter_model_dispose (GObject *object)
{
  RegieCaseloadFilterModel *self = REGIE_CASELOAD_FILTER_MODEL (object);

  g_clear_object (&self->source);

  G_OBJECT_CLASS (regie_caseload_filter_model_parent_class)->dispose (object);
}

static void
regie_caseload_filter_model_finalize (GObject *object)
{
  RegieCaseloadFilterModel *self = REGIE_CASELOAD_FILTER_MODEL (object);

  g_array_unref (self->shown);
  g_array_unref (self->scratch);
  g_array_unref (self->scratch2);

  G_OBJECT_CLASS (regie_caseload_filter_model_parent_class)->finalize (object);
}

static void
regie_caseload_filter_model_class_init (RegieCaseloadFilterModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = regie_caseload_filter_model_dispose;
  object_class->finalize = regie_caseload_filter_model_finalize;
}

static void
regie_caseload_filter_model_init (RegieCaseloadFilterModel *self)
{
  self->shown = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->scratch = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->scratch2 = g_array_new (FALSE, FALSE, sizeof (guint32));
}
