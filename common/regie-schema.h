/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The field classes of the permission model: every record kind belongs to
 * exactly one, so a role's access is decided per kind. */
typedef enum
{
  REGIE_FIELD_CLASS_IDENTITY,
  REGIE_FIELD_CLASS_INTAKE,
  REGIE_FIELD_CLASS_HEALTH,
  REGIE_FIELD_CLASS_PIP,
  REGIE_FIELD_CLASS_PROGRESS,
  REGIE_FIELD_CLASS_FINANCE,
  REGIE_FIELD_CLASS_NOTES,
  REGIE_FIELD_CLASS_ADMIN,
  REGIE_N_FIELD_CLASSES,
} RegieFieldClass;

typedef enum
{
  REGIE_FIELD_STRING,     /* one line of printable UTF-8 */
  REGIE_FIELD_TEXT,       /* several lines */
  REGIE_FIELD_IDENT,      /* [a-z0-9._-]{1,64}: user names, team ids */
  REGIE_FIELD_ENUM,       /* one of `values` */
  REGIE_FIELD_DATE,       /* YYYY-MM-DD civil date */
  REGIE_FIELD_MONTH,      /* YYYY-MM */
  REGIE_FIELD_TIMESTAMP,  /* RFC 3339 UTC */
  REGIE_FIELD_INT,        /* integer in [min, max] */
  REGIE_FIELD_MONEY,      /* euro cents, integer in [min, max] */
  REGIE_FIELD_BOOL,
  REGIE_FIELD_BSN,
  REGIE_FIELD_V_NUMBER,
  REGIE_FIELD_OBJECT,     /* nested object described by `fields` */
  REGIE_FIELD_ARRAY,      /* array of objects described by `fields` */
  REGIE_FIELD_STRINGS,    /* array of STRING, or of ENUM when `values` is set */
} RegieFieldType;

typedef struct _RegieFieldSpec RegieFieldSpec;

struct _RegieFieldSpec
{
  const char            *name;
  RegieFieldType         type;
  gboolean               required;
  gint64                 min;        /* INT/MONEY bounds; max length for strings, items for arrays */
  gint64                 max;
  const char * const    *values;     /* ENUM */
  const RegieFieldSpec  *fields;     /* OBJECT / ARRAY, NULL-name terminated */
  const char            *doc;        /* one line for docs/data-model.md */
};

typedef enum
{
  REGIE_SCHEMA_STRICT      = 0,
  /* Accept a BSN that fails the elfproef (nine digits still required), so
   * the rules engine can report it as the finding bsn_invalid. */
  REGIE_SCHEMA_LENIENT_BSN = 1 << 0,
} RegieSchemaFlags;

typedef struct
{
  const char            *name;       /* wire name */
  RegieFieldClass        field_class;
  gboolean               append_only;
  gboolean               one_per_dossier;
  const RegieFieldSpec  *fields;
  const char            *doc;
  /* Checks across members, run on the canonical payload. */
  gboolean             (*validate) (JsonObject *payload,
                                    GError    **error);
} RegieKindSpec;

/* The schema of every record kind, indexed by RegieRecordKind. */
const RegieKindSpec *regie_kind_spec_get           (int              kind);

/* Markdown tables of every kind and member, for docs/data-model.md. */
char                *regie_schema_describe_markdown (void);

const char          *regie_field_class_to_string   (RegieFieldClass  field_class);
gboolean             regie_field_class_from_string (const char      *str,
                                                    RegieFieldClass *out);

/* Validates `node` against `fields` and returns a canonical copy (members in
 * schema order, unknown members refused). `what` names the value in
 * errors, e.g. "pip". */
JsonNode            *regie_schema_canonicalize     (const RegieFieldSpec *fields,
                                                    const char           *what,
                                                    JsonNode             *node,
                                                    RegieSchemaFlags      flags,
                                                    GError              **error);

G_END_DECLS
