/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-users-view"

#include "config.h"

#include "gt-widget-util.h"
#include <glib/gi18n.h>

#include "gt-users-view.h"

static const char *const roles[] = { "cashier", "manager", "admin" };

struct _GtUsersView
{
  GtkWidget parent_instance;

  GtClient  *client;
  JsonArray *users;
  char      *message;

  GtkListBox          *user_list;
  AdwEntryRow         *username_row;
  AdwEntryRow         *name_row;
  AdwPasswordEntryRow *password_row;
  AdwComboRow         *role_row;
  AdwActionRow        *answer_row;
  AdwToastOverlay     *toast_overlay;
};

G_DEFINE_FINAL_TYPE (GtUsersView, gt_users_view, GTK_TYPE_WIDGET)

static const char *
role_label (const char *role)
{
  if (g_strcmp0 (role, "admin") == 0)
    return _ ("Administrator");
  if (g_strcmp0 (role, "manager") == 0)
    return _ ("Manager");
  return _ ("Cashier");
}

static guint
role_index (const char *role)
{
  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    if (g_strcmp0 (roles[i], role) == 0)
      return i;
  return 0;
}

static void
set_message (GtUsersView *self, const char *message)
{
  g_free (self->message);
  self->message = g_strdup (message ? message : "");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->answer_row), self->message);
}

/* Says how a user's save went; TRUE when it was saved. */
static gboolean
show_answer (GtUsersView *self, GObject *client, GAsyncResult *result)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) user = gt_client_call_finish (GT_CLIENT (client), result, &error);
  g_autofree char *text = NULL;

  if (user == NULL)
    {
      set_message (self, gt_client_error_is_network (error)
                           ? _ ("The server does not answer: nothing was changed")
                           : error->message);
      return FALSE;
    }
  text = g_strdup_printf (_ ("%s (%s) is saved"),
                          json_object_get_string_member_with_default (user, "display_name", ""),
                          json_object_get_string_member_with_default (user, "username", ""));
  set_message (self, text);
  gt_users_view_refresh (self);
  return TRUE;
}

/* A user's changes are saved from inside the list, far from the form's
 * answer row: said where the manager is looking. */
static void
toast (GtUsersView *self)
{
  gt_add_toast (self->toast_overlay, self->message);
}

static void
on_answer_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtUsersView) self = user_data;

  show_answer (self, object, result);
  toast (self);
}

/* Refused, the form keeps what was typed (the password too), to be
 * mended; saved, it is empty for the next user. */
static void
on_added_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtUsersView) self = user_data;

  if (show_answer (self, object, result))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->username_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
    }
}

static void
on_row_save_clicked_cb (GtkButton *button, GtUsersView *self)
{
  GtkWidget   *row = g_object_get_data (G_OBJECT (button), "row");
  JsonObject  *user = g_object_get_data (G_OBJECT (row), "user");
  GtkDropDown *role = g_object_get_data (G_OBJECT (row), "role");
  GtkSwitch   *active = g_object_get_data (G_OBJECT (row), "active");
  GtkEditable *password = g_object_get_data (G_OBJECT (row), "password");

  gt_users_view_update (self, json_object_get_int_member (user, "id"),
                        roles[MIN (gtk_drop_down_get_selected (role), G_N_ELEMENTS (roles) - 1)],
                        gtk_switch_get_active (active), gtk_editable_get_text (password));
}

static GtkWidget *
make_user_row (GtUsersView *self, JsonObject *user)
{
  GtkWidget *row = gt_plain_expander_row_new ();
  GtkWidget *role_row = gt_plain_action_row_new ();
  GtkWidget *active_row = gt_plain_action_row_new ();
  GtkWidget *password_row = adw_password_entry_row_new ();
  GtkWidget *save_row = gt_plain_action_row_new ();
  GtkWidget *role = gtk_drop_down_new_from_strings (
    (const char *const[]){ _ ("Cashier"), _ ("Manager"), _ ("Administrator"), NULL });
  GtkWidget       *active = gtk_switch_new ();
  GtkWidget       *save = gtk_button_new_with_mnemonic (_ ("_Save Changes"));
  gboolean         is_active = json_object_get_boolean_member_with_default (user, "active", TRUE);
  g_autofree char *subtitle =
    g_strdup_printf ("%s · %s%s", json_object_get_string_member_with_default (user, "username", ""),
                     role_label (json_object_get_string_member_with_default (user, "role", "")),
                     is_active ? "" : _ (" · deactivated"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 json_object_get_string_member_with_default (user, "display_name",
                                                                             ""));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (role_row), _ ("Role"));
  gtk_widget_set_valign (role, GTK_ALIGN_CENTER);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (role),
                              role_index (json_object_get_string_member (user, "role")));
  adw_action_row_add_suffix (ADW_ACTION_ROW (role_row), role);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (active_row), _ ("May sign in"));
  gtk_widget_set_valign (active, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (active), is_active);
  adw_action_row_add_suffix (ADW_ACTION_ROW (active_row), active);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (active_row), active);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (password_row),
                                 _ ("New password (leave empty to keep it)"));

  gtk_widget_set_valign (save, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (save), "row", row);
  g_signal_connect_object (save, "clicked", G_CALLBACK (on_row_save_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (save_row), save);

  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), role_row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), active_row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), password_row);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), save_row);

  g_object_set_data_full (G_OBJECT (row), "user", json_object_ref (user),
                          (GDestroyNotify) json_object_unref);
  g_object_set_data (G_OBJECT (row), "role", role);
  g_object_set_data (G_OBJECT (row), "active", active);
  g_object_set_data (G_OBJECT (row), "password", password_row);
  return row;
}

static void
on_users_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtUsersView) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = gt_client_call_finish (GT_CLIENT (object), result, &error);
  GtkWidget *child;

  if (answer == NULL)
    {
      set_message (self, error->message);
      return;
    }
  g_clear_pointer (&self->users, json_array_unref);
  self->users = json_array_ref (json_object_get_array_member (answer, "users"));
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->user_list))) != NULL)
    gtk_list_box_remove (self->user_list, child);
  for (guint i = 0; i < json_array_get_length (self->users); i++)
    gtk_list_box_append (self->user_list,
                         make_user_row (self, json_array_get_object_element (self->users, i)));
}

static void
add_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtUsersView *self = GT_USERS_VIEW (widget);
  g_autoptr (JsonObject) body = json_object_new ();
  const char *username = gtk_editable_get_text (GTK_EDITABLE (self->username_row));
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  /* Nothing typed is said here; what the server asks of a name or a
   * password, the server says. */
  if (username[0] == '\0' || password[0] == '\0')
    {
      GtkWidget *empty = username[0] == '\0' ? GTK_WIDGET (self->username_row)
                                             : GTK_WIDGET (self->password_row);

      set_message (self, username[0] == '\0' ? _ ("Type a username for the new user")
                                             : _ ("Type a password for the new user"));
      gtk_widget_grab_focus (empty);
      return;
    }
  json_object_set_string_member (body, "username", username);
  json_object_set_string_member (body, "display_name", name[0] ? name : username);
  json_object_set_string_member (body, "password", password);
  json_object_set_string_member (
    body, "role",
    roles[MIN (adw_combo_row_get_selected (self->role_row), G_N_ELEMENTS (roles) - 1)]);
  set_message (self, _ ("Saving…"));
  gt_client_call_async (self->client, "POST", "/users", body, NULL, NULL, on_added_cb,
                        g_object_ref (self));
}

static void
gt_users_view_dispose (GObject *object)
{
  GtUsersView *self = (GtUsersView *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), GT_TYPE_USERS_VIEW);
  gt_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->client);

  G_OBJECT_CLASS (gt_users_view_parent_class)->dispose (object);
}

static void
gt_users_view_finalize (GObject *object)
{
  GtUsersView *self = (GtUsersView *) object;

  g_clear_pointer (&self->users, json_array_unref);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (gt_users_view_parent_class)->finalize (object);
}

static void
gt_users_view_class_init (GtUsersViewClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gt_users_view_dispose;
  object_class->finalize = gt_users_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/id/goticket/GoTicket/ui/gt-users-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GtUsersView, user_list);
  gtk_widget_class_bind_template_child (widget_class, GtUsersView, username_row);
  gtk_widget_class_bind_template_child (widget_class, GtUsersView, name_row);
  gtk_widget_class_bind_template_child (widget_class, GtUsersView, password_row);
  gtk_widget_class_bind_template_child (widget_class, GtUsersView, role_row);
  gtk_widget_class_bind_template_child (widget_class, GtUsersView, answer_row);
  gtk_widget_class_bind_template_child (widget_class, GtUsersView, toast_overlay);
  gtk_widget_class_install_action (widget_class, "users.add", NULL, add_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
gt_users_view_init (GtUsersView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->message = g_strdup ("");
}

void
gt_users_view_set_client (GtUsersView *self, GtClient *client)
{
  g_return_if_fail (GT_IS_USERS_VIEW (self));
  g_set_object (&self->client, client);
}

void
gt_users_view_refresh (GtUsersView *self)
{
  g_return_if_fail (GT_IS_USERS_VIEW (self));

  if (self->client != NULL)
    gt_client_call_async (self->client, "GET", "/users", NULL, NULL, NULL, on_users_cb,
                          g_object_ref (self));
}

void
gt_users_view_add (GtUsersView *self,
                   const char  *username,
                   const char  *display_name,
                   const char  *password,
                   const char  *role)
{
  g_return_if_fail (GT_IS_USERS_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->username_row), username);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), display_name);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
  adw_combo_row_set_selected (self->role_row, role_index (role));
  gtk_widget_activate_action (GTK_WIDGET (self), "users.add", NULL);
}

const char *
gt_users_view_get_message (GtUsersView *self)
{
  g_return_val_if_fail (GT_IS_USERS_VIEW (self), NULL);
  return self->message;
}

JsonArray *
gt_users_view_get_users (GtUsersView *self)
{
  g_return_val_if_fail (GT_IS_USERS_VIEW (self), NULL);
  return self->users;
}

void
gt_users_view_update (GtUsersView *self,
                      gint64       user_id,
                      const char  *role,
                      gboolean     active,
                      const char  *password)
{
  g_autoptr (JsonObject) body = json_object_new ();
  g_autofree char *path = g_strdup_printf ("/users/%" G_GINT64_FORMAT, user_id);
  JsonObject      *user = NULL;

  g_return_if_fail (GT_IS_USERS_VIEW (self));

  for (guint i = 0; self->users && i < json_array_get_length (self->users); i++)
    if (json_object_get_int_member (json_array_get_object_element (self->users, i), "id")
        == user_id)
      user = json_array_get_object_element (self->users, i);

  /* Only what changed: a manager may not even send a cashier's own role. */
  if (role != NULL
      && (user == NULL || g_strcmp0 (json_object_get_string_member (user, "role"), role) != 0))
    json_object_set_string_member (body, "role", role);
  if (user == NULL || json_object_get_boolean_member_with_default (user, "active", TRUE) != active)
    json_object_set_boolean_member (body, "active", active);
  if (password != NULL && password[0] != '\0')
    json_object_set_string_member (body, "password", password);
  if (json_object_get_size (body) == 0)
    {
      set_message (self, _ ("Nothing to change"));
      toast (self);
      return;
    }
  set_message (self, _ ("Saving…"));
  gt_client_call_async (self->client, "PATCH", path, body, NULL, NULL, on_answer_cb,
                        g_object_ref (self));
}
