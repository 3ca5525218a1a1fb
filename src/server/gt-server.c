/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-server"

#include "config.h"

#include <linux/sockios.h>
#include <sys/ioctl.h>

#include "gt-json.h"
#include "gt-server-private.h"

#define API_PREFIX     "/api/v1"
#define LISTEN_BACKLOG 1024
/* A client that reads, even a busy one, empties its socket's send buffer
 * far sooner than this. */
#define LIVE_STALL_LIMIT (5 * G_USEC_PER_SEC)
/* Unacknowledged bytes that mean a peer has stopped reading. */
#define LIVE_BACKLOG_LIMIT (1024 * 1024)

struct _GtServer
{
  GObject parent_instance;

  GtEngine   *engine;
  SoupServer *soup;
  GQueue      deferred; /* Deferred: answers waiting for their group to be durable */
  GSocket    *socket;
  GPtrArray  *live;     /* LiveSocket: the sockets following /live */
  gint64      live_rev; /* the newest revision pushed to them */
  guint       in_flight;
};

G_DEFINE_FINAL_TYPE (GtServer, gt_server, G_TYPE_OBJECT)

typedef struct
{
  SoupServerMessage *msg;
  guint64            group;
} Deferred;

typedef struct
{
  SoupWebsocketConnection *conn;
  GSocket                 *socket;     /* under conn; NULL if libsoup had none */
  gint64                   full_since; /* the push that first found its send buffer full, or 0 */
} LiveSocket;

static const GtRoute *const route_tables[] = {
  gt_routes_service,  gt_routes_sessions, gt_routes_catalog, gt_routes_holds,
  gt_routes_bookings, gt_routes_tickets,  gt_routes_users,   gt_routes_changes,
  gt_routes_audit,    gt_routes_reports,  gt_routes_posters,
};

/* libsoup 3.2 takes a 204 without Content-Length for an answer that ends
 * at EOF and closes the connection after it. Once the headers are out
 * (without the header, as HTTP wants), saying "length 0" keeps it open. */
static void
on_empty_wrote_headers_cb (SoupServerMessage *msg)
{
  soup_message_headers_set_content_length (soup_server_message_get_response_headers (msg), 0);
}

static void
set_json_body (SoupServerMessage *msg, guint status, JsonObject *body)
{
  soup_server_message_set_status (msg, status, NULL);
  if (body == NULL && status == 204)
    g_signal_connect (msg, "wrote-headers", G_CALLBACK (on_empty_wrote_headers_cb), NULL);
  if (body != NULL)
    {
      g_autofree char *text = gt_json_to_string (body);
      gsize            len = strlen (text);

      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                        g_steal_pointer (&text), len);
    }
}

static void
respond_error (SoupServerMessage *msg, const GError *error)
{
  g_autoptr (JsonObject) body = _gt_server_error_body (error);
  JsonObject *details = gt_error_get_details (error);

  if (error->domain == GT_ERROR && error->code == GT_ERROR_TOO_MANY_ATTEMPTS && details != NULL)
    {
      g_autofree char *after = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                json_object_get_int_member (details,
                                                                            "retry_after"));
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                    after);
    }
  set_json_body (msg, _gt_server_error_status (error), body);
}

static const char *bearer_token (SoupServerMessage *msg);

static void
live_socket_free (LiveSocket *live)
{
  g_object_unref (live->conn);
  g_clear_object (&live->socket);
  g_free (live);
}

/* libsoup 3.2 keeps whatever the kernel does not take in memory, without
 * bound, and cannot say how much that is; a client that stopped reading
 * would pile up every change from then on here. The kernel can tell: a
 * socket whose send buffer is still full at each push for LIVE_STALL_LIMIT
 * is not keeping up. It is closed; its client reconnects and catches up from
 * /changes, so nothing is lost, and the others never wait for it. */
static gboolean
live_backed_up (GSocket *socket)
{
  int queued = 0;

  /* Not writable is what makes libsoup queue instead of write. A peer that
   * stopped reading can also leave the socket writable while the kernel's
   * send buffer grows: its unacknowledged bytes say so. */
  if (!(g_socket_condition_check (socket, G_IO_OUT) & G_IO_OUT))
    return TRUE;
  return ioctl (g_socket_get_fd (socket), SIOCOUTQ, &queued) == 0 && queued >= LIVE_BACKLOG_LIMIT;
}

static void
drop_slow_live (GtServer *self)
{
  gint64 now = g_get_monotonic_time ();

  for (guint c = self->live->len; c-- > 0;)
    {
      LiveSocket *live = g_ptr_array_index (self->live, c);
      g_autoptr (GSocketAddress) peer = NULL;
      g_autofree char *peer_text = NULL;

      if (live->socket == NULL
          || soup_websocket_connection_get_state (live->conn) != SOUP_WEBSOCKET_STATE_OPEN)
        continue;
      if (!live_backed_up (live->socket))
        {
          live->full_since = 0;
          continue;
        }
      if (live->full_since == 0)
        live->full_since = now;
      if (now - live->full_since < LIVE_STALL_LIMIT)
        continue;

      if ((peer = g_socket_get_remote_address (live->socket, NULL)))
        peer_text = g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (peer));
      g_message ("Closing the /live socket of %s: too slow (its send buffer stayed full for %d s)",
                 peer_text ? peer_text : "a client", (int) (LIVE_STALL_LIMIT / G_USEC_PER_SEC));
      g_signal_handlers_disconnect_by_data (live->conn, self);
      soup_websocket_connection_close (live->conn, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                                       "too slow");
      /* The last reference: libsoup closes the socket now and frees what it
       * queued rather than wait for a close answer the peer cannot send. */
      g_ptr_array_remove_index (self->live, c);
    }
}

/* Sends every change committed since the last push to each live socket, in
 * revision order. */
static void
push_live (GtServer *self)
{
  gint64 rev = gt_engine_get_rev (self->engine);

  drop_slow_live (self);
  if (self->live->len == 0)
    {
      self->live_rev = rev;
      return;
    }

  while (self->live_rev < rev)
    {
      g_autoptr (JsonObject)
        page = gt_engine_list_changes (self->engine, self->live_rev, 5000, NULL);
      JsonArray *changes;
      guint      n;

      if (page == NULL)
        return;
      changes = json_object_get_array_member (page, "changes");
      n = json_array_get_length (changes);
      if (n == 0)
        break;
      for (guint i = 0; i < n; i++)
        {
          JsonObject      *change = json_array_get_object_element (changes, i);
          g_autofree char *text = gt_json_to_string (change);

          for (guint c = 0; c < self->live->len; c++)
            {
              LiveSocket *live = g_ptr_array_index (self->live, c);

              if (soup_websocket_connection_get_state (live->conn) == SOUP_WEBSOCKET_STATE_OPEN)
                soup_websocket_connection_send_text (live->conn, text);
            }
          self->live_rev = json_object_get_int_member (change, "rev");
        }
    }
}

static void
on_live_closed_cb (SoupWebsocketConnection *conn, GtServer *self)
{
  for (guint c = 0; c < self->live->len; c++)
    {
      LiveSocket *live = g_ptr_array_index (self->live, c);

      if (live->conn == conn)
        {
          g_ptr_array_remove_index (self->live, c);
          break;
        }
    }
}

static void
on_live_cb (SoupServer              *soup,
            SoupServerMessage       *msg,
            const char              *path,
            SoupWebsocketConnection *conn,
            gpointer                 user_data)
{
  GtServer   *self = user_data;
  LiveSocket *live = g_new0 (LiveSocket, 1);
  GSocket    *socket = soup_server_message_get_socket (msg);

  /* The upgrade request is over: libsoup never reports it finished. */
  if (self->in_flight > 0)
    self->in_flight--;
  if (self->live->len == 0)
    self->live_rev = gt_engine_get_rev (self->engine);
  /* Keep-alive pings find dead peers; a closed socket leaves the list. */
  soup_websocket_connection_set_keepalive_interval (conn, 30);
  g_signal_connect_object (conn, "closed", G_CALLBACK (on_live_closed_cb), self, 0);
  live->conn = g_object_ref (conn);
  live->socket = socket ? g_object_ref (socket) : NULL;
  g_ptr_array_add (self->live, live);
}

static void
live_auth_handler (SoupServer        *soup,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  GtServer *self = user_data;
  g_autoptr (GtPrincipal) principal = NULL;
  g_autoptr (GError) error = NULL;
  const char *token = bearer_token (msg);

  if (token == NULL && query != NULL)
    token = g_hash_table_lookup (query, "token");
  /* Leaving the status unset lets the WebSocket handshake go on. */
  if (!(principal = gt_engine_authenticate (self->engine, token, &error)))
    respond_error (msg, error);
}

static void
on_engine_committed_cb (GtServer *self, gint64 rev, GtEngine *engine)
{
  guint64 durable = gt_engine_get_durable_group (engine);

  /* Groups become durable in order: answers wait in that order too. */
  while (!g_queue_is_empty (&self->deferred))
    {
      Deferred *deferred = g_queue_peek_head (&self->deferred);

      if (deferred->group > durable)
        break;
      g_queue_pop_head (&self->deferred);
      /* The group was lost: none of its answers may be acknowledged. */
      if (rev < 0)
        {
          g_autoptr (GError) error = NULL;

          gt_error_set (&error, GT_ERROR_INTERNAL, NULL, "The change could not be saved");
          respond_error (deferred->msg, error);
        }
      soup_server_message_unpause (deferred->msg);
      g_object_unref (deferred->msg);
      g_free (deferred);
    }
  if (rev >= 0)
    push_live (self);
}

void
_gt_request_finish (GtRequest *request, JsonObject *result, guint status, const GError *error)
{
  GtServer *self = request->server;
  guint64   group;

  if (error != NULL)
    respond_error (request->msg, error);
  else if (request->bytes != NULL)
    {
      /* Answered as it is, without a copy: an image may be megabytes. */
      soup_server_message_set_status (request->msg, status ? status : 200, NULL);
      soup_message_headers_set_content_type (soup_server_message_get_response_headers (
                                               request->msg),
                                             request->bytes_type, NULL);
      soup_message_body_append_bytes (soup_server_message_get_response_body (request->msg),
                                      request->bytes);
    }
  else if (request->text != NULL)
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (request->msg);
      gsize               len = strlen (request->text);

      soup_server_message_set_status (request->msg, status ? status : 200, NULL);
      if (request->attachment != NULL)
        {
          g_autoptr (GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);

          g_hash_table_insert (params, (gpointer) "filename", request->attachment);
          soup_message_headers_set_content_disposition (headers, "attachment", params);
        }
      soup_server_message_set_response (request->msg, request->text_type, SOUP_MEMORY_TAKE,
                                        g_steal_pointer (&request->text), len);
    }
  else
    set_json_body (request->msg, status ? status : 200, result);

  /* Nothing is acknowledged before it is durable, not even a read of
   * what is not durable yet. */
  if ((group = gt_engine_get_pending_group (self->engine)) != 0)
    {
      Deferred *deferred = g_new0 (Deferred, 1);

      if (!request->paused)
        soup_server_message_pause (request->msg);
      deferred->msg = g_object_ref (request->msg);
      deferred->group = group;
      g_queue_push_tail (&self->deferred, deferred);
    }
  else if (request->paused)
    soup_server_message_unpause (request->msg);
  request->paused = FALSE;
}

void
_gt_request_pause (GtRequest *request)
{
  g_assert (!request->paused);
  soup_server_message_pause (request->msg);
  request->paused = TRUE;
}

void
_gt_request_free (GtRequest *request)
{
  g_clear_object (&request->server);
  g_clear_object (&request->msg);
  g_clear_pointer (&request->principal, gt_principal_free);
  g_clear_pointer (&request->body, json_object_unref);
  g_clear_pointer (&request->raw_body, g_bytes_unref);
  g_clear_pointer (&request->bytes, g_bytes_unref);
  g_clear_pointer (&request->bytes_type, g_free);
  g_clear_pointer (&request->query, g_hash_table_unref);
  g_clear_pointer (&request->arg, g_free);
  g_clear_pointer (&request->text, g_free);
  g_clear_pointer (&request->attachment, g_free);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GtRequest, _gt_request_free)

gboolean
_gt_request_query_int (GtRequest *request, const char *name, gint64 *out, GError **error)
{
  const char *text = request->query ? g_hash_table_lookup (request->query, name) : NULL;
  gint64      value;

  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, &value, NULL))
    {
      gt_error_set_field (error, name, "“%s” must be a whole number", name);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static const char *
segment_end (const char *s)
{
  while (*s != '\0' && *s != '/')
    s++;
  return s;
}

/* Matches @path (below the API prefix) against @pattern segment by
 * segment, filling the {id} and {seat}/{code} parts; no allocation unless it
 * matches a text parameter. */
static gboolean
match_route (const char *pattern, const char *path, GtRequest *request)
{
  const char *p = pattern + 1;
  const char *q = path;

  for (;;)
    {
      const char *p_end = segment_end (p);
      const char *q_end = segment_end (q);
      gsize       p_len = p_end - p;
      gsize       q_len = q_end - q;

      if (p_len == 4 && strncmp (p, "{id}", 4) == 0)
        {
          char    digits[21];
          guint64 id;

          if (q_len == 0 || q_len >= sizeof digits)
            return FALSE;
          memcpy (digits, q, q_len);
          digits[q_len] = '\0';
          if (!g_ascii_string_to_unsigned (digits, 10, 1, G_MAXINT64, &id, NULL))
            return FALSE;
          request->id = (gint64) id;
        }
      else if (p_len > 0 && p[0] == '{')
        {
          g_autofree char *arg = g_uri_unescape_segment (q, q_end, NULL);

          if (arg == NULL || arg[0] == '\0')
            return FALSE;
          g_free (request->arg);
          request->arg = g_steal_pointer (&arg);
        }
      else if (p_len != q_len || strncmp (p, q, p_len) != 0)
        return FALSE;

      if (*p_end == '\0' || *q_end == '\0')
        return *p_end == *q_end;
      p = p_end + 1;
      q = q_end + 1;
    }
}

static const char *
bearer_token (SoupServerMessage *msg)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0)
    return NULL;
  return auth + 7;
}

static gboolean
too_large (GError **error, gsize limit)
{
  gt_error_set (error, GT_ERROR_TOO_LARGE, NULL, "The request body is over %" G_GSIZE_FORMAT " KiB",
                limit / 1024);
  return FALSE;
}

static gboolean
read_body (GtRequest *request, const GtRoute *route, GError **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (request->msg);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (JsonNode) node = NULL;
  gsize       len;
  const char *data;

  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &len);
  if (route->flags & GT_ROUTE_RAW_BODY)
    {
      if (len > GT_MAX_RAW_BODY)
        return too_large (error, GT_MAX_RAW_BODY);
      request->raw_body = g_steal_pointer (&bytes);
      request->body = json_object_new ();
      return TRUE;
    }
  if (len > GT_MAX_BODY)
    return too_large (error, GT_MAX_BODY);
  if (len == 0)
    {
      request->body = json_object_new ();
      return TRUE;
    }
  if (!(node = gt_json_parse (data, len, error)))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      gt_error_set (error, GT_ERROR_BAD_JSON, NULL, "The request body must be a JSON object");
      return FALSE;
    }
  request->body = json_object_ref (json_node_get_object (node));
  return TRUE;
}

/* The route for @method on @path (below the API prefix), filling @request's
 * path parameters; @path_known says whether another method would match. */
static const GtRoute *
find_route (const char *path, const char *method, GtRequest *request, gboolean *path_known)
{
  for (guint t = 0; t < G_N_ELEMENTS (route_tables); t++)
    for (const GtRoute *r = route_tables[t]; r->method != NULL; r++)
      if (match_route (r->pattern, path, request))
        {
          if (path_known != NULL)
            *path_known = TRUE;
          if (g_str_equal (r->method, method))
            return r;
        }
  return NULL;
}

static void
handle_api (SoupServer        *soup,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  GtServer *self = user_data;
  g_autoptr (GtRequest) request = g_new0 (GtRequest, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) result = NULL;
  const char    *method = soup_server_message_get_method (msg);
  const GtRoute *route = NULL;
  gboolean       path_known = FALSE;
  guint          status = 200;

  request->server = g_object_ref (self);
  request->engine = self->engine;
  request->msg = g_object_ref (msg);
  request->query = query ? g_hash_table_ref (query) : NULL;

  if (!g_str_has_prefix (path, API_PREFIX "/"))
    {
      gt_error_set (&error, GT_ERROR_NOT_FOUND, NULL, "There is nothing at %s", path);
      _gt_request_finish (request, NULL, 0, error);
      return;
    }
  route = find_route (path + strlen (API_PREFIX "/"), method, request, &path_known);

  if (route == NULL)
    {
      if (path_known)
        {
          /* The error shape of a 404, with the status that says why. */
          gt_error_set (&error, GT_ERROR_NOT_FOUND, NULL, "%s is not allowed on %s", method, path);
          respond_error (msg, error);
          soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
          return;
        }
      gt_error_set (&error, GT_ERROR_NOT_FOUND, NULL, "There is nothing at %s", path);
      _gt_request_finish (request, NULL, 0, error);
      return;
    }

  /* Who, then whether they may, then what they sent. */
  if (route->role != GT_ROLE_NONE
      && (!(request->principal = gt_engine_authenticate (self->engine, bearer_token (msg), &error))
          || !gt_principal_require (request->principal, route->role, &error)))
    {
      _gt_request_finish (request, NULL, 0, error);
      return;
    }
  if (!read_body (request, route, &error))
    {
      _gt_request_finish (request, NULL, 0, error);
      return;
    }

  result = route->func (request, &status, &error);
  if (request->paused)
    {
      /* The handler answers later and owns the request now. */
      g_steal_pointer (&request);
      return;
    }
  if (error == NULL && result == NULL && request->text == NULL && request->bytes == NULL
      && status == 200)
    status = 204;
  _gt_request_finish (request, result, status, error);
}

static void
early_handler (SoupServer        *soup,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset             length = soup_message_headers_get_content_length (headers);
  gsize               limit = GT_MAX_BODY;

  /* Only a route that takes raw bytes (a poster) takes more than JSON. */
  if (length > GT_MAX_BODY && g_str_has_prefix (path, API_PREFIX "/"))
    {
      GtRequest      probe = { 0 };
      const GtRoute *route = find_route (path + strlen (API_PREFIX "/"),
                                         soup_server_message_get_method (msg), &probe, NULL);

      if (route != NULL && (route->flags & GT_ROUTE_RAW_BODY))
        limit = GT_MAX_RAW_BODY;
      g_free (probe.arg);
    }
  /* Refused before the body is read: a huge upload costs nothing. */
  if (length > 0 && (gsize) length > limit)
    {
      g_autoptr (GError) error = NULL;

      too_large (&error, limit);
      respond_error (msg, error);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                    "close");
    }
}

static void
on_request_started_cb (GtServer *self, SoupServerMessage *msg)
{
  self->in_flight++;
}

static void
on_request_done_cb (GtServer *self, SoupServerMessage *msg)
{
  g_assert (self->in_flight > 0);
  self->in_flight--;
}

static void
gt_server_dispose (GObject *object)
{
  GtServer *self = (GtServer *) object;

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->socket);
  g_clear_object (&self->engine);
  while (!g_queue_is_empty (&self->deferred))
    {
      Deferred *deferred = g_queue_pop_head (&self->deferred);

      g_object_unref (deferred->msg);
      g_free (deferred);
    }
  for (guint i = 0; self->live != NULL && i < self->live->len; i++)
    {
      LiveSocket *live = g_ptr_array_index (self->live, i);

      g_signal_handlers_disconnect_by_data (live->conn, self);
    }
  g_clear_pointer (&self->live, g_ptr_array_unref);

  G_OBJECT_CLASS (gt_server_parent_class)->dispose (object);
}

static void
gt_server_class_init (GtServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = gt_server_dispose;
}

static void
gt_server_init (GtServer *self)
{
  g_queue_init (&self->deferred);
  self->live = g_ptr_array_new_with_free_func ((GDestroyNotify) live_socket_free);
}

GtServer *
gt_server_new (GtEngine *engine, GTlsCertificate *certificate)
{
  GtServer *self;

  g_return_val_if_fail (GT_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (!certificate || G_IS_TLS_CERTIFICATE (certificate), NULL);

  self = g_object_new (GT_TYPE_SERVER, NULL);
  self->engine = g_object_ref (engine);
  self->soup = soup_server_new ("server-header", "go-ticket-server/" PACKAGE_VERSION " ",
                                "tls-certificate", certificate, NULL);
  soup_server_add_early_handler (self->soup, NULL, early_handler, self, NULL);
  soup_server_add_handler (self->soup, NULL, handle_api, self, NULL);
  soup_server_add_handler (self->soup, API_PREFIX "/live", live_auth_handler, self, NULL);
  soup_server_add_websocket_handler (self->soup, API_PREFIX "/live", NULL, NULL, on_live_cb, self,
                                     NULL);
  g_signal_connect_object (self->soup, "request-started", G_CALLBACK (on_request_started_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->soup, "request-finished", G_CALLBACK (on_request_done_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->soup, "request-aborted", G_CALLBACK (on_request_done_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "committed", G_CALLBACK (on_engine_committed_cb), self,
                           G_CONNECT_SWAPPED);
  /* Group commit: one fsync for all that arrived together. */
  gt_engine_set_group_commit (engine, TRUE);
  return self;
}

GtEngine *
gt_server_get_engine (GtServer *self)
{
  g_return_val_if_fail (GT_IS_SERVER (self), NULL);
  return self->engine;
}

gboolean
gt_server_listen (GtServer *self, const char *address, guint port, GError **error)
{
  g_autoptr (GInetAddress) inet = NULL;
  g_autoptr (GSocketAddress) socket_address = NULL;
  g_autoptr (GSocket) socket = NULL;
  SoupServerListenOptions options = 0;

  g_return_val_if_fail (GT_IS_SERVER (self), FALSE);
  g_return_val_if_fail (self->socket == NULL, FALSE);

  if (!(inet = g_inet_address_new_from_string (address)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "“%s” is not an IP address",
                   address);
      return FALSE;
    }
  socket_address = g_inet_socket_address_new (inet, port);

  /* GSocketListener's backlog of 10 would reset a rush of connections. */
  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, socket_address, TRUE, error) || !g_socket_listen (socket, error))
    return FALSE;

  if (soup_server_is_https (self->soup))
    options |= SOUP_SERVER_LISTEN_HTTPS;
  if (!soup_server_listen_socket (self->soup, socket, options, error))
    return FALSE;
  self->socket = g_steal_pointer (&socket);
  return TRUE;
}

char *
gt_server_dup_url (GtServer *self)
{
  g_autoptr (GSocketAddress) local = NULL;
  g_autofree char *host = NULL;
  GInetAddress    *inet;

  g_return_val_if_fail (GT_IS_SERVER (self), NULL);

  if (self->socket == NULL || !(local = g_socket_get_local_address (self->socket, NULL)))
    return NULL;
  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local));
  host = g_inet_address_to_string (inet);
  return g_strdup_printf (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6 ? "%s://[%s]:%u"
                                                                                   : "%s://%s:%u",
                          soup_server_is_https (self->soup) ? "https" : "http", host,
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));
}

void
gt_server_stop_accepting (GtServer *self)
{
  GSList *listeners;

  g_return_if_fail (GT_IS_SERVER (self));

  /* Closing the listening socket leaves open connections to finish. */
  listeners = soup_server_get_listeners (self->soup);
  for (GSList *l = listeners; l != NULL; l = l->next)
    g_socket_close (l->data, NULL);
  g_slist_free (listeners);
}

guint
gt_server_get_in_flight (GtServer *self)
{
  g_return_val_if_fail (GT_IS_SERVER (self), 0);
  return self->in_flight + self->deferred.length;
}
