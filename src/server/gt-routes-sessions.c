/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-routes"

#include "config.h"

#include "gt-server-private.h"

static void
login_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GtRequest *request = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = gt_engine_login_finish (GT_ENGINE (object), result, &error);

  _gt_request_finish (request, answer, 201, error);
}

static JsonObject *
create_session (GtRequest *request, guint *status, GError **error)
{
  /* Password hashing runs on a worker thread; the answer comes later. */
  _gt_request_answer_later (request);
  gt_engine_login_async (request->engine, request->body, NULL, login_done_cb, request);
  return NULL;
}

static JsonObject *
delete_session (GtRequest *request, guint *status, GError **error)
{
  gt_engine_logout (request->engine, request->principal, error);
  return NULL;
}

const GtRoute gt_routes_sessions[] = {
  { "POST", "/sessions", GT_ROLE_NONE, create_session },
  { "DELETE", "/sessions/current", GT_ROLE_CASHIER, delete_session },
  { NULL },
};
