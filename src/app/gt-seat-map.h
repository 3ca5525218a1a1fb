/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  GT_SEAT_STATE_FREE,
  GT_SEAT_STATE_MINE,
  GT_SEAT_STATE_HELD,
  GT_SEAT_STATE_SOLD,
  GT_SEAT_STATE_BLOCKED,
} GtSeatState;

typedef enum
{
  GT_SEAT_TYPE_STANDARD,
  GT_SEAT_TYPE_PREMIUM,
  GT_SEAT_TYPE_WHEELCHAIR,
  GT_SEAT_TYPE_COMPANION,
  GT_SEAT_TYPE_COUPLE,
} GtSeatType;

#define GT_TYPE_SEAT_STATE (gt_seat_state_get_type ())
#define GT_TYPE_SEAT_TYPE  (gt_seat_type_get_type ())
#define GT_TYPE_SEAT_MAP   (gt_seat_map_get_type ())

GType gt_seat_state_get_type (void) G_GNUC_CONST;
GType gt_seat_type_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (GtSeatMap, gt_seat_map, GT, SEAT_MAP, GtkWidget)

GtkWidget  *gt_seat_map_new (void);
void        gt_seat_map_set_seats (GtSeatMap *self, JsonArray *seats);
guint       gt_seat_map_get_n_seats (GtSeatMap *self);
void        gt_seat_map_set_seat_state (GtSeatMap *self, const char *seat_id, GtSeatState state);
GtSeatState gt_seat_map_get_seat_state (GtSeatMap *self, const char *seat_id);
GtSeatType  gt_seat_map_get_seat_type (GtSeatMap *self, const char *seat_id);
gboolean    gt_seat_map_has_seat (GtSeatMap *self, const char *seat_id);
char      **gt_seat_map_dup_seats_in_state (GtSeatMap *self, GtSeatState state);
const char *gt_seat_map_get_focus_seat (GtSeatMap *self);
void        gt_seat_map_set_focus_seat (GtSeatMap *self, const char *seat_id);
const char *gt_seat_map_seat_at (GtSeatMap *self, double x, double y);
gboolean    gt_seat_map_get_seat_bounds (GtSeatMap       *self,
                                         const char      *seat_id,
                                         graphene_rect_t *bounds);

const char *gt_seat_state_to_label (GtSeatState state);
const char *gt_seat_type_to_label (GtSeatType type);

G_END_DECLS
