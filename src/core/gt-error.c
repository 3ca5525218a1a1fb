/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-error"

#include "config.h"

#include "gt-error.h"

typedef struct
{
  JsonObject *details;
} GtErrorPrivate;

static void
gt_error_private_init (GtErrorPrivate *priv)
{
  priv->details = NULL;
}

static void
gt_error_private_copy (const GtErrorPrivate *src, GtErrorPrivate *dest)
{
  dest->details = src->details ? json_object_ref (src->details) : NULL;
}

static void
gt_error_private_clear (GtErrorPrivate *priv)
{
  g_clear_pointer (&priv->details, json_object_unref);
}

G_DEFINE_EXTENDED_ERROR (GtError, gt_error)

static const char *const code_names[] = {
  [GT_ERROR_INTERNAL] = "internal",
  [GT_ERROR_BAD_JSON] = "bad_json",
  [GT_ERROR_UNAUTHORIZED] = "unauthorized",
  [GT_ERROR_INVALID_CREDENTIALS] = "invalid_credentials",
  [GT_ERROR_FORBIDDEN] = "forbidden",
  [GT_ERROR_NOT_FOUND] = "not_found",
  [GT_ERROR_SEAT_UNAVAILABLE] = "seat_unavailable",
  [GT_ERROR_SHOWTIME_OVERLAP] = "showtime_overlap",
  [GT_ERROR_SHOWTIME_CLOSED] = "showtime_closed",
  [GT_ERROR_ALREADY_CHECKED_IN] = "already_checked_in",
  [GT_ERROR_CONFLICT] = "conflict",
  [GT_ERROR_HOLD_EXPIRED] = "hold_expired",
  [GT_ERROR_TOO_LARGE] = "too_large",
  [GT_ERROR_INVALID_FIELD] = "invalid_field",
  [GT_ERROR_UNKNOWN_SEAT] = "unknown_seat",
  [GT_ERROR_PAYMENT_INSUFFICIENT] = "payment_insufficient",
  [GT_ERROR_INVALID_TICKET] = "invalid_ticket",
  [GT_ERROR_TOO_MANY_ATTEMPTS] = "too_many_attempts",
  [GT_ERROR_METHOD_NOT_ALLOWED] = "method_not_allowed",
  [GT_ERROR_UPGRADE_REQUIRED] = "upgrade_required",
};

const char *
gt_error_code_name (GtErrorCode code)
{
  if ((guint) code >= G_N_ELEMENTS (code_names) || code_names[code] == NULL)
    return "internal";
  return code_names[code];
}

GtErrorCode
gt_error_code_from_name (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (code_names); i++)
    if (code_names[i] != NULL && g_str_equal (code_names[i], name))
      return (GtErrorCode) i;
  return GT_ERROR_INTERNAL;
}

static void
set_valist (GError **error, GtErrorCode code, JsonObject *details, const char *format, va_list args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);
  GtErrorPrivate  *priv;

  if (error == NULL)
    {
      g_clear_pointer (&details, json_object_unref);
      return;
    }

  g_set_error_literal (error, GT_ERROR, code, message);
  priv = gt_error_get_private (*error);
  if (priv != NULL)
    priv->details = details;
  else
    g_clear_pointer (&details, json_object_unref);
}

void
gt_error_set (GError **error, GtErrorCode code, JsonObject *details, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  set_valist (error, code, details, format, args);
  va_end (args);
}

void
gt_error_set_field (GError **error, const char *field, const char *format, ...)
{
  JsonObject *details = json_object_new ();
  va_list     args;

  json_object_set_string_member (details, "field", field);
  va_start (args, format);
  set_valist (error, GT_ERROR_INVALID_FIELD, details, format, args);
  va_end (args);
}

gboolean
gt_error_nest_field (GError **error, const char *parent)
{
  JsonObject *details = error ? gt_error_get_details (*error) : NULL;

  if (details != NULL && (*error)->code == GT_ERROR_INVALID_FIELD
      && json_object_has_member (details, "field"))
    {
      g_autofree char *field = g_strdup_printf ("%s.%s", parent,
                                                json_object_get_string_member (details, "field"));

      json_object_set_string_member (details, "field", field);
    }
  return FALSE;
}

JsonObject *
gt_error_get_details (const GError *error)
{
  GtErrorPrivate *priv;

  if (error == NULL || error->domain != GT_ERROR)
    return NULL;
  priv = gt_error_get_private (error);
  return priv ? priv->details : NULL;
}
