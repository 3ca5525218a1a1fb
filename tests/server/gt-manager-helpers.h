/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gt-server-fixture.h"

G_BEGIN_DECLS

/* Helpers of the manager's workspace tests (refunds, exchanges, search,
 * audit, reports). */

/* Signs in @username (password = username) at @counter. */
char *gt_login_at (GtTestServer *server, const char *username, const char *counter);
/* Creates a user with a unique name from @prefix and role @role (password =
 * its name), as @token; returns the name. */
char *gt_make_user (GtTestServer *server, const char *token, const char *prefix, const char *role);
/* Holds the seats of @tickets_json ([{"seat","type"}]) and checks them out
 * with @payment_json; asserts 201 and returns the booking. */
JsonNode *gt_sell_tickets (GtTestServer *server,
                           const char   *token,
                           gint64        showtime_id,
                           const char   *tickets_json,
                           const char   *payment_json,
                           const char   *customer_name);
/* The day of @unix_time in the cinema's time zone (GET /config), YYYY-MM-DD. */
char *gt_cinema_date (GtTestServer *server, gint64 unix_time);
/* seat id → state, of GET /showtimes/{id}/seats. */
GHashTable *gt_seat_map (GtTestServer *server, const char *token, gint64 showtime_id);
/* Asserts @after equals @before except for the seats of @changes, given as
 * "SEAT=state" strings, NULL-terminated. */
void gt_assert_seat_map_changed (GHashTable *before, GHashTable *after, const char *const *changes);
JsonObject *gt_booking_ticket (JsonObject *booking, const char *seat);
/* A GET whose answer need not be JSON: the body as text, with the status and
 * the Content-Type and Content-Disposition headers (may be NULL). */
char *gt_fetch_text (GtTestServer *server,
                     const char   *path,
                     const char   *token,
                     guint        *status,
                     char        **content_type,
                     char        **disposition);
/* RFC 4180: rows (GPtrArray of GStrv), the header first. */
GPtrArray *gt_csv_parse (const char *text);
/* The column of @name in the header @row, or -1. */
int gt_csv_column (char **header, const char *name);

G_END_DECLS
