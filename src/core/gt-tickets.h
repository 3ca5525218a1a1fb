/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "gt-engine.h"

G_BEGIN_DECLS

#define GT_TICKET_PUBLIC_KEY_BYTES 32

/* Checks a ticket code against the server's Ed25519 public key (32 bytes,
 * /config's ticket_public_key decoded) and gives the ticket id it carries.
 * Needs nothing else, so a door can run it with the server away. */
gboolean gt_ticket_code_verify (const char *code, const guchar *public_key, gint64 *ticket_id);

/* GET /showtimes/{id}/tickets: what a door needs to admit the showtime's
 * tickets on its own, {"showtime_id","rev","sold","admitted","tickets":[
 * {"id","booking_id","seat","type","status","checked_in_at","door"}]}. */
JsonObject *gt_engine_list_showtime_tickets (GtEngine *self, gint64 showtime_id, GError **error);

/* POST /tickets/{code}/double-admission {"door","admitted_at"}: a door
 * that admitted the ticket offline learnt that another door had admitted it
 * too. Written to the audit log for the manager; answers the ticket. */
JsonObject *gt_engine_report_double_admission (GtEngine    *self,
                                               GtPrincipal *principal,
                                               const char  *code,
                                               JsonObject  *body,
                                               GError     **error);

G_END_DECLS
