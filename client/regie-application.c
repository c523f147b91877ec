/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>

#include "regie-application.h"
#include "regie-preferences-window.h"
#include "regie-ui-util.h"
#include "regie-window.h"

struct _RegieApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  char           *server_url;
  char           *username;
};

G_DEFINE_FINAL_TYPE (RegieApplication, regie_application, ADW_TYPE_APPLICATION)

RegieApplication *
regie_application_new (GApplicationFlags flags)
{
  return g_object_new (REGIE_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", flags,
                       "resource-base-path", "/nl/regie/Regie",
                       NULL);
}

GSettings *
regie_application_get_settings (RegieApplication *self)
{
  g_return_val_if_fail (REGIE_IS_APPLICATION (self), NULL);

  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);

  return self->settings;
}

static int
regie_application_handle_local_options (GApplication *application,
                                        GVariantDict *options)
{
  RegieApplication *self = REGIE_APPLICATION (application);
  const char *value = NULL;

  if (g_variant_dict_lookup (options, "server", "&s", &value))
    {
      g_free (self->server_url);
      self->server_url = g_strdup (value);
    }

  if (g_variant_dict_lookup (options, "user", "&s", &value))
    {
      g_free (self->username);
      self->username = g_strdup (value);
    }

  /* -1: carry on with the default handling (register, activate). */
  return -1;
}

static void
regie_application_activate (GApplication *application)
{
  RegieApplication *self = REGIE_APPLICATION (application);
  GtkWindow *window;
  const char *password;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  window = GTK_WINDOW (regie_window_new (self));

  if (self->server_url != NULL || self->username != NULL)
    regie_window_set_sign_in_defaults (REGIE_WINDOW (window), self->server_url, self->username);

  gtk_window_present (window);

  /* For the demo script and UI tests: sign in without typing. The password
   * is taken from the environment only, never from the command line, where
   * other users could read it. */
  password = g_getenv ("REGIE_PASSWORD");
  if (password != NULL && *password != '\0' && self->server_url != NULL && self->username != NULL)
    regie_window_sign_in (REGIE_WINDOW (window), self->server_url, self->username, password);
}

static void
about_action_cb (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  RegieApplication *self = user_data;
  const char *developers[] = { "The Regie developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "modal", TRUE,
                        "application-name", _("Regie"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Regie developers"),
                        "developers", developers,
                        /* Translators: shown in the About window */
                        "comments", _("Case management for civic integration under the Dutch Civic Integration Act 2021 (Wet inburgering 2021). Works offline and syncs when the server can be reached."),
                        "copyright", "© 2026 The Regie developers",
                        "license-type", GTK_LICENSE_CUSTOM,
                        "license", _("This program is licensed under the European Union Public Licence (EUPL), version 1.2. "
                                     "You may obtain a copy of the licence at https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12"),
                        /* Translators: replace with your names, one per line, to be credited in the About window */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  RegieApplication *self = user_data;
  GList *windows;

  /* Close the windows first so they save their size and cancel their work. */
  windows = gtk_application_get_windows (GTK_APPLICATION (self));
  while (windows != NULL)
    {
      GtkWindow *window = windows->data;

      windows = windows->next;
      gtk_window_destroy (window);
    }

  g_application_quit (G_APPLICATION (self));
}

static void
preferences_action_cb (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  RegieApplication *self = user_data;
  GtkWidget *preferences;

  preferences = regie_preferences_window_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                              regie_application_get_settings (self));
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
color_scheme_changed_cb (RegieApplication *self)
{
  g_autofree char *value = g_settings_get_string (regie_application_get_settings (self), "color-scheme");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      regie_preferences_color_scheme_from_string (value));
}

static const GActionEntry app_actions[] = {
  { "about", about_action_cb },
  { "preferences", preferences_action_cb },
  { "quit", quit_action_cb },
};

static void
regie_application_startup (GApplication *application)
{
  RegieApplication *self = REGIE_APPLICATION (application);

  G_APPLICATION_CLASS (regie_application_parent_class)->startup (application);

  gtk_window_set_default_icon_name (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close",
                                         (const char *[]) { "<Control>w", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.search",
                                         (const char *[]) { "<Control>f", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.sync",
                                         (const char *[]) { "<Control>r", "F5", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.lock",
                                         (const char *[]) { "<Control>l", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.new-note",
                                         (const char *[]) { "<Control>n", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.next-dossier",
                                         (const char *[]) { "<Alt>Down", "<Control>Page_Down", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.previous-dossier",
                                         (const char *[]) { "<Alt>Up", "<Control>Page_Up", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-list::caseload",
                                         (const char *[]) { "<Alt>1", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-list::my-week",
                                         (const char *[]) { "<Alt>2", NULL });

  /* Appearance: follow the system, or the caseworker's choice. */
  g_signal_connect_object (regie_application_get_settings (self), "changed::color-scheme",
                           G_CALLBACK (color_scheme_changed_cb), self, G_CONNECT_SWAPPED);
  color_scheme_changed_cb (self);
}

static void
regie_application_finalize (GObject *object)
{
  RegieApplication *self = REGIE_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->username, g_free);

  G_OBJECT_CLASS (regie_application_parent_class)->finalize (object);
}

static void
regie_application_class_init (RegieApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  regie_ui_init_resources ();

  object_class->finalize = regie_application_finalize;

  app_class->handle_local_options = regie_application_handle_local_options;
  app_class->startup = regie_application_startup;
  app_class->activate = regie_application_activate;
}

static void
regie_application_init (RegieApplication *self)
{
  const GOptionEntry entries[] = {
    { "server", 's', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
      N_("Address of the Regie server"), N_("URL") },
    { "user", 'u', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
      N_("User name to sign in with"), N_("NAME") },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Case management for civic integration."));
}
