/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define GT_TYPE_PRICE_GRID (gt_price_grid_get_type ())

G_DECLARE_FINAL_TYPE (GtPriceGrid, gt_price_grid, GT, PRICE_GRID, GtkWidget)

/* Prices per ticket type, one column per set of prices: a row for each of
 * adult, child, senior and student, one for every other type the prices
 * name, and a way to add a type of the cinema's own ("member"). An empty
 * cell means the type is not sold at that price. GtPriceGrid::changed is
 * emitted whenever a cell or the rows change. */

/* clang-format off */
GtkWidget  *gt_price_grid_new         (void);
/* The cinema's settings (GET /config): prices are shown and read in its
 * currency, "50.000" or "12.50", and sent in its minor unit. */
void        gt_price_grid_set_config  (GtPriceGrid       *self,
                                       JsonObject        *config);
/* @titles: NULL-terminated column titles; a single column with a NULL or ""
 * title has no title row. Clears every cell. */
void        gt_price_grid_set_columns (GtPriceGrid       *self,
                                       const char *const *titles);
/* Fills @column from @prices (type → amount); NULL empties it. */
void        gt_price_grid_set_prices  (GtPriceGrid       *self,
                                       guint              column,
                                       JsonObject        *prices);
/* The prices typed in @column; NULL with @error when a cell is not an
 * amount, the message naming the type (and the column). */
JsonObject *gt_price_grid_dup_prices  (GtPriceGrid       *self,
                                       guint              column,
                                       GError           **error);
/* Types a cell, for tests and for callers that fill one price. */
void        gt_price_grid_set_text    (GtPriceGrid       *self,
                                       guint              column,
                                       const char        *type,
                                       const char        *text);
/* Adds a row for a type of the cinema's own; FALSE when @name is not a
 * type name (letters, digits, spaces, at most 32) or already there. */
gboolean    gt_price_grid_add_type    (GtPriceGrid       *self,
                                       const char        *name);
/* clang-format on */

G_END_DECLS
