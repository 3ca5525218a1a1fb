/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gt-seat-map.h"

G_BEGIN_DECLS

/* Which side of a couple seat is joined to its partner: the joined side has
 * square corners and reaches the edge of the seat's cell, so the two halves
 * read as one wide seat. */
typedef enum
{
  GT_SEAT_JOIN_NONE,
  GT_SEAT_JOIN_RIGHT,
  GT_SEAT_JOIN_LEFT,
} GtSeatJoin;

typedef enum
{
  GT_SEAT_MOVE_LEFT,
  GT_SEAT_MOVE_RIGHT,
  GT_SEAT_MOVE_UP,
  GT_SEAT_MOVE_DOWN,
  GT_SEAT_MOVE_ROW_START,
  GT_SEAT_MOVE_ROW_END,
  GT_SEAT_MOVE_FIRST,
  GT_SEAT_MOVE_LAST,
} GtSeatMove;

/* Colours of every seat state, read once from the widget's style (the
 * foreground colour tells a dark style from a light one, the accent colour
 * comes from the theme), so the map and its legend always agree. */
typedef struct
{
  gboolean dark;
  int      scale;
  GdkRGBA  fg;
  GdkRGBA  dim_fg;
  GdkRGBA  accent;
  GdkRGBA  free_fill;
  GdkRGBA  free_border;
  GdkRGBA  free_ink;
  GdkRGBA  premium;
  GdkRGBA  mine_fill;
  GdkRGBA  mine_border;
  GdkRGBA  mine_ink;
  GdkRGBA  held_fill;
  GdkRGBA  held_stripe;
  GdkRGBA  held_border;
  GdkRGBA  held_ink;
  GdkRGBA  sold_fill;
  GdkRGBA  sold_border;
  GdkRGBA  sold_ink;
  GdkRGBA  blocked_fill;
  GdkRGBA  blocked_stripe;
  GdkRGBA  blocked_border;
  GdkRGBA  blocked_ink;
  GdkRGBA  focus;
  GdkRGBA  hover;
} GtSeatPalette;

void  _gt_seat_palette_init (GtSeatPalette *palette, GtkWidget *widget);
void  _gt_seat_map_draw_seat (GtkSnapshot           *snapshot,
                              const graphene_rect_t *rect,
                              GtSeatType             type,
                              GtSeatState            state,
                              GtSeatJoin             join,
                              const GtSeatPalette   *palette);
void  _gt_seat_map_move_focus (GtSeatMap *self, GtkDirectionType direction);
void  _gt_seat_map_move (GtSeatMap *self, GtSeatMove move);
char *_gt_seat_map_dup_seat_description (GtSeatMap *self, const char *seat_id);

G_END_DECLS
