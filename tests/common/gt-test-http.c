/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-test"

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "gt-test-http.h"

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* A server must not outlive a test that aborted: it would hold the test's
 * stderr open and the runner would wait for it until the timeout. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

GtTestServer *
gt_test_server_start (const char *db_path, const char *const *extra_args)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GIOChannel) channel = NULL;
  g_autofree char *line = NULL;
  const char      *bin = g_getenv ("GT_SERVER_BIN");
  GtTestServer    *server;
  int              out_fd = -1;

  g_assert_nonnull (bin);

  server = g_new0 (GtTestServer, 1);
  server->dir = g_dir_make_tmp ("go-ticket-test-XXXXXX", &error);
  g_assert_no_error (error);
  server->db_path = db_path ? g_strdup (db_path)
                            : g_build_filename (server->dir, "central.db", NULL);

  g_ptr_array_add (argv, (gpointer) bin);
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, server->db_path);
  g_ptr_array_add (argv, (gpointer) "--port");
  g_ptr_array_add (argv, (gpointer) "0");
  /* Whatever the machine, requests cross between HTTP threads in every test. */
  g_ptr_array_add (argv, (gpointer) "--http-threads");
  g_ptr_array_add (argv, (gpointer) "2");
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_async_with_pipes (server->dir, (char **) argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                            die_with_parent, NULL, &server->pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);

  channel = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (channel, TRUE);
  while (g_io_channel_read_line (channel, &line, NULL, NULL, &error) == G_IO_STATUS_NORMAL)
    {
      g_strchomp (line);
      if (g_str_has_prefix (line, "listening on "))
        {
          server->url = g_strdup (line + strlen ("listening on "));
          break;
        }
      g_clear_pointer (&line, g_free);
    }
  g_assert_no_error (error);
  if (server->url == NULL)
    g_error ("go-ticket-server did not start (see its stderr above)");

  return server;
}

static int
wait_for (GtTestServer *server)
{
  int status = 0;

  if (server->pid == 0)
    return 0;
  waitpid (server->pid, &status, 0);
  g_spawn_close_pid (server->pid);
  server->pid = 0;
  return status;
}

int
gt_test_server_stop (GtTestServer *server)
{
  if (server->pid != 0)
    kill (server->pid, SIGTERM);
  return wait_for (server);
}

void
gt_test_server_kill (GtTestServer *server)
{
  if (server->pid != 0)
    kill (server->pid, SIGKILL);
  wait_for (server);
}

void
gt_test_server_free (GtTestServer *server)
{
  if (server == NULL)
    return;
  if (server->pid != 0)
    gt_test_server_kill (server);
  remove_tree (server->dir);
  g_free (server->dir);
  g_free (server->db_path);
  g_free (server->url);
  g_free (server);
}

JsonNode *
gt_test_request_full (SoupSession         *session,
                      const char          *url,
                      const char          *method,
                      const char          *path,
                      const char          *token,
                      const char *const   *headers,
                      GBytes              *body,
                      guint               *status,
                      SoupMessageHeaders **response_headers)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GBytes) response = NULL;
  g_autofree char *uri = g_strconcat (url, "/api/v1", path, NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  SoupMessageHeaders *request_headers;
  gsize               len;
  const char         *data;

  msg = soup_message_new (method, uri);
  g_assert_nonnull (msg);
  request_headers = soup_message_get_request_headers (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (request_headers, "Authorization", auth);
    }
  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    soup_message_headers_replace (request_headers, headers[i], headers[i + 1]);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", body);

  response = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);

  *status = soup_message_get_status (msg);
  if (response_headers != NULL)
    *response_headers = soup_message_headers_ref (soup_message_get_response_headers (msg));

  data = g_bytes_get_data (response, &len);
  if (len == 0)
    return NULL;
  if (!json_parser_load_from_data (parser, data, len, &error))
    g_error ("%s %s answered %u with a body that is not JSON: %.*s", method, path, *status,
             (int) MIN (len, 200), data);
  return json_node_copy (json_parser_get_root (parser));
}

JsonNode *
gt_test_request (SoupSession  *session,
                 GtTestServer *server,
                 const char   *method,
                 const char   *path,
                 const char   *token,
                 const char   *body,
                 guint        *status)
{
  g_autoptr (GBytes) bytes = body ? g_bytes_new (body, strlen (body)) : NULL;

  return gt_test_request_full (session, server->url, method, path, token, NULL, bytes, status,
                               NULL);
}

char *
gt_test_login (SoupSession  *session,
               GtTestServer *server,
               const char   *username,
               const char   *password)
{
  g_autofree char *body = g_strdup_printf (
    "{\"username\":\"%s\",\"password\":\"%s\",\"counter\":\"Test\"}", username, password);
  g_autoptr (JsonNode) node = NULL;
  guint status = 0;

  node = gt_test_request (session, server, "POST", "/sessions", NULL, body, &status);
  g_assert_cmpuint (status, ==, 201);
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "token"));
}

const char *
gt_test_error_code (JsonNode *node)
{
  JsonObject *error;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  error = json_object_get_object_member (json_node_get_object (node), "error");
  if (error == NULL)
    return NULL;
  return json_object_get_string_member (error, "code");
}
