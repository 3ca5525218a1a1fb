/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-first-run-page"

#include "config.h"

#include "gt-widget-util.h"
#include <glib/gi18n.h>

#include "gt-first-run-page.h"

#define MIN_PASSWORD 4

struct _GtFirstRunPage
{
  GtkWidget parent_instance;

  GtClient *client;
  gboolean  busy;
  char     *username; /* of the administrator asked for; NULL for the demo */

  AdwEntryRow *username_row;
  AdwEntryRow *name_row;
  AdwEntryRow *password_row;
  AdwEntryRow *confirm_row;
  GtkLabel    *error_label;
  GtkWidget   *demo_button;
  GtkWidget   *create_button;
};

G_DEFINE_FINAL_TYPE (GtFirstRunPage, gt_first_run_page, GTK_TYPE_WIDGET)

enum
{
  DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
show_error (GtFirstRunPage *self, const char *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
on_changed_cb (GtFirstRunPage *self)
{
  const char *password = text_of (self->password_row);
  const char *confirm = text_of (self->confirm_row);
  gboolean    ok = text_of (self->username_row)[0] != '\0' && strlen (password) >= MIN_PASSWORD
                && g_str_equal (password, confirm);

  if (confirm[0] != '\0' && !g_str_equal (password, confirm))
    show_error (self, _ ("The two passwords differ"));
  else if (password[0] != '\0' && strlen (password) < MIN_PASSWORD)
    show_error (self, _ ("A password has at least 4 characters"));
  else
    show_error (self, NULL);
  gtk_widget_set_sensitive (self->create_button, ok && !self->busy);
  gtk_widget_set_sensitive (self->demo_button, !self->busy);
}

static void
on_setup_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtFirstRunPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = gt_client_call_finish (GT_CLIENT (object), result, &error);

  self->busy = FALSE;
  on_changed_cb (self);
  if (answer == NULL)
    {
      show_error (self, error->message);
      return;
    }
  g_signal_emit (self, signals[DONE], 0);
}

static void
setup (GtFirstRunPage *self, JsonObject *body)
{
  self->busy = TRUE;
  on_changed_cb (self);
  gt_client_setup_async (self->client, body, NULL, on_setup_cb, g_object_ref (self));
}

static void
on_demo_clicked_cb (GtFirstRunPage *self)
{
  g_autoptr (JsonObject) body = json_object_new ();

  json_object_set_boolean_member (body, "demo", TRUE);
  g_clear_pointer (&self->username, g_free);
  setup (self, body);
}

static void
on_create_clicked_cb (GtFirstRunPage *self)
{
  g_autoptr (JsonObject) body = json_object_new ();
  JsonObject *admin = json_object_new ();

  json_object_set_string_member (admin, "username", text_of (self->username_row));
  json_object_set_string_member (admin, "password", text_of (self->password_row));
  if (text_of (self->name_row)[0] != '\0')
    json_object_set_string_member (admin, "display_name", text_of (self->name_row));
  json_object_set_object_member (body, "admin", admin);
  g_free (self->username);
  self->username = g_strdup (text_of (self->username_row));
  setup (self, body);
}

/* Enter in a field: the account is made once the form is complete, as the
 * sign-in page signs in; before that the next field takes the focus. */
static void
on_entry_activated_cb (GtFirstRunPage *self, AdwEntryRow *row)
{
  AdwEntryRow *order[] = { self->username_row, self->name_row, self->password_row,
                           self->confirm_row };

  if (gtk_widget_get_sensitive (self->create_button))
    {
      on_create_clicked_cb (self);
      return;
    }
  for (guint i = 0; i + 1 < G_N_ELEMENTS (order); i++)
    if (order[i] == row)
      gtk_widget_grab_focus (GTK_WIDGET (order[i + 1]));
}

static void
gt_first_run_page_dispose (GObject *object)
{
  GtFirstRunPage *self = (GtFirstRunPage *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), GT_TYPE_FIRST_RUN_PAGE);
  gt_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->client);

  G_OBJECT_CLASS (gt_first_run_page_parent_class)->dispose (object);
}

static void
gt_first_run_page_finalize (GObject *object)
{
  GtFirstRunPage *self = (GtFirstRunPage *) object;

  g_free (self->username);

  G_OBJECT_CLASS (gt_first_run_page_parent_class)->finalize (object);
}

static void
gt_first_run_page_class_init (GtFirstRunPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gt_first_run_page_dispose;
  object_class->finalize = gt_first_run_page_finalize;

  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/id/goticket/GoTicket/ui/gt-first-run-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, GtFirstRunPage, username_row);
  gtk_widget_class_bind_template_child (widget_class, GtFirstRunPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, GtFirstRunPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, GtFirstRunPage, confirm_row);
  gtk_widget_class_bind_template_child (widget_class, GtFirstRunPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, GtFirstRunPage, demo_button);
  gtk_widget_class_bind_template_child (widget_class, GtFirstRunPage, create_button);
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_demo_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_create_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated_cb);
}

static void
gt_first_run_page_init (GtFirstRunPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
gt_first_run_page_set_client (GtFirstRunPage *self, GtClient *client)
{
  g_return_if_fail (GT_IS_FIRST_RUN_PAGE (self));
  g_set_object (&self->client, client);
}

const char *
gt_first_run_page_get_username (GtFirstRunPage *self)
{
  g_return_val_if_fail (GT_IS_FIRST_RUN_PAGE (self), NULL);

  return self->username;
}
