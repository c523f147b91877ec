/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define REGIE_TYPE_APPLICATION (regie_application_get_type ())
G_DECLARE_FINAL_TYPE (RegieApplication, regie_application, REGIE, APPLICATION, AdwApplication)

RegieApplication *regie_application_new          (GApplicationFlags  flags);
/* The application's settings (schema APP_ID). */
GSettings        *regie_application_get_settings (RegieApplication  *self);

G_END_DECLS
