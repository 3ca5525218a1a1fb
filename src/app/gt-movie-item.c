/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-movie-item"

#include "config.h"

#include "gt-json.h"
#include "gt-movie-item.h"

struct _GtMovieItem
{
  GObject parent_instance;

  JsonObject *movie;
  JsonArray  *showtimes;
  char       *haystack; /* folded title and genres, for search */
};

G_DEFINE_FINAL_TYPE (GtMovieItem, gt_movie_item, G_TYPE_OBJECT)

static void
gt_movie_item_finalize (GObject *object)
{
  GtMovieItem *self = (GtMovieItem *) object;

  g_clear_pointer (&self->movie, json_object_unref);
  g_clear_pointer (&self->showtimes, json_array_unref);
  g_clear_pointer (&self->haystack, g_free);

  G_OBJECT_CLASS (gt_movie_item_parent_class)->finalize (object);
}

static void
gt_movie_item_class_init (GtMovieItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gt_movie_item_finalize;
}

static void
gt_movie_item_init (GtMovieItem *self)
{
  self->showtimes = json_array_new ();
}

GtMovieItem *
gt_movie_item_new (JsonObject *movie)
{
  GtMovieItem *self;
  g_autoptr (GString) text = g_string_new (NULL);
  JsonArray *genres;

  g_return_val_if_fail (movie != NULL, NULL);

  self = g_object_new (GT_TYPE_MOVIE_ITEM, NULL);
  self->movie = json_object_ref (movie);
  g_string_append (text, json_object_get_string_member_with_default (movie, "title", ""));
  genres = json_object_get_array_member (movie, "genres");
  for (guint i = 0; genres != NULL && i < json_array_get_length (genres); i++)
    g_string_append_printf (text, " %s", json_array_get_string_element (genres, i));
  self->haystack = g_utf8_casefold (text->str, -1);
  return self;
}

JsonObject *
gt_movie_item_get_movie (GtMovieItem *self)
{
  g_return_val_if_fail (GT_IS_MOVIE_ITEM (self), NULL);
  return self->movie;
}

JsonArray *
gt_movie_item_get_showtimes (GtMovieItem *self)
{
  g_return_val_if_fail (GT_IS_MOVIE_ITEM (self), NULL);
  return self->showtimes;
}

void
gt_movie_item_add_showtime (GtMovieItem *self, JsonObject *showtime)
{
  g_return_if_fail (GT_IS_MOVIE_ITEM (self));
  json_array_add_object_element (self->showtimes, json_object_ref (showtime));
}

/* The start of the movie's first showtime after @now (µs), or G_MAXINT64
 * when every one has started. */
gint64
gt_movie_item_get_next_start (GtMovieItem *self, gint64 now)
{
  gint64 next = G_MAXINT64;

  g_return_val_if_fail (GT_IS_MOVIE_ITEM (self), G_MAXINT64);

  for (guint i = 0; i < json_array_get_length (self->showtimes); i++)
    {
      JsonObject *showtime = json_array_get_object_element (self->showtimes, i);
      gint64      starts = 0;

      if (gt_time_parse (gt_json_string_member (showtime, "starts_at"), &starts) && starts > now)
        next = MIN (next, starts);
    }
  return next;
}

static int
compare_next_start (gconstpointer a, gconstpointer b, gpointer user_data)
{
  gint64 now = *(gint64 *) user_data;
  gint64 next_a = gt_movie_item_get_next_start (*(GtMovieItem **) a, now);
  gint64 next_b = gt_movie_item_get_next_start (*(GtMovieItem **) b, now);

  return next_a < next_b ? -1 : next_a > next_b;
}

/* What can still be sold comes first, the soonest on top; movies whose
 * showtimes have all started go last. Stable: otherwise the order given. */
void
gt_movie_item_sort_by_next_start (GPtrArray *items, gint64 now)
{
  g_return_if_fail (items != NULL);
  g_ptr_array_sort_with_data (items, compare_next_start, &now);
}

gboolean
gt_movie_item_matches (GtMovieItem *self, const char *search)
{
  g_autofree char *needle = NULL;

  g_return_val_if_fail (GT_IS_MOVIE_ITEM (self), FALSE);

  if (search == NULL || search[0] == '\0')
    return TRUE;
  needle = g_utf8_casefold (search, -1);
  return strstr (self->haystack, needle) != NULL;
}
