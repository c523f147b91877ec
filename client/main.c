/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "regie-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(RegieApplication) app = NULL;
  const char *localedir;

  /* Follow the system language. REGIE_LOCALEDIR lets a build that is not
   * installed find the catalogues compiled in the build directory. */
  setlocale (LC_ALL, "");
  localedir = g_getenv ("REGIE_LOCALEDIR");
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Regie"));

  app = regie_application_new (G_APPLICATION_DEFAULT_FLAGS);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
