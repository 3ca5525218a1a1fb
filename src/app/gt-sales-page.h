/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gt-replica.h"

G_BEGIN_DECLS

#define GT_TYPE_SALES_PAGE (gt_sales_page_get_type ())

G_DECLARE_FINAL_TYPE (GtSalesPage, gt_sales_page, GT, SALES_PAGE, GtkWidget)

/* This counter's sales from its own journal, newest first, to find one by
 * its code or title and print its tickets again: it works offline too.
 * GtSalesPage::reprint (booking) carries the booking with its "showtime". */
void gt_sales_page_set_replica (GtSalesPage *self, GtReplica *replica);
void gt_sales_page_refresh (GtSalesPage *self);
void gt_sales_page_focus (GtSalesPage *self);
/* Reprints the sale with @code, as its Reprint button does. */
/* Searches the counter's sales for @text, as typed; a booking code sold
 * elsewhere is looked up on the server. */
void gt_sales_page_search (GtSalesPage *self, const char *text);
/* Reprints the sale with booking @code among those shown: FALSE if none. */
gboolean gt_sales_page_reprint (GtSalesPage *self, const char *code);

G_END_DECLS
