/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "gt-server.h"

G_BEGIN_DECLS

#define GT_MAX_BODY (64 * 1024)
/* A route with GT_ROUTE_RAW_BODY takes up to this much (a poster). */
#define GT_MAX_RAW_BODY (2 * 1024 * 1024)

typedef struct _GtRequest GtRequest;

struct _GtRequest
{
  GtServer          *server;
  GtEngine          *engine;
  SoupServerMessage *msg;
  GtPrincipal       *principal; /* NULL on public routes */
  JsonObject        *body;      /* the JSON object sent, or an empty one */
  GBytes            *raw_body;  /* on GT_ROUTE_RAW_BODY routes: the bytes sent, else NULL */
  GHashTable        *query;     /* may be NULL */
  gint64             id;        /* the {id} of the path, or 0 */
  char              *arg;       /* the {seat} or {code} of the path, or NULL */
  gboolean           paused;    /* answered later: the message is paused */
  /* A handler that answers other than JSON (a CSV report) sets these and
   * returns NULL: the body, its media type and a download file name. */
  char       *text;
  const char *text_type;
  char       *attachment;
  /* A handler that answers bytes (an image) sets these and returns NULL. */
  GBytes *bytes;
  char   *bytes_type;
};

/* A handler answers a result (NULL for 204 or on error) and may set @status
 * (200 by default). One that answers later calls _gt_request_pause(), returns
 * NULL, and calls _gt_request_finish() and _gt_request_free() when done. */
typedef JsonObject *(*GtRouteFunc) (GtRequest *request, guint *status, GError **error);

typedef enum
{
  GT_ROUTE_DEFAULT = 0,
  /* The body is not JSON but bytes of their own type, up to GT_MAX_RAW_BODY,
   * handed to the handler as raw_body (an empty JSON object as body). */
  GT_ROUTE_RAW_BODY = 1 << 0,
} GtRouteFlags;

typedef struct
{
  const char  *method;
  const char  *pattern; /* below /api/v1: "/movies/{id}" */
  GtRole       role;    /* GT_ROLE_NONE: no sign-in needed */
  GtRouteFunc  func;
  GtRouteFlags flags;
} GtRoute;

/* Each resource's table, from its gt-routes-<resource>.c */
extern const GtRoute gt_routes_service[];
extern const GtRoute gt_routes_sessions[];
extern const GtRoute gt_routes_catalog[];
extern const GtRoute gt_routes_holds[];
extern const GtRoute gt_routes_bookings[];
extern const GtRoute gt_routes_tickets[];
extern const GtRoute gt_routes_users[];
extern const GtRoute gt_routes_changes[];
extern const GtRoute gt_routes_audit[];
extern const GtRoute gt_routes_reports[];
extern const GtRoute gt_routes_posters[];

/* gt-server-errors.c: the one table from error codes to HTTP status. */
guint       _gt_server_error_status (const GError *error);
JsonObject *_gt_server_error_body (const GError *error);

void _gt_request_finish (GtRequest *request, JsonObject *result, guint status, const GError *error);
void _gt_request_pause (GtRequest *request);
void _gt_request_free (GtRequest *request);
/* A query parameter as a whole number; FALSE with invalid_field if not. */
gboolean _gt_request_query_int (GtRequest *request, const char *name, gint64 *out, GError **error);

G_END_DECLS
