/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gt-test-http.h"

G_BEGIN_DECLS

/* Shared by the server API tests. Each test executable starts its servers
 * once in main() (gt_fixture_server) and runs every case in a subprocess
 * (gt_fixture_add), so one failing case cannot hide the others and cases
 * never depend on each other's state: each makes its own movies,
 * auditoriums and showtimes. */

/* Calls g_test_init(). */
void gt_fixture_init (int *argc, char ***argv);
/* Starts a server named @name with @extra_args (in a case subprocess: the
 * one the parent started). */
GtTestServer *gt_fixture_server (const char *name, const char *const *extra_args);
void          gt_fixture_add (const char *path, void (*func) (void));
/* Runs the tests, then stops every server (asserting a clean exit). */
int gt_fixture_run (void);

SoupSession *gt_fixture_session (void);

/* A request that must answer @expected_status; returns the body. */
#define gt_api(server, method, path, token, body, expected_status)                                 \
  _gt_api (__FILE__, __LINE__, G_STRFUNC, (server), (method), (path), (token), (body),             \
           (expected_status), NULL)
/* A request that must fail with @expected_status and error @code, in the
 * one error shape; returns the body. */
#define gt_api_error(server, method, path, token, body, expected_status, code)                     \
  _gt_api (__FILE__, __LINE__, G_STRFUNC, (server), (method), (path), (token), (body),             \
           (expected_status), (code))

JsonNode *_gt_api (const char   *file,
                   int           line,
                   const char   *func,
                   GtTestServer *server,
                   const char   *method,
                   const char   *path,
                   const char   *token,
                   const char   *body,
                   guint         expected_status,
                   const char   *code);

/* Asserts @node is {"error":{"code","message","details"?}} and leaks no SQL. */
void        gt_assert_error_shape (JsonNode *node);
JsonObject *gt_error_details (JsonNode *node);

/* Logs in with password = username. */
char  *gt_login (GtTestServer *server, const char *username);
char  *gt_unique (const char *prefix);
char  *gt_time_format (gint64 unix_time);
gint64 gt_time_parse (const char *rfc3339);
/* Midnight UTC @days from today, plus @minutes. */
gint64 gt_day_start (int days, int minutes);

gint64 gt_create_movie (GtTestServer *server, const char *token, int duration_minutes);
/* An auditorium of @rows rows (A, B, …) of @per_row seats; an aisle (a gap in
 * x) after seat @aisle_after when it is not 0. Seat types are standard. */
gint64 gt_create_auditorium (GtTestServer *server,
                             const char   *token,
                             int           rows,
                             int           per_row,
                             int           aisle_after);
/* Prices adult 50000, child 35000. */
gint64 gt_create_showtime (GtTestServer *server,
                           const char   *token,
                           gint64        movie_id,
                           gint64        auditorium_id,
                           gint64        starts_at);
/* A fresh movie, auditorium (5 rows of 8, aisle after 4) and a showtime
 * @days ahead, made by @manager_token. Returns the showtime id. */
gint64 gt_create_setup (GtTestServer *server, const char *manager_token, int days);

/* The state of one seat in GET /showtimes/{id}/seats ("free", "held", …),
 * and its hold_id (0 when none shown). */
char *gt_seat_state (GtTestServer *server,
                     const char   *token,
                     gint64        showtime_id,
                     const char   *seat,
                     gint64       *hold_id);
/* Fails the test unless the seat is in @state. */
void   gt_assert_seat_state (GtTestServer *server,
                             const char   *token,
                             gint64        showtime_id,
                             const char   *seat,
                             const char   *state);
gint64 gt_hold (GtTestServer *server,
                const char   *token,
                gint64        showtime_id,
                const char   *seats_json);
/* Holds @seats_json and checks them all out as adults for cash. */
JsonNode *gt_sell (GtTestServer *server,
                   const char   *token,
                   gint64        showtime_id,
                   const char   *seats_json);
JsonNode *gt_checkout (GtTestServer *server,
                       const char   *token,
                       gint64        hold_id,
                       const char   *idempotency_key,
                       const char   *body,
                       guint        *status);

/* Runs the default main context for @ms (lets time pass while polling). */
void gt_wait_ms (guint ms);

G_END_DECLS
