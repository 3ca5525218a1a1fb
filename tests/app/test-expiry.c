/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-expiry"

#include "config.h"

#include "gt-app-fixture.h"
#include "gt-widget-util.h"

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

/* The app with holds of 3 s; a cashier holds one seat of the first showtime
 * with seats free. Fills in @wait; returns the seat ids to free. */
static GStrv
hold_one_seat (GtAppFixture *fixture, ExpiryWait *wait)
{
  g_autoptr (JsonObject) showtime = NULL;
  GStrv seats;

  gt_app_fixture_start (fixture, 3, TRUE);
  gt_app_sign_in (fixture, "cashier");
  showtime = gt_app_open_showtime (fixture);
  seats = gt_app_free_seats (fixture, 1);

  wait->page = _gt_window_get_sale_page (fixture->window);
  wait->map = gt_sale_page_get_seat_map (wait->page);
  wait->seat = seats[0];
  g_signal_emit_by_name (wait->map, "seat-activated", seats[0]);
  gt_app_wait ("the hold", held, wait, 30);
  g_assert_cmpint (gt_seat_map_get_seat_state (wait->map, seats[0]), ==, GT_SEAT_STATE_MINE);
  return seats;
}

/* With a short hold time, a held seat comes back free on the map by itself,
 * the cashier is told, and nothing is sold. */
static void
test_hold_expires (void)
{
  GtAppFixture fixture = { 0 };
  ExpiryWait   wait;
  g_auto (GStrv) seats = hold_one_seat (&fixture, &wait);

  gt_app_wait ("the hold to run out", expired, &wait, 20);
  g_assert_nonnull (_gt_window_get_last_toast (fixture.window));
  g_assert_nonnull (strstr (_gt_window_get_last_toast (fixture.window), "nothing was sold"));
  g_assert_cmpstr (gt_window_get_page (fixture.window), ==, "sale");

  gt_app_fixture_stop (&fixture);
}

typedef struct
{
  GtSalePage     *sale;
  GtCheckoutPage *checkout;
  JsonObject     *hold_before;
} PaymentWait;

static gboolean
hold_extended (gpointer data)
{
  PaymentWait *wait = data;
  JsonObject  *hold = gt_sale_page_get_hold (wait->sale);

  /* The server's answer replaces the hold (its expiry may read the same to
   * the second). */
  return hold != NULL && hold != wait->hold_before;
}

static gboolean
payment_refused (gpointer data)
{
  PaymentWait *wait = data;

  return gt_checkout_page_get_message (wait->checkout) != NULL;
}

/* On the payment page the hold's time shows and can be extended; when it
 * runs out there, the page says so at once, before any cash is taken, and
 * nothing more can be confirmed. */
static void
test_hold_expires_at_payment (void)
{
  GtAppFixture fixture = { 0 };
  ExpiryWait   held_wait;
  PaymentWait  wait;
  g_auto (GStrv) seats = hold_one_seat (&fixture, &held_wait);

  wait.sale = held_wait.page;
  wait.checkout = _gt_window_get_checkout_page (fixture.window);
  gtk_widget_activate_action (GTK_WIDGET (wait.sale), "sale.checkout", NULL);
  gt_app_wait_page (&fixture, "checkout");
  g_assert_null (gt_checkout_page_get_message (wait.checkout));

  /* Extended from the payment page, as from the seat page. */
  wait.hold_before = json_object_ref (gt_sale_page_get_hold (wait.sale));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (wait.checkout), "checkout.extend", NULL));
  gt_app_wait ("the hold to be extended", hold_extended, &wait, 10);
  json_object_unref (wait.hold_before);
  g_assert_nonnull (strstr (_gt_window_get_last_toast (fixture.window), "held longer"));

  /* It runs out while the page is shown: said in place, not as a passing
   * notice, and the seats are free again. */
  gt_app_wait ("the payment page to say the hold ran out", payment_refused, &wait, 20);
  g_assert_nonnull (strstr (gt_checkout_page_get_message (wait.checkout), "held too long"));
  g_assert_cmpstr (gt_window_get_page (fixture.window), ==, "checkout");
  g_assert_null (strstr (_gt_window_get_last_toast (fixture.window), "nothing was sold"));
  gt_app_wait ("the seat to be free", expired, &held_wait, 10);

  /* Money typed afterwards does not clear the refusal. */
  gt_checkout_page_pay_cash (wait.checkout, 1000000);
  g_assert_nonnull (gt_checkout_page_get_message (wait.checkout));
  g_assert_cmpstr (gt_window_get_page (fixture.window), ==, "checkout");

  gt_app_fixture_stop (&fixture);
}

/* A toast shows its text as it is: libadwaita 1.2 reads a toast's title as
 * markup, and a movie's title with "&" in it ("Moved Fast & Furious to
 * 19:30") was a warning and an empty toast. */
static void
test_toast_text (void)
{
  const char *text = "Moved Fast & Furious <3 to 19:30";
  GtkWidget  *window = gtk_window_new ();
  GtkWidget  *overlay = adw_toast_overlay_new ();

  gtk_window_set_child (GTK_WINDOW (window), overlay);
  gtk_window_present (GTK_WINDOW (window));
  gt_add_toast (ADW_TOAST_OVERLAY (overlay), text);
  for (guint i = 0; i < 100 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (gt_app_shows_label (overlay, text));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/toast/text-as-it-is", test_toast_text);
  g_test_add_func ("/app/sale/hold-expires", test_hold_expires);
  g_test_add_func ("/app/checkout/hold-expires", test_hold_expires_at_payment);
  return g_test_run ();
}
