/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "seat-map-demo"

#include "config.h"

#include <adwaita.h>

#include "gt-seat-legend.h"
#include "gt-seat-map.h"

/* A 300-seat auditorium: two narrow front rows split by one aisle, twelve
 * rows in three blocks, premium seats in the middle of H–J, wheelchair
 * places with companions in row A, and couple seats at the back. */

static char    *opt_screenshot;
static char    *opt_size;
static gboolean opt_dark;
static gboolean opt_focus;
static int      opt_seats = 300;

static void
add_seat (JsonArray  *seats,
          const char *row,
          int         number,
          int         x,
          const char *type,
          const char *state,
          gboolean    mine)
{
  JsonObject      *seat = json_object_new ();
  g_autofree char *id = g_strdup_printf ("%s%d", row, number);

  json_object_set_string_member (seat, "id", id);
  json_object_set_string_member (seat, "row", row);
  json_object_set_int_member (seat, "number", number);
  json_object_set_int_member (seat, "x", x);
  json_object_set_string_member (seat, "type", type);
  json_object_set_string_member (seat, "state", state);
  if (mine)
    json_object_set_int_member (seat, "hold_id", 41);
  json_array_add_object_element (seats, seat);
}

static const char *
random_state (GRand *rand)
{
  double p = g_rand_double (rand);

  if (p < 0.38)
    return "sold";
  if (p < 0.46)
    return "held";
  return "free";
}

static JsonArray *
build_seats (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  JsonArray *seats = json_array_new ();

  for (char r = 'A'; r <= 'O'; r++)
    {
      char row[2] = { r, 0 };
      int  number = 1;

      for (int x = 0; x <= 21; x++)
        {
          const char *type = "standard";
          const char *state;
          gboolean    mine = FALSE;

          if (r <= 'B' && (x == 0 || x == 11))
            continue;
          if (r > 'B' && (x == 4 || x == 17))
            continue;

          if (r == 'A' && (x == 1 || x == 21))
            type = "wheelchair";
          else if (r == 'A' && (x == 2 || x == 20))
            type = "companion";
          else if (r >= 'H' && r <= 'J' && x >= 5 && x <= 16)
            type = "premium";
          else if (r == 'O')
            type = "couple";

          state = random_state (rand);
          if (r == 'G' && x >= 9 && x <= 11)
            state = "held", mine = TRUE;
          else if (r == 'G' && (x == 8 || x == 12))
            state = "free";
          else if (r == 'M' && (x == 0 || x == 1))
            state = "blocked";
          else if (r == 'A' && x == 1)
            state = "free";
          else if (r == 'A' && x == 21)
            state = "sold";

          add_seat (seats, row, number++, x, type, state, mine);
        }
    }

  return seats;
}

static JsonArray *
build_grid (int rows, int cols)
{
  JsonArray *seats = json_array_new ();

  for (int r = 0; r < rows; r++)
    {
      g_autofree char *row = r < 26 ? g_strdup_printf ("%c", 'A' + r)
                                    : g_strdup_printf ("A%c", 'A' + r - 26);

      for (int c = 0; c < cols; c++)
        add_seat (seats, row, c + 1, c + c / 10, "standard",
                  (r * 7 + c * 3) % 5 == 0 ? "sold" : "free", FALSE);
    }

  return seats;
}

static gboolean
screenshot_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  guint *ticks = user_data;
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  int          width = gtk_widget_get_width (widget);
  int          height = gtk_widget_get_height (widget);

  if (++*ticks < 4)
    return G_SOURCE_CONTINUE;

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, opt_screenshot))
    g_printerr ("Could not write %s\n", opt_screenshot);
  else
    g_print ("Wrote %s (%dx%d)\n", opt_screenshot, width, height);

  gtk_window_destroy (GTK_WINDOW (widget));
  return G_SOURCE_REMOVE;
}

static void
on_seat_activated_cb (GtSeatMap *map, const char *seat_id, gpointer user_data)
{
  /* What the page does once the server answered. */
  switch (gt_seat_map_get_seat_state (map, seat_id))
    {
      case GT_SEAT_STATE_FREE:
        gt_seat_map_set_seat_state (map, seat_id, GT_SEAT_STATE_MINE);
        break;
      case GT_SEAT_STATE_MINE:
        gt_seat_map_set_seat_state (map, seat_id, GT_SEAT_STATE_FREE);
        break;
      default:
        gtk_widget_error_bell (GTK_WIDGET (map));
        break;
    }
}

static void
on_activate_cb (GtkApplication *app)
{
  static guint ticks;
  g_autoptr (JsonArray) seats = NULL;
  GtkWidget *window;
  GtkWidget *box;
  GtkWidget *header;
  GtkWidget *map;
  GtkWidget *legend;
  int        width = 1280;
  int        height = 800;

  if (opt_size != NULL)
    sscanf (opt_size, "%dx%d", &width, &height);

  if (opt_dark)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        ADW_COLOR_SCHEME_FORCE_DARK);

  seats = opt_seats == 300 ? build_seats () : build_grid (opt_seats / 40, 40);

  window = adw_application_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header),
                                   adw_window_title_new ("Oppenheimer", "Studio 1 · 19:30"));
  gtk_box_append (GTK_BOX (box), header);

  map = gt_seat_map_new ();
  gt_seat_map_set_seats (GT_SEAT_MAP (map), seats);
  gtk_widget_set_vexpand (map, TRUE);
  g_signal_connect (map, "seat-activated", G_CALLBACK (on_seat_activated_cb), NULL);
  gtk_box_append (GTK_BOX (box), map);

  legend = gt_seat_legend_new ();
  gtk_widget_set_halign (legend, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (legend, 6);
  gtk_widget_set_margin_bottom (legend, 18);
  gtk_box_append (GTK_BOX (box), legend);

  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);

  if (opt_focus)
    {
      gtk_window_set_focus (GTK_WINDOW (window), map);
      gt_seat_map_set_focus_seat (GT_SEAT_MAP (map), "F10");
    }

  if (opt_screenshot != NULL)
    gtk_widget_add_tick_callback (window, screenshot_tick_cb, &ticks, NULL);

  gtk_window_present (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  const GOptionEntry entries[] = {
    { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, &opt_screenshot, "Save the window as PNG and quit",
      "FILE" },
    { "size", 0, 0, G_OPTION_ARG_STRING, &opt_size, "Window size", "WxH" },
    { "dark", 0, 0, G_OPTION_ARG_NONE, &opt_dark, "Dark style", NULL },
    { "focus", 0, 0, G_OPTION_ARG_NONE, &opt_focus, "Focus the map", NULL },
    { "seats", 0, 0, G_OPTION_ARG_INT, &opt_seats, "300 (auditorium) or a multiple of 40 (grid)",
      "N" },
    { NULL }
  };
  g_autoptr (AdwApplication) app = NULL;

  app = adw_application_new ("id.goticket.SeatMapDemo", G_APPLICATION_NON_UNIQUE);
  g_application_add_main_option_entries (G_APPLICATION (app), entries);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
