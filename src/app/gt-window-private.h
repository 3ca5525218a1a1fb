/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gt-checkout-page.h"
#include "gt-door-page.h"
#include "gt-first-run-page.h"
#include "gt-login-page.h"
#include "gt-manage-page.h"
#include "gt-sale-page.h"
#include "gt-sales-page.h"
#include "gt-schedule-page.h"
#include "gt-ticket-page.h"
#include "gt-window.h"

G_BEGIN_DECLS

/* For tests and the screenshot tool: the pages, to drive them as a person would. */
GtLoginPage    *_gt_window_get_login_page (GtWindow *self);
GtSchedulePage *_gt_window_get_schedule_page (GtWindow *self);
GtSalePage     *_gt_window_get_sale_page (GtWindow *self);
GtCheckoutPage *_gt_window_get_checkout_page (GtWindow *self);
GtTicketPage   *_gt_window_get_ticket_page (GtWindow *self);
GtSalesPage    *_gt_window_get_sales_page (GtWindow *self);
GtManagePage   *_gt_window_get_manage_page (GtWindow *self);
GtDoorPage     *_gt_window_get_door_page (GtWindow *self);
GtFirstRunPage *_gt_window_get_first_run_page (GtWindow *self);
/* What the header says about the link to the server. */
const char *_gt_window_get_connection_text (GtWindow *self);
/* Whether the banner under the header is shown. */
gboolean _gt_window_get_banner_shown (GtWindow *self);
/* The message of the last toast shown, or NULL. */
const char *_gt_window_get_last_toast (GtWindow *self);

/* What the command line would set: the embedded server's database, its hold
 * time, and whether to load demo data into a new database. */
void _gt_application_set_options (GtApplication *app,
                                  const char    *db_path,
                                  guint          hold_seconds,
                                  gboolean       demo);

/* As --server: use the central server at @url, not an embedded one. */
void _gt_application_set_server_url (GtApplication *app, const char *url);

/* Stops the embedded server (as quitting does). */
void _gt_application_stop_server (GtApplication *app);

G_END_DECLS
