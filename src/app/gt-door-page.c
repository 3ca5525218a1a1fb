/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-door-page"

#include "config.h"

#include "gt-widget-util.h"
#include <glib/gi18n.h>

#include "gt-door-page.h"
#include "gt-format.h"
#include "gt-json.h"

struct _GtDoorPage
{
  GtkWidget parent_instance;

  GtReplica *replica;
  JsonArray *showtimes; /* as in the dropdown after "All": today's, and those whose
                         * doors open today */
  gint64        showtime_id;
  char         *door;
  guint         admitted;
  gboolean      last_admitted;
  gboolean      last_offline;
  GCancellable *cancellable;

  GtkDropDown *showtime_dropdown;
  GtkLabel    *count_label;
  GtkLabel    *alert_label;
  GtkEntry    *code_entry;
  GtkWidget   *answer_box;
  GtkLabel    *verdict_label;
  GtkLabel    *reason_label;
  GtkLabel    *offline_label;
};

G_DEFINE_FINAL_TYPE (GtDoorPage, gt_door_page, GTK_TYPE_WIDGET)

static const char *
timezone_of (GtDoorPage *self)
{
  g_autoptr (JsonObject) config = self->replica ? gt_replica_dup_config (self->replica) : NULL;

  /* Interned: the answer outlives the config object. */
  return g_intern_string (
    config ? json_object_get_string_member_with_default (config, "timezone", "UTC") : "UTC");
}

/* For one showtime, its list as this counter knows it (live, and with what
 * this door admitted offline); for all, this door's own count. */
static void
update_count (GtDoorPage *self)
{
  g_autofree char *text = NULL;
  guint            sold = 0;
  guint            admitted = 0;

  if (self->showtime_id != 0 && self->replica != NULL
      && gt_replica_get_door_counts (self->replica, self->showtime_id, &sold, &admitted))
    text = g_strdup_printf (ngettext ("Admitted %u of %u sold", "Admitted %u of %u sold", sold),
                            admitted, sold);
  else
    text = g_strdup_printf (ngettext ("%u admitted at this door", "%u admitted at this door",
                                      self->admitted),
                            self->admitted);
  gtk_label_set_label (self->count_label, text);
}

static void
on_door_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtDoorPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) list = gt_replica_load_door_finish (GT_REPLICA (object), result, &error);

  /* Unreachable: the list kept from before serves. */
  if (list == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Could not load the door's list: %s", error->message);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    update_count (self);
}

/* The tickets this door may admit, so that it can go on without the
 * server: the chosen showtime's, or those of every showtime open now. */
static void
load_lists (GtDoorPage *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 opens;

  if (self->replica == NULL)
    return;
  if (self->showtime_id != 0)
    {
      gt_replica_load_door_async (self->replica, self->showtime_id, self->cancellable,
                                  on_door_loaded_cb, g_object_ref (self));
      update_count (self);
      return;
    }
  opens = gt_replica_get_door_opens_minutes (self->replica) * 60;
  for (guint i = 0; self->showtimes != NULL && i < json_array_get_length (self->showtimes); i++)
    {
      JsonObject *showtime = json_array_get_object_element (self->showtimes, i);
      gint64      starts = 0;
      gint64      ends = 0;

      gt_time_parse (json_object_get_string_member_with_default (showtime, "starts_at", ""),
                     &starts);
      gt_time_parse (json_object_get_string_member_with_default (showtime, "ends_at", ""), &ends);
      if (now >= starts / G_USEC_PER_SEC - opens && now <= ends / G_USEC_PER_SEC)
        gt_replica_load_door_async (self->replica, json_object_get_int_member (showtime, "id"),
                                    self->cancellable, on_door_loaded_cb, g_object_ref (self));
    }
  update_count (self);
}

static void
on_booking_changed_cb (GtReplica  *replica,
                       const char *kind,
                       gint64      showtime_id,
                       const char *id,
                       const char *state,
                       GtDoorPage *self)
{
  update_count (self);
}

static void
on_double_admission_cb (GtReplica *replica, const char *code, JsonObject *details, GtDoorPage *self)
{
  const char      *tz = timezone_of (self);
  g_autofree char *short_code = g_strndup (code, 8);
  g_autofree char *ours = gt_format_time (
    json_object_get_string_member_with_default (details, "admitted_at", NULL), tz, "%H:%M");
  g_autofree char *theirs = gt_format_time (
    json_object_get_string_member_with_default (details, "other_admitted_at", NULL), tz, "%H:%M");
  g_autofree char *seat = gt_format_seat (
    json_object_get_string_member_with_default (details, "seat", ""));
  g_autofree char *text = NULL;

  /* Earlier one first. */
  if (g_strcmp0 (json_object_get_string_member_with_default (details, "other_admitted_at", ""),
                 json_object_get_string_member_with_default (details, "admitted_at", ""))
      <= 0)
    text = g_strdup_printf (_ ("Ticket %s… (%s) was admitted at two doors offline: %s %s and %s %s "
                               "— tell the manager"),
                            short_code, seat,
                            json_object_get_string_member_with_default (details, "other_door", ""),
                            theirs,
                            json_object_get_string_member_with_default (details, "door", ""), ours);
  else
    text = g_strdup_printf (_ ("Ticket %s… (%s) was admitted at two doors offline: %s %s and %s %s "
                               "— tell the manager"),
                            short_code, seat,
                            json_object_get_string_member_with_default (details, "door", ""), ours,
                            json_object_get_string_member_with_default (details, "other_door", ""),
                            theirs);
  gtk_label_set_label (self->alert_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->alert_label), TRUE);
  gtk_widget_error_bell (GTK_WIDGET (self));
}

/* The whole page says it, and a refusal rings. */
static void
show_answer (GtDoorPage *self, gboolean admitted, const char *verdict, const char *reason)
{
  self->last_admitted = admitted;
  gtk_widget_set_visible (GTK_WIDGET (self->offline_label), verdict != NULL && self->last_offline);
  gtk_widget_remove_css_class (self->answer_box, "gt-admit");
  gtk_widget_remove_css_class (self->answer_box, "gt-refuse");
  if (verdict != NULL)
    gtk_widget_add_css_class (self->answer_box, admitted ? "gt-admit" : "gt-refuse");
  gtk_label_set_label (self->verdict_label, verdict ? verdict : _ ("Checking…"));
  gtk_label_set_label (self->reason_label, reason ? reason : "");
  if (verdict != NULL && !admitted)
    gtk_widget_error_bell (GTK_WIDGET (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
}

static char *
describe (GtDoorPage *self, JsonObject *ticket)
{
  JsonObject      *showtime = gt_json_object_member (ticket, "showtime");
  g_autofree char *seat = gt_format_seat (json_object_get_string_member (ticket, "seat"));
  g_autofree char *type = gt_format_ticket_type (json_object_get_string_member (ticket, "type"));
  g_autofree char *at = showtime
                          ? gt_format_time (json_object_get_string_member (showtime, "starts_at"),
                                            timezone_of (self), "%H:%M")
                          : g_strdup ("");

  return g_strdup_printf (
    "%s · %s\n%s %s · %s", seat, type,
    showtime ? json_object_get_string_member_with_default (showtime, "movie_title", "") : "", at,
    showtime ? json_object_get_string_member_with_default (showtime, "auditorium_name", "") : "");
}

static void
refuse_for_error (GtDoorPage *self, const GError *error)
{
  JsonObject *details = gt_error_get_details (error);
  JsonObject *showtime = details ? gt_json_object_member (details, "showtime") : NULL;

  if (g_error_matches (error, GT_ERROR, GT_ERROR_ALREADY_CHECKED_IN) && details != NULL)
    {
      g_autofree char *at =
        gt_format_time (json_object_get_string_member_with_default (details, "checked_in_at", NULL),
                        timezone_of (self), "%H:%M");
      g_autofree char *text = g_strdup_printf (
        _ ("Already used at %s at %s"), at,
        json_object_get_string_member_with_default (details, "door", _ ("a door")));

      show_answer (self, FALSE, _ ("NOT ADMITTED"), text);
    }
  else if (g_error_matches (error, GT_ERROR, GT_ERROR_SHOWTIME_CLOSED) && showtime != NULL)
    {
      /* This door admits one showtime: another's ticket is turned away unused. */
      g_autofree char *at = gt_format_time (json_object_get_string_member (showtime, "starts_at"),
                                            timezone_of (self), "%H:%M");
      g_autofree char *text = g_strdup_printf (
        _ ("Wrong showtime: this ticket is for %s at %s in %s"),
        json_object_get_string_member_with_default (showtime, "movie_title", ""), at,
        json_object_get_string_member_with_default (showtime, "auditorium_name", ""));

      show_answer (self, FALSE, _ ("NOT ADMITTED"), text);
    }
  else if (g_error_matches (error, GT_ERROR, GT_ERROR_CONFLICT))
    show_answer (self, FALSE, _ ("NOT ADMITTED"), _ ("This ticket was refunded"));
  else if (g_error_matches (error, GT_ERROR, GT_ERROR_SHOWTIME_CLOSED))
    show_answer (self, FALSE, _ ("NOT ADMITTED"), error->message);
  else if (g_error_matches (error, GT_ERROR, GT_ERROR_NOT_FOUND) && self->last_offline)
    show_answer (self, FALSE, _ ("NOT ADMITTED"), error->message);
  else if (g_error_matches (error, GT_ERROR, GT_ERROR_INVALID_TICKET)
           || g_error_matches (error, GT_ERROR, GT_ERROR_NOT_FOUND))
    show_answer (self, FALSE, _ ("NOT ADMITTED"), _ ("Not a valid ticket"));
  else if (gt_client_error_is_network (error))
    show_answer (self, FALSE, _ ("WAIT"),
                 _ ("The server does not answer: this ticket could not be checked"));
  else
    show_answer (self, FALSE, _ ("NOT ADMITTED"), error->message);
}

static void
on_checked_in_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtDoorPage) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) ticket = NULL;
  gboolean offline = FALSE;

  ticket = gt_replica_check_in_finish (GT_REPLICA (object), result, &offline, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->last_offline = offline;
  if (ticket == NULL)
    refuse_for_error (self, error);
  else
    {
      g_autofree char *text = describe (self, ticket);

      self->admitted++;
      show_answer (self, TRUE, _ ("ADMIT"), text);
    }
  update_count (self);
}

static void
on_code_activated_cb (GtDoorPage *self)
{
  g_autofree char *code = g_strstrip (
    g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->code_entry))));

  gtk_editable_set_text (GTK_EDITABLE (self->code_entry), "");
  if (code[0] != '\0')
    gt_door_page_scan (self, code);
}

static void
on_showtime_chosen_cb (GtDoorPage *self)
{
  guint i = gtk_drop_down_get_selected (self->showtime_dropdown);

  self->showtime_id = 0;
  if (i != GTK_INVALID_LIST_POSITION && i > 0 && self->showtimes != NULL
      && i - 1 < json_array_get_length (self->showtimes))
    self->showtime_id = json_object_get_int_member (json_array_get_object_element (self->showtimes,
                                                                                   i - 1),
                                                    "id");
  load_lists (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
}

static void
gt_door_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (gt_door_page_parent_class)->map (widget);
  gtk_widget_grab_focus (GTK_WIDGET (GT_DOOR_PAGE (widget)->code_entry));
}

static void
gt_door_page_dispose (GObject *object)
{
  GtDoorPage *self = (GtDoorPage *) object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), GT_TYPE_DOOR_PAGE);
  gt_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->replica);

  G_OBJECT_CLASS (gt_door_page_parent_class)->dispose (object);
}

static void
gt_door_page_finalize (GObject *object)
{
  GtDoorPage *self = (GtDoorPage *) object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->showtimes, json_array_unref);
  g_clear_pointer (&self->door, g_free);

  G_OBJECT_CLASS (gt_door_page_parent_class)->finalize (object);
}

static void
gt_door_page_class_init (GtDoorPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gt_door_page_dispose;
  object_class->finalize = gt_door_page_finalize;
  widget_class->map = gt_door_page_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/id/goticket/GoTicket/ui/gt-door-page.ui");
  gtk_widget_class_bind_template_child (widget_class, GtDoorPage, showtime_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GtDoorPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, GtDoorPage, alert_label);
  gtk_widget_class_bind_template_child (widget_class, GtDoorPage, offline_label);
  gtk_widget_class_bind_template_child (widget_class, GtDoorPage, code_entry);
  gtk_widget_class_bind_template_child (widget_class, GtDoorPage, answer_box);
  gtk_widget_class_bind_template_child (widget_class, GtDoorPage, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, GtDoorPage, reason_label);
  gtk_widget_class_bind_template_callback (widget_class, on_code_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_showtime_chosen_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
gt_door_page_init (GtDoorPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  update_count (self);
}

void
gt_door_page_set_replica (GtDoorPage *self, GtReplica *replica)
{
  g_return_if_fail (GT_IS_DOOR_PAGE (self));

  if (self->replica != NULL)
    g_signal_handlers_disconnect_by_data (self->replica, self);
  if (g_set_object (&self->replica, replica) && replica != NULL)
    {
      g_signal_connect_object (replica, "changed::booking", G_CALLBACK (on_booking_changed_cb),
                               self, G_CONNECT_DEFAULT);
      g_signal_connect_object (replica, "double-admission", G_CALLBACK (on_double_admission_cb),
                               self, G_CONNECT_DEFAULT);
    }
}

void
gt_door_page_set_door (GtDoorPage *self, const char *door)
{
  g_return_if_fail (GT_IS_DOOR_PAGE (self));

  g_free (self->door);
  self->door = g_strdup (door);
}

void
gt_door_page_refresh (GtDoorPage *self)
{
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr (JsonArray) all = NULL;
  g_autofree char *today = NULL;
  guint            selected = 0;

  g_return_if_fail (GT_IS_DOOR_PAGE (self));

  if (self->replica == NULL)
    return;
  today = gt_format_today (timezone_of (self));
  all = gt_replica_list_door_showtimes (self->replica, today);
  /* A showtime that is over admits nobody: not offered, unless chosen. */
  g_clear_pointer (&self->showtimes, json_array_unref);
  self->showtimes = json_array_new ();
  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *showtime = json_array_get_object_element (all, i);
      gint64      ends = 0;

      gt_time_parse (json_object_get_string_member_with_default (showtime, "ends_at", ""), &ends);
      if (ends > g_get_real_time ()
          || json_object_get_int_member (showtime, "id") == self->showtime_id)
        json_array_add_object_element (self->showtimes, json_object_ref (showtime));
    }

  gtk_string_list_append (names, _ ("All showtimes now"));
  for (guint i = 0; i < json_array_get_length (self->showtimes); i++)
    {
      JsonObject      *showtime = json_array_get_object_element (self->showtimes, i);
      g_autofree char *at = gt_format_time (json_object_get_string_member (showtime, "starts_at"),
                                            timezone_of (self), "%H:%M");
      g_autofree char *name = g_strdup_printf (
        "%s · %s · %s", at,
        json_object_get_string_member_with_default (showtime, "movie_title", ""),
        json_object_get_string_member_with_default (showtime, "auditorium_name", ""));

      gtk_string_list_append (names, name);
      if (json_object_get_int_member (showtime, "id") == self->showtime_id)
        selected = i + 1;
    }
  gtk_drop_down_set_model (self->showtime_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->showtime_dropdown, selected);
  load_lists (self);
}

void
gt_door_page_focus (GtDoorPage *self)
{
  g_return_if_fail (GT_IS_DOOR_PAGE (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
}

void
gt_door_page_scan (GtDoorPage *self, const char *code)
{
  g_autofree char *booking_code = NULL;

  g_return_if_fail (GT_IS_DOOR_PAGE (self));
  g_return_if_fail (code != NULL);

  if (self->replica == NULL)
    return;
  self->last_offline = FALSE;
  /* The code on a receipt names the whole booking and is not signed: each
   * seat gets in on its own ticket. */
  if ((booking_code = gt_format_booking_code (code)) != NULL)
    {
      g_autofree char *text = g_strdup_printf (
        _ ("%s is a booking code: scan the code on each ticket. The counter can print the tickets "
           "again."),
        booking_code);

      show_answer (self, FALSE, _ ("NOT ADMITTED"), text);
      return;
    }
  show_answer (self, FALSE, NULL, NULL);
  gt_replica_check_in_async (self->replica, code, self->door ? self->door : _ ("Door"),
                             self->showtime_id, self->cancellable, on_checked_in_cb,
                             g_object_ref (self));
}

gboolean
gt_door_page_get_admitted (GtDoorPage *self)
{
  g_return_val_if_fail (GT_IS_DOOR_PAGE (self), FALSE);
  return self->last_admitted;
}

const char *
gt_door_page_get_verdict (GtDoorPage *self)
{
  g_return_val_if_fail (GT_IS_DOOR_PAGE (self), NULL);
  return gtk_label_get_label (self->verdict_label);
}

const char *
gt_door_page_get_reason (GtDoorPage *self)
{
  g_return_val_if_fail (GT_IS_DOOR_PAGE (self), NULL);
  return gtk_label_get_label (self->reason_label);
}

gboolean
gt_door_page_get_offline (GtDoorPage *self)
{
  g_return_val_if_fail (GT_IS_DOOR_PAGE (self), FALSE);
  return self->last_offline;
}

const char *
gt_door_page_get_count (GtDoorPage *self)
{
  g_return_val_if_fail (GT_IS_DOOR_PAGE (self), NULL);
  return gtk_label_get_label (self->count_label);
}

const char *
gt_door_page_get_alert (GtDoorPage *self)
{
  g_return_val_if_fail (GT_IS_DOOR_PAGE (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->alert_label))
           ? gtk_label_get_label (self->alert_label)
           : NULL;
}

JsonArray *
gt_door_page_get_showtimes (GtDoorPage *self)
{
  g_return_val_if_fail (GT_IS_DOOR_PAGE (self), NULL);

  return self->showtimes;
}

void
gt_door_page_set_showtime (GtDoorPage *self, gint64 showtime_id)
{
  g_return_if_fail (GT_IS_DOOR_PAGE (self));

  self->showtime_id = showtime_id;
  gt_door_page_refresh (self);
}
