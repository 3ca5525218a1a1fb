/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-app-test"

#include "config.h"

#include <glib/gstdio.h>

#include "gt-app-fixture.h"
#include "gt-json.h"

typedef struct
{
  gboolean    done;
  JsonObject *answer;
  GError     *error;
} CallResult;

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
gt_app_wait (const char *what, gboolean (*condition) (gpointer data), gpointer data, guint seconds)
{
  gboolean timed_out = FALSE;
  guint    id = g_timeout_add_seconds (seconds, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Timed out after %u s waiting for %s", seconds, what);
  g_source_remove (id);
}

typedef struct
{
  GtAppFixture *fixture;
  const char   *page;
} PageWait;

static gboolean
page_is (gpointer data)
{
  PageWait *wait = data;

  return wait->fixture->window != NULL
         && g_strcmp0 (gt_window_get_page (wait->fixture->window), wait->page) == 0;
}

void
gt_app_wait_page (GtAppFixture *fixture, const char *page)
{
  PageWait         wait = { fixture, page };
  g_autofree char *what = g_strdup_printf ("the %s page", page);

  gt_app_wait (what, page_is, &wait, 30);
}

static void
start (GtAppFixture *fixture, const char *server_url, guint hold_seconds, gboolean demo)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *db = NULL;
  GList           *windows;

  fixture->dir = g_dir_make_tmp ("go-ticket-app-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (fixture->dir, "central.db", NULL);

  fixture->app = gt_application_new ();
  if (server_url != NULL)
    _gt_application_set_server_url (fixture->app, server_url);
  else
    _gt_application_set_options (fixture->app, db, hold_seconds, demo);
  g_application_register (G_APPLICATION (fixture->app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (fixture->app));

  windows = gtk_application_get_windows (GTK_APPLICATION (fixture->app));
  g_assert_nonnull (windows);
  fixture->window = g_object_ref (GT_WINDOW (windows->data));
  gt_app_wait_page (fixture, demo || server_url ? "login" : "first-run");
}

void
gt_app_fixture_start (GtAppFixture *fixture, guint hold_seconds, gboolean demo)
{
  start (fixture, NULL, hold_seconds, demo);
}

void
gt_app_fixture_start_on_server (GtAppFixture *fixture, const char *url)
{
  start (fixture, url, 0, FALSE);
}

void
gt_app_fixture_stop (GtAppFixture *fixture)
{
  g_autofree char *db = g_build_filename (fixture->dir, "central.db", NULL);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->window);
  /* As quitting does: the embedded server stops and closes its database. */
  _gt_application_stop_server (fixture->app);
  g_clear_object (&fixture->app);

  g_unlink (wal);
  g_unlink (shm);
  g_unlink (db);
  g_rmdir (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
}

static gboolean
schedule_loaded (gpointer data)
{
  GtAppFixture *fixture = data;

  return gt_schedule_page_get_showtimes (_gt_window_get_schedule_page (fixture->window)) != NULL;
}

static gboolean
replica_online (gpointer data)
{
  return gt_replica_get_connection (data) == GT_CONNECTION_ONLINE;
}

void
gt_app_sign_in (GtAppFixture *fixture, const char *user)
{
  gt_login_page_sign_in (_gt_window_get_login_page (fixture->window), user, user);
  gt_app_wait_page (fixture, "schedule");
  /* As the header says "Online": the counter's store is in step. */
  gt_app_wait ("the counter to be online", replica_online,
               gt_application_get_replica (fixture->app), 30);
  gt_app_wait ("the showtimes", schedule_loaded, fixture, 30);
}

static gboolean
seat_map_loaded (gpointer data)
{
  GtAppFixture *fixture = data;

  return gt_seat_map_get_n_seats (
           gt_sale_page_get_seat_map (_gt_window_get_sale_page (fixture->window)))
         > 0;
}

JsonObject *
gt_app_open_showtime (GtAppFixture *fixture)
{
  GtSchedulePage *schedule = _gt_window_get_schedule_page (fixture->window);
  JsonArray      *showtimes = gt_schedule_page_get_showtimes (schedule);
  gint64          now = g_get_real_time ();
  JsonObject     *chosen = NULL;

  for (guint i = 0; chosen == NULL && i < json_array_get_length (showtimes); i++)
    {
      JsonObject *showtime = json_array_get_object_element (showtimes, i);
      gint64      starts = 0;

      gt_time_parse (json_object_get_string_member (showtime, "starts_at"), &starts);
      /* Well ahead, so the showtime does not start during the test. */
      if (starts > now + 10 * G_TIME_SPAN_MINUTE
          && json_object_get_int_member (showtime, "seats_free") >= 10)
        chosen = showtime;
    }
  if (chosen == NULL)
    {
      /* Late in the evening: tomorrow has shows. */
      gtk_widget_activate_action (GTK_WIDGET (schedule), "schedule.day", "i", 1);
      gt_app_wait ("tomorrow's showtimes", schedule_loaded, fixture, 30);
      showtimes = gt_schedule_page_get_showtimes (schedule);
      chosen = json_array_get_object_element (showtimes, 0);
    }
  g_assert_nonnull (chosen);
  chosen = json_object_ref (chosen);

  g_assert_true (
    gt_schedule_page_activate_showtime (schedule, json_object_get_int_member (chosen, "id")));
  gt_app_wait_page (fixture, "sale");
  gt_app_wait ("the seat map", seat_map_loaded, fixture, 30);
  return chosen;
}

typedef struct
{
  GtSalePage *page;
  guint       n;
} HoldWait;

static gboolean
hold_has (gpointer data)
{
  HoldWait   *wait = data;
  JsonObject *hold = gt_sale_page_get_hold (wait->page);

  return hold != NULL
         && json_array_get_length (json_object_get_array_member (hold, "seats")) == wait->n;
}

void
gt_app_wait_hold (GtAppFixture *fixture, guint n_seats)
{
  HoldWait         wait = { _gt_window_get_sale_page (fixture->window), n_seats };
  g_autofree char *what = g_strdup_printf ("a hold of %u seats", n_seats);

  gt_app_wait (what, hold_has, &wait, 30);
}

GStrv
gt_app_free_seats (GtAppFixture *fixture, guint n)
{
  GtSeatMap *map = gt_sale_page_get_seat_map (_gt_window_get_sale_page (fixture->window));
  g_auto (GStrv) free_seats = gt_seat_map_dup_seats_in_state (map, GT_SEAT_STATE_FREE);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();
  guint found = 0;

  for (guint i = 0; free_seats[i] != NULL && found < n; i++)
    if (gt_seat_map_get_seat_type (map, free_seats[i]) == GT_SEAT_TYPE_STANDARD)
      {
        g_strv_builder_add (builder, free_seats[i]);
        found++;
      }
  g_assert_cmpuint (found, ==, n);
  return g_strv_builder_end (builder);
}

static gboolean
time_passed (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

static gboolean
transition_running (GtkWidget *widget)
{
  if (GTK_IS_STACK (widget) && gtk_stack_get_transition_running (GTK_STACK (widget)))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (transition_running (child))
      return TRUE;
  return FALSE;
}

void
gt_app_save_screenshot (GtAppFixture *fixture, const char *path)
{
  GtkWidget *widget = GTK_WIDGET (fixture->window);
  g_autoptr (GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr (GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (widget));
  int          width = gtk_widget_get_width (widget);
  int          height = gtk_widget_get_height (widget);

  /* A page cross-fading in shows the one before it through: the fade moves
   * on with the frames, so ask for them until it has ended. */
  for (int attempt = 0; transition_running (widget) && attempt < 100; attempt++)
    {
      gint64 until = g_get_monotonic_time () + 20 * G_TIME_SPAN_MILLISECOND;

      gtk_widget_queue_draw (widget);
      gt_app_wait ("a frame", time_passed, &until, 5);
    }
  g_assert_false (transition_running (widget));

  /* Let layout, styles and pending paints settle first: a page that has just
   * been shown may have no frame yet. */
  for (int attempt = 0; node == NULL && attempt < 50; attempt++)
    {
      gint64 until = g_get_monotonic_time () + 20 * G_TIME_SPAN_MILLISECOND;

      gt_app_wait ("a frame", time_passed, &until, 5);
      g_clear_object (&snapshot);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
on_call_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  CallResult *call = user_data;

  call->answer = gt_client_call_finish (GT_CLIENT (object), result, &call->error);
  call->done = TRUE;
}

static gboolean
call_done (gpointer data)
{
  return ((CallResult *) data)->done;
}

JsonObject *
gt_app_call (GtClient   *client,
             const char *method,
             const char *path,
             const char *body,
             GError    **error)
{
  return gt_app_call_with_key (client, method, path, body, NULL, error);
}

JsonObject *
gt_app_call_with_key (GtClient   *client,
                      const char *method,
                      const char *path,
                      const char *body,
                      const char *idempotency_key,
                      GError    **error)
{
  g_autoptr (JsonNode) node = body ? gt_json_parse (body, -1, NULL) : NULL;
  CallResult call = { 0 };

  gt_client_call_async (client, method, path, node ? json_node_get_object (node) : NULL,
                        idempotency_key, NULL, on_call_cb, &call);
  gt_app_wait (path, call_done, &call, 30);
  if (call.error != NULL)
    g_propagate_error (error, call.error);
  return call.answer;
}

GtClient *
gt_app_signed_in_client (GtAppFixture *fixture, const char *user)
{
  g_autoptr (GError) error = NULL;
  GtClient *client = gt_client_new (
    gt_client_get_base_url (gt_application_get_client (fixture->app)));
  g_autofree char *body =
    g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\",\"counter\":\"Test\"}", user, user);
  g_autoptr (JsonObject) answer = gt_app_call (client, "POST", "/sessions", body, &error);

  g_assert_no_error (error);
  gt_client_set_token (client, json_object_get_string_member (answer, "token"));
  return client;
}

JsonObject *
gt_app_sell (GtClient *client, gint64 showtime_id, const char *seats_json, const char *key)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/holds", showtime_id);
  g_autofree char *body = g_strdup_printf ("{\"seats\":%s}", seats_json);
  g_autoptr (JsonObject) hold = gt_app_call (client, "POST", path, body, &error);
  g_autoptr (GString) sale = g_string_new ("{\"tickets\":[");
  g_autofree char *checkout = NULL;
  JsonArray       *seats;
  JsonObject      *booking;

  g_assert_no_error (error);
  seats = json_object_get_array_member (hold, "seats");
  for (guint i = 0; i < json_array_get_length (seats); i++)
    g_string_append_printf (sale, "%s{\"seat\":\"%s\",\"type\":\"adult\"}", i ? "," : "",
                            json_array_get_string_element (seats, i));
  g_string_append (sale, "],\"payment\":{\"method\":\"card\"}}");
  checkout = g_strdup_printf ("/holds/%" G_GINT64_FORMAT "/checkout",
                              json_object_get_int_member (hold, "id"));
  booking = gt_app_call_with_key (client, "POST", checkout, sale->str, key, &error);
  g_assert_no_error (error);
  return booking;
}

JsonObject *
gt_app_make_big_showtime (GtAppFixture *fixture)
{
  g_autoptr (GString) body = g_string_new ("{\"name\":\"Bench 1000\",\"layout\":{\"rows\":[");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) auditorium = NULL;
  g_autoptr (JsonObject) movies = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autofree char *starts = g_date_time_format (tomorrow, "%Y-%m-%dT03:00:00Z");
  g_autofree char *showtime_body = NULL;
  g_autoptr (GtClient) manager = gt_app_signed_in_client (fixture, "manager");
  JsonObject *showtime;

  for (int r = 0; r < 25; r++)
    {
      g_string_append_printf (body, "%s{\"label\":\"R%02d\",\"seats\":[", r ? "," : "", r + 1);
      for (int n = 1; n <= 40; n++)
        g_string_append_printf (body, "%s{\"number\":%d,\"x\":%d}", n > 1 ? "," : "", n,
                                n - 1 + (n > 20));
      g_string_append (body, "]}");
    }
  g_string_append (body, "]}}");
  auditorium = gt_app_call (manager, "POST", "/auditoriums", body->str, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (auditorium, "seat_count"), ==, 1000);

  movies = gt_app_call (manager, "GET", "/movies", NULL, &error);
  g_assert_no_error (error);
  showtime_body = g_strdup_printf (
    "{\"movie_id\":%" G_GINT64_FORMAT ",\"auditorium_id\":%" G_GINT64_FORMAT
    ",\"starts_at\":\"%s\",\"prices\":{\"adult\":50000}}",
    json_object_get_int_member (
      json_array_get_object_element (json_object_get_array_member (movies, "movies"), 0), "id"),
    json_object_get_int_member (auditorium, "id"), starts);
  showtime = gt_app_call (manager, "POST", "/showtimes", showtime_body, &error);
  g_assert_no_error (error);
  return showtime;
}

gboolean
gt_app_shows_label (GtkWidget *widget, const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
      && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gt_app_shows_label (child, text))
      return TRUE;
  return FALSE;
}

int
gt_app_min_width (GtAppFixture *fixture)
{
  int min = 0;

  gtk_widget_measure (GTK_WIDGET (fixture->window), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL,
                      NULL, NULL);
  return min;
}

static void
find_all (GtkWidget *widget, GType type, GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_all (child, type, found);
}

GPtrArray *
gt_app_find_all (GtkWidget *widget, GType type)
{
  GPtrArray *found = g_ptr_array_new ();

  find_all (widget, type, found);
  return found;
}
