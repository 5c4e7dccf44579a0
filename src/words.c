/* words.c — where the words of a short UTF-8 string start and end, by ICU's word break rules
 * (a dictionary for Chinese): so that a subject is cut between words, never inside one. */
#include <stdlib.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "internal.h"

struct gw_words {
	UBreakIterator *brk;
};

gw_words *
gw_words_new(void)
{
	UErrorCode e = U_ZERO_ERROR;
	UBreakIterator *brk = ubrk_open(UBRK_WORD, "zh", NULL, 0, &e);
	gw_words *w;

	if (U_FAILURE(e))
		return NULL;
	w = gw_xcalloc(1, sizeof *w);
	w->brk = brk;
	return w;
}

void
gw_words_free(gw_words *w)
{
	if (w == NULL)
		return;
	ubrk_close(w->brk);
	free(w);
}

size_t
gw_words_bounds(gw_words *w, const char *s, size_t n, size_t *at, bool *word, size_t max)
{
	UErrorCode e = U_ZERO_ERROR;
	UText *ut = utext_openUTF8(NULL, s, (int64_t)n, &e);
	size_t k = 0;

	ubrk_setUText(w->brk, ut, &e);
	/* a UTF-8 UText's native indices are byte offsets; the rule status of a boundary tells
	 * whether the piece before it is a word (letters, ideographs, numbers) or not (punctuation) */
	for (int32_t b = ubrk_first(w->brk); U_SUCCESS(e) && b != UBRK_DONE && k < max; b = ubrk_next(w->brk)) {
		if (k > 0)
			word[k - 1] = ubrk_getRuleStatus(w->brk) >= UBRK_WORD_NONE_LIMIT;
		at[k++] = (size_t)b;
	}
	ubrk_setText(w->brk, NULL, 0, &e);
	utext_close(ut);
	return U_SUCCESS(e) ? k : 0;
}
