/* SPDX-License-Identifier: EUPL-1.2 */
/* libFuzzer target: the client's pull page and snapshot page readers,
 * and the bounded inflate of snapshot bundles. */
#include "config.h"

#include "regie-sync.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

#define INFLATE_LIMIT (1024 * 1024)

static void
read_pull_page (const guint8 *data,
                size_t        size)
{
  g_autoptr(GError) error = NULL;
  RegiePullReader reader;
  RegieChangeView change;

  regie_pull_reader_init (&reader, (const char *) data, size);
  while (regie_pull_reader_next (&reader, &change, &error))
    {
      g_assert (change.record_id >= (const char *) data && change.record_id + change.record_id_len <= (const char *) data + size);
      g_assert (change.dossier_id + change.dossier_id_len <= (const char *) data + size);
      if (!change.deleted)
        g_assert (change.payload + change.payload_len <= (const char *) data + size);
    }
  /* Either a complete page or an error, never both. */
  g_assert (reader.finished == (error == NULL));
}

static void
read_snapshot_page (const guint8 *data,
                    size_t        size)
{
  g_autoptr(GError) error = NULL;
  RegieSnapshotReader reader;
  RegieSnapshotItem item;

  regie_snapshot_reader_init (&reader, (const char *) data, size);
  while (regie_snapshot_reader_next (&reader, &item, &error))
    {
      if (item.type == REGIE_SNAPSHOT_ITEM_BUNDLE)
        {
          g_autoptr(GBytes) inflated = NULL;
          g_autoptr(GError) inflate_error = NULL;

          g_assert (item.data >= data && item.data + item.data_len <= data + size);
          g_assert (item.dossier_id + item.dossier_id_len <= (const char *) data + size);
          inflated = regie_inflate (item.data, item.data_len, INFLATE_LIMIT, &inflate_error);
          g_assert ((inflated == NULL) != (inflate_error == NULL));
          if (inflated != NULL)
            {
              g_assert (g_bytes_get_size (inflated) <= INFLATE_LIMIT);
              read_pull_page (g_bytes_get_data (inflated, NULL), g_bytes_get_size (inflated));
            }
        }
      else if (item.type == REGIE_SNAPSHOT_ITEM_PERSON)
        g_assert (item.change.payload + item.change.payload_len <= (const char *) data + size);
    }
  g_assert (reader.finished == (error == NULL));
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) inflated = NULL;
  g_autoptr(GError) error = NULL;

  read_pull_page (data, size);
  read_snapshot_page (data, size);

  /* The input as a bundle on its own: inflate never overruns its limit. */
  inflated = regie_inflate (data, size, INFLATE_LIMIT, &error);
  g_assert ((inflated == NULL) != (error == NULL));
  if (inflated != NULL)
    g_assert (g_bytes_get_size (inflated) <= INFLATE_LIMIT);
  return 0;
}
