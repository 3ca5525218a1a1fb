/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-movie-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "gt-movie-dialog.h"
#include "gt-poster.h"
#include "gt-posters.h"

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
  GtkStack      *poster_stack;
  GtkPicture    *poster_picture;

  /* The poster: the one chosen here, to upload on save (NULL: removed),
   * once poster_changed. */
  GBytes               *poster;
  gboolean              poster_changed;
  GCancellable         *poster_cancellable;
  GtkFileChooserNative *chooser;
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
save_failed (GtMovieDialog *self, const GError *error)
{
  g_clear_object (&self->cancellable);
  on_changed_cb (self);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, gt_client_error_is_network (error)
                        ? _ ("The server does not answer: nothing was saved. Try again when "
                             "it is back.")
                        : error->message);
}

static void
saved (GtMovieDialog *self, JsonObject *movie)
{
  g_clear_object (&self->cancellable);
  on_changed_cb (self);
  g_signal_emit (self, signals[SAVED], 0, movie);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_poster_saved_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtMovieDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = NULL;

  if (self->poster != NULL)
    answer = gt_client_put_bytes_finish (GT_CLIENT (object), result, &error);
  else
    answer = gt_client_call_finish (GT_CLIENT (object), result, &error);
  if (error != NULL)
    {
      save_failed (self, error);
      return;
    }
  self->poster_changed = FALSE;
  if (answer == NULL)
    json_object_set_null_member (self->movie, "poster");
  saved (self, answer ? answer : self->movie);
}

static void
on_saved_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtMovieDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) movie = gt_client_call_finish (GT_CLIENT (object), result, &error);
  g_autofree char *path = NULL;

  if (movie == NULL)
    {
      save_failed (self, error);
      return;
    }
  /* From now on the movie exists: trying again edits it, never adds a second. */
  g_clear_pointer (&self->movie, json_object_unref);
  self->movie = json_object_ref (movie);
  if (!self->poster_changed
      || (self->poster == NULL && json_object_get_null_member (movie, "poster")))
    {
      saved (self, movie);
      return;
    }

  /* The poster goes after the movie, so that a new movie has its id. */
  path = g_strdup_printf ("/movies/%" G_GINT64_FORMAT "/poster",
                          json_object_get_int_member (movie, "id"));
  if (self->poster != NULL)
    gt_client_put_bytes_async (self->client, path,
                               gt_poster_sniff (g_bytes_get_data (self->poster, NULL),
                                                g_bytes_get_size (self->poster)),
                               self->poster, self->cancellable, on_poster_saved_cb,
                               g_object_ref (self));
  else
    gt_client_call_async (self->client, "DELETE", path, NULL, NULL, self->cancellable,
                          on_poster_saved_cb, g_object_ref (self));
}

static void
on_poster_texture_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtMovieDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = gt_poster_texture_finish (result, &error);

  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, _ ("This image cannot be shown"));
      return;
    }
  gtk_picture_set_paintable (self->poster_picture, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->poster_stack, "poster");
}

static void
show_poster (GtMovieDialog *self, GBytes *bytes)
{
  g_cancellable_cancel (self->poster_cancellable);
  g_clear_object (&self->poster_cancellable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "movie.remove-poster", bytes != NULL);
  gtk_picture_set_paintable (self->poster_picture, NULL);
  gtk_stack_set_visible_child_name (self->poster_stack, "placeholder");
  if (bytes == NULL)
    return;
  self->poster_cancellable = g_cancellable_new ();
  gt_poster_texture_async (bytes, self->poster_cancellable, on_poster_texture_cb,
                           g_object_ref (self));
}

static void
on_current_poster_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtMovieDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = gt_client_get_bytes_finish (GT_CLIENT (object), result, &error);

  /* A poster chosen meanwhile wins over the one being fetched. */
  if (bytes != NULL && !self->poster_changed)
    show_poster (self, bytes);
}

static gboolean
take_poster (GtMovieDialog *self, GBytes *bytes)
{
  if (g_bytes_get_size (bytes) > GT_POSTER_MAX_BYTES)
    {
      show_error (self, _ ("This image is too large: a poster is at most 2 MB"));
      return FALSE;
    }
  if (gt_poster_sniff (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)) == NULL)
    {
      show_error (self, _ ("A poster is a PNG or JPEG image"));
      return FALSE;
    }
  show_error (self, NULL);
  g_clear_pointer (&self->poster, g_bytes_unref);
  self->poster = g_bytes_ref (bytes);
  self->poster_changed = TRUE;
  show_poster (self, bytes);
  return TRUE;
}

static void
on_file_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtMovieDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error);

  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }
  take_poster (self, bytes);
}

static void
on_chooser_response_cb (GtMovieDialog *self, int response, GtkNativeDialog *chooser)
{
  g_autoptr (GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT
      && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) != NULL)
    g_file_load_bytes_async (file, NULL, on_file_loaded_cb, g_object_ref (self));
  g_clear_object (&self->chooser);
}

static void
choose_poster_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtMovieDialog *self = GT_MOVIE_DIALOG (widget);
  GtkFileFilter *filter;

  if (self->chooser != NULL)
    return;
  self->chooser = gtk_file_chooser_native_new (_ ("Choose a Poster"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Choose"),
                                               _ ("_Cancel"));
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _ ("PNG and JPEG images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_object_unref (filter);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
remove_poster_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtMovieDialog *self = GT_MOVIE_DIALOG (widget);

  g_clear_pointer (&self->poster, g_bytes_unref);
  self->poster_changed = TRUE;
  show_poster (self, NULL);
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
  g_cancellable_cancel (self->poster_cancellable);
  g_clear_object (&self->poster_cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (gt_movie_dialog_parent_class)->dispose (object);
}

static void
gt_movie_dialog_finalize (GObject *object)
{
  GtMovieDialog *self = (GtMovieDialog *) object;

  g_clear_pointer (&self->movie, json_object_unref);
  g_clear_pointer (&self->poster, g_bytes_unref);

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
  gtk_widget_class_bind_template_child (widget_class, GtMovieDialog, poster_stack);
  gtk_widget_class_bind_template_child (widget_class, GtMovieDialog, poster_picture);
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);

  gtk_widget_class_install_action (widget_class, "movie.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "movie.choose-poster", NULL, choose_poster_action);
  gtk_widget_class_install_action (widget_class, "movie.remove-poster", NULL, remove_poster_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "movie.save",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
gt_movie_dialog_init (GtMovieDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "movie.save", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "movie.remove-poster", FALSE);
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
      if (json_object_get_string_member_with_default (movie, "poster", NULL) != NULL)
        {
          self->poster_cancellable = g_cancellable_new ();
          gt_client_get_bytes_async (client,
                                     json_object_get_string_member (movie, "poster")
                                       + strlen ("/api/v1"),
                                     self->poster_cancellable, on_current_poster_cb,
                                     g_object_ref (self));
        }
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

gboolean
gt_movie_dialog_set_poster (GtMovieDialog *self, GBytes *poster)
{
  g_return_val_if_fail (GT_IS_MOVIE_DIALOG (self), FALSE);

  if (poster == NULL)
    {
      remove_poster_action (GTK_WIDGET (self), NULL, NULL);
      return TRUE;
    }
  return take_poster (self, poster);
}

void
gt_movie_dialog_save (GtMovieDialog *self)
{
  g_return_if_fail (GT_IS_MOVIE_DIALOG (self));
  gtk_widget_activate_action (GTK_WIDGET (self), "movie.save", NULL);
}
