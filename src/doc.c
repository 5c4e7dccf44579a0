/* doc.c — the document model: building it, mapping offsets, ids, diagnostics, and its invariants. */
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "internal.h"

/* one checkpoint of the code point index every CPX_STEP code points: sixteen or more, so that
 * sixteen bytes hold at most one (gw_doc_set_text); 16 rather than 32 halves the walk of
 * a conversion for a few more checkpoints to write (issue 14, session 7) */
#define CPX_STEP 16
#define KEEP_MAX (1u << 20) /* bytes of an array gw_doc_reset keeps for the next document */

static const struct {
	const char *name, *element, *prefix;
} kinds[GW_NKINDS] = {
    [GW_PART] = {"part", "part", "part"},
    [GW_CHAPTER] = {"chapter", "chapter", "chp"},
    [GW_SECTION] = {"section", "subchapter", "subchp"},
    [GW_ARTICLE] = {"article", "article", "art"},
    [GW_LEVEL1] = {"level1", "section", "sec"},
    [GW_LEVEL2] = {"level2", "subsection", "subsec"},
    [GW_LEVEL3] = {"level3", "point", "point"},
    [GW_LEVEL4] = {"level4", "paragraph", "para"},
    [GW_LEVEL5] = {"level5", "subparagraph", "subpara"},
    [GW_OUTLINE] = {"outline", "level", "lvl"},
};

static const char *const cmps[] = {"eq", "ge", "gt", "le", "lt", "approx", "range"};
static const char *const qkinds[] = {"target", "fact", "other"};
#define HF_NAME(id, name, ...) [GW_H_##id] = #name,
static const char *const hfields[GW_NHFIELDS] = {GW_HFIELDS(HF_NAME)};
/* offsetof(gw_header, <name>) for the kinds that keep a parsed form there, 0 for the others */
#define PARSED_TEXT(name) 0
#define PARSED_NUMBER(name) 0
#define PARSED_LIST(name) offsetof(gw_header, name)
#define PARSED_DATE(name) offsetof(gw_header, name)
#define HF_PARSED(id, name, kind, ...) [GW_H_##id] = {GW_HK_##kind, PARSED_##kind(name)},
static const struct {
	enum gw_hkind kind;
	size_t parsed;
} hparsed[GW_NHFIELDS] = {GW_HFIELDS(HF_PARSED)};

const char *
gw_kind_name(enum gw_kind k)
{
	return (unsigned)k < GW_NKINDS ? kinds[k].name : "unknown";
}

int
gw_kind_from_name(const char *name)
{
	for (int i = 0; i < GW_NKINDS; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return i;
	return -1;
}

const char *
gw_kind_akn_element(enum gw_kind k)
{
	return (unsigned)k < GW_NKINDS ? kinds[k].element : "hcontainer";
}

const char *
gw_kind_akn_prefix(enum gw_kind k)
{
	return (unsigned)k < GW_NKINDS ? kinds[k].prefix : "hcontainer";
}

const char *
gw_cmp_name(enum gw_cmp c)
{
	return (unsigned)c <= GW_CMP_RANGE ? cmps[c] : "eq";
}

int
gw_cmp_from_name(const char *name)
{
	for (int i = 0; i <= GW_CMP_RANGE; i++)
		if (strcmp(cmps[i], name) == 0)
			return i;
	return -1;
}

const char *
gw_qkind_name(enum gw_qkind k)
{
	return (unsigned)k <= GW_Q_OTHER ? qkinds[k] : "other";
}

int
gw_qkind_from_name(const char *name)
{
	for (int i = 0; i <= GW_Q_OTHER; i++)
		if (strcmp(qkinds[i], name) == 0)
			return i;
	return -1;
}

const char *
gw_hfield_name(enum gw_hfield f)
{
	return (unsigned)f < GW_NHFIELDS ? hfields[f] : "unknown";
}

/* A copy of s[0..n) kept with d until it is freed or reset (issue 14): a pointer bump in
 * d's arena, where a malloc and a free for each of some 700 strings a document cost about
 * 300 instructions a string. */
char *
gw_doc_strndup(gw_doc *d, const char *s, size_t n)
{
	return gw_arena_strndup(&d->strs, s, n);
}

/* Give back a string of d: kept ones go with the arena, the ones a stage malloc'd itself (the
 * quantity's text, a record's node ids read back) are freed. */
static void
drop(const gw_doc *d, char *s)
{
	if (s && !gw_arena_owns(d->strs, s))
		free(s);
}

void
gw_doc_set_str(gw_doc *d, char **field, const char *s, size_t n)
{
	if (*field == NULL || gw_arena_owns(d->strs, *field))
		*field = gw_doc_strndup(d, s, n);
	else /* a string a stage or a list (gw_strlist_add) malloc'd */
		free(*field), *field = gw_xstrndup(s, n);
}

/* What a zeroed model is not: notice unknown, no header field found. */
static void
doc_init(gw_doc *d)
{
	d->is_notice = -1;
	for (int i = 0; i < GW_NHFIELDS; i++)
		d->header.f[i].span = GW_NOSPAN;
}

gw_doc *
gw_doc_new(void)
{
	gw_doc *d = gw_xcalloc(1, sizeof *d);

	doc_init(d);
	return d;
}

void
gw_strlist_add(gw_strlist *l, const char *s, size_t n, gw_span span)
{
	size_t cap = l->cap;

	gw_grow((void **)&l->items, &cap, l->n + 1, sizeof *l->items);
	gw_grow((void **)&l->spans, &l->cap, l->n + 1, sizeof *l->spans);
	l->items[l->n] = gw_xstrndup(s, n);
	l->spans[l->n] = span;
	l->n++;
}

void
gw_strlist_free(gw_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	free(l->spans);
	memset(l, 0, sizeof *l);
}

static void
header_free(gw_doc *d)
{
	gw_header *h = &d->header;

	for (int i = 0; i < GW_NHFIELDS; i++) {
		char **iso = gw_header_iso(h, i);
		gw_strlist *l = gw_header_list(h, i);

		drop(d, h->f[i].text);
		if (iso)
			drop(d, *iso);
		if (l)
			gw_strlist_free(l);
	}
	drop(d, h->agency_code);
	drop(d, h->serial);
}

void
gw_header_clear(gw_doc *d)
{
	header_free(d);
	memset(&d->header, 0, sizeof d->header);
	for (int i = 0; i < GW_NHFIELDS; i++)
		d->header.f[i].span = GW_NOSPAN;
}

void
gw_doc_clear_nodes(gw_doc *d)
{
	for (size_t i = 0; i < d->nnodes; i++)
		drop(d, d->nodes[i].id), drop(d, d->nodes[i].num), drop(d, d->nodes[i].heading);
	d->nnodes = 0;
	for (size_t i = 0; i < d->natts; i++)
		drop(d, d->atts[i].title);
	d->natts = 0;
}

void
gw_doc_clear_results(gw_doc *d)
{
	for (size_t i = 0; i < d->nqs; i++) {
		gw_quantity *q = &d->qs[i];

		drop(d, q->id), drop(d, q->text), drop(d, q->unit);
		drop(d, q->subject), drop(d, q->verb), drop(d, q->rule);
	}
	d->nqs = 0;
	for (size_t i = 0; i < d->nrej; i++)
		drop(d, d->rej[i].text), drop(d, d->rej[i].reason), drop(d, d->rej[i].rule);
	d->nrej = 0;
}

/* Every string of d given back, its arrays emptied but kept. */
static void
doc_clear(gw_doc *d)
{
	drop(d, d->id);
	drop(d, d->src_path);
	drop(d, d->encoding);
	for (size_t i = 0; i < d->nmeta; i++)
		drop(d, d->meta[i].key), drop(d, d->meta[i].value);
	for (size_t i = 0; i < d->nremoved; i++)
		drop(d, d->removed[i].kind), drop(d, d->removed[i].text);
	free(d->text);
	header_free(d);
	gw_doc_clear_nodes(d);
	gw_doc_clear_results(d);
	for (size_t i = 0; i < d->ndiags; i++)
		free(d->diags[i].detail);
	free(d->error_msg);
	free(d->cpx);
	free(d->map_json);
}

void
gw_doc_free(gw_doc *d)
{
	if (d == NULL)
		return;
	doc_clear(d);
	free(d->meta);
	free(d->removed);
	free(d->runs);
	free(d->nodes);
	free(d->atts);
	free(d->qs);
	free(d->rej);
	free(d->diags);
	gw_arena_free(d->strs);
	free(d);
}

void
gw_doc_reset(gw_doc *d)
{
	gw_doc old = *d;

	doc_clear(d);
	gw_arena_reset(d->strs);
	memset(d, 0, sizeof *d);
	doc_init(d);
	/* what the last document grew, the next one fills without a realloc; not what one huge
	 * document grew, which would stay taken for the rest of the batch */
#define KEEP(arr, cap) \
	(old.cap * sizeof *old.arr <= KEEP_MAX ? (d->arr = old.arr, d->cap = old.cap) \
	                                       : (free(old.arr), 0))
	KEEP(meta, capmeta), KEEP(removed, capremoved), KEEP(runs, capruns), KEEP(nodes, capnodes);
	KEEP(atts, capatts), KEEP(qs, capqs), KEEP(rej, caprej), KEEP(diags, capdiags);
#undef KEEP
	d->strs = old.strs;
}

/* ---------------------------------------------------------------- text and offsets */

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define KTH_START 1
/* The offset of the kth (from 0) byte that starts a code point in the eight at p; there is one. */
static inline size_t
kth_start(const char *p, size_t k)
{
	uint64_t x, starts;

	memcpy(&x, p, 8);
	starts = ~(x & ~(x << 1)) & 0x8080808080808080ULL;
	for (; k > 0; k--)
		starts &= starts - 1;
	return (size_t)__builtin_ctzll(starts) / 8;
}
#endif

#ifdef __SSE2__
/* Which of the sixteen bytes at p start a code point: those above 0xBF or below 0x80, as
 * signed bytes those above -65 (0xFF in the result, 0 in the others). */
static inline __m128i
starts_mask16(const char *p)
{
	return _mm_cmpgt_epi8(_mm_loadu_si128((const __m128i *)p), _mm_set1_epi8(-65));
}

/* How many of the sixteen bytes at p start a code point: the sum of the mask's low bits. */
static inline size_t
starts_count16(__m128i st)
{
	__m128i sum = _mm_sad_epu8(_mm_and_si128(st, _mm_set1_epi8(1)), _mm_setzero_si128());

	return (size_t)_mm_cvtsi128_si32(sum) + (size_t)_mm_extract_epi16(sum, 4);
}

static inline size_t
starts16(const char *p)
{
	return starts_count16(starts_mask16(p));
}
#endif

void
gw_doc_set_text(gw_doc *d, char *text, size_t len)
{
	size_t i = 0, cp = 0, next = 0; /* next: the code point of the next checkpoint */

	free(d->text);
	free(d->cpx);
	d->text = text;
	d->text_len = len;
	d->cpx = gw_xmalloc((len / CPX_STEP + 1) * sizeof *d->cpx);
	d->ncpx = 0;
	d->lastb = d->lastn = 0;
#ifdef __SSE2__
	/* sixteen bytes a step (issue 14, session 8: half the steps of the eight-byte words below) */
	for (; i + 16 <= len; i += 16) {
		__m128i st = starts_mask16(text + i);
		size_t n = starts_count16(st);

		if (cp + n > next) {
			unsigned starts = (unsigned)_mm_movemask_epi8(st);

			for (size_t k = next - cp; k > 0; k--)
				starts &= starts - 1;
			d->cpx[d->ncpx++] = (uint32_t)(i + (size_t)__builtin_ctz(starts));
			next += CPX_STEP;
		}
		cp += n;
	}
#endif
#ifdef KTH_START
	/* eight bytes at a step, no more code points than a checkpoint's step: a checkpoint's code
	 * point starts in them at most once */
	for (; i + 8 <= len; i += 8) {
		size_t n = gw_utf8_starts8(text + i);

		if (cp + n > next) {
			d->cpx[d->ncpx++] = (uint32_t)(i + kth_start(text + i, next - cp));
			next += CPX_STEP;
		}
		cp += n;
	}
#endif
	for (; i < len; i++)
		if (((unsigned char)text[i] & 0xC0) != 0x80) {
			if (cp++ == next)
				d->cpx[d->ncpx++] = (uint32_t)i, next += CPX_STEP;
		}
	d->ncp = cp;
}

size_t
gw_doc_cp_to_byte(const gw_doc *d, int32_t cp)
{
	if (cp <= 0 || d->ncpx == 0)
		return 0;
	if ((size_t)cp >= d->ncp)
		return d->text_len;
	return gw_doc_cp_skip(d, d->cpx[(size_t)cp / CPX_STEP], (size_t)cp % CPX_STEP);
}

size_t
gw_doc_cp_skip(const gw_doc *d, size_t b, size_t k)
{
	/* whole words while they hold fewer code points than are left to pass */
	for (size_t in; k > 0 && b + 9 <= d->text_len && (in = gw_utf8_starts8(d->text + b + 1)) < k;) {
		b += 8;
		k -= in;
	}
#ifdef KTH_START
	if (k > 0 && b + 9 <= d->text_len) /* the kth start of a code point in the next word */
		return b + 1 + kth_start(d->text + b + 1, k - 1);
#endif
	for (; k > 0; k--) {
		b++;
		while (b < d->text_len && ((unsigned char)d->text[b] & 0xC0) == 0x80)
			b++;
	}
	return b;
}

int32_t
gw_doc_byte_to_cp(gw_doc *d, size_t byte)
{
	size_t lo = 0, hi, b, cp;

	if (d->ncpx == 0 || byte == 0)
		return 0;
	if (byte >= d->text_len)
		return (int32_t)d->ncp;
	if (d->lastb <= byte && byte - d->lastb < 64) {
		/* a span's end is asked right after its start: walk on from there, no search */
		b = d->lastb, cp = d->lastn;
	} else {
		hi = d->ncpx;
		/* further on than the last answer (the next line, the next span): from its checkpoint */
		if (d->lastb <= byte && d->lastn / CPX_STEP < hi && d->cpx[d->lastn / CPX_STEP] <= byte)
			lo = d->lastn / CPX_STEP;
		while (hi - lo > 1) { /* last checkpoint at or before byte */
			size_t mid = (lo + hi) / 2;

			if (d->cpx[mid] <= byte)
				lo = mid;
			else
				hi = mid;
		}
		b = d->cpx[lo], cp = lo * CPX_STEP;
	}
#ifdef __SSE2__
	for (; b + 16 <= byte; b += 16)
		cp += starts16(d->text + b);
#endif
	for (; b + 8 <= byte; b += 8)
		cp += gw_utf8_starts8(d->text + b);
#ifdef KTH_START
	if (b < byte && b + 8 <= d->text_len) {
		/* the last one to seven bytes as the low bytes of one word: the continuation bytes
		 * among them counted as gw_utf8_starts8 does, not a byte at a time */
		uint64_t x, k = byte - b;

		memcpy(&x, d->text + b, 8);
		x &= ~(x << 1) & 0x8080808080808080ULL & ((1ULL << (8 * k)) - 1);
		cp += k - (((x >> 7) * 0x0101010101010101ULL) >> 56);
		b = byte;
	}
#endif
	for (; b < byte; b++)
		if (((unsigned char)d->text[b] & 0xC0) != 0x80)
			cp++;
	d->lastb = byte, d->lastn = cp;
	/* byte inside a character counts as that character */
	return (int32_t)cp - (((unsigned char)d->text[byte] & 0xC0) == 0x80);
}

void
gw_doc_map_push(gw_doc *d, uint32_t src, uint32_t len, uint32_t line, uint32_t col, uint32_t n)
{
	gw_run *r = d->nruns ? &d->runs[d->nruns - 1] : NULL;
	uint32_t k = r ? (uint32_t)d->nmapped - r->cp : 0; /* code points in the last run */

	if (n == 0)
		return;
	d->map_json_len = 0; /* the runs change: the bytes read are no longer theirs */
	d->nmapped += n; /* the first continues the last run or opens one; the others follow it */
	/* extend the last run when this code point continues it evenly */
	if (r && r->width == len && r->line == line && r->src + r->width * k == src &&
	    r->col + k == col)
		return;
	if (d->nruns >= GW_LIMIT_RUNS) { /* a run a character (1，1，…): the document fails */
		if (!d->error)
			gw_doc_fail(d, GW_E_LIMIT, "more than %d offset map runs", GW_LIMIT_RUNS);
		return;
	}
	if (d->nruns == d->capruns) /* most runs fit: no call for nothing */
		gw_grow((void **)&d->runs, &d->capruns, d->nruns + 1, sizeof *d->runs);
	d->runs[d->nruns++] = (gw_run){(uint32_t)d->nmapped - n, src, len, line, col};
}

/* The last run in [lo, hi) that starts at or before cp, or NULL. */
static const gw_run *
run_in(const gw_doc *d, uint32_t cp, size_t lo, size_t hi)
{
	if (d->nruns == 0 || cp >= d->nmapped)
		return NULL;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (d->runs[mid].cp <= cp)
			lo = mid;
		else
			hi = mid;
	}
	return d->runs[lo].cp <= cp ? &d->runs[lo] : NULL;
}

/* The run holding code point cp, found from the run *at on when cp is there or further (a
 * writer asks in the order of the text: a few runs ahead, not log n of them); *at moves to it. */
static const gw_run *
run_from(const gw_doc *d, uint32_t cp, size_t *at)
{
	size_t lo = *at, hi = lo + 1, step = 1;
	const gw_run *r;

	if (lo == 0 || lo >= d->nruns || d->runs[lo].cp > cp)
		r = run_in(d, cp, 0, d->nruns);
	else {
		while (hi < d->nruns && d->runs[hi].cp <= cp) { /* gallop */
			lo = hi;
			hi = lo + step;
			step *= 2;
		}
		r = run_in(d, cp, lo, hi < d->nruns ? hi : d->nruns);
	}
	if (r)
		*at = (size_t)(r - d->runs);
	return r;
}

/* run_from, the next four runs from *at first, a step at a time and without a call: most
 * spans a writer asks start one to three runs after the last one. */
static inline const gw_run *
run_near(const gw_doc *d, uint32_t cp, size_t *at)
{
	size_t i = *at;

	if (i > 0 && i < d->nruns && d->runs[i].cp <= cp && cp < d->nmapped)
		for (int k = 0; k < 4; k++, i++)
			if (i + 1 == d->nruns || d->runs[i + 1].cp > cp) {
				*at = i;
				return &d->runs[i];
			}
	return run_from(d, cp, at);
}

bool
gw_doc_src_range(const gw_doc *d, gw_span span, uint32_t *start, uint32_t *end)
{
	size_t at = 0;

	return gw_doc_src_range_from(d, span, &at, start, end);
}

bool
gw_doc_src_range_from(const gw_doc *d, gw_span span, size_t *at, uint32_t *start, uint32_t *end)
{
	const gw_run *a, *b;
	size_t e;

	if (span.start < 0 || span.end <= span.start)
		return false;
	a = run_near(d, (uint32_t)span.start, at);
	e = *at; /* the cursor stays at the start: spans nest, the next starts before this ends */
	b = a ? run_near(d, (uint32_t)span.end - 1, &e) : NULL;
	if (a == NULL || b == NULL)
		return false;
	*start = a->src + a->width * ((uint32_t)span.start - a->cp);
	*end = b->src + b->width * ((uint32_t)span.end - 1 - b->cp) + b->width;
	return true;
}

void
gw_doc_src_ranges(const gw_doc *d, gw_srcrange **src, size_t *cap)
{
	size_t n = d->nnodes + d->natts + d->nqs, at = 0, k = 0;
	gw_srcrange *r;

	gw_grow((void **)src, cap, n, sizeof **src);
	r = *src;
	/* each list in the order of the text, as the writers ask them */
	for (size_t i = 0; i < d->nnodes; i++, k++)
		r[k].ok = gw_doc_src_range_from(d, d->nodes[i].span, &at, &r[k].start, &r[k].end);
	for (size_t i = 0; i < d->natts; i++, k++)
		r[k].ok = gw_doc_src_range_from(d, d->atts[i].span, &at, &r[k].start, &r[k].end);
	for (size_t i = 0; i < d->nqs; i++, k++)
		r[k].ok = gw_doc_src_range_from(d, d->qs[i].span, &at, &r[k].start, &r[k].end);
}

void
gw_doc_src_pos(const gw_doc *d, int32_t cp, long *line, long *col)
{
	const gw_run *r = cp >= 0 ? run_in(d, (uint32_t)cp, 0, d->nruns) : NULL;

	*line = r ? (long)r->line : 0;
	*col = r ? (long)(r->col + ((uint32_t)cp - r->cp)) : 0;
}

void
gw_doc_meta_add(gw_doc *d, const char *key, const char *value)
{
	gw_grow((void **)&d->meta, &d->capmeta, d->nmeta + 1, sizeof *d->meta);
	d->meta[d->nmeta].key = gw_doc_strndup(d, key, strlen(key));
	d->meta[d->nmeta].value = gw_doc_strndup(d, value, strlen(value));
	d->nmeta++;
}

void
gw_doc_removed_add(gw_doc *d, const char *kind, uint32_t src_start, uint32_t src_end,
                   const char *text, size_t textlen)
{
	gw_grow((void **)&d->removed, &d->capremoved, d->nremoved + 1, sizeof *d->removed);
	d->removed[d->nremoved] =
	    (gw_removed){gw_doc_strndup(d, kind, strlen(kind)), src_start, src_end, gw_doc_strndup(d, text, textlen)};
	d->nremoved++;
}

static void
diag_add(gw_doc *d, enum gw_code c, long line, long col, gw_span span, const char *fmt,
         va_list ap)
{
	gw_buf b = GW_BUF_INIT;
	bool last = gw_code_level(c) < GW_ERROR && d->ndiags >= GW_LIMIT_DIAGS;

	/* a hostile text could raise millions of warnings: past the limit one more says so */
	if (last && d->ndiags > GW_LIMIT_DIAGS)
		return;
	gw_grow((void **)&d->diags, &d->capdiags, d->ndiags + 1, sizeof *d->diags);
	if (last)
		gw_buf_printf(&b, "further warnings left out (the limit is %d a document)", GW_LIMIT_DIAGS);
	else if (fmt && *fmt)
		gw_buf_vprintf(&b, fmt, ap);
	d->diags[d->ndiags++] = (gw_diag){c, line, col, span, b.ptr};
}

void
gw_doc_diag(gw_doc *d, enum gw_code c, gw_span span, const char *fmt, ...)
{
	va_list ap;
	long line = 0, col = 0;

	gw_doc_src_pos(d, span.start, &line, &col);
	va_start(ap, fmt);
	diag_add(d, c, line, col, span, fmt, ap);
	va_end(ap);
}

void
gw_doc_diag_at(gw_doc *d, enum gw_code c, long line, long col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(d, c, line, col, GW_NOSPAN, fmt, ap);
	va_end(ap);
}

void
gw_doc_fail(gw_doc *d, enum gw_code c, const char *fmt, ...)
{
	gw_buf b = GW_BUF_INIT;
	va_list ap;

	gw_buf_puts(&b, gw_code_message(c));
	if (fmt && *fmt) {
		gw_buf_puts(&b, ": ");
		va_start(ap, fmt);
		gw_buf_vprintf(&b, fmt, ap);
		va_end(ap);
	}
	free(d->error_msg);
	d->error = c;
	d->error_msg = gw_buf_detach(&b);
}

/* ---------------------------------------------------------------- nodes, attachments, quantities */

int
gw_doc_add_node(gw_doc *d, enum gw_kind kind, int part, int parent, const char *num,
                long ordinal, const char *heading, gw_span span, gw_span heading_span)
{
	int i = (int)d->nnodes;

	gw_grow((void **)&d->nodes, &d->capnodes, d->nnodes + 1, sizeof *d->nodes);
	d->nodes[d->nnodes++] = (gw_node){kind, NULL, gw_doc_strndup(d, num ? num : "", num ? strlen(num) : 0),
	                                  ordinal, heading ? gw_doc_strndup(d, heading, strlen(heading)) : NULL,
	                                  span, heading_span, part, parent, -1, -1, -1};
	if (parent >= 0) {
		gw_node *p = &d->nodes[parent];

		if (p->last_child >= 0)
			d->nodes[p->last_child].next_sibling = i;
		else
			p->first_child = i;
		p->last_child = i;
	}
	return i;
}

/* ---------------------------------------------------------------- the id set
 * Open addressing over offsets into one pool that holds the strings' bytes: a string added is
 * copied once, with no allocation of its own, and the set goes with two frees. */

/* s[0..n), eight bytes at a step (an id is some 10 to 40 bytes), the last eight (or four, or
 * the bytes one by one) read once more; Murmur3's finalizer mixes every byte into the low bits
 * the slots are taken from. */
static size_t
str_hash(const char *s, size_t n)
{
	const uint64_t k = 0x9E3779B97F4A7C15ULL;
	uint64_t h = n * k, x = 0;
	uint32_t a, b;

	for (size_t i = 0; i + 8 <= n; i += 8) {
		memcpy(&x, s + i, 8);
		h = (h ^ x) * k;
	}
	if (n >= 8)
		memcpy(&x, s + n - 8, 8);
	else if (n >= 4)
		memcpy(&a, s, 4), memcpy(&b, s + n - 4, 4), x = (uint64_t)a << 32 | b;
	else
		for (size_t i = 0; i < n; i++)
			x = x << 8 | (unsigned char)s[i];
	h ^= x;
	h = (h ^ (h >> 33)) * 0xFF51AFD7ED558CCDULL;
	return (size_t)(h ^ (h >> 33));
}

/* The slot holding s (n bytes), or the empty one where it would go. */
static size_t
idset_slot(const gw_idset *set, const char *s, size_t n)
{
	size_t i = str_hash(s, n) & (set->cap - 1);

	while (set->slot[i] && strcmp(set->pool.ptr + set->slot[i] - 1, s) != 0)
		i = (i + 1) & (set->cap - 1);
	return i;
}

static void
idset_alloc(gw_idset *set, size_t cap)
{
	set->cap = cap;
	set->slot = gw_xcalloc(cap, 2 * sizeof *set->slot);
	set->next = set->slot + cap;
}

void
gw_idset_init(gw_idset *set, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n + 2)
		cap *= 2;
	memset(set, 0, sizeof *set);
	idset_alloc(set, cap);
	gw_buf_reserve(&set->pool, 32 * n); /* the ids, most of them, without a copy as it grows */
}

/* Twice the slots, when half are taken. */
static void
idset_grow(gw_idset *set)
{
	gw_idset old = *set;

	idset_alloc(set, 2 * old.cap);
	for (size_t i = 0; i < old.cap; i++)
		if (old.slot[i]) {
			const char *s = old.pool.ptr + old.slot[i] - 1;
			size_t j = idset_slot(set, s, strlen(s));

			set->slot[j] = old.slot[i];
			set->next[j] = old.next[i];
		}
	free(old.slot);
}

/* Add s (n bytes, a NUL after them); false when it was there already.  *at receives its slot. */
static bool
idset_putn(gw_idset *set, const char *s, size_t n, size_t *at)
{
	size_t i = idset_slot(set, s, n);

	if (set->slot[i]) {
		*at = i;
		return false;
	}
	if (2 * (set->n + 1) > set->cap) {
		idset_grow(set);
		i = idset_slot(set, s, n);
	}
	set->slot[i] = (uint32_t)set->pool.len + 1;
	gw_buf_put(&set->pool, s, n + 1);
	set->n++;
	*at = i;
	return true;
}

static bool
idset_put(gw_idset *set, const char *s, size_t *at)
{
	return idset_putn(set, s, strlen(s), at);
}

bool
gw_idset_add(gw_idset *set, const char *s)
{
	size_t at;

	return idset_put(set, s, &at);
}

bool
gw_idset_addn(gw_idset *set, const char *s, size_t n)
{
	size_t at;

	return idset_putn(set, s, n, &at);
}

bool
gw_idset_add_data(gw_idset *set, const char *s, const void *data, size_t n)
{
	size_t at;

	if (!idset_put(set, s, &at))
		return false;
	gw_buf_put(&set->pool, data, n);
	return true;
}

const char *
gw_idset_get(const gw_idset *set, const char *s)
{
	size_t i = idset_slot(set, s, strlen(s));

	return set->slot[i] ? set->pool.ptr + set->slot[i] - 1 : NULL;
}

void
gw_idset_unique(gw_idset *set, gw_buf *id)
{
	size_t at, base = id->len;
	uint32_t had; /* where the id wanted is in the pool: its slot moves when the set grows */

	/* the buffer's length, not strlen (issue 14, session 8) */
	if (idset_putn(set, id->ptr, base, &at))
		return;
	had = set->slot[at] - 1;
	/* an id seen before resumes after its last suffix: n repeats cost O(n), not O(n²) */
	for (uint32_t k = set->next[at] > 2 ? set->next[at] : 2;; k++) {
		id->len = base;
		gw_buf_addc(id, '_');
		gw_buf_put_int(id, k);
		if (idset_putn(set, id->ptr, id->len, &at)) {
			set->next[idset_slot(set, set->pool.ptr + had, base)] = k + 1;
			return;
		}
	}
}

void
gw_idset_free(gw_idset *set)
{
	free(set->slot);
	gw_buf_free(&set->pool);
}

/* b, the id wanted, made unique in set and given to *id. */
static void
set_unique(gw_doc *d, gw_idset *set, gw_buf *b, char **id)
{
	gw_idset_unique(set, b);
	drop(d, *id);
	*id = gw_doc_strndup(d, b->ptr, b->len);
}

void
gw_doc_assign_node_ids(gw_doc *d)
{
	gw_idset set;
	gw_buf b = GW_BUF_INIT;

	gw_idset_init(&set, d->nnodes);
	for (size_t i = 0; i < d->nnodes; i++) {
		gw_node *n = &d->nodes[i];

		gw_buf_reset(&b);
		if (n->parent >= 0) {
			gw_buf_adds(&b, d->nodes[n->parent].id);
			gw_buf_add(&b, "__", 2);
		} else if (n->part > 0) {
			gw_buf_add(&b, "att_", 4);
			gw_buf_put_int(&b, n->part);
			gw_buf_add(&b, "__", 2);
		}
		gw_buf_adds(&b, gw_kind_akn_prefix(n->kind));
		gw_buf_addc(&b, '_');
		gw_buf_put_int(&b, n->ordinal);
		set_unique(d, &set, &b, &n->id);
	}
	gw_buf_free(&b);
	gw_idset_free(&set);
}

int
gw_doc_node_at(const gw_doc *d, int32_t cp)
{
	int best = -1;

	/* parents come before their children, so the last node containing cp is the innermost */
	for (size_t i = 0; i < d->nnodes; i++) {
		const gw_span *s = &d->nodes[i].span;

		if (s->start <= cp && cp < s->end)
			best = (int)i;
	}
	return best;
}

int
gw_doc_add_attachment(gw_doc *d, const char *title, gw_span title_span, gw_span span)
{
	gw_grow((void **)&d->atts, &d->capatts, d->natts + 1, sizeof *d->atts);
	d->atts[d->natts] = (gw_attachment){title ? gw_doc_strndup(d, title, strlen(title)) : NULL, title_span,
	                                    span};
	return (int)++d->natts;
}

gw_quantity *
gw_doc_add_quantity(gw_doc *d)
{
	gw_grow((void **)&d->qs, &d->capqs, d->nqs + 1, sizeof *d->qs);
	d->qs[d->nqs] = (gw_quantity){.node = -1, .span = GW_NOSPAN, .kind = GW_Q_OTHER};
	return &d->qs[d->nqs++];
}

void
gw_doc_assign_quantity_ids(gw_doc *d)
{
	int *count = gw_xcalloc(d->nnodes + 1, sizeof *count);
	gw_buf b = GW_BUF_INIT;
	gw_idset set;

	gw_idset_init(&set, d->nqs + d->nnodes);
	for (size_t i = 0; i < d->nnodes; i++)
		gw_idset_add(&set, d->nodes[i].id ? d->nodes[i].id : "");
	for (size_t i = 0; i < d->nqs; i++) {
		gw_quantity *q = &d->qs[i];
		int slot = q->node >= 0 && (size_t)q->node < d->nnodes ? q->node : (int)d->nnodes;

		gw_buf_reset(&b);
		if (slot < (int)d->nnodes) {
			gw_buf_adds(&b, d->nodes[slot].id ? d->nodes[slot].id : "(null)"); /* as printf wrote it */
			gw_buf_add(&b, "__", 2);
		}
		gw_buf_add(&b, "qty_", 4);
		gw_buf_put_int(&b, ++count[slot]);
		set_unique(d, &set, &b, &q->id);
	}
	gw_buf_free(&b);
	gw_idset_free(&set);
	free(count);
}

void
gw_doc_add_rejected(gw_doc *d, const char *text, size_t len, gw_span span, const char *reason,
                    const char *rule)
{
	gw_grow((void **)&d->rej, &d->caprej, d->nrej + 1, sizeof *d->rej);
	d->rej[d->nrej++] = (gw_rejected){gw_doc_strndup(d, text, len), span, gw_doc_strndup(d, reason, strlen(reason)),
	                                   rule ? gw_doc_strndup(d, rule, strlen(rule)) : NULL};
}

void
gw_header_set(gw_doc *d, enum gw_hfield f, const char *text, size_t n, gw_span span)
{
	gw_field *fl = &d->header.f[f];

	drop(d, fl->text);
	fl->text = text ? gw_doc_strndup(d, text, n == (size_t)-1 ? strlen(text) : n) : NULL;
	fl->span = text ? span : GW_NOSPAN;
}

static void *
header_parsed(const gw_header *h, enum gw_hfield f, enum gw_hkind kind)
{
	if (hparsed[f].kind != kind)
		return NULL;
	return (char *)h + hparsed[f].parsed;
}

gw_strlist *
gw_header_list(const gw_header *h, enum gw_hfield f)
{
	return header_parsed(h, f, GW_HK_LIST);
}

char **
gw_header_iso(const gw_header *h, enum gw_hfield f)
{
	return header_parsed(h, f, GW_HK_DATE);
}

bool
gw_header_has(const gw_header *h, enum gw_hfield f)
{
	const gw_strlist *l = gw_header_list(h, f);

	return h->f[f].text != NULL || (l && l->n);
}

/* ---------------------------------------------------------------- invariants */

static bool
span_ok(const gw_doc *d, gw_span s)
{
	if (s.start < 0)
		return s.end < 0;
	return s.start <= s.end && (size_t)s.end <= d->ncp;
}

static bool
span_in(gw_span in, gw_span out)
{
	return in.start >= out.start && in.end <= out.end;
}

/* The ids validation has seen: pointers to the document's own strings, in open addressing over
 * a table of a size known beforehand.  Unlike a gw_idset it copies no string: the ids stay in
 * the document while it is checked (issue 14). */
typedef struct idseen {
	const char **slot;
	size_t mask;
} idseen;

/* Add id; false when it was there already. */
static bool
idseen_add(idseen *t, const char *id)
{
	size_t i = str_hash(id, strlen(id)) & t->mask;

	for (; t->slot[i]; i = (i + 1) & t->mask)
		if (strcmp(t->slot[i], id) == 0)
			return false;
	t->slot[i] = id;
	return true;
}

int
gw_doc_validate(const gw_doc *d, gw_buf *err)
{
	idseen set;
	size_t cap = 16;
	int rc = 0;

	while (cap < 2 * (d->nnodes + d->nqs) + 2) /* never more than half full */
		cap *= 2;
	set.slot = gw_xcalloc(cap, sizeof *set.slot);
	set.mask = cap - 1;
	for (size_t i = 0; i < d->nnodes && rc == 0; i++) {
		const gw_node *n = &d->nodes[i];

		if (n->id == NULL || !idseen_add(&set, n->id))
			gw_buf_printf(err, "node %zu: missing or repeated id %s", i, n->id ? n->id : ""), rc = -1;
		else if (!span_ok(d, n->span) || !span_ok(d, n->heading_span))
			gw_buf_printf(err, "node %s: span outside the text", n->id), rc = -1;
		else if (n->parent >= (int)i || (n->parent >= 0 && !span_in(n->span, d->nodes[n->parent].span)))
			gw_buf_printf(err, "node %s: not inside its parent", n->id), rc = -1;
		else if (n->part < 0 || (size_t)n->part > d->natts)
			gw_buf_printf(err, "node %s: no part %d", n->id, n->part), rc = -1;
	}
	for (size_t i = 0; i < d->nqs && rc == 0; i++) {
		const gw_quantity *q = &d->qs[i];

		if (q->id == NULL || !idseen_add(&set, q->id))
			gw_buf_printf(err, "quantity %zu: missing or repeated id", i), rc = -1;
		else if (!span_ok(d, q->span) || q->node >= (int)d->nnodes)
			gw_buf_printf(err, "quantity %s: bad span or node", q->id), rc = -1;
	}
	free(set.slot);
	return rc;
}
