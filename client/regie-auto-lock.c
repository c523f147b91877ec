/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include "regie-auto-lock.h"

struct _RegieAutoLock
{
  GObject          parent_instance;

  GtkWindow       *window;        /* weak */
  GtkEventController *key;
  GtkEventController *motion;
  GtkGesture      *click;
  GDBusConnection *system_bus;
  guint            sleep_subscription;
  gulong           screensaver_handler;

  guint            idle_seconds;
  gint64           last_input;    /* monotonic, µs */
  guint            timeout_source;
  gboolean         armed;
};

G_DEFINE_FINAL_TYPE (RegieAutoLock, regie_auto_lock, G_TYPE_OBJECT)

enum {
  SIGNAL_LOCK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void schedule (RegieAutoLock *self);

static void
request_lock (RegieAutoLock *self,
              const char    *reason)
{
  if (!self->armed)
    return;

  g_debug ("Locking: %s", reason);
  g_signal_emit (self, signals[SIGNAL_LOCK], 0, reason);
}

static gboolean
timeout_cb (gpointer user_data)
{
  RegieAutoLock *self = user_data;
  gint64 idle = g_get_monotonic_time () - self->last_input;

  self->timeout_source = 0;
  if (self->idle_seconds == 0 || !self->armed)
    return G_SOURCE_REMOVE;

  if (idle >= (gint64) self->idle_seconds * G_USEC_PER_SEC)
    request_lock (self, "idle");
  else
    schedule (self);

  return G_SOURCE_REMOVE;
}

/* One timer to the earliest moment the idle time can be over; input only
 * moves last_input, so a busy user costs no timer churn. */
static void
schedule (RegieAutoLock *self)
{
  gint64 due, now;

  g_clear_handle_id (&self->timeout_source, g_source_remove);
  if (!self->armed || self->idle_seconds == 0)
    return;

  now = g_get_monotonic_time ();
  due = self->last_input + (gint64) self->idle_seconds * G_USEC_PER_SEC;
  self->timeout_source = g_timeout_add_full (G_PRIORITY_DEFAULT,
                                             (guint) MAX (0, (due - now + 999) / 1000),
                                             timeout_cb, self, NULL);
  g_source_set_name_by_id (self->timeout_source, "[regie] idle lock");
}

static void
input_cb (RegieAutoLock *self)
{
  self->last_input = g_get_monotonic_time ();
}

static gboolean
key_pressed_cb (RegieAutoLock *self)
{
  input_cb (self);
  return GDK_EVENT_PROPAGATE;
}

static void
prepare_for_sleep_cb (GDBusConnection *connection,
                      const char      *sender_name,
                      const char      *object_path,
                      const char      *interface_name,
                      const char      *signal_name,
                      GVariant        *parameters,
                      gpointer         user_data)
{
  RegieAutoLock *self = user_data;
  gboolean starting = FALSE;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(b)")))
    return;

  g_variant_get (parameters, "(b)", &starting);
  if (starting)
    request_lock (self, "suspend");
}

static void
screensaver_cb (RegieAutoLock *self,
                GParamSpec    *pspec,
                GObject       *application)
{
  gboolean active = FALSE;

  g_object_get (application, "screensaver-active", &active, NULL);
  if (active)
    request_lock (self, "screensaver");
}

static void
system_bus_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(RegieAutoLock) self = user_data;
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus;

  bus = g_bus_get_finish (result, &error);
  if (bus == NULL)
    {
      /* No system bus (a container, a test): idle locking still works. */
      g_debug ("No system bus, no lock on suspend: %s", error->message);
      return;
    }

  self->system_bus = bus;
  self->sleep_subscription =
    g_dbus_connection_signal_subscribe (bus,
                                        "org.freedesktop.login1",
                                        "org.freedesktop.login1.Manager",
                                        "PrepareForSleep",
                                        "/org/freedesktop/login1",
                                        NULL,
                                        G_DBUS_SIGNAL_FLAGS_NONE,
                                        prepare_for_sleep_cb,
                                        self, NULL);
}

static void
regie_auto_lock_dispose (GObject *object)
{
  RegieAutoLock *self = REGIE_AUTO_LOCK (object);

  g_clear_handle_id (&self->timeout_source, g_source_remove);
  if (self->system_bus != NULL && self->sleep_subscription != 0)
    g_dbus_connection_signal_unsubscribe (self->system_bus, self->sleep_subscription);
  self->sleep_subscription = 0;
  g_clear_object (&self->system_bus);

  if (self->window != NULL)
    {
      GtkApplication *application = gtk_window_get_application (self->window);

      if (application != NULL)
        g_clear_signal_handler (&self->screensaver_handler, application);
      gtk_widget_remove_controller (GTK_WIDGET (self->window), self->key);
      gtk_widget_remove_controller (GTK_WIDGET (self->window), self->motion);
      gtk_widget_remove_controller (GTK_WIDGET (self->window), GTK_EVENT_CONTROLLER (self->click));
      g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
      self->window = NULL;
    }

  G_OBJECT_CLASS (regie_auto_lock_parent_class)->dispose (object);
}

static void
regie_auto_lock_class_init (RegieAutoLockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = regie_auto_lock_dispose;

  /**
   * RegieAutoLock::lock:
   * @reason: "idle", "suspend" or "screensaver"
   */
  signals[SIGNAL_LOCK] =
    g_signal_new ("lock", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
regie_auto_lock_init (RegieAutoLock *self)
{
  self->last_input = g_get_monotonic_time ();
}

RegieAutoLock *
regie_auto_lock_new (GtkWindow *window)
{
  RegieAutoLock *self;
  GtkApplication *application;

  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);

  self = g_object_new (REGIE_TYPE_AUTO_LOCK, NULL);
  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);

  /* Capture phase: input counts wherever it goes in the window. */
  self->key = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (self->key, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (self->key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (window), self->key);

  self->motion = gtk_event_controller_motion_new ();
  gtk_event_controller_set_propagation_phase (self->motion, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (self->motion, "motion", G_CALLBACK (input_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (window), self->motion);

  self->click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (self->click), 0);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (self->click), GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (self->click, "pressed", G_CALLBACK (input_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (window), GTK_EVENT_CONTROLLER (self->click));

  application = gtk_window_get_application (window);
  if (application != NULL &&
      g_object_class_find_property (G_OBJECT_GET_CLASS (application), "screensaver-active") != NULL)
    self->screensaver_handler =
      g_signal_connect_object (application, "notify::screensaver-active",
                               G_CALLBACK (screensaver_cb), self, G_CONNECT_SWAPPED);

  g_bus_get (G_BUS_TYPE_SYSTEM, NULL, system_bus_cb, g_object_ref (self));

  return self;
}

void
regie_auto_lock_set_armed (RegieAutoLock *self,
                           gboolean       armed)
{
  g_return_if_fail (REGIE_IS_AUTO_LOCK (self));

  self->armed = !!armed;
  /* Arming counts as input: the idle time starts now. */
  self->last_input = g_get_monotonic_time ();
  schedule (self);
}

gboolean
regie_auto_lock_get_armed (RegieAutoLock *self)
{
  g_return_val_if_fail (REGIE_IS_AUTO_LOCK (self), FALSE);

  return self->armed;
}

void
regie_auto_lock_set_idle_seconds (RegieAutoLock *self,
                                  guint          seconds)
{
  g_return_if_fail (REGIE_IS_AUTO_LOCK (self));

  self->idle_seconds = seconds;
  schedule (self);
}
