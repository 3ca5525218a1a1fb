/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-reports"

#include "config.h"

#include "gt-engine-private.h"
#include "gt-json.h"

/* Reports for one day of the cinema, counted by the database itself. */

static char *
day_text (GtEngine *self, gint64 from)
{
  g_autoptr (GTimeZone) tz = _gt_engine_get_timezone (self);
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (from / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, tz);

  return g_date_time_format (local, "%Y-%m-%d");
}

static JsonObject *
report_new (GtEngine *self, gint64 from, gint64 to)
{
  JsonObject      *report = json_object_new ();
  g_autofree char *date = day_text (self, from);
  g_autofree char *tz = NULL;

  json_object_set_string_member (report, "date", date);
  json_object_set_string_member (report, "timezone",
                                 _gt_engine_get_setting (self, "timezone", &tz));
  gt_json_set_time (report, "from", from);
  gt_json_set_time (report, "to", to);
  return report;
}

/* Showtimes starting in [?1, ?2): tickets not refunded, and what they cost. */
#define SALES_CTE                                                                                  \
  "WITH st AS (SELECT s.id, s.movie_id, m.title, a.name, s.starts_at,"                             \
  "  (SELECT COUNT (*) FROM ticket t WHERE t.showtime_id = s.id AND t.refunded_at IS NULL)"        \
  "   AS sold,"                                                                                    \
  "  (SELECT COUNT (*) FROM seat WHERE auditorium_id = s.auditorium_id AND blocked = 0) AS seats," \
  "  (SELECT COALESCE (SUM (t.price), 0) FROM ticket t WHERE t.showtime_id = s.id"                 \
  "   AND t.refunded_at IS NULL) AS revenue"                                                       \
  " FROM showtime s JOIN movie m ON m.id = s.movie_id JOIN auditorium a ON a.id = s.auditorium_id" \
  " WHERE s.starts_at >= ?1 AND s.starts_at < ?2) "

#define OCCUPANCY(sold, seats)                                                                     \
  "CASE WHEN " seats " > 0 THEN CAST (" sold " AS REAL) / " seats " ELSE 0.0 END"

static void
set_counts (JsonObject *object, sqlite3_stmt *stmt, int col)
{
  json_object_set_int_member (object, "tickets_sold", sqlite3_column_int64 (stmt, col));
  json_object_set_int_member (object, "seats_total", sqlite3_column_int64 (stmt, col + 1));
  json_object_set_double_member (object, "occupancy", sqlite3_column_double (stmt, col + 2));
  json_object_set_int_member (object, "revenue", sqlite3_column_int64 (stmt, col + 3));
}

JsonObject *
gt_engine_report_sales (GtEngine *self, GtPrincipal *principal, const char *date, GError **error)
{
  g_autoptr (JsonObject) report = NULL;
  g_autoptr (JsonArray) showtimes = json_array_new ();
  g_autoptr (JsonArray) movies = json_array_new ();
  JsonObject   *totals = json_object_new ();
  GError       *local_error = NULL;
  sqlite3_stmt *stmt;
  gint64        from;
  gint64        to;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (!gt_principal_require (principal, GT_ROLE_MANAGER, error)
      || !_gt_engine_day_range (self, date, &from, &to, error))
    {
      json_object_unref (totals);
      return NULL;
    }
  report = report_new (self, from, to);
  json_object_set_object_member (report, "totals", totals);

  stmt = gt_db_query (self->db,
                      SALES_CTE "SELECT id, movie_id, title, name, starts_at, sold, seats,"
                                " " OCCUPANCY ("sold", "seats") ", revenue"
                                                                " FROM st ORDER BY starts_at, id",
                      "II", from, to);
  while (gt_db_step (self->db, stmt, &local_error))
    {
      JsonObject *row = json_object_new ();

      json_object_set_int_member (row, "id", sqlite3_column_int64 (stmt, 0));
      json_object_set_int_member (row, "movie_id", sqlite3_column_int64 (stmt, 1));
      json_object_set_string_member (row, "movie_title", gt_db_column_text (stmt, 2));
      json_object_set_string_member (row, "auditorium_name", gt_db_column_text (stmt, 3));
      gt_json_set_time (row, "starts_at", sqlite3_column_int64 (stmt, 4));
      set_counts (row, stmt, 5);
      json_array_add_object_element (showtimes, row);
    }

  if (local_error == NULL)
    {
      stmt = gt_db_query (
        self->db,
        SALES_CTE
        "SELECT movie_id, title, COUNT (*), SUM (sold), SUM (seats),"
        " " OCCUPANCY ("SUM (sold)",
                       "SUM (seats)") ", SUM (revenue)"
                                      " FROM st GROUP BY movie_id ORDER BY title, movie_id",
        "II", from, to);
      while (gt_db_step (self->db, stmt, &local_error))
        {
          JsonObject *row = json_object_new ();

          json_object_set_int_member (row, "movie_id", sqlite3_column_int64 (stmt, 0));
          json_object_set_string_member (row, "movie_title", gt_db_column_text (stmt, 1));
          json_object_set_int_member (row, "showtimes", sqlite3_column_int64 (stmt, 2));
          set_counts (row, stmt, 3);
          json_array_add_object_element (movies, row);
        }
    }

  if (local_error == NULL)
    {
      stmt = gt_db_query (self->db,
                          SALES_CTE
                          "SELECT COUNT (*), COALESCE (SUM (sold), 0),"
                          " COALESCE (SUM (seats), 0),"
                          " " OCCUPANCY ("SUM (sold)",
                                         "SUM (seats)") ","
                                                        " COALESCE (SUM (revenue), 0) FROM st",
                          "II", from, to);
      if (gt_db_step (self->db, stmt, &local_error))
        {
          json_object_set_int_member (totals, "showtimes", sqlite3_column_int64 (stmt, 0));
          set_counts (totals, stmt, 1);
          sqlite3_reset (stmt);
        }
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  json_object_set_array_member (report, "showtimes", g_steal_pointer (&showtimes));
  json_object_set_array_member (report, "movies", g_steal_pointer (&movies));
  return g_steal_pointer (&report);
}

/* Payments made in [?1, ?2), whatever the day of their showtime: what
 * went through each drawer and card terminal. Exchange differences are
 * sales (paid in) or refunds (paid out) of their method. */
#define CASHUP_COLUMNS                                                                             \
  " SUM (CASE WHEN p.method = 'cash' AND p.kind = 'sale' THEN p.amount ELSE 0 END),"               \
  " SUM (p.method = 'cash' AND p.kind = 'sale'),"                                                  \
  " SUM (CASE WHEN p.method = 'cash' AND p.kind = 'refund' THEN p.amount ELSE 0 END),"             \
  " SUM (p.method = 'cash' AND p.kind = 'refund'),"                                                \
  " SUM (CASE WHEN p.method = 'cash' AND p.purpose = 'exchange'"                                   \
  "  THEN (CASE p.kind WHEN 'sale' THEN p.amount ELSE -p.amount END) ELSE 0 END),"                 \
  " SUM (CASE WHEN p.method = 'card' AND p.kind = 'sale' THEN p.amount ELSE 0 END),"               \
  " SUM (p.method = 'card' AND p.kind = 'sale'),"                                                  \
  " SUM (CASE WHEN p.method = 'card' AND p.kind = 'refund' THEN p.amount ELSE 0 END),"             \
  " SUM (p.method = 'card' AND p.kind = 'refund'),"                                                \
  " SUM (CASE WHEN p.method = 'card' AND p.purpose = 'exchange'"                                   \
  "  THEN (CASE p.kind WHEN 'sale' THEN p.amount ELSE -p.amount END) ELSE 0 END)"

static void
set_method (JsonObject *row, const char *method, sqlite3_stmt *stmt, int col)
{
  JsonObject *object = json_object_new ();
  gint64      sales = sqlite3_column_int64 (stmt, col);
  gint64      refunds = sqlite3_column_int64 (stmt, col + 2);

  json_object_set_int_member (object, "sales", sales);
  json_object_set_int_member (object, "sales_count", sqlite3_column_int64 (stmt, col + 1));
  json_object_set_int_member (object, "refunds", refunds);
  json_object_set_int_member (object, "refunds_count", sqlite3_column_int64 (stmt, col + 3));
  json_object_set_int_member (object, "exchange_net", sqlite3_column_int64 (stmt, col + 4));
  json_object_set_int_member (object, "net", sales - refunds);
  json_object_set_object_member (row, method, object);
}

static void
set_cashup (JsonObject *row, sqlite3_stmt *stmt, int col)
{
  JsonObject *cash;
  JsonObject *card;
  gint64      sales;
  gint64      refunds;

  set_method (row, "cash", stmt, col);
  set_method (row, "card", stmt, col + 5);
  cash = json_object_get_object_member (row, "cash");
  card = json_object_get_object_member (row, "card");
  sales = json_object_get_int_member (cash, "sales") + json_object_get_int_member (card, "sales");
  refunds = json_object_get_int_member (cash, "refunds")
            + json_object_get_int_member (card, "refunds");
  json_object_set_int_member (row, "sales", sales);
  json_object_set_int_member (row, "refunds", refunds);
  json_object_set_int_member (row, "net", sales - refunds);
  json_object_set_int_member (row, "expected_cash", json_object_get_int_member (cash, "net"));
}

JsonObject *
gt_engine_report_cashup (GtEngine *self, GtPrincipal *principal, const char *date, GError **error)
{
  g_autoptr (JsonObject) report = NULL;
  g_autoptr (JsonArray) rows = json_array_new ();
  JsonObject   *totals;
  GError       *local_error = NULL;
  sqlite3_stmt *stmt;
  gint64        from;
  gint64        to;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (!gt_principal_require (principal, GT_ROLE_MANAGER, error)
      || !_gt_engine_day_range (self, date, &from, &to, error))
    return NULL;
  report = report_new (self, from, to);

  stmt = gt_db_query (self->db,
                      "SELECT p.user_id, u.username, u.display_name, p.counter," CASHUP_COLUMNS
                      " FROM payment p JOIN user u ON u.id = p.user_id"
                      " WHERE p.created_at >= ?1 AND p.created_at < ?2"
                      " GROUP BY p.user_id, p.counter ORDER BY u.username, p.counter",
                      "II", from, to);
  while (gt_db_step (self->db, stmt, &local_error))
    {
      JsonObject *row = json_object_new ();
      JsonObject *user = json_object_new ();

      json_object_set_int_member (user, "id", sqlite3_column_int64 (stmt, 0));
      json_object_set_string_member (user, "username", gt_db_column_text (stmt, 1));
      json_object_set_string_member (user, "display_name", gt_db_column_text (stmt, 2));
      json_object_set_object_member (row, "user", user);
      json_object_set_string_member (row, "counter", gt_db_column_text (stmt, 3));
      set_cashup (row, stmt, 4);
      json_array_add_object_element (rows, row);
    }

  totals = json_object_new ();
  if (local_error == NULL)
    {
      stmt = gt_db_query (self->db,
                          "SELECT" CASHUP_COLUMNS " FROM payment p"
                          " WHERE p.created_at >= ?1 AND p.created_at < ?2",
                          "II", from, to);
      if (gt_db_step (self->db, stmt, &local_error))
        {
          set_cashup (totals, stmt, 0);
          sqlite3_reset (stmt);
        }
    }
  json_object_set_object_member (report, "totals", totals);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  json_object_set_array_member (report, "cashiers", g_steal_pointer (&rows));
  return g_steal_pointer (&report);
}

/* CSV (RFC 4180): fields quoted when they hold a comma, a quote or a line
 * break, quotes doubled, lines ended by CRLF. A text that a spreadsheet
 * would run as a formula (=, +, -, @ first) gets a leading apostrophe. */
static void
csv_text (GString *out, const char *text)
{
  gboolean quote;

  if (text == NULL)
    text = "";
  if (out->len > 0 && out->str[out->len - 1] != '\n')
    g_string_append_c (out, ',');
  quote = strpbrk (text, ",\"\r\n") != NULL;
  if (quote)
    g_string_append_c (out, '"');
  if (strchr ("=+-@\t\r", text[0]) != NULL && text[0] != '\0')
    g_string_append_c (out, '\'');
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  if (quote)
    g_string_append_c (out, '"');
}

static void
csv_int (GString *out, gint64 value)
{
  if (out->len > 0 && out->str[out->len - 1] != '\n')
    g_string_append_c (out, ',');
  g_string_append_printf (out, "%" G_GINT64_FORMAT, value);
}

static void
csv_end (GString *out)
{
  g_string_append (out, "\r\n");
}

char *
gt_report_sales_to_csv (JsonObject *report)
{
  GString   *out = g_string_new ("showtime_id,starts_at,movie_title,auditorium_name,"
                                   "tickets_sold,seats_total,occupancy,revenue\r\n");
  JsonArray *showtimes;

  g_return_val_if_fail (report != NULL, NULL);

  showtimes = json_object_get_array_member (report, "showtimes");
  for (guint i = 0; showtimes != NULL && i < json_array_get_length (showtimes); i++)
    {
      JsonObject *row = json_array_get_object_element (showtimes, i);
      char        occupancy[G_ASCII_DTOSTR_BUF_SIZE];

      csv_int (out, json_object_get_int_member (row, "id"));
      csv_text (out, json_object_get_string_member (row, "starts_at"));
      csv_text (out, json_object_get_string_member (row, "movie_title"));
      csv_text (out, json_object_get_string_member (row, "auditorium_name"));
      csv_int (out, json_object_get_int_member (row, "tickets_sold"));
      csv_int (out, json_object_get_int_member (row, "seats_total"));
      g_ascii_formatd (occupancy, sizeof occupancy, "%.4f",
                       json_object_get_double_member (row, "occupancy"));
      g_string_append_printf (out, ",%s", occupancy);
      csv_int (out, json_object_get_int_member (row, "revenue"));
      csv_end (out);
    }
  return g_string_free (out, FALSE);
}

char *
gt_report_cashup_to_csv (JsonObject *report)
{
  static const char *const methods[] = { "cash", "card" };
  static const char *const members[] = { "sales", "sales_count", "refunds", "refunds_count" };
  GString                 *out = g_string_new ("user_id,username,display_name,counter,"
                                                               "cash_sales,cash_sales_count,cash_refunds,cash_refunds_count,"
                                                               "card_sales,card_sales_count,card_refunds,card_refunds_count,"
                                                               "sales,refunds,net,expected_cash\r\n");
  JsonArray               *rows;

  g_return_val_if_fail (report != NULL, NULL);

  rows = json_object_get_array_member (report, "cashiers");
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      JsonObject *user = json_object_get_object_member (row, "user");

      csv_int (out, json_object_get_int_member (user, "id"));
      csv_text (out, json_object_get_string_member (user, "username"));
      csv_text (out, json_object_get_string_member (user, "display_name"));
      csv_text (out, json_object_get_string_member (row, "counter"));
      for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
        for (guint k = 0; k < G_N_ELEMENTS (members); k++)
          csv_int (out, json_object_get_int_member (json_object_get_object_member (row, methods[m]),
                                                    members[k]));
      csv_int (out, json_object_get_int_member (row, "sales"));
      csv_int (out, json_object_get_int_member (row, "refunds"));
      csv_int (out, json_object_get_int_member (row, "net"));
      csv_int (out, json_object_get_int_member (row, "expected_cash"));
      csv_end (out);
    }
  return g_string_free (out, FALSE);
}
