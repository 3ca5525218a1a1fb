/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-test-race"

#include "config.h"

#include "gt-stress.h"

/* Many counters race for the same few seats of one showtime. Whatever the
 * interleaving, a seat is sold at most once, every sale a counter was told
 * about exists, and the seat map agrees with the bookings. */

#define N_THREADS     16
#define N_SEATS       4
#define N_ROUNDS      6
#define MAX_ATTEMPTS  1000
#define REFUND_ROUNDS 120

static const char *const users[][2] = {
  { "cashier", "cashier" },
  { "cashier2", "cashier2" },
  { "manager", "manager" },
  { "admin", "admin" },
};

typedef enum
{
  ROLE_CASHIER,
  ROLE_REFUNDER,
} Role;

typedef struct _Rush Rush;

typedef struct
{
  Rush        *rush;
  Role         role;
  guint        index;
  GThread     *thread;
  SoupSession *session;
  char        *token;
  GRand       *rand;
} Worker;

struct _Rush
{
  GtTestServer *server;
  gboolean      with_refunds;
  Worker        workers[N_THREADS];
  guint         n_refunders;

  GMutex   lock;
  GCond    cond;
  guint    n_ready;
  guint    round; /* bumped to start a round */
  gboolean quit;
  guint    n_finished; /* workers done with the current round */
  guint    cashiers_running;

  /* The current round. */
  gint64      showtime_id;
  char      **seats;
  guint       seats_sold; /* seats of the bookings acknowledged with 201 */
  GHashTable *acked;      /* booking id → the status it must have now */
  GArray     *refundable; /* acknowledged booking ids not refunded yet */

  guint n_holds;
  guint n_conflicts;
  guint n_released;
  guint n_bookings;
  guint n_replays;
  guint n_refunds;
};

static void
rush_count (Rush *rush, guint *counter)
{
  g_mutex_lock (&rush->lock);
  (*counter)++;
  g_mutex_unlock (&rush->lock);
}

/* Tries to buy a random one or two of the round's seats, as a cashier who
 * sometimes changes their mind and releases the hold instead. */
static void
try_buy (Worker *worker)
{
  Rush       *rush = worker->rush;
  const char *url = rush->server->url;
  const char *seats[3] = { NULL, NULL, NULL };
  g_autoptr (JsonNode) hold = NULL;
  g_autoptr (JsonNode) booking = NULL;
  g_autofree char *hold_body = NULL;
  g_autofree char *checkout_body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *key = NULL;
  guint            n = g_rand_int_range (worker->rand, 1, 3);
  guint            first = g_rand_int_range (worker->rand, 0, N_SEATS);
  guint            status = 0;
  gint64           hold_id;
  gint64           booking_id;

  seats[0] = rush->seats[first];
  if (n == 2)
    seats[1] = rush->seats[(first + g_rand_int_range (worker->rand, 1, N_SEATS)) % N_SEATS];

  hold_body = gt_stress_hold_body (seats);
  path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/holds", rush->showtime_id);
  hold = gt_stress_request (worker->session, url, "POST", path, worker->token, NULL, hold_body,
                            &status);
  if (status == 409)
    {
      g_assert_cmpstr (gt_test_error_code (hold), ==, "seat_unavailable");
      rush_count (rush, &rush->n_conflicts);
      return;
    }
  if (status != 201)
    g_error ("POST %s %s answered %u", path, hold_body, status);
  hold_id = gt_stress_get_id (hold);
  g_assert_cmpint (hold_id, >, 0);
  rush_count (rush, &rush->n_holds);

  g_free (path);
  if (g_rand_int_range (worker->rand, 0, 5) == 0)
    {
      g_autoptr (JsonNode) released = NULL;

      path = g_strdup_printf ("/holds/%" G_GINT64_FORMAT, hold_id);
      released = gt_stress_request (worker->session, url, "DELETE", path, worker->token, NULL, NULL,
                                    &status);
      g_assert_cmpuint (status, ==, 204);
      rush_count (rush, &rush->n_released);
      return;
    }

  key = g_uuid_string_random ();
  checkout_body = gt_stress_checkout_body (seats);
  path = g_strdup_printf ("/holds/%" G_GINT64_FORMAT "/checkout", hold_id);
  booking = gt_stress_request (worker->session, url, "POST", path, worker->token, key,
                               checkout_body, &status);
  if (status != 201)
    g_error ("POST %s answered %u (%s)", path, status,
             gt_test_error_code (booking) ? gt_test_error_code (booking) : "no error code");
  booking_id = gt_stress_get_id (booking);
  g_assert_cmpint (booking_id, >, 0);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (booking), "status"), ==,
                   "paid");
  g_assert_cmpuint (json_array_get_length (
                      json_object_get_array_member (json_node_get_object (booking), "tickets")),
                    ==, n);

  g_mutex_lock (&rush->lock);
  g_hash_table_insert (rush->acked, g_memdup2 (&booking_id, sizeof booking_id), (gpointer) "paid");
  g_array_append_val (rush->refundable, booking_id);
  rush->seats_sold += n;
  rush->n_bookings++;
  g_cond_broadcast (&rush->cond);
  g_mutex_unlock (&rush->lock);

  /* A counter that lost the answer sends the same request again: it must get
   * the same booking and sell nothing twice. */
  if (g_rand_int_range (worker->rand, 0, 3) == 0)
    {
      g_autoptr (JsonNode) again = NULL;

      again = gt_stress_request (worker->session, url, "POST", path, worker->token, key,
                                 checkout_body, &status);
      g_assert_cmpuint (status, ==, 200);
      g_assert_cmpint (gt_stress_get_id (again), ==, booking_id);
      rush_count (rush, &rush->n_replays);
    }
}

static void
run_cashier_round (Worker *worker)
{
  Rush *rush = worker->rush;
  guint attempts = rush->with_refunds ? REFUND_ROUNDS : MAX_ATTEMPTS;

  for (guint i = 0; i < attempts; i++)
    {
      gboolean all_sold;

      g_mutex_lock (&rush->lock);
      all_sold = rush->seats_sold >= N_SEATS;
      g_mutex_unlock (&rush->lock);
      if (all_sold && !rush->with_refunds)
        break;
      try_buy (worker);
    }

  g_mutex_lock (&rush->lock);
  rush->cashiers_running--;
  g_cond_broadcast (&rush->cond);
  g_mutex_unlock (&rush->lock);
}

/* A manager refunding sales while the counters keep selling: the refunded
 * seats go back on sale at once and are raced for again. */
static void
run_refunder_round (Worker *worker)
{
  Rush *rush = worker->rush;

  for (;;)
    {
      g_autoptr (JsonNode) refunded = NULL;
      g_autofree char *path = NULL;
      guint            status = 0;
      gint64           id;

      g_mutex_lock (&rush->lock);
      while (rush->refundable->len == 0 && rush->cashiers_running > 0)
        g_cond_wait (&rush->cond, &rush->lock);
      if (rush->cashiers_running == 0)
        {
          g_mutex_unlock (&rush->lock);
          break;
        }
      id = g_array_index (rush->refundable, gint64,
                          g_rand_int_range (worker->rand, 0, rush->refundable->len));
      for (guint i = 0; i < rush->refundable->len; i++)
        if (g_array_index (rush->refundable, gint64, i) == id)
          {
            g_array_remove_index_fast (rush->refundable, i);
            break;
          }
      g_mutex_unlock (&rush->lock);

      path = g_strdup_printf ("/bookings/%" G_GINT64_FORMAT "/refund", id);
      refunded = gt_stress_request (worker->session, rush->server->url, "POST", path, worker->token,
                                    NULL, "{\"reason\":\"stress test\"}", &status);
      if (status != 200)
        g_error ("POST %s answered %u (%s)", path, status,
                 gt_test_error_code (refunded) ? gt_test_error_code (refunded) : "no error code");
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (refunded), "status"),
                       ==, "refunded");

      g_mutex_lock (&rush->lock);
      g_hash_table_insert (rush->acked, g_memdup2 (&id, sizeof id), (gpointer) "refunded");
      rush->n_refunds++;
      g_mutex_unlock (&rush->lock);
    }
}

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;
  Rush   *rush = worker->rush;
  guint   round = 0;
  guint   user = worker->role == ROLE_REFUNDER ? 2 + worker->index % 2 : worker->index % 4;

  worker->session = soup_session_new ();
  worker->token = gt_test_login (worker->session, rush->server, users[user][0], users[user][1]);

  g_mutex_lock (&rush->lock);
  rush->n_ready++;
  g_cond_broadcast (&rush->cond);
  for (;;)
    {
      while (rush->round == round && !rush->quit)
        g_cond_wait (&rush->cond, &rush->lock);
      if (rush->quit)
        break;
      round = rush->round;
      g_mutex_unlock (&rush->lock);

      if (worker->role == ROLE_CASHIER)
        run_cashier_round (worker);
      else
        run_refunder_round (worker);

      g_mutex_lock (&rush->lock);
      rush->n_finished++;
      g_cond_broadcast (&rush->cond);
    }
  g_mutex_unlock (&rush->lock);

  return NULL;
}

static Rush *
rush_new (gboolean with_refunds, guint n_refunders)
{
  const char *args[] = { "--demo", NULL };
  Rush       *rush = g_new0 (Rush, 1);

  g_mutex_init (&rush->lock);
  g_cond_init (&rush->cond);
  rush->server = gt_test_server_start (NULL, args);
  rush->with_refunds = with_refunds;
  rush->n_refunders = n_refunders;

  for (guint i = 0; i < N_THREADS; i++)
    {
      Worker *worker = &rush->workers[i];

      worker->rush = rush;
      worker->index = i;
      worker->role = i < N_THREADS - n_refunders ? ROLE_CASHIER : ROLE_REFUNDER;
      worker->rand = g_rand_new_with_seed (g_test_rand_int ());
      worker->thread = g_thread_new ("rush", worker_thread, worker);
    }

  g_mutex_lock (&rush->lock);
  while (rush->n_ready < N_THREADS)
    g_cond_wait (&rush->cond, &rush->lock);
  g_mutex_unlock (&rush->lock);

  return rush;
}

/* Starts a round on @seats of @showtime_id and waits until every worker is
 * done with it. */
static void
rush_run_round (Rush *rush, gint64 showtime_id, char **seats)
{
  g_mutex_lock (&rush->lock);
  rush->showtime_id = showtime_id;
  rush->seats = seats;
  rush->seats_sold = 0;
  g_clear_pointer (&rush->acked, g_hash_table_unref);
  rush->acked = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_clear_pointer (&rush->refundable, g_array_unref);
  rush->refundable = g_array_new (FALSE, FALSE, sizeof (gint64));
  rush->cashiers_running = N_THREADS - rush->n_refunders;
  rush->n_finished = 0;
  rush->round++;
  g_cond_broadcast (&rush->cond);
  while (rush->n_finished < N_THREADS)
    g_cond_wait (&rush->cond, &rush->lock);
  g_mutex_unlock (&rush->lock);

  g_test_message ("showtime %" G_GINT64_FORMAT ": %u holds, %u conflicts, %u released, "
                  "%u bookings, %u replays, %u refunds so far",
                  showtime_id, rush->n_holds, rush->n_conflicts, rush->n_released, rush->n_bookings,
                  rush->n_replays, rush->n_refunds);
}

static void
rush_free (Rush *rush)
{
  g_mutex_lock (&rush->lock);
  rush->quit = TRUE;
  g_cond_broadcast (&rush->cond);
  g_mutex_unlock (&rush->lock);

  for (guint i = 0; i < N_THREADS; i++)
    {
      Worker *worker = &rush->workers[i];

      g_thread_join (worker->thread);
      g_clear_object (&worker->session);
      g_free (worker->token);
      g_rand_free (worker->rand);
    }

  g_assert_cmpint (gt_test_server_stop (rush->server), ==, 0);
  g_clear_pointer (&rush->server, gt_test_server_free);
  g_clear_pointer (&rush->acked, g_hash_table_unref);
  g_clear_pointer (&rush->refundable, g_array_unref);
  g_mutex_clear (&rush->lock);
  g_cond_clear (&rush->cond);
  g_free (rush);
}

static void
test_race_same_seats (void)
{
  Rush *rush = rush_new (FALSE, 0);
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *token = gt_test_login (session, rush->server, "manager", "manager");
  g_autoptr (GArray) showtimes = gt_stress_future_showtimes (session, rush->server->url, token, 60);

  g_assert_cmpuint (showtimes->len, >=, N_ROUNDS);

  for (guint round = 0; round < N_ROUNDS; round++)
    {
      gint64 showtime_id = g_array_index (showtimes, gint64, round * 3);
      g_auto (GStrv)
        seats = gt_stress_free_seats (session, rush->server->url, token, showtime_id, N_SEATS);
      guint held;

      g_assert_cmpuint (g_strv_length (seats), ==, N_SEATS);
      rush_run_round (rush, showtime_id, seats);

      /* Every seat is sold exactly once: more would be a double sale, fewer a
       * seat lost to a hold nobody owns. */
      g_assert_cmpuint (rush->seats_sold, ==, N_SEATS);
      held = gt_stress_check_showtime (session, rush->server->url, token, showtime_id, rush->acked);
      g_assert_cmpuint (held, ==, 0);
    }

  rush_free (rush);
}

static void
test_race_with_refunds (void)
{
  Rush *rush = rush_new (TRUE, 2);
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autofree char *token = gt_test_login (session, rush->server, "manager", "manager");
  g_autoptr (GArray) showtimes = gt_stress_future_showtimes (session, rush->server->url, token, 60);
  g_auto (GStrv) seats = NULL;
  gint64 showtime_id;
  guint  held;

  g_assert_cmpuint (showtimes->len, >, 0);
  showtime_id = g_array_index (showtimes, gint64, 0);
  seats = gt_stress_free_seats (session, rush->server->url, token, showtime_id, N_SEATS);
  g_assert_cmpuint (g_strv_length (seats), ==, N_SEATS);

  rush_run_round (rush, showtime_id, seats);

  g_assert_cmpuint (rush->n_refunds, >, 0);
  held = gt_stress_check_showtime (session, rush->server->url, token, showtime_id, rush->acked);
  g_assert_cmpuint (held, ==, 0);

  rush_free (rush);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stress/race/same-seats", test_race_same_seats);
  g_test_add_func ("/stress/race/with-refunds", test_race_with_refunds);

  return g_test_run ();
}
