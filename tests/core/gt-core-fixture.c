/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-core-test"

#include "config.h"

#include <glib/gstdio.h>
#include <stdarg.h>

#include "gt-core-fixture.h"

char *
gt_core_make_tmpdir (void)
{
  g_autoptr (GError) error = NULL;
  const char *parent = g_getenv ("GT_CORE_TEST_DIR");
  char       *dir;

  /* Inside a case's subprocess, under the directory its parent removes
   * even when the case fails half-way. */
  if (parent != NULL)
    {
      dir = g_build_filename (parent, "gt-core-XXXXXX", NULL);
      g_assert_nonnull (g_mkdtemp (dir));
      return dir;
    }
  dir = g_dir_make_tmp ("gt-core-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

void
gt_core_remove_dir (const char *dir)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *file = g_build_filename (dir, name, NULL);

      if (g_file_test (file, G_FILE_TEST_IS_DIR) && !g_file_test (file, G_FILE_TEST_IS_SYMLINK))
        gt_core_remove_dir (file);
      else
        g_unlink (file);
    }
  g_rmdir (dir);
}

JsonObject *
gt_core_json (const char *format, ...)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  JsonNode        *root;
  va_list          args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

static void
on_login_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

JsonObject *
gt_core_login (GtEngine *engine, const char *username, const char *password, GError **error)
{
  g_autoptr (JsonObject) body = json_object_new ();
  g_autoptr (GAsyncResult) result = NULL;

  json_object_set_string_member (body, "username", username);
  json_object_set_string_member (body, "password", password);
  json_object_set_string_member (body, "counter", "Counter 1");
  gt_engine_login_async (engine, body, NULL, on_login_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return gt_engine_login_finish (engine, result, error);
}

gint64
gt_core_create_user (GtEngine *engine, const char *username, const char *role)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (JsonObject) user = NULL;

  body = gt_core_json ("{\"username\":\"%s\",\"password\":\"%s-pw\",\"role\":\"%s\"}", username,
                       username, role);
  user = gt_engine_create_user (engine, NULL, body, &error);
  g_assert_no_error (error);
  g_assert_nonnull (user);
  return json_object_get_int_member (user, "id");
}

GtPrincipal *
gt_core_sign_in (GtEngine *engine, const char *username, const char *role, char **token)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = NULL;
  g_autofree char *password = g_strdup_printf ("%s-pw", username);
  GtPrincipal     *principal;
  sqlite3_stmt    *stmt = NULL;
  gboolean         exists;

  sqlite3_prepare_v2 (gt_db_handle (engine->db), "SELECT 1 FROM user WHERE username = ?", -1, &stmt,
                      NULL);
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_TRANSIENT);
  exists = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  if (!exists)
    gt_core_create_user (engine, username, role);

  answer = gt_core_login (engine, username, password, &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  principal = gt_engine_authenticate (engine, json_object_get_string_member (answer, "token"),
                                      &error);
  g_assert_no_error (error);
  g_assert_nonnull (principal);
  g_assert_cmpstr (principal->username, ==, username);
  if (token != NULL)
    *token = g_strdup (json_object_get_string_member (answer, "token"));
  return principal;
}

gint64
gt_core_add_movie (GtEngine *engine, const char *title, int minutes)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (JsonObject) movie = NULL;

  body = gt_core_json ("{\"title\":\"%s\",\"duration_minutes\":%d,\"rating\":\"13+\","
                       "\"genres\":[\"Drama\"]}",
                       title, minutes);
  movie = gt_engine_create_movie (engine, NULL, body, &error);
  g_assert_no_error (error);
  g_assert_nonnull (movie);
  return json_object_get_int_member (movie, "id");
}

char *
gt_core_grid_layout (int n_rows, int n_seats)
{
  GString *text = g_string_new ("{\"rows\":[");

  for (int r = 0; r < n_rows; r++)
    {
      g_string_append_printf (text, "%s{\"label\":\"%c\",\"seats\":[", r ? "," : "", 'A' + r);
      for (int s = 1; s <= n_seats; s++)
        g_string_append_printf (text, "%s{\"number\":%d}", s > 1 ? "," : "", s);
      g_string_append (text, "]}");
    }
  g_string_append (text, "]}");
  return g_string_free (text, FALSE);
}

gint64
gt_core_add_auditorium (GtEngine *engine, const char *name, const char *layout_json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (JsonObject) auditorium = NULL;

  body = gt_core_json ("{\"name\":\"%s\",\"layout\":%s}", name, layout_json);
  auditorium = gt_engine_create_auditorium (engine, NULL, body, &error);
  g_assert_no_error (error);
  g_assert_nonnull (auditorium);
  return json_object_get_int_member (auditorium, "id");
}

gint64
gt_core_minutes_from_now (GtEngine *engine, int minutes)
{
  gint64 now = gt_engine_now (engine);

  now -= now % G_TIME_SPAN_MINUTE;
  return now + (gint64) (minutes + 1) * G_TIME_SPAN_MINUTE;
}

gint64
gt_core_add_showtime (GtEngine *engine, gint64 movie_id, gint64 auditorium_id, gint64 starts_at)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (JsonObject) showtime = NULL;
  g_autofree char *starts = gt_time_format (starts_at);

  body = gt_core_json ("{\"movie_id\":%" G_GINT64_FORMAT ",\"auditorium_id\":%" G_GINT64_FORMAT
                       ",\"starts_at\":\"%s\",\"prices\":{\"adult\":%d,\"child\":%d}}",
                       movie_id, auditorium_id, starts, GT_CORE_PRICE_ADULT, GT_CORE_PRICE_CHILD);
  showtime = gt_engine_create_showtime (engine, NULL, body, &error);
  g_assert_no_error (error);
  g_assert_nonnull (showtime);
  return json_object_get_int_member (showtime, "id");
}

gint64
gt_core_hold (GtEngine    *engine,
              GtPrincipal *principal,
              gint64       showtime_id,
              const char  *first_seat,
              ...)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) body = json_object_new ();
  g_autoptr (JsonObject) hold = NULL;
  JsonArray *seats = json_array_new ();
  va_list    args;

  va_start (args, first_seat);
  for (const char *seat = first_seat; seat != NULL; seat = va_arg (args, const char *))
    json_array_add_string_element (seats, seat);
  va_end (args);
  json_object_set_array_member (body, "seats", seats);

  hold = gt_engine_create_hold (engine, principal, showtime_id, body, &error);
  g_assert_no_error (error);
  g_assert_nonnull (hold);
  return json_object_get_int_member (hold, "id");
}

char *
gt_core_seat_state (GtEngine *engine, GtPrincipal *principal, gint64 showtime_id, const char *seat)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = gt_engine_get_seats (engine, principal, showtime_id, &error);
  JsonArray *seats;

  g_assert_no_error (error);
  g_assert_nonnull (answer);
  seats = json_object_get_array_member (answer, "seats");
  for (guint i = 0; i < json_array_get_length (seats); i++)
    {
      JsonObject *s = json_array_get_object_element (seats, i);

      if (g_str_equal (json_object_get_string_member (s, "id"), seat))
        return g_strdup (json_object_get_string_member (s, "state"));
    }
  g_assert_not_reached ();
  return NULL;
}

gint64
gt_core_count (GtEngine *engine, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64        value;

  g_assert_cmpint (sqlite3_prepare_v2 (gt_db_handle (engine->db), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static gboolean
on_wait_timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
on_wait_tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
gt_core_wait (gboolean (*done) (gpointer), gpointer user_data, guint timeout_ms)
{
  gboolean timed_out = FALSE;
  guint    id = g_timeout_add (timeout_ms, on_wait_timeout_cb, &timed_out);
  /* Wakes the loop now and then for conditions that change off the loop. */
  guint tick = g_timeout_add (10, on_wait_tick_cb, NULL);

  while (!done (user_data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_source_remove (tick);
  return done (user_data);
}

static gboolean
is_null (gpointer user_data)
{
  return *(gpointer *) user_data == NULL;
}

void
gt_core_unref_engine (GtEngine **engine)
{
  if (*engine == NULL)
    return;
  /* A login's worker thread may drop its reference a moment after the
   * answer arrived, so give it time; a leaked reference still fails. */
  g_object_add_weak_pointer (G_OBJECT (*engine), (gpointer *) engine);
  g_object_unref (*engine);
  g_assert_true (gt_core_wait (is_null, engine, 5000));
}

guint
gt_core_array_length (JsonObject *object, const char *member)
{
  g_assert_true (json_object_has_member (object, member));
  return json_array_get_length (json_object_get_array_member (object, member));
}

const char *
gt_core_error_field (const GError *error)
{
  JsonObject *details = gt_error_get_details (error);

  g_assert_nonnull (details);
  return json_object_get_string_member (details, "field");
}

void
gt_core_fixture_set_up (GtCoreFixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *layout = gt_core_grid_layout (3, 6);

  fixture->dir = gt_core_make_tmpdir ();
  fixture->path = g_build_filename (fixture->dir, "central.db", NULL);
  fixture->engine = gt_engine_new (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->engine);

  fixture->cashier = gt_core_sign_in (fixture->engine, "cashier", "cashier",
                                      &fixture->cashier_token);
  fixture->movie_id = gt_core_add_movie (fixture->engine, "The Lantern Keeper",
                                         GT_CORE_MOVIE_MINUTES);
  fixture->auditorium_id = gt_core_add_auditorium (fixture->engine, "Studio 1", layout);
  fixture->starts_at = gt_core_minutes_from_now (fixture->engine, 120);
  fixture->showtime_id = gt_core_add_showtime (fixture->engine, fixture->movie_id,
                                               fixture->auditorium_id, fixture->starts_at);
}

void
gt_core_fixture_tear_down (GtCoreFixture *fixture, gconstpointer data)
{
  g_clear_pointer (&fixture->cashier, gt_principal_free);
  g_clear_pointer (&fixture->cashier_token, g_free);
  gt_core_unref_engine (&fixture->engine);
  gt_core_remove_dir (fixture->dir);
  g_clear_pointer (&fixture->path, g_free);
  g_clear_pointer (&fixture->dir, g_free);
}

typedef struct
{
  void (*fixture_func) (GtCoreFixture *, gconstpointer);
  void (*func) (void);
} GtCoreCase;

/* Each case runs in a subprocess, so that one failing case does not hide
 * the others: the parent reports it and goes on. */
static void
run_case (gconstpointer data)
{
  const GtCoreCase *c = data;

  if (g_test_subprocess ())
    {
      if (c->fixture_func != NULL)
        {
          GtCoreFixture fixture = { 0 };

          gt_core_fixture_set_up (&fixture, NULL);
          c->fixture_func (&fixture, NULL);
          gt_core_fixture_tear_down (&fixture, NULL);
        }
      else
        c->func ();
      return;
    }

  {
    g_autofree char *dir = gt_core_make_tmpdir ();

    g_setenv ("GT_CORE_TEST_DIR", dir, TRUE);
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_unsetenv ("GT_CORE_TEST_DIR");
    gt_core_remove_dir (dir);
    g_test_trap_assert_passed ();
  }
}

void
gt_core_init (int *argc, char ***argv)
{
  g_test_init (argc, argv, NULL);
  if (!g_test_subprocess ())
    g_test_set_nonfatal_assertions ();
}

void
gt_core_add (const char *path, void (*func) (GtCoreFixture *, gconstpointer))
{
  GtCoreCase *c = g_new0 (GtCoreCase, 1);

  c->fixture_func = func;
  g_test_add_data_func_full (path, c, run_case, g_free);
}

void
gt_core_add_func (const char *path, void (*func) (void))
{
  GtCoreCase *c = g_new0 (GtCoreCase, 1);

  c->func = func;
  g_test_add_data_func_full (path, c, run_case, g_free);
}
