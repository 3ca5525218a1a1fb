/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-seat-legend"

#include "config.h"

#include <glib/gi18n.h>

#include "gt-seat-legend.h"
#include "gt-seat-map-private.h"

#define SWATCH_SIZE 20

/* One seat drawn exactly as the map draws it. */
G_DECLARE_FINAL_TYPE (GtSeatSwatch, gt_seat_swatch, GT, SEAT_SWATCH, GtkWidget)

struct _GtSeatSwatch
{
  GtkWidget parent_instance;

  GtSeatType  type;
  GtSeatState state;
};

G_DEFINE_FINAL_TYPE (GtSeatSwatch, gt_seat_swatch, GTK_TYPE_WIDGET)

struct _GtSeatLegend
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (GtSeatLegend, gt_seat_legend, GTK_TYPE_WIDGET)

static void
gt_seat_swatch_measure (GtkWidget     *widget,
                        GtkOrientation orientation,
                        int            for_size,
                        int           *minimum,
                        int           *natural,
                        int           *minimum_baseline,
                        int           *natural_baseline)
{
  GtSeatSwatch *self = GT_SEAT_SWATCH (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL && self->type == GT_SEAT_TYPE_COUPLE)
    *minimum = *natural = 2 * SWATCH_SIZE + 2;
  else
    *minimum = *natural = SWATCH_SIZE;
}

static void
gt_seat_swatch_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  GtSeatSwatch *self = GT_SEAT_SWATCH (widget);
  GtSeatPalette palette;
  float         y = (gtk_widget_get_height (widget) - SWATCH_SIZE) / 2.f;

  _gt_seat_palette_init (&palette, widget);

  if (self->type == GT_SEAT_TYPE_COUPLE)
    {
      /* A couple seat is a pair: draw both halves, joined in the middle. */
      _gt_seat_map_draw_seat (snapshot, &GRAPHENE_RECT_INIT (0, y, SWATCH_SIZE + 1, SWATCH_SIZE),
                              self->type, self->state, GT_SEAT_JOIN_RIGHT, &palette);
      _gt_seat_map_draw_seat (snapshot,
                              &GRAPHENE_RECT_INIT (SWATCH_SIZE + 1, y, SWATCH_SIZE + 1,
                                                   SWATCH_SIZE),
                              self->type, self->state, GT_SEAT_JOIN_LEFT, &palette);
    }
  else
    {
      _gt_seat_map_draw_seat (snapshot, &GRAPHENE_RECT_INIT (0, y, SWATCH_SIZE, SWATCH_SIZE),
                              self->type, self->state, GT_SEAT_JOIN_NONE, &palette);
    }
}

static void
gt_seat_swatch_css_changed (GtkWidget *widget, GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (gt_seat_swatch_parent_class)->css_changed (widget, change);
  gtk_widget_queue_draw (widget);
}

static void
gt_seat_swatch_class_init (GtSeatSwatchClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->measure = gt_seat_swatch_measure;
  widget_class->snapshot = gt_seat_swatch_snapshot;
  widget_class->css_changed = gt_seat_swatch_css_changed;

  gtk_widget_class_set_css_name (widget_class, "seatswatch");
}

static void
gt_seat_swatch_init (GtSeatSwatch *self)
{
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
}

static GtkWidget *
legend_item_new (GtSeatType type, GtSeatState state, const char *text)
{
  GtkWidget    *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtSeatSwatch *swatch = g_object_new (gt_seat_swatch_get_type (), NULL);
  GtkWidget    *label = gtk_label_new (text);

  swatch->type = type;
  swatch->state = state;
  gtk_accessible_update_property (GTK_ACCESSIBLE (swatch), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (swatch));
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

static void
gt_seat_legend_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (gt_seat_legend_parent_class)->dispose (object);
}

static void
gt_seat_legend_class_init (GtSeatLegendClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gt_seat_legend_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "seatlegend");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static GtkWidget *
legend_group_new (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);

  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  return box;
}

static void
gt_seat_legend_init (GtSeatLegend *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkWidget        *states = legend_group_new ();
  GtkWidget        *types = legend_group_new ();

  /* States on one line, types under them: narrow enough for any window. */
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 8);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Seat legend"), -1);

  for (GtSeatState state = GT_SEAT_STATE_FREE; state <= GT_SEAT_STATE_BLOCKED; state++)
    gtk_box_append (GTK_BOX (states),
                    legend_item_new (GT_SEAT_TYPE_STANDARD, state, gt_seat_state_to_label (state)));

  for (GtSeatType type = GT_SEAT_TYPE_STANDARD; type <= GT_SEAT_TYPE_COUPLE; type++)
    gtk_box_append (GTK_BOX (types),
                    legend_item_new (type, GT_SEAT_STATE_FREE, gt_seat_type_to_label (type)));

  gtk_widget_set_parent (states, GTK_WIDGET (self));
  gtk_widget_set_parent (types, GTK_WIDGET (self));
}

GtkWidget *
gt_seat_legend_new (void)
{
  return g_object_new (GT_TYPE_SEAT_LEGEND, NULL);
}
