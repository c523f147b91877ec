/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <adwaita.h>

#include "regie-application.h"

G_BEGIN_DECLS

#define REGIE_TYPE_WINDOW (regie_window_get_type ())
G_DECLARE_FINAL_TYPE (RegieWindow, regie_window, REGIE, WINDOW, AdwApplicationWindow)

RegieWindow *regie_window_new                  (RegieApplication *application);
/* Prefills the sign-in form (either may be NULL). */
void         regie_window_set_sign_in_defaults (RegieWindow      *self,
                                                const char       *server_url,
                                                const char       *username);
/* Signs in exactly as if the user filled the form and pressed Sign In. */
void         regie_window_sign_in              (RegieWindow      *self,
                                                const char       *server_url,
                                                const char       *username,
                                                const char       *password);
/* Same as the Sync button. */
void         regie_window_sync                 (RegieWindow      *self);

G_END_DECLS
