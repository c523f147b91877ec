/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include "regie-crypto.h"
#include "regie-store.h"

G_BEGIN_DECLS

/* Shared inside the client core only. */
RegieCaseloadItem *regie_caseload_item_new (const char *dossier_id,
                                            const char *given_names,
                                            const char *family_name,
                                            const char *bsn,
                                            const char *v_number,
                                            const char *birth_date,
                                            const char *doelgroep);

/* A copy of the data key, NULL while locked: for tools and tests that
 * read the file with SQL of their own. */
RegieKey          *regie_store_dup_data_key (RegieStore *self);

G_END_DECLS
