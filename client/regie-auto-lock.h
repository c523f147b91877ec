/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define REGIE_TYPE_AUTO_LOCK (regie_auto_lock_get_type ())
G_DECLARE_FINAL_TYPE (RegieAutoLock, regie_auto_lock, REGIE, AUTO_LOCK, GObject)

/* Decides when the local copy must lock: after "idle-seconds" without
 * keyboard or pointer input in the window, when the computer is about to
 * suspend (logind's PrepareForSleep on the system bus), and when the
 * screen saver starts. Emits "lock" (const char *reason) once per
 * occasion while armed; the window disarms it while locked. */

RegieAutoLock *regie_auto_lock_new            (GtkWindow     *window);
void           regie_auto_lock_set_armed      (RegieAutoLock *self,
                                               gboolean       armed);
gboolean       regie_auto_lock_get_armed      (RegieAutoLock *self);
/* 0: never after idle time. */
void           regie_auto_lock_set_idle_seconds (RegieAutoLock *self,
                                                 guint          seconds);

G_END_DECLS
