/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieBench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "regie-store.h"

/* Client-side apply cost in isolation: applies saved pull pages (files
 * named on the command line, in order, e.g. made with curl) to a fresh
 * store and prints the time. A development tool for docs/performance.md,
 * not one of the bench/run figures. */

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RegieStore) store = NULL;
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  gint64 start, opened;
  guint total = 0;

  if (argc < 2)
    {
      g_printerr ("Usage: regie-bench-apply PAGE-FILE...\n");
      return EXIT_FAILURE;
    }

  for (int i = 1; i < argc; i++)
    {
      char *contents;
      gsize len;

      if (!g_file_get_contents (argv[i], &contents, &len, &error))
        {
          g_printerr ("%s\n", error->message);
          return EXIT_FAILURE;
        }
      g_ptr_array_add (pages, g_bytes_new_take (contents, len));
    }

  dir = g_dir_make_tmp ("regie-bench-apply-XXXXXX", &error);
  if (dir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  path = g_build_filename (dir, "store.sqlite", NULL);

  start = g_get_monotonic_time ();
  store = regie_store_open (path, &error);
  if (store == NULL || !regie_store_unlock (store, "bench", REGIE_UNLOCK_CREATE, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  opened = g_get_monotonic_time ();

  for (guint i = 0; i < pages->len; i++)
    {
      gsize len;
      const char *data = g_bytes_get_data (g_ptr_array_index (pages, i), &len);
      gint64 t0 = g_get_monotonic_time ();
      guint n = 0;
      gboolean more = FALSE;

      if (!regie_store_apply_pull_page (store, data, len, NULL, &more, &n, &error))
        {
          g_printerr ("page %u: %s\n", i, error->message);
          return EXIT_FAILURE;
        }
      total += n;
      g_debug ("page %u: %u changes in %.1f ms", i, n, (g_get_monotonic_time () - t0) / 1000.0);
    }

  {
    struct rusage usage;

    getrusage (RUSAGE_SELF, &usage);
    printf ("apply_pages %u pages %u changes %.1f ms (open %.1f ms, process cpu %.0f ms user + %.0f ms sys)\n",
            pages->len, total,
            (g_get_monotonic_time () - opened) / 1000.0, (opened - start) / 1000.0,
            usage.ru_utime.tv_sec * 1e3 + usage.ru_utime.tv_usec / 1e3,
            usage.ru_stime.tv_sec * 1e3 + usage.ru_stime.tv_usec / 1e3);
  }

  g_clear_object (&store);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }

  return EXIT_SUCCESS;
}
