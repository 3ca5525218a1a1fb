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
  /* Pages of thousands of changes: written as text, without a JsonObject
   * of each in between. */
  request->text = gt_engine_list_changes_text (request->engine, since, limit, error);
  request->text_type = "application/json";
  return NULL;
}

const GtRoute gt_routes_changes[] = {
  { "GET", "/changes", GT_ROLE_CASHIER, list_changes },
  { NULL },
};
