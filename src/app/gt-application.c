/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-application"

#include "config.h"

#include <glib/gi18n.h>

#include "gt-application.h"
#include "gt-preferences-window.h"
#include "gt-server-thread.h"
#include "gt-window-private.h"

struct _GtApplication
{
  AdwApplication parent_instance;

  GSettings      *settings;
  GtServerThread *embedded;
  GtClient       *client;
  GtReplica      *replica;
  char           *startup_error;
  char           *db_path;
  char           *server_url;
  guint           hold_seconds;
  gboolean        demo;
};

G_DEFINE_FINAL_TYPE (GtApplication, gt_application, ADW_TYPE_APPLICATION)

static char *
default_db_path (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "go-ticket", NULL);

  g_mkdir_with_parents (dir, 0700);
  return g_build_filename (dir, "central.db", NULL);
}

/* No server configured: run the same server in-process (the embedded default). */
static void
start_client (GtApplication *self)
{
  g_autofree char *url = self->server_url ? g_strdup (self->server_url)
                                          : g_settings_get_string (self->settings, "server-url");
  g_autoptr (GError) error = NULL;

  g_strstrip (url);
  if (url[0] == '\0')
    {
      g_autofree char *path = self->db_path ? g_strdup (self->db_path) : default_db_path ();

      self->embedded = gt_server_thread_start (path, self->hold_seconds, self->demo, &error);
      if (self->embedded == NULL)
        {
          self->startup_error = g_strdup_printf (_ ("The built-in server could not start: %s"),
                                                 error->message);
          g_warning ("%s", self->startup_error);
          /* The window still opens and says so; nothing is pretended. */
          self->client = gt_client_new ("http://127.0.0.1:9");
          return;
        }
      self->client = gt_client_new (gt_server_thread_get_url (self->embedded));
    }
  else
    {
      while (g_str_has_suffix (url, "/"))
        url[strlen (url) - 1] = '\0';
      self->client = gt_client_new (url);
    }

  if (!(self->replica = gt_replica_new (self->client, NULL, &error)))
    {
      self->startup_error = g_strdup_printf (_ ("The counter's own store could not open: %s"),
                                             error->message);
      g_warning ("%s", self->startup_error);
    }
}

static void
gt_application_activate (GApplication *app)
{
  GtApplication *self = GT_APPLICATION (app);
  GtkWindow     *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (self->client == NULL)
    start_client (self);
  if (window == NULL)
    window = GTK_WINDOW (gt_window_new (self));
  gtk_window_present (window);
}

static int
gt_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  GtApplication *self = GT_APPLICATION (app);
  const char    *db = NULL;
  gint32         hold = 0;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("go-ticket %s\n", PACKAGE_VERSION);
      return 0;
    }
  self->demo = g_variant_dict_contains (options, "demo");
  if (g_variant_dict_lookup (options, "db", "^&ay", &db))
    self->db_path = g_strdup (db);
  if (g_variant_dict_lookup (options, "hold-seconds", "i", &hold) && hold > 0)
    self->hold_seconds = hold;
  if (g_variant_dict_lookup (options, "server", "s", &self->server_url))
    g_strstrip (self->server_url);
  return -1;
}

static void
gt_application_shutdown (GApplication *app)
{
  GtApplication *self = GT_APPLICATION (app);

  G_APPLICATION_CLASS (gt_application_parent_class)->shutdown (app);
  _gt_application_stop_server (self);
}

static void
on_preferences_cb (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GtApplication *self = user_data;
  GtkWindow     *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWindow     *prefs = GTK_WINDOW (gt_preferences_window_new (self->settings));

  gtk_window_set_transient_for (prefs, window);
  gtk_window_present (prefs);
}

static void
on_about_cb (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  GtApplication *self = user_data;
  GtkWindow     *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  const char    *developers[] = { "Go-Ticket developers", NULL };

  adw_show_about_window (window, "application-name", _ ("Go-Ticket"), "application-icon", APP_ID,
                         "version", PACKAGE_VERSION, "developer-name", _ ("Go-Ticket developers"),
                         "developers", developers, "license-type", GTK_LICENSE_GPL_3_0, "comments",
                         _ ("The box office of a cinema"), NULL);
}

static void
on_quit_cb (GSimpleAction *action, GVariant *param, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
gt_application_startup (GApplication *app)
{
  static const GActionEntry actions[] = {
    { "preferences", on_preferences_cb },
    { "about", on_about_cb },
    { "quit", on_quit_cb },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (gt_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), actions, G_N_ELEMENTS (actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", prefs_accels);
}

static void
gt_application_finalize (GObject *object)
{
  GtApplication *self = (GtApplication *) object;

  g_clear_object (&self->settings);
  g_clear_pointer (&self->startup_error, g_free);
  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->server_url, g_free);

  G_OBJECT_CLASS (gt_application_parent_class)->finalize (object);
}

static void
gt_application_class_init (GtApplicationClass *klass)
{
  GObjectClass      *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = gt_application_finalize;
  app_class->activate = gt_application_activate;
  app_class->startup = gt_application_startup;
  app_class->shutdown = gt_application_shutdown;
  app_class->handle_local_options = gt_application_handle_local_options;
}

static void
gt_application_init (GtApplication *self)
{
  static const GOptionEntry options[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_ ("Load demo data into a new built-in database without asking"), NULL },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_ ("The database of the built-in server (default: in the user data folder)"), N_ ("PATH") },
    { "hold-seconds", 0, 0, G_OPTION_ARG_INT, NULL,
      N_ ("How long the built-in server holds seats (300)"), N_ ("N") },
    { "server", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_ ("The central server to use this time, instead of the one in Preferences"), N_ ("URL") },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_ ("Print the version and exit"), NULL },
    { NULL },
  };

  self->settings = g_settings_new (APP_ID);
  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

GtApplication *
gt_application_new (void)
{
  /* Each counter process has its own embedded server: never unique. */
  return g_object_new (GT_TYPE_APPLICATION, "application-id", APP_ID, "flags",
                       G_APPLICATION_NON_UNIQUE, "resource-base-path", "/id/goticket/GoTicket",
                       NULL);
}

GSettings *
gt_application_get_settings (GtApplication *self)
{
  g_return_val_if_fail (GT_IS_APPLICATION (self), NULL);
  return self->settings;
}

GtClient *
gt_application_get_client (GtApplication *self)
{
  g_return_val_if_fail (GT_IS_APPLICATION (self), NULL);
  return self->client;
}

GtReplica *
gt_application_get_replica (GtApplication *self)
{
  g_return_val_if_fail (GT_IS_APPLICATION (self), NULL);
  return self->replica;
}

const char *
gt_application_get_startup_error (GtApplication *self)
{
  g_return_val_if_fail (GT_IS_APPLICATION (self), NULL);
  return self->startup_error;
}

void
_gt_application_set_options (GtApplication *self,
                             const char    *db_path,
                             guint          hold_seconds,
                             gboolean       demo)
{
  g_return_if_fail (GT_IS_APPLICATION (self));

  g_free (self->db_path);
  self->db_path = g_strdup (db_path);
  self->hold_seconds = hold_seconds;
  self->demo = demo;
}

void
_gt_application_set_server_url (GtApplication *self, const char *url)
{
  g_return_if_fail (GT_IS_APPLICATION (self));

  g_free (self->server_url);
  self->server_url = g_strdup (url);
}

void
_gt_application_stop_server (GtApplication *self)
{
  g_return_if_fail (GT_IS_APPLICATION (self));

  g_clear_object (&self->replica);
  g_clear_object (&self->client);
  g_clear_pointer (&self->embedded, gt_server_thread_stop);
}
