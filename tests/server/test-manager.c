/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-manager"

#include "config.h"

#include <unistd.h>

#include "gt-manager-helpers.h"

/* The manager's workspace over HTTP: partial refunds, exchanges, the
 * bookings search and the audit log. */

static GtTestServer *server;

#define CASH(n) "{\"method\":\"cash\",\"tendered\":" #n "}"

static gint64
rev_now (const char *token)
{
  g_autoptr (JsonNode) node = gt_api (server, "GET", "/changes?since=0&limit=1", token, NULL, 200);
  g_autoptr (JsonNode) all = NULL;
  g_autofree char *path = NULL;
  gint64           rev = json_object_get_int_member (json_node_get_object (node), "rev");

  /* With more, "rev" is the end of the first page: ask for the newest. */
  while (json_object_get_boolean_member (json_node_get_object (node), "more"))
    {
      g_free (path);
      path = g_strdup_printf ("/changes?since=%" G_GINT64_FORMAT "&limit=5000", rev);
      g_clear_pointer (&node, json_node_unref);
      node = gt_api (server, "GET", path, token, NULL, 200);
      rev = json_object_get_int_member (json_node_get_object (node), "rev");
    }
  return rev;
}

/* The seat changes of @showtime since @rev, in order, as "SEAT=state". */
static GPtrArray *
seat_changes_since (const char *token, gint64 rev, gint64 showtime, gboolean *booking_seen)
{
  g_autofree char *path = g_strdup_printf ("/changes?since=%" G_GINT64_FORMAT "&limit=5000", rev);
  g_autoptr (JsonNode) node = gt_api (server, "GET", path, token, NULL, 200);
  JsonArray *changes = json_object_get_array_member (json_node_get_object (node), "changes");
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      const char *kind = json_object_get_string_member (change, "kind");

      if (g_str_equal (kind, "booking") && booking_seen != NULL)
        *booking_seen = TRUE;
      if (!g_str_equal (kind, "seat")
          || json_object_get_int_member (change, "showtime_id") != showtime)
        continue;
      g_ptr_array_add (out, g_strdup_printf ("%s=%s", json_object_get_string_member (change, "id"),
                                             json_object_get_string_member (
                                               json_object_get_object_member (change, "data"),
                                               "state")));
    }
  return out;
}

static void
assert_changes (GPtrArray *changes, const char *const *expected)
{
  g_autofree char *joined = NULL;

  g_ptr_array_add (changes, NULL);
  joined = g_strjoinv (" ", (char **) changes->pdata);
  g_ptr_array_remove_index (changes, changes->len - 1);
  for (guint i = 0; expected[i] != NULL; i++)
    if (i >= changes->len || !g_str_equal (g_ptr_array_index (changes, i), expected[i]))
      g_error ("seat changes: expected %s at %u, got: %s", expected[i], i, joined);
  g_assert_cmpuint (changes->len, ==, g_strv_length ((char **) expected));
}

static gint64
ticket_id (JsonObject *booking, const char *seat)
{
  return json_object_get_int_member (gt_booking_ticket (booking, seat), "id");
}

static JsonNode *
post (const char *action, gint64 id, const char *token, const char *body, guint expected)
{
  g_autofree char *path = g_strdup_printf ("/bookings/%" G_GINT64_FORMAT "/%s", id, action);

  return gt_api (server, "POST", path, token, body, expected);
}

static JsonNode *
post_error (const char *action,
            gint64      id,
            const char *token,
            const char *body,
            guint       expected,
            const char *code)
{
  g_autofree char *path = g_strdup_printf ("/bookings/%" G_GINT64_FORMAT "/%s", id, action);

  return gt_api_error (server, "POST", path, token, body, expected, code);
}

#define REFUND   "refund"
#define EXCHANGE "exchange"

static const char *
payment_method (JsonObject *booking)
{
  return json_object_get_string_member (json_object_get_object_member (booking, "payment"),
                                        "method");
}

/* What the counter pays back (> 0) or takes (< 0) for this change, and how. */
static void
assert_settlement (JsonObject *result, gint64 amount, const char *method)
{
  JsonObject *settlement = json_object_get_object_member (result, "settlement");

  g_assert_nonnull (settlement);
  g_assert_cmpint (json_object_get_int_member (settlement, "amount"), ==, amount);
  g_assert_cmpstr (json_object_get_string_member (settlement, "method"), ==, method);
}

static void
test_roles (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *admin = gt_login (server, "admin");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           showtime = gt_create_setup (server, manager, 31);
  g_autoptr (JsonNode) a = gt_sell (server, cashier, showtime, "[\"A1\"]");
  g_autoptr (JsonNode) b = gt_sell (server, cashier, showtime, "[\"A2\"]");
  g_autoptr (JsonNode) c = gt_sell (server, cashier, showtime, "[\"A3\"]");
  g_autoptr (JsonNode) d = gt_sell (server, cashier, showtime, "[\"A4\"]");
  gint64           ids[] = { json_object_get_int_member (json_node_get_object (a), "id"),
                             json_object_get_int_member (json_node_get_object (b), "id"),
                             json_object_get_int_member (json_node_get_object (c), "id"),
                             json_object_get_int_member (json_node_get_object (d), "id") };
  const char      *gets[] = { "/audit",
                              "/audit?date=2026-11-24&limit=5",
                              "/reports/sales",
                              "/reports/cashup",
                              "/bookings?q=GT-",
                              "/bookings?date=2026-11-24",
                              "/bookings?day=2026-11-24" };
  const char      *bad_gets[] = { "/audit?date=24-11-2026",
                                  "/audit?limit=many",
                                  "/audit?date=2026-02-30",
                                  "/reports/sales?date=tomorrow",
                                  "/reports/cashup?date=2026-13-01",
                                  "/reports/sales?format=xml",
                                  "/bookings?q=",
                                  "/bookings?q=x&date=11/24/2026",
                                  "/bookings?day=24-11-2026" };
  g_autofree char *exchange_body = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (gets); i++)
    {
      g_autoptr (JsonNode)
        none = gt_api_error (server, "GET", gets[i], NULL, NULL, 401, "unauthorized");
      g_autoptr (JsonNode)
        low = gt_api_error (server, "GET", gets[i], cashier, NULL, 403, "forbidden");
      g_autoptr (JsonNode) ok1 = gt_api (server, "GET", gets[i], manager, NULL, 200);
      g_autoptr (JsonNode) ok2 = gt_api (server, "GET", gets[i], admin, NULL, 200);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_gets); i++)
    {
      g_autoptr (JsonNode)
        bad = gt_api_error (server, "GET", bad_gets[i], manager, NULL, 422, "invalid_field");
      g_autoptr (JsonNode)
        low = gt_api_error (server, "GET", bad_gets[i], cashier, NULL, 403, "forbidden");
    }

  /* Refunds: the role before the body; then the reason is required. */
  {
    g_autoptr (JsonNode)
      none = post_error (REFUND, ids[0], NULL, "{\"reason\":\"x\"}", 401, "unauthorized");
    g_autoptr (JsonNode) low = post_error (REFUND, ids[0], cashier, "{}", 403, "forbidden");
    g_autoptr (JsonNode)
      no_reason = post_error (REFUND, ids[0], manager, "{}", 422, "invalid_field");
    g_autoptr (JsonNode)
      blank = post_error (REFUND, ids[0], manager, "{\"reason\":\"  \"}", 422, "invalid_field");
    g_autoptr (JsonNode)
      bad_json = post_error (REFUND, ids[0], manager, "{\"reason\":", 400, "bad_json");
    g_autoptr (JsonNode)
      bad_tickets = post_error (REFUND, ids[0], manager, "{\"reason\":\"x\",\"tickets\":[\"one\"]}",
                                422, "invalid_field");
    g_autoptr (JsonNode)
      missing = post_error (REFUND, 999999, manager, "{\"reason\":\"x\"}", 404, "not_found");
    g_autoptr (JsonNode) by_manager = post (REFUND, ids[0], manager, "{\"reason\":\"x\"}", 200);
    g_autoptr (JsonNode) by_admin = post (REFUND, ids[1], admin, "{\"reason\":\"x\"}", 200);

    g_assert_cmpstr (gt_error_details (no_reason)
                       ? json_object_get_string_member (gt_error_details (no_reason), "field")
                       : NULL,
                     ==, "reason");
  }

  /* Exchanges likewise. */
  exchange_body = g_strdup_printf ("{\"showtime_id\":%" G_GINT64_FORMAT ",\"reason\":\"x\","
                                   "\"seats\":[{\"ticket_id\":%" G_GINT64_FORMAT
                                   ",\"seat\":\"B3\"}]}",
                                   showtime, ticket_id (json_node_get_object (c), "A3"));
  {
    g_autoptr (JsonNode)
      none = post_error (EXCHANGE, ids[2], NULL, exchange_body, 401, "unauthorized");
    g_autoptr (JsonNode) low = post_error (EXCHANGE, ids[2], cashier, "{}", 403, "forbidden");
    g_autoptr (JsonNode) empty = post_error (EXCHANGE, ids[2], manager, "{}", 422, "invalid_field");
    g_autoptr (JsonNode) bad_json = post_error (EXCHANGE, ids[2], manager, "[1]", 400, "bad_json");
    g_autoptr (JsonNode)
      missing = post_error (EXCHANGE, 999999, manager, exchange_body, 404, "not_found");
    g_autoptr (JsonNode) by_manager = post (EXCHANGE, ids[2], manager, exchange_body, 200);
    g_autofree char *admin_body = g_strdup_printf ("{\"showtime_id\":%" G_GINT64_FORMAT
                                                   ",\"reason\":\"x\","
                                                   "\"seats\":[{\"ticket_id\":%" G_GINT64_FORMAT
                                                   ",\"seat\":\"B4\"}]}",
                                                   showtime,
                                                   ticket_id (json_node_get_object (d), "A4"));
    g_autoptr (JsonNode) by_admin = post (EXCHANGE, ids[3], admin, admin_body, 200);
  }
}

static void
test_partial_refund (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           showtime = gt_create_setup (server, manager, 32);
  g_autoptr (JsonNode) sold =
    gt_sell_tickets (server, cashier, showtime,
                     "[{\"seat\":\"C3\",\"type\":\"adult\"},{\"seat\":\"C4\",\"type\":\"adult\"},"
                     "{\"seat\":\"C5\",\"type\":\"child\"}]",
                     "{\"method\":\"card\",\"reference\":\"EDC-1\"}", NULL);
  JsonObject      *booking = json_node_get_object (sold);
  gint64           id = json_object_get_int_member (booking, "id");
  gint64           child = ticket_id (booking, "C5");
  g_autofree char *child_code = g_strdup (
    json_object_get_string_member (gt_booking_ticket (booking, "C5"), "code"));
  g_autofree char *body =
    g_strdup_printf ("{\"reason\":\"Child was ill\",\"tickets\":[%" G_GINT64_FORMAT "]}", child);
  g_autofree char *get_path = g_strdup_printf ("/bookings/%" G_GINT64_FORMAT, id);
  g_autofree char *ticket_path = g_strdup_printf ("/tickets/%s", child_code);
  g_autofree char *checkin_path = g_strdup_printf ("/tickets/%s/checkin", child_code);
  g_autoptr (GHashTable) before = gt_seat_map (server, manager, showtime);
  g_autoptr (GHashTable) middle = NULL;
  g_autoptr (GHashTable) after = NULL;
  g_autoptr (JsonNode) partial = NULL;
  g_autoptr (JsonNode) twice = NULL;
  g_autoptr (JsonNode) foreign = NULL;
  g_autoptr (JsonNode) dup = NULL;
  g_autoptr (JsonNode) fetched = NULL;
  g_autoptr (JsonNode) ticket = NULL;
  g_autoptr (JsonNode) checkin = NULL;
  g_autoptr (JsonNode) full = NULL;
  g_autoptr (JsonNode) again = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  JsonObject *result;
  gboolean    booking_logged = FALSE;
  gint64      rev = rev_now (manager);

  g_assert_cmpint (json_object_get_int_member (booking, "total"), ==, 135000);

  partial = post (REFUND, id, manager, body, 200);
  result = json_node_get_object (partial);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "partially_refunded");
  g_assert_cmpint (json_object_get_int_member (result, "refunded_total"), ==, 35000);
  assert_settlement (result, 35000, payment_method (booking));
  g_assert_cmpstr (json_object_get_string_member (result, "refund_reason"), ==, "Child was ill");
  g_assert_false (json_object_has_member (result, "refunded_at"));
  g_assert_false (json_object_get_null_member (gt_booking_ticket (result, "C5"), "refunded_at"));
  g_assert_true (json_object_get_null_member (gt_booking_ticket (result, "C4"), "refunded_at"));

  /* Only that seat is free; the others stay sold; the change is pushed. */
  middle = gt_seat_map (server, manager, showtime);
  gt_assert_seat_map_changed (before, middle, (const char *[]){ "C5=free", NULL });
  changes = seat_changes_since (manager, rev, showtime, &booking_logged);
  assert_changes (changes, (const char *[]){ "C5=free", NULL });
  g_assert_true (booking_logged);

  /* The refunded ticket is refunded; the same again is a conflict. */
  ticket = gt_api (server, "GET", ticket_path, cashier, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (ticket), "status"), ==,
                   "refunded");
  checkin = gt_api_error (server, "POST", checkin_path, cashier, "{}", 409, "conflict");
  twice = post_error (REFUND, id, manager, body, 409, "conflict");
  g_assert_cmpint (json_array_get_int_element (
                     json_object_get_array_member (gt_error_details (twice), "tickets"), 0),
                   ==, ticket_id (booking, "C5"));
  /* Nor can it be moved; the answer names it as the refund's does. */
  {
    g_autofree char *move_body = g_strdup_printf (
      "{\"showtime_id\":%" G_GINT64_FORMAT
      ",\"reason\":\"x\",\"seats\":[{\"ticket_id\":%" G_GINT64_FORMAT ",\"seat\":\"C6\"}]}",
      showtime, ticket_id (booking, "C5"));
    g_autoptr (JsonNode) moved = post_error (EXCHANGE, id, manager, move_body, 409, "conflict");

    g_assert_cmpint (json_array_get_int_element (
                       json_object_get_array_member (gt_error_details (moved), "tickets"), 0),
                     ==, ticket_id (booking, "C5"));
  }
  foreign = post_error (REFUND, id, manager, "{\"reason\":\"x\",\"tickets\":[999999]}", 422,
                        "invalid_field");
  {
    g_autofree char *dup_body = g_strdup_printf ("{\"reason\":\"x\",\"tickets\":[%" G_GINT64_FORMAT
                                                 ",%" G_GINT64_FORMAT "]}",
                                                 ticket_id (booking, "C3"),
                                                 ticket_id (booking, "C3"));
    dup = post_error (REFUND, id, manager, dup_body, 422, "invalid_field");
  }
  fetched = gt_api (server, "GET", get_path, cashier, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (fetched), "status"), ==,
                   "partially_refunded");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (fetched), "refunded_total"),
                   ==, 35000);

  /* The rest: the booking is refunded, by the remaining price. */
  full = post (REFUND, id, manager, "{\"reason\":\"Family went home\"}", 200);
  result = json_node_get_object (full);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "refunded");
  g_assert_cmpint (json_object_get_int_member (result, "refunded_total"), ==, 135000);
  assert_settlement (result, 100000, payment_method (booking));
  g_assert_true (json_object_has_member (result, "refunded_at"));
  after = gt_seat_map (server, manager, showtime);
  gt_assert_seat_map_changed (before, after,
                              (const char *[]){ "C3=free", "C4=free", "C5=free", NULL });
  again = post_error (REFUND, id, manager, "{\"reason\":\"x\"}", 409, "conflict");
}

/* The booking after an exchange, with seat states checked right after. */
static void
test_exchange_seat (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           showtime = gt_create_setup (server, manager, 33);
  g_autoptr (JsonNode) sold =
    gt_sell_tickets (server, cashier, showtime,
                     "[{\"seat\":\"D3\",\"type\":\"adult\"},{\"seat\":\"D4\",\"type\":\"child\"}]",
                     CASH (85000), NULL);
  g_autoptr (JsonNode) other = gt_sell (server, cashier, showtime, "[\"E1\"]");
  JsonObject      *booking = json_node_get_object (sold);
  gint64           id = json_object_get_int_member (booking, "id");
  g_autofree char *old_code = g_strdup (
    json_object_get_string_member (gt_booking_ticket (booking, "D3"), "code"));
  g_autofree char *old_path = g_strdup_printf ("/tickets/%s", old_code);
  g_autoptr (GHashTable) before = gt_seat_map (server, manager, showtime);
  g_autoptr (GHashTable) after = NULL;
  g_autoptr (GHashTable) after_swap = NULL;
  g_autoptr (GHashTable) unchanged = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  g_autoptr (JsonNode) moved = NULL;
  g_autoptr (JsonNode) swapped = NULL;
  g_autoptr (JsonNode) old_ticket = NULL;
  g_autoptr (JsonNode) new_ticket = NULL;
  g_autoptr (JsonNode) taken = NULL;
  g_autoptr (JsonNode) unknown = NULL;
  g_autoptr (JsonNode) dup = NULL;
  g_autofree char *body = NULL;
  g_autofree char *new_path = NULL;
  JsonObject      *result;
  JsonArray       *seats;
  gint64           rev = rev_now (manager);

  body = g_strdup_printf ("{\"showtime_id\":%" G_GINT64_FORMAT ",\"reason\":\"Wants the aisle\","
                          "\"seats\":[{\"ticket_id\":%" G_GINT64_FORMAT ",\"seat\":\"D5\"}]}",
                          showtime, ticket_id (booking, "D3"));
  moved = post (EXCHANGE, id, manager, body, 200);
  result = json_node_get_object (moved);

  /* Right after: the old seat free, the new one sold, nothing else. */
  after = gt_seat_map (server, manager, showtime);
  gt_assert_seat_map_changed (before, after, (const char *[]){ "D3=free", "D5=sold", NULL });
  changes = seat_changes_since (manager, rev, showtime, NULL);
  assert_changes (changes, (const char *[]){ "D3=free", "D5=sold", NULL });

  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "paid");
  g_assert_cmpint (json_object_get_int_member (result, "total"), ==, 85000);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (result, "tickets")), ==,
                    2);
  g_assert_cmpstr (json_object_get_string_member (gt_booking_ticket (result, "D5"), "type"), ==,
                   "adult");
  g_assert_cmpint (json_object_get_int_member (gt_booking_ticket (result, "D5"), "price"), ==,
                   50000);

  /* A new code; the old one no longer finds a ticket. */
  new_path = g_strdup_printf ("/tickets/%s",
                              json_object_get_string_member (gt_booking_ticket (result, "D5"),
                                                             "code"));
  g_assert_cmpstr (old_code, !=,
                   json_object_get_string_member (gt_booking_ticket (result, "D5"), "code"));
  old_ticket = gt_api_error (server, "GET", old_path, cashier, NULL, 404, "not_found");
  new_ticket = gt_api (server, "GET", new_path, cashier, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (new_ticket), "seat"), ==,
                   "D5");

  /* Two tickets swap seats in one exchange. */
  g_free (body);
  body = g_strdup_printf ("{\"showtime_id\":%" G_GINT64_FORMAT ",\"reason\":\"Swap\","
                          "\"seats\":[{\"ticket_id\":%" G_GINT64_FORMAT ",\"seat\":\"D4\"},"
                          "{\"ticket_id\":%" G_GINT64_FORMAT ",\"seat\":\"D5\"}]}",
                          showtime, ticket_id (result, "D5"), ticket_id (result, "D4"));
  swapped = post (EXCHANGE, id, manager, body, 200);
  g_assert_cmpstr (json_object_get_string_member (gt_booking_ticket (json_node_get_object (swapped),
                                                                     "D4"),
                                                  "type"),
                   ==, "adult");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (swapped), "total"), ==, 85000);
  after_swap = gt_seat_map (server, manager, showtime);
  gt_assert_seat_map_changed (after, after_swap, NULL);

  /* A seat sold to someone else: nothing moves. */
  seats = json_object_get_array_member (json_node_get_object (swapped), "tickets");
  g_free (body);
  body = g_strdup_printf (
    "{\"showtime_id\":%" G_GINT64_FORMAT ",\"reason\":\"x\","
    "\"seats\":[{\"ticket_id\":%" G_GINT64_FORMAT ",\"seat\":\"A8\"},"
    "{\"ticket_id\":%" G_GINT64_FORMAT ",\"seat\":\"E1\"}]}",
    showtime, json_object_get_int_member (json_array_get_object_element (seats, 0), "id"),
    json_object_get_int_member (json_array_get_object_element (seats, 1), "id"));
  taken = post_error (EXCHANGE, id, manager, body, 409, "seat_unavailable");
  {
    JsonArray *list = json_object_get_array_member (gt_error_details (taken), "seats");

    g_assert_cmpuint (json_array_get_length (list), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (list, 0), ==, "E1");
  }
  g_free (body);
  body = g_strdup_printf ("{\"showtime_id\":%" G_GINT64_FORMAT ",\"reason\":\"x\","
                          "\"seats\":[{\"ticket_id\":%" G_GINT64_FORMAT ",\"seat\":\"Z99\"}]}",
                          showtime,
                          json_object_get_int_member (json_array_get_object_element (seats, 0),
                                                      "id"));
  unknown = post_error (EXCHANGE, id, manager, body, 422, "unknown_seat");
  g_free (body);
  body = g_strdup_printf (
    "{\"showtime_id\":%" G_GINT64_FORMAT ",\"reason\":\"x\","
    "\"seats\":[{\"ticket_id\":%" G_GINT64_FORMAT ",\"seat\":\"A7\"},"
    "{\"ticket_id\":%" G_GINT64_FORMAT ",\"seat\":\"A7\"}]}",
    showtime, json_object_get_int_member (json_array_get_object_element (seats, 0), "id"),
    json_object_get_int_member (json_array_get_object_element (seats, 1), "id"));
  dup = post_error (EXCHANGE, id, manager, body, 422, "invalid_field");
  unchanged = gt_seat_map (server, manager, showtime);
  gt_assert_seat_map_changed (after_swap, unchanged, NULL);
}

static gint64
showtime_with_prices (const char *token, gint64 starts_at, int adult, int child)
{
  gint64           movie = gt_create_movie (server, token, 100);
  gint64           auditorium = gt_create_auditorium (server, token, 5, 8, 4);
  g_autofree char *start = gt_time_format (starts_at);
  g_autofree char *body =
    g_strdup_printf ("{\"movie_id\":%" G_GINT64_FORMAT ",\"auditorium_id\":%" G_GINT64_FORMAT ","
                     "\"starts_at\":\"%s\",\"prices\":{\"adult\":%d,\"child\":%d}}",
                     movie, auditorium, start, adult, child);
  g_autoptr (JsonNode) node = gt_api (server, "POST", "/showtimes", token, body, 201);

  return json_object_get_int_member (json_node_get_object (node), "id");
}

static void
test_exchange_showtime (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           showtime = gt_create_setup (server, manager, 34);
  gint64 dearer = showtime_with_prices (manager, gt_day_start (35, 13 * 60), 65000, 40000);
  gint64 cheaper = showtime_with_prices (manager, gt_day_start (36, 13 * 60), 30000, 20000);
  gint64 started = showtime_with_prices (manager, g_get_real_time () / G_USEC_PER_SEC - 600, 50000,
                                         35000);
  g_autoptr (JsonNode) sold =
    gt_sell_tickets (server, cashier, showtime,
                     "[{\"seat\":\"B1\",\"type\":\"adult\"},{\"seat\":\"B2\",\"type\":\"child\"}]",
                     CASH (85000), "Sari");
  JsonObject *booking = json_node_get_object (sold);
  gint64      id = json_object_get_int_member (booking, "id");
  g_autoptr (GHashTable) old_before = gt_seat_map (server, manager, showtime);
  g_autoptr (GHashTable) new_before = gt_seat_map (server, manager, dearer);
  g_autoptr (GHashTable) old_after = NULL;
  g_autoptr (GHashTable) new_after = NULL;
  g_autoptr (GHashTable) cheap_before = gt_seat_map (server, manager, cheaper);
  g_autoptr (GHashTable) cheap_after = NULL;
  g_autoptr (GPtrArray) old_changes = NULL;
  g_autoptr (GPtrArray) new_changes = NULL;
  g_autoptr (JsonNode) up = NULL;
  g_autoptr (JsonNode) down = NULL;
  g_autoptr (JsonNode) closed = NULL;
  g_autoptr (JsonNode) no_showtime = NULL;
  g_autoptr (JsonNode) audit = NULL;
  g_autofree char *body = NULL;
  JsonObject      *result;
  gint64           rev = rev_now (manager);

  /* Only the adult moves to a dearer showtime: 15000 more. */
  body = g_strdup_printf ("{\"showtime_id\":%" G_GINT64_FORMAT ",\"reason\":\"Later show\","
                          "\"method\":\"cash\",\"seats\":[{\"ticket_id\":%" G_GINT64_FORMAT
                          ",\"seat\":\"C4\"}]}",
                          dearer, ticket_id (booking, "B1"));
  up = post (EXCHANGE, id, manager, body, 200);
  result = json_node_get_object (up);
  g_assert_cmpint (json_object_get_int_member (result, "total"), ==, 100000);
  assert_settlement (result, -15000, "cash");
  g_assert_cmpint (json_object_get_int_member (gt_booking_ticket (result, "C4"), "showtime_id"), ==,
                   dearer);
  g_assert_cmpint (json_object_get_int_member (gt_booking_ticket (result, "C4"), "price"), ==,
                   65000);
  /* The child is still at the first showtime: so is the booking. */
  g_assert_cmpint (json_object_get_int_member (result, "showtime_id"), ==, showtime);

  old_after = gt_seat_map (server, manager, showtime);
  new_after = gt_seat_map (server, manager, dearer);
  gt_assert_seat_map_changed (old_before, old_after, (const char *[]){ "B1=free", NULL });
  gt_assert_seat_map_changed (new_before, new_after, (const char *[]){ "C4=sold", NULL });
  old_changes = seat_changes_since (manager, rev, showtime, NULL);
  new_changes = seat_changes_since (manager, rev, dearer, NULL);
  assert_changes (old_changes, (const char *[]){ "B1=free", NULL });
  assert_changes (new_changes, (const char *[]){ "C4=sold", NULL });

  /* Both to a cheaper showtime: 65000 + 35000 → 30000 + 20000, 50000 back. */
  g_free (body);
  body = g_strdup_printf ("{\"showtime_id\":%" G_GINT64_FORMAT ",\"reason\":\"Matinee\","
                          "\"seats\":[{\"ticket_id\":%" G_GINT64_FORMAT ",\"seat\":\"A1\"},"
                          "{\"ticket_id\":%" G_GINT64_FORMAT ",\"seat\":\"A2\"}]}",
                          cheaper, ticket_id (result, "C4"), ticket_id (result, "B2"));
  down = post (EXCHANGE, id, manager, body, 200);
  result = json_node_get_object (down);
  g_assert_cmpint (json_object_get_int_member (result, "total"), ==, 50000);
  assert_settlement (result, 50000, payment_method (booking));
  g_assert_cmpint (json_object_get_int_member (result, "showtime_id"), ==, cheaper);
  cheap_after = gt_seat_map (server, manager, cheaper);
  gt_assert_seat_map_changed (cheap_before, cheap_after,
                              (const char *[]){ "A1=sold", "A2=sold", NULL });
  g_clear_pointer (&old_after, g_hash_table_unref);
  g_clear_pointer (&new_after, g_hash_table_unref);
  old_after = gt_seat_map (server, manager, showtime);
  new_after = gt_seat_map (server, manager, dearer);
  gt_assert_seat_map_changed (old_before, old_after,
                              (const char *[]){ "B1=free", "B2=free", NULL });
  gt_assert_seat_map_changed (new_before, new_after, NULL);

  /* Into a showtime that has started, or one that does not exist: no. */
  g_free (body);
  body = g_strdup_printf ("{\"showtime_id\":%" G_GINT64_FORMAT ",\"reason\":\"x\","
                          "\"seats\":[{\"ticket_id\":%" G_GINT64_FORMAT ",\"seat\":\"A1\"}]}",
                          started, ticket_id (result, "A1"));
  closed = post_error (EXCHANGE, id, manager, body, 409, "showtime_closed");
  g_free (body);
  body = g_strdup_printf ("{\"showtime_id\":999999,\"reason\":\"x\","
                          "\"seats\":[{\"ticket_id\":%" G_GINT64_FORMAT ",\"seat\":\"A1\"}]}",
                          ticket_id (result, "A1"));
  no_showtime = post_error (EXCHANGE, id, manager, body, 422, "invalid_field");
  g_clear_pointer (&cheap_before, g_hash_table_unref);
  cheap_before = gt_seat_map (server, manager, cheaper);
  gt_assert_seat_map_changed (cheap_after, cheap_before, NULL);

  /* The audit log has both exchanges, with the differences. */
  audit = gt_api (server, "GET", "/audit?limit=50", manager, NULL, 200);
  {
    JsonArray *entries = json_object_get_array_member (json_node_get_object (audit), "entries");
    gint64     differences[2] = { 0, 0 };
    guint      found = 0;

    for (guint i = 0; i < json_array_get_length (entries); i++)
      {
        JsonObject *entry = json_array_get_object_element (entries, i);

        if (!g_str_equal (json_object_get_string_member (entry, "action"), "exchange")
            || json_object_get_int_member (entry, "object_id") != id)
          continue;
        g_assert_cmpuint (found, <, 2);
        differences[found++] = json_object_get_int_member (
          json_object_get_object_member (entry, "details"), "difference");
      }
    g_assert_cmpuint (found, ==, 2);
    /* newest first */
    g_assert_cmpint (differences[0], ==, -50000);
    g_assert_cmpint (differences[1], ==, 15000);
  }
}

static void
test_search (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           showtime = gt_create_setup (server, manager, 37);
  g_autofree char *name = g_strdup_printf ("Dewi Ñandú %d", (int) getpid ());
  g_autoptr (JsonNode)
    first = gt_sell_tickets (server, cashier, showtime, "[{\"seat\":\"E7\",\"type\":\"adult\"}]",
                             CASH (50000), name);
  g_autoptr (JsonNode)
    second = gt_sell_tickets (server, cashier, showtime, "[{\"seat\":\"E8\",\"type\":\"child\"}]",
                              CASH (35000), name);
  const char      *code = json_object_get_string_member (json_node_get_object (first), "code");
  g_autofree char *date = gt_cinema_date (server, gt_day_start (37, 13 * 60));
  g_autofree char *prefix = g_ascii_strdown (code, 6);
  g_autofree char *needle = g_strdup_printf ("ñANDÚ %d", (int) getpid ());
  g_autofree char *escaped = g_uri_escape_string (needle, NULL, FALSE);
  g_autofree char *by_name = g_strdup_printf ("/bookings?q=%s", escaped);
  g_autofree char *by_code = g_strdup_printf ("/bookings?q=%s", prefix);
  g_autofree char *by_seat = g_strdup_printf ("/bookings?q=E7&date=%s", date);
  g_autofree char *by_day = g_strdup_printf ("/bookings?date=%s", date);
  const char      *other_day = "/bookings?q=E7&date=2001-01-01";
  g_autofree char *today = gt_cinema_date (server, g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *sold_today = g_strdup_printf ("/bookings?day=%s", today);
  g_autofree char *plays_then = g_strdup_printf ("/bookings?day=%s", date);
  g_autoptr (JsonNode) node = NULL;
  JsonArray *list;

  /* A customer's name, any case, any part: both, newest first. */
  node = gt_api (server, "GET", by_name, manager, NULL, 200);
  list = json_object_get_array_member (json_node_get_object (node), "bookings");
  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (list, 0), "id"), ==,
                   json_object_get_int_member (json_node_get_object (second), "id"));
  g_assert_cmpuint (json_array_get_length (
                      json_object_get_array_member (json_array_get_object_element (list, 1),
                                                    "tickets")),
                    ==, 1);
  g_clear_pointer (&node, json_node_unref);

  /* A code's beginning, in lower case. */
  node = gt_api (server, "GET", by_code, manager, NULL, 200);
  list = json_object_get_array_member (json_node_get_object (node), "bookings");
  g_assert_cmpuint (json_array_get_length (list), >=, 1);
  {
    gboolean found = FALSE;

    for (guint i = 0; i < json_array_get_length (list); i++)
      {
        const char *c = json_object_get_string_member (json_array_get_object_element (list, i),
                                                       "code");

        g_assert_true (g_ascii_strncasecmp (c, prefix, strlen (prefix)) == 0);
        found |= g_str_equal (c, code);
      }
    g_assert_true (found);
  }
  g_clear_pointer (&node, json_node_unref);

  /* A seat, on the showtime's day; not on another day. */
  node = gt_api (server, "GET", by_seat, manager, NULL, 200);
  list = json_object_get_array_member (json_node_get_object (node), "bookings");
  {
    gboolean found = FALSE;

    for (guint i = 0; i < json_array_get_length (list); i++)
      found |= g_str_equal (json_object_get_string_member (json_array_get_object_element (list, i),
                                                           "code"),
                            code);
    g_assert_true (found);
  }
  g_clear_pointer (&node, json_node_unref);
  node = gt_api (server, "GET", by_day, manager, NULL, 200);
  list = json_object_get_array_member (json_node_get_object (node), "bookings");
  g_assert_cmpuint (json_array_get_length (list), >=, 2);
  g_assert_cmpuint (json_array_get_length (list), <=, 100);
  g_clear_pointer (&node, json_node_unref);
  node = gt_api (server, "GET", other_day, manager, NULL, 200);
  g_assert_cmpuint (json_array_get_length (
                      json_object_get_array_member (json_node_get_object (node), "bookings")),
                    ==, 0);
  g_clear_pointer (&node, json_node_unref);

  /* The manager's day: what was sold that day, and what plays that day. */
  for (guint k = 0; k < 2; k++)
    {
      gboolean found = FALSE;

      node = gt_api (server, "GET", k == 0 ? sold_today : plays_then, manager, NULL, 200);
      list = json_object_get_array_member (json_node_get_object (node), "bookings");
      for (guint i = 0; i < json_array_get_length (list); i++)
        found |= g_str_equal (
          json_object_get_string_member (json_array_get_object_element (list, i), "code"), code);
      g_assert_true (found);
      g_clear_pointer (&node, json_node_unref);
    }
  node = gt_api (server, "GET", "/bookings?day=2001-01-01", manager, NULL, 200);
  g_assert_cmpuint (json_array_get_length (
                      json_object_get_array_member (json_node_get_object (node), "bookings")),
                    ==, 0);
  g_clear_pointer (&node, json_node_unref);
  node = gt_api_error (server, "GET", "/bookings?day=tomorrow", manager, NULL, 422,
                       "invalid_field");
  g_assert_cmpstr (json_object_get_string_member (gt_error_details (node), "field"), ==, "day");
  g_clear_pointer (&node, json_node_unref);

  /* The old forms still work, for a cashier too. */
  {
    g_autofree char *old_form = g_strdup_printf ("/bookings?code=%s", code);

    node = gt_api (server, "GET", old_form, cashier, NULL, 200);
    g_assert_cmpuint (json_array_get_length (
                        json_object_get_array_member (json_node_get_object (node), "bookings")),
                      ==, 1);
    g_clear_pointer (&node, json_node_unref);
  }
  node = gt_api_error (server, "GET", by_name, cashier, NULL, 403, "forbidden");
}

static JsonObject *
find_entry (JsonArray *entries, const char *action, gint64 object_id)
{
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);

      if (g_str_equal (json_object_get_string_member (entry, "action"), action)
          && (object_id == 0 || json_object_get_int_member (entry, "object_id") == object_id))
        return entry;
    }
  g_error ("no audit entry %s %" G_GINT64_FORMAT, action, object_id);
  return NULL;
}

static void
test_audit (void)
{
  g_autofree char *admin = gt_login (server, "admin");
  g_autofree char *boss = gt_make_user (server, admin, "boss", "manager");
  g_autofree char *manager = gt_login_at (server, boss, "Back office");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           movie = gt_create_movie (server, manager, 95);
  gint64           showtime = gt_create_setup (server, manager, 38);
  g_autoptr (JsonNode) sold = gt_sell (server, cashier, showtime, "[\"A1\",\"A2\"]");
  JsonObject      *booking = json_node_get_object (sold);
  gint64           id = json_object_get_int_member (booking, "id");
  g_autofree char *movie_path = g_strdup_printf ("/movies/%" G_GINT64_FORMAT, movie);
  g_autofree char *clerk = gt_make_user (server, manager, "clerk", "cashier");
  g_autofree char *refund_body = g_strdup_printf (
    "{\"reason\":\"Seat broken\",\"tickets\":[%" G_GINT64_FORMAT "]}", ticket_id (booking, "A1"));
  g_autofree char *exchange_body = g_strdup_printf ("{\"showtime_id\":%" G_GINT64_FORMAT
                                                    ",\"reason\":\"Sight line\","
                                                    "\"seats\":[{\"ticket_id\":%" G_GINT64_FORMAT
                                                    ",\"seat\":\"C4\"}]}",
                                                    showtime, ticket_id (booking, "A2"));
  g_autofree char *today = gt_cinema_date (server, g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *today_path = g_strdup_printf ("/audit?date=%s&limit=200", today);
  g_autoptr (JsonNode) patched = NULL;
  g_autoptr (JsonNode) refunded = NULL;
  g_autoptr (JsonNode) exchanged = NULL;
  g_autoptr (JsonNode) users = NULL;
  g_autoptr (JsonNode) log = NULL;
  g_autoptr (JsonNode) one = NULL;
  g_autoptr (JsonNode) yesterday = NULL;
  g_autoptr (JsonNode) deleted = NULL;
  JsonArray  *entries;
  JsonObject *entry;
  gint64      clerk_id = 0;

  patched = gt_api (server, "PATCH", movie_path, manager,
                    "{\"rating\":\"17+\",\"reason\":\"Board decision\"}", 200);
  deleted = gt_api (server, "DELETE", movie_path, manager, NULL, 204);
  refunded = post (REFUND, id, manager, refund_body, 200);
  exchanged = post (EXCHANGE, id, manager, exchange_body, 200);
  users = gt_api (server, "GET", "/users", manager, NULL, 200);
  {
    JsonArray *list = json_object_get_array_member (json_node_get_object (users), "users");

    for (guint i = 0; i < json_array_get_length (list); i++)
      if (g_str_equal (json_object_get_string_member (json_array_get_object_element (list, i),
                                                      "username"),
                       clerk))
        clerk_id = json_object_get_int_member (json_array_get_object_element (list, i), "id");
  }
  g_assert_cmpint (clerk_id, >, 0);
  {
    g_autofree char *path = g_strdup_printf ("/users/%" G_GINT64_FORMAT, clerk_id);
    g_autoptr (JsonNode)
      changed = gt_api (server, "PATCH", path, manager,
                        "{\"display_name\":\"Clerk\",\"password\":\"secret-1\"}", 200);
  }

  log = gt_api (server, "GET", today_path, manager, NULL, 200);
  entries = json_object_get_array_member (json_node_get_object (log), "entries");

  /* Newest first. */
  for (guint i = 1; i < json_array_get_length (entries); i++)
    g_assert_cmpint (
      gt_time_parse (
        json_object_get_string_member (json_array_get_object_element (entries, i - 1), "at")),
      >=,
      gt_time_parse (
        json_object_get_string_member (json_array_get_object_element (entries, i), "at")));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (entries, 0),
                                                  "action"),
                   ==, "user.update");

  entry = find_entry (entries, "refund", id);
  g_assert_cmpstr (json_object_get_string_member (entry, "kind"), ==, "booking");
  /* Each entry names its object as a person would: the booking's code. */
  g_assert_cmpstr (json_object_get_string_member (entry, "name"), ==,
                   json_object_get_string_member (booking, "code"));
  g_assert_cmpstr (json_object_get_string_member (entry, "reason"), ==, "Seat broken");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "user"),
                                                  "username"),
                   ==, boss);
  g_assert_cmpstr (json_object_get_string_member (entry, "counter"), ==, "Back office");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (entry, "details"),
                                               "amount"),
                   ==, 50000);

  entry = find_entry (entries, "exchange", id);
  g_assert_cmpstr (json_object_get_string_member (entry, "reason"), ==, "Sight line");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "user"),
                                                  "username"),
                   ==, boss);

  entry = find_entry (entries, "movie.update", movie);
  g_assert_cmpstr (json_object_get_string_member (entry, "reason"), ==, "Board decision");
  g_assert_cmpstr (
    json_object_get_string_member (
      json_object_get_object_member (json_object_get_object_member (entry, "details"), "changes"),
      "rating"),
    ==, "17+");
  find_entry (entries, "movie.create", movie);
  /* A movie since deleted has no name left (its title is in the details). */
  g_assert_true (json_object_get_null_member (find_entry (entries, "movie.delete", movie), "name"));
  g_assert_cmpstr (json_object_get_string_member (find_entry (entries, "showtime.create", showtime),
                                                  "name"),
                   !=, "");
  find_entry (entries, "auditorium.create", 0);
  g_assert_cmpstr (json_object_get_string_member (find_entry (entries, "user.create", clerk_id),
                                                  "name"),
                   ==, clerk);

  /* A password change is recorded, never the password. */
  entry = find_entry (entries, "user.update", clerk_id);
  {
    g_autofree char *text = NULL;
    g_autoptr (JsonNode) wrap = json_node_init_object (json_node_alloc (), entry);

    text = json_to_string (wrap, FALSE);
    g_assert_null (strstr (text, "secret-1"));
    g_assert_true (json_object_get_boolean_member (
      json_object_get_object_member (json_object_get_object_member (entry, "details"), "changes"),
      "password"));
  }

  one = gt_api (server, "GET", "/audit?limit=1", manager, NULL, 200);
  g_assert_cmpuint (json_array_get_length (
                      json_object_get_array_member (json_node_get_object (one), "entries")),
                    ==, 1);
  yesterday = gt_api (server, "GET", "/audit?date=2001-01-01", manager, NULL, 200);
  g_assert_cmpuint (json_array_get_length (
                      json_object_get_array_member (json_node_get_object (yesterday), "entries")),
                    ==, 0);
}

int
main (int argc, char *argv[])
{
  gt_fixture_init (&argc, &argv);
  server = gt_fixture_server ("main", (const char *[]){ "--demo", NULL });

  gt_fixture_add ("/manager/roles", test_roles);
  gt_fixture_add ("/manager/partial-refund", test_partial_refund);
  gt_fixture_add ("/manager/exchange-seat", test_exchange_seat);
  gt_fixture_add ("/manager/exchange-showtime", test_exchange_showtime);
  gt_fixture_add ("/manager/search", test_search);
  gt_fixture_add ("/manager/audit", test_audit);

  return gt_fixture_run ();
}
