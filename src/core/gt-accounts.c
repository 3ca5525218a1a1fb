/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-accounts"

#include "config.h"

#include "gt-engine-private.h"
#include "gt-json.h"

#define MAX_NAME     64
#define MAX_PASSWORD 256
#define MIN_PASSWORD 4

typedef struct
{
  char  *username;
  char  *password;
  char  *counter;
  char  *hash; /* NULL when there is no such active user */
  gint64 user_id;
} LoginData;

static void
login_data_free (LoginData *data)
{
  g_free (data->username);
  if (data->password != NULL)
    sodium_memzero (data->password, strlen (data->password));
  g_free (data->password);
  g_free (data->counter);
  g_free (data->hash);
  g_free (data);
}

static char *
hash_password (const char *password, GError **error)
{
  char hash[crypto_pwhash_STRBYTES];

  if (crypto_pwhash_str (hash, password, strlen (password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE)
      != 0)
    {
      gt_error_set (error, GT_ERROR_INTERNAL, NULL, "Not enough memory to hash the password");
      return NULL;
    }
  return g_strdup (hash);
}

static void
token_hash (const char *token, unsigned char out[crypto_hash_sha256_BYTES])
{
  crypto_hash_sha256 (out, (const unsigned char *) token, strlen (token));
}

static gboolean
valid_username (const char *name)
{
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != '_')
      return FALSE;
  return name[0] != '\0';
}

/* Failures of the last window for @username, oldest first. */
static GArray *
recent_failures (GtEngine *self, const char *username)
{
  GArray *times = g_hash_table_lookup (self->login_failures, username);
  gint64  now = gt_engine_now (self);
  guint   keep = 0;

  if (times == NULL)
    return NULL;
  while (keep < times->len && g_array_index (times, gint64, keep) <= now - GT_LOGIN_WINDOW)
    keep++;
  g_array_remove_range (times, 0, keep);
  return times;
}

static void
record_failure (GtEngine *self, const char *username)
{
  GArray *times = recent_failures (self, username);
  gint64  now = gt_engine_now (self);

  if (times == NULL)
    {
      /* Bound the table: unknown names cost memory only while they are fresh. */
      if (g_hash_table_size (self->login_failures) > 10000)
        g_hash_table_remove_all (self->login_failures);
      times = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (self->login_failures, g_strdup (username), times);
    }
  g_array_append_val (times, now);
}

typedef struct
{
  GTask          *task;
  GTaskThreadFunc func;
} PasswordWork;

static void
password_work_run (gpointer data, gpointer user_data)
{
  PasswordWork *work = data;

  work->func (work->task, g_task_get_source_object (work->task), g_task_get_task_data (work->task),
              g_task_get_cancellable (work->task));
  g_object_unref (work->task);
  g_free (work);
}

static gpointer
password_pool_new (gpointer data)
{
  return g_thread_pool_new (password_work_run, NULL, (int) g_get_num_processors (), FALSE, NULL);
}

/* Argon2id takes tens of milliseconds and 64 MiB: never on the main loop.
 * Hashes take turns, one per processor, so that a rush of sign-ins (a shift
 * starting at every counter) takes 64 MiB per processor rather than per
 * request, and the first in line does not wait for the last. GTask's own
 * pool ran ten and more at once: 1 GB for 32 sign-ins (bench-holds). */
static void
run_password_work (GTask *task, GTaskThreadFunc func)
{
  static GOnce  once = G_ONCE_INIT;
  GThreadPool  *pool = g_once (&once, password_pool_new, NULL);
  PasswordWork *work = g_new (PasswordWork, 1);

  work->task = g_object_ref (task);
  work->func = func;
  g_thread_pool_push (pool, work, NULL);
}

static void
verify_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  /* A fixed hash for unknown users, so that both answers take as long. */
  static const char dummy[] = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$"
                              "kDfHHNqYqPnt6YAHbBrTyi9tqcnRkbuPqqBZEZYFnUU";
  LoginData        *data = task_data;
  const char       *hash = data->hash ? data->hash : dummy;
  gboolean ok = crypto_pwhash_str_verify (hash, data->password, strlen (data->password)) == 0;

  g_task_return_boolean (task, ok && data->hash != NULL);
}

static JsonObject *
user_to_json (sqlite3_stmt *stmt)
{
  JsonObject *user = json_object_new ();

  json_object_set_int_member (user, "id", sqlite3_column_int64 (stmt, 0));
  json_object_set_string_member (user, "username", gt_db_column_text (stmt, 1));
  json_object_set_string_member (user, "display_name", gt_db_column_text (stmt, 2));
  json_object_set_string_member (user, "role", gt_db_column_text (stmt, 3));
  json_object_set_boolean_member (user, "active", sqlite3_column_int (stmt, 4));
  return user;
}

#define USER_COLUMNS "id, username, display_name, role, active"

static JsonObject *
get_user (GtEngine *self, gint64 id, GError **error)
{
  sqlite3_stmt *stmt = gt_db_query (self->db, "SELECT " USER_COLUMNS " FROM user WHERE id = ?", "I",
                                    id);
  JsonObject   *user = NULL;

  if (gt_db_step (self->db, stmt, error))
    {
      user = user_to_json (stmt);
      sqlite3_reset (stmt);
    }
  else if (error == NULL || *error == NULL)
    gt_error_set (error, GT_ERROR_NOT_FOUND, NULL, "There is no user %" G_GINT64_FORMAT, id);
  return user;
}

void
gt_engine_login_async (GtEngine           *self,
                       JsonObject         *body,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  const char   *username = NULL;
  const char   *password = NULL;
  const char   *counter = "Counter";
  LoginData    *data;
  GArray       *failures;
  sqlite3_stmt *stmt;

  g_return_if_fail (GT_IS_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gt_engine_login_async);

  if (!gt_json_get_string (body, "username", TRUE, MAX_NAME, &username, &error)
      || !gt_json_get_string (body, "password", TRUE, MAX_PASSWORD, &password, &error)
      || !gt_json_get_string (body, "counter", FALSE, MAX_NAME, &counter, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  failures = recent_failures (self, username);
  if (failures != NULL && failures->len >= GT_LOGIN_MAX_FAILS)
    {
      gint64      oldest = g_array_index (failures, gint64, failures->len - GT_LOGIN_MAX_FAILS);
      gint64      wait = (oldest + GT_LOGIN_WINDOW - gt_engine_now (self)) / G_USEC_PER_SEC + 1;
      JsonObject *details = json_object_new ();

      json_object_set_int_member (details, "retry_after", MAX (1, wait));
      gt_error_set (&error, GT_ERROR_TOO_MANY_ATTEMPTS, details,
                    "Too many failed sign-ins for “%s”; try again in %" G_GINT64_FORMAT " s",
                    username, MAX (1, wait));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (LoginData, 1);
  data->username = g_strdup (username);
  data->password = g_strdup (password);
  data->counter = g_strdup (counter[0] ? counter : "Counter");
  stmt = gt_db_query (self->db,
                      "SELECT id, password_hash FROM user WHERE username = ? AND active = 1", "s",
                      username);
  if (gt_db_step (self->db, stmt, NULL))
    {
      data->user_id = sqlite3_column_int64 (stmt, 0);
      data->hash = g_strdup (gt_db_column_text (stmt, 1));
      sqlite3_reset (stmt);
    }

  g_task_set_task_data (task, data, (GDestroyNotify) login_data_free);
  run_password_work (task, verify_in_thread);
}

JsonObject *
gt_engine_login_finish (GtEngine *self, GAsyncResult *result, GError **error)
{
  unsigned char raw[32];
  unsigned char hash[crypto_hash_sha256_BYTES];
  char          token[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  GError       *local_error = NULL;
  JsonObject   *answer;
  JsonObject   *user;
  LoginData    *data;
  gint64        now;
  gint64        expires;
  gboolean      ok;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  data = g_task_get_task_data (G_TASK (result));
  ok = g_task_propagate_boolean (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (!ok)
    {
      record_failure (self, data->username);
      gt_error_set (error, GT_ERROR_INVALID_CREDENTIALS, NULL, "Wrong username or password");
      return NULL;
    }
  g_hash_table_remove (self->login_failures, data->username);

  randombytes_buf (raw, sizeof raw);
  sodium_bin2base64 (token, sizeof token, raw, sizeof raw,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (raw, sizeof raw);
  token_hash (token, hash);
  now = gt_engine_now (self);
  expires = now + GT_SESSION_LIFETIME;

  if (!_gt_engine_begin (self, error))
    return NULL;
  ok = gt_db_run (self->db, error,
                  "INSERT INTO session (token_hash, user_id, counter, created_at, expires_at)"
                  " VALUES (?, ?, ?, ?, ?)",
                  "bIsII", hash, sizeof hash, data->user_id, data->counter, now, expires);
  user = ok ? get_user (self, data->user_id, error) : NULL;
  if (!_gt_engine_end (self, user != NULL, error))
    {
      g_clear_pointer (&user, json_object_unref);
      return NULL;
    }

  answer = json_object_new ();
  json_object_set_string_member (answer, "token", token);
  gt_json_set_time (answer, "expires_at", expires);
  json_object_set_string_member (answer, "counter", data->counter);
  json_object_set_object_member (answer, "user", user);
  sodium_memzero (token, sizeof token);
  return answer;
}

GtPrincipal *
gt_engine_authenticate (GtEngine *self, const char *token, GError **error)
{
  unsigned char hash[crypto_hash_sha256_BYTES];
  GtPrincipal  *principal = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (token == NULL || token[0] == '\0' || strlen (token) > 128)
    {
      gt_error_set (error, GT_ERROR_UNAUTHORIZED, NULL, "Sign in first");
      return NULL;
    }

  token_hash (token, hash);
  stmt = gt_db_query (self->db,
                      "SELECT s.id, s.counter, u.id, u.username, u.display_name, u.role"
                      " FROM session s JOIN user u ON u.id = s.user_id"
                      " WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1",
                      "bI", hash, sizeof hash, gt_engine_now (self));
  if (gt_db_step (self->db, stmt, error))
    {
      principal = g_new0 (GtPrincipal, 1);
      principal->session_id = sqlite3_column_int64 (stmt, 0);
      principal->counter = g_strdup (gt_db_column_text (stmt, 1));
      principal->user_id = sqlite3_column_int64 (stmt, 2);
      principal->username = g_strdup (gt_db_column_text (stmt, 3));
      principal->display_name = g_strdup (gt_db_column_text (stmt, 4));
      principal->role = gt_role_from_string (gt_db_column_text (stmt, 5));
      sqlite3_reset (stmt);
    }
  else if (error == NULL || *error == NULL)
    gt_error_set (error, GT_ERROR_UNAUTHORIZED, NULL, "The session has ended; sign in again");
  return principal;
}

gboolean
gt_engine_logout (GtEngine *self, GtPrincipal *principal, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (GT_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (principal != NULL, FALSE);

  if (!_gt_engine_begin (self, error))
    return FALSE;
  /* Seats held by a counter that signs off go back on sale at once. */
  ok = _gt_accounts_release_session_holds (self, principal->session_id, error)
       && gt_db_run (self->db, error, "DELETE FROM session WHERE id = ?", "I",
                     principal->session_id);
  return _gt_engine_end (self, ok, error);
}

JsonObject *
gt_engine_list_users (GtEngine *self, GtPrincipal *principal, GError **error)
{
  g_autoptr (JsonArray) users = json_array_new ();
  JsonObject   *answer;
  sqlite3_stmt *stmt;
  GError       *local_error = NULL;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (!gt_principal_require (principal, GT_ROLE_MANAGER, error))
    return NULL;

  /* A manager sees the cashiers it may manage, and itself. */
  stmt = gt_db_query (self->db,
                      "SELECT " USER_COLUMNS " FROM user"
                      " WHERE ? OR role = 'cashier' OR id = ? ORDER BY username",
                      "iI", principal == NULL || principal->role >= GT_ROLE_ADMIN,
                      principal ? principal->user_id : 0);
  while (gt_db_step (self->db, stmt, &local_error))
    json_array_add_object_element (users, user_to_json (stmt));
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  answer = json_object_new ();
  json_object_set_array_member (answer, "users", g_steal_pointer (&users));
  return answer;
}

static gboolean
check_role_change (GtPrincipal *principal, GtRole target_role, GtRole new_role, GError **error)
{
  if (principal == NULL)
    return TRUE;
  if (principal->role < GT_ROLE_ADMIN
      && (target_role > GT_ROLE_CASHIER || new_role > GT_ROLE_CASHIER))
    {
      gt_error_set (error, GT_ERROR_FORBIDDEN, NULL, "A manager may manage cashiers only");
      return FALSE;
    }
  if (new_role > principal->role)
    {
      gt_error_set (error, GT_ERROR_FORBIDDEN, NULL, "Nobody can give a role above their own");
      return FALSE;
    }
  return TRUE;
}

/* Creates a user; @hash is the password's hash when a worker thread made it
 * already, else it is made here. */
static JsonObject *
create_user (GtEngine    *self,
             GtPrincipal *principal,
             JsonObject  *body,
             const char  *prehashed,
             GError     **error)
{
  const char      *username = NULL;
  const char      *password = NULL;
  const char      *display_name = NULL;
  const char      *role_name = NULL;
  g_autofree char *hash = NULL;
  JsonObject      *user = NULL;
  sqlite3_stmt    *stmt;
  GtRole           role;
  gboolean         taken;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (!gt_principal_require (principal, GT_ROLE_MANAGER, error)
      || !gt_json_get_string (body, "username", TRUE, MAX_NAME, &username, error)
      || !gt_json_get_string (body, "password", TRUE, MAX_PASSWORD, &password, error)
      || !gt_json_get_string (body, "display_name", FALSE, 128, &display_name, error)
      || !gt_json_get_string (body, "role", TRUE, 16, &role_name, error))
    return NULL;

  if (!valid_username (username))
    {
      gt_error_set_field (error, "username",
                          "A username has only letters, digits, “.”, “-” and “_”");
      return NULL;
    }
  if (strlen (password) < MIN_PASSWORD)
    {
      gt_error_set_field (error, "password", "A password has at least %d characters", MIN_PASSWORD);
      return NULL;
    }
  if ((role = gt_role_from_string (role_name)) == GT_ROLE_NONE)
    {
      gt_error_set_field (error, "role", "The role is one of cashier, manager, admin");
      return NULL;
    }
  if (!check_role_change (principal, GT_ROLE_CASHIER, role, error))
    return NULL;

  stmt = gt_db_query (self->db, "SELECT 1 FROM user WHERE username = ?", "s", username);
  taken = gt_db_step (self->db, stmt, NULL);
  sqlite3_reset (stmt);
  if (taken)
    {
      gt_error_set (error, GT_ERROR_CONFLICT, NULL, "The username “%s” is taken", username);
      return NULL;
    }

  if (prehashed != NULL)
    hash = g_strdup (prehashed);
  else if (!(hash = hash_password (password, error)))
    return NULL;

  if (!_gt_engine_begin (self, error))
    return NULL;
  if (gt_db_run (self->db, error,
                 "INSERT INTO user (username, display_name, role, password_hash, created_at)"
                 " VALUES (?, ?, ?, ?, ?)",
                 "ssssI", username, display_name && display_name[0] ? display_name : username,
                 gt_role_to_string (role), hash, gt_engine_now (self)))
    {
      gint64 id = gt_db_last_insert_id (self->db);

      if (_gt_engine_audit (self, principal, "user.create", "user", id, _gt_audit_reason (body),
                            _gt_audit_changes (body), error))
        user = get_user (self, id, error);
    }
  if (!_gt_engine_end (self, user != NULL, error))
    g_clear_pointer (&user, json_object_unref);
  return user;
}

static gint64
count_other_active_admins (GtEngine *self, gint64 id)
{
  sqlite3_stmt *stmt = gt_db_query (
    self->db, "SELECT COUNT (*) FROM user WHERE role = 'admin' AND active = 1 AND id != ?", "I",
    id);
  gint64 n = 0;

  if (gt_db_step (self->db, stmt, NULL))
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static JsonObject *
update_user (GtEngine    *self,
             GtPrincipal *principal,
             gint64       id,
             JsonObject  *body,
             const char  *prehashed,
             GError     **error)
{
  const char      *display_name = NULL;
  const char      *role_name = NULL;
  const char      *password = NULL;
  g_autofree char *hash = NULL;
  g_autoptr (JsonObject) current = NULL;
  JsonObject *user = NULL;
  GtRole      target_role;
  GtRole      new_role;
  gboolean    active;
  gboolean    ok;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (!gt_principal_require (principal, GT_ROLE_MANAGER, error))
    return NULL;
  if (!(current = get_user (self, id, error)))
    return NULL;

  target_role = gt_role_from_string (json_object_get_string_member (current, "role"));
  active = json_object_get_boolean_member (current, "active");
  if (principal != NULL && principal->role < GT_ROLE_ADMIN && target_role > GT_ROLE_CASHIER
      && id != principal->user_id)
    {
      gt_error_set (error, GT_ERROR_FORBIDDEN, NULL, "A manager may manage cashiers only");
      return NULL;
    }

  if (!gt_json_get_string (body, "display_name", FALSE, 128, &display_name, error)
      || !gt_json_get_string (body, "role", FALSE, 16, &role_name, error)
      || !gt_json_get_bool (body, "active", FALSE, &active, error)
      || !gt_json_get_string (body, "password", FALSE, MAX_PASSWORD, &password, error))
    return NULL;

  new_role = target_role;
  if (role_name != NULL && (new_role = gt_role_from_string (role_name)) == GT_ROLE_NONE)
    {
      gt_error_set_field (error, "role", "The role is one of cashier, manager, admin");
      return NULL;
    }
  if (display_name != NULL && display_name[0] == '\0')
    {
      gt_error_set_field (error, "display_name", "The display name must not be empty");
      return NULL;
    }
  if (password != NULL && strlen (password) < MIN_PASSWORD)
    {
      gt_error_set_field (error, "password", "A password has at least %d characters", MIN_PASSWORD);
      return NULL;
    }

  if (principal != NULL && id == principal->user_id && new_role > target_role)
    {
      gt_error_set (error, GT_ERROR_FORBIDDEN, NULL, "Nobody can raise their own role");
      return NULL;
    }
  if (new_role != target_role && !check_role_change (principal, target_role, new_role, error))
    return NULL;
  if (target_role == GT_ROLE_ADMIN && (new_role != GT_ROLE_ADMIN || !active)
      && count_other_active_admins (self, id) == 0)
    {
      gt_error_set (error, GT_ERROR_CONFLICT, NULL,
                    "This is the last active admin; make another admin first");
      return NULL;
    }

  if (password != NULL && prehashed != NULL)
    hash = g_strdup (prehashed);
  else if (password != NULL && !(hash = hash_password (password, error)))
    return NULL;

  if (!_gt_engine_begin (self, error))
    return NULL;
  ok = gt_db_run (self->db, error,
                  "UPDATE user SET display_name = COALESCE (?, display_name), role = ?,"
                  " active = ?, password_hash = COALESCE (?, password_hash) WHERE id = ?",
                  "ssisI", display_name, gt_role_to_string (new_role), active, hash, id);
  /* A deactivated user, or a new password, ends the user's sessions. */
  if (ok && (!active || hash != NULL))
    ok = gt_db_run (self->db, error, "DELETE FROM session WHERE user_id = ?", "I", id);
  ok = ok
       && _gt_engine_audit (self, principal, "user.update", "user", id, _gt_audit_reason (body),
                            _gt_audit_changes (body), error);
  if (ok)
    user = get_user (self, id, error);
  if (!_gt_engine_end (self, user != NULL, error))
    g_clear_pointer (&user, json_object_unref);
  return user;
}

JsonObject *
gt_engine_create_user (GtEngine *self, GtPrincipal *principal, JsonObject *body, GError **error)
{
  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);
  return create_user (self, principal, body, NULL, error);
}

JsonObject *
gt_engine_update_user (GtEngine    *self,
                       GtPrincipal *principal,
                       gint64       id,
                       JsonObject  *body,
                       GError     **error)
{
  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);
  return update_user (self, principal, id, body, NULL, error);
}

typedef struct
{
  GtPrincipal *principal;
  JsonObject  *body;
  gint64       id; /* 0: a new user */
  char        *password;
} SaveUser;

static void
save_user_free (SaveUser *job)
{
  g_clear_pointer (&job->principal, gt_principal_free);
  g_clear_pointer (&job->body, json_object_unref);
  if (job->password != NULL)
    sodium_memzero (job->password, strlen (job->password));
  g_free (job->password);
  g_free (job);
}

static void
hash_in_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  SaveUser *job = task_data;
  GError   *error = NULL;
  char     *hash = hash_password (job->password, &error);

  if (hash == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, hash, g_free);
}

void
gt_engine_save_user_async (GtEngine           *self,
                           GtPrincipal        *principal,
                           gint64              id,
                           JsonObject         *body,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  const char *password = NULL;
  SaveUser   *job;

  g_return_if_fail (GT_IS_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gt_engine_save_user_async);
  job = g_new0 (SaveUser, 1);
  job->principal = principal ? gt_principal_copy (principal) : NULL;
  job->body = json_object_ref (body);
  job->id = id;
  g_task_set_task_data (task, job, (GDestroyNotify) save_user_free);

  /* A worker thread hashes a password worth hashing (run_password_work());
   * every rule is checked when the user is saved. */
  if (gt_principal_require (principal, GT_ROLE_MANAGER, NULL)
      && gt_json_get_string (body, "password", FALSE, MAX_PASSWORD, &password, NULL)
      && password != NULL && strlen (password) >= MIN_PASSWORD)
    {
      job->password = g_strdup (password);
      run_password_work (task, hash_in_thread);
    }
  else
    g_task_return_pointer (task, NULL, NULL);
}

JsonObject *
gt_engine_save_user_finish (GtEngine *self, GAsyncResult *result, GError **error)
{
  g_autofree char *hash = NULL;
  GError          *local_error = NULL;
  SaveUser        *job;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  job = g_task_get_task_data (G_TASK (result));
  hash = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (job->id == 0)
    return create_user (self, job->principal, job->body, hash, error);
  return update_user (self, job->principal, job->id, job->body, hash, error);
}
