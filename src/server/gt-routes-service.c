/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-routes"

#include "config.h"

#include "gt-server-private.h"

static JsonObject *
get_health (GtRequest  *request,
            guint      *status,
            GError    **error)
{
  JsonObject *answer = json_object_new ();

  json_object_set_string_member (answer, "status", "ok");
  json_object_set_string_member (answer, "version", PACKAGE_VERSION);
  return answer;
}

static JsonObject *
get_config (GtRequest  *request,
            guint      *status,
            GError    **error)
{
  return gt_engine_get_config (request->engine);
}

const GtRoute gt_routes_service[] = {
  { "GET", "/health", GT_ROLE_NONE, get_health },
  { "GET", "/config", GT_ROLE_NONE, get_config },
  { NULL },
};
