/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-reports"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "gt-app-fixture.h"
#include "gt-format.h"
#include "gt-json.h"

/* A cashier sells two tickets for cash and one by card, a manager refunds
 * one of the cash sales with a reason. The manager's Reports tab then shows
 * for that day what each drawer should hold, the same figures in the CSV
 * and on the printed cash-up, and the Audit tab shows the refund and why. */

#define REASON "Customer felt unwell"

typedef struct
{
  JsonObject *answer;
  GError     *error;
  gboolean    done;
} Call;

static void
on_call_cb (GObject *object, GAsyncResult *result, gpointer data)
{
  Call *call = data;

  call->answer = gt_client_call_finish (GT_CLIENT (object), result, &call->error);
  call->done = TRUE;
}

static gboolean
call_done (gpointer data)
{
  return ((Call *) data)->done;
}

/* gt_app_call() with an idempotency key, as a checkout needs; answered. */
static JsonObject *
call (GtClient *client, const char *method, const char *path, const char *body, const char *key)
{
  g_autoptr (JsonNode) node = body ? gt_json_parse (body, -1, NULL) : NULL;
  Call call = { 0 };

  gt_client_call_async (client, method, path, node ? json_node_get_object (node) : NULL, key, NULL,
                        on_call_cb, &call);
  gt_app_wait (path, call_done, &call, 30);
  if (call.error != NULL)
    g_error ("%s %s: %s", method, path, call.error->message);
  return call.answer;
}

static GtClient *
signed_in (GtAppFixture *fixture, const char *user, const char *counter)
{
  GtClient *client = gt_client_new (
    gt_client_get_base_url (gt_application_get_client (fixture->app)));
  g_autofree char *body = g_strdup_printf (
    "{\"username\":\"%s\",\"password\":\"%s\",\"counter\":\"%s\"}", user, user, counter);
  g_autoptr (JsonObject) answer = call (client, "POST", "/sessions", body, NULL);

  gt_client_set_token (client, json_object_get_string_member (answer, "token"));
  return client;
}

/* A showtime that starts well after the test ends, with seats to sell. */
static JsonObject *
upcoming_showtime (GtClient *client)
{
  g_autoptr (JsonObject) list = call (client, "GET", "/showtimes", NULL, NULL);
  JsonArray *showtimes = json_object_get_array_member (list, "showtimes");
  gint64     now = g_get_real_time ();

  for (guint i = 0; i < json_array_get_length (showtimes); i++)
    {
      JsonObject *showtime = json_array_get_object_element (showtimes, i);
      gint64      starts = 0;

      gt_time_parse (json_object_get_string_member (showtime, "starts_at"), &starts);
      if (starts > now + 10 * G_TIME_SPAN_MINUTE
          && json_object_get_int_member (showtime, "seats_free") >= 3)
        return json_object_ref (showtime);
    }
  g_assert_not_reached ();
}

/* Sells one adult ticket of @showtime paid with @method; gives the booking. */
static JsonObject *
sell (GtClient *cashier, JsonObject *showtime, const char *method, gint64 price)
{
  g_autofree char *path = g_strdup_printf ("/showtimes/%" G_GINT64_FORMAT "/holds",
                                           json_object_get_int_member (showtime, "id"));
  g_autoptr (JsonObject) hold = call (cashier, "POST", path, "{\"count\":1}", NULL);
  g_autofree char *checkout = g_strdup_printf ("/holds/%" G_GINT64_FORMAT "/checkout",
                                               json_object_get_int_member (hold, "id"));
  g_autofree char *payment =
    g_str_equal (method, "cash")
      ? g_strdup_printf ("{\"method\":\"cash\",\"tendered\":%" G_GINT64_FORMAT "}", price)
      : g_strdup ("{\"method\":\"card\",\"reference\":\"1234\"}");
  g_autofree char *body = g_strdup_printf (
    "{\"tickets\":[{\"seat\":\"%s\",\"type\":\"adult\"}],\"payment\":%s}",
    json_array_get_string_element (json_object_get_array_member (hold, "seats"), 0), payment);
  g_autofree char *key = g_uuid_string_random ();

  return call (cashier, "POST", checkout, body, key);
}

static JsonObject *
cashup_row (JsonObject *cashup, const char *username, const char *counter)
{
  JsonArray *rows = json_object_get_array_member (cashup, "cashiers");

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      JsonObject *user = json_object_get_object_member (row, "user");

      if (g_str_equal (json_object_get_string_member (user, "username"), username)
          && g_str_equal (json_object_get_string_member (row, "counter"), counter))
        return row;
    }
  return NULL;
}

static gint64
method_member (JsonObject *row, const char *method, const char *member)
{
  return json_object_get_int_member (json_object_get_object_member (row, method), member);
}

static gboolean
reports_loaded (gpointer data)
{
  return gt_reports_view_get_cashup (data) != NULL && gt_reports_view_get_sales (data) != NULL;
}

static gboolean
drawer_counted (gpointer data)
{
  JsonObject *cashup = gt_reports_view_get_cashup (data);
  JsonObject *row = cashup ? cashup_row (cashup, "cashier2", "Counter 7") : NULL;

  return row != NULL && json_object_get_member (row, "count") != NULL
         && !json_object_get_null_member (row, "count");
}

static gboolean
audit_loaded (gpointer data)
{
  return gt_audit_view_get_entries (data) != NULL;
}

typedef struct
{
  gboolean done;
  gboolean saved;
  GError  *error;
} Save;

static void
on_saved_cb (GObject *object, GAsyncResult *result, gpointer data)
{
  Save *save = data;

  save->saved = gt_reports_view_save_csv_finish (GT_REPORTS_VIEW (object), result, &save->error);
  save->done = TRUE;
}

static gboolean
save_done (gpointer data)
{
  return ((Save *) data)->done;
}

static char *
save_csv (GtReportsView *view, const char *which, const char *dir)
{
  g_autofree char *name = g_strdup_printf ("%s.csv", which);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GError) error = NULL;
  Save  save = { 0 };
  char *contents = NULL;

  gt_reports_view_save_csv_async (view, which, file, NULL, on_saved_cb, &save);
  gt_app_wait ("the CSV to be saved", save_done, &save, 30);
  g_assert_no_error (save.error);
  g_assert_true (save.saved);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_unlink (path);
  return contents;
}

/* The CSV line of @username at @counter, split into its fields (none of
 * this test's fields needs quoting). */
static GStrv
csv_fields (const char *csv, const char *username, const char *counter)
{
  g_auto (GStrv) lines = g_strsplit (csv, "\r\n", -1);

  for (guint i = 1; lines[i] != NULL; i++)
    {
      GStrv fields = g_strsplit (lines[i], ",", -1);

      if (g_strv_length (fields) == 18 && g_str_equal (fields[1], username)
          && g_str_equal (fields[3], counter))
        return fields;
      g_strfreev (fields);
    }
  return NULL;
}

static gint64
field (GStrv fields, guint i)
{
  return g_ascii_strtoll (fields[i], NULL, 10);
}

static gboolean
have_tool (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  return path != NULL;
}

static char *
pdf_text (const char *pdf)
{
  const char *argv[] = { "pdftotext", "-layout", "-enc", "UTF-8", pdf, "-", NULL };
  g_autoptr (GError) error = NULL;
  char *out = NULL;
  int   status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
  return out;
}

static gboolean
time_passed (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

static void
maybe_screenshot (GtAppFixture *fixture, const char *name)
{
  const char *dir = g_getenv ("GT_TEST_SCREENSHOT_DIR");

  if (dir != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      gint64           until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

      /* Let transitions end: only for pictures, never for what is tested. */
      g_mkdir_with_parents (dir, 0755);
      gt_app_wait ("the page to settle", time_passed, &until, 5);
      gt_app_save_screenshot (fixture, path);
    }
}

static void
test_cashup_matches_the_day (void)
{
  GtAppFixture fixture = { 0 };
  g_autoptr (GtClient) cashier = NULL;
  g_autoptr (GtClient) manager = NULL;
  g_autoptr (JsonObject) showtime = NULL;
  g_autoptr (JsonObject) cash1 = NULL;
  g_autoptr (JsonObject) cash2 = NULL;
  g_autoptr (JsonObject) card = NULL;
  g_autoptr (JsonObject) refunded = NULL;
  g_autoptr (JsonObject) config = NULL;
  g_autoptr (GTimeZone) tz = NULL;
  g_autoptr (GDateTime) now = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *today = NULL;
  g_autofree char *refund_path = NULL;
  g_autofree char *cashup_csv = NULL;
  g_autofree char *sales_csv = NULL;
  g_autofree char *expected_text = NULL;
  g_autofree char *pdf = NULL;
  g_autofree char *text = NULL;
  g_auto (GStrv) fields = NULL;
  GtManagePage  *manage;
  GtReportsView *reports;
  GtAuditView   *audit;
  JsonObject    *row;
  JsonArray     *entries;
  gint64         price;
  gint64         expected_cash;
  gboolean       refund_listed = FALSE;

  gt_app_fixture_start (&fixture, 0, TRUE);
  gt_app_sign_in (&fixture, "manager");

  /* The day's money, as the test makes it. */
  cashier = signed_in (&fixture, "cashier2", "Counter 7");
  manager = signed_in (&fixture, "manager", "Office");
  showtime = upcoming_showtime (cashier);
  price = json_object_get_int_member (json_object_get_object_member (showtime, "prices"), "adult");
  cash1 = sell (cashier, showtime, "cash", price);
  cash2 = sell (cashier, showtime, "cash", price);
  card = sell (cashier, showtime, "card", price);
  refund_path = g_strdup_printf ("/bookings/%" G_GINT64_FORMAT "/refund",
                                 json_object_get_int_member (cash2, "id"));
  refunded = call (manager, "POST", refund_path, "{\"reason\":\"" REASON "\"}", NULL);
  g_assert_cmpstr (json_object_get_string_member (refunded, "status"), ==, "refunded");
  /* Sold at the counter: all three; paid back from the manager's drawer. */
  expected_cash = 2 * price;

  config = gt_replica_dup_config (gt_application_get_replica (fixture.app));
  tz = g_time_zone_new_identifier (json_object_get_string_member (config, "timezone"));
  now = g_date_time_new_now (tz);
  today = g_date_time_format (now, "%Y-%m-%d");

  gtk_widget_activate_action (GTK_WIDGET (fixture.window), "win.manage", NULL);
  gt_app_wait_page (&fixture, "manage");
  manage = _gt_window_get_manage_page (fixture.window);
  reports = gt_manage_page_get_reports_view (manage);
  gt_reports_view_show_day (reports, today);
  gt_app_wait ("the reports", reports_loaded, reports, 30);

  row = cashup_row (gt_reports_view_get_cashup (reports), "cashier2", "Counter 7");
  g_assert_nonnull (row);
  g_assert_cmpint (method_member (row, "cash", "sales"), ==, 2 * price);
  g_assert_cmpint (method_member (row, "cash", "sales_count"), ==, 2);
  g_assert_cmpint (method_member (row, "cash", "refunds"), ==, 0);
  g_assert_cmpint (method_member (row, "card", "sales"), ==, price);
  g_assert_cmpint (method_member (row, "card", "refunds"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (row, "net"), ==, 3 * price);
  g_assert_cmpint (json_object_get_int_member (row, "expected_cash"), ==, expected_cash);
  row = cashup_row (gt_reports_view_get_cashup (reports), "manager", "Office");
  g_assert_nonnull (row);
  g_assert_cmpint (method_member (row, "cash", "refunds"), ==, price);
  g_assert_cmpint (method_member (row, "cash", "refunds_count"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (row, "expected_cash"), ==, -price);
  g_assert_cmpint (json_object_get_int_member (
                     json_object_get_object_member (gt_reports_view_get_cashup (reports), "totals"),
                     "expected_cash"),
                   ==, expected_cash - price);

  /* What the manager reads: the drawer's amount, large, and the cashier. */
  expected_text = gt_format_config_money (config, expected_cash);
  g_assert_true (gt_app_shows_label (GTK_WIDGET (reports), expected_text));
  g_assert_true (gt_app_shows_label (GTK_WIDGET (reports), "Dimas Cashier"));
  maybe_screenshot (&fixture, "reports.png");
  if (g_getenv ("GT_TEST_SCREENSHOT_DIR") != NULL)
    {
      GtkWidget *scrolled = GTK_WIDGET (reports);

      while (scrolled != NULL && !GTK_IS_SCROLLED_WINDOW (scrolled))
        scrolled = gtk_widget_get_first_child (scrolled);
      if (scrolled != NULL)
        {
          GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (
            GTK_SCROLLED_WINDOW (scrolled));

          gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
          maybe_screenshot (&fixture, "reports-sales.png");
          gtk_adjustment_set_value (adjustment, 0);
        }
    }

  /* The sales report counts the tickets left at the showtime's day. */
  {
    g_autofree char *day = gt_format_time (json_object_get_string_member (showtime, "starts_at"),
                                           json_object_get_string_member (config, "timezone"),
                                           "%Y-%m-%d");
    JsonArray       *showtimes;
    gboolean         found = FALSE;

    gt_reports_view_show_day (reports, day);
    gt_app_wait ("the showtime's reports", reports_loaded, reports, 30);
    showtimes = json_object_get_array_member (gt_reports_view_get_sales (reports), "showtimes");
    for (guint i = 0; i < json_array_get_length (showtimes); i++)
      {
        JsonObject *item = json_array_get_object_element (showtimes, i);

        if (json_object_get_int_member (item, "id") == json_object_get_int_member (showtime, "id"))
          {
            g_assert_cmpint (json_object_get_int_member (item, "tickets_sold"), ==, 2);
            g_assert_cmpint (json_object_get_int_member (item, "revenue"), ==, 2 * price);
            found = TRUE;
          }
      }
    g_assert_true (found);
    gt_reports_view_show_day (reports, today);
    gt_app_wait ("today's reports", reports_loaded, reports, 30);
  }

  /* The manager counts the drawer: Rp 1.000 short, said on its card, in
   * the day's totals and on paper. What is not an amount is refused. */
  {
    JsonObject      *user;
    g_autofree char *counted = g_strdup_printf ("%" G_GINT64_FORMAT, expected_cash - 1000);
    g_autofree char *short_by = gt_format_config_money (config, 1000);

    row = cashup_row (gt_reports_view_get_cashup (reports), "cashier2", "Counter 7");
    user = json_object_get_object_member (row, "user");
    gt_reports_view_count_drawer (reports, json_object_get_int_member (user, "id"), "Counter 7",
                                  "a lot");
    g_assert_true (g_str_has_prefix (gt_reports_view_get_message (reports), "Type the cash"));
    g_assert_false (drawer_counted (reports));
    gt_reports_view_count_drawer (reports, json_object_get_int_member (user, "id"), "Counter 7",
                                  counted);
    gt_app_wait ("the count", drawer_counted, reports, 30);
    row = cashup_row (gt_reports_view_get_cashup (reports), "cashier2", "Counter 7");
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (row, "count"),
                                                 "difference"),
                     ==, -1000);
    g_free (text);
    text = g_strdup_printf ("%s short", short_by);
    g_assert_true (gt_app_shows_label (GTK_WIDGET (reports), text));
    g_assert_true (gt_app_shows_label (GTK_WIDGET (reports), "1 of 2 drawers counted"));
    g_clear_pointer (&text, g_free);
  }

  /* The CSV says the same. */
  cashup_csv = save_csv (reports, "cashup", fixture.dir);
  g_assert_true (
    g_str_has_prefix (cashup_csv, "user_id,username,display_name,counter,cash_sales,"));
  fields = csv_fields (cashup_csv, "cashier2", "Counter 7");
  g_assert_nonnull (fields);
  g_assert_cmpint (field (fields, 4), ==, 2 * price);
  g_assert_cmpint (field (fields, 5), ==, 2);
  g_assert_cmpint (field (fields, 6), ==, 0);
  g_assert_cmpint (field (fields, 8), ==, price);
  g_assert_cmpint (field (fields, 15), ==, expected_cash);
  g_assert_cmpint (field (fields, 16), ==, expected_cash - 1000);
  g_assert_cmpint (field (fields, 17), ==, -1000);
  sales_csv = save_csv (reports, "sales", fixture.dir);
  g_assert_true (g_str_has_prefix (sales_csv, "showtime_id,starts_at,movie_title,"));

  /* And the printed cash-up. */
  pdf = g_build_filename (fixture.dir, "cashup.pdf", NULL);
  g_assert_true (gt_reports_view_print_to_pdf (reports, pdf, &error));
  g_assert_no_error (error);
  if (have_tool ("pdftotext"))
    {
      text = pdf_text (pdf);
      g_assert_nonnull (strstr (text, "Cash-up"));
      g_assert_nonnull (strstr (text, "Dimas Cashier"));
      g_assert_nonnull (strstr (text, "Counter 7"));
      g_assert_nonnull (strstr (text, expected_text));
      g_assert_nonnull (strstr (text, "Printed at"));
      g_assert_nonnull (strstr (text, "Over / short"));
      g_assert_nonnull (strstr (text, "Counted by"));
      {
        g_autofree char *counted = gt_format_config_money (config, expected_cash - 1000);

        g_assert_nonnull (strstr (text, counted));
      }
    }
  else
    g_test_message ("pdftotext is missing: the PDF's text is not checked");
  if (g_getenv ("GT_TEST_SCREENSHOT_DIR") != NULL)
    {
      g_autofree char *copy = g_build_filename (g_getenv ("GT_TEST_SCREENSHOT_DIR"), "cashup.pdf",
                                                NULL);
      g_autofree char *contents = NULL;
      gsize            length;

      if (g_file_get_contents (pdf, &contents, &length, NULL))
        g_file_set_contents (copy, contents, (gssize) length, NULL);
    }
  g_unlink (pdf);

  /* The audit log tells who paid back what, and why. */
  audit = gt_manage_page_get_audit_view (manage);
  gt_audit_view_show_day (audit, today);
  gt_app_wait ("the audit log", audit_loaded, audit, 30);
  entries = gt_audit_view_get_entries (audit);
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);

      if (g_str_equal (json_object_get_string_member (entry, "action"), "refund")
          && json_object_get_int_member (entry, "object_id")
               == json_object_get_int_member (cash2, "id"))
        {
          g_autofree char *title = g_strdup_printf ("Refund · %s",
                                                    json_object_get_string_member (cash2, "code"));

          g_assert_cmpstr (json_object_get_string_member (entry, "reason"), ==, REASON);
          /* By the booking's code, as the receipt says it. */
          g_assert_true (gt_app_shows_label (GTK_WIDGET (audit), title));
          refund_listed = TRUE;
        }
    }
  g_assert_true (refund_listed);
  maybe_screenshot (&fixture, "audit.png");

  /* A sale made meanwhile at the counter is in the drawer's amount as soon
   * as the Reports tab is shown again, with nothing else done. */
  {
    g_autoptr (JsonObject) cash3 = sell (cashier, showtime, "cash", price);
    g_autofree char *now_text = gt_format_config_money (config, expected_cash + price);

    reports = gt_manage_page_get_reports_view (manage);
    gt_app_wait ("the reports again", reports_loaded, reports, 30);
    row = cashup_row (gt_reports_view_get_cashup (reports), "cashier2", "Counter 7");
    g_assert_cmpint (method_member (row, "cash", "sales_count"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (row, "expected_cash"), ==, expected_cash + price);
    g_assert_true (gt_app_shows_label (GTK_WIDGET (reports), now_text));
  }

  gt_app_fixture_stop (&fixture);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_test_add_func ("/app/reports/cashup-matches-the-day", test_cashup_matches_the_day);
  return g_test_run ();
}
