/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-server"

#include "config.h"

#include <errno.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "gt-json.h"
#include "gt-server-private.h"

#define API_PREFIX     "/api/v1"
#define LISTEN_BACKLOG 1024
/* A client that reads, even a busy one, empties its socket's send buffer
 * far sooner than this. */
#define LIVE_STALL_LIMIT (5 * G_USEC_PER_SEC)
/* Unacknowledged bytes that mean a peer has stopped reading. */
#define LIVE_BACKLOG_LIMIT (1024 * 1024)

/* Work handed to another thread's main context: a queue drained by one idle
 * source, so a burst of tasks costs that thread a single wake-up. */
typedef void (*TaskFunc) (gpointer owner, gpointer data);

typedef struct
{
  TaskFunc       func;
  gpointer       data;
  GDestroyNotify destroy; /* frees data if the task never runs */
} Task;

typedef struct
{
  GMutex        mutex;
  GQueue        tasks;
  GSource      *scheduled; /* the idle source that will drain them, or NULL */
  GMainContext *context;
  gpointer      owner;
} Inbox;

/* One HTTP thread: its own main context, SoupServer and listening socket on
 * the shared port (SO_REUSEPORT: the kernel spreads connections over them).
 * It reads requests, hands them to the engine's context and sends the
 * answers back; the /live sockets it accepted are its own too. */
struct _GtWorker
{
  GtServer     *server;
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *soup;
  GSocket      *socket;
  Inbox         inbox;
  GPtrArray    *live; /* LiveSocket */
};

struct _GtServer
{
  GObject parent_instance;

  GtEngine        *engine;
  GMainContext    *home; /* the engine's context: every engine call runs on it */
  GTlsCertificate *certificate;
  guint            n_workers;
  GPtrArray       *workers;        /* GtWorker */
  Inbox            inbox;          /* requests from the workers */
  GMutex           deferred_mutex; /* deferred and durable: the sync thread delivers too */
  GQueue           deferred;       /* GtRequest: answers waiting for their group to be durable */
  guint64          durable;        /* the newest group known durable (or lost) */
  gint64           live_rev;       /* the newest revision pushed to the /live sockets */
  gint             n_live;         /* atomic: /live sockets over all workers */
  gint             in_flight;      /* atomic */
  guint            n_later;        /* requests whose handler answers later */
};

G_DEFINE_FINAL_TYPE (GtServer, gt_server, G_TYPE_OBJECT)

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

static JsonObject *check_live (GtRequest *request, guint *status, GError **error);

/* The WebSocket handshake of /live: any signed-in user may follow it. */
static const GtRoute live_route = { "GET", "/live", GT_ROLE_NONE, check_live };

static void
inbox_init (Inbox *inbox, GMainContext *context, gpointer owner)
{
  g_mutex_init (&inbox->mutex);
  g_queue_init (&inbox->tasks);
  inbox->context = g_main_context_ref (context);
  inbox->owner = owner;
}

static gboolean
inbox_drain (gpointer user_data)
{
  Inbox *inbox = user_data;
  GQueue tasks;
  Task  *task;

  g_mutex_lock (&inbox->mutex);
  tasks = inbox->tasks;
  g_queue_init (&inbox->tasks);
  g_clear_pointer (&inbox->scheduled, g_source_unref);
  g_mutex_unlock (&inbox->mutex);

  while ((task = g_queue_pop_head (&tasks)) != NULL)
    {
      task->func (inbox->owner, task->data);
      g_free (task);
    }
  return G_SOURCE_REMOVE;
}

static void
inbox_post (Inbox *inbox, TaskFunc func, gpointer data, GDestroyNotify destroy)
{
  Task *task = g_new (Task, 1);

  task->func = func;
  task->data = data;
  task->destroy = destroy;

  g_mutex_lock (&inbox->mutex);
  g_queue_push_tail (&inbox->tasks, task);
  if (inbox->scheduled == NULL)
    {
      inbox->scheduled = g_idle_source_new ();
      g_source_set_priority (inbox->scheduled, G_PRIORITY_DEFAULT);
      g_source_set_callback (inbox->scheduled, inbox_drain, inbox, NULL);
      g_source_set_static_name (inbox->scheduled, "[gt-server] inbox");
      g_source_attach (inbox->scheduled, inbox->context);
    }
  g_mutex_unlock (&inbox->mutex);
}

/* Once its thread is gone: frees what will never run. */
static void
inbox_clear (Inbox *inbox)
{
  Task *task;

  if (inbox->scheduled != NULL)
    {
      g_source_destroy (inbox->scheduled);
      g_clear_pointer (&inbox->scheduled, g_source_unref);
    }
  while ((task = g_queue_pop_head (&inbox->tasks)) != NULL)
    {
      if (task->destroy != NULL)
        task->destroy (task->data);
      g_free (task);
    }
  g_clear_pointer (&inbox->context, g_main_context_unref);
  g_mutex_clear (&inbox->mutex);
}

/* Runs @func on @worker's thread and waits for it. The workers never wait
 * for the engine's context, so this cannot deadlock. */
typedef struct
{
  GMutex   mutex;
  GCond    cond;
  gboolean done;
  TaskFunc func;
} SyncCall;

static void
run_sync_call (gpointer owner, gpointer data)
{
  SyncCall *call = data;

  call->func (owner, NULL);
  g_mutex_lock (&call->mutex);
  call->done = TRUE;
  g_cond_signal (&call->cond);
  g_mutex_unlock (&call->mutex);
}

static void
worker_call_sync (GtWorker *worker, TaskFunc func)
{
  SyncCall call = { .func = func };

  g_mutex_init (&call.mutex);
  g_cond_init (&call.cond);
  inbox_post (&worker->inbox, run_sync_call, &call, NULL);
  g_mutex_lock (&call.mutex);
  while (!call.done)
    g_cond_wait (&call.cond, &call.mutex);
  g_mutex_unlock (&call.mutex);
  g_mutex_clear (&call.mutex);
  g_cond_clear (&call.cond);
}

/* libsoup 3.2 takes a 204 without Content-Length for an answer that ends
 * at EOF and closes the connection after it. Once the headers are out
 * (without the header, as HTTP wants), saying "length 0" keeps it open. */
static void
on_empty_wrote_headers_cb (SoupServerMessage *msg)
{
  soup_message_headers_set_content_length (soup_server_message_get_response_headers (msg), 0);
}

/* Errors the worker finds itself (no route, a body that does not read). */
static void
respond_error (SoupServerMessage *msg, const GError *error)
{
  g_autoptr (JsonObject) body = _gt_server_error_body (error);
  g_autofree char *text = gt_json_to_string (body);
  gsize            len = strlen (text);

  soup_server_message_set_status (msg, _gt_server_error_status (error), NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), len);
}

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
drop_slow_live (GtWorker *worker)
{
  gint64 now = g_get_monotonic_time ();

  for (guint c = worker->live->len; c-- > 0;)
    {
      LiveSocket *live = g_ptr_array_index (worker->live, c);
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
      g_signal_handlers_disconnect_by_data (live->conn, worker);
      soup_websocket_connection_close (live->conn, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                                       "too slow");
      /* The last reference: libsoup closes the socket now and frees what it
       * queued rather than wait for a close answer the peer cannot send. */
      g_ptr_array_remove_index (worker->live, c);
      g_atomic_int_dec_and_test (&worker->server->n_live);
    }
}

/* On a worker: sends @data, changes as text in revision order, to each of
 * its /live sockets. */
static void
send_live (gpointer owner, gpointer data)
{
  GtWorker  *worker = owner;
  GPtrArray *changes = data;

  drop_slow_live (worker);
  for (guint i = 0; i < changes->len; i++)
    for (guint c = 0; c < worker->live->len; c++)
      {
        LiveSocket *live = g_ptr_array_index (worker->live, c);

        if (soup_websocket_connection_get_state (live->conn) == SOUP_WEBSOCKET_STATE_OPEN)
          soup_websocket_connection_send_text (live->conn, g_ptr_array_index (changes, i));
      }
  g_ptr_array_unref (changes);
}

/* On the engine's context: hands every change committed since the last push
 * to the workers, which send it on their /live sockets. */
/* Pushes the changes up to @rev, the newest durable one: never one of the
 * group still gathering, which the engine's connection already sees. */
static void
push_live (GtServer *self, gint64 rev)
{
  g_autoptr (GPtrArray) changes = NULL;

  if (g_atomic_int_get (&self->n_live) == 0)
    {
      self->live_rev = rev;
      return;
    }

  changes = g_ptr_array_new_with_free_func (g_free);
  while (self->live_rev < rev)
    {
      g_autoptr (GPtrArray) page = NULL;
      gint64 last;

      page = gt_engine_read_changes (self->engine, self->live_rev, rev, 5000, &last, NULL, NULL);
      if (page == NULL || page->len == 0)
        break;
      g_ptr_array_extend_and_steal (changes, g_steal_pointer (&page));
      self->live_rev = last;
    }
  if (changes->len == 0)
    return;
  for (guint w = 0; w < self->workers->len; w++)
    inbox_post (&((GtWorker *) g_ptr_array_index (self->workers, w))->inbox, send_live,
                g_ptr_array_ref (changes), (GDestroyNotify) g_ptr_array_unref);
}

static void
on_live_closed_cb (SoupWebsocketConnection *conn, GtWorker *worker)
{
  for (guint c = 0; c < worker->live->len; c++)
    {
      LiveSocket *live = g_ptr_array_index (worker->live, c);

      if (live->conn == conn)
        {
          g_ptr_array_remove_index (worker->live, c);
          g_atomic_int_dec_and_test (&worker->server->n_live);
          break;
        }
    }
}

/* Takes one from a count other threads change too, never below zero. */
static void
drop_one (gint *count)
{
  int n;

  do
    n = g_atomic_int_get (count);
  while (n > 0 && !g_atomic_int_compare_and_exchange (count, n, n - 1));
}

static void
on_live_cb (SoupServer              *soup,
            SoupServerMessage       *msg,
            const char              *path,
            SoupWebsocketConnection *conn,
            gpointer                 user_data)
{
  GtWorker   *worker = user_data;
  LiveSocket *live = g_new0 (LiveSocket, 1);
  GSocket    *socket = soup_server_message_get_socket (msg);

  /* The upgrade request is over: libsoup never reports it finished. */
  drop_one (&worker->server->in_flight);
  /* Keep-alive pings find dead peers; a closed socket leaves the list. */
  soup_websocket_connection_set_keepalive_interval (conn, 30);
  g_signal_connect (conn, "closed", G_CALLBACK (on_live_closed_cb), worker);
  live->conn = g_object_ref (conn);
  live->socket = socket ? g_object_ref (socket) : NULL;
  g_ptr_array_add (worker->live, live);
  g_atomic_int_inc (&worker->server->n_live);
}

static void
gt_request_free (GtRequest *request)
{
  g_clear_object (&request->msg);
  g_clear_pointer (&request->principal, gt_principal_free);
  g_clear_pointer (&request->token, g_free);
  g_clear_pointer (&request->idempotency_key, g_free);
  g_clear_pointer (&request->content_type, g_free);
  g_clear_object (&request->remote);
  g_clear_pointer (&request->body, json_object_unref);
  g_clear_pointer (&request->raw_body, g_bytes_unref);
  g_clear_pointer (&request->query, g_hash_table_unref);
  g_clear_pointer (&request->arg, g_free);
  g_clear_pointer (&request->text, g_free);
  g_clear_pointer (&request->attachment, g_free);
  g_clear_pointer (&request->bytes, g_bytes_unref);
  g_clear_pointer (&request->bytes_type, g_free);
  g_clear_pointer (&request->headers, g_ptr_array_unref);
  g_clear_error (&request->invalid);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GtRequest, gt_request_free)

/* On the worker: sends the answer the engine's side wrote into @data. */
static void
send_answer (gpointer owner, gpointer data)
{
  g_autoptr (GtRequest) request = data;
  SoupServerMessage  *msg = request->msg;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  /* A /live handshake that passed: libsoup answers 101 and upgrades. */
  if (request->upgrade && request->status == 0)
    {
      soup_server_message_unpause (msg);
      return;
    }
  if (request->upgrade)
    {
      soup_message_headers_remove (headers, "Upgrade");
      soup_message_headers_remove (headers, "Connection");
      soup_message_headers_remove (headers, "Sec-WebSocket-Accept");
      soup_message_headers_remove (headers, "Sec-WebSocket-Extensions");
    }
  soup_server_message_set_status (msg, request->status, NULL);
  for (guint i = 0; request->headers && i + 1 < request->headers->len; i += 2)
    soup_message_headers_replace (headers, g_ptr_array_index (request->headers, i),
                                  g_ptr_array_index (request->headers, i + 1));
  if (request->attachment != NULL)
    {
      g_autoptr (GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);

      g_hash_table_insert (params, (gpointer) "filename", request->attachment);
      soup_message_headers_set_content_disposition (headers, "attachment", params);
    }
  if (request->bytes != NULL)
    {
      /* Answered as it is, without a copy: an image may be megabytes. */
      soup_message_headers_set_content_type (headers, request->bytes_type, NULL);
      soup_message_body_append_bytes (soup_server_message_get_response_body (msg), request->bytes);
    }
  else if (request->text != NULL)
    {
      gsize len = strlen (request->text);

      soup_server_message_set_response (msg, request->text_type, SOUP_MEMORY_TAKE,
                                        g_steal_pointer (&request->text), len);
    }
  else if (request->status == 204)
    g_signal_connect (msg, "wrote-headers", G_CALLBACK (on_empty_wrote_headers_cb), NULL);
  soup_server_message_unpause (msg);
}

/* On the worker: sends the answers of a group that became durable, handed
 * over at once so that the worker wakes once for them all. */
static void
send_answers (gpointer owner, gpointer data)
{
  g_autoptr (GPtrArray) batch = data;
  gsize     n;
  gpointer *requests = g_ptr_array_steal (batch, &n);

  for (gsize i = 0; i < n; i++)
    send_answer (owner, requests[i]);
  g_free (requests);
}

static void
forget_answer (GtRequest *request)
{
  request->status = 0;
  g_clear_pointer (&request->text, g_free);
  g_clear_pointer (&request->attachment, g_free);
  g_clear_pointer (&request->bytes, g_bytes_unref);
  g_clear_pointer (&request->bytes_type, g_free);
  g_clear_pointer (&request->headers, g_ptr_array_unref);
}

static void
answer_error (GtRequest *request, const GError *error)
{
  g_autoptr (JsonObject) body = _gt_server_error_body (error);
  JsonObject *details = gt_error_get_details (error);

  forget_answer (request);
  if (error->domain == GT_ERROR && error->code == GT_ERROR_TOO_MANY_ATTEMPTS && details != NULL)
    {
      g_autofree char *after = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                json_object_get_int_member (details,
                                                                            "retry_after"));
      _gt_request_add_header (request, "Retry-After", after);
    }
  request->status = _gt_server_error_status (error);
  request->text = gt_json_to_string (body);
  request->text_type = "application/json";
}

void
_gt_request_add_header (GtRequest *request, const char *name, const char *value)
{
  if (request->headers == NULL)
    request->headers = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (request->headers, g_strdup (name));
  g_ptr_array_add (request->headers, g_strdup (value));
}

void
_gt_request_answer_later (GtRequest *request)
{
  g_assert (!request->later);
  request->later = TRUE;
  request->server->n_later++;
}

void
_gt_request_finish (GtRequest *request, JsonObject *result, guint status, const GError *error)
{
  GtServer *self = request->server;
  g_autoptr (GError) disk_error = NULL;
  guint64 group;

  if (request->later)
    self->n_later--;
  request->later = FALSE;
  /* After a failed fsync nothing is durable, so no answer may say a thing
   * was saved: a read, or the replay of a sale that may be lost, included. */
  if (error == NULL && gt_engine_get_disk_failed (self->engine))
    {
      gt_error_set (&disk_error, GT_ERROR_INTERNAL, NULL,
                    "The server's disk failed: nothing is saved until the server starts again");
      error = disk_error;
    }
  if (error != NULL)
    answer_error (request, error);
  else if (request->bytes != NULL || request->text != NULL)
    request->status = status ? status : 200;
  else if (result != NULL)
    {
      request->status = status ? status : 200;
      request->text = gt_json_to_string (result);
      request->text_type = "application/json";
    }
  else if (request->upgrade)
    request->status = 0;
  else
    request->status = status ? status : 204;

  /* Nothing is acknowledged before it is durable, not even a read of
   * what is not durable yet. */
  group = gt_engine_get_pending_group (self->engine);
  g_mutex_lock (&self->deferred_mutex);
  if (group > self->durable)
    {
      request->group = group;
      g_queue_push_tail (&self->deferred, request);
    }
  else
    inbox_post (&request->worker->inbox, send_answer, request, (GDestroyNotify) gt_request_free);
  g_mutex_unlock (&self->deferred_mutex);
}

static JsonObject *
check_live (GtRequest *request, guint *status, GError **error)
{
  g_autoptr (GtPrincipal)
    principal = gt_engine_authenticate (request->engine, request->token, error);

  return NULL;
}

/* On the engine's context: who, then whether they may, then the handler. */
static void
run_request (gpointer owner, gpointer data)
{
  GtRequest     *request = data;
  const GtRoute *route = request->route;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) result = NULL;
  guint status = 200;

  if (route->role != GT_ROLE_NONE
      && (!(request->principal = gt_engine_authenticate (request->engine, request->token, &error))
          || !gt_principal_require (request->principal, route->role, &error)))
    {
      _gt_request_finish (request, NULL, 0, error);
      return;
    }
  if (request->invalid != NULL)
    {
      _gt_request_finish (request, NULL, 0, request->invalid);
      return;
    }
  result = route->func (request, &status, &error);
  if (request->later)
    return;
  if (error == NULL && result == NULL && request->text == NULL && request->bytes == NULL
      && status == 200)
    status = 204;
  _gt_request_finish (request, result, status, error);
}

/* Sends the answers waiting for groups up to @durable: on the engine's sync
 * thread as soon as the fsync is done, or on its context. */
static void
deliver_durable (guint64 durable, gboolean ok, gpointer user_data)
{
  GtServer *self = user_data;
  /* GtWorker → GPtrArray of its requests */
  g_autoptr (GHashTable) batches = g_hash_table_new (NULL, NULL);
  GHashTableIter iter;
  gpointer       worker, batch;

  g_mutex_lock (&self->deferred_mutex);
  self->durable = MAX (self->durable, durable);
  /* Groups become durable in order: answers wait in that order too. */
  while (!g_queue_is_empty (&self->deferred))
    {
      GtRequest *request = g_queue_peek_head (&self->deferred);

      if (request->group > durable)
        break;
      g_queue_pop_head (&self->deferred);
      /* The group was lost: none of its answers may be acknowledged. */
      if (!ok)
        {
          g_autoptr (GError) error = NULL;

          gt_error_set (&error, GT_ERROR_INTERNAL, NULL, "The change could not be saved");
          answer_error (request, error);
        }
      batch = g_hash_table_lookup (batches, request->worker);
      if (batch == NULL)
        {
          batch = g_ptr_array_new_with_free_func ((GDestroyNotify) gt_request_free);
          g_hash_table_insert (batches, request->worker, batch);
        }
      g_ptr_array_add (batch, request);
    }
  g_hash_table_iter_init (&iter, batches);
  while (g_hash_table_iter_next (&iter, &worker, &batch))
    inbox_post (&((GtWorker *) worker)->inbox, send_answers, batch,
                (GDestroyNotify) g_ptr_array_unref);
  g_mutex_unlock (&self->deferred_mutex);
}

static void
on_engine_committed_cb (GtServer *self, gint64 rev, GtEngine *engine)
{
  /* Most answers went out from the sync thread already; a group lost in
   * its commit, or flushed at once, is told here. */
  deliver_durable (gt_engine_get_durable_group (engine), rev >= 0, self);
  if (rev >= 0)
    push_live (self, rev);
}

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
 * matches a text parameter. libsoup has decoded @path already: a parameter
 * is taken as it stands, not decoded a second time. */
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
          if (q_len == 0)
            return FALSE;
          g_free (request->arg);
          request->arg = g_strndup (q, q_len);
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

  /* RFC 6750: the scheme in any case, then one or more spaces. */
  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0)
    return NULL;
  for (auth += 7; *auth == ' '; auth++)
    ;
  return auth;
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
 * path parameters; @allowed, if given, gets the methods that the path has
 * instead ("GET, PATCH"), for a 405's Allow header. */
static const GtRoute *
find_route (const char *path, const char *method, GtRequest *request, GString *allowed)
{
  for (guint t = 0; t < G_N_ELEMENTS (route_tables); t++)
    for (const GtRoute *r = route_tables[t]; r->method != NULL; r++)
      if (match_route (r->pattern, path, request))
        {
          /* HEAD is a GET whose body libsoup leaves out. */
          if (g_str_equal (r->method, method)
              || (g_str_equal (method, "HEAD") && g_str_equal (r->method, "GET")))
            return r;
          if (allowed != NULL)
            g_string_append_printf (allowed, "%s%s%s", allowed->len ? ", " : "", r->method,
                                    g_str_equal (r->method, "GET") ? ", HEAD" : "");
        }
  return NULL;
}

static GtRequest *
request_new (GtWorker *worker, SoupServerMessage *msg, GHashTable *query)
{
  GtRequest *request = g_new0 (GtRequest, 1);

  request->server = worker->server;
  request->engine = worker->server->engine;
  request->worker = worker;
  request->msg = g_object_ref (msg);
  request->query = query ? g_hash_table_ref (query) : NULL;
  return request;
}

/* On the worker: what the handler will read is copied out of the message,
 * which waits, paused, for its answer. */
static void
dispatch (GtRequest *request)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  GSocketAddress     *remote = soup_server_message_get_remote_address (request->msg);

  if (request->token == NULL)
    request->token = g_strdup (bearer_token (request->msg));
  request->idempotency_key = g_strdup (soup_message_headers_get_one (headers, "Idempotency-Key"));
  request->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  request->remote = remote ? g_object_ref (remote) : NULL;
  soup_server_message_pause (request->msg);
  inbox_post (&request->server->inbox, run_request, request, (GDestroyNotify) gt_request_free);
}

static void
handle_api (SoupServer        *soup,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  g_autoptr (GtRequest) request = request_new (user_data, msg, query);
  g_autoptr (GError) error = NULL;
  const char *method = soup_server_message_get_method (msg);
  g_autoptr (GString) allowed = NULL;

  if (!g_str_has_prefix (path, API_PREFIX "/"))
    {
      gt_error_set (&error, GT_ERROR_NOT_FOUND, NULL, "There is nothing at %s", path);
      respond_error (msg, error);
      return;
    }
  request->route = find_route (path + strlen (API_PREFIX "/"), method, request, NULL);
  if (request->route == NULL)
    {
      allowed = g_string_new (NULL);
      find_route (path + strlen (API_PREFIX "/"), method, request, allowed);
      if (allowed->len == 0)
        {
          gt_error_set (&error, GT_ERROR_NOT_FOUND, NULL, "There is nothing at %s", path);
          respond_error (msg, error);
          return;
        }
      gt_error_set (&error, GT_ERROR_METHOD_NOT_ALLOWED, NULL, "%s is not allowed on %s", method,
                    path);
      respond_error (msg, error);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    allowed->str);
      return;
    }
  /* A body that does not read is said after who sent it and whether
   * they may: the engine's side does that. */
  read_body (request, request->route, &request->invalid);
  dispatch (g_steal_pointer (&request));
}

static void
live_auth_handler (SoupServer        *soup,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  GtRequest *request;
  g_autoptr (GError) handshake_error = NULL;

  /* A plain request would get libsoup's own page of HTML; it gets the one
   * error shape instead. A handshake that is wrong in some other way is
   * libsoup's to answer. */
  if (!soup_websocket_server_check_handshake (msg, NULL, NULL, NULL, &handshake_error)
      && g_error_matches (handshake_error, SOUP_WEBSOCKET_ERROR,
                          SOUP_WEBSOCKET_ERROR_NOT_WEBSOCKET))
    {
      g_autoptr (GError) error = NULL;

      gt_error_set (&error, GT_ERROR_UPGRADE_REQUIRED, NULL,
                    "%s is a WebSocket: open it with an upgrade (Upgrade: websocket)", path);
      respond_error (msg, error);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Upgrade",
                                    "websocket");
      return;
    }

  request = request_new (user_data, msg, query);
  request->route = &live_route;
  request->upgrade = TRUE;
  request->body = json_object_new ();
  request->token = g_strdup (bearer_token (msg));
  if (request->token == NULL && query != NULL)
    request->token = g_strdup (g_hash_table_lookup (query, "token"));
  /* libsoup goes on with the handshake; the paused message waits for the
   * engine's word before its 101 (or a refusal) goes out. */
  dispatch (request);
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
  g_atomic_int_inc (&self->in_flight);
}

static void
on_request_done_cb (GtServer *self, SoupServerMessage *msg)
{
  g_assert (g_atomic_int_get (&self->in_flight) > 0);
  g_atomic_int_dec_and_test (&self->in_flight);
}

static gpointer
worker_run (gpointer data)
{
  GtWorker *worker = data;

  g_main_context_push_thread_default (worker->context);
  g_main_loop_run (worker->loop);

  soup_server_disconnect (worker->soup);
  for (guint i = 0; i < worker->live->len; i++)
    g_signal_handlers_disconnect_by_data (
      ((LiveSocket *) g_ptr_array_index (worker->live, i))->conn, worker);
  g_clear_pointer (&worker->live, g_ptr_array_unref);
  g_clear_object (&worker->soup);
  g_main_context_pop_thread_default (worker->context);
  return NULL;
}

static void
quit_worker (gpointer owner, gpointer data)
{
  g_main_loop_quit (((GtWorker *) owner)->loop);
}

static void
close_listener (gpointer owner, gpointer data)
{
  GtWorker *worker = owner;

  /* Closing the listening socket leaves open connections to finish. */
  if (worker->socket != NULL)
    g_socket_close (worker->socket, NULL);
}

static void
worker_free (GtWorker *worker)
{
  if (worker->thread != NULL)
    {
      inbox_post (&worker->inbox, quit_worker, NULL, NULL);
      g_thread_join (worker->thread);
    }
  else
    g_clear_object (&worker->soup);
  inbox_clear (&worker->inbox);
  g_clear_pointer (&worker->live, g_ptr_array_unref);
  g_clear_object (&worker->socket);
  g_clear_pointer (&worker->loop, g_main_loop_unref);
  g_clear_pointer (&worker->context, g_main_context_unref);
  g_free (worker);
}

/* A worker serving @socket, listening already, its thread not yet started. */
static GtWorker *
worker_new (GtServer *self, GSocket *socket, GError **error)
{
  GtWorker               *worker = g_new0 (GtWorker, 1);
  SoupServerListenOptions options = 0;
  gboolean                listening;

  worker->server = self;
  worker->context = g_main_context_new ();
  worker->loop = g_main_loop_new (worker->context, FALSE);
  worker->live = g_ptr_array_new_with_free_func ((GDestroyNotify) live_socket_free);
  worker->socket = g_object_ref (socket);
  inbox_init (&worker->inbox, worker->context, worker);

  worker->soup = soup_server_new ("server-header", "go-ticket-server/" PACKAGE_VERSION " ",
                                  "tls-certificate", self->certificate, NULL);
  soup_server_add_early_handler (worker->soup, NULL, early_handler, worker, NULL);
  soup_server_add_handler (worker->soup, NULL, handle_api, worker, NULL);
  soup_server_add_handler (worker->soup, API_PREFIX "/live", live_auth_handler, worker, NULL);
  soup_server_add_websocket_handler (worker->soup, API_PREFIX "/live", NULL, NULL, on_live_cb,
                                     worker, NULL);
  g_signal_connect_swapped (worker->soup, "request-started", G_CALLBACK (on_request_started_cb),
                            self);
  g_signal_connect_swapped (worker->soup, "request-finished", G_CALLBACK (on_request_done_cb),
                            self);
  g_signal_connect_swapped (worker->soup, "request-aborted", G_CALLBACK (on_request_done_cb), self);

  if (soup_server_is_https (worker->soup))
    options |= SOUP_SERVER_LISTEN_HTTPS;
  /* libsoup watches the socket from the thread-default context. */
  g_main_context_push_thread_default (worker->context);
  listening = soup_server_listen_socket (worker->soup, socket, options, error);
  g_main_context_pop_thread_default (worker->context);
  if (!listening)
    {
      worker_free (worker);
      return NULL;
    }
  return worker;
}

static void
gt_server_dispose (GObject *object)
{
  GtServer  *self = (GtServer *) object;
  GtRequest *request;

  /* A handler answering later (a password being hashed) holds its request
   * and this server: it ends first. */
  while (self->n_later > 0)
    g_main_context_iteration (self->home, TRUE);
  if (self->engine != NULL)
    {
      gt_engine_set_durable_func (self->engine, NULL, NULL);
      g_signal_handlers_disconnect_by_data (self->engine, self);
    }
  /* The workers next: once they are gone, what waits for them is freed. */
  g_clear_pointer (&self->workers, g_ptr_array_unref);
  while ((request = g_queue_pop_head (&self->deferred)) != NULL)
    gt_request_free (request);
  inbox_clear (&self->inbox);
  g_clear_object (&self->engine);
  g_clear_object (&self->certificate);
  g_clear_pointer (&self->home, g_main_context_unref);

  G_OBJECT_CLASS (gt_server_parent_class)->dispose (object);
}

static void
gt_server_finalize (GObject *object)
{
  GtServer *self = (GtServer *) object;

  g_mutex_clear (&self->deferred_mutex);

  G_OBJECT_CLASS (gt_server_parent_class)->finalize (object);
}

static void
gt_server_class_init (GtServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gt_server_dispose;
  object_class->finalize = gt_server_finalize;
}

static void
gt_server_init (GtServer *self)
{
  g_queue_init (&self->deferred);
  g_mutex_init (&self->deferred_mutex);
  self->workers = g_ptr_array_new_with_free_func ((GDestroyNotify) worker_free);
}

GtServer *
gt_server_new (GtEngine *engine, GTlsCertificate *certificate)
{
  GtServer *self;

  g_return_val_if_fail (GT_IS_ENGINE (engine), NULL);
  g_return_val_if_fail (!certificate || G_IS_TLS_CERTIFICATE (certificate), NULL);

  self = g_object_new (GT_TYPE_SERVER, NULL);
  self->engine = g_object_ref (engine);
  self->certificate = certificate ? g_object_ref (certificate) : NULL;
  self->home = g_main_context_ref_thread_default ();
  self->n_workers = 1;
  inbox_init (&self->inbox, self->home, self);
  g_signal_connect_object (engine, "committed", G_CALLBACK (on_engine_committed_cb), self,
                           G_CONNECT_SWAPPED);
  gt_engine_set_durable_func (engine, deliver_durable, self);
  /* Group commit: one fsync for all that arrived together. */
  gt_engine_set_group_commit (engine, TRUE);
  return self;
}

void
gt_server_set_http_threads (GtServer *self, guint n_threads)
{
  g_return_if_fail (GT_IS_SERVER (self));
  g_return_if_fail (self->workers->len == 0);
  g_return_if_fail (n_threads >= 1 && n_threads <= GT_SERVER_MAX_HTTP_THREADS);

  self->n_workers = n_threads;
}

GtEngine *
gt_server_get_engine (GtServer *self)
{
  g_return_val_if_fail (GT_IS_SERVER (self), NULL);
  return self->engine;
}

static GSocket *
listening_socket (GSocketAddress *address, gboolean shared, GError **error)
{
  g_autoptr (GSocket) socket = g_socket_new (g_socket_address_get_family (address),
                                             G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);

  struct sockaddr_storage native;
  gsize                   len = g_socket_address_get_native_size (address);

  if (socket == NULL || !g_socket_address_to_native (address, &native, sizeof native, error)
      || !g_socket_set_option (socket, SOL_SOCKET, SO_REUSEADDR, TRUE, error)
      || (shared && !g_socket_set_option (socket, SOL_SOCKET, SO_REUSEPORT, TRUE, error)))
    return NULL;
  /* g_socket_bind() would turn SO_REUSEPORT off again. */
  if (bind (g_socket_get_fd (socket), (struct sockaddr *) &native, len) != 0)
    {
      int              saved = errno;
      g_autofree char *where = g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (address));

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Error binding to address %s: %s", where, g_strerror (saved));
      return NULL;
    }
  /* GSocketListener's backlog of 10 would reset a rush of connections. */
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_listen (socket, error))
    return NULL;
  return g_steal_pointer (&socket);
}

gboolean
gt_server_listen (GtServer *self, const char *address, guint port, GError **error)
{
  g_autoptr (GInetAddress) inet = NULL;
  g_autoptr (GSocketAddress) socket_address = NULL;

  g_return_val_if_fail (GT_IS_SERVER (self), FALSE);
  g_return_val_if_fail (self->workers->len == 0, FALSE);

  /* The one name people type for the loopback address. */
  if (g_ascii_strcasecmp (address, "localhost") == 0)
    inet = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    inet = g_inet_address_new_from_string (address);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "“%s” is not an IP address",
                   address);
      return FALSE;
    }
  socket_address = g_inet_socket_address_new (inet, port);

  /* The workers share the port. A socket that does not share it first
   * proves the port free: another server started on it by mistake is
   * refused as ever, instead of quietly taking half the counters. */
  if (port != 0)
    {
      g_autoptr (GSocket) probe = listening_socket (socket_address, FALSE, error);

      if (probe == NULL)
        return FALSE;
      g_socket_close (probe, NULL);
    }

  for (guint i = 0; i < self->n_workers; i++)
    {
      g_autoptr (GSocket) socket = listening_socket (socket_address, TRUE, error);
      GtWorker *worker;

      if (socket == NULL || !(worker = worker_new (self, socket, error)))
        {
          g_ptr_array_set_size (self->workers, 0);
          return FALSE;
        }
      g_ptr_array_add (self->workers, worker);
      /* The next ones bind the port the first one got. */
      if (i == 0)
        {
          g_clear_object (&socket_address);
          if (!(socket_address = g_socket_get_local_address (socket, error)))
            {
              g_ptr_array_set_size (self->workers, 0);
              return FALSE;
            }
        }
    }
  for (guint i = 0; i < self->workers->len; i++)
    {
      GtWorker *worker = g_ptr_array_index (self->workers, i);

      worker->thread = g_thread_new ("gt-http", worker_run, worker);
    }
  return TRUE;
}

char *
gt_server_dup_url (GtServer *self)
{
  g_autoptr (GSocketAddress) local = NULL;
  g_autofree char *host = NULL;
  GInetAddress    *inet;
  GtWorker        *worker;

  g_return_val_if_fail (GT_IS_SERVER (self), NULL);

  if (self->workers->len == 0)
    return NULL;
  worker = g_ptr_array_index (self->workers, 0);
  if (!(local = g_socket_get_local_address (worker->socket, NULL)))
    return NULL;
  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local));
  host = g_inet_address_to_string (inet);
  return g_strdup_printf (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6 ? "%s://[%s]:%u"
                                                                                   : "%s://%s:%u",
                          self->certificate ? "https" : "http", host,
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));
}

void
gt_server_stop_accepting (GtServer *self)
{
  g_return_if_fail (GT_IS_SERVER (self));

  for (guint i = 0; i < self->workers->len; i++)
    worker_call_sync (g_ptr_array_index (self->workers, i), close_listener);
}

guint
gt_server_get_in_flight (GtServer *self)
{
  g_return_val_if_fail (GT_IS_SERVER (self), 0);
  return g_atomic_int_get (&self->in_flight);
}
