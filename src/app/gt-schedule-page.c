/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-schedule-page"

#include "config.h"

#include "gt-widget-util.h"
#include <glib/gi18n.h>

#include "gt-format.h"
#include "gt-json.h"
#include "gt-movie-item.h"
#include "gt-movie-row.h"
#include "gt-schedule-page-private.h"

#define N_DAYS 7

struct _GtSchedulePage
{
  GtkWidget parent_instance;

  GtReplica          *replica;
  JsonObject         *config;
  guint               refresh_id;
  GListStore         *movies;
  GtkFilterListModel *filtered;
  GtkCustomFilter    *filter;
  JsonArray          *showtimes;
  JsonObject         *movie_info; /* movie id (text) → movie */
  char               *dates[N_DAYS];
  guint               day;
  gboolean            want_focus;
  guint               clock_id;
  gint64              fixed_now; /* for tests: the time it is, or 0 for the clock */

  GtkBox         *date_strip;
  GtkSearchEntry *search_entry;
  GtkStack       *stack;
  GtkListView    *list_view;
  AdwStatusPage  *empty_page;
  GtkWidget      *tomorrow_button;
};

G_DEFINE_FINAL_TYPE (GtSchedulePage, gt_schedule_page, GTK_TYPE_WIDGET)

enum
{
  SHOWTIME_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
timezone_of (GtSchedulePage *self)
{
  return self->config ? json_object_get_string_member_with_default (self->config, "timezone", "UTC")
                      : "UTC";
}

static void
on_day_toggled_cb (GtSchedulePage *self, GtkToggleButton *button)
{
  guint day = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "day"));

  if (!gtk_toggle_button_get_active (button) || day == self->day)
    return;
  self->day = day;
  gt_schedule_page_refresh (self);
}

static gint64
now_of (GtSchedulePage *self)
{
  return self->fixed_now != 0 ? self->fixed_now : g_get_real_time ();
}

static GDateTime *
cinema_now (GtSchedulePage *self)
{
  g_autoptr (GTimeZone) tz = gt_format_zone (timezone_of (self));
  g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (now_of (self) / G_USEC_PER_SEC);

  return g_date_time_to_timezone (utc, tz);
}

/* Whether the strip's first day is still the cinema's today. */
static gboolean
starts_today (GtSchedulePage *self)
{
  g_autoptr (GDateTime) now = cinema_now (self);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  return g_strcmp0 (self->dates[0], today) == 0;
}

static gboolean on_refresh_cb (gpointer user_data);

static gboolean
on_clock_cb (gpointer user_data)
{
  GtSchedulePage *self = user_data;

  self->clock_id = 0;
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  on_refresh_cb (self);
  return G_SOURCE_REMOVE;
}

/* The earliest start still to come among the day's showtimes, or 0. */
static gint64
next_start (GtSchedulePage *self)
{
  gint64 now = now_of (self);
  gint64 next = 0;

  for (guint i = 0; self->showtimes && i < json_array_get_length (self->showtimes); i++)
    {
      JsonObject *showtime = json_array_get_object_element (self->showtimes, i);
      gint64      starts;

      if (gt_time_parse (gt_json_string_member (showtime, "starts_at"), &starts) && starts > now
          && (next == 0 || starts < next))
        next = starts;
    }
  return next;
}

/* The page changes by itself when one of its showtimes starts (it is sold
 * no more) and at the cinema's midnight (Today moves on), also on a counter
 * that nobody touches. A refresh checks the date as well, for a clock that
 * jumped (a counter that slept through the night). */
static void
arm_clock (GtSchedulePage *self)
{
  g_autoptr (GDateTime) now = cinema_now (self);
  g_autoptr (GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autoptr (GDateTime)
    midnight = g_date_time_new (g_date_time_get_timezone (now), g_date_time_get_year (tomorrow),
                                g_date_time_get_month (tomorrow),
                                g_date_time_get_day_of_month (tomorrow), 0, 0, 0);
  gint64 now_us = now_of (self);
  gint64 next = g_date_time_to_unix (midnight) * G_USEC_PER_SEC;
  gint64 starts = next_start (self);

  if (starts != 0)
    next = MIN (next, starts);
  g_clear_handle_id (&self->clock_id, g_source_remove);
  self->clock_id = g_timeout_add_seconds ((guint) ((next - now_us) / G_USEC_PER_SEC) + 1,
                                          on_clock_cb, self);
}

/* The strip starts at the cinema's today. A day still in it stays chosen
 * (Tomorrow becomes Today at midnight); one now past gives way to today. */
static void
rebuild_date_strip (GtSchedulePage *self)
{
  g_autoptr (GDateTime) now = cinema_now (self);
  g_autofree char *chosen = g_steal_pointer (&self->dates[self->day]);
  GtkWidget       *buttons[N_DAYS];
  GtkWidget       *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->date_strip))) != NULL)
    gtk_box_remove (self->date_strip, child);

  self->day = 0;
  for (guint i = 0; i < N_DAYS; i++)
    {
      g_autoptr (GDateTime) day = g_date_time_add_days (now, i);
      g_autofree char *label = NULL;

      g_free (self->dates[i]);
      self->dates[i] = g_date_time_format (day, "%Y-%m-%d");
      if (g_strcmp0 (self->dates[i], chosen) == 0)
        self->day = i;

      if (i == 0)
        label = g_strdup (_ ("Today"));
      else if (i == 1)
        label = g_strdup (_ ("Tomorrow"));
      else
        label = gt_format_day (day);

      buttons[i] = gtk_toggle_button_new_with_label (label);
      gtk_widget_add_css_class (buttons[i], "flat");
      g_object_set_data (G_OBJECT (buttons[i]), "day", GUINT_TO_POINTER (i));
      if (i > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (buttons[i]),
                                     GTK_TOGGLE_BUTTON (buttons[0]));
      gtk_box_append (self->date_strip, buttons[i]);
      g_signal_connect_object (buttons[i], "toggled", G_CALLBACK (on_day_toggled_cb), self,
                               G_CONNECT_SWAPPED);
    }
  /* Already the day shown: its handler paints nothing. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (buttons[self->day]), TRUE);
  arm_clock (self);
}

/* Whether no day of the strip has a showtime (asked only when the day
 * shown has none to sell). */
static gboolean
week_is_empty (GtSchedulePage *self)
{
  for (guint i = 0; i < N_DAYS; i++)
    {
      g_autoptr (JsonArray) day = gt_replica_list_showtimes (self->replica, self->dates[i]);

      if (json_array_get_length (day) > 0)
        return FALSE;
    }
  return TRUE;
}

static void
show_showtimes (GtSchedulePage *self)
{
  g_autoptr (GHashTable)
    by_movie = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint       n = json_array_get_length (self->showtimes);
  const char *search;
  gboolean    today_over;

  /* Items are complete before the list sees them: it binds rows at once. */
  for (guint i = 0; i < n; i++)
    {
      JsonObject  *showtime = json_array_get_object_element (self->showtimes, i);
      gint64       movie_id = json_object_get_int_member (showtime, "movie_id");
      GtMovieItem *item = g_hash_table_lookup (by_movie, &movie_id);

      if (item == NULL)
        {
          g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, movie_id);
          JsonObject      *movie = self->movie_info
                                     ? json_object_get_object_member (self->movie_info, key)
                                     : NULL;
          g_autoptr (JsonObject) fallback = NULL;

          if (movie == NULL)
            {
              fallback = json_object_new ();
              json_object_set_int_member (fallback, "id", movie_id);
              json_object_set_string_member (
                fallback, "title",
                json_object_get_string_member_with_default (showtime, "movie_title", ""));
              movie = fallback;
            }
          item = gt_movie_item_new (movie);
          g_ptr_array_add (items, item);
          g_hash_table_insert (by_movie, g_memdup2 (&movie_id, sizeof movie_id), item);
        }
      gt_movie_item_add_showtime (item, showtime);
    }

  gt_movie_item_sort_by_next_start (items, now_of (self));
  g_list_store_splice (self->movies, 0, g_list_model_get_n_items (G_LIST_MODEL (self->movies)),
                       items->pdata, items->len);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  /* Once today's last showtime has started, what is left to sell is
   * tomorrow's: one key away. (The store still knows the day's showtimes,
   * for the door and the manager's week.) */
  today_over = self->day == 0 && search[0] == '\0' && next_start (self) == 0;
  if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) > 0 && !today_over)
    gtk_stack_set_visible_child_name (self->stack, "list");
  else if (search[0] == '\0' && week_is_empty (self))
    {
      /* A new cinema: nothing to sell on any day yet, and who can change that. */
      adw_status_page_set_title (self->empty_page, json_object_get_size (self->movie_info) == 0
                                                     ? _ ("No Movies Yet")
                                                     : _ ("Nothing Scheduled This Week"));
      adw_status_page_set_description (
        self->empty_page, _ ("A manager adds movies, auditoriums and showtimes in Manage Movies "
                             "and Schedule (Ctrl+M)"));
      gtk_widget_set_visible (self->tomorrow_button, FALSE);
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else
    {
      adw_status_page_set_title (self->empty_page,
                                 today_over ? _ ("No More Showtimes Today") : _ ("No Showtimes"));
      adw_status_page_set_description (self->empty_page,
                                       search[0]    ? _ ("No movie of this day matches the search")
                                       : today_over ? _ ("Tickets for the coming days are on sale")
                                                    : _ ("Nothing is scheduled this day"));
      gtk_widget_set_visible (self->tomorrow_button, today_over);
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  arm_clock (self);
}

static GtkWidget *
first_sellable (GtkWidget *widget)
{
  if (GTK_IS_FLOW_BOX_CHILD (widget) && gtk_widget_get_sensitive (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = first_sellable (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether the window shows this page. A focus given later (from an idle)
 * goes nowhere else: the cashier may have gone on to another page since,
 * the door's say, and a page fading out is still mapped. */
static gboolean
is_shown (GtSchedulePage *self)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));

  return gtk_widget_get_mapped (GTK_WIDGET (self))
         && (!GTK_IS_STACK (parent)
             || gtk_stack_get_visible_child (GTK_STACK (parent)) == GTK_WIDGET (self));
}

static void
focus_first_showtime (GtSchedulePage *self)
{
  GtkWidget *child = first_sellable (GTK_WIDGET (self->list_view));

  if (child != NULL)
    gtk_widget_grab_focus (child);
  else if (gtk_widget_get_visible (self->tomorrow_button)
           && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "empty") == 0)
    gtk_widget_grab_focus (self->tomorrow_button);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  self->want_focus = FALSE;
}

/* After a (re)load the rows exist once laid out: then the first showtime on
 * sale takes the focus, so arrows and Enter work at once. */
static gboolean
focus_first_showtime_cb (gpointer user_data)
{
  GtSchedulePage *self = user_data;

  if (is_shown (self))
    focus_first_showtime (self);
  return G_SOURCE_REMOVE;
}

static void
load_movies (GtSchedulePage *self)
{
  g_autoptr (JsonArray) movies = gt_replica_list_movies (self->replica);

  g_clear_pointer (&self->movie_info, json_object_unref);
  self->movie_info = json_object_new ();
  for (guint i = 0; i < json_array_get_length (movies); i++)
    {
      JsonObject      *movie = json_array_get_object_element (movies, i);
      g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT,
                                              json_object_get_int_member (movie, "id"));

      json_object_set_object_member (self->movie_info, key, json_object_ref (movie));
    }
}

static gint64
focused_showtime (GtSchedulePage *self)
{
  GtkRoot   *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  for (; focus != NULL && focus != GTK_WIDGET (self); focus = gtk_widget_get_parent (focus))
    {
      JsonObject *showtime = g_object_get_data (G_OBJECT (focus), "showtime");

      if (showtime != NULL)
        return json_object_get_int_member (showtime, "id");
    }
  return 0;
}

static GtkWidget *
find_showtime (GtkWidget *widget, gint64 showtime_id)
{
  JsonObject *showtime = g_object_get_data (G_OBJECT (widget), "showtime");

  if (showtime != NULL && json_object_get_int_member (showtime, "id") == showtime_id)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_showtime (child, showtime_id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GtSchedulePage *self;
  gint64          showtime_id;
} Refocus;

static gboolean
refocus_cb (gpointer user_data)
{
  Refocus   *refocus = user_data;
  GtkWidget *child = find_showtime (GTK_WIDGET (refocus->self->list_view), refocus->showtime_id);

  if (!is_shown (refocus->self))
    return G_SOURCE_REMOVE;
  /* A showtime deleted, or that has started (it is shown, but cannot take
   * the focus), takes the focus along: it goes to the first on sale. */
  if (child != NULL && gtk_widget_get_sensitive (child))
    gtk_widget_grab_focus (child);
  else
    focus_first_showtime (refocus->self);
  return G_SOURCE_REMOVE;
}

static void
refocus_free (gpointer user_data)
{
  Refocus *refocus = user_data;

  g_object_unref (refocus->self);
  g_free (refocus);
}

/* Another counter sold seats, or a manager moved a showtime: the day is
 * painted again from the store, and the focus stays where it was. */
static gboolean
on_refresh_cb (gpointer user_data)
{
  GtSchedulePage *self = user_data;
  gint64          focused = focused_showtime (self);

  self->refresh_id = 0;
  gt_schedule_page_refresh (self);
  if (focused != 0)
    {
      Refocus *refocus = g_new0 (Refocus, 1);

      refocus->self = g_object_ref (self);
      refocus->showtime_id = focused;
      g_idle_add_full (G_PRIORITY_LOW, refocus_cb, refocus, refocus_free);
    }
  return G_SOURCE_REMOVE;
}

static void
on_replica_changed_cb (GtSchedulePage *self)
{
  /* A rush of changes paints once. */
  if (self->refresh_id == 0 && gtk_widget_get_mapped (GTK_WIDGET (self)))
    self->refresh_id = g_timeout_add (250, on_refresh_cb, self);
}

/* A finished sync paints at once: after a start or a change of server, what
 * was shown before may belong to another cinema. */
static void
on_replica_synced_cb (GtSchedulePage *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  on_refresh_cb (self);
}

static gboolean
filter_func (gpointer item, gpointer user_data)
{
  GtSchedulePage *self = user_data;

  return gt_movie_item_matches (GT_MOVIE_ITEM (item),
                                gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_search_changed_cb (GtSchedulePage *self)
{
  if (self->showtimes != NULL)
    show_showtimes (self);
}

static void
on_row_showtime_activated_cb (GtSchedulePage *self, JsonObject *showtime, GtMovieRow *row)
{
  g_signal_emit (self, signals[SHOWTIME_ACTIVATED], 0, showtime);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  GtkWidget *row = gt_movie_row_new ();

  gtk_list_item_set_activatable (list_item, FALSE);
  gtk_list_item_set_selectable (list_item, FALSE);
  gtk_list_item_set_child (list_item, row);
  g_signal_connect_object (row, "showtime-activated", G_CALLBACK (on_row_showtime_activated_cb),
                           user_data, G_CONNECT_SWAPPED);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, gpointer user_data)
{
  GtSchedulePage *self = user_data;

  gt_movie_row_set_replica (GT_MOVIE_ROW (gtk_list_item_get_child (list_item)), self->replica);
  gt_movie_row_set_item (GT_MOVIE_ROW (gtk_list_item_get_child (list_item)),
                         gtk_list_item_get_item (list_item), timezone_of (self), now_of (self));
}

static void
focus_search_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  gtk_widget_grab_focus (GTK_WIDGET (GT_SCHEDULE_PAGE (widget)->search_entry));
}

static void
change_day_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtSchedulePage *self = GT_SCHEDULE_PAGE (widget);
  int             delta = g_variant_get_int32 (param);
  int             day = CLAMP ((int) self->day + delta, 0, N_DAYS - 1);
  GtkWidget      *button = gtk_widget_get_first_child (GTK_WIDGET (self->date_strip));

  for (int i = 0; button != NULL && i < day; i++)
    button = gtk_widget_get_next_sibling (button);
  /* From the keyboard: the new day's first showtime takes the focus, so
   * Enter opens it as it did on the day before. */
  self->want_focus = TRUE;
  if (button != NULL)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
}

/* Ctrl+Page Up/Down change the day from anywhere on the page: before the
 * showtimes' flow boxes, which take those keys to move their cursor. */
static void
add_day_shortcuts (GtSchedulePage *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  const struct
  {
    guint keyval;
    int   delta;
  } days[] = { { GDK_KEY_Page_Down, 1 }, { GDK_KEY_Page_Up, -1 } };

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    {
      GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (days[i].keyval,
                                                                        GDK_CONTROL_MASK),
                                                gtk_named_action_new ("schedule.day"));

      gtk_shortcut_set_arguments (shortcut, g_variant_new_int32 (days[i].delta));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), shortcut);
    }
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

static void
gt_schedule_page_dispose (GObject *object)
{
  GtSchedulePage *self = (GtSchedulePage *) object;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  g_clear_handle_id (&self->clock_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), GT_TYPE_SCHEDULE_PAGE);
  gt_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->replica);
  g_clear_object (&self->filtered);
  g_clear_object (&self->movies);

  G_OBJECT_CLASS (gt_schedule_page_parent_class)->dispose (object);
}

static void
gt_schedule_page_finalize (GObject *object)
{
  GtSchedulePage *self = (GtSchedulePage *) object;

  g_clear_pointer (&self->config, json_object_unref);
  g_clear_pointer (&self->showtimes, json_array_unref);
  g_clear_pointer (&self->movie_info, json_object_unref);
  for (guint i = 0; i < N_DAYS; i++)
    g_free (self->dates[i]);

  G_OBJECT_CLASS (gt_schedule_page_parent_class)->finalize (object);
}

static void
gt_schedule_page_class_init (GtSchedulePageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gt_schedule_page_dispose;
  object_class->finalize = gt_schedule_page_finalize;

  /**
   * GtSchedulePage::showtime-activated:
   * @showtime: the showtime object of the API
   */
  signals[SHOWTIME_ACTIVATED] = g_signal_new ("showtime-activated", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                              1, JSON_TYPE_OBJECT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/id/goticket/GoTicket/ui/gt-schedule-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, GtSchedulePage, date_strip);
  gtk_widget_class_bind_template_child (widget_class, GtSchedulePage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, GtSchedulePage, stack);
  gtk_widget_class_bind_template_child (widget_class, GtSchedulePage, list_view);
  gtk_widget_class_bind_template_child (widget_class, GtSchedulePage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, GtSchedulePage, tomorrow_button);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed_cb);

  gtk_widget_class_install_action (widget_class, "schedule.search", NULL, focus_search_action);
  gtk_widget_class_install_action (widget_class, "schedule.day", "i", change_day_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "schedule.search",
                                       NULL);
}

static void
gt_schedule_page_init (GtSchedulePage *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));
  add_day_shortcuts (self);

  self->movies = g_list_store_new (GT_TYPE_MOVIE_ITEM);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->movies)),
                                              GTK_FILTER (self->filter));
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (gtk_no_selection_new (
                                              g_object_ref (G_LIST_MODEL (self->filtered)))));
  g_object_unref (gtk_list_view_get_model (self->list_view));
  rebuild_date_strip (self);
}

void
gt_schedule_page_set_replica (GtSchedulePage *self, GtReplica *replica)
{
  g_return_if_fail (GT_IS_SCHEDULE_PAGE (self));

  if (!g_set_object (&self->replica, replica) || replica == NULL)
    return;
  g_signal_connect_object (replica, "changed::showtime", G_CALLBACK (on_replica_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (replica, "changed::movie", G_CALLBACK (on_replica_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (replica, "changed::seat", G_CALLBACK (on_replica_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (replica, "synced", G_CALLBACK (on_replica_synced_cb), self,
                           G_CONNECT_SWAPPED);
}

void
gt_schedule_page_set_config (GtSchedulePage *self, JsonObject *config)
{
  g_return_if_fail (GT_IS_SCHEDULE_PAGE (self));

  g_clear_pointer (&self->config, json_object_unref);
  self->config = config ? json_object_ref (config) : NULL;
  rebuild_date_strip (self);
}

void
gt_schedule_page_refresh (GtSchedulePage *self)
{
  g_return_if_fail (GT_IS_SCHEDULE_PAGE (self));

  if (!starts_today (self))
    rebuild_date_strip (self);
  if (self->replica == NULL)
    return;

  load_movies (self);
  g_clear_pointer (&self->showtimes, json_array_unref);
  self->showtimes = gt_replica_list_showtimes (self->replica, self->dates[self->day]);
  /* A counter's first start: the store fills in a moment. */
  if (json_array_get_length (self->showtimes) == 0 && !gt_replica_has_data (self->replica))
    {
      g_clear_pointer (&self->showtimes, json_array_unref);
      gtk_stack_set_visible_child_name (self->stack, "loading");
      return;
    }
  show_showtimes (self);
  if (self->want_focus)
    g_idle_add_full (G_PRIORITY_LOW, focus_first_showtime_cb, g_object_ref (self), g_object_unref);
}

void
gt_schedule_page_focus (GtSchedulePage *self)
{
  g_return_if_fail (GT_IS_SCHEDULE_PAGE (self));

  if (self->showtimes != NULL)
    focus_first_showtime (self);
  else
    self->want_focus = TRUE;
}

JsonArray *
gt_schedule_page_get_showtimes (GtSchedulePage *self)
{
  g_return_val_if_fail (GT_IS_SCHEDULE_PAGE (self), NULL);
  return self->showtimes;
}

gboolean
gt_schedule_page_activate_showtime (GtSchedulePage *self, gint64 showtime_id)
{
  g_return_val_if_fail (GT_IS_SCHEDULE_PAGE (self), FALSE);

  for (guint i = 0; self->showtimes && i < json_array_get_length (self->showtimes); i++)
    {
      JsonObject *showtime = json_array_get_object_element (self->showtimes, i);

      if (json_object_get_int_member (showtime, "id") == showtime_id)
        {
          g_signal_emit (self, signals[SHOWTIME_ACTIVATED], 0, showtime);
          return TRUE;
        }
    }
  return FALSE;
}

const char *
_gt_schedule_page_get_date (GtSchedulePage *self)
{
  g_return_val_if_fail (GT_IS_SCHEDULE_PAGE (self), NULL);

  return self->dates[self->day];
}

void
_gt_schedule_page_set_now (GtSchedulePage *self, gint64 now)
{
  g_return_if_fail (GT_IS_SCHEDULE_PAGE (self));

  self->fixed_now = now;
}

AdwStatusPage *
_gt_schedule_page_get_empty_page (GtSchedulePage *self)
{
  g_return_val_if_fail (GT_IS_SCHEDULE_PAGE (self), NULL);

  return gtk_stack_get_visible_child (self->stack) == GTK_WIDGET (self->empty_page)
           ? self->empty_page
           : NULL;
}

gboolean
_gt_schedule_page_is_on_sale (GtSchedulePage *self, gint64 showtime_id)
{
  GtkWidget *button;

  g_return_val_if_fail (GT_IS_SCHEDULE_PAGE (self), FALSE);

  button = find_showtime (GTK_WIDGET (self->list_view), showtime_id);
  return button != NULL && gtk_widget_get_sensitive (button);
}
