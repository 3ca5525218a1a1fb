/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-movie-row"

#include "config.h"

#include "gt-widget-util.h"
#include <glib/gi18n.h>

#include "gt-format.h"
#include "gt-json.h"
#include "gt-movie-row.h"
#include "gt-poster.h"

struct _GtMovieRow
{
  GtkWidget parent_instance;

  GtkLabel   *title_label;
  GtkLabel   *meta_label;
  GtkFlowBox *showtimes;
  GtkStack   *poster_stack;
  GtkPicture *poster;

  GtReplica    *replica;
  GCancellable *poster_cancellable;
  char         *poster_url; /* the one shown or being loaded */
  gint64        movie_id;
  gboolean      poster_loading;
};

G_DEFINE_FINAL_TYPE (GtMovieRow, gt_movie_row, GTK_TYPE_WIDGET)

enum
{
  SHOWTIME_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkWidget *
make_showtime_child (JsonObject *showtime, const char *timezone, gint64 now)
{
  GtkWidget       *child = gtk_flow_box_child_new ();
  GtkWidget       *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget       *time_label;
  GtkWidget       *room_label;
  GtkWidget       *seats_label;
  GtkWidget       *level;
  g_autofree char *time = NULL;
  g_autofree char *seats = NULL;
  g_autofree char *tooltip = NULL;
  gint64           total = json_object_get_int_member_with_default (showtime, "seats_total", 0);
  gint64           free_seats = json_object_get_int_member_with_default (showtime, "seats_free", 0);
  gint64           starts = 0;
  gboolean         started;

  gt_time_parse (json_object_get_string_member (showtime, "starts_at"), &starts);
  started = starts <= now;
  time = gt_format_time (json_object_get_string_member (showtime, "starts_at"), timezone, "%H:%M");

  time_label = gtk_label_new (time);
  gtk_widget_add_css_class (time_label, "title-3");
  room_label = gtk_label_new (
    json_object_get_string_member_with_default (showtime, "auditorium_name", ""));
  gtk_widget_add_css_class (room_label, "dim-label");
  gtk_widget_add_css_class (room_label, "caption");

  if (started)
    seats = g_strdup (_ ("Started"));
  else if (free_seats == 0)
    seats = g_strdup (_ ("Sold out"));
  else
    seats = g_strdup_printf (_ ("%d of %d free"), (int) free_seats, (int) total);
  seats_label = gtk_label_new (seats);
  gtk_widget_add_css_class (seats_label, "caption");

  level = gtk_level_bar_new_for_interval (0, MAX (1, total));
  gtk_level_bar_set_value (GTK_LEVEL_BAR (level), (double) (total - free_seats));
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (level), GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (level), GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (level), GTK_LEVEL_BAR_OFFSET_FULL);
  gtk_widget_add_css_class (level, "gt-fullness");

  gtk_box_append (GTK_BOX (box), time_label);
  gtk_box_append (GTK_BOX (box), room_label);
  gtk_box_append (GTK_BOX (box), level);
  gtk_box_append (GTK_BOX (box), seats_label);
  gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (child), box);
  gtk_widget_add_css_class (child, "gt-showtime");
  if (started)
    gtk_widget_add_css_class (child, "gt-started");

  tooltip = g_strdup_printf ("%s · %s · %s", time,
                             json_object_get_string_member_with_default (showtime,
                                                                         "auditorium_name", ""),
                             seats);
  gtk_widget_set_tooltip_text (child, tooltip);
  gtk_widget_set_sensitive (child, !started && free_seats > 0);
  /* Enter and Space open the focused showtime, however it got the focus
   * (the flow box only does so for its own keyboard cursor). */
  {
    GtkEventController *keys = gtk_shortcut_controller_new ();

    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (keys),
      gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("Return|KP_Enter|space"),
                        g_object_ref (gtk_activate_action_get ())));
    gtk_widget_add_controller (child, keys);
  }
  g_object_set_data_full (G_OBJECT (child), "showtime", json_object_ref (showtime),
                          (GDestroyNotify) json_object_unref);
  return child;
}

static void
show_poster (GtMovieRow *self, GdkTexture *texture)
{
  gtk_picture_set_paintable (self->poster, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->poster_stack, texture ? "poster" : "placeholder");
}

static void
on_poster_texture_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtMovieRow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GdkTexture) texture = gt_poster_texture_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->poster_loading = FALSE;
  if (texture == NULL)
    {
      g_debug ("Cannot show the poster %s: %s", self->poster_url, error->message);
      return;
    }
  gt_poster_remember (self->poster_url, texture);
  show_poster (self, texture);
}

static void
on_poster_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtMovieRow) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = gt_replica_get_poster_finish (GT_REPLICA (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (bytes == NULL)
    {
      self->poster_loading = FALSE;
      if (error != NULL)
        g_debug ("No poster %s: %s", self->poster_url, error->message);
      return;
    }
  gt_poster_texture_async (bytes, self->poster_cancellable, on_poster_texture_cb,
                           g_object_ref (self));
}

/* Shows the placeholder at once, and the poster when it is there: from
 * memory, else from the replica's store or the server, decoded off the
 * main thread. */
static void
load_poster (GtMovieRow *self, JsonObject *movie)
{
  const char *url = movie ? json_object_get_string_member_with_default (movie, "poster", NULL)
                          : NULL;
  GdkTexture *texture;

  /* Bound again to the same poster (the schedule refreshes often): keep
   * it, or let its load go on; one that failed is tried again. */
  if (url != NULL && g_strcmp0 (url, self->poster_url) == 0
      && (self->poster_loading || gt_movie_row_get_poster (self) != NULL))
    return;
  g_cancellable_cancel (self->poster_cancellable);
  g_clear_object (&self->poster_cancellable);
  self->poster_loading = FALSE;
  g_free (self->poster_url);
  self->poster_url = g_strdup (url);

  texture = gt_poster_lookup (url);
  if (url == NULL || texture != NULL || self->replica == NULL)
    {
      show_poster (self, texture);
      return;
    }
  show_poster (self, NULL);
  self->poster_loading = TRUE;
  self->poster_cancellable = g_cancellable_new ();
  gt_replica_get_poster_async (self->replica, movie, self->poster_cancellable, on_poster_loaded_cb,
                               g_object_ref (self));
}

static void
on_child_activated_cb (GtMovieRow *self, GtkFlowBoxChild *child, GtkFlowBox *box)
{
  JsonObject *showtime = g_object_get_data (G_OBJECT (child), "showtime");

  if (showtime != NULL && gtk_widget_get_sensitive (GTK_WIDGET (child)))
    g_signal_emit (self, signals[SHOWTIME_ACTIVATED], 0, showtime);
}

static void
gt_movie_row_dispose (GObject *object)
{
  GtMovieRow *self = GT_MOVIE_ROW (object);

  g_cancellable_cancel (self->poster_cancellable);
  g_clear_object (&self->poster_cancellable);
  g_clear_object (&self->replica);
  gtk_widget_dispose_template (GTK_WIDGET (object), GT_TYPE_MOVIE_ROW);
  gt_widget_unparent_children (GTK_WIDGET (object));
  G_OBJECT_CLASS (gt_movie_row_parent_class)->dispose (object);
}

static void
gt_movie_row_finalize (GObject *object)
{
  g_free (GT_MOVIE_ROW (object)->poster_url);
  G_OBJECT_CLASS (gt_movie_row_parent_class)->finalize (object);
}

static void
gt_movie_row_class_init (GtMovieRowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gt_movie_row_dispose;
  object_class->finalize = gt_movie_row_finalize;

  signals[SHOWTIME_ACTIVATED] = g_signal_new ("showtime-activated", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                              1, JSON_TYPE_OBJECT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/id/goticket/GoTicket/ui/gt-movie-row.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, GtMovieRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, GtMovieRow, meta_label);
  gtk_widget_class_bind_template_child (widget_class, GtMovieRow, showtimes);
  gtk_widget_class_bind_template_child (widget_class, GtMovieRow, poster_stack);
  gtk_widget_class_bind_template_child (widget_class, GtMovieRow, poster);
  gtk_widget_class_bind_template_callback (widget_class, on_child_activated_cb);
}

static void
gt_movie_row_init (GtMovieRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
gt_movie_row_new (void)
{
  return g_object_new (GT_TYPE_MOVIE_ROW, NULL);
}

void
gt_movie_row_set_item (GtMovieRow *self, GtMovieItem *item, const char *timezone, gint64 now)
{
  JsonObject *movie;
  JsonArray  *showtimes;
  JsonArray  *genres;
  GtkWidget  *child;
  g_autoptr (GString) meta = g_string_new (NULL);

  g_return_if_fail (GT_IS_MOVIE_ROW (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->showtimes))) != NULL)
    gtk_flow_box_remove (self->showtimes, child);
  if (item == NULL)
    {
      self->movie_id = 0;
      load_poster (self, NULL);
      return;
    }

  movie = gt_movie_item_get_movie (item);
  self->movie_id = json_object_get_int_member_with_default (movie, "id", 0);
  load_poster (self, movie);
  gtk_label_set_label (self->title_label,
                       json_object_get_string_member_with_default (movie, "title", ""));

  if (json_object_get_string_member_with_default (movie, "rating", "")[0] != '\0')
    g_string_append_printf (meta, "%s · ", json_object_get_string_member (movie, "rating"));
  g_string_append_printf (meta, _ ("%d min"),
                          (int) json_object_get_int_member_with_default (movie, "duration_minutes",
                                                                         0));
  genres = json_object_get_array_member (movie, "genres");
  for (guint i = 0; genres != NULL && i < json_array_get_length (genres); i++)
    g_string_append_printf (meta, "%s%s", i == 0 ? " · " : ", ",
                            json_array_get_string_element (genres, i));
  gtk_label_set_label (self->meta_label, meta->str);

  showtimes = gt_movie_item_get_showtimes (item);
  for (guint i = 0; i < json_array_get_length (showtimes); i++)
    gtk_flow_box_append (self->showtimes,
                         make_showtime_child (json_array_get_object_element (showtimes, i),
                                              timezone, now));
}

void
gt_movie_row_set_replica (GtMovieRow *self, GtReplica *replica)
{
  g_return_if_fail (GT_IS_MOVIE_ROW (self));
  g_return_if_fail (!replica || GT_IS_REPLICA (replica));

  g_set_object (&self->replica, replica);
}

GtkPicture *
gt_movie_row_get_poster (GtMovieRow *self)
{
  g_return_val_if_fail (GT_IS_MOVIE_ROW (self), NULL);

  return gtk_stack_get_visible_child (self->poster_stack) == GTK_WIDGET (self->poster)
           ? self->poster
           : NULL;
}

gint64
gt_movie_row_get_movie_id (GtMovieRow *self)
{
  g_return_val_if_fail (GT_IS_MOVIE_ROW (self), 0);

  return self->movie_id;
}
