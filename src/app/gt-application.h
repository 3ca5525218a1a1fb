/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gt-replica.h"

G_BEGIN_DECLS

#define GT_TYPE_APPLICATION (gt_application_get_type ())

G_DECLARE_FINAL_TYPE (GtApplication, gt_application, GT, APPLICATION, AdwApplication)

GtApplication *gt_application_new (void);
GSettings     *gt_application_get_settings (GtApplication *self);
/* The link to the central server: the configured one, or the embedded one. */
GtClient *gt_application_get_client (GtApplication *self);
/* The counter's own store, kept in step with that server; NULL if it could
 * not open (then the startup error says why). */
GtReplica *gt_application_get_replica (GtApplication *self);
/* Why the embedded server could not start, or NULL. */
const char *gt_application_get_startup_error (GtApplication *self);

G_END_DECLS
