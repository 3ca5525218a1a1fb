/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gt-replica.h"

G_BEGIN_DECLS

/* Waiting on the main loop, never sleeping: the test aborts, saying @what,
 * when @condition is not met within 20 s. */
typedef gboolean (*GtCondition) (gpointer data);

void gt_wait_for (GtCondition condition, gpointer data, const char *what);
/* An async call's result: pass gt_on_result_cb with a NULL-initialised
 * slot, then gt_wait_result (&slot). */
void          gt_on_result_cb (GObject *object, GAsyncResult *result, gpointer data);
GAsyncResult *gt_wait_result (GAsyncResult **slot);

/* Conditions on a GtReplica. */
gboolean gt_replica_is_online (gpointer replica);
gboolean gt_replica_is_not_online (gpointer replica);
gboolean gt_replica_outbox_is_empty (gpointer replica);

G_END_DECLS
