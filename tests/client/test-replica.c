/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <poll.h>
#include <unistd.h>
#include <string.h>

#include <glib/gstdio.h>

#include "gt-client-test.h"
#include "gt-json.h"
#include "gt-replica.h"
#include "gt-test-http.h"

/* Two counters (a GtClient and a GtReplica each) on one go-ticket-server:
 * what one does shows in the other's store through /live; after a
 * reconnect, an outage or a lost answer, the stores equal the server. */

typedef struct
{
  GtClient  *client;
  GtReplica *replica;
  char      *path;
} Counter;

typedef struct
{
  GtTestServer *server;
  SoupSession  *session;
  char         *dir;
  char         *manager_token;
  Counter       one;
  Counter       two;
  gint64        showtime_id;
  char         *date; /* the showtime's day */
} Fixture;

/* Waiting on the main loop */

typedef struct
{
  GtReplica  *replica;
  gint64      showtime_id;
  const char *seat;
  const char *state;
} SeatWait;

static char *
seat_state (GtReplica *replica, gint64 showtime_id, const char *seat)
{
  g_autoptr (JsonObject) seats = gt_replica_dup_seats (replica, showtime_id);
  JsonArray *list;

  if (seats == NULL)
    return NULL;
  list = json_object_get_array_member (seats, "seats");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *s = json_array_get_object_element (list, i);

      if (g_str_equal (json_object_get_string_member (s, "id"), seat))
        return g_strdup (json_object_get_string_member (s, "state"));
    }
  return NULL;
}

static gboolean
seat_is (gpointer data)
{
  SeatWait        *wait = data;
  g_autofree char *state = seat_state (wait->replica, wait->showtime_id, wait->seat);

  return g_strcmp0 (state, wait->state) == 0;
}

static void
wait_seat (GtReplica *replica, gint64 showtime_id, const char *seat, const char *state)
{
  SeatWait         wait = { replica, showtime_id, seat, state };
  g_autofree char *what = g_strdup_printf ("seat %s to be %s", seat, state);

  gt_wait_for (seat_is, &wait, what);
}

typedef struct
{
  GtReplica  *replica;
  const char *code;
  const char *status;
} JournalWait;

static gboolean
journal_says (gpointer data)
{
  JournalWait *wait = data;
  g_autoptr (JsonObject) booking = gt_replica_dup_journal_booking (wait->replica, wait->code);

  return booking != NULL
         && g_strcmp0 (json_object_get_string_member (booking, "status"), wait->status) == 0;
}

/* Counters */

static void
counter_open (Fixture *fixture, Counter *counter, const char *name, const char *username)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (JsonObject) answer = NULL;

  counter->path = g_build_filename (fixture->dir, name, NULL);
  counter->client = gt_client_new (fixture->server->url);
  counter->replica = gt_replica_new (counter->client, counter->path, &error);
  g_assert_no_error (error);

  gt_client_login_async (counter->client, username, username, name, NULL, gt_on_result_cb, &result);
  answer = gt_client_call_finish (counter->client, gt_wait_result (&result), &error);
  g_assert_no_error (error);
  gt_client_set_token (counter->client, json_object_get_string_member (answer, "token"));
  gt_replica_start (counter->replica);
  gt_wait_for (gt_replica_is_online, counter->replica, "the counter to be online");
}

static void
counter_close (Counter *counter)
{
  g_clear_object (&counter->replica);
  g_clear_object (&counter->client);
  g_clear_pointer (&counter->path, g_free);
}

static JsonObject *
load_seats (Counter *counter, gint64 showtime_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  JsonObject *answer;

  gt_replica_load_seats_async (counter->replica, showtime_id, NULL, gt_on_result_cb, &result);
  answer = gt_replica_load_seats_finish (counter->replica, gt_wait_result (&result), &error);
  g_assert_no_error (error);
  return answer;
}

static JsonObject *
hold (Counter *counter, gint64 showtime_id, const char *seat, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;
  const char *seats[] = { seat, NULL };

  gt_client_create_hold_async (counter->client, showtime_id, seats, 0, NULL, gt_on_result_cb,
                               &result);
  return gt_client_call_finish (counter->client, gt_wait_result (&result), error);
}

static JsonObject *
checkout_body (const char *seat)
{
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *text =
    g_strdup_printf ("{\"tickets\":[{\"seat\":\"%s\",\"type\":\"adult\"}],"
                     "\"payment\":{\"method\":\"card\",\"reference\":\"T1\"}}",
                     seat);

  node = json_from_string (text, NULL);
  return json_object_ref (json_node_get_object (node));
}

static JsonObject *
sell (Counter *counter, gint64 showtime_id, const char *seat, const char *key, GError **error)
{
  g_autoptr (JsonObject) held = hold (counter, showtime_id, seat, error);
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  if (held == NULL)
    return NULL;
  body = checkout_body (seat);
  gt_replica_checkout_async (counter->replica, json_object_get_int_member (held, "id"), key, body,
                             NULL, gt_on_result_cb, &result);
  return gt_replica_checkout_finish (counter->replica, gt_wait_result (&result), error);
}

/* The server's truth, straight over HTTP */

static JsonObject *
server_call (Fixture *fixture, const char *method, const char *path, const char *body, guint want)
{
  g_autoptr (JsonNode) node = NULL;
  guint status = 0;

  node = gt_test_request (fixture->session, fixture->server, method, path, fixture->manager_token,
                          body, &status);
  g_assert_cmpuint (status, ==, want);
  return json_object_ref (json_node_get_object (node));
}

static JsonObject *
server_get (Fixture *fixture, const char *path)
{
  return server_call (fixture, "GET", path, NULL, 200);
}

typedef struct
{
  GtReplica *replica;
  gint64     rev;
} RevWait;

static gboolean
reached_rev (gpointer data)
{
  RevWait *wait = data;

  return gt_replica_get_rev (wait->replica) >= wait->rev;
}

/* Every showtime's seats_free, and the seat states of every showtime whose
 * seats the replica holds, equal the server's at one revision. FALSE with
 * @why when they differ or the server moved on while comparing. */
static gboolean
replica_equals_server (Fixture *fixture, GtReplica *replica, char **why)
{
  g_autoptr (JsonObject) answer = server_get (fixture, "/showtimes");
  g_autoptr (JsonObject) after = NULL;
  JsonArray *showtimes = json_object_get_array_member (answer, "showtimes");
  RevWait    wait = { replica, json_object_get_int_member (answer, "rev") };
  guint      compared_seats = 0;

  g_assert_cmpuint (json_array_get_length (showtimes), >, 0);
  gt_wait_for (reached_rev, &wait, "the replica to reach the server's revision");
  if (gt_replica_get_rev (replica) != wait.rev)
    {
      *why = g_strdup ("the replica moved past the server's answer");
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (showtimes); i++)
    {
      JsonObject *showtime = json_array_get_object_element (showtimes, i);
      gint64      id = json_object_get_int_member (showtime, "id");
      g_autoptr (JsonObject) local = gt_replica_dup_showtime (replica, id);
      g_autoptr (JsonObject) local_seats = gt_replica_dup_seats (replica, id);

      g_assert_nonnull (local);
      g_assert_cmpstr (json_object_get_string_member (local, "starts_at"), ==,
                       json_object_get_string_member (showtime, "starts_at"));
      if (json_object_get_int_member (local, "seats_free")
          != json_object_get_int_member (showtime, "seats_free"))
        {
          *why = g_strdup_printf ("showtime %" G_GINT64_FORMAT ": %" G_GINT64_FORMAT
                                  " seats free here, %" G_GINT64_FORMAT " on the server",
                                  id, json_object_get_int_member (local, "seats_free"),
                                  json_object_get_int_member (showtime, "seats_free"));
          return FALSE;
        }

      if (local_seats != NULL)
        {
          g_autofree char *path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/seats", id);
          g_autoptr (JsonObject) seats = server_get (fixture, path);
          JsonArray *server_list = json_object_get_array_member (seats, "seats");
          JsonArray *local_list = json_object_get_array_member (local_seats, "seats");

          g_assert_cmpuint (json_array_get_length (local_list), ==,
                            json_array_get_length (server_list));
          for (guint j = 0; j < json_array_get_length (server_list); j++)
            {
              JsonObject *a = json_array_get_object_element (server_list, j);
              JsonObject *b = json_array_get_object_element (local_list, j);

              g_assert_cmpstr (json_object_get_string_member (a, "id"), ==,
                               json_object_get_string_member (b, "id"));
              if (!g_str_equal (json_object_get_string_member (a, "state"),
                                json_object_get_string_member (b, "state")))
                {
                  *why = g_strdup_printf ("seat %s: %s here, %s on the server",
                                          json_object_get_string_member (a, "id"),
                                          json_object_get_string_member (b, "state"),
                                          json_object_get_string_member (a, "state"));
                  return FALSE;
                }
            }
          compared_seats++;
        }
    }
  g_assert_cmpuint (compared_seats, >, 0);

  after = server_get (fixture, "/showtimes");
  if (json_object_get_int_member (after, "rev") != wait.rev)
    {
      *why = g_strdup ("the server moved on while comparing");
      return FALSE;
    }
  return TRUE;
}

/* A hold may expire while the states are compared: compare again then. */
static void
assert_replica_equals_server (Fixture *fixture, GtReplica *replica)
{
  g_autofree char *why = NULL;

  for (guint attempt = 0; attempt < 10; attempt++)
    {
      g_clear_pointer (&why, g_free);
      if (replica_equals_server (fixture, replica, &why))
        return;
      g_test_message ("Not equal yet: %s", why);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  g_error ("The replica differs from the server: %s", why);
}

/* A showtime tomorrow: open for sale whatever the time of day. */
static gint64
pick_showtime (GtReplica *replica, char **out_date)
{
  g_autoptr (JsonObject) config = gt_replica_dup_config (replica);
  g_autoptr (GTimeZone)
    tz = g_time_zone_new_identifier (json_object_get_string_member (config, "timezone"));
  g_autoptr (GDateTime) now = g_date_time_new_now (tz);
  g_autoptr (GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autofree char *date = g_date_time_format (tomorrow, "%Y-%m-%d");
  g_autoptr (JsonArray) showtimes = gt_replica_list_showtimes (replica, date);

  g_assert_cmpuint (json_array_get_length (showtimes), >=, 3);
  *out_date = g_strdup (date);
  return json_object_get_int_member (json_array_get_object_element (showtimes, 0), "id");
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  const char *const args[] = { "--demo", "--hold-seconds", "3", NULL };
  g_autoptr (GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("gt-replica-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->server = gt_test_server_start (NULL, args);
  fixture->session = soup_session_new ();
  fixture->manager_token = gt_test_login (fixture->session, fixture->server, "manager", "manager");
  counter_open (fixture, &fixture->one, "one.db", "cashier");
  counter_open (fixture, &fixture->two, "two.db", "cashier2");
  fixture->showtime_id = pick_showtime (fixture->one.replica, &fixture->date);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  counter_close (&fixture->one);
  counter_close (&fixture->two);
  g_clear_object (&fixture->session);
  g_free (fixture->manager_token);
  if (fixture->server->pid != 0)
    gt_test_server_stop (fixture->server);
  gt_test_server_free (fixture->server);
  /* The counters' stores, with their logs. */
  dir = g_dir_open (fixture->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->date);
}

/* A proxy between a counter and the server that, while told to, lets a
 * checkout reach the server and then cuts the line before the answer comes
 * back: the sale is made, the counter never hears of it. */

typedef struct
{
  GSocketService *service;
  char           *url;
  char           *upstream_host;
  guint16         upstream_port;
  gint            drop_checkouts; /* atomic */
  gint            dropped;        /* atomic */
} Proxy;

static gboolean
pump (int from, int to, char *buffer, gsize size, gboolean *saw_checkout)
{
  gssize n = read (from, buffer, size);

  if (n <= 0)
    return FALSE;
  if (saw_checkout != NULL && g_strstr_len (buffer, n, "/checkout HTTP/1.1") != NULL)
    *saw_checkout = TRUE;
  return write (to, buffer, n) == n;
}

static gboolean
on_proxy_run_cb (GThreadedSocketService *service,
                 GSocketConnection      *connection,
                 GObject                *source,
                 gpointer                data)
{
  Proxy *proxy = data;
  g_autoptr (GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr (GSocketConnection) upstream = NULL;
  char     buffer[16384];
  gboolean dropping = FALSE;
  int      down_fd;
  int      up_fd;

  upstream = g_socket_client_connect_to_host (socket_client, proxy->upstream_host,
                                              proxy->upstream_port, NULL, NULL);
  if (upstream == NULL)
    return TRUE;
  down_fd = g_socket_get_fd (g_socket_connection_get_socket (connection));
  up_fd = g_socket_get_fd (g_socket_connection_get_socket (upstream));

  for (;;)
    {
      struct pollfd fds[2] = { { down_fd, POLLIN, 0 }, { up_fd, POLLIN, 0 } };
      gboolean      checkout = FALSE;

      if (poll (fds, 2, -1) < 0)
        break;
      if (fds[0].revents && !pump (down_fd, up_fd, buffer, sizeof buffer, &checkout))
        break;
      /* The request goes on to the server (its body may follow in another
       * read); its answer, when it comes, does not come back. */
      if (checkout && g_atomic_int_get (&proxy->drop_checkouts))
        dropping = TRUE;
      if (fds[1].revents && dropping)
        {
          g_atomic_int_inc (&proxy->dropped);
          break;
        }
      if (fds[1].revents && !pump (up_fd, down_fd, buffer, sizeof buffer, NULL))
        break;
    }
  g_io_stream_close (G_IO_STREAM (upstream), NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static Proxy *
proxy_start (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr (GError) error = NULL;
  Proxy  *proxy = g_new0 (Proxy, 1);
  guint16 port;

  proxy->upstream_host = g_strdup (g_uri_get_host (uri));
  proxy->upstream_port = g_uri_get_port (uri);
  proxy->service = g_threaded_socket_service_new (8);
  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (proxy->service), NULL, &error);
  g_assert_no_error (error);
  proxy->url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_signal_connect (proxy->service, "run", G_CALLBACK (on_proxy_run_cb), proxy);
  g_socket_service_start (proxy->service);
  return proxy;
}

static void
proxy_free (Proxy *proxy)
{
  g_socket_service_stop (proxy->service);
  g_socket_listener_close (G_SOCKET_LISTENER (proxy->service));
  g_object_unref (proxy->service);
  g_free (proxy->url);
  g_free (proxy->upstream_host);
  g_free (proxy);
}

/* Tests */

static void
test_catalog (Fixture *fixture, gconstpointer data)
{
  g_autoptr (JsonArray) movies = gt_replica_list_movies (fixture->one.replica);
  g_autoptr (JsonObject) answer = server_get (fixture, "/movies");
  g_autoptr (JsonObject) seats = load_seats (&fixture->one, fixture->showtime_id);

  g_assert_cmpuint (json_array_get_length (movies), ==,
                    json_array_get_length (json_object_get_array_member (answer, "movies")));
  g_assert_cmpint (gt_replica_get_rev (fixture->one.replica), ==,
                   gt_replica_get_rev (fixture->two.replica));

  assert_replica_equals_server (fixture, fixture->one.replica);
}

static gboolean
door_opens_at_90 (gpointer replica)
{
  g_autoptr (JsonObject) config = gt_replica_dup_config (replica);

  return config != NULL
         && json_object_get_int_member_with_default (config, "door_opens_minutes", 0) == 90;
}

/* Settings saved by a manager reach every counter's store, live. */
static void
test_settings (Fixture *fixture, gconstpointer data)
{
  g_autoptr (JsonNode) answer = NULL;
  guint status = 0;

  answer = gt_test_request (fixture->session, fixture->server, "PATCH", "/settings",
                            fixture->manager_token,
                            "{\"door_opens_minutes\":90,\"cleaning_buffer_minutes\":25}", &status);
  g_assert_cmpuint (status, ==, 200);
  gt_wait_for (door_opens_at_90, fixture->one.replica, "the new door time at counter one");
  gt_wait_for (door_opens_at_90, fixture->two.replica, "the new door time at counter two");
  {
    g_autoptr (JsonObject) config = gt_replica_dup_config (fixture->two.replica);

    g_assert_cmpint (json_object_get_int_member (config, "cleaning_buffer_minutes"), ==, 25);
    /* What /config says, the store says. */
    g_assert_cmpstr (json_object_get_string_member (config, "ticket_public_key"), ==,
                     json_object_get_string_member (json_node_get_object (answer),
                                                    "ticket_public_key"));
  }
}

/* A showtime of today that is over: a counter whose store starts afresh in
 * the evening knows the day as one that ran since the morning does (the
 * manager's week, the cashier's schedule). */
static void
test_today_ended (Fixture *fixture, gconstpointer data)
{
  g_autoptr (JsonObject) config = gt_replica_dup_config (fixture->one.replica);
  g_autoptr (GTimeZone)
    tz = g_time_zone_new_identifier (json_object_get_string_member (config, "timezone"));
  g_autoptr (GDateTime) now = g_date_time_new_now (tz);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  gint64           start = g_date_time_to_unix (now) - 180;
  g_autoptr (GDateTime) start_time = NULL;
  g_autofree char *starts_at = NULL;
  g_autofree char *body = NULL;
  g_autoptr (JsonObject) movie = NULL;
  g_autoptr (JsonObject) room = NULL;
  g_autoptr (JsonObject) showtime = NULL;
  g_autoptr (JsonArray) listed = NULL;
  Counter  three = { 0 };
  gint64   ends_at = 0;
  gboolean found = FALSE;

  /* Three minutes ago, and a one-minute movie: over, and still today. */
  if (g_date_time_get_hour (now) * 60 + g_date_time_get_minute (now) < 4)
    {
      g_test_skip ("The cinema's day began less than 4 minutes ago");
      return;
    }
  start -= start % 60;
  start_time = g_date_time_new_from_unix_utc (start);
  starts_at = g_date_time_format (start_time, "%Y-%m-%dT%H:%M:%SZ");

  movie = server_call (fixture, "POST", "/movies", "{\"title\":\"Short\",\"duration_minutes\":1}",
                       201);
  room = server_call (fixture, "POST", "/auditoriums",
                      "{\"name\":\"Small\",\"layout\":{\"rows\":[{\"label\":\"A\","
                      "\"seats\":[{\"number\":1},{\"number\":2}]}]}}",
                      201);
  body = g_strdup_printf ("{\"movie_id\":%" G_GINT64_FORMAT ",\"auditorium_id\":%" G_GINT64_FORMAT
                          ",\"starts_at\":\"%s\",\"prices\":{\"adult\":40000}}",
                          json_object_get_int_member (movie, "id"),
                          json_object_get_int_member (room, "id"), starts_at);
  showtime = server_call (fixture, "POST", "/showtimes", body, 201);
  g_assert_true (gt_time_parse (json_object_get_string_member (showtime, "ends_at"), &ends_at));
  g_assert_cmpint (ends_at, <, g_get_real_time ());

  counter_open (fixture, &three, "three.db", "manager");
  listed = gt_replica_list_showtimes (three.replica, today);
  for (guint i = 0; i < json_array_get_length (listed); i++)
    found |= json_object_get_int_member (json_array_get_object_element (listed, i), "id")
             == json_object_get_int_member (showtime, "id");
  g_assert_true (found);
  counter_close (&three);
}

static void
test_live (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) seats = load_seats (&fixture->two, fixture->showtime_id);
  g_autoptr (JsonObject) seats_one = load_seats (&fixture->one, fixture->showtime_id);
  g_autoptr (JsonObject) held = NULL;
  g_autoptr (JsonObject) booking = NULL;
  g_autoptr (JsonObject) refunded = NULL;
  g_autoptr (JsonObject) journal = NULL;
  g_autoptr (JsonArray) list = NULL;
  g_autofree char *refund_path = NULL;
  gint64           showtime = fixture->showtime_id;
  gint64           free_before;
  guint            status = 0;

  {
    g_autoptr (JsonObject) local = gt_replica_dup_showtime (fixture->two.replica, showtime);
    free_before = json_object_get_int_member (local, "seats_free");
  }

  /* A hold at counter one shows at counter two, then its expiry. */
  held = hold (&fixture->one, showtime, "C5", &error);
  g_assert_no_error (error);
  wait_seat (fixture->two.replica, showtime, "C5", "held");
  {
    g_autoptr (JsonObject) local = gt_replica_dup_showtime (fixture->two.replica, showtime);
    g_assert_cmpint (json_object_get_int_member (local, "seats_free"), ==, free_before - 1);
  }
  wait_seat (fixture->two.replica, showtime, "C5", "free");

  /* A sale: sold at two, in one's journal. */
  booking = sell (&fixture->one, showtime, "C6", "live-sale-1", &error);
  g_assert_no_error (error);
  wait_seat (fixture->two.replica, showtime, "C6", "sold");
  list = gt_replica_list_journal (fixture->one.replica);
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  journal = gt_replica_dup_journal_booking (fixture->one.replica,
                                            json_object_get_string_member (booking, "code"));
  g_assert_nonnull (journal);
  g_assert_cmpstr (json_object_get_string_member (journal, "status"), ==, "paid");
  g_assert_cmpuint (gt_replica_get_outbox_length (fixture->one.replica), ==, 0);

  /* A refund by the manager frees the seat at two and marks one's journal. */
  refund_path = g_strdup_printf ("/bookings/%" G_GINT64_FORMAT "/refund",
                                 json_object_get_int_member (booking, "id"));
  g_assert_nonnull (gt_test_request (fixture->session, fixture->server, "POST", refund_path,
                                     fixture->manager_token, "{\"reason\":\"test\"}", &status));
  g_assert_cmpuint (status, ==, 200);
  wait_seat (fixture->two.replica, showtime, "C6", "free");
  /* Each counter has its own socket: one may hear of it a moment later. */
  {
    JournalWait wait = { fixture->one.replica, json_object_get_string_member (booking, "code"),
                         "refunded" };

    gt_wait_for (journal_says, &wait, "the refund in one's journal");
  }

  /* An exchange moves a sold seat: the old one frees, the new one sells,
   * and every count of free seats stays right. */
  {
    g_autoptr (JsonObject) sold = sell (&fixture->one, showtime, "C7", "live-sale-2", &error);
    g_autofree char *path = NULL;
    g_autofree char *body = NULL;

    g_assert_no_error (error);
    wait_seat (fixture->two.replica, showtime, "C7", "sold");
    path = g_strdup_printf ("/bookings/%" G_GINT64_FORMAT "/exchange",
                            json_object_get_int_member (sold, "id"));
    body = g_strdup_printf (
      "{\"showtime_id\":%" G_GINT64_FORMAT
      ",\"reason\":\"test\",\"seats\":[{\"ticket_id\":%" G_GINT64_FORMAT ",\"seat\":\"C8\"}]}",
      showtime,
      json_object_get_int_member (
        json_array_get_object_element (json_object_get_array_member (sold, "tickets"), 0), "id"));
    g_assert_nonnull (gt_test_request (fixture->session, fixture->server, "POST", path,
                                       fixture->manager_token, body, &status));
    g_assert_cmpuint (status, ==, 200);
    wait_seat (fixture->two.replica, showtime, "C8", "sold");
    wait_seat (fixture->two.replica, showtime, "C7", "free");
  }

  assert_replica_equals_server (fixture, fixture->two.replica);
  assert_replica_equals_server (fixture, fixture->one.replica);
}

static gboolean
caught_up (gpointer data)
{
  Fixture *fixture = data;

  return gt_replica_get_connection (fixture->two.replica) == GT_CONNECTION_ONLINE
         && gt_replica_get_rev (fixture->two.replica) == gt_replica_get_rev (fixture->one.replica);
}

static void
test_reconnect (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *token = g_strdup (gt_client_get_token (fixture->two.client));
  g_autoptr (JsonObject) seats = load_seats (&fixture->two, fixture->showtime_id);
  g_autoptr (JsonObject) seats_one = load_seats (&fixture->one, fixture->showtime_id);
  const char *sold[] = { "D1", "D2", "D3" };

  /* Counter two's socket goes; changes happen without it. */
  gt_client_set_token (fixture->two.client, NULL);
  gt_wait_for (gt_replica_is_not_online, fixture->two.replica, "counter two to notice");
  for (guint i = 0; i < G_N_ELEMENTS (sold); i++)
    {
      g_autofree char *key = g_strdup_printf ("reconnect-%u", i);
      g_autoptr (JsonObject)
        booking = sell (&fixture->one, fixture->showtime_id, sold[i], key, &error);
      g_assert_no_error (error);
    }
  {
    g_autoptr (JsonObject) held = hold (&fixture->one, fixture->showtime_id, "D4", &error);
    g_assert_no_error (error);
  }
  wait_seat (fixture->one.replica, fixture->showtime_id, "D4", "held");

  gt_client_set_token (fixture->two.client, token);
  gt_wait_for (caught_up, fixture, "counter two to catch up");
  for (guint i = 0; i < G_N_ELEMENTS (sold); i++)
    {
      g_autofree char *state = seat_state (fixture->two.replica, fixture->showtime_id, sold[i]);
      g_assert_cmpstr (state, ==, "sold");
    }
  assert_replica_equals_server (fixture, fixture->two.replica);
}

static gint64
count_bookings (Fixture *fixture, gint64 showtime_id)
{
  g_autofree char *path = g_strdup_printf ("/bookings?showtime_id=%" G_GINT64_FORMAT, showtime_id);
  g_autoptr (JsonObject) answer = server_get (fixture, path);

  return json_array_get_length (json_object_get_array_member (answer, "bookings"));
}

static void
test_outage (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) seats = load_seats (&fixture->one, fixture->showtime_id);
  g_autoptr (JsonObject) booking = NULL;
  g_autoptr (JsonObject) held = NULL;
  g_autoptr (JsonObject) reprint = NULL;
  g_autoptr (JsonArray) journal = NULL;
  g_autoptr (JsonArray) schedule = NULL;
  g_autofree char *port_arg = NULL;
  g_autofree char *db_path = NULL;
  const char      *colon;
  gint64           bookings_before;

  booking = sell (&fixture->one, fixture->showtime_id, "E7", "outage-sale", &error);
  g_assert_no_error (error);
  held = hold (&fixture->one, fixture->showtime_id, "E8", &error);
  g_assert_no_error (error);
  bookings_before = count_bookings (fixture, fixture->showtime_id);

  /* The server goes away mid-session. */
  colon = strrchr (fixture->server->url, ':');
  port_arg = g_strdup (colon + 1);
  db_path = g_strdup (fixture->server->db_path);
  g_assert_cmpint (gt_test_server_stop (fixture->server), ==, 0);
  fixture->server->pid = 0;
  gt_wait_for (gt_replica_is_not_online, fixture->one.replica, "counter one to notice the outage");

  /* The counter still shows the schedule and the journal, and reprints. */
  schedule = gt_replica_list_showtimes (fixture->one.replica, fixture->date);
  g_assert_cmpuint (json_array_get_length (schedule), >=, 3);
  journal = gt_replica_list_journal (fixture->one.replica);
  g_assert_cmpuint (json_array_get_length (journal), ==, 1);
  reprint = gt_replica_dup_journal_booking (fixture->one.replica,
                                            json_object_get_string_member (booking, "code"));
  g_assert_nonnull (reprint);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reprint, "tickets")), ==,
                    1);

  /* Giving the hold back waits in the outbox. */
  gt_replica_release_hold (fixture->one.replica, json_object_get_int_member (held, "id"));
  g_assert_cmpuint (gt_replica_get_outbox_length (fixture->one.replica), ==, 1);

  /* The server comes back on the same address and database. */
  {
    const char *const args[] = { "--port", port_arg, "--hold-seconds", "3", NULL };
    GtTestServer     *again = gt_test_server_start (db_path, args);

    g_assert_cmpstr (again->url, ==, fixture->server->url);
    gt_test_server_free (fixture->server);
    fixture->server = again;
  }
  gt_wait_for (gt_replica_outbox_is_empty, fixture->one.replica, "the outbox to empty");
  gt_wait_for (gt_replica_is_online, fixture->one.replica, "counter one to be back");
  gt_wait_for (gt_replica_is_online, fixture->two.replica, "counter two to be back");
  wait_seat (fixture->one.replica, fixture->showtime_id, "E8", "free");

  g_assert_cmpint (count_bookings (fixture, fixture->showtime_id), ==, bookings_before);
  g_clear_pointer (&journal, json_array_unref);
  journal = gt_replica_list_journal (fixture->one.replica);
  g_assert_cmpuint (json_array_get_length (journal), ==, 1);
  assert_replica_equals_server (fixture, fixture->one.replica);
}

typedef struct
{
  char       *key;
  JsonObject *booking;
  gboolean    refused;
} Settled;

static void
on_settled_cb (GtReplica  *replica,
               const char *key,
               JsonObject *booking,
               GError     *error,
               Settled    *settled)
{
  g_assert_cmpstr (key, ==, settled->key);
  settled->booking = booking ? json_object_ref (booking) : NULL;
  settled->refused = error != NULL;
}

static gboolean
is_settled (gpointer data)
{
  Settled *settled = data;

  return settled->booking != NULL || settled->refused;
}

static void
test_lost_answer (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (JsonObject) held = NULL;
  g_autoptr (JsonObject) body = checkout_body ("F9");
  g_autoptr (JsonObject) answer = NULL;
  g_autoptr (JsonArray) journal = NULL;
  Proxy        *proxy = proxy_start (fixture->server->url);
  Counter       far = { 0 };
  Settled       settled = { "lost-answer-1", NULL, FALSE };
  gint64        before = count_bookings (fixture, fixture->showtime_id);
  GtTestServer *server = fixture->server;
  GtTestServer  through = *server;

  /* A third counter reaches the server only through the proxy. */
  through.url = proxy->url;
  fixture->server = &through;
  counter_open (fixture, &far, "far.db", "cashier");
  fixture->server = server;

  held = hold (&far, fixture->showtime_id, "F9", &error);
  g_assert_no_error (error);
  g_signal_connect (far.replica, "checkout-settled", G_CALLBACK (on_settled_cb), &settled);

  g_atomic_int_set (&proxy->drop_checkouts, TRUE);
  gt_replica_checkout_async (far.replica, json_object_get_int_member (held, "id"), settled.key,
                             body, NULL, gt_on_result_cb, &result);
  answer = gt_replica_checkout_finish (far.replica, gt_wait_result (&result), &error);
  g_assert_null (answer);
  g_assert_true (gt_client_error_is_network (error));
  g_assert_cmpint (g_atomic_int_get (&proxy->dropped), >=, 1);
  g_assert_cmpuint (gt_replica_get_outbox_length (far.replica), ==, 1);
  /* The server did sell it. */
  g_assert_cmpint (count_bookings (fixture, fixture->showtime_id), ==, before + 1);

  /* The line comes back: the outbox asks again with the same key and gets
   * the one booking that was made. */
  g_atomic_int_set (&proxy->drop_checkouts, FALSE);
  gt_wait_for (is_settled, &settled, "the checkout to be settled");
  g_assert_false (settled.refused);
  g_assert_cmpuint (gt_replica_get_outbox_length (far.replica), ==, 0);
  g_assert_cmpint (count_bookings (fixture, fixture->showtime_id), ==, before + 1);
  journal = gt_replica_list_journal (far.replica);
  g_assert_cmpuint (json_array_get_length (journal), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (journal, 0),
                                                  "code"),
                   ==, json_object_get_string_member (settled.booking, "code"));

  g_clear_pointer (&settled.booking, json_object_unref);
  counter_close (&far);
  proxy_free (proxy);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/replica/catalog", Fixture, NULL, fixture_set_up, test_catalog, fixture_tear_down);
  g_test_add ("/replica/live", Fixture, NULL, fixture_set_up, test_live, fixture_tear_down);
  g_test_add ("/replica/today-ended", Fixture, NULL, fixture_set_up, test_today_ended,
              fixture_tear_down);
  g_test_add ("/replica/settings", Fixture, NULL, fixture_set_up, test_settings, fixture_tear_down);
  g_test_add ("/replica/reconnect", Fixture, NULL, fixture_set_up, test_reconnect,
              fixture_tear_down);
  g_test_add ("/replica/lost-answer", Fixture, NULL, fixture_set_up, test_lost_answer,
              fixture_tear_down);
  g_test_add ("/replica/outage", Fixture, NULL, fixture_set_up, test_outage, fixture_tear_down);

  return g_test_run ();
}
