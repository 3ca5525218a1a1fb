/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-sessions"

#include "config.h"

#include "gt-server-fixture.h"

static GtTestServer *server;

static JsonNode *
request_with_auth (const char *authorization, guint *status)
{
  const char *headers[] = { "Authorization", authorization, NULL };

  return gt_test_request_full (gt_fixture_session (), server->url, "GET", "/movies", NULL,
                               authorization ? headers : NULL, NULL, status, NULL);
}

static void
test_login (void)
{
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *text = NULL;
  JsonObject      *root;
  JsonObject      *user;
  g_autofree char *token = NULL;
  gint64           now = g_get_real_time () / G_USEC_PER_SEC;

  node = gt_api (server, "POST", "/sessions", NULL,
                 "{\"username\":\"cashier\",\"password\":\"cashier\",\"counter\":\"Counter 1\"}",
                 201);
  root = json_node_get_object (node);
  token = g_strdup (json_object_get_string_member (root, "token"));
  g_assert_nonnull (token);
  /* 256 random bits are at least 43 characters in any text encoding */
  g_assert_cmpuint (strlen (token), >=, 43);
  g_assert_cmpint (gt_time_parse (json_object_get_string_member (root, "expires_at")), >, now);

  user = json_object_get_object_member (root, "user");
  g_assert_nonnull (user);
  g_assert_cmpstr (json_object_get_string_member (user, "username"), ==, "cashier");
  g_assert_cmpstr (json_object_get_string_member (user, "role"), ==, "cashier");
  g_assert_cmpint (json_object_get_int_member (user, "id"), >, 0);
  g_assert_true (json_object_has_member (user, "display_name"));

  text = json_to_string (node, FALSE);
  g_assert_null (strstr (text, "password"));
  g_assert_null (strstr (text, "argon2"));

  /* the token works */
  g_clear_pointer (&node, json_node_unref);
  node = gt_api (server, "GET", "/movies", token, NULL, 200);
}

static void
test_several_sessions (void)
{
  g_autofree char *first = gt_login (server, "manager");
  g_autofree char *second = gt_login (server, "manager");
  g_autoptr (JsonNode) a = NULL;
  g_autoptr (JsonNode) b = NULL;

  g_assert_cmpstr (first, !=, second);
  a = gt_api (server, "GET", "/movies", first, NULL, 200);
  b = gt_api (server, "GET", "/movies", second, NULL, 200);
}

static void
test_invalid_credentials (void)
{
  g_autoptr (JsonNode) wrong_password = NULL;
  g_autoptr (JsonNode) unknown_user = NULL;
  JsonObject *a;
  JsonObject *b;

  wrong_password = gt_api_error (server, "POST", "/sessions", NULL,
                                 "{\"username\":\"manager\",\"password\":\"nope\","
                                 "\"counter\":\"Counter 1\"}",
                                 401, "invalid_credentials");
  unknown_user = gt_api_error (server, "POST", "/sessions", NULL,
                               "{\"username\":\"no-such-user\",\"password\":\"nope\","
                               "\"counter\":\"Counter 1\"}",
                               401, "invalid_credentials");

  /* the same answer, so the message does not tell which usernames exist */
  a = json_object_get_object_member (json_node_get_object (wrong_password), "error");
  b = json_object_get_object_member (json_node_get_object (unknown_user), "error");
  g_assert_cmpstr (json_object_get_string_member (a, "message"), ==,
                   json_object_get_string_member (b, "message"));
}

static void
test_login_missing_field (void)
{
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonNode) typed = NULL;

  node = gt_api_error (server, "POST", "/sessions", NULL, "{\"username\":\"cashier\"}", 422,
                       "invalid_field");
  g_assert_cmpstr (json_object_get_string_member (gt_error_details (node), "field"), ==,
                   "password");

  typed = gt_api_error (server, "POST", "/sessions", NULL,
                        "{\"username\":42,\"password\":\"cashier\"}", 422, "invalid_field");
  g_assert_cmpstr (json_object_get_string_member (gt_error_details (typed), "field"), ==,
                   "username");
}

static void
test_rate_limit (void)
{
  const char *wrong = "{\"username\":\"cashier2\",\"password\":\"wrong\",\"counter\":\"C\"}";
  const char *right = "{\"username\":\"cashier2\",\"password\":\"cashier2\",\"counter\":\"C\"}";
  g_autoptr (GBytes) bytes = g_bytes_new_static (right, strlen (right));
  g_autoptr (SoupMessageHeaders) headers = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *other = NULL;
  const char      *retry_after;
  guint            status = 0;

  for (int i = 0; i < 5; i++)
    {
      g_autoptr (JsonNode) attempt = gt_api_error (server, "POST", "/sessions", NULL, wrong, 401,
                                                   "invalid_credentials");
    }

  /* the sixth attempt is refused even with the right password */
  node = gt_test_request_full (gt_fixture_session (), server->url, "POST", "/sessions", NULL, NULL,
                               bytes, &status, &headers);
  g_assert_cmpuint (status, ==, 429);
  g_assert_cmpstr (gt_test_error_code (node), ==, "too_many_attempts");
  gt_assert_error_shape (node);
  retry_after = soup_message_headers_get_one (headers, "Retry-After");
  g_assert_nonnull (retry_after);
  g_assert_cmpint (g_ascii_strtoll (retry_after, NULL, 10), >, 0);
  g_assert_cmpint (g_ascii_strtoll (retry_after, NULL, 10), <=, 300);

  /* another username is not locked out */
  other = gt_login (server, "cashier");
  g_assert_nonnull (other);
}

static void
test_logout (void)
{
  g_autofree char *token = gt_login (server, "cashier");
  g_autofree char *other = gt_login (server, "cashier");
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonNode) after = NULL;
  g_autoptr (JsonNode) still = NULL;
  g_autoptr (JsonNode) again = NULL;

  node = gt_api (server, "DELETE", "/sessions/current", token, NULL, 204);
  after = gt_api_error (server, "GET", "/movies", token, NULL, 401, "unauthorized");
  /* the user's other session (another counter) is unaffected */
  still = gt_api (server, "GET", "/movies", other, NULL, 200);
  /* logging out twice: the token is gone */
  again = gt_api_error (server, "DELETE", "/sessions/current", token, NULL, 401, "unauthorized");
}

static void
test_missing_or_garbage_token (void)
{
  const char *bad[] = {
    NULL,
    "Bearer",
    "Bearer ",
    "Bearer garbage",
    "Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "Basic Y2FzaGllcjpjYXNoaWVy",
    "cashier",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (JsonNode) node = NULL;
      guint status = 0;

      node = request_with_auth (bad[i], &status);
      if (status != 401)
        g_error ("Authorization '%s': expected 401, got %u", bad[i] ? bad[i] : "(none)", status);
      g_assert_cmpstr (gt_test_error_code (node), ==, "unauthorized");
      gt_assert_error_shape (node);
    }
}

/* The scheme in any case and more than one space before the token, as
 * RFC 6750 allows. */
static void
test_token_spellings (void)
{
  g_autofree char *token = gt_login (server, "cashier");
  const char      *schemes[] = { "Bearer ", "bearer ", "BEARER ", "Bearer   " };

  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      g_autofree char *authorization = g_strconcat (schemes[i], token, NULL);
      g_autoptr (JsonNode) node = NULL;
      guint status = 0;

      node = request_with_auth (authorization, &status);
      if (status != 200)
        g_error ("Authorization '%s…': expected 200, got %u", schemes[i], status);
    }
}

static void
test_deactivated_user_token (void)
{
  g_autofree char *admin = gt_login (server, "admin");
  g_autofree char *name = gt_unique ("temp");
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *login = NULL;
  g_autofree char *token = NULL;
  g_autoptr (JsonNode) created = NULL;
  g_autoptr (JsonNode) patched = NULL;
  g_autoptr (JsonNode) refused = NULL;
  g_autoptr (JsonNode) denied = NULL;

  for (char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p))
      *p = '_';
  body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\",\"display_name\":\"Temp\","
                          "\"role\":\"cashier\"}",
                          name, name);
  created = gt_api (server, "POST", "/users", admin, body, 201);
  token = gt_login (server, name);

  path = g_strdup_printf ("/users/%" G_GINT64_FORMAT,
                          json_object_get_int_member (json_node_get_object (created), "id"));
  patched = gt_api (server, "PATCH", path, admin, "{\"active\":false}", 200);

  /* a deactivated cashier is out at once: old token and new logins */
  refused = gt_api_error (server, "GET", "/movies", token, NULL, 401, "unauthorized");
  login = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\",\"counter\":\"C\"}", name,
                           name);
  denied = gt_api_error (server, "POST", "/sessions", NULL, login, 401, "invalid_credentials");
}

int
main (int argc, char *argv[])
{
  gt_fixture_init (&argc, &argv);
  server = gt_fixture_server ("main", (const char *[]){ "--demo", NULL });

  gt_fixture_add ("/sessions/login", test_login);
  gt_fixture_add ("/sessions/several", test_several_sessions);
  gt_fixture_add ("/sessions/invalid-credentials", test_invalid_credentials);
  gt_fixture_add ("/sessions/missing-field", test_login_missing_field);
  gt_fixture_add ("/sessions/rate-limit", test_rate_limit);
  gt_fixture_add ("/sessions/logout", test_logout);
  gt_fixture_add ("/sessions/bad-token", test_missing_or_garbage_token);
  gt_fixture_add ("/sessions/token-spellings", test_token_spellings);
  gt_fixture_add ("/sessions/deactivated", test_deactivated_user_token);

  return gt_fixture_run ();
}
