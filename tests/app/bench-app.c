/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-app"

#include "config.h"

#include <glib/gstdio.h>

#include "gt-app-fixture.h"

/* App start to the sign-in view, and opening a 1,000-seat showtime, each
 * against a baseline measured in the same run: a bare libadwaita window for
 * the start, a 96-seat showtime for the opening. Medians over several runs. */

#define RUNS 7

static gboolean frame_done;

static void
on_after_paint_cb (GdkFrameClock *clock, gpointer user_data)
{
  frame_done = TRUE;
}

static gboolean
is_frame_done (gpointer data)
{
  return frame_done;
}

/* Waits until @widget's window has painted a frame after now. */
static void
wait_frame (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gulong         id;

  frame_done = FALSE;
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), NULL);
  gtk_widget_queue_draw (widget);
  gt_app_wait ("a frame", is_frame_done, NULL, 30);
  g_signal_handler_disconnect (clock, id);
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values, guint n)
{
  qsort (values, n, sizeof *values, compare_doubles);
  return values[n / 2];
}

static gboolean
window_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static double
start_baseline (void)
{
  g_autoptr (AdwApplication)
    app = adw_application_new ("id.goticket.Baseline", G_APPLICATION_NON_UNIQUE);
  gint64     t0 = g_get_monotonic_time ();
  GtkWidget *window;
  double     ms;

  g_application_register (G_APPLICATION (app), NULL, NULL);
  window = adw_application_window_new (GTK_APPLICATION (app));
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), adw_status_page_new ());
  gtk_window_present (GTK_WINDOW (window));
  gt_app_wait ("the window", window_mapped, window, 30);
  wait_frame (window);
  ms = (g_get_monotonic_time () - t0) / 1000.0;
  gtk_window_destroy (GTK_WINDOW (window));
  return ms;
}

static double
start_app (const char *db)
{
  GtAppFixture fixture = { 0 };
  gint64       t0 = g_get_monotonic_time ();
  GList       *windows;
  double       ms;

  fixture.app = gt_application_new ();
  _gt_application_set_options (fixture.app, db, 0, FALSE);
  g_application_register (G_APPLICATION (fixture.app), NULL, NULL);
  g_application_activate (G_APPLICATION (fixture.app));
  windows = gtk_application_get_windows (GTK_APPLICATION (fixture.app));
  fixture.window = g_object_ref (GT_WINDOW (windows->data));
  gt_app_wait_page (&fixture, "login");
  wait_frame (GTK_WIDGET (fixture.window));
  ms = (g_get_monotonic_time () - t0) / 1000.0;

  gtk_window_destroy (GTK_WINDOW (fixture.window));
  g_clear_object (&fixture.window);
  _gt_application_stop_server (fixture.app);
  g_clear_object (&fixture.app);
  return ms;
}

typedef struct
{
  GtSeatMap *map;
  guint      n;
} SeatsWait;

static gboolean
seats_loaded (gpointer data)
{
  SeatsWait *wait = data;

  return gt_seat_map_get_n_seats (wait->map) == wait->n;
}

static double
open_showtime (GtAppFixture *fixture, JsonObject *showtime, guint n_seats)
{
  GtSchedulePage *schedule = _gt_window_get_schedule_page (fixture->window);
  GtSalePage     *sale = _gt_window_get_sale_page (fixture->window);
  SeatsWait       wait = { gt_sale_page_get_seat_map (sale), n_seats };
  gint64          t0 = g_get_monotonic_time ();
  double          ms;

  g_signal_emit_by_name (schedule, "showtime-activated", showtime);
  gt_app_wait ("the seat map", seats_loaded, &wait, 30);
  wait_frame (GTK_WIDGET (wait.map));
  ms = (g_get_monotonic_time () - t0) / 1000.0;

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.back", NULL);
  gt_app_wait_page (fixture, "schedule");
  return ms;
}

static JsonObject *
small_showtime (GtClient *client)
{
  g_autoptr (JsonObject) list = gt_app_call (client, "GET", "/showtimes", NULL, NULL);
  JsonArray *showtimes = json_object_get_array_member (list, "showtimes");

  for (guint i = 0; i < json_array_get_length (showtimes); i++)
    {
      JsonObject *showtime = json_array_get_object_element (showtimes, i);

      if (json_object_get_int_member (showtime, "seats_total") == 96)
        return json_object_ref (showtime);
    }
  g_assert_not_reached ();
}

int
main (int argc, char *argv[])
{
  GtAppFixture fixture = { 0 };
  g_autoptr (JsonObject) big = NULL;
  g_autoptr (JsonObject) small = NULL;
  g_autofree char *db = NULL;
  double           base_start[RUNS], app_start[RUNS], base_open[RUNS], big_open[RUNS];
  double           bs, as, bo, go;

  gtk_init ();
  adw_init ();

  /* The database with demo data, made once; starts then open it as a counter would. */
  gt_app_fixture_start (&fixture, 0, TRUE);
  db = g_build_filename (fixture.dir, "central.db", NULL);
  gt_app_sign_in (&fixture, "cashier");
  big = gt_app_make_big_showtime (&fixture);
  small = small_showtime (gt_application_get_client (fixture.app));
  open_showtime (&fixture, small, 96);
  for (guint i = 0; i < RUNS; i++)
    {
      base_open[i] = open_showtime (&fixture, small, 96);
      big_open[i] = open_showtime (&fixture, big, 1000);
    }
  gtk_window_destroy (GTK_WINDOW (fixture.window));
  g_clear_object (&fixture.window);
  _gt_application_stop_server (fixture.app);
  g_clear_object (&fixture.app);

  start_baseline ();
  for (guint i = 0; i < RUNS; i++)
    {
      base_start[i] = start_baseline ();
      app_start[i] = start_app (db);
    }

  bs = median (base_start, RUNS);
  as = median (app_start, RUNS);
  bo = median (base_open, RUNS);
  go = median (big_open, RUNS);
  g_print ("measure                                   median ms   baseline ms   ratio\n");
  g_print ("app start to the sign-in view (painted)   %9.1f   %11.1f   %5.2f   (baseline: a bare "
           "libadwaita window)\n",
           as, bs, as / bs);
  g_print ("open a 1,000-seat showtime (map shown)    %9.1f   %11.1f   %5.2f   (baseline: the "
           "96-seat showtime)\n",
           go, bo, go / bo);

  /* The fixture's folder: remove what the runs left. */
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
    g_unlink (db);
    g_rmdir (fixture.dir);
    g_free (fixture.dir);
  }
  return 0;
}
