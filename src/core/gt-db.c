/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-db"

#include "config.h"

#include <stdarg.h>

#include "gt-db.h"
#include "gt-error.h"
#include "gt-schema-private.h"
#include "gt-wal-vfs.h"

struct _GtDb
{
  sqlite3    *handle;
  GHashTable *statements; /* SQL text (a literal, by address) → sqlite3_stmt */
  guint       depth;      /* units of work open inside a batch or transaction */
  gboolean    batch;
};

static void
set_sqlite_error (GtDb *db, GError **error, const char *what)
{
  /* The detail goes to the log, never to a client. A constraint is a rule
   * the caller expects the database to enforce, not a fault. */
  if ((sqlite3_extended_errcode (db->handle) & 0xff) == SQLITE_CONSTRAINT)
    g_debug ("%s: %s", what, sqlite3_errmsg (db->handle));
  else
    g_warning ("%s: %s", what, sqlite3_errmsg (db->handle));
  gt_error_set (error, GT_ERROR_INTERNAL, NULL, "The database could not complete the request");
}

static gboolean
exec (GtDb *db, const char *sql, GError **error)
{
  char *msg = NULL;

  if (sqlite3_exec (db->handle, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_warning ("%s: %s", sql, msg ? msg : "error");
      sqlite3_free (msg);
      gt_error_set (error, GT_ERROR_INTERNAL, NULL, "The database could not complete the request");
      return FALSE;
    }
  return TRUE;
}

static gboolean
migrate (GtDb *db, const char *const *migrations, guint n, GError **error)
{
  int version = gt_db_schema_version (db);

  if (version > (int) n)
    {
      gt_error_set (error, GT_ERROR_INTERNAL, NULL,
                    "The database was made by a newer Go-Ticket (schema %d, this one knows %u)",
                    version, n);
      return FALSE;
    }

  for (guint i = version; i < n; i++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %u", i + 1);

      if (!exec (db, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec (db, migrations[i], error) || !exec (db, set_version, error))
        {
          exec (db, "ROLLBACK", NULL);
          return FALSE;
        }
      if (!exec (db, "COMMIT", error))
        return FALSE;
      g_debug ("Migrated the database to schema %u", i + 1);
    }

  return TRUE;
}

/* gt_casefold(text): Unicode case folding, for searches that must find
 * “Ñandú” when asked for “ñandú” (SQLite's own LIKE folds ASCII only). */
static void
casefold_func (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      sqlite3_result_null (context);
      return;
    }
  sqlite3_result_text (context, g_utf8_casefold (text, -1), -1, g_free);
}

GtDb *
gt_db_open (const char *path, GError **error)
{
  return gt_db_open_with (path, _gt_schema_migrations (), _gt_schema_n_migrations (), error);
}

GtDb *
gt_db_open_with (const char        *path,
                 const char *const *migrations,
                 guint              n_migrations,
                 GError           **error)
{
  GtDb *db;

  g_return_val_if_fail (path != NULL, NULL);

  /* No global allocation statistics: they take a mutex on every malloc. */
  sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);

  db = g_new0 (GtDb, 1);
  /* Keyed by the SQL's address: callers pass string literals, and hashing
   * the text itself on every query showed up in profiles. */
  db->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                          (GDestroyNotify) sqlite3_finalize);

  if (sqlite3_open_v2 (path, &db->handle,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       gt_wal_vfs_name ())
      != SQLITE_OK)
    {
      gt_error_set (error, GT_ERROR_INTERNAL, NULL, "“%s”: %s", path,
                    db->handle ? sqlite3_errmsg (db->handle) : "out of memory");
      gt_db_free (db);
      return NULL;
    }

  sqlite3_busy_timeout (db->handle, 5000);
  sqlite3_create_function_v2 (db->handle, "gt_casefold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                              NULL, casefold_func, NULL, NULL, NULL);
  sqlite3_extended_result_codes (db->handle, 1);

  /* WAL with FULL sync: a committed transaction survives a power loss. Group
   * commit (gt_db_batch_*) keeps that affordable under load. The cache is a
   * ceiling, not an allocation: with SQLite's default of 2 MiB, the indexes
   * on random keys (booking codes, idempotency keys) no longer fitted after
   * some 20,000 sales, and a checkout read pages back from the file. */
  if (!exec (db, "PRAGMA journal_mode = WAL", NULL) || !exec (db, "PRAGMA synchronous = FULL", NULL)
      || !exec (db, "PRAGMA foreign_keys = ON", NULL)
      || !exec (db, "PRAGMA temp_store = MEMORY", NULL)
      || !exec (db, "PRAGMA cache_size = -65536", NULL))
    {
      /* Whoever starts the server needs SQLite's reason here ("file is not
       * a database", "readonly database"), not the clients' general one. */
      gt_error_set (error, GT_ERROR_INTERNAL, NULL, "“%s”: %s", path, sqlite3_errmsg (db->handle));
      gt_db_free (db);
      return NULL;
    }
  if (!migrate (db, migrations, n_migrations, error))
    {
      gt_db_free (db);
      return NULL;
    }

  return db;
}

void
gt_db_free (GtDb *db)
{
  if (db == NULL)
    return;

  if (db->batch)
    exec (db, "ROLLBACK", NULL);
  g_clear_pointer (&db->statements, g_hash_table_unref);
  if (db->handle != NULL)
    {
      /* A clean close checkpoints the WAL into the main file. */
      sqlite3_close (db->handle);
    }
  g_free (db);
}

sqlite3 *
gt_db_handle (GtDb *db)
{
  return db->handle;
}

int
gt_db_schema_version (GtDb *db)
{
  sqlite3_stmt *stmt = NULL;
  int           version = 0;

  if (sqlite3_prepare_v2 (db->handle, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

int
gt_db_latest_version (void)
{
  return (int) _gt_schema_n_migrations ();
}

static sqlite3_stmt *
query_valist (GtDb *db, const char *sql, const char *types, va_list args)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (db->statements, sql);

  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL)
          != SQLITE_OK)
        g_error ("Cannot prepare “%s”: %s", sql, sqlite3_errmsg (db->handle));
      g_hash_table_insert (db->statements, (gpointer) sql, stmt);
    }
  else
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }

  for (int i = 0; types != NULL && types[i] != '\0'; i++)
    {
      switch (types[i])
        {
          case 'i':
            sqlite3_bind_int (stmt, i + 1, va_arg (args, int));
            break;

          case 'I':
            sqlite3_bind_int64 (stmt, i + 1, va_arg (args, gint64));
            break;

          case 's':
            {
              const char *s = va_arg (args, const char *);

              if (s != NULL)
                sqlite3_bind_text (stmt, i + 1, s, -1, SQLITE_TRANSIENT);
              else
                sqlite3_bind_null (stmt, i + 1);
            }
            break;

          case 'b':
            {
              const void *data = va_arg (args, const void *);
              gsize       len = va_arg (args, gsize);

              sqlite3_bind_blob (stmt, i + 1, data, (int) len, SQLITE_TRANSIENT);
            }
            break;

          default:
            g_assert_not_reached ();
        }
    }

  return stmt;
}

sqlite3_stmt *
gt_db_query (GtDb *db, const char *sql, const char *types, ...)
{
  sqlite3_stmt *stmt;
  va_list       args;

  va_start (args, types);
  stmt = query_valist (db, sql, types, args);
  va_end (args);
  return stmt;
}

gboolean
gt_db_step (GtDb *db, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    set_sqlite_error (db, error, sqlite3_sql (stmt));
  sqlite3_reset (stmt);
  return FALSE;
}

gboolean
gt_db_run (GtDb *db, GError **error, const char *sql, const char *types, ...)
{
  sqlite3_stmt *stmt;
  va_list       args;
  int           rc;

  va_start (args, types);
  stmt = query_valist (db, sql, types, args);
  va_end (args);

  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW)
    return TRUE;

  set_sqlite_error (db, error, sql);
  return FALSE;
}

gint64
gt_db_last_insert_id (GtDb *db)
{
  return sqlite3_last_insert_rowid (db->handle);
}

int
gt_db_changes (GtDb *db)
{
  return sqlite3_changes (db->handle);
}

const char *
gt_db_column_text (sqlite3_stmt *stmt, int col)
{
  return (const char *) sqlite3_column_text (stmt, col);
}

/* Transaction control through cached statements: compiling them for every
 * unit of work cost more than the work. */
static gboolean
control (GtDb *db, const char *sql, GError **error)
{
  return gt_db_run (db, error, sql, NULL);
}

gboolean
gt_db_begin (GtDb *db, GError **error)
{
  g_assert (db->depth == 0);

  if (!control (db, db->batch ? "SAVEPOINT unit" : "BEGIN IMMEDIATE", error))
    return FALSE;
  db->depth = 1;
  return TRUE;
}

gboolean
gt_db_commit (GtDb *db, GError **error)
{
  g_assert (db->depth == 1);

  if (!control (db, db->batch ? "RELEASE unit" : "COMMIT", error))
    {
      gt_db_rollback (db);
      return FALSE;
    }
  db->depth = 0;
  return TRUE;
}

void
gt_db_rollback (GtDb *db)
{
  g_assert (db->depth == 1);

  if (db->batch)
    {
      control (db, "ROLLBACK TO unit", NULL);
      control (db, "RELEASE unit", NULL);
    }
  else
    control (db, "ROLLBACK", NULL);
  db->depth = 0;
}

gboolean
gt_db_batch_begin (GtDb *db, GError **error)
{
  g_assert (!db->batch && db->depth == 0);

  if (!control (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  db->batch = TRUE;
  return TRUE;
}

gboolean
gt_db_batch_commit (GtDb *db, GError **error)
{
  g_assert (db->batch && db->depth == 0);

  db->batch = FALSE;
  if (!control (db, "COMMIT", error))
    {
      control (db, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

gboolean
gt_db_in_batch (GtDb *db)
{
  return db->batch;
}
