/* SPDX-License-Identifier: EUPL-1.2 */
/* libFuzzer target: the decoders of what a client reads from a server or
 * its own store, picked by the first byte: a push answer, an error body,
 * the municipal settings, and the fast member scan of stored records
 * (which must read exactly what the JSON parser reads, or decline). */
#include "config.h"

#include <string.h>

#include "regie-records.h"
#include "regie-settings.h"
#include "regie-sync.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check_scan (const char *text,
            gsize       length)
{
  static const char * const names[] = { "given_names", "family_name", "bsn", NULL };
  char *values[3];
  g_autoptr(JsonNode) node = NULL;

  if (!regie_json_scan_strings (text, length, names, values))
    return;

  node = regie_json_parse (text, (gssize) length, NULL);
  /* The scan does not check UTF-8: stored records were validated. */
  if (node != NULL)
    {
      g_assert (JSON_NODE_HOLDS_OBJECT (node));
      for (guint i = 0; i < 3; i++)
        {
          JsonNode *member = json_object_get_member (json_node_get_object (node), names[i]);
          const char *expected = member != NULL && json_node_get_value_type (member) == G_TYPE_STRING
                                 ? json_node_get_string (member) : NULL;

          g_assert_cmpstr (values[i], ==, expected);
        }
    }
  for (guint i = 0; i < 3; i++)
    g_free (values[i]);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  const char *text;
  gsize length;

  if (size < 1)
    return 0;
  text = (const char *) data + 1;
  length = size - 1;

  switch (data[0] % 4)
    {
    case 0:
      {
        g_autoptr(GPtrArray) results = regie_push_response_parse (text, length, &error);

        g_assert ((results == NULL) == (error != NULL));
      }
      break;
    case 1:
      {
        gboolean ok = regie_error_body_parse (text, length, 400, &error);

        g_assert (!ok && error != NULL);
      }
      break;
    case 2:
      {
        g_autoptr(JsonNode) node = regie_json_parse (text, (gssize) length, NULL);
        RegieSettings settings;

        regie_settings_init_defaults (&settings);
        if (node != NULL && regie_settings_from_json (&settings, node, &error))
          {
            g_autoptr(JsonNode) out = regie_settings_to_json (&settings);
            RegieSettings again;

            regie_settings_init_defaults (&again);
            g_assert (regie_settings_from_json (&again, out, NULL));
            g_assert (memcmp (&settings, &again, sizeof settings) == 0);
          }
      }
      break;
    default:
      check_scan (text, length);
      break;
    }
  return 0;
}
