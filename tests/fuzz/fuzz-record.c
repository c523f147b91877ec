/* SPDX-License-Identifier: EUPL-1.2 */
/* libFuzzer target: every kind's payload decoder. The first byte picks
 * the kind; accepted payloads must be canonical fixed points. */
#include "config.h"

#include <string.h>

#include "regie-records.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL;
  RegieRecordKind kind;

  if (size < 1)
    return 0;
  kind = data[0] % REGIE_N_RECORD_KINDS;
  canonical = regie_record_canonicalize (kind, (const char *) data + 1, size - 1, &error);
  g_assert ((canonical == NULL) == (error != NULL));
  if (canonical != NULL)
    {
      g_autofree char *again = regie_record_canonicalize (kind, canonical, -1, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (again, ==, canonical);
      g_assert (strpbrk (canonical, "\t\n") == NULL);
    }
  return 0;
}
