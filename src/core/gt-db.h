/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* The one SQLite connection of an engine: migrations, a cache of prepared
 * statements, and transactions that can join a group commit. */
typedef struct _GtDb GtDb;

/* The server's database, with its migrations. */
GtDb *gt_db_open (const char *path, GError **error);
/* Any other store: @migrations[i] takes user_version i to i + 1. */
GtDb    *gt_db_open_with (const char        *path,
                          const char *const *migrations,
                          guint              n_migrations,
                          GError           **error);
void     gt_db_free (GtDb *db);
sqlite3 *gt_db_handle (GtDb *db);
int      gt_db_schema_version (GtDb *db);
int      gt_db_latest_version (void);

/* A cached, reset statement with fresh bindings. @types has one letter per
 * argument: 'i' int, 'I' gint64, 's' string (NULL binds NULL), 'b' blob
 * (pointer, then gsize). */
sqlite3_stmt *gt_db_query (GtDb *db, const char *sql, const char *types, ...);
/* Runs a statement that returns no rows. */
gboolean gt_db_run (GtDb *db, GError **error, const char *sql, const char *types, ...);
/* Steps @stmt once: TRUE with a row, FALSE when done or on error (set). */
gboolean    gt_db_step (GtDb *db, sqlite3_stmt *stmt, GError **error);
gint64      gt_db_last_insert_id (GtDb *db);
int         gt_db_changes (GtDb *db);
const char *gt_db_column_text (sqlite3_stmt *stmt, int col);

/* A unit of work. Outside a batch it is BEGIN IMMEDIATE … COMMIT; inside one
 * it is a savepoint, made durable when the batch commits. */
gboolean gt_db_begin (GtDb *db, GError **error);
gboolean gt_db_commit (GtDb *db, GError **error);
void     gt_db_rollback (GtDb *db);

/* Group commit: open a batch, let many units of work join it, commit once. */
gboolean gt_db_batch_begin (GtDb *db, GError **error);
gboolean gt_db_batch_commit (GtDb *db, GError **error);
gboolean gt_db_in_batch (GtDb *db);

G_END_DECLS
