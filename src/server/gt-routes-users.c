/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-routes"

#include "config.h"

#include "gt-server-private.h"

static JsonObject *
list_users (GtRequest *request, guint *status, GError **error)
{
  return gt_engine_list_users (request->engine, request->principal, error);
}

static JsonObject *
create_user (GtRequest *request, guint *status, GError **error)
{
  *status = 201;
  return gt_engine_create_user (request->engine, request->principal, request->body, error);
}

static JsonObject *
update_user (GtRequest *request, guint *status, GError **error)
{
  return gt_engine_update_user (request->engine, request->principal, request->id, request->body,
                                error);
}

const GtRoute gt_routes_users[] = {
  { "GET", "/users", GT_ROLE_MANAGER, list_users },
  { "POST", "/users", GT_ROLE_MANAGER, create_user },
  { "PATCH", "/users/{id}", GT_ROLE_MANAGER, update_user },
  { NULL },
};
