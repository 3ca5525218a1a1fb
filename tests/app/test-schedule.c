/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-schedule"

#include "config.h"

#include "gt-app-fixture.h"
#include "gt-json.h"
#include "gt-movie-item.h"
#include "gt-schedule-page-private.h"

/* A movie with showtimes starting @minutes after 12:00 (UTC) of a day. */
static GtMovieItem *
movie_at (const char *title, const int *minutes, guint n)
{
  g_autoptr (JsonObject) movie = json_object_new ();
  GtMovieItem *item;

  json_object_set_string_member (movie, "title", title);
  json_object_set_array_member (movie, "genres", json_array_new ());
  item = gt_movie_item_new (movie);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (JsonObject) showtime = json_object_new ();

      gt_json_set_time (showtime, "starts_at",
                        (G_GINT64_CONSTANT (1795608000) + minutes[i] * 60) * G_USEC_PER_SEC);
      gt_movie_item_add_showtime (item, showtime);
    }
  return item;
}

static const char *
title_at (GPtrArray *items, guint i)
{
  return json_object_get_string_member (gt_movie_item_get_movie (g_ptr_array_index (items, i)),
                                        "title");
}

/* At 16:00, the schedule leads with what a cashier can sell next: the
 * 16:45 show before a movie whose day began earlier but sells next at
 * 17:45, and a movie whose showtimes have all started goes last, whatever
 * the order of the day. */
static void
test_order_by_next_start (void)
{
  static const int early_then_late[] = { 150, 345 }; /* 14:30, 17:45 */
  static const int all_started[] = { 225 };          /* 15:45 */
  static const int soon[] = { 285 };                 /* 16:45 */
  static const int also_late[] = { 345, 400 };       /* 17:45, 18:40 */
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 four_pm = (G_GINT64_CONSTANT (1795608000) + 240 * 60) * G_USEC_PER_SEC;

  g_ptr_array_add (items, movie_at ("Early then late", early_then_late, 2));
  g_ptr_array_add (items, movie_at ("All started", all_started, 1));
  g_ptr_array_add (items, movie_at ("Soon", soon, 1));
  g_ptr_array_add (items, movie_at ("Also at 17:45", also_late, 2));

  gt_movie_item_sort_by_next_start (items, four_pm);
  g_assert_cmpstr (title_at (items, 0), ==, "Soon");
  g_assert_cmpstr (title_at (items, 1), ==, "Early then late");
  g_assert_cmpstr (title_at (items, 2), ==, "Also at 17:45");
  g_assert_cmpstr (title_at (items, 3), ==, "All started");

  /* Before anything starts, the order is that of the first showtimes. */
  gt_movie_item_sort_by_next_start (items, 0);
  g_assert_cmpstr (title_at (items, 0), ==, "Early then late");
  g_assert_cmpstr (title_at (items, 1), ==, "All started");
}

static gboolean
day_is_empty (gpointer data)
{
  return _gt_schedule_page_get_empty_page (data) != NULL;
}

static gboolean
day_is_listed (gpointer data)
{
  JsonArray *showtimes = gt_schedule_page_get_showtimes (data);

  return showtimes != NULL && json_array_get_length (showtimes) > 0;
}

typedef struct
{
  GtSchedulePage *page;
  const char     *date;
} DayWait;

static gboolean
another_day_listed (gpointer data)
{
  DayWait *wait = data;

  return g_strcmp0 (_gt_schedule_page_get_date (wait->page), wait->date) != 0
         && day_is_listed (wait->page);
}

typedef struct
{
  GtSchedulePage *page;
  gint64          showtime_id;
} SaleWait;

static gboolean
on_sale (gpointer data)
{
  SaleWait *wait = data;

  return _gt_schedule_page_is_on_sale (wait->page, wait->showtime_id);
}

static gboolean
sold_no_more (gpointer data)
{
  return !on_sale (data);
}

/* The keyboard's focus is on a showtime of the page that is on sale. */
static gboolean
focus_on_sale (gpointer data)
{
  GtkWidget *page = data;
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (page));

  return focus != NULL && gtk_widget_is_ancestor (focus, page) && gtk_widget_is_sensitive (focus)
         && g_object_get_data (G_OBJECT (focus), "showtime") != NULL;
}

/* The schedule page sees the time as 00:01 of @date's next day. */
static char *
set_just_after_midnight (GtSchedulePage *page, GTimeZone *tz, const char *date)
{
  int y, m, d;
  g_autoptr (GDateTime) day = NULL;
  g_autoptr (GDateTime) after = NULL;

  g_assert_cmpint (sscanf (date, "%d-%d-%d", &y, &m, &d), ==, 3);
  day = g_date_time_new (tz, y, m, d, 0, 1, 0);
  after = g_date_time_add_days (day, 1);
  _gt_schedule_page_set_now (page, g_date_time_to_unix (after) * G_USEC_PER_SEC);
  gt_schedule_page_refresh (page);
  return g_date_time_format (after, "%Y-%m-%d");
}

/* Late in the evening nothing is left to sell today (the last showtime has
 * started, or there is none): the schedule says so and offers tomorrow's
 * showtimes, one key away. A showtime that starts is
 * sold no more, and at midnight Today moves on, by themselves: the day
 * chosen stays chosen (Tomorrow is now Today), and a day now past gives way
 * to the new today. */
static void
test_end_of_day (void)
{
  GtAppFixture fixture;
  g_autoptr (GError) error = NULL;
  g_autoptr (GtClient) manager = NULL;
  g_autoptr (JsonObject) config = NULL;
  g_autoptr (JsonObject) listed = NULL;
  g_autoptr (GTimeZone) tz = NULL;
  g_autofree char *today = NULL;
  g_autofree char *path = NULL;
  g_autofree char *tomorrow = NULL;
  g_autofree char *day_after = NULL;
  GtSchedulePage  *page;
  AdwStatusPage   *empty;
  GtkWidget       *button;
  JsonArray       *showtimes;

  gt_app_fixture_start (&fixture, 0, TRUE);
  gt_app_sign_in (&fixture, "cashier");
  page = _gt_window_get_schedule_page (fixture.window);
  today = g_strdup (_gt_schedule_page_get_date (page));

  /* Once today's last showtime has started, the day is over for selling,
   * though the showtimes that started are still known; a second before,
   * that last one is on sale. */
  {
    JsonArray  *day = gt_schedule_page_get_showtimes (page);
    JsonObject *last;
    SaleWait    wait = { page, 0 };
    gint64      starts;

    g_assert_cmpuint (json_array_get_length (day), >, 0);
    last = json_array_get_object_element (day, json_array_get_length (day) - 1);
    wait.showtime_id = json_object_get_int_member (last, "id");
    g_assert_true (gt_time_parse (json_object_get_string_member (last, "starts_at"), &starts));
    _gt_schedule_page_set_now (page, starts + G_USEC_PER_SEC);
    gt_schedule_page_refresh (page);
    gt_app_wait ("today over", day_is_empty, page, 10);
    g_assert_cmpstr (adw_status_page_get_title (_gt_schedule_page_get_empty_page (page)), ==,
                     "No More Showtimes Today");
    g_assert_cmpuint (json_array_get_length (gt_schedule_page_get_showtimes (page)), >, 0);
    _gt_schedule_page_set_now (page, starts - G_USEC_PER_SEC);
    gt_schedule_page_refresh (page);
    gt_app_wait ("the last showtime on sale", on_sale, &wait, 10);
    _gt_schedule_page_set_now (page, 0);
    gt_schedule_page_refresh (page);
  }

  /* Today's showtimes go (as if they were over): the replica follows. */
  manager = gt_app_signed_in_client (&fixture, "manager");
  config = gt_app_call (manager, "GET", "/config", NULL, &error);
  g_assert_no_error (error);
  tz = g_time_zone_new_identifier (json_object_get_string_member (config, "timezone"));
  g_assert_nonnull (tz);
  path = g_strdup_printf ("/showtimes?date=%s", today);
  listed = gt_app_call (manager, "GET", path, NULL, &error);
  g_assert_no_error (error);
  showtimes = json_object_get_array_member (listed, "showtimes");
  for (guint i = 0; i < json_array_get_length (showtimes); i++)
    {
      gint64 id = json_object_get_int_member (json_array_get_object_element (showtimes, i), "id");
      g_autofree char *delete_path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT, id);
      g_autoptr (JsonObject) answer = gt_app_call (manager, "DELETE", delete_path, NULL, &error);

      g_assert_no_error (error);
    }
  gt_app_wait ("an empty today", day_is_empty, page, 10);
  empty = _gt_schedule_page_get_empty_page (page);
  g_assert_cmpstr (adw_status_page_get_title (empty), ==, "No More Showtimes Today");
  button = adw_status_page_get_child (empty);
  g_assert_true (gtk_widget_get_visible (button));
  /* As when the page comes back (after a sale, say): the button takes the
   * focus, so Enter goes on to tomorrow. */
  gt_schedule_page_focus (page);
  g_assert_true (gtk_widget_is_focus (button));

  /* Enter on it (the button answers once its press has shown):
   * tomorrow's showtimes. */
  g_assert_true (gtk_widget_activate (button));
  {
    DayWait wait = { page, today };

    gt_app_wait ("tomorrow's showtimes", another_day_listed, &wait, 10);
  }
  tomorrow = g_strdup (_gt_schedule_page_get_date (page));

  /* Its first showtime starts while the page is left alone: its button is
   * sold no more, without anything else happening. */
  {
    JsonObject *first = json_array_get_object_element (gt_schedule_page_get_showtimes (page), 0);
    SaleWait    wait = { page, json_object_get_int_member (first, "id") };
    gint64      starts;

    g_assert_true (gt_time_parse (json_object_get_string_member (first, "starts_at"), &starts));
    _gt_schedule_page_set_now (page, starts - G_USEC_PER_SEC);
    gt_schedule_page_refresh (page);
    gt_app_wait ("the first showtime on sale", on_sale, &wait, 10);
    /* With the keyboard's focus on it: the focus stays on a showtime on sale. */
    gt_schedule_page_focus (page);
    g_assert_true (focus_on_sale (page));
    _gt_schedule_page_set_now (page, starts + G_USEC_PER_SEC);
    gt_app_wait ("the first showtime sold no more", sold_no_more, &wait, 10);
    gt_app_wait ("the focus on a showtime on sale", focus_on_sale, page, 10);
  }

  /* Midnight: the day shown is still tomorrow's date, now the first of the
   * strip (Ctrl+Page Up stays on it). */
  g_free (set_just_after_midnight (page, tz, today));
  g_assert_cmpstr (_gt_schedule_page_get_date (page), ==, tomorrow);
  gtk_widget_activate_action (GTK_WIDGET (page), "schedule.day", "i", -1);
  g_assert_cmpstr (_gt_schedule_page_get_date (page), ==, tomorrow);
  g_assert_true (day_is_listed (page));

  /* Another midnight: that day is past, and the new today is shown. */
  day_after = set_just_after_midnight (page, tz, tomorrow);
  g_assert_cmpstr (_gt_schedule_page_get_date (page), ==, day_after);
  g_assert_true (day_is_listed (page));

  gt_app_fixture_stop (&fixture);
}

typedef struct
{
  GtSchedulePage *page;
  const char     *title;
} EmptyWait;

/* The page shows its empty state, with @title. */
static gboolean
empty_says (gpointer data)
{
  EmptyWait     *wait = data;
  AdwStatusPage *empty = _gt_schedule_page_get_empty_page (wait->page);

  return empty != NULL && g_strcmp0 (adw_status_page_get_title (empty), wait->title) == 0;
}

static gboolean
begins_with_an_auditorium (gpointer data)
{
  return gt_app_shows_label (data, "No auditorium yet: add one in the Auditoriums tab first");
}

/* A new cinema: the administrator made on the first run signs in, and the
 * schedule says there is nothing yet and who adds it. It used to spin for
 * ever: a server with nothing in it has no change to sync. */
static void
test_new_cinema (void)
{
  GtAppFixture fixture;
  g_autoptr (GPtrArray) rows = NULL;
  GtSchedulePage *page;
  GtManagePage   *manage;

  gt_app_fixture_start (&fixture, 0, FALSE);
  rows = gt_app_find_all (GTK_WIDGET (_gt_window_get_first_run_page (fixture.window)),
                          ADW_TYPE_ENTRY_ROW);
  g_assert_cmpuint (rows->len, ==, 4);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (g_ptr_array_index (rows, 0))), ==, "admin");
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (rows, 2)), "admin");
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (rows, 3)), "admin");
  g_signal_emit_by_name (g_ptr_array_index (rows, 3), "entry-activated");
  gt_app_wait_page (&fixture, "login");

  gt_app_sign_in (&fixture, "admin");
  page = _gt_window_get_schedule_page (fixture.window);
  {
    EmptyWait wait = { page, "No Movies Yet" };

    gt_app_wait ("the new cinema's empty schedule", empty_says, &wait, 10);
  }
  g_assert_false (
    gtk_widget_get_visible (adw_status_page_get_child (_gt_schedule_page_get_empty_page (page))));

  /* Manage's schedule says where to begin: an auditorium, a movie. */
  gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.manage", NULL);
  gt_app_wait_page (&fixture, "manage");
  manage = _gt_window_get_manage_page (fixture.window);
  gt_manage_page_show_schedule (manage, 0, 0);
  gt_app_wait ("where to begin", begins_with_an_auditorium, manage, 10);
  g_assert_true (gt_app_shows_label (GTK_WIDGET (manage),
                                     "No movie to show yet: add one in the Movies tab first"));

  /* A movie, still without a showtime: the week is empty, not "today". */
  gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.back", NULL);
  gt_app_wait_page (&fixture, "schedule");
  {
    g_autoptr (GtClient) owner = gt_app_signed_in_client (&fixture, "admin");
    g_autoptr (GError) error = NULL;
    g_autoptr (JsonObject)
      movie = gt_app_call (owner, "POST", "/movies",
                           "{\"title\":\"First\",\"duration_minutes\":90}", &error);
    EmptyWait wait = { page, "Nothing Scheduled This Week" };

    g_assert_no_error (error);
    gt_app_wait ("a week with nothing scheduled", empty_says, &wait, 10);
  }

  gt_app_fixture_stop (&fixture);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/schedule/order-by-next-start", test_order_by_next_start);
  g_test_add_func ("/app/schedule/end-of-day", test_end_of_day);
  g_test_add_func ("/app/schedule/new-cinema", test_new_cinema);
  return g_test_run ();
}
