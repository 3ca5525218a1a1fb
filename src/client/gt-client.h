/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "gt-error.h"

G_BEGIN_DECLS

#define GT_TYPE_CLIENT (gt_client_get_type ())

G_DECLARE_FINAL_TYPE (GtClient, gt_client, GT, CLIENT, GObject)

/* A counter's link to the central server: one SoupSession, one async call
 * per API operation. Answers are the API's JSON objects; failures are
 * GT_ERROR codes with the server's message and details, or G_IO_ERROR when
 * the server cannot be reached. */

GtClient   *gt_client_new (const char *base_url);
const char *gt_client_get_base_url (GtClient *self);
const char *gt_client_get_token (GtClient *self);
void        gt_client_set_token (GtClient *self, const char *token);
gboolean    gt_client_get_reachable (GtClient *self);
/* Whether the /live socket is open (see gt_client_follow_live()). */
gboolean gt_client_get_live_connected (GtClient *self);
/* Tries the /live socket again now rather than after the backoff. */
void gt_client_reconnect (GtClient *self);

/* Any call: @path is below /api/v1 ("/showtimes/7/seats"), @body may be NULL,
 * @idempotency_key may be NULL. Finish gives the answer, NULL for 204. */
void        gt_client_call_async (GtClient           *self,
                                  const char         *method,
                                  const char         *path,
                                  JsonObject         *body,
                                  const char         *idempotency_key,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data);
JsonObject *gt_client_call_finish (GtClient *self, GAsyncResult *result, GError **error);

/* Raw bodies (a poster). GET gives the bytes of a 2xx answer, whatever
 * their type; PUT sends @bytes as @content_type and gives the JSON answer. */
void        gt_client_get_bytes_async (GtClient           *self,
                                       const char         *path,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
GBytes     *gt_client_get_bytes_finish (GtClient *self, GAsyncResult *result, GError **error);
void        gt_client_put_bytes_async (GtClient           *self,
                                       const char         *path,
                                       const char         *content_type,
                                       GBytes             *bytes,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
JsonObject *gt_client_put_bytes_finish (GtClient *self, GAsyncResult *result, GError **error);

/* Typed calls; each finishes with gt_client_call_finish(). */
void gt_client_login_async (GtClient           *self,
                            const char         *username,
                            const char         *password,
                            const char         *counter,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data);
void gt_client_logout_async (GtClient           *self,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data);
void gt_client_get_config_async (GtClient           *self,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data);
void gt_client_list_movies_async (GtClient           *self,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data);
void gt_client_list_auditoriums_async (GtClient           *self,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
/* @date is YYYY-MM-DD in the cinema's time zone, or NULL. */
void gt_client_list_showtimes_async (GtClient           *self,
                                     const char         *date,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data);
void gt_client_get_seats_async (GtClient           *self,
                                gint64              showtime_id,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data);
/* Either @seats (NULL-terminated) or @count > 0. */
void gt_client_create_hold_async (GtClient           *self,
                                  gint64              showtime_id,
                                  const char *const  *seats,
                                  guint               count,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data);
void gt_client_add_hold_seat_async (GtClient           *self,
                                    gint64              hold_id,
                                    const char         *seat,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data);
void gt_client_remove_hold_seat_async (GtClient           *self,
                                       gint64              hold_id,
                                       const char         *seat,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
void gt_client_extend_hold_async (GtClient           *self,
                                  gint64              hold_id,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data);
void gt_client_release_hold_async (GtClient           *self,
                                   gint64              hold_id,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data);
/* @body is the checkout body of the API; retry with the same @idempotency_key. */
void gt_client_checkout_async (GtClient           *self,
                               gint64              hold_id,
                               const char         *idempotency_key,
                               JsonObject         *body,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data);
void gt_client_find_booking_async (GtClient           *self,
                                   const char         *code,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data);
void gt_client_setup_async (GtClient           *self,
                            JsonObject         *body,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data);

/* Whether @error means the server could not be reached (not an answer). */
gboolean gt_client_error_is_network (const GError *error);

/* Follows GET /live while signed in: every change the server commits is
 * emitted as GtClient::change (the change object of /changes). The socket
 * comes back by itself after a drop, and goes when the token does. */
void gt_client_follow_live (GtClient *self);

G_END_DECLS
