/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint              _gt_schema_n_migrations (void);
const char *const *_gt_schema_migrations (void);
const char        *_gt_schema_migration (guint i);

G_END_DECLS
