/* SPDX-License-Identifier: EUPL-1.2 */
/* libFuzzer target: the server's push request decoder, which validates
 * every payload kind. Any input must give either mutations or an error. */
#include "config.h"

#include <string.h>

#include "regie-sync.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mutations = regie_push_request_parse ((const char *) data, size, &error);

  g_assert ((mutations == NULL) == (error != NULL));
  if (mutations != NULL)
    {
      /* What was accepted serialises and parses back to the same. */
      g_autofree char *again = regie_push_request_serialize (mutations);
      g_autoptr(GPtrArray) back = regie_push_request_parse (again, strlen (again), &error);

      g_assert_no_error (error);
      g_assert_cmpuint (back->len, ==, mutations->len);
    }
  return 0;
}
