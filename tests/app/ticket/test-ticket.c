/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-ticket"

#include "config.h"

#include <locale.h>
#include <math.h>
#include <qrencode.h>
#include <sodium.h>
#include <glib/gstdio.h>

#include "gt-format.h"
#include "gt-test-http.h"
#include "gt-ticket-render.h"

#define LONG_TITLE                                                                                 \
  "Pengabdi Setan 2: Communion — The Extended Director's Cut with "                              \
  "Supercalifragilisticexpialidocious Bonus Features and a Very Long Subtitle Indeed"

/* Helpers */

static gboolean
have_tool (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  if (path == NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s is not installed", name);

      g_test_skip (message);
      return FALSE;
    }
  return TRUE;
}

/* Runs a tool and returns its standard output; the test fails when it does. */
static char *
run_tool (const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  char            *out = NULL;
  int              status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s\n%s", argv[0], error->message, err);
  return out;
}

/* Every run of white space as one space, so that wrapped lines still match. */
static char *
squeeze (const char *text)
{
  g_auto (GStrv) words = g_strsplit_set (text, " \t\r\n\f", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_string_append_printf (out, "%s%s", out->len > 0 ? " " : "", words[i]);
  return g_string_free (out, FALSE);
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonObject *
node_object (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static char *
fake_code (guint seed)
{
  guchar raw[72];
  char   text[sodium_base64_ENCODED_LEN (72, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  randombytes_buf_deterministic (raw, sizeof raw,
                                 (const guchar *) "go-ticket test seed, 32 bytes!!" + seed % 2);
  raw[0] = (guchar) seed;
  sodium_bin2base64 (text, sizeof text, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return g_strdup (text);
}

/* A booking made up here, with @n_tickets tickets and awkward strings. */
static GtTicketDoc *
sample_doc (const char *title, guint n_tickets, const char *status)
{
  g_autoptr (JsonObject) booking = json_object_new ();
  g_autoptr (JsonObject) showtime = NULL;
  g_autoptr (JsonObject) config = NULL;
  JsonArray         *tickets = json_array_new ();
  static const char *seats[] = { "F12", "AA101", "BOX", "12" };
  static const char *types[] = { "adult", "student", "super_saver_family_weekend_matinee" };

  for (guint i = 0; i < n_tickets; i++)
    {
      JsonObject      *ticket = json_object_new ();
      g_autofree char *code = fake_code (i);

      json_object_set_string_member (ticket, "seat", seats[i % G_N_ELEMENTS (seats)]);
      json_object_set_string_member (ticket, "type", types[i % G_N_ELEMENTS (types)]);
      json_object_set_int_member (ticket, "price", 123456789 + i);
      json_object_set_string_member (ticket, "code", code);
      json_array_add_object_element (tickets, ticket);
    }
  json_object_set_string_member (booking, "code", "GT-7K3Q9A");
  json_object_set_string_member (booking, "status", status);
  json_object_set_int_member (booking, "total", 987654321);
  json_object_set_array_member (booking, "tickets", tickets);

  showtime = parse_object ("{\"starts_at\":\"2026-11-24T12:30:00Z\",\"ends_at\":\"2026-11-24T15:"
                           "00:00Z\",\"auditorium_name\":\"Studio Premiere Dolby Atmos IMAX Laser "
                           "Ultra Screen Number Twelve\"}");
  json_object_set_string_member (showtime, "movie_title", title);
  config = parse_object ("{\"cinema\":\"Bioskop Merdeka Bandung — The Grand Old Picture Palace of "
                         "West Java\nSecond Line\",\"currency\":\"IDR\",\"currency_decimals\":0,"
                         "\"timezone\":\"Asia/Jakarta\"}");
  return gt_ticket_doc_new (booking, showtime, config);
}

/* Formatting */

static void
assert_money (gint64 amount, const char *currency, int decimals, const char *expected)
{
  g_autofree char *text = gt_format_money (amount, currency, decimals);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_format_money (void)
{
  g_autofree char *min = NULL;

  assert_money (50000, "IDR", 0, "Rp 50.000");
  assert_money (0, "IDR", 0, "Rp 0");
  assert_money (999, "IDR", 0, "Rp 999");
  assert_money (1000, "IDR", 0, "Rp 1.000");
  assert_money (1234567890, "IDR", 0, "Rp 1.234.567.890");
  assert_money (-50000, "IDR", 0, "-Rp 50.000");
  assert_money (5000050, "IDR", 2, "Rp 50.000,50");
  assert_money (1250, "USD", 2, "$12.50");
  assert_money (5, "USD", 2, "$0.05");
  assert_money (-5, "USD", 2, "-$0.05");
  assert_money (123456789, "USD", 2, "$1,234,567.89");
  assert_money (1999, "EUR", 2, "€19.99");
  assert_money (100000, "CHF", 2, "CHF 1,000.00");
  assert_money (1500, "JPY", 0, "JPY 1,500");
  assert_money (1500, NULL, 0, "1,500");

  min = gt_format_money (G_MININT64, "USD", 2);
  g_assert_cmpstr (min, ==, "-$92,233,720,368,547,758.08");

  /* An amount put into the cash field reads as the cashier would type it,
   * and back as the same amount. */
  {
    g_autoptr (JsonObject) idr = json_object_new ();
    g_autoptr (JsonObject) usd = json_object_new ();
    g_autofree char *rupiah = NULL;
    g_autofree char *dollars = NULL;

    json_object_set_string_member (idr, "currency", "IDR");
    json_object_set_int_member (idr, "currency_decimals", 0);
    json_object_set_string_member (usd, "currency", "USD");
    json_object_set_int_member (usd, "currency_decimals", 2);
    rupiah = gt_format_config_amount (idr, 300000);
    dollars = gt_format_config_amount (usd, 123450);
    g_assert_cmpstr (rupiah, ==, "300.000");
    g_assert_cmpstr (dollars, ==, "1,234.50");
    g_assert_cmpint (gt_format_parse_amount (rupiah, 0), ==, 300000);
    g_assert_cmpint (gt_format_parse_amount (dollars, 2), ==, 123450);
    /* As a cashier types dollars: a short fraction, or none. */
    g_assert_cmpint (gt_format_parse_amount ("9.5", 2), ==, 950);
    g_assert_cmpint (gt_format_parse_amount ("12,50", 2), ==, 1250);
    g_assert_cmpint (gt_format_parse_amount ("1,234", 2), ==, 123400);
    g_assert_cmpint (gt_format_parse_amount ("20", 2), ==, 2000);
  }
}

static void
assert_quick_amounts (gint64 total, int decimals, const char *expected)
{
  gint64 amounts[GT_QUICK_AMOUNTS_MAX];
  guint  n = gt_format_quick_amounts (total, decimals, amounts);
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s%" G_GINT64_FORMAT, i ? " " : "", amounts[i]);
  g_assert_cmpstr (text->str, ==, expected);
}

/* The buttons a cashier is offered for the cash handed over. */
static void
test_format_quick_amounts (void)
{
  /* Three Rp 100.000 notes for Rp 225.000 are among them, after the rest. */
  assert_quick_amounts (225000, 0, "225000 230000 240000 250000 300000");
  assert_quick_amounts (85000, 0, "85000 90000 100000");
  assert_quick_amounts (100000, 0, "100000");
  assert_quick_amounts (1234567, 0, "1234567 1240000 1250000 1300000");
  /* With cents: notes of 5, 10, 20 and 50, not of 100 and more. */
  assert_quick_amounts (2350, 2, "2350 2500 3000 4000 5000");
  assert_quick_amounts (1999, 2, "1999 2000 5000");
  /* Fifty rounds lower than twenty here, and comes before it. */
  assert_quick_amounts (41000, 0, "41000 50000 60000 100000");
  assert_quick_amounts (0, 0, "0");
}

static void
assert_time (const char *rfc3339, const char *tz, const char *format, const char *expected)
{
  g_autofree char *text = gt_format_time (rfc3339, tz, format);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_format_time (void)
{
  g_autofree char *when = NULL;
  g_autofree char *late = NULL;
  g_autofree char *unknown_zone = NULL;
  g_autofree char *clock = NULL;
  g_autofree char *day = NULL;
  g_autoptr (GDateTime) first = NULL;

  when = gt_format_showtime_when ("2026-11-24T12:30:00Z", "Asia/Jakarta");
  g_assert_cmpstr (when, ==, "Tue 24 Nov 2026, 19:30");
  /* Late at night in UTC is the next morning at the cinema. */
  late = gt_format_showtime_when ("2026-11-24T18:15:00Z", "Asia/Jakarta");
  g_assert_cmpstr (late, ==, "Wed 25 Nov 2026, 01:15");

  assert_time ("2026-11-24T12:30:00Z", "Europe/Berlin", "%a %d %b, %H:%M", "Tue 24 Nov, 13:30");
  assert_time ("2026-07-24T12:30:00Z", "Europe/Berlin", "%H:%M", "14:30");
  assert_time ("2026-11-24T12:30:00+07:00", "UTC", "%H:%M", "05:30");
  assert_time (NULL, "Asia/Jakarta", NULL, "");
  assert_time ("", "Asia/Jakarta", NULL, "");
  assert_time ("tomorrow", "Asia/Jakarta", NULL, "");
  assert_time ("2026-11-24T12:30:00", "Asia/Jakarta", NULL, "");
  assert_time ("2026-13-45T12:30:00Z", "Asia/Jakarta", NULL, "");

  /* An unknown zone falls back to the computer's, not to nothing. */
  unknown_zone = gt_format_time ("2026-11-24T12:30:00Z", "Mars/Olympus_Mons", "%Y");
  g_assert_cmpstr (unknown_zone, ==, "2026");

  clock = gt_format_clock ("2026-11-24T12:30:00Z", "Asia/Jakarta");
  g_assert_cmpstr (clock, ==, "19:30");

  /* A day chooser's day has no padding: not "Tue  1 Dec". */
  first = g_date_time_new_utc (2026, 12, 1, 12, 0, 0);
  day = gt_format_day (first);
  g_assert_cmpstr (day, ==, "Tue 1 Dec");
  g_free (day);
  g_date_time_unref (first);
  first = g_date_time_new_utc (2026, 11, 24, 12, 0, 0);
  day = gt_format_day (first);
  g_assert_cmpstr (day, ==, "Tue 24 Nov");
}

static void
assert_seat (const char *id, const char *expected)
{
  g_autofree char *text = gt_format_seat (id);

  g_assert_cmpstr (text, ==, expected);
}

static void
assert_type (const char *type, const char *expected)
{
  g_autofree char *text = gt_format_ticket_type (type);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_format_seat_and_type (void)
{
  g_autofree char *row = NULL;
  g_autofree char *number = NULL;

  assert_seat ("F12", "Row F · Seat 12");
  assert_seat ("A1", "Row A · Seat 1");
  assert_seat ("AA101", "Row AA · Seat 101");
  assert_seat ("BOX", "Seat BOX");
  assert_seat ("12", "Seat 12");
  assert_seat ("", "");
  assert_seat (NULL, "");

  g_assert_true (gt_format_split_seat ("F12", &row, &number));
  g_assert_cmpstr (row, ==, "F");
  g_assert_cmpstr (number, ==, "12");

  assert_type ("adult", "Adult");
  assert_type ("child", "Child");
  assert_type ("senior", "Senior");
  assert_type ("student", "Student");
  assert_type ("vip_couple", "Vip couple");
  assert_type ("matinee", "Matinee");
  assert_type ("", "");
}

/* QR codes */

static void
test_qr_texture (void)
{
  const char *text = "GT-TEST-0123456789-abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const int   module = 4;
  g_autoptr (GdkTexture) texture = gt_ticket_qr_texture (text, module);
  g_autoptr (GdkTexture) empty = NULL;
  QRcode *qr = QRcode_encodeData ((int) strlen (text), (const guchar *) text, 0, QR_ECLEVEL_M);
  g_autofree guint32 *pixels = NULL;
  int                 side;

  g_assert_nonnull (texture);
  g_assert_nonnull (qr);
  side = (qr->width + 8) * module;
  g_assert_cmpint (gdk_texture_get_width (texture), ==, side);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, side);

  /* Downloads as cairo ARGB32: opaque white is 0xffffffff, black 0xff000000. */
  pixels = g_new (guint32, side * side);
  gdk_texture_download (texture, (guchar *) pixels, side * 4);
  for (int y = 0; y < side; y++)
    for (int x = 0; x < side; x++)
      {
        int      mx = x / module - 4;
        int      my = y / module - 4;
        gboolean quiet = mx < 0 || my < 0 || mx >= qr->width || my >= qr->width;
        gboolean dark = !quiet && (qr->data[my * qr->width + mx] & 1) != 0;

        g_assert_cmphex (pixels[y * side + x], ==, dark ? 0xff000000 : 0xffffffff);
      }
  /* The finder pattern's corner sits right inside the quiet zone. */
  g_assert_cmphex (pixels[4 * module * side + 4 * module], ==, 0xff000000);
  QRcode_free (qr);

  if (have_tool ("zbarimg"))
    {
      g_autofree char *dir = g_dir_make_tmp ("test-ticket-XXXXXX", NULL);
      g_autofree char *png = g_build_filename (dir, "qr.png", NULL);
      g_autofree char *out = NULL;

      g_assert_true (gdk_texture_save_to_png (texture, png));
      out = run_tool ((const char *[]){ "zbarimg", "-q", "--raw", png, NULL });
      g_strchomp (out);
      g_assert_cmpstr (out, ==, text);
      g_unlink (png);
      g_rmdir (dir);
    }

  empty = gt_ticket_qr_texture ("", 4);
  g_assert_null (empty);
}

/* Layout: nothing may leave the paper, whatever the strings. */
static void
assert_page_inside (GtTicketDoc *doc, GtTicketLayout layout, double width, double height)
{
  guint n_pages = gt_ticket_doc_get_n_pages (doc, layout);

  for (guint page = 0; page < n_pages; page++)
    {
      cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
      cairo_t         *cr = cairo_create (surface);
      double           x, y, w, h;

      gt_ticket_doc_draw_page (doc, layout, page, cr, width, height);
      g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
      cairo_destroy (cr);
      cairo_recording_surface_ink_extents (surface, &x, &y, &w, &h);
      g_assert_cmpfloat (w, >, 0);
      g_assert_cmpfloat (x, >=, 0);
      g_assert_cmpfloat (y, >=, 0);
      /* The recording surface rounds its extents out to whole points. */
      g_assert_cmpfloat (x + w, <=, ceil (width));
      g_assert_cmpfloat (y + h, <=, ceil (height));
      cairo_surface_destroy (surface);
    }
}

static void
test_layout_inside_page (void)
{
  const char *titles[] = { "Up", LONG_TITLE,
                           "Supercalifragilisticexpialidocioussupercalifragilisticexpialidocious" };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      g_autoptr (GtTicketDoc) doc = sample_doc (titles[i], 6, i == 1 ? "refunded" : "paid");
      double width, height;

      g_assert_cmpuint (gt_ticket_doc_get_n_pages (doc, GT_TICKET_LAYOUT_ROLL_80MM), ==, 6);
      g_assert_cmpuint (gt_ticket_doc_get_n_pages (doc, GT_TICKET_LAYOUT_A4), ==, 2);

      gt_ticket_doc_get_page_size (doc, GT_TICKET_LAYOUT_ROLL_80MM, &width, &height);
      g_assert_cmpfloat_with_epsilon (width, 80 * 72 / 25.4, 0.01);
      g_assert_cmpfloat (height, >=, 90 * 72 / 25.4);
      g_assert_cmpfloat (height, <=, 160 * 72 / 25.4);
      assert_page_inside (doc, GT_TICKET_LAYOUT_ROLL_80MM, width, height);
      /* A shorter roll paper than asked for, and a 58 mm roll. */
      assert_page_inside (doc, GT_TICKET_LAYOUT_ROLL_80MM, width, height * 0.7);
      assert_page_inside (doc, GT_TICKET_LAYOUT_ROLL_80MM, 58 * 72 / 25.4, height);

      gt_ticket_doc_get_page_size (doc, GT_TICKET_LAYOUT_A4, &width, &height);
      g_assert_cmpfloat_with_epsilon (width, 595.28, 0.1);
      g_assert_cmpfloat_with_epsilon (height, 841.89, 0.1);
      assert_page_inside (doc, GT_TICKET_LAYOUT_A4, width, height);
      /* US Letter, if the printer has that loaded. */
      assert_page_inside (doc, GT_TICKET_LAYOUT_A4, 612, 792);
    }
}

/* The text of page @page of @pdf, squeezed. */
static char *
page_text (const char *pdf, int page)
{
  g_autofree char *number = g_strdup_printf ("%d", page);
  const char      *argv[] = { "pdftotext", "-f", number, "-l", number, pdf, "-", NULL };
  g_autofree char *text = run_tool (argv);

  return squeeze (text);
}

/* A booking refunded in part: the ticket still valid says so, the one
 * refunded is marked as not valid for entry, on the roll as on A4. */
static void
test_refunded_ticket_marked (void)
{
  g_autoptr (JsonObject) booking = parse_object (
    "{\"code\":\"GT-7K3Q9A\",\"status\":\"paid\",\"total\":100000,\"tickets\":["
    "{\"seat\":\"F11\",\"type\":\"adult\",\"price\":50000,\"code\":\"AAAA\","
    "\"refunded_at\":null},"
    "{\"seat\":\"F12\",\"type\":\"adult\",\"price\":50000,\"code\":\"BBBB\","
    "\"refunded_at\":\"2026-11-24T10:00:00Z\"}]}");
  g_autoptr (JsonObject)
    showtime = parse_object ("{\"starts_at\":\"2026-11-24T12:30:00Z\",\"movie_title\":\"Up\","
                             "\"auditorium_name\":\"Studio 1\"}");
  g_autoptr (JsonObject)
    config = parse_object ("{\"cinema\":\"Bioskop\",\"currency\":\"IDR\",\"currency_decimals\":0,"
                           "\"timezone\":\"Asia/Jakarta\"}");
  g_autoptr (GtTicketDoc) doc = gt_ticket_doc_new (booking, showtime, config);
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gt-ticket-XXXXXX", &error);
  g_autofree char *pdf = g_build_filename (dir, "tickets.pdf", NULL);
  g_autofree char *valid = NULL;
  g_autofree char *refunded = NULL;

  g_assert_no_error (error);
  if (!have_tool ("pdftotext"))
    return;

  g_assert_true (gt_ticket_doc_save_pdf (doc, GT_TICKET_LAYOUT_ROLL_80MM, pdf, &error));
  g_assert_no_error (error);
  valid = page_text (pdf, 1);
  refunded = page_text (pdf, 2);
  g_assert_nonnull (strstr (valid, "Show this code at the entrance"));
  g_assert_null (strstr (valid, "Refunded"));
  g_assert_nonnull (strstr (refunded, "Refunded — not valid for entry"));

  g_assert_true (gt_ticket_doc_save_pdf (doc, GT_TICKET_LAYOUT_A4, pdf, &error));
  g_assert_no_error (error);
  g_free (valid);
  valid = page_text (pdf, 1);
  g_assert_nonnull (strstr (valid, "Show this code at the entrance"));
  g_assert_nonnull (strstr (valid, "Refunded — not valid for entry"));

  g_unlink (pdf);
  g_rmdir (dir);
}

static void
test_save_pdf_error (void)
{
  g_autoptr (GtTicketDoc) doc = sample_doc ("Up", 1, "paid");
  g_autoptr (GtTicketDoc) none = sample_doc ("Up", 0, "paid");
  g_autoptr (GError) error = NULL;

  g_assert_false (gt_ticket_doc_save_pdf (doc, GT_TICKET_LAYOUT_A4,
                                          "/nonexistent-dir/for/sure/tickets.pdf", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_cmpuint (gt_ticket_doc_get_n_pages (none, GT_TICKET_LAYOUT_A4), ==, 0);
  g_assert_false (gt_ticket_doc_save_pdf (none, GT_TICKET_LAYOUT_A4, "unused.pdf", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

static void
test_print_operation (void)
{
  g_autoptr (GtTicketDoc) doc = sample_doc ("Up", 5, "paid");
  g_autoptr (GtkPrintOperation) roll = NULL;
  g_autoptr (GtkPrintOperation) a4 = NULL;
  GtkPageSetup *setup;
  int           n_pages = 0;

  roll = gt_ticket_doc_print_operation_new (doc, GT_TICKET_LAYOUT_ROLL_80MM);
  g_object_get (roll, "n-pages", &n_pages, NULL);
  g_assert_cmpint (n_pages, ==, 5);
  setup = gtk_print_operation_get_default_page_setup (roll);
  g_assert_cmpfloat_with_epsilon (gtk_page_setup_get_paper_width (setup, GTK_UNIT_MM), 80, 0.01);
  g_assert_cmpfloat (gtk_page_setup_get_paper_height (setup, GTK_UNIT_MM), >=, 90);

  a4 = gt_ticket_doc_print_operation_new (doc, GT_TICKET_LAYOUT_A4);
  g_object_get (a4, "n-pages", &n_pages, NULL);
  g_assert_cmpint (n_pages, ==, 2);
  setup = gtk_print_operation_get_default_page_setup (a4);
  g_assert_cmpfloat_with_epsilon (gtk_page_setup_get_paper_width (setup, GTK_UNIT_MM), 210, 0.01);
  g_assert_cmpfloat_with_epsilon (gtk_page_setup_get_paper_height (setup, GTK_UNIT_MM), 297, 0.01);

  /* The operation keeps the document alive on its own. */
  g_clear_pointer (&doc, gt_ticket_doc_free);
  g_assert_finalize_object (g_steal_pointer (&roll));
  g_assert_finalize_object (g_steal_pointer (&a4));
}

/* A real sale on a real server, printed, scanned back and checked at the door. */

typedef struct
{
  GtTestServer *server;
  SoupSession  *session;
  char         *token;
  JsonObject   *config;
  JsonObject   *showtime;
  JsonObject   *booking;
} Sale;

static void
sale_free (Sale *sale)
{
  g_clear_pointer (&sale->booking, json_object_unref);
  g_clear_pointer (&sale->showtime, json_object_unref);
  g_clear_pointer (&sale->config, json_object_unref);
  g_clear_pointer (&sale->token, g_free);
  g_clear_object (&sale->session);
  if (sale->server != NULL)
    {
      g_assert_cmpint (gt_test_server_stop (sale->server), ==, 0);
      gt_test_server_free (sale->server);
    }
  g_free (sale);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Sale, sale_free)

static JsonObject *
pick_future_showtime (JsonArray *showtimes)
{
  g_autoptr (GDateTime) soon = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  soon = g_date_time_add_minutes (now, 10);
  for (guint i = 0; i < json_array_get_length (showtimes); i++)
    {
      JsonObject *showtime = json_array_get_object_element (showtimes, i);
      g_autoptr (GDateTime) starts = NULL;

      starts = g_date_time_new_from_iso8601 (json_object_get_string_member (showtime, "starts_at"),
                                             NULL);
      if (starts != NULL && g_date_time_compare (starts, soon) > 0
          && json_object_get_int_member (showtime, "seats_free") >= 2)
        return json_object_ref (showtime);
    }
  return NULL;
}

static Sale *
make_sale (void)
{
  Sale *sale = g_new0 (Sale, 1);
  g_autoptr (JsonNode) showtimes = NULL;
  g_autoptr (JsonNode) hold = NULL;
  g_autoptr (JsonNode) booking = NULL;
  g_autoptr (JsonNode) config = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) body_node = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *key = g_uuid_string_random ();
  JsonObject      *prices;
  JsonArray       *seats;
  char            *text;
  gint64           total = 0;
  guint            status = 0;

  sale->server = gt_test_server_start (NULL, (const char *[]){ "--demo", NULL });
  g_assert_nonnull (sale->server);
  sale->session = soup_session_new ();
  sale->token = gt_test_login (sale->session, sale->server, "cashier", "cashier");

  config = gt_test_request (sale->session, sale->server, "GET", "/config", NULL, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  sale->config = json_object_ref (node_object (config));

  showtimes = gt_test_request (sale->session, sale->server, "GET", "/showtimes", sale->token, NULL,
                               &status);
  g_assert_cmpuint (status, ==, 200);
  sale->showtime = pick_future_showtime (
    json_object_get_array_member (node_object (showtimes), "showtimes"));
  g_assert_nonnull (sale->showtime);

  path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/holds",
                          json_object_get_int_member (sale->showtime, "id"));
  hold = gt_test_request (sale->session, sale->server, "POST", path, sale->token, "{\"count\":2}",
                          &status);
  g_assert_cmpuint (status, ==, 201);
  seats = json_object_get_array_member (node_object (hold), "seats");
  g_assert_cmpuint (json_array_get_length (seats), ==, 2);

  /* One adult and, where the showtime sells them, one child ticket. */
  prices = json_object_get_object_member (sale->showtime, "prices");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "tickets");
  json_builder_begin_array (builder);
  for (guint i = 0; i < 2; i++)
    {
      const char *type = i == 1 && json_object_has_member (prices, "child") ? "child" : "adult";

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "seat");
      json_builder_add_string_value (builder, json_array_get_string_element (seats, i));
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, type);
      json_builder_end_object (builder);
      total += json_object_get_int_member (prices, type);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "payment");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, "cash");
  json_builder_set_member_name (builder, "tendered");
  json_builder_add_int_value (builder, total);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  body_node = json_builder_get_root (builder);
  text = json_to_string (body_node, FALSE);
  body = g_bytes_new_take (text, strlen (text));

  g_free (path);
  path = g_strdup_printf ("/holds/%" G_GINT64_FORMAT "/checkout",
                          json_object_get_int_member (node_object (hold), "id"));
  booking = gt_test_request_full (sale->session, sale->server->url, "POST", path, sale->token,
                                  (const char *[]){ "Idempotency-Key", key, NULL }, body, &status,
                                  NULL);
  g_assert_cmpuint (status, ==, 201);
  sale->booking = json_object_ref (node_object (booking));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (sale->booking, "tickets")),
                    ==, 2);
  return sale;
}

static GPtrArray *
ticket_codes (Sale *sale)
{
  JsonArray *tickets = json_object_get_array_member (sale->booking, "tickets");
  GPtrArray *codes = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < json_array_get_length (tickets); i++)
    g_ptr_array_add (codes, g_strdup (json_object_get_string_member (
                              json_array_get_object_element (tickets, i), "code")));
  return codes;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* Every QR code on every page of @pdf, as a scanner at the door reads it. */
static GPtrArray *
scan_pdf (const char *dir, const char *pdf, const char *prefix)
{
  g_autofree char *root = g_build_filename (dir, prefix, NULL);
  g_autofree char *out = run_tool (
    (const char *[]){ "pdftoppm", "-r", "200", "-png", pdf, root, NULL });
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  GPtrArray  *decoded = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  guint       n_images = 0;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *image = NULL;
      g_autofree char *codes = NULL;
      g_auto (GStrv) lines = NULL;

      if (!g_str_has_prefix (name, prefix) || !g_str_has_suffix (name, ".png"))
        continue;
      n_images++;
      image = g_build_filename (dir, name, NULL);
      codes = run_tool ((const char *[]){ "zbarimg", "-q", "--raw", image, NULL });
      lines = g_strsplit (codes, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        if (*g_strstrip (lines[i]) != '\0')
          g_ptr_array_add (decoded, g_strdup (lines[i]));
      g_unlink (image);
    }
  g_assert_cmpuint (n_images, >, 0);
  g_ptr_array_sort (decoded, compare_strings);
  return decoded;
}

/* The door's offline check: an Ed25519 signature by the key in /config. */
static gboolean
verify_offline (const char *code, const char *public_key_base64)
{
  g_autofree guchar *public_key = NULL;
  guchar             raw[8 + crypto_sign_BYTES + 1];
  guchar             message[11];
  gsize              key_len = 0;
  size_t             len = 0;

  public_key = g_base64_decode (public_key_base64, &key_len);
  if (key_len != crypto_sign_PUBLICKEYBYTES
      || sodium_base642bin (raw, sizeof raw, code, strlen (code), NULL, &len, NULL,
                            sodium_base64_VARIANT_URLSAFE_NO_PADDING)
           != 0
      || len != 8 + crypto_sign_BYTES)
    return FALSE;
  memcpy (message, "GT1", 3);
  memcpy (message + 3, raw, 8);
  return crypto_sign_verify_detached (raw + 8, message, sizeof message, public_key) == 0;
}

static void
check_pdf (Sale *sale, GtTicketDoc *doc, GtTicketLayout layout, const char *dir)
{
  const char      *name = layout == GT_TICKET_LAYOUT_A4 ? "a4" : "roll";
  g_autofree char *file = g_strdup_printf ("tickets-%s.pdf", name);
  g_autofree char *pdf = g_build_filename (dir, file, NULL);
  g_autofree char *raw_text = NULL;
  g_autofree char *text = NULL;
  g_autofree char *title = NULL;
  g_autoptr (GPtrArray) codes = ticket_codes (sale);
  g_autoptr (GPtrArray) decoded = NULL;
  g_autoptr (GError) error = NULL;
  JsonArray  *tickets = json_object_get_array_member (sale->booking, "tickets");
  const char *booking_code = json_object_get_string_member (sale->booking, "code");

  g_assert_true (gt_ticket_doc_save_pdf (doc, layout, pdf, &error));
  g_assert_no_error (error);

  /* What the customer reads. */
  raw_text = run_tool ((const char *[]){ "pdftotext", "-enc", "UTF-8", pdf, "-", NULL });
  text = squeeze (raw_text);
  title = squeeze (json_object_get_string_member (sale->showtime, "movie_title"));
  g_assert_nonnull (strstr (text, title));
  g_assert_nonnull (strstr (text, booking_code));
  for (guint i = 0; i < json_array_get_length (tickets); i++)
    {
      JsonObject      *ticket = json_array_get_object_element (tickets, i);
      g_autofree char *seat = gt_format_seat (json_object_get_string_member (ticket, "seat"));

      g_assert_nonnull (strstr (text, seat));
    }

  /* What the scanner at the door reads: exactly the signed codes. */
  decoded = scan_pdf (dir, pdf, name);
  g_ptr_array_sort (codes, compare_strings);
  g_assert_cmpuint (decoded->len, ==, codes->len);
  for (guint i = 0; i < codes->len; i++)
    g_assert_cmpstr (g_ptr_array_index (decoded, i), ==, g_ptr_array_index (codes, i));

  /* And the door accepts them: offline by signature, and by the server. */
  for (guint i = 0; i < decoded->len; i++)
    {
      const char      *code = g_ptr_array_index (decoded, i);
      g_autofree char *path = g_strdup_printf ("/tickets/%s", code);
      g_autoptr (JsonNode) ticket = NULL;
      guint status = 0;

      g_assert_true (
        verify_offline (code, json_object_get_string_member (sale->config, "ticket_public_key")));
      ticket = gt_test_request (sale->session, sale->server, "GET", path, sale->token, NULL,
                                &status);
      g_assert_cmpuint (status, ==, 200);
      g_assert_cmpstr (json_object_get_string_member (node_object (ticket), "code"), ==, code);
      g_assert_cmpstr (json_object_get_string_member (node_object (ticket), "booking_code"), ==,
                       booking_code);
    }
  g_unlink (pdf);
}

static void
test_pdf_real_booking (void)
{
  g_autoptr (Sale) sale = NULL;
  g_autoptr (GtTicketDoc) doc = NULL;
  g_autofree char *dir = NULL;

  if (!have_tool ("pdftotext") || !have_tool ("pdftoppm") || !have_tool ("zbarimg"))
    return;

  sale = make_sale ();
  doc = gt_ticket_doc_new (sale->booking, sale->showtime, sale->config);
  g_assert_cmpuint (gt_ticket_doc_get_n_pages (doc, GT_TICKET_LAYOUT_ROLL_80MM), ==, 2);
  g_assert_cmpuint (gt_ticket_doc_get_n_pages (doc, GT_TICKET_LAYOUT_A4), ==, 1);

  dir = g_dir_make_tmp ("test-ticket-XXXXXX", NULL);
  g_assert_nonnull (dir);
  check_pdf (sale, doc, GT_TICKET_LAYOUT_ROLL_80MM, dir);
  check_pdf (sale, doc, GT_TICKET_LAYOUT_A4, dir);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int argc, char *argv[])
{
  /* English names of days and months, whatever the machine's language. */
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);

  g_test_add_func ("/format/money", test_format_money);
  g_test_add_func ("/format/quick-amounts", test_format_quick_amounts);
  g_test_add_func ("/format/time", test_format_time);
  g_test_add_func ("/format/seat-and-type", test_format_seat_and_type);
  g_test_add_func ("/ticket/qr-texture", test_qr_texture);
  g_test_add_func ("/ticket/layout-inside-page", test_layout_inside_page);
  g_test_add_func ("/ticket/save-pdf-error", test_save_pdf_error);
  g_test_add_func ("/ticket/refunded-ticket-marked", test_refunded_ticket_marked);
  g_test_add_func ("/ticket/print-operation", test_print_operation);
  g_test_add_func ("/ticket/pdf-real-booking", test_pdf_real_booking);
  return g_test_run ();
}
