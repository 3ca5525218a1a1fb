/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-memory"

#include "config.h"

#include <malloc.h>
#include <unistd.h>

#include "gt-app-fixture.h"
#include "gt-test-http.h"

/* A counter's memory over a day of selling: whole sales through the app's
 * pages (seats, payment, tickets, New Sale), on a central server of its own
 * so that only the counter is measured. The baseline is the counter's own
 * heap after a first round of sales, when every page, cache and font has been
 * used once; what the later sales add to it would grow all day. */

#define WARM_SALES 20
#define SALES      300

static gboolean
seats_shown (gpointer data)
{
  return gt_seat_map_get_n_seats (data) == 1000;
}

/* What the process's heap holds, in bytes: glibc's arenas in use plus the
 * blocks it mapped on their own. */
static double
heap_in_use (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return (double) (info.uordblks + info.hblkhd);
}

static double
resident (void)
{
  g_autofree char *statm = NULL;
  unsigned long    size = 0, pages = 0;

  if (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    sscanf (statm, "%lu %lu", &size, &pages);
  return (double) pages * sysconf (_SC_PAGESIZE);
}

/* Two adult seats of @showtime sold for cash as a cashier would: open it,
 * click two free seats, Ctrl+Enter, the cash, the tickets, New Sale. */
static void
sell_once (GtAppFixture *fixture, JsonObject *showtime)
{
  GtSchedulePage *schedule = _gt_window_get_schedule_page (fixture->window);
  GtSalePage     *sale = _gt_window_get_sale_page (fixture->window);
  GtSeatMap      *map = gt_sale_page_get_seat_map (sale);
  g_auto (GStrv) seats = NULL;

  g_signal_emit_by_name (schedule, "showtime-activated", showtime);
  gt_app_wait_page (fixture, "sale");
  gt_app_wait ("the seat map", seats_shown, map, 30);
  seats = gt_app_free_seats (fixture, 2);
  g_signal_emit_by_name (map, "seat-activated", seats[0]);
  gt_app_wait_hold (fixture, 1);
  g_signal_emit_by_name (map, "seat-activated", seats[1]);
  gt_app_wait_hold (fixture, 2);

  gtk_widget_activate_action (GTK_WIDGET (sale), "sale.checkout", NULL);
  gt_app_wait_page (fixture, "checkout");
  gt_checkout_page_pay_cash (_gt_window_get_checkout_page (fixture->window), 150000);
  gt_app_wait_page (fixture, "ticket");

  gtk_widget_activate_action (GTK_WIDGET (_gt_window_get_ticket_page (fixture->window)),
                              "ticket.new-sale", NULL);
  gt_app_wait_page (fixture, "schedule");
}

int
main (int argc, char *argv[])
{
  const char *const args[] = { "--demo", NULL };
  GtAppFixture      fixture = { 0 };
  g_autoptr (JsonObject) showtime = NULL;
  GtTestServer *server;
  double        heap_start, heap_warm, heap_end, rss_warm, rss_end;

  gtk_init ();
  adw_init ();

  server = gt_test_server_start (NULL, args);
  gt_app_fixture_start_on_server (&fixture, server->url);
  gt_app_sign_in (&fixture, "cashier");
  showtime = gt_app_make_big_showtime (&fixture);
  heap_start = heap_in_use ();

  for (guint i = 0; i < WARM_SALES; i++)
    sell_once (&fixture, showtime);
  heap_warm = heap_in_use ();
  rss_warm = resident ();

  for (guint i = 0; i < SALES; i++)
    sell_once (&fixture, showtime);
  heap_end = heap_in_use ();
  rss_end = resident ();

  g_print ("measure                                        heap MB   baseline MB   ratio\n");
  g_print ("counter heap after %3d more sales (%d seats)   %7.2f   %11.2f   %5.3f   (baseline: "
           "the heap after %d sales)\n",
           SALES, 2 * SALES, heap_end / 1e6, heap_warm / 1e6, heap_end / heap_warm, WARM_SALES);
  g_print ("  growth per sale: %.1f KB (the first %d sales: %.1f KB each); resident %.1f MB -> "
           "%.1f MB\n",
           (heap_end - heap_warm) / SALES / 1e3, WARM_SALES,
           (heap_warm - heap_start) / WARM_SALES / 1e3, rss_warm / 1e6, rss_end / 1e6);

  gt_app_fixture_stop (&fixture);
  g_assert_cmpint (gt_test_server_stop (server), ==, 0);
  gt_test_server_free (server);
  return 0;
}
