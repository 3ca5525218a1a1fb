/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "go-ticket"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "gt-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr (GtApplication) app = NULL;
  /* Run from the build tree (build-aux/run.sh), the translations are there. */
  const char *localedir = g_getenv ("GO_TICKET_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = gt_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
