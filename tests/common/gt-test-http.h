/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A go-ticket-server started as a child process, as a counter would reach it:
 * real HTTP on 127.0.0.1 with a port the kernel picked. */
typedef struct
{
  GPid  pid;
  char *url; /* "http://127.0.0.1:PORT" */
  char *db_path;
  char *dir; /* a temporary folder removed by gt_test_server_free() */
} GtTestServer;

/* Starts the server from GT_SERVER_BIN on a new database in a temporary
 * folder (or on @db_path when not NULL), with @extra_args (NULL-terminated,
 * e.g. "--demo", "--hold-seconds", "2") and waits for "listening on". */
GtTestServer *gt_test_server_start (const char *db_path, const char *const *extra_args);
/* SIGTERM and wait; returns the exit status. */
int gt_test_server_stop (GtTestServer *server);
/* SIGKILL and wait. */
void gt_test_server_kill (GtTestServer *server);
/* Frees, removing the temporary folder (the server must be stopped). */
void gt_test_server_free (GtTestServer *server);

/* One HTTP request with a synchronous session; @path is below /api/v1
 * (e.g. "/movies"); @token and @body (JSON text) may be NULL. Returns the
 * parsed body (NULL when empty) and sets @status. Extra request headers as
 * NULL-terminated name/value pairs in @headers, may be NULL. */
JsonNode *gt_test_request (SoupSession  *session,
                           GtTestServer *server,
                           const char   *method,
                           const char   *path,
                           const char   *token,
                           const char   *body,
                           guint        *status);
JsonNode *gt_test_request_full (SoupSession         *session,
                                const char          *url,
                                const char          *method,
                                const char          *path,
                                const char          *token,
                                const char *const   *headers,
                                GBytes              *body,
                                guint               *status,
                                SoupMessageHeaders **response_headers);
/* POST /sessions; aborts the test when it fails. Returns the token. */
char *gt_test_login (SoupSession  *session,
                     GtTestServer *server,
                     const char   *username,
                     const char   *password);
/* The error code of an error body ("seat_unavailable"), or NULL. */
const char *gt_test_error_code (JsonNode *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GtTestServer, gt_test_server_free)

G_END_DECLS
