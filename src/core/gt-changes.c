/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-changes"

#include "config.h"

#include "gt-engine-private.h"
#include "gt-json.h"

#define DEFAULT_LIMIT 500
#define MAX_LIMIT     5000

/* One change as the JSON text of an element of /changes. Its data is the
 * text the change log stored, which the engine wrote: spliced in as it is,
 * not parsed and written again, which made most of the cost of a page. */
static char *
change_text (sqlite3_stmt *stmt)
{
  GString    *out = g_string_new (NULL);
  const char *kind = gt_db_column_text (stmt, 1);
  const char *data = gt_db_column_text (stmt, 5);

  g_string_append_printf (out, "{\"rev\":%" G_GINT64_FORMAT ",\"kind\":",
                          (gint64) sqlite3_column_int64 (stmt, 0));
  gt_json_append_string (out, kind);
  if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
    g_string_append_printf (out, ",\"showtime_id\":%" G_GINT64_FORMAT,
                            (gint64) sqlite3_column_int64 (stmt, 2));
  g_string_append (out, ",\"id\":");
  if (g_str_equal (kind, "seat"))
    gt_json_append_string (out, gt_db_column_text (stmt, 3));
  else
    g_string_append_printf (out, "%" G_GINT64_FORMAT,
                            g_ascii_strtoll (gt_db_column_text (stmt, 3), NULL, 10));
  g_string_append (out, ",\"op\":");
  gt_json_append_string (out, gt_db_column_text (stmt, 4));
  g_string_append (out, ",\"data\":");
  g_string_append (out, data != NULL && data[0] != '\0' ? data : "null");
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/**
 * gt_engine_read_changes:
 * @since: changes after this revision
 * @until: and up to this one (%G_MAXINT64 for all)
 * @limit: at most this many (clamped to 1…5000; 0 for the default, 500)
 * @last: (out): the revision of the last change read, or @since
 * @more: (out) (optional): whether more changes up to @until follow
 *
 * The changes in revision order, each as the JSON text of one element of
 * `/changes` and of one `/live` message.
 */
GPtrArray *
gt_engine_read_changes (GtEngine *self,
                        gint64    since,
                        gint64    until,
                        gint64    limit,
                        gint64   *last,
                        gboolean *more,
                        GError  **error)
{
  g_autoptr (GPtrArray) changes = g_ptr_array_new_with_free_func (g_free);
  GError       *local_error = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (limit <= 0)
    limit = DEFAULT_LIMIT;
  limit = MIN (limit, MAX_LIMIT);
  *last = since;
  if (more != NULL)
    *more = FALSE;

  stmt = gt_db_query (self->db,
                      "SELECT rev, kind, showtime_id, obj_id, op, data FROM change_log"
                      " WHERE rev > ? AND rev <= ? ORDER BY rev LIMIT ?",
                      "III", since, until, limit + 1);
  while (gt_db_step (self->db, stmt, &local_error))
    {
      if (changes->len == (guint) limit)
        {
          if (more != NULL)
            *more = TRUE;
          sqlite3_reset (stmt);
          break;
        }
      *last = sqlite3_column_int64 (stmt, 0);
      g_ptr_array_add (changes, change_text (stmt));
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_steal_pointer (&changes);
}

/* The answer of `GET /changes` as JSON text. */
char *
gt_engine_list_changes_text (GtEngine *self, gint64 since, gint64 limit, GError **error)
{
  g_autoptr (GPtrArray) changes = NULL;
  GString *out;
  gint64   last;
  gboolean more;

  if (!(changes = gt_engine_read_changes (self, since, G_MAXINT64, limit, &last, &more, error)))
    return NULL;

  out = g_string_new (NULL);
  /* With more to come, "rev" is where the next page starts. */
  g_string_append_printf (out, "{\"rev\":%" G_GINT64_FORMAT ",\"more\":%s,\"changes\":[",
                          more ? last : self->rev, more ? "true" : "false");
  for (guint i = 0; i < changes->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, g_ptr_array_index (changes, i));
    }
  g_string_append (out, "]}");
  return g_string_free (out, FALSE);
}

JsonObject *
gt_engine_list_changes (GtEngine *self, gint64 since, gint64 limit, GError **error)
{
  g_autofree char *text = gt_engine_list_changes_text (self, since, limit, error);
  g_autoptr (JsonNode) node = NULL;

  if (text == NULL)
    return NULL;
  node = gt_json_parse (text, -1, NULL);
  g_assert (node != NULL && JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}
