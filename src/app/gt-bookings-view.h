/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gt-replica.h"

G_BEGIN_DECLS

#define GT_TYPE_BOOKINGS_VIEW (gt_bookings_view_get_type ())

G_DECLARE_FINAL_TYPE (GtBookingsView, gt_bookings_view, GT, BOOKINGS_VIEW, GtkWidget)

/* Finding a booking by its code, the customer's name or a seat, then
 * refunding it (all of it or some tickets) or moving tickets to other seats
 * or another showtime, always with a reason: the server writes both to the
 * audit log. */
void gt_bookings_view_set_replica (GtBookingsView *self, GtReplica *replica);
/* Lists again what is shown: the search's answer, or without one the
 * bookings of today's showtimes. */
void gt_bookings_view_refresh (GtBookingsView *self);
/* For tests, as the search entry and the buttons do; an empty @text lists
 * today's bookings. */
void       gt_bookings_view_search (GtBookingsView *self, const char *text);
JsonArray *gt_bookings_view_get_bookings (GtBookingsView *self);
void       gt_bookings_view_refund (GtBookingsView *self,
                                    gint64          booking_id,
                                    const gint64   *ticket_ids,
                                    guint           n_tickets,
                                    const char     *reason);
void       gt_bookings_view_exchange (GtBookingsView *self,
                                      gint64          booking_id,
                                      gint64          ticket_id,
                                      gint64          showtime_id,
                                      const char     *seat,
                                      const char     *reason);
/* The last answer shown ("" when none); ends with "…" while one is awaited. */
const char *gt_bookings_view_get_message (GtBookingsView *self);

G_END_DECLS
