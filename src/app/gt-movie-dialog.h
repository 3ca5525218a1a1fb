/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gt-client.h"

G_BEGIN_DECLS

#define GT_TYPE_MOVIE_DIALOG (gt_movie_dialog_get_type ())

G_DECLARE_FINAL_TYPE (GtMovieDialog, gt_movie_dialog, GT, MOVIE_DIALOG, AdwWindow)

/* Adds a movie (@movie NULL) or edits one, through the server. The server's
 * refusal shows in the dialog, which stays open with what was typed.
 * GtMovieDialog::saved (movie) follows a save. */
GtMovieDialog *gt_movie_dialog_new (GtClient *client, JsonObject *movie);
/* Fills the form as a manager would type it, for tests. */
void gt_movie_dialog_fill (GtMovieDialog *self,
                           const char    *title,
                           guint          duration_minutes,
                           const char    *rating,
                           const char    *genres);
/* Takes @poster (PNG or JPEG bytes; NULL removes it) as if chosen, to
 * upload on save; FALSE, with the reason shown, when it is not one. */
gboolean gt_movie_dialog_set_poster (GtMovieDialog *self, GBytes *poster);
void     gt_movie_dialog_save (GtMovieDialog *self);

G_END_DECLS
