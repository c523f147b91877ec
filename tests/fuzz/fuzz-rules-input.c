/* SPDX-License-Identifier: EUPL-1.2 */
/* libFuzzer target: regie-rules' input (a whole dossier as JSON) and the
 * rules engine over whatever it accepts, on a few fixed days. */
#include "config.h"

#include "regie-case.h"
#include "regie-records.h"
#include "regie-rules.h"
#include "regie-util.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  static const char * const days[] = { "2024-02-29", "2026-11-23", "2031-12-31" };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(RegieCase) dossier = NULL;

  if (!(root = regie_json_parse ((const char *) data, size, &error)))
    return 0;
  if (!(dossier = regie_case_new_from_json (root, REGIE_SCHEMA_LENIENT_BSN, &error)))
    return 0;

  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    {
      g_autoptr(RegieRulesResult) result = NULL;
      g_autoptr(JsonNode) out = NULL;
      GDate today;

      g_assert (regie_date_parse (days[i], &today));
      result = regie_rules_evaluate (dossier, &today, NULL);
      out = regie_rules_result_to_json (result);
      g_assert (out != NULL);
    }
  return 0;
}
