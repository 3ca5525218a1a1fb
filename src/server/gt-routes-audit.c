/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-routes"

#include "config.h"

#include "gt-server-private.h"

static JsonObject *
list_audit (GtRequest *request, guint *status, GError **error)
{
  const char *date = request->query ? g_hash_table_lookup (request->query, "date") : NULL;
  gint64      limit = 0;

  if (!_gt_request_query_int (request, "limit", &limit, error))
    return NULL;
  return gt_engine_list_audit (request->engine, request->principal, date, limit, error);
}

const GtRoute gt_routes_audit[] = {
  { "GET", "/audit", GT_ROLE_MANAGER, list_audit },
  { NULL },
};
