/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-routes"

#include "config.h"

#include "gt-server-private.h"

static JsonObject *
create_hold (GtRequest *request, guint *status, GError **error)
{
  *status = 201;
  return gt_engine_create_hold (request->engine, request->principal, request->id, request->body,
                                error);
}

static JsonObject *
get_hold (GtRequest *request, guint *status, GError **error)
{
  return gt_engine_get_hold (request->engine, request->principal, request->id, error);
}

static JsonObject *
add_seat (GtRequest *request, guint *status, GError **error)
{
  return gt_engine_add_hold_seat (request->engine, request->principal, request->id, request->arg,
                                  error);
}

static JsonObject *
remove_seat (GtRequest *request, guint *status, GError **error)
{
  *status = 200;
  return gt_engine_remove_hold_seat (request->engine, request->principal, request->id, request->arg,
                                     error);
}

static JsonObject *
extend_hold (GtRequest *request, guint *status, GError **error)
{
  return gt_engine_extend_hold (request->engine, request->principal, request->id, error);
}

static JsonObject *
release_hold (GtRequest *request, guint *status, GError **error)
{
  gt_engine_release_hold (request->engine, request->principal, request->id, error);
  return NULL;
}

const GtRoute gt_routes_holds[] = {
  { "POST", "/showtimes/{id}/holds", GT_ROLE_CASHIER, create_hold },
  { "GET", "/holds/{id}", GT_ROLE_CASHIER, get_hold },
  { "PUT", "/holds/{id}/seats/{seat}", GT_ROLE_CASHIER, add_seat },
  { "DELETE", "/holds/{id}/seats/{seat}", GT_ROLE_CASHIER, remove_seat },
  { "POST", "/holds/{id}/extend", GT_ROLE_CASHIER, extend_hold },
  { "DELETE", "/holds/{id}", GT_ROLE_CASHIER, release_hold },
  { NULL },
};
