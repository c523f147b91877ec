/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define REGIE_TYPE_PREFERENCES_WINDOW (regie_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (RegiePreferencesWindow, regie_preferences_window, REGIE, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* Appearance, the municipality name on letters, the caseload's default
 * sort and deadline filter, and syncing on start; all GSettings keys,
 * applied at once. */
GtkWidget *regie_preferences_window_new (GtkWindow *parent,
                                         GSettings *settings);

/* The AdwColorScheme for the "color-scheme" key's value. */
AdwColorScheme regie_preferences_color_scheme_from_string (const char *value);

G_END_DECLS
