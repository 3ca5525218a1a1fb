/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-schedule"

#include "config.h"

#include "gt-app-fixture.h"
#include "gt-json.h"
#include "gt-movie-item.h"

/* A movie with showtimes starting @minutes after 12:00 (UTC) of a day. */
static GtMovieItem *
movie_at (const char *title, const int *minutes, guint n)
{
  g_autoptr (JsonObject) movie = json_object_new ();
  GtMovieItem *item;

  json_object_set_string_member (movie, "title", title);
  json_object_set_array_member (movie, "genres", json_array_new ());
  item = gt_movie_item_new (movie);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (JsonObject) showtime = json_object_new ();

      gt_json_set_time (showtime, "starts_at",
                        (G_GINT64_CONSTANT (1795608000) + minutes[i] * 60) * G_USEC_PER_SEC);
      gt_movie_item_add_showtime (item, showtime);
    }
  return item;
}

static const char *
title_at (GPtrArray *items, guint i)
{
  return json_object_get_string_member (gt_movie_item_get_movie (g_ptr_array_index (items, i)),
                                        "title");
}

/* At 16:00, the schedule leads with what a cashier can sell next: the
 * 16:45 show before a movie whose day began earlier but sells next at
 * 17:45, and a movie whose showtimes have all started goes last, whatever
 * the order of the day. */
static void
test_order_by_next_start (void)
{
  static const int early_then_late[] = { 150, 345 }; /* 14:30, 17:45 */
  static const int all_started[] = { 225 };          /* 15:45 */
  static const int soon[] = { 285 };                 /* 16:45 */
  static const int also_late[] = { 345, 400 };       /* 17:45, 18:40 */
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 four_pm = (G_GINT64_CONSTANT (1795608000) + 240 * 60) * G_USEC_PER_SEC;

  g_ptr_array_add (items, movie_at ("Early then late", early_then_late, 2));
  g_ptr_array_add (items, movie_at ("All started", all_started, 1));
  g_ptr_array_add (items, movie_at ("Soon", soon, 1));
  g_ptr_array_add (items, movie_at ("Also at 17:45", also_late, 2));

  gt_movie_item_sort_by_next_start (items, four_pm);
  g_assert_cmpstr (title_at (items, 0), ==, "Soon");
  g_assert_cmpstr (title_at (items, 1), ==, "Early then late");
  g_assert_cmpstr (title_at (items, 2), ==, "Also at 17:45");
  g_assert_cmpstr (title_at (items, 3), ==, "All started");

  /* Before anything starts, the order is that of the first showtimes. */
  gt_movie_item_sort_by_next_start (items, 0);
  g_assert_cmpstr (title_at (items, 0), ==, "Early then late");
  g_assert_cmpstr (title_at (items, 1), ==, "All started");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/schedule/order-by-next-start", test_order_by_next_start);
  return g_test_run ();
}
