/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* HTTP plumbing shared by login and the sync engine. */
SoupSession *regie_api_session_new     (void);
/* server_url may end in '/' or not; path starts with '/'. */
SoupMessage *regie_api_message_new     (const char    *method,
                                        const char    *server_url,
                                        const char    *path_and_query,
                                        const char    *token,
                                        GBytes        *json_body);
/* Turns a transport error into REGIE_ERROR_NETWORK (cancellation stays
 * G_IO_ERROR_CANCELLED). Takes ownership of @error. */
GError      *regie_api_transport_error (GError        *error);
/* FALSE with a REGIE_ERROR_* when the status is not 2xx. */
gboolean     regie_api_check_status    (SoupMessage   *message,
                                        GBytes        *body,
                                        GError       **error);

G_END_DECLS
