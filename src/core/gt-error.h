/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define GT_ERROR (gt_error_quark ())

/* One code per answer a client can act on. The server maps each to an HTTP
 * status and a wire name in one table (gt-server-errors.c). */
typedef enum
{
  GT_ERROR_INTERNAL,
  GT_ERROR_BAD_JSON,
  GT_ERROR_UNAUTHORIZED,
  GT_ERROR_INVALID_CREDENTIALS,
  GT_ERROR_FORBIDDEN,
  GT_ERROR_NOT_FOUND,
  GT_ERROR_SEAT_UNAVAILABLE,
  GT_ERROR_SHOWTIME_OVERLAP,
  GT_ERROR_SHOWTIME_CLOSED,
  GT_ERROR_ALREADY_CHECKED_IN,
  GT_ERROR_CONFLICT,
  GT_ERROR_HOLD_EXPIRED,
  GT_ERROR_TOO_LARGE,
  GT_ERROR_INVALID_FIELD,
  GT_ERROR_UNKNOWN_SEAT,
  GT_ERROR_PAYMENT_INSUFFICIENT,
  GT_ERROR_INVALID_TICKET,
  GT_ERROR_TOO_MANY_ATTEMPTS,
  GT_ERROR_METHOD_NOT_ALLOWED,
  GT_ERROR_UPGRADE_REQUIRED,
} GtErrorCode;

GQuark      gt_error_quark (void);
const char *gt_error_code_name (GtErrorCode code);
GtErrorCode gt_error_code_from_name (const char *name);

/* Sets @error to @code with a message and, when @details is not %NULL, takes
 * ownership of @details (extra fields a client can act on). */
void gt_error_set (GError **error, GtErrorCode code, JsonObject *details, const char *format, ...)
  G_GNUC_PRINTF (4, 5);
void gt_error_set_field (GError **error, const char *field, const char *format, ...)
  G_GNUC_PRINTF (3, 4);
/* Makes the field of an invalid_field error a member of @parent
 * ("tendered" → "payment.tendered"); returns FALSE, to end a check. */
gboolean    gt_error_nest_field (GError **error, const char *parent);
JsonObject *gt_error_get_details (const GError *error);

G_END_DECLS
