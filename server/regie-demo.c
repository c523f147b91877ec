/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieServer"

#include "config.h"

#include <string.h>

#include "regie-bsn.h"
#include "regie-demo.h"
#include "regie-password.h"
#include "regie-records.h"
#include "regie-util.h"

/* The demo municipality (docs/generator.md). Every dossier is made from its
 * own random stream, seeded by the seed and its index, and every date is
 * relative to the reference date: so the same seed and reference date give
 * the same records, whichever thread made them. */

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

/* Texts, short and in the words a klantmanager would write. */
static const char * const certified_schools[] = {
  "Taalschool De Brug", "Taalcentrum Zuid", "ROC Demoland NT2", "Het Taalhuis Demoland",
  "Lingua Nova", "NT2 Academie Noord", "Taalinstituut Babel", NULL
};

static const char * const uncertified_schools[] = {
  "Buurthuis De Linde taalles", "Stichting Taalmaatjes Demoland", "Taalcafé De Kom", NULL
};

static const char * const zroute_schools[] = {
  "Participatiewerkplaats Noord", "Het Taalhuis Demoland", "Taalcentrum Zuid", NULL
};

static const char * const onderwijs_schools[] = {
  "Hogeschool Demoland, Taalschakeljaar", "ROC Demoland, Entree NT2", NULL
};

static const char * const participation_activities[][2] = {
  { "volunteering", "Vrijwilligerswerk bij de voedselbank" },
  { "volunteering", "Vrijwilliger in de moestuin van buurtvereniging Oost" },
  { "work", "Werkervaringsplek bij kringloopwinkel De Cirkel" },
  { "course", "Taalcafé in de bibliotheek" },
  { "other", "Wekelijks sporten bij SV Demoland" },
  { "work", "Parttime werk in de schoonmaak" },
  { "volunteering", "Gastvrouw in het buurthuis" },
};

static const char * const streets[] = {
  "Kerkstraat", "Molenweg", "Lindelaan", "Beukenhof", "Stationsplein", "Schoolstraat",
  "Dorpsstraat", "Julianalaan", "Vondelstraat", "Havenkade", NULL
};

static const char * const education_texts[][3] = {
  /* education, work history, ambitions */
  { "Zes jaar basisschool in het land van herkomst.", "Werkte in de landbouw.",
    "Wil de taal leren om zelf boodschappen te doen en de dokter te begrijpen." },
  { "Middelbare school afgemaakt.", "Werkte als kapper en in een winkel.",
    "Wil een eigen kapsalon beginnen." },
  { "Opleiding elektrotechniek (mbo-niveau).", "Vijf jaar monteur bij een bouwbedrijf.",
    "Wil werken in de installatietechniek." },
  { "Bachelor economie.", "Boekhouder bij een handelsbedrijf.",
    "Wil een baan in de administratie en later een master volgen." },
  { "Geen school gevolgd.", "Zorgde voor het gezin.",
    "Wil de kinderen kunnen helpen met school." },
  { "Opleiding verpleegkunde, niet afgerond.", "Werkte als zorghulp in een ziekenhuis.",
    "Wil in de zorg werken." },
  { "Middelbare school, twee jaar universiteit (informatica).", "Werkte in een telefoonwinkel.",
    "Wil verder studeren in de ICT." },
};

static const char * const housing_texts[] = {
  "Eengezinswoning van woningcorporatie, sinds kort bewoond.",
  "Kleine flat, nog weinig meubels.",
  "Tijdelijk in een gedeelde woning; wacht op een eigen huis.",
  "Huurwoning in de wijk Oost, goed bereikbaar.",
  NULL
};

static const char * const network_texts[] = {
  "Heeft familie in Demoland.",
  "Nog weinig contacten; wil graag een taalmaatje.",
  "Contact met landgenoten via de moskee.",
  "Contact met buren en de kerk.",
  "Kent mensen via VluchtelingenWerk.",
  NULL
};

static const char * const health_texts[] = {
  "Geen bijzonderheden.",
  "Slaapt slecht; huisarts is op de hoogte.",
  "Rugklachten; kan niet lang zitten.",
  "Zwanger, uitgerekend over vier maanden.",
  "Spanningsklachten; begeleiding via de POH-GGZ.",
  NULL
};

static const char * const talk_language[] = {
  "Gaat goed vooruit, spreekt al korte zinnen.",
  "Volgt de lessen trouw; lezen gaat nog moeizaam.",
  "Mist soms lessen door afspraken; tempo iets achter.",
  "Begrijpt veel, durft nog weinig te spreken.",
  "Oefent thuis met apps en met de kinderen.",
  NULL
};
static const char * const talk_participation[] = {
  "Doet vrijwilligerswerk en vindt dat leuk.",
  "Zoekt nog een plek voor vrijwilligerswerk.",
  "Gaat wekelijks naar het taalcafé.",
  "Heeft een werkervaringsplek gevonden.",
  NULL
};
static const char * const talk_work[] = {
  "Nog geen werk; eerst de taal.",
  "Oriënteert zich op werk in de zorg.",
  "Heeft een sollicitatiegesprek gehad.",
  "Werkt een paar uur per week.",
  NULL
};
static const char * const talk_income[] = {
  "Rondkomen lukt, maar er blijft weinig over.",
  "Inkomen op orde.",
  "Toeslagen nog niet ontvangen; krap deze maand.",
  "Leert zelf betalingen doen met de budgetcoach.",
  NULL
};
static const char * const talk_housing[] = {
  "Woning op orde.",
  "Klacht over vocht doorgegeven aan de corporatie.",
  "Tevreden met de woning.",
  "Wil graag een grotere woning.",
  NULL
};
static const char * const talk_family[] = {
  "Kinderen gaan graag naar school.",
  "Geen bijzonderheden in het gezin.",
  "Partner zoekt ook werk.",
  "Mist familie in het land van herkomst.",
  NULL
};
static const char * const talk_wellbeing[] = {
  "Voelt zich goed.",
  "Wat somber in de winter; praat erover met de huisarts.",
  "Rustiger dan bij de vorige afspraak.",
  "Moe door de drukte van lessen en gezin.",
  NULL
};
static const char * const talk_network[] = {
  "Heeft een taalmaatje.",
  "Kent steeds meer mensen in de wijk.",
  "Nog weinig contacten buiten de eigen groep.",
  "Gaat naar een vrouwengroep in het buurthuis.",
  NULL
};
static const char * const talk_agreements[] = {
  "Volgende keer de voortgang op school bespreken.",
  "Klantmanager belt de taalschool over de aanwezigheid.",
  "Inburgeraar zoekt zelf een vrijwilligersplek.",
  "Samen het budgetoverzicht maken.",
  NULL
};

static const char * const signal_titles[][2] = {
  { "Aanwezigheid taalles onder de 80%", "De school meldt veel afwezigheid in de laatste maand." },
  { "Huurachterstand dreigt", "Corporatie meldt een achterstand van een maand." },
  { "Kinderopvang niet geregeld", "Zonder opvang kan de lesdag op woensdag niet doorgaan." },
  { "Toeslagen nog niet ontvangen", "Aanvraag huurtoeslag is gedaan; nog geen beschikking." },
  { "Zorgen over gezondheid", "Besproken in het voortgangsgesprek; verwezen naar de huisarts." },
  { "Werkplek gezocht voor duaal traject", "Past bij het PIP; vraag uitgezet bij het Werkplein." },
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

static int
range (GRand *rand,
       int    lo,
       int    hi)    /* inclusive */
{
  return g_rand_int_range (rand, lo, hi + 1);
}

static gboolean
chance (GRand *rand,
        int    percent)
{
  return g_rand_int_range (rand, 0, 100) < percent;
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

/* A BSN unique per dossier index without shared state: a bijection from
 * the index to seven digits, one free digit chosen so that the elfproef
 * check digit exists, then the check digit. */
static char *
demo_bsn_for (guint32  seed,
              unsigned index)
{
  guint64 prefix = 1000000 + ((guint64) index * 7777777u + seed) % 6000000;
  char bsn[10];

  for (int free_digit = 0; free_digit < 10; free_digit++)
    {
      int sum = 0;
      int check;

      g_snprintf (bsn, sizeof bsn, "%07" G_GUINT64_FORMAT "%d0", prefix, free_digit);
      for (int i = 0; i < 8; i++)
        sum += (9 - i) * (bsn[i] - '0');
      check = sum % 11;
      if (check == 10)
        continue;
      bsn[8] = (char) ('0' + check);
      if (regie_bsn_is_valid (bsn))
        return g_strdup (bsn);
    }

  g_assert_not_reached ();
}

static char *
demo_v_number_new (GRand *rand)
{
  return g_strdup_printf ("%d%09u", range (rand, 1, 9),
                          (unsigned) g_rand_int_range (rand, 0, 1000000000));
}

/* Dates */

static GDate
days_from (const GDate *base,
           int          days)
{
  GDate d = *base;

  if (days >= 0)
    g_date_add_days (&d, (guint) days);
  else
    g_date_subtract_days (&d, (guint) -days);
  return d;
}

static GDate
months_from (const GDate *base,
             int          months)
{
  GDate d = *base;

  regie_date_add_months_clamped (&d, months);
  return d;
}

static gboolean
after (const GDate *a,
       const GDate *b)
{
  return g_date_compare (a, b) > 0;
}

static GDate
earliest (const GDate *a,
          const GDate *b)
{
  return after (a, b) ? *b : *a;
}

static GDate
latest (const GDate *a,
        const GDate *b)
{
  return after (a, b) ? *a : *b;
}

static guint64
unix_ms_of (const GDate *day)
{
  /* GDate's Julian day 719163 is 1970-01-01. */
  return (guint64) (g_date_get_julian (day) - 719163) * 86400000ull;
}

/* A tiny JSON writer: payloads are built as text, then validated and
 * canonicalised exactly like a pushed payload. */

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
jw_key (GString    *out,
        const char *name)
{
  char last = out->str[out->len - 1];

  if (last != '{' && last != '[' && last != ':')
    g_string_append_c (out, ',');
  if (name != NULL)
    {
      append_json_string (out, name);
      g_string_append_c (out, ':');
    }
}

static void
jw_str (GString    *out,
        const char *name,
        const char *value)
{
  if (value == NULL)
    return;
  jw_key (out, name);
  append_json_string (out, value);
}

static void
jw_date (GString     *out,
         const char  *name,
         const GDate *date)
{
  jw_key (out, name);
  g_string_append_printf (out, "\"%04d-%02d-%02d\"", g_date_get_year (date),
                          g_date_get_month (date), g_date_get_day (date));
}

static void
jw_int (GString    *out,
        const char *name,
        gint64      value)
{
  jw_key (out, name);
  g_string_append_printf (out, "%" G_GINT64_FORMAT, value);
}

static void
jw_bool (GString    *out,
         const char *name,
         gboolean    value)
{
  jw_key (out, name);
  g_string_append (out, value ? "true" : "false");
}

static void
jw_open (GString    *out,
         const char *name,
         char        bracket)
{
  jw_key (out, name);
  g_string_append_c (out, bracket);
}

static void
jw_close (GString *out,
          char     bracket)
{
  g_string_append_c (out, bracket);
}

/* One dossier being made. */

typedef struct
{
  char            *id;
  RegieRecordKind  kind;
  char            *payload;   /* canonical */
} DemoRecord;

static void
demo_record_free (DemoRecord *record)
{
  g_free (record->id);
  g_free (record->payload);
  g_free (record);
}

typedef enum
{
  STAGE_NOTIFIED,
  STAGE_INTAKE,
  STAGE_WAITING,
  STAGE_ROUTE,
  STAGE_ENDING,
  STAGE_MOVED,
} Stage;

typedef enum
{
  ROUTE_B1,
  ROUTE_ONDERWIJS,
  ROUTE_Z,
} Route;

static const char * const route_names[] = { "b1", "onderwijs", "z" };

typedef struct
{
  GRand          *rand;
  GString        *buf;
  GPtrArray      *records;        /* DemoRecord */
  GError         *error;
  char           *dossier_id;
  const DemoUser *km;
  GDate           ref;
  gboolean        asylum;
} Gen;

static GString *
begin (Gen *g)
{
  return g_string_assign (g->buf, "{");
}

/* Validates and keeps the payload in g->buf; `id` NULL makes one with the
 * day's time. After the first error, nothing more is added. */
static void
emit (Gen             *g,
      RegieRecordKind  kind,
      const char      *id,
      const GDate     *day)
{
  DemoRecord *record;
  char *canonical;

  if (g->error != NULL)
    return;

  g_string_append_c (g->buf, '}');
  canonical = regie_record_canonicalize (kind, g->buf->str, (gssize) g->buf->len, &g->error);
  if (canonical == NULL)
    {
      g_prefix_error (&g->error, "demo dossier %s, %s %s: ", g->dossier_id,
                      regie_record_kind_to_string (kind), g->buf->str);
      return;
    }

  record = g_new0 (DemoRecord, 1);
  record->kind = kind;
  record->payload = canonical;
  record->id = id != NULL ? g_strdup (id)
                          : demo_uuid_new (g->rand, unix_ms_of (day) +
                                           (guint64) range (g->rand, 8 * 3600, 17 * 3600) * 1000);
  g_ptr_array_add (g->records, record);
}

/* Records, one helper per kind. */

static void
emit_note (Gen         *g,
           const char  *id,
           const GDate *day,
           const char  *text)
{
  GString *p = begin (g);
  g_autofree char *created_at = NULL;

  /* Office hours, in UTC. */
  created_at = g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                                g_date_get_year (day), g_date_get_month (day),
                                g_date_get_day (day), range (g->rand, 7, 15),
                                range (g->rand, 0, 59), range (g->rand, 0, 59),
                                range (g->rand, 0, 999));
  jw_str (p, "author", g->km->username);
  jw_str (p, "created_at", created_at);
  jw_str (p, "text", text);
  emit (g, REGIE_RECORD_NOTE, id, day);
}

static void
emit_duo (Gen            *g,
          const GDate    *received,
          const char     *event_code,
          RegieDoelgroep  doelgroep)
{
  GString *p = begin (g);

  jw_date (p, "received_on", received);
  jw_str (p, "event_code", event_code);
  jw_str (p, "doelgroep", regie_doelgroep_to_string (doelgroep));
  emit (g, REGIE_RECORD_DUO_NOTIFICATION, NULL, received);
}

static void
emit_child (Gen         *g,
            const char  *given,
            const char  *family,
            const GDate *birth,
            gboolean     childcare)
{
  GString *p = begin (g);

  jw_str (p, "given_names", given);
  jw_str (p, "family_name", family);
  jw_str (p, "relation", "child");
  jw_date (p, "birth_date", birth);
  jw_bool (p, "needs_childcare", childcare);
  emit (g, REGIE_RECORD_HOUSEHOLD_MEMBER, NULL, &g->ref);
}

static void
emit_partner (Gen         *g,
              const char  *given,
              const char  *family,
              const GDate *birth)
{
  GString *p = begin (g);

  jw_str (p, "given_names", given);
  jw_str (p, "family_name", family);
  jw_str (p, "relation", "partner");
  jw_date (p, "birth_date", birth);
  emit (g, REGIE_RECORD_HOUSEHOLD_MEMBER, NULL, &g->ref);
}

static void
emit_leerbaarheid (Gen         *g,
                   const GDate *taken,
                   const char  *outcome,
                   int          score)
{
  GString *p = begin (g);

  jw_date (p, "taken_on", taken);
  jw_str (p, "outcome", outcome);
  if (score >= 0)
    jw_int (p, "score", score);
  emit (g, REGIE_RECORD_INTAKE_LEERBAARHEID, NULL, taken);
}

static void
emit_education (Gen                *g,
                const GDate        *done,
                const char         *education,
                const char * const *languages,
                const char         *work,
                const char         *ambitions)
{
  GString *p = begin (g);

  jw_date (p, "completed_on", done);
  jw_str (p, "education", education);
  jw_open (p, "languages", '[');
  for (unsigned i = 0; languages[i] != NULL; i++)
    jw_str (p, NULL, languages[i]);
  jw_close (p, ']');
  jw_str (p, "work_history", work);
  jw_str (p, "ambitions", ambitions);
  emit (g, REGIE_RECORD_INTAKE_EDUCATION, NULL, done);
}

static void
emit_circumstances (Gen         *g,
                    const GDate *done,
                    const char  *household,
                    const char  *housing,
                    const char  *finances,
                    const char  *childcare,
                    const char  *network)
{
  GString *p = begin (g);

  jw_date (p, "completed_on", done);
  jw_str (p, "household", household);
  jw_str (p, "housing", housing);
  jw_str (p, "finances", finances);
  jw_str (p, "childcare", childcare);
  jw_str (p, "network", network);
  jw_bool (p, "client_support_offered", TRUE);
  emit (g, REGIE_RECORD_INTAKE_CIRCUMSTANCES, NULL, done);
}

static void
emit_health (Gen         *g,
             const GDate *done,
             const char  *health,
             const char  *care,
             gboolean     limits)
{
  GString *p = begin (g);

  jw_date (p, "completed_on", done);
  jw_str (p, "health", health);
  jw_str (p, "care_providers", care);
  jw_bool (p, "limits_learning", limits);
  emit (g, REGIE_RECORD_INTAKE_HEALTH, NULL, done);
}

typedef struct
{
  int          version;
  GDate        dagtekening;
  Route        route;
  const char  *level;          /* B1 for b1/onderwijs; A1 or A2 on the Z-route */
  int          hours_estimate; /* asylum status holders only; -1: none */
  const char  *provider;
  gboolean     certified;
  int          intensity;
  const char  *participation;
  gboolean     duaal;
  const char  *childcare;
  const char  *support;
  int          talk_weeks;
  gboolean     waiting_third_party;
} Pip;

static void
emit_pip (Gen       *g,
          const Pip *pip)
{
  GString *p = begin (g);

  jw_int (p, "version", pip->version);
  jw_date (p, "dagtekening", &pip->dagtekening);
  jw_str (p, "leerroute", route_names[pip->route]);
  jw_open (p, "target_levels", '{');
  jw_str (p, "reading", pip->level);
  jw_str (p, "listening", pip->level);
  jw_str (p, "writing", pip->level);
  jw_str (p, "speaking", pip->level);
  jw_close (p, '}');
  jw_bool (p, "knm", pip->route != ROUTE_Z);
  if (pip->hours_estimate >= 0)
    jw_int (p, "hours_estimate", pip->hours_estimate);
  jw_str (p, "course_provider", pip->provider);
  jw_bool (p, "course_provider_certified", pip->certified);
  jw_int (p, "intensity_hours_per_week", pip->intensity);
  jw_bool (p, "pvt", TRUE);
  jw_bool (p, "map", pip->route != ROUTE_ONDERWIJS);
  jw_str (p, "participation", pip->participation);
  jw_bool (p, "duaal", pip->duaal);
  jw_str (p, "childcare", pip->childcare);
  jw_str (p, "support", pip->support);
  jw_int (p, "progress_talk_weeks", pip->talk_weeks);
  if (pip->waiting_third_party)
    jw_bool (p, "waiting_third_party", TRUE);
  emit (g, REGIE_RECORD_PIP, NULL, &pip->dagtekening);
}

static GDate
month_end (const GDate *day)
{
  GDate end = *day;

  g_date_set_day (&end, g_date_get_days_in_month (g_date_get_month (day), g_date_get_year (day)));
  return end;
}

/* Lesson hours per calendar month from `from` until `until`, only for
 * months that are over by then. Returns the total. */
static int
emit_lessons (Gen         *g,
              const char  *provider,
              gboolean     certified,
              const GDate *from,
              const GDate *until,
              int          lo,
              int          hi)
{
  GDate start = *from;
  int total = 0;

  for (;;)
    {
      GDate end = month_end (&start);
      int days = (int) g_date_get_day (&end) - (int) g_date_get_day (&start) + 1;
      int hours;
      GString *p;

      if (after (&end, until))
        break;
      hours = range (g->rand, lo, hi) * days / (int) g_date_get_day (&end);

      p = begin (g);
      jw_str (p, "provider", provider);
      jw_bool (p, "certified", certified);
      jw_date (p, "from", &start);
      jw_date (p, "to", &end);
      jw_int (p, "hours", hours);
      emit (g, REGIE_RECORD_LESSON_HOURS, NULL, &end);
      total += hours;

      start = days_from (&end, 1);
    }

  return total;
}

/* Participation per quarter-ish period of three months. */
static int
emit_participation (Gen         *g,
                    const char  *kind,
                    const char  *activity,
                    const GDate *from,
                    const GDate *until,
                    int          lo,
                    int          hi)
{
  GDate start = *from;
  int total = 0;

  for (;;)
    {
      GDate end = days_from (&start, 0);
      int hours = range (g->rand, lo, hi);
      GString *p;

      end = months_from (&start, 3);
      end = days_from (&end, -1);
      if (after (&end, until))
        break;

      p = begin (g);
      jw_str (p, "activity", activity);
      jw_str (p, "kind", kind);
      jw_date (p, "from", &start);
      jw_date (p, "to", &end);
      jw_int (p, "hours", hours);
      emit (g, REGIE_RECORD_PARTICIPATION_HOURS, NULL, &end);
      total += hours;

      start = days_from (&end, 1);
    }

  return total;
}

/* Progress talks at the PIP's frequency, a little early each time so that
 * none is overdue, unless `drop` of the latest are left out. */
static void
emit_talks (Gen         *g,
            const GDate *first_pip,
            const GDate *until,
            int          weeks,
            int          drop)
{
  g_autoptr(GArray) days = g_array_new (FALSE, FALSE, sizeof (GDate));
  GDate day = *first_pip;

  for (;;)
    {
      day = days_from (&day, weeks * 7 - range (g->rand, 0, 6));
      if (after (&day, until))
        break;
      g_array_append_val (days, day);
    }

  for (guint i = 0; i + (guint) drop < days->len; i++)
    {
      GDate *held = &g_array_index (days, GDate, i);
      GString *p = begin (g);

      jw_date (p, "held_on", held);
      jw_str (p, "held_by", g->km->username);
      jw_open (p, "life_areas", '{');
      jw_str (p, "language", pick (g->rand, talk_language));
      jw_str (p, "participation", pick (g->rand, talk_participation));
      jw_str (p, "work", pick (g->rand, talk_work));
      jw_str (p, "income", pick (g->rand, talk_income));
      jw_str (p, "housing", pick (g->rand, talk_housing));
      jw_str (p, "family", pick (g->rand, talk_family));
      jw_str (p, "wellbeing", pick (g->rand, talk_wellbeing));
      jw_str (p, "network", pick (g->rand, talk_network));
      jw_close (p, '}');
      jw_str (p, "agreements", pick (g->rand, talk_agreements));
      emit (g, REGIE_RECORD_PROGRESS_TALK, NULL, held);
    }
}

static void
emit_exam (Gen         *g,
           const char  *part,
           const GDate *day,
           int          attempt,
           const char  *result,
           const char  *level)
{
  GString *p = begin (g);

  jw_str (p, "part", part);
  jw_date (p, "taken_on", day);
  jw_int (p, "attempt", attempt);
  jw_str (p, "result", result);
  jw_str (p, "level", level);
  emit (g, REGIE_RECORD_EXAM, NULL, day);
}

/* Exams of one part from `first` on, retaken after a failure while there
 * is time; returns TRUE when passed by `until`. */
static gboolean
emit_exam_part (Gen         *g,
                const char  *part,
                const GDate *first,
                const GDate *until,
                int          pass_percent,
                int          max_attempts)
{
  GDate day = *first;

  for (int attempt = 1; attempt <= max_attempts && !after (&day, until); attempt++)
    {
      GDate recent = days_from (until, -21);
      int roll = range (g->rand, 0, 99);

      if (after (&day, &recent))
        {
          emit_exam (g, part, &day, attempt, "pending", "B1");
          return FALSE;
        }
      if (roll < pass_percent)
        {
          emit_exam (g, part, &day, attempt, "passed", "B1");
          return TRUE;
        }
      emit_exam (g, part, &day, attempt, roll < 96 ? "failed" : "no_show", "B1");
      day = days_from (&day, range (g->rand, 60, 110));
    }
  return FALSE;
}

static void
emit_pvt (Gen         *g,
          const GDate *started,
          const GDate *until)
{
  GString *p = begin (g);
  GDate signed_on = days_from (started, range (g->rand, 56, 90));

  jw_date (p, "started_on", started);
  if (!after (&signed_on, until) && chance (g->rand, 85))
    {
      jw_int (p, "hours", range (g->rand, 12, 16));
      jw_date (p, "signed_on", &signed_on);
    }
  else
    jw_int (p, "hours", range (g->rand, 2, 11));
  emit (g, REGIE_RECORD_PVT, NULL, started);
}

static void
emit_map (Gen         *g,
          const GDate *started,
          const GDate *until)
{
  GString *p = begin (g);
  GDate end = days_from (started, range (g->rand, 90, 180));

  jw_date (p, "started_on", started);
  if (!after (&end, until))
    jw_date (p, "eindgesprek_on", &end);
  emit (g, REGIE_RECORD_MAP, NULL, started);
}

static void
emit_signal (Gen         *g,
             const char  *title,
             const char  *description,
             const GDate *raised,
             const char  *status)
{
  GString *p = begin (g);
  GDate due = days_from (raised, 14);

  jw_str (p, "title", title);
  jw_str (p, "description", description);
  jw_str (p, "owner", g->km->username);
  jw_str (p, "status", status);
  jw_date (p, "raised_on", raised);
  jw_date (p, "due_on", &due);
  emit (g, REGIE_RECORD_SIGNAL, NULL, raised);
}

static void
emit_closure (Gen         *g,
              const GDate *closed,
              const char  *reason,
              const char  *notes)
{
  GString *p = begin (g);

  jw_date (p, "closed_on", closed);
  jw_str (p, "reason", reason);
  jw_str (p, "notes", notes);
  emit (g, REGIE_RECORD_CLOSURE, NULL, closed);
}

/* Ontzorgen: the arrangement and one record per month. `trouble` makes
 * the months before the toeslagen arrive: leefgeld near nothing, toeslagen
 * late or still missing on the reference date. */
typedef struct
{
  GDate    started;
  GDate    until;                /* nothing after this day */
  int      n_months;
  int      children;
  gboolean partner;
  gboolean trouble;
  gint64   low_leefgeld_cents;   /* trouble: leefgeld in the first month */
  gboolean loan;
} Ontzorgen;

static void
emit_ontzorgen (Gen             *g,
                const Ontzorgen *o)
{
  GDate review = months_from (&o->started, 6);
  GDate handed_back = months_from (&o->started, o->n_months);
  GDate mandate = days_from (&o->started, -range (g->rand, 3, 10));
  gint64 bijstand = o->partner ? range (g->rand, 1390, 1500) * 100 : range (g->rand, 1100, 1260) * 100;
  gint64 rent = range (g->rand, 620, 820) * 100;
  gint64 energy = range (g->rand, 140, 230) * 100;
  gint64 water = range (g->rand, 28, 42) * 100;
  gint64 insurance = (o->partner ? 2 : 1) * range (g->rand, 138, 158) * 100;
  gint64 huurtoeslag = range (g->rand, 220, 380) * 100;
  gint64 zorgtoeslag = (o->partner ? 2 : 1) * 12300;
  gint64 kgb = o->children > 0 ? range (g->rand, 180, 120 + 90 * o->children) * 100 : 0;
  GDate last_allowed = o->until;
  GDate month = o->started;
  GString *p;
  int written = 0;

  g_date_set_day (&month, 1);

  p = begin (g);
  jw_date (p, "started_on", &o->started);
  jw_date (p, "mandate_on", &mandate);
  if (!after (&review, &o->until))
    jw_date (p, "reviewed_on", &review);
  if (!after (&handed_back, &o->until) && !o->trouble)
    jw_date (p, "handed_back_on", &handed_back);
  jw_str (p, "notes", o->trouble ? "Budgetcoach ingezet; toeslagen lopen achter."
                                 : "Betaalt steeds meer zelf; oefent met de bankapp.");
  emit (g, REGIE_RECORD_ONTZORGEN, NULL, &o->started);

  for (int i = 0; i < o->n_months; i++, month = months_from (&month, 1))
    {
      GDate paid = days_from (&month, range (g->rand, 0, 3));
      GDate expected = days_from (&month, 19);
      gboolean missing = o->trouble && i == 0;
      GDate next_expected = days_from (&month, 0);
      gboolean late;
      gint64 other_cost = 0;
      char month_text[8];

      /* Only months that have begun, with their allowances expected. */
      if (after (&expected, &last_allowed))
        break;

      /* Trouble: the second and the latest month's toeslagen come late. */
      next_expected = months_from (&month, 1);
      next_expected = days_from (&next_expected, 19);
      late = o->trouble && (i == 1 || i == o->n_months - 1 || after (&next_expected, &last_allowed));

      if (missing)
        {
          /* An energy back-payment on top of the fixed costs, no toeslagen
           * yet: what is left is almost nothing. */
          other_cost = bijstand - rent - energy - water - insurance - o->low_leefgeld_cents;
          if (other_cost < 0)
            {
              rent += other_cost;
              other_cost = 0;
            }
        }

      g_snprintf (month_text, sizeof month_text, "%04d-%02d", g_date_get_year (&month),
                  g_date_get_month (&month));
      p = begin (g);
      jw_str (p, "month", month_text);
      jw_int (p, "bijstand_cents", bijstand);
      jw_open (p, "toeslagen", '[');
      if (!missing)
        {
          const char *types[] = { "huurtoeslag", "zorgtoeslag", "kindgebonden_budget" };
          gint64 amounts[] = { huurtoeslag, zorgtoeslag, kgb };

          for (unsigned t = 0; t < G_N_ELEMENTS (types); t++)
            {
              GDate received = days_from (&expected, late ? range (g->rand, 35, 70)
                                                          : range (g->rand, 0, 3));

              if (amounts[t] == 0)
                continue;
              if (!late && after (&received, &g->ref))
                received = expected;
              jw_open (p, NULL, '{');
              jw_str (p, "type", types[t]);
              jw_int (p, "expected_cents", amounts[t]);
              jw_date (p, "expected_on", &expected);
              if (!after (&received, &g->ref) && !(late && t == 2))
                {
                  jw_int (p, "received_cents", amounts[t]);
                  jw_date (p, "received_on", &received);
                }
              jw_close (p, '}');
            }
        }
      jw_close (p, ']');
      jw_open (p, "fixed_costs", '[');
      {
        const char *types[] = { "rent", "energy", "water", "health_insurance", "other" };
        gint64 amounts[] = { rent, energy, water, insurance, other_cost };

        for (unsigned t = 0; t < G_N_ELEMENTS (types); t++)
          {
            if (amounts[t] == 0)
              continue;
            jw_open (p, NULL, '{');
            jw_str (p, "type", types[t]);
            jw_int (p, "amount_cents", amounts[t]);
            jw_date (p, "paid_on", &paid);
            jw_close (p, '}');
          }
      }
      jw_close (p, ']');
      emit (g, REGIE_RECORD_ONTZORGEN_MONTH, NULL, &paid);
      written++;
    }

  if (o->loan && written > 0)
    {
      GDate granted = days_from (&o->started, range (g->rand, 10, 25));
      gint64 amount = range (g->rand, 25, 60) * 1000;
      GDate repay = months_from (&granted, 2);
      gint64 repaid = 0;

      if (after (&granted, &o->until))
        return;
      p = begin (g);
      jw_date (p, "granted_on", &granted);
      jw_int (p, "amount_cents", amount);
      jw_str (p, "reason", "Overbrugging tot de toeslagen binnen zijn.");
      jw_open (p, "repayments", '[');
      while (!after (&repay, &o->until) && repaid + 2500 < amount)
        {
          jw_open (p, NULL, '{');
          jw_date (p, "paid_on", &repay);
          jw_int (p, "amount_cents", 2500);
          jw_close (p, '}');
          repaid += 2500;
          repay = months_from (&repay, 1);
        }
      jw_close (p, ']');
      emit (g, REGIE_RECORD_BRIDGING_LOAN, NULL, &granted);
    }
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

/* The person and the dossier's first records. */
typedef struct
{
  const char     *dossier_id;     /* NULL: made from the seed */
  const char     *person_id;
  const char     *assignment_id;
  const char     *given_names;
  const char     *family_name;
  GDate           birth;
  RegieDoelgroep  doelgroep;
  const char     *language;
  const char     *second_language;
  GDate           notified;
  GDate           brp;            /* asylum: BRP registration */
  GDate           opened;
  gboolean        closed;
} Identity;

static void
emit_start (Gen            *g,
            const Identity *who,
            const char     *bsn,
            const char     *v_number)
{
  GString *p = begin (g);
  g_autofree char *phone = g_strdup_printf ("06-%08d", range (g->rand, 10000000, 99999999));
  g_autofree char *address = g_strdup_printf ("%s %d, Demoland", pick (g->rand, streets),
                                              range (g->rand, 1, 180));

  jw_str (p, "status", who->closed ? "closed" : "open");
  jw_date (p, "opened_on", &who->opened);
  jw_date (p, "notified_on", &who->notified);
  if (who->doelgroep == REGIE_DOELGROEP_ASIELSTATUSHOUDER)
    jw_date (p, "brp_registered_on", &who->brp);
  emit (g, REGIE_RECORD_DOSSIER, g->dossier_id, &who->opened);

  p = begin (g);
  jw_str (p, "bsn", bsn);
  jw_str (p, "v_number", v_number);
  jw_str (p, "given_names", who->given_names);
  jw_str (p, "family_name", who->family_name);
  jw_date (p, "birth_date", &who->birth);
  jw_str (p, "doelgroep", regie_doelgroep_to_string (who->doelgroep));
  jw_open (p, "languages", '[');
  jw_str (p, NULL, who->language);
  if (who->second_language != NULL)
    jw_str (p, NULL, who->second_language);
  jw_close (p, ']');
  jw_str (p, "phone", phone);
  jw_str (p, "address", address);
  emit (g, REGIE_RECORD_PERSON, who->person_id, &who->opened);

  p = begin (g);
  jw_str (p, "team", g->km->team);
  jw_str (p, "klantmanager", g->km->username);
  emit (g, REGIE_RECORD_ASSIGNMENT, who->assignment_id, &who->opened);

  emit_duo (g, &who->notified, "SS101", who->doelgroep);
}

/* The day the 10-week PIP term starts (DOMAIN.md §2.4). */
static GDate
term_start (const Identity *who)
{
  return who->doelgroep == REGIE_DOELGROEP_ASIELSTATUSHOUDER ? latest (&who->notified, &who->brp)
                                                              : who->notified;
}

/* A dossier made from the seed. */
static void
make_generated (Gen            *g,
                guint32         seed,
                unsigned        index)
{
  GRand *rand = g->rand;
  Identity who = { 0 };
  g_autofree char *given = NULL;
  g_autofree char *bsn = demo_bsn_for (seed, index);
  g_autofree char *v_number = demo_v_number_new (rand);
  const Origin *origin;
  gboolean woman, closed_ending = FALSE;
  int roll, age_days = 0, n_children;
  Stage stage;
  Route route;
  GDate start, ref = g->ref, until;
  GDate intake_day;
  const char *outcome;
  int score;

  roll = range (rand, 0, 99);
  who.doelgroep = roll < 65 ? REGIE_DOELGROEP_ASIELSTATUSHOUDER :
                  roll < 95 ? REGIE_DOELGROEP_GEZINSMIGRANT : REGIE_DOELGROEP_OVERIGE_MIGRANT;
  g->asylum = who.doelgroep == REGIE_DOELGROEP_ASIELSTATUSHOUDER;
  origin = pick_origin (rand, who.doelgroep);
  woman = g_rand_boolean (rand);

  if (chance (rand, 20))
    {
      const char * const *pool = woman ? origin->women : origin->men;
      /* In this order: as the compiler evaluated the two draws when they
       * were arguments of one call, so that existing demo names stay. */
      const char *second = pick (rand, pool);
      const char *first = pick (rand, pool);

      /* Never "Rahwa Rahwa": the next name of the pool instead (no
       * further draw, so the rest of the demo stays as it was). */
      if (second == first)
        second = first == pool[0] ? pool[1] : pool[0];
      given = g_strdup_printf ("%s %s", first, second);
    }
  else
    given = g_strdup (pick (rand, woman ? origin->women : origin->men));
  who.given_names = given;
  who.family_name = who.doelgroep == REGIE_DOELGROEP_GEZINSMIGRANT && chance (rand, 30)
                    ? pick (rand, dutch_families) : pick (rand, origin->families);
  who.language = origin->language;
  who.second_language = chance (rand, 35) ? "Engels" : NULL;
  who.birth = days_from (&ref, -range (rand, 18 * 365, 64 * 365));

  roll = range (rand, 0, 99);
  stage = roll < 10 ? STAGE_NOTIFIED : roll < 25 ? STAGE_INTAKE : roll < 35 ? STAGE_WAITING :
          roll < 85 ? STAGE_ROUTE : roll < 95 ? STAGE_ENDING : STAGE_MOVED;
  switch (stage)
    {
    case STAGE_NOTIFIED: age_days = range (rand, 0, 35); break;
    case STAGE_INTAKE:   age_days = range (rand, 21, 63); break;
    case STAGE_WAITING:  age_days = range (rand, 49, 90); break;
    case STAGE_ROUTE:    age_days = range (rand, 110, 34 * 30); break;
    case STAGE_ENDING:   age_days = range (rand, 33 * 30, 40 * 30); break;
    case STAGE_MOVED:    age_days = range (rand, 180, 24 * 30); break;
    default:             g_assert_not_reached ();
    }

  who.notified = days_from (&ref, -age_days);
  who.brp = days_from (&who.notified, g->asylum ? range (rand, 0, 28) : 0);
  who.brp = earliest (&who.brp, &ref);
  who.opened = days_from (&who.notified, range (rand, 0, 10));
  who.opened = earliest (&who.opened, &ref);
  g->dossier_id = demo_uuid_new (rand, unix_ms_of (&who.opened) +
                                 (guint64) range (rand, 8 * 3600, 17 * 3600) * 1000);

  roll = range (rand, 0, 99);
  route = roll < 55 ? ROUTE_B1 : roll < 65 ? ROUTE_ONDERWIJS : ROUTE_Z;
  /* Older people without schooling end up on the Z-route more often. */
  if (g_date_get_year (&who.birth) < g_date_get_year (&ref) - 55 && chance (rand, 50))
    route = ROUTE_Z;

  if (stage == STAGE_ENDING)
    closed_ending = chance (rand, 50);
  who.closed = closed_ending || stage == STAGE_MOVED;

  emit_start (g, &who, bsn, v_number);

  start = term_start (&who);

  n_children = chance (rand, 45) ? range (rand, 1, 4) : 0;
  if (chance (rand, 40))
    {
      GDate pb = days_from (&who.birth, range (rand, -2000, 2000));
      emit_partner (g, pick (rand, woman ? origin->men : origin->women), who.family_name, &pb);
    }
  for (int i = 0; i < n_children; i++)
    {
      GDate cb = days_from (&ref, -range (rand, 100, 17 * 365));
      gboolean young = g_date_days_between (&cb, &ref) < 4 * 365;

      emit_child (g, pick (rand, chance (rand, 50) ? origin->men : origin->women),
                  who.family_name, &cb, young && chance (rand, 70));
    }

  if (stage == STAGE_NOTIFIED)
    {
      GDate day = days_from (&who.opened, range (rand, 0, 5));
      g_autofree char *text = g_strdup_printf ("Uitnodiging brede intake verstuurd; tolk %s "
                                               "aangevraagd.", origin->language);

      if (!after (&day, &ref))
        emit_note (g, NULL, &day, text);
      return;
    }

  /* The brede intake. */
  if (route == ROUTE_Z)
    outcome = chance (rand, 85) ? "niet_haalbaar" : "onbekend";
  else
    outcome = chance (rand, 90) ? "b1_haalbaar" : "onbekend";
  score = g_str_equal (outcome, "onbekend") ? -1 :
          g_str_equal (outcome, "niet_haalbaar") ? range (rand, 80, 440) :
          route == ROUTE_ONDERWIJS ? range (rand, 780, 980) : range (rand, 520, 860);

  intake_day = days_from (&start, range (rand, 10, 28));
  intake_day = earliest (&intake_day, &ref);
  emit_leerbaarheid (g, &intake_day, outcome, score);

  if (chance (g->rand, 6) && who.doelgroep != REGIE_DOELGROEP_ASIELSTATUSHOUDER)
    {
      /* Did not come to the first intake appointment. */
      GString *p = begin (g);
      jw_str (p, "action", "warning");
      jw_str (p, "subject", "intake");
      jw_date (p, "date", &intake_day);
      jw_str (p, "culpability", "deels_verwijtbaar");
      jw_str (p, "culpability_notes", "Niet verschenen zonder bericht; nieuwe afspraak gemaakt.");
      emit (g, REGIE_RECORD_HANDHAVING, NULL, &intake_day);
    }

  {
    const char * const *texts = education_texts[route == ROUTE_Z ? (chance (rand, 50) ? 0 : 4) :
                                                route == ROUTE_ONDERWIJS ? (chance (rand, 50) ? 3 : 6) :
                                                range (rand, 1, 5)];
    const char *languages[] = { who.language, who.second_language, NULL };
    GDate d2 = days_from (&intake_day, range (rand, 3, 14));
    GDate d3 = days_from (&d2, range (rand, 0, 14));
    g_autofree char *household = NULL;

    household = n_children > 0 ? g_strdup_printf ("Gezin met %d %s.", n_children,
                                                   n_children == 1 ? "kind" : "kinderen")
                               : g_strdup ("Woont alleen.");

    if (stage != STAGE_INTAKE || chance (rand, 60))
      if (!after (&d2, &ref))
        emit_education (g, &d2, texts[0], languages, texts[1], texts[2]);
    if (stage != STAGE_INTAKE || chance (rand, 40))
      if (!after (&d3, &ref))
        {
          emit_circumstances (g, &d3, household, pick (rand, housing_texts),
                              g->asylum ? "Bijstand aangevraagd; nog geen toeslagen."
                                        : "Partner verdient; geen schulden bekend.",
                              n_children > 0 ? "Opvang nodig op lesdagen." : "Niet van toepassing.",
                              pick (rand, network_texts));
          emit_health (g, &d3, pick (rand, health_texts),
                       chance (rand, 50) ? "Huisarts" : "Huisarts, fysiotherapeut",
                       route == ROUTE_Z && chance (rand, 40));
        }
  }

  if (stage == STAGE_INTAKE)
    return;

  if (chance (rand, 40))
    {
      GDate ss139 = days_from (&start, range (rand, 1, 6));
      if (!after (&ss139, &ref))
        emit_duo (g, &ss139, "SS139", who.doelgroep);
    }

  if (stage == STAGE_WAITING)
    {
      GDate day = days_from (&start, range (rand, 40, 55));

      if (!after (&day, &ref))
        emit_note (g, NULL, &day, "PIP-gesprek gepland; wacht op advies van de taalschool.");
      return;
    }

  /* The PIP and the route. */
  {
    Pip pip = { 0 };
    GDate lessons_from, end_of_route, route_end;
    int lesson_lo, lesson_hi, total_lessons, total_part = 0;
    gboolean certified = !chance (rand, 12);
    gboolean late_pip = chance (rand, 15);
    const char *provider;

    pip.version = 1;
    pip.dagtekening = days_from (&start, late_pip ? range (rand, 71, 110) : range (rand, 28, 70));
    pip.route = route;
    pip.level = route == ROUTE_Z ? (chance (rand, 70) ? "A1" : "A2") : "B1";
    pip.hours_estimate = g->asylum ? (route == ROUTE_Z ? 800 : route == ROUTE_B1 ? range (rand, 8, 14) * 100
                                                                                : range (rand, 10, 16) * 100)
                                   : -1;
    provider = route == ROUTE_ONDERWIJS ? pick (rand, onderwijs_schools) :
               route == ROUTE_Z ? pick (rand, zroute_schools) :
               certified ? pick (rand, certified_schools) : pick (rand, uncertified_schools);
    if (route != ROUTE_B1)
      certified = TRUE;
    pip.provider = provider;
    pip.certified = certified;
    pip.intensity = route == ROUTE_ONDERWIJS ? range (rand, 14, 20) :
                    route == ROUTE_Z ? range (rand, 7, 10) : range (rand, 8, 16);
    pip.participation = route == ROUTE_Z ? "Participatie naast de taal: vrijwilligerswerk en taalcafé."
                                         : "Vrijwilligerswerk naast de lessen; later werk.";
    pip.duaal = route == ROUTE_B1 && chance (rand, 15);
    pip.childcare = n_children > 0 ? "Kinderopvang op lesdagen via het wijkteam." : NULL;
    pip.support = g->asylum ? "Maatschappelijke begeleiding door VluchtelingenWerk." : NULL;
    pip.talk_weeks = range (rand, 6, 13);
    pip.waiting_third_party = late_pip && chance (rand, 30);
    if (after (&pip.dagtekening, &ref))
      pip.dagtekening = ref;
    emit_pip (g, &pip);

    if (late_pip)
      emit_note (g, NULL, &pip.dagtekening,
                 "PIP later vastgesteld: rapport leerbaarheid kwam laat binnen.");

    end_of_route = ref;
    if (stage == STAGE_MOVED)
      {
        GDate moved = days_from (&pip.dagtekening, range (rand, 60, 400));
        end_of_route = earliest (&moved, &ref);
      }
    else if (closed_ending)
      end_of_route = days_from (&ref, -range (rand, 10, 120));
    until = end_of_route;

    /* A second PIP version: more hours, another provider or childcare. */
    {
      GDate v2 = months_from (&pip.dagtekening, range (rand, 6, 14));

      if (!after (&v2, &until) && chance (rand, 30))
        {
          Pip second = pip;

          second.version = 2;
          second.dagtekening = v2;
          second.intensity = MIN (pip.intensity + range (rand, 1, 4), 24);
          second.participation = "Meer uren participatie afgesproken; start werkervaringsplek.";
          emit_pip (g, &second);
        }
    }

    lessons_from = days_from (&pip.dagtekening, range (rand, 7, 30));
    lesson_lo = pip.intensity * 4 * 70 / 100;
    lesson_hi = pip.intensity * 4 + pip.intensity / 2;
    total_lessons = emit_lessons (g, provider, certified, &lessons_from, &until, lesson_lo, lesson_hi);

    {
      int a = range (rand, 0, G_N_ELEMENTS (participation_activities) - 1);
      GDate pfrom = months_from (&lessons_from, range (rand, 1, 4));

      if (route == ROUTE_Z && g->asylum)
        total_part = emit_participation (g, participation_activities[a][0],
                                         participation_activities[a][1], &pfrom, &until, 70, 110);
      else if (pip.duaal)
        total_part = emit_participation (g, "duaal", "Werk in de horeca, gecombineerd met taal",
                                         &pfrom, &until, 150, 300);
      else if (chance (rand, 60))
        total_part = emit_participation (g, participation_activities[a][0],
                                         participation_activities[a][1], &pfrom, &until, 20, 90);
    }

    emit_talks (g, &pip.dagtekening, &until, pip.talk_weeks,
                stage == STAGE_ROUTE && chance (rand, 15) ? 1 : 0);

    {
      GDate pvt = months_from (&pip.dagtekening, range (rand, 1, 4));
      GDate map = months_from (&pip.dagtekening, range (rand, 4, 12));

      if (!after (&pvt, &until))
        emit_pvt (g, &pvt, &until);
      if (route != ROUTE_ONDERWIJS && !after (&map, &until))
        emit_map (g, &map, &until);
    }

    /* Exams after a year or more on the B1-route; KNM on the onderwijsroute. */
    {
      static const char * const parts[] = { "KNM", "L", "Lu", "S", "Sp" };
      GDate first = months_from (&pip.dagtekening, range (rand, 10, 20));
      int max_attempts = g->asylum ? 3 : 4;
      gboolean all_passed = TRUE;

      if (route == ROUTE_B1)
        for (unsigned i = 0; i < G_N_ELEMENTS (parts); i++)
          {
            GDate day = days_from (&first, 14 * (int) i);
            all_passed &= emit_exam_part (g, parts[i], &day, &until, 72, max_attempts);
          }
      else if (route == ROUTE_ONDERWIJS)
        all_passed = emit_exam_part (g, "KNM", &first, &until, 85, max_attempts);

      if (closed_ending)
        {
          const char *reason = all_passed && route == ROUTE_B1 ? "diploma" :
                               chance (rand, 30) ? "naturalisation" :
                               chance (rand, 40) ? "departure" : "ontheffing";

          if (g_str_equal (reason, "ontheffing"))
            {
              GDate asked = days_from (&until, -range (rand, 60, 120));
              GDate advised = days_from (&asked, range (rand, 7, 21));
              GDate decided = days_from (&advised, range (rand, 20, 50));
              GString *p = begin (g);

              decided = earliest (&decided, &until);
              jw_str (p, "type", "ontheffing_med");
              jw_date (p, "requested_on", &asked);
              jw_date (p, "advised_on", &advised);
              jw_str (p, "advice", "positive");
              jw_str (p, "outcome", "granted");
              jw_date (p, "decided_on", &decided);
              emit (g, REGIE_RECORD_DUO_DECISION, NULL, &asked);
            }
          emit_closure (g, &until, reason, "Dossier afgesloten; DUO geïnformeerd.");
        }
    }

    /* Z-route finished: the eindgesprek once the hours are there. */
    route_end = until;
    if (route == ROUTE_Z && stage == STAGE_ENDING && total_lessons >= 800 &&
        (!g->asylum || total_part >= 800))
      {
        GString *p = begin (g);
        GDate held = days_from (&route_end, -range (rand, 5, 40));
        GDate reported = days_from (&held, range (rand, 3, 14));

        jw_date (p, "held_on", &held);
        jw_str (p, "summary", "Z-route afgerond: redt zich in het dagelijks leven met eenvoudige "
                              "Nederlandse zinnen.");
        if (!after (&reported, &route_end))
          jw_date (p, "reported_to_duo_on", &reported);
        emit (g, REGIE_RECORD_ZROUTE_EINDGESPREK, NULL, &held);
      }

    if (chance (rand, 5))
      {
        GDate asked = months_from (&pip.dagtekening, range (rand, 20, 30));
        if (!after (&asked, &until))
          {
            GString *p = begin (g);
            GDate decided = days_from (&asked, range (rand, 30, 70));

            jw_str (p, "type", "verlenging");
            jw_date (p, "requested_on", &asked);
            jw_date (p, "advised_on", &asked);
            jw_str (p, "advice", "positive");
            if (after (&decided, &until))
              jw_str (p, "outcome", "pending");
            else
              {
                jw_str (p, "outcome", "granted");
                jw_date (p, "decided_on", &decided);
                jw_int (p, "extension_months", range (rand, 6, 12));
              }
            emit (g, REGIE_RECORD_DUO_DECISION, NULL, &asked);
          }
      }

    if (!g->asylum && chance (rand, 2))
      {
        GDate warned = months_from (&pip.dagtekening, range (rand, 6, 12));
        GDate fined = days_from (&warned, range (rand, 42, 70));
        GString *p;

        if (!after (&warned, &until))
          {
            p = begin (g);
            jw_str (p, "action", "warning");
            jw_str (p, "subject", "pip");
            jw_date (p, "date", &warned);
            jw_str (p, "culpability", "verwijtbaar");
            jw_str (p, "culpability_notes", "Komt structureel niet naar de lessen, zonder reden.");
            emit (g, REGIE_RECORD_HANDHAVING, NULL, &warned);
          }
        if (!after (&fined, &until))
          {
            p = begin (g);
            jw_str (p, "action", "fine");
            jw_str (p, "subject", "pip");
            jw_date (p, "date", &fined);
            jw_int (p, "amount_cents", range (rand, 2, 8) * 10000);
            jw_str (p, "culpability", "verwijtbaar");
            jw_str (p, "culpability_notes", "Na de waarschuwing geen verbetering; gesprek gevoerd.");
            emit (g, REGIE_RECORD_HANDHAVING, NULL, &fined);
          }
      }

    if (chance (rand, 35))
      {
        int s = range (rand, 0, G_N_ELEMENTS (signal_titles) - 1);
        GDate raised = days_from (&until, -range (rand, 3, 120));

        raised = latest (&raised, &pip.dagtekening);
        emit_signal (g, signal_titles[s][0], signal_titles[s][1], &raised,
                     who.closed ? "done" : pick (rand, (const char *[]) { "open", "in_progress", "done", NULL }));
      }

    if (stage == STAGE_MOVED)
      {
        static const char * const elsewhere[] = { "Gemeente Utrecht", "Gemeente Zwolle", "Gemeente Almere",
                                                  "Gemeente Tilburg", "Gemeente Groningen", NULL };
        GString *p = begin (g);

        jw_str (p, "to_municipality", pick (rand, elsewhere));
        jw_date (p, "handed_over_on", &until);
        jw_str (p, "notes", "PIP, voortgang en lopende afspraken overgedragen; route blijft gelijk.");
        emit (g, REGIE_RECORD_HANDOVER, NULL, &until);
        emit_closure (g, &until, "moved", "Verhuisd; dossier overgedragen.");
      }

  }

  /* Ontzorgen for about 60% of asylum status holders, from the first
   * bijstand payment after BRP registration. */
  if (g->asylum && chance (rand, 60))
    {
      Ontzorgen o = { 0 };

      o.started = days_from (&who.brp, range (rand, 14, 40));
      o.until = stage == STAGE_MOVED || closed_ending ? until : ref;
      o.n_months = range (rand, 6, 8);
      o.children = n_children;
      o.trouble = chance (rand, 20);
      o.low_leefgeld_cents = range (rand, 15, 120) * 100;
      o.loan = o.trouble && chance (rand, 60);
      if (!after (&o.started, &ref))
        emit_ontzorgen (g, &o);
    }

  {
    int n_notes = range (rand, 0, 3);

    for (int i = 0; i < n_notes; i++)
      {
        GDate day = days_from (&who.opened, 3 + 10 * i + range (rand, 0, 9));
        if (!after (&day, &ref))
          emit_note (g, NULL, &day, pick (rand, note_texts));
      }
  }
}

/* The four personas of DOMAIN.md §4, on fatima's caseload, with fixed ids
 * so that docs and tests can name them. */

#define PERSONA_ID(kind, n) "01900000-0000-7000-800" kind "-00000000000" n

static void
persona_notes (Gen                *g,
               unsigned            number,
               const GDate        *opened,
               const char * const *texts)
{
  GDate day = *opened;

  for (unsigned i = 0; texts[i] != NULL; i++)
    {
      g_autofree char *id = g_strdup_printf ("01900000-0000-7000-8003-%06u%06u", number, i + 1);

      day = days_from (&day, 7 + 14 * (int) i);
      if (!after (&day, &g->ref))
        emit_note (g, id, &day, texts[i]);
    }
}

static void
persona_talks (Gen         *g,
               const GDate *from,
               int          weeks,
               const char  *language,
               const char  *income)
{
  GDate day = *from;

  for (;;)
    {
      GString *p;

      day = days_from (&day, weeks * 7 - 3);
      if (after (&day, &g->ref))
        break;
      p = begin (g);
      jw_date (p, "held_on", &day);
      jw_str (p, "held_by", g->km->username);
      jw_open (p, "life_areas", '{');
      jw_str (p, "language", language);
      jw_str (p, "participation", pick (g->rand, talk_participation));
      jw_str (p, "work", pick (g->rand, talk_work));
      jw_str (p, "income", income);
      jw_str (p, "housing", pick (g->rand, talk_housing));
      jw_str (p, "family", pick (g->rand, talk_family));
      jw_str (p, "wellbeing", pick (g->rand, talk_wellbeing));
      jw_str (p, "network", pick (g->rand, talk_network));
      jw_close (p, '}');
      jw_str (p, "agreements", pick (g->rand, talk_agreements));
      emit (g, REGIE_RECORD_PROGRESS_TALK, NULL, &day);
    }
}

/* Tesfay: older, not literate, Z-route, asylum; 800 lesson and 800
 * participation hours reached, eindgesprek held; ontzorgen done. */
static void
make_tesfay (Gen      *g,
             guint32   seed)
{
  static const char * const notes[] = {
    "Intake gepland met tolk Tigrinya.",
    "Niet geletterd in eigen taal; leerbaarheidstoets wijst op de Z-route.",
    "Z-route: 800 uur bij Participatiewerkplaats Noord, met vrijwilligerswerk in de moestuin.",
    NULL
  };
  const char *languages[] = { "Tigrinya", NULL };
  g_autofree char *bsn = demo_bsn_for (seed, 0);
  g_autofree char *v_number = demo_v_number_new (g->rand);
  Identity who = { 0 };
  Pip pip = { 0 };
  Ontzorgen o = { 0 };
  GDate start, d, lessons_from, pfrom, held;

  who.dossier_id = g->dossier_id;
  who.person_id = PERSONA_ID ("1", "1");
  who.assignment_id = PERSONA_ID ("2", "1");
  who.given_names = "Tesfay";
  who.family_name = "Gebremedhin";
  g_date_set_dmy (&who.birth, 14, G_DATE_MARCH, 1961);
  who.doelgroep = REGIE_DOELGROEP_ASIELSTATUSHOUDER;
  who.language = "Tigrinya";
  who.notified = months_from (&g->ref, -34);
  who.brp = days_from (&who.notified, 12);
  who.opened = days_from (&who.brp, 3);
  g->asylum = TRUE;

  emit_start (g, &who, bsn, v_number);
  start = term_start (&who);
  emit_duo (g, &start, "SS139", who.doelgroep);

  d = days_from (&start, 16);
  emit_leerbaarheid (g, &d, "niet_haalbaar", 140);
  d = days_from (&d, 8);
  emit_education (g, &d, "Geen school gevolgd; kan niet lezen en schrijven, ook niet in het Tigrinya.",
                  languages, "Boer en herder in Eritrea; later dagloner in Ethiopië.",
                  "Zelf boodschappen doen, de huisarts begrijpen en de buren leren kennen.");
  emit_circumstances (g, &d, "Woont alleen; vrouw en volwassen kinderen in Ethiopië.",
                      "Eenkamerwoning in de wijk Noord.", "Bijstand; geen schulden.",
                      "Niet van toepassing.", "Gaat naar de Eritrese kerk; kent weinig Nederlanders.");
  emit_health (g, &d, "Rugklachten en slecht zicht; bril aangevraagd.", "Huisarts, opticien", TRUE);

  pip.version = 1;
  pip.dagtekening = days_from (&start, 61);
  pip.route = ROUTE_Z;
  pip.level = "A1";
  pip.hours_estimate = 800;
  pip.provider = "Participatiewerkplaats Noord";
  pip.certified = TRUE;
  pip.intensity = 7;
  pip.participation = "Vrijwilligerswerk in de moestuin van buurtvereniging Oost, twee ochtenden per week.";
  pip.support = "Maatschappelijke begeleiding door VluchtelingenWerk.";
  pip.talk_weeks = 12;
  emit_pip (g, &pip);

  lessons_from = days_from (&pip.dagtekening, 14);
  emit_lessons (g, pip.provider, TRUE, &lessons_from, &g->ref, 30, 32);
  pfrom = months_from (&lessons_from, 1);
  emit_participation (g, "volunteering", "Vrijwilliger in de moestuin van buurtvereniging Oost",
                      &pfrom, &g->ref, 92, 100);
  persona_talks (g, &pip.dagtekening, pip.talk_weeks,
                 "Herkent letters en zegt korte zinnen; oefent met de taalmaatje.",
                 "Rondkomen lukt; betaalt nu zelf de vaste lasten.");

  d = months_from (&pip.dagtekening, 3);
  {
    GString *p = begin (g);
    GDate signed_on = days_from (&d, 70);

    jw_date (p, "started_on", &d);
    jw_int (p, "hours", 14);
    jw_date (p, "signed_on", &signed_on);
    emit (g, REGIE_RECORD_PVT, NULL, &d);
  }
  d = months_from (&pip.dagtekening, 8);
  {
    GString *p = begin (g);
    GDate end = months_from (&d, 5);

    jw_date (p, "started_on", &d);
    jw_date (p, "eindgesprek_on", &end);
    emit (g, REGIE_RECORD_MAP, NULL, &d);
  }

  held = days_from (&g->ref, -12);
  {
    GString *p = begin (g);

    jw_date (p, "held_on", &held);
    jw_str (p, "summary", "800 uur taal en 800 uur participatie gehaald. Doet zelf boodschappen, "
                          "maakt afspraken bij de huisarts en helpt in de moestuin.");
    emit (g, REGIE_RECORD_ZROUTE_EINDGESPREK, NULL, &held);
  }

  d = days_from (&held, -30);
  emit_signal (g, "Afronding Z-route melden bij DUO", "Eindgesprek gevoerd; melding nog versturen.",
               &held, "open");
  emit_signal (g, "Bril nog niet vergoed", "Aanvraag bijzondere bijstand voor de bril.", &d, "done");

  o.started = days_from (&who.brp, 21);
  o.until = g->ref;
  o.n_months = 7;
  emit_ontzorgen (g, &o);

  persona_notes (g, 1, &who.opened, notes);
}

/* Lina: young graduate on the onderwijsroute, asylum, ontzorgen without
 * trouble. */
static void
make_lina (Gen     *g,
           guint32  seed)
{
  static const char * const notes[] = {
    "Bachelor farmacie (Damascus); diplomawaardering aangevraagd bij Nuffic.",
    "Leerbaarheidstoets hoog: onderwijsroute via Hogeschool Demoland geadviseerd.",
    NULL
  };
  const char *languages[] = { "Arabisch", "Engels", NULL };
  g_autofree char *bsn = demo_bsn_for (seed, 1);
  g_autofree char *v_number = demo_v_number_new (g->rand);
  Identity who = { 0 };
  Pip pip = { 0 };
  Ontzorgen o = { 0 };
  GDate start, d, lessons_from;

  who.dossier_id = g->dossier_id;
  who.person_id = PERSONA_ID ("1", "2");
  who.assignment_id = PERSONA_ID ("2", "2");
  who.given_names = "Lina";
  who.family_name = "Haddad";
  g_date_set_dmy (&who.birth, 21, G_DATE_JULY, 2002);
  who.doelgroep = REGIE_DOELGROEP_ASIELSTATUSHOUDER;
  who.language = "Arabisch";
  who.second_language = "Engels";
  who.notified = months_from (&g->ref, -16);
  who.brp = days_from (&who.notified, 5);
  who.opened = days_from (&who.brp, 2);
  g->asylum = TRUE;

  emit_start (g, &who, bsn, v_number);
  start = term_start (&who);

  d = days_from (&start, 12);
  emit_leerbaarheid (g, &d, "b1_haalbaar", 940);
  d = days_from (&d, 6);
  emit_education (g, &d, "Bachelor farmacie, Universiteit van Damascus (2023).", languages,
                  "Stage in een apotheek in Damascus.",
                  "Master farmacie in Nederland; eerst werk als apothekersassistent.");
  emit_circumstances (g, &d, "Woont alleen; ouders in Turkije.", "Studentenkamer via de corporatie.",
                      "Bijstand; studiefinanciering onderzocht.", "Niet van toepassing.",
                      "Vrienden via de hogeschool en de moskee.");
  emit_health (g, &d, "Geen bijzonderheden.", "Huisarts", FALSE);

  pip.version = 1;
  pip.dagtekening = days_from (&start, 45);
  pip.route = ROUTE_ONDERWIJS;
  pip.level = "B1";
  pip.hours_estimate = 1200;
  pip.provider = "Hogeschool Demoland, Taalschakeljaar";
  pip.certified = TRUE;
  pip.intensity = 18;
  pip.participation = "Bijbaan in een apotheek vanaf het tweede halfjaar.";
  pip.support = "Maatschappelijke begeleiding door VluchtelingenWerk.";
  pip.talk_weeks = 8;
  emit_pip (g, &pip);

  lessons_from = days_from (&pip.dagtekening, 20);
  emit_lessons (g, pip.provider, TRUE, &lessons_from, &g->ref, 60, 72);
  persona_talks (g, &pip.dagtekening, pip.talk_weeks,
                 "Volgt het schakeljaar goed; schrijft al verslagen in het Nederlands.",
                 "Komt rond; heeft een bijbaan.");

  d = months_from (&pip.dagtekening, 2);
  {
    GString *p = begin (g);
    GDate signed_on = days_from (&d, 63);

    jw_date (p, "started_on", &d);
    jw_int (p, "hours", 13);
    jw_date (p, "signed_on", &signed_on);
    emit (g, REGIE_RECORD_PVT, NULL, &d);
  }
  d = months_from (&pip.dagtekening, 11);
  if (!after (&d, &g->ref))
    emit_exam (g, "KNM", &d, 1, "passed", "B1");

  o.started = days_from (&who.brp, 18);
  o.until = g->ref;
  o.n_months = 6;
  emit_ontzorgen (g, &o);

  persona_notes (g, 2, &who.opened, notes);
}

/* Ayşe: family migrant on the B1-route with a job (duaal); pays her own
 * course, no ontzorgen, no hours estimate. */
static void
make_ayse (Gen     *g,
           guint32  seed)
{
  static const char * const notes[] = {
    "Werkt 24 uur per week bij bakkerij Yılmaz; lessen in de avond.",
    "B1-route bij Taalschool De Brug, avondklas op dinsdag en donderdag.",
    NULL
  };
  const char *languages[] = { "Turks", "Engels", NULL };
  g_autofree char *bsn = demo_bsn_for (seed, 2);
  g_autofree char *v_number = demo_v_number_new (g->rand);
  Identity who = { 0 };
  Pip pip = { 0 };
  GDate start, d, lessons_from, pfrom, exams;

  who.dossier_id = g->dossier_id;
  who.person_id = PERSONA_ID ("1", "3");
  who.assignment_id = PERSONA_ID ("2", "3");
  who.given_names = "Ayşe";
  who.family_name = "Demir";
  g_date_set_dmy (&who.birth, 5, G_DATE_NOVEMBER, 1990);
  who.doelgroep = REGIE_DOELGROEP_GEZINSMIGRANT;
  who.language = "Turks";
  who.second_language = "Engels";
  who.notified = months_from (&g->ref, -22);
  who.opened = days_from (&who.notified, 14);
  g->asylum = FALSE;

  emit_start (g, &who, bsn, v_number);
  start = term_start (&who);

  d = days_from (&who.birth, 700);
  emit_partner (g, "Murat", "Demir", &d);
  d = months_from (&g->ref, -40);
  emit_child (g, "Elif", "Demir", &d, FALSE);

  d = days_from (&start, 20);
  emit_leerbaarheid (g, &d, "b1_haalbaar", 640);
  d = days_from (&d, 7);
  emit_education (g, &d, "Lise (havo-niveau) in Izmir.", languages,
                  "Kapster in Izmir; nu 24 uur per week verkoopster bij bakkerij Yılmaz.",
                  "Eigen kapsalon in Demoland.");
  emit_circumstances (g, &d, "Getrouwd met Murat; dochter Elif.", "Huurwoning in de wijk Zuid.",
                      "Partner en zij werken; geen schulden.",
                      "Elif gaat naar de peuteropvang; oma past op.",
                      "Familie van Murat in Demoland.");
  emit_health (g, &d, "Geen bijzonderheden.", "Huisarts", FALSE);

  pip.version = 1;
  pip.dagtekening = days_from (&start, 52);
  pip.route = ROUTE_B1;
  pip.level = "B1";
  pip.hours_estimate = -1;
  pip.provider = "Taalschool De Brug";
  pip.certified = TRUE;
  pip.intensity = 6;
  pip.participation = "Werk bij bakkerij Yılmaz, 24 uur per week, gecombineerd met de avondklas.";
  pip.duaal = TRUE;
  pip.talk_weeks = 13;
  emit_pip (g, &pip);

  lessons_from = days_from (&pip.dagtekening, 10);
  emit_lessons (g, pip.provider, TRUE, &lessons_from, &g->ref, 22, 26);
  pfrom = lessons_from;
  emit_participation (g, "duaal", "Verkoopster bij bakkerij Yılmaz", &pfrom, &g->ref, 290, 312);
  persona_talks (g, &pip.dagtekening, pip.talk_weeks,
                 "Spreekt met klanten in de bakkerij; schrijven is lastiger.",
                 "Inkomen op orde; betaalt de cursus zelf.");

  d = months_from (&pip.dagtekening, 2);
  {
    GString *p = begin (g);
    GDate signed_on = days_from (&d, 77);

    jw_date (p, "started_on", &d);
    jw_int (p, "hours", 12);
    jw_date (p, "signed_on", &signed_on);
    emit (g, REGIE_RECORD_PVT, NULL, &d);
  }
  d = months_from (&pip.dagtekening, 6);
  {
    GString *p = begin (g);

    jw_date (p, "started_on", &d);
    emit (g, REGIE_RECORD_MAP, NULL, &d);
  }

  exams = months_from (&pip.dagtekening, 12);
  emit_exam (g, "KNM", &exams, 1, "passed", "B1");
  d = days_from (&exams, 21);
  emit_exam (g, "L", &d, 1, "passed", "B1");
  emit_exam (g, "Lu", &d, 1, "passed", "B1");
  d = days_from (&d, 28);
  emit_exam (g, "S", &d, 1, "failed", "B1");
  d = days_from (&d, 90);
  emit_exam (g, "S", &d, 2, "passed", "B1");
  d = days_from (&g->ref, -10);
  emit_exam (g, "Sp", &d, 1, "pending", "B1");

  persona_notes (g, 3, &who.opened, notes);
}

/* Rahaf: parent of three with childcare needs; ontzorgen in trouble:
 * toeslagen late, €15 leefgeld in the first month, a bridging loan. */
static void
make_rahaf (Gen     *g,
            guint32  seed)
{
  static const char * const notes[] = {
    "Moeder van drie kinderen; kinderopvang nodig op lesdagen.",
    "Ontzorgen: huur en energie worden ingehouden; achterstand energie gemeld.",
    "Toeslagen aangevraagd, nog geen beschikking; bijzondere bijstand besproken.",
    NULL
  };
  const char *languages[] = { "Arabisch", NULL };
  g_autofree char *bsn = demo_bsn_for (seed, 3);
  g_autofree char *v_number = demo_v_number_new (g->rand);
  Identity who = { 0 };
  Pip pip = { 0 };
  Ontzorgen o = { 0 };
  GDate start, d, lessons_from, last_month;

  who.dossier_id = g->dossier_id;
  who.person_id = PERSONA_ID ("1", "4");
  who.assignment_id = PERSONA_ID ("2", "4");
  who.given_names = "Rahaf";
  who.family_name = "Al-Khatib";
  g_date_set_dmy (&who.birth, 28, G_DATE_FEBRUARY, 1986);
  who.doelgroep = REGIE_DOELGROEP_ASIELSTATUSHOUDER;
  who.language = "Arabisch";
  who.notified = months_from (&g->ref, -9);
  who.brp = days_from (&who.notified, 10);
  who.opened = days_from (&who.brp, 4);
  g->asylum = TRUE;

  emit_start (g, &who, bsn, v_number);
  start = term_start (&who);
  emit_duo (g, &start, "SS139", who.doelgroep);

  d = months_from (&g->ref, -12 * 9 - 4);
  emit_child (g, "Omar", "Al-Khatib", &d, FALSE);
  d = months_from (&g->ref, -12 * 5 - 7);
  emit_child (g, "Sara", "Al-Khatib", &d, TRUE);
  d = months_from (&g->ref, -12 * 2 - 1);
  emit_child (g, "Yusuf", "Al-Khatib", &d, TRUE);

  d = days_from (&start, 14);
  emit_leerbaarheid (g, &d, "b1_haalbaar", 590);
  d = days_from (&d, 9);
  emit_education (g, &d, "Middelbare school in Homs; één jaar lerarenopleiding.", languages,
                  "Onderwijsassistent op een basisschool in Homs.",
                  "Weer in het onderwijs werken, als klassenassistent.");
  emit_circumstances (g, &d, "Alleenstaande moeder van Omar, Sara en Yusuf; man overleden.",
                      "Eengezinswoning in de wijk Oost sinds de BRP-inschrijving.",
                      "Bijstand; toeslagen aangevraagd maar nog niet ontvangen; krap.",
                      "Opvang nodig voor Sara (BSO) en Yusuf (kinderdagverblijf) op lesdagen.",
                      "Zus woont in Tilburg; kent een paar moeders van school.");
  emit_health (g, &d, "Moe en gespannen door de geldzorgen.", "Huisarts", FALSE);

  pip.version = 1;
  pip.dagtekening = days_from (&start, 63);
  pip.route = ROUTE_B1;
  pip.level = "B1";
  pip.hours_estimate = 1000;
  pip.provider = "Taalcentrum Zuid";
  pip.certified = TRUE;
  pip.intensity = 10;
  pip.participation = "Vrijwilliger in de bibliotheek van de basisschool van Omar.";
  pip.childcare = "Kinderdagverblijf voor Yusuf en BSO voor Sara op lesdagen, via gastouderbureau "
                  "De Kinderhoek.";
  pip.support = "Maatschappelijke begeleiding door VluchtelingenWerk; budgetcoach.";
  pip.talk_weeks = 6;
  emit_pip (g, &pip);

  lessons_from = days_from (&pip.dagtekening, 14);
  emit_lessons (g, pip.provider, TRUE, &lessons_from, &g->ref, 30, 40);
  persona_talks (g, &pip.dagtekening, pip.talk_weeks,
                 "Volgt de lessen als de opvang geregeld is; mist soms een les.",
                 "Toeslagen nog niet binnen; deze maand bijna geen leefgeld.");

  d = months_from (&pip.dagtekening, 2);
  if (!after (&d, &g->ref))
    emit_pvt (g, &d, &g->ref);

  /* Six months of ontzorgen up to last month: no toeslagen at first
   * (€15 left), then zorgtoeslag and huurtoeslag late. */
  o.started = days_from (&who.brp, 20);
  last_month = months_from (&g->ref, -1);
  o.until = month_end (&last_month);
  o.n_months = 8;
  o.children = 3;
  o.trouble = TRUE;
  o.low_leefgeld_cents = 1500;
  o.loan = TRUE;
  emit_ontzorgen (g, &o);

  d = days_from (&g->ref, -20);
  emit_signal (g, "Toeslagen nog niet ontvangen",
               "Zorgtoeslag en huurtoeslag zijn aangevraagd; Belastingdienst gebeld.", &d,
               "in_progress");
  d = days_from (&g->ref, -6);
  emit_signal (g, "Achterstand energierekening", "Eindafrekening van het energiebedrijf; "
               "betalingsregeling nodig.", &d, "open");

  persona_notes (g, 4, &who.opened, notes);
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

static const char * const persona_dossier_ids[] = {
  PERSONA_ID ("0", "1"), PERSONA_ID ("0", "2"), PERSONA_ID ("0", "3"), PERSONA_ID ("0", "4"),
};

/* One dossier, made on a worker thread. */
typedef struct
{
  const RegieDemoOptions *options;
  unsigned                index;
  gboolean                persona;
  const DemoUser         *km;
  char                   *dossier_id;
  GPtrArray              *records;      /* DemoRecord */
  GError                 *error;
  gboolean                done;         /* under job_sync.lock */
} DossierJob;

static void
dossier_job_cb (gpointer data,
                gpointer user_data)
{
  DossierJob *job = data;
  guint32 seeds[] = { job->options->seed, job->index, 0x52454749 };
  g_autoptr(GRand) rand = g_rand_new_with_seed_array (seeds, G_N_ELEMENTS (seeds));
  Gen g = { 0 };

  g.rand = rand;
  g.buf = g_string_sized_new (2048);
  g.records = g_ptr_array_new_with_free_func ((GDestroyNotify) demo_record_free);
  g.ref = job->options->reference_date;

  if (job->persona || job->options->single_caseload)
    g.km = &demo_users[0];
  else
    g.km = &demo_users[range (rand, 0, N_KLANTMANAGERS - 1)];

  if (job->persona)
    {
      g.dossier_id = g_strdup (persona_dossier_ids[job->index]);
      switch (job->index)
        {
        case 0: make_tesfay (&g, job->options->seed); break;
        case 1: make_lina (&g, job->options->seed); break;
        case 2: make_ayse (&g, job->options->seed); break;
        case 3: make_rahaf (&g, job->options->seed); break;
        default: g_assert_not_reached ();
        }
    }
  else
    make_generated (&g, job->options->seed, job->index);

  job->km = g.km;
  job->dossier_id = g.dossier_id;
  job->records = g.records;
  job->error = g.error;
  g_string_free (g.buf, TRUE);
}

static void
dossier_job_clear (DossierJob *job)
{
  g_clear_pointer (&job->dossier_id, g_free);
  g_clear_pointer (&job->records, g_ptr_array_unref);
  g_clear_error (&job->error);
}

/* Dossiers are made on all cores while the main thread writes the
 * finished ones in index order, so the database is the same whatever the
 * number of threads. At most WINDOW dossiers are in memory at once. */
#define WINDOW 4096

typedef struct
{
  GMutex lock;
  GCond  cond;
} JobSync;

static JobSync job_sync;

static void
dossier_job_run_cb (gpointer data,
                    gpointer user_data)
{
  DossierJob *job = data;

  dossier_job_cb (job, NULL);

  g_mutex_lock (&job_sync.lock);
  job->done = TRUE;
  g_cond_broadcast (&job_sync.cond);
  g_mutex_unlock (&job_sync.lock);
}

static gboolean
add_dossiers (RegieServerDbBulk       *bulk,
              const RegieDemoOptions  *options,
              GError                 **error)
{
  unsigned n = options->n_dossiers;
  unsigned n_personas = MIN (n, G_N_ELEMENTS (persona_dossier_ids));
  int n_threads = (int) MAX (g_get_num_processors (), 1);
  g_autofree DossierJob *jobs = g_new0 (DossierJob, WINDOW);
  GThreadPool *pool;
  unsigned pushed = 0;
  gboolean ok = TRUE;

  pool = g_thread_pool_new (dossier_job_run_cb, NULL, n_threads, FALSE, error);
  if (pool == NULL)
    return FALSE;

  for (unsigned i = 0; i < n; i++)
    {
      DossierJob *job = &jobs[i % WINDOW];

      /* Keep the workers a window ahead; after a failure, push no more. */
      for (; ok && pushed < n && pushed < i + WINDOW; pushed++)
        {
          DossierJob *next = &jobs[pushed % WINDOW];

          next->options = options;
          next->index = pushed;
          next->persona = pushed < n_personas;
          next->done = FALSE;
          g_thread_pool_push (pool, next, NULL);
        }
      if (i >= pushed)
        break;

      g_mutex_lock (&job_sync.lock);
      while (!job->done)
        g_cond_wait (&job_sync.cond, &job_sync.lock);
      g_mutex_unlock (&job_sync.lock);

      if (ok && job->error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&job->error));
          ok = FALSE;
        }
      for (unsigned r = 0; ok && r < job->records->len; r++)
        {
          DemoRecord *record = g_ptr_array_index (job->records, r);

          ok = regie_server_db_bulk_add_record (bulk, record->id, job->dossier_id,
                                                record->kind, record->payload,
                                                job->km->team, job->km->username, error);
        }
      dossier_job_clear (job);
    }

  /* Waits for what is still queued, then frees those results. */
  g_thread_pool_free (pool, FALSE, TRUE);
  for (unsigned i = 0; i < WINDOW; i++)
    dossier_job_clear (&jobs[i]);

  return ok;
}

gboolean
regie_demo_populate (RegieServerDb          *db,
                     const RegieDemoOptions *options,
                     GError                **error)
{
  g_autoptr(RegieServerDbBulk) bulk = NULL;
  g_autofree char *seed_str = NULL;
  g_autofree char *reference_str = NULL;
  char *hashes[G_N_ELEMENTS (demo_users)] = { NULL };
  gboolean ok = FALSE;

  g_return_val_if_fail (REGIE_IS_SERVER_DB (db), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);
  g_return_val_if_fail (g_date_valid (&options->reference_date), FALSE);

  if (!hash_passwords (hashes, error))
    goto out;

  if ((bulk = regie_server_db_bulk_begin (db, error)) == NULL)
    goto out;

  seed_str = g_strdup_printf ("%u", options->seed);
  reference_str = regie_date_format (&options->reference_date);
  if (!regie_server_db_bulk_set_meta (bulk, "municipality", REGIE_DEMO_MUNICIPALITY, error) ||
      !regie_server_db_bulk_set_meta (bulk, "demo_seed", seed_str, error) ||
      !regie_server_db_bulk_set_meta (bulk, "demo_reference_date", reference_str, error))
    goto out;

  for (unsigned i = 0; i < G_N_ELEMENTS (demo_teams); i++)
    if (!regie_server_db_bulk_add_team (bulk, demo_teams[i].id, demo_teams[i].name, error))
      goto out;

  for (unsigned i = 0; i < G_N_ELEMENTS (demo_users); i++)
    if (!regie_server_db_bulk_add_user (bulk, demo_users[i].username, demo_users[i].display_name,
                                        demo_users[i].role, demo_users[i].team, hashes[i],
                                        error))
      goto out;

  if (!add_dossiers (bulk, options, error))
    goto out;

  ok = regie_server_db_bulk_commit (bulk, error);

out:
  for (unsigned i = 0; i < G_N_ELEMENTS (demo_users); i++)
    g_free (hashes[i]);

  return ok;
}
