/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-week-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "gt-format.h"
#include "gt-json.h"
#include "gt-week-timeline.h"

#define N_DAYS      7
#define LABEL_WIDTH 96.0
#define ROW_HEIGHT  30.0
#define FIRST_HOUR  8
#define LAST_HOUR   26 /* 02:00 the next morning */
#define SNAP_HOURS  (5 / 60.0)
#define DRAG_SLOP   4.0

typedef struct
{
  gint64 id;
  double from; /* hours since midnight of the row's day */
  double to;
  double clean_to;
  char  *title;
} Block;

struct _GtWeekTimeline
{
  GtkWidget parent_instance;

  GArray *rows[N_DAYS]; /* of Block */
  char   *labels[N_DAYS];
  guint   selected;
  double  cleaning; /* hours */

  /* The block under the pointer when a drag began, and where it would go. */
  int      drag_day; /* -1: none */
  guint    drag_index;
  double   drag_x;
  double   drag_y;
  gboolean dragging;
  guint    target_day;
  double   target_from;
};

G_DEFINE_FINAL_TYPE (GtWeekTimeline, gt_week_timeline, GTK_TYPE_WIDGET)

enum
{
  DAY_ACTIVATED,
  SHOWTIME_MOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
block_clear (gpointer data)
{
  g_free (((Block *) data)->title);
}

static double
x_of (GtWeekTimeline *self, double hours)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self)) - LABEL_WIDTH - 8;

  hours = CLAMP (hours, FIRST_HOUR, LAST_HOUR);
  return LABEL_WIDTH + width * (hours - FIRST_HOUR) / (LAST_HOUR - FIRST_HOUR);
}

static double
hour_width (GtWeekTimeline *self)
{
  return (gtk_widget_get_width (GTK_WIDGET (self)) - LABEL_WIDTH - 8) / (LAST_HOUR - FIRST_HOUR);
}

static int
day_at (double y)
{
  return y < 18 ? -1 : (int) ((y - 18) / ROW_HEIGHT);
}

static Block *
dragged_block (GtWeekTimeline *self)
{
  return self->drag_day >= 0 ? &g_array_index (self->rows[self->drag_day], Block, self->drag_index)
                             : NULL;
}

/* Whether [from, to) on @day runs into another showtime or its cleaning. */
static gboolean
collides (GtWeekTimeline *self, guint day, double from, double to, gint64 except_id)
{
  for (guint i = 0; self->rows[day] && i < self->rows[day]->len; i++)
    {
      Block *other = &g_array_index (self->rows[day], Block, i);

      if (other->id != except_id && from < other->clean_to && other->from < to + self->cleaning)
        return TRUE;
    }
  return FALSE;
}

static void
draw_target (GtWeekTimeline *self, cairo_t *cr, PangoLayout *layout)
{
  Block           *block = dragged_block (self);
  double           to = self->target_from + (block->to - block->from);
  double           x1 = x_of (self, self->target_from);
  double           x2 = x_of (self, to);
  double           y = 18 + self->target_day * ROW_HEIGHT;
  int              minutes = (int) (self->target_from * 60 + 0.5);
  g_autofree char *clock = g_strdup_printf ("%02d:%02d", minutes / 60, minutes % 60);

  /* Opaque, so the start time reads over what it would run into. */
  if (collides (self, self->target_day, self->target_from, to, block->id))
    cairo_set_source_rgb (cr, 0.75, 0.11, 0.16);
  else
    cairo_set_source_rgb (cr, 0.15, 0.55, 0.35);
  cairo_rectangle (cr, x1, y + 2, MAX (x2 - x1, 40), ROW_HEIGHT - 4);
  cairo_fill (cr);

  cairo_set_source_rgb (cr, 1, 1, 1);
  pango_layout_set_width (layout, -1);
  pango_layout_set_text (layout, clock, -1);
  cairo_move_to (cr, x1 + 4, y + 6);
  pango_cairo_show_layout (cr, layout);
}

static void
draw (GtWeekTimeline *self, cairo_t *cr)
{
  GtkWidget    *widget = GTK_WIDGET (self);
  GdkRGBA       fg;
  PangoLayout  *layout = gtk_widget_create_pango_layout (widget, NULL);
  int           width = gtk_widget_get_width (widget);
  const GdkRGBA accent = { 0.21, 0.52, 0.89, 1.0 };

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);

  /* Hours along the top. */
  for (int hour = FIRST_HOUR; hour <= LAST_HOUR; hour += 2)
    {
      g_autofree char *text = g_strdup_printf ("%02d", hour % 24);
      double           x = x_of (self, hour);

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.12);
      cairo_rectangle (cr, x, 18, 1, N_DAYS * ROW_HEIGHT);
      cairo_fill (cr);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.6);
      pango_layout_set_width (layout, -1);
      pango_layout_set_text (layout, text, -1);
      cairo_move_to (cr, x - 6, 0);
      pango_cairo_show_layout (cr, layout);
    }

  for (guint d = 0; d < N_DAYS; d++)
    {
      double y = 18 + d * ROW_HEIGHT;

      if (d == self->selected)
        {
          cairo_set_source_rgba (cr, accent.red, accent.green, accent.blue, 0.12);
          cairo_rectangle (cr, 0, y, width, ROW_HEIGHT);
          cairo_fill (cr);
        }
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.85);
      pango_layout_set_width (layout, (LABEL_WIDTH - 8) * PANGO_SCALE);
      pango_layout_set_text (layout, self->labels[d] ? self->labels[d] : "", -1);
      cairo_move_to (cr, 4, y + 6);
      pango_cairo_show_layout (cr, layout);

      for (guint i = 0; self->rows[d] && i < self->rows[d]->len; i++)
        {
          Block *block = &g_array_index (self->rows[d], Block, i);
          double x1 = x_of (self, block->from);
          double x2 = x_of (self, block->to);
          double x3 = x_of (self, block->clean_to);

          /* The cleaning time: lighter, so what it blocks is plain. */
          cairo_set_source_rgba (cr, accent.red, accent.green, accent.blue, 0.25);
          cairo_rectangle (cr, x2, y + 4, x3 - x2, ROW_HEIGHT - 8);
          cairo_fill (cr);
          cairo_set_source_rgba (cr, accent.red, accent.green, accent.blue, 0.9);
          cairo_rectangle (cr, x1, y + 4, MAX (x2 - x1, 2), ROW_HEIGHT - 8);
          cairo_fill (cr);

          cairo_set_source_rgb (cr, 1, 1, 1);
          pango_layout_set_width (layout, MAX (x2 - x1 - 6, 1) * PANGO_SCALE);
          pango_layout_set_text (layout, block->title, -1);
          cairo_move_to (cr, x1 + 3, y + 6);
          pango_cairo_show_layout (cr, layout);
        }
    }
  if (self->dragging)
    draw_target (self, cr, layout);
  g_object_unref (layout);
}

static void
gt_week_timeline_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  GtWeekTimeline *self = GT_WEEK_TIMELINE (widget);
  cairo_t        *cr = gtk_snapshot_append_cairo (snapshot,
                                                  &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                                       gtk_widget_get_height (widget)));

  draw (self, cr);
  cairo_destroy (cr);
}

static void
gt_week_timeline_measure (GtkWidget     *widget,
                          GtkOrientation orientation,
                          int            for_size,
                          int           *minimum,
                          int           *natural,
                          int           *minimum_baseline,
                          int           *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = 480;
  else
    *minimum = *natural = 18 + N_DAYS * ROW_HEIGHT + 4;
}

static Block *
block_at (GtWeekTimeline *self, double x, double y, int *day, guint *index)
{
  *day = day_at (y);
  if (*day < 0 || *day >= N_DAYS || self->rows[*day] == NULL)
    return NULL;
  for (guint i = 0; i < self->rows[*day]->len; i++)
    {
      Block *block = &g_array_index (self->rows[*day], Block, i);
      double x1 = x_of (self, block->from);

      if (x >= x1 && x <= MAX (x_of (self, block->to), x1 + 4))
        {
          *index = i;
          return block;
        }
    }
  return NULL;
}

static void
on_drag_begin_cb (GtkGestureDrag *gesture, double x, double y, GtWeekTimeline *self)
{
  int   day;
  guint index = 0;

  self->drag_x = x;
  self->drag_y = y;
  self->dragging = FALSE;
  self->drag_day = block_at (self, x, y, &day, &index) ? day : -1;
  self->drag_index = index;
}

static void
on_drag_update_cb (GtkGestureDrag *gesture, double dx, double dy, GtWeekTimeline *self)
{
  Block *block = dragged_block (self);
  double from;

  if (block == NULL || (!self->dragging && fabs (dx) < DRAG_SLOP && fabs (dy) < DRAG_SLOP))
    return;
  if (!self->dragging)
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
  self->dragging = TRUE;
  /* Snapped to five minutes, on the hours the timeline shows, starting
   * before midnight so the day stays the day it is dropped on. */
  from = round ((block->from + dx / hour_width (self)) / SNAP_HOURS) * SNAP_HOURS;
  self->target_from = CLAMP (from, FIRST_HOUR, 24 - SNAP_HOURS);
  self->target_day = CLAMP (day_at (self->drag_y + dy), 0, N_DAYS - 1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_drag_end_cb (GtkGestureDrag *gesture, double dx, double dy, GtWeekTimeline *self)
{
  Block *block = dragged_block (self);
  int    day = day_at (self->drag_y);

  on_drag_update_cb (gesture, dx, dy, self);
  if (self->dragging)
    {
      int              minutes = (int) (self->target_from * 60 + 0.5);
      g_autofree char *clock = g_strdup_printf ("%02d:%02d", minutes / 60, minutes % 60);

      if (self->target_day != (guint) self->drag_day
          || fabs (self->target_from - block->from) >= SNAP_HOURS / 2)
        g_signal_emit (self, signals[SHOWTIME_MOVED], 0, block->id, self->target_day, clock);
      gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
    }
  else if (day >= 0 && day < N_DAYS)
    g_signal_emit (self, signals[DAY_ACTIVATED], 0, (guint) day);
  self->dragging = FALSE;
  self->drag_day = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_motion_cb (GtkEventControllerMotion *motion, double x, double y, GtWeekTimeline *self)
{
  int   day;
  guint index;

  if (!self->dragging)
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self),
                                     block_at (self, x, y, &day, &index) ? "grab" : NULL);
}

static void
gt_week_timeline_finalize (GObject *object)
{
  GtWeekTimeline *self = (GtWeekTimeline *) object;

  for (guint d = 0; d < N_DAYS; d++)
    {
      g_clear_pointer (&self->rows[d], g_array_unref);
      g_free (self->labels[d]);
    }

  G_OBJECT_CLASS (gt_week_timeline_parent_class)->finalize (object);
}

static void
gt_week_timeline_class_init (GtWeekTimelineClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = gt_week_timeline_finalize;
  widget_class->snapshot = gt_week_timeline_snapshot;
  widget_class->measure = gt_week_timeline_measure;

  signals[DAY_ACTIVATED] = g_signal_new ("day-activated", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                         G_TYPE_UINT);
  signals[SHOWTIME_MOVED] = g_signal_new ("showtime-moved", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                          G_TYPE_INT64, G_TYPE_UINT, G_TYPE_STRING);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gt_week_timeline_init (GtWeekTimeline *self)
{
  GtkGesture         *drag = gtk_gesture_drag_new ();
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->drag_day = -1;
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_set_tooltip_text (
    GTK_WIDGET (self),
    _ ("The week in this auditorium: click a day to plan it, drag a showtime to move it"));
}

GtkWidget *
gt_week_timeline_new (void)
{
  return g_object_new (GT_TYPE_WEEK_TIMELINE, NULL);
}

void
gt_week_timeline_set_week (GtWeekTimeline    *self,
                           JsonArray *const  *days,
                           const char *const *labels,
                           const char        *timezone,
                           guint              cleaning_minutes,
                           guint              selected)
{
  g_autoptr (GTimeZone) tz = NULL;

  g_return_if_fail (GT_IS_WEEK_TIMELINE (self));

  tz = gt_format_zone (timezone);
  self->selected = selected;
  self->cleaning = cleaning_minutes / 60.0;
  /* A drag under way points into the rows replaced here. */
  self->dragging = FALSE;
  self->drag_day = -1;

  for (guint d = 0; d < N_DAYS; d++)
    {
      g_clear_pointer (&self->rows[d], g_array_unref);
      self->rows[d] = g_array_new (FALSE, TRUE, sizeof (Block));
      g_array_set_clear_func (self->rows[d], block_clear);
      g_free (self->labels[d]);
      self->labels[d] = g_strdup (labels ? labels[d] : NULL);

      for (guint i = 0; days && days[d] && i < json_array_get_length (days[d]); i++)
        {
          JsonObject *showtime = json_array_get_object_element (days[d], i);
          gint64      starts = 0;
          gint64      ends = 0;
          Block       block = { .id = json_object_get_int_member (showtime, "id") };

          gt_time_parse (json_object_get_string_member (showtime, "starts_at"), &starts);
          gt_time_parse (json_object_get_string_member (showtime, "ends_at"), &ends);
          {
            g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (starts / G_USEC_PER_SEC);
            g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, tz);

            block.from = g_date_time_get_hour (local) + g_date_time_get_minute (local) / 60.0;
          }
          block.to = block.from + (ends - starts) / (double) G_TIME_SPAN_HOUR;
          block.clean_to = block.to + cleaning_minutes / 60.0;
          block.title = g_strdup (
            json_object_get_string_member_with_default (showtime, "movie_title", ""));
          g_array_append_val (self->rows[d], block);
        }
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
gt_week_timeline_drag (GtWeekTimeline *self, gint64 showtime_id, guint day, double hours)
{
  g_return_if_fail (GT_IS_WEEK_TIMELINE (self));
  g_return_if_fail (day < N_DAYS);

  for (guint d = 0; d < N_DAYS; d++)
    for (guint i = 0; self->rows[d] && i < self->rows[d]->len; i++)
      {
        Block *block = &g_array_index (self->rows[d], Block, i);
        double x = x_of (self, block->from) + 1;
        double y = 18 + (d + 0.5) * ROW_HEIGHT;

        if (block->id != showtime_id)
          continue;
        on_drag_begin_cb (NULL, x, y, self);
        on_drag_end_cb (NULL, (hours - block->from) * hour_width (self),
                        ((double) day - d) * ROW_HEIGHT, self);
        return;
      }
}
