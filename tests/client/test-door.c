/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "gt-client-test.h"
#include "gt-replica.h"
#include "gt-test-http.h"

/* Two doors (a GtClient and a GtReplica each) admitting one showtime. With
 * the server away each decides alone from its list: a forged code, a
 * refunded ticket, one used at the other door before the outage and one
 * not in its list are refused; both admit the same ticket. When the server is back their
 * outboxes flush, the server has the ticket checked in once, and the door
 * that came second reports the double admission. */

typedef struct
{
  GtClient  *client;
  GtReplica *replica;
  char      *path;
  guint      doubles; /* GtReplica::double-admission emissions */
} Door;

typedef struct
{
  GtTestServer *server;
  SoupSession  *session;
  char         *dir;
  char         *manager_token;
} Fixture;

/* The server, straight over HTTP */

static JsonObject *
api (Fixture *fixture, const char *method, const char *path, const char *body, const char *key)
{
  const char *const headers[] = { "Idempotency-Key", key, NULL };
  g_autoptr (GBytes) bytes = body ? g_bytes_new (body, strlen (body)) : NULL;
  g_autoptr (JsonNode) node = NULL;
  guint status = 0;

  node = gt_test_request_full (fixture->session, fixture->server->url, method, path,
                               fixture->manager_token, key ? headers : NULL, bytes, &status, NULL);
  if (status != 200 && status != 201)
    g_error ("%s %s: %u", method, path, status);
  return json_object_ref (json_node_get_object (node));
}

static gboolean
double_in_audit (gpointer data)
{
  g_autoptr (JsonObject) audit = api (data, "GET", "/audit", NULL, NULL);
  JsonArray *entries = json_object_get_array_member (audit, "entries");

  for (guint i = 0; i < json_array_get_length (entries); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (entries, i),
                                                    "action"),
                     "checkin.double"))
      return TRUE;
  return FALSE;
}

static gint64
id_of (JsonObject *object)
{
  return json_object_get_int_member (object, "id");
}

/* A showtime starting in five minutes (its doors are open) in a room of its
 * own. */
static gint64
create_showtime (Fixture *fixture, const char *room_name)
{
  g_autoptr (JsonObject) movie = api (fixture, "POST", "/movies",
                                      "{\"title\":\"Door Sync\",\"duration_minutes\":90}", NULL);
  g_autofree char *layout =
    g_strdup_printf ("{\"name\":\"%s\",\"layout\":{\"rows\":[{\"label\":\"A\",\"seats\":"
                     "[{\"number\":1},{\"number\":2},{\"number\":3},{\"number\":4}]}]}}",
                     room_name);
  g_autoptr (JsonObject) room = api (fixture, "POST", "/auditoriums", layout, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC + 300;
  g_autoptr (GDateTime) at = g_date_time_new_from_unix_utc (now - now % 60);
  g_autofree char *starts = g_date_time_format (at, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *body = g_strdup_printf ("{\"movie_id\":%" G_GINT64_FORMAT
                                           ",\"auditorium_id\":%" G_GINT64_FORMAT
                                           ",\"starts_at\":\"%s\",\"prices\":{\"adult\":40000}}",
                                           id_of (movie), id_of (room), starts);
  g_autoptr (JsonObject) showtime = api (fixture, "POST", "/showtimes", body, NULL);

  return id_of (showtime);
}

/* Sells @seat; gives the booking. */
static JsonObject *
sell (Fixture *fixture, gint64 showtime_id, const char *seat)
{
  g_autofree char *path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/holds", showtime_id);
  g_autofree char *seats = g_strdup_printf ("{\"seats\":[\"%s\"]}", seat);
  g_autoptr (JsonObject) hold = api (fixture, "POST", path, seats, NULL);
  g_autofree char *checkout = g_strdup_printf ("/holds/%" G_GINT64_FORMAT "/checkout",
                                               id_of (hold));
  g_autofree char *body = g_strdup_printf ("{\"tickets\":[{\"seat\":\"%s\",\"type\":\"adult\"}],"
                                           "\"payment\":{\"method\":\"card\"}}",
                                           seat);
  g_autofree char *key = g_strdup_printf ("door-sync-%" G_GINT64_FORMAT "-%s", showtime_id, seat);

  return api (fixture, "POST", checkout, body, key);
}

static const char *
code_of (JsonObject *booking)
{
  JsonArray *tickets = json_object_get_array_member (booking, "tickets");

  return json_object_get_string_member (json_array_get_object_element (tickets, 0), "code");
}

/* Doors */

static void
on_double_admission_cb (GtReplica *replica, const char *code, JsonObject *details, Door *door)
{
  g_assert_cmpstr (code, ==, json_object_get_string_member (details, "code"));
  door->doubles++;
}

static void
door_open (Fixture *fixture, Door *door, const char *file, const char *user, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (JsonObject) answer = NULL;

  door->path = g_build_filename (fixture->dir, file, NULL);
  door->client = gt_client_new (fixture->server->url);
  door->replica = gt_replica_new (door->client, door->path, &error);
  g_assert_no_error (error);
  g_signal_connect (door->replica, "double-admission", G_CALLBACK (on_double_admission_cb), door);

  gt_client_login_async (door->client, user, user, name, NULL, gt_on_result_cb, &result);
  answer = gt_client_call_finish (door->client, gt_wait_result (&result), &error);
  g_assert_no_error (error);
  gt_client_set_token (door->client, json_object_get_string_member (answer, "token"));
  gt_replica_start (door->replica);
  gt_wait_for (gt_replica_is_online, door->replica, "the door to be online");
}

static void
door_close (Door *door)
{
  g_autofree char *wal = g_strconcat (door->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (door->path, "-shm", NULL);

  g_clear_object (&door->replica);
  g_clear_object (&door->client);
  g_unlink (door->path);
  g_unlink (wal);
  g_unlink (shm);
  g_clear_pointer (&door->path, g_free);
}

static JsonObject *
load_door (Door *door, gint64 showtime_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  JsonObject *list;

  gt_replica_load_door_async (door->replica, showtime_id, NULL, gt_on_result_cb, &result);
  list = gt_replica_load_door_finish (door->replica, gt_wait_result (&result), &error);
  g_assert_no_error (error);
  return list;
}

static JsonObject *
check_in (Door       *door,
          const char *code,
          const char *name,
          gint64      showtime_id,
          gboolean   *offline,
          GError    **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  gt_replica_check_in_async (door->replica, code, name, showtime_id, NULL, gt_on_result_cb,
                             &result);
  return gt_replica_check_in_finish (door->replica, gt_wait_result (&result), offline, error);
}

static JsonObject *
door_ticket (GtReplica *replica, gint64 showtime_id, gint64 ticket_id)
{
  g_autoptr (JsonObject) list = gt_replica_dup_door (replica, showtime_id);
  JsonArray *tickets = list ? json_object_get_array_member (list, "tickets") : NULL;

  for (guint i = 0; tickets != NULL && i < json_array_get_length (tickets); i++)
    if (id_of (json_array_get_object_element (tickets, i)) == ticket_id)
      return json_object_ref (json_array_get_object_element (tickets, i));
  return NULL;
}

typedef struct
{
  GtReplica  *replica;
  gint64      showtime_id;
  gint64      ticket_id;
  const char *member;
  const char *value;
} TicketWait;

static gboolean
ticket_says (gpointer data)
{
  TicketWait *wait = data;
  g_autoptr (JsonObject) ticket = door_ticket (wait->replica, wait->showtime_id, wait->ticket_id);

  return ticket != NULL
         && g_strcmp0 (json_object_get_string_member_with_default (ticket, wait->member, NULL),
                       wait->value)
              == 0;
}

static gint64
ticket_id_of (JsonObject *booking)
{
  return id_of (
    json_array_get_object_element (json_object_get_array_member (booking, "tickets"), 0));
}

static void
test_offline_doors (void)
{
  const char *const args[] = { "--demo", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) a = NULL;
  g_autoptr (JsonObject) b = NULL;
  g_autoptr (JsonObject) c = NULL;
  g_autoptr (JsonObject) elsewhere = NULL;
  g_autoptr (JsonObject) list = NULL;
  g_autoptr (JsonObject) refund = NULL;
  g_autoptr (JsonObject) server_list = NULL;
  g_autoptr (JsonArray) doubles_one = NULL;
  g_autoptr (JsonArray) doubles_two = NULL;
  g_autofree char *refund_path = NULL;
  g_autofree char *port = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *forged = NULL;
  g_autofree char *list_path = NULL;
  Fixture          fixture = { 0 };
  Door             one = { 0 };
  Door             two = { 0 };
  TicketWait       wait;
  JsonObject      *details;
  JsonObject      *ticket;
  JsonObject      *twice;
  gboolean         offline = FALSE;
  gint64           showtime;
  guint            sold = 0;
  guint            admitted = 0;

  fixture.dir = g_dir_make_tmp ("gt-door-XXXXXX", &error);
  g_assert_no_error (error);
  fixture.server = gt_test_server_start (NULL, args);
  fixture.session = soup_session_new ();
  fixture.manager_token = gt_test_login (fixture.session, fixture.server, "manager", "manager");

  showtime = create_showtime (&fixture, "Door Sync Room");
  a = sell (&fixture, showtime, "A1");
  b = sell (&fixture, showtime, "A2");
  c = sell (&fixture, showtime, "A3");
  elsewhere = sell (&fixture, create_showtime (&fixture, "Door Sync Room 2"), "A1");
  forged = g_strdup (code_of (a));
  forged[7] = forged[7] == 'x' ? 'y' : 'x';

  door_open (&fixture, &one, "door-1.db", "cashier", "Door 1");
  door_open (&fixture, &two, "door-2.db", "cashier2", "Door 2");
  list = load_door (&one, showtime);
  g_assert_cmpint (json_object_get_int_member (list, "sold"), ==, 3);
  g_clear_pointer (&list, json_object_unref);
  list = load_door (&two, showtime);
  g_assert_cmpint (json_object_get_int_member (list, "admitted"), ==, 0);

  /* Before the outage: C is let in at Door 1 and B is refunded; both
   * door lists learn it from the booking changes. */
  ticket = check_in (&one, code_of (c), "Door 1", showtime, &offline, &error);
  g_assert_no_error (error);
  g_assert_false (offline);
  json_object_unref (ticket);
  wait = (TicketWait){ two.replica, showtime, ticket_id_of (c), "door", "Door 1" };
  gt_wait_for (ticket_says, &wait, "door two to learn of C's check-in");
  refund_path = g_strdup_printf ("/bookings/%" G_GINT64_FORMAT "/refund", id_of (b));
  refund = api (&fixture, "POST", refund_path, "{\"reason\":\"test\"}", NULL);
  wait = (TicketWait){ one.replica, showtime, ticket_id_of (b), "status", "refunded" };
  gt_wait_for (ticket_says, &wait, "door one to learn of B's refund");
  g_assert_true (gt_replica_get_door_counts (one.replica, showtime, &sold, &admitted));
  g_assert_cmpuint (sold, ==, 2);
  g_assert_cmpuint (admitted, ==, 1);

  /* The server goes away. */
  port = g_strdup (strrchr (fixture.server->url, ':') + 1);
  db_path = g_strdup (fixture.server->db_path);
  g_assert_cmpint (gt_test_server_stop (fixture.server), ==, 0);
  gt_wait_for (gt_replica_is_not_online, one.replica, "door one to notice");
  gt_wait_for (gt_replica_is_not_online, two.replica, "door two to notice");

  /* Both doors let A in, each on its own. */
  ticket = check_in (&one, code_of (a), "Door 1", showtime, &offline, &error);
  g_assert_no_error (error);
  g_assert_true (offline);
  g_assert_cmpstr (json_object_get_string_member (ticket, "seat"), ==, "A1");
  json_object_unref (ticket);
  ticket = check_in (&two, code_of (a), "Door 2", showtime, &offline, &error);
  g_assert_no_error (error);
  g_assert_true (offline);
  json_object_unref (ticket);
  g_assert_cmpuint (gt_replica_get_outbox_length (one.replica), ==, 1);
  g_assert_cmpuint (gt_replica_get_outbox_length (two.replica), ==, 1);
  g_assert_true (gt_replica_get_door_counts (one.replica, showtime, &sold, &admitted));
  g_assert_cmpuint (admitted, ==, 2);

  /* A copy of A at Door 1, C (used at Door 1) at Door 2, a forgery, and the
   * refunded B: refused offline, with the reason. */
  g_assert_null (check_in (&one, code_of (a), "Door 1", showtime, &offline, &error));
  g_assert_error (error, GT_ERROR, GT_ERROR_ALREADY_CHECKED_IN);
  g_assert_true (offline);
  details = gt_error_get_details (error);
  g_assert_cmpstr (json_object_get_string_member (details, "door"), ==, "Door 1");
  g_assert_nonnull (json_object_get_string_member (details, "checked_in_at"));
  g_clear_error (&error);

  g_assert_null (check_in (&two, code_of (c), "Door 2", showtime, &offline, &error));
  g_assert_error (error, GT_ERROR, GT_ERROR_ALREADY_CHECKED_IN);
  g_assert_cmpstr (json_object_get_string_member (gt_error_get_details (error), "door"), ==,
                   "Door 1");
  g_clear_error (&error);

  g_assert_null (check_in (&one, forged, "Door 1", showtime, &offline, &error));
  g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_TICKET);
  g_assert_true (offline);
  g_clear_error (&error);

  g_assert_null (check_in (&one, code_of (b), "Door 1", showtime, &offline, &error));
  g_assert_error (error, GT_ERROR, GT_ERROR_CONFLICT);
  g_assert_true (offline);
  g_clear_error (&error);

  /* A real ticket of a showtime whose list this door does not keep. */
  g_assert_null (check_in (&one, code_of (elsewhere), "Door 1", 0, &offline, &error));
  g_assert_error (error, GT_ERROR, GT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "not in this counter"));
  g_clear_error (&error);
  g_assert_cmpuint (gt_replica_get_outbox_length (one.replica), ==, 1);

  /* The server comes back on the same address and database. */
  {
    const char *const again_args[] = { "--port", port, NULL };
    GtTestServer     *again = gt_test_server_start (db_path, again_args);

    gt_test_server_free (fixture.server);
    fixture.server = again;
  }
  gt_wait_for (gt_replica_outbox_is_empty, one.replica, "door one's outbox to empty");
  gt_wait_for (gt_replica_outbox_is_empty, two.replica, "door two's outbox to empty");

  /* A went in once as far as the server knows... */
  list_path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/tickets", showtime);
  server_list = api (&fixture, "GET", list_path, NULL, NULL);
  g_assert_cmpint (json_object_get_int_member (server_list, "admitted"), ==, 2);

  /* ...and twice in fact: the door that came second says so. */
  doubles_one = gt_replica_list_double_admissions (one.replica);
  doubles_two = gt_replica_list_double_admissions (two.replica);
  g_assert_cmpuint (json_array_get_length (doubles_one) + json_array_get_length (doubles_two), ==,
                    1);
  g_assert_cmpuint (one.doubles + two.doubles, ==, 1);
  twice = json_array_get_length (doubles_one) ? json_array_get_object_element (doubles_one, 0)
                                              : json_array_get_object_element (doubles_two, 0);
  g_assert_cmpstr (json_object_get_string_member (twice, "code"), ==, code_of (a));
  g_assert_cmpstr (json_object_get_string_member (twice, "seat"), ==, "A1");
  g_assert_cmpstr (json_object_get_string_member (twice, "door"), !=,
                   json_object_get_string_member (twice, "other_door"));
  g_assert_nonnull (json_object_get_string_member (twice, "other_admitted_at"));

  /* The manager reads it in the audit log. */
  gt_wait_for (double_in_audit, &fixture, "the double admission in the audit log");

  door_close (&one);
  door_close (&two);
  g_clear_object (&fixture.session);
  g_free (fixture.manager_token);
  gt_test_server_stop (fixture.server);
  gt_test_server_free (fixture.server);
  g_rmdir (fixture.dir);
  g_free (fixture.dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/replica/door/offline-doors", test_offline_doors);
  return g_test_run ();
}
