/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-seat-map"

#include "config.h"

#include <gtk/gtk.h>
#include <stdlib.h>

#include "gt-seat-map.h"

/* What a counter pays each time a seat changes: the seat map snapshots
 * itself again into a render node. Measured for a 1,000-seat hall against
 * a 40-seat one and an empty snapshot, in the same run, on the same window.
 * Rendering the node on the GPU is the compositor's business and is
 * reported apart, for information. */

#define N_FRAMES  200
#define TARGET_MS 2.0

static JsonArray *
seats_new (int rows, int cols)
{
  JsonArray               *seats = json_array_new ();
  static const char *const types[] = { "standard", "standard",   "standard",
                                       "premium",  "wheelchair", "companion" };
  static const char *const states[] = { "free", "free", "sold", "held", "free", "blocked", "sold" };

  for (int r = 0; r < rows; r++)
    {
      g_autofree char *row = g_strdup_printf ("%c", 'A' + r);

      for (int c = 0; c < cols; c++)
        {
          JsonObject      *seat = json_object_new ();
          g_autofree char *id = g_strdup_printf ("%s%d", row, c + 1);

          json_object_set_string_member (seat, "id", id);
          json_object_set_string_member (seat, "row", row);
          json_object_set_int_member (seat, "number", c + 1);
          json_object_set_int_member (seat, "x", c + c / 10);
          json_object_set_string_member (seat, "type",
                                         r == rows - 1 ? "couple" : types[(r + c) % 6]);
          json_object_set_string_member (seat, "state", states[(r * 3 + c) % 7]);
          if ((r * 7 + c) % 31 == 0)
            json_object_set_int_member (seat, "hold_id", 1);
          json_array_add_object_element (seats, seat);
        }
    }

  return seats;
}

static int
compare_double (const void *a, const void *b)
{
  double da = *(const double *) a;
  double db = *(const double *) b;

  return (da > db) - (da < db);
}

static double
median (double *samples, guint n)
{
  qsort (samples, n, sizeof (double), compare_double);
  return samples[n / 2];
}

static gboolean
on_timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
on_after_paint_cb (GdkFrameClock *clock, gboolean *painted)
{
  *painted = TRUE;
}

/* Waits until the window has laid out and painted the map once, so the
 * frames measured start from what the app would have on screen. */
static void
wait_painted (GtkWidget *map)
{
  gboolean       painted = FALSE;
  gboolean       timed_out = FALSE;
  guint          id = g_timeout_add_seconds (10, on_timeout_cb, &timed_out);
  GdkFrameClock *clock;
  gulong         handler;

  while (!gtk_widget_get_mapped (map) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("The window never showed");

  clock = gtk_widget_get_frame_clock (map);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), &painted);
  gtk_widget_queue_draw (map);
  while (!painted && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("The window never painted");

  g_signal_handler_disconnect (clock, handler);
  g_source_remove (id);
}

/* One frame: a seat changes state (as a live push would do), then the
 * window snapshots the map into a node. Returns the median in ms. */
static double
measure_frames (GtkWidget *window, GtkWidget *map, gboolean empty, double *render_ms)
{
  g_autofree double *samples = g_new (double, N_FRAMES);
  g_autofree double *render = g_new (double, N_FRAMES);
  GskRenderer       *renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  guint              n_seats = gt_seat_map_get_n_seats (GT_SEAT_MAP (map));
  graphene_rect_t    viewport = GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (map),
                                                    gtk_widget_get_height (map));

  for (guint i = 0; i < N_FRAMES; i++)
    {
      GtkSnapshot   *snapshot;
      GskRenderNode *node;
      gint64         start;
      gint64         end;

      if (!empty && n_seats > 0)
        {
          g_autofree char *id = g_strdup_printf ("%c%u", 'A' + (i % 5), 1 + i % 30);

          gt_seat_map_set_seat_state (GT_SEAT_MAP (map), id,
                                      i % 2 ? GT_SEAT_STATE_MINE : GT_SEAT_STATE_FREE);
        }
      gtk_widget_queue_draw (map);

      start = g_get_monotonic_time ();
      snapshot = gtk_snapshot_new ();
      if (!empty)
        gtk_widget_snapshot_child (window, map, snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      end = g_get_monotonic_time ();
      samples[i] = (end - start) / 1000.0;

      if (render_ms != NULL && node != NULL)
        {
          GdkTexture *texture;

          start = g_get_monotonic_time ();
          texture = gsk_renderer_render_texture (renderer, node, &viewport);
          end = g_get_monotonic_time ();
          render[i] = (end - start) / 1000.0;
          g_object_unref (texture);
        }
      else if (render_ms != NULL)
        render[i] = 0;

      g_clear_pointer (&node, gsk_render_node_unref);
    }

  if (render_ms != NULL)
    *render_ms = median (render, N_FRAMES);
  return median (samples, N_FRAMES);
}

int
main (int argc, char *argv[])
{
  g_autoptr (JsonArray) big = seats_new (25, 40);
  g_autoptr (JsonArray) small = seats_new (4, 10);
  GtkWidget *window;
  GtkWidget *map;
  double     empty_ms;
  double     small_ms;
  double     big_ms;
  double     big_render_ms = 0;
  double     relayout_ms;
  gint64     start;

  gtk_init ();

  window = gtk_window_new ();
  map = gt_seat_map_new ();
  gtk_window_set_child (GTK_WINDOW (window), map);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));

  gt_seat_map_set_seats (GT_SEAT_MAP (map), small);
  wait_painted (map);
  empty_ms = measure_frames (window, map, TRUE, NULL);
  small_ms = measure_frames (window, map, FALSE, NULL);

  gt_seat_map_set_seats (GT_SEAT_MAP (map), big);
  wait_painted (map);
  g_assert_cmpuint (gt_seat_map_get_n_seats (GT_SEAT_MAP (map)), ==, 1000);
  big_ms = measure_frames (window, map, FALSE, NULL);
  measure_frames (window, map, FALSE, &big_render_ms);

  /* The first frame after a resize also lays out and redraws every kind of seat. */
  start = g_get_monotonic_time ();
  gtk_widget_allocate (map, 1200, 760, -1, NULL);
  {
    GtkSnapshot   *snapshot = gtk_snapshot_new ();
    GskRenderNode *node;

    gtk_widget_snapshot_child (window, map, snapshot);
    node = gtk_snapshot_free_to_node (snapshot);
    g_clear_pointer (&node, gsk_render_node_unref);
  }
  relayout_ms = (g_get_monotonic_time () - start) / 1000.0;

  g_print ("seat-map-frame: snapshot to node, median of %d frames, window 1280×800\n", N_FRAMES);
  g_print ("  empty snapshot (baseline)  %8.3f ms\n", empty_ms);
  g_print ("  40 seats (baseline)        %8.3f ms\n", small_ms);
  g_print (
    "  1000 seats                 %8.3f ms   (%.1f× the 40-seat map, target ≤ %.1f ms: %s)\n",
    big_ms, big_ms / MAX (small_ms, 0.001), TARGET_MS, big_ms <= TARGET_MS ? "met" : "MISSED");
  g_print (
    "  1000 seats after a resize  %8.3f ms   (one frame: layout + every seat kind drawn anew)\n",
    relayout_ms);
  g_print ("  render node to texture     %8.3f ms   (%s, for information)\n", big_render_ms,
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));

  gtk_window_destroy (GTK_WINDOW (window));
  return big_ms <= TARGET_MS ? EXIT_SUCCESS : EXIT_FAILURE;
}
