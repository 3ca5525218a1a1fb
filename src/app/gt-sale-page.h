/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gt-replica.h"
#include "gt-seat-map.h"

G_BEGIN_DECLS

#define GT_TYPE_SALE_PAGE (gt_sale_page_get_type ())

G_DECLARE_FINAL_TYPE (GtSalePage, gt_sale_page, GT, SALE_PAGE, GtkWidget)

/* Seats are painted from the store and held through its client. */
void gt_sale_page_set_replica (GtSalePage *self, GtReplica *replica);
void gt_sale_page_set_config (GtSalePage *self, JsonObject *config);
/* Opens @showtime: loads its seat map; gives back any hold of another one. */
void        gt_sale_page_set_showtime (GtSalePage *self, JsonObject *showtime);
JsonObject *gt_sale_page_get_showtime (GtSalePage *self);
/* The hold of this sale (API shape), or NULL. */
JsonObject *gt_sale_page_get_hold (GtSalePage *self);
GtSeatMap  *gt_sale_page_get_seat_map (GtSalePage *self);
/* Chooses the ticket type of a held seat, as its drop-down would. */
gboolean gt_sale_page_set_ticket_type (GtSalePage *self, const char *seat, const char *type);
/* Gives the seat map the keyboard focus. */
void gt_sale_page_focus (GtSalePage *self);
void gt_sale_page_refresh (GtSalePage *self);
/* Gives the held seats back to the server. */
void gt_sale_page_release (GtSalePage *self);
/* The hold was sold: forget it without asking the server. */
void gt_sale_page_forget_hold (GtSalePage *self);

G_END_DECLS
