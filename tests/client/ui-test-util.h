/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <gtk/gtk.h>

#include "regie-application.h"
#include "regie-test-server.h"
#include "regie-window-private.h"

G_BEGIN_DECLS

/* The harness shared by the UI tests, which drive the real window under
 * Xvfb against a real demo server. */

/* How long ui_test_wait_for() waits before it fails the test. */
#define UI_TEST_WAIT_TIMEOUT_SECONDS 60

typedef gboolean (*UiTestCondition) (gpointer data);

/* A demo server, the application and its window, shown and mapped. */
typedef struct
{
  RegieTestServer  *server;
  RegieApplication *app;
  RegieWindow      *window;
  char             *url;     /* the server's URL; kept after a kill */
} UiTestFixture;

/* Sets up a private HOME and XDG_* dirs (in a temporary dir named after
 * name), the locale and gettext, then GTest, GTK and libadwaita. */
void        ui_test_init                 (int             *argc,
                                          char          ***argv,
                                          const char      *name);
/* The private home of ui_test_init(): every file the client writes is
 * below it (the test server keeps its data elsewhere). */
const char *ui_test_get_home             (void);
/* Runs the tests, then removes the temporary home of ui_test_init(). */
int         ui_test_run                  (void);

/* For g_test_add(): starts the demo server, registers the application
 * and presents a window, waiting until it is mapped. */
void        ui_test_fixture_setup        (UiTestFixture   *fixture,
                                          gconstpointer    user_data);
/* Destroys the window, then drops the application and the server. */
void        ui_test_fixture_teardown     (UiTestFixture   *fixture,
                                          gconstpointer    user_data);
/* Signs in as fatima and waits for the first sync of her caseload. */
void        ui_test_fixture_sign_in      (UiTestFixture   *fixture);

/* Iterates the main context until condition holds; fails the test after
 * UI_TEST_WAIT_TIMEOUT_SECONDS, naming what it waited for. */
void        ui_test_wait_for             (UiTestCondition  condition,
                                          gpointer         data,
                                          const char      *what);
/* Dispatches whatever is pending on the main context, without blocking. */
void        ui_test_iterate_pending      (void);

/* Conditions for ui_test_wait_for(). */
gboolean    ui_test_widget_mapped        (gpointer         widget);
/* Signed in, not syncing, and the caseload not empty (data: a RegieWindow). */
gboolean    ui_test_signed_in_and_loaded (gpointer         window);
/* As ui_test_signed_in_and_loaded(), and the rules engine has evaluated
 * every dossier of the caseload (it is sorted by deadline). */
gboolean    ui_test_caseload_evaluated   (gpointer         window);

/* With REGIE_SCREENSHOT_DIR set, saves the window as NAME.png there (plus
 * REGIE_SCREENSHOT_SUFFIX), once its transitions have settled. */
void        ui_test_maybe_screenshot     (GtkWidget       *window,
                                          const char      *name);

/* The widget below root (or root) with this widget name; NULL if none. */
GtkWidget  *ui_test_find_named           (GtkWidget       *root,
                                          const char      *name);
/* As ui_test_find_named(), failing the test when there is none. */
GtkWidget  *ui_test_need                 (GtkWidget       *root,
                                          const char      *name);
/* The AdwMessageDialog shown for parent (transient for it); NULL if none. */
AdwMessageDialog *ui_test_find_message_dialog (GtkWindow *parent);
/* The id of the caseload's dossier for full_name; fails the test if none. */
char       *ui_test_find_dossier         (RegieCaseloadView *view,
                                          const char      *full_name);

G_END_DECLS
