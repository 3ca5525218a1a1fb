/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-bookings"

#include "config.h"

#include "gt-server-fixture.h"

static GtTestServer *server;
/* The same with --hold-seconds 2, for expiry. */
static GtTestServer *short_server;

static JsonObject *
ticket_for_seat (JsonObject *booking, const char *seat)
{
  JsonArray *tickets = json_object_get_array_member (booking, "tickets");

  g_assert_nonnull (tickets);
  for (guint i = 0; i < json_array_get_length (tickets); i++)
    {
      JsonObject *t = json_array_get_object_element (tickets, i);

      if (g_strcmp0 (json_object_get_string_member (t, "seat"), seat) == 0)
        return t;
    }
  g_error ("no ticket for seat %s", seat);
  return NULL;
}

static gint64
seats_free (GtTestServer *srv, const char *token, gint64 showtime)
{
  g_autofree char *path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT, showtime);
  g_autoptr (JsonNode) node = gt_api (srv, "GET", path, token, NULL, 200);

  return json_object_get_int_member (json_node_get_object (node), "seats_free");
}

static JsonNode *
checkout_expect (GtTestServer *srv,
                 const char   *token,
                 gint64        hold,
                 const char   *key,
                 const char   *body,
                 guint         expected_status,
                 const char   *code)
{
  guint     status = 0;
  JsonNode *node = gt_checkout (srv, token, hold, key, body, &status);

  if (status != expected_status || (code && g_strcmp0 (gt_test_error_code (node), code) != 0))
    {
      g_autofree char *text = node ? json_to_string (node, FALSE) : g_strdup ("(empty)");

      g_error ("checkout of hold %" G_GINT64_FORMAT " with %s: expected %u %s, got %u %s", hold,
               body, expected_status, code ? code : "", status, text);
    }
  if (code != NULL)
    gt_assert_error_shape (node);
  return node;
}

static void
test_checkout_cash (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autofree char *other = gt_login (server, "cashier2");
  gint64           showtime = gt_create_setup (server, manager, 30);
  gint64           free_before = seats_free (server, other, showtime);
  gint64           hold = gt_hold (server, cashier, showtime, "[\"C4\",\"C5\"]");
  gint64           now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr (JsonNode) node = NULL;
  JsonObject *booking;
  JsonObject *payment;
  JsonObject *adult;
  JsonObject *child;
  const char *code;

  node = checkout_expect (server, cashier, hold, NULL,
                          "{\"tickets\":[{\"seat\":\"C4\",\"type\":\"adult\"},"
                          "{\"seat\":\"C5\",\"type\":\"child\"}],"
                          "\"payment\":{\"method\":\"cash\",\"tendered\":100000},"
                          "\"customer\":{\"name\":\"Budi\",\"email\":\"budi@example.com\"}}",
                          201, NULL);
  booking = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (booking, "id"), >, 0);
  code = json_object_get_string_member (booking, "code");
  g_assert_nonnull (code);
  g_assert_cmpuint (strlen (code), >=, 4);
  g_assert_cmpint (json_object_get_int_member (booking, "showtime_id"), ==, showtime);
  g_assert_cmpstr (json_object_get_string_member (booking, "status"), ==, "paid");
  g_assert_cmpint (json_object_get_int_member (booking, "total"), ==, 85000);
  g_assert_cmpstr (json_object_get_string_member (booking, "cashier"), ==, "cashier");
  g_assert_cmpstr (json_object_get_string_member (booking, "counter"), ==, "Test");
  g_assert_cmpint (gt_time_parse (json_object_get_string_member (booking, "created_at")), >=,
                   now - 5);

  payment = json_object_get_object_member (booking, "payment");
  g_assert_nonnull (payment);
  g_assert_cmpstr (json_object_get_string_member (payment, "method"), ==, "cash");
  g_assert_cmpint (json_object_get_int_member (payment, "amount"), ==, 85000);
  g_assert_cmpint (json_object_get_int_member (payment, "tendered"), ==, 100000);
  g_assert_cmpint (json_object_get_int_member (payment, "change"), ==, 15000);

  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (booking, "tickets")), ==,
                    2);
  adult = ticket_for_seat (booking, "C4");
  child = ticket_for_seat (booking, "C5");
  g_assert_cmpstr (json_object_get_string_member (adult, "type"), ==, "adult");
  g_assert_cmpint (json_object_get_int_member (adult, "price"), ==, 50000);
  g_assert_cmpstr (json_object_get_string_member (child, "type"), ==, "child");
  g_assert_cmpint (json_object_get_int_member (child, "price"), ==, 35000);
  g_assert_cmpstr (json_object_get_string_member (adult, "code"), !=,
                   json_object_get_string_member (child, "code"));
  g_assert_cmpint (json_object_get_int_member (adult, "id"), !=,
                   json_object_get_int_member (child, "id"));

  /* sold, for every counter */
  gt_assert_seat_state (server, other, showtime, "C4", "sold");
  gt_assert_seat_state (server, cashier, showtime, "C5", "sold");
  g_assert_cmpint (seats_free (server, other, showtime), ==, free_before - 2);
}

static void
test_checkout_card (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           showtime = gt_create_setup (server, manager, 30);
  gint64           hold = gt_hold (server, cashier, showtime, "[\"D1\"]");
  g_autoptr (JsonNode) node = NULL;
  JsonObject *payment;

  node = checkout_expect (server, cashier, hold, NULL,
                          "{\"tickets\":[{\"seat\":\"D1\",\"type\":\"adult\"}],"
                          "\"payment\":{\"method\":\"card\",\"reference\":\"EDC-0042\"}}",
                          201, NULL);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "total"), ==, 50000);
  payment = json_object_get_object_member (json_node_get_object (node), "payment");
  g_assert_cmpstr (json_object_get_string_member (payment, "method"), ==, "card");
  g_assert_cmpint (json_object_get_int_member (payment, "amount"), ==, 50000);
  g_assert_cmpint (json_object_get_int_member_with_default (payment, "change", 0), ==, 0);
}

static void
test_payment_insufficient (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           showtime = gt_create_setup (server, manager, 30);
  gint64           hold = gt_hold (server, cashier, showtime, "[\"B1\",\"B2\"]");
  g_autofree char *hold_path = g_strdup_printf ("/holds/%" G_GINT64_FORMAT, hold);
  g_autoptr (JsonNode) refused = NULL;
  g_autoptr (JsonNode) still = NULL;
  g_autoptr (JsonNode) paid = NULL;

  refused = checkout_expect (server, cashier, hold, NULL,
                             "{\"tickets\":[{\"seat\":\"B1\",\"type\":\"adult\"},"
                             "{\"seat\":\"B2\",\"type\":\"adult\"}],"
                             "\"payment\":{\"method\":\"cash\",\"tendered\":99999}}",
                             422, "payment_insufficient");

  /* the customer finds another coin: the hold is still there */
  still = gt_api (server, "GET", hold_path, cashier, NULL, 200);
  gt_assert_seat_state (server, manager, showtime, "B1", "held");
  paid = checkout_expect (server, cashier, hold, NULL,
                          "{\"tickets\":[{\"seat\":\"B1\",\"type\":\"adult\"},"
                          "{\"seat\":\"B2\",\"type\":\"adult\"}],"
                          "\"payment\":{\"method\":\"cash\",\"tendered\":100000}}",
                          201, NULL);
  g_assert_cmpint (json_object_get_int_member (
                     json_object_get_object_member (json_node_get_object (paid), "payment"),
                     "change"),
                   ==, 0);
}

#define TWO_ADULTS                                                                                 \
  "{\"tickets\":[{\"seat\":\"E1\",\"type\":\"adult\"},{\"seat\":\"E2\",\"type\":\"adult\"}],"

static void
test_every_seat_once (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           showtime = gt_create_setup (server, manager, 30);
  gint64           hold = gt_hold (server, cashier, showtime, "[\"E1\",\"E2\"]");
  gint64           free_before = seats_free (server, manager, showtime);
  /* each with the member a counter would have to fix */
  const struct
  {
    const char *body;
    const char *field;
  } bad[] = {
    /* a seat left out */
    { "{\"tickets\":[{\"seat\":\"E1\",\"type\":\"adult\"}],"
      "\"payment\":{\"method\":\"cash\",\"tendered\":100000}}",
      "tickets" },
    /* one seat twice */
    { "{\"tickets\":[{\"seat\":\"E1\",\"type\":\"adult\"},{\"seat\":\"E1\",\"type\":\"adult\"}],"
      "\"payment\":{\"method\":\"cash\",\"tendered\":100000}}",
      "tickets" },
    /* a seat not in the hold */
    { "{\"tickets\":[{\"seat\":\"E1\",\"type\":\"adult\"},{\"seat\":\"E2\",\"type\":\"adult\"},"
      "{\"seat\":\"E3\",\"type\":\"adult\"}],\"payment\":{\"method\":\"cash\",\"tendered\":200000}}",
      "tickets" },
    /* no tickets at all */
    { "{\"tickets\":[],\"payment\":{\"method\":\"cash\",\"tendered\":100000}}", "tickets" },
    /* a ticket type with no price */
    { "{\"tickets\":[{\"seat\":\"E1\",\"type\":\"adult\"},{\"seat\":\"E2\",\"type\":\"senior\"}],"
      "\"payment\":{\"method\":\"cash\",\"tendered\":100000}}",
      "tickets" },
    /* an unknown payment method */
    { TWO_ADULTS "\"payment\":{\"method\":\"barter\"}}", "payment.method" },
    /* no payment */
    { "{\"tickets\":[{\"seat\":\"E1\",\"type\":\"adult\"},{\"seat\":\"E2\",\"type\":\"adult\"}]}",
      "payment" },
    /* cash without the amount received */
    { TWO_ADULTS "\"payment\":{\"method\":\"cash\"}}", "payment.tendered" },
    /* a card reference that is not text */
    { TWO_ADULTS "\"payment\":{\"method\":\"card\",\"reference\":42}}", "payment.reference" },
    /* a customer's name that is not text */
    { TWO_ADULTS "\"payment\":{\"method\":\"card\"},\"customer\":{\"name\":[]}}", "customer.name" },
  };
  g_autoptr (JsonNode) ok = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (JsonNode)
        node = checkout_expect (server, cashier, hold, NULL, bad[i].body, 422, "invalid_field");

      g_assert_cmpstr (json_object_get_string_member (gt_error_details (node), "field"), ==,
                       bad[i].field);
    }

  /* nothing was sold, the hold is intact */
  g_assert_cmpint (seats_free (server, manager, showtime), ==, free_before);
  gt_assert_seat_state (server, manager, showtime, "E3", "free");
  ok = checkout_expect (server, cashier, hold, NULL,
                        "{\"tickets\":[{\"seat\":\"E1\",\"type\":\"adult\"},"
                        "{\"seat\":\"E2\",\"type\":\"adult\"}],"
                        "\"payment\":{\"method\":\"cash\",\"tendered\":100000}}",
                        201, NULL);
}

static void
test_idempotency (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           showtime = gt_create_setup (server, manager, 30);
  gint64           free_before = seats_free (server, manager, showtime);
  gint64           hold = gt_hold (server, cashier, showtime, "[\"A5\",\"A6\"]");
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *list_path = g_strdup_printf ("/bookings?showtime_id=%" G_GINT64_FORMAT,
                                                showtime);
  const char      *body = "{\"tickets\":[{\"seat\":\"A5\",\"type\":\"adult\"},"
                          "{\"seat\":\"A6\",\"type\":\"adult\"}],"
                          "\"payment\":{\"method\":\"cash\",\"tendered\":100000}}";
  g_autoptr (JsonNode) first = NULL;
  g_autoptr (JsonNode) second = NULL;
  g_autoptr (JsonNode) third = NULL;
  g_autoptr (JsonNode) list = NULL;
  JsonObject *a;
  JsonObject *b;

  first = checkout_expect (server, cashier, hold, key, body, 201, NULL);
  /* the answer was lost on the way; the counter retries */
  second = checkout_expect (server, cashier, hold, key, body, 200, NULL);
  third = checkout_expect (server, cashier, hold, key, body, 200, NULL);

  a = json_node_get_object (first);
  b = json_node_get_object (second);
  g_assert_cmpint (json_object_get_int_member (a, "id"), ==, json_object_get_int_member (b, "id"));
  g_assert_cmpstr (json_object_get_string_member (a, "code"), ==,
                   json_object_get_string_member (b, "code"));
  g_assert_cmpint (json_object_get_int_member (a, "total"), ==,
                   json_object_get_int_member (b, "total"));
  g_assert_cmpstr (json_object_get_string_member (ticket_for_seat (a, "A5"), "code"), ==,
                   json_object_get_string_member (ticket_for_seat (b, "A5"), "code"));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (third), "id"), ==,
                   json_object_get_int_member (a, "id"));

  /* one booking, two seats sold, nothing twice */
  list = gt_api (server, "GET", list_path, manager, NULL, 200);
  g_assert_cmpuint (json_array_get_length (
                      json_object_get_array_member (json_node_get_object (list), "bookings")),
                    ==, 1);
  g_assert_cmpint (seats_free (server, manager, showtime), ==, free_before - 2);
}

static void
test_get_bookings (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autofree char *other = gt_login (server, "cashier2");
  gint64           showtime = gt_create_setup (server, manager, 30);
  g_autoptr (JsonNode) sold = gt_sell (server, cashier, showtime, "[\"C1\",\"C2\"]");
  g_autoptr (JsonNode) sold2 = gt_sell (server, other, showtime, "[\"C7\"]");
  JsonObject      *booking = json_node_get_object (sold);
  gint64           id = json_object_get_int_member (booking, "id");
  const char      *code = json_object_get_string_member (booking, "code");
  g_autofree char *path = g_strdup_printf ("/bookings/%" G_GINT64_FORMAT, id);
  g_autofree char *escaped = g_uri_escape_string (code, NULL, FALSE);
  g_autofree char *by_code_path = g_strdup_printf ("/bookings?code=%s", escaped);
  g_autofree char *by_showtime_path = g_strdup_printf ("/bookings?showtime_id=%" G_GINT64_FORMAT,
                                                       showtime);
  g_autoptr (JsonNode) by_id = NULL;
  g_autoptr (JsonNode) by_code = NULL;
  g_autoptr (JsonNode) forbidden = NULL;
  g_autoptr (JsonNode) by_showtime = NULL;
  g_autoptr (JsonNode) missing = NULL;
  JsonObject *found;
  JsonArray  *array;

  /* a reprint at another counter */
  by_id = gt_api (server, "GET", path, other, NULL, 200);
  found = json_node_get_object (by_id);
  g_assert_cmpstr (json_object_get_string_member (found, "code"), ==, code);
  g_assert_cmpint (json_object_get_int_member (found, "total"), ==, 100000);
  g_assert_cmpstr (json_object_get_string_member (ticket_for_seat (found, "C2"), "code"), ==,
                   json_object_get_string_member (ticket_for_seat (booking, "C2"), "code"));

  by_code = gt_api (server, "GET", by_code_path, other, NULL, 200);
  array = json_object_get_array_member (json_node_get_object (by_code), "bookings");
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  found = json_array_get_object_element (array, 0);
  g_assert_cmpint (json_object_get_int_member (found, "id"), ==, id);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (found, "tickets")), ==, 2);

  forbidden = gt_api_error (server, "GET", by_showtime_path, cashier, NULL, 403, "forbidden");
  by_showtime = gt_api (server, "GET", by_showtime_path, manager, NULL, 200);
  array = json_object_get_array_member (json_node_get_object (by_showtime), "bookings");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      found = json_array_get_object_element (array, i);
      g_assert_cmpint (json_object_get_int_member (found, "showtime_id"), ==, showtime);
      g_assert_nonnull (json_object_get_array_member (found, "tickets"));
    }

  missing = gt_api_error (server, "GET", "/bookings/999999", cashier, NULL, 404, "not_found");
}

static void
test_refund (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           showtime = gt_create_setup (server, manager, 30);
  gint64           free_before = seats_free (server, cashier, showtime);
  g_autoptr (JsonNode) sold = gt_sell (server, cashier, showtime, "[\"D3\",\"D4\"]");
  gint64           id = json_object_get_int_member (json_node_get_object (sold), "id");
  g_autofree char *path = g_strdup_printf ("/bookings/%" G_GINT64_FORMAT, id);
  g_autofree char *refund_path = g_strdup_printf ("/bookings/%" G_GINT64_FORMAT "/refund", id);
  g_autoptr (JsonNode) forbidden = NULL;
  g_autoptr (JsonNode) refunded = NULL;
  g_autoptr (JsonNode) fetched = NULL;
  g_autoptr (JsonNode) twice = NULL;
  g_autoptr (JsonNode) missing = NULL;
  g_autoptr (JsonNode) resold = NULL;

  forbidden = gt_api_error (server, "POST", refund_path, cashier, "{\"reason\":\"changed mind\"}",
                            403, "forbidden");
  gt_assert_seat_state (server, cashier, showtime, "D3", "sold");

  refunded = gt_api (server, "POST", refund_path, manager, "{\"reason\":\"changed mind\"}", 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (refunded), "status"), ==,
                   "refunded");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (refunded), "id"), ==, id);

  /* back on sale at once */
  gt_assert_seat_state (server, cashier, showtime, "D3", "free");
  gt_assert_seat_state (server, cashier, showtime, "D4", "free");
  g_assert_cmpint (seats_free (server, cashier, showtime), ==, free_before);

  fetched = gt_api (server, "GET", path, cashier, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (fetched), "status"), ==,
                   "refunded");

  twice = gt_api_error (server, "POST", refund_path, manager, "{\"reason\":\"again\"}", 409,
                        "conflict");
  missing = gt_api_error (server, "POST", "/bookings/999999/refund", manager, "{\"reason\":\"x\"}",
                          404, "not_found");
  resold = gt_sell (server, cashier, showtime, "[\"D3\"]");
}

static void
test_checkout_other_session (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autofree char *other = gt_login (server, "cashier2");
  gint64           showtime = gt_create_setup (server, manager, 30);
  gint64           hold = gt_hold (server, cashier, showtime, "[\"A1\"]");
  g_autoptr (JsonNode) node = NULL;

  node = checkout_expect (server, other, hold, NULL,
                          "{\"tickets\":[{\"seat\":\"A1\",\"type\":\"adult\"}],"
                          "\"payment\":{\"method\":\"cash\",\"tendered\":50000}}",
                          404, "not_found");
  gt_assert_seat_state (server, manager, showtime, "A1", "held");
}

static void
test_checkout_expired (void)
{
  g_autofree char *manager = gt_login (short_server, "manager");
  g_autofree char *cashier = gt_login (short_server, "cashier");
  gint64           showtime = gt_create_setup (short_server, manager, 30);
  gint64           free_before = seats_free (short_server, manager, showtime);
  gint64           hold = gt_hold (short_server, cashier, showtime, "[\"B5\"]");
  g_autofree char *hold_path = g_strdup_printf ("/holds/%" G_GINT64_FORMAT, hold);
  gint64           start = g_get_monotonic_time ();
  g_autoptr (JsonNode) node = NULL;
  guint status = 200;

  while (status == 200)
    {
      g_autoptr (JsonNode) polled = NULL;

      g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
      gt_wait_ms (100);
      polled = gt_test_request (gt_fixture_session (), short_server, "GET", hold_path, cashier,
                                NULL, &status);
    }
  g_assert_cmpuint (status, ==, 410);

  node = checkout_expect (short_server, cashier, hold, NULL,
                          "{\"tickets\":[{\"seat\":\"B5\",\"type\":\"adult\"}],"
                          "\"payment\":{\"method\":\"cash\",\"tendered\":50000}}",
                          410, "hold_expired");
  gt_assert_seat_state (short_server, manager, showtime, "B5", "free");
  g_assert_cmpint (seats_free (short_server, manager, showtime), ==, free_before);
}

int
main (int argc, char *argv[])
{
  gt_fixture_init (&argc, &argv);
  server = gt_fixture_server ("main", (const char *[]){ "--demo", NULL });
  short_server = gt_fixture_server ("short",
                                    (const char *[]){ "--demo", "--hold-seconds", "2", NULL });

  gt_fixture_add ("/bookings/checkout-cash", test_checkout_cash);
  gt_fixture_add ("/bookings/checkout-card", test_checkout_card);
  gt_fixture_add ("/bookings/payment-insufficient", test_payment_insufficient);
  gt_fixture_add ("/bookings/every-seat-once", test_every_seat_once);
  gt_fixture_add ("/bookings/idempotency", test_idempotency);
  gt_fixture_add ("/bookings/get", test_get_bookings);
  gt_fixture_add ("/bookings/refund", test_refund);
  gt_fixture_add ("/bookings/checkout-other-session", test_checkout_other_session);
  gt_fixture_add ("/bookings/checkout-expired", test_checkout_expired);

  return gt_fixture_run ();
}
