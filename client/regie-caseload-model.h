/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <gio/gio.h>

#include "regie-store.h"

G_BEGIN_DECLS

/* The caseload as the list shows it, kept compact (docs/performance.md,
 * "Client"): one struct per dossier with offsets into a single string
 * pool, and the folded search keys in one contiguous buffer
 * (RegieCaseloadTable). A RegieCaseloadItem is made only when someone
 * asks for it and then kept until the next reload: it is only a
 * reference to the table and an index. The same dossier is the same
 * object in this model and in every RegieCaseloadFilterModel over it.
 *
 * As a GListModel: every dossier in name order, as the store gives it. */

/* The caseload's text in one block, shared by the model and every item
 * made from it, so that an item is a reference and an index rather than
 * eight copied strings. Immutable once built; in regie-caseload-item.c. */
typedef struct
{
  guint32 id;           /* offsets into pool */
  guint32 full_name;
  guint32 sort_name;
  guint32 bsn;
  guint32 v_number;
  guint32 birth_date;
  guint32 doelgroep;
  guint32 key;          /* offset into keys */
} RegieCaseloadEntry;

typedef struct
{
  gatomicrefcount     ref_count;
  guint               n_entries;
  RegieCaseloadEntry *entries;
  char               *pool;      /* NUL-terminated strings */
  char               *keys;      /* folded search keys, NUL-separated */
} RegieCaseloadTable;

/* Takes `entries`, `pool` and `keys` (g_malloc'd). */
RegieCaseloadTable *regie_caseload_table_new          (RegieCaseloadEntry *entries,
                                                       guint               n_entries,
                                                       char               *pool,
                                                       char               *keys);
/* The table of `caseload` (RegieCaseloadItems, as regie_store_load_caseload()
 * returns them); NULL when it is empty. Safe on any thread. */
RegieCaseloadTable *regie_caseload_table_new_for_list (GListModel         *caseload);
RegieCaseloadTable *regie_caseload_table_ref          (RegieCaseloadTable *table);
void                regie_caseload_table_unref        (RegieCaseloadTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RegieCaseloadTable, regie_caseload_table_unref)

#define REGIE_TYPE_CASELOAD_MODEL (regie_caseload_model_get_type ())
G_DECLARE_FINAL_TYPE (RegieCaseloadModel, regie_caseload_model, REGIE, CASELOAD_MODEL, GObject)

/* What the list filters and sorts on besides the person record; set from
 * the rules engine's summaries. */
typedef enum
{
  REGIE_CASELOAD_ROUTE_NONE,
  REGIE_CASELOAD_ROUTE_B1,
  REGIE_CASELOAD_ROUTE_ONDERWIJS,
  REGIE_CASELOAD_ROUTE_Z,
  REGIE_CASELOAD_ROUTE_OTHER,
} RegieCaseloadRoute;

typedef struct
{
  guint32 deadline;        /* Julian day of the next deadline; 0: none */
  guint8  evaluated : 1;   /* a summary exists */
  guint8  has_signals : 1;
  guint8  route;           /* RegieCaseloadRoute */
  guint8  stage;           /* RegieStage */
} RegieCaseloadAttrs;

RegieCaseloadModel       *regie_caseload_model_new            (void);
/* Replaces the contents with `caseload` (a model of RegieCaseloadItem in
 * name order, as regie_store_load_caseload() returns it). Attributes
 * start unevaluated. */
void                      regie_caseload_model_set_caseload   (RegieCaseloadModel *self,
                                                               GListModel         *caseload);
/* The same with a table already made (transfer full; NULL: empty). */
void                      regie_caseload_model_set_table      (RegieCaseloadModel *self,
                                                               RegieCaseloadTable *table);
void                      regie_caseload_model_clear          (RegieCaseloadModel *self);

guint                     regie_caseload_model_get_n_entries  (RegieCaseloadModel *self);
/* -1 if the dossier is not in the caseload. */
int                       regie_caseload_model_find           (RegieCaseloadModel *self,
                                                               const char         *dossier_id);
/* (transfer full) */
RegieCaseloadItem        *regie_caseload_model_get_entry_item (RegieCaseloadModel *self,
                                                               guint               entry);
const char               *regie_caseload_model_get_id         (RegieCaseloadModel *self,
                                                               guint               entry);
const char               *regie_caseload_model_get_full_name  (RegieCaseloadModel *self,
                                                               guint               entry);
const char               *regie_caseload_model_get_doelgroep  (RegieCaseloadModel *self,
                                                               guint               entry);
const char               *regie_caseload_model_get_search_key (RegieCaseloadModel *self,
                                                               guint               entry);
/* -1 if the item is not one of this model's current entries. */
int                       regie_caseload_model_entry_of_item  (RegieCaseloadModel *self,
                                                               RegieCaseloadItem  *item);

/* The table behind the entries (transfer none), NULL while empty. It is
 * immutable and may be read from other threads while referenced. */
RegieCaseloadTable       *regie_caseload_model_get_table      (RegieCaseloadModel *self);

/* Writable: callers fill it after regie_caseload_model_set_caseload(),
 * then call regie_caseload_model_attrs_changed(). */
RegieCaseloadAttrs       *regie_caseload_model_get_attrs      (RegieCaseloadModel *self);
void                      regie_caseload_model_attrs_changed  (RegieCaseloadModel *self);
/* Entry numbers ordered by next deadline (none last), then name. */
const guint32            *regie_caseload_model_get_deadline_order (RegieCaseloadModel *self);

RegieCaseloadItem  *regie_caseload_item_new_for_entry (RegieCaseloadTable *table,
                                                       guint               entry);
const char         *regie_caseload_item_get_search_key (RegieCaseloadItem *self);

G_END_DECLS
