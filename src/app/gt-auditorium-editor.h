/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gt-replica.h"

G_BEGIN_DECLS

#define GT_TYPE_AUDITORIUM_EDITOR (gt_auditorium_editor_get_type ())

G_DECLARE_FINAL_TYPE (GtAuditoriumEditor, gt_auditorium_editor, GT, AUDITORIUM_EDITOR, GtkWidget)

/* Auditorium layouts: rows and seats per row, aisles, row labels, and per
 * seat its type or "blocked", painted by clicking seats on the preview, which
 * is the cashier's seat map itself. The server refuses a change that would
 * move a sold seat; its answer, with the seats in the way, shows here. */
void gt_auditorium_editor_set_replica (GtAuditoriumEditor *self, GtReplica *replica);
void gt_auditorium_editor_refresh (GtAuditoriumEditor *self);

/* For tests, as a manager would do it. @auditorium_id 0: a new one. */
void gt_auditorium_editor_open (GtAuditoriumEditor *self, gint64 auditorium_id);
void gt_auditorium_editor_generate (GtAuditoriumEditor *self,
                                    const char         *name,
                                    guint               rows,
                                    guint               seats_per_row,
                                    const char         *aisles_after);
/* Paints @seat_id with @brush ("premium", "wheelchair", …, or "blocked"). */
void gt_auditorium_editor_paint (GtAuditoriumEditor *self, const char *seat_id, const char *brush);
void gt_auditorium_editor_save (GtAuditoriumEditor *self);
const char *gt_auditorium_editor_get_message (GtAuditoriumEditor *self);
GtkWidget  *gt_auditorium_editor_get_preview (GtAuditoriumEditor *self);

G_END_DECLS
