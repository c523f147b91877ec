/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include <stdio.h>

#include <string.h>

#include "regie-error.h"
#include "regie-json-private.h"
#include "regie-records.h"

static int
hex4 (const char *p)
{
  int value = 0;

  for (int i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value (p[i]);

      if (d < 0)
        return -1;
      value = value * 16 + d;
    }
  return value;
}

/* The \u escapes json-glib must not see: an escaped NUL (json-glib hands
 * out strings as C strings, so it would cut a value short without a
 * word), and escapes that are not a character — lone or reversed
 * surrogates, fewer than four hex digits — on which json-glib 1.6 leaks
 * memory (found by fuzzing). */
static gboolean
has_bad_escape (const char *text,
                gsize       len)
{
  const char *p = text;
  const char *end = text + len;

  while (p < end && (p = memchr (p, '\\', end - p)) != NULL)
    {
      gsize run = 0;
      int u, lo;

      while (p + run < end && p[run] == '\\')
        run++;
      p += run;
      if (run % 2 == 0 || p >= end || *p != 'u')
        continue;

      if (end - p < 5 || (u = hex4 (p + 1)) < 0 || u == 0 || (u >= 0xdc00 && u <= 0xdfff))
        return TRUE;
      p += 5;
      if (u >= 0xd800 && u <= 0xdbff)
        {
          if (end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
              (lo = hex4 (p + 2)) < 0xdc00 || lo > 0xdfff)
            return TRUE;
          p += 6;
        }
    }
  return FALSE;
}

/* Whether the text is one JSON object or array and nothing else, with
 * brackets that match, strings that end and nothing between the tokens
 * that JSON does not have. json-glib 1.6 leaks memory on some documents
 * it refuses (a second top-level value after the first, found by fuzzing
 * in several shapes), so whatever is plainly not JSON is refused before
 * it reaches it. Numbers and literals are left to the parser. */
static gboolean
is_single_container (const char *text,
                     gsize       len)
{
  const char *p = text, *end = text + len;
  g_autoptr(GString) open = g_string_new (NULL);   /* the brackets open */

  while (p < end && g_ascii_isspace (*p))
    p++;
  if (p == end || (*p != '{' && *p != '['))
    return FALSE;

  for (; p < end; p++)
    {
      switch (*p)
        {
        case '"':
          for (p++; p < end && *p != '"'; p++)
            if (*p == '\\')
              p++;
          if (p >= end)
            return FALSE;   /* unterminated */
          break;
        case '{':
        case '[':
          g_string_append_c (open, *p == '{' ? '}' : ']');
          break;
        case '}':
        case ']':
          if (open->len == 0 || open->str[open->len - 1] != *p)
            return FALSE;
          g_string_truncate (open, open->len - 1);
          if (open->len == 0)
            {
              for (p++; p < end; p++)
                if (!g_ascii_isspace (*p))
                  return FALSE;
              return TRUE;
            }
          break;
        default:
          if (*p == '\0' || (!g_ascii_isspace (*p) && strchr (":,-+.0123456789eEtrufalsn", *p) == NULL))
            return FALSE;
          break;
        }
    }
  return FALSE;   /* unbalanced */
}

JsonNode *
regie_json_parse (const char  *text,
                  gssize       length,
                  GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  len = length < 0 ? strlen (text) : (gsize) length;
  if (len == 0)
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_PARSE, "empty body");
      return NULL;
    }
  /* json-glib accepts invalid UTF-8 in some places; refuse it up front. */
  if (!g_utf8_validate (text, len, NULL))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_PARSE, "body is not valid UTF-8");
      return NULL;
    }

  if (has_bad_escape (text, len))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                           "JSON strings must not contain \\u0000 or a \\u escape that is not a character");
      return NULL;
    }

  if (!is_single_container (text, len))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                           "malformed JSON: expected one object or array, and nothing after it");
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, text, len, &local_error))
    {
      int line = 0, column = 0;

      /* json-glib's message quotes the text it choked on, which may be
       * a password: say only where ("<data>:LINE:COL: Parse error…"). */
      if (sscanf (local_error->message, "%*[^:]:%d:%d:", &line, &column) == 2)
        g_set_error (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                     "malformed JSON at line %d, column %d", line, column);
      else
        g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_PARSE, "malformed JSON");
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_PARSE, "empty JSON document");
      return NULL;
    }

  return json_node_ref (json_parser_get_root (parser));
}

char *
regie_json_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  g_return_val_if_fail (node != NULL, NULL);

  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

JsonObject *
regie_json_expect_object (JsonNode    *node,
                          const char  *what,
                          GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_PARSE, "%s must be a JSON object", what);
      return NULL;
    }
  return json_node_get_object (node);
}

gboolean
regie_json_check_members (JsonObject          *object,
                          const char          *what,
                          const char * const  *allowed,
                          GError             **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &value))
    {
      if (!g_strv_contains (allowed, name))
        {
          g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                       "%s has an unknown member \"%s\"", what, name);
          return FALSE;
        }
    }
  return TRUE;
}

const char *
regie_json_get_string (JsonObject  *object,
                       const char  *what,
                       const char  *member,
                       gboolean     required,
                       GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                     "%s lacks \"%s\"", what, member);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                   "%s: \"%s\" must be a string", what, member);
      return NULL;
    }
  return json_node_get_string (node);
}

gboolean
regie_json_get_int (JsonObject  *object,
                    const char  *what,
                    const char  *member,
                    gint64      *out_value,
                    GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID, "%s lacks \"%s\"", what, member);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                   "%s: \"%s\" must be an integer", what, member);
      return FALSE;
    }
  *out_value = json_node_get_int (node);
  return TRUE;
}

/* ---- a fast path for flat members ----------------------------------------- */

static const char *
skip_ws (const char *p,
         const char *end)
{
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  return p;
}

/* Scans a JSON string at p (after the opening quote); appends its decoded
 * text to out when out is not NULL. Returns the position after the
 * closing quote, or NULL when it is not a well-formed string. */
static const char *
scan_string (const char *p,
             const char *end,
             GString    *out)
{
  while (p < end)
    {
      char c = *p++;

      if (c == '"')
        return p;
      if ((guchar) c < 0x20)
        return NULL;
      if (c != '\\')
        {
          if (out != NULL)
            g_string_append_c (out, c);
          continue;
        }
      if (p >= end)
        return NULL;
      c = *p++;
      switch (c)
        {
        case '"': case '\\': case '/':
          if (out != NULL) g_string_append_c (out, c);
          break;
        case 'b': if (out != NULL) g_string_append_c (out, '\b'); break;
        case 'f': if (out != NULL) g_string_append_c (out, '\f'); break;
        case 'n': if (out != NULL) g_string_append_c (out, '\n'); break;
        case 'r': if (out != NULL) g_string_append_c (out, '\r'); break;
        case 't': if (out != NULL) g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar u = 0;

            for (int i = 0; i < 4; i++)
              {
                int d = p < end ? g_ascii_xdigit_value (*p++) : -1;
                if (d < 0)
                  return NULL;
                u = u * 16 + (gunichar) d;
              }
            if (u >= 0xd800 && u < 0xdc00)
              {
                gunichar lo = 0;

                if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
                  return NULL;
                p += 2;
                for (int i = 0; i < 4; i++)
                  {
                    int d = g_ascii_xdigit_value (*p++);
                    if (d < 0)
                      return NULL;
                    lo = lo * 16 + (gunichar) d;
                  }
                if (lo < 0xdc00 || lo > 0xdfff)
                  return NULL;
                u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
              }
            else if (u >= 0xdc00 && u <= 0xdfff)
              return NULL;
            if (u == 0)
              return NULL;   /* as regie_json_parse(): no NUL in text */
            if (out != NULL)
              g_string_append_unichar (out, u);
          }
          break;
        default:
          return NULL;
        }
    }
  return NULL;
}

/* Skips any JSON value; NULL when malformed. */
static const char *
skip_value (const char *p,
            const char *end,
            guint       depth)
{
  p = skip_ws (p, end);
  if (p >= end || depth > 64)
    return NULL;

  if (*p == '"')
    return scan_string (p + 1, end, NULL);

  if (*p == '{' || *p == '[')
    {
      char close = *p == '{' ? '}' : ']';
      gboolean object = *p == '{';

      p = skip_ws (p + 1, end);
      if (p < end && *p == close)
        return p + 1;
      for (;;)
        {
          if (object)
            {
              p = skip_ws (p, end);
              if (p >= end || *p != '"' || !(p = scan_string (p + 1, end, NULL)))
                return NULL;
              p = skip_ws (p, end);
              if (p >= end || *p++ != ':')
                return NULL;
            }
          if (!(p = skip_value (p, end, depth + 1)))
            return NULL;
          p = skip_ws (p, end);
          if (p >= end)
            return NULL;
          if (*p == close)
            return p + 1;
          if (*p++ != ',')
            return NULL;
        }
    }

  /* A number, true, false or null: up to the next delimiter. */
  {
    const char *start = p;

    while (p < end && (g_ascii_isalnum (*p) || *p == '-' || *p == '+' || *p == '.'))
      p++;
    return p > start ? p : NULL;
  }
}

gboolean
regie_json_scan_strings (const char          *text,
                         gsize                length,
                         const char * const  *names,
                         char               **out_values)
{
  const char *p = text, *end = text + length;
  g_autoptr(GString) key = g_string_new (NULL);
  guint n = g_strv_length ((char **) names);

  for (guint i = 0; i < n; i++)
    out_values[i] = NULL;

  p = skip_ws (p, end);
  if (p >= end || *p++ != '{')
    goto malformed;
  p = skip_ws (p, end);
  if (p < end && *p == '}')
    return skip_ws (p + 1, end) == end;

  for (;;)
    {
      int which = -1;

      p = skip_ws (p, end);
      g_string_truncate (key, 0);
      if (p >= end || *p != '"' || !(p = scan_string (p + 1, end, key)))
        goto malformed;
      p = skip_ws (p, end);
      if (p >= end || *p++ != ':')
        goto malformed;
      p = skip_ws (p, end);

      for (guint i = 0; i < n && which < 0; i++)
        if (strcmp (key->str, names[i]) == 0)
          which = (int) i;

      if (which >= 0 && p < end && *p == '"' && out_values[which] == NULL)
        {
          GString *value = g_string_new (NULL);

          if (!(p = scan_string (p + 1, end, value)))
            {
              g_string_free (value, TRUE);
              goto malformed;
            }
          out_values[which] = g_string_free (value, FALSE);
        }
      else if (which >= 0 && out_values[which] != NULL)
        goto malformed;   /* a member twice: let the full parser decide */
      else if (!(p = skip_value (p, end, 1)))
        goto malformed;

      p = skip_ws (p, end);
      if (p >= end)
        goto malformed;
      if (*p == '}')
        {
          if (skip_ws (p + 1, end) != end)
            goto malformed;   /* something after the object */
          return TRUE;
        }
      if (*p++ != ',')
        goto malformed;
    }

malformed:
  for (guint i = 0; i < n; i++)
    g_clear_pointer (&out_values[i], g_free);
  return FALSE;
}
