/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  GT_TICKET_LAYOUT_ROLL_80MM, /* one ticket per page, 80 mm wide, for receipt printers */
  GT_TICKET_LAYOUT_A4,        /* up to four tickets per A4 page, for the customer's printer */
} GtTicketLayout;

/* The tickets of one booking, ready to draw. It copies what it needs from
 * the booking, showtime and config objects of the API, so those may go away. */
typedef struct _GtTicketDoc GtTicketDoc;

/* clang-format off */

GtTicketDoc       *gt_ticket_doc_new                  (JsonObject     *booking,
                                                       JsonObject     *showtime,
                                                       JsonObject     *config);
void               gt_ticket_doc_free                 (GtTicketDoc    *doc);
guint              gt_ticket_doc_get_n_tickets        (GtTicketDoc    *doc);
guint              gt_ticket_doc_get_n_pages          (GtTicketDoc    *doc,
                                                       GtTicketLayout  layout);
/* The paper the layout is made for: 80 mm × as long as a ticket needs, or A4. */
void               gt_ticket_doc_get_page_size        (GtTicketDoc    *doc,
                                                       GtTicketLayout  layout,
                                                       double         *width_pt,
                                                       double         *height_pt);
/* Draws @page (from 0) into the @width_pt × @height_pt box at the origin of
 * @cr, whose user unit must be the point. Nothing is drawn outside the box:
 * on a smaller paper than the layout's, the page is scaled down to fit. */
void               gt_ticket_doc_draw_page            (GtTicketDoc    *doc,
                                                       GtTicketLayout  layout,
                                                       guint           page,
                                                       cairo_t        *cr,
                                                       double          width_pt,
                                                       double          height_pt);
gboolean           gt_ticket_doc_save_pdf             (GtTicketDoc    *doc,
                                                       GtTicketLayout  layout,
                                                       const char     *path,
                                                       GError        **error);
/* A print operation with the pages, the paper of @layout as default page
 * setup and draw-page connected; it keeps @doc alive. The caller runs it. */
GtkPrintOperation *gt_ticket_doc_print_operation_new  (GtTicketDoc    *doc,
                                                       GtTicketLayout  layout);

/* A ticket refunded, alone or with its whole booking: not valid for entry. */
gboolean           gt_ticket_is_refunded              (JsonObject     *booking,
                                                       JsonObject     *ticket);
/* The QR code of @text (level M, 8-bit mode) with its 4-module quiet zone,
 * @module_px pixels per module, black on white; NULL when @text cannot be
 * encoded (empty or too long). */
GdkTexture        *gt_ticket_qr_texture               (const char     *text,
                                                       int             module_px);
/* The same QR code, quiet zone included, filling the square @size at @x, @y:
 * vector squares on PDF and print surfaces, snapped to whole pixels on
 * image surfaces. */
void               gt_ticket_draw_qr                  (cairo_t        *cr,
                                                       const char     *text,
                                                       double          x,
                                                       double          y,
                                                       double          size);

/* clang-format on */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GtTicketDoc, gt_ticket_doc_free)

G_END_DECLS
