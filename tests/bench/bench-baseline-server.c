/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-bench-baseline"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <stdio.h>
#include <unistd.h>

#include <libsoup/soup.h>

/* The yardsticks for bench-holds: a bare SoupServer on the same machine that
 * answers every request with "hello", so the benchmark can tell how much of
 * a hold's cost is HTTP and how much is the box office. It listens and
 * reports its address the way go-ticket-server does.
 *
 * With --durable FILE it is instead the least a server can do that answers
 * only what is on disk: each request but a GET is written to FILE and
 * answered once an fdatasync() has covered it. The fsyncs run one at a time
 * on a thread of their own, each for every request written before it began
 * (a group commit, as go-ticket-server's). The answer is 201 with
 * {"id":N}: enough for bench-holds' hold → checkout cycles. */

/* The file is written again from its beginning past this, as SQLite's log
 * is once it has grown. */
#define DURABLE_WRAP (32 << 20)

typedef struct
{
  SoupServerMessage *msg;
  guint64            serial;
} Waiting;

/* The durable mode's state. The file, its offset and the queue belong to
 * the main thread; written and synced are shared with the sync thread. */
static struct
{
  int           fd;
  goffset       offset;
  GMainContext *context;
  GQueue        waiting;
  GMutex        mutex;
  GCond         cond;
  guint64       written;
  guint64       synced;
} durable = { .fd = -1 };

static void
answer_hello (SoupServerMessage *msg)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "hello", 5);
}

/* On the main thread: answers every request the last fsync covered. */
static gboolean
answer_synced (gpointer user_data)
{
  Waiting *waiting;
  guint64  synced;

  g_mutex_lock (&durable.mutex);
  synced = durable.synced;
  g_mutex_unlock (&durable.mutex);

  while ((waiting = g_queue_peek_head (&durable.waiting)) != NULL && waiting->serial <= synced)
    {
      char *answer = g_strdup_printf ("{\"id\":%" G_GUINT64_FORMAT "}", waiting->serial);

      g_queue_pop_head (&durable.waiting);
      soup_server_message_set_status (waiting->msg, SOUP_STATUS_CREATED, NULL);
      soup_server_message_set_response (waiting->msg, "application/json", SOUP_MEMORY_TAKE, answer,
                                        strlen (answer));
      soup_server_message_unpause (waiting->msg);
      g_object_unref (waiting->msg);
      g_free (waiting);
    }
  return G_SOURCE_REMOVE;
}

static gpointer
sync_thread_run (gpointer data)
{
  g_mutex_lock (&durable.mutex);
  for (;;)
    {
      guint64 written;

      while (durable.synced == durable.written)
        g_cond_wait (&durable.cond, &durable.mutex);
      written = durable.written;
      g_mutex_unlock (&durable.mutex);

      if (fdatasync (durable.fd) != 0)
        g_error ("fdatasync: %s", g_strerror (errno));

      g_mutex_lock (&durable.mutex);
      durable.synced = written;
      g_main_context_invoke (durable.context, answer_synced, NULL);
    }
  return NULL;
}

/* Writes the whole file once first, so that the fsyncs after are of data
 * alone, as those of SQLite's log once it is written over: an fsync that
 * makes a file longer writes the file system's journal too. */
static void
durable_open (const char *path)
{
  g_autofree char *zeros = g_malloc0 (1 << 20);

  durable.fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (durable.fd < 0)
    g_error ("Could not open %s: %s", path, g_strerror (errno));
  for (int i = 0; i < DURABLE_WRAP >> 20; i++)
    if (write (durable.fd, zeros, 1 << 20) != 1 << 20)
      g_error ("Could not write %s: %s", path, g_strerror (errno));
  if (fdatasync (durable.fd) != 0)
    g_error ("fdatasync: %s", g_strerror (errno));
}

/* Writes down the method, path and body; the answer waits for its fsync. */
static void
write_down (SoupServerMessage *msg, const char *path)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autofree char *record = g_strdup_printf ("%s %s %.*s\n", soup_server_message_get_method (msg),
                                             path, (int) body->length,
                                             body->data ? body->data : "");
  gsize            len = strlen (record);
  Waiting         *waiting = g_new (Waiting, 1);

  if (durable.offset + (goffset) len > DURABLE_WRAP)
    durable.offset = 0;
  if (pwrite (durable.fd, record, len, durable.offset) != (gssize) len)
    g_error ("Could not write: %s", g_strerror (errno));
  durable.offset += len;

  waiting->msg = g_object_ref (msg);
  soup_server_message_pause (msg);
  g_mutex_lock (&durable.mutex);
  waiting->serial = ++durable.written;
  g_cond_signal (&durable.cond);
  g_mutex_unlock (&durable.mutex);
  g_queue_push_tail (&durable.waiting, waiting);
}

static void
on_request_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  if (durable.fd >= 0 && g_strcmp0 (soup_server_message_get_method (msg), "GET") != 0)
    write_down (msg, path);
  else
    answer_hello (msg);
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
  g_autoptr (GOptionContext) context = g_option_context_new (NULL);
  g_autofree char *durable_path = NULL;
  g_autoptr (SoupServer) server = NULL;
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  const GOptionEntry entries[] = {
    { "durable", 0, 0, G_OPTION_ARG_FILENAME, &durable_path,
      "Answer each request but a GET only once it is written to FILE and synced", "FILE" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (durable_path != NULL)
    {
      durable_open (durable_path);
      durable.context = g_main_context_default ();
      g_mutex_init (&durable.mutex);
      g_cond_init (&durable.cond);
      g_thread_unref (g_thread_new ("bench-sync", sync_thread_run, NULL));
    }

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
