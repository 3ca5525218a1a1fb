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

#define MAX_NOTE 500

/* A drawer's last count of the day @day, as {"id","counted","expected_cash",
 * "difference","note","counted_at","counted_by":{…}}, or NULL. */
static JsonObject *
last_count (GtEngine *self, const char *day, gint64 user_id, const char *counter, GError **error)
{
  sqlite3_stmt *stmt = gt_db_query (self->db,
                                    "SELECT d.id, d.counted, d.expected, d.note, d.created_at,"
                                    " u.id, u.username, u.display_name FROM drawer_count d"
                                    " JOIN user u ON u.id = d.counted_by"
                                    " WHERE d.day = ? AND d.user_id = ? AND d.counter = ?"
                                    " ORDER BY d.id DESC LIMIT 1",
                                    "sIs", day, user_id, counter);
  JsonObject   *count;
  JsonObject   *by;

  if (!gt_db_step (self->db, stmt, error))
    return NULL;
  count = json_object_new ();
  by = json_object_new ();
  json_object_set_int_member (count, "id", sqlite3_column_int64 (stmt, 0));
  json_object_set_int_member (count, "counted", sqlite3_column_int64 (stmt, 1));
  json_object_set_int_member (count, "expected_cash", sqlite3_column_int64 (stmt, 2));
  json_object_set_int_member (count, "difference",
                              sqlite3_column_int64 (stmt, 1) - sqlite3_column_int64 (stmt, 2));
  if (sqlite3_column_type (stmt, 3) == SQLITE_NULL)
    json_object_set_null_member (count, "note");
  else
    json_object_set_string_member (count, "note", gt_db_column_text (stmt, 3));
  gt_json_set_time (count, "counted_at", sqlite3_column_int64 (stmt, 4));
  json_object_set_int_member (by, "id", sqlite3_column_int64 (stmt, 5));
  json_object_set_string_member (by, "username", gt_db_column_text (stmt, 6));
  json_object_set_string_member (by, "display_name", gt_db_column_text (stmt, 7));
  json_object_set_object_member (count, "counted_by", by);
  sqlite3_reset (stmt);
  return count;
}

/* Each drawer's last count, and over all of them how many were counted
 * and by how much the counts differ from what was expected then. */
static gboolean
add_counts (GtEngine *self, JsonObject *report, GError **error)
{
  const char *day = json_object_get_string_member (report, "date");
  JsonArray  *rows = json_object_get_array_member (report, "cashiers");
  JsonObject *totals = json_object_get_object_member (report, "totals");
  gint64      counted = 0;
  gint64      difference = 0;
  guint       n_counted = 0;

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      GError     *local_error = NULL;
      JsonObject *count = last_count (
        self, day, json_object_get_int_member (json_object_get_object_member (row, "user"), "id"),
        json_object_get_string_member (row, "counter"), &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
      if (count == NULL)
        {
          json_object_set_null_member (row, "count");
          continue;
        }
      counted += json_object_get_int_member (count, "counted");
      difference += json_object_get_int_member (count, "difference");
      n_counted++;
      json_object_set_object_member (row, "count", count);
    }
  json_object_set_int_member (totals, "drawers", json_array_get_length (rows));
  json_object_set_int_member (totals, "drawers_counted", n_counted);
  json_object_set_int_member (totals, "counted", counted);
  json_object_set_int_member (totals, "difference", difference);
  return TRUE;
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
  if (!add_counts (self, report, error))
    return NULL;
  return g_steal_pointer (&report);
}

JsonObject *
gt_engine_count_drawer (GtEngine *self, GtPrincipal *principal, JsonObject *body, GError **error)
{
  g_autoptr (JsonObject) drawer = json_object_new ();
  g_autoptr (JsonObject) details = json_object_new ();
  g_autofree char *day = NULL;
  g_autofree char *username = NULL;
  const char      *date = NULL;
  const char      *counter = NULL;
  const char      *note = NULL;
  sqlite3_stmt    *stmt;
  JsonObject      *count;
  GError          *local_error = NULL;
  gint64           user_id = 0;
  gint64           counted = 0;
  gint64           from;
  gint64           to;
  gint64           id;
  gboolean         found;
  gboolean         ok;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (!gt_principal_require (principal, GT_ROLE_MANAGER, error)
      || !gt_json_get_string (body, "date", FALSE, 10, &date, error)
      || !gt_json_get_int (body, "user_id", TRUE, 1, G_MAXINT64, &user_id, error)
      || !gt_json_get_string (body, "counter", TRUE, 64, &counter, error)
      || !gt_json_get_int (body, "counted", TRUE, 0, G_MAXINT64 / 2, &counted, error)
      || !gt_json_get_string (body, "note", FALSE, MAX_NOTE, &note, error)
      || !_gt_engine_day_range (self, date, &from, &to, error))
    return NULL;
  if (from > gt_engine_now (self))
    {
      gt_error_set_field (error, "date", "A day still to come has no cash to count");
      return NULL;
    }
  day = day_text (self, from);

  /* What the drawer should hold now, by the same sums as the cash-up. */
  stmt = gt_db_query (self->db,
                      "SELECT u.username, COUNT (p.id)," CASHUP_COLUMNS
                      " FROM user u LEFT JOIN payment p ON p.user_id = u.id AND p.counter = ?2"
                      " AND p.created_at >= ?3 AND p.created_at < ?4 WHERE u.id = ?1",
                      "IsII", user_id, counter, from, to);
  found = gt_db_step (self->db, stmt, &local_error);
  if (found)
    {
      username = g_strdup (gt_db_column_text (stmt, 0));
      found = sqlite3_column_int64 (stmt, 1) > 0;
      if (found)
        set_cashup (drawer, stmt, 2);
      sqlite3_reset (stmt);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (username == NULL)
    {
      gt_error_set_field (error, "user_id", "There is no user %" G_GINT64_FORMAT, user_id);
      return NULL;
    }
  if (!found)
    {
      gt_error_set_field (error, "counter", "“%s” took no payments at “%s” on %s", username,
                          counter, day);
      return NULL;
    }

  if (!_gt_engine_begin (self, error))
    return NULL;
  ok = gt_db_run (self->db, error,
                  "INSERT INTO drawer_count (day, user_id, counter, expected, counted, note,"
                  " counted_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  "sIsIIsII", day, user_id, counter,
                  json_object_get_int_member (drawer, "expected_cash"), counted,
                  note && note[0] ? note : NULL, principal->user_id, gt_engine_now (self));
  id = gt_db_last_insert_id (self->db);
  json_object_set_string_member (details, "date", day);
  json_object_set_string_member (details, "username", username);
  json_object_set_string_member (details, "counter", counter);
  json_object_set_int_member (details, "expected_cash",
                              json_object_get_int_member (drawer, "expected_cash"));
  json_object_set_int_member (details, "counted", counted);
  ok = ok
       && _gt_engine_audit (self, principal, "cashup.count", "drawer", id, note,
                            g_steal_pointer (&details), error);
  if (!_gt_engine_end (self, ok, error))
    return NULL;

  if (!(count = last_count (self, day, user_id, counter, error)))
    return NULL;
  json_object_set_string_member (count, "date", day);
  json_object_set_int_member (count, "user_id", user_id);
  json_object_set_string_member (count, "counter", counter);
  return count;
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
                                                               "sales,refunds,net,expected_cash,counted,difference\r\n");
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
      /* Empty while the drawer is not counted. */
      if (gt_json_object_member (row, "count") != NULL)
        {
          csv_int (out, gt_json_int_member (gt_json_object_member (row, "count"), "counted"));
          csv_int (out, gt_json_int_member (gt_json_object_member (row, "count"), "difference"));
        }
      else
        g_string_append (out, ",,");
      csv_end (out);
    }
  return g_string_free (out, FALSE);
}
