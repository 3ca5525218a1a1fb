/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "gt-server.h"

G_BEGIN_DECLS

/* The embedded default: the same server as go-ticket-server, on a thread of
 * its own with its own main context, on 127.0.0.1 and a free port. Counters
 * talk to it over HTTP like to any other server. */
typedef struct _GtServerThread GtServerThread;

GtServerThread *gt_server_thread_start (const char *db_path,
                                        guint       hold_seconds,
                                        gboolean    demo,
                                        GError    **error);
const char     *gt_server_thread_get_url (GtServerThread *self);
/* Commits what is pending, lets requests under way finish, closes the
 * database and joins the thread. */
void gt_server_thread_stop (GtServerThread *self);

/* For tests: the server, for calls that are safe from another thread
 * (gt_server_get_in_flight(), and the engine's own). */
GtServer *_gt_server_thread_get_server (GtServerThread *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GtServerThread, gt_server_thread_stop)

G_END_DECLS
