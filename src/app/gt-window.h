/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gt-application.h"

G_BEGIN_DECLS

#define GT_TYPE_WINDOW (gt_window_get_type ())

G_DECLARE_FINAL_TYPE (GtWindow, gt_window, GT, WINDOW, AdwApplicationWindow)

GtWindow *gt_window_new (GtApplication *application);
/* The name of the page shown: "starting", "first-run", "login", "schedule",
 * "sale", "checkout" or "ticket". */
const char *gt_window_get_page (GtWindow *self);
void        gt_window_add_toast (GtWindow *self, const char *message);

G_END_DECLS
