/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Reading fields of a request body. Each answers FALSE with
 * GT_ERROR_INVALID_FIELD (details.field) when the member has the wrong type
 * or is out of range, or is missing while @required. A missing optional member
 * leaves @out alone and answers TRUE. */
gboolean gt_json_get_string (JsonObject  *object,
                             const char  *field,
                             gboolean     required,
                             gsize        max_len,
                             const char **out,
                             GError     **error);
gboolean gt_json_get_int (JsonObject *object,
                          const char *field,
                          gboolean    required,
                          gint64      min,
                          gint64      max,
                          gint64     *out,
                          GError    **error);
gboolean gt_json_get_bool (JsonObject *object,
                           const char *field,
                           gboolean    required,
                           gboolean   *out,
                           GError    **error);
gboolean gt_json_get_array (JsonObject *object,
                            const char *field,
                            gboolean    required,
                            JsonArray **out,
                            GError    **error);
gboolean gt_json_get_object (JsonObject  *object,
                             const char  *field,
                             gboolean     required,
                             JsonObject **out,
                             GError     **error);

/* @member of @object (which may be NULL) when it has that type, else NULL,
 * "" or 0: never a warning. */
JsonObject *gt_json_object_member (JsonObject *object, const char *member);
JsonArray  *gt_json_array_member (JsonObject *object, const char *member);
const char *gt_json_string_member (JsonObject *object, const char *member);
gint64      gt_json_int_member (JsonObject *object, const char *member);

/* RFC 3339 in UTC with a Z, from microseconds since the epoch. */
char    *gt_time_format (gint64 us);
gboolean gt_time_parse (const char *text, gint64 *us);
void     gt_json_set_time (JsonObject *object, const char *member, gint64 us);

char     *gt_json_to_string (JsonObject *object);
JsonNode *gt_json_parse (const char *text, gssize len, GError **error);

/* Appends @text to @out as a JSON string, quoted and escaped. */
void gt_json_append_string (GString *out, const char *text);

G_END_DECLS
