/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gt-core-fixture.h"

static gint64
time_member (JsonObject *object, const char *member)
{
  gint64 us = 0;

  g_assert_true (gt_time_parse (json_object_get_string_member (object, member), &us));
  return us;
}

static JsonObject *
new_showtime (GtEngine *engine,
              gint64    movie_id,
              gint64    auditorium_id,
              gint64    starts_at,
              GError  **error)
{
  g_autofree char *starts = gt_time_format (starts_at);
  g_autoptr (JsonObject) body = NULL;

  body = gt_core_json ("{\"movie_id\":%" G_GINT64_FORMAT ",\"auditorium_id\":%" G_GINT64_FORMAT
                       ",\"starts_at\":\"%s\",\"prices\":{\"adult\":40000}}",
                       movie_id, auditorium_id, starts);
  return gt_engine_create_showtime (engine, NULL, body, error);
}

static void
test_catalog_movies (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) movie = NULL;
  g_autoptr (JsonObject) list = NULL;
  g_autoptr (JsonObject) body = NULL;
  gint64 id;

  movie = gt_engine_get_movie (f->engine, f->movie_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (movie, "title"), ==, "The Lantern Keeper");
  g_assert_cmpint (json_object_get_int_member (movie, "duration_minutes"), ==,
                   GT_CORE_MOVIE_MINUTES);
  g_assert_cmpstr (json_object_get_string_member (movie, "rating"), ==, "13+");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (movie, "genres"),
                                                  0),
                   ==, "Drama");
  g_assert_true (json_object_get_boolean_member (movie, "active"));
  g_clear_pointer (&movie, json_object_unref);

  /* A patch changes what it names and keeps the rest. */
  body = gt_core_json ("{\"title\":\"The Lantern Keeper (Director's Cut)\",\"active\":false}");
  movie = gt_engine_update_movie (f->engine, NULL, f->movie_id, body, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (movie, "title"), ==,
                   "The Lantern Keeper (Director's Cut)");
  g_assert_cmpint (json_object_get_int_member (movie, "duration_minutes"), ==,
                   GT_CORE_MOVIE_MINUTES);
  g_assert_false (json_object_get_boolean_member (movie, "active"));
  g_clear_pointer (&movie, json_object_unref);
  g_clear_pointer (&body, json_object_unref);

  id = gt_core_add_movie (f->engine, "Little Kites", 96);
  list = gt_engine_list_movies (f->engine, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gt_core_array_length (list, "movies"), ==, 2);

  /* Field errors name the field. */
  body = gt_core_json ("{\"duration_minutes\":90}");
  movie = gt_engine_create_movie (f->engine, NULL, body, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_FIELD);
  g_assert_cmpstr (gt_core_error_field (error), ==, "title");
  g_clear_error (&error);
  g_clear_pointer (&body, json_object_unref);
  body = gt_core_json ("{\"title\":\"Short\",\"duration_minutes\":0}");
  movie = gt_engine_create_movie (f->engine, NULL, body, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_FIELD);
  g_assert_cmpstr (gt_core_error_field (error), ==, "duration_minutes");
  g_clear_error (&error);
  g_clear_pointer (&body, json_object_unref);
  body = gt_core_json ("{\"title\":\"Odd\",\"duration_minutes\":90,\"genres\":[1]}");
  movie = gt_engine_create_movie (f->engine, NULL, body, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_FIELD);
  g_assert_cmpstr (gt_core_error_field (error), ==, "genres");
  g_clear_error (&error);
  g_clear_pointer (&body, json_object_unref);
  body = gt_core_json ("{\"title\":\"   \",\"duration_minutes\":90}");
  movie = gt_engine_create_movie (f->engine, NULL, body, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_FIELD);
  g_assert_cmpstr (gt_core_error_field (error), ==, "title");
  g_clear_error (&error);

  movie = gt_engine_get_movie (f->engine, 9999, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A movie with no sales goes, and its showtimes with it. */
  g_assert_true (gt_engine_delete_movie (f->engine, NULL, f->movie_id, &error));
  g_assert_no_error (error);
  movie = gt_engine_get_showtime (f->engine, f->showtime_id, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  movie = gt_engine_get_movie (f->engine, id, &error);
  g_assert_no_error (error);
}

#define LAYOUT                                                                                     \
  "{\"rows\":["                                                                                    \
  "{\"label\":\"A\",\"seats\":[{\"number\":1,\"x\":0,\"type\":\"wheelchair\"},"                    \
  "{\"number\":2,\"x\":1,\"type\":\"companion\"},{\"number\":3,\"x\":3},{\"number\":4,\"x\":4}]}," \
  "{\"label\":\"B\",\"seats\":[{\"number\":1,\"x\":0,\"type\":\"premium\"},"                       \
  "{\"number\":2,\"x\":1,\"type\":\"premium\"},{\"id\":\"B-LOVE\",\"number\":3,\"x\":3,"           \
  "\"type\":\"couple\"},{\"number\":4,\"x\":4,\"blocked\":true}]}]}"

static void
test_catalog_auditorium_layout (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) auditorium = NULL;
  g_autoptr (JsonObject) seats = NULL;
  g_autoptr (JsonObject) showtime = NULL;
  g_autoptr (JsonObject) list = NULL;
  static const struct
  {
    const char *id;
    const char *row;
    gint64      number;
    gint64      x;
    const char *type;
    const char *state;
  } expected[] = {
    { "A1", "A", 1, 0, "wheelchair", "free" }, { "A2", "A", 2, 1, "companion", "free" },
    { "A3", "A", 3, 3, "standard", "free" },   { "A4", "A", 4, 4, "standard", "free" },
    { "B1", "B", 1, 0, "premium", "free" },    { "B2", "B", 2, 1, "premium", "free" },
    { "B-LOVE", "B", 3, 3, "couple", "free" }, { "B4", "B", 4, 4, "standard", "blocked" },
  };
  JsonArray *rows;
  JsonArray *list_seats;
  gint64     id;
  gint64     showtime_id;

  id = gt_core_add_auditorium (f->engine, "Studio 2", LAYOUT);
  auditorium = gt_engine_get_auditorium (f->engine, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (auditorium, "name"), ==, "Studio 2");
  g_assert_cmpint (json_object_get_int_member (auditorium, "seat_count"), ==, 8);
  rows = json_object_get_array_member (json_object_get_object_member (auditorium, "layout"),
                                       "rows");
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  {
    JsonObject *a3 = json_array_get_object_element (
      json_object_get_array_member (json_array_get_object_element (rows, 0), "seats"), 2);

    /* Ids are made from the row and number when not given. */
    g_assert_cmpstr (json_object_get_string_member (a3, "id"), ==, "A3");
    g_assert_cmpint (json_object_get_int_member (a3, "x"), ==, 3);
    g_assert_cmpstr (json_object_get_string_member (a3, "type"), ==, "standard");
  }

  showtime_id = gt_core_add_showtime (f->engine, f->movie_id, id, f->starts_at);
  showtime = gt_engine_get_showtime (f->engine, showtime_id, &error);
  g_assert_no_error (error);
  /* A blocked seat is not for sale. */
  g_assert_cmpint (json_object_get_int_member (showtime, "seats_total"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (showtime, "seats_free"), ==, 7);

  /* The seat map keeps the aisle (x 2 is empty) and the types. */
  seats = gt_engine_get_seats (f->engine, f->cashier, showtime_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (seats, "showtime_id"), ==, showtime_id);
  list_seats = json_object_get_array_member (seats, "seats");
  g_assert_cmpuint (json_array_get_length (list_seats), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JsonObject *seat = json_array_get_object_element (list_seats, i);

      g_assert_cmpstr (json_object_get_string_member (seat, "id"), ==, expected[i].id);
      g_assert_cmpstr (json_object_get_string_member (seat, "row"), ==, expected[i].row);
      g_assert_cmpint (json_object_get_int_member (seat, "number"), ==, expected[i].number);
      g_assert_cmpint (json_object_get_int_member (seat, "x"), ==, expected[i].x);
      g_assert_cmpstr (json_object_get_string_member (seat, "type"), ==, expected[i].type);
      g_assert_cmpstr (json_object_get_string_member (seat, "state"), ==, expected[i].state);
    }

  list = gt_engine_list_auditoriums (f->engine, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gt_core_array_length (list, "auditoriums"), ==, 2);

  /* Names are unique. */
  {
    g_autoptr (JsonObject) body = gt_core_json ("{\"name\":\"Studio 2\",\"layout\":%s}", LAYOUT);
    g_autoptr (JsonObject) again = gt_engine_create_auditorium (f->engine, NULL, body, &error);

    g_assert_error (error, GT_ERROR, GT_ERROR_CONFLICT);
    g_assert_null (again);
  }
}

static void
test_catalog_invalid_layouts (GtCoreFixture *f, gconstpointer data)
{
  static const char *const layouts[] = {
    "{}",
    "{\"rows\":[]}",
    "{\"rows\":{}}",
    "{\"rows\":[\"A\"]}",
    "{\"rows\":[{\"label\":\"A\",\"seats\":[]}]}",
    "{\"rows\":[{\"seats\":[{\"number\":1}]}]}",
    "{\"rows\":[{\"label\":\"A\",\"seats\":[1]}]}",
    "{\"rows\":[{\"label\":\"A\",\"seats\":[{\"number\":0}]}]}",
    "{\"rows\":[{\"label\":\"A\",\"seats\":[{\"x\":3}]}]}",
    "{\"rows\":[{\"label\":\"A\",\"seats\":[{\"number\":1},{\"number\":1}]}]}",
    "{\"rows\":[{\"label\":\"A\",\"seats\":[{\"number\":1,\"x\":0},{\"number\":2,\"x\":0}]}]}",
    "{\"rows\":[{\"label\":\"A\",\"seats\":[{\"number\":1,\"x\":-1}]}]}",
    "{\"rows\":[{\"label\":\"A\",\"seats\":[{\"number\":1,\"type\":\"vip\"}]}]}",
    "{\"rows\":[{\"label\":\"A\",\"seats\":[{\"number\":1,\"id\":\"A 1\"}]}]}",
    "{\"rows\":[{\"label\":\"A\",\"seats\":[{\"number\":1}]},"
    "{\"label\":\"A\",\"seats\":[{\"number\":2}]}]}",
    "{\"rows\":[{\"label\":\"A\",\"seats\":[{\"number\":1,\"id\":\"X1\"}]},"
    "{\"label\":\"B\",\"seats\":[{\"number\":1,\"id\":\"X1\"}]}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (layouts); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonObject) body = NULL;
      g_autoptr (JsonObject) auditorium = NULL;

      g_test_message ("layout %s", layouts[i]);
      body = gt_core_json ("{\"name\":\"Bad %u\",\"layout\":%s}", i, layouts[i]);
      auditorium = gt_engine_create_auditorium (f->engine, NULL, body, &error);
      g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_FIELD);
      g_assert_cmpstr (gt_core_error_field (error), ==, "layout");
      g_assert_null (auditorium);
    }

  /* A missing or non-object layout is a "layout" error too. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (JsonObject) body = gt_core_json ("{\"name\":\"No layout\"}");
    g_autoptr (JsonObject) auditorium = gt_engine_create_auditorium (f->engine, NULL, body, &error);

    g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_FIELD);
    g_assert_cmpstr (gt_core_error_field (error), ==, "layout");
  }
  g_assert_cmpint (gt_core_count (f->engine, "SELECT COUNT (*) FROM auditorium"), ==, 1);
}

static void
test_catalog_layout_change (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (JsonObject) auditorium = NULL;
  g_autofree char *two_rows = gt_core_grid_layout (2, 6);
  g_autofree char *state = NULL;

  gt_core_hold (f->engine, f->cashier, f->showtime_id, "C1", NULL);
  gt_core_hold (f->engine, f->cashier, f->showtime_id, "A1", NULL);

  /* Without sales a layout may change; holds on seats that went are dropped. */
  body = gt_core_json ("{\"layout\":%s}", two_rows);
  auditorium = gt_engine_update_auditorium (f->engine, NULL, f->auditorium_id, body, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (auditorium, "seat_count"), ==, 12);
  g_assert_cmpint (gt_core_count (f->engine,
                                  "SELECT COUNT (*) FROM seat_claim WHERE seat_id = 'C1'"),
                   ==, 0);
  state = gt_core_seat_state (f->engine, f->cashier, f->showtime_id, "A1");
  g_assert_cmpstr (state, ==, "held");
}

static void
test_catalog_showtime (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) showtime = NULL;
  g_autoptr (JsonObject) list = NULL;
  g_autoptr (JsonObject) body = NULL;
  JsonObject *prices;
  JsonArray  *showtimes;
  gint64      other_movie = gt_core_add_movie (f->engine, "Orbit of Silence", 142);

  showtime = gt_engine_get_showtime (f->engine, f->showtime_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (showtime, "movie_id"), ==, f->movie_id);
  g_assert_cmpint (json_object_get_int_member (showtime, "auditorium_id"), ==, f->auditorium_id);
  g_assert_cmpint (time_member (showtime, "starts_at"), ==, f->starts_at);
  /* ends_at comes from the movie's duration. */
  g_assert_cmpint (time_member (showtime, "ends_at"), ==,
                   f->starts_at + GT_CORE_MOVIE_MINUTES * G_TIME_SPAN_MINUTE);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (showtime, "starts_at"), "Z"));
  prices = json_object_get_object_member (showtime, "prices");
  g_assert_cmpint (json_object_get_int_member (prices, "adult"), ==, GT_CORE_PRICE_ADULT);
  g_assert_cmpint (json_object_get_int_member (prices, "child"), ==, GT_CORE_PRICE_CHILD);
  g_assert_cmpint (json_object_get_int_member (showtime, "seats_total"), ==, 18);
  g_assert_cmpint (json_object_get_int_member (showtime, "seats_free"), ==, 18);
  g_clear_pointer (&showtime, json_object_unref);

  gt_core_hold (f->engine, f->cashier, f->showtime_id, "B2", "B3", NULL);
  showtime = gt_engine_get_showtime (f->engine, f->showtime_id, &error);
  g_assert_cmpint (json_object_get_int_member (showtime, "seats_free"), ==, 16);
  g_clear_pointer (&showtime, json_object_unref);

  /* Without a date: every showtime not yet over, in start order. */
  showtime = new_showtime (f->engine, other_movie, f->auditorium_id,
                           f->starts_at - 6 * G_TIME_SPAN_HOUR, &error);
  g_assert_no_error (error);
  g_clear_pointer (&showtime, json_object_unref);
  showtime = new_showtime (f->engine, other_movie, f->auditorium_id,
                           f->starts_at + 4 * G_TIME_SPAN_HOUR, &error);
  g_assert_no_error (error);
  list = gt_engine_list_showtimes (f->engine, NULL, 0, &error);
  g_assert_no_error (error);
  showtimes = json_object_get_array_member (list, "showtimes");
  g_assert_cmpuint (json_array_get_length (showtimes), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (showtimes, 0), "id"),
                   ==, f->showtime_id);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (showtimes, 1), "id"),
                   ==, json_object_get_int_member (showtime, "id"));
  g_clear_pointer (&list, json_object_unref);
  list = gt_engine_list_showtimes (f->engine, NULL, other_movie, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gt_core_array_length (list, "showtimes"), ==, 1);
  g_clear_pointer (&list, json_object_unref);

  /* By date, in the cinema's time zone. */
  {
    g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Jakarta");
    g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (f->starts_at / G_USEC_PER_SEC);
    g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, tz ? tz : g_time_zone_new_utc ());
    g_autofree char *date = g_date_time_format (local, "%Y-%m-%d");
    gboolean         found = FALSE;

    list = gt_engine_list_showtimes (f->engine, date, 0, &error);
    g_assert_no_error (error);
    showtimes = json_object_get_array_member (list, "showtimes");
    for (guint i = 0; i < json_array_get_length (showtimes); i++)
      found |= json_object_get_int_member (json_array_get_object_element (showtimes, i), "id")
               == f->showtime_id;
    g_assert_true (found);
    g_clear_pointer (&list, json_object_unref);
    list = gt_engine_list_showtimes (f->engine, "2026-02-30", 0, &error);
    g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_FIELD);
    g_assert_cmpstr (gt_core_error_field (error), ==, "date");
    g_clear_error (&error);
  }

  /* Field errors. */
  {
    static const struct
    {
      const char *starts_at;
      const char *prices;
      const char *field;
    } bad[] = {
      { "2030-01-01T10:00:00Z", "{\"Adult\":1}", "prices" },
      { "2030-01-01T10:00:00Z", "{\"adult\":-5}", "prices" },
      { "2030-01-01T10:00:00Z", "{\"adult\":\"5\"}", "prices" },
      { "2030-01-01T10:00:00Z", "{}", "prices" },
      { "2030-01-01T10:00:00Z", "[50000]", "prices" },
      { "tomorrow", "{\"adult\":1}", "starts_at" },
      { "2030-01-01", "{\"adult\":1}", "starts_at" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_clear_pointer (&body, json_object_unref);
        body = gt_core_json ("{\"movie_id\":%" G_GINT64_FORMAT
                             ",\"auditorium_id\":%" G_GINT64_FORMAT
                             ",\"starts_at\":\"%s\",\"prices\":%s}",
                             f->movie_id, f->auditorium_id, bad[i].starts_at, bad[i].prices);
        g_clear_pointer (&showtime, json_object_unref);
        showtime = gt_engine_create_showtime (f->engine, NULL, body, &error);
        g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_FIELD);
        g_assert_cmpstr (gt_core_error_field (error), ==, bad[i].field);
        g_clear_error (&error);
      }

    showtime = new_showtime (f->engine, 9999, f->auditorium_id,
                             f->starts_at + 24 * G_TIME_SPAN_HOUR, &error);
    g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_FIELD);
    g_assert_cmpstr (gt_core_error_field (error), ==, "movie_id");
  }
}

static void
assert_overlap (GtCoreFixture *f, gint64 auditorium_id, gint64 starts_at, gint64 with_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject)
    showtime = new_showtime (f->engine, f->movie_id, auditorium_id, starts_at, &error);
  JsonObject *details;

  g_assert_error (error, GT_ERROR, GT_ERROR_SHOWTIME_OVERLAP);
  g_assert_null (showtime);
  details = gt_error_get_details (error);
  g_assert_nonnull (details);
  g_assert_cmpint (json_object_get_int_member (details, "showtime_id"), ==, with_id);
}

static gint64
assert_fits (GtCoreFixture *f, gint64 auditorium_id, gint64 starts_at)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject)
    showtime = new_showtime (f->engine, f->movie_id, auditorium_id, starts_at, &error);

  g_assert_no_error (error);
  g_assert_nonnull (showtime);
  return json_object_get_int_member (showtime, "id");
}

static void
test_catalog_overlap (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (JsonObject) showtime = NULL;
  g_autofree char *layout = gt_core_grid_layout (1, 4);
  gint64           minute = G_TIME_SPAN_MINUTE;
  gint64           length = GT_CORE_MOVIE_MINUTES * minute;
  gint64           buffer = 15 * minute;
  gint64           t = f->starts_at;
  gint64           after;
  gint64           before;
  gint64           other_room = gt_core_add_auditorium (f->engine, "Studio 3", layout);

  /* After: one minute short of the cleaning buffer, then exactly at it. */
  assert_overlap (f, f->auditorium_id, t + length + buffer - minute, f->showtime_id);
  assert_overlap (f, f->auditorium_id, t + length, f->showtime_id);
  assert_overlap (f, f->auditorium_id, t, f->showtime_id);
  after = assert_fits (f, f->auditorium_id, t + length + buffer);

  /* Before: its own end plus cleaning must reach the next start at most. */
  assert_overlap (f, f->auditorium_id, t - length - buffer + minute, f->showtime_id);
  before = assert_fits (f, f->auditorium_id, t - length - buffer);
  g_assert_cmpint (before, !=, after);

  /* Another auditorium is free then. */
  assert_fits (f, other_room, t);

  /* Moving a showtime is checked the same way, and never against itself. */
  {
    g_autofree char *starts = gt_time_format (t + minute * 5);

    body = gt_core_json ("{\"starts_at\":\"%s\"}", starts);
    showtime = gt_engine_update_showtime (f->engine, NULL, f->showtime_id, body, &error);
    g_assert_error (error, GT_ERROR, GT_ERROR_SHOWTIME_OVERLAP);
    g_assert_cmpint (json_object_get_int_member (gt_error_get_details (error), "showtime_id"), ==,
                     after);
    g_clear_error (&error);
  }
  g_clear_pointer (&body, json_object_unref);
  body = gt_core_json ("{\"prices\":{\"adult\":45000}}");
  showtime = gt_engine_update_showtime (f->engine, NULL, f->showtime_id, body, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (showtime, "prices"),
                                               "adult"),
                   ==, 45000);
}

static JsonObject *
set_minutes (GtCoreFixture *f, int minutes, GError **error)
{
  g_autoptr (JsonObject) body = gt_core_json ("{\"duration_minutes\":%d}", minutes);

  return gt_engine_update_movie (f->engine, NULL, f->movie_id, body, error);
}

static gint64
ends_of (GtCoreFixture *f, gint64 showtime_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) showtime = gt_engine_get_showtime (f->engine, showtime_id, &error);

  g_assert_no_error (error);
  return time_member (showtime, "ends_at");
}

static void
test_catalog_retime (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) movie = NULL;
  g_autoptr (JsonObject) past = NULL;
  g_autoptr (JsonObject) running = NULL;
  g_autoptr (JsonObject) next = NULL;
  g_autofree char *layout = gt_core_grid_layout (1, 4);
  gint64           minute = G_TIME_SPAN_MINUTE;
  gint64           t = f->starts_at;
  gint64           past_ends;
  gint64           logged;
  const char      *log_sql = "SELECT COUNT (*) FROM change_log WHERE kind = 'showtime'";

  /* One of the movie's showtimes is over; another movie's comes 20
   * minutes after this one's end and its cleaning. */
  past = new_showtime (f->engine, f->movie_id, f->auditorium_id, t - 10 * G_TIME_SPAN_HOUR, &error);
  g_assert_no_error (error);
  past_ends = time_member (past, "ends_at");
  running = new_showtime (f->engine, f->movie_id,
                          gt_core_add_auditorium (f->engine, "Studio 3", layout),
                          gt_core_minutes_from_now (f->engine, -10), &error);
  g_assert_no_error (error);
  next = new_showtime (f->engine, gt_core_add_movie (f->engine, "Orbit of Silence", 142),
                       f->auditorium_id, t + (GT_CORE_MOVIE_MINUTES + 15 + 20) * minute, &error);
  g_assert_no_error (error);

  /* A longer cut: the showtime still to come ends later, and says so to
   * the counters; those under way or over stay as they were. */
  logged = gt_core_count (f->engine, log_sql);
  movie = set_minutes (f, GT_CORE_MOVIE_MINUTES + 20, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ends_of (f, f->showtime_id), ==, t + (GT_CORE_MOVIE_MINUTES + 20) * minute);
  g_assert_cmpint (ends_of (f, json_object_get_int_member (past, "id")), ==, past_ends);
  g_assert_cmpint (ends_of (f, json_object_get_int_member (running, "id")), ==,
                   time_member (running, "ends_at"));
  g_assert_cmpint (gt_core_count (f->engine, log_sql), ==, logged + 1);
  g_clear_pointer (&movie, json_object_unref);

  /* A minute more would run into the next showtime's slot: refused, and
   * nothing changes, the movie included. */
  movie = set_minutes (f, GT_CORE_MOVIE_MINUTES + 21, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_SHOWTIME_OVERLAP);
  g_assert_null (movie);
  g_assert_cmpint (json_object_get_int_member (gt_error_get_details (error), "showtime_id"), ==,
                   json_object_get_int_member (next, "id"));
  g_clear_error (&error);
  g_assert_cmpint (ends_of (f, f->showtime_id), ==, t + (GT_CORE_MOVIE_MINUTES + 20) * minute);
  g_assert_cmpint (gt_core_count (f->engine, log_sql), ==, logged + 1);
  movie = gt_engine_get_movie (f->engine, f->movie_id, &error);
  g_assert_cmpint (json_object_get_int_member (movie, "duration_minutes"), ==,
                   GT_CORE_MOVIE_MINUTES + 20);
  g_clear_pointer (&movie, json_object_unref);

  /* A shorter one ends sooner. */
  movie = set_minutes (f, 90, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ends_of (f, f->showtime_id), ==, t + 90 * minute);
}

int
main (int argc, char *argv[])
{
  gt_core_init (&argc, &argv);

  gt_core_add ("/core/catalog/movies", test_catalog_movies);
  gt_core_add ("/core/catalog/auditorium-layout", test_catalog_auditorium_layout);
  gt_core_add ("/core/catalog/invalid-layouts", test_catalog_invalid_layouts);
  gt_core_add ("/core/catalog/layout-change", test_catalog_layout_change);
  gt_core_add ("/core/catalog/showtime", test_catalog_showtime);
  gt_core_add ("/core/catalog/overlap", test_catalog_overlap);
  gt_core_add ("/core/catalog/retime", test_catalog_retime);

  return g_test_run ();
}
