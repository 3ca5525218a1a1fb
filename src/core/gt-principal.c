/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-principal"

#include "config.h"

#include "gt-error.h"
#include "gt-principal.h"

G_DEFINE_BOXED_TYPE (GtPrincipal, gt_principal, gt_principal_copy, gt_principal_free)

static const char *const role_names[] = { NULL, "cashier", "manager", "admin" };

GtRole
gt_role_from_string (const char *name)
{
  for (guint i = GT_ROLE_CASHIER; name != NULL && i < G_N_ELEMENTS (role_names); i++)
    if (g_str_equal (name, role_names[i]))
      return (GtRole) i;
  return GT_ROLE_NONE;
}

const char *
gt_role_to_string (GtRole role)
{
  g_return_val_if_fail (role > GT_ROLE_NONE && role <= GT_ROLE_ADMIN, NULL);
  return role_names[role];
}

GtPrincipal *
gt_principal_copy (const GtPrincipal *principal)
{
  GtPrincipal *copy;

  g_return_val_if_fail (principal != NULL, NULL);

  copy = g_memdup2 (principal, sizeof *principal);
  copy->username = g_strdup (principal->username);
  copy->display_name = g_strdup (principal->display_name);
  copy->counter = g_strdup (principal->counter);
  return copy;
}

void
gt_principal_free (GtPrincipal *principal)
{
  if (principal == NULL)
    return;
  g_free (principal->username);
  g_free (principal->display_name);
  g_free (principal->counter);
  g_free (principal);
}

gboolean
gt_principal_require (const GtPrincipal *principal, GtRole role, GError **error)
{
  if (principal == NULL || principal->role >= role)
    return TRUE;
  gt_error_set (error, GT_ERROR_FORBIDDEN, NULL, "This needs the %s role",
                gt_role_to_string (role));
  return FALSE;
}
