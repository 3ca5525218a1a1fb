/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "ticket-demo"

#include "config.h"

#include <locale.h>

#include "gt-ticket-render.h"

/* Writes the tickets of a sample booking as PDF in both layouts, to look at:
 *   ticket-demo [OUTPUT-DIR [MOVIE-TITLE]]
 * or of a booking saved from a server (the JSON bodies of the API):
 *   ticket-demo OUTPUT-DIR BOOKING.json SHOWTIME.json CONFIG.json */

static char *
sample_code (guint seed)
{
  guchar raw[72];
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autofree char *text = NULL;

  for (guint i = 0; i < sizeof raw; i++)
    raw[i] = (guchar) g_rand_int_range (rand, 0, 256);
  text = g_base64_encode (raw, sizeof raw);
  g_strdelimit (text, "+", '-');
  g_strdelimit (text, "/", '_');
  return g_strndup (text, strcspn (text, "="));
}

static JsonObject *
load_object (const char *path)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  if (!json_parser_load_from_file (parser, path, &error))
    g_error ("%s: %s", path, error->message);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, json, -1, NULL))
    g_error ("bad sample JSON");
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

int
main (int argc, char *argv[])
{
  const char  *dir = argc > 1 ? argv[1] : ".";
  const char  *title = argc > 2 ? argv[2] : "Laskar Pelangi: The Musical";
  const char  *seats[] = { "F11", "F12", "F13", "G7", "G8" };
  const char  *types[] = { "adult", "child", "senior", "student", "vip_couple" };
  const gint64 prices[] = { 50000, 35000, 40000, 40000, 120000 };
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) booking = NULL;
  g_autoptr (JsonObject) showtime = NULL;
  g_autoptr (JsonObject) config = NULL;
  g_autoptr (GtTicketDoc) doc = NULL;
  g_autoptr (GError) error = NULL;
  gint64 total = 0;

  setlocale (LC_ALL, "");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, "GT-7K3Q9A");
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "paid");
  json_builder_set_member_name (builder, "tickets");
  json_builder_begin_array (builder);
  for (guint i = 0; i < G_N_ELEMENTS (seats); i++)
    {
      g_autofree char *code = sample_code (i + 1);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "seat");
      json_builder_add_string_value (builder, seats[i]);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, types[i]);
      json_builder_set_member_name (builder, "price");
      json_builder_add_int_value (builder, prices[i]);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, code);
      json_builder_end_object (builder);
      total += prices[i];
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, total);
  json_builder_end_object (builder);
  booking = json_builder_get_root (builder);

  showtime = parse_object ("{\"starts_at\":\"2026-11-24T12:30:00Z\","
                           "\"ends_at\":\"2026-11-24T14:58:00Z\","
                           "\"auditorium_name\":\"Studio 1\"}");
  json_object_set_string_member (showtime, "movie_title", title);
  config = parse_object ("{\"cinema\":\"Bioskop Merdeka Bandung\",\"currency\":\"IDR\","
                         "\"currency_decimals\":0,\"timezone\":\"Asia/Jakarta\"}");

  if (argc == 5)
    {
      g_autoptr (JsonObject) saved = load_object (argv[2]);

      g_clear_pointer (&showtime, json_object_unref);
      g_clear_pointer (&config, json_object_unref);
      showtime = load_object (argv[3]);
      config = load_object (argv[4]);
      doc = gt_ticket_doc_new (saved, showtime, config);
    }
  else
    doc = gt_ticket_doc_new (json_node_get_object (booking), showtime, config);
  for (int layout = GT_TICKET_LAYOUT_ROLL_80MM; layout <= GT_TICKET_LAYOUT_A4; layout++)
    {
      g_autofree char *path = g_build_filename (dir,
                                                layout == GT_TICKET_LAYOUT_A4 ? "tickets-a4.pdf"
                                                                              : "tickets-roll.pdf",
                                                NULL);

      if (!gt_ticket_doc_save_pdf (doc, layout, path, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_print ("%s\n", path);
    }
  return 0;
}
