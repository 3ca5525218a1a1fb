/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "gt-schedule-page.h"

G_BEGIN_DECLS

/* The day shown, as YYYY-MM-DD in the cinema's time zone. */
const char *_gt_schedule_page_get_date (GtSchedulePage *self);
/* The status page shown when the day has no showtimes, or NULL while it is not shown. */
AdwStatusPage *_gt_schedule_page_get_empty_page (GtSchedulePage *self);
/* Whether the showtime's button is shown and can be clicked. */
gboolean _gt_schedule_page_is_on_sale (GtSchedulePage *self, gint64 showtime_id);
/* Makes the page see @now (µs since 1970) as the time it is; 0 for the clock. */
void _gt_schedule_page_set_now (GtSchedulePage *self, gint64 now);

G_END_DECLS
