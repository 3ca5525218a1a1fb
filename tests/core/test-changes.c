/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gt-core-fixture.h"

static JsonArray *
changes_since (GtCoreFixture *f, gint64 since, JsonObject **answer)
{
  g_autoptr (GError) error = NULL;

  *answer = gt_engine_list_changes (f->engine, since, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*answer);
  g_assert_false (json_object_get_boolean_member (*answer, "more"));
  return json_object_get_array_member (*answer, "changes");
}

static const char *
change_state (JsonObject *change)
{
  return json_object_get_string_member (json_object_get_object_member (change, "data"), "state");
}

/* Asserts the seat changes of @list (from @start) are @seats in @state. */
static void
assert_seat_changes (GtCoreFixture *f, JsonArray *list, const char *state, guint n_seats, ...)
{
  g_autoptr (GHashTable) expected = g_hash_table_new (g_str_hash, g_str_equal);
  guint   seen = 0;
  va_list args;

  va_start (args, n_seats);
  for (guint i = 0; i < n_seats; i++)
    g_hash_table_add (expected, va_arg (args, char *));
  va_end (args);

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *change = json_array_get_object_element (list, i);

      if (!g_str_equal (json_object_get_string_member (change, "kind"), "seat"))
        continue;
      seen++;
      g_assert_cmpint (json_object_get_int_member (change, "showtime_id"), ==, f->showtime_id);
      g_assert_cmpstr (json_object_get_string_member (change, "op"), ==, "upsert");
      g_assert_cmpstr (change_state (change), ==, state);
      g_assert_true (
        g_hash_table_contains (expected, json_object_get_string_member (change, "id")));
    }
  g_assert_cmpuint (seen, ==, n_seats);
}

static JsonObject *
find_kind (JsonArray *list, const char *kind)
{
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *change = json_array_get_object_element (list, i);

      if (g_str_equal (json_object_get_string_member (change, "kind"), kind))
        return change;
    }
  return NULL;
}

static void
test_changes_log (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GtPrincipal) manager = gt_core_sign_in (f->engine, "manager", "manager", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) all = NULL;
  g_autoptr (JsonObject) page = NULL;
  g_autoptr (JsonObject) booking = NULL;
  g_autoptr (JsonObject) body = NULL;
  JsonArray  *list;
  JsonObject *change;
  gint64      rev;
  gint64      previous = 0;
  gint64      hold_id;
  gint64      other_showtime;
  gboolean    replayed;

  /* The fixture's catalog: movie, auditorium, showtime, in that order. */
  list = changes_since (f, 0, &all);
  g_assert_cmpuint (json_array_get_length (list), ==, 3);
  g_assert_cmpint (json_object_get_int_member (all, "rev"), ==, gt_engine_get_rev (f->engine));
  for (guint i = 0; i < 3; i++)
    {
      static const char *const kinds[] = { "movie", "auditorium", "showtime" };

      change = json_array_get_object_element (list, i);
      g_assert_cmpint (json_object_get_int_member (change, "rev"), >, previous);
      previous = json_object_get_int_member (change, "rev");
      g_assert_cmpstr (json_object_get_string_member (change, "kind"), ==, kinds[i]);
      g_assert_cmpstr (json_object_get_string_member (change, "op"), ==, "upsert");
      g_assert_nonnull (json_object_get_object_member (change, "data"));
    }
  change = json_array_get_object_element (list, 2);
  g_assert_cmpint (json_object_get_int_member (change, "id"), ==, f->showtime_id);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (change, "data"),
                                               "id"),
                   ==, f->showtime_id);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (list, 0), "id"), ==,
                   f->movie_id);

  /* A hold: one change per seat, with its showtime and state. */
  rev = gt_engine_get_rev (f->engine);
  hold_id = gt_core_hold (f->engine, f->cashier, f->showtime_id, "B1", "B2", NULL);
  g_assert_cmpint (gt_engine_get_rev (f->engine), ==, rev + 2);
  list = changes_since (f, rev, &page);
  assert_seat_changes (f, list, "held", 2, "B1", "B2");
  g_assert_cmpint (json_object_get_int_member (page, "rev"), ==, gt_engine_get_rev (f->engine));
  g_clear_pointer (&page, json_object_unref);

  /* Removing a seat frees it. */
  rev = gt_engine_get_rev (f->engine);
  g_clear_pointer (&booking, json_object_unref);
  booking = gt_engine_remove_hold_seat (f->engine, f->cashier, hold_id, "B2", &error);
  g_assert_no_error (error);
  list = changes_since (f, rev, &page);
  assert_seat_changes (f, list, "free", 1, "B2");
  g_clear_pointer (&page, json_object_unref);

  /* A sale: the seat sold, and the booking. */
  rev = gt_engine_get_rev (f->engine);
  body = gt_core_json ("{\"tickets\":[{\"seat\":\"B1\",\"type\":\"adult\"}],"
                       "\"payment\":{\"method\":\"card\"}}");
  g_clear_pointer (&booking, json_object_unref);
  booking = gt_engine_checkout (f->engine, f->cashier, hold_id, "key-changes", body, &replayed,
                                &error);
  g_assert_no_error (error);
  list = changes_since (f, rev, &page);
  assert_seat_changes (f, list, "sold", 1, "B1");
  change = find_kind (list, "booking");
  g_assert_nonnull (change);
  g_assert_cmpint (json_object_get_int_member (change, "id"), ==,
                   json_object_get_int_member (booking, "id"));
  g_assert_cmpint (json_object_get_int_member (change, "showtime_id"), ==, f->showtime_id);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (change, "data"),
                                                  "status"),
                   ==, "paid");
  g_clear_pointer (&page, json_object_unref);
  g_clear_pointer (&body, json_object_unref);

  /* A refund: the seat free again, the booking refunded. */
  rev = gt_engine_get_rev (f->engine);
  body = gt_core_json ("{\"reason\":\"Changed plans\"}");
  {
    g_autoptr (JsonObject)
      refunded = gt_engine_refund (f->engine, manager, json_object_get_int_member (booking, "id"),
                                   body, &error);
    g_assert_no_error (error);
  }
  list = changes_since (f, rev, &page);
  assert_seat_changes (f, list, "free", 1, "B1");
  change = find_kind (list, "booking");
  g_assert_nonnull (change);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (change, "data"),
                                                  "status"),
                   ==, "refunded");
  g_clear_pointer (&page, json_object_unref);

  /* A deleted showtime is a delete. */
  other_showtime = gt_core_add_showtime (f->engine, f->movie_id, f->auditorium_id,
                                         f->starts_at + G_TIME_SPAN_DAY);
  rev = gt_engine_get_rev (f->engine);
  g_assert_true (gt_engine_delete_showtime (f->engine, NULL, other_showtime, &error));
  g_assert_no_error (error);
  list = changes_since (f, rev, &page);
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  change = json_array_get_object_element (list, 0);
  g_assert_cmpstr (json_object_get_string_member (change, "kind"), ==, "showtime");
  g_assert_cmpstr (json_object_get_string_member (change, "op"), ==, "delete");
  g_assert_cmpint (json_object_get_int_member (change, "id"), ==, other_showtime);
}

static void
test_changes_paging (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) all = NULL;
  g_autoptr (JsonObject) empty = NULL;
  g_autoptr (GArray) paged = g_array_new (FALSE, FALSE, sizeof (gint64));
  JsonArray *list;
  gint64     since = 0;
  guint      pages = 0;
  gboolean   more = TRUE;

  gt_core_hold (f->engine, f->cashier, f->showtime_id, "A1", "A2", "A3", "A4", "A5", "A6", "C1",
                "C2", "C3", "C4", NULL);
  list = changes_since (f, 0, &all);
  g_assert_cmpuint (json_array_get_length (list), ==, 13);

  while (more)
    {
      g_autoptr (JsonObject) page = gt_engine_list_changes (f->engine, since, 4, &error);
      JsonArray *changes;
      guint      n;

      g_assert_no_error (error);
      changes = json_object_get_array_member (page, "changes");
      n = json_array_get_length (changes);
      more = json_object_get_boolean_member (page, "more");
      g_assert_cmpuint (n, <=, 4);
      if (more)
        {
          g_assert_cmpuint (n, ==, 4);
          /* The page's rev is where the next one starts. */
          g_assert_cmpint (
            json_object_get_int_member (page, "rev"), ==,
            json_object_get_int_member (json_array_get_object_element (changes, n - 1), "rev"));
        }
      else
        g_assert_cmpint (json_object_get_int_member (page, "rev"), ==,
                         gt_engine_get_rev (f->engine));
      for (guint i = 0; i < n; i++)
        {
          gint64 rev = json_object_get_int_member (json_array_get_object_element (changes, i),
                                                   "rev");

          g_assert_cmpint (rev, >, since);
          g_array_append_val (paged, rev);
        }
      since = json_object_get_int_member (page, "rev");
      g_assert_cmpuint (++pages, <=, 10);
    }
  g_assert_cmpuint (pages, ==, 4);

  /* The pages together are the whole log, once each, in order. */
  g_assert_cmpuint (paged->len, ==, json_array_get_length (list));
  for (guint i = 0; i < paged->len; i++)
    g_assert_cmpint (g_array_index (paged, gint64, i), ==,
                     json_object_get_int_member (json_array_get_object_element (list, i), "rev"));

  /* Nothing new: an empty page at the current rev. */
  empty = gt_engine_list_changes (f->engine, gt_engine_get_rev (f->engine), 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gt_core_array_length (empty, "changes"), ==, 0);
  g_assert_false (json_object_get_boolean_member (empty, "more"));
  g_assert_cmpint (json_object_get_int_member (empty, "rev"), ==, gt_engine_get_rev (f->engine));
}

static void
test_changes_refused_work_logs_nothing (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) result = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (JsonObject) page = NULL;
  g_autofree char *starts = gt_time_format (f->starts_at + 10 * G_TIME_SPAN_MINUTE);
  gint64           rev;

  gt_core_hold (f->engine, f->cashier, f->showtime_id, "C3", NULL);
  rev = gt_engine_get_rev (f->engine);

  body = gt_core_json ("{\"seats\":[\"C2\",\"C3\"]}");
  result = gt_engine_create_hold (f->engine, f->cashier, f->showtime_id, body, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_SEAT_UNAVAILABLE);
  g_clear_error (&error);
  g_clear_pointer (&body, json_object_unref);

  body = gt_core_json ("{\"movie_id\":%" G_GINT64_FORMAT ",\"auditorium_id\":%" G_GINT64_FORMAT
                       ",\"starts_at\":\"%s\",\"prices\":{\"adult\":1}}",
                       f->movie_id, f->auditorium_id, starts);
  result = gt_engine_create_showtime (f->engine, NULL, body, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_SHOWTIME_OVERLAP);
  g_clear_error (&error);

  g_assert_cmpint (gt_engine_get_rev (f->engine), ==, rev);
  page = gt_engine_list_changes (f->engine, rev, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gt_core_array_length (page, "changes"), ==, 0);
  g_assert_cmpint (gt_core_count (f->engine, "SELECT MAX (rev) FROM change_log"), ==, rev);

  /* The next change follows on. */
  gt_core_hold (f->engine, f->cashier, f->showtime_id, "C2", NULL);
  g_assert_cmpint (gt_engine_get_rev (f->engine), ==, rev + 1);
}

/* The one change gt_engine_read_changes() gives from @since up to @until
 * with @limit, parsed. */
static JsonNode *
read_one_change (GtCoreFixture *f,
                 gint64         since,
                 gint64         until,
                 gint64         limit,
                 gint64        *last,
                 gboolean      *more)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray)
    texts = gt_engine_read_changes (f->engine, since, until, limit, last, more, &error);
  JsonNode *node;

  g_assert_no_error (error);
  g_assert_cmpuint (texts->len, ==, 1);
  node = gt_json_parse (g_ptr_array_index (texts, 0), -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return node;
}

/* /changes pages and /live messages are written as text, the stored data
 * spliced in: what they say must read back as what was changed. */
static void
test_changes_text (GtCoreFixture *f, gconstpointer data)
{
  const char *title = "Say \"when\" \\ back\tslash, caf\xc3\xa9, \x01 end";
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) quoted = g_string_new (NULL);
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (JsonObject) movie = NULL;
  JsonObject *change;
  gint64      rev = gt_engine_get_rev (f->engine);
  gint64      last;
  gboolean    more;

  gt_json_append_string (quoted, title);
  node = gt_json_parse (quoted->str, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_node_get_string (node), ==, title);

  body = json_object_new ();
  json_object_set_string_member (body, "title", title);
  json_object_set_int_member (body, "duration_minutes", 90);
  movie = gt_engine_create_movie (f->engine, NULL, body, &error);
  g_assert_no_error (error);
  gt_core_hold (f->engine, f->cashier, f->showtime_id, "A1", "A2", NULL);
  g_assert_cmpint (gt_engine_get_rev (f->engine), ==, rev + 3);

  /* Up to a revision: the movie and the first seat, with more after them. */
  g_clear_pointer (&node, json_node_unref);
  node = read_one_change (f, rev, rev + 2, 1, &last, &more);
  g_assert_cmpint (last, ==, rev + 1);
  g_assert_true (more);
  change = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (change, "kind"), ==, "movie");
  g_assert_cmpint (json_object_get_int_member (change, "id"), ==,
                   json_object_get_int_member (movie, "id"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (change, "data"),
                                                  "title"),
                   ==, title);

  g_clear_pointer (&node, json_node_unref);
  node = read_one_change (f, last, rev + 2, 100, &last, &more);
  g_assert_cmpint (last, ==, rev + 2);
  g_assert_false (more);
  change = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (change, "kind"), ==, "seat");
  g_assert_cmpstr (json_object_get_string_member (change, "id"), ==, "A1");
  g_assert_cmpint (json_object_get_int_member (change, "showtime_id"), ==, f->showtime_id);
  g_assert_cmpstr (json_object_get_string_member (change, "op"), ==, "upsert");
  g_assert_cmpstr (change_state (change), ==, "held");
}

int
main (int argc, char *argv[])
{
  gt_core_init (&argc, &argv);

  gt_core_add ("/core/changes/log", test_changes_log);
  gt_core_add ("/core/changes/paging", test_changes_paging);
  gt_core_add ("/core/changes/refused-work-logs-nothing", test_changes_refused_work_logs_nothing);
  gt_core_add ("/core/changes/text", test_changes_text);

  return g_test_run ();
}
