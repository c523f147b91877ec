/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieTest"

/* Sync you can trust, server side: conflicts by field class, the record
 * history, scopes entering and leaving, and the permission matrix on
 * every pulled record (docs/protocol.md). Fatima works on two devices,
 * Ingrid coordinates team Noord; every edit is made "offline" on a base
 * version and pushed later. */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "regie-merge.h"
#include "regie-permissions.h"
#include "regie-records.h"
#include "regie-schema.h"
#include "server-test-util.h"

static RegieTestServer *server;

static const char *
url (void)
{
  return regie_test_server_get_url (server);
}

static RegiePushResult *
push_one (const char *token,
          const char *record_id,
          const char *dossier_id,
          const char *kind,
          gint64      base_version,
          const char *payload)
{
  return test_push_one (url (), token, record_id, dossier_id, kind, base_version, payload);
}

/* The payload with member `name` set to the string `value` (NULL: removed). */
static char *
with_member (const char *payload,
             const char *name,
             const char *value)
{
  g_autoptr(JsonNode) node = json_from_string (payload, NULL);
  JsonObject *object;

  g_assert_nonnull (node);
  object = json_node_get_object (node);
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_remove_member (object, name);

  return json_to_string (node, FALSE);
}

static char *
member_of (const char *payload,
           const char *name)
{
  g_autoptr(JsonNode) node = json_from_string (payload, NULL);
  JsonObject *object;

  g_assert_nonnull (node);
  object = json_node_get_object (node);
  if (!json_object_has_member (object, name))
    return NULL;
  return g_strdup (json_object_get_string_member (object, name));
}

/* The record as the user pulls it from scratch. */
static TestChange *
pulled (TestPull   *pull,
        const char *record_id)
{
  TestChange *change = g_hash_table_lookup (pull->by_id, record_id);

  g_assert_nonnull (change);
  return change;
}

static char *
first_of_kind (TestPull        *pull,
               const char      *dossier_id,
               RegieRecordKind  kind)
{
  for (guint i = 0; i < pull->changes->len; i++)
    {
      TestChange *change = g_ptr_array_index (pull->changes, i);

      if (change->kind == kind && !change->deleted &&
          (dossier_id == NULL || g_str_equal (change->dossier_id, dossier_id)))
        return g_strdup (change->record_id);
    }
  return NULL;
}

static JsonNode *
history_of (const char *token,
            const char *record_id,
            unsigned   *out_status)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/records/%s/history", record_id);
  g_autofree char *body = regie_test_http (url (), "GET", path, token, NULL, 0, out_status, NULL);

  g_assert_nonnull (body);
  if (*out_status != 200)
    return NULL;
  return json_from_string (body, NULL);
}

/* Person: members changed on different devices both stay; the same member
 * changed on both → the later push wins and the earlier value stays in
 * the history, marked overwritten. */
static void
test_person_merge (void)
{
  g_autofree char *laptop = test_login (url (), "fatima");
  g_autofree char *tablet = test_login (url (), "fatima");
  g_autoptr(TestPull) pull = test_pull_all (url (), laptop, 0, REGIE_PULL_MAX_LIMIT);
  TestChange *person = pulled (pull, PERSONA_LINA_PERSON);
  g_autofree char *base = g_strdup (person->payload);
  gint64 base_version = person->version;
  g_autofree char *phone_a = with_member (base, "phone", "06-11111111");
  g_autofree char *address_b = with_member (base, "address", "Dorpsstraat 1, Demoland");
  g_autoptr(RegiePushResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL;
  g_autoptr(TestPull) after = NULL;
  g_autoptr(JsonNode) history = NULL;
  g_autofree char *phone = NULL, *address = NULL;
  g_autofree char *phone_c = NULL, *phone_d = NULL;
  JsonArray *versions;
  gboolean marked = FALSE;
  unsigned status = 0;

  /* Different members. */
  r1 = push_one (laptop, PERSONA_LINA_PERSON, PERSONA_LINA, "person", base_version, phone_a);
  g_assert_cmpint (r1->status, ==, REGIE_PUSH_APPLIED);
  g_assert_null (r1->merged);
  r2 = push_one (tablet, PERSONA_LINA_PERSON, PERSONA_LINA, "person", base_version, address_b);
  g_assert_cmpint (r2->status, ==, REGIE_PUSH_APPLIED);
  g_assert_cmpint (r2->version, ==, r1->version + 1);
  g_assert_nonnull (r2->merged);
  g_assert_cmpuint (r2->merged->len, ==, 0);
  g_assert_nonnull (r2->current);

  after = test_pull_all (url (), tablet, 0, REGIE_PULL_MAX_LIMIT);
  person = pulled (after, PERSONA_LINA_PERSON);
  g_assert_cmpint (person->version, ==, r2->version);
  g_assert_cmpstr (person->payload, ==, r2->current);
  phone = member_of (person->payload, "phone");
  address = member_of (person->payload, "address");
  g_assert_cmpstr (phone, ==, "06-11111111");
  g_assert_cmpstr (address, ==, "Dorpsstraat 1, Demoland");

  /* The same member on both devices, both on r2's version. */
  phone_c = with_member (person->payload, "phone", "06-22222222");
  phone_d = with_member (person->payload, "phone", "06-33333333");
  r3 = push_one (laptop, PERSONA_LINA_PERSON, PERSONA_LINA, "person", r2->version, phone_c);
  g_assert_cmpint (r3->status, ==, REGIE_PUSH_APPLIED);
  r4 = push_one (tablet, PERSONA_LINA_PERSON, PERSONA_LINA, "person", r2->version, phone_d);
  g_assert_cmpint (r4->status, ==, REGIE_PUSH_APPLIED);
  g_assert_nonnull (r4->merged);
  g_assert_cmpuint (r4->merged->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (r4->merged, 0), ==, "phone");
  g_clear_pointer (&phone, g_free);
  phone = member_of (r4->current, "phone");
  g_assert_cmpstr (phone, ==, "06-33333333");

  /* Visible in the history: r3's version holds the overwritten value. */
  history = history_of (laptop, PERSONA_LINA_PERSON, &status);
  g_assert_cmpuint (status, ==, 200);
  versions = json_object_get_array_member (json_node_get_object (history), "versions");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (versions, json_array_get_length (versions) - 1),
                                               "version"), ==, r4->version);
  for (guint i = 0; i < json_array_get_length (versions); i++)
    {
      JsonObject *v = json_array_get_object_element (versions, i);
      JsonArray *overwritten = json_object_get_array_member (v, "overwritten");

      if (json_object_get_int_member (v, "version") == r3->version)
        {
          JsonObject *payload = json_object_get_object_member (v, "payload");

          g_assert_cmpuint (json_array_get_length (overwritten), ==, 1);
          g_assert_cmpstr (json_array_get_string_element (overwritten, 0), ==, "phone");
          g_assert_cmpstr (json_object_get_string_member (payload, "phone"), ==, "06-22222222");
          g_assert_cmpstr (json_object_get_string_member (v, "author"), ==, "fatima");
          marked = TRUE;
        }
      else
        g_assert_cmpuint (json_array_get_length (overwritten), ==, 0);
    }
  g_assert_true (marked);
}

static char *
signal_payload (const char *status,
                const char *description)
{
  return g_strdup_printf ("{\"title\":\"Huurachterstand\",\"description\":\"%s\",\"owner\":\"fatima\","
                          "\"status\":\"%s\",\"raised_on\":\"2025-03-01\"}",
                          description, status);
}

/* A signal: status on one device, description on the other → both. */
static void
test_signal_merge (void)
{
  g_autofree char *laptop = test_login (url (), "fatima");
  g_autofree char *tablet = test_login (url (), "fatima");
  g_autofree char *signal_id = test_uuid ();
  g_autofree char *v1 = signal_payload ("open", "Twee maanden achter.");
  g_autofree char *status_edit = signal_payload ("in_progress", "Twee maanden achter.");
  g_autofree char *description_edit = signal_payload ("open", "Drie maanden achter; verhuurder belde.");
  g_autoptr(RegiePushResult) r0 = NULL, r1 = NULL, r2 = NULL;
  g_autofree char *status = NULL, *description = NULL;

  r0 = push_one (laptop, signal_id, PERSONA_RAHAF, "signal", 0, v1);
  g_assert_cmpint (r0->status, ==, REGIE_PUSH_APPLIED);
  r1 = push_one (laptop, signal_id, PERSONA_RAHAF, "signal", 1, status_edit);
  g_assert_cmpint (r1->status, ==, REGIE_PUSH_APPLIED);
  r2 = push_one (tablet, signal_id, PERSONA_RAHAF, "signal", 1, description_edit);
  g_assert_cmpint (r2->status, ==, REGIE_PUSH_APPLIED);
  g_assert_cmpint (r2->version, ==, 3);
  g_assert_cmpuint (r2->merged->len, ==, 0);
  status = member_of (r2->current, "status");
  description = member_of (r2->current, "description");
  g_assert_cmpstr (status, ==, "in_progress");
  g_assert_cmpstr (description, ==, "Drie maanden achter; verhuurder belde.");
}

/* Assignment is critical: the second coordinator's stale change is a
 * conflict carrying the current record; nothing is written. */
static void
test_assignment_conflict (void)
{
  g_autofree char *desk = test_login (url (), "ingrid");
  g_autofree char *laptop = test_login (url (), "ingrid");
  g_autoptr(TestPull) pull = test_pull_all (url (), desk, 0, REGIE_PULL_MAX_LIMIT);
  g_autofree char *assignment_id = first_of_kind (pull, PERSONA_AYSE, REGIE_RECORD_ASSIGNMENT);
  TestChange *assignment = pulled (pull, assignment_id);
  gint64 base_version = assignment->version;
  g_autoptr(RegiePushResult) r1 = NULL, r2 = NULL, r3 = NULL;
  g_autoptr(TestPull) after = NULL;

  r1 = push_one (desk, assignment_id, PERSONA_AYSE, "assignment", base_version,
                 "{\"team\":\"team-noord\",\"klantmanager\":\"fatima\",\"regievoerder\":\"noor\"}");
  g_assert_cmpint (r1->status, ==, REGIE_PUSH_APPLIED);
  r2 = push_one (laptop, assignment_id, PERSONA_AYSE, "assignment", base_version,
                 "{\"team\":\"team-noord\",\"klantmanager\":\"fatima\",\"regievoerder\":\"joost\"}");
  g_assert_cmpint (r2->status, ==, REGIE_PUSH_CONFLICT);
  g_assert_nonnull (r2->reason);
  g_assert_cmpint (r2->current_version, ==, r1->version);
  g_assert_nonnull (strstr (r2->current, "\"regievoerder\":\"noor\""));
  g_assert_null (r2->merged);

  after = test_pull_all (url (), laptop, 0, REGIE_PULL_MAX_LIMIT);
  g_assert_cmpint (pulled (after, assignment_id)->version, ==, r1->version);
  g_assert_nonnull (strstr (pulled (after, assignment_id)->payload, "noor"));

  /* Resolving "mine": the same edit again on the current version. */
  r3 = push_one (laptop, assignment_id, PERSONA_AYSE, "assignment", r2->current_version,
                 "{\"team\":\"team-noord\",\"klantmanager\":\"fatima\",\"regievoerder\":\"joost\"}");
  g_assert_cmpint (r3->status, ==, REGIE_PUSH_APPLIED);
}

/* Notes never conflict: both devices' notes are kept. */
static void
test_notes_never_conflict (void)
{
  g_autofree char *laptop = test_login (url (), "fatima");
  g_autofree char *tablet = test_login (url (), "fatima");
  g_autofree char *n1 = test_uuid (), *n2 = test_uuid ();
  g_autofree char *p1 = test_note_payload ("fatima", "Vanaf de laptop.");
  g_autofree char *p2 = test_note_payload ("fatima", "Vanaf de tablet.");
  g_autoptr(RegiePushResult) r1 = NULL, r2 = NULL, r3 = NULL;
  g_autoptr(TestPull) pull = NULL;

  r1 = push_one (laptop, n1, PERSONA_TESFAY, "note", 0, p1);
  r2 = push_one (tablet, n2, PERSONA_TESFAY, "note", 0, p2);
  g_assert_cmpint (r1->status, ==, REGIE_PUSH_APPLIED);
  g_assert_cmpint (r2->status, ==, REGIE_PUSH_APPLIED);
  /* An edit of a note is not a conflict: notes are append-only. */
  r3 = push_one (tablet, n1, PERSONA_TESFAY, "note", 0, p2);
  g_assert_cmpint (r3->status, ==, REGIE_PUSH_REJECTED);

  pull = test_pull_all (url (), laptop, 0, REGIE_PULL_MAX_LIMIT);
  g_assert_cmpstr (pulled (pull, n1)->payload, ==, p1);
  g_assert_cmpstr (pulled (pull, n2)->payload, ==, p2);
}

/* Reassignment fatima → joost by ingrid: joost's next pull brings the
 * whole dossier although its records are older than his cursor; fatima's
 * next pull tells her it left; her late note is rejected one by one, not
 * as a 403 that would block her sync. */
static void
test_reassignment_scope (void)
{
  g_autofree char *fatima = test_login (url (), "fatima");
  g_autofree char *joost = test_login (url (), "joost");
  g_autofree char *ingrid = test_login (url (), "ingrid");
  g_autoptr(TestPull) fatima_all = test_pull_all (url (), fatima, 0, REGIE_PULL_MAX_LIMIT);
  g_autoptr(TestPull) joost_all = test_pull_all (url (), joost, 0, REGIE_PULL_MAX_LIMIT);
  g_autoptr(TestPull) ingrid_all = test_pull_all (url (), ingrid, 0, REGIE_PULL_MAX_LIMIT);
  g_autoptr(TestPull) fatima_next = NULL, joost_next = NULL, ingrid_next = NULL;
  g_autoptr(TestPull) fatima_again = NULL;
  g_autofree char *assignment_id = first_of_kind (ingrid_all, PERSONA_TESFAY, REGIE_RECORD_ASSIGNMENT);
  g_autofree char *note_id = test_uuid ();
  g_autofree char *note = test_note_payload ("fatima", "Na de overdracht geschreven.");
  g_autoptr(RegiePushResult) r1 = NULL, r2 = NULL;
  guint n_tesfay = 0;
  TestChange *leave = NULL;

  g_assert_false (g_hash_table_contains (joost_all->dossiers, PERSONA_TESFAY));
  for (guint i = 0; i < fatima_all->changes->len; i++)
    if (g_str_equal (((TestChange *) g_ptr_array_index (fatima_all->changes, i))->dossier_id,
                     PERSONA_TESFAY))
      n_tesfay++;
  g_assert_cmpuint (n_tesfay, >, 5);

  r1 = push_one (ingrid, assignment_id, PERSONA_TESFAY, "assignment",
                 pulled (ingrid_all, assignment_id)->version,
                 "{\"team\":\"team-noord\",\"klantmanager\":\"joost\"}");
  g_assert_cmpint (r1->status, ==, REGIE_PUSH_APPLIED);

  /* joost: every record of the dossier fatima held. */
  joost_next = test_pull_all (url (), joost, joost_all->cursor, 0);
  for (guint i = 0; i < fatima_all->changes->len; i++)
    {
      TestChange *change = g_ptr_array_index (fatima_all->changes, i);

      if (g_str_equal (change->dossier_id, PERSONA_TESFAY))
        g_assert_true (g_hash_table_contains (joost_next->by_id, change->record_id));
    }

  /* fatima: a leave, the tombstone of the dossier record. */
  fatima_next = test_pull_all (url (), fatima, fatima_all->cursor, 0);
  leave = g_hash_table_lookup (fatima_next->by_id, PERSONA_TESFAY);
  g_assert_nonnull (leave);
  g_assert_true (leave->deleted);
  g_assert_cmpint (leave->kind, ==, REGIE_RECORD_DOSSIER);
  g_assert_cmpint (leave->version, >, 0);
  for (guint i = 0; i < fatima_next->changes->len; i++)
    {
      TestChange *change = g_ptr_array_index (fatima_next->changes, i);

      if (g_str_equal (change->dossier_id, PERSONA_TESFAY))
        g_assert_true (change == leave);
    }

  /* A coordinator keeps the dossier: no leave for ingrid. */
  ingrid_next = test_pull_all (url (), ingrid, ingrid_all->cursor, 0);
  g_assert_false (pulled (ingrid_next, PERSONA_TESFAY)->deleted);

  /* fatima's note written offline before she learnt of it. */
  r2 = push_one (fatima, note_id, PERSONA_TESFAY, "note", 0, note);
  g_assert_cmpint (r2->status, ==, REGIE_PUSH_REJECTED);
  g_assert_nonnull (strstr (r2->reason, "no longer in your scope"));

  /* The leave is sent once; the no-op pull is back to nothing. */
  fatima_again = test_pull_all (url (), fatima, fatima_next->cursor, 0);
  g_assert_cmpuint (fatima_again->changes->len, ==, 0);

  /* Back to fatima: she gets the whole dossier again. */
  {
    g_autoptr(TestPull) ingrid_now = test_pull_all (url (), ingrid, 0, REGIE_PULL_MAX_LIMIT);
    g_autoptr(RegiePushResult) r3 = NULL;
    g_autoptr(TestPull) fatima_back = NULL;

    r3 = push_one (ingrid, assignment_id, PERSONA_TESFAY, "assignment",
                   pulled (ingrid_now, assignment_id)->version,
                   "{\"team\":\"team-noord\",\"klantmanager\":\"fatima\"}");
    g_assert_cmpint (r3->status, ==, REGIE_PUSH_APPLIED);
    fatima_back = test_pull_all (url (), fatima, fatima_next->cursor, 0);
    g_assert_false (pulled (fatima_back, PERSONA_TESFAY)->deleted);
    g_assert_cmpuint (g_hash_table_size (fatima_back->by_id), >=, n_tesfay);
  }
}

/* Role × kind: every pulled record is of a kind the role may read, in a
 * dossier of its scope. */
static void
test_pull_matrix (void)
{
  static const struct
  {
    const char *user;
    RegieRole   role;
  } users[] = {
    { "fatima", REGIE_ROLE_KLANTMANAGER },
    { "ingrid", REGIE_ROLE_COORDINATOR },
    { "ruud", REGIE_ROLE_INKOMENSCONSULENT },
    { "beheer", REGIE_ROLE_BEHEERDER },
  };

  for (guint u = 0; u < G_N_ELEMENTS (users); u++)
    {
      g_autofree char *token = test_login (url (), users[u].user);
      g_autoptr(TestPull) pull = test_pull_all (url (), token, 0, REGIE_PULL_MAX_LIMIT);
      g_autoptr(GHashTable) with_ontzorgen = g_hash_table_new (g_str_hash, g_str_equal);
      guint per_kind[REGIE_N_RECORD_KINDS] = { 0 };

      for (guint i = 0; i < pull->changes->len; i++)
        {
          TestChange *change = g_ptr_array_index (pull->changes, i);

          per_kind[change->kind]++;
          if (change->kind == REGIE_RECORD_ONTZORGEN)
            g_hash_table_add (with_ontzorgen, change->dossier_id);
        }

      for (guint k = 0; k < REGIE_N_RECORD_KINDS; k++)
        {
          RegieFieldClass field_class = regie_kind_spec_get (k)->field_class;

          g_test_message ("%s × %s (%s): %u", users[u].user, regie_record_kind_to_string (k),
                          regie_field_class_to_string (field_class), per_kind[k]);
          if (!regie_permissions_may_read (users[u].role, k))
            g_assert_cmpuint (per_kind[k], ==, 0);
        }

      switch (users[u].role)
        {
        case REGIE_ROLE_INKOMENSCONSULENT:
          /* Identity, finance, the dossier and its assignment of the
           * ontzorgen dossiers; never intake, health, pip, progress or
           * notes. */
          g_assert_cmpuint (per_kind[REGIE_RECORD_PERSON], >, 0);
          g_assert_cmpuint (per_kind[REGIE_RECORD_ONTZORGEN], >, 0);
          g_assert_cmpuint (per_kind[REGIE_RECORD_NOTE], ==, 0);
          for (guint i = 0; i < pull->changes->len; i++)
            {
              TestChange *change = g_ptr_array_index (pull->changes, i);
              RegieFieldClass field_class = regie_kind_spec_get (change->kind)->field_class;

              g_assert_true (g_hash_table_contains (with_ontzorgen, change->dossier_id));
              g_assert_true (field_class != REGIE_FIELD_CLASS_INTAKE &&
                             field_class != REGIE_FIELD_CLASS_HEALTH &&
                             field_class != REGIE_FIELD_CLASS_PIP &&
                             field_class != REGIE_FIELD_CLASS_PROGRESS &&
                             field_class != REGIE_FIELD_CLASS_NOTES);
            }
          break;
        case REGIE_ROLE_BEHEERDER:
          g_assert_cmpuint (pull->changes->len, ==, 0);
          break;
        case REGIE_ROLE_COORDINATOR:
        case REGIE_ROLE_KLANTMANAGER:
        default:
          g_assert_cmpuint (per_kind[REGIE_RECORD_NOTE], >, 0);
          g_assert_cmpuint (per_kind[REGIE_RECORD_PERSON], >, 0);
          break;
        }
    }
}

/* A dossier gets an ontzorgen arrangement: it enters the inkomens-
 * consulent's scope, and his next pull brings what he may read of it. */
static void
test_ontzorgen_enters_scope (void)
{
  g_autofree char *fatima = test_login (url (), "fatima");
  g_autofree char *ruud = test_login (url (), "ruud");
  g_autoptr(TestPull) fatima_all = test_pull_all (url (), fatima, 0, REGIE_PULL_MAX_LIMIT);
  g_autoptr(TestPull) ruud_all = test_pull_all (url (), ruud, 0, REGIE_PULL_MAX_LIMIT);
  g_autoptr(TestPull) ruud_next = NULL;
  g_autoptr(RegiePushResult) r1 = NULL;
  g_autofree char *ontzorgen_id = test_uuid ();
  const char *dossier = NULL;
  GHashTableIter iter;
  gpointer key;

  /* One of fatima's dossiers without an arrangement. */
  g_hash_table_iter_init (&iter, fatima_all->dossiers);
  while (dossier == NULL && g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autofree char *has = first_of_kind (fatima_all, key, REGIE_RECORD_ONTZORGEN);
      g_autofree char *person = first_of_kind (fatima_all, key, REGIE_RECORD_PERSON);

      if (has == NULL && person != NULL && !g_hash_table_contains (ruud_all->dossiers, key))
        dossier = key;
    }
  g_assert_nonnull (dossier);

  r1 = push_one (fatima, ontzorgen_id, dossier, "ontzorgen", 0,
                 "{\"started_on\":\"2025-03-01\"}");
  g_assert_cmpint (r1->status, ==, REGIE_PUSH_APPLIED);

  ruud_next = test_pull_all (url (), ruud, ruud_all->cursor, 0);
  g_assert_true (g_hash_table_contains (ruud_next->by_id, ontzorgen_id));
  {
    g_autofree char *person = first_of_kind (fatima_all, dossier, REGIE_RECORD_PERSON);

    g_assert_true (g_hash_table_contains (ruud_next->by_id, person));
  }
  for (guint i = 0; i < ruud_next->changes->len; i++)
    g_assert_true (regie_permissions_may_read (REGIE_ROLE_INKOMENSCONSULENT,
                                               ((TestChange *) g_ptr_array_index (ruud_next->changes, i))->kind));
}

/* Only who may read the kind in scope reads a record's history. */
static void
test_history_permissions (void)
{
  g_autofree char *fatima = test_login (url (), "fatima");
  g_autofree char *ruud = test_login (url (), "ruud");
  g_autofree char *joost = test_login (url (), "joost");
  g_autofree char *beheer = test_login (url (), "beheer");
  g_autofree char *ingrid = test_login (url (), "ingrid");
  g_autoptr(JsonNode) a = NULL, b = NULL, c = NULL, d = NULL, e = NULL, f = NULL;
  g_autofree char *unknown = test_uuid ();
  unsigned status = 0;

  a = history_of (fatima, PERSONA_TESFAY_NOTE, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (a);
  b = history_of (ruud, PERSONA_TESFAY_NOTE, &status);      /* notes: never */
  g_assert_cmpuint (status, ==, 403);
  c = history_of (joost, PERSONA_LINA_PERSON, &status);     /* not his dossier */
  g_assert_cmpuint (status, ==, 403);
  d = history_of (beheer, PERSONA_LINA_PERSON, &status);
  g_assert_cmpuint (status, ==, 403);
  e = history_of (fatima, unknown, &status);                /* same answer */
  g_assert_cmpuint (status, ==, 403);
  f = history_of (ingrid, PERSONA_LINA_PERSON, &status);    /* team, identity */
  g_assert_cmpuint (status, ==, 200);
}

int
main (int   argc,
      char *argv[])
{
  const char * const demo[] = { "--demo", NULL };
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  server = regie_test_server_start (NULL, demo, &error);
  g_assert_no_error (error);

  g_test_add_func ("/server/conflicts/person-merge", test_person_merge);
  g_test_add_func ("/server/conflicts/signal-merge", test_signal_merge);
  g_test_add_func ("/server/conflicts/assignment-conflict", test_assignment_conflict);
  g_test_add_func ("/server/conflicts/notes-never-conflict", test_notes_never_conflict);
  g_test_add_func ("/server/conflicts/pull-matrix", test_pull_matrix);
  g_test_add_func ("/server/conflicts/ontzorgen-enters-scope", test_ontzorgen_enters_scope);
  g_test_add_func ("/server/conflicts/history-permissions", test_history_permissions);
  g_test_add_func ("/server/conflicts/reassignment-scope", test_reassignment_scope);

  ret = g_test_run ();
  regie_test_server_free (server);
  return ret;
}
