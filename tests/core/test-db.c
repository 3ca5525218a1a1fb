/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>

#include "gt-core-fixture.h"
#include "gt-schema-private.h"

static char *
pragma_text (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char         *value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

/* Counts rows through a second connection, as a crash-restarted server would. */
static gint64
count_on_disk (const char *path, const char *sql)
{
  sqlite3         *db = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  text = pragma_text (db, sql);
  sqlite3_close (db);
  return g_ascii_strtoll (text, NULL, 10);
}

static void
test_db_pragmas (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = gt_core_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "central.db", NULL);
  g_autofree char *journal = NULL;
  g_autofree char *foreign = NULL;
  g_autofree char *sync = NULL;
  g_autofree char *version = NULL;
  GtEngine        *engine = gt_engine_new (path, &error);
  sqlite3         *db;

  g_assert_no_error (error);
  g_assert_nonnull (engine);
  g_assert_cmpstr (gt_engine_get_path (engine), ==, path);
  g_assert_true (gt_engine_is_empty (engine));

  db = gt_db_handle (engine->db);
  journal = pragma_text (db, "PRAGMA journal_mode");
  foreign = pragma_text (db, "PRAGMA foreign_keys");
  sync = pragma_text (db, "PRAGMA synchronous");
  version = pragma_text (db, "PRAGMA user_version");
  g_assert_cmpstr (journal, ==, "wal");
  g_assert_cmpstr (foreign, ==, "1");
  g_assert_cmpstr (sync, ==, "2"); /* FULL: an acknowledged commit survives a power loss */
  g_assert_cmpint (gt_db_latest_version (), >=, 1);
  g_assert_cmpint (g_ascii_strtoll (version, NULL, 10), ==, gt_db_latest_version ());
  g_assert_cmpint (gt_db_schema_version (engine->db), ==, gt_db_latest_version ());
  g_assert_cmpint ((int) _gt_schema_n_migrations (), ==, gt_db_latest_version ());

  /* Every table of the data model is there. */
  g_assert_cmpint (gt_core_count (engine, "SELECT COUNT (*) FROM sqlite_schema WHERE type = 'table'"
                                          " AND name IN ('setting', 'user', 'session', 'movie',"
                                          " 'auditorium', 'seat', 'showtime', 'hold', 'seat_claim',"
                                          " 'booking', 'ticket', 'payment', 'change_log')"),
                   ==, 13);

  gt_core_unref_engine (&engine);
  gt_core_remove_dir (dir);
}

static void
test_db_foreign_keys (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = gt_core_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "central.db", NULL);
  GtEngine        *engine = gt_engine_new (path, &error);
  sqlite3         *db;

  g_assert_no_error (error);
  db = gt_db_handle (engine->db);

  /* A showtime of a movie and an auditorium that do not exist. */
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO showtime (movie_id, auditorium_id, starts_at,"
                                 " ends_at, prices) VALUES (999, 999, 0, 1, '{}')",
                                 NULL, NULL, NULL),
                   ==, SQLITE_CONSTRAINT_FOREIGNKEY);
  g_assert_cmpint (gt_core_count (engine, "SELECT COUNT (*) FROM showtime"), ==, 0);

  gt_core_unref_engine (&engine);
  gt_core_remove_dir (dir);
}

static void
test_db_reopen_keeps_data (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = gt_core_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "central.db", NULL);
  g_autofree char *layout = gt_core_grid_layout (2, 4);
  g_autofree char *public_key = NULL;
  g_autofree char *code = NULL;
  g_autoptr (JsonObject) config = NULL;
  g_autoptr (JsonObject) movies = NULL;
  g_autoptr (JsonObject) showtime = NULL;
  GtEngine *engine;
  gint64    movie_id;
  gint64    auditorium_id;
  gint64    showtime_id;
  gint64    rev;
  gint64    ticket_id = 0;

  engine = gt_engine_new (path, &error);
  g_assert_no_error (error);
  gt_core_create_user (engine, "admin", "admin");
  movie_id = gt_core_add_movie (engine, "Little Kites", 96);
  auditorium_id = gt_core_add_auditorium (engine, "Studio 9", layout);
  showtime_id = gt_core_add_showtime (engine, movie_id, auditorium_id,
                                      gt_core_minutes_from_now (engine, 60));
  config = gt_engine_get_config (engine);
  public_key = g_strdup (json_object_get_string_member (config, "ticket_public_key"));
  code = _gt_ticket_sign (engine, 42);
  rev = gt_engine_get_rev (engine);
  g_assert_cmpint (rev, >, 0);
  gt_core_unref_engine (&engine);
  g_clear_pointer (&config, json_object_unref);

  engine = gt_engine_new (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (engine);
  g_assert_cmpint (gt_db_schema_version (engine->db), ==, gt_db_latest_version ());
  g_assert_false (gt_engine_is_empty (engine));
  g_assert_cmpint (gt_engine_get_rev (engine), ==, rev);

  movies = gt_engine_list_movies (engine, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gt_core_array_length (movies, "movies"), ==, 1);
  showtime = gt_engine_get_showtime (engine, showtime_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (showtime, "movie_id"), ==, movie_id);
  g_assert_cmpint (json_object_get_int_member (showtime, "seats_total"), ==, 8);
  g_assert_cmpint (gt_core_count (engine, "SELECT COUNT (*) FROM user WHERE username = 'admin'"),
                   ==, 1);

  /* The signing key lives in the database: codes printed before still verify. */
  config = gt_engine_get_config (engine);
  g_assert_cmpstr (json_object_get_string_member (config, "ticket_public_key"), ==, public_key);
  g_assert_true (gt_engine_verify_ticket_code (engine, code, &ticket_id));
  g_assert_cmpint (ticket_id, ==, 42);

  gt_core_unref_engine (&engine);
  gt_core_remove_dir (dir);
}

/* A file left at each older schema version is brought up to date, keeping
 * what it holds. */
static void
test_db_migrate_older (void)
{
  for (int version = 0; version < gt_db_latest_version (); version++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *dir = gt_core_make_tmpdir ();
      g_autofree char *path = g_build_filename (dir, "central.db", NULL);
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", version);
      g_autoptr (JsonObject) config = NULL;
      sqlite3  *db = NULL;
      GtEngine *engine;

      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      for (int i = 0; i < version; i++)
        g_assert_cmpint (sqlite3_exec (db, _gt_schema_migration (i), NULL, NULL, NULL), ==,
                         SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db, set_version, NULL, NULL, NULL), ==, SQLITE_OK);
      /* Data of the old version, in a table every version has had. */
      if (version >= 1)
        g_assert_cmpint (sqlite3_exec (db,
                                       "INSERT INTO setting (key, value)"
                                       " VALUES ('cinema', 'Bioskop Lama')",
                                       NULL, NULL, NULL),
                         ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (db,
                                     "CREATE TABLE local_note (text TEXT);"
                                     "INSERT INTO local_note VALUES ('kept')",
                                     NULL, NULL, NULL),
                       ==, SQLITE_OK);
      sqlite3_close (db);

      engine = gt_engine_new (path, &error);
      g_assert_no_error (error);
      g_assert_nonnull (engine);
      g_assert_cmpint (gt_db_schema_version (engine->db), ==, gt_db_latest_version ());
      g_assert_cmpint (gt_core_count (engine, "SELECT COUNT (*) FROM local_note"), ==, 1);
      config = gt_engine_get_config (engine);
      if (version >= 1)
        g_assert_cmpstr (json_object_get_string_member (config, "cinema"), ==, "Bioskop Lama");
      gt_core_unref_engine (&engine);
      gt_core_remove_dir (dir);
    }
}

static void
test_db_newer_schema_refused (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = gt_core_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "central.db", NULL);
  g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d",
                                                  gt_db_latest_version () + 1);
  g_autofree char *version = NULL;
  sqlite3         *db = NULL;
  GtEngine        *engine;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, set_version, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  engine = gt_engine_new (path, &error);
  g_assert_null (engine);
  g_assert_error (error, GT_ERROR, GT_ERROR_INTERNAL);

  /* The newer file is left as it was. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  version = pragma_text (db, "PRAGMA user_version");
  g_assert_cmpint (g_ascii_strtoll (version, NULL, 10), ==, gt_db_latest_version () + 1);
  sqlite3_close (db);
  gt_core_remove_dir (dir);
}

/* A file that is no database (a path mistyped onto another file): refused
 * with SQLite's reason and the path, so that whoever started the server
 * knows what to fix, and the file is left as it was. */
static void
test_db_not_a_database (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = gt_core_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "notes.txt", NULL);
  g_autofree char *after = NULL;
  const char      *text = "Shopping list: popcorn, cups, straws\n";
  GtEngine        *engine;

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_test_expect_message ("gt-db", G_LOG_LEVEL_WARNING, "*file is not a database*");
  engine = gt_engine_new (path, &error);
  g_test_assert_expected_messages ();
  g_assert_null (engine);
  g_assert_error (error, GT_ERROR, GT_ERROR_INTERNAL);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "not a database"));

  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, text);
  gt_core_remove_dir (dir);
}

static void
on_committed_cb (GtEngine *engine, gint64 rev, gpointer user_data)
{
  GArray *revs = user_data;

  g_array_append_val (revs, rev);
}

static gboolean
has_commits (gpointer user_data)
{
  GArray *revs = user_data;

  return revs->len > 0;
}

static void
test_db_committed_signal (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GArray) revs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) body = gt_core_json ("{\"seats\":[\"A1\"]}");
  g_autoptr (JsonObject) hold = NULL;
  gint64 rev_before = gt_engine_get_rev (f->engine);

  g_signal_connect (f->engine, "committed", G_CALLBACK (on_committed_cb), revs);

  /* Without group commit, each unit of work is durable when it returns. */
  gt_core_hold (f->engine, f->cashier, f->showtime_id, "A1", "A2", NULL);
  g_assert_cmpuint (revs->len, ==, 1);
  g_assert_cmpint (g_array_index (revs, gint64, 0), ==, gt_engine_get_rev (f->engine));
  g_assert_cmpint (gt_engine_get_rev (f->engine), >, rev_before);
  g_assert_false ((gt_engine_get_pending_group (f->engine) != 0));
  g_assert_cmpint (count_on_disk (f->path, "SELECT COUNT (*) FROM seat_claim"), ==, 2);

  /* A refused unit of work commits nothing and says nothing. */
  hold = gt_engine_create_hold (f->engine, f->cashier, f->showtime_id, body, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_SEAT_UNAVAILABLE);
  g_assert_null (hold);
  g_assert_cmpuint (revs->len, ==, 1);

  g_signal_handlers_disconnect_by_func (f->engine, on_committed_cb, revs);
}

static void
test_db_group_commit (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GArray) revs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GError) error = NULL;
  gint64 changes_before = count_on_disk (f->path, "SELECT COUNT (*) FROM change_log");

  g_signal_connect (f->engine, "committed", G_CALLBACK (on_committed_cb), revs);
  gt_engine_set_group_commit (f->engine, TRUE);

  gt_core_hold (f->engine, f->cashier, f->showtime_id, "A1", "A2", NULL);
  g_assert_true ((gt_engine_get_pending_group (f->engine) != 0));
  gt_core_hold (f->engine, f->cashier, f->showtime_id, "B1", NULL);
  g_assert_true ((gt_engine_get_pending_group (f->engine) != 0));
  g_assert_cmpuint (revs->len, ==, 0);

  /* The engine itself sees its work at once; the disk not yet. */
  g_assert_cmpint (gt_core_count (f->engine, "SELECT COUNT (*) FROM seat_claim"), ==, 3);
  g_assert_cmpint (count_on_disk (f->path, "SELECT COUNT (*) FROM seat_claim"), ==, 0);

  /* One commit for the group once the main loop is idle. */
  g_assert_true (gt_core_wait (has_commits, revs, 5000));
  g_assert_cmpuint (revs->len, ==, 1);
  g_assert_cmpint (g_array_index (revs, gint64, 0), ==, gt_engine_get_rev (f->engine));
  g_assert_false ((gt_engine_get_pending_group (f->engine) != 0));
  g_assert_cmpint (count_on_disk (f->path, "SELECT COUNT (*) FROM seat_claim"), ==, 3);
  g_assert_cmpint (count_on_disk (f->path, "SELECT COUNT (*) FROM hold"), ==, 2);
  g_assert_cmpint (count_on_disk (f->path, "SELECT COUNT (*) FROM change_log"), ==,
                   changes_before + 3);

  /* gt_engine_flush commits at once, without waiting for the loop. */
  gt_core_hold (f->engine, f->cashier, f->showtime_id, "C1", NULL);
  g_assert_true ((gt_engine_get_pending_group (f->engine) != 0));
  g_assert_true (gt_engine_flush (f->engine, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (revs->len, ==, 2);
  g_assert_false ((gt_engine_get_pending_group (f->engine) != 0));
  g_assert_cmpint (count_on_disk (f->path, "SELECT COUNT (*) FROM seat_claim"), ==, 4);

  /* A group that fails part-way keeps the units that succeeded. */
  {
    g_autoptr (JsonObject) body = gt_core_json ("{\"seats\":[\"C2\",\"C1\"]}");
    g_autoptr (JsonObject)
      hold = gt_engine_create_hold (f->engine, f->cashier, f->showtime_id, body, &error);

    gt_core_hold (f->engine, f->cashier, f->showtime_id, "C6", NULL);
    g_assert_error (error, GT_ERROR, GT_ERROR_SEAT_UNAVAILABLE);
    g_assert_null (hold);
    g_clear_error (&error);
    g_assert_true (gt_engine_flush (f->engine, &error));
    g_assert_no_error (error);
    g_assert_cmpint (count_on_disk (f->path, "SELECT COUNT (*) FROM seat_claim"), ==, 5);
    g_assert_cmpint (count_on_disk (f->path,
                                    "SELECT COUNT (*) FROM seat_claim WHERE seat_id = 'C2'"),
                     ==, 0);
  }

  /* Back to one commit per unit of work. */
  gt_engine_set_group_commit (f->engine, FALSE);
  gt_core_hold (f->engine, f->cashier, f->showtime_id, "C3", NULL);
  g_assert_false ((gt_engine_get_pending_group (f->engine) != 0));
  g_assert_cmpint (count_on_disk (f->path, "SELECT COUNT (*) FROM seat_claim"), ==, 6);

  g_signal_handlers_disconnect_by_func (f->engine, on_committed_cb, revs);
}

/* Work still in an open group when the engine goes away is not lost. */
static void
test_db_group_commit_on_close (GtCoreFixture *f, gconstpointer data)
{
  gt_engine_set_group_commit (f->engine, TRUE);
  gt_core_hold (f->engine, f->cashier, f->showtime_id, "A3", "A4", NULL);
  g_assert_true ((gt_engine_get_pending_group (f->engine) != 0));
  gt_core_unref_engine (&f->engine);
  g_assert_cmpint (count_on_disk (f->path, "SELECT COUNT (*) FROM seat_claim"), ==, 2);
}

/* A hold of @body's seats and its release, committed as one group; the
 * @n-th of a test that would never end without a bound. TRUE when the
 * group is durable. */
static gboolean
hold_release_group (GtCoreFixture *f, JsonObject *body, guint n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject)
    hold = gt_engine_create_hold (f->engine, f->cashier, f->showtime_id, body, &error);

  g_assert_no_error (error);
  g_assert_true (gt_engine_release_hold (f->engine, f->cashier,
                                         json_object_get_int_member (hold, "id"), &error));
  g_assert_cmpuint (n, <, 20000);
  return gt_engine_flush (f->engine, NULL);
}

/* In groups, the log is copied into the file on the checkpointer's thread
 * and started again from its beginning once long; a reader that still needs
 * it delays that without stopping the engine. */
static void
test_db_log_restarts (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (JsonObject) body = gt_core_json ("{\"seats\":[\"A1\",\"A2\",\"A3\",\"B1\",\"C6\"]}");
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  sqlite3         *reader = NULL;
  int              longest = 0;
  guint            restarts = 0;
  guint            groups = 0;

  gt_engine_set_group_commit (f->engine, TRUE);

  /* A reader in the middle of a transaction: the log must stay. */
  g_assert_cmpint (sqlite3_open_v2 (f->path, &reader, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (reader, "BEGIN; SELECT COUNT (*) FROM hold", NULL, NULL, NULL), ==,
                   SQLITE_OK);

  for (; f->engine->wal_frames < WAL_RESTART_FRAMES + CHECKPOINT_STEP; groups++)
    g_assert_true (hold_release_group (f, body, groups));

  /* Once it has ended, the next long log starts again, and again. */
  sqlite3_close (reader);
  for (; restarts < 2; groups++)
    {
      int before = f->engine->wal_frames;

      g_assert_true (hold_release_group (f, body, groups));
      if (f->engine->wal_frames < before)
        restarts++;
      else if (restarts > 0)
        longest = MAX (longest, f->engine->wal_frames);
    }
  /* Never much longer than the engine lets it grow. It may start again
   * sooner: SQLite itself does so at a write that finds the checkpointer
   * has copied all of it, which a slow engine lets happen. */
  g_assert_cmpint (longest, <, WAL_RESTART_FRAMES + 2 * CHECKPOINT_STEP + 100);

  /* Everything is there, in a sound file, after the engine is gone. */
  gt_core_unref_engine (&f->engine);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_cmpint (count_on_disk (f->path, "SELECT COUNT (*) FROM hold WHERE state = 'released'"),
                   ==, groups);
  g_assert_cmpint (count_on_disk (f->path, "SELECT COUNT (*) FROM seat_claim"), ==, 0);
  {
    sqlite3         *db = NULL;
    g_autofree char *check = NULL;

    g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    check = pragma_text (db, "PRAGMA integrity_check");
    sqlite3_close (db);
    g_assert_cmpstr (check, ==, "ok");
  }
}

/* The salts in the log's header: new ones each time it starts again. */
static guint64
log_salts (const char *wal)
{
  FILE   *file = fopen (wal, "rb");
  guint8  header[32];
  guint64 salts;

  g_assert_nonnull (file);
  g_assert_cmpuint (fread (header, 1, sizeof header, file), ==, sizeof header);
  fclose (file);
  memcpy (&salts, header + 16, sizeof salts);
  return salts;
}

static gboolean
disk_failed (gpointer user_data)
{
  return gt_engine_get_disk_failed (user_data);
}

/* A failed checkpoint is for good, as a failed fsync is: the passes before
 * it may have copied pages into the file without syncing it, and the next
 * pass's sync would not say they were lost. So the engine stops saying
 * anything is saved at once, the log is never started again, and closing
 * leaves it whole for the next start. */
static void
test_db_checkpoint_failure (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (JsonObject) body = gt_core_json ("{\"seats\":[\"A1\",\"A2\",\"A3\",\"B1\",\"C6\"]}");
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  guint            groups = 0;
  int              longest = 0;
  guint64          salts;

  gt_engine_set_group_commit (f->engine, TRUE);
  g_assert_true (hold_release_group (f, body, groups++));
  _gt_checkpointer_fail_next_pass (f->engine->checkpointer, SQLITE_IOERR_FSYNC);
  g_test_expect_message ("gt-checkpointer", G_LOG_LEVEL_WARNING,
                         "Could not copy the log into the database*stays in the log*");
  g_test_expect_message ("gt-engine", G_LOG_LEVEL_WARNING, "Cannot make the database durable*");
  gt_checkpointer_request (f->engine->checkpointer);
  g_assert_true (gt_core_wait (disk_failed, f->engine, 5000));
  g_test_assert_expected_messages ();

  /* Past where the log would have started again, and a pass after. */
  for (; f->engine->wal_frames < WAL_RESTART_FRAMES + 3 * CHECKPOINT_STEP; groups++)
    {
      g_assert_false (hold_release_group (f, body, groups));
      g_assert_cmpint (f->engine->wal_frames, >=, longest);
      longest = f->engine->wal_frames;
    }

  /* Out of groups, SQLite's own checkpoints would start it again. */
  salts = log_salts (wal);
  gt_engine_set_group_commit (f->engine, FALSE);
  for (guint i = 0; i < 150; i++, groups++)
    hold_release_group (f, body, groups);
  g_assert_cmphex (log_salts (wal), ==, salts);

  gt_core_unref_engine (&f->engine);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_cmpint (count_on_disk (f->path, "SELECT COUNT (*) FROM hold WHERE state = 'released'"),
                   ==, groups);
}

static gboolean
has_three_commits (gpointer user_data)
{
  GArray *revs = user_data;

  return revs->len >= 3;
}

/* A failed fsync is for good: Linux may have dropped the pages, so the log
 * may have a hole, and the groups after it are lost too even when their own
 * fsync works. */
static void
test_db_disk_failure (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GArray) revs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GError) error = NULL;

  g_signal_connect (f->engine, "committed", G_CALLBACK (on_committed_cb), revs);
  gt_engine_set_group_commit (f->engine, TRUE);

  gt_core_hold (f->engine, f->cashier, f->showtime_id, "A1", NULL);
  g_assert_true (gt_engine_flush (f->engine, &error));
  g_assert_no_error (error);
  g_assert_false (gt_engine_get_disk_failed (f->engine));
  g_assert_cmpint (g_array_index (revs, gint64, 0), >, 0);

  gt_core_hold (f->engine, f->cashier, f->showtime_id, "A2", NULL);
  _gt_engine_fail_next_sync (f->engine, EIO);
  g_test_expect_message ("gt-engine", G_LOG_LEVEL_WARNING, "Cannot make the database durable*");
  g_assert_false (gt_engine_flush (f->engine, &error));
  g_test_assert_expected_messages ();
  g_assert_error (error, GT_ERROR, GT_ERROR_INTERNAL);
  g_assert_true (gt_engine_get_disk_failed (f->engine));
  g_assert_cmpint (g_array_index (revs, gint64, 1), ==, -1);

  /* The next group goes through the sync thread, and its fsync works. */
  gt_core_hold (f->engine, f->cashier, f->showtime_id, "A3", NULL);
  g_assert_true (gt_core_wait (has_three_commits, revs, 5000));
  g_assert_cmpint (g_array_index (revs, gint64, 2), ==, -1);
  g_assert_true (gt_engine_get_disk_failed (f->engine));

  g_signal_handlers_disconnect_by_func (f->engine, on_committed_cb, revs);
}

static void
exec_ok (sqlite3 *db, const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* The engine's connections gather the log's writes (gt-wal-vfs.c). What
 * they commit is whole for any other connection, however large; and frames
 * a rollback abandoned never land on what another connection committed. */
static void
test_db_log_writes_gathered (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = gt_core_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "log.db", NULL);
  g_autofree char *check = NULL;
  g_autofree char *from_b = NULL;
  GtDb            *gathering = gt_db_open_with (path, NULL, 0, &error);
  sqlite3         *a;
  sqlite3         *b = NULL;
  sqlite3         *c = NULL;

  g_assert_no_error (error);
  a = gt_db_handle (gathering);
  g_assert_cmpint (sqlite3_open (path, &b), ==, SQLITE_OK);

  /* About 6 MB in one commit: past what the unix VFS writes in one call,
   * and past what the log VFS gathers before writing. */
  exec_ok (a, "CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB);"
              "BEGIN;"
              "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
              " INSERT INTO t SELECT i, randomblob (3000) FROM n;"
              "COMMIT");
  check = pragma_text (b, "SELECT COUNT (*) || ' ' || SUM (LENGTH (v)) FROM t");
  g_assert_cmpstr (check, ==, "2000 6000000");
  g_clear_pointer (&check, g_free);

  /* A small cache makes this transaction write frames before its end. */
  exec_ok (a, "PRAGMA cache_size = 16;"
              "BEGIN;"
              "UPDATE t SET v = randomblob (3000) WHERE k <= 500;"
              "ROLLBACK");
  exec_ok (b, "INSERT INTO t VALUES (5000, 'from b')");
  exec_ok (a, "INSERT INTO t VALUES (5001, 'from a')");

  g_assert_cmpint (sqlite3_open (path, &c), ==, SQLITE_OK);
  check = pragma_text (c, "PRAGMA integrity_check");
  from_b = pragma_text (c, "SELECT v FROM t WHERE k = 5000");
  g_assert_cmpstr (check, ==, "ok");
  g_assert_cmpstr (from_b, ==, "from b");
  g_assert_cmpint (count_on_disk (path, "SELECT COUNT (*) FROM t"), ==, 2002);

  sqlite3_close (c);
  sqlite3_close (b);
  gt_db_free (gathering);
  gt_core_remove_dir (dir);
}

static void
test_db_demo (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = gt_core_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "central.db", NULL);
  g_autoptr (JsonObject) answer = NULL;
  GtEngine *engine = gt_engine_new (path, &error);

  g_assert_no_error (error);
  g_assert_true (gt_engine_is_empty (engine));
  g_assert_true (gt_engine_load_demo (engine, &error));
  g_assert_no_error (error);
  g_assert_false (gt_engine_is_empty (engine));

  g_assert_cmpint (gt_core_count (engine, "SELECT COUNT (*) FROM movie"), >=, 4);
  g_assert_cmpint (gt_core_count (engine, "SELECT COUNT (*) FROM auditorium"), ==, 3);
  g_assert_cmpint (gt_core_count (engine, "SELECT MAX (n) FROM (SELECT COUNT (*) AS n FROM seat"
                                          " GROUP BY auditorium_id)"),
                   >=, 300);
  g_assert_cmpint (gt_core_count (engine, "SELECT COUNT (DISTINCT type) FROM seat"
                                          " WHERE type IN ('premium', 'wheelchair', 'companion')"),
                   ==, 3);
  /* At least three showtimes per auditorium per day, today and the next 7 days. */
  g_assert_cmpint (gt_core_count (engine, "SELECT MIN (n) FROM (SELECT COUNT (*) AS n FROM showtime"
                                          " GROUP BY auditorium_id, (starts_at / 86400000000))"),
                   >=, 3);
  g_assert_cmpint (gt_core_count (engine, "SELECT COUNT (*) FROM showtime"), >=, 3 * 3 * 8);
  g_assert_cmpint (gt_core_count (engine, "SELECT COUNT (*) FROM user WHERE (username, role) IN"
                                          " (VALUES ('admin', 'admin'), ('manager', 'manager'),"
                                          " ('cashier', 'cashier'), ('cashier2', 'cashier'))"),
                   ==, 4);

  /* The demo passwords work. */
  answer = gt_core_login (engine, "cashier", "cashier", &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);

  /* Only into an empty database. */
  g_assert_false (gt_engine_load_demo (engine, &error));
  g_assert_nonnull (error);

  gt_core_unref_engine (&engine);
  gt_core_remove_dir (dir);
}

int
main (int argc, char *argv[])
{
  gt_core_init (&argc, &argv);

  gt_core_add_func ("/core/db/pragmas", test_db_pragmas);
  gt_core_add_func ("/core/db/foreign-keys", test_db_foreign_keys);
  gt_core_add_func ("/core/db/reopen-keeps-data", test_db_reopen_keeps_data);
  gt_core_add_func ("/core/db/migrate-older", test_db_migrate_older);
  gt_core_add_func ("/core/db/newer-schema-refused", test_db_newer_schema_refused);
  gt_core_add_func ("/core/db/not-a-database", test_db_not_a_database);
  gt_core_add ("/core/db/committed-signal", test_db_committed_signal);
  gt_core_add ("/core/db/group-commit", test_db_group_commit);
  gt_core_add ("/core/db/group-commit-on-close", test_db_group_commit_on_close);
  gt_core_add ("/core/db/log-restarts", test_db_log_restarts);
  gt_core_add ("/core/db/disk-failure", test_db_disk_failure);
  gt_core_add ("/core/db/checkpoint-failure", test_db_checkpoint_failure);
  gt_core_add_func ("/core/db/log-writes-gathered", test_db_log_writes_gathered);
  gt_core_add_func ("/core/db/demo", test_db_demo);

  return g_test_run ();
}
