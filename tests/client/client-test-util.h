/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include "regie-records.h"
#include "regie-store.h"
#include "regie-sync-engine.h"
#include "regie-test-server.h"

G_BEGIN_DECLS

/* GTest with private dirs, no proxy, local GIO; FALSE (the test is
 * skipped) without REGIE_SERVER_PATH: then return g_test_run (). */
gboolean         client_test_init      (int         *argc,
                                        char      ***argv);

/* A regie-server with the demo municipality on a fresh or given data dir. */
RegieTestServer *start_server          (const char  *data_dir);
/* The same with more arguments after --demo (NULL-terminated). */
RegieTestServer *start_server_with     (const char         *data_dir,
                                        const char * const *extra_args);
/* Signs in synchronously (a private main context). */
RegieAccount    *login                 (const char  *url,
                                        const char  *username,
                                        const char  *password,
                                        GError     **error);

/* A device: a store of its own and an engine signed in as `username`. */
typedef struct
{
  RegieStore      *store;
  RegieSyncEngine *engine;
  char            *username;
  char            *token;     /* the engine's session, for direct requests */
} Device;

/* Signs `username` (password demo-USERNAME) in and opens the device's own
 * store under $XDG_DATA_HOME/devices/DEVICE_NAME.sqlite. */
Device          *device_new            (const char  *url,
                                        const char  *device_name,
                                        const char  *username);
void             device_free           (Device      *device);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Device, device_free)
/* Syncs and asserts it ended SYNCED without an error. */
void             device_sync           (Device      *device);

/* The dossier id of the person with this full name, or NULL. */
char            *find_dossier          (RegieStore  *store,
                                        const char  *full_name);
guint            count_notes_with_text (RegieStore  *store,
                                        const char  *dossier_id,
                                        const char  *text);

G_END_DECLS
