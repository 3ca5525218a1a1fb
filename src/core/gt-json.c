/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-json"

#include "config.h"

#include "gt-error.h"
#include "gt-json.h"

static JsonNode *
get_member (JsonObject *object, const char *field, gboolean required, GError **error)
{
  JsonNode *node = object ? json_object_get_member (object, field) : NULL;

  if (node == NULL && required)
    gt_error_set_field (error, field, "“%s” is required", field);
  return node;
}

gboolean
gt_json_get_string (JsonObject  *object,
                    const char  *field,
                    gboolean     required,
                    gsize        max_len,
                    const char **out,
                    GError     **error)
{
  JsonNode   *node = get_member (object, field, required, error);
  const char *value;

  if (node == NULL)
    return !required;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      gt_error_set_field (error, field, "“%s” must be a string", field);
      return FALSE;
    }
  value = json_node_get_string (node);
  if (required && value[0] == '\0')
    {
      gt_error_set_field (error, field, "“%s” must not be empty", field);
      return FALSE;
    }
  if (strlen (value) > max_len)
    {
      gt_error_set_field (error, field, "“%s” is longer than %" G_GSIZE_FORMAT " bytes", field,
                          max_len);
      return FALSE;
    }
  if (!g_utf8_validate (value, -1, NULL))
    {
      gt_error_set_field (error, field, "“%s” is not valid UTF-8", field);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

gboolean
gt_json_get_int (JsonObject *object,
                 const char *field,
                 gboolean    required,
                 gint64      min,
                 gint64      max,
                 gint64     *out,
                 GError    **error)
{
  JsonNode *node = get_member (object, field, required, error);
  gint64    value;

  if (node == NULL)
    return !required;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      gt_error_set_field (error, field, "“%s” must be a whole number", field);
      return FALSE;
    }
  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      gt_error_set_field (error, field,
                          "“%s” must be between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT, field,
                          min, max);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

gboolean
gt_json_get_bool (JsonObject *object,
                  const char *field,
                  gboolean    required,
                  gboolean   *out,
                  GError    **error)
{
  JsonNode *node = get_member (object, field, required, error);

  if (node == NULL)
    return !required;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      gt_error_set_field (error, field, "“%s” must be true or false", field);
      return FALSE;
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
gt_json_get_array (JsonObject *object,
                   const char *field,
                   gboolean    required,
                   JsonArray **out,
                   GError    **error)
{
  JsonNode *node = get_member (object, field, required, error);

  if (node == NULL)
    return !required;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      gt_error_set_field (error, field, "“%s” must be a list", field);
      return FALSE;
    }
  *out = json_node_get_array (node);
  return TRUE;
}

gboolean
gt_json_get_object (JsonObject  *object,
                    const char  *field,
                    gboolean     required,
                    JsonObject **out,
                    GError     **error)
{
  JsonNode *node = get_member (object, field, required, error);

  if (node == NULL)
    return !required;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      gt_error_set_field (error, field, "“%s” must be an object", field);
      return FALSE;
    }
  *out = json_node_get_object (node);
  return TRUE;
}

char *
gt_time_format (gint64 us)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (us / G_USEC_PER_SEC);

  if (dt == NULL)
    return g_strdup ("1970-01-01T00:00:00Z");
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

gboolean
gt_time_parse (const char *text, gint64 *us)
{
  g_autoptr (GDateTime) dt = NULL;

  /* RFC 3339 needs a date, a time and an offset; GLib takes more forms. */
  if (text == NULL || strlen (text) < 20 || text[4] != '-' || text[10] != 'T')
    return FALSE;
  dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    return FALSE;
  *us = g_date_time_to_unix (dt) * G_USEC_PER_SEC;
  return TRUE;
}

void
gt_json_set_time (JsonObject *object, const char *member, gint64 us)
{
  g_autofree char *text = gt_time_format (us);

  json_object_set_string_member (object, member, text);
}

char *
gt_json_to_string (JsonObject *object)
{
  g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

void
gt_json_append_string (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      else if ((guchar) *p < 0x20)
        g_string_append_printf (out, "\\u%04x", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* Whether @text escapes a NUL ("\u0000") in a string: JSON-GLib ends the
 * string there and drops the rest without a word. */
static gboolean
has_escaped_nul (const char *text, gsize len)
{
  const char *end = text + len;
  const char *p = text;

  while ((p = memchr (p, '\\', end - p)) != NULL)
    {
      gsize run = 0;

      for (; p < end && *p == '\\'; p++)
        run++;
      if (run % 2 == 1 && end - p >= 5 && g_ascii_strncasecmp (p, "u0000", 5) == 0)
        return TRUE;
    }
  return FALSE;
}

JsonNode *
gt_json_parse (const char *text, gssize len, GError **error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();

  if (has_escaped_nul (text, len < 0 ? strlen (text) : (gsize) len))
    {
      gt_error_set (error, GT_ERROR_BAD_JSON, NULL,
                    "The request body has a NUL character (\\u0000) in a string");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, text, len, NULL))
    {
      gt_error_set (error, GT_ERROR_BAD_JSON, NULL, "The request body is not valid JSON");
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      gt_error_set (error, GT_ERROR_BAD_JSON, NULL, "The request body is empty");
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

JsonObject *
gt_json_object_member (JsonObject *object, const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

JsonArray *
gt_json_array_member (JsonObject *object, const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

const char *
gt_json_string_member (JsonObject *object, const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
             && json_node_get_value_type (node) == G_TYPE_STRING
           ? json_node_get_string (node)
           : "";
}

gint64
gt_json_int_member (JsonObject *object, const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_int (node) : 0;
}
