/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gt-replica.h"

G_BEGIN_DECLS

#define GT_TYPE_DOOR_PAGE (gt_door_page_get_type ())

G_DECLARE_FINAL_TYPE (GtDoorPage, gt_door_page, GT, DOOR_PAGE, GtkWidget)

/* The auditorium door: a barcode scanner types a ticket code and Enter into
 * an entry that always has the focus; the answer fills the page, to be read
 * from two metres: ADMIT with the seat and type, or NOT ADMITTED with the
 * reason (already used, and when and where; refunded; another showtime; not
 * a valid ticket; doors not open). With the server away the counter's
 * store decides (see gt_replica_check_in_async()) and the answer says
 * "(offline)"; a ticket admitted at two doors meanwhile is reported on the
 * page once the server is back. */
void gt_door_page_set_replica (GtDoorPage *self, GtReplica *replica);
/* The door's name as check-ins record it (the counter's name at sign-in). */
void gt_door_page_set_door (GtDoorPage *self, const char *door);
void gt_door_page_refresh (GtDoorPage *self);
void gt_door_page_focus (GtDoorPage *self);
/* Checks @code in as the scanner would. */
void gt_door_page_scan (GtDoorPage *self, const char *code);
/* The last answer: TRUE admitted; the big and the small text. */
gboolean    gt_door_page_get_admitted (GtDoorPage *self);
const char *gt_door_page_get_verdict (GtDoorPage *self);
const char *gt_door_page_get_reason (GtDoorPage *self);
/* Whether the door decided alone (the server away), as the page says. */
gboolean gt_door_page_get_offline (GtDoorPage *self);
/* "Admitted M of N sold" for one showtime, else this door's count. */
const char *gt_door_page_get_count (GtDoorPage *self);
/* The line about a ticket admitted at two doors offline, or NULL. */
const char *gt_door_page_get_alert (GtDoorPage *self);
/* The showtimes the door can be limited to, as in its chooser after "All":
 * today's that are not over (and the one chosen). */
JsonArray *gt_door_page_get_showtimes (GtDoorPage *self);
/* Limits admission to one showtime (0: any showtime whose doors are open). */
void gt_door_page_set_showtime (GtDoorPage *self, gint64 showtime_id);

G_END_DECLS
