/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gt-client.h"

G_BEGIN_DECLS

#define GT_TYPE_FIRST_RUN_PAGE (gt_first_run_page_get_type ())

G_DECLARE_FINAL_TYPE (GtFirstRunPage, gt_first_run_page, GT, FIRST_RUN_PAGE, GtkWidget)

void gt_first_run_page_set_client (GtFirstRunPage *self, GtClient *client);
/* The administrator's username once "done" is emitted for one, so that the
 * sign-in page asks only for the password; NULL after loading the demo. */
const char *gt_first_run_page_get_username (GtFirstRunPage *self);

G_END_DECLS
