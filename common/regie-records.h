/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <json-glib/json-glib.h>

#include "regie-types.h"

G_BEGIN_DECLS

/* Limits shared by server and client. */
#define REGIE_MAX_PAYLOAD_BYTES   (64 * 1024)
#define REGIE_MAX_NOTE_BYTES      (20 * 1000)
#define REGIE_MAX_NAME_BYTES      200

#define REGIE_TYPE_PERSON (regie_person_get_type ())
G_DECLARE_FINAL_TYPE (RegiePerson, regie_person, REGIE, PERSON, GObject)

RegiePerson    *regie_person_new_from_json  (JsonNode     *node,
                                             GError      **error);
JsonNode       *regie_person_to_json        (RegiePerson  *self);
const char     *regie_person_get_bsn        (RegiePerson  *self);
const char     *regie_person_get_v_number   (RegiePerson  *self);
const char     *regie_person_get_given_names (RegiePerson *self);
const char     *regie_person_get_family_name (RegiePerson *self);
const char     *regie_person_get_birth_date (RegiePerson  *self);
RegieDoelgroep  regie_person_get_doelgroep  (RegiePerson  *self);
char           *regie_person_dup_full_name  (RegiePerson  *self);

#define REGIE_TYPE_DOSSIER (regie_dossier_get_type ())
G_DECLARE_FINAL_TYPE (RegieDossier, regie_dossier, REGIE, DOSSIER, GObject)

RegieDossier       *regie_dossier_new_from_json   (JsonNode     *node,
                                                   GError      **error);
JsonNode           *regie_dossier_to_json         (RegieDossier *self);
RegieDossierStatus  regie_dossier_get_status      (RegieDossier *self);
const char         *regie_dossier_get_opened_on   (RegieDossier *self);
const char         *regie_dossier_get_notified_on (RegieDossier *self);

#define REGIE_TYPE_ASSIGNMENT (regie_assignment_get_type ())
G_DECLARE_FINAL_TYPE (RegieAssignment, regie_assignment, REGIE, ASSIGNMENT, GObject)

RegieAssignment *regie_assignment_new_from_json     (JsonNode        *node,
                                                     GError         **error);
JsonNode        *regie_assignment_to_json           (RegieAssignment *self);
const char      *regie_assignment_get_team          (RegieAssignment *self);
const char      *regie_assignment_get_klantmanager  (RegieAssignment *self);

#define REGIE_TYPE_NOTE (regie_note_get_type ())
G_DECLARE_FINAL_TYPE (RegieNote, regie_note, REGIE, NOTE, GObject)

RegieNote   *regie_note_new                (const char  *author,
                                            const char  *created_at,
                                            const char  *text);
RegieNote   *regie_note_new_from_json      (JsonNode    *node,
                                            GError     **error);
JsonNode    *regie_note_to_json            (RegieNote   *self);
const char  *regie_note_get_author         (RegieNote   *self);
const char  *regie_note_get_created_at     (RegieNote   *self);
const char  *regie_note_get_text           (RegieNote   *self);

/* Parses and validates a payload of the given kind (JSON object text) by
 * building the matching type; on success returns the payload re-serialised
 * in canonical form (members in a fixed order, no unknown members). */
char        *regie_record_canonicalize     (RegieRecordKind   kind,
                                            const char       *payload,
                                            gssize            length,
                                            GError          **error);
GObject     *regie_record_new_from_payload (RegieRecordKind   kind,
                                            const char       *payload,
                                            gssize            length,
                                            GError          **error);

/* Small json-glib helpers shared by the decoders. */
JsonNode    *regie_json_parse              (const char  *text,
                                            gssize       length,
                                            GError     **error);
char        *regie_json_to_string          (JsonNode    *node);
/* The top-level string members `names` (NULL-terminated) of a JSON object,
 * without building a tree: out_values[i] is the decoded text (free it),
 * or NULL when the member is absent or not a string. FALSE (and nothing
 * set) when the text is not a well-formed object, or has a name twice;
 * then use regie_json_parse(). For reading many stored, already
 * validated records fast. */
gboolean     regie_json_scan_strings       (const char          *text,
                                            gsize                length,
                                            const char * const  *names,
                                            char               **out_values);

G_END_DECLS
