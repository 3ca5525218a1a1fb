/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sale"

#include "config.h"

#include <glib/gstdio.h>

#include "gt-app-fixture.h"
#include "gt-first-run-page.h"
#include "gt-format.h"

typedef struct
{
  GtSeatMap  *map;
  const char *seat;
  GtSeatState state;
} SeatWait;

static gboolean
seat_in_state (gpointer data)
{
  SeatWait *wait = data;

  return gt_seat_map_get_seat_state (wait->map, wait->seat) == wait->state;
}

static void
wait_seat (GtSeatMap *map, const char *seat, GtSeatState state)
{
  SeatWait         wait = { map, seat, state };
  g_autofree char *what = g_strdup_printf ("seat %s to be %s", seat,
                                           gt_seat_state_to_label (state));

  gt_app_wait (what, seat_in_state, &wait, 30);
}

/* A cashier sells two seats for cash; a seat another counter holds first is
 * shown taken; the e-ticket comes out with the right seats, types and change. */
static void
test_sell_two_seats (void)
{
  GtAppFixture fixture = { 0 };
  g_autoptr (JsonObject) showtime = NULL;
  g_autoptr (JsonObject) other_login = NULL;
  g_autoptr (JsonObject) other_hold = NULL;
  g_autoptr (GtClient) other = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) seats = NULL;
  g_autofree char *hold_path = NULL;
  g_autofree char *hold_body = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *text = NULL;
  GtSalePage      *sale;
  GtSeatMap       *map;
  JsonObject      *booking;
  JsonObject      *prices;
  gint64           total;
  gint64           tendered;
  JsonArray       *tickets;

  gt_app_fixture_start (&fixture, 0, TRUE);
  gt_app_sign_in (&fixture, "cashier");
  showtime = gt_app_open_showtime (&fixture);
  /* The window, whichever page it shows, fits a 1024 px counter screen. */
  g_assert_cmpint (gt_app_min_width (&fixture), <=, 1024);
  sale = _gt_window_get_sale_page (fixture.window);
  map = gt_sale_page_get_seat_map (sale);
  seats = gt_app_free_seats (&fixture, 3);

  /* Counter 2 takes seats[2]: this counter's map shows it at once, untouched. */
  other = gt_client_new (gt_client_get_base_url (gt_application_get_client (fixture.app)));
  other_login = gt_app_call (other, "POST", "/sessions",
                             "{\"username\":\"cashier2\",\"password\":\"cashier2\","
                             "\"counter\":\"Counter 2\"}",
                             &error);
  g_assert_no_error (error);
  gt_client_set_token (other, json_object_get_string_member (other_login, "token"));
  hold_path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/holds",
                               json_object_get_int_member (showtime, "id"));
  hold_body = g_strdup_printf ("{\"seats\":[\"%s\"]}", seats[2]);
  other_hold = gt_app_call (other, "POST", hold_path, hold_body, &error);
  g_assert_no_error (error);
  wait_seat (map, seats[2], GT_SEAT_STATE_HELD);

  /* This cashier clicks it anyway: told so, and nothing is held. */
  g_signal_emit_by_name (map, "seat-activated", seats[2]);
  g_assert_nonnull (strstr (_gt_window_get_last_toast (fixture.window), seats[2]));
  g_assert_null (gt_sale_page_get_hold (sale));

  /* Two free seats, then ticket types. */
  g_signal_emit_by_name (map, "seat-activated", seats[0]);
  wait_seat (map, seats[0], GT_SEAT_STATE_MINE);
  g_signal_emit_by_name (map, "seat-activated", seats[1]);
  gt_app_wait_hold (&fixture, 2);
  g_assert_cmpint (gt_seat_map_get_seat_state (map, seats[1]), ==, GT_SEAT_STATE_MINE);
  /* All as child, as for a group; then the first back to adult. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (sale), "sale.type-all", "s", "child"));
  g_assert_true (gt_sale_page_set_ticket_type (sale, seats[0], "adult"));

  /* The customer hands over the next round 50,000 above the total. */
  prices = json_object_get_object_member (showtime, "prices");
  total = json_object_get_int_member (prices, "adult")
          + json_object_get_int_member (prices, "child");
  tendered = (total / 50000 + 1) * 50000;

  gtk_widget_activate_action (GTK_WIDGET (sale), "sale.checkout", NULL);
  gt_app_wait_page (&fixture, "checkout");
  /* A name to find the booking by later; spaces around it do not count. */
  gt_checkout_page_set_customer_name (_gt_window_get_checkout_page (fixture.window),
                                      "  Budi Santoso ");
  gt_checkout_page_pay_cash (_gt_window_get_checkout_page (fixture.window), tendered);
  gt_app_wait_page (&fixture, "ticket");

  booking = gt_ticket_page_get_booking (_gt_window_get_ticket_page (fixture.window));
  g_assert_nonnull (booking);
  g_assert_cmpstr (json_object_get_string_member (booking, "status"), ==, "paid");
  g_assert_cmpstr (
    json_object_get_string_member (json_object_get_object_member (booking, "customer"), "name"), ==,
    "Budi Santoso");
  tickets = json_object_get_array_member (booking, "tickets");
  g_assert_cmpuint (json_array_get_length (tickets), ==, 2);
  g_assert_cmpint (json_object_get_int_member (booking, "total"), ==, total);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (booking, "payment"),
                                               "change"),
                   ==, tendered - total);
  {
    g_autoptr (JsonObject)
      config = gt_replica_dup_config (gt_application_get_replica (fixture.app));
    g_autofree char *change = gt_format_config_money (config, tendered - total);

    g_assert_nonnull (gt_ticket_page_get_change (_gt_window_get_ticket_page (fixture.window)));
    g_assert_nonnull (
      strstr (gt_ticket_page_get_change (_gt_window_get_ticket_page (fixture.window)), change));
  }
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *t = json_array_get_object_element (tickets, i);
      const char *seat = json_object_get_string_member (t, "seat");

      g_assert_true (g_str_equal (seat, seats[0]) || g_str_equal (seat, seats[1]));
      g_assert_cmpstr (json_object_get_string_member (t, "type"), ==,
                       g_str_equal (seat, seats[0]) ? "adult" : "child");
    }

  /* The e-ticket saves as a PDF that names the booking. */
  pdf = g_build_filename (fixture.dir, "tickets.pdf", NULL);
  g_assert_true (
    gt_ticket_page_save_pdf (_gt_window_get_ticket_page (fixture.window), pdf, &error));
  g_assert_no_error (error);
  {
    const char *argv[] = { "pdftotext", pdf, "-", NULL };
    int         status = 0;

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, &text, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (text, json_object_get_string_member (booking, "code")));
    g_assert_nonnull (strstr (text, json_object_get_string_member (showtime, "movie_title")));
  }
  g_unlink (pdf);

  /* New sale goes back to the schedule, where the seats now count as sold. */
  gtk_widget_activate_action (GTK_WIDGET (_gt_window_get_ticket_page (fixture.window)),
                              "ticket.new-sale", NULL);
  gt_app_wait_page (&fixture, "schedule");

  gt_app_fixture_stop (&fixture);
}

typedef struct
{
  GtSalesPage *page;
  const char  *code;
} ReprintWait;

static gboolean
reprinted (gpointer data)
{
  ReprintWait *wait = data;

  return gt_sales_page_reprint (wait->page, wait->code);
}

/* A customer back with the code of a booking sold at another counter: typed
 * (in any case) into this counter's sales, it is found on the server and
 * printed again. */
static void
test_reprint_from_another_counter (void)
{
  GtAppFixture fixture = { 0 };
  g_autoptr (GtClient) other = NULL;
  g_autoptr (JsonObject) showtime = NULL;
  g_autoptr (JsonObject) booking = NULL;
  g_autoptr (GString) seats = g_string_new ("[");
  g_auto (GStrv) free_seats = NULL;
  g_autofree char *typed = NULL;
  GtSalesPage     *sales;
  JsonObject      *shown;
  ReprintWait      wait;

  gt_app_fixture_start (&fixture, 0, TRUE);
  gt_app_sign_in (&fixture, "cashier");
  showtime = gt_app_open_showtime (&fixture);
  free_seats = gt_app_free_seats (&fixture, 2);
  g_string_append_printf (seats, "\"%s\",\"%s\"]", free_seats[0], free_seats[1]);
  other = gt_app_signed_in_client (&fixture, "cashier2");
  booking = gt_app_sell (other, json_object_get_int_member (showtime, "id"), seats->str,
                         "reprint-elsewhere");

  gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.sales", NULL);
  gt_app_wait_page (&fixture, "sales");
  sales = _gt_window_get_sales_page (fixture.window);
  typed = g_ascii_strdown (json_object_get_string_member (booking, "code"), -1);
  gt_sales_page_search (sales, typed);
  wait.page = sales;
  wait.code = json_object_get_string_member (booking, "code");
  gt_app_wait ("the booking from the server", reprinted, &wait, 30);
  gt_app_wait_page (&fixture, "ticket");
  shown = gt_ticket_page_get_booking (_gt_window_get_ticket_page (fixture.window));
  g_assert_cmpstr (json_object_get_string_member (shown, "code"), ==, wait.code);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (shown, "tickets")), ==, 2);

  gt_app_fixture_stop (&fixture);
}

static JsonObject *
object_from (const char *text)
{
  g_autoptr (JsonNode) node = json_from_string (text, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

/* Change is what a cashier counts out; paid exactly, the page says there
 * is none, rather than "Rp 0". */
static void
test_change_to_give (void)
{
  g_autoptr (JsonObject) config = object_from (
    "{\"currency\":\"IDR\",\"currency_decimals\":0,\"timezone\":\"Asia/Jakarta\"}");
  g_autoptr (JsonObject) showtime = object_from (
    "{\"starts_at\":\"2026-11-26T03:00:00Z\",\"movie_title\":\"Up\",\"auditorium_name\":\"1\"}");
  g_autoptr (JsonObject) exact = object_from (
    "{\"code\":\"GT-4E89KG\",\"status\":\"paid\",\"total\":100000,\"created_at\":"
    "\"2026-11-25T14:50:00Z\",\"tickets\":[],\"payment\":{\"method\":\"cash\","
    "\"amount\":100000,\"tendered\":100000,\"change\":0}}");
  g_autoptr (JsonObject) over = object_from (
    "{\"code\":\"GT-4E89KH\",\"status\":\"paid\",\"total\":100000,\"created_at\":"
    "\"2026-11-25T14:50:00Z\",\"tickets\":[],\"payment\":{\"method\":\"cash\","
    "\"amount\":100000,\"tendered\":150000,\"change\":50000}}");
  GtTicketPage *page = g_object_ref_sink (g_object_new (GT_TYPE_TICKET_PAGE, NULL));

  gt_ticket_page_set_config (page, config);
  gt_ticket_page_set_booking (page, exact, showtime);
  g_assert_cmpstr (gt_ticket_page_get_change (page), ==, "Paid exactly: no change to give");
  gt_ticket_page_set_booking (page, over, showtime);
  g_assert_cmpstr (gt_ticket_page_get_change (page), ==, "Change to give: Rp 50.000");
  g_assert_finalize_object (page);
}

static gboolean
setup_answered (gpointer data)
{
  return gtk_widget_get_sensitive (data);
}

/* The first run's form answers Enter as the sign-in page does: in a field
 * of an incomplete form, the next field; once complete, the account. */
static void
test_first_run_enter (void)
{
  g_autoptr (GtClient) client = gt_client_new ("http://127.0.0.1:9");
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) buttons = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = g_object_new (GT_TYPE_FIRST_RUN_PAGE, NULL);
  GtkWidget *demo = NULL;
  GtkRoot   *root;

  gt_first_run_page_set_client (GT_FIRST_RUN_PAGE (page), client);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  rows = gt_app_find_all (page, ADW_TYPE_ENTRY_ROW);
  buttons = gt_app_find_all (page, GTK_TYPE_BUTTON);
  g_assert_cmpuint (rows->len, ==, 4); /* username, name, password, again */
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), "Load _Demo Data") == 0)
      demo = g_ptr_array_index (buttons, i);
  g_assert_nonnull (demo);
  root = gtk_widget_get_root (page);

  gtk_widget_grab_focus (g_ptr_array_index (rows, 0));
  g_signal_emit_by_name (g_ptr_array_index (rows, 0), "entry-activated");
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (root), g_ptr_array_index (rows, 1)));

  /* From the password to the second one, not to its eye button. */
  g_signal_emit_by_name (g_ptr_array_index (rows, 2), "entry-activated");
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (root), g_ptr_array_index (rows, 3)));
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (rows, 2)), "secret99");
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (rows, 3)), "secret99");
  g_signal_emit_by_name (g_ptr_array_index (rows, 3), "entry-activated");
  /* Sent: the form waits for the server (here none answers). */
  g_assert_false (gtk_widget_get_sensitive (demo));
  /* The administrator asked for is the one the sign-in page will offer. */
  g_assert_cmpstr (gt_first_run_page_get_username (GT_FIRST_RUN_PAGE (page)), ==, "admin");
  gt_app_wait ("the server's answer", setup_answered, demo, 30);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/sale/two-seats-cash", test_sell_two_seats);
  g_test_add_func ("/app/sale/change-to-give", test_change_to_give);
  g_test_add_func ("/app/first-run/enter", test_first_run_enter);
  g_test_add_func ("/app/sales/reprint-from-another-counter", test_reprint_from_another_counter);
  return g_test_run ();
}
