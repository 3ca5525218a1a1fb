/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-audit-view"

#include "config.h"

#include "gt-widget-util.h"
#include <glib/gi18n.h>

#include "gt-audit-view.h"
#include "gt-format.h"
#include "gt-json.h"

#define N_DAYS 7

struct _GtAuditView
{
  GtkWidget parent_instance;

  GtClient     *client;
  JsonObject   *config;
  JsonArray    *entries;
  char         *dates[N_DAYS]; /* today first, then the days before */
  char         *date;          /* the day shown */
  GCancellable *cancellable;

  GtkDropDown *day_dropdown;
  GtkLabel    *message_label;
  GtkLabel    *empty_label;
  GtkListBox  *entry_list;
};

G_DEFINE_FINAL_TYPE (GtAuditView, gt_audit_view, GTK_TYPE_WIDGET)

static const struct
{
  const char *action;
  const char *label;
} action_labels[] = {
  { "refund", N_ ("Refund") },
  { "exchange", N_ ("Exchange") },
  { "user.create", N_ ("User added") },
  { "user.update", N_ ("User changed") },
  { "movie.create", N_ ("Movie added") },
  { "movie.update", N_ ("Movie changed") },
  { "movie.delete", N_ ("Movie removed") },
  { "auditorium.create", N_ ("Auditorium added") },
  { "auditorium.update", N_ ("Auditorium changed") },
  { "showtime.create", N_ ("Showtime added") },
  { "showtime.update", N_ ("Showtime changed") },
  { "showtime.delete", N_ ("Showtime removed") },
  { "checkin.undo", N_ ("Check-in undone") },
  { "cashup.count", N_ ("Drawer counted") },
};

/* Helpers */

static const char *
timezone_of (GtAuditView *self)
{
  return self->config ? json_object_get_string_member_with_default (self->config, "timezone", NULL)
                      : NULL;
}

static const char *
method_label (const char *method)
{
  if (g_strcmp0 (method, "cash") == 0)
    return _ ("cash");
  if (g_strcmp0 (method, "card") == 0)
    return _ ("card");
  return method;
}

static char *
action_label (const char *action)
{
  for (guint i = 0; i < G_N_ELEMENTS (action_labels); i++)
    if (g_strcmp0 (action_labels[i].action, action) == 0)
      return g_strdup (_ (action_labels[i].label));
  return g_strdup (action);
}

static char *
object_label (JsonObject *entry)
{
  const char      *kind = gt_json_string_member (entry, "kind");
  const char      *name = gt_json_string_member (entry, "name");
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                         gt_json_int_member (entry, "object_id"));

  /* By what a person calls it: a booking's code, a username, a title. */
  if (name[0] != '\0')
    {
      if (g_str_equal (kind, "booking") || g_str_equal (kind, "user")
          || g_str_equal (kind, "auditorium"))
        return g_strdup (name);
      /* Translators: an audited movie, e.g. "“Dune”" */
      if (g_str_equal (kind, "movie"))
        return g_strdup_printf (_ ("“%s”"), name);
      /* Translators: an audited showtime, by its movie, e.g. "Showtime of “Dune”" */
      if (g_str_equal (kind, "showtime"))
        return g_strdup_printf (_ ("Showtime of “%s”"), name);
    }
  /* Translators: the object of an audit entry, e.g. "Booking 12" */
  if (g_str_equal (kind, "booking"))
    return g_strdup_printf (_ ("Booking %s"), id);
  if (g_str_equal (kind, "user"))
    return g_strdup_printf (_ ("User %s"), id);
  if (g_str_equal (kind, "movie"))
    return g_strdup_printf (_ ("Movie %s"), id);
  if (g_str_equal (kind, "auditorium"))
    return g_strdup_printf (_ ("Auditorium %s"), id);
  if (g_str_equal (kind, "showtime"))
    return g_strdup_printf (_ ("Showtime %s"), id);
  if (g_str_equal (kind, "ticket"))
    return g_strdup_printf (_ ("Ticket %s"), id);
  if (g_str_equal (kind, "drawer"))
    return g_strdup_printf (_ ("Count %s"), id);
  return g_strdup_printf ("%s %s", kind, id);
}

/* A member of a change as the forms call it. */
static const char *
member_label (const char *member)
{
  static const struct
  {
    const char *member;
    const char *label;
  } labels[] = {
    { "display_name", N_ ("name") }, { "username", N_ ("username") },
    { "role", N_ ("role") },         { "active", N_ ("may sign in") },
    { "password", N_ ("password") }, { "title", N_ ("title") },
    { "synopsis", N_ ("synopsis") }, { "duration_minutes", N_ ("duration") },
    { "rating", N_ ("rating") },     { "genres", N_ ("genres") },
    { "name", N_ ("name") },         { "layout", N_ ("layout") },
    { "starts_at", N_ ("start") },   { "prices", N_ ("prices") },
    { "movie_id", N_ ("movie") },    { "auditorium_id", N_ ("auditorium") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (labels[i].member, member))
      return _ (labels[i].label);
  return member;
}

/* The seats of a refund or exchange: "F12, F13" or "F12 → G5, F13 → G6". */
static char *
seats_of (JsonArray *tickets, gboolean moves)
{
  g_autoptr (GString) seats = g_string_new (NULL);

  for (guint i = 0; tickets && i < json_array_get_length (tickets); i++)
    {
      JsonObject *ticket = json_array_get_object_element (tickets, i);

      if (seats->len > 0)
        g_string_append (seats, ", ");
      if (moves)
        g_string_append_printf (seats, "%s → %s", gt_json_string_member (ticket, "from_seat"),
                                gt_json_string_member (ticket, "seat"));
      else
        g_string_append (seats, gt_json_string_member (ticket, "seat"));
    }
  return g_string_free (g_steal_pointer (&seats), FALSE);
}

/* What an entry's details say, in one line. */
static char *
summarise (GtAuditView *self, JsonObject *entry)
{
  const char *action = gt_json_string_member (entry, "action");
  JsonObject *details = gt_json_object_member (entry, "details");

  if (details == NULL)
    return g_strdup ("");

  if (g_str_equal (action, "refund"))
    {
      JsonArray       *tickets = gt_json_array_member (details, "tickets");
      guint            n = tickets ? json_array_get_length (tickets) : 0;
      g_autofree char *seats = seats_of (tickets, FALSE);
      g_autofree char *amount = gt_format_config_money (self->config,
                                                        gt_json_int_member (details, "amount"));
      JsonNode        *partial = json_object_get_member (details, "partial");
      const char      *how = method_label (gt_json_string_member (details, "method"));
      g_autofree char *line = NULL;

      /* Translators: "Seats F12, F13 · Rp 100.000 paid back in cash" */
      line = g_strdup_printf (ngettext ("Seat %s · %s paid back in %s",
                                        "Seats %s · %s paid back in %s", n),
                              seats, amount, how);
      if (partial && JSON_NODE_HOLDS_VALUE (partial) && json_node_get_boolean (partial))
        /* Translators: a refund of some of a booking's tickets: "Seat F12 · … · part of the
         * booking" */
        return g_strdup_printf (_ ("%s · part of the booking"), line);
      return g_steal_pointer (&line);
    }
  if (g_str_equal (action, "exchange"))
    {
      g_autofree char *seats = seats_of (gt_json_array_member (details, "tickets"), TRUE);
      g_autofree char *difference = gt_format_config_money (self->config,
                                                            gt_json_int_member (details,
                                                                                "difference"));

      /* Translators: "Seats F12 → G5 to showtime 8 · difference Rp 10.000 (cash)" */
      return g_strdup_printf (_ ("Seats %s to showtime %d · difference %s (%s)"), seats,
                              (int) gt_json_int_member (details, "showtime_id"), difference,
                              method_label (gt_json_string_member (details, "method")));
    }
  if (g_str_equal (action, "checkin.undo"))
    {
      g_autofree char *when = gt_format_time (gt_json_string_member (details, "checked_in_at"),
                                              timezone_of (self), "%H:%M");

      /* Translators: "GT-7K3Q9A seat F12, checked in at 19:02 at Door 1" */
      return g_strdup_printf (_ ("%s seat %s, checked in at %s at %s"),
                              gt_json_string_member (details, "booking_code"),
                              gt_json_string_member (details, "seat"), when,
                              gt_json_string_member (details, "door"));
    }
  if (g_str_equal (action, "cashup.count"))
    {
      g_autofree char *counted = gt_format_config_money (self->config,
                                                         gt_json_int_member (details, "counted"));
      g_autofree char *expected = gt_format_config_money (self->config,
                                                          gt_json_int_member (details,
                                                                              "expected_cash"));

      /* Translators: "cashier2 at Counter 7 on 2026-11-25 · counted Rp 99.000, expected Rp
       * 100.000" */
      return g_strdup_printf (_ ("%s at %s on %s · counted %s, expected %s"),
                              gt_json_string_member (details, "username"),
                              gt_json_string_member (details, "counter"),
                              gt_json_string_member (details, "date"), counted, expected);
    }
  if (g_str_equal (action, "movie.delete"))
    return g_strdup (gt_json_string_member (details, "title"));
  if (g_str_equal (action, "showtime.delete"))
    {
      g_autofree char *when = gt_format_showtime_when (gt_json_string_member (details, "starts_at"),
                                                       timezone_of (self));

      return g_strdup_printf ("%s · %s · %s", gt_json_string_member (details, "movie_title"),
                              gt_json_string_member (details, "auditorium_name"), when);
    }
  if (gt_json_object_member (details, "changes") != NULL)
    {
      JsonObject *changes = gt_json_object_member (details, "changes");
      g_autoptr (GList) names = json_object_get_members (changes);
      g_autoptr (GString) line = g_string_new (NULL);

      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonNode *value = json_object_get_member (changes, l->data);

          if (line->len > 0)
            g_string_append (line, ", ");
          g_string_append (line, member_label (l->data));
          /* Short values say what they became; a password or layout only that it changed. */
          if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
            g_string_append_printf (line, " “%s”", json_node_get_string (value));
          else if (JSON_NODE_HOLDS_VALUE (value)
                   && json_node_get_value_type (value) == G_TYPE_INT64)
            g_string_append_printf (line, " %" G_GINT64_FORMAT, json_node_get_int (value));
          else if (JSON_NODE_HOLDS_VALUE (value)
                   && json_node_get_value_type (value) == G_TYPE_BOOLEAN
                   && !g_str_equal (l->data, "password"))
            g_string_append_printf (line, " %s",
                                    json_node_get_boolean (value) ? _ ("yes") : _ ("no"));
        }
      /* Translators: the members an audited change set, e.g. "Changed: title “Dune”, active" */
      return g_strdup_printf (_ ("Changed: %s"), line->str);
    }
  return gt_json_to_string (details);
}

static GtkWidget *
make_entry_row (GtAuditView *self, JsonObject *entry)
{
  GtkWidget       *row = gt_plain_action_row_new ();
  GtkWidget       *time = NULL;
  JsonObject      *user = gt_json_object_member (entry, "user");
  const char      *reason = gt_json_string_member (entry, "reason");
  const char      *counter = gt_json_string_member (entry, "counter");
  g_autofree char *at = gt_format_time (gt_json_string_member (entry, "at"), timezone_of (self),
                                        "%H:%M");
  g_autofree char *action = action_label (gt_json_string_member (entry, "action"));
  g_autofree char *object = object_label (entry);
  g_autofree char *title = g_strdup_printf ("%s · %s", action, object);
  g_autofree char *details = summarise (self, entry);
  g_autofree char *who = NULL;
  g_autoptr (GString) subtitle = g_string_new (NULL);

  if (user == NULL)
    who = g_strdup (_ ("The server"));
  else if (counter[0] != '\0')
    /* Translators: who did it where: "manager at Counter 2" */
    who = g_strdup_printf (_ ("%s at %s"), gt_json_string_member (user, "username"), counter);
  else
    who = g_strdup (gt_json_string_member (user, "username"));

  g_string_append (subtitle, who);
  if (reason[0] != '\0')
    /* Translators: the reason given for an audited change, quoted */
    g_string_append_printf (subtitle, _ (" · “%s”"), reason);
  if (details[0] != '\0')
    g_string_append_printf (subtitle, "\n%s", details);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 3);

  time = gtk_label_new (at);
  gtk_widget_add_css_class (time, "heading");
  gtk_widget_add_css_class (time, "numeric");
  gtk_widget_set_valign (time, GTK_ALIGN_START);
  gtk_widget_set_margin_top (time, 12);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), time);
  return row;
}

static void
set_message (GtAuditView *self, const char *message)
{
  gtk_label_set_text (self->message_label, message ? message : "");
}

static void
show_entries (GtAuditView *self)
{
  GtkWidget *child;
  guint      n = self->entries ? json_array_get_length (self->entries) : 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->entry_list))) != NULL)
    gtk_list_box_remove (self->entry_list, child);
  for (guint i = 0; i < n; i++)
    gtk_list_box_append (self->entry_list,
                         make_entry_row (self, json_array_get_object_element (self->entries, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->entry_list), n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), self->entries != NULL && n == 0);
}

static void
fill_days (GtAuditView *self)
{
  guint selected = 0;
  g_autoptr (GtkStringList)
    labels = gt_format_past_days (timezone_of (self), N_DAYS, self->date, self->dates, &selected);

  g_signal_handlers_block_matched (self->day_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_drop_down_set_model (self->day_dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (self->day_dropdown, selected);
  g_signal_handlers_unblock_matched (self->day_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                     self);
  if (self->date == NULL)
    self->date = g_strdup (self->dates[0]);
}

/* Signal callbacks */

static void
on_entries_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtAuditView) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = gt_client_call_finish (GT_CLIENT (object), result, &error);
  JsonArray *entries = gt_json_array_member (answer, "entries");

  if (answer == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_message (self, gt_client_error_is_network (error)
                             ? _ ("The server does not answer: the log cannot be shown")
                             : error->message);
      return;
    }
  g_clear_pointer (&self->entries, json_array_unref);
  self->entries = entries ? json_array_ref (entries) : json_array_new ();
  set_message (self, "");
  show_entries (self);
}

static void
fetch (GtAuditView *self)
{
  g_autofree char *path = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->entries, json_array_unref);
  if (self->client == NULL || self->date == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  set_message (self, _ ("Loading…"));
  /* The server's most: a busy day stays whole. */
  path = g_strdup_printf ("/audit?date=%s&limit=1000", self->date);
  gt_client_call_async (self->client, "GET", path, NULL, NULL, self->cancellable, on_entries_cb,
                        g_object_ref (self));
}

static void
on_day_selected_cb (GtAuditView *self)
{
  guint selected = gtk_drop_down_get_selected (self->day_dropdown);

  if (selected >= N_DAYS || self->dates[selected] == NULL)
    return;
  g_free (self->date);
  self->date = g_strdup (self->dates[selected]);
  fetch (self);
}

static void
reload_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  gt_audit_view_refresh (GT_AUDIT_VIEW (widget));
}

/* Overrides */

static void
gt_audit_view_dispose (GObject *object)
{
  GtAuditView *self = (GtAuditView *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), GT_TYPE_AUDIT_VIEW);
  gt_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->client);

  G_OBJECT_CLASS (gt_audit_view_parent_class)->dispose (object);
}

static void
gt_audit_view_finalize (GObject *object)
{
  GtAuditView *self = (GtAuditView *) object;

  g_clear_pointer (&self->config, json_object_unref);
  g_clear_pointer (&self->entries, json_array_unref);
  for (guint i = 0; i < N_DAYS; i++)
    g_free (self->dates[i]);
  g_free (self->date);

  G_OBJECT_CLASS (gt_audit_view_parent_class)->finalize (object);
}

static void
gt_audit_view_class_init (GtAuditViewClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gt_audit_view_dispose;
  object_class->finalize = gt_audit_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/id/goticket/GoTicket/ui/gt-audit-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GtAuditView, day_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GtAuditView, message_label);
  gtk_widget_class_bind_template_child (widget_class, GtAuditView, empty_label);
  gtk_widget_class_bind_template_child (widget_class, GtAuditView, entry_list);
  gtk_widget_class_bind_template_callback (widget_class, on_day_selected_cb);

  gtk_widget_class_install_action (widget_class, "audit.reload", NULL, reload_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
gt_audit_view_init (GtAuditView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fill_days (self);
}

/* Public API */

void
gt_audit_view_set_client (GtAuditView *self, GtClient *client)
{
  g_return_if_fail (GT_IS_AUDIT_VIEW (self));
  g_return_if_fail (client == NULL || GT_IS_CLIENT (client));

  g_set_object (&self->client, client);
}

void
gt_audit_view_set_config (GtAuditView *self, JsonObject *config)
{
  g_return_if_fail (GT_IS_AUDIT_VIEW (self));

  if (self->config == config)
    return;
  g_clear_pointer (&self->config, json_object_unref);
  self->config = config ? json_object_ref (config) : NULL;
  fill_days (self);
}

void
gt_audit_view_refresh (GtAuditView *self)
{
  g_return_if_fail (GT_IS_AUDIT_VIEW (self));

  fill_days (self);
  fetch (self);
}

void
gt_audit_view_show_day (GtAuditView *self, const char *date)
{
  g_return_if_fail (GT_IS_AUDIT_VIEW (self));
  g_return_if_fail (date != NULL);

  g_free (self->date);
  self->date = g_strdup (date);
  fill_days (self);
  fetch (self);
}

JsonArray *
gt_audit_view_get_entries (GtAuditView *self)
{
  g_return_val_if_fail (GT_IS_AUDIT_VIEW (self), NULL);
  return self->entries;
}
