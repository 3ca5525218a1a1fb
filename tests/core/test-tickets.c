/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "gt-core-fixture.h"

typedef struct
{
  gint64 booking_id;
  gint64 ticket_id[2];
  char  *code[2];
} Sale;

static void
sale_clear (Sale *sale)
{
  g_free (sale->code[0]);
  g_free (sale->code[1]);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Sale, sale_clear)

/* Sells A3 and A4 with card. */
static void
sell (GtCoreFixture *f, Sale *sale)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (JsonObject) booking = NULL;
  gint64     hold_id = gt_core_hold (f->engine, f->cashier, f->showtime_id, "A3", "A4", NULL);
  gboolean   replayed;
  JsonArray *tickets;

  body = gt_core_json ("{\"tickets\":[{\"seat\":\"A3\",\"type\":\"adult\"},"
                       "{\"seat\":\"A4\",\"type\":\"adult\"}],\"payment\":{\"method\":\"card\"}}");
  booking = gt_engine_checkout (f->engine, f->cashier, hold_id, "key-tickets", body, &replayed,
                                &error);
  g_assert_no_error (error);
  sale->booking_id = json_object_get_int_member (booking, "id");
  tickets = json_object_get_array_member (booking, "tickets");
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *ticket = json_array_get_object_element (tickets, i);

      sale->ticket_id[i] = json_object_get_int_member (ticket, "id");
      sale->code[i] = g_strdup (json_object_get_string_member (ticket, "code"));
    }
}

/* A code made as the engine makes them (ticket id, then an Ed25519
 * signature of "GT1" + id), with @secret. */
static char *
make_code (gint64 ticket_id, const unsigned char *secret)
{
  unsigned char raw[8 + crypto_sign_BYTES];
  unsigned char msg[11];
  char    text[sodium_base64_ENCODED_LEN (sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  guint64 le = GUINT64_TO_LE ((guint64) ticket_id);

  memcpy (msg, "GT1", 3);
  memcpy (msg + 3, &le, 8);
  memcpy (raw, &le, 8);
  crypto_sign_detached (raw + 8, NULL, msg, sizeof msg, secret);
  sodium_bin2base64 (text, sizeof text, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return g_strdup (text);
}

static void
test_tickets_codes (GtCoreFixture *f, gconstpointer data)
{
  g_auto (Sale) sale = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) ticket = NULL;
  unsigned char     other_public[crypto_sign_PUBLICKEYBYTES];
  unsigned char     other_secret[crypto_sign_SECRETKEYBYTES];
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  gint64            id = 0;

  sell (f, &sale);
  g_assert_cmpstr (sale.code[0], !=, sale.code[1]);

  for (guint i = 0; i < 2; i++)
    {
      const char *code = sale.code[i];

      /* Real codes verify, naming their ticket. */
      g_assert_true (gt_engine_verify_ticket_code (f->engine, code, &id));
      g_assert_cmpint (id, ==, sale.ticket_id[i]);

      /* URL-safe. */
      g_assert_cmpuint (strlen (code), ==, strspn (code, alphabet));
      g_assert_null (strpbrk (code, "/+?#%= "));
    }

  /* Any one character changed breaks the code. */
  for (gsize i = 0; sale.code[0][i] != '\0'; i++)
    {
      g_autofree char *altered = g_strdup (sale.code[0]);

      altered[i] = altered[i] == 'A' ? 'B' : 'A';
      g_assert_false (gt_engine_verify_ticket_code (f->engine, altered, NULL));
    }

  /* Truncated, extended or empty codes are refused. */
  {
    gsize            len = strlen (sale.code[0]);
    g_autofree char *minus_one = g_strndup (sale.code[0], len - 1);
    g_autofree char *minus_four = g_strndup (sale.code[0], len - 4);
    g_autofree char *half = g_strndup (sale.code[0], len / 2);
    g_autofree char *plus = g_strconcat (sale.code[0], "AAAA", NULL);
    g_autofree char *both = g_strconcat (sale.code[0], sale.code[1], NULL);

    g_assert_false (gt_engine_verify_ticket_code (f->engine, minus_one, NULL));
    g_assert_false (gt_engine_verify_ticket_code (f->engine, minus_four, NULL));
    g_assert_false (gt_engine_verify_ticket_code (f->engine, half, NULL));
    g_assert_false (gt_engine_verify_ticket_code (f->engine, plus, NULL));
    g_assert_false (gt_engine_verify_ticket_code (f->engine, both, NULL));
    g_assert_false (gt_engine_verify_ticket_code (f->engine, "", NULL));
    g_assert_false (gt_engine_verify_ticket_code (f->engine, NULL, NULL));
    g_assert_false (gt_engine_verify_ticket_code (f->engine, "GT-ABC123", NULL));
  }

  /* A code signed with another key is a forgery, though well-formed: the
   * same construction with the cinema's key gives the real code. */
  {
    g_autofree char *genuine = make_code (sale.ticket_id[0], f->engine->sign_secret);
    g_autofree char *forged = NULL;
    g_autofree char *forged_new = NULL;
    g_autoptr (JsonObject) checked = NULL;
    g_autoptr (JsonObject) body = gt_core_json ("{\"door\":\"Door 1\"}");

    g_assert_cmpstr (genuine, ==, sale.code[0]);
    crypto_sign_keypair (other_public, other_secret);
    forged = make_code (sale.ticket_id[0], other_secret);
    forged_new = make_code (sale.ticket_id[1] + 1000, other_secret);
    g_assert_false (gt_engine_verify_ticket_code (f->engine, forged, NULL));
    g_assert_false (gt_engine_verify_ticket_code (f->engine, forged_new, NULL));

    ticket = gt_engine_get_ticket (f->engine, forged, &error);
    g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_TICKET);
    g_assert_null (ticket);
    g_clear_error (&error);
    checked = gt_engine_check_in (f->engine, f->cashier, forged, body, &error);
    g_assert_error (error, GT_ERROR, GT_ERROR_INVALID_TICKET);
    g_clear_error (&error);
  }

  /* The public key in the config verifies a real code offline. */
  {
    g_autoptr (JsonObject) config = gt_engine_get_config (f->engine);
    gsize              key_len = 0;
    g_autofree guchar *key = g_base64_decode (json_object_get_string_member (config,
                                                                             "ticket_public_key"),
                                              &key_len);
    unsigned char      raw[8 + crypto_sign_BYTES];
    unsigned char      msg[11];
    size_t             raw_len = 0;

    g_assert_cmpuint (key_len, ==, crypto_sign_PUBLICKEYBYTES);
    g_assert_cmpint (sodium_base642bin (raw, sizeof raw, sale.code[1], strlen (sale.code[1]), NULL,
                                        &raw_len, NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                     ==, 0);
    g_assert_cmpuint (raw_len, ==, sizeof raw);
    memcpy (msg, "GT1", 3);
    memcpy (msg + 3, raw, 8);
    g_assert_cmpint (crypto_sign_verify_detached (raw + 8, msg, sizeof msg, key), ==, 0);
  }

  ticket = gt_engine_get_ticket (f->engine, sale.code[1], &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (ticket, "id"), ==, sale.ticket_id[1]);
  g_assert_cmpstr (json_object_get_string_member (ticket, "seat"), ==, "A4");
  g_assert_true (json_object_get_null_member (ticket, "checked_in_at"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (ticket, "showtime"),
                                               "id"),
                   ==, f->showtime_id);
}

static void
test_tickets_check_in (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GtPrincipal) manager = gt_core_sign_in (f->engine, "manager", "manager", NULL);
  g_auto (Sale) sale = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) ticket = NULL;
  g_autoptr (JsonObject) body = gt_core_json ("{\"door\":\"Door 2\"}");
  g_autoptr (JsonObject) other_door = gt_core_json ("{\"door\":\"Door 5\"}");
  g_autofree char *first_time = NULL;
  JsonObject      *details;

  sell (f, &sale);

  /* Two hours before the show the doors are not open yet. */
  ticket = gt_engine_check_in (f->engine, f->cashier, sale.code[0], body, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_SHOWTIME_CLOSED);
  g_assert_null (ticket);
  g_clear_error (&error);

  _gt_engine_shift_time (f->engine,
                         f->starts_at - 30 * G_TIME_SPAN_MINUTE - gt_engine_now (f->engine));
  ticket = gt_engine_check_in (f->engine, f->cashier, sale.code[0], body, &error);
  g_assert_no_error (error);
  g_assert_false (json_object_get_null_member (ticket, "checked_in_at"));
  g_assert_cmpstr (json_object_get_string_member (ticket, "door"), ==, "Door 2");
  first_time = g_strdup (json_object_get_string_member (ticket, "checked_in_at"));
  g_clear_pointer (&ticket, json_object_unref);

  /* Once only: the second time says when and where it was used. */
  _gt_engine_shift_time (f->engine, 5 * G_TIME_SPAN_MINUTE);
  ticket = gt_engine_check_in (f->engine, f->cashier, sale.code[0], other_door, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_ALREADY_CHECKED_IN);
  g_assert_null (ticket);
  details = gt_error_get_details (error);
  g_assert_nonnull (details);
  g_assert_cmpstr (json_object_get_string_member (details, "checked_in_at"), ==, first_time);
  g_assert_cmpstr (json_object_get_string_member (details, "door"), ==, "Door 2");
  g_clear_error (&error);

  ticket = gt_engine_get_ticket (f->engine, sale.code[0], &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (ticket, "checked_in_at"), ==, first_time);
  g_clear_pointer (&ticket, json_object_unref);

  /* A manager may undo it; a cashier may not. */
  ticket = gt_engine_undo_check_in (f->engine, f->cashier, sale.code[0], &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_FORBIDDEN);
  g_clear_error (&error);
  ticket = gt_engine_undo_check_in (f->engine, manager, sale.code[0], &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_null_member (ticket, "checked_in_at"));
  g_clear_pointer (&ticket, json_object_unref);
  ticket = gt_engine_check_in (f->engine, f->cashier, sale.code[0], other_door, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (ticket, "door"), ==, "Door 5");
  g_clear_pointer (&ticket, json_object_unref);

  /* After the show has ended the door is shut. */
  _gt_engine_shift_time (f->engine, f->starts_at + (GT_CORE_MOVIE_MINUTES + 1) * G_TIME_SPAN_MINUTE
                                      - gt_engine_now (f->engine));
  ticket = gt_engine_check_in (f->engine, f->cashier, sale.code[1], body, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_SHOWTIME_CLOSED);
}

static void
test_tickets_refunded (GtCoreFixture *f, gconstpointer data)
{
  g_autoptr (GtPrincipal) manager = gt_core_sign_in (f->engine, "manager", "manager", NULL);
  g_auto (Sale) sale = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) ticket = NULL;
  g_autoptr (JsonObject) booking = NULL;
  g_autoptr (JsonObject) body = gt_core_json ("{\"reason\":\"Changed plans\"}");

  sell (f, &sale);
  booking = gt_engine_refund (f->engine, manager, sale.booking_id, body, &error);
  g_assert_no_error (error);

  _gt_engine_shift_time (f->engine,
                         f->starts_at - 10 * G_TIME_SPAN_MINUTE - gt_engine_now (f->engine));
  ticket = gt_engine_check_in (f->engine, f->cashier, sale.code[0], body, &error);
  g_assert_error (error, GT_ERROR, GT_ERROR_CONFLICT);
  g_assert_null (ticket);
}

static gboolean
signed_ahead_done (gpointer user_data)
{
  return ((GtEngine *) user_data)->sign_ahead_source == NULL;
}

/* Codes are signed ahead for the ids the next tickets take, while the
 * engine is idle; a sale then takes its codes from there, and they are the
 * codes it would have signed itself. */
static void
test_tickets_signed_ahead (GtCoreFixture *f, gconstpointer data)
{
  g_auto (Sale) sale = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (JsonObject) booking = NULL;
  JsonObject *ticket;
  gint64      hold_id;
  gint64      next;
  gint64      id = 0;
  gboolean    replayed;

  sell (f, &sale);
  next = sale.ticket_id[1] + 1;
  g_assert_true (gt_core_wait (signed_ahead_done, f->engine, 5000));
  for (gint64 i = next; i < next + GT_SIGN_AHEAD; i++)
    {
      g_assert_cmpint (f->engine->signed_ahead[i % GT_SIGN_AHEAD].id, ==, i);
      g_assert_nonnull (f->engine->signed_ahead[i % GT_SIGN_AHEAD].code);
    }

  hold_id = gt_core_hold (f->engine, f->cashier, f->showtime_id, "B1", NULL);
  body = gt_core_json ("{\"tickets\":[{\"seat\":\"B1\",\"type\":\"adult\"}],"
                       "\"payment\":{\"method\":\"card\"}}");
  booking = gt_engine_checkout (f->engine, f->cashier, hold_id, "key-ahead", body, &replayed,
                                &error);
  g_assert_no_error (error);
  ticket = json_array_get_object_element (json_object_get_array_member (booking, "tickets"), 0);
  g_assert_cmpint (json_object_get_int_member (ticket, "id"), ==, next);
  /* Taken from those signed ahead. */
  g_assert_null (f->engine->signed_ahead[next % GT_SIGN_AHEAD].code);
  {
    g_autofree char *own = make_code (next, f->engine->sign_secret);

    g_assert_cmpstr (json_object_get_string_member (ticket, "code"), ==, own);
  }
  g_assert_true (
    gt_engine_verify_ticket_code (f->engine, json_object_get_string_member (ticket, "code"), &id));
  g_assert_cmpint (id, ==, next);
}

int
main (int argc, char *argv[])
{
  gt_core_init (&argc, &argv);

  gt_core_add ("/core/tickets/codes", test_tickets_codes);
  gt_core_add ("/core/tickets/check-in", test_tickets_check_in);
  gt_core_add ("/core/tickets/refunded", test_tickets_refunded);
  gt_core_add ("/core/tickets/signed-ahead", test_tickets_signed_ahead);

  return g_test_run ();
}
