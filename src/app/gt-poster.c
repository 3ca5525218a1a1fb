/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-poster"

#include "config.h"

#include "gt-poster.h"

/* Enough for every movie of a cinema's week; past it, start over. */
#define MAX_REMEMBERED 128

static GHashTable *remembered; /* url → GdkTexture */

static void
decode_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_autoptr (GInputStream) stream = g_memory_input_stream_new_from_bytes (task_data);
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  GError *error = NULL;

  pixbuf = gdk_pixbuf_new_from_stream_at_scale (stream, GT_POSTER_TEXTURE_WIDTH,
                                                GT_POSTER_TEXTURE_HEIGHT, TRUE, cancellable,
                                                &error);
  if (pixbuf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&pixbuf), g_object_unref);
}

void
gt_poster_texture_async (GBytes             *bytes,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (bytes != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gt_poster_texture_async);
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_task_run_in_thread (task, decode_thread);
}

GdkTexture *
gt_poster_texture_finish (GAsyncResult *result, GError **error)
{
  g_autoptr (GdkPixbuf) pixbuf = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  if (!(pixbuf = g_task_propagate_pointer (G_TASK (result), error)))
    return NULL;
  return gdk_texture_new_for_pixbuf (pixbuf);
}

GdkTexture *
gt_poster_lookup (const char *url)
{
  if (remembered == NULL || url == NULL)
    return NULL;
  return g_hash_table_lookup (remembered, url);
}

void
gt_poster_remember (const char *url, GdkTexture *texture)
{
  g_return_if_fail (url != NULL);
  g_return_if_fail (GDK_IS_TEXTURE (texture));

  if (remembered == NULL)
    remembered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  if (g_hash_table_size (remembered) >= MAX_REMEMBERED)
    g_hash_table_remove_all (remembered);
  g_hash_table_replace (remembered, g_strdup (url), g_object_ref (texture));
}

void
gt_poster_forget_all (void)
{
  g_clear_pointer (&remembered, g_hash_table_unref);
}
