/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "regie-error.h"
#include "regie-json-private.h"
#include "regie-records.h"
#include "regie-sync.h"
#include "regie-util.h"

RegieMutation *
regie_mutation_new (void)
{
  return g_new0 (RegieMutation, 1);
}

void
regie_mutation_free (RegieMutation *mutation)
{
  if (mutation == NULL)
    return;
  g_free (mutation->id);
  g_free (mutation->record_id);
  g_free (mutation->dossier_id);
  g_free (mutation->payload);
  g_free (mutation);
}

static RegieMutation *
mutation_from_node (JsonNode  *node,
                    guint      index,
                    GError   **error)
{
  static const char * const members[] = {
    "id", "record_id", "dossier_id", "kind", "base_version", "payload", NULL
  };
  g_autoptr(RegieMutation) m = regie_mutation_new ();
  g_autofree char *what = g_strdup_printf ("mutation %u", index);
  JsonObject *object;
  const char *id, *record_id = NULL, *dossier_id = NULL, *kind = NULL;
  GError *local_error = NULL;
  JsonNode *payload;

  if (!(object = regie_json_expect_object (node, what, error)) ||
      !regie_json_check_members (object, what, members, error))
    return NULL;

  id = regie_json_get_string (object, what, "id", TRUE, &local_error);
  if (!local_error)
    record_id = regie_json_get_string (object, what, "record_id", TRUE, &local_error);
  if (!local_error)
    dossier_id = regie_json_get_string (object, what, "dossier_id", TRUE, &local_error);
  if (!local_error)
    kind = regie_json_get_string (object, what, "kind", TRUE, &local_error);
  if (!local_error)
    regie_json_get_int (object, what, "base_version", &m->base_version, &local_error);
  if (local_error)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }

  if (!regie_uuid_is_valid (id) || !regie_uuid_is_valid (record_id) ||
      !regie_uuid_is_valid (dossier_id))
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                   "%s: id, record_id and dossier_id must be lower-case UUIDs", what);
      return NULL;
    }
  if (!regie_record_kind_from_string (kind, &m->kind))
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                   "%s: unknown kind \"%s\"", what, kind);
      return NULL;
    }
  if (m->base_version < 0)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                   "%s: base_version must not be negative", what);
      return NULL;
    }
  if (m->kind == REGIE_RECORD_DOSSIER && strcmp (record_id, dossier_id) != 0)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                   "%s: a dossier record's id is its dossier_id", what);
      return NULL;
    }

  payload = json_object_get_member (object, "payload");
  if (payload == NULL)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID, "%s lacks \"payload\"", what);
      return NULL;
    }
  if (!(m->payload = regie_record_canonicalize_node (m->kind, payload, &local_error)))
    {
      g_set_error (error, REGIE_ERROR, local_error->code, "%s: %s", what, local_error->message);
      g_clear_error (&local_error);
      return NULL;
    }
  if (strlen (m->payload) > REGIE_MAX_PAYLOAD_BYTES)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_TOO_LARGE,
                   "%s: payload is larger than %d bytes", what, REGIE_MAX_PAYLOAD_BYTES);
      return NULL;
    }

  m->id = g_strdup (id);
  m->record_id = g_strdup (record_id);
  m->dossier_id = g_strdup (dossier_id);

  return g_steal_pointer (&m);
}

GPtrArray *
regie_push_request_parse (const char  *body,
                          gsize        length,
                          GError     **error)
{
  static const char * const members[] = { "mutations", NULL };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) mutations = NULL;
  g_autoptr(GHashTable) seen = NULL;
  JsonObject *object;
  JsonNode *list;
  JsonArray *array;
  guint n;

  if (length > REGIE_MAX_PUSH_BYTES)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_TOO_LARGE,
                   "push body is larger than %d bytes", REGIE_MAX_PUSH_BYTES);
      return NULL;
    }
  if (!(root = regie_json_parse (body, length, error)))
    return NULL;
  if (!(object = regie_json_expect_object (root, "push request", error)) ||
      !regie_json_check_members (object, "push request", members, error))
    return NULL;

  list = json_object_get_member (object, "mutations");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                           "push request: \"mutations\" must be an array");
      return NULL;
    }

  array = json_node_get_array (list);
  n = json_array_get_length (array);
  if (n > REGIE_MAX_PUSH_MUTATIONS)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_TOO_LARGE,
                   "push request holds %u mutations; at most %d per batch",
                   n, REGIE_MAX_PUSH_MUTATIONS);
      return NULL;
    }

  mutations = g_ptr_array_new_full (n, (GDestroyNotify) regie_mutation_free);
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < n; i++)
    {
      RegieMutation *m = mutation_from_node (json_array_get_element (array, i), i, error);

      if (m == NULL)
        return NULL;
      g_ptr_array_add (mutations, m);
      /* Two mutations of one record in one batch would race each other's
       * base version; the client never sends that, so refuse it. */
      if (!g_hash_table_add (seen, m->id) || !g_hash_table_add (seen, m->record_id))
        {
          g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                       "mutation %u: its id or record_id occurs twice in the batch", i);
          return NULL;
        }
    }

  return g_steal_pointer (&mutations);
}

/* Mutations come from our own store, whose ids are UUIDs and whose payloads
 * were canonicalised when written, so the request is assembled as text:
 * re-parsing every payload to build a tree would cost more than the push. */
char *
regie_push_request_serialize (GPtrArray *mutations)
{
  GString *out;

  g_return_val_if_fail (mutations != NULL, NULL);

  out = g_string_sized_new (256 + mutations->len * 512);
  g_string_append (out, "{\"mutations\":[");
  for (guint i = 0; i < mutations->len; i++)
    {
      RegieMutation *m = g_ptr_array_index (mutations, i);

      g_assert (regie_uuid_is_valid (m->id));
      g_assert (regie_uuid_is_valid (m->record_id));
      g_assert (regie_uuid_is_valid (m->dossier_id));

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_printf (out,
                              "{\"id\":\"%s\",\"record_id\":\"%s\",\"dossier_id\":\"%s\","
                              "\"kind\":\"%s\",\"base_version\":%" G_GINT64_FORMAT ",\"payload\":",
                              m->id, m->record_id, m->dossier_id,
                              regie_record_kind_to_string (m->kind), m->base_version);
      g_string_append (out, m->payload);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}");

  return g_string_free (out, FALSE);
}

static const char * const push_status_names[] = {
  [REGIE_PUSH_APPLIED] = "applied",
  [REGIE_PUSH_DUPLICATE] = "duplicate",
  [REGIE_PUSH_CONFLICT] = "conflict",
  [REGIE_PUSH_REJECTED] = "rejected",
};

const char *
regie_push_status_to_string (RegiePushStatus status)
{
  g_return_val_if_fail ((unsigned) status < G_N_ELEMENTS (push_status_names), NULL);
  return push_status_names[status];
}

gboolean
regie_push_status_from_string (const char      *str,
                               RegiePushStatus *out_status)
{
  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (push_status_names); i++)
    if (strcmp (push_status_names[i], str) == 0)
      {
        if (out_status)
          *out_status = (RegiePushStatus) i;
        return TRUE;
      }
  return FALSE;
}

RegiePushResult *
regie_push_result_new (const char      *mutation_id,
                       RegiePushStatus  status,
                       gint64           version,
                       const char      *reason)
{
  RegiePushResult *r = g_new0 (RegiePushResult, 1);

  r->mutation_id = g_strdup (mutation_id);
  r->status = status;
  r->version = version;
  r->reason = g_strdup (reason);

  return r;
}

void
regie_push_result_free (RegiePushResult *result)
{
  if (result == NULL)
    return;
  g_free (result->mutation_id);
  g_free (result->reason);
  g_free (result->current);
  g_clear_pointer (&result->merged, g_ptr_array_unref);
  g_free (result);
}

GPtrArray *
regie_push_response_parse (const char  *body,
                           gsize        length,
                           GError     **error)
{
  static const char * const members[] = { "results", NULL };
  static const char * const result_members[] = { "id", "status", "version", "reason",
                                                  "current", "current_version", "merged", NULL };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) results = NULL;
  JsonObject *object;
  JsonNode *list;
  JsonArray *array;

  if (!(root = regie_json_parse (body, length, error)))
    return NULL;
  if (!(object = regie_json_expect_object (root, "push response", error)) ||
      !regie_json_check_members (object, "push response", members, error))
    return NULL;

  list = json_object_get_member (object, "results");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                           "push response: \"results\" must be an array");
      return NULL;
    }

  array = json_node_get_array (list);
  results = g_ptr_array_new_with_free_func ((GDestroyNotify) regie_push_result_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *r;
      const char *id, *status, *reason = NULL;
      RegiePushStatus st;
      gint64 version = 0;
      GError *local_error = NULL;

      if (!(r = regie_json_expect_object (json_array_get_element (array, i), "push result", error)) ||
          !regie_json_check_members (r, "push result", result_members, error))
        return NULL;

      id = regie_json_get_string (r, "push result", "id", TRUE, &local_error);
      status = local_error ? NULL : regie_json_get_string (r, "push result", "status", TRUE, &local_error);
      if (!local_error)
        reason = regie_json_get_string (r, "push result", "reason", FALSE, &local_error);
      if (!local_error && json_object_has_member (r, "version"))
        regie_json_get_int (r, "push result", "version", &version, &local_error);
      if (local_error)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      if (!regie_push_status_from_string (status, &st))
        {
          g_set_error (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                       "push result: unknown status \"%s\"", status);
          return NULL;
        }
      {
        g_autoptr(RegiePushResult) result = regie_push_result_new (id, st, version, reason);
        JsonNode *current = json_object_get_member (r, "current");
        JsonNode *merged = json_object_get_member (r, "merged");

        if (current != NULL && !JSON_NODE_HOLDS_NULL (current))
          {
            if (!JSON_NODE_HOLDS_OBJECT (current))
              {
                g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                                     "push result: \"current\" must be an object");
                return NULL;
              }
            result->current = regie_json_to_string (current);
          }
        if (json_object_has_member (r, "current_version") &&
            !regie_json_get_int (r, "push result", "current_version", &result->current_version,
                                 error))
          return NULL;
        if (merged != NULL && !JSON_NODE_HOLDS_NULL (merged))
          {
            JsonArray *names;

            if (!JSON_NODE_HOLDS_ARRAY (merged))
              {
                g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                                     "push result: \"merged\" must be an array");
                return NULL;
              }
            names = json_node_get_array (merged);
            result->merged = g_ptr_array_new_with_free_func (g_free);
            for (guint j = 0; j < json_array_get_length (names); j++)
              {
                JsonNode *name = json_array_get_element (names, j);

                if (!JSON_NODE_HOLDS_VALUE (name) || json_node_get_value_type (name) != G_TYPE_STRING)
                  {
                    g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                                         "push result: \"merged\" must hold member names");
                    return NULL;
                  }
                g_ptr_array_add (result->merged, g_strdup (json_node_get_string (name)));
              }
          }
        g_ptr_array_add (results, g_steal_pointer (&result));
      }
    }

  return g_steal_pointer (&results);
}

/* A JSON string: quotes, backslashes and control characters escaped;
 * the text is valid UTF-8 (it came through the parser or the database). */
static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

/* Assembled as text, as the request is: a builder's tree of a thousand
 * results cost more than writing them (docs/performance.md). */
char *
regie_push_response_serialize (GPtrArray *results)
{
  GString *out;

  g_return_val_if_fail (results != NULL, NULL);

  out = g_string_sized_new (64 + results->len * 80);
  g_string_append (out, "{\"results\":[");
  for (guint i = 0; i < results->len; i++)
    {
      RegiePushResult *r = g_ptr_array_index (results, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, "{\"id\":");
      append_json_string (out, r->mutation_id);
      g_string_append_printf (out, ",\"status\":\"%s\",\"version\":%" G_GINT64_FORMAT,
                              regie_push_status_to_string (r->status), r->version);
      if (r->reason != NULL)
        {
          g_string_append (out, ",\"reason\":");
          append_json_string (out, r->reason);
        }
      if (r->current != NULL)
        {
          g_autoptr(JsonNode) current = regie_json_parse (r->current, -1, NULL);

          /* Payloads come from the database, canonical; one that does not
           * parse is left out rather than sent broken. */
          if (current != NULL)
            {
              g_autofree char *text = regie_json_to_string (current);

              g_string_append (out, ",\"current\":");
              g_string_append (out, text);
            }
        }
      if (r->current != NULL || r->status == REGIE_PUSH_CONFLICT)
        g_string_append_printf (out, ",\"current_version\":%" G_GINT64_FORMAT, r->current_version);
      if (r->merged != NULL)
        {
          g_string_append (out, ",\"merged\":[");
          for (guint j = 0; j < r->merged->len; j++)
            {
              if (j > 0)
                g_string_append_c (out, ',');
              append_json_string (out, g_ptr_array_index (r->merged, j));
            }
          g_string_append_c (out, ']');
        }
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}");

  return g_string_free (out, FALSE);
}

/* Pull pages */

void
regie_pull_reader_init (RegiePullReader *reader,
                        const char      *page,
                        gsize            length)
{
  g_return_if_fail (reader != NULL);

  memset (reader, 0, sizeof *reader);
  reader->pos = page;
  reader->end = page + length;
}

/* Splits the next TAB-terminated field off [*pos, line_end). */
static gboolean
next_field (const char **pos,
            const char  *line_end,
            const char **out,
            gsize       *out_len,
            gboolean     last)
{
  const char *p = *pos;
  const char *tab;

  if (p > line_end)
    return FALSE;
  if (last)
    {
      *out = p;
      *out_len = line_end - p;
      *pos = line_end + 1;
      return TRUE;
    }
  tab = memchr (p, '\t', line_end - p);
  if (tab == NULL)
    return FALSE;
  *out = p;
  *out_len = tab - p;
  *pos = tab + 1;
  return TRUE;
}

static gboolean
parse_int (const char *s,
           gsize       len,
           gint64     *out)
{
  gint64 v = 0;

  if (len == 0 || len > 18)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (s[i]))
        return FALSE;
      v = v * 10 + (s[i] - '0');
    }
  *out = v;
  return TRUE;
}

/* The next field as an integer. */
static gboolean
next_int_field (const char **p,
                const char  *line_end,
                gboolean     last,
                gint64      *out)
{
  const char *f;
  gsize flen;

  return next_field (p, line_end, &f, &flen, last) && parse_int (f, flen, out);
}

static gboolean
parse_kind (const char      *s,
            gsize            len,
            RegieRecordKind *out)
{
  for (int k = 0; k < REGIE_N_RECORD_KINDS; k++)
    {
      const char *name = regie_record_kind_to_string ((RegieRecordKind) k);
      if (strlen (name) == len && memcmp (name, s, len) == 0)
        {
          *out = (RegieRecordKind) k;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
regie_pull_reader_next (RegiePullReader *reader,
                        RegieChangeView *change,
                        GError         **error)
{
  const char *line_end, *p, *f;
  gsize flen;
  gint64 more;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (change != NULL, FALSE);

  if (reader->finished)
    return FALSE;

  if (reader->pos >= reader->end ||
      !(line_end = memchr (reader->pos, '\n', reader->end - reader->pos)))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                           "pull page ends without its end line");
      return FALSE;
    }

  p = reader->pos;
  if (line_end - p >= 2 && p[0] == 'E' && p[1] == '\t')
    {
      p += 2;
      if (!next_int_field (&p, line_end, FALSE, &reader->next_cursor) ||
          !next_int_field (&p, line_end, TRUE, &more) || more > 1)
        goto bad_line;
      if (line_end + 1 != reader->end)
        {
          g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                               "pull page has data after its end line");
          return FALSE;
        }
      reader->more = more == 1;
      reader->finished = TRUE;
      reader->pos = reader->end;
      return FALSE;
    }

  if (line_end - p < 2 || (p[0] != 'R' && p[0] != 'D') || p[1] != '\t')
    goto bad_line;

  memset (change, 0, sizeof *change);
  change->deleted = p[0] == 'D';
  p += 2;

  if (!next_int_field (&p, line_end, FALSE, &change->seq))
    goto bad_line;
  if (!next_field (&p, line_end, &f, &flen, FALSE) || !parse_kind (f, flen, &change->kind))
    goto bad_line;
  if (!next_field (&p, line_end, &change->record_id, &change->record_id_len, FALSE) ||
      change->record_id_len != 36)
    goto bad_line;
  if (!next_field (&p, line_end, &change->dossier_id, &change->dossier_id_len, FALSE) ||
      change->dossier_id_len != 36)
    goto bad_line;
  if (!next_int_field (&p, line_end, change->deleted, &change->version))
    goto bad_line;
  if (!change->deleted &&
      (!next_field (&p, line_end, &change->payload, &change->payload_len, TRUE) ||
       change->payload_len < 2 || change->payload[0] != '{' ||
       change->payload[change->payload_len - 1] != '}'))
    goto bad_line;

  reader->pos = line_end + 1;
  return TRUE;

bad_line:
  g_set_error (error, REGIE_ERROR, REGIE_ERROR_PARSE,
               "pull page has a malformed line: %.*s",
               (int) MIN (line_end - reader->pos, 80), reader->pos);
  return FALSE;
}

void
regie_pull_page_append_change (GString         *page,
                               gint64           seq,
                               RegieRecordKind  kind,
                               const char      *record_id,
                               const char      *dossier_id,
                               gint64           version,
                               gboolean         deleted,
                               const char      *payload)
{
  char num[32];
  int n;

  g_return_if_fail (page != NULL);
  g_return_if_fail (record_id != NULL && dossier_id != NULL);
  g_return_if_fail (deleted || payload != NULL);

  g_string_append_c (page, deleted ? 'D' : 'R');
  g_string_append_c (page, '\t');
  n = g_snprintf (num, sizeof num, "%" G_GINT64_FORMAT, seq);
  g_string_append_len (page, num, n);
  g_string_append_c (page, '\t');
  g_string_append (page, regie_record_kind_to_string (kind));
  g_string_append_c (page, '\t');
  g_string_append (page, record_id);
  g_string_append_c (page, '\t');
  g_string_append (page, dossier_id);
  g_string_append_c (page, '\t');
  n = g_snprintf (num, sizeof num, "%" G_GINT64_FORMAT, version);
  g_string_append_len (page, num, n);
  if (!deleted)
    {
      /* Canonical payloads come from json-glib, which escapes every
       * control character inside strings. */
      g_assert (strpbrk (payload, "\t\n") == NULL);
      g_string_append_c (page, '\t');
      g_string_append (page, payload);
    }
  g_string_append_c (page, '\n');
}

void
regie_pull_page_append_end (GString  *page,
                            gint64    next_cursor,
                            gboolean  more)
{
  g_return_if_fail (page != NULL);

  g_string_append_printf (page, "E\t%" G_GINT64_FORMAT "\t%d\n", next_cursor, more ? 1 : 0);
}

/* Snapshots */

void
regie_snapshot_reader_init (RegieSnapshotReader *reader,
                            const char          *page,
                            gsize                length)
{
  g_return_if_fail (reader != NULL);

  memset (reader, 0, sizeof *reader);
  reader->pos = page;
  reader->end = page + length;
}

static gboolean
snapshot_bad_line (const char  *line,
                   const char  *line_end,
                   GError     **error)
{
  g_set_error (error, REGIE_ERROR, REGIE_ERROR_PARSE,
               "snapshot page has a malformed line: %.*s",
               (int) MIN (line_end - line, 80), line);
  return FALSE;
}

gboolean
regie_snapshot_reader_next (RegieSnapshotReader *reader,
                            RegieSnapshotItem   *item,
                            GError             **error)
{
  const char *line_end, *p, *f;
  gsize flen;
  gint64 n;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (item != NULL, FALSE);

  if (reader->finished)
    return FALSE;

  if (reader->pos >= reader->end ||
      !(line_end = memchr (reader->pos, '\n', reader->end - reader->pos)))
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                           "snapshot page ends without its end line");
      return FALSE;
    }

  p = reader->pos;
  memset (item, 0, sizeof *item);

  if (!reader->started)
    {
      if (line_end - p < 2 || p[0] != 'S' || p[1] != '\t')
        return snapshot_bad_line (reader->pos, line_end, error);
      p += 2;
      if (!next_int_field (&p, line_end, FALSE, &item->cursor) ||
          !next_int_field (&p, line_end, TRUE, &item->total))
        return snapshot_bad_line (reader->pos, line_end, error);
      item->type = REGIE_SNAPSHOT_ITEM_START;
      reader->started = TRUE;
      reader->pos = line_end + 1;
      return TRUE;
    }

  if (line_end - p < 2 || p[1] != '\t')
    return snapshot_bad_line (reader->pos, line_end, error);

  switch (p[0])
    {
    case 'R':
      {
        RegiePullReader line;

        /* The person line has the pull grammar: the pull reader reads
         * exactly this one line. */
        regie_pull_reader_init (&line, p, reader->end - p);
        if (!regie_pull_reader_next (&line, &item->change, NULL) ||
            item->change.kind != REGIE_RECORD_PERSON)
          return snapshot_bad_line (reader->pos, line_end, error);
        item->type = REGIE_SNAPSHOT_ITEM_PERSON;
        reader->pos = line_end + 1;
        return TRUE;
      }

    case 'B':
      p += 2;
      if (!next_field (&p, line_end, &item->dossier_id, &item->dossier_id_len, FALSE) ||
          item->dossier_id_len != 36 ||
          !next_int_field (&p, line_end, FALSE, &item->n_records) ||
          !next_int_field (&p, line_end, TRUE, &n))
        return snapshot_bad_line (reader->pos, line_end, error);
      /* n bytes of data and one LF must follow the line. */
      if ((guint64) n + 1 > (guint64) (reader->end - (line_end + 1)) ||
          line_end[1 + n] != '\n')
        {
          g_set_error (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                       "snapshot page cuts off the bundle of dossier %.36s",
                       item->dossier_id);
          return FALSE;
        }
      item->type = REGIE_SNAPSHOT_ITEM_BUNDLE;
      item->data = (const guint8 *) line_end + 1;
      item->data_len = (gsize) n;
      reader->pos = line_end + 1 + n + 1;
      return TRUE;

    case 'E':
      p += 2;
      if (!next_field (&p, line_end, &f, &flen, FALSE) ||
          !(flen == 36 || (flen == 1 && f[0] == '-')))
        return snapshot_bad_line (reader->pos, line_end, error);
      if (flen == 36)
        memcpy (reader->last_dossier_id, f, 36);
      reader->last_dossier_id[flen == 36 ? 36 : 0] = '\0';
      if (!next_int_field (&p, line_end, TRUE, &n) || n > 1)
        return snapshot_bad_line (reader->pos, line_end, error);
      if (line_end + 1 != reader->end)
        {
          g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                               "snapshot page has data after its end line");
          return FALSE;
        }
      reader->more = n == 1;
      reader->finished = TRUE;
      reader->pos = reader->end;
      return FALSE;

    default:
      return snapshot_bad_line (reader->pos, line_end, error);
    }
}

static void
append_int (GString *page,
            gint64   value)
{
  char num[32];
  int n = g_snprintf (num, sizeof num, "%" G_GINT64_FORMAT, value);

  g_string_append_len (page, num, n);
}

void
regie_snapshot_page_append_start (GString *page,
                                  gint64   cursor,
                                  gint64   total)
{
  g_return_if_fail (page != NULL);
  g_return_if_fail (cursor >= 0 && total >= 0);

  g_string_append (page, "S\t");
  append_int (page, cursor);
  g_string_append_c (page, '\t');
  append_int (page, total);
  g_string_append_c (page, '\n');
}

void
regie_snapshot_page_append_bundle (GString      *page,
                                   const char   *dossier_id,
                                   gint64        n_records,
                                   const guint8 *data,
                                   gsize         data_len)
{
  g_return_if_fail (page != NULL);
  g_return_if_fail (dossier_id != NULL && strlen (dossier_id) == 36);
  g_return_if_fail (n_records >= 0);
  g_return_if_fail (data != NULL || data_len == 0);

  g_string_append (page, "B\t");
  g_string_append_len (page, dossier_id, 36);
  g_string_append_c (page, '\t');
  append_int (page, n_records);
  g_string_append_c (page, '\t');
  append_int (page, (gint64) data_len);
  g_string_append_c (page, '\n');
  g_string_append_len (page, (const char *) data, data_len);
  g_string_append_c (page, '\n');
}

void
regie_snapshot_page_append_end (GString    *page,
                                const char *last_dossier_id,
                                gboolean    more)
{
  g_return_if_fail (page != NULL);
  g_return_if_fail (last_dossier_id == NULL || *last_dossier_id == '\0' ||
                    strlen (last_dossier_id) == 36);

  g_string_append (page, "E\t");
  g_string_append (page, last_dossier_id != NULL && *last_dossier_id != '\0' ? last_dossier_id : "-");
  g_string_append (page, more ? "\t1\n" : "\t0\n");
}

/* Runs `converter` over all of `data` into one buffer of at most
 * `max_bytes`. */
static GBytes *
convert_all (GConverter  *converter,
             const void  *data,
             gsize        length,
             gsize        first_size,
             gsize        max_bytes,
             GError     **error)
{
  const guint8 *in = data;
  gsize in_left = length;
  gsize cap = MIN (MAX (first_size, (gsize) 4096), max_bytes + 1);
  gsize len = 0;
  guint8 *buf = g_malloc (cap);

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      GConverterResult result;
      gsize read = 0, written = 0;

      result = g_converter_convert (converter, in, in_left, buf + len, cap - len,
                                    G_CONVERTER_INPUT_AT_END, &read, &written, &local_error);
      if (result == G_CONVERTER_ERROR)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE) && cap <= max_bytes)
            {
              cap = MIN (cap * 2, max_bytes + 1);
              buf = g_realloc (buf, cap);
              continue;
            }
          g_free (buf);
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
            g_set_error (error, REGIE_ERROR, REGIE_ERROR_TOO_LARGE,
                         "compressed data holds more than %" G_GSIZE_FORMAT " bytes", max_bytes);
          else
            g_set_error (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                         "compressed data is damaged or cut off");
          return NULL;
        }

      in += read;
      in_left -= read;
      len += written;

      if (len > max_bytes)
        {
          g_free (buf);
          g_set_error (error, REGIE_ERROR, REGIE_ERROR_TOO_LARGE,
                       "compressed data holds more than %" G_GSIZE_FORMAT " bytes", max_bytes);
          return NULL;
        }
      if (result == G_CONVERTER_FINISHED)
        break;
      if (read == 0 && written == 0)
        {
          /* No progress with all input given: the stream never ends. */
          g_free (buf);
          g_set_error (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                       "compressed data is damaged or cut off");
          return NULL;
        }
      if (cap - len < 4096 && cap <= max_bytes)
        {
          cap = MIN (cap * 2, max_bytes + 1);
          buf = g_realloc (buf, cap);
        }
    }

  if (in_left != 0)
    {
      g_free (buf);
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_PARSE,
                   "compressed data is followed by other data");
      return NULL;
    }

  return g_bytes_new_take (g_realloc (buf, MAX (len, 1)), len);
}

GBytes *
regie_deflate (const void *data,
               gsize       length)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, 6);
  GBytes *bytes;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  bytes = convert_all (G_CONVERTER (compressor), data != NULL ? data : "", length,
                       length / 3, G_MAXSIZE - 1, NULL);
  g_assert (bytes != NULL);   /* compressing whole input in memory cannot fail */
  return bytes;
}

GBytes *
regie_inflate (const void  *data,
               gsize        length,
               gsize        max_bytes,
               GError     **error)
{
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW);

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length == 0)
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_PARSE, "compressed data is empty");
      return NULL;
    }
  /* JSON text deflates to about a fifth. */
  return convert_all (G_CONVERTER (decompressor), data, length, length * 6, max_bytes, error);
}

/* Error bodies */

static const char * const error_names[] = {
  [REGIE_ERROR_INVALID] = "invalid",
  [REGIE_ERROR_PARSE] = "parse",
  [REGIE_ERROR_TOO_LARGE] = "too_large",
  [REGIE_ERROR_AUTH] = "auth",
  [REGIE_ERROR_FORBIDDEN] = "forbidden",
  [REGIE_ERROR_NOT_FOUND] = "not_found",
  [REGIE_ERROR_CONFLICT] = "conflict",
  [REGIE_ERROR_GONE] = "gone",
  [REGIE_ERROR_PROTOCOL] = "protocol",
  [REGIE_ERROR_NETWORK] = "network",
  [REGIE_ERROR_SERVER] = "server",
  [REGIE_ERROR_STORAGE] = "server",
  [REGIE_ERROR_THROTTLED] = "throttled",
  [REGIE_ERROR_REVOKED] = "revoked",
  [REGIE_ERROR_LOCKED] = "server",
};

char *
regie_error_body_new (const GError *error)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  const char *code = "server";

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == REGIE_ERROR && (unsigned) error->code < G_N_ELEMENTS (error_names))
    code = error_names[error->code];

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, error->domain == REGIE_ERROR ? error->message
                                                                 : "internal server error");
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  return regie_json_to_string (root);
}

/* Always returns FALSE with `error` set: from the body when it is a valid
 * error body, else from the HTTP status alone. */
gboolean
regie_error_body_parse (const char  *body,
                        gsize        length,
                        unsigned     http_status,
                        GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  RegieError code = regie_error_from_http_status (http_status);
  const char *message = NULL;

  if (body != NULL && length > 0 && length < 64 * 1024 &&
      (root = regie_json_parse (body, length, NULL)) != NULL &&
      JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *o = json_node_get_object (root);
      const char *name = NULL;

      if (json_object_has_member (o, "error") &&
          JSON_NODE_HOLDS_VALUE (json_object_get_member (o, "error")))
        name = json_object_get_string_member (o, "error");
      if (json_object_has_member (o, "message") &&
          JSON_NODE_HOLDS_VALUE (json_object_get_member (o, "message")))
        message = json_object_get_string_member (o, "message");

      for (guint i = 0; name != NULL && i < G_N_ELEMENTS (error_names); i++)
        if (g_strcmp0 (error_names[i], name) == 0)
          {
            code = (RegieError) i;
            break;
          }
    }

  if (message != NULL)
    g_set_error (error, REGIE_ERROR, code, "%s", message);
  else
    g_set_error (error, REGIE_ERROR, code, "server answered HTTP %u", http_status);

  return FALSE;
}
