/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-auditorium-editor"

#include "config.h"

#include "gt-widget-util.h"
#include <glib/gi18n.h>

#include "gt-auditorium-editor.h"
#include "gt-seat-map.h"

/* In the order of the brush list in the template. */
static const char *const brushes[] = {
  "standard", "premium", "wheelchair", "companion", "couple", "blocked",
};

struct _GtAuditoriumEditor
{
  GtkWidget parent_instance;

  GtReplica  *replica;
  GtClient   *client;
  JsonArray  *auditoriums;   /* as in auditorium_dropdown */
  gint64      auditorium_id; /* 0: a new one */
  JsonObject *layout;        /* {"rows":[{"label","seats":[…]}]} as the API takes it */
  char       *message;

  GtkDropDown   *auditorium_dropdown;
  AdwEntryRow   *name_row;
  GtkSpinButton *rows_spin;
  GtkSpinButton *seats_spin;
  AdwEntryRow   *aisles_row;
  AdwEntryRow   *labels_row;
  AdwComboRow   *brush_row;
  AdwActionRow  *answer_row;
  GtSeatMap     *preview;
};

G_DEFINE_FINAL_TYPE (GtAuditoriumEditor, gt_auditorium_editor, GTK_TYPE_WIDGET)

static void
set_message (GtAuditoriumEditor *self, const char *message)
{
  g_free (self->message);
  self->message = g_strdup (message ? message : "");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->answer_row), self->message);
}

/* The seat map shows the layout as a cashier would see an empty showtime. */
static void
show_preview (GtAuditoriumEditor *self)
{
  g_autoptr (JsonArray) seats = json_array_new ();
  JsonArray *rows = self->layout ? json_object_get_array_member (self->layout, "rows") : NULL;

  for (guint r = 0; rows && r < json_array_get_length (rows); r++)
    {
      JsonObject *row = json_array_get_object_element (rows, r);
      JsonArray  *row_seats = json_object_get_array_member (row, "seats");

      for (guint s = 0; row_seats && s < json_array_get_length (row_seats); s++)
        {
          JsonObject *in = json_array_get_object_element (row_seats, s);
          JsonObject *seat = json_object_new ();

          json_object_set_string_member (seat, "id", json_object_get_string_member (in, "id"));
          json_object_set_string_member (seat, "row", json_object_get_string_member (row, "label"));
          json_object_set_int_member (seat, "number", json_object_get_int_member (in, "number"));
          json_object_set_int_member (seat, "x", json_object_get_int_member (in, "x"));
          json_object_set_string_member (seat, "type",
                                         json_object_get_string_member_with_default (in, "type",
                                                                                     "standard"));
          json_object_set_string_member (seat, "state",
                                         json_object_get_boolean_member_with_default (in, "blocked",
                                                                                      FALSE)
                                           ? "blocked"
                                           : "free");
          json_array_add_object_element (seats, seat);
        }
    }
  gt_seat_map_set_seats (self->preview, seats);
}

static JsonObject *
find_seat (GtAuditoriumEditor *self, const char *seat_id)
{
  JsonArray *rows = self->layout ? json_object_get_array_member (self->layout, "rows") : NULL;

  for (guint r = 0; rows && r < json_array_get_length (rows); r++)
    {
      JsonArray *seats = json_object_get_array_member (json_array_get_object_element (rows, r),
                                                       "seats");

      for (guint s = 0; seats && s < json_array_get_length (seats); s++)
        if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (seats, s),
                                                      "id"),
                       seat_id)
            == 0)
          return json_array_get_object_element (seats, s);
    }
  return NULL;
}

static void
paint (GtAuditoriumEditor *self, const char *seat_id, const char *brush)
{
  JsonObject *seat = find_seat (self, seat_id);

  if (seat == NULL)
    return;
  if (g_str_equal (brush, "blocked"))
    json_object_set_boolean_member (seat, "blocked", TRUE);
  else
    {
      json_object_set_string_member (seat, "type", brush);
      if (json_object_has_member (seat, "blocked"))
        json_object_remove_member (seat, "blocked");
    }
  show_preview (self);
  gt_seat_map_set_focus_seat (self->preview, seat_id);
}

static void
on_seat_activated_cb (GtAuditoriumEditor *self, const char *seat_id, GtSeatMap *map)
{
  guint brush = adw_combo_row_get_selected (self->brush_row);

  paint (self, seat_id, brushes[MIN (brush, G_N_ELEMENTS (brushes) - 1)]);
}

static void
generate (GtAuditoriumEditor *self)
{
  guint n_rows = gtk_spin_button_get_value_as_int (self->rows_spin);
  guint n_seats = gtk_spin_button_get_value_as_int (self->seats_spin);
  g_auto (GStrv)
    aisles = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->aisles_row)), ",", -1);
  g_auto (GStrv)
    labels = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->labels_row)), ",", -1);
  g_autoptr (GHashTable) before = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *rows = json_array_new ();
  JsonArray *old_rows = self->layout ? json_object_get_array_member (self->layout, "rows") : NULL;

  /* A row added or a seat more per row keeps what the seats already there
   * were made (premium, wheelchair, blocked, …): the same id, the same seat. */
  for (guint r = 0; old_rows && r < json_array_get_length (old_rows); r++)
    {
      JsonArray *old_seats = json_object_get_array_member (json_array_get_object_element (old_rows,
                                                                                          r),
                                                           "seats");

      for (guint n = 0; old_seats && n < json_array_get_length (old_seats); n++)
        {
          JsonObject *seat = json_array_get_object_element (old_seats, n);

          g_hash_table_insert (before, (gpointer) json_object_get_string_member (seat, "id"), seat);
        }
    }

  for (guint r = 0; r < n_rows; r++)
    {
      JsonObject      *row = json_object_new ();
      JsonArray       *seats = json_array_new ();
      g_autofree char *label = NULL;

      if (labels[0] != NULL && r < g_strv_length (labels) && g_strstrip (labels[r])[0] != '\0')
        label = g_strdup (labels[r]);
      else
        label = g_strdup_printf ("%c", 'A' + r);

      for (guint n = 1; n <= n_seats; n++)
        {
          JsonObject      *seat = json_object_new ();
          g_autofree char *id = g_strdup_printf ("%s%u", label, n);
          JsonObject      *was = g_hash_table_lookup (before, id);
          int              x = n - 1;

          /* An aisle after seat k moves every seat after it one column on. */
          for (guint a = 0; aisles[a] != NULL; a++)
            {
              gint64 after = g_ascii_strtoll (g_strstrip (aisles[a]), NULL, 10);

              if (after > 0 && after < (gint64) n)
                x++;
            }
          json_object_set_string_member (seat, "id", id);
          json_object_set_int_member (seat, "number", n);
          json_object_set_int_member (seat, "x", x);
          json_object_set_string_member (
            seat, "type",
            was ? json_object_get_string_member_with_default (was, "type", "standard")
                : "standard");
          if (was && json_object_get_boolean_member_with_default (was, "blocked", FALSE))
            json_object_set_boolean_member (seat, "blocked", TRUE);
          json_array_add_object_element (seats, seat);
        }
      json_object_set_string_member (row, "label", label);
      json_object_set_array_member (row, "seats", seats);
      json_array_add_object_element (rows, row);
    }

  g_clear_pointer (&self->layout, json_object_unref);
  self->layout = json_object_new ();
  json_object_set_array_member (self->layout, "rows", rows);
  show_preview (self);
}

static void
generate_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtAuditoriumEditor *self = GT_AUDITORIUM_EDITOR (widget);

  generate (self);
  set_message (self, _ ("Not saved yet"));
}

static void
new_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  gt_auditorium_editor_open (GT_AUDITORIUM_EDITOR (widget), 0);
}

static void
on_saved_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtAuditoriumEditor) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) auditorium = gt_client_call_finish (GT_CLIENT (object), result, &error);

  if (auditorium == NULL)
    {
      g_autoptr (GString) text = g_string_new (
        gt_client_error_is_network (error) ? _ ("The server does not answer: nothing was saved")
                                           : error->message);
      JsonObject *details = gt_error_get_details (error);
      JsonArray  *seats = details ? json_object_get_array_member (details, "seats") : NULL;

      /* The seats in the way, when the server names them. */
      for (guint i = 0; seats && i < json_array_get_length (seats); i++)
        g_string_append_printf (text, "%s%s", i ? ", " : ": ",
                                json_array_get_string_element (seats, i));
      set_message (self, text->str);
      return;
    }
  self->auditorium_id = json_object_get_int_member (auditorium, "id");
  {
    g_autofree char *text = g_strdup_printf (
      ngettext ("“%s” is saved: %d seat", "“%s” is saved: %d seats",
                json_object_get_int_member_with_default (auditorium, "seat_count", 0)),
      json_object_get_string_member (auditorium, "name"),
      (int) json_object_get_int_member_with_default (auditorium, "seat_count", 0));
    set_message (self, text);
  }
  /* The store often has it already (the live change comes before this
   * answer): the chooser names it now rather than at the next change. */
  gt_auditorium_editor_refresh (self);
}

/* @layout as sent: each seat with only what differs from the server's
 * defaults (id row label + number, x number - 1, standard, not blocked).
 * Written out whole, the largest layout this editor makes (26 rows of 60)
 * would be over the API's 64 KiB for a body. */
static JsonObject *
compact_layout (JsonObject *layout)
{
  JsonArray  *rows = json_object_get_array_member (layout, "rows");
  JsonArray  *out_rows = json_array_new ();
  JsonObject *out = json_object_new ();

  for (guint r = 0; r < json_array_get_length (rows); r++)
    {
      JsonObject *row = json_array_get_object_element (rows, r);
      JsonArray  *seats = json_object_get_array_member (row, "seats");
      const char *label = json_object_get_string_member (row, "label");
      JsonObject *out_row = json_object_new ();
      JsonArray  *out_seats = json_array_new ();

      for (guint i = 0; i < json_array_get_length (seats); i++)
        {
          JsonObject      *seat = json_array_get_object_element (seats, i);
          JsonObject      *out_seat = json_object_new ();
          gint64           number = json_object_get_int_member (seat, "number");
          gint64           x = json_object_get_int_member_with_default (seat, "x", number - 1);
          const char      *id = json_object_get_string_member_with_default (seat, "id", NULL);
          const char      *type = json_object_get_string_member_with_default (seat, "type", NULL);
          g_autofree char *made_id = g_strdup_printf ("%s%" G_GINT64_FORMAT, label, number);

          json_object_set_int_member (out_seat, "number", number);
          if (id != NULL && !g_str_equal (id, made_id))
            json_object_set_string_member (out_seat, "id", id);
          if (x != number - 1)
            json_object_set_int_member (out_seat, "x", x);
          if (type != NULL && !g_str_equal (type, "standard"))
            json_object_set_string_member (out_seat, "type", type);
          if (json_object_get_boolean_member_with_default (seat, "blocked", FALSE))
            json_object_set_boolean_member (out_seat, "blocked", TRUE);
          json_array_add_object_element (out_seats, out_seat);
        }
      json_object_set_string_member (out_row, "label", label);
      json_object_set_array_member (out_row, "seats", out_seats);
      json_array_add_object_element (out_rows, out_row);
    }
  json_object_set_array_member (out, "rows", out_rows);
  return out;
}

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtAuditoriumEditor *self = GT_AUDITORIUM_EDITOR (widget);
  g_autoptr (JsonObject) body = json_object_new ();
  g_autofree char *path = NULL;
  g_autofree char *name = g_strstrip (
    g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));

  if (name[0] == '\0')
    {
      set_message (self, _ ("Give the auditorium a name"));
      return;
    }
  if (self->layout == NULL)
    generate (self);
  json_object_set_string_member (body, "name", name);
  json_object_set_object_member (body, "layout", compact_layout (self->layout));
  if (self->auditorium_id != 0)
    path = g_strdup_printf ("/auditoriums/%" G_GINT64_FORMAT, self->auditorium_id);
  set_message (self, _ ("Saving…"));
  gt_client_call_async (self->client, self->auditorium_id ? "PATCH" : "POST",
                        path ? path : "/auditoriums", body, NULL, NULL, on_saved_cb,
                        g_object_ref (self));
}

static void
on_auditorium_chosen_cb (GtAuditoriumEditor *self)
{
  guint i = gtk_drop_down_get_selected (self->auditorium_dropdown);

  if (self->auditoriums != NULL && i < json_array_get_length (self->auditoriums))
    gt_auditorium_editor_open (self, json_object_get_int_member (
                                       json_array_get_object_element (self->auditoriums, i), "id"));
}

static void
gt_auditorium_editor_dispose (GObject *object)
{
  GtAuditoriumEditor *self = (GtAuditoriumEditor *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), GT_TYPE_AUDITORIUM_EDITOR);
  gt_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->replica);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (gt_auditorium_editor_parent_class)->dispose (object);
}

static void
gt_auditorium_editor_finalize (GObject *object)
{
  GtAuditoriumEditor *self = (GtAuditoriumEditor *) object;

  g_clear_pointer (&self->auditoriums, json_array_unref);
  g_clear_pointer (&self->layout, json_object_unref);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (gt_auditorium_editor_parent_class)->finalize (object);
}

static void
gt_auditorium_editor_class_init (GtAuditoriumEditorClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gt_auditorium_editor_dispose;
  object_class->finalize = gt_auditorium_editor_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/id/goticket/GoTicket/ui/gt-auditorium-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, GtAuditoriumEditor, auditorium_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GtAuditoriumEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, GtAuditoriumEditor, rows_spin);
  gtk_widget_class_bind_template_child (widget_class, GtAuditoriumEditor, seats_spin);
  gtk_widget_class_bind_template_child (widget_class, GtAuditoriumEditor, aisles_row);
  gtk_widget_class_bind_template_child (widget_class, GtAuditoriumEditor, labels_row);
  gtk_widget_class_bind_template_child (widget_class, GtAuditoriumEditor, brush_row);
  gtk_widget_class_bind_template_child (widget_class, GtAuditoriumEditor, answer_row);
  gtk_widget_class_bind_template_child (widget_class, GtAuditoriumEditor, preview);
  gtk_widget_class_bind_template_callback (widget_class, on_seat_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_auditorium_chosen_cb);

  gtk_widget_class_install_action (widget_class, "auditorium.generate", NULL, generate_action);
  gtk_widget_class_install_action (widget_class, "auditorium.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "auditorium.save", NULL, save_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
gt_auditorium_editor_init (GtAuditoriumEditor *self)
{
  g_type_ensure (GT_TYPE_SEAT_MAP);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->message = g_strdup ("");
}

void
gt_auditorium_editor_set_replica (GtAuditoriumEditor *self, GtReplica *replica)
{
  g_return_if_fail (GT_IS_AUDITORIUM_EDITOR (self));

  g_clear_object (&self->client);
  if (g_set_object (&self->replica, replica) && replica != NULL)
    self->client = g_object_ref (gt_replica_get_client (replica));
}

void
gt_auditorium_editor_refresh (GtAuditoriumEditor *self)
{
  g_autoptr (GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = GTK_INVALID_LIST_POSITION;

  g_return_if_fail (GT_IS_AUDITORIUM_EDITOR (self));

  if (self->replica == NULL)
    return;
  g_clear_pointer (&self->auditoriums, json_array_unref);
  self->auditoriums = gt_replica_list_auditoriums (self->replica);
  for (guint i = 0; i < json_array_get_length (self->auditoriums); i++)
    {
      JsonObject *auditorium = json_array_get_object_element (self->auditoriums, i);

      gtk_string_list_append (names, json_object_get_string_member (auditorium, "name"));
      if (json_object_get_int_member (auditorium, "id") == self->auditorium_id)
        selected = i;
    }
  /* Nothing open yet (nor a new one begun): the first, rather than an
   * empty page. */
  if (selected == GTK_INVALID_LIST_POSITION && self->layout == NULL
      && json_array_get_length (self->auditoriums) > 0)
    selected = 0;
  g_signal_handlers_block_by_func (self->auditorium_dropdown, on_auditorium_chosen_cb, self);
  gtk_drop_down_set_model (self->auditorium_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->auditorium_dropdown, selected);
  g_signal_handlers_unblock_by_func (self->auditorium_dropdown, on_auditorium_chosen_cb, self);
  if (self->layout == NULL && json_array_get_length (self->auditoriums) > 0)
    on_auditorium_chosen_cb (self);
}

void
gt_auditorium_editor_open (GtAuditoriumEditor *self, gint64 auditorium_id)
{
  JsonObject *auditorium = NULL;
  JsonArray  *rows;
  JsonArray  *widest_seats = NULL;
  g_autoptr (GString) labels = g_string_new (NULL);
  g_autoptr (GString) aisles = g_string_new (NULL);
  guint widest = 0;

  g_return_if_fail (GT_IS_AUDITORIUM_EDITOR (self));

  for (guint i = 0; self->auditoriums && i < json_array_get_length (self->auditoriums); i++)
    if (json_object_get_int_member (json_array_get_object_element (self->auditoriums, i), "id")
        == auditorium_id)
      auditorium = json_array_get_object_element (self->auditoriums, i);

  self->auditorium_id = auditorium ? auditorium_id : 0;
  g_clear_pointer (&self->layout, json_object_unref);
  set_message (self, NULL);
  if (auditorium == NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->labels_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->aisles_row), "");
      generate (self);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->name_row),
                         json_object_get_string_member (auditorium, "name"));
  {
    g_autoptr (JsonNode) copy = json_node_copy (json_object_get_member (auditorium, "layout"));

    self->layout = json_object_ref (json_node_get_object (copy));
  }
  rows = json_object_get_array_member (self->layout, "rows");
  for (guint r = 0; rows && r < json_array_get_length (rows); r++)
    {
      JsonObject *row = json_array_get_object_element (rows, r);
      JsonArray  *seats = json_object_get_array_member (row, "seats");

      g_string_append_printf (labels, "%s%s", r ? ", " : "",
                              json_object_get_string_member (row, "label"));
      if (seats != NULL && json_array_get_length (seats) > widest)
        {
          widest = json_array_get_length (seats);
          widest_seats = seats;
        }
    }
  /* The aisles as the widest row has them, so that Generate Rows keeps them:
   * one column skipped after a seat is one aisle after its number. */
  for (guint i = 1; widest_seats && i < json_array_get_length (widest_seats); i++)
    {
      JsonObject *before = json_array_get_object_element (widest_seats, i - 1);
      gint64 gap = json_object_get_int_member (json_array_get_object_element (widest_seats, i), "x")
                   - json_object_get_int_member (before, "x");

      for (gint64 a = 1; a < gap; a++)
        g_string_append_printf (aisles, "%s%" G_GINT64_FORMAT, aisles->len ? ", " : "",
                                json_object_get_int_member (before, "number"));
    }
  gtk_editable_set_text (GTK_EDITABLE (self->aisles_row), aisles->str);
  gtk_editable_set_text (GTK_EDITABLE (self->labels_row), labels->str);
  gtk_spin_button_set_value (self->rows_spin, rows ? json_array_get_length (rows) : 1);
  gtk_spin_button_set_value (self->seats_spin, MAX (widest, 1));
  show_preview (self);
}

void
gt_auditorium_editor_generate (GtAuditoriumEditor *self,
                               const char         *name,
                               guint               rows,
                               guint               seats_per_row,
                               const char         *aisles_after)
{
  g_return_if_fail (GT_IS_AUDITORIUM_EDITOR (self));

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
  gtk_spin_button_set_value (self->rows_spin, rows);
  gtk_spin_button_set_value (self->seats_spin, seats_per_row);
  gtk_editable_set_text (GTK_EDITABLE (self->aisles_row), aisles_after);
  gtk_widget_activate_action (GTK_WIDGET (self), "auditorium.generate", NULL);
}

void
gt_auditorium_editor_paint (GtAuditoriumEditor *self, const char *seat_id, const char *brush)
{
  g_return_if_fail (GT_IS_AUDITORIUM_EDITOR (self));

  for (guint i = 0; i < G_N_ELEMENTS (brushes); i++)
    if (g_str_equal (brushes[i], brush))
      adw_combo_row_set_selected (self->brush_row, i);
  g_signal_emit_by_name (self->preview, "seat-activated", seat_id);
}

void
gt_auditorium_editor_save (GtAuditoriumEditor *self)
{
  g_return_if_fail (GT_IS_AUDITORIUM_EDITOR (self));
  gtk_widget_activate_action (GTK_WIDGET (self), "auditorium.save", NULL);
}

const char *
gt_auditorium_editor_get_message (GtAuditoriumEditor *self)
{
  g_return_val_if_fail (GT_IS_AUDITORIUM_EDITOR (self), NULL);
  return self->message;
}

GtkWidget *
gt_auditorium_editor_get_preview (GtAuditoriumEditor *self)
{
  g_return_val_if_fail (GT_IS_AUDITORIUM_EDITOR (self), NULL);
  return GTK_WIDGET (self->preview);
}
