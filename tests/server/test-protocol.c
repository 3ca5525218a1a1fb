/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-protocol"

#include "config.h"

#include <glib/gstdio.h>
#include <sys/wait.h>

#include "gt-server-fixture.h"

static GtTestServer *server;

static void
test_health (void)
{
  g_autoptr (JsonNode) node = gt_api (server, "GET", "/health", NULL, NULL, 200);
  JsonObject *root = json_node_get_object (node);

  g_assert_cmpstr (json_object_get_string_member (root, "status"), ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (root, "version"), ==, PACKAGE_VERSION);
}

static void
test_config (void)
{
  g_autoptr (JsonNode) node = gt_api (server, "GET", "/config", NULL, NULL, 200);
  JsonObject *root = json_node_get_object (node);
  g_autoptr (GTimeZone) tz = NULL;
  g_autofree guchar *key = NULL;
  gsize              key_len = 0;

  g_assert_cmpint (json_node_get_value_type (json_object_get_member (root, "cinema")), ==,
                   G_TYPE_STRING);
  g_assert_cmpstr (json_object_get_string_member (root, "currency"), ==, "IDR");
  g_assert_cmpint (json_object_get_int_member (root, "currency_decimals"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (root, "timezone"), ==, "Asia/Jakarta");
  tz = g_time_zone_new_identifier (json_object_get_string_member (root, "timezone"));
  g_assert_nonnull (tz);
  g_assert_cmpint (json_object_get_int_member (root, "hold_seconds"), ==, 300);
  key = g_base64_decode (json_object_get_string_member (root, "ticket_public_key"), &key_len);
  g_assert_cmpuint (key_len, ==, 32);
}

static gboolean
has_title (JsonNode *movies, const char *title)
{
  JsonArray *list = json_object_get_array_member (json_node_get_object (movies), "movies");

  for (guint i = 0; i < json_array_get_length (list); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (list, i),
                                                    "title"),
                     title))
      return TRUE;
  return FALSE;
}

static void
test_bad_json (void)
{
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autofree char *manager = gt_login (server, "manager");
  const char      *bodies[] = { "not json", "{\"username\":", "[1,2]", "\"cashier\"", "42" };
  g_autoptr (JsonNode) hold = NULL;
  g_autoptr (JsonNode) cut = NULL;
  g_autoptr (JsonNode) movies = NULL;
  g_autoptr (JsonNode) kept = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr (JsonNode)
        node = gt_api_error (server, "POST", "/sessions", NULL, bodies[i], 400, "bad_json");
    }
  hold = gt_api_error (server, "POST", "/showtimes/1/holds", cashier, "[\"A1\"]", 400, "bad_json");

  /* JSON-GLib would end the title at the NUL and keep "Kites"; refused
   * whole, and nothing is added. An escaped backslash before "u0000" is
   * just text. */
  cut = gt_api_error (server, "POST", "/movies", manager,
                      "{\"title\":\"Kites\\u0000 (cut)\",\"duration_minutes\":90}", 400,
                      "bad_json");
  movies = gt_api (server, "GET", "/movies", manager, NULL, 200);
  g_assert_false (has_title (movies, "Kites"));
  kept = gt_api (server, "POST", "/movies", manager,
                 "{\"title\":\"C:\\\\u0000\",\"duration_minutes\":90}", 201);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (kept), "title"), ==,
                   "C:\\u0000");
}

static void
test_invalid_field (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autoptr (JsonNode) wrong_type = NULL;
  g_autoptr (JsonNode) genres = NULL;

  wrong_type = gt_api_error (server, "POST", "/movies", manager,
                             "{\"title\":[\"x\"],\"duration_minutes\":90}", 422, "invalid_field");
  g_assert_cmpstr (json_object_get_string_member (gt_error_details (wrong_type), "field"), ==,
                   "title");
  genres = gt_api_error (server, "POST", "/movies", manager,
                         "{\"title\":\"X\",\"duration_minutes\":90,\"genres\":\"Drama\"}", 422,
                         "invalid_field");
  g_assert_cmpstr (json_object_get_string_member (gt_error_details (genres), "field"), ==,
                   "genres");
}

static void
test_too_large (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autoptr (GString) body = g_string_new ("{\"title\":\"Long\",\"duration_minutes\":90,"
                                           "\"synopsis\":\"");
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonNode) still = NULL;

  while (body->len < 70 * 1024)
    g_string_append (body, "It was a dark and stormy night. ");
  g_string_append (body, "\"}");

  node = gt_api_error (server, "POST", "/movies", manager, body->str, 413, "too_large");
  /* the server is still fine afterwards */
  still = gt_api (server, "GET", "/health", NULL, NULL, 200);
}

static void
test_not_found (void)
{
  g_autofree char *cashier = gt_login (server, "cashier");
  const char      *paths[] = { "/nope", "/movies/1/nope", "/showtimes/999999", "/bookings/999999",
                               "/holds/999999" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr (JsonNode)
        node = gt_api_error (server, "GET", paths[i], cashier, NULL, 404, "not_found");
    }
}

/* A path that exists, with a method it does not take: 405, in the one
 * error shape, and Allow says which methods it does take; HEAD wherever
 * GET is. */
static void
test_methods (void)
{
  static const char *const cases[][3] = {
    { "PATCH", "/health", "GET, HEAD" },
    { "DELETE", "/movies", "GET, HEAD, POST" },
    { "PUT", "/holds/1", "GET, HEAD, DELETE" },
  };
  g_autofree char *manager = gt_login (server, "manager");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (SoupMessageHeaders) headers = NULL;
      g_autoptr (JsonNode) node = NULL;
      guint status = 0;

      node = gt_test_request_full (gt_fixture_session (), server->url, cases[i][0], cases[i][1],
                                   manager, NULL, NULL, &status, &headers);
      g_assert_cmpuint (status, ==, 405);
      g_assert_cmpstr (gt_test_error_code (node), ==, "method_not_allowed");
      gt_assert_error_shape (node);
      g_assert_cmpstr (soup_message_headers_get_one (headers, "Allow"), ==, cases[i][2]);
    }

  /* HEAD is answered wherever GET is, with GET's headers and no body */
  {
    g_autoptr (SoupMessageHeaders) headers = NULL;
    g_autoptr (JsonNode) node = NULL;
    guint status = 0;

    node = gt_test_request_full (gt_fixture_session (), server->url, "HEAD", "/movies", manager,
                                 NULL, NULL, &status, &headers);
    g_assert_cmpuint (status, ==, 200);
    g_assert_null (node);
    g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "application/json");
  }
}

/* /live opened as a plain request: 426 in the one error shape, not
 * libsoup's page of HTML. */
static void
test_live_without_upgrade (void)
{
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autoptr (SoupMessageHeaders) headers = NULL;
  g_autoptr (JsonNode) node = NULL;
  guint status = 0;

  node = gt_test_request_full (gt_fixture_session (), server->url, "GET", "/live", cashier, NULL,
                               NULL, &status, &headers);
  g_assert_cmpuint (status, ==, 426);
  g_assert_cmpstr (gt_test_error_code (node), ==, "upgrade_required");
  gt_assert_error_shape (node);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Upgrade"), ==, "websocket");
}

/* Requests that reach the database's own guards (unique names, foreign keys,
 * odd ids) must come back as a clean 4xx in the one error shape. */
static void
test_errors_leak_nothing (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           auditorium = gt_create_auditorium (server, manager, 1, 2, 0);
  g_autoptr (JsonNode) list = gt_api (server, "GET", "/auditoriums", cashier, NULL, 200);
  g_autofree char *dup_name = NULL;
  g_autofree char *no_movie = NULL;
  JsonArray       *auditoriums = json_object_get_array_member (json_node_get_object (list),
                                                               "auditoriums");
  struct
  {
    const char *method;
    const char *path;
    const char *token;
    const char *body;
  } cases[] = {
    { "PATCH", "/movies/abc", manager, "{\"title\":\"X\"}" },
    { "GET", "/showtimes/abc", cashier, NULL },
    { "GET", "/showtimes/-1", cashier, NULL },
    { "GET", "/showtimes/99999999999999999999999", cashier, NULL },
    { "GET", "/showtimes?movie_id=abc", cashier, NULL },
    { "GET", "/showtimes?date=2026-02-31", cashier, NULL },
    { "GET", "/changes?since=abc", cashier, NULL },
    { "GET", "/changes?since=0&limit=-3", cashier, NULL },
    { "POST", "/auditoriums", manager, NULL },
    { "POST", "/showtimes", manager, NULL },
    { "POST", "/auditoriums", manager,
      "{\"name\":\"Dup\",\"layout\":{\"rows\":[{\"label\":\"A\",\"seats\":["
      "{\"id\":\"A1\",\"number\":1,\"x\":0,\"type\":\"standard\"},"
      "{\"id\":\"A1\",\"number\":2,\"x\":1,\"type\":\"standard\"}]}]}}" },
    { "POST", "/showtimes/1/holds", cashier, "{\"seats\":[\"A1'; DROP TABLE seat; --\"]}" },
  };

  dup_name = g_strdup_printf (
    "{\"name\":\"%s\",\"layout\":{\"rows\":[{\"label\":\"A\",\"seats\":["
    "{\"id\":\"A1\",\"number\":1,\"x\":0,\"type\":\"standard\"}]}]}}",
    json_object_get_string_member (json_array_get_object_element (auditoriums, 0), "name"));
  no_movie = g_strdup_printf ("{\"movie_id\":999999,\"auditorium_id\":%" G_GINT64_FORMAT
                              ",\"starts_at\":\"2031-01-01T10:00:00Z\",\"prices\":{\"adult\":1}}",
                              auditorium);
  cases[8].body = dup_name;
  cases[9].body = no_movie;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonNode) node = NULL;
      guint status = 0;

      node = gt_test_request (gt_fixture_session (), server, cases[i].method, cases[i].path,
                              cases[i].token, cases[i].body, &status);
      if (status < 400 || status >= 500)
        {
          g_autofree char *text = node ? json_to_string (node, FALSE) : g_strdup ("");

          g_error ("%s %s %s: expected a 4xx, got %u %s", cases[i].method, cases[i].path,
                   cases[i].body ? cases[i].body : "", status, text);
        }
      gt_assert_error_shape (node);
    }
}

static gboolean
is_one_of (const char *value, const char *const *allowed)
{
  return value != NULL && g_strv_contains (allowed, value);
}

static void
test_changes (void)
{
  static const char *const kinds[] = { "movie", "auditorium", "showtime", "seat", "booking", NULL };
  static const char *const ops[] = { "upsert", "delete", NULL };
  g_autofree char         *manager = gt_login (server, "manager");
  g_autofree char         *cashier = gt_login (server, "cashier");
  g_autoptr (JsonNode) first = NULL;
  g_autoptr (JsonNode) clamped = NULL;
  gint64     since = 0;
  gint64     last = 0;
  gint64     head;
  gint64     pages = 0;
  gboolean   more = TRUE;
  JsonArray *changes;

  first = gt_api (server, "GET", "/changes?since=0&limit=2", cashier, NULL, 200);
  changes = json_object_get_array_member (json_node_get_object (first), "changes");
  g_assert_cmpuint (json_array_get_length (changes), ==, 2);
  /* the demo data alone is more than two changes */
  g_assert_true (json_object_get_boolean_member (json_node_get_object (first), "more"));

  /* page through everything: strictly growing revs, nothing left out */
  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/changes?since=%" G_GINT64_FORMAT "&limit=100",
                                               since);
      g_autoptr (JsonNode) page = gt_api (server, "GET", path, cashier, NULL, 200);
      JsonObject *root = json_node_get_object (page);

      changes = json_object_get_array_member (root, "changes");
      g_assert_nonnull (changes);
      g_assert_cmpuint (json_array_get_length (changes), <=, 100);
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          gint64      rev = json_object_get_int_member (change, "rev");

          g_assert_cmpint (rev, >, last);
          g_assert_cmpint (rev, >, since);
          g_assert_true (is_one_of (json_object_get_string_member (change, "kind"), kinds));
          g_assert_true (is_one_of (json_object_get_string_member (change, "op"), ops));
          g_assert_true (json_object_has_member (change, "id"));
          last = rev;
        }
      more = json_object_get_boolean_member (root, "more");
      if (more)
        g_assert_cmpuint (json_array_get_length (changes), ==, 100);
      g_assert_cmpint (json_object_get_int_member (root, "rev"), >=, last);
      since = last;
      g_assert_cmpint (++pages, <, 1000);
    }
  head = json_object_get_int_member (json_node_get_object (first), "rev");
  g_assert_cmpint (head, >=, 2);

  /* a limit past 5000 is clamped */
  clamped = gt_api (server, "GET", "/changes?since=0&limit=100000", cashier, NULL, 200);
  g_assert_cmpuint (json_array_get_length (
                      json_object_get_array_member (json_node_get_object (clamped), "changes")),
                    <=, 5000);

  /* new changes follow: a movie, then a seat held */
  {
    gint64           before = last;
    gint64           movie = gt_create_movie (server, manager, 95);
    gint64           showtime = gt_create_setup (server, manager, 40);
    gint64           hold = gt_hold (server, cashier, showtime, "[\"C2\"]");
    g_autofree char *path = g_strdup_printf ("/changes?since=%" G_GINT64_FORMAT, before);
    g_autoptr (JsonNode) page = gt_api (server, "GET", path, cashier, NULL, 200);
    gboolean saw_movie = FALSE;
    gboolean saw_showtime = FALSE;
    gboolean saw_seat = FALSE;

    g_assert_cmpint (hold, >, 0);
    changes = json_object_get_array_member (json_node_get_object (page), "changes");
    g_assert_false (json_object_get_boolean_member (json_node_get_object (page), "more"));
    for (guint i = 0; i < json_array_get_length (changes); i++)
      {
        JsonObject *change = json_array_get_object_element (changes, i);
        const char *kind = json_object_get_string_member (change, "kind");
        JsonObject *data;

        g_assert_cmpint (json_object_get_int_member (change, "rev"), >, before);
        if (g_str_equal (kind, "movie") && json_object_get_int_member (change, "id") == movie)
          saw_movie = TRUE;
        if (g_str_equal (kind, "showtime") && json_object_get_int_member (change, "id") == showtime)
          saw_showtime = TRUE;
        if (g_str_equal (kind, "seat")
            && json_object_get_int_member (change, "showtime_id") == showtime
            && g_strcmp0 (json_object_get_string_member (change, "id"), "C2") == 0)
          {
            data = json_object_get_object_member (change, "data");
            g_assert_nonnull (data);
            g_assert_cmpstr (json_object_get_string_member (data, "state"), ==, "held");
            saw_seat = TRUE;
          }
      }
    g_assert_true (saw_movie);
    g_assert_true (saw_showtime);
    g_assert_true (saw_seat);
  }
}

static void
test_seats_rev (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           showtime = gt_create_setup (server, manager, 41);
  g_autofree char *path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/seats", showtime);
  g_autoptr (JsonNode) before = gt_api (server, "GET", path, cashier, NULL, 200);
  g_autoptr (JsonNode) after = NULL;
  gint64 hold = gt_hold (server, cashier, showtime, "[\"A1\"]");

  g_assert_cmpint (hold, >, 0);
  after = gt_api (server, "GET", path, cashier, NULL, 200);
  /* a counter can tell that its seat map is stale */
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (after), "rev"), >,
                   json_object_get_int_member (json_node_get_object (before), "rev"));
}

typedef struct
{
  const char *method;
  const char *path;
  const char *body;
} Route;

static const Route any_role_routes[] = {
  { "GET", "/movies", NULL },
  { "GET", "/auditoriums", NULL },
  { "GET", "/showtimes", NULL },
  { "GET", "/showtimes/1", NULL },
  { "GET", "/showtimes/1/seats", NULL },
  { "POST", "/showtimes/1/holds", "{\"seats\":[\"A1\"]}" },
  { "GET", "/holds/1", NULL },
  { "PUT", "/holds/1/seats/A2", NULL },
  { "DELETE", "/holds/1/seats/A2", NULL },
  { "POST", "/holds/1/extend", NULL },
  { "DELETE", "/holds/1", NULL },
  { "POST", "/holds/1/checkout", "{\"tickets\":[],\"payment\":{\"method\":\"card\"}}" },
  { "GET", "/bookings/1", NULL },
  { "GET", "/bookings?code=GT-XXXXX", NULL },
  { "GET", "/tickets/abc", NULL },
  { "POST", "/tickets/abc/checkin", "{\"door\":\"Door 1\"}" },
  { "GET", "/changes?since=0", NULL },
  { "DELETE", "/sessions/current", NULL },
};

/* Invalid bodies on purpose: the role is checked before the body. */
static const Route manager_routes[] = {
  { "POST", "/movies", "{\"bogus\":1}" },
  { "PATCH", "/movies/1", "{\"duration_minutes\":\"x\"}" },
  { "DELETE", "/movies/1", NULL },
  { "POST", "/auditoriums", "{}" },
  { "PATCH", "/auditoriums/1", "{\"layout\":7}" },
  { "POST", "/showtimes", "{}" },
  { "PATCH", "/showtimes/1", "{\"starts_at\":false}" },
  { "DELETE", "/showtimes/1", NULL },
  { "POST", "/bookings/1/refund", "{\"reason\":5}" },
  { "POST", "/bookings/1/exchange", "{\"seats\":5}" },
  { "GET", "/bookings?q=Budi", NULL },
  { "GET", "/bookings?date=bad", NULL },
  { "GET", "/audit?date=bad", NULL },
  { "GET", "/reports/sales?date=bad", NULL },
  { "GET", "/reports/cashup?format=csv", NULL },
  { "GET", "/bookings?showtime_id=1", NULL },
  { "DELETE", "/tickets/abc/checkin", NULL },
  { "POST", "/users",
    "{\"username\":\"x\",\"password\":\"x\",\"display_name\":\"x\","
    "\"role\":\"cashier\"}" },
  { "GET", "/users", NULL },
};

static const Route admin_routes[] = {
  { "POST", "/users",
    "{\"username\":\"upstart\",\"password\":\"upstart\","
    "\"display_name\":\"Upstart\",\"role\":\"manager\"}" },
  { "POST", "/users",
    "{\"username\":\"upstart2\",\"password\":\"upstart\","
    "\"display_name\":\"Upstart\",\"role\":\"admin\"}" },
  { "PATCH", "/users/1", "{\"display_name\":\"Taken over\"}" },
};

static void
expect_route (const Route *route, const char *token, guint expected_status, const char *code)
{
  g_autoptr (JsonNode) node = NULL;
  guint status = 0;

  node = gt_test_request (gt_fixture_session (), server, route->method, route->path, token,
                          route->body, &status);
  if (status != expected_status || g_strcmp0 (gt_test_error_code (node), code) != 0)
    {
      g_autofree char *text = node ? json_to_string (node, FALSE) : g_strdup ("(empty)");

      g_error ("%s %s with %s: expected %u %s, got %u %s", route->method, route->path,
               token ? "that token" : "no token", expected_status, code, status, text);
    }
  gt_assert_error_shape (node);
}

static void
test_roles_matrix (void)
{
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *admin = gt_login (server, "admin");
  g_autofree char *expired = gt_login (server, "cashier");
  const char      *invalid[] = { NULL, "garbage", expired };
  g_autoptr (JsonNode) logout = NULL;
  g_autoptr (JsonNode) users = NULL;
  JsonArray *array;

  /* admin really is user 1, as the admin routes above assume */
  users = gt_api (server, "GET", "/users", admin, NULL, 200);
  array = json_object_get_array_member (json_node_get_object (users), "users");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *u = json_array_get_object_element (array, i);

      if (json_object_get_int_member (u, "id") == 1)
        g_assert_cmpstr (json_object_get_string_member (u, "role"), ==, "admin");
    }

  logout = gt_api (server, "DELETE", "/sessions/current", expired, NULL, 204);

  for (guint t = 0; t < G_N_ELEMENTS (invalid); t++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (any_role_routes); i++)
        expect_route (&any_role_routes[i], invalid[t], 401, "unauthorized");
      for (guint i = 0; i < G_N_ELEMENTS (manager_routes); i++)
        expect_route (&manager_routes[i], invalid[t], 401, "unauthorized");
      for (guint i = 0; i < G_N_ELEMENTS (admin_routes); i++)
        expect_route (&admin_routes[i], invalid[t], 401, "unauthorized");
    }

  for (guint i = 0; i < G_N_ELEMENTS (manager_routes); i++)
    expect_route (&manager_routes[i], cashier, 403, "forbidden");
  for (guint i = 0; i < G_N_ELEMENTS (admin_routes); i++)
    {
      expect_route (&admin_routes[i], cashier, 403, "forbidden");
      expect_route (&admin_routes[i], manager, 403, "forbidden");
    }
}

typedef struct
{
  guint pending;
  guint ok;
} Rush;

static void
on_health_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Rush *rush = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes)
    bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);

  if (error == NULL && soup_message_get_status (msg) == 200)
    rush->ok++;
  else
    g_printerr ("rush request failed: %s\n", error ? error->message : "bad status");
  rush->pending--;
}

static void
test_rush (void)
{
  g_autoptr (SoupSession)
    rush_session = soup_session_new_with_options ("max-conns", 400, "max-conns-per-host", 400,
                                                  "timeout", 30, NULL);
  g_autofree char *uri = g_strconcat (server->url, "/api/v1/health", NULL);
  Rush             rush = { 0, 0 };
  gint64           deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  /* 300 counters connecting at once: none is reset */
  for (guint i = 0; i < 300; i++)
    {
      g_autoptr (SoupMessage) msg = soup_message_new ("GET", uri);

      rush.pending++;
      soup_session_send_and_read_async (rush_session, msg, G_PRIORITY_DEFAULT, NULL, on_health_cb,
                                        &rush);
    }
  while (rush.pending > 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (rush.pending, ==, 0);
  g_assert_cmpuint (rush.ok, ==, 300);
}

typedef struct
{
  SoupWebsocketConnection *conn;
  GError                  *error;
  GPtrArray               *messages;
  gboolean                 done;
} Live;

static void
on_live_message_cb (SoupWebsocketConnection *conn, int type, GBytes *message, gpointer user_data)
{
  Live *live = user_data;
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize       len;
  const char *data = g_bytes_get_data (message, &len);

  g_assert_cmpint (type, ==, SOUP_WEBSOCKET_DATA_TEXT);
  g_assert_true (json_parser_load_from_data (parser, data, len, NULL));
  g_ptr_array_add (live->messages, json_node_copy (json_parser_get_root (parser)));
}

static void
on_live_connected_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Live *live = user_data;

  live->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &live->error);
  if (live->conn != NULL)
    g_signal_connect (live->conn, "message", G_CALLBACK (on_live_message_cb), live);
  live->done = TRUE;
}

static void
live_connect (Live *live, SoupSession *ws_session, const char *token, gboolean in_query)
{
  g_autofree char *uri = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  if (in_query)
    uri = g_strconcat (server->url, "/api/v1/live?token=", token, NULL);
  else
    uri = g_strconcat (server->url, "/api/v1/live", NULL);
  msg = soup_message_new ("GET", uri);
  if (token != NULL && !in_query)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  live->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  soup_session_websocket_connect_async (ws_session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_live_connected_cb, live);
  while (!live->done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (live->done);
}

static void
live_clear (Live *live)
{
  if (live->conn != NULL)
    {
      g_signal_handlers_disconnect_by_data (live->conn, live);
      if (soup_websocket_connection_get_state (live->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (live->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    }
  g_clear_object (&live->conn);
  g_clear_error (&live->error);
  g_clear_pointer (&live->messages, g_ptr_array_unref);
}

/* Waits for a seat change of @showtime/@seat to @state; returns its rev. */
static gint64
live_wait_seat (Live *live, gint64 showtime, const char *seat, const char *state)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gint64 last_rev = 0;

  for (guint seen = 0;;)
    {
      for (; seen < live->messages->len; seen++)
        {
          JsonObject *change = json_node_get_object (g_ptr_array_index (live->messages, seen));
          gint64      rev = json_object_get_int_member (change, "rev");
          JsonObject *data;

          /* pushed in rev order */
          g_assert_cmpint (rev, >, last_rev);
          last_rev = rev;
          if (g_strcmp0 (json_object_get_string_member (change, "kind"), "seat") != 0
              || json_object_get_int_member (change, "showtime_id") != showtime
              || g_strcmp0 (json_object_get_string_member (change, "id"), seat) != 0)
            continue;
          data = json_object_get_object_member (change, "data");
          if (data != NULL && g_strcmp0 (json_object_get_string_member (data, "state"), state) == 0)
            return rev;
        }
      if (g_get_monotonic_time () > deadline)
        g_error ("no live change for seat %s to %s within 10 s", seat, state);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
test_live (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autoptr (SoupSession) ws_session = soup_session_new ();
  gint64           showtime = gt_create_setup (server, manager, 42);
  Live             header = { 0 };
  Live             query = { 0 };
  Live             anonymous = { 0 };
  g_autofree char *release = NULL;
  g_autoptr (JsonNode) released = NULL;
  gint64 hold;
  gint64 rev;

  live_connect (&header, ws_session, manager, FALSE);
  g_assert_no_error (header.error);
  live_connect (&query, ws_session, cashier, TRUE);
  g_assert_no_error (query.error);
  live_connect (&anonymous, ws_session, NULL, FALSE);
  g_assert_nonnull (anonymous.error);
  g_assert_null (anonymous.conn);

  /* a seat taken at one counter shows at the others */
  hold = gt_hold (server, cashier, showtime, "[\"B3\"]");
  rev = live_wait_seat (&header, showtime, "B3", "held");
  g_assert_cmpint (live_wait_seat (&query, showtime, "B3", "held"), ==, rev);

  release = g_strdup_printf ("/holds/%" G_GINT64_FORMAT, hold);
  released = gt_api (server, "DELETE", release, cashier, NULL, 204);
  g_assert_cmpint (live_wait_seat (&header, showtime, "B3", "free"), >, rev);

  live_clear (&header);
  live_clear (&query);
  live_clear (&anonymous);
}

static void
on_exited_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static gboolean
on_too_long_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The HTTP threads share their port; a second server started on it by
 * mistake must still be refused, not take some of the counters. */
static void
test_port_taken (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GUri) uri = g_uri_parse (server->url, G_URI_FLAGS_NONE, &error);
  g_autofree char *dir = g_dir_make_tmp ("go-ticket-second-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "second.db", NULL);
  g_autofree char *port = g_strdup_printf ("%d", g_uri_get_port (uri));
  g_autoptr (GSubprocess) second = NULL;
  g_autoptr (GBytes) err_bytes = NULL;
  g_autofree char *err_text = NULL;
  gboolean         exited = FALSE;
  gboolean         too_long = FALSE;
  guint            timeout;

  g_assert_no_error (error);
  second = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                             &error, g_getenv ("GT_SERVER_BIN"), "--db", db, "--port", port,
                             "--http-threads", "2", NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (second, NULL, on_exited_cb, &exited);
  timeout = g_timeout_add_seconds (20, on_too_long_cb, &too_long);
  while (!exited && !too_long)
    g_main_context_iteration (NULL, TRUE);
  if (!exited)
    {
      g_subprocess_force_exit (second);
      g_error ("a second server on port %s is still running", port);
    }
  g_source_remove (timeout);

  g_assert_true (g_subprocess_get_if_exited (second));
  g_assert_cmpint (g_subprocess_get_exit_status (second), ==, 1);
  err_bytes = g_input_stream_read_bytes (g_subprocess_get_stderr_pipe (second), 4096, NULL, NULL);
  err_text = g_strndup (g_bytes_get_data (err_bytes, NULL), g_bytes_get_size (err_bytes));
  g_assert_nonnull (strstr (err_text, "Cannot listen"));
  g_assert_nonnull (strstr (err_text, "already in use"));

  /* The first one still answers. */
  {
    g_autoptr (JsonNode) health = gt_api (server, "GET", "/health", NULL, NULL, 200);
  }
  g_unlink (db);
  g_rmdir (dir);
}

/* A mistyped option stops the server at once, saying why, rather than
 * serving with a value nobody meant. */
static void
test_bad_options (void)
{
  const char *const cases[][3] = {
    { "--hold-seconds", "0", "hold time" },
    { "--hold-seconds", "-1", "hold time" },
    { "--hold-seconds", "86401", "hold time" },
    { "--port", "70000", "port" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GSubprocess) server_process = NULL;
      g_autofree char *err_text = NULL;

      server_process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                           | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                                         &error, g_getenv ("GT_SERVER_BIN"), "--db",
                                         "/nonexistent/never-opened.db", cases[i][0], cases[i][1],
                                         NULL);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (server_process, NULL, NULL, NULL, &err_text, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_exited (server_process));
      g_assert_cmpint (g_subprocess_get_exit_status (server_process), ==, 2);
      g_assert_nonnull (strstr (err_text, cases[i][2]));
    }
}

/* --bind takes the name "localhost" as well as an address. */
static void
test_bind_localhost (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("go-ticket-bind-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "central.db", NULL);
  g_autoptr (GtTestServer)
    local = gt_test_server_start (db, (const char *[]){ "--bind", "localhost", NULL });
  g_autoptr (JsonNode) health = gt_api (local, "GET", "/health", NULL, NULL, 200);

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (local->url, "http://127.0.0.1:"));
  g_assert_cmpint (gt_test_server_stop (local), ==, 0);
  g_unlink (db);
  g_rmdir (dir);
}

/* A new cinema, set up from the server's own machine: the first admin, once. */
static void
test_setup (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("go-ticket-setup-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "central.db", NULL);
  g_autoptr (GtTestServer) fresh = gt_test_server_start (db, (const char *[]){ NULL });
  g_autoptr (JsonNode) config = gt_api (fresh, "GET", "/config", NULL, NULL, 200);
  g_autoptr (JsonNode) unnamed = NULL;
  g_autoptr (JsonNode) done = NULL;
  g_autoptr (JsonNode) again = NULL;
  g_autoptr (JsonNode) users = NULL;
  g_autofree char *token = NULL;

  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (config), "setup_needed"));

  /* a wrong admin is named by its member, and sets nothing up */
  unnamed = gt_api_error (fresh, "POST", "/setup", NULL, "{\"admin\":{\"password\":\"s3cret\"}}",
                          422, "invalid_field");
  g_assert_cmpstr (json_object_get_string_member (gt_error_details (unnamed), "field"), ==,
                   "admin.username");

  done = gt_api (fresh, "POST", "/setup", NULL,
                 "{\"admin\":{\"username\":\"ratna\",\"password\":\"s3cret\","
                 "\"display_name\":\"Ratna\"}}",
                 201);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (done), "setup_needed"));
  token = gt_test_login (gt_fixture_session (), fresh, "ratna", "s3cret");
  users = gt_api (fresh, "GET", "/users", token, NULL, 200);
  g_assert_cmpuint (json_array_get_length (
                      json_object_get_array_member (json_node_get_object (users), "users")),
                    ==, 1);

  /* once only: nobody makes themselves admin of a cinema in use */
  again = gt_api_error (fresh, "POST", "/setup", NULL,
                        "{\"admin\":{\"username\":\"mallory\",\"password\":\"s3cret\"}}", 409,
                        "conflict");

  g_assert_cmpint (gt_test_server_stop (fresh), ==, 0);
  g_unlink (db);
  g_rmdir (dir);
}

static void
test_sigterm_keeps_data (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("go-ticket-persist-XXXXXX", &error);
  g_autofree char *db = NULL;
  g_autofree char *title = gt_unique ("Kept");
  g_autofree char *body = NULL;
  g_autoptr (GtTestServer) first = NULL;
  g_autoptr (GtTestServer) second = NULL;
  g_autoptr (JsonNode) created = NULL;
  g_autoptr (JsonNode) movies = NULL;
  g_autofree char *token = NULL;
  g_autofree char *again = NULL;
  g_autofree char *text = NULL;
  int              status;

  g_assert_no_error (error);
  db = g_build_filename (dir, "central.db", NULL);
  first = gt_test_server_start (db, (const char *[]){ "--demo", NULL });
  token = gt_login (first, "manager");
  body = g_strdup_printf ("{\"title\":\"%s\",\"duration_minutes\":90}", title);
  created = gt_api (first, "POST", "/movies", token, body, 201);

  status = gt_test_server_stop (first);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);

  /* an acknowledged change survives a restart (no --demo: the data is there) */
  second = gt_test_server_start (db, NULL);
  again = gt_login (second, "manager");
  movies = gt_api (second, "GET", "/movies", again, NULL, 200);
  text = json_to_string (movies, FALSE);
  g_assert_nonnull (strstr (text, title));
  status = gt_test_server_stop (second);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);

  g_clear_pointer (&first, gt_test_server_free);
  g_clear_pointer (&second, gt_test_server_free);
  {
    g_autofree char *wal = g_strconcat (db, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
    g_unlink (db);
    g_rmdir (dir);
  }
}

int
main (int argc, char *argv[])
{
  gt_fixture_init (&argc, &argv);
  server = gt_fixture_server ("main", (const char *[]){ "--demo", NULL });

  gt_fixture_add ("/protocol/health", test_health);
  gt_fixture_add ("/protocol/config", test_config);
  gt_fixture_add ("/protocol/bad-json", test_bad_json);
  gt_fixture_add ("/protocol/invalid-field", test_invalid_field);
  gt_fixture_add ("/protocol/too-large", test_too_large);
  gt_fixture_add ("/protocol/not-found", test_not_found);
  gt_fixture_add ("/protocol/methods", test_methods);
  gt_fixture_add ("/protocol/errors-leak-nothing", test_errors_leak_nothing);
  gt_fixture_add ("/protocol/changes", test_changes);
  gt_fixture_add ("/protocol/seats-rev", test_seats_rev);
  gt_fixture_add ("/protocol/roles-matrix", test_roles_matrix);
  gt_fixture_add ("/protocol/live", test_live);
  gt_fixture_add ("/protocol/live-without-upgrade", test_live_without_upgrade);
  gt_fixture_add ("/protocol/rush", test_rush);
  gt_fixture_add ("/protocol/port-taken", test_port_taken);
  gt_fixture_add ("/protocol/bad-options", test_bad_options);
  gt_fixture_add ("/protocol/bind-localhost", test_bind_localhost);
  gt_fixture_add ("/protocol/setup", test_setup);
  gt_fixture_add ("/protocol/sigterm-keeps-data", test_sigterm_keeps_data);

  return gt_fixture_run ();
}
