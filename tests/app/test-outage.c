/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-outage"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "gt-app-fixture.h"
#include "gt-test-http.h"

/* A counter on a central server that goes away mid-session: the header
 * says so, selling is refused with the reason, the schedule, the seat map
 * and the counter's own sales still show, a sale is printed again; when the
 * server is back, the counter is online again by itself. */

typedef struct
{
  GtWindow   *window;
  const char *text;
} HeaderWait;

static gboolean
header_says (gpointer data)
{
  HeaderWait *wait = data;

  return strstr (_gt_window_get_connection_text (wait->window), wait->text) != NULL;
}

static void
wait_header (GtWindow *window, const char *text)
{
  HeaderWait       wait = { window, text };
  g_autofree char *what = g_strdup_printf ("the header to say “%s”", text);

  gt_app_wait (what, header_says, &wait, 30);
}

static gboolean
has_hold (gpointer data)
{
  return gt_sale_page_get_hold (data) != NULL;
}

static gboolean
still_offline_said (gpointer data)
{
  const char *toast = _gt_window_get_last_toast (data);

  return toast != NULL && strstr (toast, "still does not answer") != NULL;
}

static gboolean
banner_hidden (gpointer data)
{
  return !_gt_window_get_banner_shown (data);
}

static void
maybe_screenshot (GtAppFixture *fixture, const char *name)
{
  const char *dir = g_getenv ("GT_TEST_SCREENSHOT_DIR");

  if (dir != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      gt_app_save_screenshot (fixture, path);
    }
}

static void
test_outage (void)
{
  const char *const args[] = { "--demo", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) showtime = NULL;
  g_autoptr (JsonObject) booking = NULL;
  g_autoptr (JsonArray) journal = NULL;
  g_auto (GStrv) seats = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *port = NULL;
  GtAppFixture     fixture = { 0 };
  GtTestServer    *server = gt_test_server_start (NULL, args);
  GtSalePage      *sale;
  GtSeatMap       *map;
  GtReplica       *replica;

  gt_app_fixture_start_on_server (&fixture, server->url);
  replica = gt_application_get_replica (fixture.app);

  /* A sale, as on any day. */
  gt_app_sign_in (&fixture, "cashier");
  wait_header (fixture.window, "Online");
  showtime = gt_app_open_showtime (&fixture);
  sale = _gt_window_get_sale_page (fixture.window);
  map = gt_sale_page_get_seat_map (sale);
  seats = gt_app_free_seats (&fixture, 2);
  g_signal_emit_by_name (map, "seat-activated", seats[0]);
  gt_app_wait ("the hold", has_hold, sale, 30);
  gtk_widget_activate_action (GTK_WIDGET (sale), "sale.checkout", NULL);
  gt_app_wait_page (&fixture, "checkout");
  gt_checkout_page_pay_cash (_gt_window_get_checkout_page (fixture.window), 500000);
  gt_app_wait_page (&fixture, "ticket");
  booking = json_object_ref (
    gt_ticket_page_get_booking (_gt_window_get_ticket_page (fixture.window)));
  g_assert_false (_gt_window_get_banner_shown (fixture.window));

  /* The server goes away. */
  port = g_strdup (strrchr (server->url, ':') + 1);
  db_path = g_strdup (server->db_path);
  g_assert_cmpint (gt_test_server_stop (server), ==, 0);
  wait_header (fixture.window, "Offline since");
  g_assert_true (_gt_window_get_banner_shown (fixture.window));

  /* The schedule and the seat map still show what the counter knows... */
  gtk_widget_activate_action (GTK_WIDGET (_gt_window_get_ticket_page (fixture.window)),
                              "ticket.new-sale", NULL);
  gt_app_wait_page (&fixture, "schedule");
  g_assert_cmpuint (json_array_get_length (gt_schedule_page_get_showtimes (
                      _gt_window_get_schedule_page (fixture.window))),
                    >, 0);
  g_assert_true (gt_schedule_page_activate_showtime (_gt_window_get_schedule_page (fixture.window),
                                                     json_object_get_int_member (showtime, "id")));
  gt_app_wait_page (&fixture, "sale");
  g_assert_cmpuint (gt_seat_map_get_n_seats (map), >, 0);
  g_assert_cmpint (gt_seat_map_get_seat_state (map, seats[0]), ==, GT_SEAT_STATE_SOLD);
  maybe_screenshot (&fixture, "offline-seat-map.png");

  /* ...but nothing is sold, and the cashier is told why. */
  g_signal_emit_by_name (map, "seat-activated", seats[1]);
  g_assert_nonnull (strstr (_gt_window_get_last_toast (fixture.window), "waits for the server"));
  g_assert_null (gt_sale_page_get_hold (sale));

  /* The counter's sales are there, and the ticket prints again. */
  gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.sales", NULL);
  gt_app_wait_page (&fixture, "sales");
  maybe_screenshot (&fixture, "offline-sales.png");
  journal = gt_replica_list_journal (replica);
  g_assert_cmpuint (json_array_get_length (journal), ==, 1);
  g_assert_true (gt_sales_page_reprint (_gt_window_get_sales_page (fixture.window),
                                        json_object_get_string_member (booking, "code")));
  gt_app_wait_page (&fixture, "ticket");
  g_assert_cmpstr (json_object_get_string_member (gt_ticket_page_get_booking (
                                                    _gt_window_get_ticket_page (fixture.window)),
                                                  "code"),
                   ==, json_object_get_string_member (booking, "code"));
  /* A reprint is not a sale: no change to give again. */
  g_assert_null (gt_ticket_page_get_change (_gt_window_get_ticket_page (fixture.window)));

  /* Retry (F5) while the server is away says so and keeps the counter
   * where it is. */
  gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.retry", NULL);
  gt_app_wait ("Retry's answer", still_offline_said, fixture.window, 30);
  g_assert_cmpstr (gt_window_get_page (fixture.window), ==, "ticket");

  /* The server comes back: the counter is online again without a click. */
  {
    const char *const again_args[] = { "--port", port, NULL };
    GtTestServer     *again = gt_test_server_start (db_path, again_args);

    gt_test_server_free (server);
    server = again;
  }
  wait_header (fixture.window, "Online");
  gt_app_wait ("the banner to go", banner_hidden, fixture.window, 5);

  gt_app_fixture_stop (&fixture);
  gt_test_server_stop (server);
  gt_test_server_free (server);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/outage/offline-and-back", test_outage);
  return g_test_run ();
}
