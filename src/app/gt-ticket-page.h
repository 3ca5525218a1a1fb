/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define GT_TYPE_TICKET_PAGE (gt_ticket_page_get_type ())

G_DECLARE_FINAL_TYPE (GtTicketPage, gt_ticket_page, GT, TICKET_PAGE, GtkWidget)

void gt_ticket_page_set_config (GtTicketPage *self, JsonObject *config);
void gt_ticket_page_set_booking (GtTicketPage *self, JsonObject *booking, JsonObject *showtime);
/* The same, printed again later: without the change to give. */
void gt_ticket_page_set_reprint (GtTicketPage *self, JsonObject *booking, JsonObject *showtime);
/* "Change to give: …" as shown, or NULL when none is. */
const char *gt_ticket_page_get_change (GtTicketPage *self);
JsonObject *gt_ticket_page_get_booking (GtTicketPage *self);
/* Focuses New Sale: the next customer is one Enter away. */
void gt_ticket_page_focus (GtTicketPage *self);
/* Saves the tickets on A4 as the Save dialog would. */
gboolean gt_ticket_page_save_pdf (GtTicketPage *self, const char *path, GError **error);

G_END_DECLS
