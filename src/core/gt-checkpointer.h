/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Copies a database's write-ahead log back into its file (a checkpoint) on a
 * thread and connection of its own, so that the engine's thread never
 * stalls for it. Private to the core. */
typedef struct _GtCheckpointer GtCheckpointer;

/* Called on the checkpointer's thread once a pass has failed: from then on
 * no pass runs, and closing its connection leaves the log for the next
 * start to read. */
typedef void (*GtCheckpointerFailedFunc) (gpointer user_data);

GtCheckpointer *gt_checkpointer_new (const char              *path,
                                     GtCheckpointerFailedFunc failed_func,
                                     gpointer                 user_data,
                                     GError                 **error);
/* Asks for a pass over the whole log as it is now; returns at once. */
void gt_checkpointer_request (GtCheckpointer *self);
/* Waits for a pass that starts now; TRUE when it copied the whole log,
 * so that the next write may start it again from the beginning. */
gboolean gt_checkpointer_finish (GtCheckpointer *self);
/* How many pages of the log the last pass ended had copied (0 after a
 * gt_checkpointer_finish() that copied it all). */
int gt_checkpointer_get_copied (GtCheckpointer *self);
/* For tests: the next pass fails with @result instead of running. */
void _gt_checkpointer_fail_next_pass (GtCheckpointer *self, int result);
void gt_checkpointer_free (GtCheckpointer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GtCheckpointer, gt_checkpointer_free)

G_END_DECLS
