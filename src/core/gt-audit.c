/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-audit"

#include "config.h"

#include "gt-engine-private.h"
#include "gt-json.h"

#define DEFAULT_LIMIT 100
#define MAX_LIMIT     1000

static void
set_text (JsonObject *object, const char *member, const char *text)
{
  if (text != NULL)
    json_object_set_string_member (object, member, text);
  else
    json_object_set_null_member (object, member);
}

gboolean
_gt_engine_audit (GtEngine    *self,
                  GtPrincipal *principal,
                  const char  *action,
                  const char  *kind,
                  gint64       object_id,
                  const char  *reason,
                  JsonObject  *details,
                  GError     **error)
{
  g_autoptr (JsonObject) owned = details;
  g_autofree char *text = details ? gt_json_to_string (details) : NULL;

  if (self->audit_off)
    return TRUE;
  /* In the unit of work of the change itself: a change is never without
   * its row, and a row never without its change. */
  return gt_db_run (self->db, error,
                    "INSERT INTO audit (at, user_id, counter, action, kind, object_id, reason,"
                    " details) VALUES (?, NULLIF (?, 0), ?, ?, ?, NULLIF (?, 0), ?, ?)",
                    "IIsssIss", gt_engine_now (self), principal ? principal->user_id : (gint64) 0,
                    principal ? principal->counter : NULL, action, kind, object_id,
                    reason && reason[0] ? reason : NULL, text);
}

JsonObject *
_gt_audit_changes (JsonObject *body)
{
  JsonObject    *details = json_object_new ();
  JsonObject    *changes = json_object_new ();
  JsonObjectIter iter;
  const char    *name;
  JsonNode      *node;

  /* What was asked for, without secrets or bulk: never a password, and a
   * layout only as the fact that it changed. */
  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (g_str_equal (name, "reason"))
        continue;
      if (g_str_equal (name, "password"))
        json_object_set_boolean_member (changes, "password", TRUE);
      else if (g_str_equal (name, "layout"))
        json_object_set_boolean_member (changes, "layout", TRUE);
      else
        json_object_set_member (changes, name, json_node_copy (node));
    }
  json_object_set_object_member (details, "changes", changes);
  return details;
}

const char *
_gt_audit_reason (JsonObject *body)
{
  JsonNode *node = body ? json_object_get_member (body, "reason") : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING
      || !g_utf8_validate (json_node_get_string (node), -1, NULL)
      || strlen (json_node_get_string (node)) > 500)
    return NULL;
  return json_node_get_string (node);
}

JsonObject *
gt_engine_list_audit (GtEngine    *self,
                      GtPrincipal *principal,
                      const char  *date,
                      gint64       limit,
                      GError     **error)
{
  g_autoptr (JsonArray) entries = json_array_new ();
  GError       *local_error = NULL;
  sqlite3_stmt *stmt;
  JsonObject   *answer;
  gint64        from = G_MININT64;
  gint64        to = G_MAXINT64;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (!gt_principal_require (principal, GT_ROLE_MANAGER, error))
    return NULL;
  if (date != NULL && !_gt_engine_day_range (self, date, &from, &to, error))
    return NULL;
  if (limit <= 0)
    limit = DEFAULT_LIMIT;
  limit = MIN (limit, MAX_LIMIT);

  stmt =
    gt_db_query (self->db,
                 "SELECT a.id, a.at, a.user_id, u.username, a.counter, a.action, a.kind,"
                 " a.object_id, a.reason, a.details, CASE a.kind"
                 "  WHEN 'booking' THEN (SELECT code FROM booking WHERE id = a.object_id)"
                 "  WHEN 'user' THEN (SELECT username FROM user WHERE id = a.object_id)"
                 "  WHEN 'movie' THEN (SELECT title FROM movie WHERE id = a.object_id)"
                 "  WHEN 'auditorium' THEN (SELECT name FROM auditorium WHERE id = a.object_id)"
                 "  WHEN 'showtime' THEN (SELECT m.title FROM showtime s"
                 "   JOIN movie m ON m.id = s.movie_id WHERE s.id = a.object_id) END"
                 " FROM audit a LEFT JOIN user u ON u.id = a.user_id"
                 " WHERE a.at >= ? AND a.at < ? ORDER BY a.at DESC, a.id DESC LIMIT ?",
                 "III", from, to, limit);
  while (gt_db_step (self->db, stmt, &local_error))
    {
      JsonObject *entry = json_object_new ();

      json_object_set_int_member (entry, "id", sqlite3_column_int64 (stmt, 0));
      gt_json_set_time (entry, "at", sqlite3_column_int64 (stmt, 1));
      if (sqlite3_column_type (stmt, 2) != SQLITE_NULL)
        {
          JsonObject *user = json_object_new ();

          json_object_set_int_member (user, "id", sqlite3_column_int64 (stmt, 2));
          json_object_set_string_member (user, "username", gt_db_column_text (stmt, 3));
          json_object_set_object_member (entry, "user", user);
        }
      else
        json_object_set_null_member (entry, "user");
      set_text (entry, "counter", gt_db_column_text (stmt, 4));
      json_object_set_string_member (entry, "action", gt_db_column_text (stmt, 5));
      json_object_set_string_member (entry, "kind", gt_db_column_text (stmt, 6));
      if (sqlite3_column_type (stmt, 7) != SQLITE_NULL)
        json_object_set_int_member (entry, "object_id", sqlite3_column_int64 (stmt, 7));
      else
        json_object_set_null_member (entry, "object_id");
      set_text (entry, "reason", gt_db_column_text (stmt, 8));
      /* What a person calls the object, as it is now: a booking's code, a
       * username, a title, a name (a showtime: its movie's title). */
      set_text (entry, "name", gt_db_column_text (stmt, 10));
      if (sqlite3_column_type (stmt, 9) != SQLITE_NULL)
        {
          g_autoptr (JsonNode) details = gt_json_parse (gt_db_column_text (stmt, 9), -1, NULL);

          json_object_set_member (entry, "details",
                                  details ? json_node_copy (details)
                                          : json_node_new (JSON_NODE_NULL));
        }
      else
        json_object_set_null_member (entry, "details");
      json_array_add_object_element (entries, entry);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  answer = json_object_new ();
  json_object_set_array_member (answer, "entries", g_steal_pointer (&entries));
  return answer;
}
