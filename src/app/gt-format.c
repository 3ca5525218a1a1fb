/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-format"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "gt-format.h"

typedef struct
{
  const char *code;
  const char *symbol;
  gboolean    space; /* between the symbol and the number */
  const char *group; /* thousands separator */
  const char *point; /* decimal separator */
} CurrencyStyle;

/* Only currencies whose symbol nobody at a counter would misread; the rest
 * show their ISO code. IDR is written the Indonesian way: "Rp 50.000,50". */
static const CurrencyStyle currency_styles[] = {
  { "IDR", "Rp", TRUE, ".", "," },
  { "EUR", "€", FALSE, ",", "." },
  { "USD", "$", FALSE, ",", "." },
  { "GBP", "£", FALSE, ",", "." },
};

static char *
group_digits (guint64 value, const char *separator)
{
  char     digits[32];
  GString *out = g_string_new (NULL);
  gsize    len;

  g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, value);
  len = strlen (digits);
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append (out, separator);
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

static char *
format_money (gint64 amount, const char *currency, int decimals, gboolean with_symbol)
{
  CurrencyStyle    style = { NULL, NULL, TRUE, ",", "." };
  g_autofree char *whole = NULL;
  GString         *out;
  guint64          magnitude;
  guint64          scale = 1;

  if (currency != NULL && *currency != '\0')
    {
      style.code = currency;
      style.symbol = currency;
      for (guint i = 0; i < G_N_ELEMENTS (currency_styles); i++)
        if (g_ascii_strcasecmp (currency, currency_styles[i].code) == 0)
          style = currency_styles[i];
    }

  /* 10^18 still fits a guint64; no currency has more than 3 decimals. */
  decimals = CLAMP (decimals, 0, 18);
  for (int i = 0; i < decimals; i++)
    scale *= 10;

  /* Negate in unsigned arithmetic so G_MININT64 does not overflow. */
  magnitude = amount < 0 ? (guint64) 0 - (guint64) amount : (guint64) amount;
  whole = group_digits (magnitude / scale, style.group);

  out = g_string_new (NULL);
  if (amount < 0)
    g_string_append_c (out, '-');
  if (with_symbol && style.symbol != NULL)
    {
      g_string_append (out, style.symbol);
      if (style.space)
        g_string_append_c (out, ' ');
    }
  g_string_append (out, whole);
  if (decimals > 0)
    g_string_append_printf (out, "%s%0*" G_GUINT64_FORMAT, style.point, decimals,
                            magnitude % scale);
  return g_string_free (out, FALSE);
}

char *
gt_format_money (gint64 amount, const char *currency, int decimals)
{
  return format_money (amount, currency, decimals, TRUE);
}

GTimeZone *
gt_format_zone (const char *timezone)
{
  GTimeZone *tz = timezone && timezone[0] ? g_time_zone_new_identifier (timezone) : NULL;

  return tz ? tz : g_time_zone_new_local ();
}

char *
gt_format_time (const char *rfc3339, const char *timezone, const char *format)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (GTimeZone) tz = NULL;
  char *text;

  if (rfc3339 == NULL || *rfc3339 == '\0')
    return g_strdup ("");

  /* No default zone: a time without an offset is not RFC 3339. */
  utc = g_date_time_new_from_iso8601 (rfc3339, NULL);
  if (utc == NULL)
    return g_strdup ("");

  tz = gt_format_zone (timezone);
  local = g_date_time_to_timezone (utc, tz);
  if (local == NULL)
    return g_strdup ("");

  if (format == NULL)
    /* Translators: date and time of a showtime, see g_date_time_format();
     * e.g. "Tue 24 Nov 2026, 19:30" */
    format = C_ ("showtime date", "%a %d %b %Y, %H:%M");

  text = g_date_time_format (local, format);
  return text != NULL ? text : g_strdup ("");
}

char *
gt_format_day (GDateTime *day)
{
  /* Translators: a day in a day chooser, see g_date_time_format(); "%-d"
   * is the day of the month without padding. E.g. "Tue 1 Dec" */
  return g_date_time_format (day, C_ ("day", "%a %-d %b"));
}

char *
gt_format_showtime_when (const char *starts_at_rfc3339, const char *timezone)
{
  return gt_format_time (starts_at_rfc3339, timezone, NULL);
}

char *
gt_format_clock (const char *rfc3339, const char *timezone)
{
  /* Translators: time of day, see g_date_time_format(); e.g. "19:30" */
  return gt_format_time (rfc3339, timezone, C_ ("time of day", "%H:%M"));
}

char *
gt_format_ticket_type (const char *type)
{
  GString *out;

  if (type == NULL || *type == '\0')
    return g_strdup ("");

  if (g_str_equal (type, "adult"))
    return g_strdup (C_ ("ticket type", "Adult"));
  if (g_str_equal (type, "child"))
    return g_strdup (C_ ("ticket type", "Child"));
  if (g_str_equal (type, "senior"))
    return g_strdup (C_ ("ticket type", "Senior"));
  if (g_str_equal (type, "student"))
    return g_strdup (C_ ("ticket type", "Student"));

  out = g_string_new (NULL);
  for (const char *p = type; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '_')
        c = ' ';
      else if (p == type)
        c = g_unichar_totitle (c);
      g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

gboolean
gt_format_split_seat (const char *seat_id, char **row, char **number)
{
  const char *digits;

  g_return_val_if_fail (row != NULL, FALSE);
  g_return_val_if_fail (number != NULL, FALSE);

  *row = NULL;
  *number = NULL;
  if (seat_id == NULL)
    return FALSE;

  digits = seat_id + strlen (seat_id);
  while (digits > seat_id && g_ascii_isdigit (digits[-1]))
    digits--;
  if (*digits == '\0' || digits == seat_id)
    return FALSE;

  *row = g_strndup (seat_id, digits - seat_id);
  *number = g_strdup (digits);
  return TRUE;
}

char *
gt_format_seat (const char *seat_id)
{
  g_autofree char *row = NULL;
  g_autofree char *number = NULL;

  if (seat_id == NULL || *seat_id == '\0')
    return g_strdup ("");

  if (!gt_format_split_seat (seat_id, &row, &number))
    /* Translators: a seat whose id has no row and number, e.g. "Seat BOX1A" */
    return g_strdup_printf (_ ("Seat %s"), seat_id);

  /* Translators: row label and seat number, e.g. "Row F · Seat 12" */
  return g_strdup_printf (_ ("Row %s · Seat %s"), row, number);
}

static char *
format_config_money (JsonObject *config, gint64 amount, gboolean with_symbol)
{
  if (config == NULL)
    return format_money (amount, "IDR", 0, with_symbol);
  return format_money (
    amount, json_object_get_string_member_with_default (config, "currency", "IDR"),
    (int) json_object_get_int_member_with_default (config, "currency_decimals", 0), with_symbol);
}

char *
gt_format_config_money (JsonObject *config, gint64 amount)
{
  return format_config_money (config, amount, TRUE);
}

char *
gt_format_config_amount (JsonObject *config, gint64 amount)
{
  return format_config_money (config, amount, FALSE);
}

char *
gt_format_booking_code (const char *text)
{
  g_autofree char *code = g_ascii_strup (text, -1);

  g_strstrip (code);
  if (strlen (code) != 9 || !g_str_has_prefix (code, "GT-"))
    return NULL;
  return g_steal_pointer (&code);
}

/* Reads an amount as a cashier types it ("100.000", "100000", "12.50"),
 * in minor units; -1 when it is not one. */
gint64
gt_format_parse_amount (const char *text, int decimals)
{
  gint64      value = 0;
  int         fraction_digits = -1;
  const char *last_sep = NULL;
  size_t      after_sep;

  for (const char *p = text; *p; p++)
    if (*p == '.' || *p == ',')
      last_sep = p;
  after_sep = last_sep != NULL ? strlen (last_sep + 1) : 0;
  /* With decimals, the last separator followed by at most that many digits
   * marks the fraction ("9.5" dollars are 9.50); every other one groups
   * thousands ("1,234"). */
  if (decimals > 0 && after_sep >= 1 && after_sep <= (size_t) decimals)
    fraction_digits = 0;
  else
    last_sep = NULL;

  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          if (value > G_MAXINT64 / 100)
            return -1;
          value = value * 10 + (*p - '0');
          if (fraction_digits >= 0 && p > last_sep)
            fraction_digits++;
        }
      else if (*p != '.' && *p != ',' && *p != ' ' && *p != '\'')
        return -1;
    }
  if (text[0] == '\0')
    return -1;
  for (int i = MAX (fraction_digits, 0); i < decimals; i++)
    value *= 10;
  return value;
}

guint
gt_format_quick_amounts (gint64 total, int decimals, gint64 amounts[GT_QUICK_AMOUNTS_MAX])
{
  static const gint64 rupiah[] = { 10000, 20000, 50000, 100000 };
  static const gint64 units[] = { 5, 10, 20, 50 };
  gint64              unit = 1;
  guint               n = 0;

  G_STATIC_ASSERT (G_N_ELEMENTS (rupiah) + 1 == GT_QUICK_AMOUNTS_MAX);
  g_return_val_if_fail (total >= 0, 0);

  for (int i = 0; i < decimals; i++)
    unit *= 10;
  amounts[n++] = total;
  for (guint i = 0; i < G_N_ELEMENTS (rupiah); i++)
    {
      gint64 note = decimals > 0 ? units[i] * unit : rupiah[i];
      gint64 amount = (total + note - 1) / note * note;
      guint  at = n;

      /* Rounded to a larger note it can come out lower (41,000: 60,000 in
       * twenties, 50,000 in fifties): kept in order, each once. */
      while (at > 1 && amounts[at - 1] > amount)
        at--;
      if (amounts[at - 1] == amount)
        continue;
      memmove (&amounts[at + 1], &amounts[at], (n - at) * sizeof *amounts);
      amounts[at] = amount;
      n++;
    }
  return n;
}

char *
gt_format_today (const char *timezone)
{
  g_autoptr (GTimeZone) tz = gt_format_zone (timezone);
  g_autoptr (GDateTime) now = g_date_time_new_now (tz);

  return g_date_time_format (now, "%Y-%m-%d");
}

GtkStringList *
gt_format_past_days (const char *timezone,
                     guint       n,
                     const char *extra_date,
                     char      **dates,
                     guint      *selected)
{
  g_autoptr (GTimeZone) tz = gt_format_zone (timezone);
  g_autoptr (GDateTime) now = g_date_time_new_now (tz);
  GtkStringList *labels = gtk_string_list_new (NULL);

  *selected = 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GDateTime) day = g_date_time_add_days (now, -(int) i);
      g_autofree char *when = gt_format_day (day);
      g_autofree char *label = NULL;

      g_free (dates[i]);
      dates[i] = g_date_time_format (day, "%Y-%m-%d");
      if (i == 0)
        /* Translators: a day chooser, e.g. "Today, Tue 24 Nov" */
        label = g_strdup_printf (_ ("Today, %s"), when);
      else if (i == 1)
        /* Translators: a day chooser, e.g. "Yesterday, Mon 23 Nov" */
        label = g_strdup_printf (_ ("Yesterday, %s"), when);
      else
        label = g_strdup (when);
      gtk_string_list_append (labels, label);
      if (g_strcmp0 (dates[i], extra_date) == 0)
        *selected = i;
    }
  /* A day the list does not have (asked for by its date) is shown as itself. */
  if (extra_date != NULL && g_strcmp0 (dates[*selected], extra_date) != 0)
    {
      gtk_string_list_append (labels, extra_date);
      *selected = n;
    }
  return labels;
}
