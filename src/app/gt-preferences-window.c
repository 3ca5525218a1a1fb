/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gt-preferences-window.h"

struct _GtPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GSettings *settings;

  AdwEntryRow *server_row;
  AdwEntryRow *counter_row;
  GtkLabel    *server_note;
};

G_DEFINE_FINAL_TYPE (GtPreferencesWindow, gt_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
on_server_changed_cb (GtPreferencesWindow *self)
{
  g_autofree char *url = g_strstrip (
    g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_row))));
  gboolean ok = url[0] == '\0' || g_str_has_prefix (url, "http://")
                || g_str_has_prefix (url, "https://");

  if (self->settings == NULL)
    return;

  if (ok)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->server_row), "error");
      g_settings_set_string (self->settings, "server-url", url);
    }
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->server_row), "error");
}

static void
on_counter_changed_cb (GtPreferencesWindow *self)
{
  g_autofree char *name = g_strstrip (
    g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->counter_row))));

  if (self->settings == NULL)
    return;

  if (name[0] != '\0')
    g_settings_set_string (self->settings, "counter-name", name);
}

static void
gt_preferences_window_dispose (GObject *object)
{
  GtPreferencesWindow *self = (GtPreferencesWindow *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), GT_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gt_preferences_window_parent_class)->dispose (object);
}

static void
gt_preferences_window_class_init (GtPreferencesWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gt_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/id/goticket/GoTicket/ui/gt-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GtPreferencesWindow, server_row);
  gtk_widget_class_bind_template_child (widget_class, GtPreferencesWindow, counter_row);
  gtk_widget_class_bind_template_callback (widget_class, on_server_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_counter_changed_cb);
}

static void
gt_preferences_window_init (GtPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
gt_preferences_window_new (GSettings *settings)
{
  GtPreferencesWindow *self = g_object_new (GT_TYPE_PREFERENCES_WINDOW, NULL);
  g_autofree char     *url = g_settings_get_string (settings, "server-url");
  g_autofree char     *counter = g_settings_get_string (settings, "counter-name");

  /* Filled before the settings are attached, so nothing is written back. */
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), url);
  gtk_editable_set_text (GTK_EDITABLE (self->counter_row), counter);
  self->settings = g_object_ref (settings);
  return GTK_WIDGET (self);
}
