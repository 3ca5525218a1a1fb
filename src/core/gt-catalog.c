/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-catalog"

#include "config.h"

#include "gt-engine-private.h"
#include "gt-json.h"
#include "gt-prices.h"

#define MAX_SEATS       5000
#define MAX_ROWS        200
#define MAX_PRICE_TYPES 16

static const char *const seat_types[] = { "standard", "premium", "wheelchair", "companion",
                                          "couple" };

static gboolean
not_found (GError **error, const char *what, gint64 id)
{
  gt_error_set (error, GT_ERROR_NOT_FOUND, NULL, "There is no %s %" G_GINT64_FORMAT, what, id);
  return FALSE;
}

/* Whether @sql finds a row for @id: a movie, an auditorium, or bookings
 * that must never lose their showtime. */
static gboolean
exists (GtEngine *self, const char *sql, gint64 id)
{
  sqlite3_stmt *stmt = gt_db_query (self->db, sql, "I", id);
  gboolean      found = gt_db_step (self->db, stmt, NULL);

  sqlite3_reset (stmt);
  return found;
}

static gboolean
is_blank (const char *text)
{
  for (; *text; text = g_utf8_next_char (text))
    if (!g_unichar_isspace (g_utf8_get_char (text)))
      return FALSE;
  return TRUE;
}

/* Movies */

static JsonObject *
movie_from_row (sqlite3_stmt *stmt)
{
  JsonObject *movie = json_object_new ();
  g_autoptr (JsonNode) genres = gt_json_parse (gt_db_column_text (stmt, 5), -1, NULL);

  json_object_set_int_member (movie, "id", sqlite3_column_int64 (stmt, 0));
  json_object_set_string_member (movie, "title", gt_db_column_text (stmt, 1));
  json_object_set_string_member (movie, "synopsis", gt_db_column_text (stmt, 2));
  json_object_set_int_member (movie, "duration_minutes", sqlite3_column_int (stmt, 3));
  json_object_set_string_member (movie, "rating", gt_db_column_text (stmt, 4));
  if (genres != NULL && JSON_NODE_HOLDS_ARRAY (genres))
    json_object_set_member (movie, "genres", json_node_copy (genres));
  else
    json_object_set_array_member (movie, "genres", json_array_new ());
  json_object_set_boolean_member (movie, "active", sqlite3_column_int (stmt, 6));
  /* The version in the URL lets clients cache the image for as long as it is unchanged. */
  if (sqlite3_column_type (stmt, 7) != SQLITE_NULL)
    {
      g_autofree char *poster = g_strdup_printf ("/api/v1/movies/%" G_GINT64_FORMAT
                                                 "/poster?v=%" G_GINT64_FORMAT,
                                                 (gint64) sqlite3_column_int64 (stmt, 0),
                                                 (gint64) sqlite3_column_int64 (stmt, 7));
      json_object_set_string_member (movie, "poster", poster);
    }
  else
    json_object_set_null_member (movie, "poster");
  return movie;
}

#define MOVIE_COLUMNS                                                                              \
  "id, title, synopsis, duration_minutes, rating, genres, active,"                                 \
  " (SELECT p.updated_at FROM poster p WHERE p.movie_id = movie.id)"

/* A list with the revision it reflects: a replica that applies /changes
 * after that revision misses nothing and repeats nothing. */
static JsonObject *
list_answer (GtEngine *self, const char *member, JsonArray *list)
{
  JsonObject *answer = json_object_new ();

  json_object_set_array_member (answer, member, list);
  json_object_set_int_member (answer, "rev", self->rev);
  return answer;
}

JsonObject *
gt_engine_list_movies (GtEngine *self, GError **error)
{
  g_autoptr (JsonArray) movies = json_array_new ();
  sqlite3_stmt *stmt;
  GError       *local_error = NULL;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  stmt = gt_db_query (self->db, "SELECT " MOVIE_COLUMNS " FROM movie ORDER BY title, id", NULL);
  while (gt_db_step (self->db, stmt, &local_error))
    json_array_add_object_element (movies, movie_from_row (stmt));
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return list_answer (self, "movies", g_steal_pointer (&movies));
}

JsonObject *
gt_engine_get_movie (GtEngine *self, gint64 id, GError **error)
{
  sqlite3_stmt *stmt;
  JsonObject   *movie = NULL;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  stmt = gt_db_query (self->db, "SELECT " MOVIE_COLUMNS " FROM movie WHERE id = ?", "I", id);
  if (gt_db_step (self->db, stmt, error))
    {
      movie = movie_from_row (stmt);
      sqlite3_reset (stmt);
    }
  else if (error == NULL || *error == NULL)
    not_found (error, "movie", id);
  return movie;
}

/* Reads the movie fields of @body over @movie (all required when @create). */
static gboolean
read_movie (JsonObject *body, JsonObject *movie, gboolean create, GError **error)
{
  const char *title = NULL;
  const char *synopsis = NULL;
  const char *rating = NULL;
  gint64      duration = 0;
  gboolean    active = TRUE;
  JsonArray  *genres = NULL;

  if (!gt_json_get_string (body, "title", create, 200, &title, error)
      || !gt_json_get_string (body, "synopsis", FALSE, 4000, &synopsis, error)
      || !gt_json_get_int (body, "duration_minutes", create, 1, 600, &duration, error)
      || !gt_json_get_string (body, "rating", FALSE, 16, &rating, error)
      || !gt_json_get_array (body, "genres", FALSE, &genres, error)
      || !gt_json_get_bool (body, "active", FALSE, &active, error))
    return FALSE;

  if (title != NULL && is_blank (title))
    {
      gt_error_set_field (error, "title", "The title must not be empty");
      return FALSE;
    }
  if (genres != NULL)
    {
      guint n = json_array_get_length (genres);

      if (n > 10)
        {
          gt_error_set_field (error, "genres", "A movie has at most 10 genres");
          return FALSE;
        }
      for (guint i = 0; i < n; i++)
        {
          JsonNode *node = json_array_get_element (genres, i);

          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING
              || json_node_get_string (node)[0] == '\0'
              || strlen (json_node_get_string (node)) > 40)
            {
              gt_error_set_field (error, "genres", "Genres are short, non-empty strings");
              return FALSE;
            }
        }
      json_object_set_array_member (movie, "genres", json_array_ref (genres));
    }

  if (title != NULL)
    json_object_set_string_member (movie, "title", title);
  if (synopsis != NULL || create)
    json_object_set_string_member (movie, "synopsis", synopsis ? synopsis : "");
  if (duration != 0)
    json_object_set_int_member (movie, "duration_minutes", duration);
  if (rating != NULL || create)
    json_object_set_string_member (movie, "rating", rating ? rating : "");
  if (genres == NULL && create)
    json_object_set_array_member (movie, "genres", json_array_new ());
  if (json_object_has_member (body, "active") || create)
    json_object_set_boolean_member (movie, "active", active);
  return TRUE;
}

/* The showtime in the same auditorium that [starts, ends) collides with,
 * counting the cleaning buffer after each, or 0. */
static gint64
find_overlap (GtEngine *self, gint64 auditorium_id, gint64 starts, gint64 ends, gint64 except_id)
{
  gint64        buffer = (gint64) self->cleaning_minutes * G_TIME_SPAN_MINUTE;
  sqlite3_stmt *stmt = gt_db_query (self->db,
                                    "SELECT id FROM showtime WHERE auditorium_id = ? AND id != ?"
                                    " AND starts_at < ? AND ends_at + ? > ?"
                                    " ORDER BY starts_at LIMIT 1",
                                    "IIIII", auditorium_id, except_id, ends + buffer, buffer,
                                    starts);
  gint64        other = 0;

  if (gt_db_step (self->db, stmt, NULL))
    {
      other = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  return other;
}

/* A showtime as a manager knows it: “Title” at 19:30 on 2026-12-20, in the
 * cinema's time. */
static char *
showtime_words (GtEngine *self, gint64 id)
{
  g_autoptr (GTimeZone) tz = _gt_engine_get_timezone (self);
  sqlite3_stmt *stmt = gt_db_query (self->db,
                                    "SELECT m.title, s.starts_at FROM showtime s"
                                    " JOIN movie m ON m.id = s.movie_id WHERE s.id = ?",
                                    "I", id);
  char         *words = NULL;

  if (gt_db_step (self->db, stmt, NULL))
    {
      g_autoptr (GDateTime)
        at = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 1) / G_USEC_PER_SEC);
      g_autoptr (GDateTime) local = at ? g_date_time_to_timezone (at, tz) : NULL;
      g_autofree char *when = local ? g_date_time_format (local, "%H:%M on %Y-%m-%d") : NULL;

      if (when != NULL)
        words = g_strdup_printf ("“%s” at %s", gt_db_column_text (stmt, 0), when);
      sqlite3_reset (stmt);
    }
  return words ? words : g_strdup_printf ("showtime %" G_GINT64_FORMAT, id);
}

/* @moved: the showtime that a movie's new running time would move, or 0. */
static gboolean
overlap_error (GtEngine *self, GError **error, gint64 moved, gint64 other)
{
  JsonObject      *details = json_object_new ();
  g_autofree char *other_words = showtime_words (self, other);

  json_object_set_int_member (details, "showtime_id", other);
  if (moved == 0)
    gt_error_set (error, GT_ERROR_SHOWTIME_OVERLAP, details,
                  "The auditorium is in use then by %s (counting the cleaning time)", other_words);
  else
    {
      g_autofree char *moved_words = showtime_words (self, moved);

      gt_error_set (error, GT_ERROR_SHOWTIME_OVERLAP, details,
                    "With that running time, %s would run into %s (counting the cleaning time)",
                    moved_words, other_words);
    }
  return FALSE;
}

typedef struct
{
  gint64 id;
  gint64 auditorium_id;
  gint64 starts;
} Slot;

/* A movie's running time is that of its showtimes still to start: each
 * ends later or sooner with it, refused as a new one would be if it would
 * then run into another. Those under way or over are left as they were:
 * nothing can be done about them any more. */
static gboolean
retime_showtimes (GtEngine *self, gint64 movie_id, gint64 minutes, GError **error)
{
  g_autoptr (GArray) slots = g_array_new (FALSE, FALSE, sizeof (Slot));
  GError       *local_error = NULL;
  sqlite3_stmt *stmt = gt_db_query (self->db,
                                    "SELECT id, auditorium_id, starts_at FROM showtime"
                                    " WHERE movie_id = ? AND starts_at > ? ORDER BY starts_at",
                                    "II", movie_id, gt_engine_now (self));

  while (gt_db_step (self->db, stmt, &local_error))
    {
      Slot slot = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
                    sqlite3_column_int64 (stmt, 2) };

      g_array_append_val (slots, slot);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  for (guint i = 0; i < slots->len; i++)
    {
      const Slot *slot = &g_array_index (slots, Slot, i);
      gint64      ends = slot->starts + minutes * G_TIME_SPAN_MINUTE;
      gint64      other = find_overlap (self, slot->auditorium_id, slot->starts, ends, slot->id);
      g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, slot->id);
      g_autoptr (JsonObject) saved = NULL;

      if (other != 0)
        return overlap_error (self, error, slot->id, other);
      if (!gt_db_run (self->db, error, "UPDATE showtime SET ends_at = ? WHERE id = ?", "II", ends,
                      slot->id)
          || !(saved = _gt_showtime_to_json (self, slot->id, error))
          || !_gt_engine_log_change (self, "showtime", slot->id, id_text, "upsert", saved, error))
        return FALSE;
    }
  return TRUE;
}

static gint64
movie_duration (GtEngine *self, gint64 movie_id)
{
  sqlite3_stmt *stmt = gt_db_query (self->db, "SELECT duration_minutes FROM movie WHERE id = ?",
                                    "I", movie_id);
  gint64        minutes = 0;

  if (gt_db_step (self->db, stmt, NULL))
    {
      minutes = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  return minutes;
}

static JsonObject *
save_movie (GtEngine    *self,
            GtPrincipal *principal,
            gint64       id,
            JsonObject  *movie,
            JsonObject  *body,
            GError     **error)
{
  const char      *action = id == 0 ? "movie.create" : "movie.update";
  g_autofree char *genres = NULL;
  g_autofree char *id_text = NULL;
  JsonObject      *saved = NULL;
  gint64           minutes = json_object_get_int_member (movie, "duration_minutes");
  gint64           old_minutes;
  JsonNode        *node = json_node_init_array (json_node_alloc (),
                                                json_object_get_array_member (movie, "genres"));
  gboolean         ok;

  genres = json_to_string (node, FALSE);
  json_node_unref (node);

  if (!_gt_engine_begin (self, error))
    return NULL;
  old_minutes = id == 0 ? 0 : movie_duration (self, id);
  if (id == 0)
    ok = gt_db_run (self->db, error,
                    "INSERT INTO movie (title, synopsis, duration_minutes, rating, genres, active)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    "ssIssi", json_object_get_string_member (movie, "title"),
                    json_object_get_string_member (movie, "synopsis"), minutes,
                    json_object_get_string_member (movie, "rating"), genres,
                    (int) json_object_get_boolean_member (movie, "active"));
  else
    ok = gt_db_run (self->db, error,
                    "UPDATE movie SET title = ?, synopsis = ?, duration_minutes = ?, rating = ?,"
                    " genres = ?, active = ? WHERE id = ?",
                    "ssIssiI", json_object_get_string_member (movie, "title"),
                    json_object_get_string_member (movie, "synopsis"), minutes,
                    json_object_get_string_member (movie, "rating"), genres,
                    (int) json_object_get_boolean_member (movie, "active"), id)
         && (minutes == old_minutes || retime_showtimes (self, id, minutes, error));
  if (ok)
    {
      if (id == 0)
        id = gt_db_last_insert_id (self->db);
      saved = gt_engine_get_movie (self, id, error);
      id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      if (saved
          && (!_gt_engine_log_change (self, "movie", 0, id_text, "upsert", saved, error)
              || !_gt_engine_audit (self, principal, action, "movie", id, _gt_audit_reason (body),
                                    _gt_audit_changes (body), error)))
        g_clear_pointer (&saved, json_object_unref);
    }
  if (!_gt_engine_end (self, saved != NULL, error))
    g_clear_pointer (&saved, json_object_unref);
  return saved;
}

JsonObject *
gt_engine_create_movie (GtEngine *self, GtPrincipal *principal, JsonObject *body, GError **error)
{
  g_autoptr (JsonObject) movie = json_object_new ();

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (!read_movie (body, movie, TRUE, error))
    return NULL;
  return save_movie (self, principal, 0, movie, body, error);
}

JsonObject *
gt_engine_update_movie (GtEngine    *self,
                        GtPrincipal *principal,
                        gint64       id,
                        JsonObject  *body,
                        GError     **error)
{
  g_autoptr (JsonObject) movie = NULL;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (!(movie = gt_engine_get_movie (self, id, error)) || !read_movie (body, movie, FALSE, error))
    return NULL;
  return save_movie (self, principal, id, movie, body, error);
}

static gboolean
delete_showtime_rows (GtEngine *self, const char *select_sql, gint64 id, GError **error)
{
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = gt_db_query (self->db, select_sql, "I", id);
  GError       *local_error = NULL;

  while (gt_db_step (self->db, stmt, &local_error))
    {
      gint64 showtime_id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, showtime_id);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  for (guint i = 0; i < ids->len; i++)
    {
      gint64           showtime_id = g_array_index (ids, gint64, i);
      g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, showtime_id);

      if (!gt_db_run (self->db, error, "DELETE FROM showtime WHERE id = ?", "I", showtime_id)
          || !_gt_engine_log_change (self, "showtime", showtime_id, id_text, "delete", NULL, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
gt_engine_delete_movie (GtEngine *self, GtPrincipal *principal, gint64 id, GError **error)
{
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_autoptr (JsonObject) before = NULL;
  JsonObject *details;
  gboolean    ok;

  g_return_val_if_fail (GT_IS_ENGINE (self), FALSE);

  if (!(before = gt_engine_get_movie (self, id, error)))
    return FALSE;
  if (exists (self,
              "SELECT 1 FROM booking b JOIN showtime s ON s.id = b.showtime_id"
              " WHERE s.movie_id = ?1 UNION ALL SELECT 1 FROM ticket t"
              " JOIN showtime s ON s.id = t.showtime_id WHERE s.movie_id = ?1 LIMIT 1",
              id))
    {
      gt_error_set (error, GT_ERROR_CONFLICT, NULL,
                    "This movie has tickets sold; retire it (active: false) instead");
      return FALSE;
    }

  if (!_gt_engine_begin (self, error))
    return FALSE;
  ok = delete_showtime_rows (self, "SELECT id FROM showtime WHERE movie_id = ?", id, error)
       && gt_db_run (self->db, error, "DELETE FROM movie WHERE id = ?", "I", id)
       && _gt_engine_log_change (self, "movie", 0, id_text, "delete", NULL, error);
  if (ok)
    {
      details = json_object_new ();
      json_object_set_string_member (details, "title",
                                     json_object_get_string_member (before, "title"));
      ok = _gt_engine_audit (self, principal, "movie.delete", "movie", id, NULL, details, error);
    }
  return _gt_engine_end (self, ok, error);
}

/* Auditoriums */

static JsonObject *
auditorium_from_row (GtEngine *self, sqlite3_stmt *stmt)
{
  JsonObject *auditorium = json_object_new ();
  g_autoptr (JsonNode) layout = gt_json_parse (gt_db_column_text (stmt, 2), -1, NULL);
  gint64 id = sqlite3_column_int64 (stmt, 0);

  json_object_set_int_member (auditorium, "id", id);
  json_object_set_string_member (auditorium, "name", gt_db_column_text (stmt, 1));
  json_object_set_int_member (auditorium, "seat_count", sqlite3_column_int64 (stmt, 3));
  json_object_set_member (auditorium, "layout", json_node_copy (layout));
  return auditorium;
}

#define AUDITORIUM_COLUMNS                                                                         \
  "id, name, layout, (SELECT COUNT (*) FROM seat WHERE auditorium_id = auditorium.id)"

JsonObject *
gt_engine_list_auditoriums (GtEngine *self, GError **error)
{
  g_autoptr (JsonArray) list = json_array_new ();
  sqlite3_stmt *stmt;
  GError       *local_error = NULL;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  stmt = gt_db_query (self->db, "SELECT " AUDITORIUM_COLUMNS " FROM auditorium ORDER BY name",
                      NULL);
  while (gt_db_step (self->db, stmt, &local_error))
    json_array_add_object_element (list, auditorium_from_row (self, stmt));
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return list_answer (self, "auditoriums", g_steal_pointer (&list));
}

JsonObject *
gt_engine_get_auditorium (GtEngine *self, gint64 id, GError **error)
{
  sqlite3_stmt *stmt;
  JsonObject   *auditorium = NULL;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  stmt = gt_db_query (self->db, "SELECT " AUDITORIUM_COLUMNS " FROM auditorium WHERE id = ?", "I",
                      id);
  if (gt_db_step (self->db, stmt, error))
    {
      auditorium = auditorium_from_row (self, stmt);
      sqlite3_reset (stmt);
    }
  else if (error == NULL || *error == NULL)
    not_found (error, "auditorium", id);
  return auditorium;
}

#define layout_error(error, ...) gt_error_set_field (error, "layout", __VA_ARGS__)

/* Checks @layout and returns it normalised: every seat with its id, number,
 * x and type, and "blocked" only where true. */
static JsonObject *
normalise_layout (JsonObject *layout, GError **error)
{
  g_autoptr (GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) labels = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (JsonArray) out_rows = json_array_new ();
  JsonArray  *rows = NULL;
  JsonObject *out;
  guint       n_seats = 0;

  if (!gt_json_get_array (layout, "rows", TRUE, &rows, error))
    {
      g_clear_error (error);
      layout_error (error, "The layout needs a list of rows");
      return NULL;
    }
  if (json_array_get_length (rows) == 0 || json_array_get_length (rows) > MAX_ROWS)
    {
      layout_error (error, "A layout has between 1 and 200 rows");
      return NULL;
    }

  for (guint r = 0; r < json_array_get_length (rows); r++)
    {
      JsonNode   *row_node = json_array_get_element (rows, r);
      JsonObject *row;
      JsonObject *out_row;
      JsonArray  *seats = NULL;
      JsonArray  *out_seats;
      const char *label = NULL;
      g_autoptr (GHashTable) xs = g_hash_table_new (g_direct_hash, g_direct_equal);

      if (!JSON_NODE_HOLDS_OBJECT (row_node))
        {
          layout_error (error, "Each row is an object with a label and seats");
          return NULL;
        }
      row = json_node_get_object (row_node);
      if (!gt_json_get_string (row, "label", TRUE, 8, &label, NULL)
          || !gt_json_get_array (row, "seats", TRUE, &seats, NULL))
        {
          layout_error (error, "Each row is an object with a label and seats");
          return NULL;
        }
      if (g_hash_table_contains (labels, label))
        {
          layout_error (error, "Row %s appears twice", label);
          return NULL;
        }
      g_hash_table_add (labels, (gpointer) label);

      out_row = json_object_new ();
      out_seats = json_array_new ();
      json_object_set_string_member (out_row, "label", label);
      json_object_set_array_member (out_row, "seats", out_seats);
      json_array_add_object_element (out_rows, out_row);

      for (guint s = 0; s < json_array_get_length (seats); s++)
        {
          JsonNode        *seat_node = json_array_get_element (seats, s);
          JsonObject      *seat;
          JsonObject      *out_seat;
          const char      *id = NULL;
          const char      *type = "standard";
          gint64           number = 0;
          gint64           x = -1;
          gboolean         blocked = FALSE;
          gboolean         type_ok = FALSE;
          g_autofree char *made_id = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (seat_node))
            {
              layout_error (error, "Each seat of row %s is an object", label);
              return NULL;
            }
          seat = json_node_get_object (seat_node);
          if (!gt_json_get_int (seat, "number", TRUE, 1, 9999, &number, NULL)
              || !gt_json_get_string (seat, "id", FALSE, 16, &id, NULL)
              || !gt_json_get_int (seat, "x", FALSE, 0, 999, &x, NULL)
              || !gt_json_get_string (seat, "type", FALSE, 16, &type, NULL)
              || !gt_json_get_bool (seat, "blocked", FALSE, &blocked, NULL))
            {
              layout_error (error,
                            "A seat of row %s has a missing or wrong number, id, x, type "
                            "or blocked",
                            label);
              return NULL;
            }
          if (id == NULL || id[0] == '\0')
            id = made_id = g_strdup_printf ("%s%" G_GINT64_FORMAT, label, number);
          for (const char *p = id; *p; p++)
            if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
              {
                layout_error (error, "Seat id “%s” has characters other than letters and digits",
                              id);
                return NULL;
              }
          if (x < 0)
            x = number - 1;
          for (guint t = 0; t < G_N_ELEMENTS (seat_types); t++)
            type_ok |= g_str_equal (type, seat_types[t]);
          if (!type_ok)
            {
              layout_error (error,
                            "Seat type “%s” is not one of standard, premium, wheelchair, "
                            "companion, couple",
                            type);
              return NULL;
            }
          if (!g_hash_table_add (ids, g_strdup (id)))
            {
              layout_error (error, "Seat %s appears twice", id);
              return NULL;
            }
          if (!g_hash_table_add (xs, GINT_TO_POINTER (x + 1)))
            {
              layout_error (error, "Two seats of row %s stand at the same x", label);
              return NULL;
            }
          if (++n_seats > MAX_SEATS)
            {
              layout_error (error, "A layout has at most 5000 seats");
              return NULL;
            }

          out_seat = json_object_new ();
          json_object_set_string_member (out_seat, "id", id);
          json_object_set_int_member (out_seat, "number", number);
          json_object_set_int_member (out_seat, "x", x);
          json_object_set_string_member (out_seat, "type", type);
          if (blocked)
            json_object_set_boolean_member (out_seat, "blocked", TRUE);
          json_array_add_object_element (out_seats, out_seat);
        }
    }

  if (n_seats == 0)
    {
      layout_error (error, "A layout has at least one seat");
      return NULL;
    }

  out = json_object_new ();
  json_object_set_array_member (out, "rows", g_steal_pointer (&out_rows));
  return out;
}

static gboolean
store_seats (GtEngine *self, gint64 auditorium_id, JsonObject *layout, GError **error)
{
  JsonArray *rows = json_object_get_array_member (layout, "rows");

  if (!gt_db_run (self->db, error, "DELETE FROM seat WHERE auditorium_id = ?", "I", auditorium_id))
    return FALSE;

  for (guint r = 0; r < json_array_get_length (rows); r++)
    {
      JsonObject *row = json_array_get_object_element (rows, r);
      JsonArray  *seats = json_object_get_array_member (row, "seats");

      for (guint s = 0; s < json_array_get_length (seats); s++)
        {
          JsonObject *seat = json_array_get_object_element (seats, s);

          if (!gt_db_run (self->db, error,
                          "INSERT INTO seat (auditorium_id, seat_id, row_label, row_index, number,"
                          " x, type, blocked) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          "IssiIIsi", auditorium_id, json_object_get_string_member (seat, "id"),
                          json_object_get_string_member (row, "label"), (int) r,
                          json_object_get_int_member (seat, "number"),
                          json_object_get_int_member (seat, "x"),
                          json_object_get_string_member (seat, "type"),
                          (int) json_object_get_boolean_member_with_default (seat, "blocked",
                                                                             FALSE)))
            return FALSE;
        }
    }
  return TRUE;
}

/* The seats sold for showtimes still to come in @auditorium_id that
 * @layout would take away or block, each once ("F12"), with the showtimes
 * they are sold for in @showtimes ([{"id","starts_at","movie_title","seats"}]). */
static JsonArray *
sold_seats_lost (GtEngine *self, gint64 auditorium_id, JsonObject *layout, JsonArray *showtimes)
{
  g_autoptr (GHashTable) kept = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) lost_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable)
    by_showtime = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  JsonArray    *rows = json_object_get_array_member (layout, "rows");
  JsonArray    *lost = json_array_new ();
  sqlite3_stmt *stmt;

  for (guint r = 0; rows && r < json_array_get_length (rows); r++)
    {
      JsonArray *seats = json_object_get_array_member (json_array_get_object_element (rows, r),
                                                       "seats");

      for (guint i = 0; seats && i < json_array_get_length (seats); i++)
        {
          JsonObject *seat = json_array_get_object_element (seats, i);

          if (!json_object_get_boolean_member_with_default (seat, "blocked", FALSE))
            g_hash_table_add (kept, (gpointer) json_object_get_string_member (seat, "id"));
        }
    }

  stmt = gt_db_query (self->db,
                      "SELECT t.seat_id, s.id, s.starts_at, m.title FROM ticket t"
                      " JOIN showtime s ON s.id = t.showtime_id JOIN movie m ON m.id = s.movie_id"
                      " WHERE s.auditorium_id = ? AND s.ends_at > ? AND t.refunded_at IS NULL"
                      " ORDER BY s.starts_at, t.seat_id",
                      "II", auditorium_id, gt_engine_now (self));
  while (gt_db_step (self->db, stmt, NULL))
    {
      const char *seat = gt_db_column_text (stmt, 0);
      gint64      showtime_id = sqlite3_column_int64 (stmt, 1);
      JsonObject *showtime;

      if (g_hash_table_contains (kept, seat))
        continue;
      if (!g_hash_table_contains (lost_ids, seat))
        {
          g_hash_table_add (lost_ids, g_strdup (seat));
          json_array_add_string_element (lost, seat);
        }
      if (!(showtime = g_hash_table_lookup (by_showtime, &showtime_id)))
        {
          showtime = json_object_new ();
          json_object_set_int_member (showtime, "id", showtime_id);
          gt_json_set_time (showtime, "starts_at", sqlite3_column_int64 (stmt, 2));
          json_object_set_string_member (showtime, "movie_title", gt_db_column_text (stmt, 3));
          json_object_set_array_member (showtime, "seats", json_array_new ());
          json_array_add_object_element (showtimes, showtime);
          g_hash_table_insert (by_showtime, g_memdup2 (&showtime_id, sizeof showtime_id), showtime);
        }
      json_array_add_string_element (json_object_get_array_member (showtime, "seats"), seat);
    }
  return lost;
}

static gboolean
name_taken (GtEngine *self, const char *name, gint64 id)
{
  sqlite3_stmt *stmt = gt_db_query (self->db, "SELECT 1 FROM auditorium WHERE name = ? AND id != ?",
                                    "sI", name, id);
  gboolean      taken = gt_db_step (self->db, stmt, NULL);

  sqlite3_reset (stmt);
  return taken;
}

static JsonObject *
save_auditorium (GtEngine    *self,
                 GtPrincipal *principal,
                 gint64       id,
                 const char  *name,
                 JsonObject  *layout,
                 JsonObject  *body,
                 GError     **error)
{
  const char      *action = id == 0 ? "auditorium.create" : "auditorium.update";
  g_autofree char *layout_text = layout ? gt_json_to_string (layout) : NULL;
  g_autofree char *id_text = NULL;
  JsonObject      *saved = NULL;
  gboolean         ok;

  if (name != NULL && name_taken (self, name, id))
    {
      gt_error_set (error, GT_ERROR_CONFLICT, NULL, "An auditorium is already called “%s”", name);
      return NULL;
    }

  if (!_gt_engine_begin (self, error))
    return NULL;
  if (id == 0)
    {
      ok = gt_db_run (self->db, error, "INSERT INTO auditorium (name, layout) VALUES (?, ?)", "ss",
                      name, layout_text);
      id = gt_db_last_insert_id (self->db);
    }
  else
    ok = gt_db_run (self->db, error,
                    "UPDATE auditorium SET name = COALESCE (?, name),"
                    " layout = COALESCE (?, layout) WHERE id = ?",
                    "ssI", name, layout_text, id);

  if (ok && layout != NULL)
    {
      /* Holds on seats the new layout no longer has are given up. */
      ok = store_seats (self, id, layout, error)
           && gt_db_run (self->db, error,
                         "DELETE FROM seat_claim WHERE showtime_id IN"
                         " (SELECT id FROM showtime WHERE auditorium_id = ?1)"
                         " AND hold_id IS NOT NULL"
                         " AND seat_id NOT IN (SELECT seat_id FROM seat WHERE auditorium_id = ?1)",
                         "I", id);
    }
  if (ok)
    {
      saved = gt_engine_get_auditorium (self, id, error);
      id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      if (saved
          && (!_gt_engine_log_change (self, "auditorium", 0, id_text, "upsert", saved, error)
              || !_gt_engine_audit (self, principal, action, "auditorium", id,
                                    _gt_audit_reason (body), _gt_audit_changes (body), error)))
        g_clear_pointer (&saved, json_object_unref);
    }
  if (!_gt_engine_end (self, saved != NULL, error))
    g_clear_pointer (&saved, json_object_unref);
  return saved;
}

JsonObject *
gt_engine_create_auditorium (GtEngine    *self,
                             GtPrincipal *principal,
                             JsonObject  *body,
                             GError     **error)
{
  g_autoptr (JsonObject) layout = NULL;
  JsonObject *layout_in = NULL;
  const char *name = NULL;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (!gt_json_get_string (body, "name", TRUE, 64, &name, error)
      || !gt_json_get_object (body, "layout", TRUE, &layout_in, error)
      || !(layout = normalise_layout (layout_in, error)))
    return NULL;
  return save_auditorium (self, principal, 0, name, layout, body, error);
}

JsonObject *
gt_engine_update_auditorium (GtEngine    *self,
                             GtPrincipal *principal,
                             gint64       id,
                             JsonObject  *body,
                             GError     **error)
{
  g_autoptr (JsonObject) layout = NULL;
  JsonObject *layout_in = NULL;
  const char *name = NULL;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (!exists (self, "SELECT 1 FROM auditorium WHERE id = ?", id))
    {
      not_found (error, "auditorium", id);
      return NULL;
    }
  if (!gt_json_get_string (body, "name", FALSE, 64, &name, error)
      || !gt_json_get_object (body, "layout", FALSE, &layout_in, error))
    return NULL;
  if (name != NULL && name[0] == '\0')
    {
      gt_error_set_field (error, "name", "The name must not be empty");
      return NULL;
    }
  if (layout_in != NULL)
    {
      g_autoptr (JsonArray) showtimes = json_array_new ();
      g_autoptr (JsonArray) lost = NULL;

      if (!(layout = normalise_layout (layout_in, error)))
        return NULL;
      /* A new layout may change anything but the seats already sold. */
      lost = sold_seats_lost (self, id, layout, showtimes);
      if (json_array_get_length (lost) > 0)
        {
          g_autoptr (GString) list = g_string_new (NULL);
          JsonObject *details = json_object_new ();

          for (guint i = 0; i < json_array_get_length (lost) && i < 12; i++)
            g_string_append_printf (list, "%s%s", i ? ", " : "",
                                    json_array_get_string_element (lost, i));
          if (json_array_get_length (lost) > 12)
            g_string_append (list, ", …");
          json_object_set_array_member (details, "seats", g_steal_pointer (&lost));
          json_object_set_array_member (details, "showtimes", g_steal_pointer (&showtimes));
          gt_error_set (error, GT_ERROR_CONFLICT, details,
                        "The new layout would take away seats sold for showtimes still to come "
                        "(%s); keep them, or refund or move their tickets first",
                        list->str);
          return NULL;
        }
    }
  return save_auditorium (self, principal, id, name, layout, body, error);
}

/* Showtimes */

#define SHOWTIME_SELECT                                                                            \
  "SELECT s.id, s.movie_id, s.auditorium_id, s.starts_at, s.ends_at, s.prices, m.title, a.name,"   \
  " (SELECT COUNT (*) FROM seat WHERE auditorium_id = s.auditorium_id AND blocked = 0),"           \
  " (SELECT COUNT (*) FROM seat_claim c WHERE c.showtime_id = s.id"                                \
  "   AND (c.ticket_id IS NOT NULL OR c.expires_at > ?))"                                          \
  " FROM showtime s JOIN movie m ON m.id = s.movie_id JOIN auditorium a ON a.id = s.auditorium_id "

static JsonObject *
showtime_from_row (sqlite3_stmt *stmt)
{
  JsonObject *showtime = json_object_new ();
  g_autoptr (JsonNode) prices = gt_json_parse (gt_db_column_text (stmt, 5), -1, NULL);
  gint64 total = sqlite3_column_int64 (stmt, 8);

  json_object_set_int_member (showtime, "id", sqlite3_column_int64 (stmt, 0));
  json_object_set_int_member (showtime, "movie_id", sqlite3_column_int64 (stmt, 1));
  json_object_set_int_member (showtime, "auditorium_id", sqlite3_column_int64 (stmt, 2));
  gt_json_set_time (showtime, "starts_at", sqlite3_column_int64 (stmt, 3));
  gt_json_set_time (showtime, "ends_at", sqlite3_column_int64 (stmt, 4));
  json_object_set_member (showtime, "prices", json_node_copy (prices));
  json_object_set_string_member (showtime, "movie_title", gt_db_column_text (stmt, 6));
  json_object_set_string_member (showtime, "auditorium_name", gt_db_column_text (stmt, 7));
  json_object_set_int_member (showtime, "seats_total", total);
  json_object_set_int_member (showtime, "seats_free",
                              MAX (0, total - sqlite3_column_int64 (stmt, 9)));
  return showtime;
}

JsonObject *
_gt_showtime_to_json (GtEngine *self, gint64 id, GError **error)
{
  sqlite3_stmt *stmt = gt_db_query (self->db, SHOWTIME_SELECT "WHERE s.id = ?", "II",
                                    gt_engine_now (self), id);
  JsonObject   *showtime = NULL;

  if (gt_db_step (self->db, stmt, error))
    {
      showtime = showtime_from_row (stmt);
      sqlite3_reset (stmt);
    }
  else if (error == NULL || *error == NULL)
    not_found (error, "showtime", id);
  return showtime;
}

JsonObject *
gt_engine_get_showtime (GtEngine *self, gint64 id, GError **error)
{
  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);
  return _gt_showtime_to_json (self, id, error);
}

JsonObject *
gt_engine_list_showtimes (GtEngine *self, const char *date, gint64 movie_id, GError **error)
{
  g_autoptr (JsonArray) list = json_array_new ();
  gint64        from;
  gint64        to;
  gint64        ends_after;
  sqlite3_stmt *stmt;
  GError       *local_error = NULL;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (date != NULL)
    {
      if (!_gt_engine_day_range (self, date, &from, &to, error))
        return NULL;
      ends_after = G_MININT64;
    }
  else
    {
      from = G_MININT64;
      to = G_MAXINT64;
      ends_after = gt_engine_now (self);
    }

  stmt = gt_db_query (self->db,
                      SHOWTIME_SELECT "WHERE s.starts_at >= ? AND s.starts_at < ? AND s.ends_at > ?"
                                      " AND (? = 0 OR s.movie_id = ?) ORDER BY s.starts_at, s.id",
                      "IIIIII", gt_engine_now (self), from, to, ends_after, movie_id, movie_id);
  while (gt_db_step (self->db, stmt, &local_error))
    json_array_add_object_element (list, showtime_from_row (stmt));
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return list_answer (self, "showtimes", g_steal_pointer (&list));
}

gboolean
_gt_engine_check_prices (JsonObject *prices, const char *field, GError **error)
{
  g_autoptr (GList) names = json_object_get_members (prices);

  if (names == NULL || g_list_length (names) > MAX_PRICE_TYPES)
    {
      gt_error_set_field (error, field, "A showtime has between 1 and %d ticket types",
                          MAX_PRICE_TYPES);
      return FALSE;
    }
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode   *node = json_object_get_member (prices, name);
      gboolean    name_ok = name[0] != '\0' && strlen (name) <= 32;

      for (const char *p = name; *p; p++)
        name_ok &= g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_';
      if (!name_ok)
        {
          gt_error_set_field (error, field, "Ticket type “%s” must be lower-case letters", name);
          return FALSE;
        }
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64
          || json_node_get_int (node) < 0 || json_node_get_int (node) > 1000000000000)
        {
          gt_error_set_field (error, field, "The price of “%s” must be a whole amount ≥ 0", name);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
read_prices (JsonObject *body, char **prices_text, gboolean required, GError **error)
{
  JsonObject *prices = NULL;

  if (!gt_json_get_object (body, "prices", required, &prices, error))
    return FALSE;
  if (prices == NULL)
    return TRUE;
  if (!_gt_engine_check_prices (prices, "prices", error))
    return FALSE;
  *prices_text = gt_json_to_string (prices);
  return TRUE;
}

/* The manager's default prices for a showtime starting at @starts (µs), or
 * NULL without defaults. */
static char *
default_prices (GtEngine *self, gint64 starts)
{
  g_autofree char *text = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GTimeZone) tz = _gt_engine_get_timezone (self);
  g_autoptr (GDateTime) at = g_date_time_new_from_unix_utc (starts / G_USEC_PER_SEC);
  g_autoptr (GDateTime) local = NULL;
  JsonObject *prices;

  if (_gt_engine_get_setting (self, "price_defaults", &text) == NULL
      || !(node = gt_json_parse (text, -1, NULL)) || !JSON_NODE_HOLDS_OBJECT (node) || at == NULL)
    return NULL;
  local = g_date_time_to_timezone (at, tz);
  prices = gt_prices_for (json_node_get_object (node), local);
  return prices ? gt_json_to_string (prices) : NULL;
}

static JsonObject *
save_showtime (GtEngine    *self,
               GtPrincipal *principal,
               gint64       id,
               gint64       movie_id,
               gint64       auditorium_id,
               gint64       starts,
               const char  *prices,
               JsonObject  *body,
               GError     **error)
{
  const char      *action = id == 0 ? "showtime.create" : "showtime.update";
  g_autofree char *id_text = NULL;
  JsonObject      *saved = NULL;
  gint64           ends;
  gint64           other;
  gint64           minutes;
  gboolean         ok;

  if ((minutes = movie_duration (self, movie_id)) == 0)
    {
      gt_error_set_field (error, "movie_id", "There is no movie %" G_GINT64_FORMAT, movie_id);
      return NULL;
    }
  if (!exists (self, "SELECT 1 FROM auditorium WHERE id = ?", auditorium_id))
    {
      gt_error_set_field (error, "auditorium_id", "There is no auditorium %" G_GINT64_FORMAT,
                          auditorium_id);
      return NULL;
    }
  ends = starts + minutes * G_TIME_SPAN_MINUTE;

  if (!_gt_engine_begin (self, error))
    return NULL;
  /* Checked inside the transaction: two managers cannot both take a slot. */
  if ((other = find_overlap (self, auditorium_id, starts, ends, id)) != 0)
    ok = overlap_error (self, error, 0, other);
  else if (id == 0)
    {
      ok = gt_db_run (self->db, error,
                      "INSERT INTO showtime (movie_id, auditorium_id, starts_at, ends_at, prices)"
                      " VALUES (?, ?, ?, ?, ?)",
                      "IIIIs", movie_id, auditorium_id, starts, ends, prices);
      id = gt_db_last_insert_id (self->db);
    }
  else
    ok = gt_db_run (self->db, error,
                    "UPDATE showtime SET movie_id = ?, auditorium_id = ?, starts_at = ?,"
                    " ends_at = ?, prices = COALESCE (?, prices) WHERE id = ?",
                    "IIIIsI", movie_id, auditorium_id, starts, ends, prices, id);
  if (ok)
    {
      saved = _gt_showtime_to_json (self, id, error);
      id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      if (saved
          && (!_gt_engine_log_change (self, "showtime", id, id_text, "upsert", saved, error)
              || !_gt_engine_audit (self, principal, action, "showtime", id,
                                    _gt_audit_reason (body), _gt_audit_changes (body), error)))
        g_clear_pointer (&saved, json_object_unref);
    }
  if (!_gt_engine_end (self, saved != NULL, error))
    g_clear_pointer (&saved, json_object_unref);
  return saved;
}

static gboolean
read_starts_at (JsonObject *body, gboolean required, gint64 *starts, GError **error)
{
  const char *text = NULL;

  if (!gt_json_get_string (body, "starts_at", required, 64, &text, error))
    return FALSE;
  if (text != NULL && !gt_time_parse (text, starts))
    {
      gt_error_set_field (error, "starts_at", "“starts_at” is a time like 2026-11-24T19:30:00Z");
      return FALSE;
    }
  return TRUE;
}

JsonObject *
gt_engine_create_showtime (GtEngine *self, GtPrincipal *principal, JsonObject *body, GError **error)
{
  g_autofree char *prices = NULL;
  gint64           movie_id = 0;
  gint64           auditorium_id = 0;
  gint64           starts = 0;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (!gt_json_get_int (body, "movie_id", TRUE, 1, G_MAXINT64, &movie_id, error)
      || !gt_json_get_int (body, "auditorium_id", TRUE, 1, G_MAXINT64, &auditorium_id, error)
      || !read_starts_at (body, TRUE, &starts, error) || !read_prices (body, &prices, FALSE, error))
    return NULL;
  /* Without prices, the defaults for that time of day and week. */
  if (prices == NULL && (prices = default_prices (self, starts)) == NULL)
    {
      gt_error_set_field (error, "prices",
                          "Give the prices, or set default prices in the cinema's settings");
      return NULL;
    }
  return save_showtime (self, principal, 0, movie_id, auditorium_id, starts, prices, body, error);
}

JsonObject *
gt_engine_update_showtime (GtEngine    *self,
                           GtPrincipal *principal,
                           gint64       id,
                           JsonObject  *body,
                           GError     **error)
{
  g_autoptr (JsonObject) current = NULL;
  g_autofree char *prices = NULL;
  gint64           movie_id;
  gint64           auditorium_id;
  gint64           starts;
  gint64           old_starts;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (!(current = _gt_showtime_to_json (self, id, error)))
    return NULL;
  movie_id = json_object_get_int_member (current, "movie_id");
  auditorium_id = json_object_get_int_member (current, "auditorium_id");
  gt_time_parse (json_object_get_string_member (current, "starts_at"), &starts);
  old_starts = starts;

  if (!gt_json_get_int (body, "movie_id", FALSE, 1, G_MAXINT64, &movie_id, error)
      || !gt_json_get_int (body, "auditorium_id", FALSE, 1, G_MAXINT64, &auditorium_id, error)
      || !read_starts_at (body, FALSE, &starts, error)
      || !read_prices (body, &prices, FALSE, error))
    return NULL;

  /* Prices may change for the seats still to sell; what was sold must keep
   * its movie, room and time. */
  if ((movie_id != json_object_get_int_member (current, "movie_id")
       || auditorium_id != json_object_get_int_member (current, "auditorium_id")
       || starts != old_starts)
      && exists (self, "SELECT 1 FROM ticket WHERE showtime_id = ? AND refunded_at IS NULL", id))
    {
      gt_error_set (error, GT_ERROR_CONFLICT, NULL,
                    "Tickets are sold for this showtime; its movie, auditorium and time cannot "
                    "change");
      return NULL;
    }
  return save_showtime (self, principal, id, movie_id, auditorium_id, starts, prices, body, error);
}

gboolean
gt_engine_delete_showtime (GtEngine *self, GtPrincipal *principal, gint64 id, GError **error)
{
  g_autoptr (JsonObject) before = NULL;
  gboolean ok;

  g_return_val_if_fail (GT_IS_ENGINE (self), FALSE);

  if (!(before = _gt_showtime_to_json (self, id, error)))
    return FALSE;
  if (exists (self,
              "SELECT 1 FROM booking WHERE showtime_id = ?1"
              " UNION ALL SELECT 1 FROM ticket WHERE showtime_id = ?1",
              id))
    {
      gt_error_set (error, GT_ERROR_CONFLICT, NULL,
                    "Tickets were sold for this showtime; it cannot be deleted");
      return FALSE;
    }

  if (!_gt_engine_begin (self, error))
    return FALSE;
  ok = delete_showtime_rows (self, "SELECT id FROM showtime WHERE id = ?", id, error);
  if (ok)
    {
      JsonObject *details = json_object_new ();

      json_object_set_string_member (details, "movie_title",
                                     json_object_get_string_member (before, "movie_title"));
      json_object_set_string_member (details, "auditorium_name",
                                     json_object_get_string_member (before, "auditorium_name"));
      json_object_set_string_member (details, "starts_at",
                                     json_object_get_string_member (before, "starts_at"));
      ok = _gt_engine_audit (self, principal, "showtime.delete", "showtime", id, NULL, details,
                             error);
    }
  return _gt_engine_end (self, ok, error);
}

JsonObject *
gt_engine_get_seats (GtEngine *self, GtPrincipal *principal, gint64 showtime_id, GError **error)
{
  g_autoptr (JsonArray) seats = json_array_new ();
  sqlite3_stmt *stmt;
  GError       *local_error = NULL;
  JsonObject   *answer;
  gint64        now;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (!exists (self, "SELECT 1 FROM showtime WHERE id = ?", showtime_id))
    {
      not_found (error, "showtime", showtime_id);
      return NULL;
    }

  now = gt_engine_now (self);
  /* A hold past its expiry is free here at once, timer or not. */
  stmt =
    gt_db_query (self->db,
                 "SELECT st.seat_id, st.row_label, st.number, st.x, st.type,"
                 " CASE WHEN st.blocked THEN 'blocked' WHEN c.ticket_id IS NOT NULL THEN 'sold'"
                 "  WHEN c.expires_at > ?1 THEN 'held' ELSE 'free' END,"
                 " CASE WHEN c.expires_at > ?1 AND h.session_id = ?2 THEN h.id END"
                 " FROM showtime s JOIN seat st ON st.auditorium_id = s.auditorium_id"
                 " LEFT JOIN seat_claim c ON c.showtime_id = s.id AND c.seat_id = st.seat_id"
                 " LEFT JOIN hold h ON h.id = c.hold_id"
                 " WHERE s.id = ?3 ORDER BY st.row_index, st.x",
                 "III", now, principal ? principal->session_id : (gint64) -1, showtime_id);
  while (gt_db_step (self->db, stmt, &local_error))
    {
      JsonObject *seat = json_object_new ();

      json_object_set_string_member (seat, "id", gt_db_column_text (stmt, 0));
      json_object_set_string_member (seat, "row", gt_db_column_text (stmt, 1));
      json_object_set_int_member (seat, "number", sqlite3_column_int64 (stmt, 2));
      json_object_set_int_member (seat, "x", sqlite3_column_int64 (stmt, 3));
      json_object_set_string_member (seat, "type", gt_db_column_text (stmt, 4));
      json_object_set_string_member (seat, "state", gt_db_column_text (stmt, 5));
      if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
        json_object_set_int_member (seat, "hold_id", sqlite3_column_int64 (stmt, 6));
      json_array_add_object_element (seats, seat);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  answer = json_object_new ();
  json_object_set_int_member (answer, "showtime_id", showtime_id);
  json_object_set_int_member (answer, "rev", self->rev);
  json_object_set_array_member (answer, "seats", g_steal_pointer (&seats));
  return answer;
}
