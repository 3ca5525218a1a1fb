/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-bookings-view"

#include "config.h"

#include "gt-widget-util.h"
#include <glib/gi18n.h>

#include "gt-bookings-view.h"
#include "gt-format.h"
#include "gt-json.h"

struct _GtBookingsView
{
  GtkWidget parent_instance;

  GtReplica    *replica;
  GtClient     *client;
  JsonArray    *bookings;
  char         *query;
  char         *message;
  GCancellable *searching; /* the search under way: a newer one replaces it */

  GtkSearchEntry *search_entry;
  AdwEntryRow    *reason_row;
  GtkLabel       *message_label;
  GtkListBox     *booking_list;
};

G_DEFINE_FINAL_TYPE (GtBookingsView, gt_bookings_view, GTK_TYPE_WIDGET)

static void
set_message (GtBookingsView *self, const char *message)
{
  g_free (self->message);
  self->message = g_strdup (message ? message : "");
  gtk_label_set_label (self->message_label, self->message);
}

static const char *
status_label (JsonObject *booking)
{
  const char *status = json_object_get_string_member_with_default (booking, "status", "");

  if (g_str_equal (status, "refunded"))
    return _ ("refunded");
  if (g_str_equal (status, "partially_refunded"))
    return _ ("partly refunded");
  return _ ("paid");
}

static JsonObject *
config_of (GtBookingsView *self)
{
  return self->replica ? gt_replica_dup_config (self->replica) : NULL;
}

static const char *
reason_of (GtBookingsView *self)
{
  return gtk_editable_get_text (GTK_EDITABLE (self->reason_row));
}

static gboolean
ensure_reason (GtBookingsView *self, const char *reason)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (reason ? reason : ""));

  if (trimmed[0] != '\0')
    return TRUE;
  set_message (self, _ ("Write the reason first: it goes into the audit log"));
  gtk_widget_grab_focus (GTK_WIDGET (self->reason_row));
  return FALSE;
}

static void search (GtBookingsView *self, const char *text);

/* What the server says a refund or a move settles: "give back Rp 50.000 in
 * cash", "take Rp 10.000 more by card", or NULL. */
static char *
money_to_move (GtBookingsView *self, JsonObject *booking)
{
  g_autoptr (JsonObject) config = config_of (self);
  JsonObject *settlement = gt_json_object_member (booking, "settlement");
  gboolean    card = settlement != NULL
                  && g_strcmp0 (gt_json_string_member (settlement, "method"), "card") == 0;
  gint64 back = settlement ? json_object_get_int_member_with_default (settlement, "amount", 0) : 0;
  g_autofree char *amount = gt_format_config_money (config, ABS (back));

  if (back > 0)
    return g_strdup_printf (card ? _ ("refund %s to the card") : _ ("give back %s in cash"),
                            amount);
  if (back < 0)
    return g_strdup_printf (card ? _ ("take %s more by card") : _ ("take %s more in cash"), amount);
  return NULL;
}

static void
on_changed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtBookingsView) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) booking = gt_client_call_finish (GT_CLIENT (object), result, &error);
  g_autofree char *text = NULL;
  g_autofree char *money = NULL;

  if (booking == NULL)
    {
      g_autoptr (GString) why = g_string_new (gt_client_error_is_network (error)
                                                ? _ ("The server does not answer: nothing changed")
                                                : error->message);
      JsonObject *details = gt_error_get_details (error);
      JsonArray  *seats = details ? json_object_get_array_member (details, "seats") : NULL;

      for (guint i = 0; seats && i < json_array_get_length (seats); i++)
        g_string_append_printf (why, "%s%s", i ? ", " : ": ",
                                json_array_get_string_element (seats, i));
      set_message (self, why->str);
      return;
    }
  money = money_to_move (self, booking);
  if (money != NULL)
    /* Translators: "GT-4E89KG is now partly refunded: give back Rp 50.000 in cash" */
    text = g_strdup_printf (_ ("%s is now %s: %s"), json_object_get_string_member (booking, "code"),
                            status_label (booking), money);
  else
    text = g_strdup_printf (_ ("%s is now %s"), json_object_get_string_member (booking, "code"),
                            status_label (booking));
  set_message (self, text);
  gtk_editable_set_text (GTK_EDITABLE (self->reason_row), "");
  search (self, self->query);
}

static void
on_refund_clicked_cb (GtkButton *button, GtBookingsView *self)
{
  GtkWidget  *expander = g_object_get_data (G_OBJECT (button), "expander");
  JsonObject *booking = g_object_get_data (G_OBJECT (expander), "booking");
  GPtrArray  *checks = g_object_get_data (G_OBJECT (expander), "checks");
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean all = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "all"));

  for (guint i = 0; !all && i < checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (checks, i)))
      {
        gint64 id = GPOINTER_TO_SIZE (g_object_get_data (g_ptr_array_index (checks, i), "ticket"));
        g_array_append_val (ids, id);
      }
  if (!all && ids->len == 0)
    {
      set_message (self, _ ("Tick the tickets to refund, or refund all of them"));
      return;
    }
  gt_bookings_view_refund (self, json_object_get_int_member (booking, "id"),
                           all ? NULL : (gint64 *) ids->data, all ? 0 : ids->len, reason_of (self));
}

static void
on_move_clicked_cb (GtkButton *button, GtBookingsView *self)
{
  GtkWidget       *expander = g_object_get_data (G_OBJECT (button), "expander");
  JsonObject      *booking = g_object_get_data (G_OBJECT (expander), "booking");
  GtkEditable     *seat = g_object_get_data (G_OBJECT (button), "seat");
  GtkDropDown     *target = g_object_get_data (G_OBJECT (expander), "target");
  JsonArray       *targets = g_object_get_data (G_OBJECT (expander), "targets");
  guint            i = gtk_drop_down_get_selected (target);
  g_autofree char *seat_id = g_ascii_strup (gtk_editable_get_text (seat), -1);

  g_strstrip (seat_id);
  if (seat_id[0] == '\0')
    {
      set_message (self, _ ("Type the new seat, e.g. G5"));
      return;
    }
  if (i >= json_array_get_length (targets))
    return;
  gt_bookings_view_exchange (self, json_object_get_int_member (booking, "id"),
                             GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "ticket")),
                             json_object_get_int_member (json_array_get_object_element (targets, i),
                                                         "id"),
                             seat_id, reason_of (self));
}

/* Where a ticket may move: its own showtime first, then the others of that day. */
static JsonArray *
targets_for (GtBookingsView *self, gint64 showtime_id)
{
  g_autoptr (JsonObject) config = config_of (self);
  g_autoptr (JsonObject) own = gt_replica_dup_showtime (self->replica, showtime_id);
  JsonArray *targets = json_array_new ();

  if (own == NULL)
    return targets;
  json_array_add_object_element (targets, json_object_ref (own));
  {
    g_autofree char *date = gt_format_time (json_object_get_string_member (own, "starts_at"),
                                            config
                                              ? json_object_get_string_member (config, "timezone")
                                              : "UTC",
                                            "%Y-%m-%d");
    g_autoptr (JsonArray) day = gt_replica_list_showtimes (self->replica, date);

    for (guint i = 0; i < json_array_get_length (day); i++)
      if (json_object_get_int_member (json_array_get_object_element (day, i), "id") != showtime_id)
        json_array_add_object_element (targets,
                                       json_object_ref (json_array_get_object_element (day, i)));
  }
  return targets;
}

static GtkWidget *
make_booking_row (GtBookingsView *self, JsonObject *booking)
{
  g_autoptr (JsonObject) config = config_of (self);
  const char *timezone = config ? json_object_get_string_member (config, "timezone") : "UTC";
  JsonArray  *tickets = json_object_get_array_member (booking, "tickets");
  JsonObject *customer = gt_json_object_member (booking, "customer");
  g_autoptr (JsonObject)
    showtime = gt_replica_dup_showtime (self->replica,
                                        json_object_get_int_member (booking, "showtime_id"));
  g_autofree char *when = showtime ? gt_format_showtime_when (
                            json_object_get_string_member (showtime, "starts_at"), timezone)
                                   : g_strdup ("");
  g_autofree char *total = gt_format_config_money (config,
                                                   json_object_get_int_member (booking, "total"));
  g_autofree char *title = g_strdup_printf (
    "%s · %s", json_object_get_string_member (booking, "code"),
    customer ? json_object_get_string_member_with_default (customer, "name", "—") : "—");
  g_autofree char *subtitle = g_strdup_printf (
    "%s, %s · %s · %s · %s",
    showtime ? json_object_get_string_member_with_default (showtime, "movie_title", "") : "", when,
    total, status_label (booking),
    json_object_get_string_member_with_default (booking, "cashier", ""));
  GtkWidget *expander = gt_plain_expander_row_new ();
  GPtrArray *checks = g_ptr_array_new ();
  JsonArray *targets = targets_for (self, json_object_get_int_member (booking, "showtime_id"));
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *target;
  GtkWidget *actions = gt_plain_action_row_new ();
  GtkWidget *refund = gtk_button_new_with_mnemonic (_ ("Refund _Ticked"));
  GtkWidget *refund_all = gtk_button_new_with_mnemonic (_ ("Refund _All"));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), subtitle);
  g_object_set_data_full (G_OBJECT (expander), "booking", json_object_ref (booking),
                          (GDestroyNotify) json_object_unref);
  g_object_set_data_full (G_OBJECT (expander), "checks", checks,
                          (GDestroyNotify) g_ptr_array_unref);
  g_object_set_data_full (G_OBJECT (expander), "targets", targets,
                          (GDestroyNotify) json_array_unref);

  for (guint i = 0; i < json_array_get_length (targets); i++)
    {
      JsonObject      *t = json_array_get_object_element (targets, i);
      g_autofree char *at = gt_format_time (json_object_get_string_member (t, "starts_at"),
                                            timezone, "%H:%M");
      g_autofree char *name =
        g_strdup_printf ("%s%s %s · %s", i == 0 ? _ ("Same showtime: ") : "", at,
                         json_object_get_string_member_with_default (t, "movie_title", ""),
                         json_object_get_string_member_with_default (t, "auditorium_name", ""));

      gtk_string_list_append (names, name);
    }
  target = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (names)), NULL);
  gtk_widget_set_valign (target, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (expander), "target", target);

  for (guint i = 0; tickets && i < json_array_get_length (tickets); i++)
    {
      JsonObject      *ticket = json_array_get_object_element (tickets, i);
      gboolean         refunded = !json_object_get_null_member (ticket, "refunded_at");
      g_autofree char *seat = gt_format_seat (json_object_get_string_member (ticket, "seat"));
      g_autofree char *type = gt_format_ticket_type (
        json_object_get_string_member (ticket, "type"));
      g_autofree char *price = gt_format_config_money (config,
                                                       json_object_get_int_member (ticket,
                                                                                   "price"));
      g_autofree char *line = g_strdup_printf ("%s · %s · %s", seat, type, price);
      GtkWidget       *row = gt_plain_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), line);
      /* Whoever refunds or moves a ticket should know it was used. */
      if (gt_json_string_member (ticket, "checked_in_at")[0] != '\0')
        {
          g_autofree char *at = gt_format_time (gt_json_string_member (ticket, "checked_in_at"),
                                                timezone, "%H:%M");
          const char      *door = gt_json_string_member (ticket, "door");
          /* TRANSLATORS: a ticket let in at the door: the time, then the door's name */
          g_autofree char *used = door[0] != '\0' ? g_strdup_printf (_ ("Used at %s, %s"), at, door)
                                                  : g_strdup_printf (_ ("Used at %s"), at);

          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), used);
        }
      if (refunded)
        {
          GtkWidget *label = gtk_label_new (_ ("Refunded"));

          gtk_widget_add_css_class (label, "dim-label");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
        }
      else
        {
          GtkWidget *check = gtk_check_button_new ();
          GtkWidget *seat_entry = gtk_entry_new ();
          GtkWidget *move = gtk_button_new_with_mnemonic (_ ("_Move"));
          gint64     ticket_id = json_object_get_int_member (ticket, "id");

          gtk_widget_set_tooltip_text (check, _ ("Refund this ticket"));
          g_object_set_data (G_OBJECT (check), "ticket", GSIZE_TO_POINTER ((gsize) ticket_id));
          g_ptr_array_add (checks, check);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);

          gtk_editable_set_width_chars (GTK_EDITABLE (seat_entry), 6);
          gtk_entry_set_placeholder_text (GTK_ENTRY (seat_entry), _ ("New seat"));
          gtk_widget_set_valign (seat_entry, GTK_ALIGN_CENTER);
          gtk_widget_set_valign (move, GTK_ALIGN_CENTER);
          g_object_set_data (G_OBJECT (move), "expander", expander);
          g_object_set_data (G_OBJECT (move), "seat", seat_entry);
          g_object_set_data (G_OBJECT (move), "ticket", GSIZE_TO_POINTER ((gsize) ticket_id));
          g_signal_connect_object (move, "clicked", G_CALLBACK (on_move_clicked_cb), self, 0);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), seat_entry);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), move);
        }
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
    }

  /* Where a move goes on a row of its own: a showtime's name is long. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (actions), _ ("Move to"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (actions), target);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), actions);
  actions = gt_plain_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (actions), _ ("Refund"));
  for (GtkWidget *button = refund; button != NULL; button = button == refund ? refund_all : NULL)
    {
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "destructive-action");
      g_object_set_data (G_OBJECT (button), "expander", expander);
      g_object_set_data (G_OBJECT (button), "all", GINT_TO_POINTER (button == refund_all));
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_refund_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (actions), button);
    }
  gtk_widget_set_sensitive (refund, checks->len > 0);
  gtk_widget_set_sensitive (refund_all, checks->len > 0);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), actions);
  return expander;
}

static void
on_found_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtBookingsView) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = gt_client_call_finish (GT_CLIENT (object), result, &error);
  GtkWidget *child;
  guint      n;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->searching);
  if (answer == NULL)
    {
      set_message (self, error->message);
      return;
    }
  g_clear_pointer (&self->bookings, json_array_unref);
  self->bookings = json_array_ref (json_object_get_array_member (answer, "bookings"));
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->booking_list))) != NULL)
    gtk_list_box_remove (self->booking_list, child);
  n = json_array_get_length (self->bookings);
  for (guint i = 0; i < n; i++)
    gtk_list_box_append (self->booking_list,
                         make_booking_row (self,
                                           json_array_get_object_element (self->bookings, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->booking_list), n > 0);
  /* A search asked for says what it found; one after a change leaves the
   * change's answer in place. */
  if (g_strcmp0 (self->message, _ ("Searching…")) == 0)
    {
      g_autofree char *text = NULL;

      if (self->query == NULL)
        text = n == 0
                 ? g_strdup (_ ("Nothing sold today, nor for today's showtimes"))
                 : g_strdup_printf (ngettext ("%u booking sold today or for today's showtimes, "
                                              "newest first",
                                              "%u bookings sold today or for today's showtimes, "
                                              "newest first",
                                              n),
                                    n);
      else
        text = n == 0 ? g_strdup (_ ("No booking matches"))
                      : g_strdup_printf (ngettext ("%u booking", "%u bookings", n), n);
      set_message (self, text);
    }
}

/* Bookings matching @text, or without one the manager's day: those sold
 * today (a customer back a minute later, wanting another showtime) and
 * those of today's showtimes. */
static void
search (GtBookingsView *self, const char *text)
{
  g_autofree char *escaped = text ? g_uri_escape_string (text, NULL, FALSE) : NULL;
  g_autoptr (JsonObject) config = text ? NULL : config_of (self);
  g_autofree char *today = text ? NULL
                                : gt_format_today (gt_json_string_member (config, "timezone"));
  g_autofree char *path = text ? g_strdup_printf ("/bookings?q=%s", escaped)
                               : g_strdup_printf ("/bookings?day=%s", today);

  if (self->client == NULL)
    return;

  g_cancellable_cancel (self->searching);
  g_clear_object (&self->searching);
  self->searching = g_cancellable_new ();
  gt_client_call_async (self->client, "GET", path, NULL, NULL, self->searching, on_found_cb,
                        g_object_ref (self));
}

static void
on_search_activate_cb (GtBookingsView *self)
{
  gt_bookings_view_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
gt_bookings_view_dispose (GObject *object)
{
  GtBookingsView *self = (GtBookingsView *) object;

  g_cancellable_cancel (self->searching);
  g_clear_object (&self->searching);
  gtk_widget_dispose_template (GTK_WIDGET (self), GT_TYPE_BOOKINGS_VIEW);
  gt_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->replica);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (gt_bookings_view_parent_class)->dispose (object);
}

static void
gt_bookings_view_finalize (GObject *object)
{
  GtBookingsView *self = (GtBookingsView *) object;

  g_clear_pointer (&self->bookings, json_array_unref);
  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (gt_bookings_view_parent_class)->finalize (object);
}

static void
gt_bookings_view_class_init (GtBookingsViewClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gt_bookings_view_dispose;
  object_class->finalize = gt_bookings_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/id/goticket/GoTicket/ui/gt-bookings-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GtBookingsView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, GtBookingsView, reason_row);
  gtk_widget_class_bind_template_child (widget_class, GtBookingsView, message_label);
  gtk_widget_class_bind_template_child (widget_class, GtBookingsView, booking_list);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
gt_bookings_view_init (GtBookingsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->message = g_strdup ("");
  gtk_widget_set_visible (GTK_WIDGET (self->booking_list), FALSE);
}

void
gt_bookings_view_set_replica (GtBookingsView *self, GtReplica *replica)
{
  g_return_if_fail (GT_IS_BOOKINGS_VIEW (self));

  g_clear_object (&self->client);
  if (g_set_object (&self->replica, replica) && replica != NULL)
    self->client = g_object_ref (gt_replica_get_client (replica));
}

void
gt_bookings_view_search (GtBookingsView *self, const char *text)
{
  g_autofree char *trimmed = NULL;

  g_return_if_fail (GT_IS_BOOKINGS_VIEW (self));

  trimmed = g_strstrip (g_strdup (text ? text : ""));
  if (self->client == NULL)
    return;
  g_free (self->query);
  self->query = trimmed[0] != '\0' ? g_strdup (trimmed) : NULL;
  set_message (self, _ ("Searching…"));
  search (self, self->query);
}

void
gt_bookings_view_refresh (GtBookingsView *self)
{
  g_return_if_fail (GT_IS_BOOKINGS_VIEW (self));
  gt_bookings_view_search (self, self->query);
}

JsonArray *
gt_bookings_view_get_bookings (GtBookingsView *self)
{
  g_return_val_if_fail (GT_IS_BOOKINGS_VIEW (self), NULL);
  return self->bookings;
}

void
gt_bookings_view_refund (GtBookingsView *self,
                         gint64          booking_id,
                         const gint64   *ticket_ids,
                         guint           n_tickets,
                         const char     *reason)
{
  g_autoptr (JsonObject) body = json_object_new ();
  g_autofree char *path = NULL;

  g_return_if_fail (GT_IS_BOOKINGS_VIEW (self));

  if (!ensure_reason (self, reason))
    return;
  json_object_set_string_member (body, "reason", reason);
  if (ticket_ids != NULL)
    {
      JsonArray *ids = json_array_new ();

      for (guint i = 0; i < n_tickets; i++)
        json_array_add_int_element (ids, ticket_ids[i]);
      json_object_set_array_member (body, "tickets", ids);
    }
  path = g_strdup_printf ("/bookings/%" G_GINT64_FORMAT "/refund", booking_id);
  set_message (self, _ ("Refunding…"));
  gt_client_call_async (self->client, "POST", path, body, NULL, NULL, on_changed_cb,
                        g_object_ref (self));
}

void
gt_bookings_view_exchange (GtBookingsView *self,
                           gint64          booking_id,
                           gint64          ticket_id,
                           gint64          showtime_id,
                           const char     *seat,
                           const char     *reason)
{
  g_autoptr (JsonObject) body = json_object_new ();
  JsonArray       *seats = json_array_new ();
  JsonObject      *move = json_object_new ();
  g_autofree char *path = NULL;

  g_return_if_fail (GT_IS_BOOKINGS_VIEW (self));

  json_object_set_array_member (body, "seats", seats);
  if (!ensure_reason (self, reason))
    {
      json_object_unref (move);
      return;
    }
  json_object_set_int_member (move, "ticket_id", ticket_id);
  json_object_set_string_member (move, "seat", seat);
  json_array_add_object_element (seats, move);
  json_object_set_int_member (body, "showtime_id", showtime_id);
  json_object_set_string_member (body, "reason", reason);
  path = g_strdup_printf ("/bookings/%" G_GINT64_FORMAT "/exchange", booking_id);
  set_message (self, _ ("Moving…"));
  gt_client_call_async (self->client, "POST", path, body, NULL, NULL, on_changed_cb,
                        g_object_ref (self));
}

const char *
gt_bookings_view_get_message (GtBookingsView *self)
{
  g_return_val_if_fail (GT_IS_BOOKINGS_VIEW (self), NULL);
  return self->message;
}
