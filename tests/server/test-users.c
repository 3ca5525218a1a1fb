/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-users"

#include "config.h"

#include "gt-server-fixture.h"

static GtTestServer *server;

static char *
unique_username (const char *prefix)
{
  char *name = gt_unique (prefix);

  for (char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p))
      *p = '_';
  return name;
}

static char *
user_body (const char *username, const char *role)
{
  return g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\",\"display_name\":\"%s person\","
                          "\"role\":\"%s\"}",
                          username, username, username, role);
}

static JsonObject *
find_user (JsonNode *list, const char *username)
{
  JsonArray *users = json_object_get_array_member (json_node_get_object (list), "users");

  g_assert_nonnull (users);
  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonObject *u = json_array_get_object_element (users, i);

      if (g_strcmp0 (json_object_get_string_member (u, "username"), username) == 0)
        return u;
    }
  return NULL;
}

static char *
user_path (JsonNode *user)
{
  return g_strdup_printf ("/users/%" G_GINT64_FORMAT,
                          json_object_get_int_member (json_node_get_object (user), "id"));
}

static void
assert_no_secret (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  g_assert_null (strstr (text, "password"));
  g_assert_null (strstr (text, "hash"));
  g_assert_null (strstr (text, "$argon2"));
}

static void
test_list (void)
{
  g_autofree char *admin = gt_login (server, "admin");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autoptr (JsonNode) list = NULL;
  g_autoptr (JsonNode) forbidden = NULL;
  JsonObject *user;

  list = gt_api (server, "GET", "/users", admin, NULL, 200);
  assert_no_secret (list);
  user = find_user (list, "admin");
  g_assert_nonnull (user);
  g_assert_cmpstr (json_object_get_string_member (user, "role"), ==, "admin");
  g_assert_true (json_object_get_boolean_member (user, "active"));
  g_assert_cmpint (json_object_get_int_member (user, "id"), >, 0);
  g_assert_true (json_object_has_member (user, "display_name"));
  g_assert_nonnull (find_user (list, "manager"));
  g_assert_nonnull (find_user (list, "cashier"));
  g_assert_nonnull (find_user (list, "cashier2"));

  forbidden = gt_api_error (server, "GET", "/users", cashier, NULL, 403, "forbidden");
}

static void
test_create (void)
{
  g_autofree char *admin = gt_login (server, "admin");
  g_autofree char *name = unique_username ("ani");
  g_autofree char *body = user_body (name, "cashier");
  g_autofree char *token = NULL;
  g_autoptr (JsonNode) created = NULL;
  g_autoptr (JsonNode) taken = NULL;
  g_autoptr (JsonNode) list = NULL;
  g_autoptr (JsonNode) bad_role = NULL;
  g_autoptr (JsonNode) no_password = NULL;
  g_autofree char *bad_role_body = NULL;
  g_autofree char *no_password_body = NULL;
  JsonObject      *user;

  created = gt_api (server, "POST", "/users", admin, body, 201);
  assert_no_secret (created);
  user = json_node_get_object (created);
  g_assert_cmpstr (json_object_get_string_member (user, "username"), ==, name);
  g_assert_cmpstr (json_object_get_string_member (user, "role"), ==, "cashier");
  g_assert_true (json_object_get_boolean_member (user, "active"));

  /* the new cashier can work */
  token = gt_login (server, name);
  g_assert_nonnull (token);

  list = gt_api (server, "GET", "/users", admin, NULL, 200);
  g_assert_nonnull (find_user (list, name));

  taken = gt_api_error (server, "POST", "/users", admin, body, 409, "conflict");

  bad_role_body = user_body ("someone_else", "owner");
  bad_role = gt_api_error (server, "POST", "/users", admin, bad_role_body, 422, "invalid_field");
  g_assert_cmpstr (json_object_get_string_member (gt_error_details (bad_role), "field"), ==,
                   "role");
  no_password_body = g_strdup_printf ("{\"username\":\"%s_x\",\"display_name\":\"X\","
                                      "\"role\":\"cashier\"}",
                                      name);
  no_password = gt_api_error (server, "POST", "/users", admin, no_password_body, 422,
                              "invalid_field");
  g_assert_cmpstr (json_object_get_string_member (gt_error_details (no_password), "field"), ==,
                   "password");
}

static void
test_manager_manages_cashiers_only (void)
{
  g_autofree char *admin = gt_login (server, "admin");
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier_name = unique_username ("kasir");
  g_autofree char *manager_name = unique_username ("mgr");
  g_autofree char *admin_name = unique_username ("adm");
  g_autofree char *cashier_body = user_body (cashier_name, "cashier");
  g_autofree char *manager_body = user_body (manager_name, "manager");
  g_autofree char *admin_body = user_body (admin_name, "admin");
  g_autofree char *cashier_path = NULL;
  g_autofree char *other_manager_path = NULL;
  g_autofree char *admin_path = NULL;
  g_autoptr (JsonNode) cashier = NULL;
  g_autoptr (JsonNode) other_manager = NULL;
  g_autoptr (JsonNode) list = NULL;
  g_autoptr (JsonNode) admin_list = NULL;
  g_autoptr (JsonNode) n1 = NULL;
  g_autoptr (JsonNode) n2 = NULL;
  g_autoptr (JsonNode) n3 = NULL;
  g_autoptr (JsonNode) n4 = NULL;
  g_autoptr (JsonNode) n5 = NULL;
  g_autoptr (JsonNode) n6 = NULL;
  g_autoptr (JsonNode) n7 = NULL;
  g_autoptr (JsonNode) renamed = NULL;

  list = gt_api (server, "GET", "/users", manager, NULL, 200);
  assert_no_secret (list);
  g_assert_nonnull (find_user (list, "cashier"));

  cashier = gt_api (server, "POST", "/users", manager, cashier_body, 201);
  cashier_path = user_path (cashier);
  renamed = gt_api (server, "PATCH", cashier_path, manager, "{\"display_name\":\"Kasir Satu\"}",
                    200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (renamed), "display_name"),
                   ==, "Kasir Satu");

  /* not a manager or an admin */
  n1 = gt_api_error (server, "POST", "/users", manager, manager_body, 403, "forbidden");
  n2 = gt_api_error (server, "POST", "/users", manager, admin_body, 403, "forbidden");
  /* nor promote a cashier */
  n3 = gt_api_error (server, "PATCH", cashier_path, manager, "{\"role\":\"manager\"}", 403,
                     "forbidden");

  other_manager = gt_api (server, "POST", "/users", admin, manager_body, 201);
  other_manager_path = user_path (other_manager);
  n4 = gt_api_error (server, "PATCH", other_manager_path, manager, "{\"active\":false}", 403,
                     "forbidden");
  n5 = gt_api_error (server, "PATCH", other_manager_path, manager, "{\"password\":\"hijacked\"}",
                     403, "forbidden");

  admin_list = gt_api (server, "GET", "/users", admin, NULL, 200);
  admin_path = g_strdup_printf ("/users/%" G_GINT64_FORMAT,
                                json_object_get_int_member (find_user (admin_list, "admin"), "id"));
  n6 = gt_api_error (server, "PATCH", admin_path, manager, "{\"display_name\":\"pwned\"}", 403,
                     "forbidden");
  n7 = gt_api_error (server, "PATCH", admin_path, manager, "{\"active\":false}", 403, "forbidden");
}

static void
test_no_self_promotion (void)
{
  g_autofree char *admin = gt_login (server, "admin");
  g_autofree char *name = unique_username ("boss");
  g_autofree char *body = user_body (name, "manager");
  g_autoptr (JsonNode) created = gt_api (server, "POST", "/users", admin, body, 201);
  g_autofree char *path = user_path (created);
  g_autofree char *token = gt_login (server, name);
  g_autoptr (JsonNode) refused = NULL;
  g_autoptr (JsonNode) list = NULL;
  g_autoptr (JsonNode) login = NULL;
  g_autofree char *login_body = NULL;

  refused = gt_api_error (server, "PATCH", path, token, "{\"role\":\"admin\"}", 403, "forbidden");

  list = gt_api (server, "GET", "/users", admin, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (find_user (list, name), "role"), ==, "manager");

  /* a fresh login still gets the old role */
  login_body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\",\"counter\":\"C\"}", name,
                                name);
  login = gt_api (server, "POST", "/sessions", NULL, login_body, 201);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_node_get_object (login), "user"), "role"),
                   ==, "manager");
}

static void
test_cashier_self_promotion (void)
{
  g_autofree char *admin = gt_login (server, "admin");
  g_autofree char *name = unique_username ("kasir");
  g_autofree char *body = user_body (name, "cashier");
  g_autoptr (JsonNode) created = gt_api (server, "POST", "/users", admin, body, 201);
  g_autofree char *path = user_path (created);
  g_autofree char *token = gt_login (server, name);
  g_autoptr (JsonNode) refused = NULL;

  refused = gt_api_error (server, "PATCH", path, token, "{\"role\":\"admin\"}", 403, "forbidden");
}

static void
test_last_admin (void)
{
  g_autofree char *admin = gt_login (server, "admin");
  g_autofree char *name = unique_username ("admin");
  g_autofree char *body = user_body (name, "admin");
  g_autoptr (JsonNode) list = gt_api (server, "GET", "/users", admin, NULL, 200);
  g_autofree char *admin_path = g_strdup_printf (
    "/users/%" G_GINT64_FORMAT, json_object_get_int_member (find_user (list, "admin"), "id"));
  g_autoptr (JsonNode) demote = NULL;
  g_autoptr (JsonNode) deactivate = NULL;
  g_autoptr (JsonNode) second = NULL;
  g_autoptr (JsonNode) demoted = NULL;
  g_autoptr (JsonNode) demote_again = NULL;
  g_autoptr (JsonNode) after = NULL;
  g_autofree char *second_path = NULL;
  g_autofree char *second_token = NULL;

  /* the only admin cannot lock everyone out */
  demote = gt_api_error (server, "PATCH", admin_path, admin, "{\"role\":\"manager\"}", 409,
                         "conflict");
  deactivate = gt_api_error (server, "PATCH", admin_path, admin, "{\"active\":false}", 409,
                             "conflict");

  /* with a second admin, one of them may step down */
  second = gt_api (server, "POST", "/users", admin, body, 201);
  second_path = user_path (second);
  second_token = gt_login (server, name);
  demoted = gt_api (server, "PATCH", second_path, admin, "{\"role\":\"manager\"}", 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (demoted), "role"), ==,
                   "manager");

  /* and then "admin" is the last one again */
  demote_again = gt_api_error (server, "PATCH", admin_path, admin, "{\"role\":\"cashier\"}", 409,
                               "conflict");
  after = gt_api (server, "GET", "/users", admin, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (find_user (after, "admin"), "role"), ==, "admin");
  g_assert_true (json_object_get_boolean_member (find_user (after, "admin"), "active"));
}

static void
test_password_change (void)
{
  g_autofree char *admin = gt_login (server, "admin");
  g_autofree char *name = unique_username ("pw");
  g_autofree char *body = user_body (name, "cashier");
  g_autoptr (JsonNode) created = gt_api (server, "POST", "/users", admin, body, 201);
  g_autofree char *path = user_path (created);
  g_autofree char *old_login =
    g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\",\"counter\":\"C\"}", name, name);
  g_autofree char *new_login =
    g_strdup_printf ("{\"username\":\"%s\",\"password\":\"n3w-secret\",\"counter\":\"C\"}", name);
  g_autoptr (JsonNode) patched = NULL;
  g_autoptr (JsonNode) old_refused = NULL;
  g_autoptr (JsonNode) new_ok = NULL;
  g_autoptr (JsonNode) missing = NULL;

  patched = gt_api (server, "PATCH", path, admin, "{\"password\":\"n3w-secret\"}", 200);
  assert_no_secret (patched);
  old_refused = gt_api_error (server, "POST", "/sessions", NULL, old_login, 401,
                              "invalid_credentials");
  new_ok = gt_api (server, "POST", "/sessions", NULL, new_login, 201);
  missing = gt_api_error (server, "PATCH", "/users/999999", admin, "{\"display_name\":\"x\"}", 404,
                          "not_found");
}

int
main (int argc, char *argv[])
{
  gt_fixture_init (&argc, &argv);
  server = gt_fixture_server ("main", (const char *[]){ "--demo", NULL });

  gt_fixture_add ("/users/list", test_list);
  gt_fixture_add ("/users/create", test_create);
  gt_fixture_add ("/users/manager-cashiers-only", test_manager_manages_cashiers_only);
  gt_fixture_add ("/users/no-self-promotion", test_no_self_promotion);
  gt_fixture_add ("/users/cashier-self-promotion", test_cashier_self_promotion);
  gt_fixture_add ("/users/last-admin", test_last_admin);
  gt_fixture_add ("/users/password-change", test_password_change);

  return gt_fixture_run ();
}
