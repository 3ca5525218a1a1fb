/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-routes"

#include "config.h"

#include "gt-server-private.h"

static JsonObject *
checkout (GtRequest *request, guint *status, GError **error)
{
  gboolean    replayed = FALSE;
  JsonObject *booking;

  booking = gt_engine_checkout (request->engine, request->principal, request->id,
                                request->idempotency_key, request->body, &replayed, error);
  *status = replayed ? 200 : 201;
  return booking;
}

static JsonObject *
get_booking (GtRequest *request, guint *status, GError **error)
{
  return gt_engine_get_booking (request->engine, request->id, error);
}

static JsonObject *
find_bookings (GtRequest *request, guint *status, GError **error)
{
  const char *code = request->query ? g_hash_table_lookup (request->query, "code") : NULL;
  const char *q = request->query ? g_hash_table_lookup (request->query, "q") : NULL;
  const char *date = request->query ? g_hash_table_lookup (request->query, "date") : NULL;
  const char *day = request->query ? g_hash_table_lookup (request->query, "day") : NULL;
  gint64      showtime_id = 0;

  /* Searching by name, seat or day is for managers. */
  if (q != NULL || date != NULL || day != NULL)
    {
      if (!gt_principal_require (request->principal, GT_ROLE_MANAGER, error))
        return NULL;
      return gt_engine_search_bookings (request->engine, q, date, day, error);
    }
  if (!_gt_request_query_int (request, "showtime_id", &showtime_id, error))
    return NULL;
  /* Any counter may find one booking by its code for a reprint; a whole
   * showtime's list is for managers. */
  if (code == NULL && showtime_id == 0)
    {
      gt_error_set_field (error, "code", "Give a booking “code”, a “showtime_id” or a search “q”");
      return NULL;
    }
  if (code == NULL && !gt_principal_require (request->principal, GT_ROLE_MANAGER, error))
    return NULL;
  return gt_engine_find_bookings (request->engine, code, showtime_id, error);
}

static JsonObject *
refund (GtRequest *request, guint *status, GError **error)
{
  return gt_engine_refund (request->engine, request->principal, request->id, request->body, error);
}

static JsonObject *
exchange (GtRequest *request, guint *status, GError **error)
{
  return gt_engine_exchange (request->engine, request->principal, request->id, request->body,
                             error);
}

const GtRoute gt_routes_bookings[] = {
  { "POST", "/holds/{id}/checkout", GT_ROLE_CASHIER, checkout },
  { "GET", "/bookings", GT_ROLE_CASHIER, find_bookings },
  { "GET", "/bookings/{id}", GT_ROLE_CASHIER, get_booking },
  { "POST", "/bookings/{id}/refund", GT_ROLE_MANAGER, refund },
  { "POST", "/bookings/{id}/exchange", GT_ROLE_MANAGER, exchange },
  { NULL },
};
