/* normalize.c — gw-normalize's library side: detect the encoding, decode, and normalise the text
 * while mapping every code point back to the source bytes it came from.
 *
 * Three passes over one document:
 *   1. decode: valid UTF-8 is used in place (the fast path); anything else is converted with ICU
 *      (or repaired, for UTF-8 with a few bad bytes) into a UTF-8 copy with one source offset
 *      per code point;
 *   2. lines: index the decoded lines, then mark the scraper decoration (front matter, quoted
 *      disclaimers, page chrome matched by the chrome.* rules) that stays out of the text;
 *   3. text: one streaming pass per kept line: NFC, width folding, the space rules, and the
 *      decision whether a line break is real or a PDF page break; each code point that is kept
 *      is written with gw_doc_map_push in order.
 * Each step is documented in man/gw-normalize.1. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "chars.h"
#include "internal.h"

#define DOC_MAX GW_LIMIT_DOC_BYTES /* bytes: bigger documents become too-large error records */
#define LONG_LINE GW_LIMIT_LONG_LINE /* bytes: a line this long is kept whole but gets a warning */
#define HEAD_LINES 60        /* lines at the top where page chrome and disclaimers are looked for */
#define TAIL_LINES 40        /* lines at the bottom where page chrome is looked for */
#define REGION_LINE_MAX 1024 /* bytes: a longer line is body text and ends a chrome region */
#define FRONT_MATTER_MAX 200 /* lines a front-matter block may span */
#define MAX_BYTE_DIAGS 20    /* invalid-bytes diagnostics given one by one, then a summary */
#define DETECT_MAX (256u << 10) /* bytes given to the ICU charset detector */
#define SEG_MAX 256             /* code points of one NFC segment (combining marks) at most */
#define JOIN_MIN 20 /* code points a line needs before a page-break join is considered */
#define WINDOW 4096 /* items buffered per line before they are written out */
#define CONTEXT 3   /* items a space decision looks at on either side */
#define UBUF 16384  /* UTF-16 units per ICU conversion call */

enum { CAND_GB18030, CAND_BIG5, CAND_UTF16LE, CAND_UTF16BE, NCAND };
static const char *const cand_name[NCAND] = {"GB18030", "Big5", "UTF-16LE", "UTF-16BE"};
/* U+FFFD as each candidate encodes it, to tell a real U+FFFD from a replaced sequence. */
static const char *const cand_fffd[NCAND] = {"\x84\x31\xA4\x37", "", "\xFD\xFF", "\xFF\xFD"};

/* What a line of the decoded text becomes. */
enum { L_KEEP, L_FRONT_MATTER, L_DISCLAIMER, L_MARKDOWN, L_CHROME };
static const char *const line_kind[] = {"", "front-matter", "disclaimer", "markdown", "chrome"};

typedef struct line {
	uint32_t start, end, next; /* bytes of the decoded text: content, terminator end */
	uint32_t cp, cpend;        /* code point index of start and end */
	uint8_t kind;
	uint8_t flags; /* LS_* */
} line;
/* A line's code points are all simple (simple_len); some of them ASCII; one of them a stop. */
enum { LS_SIMPLE = 1, LS_ASCII = 2, LS_STOP = 4 };

/* One code point on its way to the text. */
typedef struct item {
	uint32_t cp, src, len, col;
	bool wide; /* a space that was layout: U+3000 or a run of spaces */
} item;

struct gw_normalizer {
	UConverter *cv[NCAND];
	UCharsetDetector *det;
	const UNormalizer2 *nfc;
	const gw_rules *rules;
	/* what opens a unit of its own (page-break joins): the node.* rules of structure.rules but
	 * the weak series ones (one definition of a numbered line, shared with gw-segment) and the
	 * opener.* rules of normalize.rules */
	const gw_rule **openers;
	size_t nopeners;
	/* the chrome.* rules of the head [0] and of the tail [1], in file order (their region
	 * attribute read once) */
	const gw_rule **chrome[2];
	size_t nchrome[2];
	const gw_prefilter *chromepf[2]; /* which of them may match at a line start */
	/* scratch, reused by every document */
	gw_buf dec;    /* decoded text when it is not the input itself */
	uint32_t *off; /* per code point source offset (+ one past the end) */
	size_t noff, capoff;
	uint32_t *bad; /* source offsets of replaced sequences */
	size_t nbad, capbad;
	uint32_t mixed_at; /* the first line of a UTF-8 text decoded as GB18030 instead */
	size_t nmixed;     /* how many such lines */
	line *lines;
	size_t nlines, caplines;
	item *it, seg[SEG_MAX];
	size_t capit;
	gw_buf region;
	uint32_t *rstart;
	gw_prefilter_mask *rmay; /* per region line: the chrome rules that may match there */
	size_t caprstart, caprmay;
	UChar ubuf[UBUF];
	int32_t obuf[UBUF];
	gw_buf file;
	gw_words *words; /* word breaks for a space inside a word (NULL without ICU data) */
};

/* One document being normalised. */
typedef struct run {
	gw_normalizer *n;
	gw_doc *d;
	const char *src; /* the input bytes */
	uint32_t srclen;
	const char *u; /* decoded text, valid UTF-8 */
	uint32_t ulen;
	bool mapped;   /* n->off maps code points to the source; else identity */
	uint32_t base; /* identity: source offset of u[0] (the BOM) */
	size_t ncontrol;
	uint32_t first_control; /* code point index */
	size_t nsub;            /* sequences replaced by U+FFFD */
	size_t npua;            /* private-use characters a candidate encoding produced */
	gw_buf out;
	/* the line being written */
	uint32_t lineno;
	size_t nit, done, linebase; /* items held, items written, items dropped before it[0] */
	size_t nseg;
	/* the last line written, for the page-break join */
	bool have_prev, prev_term;
	uint32_t prev_ncp, prev_last, prev_punct; /* prev_punct: non-zero when it holds a stop */
	bool prev_fragment; /* the last line was a sub/superscript split off by extraction (PM|2.5) */
	item term, blank_term; /* the line breaks that may be written */
	uint32_t term_line, blank_line, nblank;
} run;

/* ---------------------------------------------------------------- character classes */

/* Han, kana and Hangul: a space between two of them is layout, not a word break. */
static bool
is_cjk(uint32_t c)
{
	return gw_is_han(c) || (c >= 0x3040 && c <= 0x30FF && c != 0x30FB) ||
	       (c >= 0xAC00 && c <= 0xD7AF);
}

/* 。！？!? and ；: a line that has one has ended a sentence (the page-break join). */
static bool
is_stop(uint32_t c)
{
	return gw_is_sentence_end(c) || c == 0xFF1B;
}

/* Full-width punctuation that carries its own spacing: a space beside it is layout. */
static bool
is_cjk_punct(uint32_t c)
{
	return (c >= 0x3000 && c <= 0x303F && !is_cjk(c)) || (c >= 0xFF01 && c <= 0xFF65) ||
	       (c >= 0x2018 && c <= 0x201F) || c == 0x2014 || c == 0x2015 || c == 0x2026 ||
	       c == 0x00B7 || c == 0x30FB || (c >= 0xFE10 && c <= 0xFE6F);
}

static bool
is_alnum(uint32_t c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Control characters are removed (with a warning); line breaks are not controls here. */
static bool
is_control(uint32_t c)
{
	return (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') ||
	       (c >= 0x7F && c <= 0x9F);
}

/* Invisible format characters that are dropped silently: ZWSP, word joiner, mid-text BOM, SHY. */
static bool
is_invisible(uint32_t c)
{
	return c == 0x200B || c == 0x2060 || c == 0xFEFF || c == 0xAD;
}

/* Full-width ASCII → ASCII, except the punctuation 公文 writes full-width on purpose
 * (！（），：；？ — GB/T 15834); half-width CJK punctuation → full-width; ￥ and friends.
 * (Header fields and headings are given back as printed by gw-segment, from the offset map.) */
static uint32_t
fold_width(uint32_t c)
{
	static const uint16_t halfwidth[] = {0x3002, 0x300C, 0x300D, 0x3001, 0x30FB}; /* FF61… */
	static const uint16_t signs[] = {0xA2, 0xA3, 0xAC, 0xAF, 0xA6, 0xA5, 0x20A9};   /* FFE0… */
	/* bit k: U+FF00 + k stays full-width */
	const uint32_t kept = 1u << 0x01 | 1u << 0x08 | 1u << 0x09 | 1u << 0x0C | 1u << 0x1A |
	                      1u << 0x1B | 1u << 0x1F;

	if (c < 0xFF01)
		return c;
	if (c <= 0xFF5E)
		return c < 0xFF20 && (kept >> (c - 0xFF00) & 1) ? c : c - 0xFEE0;
	if (c >= 0xFF61 && c <= 0xFF65)
		return halfwidth[c - 0xFF61];
	if (c >= 0xFFE0 && c <= 0xFFE6)
		return signs[c - 0xFFE0];
	return c;
}

/* Characters NFC leaves alone whatever surrounds them (no ICU call needed). */
static bool
nfc_inert_fast(uint32_t c)
{
	return (c < 0x300 && c >= 0x20) || (c >= 0x4E00 && c <= 0x9FFF) ||
	       (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x3000 && c <= 0x3029) ||
	       (c >= 0x3030 && c <= 0x303F) || (c >= 0xFF01 && c <= 0xFF65) ||
	       (c >= 0x2010 && c <= 0x205E);
}

/* ---------------------------------------------------------------- UTF-8 */

/* Two continuation bytes after s[i] (of s[0..n)). */
static inline bool
tail2(const unsigned char *s, size_t i, size_t n)
{
	uint16_t tail;

	if (i + 2 >= n)
		return false;
	memcpy(&tail, s + i + 1, 2); /* both bytes 10xxxxxx, in either byte order */
	return (tail & 0xC0C0) == 0x8080;
}

/* How many of the five three-byte places at s[i..i+15) (of s[0..n)) hold, from the first, a CJK
 * ideograph of the line index (lead E4..E9, two continuation bytes: what tail2 and the lead's
 * test say one at a time); 0 when fewer than sixteen bytes are left.  Sixteen bytes in one look
 * (issue 14: the index's loop took some eleven instructions an ideograph). */
static inline unsigned
han_count(const unsigned char *s, size_t i, size_t n)
{
#ifdef __SSE2__
	__m128i v, lead, cont;
	unsigned ok;

	if (i + 16 > n)
		return 0;
	v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
	lead = _mm_sub_epi8(v, _mm_set1_epi8((char)0xE4)); /* E4..E9 → 0..5 */
	lead = _mm_cmpeq_epi8(_mm_min_epu8(lead, _mm_set1_epi8(5)), lead);
	cont = _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xC0)), _mm_set1_epi8((char)0x80));
	/* bits 0, 3, 6, 9, 12 a lead, the others of 0..14 a continuation: the first that fails */
	ok = ((unsigned)_mm_movemask_epi8(lead) & 0x1249u) |
	     ((unsigned)_mm_movemask_epi8(cont) & 0x6DB6u);
	return (unsigned)__builtin_ctz(~ok) / 3; /* bit 15 of ~ok is set */
#else
	(void)s, (void)i, (void)n;
	return 0;
#endif
}

/* A well-formed three-byte sequence at s[i] whose lead needs no second-byte range (not the
 * overlong E0, not the surrogates' ED). */
static inline bool
cjk3(const unsigned char *s, size_t i, size_t n)
{
	return tail2(s, i, n) && s[i] >= 0xE1 && s[i] <= 0xEF && s[i] != 0xED;
}

/* The length of the "simple" code point at s[i] (of s[0..n)), 0 for one that is not: a
 * character that every step leaves as it is, whatever surrounds it, and no space.  ASCII
 * graphic characters, CJK ideographs U+4000–9FFF, CJK punctuation U+3001–3029 and
 * U+3030–303F, general punctuation U+2010–205E (not U+202F, a space), and the full-width
 * punctuation that stays (！（），：；？).  Checked on the bytes: most lines of a 公文 are simple.
 */
static inline int
simple_len(const unsigned char *s, size_t i, size_t n)
{
	unsigned c = s[i];

	if (c > 0x20 && c < 0x7F)
		return 1;
	if (i + 2 >= n)
		return 0;
	if (c >= 0xE4 && c <= 0xE9)
		return 3;
	if (c == 0xE3)
		return s[i + 1] != 0x80 || s[i + 2] == 0x80 || (s[i + 2] >= 0xAA && s[i + 2] <= 0xAF)
		           ? 0
		           : 3;
	if (c == 0xE2)
		return (s[i + 1] == 0x80 && s[i + 2] >= 0x90 && s[i + 2] != 0xAF) ||
		               (s[i + 1] == 0x81 && s[i + 2] <= 0x9E)
		           ? 3
		           : 0;
	if (c == 0xEF) {
		unsigned d = s[i + 2];

		return s[i + 1] == 0xBC && (d == 0x81 || d == 0x88 || d == 0x89 || d == 0x8C ||
		                            d == 0x9A || d == 0x9B || d == 0x9F)
		           ? 3
		           : 0;
	}
	return 0;
}

/* Code point at s in a simple line (ASCII or three bytes). */
static uint32_t
simple_cp(const unsigned char *s)
{
	return s[0] < 0x80 ? s[0] : ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
}

/* Count the invalid sequences of s, the valid multi-byte ones (*nmb), and whether the last
 * invalid one is a sequence cut short by the end of the text (*cut: a truncated file). */
static size_t
utf8_scan(const char *p, size_t n, size_t *nmb, bool *cut)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0, nbad = 0;

	*nmb = 0, *cut = false;
	while (i < n) {
		if (s[i] < 0x80) { /* ASCII runs, eight bytes at a time */
			uint64_t w;

			while (i + 8 <= n &&
			       (memcpy(&w, s + i, 8), (w & 0x8080808080808080ULL) == 0))
				i += 8;
			while (i < n && s[i] < 0x80)
				i++;
			continue;
		}
		if (cjk3(s, i, n)) { /* the bulk of Chinese text: a run of them */
			do
				(*nmb)++, i += 3;
			while (cjk3(s, i, n));
		} else {
			size_t at = i;
			UChar32 c;

			U8_NEXT(s, i, n, c); /* past a maximal invalid subpart when c < 0 */
			if (c >= 0)
				(*nmb)++;
			else
				nbad++, *cut = i == n && s[at] >= 0xC2;
		}
	}
	return nbad;
}

/* ---------------------------------------------------------------- the normaliser */

gw_normalizer *
gw_normalizer_new(gw_buf *err)
{
	gw_normalizer *n = gw_xcalloc(1, sizeof *n);
	UErrorCode e = U_ZERO_ERROR;
	int i;

	for (i = 0; i < NCAND && U_SUCCESS(e); i++)
		n->cv[i] = ucnv_open(cand_name[i], &e);
	if (U_SUCCESS(e))
		n->det = ucsdet_open(&e);
	if (U_SUCCESS(e))
		n->nfc = unorm2_getNFCInstance(&e);
	n->words = gw_words_new();
	if (U_FAILURE(e)) {
		gw_buf_printf(err, "cannot open the ICU converters and normaliser: %s",
		              u_errorName(e));
		gw_normalizer_free(n);
		return NULL;
	}
	return n;
}

void
gw_normalizer_free(gw_normalizer *n)
{
	if (n == NULL)
		return;
	for (int i = 0; i < NCAND; i++)
		ucnv_close(n->cv[i]);
	ucsdet_close(n->det);
	gw_buf_free(&n->dec);
	gw_buf_free(&n->region);
	gw_buf_free(&n->file);
	free(n->off);
	free(n->bad);
	free(n->lines);
	free(n->it);
	free(n->rstart);
	free(n->rmay);
	free(n->openers);
	free(n->chrome[0]);
	free(n->chrome[1]);
	gw_words_free(n->words);
	free(n);
}

/* The chrome.* rules whose region attribute ("head", "tail", "both"; default head) covers the
 * head and the tail. */
static void
chrome_rules(gw_normalizer *n, const gw_rules *rs)
{
	size_t cap[2] = {0, 0}, i = 0;
	const gw_rule *r;

	n->nchrome[0] = n->nchrome[1] = 0;
	while (rs && (r = gw_rules_next(rs, "chrome.", &i)) != NULL) {
		const char *where = gw_rule_attr(r, "region");

		for (int t = 0; t < 2; t++)
			if (where == NULL ? t == 0
			                  : strcmp(where, "both") == 0 ||
			                        strcmp(where, t ? "tail" : "head") == 0) {
				gw_grow((void **)&n->chrome[t], &cap[t], n->nchrome[t] + 1,
				        sizeof *n->chrome[t]);
				n->chrome[t][n->nchrome[t]++] = r;
			}
	}
	for (int t = 0; t < 2; t++)
		n->chromepf[t] = gw_union_prefilter(gw_rules_union(n->chrome[t], n->nchrome[t], false));
}

void
gw_normalizer_set_rules(gw_normalizer *n, const gw_rules *rs)
{
	static const char *const families[] = {"node.", "opener."};
	size_t cap = 0;

	n->rules = rs;
	n->nopeners = 0;
	chrome_rules(n, rs);
	for (size_t f = 0; rs && f < sizeof families / sizeof *families; f++) {
		const gw_rule *r;
		size_t i = 0;

		while ((r = gw_rules_next(rs, families[f], &i)) != NULL) {
			const char *series = gw_rule_attr(r, "series");

			if (series && strcmp(series, "yes") == 0)
				continue; /* a weak rule counts only in a series this line cannot see */
			gw_grow((void **)&n->openers, &cap, n->nopeners + 1, sizeof *n->openers);
			n->openers[n->nopeners++] = r;
		}
	}
}

/* ---------------------------------------------------------------- pass 1: decoding */

/* Append one decoded code point (the arrays were sized by decoded_reset). */
static inline void
push_cp(run *r, uint32_t cp, uint32_t off, bool bad)
{
	gw_normalizer *n = r->n;

	n->off[n->noff++] = off;
	U8_APPEND_UNSAFE(n->dec.ptr, n->dec.len, cp);
	if (bad) {
		gw_grow((void **)&n->bad, &n->capbad, n->nbad + 1, sizeof *n->bad);
		n->bad[n->nbad++] = off;
		r->nsub++;
	}
}

/* ICU's to-Unicode callback: replace what cannot be decoded by U+FFFD and count it. */
static void U_CALLCONV
sub_cb(const void *ctx, UConverterToUnicodeArgs *a, const char *units, int32_t len,
       UConverterCallbackReason why, UErrorCode *err)
{
	static const UChar fffd = 0xFFFD;

	(void)units, (void)len;
	if (why > UCNV_IRREGULAR)
		return;
	(*(size_t *)(uintptr_t)ctx)++;
	*err = U_ZERO_ERROR;
	ucnv_cbToUWriteUChars(a, &fffd, 1, 0, err);
}

/* Take the UTF-16 units ICU produced, with their offsets, into the decoded text. */
static void
take_units(run *r, int cand, size_t nu, uint32_t base, UChar *pend, uint32_t *pendoff)
{
	gw_normalizer *n = r->n;
	const char *g = cand_fffd[cand];
	size_t glen = strlen(g);
	uint32_t last = n->noff ? n->off[n->noff - 1] : 0;

	for (size_t k = 0; k < nu; k++) {
		UChar c = n->ubuf[k];
		uint32_t off = n->obuf[k] >= 0 ? base + (uint32_t)n->obuf[k] : last, cp = c;

		if (off < last) /* keep the map monotonic whatever the converter says */
			off = last;
		if (*pend && U16_IS_TRAIL(c)) {
			cp = U16_GET_SUPPLEMENTARY(*pend, c), off = *pendoff, *pend = 0;
		} else {
			if (*pend)
				push_cp(r, 0xFFFD, *pendoff, true), *pend = 0;
			if (U16_IS_LEAD(c)) {
				*pend = c, *pendoff = off;
				continue;
			}
			if (U16_IS_TRAIL(c))
				cp = 0xFFFD;
		}
		push_cp(r, cp, off,
		        cp == 0xFFFD && !(glen && off + glen <= r->srclen &&
		                          memcmp(r->src + off, g, glen) == 0));
		r->npua += cp >= 0xE000 && cp <= 0xF8FF; /* user-defined areas: a wrong guess */
		last = off;
	}
}

/* Convert src[from..to) with ICU; the count of replaced sequences goes to r->nsub. */
static int
decode_icu(run *r, int cand, uint32_t from, uint32_t to)
{
	gw_normalizer *n = r->n;
	UConverter *cv = n->cv[cand];
	const char *s = r->src + from, *lim = r->src + to;
	UErrorCode e = U_ZERO_ERROR;
	UChar pend = 0;
	uint32_t pendoff = 0;

	ucnv_reset(cv);
	ucnv_setToUCallBack(cv, sub_cb, &r->nsub, NULL, NULL, &e);
	do {
		UChar *t = n->ubuf;
		const char *s0 = s;

		e = U_ZERO_ERROR;
		ucnv_toUnicode(cv, &t, n->ubuf + UBUF, &s, lim, n->obuf, true, &e);
		take_units(r, cand, (size_t)(t - n->ubuf), (uint32_t)(s0 - r->src), &pend,
		           &pendoff);
	} while (e == U_BUFFER_OVERFLOW_ERROR);
	if (pend)
		push_cp(r, 0xFFFD, pendoff, true);
	return U_FAILURE(e) ? -1 : 0;
}

/* A line of a UTF-8 text that is not UTF-8 but strict GB18030 (a scraper glued a GBK piece
 * to a UTF-8 page): decode it as such and count it.  False, with nothing changed, when it does
 * not decode cleanly either. */
static bool
repair_line_gb18030(run *r, uint32_t a, uint32_t b)
{
	gw_normalizer *n = r->n;
	size_t noff = n->noff, len = n->dec.len, nbad = n->nbad, nsub = r->nsub, npua = r->npua;

	if (decode_icu(r, CAND_GB18030, a, b) == 0 && r->nsub == nsub && r->npua == npua) {
		if (n->nmixed++ == 0)
			n->mixed_at = a;
		return true;
	}
	n->noff = noff, n->dec.len = len, n->nbad = nbad, r->nsub = nsub, r->npua = npua;
	return false;
}

/* UTF-8 with a few bad bytes: copy it, one U+FFFD per maximal invalid subpart; a line that is
 * GB18030 instead is decoded as GB18030 (GW_W_MIXED_ENCODING). */
static void
decode_utf8_repair(run *r, uint32_t skip)
{
	const unsigned char *s = (const unsigned char *)r->src;
	uint32_t i, a, b;
	UChar32 c;

	for (a = skip; a < r->srclen; a = b) {
		const unsigned char *nl = memchr(s + a, '\n', r->srclen - a);
		int invalid = 0;

		b = nl ? (uint32_t)(nl - s) + 1 : r->srclen;
		for (i = a; i < b && invalid < 2;) {
			U8_NEXT(s, i, b, c);
			invalid += c < 0;
		}
		/* two bad sequences at least: one is a character cut short, not another encoding */
		if (invalid >= 2 && repair_line_gb18030(r, a, b))
			continue;
		for (i = a; i < b;) {
			uint32_t at = i;

			U8_NEXT(s, i, b, c); /* past a maximal invalid subpart when c < 0 */
			push_cp(r, c < 0 ? 0xFFFD : (uint32_t)c, at, c < 0);
		}
	}
}

/* Empty the decoded text and size it for the worst case: a code point per source byte, and
 * UTF-8 at most 1.5 times as long as any candidate encoding (3 bytes for 2; U+FFFD for 1). */
static void
decoded_reset(run *r)
{
	gw_normalizer *n = r->n;

	n->dec.len = 0;
	gw_buf_reserve(&n->dec, (size_t)r->srclen * 3 + 8);
	gw_grow((void **)&n->off, &n->capoff, (size_t)r->srclen + 2, sizeof *n->off);
	n->noff = n->nbad = n->nmixed = 0;
	r->nsub = r->npua = 0;
}

/* Finish a conversion into n->dec: the sentinel offset, and u pointing at the copy. */
static void
decoded_finish(run *r)
{
	gw_normalizer *n = r->n;

	n->off[n->noff] = r->srclen;
	n->dec.ptr[n->dec.len] = '\0';
	r->u = n->dec.ptr;
	r->ulen = (uint32_t)n->dec.len;
	r->mapped = true;
}

static int
add_cand(int *order, int k, int c)
{
	for (int j = 0; j < k; j++)
		if (order[j] == c)
			return k;
	order[k] = c;
	return k + 1;
}

/* The candidates to try, most likely first: what ICU's detector names, then GB18030 and Big5.
 * UTF-16 without a BOM only explains NUL bytes (ASCII and line ends in UTF-16 have them); a
 * text without any is never taken for it. */
static int
candidates(run *r, bool nul, int order[NCAND])
{
	UErrorCode e = U_ZERO_ERROR;
	const UCharsetMatch **m;
	int32_t nm = 0, i;
	int k = 0;

	ucsdet_setText(r->n->det, r->src,
	               (int32_t)(r->srclen < DETECT_MAX ? r->srclen : DETECT_MAX), &e);
	m = U_SUCCESS(e) ? ucsdet_detectAll(r->n->det, &nm, &e) : NULL;
	for (i = 0; m && U_SUCCESS(e) && i < nm; i++) {
		const char *name = ucsdet_getName(m[i], &e);

		for (int c = 0; name && c < NCAND; c++)
			if (strcmp(name, cand_name[c]) == 0 && (c >= CAND_UTF16LE) == nul)
				k = add_cand(order, k, c);
	}
	if (!nul)
		k = add_cand(order, add_cand(order, k, CAND_GB18030), CAND_BIG5);
	return k;
}

/* Whether the whole text decodes cleanly as candidate c: nothing replaced, no private use
 * characters, no U+0000 (r->nsub and r->npua say how many otherwise). */
static bool
decodes_clean(run *r, int c)
{
	decoded_reset(r);
	return decode_icu(r, c, 0, r->srclen) == 0 && r->nsub == 0 && r->npua == 0 &&
	       memchr(r->n->dec.ptr, '\0', r->n->dec.len) == NULL;
}

/* Without NUL bytes the candidates are GB18030 and Big5 in the detector's order, and the order
 * decides only when both decode cleanly or replace as many sequences (and fewer than the
 * utf8_bad of UTF-8): otherwise the winner is known without ICU's detector, which costs
 * thousands of instructions a byte.  The winner, -1 for UTF-8 repaired, -2: ask the detector.
 * GB18030 goes second: the text decoded is the commoner winner's. */
static int
undetected(run *r, size_t utf8_bad)
{
	bool big5 = decodes_clean(r, CAND_BIG5), gb;
	size_t nbig5 = r->nsub + r->npua, ngb;

	gb = decodes_clean(r, CAND_GB18030), ngb = r->nsub + r->npua;
	if (gb != big5)
		return gb ? CAND_GB18030 : CAND_BIG5;
	if (gb || (ngb == nbig5 && ngb < utf8_bad))
		return -2;
	if (ngb >= utf8_bad && nbig5 >= utf8_bad)
		return -1;
	return ngb < nbig5 ? CAND_GB18030 : CAND_BIG5;
}

/* Not UTF-8: try each candidate; the first that decodes cleanly (nothing replaced, no private
 * use characters) wins, else the one with the fewest such.  Returns the encoding name, or NULL
 * (undecodable). */
static const char *
decode_other(run *r, size_t utf8_bad, bool nul)
{
	int order[NCAND], k = 0, best = nul ? -2 : undetected(r, utf8_bad);
	size_t best_sub = utf8_bad;

	if (best == -2)
		k = candidates(r, nul, order), best = -1;
	for (int i = 0; i < k; i++) {
		int c = order[i];

		if (decodes_clean(r, c))
			return decoded_finish(r), cand_name[c];
		if (!nul && r->nsub + r->npua < best_sub)
			best = c, best_sub = r->nsub + r->npua;
	}
	if (nul)
		return NULL;
	if (k == 0 && best == CAND_GB18030) /* decoded last by undetected */
		return decoded_finish(r), cand_name[best];
	decoded_reset(r);
	if (best < 0)
		decode_utf8_repair(r, 0);
	else
		decode_icu(r, best, 0, r->srclen);
	decoded_finish(r);
	return best < 0 ? "UTF-8" : cand_name[best];
}

static bool index_lines(run *r);

/* No BOM: valid UTF-8 is used in place; UTF-8 with a few bad bytes (or cut short) is repaired;
 * anything else goes to the candidates.  Returns the encoding, or NULL for a binary file. */
static const char *
decode_unmarked(run *r)
{
	const unsigned char *s = (const unsigned char *)r->src;
	uint32_t skip = r->srclen >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	const char *nul = memchr(r->src, '\0', r->srclen);
	size_t nmb = 0, nbad = 1;
	bool cut = false;

	if (nul == NULL) {
		r->u = r->src + skip, r->ulen = r->srclen - skip, r->base = skip;
		r->mapped = false;
		if (index_lines(r))
			return "UTF-8";
		nbad = utf8_scan(r->src + skip, r->srclen - skip, &nmb, &cut);
	}
	/* GBK text read as UTF-8 has about one valid multi-byte sequence for four invalid ones */
	if (nul == NULL && (skip || nbad - cut == 0 || nmb >= 2 * nbad)) {
		decode_utf8_repair(r, skip);
		decoded_finish(r);
		return "UTF-8";
	}
	if ((s = (const unsigned char *)decode_other(r, nul ? 0 : nbad, nul != NULL)) == NULL)
		gw_doc_fail(r->d, GW_E_BINARY, "NUL byte at offset %zu", (size_t)(nul - r->src));
	return (const char *)s;
}

/* Choose the encoding and decode; false when d became an error record. */
static bool
decode(run *r)
{
	const unsigned char *s = (const unsigned char *)r->src;
	const char *enc;
	size_t bad, ncp;

	decoded_reset(r);
	if (r->srclen >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
		int c = s[0] == 0xFF ? CAND_UTF16LE : CAND_UTF16BE;

		decode_icu(r, c, 2, r->srclen);
		decoded_finish(r);
		enc = cand_name[c];
		if (memchr(r->u, '\0', r->ulen) != NULL) {
			gw_doc_fail(r->d, GW_E_BINARY, "U+0000 in %s text", enc);
			return false;
		}
	} else if ((enc = decode_unmarked(r)) == NULL)
		return false;
	if (r->mapped) /* a text used in place was indexed as it was checked */
		index_lines(r);
	r->d->encoding = gw_xstrdup(enc);
	/* mostly undecodable: over a third of the characters replaced (or private use) */
	bad = r->nsub + r->npua;
	if (bad && bad * 3 > (ncp = gw_utf8_count(r->u, r->ulen))) {
		gw_doc_fail(r->d, GW_E_UNDECODABLE, "%zu of %zu characters cannot be decoded as %s",
		            bad, ncp, enc);
		return false;
	}
	return true;
}

/* ---------------------------------------------------------------- pass 2: lines and decoration */

/* The first index of the sorted a[0..n) whose value is v or more. */
static size_t
lower_bound(const uint32_t *a, size_t n, uint32_t v)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (a[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Source offset of the decoded text's byte upos, the start of code point cpi. */
static uint32_t
src_at(const run *r, uint32_t upos, uint32_t cpi)
{
	return r->mapped ? r->n->off[cpi] : r->base + upos;
}

static void
add_line(run *r, uint32_t start, uint32_t end, uint32_t next, uint32_t cp, uint32_t cpend,
         unsigned flags)
{
	gw_normalizer *n = r->n;

	gw_grow((void **)&n->lines, &n->caplines, n->nlines + 1, sizeof *n->lines);
	n->lines[n->nlines++] = (line){start, end, next, cp, cpend, L_KEEP, (uint8_t)flags};
}

/* U+2028 or U+2029 at s[i] (of s[0..n)). */
static inline bool
line_sep(const unsigned char *s, size_t i, size_t n)
{
	return s[i] == 0xE2 && i + 2 < n && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9);
}

/* Split the text into lines at LF, CRLF, CR, FF, VT, U+2028 and U+2029; count the control
 * characters on the way, and tell the simple lines (write_line, write_simple).  The text is
 * checked as it goes (issue 14: the input read once, not once to check it and once to index
 * it): false at the first sequence that is not UTF-8, which a decoded text never has.  Past
 * GW_LIMIT_LINES lines it is only checked (the document fails: normalize_text). */
static bool
index_lines(run *r)
{
	const unsigned char *s = (const unsigned char *)r->u;
	size_t i = 0, n = r->ulen, at;
	uint32_t start = 0, cp = 0, cpstart = 0;
	unsigned f = LS_SIMPLE;
	UChar32 c;

	r->n->nlines = r->ncontrol = 0;
	while (i < n) {
		uint32_t tl = 0;

		if (tail2(s, i, n) && s[i] - 0xE4u <= 5) { /* CJK ideographs: simple */
			/* and the simple punctuation between them (issue 14: 。 and ， end no run) */
			for (;;) {
				unsigned k;

				i += 3, cp++; /* the ideograph, or the punctuation after a run */
				while ((k = han_count(s, i, n)) == 5)
					i += 15, cp += 5;
				i += 3 * k, cp += k;
				while (i + 16 > n && tail2(s, i, n) && s[i] - 0xE4u <= 5)
					i += 3, cp++; /* the last bytes, which han_count leaves */
				if (i + 2 < n && ((s[i] == 0xEF && s[i + 1] == 0xBC && s[i + 2] == 0x8C) ||
				                  (s[i] == 0xE3 && s[i + 1] == 0x80 && s[i + 2] == 0x81)))
					continue; /* ， and 、, most of what a run goes on through */
				if (!tail2(s, i, n) || simple_len(s, i, n) != 3 || line_sep(s, i, n))
					break;
				if ((s[i] == 0xE3 || s[i] == 0xEF) && is_stop(simple_cp(s + i)))
					f |= LS_STOP;
			}
			continue;
		}
		if (s[i] - 0x21u < 0x5E) { /* ASCII graphic characters: simple */
			f |= s[i] == '!' || s[i] == '?' ? LS_ASCII | LS_STOP : LS_ASCII;
			i++, cp++;
			continue;
		}
		if (s[i] == '\n' || s[i] == '\f' || s[i] == '\v')
			tl = 1;
		else if (s[i] == '\r')
			tl = i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
		else if (line_sep(s, i, n))
			tl = 3;
		if (tl) {
			if (r->n->nlines <= GW_LIMIT_LINES)
				add_line(r, start, (uint32_t)i, (uint32_t)(i + tl), cpstart, cp, f);
			i += tl, cp += tl == 3 ? 1 : tl;
			start = (uint32_t)i, cpstart = cp, f = LS_SIMPLE;
			continue;
		}
		at = i;
		if (cjk3(s, i, n)) { /* the rest of the BMP but U+0800..0FFF and the surrogates */
			if ((s[i] == 0xE3 || s[i] == 0xEF) && is_stop(simple_cp(s + i)))
				f |= LS_STOP;
			i += 3;
		} else {
			U8_NEXT(s, i, n, c);
			if (c < 0)
				return false;
			if (is_control((uint32_t)c) && r->ncontrol++ == 0)
				r->first_control = cp;
		}
		if ((f & LS_SIMPLE) && !simple_len(s, at, n))
			f &= ~(unsigned)LS_SIMPLE;
		cp++;
	}
	if (start < n && r->n->nlines <= GW_LIMIT_LINES)
		add_line(r, start, (uint32_t)n, (uint32_t)n, cpstart, cp, f);
	return true;
}

/* Text of line j's content. */
static const char *
line_text(const run *r, size_t j, size_t *len)
{
	const line *l = &r->n->lines[j];

	*len = l->end - l->start;
	return r->u + l->start;
}

/* The first few characters of a line, width-folded, without spaces. */
static size_t
line_head(const run *r, size_t j, uint32_t from, uint32_t *c, size_t max)
{
	const line *l = &r->n->lines[j];
	uint32_t i = from, cp;
	size_t k = 0;

	while (i < l->end && k < max) {
		U8_NEXT_UNSAFE(r->u, i, cp);
		if (!gw_is_space(cp) && !is_control(cp) && !is_invisible(cp))
			c[k++] = fold_width(cp);
	}
	return k;
}

/* Does the line hold only white space (or nothing)?  A simple line holds none. */
static bool
line_blank(const run *r, size_t j)
{
	const line *l = &r->n->lines[j];
	uint32_t c;

	if (l->flags & LS_SIMPLE)
		return l->end == l->start;
	return line_head(r, j, l->start, &c, 1) == 0;
}

/* Lines j0..j1 leave the text: record them as one removed span of kind k. */
static void
remove_lines(run *r, size_t j0, size_t j1, int k, const char *name)
{
	line *L = r->n->lines;
	uint32_t s = src_at(r, L[j0].start, L[j0].cp);
	uint32_t e = j1 + 1 < r->n->nlines ? src_at(r, L[j1 + 1].start, L[j1 + 1].cp) : r->srclen;

	for (size_t j = j0; j <= j1; j++)
		L[j].kind = (uint8_t)k;
	gw_doc_removed_add(r->d, name ? name : line_kind[k], s, e, r->u + L[j0].start,
	                   L[j1].end - L[j0].start);
}

static bool
line_is(const run *r, size_t j, const char *what)
{
	size_t len, n = strlen(what);
	const char *s = line_text(r, j, &len);

	while (len > n && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return len == n && memcmp(s, what, n) == 0;
}

/* Line j of YAML front matter, "key: value" (flat keys only; quotes removed). */
static void
front_matter_pair(run *r, size_t j)
{
	size_t len, kl, vl;
	const char *s = line_text(r, j, &len), *colon = memchr(s, ':', len), *v;
	char *key, *val;

	if (colon == NULL || colon == s || s[0] == '#' || s[0] == ' ' || s[0] == '-')
		return;
	kl = (size_t)(colon - s);
	v = colon + 1, vl = len - kl - 1;
	while (vl && (*v == ' ' || *v == '\t'))
		v++, vl--;
	while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
		vl--;
	if (vl >= 2 && (v[0] == '"' || v[0] == '\'') && v[vl - 1] == v[0])
		v++, vl -= 2;
	while (kl && s[kl - 1] == ' ')
		kl--;
	key = gw_xstrndup(s, kl);
	val = gw_xstrndup(v, vl);
	gw_doc_meta_add(r->d, key, val);
	free(key);
	free(val);
}

/* A leading "---" … "---" (or "...") block: its pairs go to source.metadata.  Returns the
 * first line after it. */
static size_t
front_matter(run *r)
{
	size_t j;

	if (r->n->nlines < 2 || !line_is(r, 0, "---"))
		return 0;
	for (j = 1; j < r->n->nlines && j <= FRONT_MATTER_MAX; j++)
		if (line_is(r, j, "---") || line_is(r, j, "..."))
			break;
	if (j >= r->n->nlines || j > FRONT_MATTER_MAX)
		return 0;
	for (size_t k = 1; k < j; k++)
		front_matter_pair(r, k);
	remove_lines(r, 0, j, L_FRONT_MATTER, NULL);
	return j + 1;
}

/* Markdown thematic break: three or more of - * _ alone on a line. */
static bool
thematic_break(const char *s, size_t len)
{
	size_t k = 0, i;
	char c = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == ' ' || s[i] == '\t')
			continue;
		if ((s[i] != '-' && s[i] != '*' && s[i] != '_') || (c && s[i] != c))
			return false;
		c = s[i], k++;
	}
	return k >= 3;
}

/* Does s[0..len) end a sentence (a stop, perhaps before a closing quote or bracket: 。” ？）)? */
static bool
ends_sentence(const char *s, size_t len)
{
	uint32_t c = 0, prev = 0, d;

	for (size_t i = 0; i < len;) { /* the last two code points that are not white space */
		U8_NEXT_UNSAFE(s, i, d);
		if (!gw_is_space(d))
			prev = c, c = d;
	}
	return gw_is_sentence_end(c) || ((c == 0x201D || c == 0xFF09) && gw_is_sentence_end(prev));
}

/* Quoted "> …" lines near the top (scrapers' disclaimers and metadata), one span per block. */
static void
disclaimers(run *r, size_t a, size_t b)
{
	size_t j = a, len;

	while (j < b) {
		size_t k = j;
		const char *s;

		while (k < b && r->n->lines[k].kind == L_KEEP &&
		       (s = line_text(r, k, &len), len > 1) && s[0] == '>' &&
		       strspn(s + 1, " \t") < len - 1) {
			k++;
			/* lazy continuation (CommonMark): a quote cut mid-sentence goes on in the
			 * lines after it up to a blank line, without their own '>' */
			while (k < b && r->n->lines[k].kind == L_KEEP && !ends_sentence(s, len) &&
			       !line_blank(r, k) && (s = line_text(r, k, &len), s[0] != '>'))
				k++;
		}
		if (k > j)
			remove_lines(r, j, k - 1, L_DISCLAIMER, NULL);
		j = k > j ? k : j + 1;
	}
}

/* ---------------------------------------------------------------- chrome rules */

/* The lines a..b joined by '\n' into n->region, with each line's start in n->rstart and the
 * rules of pf that may match there in n->rmay. */
static void
region_build(run *r, size_t a, size_t b, const gw_prefilter *pf)
{
	gw_prefilter_cursor cur = {0};
	gw_normalizer *n = r->n;
	size_t len;

	gw_buf_reset(&n->region);
	gw_buf_put(&n->region, "", 0);
	gw_grow((void **)&n->rstart, &n->caprstart, b - a + 1, sizeof *n->rstart);
	for (size_t j = a; j < b; j++) {
		const char *s = line_text(r, j, &len);

		if (j > a)
			gw_buf_putc(&n->region, '\n');
		n->rstart[j - a] = (uint32_t)n->region.len;
		gw_buf_put(&n->region, s, len);
	}
	n->rstart[b - a] = (uint32_t)n->region.len + 1;
	gw_grow((void **)&n->rmay, &n->caprmay, b - a, sizeof *n->rmay);
	for (size_t j = 0; j < b - a; j++)
		gw_prefilter_at(pf, n->region.ptr, n->region.len, n->rstart[j], &cur, &n->rmay[j]);
}

/* Index (from 0) of the region line starting at byte pos, or -1. */
static long
region_line_at(const run *r, size_t nl, size_t pos)
{
	size_t k = lower_bound(r->n->rstart, nl, (uint32_t)pos);

	return k < nl && r->n->rstart[k] == pos ? (long)k : -1;
}

/* Run chrome rule k of region t over its lines a..b, trying it at each line start that its
 * prefilter allows (a rule can only cover whole lines, and what a search from a line start finds
 * first is what it finds anchored at the first line start where it matches); a match that covers
 * whole lines (and no line already removed) removes them.  -1 when the rule hit its match limit
 * (d is then an error record). */
static int
chrome_rule(run *r, size_t t, size_t k, size_t a, size_t b)
{
	gw_normalizer *n = r->n;
	const gw_rule *rule = n->chrome[t][k];
	const char *txt = n->region.ptr;
	size_t len = n->region.len, nlines = b - a, j = 0, ov[20], e;
	/* issue 14: the rule's bit of each line's mask, tested here (some 47,000 asks a pass) */
	uint64_t bit = n->nchrome[t] <= 64 ? 1ull << k : 0;
	int rc;

	while (j < nlines) {
		long j0, j1;
		bool ok = true;

		if ((bit ? !(n->rmay[j].rules & bit)
		         : !gw_prefilter_may(n->chromepf[t], &n->rmay[j], k)) ||
		    (rc = gw_rule_match_at(rule, txt, len, n->rstart[j], ov, 10)) == 0) {
			j++;
			continue;
		}
		if (rc < 0) {
			gw_doc_fail(r->d, GW_E_RULE_LIMIT, "rule %s", gw_rule_id(rule));
			return -1;
		}
		e = ov[1] > ov[0] && txt[ov[1] - 1] == '\n' ? ov[1] - 1 : ov[1];
		j0 = region_line_at(r, nlines, ov[0]);
		j1 = region_line_at(r, nlines + 1, e + 1); /* the line after the match */
		for (long i = j0; ok && i >= 0 && i < j1; i++)
			ok = n->lines[a + (size_t)i].kind == L_KEEP;
		ok = ok && j0 >= 0 && j1 > j0;
		if (ok)
			remove_lines(r, a + (size_t)j0, a + (size_t)j1 - 1, L_CHROME,
			             gw_rule_attr(rule, "kind"));
		j = ok ? (size_t)j1 : j + 1; /* else no whole-line match here: the next line */
	}
	return 0;
}

/* Run every chrome.* rule of the head (or of the tail) over lines a..b. */
static int
chrome_region(run *r, size_t a, size_t b, bool head)
{
	size_t t = head ? 0 : 1;

	if (r->n->rules == NULL || a >= b || r->n->nchrome[t] == 0)
		return 0;
	region_build(r, a, b, r->n->chromepf[t]);
	for (size_t k = 0; k < r->n->nchrome[t]; k++)
		if (chrome_rule(r, t, k, a, b) < 0)
			return -1;
	return 0;
}

/* Mark the decoration of the head and the tail; -1 when d became an error record.  The tail
 * goes first so that its block rules (chrome.page-end) see their lines whole even when the tail
 * overlaps the head of a short document; lines already removed are left alone. */
static int
decoration(run *r)
{
	size_t nl = r->n->nlines, a = front_matter(r), b = a, t = nl;

	while (b < nl && b < a + HEAD_LINES &&
	       r->n->lines[b].end - r->n->lines[b].start <= REGION_LINE_MAX)
		b++;
	disclaimers(r, a, b);
	while (t > a && t + TAIL_LINES > nl &&
	       r->n->lines[t - 1].end - r->n->lines[t - 1].start <= REGION_LINE_MAX)
		t--;
	if (chrome_region(r, t, nl, false) < 0)
		return -1;
	return chrome_region(r, a, b, true);
}

/* ---------------------------------------------------------------- pass 3: the text */

static void
put(run *r, const item *it)
{
	if (it->cp < 0x80)
		gw_buf_putc(&r->out, (int)it->cp);
	else
		gw_buf_put_cp(&r->out, it->cp);
	gw_doc_map_push(r->d, it->src, it->len, r->lineno, it->col, 1);
	r->prev_ncp++;
	r->prev_last = it->cp;
	r->prev_punct += is_stop(it->cp); /* a numbered heading (（一）巩固…，) has commas only */
}

/* Length (at most 3) of the run of Han characters from item j going in direction dir. */
static int
han_run(const run *r, long j, int dir)
{
	int k = 0;

	while (k < 3 && j >= 0 && (size_t)j < r->nit && is_cjk(r->n->it[j].cp))
		k++, j += dir;
	return k;
}

/* Do items 0..i-1 of the line spell an outline number (4.2.2, one or two digits a part) that
 * the space at i sets off from its heading?  A bare number (1　总则) only with a layout space:
 * "20 年" is a year being typed, not section 20. */
static bool
outline_number(const run *r, size_t i)
{
	const item *it = r->n->it;
	size_t j = it[0].cp == ' ', k; /* after the indentation */
	bool dotted = false;

	if (r->linebase > 0 || i > 12)
		return false;
	for (;;) {
		for (k = j; k < i && k < j + 3 && it[k].cp >= '0' && it[k].cp <= '9'; k++)
			;
		if (k == j || k - j > 2)
			return false;
		if (k == i)
			return dotted || it[i].wide;
		dotted = true;
		if (it[k].cp != '.')
			return false;
		j = k + 1;
	}
}

/* Does s[0..n) hold a Han numeral (一…十, 百, 千, 零, 〇, 两)? */
static bool
han_numeral_in(const char *s, size_t n)
{
	static const uint32_t numerals[] = {0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03,
	                                    0x516B, 0x4E5D, 0x5341, 0x767E, 0x5343, 0x96F6, 0x3007,
	                                    0x4E24};
	uint32_t cp;

	for (size_t at = 0; at < n;) {
		U8_NEXT_UNSAFE(s, at, cp); /* s was written by space_in_word: valid */
		for (size_t d = 0; d < sizeof numerals / sizeof *numerals; d++)
			if (cp == numerals[d])
				return true;
	}
	return false;
}

/* Is the single space at item i inside a word: do the (at most three) Han characters on its
 * left and on its right, written together, have no word break where the space was?  PDF
 * extraction puts spaces inside words (的原 则, 意 见, 直 接); a space between words stays
 * (中共中央 国务院, 省长 王予波, 第一条 根据).  A run of spaces or U+3000 is never in a word. */
static bool
space_in_word(const run *r, size_t i, int left, int right)
{
	char s[6 * 4];
	size_t at[8], k, n = 0, mid = 0;
	bool word[8];

	if (r->n->words == NULL || r->n->it[i].wide)
		return false;
	for (long j = (long)i - left; j <= (long)i + right; j++) {
		if ((size_t)j == i) {
			mid = n;
			continue;
		}
		U8_APPEND_UNSAFE(s, n, r->n->it[j].cp);
	}
	k = gw_words_bounds(r->n->words, s, n, at, word, 8);
	while (k > 0 && at[k - 1] > mid)
		k--;
	if (k == 0 || k >= 8 || at[k - 1] == mid)
		return false;
	/* ICU's dictionary reads a numeral with what follows as one word (第三条 本条例 gives 三条本):
	 * a word with a numeral in it spans the label of an article, not a word cut by layout */
	return !han_numeral_in(s + at[k - 1], at[k] - at[k - 1]);
}

/* Keep the space at item i (one space for a run)?  Spaces at either end of a line go; so does
 * a space with CJK on one side only (1325 套, 2022 年, 印发 《) unless it follows the outline
 * number a line starts with (1.1　编制目的), beside full-width punctuation,
 * between a digit and %, and letter-spacing: a lone Han character beside a word of at most two
 * (国 家 粮 食, 总　　则, 副 召 集人, 原 则).  Spaces between Latin words, and between Han words
 * (省长　王予波, 第一章　总则, 王学政  党委), stay. */
static bool
keep_space(const run *r, size_t i)
{
	const item *it = r->n->it;
	uint32_t a, b;
	int left, right;

	if (i + r->linebase == 0 || i == 0 || i + 1 >= r->nit)
		return false;
	a = it[i - 1].cp, b = it[i + 1].cp;
	if (is_cjk_punct(a) || is_cjk_punct(b))
		return false;
	if (is_cjk(a) != is_cjk(b))
		return is_cjk(b) && outline_number(r, i);
	if (is_cjk(a)) {
		left = han_run(r, (long)i - 1, -1), right = han_run(r, (long)i + 1, 1);
		return !((left == 1 && right <= 2) || (right == 1 && left <= 2)) &&
		       !space_in_word(r, i, left, right);
	}
	return !(a >= '0' && a <= '9' && (b == '%' || b == 0x2030 || b == 0x2103));
}

/* Write the items whose neighbours are known (all of them at the end of the line). */
static void
flush_items(run *r, bool final)
{
	gw_normalizer *n = r->n;
	size_t lim = final ? r->nit : (r->nit > CONTEXT ? r->nit - CONTEXT : 0), i, keep;

	for (i = r->done; i < lim; i++)
		if (n->it[i].cp != ' ' || keep_space(r, i))
			put(r, &n->it[i]);
	r->done = lim;
	if (final || r->done < WINDOW)
		return;
	keep = r->done - CONTEXT; /* context stays before the first unwritten item */
	memmove(n->it, n->it + keep, (r->nit - keep) * sizeof *n->it);
	r->nit -= keep, r->done -= keep, r->linebase += keep;
}

/* The next item of the line, its code point width-folded; a run of spaces is one space, mapped
 * to the first. */
static void
push_item(run *r, item it)
{
	gw_normalizer *n = r->n;

	if (it.cp == ' ' && r->nit > 0 && n->it[r->nit - 1].cp == ' ') {
		n->it[r->nit - 1].wide = true;
		return;
	}
	gw_grow((void **)&n->it, &n->capit, r->nit + 1, sizeof *n->it);
	it.cp = fold_width(it.cp);
	n->it[r->nit++] = it;
	if (r->nit >= WINDOW + 8)
		flush_items(r, false);
}

/* Normalise the pending NFC segment (a starter and what combines with it) into items.  When NFC
 * changes it, every resulting character maps to the whole segment's source bytes. */
static void
flush_seg(run *r)
{
	gw_normalizer *n = r->n;
	UChar in[SEG_MAX * 2], out[SEG_MAX * 2 + 16];
	int32_t ni = 0, no, k = 0;
	UErrorCode e = U_ZERO_ERROR;
	uint32_t cp, s0, s1;

	if (r->nseg == 1 &&
	    (nfc_inert_fast(n->seg[0].cp) || unorm2_isInert(n->nfc, (UChar32)n->seg[0].cp))) {
		push_item(r, n->seg[0]);
		r->nseg = 0;
		return;
	}
	for (size_t j = 0; j < r->nseg; j++)
		U16_APPEND_UNSAFE(in, ni, n->seg[j].cp);
	no = unorm2_normalize(n->nfc, in, ni, out, SEG_MAX * 2 + 16, &e);
	if (U_FAILURE(e) || (no == ni && memcmp(in, out, (size_t)ni * sizeof *in) == 0)) {
		for (size_t j = 0; j < r->nseg; j++)
			push_item(r, n->seg[j]);
	} else {
		s0 = n->seg[0].src, s1 = n->seg[r->nseg - 1].src + n->seg[r->nseg - 1].len;
		while (k < no) {
			U16_NEXT_UNSAFE(out, k, cp);
			push_item(r, (item){cp, s0, s1 - s0, n->seg[0].col, false});
		}
	}
	r->nseg = 0;
}

/* One code point of the line, as decoded, into the NFC stage (or straight on for spaces). */
static void
take_cp(run *r, uint32_t cp, uint32_t src, uint32_t len, uint32_t col)
{
	gw_normalizer *n = r->n;

	if (is_control(cp) || is_invisible(cp))
		return;
	if (gw_is_space(cp)) {
		if (r->nseg)
			flush_seg(r);
		push_item(r, (item){' ', src, len, col, cp == 0x3000});
		return;
	}
	if (r->nseg && (r->nseg == SEG_MAX || nfc_inert_fast(cp) ||
	                unorm2_hasBoundaryBefore(n->nfc, (UChar32)cp)))
		flush_seg(r);
	n->seg[r->nseg++] = (item){cp, src, len, col, false};
}

/* The end of the run of simple code points from s[i] (of s[0..n)). */
static size_t
simple_end(const unsigned char *s, size_t i, size_t n)
{
	int k;

	for (;;) {
		while (i + 2 < n && s[i] - 0xE4u <= 5) /* ideographs, the bulk, in a tight loop */
			i += 3;
		if (i >= n || (k = simple_len(s, i, n)) == 0)
			return i;
		i += (size_t)k;
	}
}

/* Whether the simple code points of bytes [i, end) of s hold a stop (is_stop): ! ? or one led
 * by E3 or EF, not an ideograph's. */
static bool
simple_stop(const unsigned char *s, uint32_t i, uint32_t end)
{
	while (i < end)
		if (s[i] < 0x80) {
			if (s[i] == '!' || s[i] == '?')
				return true;
			i++;
		} else {
			if (s[i] - 0xE4u > 5 && is_stop(simple_cp(s + i)))
				return true;
			i += 3;
		}
	return false;
}

/* The end of the run of code points from p (before e) that are not ASCII: its first ASCII byte,
 * sixteen bytes a step with SSE2, eight where the byte order allows (issue 14: the ideographs
 * of a simple line with digits, read a code point at a time, were most of put_simple). */
static const unsigned char *
high_end(const unsigned char *p, const unsigned char *e)
{
#ifdef __SSE2__
	for (unsigned m; p + 16 <= e; p += 16) /* the top bits of sixteen bytes */
		if ((m = ~(unsigned)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)p)) &
		         0xFFFFu) != 0)
			return p + __builtin_ctz(m);
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	for (uint64_t w; p + 8 <= e; p += 8) {
		memcpy(&w, p, 8);
		if ((w = ~w & 0x8080808080808080ull) != 0)
			return p + __builtin_ctzll(w) / 8;
	}
#endif
	while (p < e && *p >= 0x80)
		p++;
	return p;
}

/* Simple code points go out as they are: one copy of bytes [i, end) of the text (code point k,
 * column col) and a one-to-one map, given a run of characters of one width at a time when the
 * text is the source; the line's counts go on as put keeps them, stop saying whether the bytes
 * hold a stop (issue 14: a simple line's is the line index's, not looked for again).  Returns
 * how many. */
static uint32_t
put_simple(run *r, uint32_t i, uint32_t end, uint32_t k, uint32_t col, bool stop)
{
	const unsigned char *s = (const unsigned char *)r->u, *p, *e = s + end;
	uint32_t n = 0;

	gw_buf_put(&r->out, r->u + i, end - i);
	while (i < end) {
		uint32_t w = s[i] < 0x80 ? 1 : 3, m;

		if (w == 1) {
			p = s + i;
			while (p < e && *p < 0x80)
				p++;
		} else
			p = high_end(s + i, e);
		m = (uint32_t)(p - s - i) / w;
		if (!r->mapped)
			gw_doc_map_push(r->d, r->base + i, w, r->lineno, col, m);
		for (uint32_t q = 0; r->mapped && q < m; q++)
			gw_doc_map_push(r->d, r->n->off[k + q],
			                r->n->off[k + q + 1] - r->n->off[k + q], r->lineno, col + q,
			                1);
		r->prev_last = simple_cp(p - w);
		i = (uint32_t)(p - s), k += m, col += m, n += m;
	}
	r->prev_ncp += n;
	r->prev_punct += stop;
	return n;
}

/* issue 14: a run of simple code points inside a line that is not simple (a space or a
 * full-width digit elsewhere in it) goes out like a simple line, at once, but for the code
 * points the items of a space beside it look at (up to three on either side): its first three
 * (taken before i, nrun of them in a row) and its last four (the last may also combine with
 * what follows).  The items before it are written first, their right context being in; after
 * it the line goes on with no item held, linebase counting those written.  Not before the
 * eighth item: an outline number (1.2.3　总则, outline_number) reads the first twelve.
 * Returns how many code points it wrote from *i (which it moves past them), 0 for none. */
static uint32_t
simple_run(run *r, uint32_t *i, uint32_t end, uint32_t k, uint32_t col, uint32_t nrun)
{
	const unsigned char *s = (const unsigned char *)r->u;
	uint32_t e, m;

	if (nrun < 3 || r->linebase + r->nit + r->nseg < 8 || !simple_len(s, *i, end))
		return 0;
	e = (uint32_t)simple_end(s, *i, end);
	for (int q = 0; q < 4 && e > *i; q++)
		e -= s[e - 1] < 0x80 ? 1 : 3;
	if (e <= *i)
		return 0;
	if (r->nseg)
		flush_seg(r);
	flush_items(r, true);
	r->linebase += r->nit;
	r->nit = r->done = 0;
	m = put_simple(r, *i, e, k, col, simple_stop(s, *i, e));
	r->linebase += m, *i = e;
	return m;
}

/* A simple line goes out as it is; one of ideographs and CJK punctuation only, of the text used
 * in place, as one run of the map, with what the line index found (issue 14: not walked). */
static void
write_simple(run *r, const line *l, uint32_t from)
{
	r->prev_ncp = r->prev_last = r->prev_punct = 0;
	if (r->mapped || (l->flags & LS_ASCII) || l->end == l->start) {
		/* the line's stop: [start, from) is a Markdown marker, # and blanks */
		put_simple(r, from, l->end, l->cp + (from - l->start), from - l->start + 1,
		           (l->flags & LS_STOP) != 0);
		return;
	}
	gw_buf_put(&r->out, r->u + from, l->end - from);
	gw_doc_map_push(r->d, r->base + from, 3, r->lineno, 1, l->cpend - l->cp);
	r->prev_ncp = l->cpend - l->cp;
	r->prev_last = simple_cp((const unsigned char *)r->u + l->end - 3);
	r->prev_punct = (l->flags & LS_STOP) != 0;
}

/* Write the content of line j (from byte `from` of it, after a Markdown heading marker). */
static void
write_line(run *r, size_t j, uint32_t from)
{
	const line *l = &r->n->lines[j];
	const unsigned char *s = (const unsigned char *)r->u;
	uint32_t i = l->start, k = l->cp, col = 1, cp, len, nrun = 0, m;

	r->lineno = (uint32_t)j + 1;
	if ((l->flags & LS_SIMPLE) || (from > l->start && simple_end(s, from, l->end) == l->end)) {
		write_simple(r, l, from);
		return;
	}
	r->nit = r->done = r->linebase = r->nseg = 0;
	r->prev_ncp = r->prev_punct = 0;
	r->prev_last = 0;
	r->prev_fragment = false;
	while (i < l->end) {
		uint32_t at = i, src;

		if (i >= from && (m = simple_run(r, &i, l->end, k, col, nrun)) > 0) {
			k += m, col += m;
			continue;
		}
		nrun = at >= from && simple_len(s, at, l->end) ? nrun + 1 : 0;
		U8_NEXT_UNSAFE(s, i, cp);
		if (r->mapped)
			src = r->n->off[k], len = r->n->off[k + 1] - src;
		else
			src = r->base + at, len = i - at;
		if (at >= from)
			take_cp(r, cp, src, len, col);
		k++, col++;
	}
	if (r->nseg)
		flush_seg(r);
	flush_items(r, true);
}

/* ---------------------------------------------------------------- page-break joins */

/* Does a line that starts with c[0..n) (line j from byte from) open a unit of its own?  Dashes,
 * bullets, quotes and brackets; a line that a node.* rule numbers (一、 （一） 1. 第一章 …); one
 * that an opener.* rule matches (一是, 附件, 各位代表).  A rule that goes over its match limit
 * counts as a yes: the line is left alone, and gw-segment reports the limit. */
static bool
opens_unit(const run *r, size_t j, uint32_t from, const uint32_t *c, size_t n)
{
	const line *l = &r->n->lines[j];
	size_t ov[2];

	if (n == 0)
		return true;
	if (!is_cjk(c[0]) && !is_alnum(c[0]) && c[0] != 0xFF0C && c[0] != 0x3002 &&
	    c[0] != 0x3001 && c[0] != 0xFF09 && c[0] != 0x300B && c[0] != 0x201D && c[0] != 0xFF1B &&
	    c[0] != '%' && c[0] != 0x2030 && c[0] != 0x2103)
		return true; /* dashes, bullets, quotes, brackets, （ and (; a unit (% ‰ ℃) goes on */
	for (size_t i = 0; i < r->n->nopeners; i++)
		if (gw_rule_match(r->n->openers[i], r->u + from, l->end - from, 0, ov, 1) != 0)
			return true;
	return false;
}

/* Sentence punctuation anywhere in the line (a stop or ，)? */
static bool
line_has_punct(const run *r, size_t j)
{
	size_t len, i = 0;
	const unsigned char *s = (const unsigned char *)line_text(r, j, &len);
	uint32_t c;

	while (i < len) {
		U8_NEXT_UNSAFE(s, i, c);
		if (is_stop(c) || c == 0xFF0C)
			return true;
	}
	return false;
}

/* Is line j a subscript or superscript that HTML extraction put on a line of its own, between
 * a body line ending in a Latin letter and the rest of the sentence (PM / 2.5 / 年平均浓度…)? */
static bool
sub_fragment(const run *r, size_t j, uint32_t from)
{
	uint32_t c[8], z = r->prev_last;
	size_t k;

	if (!r->have_prev || r->nblank > 0 || r->prev_ncp < JOIN_MIN ||
	    !((z >= 'A' && z <= 'Z') || (z >= 'a' && z <= 'z')))
		return false;
	k = line_head(r, j, from, c, 8);
	if (k == 0 || k > 5)
		return false;
	for (size_t i = 0; i < k; i++)
		if (!((c[i] >= '0' && c[i] <= '9') || c[i] == '.'))
			return false;
	return true;
}

/* Is the break between the last line written and line j a PDF page break inside a sentence?
 * The last line is a long body line that has ended a sentence (。；！？) but stops without
 * closing its last one, and line j goes on with sentence punctuation of its own rather than
 * opening a unit.  At most one blank line may lie between. */
static bool
page_break(const run *r, size_t j, uint32_t from)
{
	uint32_t c[12], z = r->prev_last;
	size_t k;

	if (sub_fragment(r, j, from))
		return true;
	if (r->have_prev && r->prev_fragment && r->nblank == 0) { /* the rest of that sentence */
		k = line_head(r, j, from, c, 12);
		return !opens_unit(r, j, from, c, k);
	}
	if (!r->have_prev || r->nblank > 1)
		return false;
	/* a number cut from its unit: 43.5 / %。 (the line's head read after the digit) */
	if (z >= '0' && z <= '9' && line_head(r, j, from, c, 1) == 1 &&
	    (c[0] == '%' || c[0] == 0x2030 || c[0] == 0x2103))
		return true;
	if (r->prev_ncp < JOIN_MIN || r->prev_punct == 0)
		return false;
	if (!is_cjk(z) && !is_alnum(z) && z != 0xFF0C && z != 0x3001 && z != '%')
		return false;
	k = line_head(r, j, from, c, 12);
	return !opens_unit(r, j, from, c, k) && line_has_punct(r, j);
}

/* ---------------------------------------------------------------- the document */

static void
put_break(run *r, const item *t, uint32_t lineno)
{
	r->lineno = lineno;
	put(r, t);
}

/* The line break after line j, as an item: '\n' mapped to its terminator. */
static item
terminator(const run *r, size_t j)
{
	const line *l = &r->n->lines[j];
	uint32_t s = src_at(r, l->end, l->cpend);
	uint32_t e = j + 1 < r->n->nlines ? src_at(r, l->next, r->n->lines[j + 1].cp) : r->srclen;

	return (item){'\n', s, e - s, l->cpend - l->cp + 1, false};
}

/* A Markdown ATX heading marker ("## ") at the start of line j: remove it, return its length. */
static uint32_t
heading_marker(run *r, size_t j)
{
	const line *l = &r->n->lines[j];
	const char *s = r->u + l->start;
	uint32_t len = l->end - l->start, k = 0;

	while (k < len && k < 6 && s[k] == '#')
		k++;
	if (k == 0 || k >= len || (s[k] != ' ' && s[k] != '\t'))
		return 0;
	while (k < len && (s[k] == ' ' || s[k] == '\t'))
		k++;
	if (k == len)
		return 0;
	gw_doc_removed_add(r->d, "markdown", src_at(r, l->start, l->cp),
	                   src_at(r, l->start + k, l->cp + k), s, k);
	return k;
}

/* Write one kept line, with the line breaks before it that are real. */
static void
text_line(run *r, size_t j)
{
	const line *l = &r->n->lines[j];
	size_t len;
	const char *s = line_text(r, j, &len);
	uint32_t from;
	bool fragment;

	if (thematic_break(s, len)) {
		remove_lines(r, j, j, L_MARKDOWN, NULL);
		return;
	}
	if (line_blank(r, j)) {
		if (r->nblank++ == 0)
			r->blank_term = terminator(r, j), r->blank_line = (uint32_t)j + 1;
		return;
	}
	from = l->start + heading_marker(r, j);
	fragment = sub_fragment(r, j, from);
	if (r->have_prev && !page_break(r, j, from)) {
		if (r->prev_term)
			put_break(r, &r->term, r->term_line);
		if (r->nblank)
			put_break(r, &r->blank_term, r->blank_line);
	}
	if (l->end - l->start > LONG_LINE)
		gw_doc_diag_at(r->d, GW_W_LINE_TOO_LONG, (long)j + 1, 1,
		               "%u bytes; kept whole, later stages may be slow on it",
		               l->end - l->start);
	write_line(r, j, from);
	r->have_prev = true;
	r->prev_fragment = fragment;
	r->prev_term = l->next > l->end;
	if (r->prev_term)
		r->term = terminator(r, j), r->term_line = (uint32_t)j + 1;
	r->nblank = 0;
}

/* The line holding code point cpi (lines are sorted by their first code point). */
static size_t
line_of_cp(const run *r, uint32_t cpi)
{
	size_t lo = 0, hi = r->n->nlines;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (r->n->lines[mid].cp <= cpi)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* One diagnostic per replaced sequence (the first few) with its byte offset, line and column;
 * one for the lines decoded as GB18030; one for the control characters removed. */
static void
byte_diags(run *r)
{
	gw_normalizer *n = r->n;
	size_t i, j;

	for (i = 0; i < n->nbad && i < MAX_BYTE_DIAGS; i++) {
		/* the code point the sequence became */
		uint32_t off = n->bad[i], cpi = (uint32_t)lower_bound(n->off, n->noff, off);
		uint32_t end = n->off[cpi + 1];
		gw_buf hex = GW_BUF_INIT;

		for (uint32_t b = off; b < end && b < off + 4; b++)
			gw_buf_printf(&hex, "%s%02X", b > off ? " " : "", (unsigned char)r->src[b]);
		j = line_of_cp(r, cpi);
		gw_doc_diag_at(r->d, GW_W_INVALID_BYTES, (long)j + 1,
		               (long)(cpi - n->lines[j].cp) + 1, "byte offset %u: %s%s, not %s",
		               off, hex.ptr, end > off + 4 ? " …" : "", r->d->encoding);
		gw_buf_free(&hex);
	}
	if (n->nmixed) {
		j = line_of_cp(r, (uint32_t)lower_bound(n->off, n->noff, n->mixed_at));
		gw_doc_diag_at(r->d, GW_W_MIXED_ENCODING, (long)j + 1, 1,
		               "%zu line%s not UTF-8 but GB18030, decoded as such", n->nmixed,
		               n->nmixed == 1 ? "" : "s");
	}
	if (n->nbad > MAX_BYTE_DIAGS)
		gw_doc_diag_at(r->d, GW_W_INVALID_BYTES, 0, 0, "%zu more invalid sequences",
		               n->nbad - MAX_BYTE_DIAGS);
	if (r->ncontrol) {
		j = line_of_cp(r, r->first_control);
		gw_doc_diag_at(r->d, GW_W_CONTROL_CHARS, (long)j + 1,
		               (long)(r->first_control - n->lines[j].cp) + 1,
		               "%zu removed, the first here", r->ncontrol);
	}
}

static int
by_src(const void *a, const void *b)
{
	const gw_removed *x = a, *y = b;

	return x->src_start < y->src_start ? -1 : x->src_start > y->src_start;
}

/* Passes 2 and 3 over decoded text. */
static int
normalize_text(run *r)
{
	gw_doc *d = r->d;
	size_t len;

	if (r->n->nlines > GW_LIMIT_LINES) {
		gw_doc_fail(d, GW_E_LIMIT, "more than %d lines", GW_LIMIT_LINES);
		return 1;
	}
	if (decoration(r) < 0)
		return 1;
	/* issue 14: room for what the text mostly keeps, its bytes and a few map runs a line,
	 * made once (grown a step at a time, they were copied some ten times) */
	gw_buf_reserve(&r->out, r->ulen);
	gw_grow((void **)&d->runs, &d->capruns, 2 * r->n->nlines, sizeof *d->runs);
	for (size_t j = 0; j < r->n->nlines; j++)
		if (r->n->lines[j].kind == L_KEEP)
			text_line(r, j);
	if (r->have_prev && r->prev_term)
		put_break(r, &r->term, r->term_line);
	byte_diags(r);
	if (d->nremoved > 1)
		qsort(d->removed, d->nremoved, sizeof *d->removed, by_src);
	if (d->error) { /* over a limit on the way (gw_doc_map_push) */
		gw_buf_free(&r->out);
		return 1;
	}
	if (r->out.len == 0) {
		gw_buf_free(&r->out);
		gw_doc_fail(d, GW_E_EMPTY, "nothing but white space%s",
		            d->nremoved ? " and decoration" : "");
		return 1;
	}
	len = r->out.len;
	gw_doc_set_text(d, gw_buf_detach(&r->out), len);
	d->stages |= GW_ST_NORMALIZED;
	return 0;
}

/* Files that are no text, known by their first bytes (issue 16): what each is and how to get
 * its text; NULL for anything else.  Read as text they would be NUL bytes or, for a PDF
 * without binary streams, GB18030 mojibake. */
static const char *
not_text(const char *p, size_t n)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *what;
	} kinds[] = {
	    {"%PDF-", 5, "this is a PDF: extract its text first (for example with pdftotext)"},
	    {"PK\3\4", 4,
	     "this is a ZIP file (a DOCX, ODT or other archive): extract its text first (for "
	     "example with pandoc -t plain)"},
	    {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8,
	     "this is an OLE file (a DOC, XLS or WPS document): extract its text first (for example "
	     "with antiword or catdoc)"},
	};
	size_t skip = n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;

	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (n >= kinds[i].len && memcmp(p, kinds[i].magic, kinds[i].len) == 0)
			return kinds[i].what;
	while (skip < n && strchr(" \t\r\n", p[skip]) && p[skip])
		skip++;
	if ((n - skip >= 14 && strncasecmp(p + skip, "<!doctype html", 14) == 0) ||
	    (n - skip >= 5 && strncasecmp(p + skip, "<html", 5) == 0))
		return "this is an HTML page: extract its text first (for example with pandoc -t "
		       "plain, or a browser's Save as text)";
	return NULL;
}

int
gw_normalize(gw_normalizer *n, gw_doc *d, const char *bytes, size_t len)
{
	run r = {.n = n, .d = d, .src = bytes, .srclen = (uint32_t)len};

	d->src_bytes = len;
	if (len > DOC_MAX) {
		gw_doc_fail(d, GW_E_TOO_LARGE, "%zu bytes; the limit is %u MiB", len,
		            DOC_MAX >> 20);
		return 1;
	}
	gw_sha256_hex(bytes, len, d->src_sha256);
	if (len == 0) {
		gw_doc_fail(d, GW_E_EMPTY, NULL);
		return 1;
	}
	free(d->encoding);
	d->encoding = NULL;
	if (not_text(bytes, len)) {
		gw_doc_fail(d, GW_E_NOT_TEXT, "%s", not_text(bytes, len));
		return 1;
	}
	if (!decode(&r))
		return 1;
	return normalize_text(&r);
}

int
gw_normalize_file(gw_normalizer *n, gw_doc *d, const char *path)
{
	struct stat st;
	/* "-": the document is standard input (as for cmark, pandoc, jq) */
	int fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY), rc = -1;

	if (fd < 0 || fstat(fd, &st) != 0)
		gw_doc_fail(d, GW_E_READ, "%s", strerror(errno));
	else if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
		gw_doc_fail(d, GW_E_NOT_FILE, "%s",
		            S_ISDIR(st.st_mode) ? "a directory" : "not a file");
	else if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > DOC_MAX) {
		d->src_bytes = (uint64_t)st.st_size;
		gw_doc_fail(d, GW_E_TOO_LARGE, "%lld bytes; the limit is %u MiB",
		            (long long)st.st_size, DOC_MAX >> 20);
	} else if (gw_buf_reset(&n->file), (rc = gw_fd_read_rest(fd, &n->file, 65536, DOC_MAX)) < 0)
		gw_doc_fail(d, GW_E_READ, "%s", strerror(errno));
	if (fd >= 0)
		close(fd);
	return rc < 0 ? 1 : gw_normalize(n, d, n->file.ptr, n->file.len);
}
