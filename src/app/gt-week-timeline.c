/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-week-timeline"

#include "config.h"

#include <glib/gi18n.h>

#include "gt-format.h"
#include "gt-json.h"
#include "gt-week-timeline.h"

#define N_DAYS      7
#define LABEL_WIDTH 96.0
#define ROW_HEIGHT  30.0
#define FIRST_HOUR  8
#define LAST_HOUR   26 /* 02:00 the next morning */

typedef struct
{
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
};

G_DEFINE_FINAL_TYPE (GtWeekTimeline, gt_week_timeline, GTK_TYPE_WIDGET)

enum
{
  DAY_ACTIVATED,
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

static void
on_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, GtWeekTimeline *self)
{
  int day = (int) ((y - 18) / ROW_HEIGHT);

  if (y >= 18 && day >= 0 && day < N_DAYS)
    g_signal_emit (self, signals[DAY_ACTIVATED], 0, (guint) day);
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
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
gt_week_timeline_init (GtWeekTimeline *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self),
                               _ ("The week in this auditorium: click a day to plan it"));
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

  tz = g_time_zone_new_identifier (timezone ? timezone : "UTC");
  if (tz == NULL)
    tz = g_time_zone_new_utc ();
  self->selected = selected;

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
          Block       block = { 0 };

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
