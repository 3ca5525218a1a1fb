/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "gt-server.h"

G_BEGIN_DECLS

#define GT_MAX_BODY (64 * 1024)
/* A route with GT_ROUTE_RAW_BODY takes up to this much (a poster). */
#define GT_MAX_RAW_BODY (2 * 1024 * 1024)

typedef struct _GtRequest GtRequest;
typedef struct _GtWorker  GtWorker;
typedef struct _GtRoute   GtRoute;

/* A request travels from the HTTP thread that read it (its worker) to the
 * engine's context, which runs the handler and writes the answer into it,
 * and back to the worker, which sends that answer. Handlers see only what
 * was copied out of the message: the message itself is the worker's. */
struct _GtRequest
{
  GtServer          *server;
  GtEngine          *engine;
  GtWorker          *worker;
  SoupServerMessage *msg; /* the worker's alone */
  const GtRoute     *route;

  /* What the handlers read. */
  GtPrincipal    *principal;       /* NULL on public routes */
  char           *token;           /* the bearer token sent, or NULL */
  char           *idempotency_key; /* the Idempotency-Key header, or NULL */
  char           *content_type;    /* the media type of the body sent, or NULL */
  GSocketAddress *remote;          /* the client's address */
  JsonObject     *body;            /* the JSON object sent, or an empty one */
  GBytes         *raw_body;        /* on GT_ROUTE_RAW_BODY routes: the bytes sent, else NULL */
  GHashTable     *query;           /* may be NULL */
  gint64          id;              /* the {id} of the path, or 0 */
  char           *arg;             /* the {seat} or {code} of the path, or NULL */
  GError         *invalid;         /* why the body sent does not read, or NULL */
  gboolean        later;           /* the handler answers later */
  gboolean        upgrade;         /* the WebSocket handshake of /live */

  /* The answer. A handler that answers other than JSON (a CSV report) sets
   * text, text_type and attachment (a download file name) and returns NULL;
   * one that answers bytes (an image) sets bytes and bytes_type. JSON
   * answers become text too, on the engine's side. */
  guint       status;
  char       *text;
  const char *text_type;
  char       *attachment;
  GBytes     *bytes;
  char       *bytes_type;
  GPtrArray  *headers; /* name, value, name, value… to add, or NULL */
  guint64     group;   /* the commit group the answer waits for */
};

/* A handler answers a result (NULL for 204 or on error) and may set @status
 * (200 by default). One that answers later calls _gt_request_answer_later(),
 * returns NULL, and calls _gt_request_finish() when done. */
typedef JsonObject *(*GtRouteFunc) (GtRequest *request, guint *status, GError **error);

typedef enum
{
  GT_ROUTE_DEFAULT = 0,
  /* The body is not JSON but bytes of their own type, up to GT_MAX_RAW_BODY,
   * handed to the handler as raw_body (an empty JSON object as body). */
  GT_ROUTE_RAW_BODY = 1 << 0,
} GtRouteFlags;

struct _GtRoute
{
  const char  *method;
  const char  *pattern; /* below /api/v1: "/movies/{id}" */
  GtRole       role;    /* GT_ROLE_NONE: no sign-in needed */
  GtRouteFunc  func;
  GtRouteFlags flags;
};

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

/* Answers @request, on the engine's context, once what it changed is
 * durable; takes @request. */
void _gt_request_finish (GtRequest *request, JsonObject *result, guint status, const GError *error);
void _gt_request_answer_later (GtRequest *request);
/* A response header to send with the answer. */
void _gt_request_add_header (GtRequest *request, const char *name, const char *value);

/* A query parameter as a whole number; FALSE with invalid_field if not. */
gboolean _gt_request_query_int (GtRequest *request, const char *name, gint64 *out, GError **error);

G_END_DECLS
