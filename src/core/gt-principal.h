/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Roles, each including the one before. */
typedef enum
{
  GT_ROLE_NONE = 0,
  GT_ROLE_CASHIER,
  GT_ROLE_MANAGER,
  GT_ROLE_ADMIN,
} GtRole;

GtRole      gt_role_from_string (const char *name);
const char *gt_role_to_string (GtRole role);

/* Who is asking: the user and the session a request came with. */
typedef struct
{
  gint64 user_id;
  gint64 session_id;
  GtRole role;
  char  *username;
  char  *display_name;
  char  *counter;
} GtPrincipal;

#define GT_TYPE_PRINCIPAL (gt_principal_get_type ())

GType        gt_principal_get_type (void) G_GNUC_CONST;
GtPrincipal *gt_principal_copy (const GtPrincipal *principal);
void         gt_principal_free (GtPrincipal *principal);
gboolean     gt_principal_require (const GtPrincipal *principal, GtRole role, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GtPrincipal, gt_principal_free)

G_END_DECLS
