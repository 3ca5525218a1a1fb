/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "gt-engine.h"

G_BEGIN_DECLS

/* The largest poster the server keeps. */
#define GT_POSTER_MAX_BYTES (2 * 1024 * 1024)

/* PUT /movies/{id}/poster: @data must be a PNG or JPEG (by its magic bytes)
 * of at most GT_POSTER_MAX_BYTES, else invalid_field "poster". Answers the
 * movie, whose "poster" URL now names the new version. */
JsonObject *gt_engine_set_poster (GtEngine    *self,
                                  GtPrincipal *principal,
                                  gint64       movie_id,
                                  GBytes      *data,
                                  GError     **error);
/* GET /movies/{id}/poster: the image and its media type; not_found when the
 * movie has none. */
GBytes *gt_engine_get_poster (GtEngine *self, gint64 movie_id, char **content_type, GError **error);
/* DELETE /movies/{id}/poster: not_found when the movie has none. */
gboolean gt_engine_delete_poster (GtEngine    *self,
                                  GtPrincipal *principal,
                                  gint64       movie_id,
                                  GError     **error);
/* The media type of an image by its first bytes ("image/png",
 * "image/jpeg"), or NULL when it is neither. */
const char *gt_poster_sniff (const guint8 *data, gsize len);

G_END_DECLS
