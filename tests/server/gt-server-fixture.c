/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-test"

#include "config.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gt-server-fixture.h"

static GPtrArray   *servers;
static SoupSession *session;

static char *
env_name (const char *name)
{
  g_autofree char *upper = g_ascii_strup (name, -1);

  return g_strconcat ("GT_TEST_SERVER_URL_", upper, NULL);
}

/* A test process that ends early must not leave its servers running: they
 * hold the test runner's output pipe open, and it would wait for them. */
static void
kill_servers (void)
{
  for (guint i = 0; servers != NULL && i < servers->len; i++)
    gt_test_server_kill (g_ptr_array_index (servers, i));
}

void
gt_fixture_init (int *argc, char ***argv)
{
  static GPtrArray *args;

  /* Every case runs even after one fails (GTest stops at the first
   * otherwise), so a report lists all of the server's faults at once. */
  args = g_ptr_array_new ();
  for (int i = 0; i < *argc; i++)
    g_ptr_array_add (args, (*argv)[i]);
  g_ptr_array_add (args, (gpointer) "--keep-going");
  *argc = args->len;
  g_ptr_array_add (args, NULL);
  *argv = (char **) args->pdata;

  g_test_init (argc, argv, NULL);
  servers = g_ptr_array_new ();
  atexit (kill_servers);
}

GtTestServer *
gt_fixture_server (const char *name, const char *const *extra_args)
{
  g_autofree char *var = env_name (name);
  GtTestServer    *server;

  if (g_test_subprocess ())
    {
      const char *url = g_getenv (var);

      g_assert_nonnull (url);
      server = g_new0 (GtTestServer, 1);
      server->url = g_strdup (url);
      return server;
    }

  server = gt_test_server_start (NULL, extra_args);
  g_setenv (var, server->url, TRUE);
  g_ptr_array_add (servers, server);
  return server;
}

static void
run_case (gconstpointer data)
{
  void (*func) (void) = (void (*) (void)) data;

  if (g_test_subprocess ())
    {
      func ();
      return;
    }
  /* Not inheriting stdout: the child's TAP lines would confuse the parent's. */
  g_test_trap_subprocess (NULL, 90 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  if (!g_test_trap_has_passed ())
    g_test_fail_printf ("the case failed in its subprocess (its message is on stderr above)");
}

void
gt_fixture_add (const char *path, void (*func) (void))
{
  g_test_add_data_func (path, (gconstpointer) func, run_case);
}

int
gt_fixture_run (void)
{
  int ret = g_test_run ();

  for (guint i = 0; i < servers->len; i++)
    {
      GtTestServer *server = g_ptr_array_index (servers, i);
      int           status = gt_test_server_stop (server);

      if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
        {
          g_printerr ("go-ticket-server %s did not exit cleanly on SIGTERM (status %d)\n",
                      server->url, status);
          ret = 1;
        }
      gt_test_server_free (server);
    }
  g_clear_pointer (&servers, g_ptr_array_unref);
  g_clear_object (&session);
  return ret;
}

SoupSession *
gt_fixture_session (void)
{
  if (session == NULL)
    session = soup_session_new_with_options ("timeout", 30, NULL);
  return session;
}

void
gt_assert_error_shape (JsonNode *node)
{
  g_autofree char *text = NULL;
  g_autofree char *lower = NULL;
  JsonObject      *root;
  JsonObject      *error;
  JsonNode        *details;

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  root = json_node_get_object (node);
  g_assert_cmpuint (json_object_get_size (root), ==, 1);
  g_assert_true (json_object_has_member (root, "error"));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "error")));
  error = json_object_get_object_member (root, "error");
  g_assert_true (json_object_has_member (error, "code"));
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (error, "code")), ==,
                   G_TYPE_STRING);
  g_assert_true (json_object_has_member (error, "message"));
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (error, "message")), ==,
                   G_TYPE_STRING);
  g_assert_cmpstr (json_object_get_string_member (error, "message"), !=, "");
  details = json_object_get_member (error, "details");
  if (details != NULL)
    g_assert_true (JSON_NODE_HOLDS_OBJECT (details));

  text = json_to_string (node, FALSE);
  lower = g_ascii_strdown (text, -1);
  g_assert_null (strstr (lower, "sql"));
  g_assert_null (strstr (lower, "constraint"));
  g_assert_null (strstr (lower, ".c:"));
}

JsonObject *
gt_error_details (JsonNode *node)
{
  JsonObject *error = json_object_get_object_member (json_node_get_object (node), "error");

  g_assert_true (json_object_has_member (error, "details"));
  return json_object_get_object_member (error, "details");
}

JsonNode *
_gt_api (const char   *file,
         int           line,
         const char   *func,
         GtTestServer *server,
         const char   *method,
         const char   *path,
         const char   *token,
         const char   *body,
         guint         expected_status,
         const char   *code)
{
  g_autoptr (JsonNode) node = NULL;
  guint status = 0;

  node = gt_test_request (gt_fixture_session (), server, method, path, token, body, &status);
  if (status != expected_status
      || (code != NULL && g_strcmp0 (gt_test_error_code (node), code) != 0))
    {
      g_autofree char *text = node ? json_to_string (node, FALSE) : g_strdup ("(empty)");
      g_autofree char *msg = g_strdup_printf ("%s %s: expected %u%s%s, got %u %.600s", method, path,
                                              expected_status, code ? " " : "", code ? code : "",
                                              status, text);

      g_assertion_message (G_LOG_DOMAIN, file, line, func, msg);
    }
  if (code != NULL)
    gt_assert_error_shape (node);
  return g_steal_pointer (&node);
}

char *
gt_login (GtTestServer *server, const char *username)
{
  return gt_test_login (gt_fixture_session (), server, username, username);
}

char *
gt_unique (const char *prefix)
{
  static guint counter;

  return g_strdup_printf ("%s %d-%u", prefix, (int) getpid (), ++counter);
}

char *
gt_time_format (gint64 unix_time)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

gint64
gt_time_parse (const char *rfc3339)
{
  g_autoptr (GDateTime) dt = NULL;

  g_assert_nonnull (rfc3339);
  g_assert_true (g_str_has_suffix (rfc3339, "Z"));
  dt = g_date_time_new_from_iso8601 (rfc3339, NULL);
  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

gint64
gt_day_start (int days, int minutes)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  return now - now % 86400 + (gint64) days * 86400 + (gint64) minutes * 60;
}

gint64
gt_create_movie (GtTestServer *server, const char *token, int duration_minutes)
{
  g_autofree char *title = gt_unique ("Movie");
  g_autofree char *body =
    g_strdup_printf ("{\"title\":\"%s\",\"synopsis\":\"A test film\",\"duration_minutes\":%d,"
                     "\"rating\":\"13+\",\"genres\":[\"Drama\"]}",
                     title, duration_minutes);
  g_autoptr (JsonNode) node = gt_api (server, "POST", "/movies", token, body, 201);

  return json_object_get_int_member (json_node_get_object (node), "id");
}

gint64
gt_create_auditorium (GtTestServer *server,
                      const char   *token,
                      int           rows,
                      int           per_row,
                      int           aisle_after)
{
  g_autofree char *name = gt_unique ("Studio");
  g_autoptr (GString) body = g_string_new (NULL);
  g_autoptr (JsonNode) node = NULL;

  g_string_append_printf (body, "{\"name\":\"%s\",\"layout\":{\"rows\":[", name);
  for (int r = 0; r < rows; r++)
    {
      char label = 'A' + r;

      g_string_append_printf (body, "%s{\"label\":\"%c\",\"seats\":[", r ? "," : "", label);
      for (int n = 1; n <= per_row; n++)
        {
          int x = n - 1 + (aisle_after > 0 && n > aisle_after ? 1 : 0);

          g_string_append_printf (body,
                                  "%s{\"id\":\"%c%d\",\"number\":%d,\"x\":%d,"
                                  "\"type\":\"standard\"}",
                                  n > 1 ? "," : "", label, n, n, x);
        }
      g_string_append (body, "]}");
    }
  g_string_append (body, "]}}");

  node = gt_api (server, "POST", "/auditoriums", token, body->str, 201);
  return json_object_get_int_member (json_node_get_object (node), "id");
}

gint64
gt_create_showtime (GtTestServer *server,
                    const char   *token,
                    gint64        movie_id,
                    gint64        auditorium_id,
                    gint64        starts_at)
{
  g_autofree char *start = gt_time_format (starts_at);
  g_autofree char *body =
    g_strdup_printf ("{\"movie_id\":%" G_GINT64_FORMAT ",\"auditorium_id\":%" G_GINT64_FORMAT ","
                     "\"starts_at\":\"%s\",\"prices\":{\"adult\":50000,\"child\":35000}}",
                     movie_id, auditorium_id, start);
  g_autoptr (JsonNode) node = gt_api (server, "POST", "/showtimes", token, body, 201);

  return json_object_get_int_member (json_node_get_object (node), "id");
}

gint64
gt_create_setup (GtTestServer *server, const char *manager_token, int days)
{
  gint64 movie = gt_create_movie (server, manager_token, 100);
  gint64 auditorium = gt_create_auditorium (server, manager_token, 5, 8, 4);

  return gt_create_showtime (server, manager_token, movie, auditorium,
                             gt_day_start (days, 13 * 60));
}

char *
gt_seat_state (GtTestServer *server,
               const char   *token,
               gint64        showtime_id,
               const char   *seat,
               gint64       *hold_id)
{
  g_autofree char *path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/seats", showtime_id);
  g_autoptr (JsonNode) node = gt_api (server, "GET", path, token, NULL, 200);
  JsonArray *seats = json_object_get_array_member (json_node_get_object (node), "seats");

  for (guint i = 0; i < json_array_get_length (seats); i++)
    {
      JsonObject *s = json_array_get_object_element (seats, i);

      if (g_strcmp0 (json_object_get_string_member (s, "id"), seat) != 0)
        continue;
      if (hold_id != NULL)
        *hold_id = json_object_get_int_member_with_default (s, "hold_id", 0);
      return g_strdup (json_object_get_string_member (s, "state"));
    }
  g_assertion_message_cmpstr (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, "seat", seat, "in",
                              "GET seats");
  return NULL;
}

gint64
gt_hold (GtTestServer *server, const char *token, gint64 showtime_id, const char *seats_json)
{
  g_autofree char *path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/holds", showtime_id);
  g_autofree char *body = g_strdup_printf ("{\"seats\":%s}", seats_json);
  g_autoptr (JsonNode) node = gt_api (server, "POST", path, token, body, 201);

  return json_object_get_int_member (json_node_get_object (node), "id");
}

JsonNode *
gt_checkout (GtTestServer *server,
             const char   *token,
             gint64        hold_id,
             const char   *idempotency_key,
             const char   *body,
             guint        *status)
{
  g_autofree char *path = g_strdup_printf ("/holds/%" G_GINT64_FORMAT "/checkout", hold_id);
  g_autofree char *key = idempotency_key ? g_strdup (idempotency_key) : g_uuid_string_random ();
  const char      *headers[] = { "Idempotency-Key", key, NULL };
  g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));

  return gt_test_request_full (gt_fixture_session (), server->url, "POST", path, token, headers,
                               bytes, status, NULL);
}

JsonNode *
gt_sell (GtTestServer *server, const char *token, gint64 showtime_id, const char *seats_json)
{
  gint64 hold_id = gt_hold (server, token, showtime_id, seats_json);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GString) body = g_string_new ("{\"tickets\":[");
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *text = NULL;
  JsonArray       *seats;
  guint            status = 0;

  g_assert_true (json_parser_load_from_data (parser, seats_json, -1, NULL));
  seats = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (seats); i++)
    g_string_append_printf (body, "%s{\"seat\":\"%s\",\"type\":\"adult\"}", i ? "," : "",
                            json_array_get_string_element (seats, i));
  g_string_append_printf (body, "],\"payment\":{\"method\":\"cash\",\"tendered\":%u}}",
                          50000 * json_array_get_length (seats));

  node = gt_checkout (server, token, hold_id, NULL, body->str, &status);
  text = node ? json_to_string (node, FALSE) : g_strdup ("");
  if (status != 201)
    g_error ("checkout answered %u: %s", status, text);
  return g_steal_pointer (&node);
}

static gboolean
quit_cb (gpointer data)
{
  gboolean *done = data;

  *done = TRUE;
  return G_SOURCE_REMOVE;
}

void
gt_wait_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, quit_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

void
gt_assert_seat_state (GtTestServer *srv,
                      const char   *token,
                      gint64        showtime,
                      const char   *seat,
                      const char   *state)
{
  g_autofree char *actual = gt_seat_state (srv, token, showtime, seat, NULL);

  if (g_strcmp0 (actual, state) != 0)
    g_error ("seat %s of showtime %" G_GINT64_FORMAT ": expected %s, got %s", seat, showtime, state,
             actual);
}
