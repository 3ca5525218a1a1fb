/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-bench-baseline"

#include "config.h"

#include <glib-unix.h>
#include <stdio.h>

#include <libsoup/soup.h>

/* The yardstick for bench-holds: a bare SoupServer on the same machine that
 * answers every request with "hello", so the benchmark can tell how much of
 * a hold's cost is HTTP and how much is the box office. It listens and
 * reports its address the way go-ticket-server does. */

static void
on_request_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "hello", 5);
}

static gboolean
on_signal_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SoupServer) server = NULL;
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  if (socket == NULL || !g_socket_bind (socket, address, TRUE, &error))
    g_error ("Could not bind: %s", error->message);
  /* The same large backlog the real server promises, so a rush of new
   * connections is not reset here either. */
  g_socket_set_listen_backlog (socket, 1024);
  if (!g_socket_listen (socket, &error))
    g_error ("Could not listen: %s", error->message);

  server = soup_server_new ("server-header", "bench-baseline ", NULL);
  soup_server_add_handler (server, NULL, on_request_cb, NULL, NULL);
  if (!soup_server_listen_socket (server, socket, 0, &error))
    g_error ("Could not serve: %s", error->message);

  bound = g_socket_get_local_address (socket, &error);
  if (bound == NULL)
    g_error ("No local address: %s", error->message);
  g_print ("listening on http://127.0.0.1:%u\n",
           g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  fflush (stdout);

  g_unix_signal_add (SIGTERM, on_signal_cb, loop);
  g_unix_signal_add (SIGINT, on_signal_cb, loop);
  g_main_loop_run (loop);

  soup_server_disconnect (server);
  return 0;
}
