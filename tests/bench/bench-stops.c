/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-bench-stops"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

/* Does this machine stop, whole, when its processors are busy while a file
 * is synced? A virtual machine whose host caps its processor time, and
 * counts the host's own work for the disk against that cap, does. A server
 * that keeps every processor busy while it syncs what it answers (as
 * go-ticket-server does under bench-holds' 32 connections, and the durable
 * baseline too) then finds those stops in its latencies: every request
 * under way during one waits it out.
 *
 * No Go-Ticket code runs here. A watcher thread asks to wake every
 * millisecond, at real-time priority where it may, and counts the gaps
 * between its wake-ups longer than STOP_MS, in four phases of the same
 * length: every processor busy with a loop; a loop of writes and
 * fdatasync() alone; both at once; and both at once with the loops idle
 * for a fifth of each millisecond. */

#define STOP_MS    5
#define WRITE_SIZE (16 << 10)
#define FILE_SIZE  (1 << 20)

typedef struct
{
  const char *name;
  guint       busy; /* the percentage of each millisecond every processor spins */
  gboolean    sync;
} Phase;

typedef struct
{
  gint    running;
  guint   busy;
  char   *path;
  GArray *sync_us; /* each fdatasync()'s time, for the phase's syncing thread */
  guint   stops;
  gint64  longest_gap_us;
} Run;

static gpointer
busy_run (gpointer data)
{
  Run             *run = data;
  volatile guint64 spins = 0;

  while (g_atomic_int_get (&run->running))
    {
      gint64 start = g_get_monotonic_time ();

      while (g_get_monotonic_time () - start < run->busy * 10)
        spins++;
      if (run->busy < 100)
        g_usleep ((100 - run->busy) * 10);
    }
  return NULL;
}

static gpointer
sync_run (gpointer data)
{
  Run             *run = data;
  g_autofree char *block = g_malloc (WRITE_SIZE);
  int              fd = g_open (run->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  goffset          offset = 0;

  if (fd < 0)
    g_error ("Could not open %s: %s", run->path, g_strerror (errno));
  memset (block, 'x', WRITE_SIZE);
  /* Written through once, so that the timed syncs are of data alone, as
   * those of SQLite's log once it is written over. */
  for (goffset at = 0; at < FILE_SIZE; at += WRITE_SIZE)
    if (pwrite (fd, block, WRITE_SIZE, at) != WRITE_SIZE)
      g_error ("Could not write %s: %s", run->path, g_strerror (errno));
  if (fdatasync (fd) != 0)
    g_error ("Could not sync %s: %s", run->path, g_strerror (errno));

  while (g_atomic_int_get (&run->running))
    {
      gint64 start = g_get_monotonic_time ();
      gint64 took;

      if (pwrite (fd, block, WRITE_SIZE, offset) != WRITE_SIZE || fdatasync (fd) != 0)
        g_error ("Could not write and sync %s: %s", run->path, g_strerror (errno));
      took = g_get_monotonic_time () - start;
      g_array_append_val (run->sync_us, took);
      offset = (offset + WRITE_SIZE) % FILE_SIZE;
    }
  close (fd);
  return NULL;
}

static gboolean
watch (Run *run, double seconds)
{
  struct sched_param param = { .sched_priority = sched_get_priority_min (SCHED_FIFO) };
  gboolean           real_time = pthread_setschedparam (pthread_self (), SCHED_FIFO, &param) == 0;
  gint64             end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  gint64             last = g_get_monotonic_time ();

  while (last < end)
    {
      gint64 now;

      g_usleep (1000);
      now = g_get_monotonic_time ();
      if (now - last > STOP_MS * 1000)
        run->stops++;
      run->longest_gap_us = MAX (run->longest_gap_us, now - last);
      last = now;
    }

  param.sched_priority = 0;
  pthread_setschedparam (pthread_self (), SCHED_OTHER, &param);
  return real_time;
}

static int
compare_us (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
run_phase (const Phase *phase, const char *dir, double seconds)
{
  g_autoptr (GPtrArray) threads = g_ptr_array_new ();
  g_autofree char *path = g_build_filename (dir, "synced", NULL);
  Run              run = { .running = 1, .busy = phase->busy, .path = path };
  gboolean         real_time;

  run.sync_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (phase->busy > 0)
    for (guint i = 0; i < g_get_num_processors (); i++)
      g_ptr_array_add (threads, g_thread_new ("busy", busy_run, &run));
  if (phase->sync)
    g_ptr_array_add (threads, g_thread_new ("sync", sync_run, &run));

  real_time = watch (&run, seconds);

  g_atomic_int_set (&run.running, 0);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (threads->pdata[i]);
  g_unlink (path);

  g_print ("%-32s %8.1f %10.1f", phase->name, run.stops / seconds, run.longest_gap_us / 1000.0);
  if (run.sync_us->len > 0)
    {
      g_array_sort (run.sync_us, compare_us);
      g_print (" %9.0f %9.2f %9.2f", run.sync_us->len / seconds,
               g_array_index (run.sync_us, gint64, run.sync_us->len * 99 / 100) / 1000.0,
               g_array_index (run.sync_us, gint64, run.sync_us->len - 1) / 1000.0);
    }
  g_print ("%s\n", real_time ? "" : "   (watcher at normal priority)");
  g_array_unref (run.sync_us);
}

int
main (int argc, char *argv[])
{
  static const Phase phases[] = {
    { "every processor busy", 100, FALSE },
    { "writes and fdatasync() alone", 0, TRUE },
    { "both at once", 100, TRUE },
    /* A server whose load leaves the processors some idle time. */
    { "both, processors 80 % busy", 80, TRUE },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autofree char   *dir = NULL;
  double             seconds = 6;
  const GOptionEntry entries[] = { { "duration", 'd', 0, G_OPTION_ARG_DOUBLE, &seconds,
                                     "Seconds per phase (default 6)", "S" },
                                   { NULL } };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || seconds <= 0)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "The duration must be positive");
      return 2;
    }
  /* In the temporary directory, as bench-holds' databases. */
  dir = g_dir_make_tmp ("go-ticket-stops-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);

  g_print ("== gaps of over %d ms in a watcher woken every 1 ms, %u processors, %.0f s each ==\n",
           STOP_MS, g_get_num_processors (), seconds);
  g_print ("%-32s %8s %10s %9s %9s %9s\n", "phase", "stops/s", "longest ms", "syncs/s", "p99 ms",
           "max ms");
  for (guint i = 0; i < G_N_ELEMENTS (phases); i++)
    run_phase (&phases[i], dir, seconds);
  g_rmdir (dir);
  return 0;
}
