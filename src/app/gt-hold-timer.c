/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "gt-hold-timer"

#include "config.h"

#include "gt-widget-util.h"
#include <glib/gi18n.h>

#include "gt-hold-timer.h"
#include "gt-json.h"

/* The last minute of a hold is shown as a warning. */
#define WARN_SECONDS 60

/* How long a hold of seats still has, with a button to extend it: the same
 * on the seat map and on the payment page, so that the cashier always sees
 * the time the customer has left. */
struct _GtHoldTimer
{
  GtkWidget parent_instance;

  JsonObject *hold;
  guint       tick_id;

  GtkWidget   *box;
  GtkLabel    *label;
  GtkButton   *extend_button;
  GtkLevelBar *bar;
};

G_DEFINE_FINAL_TYPE (GtHoldTimer, gt_hold_timer, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_HOLD,
  PROP_EXTEND_ACTION_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  EXPIRED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Shows the time left; FALSE once there is none. */
static gboolean
update (GtHoldTimer *self)
{
  gint64           left = gt_hold_timer_get_seconds_left (self);
  gint64           ttl;
  g_autofree char *text = NULL;

  if (left <= 0)
    {
      gtk_label_set_label (self->label, _ ("The hold ran out"));
      gtk_level_bar_set_value (self->bar, 0.0);
      return FALSE;
    }

  ttl = MAX (1, json_object_get_int_member_with_default (self->hold, "ttl_seconds", 300));
  text = g_strdup_printf (_ ("Held for %d:%02d"), (int) (left / 60), (int) (left % 60));
  gtk_label_set_label (self->label, text);
  gtk_level_bar_set_value (self->bar, CLAMP ((double) left / ttl, 0.0, 1.0));
  if (left <= WARN_SECONDS)
    gtk_widget_add_css_class (self->box, "gt-hold-warning");
  else
    gtk_widget_remove_css_class (self->box, "gt-hold-warning");
  return TRUE;
}

static gboolean
on_tick_cb (gpointer user_data)
{
  GtHoldTimer *self = user_data;

  if (update (self))
    return G_SOURCE_CONTINUE;
  self->tick_id = 0;
  g_signal_emit (self, signals[EXPIRED], 0);
  return G_SOURCE_REMOVE;
}

static void
gt_hold_timer_dispose (GObject *object)
{
  GtHoldTimer *self = (GtHoldTimer *) object;

  g_clear_handle_id (&self->tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), GT_TYPE_HOLD_TIMER);
  gt_widget_unparent_children (GTK_WIDGET (self));

  G_OBJECT_CLASS (gt_hold_timer_parent_class)->dispose (object);
}

static void
gt_hold_timer_finalize (GObject *object)
{
  GtHoldTimer *self = (GtHoldTimer *) object;

  g_clear_pointer (&self->hold, json_object_unref);

  G_OBJECT_CLASS (gt_hold_timer_parent_class)->finalize (object);
}

static void
gt_hold_timer_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  GtHoldTimer *self = GT_HOLD_TIMER (object);

  switch (prop_id)
    {
      case PROP_HOLD:
        g_value_set_boxed (value, self->hold);
        break;
      case PROP_EXTEND_ACTION_NAME:
        g_value_set_string (value,
                            gtk_actionable_get_action_name (GTK_ACTIONABLE (self->extend_button)));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gt_hold_timer_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  GtHoldTimer *self = GT_HOLD_TIMER (object);

  switch (prop_id)
    {
      case PROP_HOLD:
        gt_hold_timer_set_hold (self, g_value_get_boxed (value));
        break;
      case PROP_EXTEND_ACTION_NAME:
        gtk_actionable_set_action_name (GTK_ACTIONABLE (self->extend_button),
                                        g_value_get_string (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gt_hold_timer_class_init (GtHoldTimerClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gt_hold_timer_dispose;
  object_class->finalize = gt_hold_timer_finalize;
  object_class->get_property = gt_hold_timer_get_property;
  object_class->set_property = gt_hold_timer_set_property;

  /**
   * GtHoldTimer:hold:
   *
   * The hold counted down (API shape, with `expires_at` and `ttl_seconds`);
   * %NULL hides the timer.
   */
  properties[PROP_HOLD] = g_param_spec_boxed ("hold", NULL, NULL, JSON_TYPE_OBJECT,
                                              G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
                                                | G_PARAM_STATIC_STRINGS);
  /**
   * GtHoldTimer:extend-action-name:
   *
   * The action that the Extend button activates.
   */
  properties[PROP_EXTEND_ACTION_NAME] = g_param_spec_string ("extend-action-name", NULL, NULL, NULL,
                                                             G_PARAM_READWRITE
                                                               | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GtHoldTimer::expired:
   *
   * The hold's time ran out (by this computer's clock).
   */
  signals[EXPIRED] = g_signal_new ("expired", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/id/goticket/GoTicket/ui/gt-hold-timer.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, GtHoldTimer, box);
  gtk_widget_class_bind_template_child (widget_class, GtHoldTimer, label);
  gtk_widget_class_bind_template_child (widget_class, GtHoldTimer, extend_button);
  gtk_widget_class_bind_template_child (widget_class, GtHoldTimer, bar);
}

static void
gt_hold_timer_init (GtHoldTimer *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
gt_hold_timer_set_hold (GtHoldTimer *self, JsonObject *hold)
{
  g_return_if_fail (GT_IS_HOLD_TIMER (self));

  if (hold == self->hold)
    return;
  g_clear_pointer (&self->hold, json_object_unref);
  self->hold = hold ? json_object_ref (hold) : NULL;

  gtk_widget_set_visible (GTK_WIDGET (self), hold != NULL);
  if (hold == NULL)
    g_clear_handle_id (&self->tick_id, g_source_remove);
  else
    {
      /* Told on the next tick, not from inside this call. */
      update (self);
      if (self->tick_id == 0)
        self->tick_id = g_timeout_add (250, on_tick_cb, self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOLD]);
}

JsonObject *
gt_hold_timer_get_hold (GtHoldTimer *self)
{
  g_return_val_if_fail (GT_IS_HOLD_TIMER (self), NULL);
  return self->hold;
}

/* Whole seconds, rounded up: "0:01" until the last moment. */
gint64
gt_hold_timer_get_seconds_left (GtHoldTimer *self)
{
  gint64 expires = 0;

  g_return_val_if_fail (GT_IS_HOLD_TIMER (self), 0);

  if (self->hold == NULL
      || !gt_time_parse (json_object_get_string_member (self->hold, "expires_at"), &expires))
    return 0;
  return (expires - g_get_real_time () + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
}

const char *
gt_hold_timer_get_text (GtHoldTimer *self)
{
  g_return_val_if_fail (GT_IS_HOLD_TIMER (self), NULL);
  return self->hold ? gtk_label_get_label (self->label) : NULL;
}
