/* SPDX-License-Identifier: EUPL-1.2 */
#include "config.h"

#include <string.h>

#include "regie-test-scan.h"

static gboolean
contains_bytes (const char *haystack,
                gsize       length,
                const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; n > 0 && i + n <= length; i++)
    if (haystack[i] == needle[0] && memcmp (haystack + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

static guint
scan_file (const char         *path,
           const char * const *needles)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK) ||
      !g_file_get_contents (path, &contents, &length, NULL))
    return 0;

  for (guint i = 0; needles[i] != NULL; i++)
    if (contains_bytes (contents, length, needles[i]))
      g_error ("%s holds \"%s\" in plain text", path, needles[i]);
  return 1;
}

static guint
scan_tree (const char         *dir,
           const char * const *needles)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        n += scan_tree (path, needles);
      else
        n += scan_file (path, needles);
    }
  return n;
}

guint
regie_test_assert_no_plain_text (const char         *path,
                                 const char * const *needles)
{
  static const char * const companions[] = { "-wal", "-shm", "-journal" };
  guint n;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return scan_tree (path, needles);

  n = scan_file (path, needles);
  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *companion = g_strconcat (path, companions[i], NULL);

      n += scan_file (companion, needles);
    }
  return n;
}
