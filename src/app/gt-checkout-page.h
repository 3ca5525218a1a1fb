/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gt-replica.h"

G_BEGIN_DECLS

#define GT_TYPE_CHECKOUT_PAGE (gt_checkout_page_get_type ())

G_DECLARE_FINAL_TYPE (GtCheckoutPage, gt_checkout_page, GT, CHECKOUT_PAGE, GtkWidget)

/* Sales go through the store's outbox: a lost answer is asked for again. */
void gt_checkout_page_set_replica (GtCheckoutPage *self, GtReplica *replica);
void gt_checkout_page_set_config (GtCheckoutPage *self, JsonObject *config);
/* @sale as the sale page's "checkout" signal gives it. A new sale gets a new
 * idempotency key; confirming again (after an error) reuses it. */
void gt_checkout_page_set_sale (GtCheckoutPage *self, JsonObject *sale);
/* Pays cash with @tendered (in minor units) as the form would. */
void gt_checkout_page_set_customer_name (GtCheckoutPage *self, const char *name);
void gt_checkout_page_pay_cash (GtCheckoutPage *self, gint64 tendered);
void gt_checkout_page_set_hold (GtCheckoutPage *self, JsonObject *hold);
/* The refusal or warning shown above Confirm, or NULL. */
const char *gt_checkout_page_get_message (GtCheckoutPage *self);

G_END_DECLS
