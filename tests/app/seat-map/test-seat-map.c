/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-seat-map"

#include "config.h"

#include <gtk/gtk.h>

#include "gt-seat-map-private.h"

/* A small hall with what makes navigation interesting: an aisle in row A,
 * a short row B, a long row C starting with a couple pair, and a row D with
 * two seats at the far right.
 *
 *   x:  0  1  2  3  4  5  6  7  8
 *   A   1  2  3  4  .  5  6  7  8
 *   B         1  2  3  4  5
 *   C   1= =2 3  4  5  6  7  8  9
 *   D                        1  2
 */
typedef struct
{
  const char *row;
  int         x;
  const char *type;
  const char *state;
} SeatSpec;

static const SeatSpec small_hall[] = {
  { "A", 0 },
  { "A", 1 },
  { "A", 2 },
  { "A", 3 },
  { "A", 5 },
  { "A", 6 },
  { "A", 7 },
  { "A", 8 },
  { "B", 2 },
  { "B", 3, "premium" },
  { "B", 4, "wheelchair" },
  { "B", 5, "companion" },
  { "B", 6 },
  { "C", 0, "couple" },
  { "C", 1, "couple" },
  { "C", 2 },
  { "C", 3 },
  { "C", 4 },
  { "C", 5 },
  { "C", 6 },
  { "C", 7 },
  { "C", 8 },
  { "D", 7 },
  { "D", 8 },
};

static JsonObject *
seat_object (const char *row, int number, int x, const char *type, const char *state)
{
  JsonObject      *object = json_object_new ();
  g_autofree char *id = g_strdup_printf ("%s%d", row, number);

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "row", row);
  json_object_set_int_member (object, "number", number);
  json_object_set_int_member (object, "x", x);
  json_object_set_string_member (object, "type", type != NULL ? type : "standard");
  json_object_set_string_member (object, "state", state != NULL ? state : "free");
  return object;
}

static JsonArray *
seats_from_specs (const SeatSpec *specs, guint n_specs)
{
  JsonArray  *seats = json_array_new ();
  const char *row = NULL;
  int         number = 0;

  for (guint i = 0; i < n_specs; i++)
    {
      number = g_strcmp0 (row, specs[i].row) == 0 ? number + 1 : 1;
      row = specs[i].row;
      json_array_add_object_element (seats, seat_object (row, number, specs[i].x, specs[i].type,
                                                         specs[i].state));
    }

  return seats;
}

/* 25 rows of 40, with an aisle after every ten seats. */
static JsonArray *
seats_big_hall (void)
{
  JsonArray *seats = json_array_new ();

  for (int r = 0; r < 25; r++)
    {
      char row[2] = { 'A' + r, 0 };

      for (int c = 0; c < 40; c++)
        json_array_add_object_element (seats, seat_object (row, c + 1, c + c / 10, NULL,
                                                           c % 7 == 0 ? "sold" : "free"));
    }

  return seats;
}

static GtSeatMap *
seat_map_new_with (JsonArray *seats)
{
  GtSeatMap *map = g_object_ref_sink (GT_SEAT_MAP (gt_seat_map_new ()));

  gt_seat_map_set_seats (map, seats);
  return map;
}

static void
allocate (GtSeatMap *map, int width, int height)
{
  int min_w;
  int min_h;

  gtk_widget_measure (GTK_WIDGET (map), GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (map), GTK_ORIENTATION_VERTICAL, width, &min_h, NULL, NULL, NULL);
  g_assert_cmpint (width, >=, min_w);
  g_assert_cmpint (height, >=, min_h);
  gtk_widget_allocate (GTK_WIDGET (map), width, height, -1, NULL);
}

static void
center_of (GtSeatMap *map, const char *seat_id, graphene_point_t *center)
{
  graphene_rect_t bounds;

  g_assert_true (gt_seat_map_get_seat_bounds (map, seat_id, &bounds));
  graphene_rect_get_center (&bounds, center);
}

/* Every seat is found at its own centre and lies inside the widget; seats
 * are square (a joined couple half is wider, never taller) and do not
 * overlap their neighbours. */
static void
assert_hits_every_seat (GtSeatMap *map, JsonArray *seats, int width, int height)
{
  graphene_rect_t previous = GRAPHENE_RECT_INIT (-1, -1, 0, 0);

  for (guint i = 0; i < json_array_get_length (seats); i++)
    {
      JsonObject      *seat = json_array_get_object_element (seats, i);
      const char      *id = json_object_get_string_member (seat, "id");
      graphene_rect_t  bounds;
      graphene_point_t center;

      g_assert_true (gt_seat_map_get_seat_bounds (map, id, &bounds));
      center_of (map, id, &center);
      g_assert_cmpstr (gt_seat_map_seat_at (map, center.x, center.y), ==, id);

      g_assert_cmpfloat (bounds.origin.x, >=, 0);
      g_assert_cmpfloat (bounds.origin.y, >=, 0);
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, width);
      g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, height);
      g_assert_cmpfloat (bounds.size.height, >=, 2);
      g_assert_cmpfloat (bounds.size.width, >=, bounds.size.height);
      if (g_strcmp0 (json_object_get_string_member (seat, "type"), "couple") != 0)
        g_assert_cmpfloat (bounds.size.width, ==, bounds.size.height);

      if (previous.origin.y == bounds.origin.y)
        g_assert_cmpfloat (previous.origin.x + previous.size.width, <=, bounds.origin.x);
      previous = bounds;
    }
}

static void
test_hit_small_hall (void)
{
  static const int sizes[][2] = {
    { 200, 150 }, { 640, 480 }, { 1280, 800 }, { 1920, 400 }, { 300, 900 },
  };
  g_autoptr (JsonArray) seats = seats_from_specs (small_hall, G_N_ELEMENTS (small_hall));
  GtSeatMap *map = seat_map_new_with (seats);

  g_assert_cmpuint (gt_seat_map_get_n_seats (map), ==, G_N_ELEMENTS (small_hall));

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      int             width = sizes[i][0];
      int             height = sizes[i][1];
      graphene_rect_t a4;
      graphene_rect_t a5;
      graphene_rect_t a1;
      graphene_rect_t b1;
      graphene_rect_t d1;
      graphene_rect_t c1;
      graphene_rect_t c2;
      float           y;

      g_test_message ("allocation %d×%d", width, height);
      allocate (map, width, height);
      assert_hits_every_seat (map, seats, width, height);

      gt_seat_map_get_seat_bounds (map, "A4", &a4);
      gt_seat_map_get_seat_bounds (map, "A5", &a5);
      gt_seat_map_get_seat_bounds (map, "A1", &a1);
      gt_seat_map_get_seat_bounds (map, "B1", &b1);
      gt_seat_map_get_seat_bounds (map, "C1", &c1);
      gt_seat_map_get_seat_bounds (map, "C2", &c2);
      gt_seat_map_get_seat_bounds (map, "D1", &d1);

      /* The aisle in row A takes a whole seat's width. */
      y = a4.origin.y + a4.size.height / 2;
      g_assert_cmpfloat (a5.origin.x - (a4.origin.x + a4.size.width), >=, a4.size.width);
      g_assert_null (gt_seat_map_seat_at (map, (a4.origin.x + a4.size.width + a5.origin.x) / 2, y));

      /* Where row B has no seats, at x 0 and 1, and row D has none at 0. */
      g_assert_null (gt_seat_map_seat_at (map, a1.origin.x + a1.size.width / 2,
                                          b1.origin.y + b1.size.height / 2));
      g_assert_null (gt_seat_map_seat_at (map, a1.origin.x + a1.size.width / 2,
                                          d1.origin.y + d1.size.height / 2));

      /* The screen above row A, the row labels left of the seats and the
       * space right of them find nothing either. */
      g_assert_null (
        gt_seat_map_seat_at (map, a1.origin.x + a1.size.width / 2, a1.origin.y - a1.size.height));
      g_assert_null (gt_seat_map_seat_at (map, a1.origin.x - a1.size.width / 2, y));
      g_assert_null (gt_seat_map_seat_at (map, a1.origin.x - 2 * a1.size.width, y));
      g_assert_null (gt_seat_map_seat_at (map, width - 1, y));
      g_assert_null (gt_seat_map_seat_at (map, -5, -5));
      g_assert_null (gt_seat_map_seat_at (map, width / 2.0, height - 1.0));

      /* A couple pair is one wide seat: the halves touch. */
      g_assert_cmpfloat (c1.origin.x + c1.size.width, ==, c2.origin.x);
      g_assert_cmpfloat (c1.size.width, >, c1.size.height);

      /* Seats grow to use the space, up to a comfortable maximum. */
      g_assert_true (a1.size.height >= 40 || a4.size.width * 14 >= width * 0.6
                     || a4.size.height * 6 >= height * 0.6);
    }

  g_assert_false (gt_seat_map_get_seat_bounds (map, "Z99", &GRAPHENE_RECT_INIT (0, 0, 0, 0)));
  g_assert_finalize_object (map);
}

static void
test_hit_thousand (void)
{
  g_autoptr (JsonArray) seats = seats_big_hall ();
  GtSeatMap      *map = seat_map_new_with (seats);
  graphene_rect_t a10;
  graphene_rect_t a11;
  graphene_rect_t a1;
  graphene_rect_t y40;
  gint64          start;
  gint64          elapsed;

  g_assert_cmpuint (gt_seat_map_get_n_seats (map), ==, 1000);

  allocate (map, 1280, 800);
  assert_hits_every_seat (map, seats, 1280, 800);

  gt_seat_map_get_seat_bounds (map, "A10", &a10);
  gt_seat_map_get_seat_bounds (map, "A11", &a11);
  gt_seat_map_get_seat_bounds (map, "A1", &a1);
  gt_seat_map_get_seat_bounds (map, "Y40", &y40);
  g_assert_null (gt_seat_map_seat_at (map, (a10.origin.x + a10.size.width + a11.origin.x) / 2,
                                      a10.origin.y + a10.size.height / 2));

  /* A thousand seats still get a size a mouse can hit, and fill the hall. */
  g_assert_cmpfloat (a1.size.height, >=, 16);
  g_assert_cmpfloat (y40.origin.x + y40.size.width - a1.origin.x, >=, 1280 * 0.75);

  /* Hit testing does not walk the seats. */
  start = g_get_monotonic_time ();
  for (int i = 0; i < 100000; i++)
    gt_seat_map_seat_at (map, (i * 7919u) % 1280, (i * 104729u) % 800);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("100000 hit tests: %" G_GINT64_FORMAT " µs", elapsed);
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC);

  g_assert_finalize_object (map);
}

static void
test_seats_parse (void)
{
  g_autoptr (JsonArray) seats = json_array_new ();
  g_auto (GStrv) mine = NULL;
  JsonObject *object;
  GtSeatMap  *map;

  json_array_add_object_element (seats, seat_object ("F", 11, 10, "standard", "free"));
  json_array_add_object_element (seats, seat_object ("F", 12, 11, "premium", "sold"));
  object = seat_object ("F", 13, 12, "wheelchair", "held");
  json_object_set_int_member (object, "hold_id", 41);
  json_array_add_object_element (seats, object);
  json_array_add_object_element (seats, seat_object ("F", 14, 13, "companion", "held"));
  json_array_add_object_element (seats, seat_object ("G", 1, 0, "couple", "blocked"));
  json_array_add_object_element (seats, seat_object ("G", 2, 1, "mystery", "on-fire"));
  /* The same id again is ignored, and so is a seat without an id. */
  json_array_add_object_element (seats, seat_object ("F", 11, 20, "premium", "sold"));
  json_array_add_object_element (seats, json_object_new ());
  json_array_add_string_element (seats, "F15");

  map = seat_map_new_with (seats);
  g_assert_cmpuint (gt_seat_map_get_n_seats (map), ==, 6);
  g_assert_cmpint (gt_seat_map_get_seat_state (map, "F11"), ==, GT_SEAT_STATE_FREE);
  g_assert_cmpint (gt_seat_map_get_seat_type (map, "F11"), ==, GT_SEAT_TYPE_STANDARD);
  g_assert_cmpint (gt_seat_map_get_seat_state (map, "F12"), ==, GT_SEAT_STATE_SOLD);
  g_assert_cmpint (gt_seat_map_get_seat_type (map, "F12"), ==, GT_SEAT_TYPE_PREMIUM);
  g_assert_cmpint (gt_seat_map_get_seat_state (map, "F13"), ==, GT_SEAT_STATE_MINE);
  g_assert_cmpint (gt_seat_map_get_seat_type (map, "F13"), ==, GT_SEAT_TYPE_WHEELCHAIR);
  g_assert_cmpint (gt_seat_map_get_seat_state (map, "F14"), ==, GT_SEAT_STATE_HELD);
  g_assert_cmpint (gt_seat_map_get_seat_state (map, "G1"), ==, GT_SEAT_STATE_BLOCKED);
  g_assert_cmpint (gt_seat_map_get_seat_type (map, "G1"), ==, GT_SEAT_TYPE_COUPLE);
  /* What this version does not know is shown, but not for sale. */
  g_assert_cmpint (gt_seat_map_get_seat_state (map, "G2"), ==, GT_SEAT_STATE_BLOCKED);
  g_assert_cmpint (gt_seat_map_get_seat_type (map, "G2"), ==, GT_SEAT_TYPE_STANDARD);
  g_assert_false (gt_seat_map_has_seat (map, "F15"));

  /* State changes come from the page, after the server said yes. */
  gt_seat_map_set_seat_state (map, "F11", GT_SEAT_STATE_MINE);
  gt_seat_map_set_seat_state (map, "X1", GT_SEAT_STATE_SOLD);
  g_assert_cmpint (gt_seat_map_get_seat_state (map, "F11"), ==, GT_SEAT_STATE_MINE);
  mine = gt_seat_map_dup_seats_in_state (map, GT_SEAT_STATE_MINE);
  g_assert_cmpstrv (mine, ((const char *[]){ "F11", "F13", NULL }));

  /* The focused seat survives a reload that still has it. */
  gt_seat_map_set_focus_seat (map, "F14");
  gt_seat_map_set_seats (map, seats);
  g_assert_cmpstr (gt_seat_map_get_focus_seat (map), ==, "F14");
  g_assert_cmpint (gt_seat_map_get_seat_state (map, "F11"), ==, GT_SEAT_STATE_FREE);
  gt_seat_map_set_seats (map, NULL);
  g_assert_cmpuint (gt_seat_map_get_n_seats (map), ==, 0);
  g_assert_null (gt_seat_map_get_focus_seat (map));

  g_assert_finalize_object (map);
}

static void
on_notify_cb (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

static void
on_seat_activated_cb (GtSeatMap *map, const char *seat_id, GPtrArray *activated)
{
  g_ptr_array_add (activated, g_strdup (seat_id));
}

static void
move (GtSeatMap *map, const char *direction, const char *expected)
{
  gtk_widget_activate_action (GTK_WIDGET (map), "seat-map.move", "s", direction);
  g_assert_cmpstr (gt_seat_map_get_focus_seat (map), ==, expected);
}

static void
test_keyboard (void)
{
  g_autoptr (JsonArray) seats = seats_from_specs (small_hall, G_N_ELEMENTS (small_hall));
  g_autoptr (GPtrArray) activated = g_ptr_array_new_with_free_func (g_free);
  GtSeatMap *map = seat_map_new_with (seats);
  guint      notified = 0;

  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (map)));
  g_signal_connect (map, "notify::focus-seat", G_CALLBACK (on_notify_cb), &notified);
  g_signal_connect (map, "seat-activated", G_CALLBACK (on_seat_activated_cb), activated);

  /* With nothing focused, the first key lands in the middle of the middle row. */
  g_assert_null (gt_seat_map_get_focus_seat (map));
  move (map, "right", "C5");
  g_assert_cmpuint (notified, ==, 1);

  /* Left and right stay in the row, jump the aisle, stop at the ends. */
  gt_seat_map_set_focus_seat (map, "A4");
  gt_seat_map_set_focus_seat (map, "A4");
  g_assert_cmpuint (notified, ==, 2);
  move (map, "right", "A5");
  move (map, "left", "A4");
  move (map, "row-end", "A8");
  move (map, "right", "A8");
  move (map, "row-start", "A1");
  move (map, "left", "A1");
  move (map, "up", "A1");

  /* Up and down go to the nearest place in the next row, which may be
   * shorter; the column is remembered while moving up and down. */
  move (map, "down", "B1");
  move (map, "down", "C1");
  move (map, "up", "B1");
  move (map, "up", "A1");
  gt_seat_map_set_focus_seat (map, "A8");
  move (map, "down", "B5");
  move (map, "down", "C9");
  move (map, "down", "D2");
  move (map, "down", "D2");
  move (map, "left", "D1");
  move (map, "up", "C8");
  move (map, "up", "B5");
  gt_seat_map_set_focus_seat (map, "C5");
  move (map, "up", "B3");
  move (map, "up", "A4");

  move (map, "last", "D2");
  move (map, "first", "A1");

  /* The same moves through the internal hook the page may use. */
  gt_seat_map_set_focus_seat (map, "A4");
  _gt_seat_map_move_focus (map, GTK_DIR_RIGHT);
  g_assert_cmpstr (gt_seat_map_get_focus_seat (map), ==, "A5");
  _gt_seat_map_move_focus (map, GTK_DIR_DOWN);
  g_assert_cmpstr (gt_seat_map_get_focus_seat (map), ==, "B4");

  /* Space or Enter asks for the focused seat; the state is the page's job. */
  gtk_widget_activate_action (GTK_WIDGET (map), "seat-map.activate-seat", NULL);
  g_assert_cmpuint (activated->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (activated, 0), ==, "B4");
  g_assert_cmpint (gt_seat_map_get_seat_state (map, "B4"), ==, GT_SEAT_STATE_FREE);

  g_object_set (map, "focus-seat", "C2", NULL);
  g_assert_cmpstr (gt_seat_map_get_focus_seat (map), ==, "C2");
  gt_seat_map_set_focus_seat (map, NULL);
  g_assert_null (gt_seat_map_get_focus_seat (map));

  g_assert_finalize_object (map);
}

static void
test_tooltip_text (void)
{
  g_autoptr (JsonArray) seats = seats_from_specs (small_hall, G_N_ELEMENTS (small_hall));
  GtSeatMap       *map = seat_map_new_with (seats);
  g_autofree char *b2 = NULL;
  g_autofree char *b2_sold = NULL;

  b2 = _gt_seat_map_dup_seat_description (map, "B2");
  g_assert_cmpstr (b2, ==, "B2 · Premium · Free");
  gt_seat_map_set_seat_state (map, "B2", GT_SEAT_STATE_SOLD);
  b2_sold = _gt_seat_map_dup_seat_description (map, "B2");
  g_assert_cmpstr (b2_sold, ==, "B2 · Premium · Sold");
  g_assert_null (_gt_seat_map_dup_seat_description (map, "Q7"));

  g_assert_finalize_object (map);
}

/* Rendering */

typedef struct
{
  guchar *pixels;
  int     width;
  int     height;
  gsize   stride;
} Image;

static gboolean
on_timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_for (gboolean (*condition) (GtkWidget *), GtkWidget *widget)
{
  gboolean timed_out = FALSE;
  guint    id = g_timeout_add_seconds (10, on_timeout_cb, &timed_out);

  while (!condition (widget) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

static gboolean
is_allocated (GtkWidget *widget)
{
  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0;
}

static void
on_after_paint_cb (GdkFrameClock *clock, gboolean *painted)
{
  *painted = TRUE;
}

/* A widget paintable shows what the widget drew in its last frame. */
static void
wait_for_frame (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean       painted = FALSE;
  gulong   id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint_cb), &painted);
  gboolean timed_out = FALSE;
  guint    timeout_id = g_timeout_add_seconds (10, on_timeout_cb, &timed_out);

  gtk_widget_queue_draw (widget);
  while (!painted && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout_id);
  g_signal_handler_disconnect (clock, id);
}

/* Renders the window, so seats are seen on the window's background, and
 * returns where @widget is in the image. */
static Image
render (GtkWidget *widget, graphene_point_t *origin)
{
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autoptr (GError) error = NULL;
  GtkSnapshot    *snapshot = gtk_snapshot_new ();
  Image           image;
  GtkWidget      *window = GTK_WIDGET (gtk_widget_get_root (widget));
  graphene_rect_t bounds;

  wait_for_frame (widget);
  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  *origin = bounds.origin;
  paintable = gtk_widget_paintable_new (window);
  image.width = gtk_widget_get_width (window);
  image.height = gtk_widget_get_height (window);
  gdk_paintable_snapshot (paintable, snapshot, image.width, image.height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  gsk_renderer_realize (renderer, NULL, &error);
  g_assert_no_error (error);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, image.width, image.height));
  gsk_renderer_unrealize (renderer);
  /* To look at what failed: SEAT_MAP_TEST_PNG=/tmp/seats.png */
  if (g_getenv ("SEAT_MAP_TEST_PNG") != NULL)
    gdk_texture_save_to_png (texture, g_getenv ("SEAT_MAP_TEST_PNG"));

  image.stride = (gsize) image.width * 4;
  image.pixels = g_malloc (image.stride * image.height);
  gdk_texture_download (texture, image.pixels, image.stride);
  return image;
}

/* How many pixels of two seats differ noticeably, in colour or (for
 * colour-blind eyes) in lightness alone. A joined couple half is compared
 * over its whole width: the part joining it to its partner is its look. */
static guint
count_different (const Image           *image,
                 const graphene_rect_t *a,
                 const graphene_rect_t *b,
                 int                    size,
                 gboolean               grey)
{
  int   width = (int) MAX (a->size.width, b->size.width);
  guint count = 0;

  for (int y = 0; y < size; y++)
    for (int x = 0; x < width; x++)
      {
        const guchar *pa = image->pixels + ((int) a->origin.y + y) * image->stride
                           + ((int) a->origin.x + x) * 4;
        const guchar *pb = image->pixels + ((int) b->origin.y + y) * image->stride
                           + ((int) b->origin.x + x) * 4;

        if (grey)
          {
            /* BGRA */
            int la = (pa[2] * 299 + pa[1] * 587 + pa[0] * 114) / 1000;
            int lb = (pb[2] * 299 + pb[1] * 587 + pb[0] * 114) / 1000;

            count += ABS (la - lb) > 40;
          }
        else
          {
            int d = MAX (ABS (pa[0] - pb[0]), MAX (ABS (pa[1] - pb[1]), ABS (pa[2] - pb[2])));

            count += d > 40;
          }
      }

  return count;
}

static const char *const state_nicks[] = { "free", "held", "held", "sold", "blocked" };
static const char *const type_nicks[] = { "standard", "premium", "wheelchair", "companion",
                                          "couple" };

/* One row per state, one column per type (the couple type takes two
 * places, as a pair), plus two plain free seats that must look the same. */
static JsonArray *
seats_matrix (void)
{
  JsonArray *seats = json_array_new ();

  for (guint s = 0; s < G_N_ELEMENTS (state_nicks); s++)
    {
      char row[2] = { 'A' + s, 0 };

      for (guint t = 0; t < G_N_ELEMENTS (type_nicks); t++)
        {
          JsonObject *seat = seat_object (row, t + 1, t * 2, type_nicks[t], state_nicks[s]);

          if (s == GT_SEAT_STATE_MINE)
            json_object_set_int_member (seat, "hold_id", 1);
          json_array_add_object_element (seats, seat);
        }
      json_array_add_object_element (seats, seat_object (row, 6, 9, "couple", state_nicks[s]));
    }

  json_array_add_object_element (seats, seat_object ("F", 1, 0, NULL, NULL));
  json_array_add_object_element (seats, seat_object ("F", 2, 4, NULL, NULL));
  return seats;
}

static void
bounds_of (GtSeatMap              *map,
           const graphene_point_t *origin,
           guint                   state,
           guint                   type,
           graphene_rect_t        *bounds)
{
  g_autofree char *id = g_strdup_printf ("%c%u", 'A' + state, type + 1);

  g_assert_true (gt_seat_map_get_seat_bounds (map, id, bounds));
  graphene_rect_offset (bounds, origin->x, origin->y);
}

static const char *
state_nick (guint state)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (GT_TYPE_SEAT_STATE);

  return g_enum_get_value (klass, state)->value_nick;
}

static void
test_render_states (gconstpointer data)
{
  gboolean dark = GPOINTER_TO_INT (data);
  g_autoptr (JsonArray) seats = seats_matrix ();
  GtkSettings     *settings = gtk_settings_get_default ();
  GtkWidget       *window = gtk_window_new ();
  GtkWidget       *map = gt_seat_map_new ();
  graphene_rect_t  f1;
  graphene_rect_t  f2;
  graphene_point_t origin;
  guchar           background;
  Image            image;
  int              size;
  guint            area;

  g_object_set (settings, "gtk-application-prefer-dark-theme", dark, NULL);
  gt_seat_map_set_seats (GT_SEAT_MAP (map), seats);
  gtk_window_set_child (GTK_WINDOW (window), map);
  gtk_window_set_default_size (GTK_WINDOW (window), 520, 420);
  gtk_window_present (GTK_WINDOW (window));
  wait_for (is_allocated, map);
  /* Neither the focus ring nor the pointer's hover ring is under test. */
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  gtk_widget_set_can_target (map, FALSE);

  image = render (map, &origin);
  gt_seat_map_get_seat_bounds (GT_SEAT_MAP (map), "F1", &f1);
  gt_seat_map_get_seat_bounds (GT_SEAT_MAP (map), "F2", &f2);
  graphene_rect_offset (&f1, origin.x, origin.y);
  graphene_rect_offset (&f2, origin.x, origin.y);
  size = (int) f1.size.height;
  area = size * size;
  g_test_message ("%s style, seats of %d px", dark ? "dark" : "light", size);
  g_assert_cmpint (size, >=, 20);

  /* The style asked for is the style drawn. */
  background = image.pixels[((int) origin.y + 2) * image.stride + ((int) origin.x + 2) * 4 + 1];
  if (dark)
    g_assert_cmpint (background, <, 100);
  else
    g_assert_cmpint (background, >, 150);

  /* The comparison means something: two equal seats look equal. */
  g_assert_cmpuint (count_different (&image, &f1, &f2, size, FALSE), ==, 0);

  /* Every state looks different from every other, for every type, even
   * without colour. */
  for (guint t = 0; t < G_N_ELEMENTS (type_nicks); t++)
    for (guint s1 = 0; s1 < G_N_ELEMENTS (state_nicks); s1++)
      for (guint s2 = s1 + 1; s2 < G_N_ELEMENTS (state_nicks); s2++)
        {
          graphene_rect_t a;
          graphene_rect_t b;
          guint           colour;
          guint           grey;

          bounds_of (GT_SEAT_MAP (map), &origin, s1, t, &a);
          bounds_of (GT_SEAT_MAP (map), &origin, s2, t, &b);
          colour = count_different (&image, &a, &b, size, FALSE);
          grey = count_different (&image, &a, &b, size, TRUE);
          g_test_message ("%s: %s vs %s: %u%% differ, %u%% in grey", type_nicks[t], state_nicks[s1],
                          state_nicks[s2], colour * 100 / area, grey * 100 / area);
          g_assert_cmpuint (colour, >=, area / 10);
          g_assert_cmpuint (grey, >=, area / 20);
        }

  /* And in every state, each type has its own look. */
  for (guint s = 0; s < G_N_ELEMENTS (state_nicks); s++)
    for (guint t1 = 0; t1 < G_N_ELEMENTS (type_nicks); t1++)
      for (guint t2 = t1 + 1; t2 < G_N_ELEMENTS (type_nicks); t2++)
        {
          graphene_rect_t a;
          graphene_rect_t b;
          guint           grey;

          bounds_of (GT_SEAT_MAP (map), &origin, s, t1, &a);
          bounds_of (GT_SEAT_MAP (map), &origin, s, t2, &b);
          grey = count_different (&image, &a, &b, size, TRUE);
          g_test_message ("%s: %s vs %s: %u px differ in grey", state_nick (s), type_nicks[t1],
                          type_nicks[t2], grey);
          g_assert_cmpuint (grey, >=, MAX (4, area / 50));
        }

  /* A state change shows at once. */
  gt_seat_map_set_seat_state (GT_SEAT_MAP (map), "F2", GT_SEAT_STATE_SOLD);
  g_free (image.pixels);
  image = render (map, &origin);
  g_assert_cmpuint (count_different (&image, &f1, &f2, size, FALSE), >=, area / 10);
  g_free (image.pixels);

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_set (settings, "gtk-application-prefer-dark-theme", FALSE, NULL);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/seat-map/parse", test_seats_parse);
  g_test_add_func ("/seat-map/hit/small-hall", test_hit_small_hall);
  g_test_add_func ("/seat-map/hit/thousand", test_hit_thousand);
  g_test_add_func ("/seat-map/keyboard", test_keyboard);
  g_test_add_func ("/seat-map/tooltip", test_tooltip_text);
  g_test_add_data_func ("/seat-map/render/light", GINT_TO_POINTER (FALSE), test_render_states);
  g_test_add_data_func ("/seat-map/render/dark", GINT_TO_POINTER (TRUE), test_render_states);

  return g_test_run ();
}
