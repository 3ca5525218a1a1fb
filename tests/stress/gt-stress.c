/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-stress"

#include "config.h"

#include "gt-stress.h"

JsonNode *
gt_stress_request (SoupSession *session,
                   const char  *url,
                   const char  *method,
                   const char  *path,
                   const char  *token,
                   const char  *idempotency_key,
                   const char  *body,
                   guint       *status)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GBytes) response = NULL;
  g_autoptr (JsonParser) parser = NULL;
  g_autofree char    *uri = g_strconcat (url, "/api/v1", path, NULL);
  SoupMessageHeaders *headers;
  const char         *data;
  gsize               len;

  msg = soup_message_new (method, uri);
  g_assert_nonnull (msg);
  headers = soup_message_get_request_headers (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  response = soup_session_send_and_read (session, msg, NULL, &error);
  if (response == NULL)
    {
      *status = 0;
      return NULL;
    }

  *status = soup_message_get_status (msg);
  data = g_bytes_get_data (response, &len);
  if (len == 0)
    return NULL;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, len, &error))
    g_error ("%s %s answered %u with a body that is not JSON: %.*s", method, path, *status,
             (int) MIN (len, 200), data);
  return json_node_copy (json_parser_get_root (parser));
}

GArray *
gt_stress_future_showtimes (SoupSession *session,
                            const char  *url,
                            const char  *token,
                            int          margin_minutes)
{
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) limit = g_date_time_add_minutes (now, margin_minutes);
  GArray    *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  JsonArray *showtimes;
  guint      status = 0;

  node = gt_stress_request (session, url, "GET", "/showtimes", token, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  showtimes = json_object_get_array_member (json_node_get_object (node), "showtimes");
  for (guint i = 0; i < json_array_get_length (showtimes); i++)
    {
      JsonObject *showtime = json_array_get_object_element (showtimes, i);
      const char *starts = json_object_get_string_member (showtime, "starts_at");
      g_autoptr (GDateTime) starts_at = g_date_time_new_from_iso8601 (starts, NULL);
      gint64 id = json_object_get_int_member (showtime, "id");

      g_assert_nonnull (starts_at);
      if (g_date_time_compare (starts_at, limit) > 0)
        g_array_append_val (ids, id);
    }
  return ids;
}

char **
gt_stress_free_seats (SoupSession *session,
                      const char  *url,
                      const char  *token,
                      gint64       showtime_id,
                      guint        n)
{
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/seats", showtime_id);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *seats;
  guint      status = 0;
  guint      found = 0;

  node = gt_stress_request (session, url, "GET", path, token, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  seats = json_object_get_array_member (json_node_get_object (node), "seats");
  for (guint i = 0; i < json_array_get_length (seats) && found < n; i++)
    {
      JsonObject *seat = json_array_get_object_element (seats, i);

      if (g_strcmp0 (json_object_get_string_member (seat, "state"), "free") != 0)
        continue;
      g_strv_builder_add (builder, json_object_get_string_member (seat, "id"));
      found++;
    }
  return g_strv_builder_end (builder);
}

char *
gt_stress_hold_body (const char *const *seats)
{
  GString *body = g_string_new ("{\"seats\":[");

  for (guint i = 0; seats[i] != NULL; i++)
    g_string_append_printf (body, "%s\"%s\"", i ? "," : "", seats[i]);
  g_string_append (body, "]}");
  return g_string_free (body, FALSE);
}

char *
gt_stress_checkout_body (const char *const *seats)
{
  GString *body = g_string_new ("{\"tickets\":[");

  for (guint i = 0; seats[i] != NULL; i++)
    g_string_append_printf (body, "%s{\"seat\":\"%s\",\"type\":\"adult\"}", i ? "," : "", seats[i]);
  g_string_append (body, "],\"payment\":{\"method\":\"cash\",\"tendered\":100000000}}");
  return g_string_free (body, FALSE);
}

gint64
gt_stress_get_id (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return 0;
  return json_object_get_int_member_with_default (json_node_get_object (node), "id", 0);
}

guint
gt_stress_check_showtime (SoupSession *session,
                          const char  *url,
                          const char  *manager_token,
                          gint64       showtime_id,
                          GHashTable  *acked)
{
  g_autoptr (JsonNode) bookings_node = NULL;
  g_autoptr (JsonNode) seats_node = NULL;
  g_autoptr (GHashTable) paid_seats = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable)
    listed = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autofree char *path = NULL;
  JsonArray       *bookings;
  JsonArray       *seats;
  GHashTableIter   iter;
  gpointer         key, value;
  guint            status = 0;
  guint            held = 0;

  path = g_strdup_printf ("/bookings?showtime_id=%" G_GINT64_FORMAT, showtime_id);
  bookings_node = gt_stress_request (session, url, "GET", path, manager_token, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  bookings = json_object_get_array_member (json_node_get_object (bookings_node), "bookings");
  g_assert_nonnull (bookings);

  for (guint i = 0; i < json_array_get_length (bookings); i++)
    {
      JsonObject *booking = json_array_get_object_element (bookings, i);
      const char *booking_status = json_object_get_string_member (booking, "status");
      JsonArray  *tickets = json_object_get_array_member (booking, "tickets");
      gint64      id = json_object_get_int_member (booking, "id");

      g_assert_cmpint (json_object_get_int_member (booking, "showtime_id"), ==, showtime_id);
      g_hash_table_insert (listed, g_memdup2 (&id, sizeof id), g_strdup (booking_status));
      if (g_strcmp0 (booking_status, "paid") != 0)
        continue;

      g_assert_cmpuint (json_array_get_length (tickets), >, 0);
      for (guint j = 0; j < json_array_get_length (tickets); j++)
        {
          JsonObject *ticket = json_array_get_object_element (tickets, j);
          const char *seat = json_object_get_string_member (ticket, "seat");
          guint       count = GPOINTER_TO_UINT (g_hash_table_lookup (paid_seats, seat));

          if (count != 0)
            g_error ("Seat %s of showtime %" G_GINT64_FORMAT " has two paid tickets", seat,
                     showtime_id);
          g_hash_table_insert (paid_seats, g_strdup (seat), GUINT_TO_POINTER (count + 1));
        }
    }

  if (acked != NULL)
    {
      g_hash_table_iter_init (&iter, acked);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          const char *listed_status = g_hash_table_lookup (listed, key);

          if (listed_status == NULL)
            g_error ("Booking %" G_GINT64_FORMAT " was acknowledged with 201 but is not listed",
                     *(gint64 *) key);
          if (value != NULL)
            g_assert_cmpstr (listed_status, ==, value);
        }
    }

  g_free (path);
  path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/seats", showtime_id);
  seats_node = gt_stress_request (session, url, "GET", path, manager_token, NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  seats = json_object_get_array_member (json_node_get_object (seats_node), "seats");
  for (guint i = 0; i < json_array_get_length (seats); i++)
    {
      JsonObject *seat = json_array_get_object_element (seats, i);
      const char *id = json_object_get_string_member (seat, "id");
      const char *state = json_object_get_string_member (seat, "state");
      gboolean    paid = g_hash_table_remove (paid_seats, id);

      if (paid && g_strcmp0 (state, "sold") != 0)
        g_error ("Seat %s has a paid ticket but the seat map says %s", id, state);
      if (!paid && g_strcmp0 (state, "sold") == 0)
        g_error ("Seat %s is sold on the seat map but no paid booking has it", id);
      if (g_strcmp0 (state, "held") == 0)
        held++;
    }
  if (g_hash_table_size (paid_seats) != 0)
    g_error ("%u paid tickets are for seats the seat map does not show",
             g_hash_table_size (paid_seats));

  return held;
}
