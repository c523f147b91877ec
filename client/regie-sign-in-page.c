/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>

#include "regie-sign-in-page.h"

struct _RegieSignInPage
{
  AdwBin       parent_instance;

  AdwEntryRow *server_row;
  AdwEntryRow *user_row;
  AdwEntryRow *password_row;
  GtkLabel    *error_label;
  GtkButton   *sign_in_button;
  GtkSpinner  *spinner;
  GtkLabel    *sign_in_label;

  gboolean     busy;
};

G_DEFINE_FINAL_TYPE (RegieSignInPage, regie_sign_in_page, ADW_TYPE_BIN)

enum {
  SIGNAL_SIGN_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static gboolean
has_text (AdwEntryRow *row)
{
  const char *text = row_text (row);

  for (; *text != '\0'; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return TRUE;

  return FALSE;
}

static gboolean
fields_complete (RegieSignInPage *self)
{
  return has_text (self->server_row) && has_text (self->user_row) &&
         row_text (self->password_row)[0] != '\0';
}

static void
update_button (RegieSignInPage *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button),
                            !self->busy && fields_complete (self));
}

void
regie_sign_in_page_submit (RegieSignInPage *self)
{
  g_autofree char *server = NULL;
  g_autofree char *user = NULL;

  g_return_if_fail (REGIE_IS_SIGN_IN_PAGE (self));

  if (self->busy || !fields_complete (self))
    return;

  server = g_strstrip (g_strdup (row_text (self->server_row)));
  user = g_strstrip (g_strdup (row_text (self->user_row)));

  g_signal_emit (self, signals[SIGNAL_SIGN_IN], 0,
                 server, user, row_text (self->password_row));
}

static void
sign_in_button_clicked_cb (RegieSignInPage *self)
{
  regie_sign_in_page_submit (self);
}

static void
row_changed_cb (RegieSignInPage *self)
{
  update_button (self);
}

static void
server_row_activated_cb (RegieSignInPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->user_row));
}

static void
user_row_activated_cb (RegieSignInPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
password_row_activated_cb (RegieSignInPage *self)
{
  regie_sign_in_page_submit (self);
}

void
regie_sign_in_page_set_fields (RegieSignInPage *self,
                               const char      *server_url,
                               const char      *username,
                               const char      *password)
{
  g_return_if_fail (REGIE_IS_SIGN_IN_PAGE (self));

  if (server_url != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), server_url);
  if (username != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->user_row), username);
  if (password != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
}

const char *
regie_sign_in_page_get_server (RegieSignInPage *self)
{
  g_return_val_if_fail (REGIE_IS_SIGN_IN_PAGE (self), NULL);
  return row_text (self->server_row);
}

const char *
regie_sign_in_page_get_username (RegieSignInPage *self)
{
  g_return_val_if_fail (REGIE_IS_SIGN_IN_PAGE (self), NULL);
  return row_text (self->user_row);
}

void
regie_sign_in_page_set_busy (RegieSignInPage *self,
                             gboolean         busy)
{
  g_return_if_fail (REGIE_IS_SIGN_IN_PAGE (self));

  self->busy = !!busy;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->busy);
  gtk_spinner_set_spinning (self->spinner, self->busy);
  gtk_label_set_text_with_mnemonic (self->sign_in_label,
                                    self->busy ? _("Signing In…") : _("_Sign In"));
  /* Not insensitive: GTK 4.8 leaves the cursor blinking in a focused entry
   * that turns insensitive and warns about it. Read-only does the job. */
  gtk_editable_set_editable (GTK_EDITABLE (self->server_row), !self->busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->user_row), !self->busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->password_row), !self->busy);
  if (self->busy)
    regie_sign_in_page_set_error (self, NULL);
  update_button (self);
}

void
regie_sign_in_page_set_error (RegieSignInPage *self,
                              const char      *message)
{
  g_return_if_fail (REGIE_IS_SIGN_IN_PAGE (self));

  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);

  /* Screen readers announce the error with the button it belongs to. */
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->sign_in_button),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->sign_in_button),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

const char *
regie_sign_in_page_get_error (RegieSignInPage *self)
{
  g_return_val_if_fail (REGIE_IS_SIGN_IN_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;

  return gtk_label_get_text (self->error_label);
}

void
regie_sign_in_page_clear_password (RegieSignInPage *self)
{
  g_return_if_fail (REGIE_IS_SIGN_IN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
}

void
regie_sign_in_page_focus (RegieSignInPage *self)
{
  g_return_if_fail (REGIE_IS_SIGN_IN_PAGE (self));

  if (!has_text (self->server_row))
    gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
  else if (!has_text (self->user_row))
    gtk_widget_grab_focus (GTK_WIDGET (self->user_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
regie_sign_in_page_class_init (RegieSignInPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  /**
   * RegieSignInPage::sign-in:
   * @server_url: the server address as typed, trimmed
   * @username: the user name, trimmed
   * @password: the password
   */
  signals[SIGNAL_SIGN_IN] =
    g_signal_new ("sign-in",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/regie/Regie/regie-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RegieSignInPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, RegieSignInPage, user_row);
  gtk_widget_class_bind_template_child (widget_class, RegieSignInPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, RegieSignInPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, RegieSignInPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, RegieSignInPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, RegieSignInPage, sign_in_label);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, server_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, user_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, password_row_activated_cb);
}

static void
regie_sign_in_page_init (RegieSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
