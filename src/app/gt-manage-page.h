/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gt-audit-view.h"
#include "gt-auditorium-editor.h"
#include "gt-bookings-view.h"
#include "gt-price-grid.h"
#include "gt-replica.h"
#include "gt-reports-view.h"
#include "gt-users-view.h"
#include "gt-week-timeline.h"

G_BEGIN_DECLS

#define GT_TYPE_MANAGE_PAGE (gt_manage_page_get_type ())

G_DECLARE_FINAL_TYPE (GtManagePage, gt_manage_page, GT, MANAGE_PAGE, GtkWidget)

/* The manager's tools: movies (add, edit, retire), the schedule of each
 * auditorium (add or remove showtimes, copy a day to the following days),
 * the auditoriums' layouts, bookings (find, refund, move), the users, the
 * day's reports and the audit log.
 * It reads the counter's store and writes through the server, whose answer
 * shows here; GtManagePage::toast (message) for what is worth a toast. */
void gt_manage_page_set_replica (GtManagePage *self, GtReplica *replica);
void gt_manage_page_refresh (GtManagePage *self);

/* For tests: what a manager does with the mouse. */
GtkWindow *gt_manage_page_add_movie (GtManagePage *self);
/* Picks @auditorium_id and the day @day_offset days from today. */
void gt_manage_page_show_schedule (GtManagePage *self, gint64 auditorium_id, guint day_offset);
/* Fills the add-a-showtime form; returns what the page shows against
 * saving it (a collision, a time that has passed), or NULL. */
const char *gt_manage_page_fill_showtime (GtManagePage *self,
                                          gint64        movie_id,
                                          const char   *time,
                                          gint64        adult,
                                          gint64        child);
void        gt_manage_page_add_showtime (GtManagePage *self);
void        gt_manage_page_copy_day (GtManagePage *self, guint days);
/* Shows the Reports tab and gives it. */
GtReportsView *gt_manage_page_get_reports_view (GtManagePage *self);
/* Shows the Audit tab and gives it. */
GtAuditView *gt_manage_page_get_audit_view (GtManagePage *self);
/* Shows the Bookings tab and gives it. */
GtBookingsView *gt_manage_page_get_bookings_view (GtManagePage *self);
/* Shows the Auditoriums tab and gives its editor. */
GtAuditoriumEditor *gt_manage_page_get_auditorium_editor (GtManagePage *self);
/* Shows the Users tab and gives it. */
GtUsersView *gt_manage_page_get_users_view (GtManagePage *self);
/* The last answer shown under the form ("" when none). */
const char *gt_manage_page_get_message (GtManagePage *self);

/* Cinema settings, as the Save Settings button does, and its answer. */
void gt_manage_page_save_settings (GtManagePage *self, guint cleaning_minutes, guint door_minutes);
const char *gt_manage_page_get_settings_answer (GtManagePage *self);
/* The add-a-showtime form's prices, and the default prices of the
 * settings (columns matinee, evening, weekend). */
GtPriceGrid *gt_manage_page_get_form_prices (GtManagePage *self);
GtPriceGrid *gt_manage_page_get_default_prices (GtManagePage *self);
/* Moves a showtime to the day @day_offset days from today
 * at @time, as its Move button does. */
void gt_manage_page_move_showtime (GtManagePage *self,
                                   gint64        showtime_id,
                                   guint         day_offset,
                                   const char   *time);
/* The Schedule tab's week. */
GtWeekTimeline *gt_manage_page_get_week_timeline (GtManagePage *self);
/* Copies one showtime of the day shown to the @days following days. */
void gt_manage_page_copy_showtime (GtManagePage *self, gint64 showtime_id, guint days);
G_END_DECLS
