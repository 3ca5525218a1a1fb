/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-test-crash"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "gt-stress.h"

/* The server is killed (SIGKILL, no chance to clean up) in the middle of a
 * rush. Every sale it acknowledged before dying must still be there when it
 * comes back on the same database file, and the file must be sound. */

#define N_THREADS          16
#define N_SHOWTIMES        3
#define SEATS_PER_SHOWTIME 60
#define KILL_AFTER         40 /* bookings acknowledged before the kill */
#define N_KILLS            2
#define RUSH_TIMEOUT_S     60

static const char *const users[][2] = {
  { "cashier", "cashier" },
  { "cashier2", "cashier2" },
  { "manager", "manager" },
  { "admin", "admin" },
};

typedef struct
{
  gint64 showtime_id;
  char  *seat;
} PoolSeat;

typedef struct _Crash Crash;

typedef struct
{
  Crash   *crash;
  guint    index;
  GThread *thread;
} Worker;

struct _Crash
{
  GtTestServer *server;
  Worker        workers[N_THREADS];

  GMutex     lock;
  GCond      cond;
  guint      n_ready;
  gboolean   go;
  gboolean   killed;
  GPtrArray *pool;   /* PoolSeat: seats nobody has bought yet */
  GArray    *acked;  /* booking ids acknowledged with 201, over every run */
  guint      n_lost; /* requests of this run whose answer never came */
};

static void
pool_seat_free (gpointer data)
{
  PoolSeat *seat = data;

  g_free (seat->seat);
  g_free (seat);
}

static void
pool_remove (Crash *crash, PoolSeat *seat)
{
  g_ptr_array_remove_fast (crash->pool, seat);
}

/* One counter: takes random seats from the shared pool (so counters collide
 * on them) and sells them one at a time until the server goes away. */
static gpointer
worker_thread (gpointer data)
{
  Worker     *worker = data;
  Crash      *crash = worker->crash;
  const char *url = crash->server->url;
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autofree char *token = NULL;
  guint            user = worker->index % G_N_ELEMENTS (users);

  token = gt_test_login (session, crash->server, users[user][0], users[user][1]);

  g_mutex_lock (&crash->lock);
  crash->n_ready++;
  g_cond_broadcast (&crash->cond);
  while (!crash->go)
    g_cond_wait (&crash->cond, &crash->lock);

  for (;;)
    {
      g_autoptr (JsonNode) hold = NULL;
      g_autoptr (JsonNode) booking = NULL;
      g_autofree char *path = NULL;
      g_autofree char *hold_body = NULL;
      g_autofree char *checkout_body = NULL;
      g_autofree char *key = NULL;
      const char      *seats[2] = { NULL, NULL };
      PoolSeat        *seat;
      gint64           showtime_id;
      gint64           hold_id;
      gint64           booking_id;
      guint            status = 0;

      if (crash->killed || crash->pool->len == 0)
        break;
      seat = g_ptr_array_index (crash->pool, g_rand_int_range (rand, 0, crash->pool->len));
      showtime_id = seat->showtime_id;
      seats[0] = seat->seat;
      hold_body = gt_stress_hold_body (seats);
      checkout_body = gt_stress_checkout_body (seats);
      seat = NULL;
      g_mutex_unlock (&crash->lock);

      path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/holds", showtime_id);
      hold = gt_stress_request (session, url, "POST", path, token, NULL, hold_body, &status);
      if (status == 0)
        {
          g_mutex_lock (&crash->lock);
          crash->n_lost++;
          break;
        }
      if (status == 409)
        {
          g_assert_cmpstr (gt_test_error_code (hold), ==, "seat_unavailable");
          g_mutex_lock (&crash->lock);
          continue;
        }
      if (status != 201)
        g_error ("POST %s %s answered %u", path, hold_body, status);
      hold_id = gt_stress_get_id (hold);

      g_free (path);
      path = g_strdup_printf ("/holds/%" G_GINT64_FORMAT "/checkout", hold_id);
      key = g_uuid_string_random ();
      booking = gt_stress_request (session, url, "POST", path, token, key, checkout_body, &status);
      if (status == 0)
        {
          g_mutex_lock (&crash->lock);
          crash->n_lost++;
          break;
        }
      if (status != 201)
        g_error ("POST %s answered %u", path, status);
      booking_id = gt_stress_get_id (booking);
      g_assert_cmpint (booking_id, >, 0);

      g_mutex_lock (&crash->lock);
      g_array_append_val (crash->acked, booking_id);
      for (guint i = 0; i < crash->pool->len; i++)
        {
          PoolSeat *sold = g_ptr_array_index (crash->pool, i);

          if (sold->showtime_id == showtime_id && g_strcmp0 (sold->seat, seats[0]) == 0)
            {
              pool_remove (crash, sold);
              break;
            }
        }
      g_cond_broadcast (&crash->cond);
    }
  g_mutex_unlock (&crash->lock);

  return NULL;
}

/* Rushes the server until KILL_AFTER more sales are acknowledged, then kills
 * it while the counters are still selling. */
static void
rush_and_kill (Crash *crash)
{
  guint  acked_before = crash->acked->len;
  gint64 deadline;

  crash->n_lost = 0;
  crash->n_ready = 0;
  crash->go = FALSE;
  crash->killed = FALSE;
  for (guint i = 0; i < N_THREADS; i++)
    {
      crash->workers[i].crash = crash;
      crash->workers[i].index = i;
      crash->workers[i].thread = g_thread_new ("crash", worker_thread, &crash->workers[i]);
    }

  g_mutex_lock (&crash->lock);
  while (crash->n_ready < N_THREADS)
    g_cond_wait (&crash->cond, &crash->lock);
  crash->go = TRUE;
  g_cond_broadcast (&crash->cond);

  deadline = g_get_monotonic_time () + RUSH_TIMEOUT_S * G_TIME_SPAN_SECOND;
  while (crash->acked->len < acked_before + KILL_AFTER && crash->pool->len > 0)
    if (!g_cond_wait_until (&crash->cond, &crash->lock, deadline))
      break;
  g_assert_cmpuint (crash->acked->len, >=, acked_before + KILL_AFTER);
  g_mutex_unlock (&crash->lock);

  gt_test_server_kill (crash->server);

  g_mutex_lock (&crash->lock);
  crash->killed = TRUE;
  g_mutex_unlock (&crash->lock);
  for (guint i = 0; i < N_THREADS; i++)
    g_thread_join (crash->workers[i].thread);

  g_test_message ("killed after %u acknowledged sales (%u in all), %u answers lost",
                  crash->acked->len - acked_before, crash->acked->len, crash->n_lost);
}

static void
assert_sound_file (const char *db_path)
{
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA foreign_key_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  sqlite3_close (db);
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

static void
test_crash_keeps_acknowledged (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("go-ticket-crash-XXXXXX", &error);
  g_autofree char *db_path = NULL;
  g_autoptr (GPtrArray)
    servers = g_ptr_array_new_with_free_func ((GDestroyNotify) gt_test_server_free);
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (GArray) showtimes = NULL;
  g_autofree char *token = NULL;
  const char      *demo_args[] = { "--demo", NULL };
  Crash            crash = { 0 };

  g_assert_no_error (error);
  db_path = g_build_filename (dir, "central.db", NULL);
  g_mutex_init (&crash.lock);
  g_cond_init (&crash.cond);
  crash.pool = g_ptr_array_new_with_free_func (pool_seat_free);
  crash.acked = g_array_new (FALSE, FALSE, sizeof (gint64));

  crash.server = gt_test_server_start (db_path, demo_args);
  g_ptr_array_add (servers, crash.server);

  token = gt_test_login (session, crash.server, "manager", "manager");
  showtimes = gt_stress_future_showtimes (session, crash.server->url, token, 60);
  g_assert_cmpuint (showtimes->len, >=, N_SHOWTIMES);
  for (guint i = 0; i < N_SHOWTIMES; i++)
    {
      gint64 showtime_id = g_array_index (showtimes, gint64, i);
      g_auto (GStrv) seats = gt_stress_free_seats (session, crash.server->url, token, showtime_id,
                                                   SEATS_PER_SHOWTIME);

      for (guint j = 0; seats[j] != NULL; j++)
        {
          PoolSeat *seat = g_new0 (PoolSeat, 1);

          seat->showtime_id = showtime_id;
          seat->seat = g_strdup (seats[j]);
          g_ptr_array_add (crash.pool, seat);
        }
    }

  for (guint kill = 0; kill < N_KILLS; kill++)
    {
      rush_and_kill (&crash);

      /* Back on the same file, as an operator restarting it would. */
      crash.server = gt_test_server_start (db_path, NULL);
      g_ptr_array_add (servers, crash.server);
    }

  g_clear_object (&session);
  session = soup_session_new ();
  g_free (token);
  token = gt_test_login (session, crash.server, "manager", "manager");

  for (guint i = 0; i < crash.acked->len; i++)
    {
      gint64           id = g_array_index (crash.acked, gint64, i);
      g_autofree char *path = g_strdup_printf ("/bookings/%" G_GINT64_FORMAT, id);
      g_autoptr (JsonNode) booking = NULL;
      guint status = 0;

      booking = gt_stress_request (session, crash.server->url, "GET", path, token, NULL, NULL,
                                   &status);
      if (status != 200)
        g_error ("Booking %" G_GINT64_FORMAT " was acknowledged before the kill, now GET %s "
                 "answers %u",
                 id, path, status);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (booking), "status"), ==,
                       "paid");
    }

  /* Holds of the killed run may still be there until they expire; sold
   * seats and paid bookings must agree all the same. */
  for (guint i = 0; i < N_SHOWTIMES; i++)
    gt_stress_check_showtime (session, crash.server->url, token,
                              g_array_index (showtimes, gint64, i), NULL);

  g_assert_cmpint (gt_test_server_stop (crash.server), ==, 0);
  assert_sound_file (db_path);

  g_clear_pointer (&servers, g_ptr_array_unref);
  g_ptr_array_unref (crash.pool);
  g_array_unref (crash.acked);
  g_mutex_clear (&crash.lock);
  g_cond_clear (&crash.cond);
  remove_dir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stress/crash/keeps-acknowledged", test_crash_keeps_acknowledged);

  return g_test_run ();
}
