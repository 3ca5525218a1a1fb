/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-language"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "gt-app-fixture.h"

typedef struct
{
  GtAppFixture *fixture;
  const char   *text;
} Shows;

static gboolean
window_shows (gpointer data)
{
  Shows *shows = data;

  return gt_app_shows_label (GTK_WIDGET (shows->fixture->window), shows->text);
}

static void
wait_shows (GtAppFixture *fixture, const char *text)
{
  Shows shows = { fixture, text };

  gt_app_wait (text, window_shows, &shows, 30);
}

/* Run with the language set to Indonesian (meson sets LANGUAGE=id and the
 * build tree's translations), the app speaks it: in its templates, in what
 * its code writes, and with every translated label's markup sound (a GTK
 * warning is fatal here). */
static void
test_indonesian (void)
{
  GtAppFixture fixture = { 0 };

  gt_app_fixture_start (&fixture, 0, TRUE);
  wait_shows (&fixture, "Masuk untuk menjual tiket di loket ini");
  g_assert_true (gt_app_shows_label (GTK_WIDGET (fixture.window), "Kata Sandi"));
  g_assert_false (gt_app_shows_label (GTK_WIDGET (fixture.window), "Password"));

  gt_app_sign_in (&fixture, "cashier");
  wait_shows (&fixture, "Hari ini");
  wait_shows (&fixture, "● Daring");
  /* The counter's default name, from the settings' schema. */
  wait_shows (&fixture, "Citra Cashier · Loket 1");
  gt_app_open_showtime (&fixture);
  /* The longer words still fit a 1024 px counter screen. */
  g_assert_cmpint (gt_app_min_width (&fixture), <=, 1024);
  wait_shows (&fixture, "Klik kursi pada denah, atau gunakan tombol panah dan Spasi. Kursi "
                        "ditahan untuk Anda selama penjualan berlangsung.");
  gt_app_fixture_stop (&fixture);
}

int
main (int argc, char *argv[])
{
  /* As main() does, from the build tree. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("GO_TICKET_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/language/indonesian", test_indonesian);
  return g_test_run ();
}
