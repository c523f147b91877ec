/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieStore"

#include "config.h"

#include <string.h>

#include "regie-store.h"
#include "regie-store-private.h"
#include "regie-caseload-model.h"

struct _RegieCaseloadItem
{
  GObject  parent_instance;

  char    *dossier_id;
  char    *full_name;
  char    *sort_name;
  char    *bsn;
  char    *v_number;
  char    *birth_date;
  char    *doelgroep;
  char    *search_key;
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

static void
regie_caseload_item_finalize (GObject *object)
{
  RegieCaseloadItem *self = (RegieCaseloadItem *)object;

  g_free (self->dossier_id);
  g_free (self->full_name);
  g_free (self->sort_name);
  g_free (self->bsn);
  g_free (self->v_number);
  g_free (self->birth_date);
  g_free (self->doelgroep);
  g_free (self->search_key);

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
      g_value_set_string (value, self->dossier_id);
      break;
    case PROP_FULL_NAME:
      g_value_set_string (value, self->full_name);
      break;
    case PROP_SORT_NAME:
      g_value_set_string (value, self->sort_name);
      break;
    case PROP_BSN:
      g_value_set_string (value, self->bsn);
      break;
    case PROP_V_NUMBER:
      g_value_set_string (value, self->v_number);
      break;
    case PROP_BIRTH_DATE:
      g_value_set_string (value, self->birth_date);
      break;
    case PROP_DOELGROEP:
      g_value_set_string (value, self->doelgroep);
      break;
    case PROP_SEARCH_KEY:
      g_value_set_string (value, self->search_key);
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

RegieCaseloadItem *
regie_caseload_item_new (const char *dossier_id,
                         const char *given_names,
                         const char *family_name,
                         const char *bsn,
                         const char *v_number,
                         const char *birth_date,
                         const char *doelgroep)
{
  RegieCaseloadItem *self;
  g_autofree char *folded = NULL;

  self = g_object_new (REGIE_TYPE_CASELOAD_ITEM, NULL);
  self->dossier_id = g_strdup (dossier_id);
  if (given_names[0] != '\0')
    {
      self->full_name = g_strconcat (given_names, " ", family_name, NULL);
      self->sort_name = g_strconcat (family_name, ", ", given_names, NULL);
    }
  else
    {
      self->full_name = g_strdup (family_name);
      self->sort_name = g_strdup (family_name);
    }
  self->bsn = g_strdup (bsn);
  self->v_number = g_strdup (v_number);
  self->birth_date = g_strdup (birth_date);
  self->doelgroep = g_strdup (doelgroep);

  folded = regie_search_fold (self->full_name);
  self->search_key = g_strconcat (folded, " ", bsn, " ", v_number, NULL);

  return self;
}

/* For RegieCaseloadModel, which keeps the caseload in compact arrays and
 * makes an item only when a row asks for one: every field given. */
RegieCaseloadItem *
regie_caseload_item_new_full (const char *dossier_id,
                              const char *full_name,
                              const char *sort_name,
                              const char *bsn,
                              const char *v_number,
                              const char *birth_date,
                              const char *doelgroep,
                              const char *search_key)
{
  RegieCaseloadItem *self = g_object_new (REGIE_TYPE_CASELOAD_ITEM, NULL);

  self->dossier_id = g_strdup (dossier_id);
  self->full_name = g_strdup (full_name);
  self->sort_name = g_strdup (sort_name);
  self->bsn = g_strdup (bsn);
  self->v_number = g_strdup (v_number);
  self->birth_date = g_strdup (birth_date);
  self->doelgroep = g_strdup (doelgroep);
  self->search_key = g_strdup (search_key);

  return self;
}

const char *
regie_caseload_item_get_search_key (RegieCaseloadItem *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_ITEM (self), NULL);
  return self->search_key;
}

const char *
regie_caseload_item_get_dossier_id (RegieCaseloadItem *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_ITEM (self), NULL);
  return self->dossier_id;
}

const char *
regie_caseload_item_get_full_name (RegieCaseloadItem *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_ITEM (self), NULL);
  return self->full_name;
}

const char *
regie_caseload_item_get_sort_name (RegieCaseloadItem *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_ITEM (self), NULL);
  return self->sort_name;
}

const char *
regie_caseload_item_get_bsn (RegieCaseloadItem *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_ITEM (self), NULL);
  return self->bsn;
}

const char *
regie_caseload_item_get_v_number (RegieCaseloadItem *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_ITEM (self), NULL);
  return self->v_number;
}

const char *
regie_caseload_item_get_birth_date (RegieCaseloadItem *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_ITEM (self), NULL);
  return self->birth_date;
}

const char *
regie_caseload_item_get_doelgroep (RegieCaseloadItem *self)
{
  g_return_val_if_fail (REGIE_IS_CASELOAD_ITEM (self), NULL);
  return self->doelgroep;
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
      if (strstr (self->search_key, word) == NULL)
        return FALSE;
    }

  return TRUE;
}
