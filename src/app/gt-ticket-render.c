/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-ticket-render"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include "gt-format.h"
#include "gt-ticket-render.h"

#define MM         (72.0 / 25.4)
#define QR_QUIET   4
#define ROLL_WIDTH (80.0 * MM)
/* Most 80 mm printers print 72 mm; keep everything inside that. */
#define ROLL_MARGIN     (4.0 * MM)
#define ROLL_QR_SIZE    (42.0 * MM)
#define ROLL_MIN_HEIGHT (100.0 * MM)
#define A4_WIDTH        595.276
#define A4_HEIGHT       841.89
#define A4_MARGIN       (12.0 * MM)
#define A4_PER_PAGE     4
#define A4_HEADER       22.0
#define A4_GAP          (4.0 * MM)
#define FONT_FAMILY     "Sans"

typedef struct
{
  char    *seat_id;
  char    *seat;
  char    *type;
  char    *price;
  char    *code;
  gboolean refunded; /* the ticket alone, or its whole booking */
} Ticket;

struct _GtTicketDoc
{
  char   *cinema;
  char   *title;
  char   *date;
  char   *time;
  char   *auditorium;
  char   *booking_code;
  char   *total;
  GArray *tickets;
  double  roll_height;
};

/* How a piece of text is set: labels are small capitals in grey, values bold. */
typedef struct
{
  cairo_t *cr;
  double   ink; /* grey level of labels and rules: 0 on thermal paper */
} Painter;

static void
ticket_clear (gpointer data)
{
  Ticket *ticket = data;

  g_free (ticket->seat_id);
  g_free (ticket->seat);
  g_free (ticket->type);
  g_free (ticket->price);
  g_free (ticket->code);
}

static void
doc_clear (gpointer data)
{
  GtTicketDoc *doc = data;

  g_free (doc->cinema);
  g_free (doc->title);
  g_free (doc->date);
  g_free (doc->time);
  g_free (doc->auditorium);
  g_free (doc->booking_code);
  g_free (doc->total);
  g_clear_pointer (&doc->tickets, g_array_unref);
}

static GtTicketDoc *
doc_ref (GtTicketDoc *doc)
{
  return g_rc_box_acquire (doc);
}

/* Text from the server is one line on a ticket, whatever it holds. */
static char *
one_line (const char *text)
{
  char *copy = g_strdup (text != NULL ? text : "");

  g_strdelimit (copy, "\n\r\t\v\f", ' ');
  return copy;
}

static const char *
member_string (JsonObject *object, const char *name)
{
  if (object == NULL || !json_object_has_member (object, name))
    return NULL;
  return json_object_get_string_member_with_default (object, name, NULL);
}

static gint64
member_int (JsonObject *object, const char *name)
{
  if (object == NULL || !json_object_has_member (object, name))
    return 0;
  return json_object_get_int_member_with_default (object, name, 0);
}

static QRcode *
qr_encode (const char *text)
{
  if (text == NULL || *text == '\0')
    return NULL;
  /* 8-bit mode: the code is read back byte for byte, whatever it holds. */
  return QRcode_encodeData ((int) strlen (text), (const unsigned char *) text, 0, QR_ECLEVEL_M);
}

static PangoLayout *
text_layout (cairo_t       *cr,
             const char    *text,
             gboolean       bold,
             double         size,
             double         width,
             PangoAlignment align)
{
  PangoLayout          *layout = pango_cairo_create_layout (cr);
  PangoContext         *context = pango_layout_get_context (layout);
  cairo_font_options_t *options = cairo_font_options_create ();
  PangoFontDescription *desc = pango_font_description_new ();

  /* The same line breaks on screen, in the PDF and on any printer. */
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (context, options);
  pango_cairo_context_set_resolution (context, 72.0);
  pango_layout_context_changed (layout);
  cairo_font_options_destroy (options);

  pango_font_description_set_family (desc, FONT_FAMILY);
  pango_font_description_set_weight (desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_absolute_size (desc, size * PANGO_SCALE);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);

  pango_layout_set_single_paragraph_mode (layout, TRUE);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_alignment (layout, align);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  return (double) logical.height / PANGO_SCALE;
}

static double
layout_width (PangoLayout *layout)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  return (double) logical.width / PANGO_SCALE;
}

static double
show_layout (cairo_t *cr, PangoLayout *layout, double x, double y)
{
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  return layout_height (layout);
}

/* The largest size from @max_size down to @min_size at which @text fits
 * @max_lines lines of @width and @max_height; failing that, the smallest
 * size, ellipsized to the lines that fit. */
static PangoLayout *
fit_text (cairo_t       *cr,
          const char    *text,
          double         max_size,
          double         min_size,
          double         width,
          double         max_height,
          int            max_lines,
          PangoAlignment align)
{
  PangoLayout *layout = NULL;
  int          lines;

  for (double size = max_size; size >= min_size; size -= 1.0)
    {
      g_clear_object (&layout);
      layout = text_layout (cr, text, TRUE, size, width, align);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      if (pango_layout_get_line_count (layout) <= max_lines && layout_height (layout) <= max_height
          && layout_width (layout) <= width + 0.01)
        return layout;
    }

  g_clear_object (&layout);
  layout = text_layout (cr, text, TRUE, min_size, width, align);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  lines = max_lines;
  for (;;)
    {
      pango_layout_set_height (layout, -lines);
      if (lines == 1 || layout_height (layout) <= max_height)
        break;
      lines--;
    }
  return layout;
}

static double
draw_label (Painter *p, const char *text, double x, double y, double width, PangoAlignment align)
{
  g_autofree char *upper = g_utf8_strup (text, -1);
  g_autoptr (PangoLayout) layout = text_layout (p->cr, upper, TRUE, 6.5, width, align);
  PangoAttrList *attrs = pango_attr_list_new ();
  double         height;

  pango_attr_list_insert (attrs, pango_attr_letter_spacing_new (PANGO_SCALE * 3 / 4));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);

  cairo_set_source_rgb (p->cr, p->ink, p->ink, p->ink);
  height = show_layout (p->cr, layout, x, y);
  cairo_set_source_rgb (p->cr, 0, 0, 0);
  return height;
}

/* A small label over a bold value; returns the height of both. The value
 * sits on the baseline a value of @row_size would have, so that the fields
 * of one row line up whatever their sizes. */
static double
draw_field (Painter       *p,
            const char    *label,
            const char    *value,
            double         size,
            double         row_size,
            double         x,
            double         y,
            double         width,
            PangoAlignment align)
{
  g_autoptr (PangoLayout) layout = NULL;
  double height = draw_label (p, label, x, y, width, align) + 1.0;
  double shift = 0;

  layout = fit_text (p->cr, value, size, MAX (size - 4, 6), width, size * 2, 1, align);
  if (row_size > size)
    {
      g_autoptr (PangoLayout) row = text_layout (p->cr, "X", TRUE, row_size, width, align);

      shift = (double) (pango_layout_get_baseline (row) - pango_layout_get_baseline (layout))
              / PANGO_SCALE;
    }
  return height + shift + show_layout (p->cr, layout, x, y + height + shift);
}

static void
rounded_rectangle (cairo_t *cr, double x, double y, double width, double height, double radius)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + width - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + width - radius, y + height - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + height - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
dashed_line (Painter *p, double x0, double y0, double x1, double y1)
{
  static const double dashes[] = { 3.0, 2.5 };

  cairo_save (p->cr);
  cairo_set_source_rgb (p->cr, p->ink, p->ink, p->ink);
  cairo_set_line_width (p->cr, 0.75);
  cairo_set_dash (p->cr, dashes, G_N_ELEMENTS (dashes), 0);
  cairo_move_to (p->cr, x0, y0);
  cairo_line_to (p->cr, x1, y1);
  cairo_stroke (p->cr);
  cairo_restore (p->cr);
}

/* A refunded ticket must not look valid at the door. */
static void
draw_void_stamp (Painter *p, double x, double y, double width, double height)
{
  g_autoptr (PangoLayout) layout = NULL;
  double size = MIN (width, height) * 0.16;

  cairo_save (p->cr);
  cairo_rectangle (p->cr, x, y, width, height);
  cairo_clip (p->cr);
  cairo_translate (p->cr, x + width / 2, y + height / 2);
  cairo_rotate (p->cr, -atan2 (height, width));
  layout = fit_text (p->cr, _ ("Refunded · Not valid"), size, 6, hypot (width, height) * 0.8,
                     size * 1.5, 1, PANGO_ALIGN_CENTER);
  cairo_set_source_rgba (p->cr, 0, 0, 0, 0.55);
  show_layout (p->cr, layout, -hypot (width, height) * 0.4, -layout_height (layout) / 2);
  cairo_restore (p->cr);
}

static double
draw_roll_ticket (GtTicketDoc *doc, guint index, cairo_t *cr, double width)
{
  const Ticket *ticket = &g_array_index (doc->tickets, Ticket, index);
  Painter       painter = { cr, 0.0 };
  Painter      *p = &painter;
  g_autoptr (PangoLayout) layout = NULL;
  g_autofree char *cinema = g_utf8_strup (doc->cinema, -1);
  g_autofree char *count = NULL;
  double           x = ROLL_MARGIN;
  double           cw = width - 2 * ROLL_MARGIN;
  double           col = cw * 0.6;
  double           y = ROLL_MARGIN;
  double           h, box, qr;

  cairo_set_source_rgb (cr, 0, 0, 0);

  layout = fit_text (cr, cinema, 10.5, 7, cw, 30, 2, PANGO_ALIGN_CENTER);
  y += show_layout (cr, layout, x, y) + 4;
  g_clear_object (&layout);

  cairo_set_line_width (cr, 1.25);
  cairo_move_to (cr, x, y);
  cairo_line_to (cr, x + cw, y);
  cairo_stroke (cr);
  y += 8;

  layout = fit_text (cr, doc->title, 22, 12, cw, 3 * 16, 3, PANGO_ALIGN_CENTER);
  y += show_layout (cr, layout, x, y) + 9;
  g_clear_object (&layout);

  h = draw_field (p, C_ ("ticket field", "Date"), doc->date, 12, 12, x, y, col - 4,
                  PANGO_ALIGN_LEFT);
  h = MAX (h, draw_field (p, C_ ("ticket field", "Time"), doc->time, 12, 12, x + col, y, cw - col,
                          PANGO_ALIGN_LEFT));
  y += h + 6;
  h = draw_field (p, C_ ("ticket field", "Auditorium"), doc->auditorium, 12, 12, x, y, col - 4,
                  PANGO_ALIGN_LEFT);
  h = MAX (h, draw_field (p, C_ ("ticket field", "Ticket"), ticket->type, 12, 12, x + col, y,
                          cw - col, PANGO_ALIGN_LEFT));
  y += h + 9;

  /* The seat is what the customer looks for: large, in a box. */
  box = y;
  y += 5;
  y += draw_label (p, C_ ("ticket field", "Seat"), x, y, cw, PANGO_ALIGN_CENTER) + 1;
  layout = fit_text (cr, ticket->seat, 20, 10, cw - 12, 26, 1, PANGO_ALIGN_CENTER);
  y += show_layout (cr, layout, x + 6, y) + 5;
  g_clear_object (&layout);
  cairo_set_line_width (cr, 1.5);
  rounded_rectangle (cr, x + 0.75, box, cw - 1.5, y - box, 4);
  cairo_stroke (cr);
  y += 9;

  h = draw_field (p, C_ ("ticket field", "Booking"), doc->booking_code, 12, 12, x, y, col - 4,
                  PANGO_ALIGN_LEFT);
  h = MAX (h, draw_field (p, C_ ("ticket field", "Price"), ticket->price, 12, 12, x + col, y,
                          cw - col, PANGO_ALIGN_LEFT));
  y += h + 7;

  dashed_line (p, x, y, x + cw, y);
  y += 4;

  qr = MIN (ROLL_QR_SIZE, cw);
  gt_ticket_draw_qr (cr, ticket->code, x + (cw - qr) / 2, y, qr);
  y += qr + 1;

  /* Translators: "Ticket 1 of 2" on a printed ticket */
  count = g_strdup_printf (_ ("Ticket %u of %u"), index + 1, doc->tickets->len);
  layout = text_layout (cr, count, TRUE, 8, cw, PANGO_ALIGN_CENTER);
  y += show_layout (cr, layout, x, y) + 1;
  g_clear_object (&layout);

  layout = text_layout (cr,
                        ticket->refunded ? _ ("Refunded — not valid for entry")
                                         : _ ("Show this code at the entrance"),
                        FALSE, 7.5, cw, PANGO_ALIGN_CENTER);
  y += show_layout (cr, layout, x, y);

  if (ticket->refunded)
    draw_void_stamp (p, 0, 0, width, y);

  return y + ROLL_MARGIN;
}

static void
draw_a4_ticket (GtTicketDoc *doc,
                guint        index,
                cairo_t     *cr,
                double       x0,
                double       y0,
                double       width,
                double       height)
{
  const Ticket *ticket = &g_array_index (doc->tickets, Ticket, index);
  Painter       painter = { cr, 0.4 };
  Painter      *p = &painter;
  g_autoptr (PangoLayout) layout = NULL;
  g_autofree char *cinema = g_utf8_strup (doc->cinema, -1);
  g_autofree char *count = NULL;
  double           pad = 12;
  double           qr = MIN (height - 2 * pad - 22, 46 * MM);
  double           stub = qr + 2 * pad;
  double           x = x0 + pad;
  double           cw = width - stub - 2 * pad;
  double           band = 20;
  double           y, h, bottom, top, c1, c2, c3;

  /* The outline of the whole ticket; the stub is split off by a dashed line. */
  cairo_save (cr);
  cairo_set_line_width (cr, 1.0);
  cairo_set_source_rgb (cr, 0.25, 0.25, 0.25);
  rounded_rectangle (cr, x0 + 0.5, y0 + 0.5, width - 1, height - 1, 8);
  cairo_stroke (cr);

  /* A dark band with the cinema's name, as on a box-office ticket. */
  cairo_save (cr);
  rounded_rectangle (cr, x0 + 0.5, y0 + 0.5, width - stub - 0.5, height - 1, 8);
  cairo_clip (cr);
  cairo_rectangle (cr, x0, y0, width - stub, band);
  cairo_set_source_rgb (cr, 0.15, 0.15, 0.15);
  cairo_fill (cr);
  cairo_restore (cr);
  cairo_restore (cr);

  dashed_line (p, x0 + width - stub, y0 + 6, x0 + width - stub, y0 + height - 6);

  cairo_set_source_rgb (cr, 1, 1, 1);
  layout = text_layout (cr, cinema, TRUE, 8.5, cw * 0.7, PANGO_ALIGN_LEFT);
  show_layout (cr, layout, x, y0 + (band - layout_height (layout)) / 2);
  g_clear_object (&layout);
  /* Translators: "Ticket 1 of 2" on a printed ticket */
  count = g_strdup_printf (_ ("Ticket %u of %u"), index + 1, doc->tickets->len);
  layout = text_layout (cr, count, FALSE, 7.5, cw * 0.3, PANGO_ALIGN_RIGHT);
  show_layout (cr, layout, x + cw * 0.7, y0 + (band - layout_height (layout)) / 2);
  g_clear_object (&layout);
  cairo_set_source_rgb (cr, 0, 0, 0);

  /* Fields from the bottom up; the title takes the room that is left. */
  c1 = cw * 0.42;
  c2 = cw * 0.24;
  c3 = cw - c1 - c2;
  bottom = y0 + height - pad;
  h = 7.5 + 1 + 24;
  y = bottom - h;
  draw_field (p, C_ ("ticket field", "Seat"), ticket->seat, 18, 18, x, y, c1 - 6, PANGO_ALIGN_LEFT);
  draw_field (p, C_ ("ticket field", "Ticket"), ticket->type, 12, 18, x + c1, y, c2 - 6,
              PANGO_ALIGN_LEFT);
  draw_field (p, C_ ("ticket field", "Price"), ticket->price, 12, 18, x + c1 + c2, y, c3,
              PANGO_ALIGN_LEFT);
  y -= 7.5 + 1 + 16 + 8;
  draw_field (p, C_ ("ticket field", "Date"), doc->date, 12, 12, x, y, c1 - 6, PANGO_ALIGN_LEFT);
  draw_field (p, C_ ("ticket field", "Time"), doc->time, 12, 12, x + c1, y, c2 - 6,
              PANGO_ALIGN_LEFT);
  draw_field (p, C_ ("ticket field", "Auditorium"), doc->auditorium, 12, 12, x + c1 + c2, y, c3,
              PANGO_ALIGN_LEFT);

  top = y0 + band + 8;
  layout = fit_text (cr, doc->title, 22, 11, cw, y - 8 - top, 2, PANGO_ALIGN_LEFT);
  show_layout (cr, layout, x, top + MAX (0, (y - 8 - top - layout_height (layout)) / 2));
  g_clear_object (&layout);

  /* The stub: QR and the booking code, for the door and for reprints. */
  y = y0 + pad;
  gt_ticket_draw_qr (cr, ticket->code, x0 + width - stub + pad, y, qr);
  y += qr + 2;
  layout = text_layout (cr, doc->booking_code, TRUE, 11, qr, PANGO_ALIGN_CENTER);
  y += show_layout (cr, layout, x0 + width - stub + pad, y);
  g_clear_object (&layout);
  layout = text_layout (cr,
                        ticket->refunded ? _ ("Refunded — not valid for entry")
                                         : _ ("Show this code at the entrance"),
                        FALSE, 6.5, qr, PANGO_ALIGN_CENTER);
  show_layout (cr, layout, x0 + width - stub + pad, y);
  g_clear_object (&layout);

  if (ticket->refunded)
    draw_void_stamp (p, x0, y0, width, height);
}

static void
draw_a4_page (GtTicketDoc *doc, guint page, cairo_t *cr, double width, double height)
{
  Painter painter = { cr, 0.4 };
  g_autoptr (PangoLayout) layout = NULL;
  g_autofree char *header = NULL;
  g_autofree char *pages = NULL;
  guint            n_pages = gt_ticket_doc_get_n_pages (doc, GT_TICKET_LAYOUT_A4);
  double           margin = MIN (A4_MARGIN, MIN (width, height) / 10);
  double           cw = width - 2 * margin;
  double ticket_h = (height - 2 * margin - A4_HEADER - (A4_PER_PAGE - 1) * A4_GAP) / A4_PER_PAGE;

  /* Translators: the heading of a page of printed tickets: booking code,
   * number of tickets and the total paid, e.g. "Booking GT-7K3Q9A · 2 tickets · Rp 85.000" */
  header = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Booking %s · %u ticket · %s",
                                         "Booking %s · %u tickets · %s", doc->tickets->len),
                            doc->booking_code, doc->tickets->len, doc->total);
  layout = text_layout (cr, header, FALSE, 9, cw * 0.8, PANGO_ALIGN_LEFT);
  cairo_set_source_rgb (cr, 0.4, 0.4, 0.4);
  show_layout (cr, layout, margin, margin);
  g_clear_object (&layout);
  /* Translators: page number of the printed tickets, e.g. "Page 1 of 2" */
  pages = g_strdup_printf (_ ("Page %u of %u"), page + 1, n_pages);
  layout = text_layout (cr, pages, FALSE, 9, cw * 0.2, PANGO_ALIGN_RIGHT);
  show_layout (cr, layout, margin + cw * 0.8, margin);
  cairo_set_source_rgb (cr, 0, 0, 0);

  for (guint i = 0; i < A4_PER_PAGE; i++)
    {
      guint  index = page * A4_PER_PAGE + i;
      double y = margin + A4_HEADER + i * (ticket_h + A4_GAP);

      if (index >= doc->tickets->len)
        break;
      if (i > 0)
        dashed_line (&painter, margin / 2, y - A4_GAP / 2, width - margin / 2, y - A4_GAP / 2);
      draw_a4_ticket (doc, index, cr, margin, y, cw, ticket_h);
    }
}

/* How long a roll ticket needs to be: drawn once where nobody sees it. */
static double
roll_height (GtTicketDoc *doc)
{
  if (doc->roll_height > 0)
    return doc->roll_height;

  doc->roll_height = ROLL_MIN_HEIGHT;
  for (guint i = 0; i < doc->tickets->len; i++)
    {
      cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
      cairo_t         *cr = cairo_create (surface);

      doc->roll_height = MAX (doc->roll_height, draw_roll_ticket (doc, i, cr, ROLL_WIDTH));
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
  /* Whole millimetres, so that the paper size reads well in a print dialog. */
  doc->roll_height = ceil (doc->roll_height / MM) * MM;
  return doc->roll_height;
}

typedef struct
{
  GtTicketDoc   *doc;
  GtTicketLayout layout;
} PrintJob;

static void
print_job_free (gpointer data, GClosure *closure)
{
  PrintJob *job = data;

  gt_ticket_doc_free (job->doc);
  g_free (job);
}

static void
on_draw_page_cb (GtkPrintOperation *operation,
                 GtkPrintContext   *context,
                 int                page_nr,
                 gpointer           user_data)
{
  PrintJob *job = user_data;

  gt_ticket_doc_draw_page (job->doc, job->layout, (guint) page_nr,
                           gtk_print_context_get_cairo_context (context),
                           gtk_print_context_get_width (context),
                           gtk_print_context_get_height (context));
}

GtTicketDoc *
gt_ticket_doc_new (JsonObject *booking, JsonObject *showtime, JsonObject *config)
{
  GtTicketDoc *doc;
  JsonArray   *tickets = NULL;
  const char  *currency;
  const char  *tz;
  int          decimals;

  g_return_val_if_fail (booking != NULL, NULL);

  doc = g_rc_box_new0 (GtTicketDoc);
  currency = member_string (config, "currency");
  decimals = (int) member_int (config, "currency_decimals");
  tz = member_string (config, "timezone");

  doc->cinema = one_line (member_string (config, "cinema"));
  doc->title = one_line (member_string (showtime, "movie_title"));
  /* Translators: date of a showtime on a printed ticket, see
   * g_date_time_format(); e.g. "Tue 24 Nov 2026" */
  doc->date = gt_format_time (member_string (showtime, "starts_at"), tz,
                              C_ ("ticket date", "%a %d %b %Y"));
  doc->time = gt_format_clock (member_string (showtime, "starts_at"), tz);
  doc->auditorium = one_line (member_string (showtime, "auditorium_name"));
  doc->booking_code = one_line (member_string (booking, "code"));
  doc->total = gt_format_money (member_int (booking, "total"), currency, decimals);

  doc->tickets = g_array_new (FALSE, TRUE, sizeof (Ticket));
  g_array_set_clear_func (doc->tickets, ticket_clear);
  if (json_object_has_member (booking, "tickets"))
    tickets = json_object_get_array_member (booking, "tickets");
  for (guint i = 0; tickets != NULL && i < json_array_get_length (tickets); i++)
    {
      JsonObject      *object = json_array_get_object_element (tickets, i);
      Ticket           ticket = { NULL };
      g_autofree char *type = NULL;

      if (object == NULL)
        continue;
      ticket.seat_id = one_line (member_string (object, "seat"));
      ticket.seat = gt_format_seat (ticket.seat_id);
      type = gt_format_ticket_type (member_string (object, "type"));
      ticket.type = one_line (type);
      ticket.price = gt_format_money (member_int (object, "price"), currency, decimals);
      ticket.code = g_strdup (member_string (object, "code"));
      ticket.refunded = gt_ticket_is_refunded (booking, object);
      g_array_append_val (doc->tickets, ticket);
    }

  return doc;
}

gboolean
gt_ticket_is_refunded (JsonObject *booking, JsonObject *ticket)
{
  return g_strcmp0 (member_string (booking, "status"), "refunded") == 0
         || member_string (ticket, "refunded_at") != NULL;
}

void
gt_ticket_doc_free (GtTicketDoc *doc)
{
  if (doc != NULL)
    g_rc_box_release_full (doc, doc_clear);
}

guint
gt_ticket_doc_get_n_tickets (GtTicketDoc *doc)
{
  g_return_val_if_fail (doc != NULL, 0);

  return doc->tickets->len;
}

guint
gt_ticket_doc_get_n_pages (GtTicketDoc *doc, GtTicketLayout layout)
{
  g_return_val_if_fail (doc != NULL, 0);

  if (layout == GT_TICKET_LAYOUT_A4)
    return (doc->tickets->len + A4_PER_PAGE - 1) / A4_PER_PAGE;
  return doc->tickets->len;
}

void
gt_ticket_doc_get_page_size (GtTicketDoc   *doc,
                             GtTicketLayout layout,
                             double        *width_pt,
                             double        *height_pt)
{
  double width = A4_WIDTH;
  double height = A4_HEIGHT;

  g_return_if_fail (doc != NULL);

  if (layout == GT_TICKET_LAYOUT_ROLL_80MM)
    {
      width = ROLL_WIDTH;
      height = roll_height (doc);
    }
  if (width_pt != NULL)
    *width_pt = width;
  if (height_pt != NULL)
    *height_pt = height;
}

void
gt_ticket_doc_draw_page (GtTicketDoc   *doc,
                         GtTicketLayout layout,
                         guint          page,
                         cairo_t       *cr,
                         double         width_pt,
                         double         height_pt)
{
  double width, height, scale;

  g_return_if_fail (doc != NULL);
  g_return_if_fail (cr != NULL);

  if (page >= gt_ticket_doc_get_n_pages (doc, layout) || width_pt <= 0 || height_pt <= 0)
    return;

  gt_ticket_doc_get_page_size (doc, layout, &width, &height);

  /* No clip: the layouts keep inside the page themselves, and the tests
   * check that they do. */
  cairo_save (cr);

  /* A different paper than the layout's: shrink to fit, centred along the
   * wider side; never enlarge a ticket beyond its size. */
  scale = MIN (1.0, MIN (width_pt / width, height_pt / height));
  if (layout == GT_TICKET_LAYOUT_A4)
    {
      /* A4 stretches to the paper's height (Letter is shorter and wider). */
      cairo_translate (cr, (width_pt - width * scale) / 2, 0);
      cairo_scale (cr, scale, scale);
      draw_a4_page (doc, page, cr, width, height_pt / scale);
    }
  else
    {
      cairo_translate (cr, (width_pt - width * scale) / 2, 0);
      cairo_scale (cr, scale, scale);
      draw_roll_ticket (doc, page, cr, width);
    }
  cairo_restore (cr);
}

gboolean
gt_ticket_doc_save_pdf (GtTicketDoc *doc, GtTicketLayout layout, const char *path, GError **error)
{
  cairo_surface_t *surface;
  cairo_status_t   status;
  cairo_t         *cr;
  guint            n_pages;
  double           width, height;
  g_autofree char *title = NULL;

  g_return_val_if_fail (doc != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  n_pages = gt_ticket_doc_get_n_pages (doc, layout);
  if (n_pages == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _ ("This booking has no tickets to save"));
      return FALSE;
    }

  gt_ticket_doc_get_page_size (doc, layout, &width, &height);
  surface = cairo_pdf_surface_create (path, width, height);
  /* Translators: title of a saved PDF, e.g. "Tickets GT-7K3Q9A" */
  title = g_strdup_printf (_ ("Tickets %s"), doc->booking_code);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Go-Ticket");

  cr = cairo_create (surface);
  for (guint page = 0; page < n_pages; page++)
    {
      gt_ticket_doc_draw_page (doc, layout, page, cr, width, height);
      cairo_show_page (cr);
    }
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_autofree char *name = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _ ("Could not save the tickets to “%s”: %s"), name,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

GtkPrintOperation *
gt_ticket_doc_print_operation_new (GtTicketDoc *doc, GtTicketLayout layout)
{
  g_autoptr (GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr (GtkPrintSettings) settings = gtk_print_settings_new ();
  GtkPaperSize      *paper;
  GtkPrintOperation *operation;
  PrintJob          *job;
  g_autofree char   *name = NULL;
  double             width, height;

  g_return_val_if_fail (doc != NULL, NULL);

  gt_ticket_doc_get_page_size (doc, layout, &width, &height);
  if (layout == GT_TICKET_LAYOUT_ROLL_80MM)
    /* Translators: a paper size in the print dialog */
    paper = gtk_paper_size_new_custom ("go-ticket-roll-80mm", _ ("Ticket roll 80 mm"), width,
                                       height, GTK_UNIT_POINTS);
  else
    paper = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  gtk_page_setup_set_paper_size (setup, paper);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_PORTRAIT);
  /* The layouts keep their own margins; the page is drawn whole. */
  gtk_page_setup_set_top_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_bottom_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_left_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_right_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_print_settings_set_paper_size (settings, paper);
  gtk_paper_size_free (paper);

  operation = gtk_print_operation_new ();
  /* Translators: the name of a print job, e.g. "Tickets GT-7K3Q9A" */
  name = g_strdup_printf (_ ("Tickets %s"), doc->booking_code);
  gtk_print_operation_set_job_name (operation, name);
  gtk_print_operation_set_n_pages (operation,
                                   MAX (1, (int) gt_ticket_doc_get_n_pages (doc, layout)));
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_print_settings (operation, settings);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);

  job = g_new0 (PrintJob, 1);
  job->doc = doc_ref (doc);
  job->layout = layout;
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (on_draw_page_cb), job, print_job_free,
                         0);
  return operation;
}

GdkTexture *
gt_ticket_qr_texture (const char *text, int module_px)
{
  QRcode *qr;
  g_autoptr (GBytes) bytes = NULL;
  GdkTexture *texture;
  guchar     *pixels;
  gsize       side, stride;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (module_px > 0 && module_px <= 64, NULL);

  qr = qr_encode (text);
  if (qr == NULL)
    return NULL;

  side = (gsize) (qr->width + 2 * QR_QUIET) * module_px;
  stride = side * 3;
  pixels = g_malloc (stride * side);
  memset (pixels, 0xff, stride * side);
  for (int row = 0; row < qr->width; row++)
    for (int column = 0; column < qr->width; column++)
      {
        if ((qr->data[row * qr->width + column] & 1) == 0)
          continue;
        for (int dy = 0; dy < module_px; dy++)
          {
            gsize py = (gsize) (row + QR_QUIET) * module_px + dy;
            gsize px = (gsize) (column + QR_QUIET) * module_px;

            memset (pixels + py * stride + px * 3, 0, (gsize) module_px * 3);
          }
      }
  QRcode_free (qr);

  bytes = g_bytes_new_take (pixels, stride * side);
  texture = gdk_memory_texture_new ((int) side, (int) side, GDK_MEMORY_R8G8B8, bytes, stride);
  return texture;
}

void
gt_ticket_draw_qr (cairo_t *cr, const char *text, double x, double y, double size)
{
  QRcode        *qr;
  cairo_matrix_t matrix;
  double         module;
  int            n;

  g_return_if_fail (cr != NULL);

  qr = qr_encode (text);
  if (qr == NULL || size <= 0)
    {
      g_clear_pointer (&qr, QRcode_free);
      return;
    }

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, size, size);
  cairo_fill (cr);

  n = qr->width + 2 * QR_QUIET;
  module = size / n;

  /* On a raster target, whole device pixels per module keep the edges sharp
   * for the scanner; vector targets are exact anyway. */
  cairo_get_matrix (cr, &matrix);
  if (cairo_surface_get_type (cairo_get_target (cr)) == CAIRO_SURFACE_TYPE_IMAGE && matrix.xy == 0
      && matrix.yx == 0 && matrix.xx == matrix.yy && matrix.xx > 0)
    {
      double device_module = floor (module * matrix.xx);

      if (device_module >= 1)
        {
          double ox = x + (size - device_module / matrix.xx * n) / 2;
          double oy = y + (size - device_module / matrix.xx * n) / 2;

          cairo_user_to_device (cr, &ox, &oy);
          ox = round (ox);
          oy = round (oy);
          cairo_device_to_user (cr, &ox, &oy);
          x = ox;
          y = oy;
          module = device_module / matrix.xx;
        }
    }

  /* One rectangle per run of dark modules, filled as one path: no seams. */
  for (int row = 0; row < qr->width; row++)
    {
      int column = 0;

      while (column < qr->width)
        {
          int start;

          if ((qr->data[row * qr->width + column] & 1) == 0)
            {
              column++;
              continue;
            }
          start = column;
          while (column < qr->width && (qr->data[row * qr->width + column] & 1) != 0)
            column++;
          cairo_rectangle (cr, x + (start + QR_QUIET) * module, y + (row + QR_QUIET) * module,
                           (column - start) * module, module);
        }
    }
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_fill (cr);
  cairo_restore (cr);
  QRcode_free (qr);
}
