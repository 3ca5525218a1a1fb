/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-wal-vfs"

#include "config.h"

#include <string.h>

#include "gt-wal-vfs.h"

/* SQLite writes each frame of the write-ahead log with two calls to the
 * kernel, its 24-byte header and then its page. Under a rush a group commit
 * is 30 to 50 frames, and those 60 to 100 pwrite() calls were most of the
 * commit's time (bench-holds, with strace and perf). This VFS hands every
 * call to the default one, except that it gathers consecutive writes to a
 * log and makes them one pwrite() (one per 124 KiB):
 *
 *  - when the commit frame's page is written, so the whole transaction is
 *    in the file before SQLite publishes it in the shared index, and an
 *    error fails the commit as it would have without this VFS;
 *  - before anything else touches the log (a read, a write elsewhere, a
 *    sync, a size, a truncation, a close);
 *  - before the connection changes a lock on the shared index, so frames
 *    that a rollback abandoned are never written after another connection
 *    took the write lock.
 *
 * A connection is used by one thread at a time, so the log with gathered
 * writes is remembered per thread (pending_log). Writes are only left
 * gathered inside a write transaction, so a connection must not be closed
 * on another thread while one is open on it (GtEngine opens, uses and closes
 * its connection on one thread). */

#define FRAME_HEADER_SIZE 24
#define MAX_GATHERED      (4 << 20)
/* The unix VFS writes at most 128 KiB - 1 bytes in one call. */
#define MAX_WRITE (124 << 10)

typedef struct
{
  sqlite3_file  base;
  sqlite3_file *real; /* the default VFS's file, right after this struct */
  gboolean      log;
  gboolean      commit_page_next;
  char         *gathered;
  gsize         len;
  gsize         size;
  sqlite3_int64 offset;
} GtFile;

static sqlite3_vfs *default_vfs;
static GPrivate     pending_log = G_PRIVATE_INIT (NULL);

/* On failure the writes stay gathered: the next flush writes them again,
 * and the commit's own flush fails the commit. */
static int
flush (GtFile *f)
{
  /* Nothing gathered (every database file, most calls on a log): nothing
   * to write, and the thread's pending log is another one or none. */
  if (f->len == 0)
    return SQLITE_OK;
  for (gsize done = 0; done < f->len; done += MAX_WRITE)
    {
      int rc = f->real->pMethods->xWrite (f->real, f->gathered + done,
                                          (int) MIN (f->len - done, MAX_WRITE), f->offset + done);
      if (rc != SQLITE_OK)
        return rc;
    }
  f->len = 0;
  if (g_private_get (&pending_log) == f)
    g_private_set (&pending_log, NULL);
  return SQLITE_OK;
}

static int
gather (GtFile *f, const void *data, int amount, sqlite3_int64 offset)
{
  GtFile *other = g_private_get (&pending_log);
  int     rc;

  /* One log per thread has gathered writes, so on_shm_lock() finds them. */
  if (other != NULL && other != f && (rc = flush (other)) != SQLITE_OK)
    return rc;
  if (f->len > 0 && offset != f->offset + (sqlite3_int64) f->len && (rc = flush (f)) != SQLITE_OK)
    return rc;
  if (f->len == 0)
    f->offset = offset;
  if (f->len + amount > f->size)
    {
      f->size = MAX (f->len + amount, 2 * f->size);
      f->gathered = g_realloc (f->gathered, f->size);
    }
  memcpy (f->gathered + f->len, data, amount);
  f->len += amount;
  g_private_set (&pending_log, f);
  return SQLITE_OK;
}

static int
on_write (sqlite3_file *file, const void *data, int amount, sqlite3_int64 offset)
{
  GtFile  *f = (GtFile *) file;
  gboolean commit_page = f->commit_page_next;
  int      rc;

  if (!f->log)
    return f->real->pMethods->xWrite (f->real, data, amount, offset);

  /* A frame header's second word is the database size after a commit,
   * zero for the other frames. */
  f->commit_page_next = amount == FRAME_HEADER_SIZE
                        && memcmp ((const char *) data + 4, "\0\0\0\0", 4) != 0;
  if ((rc = gather (f, data, amount, offset)) != SQLITE_OK)
    return rc;
  if (commit_page || f->len >= MAX_GATHERED)
    return flush (f);
  return SQLITE_OK;
}

/* Every other method: the gathered writes first, then the default VFS. */
#define FLUSH_OR_RETURN(file)                                                                      \
  G_STMT_START                                                                                     \
  {                                                                                                \
    int flush_rc = flush ((GtFile *) (file));                                                      \
    if (flush_rc != SQLITE_OK)                                                                     \
      return flush_rc;                                                                             \
  }                                                                                                \
  G_STMT_END
#define REAL(file) (((GtFile *) (file))->real)

static int
on_close (sqlite3_file *file)
{
  GtFile *f = (GtFile *) file;
  int     rc = flush (f);
  int     close_rc = f->real->pMethods->xClose (f->real);

  if (g_private_get (&pending_log) == f)
    g_private_set (&pending_log, NULL);
  g_clear_pointer (&f->gathered, g_free);
  return rc != SQLITE_OK ? rc : close_rc;
}

static int
on_read (sqlite3_file *file, void *data, int amount, sqlite3_int64 offset)
{
  FLUSH_OR_RETURN (file);
  return REAL (file)->pMethods->xRead (REAL (file), data, amount, offset);
}

static int
on_truncate (sqlite3_file *file, sqlite3_int64 size)
{
  FLUSH_OR_RETURN (file);
  return REAL (file)->pMethods->xTruncate (REAL (file), size);
}

static int
on_sync (sqlite3_file *file, int flags)
{
  FLUSH_OR_RETURN (file);
  return REAL (file)->pMethods->xSync (REAL (file), flags);
}

static int
on_file_size (sqlite3_file *file, sqlite3_int64 *size)
{
  FLUSH_OR_RETURN (file);
  return REAL (file)->pMethods->xFileSize (REAL (file), size);
}

static int
on_lock (sqlite3_file *file, int lock)
{
  FLUSH_OR_RETURN (file);
  return REAL (file)->pMethods->xLock (REAL (file), lock);
}

static int
on_unlock (sqlite3_file *file, int lock)
{
  FLUSH_OR_RETURN (file);
  return REAL (file)->pMethods->xUnlock (REAL (file), lock);
}

static int
on_check_reserved_lock (sqlite3_file *file, int *out)
{
  return REAL (file)->pMethods->xCheckReservedLock (REAL (file), out);
}

static int
on_file_control (sqlite3_file *file, int op, void *arg)
{
  FLUSH_OR_RETURN (file);
  return REAL (file)->pMethods->xFileControl (REAL (file), op, arg);
}

static int
on_sector_size (sqlite3_file *file)
{
  return REAL (file)->pMethods->xSectorSize (REAL (file));
}

static int
on_device_characteristics (sqlite3_file *file)
{
  return REAL (file)->pMethods->xDeviceCharacteristics (REAL (file));
}

static int
on_shm_map (sqlite3_file *file, int page, int page_size, int extend, void volatile **out)
{
  return REAL (file)->pMethods->xShmMap (REAL (file), page, page_size, extend, out);
}

/* Called on the database file, not the log: the log is this thread's. */
static int
on_shm_lock (sqlite3_file *file, int offset, int n, int flags)
{
  GtFile *log = g_private_get (&pending_log);

  /* What is left here was abandoned by a rollback: the log past the
   * last commit, which no one reads. A failure to write it loses nothing. */
  if (log != NULL && flush (log) != SQLITE_OK)
    g_debug ("Could not write abandoned log frames");
  return REAL (file)->pMethods->xShmLock (REAL (file), offset, n, flags);
}

/* SQLite publishes new frames after this. The commit's page has written
 * them already (on_write()); this only guards what that missed. */
static void
on_shm_barrier (sqlite3_file *file)
{
  GtFile *log = g_private_get (&pending_log);

  if (log != NULL && flush (log) != SQLITE_OK)
    g_warning ("Could not write the database log before publishing it");
  REAL (file)->pMethods->xShmBarrier (REAL (file));
}

static int
on_shm_unmap (sqlite3_file *file, int delete_flag)
{
  return REAL (file)->pMethods->xShmUnmap (REAL (file), delete_flag);
}

static int
on_fetch (sqlite3_file *file, sqlite3_int64 offset, int amount, void **out)
{
  FLUSH_OR_RETURN (file);
  return REAL (file)->pMethods->xFetch (REAL (file), offset, amount, out);
}

static int
on_unfetch (sqlite3_file *file, sqlite3_int64 offset, void *page)
{
  return REAL (file)->pMethods->xUnfetch (REAL (file), offset, page);
}

static const sqlite3_io_methods io_methods = {
  .iVersion = 3,
  .xClose = on_close,
  .xRead = on_read,
  .xWrite = on_write,
  .xTruncate = on_truncate,
  .xSync = on_sync,
  .xFileSize = on_file_size,
  .xLock = on_lock,
  .xUnlock = on_unlock,
  .xCheckReservedLock = on_check_reserved_lock,
  .xFileControl = on_file_control,
  .xSectorSize = on_sector_size,
  .xDeviceCharacteristics = on_device_characteristics,
  .xShmMap = on_shm_map,
  .xShmLock = on_shm_lock,
  .xShmBarrier = on_shm_barrier,
  .xShmUnmap = on_shm_unmap,
  .xFetch = on_fetch,
  .xUnfetch = on_unfetch,
};

static int
on_open (sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
  GtFile *f = (GtFile *) file;
  int     rc;

  memset (f, 0, sizeof *f);
  f->real = (sqlite3_file *) (f + 1);
  f->log = (flags & SQLITE_OPEN_WAL) != 0;
  rc = default_vfs->xOpen (default_vfs, name, f->real, flags, out_flags);
  if (rc != SQLITE_OK || f->real->pMethods == NULL)
    return rc;
  /* io_methods passes on shared memory and fetches: the file must have them. */
  if (f->real->pMethods->iVersion < 3)
    {
      f->real->pMethods->xClose (f->real);
      return SQLITE_CANTOPEN;
    }
  /* SQLite closes only a file whose methods are set. */
  file->pMethods = &io_methods;
  return rc;
}

static gpointer
register_vfs (gpointer data)
{
  static sqlite3_vfs vfs;

  default_vfs = sqlite3_vfs_find (NULL);
  g_assert (default_vfs != NULL);
  vfs = *default_vfs;
  vfs.zName = "gt-wal";
  vfs.szOsFile = sizeof (GtFile) + default_vfs->szOsFile;
  vfs.xOpen = on_open;
  vfs.pNext = NULL;
  if (sqlite3_vfs_register (&vfs, FALSE) != SQLITE_OK)
    g_error ("Cannot register SQLite's log VFS");
  return (gpointer) vfs.zName;
}

const char *
gt_wal_vfs_name (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, register_vfs, NULL);
}
