/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-door"

#include "config.h"

#include "gt-server-fixture.h"

/* At the door: a ticket is let in once, whatever the number of doors that
 * scan it and however close together; copies, refunds, forgeries and other
 * showtimes' tickets are refused with the reason; the door's list of a
 * showtime says what a door needs to decide on its own. */

#define ROUNDS 25

static GtTestServer *server;

typedef struct
{
  gint64     showtime_id;
  JsonNode  *booking;
  JsonArray *tickets;
} Sale;

static void
sale_clear (Sale *sale)
{
  g_clear_pointer (&sale->booking, json_node_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Sale, sale_clear)

/* A showtime starting in five minutes (its door is open) and a booking of
 * @seats_json for it. */
static void
sell_tonight (Sale *sale, const char *manager, const char *cashier, const char *seats_json)
{
  gint64 movie = gt_create_movie (server, manager, 90);
  gint64 auditorium = gt_create_auditorium (server, manager, 2, 6, 0);
  gint64 starts = g_get_real_time () / G_USEC_PER_SEC + 5 * 60;

  sale->showtime_id = gt_create_showtime (server, manager, movie, auditorium, starts);
  sale->booking = gt_sell (server, cashier, sale->showtime_id, seats_json);
  sale->tickets = json_object_get_array_member (json_node_get_object (sale->booking), "tickets");
}

static JsonObject *
ticket_of (Sale *sale, guint i)
{
  return json_array_get_object_element (sale->tickets, i);
}

static char *
checkin_path (const char *code)
{
  return g_strconcat ("/tickets/", code, "/checkin", NULL);
}

static JsonNode *
door_list (const char *token, gint64 showtime_id)
{
  g_autofree char *path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/tickets", showtime_id);

  return gt_api (server, "GET", path, token, NULL, 200);
}

static JsonObject *
listed (JsonNode *list, gint64 ticket_id)
{
  JsonArray *tickets = json_object_get_array_member (json_node_get_object (list), "tickets");

  for (guint i = 0; i < json_array_get_length (tickets); i++)
    if (json_object_get_int_member (json_array_get_object_element (tickets, i), "id") == ticket_id)
      return json_array_get_object_element (tickets, i);
  g_error ("ticket %" G_GINT64_FORMAT " is not in the door's list", ticket_id);
}

static void
test_list (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_auto (Sale) sale = { 0 };
  g_autoptr (JsonNode) before = NULL;
  g_autoptr (JsonNode) after = NULL;
  g_autoptr (JsonNode) admitted = NULL;
  g_autoptr (JsonNode) refunded = NULL;
  g_autoptr (JsonNode) missing = NULL;
  g_autofree char *checkin = NULL;
  g_autofree char *refund = NULL;
  g_autofree char *refund_body = NULL;
  JsonObject      *one;
  JsonObject      *other;

  sell_tonight (&sale, manager, cashier, "[\"A1\",\"A2\",\"A3\"]");
  before = door_list (cashier, sale.showtime_id);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (before), "showtime_id"), ==,
                   sale.showtime_id);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (before), "rev"), >, 0);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (before), "sold"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (before), "admitted"), ==, 0);
  one = listed (before, json_object_get_int_member (ticket_of (&sale, 0), "id"));
  g_assert_cmpstr (json_object_get_string_member (one, "seat"), ==,
                   json_object_get_string_member (ticket_of (&sale, 0), "seat"));
  g_assert_cmpstr (json_object_get_string_member (one, "type"), ==, "adult");
  g_assert_cmpstr (json_object_get_string_member (one, "status"), ==, "valid");
  g_assert_true (json_object_get_null_member (one, "checked_in_at"));
  g_assert_false (json_object_has_member (one, "code"));

  /* One admitted at Door 3, one refunded. */
  checkin = checkin_path (json_object_get_string_member (ticket_of (&sale, 0), "code"));
  admitted = gt_api (server, "POST", checkin, cashier, "{\"door\":\"Door 3\"}", 200);
  refund = g_strdup_printf ("/bookings/%" G_GINT64_FORMAT "/refund",
                            json_object_get_int_member (json_node_get_object (sale.booking), "id"));
  refund_body = g_strdup_printf ("{\"reason\":\"test\",\"tickets\":[%" G_GINT64_FORMAT "]}",
                                 json_object_get_int_member (ticket_of (&sale, 1), "id"));
  refunded = gt_api (server, "POST", refund, manager, refund_body, 200);

  after = door_list (cashier, sale.showtime_id);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (after), "sold"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (after), "admitted"), ==, 1);
  one = listed (after, json_object_get_int_member (ticket_of (&sale, 0), "id"));
  g_assert_cmpstr (json_object_get_string_member (one, "door"), ==, "Door 3");
  g_assert_cmpstr (json_object_get_string_member (one, "checked_in_at"), ==,
                   json_object_get_string_member (json_node_get_object (admitted),
                                                  "checked_in_at"));
  other = listed (after, json_object_get_int_member (ticket_of (&sale, 1), "id"));
  g_assert_cmpstr (json_object_get_string_member (other, "status"), ==, "refunded");

  missing = gt_api_error (server, "GET", "/showtimes/999999/tickets", cashier, NULL, 404,
                          "not_found");
}

static void
test_scan_twice (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_auto (Sale) sale = { 0 };
  g_autoptr (JsonNode) first = NULL;
  g_autoptr (JsonNode) second = NULL;
  g_autofree char *checkin = NULL;
  JsonObject      *details;
  const char      *at;

  sell_tonight (&sale, manager, cashier, "[\"B1\"]");
  checkin = checkin_path (json_object_get_string_member (ticket_of (&sale, 0), "code"));
  first = gt_api (server, "POST", checkin, cashier, "{\"door\":\"Door 1\"}", 200);
  at = json_object_get_string_member (json_node_get_object (first), "checked_in_at");
  g_assert_nonnull (at);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (first), "door"), ==,
                   "Door 1");

  second = gt_api_error (server, "POST", checkin, cashier, "{\"door\":\"Door 2\"}", 409,
                         "already_checked_in");
  details = gt_error_details (second);
  g_assert_cmpstr (json_object_get_string_member (details, "checked_in_at"), ==, at);
  g_assert_cmpstr (json_object_get_string_member (details, "door"), ==, "Door 1");
}

static void
test_refunded (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_auto (Sale) sale = { 0 };
  g_autoptr (JsonNode) refunded = NULL;
  g_autoptr (JsonNode) refused = NULL;
  g_autofree char *checkin = NULL;
  g_autofree char *refund = NULL;

  sell_tonight (&sale, manager, cashier, "[\"B2\"]");
  refund = g_strdup_printf ("/bookings/%" G_GINT64_FORMAT "/refund",
                            json_object_get_int_member (json_node_get_object (sale.booking), "id"));
  refunded = gt_api (server, "POST", refund, manager, "{\"reason\":\"test\"}", 200);
  checkin = checkin_path (json_object_get_string_member (ticket_of (&sale, 0), "code"));
  refused = gt_api_error (server, "POST", checkin, cashier, "{\"door\":\"Door 1\"}", 409,
                          "conflict");
}

static void
test_forged (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_auto (Sale) sale = { 0 };
  g_autofree char *changed = NULL;
  g_autofree char *truncated = NULL;
  g_autofree char *longer = NULL;
  const char      *code;

  sell_tonight (&sale, manager, cashier, "[\"B3\"]");
  code = json_object_get_string_member (ticket_of (&sale, 0), "code");
  changed = g_strdup (code);
  changed[5] = changed[5] == 'x' ? 'y' : 'x';
  truncated = g_strndup (code, strlen (code) - 4);
  longer = g_strconcat (code, "AA", NULL);

  for (const char *const *c = (const char *const[]){ changed, truncated, longer, "x", NULL }; *c;
       c++)
    {
      g_autofree char *checkin = checkin_path (*c);
      g_autoptr (JsonNode) refused = gt_api_error (server, "POST", checkin, cashier,
                                                   "{\"door\":\"Door 1\"}", 422, "invalid_ticket");
    }

  /* The real one is still unused. */
  {
    g_autofree char *checkin = checkin_path (code);
    g_autoptr (JsonNode)
      admitted = gt_api (server, "POST", checkin, cashier, "{\"door\":\"Door 1\"}", 200);
  }
}

static void
test_wrong_showtime (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           showtime = gt_create_setup (server, manager, 20);
  g_autoptr (JsonNode) booking = gt_sell (server, cashier, showtime, "[\"C4\"]");
  JsonArray *tickets = json_object_get_array_member (json_node_get_object (booking), "tickets");
  g_autofree char *checkin = checkin_path (
    json_object_get_string_member (json_array_get_object_element (tickets, 0), "code"));
  g_autoptr (JsonNode) refused = NULL;
  g_autoptr (JsonNode) list = NULL;

  refused = gt_api_error (server, "POST", checkin, cashier, "{\"door\":\"Door 1\"}", 409,
                          "showtime_closed");
  list = door_list (cashier, showtime);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (list), "admitted"), ==, 0);
}

static void
test_undo (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_auto (Sale) sale = { 0 };
  g_autoptr (JsonNode) first = NULL;
  g_autoptr (JsonNode) forbidden = NULL;
  g_autoptr (JsonNode) undone = NULL;
  g_autoptr (JsonNode) again = NULL;
  g_autoptr (JsonNode) audit = NULL;
  g_autofree char *checkin = NULL;

  sell_tonight (&sale, manager, cashier, "[\"B4\"]");
  checkin = checkin_path (json_object_get_string_member (ticket_of (&sale, 0), "code"));
  first = gt_api (server, "POST", checkin, cashier, "{\"door\":\"Door 1\"}", 200);
  forbidden = gt_api_error (server, "DELETE", checkin, cashier, NULL, 403, "forbidden");
  undone = gt_api (server, "DELETE", checkin, manager, NULL, 200);
  g_assert_true (json_object_get_null_member (json_node_get_object (undone), "checked_in_at"));
  again = gt_api (server, "POST", checkin, cashier, "{\"door\":\"Door 2\"}", 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (again), "door"), ==,
                   "Door 2");
}

/* A door tells of a ticket admitted twice offline: the manager reads it
 * in the audit log; bad input is refused. */
static void
test_double_admission (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_auto (Sale) sale = { 0 };
  g_autoptr (JsonNode) first = NULL;
  g_autoptr (JsonNode) reported = NULL;
  g_autoptr (JsonNode) audit = NULL;
  g_autoptr (JsonNode) refused = NULL;
  g_autofree char *code = NULL;
  g_autofree char *path = NULL;
  g_autofree char *forged = NULL;
  g_autofree char *checkin = NULL;
  JsonArray       *entries;
  gboolean         found = FALSE;

  sell_tonight (&sale, manager, cashier, "[\"B5\"]");
  code = g_strdup (json_object_get_string_member (ticket_of (&sale, 0), "code"));
  checkin = checkin_path (code);
  first = gt_api (server, "POST", checkin, cashier, "{\"door\":\"Door 1\"}", 200);
  path = g_strconcat ("/tickets/", code, "/double-admission", NULL);

  refused = gt_api_error (server, "POST", path, NULL, "{}", 401, "unauthorized");
  g_clear_pointer (&refused, json_node_unref);
  refused = gt_api_error (server, "POST", path, cashier, "{\"door\":\"Door 2\"}", 422,
                          "invalid_field");
  g_clear_pointer (&refused, json_node_unref);
  refused = gt_api_error (server, "POST", path, cashier,
                          "{\"door\":\"Door 2\",\"admitted_at\":\"yesterday\"}", 422,
                          "invalid_field");
  g_clear_pointer (&refused, json_node_unref);
  forged = g_strconcat ("/tickets/", code, "x/double-admission", NULL);
  refused = gt_api_error (server, "POST", forged, cashier,
                          "{\"door\":\"Door 2\",\"admitted_at\":\"2026-11-24T12:00:00Z\"}", 422,
                          "invalid_ticket");

  reported = gt_api (server, "POST", path, cashier,
                     "{\"door\":\"Door 2\",\"admitted_at\":\"2026-11-24T12:00:00Z\"}", 201);
  audit = gt_api (server, "GET", "/audit", manager, NULL, 200);
  entries = json_object_get_array_member (json_node_get_object (audit), "entries");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      JsonObject *details = json_object_get_object_member (entry, "details");

      if (!g_str_equal (json_object_get_string_member (entry, "action"), "checkin.double"))
        continue;
      g_assert_cmpstr (json_object_get_string_member (details, "door"), ==, "Door 2");
      g_assert_cmpstr (json_object_get_string_member (details, "first_door"), ==, "Door 1");
      g_assert_cmpstr (json_object_get_string_member (details, "seat"), ==, "B5");
      found = TRUE;
    }
  g_assert_true (found);
}

static void
test_admitted_offline (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_auto (Sale) sale = { 0 };
  g_autoptr (JsonNode) admitted = NULL;
  g_autoptr (JsonNode) stale = NULL;
  g_autofree char *checkin = NULL;
  g_autofree char *at = gt_time_format (g_get_real_time () / G_USEC_PER_SEC - 120);
  g_autofree char *old = gt_time_format (g_get_real_time () / G_USEC_PER_SEC - 2 * 86400);
  g_autofree char *body = g_strdup_printf ("{\"door\":\"Door 4\",\"admitted_at\":\"%s\"}", at);
  g_autofree char *old_body = g_strdup_printf ("{\"door\":\"Door 4\",\"admitted_at\":\"%s\"}", old);

  sell_tonight (&sale, manager, cashier, "[\"B5\"]");
  checkin = checkin_path (json_object_get_string_member (ticket_of (&sale, 0), "code"));
  stale = gt_api_error (server, "POST", checkin, cashier, old_body, 422, "invalid_field");
  /* A door that was offline two minutes ago: the record is of that time. */
  admitted = gt_api (server, "POST", checkin, cashier, body, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (admitted), "checked_in_at"),
                   ==, at);
}

/* Two doors scan one ticket at the same moment: each from its own thread,
 * connection and session, released together. */
typedef struct
{
  const char *path;
  const char *token;
  const char *body;
  gint       *go;
  guint       status;
} Door;

static gpointer
door_thread (gpointer data)
{
  Door *door = data;
  g_autoptr (SoupSession) session = soup_session_new ();
  g_autoptr (JsonNode) warm = NULL;
  g_autoptr (JsonNode) answer = NULL;
  guint status = 0;

  /* The connection is open before the start, so that both requests leave
   * together. */
  warm = gt_test_request (session, server, "GET", "/health", NULL, NULL, &status);
  while (!g_atomic_int_get (door->go))
    g_thread_yield ();
  answer = gt_test_request (session, server, "POST", door->path, door->token, door->body,
                            &door->status);
  return NULL;
}

static void
test_concurrent (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *one = gt_login (server, "cashier");
  g_autofree char *two = gt_login (server, "cashier2");
  g_auto (Sale) sale = { 0 };
  g_autofree char *checkin = NULL;

  sell_tonight (&sale, manager, one, "[\"A6\"]");
  checkin = checkin_path (json_object_get_string_member (ticket_of (&sale, 0), "code"));

  for (guint round = 0; round < ROUNDS; round++)
    {
      gint     go = 0;
      Door     doors[2] = { { checkin, one, "{\"door\":\"Door 1\"}", &go, 0 },
                            { checkin, two, "{\"door\":\"Door 2\"}", &go, 0 } };
      GThread *threads[2];
      guint    admitted = 0;

      for (guint i = 0; i < 2; i++)
        threads[i] = g_thread_new ("door", door_thread, &doors[i]);
      g_usleep (20 * 1000);
      g_atomic_int_set (&go, 1);
      for (guint i = 0; i < 2; i++)
        g_thread_join (threads[i]);

      for (guint i = 0; i < 2; i++)
        {
          if (doors[i].status == 200)
            admitted++;
          else if (doors[i].status != 409)
            g_error ("round %u: door %u got %u", round, i + 1, doors[i].status);
        }
      g_assert_cmpuint (admitted, ==, 1);

      /* The manager undoes it for the next round. */
      {
        g_autoptr (JsonNode) undone = gt_api (server, "DELETE", checkin, manager, NULL, 200);
      }
    }
}

/* The doors' opening time is a setting: a manager widens it, and a ticket
 * refused as too early is admitted; bad values and cashiers are refused. */
static void
test_door_setting (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           movie = gt_create_movie (server, manager, 90);
  gint64           auditorium = gt_create_auditorium (server, manager, 2, 6, 0);
  gint64           showtime = gt_create_showtime (server, manager, movie, auditorium,
                                                  g_get_real_time () / G_USEC_PER_SEC + 3 * 3600);
  g_autoptr (JsonNode) booking = gt_sell (server, cashier, showtime, "[\"A5\"]");
  JsonArray *tickets = json_object_get_array_member (json_node_get_object (booking), "tickets");
  g_autofree char *checkin = checkin_path (
    json_object_get_string_member (json_array_get_object_element (tickets, 0), "code"));
  g_autoptr (JsonNode) refused = NULL;
  g_autoptr (JsonNode) config = NULL;
  g_autoptr (JsonNode) admitted = NULL;
  g_autoptr (JsonNode) restored = NULL;

  /* Three hours before the show, with the doors opening an hour before. */
  refused = gt_api_error (server, "POST", checkin, cashier, "{\"door\":\"Door 1\"}", 409,
                          "showtime_closed");
  g_clear_pointer (&refused, json_node_unref);
  refused = gt_api_error (server, "PATCH", "/settings", NULL, "{}", 401, "unauthorized");
  g_clear_pointer (&refused, json_node_unref);
  refused = gt_api_error (server, "PATCH", "/settings", cashier, "{\"door_opens_minutes\":200}",
                          403, "forbidden");
  g_clear_pointer (&refused, json_node_unref);
  refused = gt_api_error (server, "PATCH", "/settings", manager, "{\"door_opens_minutes\":-1}", 422,
                          "invalid_field");
  g_clear_pointer (&refused, json_node_unref);
  refused = gt_api_error (server, "PATCH", "/settings", manager, "{\"cinema\":\"\"}", 422,
                          "invalid_field");

  config = gt_api (server, "PATCH", "/settings", manager,
                   "{\"door_opens_minutes\":200,\"reason\":\"a long queue\"}", 200);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (config), "door_opens_minutes"),
                   ==, 200);
  admitted = gt_api (server, "POST", checkin, cashier, "{\"door\":\"Door 1\"}", 200);
  restored = gt_api (server, "PATCH", "/settings", manager, "{\"door_opens_minutes\":60}", 200);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (restored),
                                               "door_opens_minutes"),
                   ==, 60);
}

int
main (int argc, char *argv[])
{
  gt_fixture_init (&argc, &argv);
  server = gt_fixture_server ("main", (const char *[]){ "--demo", NULL });

  gt_fixture_add ("/door/list", test_list);
  gt_fixture_add ("/door/scan-twice", test_scan_twice);
  gt_fixture_add ("/door/refunded", test_refunded);
  gt_fixture_add ("/door/forged", test_forged);
  gt_fixture_add ("/door/wrong-showtime", test_wrong_showtime);
  gt_fixture_add ("/door/undo", test_undo);
  gt_fixture_add ("/door/double-admission", test_double_admission);
  gt_fixture_add ("/door/admitted-offline", test_admitted_offline);
  gt_fixture_add ("/door/concurrent", test_concurrent);
  gt_fixture_add ("/door/setting", test_door_setting);

  return gt_fixture_run ();
}
