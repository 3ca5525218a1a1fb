/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gt-checkout-page.h"
#include "gt-door-page.h"
#include "gt-first-run-page.h"
#include "gt-format.h"
#include "gt-json.h"
#include "gt-login-page.h"
#include "gt-manage-page.h"
#include "gt-sale-page.h"
#include "gt-sales-page.h"
#include "gt-schedule-page.h"
#include "gt-ticket-page.h"
#include "gt-widget-util.h"
#include "gt-window-private.h"

struct _GtWindow
{
  AdwApplicationWindow parent_instance;

  GtClient     *client;
  GtReplica    *replica;
  GSettings    *settings;
  JsonObject   *config;
  JsonObject   *user;
  GCancellable *cancellable;
  char         *last_toast;
  guint         config_retry_id; /* asks the server again while it does not answer */

  AdwToastOverlay *toasts;
  AdwWindowTitle  *window_title;
  GtkWidget       *back_button;
  GtkLabel        *user_label;
  GtkLabel        *connection_label;
  GtkRevealer     *banner;
  GtkLabel        *banner_label;
  GtkStack        *stack;
  AdwStatusPage   *status_page;
  GtkWidget       *unreachable_box;
  GtFirstRunPage  *first_run_page;
  GtLoginPage     *login_page;
  GtSchedulePage  *schedule_page;
  GtSalePage      *sale_page;
  GtCheckoutPage  *checkout_page;
  GtTicketPage    *ticket_page;
  GtSalesPage     *sales_page;
  GtManagePage    *manage_page;
  GtDoorPage      *door_page;
};

G_DEFINE_FINAL_TYPE (GtWindow, gt_window, ADW_TYPE_APPLICATION_WINDOW)

static void fetch_config (GtWindow *self);

/* Managers and admins; the server checks again on every request. */
static gboolean
is_manager (GtWindow *self)
{
  const char *role = self->user
                       ? json_object_get_string_member_with_default (self->user, "role", "")
                       : "";

  return g_str_equal (role, "manager") || g_str_equal (role, "admin");
}

static void
show_page (GtWindow *self, const char *name)
{
  static const struct
  {
    const char *page;
    const char *title;
    gboolean    back;
  } pages[] = {
    { "starting", N_ ("Go-Ticket"), FALSE }, { "first-run", N_ ("Welcome"), FALSE },
    { "login", N_ ("Sign In"), FALSE },      { "schedule", N_ ("Schedule"), FALSE },
    { "sale", N_ ("Choose Seats"), TRUE },   { "checkout", N_ ("Payment"), TRUE },
    { "ticket", N_ ("Tickets"), FALSE },     { "sales", N_ ("Sales at This Counter"), TRUE },
    { "manage", N_ ("Manage"), TRUE },       { "door", N_ ("Door Check-In"), TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    if (g_str_equal (pages[i].page, name))
      {
        adw_window_title_set_title (self->window_title, _ (pages[i].title));
        gtk_widget_set_visible (self->back_button, pages[i].back);
      }
  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", self->user != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sales", self->user != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.manage", is_manager (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.door", self->user != NULL);
}

static void
update_subtitle (GtWindow *self)
{
  g_autofree char *subtitle = NULL;

  if (self->config != NULL)
    subtitle = g_strdup (json_object_get_string_member_with_default (self->config, "cinema", ""));
  adw_window_title_set_subtitle (self->window_title, subtitle ? subtitle : "");
}

/* The header always says how the link to the server is; the banner says
 * what that means for selling. */
static void
on_connection_changed_cb (GtWindow *self, GParamSpec *pspec, GtReplica *replica)
{
  GtConnection     connection = gt_replica_get_connection (replica);
  g_autofree char *since = NULL;
  g_autofree char *label = NULL;
  g_autofree char *text = NULL;

  /* In the cinema's time, as every other time on screen. */
  if (gt_replica_get_offline_since (replica) != 0)
    {
      g_autofree char *rfc3339 = gt_time_format (gt_replica_get_offline_since (replica)
                                                 * G_USEC_PER_SEC);
      since = gt_format_clock (rfc3339, self->config ? json_object_get_string_member_with_default (
                                          self->config, "timezone", "UTC")
                                                     : "UTC");
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->connection_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->connection_label), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->connection_label), "error");
  switch (connection)
    {
      case GT_CONNECTION_ONLINE:
        label = g_strdup (_ ("● Online"));
        gtk_widget_add_css_class (GTK_WIDGET (self->connection_label), "success");
        break;

      case GT_CONNECTION_CONNECTING:
        label = g_strdup (_ ("Connecting…"));
        break;

      case GT_CONNECTION_RECONNECTING:
        label = g_strdup (_ ("Reconnecting…"));
        gtk_widget_add_css_class (GTK_WIDGET (self->connection_label), "warning");
        text = g_strdup_printf (_ ("The server stopped answering at %s. Selling waits until it is "
                                   "back; the schedule and this counter's sales still work."),
                                since);
        break;

      case GT_CONNECTION_OFFLINE:
      default:
        label = g_strdup_printf (_ ("Offline since %s"), since);
        gtk_widget_add_css_class (GTK_WIDGET (self->connection_label), "error");
        text = g_strdup_printf (_ ("Offline since %s: nothing can be sold until the server "
                                   "answers. The schedule, this counter's sales and reprints "
                                   "still work."),
                                since);
        break;
    }

  gtk_label_set_label (self->connection_label, label);
  if (text != NULL)
    gtk_label_set_label (self->banner_label, text);
  gtk_revealer_set_reveal_child (self->banner, text != NULL && self->user != NULL);
}

/* Seconds between two attempts to reach a server that does not answer. */
#define CONFIG_RETRY_SECONDS 5

static gboolean
on_config_retry_cb (gpointer user_data)
{
  GtWindow *self = user_data;

  self->config_retry_id = 0;
  fetch_config (self);
  return G_SOURCE_REMOVE;
}

static void
on_config_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtWindow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) config = gt_client_call_finish (GT_CLIENT (object), result, &error);

  if (config == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Once started, the counter works on through an outage: the header
       * and its banner say so, the pages stay. */
      if (self->config != NULL)
        {
          gt_window_add_toast (self, _ ("The server still does not answer: this counter goes on "
                                        "without it"));
          return;
        }
      adw_status_page_set_title (self->status_page, _ ("The server does not answer"));
      adw_status_page_set_description (
        self->status_page,
        _ ("Check that the central server is running and that Preferences name it correctly. "
           "This counter asks again by itself every few seconds."));
      gtk_widget_set_visible (self->unreachable_box, TRUE);
      show_page (self, "starting");
      if (self->config_retry_id == 0)
        self->config_retry_id = g_timeout_add_seconds (CONFIG_RETRY_SECONDS, on_config_retry_cb,
                                                       self);
      return;
    }
  g_clear_handle_id (&self->config_retry_id, g_source_remove);
  gtk_widget_set_visible (self->unreachable_box, FALSE);

  g_clear_pointer (&self->config, json_object_unref);
  self->config = g_steal_pointer (&config);
  update_subtitle (self);
  gt_schedule_page_set_config (self->schedule_page, self->config);
  gt_sale_page_set_config (self->sale_page, self->config);
  gt_checkout_page_set_config (self->checkout_page, self->config);
  gt_ticket_page_set_config (self->ticket_page, self->config);

  if (json_object_get_boolean_member_with_default (self->config, "setup_needed", FALSE))
    show_page (self, "first-run");
  else if (self->user == NULL)
    {
      show_page (self, "login");
      gt_login_page_focus (self->login_page);
    }
}

static void
fetch_config (GtWindow *self)
{
  gt_client_get_config_async (self->client, self->cancellable, on_config_cb, g_object_ref (self));
}

static void
on_first_run_done_cb (GtWindow *self, GtFirstRunPage *page)
{
  if (gt_first_run_page_get_username (page) != NULL)
    gt_login_page_set_username (self->login_page, gt_first_run_page_get_username (page));
  fetch_config (self);
}

static void
on_signed_in_cb (GtWindow *self, JsonObject *answer, GtLoginPage *page)
{
  JsonObject      *user = json_object_get_object_member (answer, "user");
  g_autofree char *who = NULL;

  g_clear_pointer (&self->user, json_object_unref);
  self->user = json_object_ref (user);
  gt_client_set_token (self->client, json_object_get_string_member (answer, "token"));
  gt_replica_start (self->replica);
  gtk_widget_set_visible (GTK_WIDGET (self->connection_label), TRUE);
  /* At a door, the name given at sign-in is the door's. */
  gt_door_page_set_door (self->door_page,
                         json_object_get_string_member_with_default (answer, "counter", NULL));

  who = g_strdup_printf ("%s · %s", json_object_get_string_member (user, "display_name"),
                         json_object_get_string_member_with_default (answer, "counter", ""));
  gtk_label_set_label (self->user_label, who);
  gtk_widget_set_visible (GTK_WIDGET (self->user_label), TRUE);

  show_page (self, "schedule");
  gt_schedule_page_refresh (self->schedule_page);
  gt_schedule_page_focus (self->schedule_page);
}

static void
on_showtime_activated_cb (GtWindow *self, JsonObject *showtime, GtSchedulePage *page)
{
  gt_sale_page_set_showtime (self->sale_page, showtime);
  show_page (self, "sale");
  gt_sale_page_focus (self->sale_page);
}

static void
on_checkout_cb (GtWindow *self, JsonObject *sale, GtSalePage *page)
{
  gt_checkout_page_set_sale (self->checkout_page, sale);
  show_page (self, "checkout");
  gtk_widget_grab_focus (GTK_WIDGET (self->checkout_page));
}

/* The payment page follows the hold that the seat page keeps. */
static void
on_sale_hold_cb (GtWindow *self, GParamSpec *pspec, GtSalePage *page)
{
  gt_checkout_page_set_hold (self->checkout_page, gt_sale_page_get_hold (page));
}

static void
on_extend_cb (GtWindow *self, GtCheckoutPage *page)
{
  gtk_widget_activate_action (GTK_WIDGET (self->sale_page), "sale.extend", NULL);
}

static void
on_paid_cb (GtWindow *self, JsonObject *booking, GtCheckoutPage *page)
{
  gt_sale_page_forget_hold (self->sale_page);
  gt_ticket_page_set_booking (self->ticket_page, booking,
                              gt_sale_page_get_showtime (self->sale_page));
  show_page (self, "ticket");
  gt_ticket_page_focus (self->ticket_page);
}

static void
on_reprint_cb (GtWindow *self, JsonObject *booking, GtSalesPage *page)
{
  g_autoptr (JsonObject) known = NULL;
  JsonObject *showtime = gt_json_object_member (booking, "showtime");

  if (showtime == NULL)
    showtime = known = gt_replica_dup_showtime (
      self->replica, json_object_get_int_member_with_default (booking, "showtime_id", 0));
  if (showtime == NULL)
    {
      gt_window_add_toast (self, _ ("This sale's showtime is not known at this counter"));
      return;
    }
  gt_ticket_page_set_reprint (self->ticket_page, booking, showtime);
  show_page (self, "ticket");
  gt_ticket_page_focus (self->ticket_page);
}

static void
on_new_sale_cb (GtWindow *self, GtTicketPage *page)
{
  show_page (self, "schedule");
  gt_schedule_page_refresh (self->schedule_page);
  gt_schedule_page_focus (self->schedule_page);
}

static void
on_toast_cb (GtWindow *self, const char *message, GtkWidget *page)
{
  gt_window_add_toast (self, message);
}

static void
back_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtWindow   *self = GT_WINDOW (widget);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (g_str_equal (page, "sale"))
    {
      gt_sale_page_release (self->sale_page);
      show_page (self, "schedule");
      gt_schedule_page_refresh (self->schedule_page);
      gt_schedule_page_focus (self->schedule_page);
    }
  else if (g_str_equal (page, "checkout"))
    {
      show_page (self, "sale");
      gt_sale_page_focus (self->sale_page);
    }
  else if (g_str_equal (page, "ticket") || g_str_equal (page, "sales")
           || g_str_equal (page, "manage") || g_str_equal (page, "door"))
    on_new_sale_cb (self, self->ticket_page);
}

static void
door_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtWindow   *self = GT_WINDOW (widget);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (self->user == NULL)
    return;
  if (g_str_equal (page, "sale") || g_str_equal (page, "checkout"))
    gt_sale_page_release (self->sale_page);
  gt_door_page_refresh (self->door_page);
  show_page (self, "door");
  gt_door_page_focus (self->door_page);
}

static void
manage_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtWindow   *self = GT_WINDOW (widget);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (!is_manager (self))
    return;
  if (g_str_equal (page, "sale") || g_str_equal (page, "checkout"))
    gt_sale_page_release (self->sale_page);
  show_page (self, "manage");
  gt_manage_page_refresh (self->manage_page);
}

static void
sales_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtWindow   *self = GT_WINDOW (widget);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  /* Seats held for a customer are not left behind. */
  if (g_str_equal (page, "sale") || g_str_equal (page, "checkout"))
    gt_sale_page_release (self->sale_page);
  gt_sales_page_refresh (self->sales_page);
  show_page (self, "sales");
  gt_sales_page_focus (self->sales_page);
}

static void
retry_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtWindow   *self = GT_WINDOW (widget);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  fetch_config (self);
  gt_client_reconnect (self->client);
  if (self->replica != NULL)
    gt_replica_sync (self->replica);
  if (g_str_equal (page, "schedule"))
    gt_schedule_page_refresh (self->schedule_page);
  else if (g_str_equal (page, "sale"))
    gt_sale_page_refresh (self->sale_page);
}

static void
sign_out_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtWindow *self = GT_WINDOW (widget);

  gt_sale_page_release (self->sale_page);
  /* The server ends the session and frees its holds; the counter forgets it
   * at once either way. */
  if (gt_client_get_token (self->client) != NULL)
    gt_client_logout_async (self->client, NULL, NULL, NULL);
  gt_client_set_token (self->client, NULL);
  gt_replica_stop (self->replica);
  g_clear_pointer (&self->user, json_object_unref);
  gtk_widget_set_visible (GTK_WIDGET (self->user_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->connection_label), FALSE);
  gtk_revealer_set_reveal_child (self->banner, FALSE);
  gt_login_page_reset (self->login_page);
  show_page (self, "login");
  gt_login_page_focus (self->login_page);
}

static gboolean
gt_window_close_request (GtkWindow *window)
{
  GtWindow *self = GT_WINDOW (window);
  int       width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  gt_sale_page_release (self->sale_page);

  return GTK_WINDOW_CLASS (gt_window_parent_class)->close_request (window);
}

static void
gt_window_dispose (GObject *object)
{
  GtWindow *self = (GtWindow *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->config_retry_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), GT_TYPE_WINDOW);

  G_OBJECT_CLASS (gt_window_parent_class)->dispose (object);
}

static void
gt_window_finalize (GObject *object)
{
  GtWindow *self = (GtWindow *) object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->replica);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->config, json_object_unref);
  g_clear_pointer (&self->user, json_object_unref);
  g_clear_pointer (&self->last_toast, g_free);

  G_OBJECT_CLASS (gt_window_parent_class)->finalize (object);
}

static void
gt_window_class_init (GtWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = gt_window_dispose;
  object_class->finalize = gt_window_finalize;
  window_class->close_request = gt_window_close_request;

  g_type_ensure (GT_TYPE_FIRST_RUN_PAGE);
  g_type_ensure (GT_TYPE_LOGIN_PAGE);
  g_type_ensure (GT_TYPE_SCHEDULE_PAGE);
  g_type_ensure (GT_TYPE_SALE_PAGE);
  g_type_ensure (GT_TYPE_CHECKOUT_PAGE);
  g_type_ensure (GT_TYPE_TICKET_PAGE);
  g_type_ensure (GT_TYPE_SALES_PAGE);
  g_type_ensure (GT_TYPE_MANAGE_PAGE);
  g_type_ensure (GT_TYPE_DOOR_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/id/goticket/GoTicket/ui/gt-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GtWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, GtWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, GtWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, GtWindow, user_label);
  gtk_widget_class_bind_template_child (widget_class, GtWindow, connection_label);
  gtk_widget_class_bind_template_child (widget_class, GtWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, GtWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, GtWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, GtWindow, status_page);
  gtk_widget_class_bind_template_child (widget_class, GtWindow, unreachable_box);
  gtk_widget_class_bind_template_child (widget_class, GtWindow, first_run_page);
  gtk_widget_class_bind_template_child (widget_class, GtWindow, login_page);
  gtk_widget_class_bind_template_child (widget_class, GtWindow, schedule_page);
  gtk_widget_class_bind_template_child (widget_class, GtWindow, sale_page);
  gtk_widget_class_bind_template_child (widget_class, GtWindow, checkout_page);
  gtk_widget_class_bind_template_child (widget_class, GtWindow, ticket_page);
  gtk_widget_class_bind_template_child (widget_class, GtWindow, sales_page);
  gtk_widget_class_bind_template_child (widget_class, GtWindow, manage_page);
  gtk_widget_class_bind_template_child (widget_class, GtWindow, door_page);
  gtk_widget_class_bind_template_callback (widget_class, on_first_run_done_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_signed_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_showtime_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_checkout_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sale_hold_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_extend_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_paid_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_new_sale_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_reprint_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_toast_cb);

  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);
  gtk_widget_class_install_action (widget_class, "win.sales", NULL, sales_action);
  gtk_widget_class_install_action (widget_class, "win.manage", NULL, manage_action);
  gtk_widget_class_install_action (widget_class, "win.door", NULL, door_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK, "win.door", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK, "win.manage",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_j, GDK_CONTROL_MASK, "win.sales",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.retry", NULL);
}

static void
gt_window_init (GtWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

GtWindow *
gt_window_new (GtApplication *application)
{
  GtWindow   *self;
  const char *startup_error;

  g_return_val_if_fail (GT_IS_APPLICATION (application), NULL);

  self = g_object_new (GT_TYPE_WINDOW, "application", application, NULL);
  self->settings = g_object_ref (gt_application_get_settings (application));
  self->client = g_object_ref (gt_application_get_client (application));
  if (gt_application_get_replica (application) != NULL)
    self->replica = g_object_ref (gt_application_get_replica (application));

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  gt_first_run_page_set_client (self->first_run_page, self->client);
  gt_login_page_setup (self->login_page, self->client, self->settings);

  show_page (self, "starting");
  if ((startup_error = gt_application_get_startup_error (application)) != NULL)
    {
      g_autofree char *escaped = g_markup_escape_text (startup_error, -1);

      adw_status_page_set_title (self->status_page, _ ("Go-Ticket could not start"));
      adw_status_page_set_description (self->status_page, escaped);
    }
  else
    {
      /* Pages read the counter's store and sell through it. */
      gt_schedule_page_set_replica (self->schedule_page, self->replica);
      gt_sale_page_set_replica (self->sale_page, self->replica);
      gt_checkout_page_set_replica (self->checkout_page, self->replica);
      gt_sales_page_set_replica (self->sales_page, self->replica);
      gt_manage_page_set_replica (self->manage_page, self->replica);
      gt_door_page_set_replica (self->door_page, self->replica);
      g_signal_connect_object (self->replica, "notify::connection",
                               G_CALLBACK (on_connection_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->replica, "notify::offline-since",
                               G_CALLBACK (on_connection_changed_cb), self, G_CONNECT_SWAPPED);
      on_connection_changed_cb (self, NULL, self->replica);
      fetch_config (self);
    }

  return self;
}

const char *
gt_window_get_page (GtWindow *self)
{
  g_return_val_if_fail (GT_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

void
gt_window_add_toast (GtWindow *self, const char *message)
{
  g_return_if_fail (GT_IS_WINDOW (self));

  g_free (self->last_toast);
  self->last_toast = g_strdup (message);
  gt_add_toast (self->toasts, message);
}

GtLoginPage *
_gt_window_get_login_page (GtWindow *self)
{
  return self->login_page;
}

GtSchedulePage *
_gt_window_get_schedule_page (GtWindow *self)
{
  return self->schedule_page;
}

GtSalePage *
_gt_window_get_sale_page (GtWindow *self)
{
  return self->sale_page;
}

GtCheckoutPage *
_gt_window_get_checkout_page (GtWindow *self)
{
  return self->checkout_page;
}

GtTicketPage *
_gt_window_get_ticket_page (GtWindow *self)
{
  return self->ticket_page;
}

GtSalesPage *
_gt_window_get_sales_page (GtWindow *self)
{
  return self->sales_page;
}

GtManagePage *
_gt_window_get_manage_page (GtWindow *self)
{
  return self->manage_page;
}

GtDoorPage *
_gt_window_get_door_page (GtWindow *self)
{
  return self->door_page;
}

GtFirstRunPage *
_gt_window_get_first_run_page (GtWindow *self)
{
  return self->first_run_page;
}

const char *
_gt_window_get_connection_text (GtWindow *self)
{
  return gtk_label_get_label (self->connection_label);
}

gboolean
_gt_window_get_banner_shown (GtWindow *self)
{
  return gtk_revealer_get_reveal_child (self->banner);
}

const char *
_gt_window_get_last_toast (GtWindow *self)
{
  return self->last_toast;
}
