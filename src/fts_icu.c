/* fts_icu.c — the "gongwen" FTS5 tokenizer: ICU word break iteration (dictionary words for Chinese). */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
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

/* Every word the break iterator finds (rule status not NONE: letters, numbers, kana, ideographs)
 * is a token; spaces and punctuation between them are not.  ICU keeps 5G and PM2.5 whole
 * (UAX #29 rules WB9-WB12), and splits Chinese runs into dictionary words. */
static int
icu_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int ntext,
             int (*token)(void *, int, const char *, int, int, int))
{
	fts_icu *t = (fts_icu *)p;
	UErrorCode e = U_ZERO_ERROR;
	int32_t a, b;
	int rc = SQLITE_OK;

	(void)flags;
	if (ntext <= 0)
		return SQLITE_OK;
	t->ut = utext_openUTF8(t->ut, text, ntext, &e);
	ubrk_setUText(t->brk, t->ut, &e);
	if (U_FAILURE(e))
		return SQLITE_ERROR;
	/* with UTF-8 UText, break positions are byte offsets into text */
	for (a = ubrk_first(t->brk); rc == SQLITE_OK && (b = ubrk_next(t->brk)) != UBRK_DONE; a = b) {
		int32_t n;

		if (ubrk_getRuleStatus(t->brk) < UBRK_WORD_NONE_LIMIT)
			continue;
		n = is_ascii(text + a, b - a) ? lower_ascii(t, text + a, b - a)
		                              : fold_token(t, text + a, b - a);
		if (n < 0)
			return SQLITE_NOMEM;
		if (n > 0)
			rc = token(ctx, 0, t->out, n, a, b);
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
