/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-checkpointer"

#include "config.h"

#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "gt-checkpointer.h"
#include "gt-error.h"

/* Measured with bench-holds --against: the checkout cycles' p99 0.1 to 1.4
 * ms lower in six runs of six at 10; at 19, the hold-release cycles' p99
 * grew. */
#define CHECKPOINTER_NICE 10

struct _GtCheckpointer
{
  sqlite3                 *db; /* its own connection, used on its thread only */
  GThread                 *thread;
  GMutex                   mutex;
  GCond                    wake;      /* a pass was asked for, or quit */
  GCond                    pass_done; /* a pass ended */
  guint64                  requested; /* passes asked for so far */
  guint64                  done;      /* the last pass asked for that has ended */
  gboolean                 complete;  /* that pass copied the whole log */
  int                      copied;    /* pages of the log that pass copied */
  gboolean                 failed;    /* a pass failed: for good */
  GtCheckpointerFailedFunc failed_func;
  gpointer                 failed_data;
  int                      fail_next; /* for tests: the result the next pass gives */
  gboolean                 quit;
};

static gpointer
checkpointer_run (gpointer data)
{
  GtCheckpointer *self = data;

  /* Copying the log into the file can wait for the engine and the HTTP
   * threads: a lower priority (on Linux, for this thread alone), but not
   * the idle class, so that another busy program cannot starve it while the
   * engine waits for its last pass before a restart. Failing is harmless. */
  setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), CHECKPOINTER_NICE);
  g_mutex_lock (&self->mutex);
  for (;;)
    {
      guint64  pass;
      int      in_log = 0;
      int      copied = 0;
      gboolean failed_now = FALSE;
      int      rc;

      while (self->done == self->requested && !self->quit)
        g_cond_wait (&self->wake, &self->mutex);
      if (self->quit)
        break;
      pass = self->requested;
      rc = self->fail_next;
      self->fail_next = SQLITE_OK;
      g_mutex_unlock (&self->mutex);

      /* PASSIVE: copies what no reader still needs and never waits for the
       * writer. With this connection's synchronous = FULL, the log is synced
       * before anything is copied; the file is synced after a pass only if
       * the log's end has not moved meanwhile. Under a rush, that is only
       * the pass the engine waits for before a restart. */
      if (rc == SQLITE_OK && !self->failed)
        rc = sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &in_log,
                                        &copied);

      g_mutex_lock (&self->mutex);
      /* The passes before this one may have copied pages into the file
       * without syncing it, and Linux reports a failed write-back only
       * once: a later pass would sync "successfully" over pages the file
       * lost, and SQLite start the log again over their only copy. So no
       * pass runs any more, and the next start reads the whole log. */
      if (rc != SQLITE_OK && rc != SQLITE_BUSY && !self->failed)
        {
          g_warning ("Could not copy the log into the database (%s): it stays in the log until "
                     "the server starts again",
                     sqlite3_errstr (rc));
          self->failed = failed_now = TRUE;
          sqlite3_db_config (self->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
        }
      self->done = pass;
      self->complete = rc == SQLITE_OK && copied == in_log && !self->failed;
      self->copied = rc == SQLITE_OK ? copied : 0;
      g_cond_broadcast (&self->pass_done);
      if (failed_now)
        {
          g_mutex_unlock (&self->mutex);
          self->failed_func (self->failed_data);
          g_mutex_lock (&self->mutex);
        }
    }
  g_mutex_unlock (&self->mutex);
  return NULL;
}

GtCheckpointer *
gt_checkpointer_new (const char              *path,
                     GtCheckpointerFailedFunc failed_func,
                     gpointer                 user_data,
                     GError                 **error)
{
  GtCheckpointer *self = g_new0 (GtCheckpointer, 1);

  /* A connection knows the log only once it has read the file. */
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL)
        != SQLITE_OK
      || sqlite3_exec (self->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK)
    {
      gt_error_set (error, GT_ERROR_INTERNAL, NULL, "Cannot open the database “%s”: %s", path,
                    self->db ? sqlite3_errmsg (self->db) : "out of memory");
      sqlite3_close (self->db);
      g_free (self);
      return NULL;
    }
  g_mutex_init (&self->mutex);
  g_cond_init (&self->wake);
  g_cond_init (&self->pass_done);
  self->failed_func = failed_func;
  self->failed_data = user_data;
  self->thread = g_thread_new ("gt-checkpoint", checkpointer_run, self);
  return self;
}

void
gt_checkpointer_request (GtCheckpointer *self)
{
  g_mutex_lock (&self->mutex);
  self->requested++;
  g_cond_signal (&self->wake);
  g_mutex_unlock (&self->mutex);
}

gboolean
gt_checkpointer_finish (GtCheckpointer *self)
{
  guint64  pass;
  gboolean complete;

  g_mutex_lock (&self->mutex);
  pass = ++self->requested;
  g_cond_signal (&self->wake);
  while (self->done < pass)
    g_cond_wait (&self->pass_done, &self->mutex);
  complete = self->complete;
  /* The next write starts the log again: none of the new one is copied. */
  if (complete)
    self->copied = 0;
  g_mutex_unlock (&self->mutex);
  return complete;
}

void
_gt_checkpointer_fail_next_pass (GtCheckpointer *self, int result)
{
  g_mutex_lock (&self->mutex);
  self->fail_next = result;
  g_mutex_unlock (&self->mutex);
}

int
gt_checkpointer_get_copied (GtCheckpointer *self)
{
  int copied;

  g_mutex_lock (&self->mutex);
  copied = self->copied;
  g_mutex_unlock (&self->mutex);
  return copied;
}

void
gt_checkpointer_free (GtCheckpointer *self)
{
  if (self == NULL)
    return;

  g_mutex_lock (&self->mutex);
  self->quit = TRUE;
  g_cond_signal (&self->wake);
  g_mutex_unlock (&self->mutex);
  g_thread_join (self->thread);

  sqlite3_close (self->db);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->wake);
  g_cond_clear (&self->pass_done);
  g_free (self);
}
