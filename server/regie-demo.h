/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include "regie-server-db.h"

G_BEGIN_DECLS

#define REGIE_DEMO_DEFAULT_SEED      2021
#define REGIE_DEMO_DEFAULT_DOSSIERS  2000
#define REGIE_DEMO_MUNICIPALITY      "Gemeente Demoland"

typedef struct
{
  guint32   seed;
  unsigned  n_dossiers;       /* including the four persona dossiers */
  gboolean  single_caseload;  /* every dossier on fatima (benchmarks) */
  GDate     reference_date;   /* "today" for the data: nothing lies after it */
} RegieDemoOptions;

/* Fills an empty database with the demo municipality of
 * docs/demo-accounts.md: teams, users, and n_dossiers dossiers made
 * deterministically from the seed and the reference date, in one
 * transaction (docs/generator.md). */
gboolean regie_demo_populate (RegieServerDb          *db,
                              const RegieDemoOptions *options,
                              GError                **error);

G_END_DECLS
