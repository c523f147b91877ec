/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* For the encryption-at-rest tests: reads every regular file at `path`
 * (a file, with its "-wal", "-shm" and "-journal" companions, or a
 * directory, recursively) and fails the test when any holds one of
 * `needles` (NULL-terminated) byte for byte. Returns how many files it
 * read. */
guint regie_test_assert_no_plain_text (const char         *path,
                                       const char * const *needles);

G_END_DECLS
