/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "gt-engine.h"

G_BEGIN_DECLS

#define GT_TYPE_SERVER (gt_server_get_type ())

G_DECLARE_FINAL_TYPE (GtServer, gt_server, GT, SERVER, GObject)

#define GT_SERVER_MAX_HTTP_THREADS 64

/* The HTTP face of a GtEngine (API v1). The engine is used only from the
 * main context that is the thread default when the server is created; HTTP
 * is read and written on threads of the server's own (one by default). */
GtServer *gt_server_new (GtEngine *engine, GTlsCertificate *certificate);
/* How many threads read and write HTTP; before gt_server_listen(). */
void      gt_server_set_http_threads (GtServer *self, guint n_threads);
GtEngine *gt_server_get_engine (GtServer *self);
/* Listens on @address:@port (0 picks a free port) with a deep backlog. */
gboolean gt_server_listen (GtServer *self, const char *address, guint port, GError **error);
/* "http://127.0.0.1:PORT" once listening, else NULL. */
char *gt_server_dup_url (GtServer *self);
/* Stops accepting connections; requests under way still complete. */
void  gt_server_stop_accepting (GtServer *self);
guint gt_server_get_in_flight (GtServer *self);

G_END_DECLS
