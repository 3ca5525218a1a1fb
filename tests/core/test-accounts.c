/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "gt-core-fixture.h"

static gboolean
file_contains (const char *path, const char *needle)
{
  g_autofree char *contents = NULL;
  gsize            needle_len = strlen (needle);
  gsize            len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return FALSE;
  for (gsize i = 0; i + needle_len <= len; i++)
    if (memcmp (contents + i, needle, needle_len) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_no_secrets (JsonObject *user)
{
  g_assert_false (json_object_has_member (user, "password"));
  g_assert_false (json_object_has_member (user, "password_hash"));
  g_assert_false (json_object_has_member (user, "hash"));
}

static void
test_accounts_password_hash (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) list = NULL;
  sqlite3_stmt *stmt = NULL;
  const char   *hash;
  JsonArray    *users;

  g_assert_cmpint (sqlite3_prepare_v2 (gt_db_handle (f->engine->db),
                                       "SELECT password_hash FROM user WHERE username = 'cashier'",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  hash = (const char *) sqlite3_column_text (stmt, 0);
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_null (strstr (hash, "cashier-pw"));
  sqlite3_finalize (stmt);
  g_assert_false (file_contains (f->path, "cashier-pw"));

  list = gt_engine_list_users (f->engine, NULL, &error);
  g_assert_no_error (error);
  users = json_object_get_array_member (list, "users");
  g_assert_cmpuint (json_array_get_length (users), ==, 1);
  assert_no_secrets (json_array_get_object_element (users, 0));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (users, 0), "role"),
                   ==, "cashier");
}

static void
test_accounts_session_token (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GtPrincipal) again = NULL;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *second_token = NULL;
  g_autoptr (GtPrincipal) second = NULL;
  unsigned char hash[crypto_hash_sha256_BYTES];
  sqlite3_stmt *stmt = NULL;
  const char   *token = f->cashier_token;

  /* 256 random bits, URL-safe. */
  g_assert_cmpuint (strlen (token), >=, 43);
  for (const char *p = token; *p; p++)
    g_assert_true (g_ascii_isalnum (*p) || *p == '-' || *p == '_');

  g_assert_cmpint (f->cashier->role, ==, GT_ROLE_CASHIER);
  g_assert_cmpstr (f->cashier->counter, ==, "Counter 1");
  g_assert_cmpint (f->cashier->session_id, >, 0);

  /* Only a hash of the token is stored: not in any column, not in the files. */
  crypto_hash_sha256 (hash, (const unsigned char *) token, strlen (token));
  g_assert_cmpint (sqlite3_prepare_v2 (gt_db_handle (f->engine->db),
                                       "SELECT token_hash FROM session WHERE id = ?", -1, &stmt,
                                       NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, f->cashier->session_id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_bytes (stmt, 0), ==, sizeof hash);
  g_assert_cmpmem (sqlite3_column_blob (stmt, 0), sizeof hash, hash, sizeof hash);
  sqlite3_finalize (stmt);
  g_assert_false (file_contains (f->path, token));
  g_assert_false (file_contains (wal, token));

  /* The same token again is the same session. */
  again = gt_engine_authenticate (f->engine, token, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->session_id, ==, f->cashier->session_id);

  /* A second login is a second session with another token; both work. */
  second = gt_core_sign_in (f->engine, "cashier", "cashier", &second_token);
  g_assert_cmpstr (second_token, !=, token);
  g_assert_cmpint (second->session_id, !=, f->cashier->session_id);
  g_assert_cmpint (second->user_id, ==, f->cashier->user_id);
  g_clear_pointer (&again, gt_principal_free);
  again = gt_engine_authenticate (f->engine, token, &error);
  g_assert_no_error (error);

  /* A token that is not one. */
  g_clear_pointer (&again, gt_principal_free);
  again = gt_engine_authenticate (f->engine, "not-a-token", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_UNAUTHORIZED);
  g_assert_null (again);
  g_clear_error (&error);
  again = gt_engine_authenticate (f->engine, "", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_UNAUTHORIZED);
}

static void
test_accounts_session_expiry (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  GtPrincipal *principal;

  _gt_engine_shift_time (f->engine, 11 * G_TIME_SPAN_HOUR);
  principal = gt_engine_authenticate (f->engine, f->cashier_token, &error);
  g_assert_no_error (error);
  g_assert_nonnull (principal);
  gt_principal_free (principal);

  _gt_engine_shift_time (f->engine, 2 * G_TIME_SPAN_HOUR);
  principal = gt_engine_authenticate (f->engine, f->cashier_token, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_UNAUTHORIZED);
  g_assert_null (principal);
}

static void
test_accounts_logout (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GtPrincipal) other = gt_core_sign_in (f->engine, "cashier2", "cashier", NULL);
  g_autofree char *state = NULL;
  g_autoptr (JsonObject) hold = NULL;
  GtPrincipal *principal;

  gt_core_hold (f->engine, f->cashier, f->showtime_id, "B3", "B4", NULL);
  state = gt_core_seat_state (f->engine, other, f->showtime_id, "B3");
  g_assert_cmpstr (state, ==, "held");

  g_assert_true (gt_engine_logout (f->engine, f->cashier, &error));
  g_assert_no_error (error);
  principal = gt_engine_authenticate (f->engine, f->cashier_token, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_UNAUTHORIZED);
  g_assert_null (principal);
  g_clear_error (&error);

  /* Seats held by a counter that signs off go back on sale at once. */
  g_clear_pointer (&state, g_free);
  state = gt_core_seat_state (f->engine, other, f->showtime_id, "B3");
  g_assert_cmpstr (state, ==, "free");
  gt_core_hold (f->engine, other, f->showtime_id, "B3", "B4", NULL);
}

static void
test_accounts_wrong_login (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) wrong_password = NULL;
  g_autoptr (GError) unknown_user = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (GAsyncResult) result = NULL;

  answer = gt_core_login (f->engine, "cashier", "wrong-pw", &wrong_password);
  g_assert_null (answer);
  g_assert_error (wrong_password, GT_ERROR, GT_ERROR_INVALID_CREDENTIALS);

  answer = gt_core_login (f->engine, "nobody", "cashier-pw", &unknown_user);
  g_assert_null (answer);
  g_assert_error (unknown_user, GT_ERROR, GT_ERROR_INVALID_CREDENTIALS);

  /* The same answer for both: it must not tell which usernames exist. */
  g_assert_cmpstr (wrong_password->message, ==, unknown_user->message);
  g_assert_null (gt_error_get_details (wrong_password));
  g_assert_null (gt_error_get_details (unknown_user));

  /* A body without a username is a field error, not a failed login. */
  answer = gt_core_login (f->engine, "", "x", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_FIELD);
  g_assert_cmpstr (gt_core_error_field (error), ==, "username");
}

static void
on_rush_login_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GPtrArray *results = user_data;

  g_ptr_array_add (results, g_object_ref (result));
}

/* A shift starting at every counter: sign-ins at once wait in line for the
 * password checks' own threads, and each still gets its own answer. */
static void
test_accounts_login_rush (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) results = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GHashTable) tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const guint n = 12;
  guint       refused = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (JsonObject) body = gt_core_json ("{\"username\":\"cashier\",\"password\":\"%s\"}",
                                                  i % 4 == 3 ? "wrong-pw" : "cashier-pw");

      gt_engine_login_async (f->engine, body, NULL, on_rush_login_cb, results);
    }
  while (results->len < n)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonObject) answer = gt_engine_login_finish (f->engine, results->pdata[i], &error);

      if (answer != NULL)
        g_hash_table_add (tokens, g_strdup (json_object_get_string_member (answer, "token")));
      else
        {
          g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_CREDENTIALS);
          refused++;
        }
    }
  g_assert_cmpuint (refused, ==, n / 4);
  g_assert_cmpuint (g_hash_table_size (tokens), ==, n - n / 4);
}

static void
test_accounts_rate_limit (GtCoreFixture *f, gconstpointer data)
{
  const char *names[] = { "cashier", "ghost" };

  for (guint n = 0; n < G_N_ELEMENTS (names); n++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonObject) answer = NULL;
      JsonObject *details;
      gint64      retry_after;

      for (guint i = 0; i < 5; i++)
        {
          answer = gt_core_login (f->engine, names[n], "wrong-pw", &error);
          g_assert_null (answer);
          g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_CREDENTIALS);
          g_clear_error (&error);
        }

      /* Refused even with the right password, and for an unknown name alike. */
      answer = gt_core_login (f->engine, names[n], "cashier-pw", &error);
      g_assert_null (answer);
      g_assert_error (error, GT_ERROR, GT_ERROR_TOO_MANY_ATTEMPTS);
      details = gt_error_get_details (error);
      g_assert_nonnull (details);
      g_assert_true (json_object_has_member (details, "retry_after"));
      retry_after = json_object_get_int_member (details, "retry_after");
      g_assert_cmpint (retry_after, >=, 1);
      g_assert_cmpint (retry_after, <=, 301);
    }

  {
    g_autoptr (GError) error = NULL;
    g_autoptr (JsonObject) answer = NULL;
    g_autoptr (GtPrincipal) other = NULL;

    /* Per username: another user still signs in. */
    other = gt_core_sign_in (f->engine, "cashier2", "cashier", NULL);

    /* Part of the window later: still refused, and told to wait less. */
    _gt_engine_shift_time (f->engine, 2 * G_TIME_SPAN_MINUTE);
    answer = gt_core_login (f->engine, "cashier", "cashier-pw", &error);
    g_assert_error (error, GT_ERROR, GT_ERROR_TOO_MANY_ATTEMPTS);
    g_assert_cmpint (json_object_get_int_member (gt_error_get_details (error), "retry_after"), <=,
                     181);
    g_clear_error (&error);

    /* Once the window has passed, the right password works again. */
    _gt_engine_shift_time (f->engine, 3 * G_TIME_SPAN_MINUTE + 2 * G_TIME_SPAN_SECOND);
    answer = gt_core_login (f->engine, "cashier", "cashier-pw", &error);
    g_assert_no_error (error);
    g_assert_nonnull (answer);
    g_assert_true (json_object_has_member (answer, "token"));
  }
}

static JsonObject *
update_user (GtEngine    *engine,
             GtPrincipal *principal,
             gint64       id,
             const char  *body_text,
             GError     **error)
{
  g_autoptr (JsonObject) body = gt_core_json ("%s", body_text);

  return gt_engine_update_user (engine, principal, id, body, error);
}

static JsonObject *
create_user (GtEngine    *engine,
             GtPrincipal *principal,
             const char  *username,
             const char  *role,
             GError     **error)
{
  g_autoptr (JsonObject) body = NULL;

  body = gt_core_json ("{\"username\":\"%s\",\"password\":\"secret\",\"role\":\"%s\","
                       "\"display_name\":\"Someone\"}",
                       username, role);
  return gt_engine_create_user (engine, principal, body, error);
}

static void
test_accounts_roles (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GtPrincipal) admin = gt_core_sign_in (f->engine, "admin", "admin", NULL);
  g_autoptr (GtPrincipal) manager = gt_core_sign_in (f->engine, "manager", "manager", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) user = NULL;
  g_autoptr (JsonObject) list = NULL;
  gint64     manager2_id = gt_core_create_user (f->engine, "manager2", "manager");
  gint64     cashier3_id;
  JsonArray *users;

  /* A manager makes cashiers, nothing higher. */
  user = create_user (f->engine, manager, "cashier3", "cashier", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (user, "role"), ==, "cashier");
  g_assert_cmpstr (json_object_get_string_member (user, "display_name"), ==, "Someone");
  g_assert_true (json_object_get_boolean_member (user, "active"));
  assert_no_secrets (user);
  cashier3_id = json_object_get_int_member (user, "id");
  g_clear_pointer (&user, json_object_unref);

  user = create_user (f->engine, manager, "manager3", "manager", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_FORBIDDEN);
  g_assert_null (user);
  g_clear_error (&error);
  user = create_user (f->engine, manager, "admin3", "admin", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_FORBIDDEN);
  g_clear_error (&error);

  /* A cashier manages nobody; the role is checked before the body. */
  user = create_user (f->engine, f->cashier, "cashier4", "cashier", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_FORBIDDEN);
  g_clear_error (&error);
  user = create_user (f->engine, f->cashier, "bad name", "boss", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_FORBIDDEN);
  g_clear_error (&error);
  list = gt_engine_list_users (f->engine, f->cashier, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_FORBIDDEN);
  g_assert_null (list);
  g_clear_error (&error);
  user = update_user (f->engine, f->cashier, f->cashier->user_id, "{\"role\":\"manager\"}", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_FORBIDDEN);
  g_clear_error (&error);

  /* A manager sees the cashiers and itself. */
  list = gt_engine_list_users (f->engine, manager, &error);
  g_assert_no_error (error);
  users = json_object_get_array_member (list, "users");
  g_assert_cmpuint (json_array_get_length (users), ==, 3); /* cashier, cashier3, itself */
  for (guint i = 0; i < json_array_get_length (users); i++)
    {
      JsonObject *u = json_array_get_object_element (users, i);

      assert_no_secrets (u);
      if (!g_str_equal (json_object_get_string_member (u, "role"), "cashier"))
        g_assert_cmpint (json_object_get_int_member (u, "id"), ==, manager->user_id);
    }
  g_clear_pointer (&list, json_object_unref);
  list = gt_engine_list_users (f->engine, admin, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gt_core_array_length (list, "users"), ==, 5);

  /* A manager edits cashiers, but does not promote them or touch managers. */
  user = update_user (f->engine, manager, cashier3_id, "{\"display_name\":\"Citra\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (user, "display_name"), ==, "Citra");
  g_clear_pointer (&user, json_object_unref);
  user = update_user (f->engine, manager, cashier3_id, "{\"role\":\"manager\"}", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_FORBIDDEN);
  g_clear_error (&error);
  user = update_user (f->engine, manager, manager2_id, "{\"active\":false}", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_FORBIDDEN);
  g_clear_error (&error);
  user = update_user (f->engine, manager, admin->user_id, "{\"display_name\":\"X\"}", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_FORBIDDEN);
  g_clear_error (&error);

  /* Nobody raises their own role. */
  user = update_user (f->engine, manager, manager->user_id, "{\"role\":\"admin\"}", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_cmpint (gt_core_count (f->engine, "SELECT COUNT (*) FROM user WHERE role = 'admin'"), ==,
                   1);

  /* An admin promotes. */
  user = update_user (f->engine, admin, cashier3_id, "{\"role\":\"manager\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (user, "role"), ==, "manager");
  g_clear_pointer (&user, json_object_unref);

  /* Field rules. */
  user = create_user (f->engine, admin, "cashier", "cashier", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_CONFLICT);
  g_clear_error (&error);
  user = create_user (f->engine, admin, "two words", "cashier", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_FIELD);
  g_assert_cmpstr (gt_core_error_field (error), ==, "username");
  g_clear_error (&error);
  user = create_user (f->engine, admin, "someone", "boss", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_FIELD);
  g_assert_cmpstr (gt_core_error_field (error), ==, "role");
  g_clear_error (&error);
  {
    g_autoptr (JsonObject) body = gt_core_json ("{\"username\":\"shorty\",\"password\":\"abc\","
                                                "\"role\":\"cashier\"}");
    user = gt_engine_create_user (f->engine, admin, body, &error);
    g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_FIELD);
    g_assert_cmpstr (gt_core_error_field (error), ==, "password");
  }
}

static void
test_accounts_last_admin (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GtPrincipal) admin = gt_core_sign_in (f->engine, "admin", "admin", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) user = NULL;
  gint64 admin2_id;

  user = update_user (f->engine, admin, admin->user_id, "{\"role\":\"manager\"}", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_CONFLICT);
  g_assert_null (user);
  g_clear_error (&error);
  user = update_user (f->engine, admin, admin->user_id, "{\"active\":false}", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_CONFLICT);
  g_clear_error (&error);
  /* Not even from the command line. */
  user = update_user (f->engine, NULL, admin->user_id, "{\"role\":\"cashier\"}", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (gt_core_count (f->engine,
                                  "SELECT COUNT (*) FROM user WHERE role = 'admin' AND active = 1"),
                   ==, 1);

  /* With a second admin, the first may step down; then the second is the last. */
  admin2_id = gt_core_create_user (f->engine, "admin2", "admin");
  user = update_user (f->engine, admin, admin->user_id, "{\"role\":\"manager\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (user, "role"), ==, "manager");
  g_clear_pointer (&user, json_object_unref);
  user = update_user (f->engine, NULL, admin2_id, "{\"active\":false}", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_CONFLICT);
}

/* A session already in use sees its user's new role and name at its next
 * request, not a copy of who it was when it signed in. */
static void
test_accounts_changes_reach_sessions (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) user = NULL;
  g_autoptr (GtPrincipal) before = NULL;
  g_autoptr (GtPrincipal) after = NULL;

  for (guint i = 0; i < 2; i++)
    {
      g_clear_pointer (&before, gt_principal_free);
      before = gt_engine_authenticate (f->engine, f->cashier_token, &error);
      g_assert_no_error (error);
      g_assert_cmpint (before->role, ==, GT_ROLE_CASHIER);
    }

  user = update_user (f->engine, NULL, f->cashier->user_id,
                      "{\"role\":\"manager\",\"display_name\":\"Citra Manager\"}", &error);
  g_assert_no_error (error);
  after = gt_engine_authenticate (f->engine, f->cashier_token, &error);
  g_assert_no_error (error);
  g_assert_cmpint (after->role, ==, GT_ROLE_MANAGER);
  g_assert_cmpstr (after->display_name, ==, "Citra Manager");
  g_assert_cmpint (after->session_id, ==, before->session_id);
}

static void
test_accounts_deactivate_and_password (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) user = NULL;
  g_autoptr (JsonObject) answer = NULL;
  g_autoptr (GtPrincipal) second = NULL;
  g_autofree char *second_token = NULL;
  GtPrincipal     *principal;

  /* A new password ends the user's sessions. */
  user = update_user (f->engine, NULL, f->cashier->user_id, "{\"password\":\"new-secret\"}",
                      &error);
  g_assert_no_error (error);
  principal = gt_engine_authenticate (f->engine, f->cashier_token, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_UNAUTHORIZED);
  g_assert_null (principal);
  g_clear_error (&error);
  answer = gt_core_login (f->engine, "cashier", "cashier-pw", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_CREDENTIALS);
  g_clear_error (&error);
  answer = gt_core_login (f->engine, "cashier", "new-secret", &error);
  g_assert_no_error (error);
  g_assert_nonnull (answer);
  second_token = g_strdup (json_object_get_string_member (answer, "token"));

  /* So does deactivation, and the user cannot sign in again. */
  g_clear_pointer (&user, json_object_unref);
  user = update_user (f->engine, NULL, f->cashier->user_id, "{\"active\":false}", &error);
  g_assert_no_error (error);
  g_assert_false (json_object_get_boolean_member (user, "active"));
  principal = gt_engine_authenticate (f->engine, second_token, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_UNAUTHORIZED);
  g_clear_error (&error);
  g_clear_pointer (&answer, json_object_unref);
  answer = gt_core_login (f->engine, "cashier", "new-secret", &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_CREDENTIALS);
}

int
main (int argc, char *argv[])
{
  gt_core_init (&argc, &argv);

  gt_core_add ("/core/accounts/password-hash", test_accounts_password_hash);
  gt_core_add ("/core/accounts/session-token", test_accounts_session_token);
  gt_core_add ("/core/accounts/session-expiry", test_accounts_session_expiry);
  gt_core_add ("/core/accounts/logout", test_accounts_logout);
  gt_core_add ("/core/accounts/wrong-login", test_accounts_wrong_login);
  gt_core_add ("/core/accounts/login-rush", test_accounts_login_rush);
  gt_core_add ("/core/accounts/rate-limit", test_accounts_rate_limit);
  gt_core_add ("/core/accounts/roles", test_accounts_roles);
  gt_core_add ("/core/accounts/last-admin", test_accounts_last_admin);
  gt_core_add ("/core/accounts/deactivate-and-password", test_accounts_deactivate_and_password);
  gt_core_add ("/core/accounts/changes-reach-sessions", test_accounts_changes_reach_sessions);

  return g_test_run ();
}
