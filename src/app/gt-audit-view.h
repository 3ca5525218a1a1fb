/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gt-client.h"

G_BEGIN_DECLS

#define GT_TYPE_AUDIT_VIEW (gt_audit_view_get_type ())

G_DECLARE_FINAL_TYPE (GtAuditView, gt_audit_view, GT, AUDIT_VIEW, GtkWidget)

/* A day's audit log, newest first: who did what, at which counter, to what,
 * and why (refunds, exchanges, changes to users, movies, auditoriums and
 * showtimes, check-ins undone). */
void gt_audit_view_set_client (GtAuditView *self, GtClient *client);
/* @config is the server's /config object (currency, time zone). */
void gt_audit_view_set_config (GtAuditView *self, JsonObject *config);
void gt_audit_view_refresh (GtAuditView *self);
/* Chooses the day @date (YYYY-MM-DD in the cinema's time zone) and fetches it. */
void gt_audit_view_show_day (GtAuditView *self, const char *date);
/* The entries last listed; NULL while they are on their way or failed. */
JsonArray *gt_audit_view_get_entries (GtAuditView *self);

G_END_DECLS
