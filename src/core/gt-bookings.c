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

/* Booking codes avoid letters that read like digits (I, L, O, U). With
 * 32 characters, five random bits pick one evenly; one call to the kernel's
 * random source for the whole code (randombytes_uniform() made one each). */
static char *
new_booking_code (void)
{
  static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  char              code[] = "GT-XXXXXX";
  unsigned char     bits[sizeof code - 4];

  G_STATIC_ASSERT (sizeof alphabet - 1 == 32);
  randombytes_buf (bits, sizeof bits);
  for (guint i = 0; i < sizeof bits; i++)
    code[3 + i] = alphabet[bits[i] & 31];
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
                      "SELECT b.code, b.showtime_id,"
                      " CASE WHEN b.status = 'refunded' THEN 'refunded'"
                      "  WHEN EXISTS (SELECT 1 FROM ticket WHERE booking_id = b.id"
                      "   AND refunded_at IS NOT NULL) THEN 'partially_refunded'"
                      "  ELSE b.status END,"
                      " b.total, u.username, b.counter,"
                      " b.created_at, b.customer_name, b.customer_email, b.refunded_at,"
                      " b.refund_reason, p.method, p.amount, p.tendered, p.change, p.reference,"
                      " (SELECT COALESCE (SUM (amount), 0) FROM payment"
                      "  WHERE booking_id = b.id AND purpose = 'refund')"
                      " FROM booking b JOIN user u ON u.id = b.user_id"
                      " JOIN payment p ON p.booking_id = b.id AND p.purpose = 'checkout'"
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
    gt_json_set_time (booking, "refunded_at", sqlite3_column_int64 (stmt, 9));
  if (sqlite3_column_type (stmt, 10) != SQLITE_NULL)
    json_object_set_string_member (booking, "refund_reason", gt_db_column_text (stmt, 10));
  json_object_set_int_member (booking, "refunded_total", sqlite3_column_int64 (stmt, 16));

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
                      "SELECT t.id, t.seat_id, t.type, t.price, t.code, t.checked_in_at, t.door,"
                      " t.showtime_id, t.refunded_at"
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
      json_object_set_int_member (ticket, "showtime_id", sqlite3_column_int64 (stmt, 7));
      if (sqlite3_column_type (stmt, 8) != SQLITE_NULL)
        gt_json_set_time (ticket, "refunded_at", sqlite3_column_int64 (stmt, 8));
      else
        json_object_set_null_member (ticket, "refunded_at");
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

/* A ticket's code signs its id, so the id is chosen first and the row is
 * written once, with its code. Only the engine writes, inside a
 * transaction: the next id is free. Returns the id, or 0. */
static gint64
insert_ticket (GtEngine   *self,
               gint64      booking_id,
               gint64      showtime_id,
               const char *seat,
               const char *type,
               gint64      price,
               GError    **error)
{
  sqlite3_stmt    *stmt = gt_db_query (self->db, "SELECT COALESCE (MAX (id), 0) + 1 FROM ticket",
                                       NULL);
  g_autofree char *code = NULL;
  gint64           id;

  if (!gt_db_step (self->db, stmt, error))
    return 0;
  id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  code = _gt_ticket_sign (self, id);
  if (!gt_db_run (self->db, error,
                  "INSERT INTO ticket (id, booking_id, showtime_id, seat_id, type, price, code)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?)",
                  "IIIssIs", id, booking_id, showtime_id, seat, type, price, code))
    return 0;
  return id;
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
      || !gt_json_get_object (body, "customer", FALSE, &customer, error))
    return FALSE;
  if (!gt_json_get_string (payment, "method", TRUE, 16, &sale->method, error))
    return gt_error_nest_field (error, "payment");
  if (!gt_json_get_string (customer, "name", FALSE, 200, &sale->customer_name, error)
      || !gt_json_get_string (customer, "email", FALSE, 200, &sale->customer_email, error))
    return gt_error_nest_field (error, "customer");

  if (g_str_equal (sale->method, "cash"))
    {
      if (!gt_json_get_int (payment, "tendered", TRUE, 0, G_MAXINT64 / 2, &sale->tendered, error))
        return gt_error_nest_field (error, "payment");
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
        return gt_error_nest_field (error, "payment");
    }
  else
    {
      gt_error_set_field (error, "payment.method", "The payment method is “cash” or “card”");
      return FALSE;
    }
  return TRUE;
}

/* The booking, as logged, or NULL. */
static JsonObject *
sell (GtEngine    *self,
      GtPrincipal *principal,
      gint64       hold_id,
      gint64       showtime_id,
      const char  *key,
      JsonArray   *tickets,
      JsonObject  *prices,
      Sale        *sale,
      GError     **error)
{
  gint64           now = gt_engine_now (self);
  gint64           booking_id;
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
      return NULL;
    }
  booking_id = gt_db_last_insert_id (self->db);

  for (guint i = 0; i < json_array_get_length (tickets); i++)
    {
      JsonObject *t = json_array_get_object_element (tickets, i);
      const char *seat = json_object_get_string_member (t, "seat");
      const char *type = json_object_get_string_member (t, "type");
      gint64      ticket_id = insert_ticket (self, booking_id, showtime_id, seat, type,
                                             json_object_get_int_member (prices, type), error);

      if (ticket_id == 0
          || !gt_db_run (self->db, error,
                         "UPDATE seat_claim SET ticket_id = ?, hold_id = NULL, expires_at = NULL"
                         " WHERE showtime_id = ? AND seat_id = ? AND hold_id = ?",
                         "IIsI", ticket_id, showtime_id, seat, hold_id))
        return NULL;
      if (gt_db_changes (self->db) != 1)
        {
          gt_error_set (error, GT_ERROR_INTERNAL, NULL, "Seat %s left the hold during the sale",
                        seat);
          return NULL;
        }
      if (!_gt_engine_log_seat (self, showtime_id, seat, "held", "sold", error))
        return NULL;
    }

  if (!gt_db_run (self->db, error,
                  "INSERT INTO payment (booking_id, kind, method, amount, tendered, change,"
                  " reference, user_id, counter, created_at)"
                  " VALUES (?, 'sale', ?, ?, NULLIF (?, -1), NULLIF (?, -1), ?, ?, ?, ?)",
                  "IsIIIsIsI", booking_id, sale->method, sale->total,
                  g_str_equal (sale->method, "cash") ? sale->tendered : (gint64) -1,
                  g_str_equal (sale->method, "cash") ? sale->tendered - sale->total : (gint64) -1,
                  sale->reference, principal->user_id, principal->counter, now)
      || !gt_db_run (self->db, error, "UPDATE hold SET state = 'sold' WHERE id = ?", "I", hold_id))
    return NULL;

  if (!(booking = _gt_booking_to_json (self, booking_id, error)))
    return NULL;
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, booking_id);
  if (!_gt_engine_log_change (self, "booking", showtime_id, id_text, "upsert", booking, error))
    return NULL;
  return g_steal_pointer (&booking);
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
      if (read_tickets (self, hold_id, tickets, prices, &sale, error)
          && read_payment (body, &sale, error))
        result = sell (self, principal, hold_id, showtime_id, idempotency_key, tickets, prices,
                       &sale, error);
    }
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

/* {"bookings":[…]} for the booking ids @stmt yields, in its order. */
static JsonObject *
bookings_answer (GtEngine *self, sqlite3_stmt *stmt, GError **error)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (JsonArray) list = json_array_new ();
  GError     *local_error = NULL;
  JsonObject *answer;

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
gt_engine_find_bookings (GtEngine *self, const char *code, gint64 showtime_id, GError **error)
{
  g_autofree char *upper = code ? g_ascii_strup (code, -1) : NULL;
  sqlite3_stmt    *stmt;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  stmt = gt_db_query (self->db,
                      "SELECT id FROM booking WHERE (?1 IS NULL OR code = ?1)"
                      " AND (?2 = 0 OR showtime_id = ?2"
                      "  OR id IN (SELECT booking_id FROM ticket WHERE showtime_id = ?2))"
                      " ORDER BY id LIMIT 10000",
                      "sI", upper, showtime_id);
  return bookings_answer (self, stmt, error);
}

/* The ticket @id of a booking's "tickets", or NULL. */
static JsonObject *
find_ticket (JsonArray *tickets, gint64 id)
{
  for (guint i = 0; i < json_array_get_length (tickets); i++)
    {
      JsonObject *ticket = json_array_get_object_element (tickets, i);

      if (json_object_get_int_member (ticket, "id") == id)
        return ticket;
    }
  return NULL;
}

static gboolean
ticket_refunded (JsonObject *ticket)
{
  return !json_object_get_null_member (ticket, "refunded_at");
}

/* 409 for a ticket refunded already, named in details.tickets. */
static void
set_refunded_error (GError **error, gint64 ticket_id, const char *message)
{
  JsonObject *details = json_object_new ();
  JsonArray  *list = json_array_new ();

  json_array_add_int_element (list, ticket_id);
  json_object_set_array_member (details, "tickets", list);
  gt_error_set (error, GT_ERROR_CONFLICT, details, "%s", message);
}

static gboolean
read_reason (JsonObject *body, const char **reason, GError **error)
{
  g_autofree char *stripped = NULL;

  if (!gt_json_get_string (body, "reason", TRUE, 500, reason, error))
    return FALSE;
  stripped = g_strstrip (g_strdup (*reason));
  if (stripped[0] == '\0')
    {
      gt_error_set_field (error, "reason", "Say why (“reason” must not be empty)");
      return FALSE;
    }
  return TRUE;
}

/* The tickets a refund is for: those listed, or every one not refunded. */
static GPtrArray *
refund_targets (JsonObject *booking, JsonArray *ids, GError **error)
{
  g_autoptr (GPtrArray) targets = g_ptr_array_new ();
  JsonArray *tickets = json_object_get_array_member (booking, "tickets");

  if (ids == NULL)
    {
      for (guint i = 0; i < json_array_get_length (tickets); i++)
        {
          JsonObject *ticket = json_array_get_object_element (tickets, i);

          if (!ticket_refunded (ticket))
            g_ptr_array_add (targets, ticket);
        }
      return g_steal_pointer (&targets);
    }

  if (json_array_get_length (ids) == 0 || json_array_get_length (ids) > 5000)
    {
      gt_error_set_field (error, "tickets", "List the ids of the tickets to refund");
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (ids); i++)
    {
      JsonNode   *node = json_array_get_element (ids, i);
      JsonObject *ticket;
      gint64      id;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
        {
          gt_error_set_field (error, "tickets", "“tickets” is a list of ticket ids");
          return NULL;
        }
      id = json_node_get_int (node);
      if (!(ticket = find_ticket (tickets, id)))
        {
          gt_error_set_field (error, "tickets",
                              "Ticket %" G_GINT64_FORMAT " is not a ticket of this booking", id);
          return NULL;
        }
      if (g_ptr_array_find (targets, ticket, NULL))
        {
          gt_error_set_field (error, "tickets", "Ticket %" G_GINT64_FORMAT " is listed twice", id);
          return NULL;
        }
      if (ticket_refunded (ticket))
        {
          g_autofree char *message =
            g_strdup_printf ("Ticket %" G_GINT64_FORMAT " (seat %s) was refunded already", id,
                             json_object_get_string_member (ticket, "seat"));

          set_refunded_error (error, id, message);
          return NULL;
        }
      g_ptr_array_add (targets, ticket);
    }
  return g_steal_pointer (&targets);
}

static gboolean
log_booking (GtEngine *self, gint64 booking_id, JsonObject **out, GError **error)
{
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, booking_id);
  g_autoptr (JsonObject) booking = _gt_booking_to_json (self, booking_id, error);

  if (booking == NULL
      || !_gt_engine_log_change (self, "booking",
                                 json_object_get_int_member (booking, "showtime_id"), id_text,
                                 "upsert", booking, error))
    return FALSE;
  *out = g_steal_pointer (&booking);
  return TRUE;
}

/* The answer to a refund or a move says what the counter pays the customer
 * back (amount > 0) or takes from them (< 0), and how: the one thing the
 * manager must do next, known for sure only here, in the transaction. */
static void
add_settlement (JsonObject *after, JsonObject *before, const char *method)
{
  JsonObject *settlement = json_object_new ();
  gint64      refunded = json_object_get_int_member (after, "refunded_total")
                    - json_object_get_int_member (before, "refunded_total");
  gint64 added = json_object_get_int_member (after, "total")
                 - json_object_get_int_member (before, "total");

  json_object_set_int_member (settlement, "amount", refunded - added);
  json_object_set_string_member (settlement, "method", method);
  json_object_set_object_member (after, "settlement", settlement);
}

static gboolean
refund_tickets (GtEngine    *self,
                GtPrincipal *principal,
                JsonObject  *booking,
                GPtrArray   *targets,
                const char  *reason,
                GError     **error)
{
  gint64        booking_id = json_object_get_int_member (booking, "id");
  const char   *method = json_object_get_string_member (json_object_get_object_member (booking,
                                                                                       "payment"),
                                                        "method");
  gint64        now = gt_engine_now (self);
  gint64        amount = 0;
  gint64        left = 0;
  JsonObject   *details = json_object_new ();
  JsonArray    *list = json_array_new ();
  sqlite3_stmt *stmt;
  gboolean      ok = TRUE;

  json_object_set_array_member (details, "tickets", list);
  for (guint i = 0; ok && i < targets->len; i++)
    {
      JsonObject *ticket = g_ptr_array_index (targets, i);
      JsonObject *entry = json_object_new ();
      gint64      ticket_id = json_object_get_int_member (ticket, "id");
      gint64      showtime_id = json_object_get_int_member (ticket, "showtime_id");
      const char *seat = json_object_get_string_member (ticket, "seat");

      amount += json_object_get_int_member (ticket, "price");
      json_object_set_int_member (entry, "id", ticket_id);
      json_object_set_int_member (entry, "showtime_id", showtime_id);
      json_object_set_string_member (entry, "seat", seat);
      json_object_set_int_member (entry, "price", json_object_get_int_member (ticket, "price"));
      json_array_add_object_element (list, entry);

      ok = gt_db_run (self->db, error, "UPDATE ticket SET refunded_at = ? WHERE id = ?", "II", now,
                      ticket_id)
           && gt_db_run (self->db, error, "DELETE FROM seat_claim WHERE ticket_id = ?", "I",
                         ticket_id)
           && _gt_engine_log_seat (self, showtime_id, seat, "sold", "free", error);
    }

  ok = ok
       && gt_db_run (self->db, error,
                     "INSERT INTO payment (booking_id, kind, purpose, method, amount, user_id,"
                     " counter, created_at) VALUES (?, 'refund', 'refund', ?, ?, ?, ?, ?)",
                     "IsIIsI", booking_id, method, amount, principal->user_id, principal->counter,
                     now);
  if (ok)
    {
      stmt = gt_db_query (self->db,
                          "SELECT COUNT (*) FROM ticket WHERE booking_id = ?"
                          " AND refunded_at IS NULL",
                          "I", booking_id);
      if ((ok = gt_db_step (self->db, stmt, error)))
        {
          left = sqlite3_column_int64 (stmt, 0);
          sqlite3_reset (stmt);
        }
    }
  /* The booking is refunded once none of its tickets is left. */
  ok = ok
       && gt_db_run (self->db, error,
                     "UPDATE booking SET refund_reason = ?,"
                     " status = CASE WHEN ?2 = 0 THEN 'refunded' ELSE status END,"
                     " refunded_at = CASE WHEN ?2 = 0 THEN ?3 ELSE refunded_at END WHERE id = ?4",
                     "sIII", reason, left, now, booking_id);

  json_object_set_int_member (details, "amount", amount);
  json_object_set_string_member (details, "method", method);
  json_object_set_boolean_member (details, "partial", left > 0);
  if (!ok)
    {
      json_object_unref (details);
      return FALSE;
    }
  return _gt_engine_audit (self, principal, "refund", "booking", booking_id, reason, details,
                           error);
}

JsonObject *
gt_engine_refund (GtEngine    *self,
                  GtPrincipal *principal,
                  gint64       booking_id,
                  JsonObject  *body,
                  GError     **error)
{
  g_autoptr (JsonObject) before = NULL;
  g_autoptr (GPtrArray) targets = NULL;
  JsonObject *result = NULL;
  JsonArray  *ids = NULL;
  const char *reason = NULL;
  gboolean    ok;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);
  g_return_val_if_fail (principal != NULL, NULL);

  if (!gt_principal_require (principal, GT_ROLE_MANAGER, error)
      || !read_reason (body, &reason, error)
      || !gt_json_get_array (body, "tickets", FALSE, &ids, error))
    return NULL;

  if (!_gt_engine_begin (self, error))
    return NULL;

  ok = (before = _gt_booking_to_json (self, booking_id, error)) != NULL;
  if (ok && g_str_equal (json_object_get_string_member (before, "status"), "refunded"))
    {
      gt_error_set (error, GT_ERROR_CONFLICT, NULL, "This booking was refunded already");
      ok = FALSE;
    }
  ok = ok && (targets = refund_targets (before, ids, error)) != NULL
       && refund_tickets (self, principal, before, targets, reason, error)
       && log_booking (self, booking_id, &result, error);
  if (!_gt_engine_end (self, ok, error))
    g_clear_pointer (&result, json_object_unref);
  if (result != NULL)
    add_settlement (
      result, before,
      json_object_get_string_member (json_object_get_object_member (before, "payment"), "method"));
  return result;
}

typedef struct
{
  JsonObject *ticket; /* as in the booking */
  const char *seat;   /* the new seat */
  gint64      price;  /* at the new showtime */
  gint64      new_id;
} Move;

static gboolean
seat_error (GError **error, GtErrorCode code, GPtrArray *seats, const char *message)
{
  JsonObject *details = json_object_new ();
  JsonArray  *list = json_array_new ();

  for (guint i = 0; i < seats->len; i++)
    json_array_add_string_element (list, g_ptr_array_index (seats, i));
  json_object_set_array_member (details, "seats", list);
  gt_error_set (error, code, details, "%s", message);
  return FALSE;
}

/* Reads "seats" of an exchange: tickets of @booking that are still valid,
 * each once, to seats that the auditorium has, each once, with a price at
 * the new showtime. */
static GArray *
read_moves (GtEngine   *self,
            JsonObject *booking,
            JsonArray  *entries,
            gint64      auditorium_id,
            JsonObject *prices,
            GError    **error)
{
  g_autoptr (GArray) moves = g_array_new (FALSE, TRUE, sizeof (Move));
  g_autoptr (GHashTable) seats = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) unknown = g_ptr_array_new ();
  JsonArray *tickets = json_object_get_array_member (booking, "tickets");
  guint      n = json_array_get_length (entries);

  if (n == 0 || n > 50)
    {
      gt_error_set_field (error, "seats", "List 1 to 50 tickets to move");
      return NULL;
    }
  for (guint i = 0; i < n; i++)
    {
      JsonNode   *node = json_array_get_element (entries, i);
      Move        move = { 0 };
      gint64      ticket_id = 0;
      const char *type;

      if (!JSON_NODE_HOLDS_OBJECT (node)
          || !gt_json_get_int (json_node_get_object (node), "ticket_id", TRUE, 1, G_MAXINT64,
                               &ticket_id, NULL)
          || !gt_json_get_string (json_node_get_object (node), "seat", TRUE, 16, &move.seat, NULL))
        {
          gt_error_set_field (error, "seats", "Each entry has a “ticket_id” and a “seat”");
          return NULL;
        }
      if (!(move.ticket = find_ticket (tickets, ticket_id)))
        {
          gt_error_set_field (error, "seats",
                              "Ticket %" G_GINT64_FORMAT " is not a ticket of this booking",
                              ticket_id);
          return NULL;
        }
      for (guint j = 0; j < moves->len; j++)
        if (g_array_index (moves, Move, j).ticket == move.ticket)
          {
            gt_error_set_field (error, "seats", "Ticket %" G_GINT64_FORMAT " is listed twice",
                                ticket_id);
            return NULL;
          }
      if (!g_hash_table_add (seats, (gpointer) move.seat))
        {
          gt_error_set_field (error, "seats", "Seat %s is listed twice", move.seat);
          return NULL;
        }
      if (ticket_refunded (move.ticket))
        {
          g_autofree char *message = g_strdup_printf ("Ticket %" G_GINT64_FORMAT
                                                      " was refunded; it cannot be exchanged",
                                                      ticket_id);

          set_refunded_error (error, ticket_id, message);
          return NULL;
        }
      type = json_object_get_string_member (move.ticket, "type");
      if (!json_object_has_member (prices, type))
        {
          gt_error_set_field (error, "showtime_id", "The new showtime has no “%s” price", type);
          return NULL;
        }
      move.price = json_object_get_int_member (prices, type);

      {
        sqlite3_stmt *stmt = gt_db_query (self->db,
                                          "SELECT 1 FROM seat WHERE auditorium_id = ?"
                                          " AND seat_id = ?",
                                          "Is", auditorium_id, move.seat);

        if (gt_db_step (self->db, stmt, NULL))
          sqlite3_reset (stmt);
        else
          g_ptr_array_add (unknown, (gpointer) move.seat);
      }
      g_array_append_val (moves, move);
    }
  if (unknown->len > 0)
    {
      seat_error (error, GT_ERROR_UNKNOWN_SEAT, unknown, "The auditorium has no such seat");
      return NULL;
    }
  return g_steal_pointer (&moves);
}

/* The seats of @moves not free at @showtime_id once the moving tickets
 * have let go of theirs: held, sold or blocked. */
static gboolean
claim_new_seats (GtEngine *self, gint64 showtime_id, GArray *moves, GError **error)
{
  g_autoptr (GPtrArray) taken = g_ptr_array_new ();
  gint64 now = gt_engine_now (self);

  for (guint i = 0; i < moves->len; i++)
    {
      Move         *move = &g_array_index (moves, Move, i);
      sqlite3_stmt *stmt = gt_db_query (
        self->db,
        "SELECT 1 FROM showtime s JOIN seat st ON st.auditorium_id = s.auditorium_id"
        " AND st.seat_id = ?2 WHERE s.id = ?1 AND (st.blocked OR EXISTS (SELECT 1 FROM seat_claim c"
        " WHERE c.showtime_id = ?1 AND c.seat_id = ?2"
        " AND (c.ticket_id IS NOT NULL OR c.expires_at > ?3)))",
        "IsI", showtime_id, move->seat, now);

      if (gt_db_step (self->db, stmt, NULL))
        {
          sqlite3_reset (stmt);
          g_ptr_array_add (taken, (gpointer) move->seat);
        }
    }
  if (taken->len > 0)
    return seat_error (error, GT_ERROR_SEAT_UNAVAILABLE, taken,
                       taken->len == 1 ? "That seat is not available"
                                       : "Those seats are not available");
  /* A hold past its expiry whose release has not run yet lets go now. */
  for (guint i = 0; i < moves->len; i++)
    if (!gt_db_run (self->db, error, "DELETE FROM seat_claim WHERE showtime_id = ? AND seat_id = ?",
                    "Is", showtime_id, g_array_index (moves, Move, i).seat))
      return FALSE;
  return TRUE;
}

static gboolean
move_tickets (GtEngine    *self,
              GtPrincipal *principal,
              JsonObject  *booking,
              gint64       showtime_id,
              GArray      *moves,
              const char  *method,
              const char  *reason,
              GError     **error)
{
  gint64      booking_id = json_object_get_int_member (booking, "id");
  gint64      old_showtime = json_object_get_int_member (booking, "showtime_id");
  gint64      now = gt_engine_now (self);
  gint64      difference = 0;
  JsonObject *details;
  JsonArray  *list;
  gboolean    ok = TRUE;

  /* Every old seat lets go first, so tickets may swap seats. */
  for (guint i = 0; ok && i < moves->len; i++)
    ok = gt_db_run (self->db, error, "DELETE FROM seat_claim WHERE ticket_id = ?", "I",
                    json_object_get_int_member (g_array_index (moves, Move, i).ticket, "id"));
  if (!ok || !claim_new_seats (self, showtime_id, moves, error))
    return FALSE;

  /* A new code is a new ticket id: the old ticket row goes, so its code
   * finds nothing any more. The new row is inserted first, so the old id,
   * smaller than any to come, is never handed out again. */
  for (guint i = 0; ok && i < moves->len; i++)
    {
      Move  *move = &g_array_index (moves, Move, i);
      gint64 old_id = json_object_get_int_member (move->ticket, "id");

      move->new_id = insert_ticket (self, booking_id, showtime_id, move->seat,
                                    json_object_get_string_member (move->ticket, "type"),
                                    move->price, error);
      ok =
        move->new_id != 0
        && gt_db_run (self->db, error,
                      "INSERT INTO seat_claim (showtime_id, seat_id, ticket_id) VALUES (?, ?, ?)",
                      "IsI", showtime_id, move->seat, move->new_id)
        && gt_db_run (self->db, error, "DELETE FROM ticket WHERE id = ?", "I", old_id);
      difference += move->price - json_object_get_int_member (move->ticket, "price");
    }
  /* All seats let go before any is taken: a replica that applies the log
   * in order never ends with a seat it saw freed after it was taken. */
  for (guint i = 0; ok && i < moves->len; i++)
    {
      Move *move = &g_array_index (moves, Move, i);

      ok = _gt_engine_log_seat (self, json_object_get_int_member (move->ticket, "showtime_id"),
                                json_object_get_string_member (move->ticket, "seat"), "sold",
                                "free", error);
    }
  for (guint i = 0; ok && i < moves->len; i++)
    ok = _gt_engine_log_seat (self, showtime_id, g_array_index (moves, Move, i).seat, "free",
                              "sold", error);

  if (ok && difference != 0)
    ok = gt_db_run (self->db, error,
                    "INSERT INTO payment (booking_id, kind, purpose, method, amount, user_id,"
                    " counter, created_at) VALUES (?, ?, 'exchange', ?, ?, ?, ?, ?)",
                    "IssIIsI", booking_id, difference > 0 ? "sale" : "refund", method,
                    ABS (difference), principal->user_id, principal->counter, now);
  /* The booking follows its tickets once none is left at the old showtime. */
  ok = ok
       && gt_db_run (self->db, error, "UPDATE booking SET total = total + ? WHERE id = ?", "II",
                     difference, booking_id)
       && gt_db_run (self->db, error,
                     "UPDATE booking SET showtime_id = ?1 WHERE id = ?2 AND NOT EXISTS"
                     " (SELECT 1 FROM ticket WHERE booking_id = ?2 AND showtime_id = ?3"
                     "  AND refunded_at IS NULL)",
                     "III", showtime_id, booking_id, old_showtime);
  if (!ok)
    return FALSE;

  details = json_object_new ();
  list = json_array_new ();
  json_object_set_int_member (details, "showtime_id", showtime_id);
  json_object_set_int_member (details, "difference", difference);
  json_object_set_string_member (details, "method", method);
  json_object_set_array_member (details, "tickets", list);
  for (guint i = 0; i < moves->len; i++)
    {
      Move       *move = &g_array_index (moves, Move, i);
      JsonObject *entry = json_object_new ();

      json_object_set_int_member (entry, "old_ticket_id",
                                  json_object_get_int_member (move->ticket, "id"));
      json_object_set_int_member (entry, "ticket_id", move->new_id);
      json_object_set_int_member (entry, "from_showtime_id",
                                  json_object_get_int_member (move->ticket, "showtime_id"));
      json_object_set_string_member (entry, "from_seat",
                                     json_object_get_string_member (move->ticket, "seat"));
      json_object_set_string_member (entry, "seat", move->seat);
      json_object_set_int_member (entry, "old_price",
                                  json_object_get_int_member (move->ticket, "price"));
      json_object_set_int_member (entry, "price", move->price);
      json_array_add_object_element (list, entry);
    }
  return _gt_engine_audit (self, principal, "exchange", "booking", booking_id, reason, details,
                           error);
}

JsonObject *
gt_engine_exchange (GtEngine    *self,
                    GtPrincipal *principal,
                    gint64       booking_id,
                    JsonObject  *body,
                    GError     **error)
{
  g_autoptr (JsonObject) before = NULL;
  g_autoptr (JsonNode) prices = NULL;
  g_autoptr (GArray) moves = NULL;
  JsonObject   *result = NULL;
  JsonArray    *entries = NULL;
  const char   *reason = NULL;
  const char   *method = NULL;
  sqlite3_stmt *stmt;
  gint64        showtime_id = 0;
  gint64        auditorium_id = 0;
  gint64        starts_at = 0;
  gboolean      ok;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);
  g_return_val_if_fail (principal != NULL, NULL);

  if (!gt_principal_require (principal, GT_ROLE_MANAGER, error)
      || !gt_json_get_int (body, "showtime_id", TRUE, 1, G_MAXINT64, &showtime_id, error)
      || !gt_json_get_array (body, "seats", TRUE, &entries, error)
      || !read_reason (body, &reason, error)
      || !gt_json_get_string (body, "method", FALSE, 16, &method, error))
    return NULL;
  if (method != NULL && !g_str_equal (method, "cash") && !g_str_equal (method, "card"))
    {
      gt_error_set_field (error, "method", "The payment method is “cash” or “card”");
      return NULL;
    }

  if (!_gt_engine_begin (self, error))
    return NULL;

  ok = (before = _gt_booking_to_json (self, booking_id, error)) != NULL;
  if (ok && g_str_equal (json_object_get_string_member (before, "status"), "refunded"))
    {
      gt_error_set (error, GT_ERROR_CONFLICT, NULL, "This booking was refunded");
      ok = FALSE;
    }
  if (ok)
    {
      stmt = gt_db_query (self->db,
                          "SELECT auditorium_id, starts_at, prices FROM showtime WHERE id = ?", "I",
                          showtime_id);
      if (gt_db_step (self->db, stmt, error))
        {
          auditorium_id = sqlite3_column_int64 (stmt, 0);
          starts_at = sqlite3_column_int64 (stmt, 1);
          prices = gt_json_parse (gt_db_column_text (stmt, 2), -1, NULL);
          sqlite3_reset (stmt);
        }
      if (prices == NULL || !JSON_NODE_HOLDS_OBJECT (prices))
        {
          if (error == NULL || *error == NULL)
            gt_error_set_field (error, "showtime_id", "There is no showtime %" G_GINT64_FORMAT,
                                showtime_id);
          ok = FALSE;
        }
    }
  if (ok && starts_at <= gt_engine_now (self))
    {
      gt_error_set (error, GT_ERROR_SHOWTIME_CLOSED, NULL,
                    "That showtime has started; tickets can only move to one still to come");
      ok = FALSE;
    }
  if (ok && method == NULL)
    method = json_object_get_string_member (json_object_get_object_member (before, "payment"),
                                            "method");
  ok = ok
       && (moves = read_moves (self, before, entries, auditorium_id, json_node_get_object (prices),
                               error))
            != NULL
       && move_tickets (self, principal, before, showtime_id, moves, method, reason, error)
       && log_booking (self, booking_id, &result, error);
  if (!_gt_engine_end (self, ok, error))
    g_clear_pointer (&result, json_object_unref);
  if (result != NULL)
    add_settlement (result, before, method);
  return result;
}

#define SEARCH_LIMIT 100

JsonObject *
gt_engine_search_bookings (GtEngine   *self,
                           const char *q,
                           const char *date,
                           const char *day,
                           GError    **error)
{
  g_autofree char *text = NULL;
  g_autofree char *upper = NULL;
  sqlite3_stmt    *stmt;
  gint64           from = G_MININT64;
  gint64           to = G_MAXINT64;
  gint64           day_from = G_MININT64;
  gint64           day_to = G_MAXINT64;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (q != NULL)
    {
      text = g_strstrip (g_strdup (q));
      if (text[0] == '\0' || strlen (text) > 100 || !g_utf8_validate (text, -1, NULL))
        {
          gt_error_set_field (error, "q", "Search for 1 to 100 characters");
          return NULL;
        }
      upper = g_ascii_strup (text, -1);
    }
  if (date != NULL && !_gt_engine_day_range (self, date, &from, &to, error))
    return NULL;
  if (day != NULL && !_gt_engine_day_range (self, day, &day_from, &day_to, NULL))
    {
      gt_error_set_field (error, "day", "The day is written YYYY-MM-DD");
      return NULL;
    }

  stmt =
    gt_db_query (self->db,
                 "SELECT b.id FROM booking b JOIN showtime s ON s.id = b.showtime_id"
                 " WHERE s.starts_at >= ?3 AND s.starts_at < ?4"
                 " AND ((b.created_at >= ?6 AND b.created_at < ?7)"
                 "  OR (s.starts_at >= ?6 AND s.starts_at < ?7)) AND (?1 IS NULL"
                 "  OR substr (b.code, 1, length (?2)) = ?2 OR substr (b.code, 4, length (?2)) = ?2"
                 "  OR instr (gt_casefold (b.customer_name), gt_casefold (?1)) > 0"
                 "  OR EXISTS (SELECT 1 FROM ticket t WHERE t.booking_id = b.id"
                 "   AND (t.seat_id = ?1 OR t.seat_id = ?2)))"
                 " ORDER BY b.created_at DESC, b.id DESC LIMIT ?5",
                 "ssIIIII", text, upper, from, to, (gint64) SEARCH_LIMIT, day_from, day_to);
  return bookings_answer (self, stmt, error);
}
