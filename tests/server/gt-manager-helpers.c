/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-test"

#include "config.h"

#include <unistd.h>

#include "gt-manager-helpers.h"

char *
gt_login_at (GtTestServer *server, const char *username, const char *counter)
{
  g_autofree char *body = g_strdup_printf (
    "{\"username\":\"%s\",\"password\":\"%s\",\"counter\":\"%s\"}", username, username, counter);
  g_autoptr (JsonNode) node = gt_api (server, "POST", "/sessions", NULL, body, 201);

  return g_strdup (json_object_get_string_member (json_node_get_object (node), "token"));
}

char *
gt_make_user (GtTestServer *server, const char *token, const char *prefix, const char *role)
{
  static guint     counter;
  char            *name = g_strdup_printf ("%s-%d-%u", prefix, (int) getpid (), ++counter);
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\","
                                           "\"display_name\":\"%s, test\",\"role\":\"%s\"}",
                                           name, name, name, role);
  g_autoptr (JsonNode) node = gt_api (server, "POST", "/users", token, body, 201);

  return name;
}

JsonNode *
gt_sell_tickets (GtTestServer *server,
                 const char   *token,
                 gint64        showtime_id,
                 const char   *tickets_json,
                 const char   *payment_json,
                 const char   *customer_name)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GString) seats = g_string_new ("[");
  g_autofree char *body = NULL;
  g_autofree char *text = NULL;
  JsonNode        *node;
  JsonArray       *tickets;
  gint64           hold;
  guint            status = 0;

  g_assert_true (json_parser_load_from_data (parser, tickets_json, -1, NULL));
  tickets = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (tickets); i++)
    g_string_append_printf (
      seats, "%s\"%s\"", i ? "," : "",
      json_object_get_string_member (json_array_get_object_element (tickets, i), "seat"));
  g_string_append (seats, "]");

  hold = gt_hold (server, token, showtime_id, seats->str);
  if (customer_name != NULL)
    body = g_strdup_printf ("{\"tickets\":%s,\"payment\":%s,\"customer\":{\"name\":\"%s\"}}",
                            tickets_json, payment_json, customer_name);
  else
    body = g_strdup_printf ("{\"tickets\":%s,\"payment\":%s}", tickets_json, payment_json);
  node = gt_checkout (server, token, hold, NULL, body, &status);
  text = node ? json_to_string (node, FALSE) : g_strdup ("");
  if (status != 201)
    g_error ("checkout answered %u: %s", status, text);
  return node;
}

char *
gt_cinema_date (GtTestServer *server, gint64 unix_time)
{
  g_autoptr (JsonNode) config = gt_api (server, "GET", "/config", NULL, NULL, 200);
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier (
    json_object_get_string_member (json_node_get_object (config), "timezone"));
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (unix_time);
  g_autoptr (GDateTime) local = NULL;

  g_assert_nonnull (tz);
  local = g_date_time_to_timezone (utc, tz);
  return g_date_time_format (local, "%Y-%m-%d");
}

GHashTable *
gt_seat_map (GtTestServer *server, const char *token, gint64 showtime_id)
{
  g_autofree char *path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/seats", showtime_id);
  g_autoptr (JsonNode) node = gt_api (server, "GET", path, token, NULL, 200);
  JsonArray  *seats = json_object_get_array_member (json_node_get_object (node), "seats");
  GHashTable *map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < json_array_get_length (seats); i++)
    {
      JsonObject *seat = json_array_get_object_element (seats, i);

      g_hash_table_insert (map, g_strdup (json_object_get_string_member (seat, "id")),
                           g_strdup (json_object_get_string_member (seat, "state")));
    }
  return map;
}

void
gt_assert_seat_map_changed (GHashTable *before, GHashTable *after, const char *const *changes)
{
  GHashTableIter iter;
  gpointer       key;
  gpointer       value;

  g_assert_cmpuint (g_hash_table_size (before), ==, g_hash_table_size (after));
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *expected = value;

      for (guint i = 0; changes != NULL && changes[i] != NULL; i++)
        {
          const char *eq = strchr (changes[i], '=');

          g_assert_nonnull (eq);
          if (strlen (key) == (gsize) (eq - changes[i])
              && strncmp (key, changes[i], eq - changes[i]) == 0)
            expected = eq + 1;
        }
      if (g_strcmp0 (g_hash_table_lookup (after, key), expected) != 0)
        g_error ("seat %s: expected %s, got %s (was %s)", (const char *) key, expected,
                 (const char *) g_hash_table_lookup (after, key), (const char *) value);
    }
}

JsonObject *
gt_booking_ticket (JsonObject *booking, const char *seat)
{
  JsonArray *tickets = json_object_get_array_member (booking, "tickets");

  for (guint i = 0; i < json_array_get_length (tickets); i++)
    {
      JsonObject *t = json_array_get_object_element (tickets, i);

      if (g_strcmp0 (json_object_get_string_member (t, "seat"), seat) == 0)
        return t;
    }
  g_error ("no ticket for seat %s", seat);
  return NULL;
}

char *
gt_fetch_text (GtTestServer *server,
               const char   *path,
               const char   *token,
               guint        *status,
               char        **content_type,
               char        **disposition)
{
  g_autofree char *uri = g_strconcat (server->url, "/api/v1", path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  SoupMessageHeaders *headers;
  gsize               len;
  const char         *data;

  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  bytes = soup_session_send_and_read (gt_fixture_session (), msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  headers = soup_message_get_response_headers (msg);
  if (content_type != NULL)
    *content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  if (disposition != NULL)
    *disposition = g_strdup (soup_message_headers_get_one (headers, "Content-Disposition"));
  data = g_bytes_get_data (bytes, &len);
  g_assert_true (g_utf8_validate (data, len, NULL));
  return g_strndup (data, len);
}

GPtrArray *
gt_csv_parse (const char *text)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr (GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) field = g_string_new (NULL);
  const char *p = text;

  while (*p != '\0')
    {
      if (*p == '"')
        {
          /* A quoted field: "" is one quote; it ends at the lone quote. */
          for (p++;; p++)
            {
              g_assert_true (*p != '\0');
              if (*p == '"' && p[1] == '"')
                {
                  g_string_append_c (field, '"');
                  p++;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (field, *p);
            }
        }
      else
        while (*p != '\0' && *p != ',' && *p != '\r' && *p != '\n')
          g_string_append_c (field, *p++);

      g_ptr_array_add (fields, g_strdup (field->str));
      g_string_truncate (field, 0);
      if (*p == ',')
        p++;
      else
        {
          /* RFC 4180 ends every line with CRLF. */
          g_assert_cmpint (*p, ==, '\r');
          g_assert_cmpint (p[1], ==, '\n');
          p += 2;
          g_ptr_array_add (fields, NULL);
          g_ptr_array_add (rows, g_ptr_array_steal (fields, NULL));
          fields = g_ptr_array_new_with_free_func (g_free);
        }
    }
  g_assert_cmpuint (fields->len, ==, 0);
  return rows;
}

int
gt_csv_column (char **header, const char *name)
{
  for (int i = 0; header[i] != NULL; i++)
    if (g_str_equal (header[i], name))
      return i;
  g_error ("no column %s", name);
  return -1;
}
