/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <sqlite3.h>

#include "regie-crypto.h"

/* Registers regie_open(record_id, payload) on `db`: the plain text of a
 * payload sealed in a client store with `key` (taken over), NULL when it
 * does not open. For the fault harness's own queries of client stores. */
void fault_sql_register_open (sqlite3  *db,
                              RegieKey *key);
