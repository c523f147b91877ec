/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include "regie-error.h"
#include "regie-merge.h"
#include "regie-records.h"
#include "regie-schema.h"

RegieMergePolicy
regie_kind_merge_policy (RegieRecordKind kind)
{
  g_return_val_if_fail ((unsigned) kind < REGIE_N_RECORD_KINDS, REGIE_MERGE_CRITICAL);

  if (regie_kind_spec_get (kind)->append_only)
    return REGIE_MERGE_APPEND_ONLY;

  switch (kind)
    {
    case REGIE_RECORD_DOSSIER:
    case REGIE_RECORD_ASSIGNMENT:
    case REGIE_RECORD_DUO_DECISION:
    case REGIE_RECORD_HANDHAVING:
    case REGIE_RECORD_HANDOVER:
    case REGIE_RECORD_CLOSURE:
      return REGIE_MERGE_CRITICAL;
    default:
      return REGIE_MERGE_FIELDS;
    }
}

static JsonObject *
object_of (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gboolean
member_equal (JsonObject *a,
              JsonObject *b,
              const char *name)
{
  JsonNode *x = a ? json_object_get_member (a, name) : NULL;
  JsonNode *y = b ? json_object_get_member (b, name) : NULL;

  if (x == NULL || y == NULL)
    return x == y;
  return json_node_equal (x, y);
}

char *
regie_merge_fields (RegieRecordKind   kind,
                    const char       *base,
                    const char       *mine,
                    const char       *theirs,
                    GPtrArray       **out_overwritten,
                    GError          **error)
{
  g_autoptr(JsonNode) nb = NULL, nm = NULL, nt = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) merged = NULL;
  g_autoptr(GPtrArray) overwritten = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;
  g_autofree char *canonical = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *ob, *om, *ot;

  g_return_val_if_fail ((unsigned) kind < REGIE_N_RECORD_KINDS, NULL);
  g_return_val_if_fail (mine != NULL && theirs != NULL, NULL);

  if (regie_kind_merge_policy (kind) != REGIE_MERGE_FIELDS)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_CONFLICT,
                   "%s records are not merged: the change needs a decision",
                   regie_record_kind_to_string (kind));
      return NULL;
    }

  if ((base != NULL && !(nb = regie_json_parse (base, -1, error))) ||
      !(nm = regie_json_parse (mine, -1, error)) ||
      !(nt = regie_json_parse (theirs, -1, error)))
    return NULL;
  ob = object_of (nb);
  om = object_of (nm);
  ot = object_of (nt);
  if (om == NULL || ot == NULL)
    {
      g_set_error_literal (error, REGIE_ERROR, REGIE_ERROR_PARSE, "payloads must be JSON objects");
      return NULL;
    }

  b = json_builder_new_immutable ();
  json_builder_begin_object (b);
  for (const RegieFieldSpec *f = regie_kind_spec_get (kind)->fields; f->name != NULL; f++)
    {
      gboolean mine_changed = !member_equal (ob, om, f->name);
      gboolean theirs_changed = !member_equal (ob, ot, f->name);
      JsonObject *source = ot;

      if (mine_changed)
        {
          source = om;
          if (theirs_changed && !member_equal (om, ot, f->name))
            g_ptr_array_add (overwritten, g_strdup (f->name));
        }

      if (json_object_has_member (source, f->name))
        {
          json_builder_set_member_name (b, f->name);
          json_builder_add_value (b, json_node_copy (json_object_get_member (source, f->name)));
        }
    }
  json_builder_end_object (b);
  merged = json_builder_get_root (b);
  text = regie_json_to_string (merged);

  /* Each side was valid; their mix must be too. */
  if (!(canonical = regie_record_canonicalize (kind, text, -1, &local_error)))
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_CONFLICT,
                   "the two changes do not combine: %s", local_error->message);
      return NULL;
    }

  if (out_overwritten != NULL)
    *out_overwritten = g_steal_pointer (&overwritten);
  return g_steal_pointer (&canonical);
}
