/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gt-application.h"
#include "gt-window-private.h"

G_BEGIN_DECLS

/* The real app on its embedded server with demo data in a temporary folder,
 * driven through its widgets. */
typedef struct
{
  GtApplication *app;
  GtWindow      *window;
  char          *dir;
} GtAppFixture;

/* With @demo the database gets demo data and the app waits at sign-in;
 * without, it waits at the first-run page. */
void gt_app_fixture_start (GtAppFixture *fixture, guint hold_seconds, gboolean demo);
/* The app on the central server at @url (no embedded one); waits at sign-in. */
void gt_app_fixture_start_on_server (GtAppFixture *fixture, const char *url);
void gt_app_fixture_stop (GtAppFixture *fixture);
/* Runs the main loop until @condition is true or @seconds pass (then fails). */
void gt_app_wait (const char *what,
                  gboolean (*condition) (gpointer data),
                  gpointer data,
                  guint    seconds);
void gt_app_wait_page (GtAppFixture *fixture, const char *page);
/* Signs in as @user (password the same) and waits for the schedule. */
void gt_app_sign_in (GtAppFixture *fixture, const char *user);
/* Opens the first showtime of today that has not started and has free
 * seats, or of tomorrow; waits for its seat map. Returns it. */
JsonObject *gt_app_open_showtime (GtAppFixture *fixture);
/* Waits until the sale page's hold has @n_seats seats. */
void gt_app_wait_hold (GtAppFixture *fixture, guint n_seats);
/* The first @n free standard seats of the map, next to each other. */
GStrv gt_app_free_seats (GtAppFixture *fixture, guint n);
/* Renders the window to a PNG file. */
void gt_app_save_screenshot (GtAppFixture *fixture, const char *path);
/* Whether a label under @widget, on screen, says exactly @text, as a
 * person would read it. */
gboolean gt_app_shows_label (GtkWidget *widget, const char *text);
/* The narrowest the window can be, whichever page it shows: what a
 * counter's screen must have room for. */
int gt_app_min_width (GtAppFixture *fixture);
/* The widgets of @type under @widget (itself too), in the order of the tree. */
GPtrArray *gt_app_find_all (GtkWidget *widget, GType type);
/* Calls an API operation on the embedded server synchronously (from the
 * test), as another counter would. */
JsonObject *gt_app_call (GtClient   *client,
                         const char *method,
                         const char *path,
                         const char *body,
                         GError    **error);

JsonObject *gt_app_call_with_key (GtClient   *client,
                                  const char *method,
                                  const char *path,
                                  const char *body,
                                  const char *idempotency_key,
                                  GError    **error);
/* Another counter, signed in as @user (password = @user). */
GtClient *gt_app_signed_in_client (GtAppFixture *fixture, const char *user);
/* A 40 × 25 auditorium and a showtime in it tomorrow at 03:00 UTC (adult
 * Rp 50.000), made as a manager; aborts the test on failure. */
JsonObject *gt_app_make_big_showtime (GtAppFixture *fixture);
/* Holds @seats_json (a JSON array of seat ids) and sells them as adult
 * tickets paid by card with @key; aborts the test on failure. */
JsonObject *gt_app_sell (GtClient   *client,
                         gint64      showtime_id,
                         const char *seats_json,
                         const char *key);

G_END_DECLS
