/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* For widgets that hold their template's root box directly (a BinLayout):
 * dispose_template() leaves that box, so dispose unparents what is left. */
static inline void
gt_widget_unparent_children (GtkWidget *widget)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    gtk_widget_unparent (child);
}

/* Rows that show data (titles, names, reasons) as typed: an
 * AdwPreferencesRow reads its title and subtitle as markup, and "Fast &
 * Furious" showed as an empty row and a warning. */
static inline GtkWidget *
gt_plain_action_row_new (void)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  return row;
}

static inline GtkWidget *
gt_plain_expander_row_new (void)
{
  GtkWidget *row = adw_expander_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  return row;
}

/* Shows @text as it is: libadwaita 1.2 reads a toast's title as markup, so
 * a title with "&" or "<" in it ("Fast & Furious") would show nothing. */
static inline void
gt_add_toast (AdwToastOverlay *overlay, const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_toast_overlay_add_toast (overlay, adw_toast_new (escaped));
}

G_END_DECLS
