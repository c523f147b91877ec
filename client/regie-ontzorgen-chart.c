/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>

#include "regie-util.h"

#include "regie-ontzorgen-chart.h"
#include "regie-ui-util.h"

typedef struct
{
  char     *month;        /* YYYY-MM */
  gint64    income;       /* bijstand + other income + toeslagen received */
  gint64    fixed;
  gint64    leefgeld;
  gboolean  toeslag_late;
  gboolean  loan_open;
} Month;

struct _RegieOntzorgenChart
{
  GtkWidget  parent_instance;

  GArray    *months;       /* Month */
  gint64     threshold;
  char      *description;
};

G_DEFINE_FINAL_TYPE (RegieOntzorgenChart, regie_ontzorgen_chart, GTK_TYPE_WIDGET)

static void
month_clear (gpointer data)
{
  g_free (((Month *) data)->month);
}

static gint64
sum_member (JsonArray  *array,
            const char *member)
{
  gint64 total = 0;

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    total += regie_json_object_get_int (json_array_get_object_element (array, i), member, 0);
  return total;
}

/* The last day of a YYYY-MM month. */
static gboolean
month_end (const char *month,
           GDate      *out)
{
  g_autofree char *first = g_strconcat (month != NULL ? month : "", "-01", NULL);

  if (!regie_date_parse (first, out))
    return FALSE;
  g_date_set_day (out, g_date_get_days_in_month (g_date_get_month (out), g_date_get_year (out)));
  return TRUE;
}

static gboolean
loan_open_at (RegieRecord *loan,
              const GDate *day)
{
  JsonArray *repayments = regie_record_get_array (loan, "repayments");
  gint64 open = regie_record_get_int (loan, "amount_cents", 0);
  GDate granted;

  if (!regie_record_get_date (loan, "granted_on", &granted) || g_date_compare (&granted, day) > 0)
    return FALSE;
  for (guint i = 0; repayments != NULL && i < json_array_get_length (repayments); i++)
    {
      JsonObject *repayment = json_array_get_object_element (repayments, i);
      GDate paid;

      if (regie_json_object_get_date (repayment, "paid_on", &paid) && g_date_compare (&paid, day) <= 0)
        open -= regie_json_object_get_int (repayment, "amount_cents", 0);
    }
  return open > 0;
}

static gboolean
toeslag_late (JsonArray   *toeslagen,
              int          grace_days,
              const GDate *today)
{
  for (guint i = 0; toeslagen != NULL && i < json_array_get_length (toeslagen); i++)
    {
      JsonObject *o = json_array_get_object_element (toeslagen, i);
      GDate expected, received;

      if (!regie_json_object_get_date (o, "expected_on", &expected))
        continue;
      g_date_add_days (&expected, grace_days);
      /* Late now, or arrived late. */
      if (regie_json_object_get_date (o, "received_on", &received)
          ? g_date_compare (&received, &expected) > 0
          : g_date_compare (today, &expected) > 0)
        return TRUE;
    }
  return FALSE;
}

static void
update_description (RegieOntzorgenChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) late = g_ptr_array_new ();
  g_autoptr(GPtrArray) loans = g_ptr_array_new ();
  g_autofree char *threshold = regie_ui_format_euros (self->threshold);
  const Month *lowest = NULL;

  if (self->months->len == 0)
    g_string_append (text, _("No ontzorgen months recorded."));
  else
    {
      /* Translators: start of the chart's description for screen readers */
      g_string_append_printf (text, ngettext ("Chart of %u ontzorgen month.", "Chart of %u ontzorgen months.",
                                              self->months->len), self->months->len);
      for (guint i = 0; i < self->months->len; i++)
        {
          const Month *m = &g_array_index (self->months, Month, i);
          g_autofree char *income = regie_ui_format_euros (m->income);
          g_autofree char *fixed = regie_ui_format_euros (m->fixed);
          g_autofree char *leefgeld = regie_ui_format_euros (m->leefgeld);

          /* Translators: one month in the chart's description: month, income, fixed costs, leefgeld */
          g_string_append_printf (text, _(" %s: income %s, fixed costs %s, leefgeld %s."),
                                  m->month, income, fixed, leefgeld);
          if (lowest == NULL || m->leefgeld < lowest->leefgeld)
            lowest = m;
          if (m->toeslag_late)
            g_ptr_array_add (late, m->month);
          if (m->loan_open)
            g_ptr_array_add (loans, m->month);
        }

      if (lowest != NULL && lowest->leefgeld < self->threshold)
        {
          g_autofree char *amount = regie_ui_format_euros (lowest->leefgeld);

          /* Translators: chart description: lowest leefgeld, month, municipal threshold */
          g_string_append_printf (text, _(" Lowest leefgeld %s in %s, below the threshold of %s."),
                                  amount, lowest->month, threshold);
        }
      else
        /* Translators: chart description: %s is the municipal threshold */
        g_string_append_printf (text, _(" Leefgeld stays above the threshold of %s."), threshold);

      if (late->len > 0)
        {
          g_autofree char *joined = NULL;

          g_ptr_array_add (late, NULL);
          joined = g_strjoinv (", ", (char **) late->pdata);
          /* Translators: chart description: months in which a toeslag came late */
          g_string_append_printf (text, _(" Toeslagen late in: %s."), joined);
        }
      if (loans->len > 0)
        {
          g_autofree char *joined = NULL;

          g_ptr_array_add (loans, NULL);
          joined = g_strjoinv (", ", (char **) loans->pdata);
          /* Translators: chart description: months with a bridging loan still to repay */
          g_string_append_printf (text, _(" Bridging loan open in: %s."), joined);
        }
    }

  g_free (self->description);
  self->description = g_string_free (g_steal_pointer (&text), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                  -1);
}

void
regie_ontzorgen_chart_set_data (RegieOntzorgenChart *self,
                                GPtrArray           *months,
                                GPtrArray           *loans,
                                gint64               threshold_cents,
                                int                  toeslag_grace_days,
                                const GDate         *today)
{
  g_return_if_fail (REGIE_IS_ONTZORGEN_CHART (self));
  g_return_if_fail (months != NULL);
  g_return_if_fail (today != NULL);

  g_array_set_size (self->months, 0);
  self->threshold = threshold_cents;

  for (guint i = 0; i < months->len; i++)
    {
      RegieRecord *r = g_ptr_array_index (months, i);
      JsonArray *toeslagen = regie_record_get_array (r, "toeslagen");
      Month m = { 0 };
      GDate end;

      m.month = g_strdup (regie_record_get_string (r, "month"));
      m.income = regie_record_get_int (r, "bijstand_cents", 0) + regie_record_get_int (r, "other_income_cents", 0);
      for (guint t = 0; toeslagen != NULL && t < json_array_get_length (toeslagen); t++)
        {
          JsonObject *o = json_array_get_object_element (toeslagen, t);

          if (json_object_has_member (o, "received_on"))
            m.income += regie_json_object_get_int (o, "received_cents", 0);
        }
      m.fixed = sum_member (regie_record_get_array (r, "fixed_costs"), "amount_cents");
      m.leefgeld = m.income - m.fixed;
      m.toeslag_late = toeslag_late (toeslagen, toeslag_grace_days, today);
      if (loans != NULL && month_end (m.month, &end))
        for (guint l = 0; l < loans->len && !m.loan_open; l++)
          m.loan_open = loan_open_at (g_ptr_array_index (loans, l), &end);
      g_array_append_val (self->months, m);
    }

  update_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
regie_ontzorgen_chart_get_n_months (RegieOntzorgenChart *self)
{
  g_return_val_if_fail (REGIE_IS_ONTZORGEN_CHART (self), 0);
  return self->months->len;
}

const char *
regie_ontzorgen_chart_get_description (RegieOntzorgenChart *self)
{
  g_return_val_if_fail (REGIE_IS_ONTZORGEN_CHART (self), NULL);
  return self->description;
}

GtkWidget *
regie_ontzorgen_chart_new (void)
{
  return g_object_new (REGIE_TYPE_ONTZORGEN_CHART, NULL);
}

/* ---- drawing ---------------------------------------------------------------- */

typedef struct
{
  GdkRGBA fg, income, fixed, leefgeld, low, warning, loan;
} Palette;

static void
lookup (GtkStyleContext *context,
        const char      *name,
        GdkRGBA         *out,
        const char      *fallback)
{
  if (!gtk_style_context_lookup_color (context, name, out))
    gdk_rgba_parse (out, fallback);
}

static void
get_palette (GtkWidget *widget,
             Palette   *p)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  /* The foreground follows the theme (dark mode); the named colours are
   * libadwaita's, which have dark variants too. */
  gtk_style_context_get_color (context, &p->fg);
  lookup (context, "accent_color", &p->income, "#1c71d8");
  p->fixed = p->fg;
  p->fixed.alpha *= 0.45;
  lookup (context, "success_color", &p->leefgeld, "#26a269");
  lookup (context, "error_color", &p->low, "#c01c28");
  lookup (context, "warning_color", &p->warning, "#e5a50a");
  lookup (context, "purple_3", &p->loan, "#9141ac");
}

static PangoLayout *
layout_new (GtkWidget  *widget,
            const char *text,
            gboolean    small)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);

  if (small)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  return layout;
}

static int
line_height (GtkWidget *widget)
{
  g_autoptr(PangoLayout) layout = layout_new (widget, "€ 0g", FALSE);
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  return MAX (height, 1);
}

static void
show_text (cairo_t     *cr,
           GtkWidget   *widget,
           const char  *text,
           double       x,
           double       y,
           double       xalign,
           const GdkRGBA *color)
{
  g_autoptr(PangoLayout) layout = layout_new (widget, text, TRUE);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_move_to (cr, x - width * xalign, y - height / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static double
text_width (GtkWidget  *widget,
            const char *text)
{
  g_autoptr(PangoLayout) layout = layout_new (widget, text, TRUE);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

/* Whole euros are all the axis needs; no libm. */
static double
floor_to (double value,
          double step)
{
  gint64 n = (gint64) (value / step);

  if (n * step > value)
    n--;
  return n * step;
}

static double
ceil_to (double value,
         double step)
{
  gint64 n = (gint64) (value / step);

  if (n * step < value)
    n++;
  return n * step;
}

/* A round step for the y axis: 1, 2 or 5 × 10^n euros. */
static double
nice_step (double range)
{
  double raw = range / 4, magnitude = 1;
  double steps[] = { 1, 2, 5, 10 };

  while (magnitude * 10 <= raw)
    magnitude *= 10;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i] * magnitude >= raw)
      return steps[i] * magnitude;
  return 10 * magnitude;
}

static double
legend_item (cairo_t       *cr,
             GtkWidget     *widget,
             const GdkRGBA *fg,
             double         x,
             double         y,
             const GdkRGBA *color,
             const char    *label,
             gboolean       line)
{
  double box = 10;

  gdk_cairo_set_source_rgba (cr, color);
  if (line)
    {
      cairo_set_line_width (cr, 2);
      cairo_move_to (cr, x, y);
      cairo_line_to (cr, x + 16, y);
      cairo_stroke (cr);
      box = 16;
    }
  else
    {
      cairo_rectangle (cr, x, y - 5, 10, 10);
      cairo_fill (cr);
    }
  show_text (cr, widget, label, x + box + 4, y, 0, fg);
  return x + box + 4 + text_width (widget, label) + 14;
}

static void
regie_ontzorgen_chart_snapshot (GtkWidget   *widget,
                                GtkSnapshot *snapshot)
{
  RegieOntzorgenChart *self = REGIE_ONTZORGEN_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int lh = line_height (widget);
  Palette p;
  cairo_t *cr;
  double max_v = self->threshold, min_v = 0, step, left, right, top, bottom, group_w, bar_w, x;
  g_autofree char *threshold_text = NULL;
  g_autofree char *threshold_amount = regie_ui_format_euros (self->threshold);
  double dashes[] = { 6, 4 };

  if (self->months->len == 0 || width <= 0 || height <= 0)
    return;

  get_palette (widget, &p);

  for (guint i = 0; i < self->months->len; i++)
    {
      const Month *m = &g_array_index (self->months, Month, i);

      max_v = MAX (max_v, MAX (m->income, MAX (m->fixed, m->leefgeld)));
      min_v = MIN (min_v, m->leefgeld);
    }
  max_v /= 100.0;
  min_v /= 100.0;
  step = nice_step (max_v - min_v);
  max_v = ceil_to (max_v, step);
  min_v = floor_to (min_v, step);
  if (max_v <= min_v)
    max_v = min_v + step;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  /* Legend on top, in the order of the bars. */
  {
    double lx = 0, ly = lh / 2.0;

    lx = legend_item (cr, widget, &p.fg, lx, ly, &p.income, _("Income"), FALSE);
    lx = legend_item (cr, widget, &p.fg, lx, ly, &p.fixed, _("Fixed costs"), FALSE);
    lx = legend_item (cr, widget, &p.fg, lx, ly, &p.leefgeld, C_("chart", "Leefgeld"), FALSE);
    if (lx > width - 180)
      {
        lx = 0;
        ly += lh + 4;
      }
    /* Translators: legend of the ontzorgen chart; %s is the municipal threshold */
    threshold_text = g_strdup_printf (_("Threshold %s"), threshold_amount);
    lx = legend_item (cr, widget, &p.fg, lx, ly, &p.low, threshold_text, TRUE);
    lx = legend_item (cr, widget, &p.fg, lx, ly, &p.warning, _("Toeslag late"), FALSE);
    legend_item (cr, widget, &p.fg, lx, ly, &p.loan, _("Loan open"), TRUE);
    top = ly + lh * 1.5;
  }

  {
    g_autofree char *widest = g_strdup_printf ("€ %.0f", MAX (max_v, -min_v));

    left = text_width (widget, widest) + 12;
  }
  right = width - 8;
  bottom = height - lh * 2.2;
  if (bottom - top < 40)
    {
      cairo_destroy (cr);
      return;
    }

#define Y(v) (bottom - ((v) - min_v) / (max_v - min_v) * (bottom - top))

  group_w = (right - left) / self->months->len;
  bar_w = MIN (group_w * 0.24, 28);

  /* Late toeslag months: a band behind the bars. */
  for (guint i = 0; i < self->months->len; i++)
    if (g_array_index (self->months, Month, i).toeslag_late)
      {
        GdkRGBA band = p.warning;

        band.alpha = 0.18;
        gdk_cairo_set_source_rgba (cr, &band);
        cairo_rectangle (cr, left + i * group_w + 2, top, group_w - 4, bottom - top);
        cairo_fill (cr);
      }

  /* Grid and y labels. */
  cairo_set_line_width (cr, 1);
  for (double v = min_v; v <= max_v + step / 2; v += step)
    {
      GdkRGBA grid = p.fg;
      g_autofree char *label = g_strdup_printf ("€ %.0f", v);

      grid.alpha *= v == 0 ? 0.5 : 0.12;
      gdk_cairo_set_source_rgba (cr, &grid);
      cairo_move_to (cr, left, (int) Y (v) + 0.5);
      cairo_line_to (cr, right, (int) Y (v) + 0.5);
      cairo_stroke (cr);
      grid = p.fg;
      grid.alpha *= 0.7;
      show_text (cr, widget, label, left - 6, Y (v), 1, &grid);
    }

  /* Bars. */
  for (guint i = 0; i < self->months->len; i++)
    {
      const Month *m = &g_array_index (self->months, Month, i);
      double values[] = { m->income / 100.0, m->fixed / 100.0, m->leefgeld / 100.0 };
      const GdkRGBA *colors[] = { &p.income, &p.fixed, m->leefgeld < self->threshold ? &p.low : &p.leefgeld };
      double center = left + (i + 0.5) * group_w;

      x = center - 1.5 * bar_w - 2;
      for (guint b = 0; b < 3; b++)
        {
          double y0 = Y (0), y1 = Y (values[b]);

          gdk_cairo_set_source_rgba (cr, colors[b]);
          cairo_rectangle (cr, x, MIN (y0, y1), bar_w, MAX (1, ABS (y1 - y0)));
          cairo_fill (cr);
          x += bar_w + 2;
        }

      show_text (cr, widget, m->month, center, bottom + lh * 0.6, 0.5, &p.fg);

      if (m->loan_open)
        {
          gdk_cairo_set_source_rgba (cr, &p.loan);
          cairo_set_line_width (cr, 4);
          cairo_move_to (cr, left + i * group_w + 2, bottom + lh * 1.5);
          cairo_line_to (cr, left + (i + 1) * group_w - 2, bottom + lh * 1.5);
          cairo_stroke (cr);
        }
    }

  /* The municipal threshold. */
  gdk_cairo_set_source_rgba (cr, &p.low);
  cairo_set_line_width (cr, 2);
  cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
  cairo_move_to (cr, left, Y (self->threshold / 100.0));
  cairo_line_to (cr, right, Y (self->threshold / 100.0));
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

#undef Y

  cairo_destroy (cr);
}

static void
regie_ontzorgen_chart_measure (GtkWidget      *widget,
                               GtkOrientation  orientation,
                               int             for_size,
                               int            *minimum,
                               int            *natural,
                               int            *minimum_baseline,
                               int            *natural_baseline)
{
  RegieOntzorgenChart *self = REGIE_ONTZORGEN_CHART (widget);
  int lh = line_height (widget);

  /* In lines of text, so that large text gets a taller chart. */
  if (orientation == GTK_ORIENTATION_VERTICAL)
    *minimum = *natural = self->months->len > 0 ? lh * 16 : 0;
  else
    {
      *minimum = 200;
      *natural = MAX (200, (int) self->months->len * 72);
    }
}

static void
regie_ontzorgen_chart_css_changed (GtkWidget         *widget,
                                   GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (regie_ontzorgen_chart_parent_class)->css_changed (widget, change);
  gtk_widget_queue_resize (widget);
}

static void
regie_ontzorgen_chart_finalize (GObject *object)
{
  RegieOntzorgenChart *self = REGIE_ONTZORGEN_CHART (object);

  g_array_unref (self->months);
  g_free (self->description);

  G_OBJECT_CLASS (regie_ontzorgen_chart_parent_class)->finalize (object);
}

static void
regie_ontzorgen_chart_class_init (RegieOntzorgenChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = regie_ontzorgen_chart_finalize;
  widget_class->snapshot = regie_ontzorgen_chart_snapshot;
  widget_class->measure = regie_ontzorgen_chart_measure;
  widget_class->css_changed = regie_ontzorgen_chart_css_changed;

  gtk_widget_class_set_css_name (widget_class, "ontzorgenchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
regie_ontzorgen_chart_init (RegieOntzorgenChart *self)
{
  self->months = g_array_new (FALSE, TRUE, sizeof (Month));
  g_array_set_clear_func (self->months, month_clear);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Ontzorgen per month"),
                                  -1);
  update_description (self);
}
