/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-posters"

#include "config.h"

#include "gt-server-fixture.h"

static GtTestServer *server;

/* The smallest valid PNG: one transparent pixel. */
static const guint8 tiny_png[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
  0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
  0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78,
  0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00,
  0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

/* A raw request: answers the status, and the body and its type. */
static guint
raw_request (const char *method,
             const char *path,
             const char *token,
             const char *content_type,
             GBytes     *body,
             GBytes    **answer,
             char      **answer_type,
             char      **cache_control)
{
  g_autofree char *uri = g_strconcat (server->url, "/api/v1", path, NULL);
  g_autoptr (SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr (GBytes) response = NULL;
  g_autoptr (GError) error = NULL;
  SoupMessageHeaders *headers;

  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  response = soup_session_send_and_read (gt_fixture_session (), msg, NULL, &error);
  g_assert_no_error (error);
  headers = soup_message_get_response_headers (msg);
  if (answer != NULL)
    *answer = g_bytes_ref (response);
  if (answer_type != NULL)
    *answer_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  if (cache_control != NULL)
    *cache_control = g_strdup (soup_message_headers_get_one (headers, "Cache-Control"));
  return soup_message_get_status (msg);
}

static guint
put_poster (const char *token, gint64 movie_id, const char *type, GBytes *body, JsonNode **node)
{
  g_autofree char *path = g_strdup_printf ("/movies/%" G_GINT64_FORMAT "/poster", movie_id);
  g_autoptr (GBytes) answer = NULL;
  guint status = raw_request ("PUT", path, token, type, body, &answer, NULL, NULL);

  if (node != NULL)
    *node = json_from_string (g_bytes_get_data (answer, NULL) ? g_bytes_get_data (answer, NULL)
                                                              : "null",
                              NULL);
  return status;
}

static GBytes *
png_bytes (void)
{
  return g_bytes_new_static (tiny_png, sizeof tiny_png);
}

static const char *
error_code (JsonNode *node)
{
  return gt_test_error_code (node);
}

static void
test_roles (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           movie = gt_create_movie (server, manager, 100);
  g_autofree char *path = g_strdup_printf ("/movies/%" G_GINT64_FORMAT "/poster", movie);
  g_autoptr (GBytes) png = png_bytes ();
  g_autoptr (JsonNode) node = NULL;

  g_assert_cmpuint (put_poster (NULL, movie, "image/png", png, NULL), ==, 401);
  g_assert_cmpuint (put_poster (cashier, movie, "image/png", png, &node), ==, 403);
  g_assert_cmpstr (error_code (node), ==, "forbidden");
  g_assert_cmpuint (raw_request ("GET", path, NULL, NULL, NULL, NULL, NULL, NULL), ==, 401);
  /* no poster yet */
  g_assert_cmpuint (raw_request ("GET", path, cashier, NULL, NULL, NULL, NULL, NULL), ==, 404);
  g_assert_cmpuint (put_poster (manager, movie, "image/png", png, NULL), ==, 200);
  g_assert_cmpuint (raw_request ("GET", path, cashier, NULL, NULL, NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint (raw_request ("DELETE", path, cashier, NULL, NULL, NULL, NULL, NULL), ==, 403);
  g_assert_cmpuint (raw_request ("DELETE", path, manager, NULL, NULL, NULL, NULL, NULL), ==, 204);
  g_assert_cmpuint (raw_request ("GET", path, cashier, NULL, NULL, NULL, NULL, NULL), ==, 404);
  g_assert_cmpuint (raw_request ("DELETE", path, manager, NULL, NULL, NULL, NULL, NULL), ==, 404);
  /* an unknown movie */
  g_assert_cmpuint (put_poster (manager, 999999, "image/png", png, NULL), ==, 404);
}

static void
test_invalid (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  gint64           movie = gt_create_movie (server, manager, 100);
  g_autoptr (GBytes) png = png_bytes ();
  g_autoptr (GBytes) text = g_bytes_new_static ("not an image", 12);
  g_autoptr (GBytes) huge = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonNode) big = NULL;
  guint8 *data;
  gsize   size = 2 * 1024 * 1024 + 1;

  /* not an image, whatever it claims */
  g_assert_cmpuint (put_poster (manager, movie, "image/png", text, &node), ==, 422);
  g_assert_cmpstr (error_code (node), ==, "invalid_field");
  g_assert_cmpstr (json_object_get_string_member (gt_error_details (node), "field"), ==, "poster");
  g_clear_pointer (&node, json_node_unref);
  /* an image sent as something else */
  g_assert_cmpuint (put_poster (manager, movie, "image/gif", png, &node), ==, 422);
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpuint (put_poster (manager, movie, "image/jpeg", png, &node), ==, 422);
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpuint (put_poster (manager, movie, "application/json", png, &node), ==, 422);

  /* over 2 MiB: refused before it is read */
  data = g_malloc0 (size);
  memcpy (data, tiny_png, sizeof tiny_png);
  huge = g_bytes_new_take (data, size);
  g_assert_cmpuint (put_poster (manager, movie, "image/png", huge, &big), ==, 413);
  g_assert_cmpstr (error_code (big), ==, "too_large");
}

static void
test_large_json_still_refused (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *body = NULL;
  g_autoptr (GString) title = g_string_new (NULL);
  g_autoptr (GBytes) bytes = NULL;

  /* only the poster route takes more than 64 KiB */
  for (int i = 0; i < 70 * 1024; i++)
    g_string_append_c (title, 'x');
  body = g_strdup_printf ("{\"title\":\"%s\",\"duration_minutes\":90}", title->str);
  bytes = g_bytes_new (body, strlen (body));
  g_assert_cmpuint (raw_request ("POST", "/movies", manager, "application/json", bytes, NULL, NULL,
                                 NULL),
                    ==, 413);
}

static void
test_round_trip (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           movie = gt_create_movie (server, manager, 100);
  g_autofree char *movie_path = g_strdup_printf ("/movies/%" G_GINT64_FORMAT, movie);
  g_autoptr (GBytes) png = png_bytes ();
  g_autoptr (GBytes) answer = NULL;
  g_autoptr (JsonNode) saved = NULL;
  g_autoptr (JsonNode) fetched = NULL;
  g_autoptr (JsonNode) listed = NULL;
  g_autoptr (JsonNode) before = NULL;
  g_autoptr (JsonNode) after = NULL;
  g_autoptr (JsonNode) again = NULL;
  g_autofree char *type = NULL;
  g_autofree char *cache = NULL;
  g_autofree char *url = NULL;
  g_autofree char *prefix = g_strdup_printf ("/api/v1/movies/%" G_GINT64_FORMAT "/poster?v=",
                                             movie);
  JsonArray       *movies;
  gboolean         in_list = FALSE;

  fetched = gt_api (server, "GET", movie_path, cashier, NULL, 200);
  g_assert_true (json_object_get_null_member (json_node_get_object (fetched), "poster"));
  g_clear_pointer (&fetched, json_node_unref);

  g_assert_cmpuint (put_poster (manager, movie, "image/png", png, &saved), ==, 200);
  url = g_strdup (json_object_get_string_member (json_node_get_object (saved), "poster"));
  g_assert_true (g_str_has_prefix (url, prefix));

  /* the movie says where its poster is, alone and in the list */
  fetched = gt_api (server, "GET", movie_path, cashier, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (fetched), "poster"), ==,
                   url);
  listed = gt_api (server, "GET", "/movies", cashier, NULL, 200);
  movies = json_object_get_array_member (json_node_get_object (listed), "movies");
  for (guint i = 0; i < json_array_get_length (movies); i++)
    {
      JsonObject *m = json_array_get_object_element (movies, i);

      if (json_object_get_int_member (m, "id") == movie)
        in_list = g_strcmp0 (json_object_get_string_member (m, "poster"), url) == 0;
    }
  g_assert_true (in_list);

  /* the URL answers the same bytes, which may be kept */
  g_assert_cmpuint (raw_request ("GET", url + strlen ("/api/v1"), cashier, NULL, NULL, &answer,
                                 &type, &cache),
                    ==, 200);
  g_assert_true (g_bytes_equal (answer, png));
  g_assert_cmpstr (type, ==, "image/png");
  g_assert_nonnull (cache);
  g_assert_nonnull (strstr (cache, "max-age"));

  /* a new upload makes a new URL */
  g_assert_cmpuint (put_poster (manager, movie, "image/png", png, &again), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (again), "poster"), !=, url);
}

static void
test_changes (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           movie = gt_create_movie (server, manager, 100);
  g_autofree char *path = g_strdup_printf ("/movies/%" G_GINT64_FORMAT "/poster", movie);
  g_autoptr (GBytes) png = png_bytes ();
  g_autoptr (JsonNode) start = gt_api (server, "GET", "/movies", cashier, NULL, 200);
  g_autoptr (JsonNode) page = NULL;
  g_autoptr (JsonNode) audit = NULL;
  g_autofree char *changes_path = NULL;
  g_autofree char *audit_text = NULL;
  JsonArray       *changes;
  gint64           rev = json_object_get_int_member (json_node_get_object (start), "rev");
  guint            seen = 0;

  g_assert_cmpuint (put_poster (manager, movie, "image/png", png, NULL), ==, 200);
  g_assert_cmpuint (raw_request ("DELETE", path, manager, NULL, NULL, NULL, NULL, NULL), ==, 204);

  changes_path = g_strdup_printf ("/changes?since=%" G_GINT64_FORMAT, rev);
  page = gt_api (server, "GET", changes_path, cashier, NULL, 200);
  changes = json_object_get_array_member (json_node_get_object (page), "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      JsonObject *data;

      if (!g_str_equal (json_object_get_string_member (change, "kind"), "movie")
          || json_object_get_int_member (change, "id") != movie)
        continue;
      data = json_object_get_object_member (change, "data");
      g_assert_cmpstr (json_object_get_string_member (change, "op"), ==, "upsert");
      /* first the new poster, then none */
      if (seen++ == 0)
        g_assert_true (
          g_str_has_prefix (json_object_get_string_member (data, "poster"), "/api/v1/movies/"));
      else
        g_assert_true (json_object_get_null_member (data, "poster"));
    }
  g_assert_cmpuint (seen, ==, 2);

  /* and the audit log says who */
  audit = gt_api (server, "GET", "/audit", manager, NULL, 200);
  audit_text = json_to_string (audit, FALSE);
  g_assert_nonnull (strstr (audit_text, "movie.poster.set"));
  g_assert_nonnull (strstr (audit_text, "movie.poster.delete"));
}

int
main (int argc, char *argv[])
{
  gt_fixture_init (&argc, &argv);
  server = gt_fixture_server ("main", (const char *[]){ "--demo", NULL });

  gt_fixture_add ("/posters/roles", test_roles);
  gt_fixture_add ("/posters/invalid", test_invalid);
  gt_fixture_add ("/posters/json-limit", test_large_json_still_refused);
  gt_fixture_add ("/posters/round-trip", test_round_trip);
  gt_fixture_add ("/posters/changes", test_changes);

  return gt_fixture_run ();
}
