/* SPDX-License-Identifier: EUPL-1.2 */
/* Walks the whole permission matrix: every role × kind × scope cell. */
#include "config.h"

#include <string.h>

#include "regie-permissions.h"

static void
test_every_cell (void)
{
  for (int role = REGIE_ROLE_KLANTMANAGER; role <= REGIE_ROLE_BEHEERDER; role++)
    for (int kind = 0; kind < REGIE_N_RECORD_KINDS; kind++)
      {
        RegieFieldClass fc = regie_kind_spec_get (kind)->field_class;
        gboolean r = regie_permissions_may_read (role, kind);
        gboolean w = regie_permissions_may_write (role, kind);

        g_test_message ("%s × %s", regie_role_to_string (role), regie_record_kind_to_string (kind));
        /* Writing implies reading. */
        g_assert_true (!w || r);

        switch (role)
          {
          case REGIE_ROLE_KLANTMANAGER:
            g_assert_true (r);
            g_assert_cmpint (w, ==, kind != REGIE_RECORD_ASSIGNMENT && kind != REGIE_RECORD_DOSSIER);
            break;
          case REGIE_ROLE_COORDINATOR:
            /* Never health; intake and finance read-only. */
            g_assert_cmpint (r, ==, fc != REGIE_FIELD_CLASS_HEALTH);
            g_assert_cmpint (w, ==, fc != REGIE_FIELD_CLASS_HEALTH && fc != REGIE_FIELD_CLASS_INTAKE &&
                                    fc != REGIE_FIELD_CLASS_FINANCE);
            break;
          case REGIE_ROLE_INKOMENSCONSULENT:
            /* Identity and money only; never intake, health, plan or notes. */
            if (fc == REGIE_FIELD_CLASS_INTAKE || fc == REGIE_FIELD_CLASS_HEALTH ||
                fc == REGIE_FIELD_CLASS_NOTES || fc == REGIE_FIELD_CLASS_PIP ||
                fc == REGIE_FIELD_CLASS_PROGRESS)
              g_assert_false (r);
            g_assert_cmpint (w, ==, fc == REGIE_FIELD_CLASS_FINANCE);
            break;
          case REGIE_ROLE_BEHEERDER:
            g_assert_false (r);
            g_assert_false (w);
            break;
          default:
            g_assert_not_reached ();
          }
      }
}

static void
test_scopes (void)
{
  const struct {
    RegieRole role; const char *user, *team, *d_team, *d_km; gboolean ontzorgen; gboolean in;
  } rows[] = {
    { REGIE_ROLE_KLANTMANAGER, "fatima", "team-noord", "team-noord", "fatima", FALSE, TRUE },
    { REGIE_ROLE_KLANTMANAGER, "fatima", "team-noord", "team-noord", "joost", FALSE, FALSE },
    { REGIE_ROLE_KLANTMANAGER, "fatima", "team-noord", "team-zuid", "sanne", TRUE, FALSE },
    { REGIE_ROLE_COORDINATOR, "ingrid", "team-noord", "team-noord", "joost", FALSE, TRUE },
    { REGIE_ROLE_COORDINATOR, "ingrid", "team-noord", "team-zuid", "sanne", FALSE, FALSE },
    { REGIE_ROLE_COORDINATOR, "ingrid", NULL, NULL, "sanne", FALSE, FALSE },
    { REGIE_ROLE_INKOMENSCONSULENT, "ruud", "team-centrum", "team-zuid", "sanne", TRUE, TRUE },
    { REGIE_ROLE_INKOMENSCONSULENT, "ruud", "team-centrum", "team-centrum", "lotte", FALSE, FALSE },
    { REGIE_ROLE_BEHEERDER, "beheer", NULL, "team-noord", "fatima", TRUE, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_test_message ("row %u", i);
      g_assert_cmpint (regie_permissions_in_scope (rows[i].role, rows[i].user, rows[i].team,
                                                   rows[i].d_team, rows[i].d_km, rows[i].ontzorgen),
                       ==, rows[i].in);
    }
}

/* docs/permissions.md states the same matrix. */
static void
test_documented (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "docs", "permissions.md", NULL);
  g_autofree char *doc = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &doc, NULL, &error);
  g_assert_no_error (error);
  for (int role = REGIE_ROLE_KLANTMANAGER; role <= REGIE_ROLE_BEHEERDER; role++)
    {
      GString *row = g_string_new (NULL);

      g_string_append_printf (row, "| %s | %s |", regie_role_to_string (role),
                              regie_scope_to_string (regie_permissions_get_scope (role)));
      for (int fc = 0; fc < REGIE_N_FIELD_CLASSES; fc++)
        g_string_append_printf (row, " %s |", regie_access_to_string (regie_permissions_get_access (role, fc)));
      g_test_message ("%s", row->str);
      g_assert_nonnull (strstr (doc, row->str));
      g_string_free (row, TRUE);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/permissions/every-cell", test_every_cell);
  g_test_add_func ("/permissions/scopes", test_scopes);
  g_test_add_func ("/permissions/documented", test_documented);

  return g_test_run ();
}
