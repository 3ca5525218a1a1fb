/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gt-test-http.h"

G_BEGIN_DECLS

/* Helpers shared by the rush tests (and test-embedded). Unlike
 * gt_test_request(), a request here survives a server that went away: it
 * answers status 0 instead of aborting, which is what a client sees when the
 * server is killed under it. */

JsonNode *gt_stress_request (SoupSession *session,
                             const char  *url,
                             const char  *method,
                             const char  *path,
                             const char  *token,
                             const char  *idempotency_key,
                             const char  *body,
                             guint       *status);

/* Showtimes that start at least @margin_minutes from now, in start order,
 * as their ids (gint64). */
GArray *gt_stress_future_showtimes (SoupSession *session,
                                    const char  *url,
                                    const char  *token,
                                    int          margin_minutes);

/* Up to @n seat ids of @showtime_id that are free now, NULL-terminated. */
char **gt_stress_free_seats (SoupSession *session,
                             const char  *url,
                             const char  *token,
                             gint64       showtime_id,
                             guint        n);

/* The hold body for @seats. */
char *gt_stress_hold_body (const char *const *seats);

/* The checkout body for @seats, all adult, paid in cash with plenty tendered. */
char *gt_stress_checkout_body (const char *const *seats);

/* The id member of an object body, or 0. */
gint64 gt_stress_get_id (JsonNode *node);

/* Checks the invariants of one showtime as a manager sees them: no seat has
 * two paid tickets, the seat map shows exactly the seats of paid bookings as
 * sold, and every booking id in @acked (gint64 → expected status string, or
 * NULL for any) is listed with that status. Returns how many seats are held. */
guint gt_stress_check_showtime (SoupSession *session,
                                const char  *url,
                                const char  *manager_token,
                                gint64       showtime_id,
                                GHashTable  *acked);

G_END_DECLS
