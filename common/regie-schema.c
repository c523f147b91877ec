/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include <string.h>

#include "regie-bsn.h"
#include "regie-error.h"
#include "regie-schema.h"
#include "regie-types.h"
#include "regie-util.h"

static const char * const field_class_names[] = {
  [REGIE_FIELD_CLASS_IDENTITY] = "identity",
  [REGIE_FIELD_CLASS_INTAKE] = "intake",
  [REGIE_FIELD_CLASS_HEALTH] = "health",
  [REGIE_FIELD_CLASS_PIP] = "pip",
  [REGIE_FIELD_CLASS_PROGRESS] = "progress",
  [REGIE_FIELD_CLASS_FINANCE] = "finance",
  [REGIE_FIELD_CLASS_NOTES] = "notes",
  [REGIE_FIELD_CLASS_ADMIN] = "admin",
};

const char *
regie_field_class_to_string (RegieFieldClass field_class)
{
  g_return_val_if_fail ((unsigned) field_class < REGIE_N_FIELD_CLASSES, NULL);
  return field_class_names[field_class];
}

gboolean
regie_field_class_from_string (const char      *str,
                               RegieFieldClass *out)
{
  for (int i = 0; str != NULL && i < REGIE_N_FIELD_CLASSES; i++)
    if (strcmp (str, field_class_names[i]) == 0)
      {
        if (out != NULL)
          *out = (RegieFieldClass) i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
is_ident (const char *s)
{
  gsize n = 0;

  for (; s[n] != '\0'; n++)
    if (!(g_ascii_islower (s[n]) || g_ascii_isdigit (s[n]) ||
          s[n] == '.' || s[n] == '_' || s[n] == '-'))
      return FALSE;
  return n >= 1 && n <= 64;
}

static gboolean
is_month (const char *s)
{
  g_autofree char *day = NULL;

  if (strlen (s) != 7)
    return FALSE;
  day = g_strconcat (s, "-01", NULL);
  return regie_date_is_valid (day);
}

static gboolean
fail (GError     **error,
      int          code,
      const char  *what,
      const char  *name,
      const char  *problem)
{
  g_set_error (error, REGIE_ERROR, code, "%s: \"%s\" %s", what, name, problem);
  return FALSE;
}

static JsonNode *canonicalize_object (const RegieFieldSpec *fields,
                                      const char           *what,
                                      JsonNode             *node,
                                      RegieSchemaFlags      flags,
                                      GError              **error);

/* Validates one member value and adds its canonical form to `b`. */
static gboolean
add_value (JsonBuilder           *b,
           const RegieFieldSpec  *f,
           const char            *what,
           JsonNode              *v,
           RegieSchemaFlags       flags,
           GError               **error)
{
  GType vt = JSON_NODE_HOLDS_VALUE (v) ? json_node_get_value_type (v) : G_TYPE_INVALID;
  gsize max_len;

  switch (f->type)
    {
    case REGIE_FIELD_STRING:
    case REGIE_FIELD_TEXT:
    case REGIE_FIELD_IDENT:
    case REGIE_FIELD_ENUM:
    case REGIE_FIELD_DATE:
    case REGIE_FIELD_MONTH:
    case REGIE_FIELD_TIMESTAMP:
    case REGIE_FIELD_BSN:
    case REGIE_FIELD_V_NUMBER:
      {
        const char *s;
        g_autofree char *stripped = NULL;

        if (vt != G_TYPE_STRING)
          return fail (error, REGIE_ERROR_INVALID, what, f->name, "must be a string");
        s = json_node_get_string (v);

        switch (f->type)
          {
          case REGIE_FIELD_STRING:
          case REGIE_FIELD_TEXT:
            max_len = f->max > 0 ? (gsize) f->max : (f->type == REGIE_FIELD_TEXT ? 20000 : 200);
            if (strlen (s) > max_len)
              {
                g_set_error (error, REGIE_ERROR, REGIE_ERROR_TOO_LARGE,
                             "%s: \"%s\" is longer than %" G_GSIZE_FORMAT " bytes",
                             what, f->name, max_len);
                return FALSE;
              }
            if (!regie_text_is_valid (s, max_len, f->type == REGIE_FIELD_TEXT))
              return fail (error, REGIE_ERROR_INVALID, what, f->name,
                           "holds control or direction-override characters");
            stripped = g_strstrip (g_strdup (s));
            if (f->required && stripped[0] == '\0')
              return fail (error, REGIE_ERROR_INVALID, what, f->name, "is empty");
            break;
          case REGIE_FIELD_IDENT:
            if (!is_ident (s))
              return fail (error, REGIE_ERROR_INVALID, what, f->name,
                           "must be 1-64 characters of a-z, 0-9, '.', '_' or '-'");
            break;
          case REGIE_FIELD_ENUM:
            if (!g_strv_contains (f->values, s))
              {
                g_autofree char *allowed = g_strjoinv (", ", (char **) f->values);
                g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                             "%s: \"%s\" must be one of %s", what, f->name, allowed);
                return FALSE;
              }
            break;
          case REGIE_FIELD_DATE:
            if (!regie_date_is_valid (s))
              return fail (error, REGIE_ERROR_INVALID, what, f->name,
                           "is not a valid YYYY-MM-DD date");
            break;
          case REGIE_FIELD_MONTH:
            if (!is_month (s))
              return fail (error, REGIE_ERROR_INVALID, what, f->name,
                           "is not a valid YYYY-MM month");
            break;
          case REGIE_FIELD_TIMESTAMP:
            if (!regie_timestamp_is_valid (s))
              return fail (error, REGIE_ERROR_INVALID, what, f->name,
                           "is not an RFC 3339 UTC timestamp");
            break;
          case REGIE_FIELD_BSN:
            if ((flags & REGIE_SCHEMA_LENIENT_BSN) != 0 && strlen (s) == 9 &&
                strspn (s, "0123456789") == 9)
              break;
            if (!regie_bsn_is_valid (s))
              return fail (error, REGIE_ERROR_INVALID, what, f->name, "fails the elfproef");
            break;
          case REGIE_FIELD_V_NUMBER:
            if (!regie_v_number_is_valid (s))
              return fail (error, REGIE_ERROR_INVALID, what, f->name, "must be ten digits");
            break;
          default:
            g_assert_not_reached ();
          }
        json_builder_add_string_value (b, s);
        return TRUE;
      }

    case REGIE_FIELD_INT:
    case REGIE_FIELD_MONEY:
      {
        gint64 n;

        if (vt != G_TYPE_INT64)
          return fail (error, REGIE_ERROR_INVALID, what, f->name,
                       f->type == REGIE_FIELD_MONEY ? "must be a whole number of euro cents"
                                                    : "must be an integer");
        n = json_node_get_int (v);
        if (n < f->min || n > f->max)
          {
            g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                         "%s: \"%s\" must be between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT,
                         what, f->name, f->min, f->max);
            return FALSE;
          }
        json_builder_add_int_value (b, n);
        return TRUE;
      }

    case REGIE_FIELD_BOOL:
      if (vt != G_TYPE_BOOLEAN)
        return fail (error, REGIE_ERROR_INVALID, what, f->name, "must be true or false");
      json_builder_add_boolean_value (b, json_node_get_boolean (v));
      return TRUE;

    case REGIE_FIELD_OBJECT:
      {
        g_autofree char *inner = g_strdup_printf ("%s.%s", what, f->name);
        JsonNode *obj = canonicalize_object (f->fields, inner, v, flags, error);

        if (obj == NULL)
          return FALSE;
        json_builder_add_value (b, obj);
        return TRUE;
      }

    case REGIE_FIELD_ARRAY:
    case REGIE_FIELD_STRINGS:
      {
        JsonArray *array;
        guint n;

        if (!JSON_NODE_HOLDS_ARRAY (v))
          return fail (error, REGIE_ERROR_INVALID, what, f->name, "must be an array");
        array = json_node_get_array (v);
        n = json_array_get_length (array);
        if (f->max > 0 && n > (guint) f->max)
          {
            g_set_error (error, REGIE_ERROR, REGIE_ERROR_TOO_LARGE,
                         "%s: \"%s\" has more than %" G_GINT64_FORMAT " items",
                         what, f->name, f->max);
            return FALSE;
          }

        json_builder_begin_array (b);
        for (guint i = 0; i < n; i++)
          {
            g_autofree char *inner = g_strdup_printf ("%s.%s[%u]", what, f->name, i);
            JsonNode *item = json_array_get_element (array, i);

            if (f->type == REGIE_FIELD_STRINGS)
              {
                const RegieFieldSpec str = { .name = "item",
                                             .type = f->values ? REGIE_FIELD_ENUM : REGIE_FIELD_STRING,
                                             .required = TRUE, .max = 200, .values = f->values };
                if (!add_value (b, &str, inner, item, flags, error))
                  return FALSE;
              }
            else
              {
                JsonNode *obj = canonicalize_object (f->fields, inner, item, flags, error);
                if (obj == NULL)
                  return FALSE;
                json_builder_add_value (b, obj);
              }
          }
        json_builder_end_array (b);
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

static JsonNode *
canonicalize_object (const RegieFieldSpec  *fields,
                     const char            *what,
                     JsonNode              *node,
                     RegieSchemaFlags       flags,
                     GError               **error)
{
  g_autoptr(JsonBuilder) b = NULL;
  JsonObjectIter iter;
  JsonObject *object;
  const char *name;
  JsonNode *value;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_PARSE, "%s must be a JSON object", what);
      return NULL;
    }
  object = json_node_get_object (node);

  /* Unknown members are refused: silently dropping them would lose data a
   * newer client sent. */
  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &value))
    {
      gboolean known = FALSE;

      for (const RegieFieldSpec *f = fields; f->name != NULL && !known; f++)
        known = strcmp (f->name, name) == 0;
      if (!known)
        {
          g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                       "%s has an unknown member \"%s\"", what, name);
          return NULL;
        }
    }

  b = json_builder_new_immutable ();
  json_builder_begin_object (b);
  for (const RegieFieldSpec *f = fields; f->name != NULL; f++)
    {
      JsonNode *v = json_object_get_member (object, f->name);

      if (v == NULL || JSON_NODE_HOLDS_NULL (v))
        {
          if (f->required)
            {
              g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                           "%s lacks \"%s\"", what, f->name);
              return NULL;
            }
          continue;
        }
      json_builder_set_member_name (b, f->name);
      if (!add_value (b, f, what, v, flags, error))
        return NULL;
    }
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

JsonNode *
regie_schema_canonicalize (const RegieFieldSpec  *fields,
                           const char            *what,
                           JsonNode              *node,
                           RegieSchemaFlags       flags,
                           GError               **error)
{
  g_return_val_if_fail (fields != NULL, NULL);
  g_return_val_if_fail (what != NULL, NULL);

  return canonicalize_object (fields, what, node, flags, error);
}

static const char *
type_name (const RegieFieldSpec *f)
{
  switch (f->type)
    {
    case REGIE_FIELD_STRING: return "string";
    case REGIE_FIELD_TEXT: return "text";
    case REGIE_FIELD_IDENT: return "identifier";
    case REGIE_FIELD_ENUM: return "enum";
    case REGIE_FIELD_DATE: return "date";
    case REGIE_FIELD_MONTH: return "month";
    case REGIE_FIELD_TIMESTAMP: return "timestamp";
    case REGIE_FIELD_INT: return "integer";
    case REGIE_FIELD_MONEY: return "cents";
    case REGIE_FIELD_BOOL: return "boolean";
    case REGIE_FIELD_BSN: return "BSN";
    case REGIE_FIELD_V_NUMBER: return "V-nummer";
    case REGIE_FIELD_OBJECT: return "object";
    case REGIE_FIELD_ARRAY: return "array of objects";
    case REGIE_FIELD_STRINGS: return f->values ? "array of enum" : "array of strings";
    default: g_assert_not_reached ();
    }
}

char *
regie_schema_describe_markdown (void)
{
  GString *out = g_string_new (NULL);

  for (int k = 0; k < REGIE_N_RECORD_KINDS; k++)
    {
      const RegieKindSpec *spec = regie_kind_spec_get (k);

      g_string_append_printf (out, "### `%s`\n\n%c%s. Field class **%s**",
                              spec->name, g_ascii_toupper (spec->doc[0]), spec->doc + 1,
                              regie_field_class_to_string (spec->field_class));
      if (spec->append_only)
        g_string_append (out, "; append-only");
      if (spec->one_per_dossier)
        g_string_append (out, "; at most one per dossier");
      g_string_append (out, ".\n\n| member | type | required | meaning |\n|---|---|---|---|\n");
      for (const RegieFieldSpec *f = spec->fields; f->name != NULL; f++)
        {
          g_string_append_printf (out, "| `%s` | %s", f->name, type_name (f));
          if (f->type == REGIE_FIELD_INT || f->type == REGIE_FIELD_MONEY)
            g_string_append_printf (out, " %" G_GINT64_FORMAT "–%" G_GINT64_FORMAT, f->min, f->max);
          g_string_append_printf (out, " | %s | %s |\n", f->required ? "yes" : "no",
                                  f->doc ? f->doc : "");
        }
      g_string_append_c (out, '\n');
    }

  return g_string_free (out, FALSE);
}
