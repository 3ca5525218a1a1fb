/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define GT_TYPE_MOVIE_ITEM (gt_movie_item_get_type ())

G_DECLARE_FINAL_TYPE (GtMovieItem, gt_movie_item, GT, MOVIE_ITEM, GObject)

/* One movie of the day with its showtimes, for the schedule list. */
GtMovieItem *gt_movie_item_new (JsonObject *movie);
JsonObject  *gt_movie_item_get_movie (GtMovieItem *self);
JsonArray   *gt_movie_item_get_showtimes (GtMovieItem *self);
void         gt_movie_item_add_showtime (GtMovieItem *self, JsonObject *showtime);
gint64       gt_movie_item_get_next_start (GtMovieItem *self, gint64 now);
gboolean     gt_movie_item_matches (GtMovieItem *self, const char *search);
void         gt_movie_item_sort_by_next_start (GPtrArray *items, gint64 now);

G_END_DECLS
