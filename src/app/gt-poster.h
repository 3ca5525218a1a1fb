/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The size posters are shown at in lists (a 2:3 frame), and the size their
 * textures are decoded at: twice that, for sharp HiDPI thumbnails. */
#define GT_POSTER_WIDTH          64
#define GT_POSTER_HEIGHT         96
#define GT_POSTER_TEXTURE_WIDTH  (2 * GT_POSTER_WIDTH)
#define GT_POSTER_TEXTURE_HEIGHT (2 * GT_POSTER_HEIGHT)

/* Decodes image @bytes and scales them to fit the thumbnail texture size,
 * in a worker thread: a large poster never holds up painting. */
void        gt_poster_texture_async (GBytes             *bytes,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data);
GdkTexture *gt_poster_texture_finish (GAsyncResult *result, GError **error);

/* Textures already decoded, by poster URL: rows that are bound again (the
 * schedule refreshes on every change) show them at once. */
GdkTexture *gt_poster_lookup (const char *url);
void        gt_poster_remember (const char *url, GdkTexture *texture);
/* Drops every decoded texture (the next look is at the store). */
void gt_poster_forget_all (void);

G_END_DECLS
