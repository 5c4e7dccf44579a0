/* fts_icu.c — the "gongwen" FTS5 tokenizer: every Han character and digit on its own, with ICU's dictionary words beside them. */
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

/* One tokenizer instance per FTS5 table: the break iterator and the scratch buffers are
 * opened once here and reused by every call, not once per sentence. */
typedef struct fts_icu {
	UBreakIterator *brk;
	UText *ut;
	const UNormalizer2 *fold;
	UChar *u16, *f16; /* UTF-16 of one token, and of its folded form */
	int32_t cap16;
	char *out; /* the folded token in UTF-8 */
	int32_t capout;
} fts_icu;

/* tokenize='gongwen' or tokenize='gongwen LOCALE' (default zh: ICU's Chinese dictionary) */
static int
icu_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	UErrorCode e = U_ZERO_ERROR;
	fts_icu *t;

	(void)ctx;
	if (argc > 1)
		return SQLITE_ERROR;
	t = calloc(1, sizeof *t);
	if (t == NULL)
		return SQLITE_NOMEM;
	t->brk = ubrk_open(UBRK_WORD, argc == 1 ? argv[0] : "zh", NULL, 0, &e);
	t->fold = unorm2_getNFKCCasefoldInstance(&e);
	if (U_FAILURE(e)) {
		if (t->brk)
			ubrk_close(t->brk);
		free(t);
		return SQLITE_ERROR;
	}
	*out = (Fts5Tokenizer *)t;
	return SQLITE_OK;
}

static void
icu_delete(Fts5Tokenizer *p)
{
	fts_icu *t = (fts_icu *)p;

	if (t == NULL)
		return;
	ubrk_close(t->brk);
	if (t->ut)
		utext_close(t->ut);
	free(t->u16);
	free(t->f16);
	free(t->out);
	free(t);
}

static int
grow16(fts_icu *t, int32_t need)
{
	UChar *a, *b;

	if (need <= t->cap16)
		return 0;
	need = need * 2 + 16;
	a = realloc(t->u16, (size_t)need * sizeof *a);
	if (a)
		t->u16 = a;
	b = realloc(t->f16, (size_t)need * sizeof *b);
	if (b)
		t->f16 = b;
	if (a == NULL || b == NULL)
		return -1;
	t->cap16 = need;
	return 0;
}

/* Room for n bytes (and a NUL) in t->out. */
static int
grow_out(fts_icu *t, int32_t n)
{
	char *o;

	if (n < t->capout)
		return 0;
	o = realloc(t->out, (size_t)n + 1);
	if (o == NULL)
		return -1;
	t->out = o;
	t->capout = n + 1;
	return 0;
}

/* u16[0..n16) folded to NFKC_Casefold into f16; returns its length, or -1.  Folding can
 * lengthen a token (ß → ss, ㎡ → m2): then grow once and fold again. */
static int32_t
fold16(fts_icu *t, int32_t n16)
{
	UErrorCode e = U_ZERO_ERROR;
	int32_t nf = unorm2_normalize(t->fold, t->u16, n16, t->f16, t->cap16, &e);

	if (e == U_BUFFER_OVERFLOW_ERROR) {
		UChar *f = realloc(t->f16, (size_t)(nf + 1) * sizeof *f);

		if (f == NULL)
			return -1;
		t->f16 = f;
		e = U_ZERO_ERROR;
		nf = unorm2_normalize(t->fold, t->u16, n16, t->f16, nf + 1, &e);
	}
	return U_FAILURE(e) ? -1 : nf;
}

/* Fold tok[0..n) to NFKC_Casefold (full-width Ｇ and G both become g) into t->out; returns its
 * length, or -1.  Text is already NFC and width-folded, but a query typed by hand may not be. */
static int32_t
fold_token(fts_icu *t, const char *tok, int32_t n)
{
	UErrorCode e = U_ZERO_ERROR;
	int32_t n16, nf, nout;

	if (grow16(t, n + 1) < 0)
		return -1;
	u_strFromUTF8(t->u16, t->cap16, &n16, tok, n, &e);
	if (U_FAILURE(e))
		return -1;
	if (unorm2_isNormalized(t->fold, t->u16, n16, &e) && U_SUCCESS(e)) {
		if (grow_out(t, n) < 0)
			return -1;
		memcpy(t->out, tok, (size_t)n);
		return n;
	}
	if ((nf = fold16(t, n16)) < 0 || grow_out(t, nf * 3) < 0)
		return -1;
	e = U_ZERO_ERROR;
	u_strToUTF8(t->out, t->capout, &nout, t->f16, nf, &e);
	return U_FAILURE(e) ? -1 : nout;
}

/* ASCII fast path: lower-case into t->out. */
static int32_t
lower_ascii(fts_icu *t, const char *tok, int32_t n)
{
	if (grow_out(t, n) < 0)
		return -1;
	for (int32_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)tok[i];

		t->out[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	return n;
}

static int
is_ascii(const char *s, int32_t n)
{
	for (int32_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

/* Emit every code point of the folded token t->out[0..n) but white space as a token of its own,
 * so that any run of characters is found inside longer ones: 政府 in 人民政府, 1100万 in 11100万元,
 * 〔2019〕5号 in 国发〔2019〕5号, 5G in 55GWh.  With word, the whole token goes in too, colocated
 * with its first character.  [a, b) is the token's span in the text: a character's own span
 * when folding kept the length, else the whole token's (what highlight() marks). */
static int
emit_pieces(fts_icu *t, void *ctx, int32_t n, int32_t a, int32_t b, bool word,
            int (*token)(void *, int, const char *, int, int, int))
{
	bool same = b - a == n;
	int rc = SQLITE_OK;

	for (int32_t i = 0, j; rc == SQLITE_OK && i < n; i = j) {
		UChar32 c;

		j = i;
		U8_NEXT(t->out, j, n, c);
		if (u_isUWhiteSpace(c))
			continue;
		rc = token(ctx, 0, t->out + i, j - i, same ? a + i : a, same ? a + j : b);
		if (rc == SQLITE_OK && i == 0 && word)
			rc = token(ctx, FTS5_TOKEN_COLOCATED, t->out, n, a, b);
	}
	return rc;
}

/* A word of two or more code points with a Han ideograph in it: it also goes in whole, at the
 * place of its first piece, so that a query can prefer whole words (GW_FTS_WORD). */
static bool
is_han_word(const char *s, int32_t n)
{
	UChar32 c;
	int32_t i = 0, ncp = 0;
	bool han = false;

	while (i < n) {
		U8_NEXT(s, i, n, c);
		ncp++;
		han = han || u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC);
	}
	return han && ncp > 1;
}

static int32_t
fold_any(fts_icu *t, const char *s, int32_t n)
{
	return is_ascii(s, n) ? lower_ascii(t, s, n) : fold_token(t, s, n);
}

/* What the break iterator finds is cut into characters (emit_pieces): punctuation and symbols
 * are tokens too (5% is not any 5; 政府 is not 政，府), white space is not.  ICU cuts runs of
 * Chinese into dictionary words: in the text (not in a query) such a word of two or more
 * characters goes in whole as well, colocated.  A query string that
 * starts with GW_FTS_WORD is one whole word, as written. */
static int
icu_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int ntext,
             int (*token)(void *, int, const char *, int, int, int))
{
	fts_icu *t = (fts_icu *)p;
	UErrorCode e = U_ZERO_ERROR;
	int32_t a, b, n;
	int rc = SQLITE_OK;
	bool words = !(flags & FTS5_TOKENIZE_QUERY);

	if (ntext <= 0)
		return SQLITE_OK;
	if ((flags & FTS5_TOKENIZE_QUERY) && text[0] == GW_FTS_WORD) {
		if ((n = fold_any(t, text + 1, ntext - 1)) < 0)
			return SQLITE_NOMEM;
		return n > 0 ? token(ctx, 0, t->out, n, 1, ntext) : SQLITE_OK;
	}
	t->ut = utext_openUTF8(t->ut, text, ntext, &e);
	ubrk_setUText(t->brk, t->ut, &e);
	if (U_FAILURE(e))
		return SQLITE_ERROR;
	/* with UTF-8 UText, break positions are byte offsets into text */
	for (a = ubrk_first(t->brk); rc == SQLITE_OK && (b = ubrk_next(t->brk)) != UBRK_DONE; a = b) {
		bool word = ubrk_getRuleStatus(t->brk) >= UBRK_WORD_NONE_LIMIT;

		if ((n = fold_any(t, text + a, b - a)) < 0)
			return SQLITE_NOMEM;
		if (n > 0)
			rc = emit_pieces(t, ctx, n, a, b, word && words && is_han_word(t->out, n), token);
	}
	/* the text must not stay attached to the iterator after the call returns */
	ubrk_setText(t->brk, NULL, 0, &e);
	return rc;
}

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
	static fts5_tokenizer tok = {icu_create, icu_delete, icu_tokenize};
	fts5_api *api = fts5_api_of(db);

	if (api == NULL || api->iVersion < 2)
		return SQLITE_ERROR;
	return api->xCreateTokenizer(api, GW_FTS_TOKENIZER, NULL, &tok, NULL);
}

typedef struct words_ctx {
	void (*fn)(void *, const char *, int);
	void *ctx;
} words_ctx;

static int
keep_word(void *p, int flags, const char *tok, int n, int a, int b)
{
	words_ctx *w = p;

	(void)a, (void)b;
	if (flags & FTS5_TOKEN_COLOCATED)
		w->fn(w->ctx, tok, n);
	return SQLITE_OK;
}

int
gw_fts_words(const char *text, int n, void (*fn)(void *, const char *, int), void *ctx)
{
	Fts5Tokenizer *t;
	words_ctx w = {fn, ctx};
	int rc = icu_create(NULL, NULL, 0, &t);

	if (rc == SQLITE_OK) {
		rc = icu_tokenize(t, &w, FTS5_TOKENIZE_DOCUMENT, text, n, keep_word);
		icu_delete(t);
	}
	return rc;
}
