/* fts_icu.c — the "gongwen" FTS5 tokenizer (pairs of characters, folded) and the SQL functions that check, rank and mark its candidates in the sentence text. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include <unicode/utext.h>

#include "archive.h"
#include "internal.h"

/* ---------------------------------------------------------------- folding */

/* NFKC_Casefold one code point at a time (full-width Ｇ and G both become g, ㎡ m2), with a small
 * cache: outside ASCII and the Han block, a sentence repeats the same few punctuation marks. */
typedef struct folder {
	const UNormalizer2 *nf;
	struct {
		UChar32 c;
		uint8_t n;
		char s[15];
	} cache[256];
} folder;

static int
folder_init(folder *f)
{
	UErrorCode e = U_ZERO_ERROR;

	f->nf = unorm2_getNFKCCasefoldInstance(&e);
	for (int i = 0; i < 256; i++)
		f->cache[i].c = -1;
	return U_FAILURE(e) ? -1 : 0;
}

/* White space (Unicode's White_Space outside ASCII) is no character of the text. */
static bool
is_space(UChar32 c)
{
	return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
	       c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

/* c folded, without white space (U+00A8 is a space and a combining mark), into the cache
 * slot of c: a fold longer than a slot (a few ligatures such as U+FDFA) keeps c as it is. */
static void
fold_slot(folder *f, UChar32 c, int k)
{
	UChar u[2], r[8];
	UErrorCode e = U_ZERO_ERROR;
	int32_t nu = 0, nr = 0, n = 0;
	char *o = f->cache[k].s;

	U16_APPEND_UNSAFE(u, nu, c);
	nr = is_space(c) ? 0 : unorm2_normalize(f->nf, u, nu, r, 8, &e);
	for (int32_t j = 0; U_SUCCESS(e) && j < nr;) {
		UChar32 x;

		U16_NEXT(r, j, nr, x);
		if (x < 0x80 ? x == ' ' || (x >= '\t' && x <= '\r') : is_space(x))
			continue;
		if (n + U8_LENGTH(x) > (int32_t)sizeof f->cache[k].s)
			e = U_BUFFER_OVERFLOW_ERROR;
		else
			U8_APPEND_UNSAFE(o, n, x);
	}
	if (U_FAILURE(e)) {
		n = 0;
		U8_APPEND_UNSAFE(o, n, c);
	}
	f->cache[k].c = c;
	f->cache[k].n = (uint8_t)n;
}

/* s[0..n) folded into out, without white space; with map, map[i] is the byte offset in s of
 * the code point that folded byte i comes from, and map[out->len] is n.  Returns the number of
 * characters (code points but white space) of s.  Most of a sentence is Han (U+4000-U+9FFF,
 * lead bytes E4-E9, which fold to themselves) or ASCII: copied without decoding; the rest
 * through the cache (this runs for every candidate a query checks). */
static int32_t
fold_text(folder *f, const char *s, int32_t n, gw_buf *out, int32_t **map, size_t *mapcap)
{
	int32_t i = 0, ncp = 0;
	size_t len = 0, cap = out->cap;
	char *o = out->ptr;

	while (i < n) {
		int32_t a = i, k = 1;
		unsigned char b = (unsigned char)s[i];
		const char *from = s + i;
		UChar32 c;

		gw_grow((void **)&o, &cap, len + 16, 1);
		if (map)
			gw_grow((void **)map, mapcap, len + 16, sizeof **map);
		if (b < 0x80) {
			i++;
			if (b == ' ' || (b >= '\t' && b <= '\r'))
				continue;
			o[len] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
			from = NULL;
		} else if (b >= 0xE4 && b <= 0xE9 && n - i >= 3 &&
		           ((unsigned char)s[i + 1] & 0xC0) == 0x80 &&
		           ((unsigned char)s[i + 2] & 0xC0) == 0x80) {
			i += k = 3;
		} else {
			U8_NEXT_OR_FFFD(s, i, n, c);
			if (f->cache[c & 255].c != c)
				fold_slot(f, c, c & 255);
			from = f->cache[c & 255].s;
			if ((k = f->cache[c & 255].n) == 0)
				continue;
		}
		if (from)
			memcpy(o + len, from, (size_t)k);
		for (int32_t j = 0; map && j < k; j++)
			(*map)[len + (size_t)j] = a;
		len += (size_t)k;
		ncp++;
	}
	gw_grow((void **)&o, &cap, len + 1, 1);
	o[len] = '\0';
	out->ptr = o, out->len = len, out->cap = cap;
	if (map) {
		gw_grow((void **)map, mapcap, len + 1, sizeof **map);
		(*map)[len] = n;
	}
	return ncp;
}

void
gw_fold(const char *s, size_t n, gw_buf *out)
{
	folder f;

	gw_buf_reset(out);
	if (folder_init(&f) == 0)
		fold_text(&f, s, (int32_t)n, out, NULL, NULL);
	else
		gw_buf_put(out, s, n);
}

/* ---------------------------------------------------------------- the tokenizer */

/* One per FTS5 table: the folding cache and the scratch buffer, reused by every call. */
typedef struct tokenizer {
	folder f;
	gw_buf t;
} tokenizer;

static int
tok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	tokenizer *t;

	(void)ctx, (void)argv;
	if (argc > 0 || (t = calloc(1, sizeof *t)) == NULL)
		return argc > 0 ? SQLITE_ERROR : SQLITE_NOMEM;
	if (folder_init(&t->f) < 0) {
		free(t);
		return SQLITE_ERROR;
	}
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

static void
tok_delete(Fts5Tokenizer *p)
{
	tokenizer *t = (tokenizer *)p;

	gw_buf_free(&t->t);
	free(t);
}

/* The tokens are the pairs of characters that follow each other in the text (folded, white
 * space left out), and the last character alone: 人民政府 is 人民 民政 政府 府.  A run of two
 * characters or more is a candidate wherever it stands, 政府 in 人民政府, 1100万 in 11100万元:
 * the sentences that hold all its pairs; one character is the prefix query "c"*.  The
 * archive's table keeps no positions (detail=none): gw_has() checks the run itself in the text
 * (pairs rather than single characters: a rare run of common characters, 和门, has few
 * candidates to check).  A query string is its pairs, or its one character.  Without
 * positions FTS5 keeps no offsets either: a token's are those in the folded text. */
static int
tok_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int ntext,
             int (*token)(void *, int, const char *, int, int, int))
{
	tokenizer *tk = (tokenizer *)p;
	const char *t;
	int32_t prev = -1, i = 0, n;
	int rc = SQLITE_OK;

	fold_text(&tk->f, text, ntext, &tk->t, NULL, NULL);
	t = tk->t.ptr, n = (int32_t)tk->t.len;
	while (rc == SQLITE_OK && i < n) {
		int32_t a = i;

		U8_FWD_1(t, i, n);
		if (prev >= 0)
			rc = token(ctx, 0, t + prev, i - prev, prev, i);
		prev = a;
	}
	/* the last character alone: in the text always, in a query when it is the only one */
	if (rc == SQLITE_OK && prev >= 0 && (!(flags & FTS5_TOKENIZE_QUERY) || prev == 0))
		rc = token(ctx, 0, t + prev, n - prev, prev, n);
	return rc;
}

/* ---------------------------------------------------------------- checking, ranking, marking */

/* One per connection: the last sentence folded (the functions are called for the same row once
 * per query word) and the word break iterator of the ranking. */
typedef struct matcher {
	folder f;
	gw_buf orig, folded;
	int32_t *map;
	size_t mapcap;
	int32_t ncp;
	UBreakIterator *brk;
	UText *ut;
	unsigned char *bound; /* bound[i]: a word starts or ends at byte i of orig */
	size_t boundcap;
	bool has_bounds;
} matcher;

static void
matcher_free(void *p)
{
	matcher *m = p;

	gw_buf_free(&m->orig);
	gw_buf_free(&m->folded);
	free(m->map);
	free(m->bound);
	if (m->brk)
		ubrk_close(m->brk);
	if (m->ut)
		utext_close(m->ut);
	free(m);
}

/* The folded text of argument 0, from the cache when it is the row before's. */
static const gw_buf *
folded_arg(sqlite3_context *cx, sqlite3_value *v)
{
	matcher *m = sqlite3_user_data(cx);
	const char *s = (const char *)sqlite3_value_text(v);
	int32_t n = sqlite3_value_bytes(v);

	if (s == NULL)
		s = "";
	if (m->orig.ptr && m->orig.len == (size_t)n && memcmp(m->orig.ptr, s, (size_t)n) == 0)
		return &m->folded;
	gw_buf_reset(&m->orig);
	gw_buf_put(&m->orig, s, (size_t)n);
	m->ncp = fold_text(&m->f, s, n, &m->folded, &m->map, &m->mapcap);
	m->has_bounds = false;
	return &m->folded;
}

/* The next occurrence of needle in t at or after *at (its start; -1 when none). */
static int32_t
next_at(const gw_buf *t, const char *needle, size_t nn, size_t *at)
{
	const char *p =
	    nn && *at <= t->len ? gw_find(t->ptr + *at, t->len - *at, needle, nn) : NULL;

	if (p == NULL)
		return -1;
	*at = (size_t)(p - t->ptr) + 1;
	return (int32_t)(p - t->ptr);
}

/* gw_has(text, needle): 1 when the folded text holds the folded needle.  The needle folds to
 * itself, so where the text as written holds it, the folded text does: no folding then. */
static void
fn_has(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const char *needle = (const char *)sqlite3_value_text(argv[1]);
	const char *text = (const char *)sqlite3_value_text(argv[0]);
	size_t at = 0, nn = needle ? strlen(needle) : 0;

	(void)argc;
	if (needle && text && gw_find(text, (size_t)sqlite3_value_bytes(argv[0]), needle, nn))
		sqlite3_result_int(cx, 1);
	else
		sqlite3_result_int(cx, needle &&
		                           next_at(folded_arg(cx, argv[0]), needle, nn, &at) >= 0);
}

/* The original byte span [*a, *b) of the folded match [i, i + n). */
static void
orig_span(const matcher *m, int32_t i, size_t n, int32_t *a, int32_t *b)
{
	int32_t last = m->map[(size_t)i + n - 1];

	*a = m->map[i];
	*b = last + U8_COUNT_TRAIL_BYTES((unsigned char)m->orig.ptr[last]) + 1;
	if (*b > (int32_t)m->orig.len)
		*b = (int32_t)m->orig.len;
}

/* The word boundaries of ICU's dictionary (locale zh) in the cached sentence. */
static void
word_bounds(matcher *m)
{
	UErrorCode e = U_ZERO_ERROR;

	if (m->has_bounds)
		return;
	m->has_bounds = true;
	gw_grow((void **)&m->bound, &m->boundcap, m->orig.len + 1, 1);
	memset(m->bound, 0, m->orig.len + 1);
	if (m->brk == NULL)
		m->brk = ubrk_open(UBRK_WORD, "zh", NULL, 0, &e);
	m->ut = utext_openUTF8(m->ut, m->orig.ptr, (int64_t)m->orig.len, &e);
	ubrk_setUText(m->brk, m->ut, &e);
	if (U_FAILURE(e))
		return;
	/* with UTF-8 UText, break positions are byte offsets */
	for (int32_t b = ubrk_first(m->brk); b != UBRK_DONE; b = ubrk_next(m->brk))
		m->bound[b] = 1;
}

/* gw_rank(text, needles): how well the sentence answers the query words (needles, folded, each
 * ended by GW_NEEDLE_END), bm25's way without the rarity of the words: each occurrence counts 1,
 * 2 when it is a whole word of ICU's dictionary (政府 in 地方政府, not in 人民政府), saturating,
 * and a long sentence counts less than a short one with as many.  gw_rank(text, needles, 0):
 * without looking for whole words (ICU's breaks cost 9 us a sentence; --documents ranks every
 * match). */
static void
fn_rank(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const double k1 = 1.2, b = 0.75, avg = 40;
	matcher *m = sqlite3_user_data(cx);
	const gw_buf *t = folded_arg(cx, argv[0]);
	const char *w = (const char *)sqlite3_value_text(argv[1]), *e;
	bool words = argc < 3 || sqlite3_value_int(argv[2]);
	double score = 0;

	for (; w && (e = strchr(w, GW_NEEDLE_END)) != NULL; w = e + 1) {
		size_t nn = (size_t)(e - w), at = 0;
		double tf = 0;
		int32_t i, x = 0, y = 0;

		while ((i = next_at(t, w, nn, &at)) >= 0) {
			if (words) {
				word_bounds(m);
				orig_span(m, i, nn, &x, &y);
			}
			tf += words && m->bound[x] && m->bound[y] ? 2 : 1;
		}
		if (tf > 0)
			score += tf * (k1 + 1) / (tf + k1 * (1 - b + b * m->ncp / avg));
	}
	sqlite3_result_double(cx, score);
}

static int
cmp_span(const void *x, const void *y)
{
	const int32_t *a = x, *b = y;

	return a[0] != b[0] ? (a[0] > b[0]) - (a[0] < b[0]) : (a[1] > b[1]) - (a[1] < b[1]);
}

/* gw_mark(text, needles): the text with every occurrence of a needle between GW_MARK_OPEN and
 * GW_MARK_CLOSE; occurrences that overlap or touch are one mark. */
static void
fn_mark(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	matcher *m = sqlite3_user_data(cx);
	const gw_buf *t = folded_arg(cx, argv[0]);
	const char *w = (const char *)sqlite3_value_text(argv[1]), *e;
	int32_t *sp = NULL, i, at = 0;
	size_t n = 0, cap = 0;
	gw_buf out = GW_BUF_INIT;

	(void)argc;
	for (; w && (e = strchr(w, GW_NEEDLE_END)) != NULL; w = e + 1)
		for (size_t from = 0; (i = next_at(t, w, (size_t)(e - w), &from)) >= 0; n++) {
			gw_grow((void **)&sp, &cap, 2 * n + 2, sizeof *sp);
			orig_span(m, i, (size_t)(e - w), &sp[2 * n], &sp[2 * n + 1]);
		}
	if (n > 1)
		qsort(sp, n, 2 * sizeof *sp, cmp_span);
	for (size_t k = 0; k < n; k++) {
		int32_t a = sp[2 * k], z = sp[2 * k + 1];

		while (k + 1 < n && sp[2 * k + 2] <= z)
			z = z > sp[2 * ++k + 1] ? z : sp[2 * k + 1];
		if (a < at)
			a = at;
		gw_buf_put(&out, m->orig.ptr + at, (size_t)(a - at));
		gw_buf_putc(&out, GW_MARK_OPEN);
		gw_buf_put(&out, m->orig.ptr + a, (size_t)(z - a));
		gw_buf_putc(&out, GW_MARK_CLOSE);
		at = z;
	}
	gw_buf_put(&out, m->orig.ptr + at, m->orig.len - (size_t)at);
	sqlite3_result_text(cx, out.ptr ? out.ptr : "", out.ptr ? (int)out.len : 0,
	                    out.ptr ? free : SQLITE_STATIC);
	free(sp);
}

/* ---------------------------------------------------------------- registering */

/* The fts5_api of db, through "SELECT fts5(?1)" (the documented way to reach it from C). */
static fts5_api *
fts5_api_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	return api;
}

int
gw_fts_icu_register(sqlite3 *db)
{
	static fts5_tokenizer tok = {tok_create, tok_delete, tok_tokenize};
	static const struct {
		const char *name;
		void (*fn)(sqlite3_context *, int, sqlite3_value **);
		int nargs;
	} fns[] = {{"gw_has", fn_has, 2},
	           {"gw_rank", fn_rank, 2},
	           {"gw_rank", fn_rank, 3},
	           {"gw_mark", fn_mark, 2}};
	fts5_api *api = fts5_api_of(db);
	matcher *m;
	int rc;

	if (api == NULL || api->iVersion < 2)
		return SQLITE_ERROR;
	if ((m = calloc(1, sizeof *m)) == NULL || folder_init(&m->f) < 0) {
		free(m);
		return SQLITE_NOMEM;
	}
	rc = api->xCreateTokenizer(api, GW_FTS_TOKENIZER, NULL, &tok, NULL);
	/* they share one cache of the row's folded text; the last one frees it */
	for (size_t i = 0; rc == SQLITE_OK && i < sizeof fns / sizeof *fns; i++)
		rc = sqlite3_create_function_v2(
		    db, fns[i].name, fns[i].nargs, SQLITE_UTF8 | SQLITE_DETERMINISTIC, m, fns[i].fn,
		    NULL, NULL, i + 1 == sizeof fns / sizeof *fns ? matcher_free : NULL);
	return rc;
}
