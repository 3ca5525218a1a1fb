/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-expiry"

#include "config.h"

#include "gt-app-fixture.h"

typedef struct
{
  GtSalePage *page;
  GtSeatMap  *map;
  const char *seat;
} ExpiryWait;

static gboolean
held (gpointer data)
{
  ExpiryWait *wait = data;

  return gt_sale_page_get_hold (wait->page) != NULL;
}

static gboolean
expired (gpointer data)
{
  ExpiryWait *wait = data;

  return gt_sale_page_get_hold (wait->page) == NULL
         && gt_seat_map_get_seat_state (wait->map, wait->seat) == GT_SEAT_STATE_FREE;
}

/* With a short hold time, a held seat comes back free on the map by itself,
 * the cashier is told, and nothing is sold. */
static void
test_hold_expires (void)
{
  GtAppFixture fixture = { 0 };
  g_autoptr (JsonObject) showtime = NULL;
  g_auto (GStrv) seats = NULL;
  ExpiryWait wait;

  gt_app_fixture_start (&fixture, 3, TRUE);
  gt_app_sign_in (&fixture, "cashier");
  showtime = gt_app_open_showtime (&fixture);
  seats = gt_app_free_seats (&fixture, 1);

  wait.page = _gt_window_get_sale_page (fixture.window);
  wait.map = gt_sale_page_get_seat_map (wait.page);
  wait.seat = seats[0];
  g_signal_emit_by_name (wait.map, "seat-activated", seats[0]);
  gt_app_wait ("the hold", held, &wait, 30);
  g_assert_cmpint (gt_seat_map_get_seat_state (wait.map, seats[0]), ==, GT_SEAT_STATE_MINE);

  gt_app_wait ("the hold to run out", expired, &wait, 20);
  g_assert_nonnull (_gt_window_get_last_toast (fixture.window));
  g_assert_nonnull (strstr (_gt_window_get_last_toast (fixture.window), "nothing was sold"));
  g_assert_cmpstr (gt_window_get_page (fixture.window), ==, "sale");

  gt_app_fixture_stop (&fixture);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/sale/hold-expires", test_hold_expires);
  return g_test_run ();
}
