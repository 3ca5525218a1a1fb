/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-bench-sync"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "gt-replica.h"
#include "gt-test-http.h"

/* How closely the counters' stores (GtReplica) follow go-ticket-server.
 *
 * Live propagation: counter A holds a seat and releases it, one change after
 * another; for each, the time from just before A sends its request until A
 * has the answer (the request's own round trip, the baseline) and until
 * counter B's store has committed the change and emitted changed::seat.
 *
 * Catch-up: counter C is signed out while the server makes 100,000 changes;
 * then the time from signing it in again until its store is at the server's
 * revision and online, against fetching the same /changes pages with a plain
 * SoupSession that does not apply them.
 *
 * Everything on the counters' side runs in this one process on one
 * GMainContext: A's and B's requests, live sockets and stores are all served
 * by the same main loop, as they would be in one counter application but not
 * across two machines. A change that B sees late may have waited behind A's
 * own work, so the propagation figures are if anything pessimistic. The
 * server is a separate process on 127.0.0.1 with its database in a temporary
 * folder on the same disk as the counters' stores. */

#define LIVE_TARGET_MS        50.0
#define CATCH_UP_TARGET_S     2.0
#define WAIT_SECONDS          20
#define CATCH_UP_WAIT_SECONDS 120
#define PAGE_LIMIT            5000
#define TICK_MS               2

typedef struct
{
  GtClient  *client;
  GtReplica *replica;
  char      *path;
  char      *token;
} Counter;

typedef struct
{
  GtTestServer *server;
  SoupSession  *session; /* synchronous: setup, checks and the baseline */
  char         *dir;
  char         *token; /* cashier2 on its own session, for the server side */
  char         *date;  /* tomorrow in the cinema's time zone */
  guint         failures;
} Bench;

/* Options */
static int n_live_changes = 1000;
static int n_catch_up_changes = 100000;
static int n_workers = 4;
static int seats_per_hold = 50;

static const GOptionEntry entries[] = {
  { "changes", 'n', 0, G_OPTION_ARG_INT, &n_live_changes,
    "Changes made at counter A for live propagation (default 1000)", "N" },
  { "catch-up", 0, 0, G_OPTION_ARG_INT, &n_catch_up_changes,
    "Changes counter C misses and catches up on (default 100000)", "N" },
  { "workers", 'w', 0, G_OPTION_ARG_INT, &n_workers,
    "Showtimes changed in parallel to make them (default 4)", "N" },
  { "seats-per-hold", 0, 0, G_OPTION_ARG_INT, &seats_per_hold,
    "Seats in each hold that makes them (default 50, the server's most)", "N" },
  { NULL }
};

static void fail (Bench *bench, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
fail (Bench *bench, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list          args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("FAILED: %s\n", message);
  bench->failures++;
}

/* Statistics */

static int
compare_int64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* @latencies sorted, in µs. */
static double
percentile_ms (GArray *latencies, double p)
{
  guint i;

  if (latencies->len == 0)
    return 0.0;
  i = MIN (latencies->len - 1, (guint) (latencies->len * p));
  return g_array_index (latencies, gint64, i) / 1000.0;
}

static void
print_row (const char *what, GArray *latencies)
{
  g_array_sort (latencies, compare_int64);
  g_print ("%-36s %7u %9.3f %9.3f %9.3f\n", what, latencies->len, percentile_ms (latencies, 0.50),
           percentile_ms (latencies, 0.99), percentile_ms (latencies, 1.0));
}

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* Waiting on the main loop */

typedef gboolean (*Condition) (gpointer data);

static gboolean
on_timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_for (Bench *bench, Condition condition, gpointer data, guint seconds, const char *what)
{
  gboolean timed_out = FALSE;
  gboolean done;
  guint    id = g_timeout_add_seconds (seconds, on_timeout_cb, &timed_out);

  while (!(done = condition (data)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  if (!done)
    fail (bench, "waited %u s for %s", seconds, what);
  return done;
}

static void
on_result_cb (GObject *object, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static gboolean
have_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static gboolean
is_online (gpointer data)
{
  return gt_replica_get_connection (data) == GT_CONNECTION_ONLINE;
}

static gboolean
is_not_live (gpointer data)
{
  return !gt_client_get_live_connected (data);
}

/* The server's side, over plain HTTP */

static JsonObject *
server_get (Bench *bench, const char *path)
{
  g_autoptr (JsonNode) node = NULL;
  guint status = 0;

  node = gt_test_request (bench->session, bench->server, "GET", path, bench->token, NULL, &status);
  if (status != 200 || node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (bench, "GET %s answered %u", path, status);
      return NULL;
    }
  return json_object_ref (json_node_get_object (node));
}

static gint64
server_rev (Bench *bench)
{
  g_autoptr (JsonObject) answer = server_get (bench, "/showtimes");

  return answer ? json_object_get_int_member (answer, "rev") : -1;
}

/* Seat ids of @showtime_id that are free now, in the server's order. */
static GPtrArray *
free_seats (Bench *bench, gint64 showtime_id)
{
  g_autofree char *path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/seats", showtime_id);
  g_autoptr (JsonObject) answer = server_get (bench, path);
  GPtrArray *seats = g_ptr_array_new_with_free_func (g_free);
  JsonArray *list;

  if (answer == NULL)
    return seats;
  list = json_object_get_array_member (answer, "seats");
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *seat = json_array_get_object_element (list, i);

      if (g_str_equal (json_object_get_string_member (seat, "state"), "free"))
        g_ptr_array_add (seats, g_strdup (json_object_get_string_member (seat, "id")));
    }
  return seats;
}

/* Whether @replica's seats of @showtime_id are the server's, state by state. */
static gboolean
seats_equal_server (Bench *bench, GtReplica *replica, gint64 showtime_id, const char *who)
{
  g_autofree char *path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/seats", showtime_id);
  g_autoptr (JsonObject) answer = server_get (bench, path);
  g_autoptr (JsonObject) local = gt_replica_dup_seats (replica, showtime_id);
  JsonArray *theirs;
  JsonArray *ours;

  if (answer == NULL)
    return FALSE;
  if (local == NULL)
    {
      fail (bench, "%s has no seats of showtime %" G_GINT64_FORMAT, who, showtime_id);
      return FALSE;
    }
  theirs = json_object_get_array_member (answer, "seats");
  ours = json_object_get_array_member (local, "seats");
  if (json_array_get_length (theirs) != json_array_get_length (ours))
    {
      fail (bench, "%s has %u seats of showtime %" G_GINT64_FORMAT ", the server %u", who,
            json_array_get_length (ours), showtime_id, json_array_get_length (theirs));
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (theirs); i++)
    {
      JsonObject *a = json_array_get_object_element (theirs, i);
      JsonObject *b = json_array_get_object_element (ours, i);

      if (g_strcmp0 (json_object_get_string_member (a, "id"),
                     json_object_get_string_member (b, "id"))
            != 0
          || g_strcmp0 (json_object_get_string_member (a, "state"),
                        json_object_get_string_member (b, "state"))
               != 0)
        {
          fail (bench, "%s: seat %s of showtime %" G_GINT64_FORMAT " is %s there, %s on the server",
                who, json_object_get_string_member (b, "id"), showtime_id,
                json_object_get_string_member (b, "state"),
                json_object_get_string_member (a, "state"));
          return FALSE;
        }
    }
  return TRUE;
}

/* Whether every showtime's seats_free in @replica is the server's. */
static gboolean
seats_free_equal_server (Bench *bench, GtReplica *replica, const char *who)
{
  g_autoptr (JsonObject) answer = server_get (bench, "/showtimes");
  JsonArray *showtimes;

  if (answer == NULL)
    return FALSE;
  showtimes = json_object_get_array_member (answer, "showtimes");
  for (guint i = 0; i < json_array_get_length (showtimes); i++)
    {
      JsonObject *showtime = json_array_get_object_element (showtimes, i);
      gint64      id = json_object_get_int_member (showtime, "id");
      g_autoptr (JsonObject) local = gt_replica_dup_showtime (replica, id);

      if (local == NULL
          || json_object_get_int_member (local, "seats_free")
               != json_object_get_int_member (showtime, "seats_free"))
        {
          fail (bench,
                "%s: showtime %" G_GINT64_FORMAT " has %" G_GINT64_FORMAT
                " seats free there, %" G_GINT64_FORMAT " on the server",
                who, id, local ? json_object_get_int_member (local, "seats_free") : -1,
                json_object_get_int_member (showtime, "seats_free"));
          return FALSE;
        }
    }
  return TRUE;
}

/* Counters */

static gboolean
counter_open (Bench *bench, Counter *counter, const char *name, const char *username)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (JsonObject) answer = NULL;
  g_autofree char *what = g_strdup_printf ("counter %s to be online", name);

  counter->path = g_build_filename (bench->dir, name, NULL);
  counter->client = gt_client_new (bench->server->url);
  counter->replica = gt_replica_new (counter->client, counter->path, &error);
  if (counter->replica == NULL)
    {
      fail (bench, "counter %s: %s", name, error->message);
      return FALSE;
    }

  gt_client_login_async (counter->client, username, username, name, NULL, on_result_cb, &result);
  if (!wait_for (bench, have_result, &result, WAIT_SECONDS, "a login"))
    return FALSE;
  answer = gt_client_call_finish (counter->client, result, &error);
  if (answer == NULL)
    {
      fail (bench, "counter %s could not sign in: %s", name, error->message);
      return FALSE;
    }
  counter->token = g_strdup (json_object_get_string_member (answer, "token"));
  gt_client_set_token (counter->client, counter->token);
  gt_replica_start (counter->replica);
  return wait_for (bench, is_online, counter->replica, WAIT_SECONDS, what);
}

static void
counter_close (Counter *counter)
{
  g_clear_object (&counter->replica);
  g_clear_object (&counter->client);
  g_clear_pointer (&counter->path, g_free);
  g_clear_pointer (&counter->token, g_free);
}

static gboolean
load_seats (Bench *bench, Counter *counter, gint64 showtime_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (JsonObject) answer = NULL;

  gt_replica_load_seats_async (counter->replica, showtime_id, NULL, on_result_cb, &result);
  if (!wait_for (bench, have_result, &result, WAIT_SECONDS, "the seats"))
    return FALSE;
  answer = gt_replica_load_seats_finish (counter->replica, result, &error);
  if (answer == NULL)
    fail (bench, "loading the seats of showtime %" G_GINT64_FORMAT ": %s", showtime_id,
          error->message);
  return answer != NULL;
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

static gboolean
catch_up_now (Bench *bench, Counter *counter, const char *what)
{
  RevWait wait = { counter->replica, server_rev (bench) };

  return wait.rev >= 0 && wait_for (bench, reached_rev, &wait, WAIT_SECONDS, what);
}

/* Tomorrow's showtimes, the biggest auditoriums first: open for sale
 * whatever the time of day. */
static JsonArray *
tomorrows_showtimes (Counter *counter, char **out_date)
{
  g_autoptr (JsonObject) config = gt_replica_dup_config (counter->replica);
  g_autoptr (GTimeZone) tz = NULL;
  g_autoptr (GDateTime) now = NULL;
  g_autoptr (GDateTime) tomorrow = NULL;
  JsonArray *showtimes;
  GList     *sorted;

  tz = g_time_zone_new_identifier (
    config ? json_object_get_string_member_with_default (config, "timezone", "UTC") : "UTC");
  if (tz == NULL)
    tz = g_time_zone_new_utc ();
  now = g_date_time_new_now (tz);
  tomorrow = g_date_time_add_days (now, 1);
  *out_date = g_date_time_format (tomorrow, "%Y-%m-%d");
  showtimes = gt_replica_list_showtimes (counter->replica, *out_date);
  sorted = json_array_get_elements (showtimes);
  for (GList *l = sorted; l != NULL; l = l->next)
    json_node_ref (l->data);
  json_array_unref (showtimes);

  /* An insertion sort on seats_free, biggest first, stable. */
  showtimes = json_array_new ();
  while (sorted != NULL)
    {
      GList *best = sorted;

      for (GList *l = sorted->next; l != NULL; l = l->next)
        if (json_object_get_int_member (json_node_get_object (l->data), "seats_free")
            > json_object_get_int_member (json_node_get_object (best->data), "seats_free"))
          best = l;
      json_array_add_element (showtimes, best->data);
      sorted = g_list_delete_link (sorted, best);
    }
  return showtimes;
}

/* 1. Live propagation */

typedef struct
{
  gint64      showtime_id;
  const char *seat;  /* NULL while nothing is measured */
  const char *state; /* the state B must see */
  gint64      sent_at;
  gint64      answered_at;
  gint64      seen_at;
  GError     *error;
  JsonObject *answer;
} Probe;

static void
on_probe_answer_cb (GObject *object, GAsyncResult *result, gpointer data)
{
  Probe *probe = data;

  probe->answered_at = g_get_monotonic_time ();
  probe->answer = gt_client_call_finish (GT_CLIENT (object), result, &probe->error);
}

static void
on_seat_changed_cb (GtReplica  *replica,
                    const char *kind,
                    gint64      showtime_id,
                    const char *id,
                    const char *state,
                    Probe      *probe)
{
  if (probe->seat != NULL && probe->seen_at == 0 && showtime_id == probe->showtime_id
      && g_strcmp0 (id, probe->seat) == 0 && g_strcmp0 (state, probe->state) == 0)
    probe->seen_at = g_get_monotonic_time ();
}

static gboolean
probe_done (gpointer data)
{
  Probe *probe = data;

  return probe->answered_at != 0 && probe->seen_at != 0;
}

static void
run_live (Bench *bench)
{
  Counter a = { 0 };
  Counter b = { 0 };
  Probe   probe = { 0 };
  g_autoptr (JsonArray) showtimes = NULL;
  g_autoptr (GPtrArray) seats = NULL;
  g_autoptr (GArray) answer_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) seen_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) after_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 hold_id = 0;
  gint64 start;
  guint  seen_first = 0;
  double answer_p99;
  double seen_p99;
  gulong handler;

  g_print ("== live propagation: %d changes at counter A (cashier), seen at counter B "
           "(cashier2) ==\n",
           n_live_changes);
  if (!counter_open (bench, &a, "a.db", "cashier") || !counter_open (bench, &b, "b.db", "cashier2"))
    goto out;

  showtimes = tomorrows_showtimes (&a, &bench->date);
  if (json_array_get_length (showtimes) == 0)
    {
      fail (bench, "no showtimes on %s", bench->date);
      goto out;
    }
  probe.showtime_id = json_object_get_int_member (json_array_get_object_element (showtimes, 0),
                                                  "id");
  if (!load_seats (bench, &b, probe.showtime_id))
    goto out;
  seats = free_seats (bench, probe.showtime_id);
  g_ptr_array_set_size (seats, MIN (seats->len, 100));
  if (seats->len == 0)
    {
      fail (bench, "no free seats in showtime %" G_GINT64_FORMAT, probe.showtime_id);
      goto out;
    }
  handler = g_signal_connect (b.replica, "changed::seat", G_CALLBACK (on_seat_changed_cb), &probe);

  start = g_get_monotonic_time ();
  for (int i = 0; i < n_live_changes; i++)
    {
      const char *seat = g_ptr_array_index (seats, (i / 2) % seats->len);
      gboolean    holding = i % 2 == 0;

      g_clear_pointer (&probe.answer, json_object_unref);
      g_clear_error (&probe.error);
      probe.seat = seat;
      probe.state = holding ? "held" : "free";
      probe.answered_at = probe.seen_at = 0;

      probe.sent_at = g_get_monotonic_time ();
      if (holding)
        {
          const char *list[] = { seat, NULL };

          gt_client_create_hold_async (a.client, probe.showtime_id, list, 0, NULL,
                                       on_probe_answer_cb, &probe);
        }
      else
        gt_client_release_hold_async (a.client, hold_id, NULL, on_probe_answer_cb, &probe);

      if (!wait_for (bench, probe_done, &probe, WAIT_SECONDS, "a change to reach counter B"))
        break;
      if (probe.error != NULL)
        {
          fail (bench, "change %d (%s %s): %s", i, holding ? "hold" : "release", seat,
                probe.error->message);
          break;
        }
      if (holding)
        hold_id = json_object_get_int_member (probe.answer, "id");

      g_array_append_vals (answer_us, &(gint64){ probe.answered_at - probe.sent_at }, 1);
      g_array_append_vals (seen_us, &(gint64){ probe.seen_at - probe.sent_at }, 1);
      g_array_append_vals (after_us, &(gint64){ probe.seen_at - probe.answered_at }, 1);
      seen_first += probe.seen_at < probe.answered_at;
    }
  probe.seat = NULL;
  g_signal_handler_disconnect (b.replica, handler);
  g_clear_pointer (&probe.answer, json_object_unref);
  g_clear_error (&probe.error);

  g_print ("%u changes in %.1f s on showtime %" G_GINT64_FORMAT " (%s), over %u seats\n",
           answer_us->len, seconds_since (start), probe.showtime_id, bench->date, seats->len);
  g_print ("%-36s %7s %9s %9s %9s\n", "from A sending the request to", "count", "p50 ms", "p99 ms",
           "max ms");
  print_row ("A has the answer (round trip)", answer_us);
  print_row ("B's store emitted changed::seat", seen_us);
  print_row ("B's changed::seat minus A's answer", after_us);
  g_print ("B saw the change before A had the answer in %u of %u\n", seen_first, seen_us->len);

  answer_p99 = percentile_ms (answer_us, 0.99);
  seen_p99 = percentile_ms (seen_us, 0.99);
  g_print ("propagation p99 %.3f ms / request round trip p99 %.3f ms  =  %.2f\n", seen_p99,
           answer_p99, seen_p99 / MAX (answer_p99, 1e-9));
  g_print ("target: propagation p99 <= %.0f ms: %s\n", LIVE_TARGET_MS,
           seen_us->len == 0            ? "not measured"
           : seen_p99 <= LIVE_TARGET_MS ? "met"
                                        : "NOT met");

  /* What B shows is what the server has. */
  if (seen_us->len == (guint) n_live_changes && catch_up_now (bench, &b, "counter B to settle"))
    seats_equal_server (bench, b.replica, probe.showtime_id, "counter B");
  g_print ("\n");

out:
  counter_close (&a);
  counter_close (&b);
}

/* 2. Catch-up */

typedef struct _Generator Generator;

typedef struct
{
  Generator   *generator;
  gint64       showtime_id;
  GPtrArray   *seats; /* free seat ids */
  guint        cycle;
  guint        cycles;
  SoupMessage *msg;
} Worker;

struct _Generator
{
  SoupSession *session;
  const char  *url;
  const char  *token;
  guint        running;
  guint        requests;
  gboolean     failed;
};

static void worker_next (Worker *worker);

static void
worker_send (Worker             *worker,
             const char         *method,
             const char         *path,
             const char         *body,
             GAsyncReadyCallback callback)
{
  Generator       *generator = worker->generator;
  g_autofree char *uri = g_strconcat (generator->url, "/api/v1", path, NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", generator->token, NULL);

  g_clear_object (&worker->msg);
  worker->msg = soup_message_new (method, uri);
  soup_message_headers_replace (soup_message_get_request_headers (worker->msg), "Authorization",
                                auth);
  if (body != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (worker->msg, "application/json", bytes);
    }
  generator->requests++;
  soup_session_send_and_read_async (generator->session, worker->msg, G_PRIORITY_DEFAULT, NULL,
                                    callback, worker);
}

static GBytes *
worker_finish (Worker *worker, GAsyncResult *result, guint expected)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes)
    bytes = soup_session_send_and_read_finish (worker->generator->session, result, &error);
  guint status = soup_message_get_status (worker->msg);

  if (bytes == NULL || status != expected)
    {
      g_printerr ("FAILED: %s %s answered %u: %.*s\n", soup_message_get_method (worker->msg),
                  g_uri_get_path (soup_message_get_uri (worker->msg)), status,
                  bytes ? (int) MIN (g_bytes_get_size (bytes), 200) : 0,
                  bytes ? (const char *) g_bytes_get_data (bytes, NULL) : "");
      if (error != NULL)
        g_printerr ("  %s\n", error->message);
      worker->generator->failed = TRUE;
      worker->generator->running--;
      return NULL;
    }
  return g_steal_pointer (&bytes);
}

static void
on_released_cb (GObject *object, GAsyncResult *result, gpointer data)
{
  Worker *worker = data;
  g_autoptr (GBytes) bytes = worker_finish (worker, result, 204);

  if (bytes == NULL)
    return;
  worker->cycle++;
  worker_next (worker);
}

static void
on_held_cb (GObject *object, GAsyncResult *result, gpointer data)
{
  Worker *worker = data;
  g_autoptr (GBytes) bytes = worker_finish (worker, result, 201);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *path = NULL;
  gint64           id = 0;
  gsize            len;
  const char      *text;

  if (bytes == NULL)
    return;
  text = g_bytes_get_data (bytes, &len);
  if (json_parser_load_from_data (parser, text, len, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    id = json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "id");
  path = g_strdup_printf ("/holds/%" G_GINT64_FORMAT, id);
  worker_send (worker, "DELETE", path, NULL, on_released_cb);
}

/* Holds the next block of seats; a new block each time, wrapping round. */
static void
worker_next (Worker *worker)
{
  g_autoptr (GString) body = g_string_new ("{\"seats\":[");
  g_autofree char *path = NULL;
  guint            first;

  if (worker->cycle == worker->cycles || worker->generator->failed)
    {
      worker->generator->running--;
      return;
    }
  first = worker->cycle * seats_per_hold;
  for (int i = 0; i < seats_per_hold; i++)
    g_string_append_printf (body, "%s\"%s\"", i ? "," : "",
                            (char *) g_ptr_array_index (worker->seats,
                                                        (first + i) % worker->seats->len));
  g_string_append (body, "]}");
  path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/holds", worker->showtime_id);
  worker_send (worker, "POST", path, body->str, on_held_cb);
}

static gboolean
generator_done (gpointer data)
{
  Generator *generator = data;

  return generator->running == 0;
}

/* Makes about @n changes: holds of seats_per_hold seats then their release,
 * each two of them seats_per_hold * 2 changes, n_workers showtimes at once. */
static gboolean
generate (Bench *bench, Worker *workers, guint n, double *seconds, guint *requests)
{
  Generator generator = { 0 };
  guint     cycles = (n + 2 * seats_per_hold - 1) / (2 * seats_per_hold);
  gint64    start;
  gboolean  ok;

  generator.session = soup_session_new_with_options ("max-conns-per-host", n_workers + 2, NULL);
  generator.url = bench->server->url;
  generator.token = bench->token;
  for (int w = 0; w < n_workers; w++)
    {
      workers[w].generator = &generator;
      workers[w].cycle = 0;
      workers[w].cycles = cycles / n_workers + ((guint) w < cycles % n_workers);
    }

  start = g_get_monotonic_time ();
  for (int w = 0; w < n_workers; w++)
    {
      generator.running++;
      worker_next (&workers[w]);
    }
  ok = wait_for (bench, generator_done, &generator, 300, "the changes to be made");
  *seconds = seconds_since (start);
  *requests = generator.requests;
  if (generator.failed)
    fail (bench, "making the changes");

  for (int w = 0; w < n_workers; w++)
    g_clear_object (&workers[w].msg);
  g_object_unref (generator.session);
  return ok && !generator.failed;
}

/* The baseline: the same pages through a plain SoupSession, read and, if
 * @parse, parsed, but not applied. Each page says where the next starts
 * ({"rev":N,"more":B,…} comes first); without @parse only that is read. */
typedef struct
{
  double  seconds;
  guint   pages;
  guint64 bytes;
  gint64  changes;
} Fetch;

static gboolean
fetch_pages (Bench *bench, gint64 since, gint64 until, gboolean parse, Fetch *fetch)
{
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *auth = g_strconcat ("Bearer ", bench->token, NULL);
  gint64           start = g_get_monotonic_time ();
  gboolean         more = TRUE;

  memset (fetch, 0, sizeof *fetch);
  while (more && since < until)
    {
      g_autofree char *uri = g_strdup_printf ("%s/api/v1/changes?since=%" G_GINT64_FORMAT
                                              "&limit=%d",
                                              bench->server->url, since, PAGE_LIMIT);
      g_autoptr (SoupMessage) msg = soup_message_new ("GET", uri);
      g_autoptr (GBytes) bytes = NULL;
      g_autoptr (GError) error = NULL;
      const char *data;
      gsize       len;
      gint64      next;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      bytes = soup_session_send_and_read (session, msg, NULL, &error);
      if (bytes == NULL || soup_message_get_status (msg) != 200)
        {
          fail (bench, "GET /changes?since=%" G_GINT64_FORMAT ": %s", since,
                error ? error->message : soup_message_get_reason_phrase (msg));
          return FALSE;
        }
      data = g_bytes_get_data (bytes, &len);
      fetch->pages++;
      fetch->bytes += len;

      if (parse)
        {
          g_autoptr (JsonParser) parser = json_parser_new ();
          JsonObject *answer;

          if (!json_parser_load_from_data (parser, data, len, &error)
              || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
            {
              fail (bench, "/changes is not JSON");
              return FALSE;
            }
          answer = json_node_get_object (json_parser_get_root (parser));
          next = json_object_get_int_member (answer, "rev");
          more = json_object_get_boolean_member (answer, "more");
          fetch->changes += json_array_get_length (
            json_object_get_array_member (answer, "changes"));
        }
      else
        {
          g_autofree char *head = g_strndup (data, MIN (len, 64));

          if (!g_str_has_prefix (head, "{\"rev\":"))
            {
              fail (bench, "/changes does not start with its rev: %s", head);
              return FALSE;
            }
          next = g_ascii_strtoll (head + strlen ("{\"rev\":"), NULL, 10);
          more = strstr (head, "\"more\":true") != NULL;
          fetch->changes += MIN (next, until) - since;
        }
      if (next <= since)
        {
          fail (bench, "/changes did not move on from %" G_GINT64_FORMAT, since);
          return FALSE;
        }
      since = next;
    }
  fetch->seconds = seconds_since (start);
  return TRUE;
}

/* What counter C does while catching up, from its signals. */
typedef struct
{
  GtReplica *replica;
  gint64     target;
  gint64     start;
  gint64     reached_at; /* the store at the target revision */
  gint64     online_at;
  guint      changed;
  guint      synced;
  gint64     last_tick;
  gint64     longest_stall; /* µs between two ticks of the main loop */
} CatchUp;

static void
on_catch_up_changed_cb (GtReplica  *replica,
                        const char *kind,
                        gint64      showtime_id,
                        const char *id,
                        const char *state,
                        CatchUp    *catch_up)
{
  catch_up->changed++;
}

static void
on_catch_up_synced_cb (GtReplica *replica, CatchUp *catch_up)
{
  catch_up->synced++;
}

static void
on_catch_up_rev_cb (GtReplica *replica, GParamSpec *pspec, CatchUp *catch_up)
{
  if (catch_up->reached_at == 0 && gt_replica_get_rev (replica) >= catch_up->target)
    catch_up->reached_at = g_get_monotonic_time ();
}

static void
on_catch_up_connection_cb (GtReplica *replica, GParamSpec *pspec, CatchUp *catch_up)
{
  if (catch_up->online_at == 0 && gt_replica_get_connection (replica) == GT_CONNECTION_ONLINE)
    catch_up->online_at = g_get_monotonic_time ();
}

static gboolean
on_tick_cb (gpointer data)
{
  CatchUp *catch_up = data;
  gint64   now = g_get_monotonic_time ();

  catch_up->longest_stall = MAX (catch_up->longest_stall, now - catch_up->last_tick);
  catch_up->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static gboolean
caught_up (gpointer data)
{
  CatchUp *catch_up = data;

  return gt_replica_get_rev (catch_up->replica) == catch_up->target
         && gt_replica_get_connection (catch_up->replica) == GT_CONNECTION_ONLINE;
}

static void
print_fetch (const char *what, Fetch *fetch)
{
  g_print ("  %-34s %7.3f s  %6u pages  %7.1f MB  %9.0f changes/s\n", what, fetch->seconds,
           fetch->pages, fetch->bytes / 1e6, fetch->changes / MAX (fetch->seconds, 1e-9));
}

static void
run_catch_up (Bench *bench)
{
  Counter c = { 0 };
  CatchUp catch_up = { 0 };
  Fetch   before = { 0 };
  Fetch   after = { 0 };
  Fetch   parsed = { 0 };
  g_autoptr (JsonArray) showtimes = NULL;
  g_autofree char   *date = NULL;
  g_autofree Worker *workers = g_new0 (Worker, n_workers);
  gint64             rev_before;
  gint64             made;
  gint64             start;
  double             gen_seconds = 0;
  double             seconds;
  double             baseline;
  guint              requests = 0;
  guint              tick;
  gulong             handlers[4];

  g_print ("== catch-up: counter C signed out while %d changes are made, then back ==\n",
           n_catch_up_changes);
  if (!counter_open (bench, &c, "c.db", "cashier"))
    goto out;

  /* C has the showtimes that change open, as a counter selling them would. */
  showtimes = tomorrows_showtimes (&c, &date);
  if (json_array_get_length (showtimes) < (guint) n_workers)
    {
      fail (bench, "fewer than %d showtimes on %s", n_workers, date);
      goto out;
    }
  for (int w = 0; w < n_workers; w++)
    {
      workers[w].showtime_id = json_object_get_int_member (json_array_get_object_element (showtimes,
                                                                                          w),
                                                           "id");
      workers[w].seats = free_seats (bench, workers[w].showtime_id);
      if (workers[w].seats->len < (guint) seats_per_hold)
        {
          fail (bench, "showtime %" G_GINT64_FORMAT " has fewer than %d free seats",
                workers[w].showtime_id, seats_per_hold);
          goto out;
        }
      if (!load_seats (bench, &c, workers[w].showtime_id))
        goto out;
    }
  if (!catch_up_now (bench, &c, "counter C to be at the server's revision"))
    goto out;

  /* Signed out: the live socket closes and pulls are refused. */
  gt_client_set_token (c.client, NULL);
  if (!wait_for (bench, is_not_live, c.client, WAIT_SECONDS, "counter C's socket to close"))
    goto out;
  rev_before = gt_replica_get_rev (c.replica);

  if (!generate (bench, workers, n_catch_up_changes, &gen_seconds, &requests))
    goto out;
  catch_up.target = server_rev (bench);
  made = catch_up.target - rev_before;
  g_print ("made %" G_GINT64_FORMAT " changes in %.1f s (%u requests, %d showtimes at once, "
           "%d seats per hold), %.0f changes/s\n",
           made, gen_seconds, requests, n_workers, seats_per_hold, made / MAX (gen_seconds, 1e-9));

  if (!fetch_pages (bench, rev_before, catch_up.target, FALSE, &before))
    goto out;

  /* Back: the same token, as after a dropped network. */
  catch_up.replica = c.replica;
  handlers[0] = g_signal_connect (c.replica, "changed", G_CALLBACK (on_catch_up_changed_cb),
                                  &catch_up);
  handlers[1] = g_signal_connect (c.replica, "synced", G_CALLBACK (on_catch_up_synced_cb),
                                  &catch_up);
  handlers[2] = g_signal_connect (c.replica, "notify::rev", G_CALLBACK (on_catch_up_rev_cb),
                                  &catch_up);
  handlers[3] = g_signal_connect (c.replica, "notify::connection",
                                  G_CALLBACK (on_catch_up_connection_cb), &catch_up);
  catch_up.start = catch_up.last_tick = start = g_get_monotonic_time ();
  tick = g_timeout_add (TICK_MS, on_tick_cb, &catch_up);
  gt_client_set_token (c.client, c.token);
  wait_for (bench, caught_up, &catch_up, CATCH_UP_WAIT_SECONDS, "counter C to catch up");
  seconds = seconds_since (start);
  g_source_remove (tick);
  for (guint i = 0; i < G_N_ELEMENTS (handlers); i++)
    g_signal_handler_disconnect (c.replica, handlers[i]);

  if (!fetch_pages (bench, rev_before, catch_up.target, FALSE, &after)
      || !fetch_pages (bench, rev_before, catch_up.target, TRUE, &parsed))
    goto out;

  g_print ("counter C from signing in again:\n");
  if (catch_up.reached_at != 0)
    g_print ("  %-34s %7.3f s  %9.0f changes/s\n", "store at the server's revision",
             (catch_up.reached_at - start) / (double) G_USEC_PER_SEC,
             made / MAX ((catch_up.reached_at - start) / (double) G_USEC_PER_SEC, 1e-9));
  if (catch_up.online_at != 0)
    g_print ("  %-34s %7.3f s\n", "online", (catch_up.online_at - start) / (double) G_USEC_PER_SEC);
  g_print ("  %-34s %7.3f s  %9.0f changes/s\n", "caught up (both)", seconds,
           made / MAX (seconds, 1e-9));
  g_print ("  changed emitted %u times, synced %u times; longest main-loop stall %.1f ms\n",
           catch_up.changed, catch_up.synced, catch_up.longest_stall / 1000.0);
  g_print ("the same pages through a plain SoupSession, not applied:\n");
  print_fetch ("fetched (before C)", &before);
  print_fetch ("fetched (after C)", &after);
  print_fetch ("fetched and parsed", &parsed);
  baseline = MIN (before.seconds, after.seconds);
  g_print ("catch-up %.3f s / fetching %.3f s (the faster run)  =  %.2f; / fetch and parse %.3f s  "
           "=  %.2f\n",
           seconds, baseline, seconds / MAX (baseline, 1e-9), parsed.seconds,
           seconds / MAX (parsed.seconds, 1e-9));
  g_print ("target: catch-up under %.0f s: %s\n", CATCH_UP_TARGET_S,
           !caught_up (&catch_up)        ? "not measured"
           : seconds < CATCH_UP_TARGET_S ? "met"
                                         : "NOT met");

  /* What C shows is what the server has. */
  if (caught_up (&catch_up))
    {
      if ((gint64) catch_up.changed != made)
        fail (bench, "counter C emitted changed %u times for %" G_GINT64_FORMAT " changes",
              catch_up.changed, made);
      seats_free_equal_server (bench, c.replica, "counter C");
      for (int w = 0; w < n_workers; w++)
        seats_equal_server (bench, c.replica, workers[w].showtime_id, "counter C");
    }
  g_print ("\n");

out:
  for (int w = 0; w < n_workers; w++)
    g_clear_pointer (&workers[w].seats, g_ptr_array_unref);
  counter_close (&c);
}

static void
remove_dir (const char *dir)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autoptr (GError) error = NULL;
  const char *const args[] = { "--demo", NULL };
  Bench             bench = { 0 };
  gint64            start = g_get_monotonic_time ();
  int               status;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (g_getenv ("GT_SERVER_BIN") == NULL)
    {
      g_printerr ("Set GT_SERVER_BIN to the go-ticket-server to run\n");
      return 2;
    }
  if (n_live_changes < 0 || n_catch_up_changes < 0 || n_workers < 1 || seats_per_hold < 1)
    {
      g_printerr ("Counts must not be negative, workers and seats per hold at least 1\n");
      return 2;
    }

  bench.dir = g_dir_make_tmp ("go-ticket-bench-sync-XXXXXX", &error);
  g_assert_no_error (error);
  bench.server = gt_test_server_start (NULL, args);
  bench.session = soup_session_new ();
  bench.token = gt_test_login (bench.session, bench.server, "cashier2", "cashier2");

  if (n_live_changes > 0)
    run_live (&bench);
  if (n_catch_up_changes > 0 && bench.failures == 0)
    run_catch_up (&bench);

  /* What the counters left behind settles before the server goes. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  status = gt_test_server_stop (bench.server);
  if (status != 0)
    fail (&bench, "go-ticket-server exited with status %d", status);
  gt_test_server_free (bench.server);
  g_object_unref (bench.session);
  g_free (bench.token);
  g_free (bench.date);
  remove_dir (bench.dir);
  g_free (bench.dir);

  g_print ("%s in %.1f s\n", bench.failures ? "FAILED" : "done", seconds_since (start));
  return bench.failures ? 1 : 0;
}
