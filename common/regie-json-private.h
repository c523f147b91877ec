/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Strict readers used by every decoder in common: a member of the wrong
 * type or an unexpected member is an error, never silently ignored. */
JsonObject *regie_json_expect_object   (JsonNode      *node,
                                        const char    *what,
                                        GError       **error);
gboolean    regie_json_check_members   (JsonObject    *object,
                                        const char    *what,
                                        const char * const *allowed,
                                        GError       **error);
const char *regie_json_get_string      (JsonObject    *object,
                                        const char    *what,
                                        const char    *member,
                                        gboolean       required,
                                        GError       **error);
gboolean    regie_json_get_int         (JsonObject    *object,
                                        const char    *what,
                                        const char    *member,
                                        gint64        *out_value,
                                        GError       **error);

G_END_DECLS

G_BEGIN_DECLS
/* Validates a payload already parsed as part of a larger document. */
char       *regie_record_canonicalize_node (int          kind,
                                            JsonNode    *node,
                                            GError     **error);
G_END_DECLS
