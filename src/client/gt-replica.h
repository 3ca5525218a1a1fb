/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gt-client.h"

G_BEGIN_DECLS

#define GT_TYPE_REPLICA (gt_replica_get_type ())

G_DECLARE_FINAL_TYPE (GtReplica, gt_replica, GT, REPLICA, GObject)

typedef enum
{
  GT_CONNECTION_CONNECTING, /* signed in, first sync under way */
  GT_CONNECTION_ONLINE,     /* live socket open and caught up */
  GT_CONNECTION_RECONNECTING,
  GT_CONNECTION_OFFLINE, /* unreachable for a while: see offline-since */
} GtConnection;

GType gt_connection_get_type (void);
#define GT_TYPE_CONNECTION (gt_connection_get_type ())

/* The counter's own store, kept in step with the server: the catalog, the
 * seat states of the showtimes opened here, this counter's sales journal and
 * an outbox of requests that must still reach the server. It pulls
 * /changes at start and after every reconnect, follows /live in between,
 * and pulls again when a revision is missing. Everything it answers comes
 * from the local file, so it works while the server is away.
 *
 * GtReplica::changed (kind, showtime_id, id, state) is emitted for every
 * change applied; the detail is the kind ("seat", "showtime", "movie",
 * "auditorium", "booking"). GtReplica::synced follows each pulled batch.
 * GtReplica::double-admission (code, details) reports a ticket admitted at
 * two doors while the server was away. */

/* @path NULL: counter.db in the user's data directory (counter-2.db and so
 * on while another counter process on this machine has it). */
GtReplica *gt_replica_new (GtClient *client, const char *path, GError **error);
GtClient  *gt_replica_get_client (GtReplica *self);

/* After sign-in: follow /live and pull what is missing. The store is kept
 * across runs; a different server (another ticket key) starts it afresh. */
void gt_replica_start (GtReplica *self);
/* Sign-out: stop following (the store stays). */
void gt_replica_stop (GtReplica *self);

GtConnection gt_replica_get_connection (GtReplica *self);
/* Unix seconds since when the server has been away, 0 while online. */
gint64 gt_replica_get_offline_since (GtReplica *self);
gint64 gt_replica_get_rev (GtReplica *self);
/* Whether what the store shows is the server's: it has synced since it was
 * opened, or holds what an earlier run synced. FALSE only on a counter's
 * very first start, until its first sync ends. */
gboolean gt_replica_has_data (GtReplica *self);
guint    gt_replica_get_outbox_length (GtReplica *self);

/* What /config said, kept for offline use; NULL before the first sync. */
JsonObject *gt_replica_dup_config (GtReplica *self);
/* How many minutes before a showtime its doors open, as the server's
 * settings say. */
gint64 gt_replica_get_door_opens_minutes (GtReplica *self);

/* The catalog in the API's shapes, with seats_free kept current. */
JsonArray *gt_replica_list_movies (GtReplica *self);
JsonArray *gt_replica_list_auditoriums (GtReplica *self);
/* @date is YYYY-MM-DD in the cinema's time zone; started ones included. */
JsonArray *gt_replica_list_showtimes (GtReplica *self, const char *date);
/* For a door on @date: its showtimes, and the next day's whose doors open
 * before midnight. */
JsonArray  *gt_replica_list_door_showtimes (GtReplica *self, const char *date);
JsonObject *gt_replica_dup_showtime (GtReplica *self, gint64 showtime_id);
JsonObject *gt_replica_dup_movie (GtReplica *self, gint64 movie_id);

/* The /seats answer as last known here, NULL if never loaded. */
JsonObject *gt_replica_dup_seats (GtReplica *self, gint64 showtime_id);
/* Fetches /seats into the store; finishes with the server's answer (it
 * marks the caller's own held seats with hold_id). */
void        gt_replica_load_seats_async (GtReplica          *self,
                                         gint64              showtime_id,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
JsonObject *gt_replica_load_seats_finish (GtReplica *self, GAsyncResult *result, GError **error);

/* Sells through the outbox: the request is stored before it is sent, so an
 * answer lost to a dropped link is asked for again, with the same
 * @idempotency_key, until the server gives it. The booking goes into the
 * journal. Finishes with the booking; a G_IO_ERROR means the server has not
 * answered yet and GtReplica::checkout-settled will tell how it ended. */
void        gt_replica_checkout_async (GtReplica          *self,
                                       gint64              hold_id,
                                       const char         *idempotency_key,
                                       JsonObject         *body,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
JsonObject *gt_replica_checkout_finish (GtReplica *self, GAsyncResult *result, GError **error);
/* Gives a hold back; queued if the server is away. */
void gt_replica_release_hold (GtReplica *self, gint64 hold_id);

/* This counter's sales, newest first, and one by its code: bookings as the
 * API gives them, each with its "showtime" as it was when sold. */
JsonArray  *gt_replica_list_journal (GtReplica *self);
JsonObject *gt_replica_dup_journal_booking (GtReplica *self, const char *code);

/* The door. A door keeps the tickets of the showtimes it admits (loaded
 * while the server is reachable, then kept current from booking changes),
 * so that it can admit with the server away. */
void gt_replica_load_door_async (GtReplica          *self,
                                 gint64              showtime_id,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data);
/* Finishes with the list as now stored (gt_replica_dup_door()). */
JsonObject *gt_replica_load_door_finish (GtReplica *self, GAsyncResult *result, GError **error);
/* The stored list as GET /showtimes/{id}/tickets gives it, with this
 * door's offline admissions counted (each marked "offline"); NULL if never
 * loaded. */
JsonObject *gt_replica_dup_door (GtReplica *self, gint64 showtime_id);
/* Valid tickets and admitted ones of a loaded list; FALSE if not loaded. */
gboolean gt_replica_get_door_counts (GtReplica *self,
                                     gint64     showtime_id,
                                     guint     *sold,
                                     guint     *admitted);

/* Checks ticket @code in at @door, for @showtime_id (0: any showtime whose
 * doors are open). Online it is the server's answer (a ticket of another
 * showtime is refused unused: GT_ERROR_SHOWTIME_CLOSED with
 * details.showtime). With the server away (not online, or the request
 * failing on the network), the door decides alone: the code's signature,
 * the ticket in the door's list, refunded or already admitted (here or as
 * last known), the door window; an admission is queued in the outbox.
 * @offline tells which of the two answered. */
void        gt_replica_check_in_async (GtReplica          *self,
                                       const char         *code,
                                       const char         *door,
                                       gint64              showtime_id,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
JsonObject *gt_replica_check_in_finish (GtReplica    *self,
                                        GAsyncResult *result,
                                        gboolean     *offline,
                                        GError      **error);
/* Tickets admitted offline here that another door had admitted too, oldest
 * first: the details of GtReplica::double-admission. */
JsonArray *gt_replica_list_double_admissions (GtReplica *self);

/* Pulls /changes now (after a reconnect it happens by itself). */
void gt_replica_sync (GtReplica *self);

/* The poster of @movie (a movie as the API gives it): from the store when
 * its "poster" url is the one kept, else fetched and kept. NULL without
 * error when the movie has none; with the server away, an older poster kept
 * here rather than nothing. */
void    gt_replica_get_poster_async (GtReplica          *self,
                                     JsonObject         *movie,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data);
GBytes *gt_replica_get_poster_finish (GtReplica *self, GAsyncResult *result, GError **error);

G_END_DECLS
