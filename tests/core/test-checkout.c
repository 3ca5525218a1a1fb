/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gt-core-fixture.h"

#define TWO_TICKETS(a, b)                                                                          \
  "\"tickets\":[{\"seat\":\"" a "\",\"type\":\"adult\"},{\"seat\":\"" b "\",\"type\":\"child\"}]"

static JsonObject *
checkout (GtCoreFixture *f,
          GtPrincipal   *principal,
          gint64         hold_id,
          const char    *key,
          const char    *body_text,
          gboolean      *replayed,
          GError       **error)
{
  g_autoptr (JsonObject) body = gt_core_json ("%s", body_text);
  gboolean dummy;

  return gt_engine_checkout (f->engine, principal, hold_id, key, body, replayed ? replayed : &dummy,
                             error);
}

static gint64
count_where (GtCoreFixture *f, const char *sql)
{
  return gt_core_count (f->engine, sql);
}

static void
assert_state (GtCoreFixture *f, const char *seat, const char *expected)
{
  g_autofree char *state = gt_core_seat_state (f->engine, NULL, f->showtime_id, seat);

  g_assert_cmpstr (state, ==, expected);
}

static gint64
seats_free (GtCoreFixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) showtime = gt_engine_get_showtime (f->engine, f->showtime_id, &error);

  g_assert_no_error (error);
  return json_object_get_int_member (showtime, "seats_free");
}

/* Sells B3 (adult) and B4 (child) for cash, 100000 tendered. */
static JsonObject *
sell_two (GtCoreFixture *f, const char *key)
{
  g_autoptr (GError) error = NULL;
  gint64      hold_id = gt_core_hold (f->engine, f->cashier, f->showtime_id, "B3", "B4", NULL);
  gboolean    replayed = TRUE;
  JsonObject *booking;

  booking =
    checkout (f, f->cashier, hold_id, key,
              "{" TWO_TICKETS ("B3", "B4") ",\"payment\":{\"method\":\"cash\","
                                           "\"tendered\":100000},\"customer\":{\"name\":\"Budi\"}}",
              &replayed, &error);
  g_assert_no_error (error);
  g_assert_nonnull (booking);
  g_assert_false (replayed);
  return booking;
}

static void
test_checkout_cash (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) booking = sell_two (f, "key-cash");
  g_autoptr (JsonObject) again = NULL;
  g_autoptr (JsonObject) found = NULL;
  g_autofree char *lower = NULL;
  JsonObject      *payment;
  JsonArray       *tickets;
  gint64           id = json_object_get_int_member (booking, "id");

  g_assert_cmpstr (json_object_get_string_member (booking, "status"), ==, "paid");
  g_assert_cmpint (json_object_get_int_member (booking, "showtime_id"), ==, f->showtime_id);
  g_assert_cmpint (json_object_get_int_member (booking, "total"), ==, 85000);
  /* GT- and six characters, none that reads like a digit (I, L, O, U). */
  g_assert_true (g_regex_match_simple ("^GT-[0-9A-HJKMNP-TV-Z]{6}$",
                                       json_object_get_string_member (booking, "code"), 0, 0));
  g_assert_cmpstr (json_object_get_string_member (booking, "cashier"), ==, "cashier");
  g_assert_cmpstr (json_object_get_string_member (booking, "counter"), ==, "Counter 1");
  g_assert_true (json_object_has_member (booking, "created_at"));
  payment = json_object_get_object_member (booking, "payment");
  g_assert_cmpstr (json_object_get_string_member (payment, "method"), ==, "cash");
  g_assert_cmpint (json_object_get_int_member (payment, "amount"), ==, 85000);
  g_assert_cmpint (json_object_get_int_member (payment, "tendered"), ==, 100000);
  g_assert_cmpint (json_object_get_int_member (payment, "change"), ==, 15000);

  tickets = json_object_get_array_member (booking, "tickets");
  g_assert_cmpuint (json_array_get_length (tickets), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *ticket = json_array_get_object_element (tickets, i);

      g_assert_cmpstr (json_object_get_string_member (ticket, "seat"), ==, i ? "B4" : "B3");
      g_assert_cmpstr (json_object_get_string_member (ticket, "type"), ==, i ? "child" : "adult");
      g_assert_cmpint (json_object_get_int_member (ticket, "price"), ==,
                       i ? GT_CORE_PRICE_CHILD : GT_CORE_PRICE_ADULT);
      g_assert_true (json_object_get_null_member (ticket, "checked_in_at"));
      g_assert_true (gt_engine_verify_ticket_code (f->engine,
                                                   json_object_get_string_member (ticket, "code"),
                                                   NULL));
    }

  /* The seats are sold, and sold once: each claim now names its ticket. */
  assert_state (f, "B3", "sold");
  assert_state (f, "B4", "sold");
  g_assert_cmpint (seats_free (f), ==, 16);
  g_assert_cmpint (count_where (f, "SELECT COUNT (*) FROM seat_claim WHERE ticket_id IS NOT NULL"
                                   " AND hold_id IS NULL"),
                   ==, 2);
  g_assert_cmpint (count_where (f, "SELECT COUNT (*) FROM ticket"), ==, 2);

  /* One sale payment row, with the cash given and the change. */
  g_assert_cmpint (count_where (f, "SELECT COUNT (*) FROM payment WHERE kind = 'sale'"
                                   " AND method = 'cash' AND amount = 85000"
                                   " AND tendered = 100000 AND change = 15000"),
                   ==, 1);
  g_assert_cmpint (count_where (f, "SELECT COUNT (*) FROM payment"), ==, 1);

  again = gt_engine_get_booking (f->engine, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (again, "code"), ==,
                   json_object_get_string_member (booking, "code"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (again, "customer"),
                                                  "name"),
                   ==, "Budi");

  /* Found again by code (as typed at the counter) and by showtime. */
  lower = g_ascii_strdown (json_object_get_string_member (booking, "code"), -1);
  found = gt_engine_find_bookings (f->engine, lower, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gt_core_array_length (found, "bookings"), ==, 1);
  g_clear_pointer (&found, json_object_unref);
  found = gt_engine_find_bookings (f->engine, NULL, f->showtime_id, &error);
  g_assert_cmpuint (gt_core_array_length (found, "bookings"), ==, 1);
  g_clear_pointer (&found, json_object_unref);

  /* The hold is spent. */
  g_clear_pointer (&again, json_object_unref);
  again = gt_engine_get_booking (f->engine, 9999, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_NOT_FOUND);
  g_clear_error (&error);
  {
    g_autoptr (JsonObject) body = gt_core_json ("{\"seats\":[\"B3\"]}");
    g_autoptr (JsonObject)
      hold = gt_engine_create_hold (f->engine, f->cashier, f->showtime_id, body, &error);

    g_assert_error (error, GT_ERROR, GT_ERROR_SEAT_UNAVAILABLE);
  }
}

static void
test_checkout_insufficient (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) booking = NULL;
  g_autoptr (JsonObject) hold = NULL;
  gint64      hold_id = gt_core_hold (f->engine, f->cashier, f->showtime_id, "C1", "C2", NULL);
  JsonObject *details;

  booking = checkout (f, f->cashier, hold_id, "key-short",
                      "{" TWO_TICKETS ("C1", "C2") ",\"payment\":{\"method\":\"cash\","
                                                   "\"tendered\":84999}}",
                      NULL, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_PAYMENT_INSUFFICIENT);
  g_assert_null (booking);
  details = gt_error_get_details (error);
  g_assert_nonnull (details);
  g_assert_cmpint (json_object_get_int_member (details, "total"), ==, 85000);
  g_clear_error (&error);

  /* Nothing sold; the hold still stands. */
  g_assert_cmpint (count_where (f, "SELECT COUNT (*) FROM booking"), ==, 0);
  g_assert_cmpint (count_where (f, "SELECT COUNT (*) FROM ticket"), ==, 0);
  g_assert_cmpint (count_where (f, "SELECT COUNT (*) FROM payment"), ==, 0);
  assert_state (f, "C1", "held");
  hold = gt_engine_get_hold (f->engine, f->cashier, hold_id, &error);
  g_assert_no_error (error);

  /* The same key, now with enough cash, sells: a failed try used nothing up. */
  booking = checkout (f, f->cashier, hold_id, "key-short",
                      "{" TWO_TICKETS ("C1", "C2") ",\"payment\":{\"method\":\"cash\","
                                                   "\"tendered\":85000}}",
                      NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (booking, "payment"),
                                               "change"),
                   ==, 0);
}

static void
test_checkout_card (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) booking = NULL;
  gint64      hold_id = gt_core_hold (f->engine, f->cashier, f->showtime_id, "A5", NULL);
  JsonObject *payment;

  booking = checkout (f, f->cashier, hold_id, "key-card",
                      "{\"tickets\":[{\"seat\":\"A5\",\"type\":\"adult\"}],"
                      "\"payment\":{\"method\":\"card\",\"reference\":\"AUTH-7781\"}}",
                      NULL, &error);
  g_assert_no_error (error);
  payment = json_object_get_object_member (booking, "payment");
  g_assert_cmpstr (json_object_get_string_member (payment, "method"), ==, "card");
  g_assert_cmpint (json_object_get_int_member (payment, "amount"), ==, GT_CORE_PRICE_ADULT);
  g_assert_cmpstr (json_object_get_string_member (payment, "reference"), ==, "AUTH-7781");
  g_assert_false (json_object_has_member (payment, "tendered"));
  g_assert_false (json_object_has_member (payment, "change"));
  g_assert_cmpint (count_where (f, "SELECT COUNT (*) FROM payment WHERE method = 'card'"
                                   " AND reference = 'AUTH-7781' AND tendered IS NULL"
                                   " AND amount = 50000"),
                   ==, 1);
  assert_state (f, "A5", "sold");
}

static void
test_checkout_tickets_must_match (GtCoreFixture *f, gconstpointer data)
{
  static const struct
  {
    const char *body;
    const char *field;
  } bad[] = {
    { "{\"tickets\":[{\"seat\":\"A1\",\"type\":\"adult\"}],"
      "\"payment\":{\"method\":\"cash\",\"tendered\":999999}}",
      "tickets" },
    { "{" TWO_TICKETS ("A1", "A1") ",\"payment\":{\"method\":\"cash\",\"tendered\":999999}}",
      "tickets" },
    { "{" TWO_TICKETS ("A1", "A3") ",\"payment\":{\"method\":\"cash\",\"tendered\":999999}}",
      "tickets" },
    { "{\"tickets\":[{\"seat\":\"A1\",\"type\":\"adult\"},{\"seat\":\"A2\",\"type\":\"adult\"},"
      "{\"seat\":\"A3\",\"type\":\"adult\"}],"
      "\"payment\":{\"method\":\"cash\",\"tendered\":999999}}",
      "tickets" },
    { "{\"tickets\":[{\"seat\":\"A1\",\"type\":\"adult\"},{\"seat\":\"A2\",\"type\":\"senior\"}],"
      "\"payment\":{\"method\":\"cash\",\"tendered\":999999}}",
      "tickets" },
    { "{\"tickets\":[{\"seat\":\"A1\"},{\"seat\":\"A2\",\"type\":\"adult\"}],"
      "\"payment\":{\"method\":\"cash\",\"tendered\":999999}}",
      "tickets" },
    { "{\"payment\":{\"method\":\"cash\",\"tendered\":999999}}", "tickets" },
    { "{" TWO_TICKETS ("A1", "A2") "}", "payment" },
    { "{" TWO_TICKETS ("A1", "A2") ",\"payment\":{\"method\":\"cash\"}}", "payment.tendered" },
    { "{" TWO_TICKETS ("A1", "A2") ",\"payment\":{\"method\":\"bitcoin\"}}", "payment.method" },
  };
  gint64 hold_id = gt_core_hold (f->engine, f->cashier, f->showtime_id, "A1", "A2", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonObject) booking = NULL;
      g_autofree char *key = g_strdup_printf ("key-bad-%u", i);

      g_test_message ("body %s", bad[i].body);
      booking = checkout (f, f->cashier, hold_id, key, bad[i].body, NULL, &error);
      g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_FIELD);
      g_assert_null (booking);
      g_assert_cmpstr (gt_core_error_field (error), ==, bad[i].field);
    }

  /* Without an idempotency key, nothing is sold either. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (JsonObject) booking = NULL;

    booking = checkout (f, f->cashier, hold_id, NULL,
                        "{" TWO_TICKETS ("A1", "A2") ",\"payment\":{\"method\":\"card\"}}", NULL,
                        &error);
    g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_FIELD);
    g_clear_error (&error);
    booking = checkout (f, f->cashier, hold_id, "",
                        "{" TWO_TICKETS ("A1", "A2") ",\"payment\":{\"method\":\"card\"}}", NULL,
                        &error);
    g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_FIELD);
  }

  g_assert_cmpint (count_where (f, "SELECT COUNT (*) FROM ticket"), ==, 0);
  g_assert_cmpint (count_where (f, "SELECT COUNT (*) FROM booking"), ==, 0);
  assert_state (f, "A1", "held");
  assert_state (f, "A2", "held");
}

static void
test_checkout_idempotent (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) first = sell_two (f, "3b241101-e2bb-4255-8caf-4136c566a962");
  g_autoptr (JsonObject) again = NULL;
  g_autoptr (JsonObject) other = NULL;
  gboolean replayed = FALSE;
  gint64   hold_id;

  /* The same key again (a retry after a lost answer): the same booking. */
  again = checkout (f, f->cashier, 0, "3b241101-e2bb-4255-8caf-4136c566a962",
                    "{" TWO_TICKETS ("B3", "B4") ",\"payment\":{\"method\":\"cash\","
                                                 "\"tendered\":100000}}",
                    &replayed, &error);
  g_assert_no_error (error);
  g_assert_true (replayed);
  g_assert_cmpint (json_object_get_int_member (again, "id"), ==,
                   json_object_get_int_member (first, "id"));
  g_assert_cmpstr (json_object_get_string_member (again, "code"), ==,
                   json_object_get_string_member (first, "code"));

  /* Even naming another hold, it sells nothing twice. */
  hold_id = gt_core_hold (f->engine, f->cashier, f->showtime_id, "C4", NULL);
  replayed = FALSE;
  other = checkout (f, f->cashier, hold_id, "3b241101-e2bb-4255-8caf-4136c566a962",
                    "{\"tickets\":[{\"seat\":\"C4\",\"type\":\"adult\"}],"
                    "\"payment\":{\"method\":\"card\"}}",
                    &replayed, &error);
  g_assert_no_error (error);
  g_assert_true (replayed);
  g_assert_cmpint (json_object_get_int_member (other, "id"), ==,
                   json_object_get_int_member (first, "id"));
  assert_state (f, "C4", "held");

  g_assert_cmpint (count_where (f, "SELECT COUNT (*) FROM booking"), ==, 1);
  g_assert_cmpint (count_where (f, "SELECT COUNT (*) FROM ticket"), ==, 2);
  g_assert_cmpint (count_where (f, "SELECT COUNT (*) FROM payment"), ==, 1);
  g_assert_cmpint (count_where (f, "SELECT COUNT (*) FROM seat_claim WHERE ticket_id IS NOT NULL"),
                   ==, 2);
}

static void
test_checkout_hold_gone (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GtPrincipal) other = gt_core_sign_in (f->engine, "cashier2", "cashier", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) booking = NULL;
  gint64      hold_id = gt_core_hold (f->engine, f->cashier, f->showtime_id, "A1", NULL);
  const char *body = "{\"tickets\":[{\"seat\":\"A1\",\"type\":\"adult\"}],"
                     "\"payment\":{\"method\":\"card\"}}";

  /* Another counter cannot pay for my hold. */
  booking = checkout (f, other, hold_id, "key-other", body, NULL, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  _gt_engine_shift_time (f->engine, 301 * G_USEC_PER_SEC);
  booking = checkout (f, f->cashier, hold_id, "key-late", body, NULL, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_HOLD_EXPIRED);
  g_assert_null (booking);
  g_clear_error (&error);
  g_assert_cmpint (count_where (f, "SELECT COUNT (*) FROM ticket"), ==, 0);
  assert_state (f, "A1", "free");

  booking = checkout (f, f->cashier, 9999, "key-none", body, NULL, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_NOT_FOUND);
}

static void
test_checkout_refund (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GtPrincipal) manager = gt_core_sign_in (f->engine, "manager", "manager", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) booking = sell_two (f, "key-refund");
  g_autoptr (JsonObject) refunded = NULL;
  g_autoptr (JsonObject) body = gt_core_json ("{\"reason\":\"Projector broke\"}");
  gint64 id = json_object_get_int_member (booking, "id");

  /* A cashier does not refund. */
  refunded = gt_engine_refund (f->engine, f->cashier, id, body, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_FORBIDDEN);
  g_assert_null (refunded);
  g_clear_error (&error);
  assert_state (f, "B3", "sold");

  refunded = gt_engine_refund (f->engine, manager, id, body, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (refunded, "status"), ==, "refunded");
  g_assert_cmpstr (json_object_get_string_member (refunded, "refund_reason"), ==,
                   "Projector broke");
  g_assert_true (json_object_has_member (refunded, "refunded_at"));

  /* The seats are free at once; the sale and the refund are both on record. */
  assert_state (f, "B3", "free");
  assert_state (f, "B4", "free");
  g_assert_cmpint (seats_free (f), ==, 18);
  g_assert_cmpint (count_where (f, "SELECT COUNT (*) FROM seat_claim"), ==, 0);
  g_assert_cmpint (count_where (f, "SELECT COUNT (*) FROM payment WHERE kind = 'sale'"
                                   " AND amount = 85000"),
                   ==, 1);
  g_assert_cmpint (count_where (f, "SELECT COUNT (*) FROM payment WHERE kind = 'refund'"
                                   " AND amount = 85000 AND method = 'cash'"),
                   ==, 1);
  g_assert_cmpint (count_where (f, "SELECT COUNT (*) FROM ticket"), ==, 2);

  /* Twice is a conflict, and records nothing more. */
  g_clear_pointer (&refunded, json_object_unref);
  refunded = gt_engine_refund (f->engine, manager, id, body, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_CONFLICT);
  g_assert_null (refunded);
  g_clear_error (&error);
  g_assert_cmpint (count_where (f, "SELECT COUNT (*) FROM payment"), ==, 2);

  refunded = gt_engine_refund (f->engine, manager, 9999, body, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The freed seats sell again. */
  gt_core_hold (f->engine, f->cashier, f->showtime_id, "B3", "B4", NULL);
}

static void
test_checkout_sales_protect_catalog (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) booking = sell_two (f, "key-catalog");
  g_autoptr (JsonObject) result = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autofree char *later = gt_time_format (f->starts_at + G_TIME_SPAN_DAY);

  g_assert_false (gt_engine_delete_showtime (f->engine, NULL, f->showtime_id, &error));
  g_assert_error (error, GT_ERROR, GT_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_false (gt_engine_delete_movie (f->engine, NULL, f->movie_id, &error));
  g_assert_error (error, GT_ERROR, GT_ERROR_CONFLICT);
  g_clear_error (&error);

  body = gt_core_json ("{\"starts_at\":\"%s\"}", later);
  result = gt_engine_update_showtime (f->engine, NULL, f->showtime_id, body, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_CONFLICT);
  g_clear_error (&error);
  g_clear_pointer (&body, json_object_unref);

  /* A layout without the seats sold is refused; it names them. */
  body = gt_core_json ("{\"layout\":{\"rows\":[{\"label\":\"Z\",\"seats\":[{\"number\":1}]}]}}");
  result = gt_engine_update_auditorium (f->engine, NULL, f->auditorium_id, body, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_CONFLICT);
  g_assert_cmpuint (json_array_get_length (
                      json_object_get_array_member (gt_error_get_details (error), "seats")),
                    ==, 2);
  g_clear_error (&error);
  g_assert_cmpint (count_where (f, "SELECT COUNT (*) FROM seat"), ==, 18);
  g_clear_pointer (&body, json_object_unref);

  /* Prices of the seats still to sell may change. */
  body = gt_core_json ("{\"prices\":{\"adult\":60000,\"child\":40000}}");
  result = gt_engine_update_showtime (f->engine, NULL, f->showtime_id, body, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpint (count_where (f, "SELECT SUM (price) FROM ticket"), ==, 85000);
}

int
main (int argc, char *argv[])
{
  gt_core_init (&argc, &argv);

  gt_core_add ("/core/checkout/cash", test_checkout_cash);
  gt_core_add ("/core/checkout/insufficient", test_checkout_insufficient);
  gt_core_add ("/core/checkout/card", test_checkout_card);
  gt_core_add ("/core/checkout/tickets-must-match", test_checkout_tickets_must_match);
  gt_core_add ("/core/checkout/idempotent", test_checkout_idempotent);
  gt_core_add ("/core/checkout/hold-gone", test_checkout_hold_gone);
  gt_core_add ("/core/checkout/refund", test_checkout_refund);
  gt_core_add ("/core/checkout/sales-protect-catalog", test_checkout_sales_protect_catalog);

  return g_test_run ();
}
