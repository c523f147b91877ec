/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieTest"

/* The permission matrix on the wire (docs/permissions.md): every role ×
 * endpoint × scope × record kind — and with the kinds every field class —
 * against one running server. Four dossiers lie at different distances
 * from the walkers: fatima's own, a colleague's in her team, one of
 * another team, and one of a third team without an ontzorgen arrangement.
 * For each cell the answer must be exactly what the matrix says: allowed
 * is 2xx and stored, forbidden is 403 with a JSON error body and nothing
 * written, and no pull brings a record the matrix keeps from the role.
 *
 * The expectations are generated from the table in
 * common/regie-permissions.c (regie_permissions_get_access and
 * regie_permissions_get_scope), with the rules around it restated here
 * from the documentation rather than borrowed from the server's code. A
 * table that is wrong in itself would pass such a walk, so a handful of
 * facts the product stands on are checked as well, written out by name. */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "regie-permissions.h"
#include "regie-records.h"
#include "regie-schema.h"
#include "server-test-util.h"

typedef enum
{
  WHERE_OWN,          /* fatima's, team-noord, ontzorgen */
  WHERE_TEAM,         /* joost's, team-noord, ontzorgen */
  WHERE_OTHER_TEAM,   /* sanne's, team-zuid, ontzorgen */
  WHERE_OTHER_PLAIN,  /* lotte's, team-centrum, no ontzorgen */
  N_WHERE
} Where;

typedef struct
{
  const char *name;
  const char *opener;        /* the coordinator who opens it */
  const char *team;
  const char *klantmanager;  /* who holds and fills it */
  gboolean    ontzorgen;
} DossierSpec;

static const DossierSpec dossier_specs[N_WHERE] = {
  [WHERE_OWN]         = { "own", "ingrid", "team-noord", "fatima", TRUE },
  [WHERE_TEAM]        = { "team", "ingrid", "team-noord", "joost", TRUE },
  [WHERE_OTHER_TEAM]  = { "other-team", "pieter", "team-zuid", "sanne", TRUE },
  [WHERE_OTHER_PLAIN] = { "other-team-no-ontzorgen", "anouk", "team-centrum", "lotte", FALSE },
};

/* One user per role (docs/demo-accounts.md). */
typedef struct
{
  const char *username;
  RegieRole   role;
  const char *team;
} Walker;

static const Walker walkers[] = {
  { "fatima", REGIE_ROLE_KLANTMANAGER, "team-noord" },
  { "ingrid", REGIE_ROLE_COORDINATOR, "team-noord" },
  { "ruud", REGIE_ROLE_INKOMENSCONSULENT, "team-centrum" },
  { "beheer", REGIE_ROLE_BEHEERDER, NULL },
};

#define N_WALKERS G_N_ELEMENTS (walkers)

typedef enum
{
  EP_PUSH,
  EP_PULL,
  EP_HISTORY,
  EP_ACCESS_LOG,
  EP_EXPORT,
  N_EP
} EndpointId;

static const char * const endpoint_names[N_EP] = {
  "push", "pull", "record history", "access log", "export",
};

/* A record the server should hold in one of the four dossiers. */
typedef struct
{
  char            *id;
  Where            where;
  RegieRecordKind  kind;
  gint64           version;
} Known;

static void
known_free (Known *known)
{
  g_free (known->id);
  g_free (known);
}

typedef struct
{
  RegieTestServer *server;
  SoupSession     *session;
  const char      *url;
  GHashTable      *tokens;      /* user name → token */
  char            *dossiers[N_WHERE];
  Known           *fixture[N_WHERE][REGIE_N_RECORD_KINDS];  /* NULL: none of that kind */
  GHashTable      *known;       /* record id → Known: everything that must be stored */
  GHashTable      *refused;     /* record ids of refused new records: never stored */
  unsigned         status[N_WALKERS][N_WHERE][REGIE_N_RECORD_KINDS][N_EP];
  GHashTable      *pulled_kinds[N_WALKERS];  /* kind names the walker ever received */
  unsigned         cells[N_EP];
} Matrix;

static Matrix m;

/* ---- what the matrix says ----------------------------------------------- */

/* The scope table of docs/permissions.md, over the four dossiers. */
static gboolean
expect_in_scope (const Walker      *walker,
                 const DossierSpec *dossier)
{
  switch (regie_permissions_get_scope (walker->role))
    {
    case REGIE_SCOPE_OWN:
      return g_str_equal (dossier->klantmanager, walker->username);
    case REGIE_SCOPE_TEAM:
      return walker->team != NULL && g_str_equal (dossier->team, walker->team);
    case REGIE_SCOPE_ONTZORGEN:
      return dossier->ontzorgen;
    case REGIE_SCOPE_MUNICIPALITY:
      return TRUE;
    case REGIE_SCOPE_NONE:
    default:
      return FALSE;
    }
}

/* The table's cell for the kind's field class, narrowed as
 * docs/permissions.md says: the assignment and the dossier record are
 * written only by a coordinator, and read by every role with a scope. */
static RegieAccess
expect_access (RegieRole       role,
               RegieRecordKind kind)
{
  if (kind == REGIE_RECORD_ASSIGNMENT || kind == REGIE_RECORD_DOSSIER)
    {
      if (regie_permissions_get_scope (role) == REGIE_SCOPE_NONE)
        return REGIE_ACCESS_NONE;
      return role == REGIE_ROLE_COORDINATOR ? REGIE_ACCESS_WRITE : REGIE_ACCESS_READ;
    }

  return regie_permissions_get_access (role, regie_kind_spec_get (kind)->field_class);
}

static gboolean
expect_read (const Walker    *walker,
             Where            where,
             RegieRecordKind  kind)
{
  return expect_in_scope (walker, &dossier_specs[where]) &&
         expect_access (walker->role, kind) >= REGIE_ACCESS_READ;
}

static gboolean
expect_write (const Walker    *walker,
              Where            where,
              RegieRecordKind  kind)
{
  return expect_in_scope (walker, &dossier_specs[where]) &&
         expect_access (walker->role, kind) == REGIE_ACCESS_WRITE;
}

/* docs/permissions.md, processing log: the coordinator of the team. */
static gboolean
expect_access_log (const Walker *walker,
                   Where         where)
{
  return walker->role == REGIE_ROLE_COORDINATOR && expect_in_scope (walker, &dossier_specs[where]);
}

/* ---- helpers ------------------------------------------------------------ */

static const char *
token_of (const char *username)
{
  const char *token = g_hash_table_lookup (m.tokens, username);

  if (token == NULL)
    {
      token = test_login (m.url, username);
      g_hash_table_insert (m.tokens, g_strdup (username), (char *) token);
    }
  return token;
}

static int
walker_index (const char *username)
{
  for (guint w = 0; w < N_WALKERS; w++)
    if (g_str_equal (walkers[w].username, username))
      return (int) w;
  g_assert_not_reached ();
}

static RegieRecordKind
kind_named (const char *name)
{
  RegieRecordKind kind;

  g_assert_true (regie_record_kind_from_string (name, &kind));
  return kind;
}

static char *
payload_for (Where            where,
             RegieRecordKind  kind,
             const char      *author)
{
  /* An assignment keeps the dossier where it is. */
  if (kind == REGIE_RECORD_ASSIGNMENT)
    return g_strdup_printf ("{\"team\":\"%s\",\"klantmanager\":\"%s\"}",
                            dossier_specs[where].team, dossier_specs[where].klantmanager);
  return test_sample_payload (kind, author);
}

static TestResponse *
push_one (const char      *username,
          const char      *record_id,
          Where            where,
          RegieRecordKind  kind,
          gint64           base_version)
{
  g_autofree char *mutation_id = test_uuid ();
  g_autofree char *payload = payload_for (where, kind, username);
  g_autofree char *body = NULL;
  GString *batch = test_batch_begin ();

  test_batch_add (batch, mutation_id, record_id, m.dossiers[where],
                  regie_record_kind_to_string (kind), base_version, payload);
  body = test_batch_end (batch);

  return test_request (m.session, m.url, "POST", "/api/v1/sync/push", token_of (username), body,
                       NULL, NULL);
}

static Known *
known_add (const char      *id,
           Where            where,
           RegieRecordKind  kind,
           gint64           version)
{
  Known *known = g_new0 (Known, 1);

  known->id = g_strdup (id);
  known->where = where;
  known->kind = kind;
  known->version = version;
  g_hash_table_insert (m.known, known->id, known);
  return known;
}

/* A push that must be applied: returns the version. */
static gint64
push_applied (const char      *username,
              const char      *record_id,
              Where            where,
              RegieRecordKind  kind,
              gint64           base_version)
{
  g_autoptr(TestResponse) response = push_one (username, record_id, where, kind, base_version);
  g_autoptr(GPtrArray) results = NULL;
  RegiePushResult *result;

  if (response->status != 200)
    g_error ("%s pushing %s into the %s dossier: HTTP %u %s", username,
             regie_record_kind_to_string (kind), dossier_specs[where].name, response->status,
             response->body);
  results = test_push_results (response->body);
  g_assert_cmpuint (results->len, ==, 1);
  result = g_ptr_array_index (results, 0);
  if (result->status != REGIE_PUSH_APPLIED)
    g_error ("%s pushing %s into the %s dossier: %s (%s)", username,
             regie_record_kind_to_string (kind), dossier_specs[where].name,
             regie_push_status_to_string (result->status), result->reason);
  g_assert_cmpint (result->version, ==, base_version + 1);

  return result->version;
}

/* ---- the four dossiers -------------------------------------------------- */

/* Each dossier's coordinator opens it; its klantmanager fills it with one
 * record of every other kind (no ontzorgen arrangement in the last). */
static void
make_fixture (void)
{
  for (int where = 0; where < N_WHERE; where++)
    {
      const DossierSpec *spec = &dossier_specs[where];

      m.dossiers[where] = test_uuid ();
      /* The assignment first: it opens the dossier. */
      for (int i = 0; i < REGIE_N_RECORD_KINDS; i++)
        {
          int kind = i == 0 ? REGIE_RECORD_ASSIGNMENT : i == REGIE_RECORD_ASSIGNMENT ? 0 : i;
          g_autofree char *record_id = NULL;
          const char *writer;

          if (kind == REGIE_RECORD_ONTZORGEN && !spec->ontzorgen)
            continue;

          record_id = kind == REGIE_RECORD_DOSSIER ? g_strdup (m.dossiers[where]) : test_uuid ();
          writer = kind == REGIE_RECORD_ASSIGNMENT || kind == REGIE_RECORD_DOSSIER
                   ? spec->opener : spec->klantmanager;
          push_applied (writer, record_id, where, kind, 0);
          m.fixture[where][kind] = known_add (record_id, where, kind, 1);
        }
    }
}

/* ---- walking the endpoints ---------------------------------------------- */

/* Push: a new record of the kind, or a new version of the dossier's one
 * record of a kind it holds only once. */
static void
walk_push (void)
{
  for (guint w = 0; w < N_WALKERS; w++)
    for (int where = 0; where < N_WHERE; where++)
      for (int kind = 0; kind < REGIE_N_RECORD_KINDS; kind++)
        {
          const Walker *walker = &walkers[w];
          Known *existing = regie_kind_spec_get (kind)->one_per_dossier ? m.fixture[where][kind] : NULL;
          g_autofree char *record_id = existing != NULL ? g_strdup (existing->id) : test_uuid ();
          gint64 base = existing != NULL ? existing->version : 0;
          g_autoptr(TestResponse) response = push_one (walker->username, record_id, where, kind, base);

          m.status[w][where][kind][EP_PUSH] = response->status;
          m.cells[EP_PUSH]++;

          if (expect_write (walker, where, kind))
            {
              g_autoptr(GPtrArray) results = NULL;
              RegiePushResult *result;

              if (response->status != 200)
                g_error ("%s may write %s in the %s dossier, but the push answered %u: %s",
                         walker->username, regie_record_kind_to_string (kind),
                         dossier_specs[where].name, response->status, response->body);
              results = test_push_results (response->body);
              g_assert_cmpuint (results->len, ==, 1);
              result = g_ptr_array_index (results, 0);
              if (result->status != REGIE_PUSH_APPLIED)
                g_error ("%s × %s × %s: %s (%s)", walker->username, dossier_specs[where].name,
                         regie_record_kind_to_string (kind),
                         regie_push_status_to_string (result->status), result->reason);
              g_assert_cmpint (result->version, ==, base + 1);
              if (existing != NULL)
                existing->version = result->version;
              else
                known_add (record_id, where, kind, result->version);
            }
          else
            {
              g_autofree char *message = NULL;

              if (response->status != 403)
                g_error ("%s may not write %s in the %s dossier, but the push answered %u: %s",
                         walker->username, regie_record_kind_to_string (kind),
                         dossier_specs[where].name, response->status, response->body);
              message = test_assert_error (response->body, 403, "forbidden");
              if (existing == NULL)
                g_hash_table_add (m.refused, g_steal_pointer (&record_id));
            }
        }
}

/* Pull from the start: exactly the records of the dossiers in scope and
 * the kinds the role reads, each at its stored version. */
static void
walk_pull (void)
{
  for (guint w = 0; w < N_WALKERS; w++)
    {
      const Walker *walker = &walkers[w];
      g_autoptr(TestPull) pull = test_pull_all (m.url, token_of (walker->username), 0,
                                                REGIE_PULL_MAX_LIMIT);
      guint counts[N_WHERE][REGIE_N_RECORD_KINDS] = { { 0 } };
      GHashTableIter iter;
      gpointer value;

      m.pulled_kinds[w] = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < pull->changes->len; i++)
        {
          const TestChange *change = g_ptr_array_index (pull->changes, i);
          const Known *known = g_hash_table_lookup (m.known, change->record_id);

          g_hash_table_add (m.pulled_kinds[w], (gpointer) regie_record_kind_to_string (change->kind));

          /* Never a kind the matrix keeps from the role, in any dossier. */
          if (expect_access (walker->role, change->kind) == REGIE_ACCESS_NONE)
            g_error ("%s received a %s record", walker->username,
                     regie_record_kind_to_string (change->kind));
          g_assert_false (g_hash_table_contains (m.refused, change->record_id));
          if (known == NULL)
            continue;

          if (!expect_read (walker, known->where, known->kind))
            g_error ("%s received %s of the %s dossier", walker->username,
                     regie_record_kind_to_string (known->kind), dossier_specs[known->where].name);
          g_assert_false (change->deleted);
          g_assert_nonnull (change->payload);
          g_assert_cmpint (change->kind, ==, known->kind);
          g_assert_cmpint (change->version, ==, known->version);
          counts[known->where][known->kind]++;
        }

      /* Everything readable arrived. */
      g_hash_table_iter_init (&iter, m.known);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          const Known *known = value;

          if (expect_read (walker, known->where, known->kind) &&
              !g_hash_table_contains (pull->by_id, known->id))
            g_error ("%s did not receive %s %s of the %s dossier", walker->username,
                     regie_record_kind_to_string (known->kind), known->id,
                     dossier_specs[known->where].name);
        }

      for (int where = 0; where < N_WHERE; where++)
        for (int kind = 0; kind < REGIE_N_RECORD_KINDS; kind++)
          {
            m.status[w][where][kind][EP_PULL] = counts[where][kind] > 0 ? 200 : 0;
            m.cells[EP_PULL]++;
          }
    }
}

/* The history of the dossier's record of each kind (an unknown id where
 * the dossier has none: the same 403 as a record one may not read). */
static void
walk_history (void)
{
  for (guint w = 0; w < N_WALKERS; w++)
    for (int where = 0; where < N_WHERE; where++)
      for (int kind = 0; kind < REGIE_N_RECORD_KINDS; kind++)
        {
          const Walker *walker = &walkers[w];
          const Known *known = m.fixture[where][kind];
          g_autofree char *id = known != NULL ? g_strdup (known->id) : test_uuid ();
          g_autofree char *path = g_strdup_printf ("/api/v1/records/%s/history", id);
          g_autoptr(TestResponse) response = test_request (m.session, m.url, "GET", path,
                                                           token_of (walker->username), NULL,
                                                           NULL, NULL);

          m.status[w][where][kind][EP_HISTORY] = response->status;
          m.cells[EP_HISTORY]++;

          if (known != NULL && expect_read (walker, where, kind))
            {
              g_autoptr(JsonNode) root = NULL;
              JsonObject *object;
              JsonArray *versions;
              JsonObject *last;

              if (response->status != 200)
                g_error ("%s may read %s of the %s dossier, but its history answered %u: %s",
                         walker->username, regie_record_kind_to_string (kind),
                         dossier_specs[where].name, response->status, response->body);
              root = json_from_string (response->body, NULL);
              g_assert_nonnull (root);
              object = json_node_get_object (root);
              g_assert_cmpstr (json_object_get_string_member (object, "record_id"), ==, id);
              g_assert_cmpstr (json_object_get_string_member (object, "dossier_id"), ==,
                               m.dossiers[where]);
              g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==,
                               regie_record_kind_to_string (kind));
              versions = json_object_get_array_member (object, "versions");
              g_assert_cmpuint (json_array_get_length (versions), ==, known->version);
              last = json_array_get_object_element (versions, json_array_get_length (versions) - 1);
              g_assert_cmpint (json_object_get_int_member (last, "version"), ==, known->version);
            }
          else
            {
              g_autofree char *message = NULL;

              if (response->status != 403)
                g_error ("%s may not read %s of the %s dossier, but its history answered %u: %s",
                         walker->username, regie_record_kind_to_string (kind),
                         dossier_specs[where].name, response->status, response->body);
              message = test_assert_error (response->body, 403, "forbidden");
            }
        }
}

static void
walk_access_log (void)
{
  for (guint w = 0; w < N_WALKERS; w++)
    for (int where = 0; where < N_WHERE; where++)
      {
        const Walker *walker = &walkers[w];
        g_autofree char *path = g_strdup_printf ("/api/v1/dossiers/%s/access-log", m.dossiers[where]);
        g_autoptr(TestResponse) response = test_request (m.session, m.url, "GET", path,
                                                         token_of (walker->username), NULL,
                                                         NULL, NULL);

        m.status[w][where][0][EP_ACCESS_LOG] = response->status;
        m.cells[EP_ACCESS_LOG]++;

        if (expect_access_log (walker, where))
          {
            g_assert_cmpuint (response->status, ==, 200);
            g_assert_nonnull (strstr (response->body, m.dossiers[where]));
            g_assert_nonnull (strstr (response->body, "\"action\":\"write\""));
            /* Who and which field classes, never content. */
            g_assert_null (strstr (response->body, "Nasser"));
            g_assert_null (strstr (response->body, "payload"));
          }
        else
          {
            g_autofree char *message = NULL;

            if (response->status != 403)
              g_error ("%s may not read the access log of the %s dossier, but it answered %u",
                       walker->username, dossier_specs[where].name, response->status);
            message = test_assert_error (response->body, 403, "forbidden");
          }
      }
}

/* Export is an operator's command on the server (regie-server export),
 * never an HTTP endpoint: no path serves a dossier whole. */
static void
walk_export (void)
{
  for (guint w = 0; w < N_WALKERS; w++)
    for (int where = 0; where < N_WHERE; where++)
      {
        g_autofree char *whole = g_strdup_printf ("/api/v1/dossiers/%s", m.dossiers[where]);
        g_autofree char *export = g_strdup_printf ("/api/v1/dossiers/%s/export", m.dossiers[where]);
        const char *paths[] = { whole, export, "/api/v1/export" };

        for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
          {
            const char *path = paths[p];
            g_autoptr(TestResponse) response = test_request (m.session, m.url, "GET", path,
                                                             token_of (walkers[w].username), NULL,
                                                             NULL, NULL);
            g_autofree char *message = NULL;

            g_assert_cmpuint (response->status, ==, 404);
            message = test_assert_error (response->body, 404, "not_found");
          }
        m.cells[EP_EXPORT]++;
      }
}

/* What the database holds, through regie-server export: every allowed
 * write stored at its version, nothing else in the four dossiers. */
static void
check_stored (void)
{
  const char *path = g_getenv ("REGIE_SERVER_PATH");
  const char * const args[] = { "export", "--data", regie_test_server_get_data_dir (m.server), NULL };
  g_autofree char *out = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GHashTable) stored = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_mine = 0;
  int exit_status = -1;

  out = test_run (path, args, NULL, &exit_status);
  g_assert_cmpint (exit_status, ==, 0);
  lines = test_split_lines (out);

  for (guint i = 0; i < lines->len; i++)
    {
      g_autoptr(JsonNode) root = json_from_string (g_ptr_array_index (lines, i), NULL);
      JsonObject *dossier;
      JsonArray *records;
      gboolean mine = FALSE;

      g_assert_nonnull (root);
      dossier = json_node_get_object (root);
      for (int where = 0; where < N_WHERE; where++)
        mine |= g_str_equal (json_object_get_string_member (dossier, "id"), m.dossiers[where]);
      if (!mine)
        continue;

      records = json_object_get_array_member (dossier, "records");
      for (guint r = 0; r < json_array_get_length (records); r++)
        {
          JsonObject *record = json_array_get_object_element (records, r);
          const char *id = json_object_get_string_member (record, "id");
          const Known *known = g_hash_table_lookup (m.known, id);

          if (known == NULL)
            g_error ("the database holds %s %s, which no allowed push wrote",
                     json_object_get_string_member (record, "kind"), id);
          g_assert_cmpint (json_object_get_int_member (record, "version"), ==, known->version);
          g_assert_cmpstr (json_object_get_string_member (record, "kind"), ==,
                           regie_record_kind_to_string (known->kind));
          g_hash_table_add (stored, (gpointer) known->id);
          n_mine++;
        }
    }

  g_assert_cmpuint (n_mine, ==, g_hash_table_size (m.known));
  g_assert_cmpuint (g_hash_table_size (stored), ==, g_hash_table_size (m.known));
}

/* Facts stated by name, independent of the table: if the table itself
 * were wrong, the walk above would agree with it; these would not. */
static void
check_key_facts (void)
{
  int ruud = walker_index ("ruud");
  int ingrid = walker_index ("ingrid");
  int fatima = walker_index ("fatima");
  int beheer = walker_index ("beheer");
  const char * const finance[] = { "ontzorgen", "ontzorgen_month", "bridging_loan" };
  const char * const never_income[] = {
    "intake_leerbaarheid", "intake_education", "intake_circumstances", "intake_health",
    "pip", "note", "progress_talk", "lesson_hours",
  };

  /* The inkomensconsulent writes the money of every ontzorgen dossier,
   * whichever team holds it, and receives it... */
  for (guint i = 0; i < G_N_ELEMENTS (finance); i++)
    {
      RegieRecordKind kind = kind_named (finance[i]);

      g_assert_cmpuint (m.status[ruud][WHERE_OWN][kind][EP_PUSH], ==, 200);
      g_assert_cmpuint (m.status[ruud][WHERE_OTHER_TEAM][kind][EP_PUSH], ==, 200);
      g_assert_cmpuint (m.status[ruud][WHERE_OWN][kind][EP_PULL], ==, 200);
      g_assert_cmpuint (m.status[ruud][WHERE_OTHER_PLAIN][kind][EP_PUSH], ==, 403);
    }
  /* ... but never the intake, health, the plan, progress or notes. */
  for (guint i = 0; i < G_N_ELEMENTS (never_income); i++)
    {
      RegieRecordKind kind = kind_named (never_income[i]);

      g_assert_false (g_hash_table_contains (m.pulled_kinds[ruud], never_income[i]));
      g_assert_cmpuint (m.status[ruud][WHERE_OWN][kind][EP_HISTORY], ==, 403);
      g_assert_cmpuint (m.status[ruud][WHERE_OWN][kind][EP_PUSH], ==, 403);
    }
  g_assert_cmpuint (m.status[ruud][WHERE_OWN][kind_named ("person")][EP_PULL], ==, 200);
  g_assert_cmpuint (m.status[ruud][WHERE_OWN][kind_named ("person")][EP_PUSH], ==, 403);

  /* The beheerder receives no dossier content and writes none. */
  g_assert_cmpuint (g_hash_table_size (m.pulled_kinds[beheer]), ==, 0);
  for (int where = 0; where < N_WHERE; where++)
    for (int kind = 0; kind < REGIE_N_RECORD_KINDS; kind++)
      {
        g_assert_cmpuint (m.status[beheer][where][kind][EP_PUSH], ==, 403);
        g_assert_cmpuint (m.status[beheer][where][kind][EP_HISTORY], ==, 403);
      }

  /* The coordinator gets no health data, not even of the team, and only
   * reads intake and finance. */
  g_assert_false (g_hash_table_contains (m.pulled_kinds[ingrid], "intake_health"));
  g_assert_cmpuint (m.status[ingrid][WHERE_OWN][kind_named ("intake_health")][EP_HISTORY], ==, 403);
  g_assert_cmpuint (m.status[ingrid][WHERE_OWN][kind_named ("intake_health")][EP_PUSH], ==, 403);
  g_assert_cmpuint (m.status[ingrid][WHERE_TEAM][kind_named ("intake_education")][EP_HISTORY], ==, 200);
  g_assert_cmpuint (m.status[ingrid][WHERE_TEAM][kind_named ("intake_education")][EP_PUSH], ==, 403);
  g_assert_cmpuint (m.status[ingrid][WHERE_TEAM][kind_named ("ontzorgen_month")][EP_PUSH], ==, 403);
  g_assert_cmpuint (m.status[ingrid][WHERE_TEAM][kind_named ("assignment")][EP_PUSH], ==, 200);
  g_assert_cmpuint (m.status[ingrid][WHERE_OTHER_TEAM][kind_named ("note")][EP_PUSH], ==, 403);
  g_assert_cmpuint (m.status[ingrid][WHERE_TEAM][0][EP_ACCESS_LOG], ==, 200);

  /* The klantmanager holds her own dossier whole, health included, and
   * nothing of a colleague's. */
  g_assert_true (g_hash_table_contains (m.pulled_kinds[fatima], "intake_health"));
  g_assert_cmpuint (m.status[fatima][WHERE_OWN][kind_named ("intake_health")][EP_PUSH], ==, 200);
  g_assert_cmpuint (m.status[fatima][WHERE_OWN][kind_named ("assignment")][EP_PUSH], ==, 403);
  g_assert_cmpuint (m.status[fatima][WHERE_TEAM][kind_named ("note")][EP_PUSH], ==, 403);
  g_assert_cmpuint (m.status[fatima][WHERE_TEAM][kind_named ("person")][EP_PULL], ==, 0);
  g_assert_cmpuint (m.status[fatima][WHERE_OWN][0][EP_ACCESS_LOG], ==, 403);

  /* And the table module answers the same for the access log. */
  g_assert_true (regie_permissions_may_read_access_log (REGIE_ROLE_COORDINATOR));
  g_assert_false (regie_permissions_may_read_access_log (REGIE_ROLE_KLANTMANAGER));
  g_assert_false (regie_permissions_may_read_access_log (REGIE_ROLE_INKOMENSCONSULENT));
  g_assert_false (regie_permissions_may_read_access_log (REGIE_ROLE_BEHEERDER));
}

static void
test_matrix (void)
{
  guint total = 0;
  gint64 start = g_get_monotonic_time ();

  /* One walker per role, every role walked. */
  g_assert_cmpuint (N_WALKERS, ==, REGIE_ROLE_BEHEERDER + 1);
  for (guint w = 0; w < N_WALKERS; w++)
    g_assert_cmpint (walkers[w].role, ==, (RegieRole) w);

  make_fixture ();
  walk_push ();
  walk_pull ();
  walk_history ();
  walk_access_log ();
  walk_export ();
  check_stored ();
  check_key_facts ();

  for (int e = 0; e < N_EP; e++)
    {
      g_test_message ("%s: %u cells", endpoint_names[e], m.cells[e]);
      total += m.cells[e];
    }
  g_assert_cmpuint (m.cells[EP_PUSH], ==, N_WALKERS * N_WHERE * REGIE_N_RECORD_KINDS);
  g_assert_cmpuint (m.cells[EP_PULL], ==, N_WALKERS * N_WHERE * REGIE_N_RECORD_KINDS);
  g_assert_cmpuint (m.cells[EP_HISTORY], ==, N_WALKERS * N_WHERE * REGIE_N_RECORD_KINDS);
  g_test_message ("walked %u cells (%u roles x %u scopes x %u kinds in %u field classes) "
                  "in %.1f s", total, (guint) N_WALKERS, (guint) N_WHERE,
                  (guint) REGIE_N_RECORD_KINDS, (guint) REGIE_N_FIELD_CLASSES,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  const char * const demo[] = { "--demo", "--dossiers", "0", NULL };
  g_autoptr(GError) error = NULL;
  int status;

  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  m.server = regie_test_server_start (NULL, demo, &error);
  g_assert_no_error (error);
  m.url = regie_test_server_get_url (m.server);
  m.session = soup_session_new_with_options ("timeout", 60, NULL);
  m.tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  m.known = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) known_free);
  m.refused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_test_add_func ("/server/matrix/every-cell", test_matrix);

  status = g_test_run ();

  for (guint w = 0; w < N_WALKERS; w++)
    g_clear_pointer (&m.pulled_kinds[w], g_hash_table_unref);
  for (int where = 0; where < N_WHERE; where++)
    g_free (m.dossiers[where]);
  g_clear_pointer (&m.refused, g_hash_table_unref);
  g_clear_pointer (&m.known, g_hash_table_unref);
  g_clear_pointer (&m.tokens, g_hash_table_unref);
  g_clear_object (&m.session);
  regie_test_server_free (m.server);

  return status;
}
