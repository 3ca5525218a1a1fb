/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-reports"

#include "config.h"

#include <unistd.h>

#include "gt-manager-helpers.h"

/* Sales and cash-up reports over HTTP, checked against what the test itself
 * sold, refunded and exchanged; their CSV against their JSON. */

static GtTestServer *server;

typedef struct
{
  gint64 sales[2]; /* cash, card */
  gint64 sales_count[2];
  gint64 refunds[2];
  gint64 refunds_count[2];
} Drawer;

static int
method_index (const char *method)
{
  g_assert_true (g_str_equal (method, "cash") || g_str_equal (method, "card"));
  return g_str_equal (method, "cash") ? 0 : 1;
}

static void
add_payment (Drawer *drawer, const char *method, gint64 amount)
{
  int m = method_index (method);

  if (amount >= 0)
    {
      drawer->sales[m] += amount;
      drawer->sales_count[m]++;
    }
  else
    {
      drawer->refunds[m] += -amount;
      drawer->refunds_count[m]++;
    }
}

static void
add_sale (Drawer *drawer, JsonNode *booking)
{
  JsonObject *payment = json_object_get_object_member (json_node_get_object (booking), "payment");

  add_payment (drawer, json_object_get_string_member (payment, "method"),
               json_object_get_int_member (payment, "amount"));
}

static JsonObject *
find_row (JsonArray *rows, const char *username)
{
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (g_str_equal (json_object_get_string_member (json_object_get_object_member (row, "user"),
                                                      "username"),
                       username))
        return row;
    }
  return NULL;
}

static void
assert_row (JsonObject *row, const Drawer *drawer, const char *counter)
{
  static const char *const methods[] = { "cash", "card" };
  gint64                   sales = 0;
  gint64                   refunds = 0;

  g_assert_nonnull (row);
  g_assert_cmpstr (json_object_get_string_member (row, "counter"), ==, counter);
  for (int m = 0; m < 2; m++)
    {
      JsonObject *method = json_object_get_object_member (row, methods[m]);

      g_assert_cmpint (json_object_get_int_member (method, "sales"), ==, drawer->sales[m]);
      g_assert_cmpint (json_object_get_int_member (method, "sales_count"), ==,
                       drawer->sales_count[m]);
      g_assert_cmpint (json_object_get_int_member (method, "refunds"), ==, drawer->refunds[m]);
      g_assert_cmpint (json_object_get_int_member (method, "refunds_count"), ==,
                       drawer->refunds_count[m]);
      g_assert_cmpint (json_object_get_int_member (method, "net"), ==,
                       drawer->sales[m] - drawer->refunds[m]);
      sales += drawer->sales[m];
      refunds += drawer->refunds[m];
    }
  g_assert_cmpint (json_object_get_int_member (row, "sales"), ==, sales);
  g_assert_cmpint (json_object_get_int_member (row, "refunds"), ==, refunds);
  g_assert_cmpint (json_object_get_int_member (row, "net"), ==, sales - refunds);
  g_assert_cmpint (json_object_get_int_member (row, "expected_cash"), ==,
                   drawer->sales[0] - drawer->refunds[0]);
}

static gint64
int_at (char **row, char **header, const char *name)
{
  return g_ascii_strtoll (row[gt_csv_column (header, name)], NULL, 10);
}

static gint64
post_total (const char *path, const char *token, const char *body, const char *member)
{
  g_autoptr (JsonNode) node = gt_api (server, "POST", path, token, body, 200);

  return json_object_get_int_member (json_node_get_object (node), member);
}

static gint64
ticket_of (JsonNode *booking, const char *seat)
{
  return json_object_get_int_member (gt_booking_ticket (json_node_get_object (booking), seat),
                                     "id");
}

static gint64
showtime_at (const char *token, gint64 movie, gint64 auditorium, gint64 starts, int adult)
{
  g_autofree char *start = gt_time_format (starts);
  g_autofree char *body =
    g_strdup_printf ("{\"movie_id\":%" G_GINT64_FORMAT ",\"auditorium_id\":%" G_GINT64_FORMAT ","
                     "\"starts_at\":\"%s\",\"prices\":{\"adult\":%d,\"child\":35000}}",
                     movie, auditorium, start, adult);
  g_autoptr (JsonNode) node = gt_api (server, "POST", "/showtimes", token, body, 201);

  return json_object_get_int_member (json_node_get_object (node), "id");
}

static void
test_cashup (void)
{
  g_autofree char *admin = gt_login (server, "admin");
  g_autofree char *name_a = gt_make_user (server, admin, "kasir-a", "cashier");
  g_autofree char *name_b = gt_make_user (server, admin, "kasir-b", "cashier");
  g_autofree char *name_m = gt_make_user (server, admin, "chief", "manager");
  g_autofree char *counter_a = g_strdup_printf ("Kasir A %d", (int) getpid ());
  g_autofree char *counter_b = g_strdup ("Kasir \"B\", x");
  g_autofree char *counter_m = g_strdup_printf ("Office %d", (int) getpid ());
  g_autofree char *token_a = gt_login_at (server, name_a, counter_a);
  g_autofree char *token_b = gt_login_at (server, name_b, "x");
  g_autofree char *token_m = gt_login_at (server, name_m, counter_m);
  gint64           showtime = gt_create_setup (server, token_m, 40);
  gint64           movie = gt_create_movie (server, token_m, 90);
  gint64           auditorium = gt_create_auditorium (server, token_m, 3, 6, 0);
  gint64           dearer = showtime_at (token_m, movie, auditorium, gt_day_start (41, 60), 60000);
  g_autoptr (JsonNode) a1 = NULL;
  g_autoptr (JsonNode) a2 = NULL;
  g_autoptr (JsonNode) b1 = NULL;
  g_autoptr (JsonNode) b2 = NULL;
  g_autoptr (JsonNode) report = NULL;
  g_autoptr (JsonNode) other_day = NULL;
  g_autoptr (GPtrArray) csv = NULL;
  g_autofree char *today = gt_cinema_date (server, g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *path = g_strdup_printf ("/reports/cashup?date=%s", today);
  g_autofree char *csv_path = g_strdup_printf ("/reports/cashup?date=%s&format=csv", today);
  g_autofree char *show_day = gt_cinema_date (server, gt_day_start (40, 13 * 60));
  g_autofree char *show_day_path = g_strdup_printf ("/reports/cashup?date=%s", show_day);
  g_autofree char *csv_text = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *disposition = NULL;
  Drawer           drawer_a = { 0 };
  Drawer           drawer_b = { 0 };
  Drawer           drawer_m = { 0 };
  JsonObject      *root;
  JsonArray       *rows;
  JsonObject      *totals;
  guint            status = 0;

  /* B signs in again at a counter whose name has a quote and a comma, for
   * the CSV; its first session sells nothing. */
  g_free (token_b);
  token_b = gt_login_at (server, name_b, "Kasir \\\"B\\\", x");

  /* The counters sell. */
  a1 =
    gt_sell_tickets (server, token_a, showtime,
                     "[{\"seat\":\"C1\",\"type\":\"adult\"},{\"seat\":\"C2\",\"type\":\"child\"}]",
                     "{\"method\":\"cash\",\"tendered\":100000}", NULL);
  add_sale (&drawer_a, a1);
  a2 = gt_sell_tickets (server, token_a, showtime, "[{\"seat\":\"C3\",\"type\":\"adult\"}]",
                        "{\"method\":\"card\"}", NULL);
  add_sale (&drawer_a, a2);
  b1 =
    gt_sell_tickets (server, token_b, showtime,
                     "[{\"seat\":\"D1\",\"type\":\"adult\"},{\"seat\":\"D2\",\"type\":\"adult\"}]",
                     "{\"method\":\"card\",\"reference\":\"R-1\"}", NULL);
  add_sale (&drawer_b, b1);
  b2 = gt_sell_tickets (server, token_b, showtime, "[{\"seat\":\"D3\",\"type\":\"adult\"}]",
                        "{\"method\":\"cash\",\"tendered\":50000}", NULL);
  add_sale (&drawer_b, b2);

  /* The manager refunds and exchanges at its own counter: what it pays out
   * or takes in is its drawer's, in the sale's method unless told. */
  {
    gint64           id = json_object_get_int_member (json_node_get_object (a1), "id");
    g_autofree char *refund = g_strdup_printf ("/bookings/%" G_GINT64_FORMAT "/refund", id);
    g_autofree char *body = g_strdup_printf ("{\"reason\":\"Ill\",\"tickets\":[%" G_GINT64_FORMAT
                                             "]}",
                                             ticket_of (a1, "C2"));

    add_payment (&drawer_m, "cash", -post_total (refund, token_m, body, "refunded_total"));
  }
  {
    gint64           id = json_object_get_int_member (json_node_get_object (a2), "id");
    g_autofree char *refund = g_strdup_printf ("/bookings/%" G_GINT64_FORMAT "/refund", id);

    add_payment (&drawer_m, "card",
                 -post_total (refund, token_m, "{\"reason\":\"Double sale\"}", "refunded_total"));
  }
  {
    JsonObject      *booking = json_node_get_object (b2);
    gint64           id = json_object_get_int_member (booking, "id");
    g_autofree char *exchange = g_strdup_printf ("/bookings/%" G_GINT64_FORMAT "/exchange", id);
    g_autofree char *body = g_strdup_printf ("{\"showtime_id\":%" G_GINT64_FORMAT
                                             ",\"reason\":\"Later\",\"method\":\"cash\","
                                             "\"seats\":[{\"ticket_id\":%" G_GINT64_FORMAT
                                             ",\"seat\":\"A1\"}]}",
                                             dearer, ticket_of (b2, "D3"));

    add_payment (&drawer_m, "cash",
                 post_total (exchange, token_m, body, "total")
                   - json_object_get_int_member (booking, "total"));
  }
  {
    JsonObject      *booking = json_node_get_object (b1);
    gint64           id = json_object_get_int_member (booking, "id");
    g_autofree char *exchange = g_strdup_printf ("/bookings/%" G_GINT64_FORMAT "/exchange", id);
    g_autofree char *body = g_strdup_printf ("{\"showtime_id\":%" G_GINT64_FORMAT
                                             ",\"reason\":\"Later\","
                                             "\"seats\":[{\"ticket_id\":%" G_GINT64_FORMAT
                                             ",\"seat\":\"A2\"}]}",
                                             dearer, ticket_of (b1, "D1"));

    add_payment (&drawer_m, "card",
                 post_total (exchange, token_m, body, "total")
                   - json_object_get_int_member (booking, "total"));
  }
  g_assert_cmpint (drawer_m.sales[0], ==, 10000);
  g_assert_cmpint (drawer_m.refunds[0], ==, 35000);

  report = gt_api (server, "GET", path, token_m, NULL, 200);
  root = json_node_get_object (report);
  g_assert_cmpstr (json_object_get_string_member (root, "date"), ==, today);
  rows = json_object_get_array_member (root, "cashiers");
  assert_row (find_row (rows, name_a), &drawer_a, counter_a);
  assert_row (find_row (rows, name_b), &drawer_b, counter_b);
  assert_row (find_row (rows, name_m), &drawer_m, counter_m);
  g_assert_cmpint (json_object_get_int_member (find_row (rows, name_m), "expected_cash"), ==,
                   -25000);
  g_assert_cmpint (
    json_object_get_int_member (json_object_get_object_member (find_row (rows, name_m), "cash"),
                                "exchange_net"),
    ==, 10000);
  /* B's first session sold nothing: no row for that counter. */
  for (guint i = 0; i < json_array_get_length (rows); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, i),
                                                    "counter"),
                     !=, "x");

  /* The grand totals are the sum of the rows. */
  totals = json_object_get_object_member (root, "totals");
  {
    const char *members[] = { "sales", "refunds", "net", "expected_cash" };

    for (guint k = 0; k < G_N_ELEMENTS (members); k++)
      {
        gint64 sum = 0;

        for (guint i = 0; i < json_array_get_length (rows); i++)
          sum += json_object_get_int_member (json_array_get_object_element (rows, i), members[k]);
        g_assert_cmpint (json_object_get_int_member (totals, members[k]), ==, sum);
      }
  }

  /* Payments count on the day they were made, not the showtime's. */
  other_day = gt_api (server, "GET", show_day_path, token_m, NULL, 200);
  g_assert_null (
    find_row (json_object_get_array_member (json_node_get_object (other_day), "cashiers"), name_a));

  /* The CSV: a header, one row per JSON row, the same numbers. */
  csv_text = gt_fetch_text (server, csv_path, token_m, &status, &content_type, &disposition);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (g_str_has_prefix (content_type, "text/csv"));
  g_assert_nonnull (disposition);
  g_assert_true (g_str_has_prefix (disposition, "attachment"));
  g_assert_nonnull (strstr (disposition, today));
  csv = gt_csv_parse (csv_text);
  g_assert_cmpuint (csv->len, ==, json_array_get_length (rows) + 1);
  {
    char      **header = g_ptr_array_index (csv, 0);
    const char *names[] = { name_a, name_b, name_m };
    guint       found = 0;

    for (guint r = 1; r < csv->len; r++)
      {
        char      **row = g_ptr_array_index (csv, r);
        const char *username = row[gt_csv_column (header, "username")];
        JsonObject *json = NULL;

        g_assert_cmpuint (g_strv_length (row), ==, g_strv_length (header));
        for (guint i = 0; i < json_array_get_length (rows); i++)
          {
            JsonObject *candidate = json_array_get_object_element (rows, i);

            if (g_str_equal (json_object_get_string_member (
                               json_object_get_object_member (candidate, "user"), "username"),
                             username)
                && g_str_equal (json_object_get_string_member (candidate, "counter"),
                                row[gt_csv_column (header, "counter")]))
              json = candidate;
          }
        g_assert_nonnull (json);
        g_assert_cmpint (int_at (row, header, "cash_sales"), ==,
                         json_object_get_int_member (json_object_get_object_member (json, "cash"),
                                                     "sales"));
        g_assert_cmpint (int_at (row, header, "card_refunds_count"), ==,
                         json_object_get_int_member (json_object_get_object_member (json, "card"),
                                                     "refunds_count"));
        g_assert_cmpint (int_at (row, header, "net"), ==, json_object_get_int_member (json, "net"));
        g_assert_cmpint (int_at (row, header, "expected_cash"), ==,
                         json_object_get_int_member (json, "expected_cash"));
        for (guint n = 0; n < G_N_ELEMENTS (names); n++)
          found += g_str_equal (username, names[n]);
      }
    g_assert_cmpuint (found, ==, 3);
  }
}

static JsonObject *
find_showtime (JsonArray *rows, const char *member, gint64 id)
{
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (json_object_get_int_member (row, member) == id)
        return row;
    }
  g_error ("no report row with %s %" G_GINT64_FORMAT, member, id);
  return NULL;
}

static void
test_sales (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autofree char *title = g_strdup_printf ("Kung \"Fu\", Panda =%d", (int) getpid ());
  g_autofree char *title_json = g_strdup_printf ("Kung \\\"Fu\\\", Panda =%d", (int) getpid ());
  g_autofree char *movie_body = g_strdup_printf ("{\"title\":\"%s\",\"duration_minutes\":90}",
                                                 title_json);
  g_autoptr (JsonNode) movie_node = gt_api (server, "POST", "/movies", manager, movie_body, 201);
  gint64 movie = json_object_get_int_member (json_node_get_object (movie_node), "id");
  gint64 auditorium = gt_create_auditorium (server, manager, 5, 8, 4);
  gint64 early = showtime_at (manager, movie, auditorium, gt_day_start (42, 2 * 60), 50000);
  gint64 late = showtime_at (manager, movie, auditorium, gt_day_start (42, 6 * 60), 50000);
  g_autofree char *date = gt_cinema_date (server, gt_day_start (42, 2 * 60));
  g_autofree char *late_date = gt_cinema_date (server, gt_day_start (42, 6 * 60));
  g_autofree char *path = g_strdup_printf ("/reports/sales?date=%s", date);
  g_autofree char *csv_path = g_strdup_printf ("/reports/sales?date=%s&format=csv", date);
  g_autofree char *today = gt_cinema_date (server, g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *csv_text = NULL;
  g_autofree char *content_type = NULL;
  g_autoptr (JsonNode) s1 = NULL;
  g_autoptr (JsonNode) s2 = NULL;
  g_autoptr (JsonNode) refunded = NULL;
  g_autoptr (JsonNode) report = NULL;
  g_autoptr (JsonNode) default_day = NULL;
  g_autoptr (GPtrArray) csv = NULL;
  JsonObject *root;
  JsonObject *row;
  JsonArray  *showtimes;
  guint       status = 0;

  g_assert_cmpstr (date, ==, late_date);
  s1 =
    gt_sell_tickets (server, cashier, early,
                     "[{\"seat\":\"B1\",\"type\":\"adult\"},{\"seat\":\"B2\",\"type\":\"adult\"},"
                     "{\"seat\":\"B3\",\"type\":\"adult\"},{\"seat\":\"B4\",\"type\":\"child\"}]",
                     "{\"method\":\"cash\",\"tendered\":200000}", NULL);
  s2 =
    gt_sell_tickets (server, cashier, late,
                     "[{\"seat\":\"C1\",\"type\":\"adult\"},{\"seat\":\"C2\",\"type\":\"adult\"}]",
                     "{\"method\":\"card\"}", NULL);
  {
    g_autofree char *refund =
      g_strdup_printf ("/bookings/%" G_GINT64_FORMAT "/refund",
                       json_object_get_int_member (json_node_get_object (s1), "id"));
    g_autofree char *body = g_strdup_printf ("{\"reason\":\"x\",\"tickets\":[%" G_GINT64_FORMAT
                                             "]}",
                                             ticket_of (s1, "B1"));

    refunded = gt_api (server, "POST", refund, manager, body, 200);
  }

  report = gt_api (server, "GET", path, manager, NULL, 200);
  root = json_node_get_object (report);
  g_assert_cmpstr (json_object_get_string_member (root, "date"), ==, date);
  showtimes = json_object_get_array_member (root, "showtimes");

  row = find_showtime (showtimes, "id", early);
  g_assert_cmpstr (json_object_get_string_member (row, "movie_title"), ==, title);
  g_assert_nonnull (json_object_get_string_member (row, "auditorium_name"));
  g_assert_cmpint (gt_time_parse (json_object_get_string_member (row, "starts_at")), ==,
                   gt_day_start (42, 2 * 60));
  g_assert_cmpint (json_object_get_int_member (row, "tickets_sold"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (row, "seats_total"), ==, 40);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (row, "occupancy"), 3.0 / 40, 1e-9);
  g_assert_cmpint (json_object_get_int_member (row, "revenue"), ==, 135000);
  row = find_showtime (showtimes, "id", late);
  g_assert_cmpint (json_object_get_int_member (row, "tickets_sold"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (row, "revenue"), ==, 100000);

  row = find_showtime (json_object_get_array_member (root, "movies"), "movie_id", movie);
  g_assert_cmpstr (json_object_get_string_member (row, "movie_title"), ==, title);
  g_assert_cmpint (json_object_get_int_member (row, "showtimes"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (row, "tickets_sold"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (row, "seats_total"), ==, 80);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (row, "occupancy"), 5.0 / 80, 1e-9);
  g_assert_cmpint (json_object_get_int_member (row, "revenue"), ==, 235000);

  /* The day's totals are the sum of its showtimes. */
  {
    JsonObject *totals = json_object_get_object_member (root, "totals");
    gint64      sold = 0, seats = 0, revenue = 0;

    for (guint i = 0; i < json_array_get_length (showtimes); i++)
      {
        JsonObject *s = json_array_get_object_element (showtimes, i);

        sold += json_object_get_int_member (s, "tickets_sold");
        seats += json_object_get_int_member (s, "seats_total");
        revenue += json_object_get_int_member (s, "revenue");
      }
    g_assert_cmpint (json_object_get_int_member (totals, "showtimes"), ==,
                     json_array_get_length (showtimes));
    g_assert_cmpint (json_object_get_int_member (totals, "tickets_sold"), ==, sold);
    g_assert_cmpint (json_object_get_int_member (totals, "seats_total"), ==, seats);
    g_assert_cmpint (json_object_get_int_member (totals, "revenue"), ==, revenue);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (totals, "occupancy"),
                                    seats ? (double) sold / seats : 0, 1e-9);
  }

  /* The CSV says the same. */
  csv_text = gt_fetch_text (server, csv_path, manager, &status, &content_type, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (g_str_has_prefix (content_type, "text/csv"));
  csv = gt_csv_parse (csv_text);
  g_assert_cmpuint (csv->len, ==, json_array_get_length (showtimes) + 1);
  for (guint r = 1; r < csv->len; r++)
    {
      char      **header = g_ptr_array_index (csv, 0);
      char      **fields = g_ptr_array_index (csv, r);
      JsonObject *json = find_showtime (showtimes, "id", int_at (fields, header, "showtime_id"));

      g_assert_cmpuint (g_strv_length (fields), ==, g_strv_length (header));
      g_assert_cmpint (int_at (fields, header, "tickets_sold"), ==,
                       json_object_get_int_member (json, "tickets_sold"));
      g_assert_cmpint (int_at (fields, header, "seats_total"), ==,
                       json_object_get_int_member (json, "seats_total"));
      g_assert_cmpint (int_at (fields, header, "revenue"), ==,
                       json_object_get_int_member (json, "revenue"));
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (fields[gt_csv_column (header, "occupancy")],
                                                      NULL),
                                      json_object_get_double_member (json, "occupancy"), 1e-4);
      g_assert_cmpstr (fields[gt_csv_column (header, "starts_at")], ==,
                       json_object_get_string_member (json, "starts_at"));
      if (json_object_get_int_member (json, "id") == early)
        {
          /* Quoted as RFC 4180 says; a formula-looking start is not one. */
          g_autofree char *expected = g_strconcat (g_str_has_prefix (title, "=") ? "'" : "", title,
                                                   NULL);

          g_assert_cmpstr (fields[gt_csv_column (header, "movie_title")], ==, expected);
        }
    }

  /* Without a date: today in the cinema's time zone. */
  default_day = gt_api (server, "GET", "/reports/sales", manager, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (default_day), "date"), ==,
                   today);
}

static void
assert_field (GtTestServer *srv, const char *token, const char *body, const char *field)
{
  g_autoptr (JsonNode)
    node = gt_api_error (srv, "POST", "/reports/cashup/counts", token, body, 422, "invalid_field");

  g_assert_cmpstr (json_object_get_string_member (gt_error_details (node), "field"), ==, field);
}

/* A row of the cash-up of @date with its drawer's count, for @username. */
static JsonObject *
cashup_row (const char *token, const char *date, const char *username, JsonNode **report)
{
  g_autofree char *path = g_strdup_printf ("/reports/cashup?date=%s", date);

  g_clear_pointer (report, json_node_unref);
  *report = gt_api (server, "GET", path, token, NULL, 200);
  return find_row (json_object_get_array_member (json_node_get_object (*report), "cashiers"),
                   username);
}

/* The day is closed drawer by drawer: a manager records the cash counted,
 * the server keeps it with what the payments said the drawer held then,
 * the cash-up shows the last count and its difference, the audit log and
 * the CSV carry it; bad counts are refused with the field at fault. */
static void
test_drawer_count (void)
{
  g_autofree char *admin = gt_login (server, "admin");
  g_autofree char *seller = gt_make_user (server, admin, "laci", "cashier");
  g_autofree char *boss = gt_make_user (server, admin, "boss", "manager");
  g_autofree char *counter = g_strdup_printf ("Laci %d", (int) getpid ());
  g_autofree char *token_c = gt_login_at (server, seller, counter);
  g_autofree char *token_m = gt_login_at (server, boss, "Office");
  gint64           showtime = gt_create_setup (server, token_m, 42);
  g_autofree char *today = gt_cinema_date (server, g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *tomorrow = gt_cinema_date (server, g_get_real_time () / G_USEC_PER_SEC + 86400);
  g_autofree char *audit_path = g_strdup_printf ("/audit?date=%s", today);
  g_autofree char *csv_path = g_strdup_printf ("/reports/cashup?date=%s&format=csv", today);
  g_autofree char *long_note = g_strnfill (501, 'x');
  g_autofree char *csv_text = NULL;
  g_autofree char *body = NULL;
  g_autoptr (JsonNode) sale = NULL;
  g_autoptr (JsonNode) later = NULL;
  g_autoptr (JsonNode) count = NULL;
  g_autoptr (JsonNode) recount = NULL;
  g_autoptr (JsonNode) report = NULL;
  g_autoptr (JsonNode) audit = NULL;
  g_autoptr (JsonNode) refused = NULL;
  g_autoptr (GPtrArray) csv = NULL;
  JsonObject *row;
  JsonObject *answer;
  JsonObject *totals;
  JsonArray  *entries;
  gint64      user_id;
  gint64      expected;
  guint       status = 0;
  gboolean    audited = FALSE;

  sale = gt_sell_tickets (server, token_c, showtime,
                          "[{\"seat\":\"B1\",\"type\":\"adult\"},"
                          "{\"seat\":\"B2\",\"type\":\"adult\"}]",
                          "{\"method\":\"cash\",\"tendered\":200000}", NULL);
  row = cashup_row (token_m, today, seller, &report);
  g_assert_nonnull (row);
  g_assert_true (json_object_get_null_member (row, "count"));
  user_id = json_object_get_int_member (json_object_get_object_member (row, "user"), "id");
  expected = json_object_get_int_member (row, "expected_cash");
  g_assert_cmpint (expected, >, 0);

  /* Only managers count, and the role is checked first. */
  g_clear_pointer (&refused, json_node_unref);
  refused = gt_api_error (server, "POST", "/reports/cashup/counts", NULL, "{}", 401,
                          "unauthorized");
  g_clear_pointer (&refused, json_node_unref);
  refused = gt_api_error (server, "POST", "/reports/cashup/counts", token_c, "{}", 403,
                          "forbidden");

  /* Bad counts name the field at fault, and record nothing. */
  body = g_strdup_printf ("{\"counter\":\"%s\",\"counted\":1}", counter);
  assert_field (server, token_m, body, "user_id");
  g_free (body);
  body = g_strdup_printf ("{\"user_id\":%" G_GINT64_FORMAT ",\"counter\":\"%s\",\"counted\":-1}",
                          user_id, counter);
  assert_field (server, token_m, body, "counted");
  g_free (body);
  body = g_strdup_printf ("{\"user_id\":%" G_GINT64_FORMAT ",\"counter\":\"%s\"}", user_id,
                          counter);
  assert_field (server, token_m, body, "counted");
  g_free (body);
  body = g_strdup_printf ("{\"user_id\":99999,\"counter\":\"%s\",\"counted\":1}", counter);
  assert_field (server, token_m, body, "user_id");
  g_free (body);
  body = g_strdup_printf ("{\"user_id\":%" G_GINT64_FORMAT
                          ",\"counter\":\"Nowhere\",\"counted\":1}",
                          user_id);
  assert_field (server, token_m, body, "counter");
  g_free (body);
  body = g_strdup_printf ("{\"user_id\":%" G_GINT64_FORMAT
                          ",\"counter\":\"%s\",\"counted\":1,\"date\":\"%s\"}",
                          user_id, counter, tomorrow);
  assert_field (server, token_m, body, "date");
  g_free (body);
  body = g_strdup_printf ("{\"user_id\":%" G_GINT64_FORMAT
                          ",\"counter\":\"%s\",\"counted\":1,\"date\":\"25-11-2026\"}",
                          user_id, counter);
  assert_field (server, token_m, body, "date");
  g_free (body);
  body = g_strdup_printf ("{\"user_id\":%" G_GINT64_FORMAT
                          ",\"counter\":\"%s\",\"counted\":1,\"note\":\"%s\"}",
                          user_id, counter, long_note);
  assert_field (server, token_m, body, "note");
  row = cashup_row (token_m, today, seller, &report);
  g_assert_true (json_object_get_null_member (row, "count"));

  /* Rp 5.000 short. */
  g_free (body);
  body = g_strdup_printf ("{\"user_id\":%" G_GINT64_FORMAT
                          ",\"counter\":\"%s\",\"counted\":%" G_GINT64_FORMAT
                          ",\"note\":\"Counted twice\"}",
                          user_id, counter, expected - 5000);
  count = gt_api (server, "POST", "/reports/cashup/counts", token_m, body, 201);
  answer = json_node_get_object (count);
  g_assert_cmpstr (json_object_get_string_member (answer, "date"), ==, today);
  g_assert_cmpint (json_object_get_int_member (answer, "user_id"), ==, user_id);
  g_assert_cmpstr (json_object_get_string_member (answer, "counter"), ==, counter);
  g_assert_cmpint (json_object_get_int_member (answer, "expected_cash"), ==, expected);
  g_assert_cmpint (json_object_get_int_member (answer, "counted"), ==, expected - 5000);
  g_assert_cmpint (json_object_get_int_member (answer, "difference"), ==, -5000);
  g_assert_cmpstr (json_object_get_string_member (answer, "note"), ==, "Counted twice");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (answer,
                                                                                 "counted_by"),
                                                  "username"),
                   ==, boss);

  row = cashup_row (token_m, today, seller, &report);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (row, "count"),
                                               "difference"),
                   ==, -5000);
  totals = json_object_get_object_member (json_node_get_object (report), "totals");
  g_assert_cmpint (json_object_get_int_member (totals, "drawers_counted"), >=, 1);
  g_assert_cmpint (json_object_get_int_member (totals, "drawers"), >=,
                   json_object_get_int_member (totals, "drawers_counted"));

  /* The count is in the audit log, with its note as the reason. */
  audit = gt_api (server, "GET", audit_path, token_m, NULL, 200);
  entries = json_object_get_array_member (json_node_get_object (audit), "entries");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);

      if (g_str_equal (json_object_get_string_member (entry, "action"), "cashup.count")
          && json_object_get_int_member (entry, "object_id")
               == json_object_get_int_member (answer, "id"))
        {
          g_assert_cmpstr (json_object_get_string_member (entry, "reason"), ==, "Counted twice");
          audited = TRUE;
        }
    }
  g_assert_true (audited);

  /* A sale after the count changes what the drawer should hold, not what
   * the count found; a recount is the drawer's count from then on. */
  later = gt_sell_tickets (server, token_c, showtime, "[{\"seat\":\"B3\",\"type\":\"adult\"}]",
                           "{\"method\":\"cash\",\"tendered\":100000}", NULL);
  row = cashup_row (token_m, today, seller, &report);
  g_assert_cmpint (json_object_get_int_member (row, "expected_cash"), >, expected);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (row, "count"),
                                               "expected_cash"),
                   ==, expected);
  expected = json_object_get_int_member (row, "expected_cash");
  g_free (body);
  body = g_strdup_printf ("{\"user_id\":%" G_GINT64_FORMAT
                          ",\"counter\":\"%s\",\"counted\":%" G_GINT64_FORMAT ",\"date\":\"%s\"}",
                          user_id, counter, expected, today);
  recount = gt_api (server, "POST", "/reports/cashup/counts", token_m, body, 201);
  g_assert_true (json_object_get_null_member (json_node_get_object (recount), "note"));
  row = cashup_row (token_m, today, seller, &report);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (row, "count"),
                                               "difference"),
                   ==, 0);

  /* The CSV carries the count; a drawer not counted has empty cells. */
  csv_text = gt_fetch_text (server, csv_path, token_m, &status, NULL, NULL);
  g_assert_cmpuint (status, ==, 200);
  csv = gt_csv_parse (csv_text);
  {
    char   **header = g_ptr_array_index (csv, 0);
    gboolean seen = FALSE;

    for (guint r = 1; r < csv->len; r++)
      {
        char **fields = g_ptr_array_index (csv, r);

        if (!g_str_equal (fields[gt_csv_column (header, "username")], seller))
          continue;
        g_assert_cmpint (int_at (fields, header, "counted"), ==, expected);
        g_assert_cmpstr (fields[gt_csv_column (header, "difference")], ==, "0");
        seen = TRUE;
      }
    g_assert_true (seen);
  }
}

int
main (int argc, char *argv[])
{
  gt_fixture_init (&argc, &argv);
  server = gt_fixture_server ("main", (const char *[]){ "--demo", NULL });

  gt_fixture_add ("/reports/cashup", test_cashup);
  gt_fixture_add ("/reports/sales", test_sales);
  gt_fixture_add ("/reports/drawer-count", test_drawer_count);

  return gt_fixture_run ();
}
