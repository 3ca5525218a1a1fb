/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-prices"

#include "config.h"

#include "gt-json.h"
#include "gt-prices.h"

JsonObject *
gt_prices_for (JsonObject *price_defaults, GDateTime *local_start)
{
  g_autofree char *clock = NULL;
  JsonObject      *tier = NULL;

  if (price_defaults == NULL || local_start == NULL)
    return NULL;
  clock = g_date_time_format (local_start, "%H:%M");

  if (g_date_time_get_day_of_week (local_start) >= 6)
    tier = gt_json_object_member (price_defaults, "weekend");
  if (tier == NULL && (tier = gt_json_object_member (price_defaults, "matinee")) != NULL
      && g_strcmp0 (clock, json_object_get_string_member_with_default (tier, "until", "17:00"))
           >= 0)
    tier = NULL;
  if (tier == NULL)
    tier = gt_json_object_member (price_defaults, "evening");
  return gt_json_object_member (tier, "prices");
}
