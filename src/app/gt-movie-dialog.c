/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-movie-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "gt-movie-dialog.h"

struct _GtMovieDialog
{
  AdwWindow parent_instance;

  GtClient     *client;
  JsonObject   *movie; /* NULL: a new one */
  GCancellable *cancellable;

  AdwEntryRow   *title_row;
  AdwEntryRow   *synopsis_row;
  GtkSpinButton *duration_spin;
  AdwEntryRow   *rating_row;
  AdwEntryRow   *genres_row;
  GtkWidget     *active_row;
  GtkSwitch     *active_switch;
  GtkLabel      *error_label;
};

G_DEFINE_FINAL_TYPE (GtMovieDialog, gt_movie_dialog, ADW_TYPE_WINDOW)

enum
{
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (GtMovieDialog *self, const char *message)
{
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static gboolean
title_given (GtMovieDialog *self)
{
  g_autofree char *title = g_strstrip (
    g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));

  return title[0] != '\0';
}

static void
on_changed_cb (GtMovieDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "movie.save",
                                 self->cancellable == NULL && title_given (self));
}

static JsonArray *
genres_from_text (const char *text)
{
  g_auto (GStrv) parts = g_strsplit (text, ",", -1);
  JsonArray *genres = json_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] != '\0')
        json_array_add_string_element (genres, parts[i]);
    }
  return genres;
}

static void
on_saved_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtMovieDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) movie = gt_client_call_finish (GT_CLIENT (object), result, &error);

  g_clear_object (&self->cancellable);
  on_changed_cb (self);
  if (movie == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, gt_client_error_is_network (error)
                            ? _ ("The server does not answer: nothing was saved. Try again when "
                                 "it is back.")
                            : error->message);
      return;
    }
  g_signal_emit (self, signals[SAVED], 0, movie);
  gtk_window_close (GTK_WINDOW (self));
}

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtMovieDialog *self = GT_MOVIE_DIALOG (widget);
  g_autoptr (JsonObject) body = json_object_new ();
  g_autofree char *title = NULL;
  g_autofree char *path = NULL;

  if (self->cancellable != NULL || !title_given (self))
    return;

  title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));
  json_object_set_string_member (body, "title", title);
  json_object_set_string_member (body, "synopsis",
                                 gtk_editable_get_text (GTK_EDITABLE (self->synopsis_row)));
  json_object_set_int_member (body, "duration_minutes",
                              gtk_spin_button_get_value_as_int (self->duration_spin));
  json_object_set_string_member (body, "rating",
                                 gtk_editable_get_text (GTK_EDITABLE (self->rating_row)));
  json_object_set_array_member (body, "genres",
                                genres_from_text (
                                  gtk_editable_get_text (GTK_EDITABLE (self->genres_row))));
  if (self->movie != NULL)
    {
      json_object_set_boolean_member (body, "active", gtk_switch_get_active (self->active_switch));
      path = g_strdup_printf ("/movies/%" G_GINT64_FORMAT,
                              json_object_get_int_member (self->movie, "id"));
    }

  show_error (self, NULL);
  self->cancellable = g_cancellable_new ();
  on_changed_cb (self);
  gt_client_call_async (self->client, self->movie ? "PATCH" : "POST", path ? path : "/movies", body,
                        NULL, self->cancellable, on_saved_cb, g_object_ref (self));
}

static void
gt_movie_dialog_dispose (GObject *object)
{
  GtMovieDialog *self = (GtMovieDialog *) object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (gt_movie_dialog_parent_class)->dispose (object);
}

static void
gt_movie_dialog_finalize (GObject *object)
{
  GtMovieDialog *self = (GtMovieDialog *) object;

  g_clear_pointer (&self->movie, json_object_unref);

  G_OBJECT_CLASS (gt_movie_dialog_parent_class)->finalize (object);
}

static void
gt_movie_dialog_class_init (GtMovieDialogClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gt_movie_dialog_dispose;
  object_class->finalize = gt_movie_dialog_finalize;

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/id/goticket/GoTicket/ui/gt-movie-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, GtMovieDialog, title_row);
  gtk_widget_class_bind_template_child (widget_class, GtMovieDialog, synopsis_row);
  gtk_widget_class_bind_template_child (widget_class, GtMovieDialog, duration_spin);
  gtk_widget_class_bind_template_child (widget_class, GtMovieDialog, rating_row);
  gtk_widget_class_bind_template_child (widget_class, GtMovieDialog, genres_row);
  gtk_widget_class_bind_template_child (widget_class, GtMovieDialog, active_row);
  gtk_widget_class_bind_template_child (widget_class, GtMovieDialog, active_switch);
  gtk_widget_class_bind_template_child (widget_class, GtMovieDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);

  gtk_widget_class_install_action (widget_class, "movie.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "movie.save",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
gt_movie_dialog_init (GtMovieDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "movie.save", FALSE);
}

GtMovieDialog *
gt_movie_dialog_new (GtClient *client, JsonObject *movie)
{
  GtMovieDialog *self;

  g_return_val_if_fail (GT_IS_CLIENT (client), NULL);

  self = g_object_new (GT_TYPE_MOVIE_DIALOG, NULL);
  self->client = g_object_ref (client);
  gtk_widget_set_visible (self->active_row, movie != NULL);
  if (movie != NULL)
    {
      JsonArray *genres = json_object_get_array_member (movie, "genres");
      g_autoptr (GString) text = g_string_new (NULL);

      self->movie = json_object_ref (movie);
      gtk_window_set_title (GTK_WINDOW (self), _ ("Edit Movie"));
      gtk_editable_set_text (GTK_EDITABLE (self->title_row),
                             json_object_get_string_member_with_default (movie, "title", ""));
      gtk_editable_set_text (GTK_EDITABLE (self->synopsis_row),
                             json_object_get_string_member_with_default (movie, "synopsis", ""));
      gtk_spin_button_set_value (self->duration_spin,
                                 json_object_get_int_member_with_default (movie, "duration_minutes",
                                                                          100));
      gtk_editable_set_text (GTK_EDITABLE (self->rating_row),
                             json_object_get_string_member_with_default (movie, "rating", ""));
      for (guint i = 0; genres && i < json_array_get_length (genres); i++)
        g_string_append_printf (text, "%s%s", i ? ", " : "",
                                json_array_get_string_element (genres, i));
      gtk_editable_set_text (GTK_EDITABLE (self->genres_row), text->str);
      gtk_switch_set_active (self->active_switch,
                             json_object_get_boolean_member_with_default (movie, "active", TRUE));
    }
  else
    gtk_window_set_title (GTK_WINDOW (self), _ ("Add Movie"));
  return self;
}

void
gt_movie_dialog_fill (GtMovieDialog *self,
                      const char    *title,
                      guint          duration_minutes,
                      const char    *rating,
                      const char    *genres)
{
  g_return_if_fail (GT_IS_MOVIE_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->title_row), title);
  gtk_spin_button_set_value (self->duration_spin, duration_minutes);
  gtk_editable_set_text (GTK_EDITABLE (self->rating_row), rating);
  gtk_editable_set_text (GTK_EDITABLE (self->genres_row), genres);
}

void
gt_movie_dialog_save (GtMovieDialog *self)
{
  g_return_if_fail (GT_IS_MOVIE_DIALOG (self));
  gtk_widget_activate_action (GTK_WIDGET (self), "movie.save", NULL);
}
