/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-door"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "gt-app-fixture.h"
#include "gt-json.h"
#include "gt-test-http.h"

/* At the door: a ticket typed (as a scanner types it) is admitted once; the
 * same code again is refused with when and where it was used; a forged code,
 * another showtime's ticket and a showtime whose doors are not open yet are
 * refused with the reason. With the server away, the door goes on alone:
 * a ticket is admitted once "(offline)", the copy refused with the first
 * scan's time, and the check-in reaches the server when it is back. */

static JsonObject *
call (GtClient *client, const char *method, const char *path, const char *body)
{
  g_autoptr (GError) error = NULL;
  JsonObject *answer = gt_app_call (client, method, path, body, &error);

  g_assert_no_error (error);
  return answer;
}

static gint64
create_showtime (GtClient *manager, gint64 movie, gint64 auditorium, gint64 starts)
{
  g_autofree char *at = gt_time_format (starts * G_USEC_PER_SEC);
  g_autofree char *body = g_strdup_printf ("{\"movie_id\":%" G_GINT64_FORMAT
                                           ",\"auditorium_id\":%" G_GINT64_FORMAT
                                           ",\"starts_at\":\"%s\",\"prices\":{\"adult\":40000}}",
                                           movie, auditorium, at);
  g_autoptr (JsonObject) showtime = call (manager, "POST", "/showtimes", body);

  return json_object_get_int_member (showtime, "id");
}

/* Sells @seat and gives its ticket code. */
static char *
sell (GtClient *cashier, gint64 showtime, const char *seat)
{
  g_autofree char *seats = g_strdup_printf ("[\"%s\"]", seat);
  g_autofree char *key = g_strdup_printf ("door-%s-%" G_GINT64_FORMAT, seat, showtime);
  g_autoptr (JsonObject) booking = gt_app_sell (cashier, showtime, seats, key);
  JsonArray *tickets = json_object_get_array_member (booking, "tickets");

  return g_strdup (
    json_object_get_string_member (json_array_get_object_element (tickets, 0), "code"));
}

typedef struct
{
  GtReplica *replica;
  gint64     showtime_id;
} ShowtimeWait;

static gboolean
showtime_known (gpointer data)
{
  ShowtimeWait *wait = data;
  g_autoptr (JsonObject) showtime = gt_replica_dup_showtime (wait->replica, wait->showtime_id);

  return showtime != NULL;
}

static gboolean
answered (gpointer data)
{
  return !g_str_has_suffix (gt_door_page_get_verdict (data), "…");
}

static void
scan (GtDoorPage *door, const char *code)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (door)));

  /* As a barcode scanner does: the code and Enter into whatever has the
   * focus, which is always the page's entry. */
  if (!GTK_IS_TEXT (focus))
    g_error ("the focus is on a %s, not on the door's entry",
             focus ? G_OBJECT_TYPE_NAME (focus) : "nothing");
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (door)));
  gtk_editable_set_text (GTK_EDITABLE (focus), code);
  g_signal_emit_by_name (focus, "activate");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (focus)), ==, "");
  gt_app_wait ("the door's answer", answered, door, 30);
}

static void
maybe_screenshot (GtAppFixture *fixture, const char *name)
{
  const char *dir = g_getenv ("GT_TEST_SCREENSHOT_DIR");

  if (dir != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      gt_app_save_screenshot (fixture, path);
    }
}

typedef struct
{
  GtDoorPage *door;
  const char *text;
} CountWait;

static gboolean
count_says (gpointer data)
{
  CountWait *wait = data;

  return g_str_equal (gt_door_page_get_count (wait->door), wait->text);
}

static void
test_door (void)
{
  GtAppFixture fixture = { 0 };
  g_autoptr (GtClient) manager = NULL;
  g_autoptr (GtClient) cashier = NULL;
  g_autoptr (JsonObject) movie = NULL;
  g_autoptr (JsonObject) auditorium = NULL;
  g_autofree char *code = NULL;
  g_autofree char *later_code = NULL;
  g_autofree char *forged = NULL;
  gint64           now = g_get_real_time () / G_USEC_PER_SEC;
  gint64           tonight;
  gint64           later;
  GtDoorPage      *door;
  ShowtimeWait     wait;

  gt_app_fixture_start (&fixture, 0, TRUE);
  gt_app_sign_in (&fixture, "cashier");

  /* A room of its own, a showtime starting in five minutes (its doors are
   * open) and one three hours later; a ticket for each. */
  manager = gt_app_signed_in_client (&fixture, "manager");
  cashier = gt_app_signed_in_client (&fixture, "cashier2");
  movie = call (manager, "POST", "/movies", "{\"title\":\"Door Test\",\"duration_minutes\":90}");
  auditorium = call (manager, "POST", "/auditoriums",
                     "{\"name\":\"Door Room\",\"layout\":{\"rows\":[{\"label\":\"A\",\"seats\":"
                     "[{\"number\":1},{\"number\":2},{\"number\":3}]}]}}");
  tonight = create_showtime (manager, json_object_get_int_member (movie, "id"),
                             json_object_get_int_member (auditorium, "id"), now - now % 60 + 300);
  later = create_showtime (manager, json_object_get_int_member (movie, "id"),
                           json_object_get_int_member (auditorium, "id"),
                           now - now % 60 + 3 * 3600);
  code = sell (cashier, tonight, "A1");
  later_code = sell (cashier, later, "A2");
  forged = g_strdup (code);
  forged[strlen (forged) / 2] = forged[strlen (forged) / 2] == 'A' ? 'B' : 'A';

  /* The door view, for the showtime about to start. */
  gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.door", NULL);
  gt_app_wait_page (&fixture, "door");
  door = _gt_window_get_door_page (fixture.window);

  /* The schedule, left behind, shows another day: it focuses its rows
   * later, from an idle, and must not take the door's focus then. */
  gtk_widget_activate_action (GTK_WIDGET (_gt_window_get_schedule_page (fixture.window)),
                              "schedule.day", "i", 1);
  for (guint i = 0; i < 1000 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (
    gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (fixture.window)), GTK_WIDGET (door)));
  wait = (ShowtimeWait){ gt_application_get_replica (fixture.app), tonight };
  gt_app_wait ("the new showtime at the counter", showtime_known, &wait, 30);
  gt_door_page_set_showtime (door, tonight);

  /* A showtime of today that is over is not offered: it admits nobody. */
  {
    g_autoptr (JsonObject) config = call (manager, "GET", "/config", NULL);
    g_autoptr (GTimeZone)
      tz = g_time_zone_new_identifier (json_object_get_string_member (config, "timezone"));
    g_autoptr (GDateTime) local = g_date_time_new_now (tz);
    g_autoptr (JsonObject) short_movie = NULL;
    g_autoptr (JsonObject) room = NULL;
    JsonArray *offered;
    gint64     over;
    gboolean   offers_over = FALSE;
    gboolean   offers_tonight = FALSE;

    if (g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local) >= 4)
      {
        short_movie = call (manager, "POST", "/movies",
                            "{\"title\":\"Door Short\",\"duration_minutes\":1}");
        room = call (manager, "POST", "/auditoriums",
                     "{\"name\":\"Door Room 2\",\"layout\":{\"rows\":[{\"label\":\"A\","
                     "\"seats\":[{\"number\":1}]}]}}");
        over = create_showtime (manager, json_object_get_int_member (short_movie, "id"),
                                json_object_get_int_member (room, "id"), now - now % 60 - 180);
        wait = (ShowtimeWait){ gt_application_get_replica (fixture.app), over };
        gt_app_wait ("the showtime that is over at the counter", showtime_known, &wait, 30);
        gt_door_page_refresh (door);
        offered = gt_door_page_get_showtimes (door);
        for (guint i = 0; i < json_array_get_length (offered); i++)
          {
            gint64 id = json_object_get_int_member (json_array_get_object_element (offered, i),
                                                    "id");

            offers_over |= id == over;
            offers_tonight |= id == tonight;
          }
        g_assert_false (offers_over);
        g_assert_true (offers_tonight);
      }
  }

  scan (door, code);
  g_assert_true (gt_door_page_get_admitted (door));
  g_assert_cmpstr (gt_door_page_get_verdict (door), ==, "ADMIT");
  g_assert_nonnull (strstr (gt_door_page_get_reason (door), "Door Test"));
  maybe_screenshot (&fixture, "door-admit.png");

  /* The same code again: refused, saying when and at which door. */
  scan (door, code);
  g_assert_false (gt_door_page_get_admitted (door));
  g_assert_cmpstr (gt_door_page_get_verdict (door), ==, "NOT ADMITTED");
  g_assert_nonnull (strstr (gt_door_page_get_reason (door), "Already used at"));
  g_assert_nonnull (strstr (gt_door_page_get_reason (door), "Counter 1"));
  maybe_screenshot (&fixture, "door-refused.png");

  /* A forged code, and another showtime's ticket at this door. */
  scan (door, forged);
  g_assert_cmpstr (gt_door_page_get_reason (door), ==, "Not a valid ticket");
  /* A receipt's booking code, typed in: what to do instead. */
  scan (door, " gt-7k3q9a ");
  g_assert_false (gt_door_page_get_admitted (door));
  g_assert_true (g_str_has_prefix (gt_door_page_get_reason (door), "GT-7K3Q9A is a booking code"));
  scan (door, later_code);
  g_assert_false (gt_door_page_get_admitted (door));
  g_assert_true (g_str_has_prefix (gt_door_page_get_reason (door), "Wrong showtime"));

  /* At a door for every showtime, the later one's doors are not open yet. */
  gt_door_page_set_showtime (door, 0);
  scan (door, later_code);
  g_assert_false (gt_door_page_get_admitted (door));
  g_assert_nonnull (strstr (gt_door_page_get_reason (door), "doors open"));

  /* A showtime at half past midnight opens its doors before midnight: the
   * door lists it among today's. */
  {
    g_autoptr (JsonObject)
      config = gt_replica_dup_config (gt_application_get_replica (fixture.app));
    g_autoptr (GTimeZone)
      tz = g_time_zone_new_identifier (json_object_get_string_member (config, "timezone"));
    g_autoptr (GDateTime) local = g_date_time_new_now (tz);
    g_autoptr (GDateTime) next = g_date_time_add_days (local, 1);
    g_autoptr (GDateTime)
      half_past = g_date_time_new (tz, g_date_time_get_year (next), g_date_time_get_month (next),
                                   g_date_time_get_day_of_month (next), 0, 30, 0);
    g_autoptr (JsonObject)
      room = call (manager, "POST", "/auditoriums",
                   "{\"name\":\"Late Room\",\"layout\":{\"rows\":[{\"label\":\"A\",\"seats\":"
                   "[{\"number\":1}]}]}}");
    gint64           late = create_showtime (manager, json_object_get_int_member (movie, "id"),
                                             json_object_get_int_member (room, "id"),
                                             g_date_time_to_unix (half_past));
    g_autofree char *late_code = sell (cashier, late, "A1");
    CountWait        count = { door, "Admitted 0 of 1 sold" };

    wait = (ShowtimeWait){ gt_application_get_replica (fixture.app), late };
    gt_app_wait ("the late showtime at the counter", showtime_known, &wait, 30);
    gt_door_page_set_showtime (door, late);
    gt_app_wait ("the late showtime's list at the door", count_says, &count, 30);
  }

  gt_app_fixture_stop (&fixture);
}

static gboolean
replica_not_online (gpointer data)
{
  return gt_replica_get_connection (data) != GT_CONNECTION_ONLINE;
}

static gboolean
outbox_empty (gpointer data)
{
  return gt_replica_get_connection (data) == GT_CONNECTION_ONLINE
         && gt_replica_get_outbox_length (data) == 0;
}

static void
test_door_offline (void)
{
  const char *const args[] = { "--demo", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GtClient) manager = NULL;
  g_autoptr (GtClient) cashier = NULL;
  g_autoptr (JsonObject) movie = NULL;
  g_autoptr (JsonObject) auditorium = NULL;
  g_autoptr (JsonObject) list = NULL;
  g_autofree char *code = NULL;
  g_autofree char *first_reason = NULL;
  g_autofree char *port = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *list_path = NULL;
  GtAppFixture     fixture = { 0 };
  GtTestServer    *server = gt_test_server_start (NULL, args);
  GtReplica       *replica;
  GtDoorPage      *door;
  ShowtimeWait     wait;
  CountWait        count;
  JsonObject      *ticket;
  gint64           now = g_get_real_time () / G_USEC_PER_SEC;
  gint64           tonight;

  /* The app on a central server of its own, which can be stopped. */
  gt_app_fixture_start_on_server (&fixture, server->url);
  replica = gt_application_get_replica (fixture.app);
  gt_app_sign_in (&fixture, "cashier");

  /* A ticket for a showtime starting in five minutes, sold elsewhere. */
  manager = gt_app_signed_in_client (&fixture, "manager");
  cashier = gt_app_signed_in_client (&fixture, "cashier2");
  movie = call (manager, "POST", "/movies", "{\"title\":\"Door Outage\",\"duration_minutes\":90}");
  auditorium = call (manager, "POST", "/auditoriums",
                     "{\"name\":\"Outage Room\",\"layout\":{\"rows\":[{\"label\":\"A\",\"seats\":"
                     "[{\"number\":1},{\"number\":2}]}]}}");
  tonight = create_showtime (manager, json_object_get_int_member (movie, "id"),
                             json_object_get_int_member (auditorium, "id"), now - now % 60 + 300);
  code = sell (cashier, tonight, "A1");

  /* The door for that showtime loads its list while the server is there. */
  gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.door", NULL);
  gt_app_wait_page (&fixture, "door");
  door = _gt_window_get_door_page (fixture.window);
  wait = (ShowtimeWait){ replica, tonight };
  gt_app_wait ("the new showtime at the counter", showtime_known, &wait, 30);
  gt_door_page_set_showtime (door, tonight);
  count = (CountWait){ door, "Admitted 0 of 1 sold" };
  gt_app_wait ("the door's list", count_says, &count, 30);

  /* The server goes away; the door admits on its own, once. */
  port = g_strdup (strrchr (server->url, ':') + 1);
  db_path = g_strdup (server->db_path);
  g_assert_cmpint (gt_test_server_stop (server), ==, 0);
  gt_app_wait ("the counter to notice", replica_not_online, replica, 30);

  scan (door, code);
  g_assert_true (gt_door_page_get_admitted (door));
  g_assert_cmpstr (gt_door_page_get_verdict (door), ==, "ADMIT");
  g_assert_true (gt_door_page_get_offline (door));
  g_assert_cmpstr (gt_door_page_get_count (door), ==, "Admitted 1 of 1 sold");
  g_assert_cmpuint (gt_replica_get_outbox_length (replica), ==, 1);
  maybe_screenshot (&fixture, "door-offline-admit.png");

  scan (door, code);
  g_assert_false (gt_door_page_get_admitted (door));
  g_assert_cmpstr (gt_door_page_get_verdict (door), ==, "NOT ADMITTED");
  g_assert_true (gt_door_page_get_offline (door));
  g_assert_nonnull (strstr (gt_door_page_get_reason (door), "Already used at"));
  g_assert_nonnull (strstr (gt_door_page_get_reason (door), "Counter 1"));
  first_reason = g_strdup (gt_door_page_get_reason (door));

  /* The server is back: the check-in reaches it, once. */
  {
    const char *const again_args[] = { "--port", port, NULL };
    GtTestServer     *again = gt_test_server_start (db_path, again_args);

    gt_test_server_free (server);
    server = again;
  }
  gt_app_wait ("the outbox to empty", outbox_empty, replica, 30);
  list_path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/tickets", tonight);
  list = call (manager, "GET", list_path, NULL);
  g_assert_cmpint (json_object_get_int_member (list, "admitted"), ==, 1);
  ticket = json_array_get_object_element (json_object_get_array_member (list, "tickets"), 0);
  g_assert_cmpstr (json_object_get_string_member (ticket, "door"), ==, "Counter 1");
  g_assert_null (gt_door_page_get_alert (door));

  /* Online again, the server refuses the copy with the same time. */
  scan (door, code);
  g_assert_false (gt_door_page_get_admitted (door));
  g_assert_false (gt_door_page_get_offline (door));
  g_assert_cmpstr (gt_door_page_get_reason (door), ==, first_reason);

  gt_app_fixture_stop (&fixture);
  gt_test_server_stop (server);
  gt_test_server_free (server);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/door/admit-once", test_door);
  g_test_add_func ("/app/door/offline", test_door_offline);
  return g_test_run ();
}
