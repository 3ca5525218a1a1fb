/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-catalog"

#include "config.h"

#include "gt-server-fixture.h"

static GtTestServer *server;

static JsonObject *
find_by_id (JsonNode *node, const char *member, gint64 id)
{
  JsonArray *array = json_object_get_array_member (json_node_get_object (node), member);

  g_assert_nonnull (array);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *obj = json_array_get_object_element (array, i);

      if (json_object_get_int_member (obj, "id") == id)
        return obj;
    }
  return NULL;
}

/* The contract gives no status for these deletions: 200 or 204 both do. */
static void
delete_ok (const char *path, const char *token)
{
  g_autoptr (JsonNode) node = NULL;
  guint status = 0;

  node = gt_test_request (gt_fixture_session (), server, "DELETE", path, token, NULL, &status);
  if (status != 200 && status != 204)
    g_error ("DELETE %s: expected 200 or 204, got %u", path, status);
}

static char *
showtime_body (gint64 movie, gint64 auditorium, gint64 starts_at)
{
  g_autofree char *start = gt_time_format (starts_at);

  return g_strdup_printf ("{\"movie_id\":%" G_GINT64_FORMAT ",\"auditorium_id\":%" G_GINT64_FORMAT
                          ",\"starts_at\":\"%s\",\"prices\":{\"adult\":50000}}",
                          movie, auditorium, start);
}

static void
test_movies_crud (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autofree char *path = NULL;
  g_autoptr (JsonNode) created = NULL;
  g_autoptr (JsonNode) list = NULL;
  g_autoptr (JsonNode) patched = NULL;
  g_autoptr (JsonNode) bad = NULL;
  g_autoptr (JsonNode) missing = NULL;
  g_autoptr (JsonNode) after = NULL;
  g_autoptr (JsonNode) gone = NULL;
  JsonObject *movie;
  JsonArray  *genres;
  gint64      id;

  created = gt_api (server, "POST", "/movies", manager,
                    "{\"title\":\"Laskar Pelangi\",\"synopsis\":\"Ten children in Belitung\","
                    "\"duration_minutes\":124,\"rating\":\"SU\",\"genres\":[\"Drama\",\"Family\"]}",
                    201);
  movie = json_node_get_object (created);
  id = json_object_get_int_member (movie, "id");
  g_assert_cmpint (id, >, 0);
  g_assert_cmpstr (json_object_get_string_member (movie, "title"), ==, "Laskar Pelangi");
  g_assert_cmpint (json_object_get_int_member (movie, "duration_minutes"), ==, 124);
  g_assert_true (json_object_get_boolean_member (movie, "active"));
  genres = json_object_get_array_member (movie, "genres");
  g_assert_cmpuint (json_array_get_length (genres), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (genres, 1), ==, "Family");

  /* a cashier sees it */
  list = gt_api (server, "GET", "/movies", cashier, NULL, 200);
  movie = find_by_id (list, "movies", id);
  g_assert_nonnull (movie);
  g_assert_cmpstr (json_object_get_string_member (movie, "rating"), ==, "SU");
  g_assert_cmpstr (json_object_get_string_member (movie, "synopsis"), ==,
                   "Ten children in Belitung");

  path = g_strdup_printf ("/movies/%" G_GINT64_FORMAT, id);
  patched = gt_api (server, "PATCH", path, manager, "{\"title\":\"Laskar Pelangi (2008)\"}", 200);
  movie = json_node_get_object (patched);
  g_assert_cmpstr (json_object_get_string_member (movie, "title"), ==, "Laskar Pelangi (2008)");
  /* untouched fields stay */
  g_assert_cmpint (json_object_get_int_member (movie, "duration_minutes"), ==, 124);

  bad = gt_api_error (server, "PATCH", path, manager, "{\"duration_minutes\":0}", 422,
                      "invalid_field");
  g_assert_cmpstr (json_object_get_string_member (gt_error_details (bad), "field"), ==,
                   "duration_minutes");
  missing = gt_api_error (server, "PATCH", "/movies/999999", manager, "{\"title\":\"X\"}", 404,
                          "not_found");

  delete_ok (path, manager);
  after = gt_api (server, "GET", "/movies", cashier, NULL, 200);
  movie = find_by_id (after, "movies", id);
  g_assert_true (movie == NULL || !json_object_get_boolean_member (movie, "active"));
  gone = gt_api_error (server, "DELETE", "/movies/999999", manager, NULL, 404, "not_found");
}

static void
test_movie_invalid (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autoptr (JsonNode) no_title = NULL;
  g_autoptr (JsonNode) wrong_type = NULL;
  g_autoptr (JsonNode) negative = NULL;

  no_title = gt_api_error (server, "POST", "/movies", manager, "{\"duration_minutes\":90}", 422,
                           "invalid_field");
  g_assert_cmpstr (json_object_get_string_member (gt_error_details (no_title), "field"), ==,
                   "title");
  wrong_type = gt_api_error (server, "POST", "/movies", manager,
                             "{\"title\":\"X\",\"duration_minutes\":\"long\"}", 422,
                             "invalid_field");
  g_assert_cmpstr (json_object_get_string_member (gt_error_details (wrong_type), "field"), ==,
                   "duration_minutes");
  negative = gt_api_error (server, "POST", "/movies", manager,
                           "{\"title\":\"X\",\"duration_minutes\":-5}", 422, "invalid_field");
}

static void
test_cashier_cannot_write (void)
{
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autofree char *manager = gt_login (server, "manager");
  gint64           showtime = gt_create_setup (server, manager, 30);
  g_autofree char *showtime_path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT, showtime);
  struct
  {
    const char *method;
    const char *path;
  } routes[] = {
    { "POST", "/movies" },      { "PATCH", "/movies/1" },      { "DELETE", "/movies/1" },
    { "POST", "/auditoriums" }, { "PATCH", "/auditoriums/1" }, { "POST", "/showtimes" },
    { "PATCH", showtime_path }, { "DELETE", showtime_path },
  };
  /* invalid bodies: the role is checked first */
  const char *bodies[] = { "{\"bogus\":true}", "{\"title\":5}", "not json" };
  g_autoptr (JsonNode) still = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    for (guint j = 0; j < G_N_ELEMENTS (bodies); j++)
      {
        const char *body = g_str_equal (routes[i].method, "DELETE") ? NULL : bodies[j];
        g_autoptr (JsonNode) node = gt_api_error (server, routes[i].method, routes[i].path, cashier,
                                                  body, 403, "forbidden");
      }

  /* and nothing changed */
  still = gt_api (server, "GET", showtime_path, cashier, NULL, 200);
}

static void
test_auditoriums (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           id = gt_create_auditorium (server, manager, 3, 6, 3);
  g_autofree char *path = g_strdup_printf ("/auditoriums/%" G_GINT64_FORMAT, id);
  g_autofree char *name = gt_unique ("Renamed");
  g_autofree char *rename = g_strdup_printf ("{\"name\":\"%s\"}", name);
  g_autoptr (JsonNode) list = NULL;
  g_autoptr (JsonNode) patched = NULL;
  g_autoptr (JsonNode) bad_type = NULL;
  g_autoptr (JsonNode) no_name = NULL;
  JsonObject *auditorium;
  JsonArray  *rows;
  JsonObject *seat;

  list = gt_api (server, "GET", "/auditoriums", cashier, NULL, 200);
  auditorium = find_by_id (list, "auditoriums", id);
  g_assert_nonnull (auditorium);
  g_assert_cmpint (json_object_get_int_member (auditorium, "seat_count"), ==, 18);
  rows = json_object_get_array_member (json_object_get_object_member (auditorium, "layout"),
                                       "rows");
  g_assert_cmpuint (json_array_get_length (rows), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 1), "label"),
                   ==, "B");
  /* the fourth seat is past the aisle */
  seat = json_array_get_object_element (
    json_object_get_array_member (json_array_get_object_element (rows, 1), "seats"), 3);
  g_assert_cmpstr (json_object_get_string_member (seat, "id"), ==, "B4");
  g_assert_cmpint (json_object_get_int_member (seat, "number"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (seat, "x"), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (seat, "type"), ==, "standard");

  patched = gt_api (server, "PATCH", path, manager, rename, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (patched), "name"), ==,
                   name);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (patched), "seat_count"), ==,
                   18);

  bad_type = gt_api_error (server, "POST", "/auditoriums", manager,
                           "{\"name\":\"Sofa Studio\",\"layout\":{\"rows\":[{\"label\":\"A\","
                           "\"seats\":[{\"id\":\"A1\",\"number\":1,\"x\":0,\"type\":\"sofa\"}]}]}}",
                           422, "invalid_field");
  no_name = gt_api_error (server, "POST", "/auditoriums", manager, "{\"layout\":{\"rows\":[]}}",
                          422, "invalid_field");
}

static void
test_auditorium_layout_locked_by_sales (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           movie = gt_create_movie (server, manager, 90);
  gint64           auditorium = gt_create_auditorium (server, manager, 2, 4, 0);
  gint64 showtime = gt_create_showtime (server, manager, movie, auditorium, gt_day_start (31, 600));
  g_autofree char *path = g_strdup_printf ("/auditoriums/%" G_GINT64_FORMAT, auditorium);
  const char      *layout = "{\"layout\":{\"rows\":[{\"label\":\"A\",\"seats\":["
                            "{\"id\":\"A1\",\"number\":1,\"x\":0,\"type\":\"standard\"}]}]}}";
  g_autoptr (JsonNode) booking = NULL;
  g_autoptr (JsonNode) refused = NULL;
  g_autoptr (JsonNode) list = NULL;

  booking = gt_sell (server, cashier, showtime, "[\"B2\"]");
  refused = gt_api_error (server, "PATCH", path, manager, layout, 409, "conflict");
  /* The conflict names the seat and its showtime. */
  {
    JsonObject *details = json_object_get_object_member (
      json_object_get_object_member (json_node_get_object (refused), "error"), "details");
    JsonArray *seats = json_object_get_array_member (details, "seats");
    JsonArray *showtimes = json_object_get_array_member (details, "showtimes");

    g_assert_cmpuint (json_array_get_length (seats), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (seats, 0), ==, "B2");
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (showtimes, 0),
                                                 "id"),
                     ==, showtime);
  }

  /* the seat sold is still there */
  list = gt_api (server, "GET", "/auditoriums", cashier, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (find_by_id (list, "auditoriums", auditorium),
                                               "seat_count"),
                   ==, 8);

  /* A layout that keeps the seat sold is fine: here row A goes and B stays. */
  {
    g_autoptr (JsonNode) kept =
      gt_api (server, "PATCH", path, manager,
              "{\"layout\":{\"rows\":[{\"label\":\"B\",\"seats\":[{\"number\":1},{\"number\":2},"
              "{\"number\":3}]}]}}",
              200);

    g_assert_cmpint (json_object_get_int_member (json_node_get_object (kept), "seat_count"), ==, 3);
  }
}

static void
test_showtime_create (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           movie = gt_create_movie (server, manager, 148);
  gint64           auditorium = gt_create_auditorium (server, manager, 4, 10, 0);
  gint64           starts = gt_day_start (30, 12 * 60 + 30);
  g_autofree char *body = showtime_body (movie, auditorium, starts);
  g_autofree char *path = NULL;
  g_autoptr (JsonNode) created = NULL;
  g_autoptr (JsonNode) fetched = NULL;
  g_autoptr (JsonNode) seats = NULL;
  JsonObject *showtime;
  gint64      id;

  created = gt_api (server, "POST", "/showtimes", manager, body, 201);
  showtime = json_node_get_object (created);
  id = json_object_get_int_member (showtime, "id");
  g_assert_cmpint (json_object_get_int_member (showtime, "movie_id"), ==, movie);
  g_assert_cmpint (json_object_get_int_member (showtime, "auditorium_id"), ==, auditorium);
  g_assert_cmpint (gt_time_parse (json_object_get_string_member (showtime, "starts_at")), ==,
                   starts);
  /* ends_at from the movie's 148 minutes */
  g_assert_cmpint (gt_time_parse (json_object_get_string_member (showtime, "ends_at")), ==,
                   starts + 148 * 60);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (showtime, "prices"),
                                               "adult"),
                   ==, 50000);
  g_assert_cmpint (json_object_get_int_member (showtime, "seats_total"), ==, 40);
  g_assert_cmpint (json_object_get_int_member (showtime, "seats_free"), ==, 40);

  path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT, id);
  fetched = gt_api (server, "GET", path, cashier, NULL, 200);
  g_assert_true (json_node_equal (created, fetched));

  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/seats", id);
  seats = gt_api (server, "GET", path, cashier, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (seats), "showtime_id"), ==,
                   id);
  g_assert_cmpuint (json_array_get_length (
                      json_object_get_array_member (json_node_get_object (seats), "seats")),
                    ==, 40);
}

static gint64
ends_at (const char *token, gint64 showtime)
{
  g_autofree char *path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT, showtime);
  g_autoptr (JsonNode) node = gt_api (server, "GET", path, token, NULL, 200);

  return gt_time_parse (json_object_get_string_member (json_node_get_object (node), "ends_at"));
}

static void
test_showtime_overlap (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  gint64           movie = gt_create_movie (server, manager, 100);
  gint64           auditorium = gt_create_auditorium (server, manager, 2, 5, 0);
  gint64           other = gt_create_auditorium (server, manager, 2, 5, 0);
  gint64           t = gt_day_start (32, 12 * 60);
  gint64           first = gt_create_showtime (server, manager, movie, auditorium, t);
  g_autofree char *late = showtime_body (movie, auditorium, t + (100 + 14) * 60);
  g_autofree char *early = showtime_body (movie, auditorium, t - (100 + 14) * 60);
  g_autofree char *same = showtime_body (movie, auditorium, t + 30 * 60);
  g_autoptr (JsonNode) late_node = NULL;
  g_autoptr (JsonNode) early_node = NULL;
  g_autoptr (JsonNode) same_node = NULL;
  g_autoptr (JsonNode) longer = NULL;
  g_autoptr (JsonNode) shorter = NULL;
  g_autofree char *movie_path = NULL;
  gint64           after;
  gint64           before;

  /* one minute into the cleaning buffer after the first show: refused */
  late_node = gt_api_error (server, "POST", "/showtimes", manager, late, 409, "showtime_overlap");
  g_assert_cmpint (json_object_get_int_member (gt_error_details (late_node), "showtime_id"), ==,
                   first);
  /* ending one minute into the buffer before the first show: refused */
  early_node = gt_api_error (server, "POST", "/showtimes", manager, early, 409, "showtime_overlap");
  g_assert_cmpint (json_object_get_int_member (gt_error_details (early_node), "showtime_id"), ==,
                   first);
  same_node = gt_api_error (server, "POST", "/showtimes", manager, same, 409, "showtime_overlap");
  g_assert_cmpint (json_object_get_int_member (gt_error_details (same_node), "showtime_id"), ==,
                   first);

  /* exactly at the end of the buffer: allowed, on both sides */
  after = gt_create_showtime (server, manager, movie, auditorium, t + (100 + 15) * 60);
  before = gt_create_showtime (server, manager, movie, auditorium, t - (100 + 15) * 60);
  g_assert_cmpint (after, !=, before);

  /* another auditorium at the same time is no overlap */
  gt_create_showtime (server, manager, movie, other, t);

  /* the movie's running time is its showtimes': a minute longer would
   * make them collide, so it is refused and nothing moves; shorter is fine */
  movie_path = g_strdup_printf ("/movies/%" G_GINT64_FORMAT, movie);
  longer = gt_api_error (server, "PATCH", movie_path, manager, "{\"duration_minutes\":101}", 409,
                         "showtime_overlap");
  g_assert_cmpint (json_object_get_int_member (gt_error_details (longer), "showtime_id"), ==,
                   first);
  g_assert_cmpint (ends_at (manager, first), ==, t + 100 * 60);
  shorter = gt_api (server, "PATCH", movie_path, manager, "{\"duration_minutes\":99}", 200);
  g_assert_cmpint (ends_at (manager, first), ==, t + 99 * 60);
}

static void
test_showtime_patch (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  gint64           movie = gt_create_movie (server, manager, 90);
  gint64           auditorium = gt_create_auditorium (server, manager, 2, 5, 0);
  gint64           t = gt_day_start (33, 10 * 60);
  gint64           first = gt_create_showtime (server, manager, movie, auditorium, t);
  gint64           second = gt_create_showtime (server, manager, movie, auditorium, t + 4 * 3600);
  g_autofree char *path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT, second);
  g_autofree char *new_start = gt_time_format (t + 2 * 3600);
  g_autofree char *clash_start = gt_time_format (t + 60 * 60);
  g_autofree char *move = g_strdup_printf ("{\"starts_at\":\"%s\"}", new_start);
  g_autofree char *clash = g_strdup_printf ("{\"starts_at\":\"%s\"}", clash_start);
  g_autoptr (JsonNode) moved = NULL;
  g_autoptr (JsonNode) refused = NULL;
  g_autoptr (JsonNode) bad = NULL;
  JsonObject *showtime;

  moved = gt_api (server, "PATCH", path, manager, move, 200);
  showtime = json_node_get_object (moved);
  g_assert_cmpint (gt_time_parse (json_object_get_string_member (showtime, "starts_at")), ==,
                   t + 2 * 3600);
  g_assert_cmpint (gt_time_parse (json_object_get_string_member (showtime, "ends_at")), ==,
                   t + 2 * 3600 + 90 * 60);

  refused = gt_api_error (server, "PATCH", path, manager, clash, 409, "showtime_overlap");
  g_assert_cmpint (json_object_get_int_member (gt_error_details (refused), "showtime_id"), ==,
                   first);
  bad = gt_api_error (server, "PATCH", path, manager, "{\"starts_at\":\"tomorrow\"}", 422,
                      "invalid_field");
  g_assert_cmpstr (json_object_get_string_member (gt_error_details (bad), "field"), ==,
                   "starts_at");
}

static gboolean
list_has (JsonNode *node, gint64 id)
{
  return find_by_id (node, "showtimes", id) != NULL;
}

static void
test_showtime_filters (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autoptr (JsonNode) config = gt_api (server, "GET", "/config", NULL, NULL, 200);
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier (
    json_object_get_string_member (json_node_get_object (config), "timezone"));
  gint64 movie = gt_create_movie (server, manager, 90);
  gint64 other_movie = gt_create_movie (server, manager, 90);
  gint64 auditorium = gt_create_auditorium (server, manager, 2, 5, 0);
  /* 22:00 UTC: the next calendar day in Jakarta (UTC+7), same day in UTC */
  gint64 late = gt_day_start (34, 22 * 60);
  gint64 late_id = gt_create_showtime (server, manager, movie, auditorium, late);
  gint64 other_id = gt_create_showtime (server, manager, other_movie, auditorium, late + 3 * 3600);
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (late);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, tz);
  g_autofree char *local_date = g_date_time_format (local, "%Y-%m-%d");
  g_autofree char *utc_date = g_date_time_format (utc, "%Y-%m-%d");
  g_autofree char *path = NULL;
  g_autoptr (JsonNode) by_local = NULL;
  g_autoptr (JsonNode) by_movie = NULL;
  g_autoptr (JsonNode) all = NULL;
  g_autoptr (JsonNode) bad = NULL;
  JsonArray *array;
  gint64     previous = 0;
  gint64     now = g_get_real_time () / G_USEC_PER_SEC;

  path = g_strdup_printf ("/showtimes?date=%s", local_date);
  by_local = gt_api (server, "GET", path, cashier, NULL, 200);
  g_assert_true (list_has (by_local, late_id));
  g_assert_true (list_has (by_local, other_id));

  if (g_strcmp0 (local_date, utc_date) != 0)
    {
      g_autoptr (JsonNode) by_utc = NULL;

      g_clear_pointer (&path, g_free);
      path = g_strdup_printf ("/showtimes?date=%s", utc_date);
      by_utc = gt_api (server, "GET", path, cashier, NULL, 200);
      g_assert_false (list_has (by_utc, late_id));
    }

  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("/showtimes?date=%s&movie_id=%" G_GINT64_FORMAT, local_date, movie);
  by_movie = gt_api (server, "GET", path, cashier, NULL, 200);
  g_assert_true (list_has (by_movie, late_id));
  g_assert_false (list_has (by_movie, other_id));
  array = json_object_get_array_member (json_node_get_object (by_movie), "showtimes");
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (array, i),
                                                 "movie_id"),
                     ==, movie);

  /* without a date: everything not yet ended, in start order */
  all = gt_api (server, "GET", "/showtimes", cashier, NULL, 200);
  g_assert_true (list_has (all, late_id));
  array = json_object_get_array_member (json_node_get_object (all), "showtimes");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *s = json_array_get_object_element (array, i);
      gint64      starts = gt_time_parse (json_object_get_string_member (s, "starts_at"));

      g_assert_cmpint (starts, >=, previous);
      g_assert_cmpint (gt_time_parse (json_object_get_string_member (s, "ends_at")), >, now);
      previous = starts;
    }

  bad = gt_api_error (server, "GET", "/showtimes?date=31-12-2030", cashier, NULL, 422,
                      "invalid_field");
}

static void
test_showtime_delete (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           movie = gt_create_movie (server, manager, 90);
  gint64           auditorium = gt_create_auditorium (server, manager, 2, 5, 0);
  gint64 empty = gt_create_showtime (server, manager, movie, auditorium, gt_day_start (35, 600));
  gint64 sold = gt_create_showtime (server, manager, movie, auditorium, gt_day_start (35, 900));
  g_autofree char *empty_path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT, empty);
  g_autofree char *sold_path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT, sold);
  g_autofree char *movie_path = g_strdup_printf ("/movies/%" G_GINT64_FORMAT, movie);
  g_autoptr (JsonNode) gone = NULL;
  g_autoptr (JsonNode) booking = NULL;
  g_autoptr (JsonNode) refused = NULL;
  g_autoptr (JsonNode) movie_refused = NULL;
  g_autoptr (JsonNode) moved = NULL;
  g_autofree char *new_start = gt_time_format (gt_day_start (35, 1200));
  g_autofree char *move = g_strdup_printf ("{\"starts_at\":\"%s\"}", new_start);
  g_autoptr (JsonNode) still = NULL;
  g_autoptr (JsonNode) movies = NULL;
  JsonObject *m;

  delete_ok (empty_path, manager);
  gone = gt_api_error (server, "GET", empty_path, cashier, NULL, 404, "not_found");

  booking = gt_sell (server, cashier, sold, "[\"A3\"]");
  refused = gt_api_error (server, "DELETE", sold_path, manager, NULL, 409, "conflict");
  /* nor moved under the feet of those who paid */
  moved = gt_api_error (server, "PATCH", sold_path, manager, move, 409, "conflict");
  movie_refused = gt_api_error (server, "DELETE", movie_path, manager, NULL, 409, "conflict");

  /* both are still there for the audience that paid */
  still = gt_api (server, "GET", sold_path, cashier, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (still), "seats_free"), ==, 9);
  movies = gt_api (server, "GET", "/movies", cashier, NULL, 200);
  m = find_by_id (movies, "movies", movie);
  g_assert_nonnull (m);
  g_assert_true (json_object_get_boolean_member (m, "active"));
}

static void
test_unknown_showtime (void)
{
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autoptr (JsonNode) a = NULL;
  g_autoptr (JsonNode) b = NULL;

  a = gt_api_error (server, "GET", "/showtimes/999999", cashier, NULL, 404, "not_found");
  b = gt_api_error (server, "GET", "/showtimes/999999/seats", cashier, NULL, 404, "not_found");
}

static void
test_demo_catalog (void)
{
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autoptr (JsonNode) movies = gt_api (server, "GET", "/movies", cashier, NULL, 200);
  g_autoptr (JsonNode) auditoriums = gt_api (server, "GET", "/auditoriums", cashier, NULL, 200);
  JsonArray *array = json_object_get_array_member (json_node_get_object (auditoriums),
                                                   "auditoriums");
  gboolean   big = FALSE;

  g_assert_cmpuint (json_array_get_length (
                      json_object_get_array_member (json_node_get_object (movies), "movies")),
                    >=, 4);
  g_assert_cmpuint (json_array_get_length (array), >=, 3);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *auditorium = json_array_get_object_element (array, i);
      JsonArray  *rows;
      g_autoptr (GHashTable) types = NULL;

      if (json_object_get_int_member (auditorium, "seat_count") < 300)
        continue;
      big = TRUE;
      /* the big room has seats for every audience */
      types = g_hash_table_new (g_str_hash, g_str_equal);
      rows = json_object_get_array_member (json_object_get_object_member (auditorium, "layout"),
                                           "rows");
      for (guint r = 0; r < json_array_get_length (rows); r++)
        {
          JsonArray *seats = json_object_get_array_member (json_array_get_object_element (rows, r),
                                                           "seats");

          for (guint k = 0; k < json_array_get_length (seats); k++)
            g_hash_table_add (types, (gpointer) json_object_get_string_member (
                                       json_array_get_object_element (seats, k), "type"));
        }
      g_assert_true (g_hash_table_contains (types, "premium"));
      g_assert_true (g_hash_table_contains (types, "wheelchair"));
      g_assert_true (g_hash_table_contains (types, "companion"));
    }
  g_assert_true (big);

  for (int day = 0; day < 8; day++)
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr (GDateTime) then = g_date_time_add_days (now, day);
      g_autofree char *date = g_date_time_format (then, "%Y-%m-%d");
      g_autofree char *path = g_strdup_printf ("/showtimes?date=%s", date);
      g_autoptr (JsonNode) list = NULL;

      /* today may be nearly over; the following days are full */
      if (day == 0)
        continue;
      list = gt_api (server, "GET", path, cashier, NULL, 200);
      g_assert_cmpuint (json_array_get_length (
                          json_object_get_array_member (json_node_get_object (list), "showtimes")),
                        >=, 9);
    }
}

int
main (int argc, char *argv[])
{
  gt_fixture_init (&argc, &argv);
  server = gt_fixture_server ("main", (const char *[]){ "--demo", NULL });

  gt_fixture_add ("/catalog/movies", test_movies_crud);
  gt_fixture_add ("/catalog/movie-invalid", test_movie_invalid);
  gt_fixture_add ("/catalog/cashier-cannot-write", test_cashier_cannot_write);
  gt_fixture_add ("/catalog/auditoriums", test_auditoriums);
  gt_fixture_add ("/catalog/auditorium-layout-locked", test_auditorium_layout_locked_by_sales);
  gt_fixture_add ("/catalog/showtime-create", test_showtime_create);
  gt_fixture_add ("/catalog/showtime-overlap", test_showtime_overlap);
  gt_fixture_add ("/catalog/showtime-patch", test_showtime_patch);
  gt_fixture_add ("/catalog/showtime-filters", test_showtime_filters);
  gt_fixture_add ("/catalog/showtime-delete", test_showtime_delete);
  gt_fixture_add ("/catalog/unknown-showtime", test_unknown_showtime);
  gt_fixture_add ("/catalog/demo", test_demo_catalog);

  return gt_fixture_run ();
}
