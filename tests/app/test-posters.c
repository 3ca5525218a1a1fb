/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-posters"

#include "config.h"

#include "gt-app-fixture.h"
#include "gt-movie-dialog.h"
#include "gt-movie-row.h"
#include "gt-poster.h"

/* A manager gives a movie a poster; the cashier's schedule shows it next to
 * the movie, and the counter keeps it: once fetched, it shows from the
 * counter's own store even where the server cannot give it any more. */

typedef struct
{
  GtkWidget *root;
  gint64     movie_id;
} RowWait;

static GtMovieRow *
find_row (GtkWidget *widget, gint64 movie_id)
{
  if (GT_IS_MOVIE_ROW (widget)
      && (movie_id == 0 ? gt_movie_row_get_movie_id (GT_MOVIE_ROW (widget)) != 0
                        : gt_movie_row_get_movie_id (GT_MOVIE_ROW (widget)) == movie_id))
    return GT_MOVIE_ROW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtMovieRow *row = find_row (child, movie_id);

      if (row != NULL)
        return row;
    }
  return NULL;
}

/* Whether @row shows a poster decoded at the thumbnail size. */
static gboolean
row_shows_poster (GtMovieRow *row)
{
  GtkPicture   *picture = row ? gt_movie_row_get_poster (row) : NULL;
  GdkPaintable *paintable = picture ? gtk_picture_get_paintable (picture) : NULL;

  /* Decoded sharp for HiDPI, shown in the 64 × 96 frame. */
  return paintable != NULL && gdk_paintable_get_intrinsic_width (paintable) == 128
         && gdk_paintable_get_intrinsic_height (paintable) == 192
         && (!gtk_widget_get_mapped (GTK_WIDGET (picture))
             || (gtk_widget_get_width (GTK_WIDGET (picture)) == 64
                 && gtk_widget_get_height (GTK_WIDGET (picture)) == 96));
}

static gboolean
schedule_shows_poster (gpointer data)
{
  RowWait *wait = data;

  return row_shows_poster (find_row (wait->root, wait->movie_id));
}

static gboolean
has_showtimes (gpointer data)
{
  JsonArray *showtimes = gt_schedule_page_get_showtimes (data);

  return showtimes != NULL && json_array_get_length (showtimes) > 0;
}

static gboolean
schedule_has_row (gpointer data)
{
  return find_row (data, 0) != NULL;
}

static gboolean
schedule_shows_placeholder (gpointer data)
{
  RowWait    *wait = data;
  GtMovieRow *row = find_row (wait->root, wait->movie_id);

  return row != NULL && gt_movie_row_get_poster (row) == NULL;
}

static gboolean
shows_poster (gpointer data)
{
  return row_shows_poster (data);
}

static gboolean
time_passed (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

static void
maybe_screenshot (GtAppFixture *fixture, const char *name)
{
  const char *dir = g_getenv ("GT_TEST_SCREENSHOT_DIR");

  if (dir != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      gint64           until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

      /* Let transitions end: only for pictures, never for what is tested. */
      gt_app_wait ("the page to settle", time_passed, &until, 5);
      gt_app_save_screenshot (fixture, path);
    }
}

/* Renders @widget (a dialog: not the fixture's window) to a PNG. */
static void
maybe_screenshot_widget (GtkWidget *widget, const char *name)
{
  const char *dir = g_getenv ("GT_TEST_SCREENSHOT_DIR");
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GtkSnapshot) snapshot = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  gint64           until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  int              width;
  int              height;

  if (dir == NULL)
    return;
  gt_app_wait ("the dialog to settle", time_passed, &until, 5);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* A 200 × 300 poster: a blue field with a lighter band, as a PNG. */
static GBytes *
make_poster (void)
{
  g_autoptr (GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 200, 300);
  g_autoptr (GdkPixbuf) band = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 200, 60);
  g_autoptr (GError) error = NULL;
  char *data = NULL;
  gsize len = 0;

  gdk_pixbuf_fill (pixbuf, 0x1c71d8ff);
  gdk_pixbuf_fill (band, 0xf6d32dff);
  gdk_pixbuf_copy_area (band, 0, 0, 200, 60, pixbuf, 0, 200);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &data, &len, "png", &error, NULL));
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

static void
on_result_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static JsonObject *
put_poster (GtClient *client, gint64 movie_id, GBytes *png)
{
  g_autofree char *path = g_strdup_printf ("/movies/%" G_GINT64_FORMAT "/poster", movie_id);
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  JsonObject *movie;

  gt_client_put_bytes_async (client, path, "image/png", png, NULL, on_result_cb, &result);
  gt_app_wait ("the poster upload", has_result, &result, 30);
  movie = gt_client_put_bytes_finish (client, result, &error);
  g_assert_no_error (error);
  return movie;
}

static GBytes *
replica_poster (GtReplica *replica, JsonObject *movie)
{
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  GBytes *bytes;

  gt_replica_get_poster_async (replica, movie, NULL, on_result_cb, &result);
  gt_app_wait ("the poster from the counter", has_result, &result, 30);
  bytes = gt_replica_get_poster_finish (replica, result, &error);
  g_assert_no_error (error);
  return bytes;
}

static void
on_dialog_saved_cb (GtMovieDialog *dialog, JsonObject *movie, gpointer user_data)
{
  *(JsonObject **) user_data = json_object_ref (movie);
}

static gboolean
has_movie (gpointer data)
{
  return *(JsonObject **) data != NULL;
}

/* The manager adds a movie with its poster in one go: the poster goes up
 * once the movie has an id. */
static void
add_movie_with_poster (GtClient *manager, GBytes *png)
{
  g_autoptr (GBytes) garbage = g_bytes_new_static ("GIF89a", 6);
  g_autoptr (JsonObject) movie = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) fetched = NULL;
  GtMovieDialog *dialog = gt_movie_dialog_new (manager, NULL);
  const char    *url;

  g_signal_connect (dialog, "saved", G_CALLBACK (on_dialog_saved_cb), &movie);
  gtk_window_present (GTK_WINDOW (dialog));
  gt_movie_dialog_fill (dialog, "Poster Premiere", 101, "13+", "Drama");
  g_assert_false (gt_movie_dialog_set_poster (dialog, garbage));
  g_assert_true (gt_movie_dialog_set_poster (dialog, png));
  maybe_screenshot_widget (GTK_WIDGET (dialog), "movie-dialog-poster.png");
  gt_movie_dialog_save (dialog);
  gt_app_wait ("the movie to be saved", has_movie, &movie, 30);

  url = json_object_get_string_member_with_default (movie, "poster", NULL);
  g_assert_nonnull (url);
  gt_client_get_bytes_async (manager, url + strlen ("/api/v1"), NULL, on_result_cb, &result);
  gt_app_wait ("the new poster", has_result, &result, 30);
  fetched = gt_client_get_bytes_finish (manager, result, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (fetched, png));
}

static void
test_posters (void)
{
  g_autoptr (GtClient) manager = NULL;
  g_autoptr (GBytes) png = make_poster ();
  g_autoptr (GBytes) kept = NULL;
  g_autoptr (JsonObject) saved = NULL;
  g_autoptr (JsonObject) answer = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GtMovieItem) item = NULL;
  g_autofree char *delete_path = NULL;
  GtAppFixture     fixture = { 0 };
  GtSchedulePage  *schedule;
  GtReplica       *replica;
  GtMovieRow      *row;
  GtkWidget       *fresh;
  RowWait          wait;
  gint64           movie_id;

  gt_app_fixture_start (&fixture, 300, TRUE);
  gt_app_sign_in (&fixture, "cashier");
  schedule = _gt_window_get_schedule_page (fixture.window);
  replica = gt_application_get_replica (fixture.app);

  /* Before: the movie shows a placeholder, not a gap. */
  /* Late in the evening: tomorrow has shows. */
  if (json_array_get_length (gt_schedule_page_get_showtimes (schedule)) == 0)
    {
      gtk_widget_activate_action (GTK_WIDGET (schedule), "schedule.day", "i", 1);
      gt_app_wait ("tomorrow's showtimes", has_showtimes, schedule, 30);
    }
  gt_app_wait ("a movie in the schedule", schedule_has_row, schedule, 30);
  row = find_row (GTK_WIDGET (schedule), 0);
  movie_id = gt_movie_row_get_movie_id (row);
  g_assert_null (gt_movie_row_get_poster (row));

  /* A manager, at another desk, gives that movie a poster. */
  manager = gt_app_signed_in_client (&fixture, "manager");
  saved = put_poster (manager, movie_id, png);
  g_assert_nonnull (json_object_get_string_member (saved, "poster"));

  add_movie_with_poster (manager, png);

  /* The cashier's schedule shows it, at the thumbnail size. */
  wait = (RowWait){ GTK_WIDGET (schedule), movie_id };
  gt_app_wait ("the poster in the schedule", schedule_shows_poster, &wait, 30);
  maybe_screenshot (&fixture, "schedule-posters.png");

  /* The counter keeps what it fetched. The server forgets the poster
   * (its URL answers 404 from now on); the counter still has it. */
  delete_path = g_strdup_printf ("/movies/%" G_GINT64_FORMAT "/poster", movie_id);
  answer = gt_app_call (manager, "DELETE", delete_path, NULL, &error);
  g_assert_no_error (error);
  kept = replica_poster (replica, saved);
  g_assert_nonnull (kept);
  g_assert_true (g_bytes_equal (kept, png));

  /* A row that never saw it shows it from the store alone. */
  gt_poster_forget_all ();
  item = gt_movie_item_new (saved);
  fresh = g_object_ref_sink (gt_movie_row_new ());
  gt_movie_row_set_replica (GT_MOVIE_ROW (fresh), replica);
  gt_movie_row_set_item (GT_MOVIE_ROW (fresh), item, "Asia/Jakarta", g_get_real_time ());
  gt_app_wait ("the poster from the store", shows_poster, fresh, 30);
  g_assert_finalize_object (fresh);

  /* The schedule itself follows the server: the placeholder is back. */
  gt_app_wait ("the placeholder in the schedule", schedule_shows_placeholder, &wait, 30);
  gt_app_fixture_stop (&fixture);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/posters/schedule-and-store", test_posters);
  return g_test_run ();
}
