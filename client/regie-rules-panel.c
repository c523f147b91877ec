/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>

#include "regie-rule-labels.h"
#include "regie-rules-panel.h"
#include "regie-ui-util.h"

/* Deadlines this close are shown as a warning. */
#define SOON_DAYS 14

/* Findings and signals shown below the deadlines when not all of them fit. */
#define MEDIUM_ROWS 2

/* Everything the engine says when it fits; otherwise (a short window, or a
 * dossier with much to say) every deadline and the first findings; and
 * when not even that fits, the most urgent deadline and the most serious
 * finding on a line each. The panel chooses as it is allocated, like an
 * AdwSqueezer; it asks for no more than regie_rules_panel_set_max_height().
 * "Show All" lists everything in a popover whenever something is left
 * out. What needs action first always comes first. */

struct _RegieRulesPanel
{
  AdwBin         parent_instance;

  GtkWidget     *header_box;
  GtkStack      *forms;
  GtkWidget     *full_box;
  GtkFlowBox    *full_deadlines;
  GtkWidget     *full_no_deadlines;
  GtkListBox    *full_attention;
  GtkWidget     *medium_box;
  GtkFlowBox    *medium_deadlines;
  GtkWidget     *medium_no_deadlines;
  GtkListBox    *medium_attention;
  GtkWidget     *compact_box;
  GtkWidget     *compact_deadline;
  GtkImage      *compact_deadline_icon;
  GtkLabel      *compact_deadline_label;
  GtkWidget     *compact_attention;
  GtkImage      *compact_attention_icon;
  GtkLabel      *compact_attention_label;
  GtkStack      *show_all_stack;
  GtkMenuButton *show_all_button;
  GtkListBox    *all_deadlines_list;
  GtkWidget     *all_attention_heading;
  GtkListBox    *all_attention_list;

  GHashTable    *codes;   /* code → TRUE, for tests and lookups */
  int            max_height;
  guint          n_items;
  guint          n_attention;
  guint          n_compact;   /* items on the summary's two lines */
  guint          show_all_source;
};

typedef enum
{
  STATE_OVERDUE,
  STATE_SOON,
  STATE_LATER,
  STATE_PASSED,   /* passed, and needs nothing more */
} DeadlineState;

typedef struct
{
  const RegieDeadline *deadline;
  DeadlineState        state;
  int                  days;   /* from today */
} Deadline;

G_DEFINE_FINAL_TYPE (RegieRulesPanel, regie_rules_panel, ADW_TYPE_BIN)

static void
remove_all (GtkWidget *container)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (container)) != NULL)
    {
      if (GTK_IS_FLOW_BOX (container))
        gtk_flow_box_remove (GTK_FLOW_BOX (container), child);
      else
        gtk_list_box_remove (GTK_LIST_BOX (container), child);
    }
}

static DeadlineState
deadline_state (int      days,
                gboolean met)
{
  if (days < 0)
    return met ? STATE_PASSED : STATE_OVERDUE;
  return days <= SOON_DAYS ? STATE_SOON : STATE_LATER;
}

/* Overdue first (the longest overdue on top), then what comes next, and
 * what passed without needing anything more last. */
static int
compare_urgency (gconstpointer a,
                 gconstpointer b)
{
  const Deadline *da = a;
  const Deadline *db = b;

  if (da->state != db->state)
    return da->state < db->state ? -1 : 1;
  if (da->state == STATE_PASSED)
    return g_date_compare (&db->deadline->date, &da->deadline->date);
  return g_date_compare (&da->deadline->date, &db->deadline->date);
}

/* "Overdue", "In 3 days", …; NULL for a deadline further away. */
static char *
dup_state_text (const Deadline *d)
{
  switch (d->state)
    {
    case STATE_OVERDUE:
      return g_strdup (C_("deadline state", "Overdue"));
    case STATE_PASSED:
      /* Translators: a deadline in the past that needs nothing more */
      return g_strdup (C_("deadline state", "Passed"));
    case STATE_SOON:
      /* Translators: how soon a deadline falls */
      return d->days == 0 ? g_strdup (_("Today"))
                          : g_strdup_printf (ngettext ("In %d day", "In %d days", d->days), d->days);
    case STATE_LATER:
    default:
      return NULL;
    }
}

static const char *
state_style (DeadlineState state)
{
  switch (state)
    {
    case STATE_OVERDUE:
      return "error";
    case STATE_SOON:
      return "warning";
    case STATE_PASSED:
      return "dim-label";
    case STATE_LATER:
    default:
      return NULL;
    }
}

/* For screen readers and tooltips: name, date and state. */
static char *
describe_deadline (const Deadline *d,
                   const char     *date_text)
{
  g_autofree char *state = dup_state_text (d);
  const char *label = regie_rule_label (d->deadline->code);

  switch (d->state)
    {
    case STATE_OVERDUE:
      /* Translators: a deadline for a screen reader: %s its name, %s the date */
      return g_strdup_printf (_("%s: %s, overdue"), label, date_text);
    case STATE_PASSED:
      /* Translators: a deadline for a screen reader: %s its name, %s the date */
      return g_strdup_printf (_("%s: %s, passed"), label, date_text);
    case STATE_SOON:
      /* Translators: a deadline for a screen reader: %s its name, %s the date, %s how soon */
      return g_strdup_printf (_("%s: %s, %s"), label, date_text, state);
    case STATE_LATER:
    default:
      return g_strdup_printf (C_("deadline", "%s: %s"), label, date_text);
    }
}

static GtkWidget *
deadline_card_new (const Deadline *d)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (regie_rule_label (d->deadline->code));
  g_autofree char *date_text = regie_ui_format_gdate (&d->deadline->date, FALSE);
  g_autofree char *state_text = dup_state_text (d);
  g_autofree char *description = describe_deadline (d, date_text);
  GtkWidget *date = gtk_label_new (date_text);

  gtk_widget_set_name (box, d->deadline->code);
  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "deadline-card");
  if (state_style (d->state) != NULL)
    gtk_widget_add_css_class (box, state_style (d->state));
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "caption");
  gtk_label_set_xalign (GTK_LABEL (date), 0);
  gtk_widget_add_css_class (date, "heading");
  gtk_widget_add_css_class (date, "numeric");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), date);

  if (state_text != NULL)
    {
      GtkWidget *state = gtk_label_new (state_text);

      gtk_label_set_xalign (GTK_LABEL (state), 0);
      gtk_widget_add_css_class (state, "caption");
      gtk_box_append (GTK_BOX (box), state);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
  gtk_widget_set_tooltip_text (box, description);
  return box;
}

/* The same as a row, for the popover. */
static GtkWidget *
deadline_row_new (const Deadline *d)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *date_text = regie_ui_format_gdate (&d->deadline->date, FALSE);
  g_autofree char *state_text = dup_state_text (d);

  gtk_widget_set_name (row, d->deadline->code);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), regie_rule_label (d->deadline->code));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), date_text);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  if (state_text != NULL)
    {
      GtkWidget *state = gtk_label_new (state_text);

      gtk_widget_add_css_class (state, "caption");
      if (state_style (d->state) != NULL)
        gtk_widget_add_css_class (state, state_style (d->state));
      gtk_widget_set_valign (state, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);
    }
  return row;
}

static GtkWidget *
attention_row_new (const char *code,
                   const char *message,
                   const char *icon_name,
                   const char *style_class,
                   const char *kind_label)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (icon_name);
  GtkWidget *kind = gtk_label_new (kind_label);

  gtk_widget_set_name (row, code);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), regie_rule_label (code));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), message != NULL ? message : "");
  gtk_widget_add_css_class (icon, style_class);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, kind_label, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_add_css_class (kind, "caption");
  gtk_widget_add_css_class (kind, "dim-label");
  gtk_widget_set_valign (kind, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), kind);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  return row;
}

/* One finding or signal, as the engine gave it. */
typedef struct
{
  const char *code;
  const char *message;
  const char *icon_name;
  const char *style_class;
  const char *kind_label;
} Attention;

static void
add_attention (GtkListBox      *list,
               const Attention *a)
{
  gtk_list_box_append (list, attention_row_new (a->code, a->message, a->icon_name, a->style_class, a->kind_label));
}

static void
set_compact_icon (GtkImage   *image,
                  const char *icon_name,
                  const char *style_class)
{
  static const char * const styles[] = { "error", "warning", "accent", "dim-label" };

  gtk_image_set_from_icon_name (image, icon_name);
  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (image), styles[i]);
  if (style_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (image), style_class);
}

static void
update_compact (RegieRulesPanel *self,
                const Deadline  *first_deadline,
                const Attention *first_attention)
{
  guint n_compact = 0;

  if (first_deadline != NULL)
    {
      g_autofree char *date_text = regie_ui_format_gdate (&first_deadline->deadline->date, FALSE);
      g_autofree char *state_text = dup_state_text (first_deadline);
      g_autofree char *text = NULL;
      g_autofree char *description = describe_deadline (first_deadline, date_text);

      if (state_text != NULL)
        /* Translators: the most urgent deadline on one line: its name, its
         * date and how soon, e.g. "Next progress talk: 12-03-2026 · In 3 days" */
        text = g_strdup_printf (C_("deadline", "%s: %s · %s"), regie_rule_label (first_deadline->deadline->code),
                                date_text, state_text);
      else
        text = g_strdup_printf (C_("deadline", "%s: %s"), regie_rule_label (first_deadline->deadline->code),
                                date_text);
      gtk_label_set_text (self->compact_deadline_label, text);
      gtk_widget_set_tooltip_text (self->compact_deadline, description);
      set_compact_icon (self->compact_deadline_icon, "alarm-symbolic", state_style (first_deadline->state));
      n_compact++;
    }
  else
    {
      gtk_label_set_text (self->compact_deadline_label, _("No deadlines yet: they start with the DUO notification."));
      gtk_widget_set_tooltip_text (self->compact_deadline, NULL);
      set_compact_icon (self->compact_deadline_icon, "alarm-symbolic", "dim-label");
    }

  gtk_widget_set_visible (self->compact_attention, first_attention != NULL);
  if (first_attention != NULL)
    {
      g_autofree char *text = NULL;

      /* Translators: the most serious finding on one line: its name and
       * what the rules engine says about it */
      text = first_attention->message != NULL && *first_attention->message != '\0'
               ? g_strdup_printf (C_("finding", "%s — %s"), regie_rule_label (first_attention->code),
                                  first_attention->message)
               : g_strdup (regie_rule_label (first_attention->code));
      gtk_label_set_text (self->compact_attention_label, text);
      gtk_widget_set_tooltip_text (self->compact_attention, text);
      set_compact_icon (self->compact_attention_icon, first_attention->icon_name, first_attention->style_class);
      n_compact++;
    }

  self->n_compact = n_compact;
}

/* "Show All" whenever the form shown leaves something out. */
static void
update_show_all (RegieRulesPanel *self)
{
  GtkWidget *shown = gtk_stack_get_visible_child (self->forms);
  guint n_shown = self->n_items;
  g_autofree char *label = NULL;

  if (shown == self->compact_box)
    n_shown = self->n_compact;
  else if (shown == self->medium_box)
    n_shown = self->n_items - self->n_attention + MIN (self->n_attention, MEDIUM_ROWS);

  /* Translators: opens a list of every deadline, finding and signal of a
   * dossier; %u is how many there are */
  label = g_strdup_printf (_("Show All (%u)"), self->n_items);
  gtk_menu_button_set_label (self->show_all_button, label);
  if (n_shown < self->n_items)
    gtk_stack_set_visible_child_name (self->show_all_stack, "button");
  else
    {
      gtk_menu_button_popdown (self->show_all_button);
      gtk_stack_set_visible_child_name (self->show_all_stack, "none");
    }
}

static gboolean
update_show_all_cb (gpointer user_data)
{
  RegieRulesPanel *self = user_data;

  self->show_all_source = 0;
  update_show_all (self);
  return G_SOURCE_REMOVE;
}

static void
forms_visible_child_cb (RegieRulesPanel *self)
{
  /* The form is chosen while the panel is allocated; the button changes
   * after that, not in the middle of it. */
  if (self->show_all_source == 0)
    self->show_all_source = g_idle_add (update_show_all_cb, self);
}

void
regie_rules_panel_set_result (RegieRulesPanel    *self,
                              RegieRulesResult   *result,
                              const GDate        *today,
                              const char * const *met_codes)
{
  g_autoptr(GArray) deadlines = g_array_new (FALSE, FALSE, sizeof (Deadline));
  g_autoptr(GArray) attention = g_array_new (FALSE, FALSE, sizeof (Attention));

  g_return_if_fail (REGIE_IS_RULES_PANEL (self));

  remove_all (GTK_WIDGET (self->full_deadlines));
  remove_all (GTK_WIDGET (self->full_attention));
  remove_all (GTK_WIDGET (self->medium_deadlines));
  remove_all (GTK_WIDGET (self->medium_attention));
  remove_all (GTK_WIDGET (self->all_deadlines_list));
  remove_all (GTK_WIDGET (self->all_attention_list));
  g_hash_table_remove_all (self->codes);
  gtk_menu_button_popdown (self->show_all_button);

  for (guint i = 0; result != NULL && i < result->deadlines->len; i++)
    {
      Deadline d;

      d.deadline = &g_array_index (result->deadlines, RegieDeadline, i);
      d.days = today != NULL ? g_date_days_between (today, &d.deadline->date) : SOON_DAYS + 1;
      d.state = deadline_state (d.days, met_codes != NULL && g_strv_contains (met_codes, d.deadline->code));
      g_array_append_val (deadlines, d);
      g_hash_table_add (self->codes, g_strdup (d.deadline->code));
    }
  g_array_sort (deadlines, compare_urgency);

  /* Errors first, then warnings (the engine's order), then signals. */
  for (guint i = 0; result != NULL && i < result->findings->len; i++)
    {
      RegieFinding *finding = g_ptr_array_index (result->findings, i);
      gboolean error = finding->severity == REGIE_SEVERITY_ERROR;
      Attention a = {
        finding->code, finding->message,
        error ? "dialog-error-symbolic" : "dialog-warning-symbolic",
        error ? "error" : "warning",
        error ? C_("severity", "Error") : C_("severity", "Warning"),
      };

      g_array_append_val (attention, a);
      g_hash_table_add (self->codes, g_strdup (finding->code));
    }
  for (guint i = 0; result != NULL && i < result->signals->len; i++)
    {
      RegieRuleSignal *signal = g_ptr_array_index (result->signals, i);
      Attention a = {
        signal->code, signal->message, regie_rule_icon_name (signal->code), "accent",
        /* Translators: something someone must act on */
        C_("rules", "Signal"),
      };

      g_array_append_val (attention, a);
      g_hash_table_add (self->codes, g_strdup (signal->code));
    }

  for (guint i = 0; i < deadlines->len; i++)
    {
      const Deadline *d = &g_array_index (deadlines, Deadline, i);

      gtk_flow_box_append (self->full_deadlines, deadline_card_new (d));
      gtk_flow_box_append (self->medium_deadlines, deadline_card_new (d));
      gtk_list_box_append (self->all_deadlines_list, deadline_row_new (d));
    }
  gtk_widget_set_visible (self->full_no_deadlines, deadlines->len == 0);
  gtk_widget_set_visible (self->medium_no_deadlines, deadlines->len == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->all_deadlines_list), deadlines->len > 0);

  for (guint i = 0; i < attention->len; i++)
    {
      const Attention *a = &g_array_index (attention, Attention, i);

      add_attention (self->full_attention, a);
      if (i < MEDIUM_ROWS)
        add_attention (self->medium_attention, a);
      add_attention (self->all_attention_list, a);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->full_attention), attention->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->medium_attention), attention->len > 0);
  gtk_widget_set_visible (self->all_attention_heading, attention->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->all_attention_list), attention->len > 0);

  /* Chosen again even if the panel's size stays the same. */
  gtk_widget_queue_resize (GTK_WIDGET (self));

  update_compact (self,
                  deadlines->len > 0 ? &g_array_index (deadlines, Deadline, 0) : NULL,
                  attention->len > 0 ? &g_array_index (attention, Attention, 0) : NULL);
  self->n_items = deadlines->len + attention->len;
  self->n_attention = attention->len;
  update_show_all (self);
}

gboolean
regie_rules_panel_has_code (RegieRulesPanel *self,
                            const char      *code)
{
  g_return_val_if_fail (REGIE_IS_RULES_PANEL (self), FALSE);

  return g_hash_table_contains (self->codes, code);
}

void
regie_rules_panel_set_max_height (RegieRulesPanel *self,
                                  int              max_height)
{
  g_return_if_fail (REGIE_IS_RULES_PANEL (self));

  if (self->max_height == max_height)
    return;
  self->max_height = max_height;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

RegieRulesPanelForm
regie_rules_panel_get_form (RegieRulesPanel *self)
{
  GtkWidget *shown;

  g_return_val_if_fail (REGIE_IS_RULES_PANEL (self), REGIE_RULES_PANEL_FULL);

  shown = gtk_stack_get_visible_child (self->forms);
  if (shown == self->compact_box)
    return REGIE_RULES_PANEL_SUMMARY;
  if (shown == self->medium_box)
    return REGIE_RULES_PANEL_FIRST_ROWS;
  return REGIE_RULES_PANEL_FULL;
}

gboolean
regie_rules_panel_get_show_all_visible (RegieRulesPanel *self)
{
  g_return_val_if_fail (REGIE_IS_RULES_PANEL (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->show_all_stack), "button") == 0;
}

/* The first form that fits in `height` at `width`, below the header:
 * everything, the first rows, or the summary (which always does). Its
 * height with the header in *out_height. */
static GtkWidget *
choose_form (RegieRulesPanel *self,
             int              width,
             int              height,
             int             *out_height)
{
  GtkWidget *forms[] = { self->full_box, self->medium_box, self->compact_box };
  int header, spacing = gtk_box_get_spacing (GTK_BOX (adw_bin_get_child (ADW_BIN (self))));

  gtk_widget_measure (self->header_box, GTK_ORIENTATION_VERTICAL, width, &header, NULL, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      int form;

      /* The middle form only when it differs from the full one. */
      if (forms[i] == self->medium_box && self->n_attention <= MEDIUM_ROWS)
        continue;
      gtk_widget_measure (forms[i], GTK_ORIENTATION_VERTICAL, width, &form, NULL, NULL, NULL);
      *out_height = header + spacing + form;
      if (*out_height <= height || forms[i] == self->compact_box)
        return forms[i];
    }
  g_assert_not_reached ();
  return NULL;
}

/* No layout manager (AdwBin's would measure and allocate for us): the
 * natural height is that of the first form within the most height asked
 * for, so that none is left empty below a shorter form. */
static GtkSizeRequestMode
regie_rules_panel_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
regie_rules_panel_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  RegieRulesPanel *self = REGIE_RULES_PANEL (widget);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      gtk_widget_measure (child, orientation, for_size, minimum, natural, NULL, NULL);
      return;
    }

  choose_form (self, for_size, 0, minimum);
  choose_form (self, for_size, self->max_height > 0 ? self->max_height : G_MAXINT, natural);
  /* A longer form can be shorter than the summary (with little to say). */
  *minimum = MIN (*minimum, *natural);
}

static void
regie_rules_panel_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  RegieRulesPanel *self = REGIE_RULES_PANEL (widget);
  int form_height;
  GtkWidget *form = choose_form (self, width, height, &form_height);

  if (gtk_stack_get_visible_child (self->forms) != form)
    gtk_stack_set_visible_child (self->forms, form);
  gtk_widget_allocate (adw_bin_get_child (ADW_BIN (widget)), width, height, baseline, NULL);
}

GtkWidget *
regie_rules_panel_new (void)
{
  return g_object_new (REGIE_TYPE_RULES_PANEL, NULL);
}

static void
regie_rules_panel_dispose (GObject *object)
{
  RegieRulesPanel *self = REGIE_RULES_PANEL (object);

  g_clear_handle_id (&self->show_all_source, g_source_remove);

  G_OBJECT_CLASS (regie_rules_panel_parent_class)->dispose (object);
}

static void
regie_rules_panel_finalize (GObject *object)
{
  RegieRulesPanel *self = REGIE_RULES_PANEL (object);

  g_hash_table_unref (self->codes);

  G_OBJECT_CLASS (regie_rules_panel_parent_class)->finalize (object);
}

static void
regie_rules_panel_class_init (RegieRulesPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = regie_rules_panel_dispose;
  object_class->finalize = regie_rules_panel_finalize;
  widget_class->get_request_mode = regie_rules_panel_get_request_mode;
  widget_class->measure = regie_rules_panel_measure;
  widget_class->size_allocate = regie_rules_panel_size_allocate;

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/regie/Regie/regie-rules-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, header_box);
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, forms);
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, full_box);
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, full_deadlines);
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, full_no_deadlines);
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, full_attention);
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, medium_box);
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, medium_deadlines);
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, medium_no_deadlines);
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, medium_attention);
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, compact_box);
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, compact_deadline);
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, compact_deadline_icon);
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, compact_deadline_label);
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, compact_attention);
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, compact_attention_icon);
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, compact_attention_label);
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, show_all_stack);
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, show_all_button);
  gtk_widget_class_bind_template_callback (widget_class, forms_visible_child_cb);
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, all_deadlines_list);
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, all_attention_heading);
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, all_attention_list);
}

static void
regie_rules_panel_init (RegieRulesPanel *self)
{
  self->codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
}
