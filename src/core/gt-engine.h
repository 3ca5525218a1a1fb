/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "gt-error.h"
#include "gt-principal.h"

G_BEGIN_DECLS

#define GT_TYPE_ENGINE (gt_engine_get_type ())

G_DECLARE_FINAL_TYPE (GtEngine, gt_engine, GT, ENGINE, GObject)

/* The longest hold time a cinema may set: a day. */
#define GT_ENGINE_MAX_HOLD_SECONDS (24 * 3600)

/* The booking engine: every rule of the box office, over one SQLite file.
 * Functions that take a JsonObject body validate it and answer
 * GT_ERROR_INVALID_FIELD with details.field; results are JSON objects in the
 * shape of the HTTP API (../shared/API.md). Not thread-safe: use an engine
 * from the thread whose main context created it. */

GtEngine   *gt_engine_new (const char *path, GError **error);
const char *gt_engine_get_path (GtEngine *self);
guint       gt_engine_get_hold_seconds (GtEngine *self);
void        gt_engine_set_hold_seconds (GtEngine *self, guint seconds);
gint64      gt_engine_now (GtEngine *self);
gboolean    gt_engine_is_empty (GtEngine *self);
JsonObject *gt_engine_get_config (GtEngine *self);
/* PATCH /settings (manager): any of "cinema", "cleaning_buffer_minutes",
 * "door_opens_minutes"; answers the new /config. Audited. */
JsonObject *gt_engine_update_settings (GtEngine    *self,
                                       GtPrincipal *principal,
                                       JsonObject  *body,
                                       GError     **error);
gint64      gt_engine_get_rev (GtEngine *self);

/* Group commit: units of work join one transaction (a group) that commits
 * when the main loop is next idle; its fsync runs on a thread of its own while
 * the next group gathers, and "committed" is emitted once it is durable.
 * An answer given now may be sent once the durable group reaches
 * gt_engine_get_pending_group() (0: at once). */
void    gt_engine_set_group_commit (GtEngine *self, gboolean group_commit);
guint64 gt_engine_get_pending_group (GtEngine *self);
guint64 gt_engine_get_durable_group (GtEngine *self);
/* Called on the engine's sync thread as soon as @group, and every group
 * before it, is durable (@ok) or lost (!@ok); "committed" follows on the
 * engine's context. The one call that comes from another thread: answers
 * waiting for the group may go out without waiting for the engine's main
 * loop. Setting it waits for a call under way. */
typedef void (*GtEngineDurableFunc) (guint64 group, gboolean ok, gpointer user_data);
void     gt_engine_set_durable_func (GtEngine *self, GtEngineDurableFunc func, gpointer user_data);
gboolean gt_engine_flush (GtEngine *self, GError **error);
/* TRUE once an fsync of the database has failed: from then on nothing is
 * durable, so nothing may be acknowledged, until the engine starts again. */
gboolean gt_engine_get_disk_failed (GtEngine *self);

/* Accounts (gt-accounts.c) */
void         gt_engine_login_async (GtEngine           *self,
                                    JsonObject         *body,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data);
JsonObject  *gt_engine_login_finish (GtEngine *self, GAsyncResult *result, GError **error);
GtPrincipal *gt_engine_authenticate (GtEngine *self, const char *token, GError **error);
gboolean     gt_engine_logout (GtEngine *self, GtPrincipal *principal, GError **error);
/* @principal may be NULL for the command line and demo data (full rights). */
JsonObject *gt_engine_create_user (GtEngine    *self,
                                   GtPrincipal *principal,
                                   JsonObject  *body,
                                   GError     **error);
JsonObject *gt_engine_update_user (GtEngine    *self,
                                   GtPrincipal *principal,
                                   gint64       id,
                                   JsonObject  *body,
                                   GError     **error);
/* The same for a server: the password is hashed on a worker thread. @id is
 * 0 for a new user (POST /users), else the user to change (PATCH). */
void        gt_engine_save_user_async (GtEngine           *self,
                                       GtPrincipal        *principal,
                                       gint64              id,
                                       JsonObject         *body,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
JsonObject *gt_engine_save_user_finish (GtEngine *self, GAsyncResult *result, GError **error);
JsonObject *gt_engine_list_users (GtEngine *self, GtPrincipal *principal, GError **error);

/* Catalog (gt-catalog.c) */
JsonObject *gt_engine_list_movies (GtEngine *self, GError **error);
JsonObject *gt_engine_get_movie (GtEngine *self, gint64 id, GError **error);
/* Writes take the @principal that makes them for the audit log (NULL: the
 * server itself, e.g. demo data). */
JsonObject *gt_engine_create_movie (GtEngine    *self,
                                    GtPrincipal *principal,
                                    JsonObject  *body,
                                    GError     **error);
JsonObject *gt_engine_update_movie (GtEngine    *self,
                                    GtPrincipal *principal,
                                    gint64       id,
                                    JsonObject  *body,
                                    GError     **error);
gboolean gt_engine_delete_movie (GtEngine *self, GtPrincipal *principal, gint64 id, GError **error);
JsonObject *gt_engine_list_auditoriums (GtEngine *self, GError **error);
JsonObject *gt_engine_get_auditorium (GtEngine *self, gint64 id, GError **error);
JsonObject *gt_engine_create_auditorium (GtEngine    *self,
                                         GtPrincipal *principal,
                                         JsonObject  *body,
                                         GError     **error);
JsonObject *gt_engine_update_auditorium (GtEngine    *self,
                                         GtPrincipal *principal,
                                         gint64       id,
                                         JsonObject  *body,
                                         GError     **error);
/* @date is YYYY-MM-DD in the cinema's time zone or NULL; @movie_id 0 for all. */
JsonObject *gt_engine_list_showtimes (GtEngine   *self,
                                      const char *date,
                                      gint64      movie_id,
                                      GError    **error);
JsonObject *gt_engine_get_showtime (GtEngine *self, gint64 id, GError **error);
JsonObject *gt_engine_create_showtime (GtEngine    *self,
                                       GtPrincipal *principal,
                                       JsonObject  *body,
                                       GError     **error);
JsonObject *gt_engine_update_showtime (GtEngine    *self,
                                       GtPrincipal *principal,
                                       gint64       id,
                                       JsonObject  *body,
                                       GError     **error);
gboolean    gt_engine_delete_showtime (GtEngine    *self,
                                       GtPrincipal *principal,
                                       gint64       id,
                                       GError     **error);
JsonObject *gt_engine_get_seats (GtEngine    *self,
                                 GtPrincipal *principal,
                                 gint64       showtime_id,
                                 GError     **error);

/* Holds (gt-holds.c) */
JsonObject *gt_engine_create_hold (GtEngine    *self,
                                   GtPrincipal *principal,
                                   gint64       showtime_id,
                                   JsonObject  *body,
                                   GError     **error);
JsonObject *gt_engine_get_hold (GtEngine    *self,
                                GtPrincipal *principal,
                                gint64       hold_id,
                                GError     **error);
JsonObject *gt_engine_add_hold_seat (GtEngine    *self,
                                     GtPrincipal *principal,
                                     gint64       hold_id,
                                     const char  *seat,
                                     GError     **error);
JsonObject *gt_engine_remove_hold_seat (GtEngine    *self,
                                        GtPrincipal *principal,
                                        gint64       hold_id,
                                        const char  *seat,
                                        GError     **error);
JsonObject *gt_engine_extend_hold (GtEngine    *self,
                                   GtPrincipal *principal,
                                   gint64       hold_id,
                                   GError     **error);
gboolean    gt_engine_release_hold (GtEngine    *self,
                                    GtPrincipal *principal,
                                    gint64       hold_id,
                                    GError     **error);
/* Frees every hold past its expiry now; returns how many. */
guint gt_engine_release_expired (GtEngine *self, GError **error);

/* Bookings (gt-bookings.c). @replayed is set when @idempotency_key named a
 * booking made before: it is returned and nothing is sold again. */
JsonObject *gt_engine_checkout (GtEngine    *self,
                                GtPrincipal *principal,
                                gint64       hold_id,
                                const char  *idempotency_key,
                                JsonObject  *body,
                                gboolean    *replayed,
                                GError     **error);
JsonObject *gt_engine_get_booking (GtEngine *self, gint64 id, GError **error);
JsonObject *gt_engine_find_bookings (GtEngine   *self,
                                     const char *code,
                                     gint64      showtime_id,
                                     GError    **error);
/* Search for managers: @q matches a booking code (exact or prefix), a
 * customer name (substring) or a seat id (exact), case-insensitively;
 * @date (YYYY-MM-DD, cinema time zone) the showtime's day; @day a day whose
 * sales or showtimes the booking is of (the manager's day: what was sold
 * today and what plays today). Any may be NULL. Newest first, at most 100. */
JsonObject *gt_engine_search_bookings (GtEngine   *self,
                                       const char *q,
                                       const char *date,
                                       const char *day,
                                       GError    **error);
/* {"reason","tickets"?:[ids]}: the whole booking, or only those tickets. */
JsonObject *gt_engine_refund (GtEngine    *self,
                              GtPrincipal *principal,
                              gint64       booking_id,
                              JsonObject  *body,
                              GError     **error);
/* {"showtime_id","seats":[{"ticket_id","seat"}],"reason","method"?}: moves
 * tickets to other seats, of the same or another showtime, in one unit. */
JsonObject *gt_engine_exchange (GtEngine    *self,
                                GtPrincipal *principal,
                                gint64       booking_id,
                                JsonObject  *body,
                                GError     **error);

/* Audit log (gt-audit.c): newest first; @date NULL for every day. */
JsonObject *gt_engine_list_audit (GtEngine    *self,
                                  GtPrincipal *principal,
                                  const char  *date,
                                  gint64       limit,
                                  GError     **error);

/* Reports (gt-reports.c), for the day @date (YYYY-MM-DD in the cinema's
 * time zone, NULL for today). */
JsonObject *gt_engine_report_sales (GtEngine    *self,
                                    GtPrincipal *principal,
                                    const char  *date,
                                    GError     **error);
JsonObject *gt_engine_report_cashup (GtEngine    *self,
                                     GtPrincipal *principal,
                                     const char  *date,
                                     GError     **error);
/* Records a manager's count of one drawer's cash (@body: "user_id",
 * "counter", "counted", optional "date" and "note") against what the day's
 * payments say it holds. */
JsonObject *gt_engine_count_drawer (GtEngine    *self,
                                    GtPrincipal *principal,
                                    JsonObject  *body,
                                    GError     **error);
/* The same reports as CSV (RFC 4180, UTF-8, a header row). */
char *gt_report_sales_to_csv (JsonObject *report);
char *gt_report_cashup_to_csv (JsonObject *report);

/* Tickets (gt-tickets.c) */
JsonObject *gt_engine_get_ticket (GtEngine *self, const char *code, GError **error);
JsonObject *gt_engine_check_in (GtEngine    *self,
                                GtPrincipal *principal,
                                const char  *code,
                                JsonObject  *body,
                                GError     **error);
JsonObject *gt_engine_undo_check_in (GtEngine    *self,
                                     GtPrincipal *principal,
                                     const char  *code,
                                     GError     **error);
gboolean    gt_engine_verify_ticket_code (GtEngine *self, const char *code, gint64 *ticket_id);

/* Changes (gt-changes.c): each as JSON text, for /changes and /live; the
 * JsonObject of a page for everything else. */
GPtrArray *gt_engine_read_changes (GtEngine *self,
                                   gint64    since,
                                   gint64    until,
                                   gint64    limit,
                                   gint64   *last,
                                   gboolean *more,
                                   GError  **error);
char      *gt_engine_list_changes_text (GtEngine *self, gint64 since, gint64 limit, GError **error);
JsonObject *gt_engine_list_changes (GtEngine *self, gint64 since, gint64 limit, GError **error);

/* Demo data (gt-demo.c): only into an empty database. */
gboolean gt_engine_load_demo (GtEngine *self, GError **error);
/* First run of a database without users: {"demo":true} loads the demo data,
 * {"admin":{"username","password","display_name"?}} creates the first admin. */
gboolean    gt_engine_get_setup_needed (GtEngine *self);
JsonObject *gt_engine_setup (GtEngine *self, JsonObject *body, GError **error);

G_END_DECLS
