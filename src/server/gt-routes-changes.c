/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-routes"

#include "config.h"

#include "gt-server-private.h"

static JsonObject *
list_changes (GtRequest *request, guint *status, GError **error)
{
  gint64 since = 0;
  gint64 limit = 0;

  if (!_gt_request_query_int (request, "since", &since, error)
      || !_gt_request_query_int (request, "limit", &limit, error))
    return NULL;
  return gt_engine_list_changes (request->engine, since, limit, error);
}

const GtRoute gt_routes_changes[] = {
  { "GET", "/changes", GT_ROLE_CASHIER, list_changes },
  { NULL },
};
