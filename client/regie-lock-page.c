/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "regie-lock-page.h"

struct _RegieLockPage
{
  AdwBin          parent_instance;

  AdwStatusPage  *status;
  GtkPasswordEntry *password;
  GtkButton      *unlock_button;
  GtkSpinner     *spinner;
  GtkLabel       *error_label;

  gboolean        busy;
};

G_DEFINE_FINAL_TYPE (RegieLockPage, regie_lock_page, ADW_TYPE_BIN)

enum {
  SIGNAL_UNLOCK,
  SIGNAL_SIGN_OUT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_button (RegieLockPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->password));

  gtk_widget_set_sensitive (GTK_WIDGET (self->unlock_button), !self->busy && text[0] != '\0');
}

static void
activate_cb (RegieLockPage *self)
{
  g_autofree char *password = NULL;

  if (self->busy || gtk_editable_get_text (GTK_EDITABLE (self->password))[0] == '\0')
    return;

  password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password)));
  regie_lock_page_set_error (self, NULL);
  g_signal_emit (self, signals[SIGNAL_UNLOCK], 0, password);
  memset (password, 0, strlen (password));
}

static void
sign_out_cb (RegieLockPage *self)
{
  g_signal_emit (self, signals[SIGNAL_SIGN_OUT], 0);
}

static void
regie_lock_page_class_init (RegieLockPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /**
   * RegieLockPage::unlock:
   * @password: what the user typed
   */
  signals[SIGNAL_UNLOCK] =
    g_signal_new ("unlock", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_SIGN_OUT] =
    g_signal_new ("sign-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "regie-lock-page");
}

static void
regie_lock_page_init (RegieLockPage *self)
{
  GtkWidget *clamp, *box, *button_box, *sign_out;

  GtkWidget *page, *header;

  /* A header bar like the other pages: the window stays movable. */
  page = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  gtk_widget_add_css_class (header, "flat");
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new ("", NULL));
  gtk_box_append (GTK_BOX (page), header);

  self->status = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->status, "system-lock-screen-symbolic");
  adw_status_page_set_title (self->status, _("Regie Is Locked"));
  gtk_widget_set_vexpand (GTK_WIDGET (self->status), TRUE);
  gtk_box_append (GTK_BOX (page), GTK_WIDGET (self->status));
  adw_bin_set_child (ADW_BIN (self), page);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 360);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  adw_status_page_set_child (self->status, clamp);

  self->password = GTK_PASSWORD_ENTRY (gtk_password_entry_new ());
  gtk_password_entry_set_show_peek_icon (self->password, TRUE);
  g_object_set (self->password, "placeholder-text", _("Password"), "activates-default", FALSE, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->password),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Password"),
                                  -1);
  g_signal_connect_swapped (self->password, "activate", G_CALLBACK (activate_cb), self);
  g_signal_connect_swapped (self->password, "changed", G_CALLBACK (update_button), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->password));

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0.5);
  gtk_label_set_justify (self->error_label, GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->error_label));

  button_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (button_box, GTK_ALIGN_CENTER);
  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  self->unlock_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Unlock")));
  gtk_widget_add_css_class (GTK_WIDGET (self->unlock_button), "suggested-action");
  gtk_widget_add_css_class (GTK_WIDGET (self->unlock_button), "pill");
  g_signal_connect_swapped (self->unlock_button, "clicked", G_CALLBACK (activate_cb), self);
  gtk_box_append (GTK_BOX (button_box), GTK_WIDGET (self->spinner));
  gtk_box_append (GTK_BOX (button_box), GTK_WIDGET (self->unlock_button));
  gtk_box_append (GTK_BOX (box), button_box);

  sign_out = gtk_button_new_with_mnemonic (_("_Sign Out"));
  gtk_widget_add_css_class (sign_out, "flat");
  gtk_widget_set_halign (sign_out, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (sign_out, _("Unsent changes stay on this computer"));
  g_signal_connect_swapped (sign_out, "clicked", G_CALLBACK (sign_out_cb), self);
  gtk_box_append (GTK_BOX (box), sign_out);

  regie_lock_page_set_user (self, NULL);
  update_button (self);
}

GtkWidget *
regie_lock_page_new (void)
{
  return g_object_new (REGIE_TYPE_LOCK_PAGE, NULL);
}

void
regie_lock_page_set_user (RegieLockPage *self,
                          const char    *display_name)
{
  g_autofree char *description = NULL;

  g_return_if_fail (REGIE_IS_LOCK_PAGE (self));

  if (display_name != NULL)
    /* Translators: %s is the name of the signed-in caseworker */
    description = g_strdup_printf (_("Enter the password of %s to continue. Unsent changes are kept safe on this computer."),
                                   display_name);
  else
    description = g_strdup (_("Enter your password to continue. Unsent changes are kept safe on this computer."));

  adw_status_page_set_description (self->status, description);
}

void
regie_lock_page_set_busy (RegieLockPage *self,
                          gboolean       busy)
{
  g_return_if_fail (REGIE_IS_LOCK_PAGE (self));

  self->busy = !!busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy);
  gtk_spinner_set_spinning (self->spinner, self->busy);
  /* Not insensitive: that would take the focus without a focus-out. */
  gtk_editable_set_editable (GTK_EDITABLE (self->password), !self->busy);
  update_button (self);
}

void
regie_lock_page_set_error (RegieLockPage *self,
                           const char    *message)
{
  g_return_if_fail (REGIE_IS_LOCK_PAGE (self));

  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->password), "");
      regie_lock_page_focus (self);
    }
}

const char *
regie_lock_page_get_error (RegieLockPage *self)
{
  g_return_val_if_fail (REGIE_IS_LOCK_PAGE (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
         ? gtk_label_get_text (self->error_label) : NULL;
}

void
regie_lock_page_reset (RegieLockPage *self)
{
  g_return_if_fail (REGIE_IS_LOCK_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->password), "");
  regie_lock_page_set_error (self, NULL);
  regie_lock_page_set_busy (self, FALSE);
}

void
regie_lock_page_focus (RegieLockPage *self)
{
  g_return_if_fail (REGIE_IS_LOCK_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->password));
}

void
regie_lock_page_submit (RegieLockPage *self,
                        const char    *password)
{
  g_return_if_fail (REGIE_IS_LOCK_PAGE (self));
  g_return_if_fail (password != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->password), password);
  activate_cb (self);
}
