/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define REGIE_TYPE_LOCK_PAGE (regie_lock_page_get_type ())
G_DECLARE_FINAL_TYPE (RegieLockPage, regie_lock_page, REGIE, LOCK_PAGE, AdwBin)

/* What the window shows while the local copy is locked (after idle time,
 * on suspend, or on request): nothing of the caseload, a password field.
 * Emits "unlock" (password) and "sign-out"; whoever handles "unlock"
 * reports back with regie_lock_page_set_busy() and _set_error(). */

GtkWidget  *regie_lock_page_new           (void);
void        regie_lock_page_set_user      (RegieLockPage *self,
                                           const char    *display_name);
void        regie_lock_page_set_busy      (RegieLockPage *self,
                                           gboolean       busy);
void        regie_lock_page_set_error     (RegieLockPage *self,
                                           const char    *message);
/* The error shown, or NULL. */
const char *regie_lock_page_get_error     (RegieLockPage *self);
void        regie_lock_page_reset         (RegieLockPage *self);
void        regie_lock_page_focus         (RegieLockPage *self);
/* Fills the password and submits, as the user would. */
void        regie_lock_page_submit        (RegieLockPage *self,
                                           const char    *password);

G_END_DECLS
