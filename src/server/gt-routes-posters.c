/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-routes"

#include "config.h"

#include "gt-posters.h"
#include "gt-server-private.h"

static JsonObject *
put_poster (GtRequest *request, guint *status, GError **error)
{
  g_autofree char *type = NULL;
  const char      *sent = request->content_type;
  const guint8    *data;
  gsize            len;

  data = g_bytes_get_data (request->raw_body, &len);
  type = g_strdup (gt_poster_sniff (data, len));
  /* The media type sent must be the one the bytes are. */
  if (sent == NULL || (!g_str_equal (sent, "image/png") && !g_str_equal (sent, "image/jpeg"))
      || (type != NULL && !g_str_equal (type, sent)))
    {
      gt_error_set_field (error, "poster", "Send the poster as image/png or image/jpeg");
      return NULL;
    }
  return gt_engine_set_poster (request->engine, request->principal, request->id, request->raw_body,
                               error);
}

static JsonObject *
get_poster (GtRequest *request, guint *status, GError **error)
{
  g_autofree char *type = NULL;
  GBytes          *bytes;

  if (!(bytes = gt_engine_get_poster (request->engine, request->id, &type, error)))
    return NULL;
  request->bytes = bytes;
  request->bytes_type = g_steal_pointer (&type);
  /* The movie's "poster" URL carries the version: that URL never changes
   * its image, so it may be kept; a bare one must be checked each time. */
  if (request->query != NULL && g_hash_table_contains (request->query, "v"))
    _gt_request_add_header (request, "Cache-Control", "private, max-age=31536000, immutable");
  else
    _gt_request_add_header (request, "Cache-Control", "private, no-cache");
  return NULL;
}

static JsonObject *
delete_poster (GtRequest *request, guint *status, GError **error)
{
  gt_engine_delete_poster (request->engine, request->principal, request->id, error);
  return NULL;
}

const GtRoute gt_routes_posters[] = {
  { "PUT", "/movies/{id}/poster", GT_ROLE_MANAGER, put_poster, GT_ROUTE_RAW_BODY },
  { "GET", "/movies/{id}/poster", GT_ROLE_CASHIER, get_poster },
  { "DELETE", "/movies/{id}/poster", GT_ROLE_MANAGER, delete_poster },
  { NULL },
};
