/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-login-page"

#include "config.h"

#include "gt-widget-util.h"
#include <glib/gi18n.h>

#include "gt-login-page.h"

struct _GtLoginPage
{
  GtkWidget parent_instance;

  GtClient     *client;
  GSettings    *settings;
  GCancellable *cancellable;

  AdwEntryRow *username_row;
  AdwEntryRow *password_row;
  AdwEntryRow *counter_row;
  GtkLabel    *error_label;
  GtkButton   *sign_in_button;
};

G_DEFINE_FINAL_TYPE (GtLoginPage, gt_login_page, GTK_TYPE_WIDGET)

enum
{
  SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (GtLoginPage *self, const char *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update_sensitivity (GtLoginPage *self)
{
  gboolean    busy = self->cancellable != NULL;
  const char *username = gtk_editable_get_text (GTK_EDITABLE (self->username_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button),
                            !busy && username[0] != '\0' && password[0] != '\0');
}

static void
on_login_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtLoginPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = gt_client_call_finish (GT_CLIENT (object), result, &error);

  g_clear_object (&self->cancellable);
  update_sensitivity (self);

  if (answer == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (g_error_matches (error, GT_ERROR, GT_ERROR_INVALID_CREDENTIALS))
        show_error (self, _ ("Wrong username or password"));
      else if (g_error_matches (error, GT_ERROR, GT_ERROR_TOO_MANY_ATTEMPTS))
        {
          JsonObject      *details = gt_error_get_details (error);
          gint64           wait = details
                                    ? json_object_get_int_member_with_default (details, "retry_after", 60)
                                    : 60;
          g_autofree char *text = g_strdup_printf (
            ngettext ("Too many wrong attempts. Try again in %d minute.",
                      "Too many wrong attempts. Try again in %d minutes.", (wait + 59) / 60),
            (int) ((wait + 59) / 60));
          show_error (self, text);
        }
      else if (gt_client_error_is_network (error))
        show_error (self, _ ("The server does not answer. Check the connection and try again."));
      else
        show_error (self, error->message);
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }

  g_settings_set_string (self->settings, "last-user",
                         gtk_editable_get_text (GTK_EDITABLE (self->username_row)));
  g_settings_set_string (self->settings, "counter-name",
                         gtk_editable_get_text (GTK_EDITABLE (self->counter_row)));
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  show_error (self, NULL);
  g_signal_emit (self, signals[SIGNED_IN], 0, answer);
}

static void
on_sign_in_clicked_cb (GtLoginPage *self)
{
  const char *username = gtk_editable_get_text (GTK_EDITABLE (self->username_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  if (self->cancellable != NULL || username[0] == '\0' || password[0] == '\0')
    return;

  show_error (self, NULL);
  self->cancellable = g_cancellable_new ();
  update_sensitivity (self);
  gt_client_login_async (self->client, username, password,
                         gtk_editable_get_text (GTK_EDITABLE (self->counter_row)),
                         self->cancellable, on_login_cb, g_object_ref (self));
}

static void
on_changed_cb (GtLoginPage *self)
{
  update_sensitivity (self);
}

static void
gt_login_page_dispose (GObject *object)
{
  GtLoginPage *self = (GtLoginPage *) object;

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), GT_TYPE_LOGIN_PAGE);
  gt_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->client);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gt_login_page_parent_class)->dispose (object);
}

static void
gt_login_page_class_init (GtLoginPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gt_login_page_dispose;

  /**
   * GtLoginPage::signed-in:
   * @answer: the answer of POST /sessions (token, user, counter)
   */
  signals[SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/id/goticket/GoTicket/ui/gt-login-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, GtLoginPage, username_row);
  gtk_widget_class_bind_template_child (widget_class, GtLoginPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, GtLoginPage, counter_row);
  gtk_widget_class_bind_template_child (widget_class, GtLoginPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, GtLoginPage, sign_in_button);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);
}

static void
gt_login_page_init (GtLoginPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
gt_login_page_setup (GtLoginPage *self, GtClient *client, GSettings *settings)
{
  g_autofree char *last_user = NULL;
  g_autofree char *counter = NULL;

  g_return_if_fail (GT_IS_LOGIN_PAGE (self));

  g_set_object (&self->client, client);
  g_set_object (&self->settings, settings);
  last_user = g_settings_get_string (settings, "last-user");
  counter = g_settings_get_string (settings, "counter-name");
  gtk_editable_set_text (GTK_EDITABLE (self->username_row), last_user);
  gtk_editable_set_text (GTK_EDITABLE (self->counter_row), counter);
}

void
gt_login_page_set_username (GtLoginPage *self, const char *username)
{
  g_return_if_fail (GT_IS_LOGIN_PAGE (self));
  g_return_if_fail (username != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->username_row), username);
}

void
gt_login_page_focus (GtLoginPage *self)
{
  g_return_if_fail (GT_IS_LOGIN_PAGE (self));

  if (gtk_editable_get_text (GTK_EDITABLE (self->username_row))[0] == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->username_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
  if (GTK_IS_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))))
    gtk_window_set_default_widget (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   GTK_WIDGET (self->sign_in_button));
}

void
gt_login_page_reset (GtLoginPage *self)
{
  g_return_if_fail (GT_IS_LOGIN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  show_error (self, NULL);
}

void
gt_login_page_sign_in (GtLoginPage *self, const char *username, const char *password)
{
  g_return_if_fail (GT_IS_LOGIN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->username_row), username);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
  gtk_widget_activate (GTK_WIDGET (self->sign_in_button));
}
