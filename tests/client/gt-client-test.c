/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "gt-client-test.h"

#define WAIT_SECONDS 20

static gboolean
on_timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
gt_wait_for (GtCondition condition, gpointer data, const char *what)
{
  gboolean timed_out = FALSE;
  guint    id = g_timeout_add_seconds (WAIT_SECONDS, on_timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Waited %d s for %s", WAIT_SECONDS, what);
  g_source_remove (id);
}

void
gt_on_result_cb (GObject *object, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static gboolean
have_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

GAsyncResult *
gt_wait_result (GAsyncResult **slot)
{
  gt_wait_for (have_result, slot, "an answer");
  return *slot;
}

gboolean
gt_replica_is_online (gpointer replica)
{
  return gt_replica_get_connection (replica) == GT_CONNECTION_ONLINE;
}

gboolean
gt_replica_is_not_online (gpointer replica)
{
  return gt_replica_get_connection (replica) != GT_CONNECTION_ONLINE;
}

gboolean
gt_replica_outbox_is_empty (gpointer replica)
{
  return gt_replica_get_outbox_length (replica) == 0;
}
