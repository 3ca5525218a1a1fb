/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-routes"

#include "config.h"

#include "gt-server-private.h"

static JsonObject *
list_users (GtRequest *request, guint *status, GError **error)
{
  return gt_engine_list_users (request->engine, request->principal, error);
}

static void
saved_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GtRequest *request = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) user = gt_engine_save_user_finish (GT_ENGINE (object), result, &error);

  _gt_request_finish (request, user, request->id == 0 ? 201 : 200, error);
}

/* Both answer later: a password is hashed on a worker thread. */
static JsonObject *
save_user (GtRequest *request, guint *status, GError **error)
{
  _gt_request_answer_later (request);
  gt_engine_save_user_async (request->engine, request->principal, request->id, request->body, NULL,
                             saved_cb, request);
  return NULL;
}

const GtRoute gt_routes_users[] = {
  { "GET", "/users", GT_ROLE_MANAGER, list_users },
  { "POST", "/users", GT_ROLE_MANAGER, save_user },
  { "PATCH", "/users/{id}", GT_ROLE_MANAGER, save_user },
  { NULL },
};
