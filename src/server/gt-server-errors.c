/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-server"

#include "config.h"

#include "gt-server-private.h"

static const guint status_of[] = {
  [GT_ERROR_INTERNAL] = 500,           [GT_ERROR_BAD_JSON] = 400,
  [GT_ERROR_UNAUTHORIZED] = 401,       [GT_ERROR_INVALID_CREDENTIALS] = 401,
  [GT_ERROR_FORBIDDEN] = 403,          [GT_ERROR_NOT_FOUND] = 404,
  [GT_ERROR_SEAT_UNAVAILABLE] = 409,   [GT_ERROR_SHOWTIME_OVERLAP] = 409,
  [GT_ERROR_SHOWTIME_CLOSED] = 409,    [GT_ERROR_ALREADY_CHECKED_IN] = 409,
  [GT_ERROR_CONFLICT] = 409,           [GT_ERROR_HOLD_EXPIRED] = 410,
  [GT_ERROR_TOO_LARGE] = 413,          [GT_ERROR_INVALID_FIELD] = 422,
  [GT_ERROR_UNKNOWN_SEAT] = 422,       [GT_ERROR_PAYMENT_INSUFFICIENT] = 422,
  [GT_ERROR_INVALID_TICKET] = 422,     [GT_ERROR_TOO_MANY_ATTEMPTS] = 429,
  [GT_ERROR_METHOD_NOT_ALLOWED] = 405, [GT_ERROR_UPGRADE_REQUIRED] = 426,
};

guint
_gt_server_error_status (const GError *error)
{
  if (error->domain != GT_ERROR || (guint) error->code >= G_N_ELEMENTS (status_of)
      || status_of[error->code] == 0)
    return 500;
  return status_of[error->code];
}

JsonObject *
_gt_server_error_body (const GError *error)
{
  JsonObject *body = json_object_new ();
  JsonObject *inner = json_object_new ();
  JsonObject *details = gt_error_get_details (error);
  gboolean    internal = _gt_server_error_status (error) == 500;

  /* Anything unforeseen is logged in full and answered in general terms. */
  if (internal)
    g_warning ("Internal error: %s", error->message);
  json_object_set_string_member (inner, "code",
                                 internal ? "internal" : gt_error_code_name (error->code));
  json_object_set_string_member (inner, "message",
                                 internal ? "The server could not complete the request"
                                          : error->message);
  if (details != NULL && !internal)
    json_object_set_object_member (inner, "details", json_object_ref (details));
  json_object_set_object_member (body, "error", inner);
  return body;
}
