/* SPDX-License-Identifier: EUPL-1.2 */
/* regie-rules from the command line: good input gives the three lists,
 * bad input a message on standard error and exit status 2. */
#include "config.h"

#include <unistd.h>
#include <string.h>
#include <gio/gio.h>
#include <glib/gstdio.h>

#include "regie-records.h"

#define GOOD \
  "{\"id\":\"0190f3f0-0000-7000-8000-000000000001\",\"records\":[" \
  "{\"id\":\"0190f3f0-0000-7000-8000-000000000001\",\"kind\":\"dossier\",\"version\":1," \
  "\"payload\":{\"status\":\"open\",\"opened_on\":\"2026-01-05\",\"notified_on\":\"2026-01-02\"}}," \
  "{\"id\":\"0190f3f0-0000-7000-8000-000000000002\",\"kind\":\"person\",\"version\":1," \
  "\"payload\":{\"bsn\":\"123456781\",\"family_name\":\"Haddad\",\"birth_date\":\"2001-02-03\"," \
  "\"doelgroep\":\"gezinsmigrant\"}}]}"

static int
run (const char * const *args,
     const char         *input,
     char              **out,
     char              **err)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *input_path = NULL;
  int fd;
  int status;

  g_ptr_array_add (argv, (gpointer) g_getenv ("REGIE_RULES_PATH"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  /* Standard input from a file, not a pipe: regie-rules may refuse its
   * arguments and exit before it reads any, and a pipe would then fail
   * the write with EPIPE, depending on which process runs first. */
  fd = g_file_open_tmp ("regie-rules-input-XXXXXX", &input_path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (input_path, input, -1, &error);
  g_assert_no_error (error);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_stdin_file_path (launcher, input_path);
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  status = g_subprocess_get_exit_status (proc);
  g_unlink (input_path);
  return status;
}

static void
test_good_input (void)
{
  const char *args[] = { "--today", "2026-03-20", "-", NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (run (args, GOOD, &out, &err), ==, 0);
  node = regie_json_parse (out, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (out, "\"pip_due\""));
  g_assert_nonnull (strstr (out, "\"2026-03-13\""));
  g_assert_nonnull (strstr (out, "\"bsn_invalid\""));
  g_assert_nonnull (strstr (out, "\"pip_late\""));
}

static void
test_bad_input (void)
{
  const struct { const char *input; const char *args[4]; const char *says; } cases[] = {
    { "", { "-", NULL }, "empty" },
    { "{", { "-", NULL }, "malformed JSON" },
    { "[]", { "-", NULL }, "object" },
    { "{\"id\":1,\"records\":[]}", { "-", NULL }, "string" },
    { "{\"id\":\"0190f3f0-0000-7000-8000-000000000001\",\"records\":[{\"id\":\"0190f3f0-0000-7000-8000-000000000002\","
      "\"kind\":\"pip\",\"payload\":{\"version\":1,\"dagtekening\":\"2025-02-29\",\"leerroute\":\"b1\","
      "\"target_levels\":{\"reading\":\"B1\",\"listening\":\"B1\",\"writing\":\"B1\",\"speaking\":\"B1\"}}}]}",
      { "-", NULL }, "dagtekening" },
    { "{\"id\":\"0190f3f0-0000-7000-8000-000000000001\",\"records\":[{\"id\":\"x\",\"kind\":\"memo\",\"payload\":{}}]}",
      { "-", NULL }, "unknown kind" },
    { GOOD, { "--today", "2026-02-30", "-", NULL }, "--today" },
    { GOOD, { "/nonexistent/dossier.json", NULL }, "nonexistent" },
    { GOOD, { "a.json", "b.json", NULL }, "at most one" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL, *err = NULL;

      g_test_message ("case %u", i);
      g_assert_cmpint (run (cases[i].args, cases[i].input, &out, &err), ==, 2);
      g_assert_cmpstr (out, ==, "");
      g_assert_true (g_str_has_prefix (err, "regie-rules: "));
      g_assert_nonnull (strstr (err, cases[i].says));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);


  g_test_add_func ("/rules-tool/good-input", test_good_input);
  g_test_add_func ("/rules-tool/bad-input", test_bad_input);

  return g_test_run ();
}
