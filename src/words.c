/* words.c — where the words of a short UTF-8 string start and end, by ICU's word break rules
 * (a dictionary for Chinese): so that a subject is cut between words, never inside one. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "internal.h"

/* The breaks of the strings already broken (issue 14: the same subjects come back, 比上年 同比
 * 地区生产总值, and ICU's dictionary costs some 20,000 instructions a string). */
#define SEEN_SLOTS 4096 /* a power of two; kept up to three quarters full */
#define SEEN_MAX (SEEN_SLOTS / 4 * 3)
_Static_assert(SEEN_SLOTS <= 65536, "a slot's number fits in used[]'s uint16_t");
#define SPAN 512         /* bytes of a string broken without allocating */

typedef struct seen {
	char *s; /* NULL: a free slot */
	size_t n, max, k;
	size_t *at;
	bool *word;
} seen;

struct gw_words {
	UBreakIterator *brk; /* opened on the first string (issue 14: start-up): brk_failed once not */
	bool brk_failed;
	seen *seen; /* SEEN_SLOTS slots made on the first string kept; NULL until then */
	size_t nseen;
	uint16_t *used; /* the slots in use, nseen of them, in the order filled */
};

/* Nothing is opened or allocated here but the handle: a process that breaks no string (an empty
 * input, a batch with no subject) pays neither ICU's break iterator nor the table of strings seen,
 * 196 KB (issue 14: start-up).  A break iterator that cannot be opened makes every string's
 * breaks 0, which the callers read as they read a NULL gw_words. */
gw_words *
gw_words_new(void)
{
	return gw_xcalloc(1, sizeof(gw_words));
}

void
gw_words_free(gw_words *w)
{
	if (w == NULL)
		return;
	if (w->brk)
		ubrk_close(w->brk);
	/* only the slots in use are read: a walk of the table read its untouched pages, a page
	 * fault each (issue 14: 38 of a one-document run's 672) */
	for (size_t i = 0; i < w->nseen; i++) {
		seen *e = &w->seen[w->used[i]];

		free(e->s), free(e->at), free(e->word);
	}
	free(w->used);
	free(w->seen);
	free(w);
}

/* The slot of s[0..n) broken at most max times: its own, else the free one where it goes. */
static seen *
seen_slot(gw_words *w, const char *s, size_t n, size_t max)
{
	size_t h = 2166136261u ^ max;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	for (h &= SEEN_SLOTS - 1;; h = (h + 1) & (SEEN_SLOTS - 1)) {
		seen *e = &w->seen[h];

		if (e->s == NULL || (e->n == n && e->max == max && memcmp(e->s, s, n) == 0))
			return e;
	}
}

/* s[0..n) in UTF-16 into u, with byte[j] the byte offset of unit j (byte[m] = n); the units.
 * An ill-formed sequence is one U+FFFD, as ICU reads UTF-8 itself. */
static int32_t
to_utf16(const char *s, size_t n, UChar *u, size_t *byte)
{
	int32_t m = 0;

	for (int32_t i = 0; i < (int32_t)n;) {
		UChar32 c;

		byte[m] = byte[m + 1] = (size_t)i;
		U8_NEXT_OR_FFFD((const uint8_t *)s, i, (int32_t)n, c);
		U16_APPEND_UNSAFE(u, m, c);
	}
	byte[m] = n;
	return m;
}

/* ICU's breaks of s[0..n); 0 when it fails.  ICU gets the string in UTF-16, its own form: its
 * dictionary reads it in place, where from UTF-8 it copies and maps every code point (issue 14:
 * a sixth fewer instructions). */
static size_t
icu_bounds(gw_words *w, const char *s, size_t n, size_t *at, bool *word, size_t max)
{
	UErrorCode e = U_ZERO_ERROR;
	UChar u0[SPAN], *u = n < SPAN ? u0 : gw_xmalloc((n + 1) * sizeof *u);
	size_t byte0[SPAN + 1], *byte = n < SPAN ? byte0 : gw_xmalloc((n + 2) * sizeof *byte), k = 0;
	int32_t m = to_utf16(s, n, u, byte);

	ubrk_setText(w->brk, u, m, &e);
	/* the rule status of a boundary tells whether the piece before it is a word (letters,
	 * ideographs, numbers) or not (punctuation) */
	for (int32_t b = ubrk_first(w->brk); U_SUCCESS(e) && b != UBRK_DONE && k < max; b = ubrk_next(w->brk)) {
		if (k > 0)
			word[k - 1] = ubrk_getRuleStatus(w->brk) >= UBRK_WORD_NONE_LIMIT;
		at[k++] = byte[b];
	}
	ubrk_setText(w->brk, NULL, 0, &e);
	if (u != u0)
		free(u), free(byte);
	return U_SUCCESS(e) ? k : 0;
}

/* The break iterator, opened on first use; NULL when ICU cannot open it (no data). */
static UBreakIterator *
brk_of(gw_words *w)
{
	UErrorCode e = U_ZERO_ERROR;

	if (w->brk == NULL && !w->brk_failed) {
		w->brk = ubrk_open(UBRK_WORD, "zh", NULL, 0, &e);
		if (U_FAILURE(e))
			w->brk = NULL, w->brk_failed = true;
	}
	return w->brk;
}

size_t
gw_words_bounds(gw_words *w, const char *s, size_t n, size_t *at, bool *word, size_t max)
{
	seen *e;
	size_t k;

	if (brk_of(w) == NULL)
		return 0;
	if (w->seen == NULL) {
		w->seen = gw_xcalloc(SEEN_SLOTS, sizeof *w->seen);
		w->used = gw_xmalloc(SEEN_MAX * sizeof *w->used);
	}
	e = seen_slot(w, s, n, max);

	if (e->s) {
		memcpy(at, e->at, e->k * sizeof *at);
		memcpy(word, e->word, e->k * sizeof *word);
		return e->k;
	}
	if ((k = icu_bounds(w, s, n, at, word, max)) > 0 && w->nseen < SEEN_MAX) {
		*e = (seen){gw_xstrndup(s, n), n, max, k, gw_xmalloc(k * sizeof *at), gw_xcalloc(k, sizeof *word)};
		memcpy(e->at, at, k * sizeof *at);
		memcpy(e->word, word, (k - 1) * sizeof *word);
		w->used[w->nseen++] = (uint16_t)(e - w->seen);
	}
	return k;
}
