/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Formatting shared by the views and the printed ticket. None of these need
 * GTK; every result is a newly allocated UTF-8 string, never NULL. */

/* clang-format off */

/* @amount in the currency's minor unit. IDR with 0 decimals: "Rp 50.000";
 * USD with 2: "$12.50"; EUR: "€12.50"; an unknown code: "CHF 12.50".
 * Negative amounts get a leading "-". */
char     *gt_format_money          (gint64      amount,
                                    const char *currency,
                                    int         decimals);
/* @amount in the currency of the server's /config answer @config (which may
 * be NULL before it is known: then IDR). */
char *gt_format_config_money   (JsonObject *config,
                                gint64      amount);
/* The same without the currency's symbol ("300.000", "12.50"), as a cashier
 * types an amount; gt_format_parse_amount() reads it back. */
char *gt_format_config_amount (JsonObject *config,
                               gint64      amount);
/* The zone @timezone names (an IANA identifier), or the computer's local
 * one when it is NULL or unknown. */
GTimeZone *gt_format_zone (const char *timezone);
/* @rfc3339 shown in @timezone (an IANA identifier; NULL or unknown: the
 * computer's local zone) with the g_date_time_format() @format (NULL: the
 * same as gt_format_showtime_when()). A NULL or invalid time gives "". */
char     *gt_format_time           (const char *rfc3339,
                                    const char *timezone,
                                    const char *format);
/* "Tue 24 Nov 2026, 19:30" in the cinema's time zone. */
char     *gt_format_showtime_when  (const char *starts_at_rfc3339,
                                    const char *timezone);
/* A day as a day chooser shows it: "Tue 1 Dec" (no padding). */
char     *gt_format_day            (GDateTime  *day);
/* "19:30" in the cinema's time zone. */
char     *gt_format_clock          (const char *rfc3339,
                                    const char *timezone);
/* "adult" → "Adult" (translated) for the well-known types; any other name
 * capitalised with '_' shown as a space ("vip_couple" → "Vip couple"). */
char     *gt_format_ticket_type    (const char *type);
/* A seat id is the row label and the seat number: "F12" → "Row F · Seat 12".
 * An id without a trailing number is shown as "Seat <id>". */
char     *gt_format_seat           (const char *seat_id);
/* Splits @seat_id into its row label and number; FALSE when it has no
 * trailing digits or no row label. */
gboolean  gt_format_split_seat     (const char  *seat_id,
                                    char       **row,
                                    char       **number);

/* clang-format on */

/* "GT-7K3Q9A" in capitals when @text is a booking code, whatever its case
 * and the spaces around it; NULL when it is not. */
char *gt_format_booking_code (const char *text);

/* An amount as a cashier types it ("100.000", "100000", "12.50") in minor
 * units of a currency with @decimals; -1 when it is not one. */
gint64 gt_format_parse_amount (const char *text, int decimals);

/* What a customer is likely to hand over for @total (minor units), from the
 * lowest: the exact amount, then @total rounded up to each note a customer
 * pays with, each amount once. Without minor units the notes are the
 * rupiah's 10,000 to 100,000; with them, notes of 5 to 50 units. Returns
 * how many were put in @amounts (1 to GT_QUICK_AMOUNTS_MAX). */
#define GT_QUICK_AMOUNTS_MAX 5
guint gt_format_quick_amounts (gint64 total, int decimals, gint64 amounts[GT_QUICK_AMOUNTS_MAX]);

/* The day it is now in @timezone (the local one if NULL or unknown),
 * YYYY-MM-DD. */
char *gt_format_today (const char *timezone);

/* Today and the @n - 1 days before it in @timezone, for a day chooser:
 * their dates (YYYY-MM-DD) in @dates (freed by the caller) and labels
 * ("Today, Tue 24 Nov", "Yesterday, …", "Sun 22 Nov"), plus @extra_date's
 * own entry when it is not one of them. @selected: @extra_date's place. */
GtkStringList *gt_format_past_days (const char *timezone,
                                    guint       n,
                                    const char *extra_date,
                                    char      **dates,
                                    guint      *selected);

G_END_DECLS
