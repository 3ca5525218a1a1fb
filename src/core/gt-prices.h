/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The prices a showtime starting at @local_start (in the cinema's time zone)
 * gets from the manager's @price_defaults
 * ({"matinee":{"until":"HH:MM","prices"},"evening":{"prices"},"weekend":{"prices"}}):
 * weekend ones on Saturday and Sunday, matinee ones before "until" (17:00 if
 * not said), else evening ones. NULL when there are none. The server and
 * the manager's form choose alike. */
JsonObject *gt_prices_for (JsonObject *price_defaults, GDateTime *local_start);

G_END_DECLS
