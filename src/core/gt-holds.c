/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-holds"

#include "config.h"

#include <math.h>

#include "gt-engine-private.h"
#include "gt-json.h"

#define MAX_HOLD_SEATS 50
#define MAX_BEST_COUNT 20

typedef struct
{
  gint64 id;
  gint64 showtime_id;
  gint64 session_id;
  gint64 created_at;
  gint64 expires_at;
  char   state[16];
} Hold;

typedef struct
{
  const char *id;
  int         row;
  int         x;
  gboolean    free;     /* nobody holds or bought it, not blocked */
  gboolean    eligible; /* free, and a seat best-available may give */
} SeatInfo;

static gboolean
hold_load (GtEngine *self, GtPrincipal *principal, gint64 hold_id, Hold *hold, GError **error)
{
  sqlite3_stmt *stmt = gt_db_query (self->db,
                                    "SELECT showtime_id, session_id, created_at, expires_at, state"
                                    " FROM hold WHERE id = ?",
                                    "I", hold_id);
  gboolean      found = gt_db_step (self->db, stmt, error);

  if (found)
    {
      hold->id = hold_id;
      hold->showtime_id = sqlite3_column_int64 (stmt, 0);
      hold->session_id = sqlite3_column_int64 (stmt, 1);
      hold->created_at = sqlite3_column_int64 (stmt, 2);
      hold->expires_at = sqlite3_column_int64 (stmt, 3);
      g_strlcpy (hold->state, gt_db_column_text (stmt, 4), sizeof hold->state);
      sqlite3_reset (stmt);
    }
  if (error != NULL && *error != NULL)
    return FALSE;

  /* Another counter's hold is not even said to exist. */
  if (!found || (principal != NULL && hold->session_id != principal->session_id)
      || g_str_equal (hold->state, "released") || g_str_equal (hold->state, "sold"))
    {
      gt_error_set (error, GT_ERROR_NOT_FOUND, NULL, "There is no hold %" G_GINT64_FORMAT, hold_id);
      return FALSE;
    }
  if (g_str_equal (hold->state, "expired") || hold->expires_at <= gt_engine_now (self))
    {
      gt_error_set (error, GT_ERROR_HOLD_EXPIRED, NULL,
                    "The hold timed out; its seats are free again");
      return FALSE;
    }
  return TRUE;
}

/* The answer for @hold. A hold just made of one seat says it without a
 * query; others read their seats, in the order of the map. */
static JsonObject *
hold_to_json (GtEngine *self, const Hold *hold, GPtrArray *new_seats, GError **error)
{
  JsonObject *json;
  JsonArray  *seats = json_array_new ();
  GError     *local_error = NULL;

  if (new_seats != NULL && new_seats->len == 1)
    json_array_add_string_element (seats, g_ptr_array_index (new_seats, 0));
  else
    {
      sqlite3_stmt *stmt = gt_db_query (
        self->db,
        "SELECT c.seat_id FROM seat_claim c JOIN hold h ON h.id = c.hold_id"
        " JOIN showtime s ON s.id = h.showtime_id"
        " JOIN seat st ON st.auditorium_id = s.auditorium_id AND st.seat_id = c.seat_id"
        " WHERE c.hold_id = ? ORDER BY st.row_index, st.x",
        "I", hold->id);

      while (gt_db_step (self->db, stmt, &local_error))
        json_array_add_string_element (seats, gt_db_column_text (stmt, 0));
      if (local_error != NULL)
        {
          json_array_unref (seats);
          g_propagate_error (error, local_error);
          return NULL;
        }
    }

  json = json_object_new ();
  json_object_set_int_member (json, "id", hold->id);
  json_object_set_int_member (json, "showtime_id", hold->showtime_id);
  json_object_set_array_member (json, "seats", seats);
  gt_json_set_time (json, "created_at", hold->created_at);
  gt_json_set_time (json, "expires_at", hold->expires_at);
  json_object_set_int_member (json, "ttl_seconds", self->hold_seconds);
  return json;
}

static gboolean
seats_error (GError **error, GtErrorCode code, GPtrArray *seats, const char *what)
{
  JsonObject      *details = json_object_new ();
  JsonArray       *list = json_array_new ();
  g_autofree char *joined = NULL;

  g_ptr_array_add (seats, NULL);
  joined = g_strjoinv (", ", (char **) seats->pdata);
  g_ptr_array_remove_index (seats, seats->len - 1);
  for (guint i = 0; i < seats->len; i++)
    json_array_add_string_element (list, g_ptr_array_index (seats, i));
  json_object_set_array_member (details, "seats", list);
  gt_error_set (error, code, details, "%s: %s", what, joined);
  return FALSE;
}

/* Claims @seats for @hold, all or none: unknown seats and taken seats are
 * answered together, each with the full list. */
static gboolean
claim_seats (GtEngine *self, Hold *hold, GPtrArray *seats, GError **error)
{
  g_autoptr (GPtrArray) unknown = g_ptr_array_new ();
  g_autoptr (GPtrArray) taken = g_ptr_array_new ();

  for (guint i = 0; i < seats->len; i++)
    {
      const char   *seat = g_ptr_array_index (seats, i);
      sqlite3_stmt *stmt = gt_db_query (
        self->db,
        "SELECT st.blocked, c.seat_id IS NOT NULL FROM showtime s"
        " JOIN seat st ON st.auditorium_id = s.auditorium_id AND st.seat_id = ?2"
        " LEFT JOIN seat_claim c ON c.showtime_id = s.id AND c.seat_id = ?2 WHERE s.id = ?1",
        "Is", hold->showtime_id, seat);

      if (!gt_db_step (self->db, stmt, error))
        {
          if (error != NULL && *error != NULL)
            return FALSE;
          g_ptr_array_add (unknown, (gpointer) seat);
          continue;
        }
      if (sqlite3_column_int (stmt, 0) || sqlite3_column_int (stmt, 1))
        g_ptr_array_add (taken, (gpointer) seat);
      sqlite3_reset (stmt);
    }

  if (unknown->len > 0)
    return seats_error (error, GT_ERROR_UNKNOWN_SEAT, unknown, "No such seat");
  if (taken->len > 0)
    return seats_error (error, GT_ERROR_SEAT_UNAVAILABLE, taken, "No longer available");

  for (guint i = 0; i < seats->len; i++)
    {
      const char *seat = g_ptr_array_index (seats, i);

      /* The primary key is the last guard: a second claim fails here. */
      if (!gt_db_run (self->db, NULL,
                      "INSERT INTO seat_claim (showtime_id, seat_id, hold_id, expires_at)"
                      " VALUES (?, ?, ?, ?)",
                      "IsII", hold->showtime_id, seat, hold->id, hold->expires_at))
        {
          g_autoptr (GPtrArray) one = g_ptr_array_new ();

          g_ptr_array_add (one, (gpointer) seat);
          return seats_error (error, GT_ERROR_SEAT_UNAVAILABLE, one, "No longer available");
        }
      if (!_gt_engine_log_seat (self, hold->showtime_id, seat, "free", "held", error))
        return FALSE;
    }
  return TRUE;
}

static void
seat_info_clear (SeatInfo *info)
{
  g_free ((char *) info->id);
}

/* Best available: @count adjacent seats in one row, nearest the middle of
 * the auditorium, avoiding a single seat left stranded beside the block. */
static GPtrArray *
best_available (GtEngine *self, gint64 showtime_id, guint count, GError **error)
{
  g_autoptr (GArray) all = g_array_new (FALSE, TRUE, sizeof (SeatInfo));
  GPtrArray    *chosen = NULL;
  GError       *local_error = NULL;
  sqlite3_stmt *stmt;
  double        best_score = INFINITY;
  guint         best_start = 0;
  int           n_rows = 0;
  int           min_x = G_MAXINT, max_x = G_MININT;
  double        centre_row, centre_x;

  g_array_set_clear_func (all, (GDestroyNotify) seat_info_clear);

  stmt = gt_db_query (self->db,
                      "SELECT st.seat_id, st.row_index, st.x, st.type, st.blocked,"
                      " c.seat_id IS NOT NULL FROM showtime s"
                      " JOIN seat st ON st.auditorium_id = s.auditorium_id"
                      " LEFT JOIN seat_claim c ON c.showtime_id = s.id AND c.seat_id = st.seat_id"
                      " WHERE s.id = ? ORDER BY st.row_index, st.x",
                      "I", showtime_id);
  while (gt_db_step (self->db, stmt, &local_error))
    {
      const char *type = gt_db_column_text (stmt, 3);
      SeatInfo    info = {
           .id = g_strdup (gt_db_column_text (stmt, 0)),
           .row = sqlite3_column_int (stmt, 1),
           .x = sqlite3_column_int (stmt, 2),
           .free = !sqlite3_column_int (stmt, 4) && !sqlite3_column_int (stmt, 5),
      };

      /* Wheelchair spaces and their companion seats are given by hand. */
      info.eligible = info.free && !g_str_equal (type, "wheelchair")
                      && !g_str_equal (type, "companion");
      n_rows = MAX (n_rows, info.row + 1);
      min_x = MIN (min_x, info.x);
      max_x = MAX (max_x, info.x);
      g_array_append_val (all, info);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  centre_row = (n_rows - 1) / 2.0;
  centre_x = (min_x + max_x) / 2.0;

  for (guint start = 0; start + count <= all->len; start++)
    {
      SeatInfo *first = &g_array_index (all, SeatInfo, start);
      SeatInfo *last = &g_array_index (all, SeatInfo, start + count - 1);
      gboolean  ok = TRUE;
      double    score;
      int       stranded = 0;

      for (guint i = 0; ok && i < count; i++)
        {
          SeatInfo *s = &g_array_index (all, SeatInfo, start + i);
          ok = s->eligible && s->row == first->row && s->x == first->x + (int) i;
        }
      if (!ok)
        continue;

      /* A free seat next to the block whose other side is taken or an aisle. */
      if (start >= 1)
        {
          SeatInfo *l1 = &g_array_index (all, SeatInfo, start - 1);
          if (l1->row == first->row && l1->x == first->x - 1 && l1->free)
            {
              SeatInfo *l2 = start >= 2 ? &g_array_index (all, SeatInfo, start - 2) : NULL;
              if (l2 == NULL || l2->row != first->row || l2->x != l1->x - 1 || !l2->free)
                stranded++;
            }
        }
      if (start + count < all->len)
        {
          SeatInfo *r1 = &g_array_index (all, SeatInfo, start + count);
          if (r1->row == last->row && r1->x == last->x + 1 && r1->free)
            {
              SeatInfo *r2 = start + count + 1 < all->len
                               ? &g_array_index (all, SeatInfo, start + count + 1)
                               : NULL;
              if (r2 == NULL || r2->row != last->row || r2->x != r1->x + 1 || !r2->free)
                stranded++;
            }
        }

      score = fabs (first->row - centre_row) * 1.5 + fabs ((first->x + last->x) / 2.0 - centre_x)
              + stranded * 1000.0;
      if (score < best_score)
        {
          best_score = score;
          best_start = start;
        }
    }

  if (best_score == INFINITY)
    {
      gt_error_set (error, GT_ERROR_SEAT_UNAVAILABLE, NULL,
                    "There are no %u seats together left for this showtime", count);
      return NULL;
    }

  chosen = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < count; i++)
    g_ptr_array_add (chosen, g_strdup (g_array_index (all, SeatInfo, best_start + i).id));
  return chosen;
}

static gboolean
showtime_open (GtEngine *self, gint64 showtime_id, GError **error)
{
  sqlite3_stmt *stmt = gt_db_query (self->db, "SELECT starts_at FROM showtime WHERE id = ?", "I",
                                    showtime_id);
  gint64        starts;

  if (!gt_db_step (self->db, stmt, error))
    {
      if (error == NULL || *error == NULL)
        gt_error_set (error, GT_ERROR_NOT_FOUND, NULL, "There is no showtime %" G_GINT64_FORMAT,
                      showtime_id);
      return FALSE;
    }
  starts = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (starts <= gt_engine_now (self))
    {
      gt_error_set (error, GT_ERROR_SHOWTIME_CLOSED, NULL, "This showtime has already started");
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
read_seat_list (JsonArray *list, GError **error)
{
  g_autoptr (GPtrArray) seats = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = json_array_get_length (list);

  if (n == 0 || n > MAX_HOLD_SEATS)
    {
      gt_error_set_field (error, "seats", "Hold between 1 and %d seats at once", MAX_HOLD_SEATS);
      return NULL;
    }
  for (guint i = 0; i < n; i++)
    {
      JsonNode   *node = json_array_get_element (list, i);
      const char *seat;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING
          || strlen (seat = json_node_get_string (node)) == 0 || strlen (seat) > 16)
        {
          gt_error_set_field (error, "seats", "Seats are given by their ids, like “F12”");
          return NULL;
        }
      if (!g_hash_table_add (seen, (gpointer) seat))
        {
          gt_error_set_field (error, "seats", "Seat %s is listed twice", seat);
          return NULL;
        }
      g_ptr_array_add (seats, g_strdup (seat));
    }
  return g_steal_pointer (&seats);
}

JsonObject *
gt_engine_create_hold (GtEngine    *self,
                       GtPrincipal *principal,
                       gint64       showtime_id,
                       JsonObject  *body,
                       GError     **error)
{
  g_autoptr (GPtrArray) seats = NULL;
  JsonArray  *list = NULL;
  JsonObject *result = NULL;
  gint64      count = 0;
  Hold        hold = { 0 };
  gboolean    ok;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);
  g_return_val_if_fail (principal != NULL, NULL);

  if (!gt_json_get_array (body, "seats", FALSE, &list, error)
      || !gt_json_get_int (body, "count", FALSE, 1, MAX_BEST_COUNT, &count, error))
    return NULL;
  if ((list == NULL) == (count == 0))
    {
      gt_error_set_field (error, "seats", "Give either “seats” or “count”");
      return NULL;
    }
  if (list != NULL && !(seats = read_seat_list (list, error)))
    return NULL;

  if (!_gt_engine_begin (self, error))
    return NULL;

  ok = showtime_open (self, showtime_id, error);
  if (ok && seats == NULL)
    ok = (seats = best_available (self, showtime_id, count, error)) != NULL;
  if (ok)
    {
      hold.showtime_id = showtime_id;
      hold.session_id = principal->session_id;
      hold.created_at = gt_engine_now (self);
      hold.expires_at = hold.created_at + (gint64) self->hold_seconds * G_USEC_PER_SEC;
      ok = gt_db_run (self->db, error,
                      "INSERT INTO hold (showtime_id, session_id, created_at, expires_at)"
                      " VALUES (?, ?, ?, ?)",
                      "IIII", hold.showtime_id, hold.session_id, hold.created_at, hold.expires_at);
      hold.id = gt_db_last_insert_id (self->db);
      _gt_engine_note_expiry (self, hold.expires_at);
    }
  ok = ok && claim_seats (self, &hold, seats, error);
  if (ok)
    result = hold_to_json (self, &hold, seats, error);
  if (!_gt_engine_end (self, result != NULL, error))
    g_clear_pointer (&result, json_object_unref);
  return result;
}

JsonObject *
gt_engine_get_hold (GtEngine *self, GtPrincipal *principal, gint64 hold_id, GError **error)
{
  Hold hold;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (!hold_load (self, principal, hold_id, &hold, error))
    return NULL;
  return hold_to_json (self, &hold, NULL, error);
}

JsonObject *
gt_engine_add_hold_seat (GtEngine    *self,
                         GtPrincipal *principal,
                         gint64       hold_id,
                         const char  *seat,
                         GError     **error)
{
  g_autoptr (GPtrArray) seats = g_ptr_array_new ();
  JsonObject   *result = NULL;
  sqlite3_stmt *stmt;
  gboolean      mine;
  gboolean      ok;
  Hold          hold;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (!_gt_engine_begin (self, error))
    return NULL;

  ok = hold_load (self, principal, hold_id, &hold, error);
  if (ok)
    {
      stmt = gt_db_query (self->db,
                          "SELECT 1 FROM seat_claim WHERE showtime_id = ? AND seat_id = ?"
                          " AND hold_id = ?",
                          "IsI", hold.showtime_id, seat, hold_id);
      mine = gt_db_step (self->db, stmt, NULL);
      sqlite3_reset (stmt);
      g_ptr_array_add (seats, (gpointer) seat);
      /* Adding a seat the hold already has is a no-op, so retries are safe. */
      ok = mine || claim_seats (self, &hold, seats, error);
    }
  if (ok)
    result = hold_to_json (self, &hold, NULL, error);
  if (!_gt_engine_end (self, result != NULL, error))
    g_clear_pointer (&result, json_object_unref);
  return result;
}

/* Frees the seats of one hold (or one seat of it), logging each. */
static gboolean
free_claims (GtEngine *self, gint64 hold_id, const char *only_seat, GError **error)
{
  g_autoptr (GPtrArray) seats = g_ptr_array_new_with_free_func (g_free);
  GError       *local_error = NULL;
  sqlite3_stmt *stmt;
  gint64        showtime_id = 0;

  stmt = gt_db_query (self->db,
                      "SELECT showtime_id, seat_id FROM seat_claim WHERE hold_id = ?"
                      " AND (? IS NULL OR seat_id = ?)",
                      "Iss", hold_id, only_seat, only_seat);
  while (gt_db_step (self->db, stmt, &local_error))
    {
      showtime_id = sqlite3_column_int64 (stmt, 0);
      g_ptr_array_add (seats, g_strdup (gt_db_column_text (stmt, 1)));
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (!gt_db_run (self->db, error,
                  "DELETE FROM seat_claim WHERE hold_id = ? AND (? IS NULL OR seat_id = ?)", "Iss",
                  hold_id, only_seat, only_seat))
    return FALSE;
  for (guint i = 0; i < seats->len; i++)
    if (!_gt_engine_log_seat (self, showtime_id, g_ptr_array_index (seats, i), "held", "free",
                              error))
      return FALSE;
  return TRUE;
}

JsonObject *
gt_engine_remove_hold_seat (GtEngine    *self,
                            GtPrincipal *principal,
                            gint64       hold_id,
                            const char  *seat,
                            GError     **error)
{
  JsonObject   *result = NULL;
  sqlite3_stmt *stmt;
  gboolean      ok;
  Hold          hold;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (!_gt_engine_begin (self, error))
    return NULL;

  ok = hold_load (self, principal, hold_id, &hold, error);
  if (ok)
    {
      stmt = gt_db_query (self->db, "SELECT 1 FROM seat_claim WHERE hold_id = ? AND seat_id = ?",
                          "Is", hold_id, seat);
      if (gt_db_step (self->db, stmt, NULL))
        sqlite3_reset (stmt);
      else
        {
          gt_error_set (error, GT_ERROR_NOT_FOUND, NULL, "Seat %s is not in this hold", seat);
          ok = FALSE;
        }
    }
  ok = ok && free_claims (self, hold_id, seat, error);
  if (ok)
    result = hold_to_json (self, &hold, NULL, error);
  if (!_gt_engine_end (self, result != NULL, error))
    g_clear_pointer (&result, json_object_unref);
  return result;
}

JsonObject *
gt_engine_extend_hold (GtEngine *self, GtPrincipal *principal, gint64 hold_id, GError **error)
{
  JsonObject *result = NULL;
  gint64      ttl = (gint64) self->hold_seconds * G_USEC_PER_SEC;
  gint64      expires;
  gboolean    ok;
  Hold        hold;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (!_gt_engine_begin (self, error))
    return NULL;

  ok = hold_load (self, principal, hold_id, &hold, error);
  expires = gt_engine_now (self) + ttl;
  if (ok && expires - hold.created_at > 3 * ttl)
    {
      gt_error_set (error, GT_ERROR_CONFLICT, NULL,
                    "A hold can last at most %u minutes; finish the sale or start again",
                    3 * self->hold_seconds / 60);
      ok = FALSE;
    }
  ok = ok
       && gt_db_run (self->db, error, "UPDATE hold SET expires_at = ? WHERE id = ?", "II", expires,
                     hold_id)
       && gt_db_run (self->db, error, "UPDATE seat_claim SET expires_at = ? WHERE hold_id = ?",
                     "II", expires, hold_id);
  if (ok)
    {
      hold.expires_at = expires;
      result = hold_to_json (self, &hold, NULL, error);
    }
  if (!_gt_engine_end (self, result != NULL, error))
    g_clear_pointer (&result, json_object_unref);
  return result;
}

gboolean
gt_engine_release_hold (GtEngine *self, GtPrincipal *principal, gint64 hold_id, GError **error)
{
  gboolean ok;
  Hold     hold;

  g_return_val_if_fail (GT_IS_ENGINE (self), FALSE);

  if (!_gt_engine_begin (self, error))
    return FALSE;
  ok = hold_load (self, principal, hold_id, &hold, error)
       && free_claims (self, hold_id, NULL, error)
       && gt_db_run (self->db, error, "UPDATE hold SET state = 'released' WHERE id = ?", "I",
                     hold_id);
  return _gt_engine_end (self, ok, error);
}

static guint
release_where (GtEngine *self, const char *sql, const char *new_state, gint64 arg, GError **error)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GError       *local_error = NULL;
  sqlite3_stmt *stmt = gt_db_query (self->db, sql, "I", arg);

  while (gt_db_step (self->db, stmt, &local_error))
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return G_MAXUINT;
    }

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);

      if (!free_claims (self, id, NULL, error)
          || !gt_db_run (self->db, error, "UPDATE hold SET state = ? WHERE id = ?", "sI", new_state,
                         id))
        return G_MAXUINT;
    }
  return ids->len;
}

guint
_gt_holds_release_expired (GtEngine *self, GError **error)
{
  return release_where (self, "SELECT id FROM hold WHERE state = 'active' AND expires_at <= ?",
                        "expired", gt_engine_now (self), error);
}

gboolean
_gt_accounts_release_session_holds (GtEngine *self, gint64 session_id, GError **error)
{
  return release_where (self, "SELECT id FROM hold WHERE state = 'active' AND session_id = ?",
                        "released", session_id, error)
         != G_MAXUINT;
}

guint
gt_engine_release_expired (GtEngine *self, GError **error)
{
  sqlite3_stmt *stmt;
  guint         n = 0;

  g_return_val_if_fail (GT_IS_ENGINE (self), 0);

  stmt = gt_db_query (self->db,
                      "SELECT COUNT (*) FROM hold WHERE state = 'active' AND expires_at <= ?", "I",
                      gt_engine_now (self));
  if (gt_db_step (self->db, stmt, error))
    {
      n = sqlite3_column_int (stmt, 0);
      sqlite3_reset (stmt);
    }
  if (n == 0)
    return 0;
  /* Beginning a unit of work releases them. */
  if (!_gt_engine_begin (self, error) || !_gt_engine_end (self, TRUE, error))
    return 0;
  return n;
}
