/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gt-client.h"

G_BEGIN_DECLS

#define GT_TYPE_REPORTS_VIEW (gt_reports_view_get_type ())

G_DECLARE_FINAL_TYPE (GtReportsView, gt_reports_view, GT, REPORTS_VIEW, GtkWidget)

/* A day's figures for the manager: the cash-up of each cashier and counter
 * (what each drawer should hold), and the sales of each showtime and movie.
 * Both can be saved as the server's CSV and the cash-up printed on A4. */
void gt_reports_view_set_client (GtReportsView *self, GtClient *client);
/* @config is the server's /config object (currency, time zone, cinema). */
void gt_reports_view_set_config (GtReportsView *self, JsonObject *config);
/* Fetches both reports of the chosen day again. */
void gt_reports_view_refresh (GtReportsView *self);
/* Chooses the day @date (YYYY-MM-DD in the cinema's time zone) and fetches it. */
void gt_reports_view_show_day (GtReportsView *self, const char *date);
/* The last answers shown; NULL while they are on their way or failed. */
JsonObject *gt_reports_view_get_cashup (GtReportsView *self);
JsonObject *gt_reports_view_get_sales (GtReportsView *self);
/* Records @counted (as typed, in the currency) as the cash counted in the
 * drawer of user @user_id at @counter on the shown day, as Record Count does. */
void gt_reports_view_count_drawer (GtReportsView *self,
                                   gint64         user_id,
                                   const char    *counter,
                                   const char    *counted);
/* What the view last said ("" when nothing): an error or what was saved. */
const char *gt_reports_view_get_message (GtReportsView *self);

/* Saves the server's CSV of report @which ("cashup" or "sales") of the
 * shown day into @file, as Export CSV… does. */
void     gt_reports_view_save_csv_async (GtReportsView      *self,
                                         const char         *which,
                                         GFile              *file,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
gboolean gt_reports_view_save_csv_finish (GtReportsView *self,
                                          GAsyncResult  *result,
                                          GError       **error);
/* Prints the shown cash-up into the PDF file @path, as Print… would on A4. */
gboolean gt_reports_view_print_to_pdf (GtReportsView *self, const char *path, GError **error);

G_END_DECLS
