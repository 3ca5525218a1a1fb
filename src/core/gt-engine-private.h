/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sodium.h>

#include "gt-checkpointer.h"
#include "gt-db.h"
#include "gt-engine.h"

G_BEGIN_DECLS

#define GT_SESSION_LIFETIME (12 * G_TIME_SPAN_HOUR)
#define GT_LOGIN_WINDOW     (5 * G_TIME_SPAN_MINUTE)
#define GT_LOGIN_MAX_FAILS  5

/* With the checkpointer: a pass each time the log grows by this many pages
 * (32 MiB), and the log is started again from its beginning past
 * WAL_RESTART_FRAMES (128 MiB). The engine waits for a last pass then, and
 * for its sync of the file: under a rush, every request under way does
 * (15–20 ms every 2 s or so, bench-holds). Fewer restarts and fewer,
 * larger passes made the p99 lower (README.md). */
#define CHECKPOINT_STEP    8000
#define WAL_RESTART_FRAMES 32000
/* Ticket codes signed ahead of the sales that take them. */
#define GT_SIGN_AHEAD 64

typedef struct
{
  gint64 id;
  char  *code; /* NULL once taken */
} GtSignedCode;
/* Waiting for the checkpointer to copy more than this stalls the engine. */
#define RESTART_TAIL 400

struct _GtEngine
{
  GObject parent_instance;

  char         *path;
  GtDb         *db;
  GMainContext *context;
  GSource      *expiry_source;
  GSource      *commit_source;
  GHashTable   *login_failures; /* username → GArray of gint64 times */

  guint    hold_seconds;
  guint    cleaning_minutes;
  guint    door_minutes; /* doors open this long before a showtime */
  gint64   time_offset;
  gint64   rev;
  gint64   next_expiry; /* earliest expiry of an active hold, or G_MAXINT64 */
  gint64   unit_rev;    /* the revision when the unit of work began */
  gboolean group_commit;
  gboolean audit_off; /* loading demo data: nothing a person did */

  /* Group commit: groups are numbered; the open one gathers units of work,
   * a committed one waits for its fsync, a durable one may be answered. */
  guint64  last_group;
  guint64  open_group;
  guint64  committed_group;
  guint64  durable_group;
  gint64   committed_rev;
  gboolean syncing; /* a group is with the sync thread */
  int      wal_fd;

  /* Checkpoints, on a thread of their own while in groups. */
  GtCheckpointer *checkpointer;
  int             wal_frames;     /* pages in the log after the last commit */
  int             wal_asked;      /* wal_frames when a pass was last asked for */
  int             wal_restart_at; /* wal_frames from which the log starts again */

  /* The sync thread and what it is handed; all under sync_mutex. */
  GThread            *sync_thread;
  GMutex              sync_mutex;
  GCond               sync_cond;
  struct _SyncJob    *sync_job;
  gboolean            sync_quit;
  int                 disk_error;     /* errno of the first failed fsync, for good; atomic */
  int                 fail_next_sync; /* for tests: the errno the next fsync gives */
  GtEngineDurableFunc durable_func;
  gpointer            durable_data;

  unsigned char sign_public[crypto_sign_PUBLICKEYBYTES];
  unsigned char sign_secret[crypto_sign_SECRETKEYBYTES];
  /* Codes of the next tickets' ids, signed while the engine was idle. */
  GtSignedCode signed_ahead[GT_SIGN_AHEAD];
  gint64       sign_ahead_from;
  GSource     *sign_ahead_source;
};

/* A unit of work: begins (joining a group commit when on), frees expired
 * holds first so that no rule ever sees one as taken. */
gboolean _gt_engine_begin (GtEngine *self, GError **error);
/* Commits when @ok, else rolls back; FALSE when the commit failed. */
gboolean _gt_engine_end (GtEngine *self, gboolean ok, GError **error);
gboolean _gt_engine_log_change (GtEngine   *self,
                                const char *kind,
                                gint64      showtime_id,
                                const char *id,
                                const char *op,
                                JsonObject *data,
                                GError    **error);
/* Checks a {"type": amount} object of prices; errors name @field. */
gboolean _gt_engine_check_prices (JsonObject *prices, const char *field, GError **error);

/* A seat going from state @from to @state. */
gboolean _gt_engine_log_seat (GtEngine   *self,
                              gint64      showtime_id,
                              const char *seat,
                              const char *from,
                              const char *state,
                              GError    **error);
void     _gt_engine_schedule_expiry (GtEngine *self);
/* g_source_destroy() and g_source_unref() a source, if any; NULLs it. */
void _gt_clear_source (GSource **source);
/* A hold now expires at @expires_at (µs): units of work free it from then on. */
void        _gt_engine_note_expiry (GtEngine *self, gint64 expires_at);
const char *_gt_engine_get_setting (GtEngine *self, const char *key, char **out);
gboolean    _gt_engine_set_setting (GtEngine   *self,
                                    const char *key,
                                    const char *value,
                                    GError    **error);
GTimeZone  *_gt_engine_get_timezone (GtEngine *self);
/* The day @date (YYYY-MM-DD, or NULL for today) in the cinema's time zone,
 * as [@from, @to) in µs; FALSE with invalid_field "date" when malformed. */
gboolean _gt_engine_day_range (GtEngine   *self,
                               const char *date,
                               gint64     *from,
                               gint64     *to,
                               GError    **error);
/* Writes one row of the audit log inside the open unit of work: who
 * (@principal, NULL for the server itself), what and why. Takes @details. */
gboolean _gt_engine_audit (GtEngine    *self,
                           GtPrincipal *principal,
                           const char  *action,
                           const char  *kind,
                           gint64       object_id,
                           const char  *reason,
                           JsonObject  *details,
                           GError     **error);
/* {"changes":{…}}: the members of a request @body, without secrets. */
JsonObject *_gt_audit_changes (JsonObject *body);
/* The optional "reason" of a request body, or NULL. */
const char *_gt_audit_reason (JsonObject *body);

/* For tests: moves the engine's clock. */
void _gt_engine_shift_time (GtEngine *self, gint64 offset_us);
/* For tests: the next fsync of the log fails with @error_code, as a disk's would. */
void _gt_engine_fail_next_sync (GtEngine *self, int error_code);

/* Internal to the core's files. */
gboolean    _gt_accounts_release_session_holds (GtEngine *self, gint64 session_id, GError **error);
guint       _gt_holds_release_expired (GtEngine *self, GError **error);
JsonObject *_gt_showtime_to_json (GtEngine *self, gint64 id, GError **error);
JsonObject *_gt_booking_to_json (GtEngine *self, gint64 id, GError **error);
char       *_gt_ticket_sign (GtEngine *self, gint64 ticket_id);
void        _gt_ticket_forget_signed_ahead (GtEngine *self);

G_END_DECLS
