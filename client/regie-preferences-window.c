/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>

#include "regie-preferences-window.h"

struct _RegiePreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwComboRow          *style_row;
  AdwEntryRow          *municipality_row;
  AdwComboRow          *sort_row;
  GtkSpinButton        *days_spin;
  GtkSwitch            *sync_switch;
  AdwComboRow          *lock_row;

  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (RegiePreferencesWindow, regie_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static const char * const schemes[] = { "default", "light", "dark", NULL };
static const char * const sorts[] = { "deadline", "name", NULL };

AdwColorScheme
regie_preferences_color_scheme_from_string (const char *value)
{
  if (g_strcmp0 (value, "light") == 0)
    return ADW_COLOR_SCHEME_FORCE_LIGHT;
  if (g_strcmp0 (value, "dark") == 0)
    return ADW_COLOR_SCHEME_FORCE_DARK;
  return ADW_COLOR_SCHEME_DEFAULT;
}

/* GSettings string ↔ the position in a combo row. */
static gboolean
choice_get_mapping (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  const char * const *choices = user_data;
  const char *s = g_variant_get_string (variant, NULL);

  for (guint i = 0; choices[i] != NULL; i++)
    if (g_str_equal (choices[i], s))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }
  g_value_set_uint (value, 0);
  return TRUE;
}

static GVariant *
choice_set_mapping (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  const char * const *choices = user_data;
  guint i = g_value_get_uint (value);

  if (i >= g_strv_length ((char **) choices))
    return NULL;
  return g_variant_new_string (choices[i]);
}

/* Seconds of "lock-after-idle" ↔ the nearest choice of the lock row. */
static const guint lock_seconds[] = { 60, 300, 900, 1800, 3600 };

static gboolean
lock_get_mapping (GValue   *value,
                  GVariant *variant,
                  gpointer  user_data)
{
  guint seconds = g_variant_get_uint32 (variant);
  guint best = 0;

  for (guint i = 1; i < G_N_ELEMENTS (lock_seconds); i++)
    if (lock_seconds[i] <= seconds)
      best = i;
  g_value_set_uint (value, best);
  return TRUE;
}

static GVariant *
lock_set_mapping (const GValue       *value,
                  const GVariantType *expected_type,
                  gpointer            user_data)
{
  guint i = g_value_get_uint (value);

  if (i >= G_N_ELEMENTS (lock_seconds))
    return NULL;
  return g_variant_new_uint32 (lock_seconds[i]);
}

GtkWidget *
regie_preferences_window_new (GtkWindow *parent,
                              GSettings *settings)
{
  RegiePreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (REGIE_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
  self->settings = g_object_ref (settings);

  g_settings_bind_with_mapping (settings, "color-scheme", self->style_row, "selected", G_SETTINGS_BIND_DEFAULT,
                                choice_get_mapping, choice_set_mapping, (gpointer) schemes, NULL);
  g_settings_bind_with_mapping (settings, "caseload-sort", self->sort_row, "selected", G_SETTINGS_BIND_DEFAULT,
                                choice_get_mapping, choice_set_mapping, (gpointer) sorts, NULL);
  g_settings_bind (settings, "municipality-name", self->municipality_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "deadline-days", self->days_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "sync-on-start", self->sync_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (settings, "lock-after-idle", self->lock_row, "selected", G_SETTINGS_BIND_DEFAULT,
                                lock_get_mapping, lock_set_mapping, NULL, NULL);

  return GTK_WIDGET (self);
}

static void
regie_preferences_window_dispose (GObject *object)
{
  RegiePreferencesWindow *self = REGIE_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (regie_preferences_window_parent_class)->dispose (object);
}

static void
regie_preferences_window_class_init (RegiePreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = regie_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/regie/Regie/regie-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RegiePreferencesWindow, style_row);
  gtk_widget_class_bind_template_child (widget_class, RegiePreferencesWindow, municipality_row);
  gtk_widget_class_bind_template_child (widget_class, RegiePreferencesWindow, sort_row);
  gtk_widget_class_bind_template_child (widget_class, RegiePreferencesWindow, days_spin);
  gtk_widget_class_bind_template_child (widget_class, RegiePreferencesWindow, sync_switch);
  gtk_widget_class_bind_template_child (widget_class, RegiePreferencesWindow, lock_row);
}

static void
regie_preferences_window_init (RegiePreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
