/* SPDX-License-Identifier: EUPL-1.2 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "regie-error.h"
#include "regie-store.h"
#include "regie-util.h"
#include "regie-test-scan.h"

#define DOSSIER_A "0190a1b2-0000-7000-8000-00000000000a"
#define DOSSIER_B "0190a1b2-0000-7000-8000-00000000000b"
#define PERSON_A  "0190a1b2-0000-7000-8000-0000000000a1"
#define PERSON_B  "0190a1b2-0000-7000-8000-0000000000b1"
#define SERVER_NOTE "0190a1b2-0000-7000-8000-0000000000a2"

static const char person_a[] =
  "{\"bsn\":\"111222333\",\"v_number\":\"1234567890\",\"given_names\":\"Ayşe\","
  "\"family_name\":\"Demir\",\"birth_date\":\"1990-04-01\",\"doelgroep\":\"gezinsmigrant\"}";
static const char person_b[] =
  "{\"bsn\":\"123456782\",\"v_number\":\"0987654321\",\"given_names\":\"Tesfay\","
  "\"family_name\":\"Gebremedhin\",\"birth_date\":\"1961-02-03\",\"doelgroep\":\"asielstatushouder\"}";
static const char dossier_payload[] =
  "{\"status\":\"open\",\"opened_on\":\"2025-01-10\",\"notified_on\":\"2025-01-02\"}";

#define PASSWORD "demo-fatima"

/* Opens (creating) and unlocks a store, as the client does after an
 * online sign-in. */
static RegieStore *
open_unlocked (const char *path)
{
  g_autoptr(GError) error = NULL;
  RegieStore *store;

  store = regie_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_true (regie_store_unlock (store, PASSWORD, REGIE_UNLOCK_CREATE, &error));
  g_assert_no_error (error);
  g_assert_false (regie_store_is_locked (store));

  return store;
}

static RegieStore *
open_test_store (void)
{
  g_autofree char *path = regie_store_path_for ("http://127.0.0.1:8080/", "fatima");

  return open_unlocked (path);
}

/* Two dossiers with their persons, as a first pull would bring them. */
static void
seed (RegieStore *store)
{
  g_autoptr(GString) page = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gint64 cursor = 0;
  gboolean more = TRUE;
  guint n = 0;

  regie_pull_page_append_change (page, 1, REGIE_RECORD_DOSSIER, DOSSIER_A, DOSSIER_A, 1, FALSE, dossier_payload);
  regie_pull_page_append_change (page, 2, REGIE_RECORD_PERSON, PERSON_A, DOSSIER_A, 1, FALSE, person_a);
  regie_pull_page_append_change (page, 3, REGIE_RECORD_DOSSIER, DOSSIER_B, DOSSIER_B, 1, FALSE, dossier_payload);
  regie_pull_page_append_change (page, 4, REGIE_RECORD_PERSON, PERSON_B, DOSSIER_B, 1, FALSE, person_b);
  regie_pull_page_append_end (page, 4, FALSE);

  g_assert_true (regie_store_apply_pull_page (store, page->str, page->len, &cursor, &more, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cursor, ==, 4);
  g_assert_false (more);
  g_assert_cmpuint (n, ==, 4);
}

static void
changed_cb (RegieStore *store,
            const char *dossier_id,
            guint      *count)
{
  (*count)++;
}

static void
test_store_add_note_offline (void)
{
  g_autoptr(RegieStore) store = open_test_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autofree char *record_id = NULL;
  RegieStoreNote *note;
  RegieMutation *mutation;
  guint changed = 0;

  seed (store);
  g_signal_connect (store, "changed", G_CALLBACK (changed_cb), &changed);
  g_assert_cmpuint (regie_store_count_pending (store), ==, 0);

  record_id = regie_store_add_note (store, DOSSIER_A, "fatima", "Belde over kinderopvang.", &error);
  g_assert_no_error (error);
  g_assert_true (regie_uuid_is_valid (record_id));
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (regie_store_count_pending (store), ==, 1);

  /* The record is readable at once, marked as not yet sent. */
  notes = regie_store_list_notes (store, DOSSIER_A, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 1);
  note = g_ptr_array_index (notes, 0);
  g_assert_cmpstr (note->record_id, ==, record_id);
  g_assert_true (note->pending);
  g_assert_cmpstr (regie_note_get_text (note->note), ==, "Belde over kinderopvang.");
  g_assert_cmpstr (regie_note_get_author (note->note), ==, "fatima");
  g_assert_true (regie_timestamp_is_valid (regie_note_get_created_at (note->note)));

  /* …and its outbox row carries the same record as a new one. */
  outbox = regie_store_read_outbox (store, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 1);
  mutation = g_ptr_array_index (outbox, 0);
  g_assert_true (regie_uuid_is_valid (mutation->id));
  g_assert_cmpstr (mutation->record_id, ==, record_id);
  g_assert_cmpstr (mutation->dossier_id, ==, DOSSIER_A);
  g_assert_cmpint (mutation->kind, ==, REGIE_RECORD_NOTE);
  g_assert_cmpint (mutation->base_version, ==, 0);
  g_assert_nonnull (strstr (mutation->payload, "kinderopvang"));

  /* Other dossiers are untouched. */
  g_clear_pointer (&notes, g_ptr_array_unref);
  notes = regie_store_list_notes (store, DOSSIER_B, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 0);

  /* A dossier this store does not hold cannot get a note. */
  g_assert_null (regie_store_add_note (store, "0190a1b2-0000-7000-8000-0000000000ff", "fatima", "x", &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_NOT_FOUND);
  g_assert_cmpuint (regie_store_count_pending (store), ==, 1);
}

static void
test_store_bad_note_text (void)
{
  g_autoptr(RegieStore) store = open_test_store ();
  g_autoptr(GPtrArray) notes = NULL;
  g_autofree char *too_long = NULL;
  g_autofree char *just_fits = NULL;
  g_autofree char *id = NULL;
  const struct {
    const char *text;
    int         code;
  } bad[] = {
    { "", REGIE_ERROR_INVALID },
    { "  \n\t ", REGIE_ERROR_INVALID },
    { "caf\xc3", REGIE_ERROR_INVALID },          /* cut-off UTF-8 */
    { "\xff\xfe note", REGIE_ERROR_INVALID },
    { "bell \a here", REGIE_ERROR_INVALID },     /* control character */
  };
  guint changed = 0;

  seed (store);
  g_signal_connect (store, "changed", G_CALLBACK (changed_cb), &changed);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *bad_id = NULL;

      bad_id = regie_store_add_note (store, DOSSIER_A, "fatima", bad[i].text, &error);
      g_assert_null (bad_id);
      g_assert_error (error, REGIE_ERROR, bad[i].code);
    }

  too_long = g_strnfill (REGIE_MAX_NOTE_BYTES + 1, 'a');
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *bad_id = regie_store_add_note (store, DOSSIER_A, "fatima", too_long, &error);
    g_assert_null (bad_id);
    g_assert_error (error, REGIE_ERROR, REGIE_ERROR_TOO_LARGE);
  }

  /* Nothing was written, and nobody was told about a change. */
  g_assert_cmpuint (changed, ==, 0);
  g_assert_cmpuint (regie_store_count_pending (store), ==, 0);
  notes = regie_store_list_notes (store, DOSSIER_A, NULL);
  g_assert_cmpuint (notes->len, ==, 0);

  /* The limit itself is allowed, and so is multi-line text. */
  just_fits = g_strnfill (REGIE_MAX_NOTE_BYTES, 'b');
  id = regie_store_add_note (store, DOSSIER_A, "fatima", just_fits, NULL);
  g_assert_nonnull (id);
  g_clear_pointer (&id, g_free);
  id = regie_store_add_note (store, DOSSIER_A, "fatima", "Regel 1\nRegel 2\tmet tab", NULL);
  g_assert_nonnull (id);
  g_assert_cmpuint (regie_store_count_pending (store), ==, 2);
}

static void
test_store_truncated_page (void)
{
  g_autoptr(RegieStore) store = open_test_store ();
  g_autoptr(GString) page = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) caseload = NULL;
  gint64 cursor = -1;
  guint changed = 0;

  g_signal_connect (store, "changed", G_CALLBACK (changed_cb), &changed);

  regie_pull_page_append_change (page, 1, REGIE_RECORD_DOSSIER, DOSSIER_A, DOSSIER_A, 1, FALSE, dossier_payload);
  regie_pull_page_append_change (page, 2, REGIE_RECORD_PERSON, PERSON_A, DOSSIER_A, 1, FALSE, person_a);
  regie_pull_page_append_end (page, 2, FALSE);

  /* Cut off anywhere before the end line is complete: nothing applies. */
  for (gsize cut = 0; cut < page->len; cut += 7)
    {
      g_autoptr(GError) cut_error = NULL;

      g_assert_false (regie_store_apply_pull_page (store, page->str, cut, &cursor, NULL, NULL, &cut_error));
      g_assert_error (cut_error, REGIE_ERROR, REGIE_ERROR_PARSE);
    }

  /* A line cut in the middle of a payload is an error too. */
  g_assert_false (regie_store_apply_pull_page (store, page->str, page->len - 1, NULL, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_cmpint (regie_store_get_cursor (store), ==, 0);
  g_assert_cmpuint (changed, ==, 0);
  caseload = regie_store_load_caseload (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (caseload), ==, 0);

  /* The whole page applies. */
  g_assert_true (regie_store_apply_pull_page (store, page->str, page->len, &cursor, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cursor, ==, 2);
  g_assert_cmpint (regie_store_get_cursor (store), ==, 2);
  g_assert_cmpuint (changed, ==, 1);
}

static void
test_store_pull_keeps_pending (void)
{
  g_autoptr(RegieStore) store = open_test_store ();
  g_autoptr(GString) page = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(RegiePerson) person = NULL;
  g_autofree char *mine = NULL;
  const char *server_note = "{\"author\":\"joost\",\"created_at\":\"2025-03-01T10:00:00.000Z\",\"text\":\"van de server\"}";
  const char *person_a2 =
    "{\"bsn\":\"111222333\",\"v_number\":\"1234567890\",\"given_names\":\"Ayşe\","
    "\"family_name\":\"Demir-Yılmaz\",\"birth_date\":\"1990-04-01\",\"doelgroep\":\"gezinsmigrant\"}";
  guint n = 0;

  seed (store);
  mine = regie_store_add_note (store, DOSSIER_A, "fatima", "mijn notitie", &error);
  g_assert_no_error (error);

  /* A page that changes our pending note, deletes it, changes the person
   * and brings a note from someone else. */
  regie_pull_page_append_change (page, 5, REGIE_RECORD_NOTE, mine, DOSSIER_A, 3, FALSE,
                                 "{\"author\":\"x\",\"created_at\":\"2025-03-01T10:00:00.000Z\",\"text\":\"overschreven\"}");
  regie_pull_page_append_change (page, 6, REGIE_RECORD_NOTE, mine, DOSSIER_A, 4, TRUE, NULL);
  regie_pull_page_append_change (page, 7, REGIE_RECORD_PERSON, PERSON_A, DOSSIER_A, 2, FALSE, person_a2);
  regie_pull_page_append_change (page, 8, REGIE_RECORD_NOTE, SERVER_NOTE, DOSSIER_A, 1, FALSE, server_note);
  regie_pull_page_append_end (page, 8, FALSE);

  g_assert_true (regie_store_apply_pull_page (store, page->str, page->len, NULL, NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);

  notes = regie_store_list_notes (store, DOSSIER_A, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 2);
  for (guint i = 0; i < notes->len; i++)
    {
      RegieStoreNote *note = g_ptr_array_index (notes, i);

      if (g_str_equal (note->record_id, mine))
        {
          g_assert_true (note->pending);
          g_assert_cmpstr (regie_note_get_text (note->note), ==, "mijn notitie");
        }
      else
        {
          g_assert_cmpstr (note->record_id, ==, SERVER_NOTE);
          g_assert_false (note->pending);
          g_assert_cmpstr (regie_note_get_text (note->note), ==, "van de server");
        }
    }
  g_assert_cmpuint (regie_store_count_pending (store), ==, 1);

  person = regie_store_get_person (store, DOSSIER_A, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (regie_person_get_family_name (person), ==, "Demir-Yılmaz");

  /* Records without local changes do get deleted. */
  g_string_truncate (page, 0);
  regie_pull_page_append_change (page, 9, REGIE_RECORD_NOTE, SERVER_NOTE, DOSSIER_A, 2, TRUE, NULL);
  regie_pull_page_append_end (page, 9, FALSE);
  g_assert_true (regie_store_apply_pull_page (store, page->str, page->len, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&notes, g_ptr_array_unref);
  notes = regie_store_list_notes (store, DOSSIER_A, &error);
  g_assert_cmpuint (notes->len, ==, 1);
}

static void
test_store_ack (void)
{
  g_autoptr(RegieStore) store = open_test_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  RegieMutation *m1, *m2;

  seed (store);
  first = regie_store_add_note (store, DOSSIER_A, "fatima", "een", &error);
  second = regie_store_add_note (store, DOSSIER_A, "fatima", "twee", &error);
  g_assert_no_error (error);

  outbox = regie_store_read_outbox (store, 1000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 2);
  m1 = g_ptr_array_index (outbox, 0);
  m2 = g_ptr_array_index (outbox, 1);
  g_assert_cmpstr (m1->record_id, ==, first);   /* outbox order */
  g_assert_cmpstr (m2->record_id, ==, second);

  results = g_ptr_array_new_with_free_func ((GDestroyNotify) regie_push_result_free);
  g_ptr_array_add (results, regie_push_result_new (m1->id, REGIE_PUSH_APPLIED, 1, NULL));
  g_ptr_array_add (results, regie_push_result_new (m2->id, REGIE_PUSH_REJECTED, 0, "not allowed"));
  g_assert_true (regie_store_ack_outbox (store, results, &error));
  g_assert_no_error (error);

  /* The rejected one stays (counted, visible) but is not sent again. */
  g_assert_cmpuint (regie_store_count_pending (store), ==, 1);
  g_assert_cmpuint (regie_store_count_stuck (store), ==, 1);
  g_clear_pointer (&outbox, g_ptr_array_unref);
  outbox = regie_store_read_outbox (store, 1000, &error);
  g_assert_cmpuint (outbox->len, ==, 0);

  notes = regie_store_list_notes (store, DOSSIER_A, &error);
  g_assert_cmpuint (notes->len, ==, 2);
  for (guint i = 0; i < notes->len; i++)
    {
      RegieStoreNote *note = g_ptr_array_index (notes, i);
      g_assert_true (note->pending == g_str_equal (note->record_id, second));
    }

  /* Acknowledging the same answer again changes nothing. */
  g_assert_true (regie_store_ack_outbox (store, results, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (regie_store_count_pending (store), ==, 1);
}

static void
test_store_reopen (void)
{
  g_autoptr(RegieStore) store = open_test_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autofree char *path = g_strdup (regie_store_get_path (store));
  g_autofree char *id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *name = NULL;
  GStatBuf st;

  seed (store);
  id = regie_store_add_note (store, DOSSIER_B, "fatima", "Voor na de herstart", &error);
  g_assert_no_error (error);
  g_assert_true (regie_store_save_account (store, "Fatima El Amrani", "klantmanager", "team-noord",
                                           "abc123", &error));
  g_assert_no_error (error);

  g_assert_finalize_object (g_steal_pointer (&store));

  /* Only the caseworker can read the file. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_str_has_prefix (path, g_get_user_data_dir ()));

  store = regie_store_open (path, &error);
  g_assert_no_error (error);
  /* Locked until the password: counts and the cursor, nothing else. */
  g_assert_true (regie_store_is_locked (store));
  g_assert_true (regie_store_has_data_key (store));
  g_assert_cmpint (regie_store_get_cursor (store), ==, 4);
  g_assert_cmpuint (regie_store_count_pending (store), ==, 1);
  g_assert_null (regie_store_list_notes (store, DOSSIER_B, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_null (regie_store_dup_meta (store, "token"));
  g_assert_null (regie_store_dup_meta (store, "display_name"));

  /* A wrong password does not unlock it. */
  g_assert_false (regie_store_unlock (store, "demo-fatimA", REGIE_UNLOCK_DEFAULT, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_false (regie_store_unlock (store, "", REGIE_UNLOCK_CREATE, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_true (regie_store_is_locked (store));

  g_assert_true (regie_store_unlock (store, PASSWORD, REGIE_UNLOCK_DEFAULT, &error));
  g_assert_no_error (error);
  notes = regie_store_list_notes (store, DOSSIER_B, &error);
  g_assert_cmpuint (notes->len, ==, 1);
  g_assert_cmpstr (((RegieStoreNote *) g_ptr_array_index (notes, 0))->record_id, ==, id);

  token = regie_store_dup_meta (store, "token");
  name = regie_store_dup_meta (store, "display_name");
  g_assert_cmpstr (token, ==, "abc123");
  g_assert_cmpstr (name, ==, "Fatima El Amrani");

  /* Locking forgets the key again. */
  regie_store_lock (store);
  g_assert_true (regie_store_is_locked (store));
  g_assert_null (regie_store_add_note (store, DOSSIER_B, "fatima", "Na het vergrendelen", &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_cmpuint (regie_store_count_pending (store), ==, 1);
}

static void
test_store_caseload (void)
{
  g_autoptr(RegieStore) store = open_test_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) caseload = NULL;
  g_autoptr(RegieCaseloadItem) first = NULL;
  g_autoptr(RegieCaseloadItem) second = NULL;
  g_autofree char *query = NULL;
  g_autofree char *search_key = NULL;

  seed (store);
  caseload = regie_store_load_caseload (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (caseload), ==, 2);
  g_assert_true (g_list_model_get_item_type (caseload) == REGIE_TYPE_CASELOAD_ITEM);

  /* Sorted by family name: Demir before Gebremedhin. */
  first = g_list_model_get_item (caseload, 0);
  second = g_list_model_get_item (caseload, 1);
  g_assert_cmpstr (regie_caseload_item_get_full_name (first), ==, "Ayşe Demir");
  g_assert_cmpstr (regie_caseload_item_get_sort_name (first), ==, "Demir, Ayşe");
  g_assert_cmpstr (regie_caseload_item_get_dossier_id (first), ==, DOSSIER_A);
  g_assert_cmpstr (regie_caseload_item_get_bsn (first), ==, "111222333");
  g_assert_cmpstr (regie_caseload_item_get_v_number (first), ==, "1234567890");
  g_assert_cmpstr (regie_caseload_item_get_birth_date (first), ==, "1990-04-01");
  g_assert_cmpstr (regie_caseload_item_get_doelgroep (first), ==, "gezinsmigrant");
  g_assert_cmpstr (regie_caseload_item_get_full_name (second), ==, "Tesfay Gebremedhin");

  g_object_get (first, "search-key", &search_key, NULL);
  g_assert_cmpstr (search_key, ==, "ayse demir 111222333 1234567890");

  /* Searching without the accent, in any order, or by number. */
  query = regie_search_fold ("AYSE");
  g_assert_true (regie_caseload_item_matches (first, query));
  g_assert_false (regie_caseload_item_matches (second, query));
  g_clear_pointer (&query, g_free);
  query = regie_search_fold ("demir ayşe");
  g_assert_true (regie_caseload_item_matches (first, query));
  g_clear_pointer (&query, g_free);
  query = regie_search_fold ("0987");
  g_assert_true (regie_caseload_item_matches (second, query));
  g_assert_false (regie_caseload_item_matches (first, query));
  g_assert_true (regie_caseload_item_matches (first, ""));
}


static char *
person_with_name (const char *family)
{
  return g_strdup_printf ("{\"bsn\":\"111222333\",\"given_names\":\"Ayşe\",\"family_name\":\"%s\","
                          "\"birth_date\":\"1990-04-01\",\"doelgroep\":\"gezinsmigrant\"}", family);
}

/* Edits of a record while an earlier edit still waits are chained: sent one
 * at a time, each on the version the previous one produced, and further
 * unsent edits replace the waiting payload. */
static void
test_store_put_record_chain (void)
{
  g_autoptr(RegieStore) store = open_test_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(RegieCase) dossier = NULL;
  g_autofree char *p1 = person_with_name ("Demir-Yılmaz");
  g_autofree char *p2 = person_with_name ("Yılmaz");
  g_autofree char *p3 = person_with_name ("Yılmaz-Demir");
  g_autofree char *id = NULL;
  RegieMutation *m;

  seed (store);

  id = regie_store_put_record (store, DOSSIER_A, REGIE_RECORD_PERSON, PERSON_A, p1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, PERSON_A);
  g_clear_pointer (&id, g_free);
  id = regie_store_put_record (store, DOSSIER_A, REGIE_RECORD_PERSON, PERSON_A, p2, &error);
  g_assert_no_error (error);
  g_clear_pointer (&id, g_free);
  id = regie_store_put_record (store, DOSSIER_A, REGIE_RECORD_PERSON, PERSON_A, p3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (regie_store_count_pending (store), ==, 2);
  g_assert_true (regie_store_record_is_pending (store, PERSON_A));

  /* Only the first edit goes out, on the pulled version 1. */
  outbox = regie_store_read_outbox (store, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 1);
  m = g_ptr_array_index (outbox, 0);
  g_assert_cmpint (m->base_version, ==, 1);
  g_assert_cmpstr (m->payload, ==, p1);

  results = g_ptr_array_new_with_free_func ((GDestroyNotify) regie_push_result_free);
  g_ptr_array_add (results, regie_push_result_new (m->id, REGIE_PUSH_APPLIED, 2, NULL));
  g_assert_true (regie_store_ack_outbox (store, results, &error));
  g_assert_no_error (error);
  g_clear_pointer (&outbox, g_ptr_array_unref);

  /* Then the latest edit, on version 2. */
  outbox = regie_store_read_outbox (store, 100, &error);
  g_assert_cmpuint (outbox->len, ==, 1);
  m = g_ptr_array_index (outbox, 0);
  g_assert_cmpint (m->base_version, ==, 2);
  g_assert_cmpstr (m->payload, ==, p3);

  dossier = regie_store_load_case (store, DOSSIER_A, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (regie_record_get_string (regie_case_get_first (dossier, REGIE_RECORD_PERSON),
                                            "family_name"), ==, "Yılmaz-Demir");
  g_assert_cmpuint (regie_case_get_n_records (dossier), ==, 2);
}

static void
test_store_put_record_refused (void)
{
  g_autoptr(RegieStore) store = open_test_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *note_id = NULL;
  g_autofree char *id = NULL;

  seed (store);

  /* Invalid payloads and unknown dossiers write nothing. */
  id = regie_store_put_record (store, DOSSIER_A, REGIE_RECORD_PIP, NULL,
                               "{\"version\":1,\"dagtekening\":\"2025-02-30\",\"leerroute\":\"b1\"}", &error);
  g_assert_null (id);
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_INVALID);
  g_clear_error (&error);
  id = regie_store_put_record (store, "0190a1b2-0000-7000-8000-0000000000ff", REGIE_RECORD_PVT, NULL,
                               "{\"hours\":4}", &error);
  g_assert_null (id);
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (regie_store_count_pending (store), ==, 0);

  /* Append-only records cannot be changed. */
  note_id = regie_store_put_record (store, DOSSIER_A, REGIE_RECORD_NOTE, NULL,
                                    "{\"author\":\"fatima\",\"created_at\":\"2026-11-23T10:00:00.000Z\",\"text\":\"Eerste.\"}",
                                    &error);
  g_assert_no_error (error);
  id = regie_store_put_record (store, DOSSIER_A, REGIE_RECORD_NOTE, note_id,
                               "{\"author\":\"fatima\",\"created_at\":\"2026-11-23T10:00:00.000Z\",\"text\":\"Anders.\"}",
                               &error);
  g_assert_null (id);
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_INVALID);
  g_assert_cmpuint (regie_store_count_pending (store), ==, 1);
}

/* ---- first pull: fast path, interruption ---------------------------------- */

#define N_FAST_DOSSIERS 6
#define N_FAST_NOTES    12

static char *
fast_id (guint dossier,
         guint item)
{
  return g_strdup_printf ("0190c0de-0000-7000-8%03x-%012x", item, dossier);
}

/* Three pages of a first pull: six dossiers with a person and notes each,
 * a note changed again in the last page (it comes twice, the later
 * version must win), a deleted note and a dossier that leaves the scope. */
static GPtrArray *
fast_pages (void)
{
  GPtrArray *pages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) page = g_string_new (NULL);
  gint64 seq = 0;

  for (guint d = 0; d < N_FAST_DOSSIERS; d++)
    {
      g_autofree char *dossier = fast_id (d, 0);
      g_autofree char *person = fast_id (d, 1);

      regie_pull_page_append_change (page, ++seq, REGIE_RECORD_DOSSIER, dossier, dossier, 1, FALSE, dossier_payload);
      regie_pull_page_append_change (page, ++seq, REGIE_RECORD_PERSON, person, dossier, 1, FALSE,
                                     d % 2 ? person_a : person_b);
      for (guint n = 0; n < N_FAST_NOTES; n++)
        {
          g_autofree char *note = fast_id (d, 16 + n);
          g_autofree char *payload =
            g_strdup_printf ("{\"author\":\"fatima\",\"created_at\":\"2025-03-0%uT10:00:00Z\",\"text\":\"notitie %u/%u\"}",
                             1 + n % 9, d, n);

          regie_pull_page_append_change (page, ++seq, REGIE_RECORD_NOTE, note, dossier, 1, FALSE, payload);
        }

      /* Two dossiers per page. */
      if (d % 2 == 1)
        {
          if (d == N_FAST_DOSSIERS - 1)
            {
              g_autofree char *changed = fast_id (0, 1);
              g_autofree char *changed_dossier = fast_id (0, 0);
              g_autofree char *gone_note = fast_id (1, 16);
              g_autofree char *gone_note_dossier = fast_id (1, 0);
              g_autofree char *gone_dossier = fast_id (2, 0);

              regie_pull_page_append_change (page, ++seq, REGIE_RECORD_PERSON, changed, changed_dossier, 2, FALSE, person_a);
              regie_pull_page_append_change (page, ++seq, REGIE_RECORD_NOTE, gone_note, gone_note_dossier, 2, TRUE, NULL);
              regie_pull_page_append_change (page, ++seq, REGIE_RECORD_DOSSIER, gone_dossier, gone_dossier, 2, TRUE, NULL);
            }
          regie_pull_page_append_end (page, seq, d != N_FAST_DOSSIERS - 1);
          g_ptr_array_add (pages, g_strndup (page->str, page->len));
          g_string_truncate (page, 0);
        }
    }

  return pages;
}

/* Every record row, in id order, read through a connection of its own. */
/* Every record: the row from the file, the payload opened by the store
 * (the file holds it sealed, with a fresh nonce each time). */
static char *
dump_records (RegieStore *store)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GHashTable) payloads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (regie_store_get_path (store), &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT DISTINCT dossier_id FROM records", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RegieCase) dossier = regie_store_load_case (store, (const char *) sqlite3_column_text (stmt, 0), &error);

      g_assert_no_error (error);
      for (guint kind = 0; kind < REGIE_N_RECORD_KINDS; kind++)
        {
          GPtrArray *records = regie_case_get_records (dossier, kind);

          for (guint i = 0; records != NULL && i < records->len; i++)
            {
              RegieRecord *record = g_ptr_array_index (records, i);

              g_hash_table_insert (payloads, g_strdup (regie_record_get_id (record)),
                                   regie_record_dup_payload_text (record));
            }
        }
    }
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT id, dossier_id, kind, version, typeof (payload) "
                                           "FROM records ORDER BY id", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      /* Sealed, never plain text. */
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 4), ==, "blob");
      g_string_append_printf (out, "%s|%s|%s|%lld|%s\n",
                              sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1),
                              sqlite3_column_text (stmt, 2), (long long) sqlite3_column_int64 (stmt, 3),
                              (const char *) g_hash_table_lookup (payloads, sqlite3_column_text (stmt, 0)));
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return g_string_free (out, FALSE);
}

static gboolean
has_dossier_index (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean found;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_master WHERE type = 'index' "
                                           "AND name = 'records_dossier_kind'", -1, &stmt, NULL), ==, SQLITE_OK);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return found;
}

static void
apply_pages (RegieStore *store,
             GPtrArray  *pages,
             guint       first,
             guint       last)
{
  for (guint i = first; i <= last; i++)
    {
      g_autoptr(GError) error = NULL;
      const char *page = g_ptr_array_index (pages, i);
      gboolean more = FALSE;

      g_assert_true (regie_store_apply_pull_page (store, page, strlen (page), NULL, &more, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (more == (i + 1 < pages->len));
    }
}

static char *
store_file (const char *name)
{
  return g_build_filename (g_get_user_data_dir (), name, NULL);
}

/* The first pull into an empty store takes a fast path (dossier index
 * built at the end, a large cache); it must leave exactly what the
 * normal path leaves. */
static void
test_store_first_pull_fast_path (void)
{
  g_autoptr(GPtrArray) pages = fast_pages ();
  g_autofree char *fast_path = store_file ("fast.sqlite");
  g_autofree char *slow_path = store_file ("slow.sqlite");
  g_autoptr(RegieStore) fast = NULL;
  g_autoptr(RegieStore) slow = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RegiePerson) person = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autofree char *fast_dump = NULL;
  g_autofree char *slow_dump = NULL;
  g_autofree char *dossier0 = fast_id (0, 0);
  g_autofree char *dossier1 = fast_id (1, 0);
  g_autofree char *dossier2 = fast_id (2, 0);

  g_assert_cmpuint (pages->len, ==, 3);

  fast = open_unlocked (fast_path);
  apply_pages (fast, pages, 0, 0);
  /* In the middle of a first pull the dossier index is not there yet... */
  g_assert_false (has_dossier_index (fast_path));
  apply_pages (fast, pages, 1, 2);
  /* ...and after the last page it is. */
  g_assert_true (has_dossier_index (fast_path));

  /* The normal path: a store that is not empty. */
  slow = open_unlocked (slow_path);
  g_assert_true (regie_store_set_meta (slow, "cursor", "1", &error));
  apply_pages (slow, pages, 0, 2);
  g_assert_true (has_dossier_index (slow_path));

  fast_dump = dump_records (fast);
  slow_dump = dump_records (slow);
  g_assert_cmpstr (fast_dump, ==, slow_dump);

  /* Later versions won, the deleted note and the dossier that left are gone. */
  g_assert_cmpuint (regie_store_get_cursor (fast), ==, N_FAST_DOSSIERS * (2 + N_FAST_NOTES) + 3);
  person = regie_store_get_person (fast, dossier0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (regie_person_get_family_name (person), ==, "Demir");
  notes = regie_store_list_notes (fast, dossier1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, N_FAST_NOTES - 1);
  g_clear_pointer (&notes, g_ptr_array_unref);
  notes = regie_store_list_notes (fast, dossier2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 0);
}

/* A first pull cut off between pages (the process dies, or a page comes
 * in cut off) resumes from the stored cursor and ends with the same
 * store as an uninterrupted one. */
static void
test_store_first_pull_interrupted (void)
{
  g_autoptr(GPtrArray) pages = fast_pages ();
  g_autofree char *path = store_file ("interrupted.sqlite");
  g_autofree char *whole_path = store_file ("whole.sqlite");
  g_autoptr(RegieStore) store = NULL;
  g_autoptr(RegieStore) whole = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dump = NULL;
  g_autofree char *whole_dump = NULL;
  g_autofree char *after_first = NULL;
  const char *second = g_ptr_array_index (pages, 1);
  gint64 cursor;

  whole = open_unlocked (whole_path);
  apply_pages (whole, pages, 0, 2);
  whole_dump = dump_records (whole);

  store = open_unlocked (path);
  apply_pages (store, pages, 0, 0);
  cursor = regie_store_get_cursor (store);
  g_assert_cmpint (cursor, >, 0);
  after_first = dump_records (store);

  /* A cut-off second page changes nothing. */
  g_assert_false (regie_store_apply_pull_page (store, second, strlen (second) - 3, NULL, NULL, NULL, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_PARSE);
  g_clear_error (&error);
  dump = dump_records (store);
  g_assert_cmpstr (dump, ==, after_first);
  g_clear_pointer (&dump, g_free);

  /* The process goes away in the middle of the first pull. */
  g_assert_finalize_object (g_steal_pointer (&store));

  /* Reopened, the store is usable at once (the index is back) and
   * resumes where it stopped. */
  store = open_unlocked (path);
  g_assert_true (has_dossier_index (path));
  g_assert_cmpint (regie_store_get_cursor (store), ==, cursor);
  apply_pages (store, pages, 1, 2);

  dump = dump_records (store);
  g_assert_cmpstr (dump, ==, whole_dump);
  g_assert_true (has_dossier_index (path));
}

/* A pulled record that the store already holds at the same version (our
 * own push coming back) is left as it is; a newer version replaces it. */
static void
test_store_pull_same_version (void)
{
  g_autoptr(RegieStore) store = open_test_store ();
  g_autoptr(GString) page = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RegiePerson) person = NULL;
  guint n = 0;

  seed (store);

  regie_pull_page_append_change (page, 5, REGIE_RECORD_PERSON, PERSON_A, DOSSIER_A, 1, FALSE, person_a);
  regie_pull_page_append_end (page, 5, FALSE);
  g_assert_true (regie_store_apply_pull_page (store, page->str, page->len, NULL, NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);

  g_string_truncate (page, 0);
  regie_pull_page_append_change (page, 6, REGIE_RECORD_PERSON, PERSON_A, DOSSIER_A, 2, FALSE, person_b);
  regie_pull_page_append_end (page, 6, FALSE);
  g_assert_true (regie_store_apply_pull_page (store, page->str, page->len, NULL, NULL, &n, &error));
  g_assert_no_error (error);

  person = regie_store_get_person (store, DOSSIER_A, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (regie_person_get_family_name (person), ==, "Gebremedhin");
  g_assert_cmpint (regie_store_get_cursor (store), ==, 6);
}

/* Every file of a store, read whole, must contain none of `needles`. */
static void
assert_files_free_of (const char         *path,
                      const char * const *needles)
{
  g_assert_cmpuint (regie_test_assert_no_plain_text (path, needles), >, 0);
}

static const char * const secrets[] = {
  "111222333", "123456782", "Demir", "Gebremedhin", "Tesfay", "Ayşe",
  "Ligt op haar dossier", "abc123-token", "Fatima El Amrani", "team-noord", NULL
};

/* Records, outbox rows, a conflict's server copy and the account's token
 * are all sealed in the file: none of them can be read off the disk. */
static void
test_store_at_rest (void)
{
  g_autoptr(RegieStore) store = open_test_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) regie_push_result_free);
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autofree char *path = g_strdup (regie_store_get_path (store));
  g_autofree char *id = NULL;
  g_autofree char *second = NULL;
  RegiePushResult *result;

  seed (store);
  id = regie_store_add_note (store, DOSSIER_A, "fatima", "Ligt op haar dossier", &error);
  g_assert_no_error (error);
  second = regie_store_put_record (store, DOSSIER_B, REGIE_RECORD_PERSON, PERSON_B, person_b, &error);
  g_assert_no_error (error);
  g_assert_true (regie_store_save_account (store, "Fatima El Amrani", "klantmanager", "team-noord",
                                           "abc123-token", &error));
  g_assert_no_error (error);

  /* The server refuses the person edit with its own copy: kept sealed too. */
  outbox = regie_store_read_outbox (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 2);
  result = g_new0 (RegiePushResult, 1);
  result->mutation_id = g_strdup (((RegieMutation *) g_ptr_array_index (outbox, 1))->id);
  result->status = REGIE_PUSH_CONFLICT;
  result->version = 3;
  result->current_version = 3;
  result->current = g_strdup (person_a);
  result->reason = g_strdup ("stale");
  g_ptr_array_add (results, result);
  g_assert_true (regie_store_ack_outbox (store, results, &error));
  g_assert_no_error (error);
  conflicts = regie_store_list_conflicts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  g_assert_cmpstr (((RegieConflict *) g_ptr_array_index (conflicts, 0))->theirs, ==, person_a);

  /* Written out, checkpointed, closed. */
  g_assert_finalize_object (g_steal_pointer (&store));
  assert_files_free_of (path, secrets);

  /* And still all there for the right password. */
  store = open_unlocked (path);
  g_clear_pointer (&conflicts, g_ptr_array_unref);
  conflicts = regie_store_list_conflicts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  g_assert_cmpuint (regie_store_count_pending (store), ==, 2);
}

/* Moving a sealed payload to another record is detected, not read. */
static void
test_store_tampered (void)
{
  g_autoptr(RegieStore) store = open_test_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieCase) dossier = NULL;
  g_autoptr(RegiePerson) person = NULL;
  sqlite3 *db = NULL;

  seed (store);
  g_assert_cmpint (sqlite3_open_v2 (regie_store_get_path (store), &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE records SET payload = (SELECT payload FROM records WHERE id = '"
                                     PERSON_B "') WHERE id = '" PERSON_A "'", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);

  person = regie_store_get_person (store, DOSSIER_A, &error);
  g_assert_null (person);
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE);
  g_clear_error (&error);

  /* The rest of the dossier still reads; the altered record is left out. */
  g_test_expect_message ("RegieStore", G_LOG_LEVEL_WARNING, "*altered*");
  dossier = regie_store_load_case (store, DOSSIER_A, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_null (regie_case_get_first (dossier, REGIE_RECORD_PERSON));
  g_assert_nonnull (regie_case_get_first (dossier, REGIE_RECORD_DOSSIER));
}

static void
unlock_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
unlock_async (RegieStore  *store,
              const char  *password,
              GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  regie_store_unlock_async (store, password, REGIE_UNLOCK_DEFAULT, NULL, unlock_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return regie_store_unlock_finish (store, result, error);
}

/* Offline unlocking never makes a key; the async unlock, a changed
 * password and a worker's second connection. */
static void
test_store_unlock (void)
{
  g_autofree char *path = store_file ("unlock.sqlite");
  g_autoptr(RegieStore) store = NULL;
  g_autoptr(RegieStore) sibling = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(RegiePerson) person = NULL;

  store = regie_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_false (regie_store_has_data_key (store));
  g_assert_false (regie_store_unlock (store, PASSWORD, REGIE_UNLOCK_DEFAULT, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (regie_store_open_sibling (store, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_LOCKED);
  g_clear_error (&error);

  g_assert_true (regie_store_unlock (store, PASSWORD, REGIE_UNLOCK_CREATE, &error));
  g_assert_no_error (error);
  seed (store);

  sibling = regie_store_open_sibling (store, &error);
  g_assert_no_error (error);
  person = regie_store_get_person (sibling, DOSSIER_A, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (regie_person_get_family_name (person), ==, "Demir");
  g_assert_finalize_object (g_steal_pointer (&sibling));

  g_assert_true (regie_store_change_password (store, "nieuw-wachtwoord", &error));
  g_assert_no_error (error);
  regie_store_lock (store);

  g_assert_false (unlock_async (store, PASSWORD, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_true (regie_store_is_locked (store));
  g_assert_true (unlock_async (store, "nieuw-wachtwoord", &error));
  g_assert_no_error (error);
  g_assert_false (regie_store_is_locked (store));
  g_clear_object (&person);
  person = regie_store_get_person (store, DOSSIER_A, &error);
  g_assert_no_error (error);
}

/* A store written before encryption at rest is sealed in place on the
 * first online unlock: its unsent edit survives, its plain text does not. */
static void
test_store_legacy (void)
{
  g_autofree char *path = store_file ("legacy.sqlite");
  g_autoptr(RegieStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(RegiePerson) person = NULL;
  g_autofree char *token = NULL;
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;

  store = regie_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&store));

  sql = g_strdup_printf ("INSERT INTO records VALUES ('%s', '%s', 'person', 1, '%s');"
                         "INSERT INTO records VALUES ('%s', '%s', 'dossier', 1, '%s');"
                         "INSERT INTO records VALUES ('0195c7a0-0000-7000-8000-00000000aa01', '%s', 'note', 0, "
                         "  '{\"author\":\"fatima\",\"created_at\":\"2026-01-05T10:00:00Z\",\"text\":\"Ligt op haar dossier\"}');"
                         "INSERT INTO outbox (mutation_id, record_id, dossier_id, kind, base_version, payload) "
                         "  VALUES ('0195c7a0-0000-7000-8000-00000000bb01', '0195c7a0-0000-7000-8000-00000000aa01', '%s', 'note', 0, "
                         "  '{\"author\":\"fatima\",\"created_at\":\"2026-01-05T10:00:00Z\",\"text\":\"Ligt op haar dossier\"}');"
                         "INSERT INTO meta VALUES ('token', 'abc123-token');"
                         "INSERT INTO meta VALUES ('display_name', 'Fatima El Amrani');"
                         "INSERT INTO meta VALUES ('team', 'team-noord');"
                         "INSERT INTO meta VALUES ('password_verifier', 'pbkdf2-sha256$100000$00$00');"
                         "INSERT INTO meta VALUES ('cursor', '7');",
                         PERSON_A, DOSSIER_A, person_a, DOSSIER_A, DOSSIER_A, dossier_payload,
                         DOSSIER_A, DOSSIER_A);
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = regie_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_false (regie_store_has_data_key (store));
  g_assert_true (regie_store_unlock (store, PASSWORD, REGIE_UNLOCK_CREATE, &error));
  g_assert_no_error (error);

  person = regie_store_get_person (store, DOSSIER_A, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (regie_person_get_family_name (person), ==, "Demir");
  notes = regie_store_list_notes (store, DOSSIER_A, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 1);
  g_assert_true (((RegieStoreNote *) g_ptr_array_index (notes, 0))->pending);
  outbox = regie_store_read_outbox (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 1);
  g_assert_nonnull (strstr (((RegieMutation *) g_ptr_array_index (outbox, 0))->payload, "Ligt op haar dossier"));
  token = regie_store_dup_meta (store, "token");
  g_assert_cmpstr (token, ==, "abc123-token");
  g_assert_null (regie_store_dup_meta (store, "password_verifier"));
  g_assert_cmpint (regie_store_get_cursor (store), ==, 7);

  g_assert_finalize_object (g_steal_pointer (&store));
  assert_files_free_of (path, secrets);
}

/* Acknowledged edits are kept; a new server epoch (a database restored
 * from an older copy) puts them back in the outbox, in order, with their
 * own ids, and resets the cursor. The same epoch changes nothing. */
static void
test_store_epoch (void)
{
  g_autoptr(RegieStore) store = open_test_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) regie_push_result_free);
  gboolean restored = TRUE;
  guint requeued = 99;

  seed (store);
  g_assert_true (regie_store_note_server_epoch (store, "aaaa", &restored, &requeued, &error));
  g_assert_no_error (error);
  g_assert_false (restored);   /* the first one seen */
  g_assert_cmpuint (requeued, ==, 0);

  g_free (regie_store_add_note (store, DOSSIER_A, "fatima", "eerste", &error));
  g_free (regie_store_add_note (store, DOSSIER_B, "fatima", "tweede", &error));
  g_assert_no_error (error);
  outbox = regie_store_read_outbox (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 2);
  for (guint i = 0; i < outbox->len; i++)
    {
      RegiePushResult *result = g_new0 (RegiePushResult, 1);

      result->mutation_id = g_strdup (((RegieMutation *) g_ptr_array_index (outbox, i))->id);
      result->status = REGIE_PUSH_APPLIED;
      result->version = 1;
      g_ptr_array_add (results, result);
    }
  g_assert_true (regie_store_ack_outbox (store, results, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (regie_store_count_pending (store), ==, 0);

  g_assert_true (regie_store_note_server_epoch (store, "aaaa", &restored, &requeued, &error));
  g_assert_false (restored);
  g_assert_cmpuint (regie_store_count_pending (store), ==, 0);
  g_assert_cmpint (regie_store_get_cursor (store), ==, 4);

  g_assert_true (regie_store_note_server_epoch (store, "bbbb", &restored, &requeued, &error));
  g_assert_no_error (error);
  g_assert_true (restored);
  g_assert_cmpuint (requeued, ==, 2);
  g_assert_cmpint (regie_store_get_cursor (store), ==, 0);
  again = regie_store_read_outbox (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 2);
  for (guint i = 0; i < again->len; i++)
    {
      RegieMutation *a = g_ptr_array_index (outbox, i);
      RegieMutation *b = g_ptr_array_index (again, i);

      g_assert_cmpstr (a->id, ==, b->id);
      g_assert_cmpstr (a->payload, ==, b->payload);
      g_assert_cmpint (a->base_version, ==, b->base_version);
    }

  /* Sent once more, they are not sent a third time. */
  g_assert_true (regie_store_ack_outbox (store, results, &error));
  g_assert_true (regie_store_note_server_epoch (store, "bbbb", &restored, &requeued, &error));
  g_assert_false (restored);
  g_assert_cmpuint (regie_store_count_pending (store), ==, 0);
}

/* The store does not make what the user's role may not write. */
static void
test_store_role_guard (void)
{
  g_autoptr(RegieStore) store = open_test_store ();
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  seed (store);
  g_assert_true (regie_store_save_account (store, "Ruud de Boer", "inkomensconsulent", "", "t", &error));
  g_assert_no_error (error);
  g_assert_null (regie_store_add_note (store, DOSSIER_A, "ruud", "Mag niet", &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_null (regie_store_put_record (store, DOSSIER_A, REGIE_RECORD_PERSON, PERSON_A, person_b, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_cmpuint (regie_store_count_pending (store), ==, 0);

  g_assert_true (regie_store_save_account (store, "Fatima El Amrani", "klantmanager", "team-noord", "t", &error));
  id = regie_store_add_note (store, DOSSIER_A, "fatima", "Mag wel", &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
}

/* ---- first sync by snapshot --------------------------------------------- */

#define N_SNAP_DOSSIERS 9
#define N_SNAP_NOTES    5
#define SNAP_PAGE       5     /* dossiers per page: two pages */
#define SNAP_RECORDS    (3 + N_SNAP_NOTES)   /* per dossier, person included */

/* Item 0 is the dossier record, 1 its person, 2 its assignment, 16 + n
 * its notes; ids grow with the dossier number, as snapshots need. */
static char *
snap_id (guint dossier,
         guint item)
{
  return g_strdup_printf ("0190d00d-0000-7000-8%03x-%012x", item, dossier);
}

static char *
snap_note (guint dossier,
           guint n)
{
  return g_strdup_printf ("{\"author\":\"fatima\",\"created_at\":\"2025-03-0%uT10:00:00.000Z\","
                          "\"text\":\"Gesprek %u/%u over haar taalles\"}",
                          1 + (n * 7 + dossier) % 9, dossier, n);
}

typedef struct
{
  GString   *pull;       /* the same records as one pull page */
  GPtrArray *pages;      /* GBytes: snapshot pages (bundles are binary) */
  guint      per_page;
  gint64     cursor;
} Snapshot;

static void
snapshot_free (Snapshot *snap)
{
  g_string_free (snap->pull, TRUE);
  g_ptr_array_unref (snap->pages);
  g_free (snap);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Snapshot, snapshot_free)

/* A server's snapshot of `n_dossiers` dossiers, `per_page` to a page,
 * made with the wire format's own writers, and the pull page that holds
 * the same records. */
static Snapshot *
snapshot_new (guint n_dossiers,
              guint per_page)
{
  Snapshot *snap = g_new0 (Snapshot, 1);
  g_autoptr(GString) page = g_string_new (NULL);
  gint64 seq = 0;

  snap->pull = g_string_new (NULL);
  snap->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  snap->per_page = per_page;
  snap->cursor = (gint64) n_dossiers * SNAP_RECORDS;

  for (guint d = 0; d < n_dossiers; d++)
    {
      g_autoptr(GString) bundle = g_string_new (NULL);
      g_autoptr(GBytes) packed = NULL;
      g_autofree char *dossier = snap_id (d, 0);
      g_autofree char *person = snap_id (d, 1);
      g_autofree char *assignment = snap_id (d, 2);
      const char *assignment_payload = "{\"team\":\"team-noord\",\"klantmanager\":\"fatima\"}";

      if (d % per_page == 0)
        regie_snapshot_page_append_start (page, snap->cursor, n_dossiers);

      seq++;
      regie_pull_page_append_change (snap->pull, seq, REGIE_RECORD_DOSSIER, dossier, dossier, 1, FALSE, dossier_payload);
      regie_pull_page_append_change (bundle, seq, REGIE_RECORD_DOSSIER, dossier, dossier, 1, FALSE, dossier_payload);
      seq++;
      regie_pull_page_append_change (snap->pull, seq, REGIE_RECORD_PERSON, person, dossier, 1, FALSE,
                                     d % 2 ? person_a : person_b);
      regie_pull_page_append_change (page, seq, REGIE_RECORD_PERSON, person, dossier, 1, FALSE,
                                     d % 2 ? person_a : person_b);
      seq++;
      regie_pull_page_append_change (snap->pull, seq, REGIE_RECORD_ASSIGNMENT, assignment, dossier, 1, FALSE,
                                     assignment_payload);
      regie_pull_page_append_change (bundle, seq, REGIE_RECORD_ASSIGNMENT, assignment, dossier, 1, FALSE,
                                     assignment_payload);
      for (guint n = 0; n < N_SNAP_NOTES; n++)
        {
          g_autofree char *note = snap_id (d, 16 + n);
          g_autofree char *payload = snap_note (d, n);

          seq++;
          regie_pull_page_append_change (snap->pull, seq, REGIE_RECORD_NOTE, note, dossier, 1, FALSE, payload);
          regie_pull_page_append_change (bundle, seq, REGIE_RECORD_NOTE, note, dossier, 1, FALSE, payload);
        }
      regie_pull_page_append_end (bundle, seq, FALSE);

      packed = regie_deflate (bundle->str, bundle->len);
      regie_snapshot_page_append_bundle (page, dossier, SNAP_RECORDS - 1,
                                         g_bytes_get_data (packed, NULL), g_bytes_get_size (packed));

      if ((d + 1) % per_page == 0 || d + 1 == n_dossiers)
        {
          regie_snapshot_page_append_end (page, dossier, d + 1 < n_dossiers);
          g_ptr_array_add (snap->pages, g_bytes_new (page->str, page->len));
          g_string_truncate (page, 0);
        }
    }
  regie_pull_page_append_end (snap->pull, seq, FALSE);

  return snap;
}

static void
apply_snapshot (RegieStore *store,
                Snapshot   *snap,
                guint       first,
                guint       last)
{
  for (guint i = first; i <= last; i++)
    {
      g_autoptr(GError) error = NULL;
      GBytes *page = g_ptr_array_index (snap->pages, i);
      guint n_dossiers = 0;
      gboolean more = FALSE;
      gint64 total = 0;

      g_assert_true (regie_store_apply_snapshot_page (store, g_bytes_get_data (page, NULL), g_bytes_get_size (page),
                                                      &more, &total, &n_dossiers, &error));
      g_assert_no_error (error);
      g_assert_true (more == (i + 1 < snap->pages->len));
      g_assert_cmpint (total, ==, snap->cursor / SNAP_RECORDS);
      g_assert_cmpuint (n_dossiers, ==, MIN (snap->per_page, total - i * snap->per_page));
    }
}

static void
apply_pull (RegieStore *store,
            GString    *page)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (regie_store_apply_pull_page (store, page->str, page->len, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static gint64
count_sql (RegieStore *store,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count;

  g_assert_cmpint (sqlite3_open_v2 (regie_store_get_path (store), &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return count;
}

/* One dossier as the store's readers give it: load_case (kind by kind, in
 * the case's order), list_notes and get_person. */
static void
dump_dossier (RegieStore *store,
              const char *dossier_id,
              GString    *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieCase) dossier = regie_store_load_case (store, dossier_id, &error);
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(RegiePerson) person = NULL;

  g_assert_no_error (error);
  g_string_append_printf (out, "dossier %s: %u records\n", dossier_id, regie_case_get_n_records (dossier));
  for (guint kind = 0; kind < REGIE_N_RECORD_KINDS; kind++)
    {
      GPtrArray *records = regie_case_get_records (dossier, kind);

      for (guint i = 0; i < records->len; i++)
        {
          RegieRecord *record = g_ptr_array_index (records, i);
          g_autofree char *payload = regie_record_dup_payload_text (record);

          g_string_append_printf (out, "  %s %s v%" G_GINT64_FORMAT " %s\n", regie_record_kind_to_string (kind),
                                  regie_record_get_id (record), regie_record_get_version (record), payload);
        }
    }

  notes = regie_store_list_notes (store, dossier_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < notes->len; i++)
    {
      RegieStoreNote *note = g_ptr_array_index (notes, i);

      g_string_append_printf (out, "  note %s%s %s %s\n", note->record_id, note->pending ? " pending" : "",
                              regie_note_get_created_at (note->note), regie_note_get_text (note->note));
    }

  person = regie_store_get_person (store, dossier_id, &error);
  if (person != NULL)
    g_string_append_printf (out, "  person %s\n", regie_person_get_family_name (person));
  else
    {
      g_assert_error (error, REGIE_ERROR, REGIE_ERROR_NOT_FOUND);
      g_string_append (out, "  no person\n");
    }
}

/* The caseload and every dossier of a snapshot, as readers see them. */
static char *
dump_snapshot_store (RegieStore *store,
                     guint       n_dossiers)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) caseload = regie_store_load_caseload (store, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (caseload); i++)
    {
      g_autoptr(RegieCaseloadItem) item = g_list_model_get_item (caseload, i);

      g_string_append_printf (out, "caseload %s %s %s\n", regie_caseload_item_get_dossier_id (item),
                              regie_caseload_item_get_full_name (item), regie_caseload_item_get_bsn (item));
    }
  for (guint d = 0; d < n_dossiers; d++)
    {
      g_autofree char *dossier_id = snap_id (d, 0);

      dump_dossier (store, dossier_id, out);
    }

  return g_string_free (out, FALSE);
}

/* A snapshot in two pages reads exactly like the pull of the same records;
 * the store wants one while empty and while one is under way, not after. */
static void
test_store_snapshot (void)
{
  g_autoptr(Snapshot) snap = snapshot_new (N_SNAP_DOSSIERS, SNAP_PAGE);
  g_autofree char *snap_path = store_file ("snapshot.sqlite");
  g_autofree char *pull_path = store_file ("pulled.sqlite");
  g_autoptr(RegieStore) store = open_unlocked (snap_path);
  g_autoptr(RegieStore) pulled = open_unlocked (pull_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) caseload = NULL;
  g_autofree char *after = NULL;
  g_autofree char *last_of_first = snap_id (SNAP_PAGE - 1, 0);
  g_autofree char *snap_dump = NULL;
  g_autofree char *pull_dump = NULL;
  GBytes *first = g_ptr_array_index (snap->pages, 0);
  gint64 cursor = -1;
  guint changed = 0;

  g_assert_cmpuint (snap->pages->len, ==, 2);
  g_signal_connect (store, "changed", G_CALLBACK (changed_cb), &changed);

  g_assert_true (regie_store_wants_snapshot (store, &cursor, &after));
  g_assert_cmpint (cursor, ==, 0);
  g_assert_null (after);

  /* Half-way: the first page's cursor is kept aside, the pull cursor is
   * not set yet, and what is stored already reads. */
  apply_snapshot (store, snap, 0, 0);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_true (regie_store_wants_snapshot (store, &cursor, &after));
  g_assert_cmpint (cursor, ==, snap->cursor);
  g_assert_cmpstr (after, ==, last_of_first);
  g_assert_cmpint (regie_store_get_cursor (store), ==, 0);
  caseload = regie_store_load_caseload (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (caseload), ==, SNAP_PAGE);

  /* The same page again is not after what is stored. */
  g_assert_false (regie_store_apply_snapshot_page (store, g_bytes_get_data (first, NULL), g_bytes_get_size (first),
                                                   NULL, NULL, NULL, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_cmpint (count_sql (store, "SELECT count(*) FROM bundles"), ==, SNAP_PAGE);

  apply_snapshot (store, snap, 1, 1);
  g_assert_cmpuint (changed, ==, 2);
  g_clear_pointer (&after, g_free);
  g_assert_false (regie_store_wants_snapshot (store, &cursor, &after));
  g_assert_null (after);
  g_assert_cmpint (regie_store_get_cursor (store), ==, snap->cursor);
  g_assert_null (regie_store_dup_meta (store, "snapshot_cursor"));

  /* One row per person, one bundle per dossier. */
  g_assert_cmpint (count_sql (store, "SELECT count(*) FROM records"), ==, N_SNAP_DOSSIERS);
  g_assert_cmpint (count_sql (store, "SELECT count(*) FROM records WHERE kind = 'person'"), ==, N_SNAP_DOSSIERS);
  g_assert_cmpint (count_sql (store, "SELECT count(*) FROM bundles"), ==, N_SNAP_DOSSIERS);
  g_assert_cmpint (count_sql (store, "SELECT sum(n_records) FROM bundles"), ==, N_SNAP_DOSSIERS * (SNAP_RECORDS - 1));
  g_assert_cmpint (count_sql (store, "SELECT count(*) FROM bundles WHERE typeof (payload) != 'blob'"), ==, 0);

  apply_pull (pulled, snap->pull);
  g_assert_cmpint (regie_store_get_cursor (pulled), ==, snap->cursor);
  snap_dump = dump_snapshot_store (store, N_SNAP_DOSSIERS);
  pull_dump = dump_snapshot_store (pulled, N_SNAP_DOSSIERS);
  g_assert_nonnull (strstr (pull_dump, "taalles"));
  g_assert_cmpstr (snap_dump, ==, pull_dump);

  /* Once synced, a snapshot page is refused. */
  g_assert_false (regie_store_apply_snapshot_page (store, g_bytes_get_data (first, NULL), g_bytes_get_size (first),
                                                   NULL, NULL, NULL, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (regie_store_wants_snapshot (pulled, NULL, NULL));
  g_assert_false (regie_store_apply_snapshot_page (pulled, g_bytes_get_data (first, NULL), g_bytes_get_size (first),
                                                   NULL, NULL, NULL, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_INVALID);
  g_assert_cmpint (count_sql (pulled, "SELECT count(*) FROM bundles"), ==, 0);
}

static void
assert_snapshot_refused (RegieStore *store,
                         GString    *page)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (regie_store_apply_snapshot_page (store, page->str, page->len, NULL, NULL, NULL, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_PARSE);
  g_string_truncate (page, 0);
}

/* A page cut off anywhere, or with dossiers that do not fit together,
 * changes nothing. */
static void
test_store_snapshot_broken (void)
{
  g_autoptr(Snapshot) snap = snapshot_new (N_SNAP_DOSSIERS, SNAP_PAGE);
  g_autoptr(RegieStore) store = open_test_store ();
  g_autoptr(GString) page = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *d0 = snap_id (0, 0);
  g_autofree char *d1 = snap_id (1, 0);
  g_autofree char *p0 = snap_id (0, 1);
  g_autofree char *after = NULL;
  GBytes *first = g_ptr_array_index (snap->pages, 0);
  const char *data = g_bytes_get_data (first, NULL);
  gsize len = g_bytes_get_size (first);
  const guint8 packed[] = { 0x03, 0x00 };   /* an empty raw deflate stream */
  gint64 cursor = -1;
  guint changed = 0;

  g_signal_connect (store, "changed", G_CALLBACK (changed_cb), &changed);

  for (gsize cut = 0; cut < len; cut += 11)
    {
      g_autoptr(GError) cut_error = NULL;

      g_assert_false (regie_store_apply_snapshot_page (store, data, cut, NULL, NULL, NULL, &cut_error));
      g_assert_error (cut_error, REGIE_ERROR, REGIE_ERROR_PARSE);
    }
  g_assert_false (regie_store_apply_snapshot_page (store, data, len - 1, NULL, NULL, NULL, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_PARSE);
  g_clear_error (&error);

  /* Dossiers out of order. */
  regie_snapshot_page_append_start (page, 10, 2);
  regie_snapshot_page_append_bundle (page, d1, 0, packed, sizeof packed);
  regie_snapshot_page_append_bundle (page, d0, 0, packed, sizeof packed);
  regie_snapshot_page_append_end (page, d0, FALSE);
  assert_snapshot_refused (store, page);
  /* The same dossier twice. */
  regie_snapshot_page_append_start (page, 10, 2);
  regie_snapshot_page_append_bundle (page, d0, 0, packed, sizeof packed);
  regie_snapshot_page_append_bundle (page, d0, 0, packed, sizeof packed);
  regie_snapshot_page_append_end (page, d0, FALSE);
  assert_snapshot_refused (store, page);
  /* A person followed by another dossier's bundle. */
  regie_snapshot_page_append_start (page, 10, 2);
  regie_pull_page_append_change (page, 3, REGIE_RECORD_PERSON, p0, d0, 1, FALSE, person_a);
  regie_snapshot_page_append_bundle (page, d1, 0, packed, sizeof packed);
  regie_snapshot_page_append_end (page, d1, FALSE);
  assert_snapshot_refused (store, page);
  /* A person without a bundle. */
  regie_snapshot_page_append_start (page, 10, 1);
  regie_pull_page_append_change (page, 3, REGIE_RECORD_PERSON, p0, d0, 1, FALSE, person_a);
  regie_snapshot_page_append_end (page, NULL, FALSE);
  assert_snapshot_refused (store, page);
  /* An end line that names another dossier than the last. */
  regie_snapshot_page_append_start (page, 10, 2);
  regie_snapshot_page_append_bundle (page, d0, 0, packed, sizeof packed);
  regie_snapshot_page_append_end (page, d1, TRUE);
  assert_snapshot_refused (store, page);
  /* More to come after a page without dossiers: it would never end. */
  regie_snapshot_page_append_start (page, 10, 2);
  regie_snapshot_page_append_end (page, NULL, TRUE);
  assert_snapshot_refused (store, page);
  /* A bundle without data. */
  regie_snapshot_page_append_start (page, 10, 1);
  regie_snapshot_page_append_bundle (page, d0, 0, NULL, 0);
  regie_snapshot_page_append_end (page, d0, FALSE);
  assert_snapshot_refused (store, page);

  /* Nothing of any of them was kept. */
  g_assert_cmpuint (changed, ==, 0);
  g_assert_true (regie_store_wants_snapshot (store, &cursor, &after));
  g_assert_cmpint (cursor, ==, 0);
  g_assert_null (after);
  g_assert_cmpint (count_sql (store, "SELECT count(*) FROM records"), ==, 0);
  g_assert_cmpint (count_sql (store, "SELECT count(*) FROM bundles"), ==, 0);
  g_assert_cmpint (count_sql (store, "SELECT count(*) FROM meta WHERE key LIKE 'snapshot%'"), ==, 0);

  /* And the pages still apply. */
  apply_snapshot (store, snap, 0, 1);
  g_assert_cmpint (count_sql (store, "SELECT count(*) FROM bundles"), ==, N_SNAP_DOSSIERS);
}

/* A write to a bundled dossier turns it into rows first: all its records
 * are there, the edit goes to the outbox as usual, other dossiers stay
 * bundled. */
static void
test_store_snapshot_write (void)
{
  g_autoptr(Snapshot) snap = snapshot_new (N_SNAP_DOSSIERS, SNAP_PAGE);
  g_autofree char *pull_path = store_file ("pulled.sqlite");
  g_autoptr(RegieStore) store = open_test_store ();
  g_autoptr(RegieStore) pulled = open_unlocked (pull_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GString) before = g_string_new (NULL);
  g_autoptr(GString) after = g_string_new (NULL);
  g_autoptr(RegieCase) dossier = NULL;
  g_autofree char *d2 = snap_id (2, 0);
  g_autofree char *d3 = snap_id (3, 0);
  g_autofree char *assignment3 = snap_id (3, 2);
  g_autofree char *note_id = NULL;
  g_autofree char *id = NULL;
  g_autofree char *sql = NULL;
  RegieMutation *m;
  guint changed = 0;

  apply_snapshot (store, snap, 0, 1);
  apply_pull (pulled, snap->pull);
  g_signal_connect (store, "changed", G_CALLBACK (changed_cb), &changed);

  note_id = regie_store_add_note (store, d2, "fatima", "Na de snapshot.", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpint (count_sql (store, "SELECT count(*) FROM bundles"), ==, N_SNAP_DOSSIERS - 1);
  sql = g_strdup_printf ("SELECT count(*) FROM bundles WHERE dossier_id = '%s'", d2);
  g_assert_cmpint (count_sql (store, sql), ==, 0);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM records WHERE dossier_id = '%s' AND typeof (payload) = 'blob'", d2);
  g_assert_cmpint (count_sql (store, sql), ==, SNAP_RECORDS + 1);
  g_assert_cmpuint (regie_store_count_pending (store), ==, 1);

  /* The dossier reads as the pulled one, with the note added (pending). */
  dump_dossier (pulled, d2, before);
  dump_dossier (store, d2, after);
  notes = regie_store_list_notes (store, d2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, N_SNAP_NOTES + 1);
  for (guint i = 0; i < notes->len; i++)
    {
      RegieStoreNote *note = g_ptr_array_index (notes, i);

      g_assert_true (note->pending == g_str_equal (note->record_id, note_id));
    }
  dossier = regie_store_load_case (store, d2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (regie_case_get_n_records (dossier), ==, SNAP_RECORDS + 1);
  g_clear_object (&dossier);
  {
    g_auto(GStrv) lines = g_strsplit (after->str, "\n", -1);
    g_autoptr(GString) kept = g_string_new (NULL);

    /* Without the new note's lines and the record count, it is the same. */
    for (guint i = 0; lines[i] != NULL; i++)
      if (*lines[i] != '\0' && strstr (lines[i], note_id) == NULL && !g_str_has_prefix (lines[i], "dossier "))
        g_string_append_printf (kept, "%s\n", lines[i]);
    g_assert_cmpstr (kept->str, ==, strchr (before->str, '\n') + 1);
  }

  /* A record found by id inside the bundle: changed on the version the
   * snapshot brought. */
  id = regie_store_put_record (store, d3, REGIE_RECORD_ASSIGNMENT, assignment3,
                               "{\"team\":\"team-noord\",\"klantmanager\":\"fatima\",\"regievoerder\":\"noor\"}",
                               &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, assignment3);
  g_assert_cmpint (count_sql (store, "SELECT count(*) FROM bundles"), ==, N_SNAP_DOSSIERS - 2);
  g_assert_cmpint (count_sql (store, "SELECT count(*) FROM records"), ==, N_SNAP_DOSSIERS + 2 * (SNAP_RECORDS - 1) + 1);
  outbox = regie_store_read_outbox (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 2);
  m = g_ptr_array_index (outbox, 1);
  g_assert_cmpstr (m->record_id, ==, assignment3);
  g_assert_cmpstr (m->dossier_id, ==, d3);
  g_assert_cmpint (m->base_version, ==, 1);
  dossier = regie_store_load_case (store, d3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (regie_case_get_n_records (dossier), ==, SNAP_RECORDS);
  g_assert_cmpstr (regie_record_get_string (regie_case_get_first (dossier, REGIE_RECORD_ASSIGNMENT), "regievoerder"),
                   ==, "noor");
}

/* A pulled page with a new version, a delete, a new record, a changed
 * person and a purge in bundled dossiers ends as it does on pulled rows;
 * a purged bundled dossier leaves nothing. */
static void
test_store_snapshot_pull (void)
{
  g_autoptr(Snapshot) snap = snapshot_new (N_SNAP_DOSSIERS, SNAP_PAGE);
  g_autofree char *pull_path = store_file ("pulled.sqlite");
  g_autoptr(RegieStore) store = open_test_store ();
  g_autoptr(RegieStore) pulled = open_unlocked (pull_path);
  g_autoptr(GString) page = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *snap_dump = NULL;
  g_autofree char *pull_dump = NULL;
  g_autofree char *note1 = snap_id (1, 16);
  g_autofree char *d1 = snap_id (1, 0);
  g_autofree char *note2 = snap_id (2, 17);
  g_autofree char *d2 = snap_id (2, 0);
  g_autofree char *note3 = snap_id (3, 40);
  g_autofree char *d3 = snap_id (3, 0);
  g_autofree char *person4 = snap_id (4, 1);
  g_autofree char *d4 = snap_id (4, 0);
  g_autofree char *d5 = snap_id (5, 0);
  g_autofree char *note6 = snap_id (6, 18);
  g_autofree char *d6 = snap_id (6, 0);
  g_autofree char *same6 = snap_note (6, 2);
  g_autofree char *sql = NULL;
  g_autofree char *purged_note = NULL;
  g_autofree char *note0 = snap_id (0, 17);
  g_autofree char *d0 = snap_id (0, 0);
  g_autofree char *note_id = NULL;
  gint64 seq = snap->cursor;
  guint n = 0;

  apply_snapshot (store, snap, 0, 1);
  apply_pull (pulled, snap->pull);

  regie_pull_page_append_change (page, ++seq, REGIE_RECORD_NOTE, note1, d1, 2, FALSE,
                                 "{\"author\":\"fatima\",\"created_at\":\"2025-03-01T10:00:00.000Z\",\"text\":\"Herzien\"}");
  regie_pull_page_append_change (page, ++seq, REGIE_RECORD_NOTE, note2, d2, 2, TRUE, NULL);
  regie_pull_page_append_change (page, ++seq, REGIE_RECORD_NOTE, note3, d3, 1, FALSE,
                                 "{\"author\":\"joost\",\"created_at\":\"2025-04-01T10:00:00.000Z\",\"text\":\"Nieuw\"}");
  regie_pull_page_append_change (page, ++seq, REGIE_RECORD_PERSON, person4, d4, 2, FALSE, person_b);
  regie_pull_page_append_change (page, ++seq, REGIE_RECORD_DOSSIER, d5, d5, 2, TRUE, NULL);
  /* Our own version coming back: nothing to write but the dossier's rows. */
  regie_pull_page_append_change (page, ++seq, REGIE_RECORD_NOTE, note6, d6, 1, FALSE, same6);
  regie_pull_page_append_end (page, seq, FALSE);

  g_assert_true (regie_store_apply_pull_page (store, page->str, page->len, NULL, NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 6);
  apply_pull (pulled, page);

  snap_dump = dump_snapshot_store (store, N_SNAP_DOSSIERS);
  pull_dump = dump_snapshot_store (pulled, N_SNAP_DOSSIERS);
  g_assert_nonnull (strstr (pull_dump, "Herzien"));
  g_assert_cmpstr (snap_dump, ==, pull_dump);
  g_assert_cmpint (regie_store_get_cursor (store), ==, seq);

  /* Dossiers 0, 7 and 8 were not touched. */
  g_assert_cmpint (count_sql (store, "SELECT count(*) FROM bundles"), ==, 3);
  g_assert_cmpint (count_sql (store, "SELECT count(*) FROM records"), ==,
                   count_sql (pulled, "SELECT count(*) FROM records") - 3 * (SNAP_RECORDS - 1));

  /* A page cut off after a change to a bundled dossier expands nothing,
   * and the store still knows the dossier is bundled: a later edit
   * expands it. */
  g_string_truncate (page, 0);
  regie_pull_page_append_change (page, ++seq, REGIE_RECORD_NOTE, note0, d0, 2, TRUE, NULL);
  regie_pull_page_append_end (page, seq, FALSE);
  g_assert_false (regie_store_apply_pull_page (store, page->str, page->len - 2, NULL, NULL, NULL, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_PARSE);
  g_clear_error (&error);
  g_assert_cmpint (count_sql (store, "SELECT count(*) FROM bundles"), ==, 3);
  note_id = regie_store_add_note (store, d0, "fatima", "Na een afgebroken pagina", &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_sql (store, "SELECT count(*) FROM bundles"), ==, 2);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM records WHERE dossier_id = '%s'", d0);
  g_assert_cmpint (count_sql (store, sql), ==, SNAP_RECORDS + 1);
  g_clear_pointer (&sql, g_free);

  /* Nothing of the purged dossier is left, and it takes no edits. */
  sql = g_strdup_printf ("SELECT (SELECT count(*) FROM records WHERE dossier_id = '%s') + "
                         "(SELECT count(*) FROM bundles WHERE dossier_id = '%s')", d5, d5);
  g_assert_cmpint (count_sql (store, sql), ==, 0);
  purged_note = regie_store_add_note (store, d5, "fatima", "Te laat", &error);
  g_assert_null (purged_note);
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_NOT_FOUND);
}

/* Bundles are compressed and sealed: no name, BSN or note text in the
 * files. */
static void
test_store_snapshot_at_rest (void)
{
  static const char * const needles[] = {
    "111222333", "123456782", "Demir", "Gebremedhin", "Tesfay", "Ayşe", "taalles", "klantmanager", NULL
  };
  g_autoptr(Snapshot) snap = snapshot_new (N_SNAP_DOSSIERS, SNAP_PAGE);
  g_autoptr(RegieStore) store = open_test_store ();
  g_autofree char *path = g_strdup (regie_store_get_path (store));
  g_autoptr(GError) error = NULL;
  g_autofree char *d1 = snap_id (1, 0);
  g_autofree char *note_id = NULL;

  apply_snapshot (store, snap, 0, 1);
  /* One of them expanded into rows too. */
  note_id = regie_store_add_note (store, d1, "fatima", "Gesprek over haar taalles", &error);
  g_assert_no_error (error);

  g_assert_finalize_object (g_steal_pointer (&store));
  assert_files_free_of (path, needles);

  /* And still all there for the right password. */
  store = open_unlocked (path);
  {
    g_autofree char *dump = dump_snapshot_store (store, N_SNAP_DOSSIERS);

    g_assert_nonnull (strstr (dump, "taalles"));
    g_assert_nonnull (strstr (dump, "Gebremedhin"));
  }
}

/* A bundle moved to another dossier does not open: its records are
 * reported and left out of reads, and writes to that dossier fail
 * instead of losing them. */
static void
test_store_snapshot_tampered (void)
{
  g_autoptr(Snapshot) snap = snapshot_new (N_SNAP_DOSSIERS, SNAP_PAGE);
  g_autoptr(RegieStore) store = open_test_store ();
  g_autoptr(GString) page = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieCase) dossier = NULL;
  g_autoptr(RegieCase) other = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autofree char *d0 = snap_id (0, 0);
  g_autofree char *d1 = snap_id (1, 0);
  g_autofree char *note1 = snap_id (1, 16);
  g_autofree char *sql = NULL;
  g_autofree char *id = NULL;
  sqlite3 *db = NULL;

  apply_snapshot (store, snap, 0, 1);
  sql = g_strdup_printf ("UPDATE bundles SET payload = (SELECT payload FROM bundles WHERE dossier_id = '%s') "
                         "WHERE dossier_id = '%s'", d0, d1);
  g_assert_cmpint (sqlite3_open_v2 (regie_store_get_path (store), &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);

  g_test_expect_message ("RegieStore", G_LOG_LEVEL_WARNING, "*records of dossier*altered*");
  dossier = regie_store_load_case (store, d1, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpuint (regie_case_get_n_records (dossier), ==, 1);
  g_assert_nonnull (regie_case_get_first (dossier, REGIE_RECORD_PERSON));

  g_test_expect_message ("RegieStore", G_LOG_LEVEL_WARNING, "*records of dossier*altered*");
  notes = regie_store_list_notes (store, d1, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpuint (notes->len, ==, 0);

  /* Writing would expand it: refused, the bundle stays for a later look. */
  id = regie_store_add_note (store, d1, "fatima", "Kan niet", &error);
  g_assert_null (id);
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE);
  g_clear_error (&error);
  regie_pull_page_append_change (page, snap->cursor + 1, REGIE_RECORD_NOTE, note1, d1, 2, TRUE, NULL);
  regie_pull_page_append_end (page, snap->cursor + 1, FALSE);
  g_assert_false (regie_store_apply_pull_page (store, page->str, page->len, NULL, NULL, NULL, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_STORAGE);
  g_clear_error (&error);
  g_assert_cmpint (regie_store_get_cursor (store), ==, snap->cursor);
  g_assert_cmpint (count_sql (store, "SELECT count(*) FROM bundles"), ==, N_SNAP_DOSSIERS);
  g_assert_cmpuint (regie_store_count_pending (store), ==, 0);

  /* The bundle it was copied from still reads. */
  other = regie_store_load_case (store, d0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (regie_case_get_n_records (other), ==, SNAP_RECORDS);
}

/* A snapshot cut off between pages resumes after a restart where it
 * stopped; one abandoned (reset cursor) is completed by a pull; another
 * connection's writes see the bundles stored by this one. */
static void
test_store_snapshot_resume (void)
{
  g_autoptr(Snapshot) snap = snapshot_new (N_SNAP_DOSSIERS, SNAP_PAGE);
  g_autofree char *path = store_file ("resumed.sqlite");
  g_autofree char *abandoned_path = store_file ("abandoned.sqlite");
  g_autofree char *pull_path = store_file ("pulled.sqlite");
  g_autoptr(RegieStore) store = open_unlocked (path);
  g_autoptr(RegieStore) other = open_unlocked (path);
  g_autoptr(RegieStore) abandoned = open_unlocked (abandoned_path);
  g_autoptr(RegieStore) pulled = open_unlocked (pull_path);
  g_autoptr(GString) page = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  g_autofree char *last_of_first = snap_id (SNAP_PAGE - 1, 0);
  g_autofree char *dump = NULL;
  g_autofree char *pull_dump = NULL;
  g_autofree char *note0 = snap_id (0, 16);
  g_autofree char *d0 = snap_id (0, 0);
  gboolean restored = FALSE;
  gint64 cursor = 0;

  apply_pull (pulled, snap->pull);
  pull_dump = dump_snapshot_store (pulled, N_SNAP_DOSSIERS);

  /* Cut off after the first page; the process goes away. */
  apply_snapshot (store, snap, 0, 0);
  g_assert_finalize_object (g_steal_pointer (&store));
  store = open_unlocked (path);
  g_assert_true (regie_store_wants_snapshot (store, &cursor, &after));
  g_assert_cmpint (cursor, ==, snap->cursor);
  g_assert_cmpstr (after, ==, last_of_first);
  apply_snapshot (store, snap, 1, 1);
  dump = dump_snapshot_store (store, N_SNAP_DOSSIERS);
  g_assert_cmpstr (dump, ==, pull_dump);

  /* `other` was opened before there were bundles: its pull of a change
   * to a bundled dossier still expands it first. */
  regie_pull_page_append_change (page, snap->cursor + 1, REGIE_RECORD_NOTE, note0, d0, 2, TRUE, NULL);
  regie_pull_page_append_end (page, snap->cursor + 1, FALSE);
  apply_pull (other, page);
  apply_pull (pulled, page);
  g_assert_cmpint (count_sql (store, "SELECT count(*) FROM bundles"), ==, N_SNAP_DOSSIERS - 1);
  g_clear_pointer (&dump, g_free);
  g_clear_pointer (&pull_dump, g_free);
  dump = dump_snapshot_store (store, N_SNAP_DOSSIERS);
  pull_dump = dump_snapshot_store (pulled, N_SNAP_DOSSIERS);
  g_assert_cmpstr (dump, ==, pull_dump);

  /* Abandoned half-way (410 Gone): the next sync pulls everything, which
   * expands what the snapshot stored and adds the rest. */
  apply_snapshot (abandoned, snap, 0, 0);
  g_assert_true (regie_store_reset_cursor (abandoned, &error));
  g_assert_no_error (error);
  g_assert_false (regie_store_wants_snapshot (abandoned, NULL, NULL));
  g_assert_cmpint (regie_store_get_cursor (abandoned), ==, 0);
  g_assert_cmpint (count_sql (abandoned, "SELECT count(*) FROM meta WHERE key LIKE 'snapshot%'"), ==, 0);
  apply_pull (abandoned, snap->pull);
  apply_pull (abandoned, page);
  g_assert_cmpint (count_sql (abandoned, "SELECT count(*) FROM bundles"), ==, 0);
  g_clear_pointer (&dump, g_free);
  dump = dump_snapshot_store (abandoned, N_SNAP_DOSSIERS);
  g_assert_cmpstr (dump, ==, pull_dump);

  /* So does a refused edit of a server record, once dismissed: the
   * server's version comes back by a pull from the start. */
  g_assert_finalize_object (g_steal_pointer (&abandoned));
  g_assert_cmpint (g_unlink (abandoned_path), ==, 0);
  abandoned = open_unlocked (abandoned_path);
  apply_snapshot (abandoned, snap, 0, 0);
  {
    g_autofree char *assignment = snap_id (1, 2);
    g_autofree char *d1 = snap_id (1, 0);
    g_autofree char *id = regie_store_put_record (abandoned, d1, REGIE_RECORD_ASSIGNMENT, assignment,
                                                  "{\"team\":\"team-zuid\",\"klantmanager\":\"fatima\"}", &error);
    g_autoptr(GPtrArray) outbox = regie_store_read_outbox (abandoned, 0, NULL);
    g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) regie_push_result_free);

    g_assert_no_error (error);
    g_assert_cmpuint (outbox->len, ==, 1);
    g_ptr_array_add (results, regie_push_result_new (((RegieMutation *) g_ptr_array_index (outbox, 0))->id,
                                                     REGIE_PUSH_REJECTED, 0, "not allowed"));
    g_assert_true (regie_store_ack_outbox (abandoned, results, &error));
    g_assert_no_error (error);
    g_assert_true (regie_store_wants_snapshot (abandoned, NULL, NULL));
    g_assert_true (regie_store_dismiss_stuck (abandoned, id, &error));
    g_assert_no_error (error);
    g_assert_false (regie_store_wants_snapshot (abandoned, NULL, NULL));
  }

  /* A restored server database abandons one too. */
  g_assert_finalize_object (g_steal_pointer (&abandoned));
  g_assert_cmpint (g_unlink (abandoned_path), ==, 0);
  abandoned = open_unlocked (abandoned_path);
  g_assert_true (regie_store_note_server_epoch (abandoned, "aaaa", &restored, NULL, &error));
  apply_snapshot (abandoned, snap, 0, 0);
  g_assert_true (regie_store_wants_snapshot (abandoned, NULL, NULL));
  g_assert_true (regie_store_note_server_epoch (abandoned, "bbbb", &restored, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (restored);
  g_assert_false (regie_store_wants_snapshot (abandoned, NULL, NULL));
}

/* Synthetic pages like the demo's 10,000 dossiers: five pages of 2,000
 * dossiers of 35 records, ~7 KB of JSON each. */
static GPtrArray *
synthetic_snapshot_pages (void)
{
  static const char * const words[] = {
    "gesprek", "taalles", "inburgering", "werk", "kinderopvang", "gemeente", "afspraak", "huisvesting",
    "examen", "lezen", "schrijven", "spreken", "luisteren", "vrijwilliger", "stage", "school",
    "zorg", "huisarts", "uitkering", "toeslag", "begeleiding", "voortgang", "planning", "rapport",
    "de", "het", "een", "en", "met", "over", "voor", "naar", "is", "heeft", "was", "wordt", "niet", "wel",
  };
  const guint n_dossiers = 10000, per_page = 2000, n_notes = 33;
  GPtrArray *pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GString) page = g_string_new (NULL);
  g_autoptr(GString) bundle = g_string_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  gint64 seq = 0;

  for (guint d = 0; d < n_dossiers; d++)
    {
      g_autoptr(GBytes) packed = NULL;
      g_autofree char *dossier = snap_id (d, 0);
      g_autofree char *person = snap_id (d, 1);
      g_autofree char *assignment = snap_id (d, 2);

      if (d % per_page == 0)
        regie_snapshot_page_append_start (page, (gint64) n_dossiers * (3 + n_notes), n_dossiers);
      g_string_truncate (bundle, 0);
      regie_pull_page_append_change (bundle, ++seq, REGIE_RECORD_DOSSIER, dossier, dossier, 1, FALSE, dossier_payload);
      regie_pull_page_append_change (page, ++seq, REGIE_RECORD_PERSON, person, dossier, 1, FALSE, person_a);
      regie_pull_page_append_change (bundle, ++seq, REGIE_RECORD_ASSIGNMENT, assignment, dossier, 1, FALSE,
                                     "{\"team\":\"team-noord\",\"klantmanager\":\"fatima\"}");
      for (guint n = 0; n < n_notes; n++)
        {
          g_autofree char *note = snap_id (d, 16 + n);
          g_autofree char *payload = NULL;

          g_string_truncate (text, 0);
          for (guint w = 0; w < 7; w++)
            g_string_append_printf (text, "%s%s", w ? " " : "", words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
          g_string_append_printf (text, " %08x%08x%08x", g_rand_int (rand), g_rand_int (rand), g_rand_int (rand));
          payload = g_strdup_printf ("{\"author\":\"fatima\",\"created_at\":\"2025-%02u-%02uT%02u:%02u:00.000Z\",\"text\":\"%s\"}",
                                     1 + n % 12, 1 + n % 28, g_rand_int_range (rand, 8, 18),
                                     g_rand_int_range (rand, 0, 60), text->str);
          regie_pull_page_append_change (bundle, ++seq, REGIE_RECORD_NOTE, note, dossier, 1, FALSE, payload);
        }
      regie_pull_page_append_end (bundle, seq, FALSE);
      packed = regie_deflate (bundle->str, bundle->len);
      regie_snapshot_page_append_bundle (page, dossier, 1 + 1 + n_notes,
                                         g_bytes_get_data (packed, NULL), g_bytes_get_size (packed));
      if ((d + 1) % per_page == 0)
        {
          regie_snapshot_page_append_end (page, dossier, d + 1 < n_dossiers);
          g_ptr_array_add (pages, g_bytes_new (page->str, page->len));
          g_string_truncate (page, 0);
        }
    }

  return pages;
}

/* The client's half of a first sync of 10,000 dossiers: storing the
 * snapshot pages, then what reads and the first edit of a bundled
 * dossier cost. Run with -m perf; REGIE_SNAPSHOT_PAGES (files separated
 * by ':', e.g. saved with curl from `regie-server --demo --dossiers 10000
 * --single-caseload`) measures a server's pages instead of synthetic ones. */
static void
test_store_snapshot_perf (void)
{
  const char *files = g_getenv ("REGIE_SNAPSHOT_PAGES");
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(RegieStore) store = NULL;
  g_autoptr(GListModel) caseload = NULL;
  g_autoptr(GError) error = NULL;
  gsize page_bytes = 0;
  gint64 start, total_us = 0;
  guint n_dossiers = 0, n_records = 0;

  if (!g_test_perf ())
    {
      g_test_skip ("a measurement: run with -m perf");
      return;
    }

  if (files != NULL)
    {
      g_auto(GStrv) names = g_strsplit (files, ":", -1);

      pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
      for (guint i = 0; names[i] != NULL; i++)
        {
          g_autoptr(GMappedFile) file = g_mapped_file_new (names[i], FALSE, &error);

          g_assert_no_error (error);
          g_ptr_array_add (pages, g_bytes_new (g_mapped_file_get_contents (file), g_mapped_file_get_length (file)));
        }
    }
  else
    pages = synthetic_snapshot_pages ();

  store = open_test_store ();
  for (guint i = 0; i < pages->len; i++)
    {
      GBytes *bytes = g_ptr_array_index (pages, i);
      guint n = 0;
      gint64 us;

      start = g_get_monotonic_time ();
      g_assert_true (regie_store_apply_snapshot_page (store, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                                      NULL, NULL, &n, &error));
      us = g_get_monotonic_time () - start;
      g_assert_no_error (error);
      total_us += us;
      n_dossiers += n;
      page_bytes += g_bytes_get_size (bytes);
      g_test_message ("page %u: %u dossiers, %.1f MB, %.1f ms", i + 1, n, g_bytes_get_size (bytes) / 1e6, us / 1000.0);
    }
  g_test_message ("%u dossiers, %.1f MB in %u pages: %.1f ms", n_dossiers, page_bytes / 1e6, pages->len, total_us / 1000.0);
  g_test_minimized_result (total_us / 1000.0, "snapshot_apply_ms %.1f", total_us / 1000.0);

  /* Reading every dossier (the caseload's summaries) opens every bundle. */
  caseload = regie_store_load_caseload (store, &error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < g_list_model_get_n_items (caseload); i++)
    {
      g_autoptr(RegieCaseloadItem) item = g_list_model_get_item (caseload, i);
      g_autoptr(RegieCase) dossier = regie_store_load_case (store, regie_caseload_item_get_dossier_id (item), &error);

      g_assert_no_error (error);
      n_records += regie_case_get_n_records (dossier);
    }
  g_test_message ("load_case of %u dossiers (%u records): %.1f ms", g_list_model_get_n_items (caseload),
                  n_records, (g_get_monotonic_time () - start) / 1000.0);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(RegieCaseloadItem) item = g_list_model_get_item (caseload, i * 97 % g_list_model_get_n_items (caseload));
      g_autofree char *id = regie_store_add_note (store, regie_caseload_item_get_dossier_id (item),
                                                  "fatima", "Na de snapshot.", &error);

      g_assert_no_error (error);
    }
  g_test_message ("a note in a bundled dossier (expands it): %.2f ms each",
                  (g_get_monotonic_time () - start) / 1000.0 / 100);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store/add-note-offline", test_store_add_note_offline);
  g_test_add_func ("/store/bad-note-text", test_store_bad_note_text);
  g_test_add_func ("/store/truncated-page", test_store_truncated_page);
  g_test_add_func ("/store/pull-keeps-pending", test_store_pull_keeps_pending);
  g_test_add_func ("/store/ack", test_store_ack);
  g_test_add_func ("/store/reopen", test_store_reopen);
  g_test_add_func ("/store/caseload", test_store_caseload);
  g_test_add_func ("/store/put-record-chain", test_store_put_record_chain);
  g_test_add_func ("/store/put-record-refused", test_store_put_record_refused);
  g_test_add_func ("/store/first-pull-fast-path", test_store_first_pull_fast_path);
  g_test_add_func ("/store/first-pull-interrupted", test_store_first_pull_interrupted);
  g_test_add_func ("/store/pull-same-version", test_store_pull_same_version);
  g_test_add_func ("/store/at-rest", test_store_at_rest);
  g_test_add_func ("/store/tampered", test_store_tampered);
  g_test_add_func ("/store/unlock", test_store_unlock);
  g_test_add_func ("/store/legacy", test_store_legacy);
  g_test_add_func ("/store/epoch", test_store_epoch);
  g_test_add_func ("/store/role-guard", test_store_role_guard);
  g_test_add_func ("/store/snapshot", test_store_snapshot);
  g_test_add_func ("/store/snapshot-broken", test_store_snapshot_broken);
  g_test_add_func ("/store/snapshot-write", test_store_snapshot_write);
  g_test_add_func ("/store/snapshot-pull", test_store_snapshot_pull);
  g_test_add_func ("/store/snapshot-at-rest", test_store_snapshot_at_rest);
  g_test_add_func ("/store/snapshot-tampered", test_store_snapshot_tampered);
  g_test_add_func ("/store/snapshot-resume", test_store_snapshot_resume);
  g_test_add_func ("/store/snapshot-perf", test_store_snapshot_perf);

  return g_test_run ();
}
