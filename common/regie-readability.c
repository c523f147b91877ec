/* SPDX-License-Identifier: EUPL-1.2 */
#define G_LOG_DOMAIN "RegieCommon"

#include "config.h"

#include <string.h>

#include "regie-error.h"
#include "regie-readability.h"

/* Walks the text sentence by sentence. A sentence ends at '.', '!', '?' or
 * ':' followed by a space or the end, or at a blank line (headings, list
 * items and greetings stand on their own). Words are runs of letters and
 * digits (with inner hyphens or apostrophes); a number like "1.200" or a
 * date "23-11-2026" counts as one word. */
typedef void (*SentenceFunc) (const char *start,
                              const char *end,
                              guint       words,
                              guint       long_words,
                              gpointer    data);

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c);
}

static void
walk (const char   *text,
      SentenceFunc  func,
      gpointer      data)
{
  const char *p = text, *start = text;
  guint words = 0, long_words = 0;

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);

      if (is_word_char (c))
        {
          guint letters = 0;

          /* One word: letters and digits, joined by single inner '-', '\'' or '.'. */
          for (;;)
            {
              c = g_utf8_get_char (p);
              if (is_word_char (c))
                {
                  if (g_unichar_isalpha (c))
                    letters++;
                  p = g_utf8_next_char (p);
                  continue;
                }
              if ((c == '-' || c == '\'' || c == 0x2019 || (c == '.' && g_ascii_isdigit (p[1]))) &&
                  is_word_char (g_utf8_get_char (g_utf8_next_char (p))))
                {
                  p = g_utf8_next_char (p);
                  continue;
                }
              break;
            }
          words++;
          if (letters >= REGIE_B1_LONG_WORD_LETTERS)
            long_words++;
          continue;
        }

      if (c == '.' || c == '!' || c == '?' || c == ':' || (c == '\n' && p[1] == '\n'))
        {
          const char *next = g_utf8_next_char (p);

          if (c == '\n' || *next == '\0' || g_unichar_isspace (g_utf8_get_char (next)))
            {
              if (words > 0)
                func (start, next, words, long_words, data);
              words = long_words = 0;
              start = next;
            }
        }
      p = g_utf8_next_char (p);
    }

  if (words > 0)
    func (start, p, words, long_words, data);
}

static void
measure_cb (const char *start,
            const char *end,
            guint       words,
            guint       long_words,
            gpointer    data)
{
  RegieReadability *r = data;

  r->n_sentences++;
  r->n_words += words;
  r->n_long_words += long_words;
  r->max_sentence_words = MAX (r->max_sentence_words, words);
}

void
regie_readability_measure (const char       *text,
                           RegieReadability *out)
{
  g_return_if_fail (text != NULL);
  g_return_if_fail (out != NULL);

  memset (out, 0, sizeof *out);
  walk (text, measure_cb, out);
  if (out->n_sentences > 0)
    out->average_sentence_words = (double) out->n_words / out->n_sentences;
  if (out->n_words > 0)
    out->long_word_share = (double) out->n_long_words / out->n_words;
}

typedef struct
{
  char *longest;
  guint longest_words;
} Longest;

static void
longest_cb (const char *start,
            const char *end,
            guint       words,
            guint       long_words,
            gpointer    data)
{
  Longest *l = data;

  if (words > l->longest_words)
    {
      g_free (l->longest);
      l->longest = g_strstrip (g_strndup (start, end - start));
      l->longest_words = words;
    }
}

gboolean
regie_readability_check_b1 (const char  *text,
                            GError     **error)
{
  RegieReadability r;

  g_return_val_if_fail (text != NULL, FALSE);

  regie_readability_measure (text, &r);

  if (r.max_sentence_words > REGIE_B1_MAX_SENTENCE_WORDS)
    {
      Longest l = { 0 };

      walk (text, longest_cb, &l);
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                   "a sentence has %u words (at most %d): \"%s\"",
                   r.max_sentence_words, REGIE_B1_MAX_SENTENCE_WORDS, l.longest);
      g_free (l.longest);
      return FALSE;
    }
  if (r.average_sentence_words > REGIE_B1_MAX_AVERAGE_WORDS)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                   "sentences average %.1f words (at most %.0f)",
                   r.average_sentence_words, REGIE_B1_MAX_AVERAGE_WORDS);
      return FALSE;
    }
  if (r.long_word_share > REGIE_B1_MAX_LONG_WORD_SHARE)
    {
      g_set_error (error, REGIE_ERROR, REGIE_ERROR_INVALID,
                   "%.0f%% of the words have %d letters or more (at most %.0f%%)",
                   100 * r.long_word_share, REGIE_B1_LONG_WORD_LETTERS,
                   100 * REGIE_B1_MAX_LONG_WORD_SHARE);
      return FALSE;
    }
  return TRUE;
}
