/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-tickets"

#include "config.h"

#include "gt-engine-private.h"
#include "gt-json.h"
#include "gt-tickets.h"

/* A ticket code is base64url (no padding) of the ticket id (8 bytes, little
 * endian) and an Ed25519 signature of "GT1" + those 8 bytes: a door with the
 * public key from /config can tell a forged code without the database. */
#define CODE_BYTES (8 + crypto_sign_BYTES)
/* How old an admission made at an offline door may be when it arrives. */
#define ADMITTED_MAX_AGE (24 * G_TIME_SPAN_HOUR)

static void
signed_message (gint64 ticket_id, guchar msg[11])
{
  guint64 le = GUINT64_TO_LE ((guint64) ticket_id);

  memcpy (msg, "GT1", 3);
  memcpy (msg + 3, &le, 8);
}

static char *
sign_now (GtEngine *self, gint64 ticket_id)
{
  guchar raw[CODE_BYTES];
  guchar msg[11];
  char   text[sodium_base64_ENCODED_LEN (CODE_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  signed_message (ticket_id, msg);
  memcpy (raw, msg + 3, 8);
  crypto_sign_detached (raw + 8, NULL, msg, sizeof msg, self->sign_secret);
  sodium_bin2base64 (text, sizeof text, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return g_strdup (text);
}

/* One code at a time, at the lowest priority: a sale that comes meanwhile
 * waits for one signature at most. */
static gboolean
on_sign_ahead_cb (gpointer user_data)
{
  GtEngine *self = user_data;

  for (gint64 id = self->sign_ahead_from; id < self->sign_ahead_from + GT_SIGN_AHEAD; id++)
    {
      GtSignedCode *slot = &self->signed_ahead[id % GT_SIGN_AHEAD];

      if (slot->id == id && slot->code != NULL)
        continue;
      g_free (slot->code);
      slot->id = id;
      slot->code = sign_now (self, id);
      return G_SOURCE_CONTINUE;
    }
  g_clear_pointer (&self->sign_ahead_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

/* An Ed25519 signature takes some 20–30 µs here, a fifth of a checkout on the
 * engine. The next tickets take the ids after the last one sold, so their
 * codes are signed ahead, when the engine has nothing else to do. */
char *
_gt_ticket_sign (GtEngine *self, gint64 ticket_id)
{
  GtSignedCode *slot = &self->signed_ahead[ticket_id % GT_SIGN_AHEAD];
  char         *code;

  if (slot->id == ticket_id && slot->code != NULL)
    code = g_steal_pointer (&slot->code);
  else
    code = sign_now (self, ticket_id);

  self->sign_ahead_from = MAX (self->sign_ahead_from, ticket_id + 1);
  if (self->sign_ahead_source == NULL)
    {
      self->sign_ahead_source = g_idle_source_new ();
      g_source_set_priority (self->sign_ahead_source, G_PRIORITY_LOW);
      g_source_set_callback (self->sign_ahead_source, on_sign_ahead_cb, self, NULL);
      g_source_set_static_name (self->sign_ahead_source, "[gt-engine] sign ahead");
      g_source_attach (self->sign_ahead_source, self->context);
    }
  return code;
}

void
_gt_ticket_forget_signed_ahead (GtEngine *self)
{
  _gt_clear_source (&self->sign_ahead_source);
  for (guint i = 0; i < GT_SIGN_AHEAD; i++)
    g_clear_pointer (&self->signed_ahead[i].code, g_free);
}

gboolean
gt_ticket_code_verify (const char *code, const guchar *public_key, gint64 *ticket_id)
{
  guchar  raw[CODE_BYTES + 1];
  guchar  msg[11];
  size_t  len = 0;
  guint64 le;

  g_return_val_if_fail (public_key != NULL, FALSE);

  if (sodium_init () < 0 || code == NULL
      || sodium_base642bin (raw, sizeof raw, code, strlen (code), NULL, &len, NULL,
                            sodium_base64_VARIANT_URLSAFE_NO_PADDING)
           != 0
      || len != CODE_BYTES)
    return FALSE;

  memcpy (&le, raw, 8);
  signed_message ((gint64) GUINT64_FROM_LE (le), msg);
  if (crypto_sign_verify_detached (raw + 8, msg, sizeof msg, public_key) != 0)
    return FALSE;
  if (ticket_id != NULL)
    *ticket_id = (gint64) GUINT64_FROM_LE (le);
  return TRUE;
}

gboolean
gt_engine_verify_ticket_code (GtEngine *self, const char *code, gint64 *ticket_id)
{
  g_return_val_if_fail (GT_IS_ENGINE (self), FALSE);

  return gt_ticket_code_verify (code, self->sign_public, ticket_id);
}

/* Checks the signature (no database work for a forged code) and gives the
 * ticket id it carries, or 0 with GT_ERROR_INVALID_TICKET. */
static gint64
verified_id (GtEngine *self, const char *code, GError **error)
{
  gint64 id = 0;

  if (!gt_engine_verify_ticket_code (self, code, &id))
    {
      gt_error_set (error, GT_ERROR_INVALID_TICKET, NULL,
                    "This is not a ticket of this cinema (the code is damaged or forged)");
      return 0;
    }
  return id;
}

/* Whether ticket @id exists with this very @code. */
static gboolean
ticket_exists (GtEngine *self, gint64 id, const char *code, GError **error)
{
  sqlite3_stmt *stmt;

  stmt = gt_db_query (self->db, "SELECT 1 FROM ticket WHERE id = ? AND code = ?", "Is", id, code);
  if (!gt_db_step (self->db, stmt, error))
    {
      if (error == NULL || *error == NULL)
        gt_error_set (error, GT_ERROR_NOT_FOUND, NULL, "There is no such ticket");
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static JsonObject *
ticket_to_json (GtEngine *self, gint64 id, GError **error)
{
  sqlite3_stmt *stmt;
  JsonObject   *ticket;
  JsonObject   *showtime;
  gint64        showtime_id;

  stmt = gt_db_query (self->db,
                      "SELECT t.code, t.seat_id, t.type, t.price, t.checked_in_at, t.door,"
                      " t.booking_id, b.code,"
                      " CASE WHEN t.refunded_at IS NOT NULL THEN 'refunded' ELSE b.status END,"
                      " t.showtime_id, st.row_label, st.number,"
                      " st.type"
                      " FROM ticket t JOIN booking b ON b.id = t.booking_id"
                      " JOIN showtime s ON s.id = t.showtime_id"
                      " LEFT JOIN seat st ON st.auditorium_id = s.auditorium_id"
                      "  AND st.seat_id = t.seat_id"
                      " WHERE t.id = ?",
                      "I", id);
  if (!gt_db_step (self->db, stmt, error))
    {
      if (error == NULL || *error == NULL)
        gt_error_set (error, GT_ERROR_NOT_FOUND, NULL, "There is no such ticket");
      return NULL;
    }

  ticket = json_object_new ();
  json_object_set_int_member (ticket, "id", id);
  json_object_set_string_member (ticket, "code", gt_db_column_text (stmt, 0));
  json_object_set_string_member (ticket, "seat", gt_db_column_text (stmt, 1));
  json_object_set_string_member (ticket, "type", gt_db_column_text (stmt, 2));
  json_object_set_int_member (ticket, "price", sqlite3_column_int64 (stmt, 3));
  if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
    {
      gt_json_set_time (ticket, "checked_in_at", sqlite3_column_int64 (stmt, 4));
      json_object_set_string_member (ticket, "door", gt_db_column_text (stmt, 5));
    }
  else
    {
      json_object_set_null_member (ticket, "checked_in_at");
      json_object_set_null_member (ticket, "door");
    }
  json_object_set_int_member (ticket, "booking_id", sqlite3_column_int64 (stmt, 6));
  json_object_set_string_member (ticket, "booking_code", gt_db_column_text (stmt, 7));
  json_object_set_string_member (ticket, "status", gt_db_column_text (stmt, 8));
  showtime_id = sqlite3_column_int64 (stmt, 9);
  if (sqlite3_column_type (stmt, 10) != SQLITE_NULL)
    {
      JsonObject *seat = json_object_new ();

      json_object_set_string_member (seat, "id", gt_db_column_text (stmt, 1));
      json_object_set_string_member (seat, "row", gt_db_column_text (stmt, 10));
      json_object_set_int_member (seat, "number", sqlite3_column_int64 (stmt, 11));
      json_object_set_string_member (seat, "type", gt_db_column_text (stmt, 12));
      json_object_set_object_member (ticket, "seat_info", seat);
    }
  sqlite3_reset (stmt);

  if (!(showtime = _gt_showtime_to_json (self, showtime_id, error)))
    {
      json_object_unref (ticket);
      return NULL;
    }
  json_object_set_object_member (ticket, "showtime", showtime);
  return ticket;
}

JsonObject *
gt_engine_get_ticket (GtEngine *self, const char *code, GError **error)
{
  gint64 id;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if ((id = verified_id (self, code, error)) == 0 || !ticket_exists (self, id, code, error))
    return NULL;
  return ticket_to_json (self, id, error);
}

static gboolean
log_booking_of (GtEngine *self, JsonObject *ticket, GError **error)
{
  gint64 booking_id = json_object_get_int_member (ticket, "booking_id");
  g_autoptr (JsonObject) booking = _gt_booking_to_json (self, booking_id, error);
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, booking_id);

  return booking != NULL
         && _gt_engine_log_change (self, "booking",
                                   json_object_get_int_member (booking, "showtime_id"), id_text,
                                   "upsert", booking, error);
}

JsonObject *
gt_engine_check_in (GtEngine    *self,
                    GtPrincipal *principal,
                    const char  *code,
                    JsonObject  *body,
                    GError     **error)
{
  g_autoptr (JsonObject) ticket = NULL;
  JsonObject *showtime;
  JsonObject *result = NULL;
  const char *door = "Door";
  const char *admitted_at = NULL;
  gint64      admitted = 0;
  gint64      starts = 0;
  gint64      ends = 0;
  gint64      now;
  gint64      id;
  gboolean    ok;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  /* The signature first: a forged code costs no database work. */
  if ((id = verified_id (self, code, error)) == 0
      || !gt_json_get_string (body, "door", FALSE, 64, &door, error)
      || !gt_json_get_string (body, "admitted_at", FALSE, 64, &admitted_at, error))
    return NULL;
  if (admitted_at != NULL
      && (!gt_time_parse (admitted_at, &admitted)
          || admitted < gt_engine_now (self) - ADMITTED_MAX_AGE))
    {
      gt_error_set_field (error, "admitted_at",
                          "admitted_at must be a time (RFC 3339) within the last day");
      return NULL;
    }

  if (!_gt_engine_begin (self, error))
    return NULL;

  ok = ticket_exists (self, id, code, error) && (ticket = ticket_to_json (self, id, error)) != NULL;
  /* A door that admitted while the server was away says when: the door
   * window and the record are of that moment (never a future one). */
  now = gt_engine_now (self);
  if (admitted_at != NULL)
    now = MIN (now, admitted);
  if (ok)
    {
      showtime = json_object_get_object_member (ticket, "showtime");
      gt_time_parse (json_object_get_string_member (showtime, "starts_at"), &starts);
      gt_time_parse (json_object_get_string_member (showtime, "ends_at"), &ends);
    }
  if (ok && g_str_equal (json_object_get_string_member (ticket, "status"), "refunded"))
    {
      gt_error_set (error, GT_ERROR_CONFLICT, NULL, "This ticket was refunded; it is not valid");
      ok = FALSE;
    }
  else if (ok && !json_object_get_null_member (ticket, "checked_in_at"))
    {
      JsonObject *details = json_object_new ();

      json_object_set_string_member (details, "checked_in_at",
                                     json_object_get_string_member (ticket, "checked_in_at"));
      json_object_set_string_member (details, "door",
                                     json_object_get_string_member (ticket, "door"));
      gt_error_set (error, GT_ERROR_ALREADY_CHECKED_IN, details,
                    "This ticket was already used at %s, %s",
                    json_object_get_string_member (ticket, "door"),
                    json_object_get_string_member (ticket, "checked_in_at"));
      ok = FALSE;
    }
  else if (ok && (now < starts - (gint64) self->door_minutes * G_TIME_SPAN_MINUTE || now > ends))
    {
      if (now > ends)
        gt_error_set (error, GT_ERROR_SHOWTIME_CLOSED, NULL, "This showtime is over");
      else
        gt_error_set (error, GT_ERROR_SHOWTIME_CLOSED, NULL,
                      "The doors open %u minutes before the showtime", self->door_minutes);
      ok = FALSE;
    }

  ok = ok
       && gt_db_run (self->db, error, "UPDATE ticket SET checked_in_at = ?, door = ? WHERE id = ?",
                     "IsI", now, door[0] ? door : "Door", id)
       && log_booking_of (self, ticket, error);
  if (ok)
    result = ticket_to_json (self, id, error);
  if (!_gt_engine_end (self, result != NULL, error))
    g_clear_pointer (&result, json_object_unref);
  return result;
}

JsonObject *
gt_engine_undo_check_in (GtEngine *self, GtPrincipal *principal, const char *code, GError **error)
{
  g_autoptr (JsonObject) ticket = NULL;
  JsonObject *result = NULL;
  gint64      id;
  gboolean    ok;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (!gt_principal_require (principal, GT_ROLE_MANAGER, error)
      || (id = verified_id (self, code, error)) == 0)
    return NULL;

  if (!_gt_engine_begin (self, error))
    return NULL;
  ok = ticket_exists (self, id, code, error) && (ticket = ticket_to_json (self, id, error)) != NULL
       && gt_db_run (self->db, error,
                     "UPDATE ticket SET checked_in_at = NULL, door = NULL WHERE id = ?", "I", id)
       && log_booking_of (self, ticket, error);
  if (ok)
    {
      JsonObject *details = json_object_new ();

      json_object_set_int_member (details, "booking_id",
                                  json_object_get_int_member (ticket, "booking_id"));
      json_object_set_string_member (details, "booking_code",
                                     json_object_get_string_member (ticket, "booking_code"));
      json_object_set_string_member (details, "seat",
                                     json_object_get_string_member (ticket, "seat"));
      json_object_set_member (details, "checked_in_at",
                              json_node_copy (json_object_get_member (ticket, "checked_in_at")));
      json_object_set_member (details, "door",
                              json_node_copy (json_object_get_member (ticket, "door")));
      ok = _gt_engine_audit (self, principal, "checkin.undo", "ticket", id, NULL, details, error);
    }
  if (ok)
    result = ticket_to_json (self, id, error);
  if (!_gt_engine_end (self, result != NULL, error))
    g_clear_pointer (&result, json_object_unref);
  return result;
}

JsonObject *
gt_engine_report_double_admission (GtEngine    *self,
                                   GtPrincipal *principal,
                                   const char  *code,
                                   JsonObject  *body,
                                   GError     **error)
{
  g_autoptr (JsonObject) ticket = NULL;
  JsonObject *details;
  const char *door = NULL;
  const char *admitted_at = NULL;
  gint64      at = 0;
  gint64      id;
  gboolean    ok;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if ((id = verified_id (self, code, error)) == 0
      || !gt_json_get_string (body, "door", TRUE, 64, &door, error)
      || !gt_json_get_string (body, "admitted_at", TRUE, 64, &admitted_at, error))
    return NULL;
  if (!gt_time_parse (admitted_at, &at))
    {
      gt_error_set_field (error, "admitted_at", "The time is written as RFC 3339");
      return NULL;
    }

  if (!_gt_engine_begin (self, error))
    return NULL;
  ok = ticket_exists (self, id, code, error) && (ticket = ticket_to_json (self, id, error)) != NULL;
  if (ok)
    {
      /* The door that reports it, the time it let the person in, and the
       * check-in the server kept. */
      details = json_object_new ();
      json_object_set_string_member (details, "booking_code",
                                     json_object_get_string_member (ticket, "booking_code"));
      json_object_set_string_member (details, "seat",
                                     json_object_get_string_member (ticket, "seat"));
      json_object_set_string_member (details, "door", door);
      gt_json_set_time (details, "admitted_at", at);
      json_object_set_member (details, "first_door",
                              json_node_copy (json_object_get_member (ticket, "door")));
      json_object_set_member (details, "first_checked_in_at",
                              json_node_copy (json_object_get_member (ticket, "checked_in_at")));
      ok = _gt_engine_audit (self, principal, "checkin.double", "ticket", id,
                             "Admitted at two doors while they were offline", details, error);
    }
  if (!_gt_engine_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&ticket);
}

JsonObject *
gt_engine_list_showtime_tickets (GtEngine *self, gint64 showtime_id, GError **error)
{
  g_autoptr (JsonArray) tickets = json_array_new ();
  sqlite3_stmt *stmt;
  GError       *local_error = NULL;
  JsonObject   *answer;
  gint64        sold = 0;
  gint64        admitted = 0;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  stmt = gt_db_query (self->db, "SELECT 1 FROM showtime WHERE id = ?", "I", showtime_id);
  if (!gt_db_step (self->db, stmt, error))
    {
      if (error == NULL || *error == NULL)
        gt_error_set (error, GT_ERROR_NOT_FOUND, NULL, "There is no showtime %" G_GINT64_FORMAT,
                      showtime_id);
      return NULL;
    }
  sqlite3_reset (stmt);

  stmt = gt_db_query (self->db,
                      "SELECT t.id, t.booking_id, t.seat_id, t.type,"
                      " t.refunded_at IS NOT NULL OR b.status = 'refunded',"
                      " t.checked_in_at, t.door"
                      " FROM ticket t JOIN booking b ON b.id = t.booking_id"
                      " WHERE t.showtime_id = ? ORDER BY t.id",
                      "I", showtime_id);
  while (gt_db_step (self->db, stmt, &local_error))
    {
      JsonObject *ticket = json_object_new ();
      gboolean    refunded = sqlite3_column_int (stmt, 4) != 0;

      json_object_set_int_member (ticket, "id", sqlite3_column_int64 (stmt, 0));
      json_object_set_int_member (ticket, "booking_id", sqlite3_column_int64 (stmt, 1));
      json_object_set_string_member (ticket, "seat", gt_db_column_text (stmt, 2));
      json_object_set_string_member (ticket, "type", gt_db_column_text (stmt, 3));
      json_object_set_string_member (ticket, "status", refunded ? "refunded" : "valid");
      if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
        {
          gt_json_set_time (ticket, "checked_in_at", sqlite3_column_int64 (stmt, 5));
          json_object_set_string_member (ticket, "door", gt_db_column_text (stmt, 6));
          admitted += !refunded;
        }
      else
        {
          json_object_set_null_member (ticket, "checked_in_at");
          json_object_set_null_member (ticket, "door");
        }
      sold += !refunded;
      json_array_add_object_element (tickets, ticket);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  answer = json_object_new ();
  json_object_set_int_member (answer, "showtime_id", showtime_id);
  json_object_set_int_member (answer, "rev", self->rev);
  json_object_set_int_member (answer, "sold", sold);
  json_object_set_int_member (answer, "admitted", admitted);
  json_object_set_array_member (answer, "tickets", g_steal_pointer (&tickets));
  return answer;
}
