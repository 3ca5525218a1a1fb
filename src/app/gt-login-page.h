/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "gt-client.h"

G_BEGIN_DECLS

#define GT_TYPE_LOGIN_PAGE (gt_login_page_get_type ())

G_DECLARE_FINAL_TYPE (GtLoginPage, gt_login_page, GT, LOGIN_PAGE, GtkWidget)

void gt_login_page_setup (GtLoginPage *self, GtClient *client, GSettings *settings);
/* The username to sign in with; the password is asked next. */
void gt_login_page_set_username (GtLoginPage *self, const char *username);
void gt_login_page_focus (GtLoginPage *self);
void gt_login_page_reset (GtLoginPage *self);
/* Fills the form and signs in, as a person would (for tests and scripts). */
void gt_login_page_sign_in (GtLoginPage *self, const char *username, const char *password);

G_END_DECLS
