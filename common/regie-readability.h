/* SPDX-License-Identifier: EUPL-1.2 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Plain-language checks for what Regie sends to inburgeraars, who read at
 * B1 level at best: short sentences, common words, few long compounds. */

#define REGIE_B1_MAX_AVERAGE_WORDS   15.0
#define REGIE_B1_MAX_SENTENCE_WORDS  25
#define REGIE_B1_LONG_WORD_LETTERS   14    /* a word this long or longer is "long" */
#define REGIE_B1_MAX_LONG_WORD_SHARE 0.08

typedef struct
{
  guint  n_sentences;
  guint  n_words;
  guint  n_long_words;
  guint  max_sentence_words;
  double average_sentence_words;
  double long_word_share;
} RegieReadability;

void      regie_readability_measure (const char             *text,
                                     RegieReadability       *out);
/* TRUE when the text meets every B1 bound above; otherwise `error` says
 * which bound failed and, for sentence length, quotes the sentence. */
gboolean  regie_readability_check_b1 (const char            *text,
                                      GError               **error);

G_END_DECLS
