/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-replica"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "gt-db.h"
#include "gt-json.h"
#include "gt-replica.h"
#include "gt-tickets.h"

/* How long the server may be away before "reconnecting" becomes "offline". */
#define OFFLINE_AFTER_SECONDS 5
#define RETRY_MAX_SECONDS     30
#define PULL_LIMIT            "5000"
/* Seat changes remembered in memory, to bring a /seats answer that was
 * overtaken by live changes up to date. */
#define RECENT_SEATS 4096
/* The server's door window, for admitting with it away: doors open an hour
 * before the start and close at the end. */
/* When /config does not say (an older server). */
#define DOOR_OPENS_MINUTES 60

typedef struct
{
  gint64 rev;
  gint64 showtime_id;
  char  *seat;
  char  *state;
} RecentSeat;

struct _GtReplica
{
  GObject parent_instance;

  GtClient     *client;
  GtDb         *db;
  int           lock_fd;
  GCancellable *cancellable;

  gint64       rev;
  GtConnection connection;
  gint64       offline_since;
  guint        offline_id;
  guint        retry_id;
  guint        retry_seconds;
  gboolean     started;
  gboolean     syncing;
  gboolean     pull_again;
  gboolean     synced; /* a sync has completed since the store was opened */
  gboolean     flushing;
  GHashTable  *in_flight; /* outbox ids being sent */

  RecentSeat *recent; /* a ring of RECENT_SEATS */
  guint       recent_next;
};

G_DEFINE_FINAL_TYPE (GtReplica, gt_replica, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (GtConnection,
                    gt_connection,
                    G_DEFINE_ENUM_VALUE (GT_CONNECTION_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (GT_CONNECTION_ONLINE, "online"),
                    G_DEFINE_ENUM_VALUE (GT_CONNECTION_RECONNECTING, "reconnecting"),
                    G_DEFINE_ENUM_VALUE (GT_CONNECTION_OFFLINE, "offline"))

enum
{
  PROP_0,
  PROP_CONNECTION,
  PROP_OFFLINE_SINCE,
  PROP_REV,
  PROP_OUTBOX_LENGTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  CHANGED,
  SYNCED,
  CHECKOUT_SETTLED,
  DOUBLE_ADMISSION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Migrations are append-only, as the server's. */
static const char *const migrations[] = {
  /* 1: the first store */
  "CREATE TABLE state ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL);"

  "CREATE TABLE movie ("
  "  id INTEGER PRIMARY KEY,"
  "  rev INTEGER NOT NULL,"
  "  data TEXT NOT NULL);"

  "CREATE TABLE auditorium ("
  "  id INTEGER PRIMARY KEY,"
  "  rev INTEGER NOT NULL,"
  "  data TEXT NOT NULL);"

  /* data_rev guards the row, free_rev is where seats_free was counted,
   * seats_rev where the seat rows were loaded (0: not loaded). */
  "CREATE TABLE showtime ("
  "  id INTEGER PRIMARY KEY,"
  "  auditorium_id INTEGER NOT NULL,"
  "  starts_at INTEGER NOT NULL,"
  "  data TEXT NOT NULL,"
  "  data_rev INTEGER NOT NULL,"
  "  seats_free INTEGER NOT NULL,"
  "  free_rev INTEGER NOT NULL,"
  "  seats_rev INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX showtime_by_start ON showtime (starts_at);"

  "CREATE TABLE seat ("
  "  showtime_id INTEGER NOT NULL,"
  "  seat_id TEXT NOT NULL,"
  "  ord INTEGER NOT NULL,"
  "  row_label TEXT NOT NULL,"
  "  number INTEGER NOT NULL,"
  "  x INTEGER NOT NULL,"
  "  type TEXT NOT NULL,"
  "  state TEXT NOT NULL,"
  "  PRIMARY KEY (showtime_id, seat_id)) WITHOUT ROWID;"

  "CREATE TABLE journal ("
  "  id INTEGER PRIMARY KEY,"
  "  code TEXT NOT NULL UNIQUE,"
  "  created_at TEXT NOT NULL,"
  "  data TEXT NOT NULL,"
  "  showtime TEXT);"

  "CREATE TABLE outbox ("
  "  id INTEGER PRIMARY KEY,"
  "  kind TEXT NOT NULL CHECK (kind IN ('checkout', 'release')),"
  "  method TEXT NOT NULL,"
  "  path TEXT NOT NULL,"
  "  body TEXT,"
  "  idempotency_key TEXT,"
  "  created_at INTEGER NOT NULL);",

  /* 2: the door. The outbox learns 'checkin' (SQLite cannot change a
   * CHECK, so the table is copied). door_showtime lists the showtimes whose
   * tickets are kept here, door_ticket their tickets as the server last
   * said, door_admission what this door admitted while the server was
   * away (until the outbox has sent it), double_admission the tickets
   * admitted offline here that another door had admitted too. */
  "CREATE TABLE outbox_new ("
  "  id INTEGER PRIMARY KEY,"
  "  kind TEXT NOT NULL CHECK (kind IN ('checkout', 'release', 'checkin')),"
  "  method TEXT NOT NULL,"
  "  path TEXT NOT NULL,"
  "  body TEXT,"
  "  idempotency_key TEXT,"
  "  created_at INTEGER NOT NULL);"
  "INSERT INTO outbox_new (id, kind, method, path, body, idempotency_key, created_at)"
  "  SELECT id, kind, method, path, body, idempotency_key, created_at FROM outbox;"
  "DROP TABLE outbox;"
  "ALTER TABLE outbox_new RENAME TO outbox;"

  "CREATE TABLE door_showtime ("
  "  id INTEGER PRIMARY KEY,"
  "  rev INTEGER NOT NULL);"

  "CREATE TABLE door_ticket ("
  "  id INTEGER PRIMARY KEY,"
  "  showtime_id INTEGER NOT NULL,"
  "  booking_id INTEGER NOT NULL,"
  "  seat TEXT NOT NULL,"
  "  type TEXT NOT NULL,"
  "  status TEXT NOT NULL,"
  "  checked_in_at TEXT,"
  "  door TEXT,"
  "  rev INTEGER NOT NULL);"
  "CREATE INDEX door_ticket_by_showtime ON door_ticket (showtime_id);"
  "CREATE INDEX door_ticket_by_booking ON door_ticket (booking_id);"

  "CREATE TABLE door_admission ("
  "  ticket_id INTEGER PRIMARY KEY,"
  "  code TEXT NOT NULL,"
  "  door TEXT NOT NULL,"
  "  admitted_at TEXT NOT NULL,"
  "  outbox_id INTEGER NOT NULL UNIQUE);"

  "CREATE TABLE double_admission ("
  "  id INTEGER PRIMARY KEY,"
  "  code TEXT NOT NULL,"
  "  data TEXT NOT NULL);",

  /* 3: posters, kept for display with the server away; url is the
   * versioned one of the movie, so a new poster is a new url. */
  "CREATE TABLE poster_cache ("
  "  movie_id INTEGER PRIMARY KEY,"
  "  url TEXT NOT NULL,"
  "  data BLOB NOT NULL);",
};

/* Helpers */

static void
set_connection (GtReplica *self, GtConnection connection)
{
  gint64 since = connection == GT_CONNECTION_ONLINE || connection == GT_CONNECTION_CONNECTING
                   ? 0
                   : (self->offline_since ? self->offline_since
                                          : g_get_real_time () / G_USEC_PER_SEC);

  if (connection == GT_CONNECTION_ONLINE || connection == GT_CONNECTION_CONNECTING)
    g_clear_handle_id (&self->offline_id, g_source_remove);

  if (since != self->offline_since)
    {
      self->offline_since = since;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE_SINCE]);
    }
  if (connection != self->connection)
    {
      self->connection = connection;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
    }
}

static char *
state_get (GtReplica *self, const char *key)
{
  sqlite3_stmt *stmt = gt_db_query (self->db, "SELECT value FROM state WHERE key = ?", "s", key);
  char         *value = NULL;

  if (gt_db_step (self->db, stmt, NULL))
    value = g_strdup (gt_db_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

/* The cinema's time zone, from the server's settings (UTC before any). */
static GTimeZone *
cinema_zone (GtReplica *self)
{
  g_autoptr (JsonObject) config = gt_replica_dup_config (self);
  GTimeZone *tz = g_time_zone_new_identifier (
    config ? json_object_get_string_member_with_default (config, "timezone", "UTC") : "UTC");

  return tz ? tz : g_time_zone_new_utc ();
}

static gboolean
state_set (GtReplica *self, const char *key, const char *value, GError **error)
{
  return gt_db_run (self->db, error, "INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)",
                    "ss", key, value);
}

static gboolean
save_rev (GtReplica *self, gint64 rev, GError **error)
{
  char text[32];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, rev);
  return state_set (self, "rev", text, error);
}

static void
set_rev (GtReplica *self, gint64 rev)
{
  if (self->rev == rev)
    return;
  self->rev = rev;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REV]);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr (JsonNode) node = text ? gt_json_parse (text, -1, NULL) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

static gint64
unix_seconds (JsonObject *object, const char *member)
{
  gint64 us = 0;

  gt_time_parse (json_object_get_string_member_with_default (object, member, ""), &us);
  return us / G_USEC_PER_SEC;
}

static void
remember_seat (GtReplica *self, gint64 rev, gint64 showtime_id, const char *seat, const char *state)
{
  RecentSeat *recent = &self->recent[self->recent_next];

  self->recent_next = (self->recent_next + 1) % RECENT_SEATS;
  g_free (recent->seat);
  g_free (recent->state);
  recent->rev = rev;
  recent->showtime_id = showtime_id;
  recent->seat = g_strdup (seat);
  recent->state = g_strdup (state);
}

/* Applying changes. Each runs inside the caller's transaction and is safe
 * to repeat: a row newer than the change stays as it is. */

static gboolean
apply_movie (GtReplica  *self,
             gint64      rev,
             gint64      id,
             const char *op,
             JsonObject *data,
             GError    **error)
{
  g_autofree char *text = NULL;

  /* A poster kept for a movie that is gone would never be shown again. */
  if (g_str_equal (op, "delete") || data == NULL)
    return gt_db_run (self->db, error, "DELETE FROM movie WHERE id = ? AND rev < ?", "II", id, rev)
           && gt_db_run (self->db, error, "DELETE FROM poster_cache WHERE movie_id = ?", "I", id);
  text = gt_json_to_string (data);
  return gt_db_run (self->db, error,
                    "INSERT INTO movie (id, rev, data) VALUES (?, ?, ?) ON CONFLICT (id)"
                    " DO UPDATE SET rev = excluded.rev, data = excluded.data"
                    " WHERE excluded.rev > movie.rev",
                    "IIs", id, rev, text);
}

static gboolean
apply_auditorium (GtReplica  *self,
                  gint64      rev,
                  gint64      id,
                  const char *op,
                  JsonObject *data,
                  GError    **error)
{
  g_autofree char *text = NULL;

  /* A new layout makes the seat rows of its showtimes stale: they are
   * loaded again when a showtime is next opened. */
  if (!gt_db_run (self->db, error,
                  "DELETE FROM seat WHERE showtime_id IN"
                  " (SELECT id FROM showtime WHERE auditorium_id = ? AND seats_rev < ?)",
                  "II", id, rev)
      || !gt_db_run (self->db, error,
                     "UPDATE showtime SET seats_rev = 0 WHERE auditorium_id = ? AND seats_rev < ?",
                     "II", id, rev))
    return FALSE;

  if (g_str_equal (op, "delete") || data == NULL)
    return gt_db_run (self->db, error, "DELETE FROM auditorium WHERE id = ? AND rev < ?", "II", id,
                      rev);
  text = gt_json_to_string (data);
  return gt_db_run (self->db, error,
                    "INSERT INTO auditorium (id, rev, data) VALUES (?, ?, ?) ON CONFLICT (id)"
                    " DO UPDATE SET rev = excluded.rev, data = excluded.data"
                    " WHERE excluded.rev > auditorium.rev",
                    "IIs", id, rev, text);
}

static gboolean
apply_showtime (GtReplica  *self,
                gint64      rev,
                gint64      id,
                const char *op,
                JsonObject *data,
                GError    **error)
{
  g_autofree char *text = NULL;

  if (g_str_equal (op, "delete") || data == NULL)
    return gt_db_run (self->db, error,
                      "DELETE FROM seat WHERE showtime_id = ?"
                      " AND EXISTS (SELECT 1 FROM showtime WHERE id = ? AND data_rev < ?)",
                      "III", id, id, rev)
           && gt_db_run (self->db, error, "DELETE FROM showtime WHERE id = ? AND data_rev < ?",
                         "II", id, rev);

  text = gt_json_to_string (data);
  /* seats_free in the data was counted in the same transaction as rev. */
  return gt_db_run (
    self->db, error,
    "INSERT INTO showtime (id, auditorium_id, starts_at, data, data_rev, seats_free, free_rev)"
    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
    " auditorium_id = excluded.auditorium_id, starts_at = excluded.starts_at,"
    " data = excluded.data, data_rev = excluded.data_rev,"
    " seats_free = iif (excluded.free_rev > free_rev, excluded.seats_free, seats_free),"
    " free_rev = max (excluded.free_rev, free_rev)"
    " WHERE excluded.data_rev > showtime.data_rev",
    "IIIsIII", id, json_object_get_int_member_with_default (data, "auditorium_id", 0),
    unix_seconds (data, "starts_at"), text, rev,
    json_object_get_int_member_with_default (data, "seats_free", 0), rev);
}

static gboolean
apply_seat (GtReplica  *self,
            gint64      rev,
            gint64      showtime_id,
            const char *seat,
            const char *from,
            const char *state,
            GError    **error)
{
  /* The server says which state the seat left; without it (an older
   * server), seats only went free → held → sold → free or held → free. */
  const char *was = from ? from : g_str_equal (state, "held") ? "free" : "held";
  int         delta = (int) g_str_equal (state, "free") - (int) g_str_equal (was, "free");

  remember_seat (self, rev, showtime_id, seat, state);
  return gt_db_run (self->db, error,
                    "UPDATE showtime SET seats_free = seats_free + ?, free_rev = ?"
                    " WHERE id = ? AND free_rev < ?",
                    "iIII", delta, rev, showtime_id, rev)
         && gt_db_run (self->db, error,
                       "UPDATE seat SET state = ? WHERE showtime_id = ? AND seat_id = ?"
                       " AND (SELECT seats_rev FROM showtime WHERE id = ?) < ?",
                       "sIsII", state, showtime_id, seat, showtime_id, rev);
}

/* A ticket of a showtime whose door list is kept here, as of @rev. */
static gboolean
door_ticket_put (GtReplica  *self,
                 gint64      rev,
                 gint64      showtime_id,
                 gint64      booking_id,
                 const char *booking_status,
                 JsonObject *ticket,
                 GError    **error)
{
  const char *checked_in_at = json_object_get_string_member_with_default (ticket, "checked_in_at",
                                                                          NULL);
  const char *status = json_object_get_string_member_with_default (ticket, "status",
                                                                   booking_status);
  gboolean    refunded = g_strcmp0 (status, "refunded") == 0
                      || json_object_get_string_member_with_default (ticket, "refunded_at", NULL)
                           != NULL;

  return gt_db_run (
    self->db, error,
    "INSERT INTO door_ticket (id, showtime_id, booking_id, seat, type, status, checked_in_at,"
    " door, rev) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS"
    " (SELECT 1 FROM door_showtime WHERE id = ?)"
    " ON CONFLICT (id) DO UPDATE SET showtime_id = excluded.showtime_id,"
    " booking_id = excluded.booking_id, seat = excluded.seat, type = excluded.type,"
    " status = excluded.status, checked_in_at = excluded.checked_in_at, door = excluded.door,"
    " rev = excluded.rev WHERE excluded.rev > door_ticket.rev",
    "IIIsssssII", json_object_get_int_member_with_default (ticket, "id", 0), showtime_id,
    json_object_get_int_member_with_default (ticket, "booking_id", booking_id),
    json_object_get_string_member_with_default (ticket, "seat", ""),
    json_object_get_string_member_with_default (ticket, "type", ""),
    refunded ? "refunded" : "valid", checked_in_at,
    checked_in_at ? json_object_get_string_member_with_default (ticket, "door", NULL) : NULL, rev,
    showtime_id);
}

/* A booking change carries every ticket of the booking: check-ins, undos,
 * refunds and exchanges all reach the door lists through it. */
static gboolean
apply_door_booking (GtReplica  *self,
                    gint64      rev,
                    gint64      booking_id,
                    JsonObject *booking,
                    GError    **error)
{
  g_autofree char *text = NULL;
  JsonArray       *tickets;
  const char      *status = json_object_get_string_member_with_default (booking, "status", "");

  if (!json_object_has_member (booking, "tickets")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (booking, "tickets")))
    return TRUE;
  tickets = json_object_get_array_member (booking, "tickets");
  for (guint i = 0; i < json_array_get_length (tickets); i++)
    {
      JsonNode *node = json_array_get_element (tickets, i);

      JsonObject *ticket = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (ticket != NULL
          && !door_ticket_put (self, rev,
                               json_object_get_int_member_with_default (
                                 ticket, "showtime_id",
                                 json_object_get_int_member_with_default (booking, "showtime_id",
                                                                          0)),
                               booking_id, status, ticket, error))
        return FALSE;
    }
  /* An exchanged ticket gets a new id; the old one is gone. */
  text = gt_json_to_string (booking);
  return gt_db_run (self->db, error,
                    "DELETE FROM door_ticket WHERE booking_id = ? AND rev < ? AND id NOT IN"
                    " (SELECT value ->> '$.id' FROM json_each (?, '$.tickets'))",
                    "IIs", booking_id, rev, text);
}

/* The showtime goes with the sale, so that a reprint needs nothing else. */
static gboolean
journal_put (GtReplica *self, JsonObject *booking, GError **error)
{
  g_autofree char *text = gt_json_to_string (booking);

  return gt_db_run (self->db, error,
                    "INSERT INTO journal (id, code, created_at, data, showtime)"
                    " VALUES (?, ?, ?, ?, (SELECT data FROM showtime WHERE id = ?))"
                    " ON CONFLICT (id) DO UPDATE SET data = excluded.data",
                    "IsssI", json_object_get_int_member_with_default (booking, "id", 0),
                    json_object_get_string_member_with_default (booking, "code", ""),
                    json_object_get_string_member_with_default (booking, "created_at", ""), text,
                    json_object_get_int_member_with_default (booking, "showtime_id", 0));
}

static gboolean
apply_one (GtReplica *self, JsonObject *change, GError **error)
{
  const char *kind = json_object_get_string_member_with_default (change, "kind", "");
  const char *op = json_object_get_string_member_with_default (change, "op", "upsert");
  gint64      rev = json_object_get_int_member_with_default (change, "rev", 0);
  JsonObject *data = NULL;

  if (json_object_has_member (change, "data")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (change, "data")))
    data = json_object_get_object_member (change, "data");

  if (g_str_equal (kind, "seat"))
    return apply_seat (
      self, rev, json_object_get_int_member_with_default (change, "showtime_id", 0),
      json_object_get_string_member_with_default (change, "id", ""),
      data ? json_object_get_string_member_with_default (data, "from", NULL) : NULL,
      data ? json_object_get_string_member_with_default (data, "state", "free") : "free", error);
  if (g_str_equal (kind, "showtime"))
    return apply_showtime (self, rev, json_object_get_int_member (change, "id"), op, data, error);
  if (g_str_equal (kind, "movie"))
    return apply_movie (self, rev, json_object_get_int_member (change, "id"), op, data, error);
  if (g_str_equal (kind, "auditorium"))
    return apply_auditorium (self, rev, json_object_get_int_member (change, "id"), op, data, error);
  if (g_str_equal (kind, "config") && data != NULL)
    {
      g_autofree char *text = gt_json_to_string (data);

      return state_set (self, "config", text, error);
    }
  if (g_str_equal (kind, "booking") && data != NULL)
    {
      /* Only this counter's own sales are kept: a refund elsewhere updates
       * the journal entry. */
      g_autofree char *text = gt_json_to_string (data);

      return gt_db_run (self->db, error, "UPDATE journal SET data = ? WHERE id = ?", "sI", text,
                        json_object_get_int_member (change, "id"))
             && apply_door_booking (self, rev, json_object_get_int_member (change, "id"), data,
                                    error);
    }
  /* A kind this counter does not know yet: later versions may add some. */
  return TRUE;
}

static void
emit_changed (GtReplica *self, JsonObject *change)
{
  const char      *kind = json_object_get_string_member_with_default (change, "kind", "");
  JsonObject      *data = NULL;
  const char      *state = NULL;
  g_autofree char *id = NULL;

  if (g_str_equal (kind, "seat"))
    {
      id = g_strdup (json_object_get_string_member_with_default (change, "id", ""));
      if (JSON_NODE_HOLDS_OBJECT (json_object_get_member (change, "data")))
        data = json_object_get_object_member (change, "data");
      state = data ? json_object_get_string_member_with_default (data, "state", "free") : "free";
    }
  else
    id = g_strdup_printf ("%" G_GINT64_FORMAT,
                          json_object_get_int_member_with_default (change, "id", 0));

  g_signal_emit (self, signals[CHANGED], g_quark_try_string (kind), kind,
                 json_object_get_int_member_with_default (change, "showtime_id", 0), id, state);
}

/* Applies @changes (in rev order) in one transaction and records @rev. */
static gboolean
apply_changes (GtReplica *self, JsonArray *changes, gint64 rev, GError **error)
{
  guint n = json_array_get_length (changes);

  if (!gt_db_begin (self->db, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (changes, i);

      if (!JSON_NODE_HOLDS_OBJECT (node)
          || json_object_get_int_member_with_default (json_node_get_object (node), "rev", 0)
               <= self->rev)
        continue;
      if (!apply_one (self, json_node_get_object (node), error))
        {
          gt_db_rollback (self->db);
          return FALSE;
        }
    }
  if (!save_rev (self, MAX (rev, self->rev), error) || !gt_db_commit (self->db, error))
    {
      gt_db_rollback (self->db);
      return FALSE;
    }

  {
    gint64 before = self->rev;

    set_rev (self, MAX (rev, self->rev));
    for (guint i = 0; i < n; i++)
      {
        JsonNode *node = json_array_get_element (changes, i);

        if (JSON_NODE_HOLDS_OBJECT (node)
            && json_object_get_int_member_with_default (json_node_get_object (node), "rev", 0)
                 > before)
          emit_changed (self, json_node_get_object (node));
      }
  }
  return TRUE;
}

static gboolean
wipe (GtReplica *self, GError **error)
{
  /* Another server: what this store knew belongs to it. Sales not yet
   * confirmed by the old server cannot go to the new one either. */
  return gt_db_begin (self->db, error) && gt_db_run (self->db, error, "DELETE FROM movie", NULL)
         && gt_db_run (self->db, error, "DELETE FROM auditorium", NULL)
         && gt_db_run (self->db, error, "DELETE FROM showtime", NULL)
         && gt_db_run (self->db, error, "DELETE FROM seat", NULL)
         && gt_db_run (self->db, error, "DELETE FROM journal", NULL)
         && gt_db_run (self->db, error, "DELETE FROM outbox", NULL)
         && gt_db_run (self->db, error, "DELETE FROM door_showtime", NULL)
         && gt_db_run (self->db, error, "DELETE FROM door_ticket", NULL)
         && gt_db_run (self->db, error, "DELETE FROM door_admission", NULL)
         && gt_db_run (self->db, error, "DELETE FROM double_admission", NULL)
         && gt_db_run (self->db, error, "DELETE FROM poster_cache", NULL)
         && gt_db_run (self->db, error, "DELETE FROM state", NULL)
         && gt_db_commit (self->db, error);
}

static guint
outbox_length (GtReplica *self)
{
  sqlite3_stmt *stmt = gt_db_query (self->db, "SELECT COUNT (*) FROM outbox", NULL);
  guint         n = 0;

  if (gt_db_step (self->db, stmt, NULL))
    n = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static void
outbox_changed (GtReplica *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTBOX_LENGTH]);
}

/* The link */

static void flush_outbox (GtReplica *self);
static void pull (GtReplica *self);
static void pull_from (GtReplica *self, gint64 since);

static gboolean
on_offline_cb (gpointer user_data)
{
  GtReplica *self = user_data;

  self->offline_id = 0;
  set_connection (self, GT_CONNECTION_OFFLINE);
  return G_SOURCE_REMOVE;
}

static gboolean
on_retry_cb (gpointer user_data)
{
  GtReplica *self = user_data;

  self->retry_id = 0;
  gt_replica_sync (self);
  return G_SOURCE_REMOVE;
}

/* The server went away (or did not answer): say so, and after a while say
 * "offline". Syncing is tried again with a growing pause; the client does
 * the same for the live socket, which may still be open when only a
 * request was lost. */
static void
lost (GtReplica *self)
{
  self->syncing = FALSE;
  self->pull_again = FALSE;
  if (self->retry_id == 0)
    {
      self->retry_seconds = CLAMP (self->retry_seconds * 2, 1, RETRY_MAX_SECONDS);
      self->retry_id = g_timeout_add_seconds (self->retry_seconds, on_retry_cb, self);
    }
  if (self->connection == GT_CONNECTION_OFFLINE)
    return;
  set_connection (self, GT_CONNECTION_RECONNECTING);
  if (self->offline_id == 0)
    self->offline_id = g_timeout_add_seconds (OFFLINE_AFTER_SECONDS, on_offline_cb, self);
}

static void
sync_done (GtReplica *self)
{
  self->syncing = FALSE;
  if (self->pull_again)
    {
      self->pull_again = FALSE;
      self->syncing = TRUE;
      pull (self);
      return;
    }
  self->retry_seconds = 0;
  self->synced = TRUE;
  if (gt_client_get_live_connected (self->client))
    set_connection (self, GT_CONNECTION_ONLINE);
  g_signal_emit (self, signals[SYNCED], 0);
  flush_outbox (self);
}

static void
on_pulled_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtReplica) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = gt_client_call_finish (GT_CLIENT (object), result, &error);
  JsonArray *changes;
  gboolean   more;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->started)
    return;
  if (answer == NULL)
    {
      g_debug ("Pulling changes failed: %s", error->message);
      if (gt_client_error_is_network (error))
        lost (self);
      else
        self->syncing = FALSE;
      return;
    }

  changes = json_object_get_array_member (answer, "changes");
  more = json_object_get_boolean_member_with_default (answer, "more", FALSE);
  /* The server makes the next page while this one is applied. */
  if (changes != NULL && more)
    pull_from (self, json_object_get_int_member_with_default (answer, "rev", self->rev));
  if (changes == NULL
      || !apply_changes (self, changes, json_object_get_int_member_with_default (answer, "rev", 0),
                         &error))
    {
      g_warning ("Could not apply the server's changes: %s",
                 error ? error->message : "no changes in the answer");
      /* Not the next page either: it would leave a gap. */
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
      self->syncing = FALSE;
      return;
    }

  if (!more)
    sync_done (self);
}

static void
pull_from (GtReplica *self, gint64 since)
{
  g_autofree char *path = g_strdup_printf ("/changes?since=%" G_GINT64_FORMAT "&limit=" PULL_LIMIT,
                                           since);

  gt_client_call_async (self->client, "GET", path, NULL, NULL, self->cancellable, on_pulled_cb,
                        g_object_ref (self));
}

static void
pull (GtReplica *self)
{
  pull_from (self, self->rev);
}

/* First sync with a server: the lists as they are, each with the revision
 * it reflects; changes after the oldest of those are pulled on top. The
 * showtimes still to end, and those of the cinema's today that already have:
 * a counter that starts in the evening knows the day as one that ran since
 * the morning does. */
typedef struct
{
  JsonObject *movies;
  JsonObject *auditoriums;
  JsonObject *showtimes;
} Snapshot;

static void
snapshot_free (Snapshot *snapshot)
{
  g_clear_pointer (&snapshot->movies, json_object_unref);
  g_clear_pointer (&snapshot->auditoriums, json_object_unref);
  g_clear_pointer (&snapshot->showtimes, json_object_unref);
  g_free (snapshot);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Snapshot, snapshot_free)

static void on_snapshot_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static gboolean
store_showtimes (GtReplica *self, JsonObject *showtimes, gint64 *rev, GError **error)
{
  JsonArray *list = json_object_get_array_member (showtimes, "showtimes");
  gint64     list_rev = json_object_get_int_member_with_default (showtimes, "rev", 0);

  *rev = MIN (*rev, list_rev);
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonObject *showtime = json_array_get_object_element (list, i);

      if (!apply_showtime (self, list_rev, json_object_get_int_member (showtime, "id"), "upsert",
                           showtime, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
store_snapshot (GtReplica *self, Snapshot *snapshot, JsonObject *today, GError **error)
{
  JsonArray *list;
  gint64     rev = G_MAXINT64;

  if (!gt_db_begin (self->db, error))
    return FALSE;

  list = json_object_get_array_member (snapshot->movies, "movies");
  rev = MIN (rev, json_object_get_int_member_with_default (snapshot->movies, "rev", 0));
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonObject *movie = json_array_get_object_element (list, i);

      if (!apply_movie (self, json_object_get_int_member_with_default (snapshot->movies, "rev", 0),
                        json_object_get_int_member (movie, "id"), "upsert", movie, error))
        goto failed;
    }

  list = json_object_get_array_member (snapshot->auditoriums, "auditoriums");
  rev = MIN (rev, json_object_get_int_member_with_default (snapshot->auditoriums, "rev", 0));
  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonObject *auditorium = json_array_get_object_element (list, i);

      if (!apply_auditorium (
            self, json_object_get_int_member_with_default (snapshot->auditoriums, "rev", 0),
            json_object_get_int_member (auditorium, "id"), "upsert", auditorium, error))
        goto failed;
    }

  if (!store_showtimes (self, snapshot->showtimes, &rev, error)
      || !store_showtimes (self, today, &rev, error))
    goto failed;

  /* Never back: rows newer than these lists have kept themselves. */
  rev = MAX (rev, self->rev);
  if (!save_rev (self, rev, error) || !gt_db_commit (self->db, error))
    goto failed;
  set_rev (self, rev);
  return TRUE;

failed:
  gt_db_rollback (self->db);
  return FALSE;
}

static void
on_snapshot_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GtReplica *self = g_task_get_source_object (task);
  Snapshot  *snapshot = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = gt_client_call_finish (GT_CLIENT (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->started)
    return;
  if (answer == NULL)
    {
      g_debug ("Loading the catalog failed: %s", error->message);
      if (gt_client_error_is_network (error))
        lost (self);
      else
        self->syncing = FALSE;
      return;
    }

  if (snapshot->movies == NULL)
    {
      snapshot->movies = g_steal_pointer (&answer);
      gt_client_call_async (self->client, "GET", "/auditoriums", NULL, NULL, self->cancellable,
                            on_snapshot_cb, g_steal_pointer (&task));
    }
  else if (snapshot->auditoriums == NULL)
    {
      snapshot->auditoriums = g_steal_pointer (&answer);
      gt_client_call_async (self->client, "GET", "/showtimes", NULL, NULL, self->cancellable,
                            on_snapshot_cb, g_steal_pointer (&task));
    }
  else if (snapshot->showtimes == NULL)
    {
      g_autoptr (GTimeZone) tz = cinema_zone (self);
      g_autoptr (GDateTime) now = g_date_time_new_now (tz);
      g_autofree char *path = g_date_time_format (now, "/showtimes?date=%Y-%m-%d");

      snapshot->showtimes = g_steal_pointer (&answer);
      gt_client_call_async (self->client, "GET", path, NULL, NULL, self->cancellable,
                            on_snapshot_cb, g_steal_pointer (&task));
    }
  else if (!store_snapshot (self, snapshot, answer, &error))
    {
      g_warning ("Could not store the catalog: %s", error->message);
      self->syncing = FALSE;
    }
  else
    pull (self);
}

static void
on_config_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtReplica) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) config = gt_client_call_finish (GT_CLIENT (object), result, &error);
  g_autofree char *known_key = NULL;
  g_autofree char *text = NULL;
  const char      *key;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->started)
    return;
  if (config == NULL)
    {
      if (gt_client_error_is_network (error))
        lost (self);
      else
        self->syncing = FALSE;
      return;
    }

  key = json_object_get_string_member_with_default (config, "ticket_public_key", "");
  known_key = state_get (self, "server_key");
  if (known_key != NULL && !g_str_equal (known_key, key))
    {
      g_message ("The server is not the one this store knew: starting afresh");
      if (!wipe (self, &error))
        {
          g_warning ("Could not empty the store: %s", error->message);
          self->syncing = FALSE;
          return;
        }
      set_rev (self, 0);
      outbox_changed (self);
    }
  text = gt_json_to_string (config);
  if (!state_set (self, "server_key", key, &error) || !state_set (self, "config", text, &error))
    {
      g_warning ("Could not store the server's settings: %s", error->message);
      self->syncing = FALSE;
      return;
    }

  if (self->rev == 0)
    {
      GTask *task = g_task_new (self, self->cancellable, NULL, NULL);

      g_task_set_task_data (task, g_new0 (Snapshot, 1), (GDestroyNotify) snapshot_free);
      gt_client_call_async (self->client, "GET", "/movies", NULL, NULL, self->cancellable,
                            on_snapshot_cb, task);
    }
  else
    pull (self);
}

static void
on_live_change_cb (GtClient *client, JsonObject *change, GtReplica *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonArray) one = NULL;
  gint64 rev = json_object_get_int_member_with_default (change, "rev", 0);

  if (!self->started || rev <= self->rev)
    return;
  if (self->syncing)
    {
      self->pull_again = TRUE;
      return;
    }
  if (rev != self->rev + 1)
    {
      /* A revision went missing: ask for everything after what we have. */
      gt_replica_sync (self);
      return;
    }

  one = json_array_new ();
  json_array_add_object_element (one, json_object_ref (change));
  if (!apply_changes (self, one, rev, &error))
    g_warning ("Could not apply a live change: %s", error->message);
}

static void
on_live_connected_cb (GtClient *client, GParamSpec *pspec, GtReplica *self)
{
  if (!self->started)
    return;
  if (gt_client_get_live_connected (client))
    {
      /* What happened while the socket was closed is not on it: pull, or
       * pull again once the sync under way is done. */
      gt_replica_sync (self);
    }
  else
    lost (self);
}

static void
on_reachable_cb (GtClient *client, GParamSpec *pspec, GtReplica *self)
{
  if (!self->started)
    return;
  if (!gt_client_get_reachable (client))
    lost (self);
  else if (!gt_client_get_live_connected (client))
    gt_client_reconnect (client);
}

/* The outbox */

typedef struct
{
  GtReplica *self;
  gint64     id;
  char      *kind;
  char      *key;
  GTask     *task; /* the caller's checkout, if it still waits */
} Sending;

static Sending *
sending_new (GtReplica *self, gint64 id, const char *kind, const char *key)
{
  Sending *sending = g_new0 (Sending, 1);

  sending->self = g_object_ref (self);
  sending->id = id;
  sending->kind = g_strdup (kind);
  sending->key = g_strdup (key);
  return sending;
}

static void
sending_free (Sending *sending)
{
  g_object_unref (sending->self);
  g_free (sending->kind);
  g_free (sending->key);
  g_clear_object (&sending->task);
  g_free (sending);
}

/* A check-in this door made offline has been answered. A ticket another
 * door admitted first is a double admission: one person too many went in,
 * and the manager must hear of it. */
static gboolean
settle_checkin (GtReplica    *self,
                gint64        outbox_id,
                JsonObject   *ticket,
                const GError *refusal,
                JsonObject  **twice,
                GError      **error)
{
  sqlite3_stmt    *stmt;
  JsonObject      *details = gt_error_get_details (refusal);
  g_autofree char *code = NULL;
  g_autofree char *door = NULL;
  g_autofree char *admitted_at = NULL;
  g_autofree char *seat = NULL;
  gint64           ticket_id;
  gint64           showtime_id;

  stmt = gt_db_query (self->db,
                      "SELECT a.ticket_id, a.code, a.door, a.admitted_at, t.seat, t.showtime_id"
                      " FROM door_admission a LEFT JOIN door_ticket t ON t.id = a.ticket_id"
                      " WHERE a.outbox_id = ?",
                      "I", outbox_id);
  if (!gt_db_step (self->db, stmt, error))
    return error == NULL || *error == NULL;
  ticket_id = sqlite3_column_int64 (stmt, 0);
  code = g_strdup (gt_db_column_text (stmt, 1));
  door = g_strdup (gt_db_column_text (stmt, 2));
  admitted_at = g_strdup (gt_db_column_text (stmt, 3));
  seat = g_strdup (gt_db_column_text (stmt, 4));
  showtime_id = sqlite3_column_int64 (stmt, 5);
  sqlite3_reset (stmt);

  if (ticket != NULL)
    {
      if (!gt_db_run (self->db, error,
                      "UPDATE door_ticket SET checked_in_at = ?, door = ? WHERE id = ?", "ssI",
                      json_object_get_string_member_with_default (ticket, "checked_in_at", NULL),
                      json_object_get_string_member_with_default (ticket, "door", NULL), ticket_id))
        return FALSE;
    }
  else if (g_error_matches (refusal, GT_ERROR, GT_ERROR_ALREADY_CHECKED_IN)
           && details != NULL
           /* Not this door's own check-in, whose answer was lost: a door
            * itself never admits a ticket twice. */
           && g_strcmp0 (json_object_get_string_member_with_default (details, "door", NULL), door)
                != 0)
    {
      g_autofree char *text = NULL;

      *twice = json_object_new ();
      json_object_set_string_member (*twice, "code", code);
      json_object_set_int_member (*twice, "ticket_id", ticket_id);
      json_object_set_int_member (*twice, "showtime_id", showtime_id);
      json_object_set_string_member (*twice, "seat", seat ? seat : "");
      json_object_set_string_member (*twice, "door", door);
      json_object_set_string_member (*twice, "admitted_at", admitted_at);
      json_object_set_string_member (*twice, "other_door",
                                     json_object_get_string_member_with_default (details, "door",
                                                                                 ""));
      json_object_set_string_member (*twice, "other_admitted_at",
                                     json_object_get_string_member_with_default (details,
                                                                                 "checked_in_at",
                                                                                 ""));
      text = gt_json_to_string (*twice);
      if (!gt_db_run (self->db, error, "INSERT INTO double_admission (code, data) VALUES (?, ?)",
                      "ss", code, text))
        return FALSE;
    }
  else if (refusal != NULL)
    g_message ("The server refused ticket %" G_GINT64_FORMAT ", admitted here offline: %s",
               ticket_id, refusal->message);

  return gt_db_run (self->db, error, "DELETE FROM door_admission WHERE outbox_id = ?", "I",
                    outbox_id);
}

static void
on_reported_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) ticket = gt_client_call_finish (GT_CLIENT (object), result, &error);

  /* It stays in this door's list either way. */
  if (ticket == NULL)
    g_message ("Could not tell the server of a double admission: %s", error->message);
}

/* The manager reads it in the audit log. */
static void
report_double_admission (GtReplica *self, JsonObject *twice)
{
  g_autoptr (JsonObject) body = json_object_new ();
  g_autofree char *escaped = g_uri_escape_string (json_object_get_string_member (twice, "code"),
                                                  NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/tickets/%s/double-admission", escaped);

  json_object_set_string_member (body, "door", json_object_get_string_member (twice, "door"));
  json_object_set_string_member (body, "admitted_at",
                                 json_object_get_string_member (twice, "admitted_at"));
  gt_client_call_async (self->client, "POST", path, body, NULL, NULL, on_reported_cb, NULL);
}

static void
on_sent_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Sending   *sending = user_data;
  GtReplica *self = sending->self;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = gt_client_call_finish (GT_CLIENT (object), result, &error);
  gboolean network = error != NULL && gt_client_error_is_network (error);

  g_hash_table_remove (self->in_flight, &sending->id);

  if (!network)
    {
      g_autoptr (GError) db_error = NULL;
      g_autoptr (JsonObject) twice = NULL;
      gboolean ok = gt_db_begin (self->db, &db_error)
                    && gt_db_run (self->db, &db_error, "DELETE FROM outbox WHERE id = ?", "I",
                                  sending->id)
                    && (answer == NULL || !g_str_equal (sending->kind, "checkout")
                        || journal_put (self, answer, &db_error))
                    && (!g_str_equal (sending->kind, "checkin")
                        || settle_checkin (self, sending->id, answer, error, &twice, &db_error))
                    && gt_db_commit (self->db, &db_error);

      if (!ok)
        {
          gt_db_rollback (self->db);
          g_clear_pointer (&twice, json_object_unref);
          g_warning ("Could not record the server's answer: %s", db_error->message);
        }
      outbox_changed (self);
      if (twice != NULL)
        {
          report_double_admission (self, twice);
          g_signal_emit (self, signals[DOUBLE_ADMISSION], 0,
                         json_object_get_string_member (twice, "code"), twice);
        }
    }
  else
    lost (self);

  if (g_str_equal (sending->kind, "checkout"))
    {
      if (sending->task != NULL)
        {
          if (answer != NULL)
            g_task_return_pointer (sending->task, json_object_ref (answer),
                                   (GDestroyNotify) json_object_unref);
          else
            g_task_return_error (sending->task, g_error_copy (error));
        }
      else if (!network)
        g_signal_emit (self, signals[CHECKOUT_SETTLED], 0, sending->key, answer, error);
    }

  sending_free (sending);
  if (!network && self->flushing)
    {
      self->flushing = FALSE;
      flush_outbox (self);
    }
  else if (network)
    self->flushing = FALSE;
}

static void
send_item (GtReplica  *self,
           Sending    *sending,
           const char *method,
           const char *path,
           const char *body)
{
  g_autoptr (JsonObject) object = body ? parse_object (body) : NULL;
  gint64 *id = g_new (gint64, 1);

  *id = sending->id;
  g_hash_table_add (self->in_flight, id);
  gt_client_call_async (self->client, method, path, object, sending->key, NULL, on_sent_cb,
                        sending);
}

/* Sends what waits in the outbox, oldest first, one at a time. */
static void
flush_outbox (GtReplica *self)
{
  sqlite3_stmt *stmt;

  if (self->flushing || self->connection != GT_CONNECTION_ONLINE)
    return;

  stmt = gt_db_query (
    self->db, "SELECT id, kind, method, path, body, idempotency_key FROM outbox ORDER BY id", NULL);
  while (gt_db_step (self->db, stmt, NULL))
    {
      gint64   id = sqlite3_column_int64 (stmt, 0);
      Sending *sending;

      if (g_hash_table_contains (self->in_flight, &id))
        continue;
      sending = sending_new (self, id, gt_db_column_text (stmt, 1), gt_db_column_text (stmt, 5));
      self->flushing = TRUE;
      {
        g_autofree char *method = g_strdup (gt_db_column_text (stmt, 2));
        g_autofree char *path = g_strdup (gt_db_column_text (stmt, 3));
        g_autofree char *body = g_strdup (gt_db_column_text (stmt, 4));

        sqlite3_reset (stmt);
        send_item (self, sending, method, path, body);
      }
      return;
    }
  sqlite3_reset (stmt);
}

static gint64
outbox_add (GtReplica  *self,
            const char *kind,
            const char *method,
            const char *path,
            const char *body,
            const char *key,
            GError    **error)
{
  if (!gt_db_run (self->db, error,
                  "INSERT INTO outbox (kind, method, path, body, idempotency_key, created_at)"
                  " VALUES (?, ?, ?, ?, ?, ?)",
                  "sssssI", kind, method, path, body, key, g_get_real_time () / G_USEC_PER_SEC))
    return 0;
  outbox_changed (self);
  return gt_db_last_insert_id (self->db);
}

/* Overrides */

static void
gt_replica_dispose (GObject *object)
{
  GtReplica *self = (GtReplica *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->offline_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (gt_replica_parent_class)->dispose (object);
}

static void
gt_replica_finalize (GObject *object)
{
  GtReplica *self = (GtReplica *) object;

  for (guint i = 0; i < RECENT_SEATS; i++)
    {
      g_free (self->recent[i].seat);
      g_free (self->recent[i].state);
    }
  g_free (self->recent);
  g_clear_pointer (&self->in_flight, g_hash_table_unref);
  g_clear_pointer (&self->db, gt_db_free);
  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (gt_replica_parent_class)->finalize (object);
}

static void
gt_replica_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GtReplica *self = GT_REPLICA (object);

  switch (prop_id)
    {
      case PROP_CONNECTION:
        g_value_set_enum (value, self->connection);
        break;

      case PROP_OFFLINE_SINCE:
        g_value_set_int64 (value, self->offline_since);
        break;

      case PROP_REV:
        g_value_set_int64 (value, self->rev);
        break;

      case PROP_OUTBOX_LENGTH:
        g_value_set_uint (value, gt_replica_get_outbox_length (self));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gt_replica_class_init (GtReplicaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gt_replica_dispose;
  object_class->finalize = gt_replica_finalize;
  object_class->get_property = gt_replica_get_property;

  properties[PROP_CONNECTION] = g_param_spec_enum ("connection", NULL, NULL, GT_TYPE_CONNECTION,
                                                   GT_CONNECTION_CONNECTING,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                                     | G_PARAM_STATIC_STRINGS);
  properties[PROP_OFFLINE_SINCE] = g_param_spec_int64 ("offline-since", NULL, NULL, 0, G_MAXINT64,
                                                       0,
                                                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                                         | G_PARAM_STATIC_STRINGS);
  properties[PROP_REV] = g_param_spec_int64 ("rev", NULL, NULL, 0, G_MAXINT64, 0,
                                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                               | G_PARAM_STATIC_STRINGS);
  properties[PROP_OUTBOX_LENGTH] = g_param_spec_uint ("outbox-length", NULL, NULL, 0, G_MAXUINT, 0,
                                                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                                        | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GtReplica::changed:
   * @kind: "seat", "showtime", "movie", "auditorium", "booking" or "config"
   * @showtime_id: the showtime it concerns, or 0
   * @id: the seat id, or the row id as text
   * @state: a seat's new state, else NULL
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_INT64, G_TYPE_STRING,
                                   G_TYPE_STRING);
  signals[SYNCED] = g_signal_new ("synced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                  NULL, NULL, G_TYPE_NONE, 0);
  /**
   * GtReplica::checkout-settled:
   * @key: the idempotency key of the checkout
   * @booking: (nullable): the booking the server made
   * @error: (nullable): why it was refused
   *
   * A checkout whose first answer was lost has been answered.
   */
  signals[CHECKOUT_SETTLED] = g_signal_new ("checkout-settled", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                                            G_TYPE_STRING, JSON_TYPE_OBJECT, G_TYPE_ERROR);

  /**
   * GtReplica::double-admission:
   * @code: the ticket's code
   * @details: {"code","ticket_id","showtime_id","seat","door","admitted_at",
   *   "other_door","other_admitted_at"}
   *
   * A ticket this door admitted while the server was away had been
   * admitted at another door too: two people came in on one ticket.
   */
  signals[DOUBLE_ADMISSION] = g_signal_new ("double-admission", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                            G_TYPE_STRING, JSON_TYPE_OBJECT);

  /* Details of ::changed must exist before anyone connects to them. */
  g_quark_from_static_string ("seat");
  g_quark_from_static_string ("showtime");
  g_quark_from_static_string ("movie");
  g_quark_from_static_string ("auditorium");
  g_quark_from_static_string ("config");
  g_quark_from_static_string ("booking");
}

static void
gt_replica_init (GtReplica *self)
{
  self->cancellable = g_cancellable_new ();
  self->in_flight = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->recent = g_new0 (RecentSeat, RECENT_SEATS);
  self->lock_fd = -1;
}

/* counter.db in the user's data folder, or counter-2.db and so on when
 * another counter on this machine (another process) has it: each store has
 * one writer, which holds a lock on it while it runs. */
static char *
claim_default_path (int *lock_fd, GError **error)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "go-ticket", NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _ ("Cannot create the folder “%s”: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }

  for (guint i = 1; i <= 16; i++)
    {
      g_autofree char *name = i == 1 ? g_strdup ("counter.db")
                                     : g_strdup_printf ("counter-%u.db", i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *lock = g_strconcat (path, ".lock", NULL);
      int              fd = g_open (lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

      if (fd < 0)
        continue;
      if (flock (fd, LOCK_EX | LOCK_NB) == 0)
        {
          *lock_fd = fd;
          return g_steal_pointer (&path);
        }
      close (fd);
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
               _ ("Too many counters run on this computer (each keeps a store in “%s”)"), dir);
  return NULL;
}

/* Public API */

GtReplica *
gt_replica_new (GtClient *client, const char *path, GError **error)
{
  g_autoptr (GtReplica) self = NULL;
  g_autofree char *default_path = NULL;
  g_autofree char *rev = NULL;

  g_return_val_if_fail (GT_IS_CLIENT (client), NULL);

  self = g_object_new (GT_TYPE_REPLICA, NULL);
  if (path == NULL && !(path = default_path = claim_default_path (&self->lock_fd, error)))
    return NULL;
  if (!(self->db = gt_db_open_with (path, migrations, G_N_ELEMENTS (migrations), error)))
    return NULL;
  self->client = g_object_ref (client);
  rev = state_get (self, "rev");
  self->rev = rev ? g_ascii_strtoll (rev, NULL, 10) : 0;

  g_signal_connect (client, "change", G_CALLBACK (on_live_change_cb), self);
  g_signal_connect (client, "notify::live-connected", G_CALLBACK (on_live_connected_cb), self);
  g_signal_connect (client, "notify::reachable", G_CALLBACK (on_reachable_cb), self);
  return g_steal_pointer (&self);
}

GtClient *
gt_replica_get_client (GtReplica *self)
{
  g_return_val_if_fail (GT_IS_REPLICA (self), NULL);
  return self->client;
}

void
gt_replica_start (GtReplica *self)
{
  g_return_if_fail (GT_IS_REPLICA (self));

  if (self->started)
    return;
  self->started = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_connection (self, GT_CONNECTION_CONNECTING);
  gt_client_follow_live (self->client);
  gt_replica_sync (self);
}

void
gt_replica_stop (GtReplica *self)
{
  g_return_if_fail (GT_IS_REPLICA (self));

  self->started = FALSE;
  self->syncing = FALSE;
  self->pull_again = FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->offline_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  set_connection (self, GT_CONNECTION_CONNECTING);
}

void
gt_replica_sync (GtReplica *self)
{
  g_return_if_fail (GT_IS_REPLICA (self));

  if (!self->started)
    return;
  if (self->syncing)
    {
      self->pull_again = TRUE;
      return;
    }
  self->syncing = TRUE;
  self->pull_again = FALSE;
  /* /config first: it tells whether this is still the same server. */
  gt_client_call_async (self->client, "GET", "/config", NULL, NULL, self->cancellable, on_config_cb,
                        g_object_ref (self));
}

GtConnection
gt_replica_get_connection (GtReplica *self)
{
  g_return_val_if_fail (GT_IS_REPLICA (self), GT_CONNECTION_OFFLINE);
  return self->connection;
}

gint64
gt_replica_get_offline_since (GtReplica *self)
{
  g_return_val_if_fail (GT_IS_REPLICA (self), 0);
  return self->offline_since;
}

gint64
gt_replica_get_rev (GtReplica *self)
{
  g_return_val_if_fail (GT_IS_REPLICA (self), 0);
  return self->rev;
}

gboolean
gt_replica_has_data (GtReplica *self)
{
  g_return_val_if_fail (GT_IS_REPLICA (self), FALSE);

  /* A new cinema's server has no change to give: synced, it is known empty. */
  return self->synced || self->rev > 0;
}

guint
gt_replica_get_outbox_length (GtReplica *self)
{
  g_return_val_if_fail (GT_IS_REPLICA (self), 0);
  return outbox_length (self);
}

JsonObject *
gt_replica_dup_config (GtReplica *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (GT_IS_REPLICA (self), NULL);

  text = state_get (self, "config");
  return parse_object (text);
}

gint64
gt_replica_get_door_opens_minutes (GtReplica *self)
{
  g_autoptr (JsonObject) config = NULL;

  g_return_val_if_fail (GT_IS_REPLICA (self), DOOR_OPENS_MINUTES);

  config = gt_replica_dup_config (self);
  return config ? json_object_get_int_member_with_default (config, "door_opens_minutes",
                                                           DOOR_OPENS_MINUTES)
                : DOOR_OPENS_MINUTES;
}

static JsonArray *
list_data (GtReplica *self, sqlite3_stmt *stmt)
{
  JsonArray *list = json_array_new ();

  while (gt_db_step (self->db, stmt, NULL))
    {
      JsonObject *object = parse_object (gt_db_column_text (stmt, 0));

      if (object == NULL)
        continue;
      if (sqlite3_column_count (stmt) > 1
          && g_str_equal (sqlite3_column_name (stmt, 1), "seats_free"))
        json_object_set_int_member (object, "seats_free", sqlite3_column_int64 (stmt, 1));
      else if (sqlite3_column_count (stmt) > 1 && sqlite3_column_type (stmt, 1) != SQLITE_NULL)
        {
          JsonObject *showtime = parse_object (gt_db_column_text (stmt, 1));

          if (showtime != NULL)
            json_object_set_object_member (object, "showtime", showtime);
        }
      json_array_add_object_element (list, object);
    }
  return list;
}

JsonArray *
gt_replica_list_movies (GtReplica *self)
{
  g_return_val_if_fail (GT_IS_REPLICA (self), NULL);

  return list_data (self, gt_db_query (self->db,
                                       "SELECT data FROM movie"
                                       " ORDER BY data ->> '$.title', id",
                                       NULL));
}

JsonArray *
gt_replica_list_auditoriums (GtReplica *self)
{
  g_return_val_if_fail (GT_IS_REPLICA (self), NULL);

  return list_data (self, gt_db_query (self->db,
                                       "SELECT data FROM auditorium ORDER BY data ->> '$.name', id",
                                       NULL));
}

/* The showtimes of @date's day, and those of the next whose starts_at is
 * less than @extra seconds past its midnight. */
static JsonArray *
list_showtimes (GtReplica *self, const char *date, gint64 extra)
{
  g_autoptr (GTimeZone) tz = cinema_zone (self);
  g_autoptr (GDateTime) day = NULL;
  g_autoptr (GDateTime) next = NULL;
  int y = 0, m = 0, d = 0;

  if (sscanf (date, "%4d-%2d-%2d", &y, &m, &d) != 3 || !g_date_valid_dmy (d, m, y)
      || !(day = g_date_time_new (tz, y, m, d, 0, 0, 0)))
    return json_array_new ();
  next = g_date_time_add_days (day, 1);

  return list_data (self, gt_db_query (self->db,
                                       "SELECT data, seats_free FROM showtime"
                                       " WHERE starts_at >= ? AND starts_at < ?"
                                       " ORDER BY starts_at, id",
                                       "II", g_date_time_to_unix (day),
                                       g_date_time_to_unix (next) + extra));
}

JsonArray *
gt_replica_list_showtimes (GtReplica *self, const char *date)
{
  g_return_val_if_fail (GT_IS_REPLICA (self), NULL);
  g_return_val_if_fail (date != NULL, NULL);

  return list_showtimes (self, date, 0);
}

JsonArray *
gt_replica_list_door_showtimes (GtReplica *self, const char *date)
{
  g_return_val_if_fail (GT_IS_REPLICA (self), NULL);
  g_return_val_if_fail (date != NULL, NULL);

  /* At 23:30 the door of a 00:15 showtime is already open. */
  return list_showtimes (self, date, gt_replica_get_door_opens_minutes (self) * 60);
}

static JsonObject *
dup_one (GtReplica *self, sqlite3_stmt *stmt)
{
  g_autoptr (JsonArray) list = list_data (self, stmt);

  if (json_array_get_length (list) == 0)
    return NULL;
  return json_object_ref (json_array_get_object_element (list, 0));
}

JsonObject *
gt_replica_dup_showtime (GtReplica *self, gint64 showtime_id)
{
  g_return_val_if_fail (GT_IS_REPLICA (self), NULL);

  return dup_one (self, gt_db_query (self->db, "SELECT data, seats_free FROM showtime WHERE id = ?",
                                     "I", showtime_id));
}

JsonObject *
gt_replica_dup_movie (GtReplica *self, gint64 movie_id)
{
  g_return_val_if_fail (GT_IS_REPLICA (self), NULL);

  return dup_one (self,
                  gt_db_query (self->db, "SELECT data FROM movie WHERE id = ?", "I", movie_id));
}

JsonObject *
gt_replica_dup_seats (GtReplica *self, gint64 showtime_id)
{
  g_autoptr (JsonArray) seats = json_array_new ();
  sqlite3_stmt *stmt;
  JsonObject   *answer;
  gint64        seats_rev = 0;

  g_return_val_if_fail (GT_IS_REPLICA (self), NULL);

  stmt = gt_db_query (self->db, "SELECT seats_rev FROM showtime WHERE id = ?", "I", showtime_id);
  if (gt_db_step (self->db, stmt, NULL))
    seats_rev = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (seats_rev == 0)
    return NULL;

  stmt = gt_db_query (self->db,
                      "SELECT seat_id, row_label, number, x, type, state FROM seat"
                      " WHERE showtime_id = ? ORDER BY ord",
                      "I", showtime_id);
  while (gt_db_step (self->db, stmt, NULL))
    {
      JsonObject *seat = json_object_new ();

      json_object_set_string_member (seat, "id", gt_db_column_text (stmt, 0));
      json_object_set_string_member (seat, "row", gt_db_column_text (stmt, 1));
      json_object_set_int_member (seat, "number", sqlite3_column_int64 (stmt, 2));
      json_object_set_int_member (seat, "x", sqlite3_column_int64 (stmt, 3));
      json_object_set_string_member (seat, "type", gt_db_column_text (stmt, 4));
      json_object_set_string_member (seat, "state", gt_db_column_text (stmt, 5));
      json_array_add_object_element (seats, seat);
    }

  answer = json_object_new ();
  json_object_set_int_member (answer, "showtime_id", showtime_id);
  json_object_set_int_member (answer, "rev", seats_rev);
  json_object_set_array_member (answer, "seats", g_steal_pointer (&seats));
  return answer;
}

static gboolean
store_seats (GtReplica *self, gint64 showtime_id, JsonObject *answer, GError **error)
{
  JsonArray  *seats = json_object_get_array_member (answer, "seats");
  gint64      rev = json_object_get_int_member_with_default (answer, "rev", 0);
  RecentSeat *oldest;
  guint       n_free = 0;

  if (seats == NULL || rev <= 0)
    return TRUE;

  if (!gt_db_begin (self->db, error)
      || !gt_db_run (self->db, error, "DELETE FROM seat WHERE showtime_id = ?", "I", showtime_id))
    goto failed;
  for (guint i = 0; i < json_array_get_length (seats); i++)
    {
      JsonObject *seat = json_array_get_object_element (seats, i);
      const char *state = json_object_get_string_member_with_default (seat, "state", "free");

      n_free += g_str_equal (state, "free");
      if (!gt_db_run (self->db, error,
                      "INSERT INTO seat (showtime_id, seat_id, ord, row_label, number, x, type,"
                      " state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      "IsisIIss", showtime_id,
                      json_object_get_string_member_with_default (seat, "id", ""), (int) i,
                      json_object_get_string_member_with_default (seat, "row", ""),
                      json_object_get_int_member_with_default (seat, "number", 0),
                      json_object_get_int_member_with_default (seat, "x", 0),
                      json_object_get_string_member_with_default (seat, "type", "standard"), state))
        goto failed;
    }
  if (!gt_db_run (self->db, error,
                  "UPDATE showtime SET seats_rev = ?,"
                  " seats_free = iif (free_rev < ?, ?, seats_free), free_rev = max (free_rev, ?)"
                  " WHERE id = ?",
                  "IIiII", rev, rev, (int) n_free, rev, showtime_id))
    goto failed;

  /* Live changes applied while the answer was on its way are newer than
   * it: play them again over the rows just written. If the ring no longer
   * reaches back that far, the rows stay unloaded and are asked for again. */
  oldest = &self->recent[self->recent_next];
  if (rev < self->rev && oldest->seat != NULL && oldest->rev > rev + 1)
    {
      gt_db_rollback (self->db);
      return TRUE;
    }
  for (guint i = 0; i < RECENT_SEATS; i++)
    {
      RecentSeat *recent = &self->recent[(self->recent_next + i) % RECENT_SEATS];

      if (recent->seat != NULL && recent->rev > rev && recent->showtime_id == showtime_id
          && !gt_db_run (self->db, error,
                         "UPDATE seat SET state = ? WHERE showtime_id = ? AND seat_id = ?", "sIs",
                         recent->state, showtime_id, recent->seat))
        goto failed;
    }
  if (!gt_db_run (self->db, error,
                  "UPDATE showtime SET seats_rev = max (seats_rev, ?) WHERE id = ?", "II",
                  self->rev, showtime_id))
    goto failed;
  return gt_db_commit (self->db, error);

failed:
  gt_db_rollback (self->db);
  return FALSE;
}

static void
on_seats_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GtReplica *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = gt_client_call_finish (GT_CLIENT (object), result, &error);

  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!store_seats (self, GPOINTER_TO_SIZE (g_task_get_task_data (task)), answer, &error))
    g_warning ("Could not store the seats: %s", error->message);
  g_task_return_pointer (task, g_steal_pointer (&answer), (GDestroyNotify) json_object_unref);
}

void
gt_replica_load_seats_async (GtReplica          *self,
                             gint64              showtime_id,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (GT_IS_REPLICA (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gt_replica_load_seats_async);
  g_task_set_task_data (task, GSIZE_TO_POINTER ((gsize) showtime_id), NULL);
  gt_client_get_seats_async (self->client, showtime_id, cancellable, on_seats_cb,
                             g_steal_pointer (&task));
}

JsonObject *
gt_replica_load_seats_finish (GtReplica *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
gt_replica_checkout_async (GtReplica          *self,
                           gint64              hold_id,
                           const char         *idempotency_key,
                           JsonObject         *body,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  sqlite3_stmt    *stmt;
  Sending         *sending;
  gint64           id = 0;

  g_return_if_fail (GT_IS_REPLICA (self));
  g_return_if_fail (idempotency_key != NULL && body != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gt_replica_checkout_async);

  path = g_strdup_printf ("/holds/%" G_GINT64_FORMAT "/checkout", hold_id);
  text = gt_json_to_string (body);

  /* The same sale asked again (the cashier pressed Retry): one outbox row. */
  stmt = gt_db_query (self->db, "SELECT id FROM outbox WHERE idempotency_key = ?", "s",
                      idempotency_key);
  if (gt_db_step (self->db, stmt, NULL))
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (id == 0 && !(id = outbox_add (self, "checkout", "POST", path, text, idempotency_key, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_hash_table_contains (self->in_flight, &id))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _ ("This sale is still on its way to the server"));
      return;
    }

  sending = sending_new (self, id, "checkout", idempotency_key);
  sending->task = g_steal_pointer (&task);
  send_item (self, sending, "POST", path, text);
}

JsonObject *
gt_replica_checkout_finish (GtReplica *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
gt_replica_release_hold (GtReplica *self, gint64 hold_id)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  Sending         *sending;
  gint64           id;

  g_return_if_fail (GT_IS_REPLICA (self));

  path = g_strdup_printf ("/holds/%" G_GINT64_FORMAT, hold_id);
  if (!(id = outbox_add (self, "release", "DELETE", path, NULL, NULL, &error)))
    {
      g_warning ("Could not queue the release of hold %" G_GINT64_FORMAT ": %s", hold_id,
                 error->message);
      return;
    }
  sending = sending_new (self, id, "release", NULL);
  send_item (self, sending, "DELETE", path, NULL);
}

JsonArray *
gt_replica_list_journal (GtReplica *self)
{
  g_return_val_if_fail (GT_IS_REPLICA (self), NULL);

  return list_data (self, gt_db_query (self->db,
                                       "SELECT data, showtime FROM journal"
                                       " ORDER BY created_at DESC, id DESC",
                                       NULL));
}

JsonObject *
gt_replica_dup_journal_booking (GtReplica *self, const char *code)
{
  g_return_val_if_fail (GT_IS_REPLICA (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  return dup_one (self, gt_db_query (self->db, "SELECT data, showtime FROM journal WHERE code = ?",
                                     "s", code));
}

static gboolean
store_door (GtReplica *self, gint64 showtime_id, JsonObject *answer, GError **error)
{
  JsonArray *tickets = json_object_get_array_member (answer, "tickets");
  gint64     rev = json_object_get_int_member_with_default (answer, "rev", 0);

  if (!gt_db_begin (self->db, error)
      || !gt_db_run (self->db, error,
                     "INSERT INTO door_showtime (id, rev) VALUES (?, ?)"
                     " ON CONFLICT (id) DO UPDATE SET rev = max (rev, excluded.rev)",
                     "II", showtime_id, rev)
      /* Rows newer than the list came from changes applied meanwhile. */
      || !gt_db_run (self->db, error, "DELETE FROM door_ticket WHERE showtime_id = ? AND rev <= ?",
                     "II", showtime_id, rev))
    goto failed;
  for (guint i = 0; tickets != NULL && i < json_array_get_length (tickets); i++)
    {
      JsonObject *ticket = json_array_get_object_element (tickets, i);

      if (ticket != NULL && !door_ticket_put (self, rev, showtime_id, 0, "", ticket, error))
        goto failed;
    }
  return gt_db_commit (self->db, error);

failed:
  gt_db_rollback (self->db);
  return FALSE;
}

static void
on_door_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GtReplica *self = g_task_get_source_object (task);
  gint64     showtime_id = GPOINTER_TO_SIZE (g_task_get_task_data (task));
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = gt_client_call_finish (GT_CLIENT (object), result, &error);

  if (answer == NULL || !store_door (self, showtime_id, answer, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, gt_replica_dup_door (self, showtime_id),
                         (GDestroyNotify) json_object_unref);
}

void
gt_replica_load_door_async (GtReplica          *self,
                            gint64              showtime_id,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (GT_IS_REPLICA (self));
  g_return_if_fail (showtime_id > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gt_replica_load_door_async);
  g_task_set_task_data (task, GSIZE_TO_POINTER ((gsize) showtime_id), NULL);
  path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/tickets", showtime_id);
  gt_client_call_async (self->client, "GET", path, NULL, NULL, cancellable, on_door_cb,
                        g_steal_pointer (&task));
}

JsonObject *
gt_replica_load_door_finish (GtReplica *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

JsonObject *
gt_replica_dup_door (GtReplica *self, gint64 showtime_id)
{
  g_autoptr (JsonArray) tickets = json_array_new ();
  sqlite3_stmt *stmt;
  JsonObject   *answer;
  gint64        rev;
  gint64        sold = 0;
  gint64        admitted = 0;

  g_return_val_if_fail (GT_IS_REPLICA (self), NULL);

  stmt = gt_db_query (self->db, "SELECT rev FROM door_showtime WHERE id = ?", "I", showtime_id);
  if (!gt_db_step (self->db, stmt, NULL))
    return NULL;
  rev = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  /* What this door admitted offline counts as admitted here. */
  stmt = gt_db_query (self->db,
                      "SELECT t.id, t.booking_id, t.seat, t.type, t.status,"
                      " coalesce (t.checked_in_at, a.admitted_at), coalesce (t.door, a.door),"
                      " t.checked_in_at IS NULL AND a.ticket_id IS NOT NULL"
                      " FROM door_ticket t LEFT JOIN door_admission a ON a.ticket_id = t.id"
                      " WHERE t.showtime_id = ? ORDER BY t.id",
                      "I", showtime_id);
  while (gt_db_step (self->db, stmt, NULL))
    {
      JsonObject *ticket = json_object_new ();
      gboolean    valid = g_str_equal (gt_db_column_text (stmt, 4), "valid");

      json_object_set_int_member (ticket, "id", sqlite3_column_int64 (stmt, 0));
      json_object_set_int_member (ticket, "booking_id", sqlite3_column_int64 (stmt, 1));
      json_object_set_string_member (ticket, "seat", gt_db_column_text (stmt, 2));
      json_object_set_string_member (ticket, "type", gt_db_column_text (stmt, 3));
      json_object_set_string_member (ticket, "status", gt_db_column_text (stmt, 4));
      if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
        {
          json_object_set_string_member (ticket, "checked_in_at", gt_db_column_text (stmt, 5));
          json_object_set_string_member (ticket, "door", gt_db_column_text (stmt, 6));
          admitted += valid;
        }
      else
        {
          json_object_set_null_member (ticket, "checked_in_at");
          json_object_set_null_member (ticket, "door");
        }
      if (sqlite3_column_int (stmt, 7))
        json_object_set_boolean_member (ticket, "offline", TRUE);
      sold += valid;
      json_array_add_object_element (tickets, ticket);
    }

  answer = json_object_new ();
  json_object_set_int_member (answer, "showtime_id", showtime_id);
  json_object_set_int_member (answer, "rev", rev);
  json_object_set_int_member (answer, "sold", sold);
  json_object_set_int_member (answer, "admitted", admitted);
  json_object_set_array_member (answer, "tickets", g_steal_pointer (&tickets));
  return answer;
}

gboolean
gt_replica_get_door_counts (GtReplica *self, gint64 showtime_id, guint *sold, guint *admitted)
{
  sqlite3_stmt *stmt;
  gboolean      loaded;

  g_return_val_if_fail (GT_IS_REPLICA (self), FALSE);

  stmt = gt_db_query (self->db,
                      "SELECT EXISTS (SELECT 1 FROM door_showtime WHERE id = ?1),"
                      " count (*) FILTER (WHERE status = 'valid'),"
                      " count (*) FILTER (WHERE status = 'valid' AND (checked_in_at IS NOT NULL"
                      "  OR EXISTS (SELECT 1 FROM door_admission a WHERE a.ticket_id = t.id)))"
                      " FROM door_ticket t WHERE showtime_id = ?1",
                      "I", showtime_id);
  if (!gt_db_step (self->db, stmt, NULL))
    return FALSE;
  loaded = sqlite3_column_int (stmt, 0) != 0;
  if (sold != NULL)
    *sold = sqlite3_column_int (stmt, 1);
  if (admitted != NULL)
    *admitted = sqlite3_column_int (stmt, 2);
  sqlite3_reset (stmt);
  return loaded;
}

/* Checking in */

typedef struct
{
  char    *code;
  char    *door;
  gint64   showtime_id;
  gboolean offline;
} CheckIn;

static void
check_in_free (CheckIn *check_in)
{
  g_free (check_in->code);
  g_free (check_in->door);
  g_free (check_in);
}

static void
refuse_other_showtime (GError **error, JsonObject *showtime)
{
  JsonObject *details = json_object_new ();

  json_object_set_object_member (details, "showtime", json_object_ref (showtime));
  gt_error_set (error, GT_ERROR_SHOWTIME_CLOSED, details,
                _ ("This ticket is for another showtime"));
}

/* The server is away: the signature with the key of the last /config, the
 * ticket in this door's list, its state as last known plus what this door
 * admitted meanwhile, the door window; then admitted here, and the
 * check-in queued for the server. */
static JsonObject *
check_in_offline (GtReplica *self, CheckIn *check_in, GError **error)
{
  g_autoptr (JsonObject) config = gt_replica_dup_config (self);
  g_autoptr (JsonObject) showtime = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autofree guchar *key = NULL;
  g_autofree char   *seat = NULL;
  g_autofree char   *type = NULL;
  g_autofree char   *status = NULL;
  g_autofree char   *used_at = NULL;
  g_autofree char   *used_door = NULL;
  g_autofree char   *now_text = NULL;
  g_autofree char   *path = NULL;
  g_autofree char   *escaped = NULL;
  g_autofree char   *text = NULL;
  sqlite3_stmt      *stmt;
  JsonObject        *ticket;
  gsize              key_len = 0;
  gint64             ticket_id = 0;
  gint64             showtime_id;
  gint64             booking_id;
  gint64             now = g_get_real_time () / G_USEC_PER_SEC;
  gint64             outbox_id;
  gint64             door_opens_minutes = gt_replica_get_door_opens_minutes (self);

  check_in->offline = TRUE;
  if (config != NULL)
    key = g_base64_decode (json_object_get_string_member_with_default (config, "ticket_public_key",
                                                                       ""),
                           &key_len);
  if (key_len != GT_TICKET_PUBLIC_KEY_BYTES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                   _ ("The server is away, and this counter does not know its ticket key yet"));
      return NULL;
    }
  if (!gt_ticket_code_verify (check_in->code, key, &ticket_id))
    {
      gt_error_set (error, GT_ERROR_INVALID_TICKET, NULL,
                    _ ("This is not a ticket of this cinema (the code is damaged or forged)"));
      return NULL;
    }

  stmt = gt_db_query (self->db,
                      "SELECT t.showtime_id, t.booking_id, t.seat, t.type, t.status,"
                      " coalesce (t.checked_in_at, a.admitted_at), coalesce (t.door, a.door)"
                      " FROM door_ticket t LEFT JOIN door_admission a ON a.ticket_id = t.id"
                      " WHERE t.id = ?",
                      "I", ticket_id);
  if (!gt_db_step (self->db, stmt, error))
    {
      if (error == NULL || *error == NULL)
        gt_error_set (error, GT_ERROR_NOT_FOUND, NULL,
                      _ ("This ticket is not in this counter’s list (open its showtime at this "
                         "door while the server is reachable)"));
      return NULL;
    }
  showtime_id = sqlite3_column_int64 (stmt, 0);
  booking_id = sqlite3_column_int64 (stmt, 1);
  seat = g_strdup (gt_db_column_text (stmt, 2));
  type = g_strdup (gt_db_column_text (stmt, 3));
  status = g_strdup (gt_db_column_text (stmt, 4));
  used_at = g_strdup (gt_db_column_text (stmt, 5));
  used_door = g_strdup (gt_db_column_text (stmt, 6));
  sqlite3_reset (stmt);
  showtime = gt_replica_dup_showtime (self, showtime_id);

  if (check_in->showtime_id != 0 && showtime_id != check_in->showtime_id && showtime != NULL)
    {
      refuse_other_showtime (error, showtime);
      return NULL;
    }
  if (g_str_equal (status, "refunded"))
    {
      gt_error_set (error, GT_ERROR_CONFLICT, NULL,
                    _ ("This ticket was refunded; it is not valid"));
      return NULL;
    }
  if (used_at != NULL)
    {
      JsonObject *details = json_object_new ();

      json_object_set_string_member (details, "checked_in_at", used_at);
      json_object_set_string_member (details, "door", used_door ? used_door : "");
      gt_error_set (error, GT_ERROR_ALREADY_CHECKED_IN, details,
                    _ ("This ticket was already used at %s, %s"), used_door, used_at);
      return NULL;
    }
  if (showtime != NULL
      && (now < unix_seconds (showtime, "starts_at") - door_opens_minutes * 60
          || now > unix_seconds (showtime, "ends_at")))
    {
      if (now > unix_seconds (showtime, "ends_at"))
        gt_error_set (error, GT_ERROR_SHOWTIME_CLOSED, NULL, _ ("This showtime is over"));
      else
        gt_error_set (error, GT_ERROR_SHOWTIME_CLOSED, NULL,
                      _ ("The doors open %d minutes before the showtime"),
                      (int) door_opens_minutes);
      return NULL;
    }

  now_text = gt_time_format (now * G_USEC_PER_SEC);
  body = json_object_new ();
  json_object_set_string_member (body, "door", check_in->door);
  json_object_set_string_member (body, "admitted_at", now_text);
  text = gt_json_to_string (body);
  escaped = g_uri_escape_string (check_in->code, NULL, FALSE);
  path = g_strdup_printf ("/tickets/%s/checkin", escaped);
  if (!gt_db_begin (self->db, error))
    return NULL;
  if (!(outbox_id = outbox_add (self, "checkin", "POST", path, text, NULL, error))
      || !gt_db_run (self->db, error,
                     "INSERT INTO door_admission (ticket_id, code, door, admitted_at, outbox_id)"
                     " VALUES (?, ?, ?, ?, ?)",
                     "IsssI", ticket_id, check_in->code, check_in->door, now_text, outbox_id)
      || !gt_db_commit (self->db, error))
    {
      gt_db_rollback (self->db);
      return NULL;
    }
  /* Still "online" when only this request failed: trying now finds out. */
  flush_outbox (self);

  ticket = json_object_new ();
  json_object_set_int_member (ticket, "id", ticket_id);
  json_object_set_string_member (ticket, "code", check_in->code);
  json_object_set_string_member (ticket, "seat", seat);
  json_object_set_string_member (ticket, "type", type);
  json_object_set_string_member (ticket, "status", "valid");
  json_object_set_string_member (ticket, "checked_in_at", now_text);
  json_object_set_string_member (ticket, "door", check_in->door);
  json_object_set_int_member (ticket, "booking_id", booking_id);
  json_object_set_boolean_member (ticket, "offline", TRUE);
  if (showtime != NULL)
    json_object_set_object_member (ticket, "showtime", g_steal_pointer (&showtime));
  return ticket;
}

static void
finish_offline (GTask *task)
{
  GtReplica  *self = g_task_get_source_object (task);
  GError     *error = NULL;
  JsonObject *ticket = check_in_offline (self, g_task_get_task_data (task), &error);

  if (ticket == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, ticket, (GDestroyNotify) json_object_unref);
}

static void
on_checked_in_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GtReplica *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) ticket = gt_client_call_finish (GT_CLIENT (object), result, &error);

  if (ticket == NULL && gt_client_error_is_network (error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      finish_offline (task);
      return;
    }
  if (ticket == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The booking change will say it too; the door's count need not wait. */
  gt_db_run (self->db, NULL, "UPDATE door_ticket SET checked_in_at = ?, door = ? WHERE id = ?",
             "ssI", json_object_get_string_member_with_default (ticket, "checked_in_at", NULL),
             json_object_get_string_member_with_default (ticket, "door", NULL),
             json_object_get_int_member_with_default (ticket, "id", 0));
  g_task_return_pointer (task, g_steal_pointer (&ticket), (GDestroyNotify) json_object_unref);
}

static void
post_check_in (GTask *task)
{
  GtReplica *self = g_task_get_source_object (task);
  CheckIn   *check_in = g_task_get_task_data (task);
  g_autoptr (JsonObject) body = json_object_new ();
  g_autofree char *escaped = g_uri_escape_string (check_in->code, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/tickets/%s/checkin", escaped);

  json_object_set_string_member (body, "door", check_in->door);
  gt_client_call_async (self->client, "POST", path, body, NULL, g_task_get_cancellable (task),
                        on_checked_in_cb, task);
}

static void
on_ticket_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  CheckIn *check_in = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) ticket = gt_client_call_finish (GT_CLIENT (object), result, &error);
  JsonObject *showtime;

  if (ticket == NULL && gt_client_error_is_network (error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      finish_offline (task);
      return;
    }
  if (ticket == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Another showtime's ticket is turned away unused. */
  showtime = gt_json_object_member (ticket, "showtime");
  if (showtime != NULL && json_object_get_int_member (showtime, "id") != check_in->showtime_id)
    {
      refuse_other_showtime (&error, showtime);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  post_check_in (g_steal_pointer (&task));
}

void
gt_replica_check_in_async (GtReplica          *self,
                           const char         *code,
                           const char         *door,
                           gint64              showtime_id,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  CheckIn *check_in;

  g_return_if_fail (GT_IS_REPLICA (self));
  g_return_if_fail (code != NULL && door != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gt_replica_check_in_async);
  check_in = g_new0 (CheckIn, 1);
  check_in->code = g_strdup (code);
  check_in->door = g_strdup (door);
  check_in->showtime_id = showtime_id;
  g_task_set_task_data (task, check_in, (GDestroyNotify) check_in_free);

  if (self->connection != GT_CONNECTION_ONLINE)
    finish_offline (task);
  else if (showtime_id != 0)
    {
      g_autofree char *escaped = g_uri_escape_string (code, NULL, FALSE);
      g_autofree char *path = g_strdup_printf ("/tickets/%s", escaped);

      gt_client_call_async (self->client, "GET", path, NULL, NULL, cancellable, on_ticket_cb,
                            g_steal_pointer (&task));
    }
  else
    post_check_in (g_steal_pointer (&task));
}

JsonObject *
gt_replica_check_in_finish (GtReplica    *self,
                            GAsyncResult *result,
                            gboolean     *offline,
                            GError      **error)
{
  CheckIn *check_in;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  check_in = g_task_get_task_data (G_TASK (result));
  if (offline != NULL)
    *offline = check_in->offline;
  return g_task_propagate_pointer (G_TASK (result), error);
}

JsonArray *
gt_replica_list_double_admissions (GtReplica *self)
{
  g_return_val_if_fail (GT_IS_REPLICA (self), NULL);

  return list_data (self,
                    gt_db_query (self->db, "SELECT data FROM double_admission ORDER BY id", NULL));
}

/* The poster of @movie_id kept here, and the url it was fetched from. */
static GBytes *
cached_poster (GtReplica *self, gint64 movie_id, char **url)
{
  sqlite3_stmt *stmt = gt_db_query (self->db,
                                    "SELECT url, data FROM poster_cache WHERE movie_id = ?", "I",
                                    movie_id);
  GBytes       *bytes = NULL;

  if (gt_db_step (self->db, stmt, NULL))
    {
      *url = g_strdup (gt_db_column_text (stmt, 0));
      bytes = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
    }
  sqlite3_reset (stmt);
  return bytes;
}

typedef struct
{
  gint64  movie_id;
  char   *url;
  GBytes *stale; /* an older poster kept here, for when the new one cannot be fetched */
} PosterFetch;

static void
poster_fetch_free (PosterFetch *fetch)
{
  g_free (fetch->url);
  g_clear_pointer (&fetch->stale, g_bytes_unref);
  g_free (fetch);
}

static void
on_poster_fetched_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GtReplica   *self = g_task_get_source_object (task);
  PosterFetch *fetch = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) store_error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  const guint8 *data;
  gsize         len;

  if (!(bytes = gt_client_get_bytes_finish (GT_CLIENT (object), result, &error)))
    {
      if (fetch->stale != NULL && gt_client_error_is_network (error))
        g_task_return_pointer (task, g_steal_pointer (&fetch->stale),
                               (GDestroyNotify) g_bytes_unref);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data = g_bytes_get_data (bytes, &len);
  if (!gt_db_run (self->db, &store_error,
                  "INSERT OR REPLACE INTO poster_cache (movie_id, url, data) VALUES (?, ?, ?)",
                  "Isb", fetch->movie_id, fetch->url, data, len))
    g_warning ("Could not keep the poster of movie %" G_GINT64_FORMAT ": %s", fetch->movie_id,
               store_error->message);
  g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
}

void
gt_replica_get_poster_async (GtReplica          *self,
                             JsonObject         *movie,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *cached_url = NULL;
  g_autoptr (GBytes) cached = NULL;
  PosterFetch *fetch;
  const char  *url;
  gint64       movie_id;

  g_return_if_fail (GT_IS_REPLICA (self));
  g_return_if_fail (movie != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gt_replica_get_poster_async);

  movie_id = json_object_get_int_member_with_default (movie, "id", 0);
  url = json_object_get_string_member_with_default (movie, "poster", NULL);
  if (url == NULL || movie_id <= 0)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  cached = cached_poster (self, movie_id, &cached_url);
  if (cached != NULL && g_str_equal (cached_url, url))
    {
      g_task_return_pointer (task, g_steal_pointer (&cached), (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (!g_str_has_prefix (url, "/api/v1/"))
    {
      g_task_return_new_error (task, GT_ERROR, GT_ERROR_INTERNAL, "“%s” is not a poster", url);
      return;
    }

  fetch = g_new0 (PosterFetch, 1);
  fetch->movie_id = movie_id;
  fetch->url = g_strdup (url);
  fetch->stale = g_steal_pointer (&cached);
  g_task_set_task_data (task, fetch, (GDestroyNotify) poster_fetch_free);
  gt_client_get_bytes_async (self->client, url + strlen ("/api/v1"), cancellable,
                             on_poster_fetched_cb, g_steal_pointer (&task));
}

GBytes *
gt_replica_get_poster_finish (GtReplica *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (GT_IS_REPLICA (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
