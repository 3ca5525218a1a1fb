/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "gt-movie-item.h"
#include "gt-replica.h"

G_BEGIN_DECLS

#define GT_TYPE_MOVIE_ROW (gt_movie_row_get_type ())

G_DECLARE_FINAL_TYPE (GtMovieRow, gt_movie_row, GT, MOVIE_ROW, GtkWidget)

GtkWidget *gt_movie_row_new (void);
/* Shows @item; showtimes starting before @now (µs) are shown but not sold. */
void gt_movie_row_set_item (GtMovieRow *self, GtMovieItem *item, const char *timezone, gint64 now);
/* Where posters come from (set before set_item). */
void gt_movie_row_set_replica (GtMovieRow *self, GtReplica *replica);
/* The poster shown, or NULL while the placeholder is. */
GtkPicture *gt_movie_row_get_poster (GtMovieRow *self);
/* The id of the movie shown, 0 when none. */
gint64 gt_movie_row_get_movie_id (GtMovieRow *self);

G_END_DECLS
