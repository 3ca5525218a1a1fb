/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-tickets"

#include "config.h"

#include "gt-server-fixture.h"

static GtTestServer *server;

/* A showtime starting in five minutes, so its door is open, and a booking of
 * @seats_json for it. */
static JsonNode *
sell_for_tonight (const char *manager, const char *cashier, const char *seats_json)
{
  gint64 movie = gt_create_movie (server, manager, 90);
  gint64 auditorium = gt_create_auditorium (server, manager, 2, 6, 0);
  gint64 starts = g_get_real_time () / G_USEC_PER_SEC + 5 * 60;
  gint64 showtime = gt_create_showtime (server, manager, movie, auditorium, starts);

  return gt_sell (server, cashier, showtime, seats_json);
}

static const char *
ticket_code (JsonNode *booking, guint i)
{
  JsonArray *tickets = json_object_get_array_member (json_node_get_object (booking), "tickets");

  return json_object_get_string_member (json_array_get_object_element (tickets, i), "code");
}

static char *
ticket_path (const char *code, const char *suffix)
{
  return g_strconcat ("/tickets/", code, suffix, NULL);
}

/* The code with one character changed, still URL-safe. */
static char *
altered (const char *code)
{
  char *copy = g_strdup (code);
  gsize i = strlen (copy) / 2;

  copy[i] = copy[i] == 'A' ? 'B' : 'A';
  return copy;
}

static void
test_get_ticket (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autoptr (JsonNode) booking = sell_for_tonight (manager, cashier, "[\"A1\",\"A2\"]");
  const char      *code = ticket_code (booking, 0);
  g_autofree char *path = ticket_path (code, NULL);
  g_autoptr (JsonNode) node = NULL;
  JsonObject *ticket;
  JsonNode   *showtime;

  node = gt_api (server, "GET", path, cashier, NULL, 200);
  ticket = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (ticket, "code"), ==, code);
  g_assert_true (g_str_equal (json_object_get_string_member (ticket, "seat"), "A1")
                 || g_str_equal (json_object_get_string_member (ticket, "seat"), "A2"));
  g_assert_true (json_object_has_member (ticket, "checked_in_at"));
  g_assert_true (json_object_get_null_member (ticket, "checked_in_at"));
  /* with its showtime, as an object or an id */
  showtime = json_object_get_member (ticket, "showtime");
  if (showtime == NULL)
    showtime = json_object_get_member (ticket, "showtime_id");
  g_assert_nonnull (showtime);
}

static void
test_codes_url_safe (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autoptr (JsonNode) booking = sell_for_tonight (
    manager, cashier, "[\"A1\",\"A2\",\"A3\",\"A4\",\"A5\",\"A6\",\"B1\",\"B2\",\"B3\",\"B4\"]");
  JsonArray *tickets = json_object_get_array_member (json_node_get_object (booking), "tickets");

  g_assert_cmpuint (json_array_get_length (tickets), ==, 10);
  for (guint i = 0; i < json_array_get_length (tickets); i++)
    {
      const char      *code = ticket_code (booking, i);
      g_autofree char *path = ticket_path (code, NULL);
      g_autoptr (JsonNode) node = NULL;

      g_assert_nonnull (code);
      g_assert_cmpuint (strlen (code), >, 0);
      if (strpbrk (code, "/+?#% &") != NULL)
        g_error ("ticket code %s is not URL-safe", code);
      for (const char *p = code; *p; p++)
        g_assert_true (g_ascii_isgraph (*p));

      node = gt_api (server, "GET", path, cashier, NULL, 200);
    }
}

static void
test_forged (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autoptr (JsonNode) booking = sell_for_tonight (manager, cashier, "[\"B6\"]");
  g_autofree char *changed = altered (ticket_code (booking, 0));
  g_autofree char *truncated = g_strndup (ticket_code (booking, 0),
                                          strlen (ticket_code (booking, 0)) - 1);
  /* a stray "%", sent encoded: decoded once, it is a damaged code, not an
   * unknown path */
  g_autofree char *with_percent = g_strconcat (ticket_code (booking, 0), "%25", NULL);
  const char      *codes[] = { changed, truncated, "GT-FORGED", "AAAAAAAAAAAAAAAAAAAAAAAA",
                               with_percent };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autofree char *path = ticket_path (codes[i], NULL);
      g_autofree char *checkin = ticket_path (codes[i], "/checkin");
      g_autoptr (JsonNode) get = NULL;
      g_autoptr (JsonNode) post = NULL;

      get = gt_api_error (server, "GET", path, cashier, NULL, 422, "invalid_ticket");
      post = gt_api_error (server, "POST", checkin, cashier, "{\"door\":\"Door 1\"}", 422,
                           "invalid_ticket");
    }
}

static void
test_checkin (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autoptr (JsonNode) booking = sell_for_tonight (manager, cashier, "[\"A3\"]");
  const char      *code = ticket_code (booking, 0);
  g_autofree char *path = ticket_path (code, NULL);
  g_autofree char *checkin = ticket_path (code, "/checkin");
  g_autoptr (JsonNode) first = NULL;
  g_autoptr (JsonNode) second = NULL;
  g_autoptr (JsonNode) fetched = NULL;
  JsonObject *details;
  const char *checked_in_at;
  gint64      now = g_get_real_time () / G_USEC_PER_SEC;

  first = gt_api (server, "POST", checkin, cashier, "{\"door\":\"Door 2\"}", 200);
  checked_in_at = json_object_get_string_member (json_node_get_object (first), "checked_in_at");
  g_assert_nonnull (checked_in_at);
  g_assert_cmpint (gt_time_parse (checked_in_at), >=, now - 5);
  g_assert_cmpint (gt_time_parse (checked_in_at), <=, now + 5);

  /* the same ticket shown again, at another door */
  second = gt_api_error (server, "POST", checkin, cashier, "{\"door\":\"Door 5\"}", 409,
                         "already_checked_in");
  details = gt_error_details (second);
  g_assert_cmpstr (json_object_get_string_member (details, "checked_in_at"), ==, checked_in_at);
  g_assert_cmpstr (json_object_get_string_member (details, "door"), ==, "Door 2");

  fetched = gt_api (server, "GET", path, cashier, NULL, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (fetched), "checked_in_at"),
                   ==, checked_in_at);
}

static void
test_undo_checkin (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autoptr (JsonNode) booking = sell_for_tonight (manager, cashier, "[\"A4\"]");
  const char      *code = ticket_code (booking, 0);
  g_autofree char *path = ticket_path (code, NULL);
  g_autofree char *checkin = ticket_path (code, "/checkin");
  g_autoptr (JsonNode) first = NULL;
  g_autoptr (JsonNode) forbidden = NULL;
  g_autoptr (JsonNode) undone = NULL;
  g_autoptr (JsonNode) fetched = NULL;
  g_autoptr (JsonNode) again = NULL;
  guint status = 0;

  first = gt_api (server, "POST", checkin, cashier, "{\"door\":\"Door 1\"}", 200);
  forbidden = gt_api_error (server, "DELETE", checkin, cashier, NULL, 403, "forbidden");

  undone = gt_test_request (gt_fixture_session (), server, "DELETE", checkin, manager, NULL,
                            &status);
  if (status != 200 && status != 204)
    g_error ("DELETE %s as manager: expected 200 or 204, got %u", checkin, status);

  fetched = gt_api (server, "GET", path, cashier, NULL, 200);
  g_assert_true (json_object_get_null_member (json_node_get_object (fetched), "checked_in_at"));
  again = gt_api (server, "POST", checkin, cashier, "{\"door\":\"Door 1\"}", 200);
}

static void
test_refunded_ticket (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  g_autoptr (JsonNode) booking = sell_for_tonight (manager, cashier, "[\"A5\"]");
  const char      *code = ticket_code (booking, 0);
  g_autofree char *checkin = ticket_path (code, "/checkin");
  g_autofree char *refund =
    g_strdup_printf ("/bookings/%" G_GINT64_FORMAT "/refund",
                     json_object_get_int_member (json_node_get_object (booking), "id"));
  g_autoptr (JsonNode) refunded = NULL;
  g_autoptr (JsonNode) refused = NULL;

  refunded = gt_api (server, "POST", refund, manager, "{\"reason\":\"test\"}", 200);
  refused = gt_api_error (server, "POST", checkin, cashier, "{\"door\":\"Door 1\"}", 409,
                          "conflict");
}

static void
test_door_closed (void)
{
  g_autofree char *manager = gt_login (server, "manager");
  g_autofree char *cashier = gt_login (server, "cashier");
  gint64           showtime = gt_create_setup (server, manager, 30);
  g_autoptr (JsonNode) booking = gt_sell (server, cashier, showtime, "[\"C3\"]");
  g_autofree char *checkin = ticket_path (ticket_code (booking, 0), "/checkin");
  g_autofree char *path = ticket_path (ticket_code (booking, 0), NULL);
  g_autoptr (JsonNode) refused = NULL;
  g_autoptr (JsonNode) fetched = NULL;

  /* a ticket for next month is not let in today */
  refused = gt_api_error (server, "POST", checkin, cashier, "{\"door\":\"Door 1\"}", 409,
                          "showtime_closed");
  fetched = gt_api (server, "GET", path, cashier, NULL, 200);
  g_assert_true (json_object_get_null_member (json_node_get_object (fetched), "checked_in_at"));
}

static void
test_public_key (void)
{
  g_autoptr (JsonNode) config = gt_api (server, "GET", "/config", NULL, NULL, 200);
  const char        *key = json_object_get_string_member (json_node_get_object (config),
                                                          "ticket_public_key");
  g_autofree guchar *raw = NULL;
  gsize              len = 0;

  g_assert_nonnull (key);
  raw = g_base64_decode (key, &len);
  /* an Ed25519 public key */
  g_assert_cmpuint (len, ==, 32);
}

int
main (int argc, char *argv[])
{
  gt_fixture_init (&argc, &argv);
  server = gt_fixture_server ("main", (const char *[]){ "--demo", NULL });

  gt_fixture_add ("/tickets/get", test_get_ticket);
  gt_fixture_add ("/tickets/url-safe", test_codes_url_safe);
  gt_fixture_add ("/tickets/forged", test_forged);
  gt_fixture_add ("/tickets/checkin", test_checkin);
  gt_fixture_add ("/tickets/undo-checkin", test_undo_checkin);
  gt_fixture_add ("/tickets/refunded", test_refunded_ticket);
  gt_fixture_add ("/tickets/door-closed", test_door_closed);
  gt_fixture_add ("/tickets/public-key", test_public_key);

  return gt_fixture_run ();
}
