/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define GT_TYPE_SEAT_LEGEND (gt_seat_legend_get_type ())

G_DECLARE_FINAL_TYPE (GtSeatLegend, gt_seat_legend, GT, SEAT_LEGEND, GtkWidget)

GtkWidget *gt_seat_legend_new (void);

G_END_DECLS
