/* SPDX-License-Identifier: EUPL-1.2 */
/* libFuzzer target: the client's pull page reader. */
#include "config.h"

#include "regie-sync.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  RegiePullReader reader;
  RegieChangeView change;
  gsize total = 0;

  regie_pull_reader_init (&reader, (const char *) data, size);
  while (regie_pull_reader_next (&reader, &change, &error))
    {
      g_assert (change.record_id >= (const char *) data && change.record_id + change.record_id_len <= (const char *) data + size);
      g_assert (change.dossier_id + change.dossier_id_len <= (const char *) data + size);
      if (!change.deleted)
        g_assert (change.payload + change.payload_len <= (const char *) data + size);
      total += change.record_id_len;
    }
  /* Either a complete page or an error, never both. */
  g_assert (reader.finished == (error == NULL));
  (void) total;
  return 0;
}
