/* SPDX-License-Identifier: EUPL-1.2 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "regie-error.h"
#include "server-test-util.h"

/* Hostile input (docs/security.md): hundreds of malformed, mistyped,
 * oversized, forbidden and misdirected requests against a running server
 * over real TLS. Every one must get a 4xx with a JSON error body that
 * names the reason, none a 5xx, and none may write: afterwards the
 * server still answers and every team's records and the sequence are
 * exactly as before. */

typedef enum
{
  AS_NOBODY,        /* no Authorization header */
  AS_KLANTMANAGER,  /* fatima, team-noord */
  AS_COORDINATOR,   /* ingrid, team-noord */
  AS_OTHER_COORD,   /* pieter, team-zuid */
  AS_INKOMEN,       /* ruud */
  AS_BEHEERDER,     /* beheer */
  AS_BAD_TOKEN,     /* 64 hex characters nobody was given */
  N_AS
} As;

typedef struct
{
  char     *name;
  char     *method;
  char     *path;
  As        as;
  GBytes   *body;       /* NULL: none */
  char     *protocol;   /* Regie-Protocol value; NULL: "1" */
  char     *extra_name; /* an extra (or repeated) header */
  char     *extra_value;
  unsigned  status;     /* 0: any 4xx */
  char     *code;       /* NULL: any error code */
  char     *raw;        /* sent as is instead (over TLS); "%TOKEN%" becomes the token */
} Case;

static void
case_free (Case *c)
{
  g_free (c->name);
  g_free (c->method);
  g_free (c->path);
  g_clear_pointer (&c->body, g_bytes_unref);
  g_free (c->protocol);
  g_free (c->extra_name);
  g_free (c->extra_value);
  g_free (c->code);
  g_free (c->raw);
  g_free (c);
}

static GPtrArray *cases;
static char *tokens[N_AS];
static GTlsCertificate *server_certificate;

static Case *
add (const char *method,
     const char *path,
     As          as,
     const char *body,      /* NUL-terminated, or NULL */
     unsigned    status,
     const char *code,
     const char *name_format,
     ...) G_GNUC_PRINTF (7, 8);

static Case *
add (const char *method,
     const char *path,
     As          as,
     const char *body,
     unsigned    status,
     const char *code,
     const char *name_format,
     ...)
{
  Case *c = g_new0 (Case, 1);
  va_list args;

  va_start (args, name_format);
  c->name = g_strdup_vprintf (name_format, args);
  va_end (args);
  c->method = g_strdup (method);
  c->path = g_strdup (path);
  c->as = as;
  if (body != NULL)
    c->body = g_bytes_new (body, strlen (body));
  c->status = status;
  c->code = g_strdup (code);
  g_ptr_array_add (cases, c);
  return c;
}

static Case *
add_bytes (const char *method,
           const char *path,
           As          as,
           GBytes     *body,   /* takes */
           unsigned    status,
           const char *code,
           const char *name)
{
  Case *c = add (method, path, as, NULL, status, code, "%s", name);

  c->body = body;
  return c;
}

/* ---- building the cases ------------------------------------------------- */

static const char * const wrong_values[] = {
  "1", "-1", "1.5", "true", "null", "[]", "{}", "\"\"", "[\"a\"]", "{\"a\":1}",
};

#define NOTE_ID   "01900000-0000-7000-8fff-000000000001"
#define MUT_ID    "01900000-0000-7000-8ffe-000000000001"

/* A valid push of one note by fatima, with one member replaced. */
static char *
push_with (const char *member,
           const char *value)
{
  const char *names[] = { "id", "record_id", "dossier_id", "kind", "base_version", "payload" };
  const char *values[] = {
    "\"" MUT_ID "\"", "\"" NOTE_ID "\"", "\"" PERSONA_TESFAY "\"", "\"note\"", "0",
    "{\"author\":\"fatima\",\"created_at\":\"2025-01-02T10:00:00Z\",\"text\":\"Hallo\"}",
  };
  GString *out = g_string_new ("{\"mutations\":[{");

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_printf (out, "\"%s\":%s", names[i],
                              g_strcmp0 (names[i], member) == 0 ? value : values[i]);
    }
  g_string_append (out, "]}");
  /* Fix the bracket order: "}]}" closes mutation, array, object. */
  g_string_truncate (out, out->len - 2);
  g_string_append (out, "}]}");
  return g_string_free (out, FALSE);
}

static char *
note_with_text (const char *json_text)
{
  g_autofree char *payload = g_strdup_printf ("{\"author\":\"fatima\",\"created_at\":"
                                              "\"2025-01-02T10:00:00Z\",\"text\":%s}", json_text);
  return push_with ("payload", payload);
}

static char *
person_with (const char *member,
             const char *value)
{
  const char *names[] = { "bsn", "v_number", "given_names", "family_name", "birth_date", "doelgroep" };
  const char *values[] = { "\"111222333\"", "\"1234567890\"", "\"Lina\"", "\"Haddad\"",
                           "\"1999-05-01\"", "\"gezinsmigrant\"" };
  g_autoptr(GString) payload = g_string_new ("{");
  g_autofree char *body = NULL;
  g_autofree char *with_kind = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_string_append_printf (payload, "%s\"%s\":%s", i > 0 ? "," : "", names[i],
                            g_strcmp0 (names[i], member) == 0 ? value : values[i]);
  g_string_append_c (payload, '}');

  body = push_with ("payload", payload->str);
  /* Same mutation, kind person. */
  with_kind = g_strdup (body);
  {
    char *at = strstr (with_kind, "\"kind\":\"note\"");
    g_assert_nonnull (at);
    memcpy (at, "\"kind\":\"XXXX\"", 13);
  }
  {
    g_autoptr(GString) fixed = g_string_new (with_kind);
    g_string_replace (fixed, "\"kind\":\"XXXX\"", "\"kind\":\"person\"", 1);
    return g_string_free (g_steal_pointer (&fixed), FALSE);
  }
}

static char *
nested (const char *open,
        const char *close,
        unsigned    depth)
{
  GString *out = g_string_new (NULL);

  for (unsigned i = 0; i < depth; i++)
    g_string_append (out, open);
  g_string_append (out, "1");
  for (unsigned i = 0; i < depth; i++)
    g_string_append (out, close);
  return g_string_free (out, FALSE);
}

static GBytes *
filled (gsize size,
        char  c)
{
  char *data = g_malloc (size);

  memset (data, c, size);
  return g_bytes_new_take (data, size);
}

static void
build_session_cases (void)
{
  static const char * const malformed[] = {
    "", " ", "{", "}", "[", "{\"username\":", "{\"username\":\"a\",}", "nul", "{'username':'a'}",
    "{\"username\":\"a\" \"password\":\"b\"}", "{}x", "[]", "1", "\"str\"", "null", "true",
    "{\"username\":\"a\",\"password\":\"b\"", "\xff\xfe{}", "{\"username\":\"\xc0\xaf\"}",
    "{\"username\":\"a\\ud800\",\"password\":", "\xef\xbb\xbf{\"username\":1}",
  };
  const char *members[] = { "username", "password" };

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    add ("POST", "/api/v1/session", AS_NOBODY, malformed[i], 400, NULL, "session malformed %u", i);

  for (guint m = 0; m < G_N_ELEMENTS (members); m++)
    for (guint v = 0; v < G_N_ELEMENTS (wrong_values); v++)
      {
        g_autofree char *body = NULL;

        /* An empty password is a string: a wrong password, not a type error. */
        if (m == 1 && g_str_equal (wrong_values[v], "\"\""))
          continue;
        body = g_strdup_printf (m == 0 ? "{\"username\":%s,\"password\":\"x\"}"
                                                        : "{\"username\":\"nobody\",\"password\":%s}",
                                                 wrong_values[v]);
        add ("POST", "/api/v1/session", AS_NOBODY, body, 400, "invalid",
             "session %s = %s", members[m], wrong_values[v]);
      }

  /* The device members: wrong types, not UUIDs, names that hide things. */
  {
    static const char * const device_ids[] = {
      "1", "true", "null", "[]", "{}", "\"\"", "\"not-a-uuid\"", "\"01900000-0000-7000-8000\"",
      "\"01900000-0000-7000-8000-00000000000g\"", "\"01900000-0000-7000-8000-0000000000011\"",
      "\"\\u202e1900000-0000-7000-8000-000000000001\"", "\"01900000-0000-7000-8000-00000000000\\u0000\"",
    };
    static const char * const names[] = {
      "1", "null", "[]", "\"\"", "\"laptop\\u0000evil\"", "\"laptop\\u202egnp.exe\"",
      "\"a\\u0007b\"", "\"\\ufeffname\"", "\"tab\\tname\"", "\"new\\nline\"",
    };

    for (guint i = 0; i < G_N_ELEMENTS (device_ids); i++)
      {
        g_autofree char *body = g_strdup_printf ("{\"username\":\"nobody\",\"password\":\"x\","
                                                 "\"device_id\":%s}", device_ids[i]);
        add ("POST", "/api/v1/session", AS_NOBODY, body, 400, NULL, "session device_id %u", i);
      }
    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *body = g_strdup_printf ("{\"username\":\"nobody\",\"password\":\"x\","
                                                 "\"device_id\":\"01900000-0000-7000-8000-000000000001\","
                                                 "\"device_name\":%s}", names[i]);
        add ("POST", "/api/v1/session", AS_NOBODY, body, 400, NULL, "session device_name %u", i);
      }
    {
      g_autofree char *long_name = g_strnfill (201, 'n');
      g_autofree char *body = g_strdup_printf ("{\"username\":\"nobody\",\"password\":\"x\","
                                               "\"device_id\":\"01900000-0000-7000-8000-000000000001\","
                                               "\"device_name\":\"%s\"}", long_name);
      add ("POST", "/api/v1/session", AS_NOBODY, body, 400, "invalid", "session device_name 201 bytes");
    }
  }

  {
    g_autofree char *long_user = g_strnfill (201, 'u');
    g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"x\"}", long_user);
    add ("POST", "/api/v1/session", AS_NOBODY, body, 400, "invalid", "session username 201 bytes");
    add ("POST", "/api/v1/session", AS_NOBODY, "{\"username\":\"\",\"password\":\"x\"}", 400,
         "invalid", "session empty username");
    add ("POST", "/api/v1/session", AS_NOBODY, "{\"password\":\"x\"}", 400, "invalid",
         "session no username");
  }

  /* Wrong credentials: a few only, for an account nobody uses (throttling). */
  add ("POST", "/api/v1/session", AS_NOBODY, "{\"username\":\"nobody\",\"password\":\"x\"}", 401,
       "auth", "session unknown user");
  add ("POST", "/api/v1/session", AS_NOBODY,
       "{\"username\":\"nobody\\u0000\",\"password\":\"demo-nobody\"}", 400, NULL,
       "session NUL in user name");

  add_bytes ("POST", "/api/v1/session", AS_NOBODY, filled (4 * 1024 + 1, ' '), 413, "too_large",
             "session body just over 4 KiB");
  {
    g_autofree char *deep = nested ("[", "]", 100000);
    add ("POST", "/api/v1/session", AS_NOBODY, deep, 0, NULL, "session deep nesting");
  }
}

static void
build_push_cases (void)
{
  const char *members[] = { "id", "record_id", "dossier_id", "kind", "base_version", "payload" };
  g_autofree char *valid = push_with (NULL, NULL);
  gsize len = strlen (valid);

  /* Cut off at every nesting level and between. */
  for (gsize cut = 1; cut < len; cut += MAX (len / 40, 1))
    {
      g_autofree char *prefix = g_strndup (valid, cut);
      add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, prefix, 400, NULL,
           "push cut at %" G_GSIZE_FORMAT, cut);
    }

  /* Every member of a mutation with every wrong type. */
  for (guint m = 0; m < G_N_ELEMENTS (members); m++)
    for (guint v = 0; v < G_N_ELEMENTS (wrong_values); v++)
      {
        g_autofree char *body = NULL;

        /* A whole number is a base_version of the right type: a stale
         * version, answered 200 "conflict" (stale_cases below). */
        if (g_str_equal (members[m], "base_version") &&
            g_str_equal (wrong_values[v], "1"))
          continue;
        body = push_with (members[m], wrong_values[v]);
        add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, body, 400, NULL,
             "push %s = %s", members[m], wrong_values[v]);
      }

  /* The envelope. */
  for (guint v = 0; v < G_N_ELEMENTS (wrong_values); v++)
    {
      g_autofree char *body = g_strdup_printf ("{\"mutations\":%s}", wrong_values[v]);

      if (g_str_equal (wrong_values[v], "[]"))
        continue;   /* an empty batch is valid */
      add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, body, 400, NULL,
           "push mutations = %s", wrong_values[v]);
    }
  add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, "{}", 400, NULL, "push no mutations");
  add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, "{\"mutations\":[],\"extra\":1}", 400, NULL,
       "push unknown top member");
  add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, "{\"mutations\":[1]}", 400, NULL,
       "push mutation not an object");
  {
    g_autofree char *body = push_with ("kind", "\"note\",\"extra\":true");
    add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, body, 400, NULL, "push unknown mutation member");
  }

  /* Unknown kinds and odd spellings. */
  {
    static const char * const kinds[] = {
      "\"bogus\"", "\"NOTE\"", "\"note \"", "\"\"", "\"not\\u0065\\u0000\"", "\"\\u202enote\"",
    };
    for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
      {
        g_autofree char *body = push_with ("kind", kinds[i]);
        add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, body, 400, NULL, "push kind %u", i);
      }
  }

  /* Ids that are not UUIDs. */
  {
    static const char * const ids[] = {
      "\"x\"", "\"01900000-0000-7000-8000-00000000000\"", "\"../../etc/passwd\"",
      "\"01900000-0000-7000-8000-000000000001\\u0000\"", "\"\\ud800\"",
    };
    for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
      for (guint m = 0; m < 3; m++)
        {
          g_autofree char *body = push_with (members[m], ids[i]);
          add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, body, 400, NULL,
               "push %s id %u", members[m], i);
        }
  }

  /* Numbers. */
  {
    static const char * const versions[] = {
      "1e309", "9223372036854775808", "1.0", "\"0\"", "NaN", "--1", "+1",
    };
    for (guint i = 0; i < G_N_ELEMENTS (versions); i++)
      {
        g_autofree char *body = push_with ("base_version", versions[i]);
        add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, body, 400, NULL,
             "push base_version %s", versions[i]);
      }
  }

  /* Odd text: invalid UTF-8, lone surrogates, NUL, too long. */
  {
    g_autofree char *overlong = note_with_text ("\"\xc0\xaf\"");
    g_autofree char *bad_utf8 = note_with_text ("\"\xff\xfe\"");
    g_autofree char *surrogate = note_with_text ("\"\\ud800\"");
    g_autofree char *low = note_with_text ("\"\\udc00x\"");
    g_autofree char *nul = note_with_text ("\"a\\u0000b\"");
    g_autofree char *empty = note_with_text ("\"\"");
    g_autofree char *big_text = g_strnfill (20001, 'x');
    g_autofree char *big_json = g_strdup_printf ("\"%s\"", big_text);
    g_autofree char *too_long = note_with_text (big_json);
    g_autofree char *deep = nested ("{\"a\":", "}", 50000);
    g_autofree char *deep_payload = push_with ("payload", deep);
    g_autofree char *deep_array = nested ("[", "]", 50000);
    g_autofree char *deep_array_payload = push_with ("payload", deep_array);

    add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, overlong, 400, NULL, "push overlong UTF-8");
    add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, bad_utf8, 400, NULL, "push invalid UTF-8");
    add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, surrogate, 400, NULL, "push lone surrogate");
    add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, low, 400, NULL, "push lone low surrogate");
    add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, nul, 400, NULL, "push NUL escape");
    add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, empty, 400, NULL, "push empty note");
    add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, too_long, 0, NULL, "push note over 20,000 bytes");
    add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, deep_payload, 400, NULL, "push deep object");
    add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, deep_array_payload, 400, NULL, "push deep array");
  }

  /* Note members. */
  {
    g_autofree char *extra = push_with ("payload", "{\"author\":\"fatima\",\"created_at\":"
                                                   "\"2025-01-02T10:00:00Z\",\"text\":\"x\",\"evil\":1}");
    g_autofree char *bad_time = push_with ("payload", "{\"author\":\"fatima\",\"created_at\":"
                                                      "\"2025-02-29T10:00:00Z\",\"text\":\"x\"}");
    g_autofree char *no_author = push_with ("payload", "{\"created_at\":\"2025-01-02T10:00:00Z\","
                                                       "\"text\":\"x\"}");
    add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, extra, 400, NULL, "push unknown payload member");
    add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, bad_time, 400, NULL, "push 29 Feb 2025 time");
    add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, no_author, 400, NULL, "push note without author");
  }

  /* Dates and numbers of a person. */
  {
    static const char * const dates[] = {
      "\"2025-02-29\"", "\"2024-13-01\"", "\"0000-01-01\"", "\"2024-1-1\"", "\"2024-02-30\"",
      "\"2024-00-10\"", "\"\"", "\"2024-02-10T00:00:00Z\"", "\" 2024-02-10\"", "19990501",
      "\"\\u202e2024-02-10\"", "\"2024\\u00002-10\"",
    };
    static const char * const bsns[] = {
      "\"12345678\"", "\"1234567890\"", "\"abcdefghi\"", "111222333", "\"\\uff11\\uff11\\uff11222333\"",
      "\"111 222 333\"",
    };
    for (guint i = 0; i < G_N_ELEMENTS (dates); i++)
      {
        g_autofree char *body = person_with ("birth_date", dates[i]);
        add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, body, 400, NULL, "push birth_date %s", dates[i]);
      }
    for (guint i = 0; i < G_N_ELEMENTS (bsns); i++)
      {
        g_autofree char *body = person_with ("bsn", bsns[i]);
        add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, body, 400, NULL, "push bsn %u", i);
      }
    {
      g_autofree char *body = person_with ("doelgroep", "\"toerist\"");
      add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, body, 400, NULL, "push unknown doelgroep");
    }
  }

  /* Forbidden: outside scope, kinds a role may not write, roles that
   * write nothing. */
  {
    g_autofree char *other = push_with ("dossier_id", "\"01900000-0000-7000-8000-0000000fffff\"");
    g_autofree char *assignment = push_with ("kind", "\"assignment\"");
    g_autofree char *note = push_with (NULL, NULL);

    add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, other, 403, "forbidden", "push outside scope");
    add ("POST", "/api/v1/sync/push", AS_OTHER_COORD, note, 403, "forbidden", "push other team");
    add ("POST", "/api/v1/sync/push", AS_INKOMEN, note, 403, "forbidden", "push inkomensconsulent");
    add ("POST", "/api/v1/sync/push", AS_BEHEERDER, note, 403, "forbidden", "push beheerder");
    (void) assignment;
  }

  /* Sizes. */
  add_bytes ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, filled (8 * 1024 * 1024 + 1, ' '), 413,
             "too_large", "push body just over 8 MiB");
  {
    GString *many = g_string_new ("{\"mutations\":[");

    for (guint i = 0; i < 5001; i++)
      g_string_append_printf (many, "%s{\"id\":\"01900000-0000-7000-8ffd-%012u\",\"record_id\":"
                              "\"01900000-0000-7000-8ffc-%012u\",\"dossier_id\":\"" PERSONA_TESFAY
                              "\",\"kind\":\"note\",\"base_version\":0,\"payload\":{\"author\":"
                              "\"fatima\",\"created_at\":\"2025-01-02T10:00:00Z\",\"text\":\"x\"}}",
                              i > 0 ? "," : "", i, i);
    g_string_append (many, "]}");
    add ("POST", "/api/v1/sync/push", AS_KLANTMANAGER, many->str, 0, NULL, "push 5,001 mutations");
    g_string_free (many, TRUE);
  }
}

static void
build_pull_cases (void)
{
  static const char * const bad[] = {
    "cursor=-1", "cursor=abc", "cursor=1e3", "cursor=", "cursor=0x10", "cursor=%2B1", "cursor=%201",
    "cursor=1%20", "cursor=99999999999999999999", "cursor=9223372036854775807", "limit=0",
    "limit=20001", "limit=-5", "limit=1.5", "limit=", "limit=99999999999999999999", "limit=%00",
    "cursor=%00", "limit=ten",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/sync/pull?%s", bad[i]);
      add ("GET", path, AS_KLANTMANAGER, NULL, 0, NULL, "pull %s", bad[i]);
    }
}

static void
build_settings_cases (void)
{
  const char *members[] = {
    "leefgeld_threshold_cents", "progress_talk_weeks", "fine_asylum_status_holders",
    "retention_months", "pip_due_lead_days", "toeslag_grace_days", "free_exam_attempts",
  };
  const char *values[] = { "\"1\"", "[]", "{}", "-1", "1e12", "\"\"", "null" };

  for (guint m = 0; m < G_N_ELEMENTS (members); m++)
    for (guint v = 0; v < G_N_ELEMENTS (values); v++)
      {
        g_autofree char *body = g_strdup_printf ("{\"%s\":%s}", members[m], values[v]);

        /* -1 is fine for nothing, 1e12 neither; booleans refuse numbers;
         * null is no value (and not "the default"). */
        add ("PUT", "/api/v1/settings", AS_BEHEERDER, body, 400, NULL,
             "settings %s = %s", members[m], values[v]);
      }
  add ("PUT", "/api/v1/settings", AS_BEHEERDER, "{\"unknown\":1}", 400, NULL, "settings unknown member");
  add ("PUT", "/api/v1/settings", AS_BEHEERDER, "{\"version\":3}", 400, NULL, "settings version member");
  add ("PUT", "/api/v1/settings", AS_BEHEERDER, "{", 400, "parse", "settings malformed");
  add ("PUT", "/api/v1/settings", AS_BEHEERDER, "[]", 400, NULL, "settings array");
  add_bytes ("PUT", "/api/v1/settings", AS_BEHEERDER, filled (64 * 1024 + 1, ' '), 413, "too_large",
             "settings body just over 64 KiB");
  add ("PUT", "/api/v1/settings", AS_KLANTMANAGER, "{}", 403, "forbidden", "settings as klantmanager");
  add ("PUT", "/api/v1/settings", AS_COORDINATOR, "{}", 403, "forbidden", "settings as coordinator");
  add ("PUT", "/api/v1/settings", AS_INKOMEN, "{}", 403, "forbidden", "settings as inkomensconsulent");
}

static void
build_account_cases (void)
{
  static const char * const bodies[] = {
    "", "{", "[]", "{\"current_password\":1,\"new_password\":\"abcdefghijklmnop\"}",
    "{\"current_password\":\"demo-fatima\"}", "{\"new_password\":\"abcdefghijklmnop\"}",
    "{\"current_password\":\"demo-fatima\",\"new_password\":\"short\"}",
    "{\"current_password\":\"demo-fatima\",\"new_password\":null}",
    "{\"current_password\":\"demo-fatima\",\"new_password\":\"\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\"}",
  };
  const As roles[] = { AS_KLANTMANAGER, AS_COORDINATOR, AS_INKOMEN };
  const char *role_names[] = { "klantmanager", "coordinator", "inkomensconsulent" };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    add ("POST", "/api/v1/session/password", AS_KLANTMANAGER, bodies[i], 0, NULL, "password body %u", i);
  add_bytes ("POST", "/api/v1/session/password", AS_KLANTMANAGER, filled (4 * 1024 + 1, ' '), 413,
             "too_large", "password body just over 4 KiB");

  /* Every beheerder endpoint for every other role. */
  for (guint r = 0; r < G_N_ELEMENTS (roles); r++)
    {
      add ("GET", "/api/v1/admin/users", roles[r], NULL, 403, "forbidden", "users as %s", role_names[r]);
      add ("POST", "/api/v1/admin/users/joost/disable", roles[r], NULL, 403, "forbidden",
           "disable as %s", role_names[r]);
      add ("POST", "/api/v1/admin/users/joost/enable", roles[r], NULL, 403, "forbidden",
           "enable as %s", role_names[r]);
      add ("GET", "/api/v1/admin/devices", roles[r], NULL, 403, "forbidden",
           "devices as %s", role_names[r]);
      add ("POST", "/api/v1/admin/devices/01900000-0000-7000-8000-000000000001/revoke", roles[r], NULL,
           403, "forbidden", "revoke as %s", role_names[r]);
    }
  add ("POST", "/api/v1/admin/users/nobody/disable", AS_BEHEERDER, NULL, 404, "not_found", "disable unknown");
  add ("POST", "/api/v1/admin/users/beheer/disable", AS_BEHEERDER, NULL, 400, "invalid", "disable self");
  add ("POST", "/api/v1/admin/users//disable", AS_BEHEERDER, NULL, 404, "not_found", "disable empty name");
  add ("POST", "/api/v1/admin/users/joost/explode", AS_BEHEERDER, NULL, 404, "not_found", "user verb");
  add ("POST", "/api/v1/admin/devices/01900000-0000-7000-8000-0000000fffff/revoke", AS_BEHEERDER, NULL,
       404, "not_found", "revoke unknown device");
  add ("POST", "/api/v1/admin/devices/not-a-uuid/revoke", AS_BEHEERDER, NULL, 404, "not_found",
       "revoke bad id");
  add ("POST", "/api/v1/admin/devices/01900000-0000-7000-8000-000000000001/unrevoke", AS_BEHEERDER, NULL,
       404, "not_found", "device verb");

  /* The access log: only the coordinator of the dossier's team. */
  {
    const As others[] = { AS_KLANTMANAGER, AS_OTHER_COORD, AS_INKOMEN, AS_BEHEERDER };
    const char *other_names[] = { "klantmanager", "other coordinator", "inkomensconsulent", "beheerder" };

    for (guint r = 0; r < G_N_ELEMENTS (others); r++)
      add ("GET", "/api/v1/dossiers/" PERSONA_TESFAY "/access-log", others[r], NULL, 403, "forbidden",
           "access log as %s", other_names[r]);
    add ("GET", "/api/v1/dossiers/01900000-0000-7000-8000-0000000fffff/access-log", AS_COORDINATOR, NULL,
         403, "forbidden", "access log unknown dossier");
    add ("GET", "/api/v1/dossiers/x/access-log", AS_COORDINATOR, NULL, 404, "not_found", "access log bad id");
    add ("GET", "/api/v1/dossiers/" PERSONA_TESFAY "/access-log?limit=0", AS_COORDINATOR, NULL, 400,
         "invalid", "access log limit 0");
    add ("GET", "/api/v1/dossiers/" PERSONA_TESFAY "/access-log?limit=10001", AS_COORDINATOR, NULL, 400,
         "invalid", "access log limit 10001");
    add ("GET", "/api/v1/dossiers/" PERSONA_TESFAY "/access-log?limit=-1", AS_COORDINATOR, NULL, 400,
         "invalid", "access log limit -1");
  }
}

static void
build_method_and_header_cases (void)
{
  static const struct { const char *path; const char *allowed; } endpoints[] = {
    { "/api/v1/session", "POST DELETE" },
    { "/api/v1/session/password", "POST" },
    { "/api/v1/admin/users", "GET" },
    { "/api/v1/admin/users/joost/disable", "POST" },
    { "/api/v1/admin/devices", "GET" },
    { "/api/v1/admin/devices/01900000-0000-7000-8000-000000000001/revoke", "POST" },
    { "/api/v1/dossiers/" PERSONA_TESFAY "/access-log", "GET" },
    { "/api/v1/sync/push", "POST" },
    { "/api/v1/sync/pull", "GET" },
    { "/api/v1/settings", "GET PUT" },
  };
  static const char * const methods[] = { "GET", "POST", "PUT", "DELETE", "PATCH" };
  static const char * const auth_endpoints[][2] = {
    { "POST", "/api/v1/sync/push" }, { "GET", "/api/v1/sync/pull" }, { "GET", "/api/v1/settings" },
    { "GET", "/api/v1/admin/users" }, { "GET", "/api/v1/admin/devices" },
    { "DELETE", "/api/v1/session" }, { "POST", "/api/v1/session/password" },
    { "GET", "/api/v1/dossiers/" PERSONA_TESFAY "/access-log" },
    { "POST", "/api/v1/admin/devices/01900000-0000-7000-8000-000000000001/revoke" },
  };
  static const char * const protocols[] = { "", "2", "0", "1, 1", "01", "1.0", " 1x" };
  static const char * const authorizations[] = {
    "Bearer", "Bearer ", "Bearer abc", "Basic ZmF0aW1hOmRlbW8tZmF0aW1h",
    "Bearer 0000000000000000000000000000000000000000000000000000000000000000x",
    "Bearer zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
  };

  for (guint e = 0; e < G_N_ELEMENTS (endpoints); e++)
    for (guint m = 0; m < G_N_ELEMENTS (methods); m++)
      {
        g_auto(GStrv) allowed = g_strsplit (endpoints[e].allowed, " ", -1);

        if (g_strv_contains ((const char * const *) allowed, methods[m]))
          continue;
        add (methods[m], endpoints[e].path, AS_BEHEERDER, NULL, 405, NULL, "%s %s", methods[m],
             endpoints[e].path);
      }

  for (guint i = 0; i < G_N_ELEMENTS (auth_endpoints); i++)
    {
      add (auth_endpoints[i][0], auth_endpoints[i][1], AS_NOBODY, NULL, 401, "auth",
           "%s %s without a token", auth_endpoints[i][0], auth_endpoints[i][1]);
      /* The password change reads its body first (400 without one). */
      add (auth_endpoints[i][0], auth_endpoints[i][1], AS_BAD_TOKEN, NULL,
           strstr (auth_endpoints[i][1], "password") != NULL ? 0 : 401, NULL,
           "%s %s with an unknown token", auth_endpoints[i][0], auth_endpoints[i][1]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (authorizations); i++)
    {
      Case *c = add ("GET", "/api/v1/sync/pull", AS_NOBODY, NULL, 401, "auth", "authorization %u", i);
      c->extra_name = g_strdup ("Authorization");
      c->extra_value = g_strdup (authorizations[i]);
    }
  {
    /* A second Authorization header: libsoup joins the two, and the
     * result is no token. */
    Case *c = add ("GET", "/api/v1/sync/pull", AS_KLANTMANAGER, NULL, 401, "auth", "two tokens");
    c->extra_name = g_strdup ("Authorization");
    c->extra_value = g_strdup ("Bearer 0000000000000000000000000000000000000000000000000000000000000000");
  }

  for (guint i = 0; i < G_N_ELEMENTS (protocols); i++)
    {
      Case *c = add ("GET", "/api/v1/sync/pull", AS_KLANTMANAGER, NULL, 426, "protocol",
                     "protocol \"%s\"", protocols[i]);
      c->protocol = g_strdup (protocols[i]);
    }
  {
    Case *c = add ("GET", "/api/v1/sync/pull", AS_KLANTMANAGER, NULL, 426, "protocol", "protocol twice");
    c->extra_name = g_strdup ("Regie-Protocol");
    c->extra_value = g_strdup ("2");
  }

  {
    static const char * const unknown[] = {
      "/", "/api", "/api/v1", "/api/v1/", "/api/v2/sync/pull", "/api/v1/sync/pull/", "/api/v1/sync",
      "/API/V1/SESSION", "/api/v1/session/", "/api/v1/admin/devices/", "/api/v1/dossiers/",
      "/api/v1/dossiers/" PERSONA_TESFAY, "/api/v1/dossiers/" PERSONA_TESFAY "/access-log/x",
      "/api/v1/%2e%2e/sync/pull",
    };
    for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
      add ("GET", unknown[i], AS_KLANTMANAGER, NULL, strstr (unknown[i], "%") != NULL ? 0 : 404,
           NULL, "unknown path %s", unknown[i]);
    {
      g_autofree char *filler = g_strnfill (4000, 'a');
      g_autofree char *long_path = g_strdup_printf ("/api/v1/%s", filler);
      add ("GET", long_path, AS_KLANTMANAGER, NULL, 404, "not_found", "unknown long path");
    }
  }
}

/* Requests libsoup refuses itself, before our handlers: a path that
 * decodes to a NUL or a ".." segment, and requests it cannot parse at
 * all. Most cannot be sent through a SoupSession, so they go as raw
 * HTTP; every one must still be answered with a JSON error body. */
static void
build_raw_cases (void)
{
  static const struct { const char *request_line; unsigned status; const char *code; } lines[] = {
    { "GET /api/v1/sync%00/pull HTTP/1.1", 400, "invalid" },
    { "GET /api/v1/sync/pull%00 HTTP/1.1", 400, "invalid" },
    { "GET /api/v1/records/%00/history HTTP/1.1", 400, "invalid" },
    { "POST /api/v1/sync/push%00 HTTP/1.1", 400, "invalid" },
    { "GET /api/v1/settings%00.json HTTP/1.1", 400, "invalid" },
    { "GET /%00 HTTP/1.1", 400, "invalid" },
    /* Dot segments are resolved before the path is decoded. */
    { "GET /api/v1/sync/%2E%2E HTTP/1.1", 404, "not_found" },
    { "GET /api/v1/sync%2f..%2f..%2fsettings HTTP/1.1", 400, "invalid" },
    { "GET /api/v1/%zz/pull HTTP/1.1", 400, "invalid" },
    { "GET /api/v1/sync/pull% HTTP/1.1", 400, "invalid" },
    { "GET http://127.0.0.1/api/v1/sync/pull HTTP/1.1", 400, "invalid" },
    { "GET api/v1/sync/pull HTTP/1.1", 400, "invalid" },
    { "GET /api/v1/sync/pull HTTP/1.1 extra", 400, "invalid" },
    { "GARBAGE", 400, "invalid" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      Case *c = add ("GET", "/", AS_KLANTMANAGER, NULL, lines[i].status, lines[i].code,
                     "raw “%s”", lines[i].request_line);

      c->raw = g_strdup_printf ("%s\r\nHost: 127.0.0.1\r\nRegie-Protocol: 1\r\n"
                                "Authorization: Bearer %%TOKEN%%\r\nConnection: close\r\n\r\n",
                                lines[i].request_line);
    }

  {
    Case *c = add ("GET", "/", AS_KLANTMANAGER, NULL, 400, "invalid", "raw Host with a slash");
    c->raw = g_strdup ("GET /api/v1/sync/pull HTTP/1.1\r\nHost: 127.0.0.1/evil\r\n"
                       "Regie-Protocol: 1\r\nConnection: close\r\n\r\n");
  }
}

/* ---- running them ------------------------------------------------------- */

static gboolean
raw_accept_certificate_cb (GTlsConnection       *connection,
                           GTlsCertificate      *certificate,
                           GTlsCertificateFlags  errors,
                           gpointer              user_data)
{
  return g_tls_certificate_is_same (certificate, user_data);
}

static void
raw_event_cb (GSocketClient      *client,
              GSocketClientEvent  event,
              GSocketConnectable *connectable,
              GIOStream          *connection,
              gpointer            user_data)
{
  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING)
    g_signal_connect (connection, "accept-certificate", G_CALLBACK (raw_accept_certificate_cb),
                      user_data);
}

/* Writes c->raw to the server and reads its answer to the end (the
 * request asks to close the connection). */
static GBytes *
send_raw (const char *url,
          const Case *c,
          unsigned   *out_status)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GByteArray) answer = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) request = g_string_new (c->raw);
  const char *head_end;
  guint8 buffer[4096];
  gssize n;

  g_assert_nonnull (uri);
  g_string_replace (request, "%TOKEN%", tokens[c->as], 0);
  g_socket_client_set_tls (client, TRUE);
  g_socket_client_set_timeout (client, 60);
  g_signal_connect (client, "event", G_CALLBACK (raw_event_cb), server_certificate);
  connection = g_socket_client_connect_to_host (client, g_uri_get_host (uri),
                                                (guint16) g_uri_get_port (uri), NULL, &error);
  g_assert_no_error (error);

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             request->str, request->len, NULL, NULL, &error);
  g_assert_no_error (error);
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                   buffer, sizeof buffer, NULL, &error)) > 0)
    g_byte_array_append (answer, buffer, (guint) n);
  /* A server that closes at once may cut the TLS close short. */
  g_clear_error (&error);
  g_byte_array_append (answer, (const guint8 *) "", 1);

  *out_status = 0;
  if (sscanf ((const char *) answer->data, "HTTP/1.%*c %u ", out_status) != 1)
    return g_bytes_new (NULL, 0);
  head_end = strstr ((const char *) answer->data, "\r\n\r\n");
  if (head_end == NULL)
    return g_bytes_new (NULL, 0);
  head_end += 4;
  return g_bytes_new (head_end, strlen (head_end));
}

static GBytes *
send_case (const char *url,
           const Case *c,
           unsigned   *out_status)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *full = g_strconcat (url, c->path + 1, NULL);
  SoupMessageHeaders *headers;
  GBytes *response;

  if (c->raw != NULL)
    return send_raw (url, c, out_status);

  msg = soup_message_new (c->method, full);
  g_assert_nonnull (msg);
  regie_test_trust_server (session, msg, url);
  headers = soup_message_get_request_headers (msg);
  soup_message_headers_replace (headers, "Regie-Protocol", c->protocol != NULL ? c->protocol : "1");
  if (c->as != AS_NOBODY)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", tokens[c->as]);
      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (c->extra_name != NULL)
    soup_message_headers_append (headers, c->extra_name, c->extra_value);
  if (c->body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", c->body);

  response = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *out_status = soup_message_get_status (msg);
  return response;
}

/* What cannot change: for each coordinator, every change of their team
 * in order, and the sequence. */
static char *
snapshot (const char *url)
{
  GString *out = g_string_new (NULL);
  const As who[] = { AS_COORDINATOR, AS_OTHER_COORD };

  for (guint i = 0; i < G_N_ELEMENTS (who); i++)
    {
      g_autoptr(TestPull) pull = test_pull_all (url, tokens[who[i]], 0, 0);

      g_string_append_printf (out, "cursor %" G_GINT64_FORMAT " changes %u\n", pull->cursor,
                              pull->changes->len);
      for (guint j = 0; j < pull->changes->len; j++)
        {
          const TestChange *change = g_ptr_array_index (pull->changes, j);

          g_string_append_printf (out, "%" G_GINT64_FORMAT " %s %" G_GINT64_FORMAT " %d %s\n",
                                  change->seq, change->record_id, change->version, change->deleted,
                                  change->payload != NULL ? change->payload : "-");
        }
    }

  return g_string_free (out, FALSE);
}

static void
test_hostile (void)
{
  g_autoptr(GError) error = NULL;
  const char * const args[] = { "--demo", "--dossiers", "30", NULL };
  g_autoptr(RegieTestServer) server = regie_test_server_start (NULL, args, &error);
  const char *names[] = { NULL, "fatima", "ingrid", "pieter", "ruud", "beheer" };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *alive = NULL;
  const char *url;
  unsigned status = 0;
  guint n_checked = 0;
  g_autoptr(GString) failures = g_string_new (NULL);

  g_assert_no_error (error);
  url = regie_test_server_get_url (server);
  server_certificate = regie_test_server_get_certificate (server);

  /* Every sign-in first: the failed ones below count towards throttling. */
  for (guint i = 1; i < G_N_ELEMENTS (names); i++)
    tokens[i] = test_login (url, names[i]);
  tokens[AS_BAD_TOKEN] = g_strnfill (64, 'a');

  cases = g_ptr_array_new_with_free_func ((GDestroyNotify) case_free);
  build_session_cases ();
  build_push_cases ();
  build_pull_cases ();
  build_settings_cases ();
  build_account_cases ();
  build_method_and_header_cases ();
  build_raw_cases ();
  g_test_message ("%u hostile cases", cases->len);
  g_assert_cmpuint (cases->len, >=, 200);

  before = snapshot (url);

  for (guint i = 0; i < cases->len; i++)
    {
      const Case *c = g_ptr_array_index (cases, i);
      g_autoptr(GBytes) response = send_case (url, c, &status);
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(GError) parse_error = NULL;
      JsonObject *object;
      const char *data;
      gsize len = 0;

      if (status < 400 || status >= 500 || (c->status != 0 && status != c->status))
        {
          g_string_append_printf (failures, "case “%s”: HTTP %u, expected %u (4xx)\n",
                                  c->name, status, c->status);
          continue;
        }

      data = g_bytes_get_data (response, &len);
      if (data != NULL)
        {
          g_autofree char *text = g_strndup (data, len);
          root = json_from_string (text, &parse_error);
        }
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          g_string_append_printf (failures, "case “%s”: HTTP %u without a JSON error body\n",
                                  c->name, status);
          continue;
        }
      object = json_node_get_object (root);
      if (!json_object_has_member (object, "error") || !json_object_has_member (object, "message") ||
          json_node_get_value_type (json_object_get_member (object, "error")) != G_TYPE_STRING ||
          json_node_get_value_type (json_object_get_member (object, "message")) != G_TYPE_STRING ||
          *json_object_get_string_member (object, "message") == '\0')
        {
          g_string_append_printf (failures, "case “%s”: the error body names no reason: %.*s\n",
                                  c->name, (int) MIN (len, 200), data);
          continue;
        }
      if (c->code != NULL && g_strcmp0 (json_object_get_string_member (object, "error"), c->code) != 0)
        {
          g_string_append_printf (failures, "case “%s”: error %s, expected %s\n", c->name,
                                  json_object_get_string_member (object, "error"), c->code);
          continue;
        }
      n_checked++;
    }
  g_assert_cmpstr (failures->str, ==, "");
  g_assert_cmpuint (n_checked, ==, cases->len);

  /* Stale versions are no error: 200 with every result a conflict. */
  {
    static const char * const stale[] = { "1", "7", "9223372036854775807" };

    for (guint i = 0; i < G_N_ELEMENTS (stale); i++)
      {
        g_autofree char *body = push_with ("base_version", stale[i]);
        g_autofree char *answer = test_push (url, tokens[AS_KLANTMANAGER], body, strlen (body), &status);

        g_assert_cmpuint (status, ==, 200);
        g_assert_nonnull (strstr (answer, "\"conflict\""));
        g_assert_null (strstr (answer, "\"applied\""));
      }
  }

  /* Still alive, and nothing written. */
  alive = regie_test_http (url, "GET", "/api/v1/settings", tokens[AS_KLANTMANAGER], NULL, 0, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  after = snapshot (url);
  g_assert_cmpstr (before, ==, after);

  g_clear_pointer (&cases, g_ptr_array_unref);
  server_certificate = NULL;
  for (guint i = 0; i < N_AS; i++)
    g_clear_pointer (&tokens[i], g_free);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/server/hostile/every-case", test_hostile);

  return g_test_run ();
}
