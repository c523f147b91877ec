/* SPDX-License-Identifier: EUPL-1.2 */
#include "config.h"

#include "fault-sql.h"

static void
regie_open_func (sqlite3_context *context,
                 int              argc,
                 sqlite3_value  **argv)
{
  RegieKey *key = sqlite3_user_data (context);
  const char *id = (const char *) sqlite3_value_text (argv[0]);
  char *text;
  gsize length = 0;

  if (id == NULL || sqlite3_value_type (argv[1]) != SQLITE_BLOB)
    {
      sqlite3_result_null (context);
      return;
    }

  text = regie_key_open (key, sqlite3_value_blob (argv[1]), (gsize) sqlite3_value_bytes (argv[1]),
                         id, &length, NULL);
  if (text == NULL)
    sqlite3_result_null (context);
  else
    sqlite3_result_text64 (context, text, length, g_free, SQLITE_UTF8);
}

static void
free_key (void *key)
{
  regie_key_free (key);
}

void
fault_sql_register_open (sqlite3  *db,
                         RegieKey *key)
{
  g_assert (key != NULL);
  g_assert_cmpint (sqlite3_create_function_v2 (db, "regie_open", 2, SQLITE_UTF8, key,
                                               regie_open_func, NULL, NULL, free_key), ==, SQLITE_OK);
}
