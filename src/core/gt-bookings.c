/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-bookings"

#include "config.h"

#include "gt-engine-private.h"
#include "gt-json.h"

#define MAX_KEY 128

static gint64
booking_by_key (GtEngine *self, const char *key)
{
  sqlite3_stmt *stmt = gt_db_query (self->db, "SELECT id FROM booking WHERE idempotency_key = ?",
                                    "s", key);
  gint64        id = 0;

  if (gt_db_step (self->db, stmt, NULL))
    {
      id = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  return id;
}

/* Booking codes avoid letters that read like digits (I, L, O, U). */
static char *
new_booking_code (void)
{
  static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  char              code[] = "GT-XXXXXX";

  for (guint i = 3; i < sizeof code - 1; i++)
    code[i] = alphabet[randombytes_uniform (sizeof alphabet - 1)];
  return g_strdup (code);
}

JsonObject *
_gt_booking_to_json (GtEngine *self, gint64 id, GError **error)
{
  JsonObject   *booking;
  JsonObject   *payment;
  JsonArray    *tickets;
  sqlite3_stmt *stmt;
  GError       *local_error = NULL;

  stmt = gt_db_query (self->db,
                      "SELECT b.code, b.showtime_id, b.status, b.total, u.username, b.counter,"
                      " b.created_at, b.customer_name, b.customer_email, b.refunded_at,"
                      " b.refund_reason, p.method, p.amount, p.tendered, p.change, p.reference"
                      " FROM booking b JOIN user u ON u.id = b.user_id"
                      " JOIN payment p ON p.booking_id = b.id AND p.kind = 'sale'"
                      " WHERE b.id = ?",
                      "I", id);
  if (!gt_db_step (self->db, stmt, error))
    {
      if (error == NULL || *error == NULL)
        gt_error_set (error, GT_ERROR_NOT_FOUND, NULL, "There is no booking %" G_GINT64_FORMAT, id);
      return NULL;
    }

  booking = json_object_new ();
  json_object_set_int_member (booking, "id", id);
  json_object_set_string_member (booking, "code", gt_db_column_text (stmt, 0));
  json_object_set_int_member (booking, "showtime_id", sqlite3_column_int64 (stmt, 1));
  json_object_set_string_member (booking, "status", gt_db_column_text (stmt, 2));
  json_object_set_int_member (booking, "total", sqlite3_column_int64 (stmt, 3));
  json_object_set_string_member (booking, "cashier", gt_db_column_text (stmt, 4));
  json_object_set_string_member (booking, "counter", gt_db_column_text (stmt, 5));
  gt_json_set_time (booking, "created_at", sqlite3_column_int64 (stmt, 6));
  if (sqlite3_column_type (stmt, 7) != SQLITE_NULL || sqlite3_column_type (stmt, 8) != SQLITE_NULL)
    {
      JsonObject *customer = json_object_new ();

      if (sqlite3_column_type (stmt, 7) != SQLITE_NULL)
        json_object_set_string_member (customer, "name", gt_db_column_text (stmt, 7));
      if (sqlite3_column_type (stmt, 8) != SQLITE_NULL)
        json_object_set_string_member (customer, "email", gt_db_column_text (stmt, 8));
      json_object_set_object_member (booking, "customer", customer);
    }
  if (sqlite3_column_type (stmt, 9) != SQLITE_NULL)
    {
      gt_json_set_time (booking, "refunded_at", sqlite3_column_int64 (stmt, 9));
      json_object_set_string_member (booking, "refund_reason", gt_db_column_text (stmt, 10));
    }

  payment = json_object_new ();
  json_object_set_string_member (payment, "method", gt_db_column_text (stmt, 11));
  json_object_set_int_member (payment, "amount", sqlite3_column_int64 (stmt, 12));
  if (sqlite3_column_type (stmt, 13) != SQLITE_NULL)
    {
      json_object_set_int_member (payment, "tendered", sqlite3_column_int64 (stmt, 13));
      json_object_set_int_member (payment, "change", sqlite3_column_int64 (stmt, 14));
    }
  if (sqlite3_column_type (stmt, 15) != SQLITE_NULL)
    json_object_set_string_member (payment, "reference", gt_db_column_text (stmt, 15));
  json_object_set_object_member (booking, "payment", payment);
  sqlite3_reset (stmt);

  tickets = json_array_new ();
  stmt = gt_db_query (self->db,
                      "SELECT t.id, t.seat_id, t.type, t.price, t.code, t.checked_in_at, t.door"
                      " FROM ticket t JOIN showtime s ON s.id = t.showtime_id"
                      " LEFT JOIN seat st ON st.auditorium_id = s.auditorium_id"
                      "  AND st.seat_id = t.seat_id"
                      " WHERE t.booking_id = ? ORDER BY st.row_index, st.x, t.id",
                      "I", id);
  while (gt_db_step (self->db, stmt, &local_error))
    {
      JsonObject *ticket = json_object_new ();

      json_object_set_int_member (ticket, "id", sqlite3_column_int64 (stmt, 0));
      json_object_set_string_member (ticket, "seat", gt_db_column_text (stmt, 1));
      json_object_set_string_member (ticket, "type", gt_db_column_text (stmt, 2));
      json_object_set_int_member (ticket, "price", sqlite3_column_int64 (stmt, 3));
      json_object_set_string_member (ticket, "code", gt_db_column_text (stmt, 4));
      if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
        {
          gt_json_set_time (ticket, "checked_in_at", sqlite3_column_int64 (stmt, 5));
          json_object_set_string_member (ticket, "door", gt_db_column_text (stmt, 6));
        }
      else
        json_object_set_null_member (ticket, "checked_in_at");
      json_array_add_object_element (tickets, ticket);
    }
  json_object_set_array_member (booking, "tickets", tickets);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      g_clear_pointer (&booking, json_object_unref);
    }
  return booking;
}

typedef struct
{
  gint64      total;
  const char *method;
  gint64      tendered;
  const char *reference;
  const char *customer_name;
  const char *customer_email;
} Sale;

/* Checks that the tickets name every seat of the hold once, with a type the
 * showtime has a price for; sums the total. */
static gboolean
read_tickets (GtEngine   *self,
              gint64      hold_id,
              JsonArray  *tickets,
              JsonObject *prices,
              Sale       *sale,
              GError    **error)
{
  g_autoptr (GHashTable) held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GError       *local_error = NULL;
  sqlite3_stmt *stmt;
  guint         n = json_array_get_length (tickets);

  stmt = gt_db_query (self->db, "SELECT seat_id FROM seat_claim WHERE hold_id = ?", "I", hold_id);
  while (gt_db_step (self->db, stmt, &local_error))
    g_hash_table_add (held, g_strdup (gt_db_column_text (stmt, 0)));
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (g_hash_table_size (held) == 0)
    {
      gt_error_set_field (error, "tickets", "The hold has no seats left to sell");
      return FALSE;
    }
  if (n != g_hash_table_size (held))
    {
      gt_error_set_field (error, "tickets", "Give one ticket for each of the %u held seats",
                          g_hash_table_size (held));
      return FALSE;
    }

  sale->total = 0;
  for (guint i = 0; i < n; i++)
    {
      JsonNode   *node = json_array_get_element (tickets, i);
      const char *seat = NULL;
      const char *type = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node)
          || !gt_json_get_string (json_node_get_object (node), "seat", TRUE, 16, &seat, NULL)
          || !gt_json_get_string (json_node_get_object (node), "type", TRUE, 32, &type, NULL))
        {
          gt_error_set_field (error, "tickets", "Each ticket has a “seat” and a “type”");
          return FALSE;
        }
      if (!g_hash_table_remove (held, seat))
        {
          gt_error_set_field (error, "tickets", "Seat %s is not in the hold, or is listed twice",
                              seat);
          return FALSE;
        }
      if (!json_object_has_member (prices, type))
        {
          gt_error_set_field (error, "tickets", "This showtime has no “%s” price", type);
          return FALSE;
        }
      sale->total += json_object_get_int_member (prices, type);
    }
  return TRUE;
}

static gboolean
read_payment (JsonObject *body, Sale *sale, GError **error)
{
  JsonObject *payment = NULL;
  JsonObject *customer = NULL;

  if (!gt_json_get_object (body, "payment", TRUE, &payment, error)
      || !gt_json_get_string (payment, "method", TRUE, 16, &sale->method, error)
      || !gt_json_get_object (body, "customer", FALSE, &customer, error)
      || !gt_json_get_string (customer, "name", FALSE, 200, &sale->customer_name, error)
      || !gt_json_get_string (customer, "email", FALSE, 200, &sale->customer_email, error))
    return FALSE;

  if (g_str_equal (sale->method, "cash"))
    {
      if (!gt_json_get_int (payment, "tendered", TRUE, 0, G_MAXINT64 / 2, &sale->tendered, error))
        return FALSE;
      if (sale->tendered < sale->total)
        {
          JsonObject *details = json_object_new ();

          json_object_set_int_member (details, "total", sale->total);
          json_object_set_int_member (details, "tendered", sale->tendered);
          gt_error_set (error, GT_ERROR_PAYMENT_INSUFFICIENT, details,
                        "The cash given (%" G_GINT64_FORMAT
                        ") is less than the total (%" G_GINT64_FORMAT ")",
                        sale->tendered, sale->total);
          return FALSE;
        }
    }
  else if (g_str_equal (sale->method, "card"))
    {
      if (!gt_json_get_string (payment, "reference", FALSE, 100, &sale->reference, error))
        return FALSE;
    }
  else
    {
      gt_error_set_field (error, "payment.method", "The payment method is “cash” or “card”");
      return FALSE;
    }
  return TRUE;
}

static gboolean
sell (GtEngine    *self,
      GtPrincipal *principal,
      gint64       hold_id,
      gint64       showtime_id,
      const char  *key,
      JsonArray   *tickets,
      JsonObject  *prices,
      Sale        *sale,
      gint64      *booking_id,
      GError     **error)
{
  gint64           now = gt_engine_now (self);
  g_autofree char *id_text = NULL;
  g_autoptr (JsonObject) booking = NULL;
  gboolean inserted = FALSE;

  /* A code collision is rare; try a few fresh ones. */
  for (guint attempt = 0; !inserted && attempt < 8; attempt++)
    {
      g_autofree char *code = new_booking_code ();

      inserted = gt_db_run (self->db, NULL,
                            "INSERT INTO booking (code, showtime_id, user_id, counter, status,"
                            " total, customer_name, customer_email, idempotency_key, created_at)"
                            " VALUES (?, ?, ?, ?, 'paid', ?, ?, ?, ?, ?)",
                            "sIIsIsssI", code, showtime_id, principal->user_id, principal->counter,
                            sale->total, sale->customer_name, sale->customer_email, key, now);
    }
  if (!inserted)
    {
      gt_error_set (error, GT_ERROR_INTERNAL, NULL, "Could not record the booking");
      return FALSE;
    }
  *booking_id = gt_db_last_insert_id (self->db);

  for (guint i = 0; i < json_array_get_length (tickets); i++)
    {
      JsonObject      *t = json_array_get_object_element (tickets, i);
      const char      *seat = json_object_get_string_member (t, "seat");
      const char      *type = json_object_get_string_member (t, "type");
      g_autofree char *code = NULL;
      gint64           ticket_id;

      if (!gt_db_run (self->db, error,
                      "INSERT INTO ticket (booking_id, showtime_id, seat_id, type, price)"
                      " VALUES (?, ?, ?, ?, ?)",
                      "IIssI", *booking_id, showtime_id, seat, type,
                      json_object_get_int_member (prices, type)))
        return FALSE;
      ticket_id = gt_db_last_insert_id (self->db);
      code = _gt_ticket_sign (self, ticket_id);
      if (!gt_db_run (self->db, error, "UPDATE ticket SET code = ? WHERE id = ?", "sI", code,
                      ticket_id)
          || !gt_db_run (self->db, error,
                         "UPDATE seat_claim SET ticket_id = ?, hold_id = NULL, expires_at = NULL"
                         " WHERE showtime_id = ? AND seat_id = ? AND hold_id = ?",
                         "IIsI", ticket_id, showtime_id, seat, hold_id)
          || !_gt_engine_log_seat (self, showtime_id, seat, "sold", error))
        return FALSE;
      if (gt_db_changes (self->db) != 1)
        {
          gt_error_set (error, GT_ERROR_INTERNAL, NULL, "Seat %s left the hold during the sale",
                        seat);
          return FALSE;
        }
    }

  if (!gt_db_run (self->db, error,
                  "INSERT INTO payment (booking_id, kind, method, amount, tendered, change,"
                  " reference, user_id, counter, created_at)"
                  " VALUES (?, 'sale', ?, ?, NULLIF (?, -1), NULLIF (?, -1), ?, ?, ?, ?)",
                  "IsIIIsIsI", *booking_id, sale->method, sale->total,
                  g_str_equal (sale->method, "cash") ? sale->tendered : (gint64) -1,
                  g_str_equal (sale->method, "cash") ? sale->tendered - sale->total : (gint64) -1,
                  sale->reference, principal->user_id, principal->counter, now)
      || !gt_db_run (self->db, error, "UPDATE hold SET state = 'sold' WHERE id = ?", "I", hold_id))
    return FALSE;

  if (!(booking = _gt_booking_to_json (self, *booking_id, error)))
    return FALSE;
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, *booking_id);
  return _gt_engine_log_change (self, "booking", showtime_id, id_text, "upsert", booking, error);
}

static JsonNode *
showtime_prices (GtEngine *self, gint64 showtime_id, GError **error)
{
  sqlite3_stmt *stmt = gt_db_query (self->db, "SELECT prices FROM showtime WHERE id = ?", "I",
                                    showtime_id);
  JsonNode     *prices = NULL;

  if (gt_db_step (self->db, stmt, error))
    {
      prices = gt_json_parse (gt_db_column_text (stmt, 0), -1, error);
      sqlite3_reset (stmt);
    }
  else if (error == NULL || *error == NULL)
    gt_error_set (error, GT_ERROR_NOT_FOUND, NULL, "There is no showtime %" G_GINT64_FORMAT,
                  showtime_id);
  return prices;
}

JsonObject *
gt_engine_checkout (GtEngine    *self,
                    GtPrincipal *principal,
                    gint64       hold_id,
                    const char  *idempotency_key,
                    JsonObject  *body,
                    gboolean    *replayed,
                    GError     **error)
{
  g_autoptr (JsonNode) prices_node = NULL;
  JsonArray    *tickets = NULL;
  JsonObject   *prices;
  JsonObject   *result = NULL;
  sqlite3_stmt *stmt;
  Sale          sale = { 0 };
  gint64        showtime_id = 0;
  gint64        booking_id = 0;
  gint64        existing;
  const char   *state = NULL;
  gboolean      ok;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);
  g_return_val_if_fail (principal != NULL, NULL);

  *replayed = FALSE;
  if (idempotency_key == NULL || idempotency_key[0] == '\0' || strlen (idempotency_key) > MAX_KEY)
    {
      gt_error_set_field (error, "Idempotency-Key",
                          "A checkout needs an Idempotency-Key header (a fresh UUID per sale)");
      return NULL;
    }

  /* The same key again is the same sale: answer it, sell nothing. */
  if ((existing = booking_by_key (self, idempotency_key)) != 0)
    {
      *replayed = TRUE;
      return _gt_booking_to_json (self, existing, error);
    }

  if (!_gt_engine_begin (self, error))
    return NULL;

  stmt = gt_db_query (self->db,
                      "SELECT showtime_id, session_id, state, expires_at FROM hold WHERE id = ?",
                      "I", hold_id);
  ok = gt_db_step (self->db, stmt, error);
  if (ok)
    {
      showtime_id = sqlite3_column_int64 (stmt, 0);
      state = g_intern_string (gt_db_column_text (stmt, 2));
      if (sqlite3_column_int64 (stmt, 1) != principal->session_id)
        state = g_intern_static_string ("other");
      sqlite3_reset (stmt);
    }
  if (!ok || state == g_intern_static_string ("other")
      || state == g_intern_static_string ("released") || state == g_intern_static_string ("sold"))
    {
      if (error == NULL || *error == NULL)
        gt_error_set (error, GT_ERROR_NOT_FOUND, NULL, "There is no hold %" G_GINT64_FORMAT,
                      hold_id);
      ok = FALSE;
    }
  else if (state == g_intern_static_string ("expired"))
    {
      gt_error_set (error, GT_ERROR_HOLD_EXPIRED, NULL,
                    "The hold timed out before payment; its seats are free again");
      ok = FALSE;
    }

  ok = ok && (prices_node = showtime_prices (self, showtime_id, error)) != NULL
       && gt_json_get_array (body, "tickets", TRUE, &tickets, error);
  if (ok)
    {
      prices = json_node_get_object (prices_node);
      ok = read_tickets (self, hold_id, tickets, prices, &sale, error)
           && read_payment (body, &sale, error)
           && sell (self, principal, hold_id, showtime_id, idempotency_key, tickets, prices, &sale,
                    &booking_id, error);
    }
  if (ok)
    result = _gt_booking_to_json (self, booking_id, error);
  if (!_gt_engine_end (self, result != NULL, error))
    g_clear_pointer (&result, json_object_unref);
  return result;
}

JsonObject *
gt_engine_get_booking (GtEngine *self, gint64 id, GError **error)
{
  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);
  return _gt_booking_to_json (self, id, error);
}

JsonObject *
gt_engine_find_bookings (GtEngine *self, const char *code, gint64 showtime_id, GError **error)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (JsonArray) list = json_array_new ();
  g_autofree char *upper = code ? g_ascii_strup (code, -1) : NULL;
  GError          *local_error = NULL;
  sqlite3_stmt    *stmt;
  JsonObject      *answer;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  stmt = gt_db_query (self->db,
                      "SELECT id FROM booking WHERE (?1 IS NULL OR code = ?1)"
                      " AND (?2 = 0 OR showtime_id = ?2) ORDER BY id LIMIT 10000",
                      "sI", upper, showtime_id);
  while (gt_db_step (self->db, stmt, &local_error))
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  for (guint i = 0; local_error == NULL && i < ids->len; i++)
    {
      JsonObject *booking = _gt_booking_to_json (self, g_array_index (ids, gint64, i),
                                                 &local_error);

      if (booking != NULL)
        json_array_add_object_element (list, booking);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  answer = json_object_new ();
  json_object_set_array_member (answer, "bookings", g_steal_pointer (&list));
  return answer;
}

JsonObject *
gt_engine_refund (GtEngine    *self,
                  GtPrincipal *principal,
                  gint64       booking_id,
                  JsonObject  *body,
                  GError     **error)
{
  g_autoptr (GPtrArray) seats = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (JsonObject) before = NULL;
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, booking_id);
  JsonObject      *result = NULL;
  JsonObject      *payment;
  const char      *reason = "";
  gint64           showtime_id;
  gint64           now;
  gboolean         ok;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);
  g_return_val_if_fail (principal != NULL, NULL);

  if (!gt_principal_require (principal, GT_ROLE_MANAGER, error)
      || !gt_json_get_string (body, "reason", FALSE, 500, &reason, error))
    return NULL;

  if (!_gt_engine_begin (self, error))
    return NULL;

  ok = (before = _gt_booking_to_json (self, booking_id, error)) != NULL;
  if (ok && g_str_equal (json_object_get_string_member (before, "status"), "refunded"))
    {
      gt_error_set (error, GT_ERROR_CONFLICT, NULL, "This booking was refunded already");
      ok = FALSE;
    }
  if (ok)
    {
      JsonArray *tickets = json_object_get_array_member (before, "tickets");

      showtime_id = json_object_get_int_member (before, "showtime_id");
      payment = json_object_get_object_member (before, "payment");
      now = gt_engine_now (self);
      for (guint i = 0; i < json_array_get_length (tickets); i++)
        g_ptr_array_add (seats, g_strdup (json_object_get_string_member (
                                  json_array_get_object_element (tickets, i), "seat")));

      ok = gt_db_run (self->db, error,
                      "UPDATE booking SET status = 'refunded', refunded_at = ?, refund_reason = ?"
                      " WHERE id = ?",
                      "IsI", now, reason, booking_id)
           && gt_db_run (self->db, error,
                         "DELETE FROM seat_claim WHERE ticket_id IN"
                         " (SELECT id FROM ticket WHERE booking_id = ?)",
                         "I", booking_id)
           && gt_db_run (self->db, error,
                         "INSERT INTO payment (booking_id, kind, method, amount, user_id, counter,"
                         " created_at) VALUES (?, 'refund', ?, ?, ?, ?, ?)",
                         "IsIIsI", booking_id, json_object_get_string_member (payment, "method"),
                         json_object_get_int_member (before, "total"), principal->user_id,
                         principal->counter, now);
      for (guint i = 0; ok && i < seats->len; i++)
        ok = _gt_engine_log_seat (self, showtime_id, g_ptr_array_index (seats, i), "free", error);
    }
  if (ok && (result = _gt_booking_to_json (self, booking_id, error)) != NULL
      && !_gt_engine_log_change (self, "booking", showtime_id, id_text, "upsert", result, error))
    g_clear_pointer (&result, json_object_unref);
  if (!_gt_engine_end (self, result != NULL, error))
    g_clear_pointer (&result, json_object_unref);
  return result;
}
