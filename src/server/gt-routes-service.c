/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-routes"

#include "config.h"

#include "gt-server-private.h"

static JsonObject *
get_health (GtRequest *request, guint *status, GError **error)
{
  JsonObject *answer = json_object_new ();

  json_object_set_string_member (answer, "status", "ok");
  json_object_set_string_member (answer, "version", PACKAGE_VERSION);
  return answer;
}

static JsonObject *
get_config (GtRequest *request, guint *status, GError **error)
{
  return gt_engine_get_config (request->engine);
}

static JsonObject *
setup (GtRequest *request, guint *status, GError **error)
{
  GSocketAddress *remote = request->remote;

  /* Whoever sets up a new database becomes its admin: only from this machine. */
  if (!G_IS_INET_SOCKET_ADDRESS (remote)
      || !g_inet_address_get_is_loopback (
        g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote))))
    {
      gt_error_set (error, GT_ERROR_FORBIDDEN, NULL,
                    "A new cinema is set up from the server's own machine");
      return NULL;
    }
  *status = 201;
  return gt_engine_setup (request->engine, request->body, error);
}

static JsonObject *
update_settings (GtRequest *request, guint *status, GError **error)
{
  return gt_engine_update_settings (request->engine, request->principal, request->body, error);
}

const GtRoute gt_routes_service[] = {
  { "GET", "/health", GT_ROLE_NONE, get_health },
  { "GET", "/config", GT_ROLE_NONE, get_config },
  { "POST", "/setup", GT_ROLE_NONE, setup },
  { "PATCH", "/settings", GT_ROLE_MANAGER, update_settings },
  { NULL },
};
