/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-client"

#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "gt-client.h"
#include "gt-json.h"

#define TIMEOUT_SECONDS        15
#define LIVE_RETRY_MAX_SECONDS 30

struct _GtClient
{
  GObject parent_instance;

  SoupSession *session;
  char        *base_url;
  char        *token;
  gboolean     reachable;

  /* The live socket, while following. */
  SoupWebsocketConnection *live;
  GCancellable            *live_cancellable;
  guint                    live_retry_id;
  guint                    live_retry_seconds;
  gboolean                 live_wanted;
  gboolean                 live_connecting;
};

G_DEFINE_FINAL_TYPE (GtClient, gt_client, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_BASE_URL,
  PROP_TOKEN,
  PROP_REACHABLE,
  PROP_LIVE_CONNECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  CHANGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void live_connect (GtClient *self);

static void
set_live (GtClient *self, SoupWebsocketConnection *conn)
{
  gboolean was_connected = self->live != NULL;

  if (self->live != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->live, self);
      if (soup_websocket_connection_get_state (self->live) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->live, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&self->live);
    }
  self->live = conn;
  if ((conn != NULL) != was_connected)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE_CONNECTED]);
}

static void
set_reachable (GtClient *self, gboolean reachable)
{
  if (self->reachable == reachable)
    return;
  self->reachable = reachable;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REACHABLE]);
}

static void
error_from_answer (GError **error, guint status, const char *data, gsize len)
{
  g_autoptr (JsonNode) node = gt_json_parse (data, len, NULL);
  JsonObject *inner = NULL;
  const char *message = NULL;
  GtErrorCode code = GT_ERROR_INTERNAL;

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    inner = json_object_get_object_member (json_node_get_object (node), "error");
  if (inner != NULL)
    {
      code = gt_error_code_from_name (
        json_object_get_string_member_with_default (inner, "code", "internal"));
      message = json_object_get_string_member_with_default (inner, "message", NULL);
    }
  else if (status == 401)
    code = GT_ERROR_UNAUTHORIZED;
  else if (status == 404)
    code = GT_ERROR_NOT_FOUND;

  gt_error_set (error, code,
                inner && json_object_has_member (inner, "details")
                  ? json_object_ref (json_object_get_object_member (inner, "details"))
                  : NULL,
                "%s", message ? message : soup_status_get_phrase (status));
}

static void
on_answer_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GtClient    *self = g_task_get_source_object (task);
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (JsonNode) node = NULL;
  const char *data;
  gsize       len;
  guint       status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_reachable (self, FALSE);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  set_reachable (self, TRUE);

  status = soup_message_get_status (msg);
  data = g_bytes_get_data (bytes, &len);
  if (status >= 400)
    {
      error_from_answer (&error, status, data, len);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_task_get_source_tag (task) == gt_client_get_bytes_async)
    {
      g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
      return;
    }
  if (len == 0)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  if (!(node = gt_json_parse (data, len, &error)) || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_clear_error (&error);
      gt_error_set (&error, GT_ERROR_INTERNAL, NULL,
                    _ ("The server sent an answer this counter "
                       "does not understand"));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, json_object_ref (json_node_get_object (node)),
                         (GDestroyNotify) json_object_unref);
}

static void
live_stop (GtClient *self)
{
  g_clear_handle_id (&self->live_retry_id, g_source_remove);
  self->live_connecting = FALSE;
  if (self->live_cancellable != NULL)
    g_cancellable_cancel (self->live_cancellable);
  g_clear_object (&self->live_cancellable);
  set_live (self, NULL);
}

static gboolean
on_live_retry_cb (gpointer user_data)
{
  GtClient *self = user_data;

  self->live_retry_id = 0;
  live_connect (self);
  return G_SOURCE_REMOVE;
}

/* Tries again later, waiting twice as long each time, up to half a minute. */
static void
live_retry (GtClient *self)
{
  if (!self->live_wanted || self->token == NULL || self->live_retry_id != 0)
    return;
  self->live_retry_seconds = CLAMP (self->live_retry_seconds * 2, 1, LIVE_RETRY_MAX_SECONDS);
  self->live_retry_id = g_timeout_add_seconds (self->live_retry_seconds, on_live_retry_cb, self);
}

static void
on_live_message_cb (SoupWebsocketConnection *conn, int type, GBytes *message, GtClient *self)
{
  g_autoptr (JsonNode) node = NULL;
  gsize       len;
  const char *data = g_bytes_get_data (message, &len);

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  node = gt_json_parse (data, len, NULL);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    g_signal_emit (self, signals[CHANGE], 0, json_node_get_object (node));
}

static void
on_live_closed_cb (SoupWebsocketConnection *conn, GtClient *self)
{
  set_live (self, NULL);
  live_retry (self);
}

static void
on_live_connected_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtClient) self = user_data;
  g_autoptr (GError) error = NULL;
  SoupWebsocketConnection *conn;

  conn = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->live_connecting = FALSE;
  if (conn == NULL)
    {
      live_retry (self);
      return;
    }
  self->live_retry_seconds = 0;
  set_reachable (self, TRUE);
  g_signal_connect (conn, "message", G_CALLBACK (on_live_message_cb), self);
  g_signal_connect (conn, "closed", G_CALLBACK (on_live_closed_cb), self);
  set_live (self, conn);
}

static void
live_connect (GtClient *self)
{
  g_autofree char *uri = NULL;
  g_autofree char *auth = NULL;
  g_autoptr (SoupMessage) msg = NULL;

  if (!self->live_wanted || self->token == NULL || self->live != NULL)
    return;

  uri = g_strconcat (self->base_url, "/api/v1/live", NULL);
  if (!(msg = soup_message_new ("GET", uri)))
    return;
  auth = g_strconcat ("Bearer ", self->token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);

  g_clear_object (&self->live_cancellable);
  self->live_cancellable = g_cancellable_new ();
  self->live_connecting = TRUE;
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->live_cancellable, on_live_connected_cb,
                                        g_object_ref (self));
}

static void
gt_client_dispose (GObject *object)
{
  GtClient *self = (GtClient *) object;

  self->live_wanted = FALSE;
  live_stop (self);

  G_OBJECT_CLASS (gt_client_parent_class)->dispose (object);
}

static void
gt_client_finalize (GObject *object)
{
  GtClient *self = (GtClient *) object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->token, g_free);

  G_OBJECT_CLASS (gt_client_parent_class)->finalize (object);
}

static void
gt_client_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GtClient *self = GT_CLIENT (object);

  switch (prop_id)
    {
      case PROP_BASE_URL:
        g_value_set_string (value, self->base_url);
        break;

      case PROP_TOKEN:
        g_value_set_string (value, self->token);
        break;

      case PROP_REACHABLE:
        g_value_set_boolean (value, self->reachable);
        break;

      case PROP_LIVE_CONNECTED:
        g_value_set_boolean (value, self->live != NULL);
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gt_client_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GtClient *self = GT_CLIENT (object);

  switch (prop_id)
    {
      case PROP_BASE_URL:
        self->base_url = g_value_dup_string (value);
        break;

      case PROP_TOKEN:
        gt_client_set_token (self, g_value_get_string (value));
        break;

      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gt_client_class_init (GtClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gt_client_dispose;
  object_class->finalize = gt_client_finalize;
  object_class->get_property = gt_client_get_property;
  object_class->set_property = gt_client_set_property;

  properties[PROP_BASE_URL] = g_param_spec_string ("base-url", NULL, NULL, NULL,
                                                   G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY
                                                     | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN] = g_param_spec_string ("token", NULL, NULL, NULL,
                                                G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                                  | G_PARAM_STATIC_STRINGS);
  properties[PROP_REACHABLE] = g_param_spec_boolean ("reachable", NULL, NULL, TRUE,
                                                     G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                                       | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIVE_CONNECTED] = g_param_spec_boolean ("live-connected", NULL, NULL, FALSE,
                                                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                                            | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GtClient::change:
   * @change: one change as the server logged it ({"rev","kind","id","op","data",…})
   */
  signals[CHANGE] = g_signal_new ("change", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                  NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
}

static void
gt_client_init (GtClient *self)
{
  self->session = soup_session_new_with_options ("timeout", TIMEOUT_SECONDS, "user-agent",
                                                 "go-ticket/" PACKAGE_VERSION, NULL);
  self->reachable = TRUE;
}

GtClient *
gt_client_new (const char *base_url)
{
  g_return_val_if_fail (base_url != NULL, NULL);
  return g_object_new (GT_TYPE_CLIENT, "base-url", base_url, NULL);
}

const char *
gt_client_get_base_url (GtClient *self)
{
  g_return_val_if_fail (GT_IS_CLIENT (self), NULL);
  return self->base_url;
}

const char *
gt_client_get_token (GtClient *self)
{
  g_return_val_if_fail (GT_IS_CLIENT (self), NULL);
  return self->token;
}

void
gt_client_set_token (GtClient *self, const char *token)
{
  g_return_if_fail (GT_IS_CLIENT (self));

  if (g_strcmp0 (self->token, token) == 0)
    return;
  g_free (self->token);
  self->token = g_strdup (token);
  /* A new identity gets a new socket; no identity, none. */
  live_stop (self);
  self->live_retry_seconds = 0;
  live_connect (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

gboolean
gt_client_get_reachable (GtClient *self)
{
  g_return_val_if_fail (GT_IS_CLIENT (self), FALSE);
  return self->reachable;
}

gboolean
gt_client_get_live_connected (GtClient *self)
{
  g_return_val_if_fail (GT_IS_CLIENT (self), FALSE);
  return self->live != NULL;
}

void
gt_client_reconnect (GtClient *self)
{
  g_return_if_fail (GT_IS_CLIENT (self));

  if (self->live != NULL || self->live_connecting)
    return;
  g_clear_handle_id (&self->live_retry_id, g_source_remove);
  self->live_retry_seconds = 0;
  live_connect (self);
}

/* The message of @task for @method on @path, signed in; NULL (with @task
 * answered) when the base URL is not one. */
static SoupMessage *
new_message (GtClient *self, GTask *task, const char *method, const char *path)
{
  g_autofree char *uri = g_strconcat (self->base_url, "/api/v1", path, NULL);
  SoupMessage     *msg;

  if (!(msg = soup_message_new (method, uri)))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _ ("“%s” is not a server address"), self->base_url);
      return NULL;
    }
  g_task_set_task_data (task, msg, g_object_unref);
  if (self->token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  return msg;
}

void
gt_client_call_async (GtClient           *self,
                      const char         *method,
                      const char         *path,
                      JsonObject         *body,
                      const char         *idempotency_key,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  SoupMessage        *msg;
  SoupMessageHeaders *headers;

  g_return_if_fail (GT_IS_CLIENT (self));
  g_return_if_fail (method != NULL && path != NULL && path[0] == '/');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gt_client_call_async);

  if (!(msg = new_message (self, task, method, path)))
    return;
  headers = soup_message_get_request_headers (msg);
  if (idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);
  if (body != NULL)
    {
      g_autofree char *text = gt_json_to_string (body);
      g_autoptr (GBytes) bytes = g_bytes_new_take (text, strlen (text));

      g_steal_pointer (&text);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }

  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    on_answer_cb, g_steal_pointer (&task));
}

JsonObject *
gt_client_call_finish (GtClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (GT_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
gt_client_get_bytes_async (GtClient           *self,
                           const char         *path,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  SoupMessage *msg;

  g_return_if_fail (GT_IS_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gt_client_get_bytes_async);
  if (!(msg = new_message (self, task, "GET", path)))
    return;
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    on_answer_cb, g_steal_pointer (&task));
}

GBytes *
gt_client_get_bytes_finish (GtClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (GT_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gt_client_get_bytes_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
gt_client_put_bytes_async (GtClient           *self,
                           const char         *path,
                           const char         *content_type,
                           GBytes             *bytes,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  SoupMessage *msg;

  g_return_if_fail (GT_IS_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (content_type != NULL);
  g_return_if_fail (bytes != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gt_client_put_bytes_async);
  if (!(msg = new_message (self, task, "PUT", path)))
    return;
  soup_message_set_request_body_from_bytes (msg, content_type, bytes);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    on_answer_cb, g_steal_pointer (&task));
}

JsonObject *
gt_client_put_bytes_finish (GtClient *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (GT_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
gt_client_login_async (GtClient           *self,
                       const char         *username,
                       const char         *password,
                       const char         *counter,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  g_autoptr (JsonObject) body = json_object_new ();

  json_object_set_string_member (body, "username", username);
  json_object_set_string_member (body, "password", password);
  if (counter != NULL && counter[0] != '\0')
    json_object_set_string_member (body, "counter", counter);
  gt_client_call_async (self, "POST", "/sessions", body, NULL, cancellable, callback, user_data);
}

void
gt_client_logout_async (GtClient           *self,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  gt_client_call_async (self, "DELETE", "/sessions/current", NULL, NULL, cancellable, callback,
                        user_data);
}

void
gt_client_get_config_async (GtClient           *self,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  gt_client_call_async (self, "GET", "/config", NULL, NULL, cancellable, callback, user_data);
}

void
gt_client_list_movies_async (GtClient           *self,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  gt_client_call_async (self, "GET", "/movies", NULL, NULL, cancellable, callback, user_data);
}

void
gt_client_list_auditoriums_async (GtClient           *self,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  gt_client_call_async (self, "GET", "/auditoriums", NULL, NULL, cancellable, callback, user_data);
}

void
gt_client_list_showtimes_async (GtClient           *self,
                                const char         *date,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  g_autofree char *path = date ? g_strdup_printf ("/showtimes?date=%s", date)
                               : g_strdup ("/showtimes");

  gt_client_call_async (self, "GET", path, NULL, NULL, cancellable, callback, user_data);
}

void
gt_client_get_seats_async (GtClient           *self,
                           gint64              showtime_id,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autofree char *path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/seats", showtime_id);

  gt_client_call_async (self, "GET", path, NULL, NULL, cancellable, callback, user_data);
}

void
gt_client_create_hold_async (GtClient           *self,
                             gint64              showtime_id,
                             const char *const  *seats,
                             guint               count,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_autofree char *path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/holds", showtime_id);
  g_autoptr (JsonObject) body = json_object_new ();

  if (seats != NULL)
    {
      JsonArray *list = json_array_new ();

      for (guint i = 0; seats[i] != NULL; i++)
        json_array_add_string_element (list, seats[i]);
      json_object_set_array_member (body, "seats", list);
    }
  else
    json_object_set_int_member (body, "count", count);
  gt_client_call_async (self, "POST", path, body, NULL, cancellable, callback, user_data);
}

static void
hold_seat_call (GtClient           *self,
                const char         *method,
                gint64              hold_id,
                const char         *seat,
                GCancellable       *cancellable,
                GAsyncReadyCallback callback,
                gpointer            user_data)
{
  g_autofree char *escaped = g_uri_escape_string (seat, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/holds/%" G_GINT64_FORMAT "/seats/%s", hold_id,
                                           escaped);

  gt_client_call_async (self, method, path, NULL, NULL, cancellable, callback, user_data);
}

void
gt_client_add_hold_seat_async (GtClient           *self,
                               gint64              hold_id,
                               const char         *seat,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  hold_seat_call (self, "PUT", hold_id, seat, cancellable, callback, user_data);
}

void
gt_client_remove_hold_seat_async (GtClient           *self,
                                  gint64              hold_id,
                                  const char         *seat,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  hold_seat_call (self, "DELETE", hold_id, seat, cancellable, callback, user_data);
}

void
gt_client_extend_hold_async (GtClient           *self,
                             gint64              hold_id,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_autofree char *path = g_strdup_printf ("/holds/%" G_GINT64_FORMAT "/extend", hold_id);

  gt_client_call_async (self, "POST", path, NULL, NULL, cancellable, callback, user_data);
}

void
gt_client_release_hold_async (GtClient           *self,
                              gint64              hold_id,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autofree char *path = g_strdup_printf ("/holds/%" G_GINT64_FORMAT, hold_id);

  gt_client_call_async (self, "DELETE", path, NULL, NULL, cancellable, callback, user_data);
}

void
gt_client_checkout_async (GtClient           *self,
                          gint64              hold_id,
                          const char         *idempotency_key,
                          JsonObject         *body,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  g_autofree char *path = g_strdup_printf ("/holds/%" G_GINT64_FORMAT "/checkout", hold_id);

  g_return_if_fail (idempotency_key != NULL);
  gt_client_call_async (self, "POST", path, body, idempotency_key, cancellable, callback,
                        user_data);
}

void
gt_client_find_booking_async (GtClient           *self,
                              const char         *code,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autofree char *escaped = g_uri_escape_string (code, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/bookings?code=%s", escaped);

  gt_client_call_async (self, "GET", path, NULL, NULL, cancellable, callback, user_data);
}

void
gt_client_setup_async (GtClient           *self,
                       JsonObject         *body,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  gt_client_call_async (self, "POST", "/setup", body, NULL, cancellable, callback, user_data);
}

gboolean
gt_client_error_is_network (const GError *error)
{
  return error != NULL && error->domain != GT_ERROR
         && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

void
gt_client_follow_live (GtClient *self)
{
  g_return_if_fail (GT_IS_CLIENT (self));

  self->live_wanted = TRUE;
  live_connect (self);
}
