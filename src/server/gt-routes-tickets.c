/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-routes"

#include "config.h"

#include "gt-server-private.h"
#include "gt-tickets.h"

static JsonObject *
get_ticket (GtRequest *request, guint *status, GError **error)
{
  return gt_engine_get_ticket (request->engine, request->arg, error);
}

static JsonObject *
check_in (GtRequest *request, guint *status, GError **error)
{
  return gt_engine_check_in (request->engine, request->principal, request->arg, request->body,
                             error);
}

static JsonObject *
undo_check_in (GtRequest *request, guint *status, GError **error)
{
  return gt_engine_undo_check_in (request->engine, request->principal, request->arg, error);
}

static JsonObject *
report_double_admission (GtRequest *request, guint *status, GError **error)
{
  *status = 201;
  return gt_engine_report_double_admission (request->engine, request->principal, request->arg,
                                            request->body, error);
}

static JsonObject *
list_showtime_tickets (GtRequest *request, guint *status, GError **error)
{
  return gt_engine_list_showtime_tickets (request->engine, request->id, error);
}

const GtRoute gt_routes_tickets[] = {
  { "GET", "/showtimes/{id}/tickets", GT_ROLE_CASHIER, list_showtime_tickets },
  { "GET", "/tickets/{code}", GT_ROLE_CASHIER, get_ticket },
  { "POST", "/tickets/{code}/checkin", GT_ROLE_CASHIER, check_in },
  { "DELETE", "/tickets/{code}/checkin", GT_ROLE_MANAGER, undo_check_in },
  { "POST", "/tickets/{code}/double-admission", GT_ROLE_CASHIER, report_double_admission },
  { NULL },
};
