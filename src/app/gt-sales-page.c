/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-sales-page"

#include "config.h"

#include "gt-widget-util.h"
#include <glib/gi18n.h>

#include "gt-format.h"
#include "gt-json.h"
#include "gt-sales-page.h"

/* Rows shown at most: the counter's recent sales, not its whole history. */
#define MAX_ROWS 300

struct _GtSalesPage
{
  GtkWidget parent_instance;

  GtReplica *replica;
  JsonArray *sales;

  /* A booking code that is not this counter's own sale is asked of the
   * server (any counter may reprint any booking). */
  char         *lookup_code;
  GCancellable *lookup;
  JsonArray    *found;       /* the server's answer for lookup_code */
  char         *lookup_note; /* why nothing was found, or NULL */

  GtkSearchEntry *search_entry;
  GtkStack       *stack;
  GtkListBox     *list_box;
  AdwStatusPage  *empty_page;
};

G_DEFINE_FINAL_TYPE (GtSalesPage, gt_sales_page, GTK_TYPE_WIDGET)

enum
{
  REPRINT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
matches (JsonObject *booking, const char *search)
{
  JsonObject      *showtime = gt_json_object_member (booking, "showtime");
  g_autofree char *text = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *needle = NULL;

  if (search == NULL || search[0] == '\0')
    return TRUE;
  text = g_strconcat (
    json_object_get_string_member_with_default (booking, "code", ""), " ",
    showtime ? json_object_get_string_member_with_default (showtime, "movie_title", "") : "", " ",
    gt_json_string_member (gt_json_object_member (booking, "customer"), "name"), NULL);
  folded = g_utf8_casefold (text, -1);
  needle = g_utf8_casefold (search, -1);
  return strstr (folded, needle) != NULL;
}

static void show_sales (GtSalesPage *self);

static void
on_looked_up_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtSalesPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = gt_client_call_finish (GT_CLIENT (object), result, &error);
  JsonArray *bookings = answer ? gt_json_array_member (answer, "bookings") : NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->lookup);
  if (bookings != NULL && json_array_get_length (bookings) > 0)
    {
      /* Rows and reprints need the showtime, which the counter's store has. */
      for (guint i = 0; i < json_array_get_length (bookings); i++)
        {
          JsonObject *booking = json_array_get_object_element (bookings, i);
          JsonObject *showtime = gt_replica_dup_showtime (
            self->replica, json_object_get_int_member_with_default (booking, "showtime_id", 0));

          if (showtime != NULL)
            json_object_set_object_member (booking, "showtime", showtime);
        }
      self->found = json_array_ref (bookings);
    }
  else if (error != NULL && gt_client_error_is_network (error))
    self->lookup_note = g_strdup (_ ("The server does not answer: only the sales of this counter "
                                     "can be found now"));
  else if (error != NULL && !g_error_matches (error, GT_ERROR, GT_ERROR_NOT_FOUND))
    self->lookup_note = g_strdup (error->message);
  else
    self->lookup_note = g_strdup_printf (_ ("No sale has the code %s"), self->lookup_code);
  show_sales (self);
}

/* Asks the server for @code once; its answer shows when it comes. */
static void
look_up (GtSalesPage *self, const char *code)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  if (g_strcmp0 (code, self->lookup_code) == 0)
    return;
  g_cancellable_cancel (self->lookup);
  g_clear_object (&self->lookup);
  g_clear_pointer (&self->found, json_array_unref);
  g_clear_pointer (&self->lookup_note, g_free);
  g_free (self->lookup_code);
  self->lookup_code = g_strdup (code);
  if (code == NULL || self->replica == NULL)
    return;

  escaped = g_uri_escape_string (code, NULL, FALSE);
  path = g_strdup_printf ("/bookings?code=%s", escaped);
  self->lookup = g_cancellable_new ();
  gt_client_call_async (gt_replica_get_client (self->replica), "GET", path, NULL, NULL,
                        self->lookup, on_looked_up_cb, g_object_ref (self));
}

static void
on_reprint_clicked_cb (GtkButton *button, GtSalesPage *self)
{
  JsonObject *booking = g_object_get_data (G_OBJECT (button), "booking");

  g_signal_emit (self, signals[REPRINT], 0, booking);
}

static GtkWidget *
make_row (GtSalesPage *self, JsonObject *booking, JsonObject *config, gboolean elsewhere)
{
  JsonObject *showtime = gt_json_object_member (booking, "showtime");
  const char *timezone = config
                           ? json_object_get_string_member_with_default (config, "timezone", "UTC")
                           : "UTC";
  JsonArray  *tickets = json_object_get_array_member (booking, "tickets");
  guint       n = tickets ? json_array_get_length (tickets) : 0;
  gboolean refunded = g_strcmp0 (json_object_get_string_member_with_default (booking, "status", ""),
                                 "refunded")
                      == 0;
  g_autofree char *title = NULL;
  g_autofree char *when = NULL;
  g_autofree char *sold_at = NULL;
  g_autofree char *total = NULL;
  g_autofree char *subtitle = NULL;
  GtkWidget       *row = gt_plain_action_row_new ();

  title = g_strdup_printf (
    "%s · %s", json_object_get_string_member_with_default (booking, "code", ""),
    showtime ? json_object_get_string_member_with_default (showtime, "movie_title", "") : "");
  when = showtime ? gt_format_showtime_when (json_object_get_string_member (showtime, "starts_at"),
                                             timezone)
                  : g_strdup ("");
  sold_at = gt_format_clock (json_object_get_string_member_with_default (booking, "created_at", ""),
                             timezone);
  total = gt_format_config_money (config,
                                  json_object_get_int_member_with_default (booking, "total", 0));
  subtitle = g_strdup_printf (ngettext ("%s · %u ticket · %s · sold at %s",
                                        "%s · %u tickets · %s · sold at %s", n),
                              when, n, total, sold_at);
  /* A sale found on the server says where it was made. */
  if (elsewhere)
    {
      g_autofree char *here = g_steal_pointer (&subtitle);

      subtitle = g_strdup_printf ("%s · %s · %s", here, gt_json_string_member (booking, "counter"),
                                  gt_json_string_member (booking, "cashier"));
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  if (refunded)
    {
      GtkWidget *label = gtk_label_new (_ ("Refunded"));

      gtk_widget_add_css_class (label, "error");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  else
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_ ("_Reprint"));

      /* Its refunded tickets print marked as such. */
      if (g_strcmp0 (gt_json_string_member (booking, "status"), "partially_refunded") == 0)
        {
          GtkWidget *label = gtk_label_new (_ ("Partly refunded"));

          gtk_widget_add_css_class (label, "warning");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
        }

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (button), "booking", json_object_ref (booking),
                              (GDestroyNotify) json_object_unref);
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_reprint_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
    }

  return row;
}

static void
show_sales (GtSalesPage *self)
{
  /* Read once for every row: each reading is a query and a parse. */
  g_autoptr (JsonObject) config = gt_replica_dup_config (self->replica);
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  GtkWidget  *child;
  guint       shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);

  for (guint i = 0; self->sales && i < json_array_get_length (self->sales) && shown < MAX_ROWS; i++)
    {
      JsonObject *booking = json_array_get_object_element (self->sales, i);

      if (!matches (booking, search))
        continue;
      gtk_list_box_append (self->list_box, make_row (self, booking, config, FALSE));
      shown++;
    }

  /* Not sold here: perhaps at another counter. */
  {
    g_autofree char *code = shown == 0 ? gt_format_booking_code (search) : NULL;

    look_up (self, code);
    for (guint i = 0; self->found && i < json_array_get_length (self->found); i++)
      {
        gtk_list_box_append (self->list_box,
                             make_row (self, json_array_get_object_element (self->found, i), config,
                                       TRUE));
        shown++;
      }
  }

  if (shown > 0)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else
    {
      /* A status page's description is markup; the note may quote the server. */
      g_autofree char *note = g_markup_escape_text (
        self->lookup_note ? self->lookup_note
                          : _ ("Tickets sold at this counter appear here, to print them again. "
                               "A booking code from another counter is looked up on the server."),
        -1);

      adw_status_page_set_title (self->empty_page, self->lookup ? _ ("Looking on the Server…")
                                                   : search[0]  ? _ ("No Sale Matches")
                                                                : _ ("No Sales Yet"));
      adw_status_page_set_description (self->empty_page, note);
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
}

static void
on_search_changed_cb (GtSalesPage *self)
{
  show_sales (self);
}

static void
on_booking_changed_cb (GtSalesPage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gt_sales_page_refresh (self);
}

static void
gt_sales_page_dispose (GObject *object)
{
  GtSalesPage *self = (GtSalesPage *) object;

  g_cancellable_cancel (self->lookup);
  g_clear_object (&self->lookup);
  gtk_widget_dispose_template (GTK_WIDGET (self), GT_TYPE_SALES_PAGE);
  gt_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->replica);

  G_OBJECT_CLASS (gt_sales_page_parent_class)->dispose (object);
}

static void
gt_sales_page_finalize (GObject *object)
{
  GtSalesPage *self = (GtSalesPage *) object;

  g_clear_pointer (&self->sales, json_array_unref);
  g_clear_pointer (&self->found, json_array_unref);
  g_clear_pointer (&self->lookup_code, g_free);
  g_clear_pointer (&self->lookup_note, g_free);

  G_OBJECT_CLASS (gt_sales_page_parent_class)->finalize (object);
}

static void
gt_sales_page_class_init (GtSalesPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gt_sales_page_dispose;
  object_class->finalize = gt_sales_page_finalize;

  /**
   * GtSalesPage::reprint:
   * @booking: the booking, with its "showtime"
   */
  signals[REPRINT] = g_signal_new ("reprint", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/id/goticket/GoTicket/ui/gt-sales-page.ui");
  gtk_widget_class_bind_template_child (widget_class, GtSalesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, GtSalesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, GtSalesPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, GtSalesPage, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
gt_sales_page_init (GtSalesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
gt_sales_page_set_replica (GtSalesPage *self, GtReplica *replica)
{
  g_return_if_fail (GT_IS_SALES_PAGE (self));

  if (!g_set_object (&self->replica, replica) || replica == NULL)
    return;
  /* A refund elsewhere shows here as it happens. */
  g_signal_connect_object (replica, "changed::booking", G_CALLBACK (on_booking_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

void
gt_sales_page_refresh (GtSalesPage *self)
{
  g_return_if_fail (GT_IS_SALES_PAGE (self));

  if (self->replica == NULL)
    return;
  g_clear_pointer (&self->sales, json_array_unref);
  self->sales = gt_replica_list_journal (self->replica);
  /* A code looked up before (perhaps while the server was away) is asked
   * again. */
  look_up (self, NULL);
  show_sales (self);
}

void
gt_sales_page_focus (GtSalesPage *self)
{
  g_return_if_fail (GT_IS_SALES_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
gt_sales_page_search (GtSalesPage *self, const char *text)
{
  g_return_if_fail (GT_IS_SALES_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  show_sales (self);
}

static JsonObject *
find_code (JsonArray *bookings, const char *code)
{
  for (guint i = 0; bookings != NULL && i < json_array_get_length (bookings); i++)
    {
      JsonObject *booking = json_array_get_object_element (bookings, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (booking, "code", ""), code) == 0)
        return booking;
    }
  return NULL;
}

gboolean
gt_sales_page_reprint (GtSalesPage *self, const char *code)
{
  JsonObject *booking;

  g_return_val_if_fail (GT_IS_SALES_PAGE (self), FALSE);

  booking = find_code (self->sales, code);
  if (booking == NULL)
    booking = find_code (self->found, code);
  if (booking == NULL)
    return FALSE;
  g_signal_emit (self, signals[REPRINT], 0, booking);
  return TRUE;
}
