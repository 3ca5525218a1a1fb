/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-ticket-page"

#include "config.h"

#include "gt-widget-util.h"
#include <glib/gi18n.h>

#include "gt-format.h"
#include "gt-json.h"
#include "gt-ticket-page.h"
#include "gt-ticket-render.h"

#define QR_MODULE_PX 3

struct _GtTicketPage
{
  GtkWidget parent_instance;

  JsonObject *config;
  JsonObject *booking;
  JsonObject *showtime;

  GtkWidget  *sold_icon;
  GtkLabel   *code_label;
  GtkLabel   *summary_label;
  GtkLabel   *change_label;
  GtkFlowBox *tickets_box;
  GtkWidget  *new_sale_button;
};

G_DEFINE_FINAL_TYPE (GtTicketPage, gt_ticket_page, GTK_TYPE_WIDGET)

enum
{
  NEW_SALE,
  TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkWidget *
make_ticket_card (GtTicketPage *self, JsonObject *ticket, const char *when)
{
  g_autoptr (GdkTexture)
    qr = gt_ticket_qr_texture (json_object_get_string_member (ticket, "code"), QR_MODULE_PX);
  g_autofree char *price = gt_format_config_money (self->config,
                                                   json_object_get_int_member (ticket, "price"));
  g_autofree char *seat = g_strdup_printf (_ ("Seat %s"),
                                           json_object_get_string_member (ticket, "seat"));
  g_autofree char *type = gt_format_ticket_type (json_object_get_string_member (ticket, "type"));
  g_autofree char *line = g_strdup_printf ("%s · %s", type, price);
  GtkWidget       *card = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget       *details = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget       *picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (qr));
  const char      *texts[] = {
         json_object_get_string_member_with_default (self->showtime, "movie_title", ""),
         when,
         json_object_get_string_member_with_default (self->showtime, "auditorium_name", ""),
         seat,
         line,
  };
  const char *classes[] = { "heading", NULL, "dim-label", "title-3", NULL };

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "gt-ticket-card");
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), FALSE);
  gtk_widget_set_valign (picture, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (picture), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Ticket QR code"), -1);
  gtk_box_append (GTK_BOX (card), picture);

  gtk_widget_set_valign (details, GTK_ALIGN_CENTER);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      GtkWidget *label = gtk_label_new (texts[i]);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      if (classes[i] != NULL)
        gtk_widget_add_css_class (label, classes[i]);
      gtk_box_append (GTK_BOX (details), label);
    }
  gtk_box_append (GTK_BOX (card), details);

  /* Reprinted after a refund: the card must not pass for a valid ticket. */
  if (gt_ticket_is_refunded (self->booking, ticket))
    {
      GtkWidget *label = gtk_label_new (_ ("Refunded — not valid for entry"));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 16);
      gtk_widget_add_css_class (label, "error");
      gtk_widget_add_css_class (label, "heading");
      gtk_box_append (GTK_BOX (details), label);
      gtk_widget_set_opacity (picture, 0.25);
    }
  return card;
}

static GtTicketDoc *
make_doc (GtTicketPage *self)
{
  return gt_ticket_doc_new (self->booking, self->showtime, self->config);
}

static void
print_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtTicketPage *self = GT_TICKET_PAGE (widget);
  g_autoptr (GtTicketDoc) doc = NULL;
  g_autoptr (GtkPrintOperation) operation = NULL;
  g_autoptr (GError) error = NULL;
  const char *target = param ? g_variant_get_string (param, NULL) : "roll";

  if (self->booking == NULL)
    return;
  doc = make_doc (self);
  operation = gt_ticket_doc_print_operation_new (doc, g_str_equal (target, "a4")
                                                        ? GT_TICKET_LAYOUT_A4
                                                        : GT_TICKET_LAYOUT_ROLL_80MM);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_WINDOW (gtk_widget_get_root (widget)), &error)
      == GTK_PRINT_OPERATION_RESULT_ERROR)
    g_signal_emit (self, signals[TOAST], 0, error->message);
}

static void
on_save_response_cb (GtkNativeDialog *dialog, int response, GtTicketPage *self)
{
  g_autoptr (GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT
      && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL
      && (path = g_file_get_path (file)) != NULL)
    {
      if (gt_ticket_page_save_pdf (self, path, &error))
        {
          g_autofree char *text = g_strdup_printf (_ ("Saved %s"), path);
          g_signal_emit (self, signals[TOAST], 0, text);
        }
      else
        g_signal_emit (self, signals[TOAST], 0, error->message);
    }
  g_object_unref (dialog);
}

static void
save_pdf_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtTicketPage         *self = GT_TICKET_PAGE (widget);
  GtkFileChooserNative *dialog;
  g_autofree char      *name = NULL;

  if (self->booking == NULL)
    return;
  dialog = gtk_file_chooser_native_new (_ ("Save Tickets as PDF"),
                                        GTK_WINDOW (gtk_widget_get_root (widget)),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  name = g_strdup_printf ("%s.pdf", json_object_get_string_member (self->booking, "code"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_save_response_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
new_sale_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  g_signal_emit (widget, signals[NEW_SALE], 0);
}

static void
gt_ticket_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), GT_TYPE_TICKET_PAGE);
  gt_widget_unparent_children (GTK_WIDGET (object));
  G_OBJECT_CLASS (gt_ticket_page_parent_class)->dispose (object);
}

static void
gt_ticket_page_finalize (GObject *object)
{
  GtTicketPage *self = (GtTicketPage *) object;

  g_clear_pointer (&self->config, json_object_unref);
  g_clear_pointer (&self->booking, json_object_unref);
  g_clear_pointer (&self->showtime, json_object_unref);

  G_OBJECT_CLASS (gt_ticket_page_parent_class)->finalize (object);
}

static void
gt_ticket_page_class_init (GtTicketPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gt_ticket_page_dispose;
  object_class->finalize = gt_ticket_page_finalize;

  signals[NEW_SALE] = g_signal_new ("new-sale", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/id/goticket/GoTicket/ui/gt-ticket-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, GtTicketPage, sold_icon);
  gtk_widget_class_bind_template_child (widget_class, GtTicketPage, code_label);
  gtk_widget_class_bind_template_child (widget_class, GtTicketPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, GtTicketPage, change_label);
  gtk_widget_class_bind_template_child (widget_class, GtTicketPage, tickets_box);
  gtk_widget_class_bind_template_child (widget_class, GtTicketPage, new_sale_button);

  gtk_widget_class_install_action (widget_class, "ticket.print", "s", print_action);
  gtk_widget_class_install_action (widget_class, "ticket.save-pdf", NULL, save_pdf_action);
  gtk_widget_class_install_action (widget_class, "ticket.new-sale", NULL, new_sale_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "ticket.print",
                                       "s", "roll");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "ticket.save-pdf",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "ticket.new-sale",
                                       NULL);
}

static void
gt_ticket_page_init (GtTicketPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
gt_ticket_page_set_config (GtTicketPage *self, JsonObject *config)
{
  g_return_if_fail (GT_IS_TICKET_PAGE (self));

  g_clear_pointer (&self->config, json_object_unref);
  self->config = config ? json_object_ref (config) : NULL;
}

/* A sale just made shows the change to give; a reprint must not, or the
 * customer would be given it twice. */
static void
show_booking (GtTicketPage *self, JsonObject *booking, JsonObject *showtime, gboolean reprint)
{
  JsonArray       *tickets;
  JsonObject      *payment;
  GtkWidget       *child;
  g_autofree char *when = NULL;
  g_autofree char *total = NULL;
  g_autofree char *summary = NULL;

  g_clear_pointer (&self->booking, json_object_unref);
  g_clear_pointer (&self->showtime, json_object_unref);
  self->booking = json_object_ref (booking);
  self->showtime = json_object_ref (showtime);

  when = gt_format_showtime_when (json_object_get_string_member (showtime, "starts_at"),
                                  json_object_get_string_member_with_default (self->config,
                                                                              "timezone", "UTC"));
  tickets = json_object_get_array_member (booking, "tickets");
  total = gt_format_config_money (self->config, json_object_get_int_member (booking, "total"));
  summary = g_strdup_printf (ngettext ("%d ticket · %s paid", "%d tickets · %s paid",
                                       json_array_get_length (tickets)),
                             (int) json_array_get_length (tickets), total);
  if (reprint)
    {
      g_autofree char *sold = g_steal_pointer (&summary);
      g_autofree char *at = gt_format_clock (
        gt_json_string_member (booking, "created_at"),
        json_object_get_string_member_with_default (self->config, "timezone", "UTC"));

      /* Translators: "3 tickets · Rp 150.000 paid · a reprint of the sale at 15:43" */
      summary = g_strdup_printf (_ ("%s · a reprint of the sale at %s"), sold, at);
    }
  gtk_widget_set_visible (self->sold_icon, !reprint);
  gtk_label_set_label (self->code_label, json_object_get_string_member (booking, "code"));
  gtk_label_set_label (self->summary_label, summary);

  payment = json_object_get_object_member (booking, "payment");
  if (!reprint && payment != NULL && json_object_has_member (payment, "change"))
    {
      gint64           amount = json_object_get_int_member (payment, "change");
      g_autofree char *change = gt_format_config_money (self->config, amount);
      g_autofree char *text = amount > 0 ? g_strdup_printf (_ ("Change to give: %s"), change)
                                         : g_strdup (_ ("Paid exactly: no change to give"));

      gtk_label_set_label (self->change_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->change_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->change_label), FALSE);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->tickets_box))) != NULL)
    gtk_flow_box_remove (self->tickets_box, child);
  for (guint i = 0; i < json_array_get_length (tickets); i++)
    gtk_flow_box_append (self->tickets_box,
                         make_ticket_card (self, json_array_get_object_element (tickets, i), when));
}

void
gt_ticket_page_set_booking (GtTicketPage *self, JsonObject *booking, JsonObject *showtime)
{
  g_return_if_fail (GT_IS_TICKET_PAGE (self));
  g_return_if_fail (booking != NULL && showtime != NULL);
  show_booking (self, booking, showtime, FALSE);
}

void
gt_ticket_page_set_reprint (GtTicketPage *self, JsonObject *booking, JsonObject *showtime)
{
  g_return_if_fail (GT_IS_TICKET_PAGE (self));
  g_return_if_fail (booking != NULL && showtime != NULL);
  show_booking (self, booking, showtime, TRUE);
}

const char *
gt_ticket_page_get_change (GtTicketPage *self)
{
  g_return_val_if_fail (GT_IS_TICKET_PAGE (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->change_label))
           ? gtk_label_get_label (self->change_label)
           : NULL;
}

JsonObject *
gt_ticket_page_get_booking (GtTicketPage *self)
{
  g_return_val_if_fail (GT_IS_TICKET_PAGE (self), NULL);
  return self->booking;
}

gboolean
gt_ticket_page_save_pdf (GtTicketPage *self, const char *path, GError **error)
{
  g_autoptr (GtTicketDoc) doc = NULL;

  g_return_val_if_fail (GT_IS_TICKET_PAGE (self), FALSE);
  g_return_val_if_fail (self->booking != NULL, FALSE);

  doc = make_doc (self);
  return gt_ticket_doc_save_pdf (doc, GT_TICKET_LAYOUT_A4, path, error);
}

void
gt_ticket_page_focus (GtTicketPage *self)
{
  g_return_if_fail (GT_IS_TICKET_PAGE (self));
  gtk_widget_grab_focus (self->new_sale_button);
}
