/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-checkout-page"

#include "config.h"

#include "gt-widget-util.h"
#include <glib/gi18n.h>

#include "gt-checkout-page.h"
#include "gt-format.h"
#include "gt-hold-timer.h"

struct _GtCheckoutPage
{
  GtkWidget parent_instance;

  GtReplica    *replica;
  JsonObject   *config;
  JsonObject   *sale;
  char         *idempotency_key;
  GCancellable *cancellable;
  gboolean      expired;     /* the hold ran out before a sale was made */
  gboolean      answer_lost; /* sent with this key, outcome not known yet */

  AdwActionRow    *movie_row;
  AdwActionRow    *when_row;
  AdwActionRow    *seats_row;
  GtkLabel        *total_label;
  GtkToggleButton *cash_toggle;
  GtkToggleButton *card_toggle;
  AdwEntryRow     *tendered_row;
  GtkWidget       *quick_row;
  GtkBox          *quick_box;
  GtkWidget       *change_row;
  GtkLabel        *change_label;
  AdwEntryRow     *reference_row;
  GtHoldTimer     *timer;
  AdwEntryRow     *customer_row;
  GtkLabel        *error_label;
  GtkWidget       *confirm_button;
};

G_DEFINE_FINAL_TYPE (GtCheckoutPage, gt_checkout_page, GTK_TYPE_WIDGET)

enum
{
  PAID,
  EXTEND,
  TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static int
decimals_of (GtCheckoutPage *self)
{
  return self->config
           ? json_object_get_int_member_with_default (self->config, "currency_decimals", 0)
           : 0;
}

static gint64
total_of (GtCheckoutPage *self)
{
  return self->sale ? json_object_get_int_member (self->sale, "total") : 0;
}

static void
show_error (GtCheckoutPage *self, const char *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update_change (GtCheckoutPage *self)
{
  gboolean cash = gtk_toggle_button_get_active (self->cash_toggle);
  gint64   tendered = gt_format_parse_amount (gtk_editable_get_text (
                                                GTK_EDITABLE (self->tendered_row)),
                                              decimals_of (self));
  gboolean enough = tendered >= total_of (self);

  if (cash && tendered >= 0)
    {
      g_autofree char *amount = gt_format_config_money (self->config,
                                                        ABS (tendered - total_of (self)));
      /* TRANSLATORS: %s is an amount of money still missing */
      g_autofree char *text = enough ? g_strdup (amount) : g_strdup_printf (_ ("%s short"), amount);

      gtk_label_set_label (self->change_label, text);
    }
  else
    gtk_label_set_label (self->change_label, "—");

  if (enough || tendered < 0)
    gtk_widget_remove_css_class (GTK_WIDGET (self->change_label), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->change_label), "error");

  gtk_widget_set_sensitive (self->confirm_button, self->cancellable == NULL && !self->expired
                                                    && (!cash || (tendered >= 0 && enough)));
}

/* Nothing can be sold on this hold any more; the cashier sees it at once,
 * before taking the customer's money. */
static void
hold_ran_out (GtCheckoutPage *self)
{
  self->expired = TRUE;
  show_error (self, _ ("The seats were held too long and went back on sale. Nothing was sold: go "
                       "back and choose the seats again."));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checkout.extend", FALSE);
  update_change (self);
}

/* A sale not yet made, with no answer to wait for, can no longer be made. */
static void
on_timer_expired_cb (GtCheckoutPage *self)
{
  if (self->sale != NULL && self->idempotency_key != NULL && self->cancellable == NULL
      && !self->answer_lost)
    hold_ran_out (self);
}

/* Puts @amount (minor units) into the cash field as a cashier would type it. */
static void
set_tendered (GtCheckoutPage *self, gint64 amount)
{
  g_autofree char *text = gt_format_config_amount (self->config, amount);

  gtk_editable_set_text (GTK_EDITABLE (self->tendered_row), text);
}

static void
on_quick_clicked_cb (GtkButton *button, GtCheckoutPage *self)
{
  set_tendered (self, GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "amount")));
  gtk_widget_grab_focus (self->confirm_button);
}

/* The exact amount, then the next round notes above it. */
static void
rebuild_quick_amounts (GtCheckoutPage *self)
{
  gint64     amounts[GT_QUICK_AMOUNTS_MAX];
  guint      n = gt_format_quick_amounts (total_of (self), decimals_of (self), amounts);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->quick_box))) != NULL)
    gtk_box_remove (self->quick_box, child);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *label = NULL;
      GtkWidget       *button;

      if (amounts[i] <= 0)
        continue;
      label = i == 0 ? g_strdup (_ ("Exact")) : gt_format_config_money (self->config, amounts[i]);
      button = gtk_button_new_with_label (label);
      gtk_widget_set_hexpand (button, TRUE);
      g_object_set_data (G_OBJECT (button), "amount", GSIZE_TO_POINTER ((gsize) amounts[i]));
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_quick_clicked_cb), self, 0);
      gtk_box_append (self->quick_box, button);
    }
}

static void
on_method_toggled_cb (GtCheckoutPage *self)
{
  gboolean cash = gtk_toggle_button_get_active (self->cash_toggle);

  gtk_widget_set_visible (GTK_WIDGET (self->tendered_row), cash);
  gtk_widget_set_visible (self->quick_row, cash);
  gtk_widget_set_visible (self->change_row, cash);
  gtk_widget_set_visible (GTK_WIDGET (self->reference_row), !cash);
  update_change (self);
  gtk_widget_grab_focus (cash ? GTK_WIDGET (self->tendered_row) : GTK_WIDGET (self->reference_row));
}

static void
on_tendered_changed_cb (GtCheckoutPage *self)
{
  if (!self->expired)
    show_error (self, NULL);
  update_change (self);
}

static void
on_checkout_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtCheckoutPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) booking = gt_replica_checkout_finish (GT_REPLICA (object), result, &error);

  g_clear_object (&self->cancellable);
  update_change (self);

  if (booking == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->answer_lost = gt_client_error_is_network (error);
      if (self->answer_lost)
        show_error (self, _ ("The server did not answer, so this sale is not confirmed yet: do not "
                             "hand out tickets. It is asked again by itself when the server is "
                             "back (never sold twice), and this page goes on then."));
      else if (g_error_matches (error, GT_ERROR, GT_ERROR_HOLD_EXPIRED))
        hold_ran_out (self);
      else if (g_error_matches (error, GT_ERROR, GT_ERROR_PAYMENT_INSUFFICIENT))
        show_error (self, _ ("The cash received is less than the total"));
      else
        show_error (self, error->message);
      return;
    }

  g_clear_pointer (&self->idempotency_key, g_free);
  g_signal_emit (self, signals[PAID], 0, booking);
}

static void
on_confirm_clicked_cb (GtCheckoutPage *self)
{
  g_autoptr (JsonObject) body = json_object_new ();
  JsonObject *payment = json_object_new ();
  JsonArray  *tickets = json_array_new ();
  JsonArray  *chosen;
  gboolean    cash = gtk_toggle_button_get_active (self->cash_toggle);

  if (self->sale == NULL || self->cancellable != NULL
      || !gtk_widget_get_sensitive (self->confirm_button))
    {
      json_object_unref (payment);
      json_array_unref (tickets);
      return;
    }

  chosen = json_object_get_array_member (self->sale, "tickets");
  for (guint i = 0; i < json_array_get_length (chosen); i++)
    {
      JsonObject *in = json_array_get_object_element (chosen, i);
      JsonObject *ticket = json_object_new ();

      json_object_set_string_member (ticket, "seat", json_object_get_string_member (in, "seat"));
      json_object_set_string_member (ticket, "type", json_object_get_string_member (in, "type"));
      json_array_add_object_element (tickets, ticket);
    }
  json_object_set_string_member (payment, "method", cash ? "cash" : "card");
  if (cash)
    json_object_set_int_member (payment, "tendered",
                                gt_format_parse_amount (gtk_editable_get_text (
                                                          GTK_EDITABLE (self->tendered_row)),
                                                        decimals_of (self)));
  else if (gtk_editable_get_text (GTK_EDITABLE (self->reference_row))[0] != '\0')
    json_object_set_string_member (payment, "reference",
                                   gtk_editable_get_text (GTK_EDITABLE (self->reference_row)));
  json_object_set_array_member (body, "tickets", tickets);
  json_object_set_object_member (body, "payment", payment);
  {
    g_autofree char *name = g_strstrip (
      g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->customer_row))));

    if (name[0] != '\0')
      {
        JsonObject *customer = json_object_new ();

        json_object_set_string_member (customer, "name", name);
        json_object_set_object_member (body, "customer", customer);
      }
  }

  show_error (self, NULL);
  self->cancellable = g_cancellable_new ();
  update_change (self);
  gt_replica_checkout_async (
    self->replica,
    json_object_get_int_member (json_object_get_object_member (self->sale, "hold"), "id"),
    self->idempotency_key, body, self->cancellable, on_checkout_cb, g_object_ref (self));
}

static void
confirm_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  on_confirm_clicked_cb (GT_CHECKOUT_PAGE (widget));
}

static void
extend_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  g_signal_emit (widget, signals[EXTEND], 0);
}

static void
gt_checkout_page_dispose (GObject *object)
{
  GtCheckoutPage *self = (GtCheckoutPage *) object;

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), GT_TYPE_CHECKOUT_PAGE);
  gt_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->replica);

  G_OBJECT_CLASS (gt_checkout_page_parent_class)->dispose (object);
}

static void
gt_checkout_page_finalize (GObject *object)
{
  GtCheckoutPage *self = (GtCheckoutPage *) object;

  g_clear_pointer (&self->config, json_object_unref);
  g_clear_pointer (&self->sale, json_object_unref);
  g_clear_pointer (&self->idempotency_key, g_free);

  G_OBJECT_CLASS (gt_checkout_page_parent_class)->finalize (object);
}

static void
gt_checkout_page_class_init (GtCheckoutPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gt_checkout_page_dispose;
  object_class->finalize = gt_checkout_page_finalize;

  /**
   * GtCheckoutPage::paid:
   * @booking: the booking the server made (API shape)
   */
  signals[PAID] = g_signal_new ("paid", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
  /**
   * GtCheckoutPage::extend:
   *
   * The cashier asks for the sale's seats to be held longer; whoever owns
   * the hold extends it and passes it on with gt_checkout_page_set_hold().
   */
  signals[EXTEND] = g_signal_new ("extend", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                  NULL, NULL, G_TYPE_NONE, 0);
  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (GT_TYPE_HOLD_TIMER);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/id/goticket/GoTicket/ui/gt-checkout-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, GtCheckoutPage, movie_row);
  gtk_widget_class_bind_template_child (widget_class, GtCheckoutPage, when_row);
  gtk_widget_class_bind_template_child (widget_class, GtCheckoutPage, customer_row);
  gtk_widget_class_bind_template_child (widget_class, GtCheckoutPage, seats_row);
  gtk_widget_class_bind_template_child (widget_class, GtCheckoutPage, total_label);
  gtk_widget_class_bind_template_child (widget_class, GtCheckoutPage, cash_toggle);
  gtk_widget_class_bind_template_child (widget_class, GtCheckoutPage, card_toggle);
  gtk_widget_class_bind_template_child (widget_class, GtCheckoutPage, tendered_row);
  gtk_widget_class_bind_template_child (widget_class, GtCheckoutPage, quick_row);
  gtk_widget_class_bind_template_child (widget_class, GtCheckoutPage, quick_box);
  gtk_widget_class_bind_template_child (widget_class, GtCheckoutPage, change_row);
  gtk_widget_class_bind_template_child (widget_class, GtCheckoutPage, change_label);
  gtk_widget_class_bind_template_child (widget_class, GtCheckoutPage, reference_row);
  gtk_widget_class_bind_template_child (widget_class, GtCheckoutPage, timer);
  gtk_widget_class_bind_template_child (widget_class, GtCheckoutPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, GtCheckoutPage, confirm_button);
  gtk_widget_class_bind_template_callback (widget_class, on_method_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_tendered_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_confirm_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_timer_expired_cb);

  gtk_widget_class_install_action (widget_class, "checkout.confirm", NULL, confirm_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "checkout.confirm", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "checkout.confirm", NULL);
  gtk_widget_class_install_action (widget_class, "checkout.extend", NULL, extend_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "checkout.extend",
                                       NULL);
}

static void
gt_checkout_page_init (GtCheckoutPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* A sale whose answer was lost has been answered now, by the outbox. */
static void
on_checkout_settled_cb (GtCheckoutPage *self,
                        const char     *key,
                        JsonObject     *booking,
                        GError         *error,
                        GtReplica      *replica)
{
  if (self->sale == NULL || g_strcmp0 (key, self->idempotency_key) != 0)
    return;
  if (booking == NULL)
    {
      show_error (self, error ? error->message : _ ("The server refused this sale"));
      return;
    }
  show_error (self, NULL);
  g_clear_pointer (&self->idempotency_key, g_free);
  g_signal_emit (self, signals[PAID], 0, booking);
}

void
gt_checkout_page_set_replica (GtCheckoutPage *self, GtReplica *replica)
{
  g_return_if_fail (GT_IS_CHECKOUT_PAGE (self));

  if (!g_set_object (&self->replica, replica) || replica == NULL)
    return;
  g_signal_connect_object (replica, "checkout-settled", G_CALLBACK (on_checkout_settled_cb), self,
                           G_CONNECT_SWAPPED);
}

void
gt_checkout_page_set_config (GtCheckoutPage *self, JsonObject *config)
{
  g_return_if_fail (GT_IS_CHECKOUT_PAGE (self));

  g_clear_pointer (&self->config, json_object_unref);
  self->config = config ? json_object_ref (config) : NULL;
}

void
gt_checkout_page_set_sale (GtCheckoutPage *self, JsonObject *sale)
{
  JsonObject *showtime;
  JsonArray  *tickets;
  g_autoptr (GString) seats = g_string_new (NULL);
  g_autofree char *when = NULL;
  g_autofree char *where = NULL;
  g_autofree char *total = NULL;
  gint64           hold_id;

  g_return_if_fail (GT_IS_CHECKOUT_PAGE (self));
  g_return_if_fail (sale != NULL);

  hold_id = json_object_get_int_member (json_object_get_object_member (sale, "hold"), "id");
  /* One key per hold: coming back to pay the same hold again is the same sale. */
  if (self->sale == NULL || self->idempotency_key == NULL
      || json_object_get_int_member (json_object_get_object_member (self->sale, "hold"), "id")
           != hold_id)
    {
      g_free (self->idempotency_key);
      self->idempotency_key = g_uuid_string_random ();
      self->answer_lost = FALSE;
      gtk_editable_set_text (GTK_EDITABLE (self->customer_row), "");
    }
  g_clear_pointer (&self->sale, json_object_unref);
  self->sale = json_object_ref (sale);

  showtime = json_object_get_object_member (sale, "showtime");
  when = gt_format_showtime_when (json_object_get_string_member (showtime, "starts_at"),
                                  self->config
                                    ? json_object_get_string_member_with_default (self->config,
                                                                                  "timezone", "UTC")
                                    : "UTC");
  adw_action_row_set_subtitle (self->movie_row,
                               json_object_get_string_member_with_default (showtime, "movie_title",
                                                                           ""));
  where = g_strdup_printf ("%s · %s", when,
                           json_object_get_string_member_with_default (showtime, "auditorium_name",
                                                                       ""));
  adw_action_row_set_subtitle (self->when_row, where);
  tickets = json_object_get_array_member (sale, "tickets");
  for (guint i = 0; i < json_array_get_length (tickets); i++)
    {
      JsonObject      *t = json_array_get_object_element (tickets, i);
      g_autofree char *price = gt_format_config_money (self->config,
                                                       json_object_get_int_member (t, "price"));
      g_autofree char *type = gt_format_ticket_type (json_object_get_string_member (t, "type"));

      g_string_append_printf (seats, "%s%s · %s · %s", i ? "\n" : "",
                              json_object_get_string_member (t, "seat"), type, price);
    }
  adw_action_row_set_subtitle (self->seats_row, seats->str);
  total = gt_format_config_money (self->config, total_of (self));
  gtk_label_set_label (self->total_label, total);

  gtk_toggle_button_set_active (self->cash_toggle, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->tendered_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->reference_row), "");
  rebuild_quick_amounts (self);
  self->expired = FALSE;
  show_error (self, NULL);
  gt_checkout_page_set_hold (self, json_object_get_object_member (sale, "hold"));
  on_method_toggled_cb (self);
}

/**
 * gt_checkout_page_set_hold:
 * @hold: (nullable): the sale's hold as it is now; %NULL once it is gone
 *
 * Follows the hold while the cashier takes payment: its time left, and
 * that it ran out.
 */
void
gt_checkout_page_set_hold (GtCheckoutPage *self, JsonObject *hold)
{
  g_return_if_fail (GT_IS_CHECKOUT_PAGE (self));

  gt_hold_timer_set_hold (self->timer, hold);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "checkout.extend",
                                 hold != NULL && !self->expired);
  if (hold == NULL)
    on_timer_expired_cb (self);
}

const char *
gt_checkout_page_get_message (GtCheckoutPage *self)
{
  g_return_val_if_fail (GT_IS_CHECKOUT_PAGE (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
           ? gtk_label_get_label (self->error_label)
           : NULL;
}

void
gt_checkout_page_set_customer_name (GtCheckoutPage *self, const char *name)
{
  g_return_if_fail (GT_IS_CHECKOUT_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->customer_row), name ? name : "");
}

void
gt_checkout_page_pay_cash (GtCheckoutPage *self, gint64 tendered)
{
  g_return_if_fail (GT_IS_CHECKOUT_PAGE (self));

  gtk_toggle_button_set_active (self->cash_toggle, TRUE);
  set_tendered (self, tendered);
  on_confirm_clicked_cb (self);
}
