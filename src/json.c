/* json.c — the record stream: one document as JSON, written in one pass and read back losslessly
 * (Jansson's grammar, checked in one pass; Jansson's messages for what is not JSON). */
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "internal.h"

/* ---------------------------------------------------------------- writing
 * The record is written in one pass from the model into the output buffer, the bytes Jansson's
 * compact dump gave (JSON_COMPACT, JSON_REAL_PRECISION(15), keys in insertion order), or with
 * the indentation the pretty files had: every value is followed by a comma, and a closing bracket
 * takes the place of the last one.  The round-trip tests read each record back with Jansson. */

/* The writer: the output and, for pretty records, where it is in them.  Pretty is two spaces a
 * level, one member a line, arrays of scalars on one line ([1, 2]), {} and [] when empty. */
typedef struct jw {
	gw_buf *b;
	char *p, *end; /* where the next byte goes in b, the last byte of its room */
	bool pretty;
	unsigned char *st; /* per open object or array: J_ARRAY; J_SOME, J_FLAT of an array */
	size_t depth, capst;
	bool arr;      /* pretty, in an array: the one place where a value has more to do */
	size_t src_at; /* the offset-map run of the last source span: the next is near it */
	const gw_srcrange *src; /* the source ranges found before (gw_doc_src_ranges), or NULL */
} jw;

enum { J_ARRAY = 1, J_SOME = 2, J_FLAT = 4 };

/* The buffer grown for n more bytes at w->p. */
static void
grow(jw *w, size_t n)
{
	w->b->len = (size_t)(w->p - w->b->ptr);
	w->p = gw_buf_room(w->b, n);
	w->end = w->b->ptr + w->b->cap - 1;
}

/* Room for n bytes at w->p: a writer puts its bytes there and moves w->p past them (no
 * length to store and no terminating zero a value; gw_json_write ends the buffer). */
static inline char *
room(jw *w, size_t n)
{
	if ((size_t)(w->end - w->p) < n)
		grow(w, n);
	return w->p;
}

static inline void
addc(jw *w, char c)
{
	*room(w, 1) = c;
	w->p++;
}

/* A line break and the indentation of depth at p (room for 2 * depth + 33 bytes), its length:
 * one copy of 32 bytes for the depths a record has, eight spaces at a time past them. */
static inline size_t
lead(char *p, size_t depth)
{
	static const char nl[33] = "\n                               ";
	size_t n = 2 * depth;

	memcpy(p, nl, 32);
	for (size_t i = 31; i < n; i += 8)
		memcpy(p + 1 + i, "        ", 8);
	return n + 1;
}

static void
newline(jw *w, size_t depth)
{
	w->p += lead(room(w, 2 * depth + 33), depth);
}

/* A value starts (container: an object or array); in a pretty array, after its line break or
 * the space of a one-line array.  The comma before it is already written. */
static inline void
elem(jw *w, bool container)
{
	unsigned char *t;

	if (!w->arr)
		return;
	t = &w->st[w->depth - 1];
	if (!(*t & J_SOME))
		*t |= J_SOME | (container ? 0 : J_FLAT);
	else if (*t & J_FLAT) {
		addc(w, ' ');
		return;
	}
	if (!(*t & J_FLAT))
		newline(w, w->depth);
}

#ifdef __SSE2__
/* The bytes of v that a JSON string escapes ('"', '\\', C0 controls), one bit each (unsigned:
 * min(v, 0x1F) == v below 0x20). */
static inline unsigned
stops(__m128i v)
{
	return (unsigned)_mm_movemask_epi8(_mm_or_si128(
	    _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v),
	    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')))));
}
#else
/* Whether one of the eight bytes in x is a '"', '\\' or C0 control: the byte whose subtraction
 * borrows into its top bit (after the XOR for the two quotes; ~x drops bytes >= 0x80). */
static inline bool
stop8(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ULL, top = 0x8080808080808080ULL;

	return (((x - 0x20 * ones) | ((x ^ '"' * ones) - ones) | ((x ^ '\\' * ones) - ones)) & ~x & top) != 0;
}
#endif

/* Whether the n <= 16 bytes at s hold nothing to escape; if so they are copied to d.  Two words
 * of eight that overlap (four from 4 bytes, the bytes themselves under 4, the rest 'A') in one
 * look: most strings a record has (ids, units, rules, the text of a quantity). */
static inline bool
plain_short(char *d, const char *s, size_t n)
{
	uint64_t x, y;
	uint32_t lo, hi;

	if (n >= 8) {
		memcpy(&x, s, 8);
		memcpy(&y, s + n - 8, 8);
	} else if (n >= 4) {
		memcpy(&lo, s, 4);
		memcpy(&hi, s + n - 4, 4);
		x = y = (uint64_t)hi << 32 | lo;
	} else if (n > 0)
		x = y = (unsigned char)s[0] | (unsigned)(unsigned char)s[n >> 1] << 8 |
		        (unsigned)(unsigned char)s[n - 1] << 16 | 0x4141414141000000ULL;
	else
		return true;
#ifdef __SSE2__
	if (stops(_mm_set_epi64x((long long)y, (long long)x)))
#else
	if (stop8(x) || stop8(y))
#endif
		return false;
	if (n >= 8) {
		memcpy(d, &x, 8);
		memcpy(d + n - 8, &y, 8);
	} else if (n >= 4) {
		memcpy(d, &lo, 4);
		memcpy(d + n - 4, &hi, 4);
	} else
		d[0] = s[0], d[n >> 1] = s[n >> 1], d[n - 1] = s[n - 1];
	return true;
}

/* Copy to d the longest prefix of s[0..n) that a JSON string holds as it is (no '"', '\\' or C0
 * control), its length; d has room for n bytes.  Sixteen bytes a step (SSE2: stored before they
 * are looked at), the tail in one look, a byte at a time only to the byte to escape. */
static inline size_t
plain_copy(char *d, const char *s, size_t n)
{
	size_t i = 0;

#ifdef __SSE2__
	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		unsigned m = stops(v);

		_mm_storeu_si128((__m128i *)(void *)(d + i), v);
		if (m != 0)
			return i + (size_t)__builtin_ctz(m);
	}
#else
	for (; i + 16 <= n && plain_short(d + i, s + i, 16); i += 16)
		;
#endif
	if (n - i <= 16 && plain_short(d + i, s + i, n - i))
		return n;
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == '"' || c == '\\')
			break;
		d[i] = (char)c;
	}
	return i;
}

/* s[0..n) as a JSON string, escaped as Jansson escapes (" \\ and the C0 controls), and the
 * byte after it (',' after a value, ':' after a key): the plain runs copied as they are found,
 * in room for all of s as it is, more room taken at each byte to escape. */
static void
put_string(jw *w, const char *s, size_t n, char after)
{
	static const char short_esc[32] = {['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't'};
	char *p = room(w, n + 3);
	size_t i = 0;

	*p++ = '"';
	while ((i += plain_copy(p + i, s + i, n - i)) < n) { /* s[i] is escaped */
		unsigned char c = (unsigned char)s[i++];

		w->p = p + i - 1;
		p = room(w, 6 + n - i + 3);
		if (c >= 0x20)
			p[0] = '\\', p[1] = (char)c, p += 2;
		else if (short_esc[c])
			p[0] = '\\', p[1] = short_esc[c], p += 2;
		else
			memcpy(p, "\\u00", 4), p[4] = "0123456789ABCDEF"[c >> 4],
			p[5] = "0123456789ABCDEF"[c & 15], p += 6;
		p -= i; /* p + i is where s[i] goes */
	}
	p[n] = '"';
	p[n + 1] = after;
	w->p = p + n + 2;
}

/* s[0..n) with nothing to escape in it, between quotes when q is 1 (none when 0), and its
 * comma (unquoted, the comma takes the place of the closing quote). */
static inline void
put_plain(jw *w, const char *s, size_t n, size_t q)
{
	char *p;

	elem(w, false);
	p = room(w, n + 3);
	p[0] = '"';
	memcpy(p + q, s, n);
	p[q + n] = '"';
	p[2 * q + n] = ',';
	w->p = p + 2 * q + n + 1;
}

static inline void
put_jstrn(jw *w, const char *s, size_t n)
{
	char *p;

	elem(w, false);
	p = room(w, n + 3);
	if (n > 16 || !plain_short(p + 1, s, n)) {
		put_string(w, s, n, ',');
		return;
	}
	p[0] = '"';
	p[n + 1] = '"';
	p[n + 2] = ',';
	w->p = p + n + 3;
}

/* null, true, false or a number's bytes. */
static inline void
put_raw(jw *w, const char *s)
{
	put_plain(w, s, strlen(s), 0);
}

/* One of the writer's own names (a kind, a comparator, a code): nothing in it to escape. */
static inline void
put_name(jw *w, const char *s)
{
	put_plain(w, s, strlen(s), 1);
}

/* A string value, or null for NULL. */
static void
put_jstr(jw *w, const char *s)
{
	if (s)
		put_jstrn(w, s, strlen(s));
	else
		put_raw(w, "null");
}

/* "key": and, pretty, the line it starts.  k[0..n) needs no escaping (the writer's own names). */
static inline void
put_keyn(jw *w, const char *k, size_t n)
{
	char *p = room(w, 2 * w->depth + n + 36);
	size_t at = w->pretty ? lead(p, w->depth) : 0;

	p[at++] = '"';
	memcpy(p + at, k, n);
	at += n;
	memcpy(p + at, "\": ", 3);
	w->p = p + at + (w->pretty ? 3 : 2);
}

/* always inline: the key's length and copy folded (GCC stopped inlining it into
 * write_quantity once the reader's jget was inline: +0.9 M a pass) */
static inline __attribute__((always_inline)) void
put_key(jw *w, const char *k)
{
	put_keyn(w, k, strlen(k));
}

/* A key from the document (a metadata key): escaped. */
static void
put_key_escaped(jw *w, const char *k)
{
	if (w->pretty)
		newline(w, w->depth);
	put_string(w, k, strlen(k), ':');
	if (w->pretty)
		addc(w, ' ');
}

static inline void
put_int(jw *w, long long v)
{
	char *p;
	size_t n;

	elem(w, false);
	p = room(w, 25);
	n = gw_fmt_int(p, v);
	p[n] = ',';
	w->p = p + n + 1;
}

/* A real as Jansson writes it: %.15g, then ".0" when it would read back as an integer, and
 * the exponent without '+' and leading zeros (1e+20 is 1e20); gw_fmt_decimal's bytes when
 * it has them. */
static void
put_real(jw *w, double v)
{
	char s[40], *e;
	int n;

	if (gw_fmt_decimal(s, v) > 0) {
		put_raw(w, s);
		return;
	}
	n = snprintf(s, sizeof s, "%.15g", v);
	if (strchr(s, '.') == NULL && strchr(s, 'e') == NULL)
		memcpy(s + n, ".0", 3);
	if ((e = strchr(s, 'e')) != NULL) {
		char *from = e + 1, *to = e + 1;

		if (*to == '-')
			from++, to++;
		else if (*from == '+')
			from++;
		while (*from == '0' && from[1])
			from++;
		memmove(to, from, strlen(from) + 1);
	}
	put_raw(w, s);
}

/* Open an object or array; close it, in the place of the comma after its last value. */
static inline void
put_open(jw *w, char c)
{
	elem(w, true);
	addc(w, c);
	if (w->pretty) {
		if (w->depth >= w->capst)
			gw_grow((void **)&w->st, &w->capst, w->depth + 1, 1);
		w->st[w->depth] = c == '[' ? J_ARRAY : 0;
	}
	w->depth++;
	w->arr = w->pretty && c == '[';
}

static inline void
put_close(jw *w, char c)
{
	unsigned char t = w->pretty ? w->st[w->depth - 1] : J_FLAT;
	bool some = w->p[-1] == ','; /* the comma after a value, or the open bracket */
	size_t n = 0;
	char *p;

	w->depth--;
	w->arr = w->pretty && w->depth > 0 && (w->st[w->depth - 1] & J_ARRAY);
	w->p -= some;
	p = room(w, 2 * w->depth + 35);
	if (some && !(t & J_FLAT))
		n = lead(p, w->depth);
	p[n] = c;
	p[n + 1] = ',';
	w->p = p + n + 2;
}

static inline void
put_pair(jw *w, long long x, long long y)
{
	char *p;
	size_t n;

	elem(w, true);
	p = room(w, 52);
	p[0] = '[';
	n = 1 + gw_fmt_int(p + 1, x);
	p[n++] = ',';
	if (w->pretty)
		p[n++] = ' ';
	n += gw_fmt_int(p + n, y);
	memcpy(p + n, "],", 2);
	w->p = p + n + 2;
}

static void
put_span(jw *w, gw_span s)
{
	if (s.start < 0)
		put_raw(w, "null");
	else
		put_pair(w, s.start, s.end);
}

/* The source range of span s, the kth of gw_doc_src_ranges. */
static void
put_src(jw *w, const gw_doc *d, gw_span s, size_t k)
{
	gw_srcrange r;

	if (w->src)
		r = w->src[k];
	else
		r.ok = gw_doc_src_range_from(d, s, &w->src_at, &r.start, &r.end);
	if (r.ok)
		put_pair(w, r.start, r.end);
	else
		put_raw(w, "null");
}

/* gw_json_number's bytes. */
static inline void
put_number(jw *w, bool has, double v)
{
	if (!has || !isfinite(v))
		put_raw(w, "null");
	else if (v == floor(v) && fabs(v) < 9007199254740992.0)
		put_int(w, (long long)v);
	else
		put_real(w, v);
}

json_t *
gw_json_number(bool has, double v)
{
	if (!has || !isfinite(v))
		return json_null();
	if (v == floor(v) && fabs(v) < 9007199254740992.0)
		return json_integer((json_int_t)v);
	return json_real(v);
}

json_t *
gw_json_string(const char *s)
{
	json_t *j = s ? json_string(s) : NULL;

	return j ? j : json_null();
}

/* The metadata: a key given twice keeps its first place and its last value (a JSON object). */
static void
write_meta(jw *w, const gw_doc *d)
{
	put_open(w, '{');
	for (size_t i = 0; i < d->nmeta; i++) {
		size_t last = i, k;

		for (k = 0; k < i && strcmp(d->meta[k].key, d->meta[i].key) != 0; k++)
			;
		if (k < i)
			continue;
		for (k = i + 1; k < d->nmeta; k++)
			if (strcmp(d->meta[k].key, d->meta[i].key) == 0)
				last = k;
		put_key_escaped(w, d->meta[i].key);
		put_jstr(w, d->meta[last].value);
	}
	put_close(w, '}');
}

static void
write_source(jw *w, const gw_doc *d, bool meta)
{
	put_open(w, '{');
	put_key(w, "path"), put_jstr(w, d->src_path);
	put_key(w, "sha256"), put_jstr(w, d->src_sha256[0] ? d->src_sha256 : NULL);
	put_key(w, "bytes"), put_int(w, (long long)d->src_bytes);
	if (meta) {
		put_key(w, "encoding"), put_jstr(w, d->encoding);
		put_key(w, "metadata"), write_meta(w, d);
	}
	put_close(w, '}');
}

static void
write_generator(jw *w, const gw_doc *d)
{
	put_open(w, '{');
	put_key(w, "name"), put_name(w, "gongwen");
	put_key(w, "version"), put_name(w, GW_VERSION);
	put_key(w, "rules"), put_jstr(w, d->rules_digest[0] ? d->rules_digest : NULL);
	put_close(w, '}');
}

static void
write_stages(jw *w, const gw_doc *d)
{
	put_open(w, '[');
	if (d->stages & GW_ST_NORMALIZED)
		put_name(w, "normalize");
	if (d->stages & GW_ST_SEGMENTED)
		put_name(w, "segment");
	if (d->stages & GW_ST_EXTRACTED)
		put_name(w, "extract");
	put_close(w, ']');
}

static void
write_removed(jw *w, const gw_doc *d)
{
	put_open(w, '[');
	for (size_t i = 0; i < d->nremoved; i++) {
		const gw_removed *r = &d->removed[i];

		put_open(w, '{');
		put_key(w, "kind"), put_jstr(w, r->kind);
		put_key(w, "source_span"), put_pair(w, r->src_start, r->src_end);
		put_key(w, "text"), put_jstr(w, r->text);
		put_close(w, '}');
	}
	put_close(w, ']');
}

/* One integer of the offset map at p with its comma and, pretty (sp 1), the space after it. */
static inline char *
map_int(char *p, uint32_t v, size_t sp)
{
	p += gw_fmt_int(p, v);
	p[0] = ',';
	p[1] = ' ';
	return p + 1 + sp;
}

/* s[0..n), integers and commas, at p with a space after each comma (pretty); the end.  Eight
 * bytes a step, up to the first comma in them (an integer of the map has at most 10 digits,
 * mostly under 7); p has room for 2 * n bytes, and the eight stored never pass what is left of
 * them. */
static char *
spaced(char *p, const char *s, size_t n)
{
	size_t i = 0;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101ULL;

	while (i + 8 <= n) {
		uint64_t w, x, z;
		size_t k;

		memcpy(&w, s + i, 8);
		x = w ^ (',' * ones);
		z = (x - ones) & ~x & (0x80 * ones); /* its lowest bit is the first comma's, if any */
		memcpy(p, &w, 8);
		if (z == 0) {
			p += 8, i += 8;
			continue;
		}
		k = (size_t)__builtin_ctzll(z) >> 3;
		p[k + 1] = ' ';
		p += k + 2, i += k + 1;
	}
#endif
	for (; i < n; i++)
		p[0] = s[i], p[1] = ' ', p += 1 + (s[i] == ',');
	return p;
}

/* Five integers a run, on one line when pretty (the last space taken back); the first value
 * opens the line as any other.  The five written one after the other, not in a loop over a
 * copy of the run. */
static void
write_map(jw *w, const gw_doc *d)
{
	size_t sp = w->pretty;

	put_open(w, '[');
	if (d->nruns > 0)
		elem(w, false);
	if (d->map_json_len > 0) { /* as read (lex_map) */
		size_t n = d->map_json_len;
		char *p = room(w, 2 * n + 1);

		if (sp)
			p = spaced(p, d->map_json, n);
		else
			memcpy(p, d->map_json, n), p += n;
		*p++ = ',';
		w->p = p;
		put_close(w, ']');
		return;
	}
	for (size_t i = 0; i < d->nruns; i++) {
		const gw_run *r = &d->runs[i];
		char *p = room(w, 5 * 13);

		p = map_int(p, r->cp, sp);
		p = map_int(p, r->src, sp);
		p = map_int(p, r->width, sp);
		p = map_int(p, r->line, sp);
		w->p = map_int(p, r->col, sp);
	}
	w->p -= d->nruns > 0 ? sp : 0;
	put_close(w, ']');
}

static void
write_list(jw *w, const gw_strlist *l)
{
	put_open(w, '[');
	for (size_t i = 0; i < l->n; i++)
		put_jstr(w, l->items[i]);
	put_close(w, ']');
}

/* How each header field is written and read (gongwen.h, GW_HFIELDS). */
#define HF_JSON(id, name, kind, lead, ...) [GW_H_##id] = {GW_HK_##kind, lead},
static const struct {
	enum gw_hkind kind;
	int lead;
} hf[GW_NHFIELDS] = {GW_HFIELDS(HF_JSON)};

/* The header's fields in the order of their keys: the lead ones, then the others. */
static void
header_order(int order[GW_NHFIELDS])
{
	int n = 0;

	for (int lead = 1; lead <= GW_NHFIELDS; lead++)
		for (int f = 0; f < GW_NHFIELDS; f++)
			if (hf[f].lead == lead)
				order[n++] = f;
	for (int f = 0; f < GW_NHFIELDS; f++)
		if (hf[f].lead == 0)
			order[n++] = f;
}

/* A LIST or DATE field's key holds its parsed form, "<name>_text" its text as written. */
static void
write_field(jw *w, const gw_header *h, enum gw_hfield f)
{
	const char *name = gw_hfield_name(f), *text = h->f[f].text;
	char key[64];

	put_key(w, name);
	switch (hf[f].kind) {
	case GW_HK_TEXT:
		put_jstr(w, text);
		return;
	case GW_HK_NUMBER:
		if (text == NULL) {
			put_raw(w, "null");
			return;
		}
		put_open(w, '{');
		put_key(w, "text"), put_jstr(w, text);
		put_key(w, "agency_code"), put_jstr(w, h->agency_code);
		put_key(w, "year");
		if (h->year)
			put_int(w, h->year);
		else
			put_raw(w, "null");
		put_key(w, "serial"), put_jstr(w, h->serial);
		put_close(w, '}');
		return;
	case GW_HK_LIST:
		write_list(w, gw_header_list(h, f));
		break;
	case GW_HK_DATE:
		put_jstr(w, *gw_header_iso(h, f));
		break;
	}
	snprintf(key, sizeof key, "%s_text", name);
	put_key(w, key);
	put_jstr(w, text);
}

static void
write_header(jw *w, const gw_doc *d)
{
	const gw_header *h = &d->header;
	int order[GW_NHFIELDS];

	header_order(order);
	put_open(w, '{');
	for (int i = 0; i < GW_NHFIELDS; i++)
		write_field(w, h, order[i]);
	put_key(w, "spans"), put_open(w, '{');
	for (int f = 0; f < GW_NHFIELDS; f++)
		if (gw_header_has(h, f) && h->f[f].span.start >= 0)
			put_key(w, gw_hfield_name(f)), put_span(w, h->f[f].span);
	put_close(w, '}');
	put_close(w, '}');
}

static void
write_node(jw *w, const gw_doc *d, const gw_node *n)
{
	put_open(w, '{');
	put_key(w, "id"), put_jstr(w, n->id);
	put_key(w, "kind"), put_name(w, gw_kind_name(n->kind));
	put_key(w, "num"), put_jstr(w, n->num);
	put_key(w, "ordinal"), put_int(w, n->ordinal);
	put_key(w, "heading"), put_jstr(w, n->heading);
	put_key(w, "span"), put_span(w, n->span);
	put_key(w, "heading_span"), put_span(w, n->heading_span);
	put_key(w, "source_span"), put_src(w, d, n->span, (size_t)(n - d->nodes));
	put_key(w, "children"), put_open(w, '[');
	for (int i = n->first_child; i >= 0; i = d->nodes[i].next_sibling)
		write_node(w, d, &d->nodes[i]);
	put_close(w, ']');
	put_close(w, '}');
}

/* The top-level nodes of one part, in order. */
static void
write_part(jw *w, const gw_doc *d, int part)
{
	put_open(w, '[');
	for (size_t i = 0; i < d->nnodes; i++)
		if (d->nodes[i].parent < 0 && d->nodes[i].part == part)
			write_node(w, d, &d->nodes[i]);
	put_close(w, ']');
}

static void
write_attachments(jw *w, const gw_doc *d)
{
	put_open(w, '[');
	for (size_t i = 0; i < d->natts; i++) {
		const gw_attachment *t = &d->atts[i];

		put_open(w, '{');
		put_key(w, "title"), put_jstr(w, t->title);
		put_key(w, "title_span"), put_span(w, t->title_span);
		put_key(w, "span"), put_span(w, t->span);
		put_key(w, "source_span"), put_src(w, d, t->span, d->nnodes + i);
		put_key(w, "body"), write_part(w, d, (int)i + 1);
		put_close(w, '}');
	}
	put_close(w, ']');
}

static void
write_quantity(jw *w, const gw_doc *d, const gw_quantity *q)
{
	int nd = q->node;

	put_open(w, '{');
	put_key(w, "id"), put_jstr(w, q->id);
	put_key(w, "node"), put_jstr(w, nd >= 0 && (size_t)nd < d->nnodes ? d->nodes[nd].id : NULL);
	put_key(w, "text"), put_jstr(w, q->text);
	put_key(w, "span"), put_span(w, q->span);
	put_key(w, "source_span"), put_src(w, d, q->span, d->nnodes + d->natts + (size_t)(q - d->qs));
	put_key(w, "value"), put_number(w, q->has_value, q->value);
	put_key(w, "min"), put_number(w, q->has_min, q->min);
	put_key(w, "max"), put_number(w, q->has_max, q->max);
	put_key(w, "unit"), put_jstr(w, q->unit);
	put_key(w, "comparator"), put_name(w, gw_cmp_name(q->cmp));
	put_key(w, "kind"), put_name(w, gw_qkind_name(q->kind));
	put_key(w, "subject"), put_jstr(w, q->subject);
	put_key(w, "verb"), put_jstr(w, q->verb);
	put_key(w, "rule"), put_jstr(w, q->rule);
	put_close(w, '}');
}

static void
write_quantities(jw *w, const gw_doc *d)
{
	put_open(w, '[');
	for (size_t i = 0; i < d->nqs; i++)
		write_quantity(w, d, &d->qs[i]);
	put_close(w, ']');
}

static void
write_rejected(jw *w, const gw_doc *d)
{
	put_open(w, '[');
	for (size_t i = 0; i < d->nrej; i++) {
		const gw_rejected *r = &d->rej[i];

		put_open(w, '{');
		put_key(w, "text"), put_jstr(w, r->text);
		put_key(w, "span"), put_span(w, r->span);
		put_key(w, "reason"), put_jstr(w, r->reason);
		put_key(w, "rule"), put_jstr(w, r->rule);
		put_close(w, '}');
	}
	put_close(w, ']');
}

static void
write_warnings(jw *w, const gw_doc *d)
{
	put_open(w, '[');
	for (size_t i = 0; i < d->ndiags; i++) {
		const gw_diag *g = &d->diags[i];

		put_open(w, '{');
		put_key(w, "code"), put_name(w, gw_code_name(g->code));
		put_key(w, "level"), put_name(w, gw_level_name(gw_code_level(g->code)));
		put_key(w, "message"), put_jstr(w, gw_code_message(g->code));
		put_key(w, "detail"), put_jstr(w, g->detail);
		put_key(w, "line");
		g->line > 0 ? put_int(w, g->line) : put_raw(w, "null");
		put_key(w, "col");
		g->col > 0 ? put_int(w, g->col) : put_raw(w, "null");
		put_key(w, "span"), put_span(w, g->span);
		put_close(w, '}');
	}
	put_close(w, ']');
}

static void
write_error(jw *w, const gw_doc *d)
{
	put_key(w, "source"), write_source(w, d, false);
	put_key(w, "error"), put_open(w, '{');
	put_key(w, "code"), put_name(w, gw_code_name(d->error));
	put_key(w, "message"), put_jstr(w, d->error_msg);
	put_close(w, '}');
}

static void
write_record(jw *w, const gw_doc *d)
{
	put_key(w, "source"), write_source(w, d, true);
	put_key(w, "generator"), write_generator(w, d);
	put_key(w, "stages"), write_stages(w, d);
	put_key(w, "text"), put_jstrn(w, d->text ? d->text : "", d->text ? d->text_len : 0);
	put_key(w, "removed"), write_removed(w, d);
	put_key(w, "offset_map"), write_map(w, d);
	put_key(w, "is_notice"), put_raw(w, d->is_notice < 0 ? "null" : d->is_notice ? "true" : "false");
	put_key(w, "header"), write_header(w, d);
	put_key(w, "body"), write_part(w, d, 0);
	put_key(w, "attachments"), write_attachments(w, d);
	put_key(w, "quantities"), write_quantities(w, d);
	put_key(w, "rejected"), write_rejected(w, d);
	put_key(w, "warnings"), write_warnings(w, d);
}

void
gw_json_write(const gw_doc *d, gw_buf *out, int flags)
{
	gw_json_write_src(d, out, flags, NULL);
}

void
gw_json_write_src(const gw_doc *d, gw_buf *out, int flags, const gw_srcrange *src)
{
	jw w = {out, NULL, NULL, (flags & GW_JSON_PRETTY) != 0, NULL, 0, 0, false, 0, src};

	gw_buf_reserve(out, 3 * d->text_len + 16384); /* a record is about 2.5 times its text */
	w.p = out->ptr + out->len;
	w.end = out->ptr + out->cap - 1;
	put_open(&w, '{');
	put_key(&w, "schema"), put_name(&w, GW_SCHEMA);
	put_key(&w, "id"), put_jstr(&w, d->id);
	if (d->error)
		write_error(&w, d);
	else
		write_record(&w, d);
	put_close(&w, '}');
	w.p[-1] = '\n'; /* for the comma after the record */
	out->len = (size_t)(w.p - out->ptr);
	out->ptr[out->len] = '\0';
	free(w.st);
}

/* ---------------------------------------------------------------- reading
 * A record is read in two steps.  One pass over its bytes checks them as Jansson's parser does
 * (the same grammar, strict UTF-8, no \u0000, integers within long long, reals that do not
 * overflow, at most JSON_PARSER_MAX_DEPTH levels) and lists its values in order, each with its
 * bytes and the index of the value after it and its members; the reader then takes from the list
 * what the model needs, as it took it from a Jansson tree, at about a tenth of the cost (a Jansson
 * tree was one allocation a value and some 200 instructions a byte, issue 14).  Bytes that are not
 * JSON are parsed again by Jansson for the message the diagnostics have always given. */

enum { JT_NONE, JT_NULL, JT_FALSE, JT_TRUE, JT_INT, JT_REAL, JT_STR, JT_ARR, JT_OBJ };

/* One value; an object's members follow it as key, value, key, value … */
typedef struct jt {
	unsigned char type;
	bool esc;         /* a string with a backslash in it */
	bool twice;       /* an object whose keys may repeat (two of them hash alike) */
	uint32_t at, len; /* a string's bytes between its quotes (a record is under 4 GiB) */
	uint32_t next;    /* the index of the value after this one and its members */
	uint32_t n;       /* the members of an array, or an object's pairs; a key's hash */
	union {
		long long i;
		double r;
	} v;
} jt;

/* Index 0 is no value (a member not there), so that 0 passes for a NULL json_t. */
typedef struct lexer {
	const unsigned char *s;
	size_t n, at;
	jt *t;
	size_t nt, cap;
	uint32_t *ints; /* the values of the packed offset map (lex_map) */
	size_t nints, capints;
} lexer;

/* A new value; the list starts with room for the values of most records (a value takes 5 to 13
 * bytes of a record), at most 64 Ki of them (a long text is one value), and doubles. */
static void
lex_grow(lexer *x)
{
	x->cap = x->cap ? 2 * x->cap : (x->n / 6 < 65536 ? x->n / 6 : 65536) + 16;
	x->t = gw_xrealloc(x->t, x->cap * sizeof *x->t);
}

static inline size_t
lex_new(lexer *x, int type)
{
	if (x->nt == x->cap)
		lex_grow(x);
	x->t[x->nt] = (jt){.type = (unsigned char)type};
	return x->nt++;
}

static inline void
lex_space(lexer *x)
{
	while (x->at < x->n && x->s[x->at] <= ' ' &&
	       (x->s[x->at] == ' ' || x->s[x->at] == '\t' || x->s[x->at] == '\n' || x->s[x->at] == '\r'))
		x->at++;
}

static int
hex4(const unsigned char *p)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		int c = p[i], d = c >= '0' && c <= '9' ? c - '0'
		                 : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10
		                                                          : -1;

		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

/* The code point of the escape at s[0..n) (after its backslash: u and four hex digits, a
 * surrogate pair as two), and its length; -1 for what Jansson refuses (\u0000 among them). */
static long
escape_cp(const unsigned char *s, size_t n, size_t *len)
{
	int hi, lo;

	if (n == 0)
		return -1;
	*len = 1;
	switch (s[0]) { /* a switch, not strchr: a text has a \n a paragraph (issue 14) */
	case '"':
	case '\\':
	case '/':
		return s[0];
	case 'b':
		return '\b';
	case 'f':
		return '\f';
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 't':
		return '\t';
	case 'u':
		break;
	default:
		return -1;
	}
	if (n < 5 || (hi = hex4(s + 1)) <= 0 || (hi >= 0xDC00 && hi <= 0xDFFF))
		return -1;
	*len = 5;
	if (hi < 0xD800 || hi > 0xDBFF)
		return hi;
	if (n < 11 || s[5] != '\\' || s[6] != 'u' || (lo = hex4(s + 7)) < 0xDC00 || lo > 0xDFFF)
		return -1;
	*len = 11;
	return 0x10000 + ((long)(hi - 0xD800) << 10) + (lo - 0xDC00);
}

/* The value of string t (its bytes in base), unescaped, at the end of b. */
static void
jt_unescape(const unsigned char *base, const jt *t, gw_buf *bp)
{
	const unsigned char *s = base + t->at;
	gw_buf b = *bp;
	size_t i = 0, len;

	/* an escape is no shorter than its value: the runs and the ASCII escapes are put in place */
	gw_buf_reserve(&b, t->len);
	while (i < t->len) {
		const unsigned char *bs = memchr(s + i, '\\', t->len - i);
		size_t run = bs ? (size_t)(bs - s) - i : t->len - i;
		long cp;

		memcpy(b.ptr + b.len, s + i, run);
		b.len += run;
		if ((i += run) < t->len) {
			if ((cp = escape_cp(s + i + 1, t->len - i - 1, &len)) < 0x80)
				b.ptr[b.len++] = (char)cp;
			else
				gw_buf_put_cp(&b, (uint32_t)cp);
			i += 1 + len;
		}
	}
	b.ptr[b.len] = '\0';
	*bp = b;
}

/* The value of string t, as a new string of *len bytes (the value has no NUL: \u0000 is refused). */
static char *
jt_string_len(const unsigned char *base, const jt *t, size_t *len)
{
	gw_buf b = GW_BUF_INIT;

	if (!t->esc) {
		*len = t->len;
		return gw_xstrndup((const char *)base + t->at, t->len);
	}
	jt_unescape(base, t, &b);
	*len = b.len;
	return gw_buf_detach(&b);
}

/* The value of string t, as a new string. */
static char *
jt_string(const unsigned char *base, const jt *t)
{
	size_t len;

	return jt_string_len(base, t, &len);
}

/* A key's hash: its length and its first and last eight bytes (a key under eight bytes long: its
 * bytes in the first word), mixed by one multiplication.  Any hash of a key's value serves (it
 * only tells which keys may repeat, lex_key); FNV-1a cost some five instructions a byte and a
 * loop (issue 14).  room: the bytes that may be read from s, n or more. */
static inline uint32_t
hash(const char *s, size_t n, size_t room)
{
	uint64_t a = 0, b = 0;

	if (n >= 8) {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
	}
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	else if (n > 0 && room >= 8) { /* the word the loop below builds */
		memcpy(&a, s, 8);
		a &= ~0ULL >> (64 - 8 * n);
	}
#endif
	else
		for (size_t i = 0; i < n; i++)
			a |= (uint64_t)(unsigned char)s[i] << (8 * i);
	return (uint32_t)(((a ^ (b * 0x9E3779B97F4A7C15ULL) ^ n) * 0xFF51AFD7ED558CCDULL) >> 32);
}

/* The hash of key t: that of its value when it has escapes. */
static uint32_t
key_hash(const unsigned char *base, size_t end, const jt *t)
{
	char *s;
	size_t n;
	uint32_t h;

	if (!t->esc)
		return hash((const char *)base + t->at, t->len, end - t->at);
	s = jt_string(base, t);
	n = strlen(s);
	h = hash(s, n, n);
	free(s);
	return h;
}

/* Bytes a string holds as they are: ASCII from 0x20 but '"' and '\\'. */
static bool
plain_ascii(int c)
{
	return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/* Whether u[0..3) is a three-byte UTF-8 sequence led by E1..EF but ED (most CJK): no overlong
 * form, no surrogate possible. */
static inline bool
cjk3(const unsigned char *u)
{
	return u[0] >= 0xE1 && u[0] <= 0xEF && u[0] != 0xED && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80;
}

/* The three-byte characters that cjk3 takes from s[i] on, s[0..n): five (fifteen bytes) at a time
 * where SSE2 is, the rest one at a time.  A record's text is mostly CJK in runs of some tens. */
static inline size_t
cjk3_run(const unsigned char *s, size_t i, size_t n)
{
#ifdef __SSE2__
	const __m128i mask = _mm_setr_epi8(-16, -64, -64, -16, -64, -64, -16, -64, -64, -16, -64, -64, -16, -64, -64, 0),
	              want = _mm_setr_epi8(-32, -128, -128, -32, -128, -128, -32, -128, -128, -32, -128, -128, -32,
	                                   -128, -128, 0);

	while (i + 16 <= n) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		/* lead bytes 1110xxxx but E0 and ED, then 10xxxxxx twice; byte 15 is not looked at */
		unsigned form = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(v, mask), want));
		unsigned lead = (unsigned)_mm_movemask_epi8(
		    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(-32)), _mm_cmpeq_epi8(v, _mm_set1_epi8(-19))));

		if (form != 0xFFFF || (lead & 0x1249) != 0)
			break;
		i += 15;
	}
#endif
	while (i + 3 <= n && cjk3(s + i))
		i += 3;
	return i;
}

/* The plain ASCII bytes from s[i] on, s[0..n): sixteen at a time where SSE2 is, where most
 * strings (keys, kinds, ids) end in their first sixteen; else a byte at a time. */
static inline size_t
plain_ascii_run(const unsigned char *s, size_t i, size_t n)
{
#ifdef __SSE2__
	while (i + 16 <= n) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		/* signed: the bytes from 0x80 compare below 0x20 with the controls */
		__m128i stop = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
		                            _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
		                                         _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
		unsigned m = (unsigned)_mm_movemask_epi8(stop);

		if (m != 0)
			return i + (size_t)__builtin_ctz(m);
		i += 16;
	}
#endif
	while (i < n && plain_ascii(s[i]))
		i++;
	return i;
}

/* A string from its opening quote, its bytes checked as Jansson checks them (UTF-8 without
 * overlong forms, surrogates or values past U+10FFFF; no control character; the escapes that
 * escape_cp takes): plain ASCII in runs, CJK a character at a time. */
static bool
lex_string(lexer *x, size_t k)
{
	const unsigned char *s = x->s;
	size_t i = x->at + 1, n = x->n, len;
	uint32_t cp;

	for (;;) {
		i = plain_ascii_run(s, i, n);
		if (i + 3 <= n && cjk3(s + i))
			i = cjk3_run(s, i + 3, n);
		else if (i >= n || s[i] == '"')
			break;
		else if (s[i] >= 0x80 && (len = (size_t)gw_utf8_decode((const char *)s + i, n - i, &cp)) > 0)
			i += len;
		else if (s[i] == '\\' && escape_cp(s + i + 1, n - i - 1, &len) >= 0) {
			x->t[k].esc = true;
			i += 1 + len;
		} else
			return false;
	}
	x->t[k].at = (uint32_t)x->at + 1;
	x->t[k].len = (uint32_t)(i - x->at - 1);
	x->at = i + 1;
	return i < n;
}

/* Skip the digits at *i: false when there is none. */
static bool
digits(const unsigned char *s, size_t n, size_t *i)
{
	size_t from = *i;

	while (*i < n && s[*i] >= '0' && s[*i] <= '9')
		(*i)++;
	return *i > from;
}

/* After a number or a word, Jansson puts back the byte it looked ahead at; a NUL byte put back
 * reads as the end of what it had buffered, and so it is skipped. */
static void
lex_nul(lexer *x)
{
	if (x->at < x->n && x->s[x->at] == '\0')
		x->at++;
}

/* A number as Jansson reads it: an integer (strtoll's range) unless it has a fraction or an
 * exponent, then a real that does not overflow. */
static bool
lex_number(lexer *x, size_t k)
{
	const unsigned char *s = x->s;
	size_t i = x->at, start = i, n = x->n;
	unsigned long long u = 0, lim;
	bool neg = i < n && s[i] == '-', big, real = false;
	char tmp[64], *b;

	i += neg;
	if (i >= n || s[i] < '0' || s[i] > '9' || (s[i] == '0' && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '9'))
		return false;
	lim = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		u = u * 10 + (unsigned)(s[i] - '0');
	/* no leading zero: 20 digits are past the range, 19 fit in u */
	big = i - start - neg > 19 || u > lim;
	if (i < n && s[i] == '.' && (++i, real = true, !digits(s, n, &i)))
		return false;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i += 1 + (i + 1 < n && (s[i + 1] == '+' || s[i + 1] == '-'));
		if (real = true, !digits(s, n, &i))
			return false;
	}
	x->at = i;
	lex_nul(x);
	if (!real) { /* out of range, Jansson says "too big integer" */
		x->t[k].type = JT_INT;
		x->t[k].v.i = neg ? (long long)(0 - u) : (long long)u;
		return !big;
	}
	b = i - start < sizeof tmp ? tmp : gw_xmalloc(i - start + 1);
	memcpy(b, s + start, i - start);
	b[i - start] = '\0';
	x->t[k].type = JT_REAL;
	x->t[k].v.r = strtod(b, NULL);
	if (b != tmp)
		free(b);
	return isfinite(x->t[k].v.r);
}

/* true, false or null, not followed by a letter (Jansson reads a word whole). */
static bool
lex_word(lexer *x, size_t k)
{
	static const char *const words[] = {"null", "false", "true"};
	const unsigned char *s = x->s + x->at;
	size_t left = x->n - x->at;

	for (int w = 0; w < 3; w++) {
		size_t l = strlen(words[w]);

		if (left >= l && memcmp(s, words[w], l) == 0 &&
		    !(left > l && ((s[l] | 0x20) >= 'a' && (s[l] | 0x20) <= 'z'))) {
			x->t[k].type = (unsigned char)(JT_NULL + w);
			x->at += l;
			lex_nul(x);
			return true;
		}
	}
	return false;
}

/* A key of object o and its colon, after the brace or a comma.  seen has a bit for the hash of
 * each key before it: when the new one's is set, the keys are compared by hash, and two alike
 * mark the object (jget then looks at every key; most objects never repeat one). */
static bool
lex_key(lexer *x, size_t o, uint64_t *seen)
{
	size_t k, i;
	uint64_t bit;

	lex_space(x);
	if (x->at >= x->n || x->s[x->at] != '"')
		return false;
	k = lex_new(x, JT_STR);
	/* most keys are plain ASCII: then the run stops at the closing quote, and lex_string is
	 * not called (issue 14: a quantity has some sixteen keys) */
	i = plain_ascii_run(x->s, x->at + 1, x->n);
	if (i < x->n && x->s[i] == '"') {
		x->t[k].at = (uint32_t)x->at + 1;
		x->t[k].len = (uint32_t)(i - x->at - 1);
		x->at = i + 1;
	} else if (!lex_string(x, k))
		return false;
	x->t[k].next = (uint32_t)k + 1;
	x->t[k].n = key_hash(x->s, x->n, &x->t[k]);
	bit = 1ULL << (x->t[k].n & 63);
	/* Past 64 keys the bits say little, and comparing each key with every one before it made a
	 * record of 200,000 keys take 40 s (a record nobody should send must not hang a batch
	 * either): such an object is marked as one whose keys may repeat, which only makes jget
	 * look at all of them, and gives the same answer. */
	if ((*seen & bit) && x->t[o].n >= 64)
		x->t[o].twice = true;
	else if (*seen & bit)
		for (size_t e = o + 1; e < k; e = x->t[e + 1].next)
			x->t[o].twice |= x->t[e].n == x->t[k].n;
	*seen |= bit;
	if (x->at < x->n && x->s[x->at] == ':') { /* no white space: a record gongwen wrote */
		x->at++;
		return true;
	}
	lex_space(x);
	return x->at < x->n && x->s[x->at++] == ':';
}

/* A string, number or word into t[k]. */
static bool
lex_scalar(lexer *x, size_t k)
{
	int c = x->s[x->at];

	if (c == '"') {
		x->t[k].type = JT_STR;
		return lex_string(x, k);
	}
	if (c == '-' || (c >= '0' && c <= '9'))
		return lex_number(x, k);
	return lex_word(x, k);
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* The value of the first len (1 to 7) digits of a word read from memory, less '0' in each byte:
 * the digits moved to the top, zeros before them, and multiplied pairwise into place. */
static inline uint64_t
word_value(uint64_t d, size_t len)
{
	d <<= 64 - 8 * len;
	d = (d & 0x0F0F0F0F0F0F0F0FULL) * 2561 >> 8;
	d = (d & 0x00FF00FF00FF00FFULL) * 6553601 >> 16;
	return (d & 0x0000FFFF0000FFFFULL) * 42949672960001ULL >> 32;
}
#endif

/* The digits at s[i..n), at most 19: their count, and their value in *u.  Where eight bytes can be
 * read, a run of under eight (the offset map's integers have up to six) is found and summed in one
 * word: the first byte that is no digit has its top bit set in nd (the bytes after it may be
 * wrong, borrowed or carried into), and the digits' values are multiplied pairwise into place. */
static inline size_t
int_run(const unsigned char *s, size_t i, size_t n, unsigned long long *u)
{
	size_t from = i;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = 0x0101010101010101ULL;
	uint64_t w, d, nd;

	if (i + 8 <= n) {
		memcpy(&w, s + i, 8);
		d = w - '0' * ones;
		if ((nd = (d | (d + 0x76 * ones)) & 0x80 * ones) != 0) {
			size_t len = (size_t)__builtin_ctzll(nd) / 8;

			if (len == 0)
				return 0;
			*u = word_value(d, len);
			return len;
		}
	}
#endif
	*u = 0;
	while (i < n && s[i] >= '0' && s[i] <= '9' && i - from < 19)
		*u = *u * 10 + (unsigned)(s[i++] - '0');
	return i - from;
}

/* In array a after a comma: the integers of at most 18 digits each followed by a comma, at once
 * (the offset map is five integers a run); the value after them is read as any other.  The
 * values are appended with the lexer's count, position and the array's size kept in locals and
 * stored once, and those of one or two digits read without int_run (issue 14: some 65
 * instructions an integer before). */
static void
lex_ints(lexer *x, size_t a)
{
	const unsigned char *s = x->s;
	size_t n = x->n, i = x->at, k = x->nt;
	uint32_t count = 0;

	for (;;) {
		unsigned long long u;
		size_t len;

		/* one digit or two (no leading zero) before a comma: half the map's integers */
		if (i + 3 <= n && s[i + 1] == ',' && (unsigned)s[i] - '0' <= 9)
			u = (unsigned)s[i] - '0', len = 1;
		else if (i + 3 <= n && s[i + 2] == ',' && (unsigned)s[i] - '1' <= 8 && (unsigned)s[i + 1] - '0' <= 9)
			u = ((unsigned)s[i] - '0') * 10 + ((unsigned)s[i + 1] - '0'), len = 2;
		else if ((len = int_run(s, i, n, &u)) == 0 || len > 18 || i + len >= n || s[i + len] != ',' ||
		         (s[i] == '0' && len > 1))
			break;
		if (k == x->cap) {
			x->nt = k;
			lex_grow(x);
		}
		x->t[k] = (jt){.type = JT_INT, .next = (uint32_t)k + 1, .v.i = (long long)u};
		k++, count++;
		i += len + 1;
	}
	x->nt = k;
	x->t[a].n += count;
	x->at = i;
}

/* After a value: the containers it ends are closed.  True when another value follows (after a
 * comma, and a key in an object); false at the end of the record (*ok: nothing after it) or at
 * bytes that are not JSON.  open[0..*depth) are the containers around the value. */
static bool
lex_after(lexer *x, const uint32_t *open, uint64_t *seen, size_t *depth, bool *ok)
{
	*ok = false;
	while (*depth > 0) {
		size_t o = open[*depth - 1];
		bool array = x->t[o].type == JT_ARR; /* x->t moves when a value is added */
		int c;

		x->t[o].n++;
		lex_space(x);
		if (x->at >= x->n)
			return false;
		c = x->s[x->at++];
		if (c == ',' && !array)
			return lex_key(x, o, &seen[*depth - 1]);
		if (c == ',') {
			lex_ints(x, o);
			return true;
		}
		if (c != (array ? ']' : '}'))
			return false;
		x->t[o].next = (uint32_t)x->nt;
		--*depth;
	}
	lex_space(x);
	*ok = x->at == x->n;
	return false;
}

/* The top-level member "offset_map" as gongwen writes it, integers of at most ten digits and
 * commas, nothing else between its brackets: its values into x->ints and t[k] a packed array
 * (esc set; v.i: the first value's index in x->ints; at, len: its bytes between the brackets),
 * with no value of its own (issue 14: the map is 135,000 integers a pass of the shared corpus,
 * each a jt of 32 bytes that read_map copied out).  Anything else (white space, a sign, a
 * leading zero, a fraction, past UINT32_MAX, []): false, and the array is lexed as any other
 * from the same place; read_map takes either.  Not inline: one call a record, and lex_record's
 * own loop came out slower with it inside. */
static __attribute__((noinline)) bool
lex_map(lexer *x, size_t k)
{
	const unsigned char *s = x->s, *close = memchr(s + x->at, ']', x->n - x->at);
	size_t n = x->n, i = x->at + 1, m = x->nints, most;

	/* room for all the map can hold, an integer and its comma in two bytes at least, up to its
	 * first ']' (the integers stop there); not up to the record's end, a buffer twice the
	 * record's size that malloc maps and unmaps for each long record */
	if (close == NULL)
		return false;
	most = (size_t)(close - s - x->at) / 2 + 1;
	if (x->capints - m < most) {
		x->capints = m + most;
		x->ints = gw_xrealloc(x->ints, x->capints * sizeof *x->ints);
	}
	for (;;) {
		unsigned long long u;
		size_t len;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		/* an integer of up to seven digits and the byte after it in one word (int_run's way,
		 * the word's own byte after the digits, its bounds checked once) */
		for (const uint64_t ones = 0x0101010101010101ULL; i + 8 <= n;) {
			uint64_t w, d, nd;
			unsigned c;

			memcpy(&w, s + i, 8);
			d = w - '0' * ones;
			if ((nd = (d | (d + 0x76 * ones)) & 0x80 * ones) == 0)
				break; /* eight digits or more */
			len = (size_t)__builtin_ctzll(nd) / 8;
			c = (unsigned)(w >> (8 * len)) & 0xFF;
			if (len == 0 || (c != ',' && c != ']') || ((w & 0xFF) == '0' && len > 1))
				return false;
			x->ints[m++] = (uint32_t)word_value(d, len);
			i += len + 1;
			if (c == ']')
				goto done;
		}
#endif
		if ((len = int_run(s, i, n, &u)) == 0 || len > 10 || u > UINT32_MAX ||
		    (s[i] == '0' && len > 1) || i + len >= n)
			return false;
		x->ints[m++] = (uint32_t)u;
		i += len;
		if (s[i++] == ']')
			break;
		if (s[i - 1] != ',')
			return false;
	}
done:
	i--; /* at the ] */
	x->t[k] = (jt){.type = JT_ARR, .esc = true, .at = (uint32_t)x->at + 1, .len = (uint32_t)(i - x->at - 1),
	               .n = (uint32_t)(m - x->nints), .v.i = (long long)x->nints};
	x->nints = m;
	x->at = i + 1;
	return true;
}

/* Value k is the top-level object's member "offset_map" (its key is the value before it). */
static inline bool
is_map(const lexer *x, size_t k, size_t depth, const uint32_t *open)
{
	const jt *key = &x->t[k - 1];

	return depth == 1 && x->t[open[0]].type == JT_OBJ && !key->esc && key->len == 10 &&
	       memcmp(x->s + key->at, "offset_map", 10) == 0;
}

/* The record's values from t[1] on: an object or an array, and nothing after it.  A loop, not a
 * descent: open[] holds the containers around the value being read, as many as Jansson allows. */
static bool
lex_record(lexer *x)
{
	uint32_t open[JSON_PARSER_MAX_DEPTH];
	uint64_t seen[JSON_PARSER_MAX_DEPTH]; /* per open object, the hashes of its keys (lex_key) */
	size_t depth = 0;
	bool ok;

	lex_new(x, JT_NONE);
	lex_space(x);
	if (x->at >= x->n || (x->s[x->at] != '{' && x->s[x->at] != '['))
		return false;
	for (;;) {
		size_t k;
		int c;

		lex_space(x);
		if (x->at >= x->n || depth >= JSON_PARSER_MAX_DEPTH)
			return false;
		k = lex_new(x, JT_NONE);
		c = x->s[x->at];
		if (c == '[' && is_map(x, k, depth, open) && lex_map(x, k))
			; /* packed, closed */
		else if (c == '{' || c == '[') {
			x->t[k].type = c == '{' ? JT_OBJ : JT_ARR;
			x->at++;
			lex_space(x);
			if (x->at >= x->n || x->s[x->at] != (c == '{' ? '}' : ']')) {
				seen[depth] = 0;
				open[depth++] = (uint32_t)k;
				if (c == '{' && !lex_key(x, k, &seen[depth - 1]))
					return false;
				continue; /* its first member */
			}
			x->at++; /* {} or [] */
		} else if (!lex_scalar(x, k))
			return false;
		x->t[k].next = (uint32_t)x->nt;
		if (!lex_after(x, open, seen, &depth, &ok))
			return ok;
	}
}

/* The reader: the record being read, its values, and the first problem found (later ones are
 * ignored). */
typedef struct reader {
	gw_doc *d;
	gw_buf *err;
	int bad;
	const unsigned char *s;
	jt *t;
	const uint32_t *ints; /* a packed offset map's values (lex_map) */
	json_t *ids;    /* node id → index */
	gw_buf tmp[2]; /* strings the model copies (str_tmp) */
} reader;

static void
bad(reader *r, const char *what)
{
	if (!r->bad)
		gw_buf_printf(r->err, "%s", what);
	r->bad = 1;
}

static char *
jstr(const reader *r, size_t v)
{
	return jt_string(r->s, &r->t[v]);
}

static inline bool
key_is(const reader *r, size_t k, const char *key, size_t n)
{
	char *s;
	bool same;

	if (!r->t[k].esc) {
		/* a byte at a time, not memcmp: a key has some six bytes (issue 14) */
		const unsigned char *p = r->s + r->t[k].at;

		if (r->t[k].len != n)
			return false;
		for (size_t i = 0; i < n; i++)
			if (p[i] != (unsigned char)key[i])
				return false;
		return true;
	}
	s = jstr(r, k);
	same = strcmp(s, key) == 0;
	free(s);
	return same;
}

/* Member key of object o (0: none, or o is none or not an object); the last of a key given
 * twice, as in a Jansson object.  When no two keys hash alike, the one key is looked for from the
 * one after the key found last, around: the reader asks for them mostly in the order written. */
static size_t
jgetn(const reader *r, size_t o, const char *key, size_t n)
{
	jt *t = r->t;
	size_t found = 0, k = o + 1;

	if (t[o].type != JT_OBJ)
		return 0;
	if (t[o].twice) {
		uint32_t h = hash(key, n, n);

		for (size_t i = 0; i < t[o].n; i++, k = t[k + 1].next)
			if (t[k].n == h && key_is(r, k, key, n))
				found = k + 1;
		return found;
	}
	if (t[o].v.i > 0)
		k = (size_t)t[o].v.i;
	for (size_t i = 0; i < t[o].n; i++, k = t[k + 1].next) {
		if (k >= t[o].next) /* past the last member */
			k = o + 1;
		if (key_is(r, k, key, n)) {
			t[o].v.i = t[k + 1].next;
			return k + 1;
		}
	}
	return 0;
}

/* jgetn with the key's length, known when key is a literal (some 85,000 strlen a pass of gw-emit);
 * always inline, or GCC keeps it out of line and the strlen with it (70,000 calls) */
static inline __attribute__((always_inline)) size_t
jget(const reader *r, size_t o, const char *key)
{
	return jgetn(r, o, key, strlen(key));
}

/* The elements of array a: for (e = jfirst(a), i = 0; i < t[a].n; e = t[e].next, i++). */
#define JT_EACH(r, a, i, e) for (size_t i = 0, e = (a) + 1; i < (r)->t[a].n; i++, e = (r)->t[e].next)

static bool
jnull(const reader *r, size_t v)
{
	return v == 0 || r->t[v].type == JT_NULL;
}

static void
bad_type(reader *r, const char *key, const char *what)
{
	gw_buf b = GW_BUF_INIT;

	gw_buf_printf(&b, "\"%s\" is not %s", key, what);
	bad(r, b.ptr);
	gw_buf_free(&b);
}

/* A string member or NULL; a member of another type than string or null is an error. */
/* The string at v (the value of key), NULL for none. */
static char *
str_at(reader *r, size_t v, const char *key)
{
	if (jnull(r, v))
		return NULL;
	if (r->t[v].type != JT_STR) {
		bad_type(r, key, "a string");
		return NULL;
	}
	return jstr(r, v);
}

/* The string at v as str_at reads it, in r->tmp[slot] until the slot is used again: a node has
 * three strings that the model copies, and they are not allocated (issue 14). */
static const char *
str_tmp(reader *r, size_t v, const char *key, int slot)
{
	gw_buf *b = &r->tmp[slot];

	if (jnull(r, v))
		return NULL;
	if (r->t[v].type != JT_STR) {
		bad_type(r, key, "a string");
		return NULL;
	}
	b->len = 0;
	if (r->t[v].esc)
		jt_unescape(r->s, &r->t[v], b);
	else
		gw_buf_put(b, r->s + r->t[v].at, r->t[v].len);
	return b->ptr;
}

/* The string at v as str_at reads it, copied into the document's arena (gw_doc_strndup), not
 * allocated: the node ids and a quantity's strings, some 25,000 a pass of gw-emit (issue 14). */
static char *
str_kept(reader *r, size_t v, const char *key)
{
	const char *s;

	/* without a backslash, the bytes between the quotes are the value: copied once, not
	 * through r->tmp (issue 14) */
	if (v != 0 && r->t[v].type == JT_STR && !r->t[v].esc)
		return gw_doc_strndup(r->d, (const char *)r->s + r->t[v].at, r->t[v].len);
	s = str_tmp(r, v, key, 1);
	return s ? gw_doc_strndup(r->d, s, r->tmp[1].len) : NULL;
}

static char *
get_kept(reader *r, size_t o, const char *key)
{
	return str_kept(r, jget(r, o, key), key);
}

static char *
get_str(reader *r, size_t o, const char *key)
{
	return str_at(r, jget(r, o, key), key);
}

static bool
int_at(reader *r, size_t v, const char *key, long long *out)
{
	if (jnull(r, v))
		return false;
	if (r->t[v].type != JT_INT) {
		bad_type(r, key, "an integer");
		return false;
	}
	*out = r->t[v].v.i;
	return true;
}

static bool
get_int(reader *r, size_t o, const char *key, long long *out)
{
	return int_at(r, jget(r, o, key), key, out);
}

static bool
get_num(reader *r, size_t o, const char *key, double *out)
{
	size_t v = jget(r, o, key);

	if (jnull(r, v))
		return false;
	if (r->t[v].type != JT_INT && r->t[v].type != JT_REAL) {
		bad(r, "a quantity's value, min or max is not a number");
		return false;
	}
	*out = r->t[v].type == JT_INT ? (double)r->t[v].v.i : r->t[v].v.r;
	return true;
}

static gw_span
span_at(reader *r, size_t v)
{
	size_t a = v + 1;
	long long x, y;

	if (jnull(r, v))
		return GW_NOSPAN;
	if (r->t[v].type != JT_ARR || r->t[v].n != 2 || r->t[a].type != JT_INT ||
	    r->t[r->t[a].next].type != JT_INT) {
		bad(r, "a span is not [start, end]");
		return GW_NOSPAN;
	}
	x = r->t[a].v.i;
	y = r->t[r->t[a].next].v.i;
	if (x < 0 || y < x || (size_t)y > r->d->ncp) {
		bad(r, "a span lies outside the text");
		return GW_NOSPAN;
	}
	return (gw_span){(int32_t)x, (int32_t)y};
}

static gw_span
get_span(reader *r, size_t o, const char *key)
{
	return span_at(r, jget(r, o, key));
}

/* An array (type JT_ARR) or object member, or 0 when it is absent or null. */
static size_t
typed_at(reader *r, size_t v, const char *key, int type)
{
	if (jnull(r, v))
		return 0;
	if (r->t[v].type != type) {
		bad_type(r, key, type == JT_ARR ? "an array" : "an object");
		return 0;
	}
	return v;
}

static size_t
get_typed(reader *r, size_t o, const char *key, int type)
{
	return typed_at(r, jget(r, o, key), key, type);
}

static size_t
get_array(reader *r, size_t o, const char *key)
{
	return get_typed(r, o, key, JT_ARR);
}

static size_t
get_object(reader *r, size_t o, const char *key)
{
	return get_typed(r, o, key, JT_OBJ);
}

/* A sha256 into dst[65], then free s.  Cut short, anything else could end mid-character (fuzz_jsonl). */
static void
get_hex64(reader *r, char *s, char *dst, const char *what)
{
	if (strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64)
		memcpy(dst, s, 65);
	else if (!r->bad) {
		gw_buf_printf(r->err, "%s is not 64 lowercase hex digits", what);
		r->bad = 1;
	}
	free(s);
}

/* The metadata in the order of the keys' first places, each with its last value (as Jansson
 * keeps a key given twice); values that are not strings are left out. */
static void
read_meta(reader *r, size_t meta)
{
	size_t k = meta + 1;

	for (size_t i = 0; i < r->t[meta].n; i++, k = r->t[k + 1].next) {
		char *key = jstr(r, k), *value;
		size_t e = meta + 1, v;

		for (size_t j = 0; j < i && !key_is(r, e, key, strlen(key)); j++)
			e = r->t[e + 1].next;
		if (e == k && r->t[v = jget(r, meta, key)].type == JT_STR) {
			value = jstr(r, v);
			gw_doc_meta_add(r->d, key, value);
			free(value);
		}
		free(key);
	}
}

static void
read_source(reader *r, size_t src)
{
	gw_doc *d = r->d;
	char *sha;
	long long n;
	size_t meta;

	if (src == 0)
		return;
	d->src_path = get_str(r, src, "path");
	d->encoding = get_str(r, src, "encoding");
	if ((sha = get_str(r, src, "sha256")) != NULL)
		get_hex64(r, sha, d->src_sha256, "source.sha256");
	if (get_int(r, src, "bytes", &n) && n >= 0)
		d->src_bytes = (uint64_t)n;
	if ((meta = get_object(r, src, "metadata")) != 0)
		read_meta(r, meta);
}

/* read_map of a packed map (lex_map), whose n values are runs of five already. */
static void
read_packed_map(reader *r, size_t a)
{
	gw_doc *d = r->d;
	const uint32_t *v = r->ints + r->t[a].v.i;
	size_t n = r->t[a].n;

	for (size_t i = 0; i < n; i += 5, v += 5) {
		if ((i > 0 && v[0] <= d->runs[d->nruns - 1].cp) || v[0] >= d->ncp) {
			bad(r, "offset_map runs are out of order or past the text");
			return;
		}
		d->runs[d->nruns++] = (gw_run){v[0], v[1], v[2], v[3], v[4]};
	}
	d->nmapped = d->nruns ? d->ncp : 0;
	d->map_json = gw_xrealloc(d->map_json, r->t[a].len);
	memcpy(d->map_json, r->s + r->t[a].at, r->t[a].len);
	d->map_json_len = r->t[a].len;
}

static void
read_map(reader *r, size_t a)
{
	gw_doc *d = r->d;
	size_t n = r->t[a].n, e = a + 1;

	if (n % 5 != 0) {
		bad(r, "offset_map is not a list of 5-tuples");
		return;
	}
	if (n / 5 > GW_LIMIT_RUNS) { /* what gw-normalize can write */
		bad(r, "more than " GW_STR(GW_LIMIT_RUNS) " offset map runs");
		return;
	}
	gw_grow((void **)&d->runs, &d->capruns, n / 5, sizeof *d->runs);
	if (r->t[a].esc) { /* packed (lex_map): integers in range, the writer's own bytes */
		read_packed_map(r, a);
		return;
	}
	for (size_t i = 0; i < n; i += 5, e += 5) {
		const jt *v = &r->t[e]; /* an integer is its own next */

		/* a negative value is past UINT32_MAX as unsigned: one comparison (issue 14) */
		for (int k = 0; k < 5; k++)
			if (v[k].type != JT_INT || (unsigned long long)v[k].v.i > UINT32_MAX) {
				bad(r, "offset_map holds a value that is not a small integer");
				return;
			}
		if ((i > 0 && (uint32_t)v[0].v.i <= d->runs[d->nruns - 1].cp) || (size_t)v[0].v.i >= d->ncp) {
			bad(r, "offset_map runs are out of order or past the text");
			return;
		}
		d->runs[d->nruns++] = (gw_run){(uint32_t)v[0].v.i, (uint32_t)v[1].v.i, (uint32_t)v[2].v.i,
		                               (uint32_t)v[3].v.i, (uint32_t)v[4].v.i};
	}
	d->nmapped = d->nruns ? d->ncp : 0;
}

static void
read_removed(reader *r, size_t a)
{
	JT_EACH(r, a, i, e) {
		size_t ss = jget(r, e, "source_span");
		char *kind = get_str(r, e, "kind"), *text = get_str(r, e, "text");

		if (r->t[ss].type == JT_ARR && r->t[ss].n == 2) {
			const jt *x = &r->t[ss + 1], *y = &r->t[x->next];

			/* json_integer_value: 0 for what is not an integer */
			gw_doc_removed_add(r->d, kind ? kind : "", x->type == JT_INT ? (uint32_t)x->v.i : 0,
			                   y->type == JT_INT ? (uint32_t)y->v.i : 0, text ? text : "",
			                   text ? strlen(text) : 0);
		}
		free(kind);
		free(text);
	}
}

static void
read_list(reader *r, size_t a, gw_strlist *l)
{
	JT_EACH(r, a, i, e) {
		char *s;

		if (r->t[e].type != JT_STR) {
			bad(r, "a header list holds something other than strings");
			return;
		}
		s = jstr(r, e);
		gw_strlist_add(l, s, strlen(s), GW_NOSPAN);
		free(s);
	}
}

static void
read_doc_number(reader *r, size_t dn)
{
	gw_header *hd = &r->d->header;
	long long y;

	hd->agency_code = get_str(r, dn, "agency_code");
	hd->serial = get_str(r, dn, "serial");
	if (get_int(r, dn, "year", &y))
		hd->year = (int)y;
}

/* One field, its parsed form and its span: the way write_field wrote them. */
static void
read_field(reader *r, size_t h, size_t spans, enum gw_hfield f)
{
	const char *name = gw_hfield_name(f);
	gw_strlist *l = gw_header_list(&r->d->header, f);
	size_t dn = 0;
	char key[64], *s = NULL;
	gw_span sp = GW_NOSPAN;

	snprintf(key, sizeof key, "%s_text", name);
	switch (hf[f].kind) {
	case GW_HK_TEXT:
		s = get_str(r, h, name);
		break;
	case GW_HK_NUMBER:
		if ((dn = get_object(r, h, name)) != 0)
			s = get_str(r, dn, "text");
		break;
	case GW_HK_LIST:
		s = get_str(r, h, key);
		read_list(r, get_array(r, h, name), l);
		break;
	case GW_HK_DATE:
		s = get_str(r, h, key);
		*gw_header_iso(&r->d->header, f) = get_str(r, h, name);
		break;
	}
	/* 主送/抄送 come back from a record as the list and the line's span, without the text */
	if (spans && (s || (l && l->n)))
		sp = get_span(r, spans, name);
	if (s)
		gw_header_set(r->d, f, s, (size_t)-1, sp);
	else
		r->d->header.f[f].span = sp;
	free(s);
	if (dn)
		read_doc_number(r, dn);
}

static void
read_header(reader *r, size_t h)
{
	size_t spans;
	int order[GW_NHFIELDS];

	if (h == 0)
		return;
	spans = get_object(r, h, "spans");
	header_order(order);
	for (int i = 0; i < GW_NHFIELDS; i++)
		read_field(r, h, spans, order[i]);
}

/* A node's keys in the order write_node writes them. */
static const char *const node_keys[8] = {"id", "kind", "num", "ordinal", "heading", "span", "heading_span", "children"};

static void
read_nodes(reader *r, size_t a, int part, int parent, int depth)
{
	if (a == 0)
		return;
	if (depth > GW_LIMIT_DEPTH) {
		bad(r, "nodes nest deeper than " GW_STR(GW_LIMIT_DEPTH) " levels");
		return;
	}
	if (r->d->nnodes + r->t[a].n > GW_LIMIT_NODES) { /* what gw-segment can write */
		bad(r, "more than " GW_STR(GW_LIMIT_NODES) " nodes");
		return;
	}
	JT_EACH(r, a, i, e) {
		char *id;
		const char *num, *heading, *kindname;
		long long ord = 0;
		int kind, k;
		size_t v[8];

		if (r->t[e].type != JT_OBJ) {
			bad(r, "a node is not an object");
			return;
		}
		/* looked for in the order they are written (jget goes on from the last key found), then
		 * taken in the order whose first problem is the one reported */
		for (int f = 0; f < 8; f++)
			v[f] = jget(r, e, node_keys[f]);
		kindname = str_tmp(r, v[1], "kind", 0);
		kind = kindname ? gw_kind_from_name(kindname) : -1;
		if (kind < 0) {
			bad(r, "a node has no known kind");
			return;
		}
		id = str_kept(r, v[0], "id");
		num = str_tmp(r, v[2], "num", 0);
		heading = str_tmp(r, v[4], "heading", 1);
		int_at(r, v[3], "ordinal", &ord);
		k = gw_doc_add_node(r->d, (enum gw_kind)kind, part, parent, num, (long)ord, heading,
		                    span_at(r, v[5]), span_at(r, v[6]));
		r->d->nodes[k].id = id;
		read_nodes(r, typed_at(r, v[7], "children", JT_ARR), part, k, depth + 1);
		if (r->bad)
			return;
	}
}

static void
read_attachments(reader *r, size_t a)
{
	JT_EACH(r, a, i, e) {
		char *title;
		int part;

		if (r->t[e].type != JT_OBJ) {
			bad(r, "an attachment is not an object");
			return;
		}
		title = get_str(r, e, "title");
		part = gw_doc_add_attachment(r->d, title, get_span(r, e, "title_span"), get_span(r, e, "span"));
		free(title);
		read_nodes(r, get_array(r, e, "body"), part, -1, 0);
	}
}

/* The index of each node id (the last node of an id), made when a quantity first names one:
 * the records before gw-extract have no quantity. */
static json_t *
node_ids(reader *r)
{
	if (r->ids == NULL) {
		r->ids = json_object();
		for (size_t k = 0; k < r->d->nnodes; k++)
			if (r->d->nodes[k].id)
				json_object_set_new(r->ids, r->d->nodes[k].id, json_integer((json_int_t)k));
	}
	return r->ids;
}

static void
read_quantity(reader *r, size_t e)
{
	gw_quantity *q = gw_doc_add_quantity(r->d);
	size_t id = jget(r, e, "id"); /* first, as written: jget goes on from the last key found */
	const char *node = str_tmp(r, jget(r, e, "node"), "node", 0), *s;

	q->id = str_kept(r, id, "id");
	if (node) {
		json_t *k = json_object_get(node_ids(r), node);

		if (k == NULL)
			bad(r, "a quantity names a node that does not exist");
		else
			q->node = (int)json_integer_value(k);
	}
	q->text = get_kept(r, e, "text");
	q->span = get_span(r, e, "span");
	q->has_value = get_num(r, e, "value", &q->value);
	q->has_min = get_num(r, e, "min", &q->min);
	q->has_max = get_num(r, e, "max", &q->max);
	q->unit = get_kept(r, e, "unit");
	if ((s = str_tmp(r, jget(r, e, "comparator"), "comparator", 0)) != NULL) {
		int c = gw_cmp_from_name(s);

		if (c < 0)
			bad(r, "a quantity has an unknown comparator");
		q->cmp = c < 0 ? GW_CMP_EQ : (enum gw_cmp)c;
	}
	if ((s = str_tmp(r, jget(r, e, "kind"), "kind", 0)) != NULL) {
		int k = gw_qkind_from_name(s);

		if (k < 0)
			bad(r, "a quantity has an unknown kind");
		q->kind = k < 0 ? GW_Q_OTHER : (enum gw_qkind)k;
	}
	q->subject = get_kept(r, e, "subject");
	q->verb = get_kept(r, e, "verb");
	q->rule = get_kept(r, e, "rule");
}

static void
read_quantities(reader *r, size_t a, size_t rej)
{
	if (r->t[a].n > GW_LIMIT_QUANTITIES || r->t[rej].n > GW_LIMIT_QUANTITIES) {
		bad(r, "more than " GW_STR(GW_LIMIT_QUANTITIES) " quantities or rejected candidates");
		return;
	}
	JT_EACH(r, a, i, e) {
		if (r->t[e].type != JT_OBJ) {
			bad(r, "a quantity is not an object");
			return;
		}
		read_quantity(r, e);
	}
	JT_EACH(r, rej, i, e) {
		char *text = get_str(r, e, "text");
		size_t span = jget(r, e, "span"); /* looked for where it is written, checked last */
		char *reason = get_str(r, e, "reason"), *rule = get_str(r, e, "rule");

		gw_doc_add_rejected(r->d, text ? text : "", text ? strlen(text) : 0, span_at(r, span),
		                    reason ? reason : "", rule);
		free(text), free(reason), free(rule);
	}
}

static void
read_warnings(reader *r, size_t a)
{
	JT_EACH(r, a, i, e) {
		char *code = get_str(r, e, "code"), *detail = get_str(r, e, "detail");
		long long line = 0, col = 0;
		int c = code ? gw_code_from_name(code) : -1;

		get_int(r, e, "line", &line);
		get_int(r, e, "col", &col);
		if (c >= 0) {
			if (detail)
				gw_doc_diag_at(r->d, (enum gw_code)c, (long)line, (long)col, "%s", detail);
			else
				gw_doc_diag_at(r->d, (enum gw_code)c, (long)line, (long)col, NULL);
			r->d->diags[r->d->ndiags - 1].span = get_span(r, e, "span");
		}
		free(code);
		free(detail);
	}
}

static void
read_stages(reader *r, size_t a)
{
	static const char *const names[] = {"normalize", "segment", "extract"};
	static const unsigned bits[] = {GW_ST_NORMALIZED, GW_ST_SEGMENTED, GW_ST_EXTRACTED};

	JT_EACH(r, a, i, e) {
		for (int k = 0; k < 3; k++)
			if (r->t[e].type == JT_STR && key_is(r, e, names[k], strlen(names[k])))
				r->d->stages |= bits[k];
	}
}

static void
read_record(reader *r, size_t o)
{
	gw_doc *d = r->d;
	size_t v, gen;
	char *s;

	read_source(r, get_object(r, o, "source"));
	if ((v = get_object(r, o, "error")) != 0) {
		char *code = get_str(r, v, "code");
		int c = code ? gw_code_from_name(code) : -1;

		d->error = c >= 0 ? c : GW_E_BAD_RECORD;
		d->error_msg = get_str(r, v, "message");
		if (d->error_msg == NULL)
			d->error_msg = gw_xstrdup(gw_code_message((enum gw_code)d->error));
		free(code);
		return;
	}
	/* the text's length is known from its bytes: no strlen over it (issue 14) */
	v = jget(r, o, "text");
	if (!jnull(r, v) && r->t[v].type == JT_STR) {
		size_t len;

		s = jt_string_len(r->s, &r->t[v], &len);
		gw_doc_set_text(d, s, len);
	} else {
		if (!jnull(r, v))
			bad_type(r, "text", "a string");
		bad(r, "the record has no \"text\"");
		return;
	}
	if ((gen = get_object(r, o, "generator")) != 0 && (s = get_str(r, gen, "rules")) != NULL)
		get_hex64(r, s, d->rules_digest, "generator.rules");
	read_stages(r, get_array(r, o, "stages"));
	read_removed(r, get_array(r, o, "removed"));
	read_map(r, get_array(r, o, "offset_map"));
	v = jget(r, o, "is_notice");
	d->is_notice = r->t[v].type == JT_TRUE ? 1 : r->t[v].type == JT_FALSE ? 0 : -1;
	read_header(r, get_object(r, o, "header"));
	read_nodes(r, get_array(r, o, "body"), 0, -1, 0);
	read_attachments(r, get_array(r, o, "attachments"));
	read_quantities(r, get_array(r, o, "quantities"), get_array(r, o, "rejected"));
	read_warnings(r, get_array(r, o, "warnings"));
}

/* Jansson's message for bytes that are not JSON (it parses them again). */
static void
syntax_error(const char *line, size_t len, size_t at, gw_buf *err)
{
	json_error_t je;
	json_t *o = json_loadb(line, len, 0, &je);

	if (o == NULL)
		gw_buf_printf(err, "column %d: %s", je.column, je.text);
	else /* never, as long as both read the same JSON */
		gw_buf_printf(err, "byte %zu: not JSON as gongwen reads it", at + 1);
	json_decref(o);
}

gw_doc *
gw_json_read(const char *line, size_t len, gw_buf *err)
{
	lexer x = {(const unsigned char *)line, len, 0, NULL, 0, 0, NULL, 0, 0};
	reader r = {0};

	if (len >= UINT32_MAX) {
		gw_buf_puts(err, "a record of 4 GiB or more");
		return NULL;
	}
	if (!lex_record(&x)) {
		syntax_error(line, len, x.at, err);
		free(x.t);
		free(x.ints);
		return NULL;
	}
	if (x.t[1].type != JT_OBJ) {
		gw_buf_puts(err, "the record is not a JSON object");
		free(x.t);
		free(x.ints);
		return NULL;
	}
	r = (reader){gw_doc_new(), err, 0, x.s, x.t, x.ints, NULL, {GW_BUF_INIT, GW_BUF_INIT}};
	r.d->id = get_str(&r, 1, "id");
	if (!r.bad)
		read_record(&r, 1);
	json_decref(r.ids);
	gw_buf_free(&r.tmp[0]);
	gw_buf_free(&r.tmp[1]);
	free(x.t);
	free(x.ints);
	if (r.d->id == NULL && !r.bad)
		r.d->id = r.d->src_path ? gw_path_stem(r.d->src_path) : NULL;
	if (r.d->id == NULL && !r.bad)
		bad(&r, "the record has neither \"id\" nor \"source\".\"path\"");
	if (!r.bad && !r.d->error && gw_doc_validate(r.d, err) < 0)
		r.bad = 1;
	if (r.bad) {
		gw_doc_free(r.d);
		return NULL;
	}
	return r.d;
}
