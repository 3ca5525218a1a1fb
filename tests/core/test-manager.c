/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gt-core-fixture.h"
#include "gt-schema-private.h"

/* The manager's workspace in the engine: partial refunds, exchanges, the
 * audit log, the reports and their CSV. */

static JsonObject *
sell (GtCoreFixture *f, const char *key, const char *body_text, ...)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) body = gt_core_json ("%s", body_text);
  g_autoptr (GPtrArray) seats = g_ptr_array_new ();
  JsonArray  *tickets = json_object_get_array_member (body, "tickets");
  gboolean    replayed = FALSE;
  gint64      hold = 0;
  JsonObject *booking;

  for (guint i = 0; i < json_array_get_length (tickets); i++)
    g_ptr_array_add (seats, (gpointer) json_object_get_string_member (
                              json_array_get_object_element (tickets, i), "seat"));
  g_assert_cmpuint (seats->len, <=, 3);
  g_ptr_array_add (seats, NULL);
  g_ptr_array_add (seats, NULL);
  g_ptr_array_add (seats, NULL);
  hold = gt_core_hold (f->engine, f->cashier, f->showtime_id, g_ptr_array_index (seats, 0),
                       g_ptr_array_index (seats, 1), g_ptr_array_index (seats, 2), NULL);
  booking = gt_engine_checkout (f->engine, f->cashier, hold, key, body, &replayed, &error);
  g_assert_no_error (error);
  g_assert_nonnull (booking);
  return booking;
}

static gint64
ticket_at (JsonObject *booking, const char *seat)
{
  JsonArray *tickets = json_object_get_array_member (booking, "tickets");

  for (guint i = 0; i < json_array_get_length (tickets); i++)
    {
      JsonObject *t = json_array_get_object_element (tickets, i);

      if (g_str_equal (json_object_get_string_member (t, "seat"), seat))
        return json_object_get_int_member (t, "id");
    }
  g_error ("no ticket at %s", seat);
  return 0;
}

static void
assert_state (GtCoreFixture *f, gint64 showtime, const char *seat, const char *expected)
{
  g_autofree char *state = gt_core_seat_state (f->engine, NULL, showtime, seat);

  g_assert_cmpstr (state, ==, expected);
}

#define TWO_CASH                                                                                   \
  "{\"tickets\":[{\"seat\":\"A1\",\"type\":\"adult\"},{\"seat\":\"A2\",\"type\":\"child\"}],"      \
  "\"payment\":{\"method\":\"cash\",\"tendered\":85000}}"

static void
test_partial_refund (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GtPrincipal) manager = gt_core_sign_in (f->engine, "boss", "manager", NULL);
  g_autoptr (JsonObject) booking = sell (f, "k1", TWO_CASH);
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (JsonObject) result = NULL;
  g_autoptr (GError) error = NULL;
  gint64 id = json_object_get_int_member (booking, "id");

  body = gt_core_json ("{\"reason\":\"\",\"tickets\":[%" G_GINT64_FORMAT "]}",
                       ticket_at (booking, "A2"));
  result = gt_engine_refund (f->engine, manager, id, body, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_FIELD);
  g_assert_cmpstr (gt_core_error_field (error), ==, "reason");
  g_clear_error (&error);

  g_clear_pointer (&body, json_object_unref);
  body = gt_core_json ("{\"reason\":\"ill\",\"tickets\":[%" G_GINT64_FORMAT "]}",
                       ticket_at (booking, "A2"));
  result = gt_engine_refund (f->engine, manager, id, body, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "partially_refunded");
  assert_state (f, f->showtime_id, "A1", "sold");
  assert_state (f, f->showtime_id, "A2", "free");
  g_assert_cmpint (gt_core_count (f->engine, "SELECT COUNT (*) FROM payment WHERE kind = 'refund'"
                                             " AND purpose = 'refund' AND amount = 35000"
                                             " AND method = 'cash'"),
                   ==, 1);
  g_assert_cmpint (gt_core_count (f->engine, "SELECT COUNT (*) FROM audit WHERE action = 'refund'"
                                             " AND reason = 'ill'"),
                   ==, 1);

  /* The same ticket again: a conflict, and nothing recorded. */
  g_clear_pointer (&result, json_object_unref);
  result = gt_engine_refund (f->engine, manager, id, body, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (gt_core_count (f->engine, "SELECT COUNT (*) FROM payment"), ==, 2);
  g_assert_cmpint (gt_core_count (f->engine, "SELECT COUNT (*) FROM audit WHERE action = 'refund'"),
                   ==, 1);

  g_clear_pointer (&body, json_object_unref);
  body = gt_core_json ("{\"reason\":\"all\"}");
  result = gt_engine_refund (f->engine, manager, id, body, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "refunded");
  g_assert_cmpint (json_object_get_int_member (result, "refunded_total"), ==, 85000);
  g_assert_cmpint (gt_core_count (f->engine, "SELECT SUM (amount) FROM payment"
                                             " WHERE kind = 'refund'"),
                   ==, 85000);
  g_assert_cmpint (gt_core_count (f->engine, "SELECT COUNT (*) FROM seat_claim"), ==, 0);
}

static void
test_exchange_atomic (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GtPrincipal) manager = gt_core_sign_in (f->engine, "boss", "manager", NULL);
  g_autoptr (JsonObject) booking = sell (f, "k1", TWO_CASH);
  g_autoptr (JsonObject) other = sell (f, "k2",
                                       "{\"tickets\":[{\"seat\":\"B1\",\"type\":\"adult\"}],"
                                       "\"payment\":{\"method\":\"card\"}}");
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (JsonObject) result = NULL;
  g_autoptr (GError) error = NULL;
  gint64 id = json_object_get_int_member (booking, "id");
  gint64 max_ticket = gt_core_count (f->engine, "SELECT MAX (id) FROM ticket");
  gint64 rev = gt_engine_get_rev (f->engine);
  gint64 new_id;

  /* One of the two new seats is taken: neither ticket moves. */
  body = gt_core_json ("{\"showtime_id\":%" G_GINT64_FORMAT ",\"reason\":\"r\","
                       "\"seats\":[{\"ticket_id\":%" G_GINT64_FORMAT ",\"seat\":\"C1\"},"
                       "{\"ticket_id\":%" G_GINT64_FORMAT ",\"seat\":\"B1\"}]}",
                       f->showtime_id, ticket_at (booking, "A1"), ticket_at (booking, "A2"));
  result = gt_engine_exchange (f->engine, manager, id, body, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_SEAT_UNAVAILABLE);
  g_assert_null (result);
  g_clear_error (&error);
  g_assert_cmpint (gt_engine_get_rev (f->engine), ==, rev);
  assert_state (f, f->showtime_id, "A1", "sold");
  assert_state (f, f->showtime_id, "A2", "sold");
  assert_state (f, f->showtime_id, "C1", "free");
  g_assert_cmpint (gt_core_count (f->engine, "SELECT MAX (id) FROM ticket"), ==, max_ticket);
  g_assert_cmpint (gt_core_count (f->engine, "SELECT COUNT (*) FROM audit"
                                             " WHERE action = 'exchange'"),
                   ==, 0);

  /* A seat taken by no one: it moves, with a new id and code, and the
   * log frees the old seat before it sells the new one. */
  g_clear_pointer (&body, json_object_unref);
  body = gt_core_json ("{\"showtime_id\":%" G_GINT64_FORMAT ",\"reason\":\"r\","
                       "\"seats\":[{\"ticket_id\":%" G_GINT64_FORMAT ",\"seat\":\"C1\"}]}",
                       f->showtime_id, ticket_at (booking, "A1"));
  result = gt_engine_exchange (f->engine, manager, id, body, &error);
  g_assert_no_error (error);
  new_id = ticket_at (result, "C1");
  g_assert_cmpint (new_id, >, max_ticket);
  assert_state (f, f->showtime_id, "A1", "free");
  assert_state (f, f->showtime_id, "C1", "sold");
  g_assert_cmpint (gt_core_count (f->engine, "SELECT COUNT (*) FROM ticket"), ==, 3);
  g_assert_cmpint (gt_core_count (f->engine,
                                  "SELECT COUNT (*) FROM seat_claim WHERE ticket_id IS NOT NULL"),
                   ==, 3);
  g_assert_cmpint (gt_core_count (f->engine, "SELECT COUNT (*) FROM payment"
                                             " WHERE purpose = 'exchange'"),
                   ==, 0);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT COUNT (*) FROM audit WHERE action = 'exchange'"
                                            " AND object_id = %" G_GINT64_FORMAT,
                                            id);

    g_assert_cmpint (gt_core_count (f->engine, sql), ==, 1);
  }
  {
    g_autoptr (JsonObject) page = gt_engine_list_changes (f->engine, rev, 100, &error);
    JsonArray *changes = json_object_get_array_member (page, "changes");
    guint      n = json_array_get_length (changes);

    g_assert_no_error (error);
    g_assert_cmpuint (n, ==, 3);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes, 0),
                                                    "id"),
                     ==, "A1");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes, 1),
                                                    "id"),
                     ==, "C1");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (changes, 2),
                                                    "kind"),
                     ==, "booking");
  }
}

static void
test_cashup (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GtPrincipal) manager = gt_core_sign_in (f->engine, "boss", "manager", NULL);
  g_autoptr (JsonObject) cash = sell (f, "k1", TWO_CASH);
  g_autoptr (JsonObject) card = sell (f, "k2",
                                      "{\"tickets\":[{\"seat\":\"B1\",\"type\":\"adult\"}],"
                                      "\"payment\":{\"method\":\"card\"}}");
  g_autoptr (JsonObject) body = gt_core_json ("{\"reason\":\"r\"}");
  g_autoptr (JsonObject) refunded = NULL;
  g_autoptr (JsonObject) report = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *csv = NULL;
  JsonObject      *totals;
  JsonArray       *rows;

  refunded = gt_engine_refund (f->engine, manager, json_object_get_int_member (card, "id"), body,
                               &error);
  g_assert_no_error (error);

  report = gt_engine_report_cashup (f->engine, f->cashier, NULL, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_FORBIDDEN);
  g_clear_error (&error);
  report = gt_engine_report_cashup (f->engine, manager, NULL, &error);
  g_assert_no_error (error);
  rows = json_object_get_array_member (report, "cashiers");
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  totals = json_object_get_object_member (report, "totals");
  g_assert_cmpint (json_object_get_int_member (totals, "sales"), ==, 135000);
  g_assert_cmpint (json_object_get_int_member (totals, "refunds"), ==, 50000);
  g_assert_cmpint (json_object_get_int_member (totals, "net"), ==, 85000);
  g_assert_cmpint (json_object_get_int_member (totals, "expected_cash"), ==, 85000);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (totals, "card"),
                                               "refunds_count"),
                   ==, 1);

  csv = gt_report_cashup_to_csv (report);
  g_assert_true (g_str_has_prefix (csv, "user_id,username,display_name,counter,cash_sales,"));
  g_assert_true (g_str_has_suffix (csv, "\r\n"));
}

/* RFC 4180 quoting, and no formulas for a spreadsheet. */
static void
test_csv (void)
{
  g_autoptr (JsonObject) report = gt_core_json (
    "{\"showtimes\":[{\"id\":7,\"starts_at\":\"2026-11-24T12:00:00Z\","
    "\"movie_title\":\"Say \\\"hi\\\", then\\nleave\",\"auditorium_name\":\"=SUM(A1)\","
    "\"tickets_sold\":3,\"seats_total\":40,\"occupancy\":0.075,\"revenue\":-5}]}");
  g_autofree char *csv = gt_report_sales_to_csv (report);

  g_assert_cmpstr (csv, ==,
                   "showtime_id,starts_at,movie_title,auditorium_name,tickets_sold,seats_total,"
                   "occupancy,revenue\r\n"
                   "7,2026-11-24T12:00:00Z,\"Say \"\"hi\"\", then\nleave\",'=SUM(A1),3,40,"
                   "0.0750,-5\r\n");
}

static void
test_audit_list (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GtPrincipal) manager = gt_core_sign_in (f->engine, "boss", "manager", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) body = gt_core_json ("{\"title\":\"New\",\"duration_minutes\":90,"
                                              "\"reason\":\"Premiere\"}");
  g_autoptr (JsonObject) movie = gt_engine_create_movie (f->engine, manager, body, &error);
  g_autoptr (JsonObject) list = NULL;
  JsonObject *entry;

  g_assert_no_error (error);
  list = gt_engine_list_audit (f->engine, f->cashier, NULL, 0, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_FORBIDDEN);
  g_clear_error (&error);
  list = gt_engine_list_audit (f->engine, manager, NULL, 0, &error);
  g_assert_no_error (error);
  /* The fixture's own catalog was made by nobody in particular: it is
   * there too, without a user. The newest is the movie. */
  entry = json_array_get_object_element (json_object_get_array_member (list, "entries"), 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "action"), ==, "movie.create");
  g_assert_cmpstr (json_object_get_string_member (entry, "reason"), ==, "Premiere");
  g_assert_cmpint (json_object_get_int_member (entry, "object_id"), ==,
                   json_object_get_int_member (movie, "id"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (entry, "user"),
                                                  "username"),
                   ==, "boss");
}

/* A database of schema 1 with a refunded and a paid booking: after the
 * migration the refunded one's tickets are refunded, payments say what they
 * were for, and the reports count them. */
static void
test_migrate_v1 (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = gt_core_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "central.db", NULL);
  g_autoptr (JsonObject) refunded = NULL;
  g_autoptr (JsonObject) paid = NULL;
  sqlite3  *db = NULL;
  GtEngine *engine;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, _gt_schema_migration (0), NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (
    sqlite3_exec (
      db,
      "PRAGMA user_version = 1;"
      "INSERT INTO user VALUES (1, 'kasir', 'Kasir', 'cashier', 'x', 1, 0);"
      "INSERT INTO movie (id, title, duration_minutes) VALUES (1, 'Old', 90);"
      "INSERT INTO auditorium VALUES (1, 'S', '{\"rows\":[]}');"
      "INSERT INTO showtime VALUES (1, 1, 1, 0, 5400000000, '{\"adult\":50000}');"
      "INSERT INTO booking VALUES (1, 'GT-AAAAAA', 1, 1, 'C1', 'refunded', 50000, NULL, NULL,"
      " 'k1', 10, 20, 'gone');"
      "INSERT INTO booking VALUES (2, 'GT-BBBBBB', 1, 1, 'C1', 'paid', 50000, NULL, NULL,"
      " 'k2', 10, NULL, NULL);"
      "INSERT INTO ticket VALUES (1, 1, 1, 'A1', 'adult', 50000, 'c1', NULL, NULL);"
      "INSERT INTO ticket VALUES (2, 2, 1, 'A2', 'adult', 50000, 'c2', NULL, NULL);"
      "INSERT INTO payment VALUES (1, 1, 'sale', 'cash', 50000, 50000, 0, NULL, 1, 'C1', 10);"
      "INSERT INTO payment VALUES (2, 1, 'refund', 'cash', 50000, NULL, NULL, NULL, 1, 'C1', 20);"
      "INSERT INTO payment VALUES (3, 2, 'sale', 'card', 50000, NULL, NULL, NULL, 1, 'C1', 10);",
      NULL, NULL, NULL),
    ==, SQLITE_OK);
  sqlite3_close (db);

  engine = gt_engine_new (path, &error);
  g_assert_no_error (error);
  refunded = gt_engine_get_booking (engine, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (refunded, "status"), ==, "refunded");
  g_assert_cmpint (json_object_get_int_member (refunded, "refunded_total"), ==, 50000);
  g_assert_cmpstr (
    json_object_get_string_member (json_object_get_object_member (refunded, "payment"), "method"),
    ==, "cash");
  g_assert_false (json_object_get_null_member (
    json_array_get_object_element (json_object_get_array_member (refunded, "tickets"), 0),
    "refunded_at"));
  paid = gt_engine_get_booking (engine, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (paid, "status"), ==, "paid");
  g_assert_cmpint (gt_core_count (engine, "SELECT COUNT (*) FROM payment"
                                          " WHERE purpose = 'refund' AND kind = 'refund'"),
                   ==, 1);
  g_assert_cmpint (gt_core_count (engine, "SELECT COUNT (*) FROM payment"
                                          " WHERE purpose = 'checkout' AND kind = 'sale'"),
                   ==, 2);
  gt_core_unref_engine (&engine);
  gt_core_remove_dir (dir);
}

int
main (int argc, char *argv[])
{
  gt_core_init (&argc, &argv);

  gt_core_add ("/core/manager/partial-refund", test_partial_refund);
  gt_core_add ("/core/manager/exchange-atomic", test_exchange_atomic);
  gt_core_add ("/core/manager/cashup", test_cashup);
  gt_core_add ("/core/manager/audit", test_audit_list);
  gt_core_add_func ("/core/manager/csv", test_csv);
  gt_core_add_func ("/core/manager/migrate-v1", test_migrate_v1);

  return g_test_run ();
}
