/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-sale-page"

#include "config.h"

#include "gt-widget-util.h"
#include <glib/gi18n.h>

#include "gt-format.h"
#include "gt-hold-timer.h"
#include "gt-json.h"
#include "gt-sale-page.h"
#include "gt-seat-legend.h"

struct _GtSalePage
{
  GtkWidget parent_instance;

  GtReplica    *replica;
  GtClient     *client;
  JsonObject   *config;
  JsonObject   *showtime;
  JsonObject   *hold;
  GHashTable   *types; /* seat id → ticket type chosen */
  GCancellable *cancellable;
  gboolean      busy;

  GtkLabel      *title_label;
  GtkLabel      *when_label;
  GtkSpinButton *count_spin;
  GtSeatMap     *seat_map;
  GtkStack      *seats_stack;
  GtkListBox    *seat_list;
  GtkMenuButton *all_types_button;
  GtHoldTimer   *timer;
  GtkLabel      *total_label;
};

G_DEFINE_FINAL_TYPE (GtSalePage, gt_sale_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_HOLD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  CHECKOUT,
  TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void load_seats (GtSalePage *self);
static void set_hold (GtSalePage *self, JsonObject *hold);

static void
toast (GtSalePage *self, const char *message)
{
  g_signal_emit (self, signals[TOAST], 0, message);
}

/* Seats are held only by the server: without it, say so rather than pretend. */
static gboolean
can_sell (GtSalePage *self)
{
  GtConnection connection = gt_replica_get_connection (self->replica);

  if (connection == GT_CONNECTION_ONLINE || connection == GT_CONNECTION_CONNECTING)
    return TRUE;
  toast (self, _ ("Selling waits for the server: it does not answer right now"));
  return FALSE;
}

static JsonObject *
prices_of (GtSalePage *self)
{
  return self->showtime ? json_object_get_object_member (self->showtime, "prices") : NULL;
}

/* The type a new seat gets: adult when the showtime sells it, else the first. */
static const char *
default_type (GtSalePage *self)
{
  JsonObject *prices = prices_of (self);
  g_autoptr (GList) names = NULL;

  if (prices == NULL)
    return "adult";
  if (json_object_has_member (prices, "adult"))
    return "adult";
  names = json_object_get_members (prices);
  return names ? g_intern_string (names->data) : "adult";
}

static gint64
total_of (GtSalePage *self)
{
  JsonObject *prices = prices_of (self);
  JsonArray  *seats;
  gint64      total = 0;

  if (self->hold == NULL || prices == NULL)
    return 0;
  seats = json_object_get_array_member (self->hold, "seats");
  for (guint i = 0; i < json_array_get_length (seats); i++)
    {
      const char *type = g_hash_table_lookup (self->types,
                                              json_array_get_string_element (seats, i));
      total += json_object_get_int_member_with_default (prices, type ? type : default_type (self),
                                                        0);
    }
  return total;
}

static void
update_total (GtSalePage *self)
{
  g_autofree char *text = gt_format_config_money (self->config, total_of (self));

  gtk_label_set_label (self->total_label, text);
  gtk_widget_action_set_enabled (
    GTK_WIDGET (self), "sale.checkout",
    self->hold != NULL && !self->busy
      && json_array_get_length (json_object_get_array_member (self->hold, "seats")) > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sale.clear", self->hold != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sale.extend", self->hold != NULL);
}

static void
on_type_selected_cb (GtkDropDown *dropdown, GParamSpec *pspec, GtSalePage *self)
{
  const char *seat = g_object_get_data (G_OBJECT (dropdown), "seat");
  GStrv       keys = g_object_get_data (G_OBJECT (dropdown), "keys");
  guint       selected = gtk_drop_down_get_selected (dropdown);

  if (seat == NULL || keys == NULL || selected >= g_strv_length (keys))
    return;
  g_hash_table_replace (self->types, g_strdup (seat), g_strdup (keys[selected]));
  update_total (self);
}

static GtkWidget *
make_seat_row (GtSalePage *self, const char *seat)
{
  JsonObject *prices = prices_of (self);
  g_autoptr (GList) names = prices ? json_object_get_members (prices) : NULL;
  g_autoptr (GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr (GStrvBuilder) keys = g_strv_builder_new ();
  const char *chosen = g_hash_table_lookup (self->types, seat);
  GtkWidget  *row = gt_plain_action_row_new ();
  GtkWidget  *dropdown;
  guint       selected = 0;
  guint       i = 0;

  for (GList *l = names; l != NULL; l = l->next, i++)
    {
      g_autofree char *price = gt_format_config_money (self->config,
                                                       json_object_get_int_member (prices,
                                                                                   l->data));
      g_autofree char *type = gt_format_ticket_type (l->data);
      g_autofree char *label = g_strdup_printf ("%s · %s", type, price);

      gtk_string_list_append (labels, label);
      g_strv_builder_add (keys, l->data);
      if (g_strcmp0 (chosen ? chosen : default_type (self), l->data) == 0)
        selected = i;
    }

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), seat);
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (labels)), NULL);
  gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), selected);
  g_object_set_data_full (G_OBJECT (dropdown), "seat", g_strdup (seat), g_free);
  g_object_set_data_full (G_OBJECT (dropdown), "keys", g_strv_builder_end (keys),
                          (GDestroyNotify) g_strfreev);
  g_signal_connect_object (dropdown, "notify::selected", G_CALLBACK (on_type_selected_cb), self, 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, seat,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), dropdown);
  g_object_set_data (G_OBJECT (row), "dropdown", dropdown);
  g_object_set_data_full (G_OBJECT (row), "seat", g_strdup (seat), g_free);
  return row;
}

static void
rebuild_seat_list (GtSalePage *self)
{
  GtkWidget *child;
  JsonArray *seats = self->hold ? json_object_get_array_member (self->hold, "seats") : NULL;
  guint      n = seats ? json_array_get_length (seats) : 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->seat_list))) != NULL)
    gtk_list_box_remove (self->seat_list, child);
  gtk_widget_set_visible (GTK_WIDGET (self->all_types_button), n >= 2);
  for (guint i = 0; i < n; i++)
    gtk_list_box_append (self->seat_list,
                         make_seat_row (self, json_array_get_string_element (seats, i)));
  gtk_stack_set_visible_child_name (self->seats_stack, n > 0 ? "seats" : "empty");
  update_total (self);
}

static void
expire (GtSalePage *self)
{
  set_hold (self, NULL);
  /* On the payment page, that page says so in place. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    toast (self, _ ("The hold ran out: the seats are free again and nothing was sold"));
  load_seats (self);
}

static void
on_timer_expired_cb (GtSalePage *self)
{
  expire (self);
}

/* Makes @hold the sale's hold (NULL: none) and paints the map to match. */
static void
set_hold (GtSalePage *self, JsonObject *hold)
{
  g_autoptr (GHashTable) now_mine = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *before = self->hold ? json_object_get_array_member (self->hold, "seats") : NULL;
  JsonArray *after = hold ? json_object_get_array_member (hold, "seats") : NULL;
  g_autoptr (JsonObject) old = self->hold;

  self->hold = hold ? json_object_ref (hold) : NULL;

  for (guint i = 0; after != NULL && i < json_array_get_length (after); i++)
    {
      const char *seat = json_array_get_string_element (after, i);

      g_hash_table_add (now_mine, (gpointer) seat);
      gt_seat_map_set_seat_state (self->seat_map, seat, GT_SEAT_STATE_MINE);
    }
  for (guint i = 0; before != NULL && i < json_array_get_length (before); i++)
    {
      const char *seat = json_array_get_string_element (before, i);

      if (!g_hash_table_contains (now_mine, seat))
        {
          gt_seat_map_set_seat_state (self->seat_map, seat, GT_SEAT_STATE_FREE);
          g_hash_table_remove (self->types, seat);
        }
    }
  if (hold == NULL)
    g_hash_table_remove_all (self->types);

  gt_hold_timer_set_hold (self->timer, hold);
  rebuild_seat_list (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOLD]);
}

static void
set_busy (GtSalePage *self, gboolean busy)
{
  self->busy = busy;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sale.best", !busy);
  update_total (self);
}

/* Explains a refusal and brings the map back in line with the server. */
static void
handle_error (GtSalePage *self, const GError *error, const char *seat)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (g_error_matches (error, GT_ERROR, GT_ERROR_SEAT_UNAVAILABLE))
    {
      g_autofree char *text = seat ? g_strdup_printf (_ ("Seat %s was just taken at another "
                                                         "counter"),
                                                      seat)
                                   : g_strdup (error->message);
      toast (self, text);
      load_seats (self);
    }
  else if (g_error_matches (error, GT_ERROR, GT_ERROR_HOLD_EXPIRED)
           || (g_error_matches (error, GT_ERROR, GT_ERROR_NOT_FOUND) && self->hold != NULL))
    expire (self);
  else if (g_error_matches (error, GT_ERROR, GT_ERROR_SHOWTIME_CLOSED))
    toast (self, _ ("This showtime has started; its seats are no longer sold"));
  else if (gt_client_error_is_network (error))
    toast (self, _ ("The server does not answer; the seat was not held"));
  else
    toast (self, error->message);
}

typedef struct
{
  GtSalePage *self;
  char       *seat;
} SeatCall;

static void
seat_call_free (SeatCall *call)
{
  g_object_unref (call->self);
  g_free (call->seat);
  g_free (call);
}

static void
on_hold_answer_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  SeatCall   *call = user_data;
  GtSalePage *self = call->self;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) hold = gt_client_call_finish (GT_CLIENT (object), result, &error);

  set_busy (self, FALSE);
  if (error != NULL)
    handle_error (self, error, call->seat);
  else
    set_hold (self, hold);
  seat_call_free (call);
}

static SeatCall *
seat_call_new (GtSalePage *self, const char *seat)
{
  SeatCall *call = g_new0 (SeatCall, 1);

  call->self = g_object_ref (self);
  call->seat = g_strdup (seat);
  set_busy (self, TRUE);
  return call;
}

static void
on_seat_activated_cb (GtSalePage *self, const char *seat, GtSeatMap *map)
{
  GtSeatState state = gt_seat_map_get_seat_state (map, seat);
  gint64      hold_id = self->hold ? json_object_get_int_member (self->hold, "id") : 0;
  guint       n_held = self->hold
                         ? json_array_get_length (json_object_get_array_member (self->hold, "seats"))
                         : 0;

  if (self->busy || self->showtime == NULL)
    return;

  switch (state)
    {
      case GT_SEAT_STATE_FREE:
        if (!can_sell (self))
          break;
        if (hold_id == 0)
          {
            const char *seats[] = { seat, NULL };
            gt_client_create_hold_async (self->client,
                                         json_object_get_int_member (self->showtime, "id"), seats,
                                         0, self->cancellable, on_hold_answer_cb,
                                         seat_call_new (self, seat));
          }
        else
          gt_client_add_hold_seat_async (self->client, hold_id, seat, self->cancellable,
                                         on_hold_answer_cb, seat_call_new (self, seat));
        break;

      case GT_SEAT_STATE_MINE:
        if (n_held <= 1)
          gt_sale_page_release (self);
        else
          gt_client_remove_hold_seat_async (self->client, hold_id, seat, self->cancellable,
                                            on_hold_answer_cb, seat_call_new (self, seat));
        break;

      case GT_SEAT_STATE_HELD:
        {
          g_autofree char *text = g_strdup_printf (_ ("Seat %s is held at another counter"), seat);
          toast (self, text);
        }
        break;

      case GT_SEAT_STATE_SOLD:
        {
          g_autofree char *text = g_strdup_printf (_ ("Seat %s is sold"), seat);
          toast (self, text);
        }
        break;

      case GT_SEAT_STATE_BLOCKED:
      default:
        {
          g_autofree char *text = g_strdup_printf (_ ("Seat %s is not for sale"), seat);
          toast (self, text);
        }
        break;
    }
}

static void
on_seats_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtSalePage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject)
    answer = gt_replica_load_seats_finish (GT_REPLICA (object), result, &error);
  JsonArray *seats;
  gint64     mine = 0;

  if (answer == NULL)
    {
      /* What the store knows stays on the map; the banner says the rest. */
      if (!gt_client_error_is_network (error))
        handle_error (self, error, NULL);
      return;
    }
  seats = json_object_get_array_member (answer, "seats");
  gt_seat_map_set_seats (self->seat_map, seats);

  /* The server's word wins: a hold it no longer knows is gone. */
  for (guint i = 0; i < json_array_get_length (seats); i++)
    if (json_object_has_member (json_array_get_object_element (seats, i), "hold_id"))
      mine = json_object_get_int_member (json_array_get_object_element (seats, i), "hold_id");
  if (self->hold != NULL && mine != json_object_get_int_member (self->hold, "id"))
    expire (self);
  else if (self->hold != NULL)
    set_hold (self, self->hold);
}

static void
load_seats (GtSalePage *self)
{
  if (self->showtime == NULL || self->replica == NULL)
    return;
  gt_replica_load_seats_async (self->replica, json_object_get_int_member (self->showtime, "id"),
                               self->cancellable, on_seats_cb, g_object_ref (self));
}

static void
on_best_hold_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  SeatCall   *call = user_data;
  GtSalePage *self = call->self;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) hold = gt_client_call_finish (GT_CLIENT (object), result, &error);

  set_busy (self, FALSE);
  if (g_error_matches (error, GT_ERROR, GT_ERROR_SEAT_UNAVAILABLE))
    {
      g_autofree char *text =
        g_strdup_printf (ngettext ("There is no seat left", "There are no %d seats together left",
                                   (int) gtk_spin_button_get_value_as_int (self->count_spin)),
                         (int) gtk_spin_button_get_value_as_int (self->count_spin));
      toast (self, text);
    }
  else if (error != NULL)
    handle_error (self, error, NULL);
  else
    {
      set_hold (self, hold);
      if (json_array_get_length (json_object_get_array_member (hold, "seats")) > 0)
        gt_seat_map_set_focus_seat (
          self->seat_map,
          json_array_get_string_element (json_object_get_array_member (hold, "seats"), 0));
    }
  seat_call_free (call);
}

static void
on_released_for_best_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  SeatCall   *call = user_data;
  GtSalePage *self = call->self;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = gt_client_call_finish (GT_CLIENT (object), result, &error);

  if (error != NULL && !g_error_matches (error, GT_ERROR, GT_ERROR_NOT_FOUND)
      && !g_error_matches (error, GT_ERROR, GT_ERROR_HOLD_EXPIRED))
    {
      set_busy (self, FALSE);
      handle_error (self, error, NULL);
      seat_call_free (call);
      return;
    }
  set_hold (self, NULL);
  gt_client_create_hold_async (self->client, json_object_get_int_member (self->showtime, "id"),
                               NULL, gtk_spin_button_get_value_as_int (self->count_spin),
                               self->cancellable, on_best_hold_cb, call);
}

static void
best_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtSalePage *self = GT_SALE_PAGE (widget);
  SeatCall   *call;

  if (self->busy || self->showtime == NULL || !can_sell (self))
    return;
  call = seat_call_new (self, NULL);
  /* Best available replaces what is held: one block, chosen by the server. */
  if (self->hold != NULL)
    gt_client_release_hold_async (self->client, json_object_get_int_member (self->hold, "id"),
                                  self->cancellable, on_released_for_best_cb, call);
  else
    gt_client_create_hold_async (self->client, json_object_get_int_member (self->showtime, "id"),
                                 NULL, gtk_spin_button_get_value_as_int (self->count_spin),
                                 self->cancellable, on_best_hold_cb, call);
}

static void
count_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtSalePage *self = GT_SALE_PAGE (widget);

  gtk_spin_button_spin (self->count_spin,
                        g_variant_get_int32 (param) > 0 ? GTK_SPIN_STEP_FORWARD
                                                        : GTK_SPIN_STEP_BACKWARD,
                        1);
}

static void
on_extended_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  SeatCall   *call = user_data;
  GtSalePage *self = call->self;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) hold = gt_client_call_finish (GT_CLIENT (object), result, &error);

  set_busy (self, FALSE);
  if (g_error_matches (error, GT_ERROR, GT_ERROR_CONFLICT))
    toast (self, _ ("The hold cannot be extended any more; take payment now or start again"));
  else if (error != NULL)
    handle_error (self, error, NULL);
  else
    {
      set_hold (self, hold);
      toast (self, _ ("The seats are held longer"));
    }
  seat_call_free (call);
}

static void
extend_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtSalePage *self = GT_SALE_PAGE (widget);

  if (self->hold == NULL || self->busy)
    return;
  gt_client_extend_hold_async (self->client, json_object_get_int_member (self->hold, "id"),
                               self->cancellable, on_extended_cb, seat_call_new (self, NULL));
}

/* A group: every held seat the same ticket type at once. */
static void
type_all_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtSalePage *self = GT_SALE_PAGE (widget);
  const char *type = g_variant_get_string (param, NULL);
  JsonArray  *seats = self->hold ? json_object_get_array_member (self->hold, "seats") : NULL;
  JsonObject *prices = prices_of (self);

  if (seats == NULL || prices == NULL || !json_object_has_member (prices, type))
    return;
  for (guint i = 0; i < json_array_get_length (seats); i++)
    g_hash_table_replace (self->types, g_strdup (json_array_get_string_element (seats, i)),
                          g_strdup (type));
  rebuild_seat_list (self);
}

/* The menu of All as…: one item per ticket type the showtime sells. */
static void
build_type_menu (GtSalePage *self)
{
  JsonObject *prices = prices_of (self);
  g_autoptr (GList) names = prices ? json_object_get_members (prices) : NULL;
  g_autoptr (GMenu) menu = g_menu_new ();

  for (GList *l = names; l != NULL; l = l->next)
    {
      g_autofree char *price = gt_format_config_money (self->config,
                                                       json_object_get_int_member (prices,
                                                                                   l->data));
      g_autofree char *type = gt_format_ticket_type (l->data);
      g_autofree char *label = g_strdup_printf ("%s · %s", type, price);
      g_autoptr (GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "sale.type-all",
                                               g_variant_new_string (l->data));
      g_menu_append_item (menu, item);
    }
  gtk_menu_button_set_menu_model (self->all_types_button, G_MENU_MODEL (menu));
}

static void
clear_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  gt_sale_page_release (GT_SALE_PAGE (widget));
}

static void
checkout_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtSalePage *self = GT_SALE_PAGE (widget);
  g_autoptr (JsonObject) sale = NULL;
  JsonArray  *tickets;
  JsonArray  *seats;
  JsonObject *prices = prices_of (self);

  if (self->hold == NULL || self->busy || gt_hold_timer_get_seconds_left (self->timer) <= 0)
    return;
  seats = json_object_get_array_member (self->hold, "seats");
  if (json_array_get_length (seats) == 0)
    return;

  tickets = json_array_new ();
  for (guint i = 0; i < json_array_get_length (seats); i++)
    {
      const char *seat = json_array_get_string_element (seats, i);
      const char *type = g_hash_table_lookup (self->types, seat);
      JsonObject *ticket = json_object_new ();

      type = type ? type : default_type (self);
      json_object_set_string_member (ticket, "seat", seat);
      json_object_set_string_member (ticket, "type", type);
      json_object_set_int_member (ticket, "price", json_object_get_int_member (prices, type));
      json_array_add_object_element (tickets, ticket);
    }

  sale = json_object_new ();
  json_object_set_object_member (sale, "showtime", json_object_ref (self->showtime));
  json_object_set_object_member (sale, "hold", json_object_ref (self->hold));
  json_object_set_array_member (sale, "tickets", tickets);
  json_object_set_int_member (sale, "total", total_of (self));
  g_signal_emit (self, signals[CHECKOUT], 0, sale);
}

static void
gt_sale_page_dispose (GObject *object)
{
  GtSalePage *self = (GtSalePage *) object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), GT_TYPE_SALE_PAGE);
  gt_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->client);
  g_clear_object (&self->replica);

  G_OBJECT_CLASS (gt_sale_page_parent_class)->dispose (object);
}

static void
gt_sale_page_finalize (GObject *object)
{
  GtSalePage *self = (GtSalePage *) object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->config, json_object_unref);
  g_clear_pointer (&self->showtime, json_object_unref);
  g_clear_pointer (&self->hold, json_object_unref);
  g_clear_pointer (&self->types, g_hash_table_unref);

  G_OBJECT_CLASS (gt_sale_page_parent_class)->finalize (object);
}

static void
gt_sale_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GtSalePage *self = GT_SALE_PAGE (object);

  switch (prop_id)
    {
      case PROP_HOLD:
        g_value_set_boxed (value, self->hold);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gt_sale_page_class_init (GtSalePageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gt_sale_page_dispose;
  object_class->finalize = gt_sale_page_finalize;
  object_class->get_property = gt_sale_page_get_property;

  /**
   * GtSalePage:hold:
   *
   * The seats held for this sale (API shape), or %NULL.
   */
  properties[PROP_HOLD] = g_param_spec_boxed ("hold", NULL, NULL, JSON_TYPE_OBJECT,
                                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                                | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GtSalePage::checkout:
   * @sale: {"showtime", "hold", "tickets": [{"seat","type","price"}], "total"}
   */
  signals[CHECKOUT] = g_signal_new ("checkout", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (GT_TYPE_HOLD_TIMER);
  g_type_ensure (GT_TYPE_SEAT_MAP);
  g_type_ensure (GT_TYPE_SEAT_LEGEND);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/id/goticket/GoTicket/ui/gt-sale-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, GtSalePage, title_label);
  gtk_widget_class_bind_template_child (widget_class, GtSalePage, when_label);
  gtk_widget_class_bind_template_child (widget_class, GtSalePage, count_spin);
  gtk_widget_class_bind_template_child (widget_class, GtSalePage, seat_map);
  gtk_widget_class_bind_template_child (widget_class, GtSalePage, seats_stack);
  gtk_widget_class_bind_template_child (widget_class, GtSalePage, seat_list);
  gtk_widget_class_bind_template_child (widget_class, GtSalePage, all_types_button);
  gtk_widget_class_bind_template_child (widget_class, GtSalePage, timer);
  gtk_widget_class_bind_template_child (widget_class, GtSalePage, total_label);
  gtk_widget_class_bind_template_callback (widget_class, on_seat_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_timer_expired_cb);

  gtk_widget_class_install_action (widget_class, "sale.best", NULL, best_action);
  gtk_widget_class_install_action (widget_class, "sale.count", "i", count_action);
  gtk_widget_class_install_action (widget_class, "sale.extend", NULL, extend_action);
  gtk_widget_class_install_action (widget_class, "sale.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "sale.type-all", "s", type_all_action);
  gtk_widget_class_install_action (widget_class, "sale.checkout", NULL, checkout_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, GDK_CONTROL_MASK, "sale.best",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "sale.count",
                                       "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "sale.count",
                                       "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "sale.count",
                                       "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "sale.extend",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "sale.checkout", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "sale.checkout", NULL);
}

static void
gt_sale_page_init (GtSalePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->cancellable = g_cancellable_new ();
  gtk_widget_set_focusable (GTK_WIDGET (self), FALSE);
  update_total (self);
}

static gboolean
in_my_hold (GtSalePage *self, const char *seat)
{
  JsonArray *seats = self->hold ? json_object_get_array_member (self->hold, "seats") : NULL;

  for (guint i = 0; seats != NULL && i < json_array_get_length (seats); i++)
    if (g_strcmp0 (json_array_get_string_element (seats, i), seat) == 0)
      return TRUE;
  return FALSE;
}

/* Another counter's hold, sale or release shows on the map as it happens. */
static void
on_seat_changed_cb (GtSalePage *self,
                    const char *kind,
                    gint64      showtime_id,
                    const char *seat,
                    const char *state,
                    GtReplica  *replica)
{
  if (self->showtime == NULL || showtime_id != json_object_get_int_member (self->showtime, "id")
      || seat == NULL || state == NULL)
    return;
  /* This counter's own seats follow its own answers. */
  if (in_my_hold (self, seat))
    return;

  if (g_str_equal (state, "held"))
    gt_seat_map_set_seat_state (self->seat_map, seat, GT_SEAT_STATE_HELD);
  else if (g_str_equal (state, "sold"))
    gt_seat_map_set_seat_state (self->seat_map, seat, GT_SEAT_STATE_SOLD);
  else if (g_str_equal (state, "free"))
    gt_seat_map_set_seat_state (self->seat_map, seat, GT_SEAT_STATE_FREE);
}

void
gt_sale_page_set_replica (GtSalePage *self, GtReplica *replica)
{
  g_return_if_fail (GT_IS_SALE_PAGE (self));

  if (self->replica != NULL)
    g_signal_handlers_disconnect_by_data (self->replica, self);
  g_clear_object (&self->client);
  g_set_object (&self->replica, replica);
  if (replica != NULL)
    self->client = g_object_ref (gt_replica_get_client (replica));
  if (replica != NULL)
    g_signal_connect_object (replica, "changed::seat", G_CALLBACK (on_seat_changed_cb), self,
                             G_CONNECT_SWAPPED);
}

void
gt_sale_page_set_config (GtSalePage *self, JsonObject *config)
{
  g_return_if_fail (GT_IS_SALE_PAGE (self));

  g_clear_pointer (&self->config, json_object_unref);
  self->config = config ? json_object_ref (config) : NULL;
}

void
gt_sale_page_set_showtime (GtSalePage *self, JsonObject *showtime)
{
  g_autofree char *when = NULL;
  g_autofree char *subtitle = NULL;

  g_return_if_fail (GT_IS_SALE_PAGE (self));
  g_return_if_fail (showtime != NULL);

  if (self->hold != NULL)
    gt_sale_page_release (self);
  g_clear_pointer (&self->showtime, json_object_unref);
  self->showtime = json_object_ref (showtime);

  when = gt_format_showtime_when (json_object_get_string_member (showtime, "starts_at"),
                                  json_object_get_string_member_with_default (self->config,
                                                                              "timezone", "UTC"));
  subtitle = g_strdup_printf ("%s · %s", when,
                              json_object_get_string_member_with_default (showtime,
                                                                          "auditorium_name", ""));
  gtk_label_set_label (self->title_label,
                       json_object_get_string_member_with_default (showtime, "movie_title", ""));
  build_type_menu (self);
  gtk_label_set_label (self->when_label, subtitle);
  /* What the store knows paints at once; the server's answer follows. */
  {
    g_autoptr (JsonObject)
      known = gt_replica_dup_seats (self->replica, json_object_get_int_member (showtime, "id"));

    gt_seat_map_set_seats (self->seat_map,
                           known ? json_object_get_array_member (known, "seats") : NULL);
  }
  rebuild_seat_list (self);
  load_seats (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->seat_map));
}

JsonObject *
gt_sale_page_get_showtime (GtSalePage *self)
{
  g_return_val_if_fail (GT_IS_SALE_PAGE (self), NULL);
  return self->showtime;
}

JsonObject *
gt_sale_page_get_hold (GtSalePage *self)
{
  g_return_val_if_fail (GT_IS_SALE_PAGE (self), NULL);
  return self->hold;
}

GtSeatMap *
gt_sale_page_get_seat_map (GtSalePage *self)
{
  g_return_val_if_fail (GT_IS_SALE_PAGE (self), NULL);
  return self->seat_map;
}

gboolean
gt_sale_page_set_ticket_type (GtSalePage *self, const char *seat, const char *type)
{
  g_return_val_if_fail (GT_IS_SALE_PAGE (self), FALSE);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->seat_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "seat"), seat) == 0)
      {
        GtkDropDown *dropdown = g_object_get_data (G_OBJECT (row), "dropdown");
        GStrv        keys = g_object_get_data (G_OBJECT (dropdown), "keys");

        for (guint i = 0; keys && keys[i]; i++)
          if (g_str_equal (keys[i], type))
            {
              gtk_drop_down_set_selected (dropdown, i);
              return TRUE;
            }
      }
  return FALSE;
}

void
gt_sale_page_refresh (GtSalePage *self)
{
  g_return_if_fail (GT_IS_SALE_PAGE (self));
  load_seats (self);
}

void
gt_sale_page_release (GtSalePage *self)
{
  g_return_if_fail (GT_IS_SALE_PAGE (self));

  if (self->hold == NULL)
    return;
  /* The seats go back on sale at once (or when the server is back); the
   * answer changes nothing here. */
  gt_replica_release_hold (self->replica, json_object_get_int_member (self->hold, "id"));
  set_hold (self, NULL);
}

void
gt_sale_page_forget_hold (GtSalePage *self)
{
  g_return_if_fail (GT_IS_SALE_PAGE (self));

  g_clear_pointer (&self->hold, json_object_unref);
  g_hash_table_remove_all (self->types);
  gt_hold_timer_set_hold (self->timer, NULL);
  rebuild_seat_list (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOLD]);
}

void
gt_sale_page_focus (GtSalePage *self)
{
  g_return_if_fail (GT_IS_SALE_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->seat_map));
}
