/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-live-slow"

#include "config.h"

#include <glib-unix.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gt-server-fixture.h"

/* Counters holding and releasing a row of seats each, as fast as the live
 * stream shows their changes: every cycle is 2 × SEATS changes. */
#define N_WORKERS 6
#define SEATS     50
/* Longer than the server's 5 s, with room for a machine under load. */
#define DROP_TIMEOUT (40 * G_USEC_PER_SEC)
/* How late a change may reach the client that reads. */
#define LAG_LIMIT (3 * G_USEC_PER_SEC)

typedef struct _Flood Flood;

typedef struct
{
  Flood   *flood;
  char     row;
  gint64   hold_id;
  guint    answered; /* requests answered: a hold, a release, a hold, … */
  guint    seen;     /* changes of the row's last seat the reading client got */
  gint64   answered_at;
  gboolean busy;
} Worker;

struct _Flood
{
  GtTestServer *server;
  char         *token;
  gint64        showtime;
  SoupSession  *session;
  Worker        workers[N_WORKERS];
  guint         cycles;
  gboolean      stopping;

  /* The reading client */
  SoupWebsocketConnection *conn;
  JsonParser              *parser;
  GArray                  *revs;
  gsize                    bytes;
  gint64                   max_lag;

  /* The server's stderr */
  GIOChannel *log;
  guint       log_watch;
  gboolean    dropped; /* it said it closed a socket as too slow */
  gsize       bytes_at_drop;
};

/* Wakes the main loop now and then, so waits notice their deadline even
 * when nothing happens. */
static gboolean
on_tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
on_log_cb (GIOChannel *channel, GIOCondition condition, gpointer user_data)
{
  Flood    *flood = user_data;
  GIOStatus status;

  for (;;)
    {
      g_autofree char *line = NULL;

      status = g_io_channel_read_line (channel, &line, NULL, NULL, NULL);
      if (status != G_IO_STATUS_NORMAL)
        break;
      /* Still the test's log: the server's lines stay visible. */
      g_printerr ("%s", line);
      if (strstr (line, "/live") != NULL && strstr (line, "too slow") != NULL && !flood->dropped)
        {
          flood->dropped = TRUE;
          flood->bytes_at_drop = flood->bytes;
        }
    }
  if (status == G_IO_STATUS_AGAIN)
    return G_SOURCE_CONTINUE;
  flood->log_watch = 0;
  return G_SOURCE_REMOVE;
}

/* Starts a server whose stderr, which it inherits, is a pipe we read. */
static GtTestServer *
start_server_with_log (Flood *flood)
{
  g_autoptr (GError) error = NULL;
  GtTestServer *server;
  int           fds[2];
  int           saved;

  g_assert_true (g_unix_open_pipe (fds, FD_CLOEXEC, &error));
  g_assert_no_error (error);
  saved = dup (STDERR_FILENO);
  g_assert_cmpint (saved, >=, 0);
  g_assert_cmpint (dup2 (fds[1], STDERR_FILENO), ==, STDERR_FILENO);
  server = gt_test_server_start (NULL, (const char *[]){ "--demo", NULL });
  g_assert_cmpint (dup2 (saved, STDERR_FILENO), ==, STDERR_FILENO);
  close (saved);
  close (fds[1]);

  flood->log = g_io_channel_unix_new (fds[0]);
  g_io_channel_set_close_on_unref (flood->log, TRUE);
  g_io_channel_set_encoding (flood->log, NULL, NULL);
  g_io_channel_set_flags (flood->log, G_IO_FLAG_NONBLOCK, NULL);
  flood->log_watch = g_io_add_watch (flood->log, G_IO_IN | G_IO_HUP, on_log_cb, flood);
  return server;
}

static void
on_live_message_cb (SoupWebsocketConnection *conn, int type, GBytes *message, gpointer user_data)
{
  Flood      *flood = user_data;
  gsize       len;
  const char *data = g_bytes_get_data (message, &len);
  JsonObject *change;
  gint64      rev;
  const char *id;

  g_assert_cmpint (type, ==, SOUP_WEBSOCKET_DATA_TEXT);
  g_assert_true (json_parser_load_from_data (flood->parser, data, len, NULL));
  change = json_node_get_object (json_parser_get_root (flood->parser));
  rev = json_object_get_int_member (change, "rev");
  if (flood->revs->len > 0)
    g_assert_cmpint (rev, >, g_array_index (flood->revs, gint64, flood->revs->len - 1));
  g_array_append_val (flood->revs, rev);
  flood->bytes += len;

  /* The last seat of a worker's row: its hold or release is all here. */
  if (g_strcmp0 (json_object_get_string_member (change, "kind"), "seat") != 0
      || json_object_get_int_member (change, "showtime_id") != flood->showtime)
    return;
  id = json_object_get_string_member (change, "id");
  for (guint w = 0; w < N_WORKERS; w++)
    {
      Worker *worker = &flood->workers[w];

      if (id[0] == worker->row && g_ascii_strtoll (id + 1, NULL, 10) == SEATS)
        {
          worker->seen++;
          if (worker->seen == worker->answered)
            flood->max_lag = MAX (flood->max_lag, g_get_monotonic_time () - worker->answered_at);
        }
    }
}

static void
on_live_connected_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Flood *flood = user_data;
  g_autoptr (GError) error = NULL;

  flood->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  g_signal_connect (flood->conn, "message", G_CALLBACK (on_live_message_cb), flood);
}

static void
live_connect (Flood *flood)
{
  g_autofree char *uri = g_strconcat (flood->server->url, "/api/v1/live?token=", flood->token,
                                      NULL);
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", uri);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  soup_session_websocket_connect_async (flood->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_live_connected_cb, flood);
  while (flood->conn == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (flood->conn);
}

/* A client that never reads: a plain socket with a small receive buffer
 * that does the WebSocket handshake by hand. */
static GSocket *
slow_connect (Flood *flood)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GUri) uri = g_uri_parse (flood->server->url, G_URI_FLAGS_NONE, &error);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = NULL;
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GString) answer = g_string_new (NULL);
  g_autofree char *request = NULL;

  g_assert_no_error (error);
  address = g_inet_socket_address_new (loopback, g_uri_get_port (uri));
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  /* Before connecting, so the window it offers stays small. */
  g_assert_true (g_socket_set_option (socket, SOL_SOCKET, SO_RCVBUF, 4096, &error));
  g_socket_set_timeout (socket, 10);
  g_assert_true (g_socket_connect (socket, address, NULL, &error));
  g_assert_no_error (error);

  request = g_strdup_printf ("GET /api/v1/live?token=%s HTTP/1.1\r\n"
                             "Host: 127.0.0.1:%d\r\n"
                             "Upgrade: websocket\r\n"
                             "Connection: Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Version: 13\r\n"
                             "\r\n",
                             flood->token, g_uri_get_port (uri));
  g_assert_cmpint (g_socket_send (socket, request, strlen (request), NULL, &error), ==,
                   strlen (request));
  /* One byte at a time: nothing after the headers is read. */
  while (!g_str_has_suffix (answer->str, "\r\n\r\n"))
    {
      char c;

      g_assert_cmpint (g_socket_receive (socket, &c, 1, NULL, &error), ==, 1);
      g_string_append_c (answer, c);
    }
  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 101"));
  return g_steal_pointer (&socket);
}

static void worker_next (Worker *worker);

static void
on_worker_answer_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Worker      *worker = user_data;
  SoupSession *session = SOUP_SESSION (source);
  SoupMessage *msg = soup_session_get_async_result_message (session, result);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body = soup_session_send_and_read_finish (session, result, &error);
  guint status = soup_message_get_status (msg);

  g_assert_no_error (error);
  if (worker->answered % 2 == 0)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();

      g_assert_cmpuint (status, ==, 201);
      g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                                 g_bytes_get_size (body), NULL));
      worker->hold_id =
        json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "id");
    }
  else
    {
      g_assert_cmpuint (status, ==, 204);
      worker->flood->cycles++;
    }
  worker->answered++;
  worker->answered_at = g_get_monotonic_time ();
  worker->busy = FALSE;
}

/* Holds or releases the worker's row once the reading client has seen the
 * previous request's changes: the flood goes as fast as that client. */
static void
worker_next (Worker *worker)
{
  Flood *flood = worker->flood;
  g_autoptr (SoupMessage) msg = NULL;
  g_autofree char *auth = g_strconcat ("Bearer ", flood->token, NULL);
  g_autofree char *uri = NULL;

  if (worker->busy || worker->seen < worker->answered || flood->stopping)
    return;
  if (worker->answered % 2 == 0)
    {
      GString *body = g_string_new ("{\"seats\":[");
      g_autoptr (GBytes) bytes = NULL;

      for (int n = 1; n <= SEATS; n++)
        g_string_append_printf (body, "%s\"%c%d\"", n > 1 ? "," : "", worker->row, n);
      g_string_append (body, "]}");
      bytes = g_string_free_to_bytes (body);
      uri = g_strdup_printf ("%s/api/v1/showtimes/%" G_GINT64_FORMAT "/holds", flood->server->url,
                             flood->showtime);
      msg = soup_message_new ("POST", uri);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  else
    {
      uri = g_strdup_printf ("%s/api/v1/holds/%" G_GINT64_FORMAT, flood->server->url,
                             worker->hold_id);
      msg = soup_message_new ("DELETE", uri);
    }
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  worker->busy = TRUE;
  soup_session_send_and_read_async (flood->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    on_worker_answer_cb, worker);
}

static gint64
current_rev (Flood *flood)
{
  g_autofree char *path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/seats",
                                           flood->showtime);
  g_autoptr (JsonNode) node = gt_api (flood->server, "GET", path, flood->token, NULL, 200);

  return json_object_get_int_member (json_node_get_object (node), "rev");
}

/* Drops the revisions up to @rev from the start of @revs: a change made
 * before the flood may still reach a socket after it opened. */
static void
drop_until (GArray *revs, gint64 rev)
{
  while (revs->len > 0 && g_array_index (revs, gint64, 0) <= rev)
    g_array_remove_index (revs, 0);
}

/* Every revision of the change log after @since, from GET /changes. */
static GArray *
logged_revs (Flood *flood, gint64 since)
{
  GArray  *revs = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/changes?since=%" G_GINT64_FORMAT "&limit=5000",
                                               since);
      g_autoptr (JsonNode) node = gt_api (flood->server, "GET", path, flood->token, NULL, 200);
      JsonObject *page = json_node_get_object (node);
      JsonArray  *changes = json_object_get_array_member (page, "changes");

      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          gint64 rev = json_object_get_int_member (json_array_get_object_element (changes, i),
                                                   "rev");

          g_array_append_val (revs, rev);
        }
      more = json_object_get_boolean_member (page, "more");
      since = json_object_get_int_member (page, "rev");
    }
  return revs;
}

/* Reads what the slow socket was sent, until the server ends it: returns
 * the revisions of the complete messages. */
static GArray *
slow_drain (GSocket *socket, gushort *close_code)
{
  g_autoptr (GByteArray) buffer = g_byte_array_new ();
  g_autoptr (JsonParser) parser = json_parser_new ();
  GArray *revs = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  *close_code = 0;
  for (;;)
    {
      g_autoptr (GError) error = NULL;
      guint8 chunk[65536];
      gssize n;
      gsize  at = 0;

      if (g_get_monotonic_time () > deadline)
        g_error ("the server never ended the slow socket (%u messages read)", revs->len);
      n = g_socket_receive (socket, (char *) chunk, sizeof chunk, NULL, &error);
      /* The end: a close, or a reset from the kernel that gave up on it. */
      if (n == 0 || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
        break;
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_error ("the server never ended the slow socket (%u messages read)", revs->len);
      g_assert_no_error (error);
      g_byte_array_append (buffer, chunk, n);

      /* Complete frames only; the server's are not masked. */
      while (buffer->len - at >= 2)
        {
          guint8  opcode = buffer->data[at] & 0x0f;
          guint64 len = buffer->data[at + 1] & 0x7f;
          gsize   header = 2;

          g_assert_false (buffer->data[at + 1] & 0x80);
          if (len == 126 || len == 127)
            {
              gsize extra = len == 126 ? 2 : 8;

              if (buffer->len - at < 2 + extra)
                break;
              len = 0;
              for (gsize i = 0; i < extra; i++)
                len = len << 8 | buffer->data[at + 2 + i];
              header += extra;
            }
          if (buffer->len - at < header + len)
            break;
          if (opcode == 0x1)
            {
              gint64 rev;

              g_assert_true (json_parser_load_from_data (parser,
                                                         (const char *) buffer->data + at + header,
                                                         len, NULL));
              rev = json_object_get_int_member (json_node_get_object (
                                                  json_parser_get_root (parser)),
                                                "rev");
              g_array_append_val (revs, rev);
            }
          else if (opcode == 0x8 && len >= 2)
            *close_code = buffer->data[at + header] << 8 | buffer->data[at + header + 1];
          at += header + len;
        }
      g_byte_array_remove_range (buffer, 0, at);
      if (*close_code != 0)
        break;
    }
  return revs;
}

static void
test_slow_socket_dropped (void)
{
  Flood flood = { 0 };
  g_autoptr (GSocket) slow = NULL;
  g_autoptr (GArray) logged = NULL;
  g_autoptr (GArray) slow_revs = NULL;
  g_autofree char *manager = NULL;
  g_autofree char *last_seat = NULL;
  gint64           movie;
  gint64           auditorium;
  gint64           start_rev;
  gint64           final_rev;
  gint64           started;
  gint64           deadline;
  gushort          close_code;
  int              status;
  guint            tick = g_timeout_add (100, on_tick_cb, NULL);

  flood.server = start_server_with_log (&flood);
  manager = gt_login (flood.server, "manager");
  flood.token = gt_login (flood.server, "cashier");
  movie = gt_create_movie (flood.server, manager, 100);
  /* A row for each worker, and one more. */
  auditorium = gt_create_auditorium (flood.server, manager, N_WORKERS + 1, SEATS, 0);
  flood.showtime = gt_create_showtime (flood.server, manager, movie, auditorium,
                                       gt_day_start (3, 13 * 60));
  flood.session = soup_session_new_with_options ("max-conns-per-host", N_WORKERS + 1, NULL);
  flood.parser = json_parser_new ();
  flood.revs = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint w = 0; w < N_WORKERS; w++)
    flood.workers[w] = (Worker){ .flood = &flood, .row = 'A' + w };

  slow = slow_connect (&flood);
  live_connect (&flood);
  start_rev = current_rev (&flood);

  /* Flood until the server says it closed the slow socket. */
  started = g_get_monotonic_time ();
  deadline = started + DROP_TIMEOUT;
  while (!flood.dropped)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the server did not close the socket that never reads within %d s "
                 "(%u cycles, %" G_GSIZE_FORMAT " bytes pushed)",
                 (int) (DROP_TIMEOUT / G_USEC_PER_SEC), flood.cycles, flood.bytes);
      for (guint w = 0; w < N_WORKERS; w++)
        worker_next (&flood.workers[w]);
      g_main_context_iteration (NULL, TRUE);
    }
  g_test_message ("dropped after %.1f s, %u cycles, %" G_GSIZE_FORMAT " bytes pushed",
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC, flood.cycles,
                  flood.bytes_at_drop);

  /* Finish what is under way; a last change shows the others go on. */
  flood.stopping = TRUE;
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  for (guint w = 0; w < N_WORKERS; w++)
    while (flood.workers[w].busy && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
  last_seat = g_strdup_printf ("[\"%c1\"]", 'A' + N_WORKERS);
  gt_hold (flood.server, flood.token, flood.showtime, last_seat);
  final_rev = current_rev (&flood);

  /* The reading client has every change, in order, promptly. */
  deadline = g_get_monotonic_time () + LAG_LIMIT;
  while (
    (flood.revs->len == 0 || g_array_index (flood.revs, gint64, flood.revs->len - 1) < final_rev)
    && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  logged = logged_revs (&flood, start_rev);
  drop_until (flood.revs, start_rev);
  g_assert_cmpuint (flood.revs->len, ==, logged->len);
  g_assert_cmpmem (flood.revs->data, flood.revs->len * sizeof (gint64), logged->data,
                   logged->len * sizeof (gint64));
  g_assert_cmpint (g_array_index (logged, gint64, logged->len - 1), ==, final_rev);
  g_test_message ("%u changes, %" G_GSIZE_FORMAT " bytes; the latest reached the reader "
                  "%.3f s after its answer at worst",
                  flood.revs->len, flood.bytes, flood.max_lag / (double) G_USEC_PER_SEC);
  g_assert_cmpint (flood.max_lag, <, LAG_LIMIT);
  g_assert_cmpint (soup_websocket_connection_get_state (flood.conn), ==, SOUP_WEBSOCKET_STATE_OPEN);

  /* The slow socket got the same changes until it was closed, then no more. */
  slow_revs = slow_drain (slow, &close_code);
  drop_until (slow_revs, start_rev);
  g_test_message ("the slow socket read %u changes, then %s", slow_revs->len,
                  close_code ? "a close frame" : "the end of the connection");
  g_assert_cmpuint (slow_revs->len, >, 0);
  g_assert_cmpuint (slow_revs->len, <, flood.revs->len);
  g_assert_cmpmem (slow_revs->data, slow_revs->len * sizeof (gint64), flood.revs->data,
                   slow_revs->len * sizeof (gint64));
  if (close_code != 0)
    g_assert_cmpuint (close_code, ==, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION);

  soup_websocket_connection_close (flood.conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&flood.conn);
  status = gt_test_server_stop (flood.server);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_clear_handle_id (&flood.log_watch, g_source_remove);
  g_clear_pointer (&flood.log, g_io_channel_unref);
  g_clear_pointer (&flood.server, gt_test_server_free);
  g_clear_pointer (&flood.revs, g_array_unref);
  g_clear_object (&flood.parser);
  g_clear_object (&flood.session);
  g_free (flood.token);
  g_source_remove (tick);
}

int
main (int argc, char *argv[])
{
  gt_fixture_init (&argc, &argv);
  gt_fixture_add ("/live/slow-socket-dropped", test_slow_socket_dropped);
  return gt_fixture_run ();
}
