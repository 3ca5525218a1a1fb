/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-server-thread"

#include "config.h"

#include "gt-server-thread.h"
#include "gt-server.h"

#define STOP_GRACE_MS 5000
#define STOP_TICK_MS  20

struct _GtServerThread
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  char         *db_path;
  char         *url;
  guint         hold_seconds;
  gboolean      demo;
  GtServer     *server; /* while the thread serves; for tests */

  /* Start-up hand-over, under @mutex. */
  GMutex   mutex;
  GCond    cond;
  gboolean started;
  GError  *error;
};

static gboolean
quit_when_idle_cb (gpointer user_data)
{
  GtServerThread *self = user_data;

  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

static void
signal_started (GtServerThread *self, GError *error)
{
  g_mutex_lock (&self->mutex);
  self->error = error;
  self->started = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
}

static gboolean
keep_ticking (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static gpointer
run_server (gpointer user_data)
{
  GtServerThread *self = user_data;
  g_autoptr (GtEngine) engine = NULL;
  g_autoptr (GtServer) server = NULL;
  GError *error = NULL;
  g_autoptr (GSource) tick = NULL;
  gint64 deadline;

  g_main_context_push_thread_default (self->context);

  if (!(engine = gt_engine_new (self->db_path, &error))
      || (self->demo && gt_engine_is_empty (engine) && !gt_engine_load_demo (engine, &error)))
    {
      signal_started (self, error);
      g_main_context_pop_thread_default (self->context);
      return NULL;
    }
  if (self->hold_seconds > 0)
    gt_engine_set_hold_seconds (engine, self->hold_seconds);

  server = gt_server_new (engine, NULL);
  if (!gt_server_listen (server, "127.0.0.1", 0, &error))
    {
      signal_started (self, error);
      g_main_context_pop_thread_default (self->context);
      return NULL;
    }
  self->url = gt_server_dup_url (server);
  self->server = server;
  signal_started (self, NULL);

  g_main_loop_run (self->loop);

  /* Stopping: nothing new, commit, let what is under way finish. Requests
   * end on the HTTP threads, which do not wake this context: a tick does,
   * or a request that never ends would keep it asleep for good. */
  gt_server_stop_accepting (server);
  gt_engine_flush (engine, NULL);
  deadline = g_get_monotonic_time () + STOP_GRACE_MS * G_TIME_SPAN_MILLISECOND;
  tick = g_timeout_source_new (STOP_TICK_MS);
  g_source_set_callback (tick, keep_ticking, NULL, NULL);
  g_source_attach (tick, self->context);
  while (gt_server_get_in_flight (server) > 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (self->context, TRUE);
  g_source_destroy (tick);

  self->server = NULL;
  g_clear_object (&server);
  g_clear_object (&engine);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

GtServerThread *
gt_server_thread_start (const char *db_path, guint hold_seconds, gboolean demo, GError **error)
{
  GtServerThread *self;

  g_return_val_if_fail (db_path != NULL, NULL);

  self = g_new0 (GtServerThread, 1);
  self->db_path = g_strdup (db_path);
  self->hold_seconds = hold_seconds;
  self->demo = demo;
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);

  self->thread = g_thread_new ("gt-server", run_server, self);

  g_mutex_lock (&self->mutex);
  while (!self->started)
    g_cond_wait (&self->cond, &self->mutex);
  g_mutex_unlock (&self->mutex);

  if (self->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->error));
      gt_server_thread_stop (self);
      return NULL;
    }
  return self;
}

const char *
gt_server_thread_get_url (GtServerThread *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->url;
}

void
gt_server_thread_stop (GtServerThread *self)
{
  GSource *source;

  if (self == NULL)
    return;

  source = g_idle_source_new ();
  g_source_set_callback (source, quit_when_idle_cb, self, NULL);
  g_source_attach (source, self->context);
  g_source_unref (source);
  g_thread_join (self->thread);

  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_clear_error (&self->error);
  g_free (self->db_path);
  g_free (self->url);
  g_free (self);
}

GtServer *
_gt_server_thread_get_server (GtServerThread *self)
{
  return self->server;
}
