/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-holds"

#include "config.h"

#include "gt-server-fixture.h"

static GtTestServer *server;
/* The same with --hold-seconds 2, for expiry. */
static GtTestServer *short_server;

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  const char *sa = *(const char **) a;
  const char *sb = *(const char **) b;

  /* "A2" before "A10": by row, then by number */
  if (sa[0] != sb[0])
    return sa[0] - sb[0];
  return (int) (g_ascii_strtoll (sa + 1, NULL, 10) - g_ascii_strtoll (sb + 1, NULL, 10));
}

/* "A1,A2" from an array of seat ids, in seat order. */
static char *
seat_list (JsonArray *array)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new ();

  g_assert_nonnull (array);
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_ptr_array_add (ids, (gpointer) json_array_get_string_element (array, i));
  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);
  return g_strjoinv (",", (char **) ids->pdata);
}

static char *
hold_seats (JsonNode *node)
{
  return seat_list (json_object_get_array_member (json_node_get_object (node), "seats"));
}

static JsonNode *
post_hold (GtTestServer *srv,
           const char   *token,
           gint64        showtime,
           const char   *body,
           guint         expected_status,
           const char   *code)
{
  g_autofree char *path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/holds", showtime);

  if (code != NULL)
    return gt_api_error (srv, "POST", path, token, body, expected_status, code);
  return gt_api (srv, "POST", path, token, body, expected_status);
}

static void
test_hold_seats (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autofree char *other = gt_login (server, "cashier2");
  gint64           showtime = gt_create_setup (server, manager, 30);
  g_autofree char *showtime_path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT, showtime);
  g_autofree char *seats = NULL;
  g_autofree char *hold_path = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *theirs = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonNode) fetched = NULL;
  g_autoptr (JsonNode) st = NULL;
  JsonObject *hold;
  gint64      now = g_get_real_time () / G_USEC_PER_SEC;
  gint64      expires;
  gint64      id;
  gint64      seen_hold = 0;
  gint64      other_hold = 0;

  node = post_hold (server, cashier, showtime, "{\"seats\":[\"A2\",\"A1\"]}", 201, NULL);
  hold = json_node_get_object (node);
  id = json_object_get_int_member (hold, "id");
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (json_object_get_int_member (hold, "showtime_id"), ==, showtime);
  seats = hold_seats (node);
  g_assert_cmpstr (seats, ==, "A1,A2");
  g_assert_cmpint (json_object_get_int_member (hold, "ttl_seconds"), ==, 300);
  expires = gt_time_parse (json_object_get_string_member (hold, "expires_at"));
  g_assert_cmpint (expires, >=, now + 300 - 5);
  g_assert_cmpint (expires, <=, now + 300 + 5);

  hold_path = g_strdup_printf ("/holds/%" G_GINT64_FORMAT, id);
  fetched = gt_api (server, "GET", hold_path, cashier, NULL, 200);
  g_clear_pointer (&seats, g_free);
  seats = hold_seats (fetched);
  g_assert_cmpstr (seats, ==, "A1,A2");

  /* my counter sees my hold; the next counter sees the seat taken */
  mine = gt_seat_state (server, cashier, showtime, "A1", &seen_hold);
  g_assert_cmpstr (mine, ==, "held");
  g_assert_cmpint (seen_hold, ==, id);
  theirs = gt_seat_state (server, other, showtime, "A1", &other_hold);
  g_assert_cmpstr (theirs, ==, "held");
  g_assert_cmpint (other_hold, ==, 0);
  gt_assert_seat_state (server, other, showtime, "A3", "free");

  st = gt_api (server, "GET", showtime_path, other, NULL, 200);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (st), "seats_free"), ==, 38);
}

static void
test_seat_unavailable_all_or_nothing (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autofree char *other = gt_login (server, "cashier2");
  gint64           showtime = gt_create_setup (server, manager, 30);
  g_autoptr (JsonNode) first = NULL;
  g_autoptr (JsonNode) refused = NULL;
  g_autoptr (JsonNode) again = NULL;
  g_autofree char *taken = NULL;
  JsonArray       *seats;

  first = post_hold (server, cashier, showtime, "{\"seats\":[\"B1\"]}", 201, NULL);
  refused = post_hold (server, other, showtime, "{\"seats\":[\"B2\",\"B1\",\"B3\"]}", 409,
                       "seat_unavailable");
  seats = json_object_get_array_member (gt_error_details (refused), "seats");
  taken = seat_list (seats);
  g_assert_cmpstr (taken, ==, "B1");

  /* none of the free ones were taken either */
  gt_assert_seat_state (server, other, showtime, "B2", "free");
  gt_assert_seat_state (server, other, showtime, "B3", "free");
  /* even the same counter cannot hold a seat twice */
  again = post_hold (server, cashier, showtime, "{\"seats\":[\"B1\"]}", 409, "seat_unavailable");
}

static void
test_unknown_seat (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           showtime = gt_create_setup (server, manager, 30);
  g_autoptr (JsonNode) unknown = NULL;
  g_autoptr (JsonNode) empty = NULL;
  g_autoptr (JsonNode) nothing = NULL;
  g_autoptr (JsonNode) zero = NULL;
  g_autoptr (JsonNode) wrong = NULL;
  g_autoptr (JsonNode) no_showtime = NULL;

  unknown = post_hold (server, cashier, showtime, "{\"seats\":[\"C1\",\"Z99\"]}", 422,
                       "unknown_seat");
  gt_assert_seat_state (server, cashier, showtime, "C1", "free");

  nothing = post_hold (server, cashier, showtime, "{}", 422, "invalid_field");
  zero = post_hold (server, cashier, showtime, "{\"count\":0}", 422, "invalid_field");
  empty = post_hold (server, cashier, showtime, "{\"seats\":[]}", 422, "invalid_field");
  wrong = post_hold (server, cashier, showtime, "{\"seats\":\"C1\"}", 422, "invalid_field");
  g_assert_cmpstr (json_object_get_string_member (gt_error_details (wrong), "field"), ==, "seats");
  no_showtime = post_hold (server, cashier, 999999, "{\"seats\":[\"A1\"]}", 404, "not_found");
}

static void
test_hold_count (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           showtime = gt_create_setup (server, manager, 30);
  g_autofree char *path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/seats", showtime);
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonNode) too_many = NULL;
  g_autoptr (JsonNode) seats = NULL;
  g_autoptr (GHashTable) x_of = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *held;
  JsonArray *all;
  gint64     xs[3];
  char       row = 0;

  node = post_hold (server, cashier, showtime, "{\"count\":3}", 201, NULL);
  held = json_object_get_array_member (json_node_get_object (node), "seats");
  g_assert_cmpuint (json_array_get_length (held), ==, 3);

  seats = gt_api (server, "GET", path, cashier, NULL, 200);
  all = json_object_get_array_member (json_node_get_object (seats), "seats");
  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *s = json_array_get_object_element (all, i);

      g_hash_table_insert (x_of, (gpointer) json_object_get_string_member (s, "id"),
                           GINT_TO_POINTER (json_object_get_int_member (s, "x") + 1));
    }

  /* one row, side by side (no aisle between), not the front or back row */
  for (guint i = 0; i < 3; i++)
    {
      const char *id = json_array_get_string_element (held, i);

      if (row == 0)
        row = id[0];
      g_assert_cmpint (id[0], ==, row);
      xs[i] = GPOINTER_TO_INT (g_hash_table_lookup (x_of, id)) - 1;
      g_assert_cmpint (xs[i], >=, 0);
    }
  g_assert_cmpint (row, !=, 'A');
  g_assert_cmpint (row, !=, 'E');
  g_assert_cmpint (MAX (MAX (xs[0], xs[1]), xs[2]) - MIN (MIN (xs[0], xs[1]), xs[2]), ==, 2);
  g_assert_true (xs[0] != xs[1] && xs[1] != xs[2] && xs[0] != xs[2]);

  /* rows are 8 wide: nine together cannot be had */
  too_many = post_hold (server, cashier, showtime, "{\"count\":9}", 409, "seat_unavailable");
}

static void
test_hold_count_no_stranded_seat (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           movie = gt_create_movie (server, manager, 90);
  gint64           auditorium = gt_create_auditorium (server, manager, 1, 6, 0);
  gint64 showtime = gt_create_showtime (server, manager, movie, auditorium, gt_day_start (30, 600));
  g_autoptr (JsonNode) first = NULL;
  g_autoptr (JsonNode) pair = NULL;
  g_autofree char *seats = NULL;

  first = post_hold (server, cashier, showtime, "{\"seats\":[\"A1\"]}", 201, NULL);
  /* A3+A4 is the centre of the row but would strand A2 alone; A2+A3 leaves
   * A4-A6 together and is the nearest to the centre that strands nobody */
  pair = post_hold (server, cashier, showtime, "{\"count\":2}", 201, NULL);
  seats = hold_seats (pair);
  g_assert_cmpstr (seats, ==, "A2,A3");
}

static void
test_add_remove_seat (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autofree char *other = gt_login (server, "cashier2");
  gint64           showtime = gt_create_setup (server, manager, 30);
  gint64           id = gt_hold (server, cashier, showtime, "[\"D5\"]");
  g_autofree char *base = g_strdup_printf ("/holds/%" G_GINT64_FORMAT, id);
  g_autofree char *add = g_strconcat (base, "/seats/D6", NULL);
  g_autofree char *add_taken = g_strconcat (base, "/seats/D7", NULL);
  g_autofree char *add_unknown = g_strconcat (base, "/seats/Q1", NULL);
  g_autofree char *seats = NULL;
  g_autofree char *after = NULL;
  g_autoptr (JsonNode) original = NULL;
  g_autoptr (JsonNode) added = NULL;
  g_autoptr (JsonNode) taken = NULL;
  g_autoptr (JsonNode) unknown = NULL;
  g_autoptr (JsonNode) removed = NULL;
  g_autoptr (JsonNode) theirs = NULL;
  JsonArray *details;

  original = gt_api (server, "GET", base, cashier, NULL, 200);
  added = gt_api (server, "PUT", add, cashier, NULL, 200);
  seats = hold_seats (added);
  g_assert_cmpstr (seats, ==, "D5,D6");
  /* adding a seat does not move the expiry */
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (added), "expires_at"), ==,
                   json_object_get_string_member (json_node_get_object (original), "expires_at"));
  gt_assert_seat_state (server, other, showtime, "D6", "held");

  theirs = post_hold (server, other, showtime, "{\"seats\":[\"D7\"]}", 201, NULL);
  taken = gt_api_error (server, "PUT", add_taken, cashier, NULL, 409, "seat_unavailable");
  details = json_object_get_array_member (gt_error_details (taken), "seats");
  g_assert_nonnull (details);
  g_assert_cmpstr (json_array_get_string_element (details, 0), ==, "D7");
  unknown = gt_api_error (server, "PUT", add_unknown, cashier, NULL, 422, "unknown_seat");

  removed = gt_api (server, "DELETE", add, cashier, NULL, 200);
  after = hold_seats (removed);
  g_assert_cmpstr (after, ==, "D5");
  /* back on sale at once */
  gt_assert_seat_state (server, other, showtime, "D6", "free");
}

static void
test_other_session (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autofree char *other = gt_login (server, "cashier2");
  /* the same user at another counter is another session */
  g_autofree char *same_user = gt_login (server, "cashier");
  gint64           showtime = gt_create_setup (server, manager, 30);
  gint64           id = gt_hold (server, cashier, showtime, "[\"E1\"]");
  g_autofree char *base = g_strdup_printf ("/holds/%" G_GINT64_FORMAT, id);
  g_autofree char *seat = g_strconcat (base, "/seats/E2", NULL);
  g_autofree char *seat1 = g_strconcat (base, "/seats/E1", NULL);
  g_autofree char *extend = g_strconcat (base, "/extend", NULL);
  const char      *tokens[] = { other, same_user, manager };
  g_autoptr (JsonNode) mine = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    {
      g_autoptr (JsonNode) get = NULL;
      g_autoptr (JsonNode) put = NULL;
      g_autoptr (JsonNode) del_seat = NULL;
      g_autoptr (JsonNode) ext = NULL;
      g_autoptr (JsonNode) del = NULL;

      get = gt_api_error (server, "GET", base, tokens[i], NULL, 404, "not_found");
      put = gt_api_error (server, "PUT", seat, tokens[i], NULL, 404, "not_found");
      del_seat = gt_api_error (server, "DELETE", seat1, tokens[i], NULL, 404, "not_found");
      ext = gt_api_error (server, "POST", extend, tokens[i], NULL, 404, "not_found");
      del = gt_api_error (server, "DELETE", base, tokens[i], NULL, 404, "not_found");
    }

  /* untouched */
  mine = gt_api (server, "GET", base, cashier, NULL, 200);
  gt_assert_seat_state (server, other, showtime, "E1", "held");
  gt_assert_seat_state (server, other, showtime, "E2", "free");
}

static void
test_release (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autofree char *other = gt_login (server, "cashier2");
  gint64           showtime = gt_create_setup (server, manager, 30);
  gint64           id = gt_hold (server, cashier, showtime, "[\"C4\",\"C5\"]");
  g_autofree char *base = g_strdup_printf ("/holds/%" G_GINT64_FORMAT, id);
  g_autoptr (JsonNode) released = NULL;
  g_autoptr (JsonNode) gone = NULL;
  g_autoptr (JsonNode) retake = NULL;
  g_autoptr (JsonNode) unknown = NULL;

  released = gt_api (server, "DELETE", base, cashier, NULL, 204);
  gt_assert_seat_state (server, other, showtime, "C4", "free");
  gt_assert_seat_state (server, other, showtime, "C5", "free");
  gone = gt_api_error (server, "GET", base, cashier, NULL, 404, "not_found");
  retake = post_hold (server, other, showtime, "{\"seats\":[\"C4\",\"C5\"]}", 201, NULL);
  unknown = gt_api_error (server, "GET", "/holds/999999", cashier, NULL, 404, "not_found");
}

static void
test_showtime_closed (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           movie = gt_create_movie (server, manager, 90);
  gint64           auditorium = gt_create_auditorium (server, manager, 2, 4, 0);
  gint64           starts = g_get_real_time () / G_USEC_PER_SEC + 3;
  gint64           showtime = gt_create_showtime (server, manager, movie, auditorium, starts);
  g_autoptr (JsonNode) open = NULL;
  g_autoptr (JsonNode) closed = NULL;
  g_autoptr (JsonNode) by_count = NULL;
  g_autofree char *release = NULL;
  guint            status = 0;

  /* on sale until it starts */
  open = post_hold (server, cashier, showtime, "{\"seats\":[\"A1\"]}", 201, NULL);
  release = g_strdup_printf ("/holds/%" G_GINT64_FORMAT,
                             json_object_get_int_member (json_node_get_object (open), "id"));
  g_clear_pointer (&open, json_node_unref);
  open = gt_test_request (gt_fixture_session (), server, "DELETE", release, cashier, NULL, &status);
  g_assert_cmpuint (status, ==, 204);

  while (g_get_real_time () / G_USEC_PER_SEC <= starts + 1)
    gt_wait_ms (100);

  closed = post_hold (server, cashier, showtime, "{\"seats\":[\"A2\"]}", 409, "showtime_closed");
  by_count = post_hold (server, cashier, showtime, "{\"count\":1}", 409, "showtime_closed");
}

static void
test_expiry (void)
{
  g_autofree char *manager = gt_login (short_server, "manager");
  g_autofree char *cashier = gt_login (short_server, "cashier");
  g_autofree char *other = gt_login (short_server, "cashier2");
  gint64           showtime = gt_create_setup (short_server, manager, 30);
  g_autoptr (JsonNode)
    created = post_hold (short_server, cashier, showtime, "{\"seats\":[\"C3\",\"C4\"]}", 201, NULL);
  JsonObject      *hold = json_node_get_object (created);
  gint64           id = json_object_get_int_member (hold, "id");
  gint64           expires = gt_time_parse (json_object_get_string_member (hold, "expires_at"));
  g_autofree char *base = g_strdup_printf ("/holds/%" G_GINT64_FORMAT, id);
  g_autoptr (JsonNode) gone = NULL;
  g_autoptr (JsonNode) retake = NULL;
  double freed_at;

  gt_assert_seat_state (short_server, other, showtime, "C3", "held");

  /* watch the seat map, as the next counter would, until the seat is back */
  for (;;)
    {
      g_autofree char *state = gt_seat_state (short_server, other, showtime, "C3", NULL);

      freed_at = g_get_real_time () / (double) G_USEC_PER_SEC;
      if (g_str_equal (state, "free"))
        break;
      g_assert_cmpstr (state, ==, "held");
      if (freed_at > expires + 5)
        g_error ("seat C3 still held 5 s after its hold expired");
      gt_wait_ms (100);
    }
  /* on time: not before expires_at, and within a second and a half after it
   * (expires_at is written in whole seconds) */
  g_assert_cmpfloat (freed_at, >=, expires - 1);
  g_assert_cmpfloat (freed_at, <=, expires + 1.5);

  gone = gt_api_error (short_server, "GET", base, cashier, NULL, 410, "hold_expired");
  gt_assert_seat_state (short_server, cashier, showtime, "C4", "free");
  retake = post_hold (short_server, other, showtime, "{\"seats\":[\"C3\",\"C4\"]}", 201, NULL);
}

static void
test_extend (void)
{
  g_autofree char *manager = gt_login (short_server, "manager");
  g_autofree char *cashier = gt_login (short_server, "cashier");
  gint64           showtime = gt_create_setup (short_server, manager, 30);
  gint64           start = g_get_monotonic_time ();
  gint64           id = gt_hold (short_server, cashier, showtime, "[\"B4\"]");
  g_autofree char *base = g_strdup_printf ("/holds/%" G_GINT64_FORMAT, id);
  g_autofree char *extend = g_strconcat (base, "/extend", NULL);
  g_autoptr (JsonNode) refusal = NULL;
  gint64 last_ok = 0;
  gint64 refused_at;
  guint  status = 0;

  /* extending keeps the hold alive past its first expiry, up to 3 × ttl in all */
  for (;;)
    {
      gint64 now = g_get_real_time () / G_USEC_PER_SEC;
      g_autoptr (JsonNode) node = NULL;

      node = gt_test_request (gt_fixture_session (), short_server, "POST", extend, cashier, NULL,
                              &status);
      if (status != 200)
        {
          refusal = g_steal_pointer (&node);
          break;
        }
      g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "id"), ==, id);
      g_assert_cmpint (gt_time_parse (
                         json_object_get_string_member (json_node_get_object (node), "expires_at")),
                       >=, now + 1);
      last_ok = g_get_monotonic_time () - start;
      g_assert_cmpint (last_ok, <, 10 * G_USEC_PER_SEC);
      gt_wait_ms (300);
    }
  refused_at = g_get_monotonic_time () - start;
  g_assert_cmpuint (status, ==, 409);
  g_assert_cmpstr (gt_test_error_code (refusal), ==, "conflict");
  gt_assert_error_shape (refusal);
  /* the hold lived past its first 2 s thanks to extending */
  g_assert_cmpint (last_ok, >=, 2200 * 1000);
  /* and the refusal came near 2 × ttl after the start (total 3 × ttl) */
  g_assert_cmpint (refused_at, >=, 2500 * 1000);
  g_assert_cmpint (refused_at, <=, 6 * G_USEC_PER_SEC);
}

static void
test_hold_seconds_setting (void)
{
  g_autoptr (JsonNode) config = gt_api (short_server, "GET", "/config", NULL, NULL, 200);
  g_autofree char *manager = gt_login (short_server, "manager");
  g_autofree char *cashier = gt_login (short_server, "cashier");
  gint64           showtime = gt_create_setup (short_server, manager, 30);
  g_autoptr (JsonNode)
    hold = post_hold (short_server, cashier, showtime, "{\"seats\":[\"A1\"]}", 201, NULL);

  g_assert_cmpint (json_object_get_int_member (json_node_get_object (config), "hold_seconds"), ==,
                   2);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (hold), "ttl_seconds"), ==, 2);
}

int
main (int argc, char *argv[])
{
  gt_fixture_init (&argc, &argv);
  server = gt_fixture_server ("main", (const char *[]){ "--demo", NULL });
  short_server = gt_fixture_server ("short",
                                    (const char *[]){ "--demo", "--hold-seconds", "2", NULL });

  gt_fixture_add ("/holds/seats", test_hold_seats);
  gt_fixture_add ("/holds/seat-unavailable", test_seat_unavailable_all_or_nothing);
  gt_fixture_add ("/holds/unknown-seat", test_unknown_seat);
  gt_fixture_add ("/holds/count", test_hold_count);
  gt_fixture_add ("/holds/count-no-stranded-seat", test_hold_count_no_stranded_seat);
  gt_fixture_add ("/holds/add-remove-seat", test_add_remove_seat);
  gt_fixture_add ("/holds/other-session", test_other_session);
  gt_fixture_add ("/holds/release", test_release);
  gt_fixture_add ("/holds/showtime-closed", test_showtime_closed);
  gt_fixture_add ("/holds/hold-seconds-setting", test_hold_seconds_setting);
  gt_fixture_add ("/holds/expiry", test_expiry);
  gt_fixture_add ("/holds/extend", test_extend);

  return gt_fixture_run ();
}
