/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-seat-map"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "gt-seat-map-private.h"

/* Layout, in pixels unless said otherwise. A cell is the square a seat sits
 * in; the seat is the cell less a small gap on every side. */
#define PADDING       12
#define MAX_CELL      56
#define MIN_CELL      4
#define NATURAL_CELL  32
#define LABEL_CELLS   1.4
#define SCREEN_MIN    30
#define SCREEN_MAX    64
#define N_SEAT_TYPES  (GT_SEAT_TYPE_COUPLE + 1)
#define N_SEAT_STATES (GT_SEAT_STATE_BLOCKED + 1)
#define N_SEAT_JOINS  (GT_SEAT_JOIN_LEFT + 1)
#define NO_GOAL       G_MININT

typedef struct
{
  char           *id;
  guint           row;
  int             number;
  int             x;
  GtSeatType      type;
  GtSeatState     state;
  GtSeatJoin      join;
  graphene_rect_t bounds;
} Seat;

typedef struct
{
  char *label;
  guint first;
  guint n_seats;
} Row;

struct _GtSeatMap
{
  GtkWidget parent_instance;

  GArray     *seats; /* Seat, grouped by row, each row ordered by x */
  GArray     *rows;  /* Row, in the order the server sent them */
  GHashTable *index; /* seat id → index + 1 */
  int         min_x;
  int         max_x;

  gboolean layout_valid;
  int      cell;
  int      inset;
  int      grid_x;
  int      grid_y;
  int      screen_h;

  gboolean       palette_valid;
  GtSeatPalette  palette;
  GskRenderNode *variants[N_SEAT_TYPES][N_SEAT_STATES][N_SEAT_JOINS];
  GskRenderNode *decor;

  int focus;
  int hover;
  int pressed;
  int goal_x; /* column kept across up/down moves */
};

G_DEFINE_FINAL_TYPE (GtSeatMap, gt_seat_map, GTK_TYPE_WIDGET)

G_DEFINE_ENUM_TYPE (GtSeatState,
                    gt_seat_state,
                    G_DEFINE_ENUM_VALUE (GT_SEAT_STATE_FREE, "free"),
                    G_DEFINE_ENUM_VALUE (GT_SEAT_STATE_MINE, "mine"),
                    G_DEFINE_ENUM_VALUE (GT_SEAT_STATE_HELD, "held"),
                    G_DEFINE_ENUM_VALUE (GT_SEAT_STATE_SOLD, "sold"),
                    G_DEFINE_ENUM_VALUE (GT_SEAT_STATE_BLOCKED, "blocked"))

G_DEFINE_ENUM_TYPE (GtSeatType,
                    gt_seat_type,
                    G_DEFINE_ENUM_VALUE (GT_SEAT_TYPE_STANDARD, "standard"),
                    G_DEFINE_ENUM_VALUE (GT_SEAT_TYPE_PREMIUM, "premium"),
                    G_DEFINE_ENUM_VALUE (GT_SEAT_TYPE_WHEELCHAIR, "wheelchair"),
                    G_DEFINE_ENUM_VALUE (GT_SEAT_TYPE_COMPANION, "companion"),
                    G_DEFINE_ENUM_VALUE (GT_SEAT_TYPE_COUPLE, "couple"))

enum
{
  PROP_0,
  PROP_FOCUS_SEAT,
  N_PROPS
};

enum
{
  SEAT_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

/* Colours and glyphs */

typedef enum
{
  GLYPH_CHECK,
  GLYPH_CROSS,
  GLYPH_CLOCK,
  GLYPH_WHEELCHAIR,
} Glyph;

static void
rgba_parse (GdkRGBA *rgba, const char *spec)
{
  gboolean ok = gdk_rgba_parse (rgba, spec);

  g_assert (ok);
}

static GdkRGBA
rgba_with_alpha (const GdkRGBA *rgba, float alpha)
{
  GdkRGBA ret = *rgba;

  ret.alpha *= alpha;
  return ret;
}

static GdkRGBA
rgba_shade (const GdkRGBA *rgba, float factor)
{
  GdkRGBA ret = *rgba;

  ret.red = CLAMP (ret.red * factor, 0, 1);
  ret.green = CLAMP (ret.green * factor, 0, 1);
  ret.blue = CLAMP (ret.blue * factor, 0, 1);
  return ret;
}

static gboolean
lookup_color (GtkStyleContext *context, const char *name, const char *fallback, GdkRGBA *rgba)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (gtk_style_context_lookup_color (context, name, rgba))
    return TRUE;
  G_GNUC_END_IGNORE_DEPRECATIONS

  rgba_parse (rgba, fallback);
  return FALSE;
}

static void
glyph_path (cairo_t *cr, Glyph glyph)
{
  switch (glyph)
    {
      case GLYPH_CHECK:
        cairo_set_line_width (cr, 0.14);
        cairo_move_to (cr, 0.20, 0.52);
        cairo_line_to (cr, 0.42, 0.74);
        cairo_line_to (cr, 0.82, 0.30);
        cairo_stroke (cr);
        break;

      case GLYPH_CROSS:
        cairo_set_line_width (cr, 0.13);
        cairo_move_to (cr, 0.24, 0.24);
        cairo_line_to (cr, 0.76, 0.76);
        cairo_move_to (cr, 0.76, 0.24);
        cairo_line_to (cr, 0.24, 0.76);
        cairo_stroke (cr);
        break;

      case GLYPH_CLOCK:
        cairo_set_line_width (cr, 0.10);
        cairo_arc (cr, 0.5, 0.5, 0.33, 0, 2 * G_PI);
        cairo_stroke (cr);
        cairo_move_to (cr, 0.5, 0.30);
        cairo_line_to (cr, 0.5, 0.5);
        cairo_line_to (cr, 0.65, 0.58);
        cairo_stroke (cr);
        break;

      case GLYPH_WHEELCHAIR:
        /* The international symbol of access, reduced to what survives at
         * twenty pixels: head, back and seat, and the wheel. */
        cairo_arc (cr, 0.50, 0.16, 0.085, 0, 2 * G_PI);
        cairo_fill (cr);
        cairo_set_line_width (cr, 0.10);
        cairo_move_to (cr, 0.47, 0.32);
        cairo_line_to (cr, 0.49, 0.56);
        cairo_line_to (cr, 0.70, 0.56);
        cairo_line_to (cr, 0.79, 0.80);
        cairo_move_to (cr, 0.48, 0.42);
        cairo_line_to (cr, 0.64, 0.42);
        cairo_stroke (cr);
        cairo_set_line_width (cr, 0.085);
        cairo_arc (cr, 0.44, 0.64, 0.23, G_PI * 0.12, G_PI * 1.68);
        cairo_stroke (cr);
        break;

      default:
        g_assert_not_reached ();
    }
}

static GdkTexture *
glyph_texture_new (Glyph glyph, int size, const GdkRGBA *color)
{
  g_autoptr (GBytes) bytes = NULL;
  cairo_surface_t *surface;
  cairo_t         *cr;
  GdkTexture      *texture;

  size = MAX (size, 1);
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  cr = cairo_create (surface);
  cairo_scale (cr, size, size);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  gdk_cairo_set_source_rgba (cr, color);
  glyph_path (cr, glyph);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) cairo_image_surface_get_stride (surface) * size,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  texture = gdk_memory_texture_new (size, size, GDK_MEMORY_DEFAULT, bytes,
                                    cairo_image_surface_get_stride (surface));
  return texture;
}

static void
append_glyph (GtkSnapshot         *snapshot,
              const GtSeatPalette *palette,
              Glyph                glyph,
              const GdkRGBA       *color,
              float                x,
              float                y,
              float                size)
{
  g_autoptr (GdkTexture) texture = NULL;

  texture = glyph_texture_new (glyph, (int) ceilf (size * palette->scale), color);
  gtk_snapshot_append_texture (snapshot, texture, &GRAPHENE_RECT_INIT (x, y, size, size));
}

static void
append_stripes (GtkSnapshot           *snapshot,
                const graphene_rect_t *area,
                const GdkRGBA         *color,
                float                  period,
                gboolean               rising)
{
  GskColorStop stops[4] = {
    { 0.0, *color },
    { 0.45, *color },
    { 0.45, { 0, 0, 0, 0 } },
    { 1.0, { 0, 0, 0, 0 } },
  };
  float step = period / (float) G_SQRT2;
  float x = area->origin.x;
  float y = area->origin.y;

  if (rising)
    gtk_snapshot_append_repeating_linear_gradient (snapshot, area, &GRAPHENE_POINT_INIT (x, y),
                                                   &GRAPHENE_POINT_INIT (x + step, y + step), stops,
                                                   G_N_ELEMENTS (stops));
  else
    gtk_snapshot_append_repeating_linear_gradient (snapshot, area,
                                                   &GRAPHENE_POINT_INIT (x + step, y),
                                                   &GRAPHENE_POINT_INIT (x, y + step), stops,
                                                   G_N_ELEMENTS (stops));
}

/* One diagonal bar from the top left to the bottom right corner: the
 * "crossed out" mark of a blocked seat. */
static void
append_slash (GtkSnapshot *snapshot, const graphene_rect_t *area, const GdkRGBA *color, float width)
{
  float        x = area->origin.x;
  float        y = area->origin.y;
  float        w = area->size.width;
  float        h = area->size.height;
  float        half = width / 2 / sqrtf (w * w + h * h);
  GskColorStop stops[4] = {
    { 0.5 - half, { 0, 0, 0, 0 } },
    { 0.5 - half, *color },
    { 0.5 + half, *color },
    { 0.5 + half, { 0, 0, 0, 0 } },
  };

  gtk_snapshot_append_linear_gradient (snapshot, area, &GRAPHENE_POINT_INIT (x + w, y),
                                       &GRAPHENE_POINT_INIT (x, y + h), stops,
                                       G_N_ELEMENTS (stops));
}

static void
rounded_rect_init (GskRoundedRect        *shape,
                   const graphene_rect_t *rect,
                   float                  radius,
                   GtSeatJoin             join)
{
  float left = join == GT_SEAT_JOIN_LEFT ? 0 : radius;
  float right = join == GT_SEAT_JOIN_RIGHT ? 0 : radius;

  radius = MIN (radius, MIN (rect->size.width, rect->size.height) / 2);
  left = MIN (left, radius);
  right = MIN (right, radius);
  gsk_rounded_rect_init (shape, rect, &GRAPHENE_SIZE_INIT (left, left),
                         &GRAPHENE_SIZE_INIT (right, right), &GRAPHENE_SIZE_INIT (right, right),
                         &GRAPHENE_SIZE_INIT (left, left));
}

/* Layout */

static inline Seat *
seat_get (GtSeatMap *self, int i)
{
  return &g_array_index (self->seats, Seat, i);
}

static inline Row *
row_get (GtSeatMap *self, guint i)
{
  return &g_array_index (self->rows, Row, i);
}

static int
seat_lookup (GtSeatMap *self, const char *seat_id)
{
  gpointer value;

  if (seat_id == NULL)
    return -1;
  value = g_hash_table_lookup (self->index, seat_id);
  return value != NULL ? GPOINTER_TO_INT (value) - 1 : -1;
}

static void
seat_clear (gpointer data)
{
  Seat *seat = data;

  g_clear_pointer (&seat->id, g_free);
}

static void
row_clear (gpointer data)
{
  Row *row = data;

  g_clear_pointer (&row->label, g_free);
}

static void
clear_variants (GtSeatMap *self)
{
  for (guint t = 0; t < N_SEAT_TYPES; t++)
    for (guint s = 0; s < N_SEAT_STATES; s++)
      for (guint j = 0; j < N_SEAT_JOINS; j++)
        g_clear_pointer (&self->variants[t][s][j], gsk_render_node_unref);
}

static void
invalidate_layout (GtSeatMap *self)
{
  self->layout_valid = FALSE;
  g_clear_pointer (&self->decor, gsk_render_node_unref);
}

static int
n_columns (GtSeatMap *self)
{
  return self->seats->len > 0 ? self->max_x - self->min_x + 1 : 0;
}

static int
compute_cell (GtSeatMap *self, int width, int height, int screen_h)
{
  double cols = n_columns (self) + 2 * LABEL_CELLS;
  double by_width = (width - 2 * PADDING) / cols;
  double by_height = (double) (height - 2 * PADDING - screen_h) / MAX (self->rows->len, 1);

  return CLAMP ((int) floor (MIN (by_width, by_height)), MIN_CELL, MAX_CELL);
}

static void
ensure_layout (GtSeatMap *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  int old_cell = self->cell;
  int old_inset = self->inset;
  int size;
  int grid_w;
  int content_h;

  if (self->layout_valid)
    return;
  self->layout_valid = TRUE;

  if (self->seats->len == 0)
    return;

  /* The screen band grows with the seats, so size the seats twice. */
  self->cell = compute_cell (self, width, height, SCREEN_MIN);
  self->screen_h = CLAMP ((int) (self->cell * 1.6), SCREEN_MIN, SCREEN_MAX);
  self->cell = compute_cell (self, width, height, self->screen_h);
  self->inset = MAX (1, (int) round (self->cell * 0.09));
  size = self->cell - 2 * self->inset;

  grid_w = n_columns (self) * self->cell;
  content_h = self->screen_h + (int) self->rows->len * self->cell;
  self->grid_x = (width - grid_w) / 2;
  self->grid_y = MAX (PADDING, (height - content_h) / 2) + self->screen_h;

  for (guint i = 0; i < self->seats->len; i++)
    {
      Seat *seat = seat_get (self, i);
      float x = self->grid_x + (seat->x - self->min_x) * self->cell + self->inset;
      float y = self->grid_y + (int) seat->row * self->cell + self->inset;
      float w = size;

      if (seat->join == GT_SEAT_JOIN_LEFT)
        x -= self->inset;
      if (seat->join != GT_SEAT_JOIN_NONE)
        w += self->inset;
      graphene_rect_init (&seat->bounds, x, y, w, size);
    }

  if (old_cell != self->cell || old_inset != self->inset)
    clear_variants (self);
}

static int
seat_at (GtSeatMap *self, double x, double y)
{
  double     row_f;
  double     col_f;
  const Row *row;
  int        col;
  int        lo;
  int        hi;

  ensure_layout (self);
  if (self->seats->len == 0 || self->cell <= 0)
    return -1;

  row_f = floor ((y - self->grid_y) / self->cell);
  col_f = floor ((x - self->grid_x) / self->cell);
  if (row_f < 0 || row_f >= self->rows->len || col_f < 0 || col_f >= n_columns (self))
    return -1;

  row = row_get (self, (guint) row_f);
  col = (int) col_f + self->min_x;

  lo = row->first;
  hi = (int) (row->first + row->n_seats) - 1;
  while (lo <= hi)
    {
      int mid = (lo + hi) / 2;
      int mid_x = seat_get (self, mid)->x;

      if (mid_x == col)
        return mid;
      else if (mid_x < col)
        lo = mid + 1;
      else
        hi = mid - 1;
    }

  return -1;
}

/* Drawing */

static GskRenderNode *
ensure_variant (GtSeatMap *self, const Seat *seat)
{
  GskRenderNode **node = &self->variants[seat->type][seat->state][seat->join];

  if (*node == NULL)
    {
      GtkSnapshot    *snapshot = gtk_snapshot_new ();
      graphene_rect_t rect = GRAPHENE_RECT_INIT (0, 0, seat->bounds.size.width,
                                                 seat->bounds.size.height);

      _gt_seat_map_draw_seat (snapshot, &rect, seat->type, seat->state, seat->join, &self->palette);
      *node = gtk_snapshot_free_to_node (snapshot);
    }

  return *node;
}

static PangoLayout *
create_label_layout (GtSeatMap *self, const char *text, int pixel_size, double letter_spacing)
{
  PangoLayout  *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoContext *context = pango_layout_get_context (layout);
  g_autoptr (PangoFontDescription) font = NULL;
  g_autoptr (PangoAttrList) attrs = pango_attr_list_new ();

  font = pango_font_description_copy (pango_context_get_font_description (context));
  pango_font_description_set_absolute_size (font, pixel_size * PANGO_SCALE);
  pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  if (letter_spacing > 0)
    {
      pango_attr_list_insert (attrs,
                              pango_attr_letter_spacing_new ((int) (letter_spacing * PANGO_SCALE)));
      pango_layout_set_attributes (layout, attrs);
    }

  return layout;
}

static void
append_centered_layout (GtkSnapshot   *snapshot,
                        PangoLayout   *layout,
                        float          cx,
                        float          cy,
                        const GdkRGBA *color)
{
  PangoRectangle ink;
  PangoRectangle logical;

  pango_layout_get_pixel_extents (layout, &ink, &logical);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (roundf (cx - logical.width / 2.f),
                                                          roundf (cy - logical.height / 2.f)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

/* The screen, and row labels on both sides: everything that only changes
 * with the size, the seats' rows or the style. */
static GskRenderNode *
build_decor (GtSeatMap *self)
{
  const GtSeatPalette *palette = &self->palette;
  GtkSnapshot         *snapshot = gtk_snapshot_new ();
  int                  grid_w = n_columns (self) * self->cell;
  float                screen_w = MAX (grid_w * 0.8f, 60);
  float                screen_x = self->grid_x + (grid_w - screen_w) / 2;
  float                screen_y = self->grid_y - self->screen_h;
  float                bar_h = MAX (3, roundf (self->screen_h * 0.1f));
  float                label_w = self->cell * LABEL_CELLS;
  int                  row_font = CLAMP ((int) (self->cell * 0.42), 8, 16);
  int                  screen_font = CLAMP ((int) (self->screen_h * 0.28), 8, 13);
  GskRoundedRect       bar;
  GdkRGBA              glow = rgba_with_alpha (&palette->accent, palette->dark ? 0.22 : 0.14);
  GdkRGBA              clear = rgba_with_alpha (&palette->accent, 0);
  GskColorStop         stops[2] = { { 0, glow }, { 1, clear } };
  g_autoptr (PangoLayout) screen_label = NULL;

  /* Light falling from the screen onto the first rows. */
  gtk_snapshot_append_radial_gradient (
    snapshot, &GRAPHENE_RECT_INIT (screen_x, screen_y + bar_h, screen_w, self->screen_h),
    &GRAPHENE_POINT_INIT (screen_x + screen_w / 2, screen_y + bar_h), screen_w / 2, self->screen_h,
    0, 1, stops, 2);

  gsk_rounded_rect_init_from_rect (&bar, &GRAPHENE_RECT_INIT (screen_x, screen_y, screen_w, bar_h),
                                   bar_h / 2);
  gtk_snapshot_push_rounded_clip (snapshot, &bar);
  gtk_snapshot_append_color (snapshot, &palette->accent, &bar.bounds);
  gtk_snapshot_pop (snapshot);

  /* TRANSLATORS: the label under the cinema screen on the seat map */
  screen_label = create_label_layout (self, _ ("SCREEN"), screen_font, screen_font * 0.35);
  append_centered_layout (snapshot, screen_label, screen_x + screen_w / 2,
                          screen_y + bar_h + (self->screen_h - bar_h) * 0.42f, &palette->dim_fg);

  for (guint i = 0; i < self->rows->len; i++)
    {
      g_autoptr (PangoLayout)
        layout = create_label_layout (self, row_get (self, i)->label, row_font, 0);
      float cy = self->grid_y + (i + 0.5f) * self->cell;

      append_centered_layout (snapshot, layout, self->grid_x - label_w / 2, cy, &palette->dim_fg);
      append_centered_layout (snapshot, layout, self->grid_x + grid_w + label_w / 2, cy,
                              &palette->dim_fg);
    }

  return gtk_snapshot_free_to_node (snapshot);
}

static void
append_ring (GtkSnapshot           *snapshot,
             const graphene_rect_t *seat_bounds,
             GtSeatType             type,
             GtSeatJoin             join,
             float                  outset,
             float                  width,
             const GdkRGBA         *color)
{
  graphene_rect_t rect;
  GskRoundedRect  ring;
  float           size = MIN (seat_bounds->size.width, seat_bounds->size.height);
  float       radius = type == GT_SEAT_TYPE_WHEELCHAIR ? size / 2 + outset : size * 0.22f + outset;
  const float widths[4] = { width, width, width, width };
  const GdkRGBA colors[4] = { *color, *color, *color, *color };

  graphene_rect_inset_r (seat_bounds, -outset, -outset, &rect);
  rounded_rect_init (&ring, &rect, radius, GT_SEAT_JOIN_NONE);
  gtk_snapshot_append_border (snapshot, &ring, widths, colors);
}

/* Navigation */

static int
row_nearest (GtSeatMap *self, guint row_index, int x)
{
  const Row *row = row_get (self, row_index);
  int        best = -1;
  int        best_distance = G_MAXINT;

  for (guint i = row->first; i < row->first + row->n_seats; i++)
    {
      int distance = ABS (seat_get (self, i)->x - x);

      if (distance < best_distance)
        {
          best = i;
          best_distance = distance;
        }
    }

  return best;
}

/* Where a cashier most likely wants to start: the middle of the middle row. */
static int
default_focus (GtSeatMap *self)
{
  int index;

  if (self->seats->len == 0)
    return -1;
  index = row_nearest (self, self->rows->len / 2, (self->min_x + self->max_x) / 2);
  return index >= 0 ? index : 0;
}

static void
update_accessible_description (GtSeatMap *self)
{
  g_autofree char *description = NULL;

  if (self->focus >= 0)
    description = _gt_seat_map_dup_seat_description (self, seat_get (self, self->focus)->id);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description != NULL ? description : "", -1);
}

static void
set_focus_index (GtSeatMap *self, int index, gboolean keep_goal)
{
  if (!keep_goal)
    self->goal_x = NO_GOAL;

  if (self->focus == index)
    return;

  self->focus = index;
  update_accessible_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOCUS_SEAT]);
}

static void
set_hover (GtSeatMap *self, int index)
{
  if (self->hover == index)
    return;

  if ((self->hover < 0) != (index < 0))
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self), index >= 0 ? "pointer" : NULL);

  self->hover = index;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
activate_focus (GtSeatMap *self)
{
  if (self->focus < 0)
    return;

  g_signal_emit (self, signals[SEAT_ACTIVATED], 0, seat_get (self, self->focus)->id);
}

static void
seat_map_move_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  static const char *const names[] = {
    [GT_SEAT_MOVE_LEFT] = "left",
    [GT_SEAT_MOVE_RIGHT] = "right",
    [GT_SEAT_MOVE_UP] = "up",
    [GT_SEAT_MOVE_DOWN] = "down",
    [GT_SEAT_MOVE_ROW_START] = "row-start",
    [GT_SEAT_MOVE_ROW_END] = "row-end",
    [GT_SEAT_MOVE_FIRST] = "first",
    [GT_SEAT_MOVE_LAST] = "last",
  };
  const char *name = g_variant_get_string (parameter, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_str_equal (name, names[i]))
        {
          _gt_seat_map_move (GT_SEAT_MAP (widget), (GtSeatMove) i);
          return;
        }
    }

  g_warning ("Unknown seat map move “%s”", name);
}

static void
seat_map_activate_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  activate_focus (GT_SEAT_MAP (widget));
}

/* Callbacks */

static void
on_click_pressed_cb (GtSeatMap *self, int n_press, double x, double y, GtkGestureClick *gesture)
{
  self->pressed = seat_at (self, x, y);
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
on_click_released_cb (GtSeatMap *self, int n_press, double x, double y, GtkGestureClick *gesture)
{
  int index = seat_at (self, x, y);

  /* A double click is one click too many, not a hold and its release. */
  if (index >= 0 && index == self->pressed && n_press == 1)
    {
      set_focus_index (self, index, FALSE);
      activate_focus (self);
    }

  self->pressed = -1;
}

static void
on_motion_cb (GtSeatMap *self, double x, double y, GtkEventControllerMotion *motion)
{
  set_hover (self, seat_at (self, x, y));
}

static void
on_leave_cb (GtSeatMap *self, GtkEventControllerMotion *motion)
{
  set_hover (self, -1);
}

static void
on_focus_enter_cb (GtSeatMap *self, GtkEventControllerFocus *controller)
{
  if (self->focus < 0)
    set_focus_index (self, default_focus (self), FALSE);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_focus_leave_cb (GtSeatMap *self, GtkEventControllerFocus *controller)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_scale_factor_changed_cb (GtSeatMap *self, GParamSpec *pspec)
{
  self->palette_valid = FALSE;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Overrides */

static void
gt_seat_map_measure (GtkWidget     *widget,
                     GtkOrientation orientation,
                     int            for_size,
                     int           *minimum,
                     int           *natural,
                     int           *minimum_baseline,
                     int           *natural_baseline)
{
  GtSeatMap *self = GT_SEAT_MAP (widget);

  if (self->seats->len == 0)
    {
      *minimum = 0;
      *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 160;
    }
  else if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      double cells = n_columns (self) + 2 * LABEL_CELLS;

      *minimum = (int) ceil (cells * MIN_CELL) + 2 * PADDING;
      *natural = (int) ceil (cells * NATURAL_CELL) + 2 * PADDING;
    }
  else
    {
      *minimum = (int) self->rows->len * MIN_CELL + SCREEN_MIN + 2 * PADDING;
      *natural = (int) self->rows->len * NATURAL_CELL + 50 + 2 * PADDING;
    }
}

static void
gt_seat_map_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  GtSeatMap *self = GT_SEAT_MAP (widget);

  invalidate_layout (self);
  ensure_layout (self);
}

static void
gt_seat_map_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  GtSeatMap *self = GT_SEAT_MAP (widget);

  if (!self->palette_valid)
    {
      _gt_seat_palette_init (&self->palette, widget);
      self->palette_valid = TRUE;
      clear_variants (self);
      g_clear_pointer (&self->decor, gsk_render_node_unref);
    }

  ensure_layout (self);
  if (self->seats->len == 0)
    return;

  if (self->decor == NULL)
    self->decor = build_decor (self);
  gtk_snapshot_append_node (snapshot, self->decor);

  for (guint i = 0; i < self->seats->len; i++)
    {
      const Seat *seat = seat_get (self, i);

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &seat->bounds.origin);
      gtk_snapshot_append_node (snapshot, ensure_variant (self, seat));
      gtk_snapshot_restore (snapshot);
    }

  if (self->hover >= 0)
    {
      const Seat *seat = seat_get (self, self->hover);

      append_ring (snapshot, &seat->bounds, seat->type, seat->join, self->inset * 0.5f,
                   MAX (1, self->inset * 0.6f), &self->palette.hover);
    }

  if (self->focus >= 0 && gtk_widget_has_focus (widget))
    {
      const Seat *seat = seat_get (self, self->focus);

      append_ring (snapshot, &seat->bounds, seat->type, seat->join, self->inset * 0.8f,
                   MAX (2, self->inset * 0.7f), &self->palette.focus);
    }
}

static void
gt_seat_map_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  GtSeatMap *self = GT_SEAT_MAP (widget);

  GTK_WIDGET_CLASS (gt_seat_map_parent_class)->css_changed (widget, change);

  self->palette_valid = FALSE;
  gtk_widget_queue_draw (widget);
}

static void
gt_seat_map_system_setting_changed (GtkWidget *widget, GtkSystemSetting setting)
{
  GtSeatMap *self = GT_SEAT_MAP (widget);

  GTK_WIDGET_CLASS (gt_seat_map_parent_class)->system_setting_changed (widget, setting);

  /* Fonts went into the labels of the cached decor. */
  g_clear_pointer (&self->decor, gsk_render_node_unref);
  gtk_widget_queue_draw (widget);
}

static gboolean
gt_seat_map_query_tooltip (GtkWidget  *widget,
                           int         x,
                           int         y,
                           gboolean    keyboard_tooltip,
                           GtkTooltip *tooltip)
{
  GtSeatMap       *self = GT_SEAT_MAP (widget);
  int              index = keyboard_tooltip ? self->focus : seat_at (self, x, y);
  g_autofree char *text = NULL;
  const Seat      *seat;

  if (index < 0)
    return FALSE;

  seat = seat_get (self, index);
  text = _gt_seat_map_dup_seat_description (self, seat->id);
  gtk_tooltip_set_text (tooltip, text);
  gtk_tooltip_set_tip_area (tooltip, &(GdkRectangle){
                                       (int) seat->bounds.origin.x,
                                       (int) seat->bounds.origin.y,
                                       (int) ceilf (seat->bounds.size.width),
                                       (int) ceilf (seat->bounds.size.height),
                                     });
  return TRUE;
}

static void
gt_seat_map_dispose (GObject *object)
{
  GtSeatMap *self = GT_SEAT_MAP (object);

  clear_variants (self);
  g_clear_pointer (&self->decor, gsk_render_node_unref);

  G_OBJECT_CLASS (gt_seat_map_parent_class)->dispose (object);
}

static void
gt_seat_map_finalize (GObject *object)
{
  GtSeatMap *self = GT_SEAT_MAP (object);

  g_clear_pointer (&self->index, g_hash_table_unref);
  g_clear_pointer (&self->seats, g_array_unref);
  g_clear_pointer (&self->rows, g_array_unref);

  G_OBJECT_CLASS (gt_seat_map_parent_class)->finalize (object);
}

static void
gt_seat_map_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GtSeatMap *self = GT_SEAT_MAP (object);

  switch (prop_id)
    {
      case PROP_FOCUS_SEAT:
        g_value_set_string (value, gt_seat_map_get_focus_seat (self));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gt_seat_map_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GtSeatMap *self = GT_SEAT_MAP (object);

  switch (prop_id)
    {
      case PROP_FOCUS_SEAT:
        gt_seat_map_set_focus_seat (self, g_value_get_string (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
add_move_binding (GtkWidgetClass *widget_class,
                  guint           keyval,
                  guint           keypad_keyval,
                  GdkModifierType modifiers,
                  const char     *move)
{
  gtk_widget_class_add_binding_action (widget_class, keyval, modifiers, "seat-map.move", "s", move);
  gtk_widget_class_add_binding_action (widget_class, keypad_keyval, modifiers, "seat-map.move", "s",
                                       move);
}

static void
gt_seat_map_class_init (GtSeatMapClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gt_seat_map_dispose;
  object_class->finalize = gt_seat_map_finalize;
  object_class->get_property = gt_seat_map_get_property;
  object_class->set_property = gt_seat_map_set_property;

  widget_class->measure = gt_seat_map_measure;
  widget_class->size_allocate = gt_seat_map_size_allocate;
  widget_class->snapshot = gt_seat_map_snapshot;
  widget_class->css_changed = gt_seat_map_css_changed;
  widget_class->system_setting_changed = gt_seat_map_system_setting_changed;
  widget_class->query_tooltip = gt_seat_map_query_tooltip;

  /**
   * GtSeatMap:focus-seat:
   *
   * The id of the seat the keyboard acts on, or %NULL.
   */
  properties[PROP_FOCUS_SEAT] = g_param_spec_string ("focus-seat", NULL, NULL, NULL,
                                                     G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                                       | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GtSeatMap::seat-activated:
   * @self: the seat map
   * @seat_id: the seat clicked, or focused when Space or Enter was pressed
   *
   * The map does not change the seat's state: whoever holds or releases
   * it on the server calls gt_seat_map_set_seat_state() with the answer.
   */
  signals[SEAT_ACTIVATED] = g_signal_new ("seat-activated", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                          G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_install_action (widget_class, "seat-map.move", "s", seat_map_move_action);
  gtk_widget_class_install_action (widget_class, "seat-map.activate-seat", NULL,
                                   seat_map_activate_action);

  add_move_binding (widget_class, GDK_KEY_Left, GDK_KEY_KP_Left, 0, "left");
  add_move_binding (widget_class, GDK_KEY_Right, GDK_KEY_KP_Right, 0, "right");
  add_move_binding (widget_class, GDK_KEY_Up, GDK_KEY_KP_Up, 0, "up");
  add_move_binding (widget_class, GDK_KEY_Down, GDK_KEY_KP_Down, 0, "down");
  add_move_binding (widget_class, GDK_KEY_Home, GDK_KEY_KP_Home, 0, "row-start");
  add_move_binding (widget_class, GDK_KEY_End, GDK_KEY_KP_End, 0, "row-end");
  add_move_binding (widget_class, GDK_KEY_Home, GDK_KEY_KP_Home, GDK_CONTROL_MASK, "first");
  add_move_binding (widget_class, GDK_KEY_End, GDK_KEY_KP_End, GDK_CONTROL_MASK, "last");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "seat-map.activate-seat",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Space, 0, "seat-map.activate-seat",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, 0, "seat-map.activate-seat",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, 0, "seat-map.activate-seat",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_ISO_Enter, 0, "seat-map.activate-seat",
                                       NULL);

  gtk_widget_class_set_css_name (widget_class, "seatmap");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GRID);
}

static void
gt_seat_map_init (GtSeatMap *self)
{
  GtkEventController *controller;
  GtkGesture         *click;

  self->seats = g_array_new (FALSE, TRUE, sizeof (Seat));
  g_array_set_clear_func (self->seats, seat_clear);
  self->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_array_set_clear_func (self->rows, row_clear);
  self->index = g_hash_table_new (g_str_hash, g_str_equal);
  self->focus = -1;
  self->hover = -1;
  self->pressed = -1;
  self->goal_x = NO_GOAL;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Seat map"), -1);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (click, "pressed", G_CALLBACK (on_click_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (click, "released", G_CALLBACK (on_click_released_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  controller = gtk_event_controller_motion_new ();
  g_signal_connect_object (controller, "enter", G_CALLBACK (on_motion_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "motion", G_CALLBACK (on_motion_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "leave", G_CALLBACK (on_leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect_object (controller, "enter", G_CALLBACK (on_focus_enter_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (controller, "leave", G_CALLBACK (on_focus_leave_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (on_scale_factor_changed_cb), NULL);
}

/* Internal API */

void
_gt_seat_palette_init (GtSeatPalette *palette, GtkWidget *widget)
{
  GtkStyleContext *context;
  GdkRGBA          accent_fg;
  float            luminance;

  g_return_if_fail (palette != NULL);
  g_return_if_fail (GTK_IS_WIDGET (widget));

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  context = gtk_widget_get_style_context (widget);
  gtk_style_context_get_color (context, &palette->fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  luminance = 0.2126f * palette->fg.red + 0.7152f * palette->fg.green + 0.0722f * palette->fg.blue;
  palette->dark = luminance > 0.5f;
  palette->scale = MAX (1, gtk_widget_get_scale_factor (widget));
  palette->fg.alpha = 1;
  palette->dim_fg = rgba_with_alpha (&palette->fg, 0.55f);

  lookup_color (context, "accent_bg_color", "#3584e4", &palette->accent);
  lookup_color (context, "accent_fg_color", "#ffffff", &accent_fg);
  palette->mine_fill = palette->accent;
  palette->mine_border = rgba_shade (&palette->accent, palette->dark ? 1.25f : 0.78f);
  palette->mine_ink = accent_fg;
  palette->focus = rgba_with_alpha (&palette->accent, palette->dark ? 0.9f : 0.75f);
  palette->hover = rgba_with_alpha (&palette->fg, 0.35f);

  if (palette->dark)
    {
      rgba_parse (&palette->free_fill, "#303030");
      palette->free_border = rgba_with_alpha (&palette->fg, 0.55f);
      palette->free_ink = rgba_with_alpha (&palette->fg, 0.75f);
      rgba_parse (&palette->premium, "#e5a50a");
      rgba_parse (&palette->held_fill, "#4d3d12");
      rgba_parse (&palette->held_stripe, "rgba(229,165,10,0.35)");
      rgba_parse (&palette->held_border, "#c88800");
      rgba_parse (&palette->held_ink, "#f8e45c");
      rgba_parse (&palette->sold_fill, "#5e5c64");
      rgba_parse (&palette->sold_border, "#8b8a8f");
      rgba_parse (&palette->sold_ink, "#ffffff");
      rgba_parse (&palette->blocked_fill, "#262626");
      rgba_parse (&palette->blocked_stripe, "rgba(255,255,255,0.07)");
      rgba_parse (&palette->blocked_border, "#4a4a4a");
      palette->blocked_ink = rgba_with_alpha (&palette->fg, 0.45f);
    }
  else
    {
      rgba_parse (&palette->free_fill, "#ffffff");
      palette->free_border = rgba_with_alpha (&palette->fg, 0.42f);
      palette->free_ink = rgba_with_alpha (&palette->fg, 0.65f);
      rgba_parse (&palette->premium, "#f5c211");
      rgba_parse (&palette->held_fill, "#fbeab0");
      rgba_parse (&palette->held_stripe, "rgba(229,165,10,0.40)");
      rgba_parse (&palette->held_border, "#c88800");
      rgba_parse (&palette->held_ink, "#865e3c");
      rgba_parse (&palette->sold_fill, "#3d3846");
      rgba_parse (&palette->sold_border, "#3d3846");
      rgba_parse (&palette->sold_ink, "#ffffff");
      rgba_parse (&palette->blocked_fill, "#e6e5e3");
      rgba_parse (&palette->blocked_stripe, "rgba(0,0,0,0.08)");
      rgba_parse (&palette->blocked_border, "#c0bfbc");
      palette->blocked_ink = rgba_with_alpha (&palette->fg, 0.40f);
    }
}

/**
 * _gt_seat_map_draw_seat:
 * @rect: where the seat goes; a joined couple seat is wider than tall
 *
 * Draws one seat. The type is told by the shape (premium: a thick top bar,
 * wheelchair: round, companion: a second outline, couple: two seats joined),
 * the state by fill and mark (free: outlined; mine: filled with a check;
 * held: hatched with a clock; sold: solid with a cross; blocked: striped and
 * struck out), so neither hangs on colour alone.
 */
void
_gt_seat_map_draw_seat (GtkSnapshot           *snapshot,
                        const graphene_rect_t *rect,
                        GtSeatType             type,
                        GtSeatState            state,
                        GtSeatJoin             join,
                        const GtSeatPalette   *palette)
{
  float           size = MIN (rect->size.width, rect->size.height);
  float           border_width = size >= 20 ? 1.5f : 1;
  float           radius = type == GT_SEAT_TYPE_WHEELCHAIR ? size / 2 : size * 0.22f;
  graphene_rect_t body = *rect;
  graphene_rect_t square;
  GskRoundedRect  shape;
  float           bar_h = 0;
  const GdkRGBA  *fill;
  const GdkRGBA  *border;
  const GdkRGBA  *ink;
  float           glyph_size;
  float           gx;
  float           gy;

  g_return_if_fail (GTK_IS_SNAPSHOT (snapshot));
  g_return_if_fail (rect != NULL);
  g_return_if_fail (palette != NULL);

  switch (state)
    {
      case GT_SEAT_STATE_MINE:
        fill = &palette->mine_fill, border = &palette->mine_border, ink = &palette->mine_ink;
        break;
      case GT_SEAT_STATE_HELD:
        fill = &palette->held_fill, border = &palette->held_border, ink = &palette->held_ink;
        break;
      case GT_SEAT_STATE_SOLD:
        fill = &palette->sold_fill, border = &palette->sold_border, ink = &palette->sold_ink;
        break;
      case GT_SEAT_STATE_BLOCKED:
        fill = &palette->blocked_fill, border = &palette->blocked_border,
        ink = &palette->blocked_ink;
        break;
      case GT_SEAT_STATE_FREE:
      default:
        fill = &palette->free_fill, border = &palette->free_border, ink = &palette->free_ink;
        break;
    }

  /* The square of the seat itself, without the part that joins a couple. */
  square = GRAPHENE_RECT_INIT (join == GT_SEAT_JOIN_LEFT ? rect->origin.x + rect->size.width - size
                                                         : rect->origin.x,
                               rect->origin.y, size, size);

  rounded_rect_init (&shape, &body, radius, join);
  gtk_snapshot_push_rounded_clip (snapshot, &shape);
  gtk_snapshot_append_color (snapshot, fill, &body);
  if (state == GT_SEAT_STATE_HELD)
    append_stripes (snapshot, &body, &palette->held_stripe, MAX (4, size * 0.3f), TRUE);
  else if (state == GT_SEAT_STATE_BLOCKED)
    {
      append_stripes (snapshot, &body, &palette->blocked_stripe, MAX (3, size * 0.18f), FALSE);
      append_slash (snapshot, &body, &palette->blocked_ink, MAX (1.5f, size * 0.09f));
    }
  if (type == GT_SEAT_TYPE_PREMIUM)
    {
      /* A thick bar across the top, like the headrest of a recliner. */
      bar_h = roundf (size * 0.24f);
      gtk_snapshot_append_color (
        snapshot, state == GT_SEAT_STATE_BLOCKED ? &palette->blocked_ink : &palette->premium,
        &GRAPHENE_RECT_INIT (body.origin.x, body.origin.y, body.size.width, bar_h));
    }
  gtk_snapshot_pop (snapshot);
  {
    const float   widths[4] = { border_width, border_width, border_width, border_width };
    const GdkRGBA colors[4] = { *border, *border, *border, *border };

    gtk_snapshot_append_border (snapshot, &shape, widths, colors);
  }

  if (type == GT_SEAT_TYPE_COMPANION)
    {
      /* A second outline inside the first: a seat kept for someone. */
      const float     inner_widths[4] = { border_width, border_width, border_width, border_width };
      const GdkRGBA   inner = rgba_with_alpha (state == GT_SEAT_STATE_FREE ? border : ink, 0.8f);
      const GdkRGBA   inner_colors[4] = { inner, inner, inner, inner };
      float           gap = MAX (2, roundf (size * 0.14f));
      graphene_rect_t inner_rect;
      GskRoundedRect  inner_shape;

      graphene_rect_inset_r (&square, gap, gap, &inner_rect);
      rounded_rect_init (&inner_shape, &inner_rect, MAX (1, radius - gap * 0.6f),
                         GT_SEAT_JOIN_NONE);
      gtk_snapshot_append_border (snapshot, &inner_shape, inner_widths, inner_colors);
    }

  /* The mark sits in the middle of what the bars leave of the seat. */
  glyph_size = roundf (size * (type == GT_SEAT_TYPE_COMPANION ? 0.5f : 0.62f));
  if (type == GT_SEAT_TYPE_PREMIUM)
    glyph_size = MIN (glyph_size, roundf ((size - bar_h) * 0.8f));
  gx = square.origin.x + (size - glyph_size) / 2;
  gy = square.origin.y + bar_h + (size - bar_h - glyph_size) / 2;

  switch (state)
    {
      case GT_SEAT_STATE_MINE:
        append_glyph (snapshot, palette, GLYPH_CHECK, ink, gx, gy, glyph_size);
        break;
      case GT_SEAT_STATE_HELD:
        append_glyph (snapshot, palette, GLYPH_CLOCK, ink, gx, gy, glyph_size);
        break;
      case GT_SEAT_STATE_SOLD:
        append_glyph (snapshot, palette, GLYPH_CROSS, ink, gx, gy, glyph_size);
        break;
      case GT_SEAT_STATE_FREE:
        if (type == GT_SEAT_TYPE_WHEELCHAIR)
          append_glyph (snapshot, palette, GLYPH_WHEELCHAIR, ink, gx, gy, glyph_size);
        break;
      case GT_SEAT_STATE_BLOCKED:
      default:
        break;
    }
}

void
_gt_seat_map_move (GtSeatMap *self, GtSeatMove move)
{
  const Seat *seat;
  const Row  *row;
  int         target;
  gboolean    vertical = move == GT_SEAT_MOVE_UP || move == GT_SEAT_MOVE_DOWN;

  g_return_if_fail (GT_IS_SEAT_MAP (self));

  if (self->seats->len == 0)
    return;

  if (self->focus < 0)
    {
      set_focus_index (self, default_focus (self), FALSE);
      return;
    }

  seat = seat_get (self, self->focus);
  row = row_get (self, seat->row);
  target = self->focus;

  switch (move)
    {
      case GT_SEAT_MOVE_LEFT:
        if ((guint) self->focus > row->first)
          target = self->focus - 1;
        break;

      case GT_SEAT_MOVE_RIGHT:
        if ((guint) self->focus + 1 < row->first + row->n_seats)
          target = self->focus + 1;
        break;

      case GT_SEAT_MOVE_UP:
      case GT_SEAT_MOVE_DOWN:
        {
          int step = move == GT_SEAT_MOVE_UP ? -1 : 1;
          int next_row = (int) seat->row + step;

          while (next_row >= 0 && next_row < (int) self->rows->len
                 && row_get (self, next_row)->n_seats == 0)
            next_row += step;
          if (next_row < 0 || next_row >= (int) self->rows->len)
            break;
          if (self->goal_x == NO_GOAL)
            self->goal_x = seat->x;
          target = row_nearest (self, next_row, self->goal_x);
        }
        break;

      case GT_SEAT_MOVE_ROW_START:
        target = row->first;
        break;

      case GT_SEAT_MOVE_ROW_END:
        target = row->first + row->n_seats - 1;
        break;

      case GT_SEAT_MOVE_FIRST:
        target = 0;
        break;

      case GT_SEAT_MOVE_LAST:
        target = self->seats->len - 1;
        break;

      default:
        g_return_if_reached ();
    }

  set_focus_index (self, target, vertical);
}

void
_gt_seat_map_move_focus (GtSeatMap *self, GtkDirectionType direction)
{
  switch (direction)
    {
      case GTK_DIR_LEFT:
      case GTK_DIR_TAB_BACKWARD:
        _gt_seat_map_move (self, GT_SEAT_MOVE_LEFT);
        break;
      case GTK_DIR_RIGHT:
      case GTK_DIR_TAB_FORWARD:
        _gt_seat_map_move (self, GT_SEAT_MOVE_RIGHT);
        break;
      case GTK_DIR_UP:
        _gt_seat_map_move (self, GT_SEAT_MOVE_UP);
        break;
      case GTK_DIR_DOWN:
        _gt_seat_map_move (self, GT_SEAT_MOVE_DOWN);
        break;
      default:
        g_return_if_reached ();
    }
}

char *
_gt_seat_map_dup_seat_description (GtSeatMap *self, const char *seat_id)
{
  int         index;
  const Seat *seat;

  g_return_val_if_fail (GT_IS_SEAT_MAP (self), NULL);

  index = seat_lookup (self, seat_id);
  if (index < 0)
    return NULL;

  seat = seat_get (self, index);
  /* TRANSLATORS: a seat's tooltip: seat id, seat type, seat state,
   * e.g. "F12 · Premium · Free" */
  return g_strdup_printf (_ ("%s · %s · %s"), seat->id, gt_seat_type_to_label (seat->type),
                          gt_seat_state_to_label (seat->state));
}

/* Public API */

const char *
gt_seat_state_to_label (GtSeatState state)
{
  switch (state)
    {
      case GT_SEAT_STATE_FREE:
        return C_ ("seat state", "Free");
      case GT_SEAT_STATE_MINE:
        return C_ ("seat state", "Yours");
      case GT_SEAT_STATE_HELD:
        return C_ ("seat state", "Held");
      case GT_SEAT_STATE_SOLD:
        return C_ ("seat state", "Sold");
      case GT_SEAT_STATE_BLOCKED:
        return C_ ("seat state", "Blocked");
      default:
        g_return_val_if_reached (NULL);
    }
}

const char *
gt_seat_type_to_label (GtSeatType type)
{
  switch (type)
    {
      case GT_SEAT_TYPE_STANDARD:
        return C_ ("seat type", "Standard");
      case GT_SEAT_TYPE_PREMIUM:
        return C_ ("seat type", "Premium");
      case GT_SEAT_TYPE_WHEELCHAIR:
        return C_ ("seat type", "Wheelchair");
      case GT_SEAT_TYPE_COMPANION:
        return C_ ("seat type", "Companion");
      case GT_SEAT_TYPE_COUPLE:
        return C_ ("seat type", "Couple");
      default:
        g_return_val_if_reached (NULL);
    }
}

GtkWidget *
gt_seat_map_new (void)
{
  return g_object_new (GT_TYPE_SEAT_MAP, NULL);
}

static int
parse_nick (GType enum_type, const char *nick, int fallback)
{
  g_autoptr (GEnumClass) klass = g_type_class_ref (enum_type);
  GEnumValue *value = nick != NULL ? g_enum_get_value_by_nick (klass, nick) : NULL;

  return value != NULL ? value->value : fallback;
}

static int
compare_seat_x (gconstpointer a, gconstpointer b)
{
  const Seat *sa = a;
  const Seat *sb = b;

  return (sa->x > sb->x) - (sa->x < sb->x);
}

/**
 * gt_seat_map_set_seats:
 * @seats: (nullable): the `seats` array of `GET /showtimes/{id}/seats`
 *
 * Replaces every seat. The focused seat stays focused if it still exists.
 */
void
gt_seat_map_set_seats (GtSeatMap *self, JsonArray *seats)
{
  g_autofree char *focus_id = NULL;
  g_autoptr (GHashTable) row_index = NULL;
  g_autoptr (GPtrArray) by_row = NULL;
  guint n = seats != NULL ? json_array_get_length (seats) : 0;

  g_return_if_fail (GT_IS_SEAT_MAP (self));

  if (self->focus >= 0)
    focus_id = g_strdup (seat_get (self, self->focus)->id);

  g_hash_table_remove_all (self->index);
  g_array_set_size (self->seats, 0);
  g_array_set_size (self->rows, 0);
  self->focus = self->hover = self->pressed = -1;
  self->goal_x = NO_GOAL;
  self->min_x = G_MAXINT;
  self->max_x = G_MININT;

  /* Group by row, keeping the rows in the order they came. */
  row_index = g_hash_table_new (g_str_hash, g_str_equal);
  by_row = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);

  for (guint i = 0; i < n; i++)
    {
      JsonNode   *node = json_array_get_element (seats, i);
      JsonObject *object;
      const char *id;
      const char *row_label;
      gpointer    row_value;
      GArray     *row_seats;
      Seat        seat = { 0 };

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      object = json_node_get_object (node);
      id = json_object_get_string_member_with_default (object, "id", NULL);
      row_label = json_object_get_string_member_with_default (object, "row", "");
      if (id == NULL)
        continue;

      seat.number = (int) json_object_get_int_member_with_default (object, "number", 0);
      seat.x = (int) json_object_get_int_member_with_default (object, "x", seat.number);
      seat.type = parse_nick (GT_TYPE_SEAT_TYPE,
                              json_object_get_string_member_with_default (object, "type", NULL),
                              GT_SEAT_TYPE_STANDARD);
      /* A state this version does not know is not for sale. */
      seat.state = parse_nick (GT_TYPE_SEAT_STATE,
                               json_object_get_string_member_with_default (object, "state", NULL),
                               GT_SEAT_STATE_BLOCKED);
      if (seat.state == GT_SEAT_STATE_MINE)
        seat.state = GT_SEAT_STATE_HELD;
      if (json_object_has_member (object, "hold_id")
          && !json_object_get_null_member (object, "hold_id"))
        seat.state = GT_SEAT_STATE_MINE;

      if (!g_hash_table_lookup_extended (row_index, row_label, NULL, &row_value))
        {
          Row row = { g_strdup (row_label), 0, 0 };

          row_value = GUINT_TO_POINTER (self->rows->len);
          g_array_append_val (self->rows, row);
          g_hash_table_insert (row_index, row_get (self, self->rows->len - 1)->label, row_value);
          g_ptr_array_add (by_row, g_array_new (FALSE, TRUE, sizeof (Seat)));
        }

      seat.row = GPOINTER_TO_UINT (row_value);
      seat.id = (char *) id;
      row_seats = g_ptr_array_index (by_row, seat.row);
      g_array_append_val (row_seats, seat);
    }

  for (guint r = 0; r < by_row->len; r++)
    {
      GArray *row_seats = g_ptr_array_index (by_row, r);
      Row    *row = row_get (self, r);

      g_array_sort (row_seats, compare_seat_x);
      row->first = self->seats->len;

      for (guint i = 0; i < row_seats->len; i++)
        {
          Seat  seat = g_array_index (row_seats, Seat, i);
          Seat *prev = self->seats->len > row->first ? seat_get (self, self->seats->len - 1) : NULL;

          /* Two seats on one place, or one id twice: the first one wins. */
          if ((prev != NULL && prev->x == seat.x) || seat_lookup (self, seat.id) >= 0)
            {
              g_debug ("Ignoring seat %s: its place or id is taken", seat.id);
              continue;
            }

          /* Couple seats side by side pair up from the left. */
          if (seat.type == GT_SEAT_TYPE_COUPLE && prev != NULL && prev->type == GT_SEAT_TYPE_COUPLE
              && prev->join == GT_SEAT_JOIN_NONE && prev->x + 1 == seat.x)
            {
              prev->join = GT_SEAT_JOIN_RIGHT;
              seat.join = GT_SEAT_JOIN_LEFT;
            }

          seat.id = g_strdup (seat.id);
          g_array_append_val (self->seats, seat);
          g_hash_table_insert (self->index, seat.id, GINT_TO_POINTER (self->seats->len));
          self->min_x = MIN (self->min_x, seat.x);
          self->max_x = MAX (self->max_x, seat.x);
        }

      row->n_seats = self->seats->len - row->first;
    }

  /* A row whose seats were all dropped still keeps its place in the map. */
  self->focus = seat_lookup (self, focus_id);
  /* Seats that arrive while the map has the focus: Space works at once. */
  if (self->focus < 0 && gtk_widget_has_focus (GTK_WIDGET (self)))
    self->focus = default_focus (self);
  clear_variants (self);
  invalidate_layout (self);
  update_accessible_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));

  if (g_strcmp0 (focus_id, gt_seat_map_get_focus_seat (self)) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOCUS_SEAT]);
}

guint
gt_seat_map_get_n_seats (GtSeatMap *self)
{
  g_return_val_if_fail (GT_IS_SEAT_MAP (self), 0);

  return self->seats->len;
}

gboolean
gt_seat_map_has_seat (GtSeatMap *self, const char *seat_id)
{
  g_return_val_if_fail (GT_IS_SEAT_MAP (self), FALSE);

  return seat_lookup (self, seat_id) >= 0;
}

void
gt_seat_map_set_seat_state (GtSeatMap *self, const char *seat_id, GtSeatState state)
{
  int   index;
  Seat *seat;

  g_return_if_fail (GT_IS_SEAT_MAP (self));
  g_return_if_fail (seat_id != NULL);
  g_return_if_fail (state <= GT_SEAT_STATE_BLOCKED);

  /* A change pushed for a seat this map does not show is not an error. */
  if ((index = seat_lookup (self, seat_id)) < 0)
    return;

  seat = seat_get (self, index);
  if (seat->state == state)
    return;

  seat->state = state;
  if (index == self->focus)
    update_accessible_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

GtSeatState
gt_seat_map_get_seat_state (GtSeatMap *self, const char *seat_id)
{
  int index;

  g_return_val_if_fail (GT_IS_SEAT_MAP (self), GT_SEAT_STATE_BLOCKED);

  index = seat_lookup (self, seat_id);
  g_return_val_if_fail (index >= 0, GT_SEAT_STATE_BLOCKED);

  return seat_get (self, index)->state;
}

GtSeatType
gt_seat_map_get_seat_type (GtSeatMap *self, const char *seat_id)
{
  int index;

  g_return_val_if_fail (GT_IS_SEAT_MAP (self), GT_SEAT_TYPE_STANDARD);

  index = seat_lookup (self, seat_id);
  g_return_val_if_fail (index >= 0, GT_SEAT_TYPE_STANDARD);

  return seat_get (self, index)->type;
}

/**
 * gt_seat_map_dup_seats_in_state:
 *
 * Returns: (transfer full): the ids of the seats in @state, in map order
 */
char **
gt_seat_map_dup_seats_in_state (GtSeatMap *self, GtSeatState state)
{
  g_autoptr (GStrvBuilder) builder = NULL;

  g_return_val_if_fail (GT_IS_SEAT_MAP (self), NULL);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < self->seats->len; i++)
    if (seat_get (self, i)->state == state)
      g_strv_builder_add (builder, seat_get (self, i)->id);

  return g_strv_builder_end (builder);
}

const char *
gt_seat_map_get_focus_seat (GtSeatMap *self)
{
  g_return_val_if_fail (GT_IS_SEAT_MAP (self), NULL);

  return self->focus >= 0 ? seat_get (self, self->focus)->id : NULL;
}

void
gt_seat_map_set_focus_seat (GtSeatMap *self, const char *seat_id)
{
  g_return_if_fail (GT_IS_SEAT_MAP (self));

  set_focus_index (self, seat_lookup (self, seat_id), FALSE);
}

/**
 * gt_seat_map_seat_at:
 * @x: x in widget coordinates
 * @y: y in widget coordinates
 *
 * The whole cell of a seat counts, so a click in the thin gap beside a
 * seat still finds it; aisles, labels and the screen find nothing.
 *
 * Returns: (nullable): the id of the seat at @x, @y
 */
const char *
gt_seat_map_seat_at (GtSeatMap *self, double x, double y)
{
  int index;

  g_return_val_if_fail (GT_IS_SEAT_MAP (self), NULL);

  index = seat_at (self, x, y);
  return index >= 0 ? seat_get (self, index)->id : NULL;
}

gboolean
gt_seat_map_get_seat_bounds (GtSeatMap *self, const char *seat_id, graphene_rect_t *bounds)
{
  int index;

  g_return_val_if_fail (GT_IS_SEAT_MAP (self), FALSE);
  g_return_val_if_fail (bounds != NULL, FALSE);

  index = seat_lookup (self, seat_id);
  if (index < 0)
    return FALSE;

  ensure_layout (self);
  *bounds = seat_get (self, index)->bounds;
  return TRUE;
}
