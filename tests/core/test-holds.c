/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gt-core-fixture.h"

static JsonObject *
try_hold (GtCoreFixture *f,
          GtPrincipal   *principal,
          gint64         showtime_id,
          const char    *body_text,
          GError       **error)
{
  g_autoptr (JsonObject) body = gt_core_json ("%s", body_text);

  return gt_engine_create_hold (f->engine, principal, showtime_id, body, error);
}

static void
assert_state (GtCoreFixture *f,
              GtPrincipal   *principal,
              gint64         showtime_id,
              const char    *seat,
              const char    *expected)
{
  g_autofree char *state = gt_core_seat_state (f->engine, principal, showtime_id, seat);

  g_assert_cmpstr (state, ==, expected);
}

static JsonObject *
find_seat (JsonObject *seats, const char *id)
{
  JsonArray *list = json_object_get_array_member (seats, "seats");

  for (guint i = 0; i < json_array_get_length (list); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (list, i), "id"),
                     id))
      return json_array_get_object_element (list, i);
  g_assert_not_reached ();
  return NULL;
}

static char *
hold_seats (JsonObject *hold)
{
  JsonArray *seats = json_object_get_array_member (hold, "seats");
  GString   *text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (seats); i++)
    g_string_append_printf (text, "%s%s", i ? "," : "", json_array_get_string_element (seats, i));
  return g_string_free (text, FALSE);
}

static gint64
expires_at (JsonObject *hold)
{
  gint64 us = 0;

  g_assert_true (gt_time_parse (json_object_get_string_member (hold, "expires_at"), &us));
  return us;
}

static void
test_holds_create (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GtPrincipal) other = gt_core_sign_in (f->engine, "cashier2", "cashier", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) hold = NULL;
  g_autoptr (JsonObject) again = NULL;
  g_autoptr (JsonObject) mine = NULL;
  g_autoptr (JsonObject) theirs = NULL;
  g_autofree char *seats = NULL;
  gint64           now = gt_engine_now (f->engine);
  gint64           id;

  hold = try_hold (f, f->cashier, f->showtime_id, "{\"seats\":[\"A2\",\"A1\"]}", &error);
  g_assert_no_error (error);
  id = json_object_get_int_member (hold, "id");
  g_assert_cmpint (json_object_get_int_member (hold, "showtime_id"), ==, f->showtime_id);
  seats = hold_seats (hold);
  g_assert_cmpstr (seats, ==, "A1,A2");
  g_assert_cmpint (json_object_get_int_member (hold, "ttl_seconds"), ==, 300);
  g_assert_cmpint (expires_at (hold), >=, now + 299 * G_USEC_PER_SEC);
  g_assert_cmpint (expires_at (hold), <=, now + 301 * G_USEC_PER_SEC);

  /* The holder sees its hold on the map; others see the seat held. */
  mine = gt_engine_get_seats (f->engine, f->cashier, f->showtime_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (find_seat (mine, "A1"), "state"), ==, "held");
  g_assert_cmpint (json_object_get_int_member (find_seat (mine, "A1"), "hold_id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (find_seat (mine, "A3"), "state"), ==, "free");
  g_assert_false (json_object_has_member (find_seat (mine, "A3"), "hold_id"));
  theirs = gt_engine_get_seats (f->engine, other, f->showtime_id, &error);
  g_assert_cmpstr (json_object_get_string_member (find_seat (theirs, "A1"), "state"), ==, "held");
  g_assert_false (json_object_has_member (find_seat (theirs, "A1"), "hold_id"));

  /* Another session's hold is not even said to exist. */
  again = gt_engine_get_hold (f->engine, f->cashier, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (again, "id"), ==, id);
  g_clear_pointer (&again, json_object_unref);
  again = gt_engine_get_hold (f->engine, other, id, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_NOT_FOUND);
  g_assert_null (again);
  g_clear_error (&error);

  again = try_hold (f, f->cashier, 9999, "{\"seats\":[\"A3\"]}", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_NOT_FOUND);
}

static void
test_holds_all_or_nothing (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GtPrincipal) other = gt_core_sign_in (f->engine, "cashier2", "cashier", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) hold = NULL;
  JsonObject              *details;
  JsonArray               *taken;
  gint64                   rev;
  static const char *const bad_bodies[] = {
    "{}",
    "{\"seats\":[]}",
    "{\"seats\":[\"B1\",\"B1\"]}",
    "{\"seats\":[1]}",
    "{\"seats\":[\"B1\"],\"count\":1}",
    "{\"count\":0}",
  };

  gt_core_hold (f->engine, other, f->showtime_id, "B2", NULL);
  rev = gt_engine_get_rev (f->engine);

  hold = try_hold (f, f->cashier, f->showtime_id, "{\"seats\":[\"B1\",\"B2\",\"B3\"]}", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_SEAT_UNAVAILABLE);
  g_assert_null (hold);
  details = gt_error_get_details (error);
  g_assert_nonnull (details);
  taken = json_object_get_array_member (details, "seats");
  g_assert_cmpuint (json_array_get_length (taken), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (taken, 0), ==, "B2");
  g_clear_error (&error);

  /* Nothing was claimed, nothing was logged. */
  assert_state (f, other, f->showtime_id, "B1", "free");
  assert_state (f, other, f->showtime_id, "B3", "free");
  g_assert_cmpint (gt_core_count (f->engine, "SELECT COUNT (*) FROM seat_claim"), ==, 1);
  g_assert_cmpint (gt_core_count (f->engine, "SELECT COUNT (*) FROM hold"), ==, 1);
  g_assert_cmpint (gt_engine_get_rev (f->engine), ==, rev);

  /* An unknown seat spoils the whole request too. */
  hold = try_hold (f, f->cashier, f->showtime_id, "{\"seats\":[\"B1\",\"Z9\"]}", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_UNKNOWN_SEAT);
  g_assert_cmpstr (json_array_get_string_element (
                     json_object_get_array_member (gt_error_get_details (error), "seats"), 0),
                   ==, "Z9");
  g_clear_error (&error);
  assert_state (f, other, f->showtime_id, "B1", "free");

  for (guint i = 0; i < G_N_ELEMENTS (bad_bodies); i++)
    {
      g_test_message ("body %s", bad_bodies[i]);
      hold = try_hold (f, f->cashier, f->showtime_id, bad_bodies[i], &error);
      g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_FIELD);
      g_assert_null (hold);
      g_clear_error (&error);
    }
  g_assert_cmpint (gt_core_count (f->engine, "SELECT COUNT (*) FROM seat_claim"), ==, 1);

  /* The seats left over can still be had together. */
  gt_core_hold (f->engine, f->cashier, f->showtime_id, "B1", "B3", NULL);
}

static void
test_holds_add_remove (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GtPrincipal) other = gt_core_sign_in (f->engine, "cashier2", "cashier", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) hold = NULL;
  g_autoptr (JsonObject) first = NULL;
  g_autofree char *seats = NULL;
  gint64           id = gt_core_hold (f->engine, f->cashier, f->showtime_id, "A1", "A2", NULL);

  gt_core_hold (f->engine, other, f->showtime_id, "C3", NULL);
  first = gt_engine_get_hold (f->engine, f->cashier, id, &error);
  g_assert_no_error (error);

  _gt_engine_shift_time (f->engine, 30 * G_USEC_PER_SEC);
  hold = gt_engine_add_hold_seat (f->engine, f->cashier, id, "A3", &error);
  g_assert_no_error (error);
  seats = hold_seats (hold);
  g_assert_cmpstr (seats, ==, "A1,A2,A3");
  /* Adding a seat does not move the expiry. */
  g_assert_cmpint (expires_at (hold), ==, expires_at (first));
  assert_state (f, other, f->showtime_id, "A3", "held");
  g_clear_pointer (&hold, json_object_unref);

  /* Adding it again changes nothing. */
  hold = gt_engine_add_hold_seat (f->engine, f->cashier, id, "A3", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gt_core_array_length (hold, "seats"), ==, 3);
  g_clear_pointer (&hold, json_object_unref);

  hold = gt_engine_add_hold_seat (f->engine, f->cashier, id, "C3", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_SEAT_UNAVAILABLE);
  g_clear_error (&error);
  hold = gt_engine_add_hold_seat (f->engine, f->cashier, id, "Q1", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_UNKNOWN_SEAT);
  g_clear_error (&error);
  hold = gt_engine_add_hold_seat (f->engine, other, id, "A4", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_state (f, other, f->showtime_id, "A4", "free");

  /* A seat removed is free at once. */
  hold = gt_engine_remove_hold_seat (f->engine, f->cashier, id, "A1", &error);
  g_assert_no_error (error);
  g_clear_pointer (&seats, g_free);
  seats = hold_seats (hold);
  g_assert_cmpstr (seats, ==, "A2,A3");
  g_clear_pointer (&hold, json_object_unref);
  assert_state (f, other, f->showtime_id, "A1", "free");
  gt_core_hold (f->engine, other, f->showtime_id, "A1", NULL);

  hold = gt_engine_remove_hold_seat (f->engine, f->cashier, id, "A5", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  hold = gt_engine_remove_hold_seat (f->engine, other, id, "A2", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_state (f, other, f->showtime_id, "A2", "held");
}

static void
test_holds_extend (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) hold = NULL;
  gint64 ttl = 300 * G_USEC_PER_SEC;
  gint64 id = gt_core_hold (f->engine, f->cashier, f->showtime_id, "B3", "B4", NULL);

  _gt_engine_shift_time (f->engine, 200 * G_USEC_PER_SEC);
  hold = gt_engine_extend_hold (f->engine, f->cashier, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (expires_at (hold), >=, gt_engine_now (f->engine) + ttl - G_USEC_PER_SEC);
  g_assert_cmpint (expires_at (hold), <=, gt_engine_now (f->engine) + ttl);
  g_clear_pointer (&hold, json_object_unref);

  /* Past the first expiry, the extended hold still stands. */
  _gt_engine_shift_time (f->engine, 200 * G_USEC_PER_SEC);
  assert_state (f, NULL, f->showtime_id, "B3", "held");
  hold = gt_engine_extend_hold (f->engine, f->cashier, id, &error);
  g_assert_no_error (error);
  g_clear_pointer (&hold, json_object_unref);

  /* 650 s after it was made, another ttl would pass 3 × ttl: refused. */
  _gt_engine_shift_time (f->engine, 250 * G_USEC_PER_SEC);
  hold = gt_engine_extend_hold (f->engine, f->cashier, id, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_CONFLICT);
  g_assert_null (hold);
  g_clear_error (&error);

  /* The refusal leaves the hold as it was. */
  hold = gt_engine_get_hold (f->engine, f->cashier, id, &error);
  g_assert_no_error (error);
  assert_state (f, NULL, f->showtime_id, "B4", "held");
}

static void
test_holds_release (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GtPrincipal) other = gt_core_sign_in (f->engine, "cashier2", "cashier", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) hold = NULL;
  gint64 id = gt_core_hold (f->engine, f->cashier, f->showtime_id, "C1", "C2", "C3", NULL);

  g_assert_false (gt_engine_release_hold (f->engine, other, id, &error));
  g_assert_error (error, GT_ERROR, GT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  assert_state (f, other, f->showtime_id, "C1", "held");

  g_assert_true (gt_engine_release_hold (f->engine, f->cashier, id, &error));
  g_assert_no_error (error);
  assert_state (f, other, f->showtime_id, "C1", "free");
  assert_state (f, other, f->showtime_id, "C2", "free");
  assert_state (f, other, f->showtime_id, "C3", "free");
  g_assert_cmpint (gt_core_count (f->engine, "SELECT COUNT (*) FROM seat_claim"), ==, 0);

  hold = gt_engine_get_hold (f->engine, f->cashier, id, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (gt_engine_release_hold (f->engine, f->cashier, id, &error));
  g_assert_error (error, GT_ERROR, GT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  gt_core_hold (f->engine, other, f->showtime_id, "C1", "C2", "C3", NULL);
}

static void
test_holds_showtime_closed (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) hold = NULL;

  _gt_engine_shift_time (f->engine, f->starts_at - gt_engine_now (f->engine));
  hold = try_hold (f, f->cashier, f->showtime_id, "{\"seats\":[\"A1\"]}", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_SHOWTIME_CLOSED);
  g_assert_null (hold);
  g_clear_error (&error);
  hold = try_hold (f, f->cashier, f->showtime_id, "{\"count\":2}", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_SHOWTIME_CLOSED);
  g_assert_cmpint (gt_core_count (f->engine, "SELECT COUNT (*) FROM seat_claim"), ==, 0);
}

/* A showtime of its own auditorium, for best-available cases. */
static gint64
showtime_with_layout (GtCoreFixture *f, const char *name, const char *layout)
{
  gint64 auditorium_id = gt_core_add_auditorium (f->engine, name, layout);

  return gt_core_add_showtime (f->engine, f->movie_id, auditorium_id, f->starts_at);
}

static void
test_holds_best_central (GtCoreFixture *f, gconstpointer data)
{
  g_autofree char *layout = gt_core_grid_layout (5, 8);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) hold = NULL;
  g_autofree char *seats = NULL;
  gint64           showtime_id = showtime_with_layout (f, "Studio 5x8", layout);

  /* The middle row, the middle seats. */
  hold = try_hold (f, f->cashier, showtime_id, "{\"count\":2}", &error);
  g_assert_no_error (error);
  seats = hold_seats (hold);
  g_assert_cmpstr (seats, ==, "C4,C5");
  g_clear_pointer (&hold, json_object_unref);
  g_clear_pointer (&seats, g_free);

  hold = try_hold (f, f->cashier, showtime_id, "{\"count\":4}", &error);
  g_assert_no_error (error);
  seats = hold_seats (hold);
  /* Row C has no 4 together left without stranding; B and D are next. */
  g_assert_true (g_str_equal (seats, "B3,B4,B5,B6") || g_str_equal (seats, "D3,D4,D5,D6"));
}

static void
test_holds_best_no_stranded_seat (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GtPrincipal) other = gt_core_sign_in (f->engine, "cashier2", "cashier", NULL);
  g_autofree char *layout = gt_core_grid_layout (3, 6);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) hold = NULL;
  g_autoptr (JsonObject) map = NULL;
  g_autofree char *seats = NULL;
  gint64           showtime_id = showtime_with_layout (f, "Studio 3x6", layout);
  JsonArray       *list;

  /* Row B: B1 and B6 sold or held, B2–B5 free. The most central pair,
   * B3+B4, would leave B2 and B5 alone; B2+B3 or B4+B5 leave a pair. */
  gt_core_hold (f->engine, other, showtime_id, "B1", "B6", NULL);

  hold = try_hold (f, f->cashier, showtime_id, "{\"count\":2}", &error);
  g_assert_no_error (error);
  seats = hold_seats (hold);
  g_test_message ("chose %s", seats);
  g_assert_cmpstr (seats, !=, "B3,B4");
  g_assert_true (g_str_equal (seats, "B2,B3") || g_str_equal (seats, "B4,B5"));

  /* No free seat of the row is left between two taken ones. */
  map = gt_engine_get_seats (f->engine, f->cashier, showtime_id, &error);
  g_assert_no_error (error);
  list = json_object_get_array_member (map, "seats");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject      *seat = json_array_get_object_element (list, i);
      const char      *id = json_object_get_string_member (seat, "id");
      int              number = (int) json_object_get_int_member (seat, "number");
      g_autofree char *left = g_strdup_printf ("B%d", number - 1);
      g_autofree char *right = g_strdup_printf ("B%d", number + 1);
      gboolean         left_free;
      gboolean         right_free;

      if (id[0] != 'B' || !g_str_equal (json_object_get_string_member (seat, "state"), "free"))
        continue;
      left_free = number > 1
                  && g_str_equal (json_object_get_string_member (find_seat (map, left), "state"),
                                  "free");
      right_free = number < 6
                   && g_str_equal (json_object_get_string_member (find_seat (map, right), "state"),
                                   "free");
      g_assert_true (left_free || right_free);
    }
}

static void
test_holds_best_unavoidable_and_aisles (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) hold = NULL;
  g_autofree char *seats = NULL;
  gint64           small;
  gint64           split;

  /* One row of three: a pair must leave one seat, and that is allowed. */
  small = showtime_with_layout (f, "Tiny",
                                "{\"rows\":[{\"label\":\"A\",\"seats\":["
                                "{\"number\":1},{\"number\":2},{\"number\":3}]}]}");
  hold = try_hold (f, f->cashier, small, "{\"count\":2}", &error);
  g_assert_no_error (error);
  seats = hold_seats (hold);
  g_assert_true (g_str_equal (seats, "A1,A2") || g_str_equal (seats, "A2,A3"));
  g_clear_pointer (&hold, json_object_unref);
  g_clear_pointer (&seats, g_free);

  /* An aisle splits a row: seats across it are not together. */
  split = showtime_with_layout (f, "Split",
                                "{\"rows\":[{\"label\":\"A\",\"seats\":["
                                "{\"number\":1,\"x\":0},{\"number\":2,\"x\":1},"
                                "{\"number\":3,\"x\":2},{\"number\":4,\"x\":4},"
                                "{\"number\":5,\"x\":5},{\"number\":6,\"x\":6}]}]}");
  hold = try_hold (f, f->cashier, split, "{\"count\":4}", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_SEAT_UNAVAILABLE);
  g_assert_null (hold);
  g_clear_error (&error);
  g_assert_cmpint (gt_core_count (f->engine, "SELECT COUNT (*) FROM seat_claim"), ==, 2);

  hold = try_hold (f, f->cashier, split, "{\"count\":3}", &error);
  g_assert_no_error (error);
  seats = hold_seats (hold);
  g_assert_true (g_str_equal (seats, "A1,A2,A3") || g_str_equal (seats, "A4,A5,A6"));
  g_clear_pointer (&hold, json_object_unref);
  g_clear_pointer (&seats, g_free);

  /* The other side is still three together. */
  hold = try_hold (f, f->cashier, split, "{\"count\":3}", &error);
  g_assert_no_error (error);
  g_clear_pointer (&hold, json_object_unref);
  hold = try_hold (f, f->cashier, split, "{\"count\":1}", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_SEAT_UNAVAILABLE);
}

static void
test_holds_claim_primary_key (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GtPrincipal) other = gt_core_sign_in (f->engine, "cashier2", "cashier", NULL);
  gint64   mine = gt_core_hold (f->engine, f->cashier, f->showtime_id, "A1", NULL);
  gint64   theirs = gt_core_hold (f->engine, other, f->showtime_id, "A2", NULL);
  sqlite3 *db = gt_db_handle (f->engine->db);
  gint64   ids[] = { mine, theirs };

  /* Even bypassing every rule, the key refuses a second claim on a seat. */
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *sql = g_strdup_printf (
        "INSERT INTO seat_claim (showtime_id, seat_id, hold_id, expires_at)"
        " VALUES (%" G_GINT64_FORMAT ", 'A1', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")",
        f->showtime_id, ids[i], gt_engine_now (f->engine) + G_TIME_SPAN_HOUR);

      g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_CONSTRAINT_PRIMARYKEY);
    }
  g_assert_cmpint (gt_core_count (f->engine,
                                  "SELECT COUNT (*) FROM seat_claim WHERE seat_id = 'A1'"),
                   ==, 1);
  g_assert_cmpint (gt_core_count (f->engine, "SELECT hold_id FROM seat_claim WHERE seat_id = 'A1'"),
                   ==, mine);
}

static gboolean
claims_gone (gpointer user_data)
{
  GtCoreFixture *f = user_data;

  return gt_core_count (f->engine, "SELECT COUNT (*) FROM seat_claim") == 0;
}

static void
test_holds_expiry_timer (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) hold = NULL;
  g_autoptr (JsonObject) changes = NULL;
  JsonArray  *list;
  JsonObject *last;
  gint64      rev;
  gint64      id;

  gt_engine_set_hold_seconds (f->engine, 1);
  g_assert_cmpuint (gt_engine_get_hold_seconds (f->engine), ==, 1);
  id = gt_core_hold (f->engine, f->cashier, f->showtime_id, "C5", NULL);
  rev = gt_engine_get_rev (f->engine);
  assert_state (f, f->cashier, f->showtime_id, "C5", "held");

  /* The expiry timer frees the claim by itself, on the main loop. */
  g_assert_true (gt_core_wait (claims_gone, f, 5000));
  assert_state (f, f->cashier, f->showtime_id, "C5", "free");
  hold = gt_engine_get_hold (f->engine, f->cashier, id, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_HOLD_EXPIRED);
  g_assert_null (hold);
  g_clear_error (&error);
  g_assert_cmpint (gt_core_count (f->engine, "SELECT COUNT (*) FROM hold WHERE state = 'expired'"),
                   ==, 1);

  /* … and logs the seat as free. */
  g_assert_cmpint (gt_engine_get_rev (f->engine), >, rev);
  changes = gt_engine_list_changes (f->engine, rev, 0, &error);
  g_assert_no_error (error);
  list = json_object_get_array_member (changes, "changes");
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  last = json_array_get_object_element (list, 0);
  g_assert_cmpstr (json_object_get_string_member (last, "kind"), ==, "seat");
  g_assert_cmpstr (json_object_get_string_member (last, "id"), ==, "C5");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (last, "data"),
                                                  "state"),
                   ==, "free");
}

static gboolean
got_committed (gpointer user_data)
{
  return *(gboolean *) user_data;
}

static void
on_committed_cb (GtEngine *engine, gint64 rev, gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* The server runs with group commit: there the expiry is announced. */
static void
test_holds_expiry_committed (GtCoreFixture *f, gconstpointer data)
{
  gboolean committed = FALSE;

  gt_engine_set_group_commit (f->engine, TRUE);
  gt_engine_set_hold_seconds (f->engine, 1);
  gt_core_hold (f->engine, f->cashier, f->showtime_id, "C6", NULL);
  g_assert_true (gt_engine_flush (f->engine, NULL));

  g_signal_connect (f->engine, "committed", G_CALLBACK (on_committed_cb), &committed);
  g_assert_true (gt_core_wait (got_committed, &committed, 5000));
  g_assert_true (gt_core_wait (claims_gone, f, 5000));
  assert_state (f, f->cashier, f->showtime_id, "C6", "free");
  g_signal_handlers_disconnect_by_func (f->engine, on_committed_cb, &committed);
}

static void
test_holds_expiry_without_timer (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GtPrincipal) other = gt_core_sign_in (f->engine, "cashier2", "cashier", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) hold = NULL;
  gint64 id = gt_core_hold (f->engine, f->cashier, f->showtime_id, "B2", "B3", NULL);

  _gt_engine_shift_time (f->engine, 301 * G_USEC_PER_SEC);

  /* The timer has not run (the loop was not iterated), yet the map says free. */
  g_assert_cmpint (gt_core_count (f->engine, "SELECT COUNT (*) FROM seat_claim"), ==, 2);
  assert_state (f, other, f->showtime_id, "B2", "free");
  assert_state (f, f->cashier, f->showtime_id, "B3", "free");
  hold = gt_engine_get_hold (f->engine, f->cashier, id, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_HOLD_EXPIRED);
  g_clear_error (&error);

  /* And another counter can take the seats at once. */
  gt_core_hold (f->engine, other, f->showtime_id, "B2", "B3", NULL);
  assert_state (f, f->cashier, f->showtime_id, "B2", "held");

  hold = gt_engine_add_hold_seat (f->engine, f->cashier, id, "B4", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_HOLD_EXPIRED);
  g_clear_error (&error);
  hold = gt_engine_extend_hold (f->engine, f->cashier, id, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_HOLD_EXPIRED);
  g_clear_error (&error);
  assert_state (f, other, f->showtime_id, "B4", "free");
}

int
main (int argc, char *argv[])
{
  gt_core_init (&argc, &argv);

  gt_core_add ("/core/holds/create", test_holds_create);
  gt_core_add ("/core/holds/all-or-nothing", test_holds_all_or_nothing);
  gt_core_add ("/core/holds/add-remove", test_holds_add_remove);
  gt_core_add ("/core/holds/extend", test_holds_extend);
  gt_core_add ("/core/holds/release", test_holds_release);
  gt_core_add ("/core/holds/showtime-closed", test_holds_showtime_closed);
  gt_core_add ("/core/holds/best-central", test_holds_best_central);
  gt_core_add ("/core/holds/best-no-stranded-seat", test_holds_best_no_stranded_seat);
  gt_core_add ("/core/holds/best-unavoidable-and-aisles", test_holds_best_unavoidable_and_aisles);
  gt_core_add ("/core/holds/claim-primary-key", test_holds_claim_primary_key);
  gt_core_add ("/core/holds/expiry-timer", test_holds_expiry_timer);
  gt_core_add ("/core/holds/expiry-committed", test_holds_expiry_committed);
  gt_core_add ("/core/holds/expiry-without-timer", test_holds_expiry_without_timer);

  return g_test_run ();
}
