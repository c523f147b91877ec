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
/* The error for a failed soup_session_send*() of a message made by
 * regie_api_message_new(): a refused changed certificate becomes the
 * certificate-change error (regie_api_error_is_certificate_change), the
 * rest as regie_api_transport_error(). Takes ownership of @error. */
GError      *regie_api_send_error      (SoupMessage   *message,
                                        GError        *error);
/* Turns a transport error into REGIE_ERROR_NETWORK (cancellation stays
 * G_IO_ERROR_CANCELLED). Takes ownership of @error. */
GError      *regie_api_transport_error (GError        *error);
/* FALSE with a REGIE_ERROR_* when the status is not 2xx. */
gboolean     regie_api_check_status    (SoupMessage   *message,
                                        GBytes        *body,
                                        GError       **error);

G_END_DECLS
