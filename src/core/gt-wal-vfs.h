/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* The name of SQLite's default VFS with the log's writes gathered (see
 * gt-wal-vfs.c); registers it on first use. */
const char *gt_wal_vfs_name (void);

G_END_DECLS
