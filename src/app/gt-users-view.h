/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gt-client.h"

G_BEGIN_DECLS

#define GT_TYPE_USERS_VIEW (gt_users_view_get_type ())

G_DECLARE_FINAL_TYPE (GtUsersView, gt_users_view, GT, USERS_VIEW, GtkWidget)

/* Who may sign in: add a user, change a role or name, deactivate, set a new
 * password. The server decides who may do what (a manager manages cashiers,
 * an admin everyone; nobody raises their own role; the last admin stays),
 * and its refusal is shown here. */
void gt_users_view_set_client (GtUsersView *self, GtClient *client);
void gt_users_view_refresh (GtUsersView *self);
/* For tests: the add form, and the last answer shown. */
void        gt_users_view_add (GtUsersView *self,
                               const char  *username,
                               const char  *display_name,
                               const char  *password,
                               const char  *role);
const char *gt_users_view_get_message (GtUsersView *self);
/* The users as last listed. */
JsonArray *gt_users_view_get_users (GtUsersView *self);
/* Changes one user as its row's controls do; @role NULL keeps it. */
void gt_users_view_update (GtUsersView *self,
                           gint64       user_id,
                           const char  *role,
                           gboolean     active,
                           const char  *password);

G_END_DECLS
