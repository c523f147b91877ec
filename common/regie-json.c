/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include <stdio.h>

#include <string.h>

#include "regie-error.h"
#include "regie-json-private.h"
#include "regie-records.h"

/* json-glib hands out strings as C strings, so an escaped NUL would cut a
 * value short without a word: refuse such documents instead. */
static gboolean
holds_escaped_nul (const char *text,
                   gsize       len)
{
  const char *p = text;
  const char *end = text + len;

  while (p < end && (p = memchr (p, '\\', end - p)) != NULL)
    {
      gsize run = 0;

      while (p + run < end && p[run] == '\\')
        run++;
      if (run % 2 == 1 && end - (p + run) >= 5 &&
          g_ascii_strncasecmp (p + run, "u0000", 5) == 0)
        return TRUE;
      p += run;
    }
  return FALSE;
}

/* Whether the text is one JSON object or array and nothing else. json-glib
 * 1.6 leaks the first value when a second top-level value follows, so
 * such documents are refused before they reach it. Strings are skipped
 * with their escapes; the parser itself checks everything else. */
static gboolean
is_single_container (const char *text,
                     gsize       len)
{
  const char *p = text, *end = text + len;
  int depth = 0;

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
            return TRUE;  /* unterminated: the parser reports it */
          break;
        case '{':
        case '[':
          depth++;
          break;
        case '}':
        case ']':
          if (--depth == 0)
            {
              for (p++; p < end; p++)
                if (!g_ascii_isspace (*p))
                  return FALSE;
              return TRUE;
            }
          break;
        default:
          break;
        }
    }
  return TRUE;  /* unbalanced: the parser reports it */
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

  if (holds_escaped_nul (text, len))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                           "JSON strings must not contain \\u0000");
      return NULL;
    }

  if (!is_single_container (text, len))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                           "malformed JSON: expected one object or array and nothing after it");
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
