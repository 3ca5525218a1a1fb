/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-engine"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "gt-engine-private.h"
#include "gt-json.h"

G_DEFINE_FINAL_TYPE (GtEngine, gt_engine, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_HOLD_SECONDS,
  N_PROPS
};

enum
{
  COMMITTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

static const struct
{
  const char *key;
  const char *value;
} default_settings[] = {
  { "cinema", "Go-Ticket Cinema" }, { "currency", "IDR" },     { "currency_decimals", "0" },
  { "timezone", "Asia/Jakarta" },   { "hold_seconds", "300" }, { "cleaning_buffer_minutes", "15" },
  { "door_opens_minutes", "60" },
};

static gboolean
ensure_settings (GtEngine *self, GError **error)
{
  g_autofree char *secret = NULL;
  g_autofree char *hold = NULL;
  g_autofree char *cleaning = NULL;
  g_autofree char *door = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (default_settings); i++)
    if (!gt_db_run (self->db, error, "INSERT OR IGNORE INTO setting (key, value) VALUES (?, ?)",
                    "ss", default_settings[i].key, default_settings[i].value))
      return FALSE;

  /* The ticket signing key is made once per database and never leaves it. */
  if (_gt_engine_get_setting (self, "signing_key", &secret) == NULL)
    {
      unsigned char seed[crypto_sign_SEEDBYTES];

      randombytes_buf (seed, sizeof seed);
      secret = g_base64_encode (seed, sizeof seed);
      sodium_memzero (seed, sizeof seed);
      if (!_gt_engine_set_setting (self, "signing_key", secret, error))
        return FALSE;
    }

  {
    gsize              len = 0;
    g_autofree guchar *seed = g_base64_decode (secret, &len);

    if (len != crypto_sign_SEEDBYTES)
      {
        gt_error_set (error, GT_ERROR_INTERNAL, NULL, "The ticket signing key is damaged");
        return FALSE;
      }
    crypto_sign_seed_keypair (self->sign_public, self->sign_secret, seed);
    sodium_memzero (seed, len);
  }

  _gt_engine_get_setting (self, "hold_seconds", &hold);
  self->hold_seconds = MAX (1, g_ascii_strtoull (hold ? hold : "300", NULL, 10));
  _gt_engine_get_setting (self, "cleaning_buffer_minutes", &cleaning);
  self->cleaning_minutes = g_ascii_strtoull (cleaning ? cleaning : "15", NULL, 10);
  _gt_engine_get_setting (self, "door_opens_minutes", &door);
  self->door_minutes = g_ascii_strtoull (door ? door : "60", NULL, 10);

  return TRUE;
}

static gboolean
on_expiry_cb (gpointer user_data)
{
  GtEngine *self = user_data;
  g_autoptr (GError) error = NULL;

  g_clear_pointer (&self->expiry_source, g_source_unref);
  if (gt_engine_release_expired (self, &error) == 0 && error != NULL)
    g_warning ("Could not release expired holds: %s", error->message);
  _gt_engine_schedule_expiry (self);
  return G_SOURCE_REMOVE;
}

static void start_sync (GtEngine *self);

static void
reload_rev (GtEngine *self)
{
  sqlite3_stmt *stmt = gt_db_query (self->db, "SELECT COALESCE (MAX (rev), 0) FROM change_log",
                                    NULL);

  if (gt_db_step (self->db, stmt, NULL))
    self->rev = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
}

void
_gt_clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

/* Commits the open group without waiting for the disk; start_sync() makes it
 * durable. FALSE when the commit failed and the group is lost. */
static gboolean
commit_group (GtEngine *self, GError **error)
{
  guint64 group = self->open_group;

  _gt_clear_source (&self->commit_source);
  if (!gt_db_in_batch (self->db))
    return TRUE;

  self->open_group = 0;
  if (!gt_db_batch_commit (self->db, error))
    {
      reload_rev (self);
      /* Whoever waits for this group is told it failed. */
      self->durable_group = MAX (self->durable_group, group);
      g_signal_emit (self, signals[COMMITTED], 0, (gint64) -1);
      return FALSE;
    }
  self->committed_group = group;
  self->committed_rev = self->rev;
  /* The log has grown by a step: the checkpointer copies it meanwhile. */
  if (self->checkpointer != NULL && self->wal_frames >= self->wal_asked + CHECKPOINT_STEP)
    {
      self->wal_asked = self->wal_frames;
      gt_checkpointer_request (self->checkpointer);
    }
  _gt_engine_schedule_expiry (self);
  return TRUE;
}

static int
wal_fd (GtEngine *self)
{
  if (self->wal_fd < 0)
    {
      g_autofree char *path = g_strconcat (self->path, "-wal", NULL);
      self->wal_fd = open (path, O_RDWR | O_CLOEXEC);
    }
  return self->wal_fd;
}

/* A committed group handed to the sync thread. */
typedef struct _SyncJob
{
  GtEngine *self; /* a reference, until the engine's context has the result */
  int       fd;
  guint64   group;
  gint64    rev;
  int       error; /* the errno of a failed fdatasync, or 0 */
} SyncJob;

static void
sync_job_free (SyncJob *job)
{
  g_object_unref (job->self);
  g_free (job);
}

/* Linux may drop the pages of a failed fsync and report the failure only
 * once. The log would then have a hole, and every group written after it
 * would be lost with it at the next start, whatever later fsyncs say. So
 * the first failure is for good (a failed checkpoint too, see
 * on_checkpoint_failed()). Returns the errno that stands for @error, the
 * result of an fsync; call with sync_mutex held. */
static int
disk_error_after (GtEngine *self, int error)
{
  if (self->fail_next_sync != 0)
    {
      error = self->fail_next_sync;
      self->fail_next_sync = 0;
    }
  if (self->disk_error == 0 && error != 0)
    {
      /* Said before it is seen: whoever finds the disk failed (another
       * thread, without this lock) finds the reason in the log already. */
      g_warning ("Cannot make the database durable (%s): nothing more is saved for good until "
                 "the server starts again",
                 g_strerror (error));
      g_atomic_int_set (&self->disk_error, error);
    }
  return self->disk_error;
}

static gboolean
on_synced_cb (gpointer user_data)
{
  SyncJob  *job = user_data;
  GtEngine *self = job->self;

  self->syncing = FALSE;
  if (job->group > self->durable_group)
    {
      self->durable_group = job->group;
      g_signal_emit (self, signals[COMMITTED], 0, job->error == 0 ? job->rev : (gint64) -1);
    }
  /* What gathered during that fsync is the next group. */
  if (self->open_group != 0 && self->commit_source == NULL)
    commit_group (self, NULL);
  start_sync (self);
  return G_SOURCE_REMOVE;
}

/* The sync thread: one fdatasync at a time, then the durable func, then the
 * engine's context. A thread of its own, waiting on a condition, because
 * handing each fsync to GTask's pool took longer than the fsync itself
 * under load (0.7 ms against 0.15 ms, measured with bench-holds). */
static gpointer
sync_thread_run (gpointer data)
{
  GtEngine *self = data;

  g_mutex_lock (&self->sync_mutex);
  for (;;)
    {
      SyncJob *job;
      GSource *source;

      while (self->sync_job == NULL && !self->sync_quit)
        g_cond_wait (&self->sync_cond, &self->sync_mutex);
      if (self->sync_job == NULL)
        break;
      job = g_steal_pointer (&self->sync_job);
      g_mutex_unlock (&self->sync_mutex);

      if (job->fd >= 0 && fdatasync (job->fd) != 0)
        job->error = errno;

      g_mutex_lock (&self->sync_mutex);
      job->error = disk_error_after (self, job->error);
      if (self->durable_func != NULL)
        self->durable_func (job->group, job->error == 0, self->durable_data);
      source = g_idle_source_new ();
      g_source_set_callback (source, on_synced_cb, job, (GDestroyNotify) sync_job_free);
      g_source_set_static_name (source, "[gt-engine] synced");
      g_source_attach (source, self->context);
      g_source_unref (source);
    }
  g_mutex_unlock (&self->sync_mutex);
  return NULL;
}

/* One fsync at a time, on the sync thread, for every group committed so
 * far: the main loop gathers the next group meanwhile. */
static void
start_sync (GtEngine *self)
{
  SyncJob *job;

  if (self->syncing || self->committed_group <= self->durable_group)
    return;

  job = g_new0 (SyncJob, 1);
  job->self = g_object_ref (self);
  job->fd = wal_fd (self);
  job->group = self->committed_group;
  job->rev = self->committed_rev;
  self->syncing = TRUE;

  g_mutex_lock (&self->sync_mutex);
  if (self->sync_thread == NULL)
    self->sync_thread = g_thread_new ("gt-sync", sync_thread_run, self);
  self->sync_job = job;
  g_cond_signal (&self->sync_cond);
  g_mutex_unlock (&self->sync_mutex);
}

static gboolean
on_commit_cb (gpointer user_data)
{
  GtEngine *self = user_data;
  g_autoptr (GError) error = NULL;

  g_clear_pointer (&self->commit_source, g_source_unref);
  /* While the disk syncs the previous group, this one keeps gathering:
   * on_synced_cb() commits it. One fsync then serves many requests. */
  if (self->syncing)
    return G_SOURCE_REMOVE;
  if (commit_group (self, &error))
    start_sync (self);
  else
    g_warning ("Group commit failed: %s", error->message);
  return G_SOURCE_REMOVE;
}

static void
gt_engine_dispose (GObject *object)
{
  GtEngine *self = (GtEngine *) object;

  if (self->db != NULL)
    gt_engine_flush (self, NULL);
  g_clear_pointer (&self->checkpointer, gt_checkpointer_free);
  /* After a disk failure, closing does not copy what is left of the log
   * into the file: the next start reads all of it again. */
  if (self->db != NULL && gt_engine_get_disk_failed (self))
    sqlite3_db_config (gt_db_handle (self->db), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  _gt_ticket_forget_signed_ahead (self);
  /* Nothing is handed to it any more: a job in flight holds a reference. */
  if (self->sync_thread != NULL)
    {
      g_mutex_lock (&self->sync_mutex);
      self->sync_quit = TRUE;
      g_cond_signal (&self->sync_cond);
      g_mutex_unlock (&self->sync_mutex);
      g_clear_pointer (&self->sync_thread, g_thread_join);
    }
  _gt_clear_source (&self->expiry_source);
  _gt_clear_source (&self->commit_source);

  G_OBJECT_CLASS (gt_engine_parent_class)->dispose (object);
}

static void
gt_engine_finalize (GObject *object)
{
  GtEngine *self = (GtEngine *) object;

  g_clear_pointer (&self->db, gt_db_free);
  g_clear_pointer (&self->login_failures, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->path, g_free);
  if (self->wal_fd >= 0)
    close (self->wal_fd);
  sodium_memzero (self->sign_secret, sizeof self->sign_secret);
  g_mutex_clear (&self->sync_mutex);
  g_cond_clear (&self->sync_cond);

  G_OBJECT_CLASS (gt_engine_parent_class)->finalize (object);
}

static void
gt_engine_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GtEngine *self = GT_ENGINE (object);

  switch (prop_id)
    {
      case PROP_HOLD_SECONDS:
        g_value_set_uint (value, self->hold_seconds);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gt_engine_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GtEngine *self = GT_ENGINE (object);

  switch (prop_id)
    {
      case PROP_HOLD_SECONDS:
        gt_engine_set_hold_seconds (self, g_value_get_uint (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gt_engine_class_init (GtEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gt_engine_dispose;
  object_class->finalize = gt_engine_finalize;
  object_class->get_property = gt_engine_get_property;
  object_class->set_property = gt_engine_set_property;

  properties[PROP_HOLD_SECONDS] = g_param_spec_uint ("hold-seconds", NULL, NULL, 1,
                                                     GT_ENGINE_MAX_HOLD_SECONDS, 300,
                                                     G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                                       | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GtEngine::committed:
   * @rev: the newest revision now durable
   *
   * Emitted when changes are durable on disk: after each unit of work, or
   * after a group commit.
   */
  signals[COMMITTED] = g_signal_new ("committed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
gt_engine_init (GtEngine *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->login_failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                (GDestroyNotify) g_array_unref);
  self->hold_seconds = 300;
  self->cleaning_minutes = 15;
  self->door_minutes = 60;
  self->wal_fd = -1;
  g_mutex_init (&self->sync_mutex);
  g_cond_init (&self->sync_cond);
  self->next_expiry = G_MAXINT64;
}

GtEngine *
gt_engine_new (const char *path, GError **error)
{
  g_autoptr (GtEngine) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (sodium_init () < 0)
    {
      gt_error_set (error, GT_ERROR_INTERNAL, NULL, "libsodium could not start");
      return NULL;
    }

  self = g_object_new (GT_TYPE_ENGINE, NULL);
  self->path = g_strdup (path);
  if (!(self->db = gt_db_open (path, error)))
    return NULL;
  if (!ensure_settings (self, error))
    return NULL;

  reload_rev (self);

  /* Holds that ran out while the server was down are freed now. */
  if (gt_engine_release_expired (self, error) == 0 && error != NULL && *error != NULL)
    return NULL;
  _gt_engine_schedule_expiry (self);

  return g_steal_pointer (&self);
}

const char *
gt_engine_get_path (GtEngine *self)
{
  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);
  return self->path;
}

guint
gt_engine_get_hold_seconds (GtEngine *self)
{
  g_return_val_if_fail (GT_IS_ENGINE (self), 0);
  return self->hold_seconds;
}

void
gt_engine_set_hold_seconds (GtEngine *self, guint seconds)
{
  g_return_if_fail (GT_IS_ENGINE (self));
  g_return_if_fail (seconds > 0 && seconds <= GT_ENGINE_MAX_HOLD_SECONDS);

  if (self->hold_seconds == seconds)
    return;
  self->hold_seconds = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOLD_SECONDS]);
}

gint64
gt_engine_now (GtEngine *self)
{
  return g_get_real_time () + self->time_offset;
}

void
_gt_engine_shift_time (GtEngine *self, gint64 offset_us)
{
  self->time_offset += offset_us;
  _gt_engine_schedule_expiry (self);
}

gboolean
gt_engine_is_empty (GtEngine *self)
{
  sqlite3_stmt *stmt;
  gboolean      empty = TRUE;

  g_return_val_if_fail (GT_IS_ENGINE (self), FALSE);

  stmt = gt_db_query (self->db,
                      "SELECT EXISTS (SELECT 1 FROM user) OR EXISTS (SELECT 1 FROM movie)"
                      " OR EXISTS (SELECT 1 FROM auditorium)",
                      NULL);
  if (gt_db_step (self->db, stmt, NULL))
    empty = !sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return empty;
}

gint64
gt_engine_get_rev (GtEngine *self)
{
  g_return_val_if_fail (GT_IS_ENGINE (self), 0);
  return self->rev;
}

const char *
_gt_engine_get_setting (GtEngine *self, const char *key, char **out)
{
  sqlite3_stmt *stmt = gt_db_query (self->db, "SELECT value FROM setting WHERE key = ?", "s", key);

  g_clear_pointer (out, g_free);
  if (gt_db_step (self->db, stmt, NULL))
    *out = g_strdup (gt_db_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return *out;
}

gboolean
_gt_engine_set_setting (GtEngine *self, const char *key, const char *value, GError **error)
{
  return gt_db_run (self->db, error,
                    "INSERT INTO setting (key, value) VALUES (?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    "ss", key, value);
}

GTimeZone *
_gt_engine_get_timezone (GtEngine *self)
{
  g_autofree char *name = NULL;
  GTimeZone       *tz = NULL;

  if (_gt_engine_get_setting (self, "timezone", &name) != NULL)
    tz = g_time_zone_new_identifier (name);
  return tz ? tz : g_time_zone_new_utc ();
}

gboolean
_gt_engine_day_range (GtEngine *self, const char *date, gint64 *from, gint64 *to, GError **error)
{
  g_autoptr (GTimeZone) tz = _gt_engine_get_timezone (self);
  g_autoptr (GDateTime) day = NULL;
  g_autoptr (GDateTime) next = NULL;
  int  y = 0, m = 0, d = 0;
  char end = 0;

  if (date == NULL)
    {
      g_autoptr (GDateTime)
        now = g_date_time_new_from_unix_utc (gt_engine_now (self) / G_USEC_PER_SEC);
      g_autoptr (GDateTime) local = g_date_time_to_timezone (now, tz);

      y = g_date_time_get_year (local);
      m = g_date_time_get_month (local);
      d = g_date_time_get_day_of_month (local);
    }
  else if (sscanf (date, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 || strlen (date) != 10
           || !g_date_valid_dmy (d, m, y))
    {
      gt_error_set_field (error, "date", "The date is written YYYY-MM-DD");
      return FALSE;
    }
  if (!(day = g_date_time_new (tz, y, m, d, 0, 0, 0)) || !(next = g_date_time_add_days (day, 1)))
    {
      gt_error_set_field (error, "date", "The date is written YYYY-MM-DD");
      return FALSE;
    }
  *from = g_date_time_to_unix (day) * G_USEC_PER_SEC;
  *to = g_date_time_to_unix (next) * G_USEC_PER_SEC;
  return TRUE;
}

JsonObject *
gt_engine_get_config (GtEngine *self)
{
  JsonObject      *config = json_object_new ();
  g_autofree char *value = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  json_object_set_string_member (config, "cinema", _gt_engine_get_setting (self, "cinema", &value));
  json_object_set_string_member (config, "currency",
                                 _gt_engine_get_setting (self, "currency", &value));
  json_object_set_int_member (
    config, "currency_decimals",
    g_ascii_strtoll (_gt_engine_get_setting (self, "currency_decimals", &value), NULL, 10));
  json_object_set_string_member (config, "timezone",
                                 _gt_engine_get_setting (self, "timezone", &value));
  json_object_set_int_member (config, "hold_seconds", self->hold_seconds);
  json_object_set_int_member (config, "cleaning_buffer_minutes", self->cleaning_minutes);
  json_object_set_int_member (config, "door_opens_minutes", self->door_minutes);
  {
    g_autofree char *defaults = NULL;
    g_autoptr (JsonNode) node = NULL;

    if (_gt_engine_get_setting (self, "price_defaults", &defaults) != NULL
        && (node = gt_json_parse (defaults, -1, NULL)) && JSON_NODE_HOLDS_OBJECT (node))
      json_object_set_object_member (config, "price_defaults",
                                     json_object_ref (json_node_get_object (node)));
    else
      json_object_set_null_member (config, "price_defaults");
  }
  json_object_set_boolean_member (config, "setup_needed", gt_engine_get_setup_needed (self));
  key = g_base64_encode (self->sign_public, sizeof self->sign_public);
  json_object_set_string_member (config, "ticket_public_key", key);
  return config;
}

/* {"matinee":{"until":"HH:MM","prices"},"evening":{"prices"},"weekend":{"prices"}},
 * each tier optional. */
static gboolean
check_price_defaults (JsonObject *defaults, GError **error)
{
  g_autoptr (GList) names = json_object_get_members (defaults);

  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonObject *tier = gt_json_object_member (defaults, name);
      JsonObject *prices = tier ? gt_json_object_member (tier, "prices") : NULL;
      const char *until = NULL;
      int         hour = -1, minute = -1;
      char        end = 0;

      if (!g_str_equal (name, "matinee") && !g_str_equal (name, "evening")
          && !g_str_equal (name, "weekend"))
        {
          gt_error_set_field (error, "price_defaults",
                              "Default prices are for a matinee, the evening or the weekend");
          return FALSE;
        }
      if (prices == NULL)
        {
          gt_error_set_field (error, "price_defaults", "Each time of day has its prices");
          return FALSE;
        }
      if (!_gt_engine_check_prices (prices, "price_defaults", error))
        return FALSE;
      if (!gt_json_get_string (tier, "until", FALSE, 5, &until, error))
        {
          g_autofree char *parent = g_strconcat ("price_defaults.", name, NULL);

          return gt_error_nest_field (error, parent);
        }
      if (until != NULL
          && (sscanf (until, "%2d:%2d%c", &hour, &minute, &end) != 2 || hour < 0 || hour > 23
              || minute < 0 || minute > 59))
        {
          gt_error_set_field (error, "price_defaults", "A matinee ends at a time written HH:MM");
          return FALSE;
        }
    }
  return TRUE;
}

JsonObject *
gt_engine_update_settings (GtEngine *self, GtPrincipal *principal, JsonObject *body, GError **error)
{
  const char *cinema = NULL;
  JsonObject *defaults = NULL;
  gint64      cleaning = self->cleaning_minutes;
  gint64      door = self->door_minutes;
  guint       old_cleaning;
  guint       old_door;
  gboolean    ok;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (!gt_principal_require (principal, GT_ROLE_MANAGER, error)
      || !gt_json_get_string (body, "cinema", FALSE, 80, &cinema, error)
      || !gt_json_get_int (body, "cleaning_buffer_minutes", FALSE, 0, 240, &cleaning, error)
      || !gt_json_get_int (body, "door_opens_minutes", FALSE, 0, 240, &door, error)
      || !gt_json_get_object (body, "price_defaults", FALSE, &defaults, error)
      || (defaults != NULL && !check_price_defaults (defaults, error)))
    return NULL;
  if (cinema != NULL && cinema[0] == '\0')
    {
      gt_error_set_field (error, "cinema", "The cinema needs a name");
      return NULL;
    }

  if (!_gt_engine_begin (self, error))
    return NULL;
  old_cleaning = self->cleaning_minutes;
  old_door = self->door_minutes;
  self->cleaning_minutes = (guint) cleaning;
  self->door_minutes = (guint) door;
  {
    g_autofree char *cleaning_text = g_strdup_printf ("%" G_GINT64_FORMAT, cleaning);
    g_autofree char *door_text = g_strdup_printf ("%" G_GINT64_FORMAT, door);
    g_autofree char *defaults_text = defaults ? gt_json_to_string (defaults) : NULL;

    ok = (cinema == NULL || _gt_engine_set_setting (self, "cinema", cinema, error))
         && _gt_engine_set_setting (self, "cleaning_buffer_minutes", cleaning_text, error)
         && _gt_engine_set_setting (self, "door_opens_minutes", door_text, error)
         && (defaults == NULL
             || _gt_engine_set_setting (self, "price_defaults", defaults_text, error))
         && _gt_engine_audit (self, principal, "settings.update", "settings", 0,
                              _gt_audit_reason (body), _gt_audit_changes (body), error);
    /* Every counter keeps the config: the change carries it whole. */
    if (ok)
      {
        g_autoptr (JsonObject) config = gt_engine_get_config (self);

        ok = _gt_engine_log_change (self, "config", 0, "0", "upsert", config, error);
      }
  }
  if (!_gt_engine_end (self, ok, error))
    {
      self->cleaning_minutes = old_cleaning;
      self->door_minutes = old_door;
      return NULL;
    }
  return gt_engine_get_config (self);
}

static void
refresh_next_expiry (GtEngine *self)
{
  sqlite3_stmt *stmt = gt_db_query (self->db,
                                    "SELECT MIN (expires_at) FROM hold WHERE state = 'active'",
                                    NULL);

  self->next_expiry = G_MAXINT64;
  if (gt_db_step (self->db, stmt, NULL) && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    self->next_expiry = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
}

void
_gt_engine_note_expiry (GtEngine *self, gint64 expires_at)
{
  self->next_expiry = MIN (self->next_expiry, expires_at);
}

/* Between two groups, when the log is long: waits for the checkpointer to
 * copy the little it has not copied yet, so that the next group writes the
 * log from its beginning again instead of making it ever longer. The wait is
 * short only once a pass has copied nearly all of it: until then, another
 * pass, and a look again a little later. */
static void
restart_log (GtEngine *self)
{
  int copied = gt_checkpointer_get_copied (self->checkpointer);
  int tail = copied <= self->wal_frames ? self->wal_frames - copied : self->wal_frames;

  if (tail > RESTART_TAIL && self->wal_frames < WAL_RESTART_FRAMES + 2 * CHECKPOINT_STEP)
    {
      gt_checkpointer_request (self->checkpointer);
      self->wal_restart_at = self->wal_frames + RESTART_TAIL / 4;
      return;
    }
  if (gt_checkpointer_finish (self->checkpointer))
    {
      self->wal_frames = 0;
      self->wal_asked = 0;
      self->wal_restart_at = WAL_RESTART_FRAMES;
    }
  else
    /* A reader elsewhere still needs the log: try again a step later. */
    self->wal_restart_at = self->wal_frames + CHECKPOINT_STEP;
}

gboolean
_gt_engine_begin (GtEngine *self, GError **error)
{
  if (self->group_commit && !gt_db_in_batch (self->db))
    {
      if (self->checkpointer != NULL && self->wal_frames >= self->wal_restart_at)
        restart_log (self);
      if (!gt_db_batch_begin (self->db, error))
        return FALSE;
      self->open_group = ++self->last_group;
      self->commit_source = g_idle_source_new ();
      g_source_set_priority (self->commit_source, G_PRIORITY_DEFAULT_IDLE);
      g_source_set_callback (self->commit_source, on_commit_cb, self, NULL);
      g_source_set_static_name (self->commit_source, "[gt-engine] group commit");
      g_source_attach (self->commit_source, self->context);
    }

  if (!gt_db_begin (self->db, error))
    return FALSE;
  self->unit_rev = self->rev;

  /* Only when a hold may have run out: most units of work skip the query. */
  if (gt_engine_now (self) >= self->next_expiry)
    {
      if (_gt_holds_release_expired (self, error) == G_MAXUINT)
        {
          gt_db_rollback (self->db);
          return FALSE;
        }
      refresh_next_expiry (self);
    }
  return TRUE;
}

gboolean
_gt_engine_end (GtEngine *self, gboolean ok, GError **error)
{
  if (!ok)
    {
      gt_db_rollback (self->db);
      /* Revisions logged in the rolled-back unit were never committed. */
      reload_rev (self);
      return FALSE;
    }

  if (!gt_db_commit (self->db, error))
    return FALSE;

  if (!gt_db_in_batch (self->db))
    {
      _gt_engine_schedule_expiry (self);
      if (self->rev != self->unit_rev)
        g_signal_emit (self, signals[COMMITTED], 0, self->rev);
    }
  return TRUE;
}

static int
on_wal_commit_cb (gpointer user_data, sqlite3 *db, const char *name, int frames)
{
  GtEngine *self = user_data;

  self->wal_frames = frames;
  return SQLITE_OK;
}

/* On the checkpointer's thread: the file may have lost pages that this
 * process would read from it (see checkpointer_run()), so a failed
 * checkpoint counts as a failed fsync. */
static void
on_checkpoint_failed (gpointer user_data)
{
  GtEngine *self = user_data;

  g_mutex_lock (&self->sync_mutex);
  disk_error_after (self, EIO);
  g_mutex_unlock (&self->sync_mutex);
}

/* In groups, the log is copied back into the file on the checkpointer's
 * thread rather than inside a commit (SQLite's way), where it stalled the
 * engine for 4 ms every 70 ms under a rush. */
static void
use_checkpointer (GtEngine *self, gboolean on)
{
  g_autoptr (GError) error = NULL;
  sqlite3 *handle = gt_db_handle (self->db);

  g_clear_pointer (&self->checkpointer, gt_checkpointer_free);
  if (on)
    self->checkpointer = gt_checkpointer_new (self->path, on_checkpoint_failed, self, &error);
  if (on && self->checkpointer == NULL)
    g_warning ("Checkpoints stay in the commits: %s", error->message);
  if (self->checkpointer != NULL)
    sqlite3_wal_hook (handle, on_wal_commit_cb, self);
  else
    /* After a disk failure, the log stays whole (on_checkpoint_failed()). */
    sqlite3_wal_autocheckpoint (handle, gt_engine_get_disk_failed (self) ? 0 : 1000);
  self->wal_frames = 0;
  self->wal_asked = 0;
  self->wal_restart_at = WAL_RESTART_FRAMES;
}

void
gt_engine_set_group_commit (GtEngine *self, gboolean group_commit)
{
  g_return_if_fail (GT_IS_ENGINE (self));

  if (!group_commit)
    gt_engine_flush (self, NULL);
  self->group_commit = !!group_commit;
  /* Alone, each commit syncs (FULL). In groups the engine syncs the log
   * itself, off the main loop, before anything is acknowledged; NORMAL keeps
   * SQLite's own syncs for checkpoints, which is what makes that safe. */
  gt_db_run (self->db, NULL,
             group_commit ? "PRAGMA synchronous = NORMAL" : "PRAGMA synchronous = FULL", NULL);
  use_checkpointer (self, group_commit);
}

guint64
gt_engine_get_pending_group (GtEngine *self)
{
  g_return_val_if_fail (GT_IS_ENGINE (self), 0);

  if (self->open_group != 0)
    return self->open_group;
  if (self->committed_group > self->durable_group)
    return self->committed_group;
  return 0;
}

void
gt_engine_set_durable_func (GtEngine *self, GtEngineDurableFunc func, gpointer user_data)
{
  g_return_if_fail (GT_IS_ENGINE (self));

  /* Under the sync thread's lock: a call under way ends first. */
  g_mutex_lock (&self->sync_mutex);
  self->durable_func = func;
  self->durable_data = user_data;
  g_mutex_unlock (&self->sync_mutex);
}

/* Without sync_mutex: the server asks for every answer, and the sync thread
 * holds that mutex while it hands out a group's answers. */
gboolean
gt_engine_get_disk_failed (GtEngine *self)
{
  g_return_val_if_fail (GT_IS_ENGINE (self), FALSE);

  return g_atomic_int_get (&self->disk_error) != 0;
}

void
_gt_engine_fail_next_sync (GtEngine *self, int error_code)
{
  g_mutex_lock (&self->sync_mutex);
  self->fail_next_sync = error_code;
  g_mutex_unlock (&self->sync_mutex);
}

guint64
gt_engine_get_durable_group (GtEngine *self)
{
  g_return_val_if_fail (GT_IS_ENGINE (self), 0);
  return self->durable_group;
}

/**
 * gt_engine_flush:
 *
 * Commits the open group, if any, makes everything committed durable now,
 * and emits #GtEngine::committed. On failure the group is lost, and callers
 * must not acknowledge it.
 */
gboolean
gt_engine_flush (GtEngine *self, GError **error)
{
  int failure = 0;

  g_return_val_if_fail (GT_IS_ENGINE (self), FALSE);

  if (!commit_group (self, error))
    return FALSE;
  if (self->committed_group <= self->durable_group)
    return TRUE;

  if (wal_fd (self) >= 0 && fdatasync (wal_fd (self)) != 0)
    failure = errno;
  g_mutex_lock (&self->sync_mutex);
  failure = disk_error_after (self, failure);
  g_mutex_unlock (&self->sync_mutex);
  if (failure != 0)
    {
      gt_error_set (error, GT_ERROR_INTERNAL, NULL, "Cannot make the database durable: %s",
                    g_strerror (failure));
      self->durable_group = self->committed_group;
      g_signal_emit (self, signals[COMMITTED], 0, (gint64) -1);
      return FALSE;
    }
  self->durable_group = self->committed_group;
  g_signal_emit (self, signals[COMMITTED], 0, self->committed_rev);
  return TRUE;
}

gboolean
_gt_engine_log_change (GtEngine   *self,
                       const char *kind,
                       gint64      showtime_id,
                       const char *id,
                       const char *op,
                       JsonObject *data,
                       GError    **error)
{
  g_autofree char *text = data ? gt_json_to_string (data) : NULL;

  if (!gt_db_run (self->db, error,
                  "INSERT INTO change_log (kind, showtime_id, obj_id, op, data)"
                  " VALUES (?, NULLIF (?, 0), ?, ?, ?)",
                  "sIsss", kind, showtime_id, id, op, text))
    return FALSE;
  self->rev = gt_db_last_insert_id (self->db);
  return TRUE;
}

gboolean
_gt_engine_log_seat (GtEngine   *self,
                     gint64      showtime_id,
                     const char *seat,
                     const char *from,
                     const char *state,
                     GError    **error)
{
  /* With the state it leaves, a counter counts free seats without knowing
   * the seat itself. */
  g_autofree char *data = g_strdup_printf ("{\"state\":\"%s\",\"from\":\"%s\"}", state, from);

  if (!gt_db_run (self->db, error,
                  "INSERT INTO change_log (kind, showtime_id, obj_id, op, data)"
                  " VALUES ('seat', ?, ?, 'upsert', ?)",
                  "Iss", showtime_id, seat, data))
    return FALSE;
  self->rev = gt_db_last_insert_id (self->db);
  return TRUE;
}

void
_gt_engine_schedule_expiry (GtEngine *self)
{
  _gt_clear_source (&self->expiry_source);

  refresh_next_expiry (self);
  if (self->next_expiry == G_MAXINT64)
    return;

  {
    gint64 delay_ms = (self->next_expiry - gt_engine_now (self) + 999) / 1000;

    self->expiry_source = g_timeout_source_new ((guint) CLAMP (delay_ms, 0, G_MAXINT));
    g_source_set_callback (self->expiry_source, on_expiry_cb, self, NULL);
    g_source_set_static_name (self->expiry_source, "[gt-engine] hold expiry");
    g_source_attach (self->expiry_source, self->context);
  }
}
