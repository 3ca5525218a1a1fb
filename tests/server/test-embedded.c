/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-embedded"

#include "config.h"

#include <errno.h>

#include <glib/gstdio.h>

#include "gt-engine-private.h"
#include "gt-server-thread.h"
#include "gt-stress.h"

/* The server runs in this process (the embedded default's thread), so that
 * the test can reach it: make its disk fail, count its requests under way. */
typedef struct
{
  SoupSession *session;
  const char  *url;
  char        *token;
} Counter;

static JsonNode *
call (Counter    *counter,
      const char *method,
      const char *path,
      const char *key,
      const char *body,
      guint       expected)
{
  const char *const headers[] = { "Idempotency-Key", key, NULL };
  g_autoptr (GBytes) bytes = body ? g_bytes_new (body, strlen (body)) : NULL;
  guint     status = 0;
  JsonNode *node = gt_test_request_full (counter->session, counter->url, method, path,
                                         counter->token, key ? headers : NULL, bytes, &status,
                                         NULL);

  if (status != expected)
    g_error ("%s %s answered %u, not %u", method, path, status, expected);
  return node;
}

/* The database's files and the directory made for them. */
static void
remove_database (const char *dir, const char *db_path)
{
  const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (db_path, suffixes[i], NULL);

      g_remove (file);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* A hold of one seat; returns its id and sets @seat. */
static gint64
hold_one (Counter *counter, gint64 showtime, char **seat)
{
  g_autofree char *path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/holds", showtime);
  g_autoptr (JsonNode) node = call (counter, "POST", path, NULL, "{\"count\":1}", 201);
  JsonObject *hold = json_node_get_object (node);

  *seat = g_strdup (
    json_array_get_string_element (json_object_get_array_member (hold, "seats"), 0));
  return json_object_get_int_member (hold, "id");
}

static char *
sale_body (const char *seat)
{
  return g_strdup_printf ("{\"tickets\":[{\"seat\":\"%s\",\"type\":\"adult\"}],"
                          "\"payment\":{\"method\":\"cash\",\"tendered\":100000}}",
                          seat);
}

/* The engine says the disk failed, and the server logs each answer it
 * refuses: those are expected, silently; anything else stays fatal. */
static gboolean
expected (const char *message)
{
  return strstr (message, "Cannot make the database durable") != NULL
         || strstr (message, "The change could not be saved") != NULL
         || strstr (message, "The server's disk failed") != NULL;
}

static void
on_log (const char *domain, GLogLevelFlags level, const char *message, gpointer user_data)
{
  if (!expected (message))
    g_log_default_handler (domain, level, message, user_data);
}

static gboolean
on_fatal_log (const char *domain, GLogLevelFlags level, const char *message, gpointer user_data)
{
  return !expected (message);
}

static GtServerThread *
start (const char *db_path, Counter *counter)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) session = NULL;
  GtServerThread *server = gt_server_thread_start (db_path, 0, TRUE, &error);

  g_assert_no_error (error);
  counter->url = gt_server_thread_get_url (server);
  counter->token = NULL;
  session = call (counter, "POST", "/sessions", NULL,
                  "{\"username\":\"cashier\",\"password\":\"cashier\",\"counter\":\"Disk\"}", 201);
  counter->token = g_strdup (
    json_object_get_string_member (json_node_get_object (session), "token"));
  return server;
}

/* Once an fsync of the log fails, no answer says anything was saved: not
 * the change in that group, not a change after it (whose own fsync works,
 * but the log before it may have a hole), not the replay of a sale from
 * the lost group, not a read. A restart starts from what is on disk. */
static void
test_disk_failure (void)
{
  g_autofree char *dir = g_dir_make_tmp ("gt-disk-XXXXXX", NULL);
  g_autofree char *db_path = g_build_filename (dir, "central.db", NULL);
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (GArray) showtimes = NULL;
  g_autofree char *seat = NULL;
  g_autofree char *lost_seat = NULL;
  g_autofree char *other_seat = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  Counter          counter = { session, NULL, NULL };
  GtServerThread  *server = start (db_path, &counter);
  gint64           showtime;
  gint64           hold;

  /* One still on sale: the first of the day may have started. */
  showtimes = gt_stress_future_showtimes (session, counter.url, counter.token, 10);
  g_assert_cmpuint (showtimes->len, >, 0);
  showtime = g_array_index (showtimes, gint64, 0);

  /* Before: a sale goes through. */
  hold = hold_one (&counter, showtime, &seat);
  body = sale_body (seat);
  path = g_strdup_printf ("/holds/%" G_GINT64_FORMAT "/checkout", hold);
  json_node_unref (call (&counter, "POST", path, "sale-before", body, 201));

  /* The disk fails the fsync of the group with the next sale. */
  g_clear_pointer (&body, g_free);
  g_clear_pointer (&path, g_free);
  hold = hold_one (&counter, showtime, &lost_seat);
  body = sale_body (lost_seat);
  path = g_strdup_printf ("/holds/%" G_GINT64_FORMAT "/checkout", hold);
  g_log_set_handler ("gt-engine", G_LOG_LEVEL_WARNING | G_LOG_FLAG_FATAL, on_log, NULL);
  g_log_set_handler ("gt-server", G_LOG_LEVEL_WARNING | G_LOG_FLAG_FATAL, on_log, NULL);
  g_test_log_set_fatal_handler (on_fatal_log, NULL);
  _gt_engine_fail_next_sync (gt_server_get_engine (_gt_server_thread_get_server (server)), EIO);
  json_node_unref (call (&counter, "POST", path, "sale-lost", body, 500));
  g_assert_true (
    gt_engine_get_disk_failed (gt_server_get_engine (_gt_server_thread_get_server (server))));

  /* Every answer after it fails too. */
  json_node_unref (call (&counter, "POST", path, "sale-lost", body, 500));
  {
    g_autofree char *holds = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/holds", showtime);

    json_node_unref (call (&counter, "POST", holds, NULL, "{\"count\":1}", 500));
  }
  json_node_unref (call (&counter, "GET", "/showtimes", NULL, NULL, 500));
  json_node_unref (call (&counter, "GET", "/health", NULL, NULL, 500));

  /* Started again on the same file, it works, with the first sale. */
  gt_server_thread_stop (server);
  g_clear_pointer (&counter.token, g_free);
  server = start (db_path, &counter);
  {
    g_autofree char *seats_path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/seats",
                                                   showtime);
    g_autoptr (JsonNode) seats = call (&counter, "GET", seats_path, NULL, NULL, 200);
    JsonArray *list = json_object_get_array_member (json_node_get_object (seats), "seats");
    gboolean   sold = FALSE;

    for (guint i = 0; i < json_array_get_length (list); i++)
      {
        JsonObject *s = json_array_get_object_element (list, i);

        if (g_str_equal (json_object_get_string_member (s, "id"), seat))
          sold = g_str_equal (json_object_get_string_member (s, "state"), "sold");
      }
    g_assert_true (sold);
  }
  hold = hold_one (&counter, showtime, &other_seat);
  g_assert_cmpint (hold, >, 0);

  gt_server_thread_stop (server);
  g_free (counter.token);
  remove_database (dir, db_path);
}

/* Stopping lets requests under way finish, but not for ever: a client that
 * never sends the rest of its request does not keep the app from quitting
 * (the stop waited for an event that the HTTP threads never sent). */
static void
test_stop_with_request_under_way (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gt-stop-XXXXXX", NULL);
  g_autofree char *db_path = g_build_filename (dir, "central.db", NULL);
  g_autoptr (GSocketClient) client = g_socket_client_new ();
  g_autoptr (GSocketConnection) connection = NULL;
  g_autoptr (GUri) uri = NULL;
  const char     *partial = "POST /api/v1/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{";
  GtServerThread *server = gt_server_thread_start (db_path, 0, FALSE, &error);
  gint64          deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_assert_no_error (error);
  uri = g_uri_parse (gt_server_thread_get_url (server), G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", g_uri_get_port (uri), NULL,
                                                &error);
  g_assert_no_error (error);
  g_assert_true (
    g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), partial,
                               strlen (partial), NULL, NULL, &error));
  g_assert_no_error (error);

  /* The server is reading it: one request under way, for good. */
  while (gt_server_get_in_flight (_gt_server_thread_get_server (server)) == 0
         && g_get_monotonic_time () < deadline)
    g_usleep (G_USEC_PER_SEC / 100);
  g_assert_cmpint (gt_server_get_in_flight (_gt_server_thread_get_server (server)), ==, 1);

  /* Before, this never returned. */
  gt_server_thread_stop (server);

  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  remove_database (dir, db_path);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/embedded/disk-failure", test_disk_failure);
  g_test_add_func ("/server/embedded/stop-with-request-under-way",
                   test_stop_with_request_under_way);
  return g_test_run ();
}
