/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "Regie"

#include "config.h"

#include <glib/gi18n.h>

#include "regie-field-compare.h"

/* A layout of its own rather than a GtkGrid: GTK 4.8 has no breakpoints,
 * and three homogeneous columns of wrapping labels need three times the
 * longest word, which is what kept the dossier page from fitting beside
 * the caseload at 800 px. Below WIDE_MINIMUM the field names go on a line
 * of their own, above two columns of values. */

#define COLUMN_SPACING      12
#define ROW_SPACING         6
#define STACKED_ROW_SPACING 12
#define NAME_SPACING        2
#define WIDE_MINIMUM        440

typedef struct
{
  GtkWidget *name;
  GtkWidget *before;
  GtkWidget *after;
} Row;

struct _RegieFieldCompare
{
  GtkWidget   parent_instance;

  GtkWidget  *name_heading;
  GtkWidget  *before_heading;
  GtkWidget  *after_heading;
  GtkWidget  *placeholder;
  GArray     *rows;          /* of Row */
  gboolean    stacked;
};

G_DEFINE_FINAL_TYPE (RegieFieldCompare, regie_field_compare, GTK_TYPE_WIDGET)

static GtkWidget *
new_label (RegieFieldCompare *self,
           const char        *text,
           const char        *style_class,
           gboolean           selectable)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), selectable);
  if (style_class != NULL)
    gtk_widget_add_css_class (label, style_class);
  /* Children stay in reading order: headings, then name, before, after
   * per row, then the placeholder. */
  gtk_widget_insert_before (label, GTK_WIDGET (self), self->placeholder);
  return label;
}

static int
min_width (GtkWidget *child)
{
  int min = 0;

  if (gtk_widget_get_visible (child))
    gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  return min;
}

static int
nat_width (GtkWidget *child)
{
  int nat = 0;

  if (gtk_widget_get_visible (child))
    gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &nat, NULL, NULL);
  return nat;
}

static int
height_for (GtkWidget *child,
            int        width,
            gboolean   natural)
{
  int min = 0, nat = 0;

  if (!gtk_widget_get_visible (child))
    return 0;
  gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, MAX (width, 0), &min, &nat, NULL, NULL);
  return natural ? nat : min;
}

static gboolean
has_placeholder (RegieFieldCompare *self)
{
  return self->rows->len == 0 && gtk_label_get_text (GTK_LABEL (self->placeholder))[0] != '\0';
}

/* The widest single word of a name, and of a value or value heading. */
static void
column_minimums (RegieFieldCompare *self,
                 int               *out_name,
                 int               *out_value)
{
  int name = min_width (self->name_heading);
  int value = MAX (min_width (self->before_heading), min_width (self->after_heading));

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);

      name = MAX (name, min_width (row->name));
      value = MAX (value, MAX (min_width (row->before), min_width (row->after)));
    }
  *out_name = name;
  *out_value = value;
}

static gboolean
is_stacked (RegieFieldCompare *self,
            int                width)
{
  int name, value;

  if (width < WIDE_MINIMUM)
    return TRUE;
  column_minimums (self, &name, &value);
  return 3 * MAX (name, value) + 2 * COLUMN_SPACING > width;
}

static void
place (GtkWidget *child,
       gboolean   allocate,
       int        x,
       int        y,
       int        width,
       int        height)
{
  if (allocate && gtk_widget_get_visible (child))
    gtk_widget_size_allocate (child, &(GtkAllocation) { x, y, MAX (width, 0), height }, -1);
}

/* Lays the children out in `width`; returns the height it takes. Only
 * allocates when `allocate` is set. */
static int
layout (RegieFieldCompare *self,
        int                width,
        gboolean           natural,
        gboolean           allocate)
{
  gboolean stacked = is_stacked (self, width);
  int col3 = MAX (0, (width - 2 * COLUMN_SPACING) / 3);
  int col2 = MAX (0, (width - COLUMN_SPACING) / 2);
  int x2 = col2 + COLUMN_SPACING;
  int x3a = col3 + COLUMN_SPACING;
  int x3b = 2 * (col3 + COLUMN_SPACING);
  int y = 0;
  int h;

  if (allocate)
    {
      self->stacked = stacked;
      if (gtk_widget_get_child_visible (self->name_heading) == stacked)
        gtk_widget_set_child_visible (self->name_heading, !stacked);
    }

  if (stacked)
    {
      h = MAX (height_for (self->before_heading, col2, natural), height_for (self->after_heading, width - x2, natural));
      place (self->before_heading, allocate, 0, y, col2, h);
      place (self->after_heading, allocate, x2, y, width - x2, h);
    }
  else
    {
      h = MAX (height_for (self->name_heading, col3, natural),
               MAX (height_for (self->before_heading, col3, natural), height_for (self->after_heading, width - x3b, natural)));
      place (self->name_heading, allocate, 0, y, col3, h);
      place (self->before_heading, allocate, x3a, y, col3, h);
      place (self->after_heading, allocate, x3b, y, width - x3b, h);
    }
  y += h;

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);

      if (stacked)
        {
          y += STACKED_ROW_SPACING;
          h = height_for (row->name, width, natural);
          place (row->name, allocate, 0, y, width, h);
          y += h + NAME_SPACING;
          h = MAX (height_for (row->before, col2, natural), height_for (row->after, width - x2, natural));
          place (row->before, allocate, 0, y, col2, h);
          place (row->after, allocate, x2, y, width - x2, h);
        }
      else
        {
          y += ROW_SPACING;
          h = MAX (height_for (row->name, col3, natural),
                   MAX (height_for (row->before, col3, natural), height_for (row->after, width - x3b, natural)));
          place (row->name, allocate, 0, y, col3, h);
          place (row->before, allocate, x3a, y, col3, h);
          place (row->after, allocate, x3b, y, width - x3b, h);
        }
      y += h;
    }

  if (has_placeholder (self))
    {
      y += ROW_SPACING;
      h = height_for (self->placeholder, width, natural);
      place (self->placeholder, allocate, 0, y, width, h);
      y += h;
    }

  return y;
}

static GtkSizeRequestMode
regie_field_compare_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static int
natural_width (RegieFieldCompare *self)
{
  int widest = MAX (nat_width (self->name_heading), MAX (nat_width (self->before_heading), nat_width (self->after_heading)));

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);

      widest = MAX (widest, MAX (nat_width (row->name), MAX (nat_width (row->before), nat_width (row->after))));
    }
  return MAX (3 * widest + 2 * COLUMN_SPACING, nat_width (self->placeholder));
}

static void
regie_field_compare_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  RegieFieldCompare *self = REGIE_FIELD_COMPARE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int name, value;

      column_minimums (self, &name, &value);
      /* The stacked layout is the narrowest there is. */
      *minimum = MAX (MAX (name, 2 * value + COLUMN_SPACING), has_placeholder (self) ? min_width (self->placeholder) : 0);
      *natural = MAX (*minimum, natural_width (self));
    }
  else
    {
      int width = for_size >= 0 ? for_size : natural_width (self);

      *minimum = layout (self, width, FALSE, FALSE);
      *natural = MAX (*minimum, layout (self, width, TRUE, FALSE));
    }
}

static void
regie_field_compare_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  RegieFieldCompare *self = REGIE_FIELD_COMPARE (widget);
  gboolean natural = height >= layout (self, width, TRUE, FALSE);

  layout (self, width, natural, TRUE);
}

static void
regie_field_compare_dispose (GObject *object)
{
  RegieFieldCompare *self = REGIE_FIELD_COMPARE (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  if (self->rows != NULL)
    g_array_set_size (self->rows, 0);

  G_OBJECT_CLASS (regie_field_compare_parent_class)->dispose (object);
}

static void
regie_field_compare_finalize (GObject *object)
{
  RegieFieldCompare *self = REGIE_FIELD_COMPARE (object);

  g_array_unref (self->rows);

  G_OBJECT_CLASS (regie_field_compare_parent_class)->finalize (object);
}

static void
regie_field_compare_class_init (RegieFieldCompareClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = regie_field_compare_dispose;
  object_class->finalize = regie_field_compare_finalize;

  widget_class->get_request_mode = regie_field_compare_get_request_mode;
  widget_class->measure = regie_field_compare_measure;
  widget_class->size_allocate = regie_field_compare_size_allocate;

  gtk_widget_class_set_css_name (widget_class, "fieldcompare");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
regie_field_compare_init (RegieFieldCompare *self)
{
  self->rows = g_array_new (FALSE, TRUE, sizeof (Row));

  self->placeholder = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->placeholder), 0);
  gtk_label_set_wrap (GTK_LABEL (self->placeholder), TRUE);
  gtk_widget_add_css_class (self->placeholder, "dim-label");
  gtk_widget_set_parent (self->placeholder, GTK_WIDGET (self));

  self->name_heading = new_label (self, C_("comparison", "Field"), "heading", FALSE);
  self->before_heading = new_label (self, NULL, "heading", FALSE);
  self->after_heading = new_label (self, NULL, "heading", FALSE);
}

GtkWidget *
regie_field_compare_new (void)
{
  return g_object_new (REGIE_TYPE_FIELD_COMPARE, NULL);
}

void
regie_field_compare_set_titles (RegieFieldCompare *self,
                                const char        *before_title,
                                const char        *after_title)
{
  g_return_if_fail (REGIE_IS_FIELD_COMPARE (self));

  gtk_label_set_text (GTK_LABEL (self->before_heading), before_title != NULL ? before_title : "");
  gtk_label_set_text (GTK_LABEL (self->after_heading), after_title != NULL ? after_title : "");
}

void
regie_field_compare_set_placeholder (RegieFieldCompare *self,
                                     const char        *text)
{
  g_return_if_fail (REGIE_IS_FIELD_COMPARE (self));

  gtk_label_set_text (GTK_LABEL (self->placeholder), text != NULL ? text : "");
  gtk_widget_set_visible (self->placeholder, has_placeholder (self));
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
regie_field_compare_clear (RegieFieldCompare *self)
{
  g_return_if_fail (REGIE_IS_FIELD_COMPARE (self));

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = &g_array_index (self->rows, Row, i);

      gtk_widget_unparent (row->name);
      gtk_widget_unparent (row->before);
      gtk_widget_unparent (row->after);
    }
  g_array_set_size (self->rows, 0);
  gtk_widget_set_visible (self->placeholder, has_placeholder (self));
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
describe_value (GtkWidget  *value,
                const char *name,
                GtkWidget  *heading)
{
  /* Translators: what a screen reader says about a value in a comparison:
   * the field's name, then the version it belongs to, e.g. "Outcome,
   * On the server" */
  g_autofree char *description = g_strdup_printf (C_("comparison", "%s, %s"), name,
                                                  gtk_label_get_text (GTK_LABEL (heading)));

  gtk_accessible_update_property (GTK_ACCESSIBLE (value), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
}

void
regie_field_compare_add_row (RegieFieldCompare *self,
                             const char        *label,
                             const char        *before,
                             const char        *after)
{
  Row row;

  g_return_if_fail (REGIE_IS_FIELD_COMPARE (self));
  g_return_if_fail (label != NULL);

  row.name = new_label (self, label, "dim-label", FALSE);
  row.before = new_label (self, before != NULL ? before : "", NULL, TRUE);
  row.after = new_label (self, after != NULL ? after : "", NULL, TRUE);
  describe_value (row.before, label, self->before_heading);
  describe_value (row.after, label, self->after_heading);
  g_array_append_val (self->rows, row);

  gtk_widget_set_visible (self->placeholder, FALSE);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
regie_field_compare_get_n_rows (RegieFieldCompare *self)
{
  g_return_val_if_fail (REGIE_IS_FIELD_COMPARE (self), 0);

  return self->rows->len;
}

void
regie_field_compare_get_row (RegieFieldCompare  *self,
                             guint               position,
                             const char        **out_label,
                             const char        **out_before,
                             const char        **out_after)
{
  Row *row;

  g_return_if_fail (REGIE_IS_FIELD_COMPARE (self));
  g_return_if_fail (position < self->rows->len);

  row = &g_array_index (self->rows, Row, position);
  if (out_label != NULL)
    *out_label = gtk_label_get_text (GTK_LABEL (row->name));
  if (out_before != NULL)
    *out_before = gtk_label_get_text (GTK_LABEL (row->before));
  if (out_after != NULL)
    *out_after = gtk_label_get_text (GTK_LABEL (row->after));
}

gboolean
regie_field_compare_get_stacked (RegieFieldCompare *self)
{
  g_return_val_if_fail (REGIE_IS_FIELD_COMPARE (self), FALSE);

  return self->stacked;
}
