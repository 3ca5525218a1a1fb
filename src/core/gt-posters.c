/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-posters"

#include "config.h"

#include "gt-engine-private.h"
#include "gt-json.h"
#include "gt-posters.h"

static gboolean
movie_exists (GtEngine *self, gint64 movie_id)
{
  sqlite3_stmt *stmt = gt_db_query (self->db, "SELECT 1 FROM movie WHERE id = ?", "I", movie_id);
  gboolean      found = gt_db_step (self->db, stmt, NULL);

  sqlite3_reset (stmt);
  return found;
}

static gboolean
no_movie (GError **error, gint64 movie_id)
{
  gt_error_set (error, GT_ERROR_NOT_FOUND, NULL, "There is no movie %" G_GINT64_FORMAT, movie_id);
  return FALSE;
}

/* Every poster change is a change of its movie: counters learn the new URL
 * from /changes, and the audit log says who changed it. */
static gboolean
log_movie (GtEngine    *self,
           GtPrincipal *principal,
           gint64       movie_id,
           const char  *action,
           JsonObject  *details,
           JsonObject **movie_out,
           GError     **error)
{
  g_autoptr (JsonObject) owned_details = details;
  g_autoptr (JsonObject) movie = NULL;
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, movie_id);

  if (!(movie = gt_engine_get_movie (self, movie_id, error))
      || !_gt_engine_log_change (self, "movie", 0, id_text, "upsert", movie, error)
      || !_gt_engine_audit (self, principal, action, "movie", movie_id, NULL,
                            g_steal_pointer (&owned_details), error))
    return FALSE;
  if (movie_out != NULL)
    *movie_out = g_steal_pointer (&movie);
  return TRUE;
}

const char *
gt_poster_sniff (const guint8 *data, gsize len)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  static const guint8 jpeg[] = { 0xff, 0xd8, 0xff };

  if (data == NULL)
    return NULL;
  if (len >= sizeof png && memcmp (data, png, sizeof png) == 0)
    return "image/png";
  if (len >= sizeof jpeg && memcmp (data, jpeg, sizeof jpeg) == 0)
    return "image/jpeg";
  return NULL;
}

JsonObject *
gt_engine_set_poster (GtEngine    *self,
                      GtPrincipal *principal,
                      gint64       movie_id,
                      GBytes      *data,
                      GError     **error)
{
  JsonObject   *movie = NULL;
  JsonObject   *details;
  const guint8 *bytes;
  const char   *content_type;
  gsize         len = 0;
  gint64        now;
  gboolean      ok;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  bytes = data ? g_bytes_get_data (data, &len) : NULL;
  if (len > GT_POSTER_MAX_BYTES)
    {
      gt_error_set_field (error, "poster", "A poster is at most 2 MiB");
      return NULL;
    }
  if (!(content_type = gt_poster_sniff (bytes, len)))
    {
      gt_error_set_field (error, "poster", "A poster is a PNG or JPEG image");
      return NULL;
    }
  if (!movie_exists (self, movie_id))
    {
      no_movie (error, movie_id);
      return NULL;
    }

  if (!_gt_engine_begin (self, error))
    return NULL;
  /* The version in the poster's URL must change with every upload, even
   * two within the same microsecond. */
  now = gt_engine_now (self);
  ok = gt_db_run (self->db, error,
                  "INSERT INTO poster (movie_id, content_type, data, updated_at)"
                  " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (movie_id) DO UPDATE SET"
                  " content_type = excluded.content_type, data = excluded.data,"
                  " updated_at = MAX (excluded.updated_at, poster.updated_at + 1)",
                  "IsbI", movie_id, content_type, bytes, len, now);
  if (ok)
    {
      details = json_object_new ();
      json_object_set_string_member (details, "content_type", content_type);
      json_object_set_int_member (details, "size", (gint64) len);
      ok = log_movie (self, principal, movie_id, "movie.poster.set", details, &movie, error);
    }
  if (!_gt_engine_end (self, ok, error))
    g_clear_pointer (&movie, json_object_unref);
  return movie;
}

GBytes *
gt_engine_get_poster (GtEngine *self, gint64 movie_id, char **content_type, GError **error)
{
  sqlite3_stmt *stmt;
  GBytes       *bytes = NULL;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  stmt = gt_db_query (self->db, "SELECT content_type, data FROM poster WHERE movie_id = ?", "I",
                      movie_id);
  if (gt_db_step (self->db, stmt, error))
    {
      bytes = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
      if (content_type != NULL)
        *content_type = g_strdup (gt_db_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  else if (error == NULL || *error == NULL)
    {
      if (movie_exists (self, movie_id))
        gt_error_set (error, GT_ERROR_NOT_FOUND, NULL, "Movie %" G_GINT64_FORMAT " has no poster",
                      movie_id);
      else
        no_movie (error, movie_id);
    }
  return bytes;
}

gboolean
gt_engine_delete_poster (GtEngine *self, GtPrincipal *principal, gint64 movie_id, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (GT_IS_ENGINE (self), FALSE);

  if (!movie_exists (self, movie_id))
    return no_movie (error, movie_id);

  if (!_gt_engine_begin (self, error))
    return FALSE;
  ok = gt_db_run (self->db, error, "DELETE FROM poster WHERE movie_id = ?", "I", movie_id);
  if (ok && gt_db_changes (self->db) == 0)
    {
      gt_error_set (error, GT_ERROR_NOT_FOUND, NULL, "Movie %" G_GINT64_FORMAT " has no poster",
                    movie_id);
      ok = FALSE;
    }
  if (ok)
    ok = log_movie (self, principal, movie_id, "movie.poster.delete", NULL, NULL, error);
  return _gt_engine_end (self, ok, error);
}
