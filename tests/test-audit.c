/* SPDX-License-Identifier: EUPL-1.2 */
/* The processing log: append-only, and any tampering breaks the chain. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "regie-audit.h"
#include "regie-error.h"

#define D1 "01900000-0000-7000-8000-000000000001"
#define D2 "01900000-0000-7000-8000-000000000002"

typedef struct
{
  char    *dir;
  sqlite3 *db;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("regie-audit-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "audit.sqlite", NULL);
  g_assert_cmpint (sqlite3_open (path, &f->db), ==, SQLITE_OK);
  g_assert_true (regie_audit_init (f->db, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "audit.sqlite", NULL);

  sqlite3_close (f->db);
  g_unlink (path);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
append_some (Fixture *f)
{
  const char *both[] = { D2, D1 };
  const char *one[] = { D1 };
  const RegieAuditEntry entries[] = {
    { .username = "fatima", .device = "laptop-7", .action = "read", .field_classes = "identity,notes",
      .dossier_ids = both, .n_dossiers = 2 },
    { .username = "fatima", .device = "laptop-7", .action = "write", .field_classes = "notes",
      .dossier_ids = one, .n_dossiers = 1 },
    { .username = "ingrid", .action = "read", .field_classes = "identity",
      .dossier_ids = one, .n_dossiers = 1, .detail = "caseload view" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_true (regie_audit_append (f->db, &entries[i], &error));
      g_assert_no_error (error);
    }
}

static void
test_chain_verifies (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  gint64 n = 0;
  sqlite3_stmt *stmt;

  append_some (f);
  g_assert_true (regie_audit_verify (f->db, &n, &head, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 3);
  g_assert_cmpuint (strlen (head), ==, 64);

  /* Who looked at dossier 1: all three entries. */
  g_assert_cmpint (sqlite3_prepare_v2 (f->db, "SELECT count(*) FROM audit_dossier WHERE dossier_id = ?",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, D1, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 3);
  sqlite3_finalize (stmt);
}

static void
test_append_only (Fixture       *f,
                  gconstpointer  data)
{
  append_some (f);
  g_assert_cmpint (sqlite3_exec (f->db, "UPDATE audit SET username = 'x' WHERE seq = 1", NULL, NULL, NULL),
                   !=, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (f->db, "DELETE FROM audit WHERE seq = 2", NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (f->db, "DELETE FROM audit_dossier", NULL, NULL, NULL), !=, SQLITE_OK);
}

/* Someone with the file drops the triggers and edits: verify finds it. */
static void
test_tampering_detected (Fixture       *f,
                         gconstpointer  data)
{
  const char *tamper[] = {
    "UPDATE audit SET username = 'joost' WHERE seq = 2",
    "UPDATE audit SET action = 'none' WHERE seq = 1",
    "DELETE FROM audit WHERE seq = 2",
    "DELETE FROM audit_dossier WHERE audit_seq = 1 AND dossier_id = '" D2 "'",
    "INSERT INTO audit_dossier VALUES (3, '" D2 "')",
    "UPDATE audit SET detail = NULL WHERE seq = 3",
  };

  for (guint i = 0; i < G_N_ELEMENTS (tamper); i++)
    {
      g_autoptr(GError) error = NULL;

      fixture_tear_down (f, NULL);
      fixture_set_up (f, NULL);
      append_some (f);
      g_test_message ("tamper: %s", tamper[i]);
      g_assert_cmpint (sqlite3_exec (f->db,
                                     "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"
                                     "DROP TRIGGER audit_dossier_no_update; DROP TRIGGER audit_dossier_no_delete;",
                                     NULL, NULL, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (f->db, tamper[i], NULL, NULL, NULL), ==, SQLITE_OK);
      g_assert_false (regie_audit_verify (f->db, NULL, NULL, &error));
      g_assert_error (error, REGIE_ERROR, REGIE_ERROR_INVALID);
    }
}

/* Many entries sharing dossiers: each entry's dossiers are found among
 * all the others' (verify reads them in one ordered pass), and a
 * dossier moved from one entry to another breaks both. */
static void
test_many_entries (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *head = NULL;
  gint64 n = 0;

  g_assert_cmpint (sqlite3_exec (f->db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      RegieAuditEntry entry = { .username = "fatima", .action = "read", .field_classes = "notes" };

      /* Entries 0, 7, 14, … name no dossier; the others 1–12, not sorted. */
      for (guint j = 0; j < (i % 7) * 2; j++)
        g_ptr_array_add (ids, g_strdup_printf ("01900000-0000-7000-8000-%012u", (i * 31 + j * 17) % 97));
      entry.dossier_ids = (const char * const *) ids->pdata;
      entry.n_dossiers = ids->len;
      g_assert_true (regie_audit_append (f->db, &entry, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (sqlite3_exec (f->db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);

  g_assert_true (regie_audit_verify (f->db, &n, &head, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 300);

  g_assert_cmpint (sqlite3_exec (f->db,
                                 "DROP TRIGGER audit_dossier_no_update;"
                                 "UPDATE audit_dossier SET audit_seq = 151 WHERE audit_seq = 150 "
                                 "AND dossier_id = (SELECT min (dossier_id) FROM audit_dossier WHERE audit_seq = 150)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (f->db), ==, 1);
  g_assert_false (regie_audit_verify (f->db, NULL, NULL, &error));
  g_assert_error (error, REGIE_ERROR, REGIE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "entry 150 "));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/audit/chain-verifies", Fixture, NULL, fixture_set_up, test_chain_verifies, fixture_tear_down);
  g_test_add ("/audit/append-only", Fixture, NULL, fixture_set_up, test_append_only, fixture_tear_down);
  g_test_add ("/audit/tampering-detected", Fixture, NULL, fixture_set_up, test_tampering_detected, fixture_tear_down);
  g_test_add ("/audit/many-entries", Fixture, NULL, fixture_set_up, test_many_entries, fixture_tear_down);

  return g_test_run ();
}
