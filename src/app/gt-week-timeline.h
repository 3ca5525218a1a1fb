/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define GT_TYPE_WEEK_TIMELINE (gt_week_timeline_get_type ())

G_DECLARE_FINAL_TYPE (GtWeekTimeline, gt_week_timeline, GT, WEEK_TIMELINE, GtkWidget)

/* One auditorium's week at a glance: a row per day, each showtime a block
 * from its start to its end, followed by its cleaning time, so gaps and
 * clashes show before anything is added. A click on a day's row emits
 * GtWeekTimeline::day-activated (index). A showtime dragged to another
 * time or day shows where it would land, red when it would run into
 * another, and emits GtWeekTimeline::showtime-moved (id, day index, "HH:MM")
 * when dropped; moving it is the caller's. */
GtkWidget *gt_week_timeline_new (void);
/* @days: 7 arrays of showtimes (API shape), @labels: 7 day names. */
void gt_week_timeline_set_week (GtWeekTimeline    *self,
                                JsonArray *const  *days,
                                const char *const *labels,
                                const char        *timezone,
                                guint              cleaning_minutes,
                                guint              selected);

/* For tests: drags @showtime_id's block as the mouse does, to @day at
 * @hours since midnight. */
void gt_week_timeline_drag (GtWeekTimeline *self, gint64 showtime_id, guint day, double hours);

G_END_DECLS
