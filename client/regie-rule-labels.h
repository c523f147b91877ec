/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Short translated labels for the stable codes of the rules engine
 * (docs/rules.md), for the rules panel and lists. Unknown codes (from a
 * newer engine) give the code itself. */
const char *regie_rule_label      (const char *code);
/* A symbolic icon name for a code's row. */
const char *regie_rule_icon_name  (const char *code);

G_END_DECLS
