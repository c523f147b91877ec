/* SPDX-License-Identifier: EUPL-1.2 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "regie-error.h"
#include "regie-store.h"
#include "regie-records.h"
#include "regie-sync-engine.h"
#include "regie-test-server.h"

#include "client-test-util.h"

/* Sync you can trust, client side: the conflict queue (mine / theirs /
 * edit), a dossier leaving the caseload with unsent edits, and a full
 * resync after 410 keeping the outbox. Real server (--demo), real stores. */

/* Whether the store holds the dossier's person (demo names repeat, ids
 * do not). */
static gboolean
has_person (RegieStore *store,
            const char *dossier_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RegiePerson) person = regie_store_get_person (store, dossier_id, &error);

  return person != NULL;
}

static char *
assignment_of (RegieStore *store,
               const char *dossier_id,
               gint64     *out_version,
               char      **out_regievoerder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieCase) dossier = regie_store_load_case (store, dossier_id, &error);
  RegieRecord *record;

  g_assert_no_error (error);
  record = regie_case_get_first (dossier, REGIE_RECORD_ASSIGNMENT);
  g_assert_nonnull (record);
  if (out_version != NULL)
    *out_version = regie_record_get_version (record);
  if (out_regievoerder != NULL)
    *out_regievoerder = g_strdup (regie_record_get_string (record, "regievoerder"));
  return g_strdup (regie_record_get_id (record));
}

static void
set_regievoerder (Device     *device,
                  const char *dossier_id,
                  const char *klantmanager,
                  const char *regievoerder)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = assignment_of (device->store, dossier_id, NULL, NULL);
  g_autofree char *payload = g_strdup_printf ("{\"team\":\"team-noord\",\"klantmanager\":\"%s\","
                                              "\"regievoerder\":\"%s\"}", klantmanager, regievoerder);
  g_autofree char *back = regie_store_put_record (device->store, dossier_id, REGIE_RECORD_ASSIGNMENT,
                                                  id, payload, &error);

  g_assert_no_error (error);
  g_assert_nonnull (back);
}

/* Two coordinator devices change the same assignment offline; the later
 * one gets a conflict with the server's record, resolved each way, and
 * both devices end equal. */
static void
test_assignment_conflicts (void)
{
  g_autoptr(RegieTestServer) server = start_server (NULL);
  const char *url = regie_test_server_get_url (server);
  g_autoptr(Device) desk = device_new (url, "ingrid-desk", "ingrid");
  g_autoptr(Device) laptop = device_new (url, "ingrid-laptop", "ingrid");
  const char * const names[] = { "Rahaf Al-Khatib", "Lina Haddad", "Ayşe Demir" };
  const RegieConflictChoice choices[] = { REGIE_CONFLICT_MINE, REGIE_CONFLICT_THEIRS, REGIE_CONFLICT_EDIT };
  const char * const expected[] = { "joost", "noor", "sanne-edit" };
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GError) error = NULL;
  char *dossiers[3];

  device_sync (desk);
  device_sync (laptop);
  for (guint i = 0; i < 3; i++)
    {
      dossiers[i] = find_dossier (desk->store, names[i]);
      g_assert_nonnull (dossiers[i]);
      set_regievoerder (desk, dossiers[i], "fatima", "noor");
      set_regievoerder (laptop, dossiers[i], "fatima", "joost");
    }

  device_sync (desk);
  device_sync (laptop);   /* a conflict is visible, not an error */
  conflicts = regie_store_list_conflicts (laptop->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 3);
  for (guint i = 0; i < conflicts->len; i++)
    {
      RegieConflict *conflict = g_ptr_array_index (conflicts, i);

      g_assert_cmpint (conflict->kind, ==, REGIE_RECORD_ASSIGNMENT);
      g_assert_nonnull (strstr (conflict->mine, "joost"));
      g_assert_nonnull (strstr (conflict->theirs, "noor"));
      g_assert_cmpint (conflict->current_version, ==, conflict->base_version + 1);
    }
  g_assert_cmpuint (regie_store_count_stuck (laptop->store), ==, 3);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *id = assignment_of (laptop->store, dossiers[i], NULL, NULL);

      g_assert_true (regie_store_resolve_conflict (laptop->store, id, choices[i],
                                                   choices[i] == REGIE_CONFLICT_EDIT
                                                     ? "{\"team\":\"team-noord\",\"klantmanager\":\"fatima\","
                                                       "\"regievoerder\":\"sanne-edit\"}"
                                                     : NULL,
                                                   &error));
      g_assert_no_error (error);
    }
  g_assert_false (regie_store_resolve_conflict (laptop->store, dossiers[0], REGIE_CONFLICT_MINE, NULL, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  device_sync (laptop);
  device_sync (desk);
  g_assert_cmpuint (regie_store_count_pending (laptop->store), ==, 0);
  g_assert_cmpuint (regie_store_count_pending (desk->store), ==, 0);

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *r_desk = NULL, *r_laptop = NULL;
      g_autofree char *id_desk = NULL, *id_laptop = NULL;
      gint64 v_desk = 0, v_laptop = 0;

      id_desk = assignment_of (desk->store, dossiers[i], &v_desk, &r_desk);
      id_laptop = assignment_of (laptop->store, dossiers[i], &v_laptop, &r_laptop);
      g_assert_cmpstr (r_desk, ==, expected[i]);
      g_assert_cmpstr (r_laptop, ==, expected[i]);
      g_assert_cmpint (v_desk, ==, v_laptop);
      g_free (dossiers[i]);
    }
}

/* Ingrid reassigns a dossier from fatima to joost while fatima has an
 * unsent note on it: joost gets the whole dossier, fatima's copy goes
 * except the note, which is kept and reported. */
static void
test_reassignment_keeps_unsent (void)
{
  g_autoptr(RegieTestServer) server = start_server (NULL);
  const char *url = regie_test_server_get_url (server);
  g_autoptr(Device) fatima = device_new (url, "fatima-laptop", "fatima");
  g_autoptr(Device) joost = device_new (url, "joost-laptop", "joost");
  g_autoptr(Device) ingrid = device_new (url, "ingrid-desk", "ingrid");
  g_autoptr(GPtrArray) orphaned = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieCase) joost_case = NULL;
  g_autoptr(RegieCase) fatima_case = NULL;
  g_autofree char *dossier_id = NULL;
  g_autofree char *note_id = NULL;
  const char *text = "Afspraak met tolk verzet; nog niet verstuurd.";

  device_sync (fatima);
  device_sync (joost);
  device_sync (ingrid);
  dossier_id = find_dossier (fatima->store, "Tesfay Gebremedhin");
  g_assert_nonnull (dossier_id);
  g_assert_false (has_person (joost->store, dossier_id));

  note_id = regie_store_add_note (fatima->store, dossier_id, "fatima", text, &error);
  g_assert_no_error (error);

  set_regievoerder (ingrid, dossier_id, "joost", "joost");
  device_sync (ingrid);

  device_sync (joost);
  g_assert_true (has_person (joost->store, dossier_id));
  joost_case = regie_store_load_case (joost->store, dossier_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (regie_case_get_n_records (joost_case), >, 5);

  device_sync (fatima);
  g_assert_false (has_person (fatima->store, dossier_id));
  /* Kept: the note, and reported, not sent. */
  g_assert_cmpuint (count_notes_with_text (fatima->store, dossier_id, text), ==, 1);
  fatima_case = regie_store_load_case (fatima->store, dossier_id, &error);
  g_assert_cmpuint (regie_case_get_n_records (fatima_case), ==, 1);
  orphaned = regie_store_list_orphaned (fatima->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (orphaned->len, ==, 1);
  g_assert_cmpstr (((RegieConflict *) g_ptr_array_index (orphaned, 0))->record_id, ==, note_id);
  g_assert_nonnull (strstr (((RegieConflict *) g_ptr_array_index (orphaned, 0))->mine, "tolk"));
  /* The person left with the dossier; the edit keeps whose it was. */
  g_assert_nonnull (((RegieConflict *) g_ptr_array_index (orphaned, 0))->person);
  g_assert_nonnull (strstr (((RegieConflict *) g_ptr_array_index (orphaned, 0))->person, "Tesfay"));
  g_assert_cmpuint (regie_store_count_stuck (fatima->store), ==, 1);

  /* A later sync neither loses nor resends it. */
  device_sync (fatima);
  g_assert_cmpuint (regie_store_count_stuck (fatima->store), ==, 1);
  g_assert_cmpuint (count_notes_with_text (joost->store, dossier_id, text), ==, 0);

  /* Once the user has seen it, it can be dropped: then it is gone here
   * too, and still never sent. */
  g_assert_false (regie_store_dismiss_stuck (fatima->store, dossier_id, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (regie_store_dismiss_stuck (fatima->store, note_id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (regie_store_count_stuck (fatima->store), ==, 0);
  g_assert_cmpuint (regie_store_count_pending (fatima->store), ==, 0);
  g_clear_object (&fatima_case);
  fatima_case = regie_store_load_case (fatima->store, dossier_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (regie_case_get_n_records (fatima_case), ==, 0);
  device_sync (fatima);
  device_sync (joost);
  g_assert_cmpuint (count_notes_with_text (joost->store, dossier_id, text), ==, 0);
}

/* 410 Gone (a cursor the server does not know): the engine resets the
 * cursor and pulls everything again; the outbox is kept and sent. */
static void
test_gone_keeps_outbox (void)
{
  g_autoptr(RegieTestServer) server = start_server (NULL);
  const char *url = regie_test_server_get_url (server);
  g_autoptr(Device) fatima = device_new (url, "fatima-410", "fatima");
  g_autoptr(Device) other = device_new (url, "fatima-410-other", "fatima");
  g_autoptr(GError) error = NULL;
  g_autofree char *dossier_id = NULL;
  g_autofree char *note_id = NULL;
  const char *text = "Geschreven voor de 410.";
  gint64 cursor;

  device_sync (fatima);
  cursor = regie_store_get_cursor (fatima->store);
  dossier_id = find_dossier (fatima->store, "Lina Haddad");
  note_id = regie_store_add_note (fatima->store, dossier_id, "fatima", text, &error);
  g_assert_no_error (error);

  g_assert_true (regie_store_set_meta (fatima->store, "cursor", "999999999", &error));
  g_assert_no_error (error);
  device_sync (fatima);
  g_assert_cmpint (regie_store_get_cursor (fatima->store), >=, cursor);
  g_assert_cmpint (regie_store_get_cursor (fatima->store), <, 999999999);
  g_assert_cmpuint (regie_store_count_pending (fatima->store), ==, 0);
  g_assert_cmpuint (count_notes_with_text (fatima->store, dossier_id, text), ==, 1);

  device_sync (other);
  g_assert_cmpuint (count_notes_with_text (other->store, dossier_id, text), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  if (!client_test_init (&argc, &argv))
    return g_test_run ();

  g_test_add_func ("/conflicts/assignment", test_assignment_conflicts);
  g_test_add_func ("/conflicts/reassignment-keeps-unsent", test_reassignment_keeps_unsent);
  g_test_add_func ("/conflicts/gone-keeps-outbox", test_gone_keeps_outbox);

  return g_test_run ();
}
