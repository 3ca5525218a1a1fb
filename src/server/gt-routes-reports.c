/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-routes"

#include "config.h"

#include "gt-server-private.h"

typedef JsonObject *(*ReportFunc) (GtEngine *, GtPrincipal *, const char *, GError **);
typedef char *(*CsvFunc) (JsonObject *);

/* JSON, or with ?format=csv a CSV download named after the report and day. */
static JsonObject *
report (GtRequest *request, const char *name, ReportFunc make, CsvFunc to_csv, GError **error)
{
  const char *date = request->query ? g_hash_table_lookup (request->query, "date") : NULL;
  const char *format = request->query ? g_hash_table_lookup (request->query, "format") : NULL;
  g_autoptr (JsonObject) result = NULL;

  if (format != NULL && !g_str_equal (format, "json") && !g_str_equal (format, "csv"))
    {
      gt_error_set_field (error, "format", "The format is “json” or “csv”");
      return NULL;
    }
  if (!(result = make (request->engine, request->principal, date, error)))
    return NULL;
  if (format == NULL || g_str_equal (format, "json"))
    return g_steal_pointer (&result);

  request->text = to_csv (result);
  request->text_type = "text/csv; charset=utf-8";
  request->attachment = g_strdup_printf ("go-ticket-%s-%s.csv", name,
                                         json_object_get_string_member (result, "date"));
  return NULL;
}

static JsonObject *
report_sales (GtRequest *request, guint *status, GError **error)
{
  return report (request, "sales", gt_engine_report_sales, gt_report_sales_to_csv, error);
}

static JsonObject *
report_cashup (GtRequest *request, guint *status, GError **error)
{
  return report (request, "cashup", gt_engine_report_cashup, gt_report_cashup_to_csv, error);
}

static JsonObject *
count_drawer (GtRequest *request, guint *status, GError **error)
{
  *status = 201;
  return gt_engine_count_drawer (request->engine, request->principal, request->body, error);
}

const GtRoute gt_routes_reports[] = {
  { "GET", "/reports/sales", GT_ROLE_MANAGER, report_sales },
  { "GET", "/reports/cashup", GT_ROLE_MANAGER, report_cashup },
  { "POST", "/reports/cashup/counts", GT_ROLE_MANAGER, count_drawer },
  { NULL },
};
