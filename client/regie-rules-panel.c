/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>

#include "regie-rule-labels.h"
#include "regie-rules-panel.h"
#include "regie-ui-util.h"

/* Deadlines this close are shown as a warning. */
#define SOON_DAYS 14

struct _RegieRulesPanel
{
  AdwBin       parent_instance;

  GtkFlowBox  *deadlines_box;
  GtkLabel    *no_deadlines_label;
  GtkListBox  *attention_list;
  GtkWidget   *attention_scroller;

  GHashTable  *codes;   /* code → TRUE, for tests and lookups */
};

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

static GtkWidget *
deadline_card_new (const RegieDeadline *deadline,
                   const GDate         *today,
                   gboolean             met)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (regie_rule_label (deadline->code));
  g_autofree char *date_text = regie_ui_format_gdate (&deadline->date, FALSE);
  GtkWidget *date = gtk_label_new (date_text);
  g_autofree char *description = NULL;
  int days = today != NULL ? g_date_days_between (today, &deadline->date) : SOON_DAYS + 1;

  gtk_widget_set_name (box, deadline->code);
  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "deadline-card");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_add_css_class (title, "caption");
  gtk_label_set_xalign (GTK_LABEL (date), 0);
  gtk_widget_add_css_class (date, "heading");
  gtk_widget_add_css_class (date, "numeric");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), date);

  if (days < 0 && met)
    {
      /* Translators: a deadline in the past that needs nothing more */
      GtkWidget *state = gtk_label_new (C_("deadline state", "Passed"));

      gtk_widget_add_css_class (box, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (state), 0);
      gtk_widget_add_css_class (state, "caption");
      gtk_box_append (GTK_BOX (box), state);
      /* Translators: a deadline for a screen reader: %s its name, %s the date */
      description = g_strdup_printf (_("%s: %s, passed"), regie_rule_label (deadline->code), date_text);
    }
  else if (days < 0)
    {
      GtkWidget *state = gtk_label_new (C_("deadline state", "Overdue"));

      gtk_widget_add_css_class (box, "error");
      gtk_label_set_xalign (GTK_LABEL (state), 0);
      gtk_widget_add_css_class (state, "caption");
      gtk_box_append (GTK_BOX (box), state);
      /* Translators: a deadline for a screen reader: %s its name, %s the date */
      description = g_strdup_printf (_("%s: %s, overdue"), regie_rule_label (deadline->code), date_text);
    }
  else if (days <= SOON_DAYS)
    {
      g_autofree char *when = NULL;
      GtkWidget *state;

      /* Translators: how soon a deadline falls */
      when = days == 0 ? g_strdup (_("Today"))
                       : g_strdup_printf (ngettext ("In %d day", "In %d days", days), days);
      state = gtk_label_new (when);
      gtk_widget_add_css_class (box, "warning");
      gtk_label_set_xalign (GTK_LABEL (state), 0);
      gtk_widget_add_css_class (state, "caption");
      gtk_box_append (GTK_BOX (box), state);
      /* Translators: a deadline for a screen reader: %s its name, %s the date, %s how soon */
      description = g_strdup_printf (_("%s: %s, %s"), regie_rule_label (deadline->code), date_text, when);
    }
  else
    description = g_strdup_printf (C_("deadline", "%s: %s"), regie_rule_label (deadline->code), date_text);

  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
  gtk_widget_set_tooltip_text (box, description);
  return box;
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

void
regie_rules_panel_set_result (RegieRulesPanel    *self,
                              RegieRulesResult   *result,
                              const GDate        *today,
                              const char * const *met_codes)
{
  guint n_attention = 0;

  g_return_if_fail (REGIE_IS_RULES_PANEL (self));

  remove_all (GTK_WIDGET (self->deadlines_box));
  remove_all (GTK_WIDGET (self->attention_list));
  g_hash_table_remove_all (self->codes);

  if (result == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->no_deadlines_label), TRUE);
      gtk_widget_set_visible (self->attention_scroller, FALSE);
      return;
    }

  for (guint i = 0; i < result->deadlines->len; i++)
    {
      const RegieDeadline *deadline = &g_array_index (result->deadlines, RegieDeadline, i);

      gboolean met = met_codes != NULL && g_strv_contains (met_codes, deadline->code);

      gtk_flow_box_append (self->deadlines_box, deadline_card_new (deadline, today, met));
      g_hash_table_add (self->codes, g_strdup (deadline->code));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->no_deadlines_label), result->deadlines->len == 0);

  for (guint i = 0; i < result->findings->len; i++)
    {
      RegieFinding *finding = g_ptr_array_index (result->findings, i);
      gboolean error = finding->severity == REGIE_SEVERITY_ERROR;

      gtk_list_box_append (self->attention_list,
                           attention_row_new (finding->code, finding->message,
                                              error ? "dialog-error-symbolic" : "dialog-warning-symbolic",
                                              error ? "error" : "warning",
                                              error ? C_("severity", "Error") : C_("severity", "Warning")));
      g_hash_table_add (self->codes, g_strdup (finding->code));
      n_attention++;
    }

  for (guint i = 0; i < result->signals->len; i++)
    {
      RegieRuleSignal *signal = g_ptr_array_index (result->signals, i);

      gtk_list_box_append (self->attention_list,
                           attention_row_new (signal->code, signal->message,
                                              regie_rule_icon_name (signal->code), "accent",
                                              /* Translators: something someone must act on */
                                              C_("rules", "Signal")));
      g_hash_table_add (self->codes, g_strdup (signal->code));
      n_attention++;
    }

  gtk_widget_set_visible (self->attention_scroller, n_attention > 0);
}

gboolean
regie_rules_panel_has_code (RegieRulesPanel *self,
                            const char      *code)
{
  g_return_val_if_fail (REGIE_IS_RULES_PANEL (self), FALSE);

  return g_hash_table_contains (self->codes, code);
}

GtkWidget *
regie_rules_panel_new (void)
{
  return g_object_new (REGIE_TYPE_RULES_PANEL, NULL);
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

  object_class->finalize = regie_rules_panel_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/regie/Regie/regie-rules-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, deadlines_box);
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, no_deadlines_label);
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, attention_list);
  gtk_widget_class_bind_template_child (widget_class, RegieRulesPanel, attention_scroller);
}

static void
regie_rules_panel_init (RegieRulesPanel *self)
{
  self->codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
}
