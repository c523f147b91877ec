/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieStore"

#include "config.h"

#include <string.h>

#include "regie-store.h"
#include "regie-store-private.h"
#include "regie-caseload-model.h"

struct _RegieCaseloadItem
{
  GObject             parent_instance;

  RegieCaseloadTable *table;
  guint               entry;
};

G_DEFINE_FINAL_TYPE (RegieCaseloadItem, regie_caseload_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DOSSIER_ID,
  PROP_FULL_NAME,
  PROP_SORT_NAME,
  PROP_BSN,
  PROP_V_NUMBER,
  PROP_BIRTH_DATE,
  PROP_DOELGROEP,
  PROP_SEARCH_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- the shared table ------------------------------------------------------ */

RegieCaseloadTable *
regie_caseload_table_new (RegieCaseloadEntry *entries,
                          guint               n_entries,
                          char               *pool,
                          char               *keys)
{
  RegieCaseloadTable *table = g_new (RegieCaseloadTable, 1);

  g_atomic_ref_count_init (&table->ref_count);
  table->n_entries = n_entries;
  table->entries = entries;
  table->pool = pool;
  table->keys = keys;
  return table;
}

RegieCaseloadTable *
regie_caseload_table_ref (RegieCaseloadTable *table)
{
  g_atomic_ref_count_inc (&table->ref_count);
  return table;
}

void
regie_caseload_table_unref (RegieCaseloadTable *table)
{
  if (!g_atomic_ref_count_dec (&table->ref_count))
    return;

  g_free (table->entries);
  g_free (table->pool);
  g_free (table->keys);
  g_free (table);
}

#define ITEM_ENTRY(self) (&(self)->table->entries[(self)->entry])
#define ITEM_TEXT(self, field) ((self)->table->pool + ITEM_ENTRY (self)->field)

/* ---- the item -------------------------------------------------------------- */

static void
regie_caseload_item_finalize (GObject *object)
{
  RegieCaseloadItem *self = (RegieCaseloadItem *)object;

  g_clear_pointer (&self->table, regie_caseload_table_unref);

  G_OBJECT_CLASS (regie_caseload_item_parent_class)->finalize (object);
}

static void
regie_caseload_item_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  RegieCaseloadItem *self = REGIE_CASELOAD_ITEM (object);

  switch (prop_id)
    {
    case PROP_DOSSIER_ID:
      g_value_set_string (value, ITEM_TEXT (self, id));
      break;
    case PROP_FULL_NAME:
      g_value_set_string (value, ITEM_TEXT (self, full_name));
      break;
    case PROP_SORT_NAME:
      g_value_set_string (value, ITEM_TEXT (self, sort_name));
      break;
    case PROP_BSN:
      g_value_set_string (value, ITEM_TEXT (self, bsn));
      break;
    case PROP_V_NUMBER:
      g_value_set_string (value, ITEM_TEXT (self, v_number));
      break;
    case PROP_BIRTH_DATE:
      g_value_set_string (value, ITEM_TEXT (self, birth_date));
      break;
    case PROP_DOELGROEP:
      g_value_set_string (value, ITEM_TEXT (self, doelgroep));
      break;
    case PROP_SEARCH_KEY:
      g_value_set_string (value, regie_caseload_item_get_search_key (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
string_property (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
regie_caseload_item_class_init (RegieCaseloadItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = regie_caseload_item_finalize;
  object_class->get_property = regie_caseload_item_get_property;

  properties[PROP_DOSSIER_ID] = string_property ("dossier-id");
  properties[PROP_FULL_NAME] = string_property ("full-name");
  properties[PROP_SORT_NAME] = string_property ("sort-name");
  properties[PROP_BSN] = string_property ("bsn");
  properties[PROP_V_NUMBER] = string_property ("v-number");
  properties[PROP_BIRTH_DATE] = string_property ("birth-date");
  properties[PROP_DOELGROEP] = string_property ("doelgroep");
  properties[PROP_SEARCH_KEY] = string_property ("search-key");

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
regie_caseload_item_init (RegieCaseloadItem *self)
{
}

/* For RegieCaseloadModel: an item that reads its text from the model's
 * table, kept alive by it. */
RegieCaseloadItem *
regie_caseload_item_new_for_entry (RegieCaseloadTable *table,
                                   guint               entry)
{
  RegieCaseloadItem *self;

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (entry < table->n_entries, NULL);

  self = g_object_new (REGIE_TYPE_CASELOAD_ITEM, NULL);
  self->table = regie_caseload_table_ref (table);
  self->entry = entry;
  return self;
}

static guint32
append (GString    *pool,
        const char *text)
{
  guint32 offset = pool->len;

  g_string_append_len (pool, text, strlen (text) + 1);
  return offset;
}

/* Lower case, without accents, as regie_search_fold(); most names are
 * plain ASCII, which needs none of its Unicode work. */
static void
append_folded (GString    *out,
               const char *text)
{
  const char *p;

  for (p = text; *p != '\0' && (guchar) *p < 0x80; p++)
    ;
  if (*p == '\0')
    {
      for (p = text; *p != '\0'; p++)
        g_string_append_c (out, g_ascii_tolower (*p));
    }
  else
    {
      g_autofree char *folded = regie_search_fold (text);

      g_string_append (out, folded);
    }
}

RegieCaseloadItem *
regie_caseload_item_new (const char *dossier_id,
                         const char *given_names,
                         const char *family_name,
                         const char *bsn,
                         const char *v_number,
                         const char *birth_date,
                         const char *doelgroep)
{
  RegieCaseloadEntry *entry = g_new (RegieCaseloadEntry, 1);
  GString *pool = g_string_sized_new (128);
  GString *key = g_string_sized_new (48);
  g_autoptr(RegieCaseloadTable) table = NULL;

  /* A table of one: the same representation as the model's items. */
  entry->id = append (pool, dossier_id != NULL ? dossier_id : "");
  entry->full_name = pool->len;
  if (given_names[0] != '\0')
    {
      g_string_append (pool, given_names);
      g_string_append_c (pool, ' ');
    }
  append (pool, family_name);
  entry->sort_name = pool->len;
  g_string_append (pool, family_name);
  if (given_names[0] != '\0')
    {
      g_string_append (pool, ", ");
      g_string_append (pool, given_names);
    }
  g_string_append_c (pool, '\0');
  entry->bsn = append (pool, bsn != NULL ? bsn : "");
  entry->v_number = append (pool, v_number != NULL ? v_number : "");
  entry->birth_date = append (pool, birth_date != NULL ? birth_date : "");
  entry->doelgroep = append (pool, doelgroep != NULL ? doelgroep : "");

  append_folded (key, pool->str + entry->full_name);
  g_string_append_c (key, ' ');
  g_string_append (key, bsn != NULL ? bsn : "");
  g_string_append_c (key, ' ');
  g_string_append (key, v_number != NULL ? v_number : "");
  entry->key = 0;

  table = regie_caseload_table_new (entry, 1, g_string_free (pool, FALSE), g_string_free (key, FALSE));
  return regie_caseload_item_new_for_entry (table, 0);
}

const char *
regie_caseload_item_get_search_key (RegieCaseloadItem *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_ITEM (self), NULL);
  return self->table->keys + ITEM_ENTRY (self)->key;
}

const char *
regie_caseload_item_get_dossier_id (RegieCaseloadItem *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_ITEM (self), NULL);
  return ITEM_TEXT (self, id);
}

const char *
regie_caseload_item_get_full_name (RegieCaseloadItem *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_ITEM (self), NULL);
  return ITEM_TEXT (self, full_name);
}

const char *
regie_caseload_item_get_sort_name (RegieCaseloadItem *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_ITEM (self), NULL);
  return ITEM_TEXT (self, sort_name);
}

const char *
regie_caseload_item_get_bsn (RegieCaseloadItem *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_ITEM (self), NULL);
  return ITEM_TEXT (self, bsn);
}

const char *
regie_caseload_item_get_v_number (RegieCaseloadItem *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_ITEM (self), NULL);
  return ITEM_TEXT (self, v_number);
}

const char *
regie_caseload_item_get_birth_date (RegieCaseloadItem *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_ITEM (self), NULL);
  return ITEM_TEXT (self, birth_date);
}

const char *
regie_caseload_item_get_doelgroep (RegieCaseloadItem *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_ITEM (self), NULL);
  return ITEM_TEXT (self, doelgroep);
}

/* Every word of the query must occur somewhere in the search key, so that
 * "haddad lina" finds "Lina Haddad". */
gboolean
regie_caseload_item_matches (RegieCaseloadItem *self,
                             const char        *folded_query)
{
  const char *p;

  g_return_val_if_fail (REGIE_IS_CASELOAD_ITEM (self), FALSE);

  if (folded_query == NULL)
    return TRUE;

  p = folded_query;
  while (*p != '\0')
    {
      const char *start;
      char word[256];
      gsize len;

      while (*p == ' ')
        p++;
      start = p;
      while (*p != '\0' && *p != ' ')
        p++;
      len = MIN ((gsize) (p - start), sizeof word - 1);
      if (len == 0)
        continue;

      memcpy (word, start, len);
      word[len] = '\0';
      if (strstr (regie_caseload_item_get_search_key (self), word) == NULL)
        return FALSE;
    }

  return TRUE;
}
