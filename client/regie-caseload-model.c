/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <string.h>

#include "regie-caseload-model.h"

struct _RegieCaseloadModel
{
  GObject              parent_instance;

  RegieCaseloadTable  *table;    /* NULL while empty */
  guint                n_entries;
  RegieCaseloadItem  **items;    /* made on first use, kept until the next reload */
  GHashTable          *by_id;    /* id in the table's pool → entry + 1 */
  RegieCaseloadAttrs  *attrs;
  guint32             *deadline_order;
};

static void regie_caseload_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RegieCaseloadModel, regie_caseload_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, regie_caseload_model_list_model_init))

#define ENTRY(self, i) (&(self)->table->entries[(i)])

/* Appends `text` and its NUL at *len; returns where it starts. */
static guint32
pool_add (char       *pool,
          gsize      *len,
          const char *text)
{
  guint32 offset = *len;
  gsize n = text != NULL ? strlen (text) : 0;

  memcpy (pool + offset, text != NULL ? text : "", n);
  pool[offset + n] = '\0';
  *len += n + 1;
  return offset;
}

static gsize
text_size (const char *text)
{
  return (text != NULL ? strlen (text) : 0) + 1;
}

static void
drop_entries (RegieCaseloadModel *self)
{
  for (guint i = 0; i < self->n_entries; i++)
    g_clear_object (&self->items[i]);

  g_clear_pointer (&self->items, g_free);
  g_clear_pointer (&self->attrs, g_free);
  g_clear_pointer (&self->deadline_order, g_free);
  g_hash_table_remove_all (self->by_id);
  g_clear_pointer (&self->table, regie_caseload_table_unref);
  self->n_entries = 0;
}

/* Items are kept rather than made again: GtkListView (GTK 4.8) asks for
 * the item at every added position when a change removes the row it is
 * anchored to, so a search that widens would otherwise make and free
 * thousands of items per keystroke. Each is a reference to the shared
 * table and an index, a few dozen bytes. */
RegieCaseloadItem *
regie_caseload_model_get_entry_item (RegieCaseloadModel *self,
                                     guint               entry)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_MODEL (self), NULL);
  g_return_val_if_fail (entry < self->n_entries, NULL);

  if (G_UNLIKELY (self->items[entry] == NULL))
    self->items[entry] = regie_caseload_item_new_for_entry (self->table, entry);
  return g_object_ref (self->items[entry]);
}

static GType
regie_caseload_model_get_item_type (GListModel *model)
{
  return REGIE_TYPE_CASELOAD_ITEM;
}

static guint
regie_caseload_model_get_n_items (GListModel *model)
{
  return REGIE_CASELOAD_MODEL (model)->n_entries;
}

static gpointer
regie_caseload_model_get_item (GListModel *model,
                               guint       position)
{
  RegieCaseloadModel *self = REGIE_CASELOAD_MODEL (model);

  if (position >= self->n_entries)
    return NULL;
  return regie_caseload_model_get_entry_item (self, position);
}

static void
regie_caseload_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = regie_caseload_model_get_item_type;
  iface->get_n_items = regie_caseload_model_get_n_items;
  iface->get_item = regie_caseload_model_get_item;
}

RegieCaseloadModel *
regie_caseload_model_new (void)
{
  return g_object_new (REGIE_TYPE_CASELOAD_MODEL, NULL);
}

RegieCaseloadTable *
regie_caseload_table_new_for_list (GListModel *caseload)
{
  RegieCaseloadItem **items;
  RegieCaseloadEntry *entries;
  char *pool, *keys;
  gsize pool_size = 0, keys_size = 0, pool_len = 0, keys_len = 0;
  guint n;

  g_return_val_if_fail (caseload == NULL || G_IS_LIST_MODEL (caseload), NULL);

  n = caseload != NULL ? g_list_model_get_n_items (caseload) : 0;
  if (n == 0)
    return NULL;

  /* The exact size first: the text is ~1 MB for 10,000 dossiers, and a
   * growing buffer would keep up to twice that. */
  items = g_new (RegieCaseloadItem *, n);
  for (guint i = 0; i < n; i++)
    {
      RegieCaseloadItem *item = items[i] = g_list_model_get_item (caseload, i);

      pool_size += text_size (regie_caseload_item_get_dossier_id (item)) +
                   text_size (regie_caseload_item_get_full_name (item)) +
                   text_size (regie_caseload_item_get_sort_name (item)) +
                   text_size (regie_caseload_item_get_bsn (item)) +
                   text_size (regie_caseload_item_get_v_number (item)) +
                   text_size (regie_caseload_item_get_birth_date (item)) +
                   text_size (regie_caseload_item_get_doelgroep (item));
      keys_size += text_size (regie_caseload_item_get_search_key (item));
    }

  entries = g_new (RegieCaseloadEntry, n);
  pool = g_malloc (pool_size);
  keys = g_malloc (keys_size);

  for (guint i = 0; i < n; i++)
    {
      RegieCaseloadItem *item = items[i];
      RegieCaseloadEntry *e = &entries[i];

      e->id = pool_add (pool, &pool_len, regie_caseload_item_get_dossier_id (item));
      e->full_name = pool_add (pool, &pool_len, regie_caseload_item_get_full_name (item));
      e->sort_name = pool_add (pool, &pool_len, regie_caseload_item_get_sort_name (item));
      e->bsn = pool_add (pool, &pool_len, regie_caseload_item_get_bsn (item));
      e->v_number = pool_add (pool, &pool_len, regie_caseload_item_get_v_number (item));
      e->birth_date = pool_add (pool, &pool_len, regie_caseload_item_get_birth_date (item));
      e->doelgroep = pool_add (pool, &pool_len, regie_caseload_item_get_doelgroep (item));
      e->key = pool_add (keys, &keys_len, regie_caseload_item_get_search_key (item));
      g_object_unref (item);
    }
  g_free (items);
  g_assert (pool_len == pool_size && keys_len == keys_size);

  return regie_caseload_table_new (entries, n, pool, keys);
}

void
regie_caseload_model_set_table (RegieCaseloadModel *self,
                                RegieCaseloadTable *table)
{
  guint old_n, n;

  g_return_if_fail (REGIE_IS_CASELOAD_MODEL (self));

  old_n = self->n_entries;
  drop_entries (self);

  n = table != NULL ? table->n_entries : 0;
  if (n > 0)
    {
      self->table = table;
      self->n_entries = n;
      self->items = g_new0 (RegieCaseloadItem *, n);
      self->attrs = g_new0 (RegieCaseloadAttrs, n);
      self->deadline_order = g_new (guint32, n);

      for (guint i = 0; i < n; i++)
        {
          self->deadline_order[i] = i;
          g_hash_table_insert (self->by_id, table->pool + table->entries[i].id, GUINT_TO_POINTER (i + 1));
        }
    }
  else if (table != NULL)
    regie_caseload_table_unref (table);

  if (old_n > 0 || n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, n);
}

void
regie_caseload_model_set_caseload (RegieCaseloadModel *self,
                                   GListModel         *caseload)
{
  g_return_if_fail (REGIE_IS_CASELOAD_MODEL (self));
  g_return_if_fail (caseload == NULL || G_IS_LIST_MODEL (caseload));

  regie_caseload_model_set_table (self, regie_caseload_table_new_for_list (caseload));
}

void
regie_caseload_model_clear (RegieCaseloadModel *self)
{
  g_return_if_fail (REGIE_IS_CASELOAD_MODEL (self));

  regie_caseload_model_set_caseload (self, NULL);
}

guint
regie_caseload_model_get_n_entries (RegieCaseloadModel *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_MODEL (self), 0);
  return self->n_entries;
}

int
regie_caseload_model_find (RegieCaseloadModel *self,
                           const char         *dossier_id)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_MODEL (self), -1);

  if (dossier_id == NULL)
    return -1;
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (self->by_id, dossier_id)) - 1;
}

int
regie_caseload_model_entry_of_item (RegieCaseloadModel *self,
                                    RegieCaseloadItem  *item)
{
  guint entry;

  g_return_val_if_fail (REGIE_IS_CASELOAD_MODEL (self), -1);

  if (item == NULL)
    return -1;
  entry = (guint) regie_caseload_model_find (self, regie_caseload_item_get_dossier_id (item));
  if (entry >= self->n_entries || self->items[entry] != item)
    return -1;
  return (int) entry;
}

const char *
regie_caseload_model_get_id (RegieCaseloadModel *self,
                             guint               entry)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_MODEL (self), NULL);
  g_return_val_if_fail (entry < self->n_entries, NULL);
  return self->table->pool + ENTRY (self, entry)->id;
}

const char *
regie_caseload_model_get_full_name (RegieCaseloadModel *self,
                                    guint               entry)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_MODEL (self), NULL);
  g_return_val_if_fail (entry < self->n_entries, NULL);
  return self->table->pool + ENTRY (self, entry)->full_name;
}

const char *
regie_caseload_model_get_doelgroep (RegieCaseloadModel *self,
                                    guint               entry)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_MODEL (self), NULL);
  g_return_val_if_fail (entry < self->n_entries, NULL);
  return self->table->pool + ENTRY (self, entry)->doelgroep;
}

const char *
regie_caseload_model_get_search_key (RegieCaseloadModel *self,
                                     guint               entry)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_MODEL (self), NULL);
  g_return_val_if_fail (entry < self->n_entries, NULL);
  return self->table->keys + ENTRY (self, entry)->key;
}

RegieCaseloadTable *
regie_caseload_model_get_table (RegieCaseloadModel *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_MODEL (self), NULL);
  return self->table;
}

RegieCaseloadAttrs *
regie_caseload_model_get_attrs (RegieCaseloadModel *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_MODEL (self), NULL);
  return self->attrs;
}

static int
compare_deadline (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  const RegieCaseloadAttrs *attrs = user_data;
  guint32 ea = *(const guint32 *) a, eb = *(const guint32 *) b;
  guint32 da = attrs[ea].deadline != 0 ? attrs[ea].deadline : G_MAXUINT32;
  guint32 db = attrs[eb].deadline != 0 ? attrs[eb].deadline : G_MAXUINT32;

  if (da != db)
    return da < db ? -1 : 1;
  return (ea > eb) - (ea < eb);
}

void
regie_caseload_model_attrs_changed (RegieCaseloadModel *self)
{
  g_return_if_fail (REGIE_IS_CASELOAD_MODEL (self));

  for (guint i = 0; i < self->n_entries; i++)
    self->deadline_order[i] = i;
  g_qsort_with_data (self->deadline_order, self->n_entries, sizeof (guint32), compare_deadline, self->attrs);
}

const guint32 *
regie_caseload_model_get_deadline_order (RegieCaseloadModel *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_MODEL (self), NULL);
  return self->deadline_order;
}

static void
regie_caseload_model_finalize (GObject *object)
{
  RegieCaseloadModel *self = REGIE_CASELOAD_MODEL (object);

  drop_entries (self);
  g_hash_table_unref (self->by_id);

  G_OBJECT_CLASS (regie_caseload_model_parent_class)->finalize (object);
}

static void
regie_caseload_model_class_init (RegieCaseloadModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = regie_caseload_model_finalize;
}

static void
regie_caseload_model_init (RegieCaseloadModel *self)
{
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
}
