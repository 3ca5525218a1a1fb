/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "go-ticket-server"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>

#include "gt-server.h"

#define SHUTDOWN_GRACE_MS 10000

typedef struct
{
  GMainLoop *loop;
  GtServer  *server;
  gint64     deadline;
} Shutdown;

static gboolean
wait_for_requests_cb (gpointer user_data)
{
  Shutdown *shutdown = user_data;

  if (gt_server_get_in_flight (shutdown->server) > 0
      && g_get_monotonic_time () < shutdown->deadline)
    return G_SOURCE_CONTINUE;
  g_main_loop_quit (shutdown->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_signal_cb (gpointer user_data)
{
  Shutdown *shutdown = user_data;
  g_autoptr (GError) error = NULL;

  g_printerr (_ ("Stopping: finishing the requests under way…\n"));
  gt_server_stop_accepting (shutdown->server);
  if (!gt_engine_flush (gt_server_get_engine (shutdown->server), &error))
    g_printerr ("%s\n", error->message);
  shutdown->deadline = g_get_monotonic_time () + SHUTDOWN_GRACE_MS * G_TIME_SPAN_MILLISECOND;
  g_timeout_add (20, wait_for_requests_cb, shutdown);
  return G_SOURCE_REMOVE;
}

static char *
default_db_path (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "go-ticket", NULL);

  g_mkdir_with_parents (dir, 0700);
  return g_build_filename (dir, "central.db", NULL);
}

static int
create_user (GtEngine *engine, const char *username, const char *role)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) body = json_object_new ();
  g_autoptr (JsonObject) user = NULL;
  char password[512];

  if (isatty (0))
    g_printerr (_ ("Password for %s: "), username);
  if (fgets (password, sizeof password, stdin) == NULL)
    {
      g_printerr (_ ("No password was given on standard input\n"));
      return 1;
    }
  password[strcspn (password, "\r\n")] = '\0';

  json_object_set_string_member (body, "username", username);
  json_object_set_string_member (body, "password", password);
  json_object_set_string_member (body, "role", role ? role : "cashier");
  user = gt_engine_create_user (engine, NULL, body, &error);
  memset (password, 0, sizeof password);
  if (user == NULL)
    {
      g_printerr (_ ("Cannot create the user: %s\n"), error->message);
      return 1;
    }
  g_print (_ ("Created %s (%s)\n"), username, json_object_get_string_member (user, "role"));
  return 0;
}

int
main (int argc, char *argv[])
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GtEngine) engine = NULL;
  g_autoptr (GtServer) server = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autofree char   *db_path = NULL;
  g_autofree char   *bind = NULL;
  g_autofree char   *new_user = NULL;
  g_autofree char   *role = NULL;
  g_autofree char   *tls_cert = NULL;
  g_autofree char   *tls_key = NULL;
  g_autofree char   *url = NULL;
  gboolean           demo = FALSE;
  gboolean           version = FALSE;
  int                port = 8080;
  int                hold_seconds = G_MININT; /* not given */
  int                http_threads = 0;
  Shutdown           shutdown = { 0 };
  const char        *localedir = g_getenv ("GO_TICKET_LOCALEDIR"); /* from the build tree */
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, N_ ("The database file"), N_ ("PATH") },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_ ("The port to listen on (0 picks a free one)"),
      N_ ("N") },
    { "bind", 0, 0, G_OPTION_ARG_STRING, &bind, N_ ("The address to listen on (127.0.0.1)"),
      N_ ("ADDR") },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo, N_ ("Load demo data into an empty database"), NULL },
    { "hold-seconds", 0, 0, G_OPTION_ARG_INT, &hold_seconds, N_ ("How long seats stay held (300)"),
      N_ ("N") },
    { "http-threads", 0, 0, G_OPTION_ARG_INT, &http_threads,
      N_ ("Threads reading and writing HTTP (default: one per processor but one)"), N_ ("N") },
    { "create-user", 0, 0, G_OPTION_ARG_STRING, &new_user,
      N_ ("Create a user (password from standard input) and exit"), N_ ("NAME") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, N_ ("The role of the user to create"),
      N_ ("ROLE") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, N_ ("A PEM certificate to serve HTTPS"),
      N_ ("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, N_ ("The PEM key of the certificate"),
      N_ ("FILE") },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_ ("Print the version and exit"), NULL },
    { NULL },
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, _ ("The Go-Ticket central server: the one authority over "
                                            "seats for every counter of a cinema."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("go-ticket-server %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (port < 0 || port > 65535)
    {
      g_printerr (_ ("The port is a number from 0 to 65535\n"));
      return 2;
    }
  if (hold_seconds != G_MININT && (hold_seconds < 1 || hold_seconds > GT_ENGINE_MAX_HOLD_SECONDS))
    {
      g_printerr (_ ("The hold time is from 1 to %d seconds\n"), GT_ENGINE_MAX_HOLD_SECONDS);
      return 2;
    }
  if ((tls_cert == NULL) != (tls_key == NULL))
    {
      g_printerr (_ ("--tls-cert and --tls-key go together\n"));
      return 2;
    }

  if (db_path == NULL)
    db_path = default_db_path ();
  if (!(engine = gt_engine_new (db_path, &error)))
    {
      g_printerr (_ ("Cannot open the database: %s\n"), error->message);
      return 1;
    }
  if (hold_seconds != G_MININT)
    gt_engine_set_hold_seconds (engine, hold_seconds);

  if (new_user != NULL)
    return create_user (engine, new_user, role);

  if (demo)
    {
      if (gt_engine_is_empty (engine))
        {
          if (!gt_engine_load_demo (engine, &error))
            {
              g_printerr (_ ("Cannot load the demo data: %s\n"), error->message);
              return 1;
            }
          g_printerr (_ ("Demo data loaded. Demo users (for trying it out only; change them "
                         "before real use): admin/admin, manager/manager, cashier/cashier, "
                         "cashier2/cashier2\n"));
        }
      else
        g_printerr (_ ("The database has data already; the demo data was not loaded\n"));
    }
  else if (gt_engine_is_empty (engine))
    g_printerr (_ ("The database has no users yet. Create the first one with:\n"
                   "  go-ticket-server --db %s --create-user NAME --role admin\n"),
                db_path);

  if (tls_cert != NULL
      && !(certificate = g_tls_certificate_new_from_files (tls_cert, tls_key, &error)))
    {
      g_printerr (_ ("Cannot read the certificate: %s\n"), error->message);
      return 1;
    }

  /* Signals are handled from here on, before anyone can know the address. */
  loop = g_main_loop_new (NULL, FALSE);
  shutdown.loop = loop;
  g_unix_signal_add (SIGINT, on_signal_cb, &shutdown);
  g_unix_signal_add (SIGTERM, on_signal_cb, &shutdown);

  if (http_threads < 0 || http_threads > GT_SERVER_MAX_HTTP_THREADS)
    {
      g_printerr (_ ("--http-threads takes 1 to %d\n"), GT_SERVER_MAX_HTTP_THREADS);
      return 1;
    }
  server = gt_server_new (engine, certificate);
  shutdown.server = server;
  /* The engine keeps a processor busy on its own; HTTP takes the others.
   * With two processors, one HTTP thread gave 10 % more holds a second
   * than two (bench-holds): a third busy thread only waits for a core. */
  gt_server_set_http_threads (server, http_threads > 0 ? (guint) http_threads
                                                       : CLAMP (g_get_num_processors () - 1, 1,
                                                                GT_SERVER_MAX_HTTP_THREADS));
  if (!gt_server_listen (server, bind ? bind : "127.0.0.1", port, &error))
    {
      g_printerr (_ ("Cannot listen: %s\n"), error->message);
      return 1;
    }

  url = gt_server_dup_url (server);
  g_print ("listening on %s\n", url);
  fflush (stdout);

  g_main_loop_run (loop);

  g_clear_object (&server);
  g_clear_object (&engine);
  g_printerr (_ ("Stopped cleanly\n"));
  return 0;
}
