/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean regie_bsn_is_valid     (const char *bsn);
gboolean regie_v_number_is_valid (const char *v_number);

G_END_DECLS
