/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define GT_TYPE_HOLD_TIMER (gt_hold_timer_get_type ())

G_DECLARE_FINAL_TYPE (GtHoldTimer, gt_hold_timer, GT, HOLD_TIMER, GtkWidget)

void        gt_hold_timer_set_hold (GtHoldTimer *self, JsonObject *hold);
JsonObject *gt_hold_timer_get_hold (GtHoldTimer *self);
gint64      gt_hold_timer_get_seconds_left (GtHoldTimer *self);
const char *gt_hold_timer_get_text (GtHoldTimer *self);

G_END_DECLS
