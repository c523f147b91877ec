/* SPDX-License-Identifier: EUPL-1.2 */
#include "config.h"

#include <string.h>

#include "regie-error.h"
#include "regie-merge.h"
#include "regie-permissions.h"
#include "regie-records.h"
#include "regie-schema.h"
#include "regie-store.h"
#include "regie-sync-engine.h"
#include "regie-test-server.h"
#include "regie-util.h"

#include "client-test-util.h"

/* Sync you can trust, every record kind end to end: for each kind of
 * common/regie-kinds.c two devices of users who may both write it (the
 * permission matrix decides the pair) hold the same dossiers, edit them
 * offline and sync in a fixed order. What must happen depends on the
 * kind's merge policy (common/regie-merge.h):
 *
 * - append-only: both new records arrive on both devices, once, without
 *   a conflict;
 * - administrative: edits of different members both stay; the same
 *   member edited on both: the later push wins and the value it replaced
 *   is in the record's history, marked overwritten;
 * - critical: the later device gets a conflict with mine, theirs and the
 *   base version, and resolving it with mine, theirs or an edit brings
 *   both devices to the same record.
 *
 * For every kind that can be edited, the later device pulls before it
 * pushes, and the pull must leave its unsent edit alone. Roles that may
 * not write a kind are refused by the server and nothing is written.
 *
 * One server, five devices, every kind's edits batched into the same
 * syncs. Which members are edited is read from the kind's schema, so a
 * new kind or member is covered without touching this file. */

typedef enum
{
  FATIMA_A,   /* klantmanager, laptop */
  INGRID_A,   /* coordinator of team-noord, desk */
  RUUD,       /* inkomensconsulent */
  FATIMA_B,   /* klantmanager, tablet */
  INGRID_B,   /* coordinator, laptop */
  N_DEVICES   /* also the order in which devices sync */
} DeviceId;

static const struct
{
  const char *name;
  const char *username;
  RegieRole   role;
} device_specs[N_DEVICES] = {
  [FATIMA_A] = { "fatima-laptop", "fatima", REGIE_ROLE_KLANTMANAGER },
  [INGRID_A] = { "ingrid-desk", "ingrid", REGIE_ROLE_COORDINATOR },
  [RUUD]     = { "ruud-desk", "ruud", REGIE_ROLE_INKOMENSCONSULENT },
  [FATIMA_B] = { "fatima-tablet", "fatima", REGIE_ROLE_KLANTMANAGER },
  [INGRID_B] = { "ingrid-laptop", "ingrid", REGIE_ROLE_COORDINATOR },
};

/* The first pair whose roles may both write a kind edits it: different
 * people before the same person on two devices. */
static const struct
{
  DeviceId first;
  DeviceId second;
} pairs[] = {
  { FATIMA_A, RUUD },
  { FATIMA_A, INGRID_A },
  { INGRID_A, INGRID_B },
  { FATIMA_A, FATIMA_B },
};

/* Administrative kinds use two slots (different members, the same
 * member), critical kinds three (resolved with mine, theirs, an edit).
 * Slot s lives in dossier s. */
#define N_SLOTS 3

enum { SLOT_DIFFERENT = 0, SLOT_SAME = 1 };

static const RegieConflictChoice slot_choices[N_SLOTS] = {
  REGIE_CONFLICT_MINE, REGIE_CONFLICT_THEIRS, REGIE_CONFLICT_EDIT,
};

typedef struct
{
  char     *record_id;
  gint64    base_version;
  JsonNode *base;      /* the payload both devices started from */
  JsonNode *first;     /* what the first device made of it */
  JsonNode *second;    /* what the second device made of it */
  JsonNode *edited;    /* critical, REGIE_CONFLICT_EDIT: the edited payload */
} Slot;

typedef struct
{
  RegieRecordKind        kind;
  RegieMergePolicy       policy;
  gboolean               writable;     /* some pair may write it */
  DeviceId               first;
  DeviceId               second;
  const RegieFieldSpec  *fields[2];    /* the members edited */
  guint                  n_slots;
  Slot                   slots[N_SLOTS];
  guint                  base_count;   /* append-only: records of the kind in dossier 0 */
  char                  *created[2];   /* append-only: made by first, second */
  GString               *paths;
  guint                  n_paths;
} KindCase;

static void
kind_case_clear (KindCase *c)
{
  for (guint s = 0; s < N_SLOTS; s++)
    {
      g_free (c->slots[s].record_id);
      g_clear_pointer (&c->slots[s].base, json_node_unref);
      g_clear_pointer (&c->slots[s].first, json_node_unref);
      g_clear_pointer (&c->slots[s].second, json_node_unref);
      g_clear_pointer (&c->slots[s].edited, json_node_unref);
    }
  g_free (c->created[0]);
  g_free (c->created[1]);
  g_string_free (c->paths, TRUE);
}

static void
covered (KindCase   *c,
         const char *path)
{
  g_string_append_printf (c->paths, "%s%s", c->paths->len > 0 ? ", " : "", path);
  c->n_paths++;
}

static const char *
kind_name (RegieRecordKind kind)
{
  return regie_record_kind_to_string (kind);
}

static const char *
policy_name (RegieMergePolicy policy)
{
  switch (policy)
    {
    case REGIE_MERGE_APPEND_ONLY: return "append-only";
    case REGIE_MERGE_FIELDS: return "administrative";
    case REGIE_MERGE_CRITICAL: return "critical";
    default: g_assert_not_reached ();
    }
}

/* ---- payloads ------------------------------------------------------------ */

static JsonObject *
obj (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

/* json_node_copy() shares objects; an edit must not change its base. */
static JsonNode *
deep_copy (JsonNode *node)
{
  g_autofree char *text = regie_json_to_string (node);
  g_autoptr(GError) error = NULL;
  JsonNode *copy = json_from_string (text, &error);

  g_assert_no_error (error);
  return copy;
}

static JsonNode *
string_node (const char *value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, value);
  return node;
}

static JsonNode *
int_node (gint64 value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_int (node, value);
  return node;
}

/* A valid value for a required member of a new record. */
static JsonNode *
required_value (RegieRecordKind       kind,
                const RegieFieldSpec *f,
                const char           *username)
{
  switch (f->type)
    {
    case REGIE_FIELD_STRING:
    case REGIE_FIELD_TEXT:
      {
        g_autofree char *text = g_strdup_printf ("%s made by %s", kind_name (kind), username);
        return string_node (text);
      }
    case REGIE_FIELD_IDENT:
      return string_node (username);   /* authors and owners: whoever writes it */
    case REGIE_FIELD_ENUM:
      return string_node (f->values[0]);
    case REGIE_FIELD_DATE:
      return string_node ("2025-03-03");
    case REGIE_FIELD_MONTH:
      return string_node ("2025-03");
    case REGIE_FIELD_TIMESTAMP:
      return string_node ("2025-03-03T10:00:00.000Z");
    case REGIE_FIELD_INT:
      return int_node (f->min);
    case REGIE_FIELD_MONEY:
      return int_node (MAX (f->min, 10000));
    case REGIE_FIELD_BOOL:
      {
        JsonNode *node = json_node_new (JSON_NODE_VALUE);
        json_node_set_boolean (node, FALSE);
        return node;
      }
    case REGIE_FIELD_BSN:
      return string_node ("111222333");
    case REGIE_FIELD_V_NUMBER:
      return string_node ("1234567890");
    case REGIE_FIELD_OBJECT:
      {
        JsonNode *node = json_node_new (JSON_NODE_OBJECT);
        JsonObject *object = json_object_new ();

        for (const RegieFieldSpec *g = f->fields; g->name != NULL; g++)
          if (g->required)
            json_object_set_member (object, g->name, required_value (kind, g, username));
        json_node_take_object (node, object);
        return node;
      }
    case REGIE_FIELD_ARRAY:
    case REGIE_FIELD_STRINGS:
      {
        JsonNode *node = json_node_new (JSON_NODE_ARRAY);
        json_node_take_array (node, json_array_new ());
        return node;
      }
    default:
      g_assert_not_reached ();
    }
}

/* A new record of the kind with its required members, as `username`
 * would write it; validated here so a bad generator fails loudly. */
static char *
new_payload (RegieRecordKind  kind,
             const char      *username)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *object = json_object_new ();
  char *canonical;

  for (const RegieFieldSpec *f = regie_kind_spec_get (kind)->fields; f->name != NULL; f++)
    if (f->required)
      json_object_set_member (object, f->name, required_value (kind, f, username));
  json_node_take_object (node, object);
  text = regie_json_to_string (node);
  canonical = regie_record_canonicalize (kind, text, -1, &error);
  g_assert_no_error (error);
  return canonical;
}

/* The i-th candidate value of an edited member, or NULL when there are no
 * more. Every candidate differs from the others. */
static JsonNode *
candidate_value (RegieRecordKind       kind,
                 const RegieFieldSpec *f,
                 guint                 i)
{
  switch (f->type)
    {
    case REGIE_FIELD_STRING:
    case REGIE_FIELD_TEXT:
      {
        g_autofree char *text = g_strdup_printf ("%s %s, variant %u", kind_name (kind), f->name, i);
        return string_node (text);
      }
    case REGIE_FIELD_IDENT:
      {
        g_autofree char *text = g_strdup_printf ("fc-variant-%u", i);
        return string_node (text);
      }
    case REGIE_FIELD_INT:
      return f->min + i <= f->max ? int_node (f->min + i) : NULL;
    case REGIE_FIELD_MONEY:
      return f->min + 100 * (i + 1) <= f->max ? int_node (f->min + 100 * (i + 1)) : NULL;
    case REGIE_FIELD_DATE:
      {
        g_autoptr(GDateTime) day = g_date_time_new_utc (2024, 3, 1, 0, 0, 0);
        g_autoptr(GDateTime) later = g_date_time_add_days (day, (int) i);
        g_autofree char *text = i < 300 ? g_date_time_format (later, "%Y-%m-%d") : NULL;
        return text != NULL ? string_node (text) : NULL;
      }
    case REGIE_FIELD_ENUM:
      return i < g_strv_length ((char **) f->values) ? string_node (f->values[i]) : NULL;
    default:
      return NULL;
    }
}

/* The n-th (from 1) value of member f that differs from its value in
 * `base`; NULL when the member has no such value. */
static JsonNode *
edit_value (RegieRecordKind       kind,
            const RegieFieldSpec *f,
            JsonNode             *base,
            guint                 n)
{
  JsonNode *current = json_object_get_member (obj (base), f->name);
  guint found = 0;

  for (guint i = 0; ; i++)
    {
      JsonNode *candidate = candidate_value (kind, f, i);

      if (candidate == NULL)
        return NULL;
      if (current != NULL && json_node_equal (candidate, current))
        {
          json_node_unref (candidate);
          continue;
        }
      if (++found == n)
        return candidate;
      json_node_unref (candidate);
    }
}

/* `base` with member f set to its n-th other value. */
static JsonNode *
with_edit (RegieRecordKind       kind,
           JsonNode             *base,
           const RegieFieldSpec *f,
           guint                 n)
{
  JsonNode *copy = deep_copy (base);
  JsonNode *value = edit_value (kind, f, base, n);

  g_assert_nonnull (value);
  json_object_set_member (obj (copy), f->name, value);
  return copy;
}

static gboolean
is_valid (RegieRecordKind  kind,
          JsonNode        *payload)
{
  g_autofree char *text = regie_json_to_string (payload);
  g_autofree char *canonical = regie_record_canonicalize (kind, text, -1, NULL);

  return canonical != NULL;
}

/* Whether three different edits of member f keep a valid record. */
static gboolean
is_editable (RegieRecordKind       kind,
             const RegieFieldSpec *f,
             JsonNode             *base)
{
  /* Who holds the dossier (team, klantmanager) and owners are not
   * edited here: that moves dossiers between caseloads. */
  if (f->type == REGIE_FIELD_IDENT && f->required)
    return FALSE;

  for (guint n = 1; n <= 3; n++)
    {
      g_autoptr(JsonNode) edited = NULL;
      g_autoptr(JsonNode) value = edit_value (kind, f, base, n);

      if (value == NULL)
        return FALSE;
      edited = deep_copy (base);
      json_object_set_member (obj (edited), f->name, g_steal_pointer (&value));
      if (!is_valid (kind, edited))
        return FALSE;
    }
  return TRUE;
}

/* Members to edit, by preference: free text first, then identifiers,
 * numbers, dates, and enums last. */
static void
pick_fields (KindCase *c,
             guint     n_fields)
{
  static const RegieFieldType preference[] = {
    REGIE_FIELD_TEXT, REGIE_FIELD_STRING, REGIE_FIELD_IDENT, REGIE_FIELD_INT,
    REGIE_FIELD_MONEY, REGIE_FIELD_DATE, REGIE_FIELD_ENUM,
  };
  JsonNode *base = c->slots[0].base;
  guint picked = 0;

  for (guint p = 0; p < G_N_ELEMENTS (preference) && picked < n_fields; p++)
    for (const RegieFieldSpec *f = regie_kind_spec_get (c->kind)->fields;
         f->name != NULL && picked < n_fields; f++)
      if (f->type == preference[p] && is_editable (c->kind, f, base))
        c->fields[picked++] = f;

  if (picked < n_fields)
    g_error ("%s: only %u of %u members can be edited", kind_name (c->kind), picked, n_fields);

  if (n_fields == 2)
    {
      /* Both edits merged must be a valid record too. */
      g_autoptr(JsonNode) one = with_edit (c->kind, base, c->fields[0], 1);
      g_autoptr(JsonNode) both = with_edit (c->kind, one, c->fields[1], 1);

      g_assert_true (is_valid (c->kind, both));
    }
}

/* ---- reading the stores and the server ----------------------------------- */

/* The record `record_id` of the dossier, or NULL. */
static RegieRecord *
get_record (Device     *device,
            const char *dossier_id,
            const char *record_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieCase) dossier = regie_store_load_case (device->store, dossier_id, &error);

  g_assert_no_error (error);
  for (guint kind = 0; kind < REGIE_N_RECORD_KINDS; kind++)
    {
      GPtrArray *records = regie_case_get_records (dossier, kind);

      for (guint i = 0; i < records->len; i++)
        {
          RegieRecord *record = g_ptr_array_index (records, i);

          if (g_str_equal (regie_record_get_id (record), record_id))
            return g_object_ref (record);
        }
    }
  return NULL;
}

static guint
count_kind (Device          *device,
            const char      *dossier_id,
            RegieRecordKind  kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieCase) dossier = regie_store_load_case (device->store, dossier_id, &error);

  g_assert_no_error (error);
  return regie_case_get_records (dossier, kind)->len;
}

static void
assert_member (RegieRecord          *record,
               const RegieFieldSpec *f,
               JsonNode             *expected_payload)
{
  JsonNode *have = json_object_get_member (obj (regie_record_get_payload (record)), f->name);
  JsonNode *want = json_object_get_member (obj (expected_payload), f->name);

  if (have == NULL || want == NULL || !json_node_equal (have, want))
    {
      g_autofree char *have_text = regie_record_dup_payload_text (record);
      g_autofree char *want_text = regie_json_to_string (expected_payload);

      g_error ("%s %s: member %s differs:\n  have %s\n  want %s",
               kind_name (regie_record_get_kind (record)), regie_record_get_id (record),
               f->name, have_text, want_text);
    }
}

/* Pages of changes straight from the server, applied as the engine
 * would, but without pushing first. */
static guint
pull_by_hand (Device     *device,
              const char *url)
{
  gboolean more = TRUE;
  guint n_total = 0;

  while (more)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = NULL;
      g_autofree char *page = NULL;
      unsigned status = 0;
      gsize len = 0;
      gint64 next = 0;
      guint n = 0;

      path = g_strdup_printf ("/api/v1/sync/pull?cursor=%" G_GINT64_FORMAT "&limit=%d",
                              regie_store_get_cursor (device->store), REGIE_PULL_MAX_LIMIT);
      page = regie_test_http (url, "GET", path, device->token, NULL, 0, &status, &len);
      g_assert_cmpuint (status, ==, 200);
      g_assert_true (regie_store_apply_pull_page (device->store, page, len, &next, &more, &n, &error));
      g_assert_no_error (error);
      n_total += n;
    }

  return n_total;
}

static JsonArray *
history_versions (const char *url,
                  const char *token,
                  const char *record_id,
                  JsonNode  **out_root)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/records/%s/history", record_id);
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;
  unsigned status = 0;

  body = regie_test_http (url, "GET", path, token, NULL, 0, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  *out_root = json_from_string (body, &error);
  g_assert_no_error (error);
  return json_object_get_array_member (obj (*out_root), "versions");
}

static JsonObject *
history_version (JsonArray *versions,
                 gint64     version)
{
  for (guint i = 0; i < json_array_get_length (versions); i++)
    {
      JsonObject *v = json_array_get_object_element (versions, i);

      if (json_object_get_int_member (v, "version") == version)
        return v;
    }
  g_error ("version %" G_GINT64_FORMAT " is not in the history", version);
}

static gboolean
names_member (JsonArray  *names,
              const char *name)
{
  for (guint i = 0; names != NULL && i < json_array_get_length (names); i++)
    if (g_strcmp0 (json_array_get_string_element (names, i), name) == 0)
      return TRUE;
  return FALSE;
}

/* POST /api/v1/sync/push with one mutation; returns the status. */
static unsigned
push_raw (const char      *url,
          const char      *token,
          const char      *dossier_id,
          RegieRecordKind  kind,
          const char      *record_id,
          gint64           base_version,
          const char      *payload)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func ((GDestroyNotify) regie_mutation_free);
  RegieMutation *mutation = regie_mutation_new ();
  g_autofree char *json = NULL;
  g_autofree char *answer = NULL;
  unsigned status = 0;

  mutation->id = regie_uuid_v7_new ();
  mutation->record_id = g_strdup (record_id);
  mutation->dossier_id = g_strdup (dossier_id);
  mutation->kind = kind;
  mutation->base_version = base_version;
  mutation->payload = g_strdup (payload);
  g_ptr_array_add (batch, mutation);
  json = regie_push_request_serialize (batch);
  answer = regie_test_http (url, "POST", "/api/v1/sync/push", token, json, 0, &status, NULL);
  g_assert_nonnull (answer);
  return status;
}

static void
sync_all (Device **devices)
{
  for (guint i = 0; i < N_DEVICES; i++)
    device_sync (devices[i]);
}

static char *
put (Device          *device,
     const char      *dossier_id,
     RegieRecordKind  kind,
     const char      *record_id,
     JsonNode        *payload)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = regie_json_to_string (payload);
  char *id = regie_store_put_record (device->store, dossier_id, kind, record_id, text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

/* ---- the test ------------------------------------------------------------ */

typedef struct
{
  char   *record_id;
  gint64  version;   /* 0: a new record */
} Refusal;

static void
test_field_classes (void)
{
  g_autoptr(RegieTestServer) server = start_server (NULL);
  const char *url = regie_test_server_get_url (server);
  g_autoptr(GListModel) caseload = NULL;
  g_autoptr(GError) error = NULL;
  Device *dev[N_DEVICES];
  KindCase cases[REGIE_N_RECORD_KINDS] = { { 0, } };
  char *dossiers[N_SLOTS] = { NULL, };
  guint n_dossiers = 0;
  guint n_expected_conflicts[N_DEVICES] = { 0, };
  g_autoptr(GArray) refusals = g_array_new (FALSE, FALSE, sizeof (Refusal));
  guint n_cells = 0;
  guint n_per_policy[3] = { 0, };
  gint64 started = g_get_monotonic_time ();

  for (guint i = 0; i < N_DEVICES; i++)
    dev[i] = device_new (url, device_specs[i].name, device_specs[i].username);
  sync_all (dev);

  /* Dossiers every device holds: fatima's, in team Noord, with an
   * ontzorgen arrangement (so the inkomensconsulent has them too). */
  caseload = regie_store_load_caseload (dev[FATIMA_A]->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (caseload) && n_dossiers < N_SLOTS; i++)
    {
      g_autoptr(RegieCaseloadItem) item = g_list_model_get_item (caseload, i);
      const char *id = regie_caseload_item_get_dossier_id (item);
      gboolean everywhere = TRUE;

      for (guint d = 0; d < N_DEVICES; d++)
        {
          g_autoptr(RegiePerson) person = regie_store_get_person (dev[d]->store, id, NULL);
          everywhere = everywhere && person != NULL;
        }
      if (everywhere)
        dossiers[n_dossiers++] = g_strdup (id);
    }
  g_assert_cmpuint (n_dossiers, ==, N_SLOTS);

  /* The plan: per kind its policy, the pair and the slots. */
  for (guint k = 0; k < REGIE_N_RECORD_KINDS; k++)
    {
      KindCase *c = &cases[k];

      c->kind = k;
      c->policy = regie_kind_merge_policy (k);
      c->paths = g_string_new (NULL);
      n_per_policy[c->policy]++;
      for (guint p = 0; p < G_N_ELEMENTS (pairs) && !c->writable; p++)
        if (regie_permissions_may_write (device_specs[pairs[p].first].role, k) &&
            regie_permissions_may_write (device_specs[pairs[p].second].role, k))
          {
            c->writable = TRUE;
            c->first = pairs[p].first;
            c->second = pairs[p].second;
          }
      if (!c->writable)
        continue;
      c->n_slots = c->policy == REGIE_MERGE_APPEND_ONLY ? 0 : c->policy == REGIE_MERGE_FIELDS ? 2 : 3;
    }

  /* Setup: per slot a record both devices of the pair hold at the same
   * version — the one a dossier has of a one-per-dossier kind, else a
   * new one. */
  for (guint k = 0; k < REGIE_N_RECORD_KINDS; k++)
    {
      KindCase *c = &cases[k];

      for (guint s = 0; s < c->n_slots; s++)
        {
          RegieRecord *existing = NULL;
          g_autoptr(RegieCase) dossier = NULL;

          dossier = regie_store_load_case (dev[c->first]->store, dossiers[s], &error);
          g_assert_no_error (error);
          if (regie_kind_spec_get (k)->one_per_dossier)
            existing = regie_case_get_first (dossier, k);
          if (existing != NULL)
            c->slots[s].record_id = g_strdup (regie_record_get_id (existing));
          else
            {
              g_autofree char *payload = new_payload (k, dev[c->first]->username);
              g_autoptr(JsonNode) node = json_from_string (payload, NULL);

              c->slots[s].record_id = put (dev[c->first], dossiers[s], k, NULL, node);
            }
        }
    }
  sync_all (dev);
  sync_all (dev);

  for (guint k = 0; k < REGIE_N_RECORD_KINDS; k++)
    {
      KindCase *c = &cases[k];

      for (guint s = 0; s < c->n_slots; s++)
        {
          Slot *slot = &c->slots[s];
          g_autoptr(RegieRecord) a = get_record (dev[c->first], dossiers[s], slot->record_id);
          g_autoptr(RegieRecord) b = get_record (dev[c->second], dossiers[s], slot->record_id);

          g_assert_nonnull (a);
          g_assert_nonnull (b);
          g_assert_cmpint (regie_record_get_version (a), >, 0);
          g_assert_cmpint (regie_record_get_version (a), ==, regie_record_get_version (b));
          g_assert_true (json_node_equal (regie_record_get_payload (a), regie_record_get_payload (b)));
          slot->base_version = regie_record_get_version (a);
          slot->base = deep_copy (regie_record_get_payload (a));
        }
      if (c->n_slots > 0)
        pick_fields (c, c->policy == REGIE_MERGE_FIELDS ? 2 : 1);
    }

  /* Offline, both devices of each pair. */
  for (guint k = 0; k < REGIE_N_RECORD_KINDS; k++)
    {
      KindCase *c = &cases[k];

      if (!c->writable)
        continue;

      if (c->policy == REGIE_MERGE_APPEND_ONLY)
        {
          DeviceId who[2] = { c->first, c->second };

          c->base_count = count_kind (dev[c->first], dossiers[0], k);
          g_assert_cmpuint (count_kind (dev[c->second], dossiers[0], k), ==, c->base_count);
          for (guint i = 0; i < 2; i++)
            {
              g_autofree char *payload = new_payload (k, dev[who[i]]->username);
              g_autoptr(JsonNode) node = json_from_string (payload, NULL);

              c->created[i] = put (dev[who[i]], dossiers[0], k, NULL, node);
            }
          continue;
        }

      for (guint s = 0; s < c->n_slots; s++)
        {
          Slot *slot = &c->slots[s];
          g_autofree char *id_a = NULL, *id_b = NULL;

          slot->first = with_edit (k, slot->base, c->fields[0], 1);
          if (c->policy == REGIE_MERGE_FIELDS && s == SLOT_DIFFERENT)
            slot->second = with_edit (k, slot->base, c->fields[1], 1);
          else
            slot->second = with_edit (k, slot->base, c->fields[0], 2);
          if (c->policy == REGIE_MERGE_CRITICAL)
            {
              /* Theirs, with a third value: neither side's. */
              slot->edited = deep_copy (slot->first);
              json_object_set_member (obj (slot->edited), c->fields[0]->name,
                                      edit_value (k, c->fields[0], slot->base, 3));
            }

          id_a = put (dev[c->first], dossiers[s], k, slot->record_id, slot->first);
          id_b = put (dev[c->second], dossiers[s], k, slot->record_id, slot->second);
          g_assert_cmpstr (id_a, ==, slot->record_id);
          g_assert_cmpstr (id_b, ==, slot->record_id);
        }
      if (c->policy == REGIE_MERGE_CRITICAL)
        n_expected_conflicts[c->second] += c->n_slots;
    }

  /* Sync in the fixed order. Every device after the first pulls by hand
   * before it pushes: the first devices' edits are on the server by
   * then, and must not replace its unsent ones. */
  for (guint d = 0; d < N_DEVICES; d++)
    {
      if (d > 0)
        {
          g_assert_cmpuint (pull_by_hand (dev[d], url), >, 0);

          for (guint k = 0; k < REGIE_N_RECORD_KINDS; k++)
            {
              KindCase *c = &cases[k];

              if (!c->writable || c->second != d)
                continue;

              if (c->policy == REGIE_MERGE_APPEND_ONLY)
                {
                  /* The pull did bring the first device's new record. */
                  g_autoptr(RegieRecord) theirs = get_record (dev[d], dossiers[0], c->created[0]);
                  g_assert_nonnull (theirs);
                  continue;
                }

              for (guint s = 0; s < c->n_slots; s++)
                {
                  Slot *slot = &c->slots[s];
                  g_autoptr(RegieRecord) mine = get_record (dev[d], dossiers[s], slot->record_id);

                  g_assert_true (json_node_equal (regie_record_get_payload (mine), slot->second));
                  g_assert_cmpint (regie_record_get_version (mine), ==, slot->base_version);
                  g_assert_true (regie_store_record_is_pending (dev[d]->store, slot->record_id));
                }
              covered (c, "pull-keeps-unsent");
            }
        }
      device_sync (dev[d]);
    }
  sync_all (dev);

  for (guint d = 0; d < N_DEVICES; d++)
    {
      g_autoptr(GPtrArray) conflicts = regie_store_list_conflicts (dev[d]->store, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (conflicts->len, ==, n_expected_conflicts[d]);
      g_assert_cmpuint (regie_store_count_stuck (dev[d]->store), ==, n_expected_conflicts[d]);
      g_assert_cmpuint (regie_store_count_pending (dev[d]->store), ==, n_expected_conflicts[d]);
    }

  /* What each class must have done. */
  for (guint k = 0; k < REGIE_N_RECORD_KINDS; k++)
    {
      KindCase *c = &cases[k];
      g_autoptr(GPtrArray) conflicts = NULL;

      if (!c->writable)
        continue;

      if (c->policy == REGIE_MERGE_APPEND_ONLY)
        {
          DeviceId who[2] = { c->first, c->second };

          for (guint d = 0; d < 2; d++)
            {
              g_assert_cmpuint (count_kind (dev[who[d]], dossiers[0], k), ==, c->base_count + 2);
              for (guint i = 0; i < 2; i++)
                {
                  g_autoptr(RegieRecord) record = get_record (dev[who[d]], dossiers[0], c->created[i]);

                  g_assert_nonnull (record);
                  g_assert_cmpint (regie_record_get_version (record), ==, 1);
                }
            }
          covered (c, "both-arrive-once");
          continue;
        }

      if (c->policy == REGIE_MERGE_FIELDS)
        {
          g_autoptr(JsonNode) root_different = NULL, root_same = NULL;
          Slot *different = &c->slots[SLOT_DIFFERENT];
          Slot *same = &c->slots[SLOT_SAME];
          JsonArray *versions;
          JsonObject *v;

          for (guint i = 0; i < 2; i++)
            {
              Device *device = dev[i == 0 ? c->first : c->second];
              g_autoptr(RegieRecord) d_rec = get_record (device, dossiers[SLOT_DIFFERENT], different->record_id);
              g_autoptr(RegieRecord) s_rec = get_record (device, dossiers[SLOT_SAME], same->record_id);

              /* Different members: both stay. */
              g_assert_cmpint (regie_record_get_version (d_rec), ==, different->base_version + 2);
              assert_member (d_rec, c->fields[0], different->first);
              assert_member (d_rec, c->fields[1], different->second);
              /* The same member: the later push. */
              g_assert_cmpint (regie_record_get_version (s_rec), ==, same->base_version + 2);
              assert_member (s_rec, c->fields[0], same->second);
            }

          versions = history_versions (url, dev[c->first]->token, different->record_id, &root_different);
          v = history_version (versions, different->base_version + 1);
          g_assert_cmpuint (json_array_get_length (json_object_get_array_member (v, "overwritten")), ==, 0);
          covered (c, "different-members-merged");

          /* The overwritten value is in the history, marked. */
          versions = history_versions (url, dev[c->first]->token, same->record_id, &root_same);
          v = history_version (versions, same->base_version + 1);
          g_assert_true (json_node_equal (json_object_get_member (json_object_get_object_member (v, "payload"),
                                                                  c->fields[0]->name),
                                          json_object_get_member (obj (same->first), c->fields[0]->name)));
          g_assert_true (names_member (json_object_get_array_member (v, "overwritten"), c->fields[0]->name));
          v = history_version (versions, same->base_version + 2);
          g_assert_false (names_member (json_object_get_array_member (v, "overwritten"), c->fields[0]->name));
          covered (c, "same-member-later-wins+history");
          continue;
        }

      /* Critical: the first push stands, the second waits for a decision. */
      conflicts = regie_store_list_conflicts (dev[c->second]->store, &error);
      g_assert_no_error (error);
      for (guint s = 0; s < c->n_slots; s++)
        {
          Slot *slot = &c->slots[s];
          RegieConflict *conflict = NULL;
          g_autoptr(RegieRecord) a = get_record (dev[c->first], dossiers[s], slot->record_id);
          g_autoptr(JsonNode) mine = NULL, theirs = NULL;
          g_autofree char *edited = NULL;

          for (guint i = 0; i < conflicts->len; i++)
            if (g_str_equal (((RegieConflict *) g_ptr_array_index (conflicts, i))->record_id, slot->record_id))
              conflict = g_ptr_array_index (conflicts, i);
          g_assert_nonnull (conflict);
          g_assert_cmpint (conflict->kind, ==, k);
          g_assert_cmpstr (conflict->dossier_id, ==, dossiers[s]);
          g_assert_cmpint (conflict->base_version, ==, slot->base_version);
          g_assert_cmpint (conflict->current_version, ==, slot->base_version + 1);
          g_assert_nonnull (conflict->theirs);
          mine = json_from_string (conflict->mine, NULL);
          theirs = json_from_string (conflict->theirs, NULL);
          g_assert_true (json_node_equal (mine, slot->second));
          g_assert_true (json_node_equal (theirs, slot->first));

          g_assert_cmpint (regie_record_get_version (a), ==, slot->base_version + 1);
          g_assert_true (json_node_equal (regie_record_get_payload (a), slot->first));

          edited = slot_choices[s] == REGIE_CONFLICT_EDIT ? regie_json_to_string (slot->edited) : NULL;
          g_assert_true (regie_store_resolve_conflict (dev[c->second]->store, slot->record_id, slot_choices[s],
                                                       edited, &error));
          g_assert_no_error (error);
        }
    }

  /* The decisions go out; everyone ends with the same record. */
  sync_all (dev);
  sync_all (dev);
  for (guint d = 0; d < N_DEVICES; d++)
    {
      g_assert_cmpuint (regie_store_count_pending (dev[d]->store), ==, 0);
      g_assert_cmpuint (regie_store_count_stuck (dev[d]->store), ==, 0);
    }
  for (guint k = 0; k < REGIE_N_RECORD_KINDS; k++)
    {
      KindCase *c = &cases[k];

      if (!c->writable || c->policy != REGIE_MERGE_CRITICAL)
        continue;

      for (guint s = 0; s < c->n_slots; s++)
        {
          Slot *slot = &c->slots[s];
          JsonNode *expected = slot_choices[s] == REGIE_CONFLICT_MINE ? slot->second
                             : slot_choices[s] == REGIE_CONFLICT_THEIRS ? slot->first
                             : slot->edited;
          gint64 version = slot->base_version + (slot_choices[s] == REGIE_CONFLICT_THEIRS ? 1 : 2);

          for (guint i = 0; i < 2; i++)
            {
              g_autoptr(RegieRecord) record = get_record (dev[i == 0 ? c->first : c->second],
                                                          dossiers[s], slot->record_id);

              g_assert_cmpint (regie_record_get_version (record), ==, version);
              assert_member (record, c->fields[0], expected);
              g_assert_true (json_node_equal (regie_record_get_payload (record), expected));
            }
        }
      covered (c, "conflict-mine");
      covered (c, "conflict-theirs");
      covered (c, "conflict-edit");
    }

  /* Roles that may not write a kind: refused whole (403), and nothing
   * written — an edit of the record a one-per-dossier kind has, else a
   * new record. */
  for (guint k = 0; k < REGIE_N_RECORD_KINDS; k++)
    {
      KindCase *c = &cases[k];

      for (DeviceId d = FATIMA_A; d <= RUUD; d++)
        {
          g_autofree char *payload = NULL;
          g_autofree char *what = NULL;
          g_autoptr(RegieCase) dossier = NULL;
          RegieRecord *existing = NULL;
          Refusal refusal = { 0, };

          if (regie_permissions_may_write (device_specs[d].role, k))
            continue;

          dossier = regie_store_load_case (dev[FATIMA_B]->store, dossiers[0], &error);
          g_assert_no_error (error);
          if (regie_kind_spec_get (k)->one_per_dossier)
            existing = regie_case_get_first (dossier, k);
          refusal.record_id = existing != NULL ? g_strdup (regie_record_get_id (existing)) : regie_uuid_v7_new ();
          refusal.version = existing != NULL ? regie_record_get_version (existing) : 0;
          payload = new_payload (k, device_specs[d].username);
          g_assert_cmpuint (push_raw (url, dev[d]->token, dossiers[0], k, refusal.record_id,
                                      refusal.version, payload), ==, 403);
          g_array_append_val (refusals, refusal);
          what = g_strdup_printf ("refused-for-%s", regie_role_to_string (device_specs[d].role));
          covered (c, what);
        }
    }
  device_sync (dev[FATIMA_B]);
  for (guint i = 0; i < refusals->len; i++)
    {
      Refusal *refusal = &g_array_index (refusals, Refusal, i);
      g_autoptr(RegieRecord) record = get_record (dev[FATIMA_B], dossiers[0], refusal->record_id);

      if (refusal->version == 0)
        g_assert_null (record);
      else
        g_assert_cmpint (regie_record_get_version (record), ==, refusal->version);
      g_free (refusal->record_id);
    }

  /* The engine with an edit the server refuses alone (a store that does
   * not know the user's role lets it through): the batch goes again one
   * edit at a time, the refused edit is kept aside as rejected with the
   * server's reason, and the user's other edits still go out. */
  {
    g_autofree char *note = new_payload (REGIE_RECORD_NOTE, "ruud");
    g_autofree char *loan = new_payload (REGIE_RECORD_BRIDGING_LOAN, "ruud");
    g_autoptr(JsonNode) note_node = json_from_string (note, NULL);
    g_autoptr(JsonNode) loan_node = json_from_string (loan, NULL);
    g_autofree char *id = put (dev[RUUD], dossiers[0], REGIE_RECORD_NOTE, NULL, note_node);
    g_autofree char *loan_id = put (dev[RUUD], dossiers[0], REGIE_RECORD_BRIDGING_LOAN, NULL, loan_node);
    g_autoptr(RegieRecord) absent = NULL;
    g_autoptr(RegieRecord) present = NULL;
    g_autoptr(GPtrArray) rejected = NULL;

    g_assert_true (regie_sync_engine_sync (dev[RUUD]->engine, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (regie_sync_engine_get_state (dev[RUUD]->engine), ==, REGIE_SYNC_STATE_SYNCED);
    g_assert_cmpuint (regie_store_count_pending (dev[RUUD]->store), ==, 1);
    g_assert_cmpuint (regie_store_count_stuck (dev[RUUD]->store), ==, 1);
    g_assert_true (regie_store_record_is_pending (dev[RUUD]->store, id));
    g_assert_false (regie_store_record_is_pending (dev[RUUD]->store, loan_id));
    rejected = regie_store_list_rejected (dev[RUUD]->store, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rejected->len, ==, 1);
    g_assert_cmpstr (((RegieConflict *) g_ptr_array_index (rejected, 0))->record_id, ==, id);
    g_assert_nonnull (strstr (((RegieConflict *) g_ptr_array_index (rejected, 0))->reason, "may not write"));

    /* Not sent again; nothing of it on the server. */
    device_sync (dev[RUUD]);
    g_assert_cmpuint (regie_store_count_stuck (dev[RUUD]->store), ==, 1);
    device_sync (dev[FATIMA_B]);
    absent = get_record (dev[FATIMA_B], dossiers[0], id);
    g_assert_null (absent);
    present = get_record (dev[FATIMA_B], dossiers[0], loan_id);
    g_assert_nonnull (present);
  }

  /* What was covered, for the log. */
  for (guint k = 0; k < REGIE_N_RECORD_KINDS; k++)
    {
      KindCase *c = &cases[k];

      /* A kind no client may write is refused for every role above. */
      g_assert_true (c->writable || c->n_paths >= 3);
      if (c->writable)
        g_test_message ("%-20s %-14s %-9s %s + %s: %s", kind_name (k), policy_name (c->policy),
                        regie_field_class_to_string (regie_kind_spec_get (k)->field_class),
                        device_specs[c->first].name, device_specs[c->second].name, c->paths->str);
      else
        g_test_message ("%-20s %-14s %-9s no client writes it: %s", kind_name (k), policy_name (c->policy),
                        regie_field_class_to_string (regie_kind_spec_get (k)->field_class), c->paths->str);
      n_cells += c->n_paths;
    }
  g_test_message ("covered %u kind x path cases: %u kinds (%u append-only, %u administrative, %u critical), "
                  "%u of them refusals, in %.1f s",
                  n_cells, (guint) REGIE_N_RECORD_KINDS, n_per_policy[REGIE_MERGE_APPEND_ONLY],
                  n_per_policy[REGIE_MERGE_FIELDS], n_per_policy[REGIE_MERGE_CRITICAL], refusals->len,
                  (g_get_monotonic_time () - started) / 1e6);

  for (guint k = 0; k < REGIE_N_RECORD_KINDS; k++)
    kind_case_clear (&cases[k]);
  for (guint s = 0; s < N_SLOTS; s++)
    g_free (dossiers[s]);
  for (guint i = 0; i < N_DEVICES; i++)
    device_free (dev[i]);
}

int
main (int   argc,
      char *argv[])
{
  if (!client_test_init (&argc, &argv))
    return g_test_run ();

  g_test_add_func ("/field-classes/two-devices", test_field_classes);

  return g_test_run ();
}
