/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-price-grid"

#include "config.h"

#include <glib/gi18n.h>

#include "gt-format.h"
#include "gt-json.h"
#include "gt-price-grid.h"
#include "gt-widget-util.h"

#define MAX_TYPE_LENGTH 32

struct _GtPriceGrid
{
  GtkWidget parent_instance;

  GtkGrid   *grid;
  GtkEntry  *new_type_entry;
  GtkButton *add_button;

  GStrv       titles;
  guint       n_columns;
  GPtrArray  *types;   /* of char *, one grid row each */
  GPtrArray  *entries; /* of GtkEntry *, types->len × n_columns */
  JsonObject *config;  /* the cinema's settings: its currency */
};

G_DEFINE_FINAL_TYPE (GtPriceGrid, gt_price_grid, GTK_TYPE_WIDGET)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *const standard_types[] = { "adult", "child", "senior", "student" };

static gboolean
has_titles (GtPriceGrid *self)
{
  return self->n_columns > 1 || (self->titles[0] != NULL && self->titles[0][0] != '\0');
}

static int
type_index (GtPriceGrid *self, const char *type)
{
  for (guint i = 0; i < self->types->len; i++)
    if (g_str_equal (g_ptr_array_index (self->types, i), type))
      return i;
  return -1;
}

static GtkEntry *
entry_at (GtPriceGrid *self, guint type, guint column)
{
  return g_ptr_array_index (self->entries, type * self->n_columns + column);
}

/* "VIP couple" → "vip_couple"; NULL when it is no type name. */
static char *
type_name_of (const char *text)
{
  g_autofree char *name = g_utf8_strdown (text, -1);

  g_strstrip (name);
  if (name[0] == '\0' || strlen (name) > MAX_TYPE_LENGTH)
    return NULL;
  for (char *p = name; *p; p++)
    {
      if (*p == ' ' || *p == '-')
        *p = '_';
      else if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
        return NULL;
    }
  return g_steal_pointer (&name);
}

static void
on_entry_changed_cb (GtPriceGrid *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
append_row (GtPriceGrid *self, const char *type)
{
  guint            row = self->types->len + (has_titles (self) ? 1 : 0);
  g_autofree char *label_text = gt_format_ticket_type (type);
  GtkWidget       *label = gtk_label_new (label_text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_grid_attach (self->grid, label, 0, row, 1, 1);

  for (guint c = 0; c < self->n_columns; c++)
    {
      GtkWidget       *entry = gtk_entry_new ();
      g_autofree char *name = self->n_columns > 1 && self->titles[c]
                                ? g_strdup_printf (_ ("%s price, %s"), label_text, self->titles[c])
                                : g_strdup_printf (_ ("%s price"), label_text);

      gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_DIGITS);
      gtk_editable_set_width_chars (GTK_EDITABLE (entry), 9);
      gtk_editable_set_alignment (GTK_EDITABLE (entry), 1.0);
      gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _ ("not sold"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      -1);
      g_signal_connect_object (entry, "changed", G_CALLBACK (on_entry_changed_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_grid_attach (self->grid, entry, c + 1, row, 1, 1);
      g_ptr_array_add (self->entries, entry);
    }
  g_ptr_array_add (self->types, g_strdup (type));
}

static void
rebuild (GtPriceGrid *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->grid))) != NULL)
    gtk_grid_remove (self->grid, child);
  g_ptr_array_set_size (self->types, 0);
  g_ptr_array_set_size (self->entries, 0);

  if (has_titles (self))
    for (guint c = 0; c < self->n_columns; c++)
      {
        GtkWidget *title = gtk_label_new (self->titles[c]);

        gtk_label_set_xalign (GTK_LABEL (title), 1.0);
        gtk_widget_add_css_class (title, "heading");
        gtk_grid_attach (self->grid, title, c + 1, 0, 1, 1);
      }
  for (guint i = 0; i < G_N_ELEMENTS (standard_types); i++)
    append_row (self, standard_types[i]);
}

static void
on_new_type_changed_cb (GtPriceGrid *self)
{
  g_autofree char *name = type_name_of (
    gtk_editable_get_text (GTK_EDITABLE (self->new_type_entry)));

  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button),
                            name != NULL && type_index (self, name) < 0);
}

static void
on_add_type_cb (GtPriceGrid *self)
{
  if (gt_price_grid_add_type (self, gtk_editable_get_text (GTK_EDITABLE (self->new_type_entry))))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->new_type_entry), "");
      gtk_widget_grab_focus (GTK_WIDGET (entry_at (self, self->types->len - 1, 0)));
    }
}

static void
gt_price_grid_dispose (GObject *object)
{
  gt_widget_unparent_children (GTK_WIDGET (object));

  G_OBJECT_CLASS (gt_price_grid_parent_class)->dispose (object);
}

static void
gt_price_grid_finalize (GObject *object)
{
  GtPriceGrid *self = GT_PRICE_GRID (object);

  g_strfreev (self->titles);
  g_ptr_array_unref (self->types);
  g_ptr_array_unref (self->entries);
  g_clear_pointer (&self->config, json_object_unref);

  G_OBJECT_CLASS (gt_price_grid_parent_class)->finalize (object);
}

static void
gt_price_grid_class_init (GtPriceGridClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gt_price_grid_dispose;
  object_class->finalize = gt_price_grid_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
gt_price_grid_init (GtPriceGrid *self)
{
  GtkWidget        *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget        *add_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  const char *const one_column[] = { NULL };

  self->types = g_ptr_array_new_with_free_func (g_free);
  self->entries = g_ptr_array_new ();

  self->grid = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_row_spacing (self->grid, 6);
  gtk_grid_set_column_spacing (self->grid, 12);

  self->new_type_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->new_type_entry, _ ("Another ticket type, e.g. Member"));
  gtk_widget_set_hexpand (GTK_WIDGET (self->new_type_entry), TRUE);
  g_signal_connect_object (self->new_type_entry, "changed", G_CALLBACK (on_new_type_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->new_type_entry, "activate", G_CALLBACK (on_add_type_cb), self,
                           G_CONNECT_SWAPPED);
  self->add_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_ ("Add _Type")));
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), FALSE);
  g_signal_connect_object (self->add_button, "clicked", G_CALLBACK (on_add_type_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (add_box), GTK_WIDGET (self->new_type_entry));
  gtk_box_append (GTK_BOX (add_box), GTK_WIDGET (self->add_button));

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->grid));
  gtk_box_append (GTK_BOX (box), add_box);
  gtk_widget_set_parent (box, GTK_WIDGET (self));

  gt_price_grid_set_columns (self, one_column);
}

GtkWidget *
gt_price_grid_new (void)
{
  return g_object_new (GT_TYPE_PRICE_GRID, NULL);
}

void
gt_price_grid_set_columns (GtPriceGrid *self, const char *const *titles)
{
  g_return_if_fail (GT_IS_PRICE_GRID (self));
  g_return_if_fail (titles != NULL);

  g_strfreev (self->titles);
  self->titles = g_strdupv ((char **) titles);
  /* No titles: one column, whose title is the terminating NULL. */
  self->n_columns = MAX (g_strv_length (self->titles), 1);
  rebuild (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
gt_price_grid_set_prices (GtPriceGrid *self, guint column, JsonObject *prices)
{
  g_autoptr (GList) names = prices ? json_object_get_members (prices) : NULL;

  g_return_if_fail (GT_IS_PRICE_GRID (self));
  g_return_if_fail (column < self->n_columns);

  for (guint i = 0; i < self->types->len; i++)
    gtk_editable_set_text (GTK_EDITABLE (entry_at (self, i, column)), "");
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode        *node = json_object_get_member (prices, l->data);
      g_autofree char *text = NULL;
      int              i = type_index (self, l->data);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
        continue;
      if (i < 0)
        {
          append_row (self, l->data);
          i = self->types->len - 1;
        }
      text = gt_format_config_amount (self->config, json_node_get_int (node));
      gtk_editable_set_text (GTK_EDITABLE (entry_at (self, i, column)), text);
    }
}

JsonObject *
gt_price_grid_dup_prices (GtPriceGrid *self, guint column, GError **error)
{
  g_autoptr (JsonObject) prices = json_object_new ();
  int decimals = (int) gt_json_int_member (self->config, "currency_decimals");

  g_return_val_if_fail (GT_IS_PRICE_GRID (self), NULL);
  g_return_val_if_fail (column < self->n_columns, NULL);

  for (guint i = 0; i < self->types->len; i++)
    {
      g_autofree char *text = g_strdup (
        gtk_editable_get_text (GTK_EDITABLE (entry_at (self, i, column))));
      gint64 amount;

      g_strstrip (text);
      if (text[0] == '\0')
        continue;
      amount = gt_format_parse_amount (text, decimals);
      if (amount < 0)
        {
          g_autofree char *type = gt_format_ticket_type (g_ptr_array_index (self->types, i));

          if (self->n_columns > 1)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         decimals > 0 ? _ ("Type the %s price for %s as an amount")
                                      : _ ("Type the %s price for %s as a whole amount"),
                         type, self->titles[column]);
          else
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         decimals > 0 ? _ ("Type the %s price as an amount")
                                      : _ ("Type the %s price as a whole amount"),
                         type);
          return NULL;
        }
      json_object_set_int_member (prices, g_ptr_array_index (self->types, i), amount);
    }
  return g_steal_pointer (&prices);
}

void
gt_price_grid_set_text (GtPriceGrid *self, guint column, const char *type, const char *text)
{
  int i;

  g_return_if_fail (GT_IS_PRICE_GRID (self));
  g_return_if_fail (column < self->n_columns);

  i = type_index (self, type);
  if (i < 0 && gt_price_grid_add_type (self, type))
    i = self->types->len - 1;
  if (i >= 0)
    gtk_editable_set_text (GTK_EDITABLE (entry_at (self, i, column)), text);
}

gboolean
gt_price_grid_add_type (GtPriceGrid *self, const char *name)
{
  g_autofree char *type = NULL;

  g_return_val_if_fail (GT_IS_PRICE_GRID (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  type = type_name_of (name);
  if (type == NULL || type_index (self, type) >= 0)
    return FALSE;
  append_row (self, type);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

void
gt_price_grid_set_config (GtPriceGrid *self, JsonObject *config)
{
  g_return_if_fail (GT_IS_PRICE_GRID (self));

  if (self->config == config)
    return;
  g_clear_pointer (&self->config, json_object_unref);
  self->config = config ? json_object_ref (config) : NULL;
}
