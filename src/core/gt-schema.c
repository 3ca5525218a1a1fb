/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-schema"

#include "config.h"

#include "gt-schema-private.h"

/* Migrations are append-only: never edit one that has shipped, add the next.
 * Index i takes a database from user_version i to i + 1. */
static const char *const migrations[] = {
  /* 1: the first schema */
  "CREATE TABLE setting ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL);"

  "CREATE TABLE user ("
  "  id INTEGER PRIMARY KEY,"
  "  username TEXT NOT NULL UNIQUE,"
  "  display_name TEXT NOT NULL,"
  "  role TEXT NOT NULL CHECK (role IN ('cashier', 'manager', 'admin')),"
  "  password_hash TEXT NOT NULL,"
  "  active INTEGER NOT NULL DEFAULT 1,"
  "  created_at INTEGER NOT NULL);"

  "CREATE TABLE session ("
  "  id INTEGER PRIMARY KEY,"
  "  token_hash BLOB NOT NULL UNIQUE,"
  "  user_id INTEGER NOT NULL REFERENCES user (id),"
  "  counter TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL);"
  "CREATE INDEX session_by_user ON session (user_id);"

  "CREATE TABLE movie ("
  "  id INTEGER PRIMARY KEY,"
  "  title TEXT NOT NULL,"
  "  synopsis TEXT NOT NULL DEFAULT '',"
  "  duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),"
  "  rating TEXT NOT NULL DEFAULT '',"
  "  genres TEXT NOT NULL DEFAULT '[]',"
  "  active INTEGER NOT NULL DEFAULT 1);"

  "CREATE TABLE auditorium ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE,"
  "  layout TEXT NOT NULL);"

  "CREATE TABLE seat ("
  "  auditorium_id INTEGER NOT NULL REFERENCES auditorium (id) ON DELETE CASCADE,"
  "  seat_id TEXT NOT NULL,"
  "  row_label TEXT NOT NULL,"
  "  row_index INTEGER NOT NULL,"
  "  number INTEGER NOT NULL,"
  "  x INTEGER NOT NULL,"
  "  type TEXT NOT NULL,"
  "  blocked INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (auditorium_id, seat_id)) WITHOUT ROWID;"

  "CREATE TABLE showtime ("
  "  id INTEGER PRIMARY KEY,"
  "  movie_id INTEGER NOT NULL REFERENCES movie (id),"
  "  auditorium_id INTEGER NOT NULL REFERENCES auditorium (id),"
  "  starts_at INTEGER NOT NULL,"
  "  ends_at INTEGER NOT NULL,"
  "  prices TEXT NOT NULL);"
  "CREATE INDEX showtime_by_auditorium ON showtime (auditorium_id, starts_at);"
  "CREATE INDEX showtime_by_start ON showtime (starts_at);"
  "CREATE INDEX showtime_by_movie ON showtime (movie_id);"

  "CREATE TABLE hold ("
  "  id INTEGER PRIMARY KEY,"
  "  showtime_id INTEGER NOT NULL REFERENCES showtime (id) ON DELETE CASCADE,"
  "  session_id INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'active'"
  "    CHECK (state IN ('active', 'expired', 'released', 'sold')));"
  "CREATE INDEX hold_by_expiry ON hold (expires_at) WHERE state = 'active';"
  "CREATE INDEX hold_by_session ON hold (session_id);"

  "CREATE TABLE booking ("
  "  id INTEGER PRIMARY KEY,"
  "  code TEXT NOT NULL UNIQUE,"
  "  showtime_id INTEGER NOT NULL REFERENCES showtime (id),"
  "  user_id INTEGER NOT NULL REFERENCES user (id),"
  "  counter TEXT NOT NULL,"
  "  status TEXT NOT NULL CHECK (status IN ('paid', 'refunded')),"
  "  total INTEGER NOT NULL,"
  "  customer_name TEXT,"
  "  customer_email TEXT,"
  "  idempotency_key TEXT UNIQUE,"
  "  created_at INTEGER NOT NULL,"
  "  refunded_at INTEGER,"
  "  refund_reason TEXT);"
  "CREATE INDEX booking_by_showtime ON booking (showtime_id);"

  "CREATE TABLE ticket ("
  "  id INTEGER PRIMARY KEY,"
  "  booking_id INTEGER NOT NULL REFERENCES booking (id),"
  "  showtime_id INTEGER NOT NULL REFERENCES showtime (id),"
  "  seat_id TEXT NOT NULL,"
  "  type TEXT NOT NULL,"
  "  price INTEGER NOT NULL,"
  "  code TEXT UNIQUE,"
  "  checked_in_at INTEGER,"
  "  door TEXT);"
  "CREATE INDEX ticket_by_booking ON ticket (booking_id);"
  "CREATE INDEX ticket_by_showtime ON ticket (showtime_id, seat_id);"

  /* The last guard: one claim per seat per showtime, by the key itself. */
  "CREATE TABLE seat_claim ("
  "  showtime_id INTEGER NOT NULL REFERENCES showtime (id) ON DELETE CASCADE,"
  "  seat_id TEXT NOT NULL,"
  "  hold_id INTEGER REFERENCES hold (id) ON DELETE CASCADE,"
  "  ticket_id INTEGER REFERENCES ticket (id),"
  "  expires_at INTEGER,"
  "  PRIMARY KEY (showtime_id, seat_id),"
  "  CHECK ((hold_id IS NULL) <> (ticket_id IS NULL))) WITHOUT ROWID;"
  "CREATE INDEX seat_claim_by_hold ON seat_claim (hold_id);"
  "CREATE INDEX seat_claim_by_ticket ON seat_claim (ticket_id);"

  "CREATE TABLE payment ("
  "  id INTEGER PRIMARY KEY,"
  "  booking_id INTEGER NOT NULL REFERENCES booking (id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('sale', 'refund')),"
  "  method TEXT NOT NULL,"
  "  amount INTEGER NOT NULL,"
  "  tendered INTEGER,"
  "  change INTEGER,"
  "  reference TEXT,"
  "  user_id INTEGER NOT NULL REFERENCES user (id),"
  "  counter TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL);"
  "CREATE INDEX payment_by_booking ON payment (booking_id);"

  "CREATE TABLE change_log ("
  "  rev INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  kind TEXT NOT NULL,"
  "  showtime_id INTEGER,"
  "  obj_id TEXT NOT NULL,"
  "  op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),"
  "  data TEXT);",

  /* 2: the manager's workspace. A booking stays 'paid' while some of its
   * tickets are refunded (each ticket says so itself); a payment says what
   * it was for; the audit log says who did what, and why. */
  "ALTER TABLE ticket ADD COLUMN refunded_at INTEGER;"
  "ALTER TABLE payment ADD COLUMN purpose TEXT NOT NULL DEFAULT 'checkout'"
  "  CHECK (purpose IN ('checkout', 'refund', 'exchange'));"
  "UPDATE payment SET purpose = 'refund' WHERE kind = 'refund';"
  "UPDATE ticket SET refunded_at = (SELECT refunded_at FROM booking b"
  "  WHERE b.id = ticket.booking_id) WHERE booking_id IN"
  "  (SELECT id FROM booking WHERE status = 'refunded');"
  "CREATE INDEX payment_by_time ON payment (created_at);"
  "CREATE INDEX booking_by_time ON booking (created_at);"

  "CREATE TABLE audit ("
  "  id INTEGER PRIMARY KEY,"
  "  at INTEGER NOT NULL,"
  "  user_id INTEGER REFERENCES user (id),"
  "  counter TEXT,"
  "  action TEXT NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  object_id INTEGER,"
  "  reason TEXT,"
  "  details TEXT);"
  "CREATE INDEX audit_by_time ON audit (at);",

  /* 3: movie posters. Kept apart from the movie row so that listing movies
   * never reads the images; updated_at versions the poster's URL. */
  "CREATE TABLE poster ("
  "  movie_id INTEGER PRIMARY KEY REFERENCES movie (id) ON DELETE CASCADE,"
  "  content_type TEXT NOT NULL,"
  "  data BLOB NOT NULL,"
  "  updated_at INTEGER NOT NULL);",

  /* 4: the day closed, drawer by drawer: what a manager counted in a
   * cashier's drawer at a counter, against what its payments say it holds
   * (then). Every count is kept; a drawer's last count of a day is its
   * count. */
  "CREATE TABLE drawer_count ("
  "  id INTEGER PRIMARY KEY,"
  "  day TEXT NOT NULL,"
  "  user_id INTEGER NOT NULL REFERENCES user (id),"
  "  counter TEXT NOT NULL,"
  "  expected INTEGER NOT NULL,"
  "  counted INTEGER NOT NULL,"
  "  note TEXT,"
  "  counted_by INTEGER NOT NULL REFERENCES user (id),"
  "  created_at INTEGER NOT NULL);"
  "CREATE INDEX drawer_count_by_drawer ON drawer_count (day, user_id, counter);",
};

guint
_gt_schema_n_migrations (void)
{
  return G_N_ELEMENTS (migrations);
}

const char *const *
_gt_schema_migrations (void)
{
  return migrations;
}

const char *
_gt_schema_migration (guint i)
{
  g_return_val_if_fail (i < G_N_ELEMENTS (migrations), NULL);
  return migrations[i];
}
