/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-manage-page"

#include "config.h"

#include "gt-widget-util.h"
#include <glib/gi18n.h>

#include "gt-audit-view.h"
#include "gt-auditorium-editor.h"
#include "gt-bookings-view.h"
#include "gt-format.h"
#include "gt-json.h"
#include "gt-manage-page.h"
#include "gt-movie-dialog.h"
#include "gt-price-grid.h"
#include "gt-prices.h"
#include "gt-reports-view.h"
#include "gt-users-view.h"
#include "gt-week-timeline.h"

#define N_DAYS         7
#define DEFAULT_ADULT  50000
#define DEFAULT_CHILD  35000
#define DEFAULT_BUFFER 15

struct _GtManagePage
{
  GtkWidget parent_instance;

  GtReplica  *replica;
  GtClient   *client;
  JsonObject *config;
  JsonArray  *movies;      /* all, by title */
  JsonArray  *on_sale;     /* the active ones, as in movie_dropdown */
  JsonArray  *auditoriums; /* as in auditorium_dropdown */
  JsonArray  *day;         /* the chosen auditorium's showtimes that day */
  char       *dates[N_DAYS];
  char       *message;
  gboolean    form_refused; /* the collision row says why the form cannot be saved */

  /* Copying a day: what is left to send, and how it went. */
  GQueue copies;
  guint  copied;
  guint  refused;

  AdwViewStack       *view_stack;
  GtkListBox         *movie_list;
  GtkDropDown        *auditorium_dropdown;
  GtkDropDown        *day_dropdown;
  GtkStack           *day_stack;
  GtkLabel           *day_empty_label;
  GtWeekTimeline     *week_timeline;
  GtkListBox         *showtime_list;
  GtkDropDown        *movie_dropdown;
  AdwEntryRow        *time_row;
  GtPriceGrid        *form_prices;
  AdwActionRow       *collision_row;
  GtkSpinButton      *copy_days_spin;
  GtkSpinButton      *cleaning_spin;
  GtkSpinButton      *door_spin;
  AdwEntryRow        *matinee_until_row;
  GtPriceGrid        *default_prices;
  char               *settings_shown; /* the config the settings' fields show, as JSON */
  AdwActionRow       *settings_row;
  GtUsersView        *users_view;
  GtAuditoriumEditor *auditorium_editor;
  GtBookingsView     *bookings_view;
  GtReportsView      *reports_view;
  GtAuditView        *audit_view;
};

G_DEFINE_FINAL_TYPE (GtManagePage, gt_manage_page, GTK_TYPE_WIDGET)

enum
{
  TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void show_day (GtManagePage *self);
static void on_copy_one_clicked_cb (GtkButton *button, GtManagePage *self);
static void show_week (GtManagePage *self, gint64 auditorium_id);

static GTimeZone *
cinema_zone (GtManagePage *self)
{
  return gt_format_zone (
    self->config ? json_object_get_string_member_with_default (self->config, "timezone", NULL)
                 : NULL);
}

static const char *
timezone_of (GtManagePage *self)
{
  return self->config ? json_object_get_string_member_with_default (self->config, "timezone", "UTC")
                      : "UTC";
}

static void
set_message (GtManagePage *self, const char *message)
{
  g_free (self->message);
  self->message = g_strdup (message ? message : "");
  adw_action_row_set_subtitle (self->collision_row, self->message);
}

static gint64
selected_id (GtkDropDown *dropdown, JsonArray *list)
{
  guint i = gtk_drop_down_get_selected (dropdown);

  if (list == NULL || i == GTK_INVALID_LIST_POSITION || i >= json_array_get_length (list))
    return 0;
  return json_object_get_int_member (json_array_get_object_element (list, i), "id");
}

static JsonObject *
movie_by_id (GtManagePage *self, gint64 id)
{
  for (guint i = 0; self->movies && i < json_array_get_length (self->movies); i++)
    if (json_object_get_int_member (json_array_get_object_element (self->movies, i), "id") == id)
      return json_array_get_object_element (self->movies, i);
  return NULL;
}

static void
fill_dropdown (GtkDropDown *dropdown, JsonArray *list, const char *member, gint64 keep_id)
{
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  for (guint i = 0; list && i < json_array_get_length (list); i++)
    {
      JsonObject *object = json_array_get_object_element (list, i);

      gtk_string_list_append (names,
                              json_object_get_string_member_with_default (object, member, ""));
      if (json_object_get_int_member (object, "id") == keep_id)
        selected = i;
    }
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (dropdown, selected);
}

/* Movies */

static void
on_movie_saved_cb (GtManagePage *self, JsonObject *movie, GtMovieDialog *dialog)
{
  g_autofree char *text = g_strdup_printf (_ ("“%s” is saved"),
                                           json_object_get_string_member (movie, "title"));

  g_signal_emit (self, signals[TOAST], 0, text);
}

static GtkWindow *
open_movie_dialog (GtManagePage *self, JsonObject *movie)
{
  GtMovieDialog *dialog = gt_movie_dialog_new (self->client, movie);

  gtk_window_set_transient_for (GTK_WINDOW (dialog),
                                GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  g_signal_connect_object (dialog, "saved", G_CALLBACK (on_movie_saved_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

static void
on_movie_row_activated_cb (AdwActionRow *row, GtManagePage *self)
{
  open_movie_dialog (self, g_object_get_data (G_OBJECT (row), "movie"));
}

static void
show_movies (GtManagePage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->movie_list))) != NULL)
    gtk_list_box_remove (self->movie_list, child);

  for (guint i = 0; i < json_array_get_length (self->movies); i++)
    {
      JsonObject *movie = json_array_get_object_element (self->movies, i);
      JsonArray  *genres = json_object_get_array_member (movie, "genres");
      g_autoptr (GString) subtitle = g_string_new (NULL);
      GtkWidget *row = gt_plain_action_row_new ();

      g_string_printf (subtitle, _ ("%d min"),
                       (int) json_object_get_int_member_with_default (movie, "duration_minutes",
                                                                      0));
      if (json_object_get_string_member_with_default (movie, "rating", "")[0] != '\0')
        g_string_append_printf (subtitle, " · %s", json_object_get_string_member (movie, "rating"));
      for (guint g = 0; genres && g < json_array_get_length (genres); g++)
        g_string_append_printf (subtitle, "%s%s", g ? ", " : " · ",
                                json_array_get_string_element (genres, g));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     json_object_get_string_member_with_default (movie, "title",
                                                                                 ""));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
      if (!json_object_get_boolean_member_with_default (movie, "active", TRUE))
        {
          GtkWidget *label = gtk_label_new (_ ("Retired"));

          gtk_widget_add_css_class (label, "dim-label");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
        }
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("document-edit-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "movie", json_object_ref (movie),
                              (GDestroyNotify) json_object_unref);
      g_signal_connect_object (row, "activated", G_CALLBACK (on_movie_row_activated_cb), self, 0);
      gtk_list_box_append (self->movie_list, row);
    }
}

static void
add_movie_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  open_movie_dialog (GT_MANAGE_PAGE (widget), NULL);
}

/* Schedule */

/* @time "HH:MM" on the chosen day in the cinema's zone; NULL if not a time. */
static GDateTime *
start_of (GtManagePage *self, const char *time, guint day)
{
  g_autoptr (GTimeZone) tz = cinema_zone (self);
  int  y, m, d, hour = -1, minute = -1;
  char end = 0;

  if (time == NULL || sscanf (time, "%d:%d%c", &hour, &minute, &end) != 2 || hour < 0 || hour > 23
      || minute < 0 || minute > 59)
    return NULL;
  if (sscanf (self->dates[day], "%d-%d-%d", &y, &m, &d) != 3)
    return NULL;
  return g_date_time_new (tz, y, m, d, hour, minute, 0);
}

/* A showtime that starts then could sell nothing: a slip of the keyboard
 * (09:30 for 21:30). */
static gboolean
has_passed (GDateTime *start)
{
  return g_date_time_to_unix (start) < g_get_real_time () / G_USEC_PER_SEC;
}

static gint64
buffer_minutes (GtManagePage *self)
{
  return self->config
           ? json_object_get_int_member_with_default (self->config, "cleaning_buffer_minutes",
                                                      DEFAULT_BUFFER)
           : DEFAULT_BUFFER;
}

/* The showtime of the day that [start, start + minutes) would run into,
 * counting the cleaning time after each, or NULL. The server checks again. */
static JsonObject *
collision (GtManagePage *self, GDateTime *start, gint64 minutes)
{
  gint64 from = g_date_time_to_unix (start);
  gint64 to = from + minutes * 60;
  gint64 buffer = buffer_minutes (self) * 60;

  for (guint i = 0; self->day && i < json_array_get_length (self->day); i++)
    {
      JsonObject *other = json_array_get_object_element (self->day, i);
      gint64      other_from = 0, other_to = 0;

      gt_time_parse (json_object_get_string_member (other, "starts_at"), &other_from);
      gt_time_parse (json_object_get_string_member (other, "ends_at"), &other_to);
      other_from /= G_USEC_PER_SEC;
      other_to /= G_USEC_PER_SEC;
      if (from < other_to + buffer && other_from < to + buffer)
        return other;
    }
  return NULL;
}

static void
update_form (GtManagePage *self)
{
  JsonObject *movie = movie_by_id (self, selected_id (self->movie_dropdown, self->on_sale));
  g_autoptr (GDateTime)
    start = start_of (self, gtk_editable_get_text (GTK_EDITABLE (self->time_row)),
                      gtk_drop_down_get_selected (self->day_dropdown));
  g_autoptr (GError) price_error = NULL;
  g_autoptr (JsonObject) prices = gt_price_grid_dup_prices (self->form_prices, 0, &price_error);
  g_autofree char *title = NULL;
  JsonObject      *other = NULL;
  gboolean         ready = FALSE;
  gboolean         passed = FALSE;

  gtk_widget_remove_css_class (GTK_WIDGET (self->collision_row), "error");
  if (movie == NULL)
    title = g_strdup (self->on_sale && json_array_get_length (self->on_sale) > 0
                        ? _ ("Choose a movie")
                        : _ ("No movie to show yet: add one in the Movies tab first"));
  else if (start == NULL)
    title = g_strdup (_ ("Type the start time as HH:MM"));
  else if ((passed = has_passed (start)))
    {
      title = g_strdup (_ ("That time has passed: choose one still to come"));
      gtk_widget_add_css_class (GTK_WIDGET (self->collision_row), "error");
    }
  else if (prices == NULL)
    title = g_strdup (price_error->message);
  else if (json_object_get_size (prices) == 0)
    title = g_strdup (_ ("Give at least one ticket type a price"));
  else if ((other = collision (self, start,
                               json_object_get_int_member (movie, "duration_minutes"))))
    {
      g_autofree char *at = gt_format_time (json_object_get_string_member (other, "starts_at"),
                                            timezone_of (self), "%H:%M");
      g_autofree char *until = gt_format_time (json_object_get_string_member (other, "ends_at"),
                                               timezone_of (self), "%H:%M");

      title = g_strdup_printf (_ ("Collides with %s %s (until %s, then %d min cleaning)"), at,
                               json_object_get_string_member_with_default (other, "movie_title",
                                                                           ""),
                               until, (int) buffer_minutes (self));
      gtk_widget_add_css_class (GTK_WIDGET (self->collision_row), "error");
    }
  else
    {
      g_autoptr (GDateTime)
        end = g_date_time_add_minutes (start,
                                       json_object_get_int_member (movie, "duration_minutes"));
      g_autofree char *from = g_date_time_format (start, "%H:%M");
      g_autofree char *to = g_date_time_format (end, "%H:%M");

      title = g_strdup_printf (_ ("Ready to add: %s–%s"), from, to);
      ready = TRUE;
    }
  self->form_refused = other != NULL || passed;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->collision_row), title);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "manage.add-showtime", ready);
}

static void
on_form_changed_cb (GtManagePage *self)
{
  update_form (self);
}

/* A start time brings its default prices along; the manager may still
 * change them before adding. */
static void
on_time_changed_cb (GtManagePage *self)
{
  g_autoptr (GDateTime)
    start = start_of (self, gtk_editable_get_text (GTK_EDITABLE (self->time_row)),
                      gtk_drop_down_get_selected (self->day_dropdown));
  JsonObject *prices = start
                         ? gt_prices_for (gt_json_object_member (self->config, "price_defaults"),
                                          start)
                         : NULL;

  if (prices != NULL)
    gt_price_grid_set_prices (self->form_prices, 0, prices);
  update_form (self);
}

static void
on_deleted_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtManagePage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = gt_client_call_finish (GT_CLIENT (object), result, &error);

  set_message (self, error ? error->message : _ ("The showtime is removed"));
}

static void
on_delete_clicked_cb (GtkButton *button, GtManagePage *self)
{
  JsonObject      *showtime = g_object_get_data (G_OBJECT (button), "showtime");
  g_autofree char *path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT,
                                           json_object_get_int_member (showtime, "id"));

  gt_client_call_async (self->client, "DELETE", path, NULL, NULL, NULL, on_deleted_cb,
                        g_object_ref (self));
}

static void
on_moved_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtManagePage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) showtime = gt_client_call_finish (GT_CLIENT (object), result, &error);
  g_autofree char *at = NULL;
  g_autofree char *text = NULL;

  /* Said under the form and in a toast: a move dragged on the week is
   * answered where the manager is looking. */
  if (showtime == NULL)
    {
      set_message (self, error->message);
      g_signal_emit (self, signals[TOAST], 0, error->message);
      return;
    }
  at = gt_format_time (json_object_get_string_member (showtime, "starts_at"), timezone_of (self),
                       "%H:%M, %a %-d %b");
  text = g_strdup_printf (_ ("Moved %s to %s"),
                          json_object_get_string_member_with_default (showtime, "movie_title", ""),
                          at);
  set_message (self, text);
  g_signal_emit (self, signals[TOAST], 0, text);
}

static void
move_showtime (GtManagePage *self, gint64 showtime_id, guint day, const char *time)
{
  g_autoptr (GDateTime) start = start_of (self, time, day);
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (JsonObject) body = json_object_new ();
  g_autofree char *starts_at = NULL;
  g_autofree char *path = NULL;

  if (start == NULL || has_passed (start))
    {
      const char *message = start ? _ ("That time has passed: choose one still to come")
                                  : _ ("Type the new start time as HH:MM");

      set_message (self, message);
      g_signal_emit (self, signals[TOAST], 0, message);
      return;
    }
  utc = g_date_time_to_utc (start);
  starts_at = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  json_object_set_string_member (body, "starts_at", starts_at);
  path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT, showtime_id);
  set_message (self, _ ("Moving…"));
  gt_client_call_async (self->client, "PATCH", path, body, NULL, NULL, on_moved_cb,
                        g_object_ref (self));
}

static void
on_move_clicked_cb (GtkButton *button, GtManagePage *self)
{
  gtk_popover_popdown (
    GTK_POPOVER (gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_POPOVER)));
  move_showtime (self,
                 json_object_get_int_member (g_object_get_data (G_OBJECT (button), "showtime"),
                                             "id"),
                 gtk_drop_down_get_selected (g_object_get_data (G_OBJECT (button), "day")),
                 gtk_editable_get_text (g_object_get_data (G_OBJECT (button), "entry")));
}

static GtkWidget *
make_showtime_row (GtManagePage *self, JsonObject *showtime)
{
  GtkWidget  *row = gt_plain_action_row_new ();
  JsonObject *prices = json_object_get_object_member (showtime, "prices");
  g_autoptr (GList) types = prices ? json_object_get_members (prices) : NULL;
  g_autoptr (GString) subtitle = g_string_new (NULL);
  g_autofree char *from = gt_format_time (json_object_get_string_member (showtime, "starts_at"),
                                          timezone_of (self), "%H:%M");
  g_autofree char *to = gt_format_time (json_object_get_string_member (showtime, "ends_at"),
                                        timezone_of (self), "%H:%M");
  g_autofree char *title =
    g_strdup_printf ("%s–%s · %s", from, to,
                     json_object_get_string_member_with_default (showtime, "movie_title", ""));
  gint64 total = json_object_get_int_member_with_default (showtime, "seats_total", 0);
  gint64 free_seats = json_object_get_int_member_with_default (showtime, "seats_free", 0);

  for (GList *l = types; l != NULL; l = l->next)
    {
      g_autofree char *type = gt_format_ticket_type (l->data);
      g_autofree char *price = gt_format_config_money (self->config,
                                                       json_object_get_int_member (prices,
                                                                                   l->data));

      g_string_append_printf (subtitle, "%s%s %s", l == types ? "" : " · ", type, price);
    }
  g_string_append_printf (subtitle, " · ");
  g_string_append_printf (subtitle, _ ("%d of %d taken"), (int) (total - free_seats), (int) total);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  {
    GtkWidget *copy = gtk_menu_button_new ();
    GtkWidget *popover = gtk_popover_new ();
    GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
    GtkWidget *days = gtk_spin_button_new_with_range (1, 28, 1);
    GtkWidget *go = gtk_button_new_with_mnemonic (_ ("_Copy to the Following Days"));

    gtk_spin_button_set_value (GTK_SPIN_BUTTON (days), 6);
    gtk_box_append (GTK_BOX (box), days);
    gtk_box_append (GTK_BOX (box), go);
    gtk_popover_set_child (GTK_POPOVER (popover), box);
    gtk_menu_button_set_popover (GTK_MENU_BUTTON (copy), popover);
    gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (copy), "edit-copy-symbolic");
    gtk_widget_set_tooltip_text (copy, _ ("Copy this showtime to the following days"));
    gtk_widget_add_css_class (copy, "flat");
    gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
    g_object_set_data_full (G_OBJECT (go), "showtime", json_object_ref (showtime),
                            (GDestroyNotify) json_object_unref);
    g_object_set_data (G_OBJECT (go), "days", days);
    g_signal_connect_object (go, "clicked", G_CALLBACK (on_copy_one_clicked_cb), self, 0);
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), copy);
  }
  if (total == free_seats)
    {
      GtkWidget *move = gtk_menu_button_new ();
      GtkWidget *popover = gtk_popover_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *entry = gtk_entry_new ();
      GtkWidget *day = gtk_drop_down_new (
        G_LIST_MODEL (g_object_ref (gtk_drop_down_get_model (self->day_dropdown))), NULL);
      GtkWidget *go = gtk_button_new_with_mnemonic (_ ("_Move"));

      /* Another day of the week, another start time; the server checks the
       * collisions. */
      gtk_drop_down_set_selected (GTK_DROP_DOWN (day),
                                  gtk_drop_down_get_selected (self->day_dropdown));
      gtk_editable_set_width_chars (GTK_EDITABLE (entry), 6);
      gtk_editable_set_text (GTK_EDITABLE (entry), from);
      gtk_box_append (GTK_BOX (box), day);
      gtk_box_append (GTK_BOX (box), entry);
      gtk_box_append (GTK_BOX (box), go);
      gtk_popover_set_child (GTK_POPOVER (popover), box);
      gtk_menu_button_set_popover (GTK_MENU_BUTTON (move), popover);
      gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (move), "document-edit-symbolic");
      gtk_widget_set_tooltip_text (move, _ ("Move to another day or time"));
      gtk_widget_add_css_class (move, "flat");
      gtk_widget_set_valign (move, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (go), "showtime", json_object_ref (showtime),
                              (GDestroyNotify) json_object_unref);
      g_object_set_data (G_OBJECT (go), "entry", entry);
      g_object_set_data (G_OBJECT (go), "day", day);
      g_signal_connect_object (go, "clicked", G_CALLBACK (on_move_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), move);
    }
  if (total == free_seats)
    {
      GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, _ ("Remove this showtime"));
      gtk_widget_add_css_class (button, "flat");
      g_object_set_data_full (G_OBJECT (button), "showtime", json_object_ref (showtime),
                              (GDestroyNotify) json_object_unref);
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_delete_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  return row;
}

static void
show_day (GtManagePage *self)
{
  gint64 auditorium_id = selected_id (self->auditorium_dropdown, self->auditoriums);
  guint  day = gtk_drop_down_get_selected (self->day_dropdown);
  g_autoptr (JsonArray) all = NULL;
  GtkWidget *child;

  if (self->replica == NULL || day >= N_DAYS)
    return;

  g_clear_pointer (&self->day, json_array_unref);
  self->day = json_array_new ();
  all = gt_replica_list_showtimes (self->replica, self->dates[day]);
  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *showtime = json_array_get_object_element (all, i);

      if (json_object_get_int_member (showtime, "auditorium_id") == auditorium_id)
        json_array_add_object_element (self->day, json_object_ref (showtime));
    }

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->showtime_list))) != NULL)
    gtk_list_box_remove (self->showtime_list, child);
  for (guint i = 0; i < json_array_get_length (self->day); i++)
    gtk_list_box_append (self->showtime_list,
                         make_showtime_row (self, json_array_get_object_element (self->day, i)));
  /* A new cinema: where to begin. */
  gtk_label_set_label (self->day_empty_label,
                       self->auditoriums && json_array_get_length (self->auditoriums) > 0
                         ? _ ("Nothing is scheduled in this auditorium on this day")
                         : _ ("No auditorium yet: add one in the Auditoriums tab first"));
  gtk_stack_set_visible_child_name (self->day_stack,
                                    json_array_get_length (self->day) ? "list" : "empty");
  show_week (self, auditorium_id);
  update_form (self);
}

static void
on_schedule_choice_cb (GtManagePage *self)
{
  show_day (self);
}

/* Bookings, money and the audit log change with every sale and refund, at
 * any counter: a tab shown says what is true now. */
static void
on_tab_shown_cb (GtManagePage *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);

  if (self->client == NULL || name == NULL)
    return;
  if (g_str_equal (name, "bookings"))
    gt_bookings_view_refresh (self->bookings_view);
  else if (g_str_equal (name, "reports"))
    gt_reports_view_refresh (self->reports_view);
  else if (g_str_equal (name, "audit"))
    gt_audit_view_refresh (self->audit_view);
}

static void
on_day_activated_cb (GtManagePage *self, guint day)
{
  gtk_drop_down_set_selected (self->day_dropdown, day);
}

/* The auditorium's whole week above the chosen day. */
static void
show_week (GtManagePage *self, gint64 auditorium_id)
{
  JsonArray  *days[N_DAYS];
  const char *labels[N_DAYS];
  GListModel *names = gtk_drop_down_get_model (self->day_dropdown);

  for (guint d = 0; d < N_DAYS; d++)
    {
      g_autoptr (JsonArray) all = gt_replica_list_showtimes (self->replica, self->dates[d]);

      days[d] = json_array_new ();
      for (guint i = 0; i < json_array_get_length (all); i++)
        if (json_object_get_int_member (json_array_get_object_element (all, i), "auditorium_id")
            == auditorium_id)
          json_array_add_object_element (days[d],
                                         json_object_ref (json_array_get_object_element (all, i)));
      labels[d] = names && d < g_list_model_get_n_items (names)
                    ? gtk_string_list_get_string (GTK_STRING_LIST (names), d)
                    : "";
    }
  gt_week_timeline_set_week (self->week_timeline, (JsonArray *const *) days, labels,
                             timezone_of (self), buffer_minutes (self),
                             gtk_drop_down_get_selected (self->day_dropdown));
  for (guint d = 0; d < N_DAYS; d++)
    json_array_unref (days[d]);
}

static JsonObject *
showtime_body (gint64 movie_id, gint64 auditorium_id, GDateTime *start, JsonObject *prices)
{
  JsonObject *body = json_object_new ();
  g_autoptr (GDateTime) utc = g_date_time_to_utc (start);
  g_autofree char *starts_at = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");

  json_object_set_int_member (body, "movie_id", movie_id);
  json_object_set_int_member (body, "auditorium_id", auditorium_id);
  json_object_set_string_member (body, "starts_at", starts_at);
  json_object_set_object_member (body, "prices", json_object_ref (prices));
  return body;
}

static void
on_added_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtManagePage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) showtime = gt_client_call_finish (GT_CLIENT (object), result, &error);

  if (showtime == NULL)
    {
      set_message (self, gt_client_error_is_network (error)
                           ? _ ("The server does not answer: nothing was added")
                           : error->message);
      return;
    }
  {
    g_autofree char *at = gt_format_time (json_object_get_string_member (showtime, "starts_at"),
                                          timezone_of (self), "%H:%M");
    g_autofree char *text = g_strdup_printf (
      _ ("Added %s at %s"),
      json_object_get_string_member_with_default (showtime, "movie_title", ""), at);
    set_message (self, text);
  }
  gtk_editable_set_text (GTK_EDITABLE (self->time_row), "");
}

static void
add_showtime_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtManagePage *self = GT_MANAGE_PAGE (widget);
  g_autoptr (GDateTime)
    start = start_of (self, gtk_editable_get_text (GTK_EDITABLE (self->time_row)),
                      gtk_drop_down_get_selected (self->day_dropdown));
  g_autoptr (JsonObject) prices = gt_price_grid_dup_prices (self->form_prices, 0, NULL);
  g_autoptr (JsonObject) body = NULL;

  if (start == NULL || prices == NULL || self->form_refused)
    return;
  body = showtime_body (selected_id (self->movie_dropdown, self->on_sale),
                        selected_id (self->auditorium_dropdown, self->auditoriums), start, prices);
  set_message (self, NULL);
  gt_client_call_async (self->client, "POST", "/showtimes", body, NULL, NULL, on_added_cb,
                        g_object_ref (self));
}

static void copy_next (GtManagePage *self);

static void
on_copied_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtManagePage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) showtime = gt_client_call_finish (GT_CLIENT (object), result, &error);

  if (showtime != NULL)
    self->copied++;
  else
    self->refused++;
  copy_next (self);
}

static void
copy_next (GtManagePage *self)
{
  g_autoptr (JsonObject) body = g_queue_pop_head (&self->copies);

  if (body == NULL)
    {
      g_autofree char *text = NULL;

      if (self->refused == 0)
        text = g_strdup_printf (ngettext ("Copied: %u showtime added", "Copied: %u showtimes added",
                                          self->copied),
                                self->copied);
      else
        text = g_strdup_printf (_ ("Copied: %u added, %u refused (they collide with showtimes "
                                   "already there)"),
                                self->copied, self->refused);
      set_message (self, text);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "manage.copy-day", TRUE);
      return;
    }
  gt_client_call_async (self->client, "POST", "/showtimes", body, NULL, NULL, on_copied_cb,
                        g_object_ref (self));
}

/* Copies @showtimes to the @days following days, at the same wall-clock
 * time; the server refuses those that would collide. */
static void
copy_showtimes (GtManagePage *self, JsonArray *showtimes, guint days)
{
  g_autoptr (GTimeZone) tz = cinema_zone (self);

  if (showtimes == NULL || json_array_get_length (showtimes) == 0)
    {
      set_message (self, _ ("There is nothing to copy on this day"));
      return;
    }
  self->copied = self->refused = 0;
  for (guint d = 1; d <= days; d++)
    for (guint i = 0; i < json_array_get_length (showtimes); i++)
      {
        JsonObject *showtime = json_array_get_object_element (showtimes, i);
        gint64      us = 0;
        g_autoptr (GDateTime) utc = NULL;
        g_autoptr (GDateTime) local = NULL;
        g_autoptr (GDateTime) later = NULL;

        gt_time_parse (json_object_get_string_member (showtime, "starts_at"), &us);
        utc = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);
        local = g_date_time_to_timezone (utc, tz);
        later = g_date_time_add_days (local, d);
        g_queue_push_tail (&self->copies,
                           showtime_body (json_object_get_int_member (showtime, "movie_id"),
                                          json_object_get_int_member (showtime, "auditorium_id"),
                                          later,
                                          json_object_get_object_member (showtime, "prices")));
      }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "manage.copy-day", FALSE);
  set_message (self, _ ("Copying…"));
  copy_next (self);
}

static void
copy_day_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtManagePage *self = GT_MANAGE_PAGE (widget);
  GtkWidget    *popover = gtk_widget_get_ancestor (GTK_WIDGET (self->copy_days_spin),
                                                   GTK_TYPE_POPOVER);

  /* The answer shows under the form and on the week, not in the popover. */
  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
  copy_showtimes (self, self->day, gtk_spin_button_get_value_as_int (self->copy_days_spin));
}

static void
on_copy_one_clicked_cb (GtkButton *button, GtManagePage *self)
{
  g_autoptr (JsonArray) one = json_array_new ();
  GtkSpinButton *days = g_object_get_data (G_OBJECT (button), "days");

  gtk_popover_popdown (
    GTK_POPOVER (gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_POPOVER)));
  json_array_add_object_element (one, json_object_ref (
                                        g_object_get_data (G_OBJECT (button), "showtime")));
  copy_showtimes (self, one, gtk_spin_button_get_value_as_int (days));
}

/* Whether the settings' fields show self->config already; notes that they
 * will from now on. */
static gboolean
same_settings_shown (GtManagePage *self)
{
  g_autofree char *text = gt_json_to_string (self->config);

  if (g_strcmp0 (text, self->settings_shown) == 0)
    return TRUE;
  g_free (self->settings_shown);
  self->settings_shown = g_steal_pointer (&text);
  return FALSE;
}

/* The columns of the default prices, in the order of price_defaults' tiers. */
static const char *const price_tiers[] = { "matinee", "evening", "weekend" };

static void
show_price_defaults (GtManagePage *self)
{
  JsonObject *defaults = gt_json_object_member (self->config, "price_defaults");
  JsonObject *matinee = gt_json_object_member (defaults, "matinee");

  for (guint i = 0; i < G_N_ELEMENTS (price_tiers); i++)
    gt_price_grid_set_prices (
      self->default_prices, i,
      gt_json_object_member (gt_json_object_member (defaults, price_tiers[i]), "prices"));
  gtk_editable_set_text (GTK_EDITABLE (self->matinee_until_row),
                         matinee
                           ? json_object_get_string_member_with_default (matinee, "until", "17:00")
                           : "17:00");
}

static void
on_settings_saved_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtManagePage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) config = gt_client_call_finish (GT_CLIENT (object), result, &error);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->settings_row),
                                 config ? _ ("Saved: new showtimes and the doors follow them")
                                        : error->message);
  if (config != NULL)
    {
      g_clear_pointer (&self->config, json_object_unref);
      self->config = g_steal_pointer (&config);
      update_form (self);
    }
}

static void
save_settings_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtManagePage *self = GT_MANAGE_PAGE (widget);
  g_autoptr (JsonObject) body = json_object_new ();
  g_autoptr (JsonObject) defaults = json_object_new ();
  const char *until = gtk_editable_get_text (GTK_EDITABLE (self->matinee_until_row));

  json_object_set_int_member (body, "cleaning_buffer_minutes",
                              gtk_spin_button_get_value_as_int (self->cleaning_spin));
  json_object_set_int_member (body, "door_opens_minutes",
                              gtk_spin_button_get_value_as_int (self->door_spin));
  for (guint i = 0; i < G_N_ELEMENTS (price_tiers); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonObject) prices = gt_price_grid_dup_prices (self->default_prices, i, &error);
      JsonObject *tier;

      if (prices == NULL)
        {
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->settings_row), error->message);
          return;
        }
      if (json_object_get_size (prices) == 0)
        continue;
      tier = json_object_new ();
      json_object_set_object_member (tier, "prices", g_steal_pointer (&prices));
      if (i == 0)
        json_object_set_string_member (tier, "until", until[0] ? until : "17:00");
      json_object_set_object_member (defaults, price_tiers[i], tier);
    }
  if (json_object_get_size (defaults) > 0)
    json_object_set_object_member (body, "price_defaults", json_object_ref (defaults));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->settings_row), _ ("Saving…"));
  gt_client_call_async (self->client, "PATCH", "/settings", body, NULL, NULL, on_settings_saved_cb,
                        g_object_ref (self));
}

static void
on_replica_changed_cb (GtManagePage *self)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gt_manage_page_refresh (self);
}

/* Overrides */

static void
gt_manage_page_dispose (GObject *object)
{
  GtManagePage *self = (GtManagePage *) object;

  g_queue_clear_full (&self->copies, (GDestroyNotify) json_object_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), GT_TYPE_MANAGE_PAGE);
  gt_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->replica);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (gt_manage_page_parent_class)->dispose (object);
}

static void
gt_manage_page_finalize (GObject *object)
{
  GtManagePage *self = (GtManagePage *) object;

  g_clear_pointer (&self->config, json_object_unref);
  g_clear_pointer (&self->movies, json_array_unref);
  g_clear_pointer (&self->on_sale, json_array_unref);
  g_clear_pointer (&self->auditoriums, json_array_unref);
  g_clear_pointer (&self->day, json_array_unref);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->settings_shown, g_free);
  for (guint i = 0; i < N_DAYS; i++)
    g_free (self->dates[i]);

  G_OBJECT_CLASS (gt_manage_page_parent_class)->finalize (object);
}

static void
gt_manage_page_class_init (GtManagePageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gt_manage_page_dispose;
  object_class->finalize = gt_manage_page_finalize;

  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/id/goticket/GoTicket/ui/gt-manage-page.ui");
  gtk_widget_class_bind_template_child (widget_class, GtManagePage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, GtManagePage, movie_list);
  gtk_widget_class_bind_template_child (widget_class, GtManagePage, auditorium_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GtManagePage, day_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GtManagePage, day_stack);
  gtk_widget_class_bind_template_child (widget_class, GtManagePage, week_timeline);
  gtk_widget_class_bind_template_child (widget_class, GtManagePage, day_empty_label);
  gtk_widget_class_bind_template_child (widget_class, GtManagePage, showtime_list);
  gtk_widget_class_bind_template_child (widget_class, GtManagePage, movie_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GtManagePage, time_row);
  gtk_widget_class_bind_template_child (widget_class, GtManagePage, form_prices);
  gtk_widget_class_bind_template_child (widget_class, GtManagePage, collision_row);
  gtk_widget_class_bind_template_child (widget_class, GtManagePage, copy_days_spin);
  gtk_widget_class_bind_template_child (widget_class, GtManagePage, cleaning_spin);
  gtk_widget_class_bind_template_child (widget_class, GtManagePage, door_spin);
  gtk_widget_class_bind_template_child (widget_class, GtManagePage, matinee_until_row);
  gtk_widget_class_bind_template_child (widget_class, GtManagePage, default_prices);
  gtk_widget_class_bind_template_child (widget_class, GtManagePage, settings_row);
  gtk_widget_class_bind_template_child (widget_class, GtManagePage, users_view);
  gtk_widget_class_bind_template_child (widget_class, GtManagePage, auditorium_editor);
  gtk_widget_class_bind_template_child (widget_class, GtManagePage, bookings_view);
  gtk_widget_class_bind_template_child (widget_class, GtManagePage, reports_view);
  gtk_widget_class_bind_template_child (widget_class, GtManagePage, audit_view);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_time_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_schedule_choice_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_day_activated_cb);
  /* A showtime dropped on the week: (id, day, "HH:MM"), as move_showtime() takes them. */
  gtk_widget_class_bind_template_callback_full (widget_class, "on_showtime_moved_cb",
                                                G_CALLBACK (move_showtime));
  gtk_widget_class_bind_template_callback (widget_class, on_tab_shown_cb);

  gtk_widget_class_install_action (widget_class, "manage.add-movie", NULL, add_movie_action);
  gtk_widget_class_install_action (widget_class, "manage.add-showtime", NULL, add_showtime_action);
  gtk_widget_class_install_action (widget_class, "manage.copy-day", NULL, copy_day_action);
  gtk_widget_class_install_action (widget_class, "manage.save-settings", NULL,
                                   save_settings_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
gt_manage_page_init (GtManagePage *self)
{
  const char *const tiers[] = { C_ ("prices", "Matinee"), C_ ("prices", "Evening"),
                                C_ ("prices", "Weekend"), NULL };

  g_type_ensure (GT_TYPE_USERS_VIEW);
  g_type_ensure (GT_TYPE_WEEK_TIMELINE);
  g_type_ensure (GT_TYPE_PRICE_GRID);
  g_type_ensure (GT_TYPE_AUDITORIUM_EDITOR);
  g_type_ensure (GT_TYPE_BOOKINGS_VIEW);
  g_type_ensure (GT_TYPE_REPORTS_VIEW);
  g_type_ensure (GT_TYPE_AUDIT_VIEW);

  gtk_widget_init_template (GTK_WIDGET (self));
  gt_price_grid_set_columns (self->default_prices, tiers);
  g_queue_init (&self->copies);
  self->message = g_strdup ("");
}

void
gt_manage_page_set_replica (GtManagePage *self, GtReplica *replica)
{
  g_return_if_fail (GT_IS_MANAGE_PAGE (self));

  g_clear_object (&self->client);
  if (!g_set_object (&self->replica, replica) || replica == NULL)
    return;
  self->client = g_object_ref (gt_replica_get_client (replica));
  gt_users_view_set_client (self->users_view, self->client);
  gt_reports_view_set_client (self->reports_view, self->client);
  gt_audit_view_set_client (self->audit_view, self->client);
  gt_auditorium_editor_set_replica (self->auditorium_editor, replica);
  gt_bookings_view_set_replica (self->bookings_view, replica);
  g_signal_connect_object (replica, "changed::movie", G_CALLBACK (on_replica_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (replica, "changed::showtime", G_CALLBACK (on_replica_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (replica, "changed::auditorium", G_CALLBACK (on_replica_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (replica, "changed::config", G_CALLBACK (on_replica_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

void
gt_manage_page_refresh (GtManagePage *self)
{
  g_autoptr (GTimeZone) tz = NULL;
  g_autoptr (GDateTime) now = NULL;
  g_autoptr (GtkStringList) days = gtk_string_list_new (NULL);
  gint64 auditorium_id;
  gint64 movie_id;
  guint  day;

  g_return_if_fail (GT_IS_MANAGE_PAGE (self));

  if (self->replica == NULL)
    return;

  auditorium_id = selected_id (self->auditorium_dropdown, self->auditoriums);
  movie_id = selected_id (self->movie_dropdown, self->on_sale);
  day = gtk_drop_down_get_selected (self->day_dropdown);

  g_clear_pointer (&self->config, json_object_unref);
  self->config = gt_replica_dup_config (self->replica);
  gt_price_grid_set_config (self->form_prices, self->config);
  gt_price_grid_set_config (self->default_prices, self->config);
  /* The settings' fields follow the stored settings only when those change:
   * another counter's new showtime must not undo what is being typed. */
  if (self->config != NULL && !same_settings_shown (self))
    {
      gtk_spin_button_set_value (self->cleaning_spin, buffer_minutes (self));
      gtk_spin_button_set_value (self->door_spin, json_object_get_int_member_with_default (
                                                    self->config, "door_opens_minutes", 60));
      show_price_defaults (self);
    }
  g_clear_pointer (&self->movies, json_array_unref);
  self->movies = gt_replica_list_movies (self->replica);
  g_clear_pointer (&self->on_sale, json_array_unref);
  self->on_sale = json_array_new ();
  for (guint i = 0; i < json_array_get_length (self->movies); i++)
    if (json_object_get_boolean_member_with_default (json_array_get_object_element (self->movies,
                                                                                    i),
                                                     "active", TRUE))
      json_array_add_object_element (self->on_sale,
                                     json_object_ref (
                                       json_array_get_object_element (self->movies, i)));
  g_clear_pointer (&self->auditoriums, json_array_unref);
  self->auditoriums = gt_replica_list_auditoriums (self->replica);

  tz = cinema_zone (self);
  now = g_date_time_new_now (tz);
  for (guint i = 0; i < N_DAYS; i++)
    {
      g_autoptr (GDateTime) date = g_date_time_add_days (now, i);
      g_autofree char *label = gt_format_day (date);

      g_free (self->dates[i]);
      self->dates[i] = g_date_time_format (date, "%Y-%m-%d");
      gtk_string_list_append (days, label);
    }

  /* Models change with the selections kept; show_day() runs once, last. */
  g_signal_handlers_block_by_func (self->auditorium_dropdown, on_schedule_choice_cb, self);
  g_signal_handlers_block_by_func (self->day_dropdown, on_schedule_choice_cb, self);
  gtk_drop_down_set_model (self->day_dropdown, G_LIST_MODEL (days));
  gtk_drop_down_set_selected (self->day_dropdown, day < N_DAYS ? day : 0);
  fill_dropdown (self->auditorium_dropdown, self->auditoriums, "name", auditorium_id);
  g_signal_handlers_unblock_by_func (self->auditorium_dropdown, on_schedule_choice_cb, self);
  g_signal_handlers_unblock_by_func (self->day_dropdown, on_schedule_choice_cb, self);
  fill_dropdown (self->movie_dropdown, self->on_sale, "title", movie_id);

  {
    g_autoptr (JsonObject) prices = gt_price_grid_dup_prices (self->form_prices, 0, NULL);

    if (prices != NULL && json_object_get_size (prices) == 0)
      {
        g_autoptr (JsonObject) defaults = json_object_new ();

        json_object_set_int_member (defaults, "adult", DEFAULT_ADULT);
        json_object_set_int_member (defaults, "child", DEFAULT_CHILD);
        gt_price_grid_set_prices (self->form_prices, 0, defaults);
      }
  }

  show_movies (self);
  show_day (self);
  gt_users_view_refresh (self->users_view);
  gt_auditorium_editor_refresh (self->auditorium_editor);
  gt_reports_view_set_config (self->reports_view, self->config);
  gt_reports_view_refresh (self->reports_view);
  gt_audit_view_set_config (self->audit_view, self->config);
  gt_audit_view_refresh (self->audit_view);
}

GtReportsView *
gt_manage_page_get_reports_view (GtManagePage *self)
{
  g_return_val_if_fail (GT_IS_MANAGE_PAGE (self), NULL);

  adw_view_stack_set_visible_child_name (self->view_stack, "reports");
  return self->reports_view;
}

GtAuditView *
gt_manage_page_get_audit_view (GtManagePage *self)
{
  g_return_val_if_fail (GT_IS_MANAGE_PAGE (self), NULL);

  adw_view_stack_set_visible_child_name (self->view_stack, "audit");
  return self->audit_view;
}

GtBookingsView *
gt_manage_page_get_bookings_view (GtManagePage *self)
{
  g_return_val_if_fail (GT_IS_MANAGE_PAGE (self), NULL);

  adw_view_stack_set_visible_child_name (self->view_stack, "bookings");
  return self->bookings_view;
}

GtAuditoriumEditor *
gt_manage_page_get_auditorium_editor (GtManagePage *self)
{
  g_return_val_if_fail (GT_IS_MANAGE_PAGE (self), NULL);

  adw_view_stack_set_visible_child_name (self->view_stack, "auditoriums");
  return self->auditorium_editor;
}

GtUsersView *
gt_manage_page_get_users_view (GtManagePage *self)
{
  g_return_val_if_fail (GT_IS_MANAGE_PAGE (self), NULL);

  adw_view_stack_set_visible_child_name (self->view_stack, "users");
  return self->users_view;
}

GtkWindow *
gt_manage_page_add_movie (GtManagePage *self)
{
  g_return_val_if_fail (GT_IS_MANAGE_PAGE (self), NULL);
  return open_movie_dialog (self, NULL);
}

void
gt_manage_page_show_schedule (GtManagePage *self, gint64 auditorium_id, guint day_offset)
{
  g_return_if_fail (GT_IS_MANAGE_PAGE (self));

  adw_view_stack_set_visible_child_name (self->view_stack, "schedule");
  for (guint i = 0; self->auditoriums && i < json_array_get_length (self->auditoriums); i++)
    if (json_object_get_int_member (json_array_get_object_element (self->auditoriums, i), "id")
        == auditorium_id)
      gtk_drop_down_set_selected (self->auditorium_dropdown, i);
  gtk_drop_down_set_selected (self->day_dropdown, MIN (day_offset, N_DAYS - 1));
  show_day (self);
}

const char *
gt_manage_page_fill_showtime (GtManagePage *self,
                              gint64        movie_id,
                              const char   *time,
                              gint64        adult,
                              gint64        child)
{
  g_autofree char *adult_text = g_strdup_printf ("%" G_GINT64_FORMAT, adult);
  g_autofree char *child_text = g_strdup_printf ("%" G_GINT64_FORMAT, child);

  g_return_val_if_fail (GT_IS_MANAGE_PAGE (self), NULL);

  for (guint i = 0; self->on_sale && i < json_array_get_length (self->on_sale); i++)
    if (json_object_get_int_member (json_array_get_object_element (self->on_sale, i), "id")
        == movie_id)
      gtk_drop_down_set_selected (self->movie_dropdown, i);
  gt_price_grid_set_text (self->form_prices, 0, "adult", adult_text);
  gt_price_grid_set_text (self->form_prices, 0, "child", child_text);
  gtk_editable_set_text (GTK_EDITABLE (self->time_row), time);
  return self->form_refused
           ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->collision_row))
           : NULL;
}

void
gt_manage_page_add_showtime (GtManagePage *self)
{
  g_return_if_fail (GT_IS_MANAGE_PAGE (self));
  gtk_widget_activate_action (GTK_WIDGET (self), "manage.add-showtime", NULL);
}

void
gt_manage_page_copy_day (GtManagePage *self, guint days)
{
  g_return_if_fail (GT_IS_MANAGE_PAGE (self));

  gtk_spin_button_set_value (self->copy_days_spin, days);
  gtk_widget_activate_action (GTK_WIDGET (self), "manage.copy-day", NULL);
}

const char *
gt_manage_page_get_message (GtManagePage *self)
{
  g_return_val_if_fail (GT_IS_MANAGE_PAGE (self), NULL);
  return self->message;
}

void
gt_manage_page_save_settings (GtManagePage *self, guint cleaning_minutes, guint door_minutes)
{
  g_return_if_fail (GT_IS_MANAGE_PAGE (self));

  adw_view_stack_set_visible_child_name (self->view_stack, "schedule");
  gtk_spin_button_set_value (self->cleaning_spin, cleaning_minutes);
  gtk_spin_button_set_value (self->door_spin, door_minutes);
  gtk_widget_activate_action (GTK_WIDGET (self), "manage.save-settings", NULL);
}

const char *
gt_manage_page_get_settings_answer (GtManagePage *self)
{
  g_return_val_if_fail (GT_IS_MANAGE_PAGE (self), NULL);
  return adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->settings_row));
}

GtPriceGrid *
gt_manage_page_get_form_prices (GtManagePage *self)
{
  g_return_val_if_fail (GT_IS_MANAGE_PAGE (self), NULL);
  return self->form_prices;
}

GtPriceGrid *
gt_manage_page_get_default_prices (GtManagePage *self)
{
  g_return_val_if_fail (GT_IS_MANAGE_PAGE (self), NULL);
  return self->default_prices;
}

void
gt_manage_page_move_showtime (GtManagePage *self,
                              gint64        showtime_id,
                              guint         day_offset,
                              const char   *time)
{
  g_return_if_fail (GT_IS_MANAGE_PAGE (self));
  move_showtime (self, showtime_id, MIN (day_offset, N_DAYS - 1), time);
}

GtWeekTimeline *
gt_manage_page_get_week_timeline (GtManagePage *self)
{
  g_return_val_if_fail (GT_IS_MANAGE_PAGE (self), NULL);
  return self->week_timeline;
}

void
gt_manage_page_copy_showtime (GtManagePage *self, gint64 showtime_id, guint days)
{
  g_autoptr (JsonArray) one = json_array_new ();

  g_return_if_fail (GT_IS_MANAGE_PAGE (self));

  for (guint i = 0; self->day && i < json_array_get_length (self->day); i++)
    if (json_object_get_int_member (json_array_get_object_element (self->day, i), "id")
        == showtime_id)
      json_array_add_object_element (one, json_object_ref (
                                            json_array_get_object_element (self->day, i)));
  copy_showtimes (self, one, days);
}
