/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-demo"

#include "config.h"

#include "gt-engine-private.h"
#include "gt-json.h"

#define DEMO_DAYS 8

static const struct
{
  const char *title;
  const char *synopsis;
  int         minutes;
  const char *rating;
  const char *genres;
} demo_movies[] = {
  { "The Lantern Keeper",
    "An old lighthouse keeper on a Maluku island takes in a runaway who is looking for her father.",
    128, "13+", "[\"Drama\",\"Adventure\"]" },
  { "Little Kites",
    "Three children build the biggest kite their village has ever seen, and lose it to the wind.",
    96, "SU", "[\"Animation\",\"Family\"]" },
  { "Midnight at Kota Tua",
    "A night guard at a Jakarta museum finds the exhibits rearranged every morning.", 112, "17+",
    "[\"Thriller\",\"Mystery\"]" },
  { "Rice Fields Forever",
    "A city chef inherits a farm in Bali and a stubborn buffalo that came with it.", 105, "13+",
    "[\"Comedy\",\"Romance\"]" },
  { "Orbit of Silence",
    "The crew of a research station must decide whom to believe when Earth stops answering.", 142,
    "13+", "[\"Science fiction\"]" },
};

static const struct
{
  const char *name;
  const char *password;
  const char *display_name;
  const char *role;
} demo_users[] = {
  { "admin", "admin", "Ayu Admin", "admin" },
  { "manager", "manager", "Made Manager", "manager" },
  { "cashier", "cashier", "Citra Cashier", "cashier" },
  { "cashier2", "cashier2", "Dimas Cashier", "cashier" },
};

/* A row of @n seats with aisles after the seat numbers in @aisles (0-ended). */
static JsonObject *
make_row (const char *label,
          int         n,
          const int  *aisles,
          const char *(*type_of) (const char *label, int number, int n))
{
  JsonObject *row = json_object_new ();
  JsonArray  *seats = json_array_new ();
  int         x = 0;

  json_object_set_string_member (row, "label", label);
  for (int number = 1; number <= n; number++)
    {
      JsonObject      *seat = json_object_new ();
      g_autofree char *id = g_strdup_printf ("%s%d", label, number);

      json_object_set_string_member (seat, "id", id);
      json_object_set_int_member (seat, "number", number);
      json_object_set_int_member (seat, "x", x++);
      json_object_set_string_member (seat, "type", type_of (label, number, n));
      json_array_add_object_element (seats, seat);
      for (const int *a = aisles; *a; a++)
        if (*a == number)
          x++;
    }
  json_object_set_array_member (row, "seats", seats);
  return row;
}

static const char *
studio_type (const char *label, int number, int n)
{
  return label[0] == 'J' ? "premium" : "standard";
}

static const char *
small_type (const char *label, int number, int n)
{
  return "standard";
}

static const char *
premiere_type (const char *label, int number, int n)
{
  if (label[0] == 'A' && (number == 1 || number == n))
    return "wheelchair";
  if (label[0] == 'A' && (number == 2 || number == n - 1))
    return "companion";
  if (label[0] == 'P')
    return "couple";
  if (label[0] >= 'M')
    return "premium";
  return "standard";
}

static JsonObject *
make_auditorium (const char *name,
                 int         rows,
                 int         per_row,
                 const int  *aisles,
                 const char *(*type_of) (const char *label, int number, int n))
{
  JsonObject *body = json_object_new ();
  JsonObject *layout = json_object_new ();
  JsonArray  *list = json_array_new ();

  for (int r = 0; r < rows; r++)
    {
      char label[2] = { (char) ('A' + r), 0 };
      json_array_add_object_element (list, make_row (label, per_row, aisles, type_of));
    }
  json_object_set_array_member (layout, "rows", list);
  json_object_set_string_member (body, "name", name);
  json_object_set_object_member (body, "layout", layout);
  return body;
}

static gboolean
load_demo (GtEngine *self, GError **error)
{
  static const int studio_aisles[] = { 4, 10, 0 };
  static const int small_aisles[] = { 6, 0 };
  static const int premiere_aisles[] = { 5, 17, 0 };
  g_autoptr (GArray) movie_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GArray) movie_minutes = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr (GTimeZone) tz = NULL;
  g_autoptr (GDateTime) now = NULL;
  JsonObject *auditoriums[3];
  gint64      auditorium_ids[3];
  guint       next_movie = 0;

  for (guint i = 0; i < G_N_ELEMENTS (demo_users); i++)
    {
      g_autoptr (JsonObject) body = json_object_new ();
      g_autoptr (JsonObject) user = NULL;

      json_object_set_string_member (body, "username", demo_users[i].name);
      json_object_set_string_member (body, "password", demo_users[i].password);
      json_object_set_string_member (body, "display_name", demo_users[i].display_name);
      json_object_set_string_member (body, "role", demo_users[i].role);
      if (!(user = gt_engine_create_user (self, NULL, body, error)))
        return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (demo_movies); i++)
    {
      g_autoptr (JsonObject) body = json_object_new ();
      g_autoptr (JsonObject) movie = NULL;
      g_autoptr (JsonNode) genres = gt_json_parse (demo_movies[i].genres, -1, NULL);
      gint64 id;
      int    minutes = demo_movies[i].minutes;

      json_object_set_string_member (body, "title", demo_movies[i].title);
      json_object_set_string_member (body, "synopsis", demo_movies[i].synopsis);
      json_object_set_int_member (body, "duration_minutes", minutes);
      json_object_set_string_member (body, "rating", demo_movies[i].rating);
      json_object_set_member (body, "genres", json_node_copy (genres));
      if (!(movie = gt_engine_create_movie (self, NULL, body, error)))
        return FALSE;
      id = json_object_get_int_member (movie, "id");
      g_array_append_val (movie_ids, id);
      g_array_append_val (movie_minutes, minutes);
    }

  auditoriums[0] = make_auditorium ("Studio 1", 10, 14, studio_aisles, studio_type);
  auditoriums[1] = make_auditorium ("Studio 2", 8, 12, small_aisles, small_type);
  auditoriums[2] = make_auditorium ("Premiere", 16, 22, premiere_aisles, premiere_type);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (JsonObject) body = auditoriums[i];
      g_autoptr (JsonObject) auditorium = gt_engine_create_auditorium (self, NULL, body, error);

      if (auditorium == NULL)
        return FALSE;
      auditorium_ids[i] = json_object_get_int_member (auditorium, "id");
    }

  /* Four shows a day in each room, from late morning, for a week ahead. */
  tz = _gt_engine_get_timezone (self);
  now = g_date_time_new_from_unix_local (gt_engine_now (self) / G_USEC_PER_SEC);
  {
    g_autoptr (GDateTime) local = g_date_time_to_timezone (now, tz);

    for (int day = 0; day < DEMO_DAYS; day++)
      for (guint a = 0; a < 3; a++)
        {
          g_autoptr (GDateTime) date = g_date_time_add_days (local, day);
          g_autoptr (GDateTime)
            start = g_date_time_new (tz, g_date_time_get_year (date), g_date_time_get_month (date),
                                     g_date_time_get_day_of_month (date), 10, 0, 0);
          gint64 at = (g_date_time_to_unix (start) + 30 * 60 * a) * G_USEC_PER_SEC;

          for (int show = 0; show < 4; show++)
            {
              g_autoptr (JsonObject) body = json_object_new ();
              g_autoptr (JsonObject) prices = json_object_new ();
              g_autoptr (JsonObject) showtime = NULL;
              g_autofree char *starts = gt_time_format (at);
              guint            m = next_movie++ % movie_ids->len;
              gint64           slot = 15 * G_TIME_SPAN_MINUTE;
              gint64 length = (g_array_index (movie_minutes, int, m) + 15) * G_TIME_SPAN_MINUTE;

              json_object_set_int_member (prices, "adult", a == 2 ? 75000 : 50000);
              json_object_set_int_member (prices, "child", a == 2 ? 55000 : 35000);
              if (show < 2)
                json_object_set_int_member (prices, "senior", a == 2 ? 60000 : 40000);
              json_object_set_int_member (body, "movie_id", g_array_index (movie_ids, gint64, m));
              json_object_set_int_member (body, "auditorium_id", auditorium_ids[a]);
              json_object_set_string_member (body, "starts_at", starts);
              json_object_set_object_member (body, "prices", json_object_ref (prices));
              if (!(showtime = gt_engine_create_showtime (self, NULL, body, error)))
                return FALSE;
              /* The next show starts on a quarter hour after cleaning. */
              at += (length + slot - 1) / slot * slot;
            }
        }
  }

  return TRUE;
}

gboolean
gt_engine_load_demo (GtEngine *self, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (GT_IS_ENGINE (self), FALSE);

  if (!gt_engine_is_empty (self))
    {
      gt_error_set (error, GT_ERROR_CONFLICT, NULL,
                    "Demo data goes only into an empty database; this one has data");
      return FALSE;
    }

  /* Demo data is nothing anybody did: it stays out of the audit log. */
  self->audit_off = TRUE;
  ok = load_demo (self, error);
  self->audit_off = FALSE;
  return ok;
}

gboolean
gt_engine_get_setup_needed (GtEngine *self)
{
  sqlite3_stmt *stmt;
  gboolean      needed;

  g_return_val_if_fail (GT_IS_ENGINE (self), FALSE);

  stmt = gt_db_query (self->db, "SELECT NOT EXISTS (SELECT 1 FROM user)", NULL);
  needed = gt_db_step (self->db, stmt, NULL) && sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return needed;
}

JsonObject *
gt_engine_setup (GtEngine *self, JsonObject *body, GError **error)
{
  g_autoptr (JsonObject) user = NULL;
  JsonObject *admin = NULL;
  JsonObject *answer;
  gboolean    demo = FALSE;

  g_return_val_if_fail (GT_IS_ENGINE (self), NULL);

  if (!gt_engine_get_setup_needed (self))
    {
      gt_error_set (error, GT_ERROR_CONFLICT, NULL, "This cinema is set up already");
      return NULL;
    }
  if (!gt_json_get_bool (body, "demo", FALSE, &demo, error)
      || !gt_json_get_object (body, "admin", !demo, &admin, error))
    return NULL;

  if (demo)
    {
      if (!gt_engine_load_demo (self, error))
        return NULL;
    }
  else
    {
      g_autoptr (JsonObject) user_body = json_object_new ();
      const char *display_name = NULL;
      const char *username = NULL;
      const char *password = NULL;

      if (!gt_json_get_string (admin, "username", TRUE, 64, &username, error)
          || !gt_json_get_string (admin, "password", TRUE, 256, &password, error)
          || !gt_json_get_string (admin, "display_name", FALSE, 128, &display_name, error))
        {
          gt_error_nest_field (error, "admin");
          return NULL;
        }
      json_object_set_string_member (user_body, "username", username);
      json_object_set_string_member (user_body, "password", password);
      if (display_name != NULL)
        json_object_set_string_member (user_body, "display_name", display_name);
      json_object_set_string_member (user_body, "role", "admin");
      if (!(user = gt_engine_create_user (self, NULL, user_body, error)))
        return NULL;
    }

  answer = json_object_new ();
  json_object_set_boolean_member (answer, "setup_needed", FALSE);
  json_object_set_boolean_member (answer, "demo", demo);
  return answer;
}
