/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "gt-db.h"
#include "gt-engine-private.h"
#include "gt-engine.h"
#include "gt-error.h"
#include "gt-json.h"
#include "gt-principal.h"

G_BEGIN_DECLS

/* Shared by the core unit tests: each case gets its own engine on a fresh
 * file in a temporary directory, a signed-in cashier, and a small catalog:
 * a 100-minute movie, an auditorium of rows A–C with six seats each
 * (x 0–5), and a showtime of it two hours from now priced adult 50000,
 * child 35000. */
typedef struct
{
  char        *dir;
  char        *path;
  GtEngine    *engine;
  GtPrincipal *cashier;
  char        *cashier_token;
  gint64       movie_id;
  gint64       auditorium_id;
  gint64       showtime_id;
  gint64       starts_at;
} GtCoreFixture;

#define GT_CORE_MOVIE_MINUTES 100
#define GT_CORE_PRICE_ADULT   50000
#define GT_CORE_PRICE_CHILD   35000

void gt_core_fixture_set_up (GtCoreFixture *fixture, gconstpointer data);
void gt_core_fixture_tear_down (GtCoreFixture *fixture, gconstpointer data);
/* Calls g_test_init(). Cases run each in a subprocess of their own. */
void gt_core_init (int *argc, char ***argv);
/* Adds a case that runs with a fresh GtCoreFixture. */
void gt_core_add (const char *path, void (*func) (GtCoreFixture *, gconstpointer));
/* Adds a case that sets itself up. */
void gt_core_add_func (const char *path, void (*func) (void));

char *gt_core_make_tmpdir (void);
/* Removes the directory and every file in it. */
void gt_core_remove_dir (const char *dir);

/* A JSON object from printf-style text; aborts the test when it is not one. */
JsonObject *gt_core_json (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* Runs gt_engine_login_async on the thread-default main context until it ends. */
JsonObject *gt_core_login (GtEngine   *engine,
                           const char *username,
                           const char *password,
                           GError    **error);
/* Creates @username with role @role and password "@username-pw" (unless it
 * exists), signs in and authenticates; @token may be NULL. */
GtPrincipal *gt_core_sign_in (GtEngine   *engine,
                              const char *username,
                              const char *role,
                              char      **token);
gint64       gt_core_create_user (GtEngine *engine, const char *username, const char *role);

gint64 gt_core_add_movie (GtEngine *engine, const char *title, int minutes);
/* Rows of @n_seats seats labelled A, B, …; x = number - 1. */
char  *gt_core_grid_layout (int n_rows, int n_seats);
gint64 gt_core_add_auditorium (GtEngine *engine, const char *name, const char *layout_json);
gint64 gt_core_add_showtime (GtEngine *engine,
                             gint64    movie_id,
                             gint64    auditorium_id,
                             gint64    starts_at);
/* A time on a whole minute, @minutes from the engine's now. */
gint64 gt_core_minutes_from_now (GtEngine *engine, int minutes);

/* Holds @seats (a NULL-terminated list) and returns the hold id. */
gint64 gt_core_hold (GtEngine    *engine,
                     GtPrincipal *principal,
                     gint64       showtime_id,
                     const char  *first_seat,
                     ...) G_GNUC_NULL_TERMINATED;
/* The state of @seat as gt_engine_get_seats reports it (free, held, …). */
char *gt_core_seat_state (GtEngine    *engine,
                          GtPrincipal *principal,
                          gint64       showtime_id,
                          const char  *seat);
/* The first column of the first row of @sql on the engine's connection. */
gint64 gt_core_count (GtEngine *engine, const char *sql);
/* Iterates the thread-default main context until @done returns TRUE or
 * @timeout_ms passes; returns whether @done did. */
gboolean gt_core_wait (gboolean (*done) (gpointer), gpointer user_data, guint timeout_ms);

/* Drops the last reference to *@engine and asserts it is finalized. */
void gt_core_unref_engine (GtEngine **engine);

/* The length of the array member @member of @object. */
guint       gt_core_array_length (JsonObject *object, const char *member);
const char *gt_core_error_field (const GError *error);

G_END_DECLS
