/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-reports-view"

#include "config.h"

#include "gt-widget-util.h"
#include <glib/gi18n.h>
#include <math.h>

#include "gt-format.h"
#include "gt-json.h"
#include "gt-reports-view.h"

#define N_DAYS 7

/* The printed cash-up: A4 landscape, in points. */
#define PAGE_WIDTH  841.89
#define PAGE_HEIGHT 595.28
#define MARGIN      42.0
#define ROW_HEIGHT  30.0
/* Room above the signature lines under the totals. */
#define SIGNATURE_GAP 28.0

struct _GtReportsView
{
  GtkWidget parent_instance;

  GtClient     *client;
  JsonObject   *config;
  JsonObject   *cashup;
  JsonObject   *sales;
  char         *dates[N_DAYS]; /* today first, then the days before */
  char         *date;          /* the day shown */
  char         *message;
  GCancellable *cancellable;
  /* Only for the CSV: GtClient answers JSON, the CSV is a file to keep as sent. */

  AdwToastOverlay *toast_overlay;
  GtkDropDown     *day_dropdown;
  GtkLabel        *message_label;
  GtkLabel        *cashup_empty_label;
  GtkFlowBox      *cashier_box;
  GtkLabel        *sales_empty_label;
  GtkWidget       *showtime_group;
  GtkListBox      *showtime_list;
  GtkWidget       *movie_group;
  GtkListBox      *movie_list;
};

G_DEFINE_FINAL_TYPE (GtReportsView, gt_reports_view, GTK_TYPE_WIDGET)

/* What the printed cash-up needs, copied so the print can outlive the view. */
typedef struct
{
  JsonObject *cashup;
  char       *cinema;
  char       *day;
  char       *printed_at;
  JsonObject *config;
  guint       rows_per_page;
  guint       n_pages;
} CashupPrint;

/* Helpers */

static const char *
timezone_of (GtReportsView *self)
{
  return self->config ? json_object_get_string_member_with_default (self->config, "timezone", NULL)
                      : NULL;
}

static void
set_message (GtReportsView *self, const char *message)
{
  g_free (self->message);
  self->message = g_strdup (message ? message : "");
  gtk_label_set_text (self->message_label, self->message);
}

static void
toast (GtReportsView *self, const char *message)
{
  set_message (self, message);
  gt_add_toast (self->toast_overlay, message);
}

static char *
money (GtReportsView *self, gint64 amount)
{
  return gt_format_config_money (self->config, amount);
}

/* Money paid out reads as what leaves the drawer. */
static char *
money_out (JsonObject *config, gint64 amount)
{
  return gt_format_config_money (config, amount > 0 ? -amount : 0);
}

static char *
format_day (const char *date, const char *format)
{
  int y, m, d;

  if (date == NULL || sscanf (date, "%d-%d-%d", &y, &m, &d) != 3)
    return g_strdup (date ? date : "");
  {
    g_autoptr (GDateTime) day = g_date_time_new_utc (y, m, d, 12, 0, 0);

    return day ? g_date_time_format (day, format) : g_strdup (date);
  }
}

static void
clear_list (GtkWidget *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (list)) != NULL)
    {
      if (GTK_IS_LIST_BOX (list))
        gtk_list_box_remove (GTK_LIST_BOX (list), child);
      else
        gtk_flow_box_remove (GTK_FLOW_BOX (list), child);
    }
}

static void
fill_days (GtReportsView *self)
{
  guint selected = 0;
  g_autoptr (GtkStringList)
    labels = gt_format_past_days (timezone_of (self), N_DAYS, self->date, self->dates, &selected);

  g_signal_handlers_block_matched (self->day_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, self);
  gtk_drop_down_set_model (self->day_dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (self->day_dropdown, selected);
  g_signal_handlers_unblock_matched (self->day_dropdown, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                     self);
  if (self->date == NULL)
    self->date = g_strdup (self->dates[0]);
}

static void
update_actions (GtReportsView *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "reports.print", self->cashup != NULL);
}

/* One line of a cashier's figures: a name on the left, the amount on the right. */
static void
add_figure (GtkGrid *grid, int row, const char *name, const char *amount, gboolean strong)
{
  GtkWidget *name_label = gtk_label_new (name);
  GtkWidget *amount_label = gtk_label_new (amount);

  gtk_label_set_xalign (GTK_LABEL (name_label), 0);
  gtk_widget_set_hexpand (name_label, TRUE);
  gtk_label_set_xalign (GTK_LABEL (amount_label), 1);
  gtk_widget_add_css_class (amount_label, "numeric");
  if (strong)
    {
      gtk_widget_add_css_class (name_label, "heading");
      gtk_widget_add_css_class (amount_label, "heading");
    }
  gtk_grid_attach (grid, name_label, 0, row, 1, 1);
  gtk_grid_attach (grid, amount_label, 1, row, 1, 1);
}

static void
add_method (GtReportsView *self,
            GtkGrid       *grid,
            int           *row,
            JsonObject    *method,
            const char    *sales_name,
            const char    *refunds_name)
{
  g_autofree char *sales = money (self, gt_json_int_member (method, "sales"));
  g_autofree char *refunds = money_out (self->config, gt_json_int_member (method, "refunds"));
  g_autofree char *sales_line = g_strdup_printf ("%s (%d)", sales_name,
                                                 (int) gt_json_int_member (method, "sales_count"));
  g_autofree char *refunds_line = g_strdup_printf ("%s (%d)", refunds_name,
                                                   (int) gt_json_int_member (method,
                                                                             "refunds_count"));

  add_figure (grid, (*row)++, sales_line, sales, FALSE);
  add_figure (grid, (*row)++, refunds_line, refunds, FALSE);
}

static void fetch (GtReportsView *self);

static int
decimals_of (GtReportsView *self)
{
  return (int) gt_json_int_member (self->config, "currency_decimals");
}

/* "Rp 5.000 short", "Rp 2.000 over" or "Matches": counted against expected. */
static char *
difference_text (GtReportsView *self, gint64 difference)
{
  g_autofree char *amount = money (self, ABS (difference));

  if (difference == 0)
    return g_strdup (_ ("Matches"));
  /* Translators: %s is an amount of money missing from, or extra in, a drawer */
  return g_strdup_printf (difference < 0 ? _ ("%s short") : _ ("%s over"), amount);
}

static void
style_difference (GtkWidget *label, gint64 difference)
{
  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "success");
  gtk_widget_add_css_class (label, difference == 0 ? "success" : "error");
}

/* Who counted @row's drawer and when, and whether money moved after it. */
static char *
count_text (GtReportsView *self, JsonObject *row, JsonObject *count)
{
  g_autofree char *counted = money (self, gt_json_int_member (count, "counted"));
  g_autofree char *at = gt_format_time (gt_json_string_member (count, "counted_at"),
                                        timezone_of (self), "%H:%M");
  JsonObject      *by = gt_json_object_member (count, "counted_by");
  const char      *name = gt_json_string_member (by, "display_name");
  /* Translators: "Counted Rp 95.000 at 21:34 by Made Manager" */
  g_autofree char *text = g_strdup_printf (_ ("Counted %s at %s by %s"), counted, at,
                                           name[0] ? name : gt_json_string_member (by, "username"));

  if (gt_json_int_member (count, "expected_cash") == gt_json_int_member (row, "expected_cash"))
    return g_steal_pointer (&text);
  return g_strdup_printf ("%s. %s", text,
                          _ ("Money was taken or paid back since: count the drawer again."));
}

static void
on_counted_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtReportsView) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) count = gt_client_call_finish (GT_CLIENT (object), result, &error);
  g_autofree char *difference = NULL;
  g_autofree char *text = NULL;

  if (count == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_message (self, gt_client_error_is_network (error)
                             ? _ ("The server does not answer: the count is not recorded")
                             : error->message);
      return;
    }
  difference = difference_text (self, gt_json_int_member (count, "difference"));
  /* Translators: "Count recorded: Rp 5.000 short" */
  text = g_strdup_printf (_ ("Count recorded: %s"), difference);
  toast (self, text);
  fetch (self);
}

/* The cash counted in the drawer, as typed: a live difference until it is
 * recorded. */
static void
on_counted_changed_cb (GtkEditable *entry, GtReportsView *self)
{
  GtkWidget *preview = g_object_get_data (G_OBJECT (entry), "preview");
  gint64     expected = gt_json_int_member (g_object_get_data (G_OBJECT (entry), "row"),
                                            "expected_cash");
  gint64     counted = gt_format_parse_amount (gtk_editable_get_text (entry), decimals_of (self));

  gtk_widget_set_visible (preview, counted >= 0);
  if (counted >= 0)
    {
      g_autofree char *text = difference_text (self, counted - expected);

      gtk_label_set_text (GTK_LABEL (preview), text);
      style_difference (preview, counted - expected);
    }
}

static void
on_record_count_cb (GtkWidget *widget, GtReportsView *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (widget), "entry");
  JsonObject  *row = g_object_get_data (G_OBJECT (entry), "row");

  gt_reports_view_count_drawer (self,
                                gt_json_int_member (gt_json_object_member (row, "user"), "id"),
                                gt_json_string_member (row, "counter"),
                                gtk_editable_get_text (entry));
}

/* Under a drawer's expected cash: what it was counted at, and a field to
 * count it (again). */
static void
add_count (GtReportsView *self, GtkWidget *card, JsonObject *row)
{
  JsonObject *count = gt_json_object_member (row, "count");
  GtkWidget  *status = gtk_label_new (NULL);
  GtkWidget  *result = gtk_label_new (NULL);
  GtkWidget  *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget  *entry = gtk_entry_new ();
  GtkWidget  *record = gtk_button_new_with_mnemonic (count ? _ ("_Count Again")
                                                           : _ ("_Record Count"));
  GtkWidget  *preview = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (status), 0);
  gtk_label_set_wrap (GTK_LABEL (status), TRUE);
  /* Wrapped within the card's width, not widening it. */
  gtk_label_set_max_width_chars (GTK_LABEL (status), 30);
  gtk_label_set_xalign (GTK_LABEL (result), 0);
  gtk_widget_add_css_class (result, "heading");
  gtk_widget_set_visible (status, count != NULL);
  gtk_widget_set_visible (result, count != NULL);
  if (count != NULL)
    {
      g_autofree char *text = count_text (self, row, count);
      g_autofree char *difference = difference_text (self,
                                                     gt_json_int_member (count, "difference"));

      gtk_label_set_text (GTK_LABEL (status), text);
      gtk_label_set_text (GTK_LABEL (result), difference);
      style_difference (result, gt_json_int_member (count, "difference"));
    }

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _ ("Cash counted"));
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_NUMBER);
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_widget_set_tooltip_text (entry, _ ("What is in the drawer, beyond its float"));
  g_object_set_data_full (G_OBJECT (entry), "row", json_object_ref (row),
                          (GDestroyNotify) json_object_unref);
  g_object_set_data (G_OBJECT (entry), "preview", preview);
  g_object_set_data (G_OBJECT (entry), "entry", entry);
  g_object_set_data (G_OBJECT (record), "entry", entry);
  g_signal_connect_object (entry, "changed", G_CALLBACK (on_counted_changed_cb), self, 0);
  g_signal_connect_object (entry, "activate", G_CALLBACK (on_record_count_cb), self, 0);
  g_signal_connect_object (record, "clicked", G_CALLBACK (on_record_count_cb), self, 0);
  gtk_box_append (GTK_BOX (box), entry);
  gtk_box_append (GTK_BOX (box), record);

  gtk_label_set_xalign (GTK_LABEL (preview), 0);
  gtk_widget_add_css_class (preview, "heading");
  gtk_widget_set_visible (preview, FALSE);

  gtk_box_append (GTK_BOX (card), status);
  gtk_box_append (GTK_BOX (card), result);
  gtk_box_append (GTK_BOX (card), preview);
  gtk_box_append (GTK_BOX (card), box);
}

/* A card for one cashier at one counter, or for all of them (@user NULL). */
static GtkWidget *
make_cashier_card (GtReportsView *self, JsonObject *row, JsonObject *user)
{
  GtkWidget       *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget       *title = gtk_label_new (NULL);
  GtkWidget       *subtitle = gtk_label_new (NULL);
  GtkWidget       *grid = gtk_grid_new ();
  GtkWidget       *expected_name = gtk_label_new (_ ("Expected cash in the drawer"));
  GtkWidget       *expected = gtk_label_new (NULL);
  g_autofree char *net = money (self, gt_json_int_member (row, "net"));
  g_autofree char *cash = money (self, gt_json_int_member (row, "expected_cash"));
  int              line = 0;

  gtk_widget_add_css_class (card, "card");
  gtk_widget_set_valign (card, GTK_ALIGN_START);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "title-4");
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  if (user != NULL)
    {
      const char      *name = gt_json_string_member (user, "display_name");
      g_autofree char *who = g_strdup_printf ("%s · %s", gt_json_string_member (user, "username"),
                                              gt_json_string_member (row, "counter"));

      gtk_label_set_text (GTK_LABEL (title),
                          name[0] ? name : gt_json_string_member (user, "username"));
      gtk_label_set_text (GTK_LABEL (subtitle), who);
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (title), _ ("All Cashiers"));
      gtk_label_set_text (GTK_LABEL (subtitle), _ ("Totals of the day"));
    }

  gtk_grid_set_row_spacing (GTK_GRID (grid), 4);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_widget_set_margin_top (grid, 6);
  add_method (self, GTK_GRID (grid), &line, gt_json_object_member (row, "cash"), _ ("Cash sales"),
              _ ("Cash refunds"));
  add_method (self, GTK_GRID (grid), &line, gt_json_object_member (row, "card"), _ ("Card sales"),
              _ ("Card refunds"));
  gtk_grid_attach (GTK_GRID (grid), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL), 0, line++, 2,
                   1);
  add_figure (GTK_GRID (grid), line++, _ ("Net"), net, TRUE);

  gtk_label_set_xalign (GTK_LABEL (expected_name), 0);
  gtk_widget_set_margin_top (expected_name, 6);
  gtk_widget_add_css_class (expected_name, "caption-heading");
  gtk_widget_add_css_class (expected_name, "dim-label");
  gtk_label_set_text (GTK_LABEL (expected), cash);
  gtk_label_set_xalign (GTK_LABEL (expected), 0);
  gtk_widget_add_css_class (expected, "title-1");
  gtk_widget_add_css_class (expected, "numeric");
  /* A drawer that paid out more than it took is short of its float. */
  if (gt_json_int_member (row, "expected_cash") < 0)
    gtk_widget_add_css_class (expected, "error");

  gtk_box_append (GTK_BOX (card), title);
  gtk_box_append (GTK_BOX (card), subtitle);
  gtk_box_append (GTK_BOX (card), grid);
  gtk_box_append (GTK_BOX (card), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (card), expected_name);
  gtk_box_append (GTK_BOX (card), expected);
  if (user != NULL)
    add_count (self, card, row);
  else if (gt_json_int_member (row, "drawers") > 0)
    {
      /* Translators: how far the day is closed: "2 of 3 drawers counted" */
      g_autofree char *counted =
        g_strdup_printf (ngettext ("%d of %d drawer counted", "%d of %d drawers counted",
                                   (int) gt_json_int_member (row, "drawers")),
                         (int) gt_json_int_member (row, "drawers_counted"),
                         (int) gt_json_int_member (row, "drawers"));
      GtkWidget *label = gtk_label_new (counted);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_append (GTK_BOX (card), label);
      if (gt_json_int_member (row, "drawers_counted") > 0)
        {
          g_autofree char *difference = difference_text (self,
                                                         gt_json_int_member (row, "difference"));
          GtkWidget       *total = gtk_label_new (difference);

          gtk_label_set_xalign (GTK_LABEL (total), 0);
          gtk_widget_add_css_class (total, "heading");
          style_difference (total, gt_json_int_member (row, "difference"));
          gtk_box_append (GTK_BOX (card), total);
        }
    }

  gtk_widget_set_margin_top (title, 12);
  for (GtkWidget *child = gtk_widget_get_first_child (card); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gtk_widget_set_margin_start (child, 18);
      gtk_widget_set_margin_end (child, 18);
    }
  gtk_widget_set_margin_bottom (gtk_widget_get_last_child (card), 12);
  return card;
}

static void
show_cashup (GtReportsView *self)
{
  JsonArray *rows = gt_json_array_member (self->cashup, "cashiers");
  guint      n = rows ? json_array_get_length (rows) : 0;

  clear_list (GTK_WIDGET (self->cashier_box));
  gtk_widget_set_visible (GTK_WIDGET (self->cashup_empty_label), self->cashup != NULL && n == 0);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      gtk_flow_box_append (self->cashier_box,
                           make_cashier_card (self, row, gt_json_object_member (row, "user")));
    }
  if (n > 1)
    gtk_flow_box_append (self->cashier_box,
                         make_cashier_card (self, gt_json_object_member (self->cashup, "totals"),
                                            NULL));
  /* Cards, not choices: the flow box children take no focus of their own. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->cashier_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);
}

static char *
seats_line (JsonObject *item)
{
  /* Translators: tickets sold of the seats there are, and the share: "12 of 120 seats · 10 %" */
  return g_strdup_printf (_ ("%d of %d seats · %d %%"),
                          (int) gt_json_int_member (item, "tickets_sold"),
                          (int) gt_json_int_member (item, "seats_total"),
                          (int) round (100.0
                                       * (item && json_object_has_member (item, "occupancy")
                                            ? json_object_get_double_member (item, "occupancy")
                                            : 0.0)));
}

static GtkWidget *
make_sales_row (GtReportsView *self,
                const char    *title,
                const char    *subtitle,
                const char    *prefix,
                gint64         revenue,
                gboolean       strong)
{
  GtkWidget       *row = adw_action_row_new ();
  GtkWidget       *amount = gtk_label_new (NULL);
  g_autofree char *text = money (self, revenue);

  /* With markup for the bold title, the subtitle is markup too. */
  if (strong)
    {
      g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>", title);
      g_autofree char *escaped = g_markup_escape_text (subtitle, -1);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), markup);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), escaped);
    }
  else
    {
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    }
  if (prefix != NULL)
    {
      GtkWidget *time = gtk_label_new (prefix);

      gtk_widget_add_css_class (time, "heading");
      gtk_widget_add_css_class (time, "numeric");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), time);
    }
  gtk_label_set_text (GTK_LABEL (amount), text);
  gtk_widget_add_css_class (amount, "numeric");
  if (strong)
    gtk_widget_add_css_class (amount, "heading");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), amount);
  return row;
}

static void
show_sales (GtReportsView *self)
{
  JsonArray  *showtimes = gt_json_array_member (self->sales, "showtimes");
  JsonArray  *movies = gt_json_array_member (self->sales, "movies");
  JsonObject *totals = gt_json_object_member (self->sales, "totals");
  guint       n = showtimes ? json_array_get_length (showtimes) : 0;

  clear_list (GTK_WIDGET (self->showtime_list));
  clear_list (GTK_WIDGET (self->movie_list));
  gtk_widget_set_visible (GTK_WIDGET (self->sales_empty_label), self->sales != NULL && n == 0);
  gtk_widget_set_visible (self->showtime_group, n > 0);
  gtk_widget_set_visible (self->movie_group, n > 0);

  for (guint i = 0; i < n; i++)
    {
      JsonObject      *showtime = json_array_get_object_element (showtimes, i);
      g_autofree char *time = gt_format_time (gt_json_string_member (showtime, "starts_at"),
                                              timezone_of (self), "%H:%M");
      g_autofree char *seats = seats_line (showtime);
      g_autofree char *subtitle =
        g_strdup_printf ("%s · %s", gt_json_string_member (showtime, "auditorium_name"), seats);

      gtk_list_box_append (self->showtime_list,
                           make_sales_row (self, gt_json_string_member (showtime, "movie_title"),
                                           subtitle, time, gt_json_int_member (showtime, "revenue"),
                                           FALSE));
    }

  for (guint i = 0; movies && i < json_array_get_length (movies); i++)
    {
      JsonObject      *movie = json_array_get_object_element (movies, i);
      g_autofree char *seats = seats_line (movie);
      int              count = (int) gt_json_int_member (movie, "showtimes");
      g_autofree char *subtitle = g_strdup_printf (ngettext ("%d showtime · %s",
                                                             "%d showtimes · %s", count),
                                                   count, seats);

      gtk_list_box_append (self->movie_list,
                           make_sales_row (self, gt_json_string_member (movie, "movie_title"),
                                           subtitle, NULL, gt_json_int_member (movie, "revenue"),
                                           FALSE));
    }
  if (totals != NULL && n > 0)
    {
      g_autofree char *seats = seats_line (totals);
      int              count = (int) gt_json_int_member (totals, "showtimes");
      g_autofree char *subtitle = g_strdup_printf (ngettext ("%d showtime · %s",
                                                             "%d showtimes · %s", count),
                                                   count, seats);

      gtk_list_box_append (self->movie_list,
                           make_sales_row (self, _ ("All Movies"), subtitle, NULL,
                                           gt_json_int_member (totals, "revenue"), TRUE));
    }
}

static void
report_failure (GtReportsView *self, const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_message (self, gt_client_error_is_network (error)
                       ? _ ("The server does not answer: the figures cannot be shown")
                       : error->message);
}

/* Printing */

static void
cashup_print_free (gpointer data, GClosure *closure)
{
  CashupPrint *print = data;

  g_clear_pointer (&print->cashup, json_object_unref);
  g_clear_pointer (&print->config, json_object_unref);
  g_free (print->cinema);
  g_free (print->day);
  g_free (print->printed_at);
  g_free (print);
}

/* Draws @text in the box at @x, @y of @width; returns its height. */
static double
draw_text (cairo_t       *cr,
           const char    *text,
           const char    *font,
           double         x,
           double         y,
           double         width,
           PangoAlignment align)
{
  g_autoptr (PangoLayout) layout = pango_cairo_create_layout (cr);
  g_autoptr (PangoFontDescription) desc = pango_font_description_from_string (font);
  int height;

  /* Points in, points out, whatever the surface's resolution. */
  pango_cairo_context_set_resolution (pango_layout_get_context (layout), 72.0);
  pango_layout_context_changed (layout);
  pango_layout_set_font_description (layout, desc);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, align);
  pango_layout_set_text (layout, text ? text : "", -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_size (layout, NULL, &height);
  return (double) height / PANGO_SCALE;
}

static const char *const column_names[] = {
  N_ ("Cashier"),    N_ ("Counter"),      N_ ("Cash sales"), N_ ("Cash refunds"),
  N_ ("Card sales"), N_ ("Card refunds"), N_ ("Net"),        N_ ("Expected cash"),
  N_ ("Counted"),    N_ ("Over / short"),
};

static void
column_box (guint column, double *x, double *width)
{
  const double name_width = 140.0;
  const double counter_width = 76.0;
  const double money_width = (PAGE_WIDTH - 2 * MARGIN - name_width - counter_width)
                             / (G_N_ELEMENTS (column_names) - 2);

  if (column == 0)
    *x = MARGIN, *width = name_width - 8;
  else if (column == 1)
    *x = MARGIN + name_width, *width = counter_width - 8;
  else
    /* Right-aligned amounts keep a gap before the next column. */
    *x = MARGIN + name_width + counter_width + (column - 2) * money_width, *width = money_width - 5;
}

static void
draw_cashup_row (cairo_t     *cr,
                 CashupPrint *print,
                 JsonObject  *row,
                 const char  *name,
                 const char  *detail,
                 double       y,
                 gboolean     strong)
{
  JsonObject *cash = gt_json_object_member (row, "cash");
  JsonObject *card = gt_json_object_member (row, "card");
  const char *font = strong ? "Sans Bold 9" : "Sans 9";
  gint64      amounts[] = {
         gt_json_int_member (cash, "sales"), -gt_json_int_member (cash, "refunds"),
         gt_json_int_member (card, "sales"), -gt_json_int_member (card, "refunds"),
         gt_json_int_member (row, "net"),    gt_json_int_member (row, "expected_cash"),
  };
  double x, width;

  column_box (0, &x, &width);
  draw_text (cr, name, font, x, y, width, PANGO_ALIGN_LEFT);
  if (detail != NULL)
    draw_text (cr, detail, "Sans 7", x, y + 12, width, PANGO_ALIGN_LEFT);
  column_box (1, &x, &width);
  draw_text (cr, gt_json_string_member (row, "counter"), font, x, y, width, PANGO_ALIGN_LEFT);
  for (guint i = 0; i < G_N_ELEMENTS (amounts); i++)
    {
      g_autofree char *text = gt_format_config_money (print->config, amounts[i]);

      column_box (i + 2, &x, &width);
      draw_text (cr, text, i == 5 ? "Sans Bold 9" : font, x, y, width, PANGO_ALIGN_RIGHT);
    }

  /* The drawer's last count (the totals: of the drawers counted), or a dash. */
  for (guint i = 0; i < 2; i++)
    {
      JsonObject      *count = gt_json_object_member (row, "count");
      gboolean         counted = count != NULL || gt_json_int_member (row, "drawers_counted") > 0;
      const char      *member = i == 0 ? "counted" : "difference";
      g_autofree char *text = counted ? gt_format_config_money (
                                print->config, gt_json_int_member (count ? count : row, member))
                                      : g_strdup ("—");

      column_box (G_N_ELEMENTS (amounts) + 2 + i, &x, &width);
      draw_text (cr, text, font, x, y, width, PANGO_ALIGN_RIGHT);
    }
}

static void
draw_cashup_page (CashupPrint *print, cairo_t *cr, guint page)
{
  JsonArray       *rows = gt_json_array_member (print->cashup, "cashiers");
  guint            n = rows ? json_array_get_length (rows) : 0;
  guint            first = page * print->rows_per_page;
  guint            last = MIN (n, first + print->rows_per_page);
  g_autofree char *subtitle = g_strdup_printf ("%s · %s", print->cinema, print->day);
  g_autofree char *footer = NULL;
  double           y = MARGIN;
  double           x, width;

  cairo_set_source_rgb (cr, 0, 0, 0);
  y += draw_text (cr, _ ("Cash-up"), "Sans Bold 18", MARGIN, y, PAGE_WIDTH - 2 * MARGIN,
                  PANGO_ALIGN_LEFT);
  y += draw_text (cr, subtitle, "Sans 11", MARGIN, y, PAGE_WIDTH - 2 * MARGIN, PANGO_ALIGN_LEFT);
  y += 18;

  for (guint i = 0; i < G_N_ELEMENTS (column_names); i++)
    {
      column_box (i, &x, &width);
      draw_text (cr, _ (column_names[i]), "Sans Bold 7.5", x, y, width,
                 i < 2 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT);
    }
  y += 14;
  cairo_set_line_width (cr, 1.0);
  cairo_move_to (cr, MARGIN, y);
  cairo_line_to (cr, PAGE_WIDTH - MARGIN, y);
  cairo_stroke (cr);
  y += 6;

  for (guint i = first; i < last; i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      JsonObject *user = gt_json_object_member (row, "user");
      const char *name = gt_json_string_member (user, "display_name");

      draw_cashup_row (cr, print, row, name[0] ? name : gt_json_string_member (user, "username"),
                       gt_json_string_member (user, "username"), y, FALSE);
      y += ROW_HEIGHT;
      cairo_set_line_width (cr, 0.3);
      cairo_move_to (cr, MARGIN, y - 6);
      cairo_line_to (cr, PAGE_WIDTH - MARGIN, y - 6);
      cairo_stroke (cr);
    }
  if (n == 0)
    {
      draw_text (cr, _ ("No money was taken or paid back on this day"), "Sans Italic 9", MARGIN, y,
                 PAGE_WIDTH - 2 * MARGIN, PANGO_ALIGN_LEFT);
      y += ROW_HEIGHT;
    }
  if (page + 1 == print->n_pages)
    {
      cairo_set_line_width (cr, 1.0);
      cairo_move_to (cr, MARGIN, y - 4);
      cairo_line_to (cr, PAGE_WIDTH - MARGIN, y - 4);
      cairo_stroke (cr);
      draw_cashup_row (cr, print, gt_json_object_member (print->cashup, "totals"), _ ("Totals"),
                       NULL, y + 2, TRUE);

      /* The day is closed on paper too: who counted, who checked. */
      y += ROW_HEIGHT + SIGNATURE_GAP;
      for (guint i = 0; i < 2; i++)
        {
          double column = (PAGE_WIDTH - 2 * MARGIN) / 2;
          double left = MARGIN + i * column;

          cairo_set_line_width (cr, 0.5);
          cairo_move_to (cr, left, y);
          cairo_line_to (cr, left + column - 36, y);
          cairo_stroke (cr);
          draw_text (cr,
                     i == 0 ? _ ("Counted by (name, signature)")
                            : _ ("Checked by (name, signature)"),
                     "Sans 8", left, y + 3, column - 36, PANGO_ALIGN_LEFT);
        }
    }

  /* Translators: the foot of a printed cash-up: "Printed at 24 Nov 2026 13:40 · page 1 of 2" */
  footer = g_strdup_printf (_ ("Printed at %s · page %u of %u"), print->printed_at, page + 1,
                            print->n_pages);
  draw_text (cr, footer, "Sans 8", MARGIN, PAGE_HEIGHT - MARGIN - 10, PAGE_WIDTH - 2 * MARGIN,
             PANGO_ALIGN_LEFT);
}

static void
on_draw_page_cb (GtkPrintOperation *operation,
                 GtkPrintContext   *context,
                 int                page_nr,
                 gpointer           user_data)
{
  CashupPrint *print = user_data;
  cairo_t     *cr = gtk_print_context_get_cairo_context (context);
  double       scale = MIN (gtk_print_context_get_width (context) / PAGE_WIDTH,
                            gtk_print_context_get_height (context) / PAGE_HEIGHT);

  /* On another paper than A4 landscape the page shrinks to fit. */
  cairo_save (cr);
  if (scale < 1.0)
    cairo_scale (cr, scale, scale);
  draw_cashup_page (print, cr, (guint) page_nr);
  cairo_restore (cr);
}

static GtkPrintOperation *
cashup_print_operation_new (GtReportsView *self)
{
  g_autoptr (GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr (GtkPrintSettings) settings = gtk_print_settings_new ();
  g_autoptr (GTimeZone) tz = gt_format_zone (timezone_of (self));
  g_autoptr (GDateTime) now = g_date_time_new_now (tz);
  GtkPaperSize      *paper = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  GtkPrintOperation *operation = gtk_print_operation_new ();
  CashupPrint       *print = g_new0 (CashupPrint, 1);
  JsonArray         *rows = gt_json_array_member (self->cashup, "cashiers");
  guint              n = rows ? json_array_get_length (rows) : 0;
  g_autofree char   *job = NULL;

  print->cashup = json_object_ref (self->cashup);
  print->config = self->config ? json_object_ref (self->config) : NULL;
  print->cinema = g_strdup (
    self->config ? json_object_get_string_member_with_default (self->config, "cinema", "Go-Ticket")
                 : "Go-Ticket");
  /* Translators: the day of a printed cash-up, see g_date_time_format();
   * e.g. "Tuesday 1 December 2026" */
  print->day = format_day (gt_json_string_member (self->cashup, "date"),
                           C_ ("cash-up day", "%A %-d %B %Y"));
  /* Translators: when a cash-up was printed; e.g. "1 Dec 2026 19:30" */
  print->printed_at = g_date_time_format (now, C_ ("cash-up printed", "%-d %b %Y %H:%M"));
  /* Header, column titles, the totals, the signatures and the foot take
   * the rest of the page. */
  print->rows_per_page = (guint) ((PAGE_HEIGHT - 2 * MARGIN - 130 - SIGNATURE_GAP - 16)
                                  / ROW_HEIGHT);
  print->n_pages = MAX (1, (n + print->rows_per_page - 1) / print->rows_per_page);

  gtk_page_setup_set_paper_size (setup, paper);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_LANDSCAPE);
  gtk_page_setup_set_top_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_bottom_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_left_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_right_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_print_settings_set_paper_size (settings, paper);
  gtk_print_settings_set_orientation (settings, GTK_PAGE_ORIENTATION_LANDSCAPE);
  gtk_paper_size_free (paper);

  /* Translators: the name of a print job, e.g. "Cash-up 2026-11-24" */
  job = g_strdup_printf (_ ("Cash-up %s"), gt_json_string_member (self->cashup, "date"));
  gtk_print_operation_set_job_name (operation, job);
  gtk_print_operation_set_n_pages (operation, (int) print->n_pages);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_print_settings (operation, settings);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect_data (operation, "draw-page", G_CALLBACK (on_draw_page_cb), print,
                         cashup_print_free, 0);
  return operation;
}

/* The CSV, fetched as the server sends it */

static void
on_csv_replaced_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  g_autoptr (GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_csv_read_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GFile *file = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = gt_client_get_bytes_finish (GT_CLIENT (object), result, &error);

  if (bytes == NULL)
    {
      if (gt_client_error_is_network (error))
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE, "%s",
                                 _ ("The server does not answer: nothing was saved"));
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       g_task_get_cancellable (task), on_csv_replaced_cb,
                                       g_object_ref (task));
}

static void
on_csv_saved_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GtReportsView *self = GT_REPORTS_VIEW (object);
  g_autoptr (GFile) file = user_data;
  g_autoptr (GError) error = NULL;
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *text = NULL;

  if (!gt_reports_view_save_csv_finish (self, result, &error))
    /* Translators: "Could not save cashup-2026-11-24.csv: Permission denied" */
    text = g_strdup_printf (_ ("Could not save %s: %s"), name, error->message);
  else
    /* Translators: "Saved cashup-2026-11-24.csv" */
    text = g_strdup_printf (_ ("Saved %s"), name);
  toast (self, text);
}

static void
on_file_chosen_cb (GtkNativeDialog *dialog, int response, gpointer user_data)
{
  GtReportsView *self = user_data;
  const char    *which = g_object_get_data (G_OBJECT (dialog), "which");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      GFile *file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      gt_reports_view_save_csv_async (self, which, file, NULL, on_csv_saved_cb, file);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

/* Signal callbacks */

static void
on_cashup_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtReportsView) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = gt_client_call_finish (GT_CLIENT (object), result, &error);

  if (answer == NULL)
    {
      report_failure (self, error);
      return;
    }
  g_clear_pointer (&self->cashup, json_object_unref);
  self->cashup = g_steal_pointer (&answer);
  if (self->sales != NULL)
    set_message (self, "");
  show_cashup (self);
  update_actions (self);
}

static void
on_sales_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GtReportsView) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = gt_client_call_finish (GT_CLIENT (object), result, &error);

  if (answer == NULL)
    {
      report_failure (self, error);
      return;
    }
  g_clear_pointer (&self->sales, json_object_unref);
  self->sales = g_steal_pointer (&answer);
  if (self->cashup != NULL)
    set_message (self, "");
  show_sales (self);
}

static void
fetch (GtReportsView *self)
{
  g_autofree char *cashup = NULL;
  g_autofree char *sales = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->cashup, json_object_unref);
  g_clear_pointer (&self->sales, json_object_unref);
  update_actions (self);
  if (self->client == NULL || self->date == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  set_message (self, _ ("Loading…"));
  cashup = g_strdup_printf ("/reports/cashup?date=%s", self->date);
  sales = g_strdup_printf ("/reports/sales?date=%s", self->date);
  gt_client_call_async (self->client, "GET", cashup, NULL, NULL, self->cancellable, on_cashup_cb,
                        g_object_ref (self));
  gt_client_call_async (self->client, "GET", sales, NULL, NULL, self->cancellable, on_sales_cb,
                        g_object_ref (self));
}

static void
on_day_selected_cb (GtReportsView *self)
{
  guint selected = gtk_drop_down_get_selected (self->day_dropdown);

  if (selected >= N_DAYS || self->dates[selected] == NULL)
    return;
  g_free (self->date);
  self->date = g_strdup (self->dates[selected]);
  fetch (self);
}

static void
export_csv_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtReportsView        *self = GT_REPORTS_VIEW (widget);
  const char           *which = g_variant_get_string (param, NULL);
  gboolean              cashup = g_str_equal (which, "cashup");
  GtkRoot              *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;
  g_autofree char      *name = g_strdup_printf ("%s-%s.csv", cashup ? "cashup" : "sales",
                                           self->date ? self->date : "");

  dialog = gtk_file_chooser_native_new (cashup ? _ ("Export Cash-up as CSV")
                                               : _ ("Export Sales as CSV"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_object_set_data_full (G_OBJECT (dialog), "which", g_strdup (cashup ? "cashup" : "sales"),
                          g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_file_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_print_done_cb (GtkPrintOperation *operation, GtkPrintOperationResult result, GtReportsView *self)
{
  g_autoptr (GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      toast (self, error ? error->message : _ ("The cash-up could not be printed"));
    }
}

static void
print_action (GtkWidget *widget, const char *action_name, GVariant *param)
{
  GtReportsView *self = GT_REPORTS_VIEW (widget);
  GtkRoot       *root = gtk_widget_get_root (widget);
  g_autoptr (GtkPrintOperation) operation = NULL;
  g_autoptr (GError) error = NULL;

  if (self->cashup == NULL)
    return;
  operation = cashup_print_operation_new (self);
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect_object (operation, "done", G_CALLBACK (on_print_done_cb), self, 0);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, &error)
      == GTK_PRINT_OPERATION_RESULT_ERROR)
    toast (self, error->message);
}

/* Overrides */

static void
gt_reports_view_dispose (GObject *object)
{
  GtReportsView *self = (GtReportsView *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), GT_TYPE_REPORTS_VIEW);
  gt_widget_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->client);

  G_OBJECT_CLASS (gt_reports_view_parent_class)->dispose (object);
}

static void
gt_reports_view_finalize (GObject *object)
{
  GtReportsView *self = (GtReportsView *) object;

  g_clear_pointer (&self->config, json_object_unref);
  g_clear_pointer (&self->cashup, json_object_unref);
  g_clear_pointer (&self->sales, json_object_unref);
  for (guint i = 0; i < N_DAYS; i++)
    g_free (self->dates[i]);
  g_free (self->date);
  g_free (self->message);

  G_OBJECT_CLASS (gt_reports_view_parent_class)->finalize (object);
}

static void
gt_reports_view_class_init (GtReportsViewClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gt_reports_view_dispose;
  object_class->finalize = gt_reports_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/id/goticket/GoTicket/ui/gt-reports-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GtReportsView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GtReportsView, day_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GtReportsView, message_label);
  gtk_widget_class_bind_template_child (widget_class, GtReportsView, cashup_empty_label);
  gtk_widget_class_bind_template_child (widget_class, GtReportsView, cashier_box);
  gtk_widget_class_bind_template_child (widget_class, GtReportsView, sales_empty_label);
  gtk_widget_class_bind_template_child (widget_class, GtReportsView, showtime_group);
  gtk_widget_class_bind_template_child (widget_class, GtReportsView, showtime_list);
  gtk_widget_class_bind_template_child (widget_class, GtReportsView, movie_group);
  gtk_widget_class_bind_template_child (widget_class, GtReportsView, movie_list);
  gtk_widget_class_bind_template_callback (widget_class, on_day_selected_cb);

  gtk_widget_class_install_action (widget_class, "reports.export-csv", "s", export_csv_action);
  gtk_widget_class_install_action (widget_class, "reports.print", NULL, print_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
gt_reports_view_init (GtReportsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->message = g_strdup ("");
  fill_days (self);
  update_actions (self);
}

/* Public API */

void
gt_reports_view_set_client (GtReportsView *self, GtClient *client)
{
  g_return_if_fail (GT_IS_REPORTS_VIEW (self));
  g_return_if_fail (client == NULL || GT_IS_CLIENT (client));

  g_set_object (&self->client, client);
}

void
gt_reports_view_set_config (GtReportsView *self, JsonObject *config)
{
  g_return_if_fail (GT_IS_REPORTS_VIEW (self));

  if (self->config == config)
    return;
  g_clear_pointer (&self->config, json_object_unref);
  self->config = config ? json_object_ref (config) : NULL;
  /* "Today" is the cinema's today. */
  fill_days (self);
}

void
gt_reports_view_count_drawer (GtReportsView *self,
                              gint64         user_id,
                              const char    *counter,
                              const char    *counted)
{
  g_autoptr (JsonObject) body = NULL;
  gint64 amount;

  g_return_if_fail (GT_IS_REPORTS_VIEW (self));
  g_return_if_fail (counter != NULL);

  amount = gt_format_parse_amount (counted ? counted : "", decimals_of (self));
  if (amount < 0)
    {
      set_message (self, _ ("Type the cash counted as an amount, such as 150000"));
      return;
    }
  if (self->client == NULL || self->date == NULL)
    return;
  body = json_object_new ();
  json_object_set_string_member (body, "date", self->date);
  json_object_set_int_member (body, "user_id", user_id);
  json_object_set_string_member (body, "counter", counter);
  json_object_set_int_member (body, "counted", amount);
  set_message (self, _ ("Recording the count…"));
  /* A write is not called back when the day shown changes: its answer still counts. */
  gt_client_call_async (self->client, "POST", "/reports/cashup/counts", body, NULL, NULL,
                        on_counted_cb, g_object_ref (self));
}

void
gt_reports_view_refresh (GtReportsView *self)
{
  g_return_if_fail (GT_IS_REPORTS_VIEW (self));

  fill_days (self);
  fetch (self);
}

void
gt_reports_view_show_day (GtReportsView *self, const char *date)
{
  g_return_if_fail (GT_IS_REPORTS_VIEW (self));
  g_return_if_fail (date != NULL);

  g_free (self->date);
  self->date = g_strdup (date);
  fill_days (self);
  fetch (self);
}

JsonObject *
gt_reports_view_get_cashup (GtReportsView *self)
{
  g_return_val_if_fail (GT_IS_REPORTS_VIEW (self), NULL);
  return self->cashup;
}

JsonObject *
gt_reports_view_get_sales (GtReportsView *self)
{
  g_return_val_if_fail (GT_IS_REPORTS_VIEW (self), NULL);
  return self->sales;
}

const char *
gt_reports_view_get_message (GtReportsView *self)
{
  g_return_val_if_fail (GT_IS_REPORTS_VIEW (self), NULL);
  return self->message;
}

void
gt_reports_view_save_csv_async (GtReportsView      *self,
                                const char         *which,
                                GFile              *file,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (GT_IS_REPORTS_VIEW (self));
  g_return_if_fail (g_strcmp0 (which, "cashup") == 0 || g_strcmp0 (which, "sales") == 0);
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gt_reports_view_save_csv_async);
  if (self->client == NULL || self->date == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, "%s",
                               _ ("Not signed in"));
      return;
    }

  path = g_strdup_printf ("/reports/%s?date=%s&format=csv", which, self->date);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  gt_client_get_bytes_async (self->client, path, cancellable, on_csv_read_cb,
                             g_steal_pointer (&task));
}

gboolean
gt_reports_view_save_csv_finish (GtReportsView *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (GT_IS_REPORTS_VIEW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gt_reports_view_save_csv_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
gt_reports_view_print_to_pdf (GtReportsView *self, const char *path, GError **error)
{
  g_autoptr (GtkPrintOperation) operation = NULL;
  GtkPrintOperationResult result;

  g_return_val_if_fail (GT_IS_REPORTS_VIEW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->cashup == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _ ("The cash-up is not loaded yet"));
      return FALSE;
    }
  operation = cashup_print_operation_new (self);
  gtk_print_operation_set_export_filename (operation, path);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, error);
  return result != GTK_PRINT_OPERATION_RESULT_ERROR;
}
