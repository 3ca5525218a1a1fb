/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GT_TYPE_PREFERENCES_WINDOW (gt_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (GtPreferencesWindow,
                      gt_preferences_window,
                      GT,
                      PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

GtkWidget *gt_preferences_window_new (GSettings *settings);

G_END_DECLS
