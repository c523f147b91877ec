/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define REGIE_TYPE_SIGN_IN_PAGE (regie_sign_in_page_get_type ())
G_DECLARE_FINAL_TYPE (RegieSignInPage, regie_sign_in_page, REGIE, SIGN_IN_PAGE, AdwBin)

/* Emits "sign-in" (server_url, username, password) when the user asks to
 * sign in with complete fields. Whoever handles it reports back with
 * regie_sign_in_page_set_busy() and regie_sign_in_page_set_error(). */

void        regie_sign_in_page_set_fields    (RegieSignInPage *self,
                                              const char      *server_url,
                                              const char      *username,
                                              const char      *password);
const char *regie_sign_in_page_get_server    (RegieSignInPage *self);
const char *regie_sign_in_page_get_username  (RegieSignInPage *self);
void        regie_sign_in_page_set_busy      (RegieSignInPage *self,
                                              gboolean         busy);
void        regie_sign_in_page_set_error     (RegieSignInPage *self,
                                              const char      *message);
/* The error shown, or NULL. */
const char *regie_sign_in_page_get_error     (RegieSignInPage *self);
void        regie_sign_in_page_clear_password (RegieSignInPage *self);
/* Puts the keyboard focus in the first field still empty. */
void        regie_sign_in_page_focus         (RegieSignInPage *self);
/* Same as pressing the Sign In button. */
void        regie_sign_in_page_submit        (RegieSignInPage *self);

G_END_DECLS
