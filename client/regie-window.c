/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "regie-auto-lock.h"
#include "regie-error.h"
#include "regie-lease.h"
#include "regie-lock-page.h"

#include "regie-conflicts-window.h"
#include "regie-ui-util.h"
#include "regie-window-private.h"

struct _RegieWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  RegieSignInPage      *sign_in_page;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar;
  GtkWidget            *content;
  AdwWindowTitle       *sidebar_title;
  GtkButton            *sync_button;
  GtkStack             *sync_button_stack;
  GtkSpinner           *sync_spinner;
  RegieCaseloadView    *caseload_view;
  RegieDossierPage     *dossier_page;
  AdwViewStack         *list_stack;
  RegieMyWeekView      *my_week_view;
  RegieLockPage        *lock_page;
  RegieAutoLock        *auto_lock;
  GtkRevealer          *conflicts_revealer;
  GtkLabel             *conflicts_label;
  RegieConflictsWindow *conflicts_window;
  guint                 n_decisions;     /* conflicts and orphaned edits, as last shown */

  GSettings            *settings;
  RegieCaseloadSummaries *summaries;
  RegieNoteDrafts      *note_drafts;
  GHashTable           *changed_ids;     /* dossiers changed since the last reload */

  /* The signed-in session; cancelled on sign-out and dispose. */
  GCancellable         *cancellable;
  RegieStore           *store;
  RegieSyncEngine      *engine;
  char                 *server_url;
  char                 *username;
  char                 *display_name;
  char                 *sync_status;

  guint                 reload_source;
  gulong                restore_handler;  /* frame clock "after-paint" */
  guint                 restore_source;
  GdkFrameClock        *restore_clock;
  guint                 changed_all : 1;  /* many dossiers changed: evaluate all */
  guint                 restored_last : 1;
  guint                 signing_in : 1;
  guint                 syncing : 1;
  guint                 manual_sync : 1;
  guint                 locked : 1;       /* the session is kept, its data hidden */
  guint                 unlocking : 1;
};

G_DEFINE_FINAL_TYPE (RegieWindow, regie_window, ADW_TYPE_APPLICATION_WINDOW)

typedef struct
{
  RegieWindow  *self;
  char         *server_url;
  char         *username;
  char         *password;
  RegieAccount *account;   /* NULL when offline */
  RegieStore   *store;

  /* The copy here is unlocked while the server checks the password (both
   * take a while on purpose); whichever ends last goes on. */
  gboolean      early;          /* an unlock was started with the request */
  gboolean      early_pending;
  GError       *early_error;
  gboolean      login_pending;  /* the server answered; waits for the unlock */
  GError       *login_error;
} SignIn;

static void
sign_in_clear (SignIn *sign_in)
{
  g_object_unref (sign_in->self);
  g_clear_error (&sign_in->early_error);
  g_clear_error (&sign_in->login_error);
  g_clear_pointer (&sign_in->account, regie_account_free);
  g_clear_object (&sign_in->store);
  g_free (sign_in->server_url);
  g_free (sign_in->username);
  if (sign_in->password != NULL)
    {
      /* Don't leave the password lying around in freed memory. */
      memset (sign_in->password, 0, strlen (sign_in->password));
      g_free (sign_in->password);
    }
}

/* Releases one reference (the request and the early unlock hold one each). */
static void
sign_in_free (SignIn *sign_in)
{
  g_rc_box_release_full (sign_in, (GDestroyNotify) sign_in_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignIn, sign_in_free)

static void
show_toast (RegieWindow *self,
            const char  *message,
            const char  *button_label,
            const char  *action_name)
{
  AdwToast *toast = adw_toast_new (message);

  if (button_label != NULL)
    {
      adw_toast_set_button_label (toast, button_label);
      adw_toast_set_action_name (toast, action_name);
    }

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
set_action_enabled (RegieWindow *self,
                    const char  *name,
                    gboolean     enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

/* The conflict queue beside the caseload: a banner with the next step,
 * and a toast when a sync adds to it. */
static void
update_conflicts (RegieWindow *self,
                  guint        decisions)
{
  g_autofree char *text = regie_conflicts_describe_count (decisions);

  if (decisions > 0)
    gtk_label_set_text (self->conflicts_label, text);
  gtk_revealer_set_reveal_child (self->conflicts_revealer, decisions > 0);
  if (decisions > self->n_decisions)
    show_toast (self, _("Some of your changes could not be sent and need your decision."),
                _("_Review"), "win.show-conflicts");
  self->n_decisions = decisions;
}

static void
update_sync_status (RegieWindow *self)
{
  RegieSyncState state = REGIE_SYNC_STATE_IDLE;
  const char *last_error = NULL;
  g_autofree char *status = NULL;
  g_autofree char *tooltip = NULL;
  guint pending = 0;
  guint decisions = 0;
  gboolean busy;

  if (self->engine != NULL)
    {
      state = regie_sync_engine_get_state (self->engine);
      last_error = regie_sync_engine_get_last_error (self->engine);
    }
  if (self->store != NULL)
    {
      pending = regie_store_count_pending (self->store);
      decisions = regie_conflicts_count (self->store);
    }

  busy = self->syncing || state == REGIE_SYNC_STATE_SYNCING;

  if (pending > 0)
    /* Translators: changes made on this computer that the server has not received yet */
    tooltip = g_strdup_printf (ngettext ("%u change waiting to be sent", "%u changes waiting to be sent", pending),
                               pending);

  if (busy)
    status = g_strdup (_("Syncing…"));
  else if (state == REGIE_SYNC_STATE_OFFLINE)
    {
      /* Translators: sync state: the server cannot be reached */
      status = g_strdup (C_("sync state", "Offline"));
      g_free (tooltip);
      tooltip = g_strdup (_("The server cannot be reached. Changes are kept on this computer and sent when it can be reached again."));
    }
  else if (state == REGIE_SYNC_STATE_ERROR)
    {
      status = g_strdup (C_("sync state", "Sync failed"));
      g_free (tooltip);
      tooltip = g_strdup (last_error != NULL ? last_error : _("The server answered with an error."));
    }
  else if (decisions > 0)
    status = regie_conflicts_describe_count (decisions);
  else if (pending > 0)
    /* Translators: sync state in the header */
    status = g_strdup_printf (ngettext ("%u change waiting", "%u changes waiting", pending), pending);
  else if (state == REGIE_SYNC_STATE_SYNCED)
    status = g_strdup (C_("sync state", "Synced"));
  else
    status = g_strdup (C_("sync state", "Not synced yet"));

  adw_window_title_set_subtitle (self->sidebar_title, status);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sidebar_title), tooltip);
  update_conflicts (self, decisions);

  {
    double progress = self->engine != NULL ? regie_sync_engine_get_progress (self->engine) : -1;
    gboolean empty = g_list_model_get_n_items (regie_caseload_view_get_caseload (self->caseload_view)) == 0;
    g_autofree char *text = NULL;

    if (busy && progress >= 0)
      /* Translators: sync progress in the list pane; %d is a percentage */
      text = g_strdup_printf (_("Receiving your caseload… %d %%"), (int) (progress * 100));
    else if (busy && empty)
      text = g_strdup (_("Receiving your caseload…"));
    regie_caseload_view_set_progress (self->caseload_view, text != NULL, progress, text);
  }

  gtk_stack_set_visible_child_name (self->sync_button_stack, busy ? "busy" : "idle");
  gtk_spinner_set_spinning (self->sync_spinner, busy);
  /* While it syncs, the same button stops it (a long first sync goes on
   * from where it stopped the next time). */
  set_action_enabled (self, "sync", self->engine != NULL && !busy && !self->locked);
  set_action_enabled (self, "stop-sync", self->engine != NULL && busy);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->sync_button), busy ? "win.stop-sync" : "win.sync");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_button), busy ? _("Stop Syncing") : _("Sync Now"));

  /* Screen readers hear the state with the Sync button. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sync_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, status,
                                  -1);

  g_free (self->sync_status);
  self->sync_status = g_steal_pointer (&status);
}

/* The rules engine for the dossiers that changed, on a worker thread. While
 * a sync pulls page after page, wait for it to finish. */
static void
update_summaries (RegieWindow *self)
{
  if (self->store == NULL)
    return;

  if (self->changed_all || !regie_caseload_summaries_is_ready (self->summaries))
    {
      if (self->syncing && g_list_model_get_n_items (regie_caseload_view_get_caseload (self->caseload_view)) > 0 &&
          regie_caseload_summaries_is_ready (self->summaries))
        return;
      regie_caseload_summaries_update (self->summaries, self->store, NULL);
      self->changed_all = FALSE;
      g_hash_table_remove_all (self->changed_ids);
    }
  else if (g_hash_table_size (self->changed_ids) > 0)
    {
      g_autofree const char **ids = (const char **) g_hash_table_get_keys_as_array (self->changed_ids, NULL);

      regie_caseload_summaries_update (self->summaries, self->store, ids);
      g_hash_table_remove_all (self->changed_ids);
    }
}

/* Opens the dossier that was open last time, once the caseload is there. */
static void
restore_last_dossier (RegieWindow *self)
{
  g_autofree char *last = NULL;

  /* Not over a dossier opened meanwhile. */
  if (self->store == NULL || regie_caseload_view_get_selected_id (self->caseload_view) != NULL)
    return;

  last = g_settings_get_string (self->settings, "last-dossier");
  if (last[0] != '\0' && regie_caseload_view_select (self->caseload_view, last))
    g_debug ("Opened the last dossier again");
}

static void
cancel_restore (RegieWindow *self)
{
  if (self->restore_handler != 0 && self->restore_clock != NULL)
    g_signal_handler_disconnect (self->restore_clock, self->restore_handler);
  self->restore_handler = 0;
  g_clear_weak_pointer (&self->restore_clock);
  g_clear_handle_id (&self->restore_source, g_source_remove);
}

static gboolean
restore_idle_cb (gpointer user_data)
{
  RegieWindow *self = user_data;

  self->restore_source = 0;
  restore_last_dossier (self);
  return G_SOURCE_REMOVE;
}

static void
restore_after_paint_cb (GdkFrameClock *clock,
                        RegieWindow   *self)
{
  cancel_restore (self);
  /* After this frame is finished, not inside it. */
  self->restore_source = g_idle_add (restore_idle_cb, self);
}

/* The dossier that was open when the window last closed opens again
 * once the caseload has been on screen for a frame: the list first,
 * then the dossier (making its page is a few frames' work). */
static void
queue_restore_last_dossier (RegieWindow *self)
{
  GdkFrameClock *clock;

  if (self->restored_last ||
      g_list_model_get_n_items (regie_caseload_view_get_caseload (self->caseload_view)) == 0)
    return;

  self->restored_last = TRUE;
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  if (clock == NULL)
    {
      restore_last_dossier (self);
      return;
    }
  cancel_restore (self);
  g_set_weak_pointer (&self->restore_clock, clock);
  self->restore_handler = g_signal_connect (clock, "after-paint", G_CALLBACK (restore_after_paint_cb), self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
reload_cb (gpointer user_data)
{
  RegieWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  self->reload_source = 0;

  if (self->store == NULL)
    return G_SOURCE_REMOVE;

  if (!regie_caseload_view_reload (self->caseload_view, &error))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is a technical reason */
      message = g_strdup_printf (_("Your caseload could not be read from this computer: %s"), error->message);
      show_toast (self, message, NULL, NULL);
    }

  regie_dossier_page_reload (self->dossier_page);
  update_sync_status (self);
  update_summaries (self);
  regie_my_week_view_refresh (self->my_week_view);
  queue_restore_last_dossier (self);

  return G_SOURCE_REMOVE;
}

/* A pull applies many pages in a row; reload once when they are done. */
static void
queue_reload (RegieWindow *self)
{
  if (self->reload_source == 0)
    self->reload_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, reload_cb, self, NULL);
}

static void
store_changed_cb (RegieWindow *self,
                  const char  *dossier_id)
{
  if (dossier_id == NULL)
    self->changed_all = TRUE;
  else
    g_hash_table_add (self->changed_ids, g_strdup (dossier_id));

  update_sync_status (self);
  queue_reload (self);
}

static void
engine_state_changed_cb (RegieWindow *self)
{
  /* The engine also syncs by itself when the network comes back. */
  if (regie_sync_engine_get_state (self->engine) == REGIE_SYNC_STATE_SYNCED)
    queue_reload (self);

  update_sync_status (self);
}

static void
show_sync_error (RegieWindow  *self,
                 const GError *error,
                 gboolean      manual)
{
  g_autofree char *message = NULL;

  if (g_error_matches (error, REGIE_ERROR, REGIE_ERROR_NETWORK))
    {
      /* The header says "Offline" already; only answer a button press. */
      if (manual)
        show_toast (self, _("The server cannot be reached. Your changes are kept on this computer and sent when the connection returns."),
                    NULL, NULL);
      return;
    }

  if (g_error_matches (error, REGIE_ERROR, REGIE_ERROR_AUTH))
    show_toast (self, _("Your session has expired. Sign in again to send your changes; they are kept on this computer."),
                _("Sign In Again"), "win.sign-out");
  else if (g_error_matches (error, REGIE_ERROR, REGIE_ERROR_PROTOCOL))
    show_toast (self, _("This version of Regie does not match the server. Your changes are kept; ask your IT department for an update."),
                NULL, NULL);
  else if (g_error_matches (error, REGIE_ERROR, REGIE_ERROR_FORBIDDEN))
    {
      /* Translators: %s is the reason the server gave */
      message = g_strdup_printf (_("The server refused a change: %s. Ask your coordinator whether the dossier is still assigned to you."),
                                 error->message);
      show_toast (self, message, NULL, NULL);
    }
  else
    {
      /* Translators: %s is a technical reason */
      message = g_strdup_printf (_("Sync failed: %s. Your changes are kept; try again in a few minutes."), error->message);
      show_toast (self, message, _("_Retry"), "win.sync");
    }
}

static void
sync_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(RegieWindow) self = user_data;
  RegieSyncEngine *engine = REGIE_SYNC_ENGINE (object);
  g_autoptr(GError) error = NULL;
  gboolean manual;

  if (!regie_sync_engine_sync_finish (engine, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Stopped by the user (Stop Syncing); signing out and locking
       * cancel the window's own cancellable and clean up themselves. */
      if (engine == self->engine && !g_cancellable_is_cancelled (self->cancellable) && self->syncing)
        {
          self->syncing = FALSE;
          self->manual_sync = FALSE;
          update_sync_status (self);
          show_toast (self, _("Sync stopped. The next sync continues where this one stopped."), NULL, NULL);
        }
      return;
    }

  /* Signed out (and maybe in again) while this ran. */
  if (engine != self->engine)
    return;

  manual = self->manual_sync;
  self->syncing = FALSE;
  if (error == NULL)
    self->changed_all = TRUE;
  self->manual_sync = FALSE;

  if (error != NULL)
    {
      g_debug ("Sync failed: %s", error->message);
      show_sync_error (self, error, manual);
    }

  queue_reload (self);
  update_sync_status (self);
}

static void
start_sync (RegieWindow *self,
            gboolean     manual)
{
  if (self->engine == NULL || self->locked)
    return;

  self->manual_sync |= manual;
  if (self->syncing)
    return;

  self->syncing = TRUE;
  update_sync_status (self);
  regie_sync_engine_sync_async (self->engine, self->cancellable, sync_cb, g_object_ref (self));
}

void
regie_window_sync (RegieWindow *self)
{
  g_return_if_fail (REGIE_IS_WINDOW (self));

  start_sync (self, TRUE);
}

static void show_session (RegieWindow *self);
static void set_session_actions_enabled (RegieWindow *self,
                                         gboolean     enabled);

static void
start_session (RegieWindow *self,
               RegieStore  *store,
               const char  *server_url,
               const char  *username,
               const char  *display_name,
               const char  *token,
               gboolean     offline)
{
  g_assert (self->store == NULL);

  g_settings_set_string (self->settings, "last-server", server_url);
  g_settings_set_string (self->settings, "last-user", username);

  self->store = g_object_ref (store);
  self->server_url = g_strdup (server_url);
  self->username = g_strdup (username);
  self->display_name = g_strdup (display_name != NULL && *display_name != '\0' ? display_name : username);

  self->engine = regie_sync_engine_new (store, server_url, token);
  g_signal_connect_object (self->engine, "notify::state",
                           G_CALLBACK (engine_state_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "notify::pending",
                           G_CALLBACK (update_sync_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "notify::last-error",
                           G_CALLBACK (update_sync_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "notify::progress",
                           G_CALLBACK (update_sync_status), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "changed",
                           G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);

  regie_sign_in_page_clear_password (self->sign_in_page);

  show_session (self);

  if (offline)
    show_toast (self, _("Working offline. Changes will be sent when the server is reachable."), NULL, NULL);

  /* A first sign-in always pulls: there is nothing to show otherwise. */
  if (g_settings_get_boolean (self->settings, "sync-on-start") || regie_store_get_cursor (store) == 0)
    start_sync (self, FALSE);
}

/* The caseload and the dossier, read from the unlocked store. */
static void
show_session (RegieWindow *self)
{
  self->restored_last = FALSE;
  self->changed_all = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->leaflet), TRUE);
  regie_caseload_view_set_store (self->caseload_view, self->store);
  regie_dossier_page_set_session (self->dossier_page, self->store, self->username, self->display_name);
  reload_cb (self);

  adw_window_title_set_title (self->sidebar_title, _("Caseload"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->sidebar_title), NULL);

  set_action_enabled (self, "sign-out", TRUE);
  set_session_actions_enabled (self, TRUE);

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  gtk_stack_set_visible_child_name (self->main_stack, "session");
  regie_caseload_view_focus_search (self->caseload_view);

  regie_sync_engine_set_auto_sync (self->engine, TRUE);
  regie_auto_lock_set_armed (self->auto_lock, TRUE);
}

static void
set_session_actions_enabled (RegieWindow *self,
                             gboolean     enabled)
{
  static const char * const names[] = {
    "search", "back", "next-dossier", "previous-dossier", "new-note", "lock",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    set_action_enabled (self, names[i], enabled);
}

/* Locks the copy on this computer and hides everything read from it; the
 * session (server, token, unsent changes, half-written notes) stays, so
 * the password brings the user back where they were. */
static void
lock_session (RegieWindow *self,
              const char  *reason)
{
  if (self->store == NULL || self->locked)
    return;

  g_debug ("Locking the session (%s)", reason);
  self->locked = TRUE;
  regie_auto_lock_set_armed (self->auto_lock, FALSE);

  /* Syncing needs the key: stop it, and any sync under way. */
  regie_sync_engine_set_auto_sync (self->engine, FALSE);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->syncing = FALSE;
  self->manual_sync = FALSE;
  g_clear_handle_id (&self->reload_source, g_source_remove);

  /* The note being written is kept for when the dossier opens again. */
  regie_note_drafts_open (self->note_drafts, NULL);
  regie_caseload_view_set_store (self->caseload_view, NULL);
  regie_dossier_page_set_session (self->dossier_page, NULL, NULL, NULL);
  regie_caseload_summaries_clear (self->summaries);
  set_session_actions_enabled (self, FALSE);
  set_action_enabled (self, "sync", FALSE);

  regie_store_lock (self->store);

  regie_lock_page_reset (self->lock_page);
  regie_lock_page_set_user (self->lock_page, self->display_name);
  gtk_stack_set_visible_child_name (self->main_stack, "locked");
  regie_lock_page_focus (self->lock_page);
  update_sync_status (self);
}

static void
unlock_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RegieWindow) self = user_data;
  RegieStore *store = REGIE_STORE (object);
  g_autoptr(GError) error = NULL;

  if (!regie_store_unlock_finish (store, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || store != self->store)
        return;
      self->unlocking = FALSE;
      regie_lock_page_set_busy (self->lock_page, FALSE);
      if (g_error_matches (error, REGIE_ERROR, REGIE_ERROR_AUTH))
        regie_lock_page_set_error (self->lock_page, _("The password is incorrect. Try again."));
      else
        {
          /* Translators: %s is a technical reason */
          g_autofree char *message = g_strdup_printf (_("The copy on this computer could not be opened: %s"),
                                                      error->message);
          regie_lock_page_set_error (self->lock_page, message);
        }
      return;
    }

  /* Signed out meanwhile. */
  if (store != self->store)
    return;

  self->unlocking = FALSE;
  self->locked = FALSE;
  regie_lock_page_reset (self->lock_page);
  set_action_enabled (self, "sync", TRUE);
  show_session (self);
  update_sync_status (self);
  start_sync (self, FALSE);
}

static void
lock_page_unlock_cb (RegieWindow   *self,
                     const char    *password,
                     RegieLockPage *page)
{
  if (self->store == NULL || !self->locked || self->unlocking)
    return;

  self->unlocking = TRUE;
  regie_lock_page_set_busy (page, TRUE);
  regie_store_unlock_async (self->store, password, REGIE_UNLOCK_DEFAULT,
                            self->cancellable, unlock_cb, g_object_ref (self));
}

static void
auto_lock_cb (RegieWindow   *self,
              const char    *reason,
              RegieAutoLock *auto_lock)
{
  lock_session (self, reason);
}

gboolean
regie_window_is_locked (RegieWindow *self)
{
  g_return_val_if_fail (REGIE_IS_WINDOW (self), FALSE);
  return self->locked;
}

RegieLockPage *
regie_window_get_lock_page (RegieWindow *self)
{
  g_return_val_if_fail (REGIE_IS_WINDOW (self), NULL);
  return self->lock_page;
}

static void
end_session (RegieWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_clear_handle_id (&self->reload_source, g_source_remove);
  cancel_restore (self);
  g_hash_table_remove_all (self->changed_ids);

  if (self->engine != NULL)
    {
      regie_sync_engine_set_auto_sync (self->engine, FALSE);
      g_signal_handlers_disconnect_by_data (self->engine, self);
    }
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);

  if (!gtk_widget_in_destruction (GTK_WIDGET (self)))
    {
      regie_caseload_view_set_store (self->caseload_view, NULL);
      regie_dossier_page_set_session (self->dossier_page, NULL, NULL, NULL);
      regie_caseload_summaries_clear (self->summaries);
      regie_note_drafts_forget (self->note_drafts);
    }

  g_clear_object (&self->engine);
  g_clear_object (&self->store);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->display_name, g_free);

  self->signing_in = FALSE;
  self->syncing = FALSE;
  self->locked = FALSE;
  self->unlocking = FALSE;
  if (self->auto_lock != NULL)
    regie_auto_lock_set_armed (self->auto_lock, FALSE);
  self->manual_sync = FALSE;
}

static char *
describe_login_error (const GError *error)
{
  if (g_error_matches (error, REGIE_ERROR, REGIE_ERROR_AUTH))
    return g_strdup (_("The user name or password is incorrect. Check both and try again."));
  if (g_error_matches (error, REGIE_ERROR, REGIE_ERROR_PROTOCOL))
    return g_strdup (_("This version of Regie does not match the server. Ask your IT department for an update."));
  if (g_error_matches (error, REGIE_ERROR, REGIE_ERROR_FORBIDDEN))
    return g_strdup (_("This account may not use Regie on a computer. Ask your application manager for access."));

  /* Translators: %s is a technical reason */
  return g_strdup_printf (_("Signing in failed: %s. Try again in a few minutes."), error->message);
}

static void
sign_in_failed (RegieWindow *self,
                const char  *message)
{
  /* Nothing read from the copy here stays in memory. */
  regie_caseload_view_prefetch (self->caseload_view, NULL);
  self->signing_in = FALSE;
  regie_sign_in_page_set_busy (self->sign_in_page, FALSE);
  regie_sign_in_page_set_error (self->sign_in_page, message);
  regie_sign_in_page_focus (self->sign_in_page);
}

/* The copy on this computer could not be made or written. */
static void
store_failed (RegieWindow  *self,
              const GError *error)
{
  /* Translators: %s is a technical reason */
  g_autofree char *message = g_strdup_printf (_("Your copy of the caseload could not be stored on this computer: %s. "
                                                "Check that your disk is not full, then try again."),
                                              error->message);

  sign_in_failed (self, message);
}

/* The server can't be reached, and no copy here was unlocked with the
 * password at sign-in (offline_with_early_unlock() handles one that was):
 * say why. */
static void
sign_in_offline (RegieWindow *self,
                 SignIn      *sign_in_)
{
  g_autoptr(SignIn) sign_in = sign_in_;
  g_autofree char *path = regie_store_path_for (sign_in->server_url, sign_in->username);
  g_autoptr(RegieStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (path != NULL && g_file_test (path, G_FILE_TEST_EXISTS) &&
      (store = regie_store_open (path, &error)) == NULL)
    {
      /* Translators: %s is a technical reason */
      g_autofree char *message = g_strdup_printf (_("The server cannot be reached, and the copy on this computer could not be opened: %s"),
                                                  error->message);
      sign_in_failed (self, message);
      return;
    }

  sign_in_failed (self, _("The server cannot be reached. Check the server address and your network connection, then try again. "
                          "To work offline later, sign in once while connected."));
}

static void
finish_online_sign_in (RegieWindow *self,
                       SignIn      *sign_in)
{
  RegieAccount *account = sign_in->account;
  g_autoptr(GError) error = NULL;

  self->signing_in = FALSE;
  regie_sign_in_page_set_busy (self->sign_in_page, FALSE);

  if (!regie_store_save_account (sign_in->store, account->display_name, account->role, account->team,
                                 account->token, &error))
    {
      store_failed (self, error);
      return;
    }

  start_session (self, sign_in->store, sign_in->server_url,
                 account->username != NULL ? account->username : sign_in->username,
                 account->display_name, account->token, FALSE);
}

static void ask_previous_password (RegieWindow *self,
                                   SignIn      *sign_in,
                                   const char  *error_message);

static void
previous_password_unlock_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(SignIn) sign_in = user_data;
  RegieWindow *self = sign_in->self;
  g_autoptr(GError) error = NULL;

  if (!regie_store_unlock_finish (sign_in->store, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      ask_previous_password (self, g_steal_pointer (&sign_in),
                             _("That password does not open the copy on this computer either."));
      return;
    }

  /* From now on the new password opens it. */
  if (!regie_store_change_password (sign_in->store, sign_in->password, &error))
    g_warning ("Could not re-wrap the data key: %s", error->message);

  finish_online_sign_in (self, sign_in);
}

static void
previous_password_response_cb (AdwMessageDialog *dialog,
                               const char       *response,
                               gpointer          user_data)
{
  g_autoptr(SignIn) sign_in = user_data;
  RegieWindow *self = sign_in->self;
  GtkEditable *entry = GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));

  if (g_strcmp0 (response, "unlock") == 0 && gtk_editable_get_text (entry)[0] != '\0')
    {
      RegieStore *store = sign_in->store;

      regie_store_unlock_async (store, gtk_editable_get_text (entry), REGIE_UNLOCK_DEFAULT,
                                self->cancellable, previous_password_unlock_cb, g_steal_pointer (&sign_in));
      gtk_editable_set_text (entry, "");
      return;
    }

  if (g_strcmp0 (response, "start-fresh") == 0)
    {
      g_autofree char *path = g_strdup (regie_store_get_path (sign_in->store));
      g_autoptr(GError) error = NULL;

      g_clear_object (&sign_in->store);
      if (!regie_lease_wipe_store (path, &error) ||
          !(sign_in->store = regie_store_open (path, &error)) ||
          !regie_store_unlock (sign_in->store, sign_in->password, REGIE_UNLOCK_CREATE, &error))
        {
          store_failed (self, error);
          return;
        }
      finish_online_sign_in (self, sign_in);
      return;
    }

  sign_in_failed (self, _("Signing in was cancelled. The copy on this computer is unchanged."));
}

/* The server accepted a password that does not open the copy here: it
 * was changed elsewhere. The previous one still opens it (and is then
 * replaced); without it, the copy can only be replaced by a fresh one. */
static void
ask_previous_password (RegieWindow *self,
                       SignIn      *sign_in,
                       const char  *error_message)
{
  AdwMessageDialog *dialog;
  GtkWidget *entry;
  g_autofree char *body = NULL;
  guint pending = regie_store_count_pending (sign_in->store);

  if (pending > 0)
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Your password was changed since you last used Regie on this computer. "
                                         "Enter your previous password to open the copy here. "
                                         "Starting with a fresh copy loses %u change that was not sent yet.",
                                         "Your password was changed since you last used Regie on this computer. "
                                         "Enter your previous password to open the copy here. "
                                         "Starting with a fresh copy loses %u changes that were not sent yet.",
                                         pending),
                            pending);
  else
    body = g_strdup (_("Your password was changed since you last used Regie on this computer. "
                       "Enter your previous password to open the copy here, or start with a fresh copy from the server."));

  if (error_message != NULL)
    {
      g_autofree char *with_error = g_strconcat (error_message, "\n\n", body, NULL);
      g_free (body);
      body = g_steal_pointer (&with_error);
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Previous Password Needed"), body));
  entry = gtk_password_entry_new ();
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (entry), TRUE);
  g_object_set (entry, "placeholder-text", _("Previous password"), "activates-default", TRUE, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Previous password"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "start-fresh", _("Start _Fresh"),
                                    "unlock", _("_Open"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "start-fresh", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "unlock", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "unlock");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (previous_password_response_cb), sign_in);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
online_unlock_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SignIn) sign_in = user_data;
  RegieWindow *self = sign_in->self;
  g_autoptr(GError) error = NULL;

  if (!regie_store_unlock_finish (sign_in->store, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, REGIE_ERROR, REGIE_ERROR_AUTH))
        {
          ask_previous_password (self, g_steal_pointer (&sign_in), NULL);
          return;
        }

      store_failed (self, error);
      return;
    }

  finish_online_sign_in (self, sign_in);
}

static void continue_sign_in (SignIn *sign_in_,
                              GError *error_);

/* Offline, with the copy already unlocked by the password (or not). */
static void
offline_with_early_unlock (RegieWindow *self,
                           SignIn      *sign_in_)
{
  g_autoptr(SignIn) sign_in = sign_in_;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *display_name = NULL;

  /* Offline past the device lease, or with the clock set back: the copy
   * stays locked until an online sign-in (regie-lease.h). */
  if (!regie_lease_check_store (regie_store_get_path (sign_in->store), &error))
    {
      regie_store_lock (sign_in->store);
      sign_in_failed (self, error->message);
      return;
    }

  if (g_error_matches (sign_in->early_error, REGIE_ERROR, REGIE_ERROR_AUTH))
    {
      sign_in_failed (self, _("The server cannot be reached, and the password does not match the one last used on this computer. "
                              "Check the password, or connect to the network and try again."));
      return;
    }
  if (sign_in->early_error != NULL)
    {
      /* Translators: %s is a technical reason */
      g_autofree char *message = g_strdup_printf (_("The server cannot be reached, and the copy on this computer could not be opened: %s"),
                                                  sign_in->early_error->message);
      sign_in_failed (self, message);
      return;
    }

  self->signing_in = FALSE;
  regie_sign_in_page_set_busy (self->sign_in_page, FALSE);
  token = regie_store_dup_meta (sign_in->store, "token");
  display_name = regie_store_dup_meta (sign_in->store, "display_name");
  start_session (self, sign_in->store, sign_in->server_url, sign_in->username, display_name, token, TRUE);
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SignIn) sign_in = user_data;
  g_autoptr(GError) error = NULL;

  sign_in->account = regie_api_login_finish (result, &error);
  if (sign_in->account == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (sign_in->early_pending)
    {
      /* early_unlock_cb() goes on. */
      sign_in->login_pending = TRUE;
      sign_in->login_error = g_steal_pointer (&error);
      return;
    }

  continue_sign_in (g_steal_pointer (&sign_in), g_steal_pointer (&error));
}

static void
early_unlock_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SignIn) sign_in = user_data;
  g_autoptr(GError) error = NULL;

  if (!regie_store_unlock_finish (REGIE_STORE (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  sign_in->early_pending = FALSE;
  sign_in->early_error = g_steal_pointer (&error);
  if (sign_in->login_pending)
    continue_sign_in (g_rc_box_acquire (sign_in), g_steal_pointer (&sign_in->login_error));
  else if (sign_in->early_error == NULL)
    /* The server has not answered yet: read the caseload meanwhile, on a
     * worker thread. It is shown only once the server has answered. */
    regie_caseload_view_prefetch (sign_in->self->caseload_view, sign_in->store);
}

/* The server answered (sign_in->account, or error) and any early unlock
 * has ended. Takes sign_in and error. */
static void
continue_sign_in (SignIn *sign_in_,
                  GError *error_)
{
  g_autoptr(SignIn) sign_in = sign_in_;
  g_autoptr(GError) error = error_;
  RegieWindow *self = sign_in->self;
  g_autofree char *path = NULL;

  if (sign_in->account == NULL)
    {
      g_autofree char *message = NULL;

      /* Never fall back to the local copy when the server's identity
       * changed or this device was revoked (its copy is already gone). */
      if (regie_api_error_is_certificate_change (error))
        message = g_strdup (_("The server's identity has changed. Do not continue; contact your IT department."));
      else if (regie_api_error_is_revoked (error))
        message = g_strdup (regie_device_revoked_message ());
      else if (g_error_matches (error, REGIE_ERROR, REGIE_ERROR_NETWORK))
        {
          if (sign_in->early)
            offline_with_early_unlock (self, g_steal_pointer (&sign_in));
          else
            sign_in_offline (self, g_steal_pointer (&sign_in));
          return;
        }
      else
        message = describe_login_error (error);

      sign_in_failed (self, message);
      return;
    }

  /* The password is right, and it opened the copy here already; or it
   * did not (changed elsewhere); or there was none to open. */
  if (sign_in->early && sign_in->early_error == NULL)
    {
      finish_online_sign_in (self, sign_in);
      return;
    }
  if (sign_in->early && g_error_matches (sign_in->early_error, REGIE_ERROR, REGIE_ERROR_AUTH))
    {
      ask_previous_password (self, g_steal_pointer (&sign_in), NULL);
      return;
    }
  g_clear_object (&sign_in->store);

  /* It opens the copy here, or makes its key. */
  path = regie_store_path_for (sign_in->server_url, sign_in->username);
  sign_in->store = regie_store_open (path, &error);
  if (sign_in->store == NULL)
    {
      store_failed (self, error);
      return;
    }

  {
    /* Not sign_in->… in the same call that steals it. */
    RegieStore *store = sign_in->store;
    const char *password = sign_in->password;

    regie_store_unlock_async (store, password, REGIE_UNLOCK_CREATE,
                              self->cancellable, online_unlock_cb, g_steal_pointer (&sign_in));
  }
}

static gboolean
server_url_is_valid (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return uri != NULL &&
         (g_strcmp0 (g_uri_get_scheme (uri), "https") == 0 ||
          g_strcmp0 (g_uri_get_scheme (uri), "http") == 0) &&
         g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}

static void
sign_in_page_sign_in_cb (RegieWindow     *self,
                         const char      *server_url,
                         const char      *username,
                         const char      *password,
                         RegieSignInPage *page)
{
  SignIn *sign_in;

  if (self->signing_in || self->store != NULL)
    return;

  if (!server_url_is_valid (server_url))
    {
      regie_sign_in_page_set_error (page, _("Enter the server address your municipality gave you, starting with https://"));
      return;
    }

  sign_in = g_rc_box_new0 (SignIn);
  sign_in->self = g_object_ref (self);
  sign_in->server_url = g_strdup (server_url);
  sign_in->username = g_strdup (username);
  sign_in->password = g_strdup (password);

  self->signing_in = TRUE;
  regie_sign_in_page_set_busy (page, TRUE);
  /* The caseload and dossier panes are styled and measured while the
   * password is checked, not before the sign-in page could be shown. */
  gtk_widget_set_visible (GTK_WIDGET (self->leaflet), TRUE);

  /* A copy signed in here before is unlocked (scrypt, on a worker
   * thread) while the server checks the password (PBKDF2): together,
   * not one after the other. Nothing of it is shown before the server
   * has answered, or failed to. */
  {
    g_autofree char *path = regie_store_path_for (server_url, username);

    if (path != NULL && g_file_test (path, G_FILE_TEST_EXISTS))
      {
        g_autoptr(RegieStore) store = regie_store_open (path, NULL);

        if (store != NULL && regie_store_has_data_key (store))
          {
            sign_in->store = g_steal_pointer (&store);
            sign_in->early = TRUE;
            sign_in->early_pending = TRUE;
            regie_store_unlock_async (sign_in->store, password, REGIE_UNLOCK_DEFAULT, self->cancellable,
                                      early_unlock_cb, g_rc_box_acquire (sign_in));
          }
      }
  }

  regie_api_login_async (server_url, username, password, self->cancellable, login_cb, sign_in);
}

static void
update_draft_actions (RegieWindow *self)
{
  set_action_enabled (self, "discard-note-draft",
                      self->note_drafts != NULL && regie_note_drafts_has_text (self->note_drafts));
}

static void
caseload_view_dossier_selected_cb (RegieWindow       *self,
                                   const char        *dossier_id,
                                   RegieCaseloadView *view)
{
  regie_note_drafts_open (self->note_drafts, dossier_id);
  update_draft_actions (self);
  g_settings_set_string (self->settings, "last-dossier", dossier_id != NULL ? dossier_id : "");

  if (dossier_id != NULL && adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->content);
}

static void
my_week_view_dossier_activated_cb (RegieWindow     *self,
                                   const char      *dossier_id,
                                   RegieMyWeekView *view)
{
  /* Through the caseload list, so that next/previous continue from it;
   * a filter may hide it there, then open it directly. */
  if (!regie_caseload_view_select (self->caseload_view, dossier_id))
    caseload_view_dossier_selected_cb (self, dossier_id, self->caseload_view);
  else if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->content);
}

void
regie_window_set_sign_in_defaults (RegieWindow *self,
                                   const char  *server_url,
                                   const char  *username)
{
  g_return_if_fail (REGIE_IS_WINDOW (self));

  regie_sign_in_page_set_fields (self->sign_in_page, server_url, username, NULL);
  regie_sign_in_page_focus (self->sign_in_page);
}

void
regie_window_sign_in (RegieWindow *self,
                      const char  *server_url,
                      const char  *username,
                      const char  *password)
{
  g_return_if_fail (REGIE_IS_WINDOW (self));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);

  regie_sign_in_page_set_fields (self->sign_in_page, server_url, username, password);
  regie_sign_in_page_submit (self->sign_in_page);
}

static void
sync_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  regie_window_sync (REGIE_WINDOW (user_data));
}

static void
search_action_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  RegieWindow *self = user_data;

  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  regie_caseload_view_focus_search (self->caseload_view);
}

static void
back_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  RegieWindow *self = user_data;

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
sign_out_action_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  RegieWindow *self = user_data;
  guint pending = self->store != NULL ? regie_store_count_pending (self->store) : 0;

  end_session (self);

  set_action_enabled (self, "sign-out", FALSE);
  set_action_enabled (self, "sync", FALSE);
  set_session_actions_enabled (self, FALSE);
  update_sync_status (self);

  gtk_stack_set_visible_child_name (self->main_stack, "sign-in");
  regie_sign_in_page_focus (self->sign_in_page);

  if (pending > 0)
    show_toast (self, _("Your unsent changes are kept on this computer and sent the next time you sign in."), NULL, NULL);
}

static void
next_dossier_action_cb (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  RegieWindow *self = user_data;

  regie_caseload_view_select_relative (self->caseload_view, 1);
}

static void
previous_dossier_action_cb (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  RegieWindow *self = user_data;

  regie_caseload_view_select_relative (self->caseload_view, -1);
}

static void
new_note_action_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  RegieWindow *self = user_data;

  if (regie_dossier_page_get_dossier_id (self->dossier_page) == NULL)
    {
      show_toast (self, _("Open a dossier first to write a note."), NULL, NULL);
      return;
    }

  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->content);
  regie_dossier_page_show_section (self->dossier_page, "notes");
  gtk_widget_grab_focus (GTK_WIDGET (regie_dossier_page_get_note_view (self->dossier_page)));
}

static void
discard_note_draft_action_cb (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  RegieWindow *self = user_data;
  AdwToast *toast;

  if (!regie_note_drafts_discard (self->note_drafts))
    return;

  toast = adw_toast_new (_("Note draft discarded"));
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-discard-note-draft");
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
undo_discard_note_draft_action_cb (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  RegieWindow *self = user_data;

  if (regie_note_drafts_undo (self->note_drafts))
    gtk_widget_grab_focus (GTK_WIDGET (regie_dossier_page_get_note_view (self->dossier_page)));
}

static void
show_list_action_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  RegieWindow *self = user_data;

  regie_window_show_list (self, g_variant_get_string (parameter, NULL));
}

static void
stop_sync_action_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  RegieWindow *self = user_data;

  if (self->engine != NULL && self->syncing)
    regie_sync_engine_cancel (self->engine);
}

static void
lock_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  lock_session (REGIE_WINDOW (user_data), "request");
}

static void
conflicts_window_resolved_cb (RegieWindow *self)
{
  /* The choice reaches the server now when it can. */
  start_sync (self, FALSE);
}

static void
show_conflicts_action_cb (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  RegieWindow *self = user_data;

  if (self->store == NULL)
    return;

  if (self->conflicts_window == NULL)
    {
      self->conflicts_window = regie_conflicts_window_new (GTK_WINDOW (self), self->store);
      g_object_add_weak_pointer (G_OBJECT (self->conflicts_window), (gpointer *) &self->conflicts_window);
      g_signal_connect_object (self->conflicts_window, "resolved",
                               G_CALLBACK (conflicts_window_resolved_cb), self, G_CONNECT_SWAPPED);
    }
  gtk_window_present (GTK_WINDOW (self->conflicts_window));
}

/* Signed out or locked: the queue shows dossier data, so it goes too. */
static void
main_stack_changed_cb (RegieWindow *self)
{
  if (self->conflicts_window != NULL &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "session") != 0)
    gtk_window_destroy (GTK_WINDOW (self->conflicts_window));
}

static const GActionEntry win_actions[] = {
  { "sync", sync_action_cb },
  { "lock", lock_action_cb },
  { "stop-sync", stop_sync_action_cb },
  { "search", search_action_cb },
  { "back", back_action_cb },
  { "sign-out", sign_out_action_cb },
  { "next-dossier", next_dossier_action_cb },
  { "previous-dossier", previous_dossier_action_cb },
  { "new-note", new_note_action_cb },
  { "discard-note-draft", discard_note_draft_action_cb },
  { "undo-discard-note-draft", undo_discard_note_draft_action_cb },
  { "show-list", show_list_action_cb, "s" },
  { "show-conflicts", show_conflicts_action_cb },
};

static gboolean
regie_window_close_request (GtkWindow *window)
{
  RegieWindow *self = REGIE_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (regie_window_parent_class)->close_request (window);
}

RegieStore *
regie_window_get_store (RegieWindow *self)
{
  g_return_val_if_fail (REGIE_IS_WINDOW (self), NULL);
  return self->store;
}

RegieSyncEngine *
regie_window_get_sync_engine (RegieWindow *self)
{
  g_return_val_if_fail (REGIE_IS_WINDOW (self), NULL);
  return self->engine;
}

RegieCaseloadView *
regie_window_get_caseload_view (RegieWindow *self)
{
  g_return_val_if_fail (REGIE_IS_WINDOW (self), NULL);
  return self->caseload_view;
}

RegieDossierPage *
regie_window_get_dossier_page (RegieWindow *self)
{
  g_return_val_if_fail (REGIE_IS_WINDOW (self), NULL);
  return self->dossier_page;
}

RegieSignInPage *
regie_window_get_sign_in_page (RegieWindow *self)
{
  g_return_val_if_fail (REGIE_IS_WINDOW (self), NULL);
  return self->sign_in_page;
}

gboolean
regie_window_is_signing_in (RegieWindow *self)
{
  g_return_val_if_fail (REGIE_IS_WINDOW (self), FALSE);
  return self->signing_in;
}

gboolean
regie_window_is_syncing (RegieWindow *self)
{
  g_return_val_if_fail (REGIE_IS_WINDOW (self), FALSE);
  return self->syncing;
}

const char *
regie_window_get_sync_status (RegieWindow *self)
{
  g_return_val_if_fail (REGIE_IS_WINDOW (self), NULL);
  return self->sync_status;
}

RegieConflictsWindow *
regie_window_get_conflicts_window (RegieWindow *self)
{
  g_return_val_if_fail (REGIE_IS_WINDOW (self), NULL);
  return self->conflicts_window;
}

RegieMyWeekView *
regie_window_get_my_week_view (RegieWindow *self)
{
  g_return_val_if_fail (REGIE_IS_WINDOW (self), NULL);
  return self->my_week_view;
}

RegieCaseloadSummaries *
regie_window_get_summaries (RegieWindow *self)
{
  g_return_val_if_fail (REGIE_IS_WINDOW (self), NULL);
  return self->summaries;
}

void
regie_window_show_list (RegieWindow *self,
                        const char  *name)
{
  g_return_if_fail (REGIE_IS_WINDOW (self));

  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, self->sidebar);
  adw_view_stack_set_visible_child_name (self->list_stack, name);
}

RegieWindow *
regie_window_new (RegieApplication *application)
{
  g_return_val_if_fail (REGIE_IS_APPLICATION (application), NULL);

  return g_object_new (REGIE_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

static void
lock_after_idle_changed_cb (RegieWindow *self)
{
  regie_auto_lock_set_idle_seconds (self->auto_lock,
                                    g_settings_get_uint (self->settings, "lock-after-idle"));
}

static void
lock_page_sign_out_cb (RegieWindow *self)
{
  g_action_group_activate_action (G_ACTION_GROUP (self), "sign-out", NULL);
}

static void
regie_window_constructed (GObject *object)
{
  RegieWindow *self = REGIE_WINDOW (object);
  GtkApplication *application;
  g_autofree char *last_server = NULL;
  g_autofree char *last_user = NULL;

  G_OBJECT_CLASS (regie_window_parent_class)->constructed (object);

  application = gtk_window_get_application (GTK_WINDOW (self));
  if (REGIE_IS_APPLICATION (application))
    self->settings = g_object_ref (regie_application_get_settings (REGIE_APPLICATION (application)));
  else
    self->settings = g_settings_new (APP_ID);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  /* Defaults from the preferences; the menus change them for this window. */
  g_settings_bind (self->settings, "caseload-sort", self->caseload_view, "sort", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "deadline-days", self->caseload_view, "deadline-days", G_SETTINGS_BIND_GET);

  /* The locked screen, and what decides when to show it. */
  self->lock_page = REGIE_LOCK_PAGE (regie_lock_page_new ());
  g_signal_connect_object (self->lock_page, "unlock", G_CALLBACK (lock_page_unlock_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->lock_page, "sign-out", G_CALLBACK (lock_page_sign_out_cb), self, G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->main_stack, GTK_WIDGET (self->lock_page), "locked");
  self->auto_lock = regie_auto_lock_new (GTK_WINDOW (self));
  g_signal_connect_object (self->auto_lock, "lock", G_CALLBACK (auto_lock_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::lock-after-idle",
                           G_CALLBACK (lock_after_idle_changed_cb), self, G_CONNECT_SWAPPED);
  lock_after_idle_changed_cb (self);

  last_server = g_settings_get_string (self->settings, "last-server");
  last_user = g_settings_get_string (self->settings, "last-user");
  regie_sign_in_page_set_fields (self->sign_in_page, last_server, last_user, NULL);
  regie_sign_in_page_focus (self->sign_in_page);
}

static void
regie_window_dispose (GObject *object)
{
  RegieWindow *self = REGIE_WINDOW (object);

  if (self->conflicts_window != NULL)
    {
      GtkWindow *conflicts = GTK_WINDOW (self->conflicts_window);

      g_clear_weak_pointer (&self->conflicts_window);
      gtk_window_destroy (conflicts);
    }

  if (self->cancellable != NULL)
    end_session (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  g_clear_pointer (&self->note_drafts, regie_note_drafts_free);
  g_clear_object (&self->auto_lock);

  gtk_widget_dispose_template (GTK_WIDGET (self), REGIE_TYPE_WINDOW);

  g_clear_object (&self->settings);
  g_clear_object (&self->summaries);

  G_OBJECT_CLASS (regie_window_parent_class)->dispose (object);
}

static void
regie_window_finalize (GObject *object)
{
  RegieWindow *self = REGIE_WINDOW (object);

  g_free (self->sync_status);
  g_hash_table_unref (self->changed_ids);

  G_OBJECT_CLASS (regie_window_parent_class)->finalize (object);
}

static void
regie_window_class_init (RegieWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  regie_ui_init_resources ();

  object_class->constructed = regie_window_constructed;
  object_class->dispose = regie_window_dispose;
  object_class->finalize = regie_window_finalize;

  window_class->close_request = regie_window_close_request;

  g_type_ensure (REGIE_TYPE_SIGN_IN_PAGE);
  g_type_ensure (REGIE_TYPE_CASELOAD_VIEW);
  g_type_ensure (REGIE_TYPE_DOSSIER_PAGE);
  g_type_ensure (REGIE_TYPE_MY_WEEK_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/regie/Regie/regie-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RegieWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RegieWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, RegieWindow, sign_in_page);
  gtk_widget_class_bind_template_child (widget_class, RegieWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, RegieWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, RegieWindow, content);
  gtk_widget_class_bind_template_child (widget_class, RegieWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, RegieWindow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, RegieWindow, sync_button_stack);
  gtk_widget_class_bind_template_child (widget_class, RegieWindow, sync_spinner);
  gtk_widget_class_bind_template_child (widget_class, RegieWindow, caseload_view);
  gtk_widget_class_bind_template_child (widget_class, RegieWindow, dossier_page);
  gtk_widget_class_bind_template_child (widget_class, RegieWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, RegieWindow, my_week_view);
  gtk_widget_class_bind_template_child (widget_class, RegieWindow, conflicts_revealer);
  gtk_widget_class_bind_template_child (widget_class, RegieWindow, conflicts_label);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_page_sign_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, caseload_view_dossier_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, my_week_view_dossier_activated_cb);
}

static void
regie_window_init (RegieWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Hidden until a sign-in starts (sign_in_page_sign_in_cb()): the main
   * stack measures every page, and laying out the caseload and the
   * dossier page (~100 ms) would delay showing the sign-in page. */
  gtk_widget_set_visible (GTK_WIDGET (self->leaflet), FALSE);

  self->cancellable = g_cancellable_new ();

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions,
                                   G_N_ELEMENTS (win_actions), self);
  set_action_enabled (self, "sync", FALSE);
  set_action_enabled (self, "search", FALSE);
  set_action_enabled (self, "back", FALSE);
  set_action_enabled (self, "sign-out", FALSE);
  set_action_enabled (self, "next-dossier", FALSE);
  set_action_enabled (self, "previous-dossier", FALSE);
  set_action_enabled (self, "new-note", FALSE);

  self->changed_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->summaries = regie_caseload_summaries_new ();
  regie_caseload_view_set_summaries (self->caseload_view, self->summaries);
  regie_my_week_view_set_sources (self->my_week_view, self->summaries, self->caseload_view);

  self->note_drafts = regie_note_drafts_new (self->dossier_page);
  g_signal_connect_object (gtk_text_view_get_buffer (regie_dossier_page_get_note_view (self->dossier_page)),
                           "changed", G_CALLBACK (update_draft_actions), self, G_CONNECT_SWAPPED);
  update_draft_actions (self);

  g_signal_connect_object (self->main_stack, "notify::visible-child-name",
                           G_CALLBACK (main_stack_changed_cb), self, G_CONNECT_SWAPPED);

  update_sync_status (self);
}
