/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gt-replica.h"

G_BEGIN_DECLS

#define GT_TYPE_SCHEDULE_PAGE (gt_schedule_page_get_type ())

G_DECLARE_FINAL_TYPE (GtSchedulePage, gt_schedule_page, GT, SCHEDULE_PAGE, GtkWidget)

/* The schedule is read from the counter's store and follows its changes. */
void gt_schedule_page_set_replica (GtSchedulePage *self, GtReplica *replica);
void gt_schedule_page_set_config (GtSchedulePage *self, JsonObject *config);
void gt_schedule_page_refresh (GtSchedulePage *self);
void gt_schedule_page_focus (GtSchedulePage *self);
/* The showtimes of the day shown (for tests), or NULL while loading. */
JsonArray *gt_schedule_page_get_showtimes (GtSchedulePage *self);
/* Opens a showtime as a click on its button would (for tests). */
gboolean gt_schedule_page_activate_showtime (GtSchedulePage *self, gint64 showtime_id);

G_END_DECLS
