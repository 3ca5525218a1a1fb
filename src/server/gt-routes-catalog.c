/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-routes"

#include "config.h"

#include "gt-server-private.h"

static JsonObject *
list_movies (GtRequest *request, guint *status, GError **error)
{
  return gt_engine_list_movies (request->engine, error);
}

static JsonObject *
get_movie (GtRequest *request, guint *status, GError **error)
{
  return gt_engine_get_movie (request->engine, request->id, error);
}

static JsonObject *
create_movie (GtRequest *request, guint *status, GError **error)
{
  *status = 201;
  return gt_engine_create_movie (request->engine, request->principal, request->body, error);
}

static JsonObject *
update_movie (GtRequest *request, guint *status, GError **error)
{
  return gt_engine_update_movie (request->engine, request->principal, request->id, request->body,
                                 error);
}

static JsonObject *
delete_movie (GtRequest *request, guint *status, GError **error)
{
  gt_engine_delete_movie (request->engine, request->principal, request->id, error);
  return NULL;
}

static JsonObject *
list_auditoriums (GtRequest *request, guint *status, GError **error)
{
  return gt_engine_list_auditoriums (request->engine, error);
}

static JsonObject *
get_auditorium (GtRequest *request, guint *status, GError **error)
{
  return gt_engine_get_auditorium (request->engine, request->id, error);
}

static JsonObject *
create_auditorium (GtRequest *request, guint *status, GError **error)
{
  *status = 201;
  return gt_engine_create_auditorium (request->engine, request->principal, request->body, error);
}

static JsonObject *
update_auditorium (GtRequest *request, guint *status, GError **error)
{
  return gt_engine_update_auditorium (request->engine, request->principal, request->id,
                                      request->body, error);
}

static JsonObject *
list_showtimes (GtRequest *request, guint *status, GError **error)
{
  const char *date = request->query ? g_hash_table_lookup (request->query, "date") : NULL;
  gint64      movie_id = 0;

  if (!_gt_request_query_int (request, "movie_id", &movie_id, error))
    return NULL;
  return gt_engine_list_showtimes (request->engine, date, movie_id, error);
}

static JsonObject *
get_showtime (GtRequest *request, guint *status, GError **error)
{
  return gt_engine_get_showtime (request->engine, request->id, error);
}

static JsonObject *
create_showtime (GtRequest *request, guint *status, GError **error)
{
  *status = 201;
  return gt_engine_create_showtime (request->engine, request->principal, request->body, error);
}

static JsonObject *
update_showtime (GtRequest *request, guint *status, GError **error)
{
  return gt_engine_update_showtime (request->engine, request->principal, request->id, request->body,
                                    error);
}

static JsonObject *
delete_showtime (GtRequest *request, guint *status, GError **error)
{
  gt_engine_delete_showtime (request->engine, request->principal, request->id, error);
  return NULL;
}

static JsonObject *
get_seats (GtRequest *request, guint *status, GError **error)
{
  return gt_engine_get_seats (request->engine, request->principal, request->id, error);
}

const GtRoute gt_routes_catalog[] = {
  { "GET", "/movies", GT_ROLE_CASHIER, list_movies },
  { "POST", "/movies", GT_ROLE_MANAGER, create_movie },
  { "GET", "/movies/{id}", GT_ROLE_CASHIER, get_movie },
  { "PATCH", "/movies/{id}", GT_ROLE_MANAGER, update_movie },
  { "DELETE", "/movies/{id}", GT_ROLE_MANAGER, delete_movie },
  { "GET", "/auditoriums", GT_ROLE_CASHIER, list_auditoriums },
  { "POST", "/auditoriums", GT_ROLE_MANAGER, create_auditorium },
  { "GET", "/auditoriums/{id}", GT_ROLE_CASHIER, get_auditorium },
  { "PATCH", "/auditoriums/{id}", GT_ROLE_MANAGER, update_auditorium },
  { "GET", "/showtimes", GT_ROLE_CASHIER, list_showtimes },
  { "POST", "/showtimes", GT_ROLE_MANAGER, create_showtime },
  { "GET", "/showtimes/{id}", GT_ROLE_CASHIER, get_showtime },
  { "PATCH", "/showtimes/{id}", GT_ROLE_MANAGER, update_showtime },
  { "DELETE", "/showtimes/{id}", GT_ROLE_MANAGER, delete_showtime },
  { "GET", "/showtimes/{id}/seats", GT_ROLE_CASHIER, get_seats },
  { NULL },
};
