/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-settings"

#include "config.h"

#include "gt-server-fixture.h"

/* The cinema's settings: a manager sets default prices per time of day and
 * week once, and a showtime added without prices gets the right ones. */

static GtTestServer *server;

/* The next @weekday (1 Monday … 7 Sunday) at least two days ahead, at
 * @hour:00 in the cinema's time zone, as RFC 3339 UTC. */
static char *
next_day_at (int weekday, int hour)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Jakarta");
  g_autoptr (GDateTime) now = g_date_time_new_now (tz);
  g_autoptr (GDateTime) day = g_date_time_add_days (now, 2);
  g_autoptr (GDateTime) at = NULL;
  g_autoptr (GDateTime) utc = NULL;

  while (g_date_time_get_day_of_week (day) != weekday)
    {
      GDateTime *next = g_date_time_add_days (day, 1);

      g_date_time_unref (day);
      day = next;
    }
  at = g_date_time_new (tz, g_date_time_get_year (day), g_date_time_get_month (day),
                        g_date_time_get_day_of_month (day), hour, 0, 0);
  utc = g_date_time_to_utc (at);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static gint64
adult_price_of_new_showtime (const char *manager, gint64 movie, gint64 auditorium, const char *at)
{
  g_autofree char *body = g_strdup_printf ("{\"movie_id\":%" G_GINT64_FORMAT
                                           ",\"auditorium_id\":%" G_GINT64_FORMAT
                                           ",\"starts_at\":\"%s\"}",
                                           movie, auditorium, at);
  g_autoptr (JsonNode) showtime = gt_api (server, "POST", "/showtimes", manager, body, 201);

  return json_object_get_int_member (json_object_get_object_member (json_node_get_object (showtime),
                                                                    "prices"),
                                     "adult");
}

static void
test_price_defaults (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           movie = gt_create_movie (server, manager, 90);
  gint64           auditorium = gt_create_auditorium (server, manager, 2, 4, 0);
  g_autofree char *wednesday_morning = next_day_at (3, 10);
  g_autofree char *wednesday_evening = next_day_at (3, 19);
  g_autofree char *saturday_morning = next_day_at (6, 10);
  g_autofree char *without = g_strdup_printf ("{\"movie_id\":%" G_GINT64_FORMAT
                                              ",\"auditorium_id\":%" G_GINT64_FORMAT
                                              ",\"starts_at\":\"%s\"}",
                                              movie, auditorium, wednesday_morning);
  const char      *defaults =
    "{\"price_defaults\":{"
    "\"matinee\":{\"until\":\"17:00\",\"prices\":{\"adult\":40000,\"child\":30000}},"
    "\"evening\":{\"prices\":{\"adult\":50000,\"child\":35000}},"
    "\"weekend\":{\"prices\":{\"adult\":60000,\"child\":45000}}}}";
  g_autoptr (JsonNode) refused = NULL;
  g_autoptr (JsonNode) config = NULL;
  g_autoptr (JsonNode) public_config = NULL;

  /* No defaults yet: prices are needed. */
  refused = gt_api_error (server, "POST", "/showtimes", manager, without, 422, "invalid_field");
  g_clear_pointer (&refused, json_node_unref);

  /* Bad defaults, and a cashier, are refused. */
  refused = gt_api_error (server, "PATCH", "/settings", cashier, defaults, 403, "forbidden");
  g_clear_pointer (&refused, json_node_unref);
  refused = gt_api_error (server, "PATCH", "/settings", manager,
                          "{\"price_defaults\":{\"night\":{\"prices\":{\"adult\":1}}}}", 422,
                          "invalid_field");
  g_clear_pointer (&refused, json_node_unref);
  refused = gt_api_error (server, "PATCH", "/settings", manager,
                          "{\"price_defaults\":{\"evening\":{}}}", 422, "invalid_field");
  g_clear_pointer (&refused, json_node_unref);
  refused = gt_api_error (server, "PATCH", "/settings", manager,
                          "{\"price_defaults\":{\"matinee\":{\"until\":\"25:00\",\"prices\":"
                          "{\"adult\":1}}}}",
                          422, "invalid_field");
  g_clear_pointer (&refused, json_node_unref);
  /* a member of a member is named by its path */
  refused = gt_api_error (server, "PATCH", "/settings", manager,
                          "{\"price_defaults\":{\"matinee\":{\"until\":1230,\"prices\":"
                          "{\"adult\":1}}}}",
                          422, "invalid_field");
  g_assert_cmpstr (json_object_get_string_member (gt_error_details (refused), "field"), ==,
                   "price_defaults.matinee.until");

  config = gt_api (server, "PATCH", "/settings", manager, defaults, 200);
  public_config = gt_api (server, "GET", "/config", NULL, NULL, 200);
  g_assert_nonnull (
    json_object_get_object_member (json_node_get_object (public_config), "price_defaults"));

  g_assert_cmpint (adult_price_of_new_showtime (manager, movie, auditorium, wednesday_morning), ==,
                   40000);
  g_assert_cmpint (adult_price_of_new_showtime (manager, movie, auditorium, wednesday_evening), ==,
                   50000);
  g_assert_cmpint (adult_price_of_new_showtime (manager, movie, auditorium, saturday_morning), ==,
                   60000);
}

int
main (int argc, char *argv[])
{
  gt_fixture_init (&argc, &argv);
  server = gt_fixture_server ("main", (const char *[]){ "--demo", NULL });

  gt_fixture_add ("/settings/price-defaults", test_price_defaults);

  return gt_fixture_run ();
}
