/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-screenshots"

#include "config.h"

#include "gt-app-fixture.h"

/* Takes a screenshot of every view of the running app, driven as a cashier
 * would drive it: build-aux/screenshots.sh runs it under Xvfb. */

static char *out_dir;

static void
shoot (GtAppFixture *fixture, const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s.png", name);
  g_autofree char *path = g_build_filename (out_dir, file, NULL);

  gt_app_save_screenshot (fixture, path);
  g_print ("%s\n", path);
}

static gboolean
settle (gpointer data)
{
  gint64 *until = data;

  return g_get_monotonic_time () >= *until;
}

static void
wait_ms (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  gt_app_wait ("the view to settle", settle, &until, 10 + ms / 1000);
}

int
main (int argc, char *argv[])
{
  GtAppFixture fixture = { 0 };
  g_autoptr (JsonObject) showtime = NULL;
  GtSalePage *sale;

  gtk_init ();
  out_dir = argc > 1 ? argv[1] : g_get_current_dir ();
  g_mkdir_with_parents (out_dir, 0755);

  /* A new cinema: the first-run page. */
  gt_app_fixture_start (&fixture, 0, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (fixture.window), 1280, 800);
  wait_ms (500);
  shoot (&fixture, "first-run");
  gt_app_fixture_stop (&fixture);

  /* With demo data: sign in, the schedule, a sale from seats to ticket. */
  gt_app_fixture_start (&fixture, 0, TRUE);
  gtk_window_set_default_size (GTK_WINDOW (fixture.window), 1280, 800);
  wait_ms (500);
  shoot (&fixture, "login");

  gt_app_sign_in (&fixture, "cashier");
  wait_ms (500);
  shoot (&fixture, "schedule");

  showtime = gt_app_open_showtime (&fixture);
  sale = _gt_window_get_sale_page (fixture.window);
  gtk_widget_activate_action (GTK_WIDGET (sale), "sale.best", NULL);
  gt_app_wait_hold (&fixture, 2);
  gt_sale_page_set_ticket_type (
    sale,
    json_array_get_string_element (json_object_get_array_member (gt_sale_page_get_hold (sale),
                                                                 "seats"),
                                   1),
    "child");
  wait_ms (500);
  shoot (&fixture, "seats");

  gtk_widget_activate_action (GTK_WIDGET (sale), "sale.checkout", NULL);
  gt_app_wait_page (&fixture, "checkout");
  wait_ms (300);
  shoot (&fixture, "checkout");

  gt_checkout_page_pay_cash (_gt_window_get_checkout_page (fixture.window), 200000);
  gt_app_wait_page (&fixture, "ticket");
  wait_ms (500);
  shoot (&fixture, "ticket");

  gt_app_fixture_stop (&fixture);
  return 0;
}
