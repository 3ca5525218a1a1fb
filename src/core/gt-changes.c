/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-changes"

#include "config.h"

#include "gt-engine-private.h"
#include "gt-json.h"

#define DEFAULT_LIMIT 500
#define MAX_LIMIT     5000

JsonObject *
gt_engine_list_changes (GtEngine *self, gint64 since, gint64 limit, GError **error)
{
  g_autoptr (JsonArray) changes = json_array_new ();
  GError       *local_error = NULL;
  sqlite3_stmt *stmt;
  JsonObject   *answer;
  gint64        last = since;
  gboolean      more = FALSE;
  gint64        n = 0;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (limit <= 0)
    limit = DEFAULT_LIMIT;
  limit = MIN (limit, MAX_LIMIT);

  stmt = gt_db_query (self->db,
                      "SELECT rev, kind, showtime_id, obj_id, op, data FROM change_log"
                      " WHERE rev > ? ORDER BY rev LIMIT ?",
                      "II", since, limit + 1);
  while (gt_db_step (self->db, stmt, &local_error))
    {
      JsonObject *change;
      const char *kind;
      const char *data;

      if (++n > limit)
        {
          more = TRUE;
          sqlite3_reset (stmt);
          break;
        }

      change = json_object_new ();
      kind = gt_db_column_text (stmt, 1);
      last = sqlite3_column_int64 (stmt, 0);
      json_object_set_int_member (change, "rev", last);
      json_object_set_string_member (change, "kind", kind);
      if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
        json_object_set_int_member (change, "showtime_id", sqlite3_column_int64 (stmt, 2));
      if (g_str_equal (kind, "seat"))
        json_object_set_string_member (change, "id", gt_db_column_text (stmt, 3));
      else
        json_object_set_int_member (change, "id",
                                    g_ascii_strtoll (gt_db_column_text (stmt, 3), NULL, 10));
      json_object_set_string_member (change, "op", gt_db_column_text (stmt, 4));
      data = gt_db_column_text (stmt, 5);
      if (data != NULL)
        {
          g_autoptr (JsonNode) node = gt_json_parse (data, -1, NULL);
          json_object_set_member (change, "data",
                                  node ? json_node_copy (node) : json_node_new (JSON_NODE_NULL));
        }
      else
        json_object_set_null_member (change, "data");
      json_array_add_object_element (changes, change);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  answer = json_object_new ();
  /* With more to come, "rev" is where the next page starts. */
  json_object_set_int_member (answer, "rev", more ? last : self->rev);
  json_object_set_boolean_member (answer, "more", more);
  json_object_set_array_member (answer, "changes", g_steal_pointer (&changes));
  return answer;
}
