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

  GtReplica    *replica;
  GtClient     *client;
  JsonArray    *showtimes; /* today's, as in the dropdown after "All" */
  gint64        showtime_id;
  char         *door;
  guint         admitted;
  gboolean      last_admitted;
  GCancellable *cancellable;

  GtkDropDown *showtime_dropdown;
  GtkLabel    *count_label;
  GtkEntry    *code_entry;
  GtkWidget   *answer_box;
  GtkLabel    *verdict_label;
  GtkLabel    *reason_label;
};

G_DEFINE_FINAL_TYPE (GtDoorPage, gt_door_page, GTK_TYPE_WIDGET)

typedef struct
{
  GtDoorPage *self;
  char       *code;
} Scan;

static void
scan_free (Scan *scan)
{
  g_object_unref (scan->self);
  g_free (scan->code);
  g_free (scan);
}

static const char *
timezone_of (GtDoorPage *self)
{
  g_autoptr (JsonObject) config = self->replica ? gt_replica_dup_config (self->replica) : NULL;

  /* Interned: the answer outlives the config object. */
  return g_intern_string (
    config ? json_object_get_string_member_with_default (config, "timezone", "UTC") : "UTC");
}

static void
update_count (GtDoorPage *self)
{
  g_autofree char *text = g_strdup_printf (ngettext ("%u admitted at this door",
                                                     "%u admitted at this door", self->admitted),
                                           self->admitted);

  gtk_label_set_label (self->count_label, text);
}

/* The whole page says it, and a refusal rings. */
static void
show_answer (GtDoorPage *self, gboolean admitted, const char *verdict, const char *reason)
{
  self->last_admitted = admitted;
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
  else if (g_error_matches (error, GT_ERROR, GT_ERROR_CONFLICT))
    show_answer (self, FALSE, _ ("NOT ADMITTED"), _ ("This ticket was refunded"));
  else if (g_error_matches (error, GT_ERROR, GT_ERROR_SHOWTIME_CLOSED))
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
  Scan       *scan = user_data;
  GtDoorPage *self = scan->self;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) ticket = gt_client_call_finish (GT_CLIENT (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ;
  else if (ticket == NULL)
    refuse_for_error (self, error);
  else
    {
      g_autofree char *text = describe (self, ticket);

      self->admitted++;
      update_count (self);
      show_answer (self, TRUE, _ ("ADMIT"), text);
    }
  scan_free (scan);
}

static void
on_ticket_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Scan       *scan = user_data;
  GtDoorPage *self = scan->self;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) ticket = gt_client_call_finish (GT_CLIENT (object), result, &error);
  g_autoptr (JsonObject) body = NULL;
  g_autofree char *path = NULL;
  JsonObject      *showtime;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      scan_free (scan);
      return;
    }
  if (ticket == NULL)
    {
      refuse_for_error (self, error);
      scan_free (scan);
      return;
    }

  /* This door admits one showtime: another's ticket is turned away unused. */
  showtime = gt_json_object_member (ticket, "showtime");
  if (self->showtime_id != 0 && showtime != NULL
      && json_object_get_int_member (showtime, "id") != self->showtime_id)
    {
      g_autofree char *at = gt_format_time (json_object_get_string_member (showtime, "starts_at"),
                                            timezone_of (self), "%H:%M");
      g_autofree char *text = g_strdup_printf (
        _ ("Wrong showtime: this ticket is for %s at %s in %s"),
        json_object_get_string_member_with_default (showtime, "movie_title", ""), at,
        json_object_get_string_member_with_default (showtime, "auditorium_name", ""));

      show_answer (self, FALSE, _ ("NOT ADMITTED"), text);
      scan_free (scan);
      return;
    }

  body = json_object_new ();
  json_object_set_string_member (body, "door", self->door ? self->door : _ ("Door"));
  path = g_strdup_printf ("/tickets/%s/checkin", scan->code);
  gt_client_call_async (self->client, "POST", path, body, NULL, self->cancellable, on_checked_in_cb,
                        scan);
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
  g_clear_object (&self->client);

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

  g_clear_object (&self->client);
  if (g_set_object (&self->replica, replica) && replica != NULL)
    self->client = g_object_ref (gt_replica_get_client (replica));
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
  g_autoptr (GTimeZone) tz = NULL;
  g_autoptr (GDateTime) now = NULL;
  g_autofree char *today = NULL;
  guint            selected = 0;

  g_return_if_fail (GT_IS_DOOR_PAGE (self));

  if (self->replica == NULL)
    return;
  tz = g_time_zone_new_identifier (timezone_of (self));
  now = g_date_time_new_now (tz ? tz : g_time_zone_new_utc ());
  today = g_date_time_format (now, "%Y-%m-%d");
  g_clear_pointer (&self->showtimes, json_array_unref);
  self->showtimes = gt_replica_list_showtimes (self->replica, today);

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
  Scan            *scan;
  g_autofree char *path = NULL;

  g_return_if_fail (GT_IS_DOOR_PAGE (self));
  g_return_if_fail (code != NULL);

  if (self->client == NULL)
    return;
  scan = g_new0 (Scan, 1);
  scan->self = g_object_ref (self);
  /* Whatever a scanner typed stays one path segment. */
  scan->code = g_uri_escape_string (code, NULL, FALSE);
  show_answer (self, FALSE, NULL, NULL);
  path = g_strdup_printf ("/tickets/%s", scan->code);
  gt_client_call_async (self->client, "GET", path, NULL, NULL, self->cancellable, on_ticket_cb,
                        scan);
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

void
gt_door_page_set_showtime (GtDoorPage *self, gint64 showtime_id)
{
  g_return_if_fail (GT_IS_DOOR_PAGE (self));

  self->showtime_id = showtime_id;
  gt_door_page_refresh (self);
}
