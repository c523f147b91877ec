/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieServer"

#include "config.h"

#include <string.h>

#include "regie-bsn.h"
#include "regie-demo.h"
#include "regie-password.h"
#include "regie-records.h"

typedef struct
{
  const char *id;
  const char *name;
} DemoTeam;

typedef struct
{
  const char *username;
  const char *display_name;
  RegieRole   role;
  const char *team;
} DemoUser;

static const DemoTeam demo_teams[] = {
  { "team-noord", "Team Noord" },
  { "team-zuid", "Team Zuid" },
  { "team-centrum", "Team Centrum" },
};

static const DemoUser demo_users[] = {
  { "fatima", "Fatima El Amrani", REGIE_ROLE_KLANTMANAGER, "team-noord" },
  { "joost", "Joost de Vries", REGIE_ROLE_KLANTMANAGER, "team-noord" },
  { "noor", "Noor Hendriks", REGIE_ROLE_KLANTMANAGER, "team-noord" },
  { "sanne", "Sanne Bakker", REGIE_ROLE_KLANTMANAGER, "team-zuid" },
  { "mehmet", "Mehmet Yılmaz", REGIE_ROLE_KLANTMANAGER, "team-zuid" },
  { "lotte", "Lotte Visser", REGIE_ROLE_KLANTMANAGER, "team-centrum" },
  { "daan", "Daan Smit", REGIE_ROLE_KLANTMANAGER, "team-centrum" },
  { "ingrid", "Ingrid Mulder", REGIE_ROLE_COORDINATOR, "team-noord" },
  { "pieter", "Pieter Jansen", REGIE_ROLE_COORDINATOR, "team-zuid" },
  { "anouk", "Anouk de Boer", REGIE_ROLE_COORDINATOR, "team-centrum" },
  { "ruud", "Ruud Verbeek", REGIE_ROLE_INKOMENSCONSULENT, "team-centrum" },
  { "beheer", "Bram Beheer", REGIE_ROLE_BEHEERDER, NULL },
};

/* The first seven users are the klantmanagers dossiers are spread over. */
#define N_KLANTMANAGERS 7

/* Name pools per origin; the interpreter language goes into notes. */
typedef struct
{
  const char * const *men;
  const char * const *women;
  const char * const *families;
  const char         *language;
} Origin;

#define POOL(...) (const char * const []) { __VA_ARGS__, NULL }

static const Origin origin_syrian = {
  POOL ("Mohammed", "Ahmad", "Omar", "Khaled", "Yousef", "Rami", "Fadi", "Samer", "Hamza", "Bilal"),
  POOL ("Amina", "Rania", "Hiba", "Nour", "Layla", "Huda", "Reem", "Yasmin", "Dima", "Rahaf"),
  POOL ("Al-Hassan", "Haddad", "Khalil", "Al-Ahmad", "Darwish", "Mansour", "Al-Masri",
        "Nasser", "Saleh", "Hamdan", "Al-Khatib", "Qassem"),
  "Arabisch",
};

static const Origin origin_eritrean = {
  POOL ("Tesfay", "Yonas", "Dawit", "Filmon", "Kibrom", "Merhawi", "Semere", "Yohannes"),
  POOL ("Selam", "Helen", "Senait", "Rahwa", "Lidya", "Tsega", "Saba", "Feven"),
  POOL ("Gebremedhin", "Tesfamariam", "Haile", "Berhane", "Ghebreyesus", "Kidane",
        "Weldemichael", "Tekle", "Abraha"),
  "Tigrinya",
};

static const Origin origin_turkish = {
  POOL ("Mehmet", "Mustafa", "Emre", "Burak", "Hasan", "Murat", "Oğuz", "Çağlar"),
  POOL ("Ayşe", "Elif", "Zeynep", "Fatma", "Emine", "Büşra", "Gülşen", "Özlem"),
  POOL ("Yılmaz", "Demir", "Kaya", "Şahin", "Çelik", "Öztürk", "Aydın", "Doğan",
        "Arslan", "Kılıç"),
  "Turks",
};

static const Origin origin_ukrainian = {
  POOL ("Oleksandr", "Andriy", "Dmytro", "Serhiy", "Mykola", "Bohdan"),
  POOL ("Olena", "Iryna", "Nataliia", "Oksana", "Yuliia", "Kateryna"),
  POOL ("Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk",
        "Boyko", "Moroz"),
  "Oekraïens",
};

static const Origin origin_afghan = {
  POOL ("Ahmad Shah", "Mohammad Nabi", "Farid", "Jawad", "Hamid", "Wahid", "Sayed"),
  POOL ("Zahra", "Mariam", "Farzana", "Shabnam", "Nazanin", "Parwana", "Fereshta"),
  POOL ("Ahmadzai", "Noori", "Sultani", "Rahimi", "Hakimi", "Popal", "Karimi", "Safi",
        "Haidari"),
  "Dari",
};

/* Family migrants who joined a Dutch partner often carry the partner's
 * name in Dutch records. */
static const char * const dutch_families[] = {
  "de Vries", "van den Berg", "Jansen", "Bakker", "Visser", "Smit", "de Jong",
  "Meijer", "Mulder", "de Boer", "Bos", "Vos", "Peters", "Hendriks", "van Dijk", NULL
};

static const char * const note_texts[] = {
  "Taalschool De Brug bevestigt start op maandag.",
  "Inburgeraar niet verschenen op afspraak; nieuwe uitnodiging verstuurd.",
  "Brede intake afgerond, PIP-gesprek ingepland.",
  "Leerbaarheidstoets afgenomen; uitslag volgt binnen twee weken.",
  "Voortgangsgesprek gevoerd: aanwezigheid goed, tempo iets achter.",
  "DUO-melding ontvangen; termijn loopt vanaf dagtekening.",
  "Huisbezoek afgelegd, woning op orde.",
  "Kinderopvang geregeld via het wijkteam.",
  "Vrijwilligerswerk bij de voedselbank besproken als participatieonderdeel.",
  "MAP-traject gestart bij Werkplein.",
  "Zorg over gezondheid: verwezen naar huisarts, geen verdere details genoteerd.",
  "Verzoek om verlenging termijn ontvangen; ter beoordeling bij coördinator.",
  "Examen A2 lezen gehaald.",
  "Toeslagen aangevraagd; beschikking nog niet ontvangen.",
  "Taalmaatje gekoppeld via VluchtelingenWerk.",
  NULL
};

typedef struct
{
  const char     *dossier_id;
  const char     *given_names;
  const char     *family_name;
  const char     *birth_date;
  RegieDoelgroep  doelgroep;
  const char     *notified_on;
  const char     *opened_on;
  const char     *notes[4];
} Persona;

static const Persona personas[] = {
  {
    "01900000-0000-7000-8000-000000000001", "Tesfay", "Gebremedhin", "1961-03-14",
    REGIE_DOELGROEP_ASIELSTATUSHOUDER, "2024-09-02", "2024-09-16",
    {
      "Intake gepland met tolk Tigrinya.",
      "Niet geletterd in eigen taal; leerbaarheidstoets wijst op de Z-route.",
      "Z-route: 800 uur bij Participatiewerkplaats Noord, start na de zomer.",
      NULL
    }
  },
  {
    "01900000-0000-7000-8000-000000000002", "Lina", "Haddad", "2002-07-21",
    REGIE_DOELGROEP_ASIELSTATUSHOUDER, "2025-01-13", "2025-01-20",
    {
      "Bachelor farmacie (Damascus); diplomawaardering aangevraagd bij Nuffic.",
      "Leerbaarheidstoets hoog: onderwijsroute via Hogeschool Demoland geadviseerd.",
      NULL
    }
  },
  {
    "01900000-0000-7000-8000-000000000003", "Ayşe", "Demir", "1990-11-05",
    REGIE_DOELGROEP_GEZINSMIGRANT, "2024-04-08", "2024-04-22",
    {
      "Werkt 24 uur per week bij bakkerij Yılmaz; lessen in de avond.",
      "B1-route bij Taalschool De Brug, avondklas op dinsdag en donderdag.",
      NULL
    }
  },
  {
    "01900000-0000-7000-8000-000000000004", "Rahaf", "Al-Khatib", "1986-02-28",
    REGIE_DOELGROEP_ASIELSTATUSHOUDER, "2024-11-18", "2024-12-02",
    {
      "Moeder van drie kinderen; kinderopvang nodig op lesdagen.",
      "Ontzorgen: huur en energie zes maanden ingehouden; achterstand energie gemeld.",
      "Toeslagen aangevraagd, nog geen beschikking; bijzondere bijstand besproken.",
      NULL
    }
  },
};

static const char *
pick (GRand              *rand,
      const char * const *pool)
{
  unsigned n = 0;

  while (pool[n] != NULL)
    n++;

  return pool[g_rand_int_range (rand, 0, (gint32) n)];
}

/* A time-ordered UUIDv7 whose time and random bits come from the seed. */
static char *
demo_uuid_new (GRand  *rand,
               guint64 unix_ms)
{
  return g_strdup_printf ("%08x-%04x-7%03x-%04x-%04x%08x",
                          (guint32) (unix_ms >> 16),
                          (guint32) (unix_ms & 0xffff),
                          g_rand_int (rand) & 0xfff,
                          0x8000 | (g_rand_int (rand) & 0x3fff),
                          g_rand_int (rand) & 0xffff,
                          g_rand_int (rand));
}

static char *
demo_bsn_new (GRand      *rand,
              GHashTable *used)
{
  for (;;)
    {
      int digits[9];
      int sum = 0;
      char bsn[10];

      /* Eight digits, then the ninth that makes the elfproef hold. */
      digits[0] = g_rand_int_range (rand, 1, 7);
      for (int i = 1; i < 8; i++)
        digits[i] = g_rand_int_range (rand, 0, 10);
      for (int i = 0; i < 8; i++)
        sum += (9 - i) * digits[i];
      digits[8] = sum % 11;
      if (digits[8] == 10)
        continue;

      for (int i = 0; i < 9; i++)
        bsn[i] = (char) ('0' + digits[i]);
      bsn[9] = '\0';

      g_assert (regie_bsn_is_valid (bsn));
      if (!g_hash_table_add (used, g_strdup (bsn)))
        continue;

      return g_strdup (bsn);
    }
}

static char *
demo_v_number_new (GRand *rand)
{
  return g_strdup_printf ("%d%09u", g_rand_int_range (rand, 1, 10),
                          (unsigned) g_rand_int_range (rand, 0, 1000000000));
}

static GDate *
demo_date_between (GRand *rand,
                   int    first_year,
                   int    last_year)
{
  GDate *first = g_date_new_dmy (1, G_DATE_JANUARY, first_year);
  GDate *last = g_date_new_dmy (31, G_DATE_DECEMBER, last_year);
  int days = g_date_days_between (first, last);

  g_date_add_days (first, g_rand_int_range (rand, 0, days + 1));
  g_date_free (last);

  return first;
}

static char *
date_string (const GDate *date)
{
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date),
                          g_date_get_month (date), g_date_get_day (date));
}

/* Demo strings are ours, but escape anyway so that every payload is
 * valid JSON whatever a pool holds. */
static void
append_json_string (GString    *out,
                    const char *str)
{
  g_string_append_c (out, '"');
  for (const char *p = str; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      if ((guchar) *p < 0x20)
        g_string_append_printf (out, "\\u%04x", (guchar) *p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
append_member (GString    *out,
               const char *name,
               const char *value)
{
  if (out->len > 1)
    g_string_append_c (out, ',');
  append_json_string (out, name);
  g_string_append_c (out, ':');
  append_json_string (out, value);
}

/* Every payload goes through the same validation as a pushed one and is
 * stored in its canonical form. */
static gboolean
add_record (RegieServerDbBulk  *bulk,
            const char         *id,
            const char         *dossier_id,
            RegieRecordKind     kind,
            GString            *payload,
            const char         *team,
            const char         *klantmanager,
            GError            **error)
{
  g_autofree char *canonical = NULL;

  g_string_append_c (payload, '}');
  canonical = regie_record_canonicalize (kind, payload->str, payload->len, error);
  if (canonical == NULL)
    {
      g_prefix_error (error, "demo %s %s: ", regie_record_kind_to_string (kind), id);
      return FALSE;
    }

  return regie_server_db_bulk_add_record (bulk, id, dossier_id, kind, canonical,
                                          team, klantmanager, error);
}

static gboolean
add_dossier (RegieServerDbBulk  *bulk,
             GRand              *rand,
             const char         *dossier_id,
             const char         *person_id,
             const char         *assignment_id,
             const char         *notified_on,
             const char         *opened_on,
             const char         *bsn,
             const char         *v_number,
             const char         *given_names,
             const char         *family_name,
             const char         *birth_date,
             RegieDoelgroep      doelgroep,
             const DemoUser     *klantmanager,
             GError            **error)
{
  g_autoptr(GString) payload = g_string_sized_new (256);

  g_string_assign (payload, "{");
  append_member (payload, "status", "open");
  append_member (payload, "opened_on", opened_on);
  append_member (payload, "notified_on", notified_on);
  if (!add_record (bulk, dossier_id, dossier_id, REGIE_RECORD_DOSSIER, payload,
                   NULL, NULL, error))
    return FALSE;

  g_string_assign (payload, "{");
  append_member (payload, "bsn", bsn);
  append_member (payload, "v_number", v_number);
  append_member (payload, "given_names", given_names);
  append_member (payload, "family_name", family_name);
  append_member (payload, "birth_date", birth_date);
  append_member (payload, "doelgroep", regie_doelgroep_to_string (doelgroep));
  if (!add_record (bulk, person_id, dossier_id, REGIE_RECORD_PERSON, payload,
                   NULL, NULL, error))
    return FALSE;

  g_string_assign (payload, "{");
  append_member (payload, "team", klantmanager->team);
  append_member (payload, "klantmanager", klantmanager->username);
  if (!add_record (bulk, assignment_id, dossier_id, REGIE_RECORD_ASSIGNMENT, payload,
                   klantmanager->team, klantmanager->username, error))
    return FALSE;

  return TRUE;
}

static gboolean
add_note (RegieServerDbBulk  *bulk,
          GRand              *rand,
          const char         *note_id,
          const char         *dossier_id,
          const DemoUser     *author,
          const GDate        *day,
          const char         *text,
          GError            **error)
{
  g_autoptr(GString) payload = g_string_sized_new (256);
  g_autofree char *created_at = NULL;

  /* Office hours, in UTC. */
  created_at = g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                                g_date_get_year (day), g_date_get_month (day),
                                g_date_get_day (day),
                                g_rand_int_range (rand, 7, 16),
                                g_rand_int_range (rand, 0, 60),
                                g_rand_int_range (rand, 0, 60),
                                g_rand_int_range (rand, 0, 1000));

  g_string_assign (payload, "{");
  append_member (payload, "author", author->username);
  append_member (payload, "created_at", created_at);
  append_member (payload, "text", text);

  return add_record (bulk, note_id, dossier_id, REGIE_RECORD_NOTE, payload, NULL, NULL, error);
}

static gboolean
add_persona (RegieServerDbBulk  *bulk,
             GRand              *rand,
             GHashTable         *bsns,
             unsigned            index,
             GError            **error)
{
  const Persona *persona = &personas[index];
  g_autofree char *bsn = demo_bsn_new (rand, bsns);
  g_autofree char *v_number = demo_v_number_new (rand);
  g_autofree char *person_id = NULL;
  g_autofree char *assignment_id = NULL;
  g_autoptr(GDate) day = g_date_new ();

  /* Fixed ids, so that docs and tests can name these dossiers. */
  person_id = g_strdup_printf ("01900000-0000-7000-8001-%012u", index + 1);
  assignment_id = g_strdup_printf ("01900000-0000-7000-8002-%012u", index + 1);

  if (!add_dossier (bulk, rand, persona->dossier_id, person_id, assignment_id,
                    persona->notified_on, persona->opened_on, bsn, v_number,
                    persona->given_names, persona->family_name, persona->birth_date,
                    persona->doelgroep, &demo_users[0], error))
    return FALSE;

  g_date_set_parse (day, persona->opened_on);
  for (unsigned i = 0; persona->notes[i] != NULL; i++)
    {
      g_autofree char *note_id = g_strdup_printf ("01900000-0000-7000-8003-%06u%06u",
                                                  index + 1, i + 1);

      g_date_add_days (day, 7 + 14 * i);
      if (!add_note (bulk, rand, note_id, persona->dossier_id, &demo_users[0], day,
                     persona->notes[i], error))
        return FALSE;
    }

  return TRUE;
}

static const Origin *
pick_origin (GRand          *rand,
             RegieDoelgroep  doelgroep)
{
  int roll = g_rand_int_range (rand, 0, 100);

  switch (doelgroep)
    {
    case REGIE_DOELGROEP_ASIELSTATUSHOUDER:
      return roll < 40 ? &origin_syrian : roll < 70 ? &origin_eritrean :
             roll < 90 ? &origin_afghan : &origin_turkish;
    case REGIE_DOELGROEP_GEZINSMIGRANT:
      return roll < 40 ? &origin_turkish : roll < 60 ? &origin_syrian :
             roll < 75 ? &origin_eritrean : roll < 90 ? &origin_ukrainian : &origin_afghan;
    case REGIE_DOELGROEP_OVERIGE_MIGRANT:
    default:
      return roll < 60 ? &origin_ukrainian : roll < 80 ? &origin_turkish : &origin_syrian;
    }
}

static gboolean
add_generated (RegieServerDbBulk  *bulk,
               GRand              *rand,
               GHashTable         *bsns,
               const DemoUser     *klantmanager,
               GError            **error)
{
  g_autoptr(GDate) notified = NULL;
  g_autoptr(GDate) opened = NULL;
  g_autoptr(GDate) birth = NULL;
  g_autoptr(GDate) last = g_date_new_dmy (31, G_DATE_DECEMBER, 2026);
  g_autofree char *dossier_id = NULL;
  g_autofree char *person_id = NULL;
  g_autofree char *assignment_id = NULL;
  g_autofree char *notified_on = NULL;
  g_autofree char *opened_on = NULL;
  g_autofree char *birth_date = NULL;
  g_autofree char *bsn = NULL;
  g_autofree char *v_number = NULL;
  g_autofree char *given_names = NULL;
  const char *family_name;
  const Origin *origin;
  RegieDoelgroep doelgroep;
  guint64 unix_ms;
  int roll;
  int n_notes;
  gboolean woman;

  notified = demo_date_between (rand, 2024, 2026);
  opened = g_date_copy (notified);
  g_date_add_days (opened, g_rand_int_range (rand, 0, 43));
  if (g_date_compare (opened, last) > 0)
    *opened = *last;
  notified_on = date_string (notified);
  opened_on = date_string (opened);

  /* Ids carry the opening date as their UUIDv7 time. */
  /* GDate's Julian day 719163 is 1970-01-01. */
  unix_ms = ((guint64) (g_date_get_julian (opened) - 719163) * 86400 +
             (guint64) g_rand_int_range (rand, 8 * 3600, 17 * 3600)) * 1000 +
            (guint64) g_rand_int_range (rand, 0, 1000);
  dossier_id = demo_uuid_new (rand, unix_ms);
  person_id = demo_uuid_new (rand, unix_ms + 1);
  assignment_id = demo_uuid_new (rand, unix_ms + 2);

  roll = g_rand_int_range (rand, 0, 100);
  doelgroep = roll < 65 ? REGIE_DOELGROEP_ASIELSTATUSHOUDER :
              roll < 95 ? REGIE_DOELGROEP_GEZINSMIGRANT : REGIE_DOELGROEP_OVERIGE_MIGRANT;
  origin = pick_origin (rand, doelgroep);
  woman = g_rand_boolean (rand);

  /* Now and then a second given name. */
  if (g_rand_int_range (rand, 0, 5) == 0)
    given_names = g_strdup_printf ("%s %s",
                                   pick (rand, woman ? origin->women : origin->men),
                                   pick (rand, woman ? origin->women : origin->men));
  else
    given_names = g_strdup (pick (rand, woman ? origin->women : origin->men));

  if (doelgroep == REGIE_DOELGROEP_GEZINSMIGRANT && g_rand_int_range (rand, 0, 100) < 30)
    family_name = pick (rand, dutch_families);
  else
    family_name = pick (rand, origin->families);

  birth = demo_date_between (rand, 1960, 2007);
  birth_date = date_string (birth);
  bsn = demo_bsn_new (rand, bsns);
  v_number = demo_v_number_new (rand);

  if (!add_dossier (bulk, rand, dossier_id, person_id, assignment_id, notified_on, opened_on,
                    bsn, v_number, given_names, family_name, birth_date, doelgroep,
                    klantmanager, error))
    return FALSE;

  n_notes = g_rand_int_range (rand, 0, 4);
  for (int i = 0; i < n_notes; i++)
    {
      g_autofree char *note_id = demo_uuid_new (rand, unix_ms + 86400000ull * (guint64) (i + 1));
      g_autofree char *interpreter = NULL;
      g_autoptr(GDate) day = g_date_copy (opened);
      const char *text;

      g_date_add_days (day, 3 + 10 * i + g_rand_int_range (rand, 0, 10));
      if (i == 0 && g_rand_boolean (rand))
        text = interpreter = g_strdup_printf ("Intake gepland met tolk %s.", origin->language);
      else
        text = pick (rand, note_texts);

      if (!add_note (bulk, rand, note_id, dossier_id, klantmanager, day, text, error))
        return FALSE;
    }

  return TRUE;
}

typedef struct
{
  const char *password;
  char       *hash;
  GError     *error;
} HashJob;

static void
hash_job_cb (gpointer data,
             gpointer user_data)
{
  HashJob *job = data;

  job->hash = regie_password_hash (job->password, &job->error);
}

/* PBKDF2 is slow on purpose; hash the accounts in parallel. */
static gboolean
hash_passwords (char    **out_hashes,
                GError  **error)
{
  char *passwords[G_N_ELEMENTS (demo_users)];
  HashJob jobs[G_N_ELEMENTS (demo_users)] = { { 0 } };
  GThreadPool *pool;
  gboolean ok = TRUE;

  pool = g_thread_pool_new (hash_job_cb, NULL, (int) MAX (g_get_num_processors (), 1),
                            FALSE, error);
  if (pool == NULL)
    return FALSE;

  for (unsigned i = 0; i < G_N_ELEMENTS (demo_users); i++)
    {
      passwords[i] = g_strconcat ("demo-", demo_users[i].username, NULL);
      jobs[i].password = passwords[i];
      g_thread_pool_push (pool, &jobs[i], NULL);
    }
  g_thread_pool_free (pool, FALSE, TRUE);

  for (unsigned i = 0; i < G_N_ELEMENTS (demo_users); i++)
    {
      g_free (passwords[i]);
      out_hashes[i] = jobs[i].hash;
      if (jobs[i].error != NULL)
        {
          if (ok)
            g_propagate_error (error, jobs[i].error);
          else
            g_error_free (jobs[i].error);
          ok = FALSE;
        }
    }

  return ok;
}

gboolean
regie_demo_populate (RegieServerDb          *db,
                     const RegieDemoOptions *options,
                     GError                **error)
{
  g_autoptr(RegieServerDbBulk) bulk = NULL;
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GHashTable) bsns = NULL;
  g_autofree char *seed_str = NULL;
  char *hashes[G_N_ELEMENTS (demo_users)] = { NULL };
  unsigned n_personas;
  gboolean ok = FALSE;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (db), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  if (!hash_passwords (hashes, error))
    goto out;

  rand = g_rand_new_with_seed (options->seed);
  bsns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if ((bulk = regie_server_db_bulk_begin (db, error)) == NULL)
    goto out;

  seed_str = g_strdup_printf ("%u", options->seed);
  if (!regie_server_db_bulk_set_meta (bulk, "municipality", REGIE_DEMO_MUNICIPALITY, error) ||
      !regie_server_db_bulk_set_meta (bulk, "demo_seed", seed_str, error))
    goto out;

  for (unsigned i = 0; i < G_N_ELEMENTS (demo_teams); i++)
    if (!regie_server_db_bulk_add_team (bulk, demo_teams[i].id, demo_teams[i].name, error))
      goto out;

  for (unsigned i = 0; i < G_N_ELEMENTS (demo_users); i++)
    if (!regie_server_db_bulk_add_user (bulk, demo_users[i].username, demo_users[i].display_name,
                                        demo_users[i].role, demo_users[i].team, hashes[i],
                                        error))
      goto out;

  n_personas = MIN (options->n_dossiers, G_N_ELEMENTS (personas));
  for (unsigned i = 0; i < n_personas; i++)
    if (!add_persona (bulk, rand, bsns, i, error))
      goto out;

  for (unsigned i = n_personas; i < options->n_dossiers; i++)
    {
      const DemoUser *klantmanager;

      if (options->single_caseload)
        klantmanager = &demo_users[0];
      else
        klantmanager = &demo_users[g_rand_int_range (rand, 0, N_KLANTMANAGERS)];

      if (!add_generated (bulk, rand, bsns, klantmanager, error))
        goto out;
    }

  ok = regie_server_db_bulk_commit (bulk, error);

out:
  for (unsigned i = 0; i < G_N_ELEMENTS (demo_users); i++)
    g_free (hashes[i]);

  return ok;
}
