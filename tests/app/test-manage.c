/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-manage"

#include "config.h"

#include <string.h>

#include "gt-app-fixture.h"
#include "gt-format.h"
#include "gt-json.h"
#include "gt-movie-dialog.h"
#include "gt-price-grid.h"
#include "gt-prices.h"

/* A manager adds a movie and schedules it (the page shows a collision
 * before saving, and copies the day); a cashier then sees it on the
 * schedule and sells from its seat map. A cashier never sees the tools. */

typedef struct
{
  GtReplica  *replica;
  const char *title;
} MovieWait;

static JsonObject *
find_movie (GtReplica *replica, const char *title)
{
  g_autoptr (JsonArray) movies = gt_replica_list_movies (replica);

  for (guint i = 0; i < json_array_get_length (movies); i++)
    {
      JsonObject *movie = json_array_get_object_element (movies, i);

      if (g_str_equal (json_object_get_string_member (movie, "title"), title))
        return json_object_ref (movie);
    }
  return NULL;
}

static gboolean
movie_known (gpointer data)
{
  MovieWait *wait = data;
  g_autoptr (JsonObject) movie = find_movie (wait->replica, wait->title);

  return movie != NULL;
}

typedef struct
{
  GtReplica *replica;
  gint64     movie_id;
  guint      days;
  gint64     found;
} ShowtimeWait;

static gboolean
showtime_known (gpointer data)
{
  ShowtimeWait *wait = data;
  g_autoptr (JsonObject) config = gt_replica_dup_config (wait->replica);
  g_autoptr (GTimeZone)
    tz = g_time_zone_new_identifier (json_object_get_string_member (config, "timezone"));
  g_autoptr (GDateTime) now = g_date_time_new_now (tz);
  g_autoptr (GDateTime) day = g_date_time_add_days (now, wait->days);
  g_autofree char *date = g_date_time_format (day, "%Y-%m-%d");
  g_autoptr (JsonArray) showtimes = gt_replica_list_showtimes (wait->replica, date);

  for (guint i = 0; i < json_array_get_length (showtimes); i++)
    if (json_object_get_int_member (json_array_get_object_element (showtimes, i), "movie_id")
        == wait->movie_id)
      {
        wait->found = json_object_get_int_member (json_array_get_object_element (showtimes, i),
                                                  "id");
        return TRUE;
      }
  return FALSE;
}

typedef struct
{
  GtManagePage *page;
  const char   *prefix;
} MessageWait;

static gboolean
message_starts (gpointer data)
{
  MessageWait *wait = data;

  return g_str_has_prefix (gt_manage_page_get_message (wait->page), wait->prefix);
}

static gboolean
cleaning_is_45 (gpointer replica)
{
  g_autoptr (JsonObject) config = gt_replica_dup_config (replica);

  return json_object_get_int_member_with_default (config, "cleaning_buffer_minutes", 0) == 45;
}

static void
wait_message (GtManagePage *page, const char *prefix)
{
  MessageWait      wait = { page, prefix };
  g_autofree char *what = g_strdup_printf ("the page to say “%s…”", prefix);

  gt_app_wait (what, message_starts, &wait, 30);
}

typedef struct
{
  GtUsersView *view;
  const char  *message; /* NULL: any answer */
} UserWait;

static gboolean
user_answered (gpointer data)
{
  UserWait   *wait = data;
  const char *message = gt_users_view_get_message (wait->view);

  if (wait->message != NULL)
    return g_str_equal (message, wait->message) || !g_str_has_suffix (message, "…");
  return message[0] != '\0' && !g_str_has_suffix (message, "…");
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

typedef struct
{
  GtReplica  *replica;
  const char *name;
  gint64      id; /* found */
} AuditoriumWait;

static gboolean
auditorium_known (gpointer data)
{
  AuditoriumWait *wait = data;
  g_autoptr (JsonArray) auditoriums = gt_replica_list_auditoriums (wait->replica);

  for (guint i = 0; i < json_array_get_length (auditoriums); i++)
    {
      JsonObject *auditorium = json_array_get_object_element (auditoriums, i);

      if (g_str_equal (json_object_get_string_member (auditorium, "name"), wait->name))
        {
          wait->id = json_object_get_int_member (auditorium, "id");
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
editor_answered (gpointer data)
{
  return !g_str_has_suffix (gt_auditorium_editor_get_message (data), "…");
}

static gboolean
settings_saved (gpointer data)
{
  return g_str_has_prefix (gt_manage_page_get_settings_answer (data), "Saved");
}

static gboolean
bookings_answered (gpointer data)
{
  return !g_str_has_suffix (gt_bookings_view_get_message (data), "…");
}

static gboolean
seat_map_filled (gpointer data)
{
  return gt_seat_map_get_n_seats (data) > 0;
}

static void
sign_out (GtAppFixture *fixture)
{
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sign-out", NULL);
  gt_app_wait_page (fixture, "login");
}

static void
test_manager_schedules_a_movie (void)
{
  GtAppFixture fixture = { 0 };
  g_autoptr (JsonObject) movie = NULL;
  GtReplica          *replica;
  GtManagePage       *manage;
  GtkWindow          *dialog;
  MovieWait           movie_wait;
  ShowtimeWait        showtime_wait;
  ShowtimeWait        moved_wait;
  UserWait            user_wait;
  GtUsersView        *users;
  GtAuditoriumEditor *editor;
  GtSeatMap          *preview;
  GtSeatMap          *map;
  AuditoriumWait      auditorium_wait;
  const char         *collision;
  JsonArray          *showtimes;
  JsonObject         *ours = NULL;

  gt_app_fixture_start (&fixture, 0, TRUE);
  replica = gt_application_get_replica (fixture.app);
  manage = _gt_window_get_manage_page (fixture.window);

  /* A cashier has no manager tools. */
  gt_app_sign_in (&fixture, "cashier");
  gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.manage", NULL);
  g_assert_cmpstr (gt_window_get_page (fixture.window), ==, "schedule");
  sign_out (&fixture);

  /* The manager adds a movie. */
  gt_app_sign_in (&fixture, "manager");
  gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.manage", NULL);
  gt_app_wait_page (&fixture, "manage");
  dialog = gt_manage_page_add_movie (manage);
  gt_movie_dialog_fill (GT_MOVIE_DIALOG (dialog), "Fast & Furious <Test>", 90, "13+",
                        "Drama, Test");
  gt_movie_dialog_save (GT_MOVIE_DIALOG (dialog));
  movie_wait = (MovieWait){ replica, "Fast & Furious <Test>" };
  gt_app_wait ("the new movie", movie_known, &movie_wait, 30);
  movie = find_movie (replica, "Fast & Furious <Test>");
  g_assert_cmpint (json_object_get_int_member (movie, "duration_minutes"), ==, 90);
  gt_manage_page_refresh (manage);

  /* ...builds a small auditorium: an aisle after seat 3, a wheelchair
   * space, a broken seat... */
  editor = gt_manage_page_get_auditorium_editor (manage);
  /* The tab opens on an auditorium there is, not on an empty page. */
  g_assert_cmpuint (gt_seat_map_get_n_seats (
                      GT_SEAT_MAP (gt_auditorium_editor_get_preview (editor))),
                    >, 0);
  gt_auditorium_editor_open (editor, 0);
  gt_auditorium_editor_generate (editor, "Studio Test", 3, 6, "3");
  gt_auditorium_editor_paint (editor, "A1", "wheelchair");
  gt_auditorium_editor_paint (editor, "C6", "blocked");
  preview = GT_SEAT_MAP (gt_auditorium_editor_get_preview (editor));
  g_assert_cmpuint (gt_seat_map_get_n_seats (preview), ==, 18);
  g_assert_cmpint (gt_seat_map_get_seat_type (preview, "A1"), ==, GT_SEAT_TYPE_WHEELCHAIR);
  g_assert_cmpint (gt_seat_map_get_seat_state (preview, "C6"), ==, GT_SEAT_STATE_BLOCKED);
  /* A row more, and back: the seats already made keep what they were. */
  gt_auditorium_editor_generate (editor, "Studio Test", 4, 6, "3");
  g_assert_cmpuint (gt_seat_map_get_n_seats (preview), ==, 24);
  g_assert_cmpint (gt_seat_map_get_seat_type (preview, "A1"), ==, GT_SEAT_TYPE_WHEELCHAIR);
  g_assert_cmpint (gt_seat_map_get_seat_state (preview, "C6"), ==, GT_SEAT_STATE_BLOCKED);
  g_assert_cmpint (gt_seat_map_get_seat_type (preview, "D1"), ==, GT_SEAT_TYPE_STANDARD);
  gt_auditorium_editor_generate (editor, "Studio Test", 3, 6, "3");
  g_assert_cmpuint (gt_seat_map_get_n_seats (preview), ==, 18);
  g_assert_cmpint (gt_seat_map_get_seat_type (preview, "A1"), ==, GT_SEAT_TYPE_WHEELCHAIR);
  maybe_screenshot (&fixture, "manage-auditorium.png");
  gt_auditorium_editor_save (editor);
  auditorium_wait = (AuditoriumWait){ replica, "Studio Test", 0 };
  gt_app_wait ("the new auditorium", auditorium_known, &auditorium_wait, 30);
  gt_app_wait ("the editor's answer", editor_answered, editor, 30);
  g_assert_cmpstr (gt_auditorium_editor_get_message (editor), ==,
                   "“Studio Test” is saved: 18 seats");
  /* Opened again, Generate Rows keeps its aisle and its seats' types. */
  gt_auditorium_editor_open (editor, auditorium_wait.id);
  gtk_widget_activate_action (GTK_WIDGET (editor), "auditorium.generate", NULL);
  g_assert_cmpint (gt_seat_map_get_seat_type (preview, "A1"), ==, GT_SEAT_TYPE_WHEELCHAIR);
  gt_auditorium_editor_save (editor);
  gt_app_wait ("the editor's answer", editor_answered, editor, 30);
  {
    g_autoptr (GtClient) office = gt_app_signed_in_client (&fixture, "manager");
    g_autoptr (GError) error = NULL;
    g_autoptr (JsonObject) list = gt_app_call (office, "GET", "/auditoriums", NULL, &error);
    JsonArray *all = json_object_get_array_member (list, "auditoriums");

    g_assert_no_error (error);
    for (guint i = 0; i < json_array_get_length (all); i++)
      {
        JsonObject *one = json_array_get_object_element (all, i);
        JsonObject *row_a;

        if (json_object_get_int_member (one, "id") != auditorium_wait.id)
          continue;
        row_a = json_array_get_object_element (
          json_object_get_array_member (json_object_get_object_member (one, "layout"), "rows"), 0);
        /* A4 is after the aisle: one column on. */
        g_assert_cmpint (
          json_object_get_int_member (
            json_array_get_object_element (json_object_get_array_member (row_a, "seats"), 3), "x"),
          ==, 4);
      }
  }

  /* The largest hall the editor makes is saved too, within the API's
   * 64 KiB for a body. */
  gt_auditorium_editor_open (editor, 0);
  gt_auditorium_editor_generate (editor, "Grand Hall", 26, 60, "10, 50");
  gt_auditorium_editor_save (editor);
  gt_app_wait ("the editor's answer", editor_answered, editor, 30);
  g_assert_cmpstr (gt_auditorium_editor_get_message (editor), ==,
                   "“Grand Hall” is saved: 1560 seats");
  gt_manage_page_refresh (manage);

  /* ...and schedules the movie there three days from now. */
  gt_manage_page_show_schedule (manage, auditorium_wait.id, 3);
  collision = gt_manage_page_fill_showtime (manage, json_object_get_int_member (movie, "id"),
                                            "08:00", 45000, 30000);
  if (collision != NULL)
    g_error ("08:00 collides: %s", collision);
  gt_price_grid_set_text (gt_manage_page_get_form_prices (manage), 0, "senior", "30000");
  gt_price_grid_set_text (gt_manage_page_get_form_prices (manage), 0, "student", "35.000");
  gt_manage_page_add_showtime (manage);
  wait_message (manage, "Added");
  showtime_wait = (ShowtimeWait){ replica, json_object_get_int_member (movie, "id"), 3, 0 };
  gt_app_wait ("the new showtime in the store", showtime_known, &showtime_wait, 30);
  {
    g_autoptr (JsonObject) added = gt_replica_dup_showtime (replica, showtime_wait.found);
    JsonObject *prices = json_object_get_object_member (added, "prices");

    g_assert_cmpint (json_object_get_int_member (prices, "adult"), ==, 45000);
    g_assert_cmpint (json_object_get_int_member (prices, "senior"), ==, 30000);
    g_assert_cmpint (json_object_get_int_member (prices, "student"), ==, 35000);
  }
  gt_manage_page_refresh (manage);
  maybe_screenshot (&fixture, "manage-schedule.png");

  /* Moved to the next day a quarter later, then back: the store follows. */
  gt_manage_page_move_showtime (manage, showtime_wait.found, 4, "08:15");
  wait_message (manage, "Moved Fast & Furious <Test> to 08:15");
  moved_wait = (ShowtimeWait){ replica, json_object_get_int_member (movie, "id"), 4, 0 };
  gt_app_wait ("the showtime on the next day", showtime_known, &moved_wait, 30);
  g_assert_cmpint (moved_wait.found, ==, showtime_wait.found);
  gt_manage_page_show_schedule (manage, auditorium_wait.id, 4);
  gt_manage_page_move_showtime (manage, showtime_wait.found, 3, "08:00");
  wait_message (manage, "Moved Fast & Furious <Test> to 08:00");
  gt_app_wait ("the showtime back", showtime_known, &showtime_wait, 30);
  gt_manage_page_show_schedule (manage, auditorium_wait.id, 3);

  /* Dragged on the week to two days later at 10:00, then dragged back. */
  gt_week_timeline_drag (gt_manage_page_get_week_timeline (manage), showtime_wait.found, 5, 10.0);
  wait_message (manage, "Moved Fast & Furious <Test> to 10:00");
  moved_wait = (ShowtimeWait){ replica, json_object_get_int_member (movie, "id"), 5, 0 };
  gt_app_wait ("the showtime dragged two days on", showtime_known, &moved_wait, 30);
  g_assert_cmpint (moved_wait.found, ==, showtime_wait.found);
  gt_manage_page_refresh (manage);
  gt_week_timeline_drag (gt_manage_page_get_week_timeline (manage), showtime_wait.found, 3, 8.0);
  wait_message (manage, "Moved Fast & Furious <Test> to 08:00");
  gt_app_wait ("the showtime dragged back", showtime_known, &showtime_wait, 30);

  /* With 45 minutes of cleaning (a setting), 09:50 is too early after it;
   * default prices per time of day fill the form as a time is typed. */
  {
    GtPriceGrid *grid = gt_manage_page_get_default_prices (manage);
    const char  *typed[][3] = { { "41000", "52000", "63000" },
                                { "31000", "36000", "47000" },
                                { "", "41000", "44000" } };
    const char  *types[] = { "adult", "child", "senior" };

    for (guint t = 0; t < G_N_ELEMENTS (types); t++)
      for (guint tier = 0; tier < 3; tier++)
        gt_price_grid_set_text (grid, tier, types[t], typed[t][tier]);
    /* A cell that is no amount is named, and nothing is sent. */
    gt_price_grid_set_text (grid, 1, "student", "lots");
    gt_manage_page_save_settings (manage, 45, 60);
    g_assert_cmpstr (gt_manage_page_get_settings_answer (manage), ==,
                     "Type the Student price for Evening as a whole amount");
    gt_price_grid_set_text (grid, 1, "student", "");
  }
  gt_manage_page_save_settings (manage, 45, 60);
  gt_app_wait ("the settings", settings_saved, manage, 30);

  gt_app_wait ("the settings in the store", cleaning_is_45, replica, 30);
  /* A price being typed in the settings outlives a refresh for another
   * counter's change. */
  gt_price_grid_set_text (gt_manage_page_get_default_prices (manage), 0, "student", "27000");
  gt_manage_page_refresh (manage);
  {
    g_autoptr (JsonObject)
      typed = gt_price_grid_dup_prices (gt_manage_page_get_default_prices (manage), 0, NULL);

    g_assert_cmpint (json_object_get_int_member_with_default (typed, "student", 0), ==, 27000);
  }
  gt_price_grid_set_text (gt_manage_page_get_default_prices (manage), 0, "student", "");
  {
    g_autoptr (JsonNode) defaults =
      json_from_string ("{\"matinee\":{\"until\":\"17:00\",\"prices\":{\"adult\":41000}},"
                        "\"evening\":{\"prices\":{\"adult\":52000,\"senior\":41000}},"
                        "\"weekend\":{\"prices\":{\"adult\":63000,\"senior\":44000}}}",
                        NULL);
    g_autoptr (JsonObject) config = gt_replica_dup_config (replica);
    g_autoptr (GTimeZone)
      tz = g_time_zone_new_identifier (json_object_get_string_member (config, "timezone"));
    g_autoptr (GDateTime) now = g_date_time_new_now (tz);
    g_autoptr (GDateTime) day = g_date_time_add_days (now, 3);
    g_autoptr (GDateTime)
      at = g_date_time_new (tz, g_date_time_get_year (day), g_date_time_get_month (day),
                            g_date_time_get_day_of_month (day), 20, 0, 0);

    /* Typed prices give way to the defaults of the time typed after them. */
    JsonObject *expected = gt_prices_for (json_node_get_object (defaults), at);
    g_autoptr (JsonObject) form = NULL;

    gt_manage_page_fill_showtime (manage, json_object_get_int_member (movie, "id"), "20:00", 1, 1);
    form = gt_price_grid_dup_prices (gt_manage_page_get_form_prices (manage), 0, NULL);
    g_assert_cmpint (json_object_get_int_member (form, "adult"), ==,
                     json_object_get_int_member (expected, "adult"));
    g_assert_cmpint (json_object_get_int_member (form, "senior"), ==,
                     json_object_get_int_member (expected, "senior"));
  }
  collision = gt_manage_page_fill_showtime (manage, json_object_get_int_member (movie, "id"),
                                            "09:50", 45000, 30000);
  g_assert_nonnull (collision);
  g_assert_nonnull (strstr (collision, "45 min"));

  /* A second one at 09:00 would run into it: said before saving. */
  collision = gt_manage_page_fill_showtime (manage, json_object_get_int_member (movie, "id"),
                                            "09:00", 45000, 30000);
  g_assert_nonnull (collision);
  g_assert_nonnull (strstr (collision, "08:00"));

  /* Today at 00:00 has passed: a slip (09:30 for 21:30) is said before
   * saving, and a move there is refused. */
  gt_manage_page_show_schedule (manage, auditorium_wait.id, 0);
  collision = gt_manage_page_fill_showtime (manage, json_object_get_int_member (movie, "id"),
                                            "00:00", 45000, 30000);
  g_assert_cmpstr (collision, ==, "That time has passed: choose one still to come");
  gt_manage_page_move_showtime (manage, showtime_wait.found, 0, "00:00");
  g_assert_cmpstr (gt_manage_page_get_message (manage), ==,
                   "That time has passed: choose one still to come");
  gt_manage_page_show_schedule (manage, auditorium_wait.id, 3);

  /* Copying the day to the next one. */
  gt_manage_page_copy_day (manage, 1);
  wait_message (manage, "Copied");
  g_assert_cmpstr (gt_manage_page_get_message (manage), ==, "Copied: 1 showtime added");

  /* One showtime to the two following days: the first has it already. */
  gt_manage_page_copy_showtime (manage, showtime_wait.found, 2);
  wait_message (manage, "Copied");
  g_assert_true (
    g_str_has_prefix (gt_manage_page_get_message (manage), "Copied: 1 added, 1 refused"));

  /* A customer's booking there: found by its code, one ticket refunded and
   * the other moved to another seat, each with a reason. */
  {
    g_autoptr (GtClient) counter = gt_app_signed_in_client (&fixture, "cashier2");
    g_autoptr (JsonObject)
      sold = gt_app_sell (counter, showtime_wait.found, "[\"A2\",\"A3\"]", "manage-sale-1");
    JsonArray *tickets = json_object_get_array_member (sold, "tickets");
    gint64 first = json_object_get_int_member (json_array_get_object_element (tickets, 0), "id");
    gint64 second = json_object_get_int_member (json_array_get_object_element (tickets, 1), "id");
    GtBookingsView *bookings = gt_manage_page_get_bookings_view (manage);
    JsonArray      *found;
    JsonArray      *now;

    gt_bookings_view_search (bookings, json_object_get_string_member (sold, "code"));
    gt_app_wait ("the search", bookings_answered, bookings, 30);
    found = gt_bookings_view_get_bookings (bookings);
    g_assert_cmpuint (json_array_get_length (found), ==, 1);

    /* No reason, no refund. */
    gt_bookings_view_refund (bookings, json_object_get_int_member (sold, "id"), &first, 1, "");
    g_assert_true (g_str_has_prefix (gt_bookings_view_get_message (bookings), "Write the reason"));
    gt_bookings_view_refund (bookings, json_object_get_int_member (sold, "id"), &first, 1,
                             "Felt unwell");
    gt_app_wait ("the refund", bookings_answered, bookings, 30);
    /* The manager is told what to pay back, and how: it was paid by card. */
    {
      g_autoptr (JsonObject) config = gt_replica_dup_config (replica);
      g_autofree char *price = gt_format_config_money (
        config, json_object_get_int_member (json_array_get_object_element (tickets, 0), "price"));
      g_autofree char *expected =
        g_strdup_printf ("%s is now partly refunded: refund %s to the card",
                         json_object_get_string_member (sold, "code"), price);

      g_assert_cmpstr (gt_bookings_view_get_message (bookings), ==, expected);
    }
    gt_bookings_view_exchange (bookings, json_object_get_int_member (sold, "id"), second,
                               showtime_wait.found, "B3", "Wanted the middle");
    gt_app_wait ("the move", bookings_answered, bookings, 30);
    if (!g_str_has_suffix (gt_bookings_view_get_message (bookings), "partly refunded"))
      g_error ("The move: %s", gt_bookings_view_get_message (bookings));
    maybe_screenshot (&fixture, "manage-bookings.png");
    gt_bookings_view_search (bookings, json_object_get_string_member (sold, "code"));
    gt_app_wait ("the search again", bookings_answered, bookings, 30);
    now = json_object_get_array_member (
      json_array_get_object_element (gt_bookings_view_get_bookings (bookings), 0), "tickets");
    for (guint i = 0; i < json_array_get_length (now); i++)
      {
        JsonObject *ticket = json_array_get_object_element (now, i);

        if (json_object_get_int_member (ticket, "id") == first)
          g_assert_false (json_object_get_null_member (ticket, "refunded_at"));
        else
          g_assert_cmpstr (json_object_get_string_member (ticket, "seat"), ==, "B3");
      }

    /* With nothing searched, the tab lists the bookings sold today and
     * those of today's showtimes, newest first: the one sold above for a
     * showtime days ahead is there, and one sold now for a showtime still to
     * come today is on top (late at night none is left to sell). */
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GDateTime) utc_now = g_date_time_new_now_utc ();
      g_autofree char *now_text = g_date_time_format_iso8601 (utc_now);
      g_autofree char *today = NULL;
      g_autofree char *path = NULL;
      g_autoptr (JsonObject) config = gt_app_call (counter, "GET", "/config", NULL, &error);
      g_autoptr (JsonObject) listed = NULL;
      g_autoptr (JsonObject) today_sale = NULL;
      JsonArray *on_today;

      {
        g_autoptr (GTimeZone)
          tz = g_time_zone_new_identifier (json_object_get_string_member (config, "timezone"));
        g_autoptr (GDateTime) local = g_date_time_to_timezone (utc_now, tz);

        today = g_date_time_format (local, "%Y-%m-%d");
      }
      path = g_strdup_printf ("/showtimes?date=%s", today);
      listed = gt_app_call (counter, "GET", path, NULL, &error);
      g_assert_no_error (error);
      on_today = json_object_get_array_member (listed, "showtimes");
      for (guint i = 0; i < json_array_get_length (on_today) && today_sale == NULL; i++)
        {
          JsonObject *showtime = json_array_get_object_element (on_today, i);

          /* Both in UTC with a Z: they compare as text. */
          if (strcmp (json_object_get_string_member (showtime, "starts_at"), now_text) > 0
              && json_object_get_int_member (showtime, "seats_free") > 0)
            {
              g_autofree char *seats = NULL;
              g_autofree char *seats_path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT
                                                             "/seats",
                                                             json_object_get_int_member (showtime,
                                                                                         "id"));
              g_autoptr (JsonObject)
                states = gt_app_call (counter, "GET", seats_path, NULL, &error);
              JsonArray *all = json_object_get_array_member (states, "seats");

              for (guint k = 0; k < json_array_get_length (all) && seats == NULL; k++)
                {
                  JsonObject *seat = json_array_get_object_element (all, k);

                  if (g_str_equal (json_object_get_string_member (seat, "state"), "free"))
                    seats = g_strdup_printf ("[\"%s\"]",
                                             json_object_get_string_member (seat, "id"));
                }
              today_sale = gt_app_sell (counter, json_object_get_int_member (showtime, "id"), seats,
                                        "manage-sale-today");
            }
        }
      gt_bookings_view_search (bookings, "");
      gt_app_wait ("today's bookings", bookings_answered, bookings, 30);
      g_assert_true (g_str_has_suffix (gt_bookings_view_get_message (bookings),
                                       "sold today or for today's showtimes, newest first"));
      {
        JsonArray *listed_now = gt_bookings_view_get_bookings (bookings);
        gboolean   has_sold = FALSE;

        for (guint i = 0; i < json_array_get_length (listed_now); i++)
          has_sold |= g_str_equal (
            json_object_get_string_member (json_array_get_object_element (listed_now, i), "code"),
            json_object_get_string_member (sold, "code"));
        g_assert_true (has_sold);
        if (today_sale != NULL)
          g_assert_cmpstr (
            json_object_get_string_member (json_array_get_object_element (listed_now, 0), "code"),
            ==, json_object_get_string_member (today_sale, "code"));
      }
    }
  }

  /* A new cashier; a manager may not make an administrator. Nothing typed
   * as the username is said at once. */
  users = gt_manage_page_get_users_view (manage);
  gt_users_view_add (users, "", "Nobody", "secret", "cashier");
  g_assert_cmpstr (gt_users_view_get_message (users), ==, "Type a username for the new user");
  gt_users_view_add (users, "dewi", "Dewi & Rina", "dewi", "cashier");
  user_wait = (UserWait){ users, "Dewi & Rina (dewi) is saved" };
  gt_app_wait ("the new user", user_answered, &user_wait, 30);
  g_assert_cmpstr (gt_users_view_get_message (users), ==, "Dewi & Rina (dewi) is saved");
  gt_users_view_add (users, "boss2", "Boss Two", "boss2", "admin");
  user_wait = (UserWait){ users, NULL };
  gt_app_wait ("the refusal", user_answered, &user_wait, 30);
  g_assert_null (strstr (gt_users_view_get_message (users), "is saved"));
  maybe_screenshot (&fixture, "manage-users.png");
  sign_out (&fixture);

  /* The new cashier finds it on that day and opens its seat map. */
  gt_app_sign_in (&fixture, "dewi");
  gtk_widget_activate_action (GTK_WIDGET (_gt_window_get_schedule_page (fixture.window)),
                              "schedule.day", "i", 3);
  showtimes = gt_schedule_page_get_showtimes (_gt_window_get_schedule_page (fixture.window));
  for (guint i = 0; showtimes && i < json_array_get_length (showtimes); i++)
    if (json_object_get_int_member (json_array_get_object_element (showtimes, i), "movie_id")
        == json_object_get_int_member (movie, "id"))
      ours = json_array_get_object_element (showtimes, i);
  g_assert_nonnull (ours);
  g_assert_true (gt_schedule_page_activate_showtime (_gt_window_get_schedule_page (fixture.window),
                                                     json_object_get_int_member (ours, "id")));
  gt_app_wait_page (&fixture, "sale");
  g_assert_cmpstr (json_object_get_string_member (gt_sale_page_get_showtime (
                                                    _gt_window_get_sale_page (fixture.window)),
                                                  "movie_title"),
                   ==, "Fast & Furious <Test>");
  map = gt_sale_page_get_seat_map (_gt_window_get_sale_page (fixture.window));
  gt_app_wait ("the seat map", seat_map_filled, map, 30);
  g_assert_cmpuint (gt_seat_map_get_n_seats (map), ==, 18);
  g_assert_cmpint (gt_seat_map_get_seat_type (map, "A1"), ==, GT_SEAT_TYPE_WHEELCHAIR);
  g_assert_cmpint (gt_seat_map_get_seat_state (map, "C6"), ==, GT_SEAT_STATE_BLOCKED);
  maybe_screenshot (&fixture, "cashier-new-auditorium.png");

  gt_app_fixture_stop (&fixture);
}

/* Prices are typed and shown in the cinema's currency: "50.000" rupiah,
 * "12.50" dollars, and sent in its minor unit. */
static void
test_prices_in_the_currency (void)
{
  g_autoptr (GtPriceGrid) grid = g_object_ref_sink (GT_PRICE_GRID (gt_price_grid_new ()));
  g_autoptr (JsonObject) dollars = json_object_new ();
  g_autoptr (JsonObject) prices = json_object_new ();
  g_autoptr (JsonObject) typed = NULL;
  g_autoptr (GError) error = NULL;

  json_object_set_string_member (dollars, "currency", "USD");
  json_object_set_int_member (dollars, "currency_decimals", 2);
  gt_price_grid_set_config (grid, dollars);
  json_object_set_int_member (prices, "adult", 1250);
  gt_price_grid_set_prices (grid, 0, prices);
  gt_price_grid_set_text (grid, 0, "child", "9.5");
  typed = gt_price_grid_dup_prices (grid, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gt_json_int_member (typed, "adult"), ==, 1250);
  g_assert_cmpint (gt_json_int_member (typed, "child"), ==, 950);

  gt_price_grid_set_text (grid, 0, "child", "lots");
  g_assert_null (gt_price_grid_dup_prices (grid, 0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, "Type the Child price as an amount");
  g_clear_error (&error);

  /* Rupiah have no cents: the same grid, now the demo's cinema. */
  gt_price_grid_set_config (grid, NULL);
  json_object_set_int_member (prices, "adult", 50000);
  gt_price_grid_set_prices (grid, 0, prices);
  gt_price_grid_set_text (grid, 0, "child", "35.000");
  g_clear_pointer (&typed, json_object_unref);
  typed = gt_price_grid_dup_prices (grid, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gt_json_int_member (typed, "adult"), ==, 50000);
  g_assert_cmpint (gt_json_int_member (typed, "child"), ==, 35000);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/manage/prices-in-the-currency", test_prices_in_the_currency);
  g_test_add_func ("/app/manage/schedule-a-movie", test_manager_schedules_a_movie);
  return g_test_run ();
}
