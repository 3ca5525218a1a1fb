/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "gt-movie-item.h"

G_BEGIN_DECLS

#define GT_TYPE_MOVIE_ROW (gt_movie_row_get_type ())

G_DECLARE_FINAL_TYPE (GtMovieRow, gt_movie_row, GT, MOVIE_ROW, GtkWidget)

GtkWidget *gt_movie_row_new (void);
/* Shows @item; showtimes starting before @now (µs) are shown but not sold. */
void gt_movie_row_set_item (GtMovieRow *self, GtMovieItem *item, const char *timezone, gint64 now);

G_END_DECLS
