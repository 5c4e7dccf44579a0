/* json.c — the record stream: one document as JSON, written in one pass and read back losslessly
 * with Jansson. */
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---------------------------------------------------------------- the arena
 * Building and freeing a Jansson tree is one malloc and one free per value: most of the cost of
 * reading a record.  While a record is read, Jansson allocates from a per-thread arena
 * instead, and the whole tree goes at once when the record is done.  Outside that scope, and for
 * pointers that are not the arena's, the allocator is plain malloc and free. */

#define ARENA_CHUNK (1u << 20)
#define ARENA_CHUNK_MAX (64u << 20) /* chunks double up to this, so a big record has few of them */
#define ARENA_KEEP (8u << 20) /* chunks past this much are given back after each record */

typedef struct chunk {
	struct chunk *next;
	size_t used, cap;
	max_align_t data[];
} chunk;

static _Thread_local chunk *tl_chunks; /* the current chunk first */
static _Thread_local int tl_scope;
static pthread_key_t arena_key; /* holds tl_chunks, so that a thread's chunks go when it ends */

static void *
arena_malloc(size_t n)
{
	chunk *c = tl_chunks;

	if (!tl_scope)
		return malloc(n);
	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (c == NULL || c->cap - c->used < n) {
		/* doubling keeps arena_free's walk over the chunks short (issue 6) */
		size_t cap = c == NULL                        ? ARENA_CHUNK
		             : c->cap < ARENA_CHUNK_MAX / 2 ? 2 * c->cap
		                                            : ARENA_CHUNK_MAX;

		if (cap < n)
			cap = n;
		c = malloc(sizeof *c + cap);
		if (c == NULL)
			return NULL;
		c->used = 0;
		c->cap = cap;
		c->next = tl_chunks;
		tl_chunks = c;
		pthread_setspecific(arena_key, c);
	}
	c->used += n;
	return (char *)c->data + c->used - n;
}

static void
arena_free(void *p)
{
	for (chunk *c = tl_chunks; c; c = c->next)
		if ((char *)p >= (char *)c->data && (char *)p < (char *)c->data + c->cap)
			return; /* goes with the arena */
	free(p);
}

static pthread_once_t arena_once = PTHREAD_ONCE_INIT;

/* A worker thread ends: give its chunks back (they leaked, one per thread, before). */
static void
arena_release(void *p)
{
	for (chunk *c = p, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	tl_chunks = NULL;
}

static void
arena_install(void)
{
	pthread_key_create(&arena_key, arena_release);
	json_set_alloc_funcs(arena_malloc, arena_free);
}

static void
arena_enter(void)
{
	pthread_once(&arena_once, arena_install);
	tl_scope++;
}

/* Leave the scope; at the outermost level every arena allocation is released. */
static void
arena_leave(void)
{
	size_t kept = 0;
	chunk **cp = &tl_chunks;

	if (--tl_scope > 0)
		return;
	while (*cp) {
		chunk *c = *cp;

		c->used = 0;
		if (kept + c->cap > ARENA_KEEP) {
			*cp = c->next;
			free(c);
			continue;
		}
		kept += c->cap;
		cp = &c->next;
	}
	pthread_setspecific(arena_key, tl_chunks);
}

/* ---------------------------------------------------------------- writing
 * The record is written in one pass from the model into the output buffer, the bytes Jansson's
 * compact dump gave (JSON_COMPACT, JSON_REAL_PRECISION(15), keys in insertion order), or with
 * the indentation the pretty files had: every value is followed by a comma, and a closing bracket
 * takes the place of the last one.  The round-trip tests read each record back with Jansson. */

/* The writer: the output and, for pretty records, where it is in them.  Pretty is two spaces a
 * level, one member a line, arrays of scalars on one line ([1, 2]), {} and [] when empty. */
typedef struct jw {
	gw_buf *b;
	bool pretty;
	unsigned char *st; /* per open object or array: J_ARRAY, J_SOME, J_FLAT */
	size_t depth, capst;
} jw;

enum { J_ARRAY = 1, J_SOME = 2, J_FLAT = 4 };

/* A line break and the indentation of depth, the spaces eight at a time (room for them all). */
static void
newline(jw *w, size_t depth)
{
	size_t n = 2 * depth;
	char *p = gw_buf_room(w->b, n + 9);

	*p = '\n';
	for (size_t i = 0; i < n; i += 8)
		memcpy(p + 1 + i, "        ", 8);
	gw_buf_wrote(w->b, n + 1);
}

/* A value starts (container: an object or array); in a pretty array, after its line break or
 * the space of a one-line array.  The comma before it is already written. */
static inline void
elem(jw *w, bool container)
{
	unsigned char *t;

	if (!w->pretty || w->depth == 0 || !(*(t = &w->st[w->depth - 1]) & J_ARRAY))
		return;
	if (!(*t & J_SOME))
		*t |= J_SOME | (container ? 0 : J_FLAT);
	else if (*t & J_FLAT) {
		gw_buf_addc(w->b, ' ');
		return;
	}
	if (!(*t & J_FLAT))
		newline(w, w->depth);
}

/* The length of the longest prefix of s[0..n) that a JSON string holds as it is: no '"', '\\'
 * or C0 control.  Eight bytes at a time: a byte below 0x20, or one equal to '"' or '\\' after
 * the XOR, is the one whose subtraction borrows into its top bit (and ~x drops bytes >= 0x80). */
static inline size_t
plain_run(const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, top = 0x8080808080808080ULL;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t x;

		memcpy(&x, s + i, 8);
		if ((((x - 0x20 * ones) | ((x ^ '"' * ones) - ones) | ((x ^ '\\' * ones) - ones)) & ~x &
		     top) != 0)
			break;
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == '"' || c == '\\')
			break;
	}
	return i;
}

/* s[0..n) as a JSON string, escaped as Jansson escapes: " \\ and the C0 controls. */
static void
put_string(jw *w, const char *s, size_t n)
{
	static const char short_esc[32] = {['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r', ['\t'] = 't'};
	gw_buf *b = w->b;
	size_t i = 0, run = plain_run(s, n);
	char *p = gw_buf_room(b, run + 2);

	*p = '"';
	memcpy(p + 1, s, run);
	gw_buf_wrote(b, run + 1);
	while (run < n) { /* s[run] is escaped, then the plain bytes after it are copied */
		unsigned char c = (unsigned char)s[run];
		size_t k;

		i = run + 1;
		run = i + plain_run(s + i, n - i);
		p = gw_buf_room(b, 6 + run - i);
		if (c >= 0x20)
			k = 2, p[0] = '\\', p[1] = (char)c;
		else if (short_esc[c])
			k = 2, p[0] = '\\', p[1] = short_esc[c];
		else
			k = 6, memcpy(p, "\\u00", 4), p[4] = "0123456789ABCDEF"[c >> 4],
			p[5] = "0123456789ABCDEF"[c & 15];
		memcpy(p + k, s + i, run - i);
		gw_buf_wrote(b, k + run - i);
	}
	gw_buf_addc(b, '"');
}

static void
put_jstrn(jw *w, const char *s, size_t n)
{
	char *p;

	elem(w, false);
	if (plain_run(s, n) < n) {
		put_string(w, s, n);
		gw_buf_addc(w->b, ',');
		return;
	}
	p = gw_buf_room(w->b, n + 3); /* the common case: nothing to escape */
	p[0] = '"';
	memcpy(p + 1, s, n);
	memcpy(p + 1 + n, "\",", 2);
	gw_buf_wrote(w->b, n + 3);
}

static void
put_raw(jw *w, const char *s)
{
	elem(w, false);
	gw_buf_adds(w->b, s);
	gw_buf_addc(w->b, ',');
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
	size_t ind = w->pretty ? 2 * w->depth : 0;
	char *p = gw_buf_room(w->b, ind + n + 13);
	size_t at = 0;

	if (w->pretty) {
		w->st[w->depth - 1] |= J_SOME;
		p[at++] = '\n';
		for (size_t i = 0; i < ind; i += 8)
			memcpy(p + at + i, "        ", 8);
		at += ind;
	}
	p[at++] = '"';
	memcpy(p + at, k, n);
	at += n;
	memcpy(p + at, "\": ", 3);
	gw_buf_wrote(w->b, at + (w->pretty ? 3 : 2));
}

static inline void
put_key(jw *w, const char *k)
{
	put_keyn(w, k, strlen(k));
}

/* A key from the document (a metadata key): escaped. */
static void
put_key_escaped(jw *w, const char *k)
{
	if (w->pretty) {
		w->st[w->depth - 1] |= J_SOME;
		newline(w, w->depth);
	}
	put_string(w, k, strlen(k));
	gw_buf_add(w->b, ": ", w->pretty ? 2 : 1);
}

static void
put_int(jw *w, long long v)
{
	char *p;
	size_t n;

	elem(w, false);
	p = gw_buf_room(w->b, 25);
	n = gw_fmt_int(p, v);
	p[n] = ',';
	gw_buf_wrote(w->b, n + 1);
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
static void
put_open(jw *w, char c)
{
	elem(w, true);
	gw_buf_addc(w->b, c);
	if (w->pretty) {
		gw_grow((void **)&w->st, &w->capst, w->depth + 1, 1);
		w->st[w->depth] = c == '[' ? J_ARRAY : 0;
	}
	w->depth++;
}

static void
put_close(jw *w, char c)
{
	gw_buf *b = w->b;
	unsigned char t = w->pretty ? w->st[w->depth - 1] : 0;

	w->depth--;
	if (b->ptr[b->len - 1] == ',')
		b->len--;
	if ((t & J_SOME) && !(t & J_FLAT))
		newline(w, w->depth);
	gw_buf_addc(b, c);
	gw_buf_addc(b, ',');
}

static void
put_pair(jw *w, long long x, long long y)
{
	char *p;
	size_t n;

	elem(w, true);
	p = gw_buf_room(w->b, 52);
	p[0] = '[';
	n = 1 + gw_fmt_int(p + 1, x);
	p[n++] = ',';
	if (w->pretty)
		p[n++] = ' ';
	n += gw_fmt_int(p + n, y);
	memcpy(p + n, "],", 2);
	gw_buf_wrote(w->b, n + 2);
}

static void
put_span(jw *w, gw_span s)
{
	if (s.start < 0)
		put_raw(w, "null");
	else
		put_pair(w, s.start, s.end);
}

static void
put_src(jw *w, const gw_doc *d, gw_span s)
{
	uint32_t x, y;

	if (gw_doc_src_range(d, s, &x, &y))
		put_pair(w, x, y);
	else
		put_raw(w, "null");
}

/* gw_json_number's bytes. */
static void
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
	put_key(w, "name"), put_jstr(w, "gongwen");
	put_key(w, "version"), put_jstr(w, GW_VERSION);
	put_key(w, "rules"), put_jstr(w, d->rules_digest[0] ? d->rules_digest : NULL);
	put_close(w, '}');
}

static void
write_stages(jw *w, const gw_doc *d)
{
	put_open(w, '[');
	if (d->stages & GW_ST_NORMALIZED)
		put_jstr(w, "normalize");
	if (d->stages & GW_ST_SEGMENTED)
		put_jstr(w, "segment");
	if (d->stages & GW_ST_EXTRACTED)
		put_jstr(w, "extract");
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

/* Five integers a run, on one line when pretty: the first value as any other, the rest after it. */
static void
write_map(jw *w, const gw_doc *d)
{
	put_open(w, '[');
	for (size_t i = 0; i < d->nruns; i++) {
		const gw_run *r = &d->runs[i];
		uint32_t v[5] = {r->cp, r->src, r->width, r->line, r->col};
		char *p;
		size_t n = 0;

		elem(w, false);
		p = gw_buf_room(w->b, 5 * 12);
		for (int k = 0; k < 5; k++) {
			if (k > 0 && w->pretty)
				p[n++] = ' ';
			n += gw_fmt_int(p + n, v[k]);
			p[n++] = ',';
		}
		gw_buf_wrote(w->b, n);
	}
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
	put_key(w, "kind"), put_jstr(w, gw_kind_name(n->kind));
	put_key(w, "num"), put_jstr(w, n->num);
	put_key(w, "ordinal"), put_int(w, n->ordinal);
	put_key(w, "heading"), put_jstr(w, n->heading);
	put_key(w, "span"), put_span(w, n->span);
	put_key(w, "heading_span"), put_span(w, n->heading_span);
	put_key(w, "source_span"), put_src(w, d, n->span);
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
		put_key(w, "source_span"), put_src(w, d, t->span);
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
	put_key(w, "source_span"), put_src(w, d, q->span);
	put_key(w, "value"), put_number(w, q->has_value, q->value);
	put_key(w, "min"), put_number(w, q->has_min, q->min);
	put_key(w, "max"), put_number(w, q->has_max, q->max);
	put_key(w, "unit"), put_jstr(w, q->unit);
	put_key(w, "comparator"), put_jstr(w, gw_cmp_name(q->cmp));
	put_key(w, "kind"), put_jstr(w, gw_qkind_name(q->kind));
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
		put_key(w, "code"), put_jstr(w, gw_code_name(g->code));
		put_key(w, "level"), put_jstr(w, gw_level_name(gw_code_level(g->code)));
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
	put_key(w, "code"), put_jstr(w, gw_code_name(d->error));
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
	jw w = {out, (flags & GW_JSON_PRETTY) != 0, NULL, 0, 0};

	gw_buf_reserve(out, 3 * d->text_len + 16384); /* a record is about 2.5 times its text */
	put_open(&w, '{');
	put_key(&w, "schema"), put_jstr(&w, GW_SCHEMA);
	put_key(&w, "id"), put_jstr(&w, d->id);
	if (d->error)
		write_error(&w, d);
	else
		write_record(&w, d);
	put_close(&w, '}');
	out->ptr[out->len - 1] = '\n'; /* for the comma after the record */
	free(w.st);
}

/* ---------------------------------------------------------------- reading */

/* The reader: the record being read and the first problem found (later ones are ignored). */
typedef struct reader {
	gw_doc *d;
	gw_buf *err;
	int bad;
	json_t *ids; /* node id → index */
} reader;

static void
bad(reader *r, const char *what)
{
	if (!r->bad)
		gw_buf_printf(r->err, "%s", what);
	r->bad = 1;
}

/* A string member or NULL; a member of another type than string or null is an error. */
static char *
get_str(reader *r, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		gw_buf b = GW_BUF_INIT;

		gw_buf_printf(&b, "\"%s\" is not a string", key);
		bad(r, b.ptr);
		gw_buf_free(&b);
		return NULL;
	}
	return gw_xstrndup(json_string_value(v), json_string_length(v));
}

static bool
get_int(reader *r, json_t *o, const char *key, long long *out)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return false;
	if (!json_is_integer(v)) {
		gw_buf b = GW_BUF_INIT;

		gw_buf_printf(&b, "\"%s\" is not an integer", key);
		bad(r, b.ptr);
		gw_buf_free(&b);
		return false;
	}
	*out = json_integer_value(v);
	return true;
}

static bool
get_num(reader *r, json_t *o, const char *key, double *out)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return false;
	if (!json_is_number(v)) {
		bad(r, "a quantity's value, min or max is not a number");
		return false;
	}
	*out = json_number_value(v);
	return true;
}

static gw_span
get_span(reader *r, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	json_int_t a, b;

	if (v == NULL || json_is_null(v))
		return GW_NOSPAN;
	if (!json_is_array(v) || json_array_size(v) != 2 ||
	    !json_is_integer(json_array_get(v, 0)) || !json_is_integer(json_array_get(v, 1))) {
		bad(r, "a span is not [start, end]");
		return GW_NOSPAN;
	}
	a = json_integer_value(json_array_get(v, 0));
	b = json_integer_value(json_array_get(v, 1));
	if (a < 0 || b < a || (size_t)b > r->d->ncp) {
		bad(r, "a span lies outside the text");
		return GW_NOSPAN;
	}
	return (gw_span){(int32_t)a, (int32_t)b};
}

static json_t *
get_array(reader *r, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_array(v)) {
		gw_buf b = GW_BUF_INIT;

		gw_buf_printf(&b, "\"%s\" is not an array", key);
		bad(r, b.ptr);
		gw_buf_free(&b);
		return NULL;
	}
	return v;
}

static json_t *
get_object(reader *r, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_object(v)) {
		gw_buf b = GW_BUF_INIT;

		gw_buf_printf(&b, "\"%s\" is not an object", key);
		bad(r, b.ptr);
		gw_buf_free(&b);
		return NULL;
	}
	return v;
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

static void
read_source(reader *r, json_t *src)
{
	gw_doc *d = r->d;
	char *sha;
	long long n;
	json_t *meta, *v;
	const char *k;

	if (src == NULL)
		return;
	d->src_path = get_str(r, src, "path");
	d->encoding = get_str(r, src, "encoding");
	if ((sha = get_str(r, src, "sha256")) != NULL)
		get_hex64(r, sha, d->src_sha256, "source.sha256");
	if (get_int(r, src, "bytes", &n) && n >= 0)
		d->src_bytes = (uint64_t)n;
	if ((meta = get_object(r, src, "metadata")) != NULL)
		json_object_foreach(meta, k, v) {
			if (json_is_string(v))
				gw_doc_meta_add(d, k, json_string_value(v));
		}
}

static void
read_map(reader *r, json_t *a)
{
	gw_doc *d = r->d;
	size_t n = json_array_size(a);

	if (n % 5 != 0) {
		bad(r, "offset_map is not a list of 5-tuples");
		return;
	}
	if (n / 5 > GW_LIMIT_RUNS) { /* what gw-normalize can write */
		bad(r, "more than " GW_STR(GW_LIMIT_RUNS) " offset map runs");
		return;
	}
	for (size_t i = 0; i < n; i += 5) {
		json_int_t v[5];

		for (int k = 0; k < 5; k++) {
			json_t *e = json_array_get(a, i + (size_t)k);

			if (!json_is_integer(e) || json_integer_value(e) < 0 ||
			    json_integer_value(e) > UINT32_MAX) {
				bad(r, "offset_map holds a value that is not a small integer");
				return;
			}
			v[k] = json_integer_value(e);
		}
		if ((i > 0 && (uint32_t)v[0] <= d->runs[d->nruns - 1].cp) || (size_t)v[0] >= d->ncp) {
			bad(r, "offset_map runs are out of order or past the text");
			return;
		}
		gw_grow((void **)&d->runs, &d->capruns, d->nruns + 1, sizeof *d->runs);
		d->runs[d->nruns++] = (gw_run){(uint32_t)v[0], (uint32_t)v[1], (uint32_t)v[2],
		                               (uint32_t)v[3], (uint32_t)v[4]};
	}
	d->nmapped = d->nruns ? d->ncp : 0;
}

static void
read_removed(reader *r, json_t *a)
{
	size_t i;
	json_t *e;

	json_array_foreach(a, i, e) {
		json_t *ss = json_object_get(e, "source_span");
		char *kind = get_str(r, e, "kind"), *text = get_str(r, e, "text");

		if (json_is_array(ss) && json_array_size(ss) == 2)
			gw_doc_removed_add(r->d, kind ? kind : "", (uint32_t)json_integer_value(json_array_get(ss, 0)),
			                   (uint32_t)json_integer_value(json_array_get(ss, 1)), text ? text : "",
			                   text ? strlen(text) : 0);
		free(kind);
		free(text);
	}
}

static void
read_list(reader *r, json_t *a, gw_strlist *l)
{
	size_t i;
	json_t *e;

	if (a == NULL)
		return;
	json_array_foreach(a, i, e) {
		if (!json_is_string(e)) {
			bad(r, "a header list holds something other than strings");
			return;
		}
		gw_strlist_add(l, json_string_value(e), json_string_length(e), GW_NOSPAN);
	}
}

static void
read_doc_number(reader *r, json_t *dn)
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
read_field(reader *r, json_t *h, json_t *spans, enum gw_hfield f)
{
	const char *name = gw_hfield_name(f);
	gw_strlist *l = gw_header_list(&r->d->header, f);
	json_t *dn = NULL;
	char key[64], *s = NULL;
	gw_span sp = GW_NOSPAN;

	snprintf(key, sizeof key, "%s_text", name);
	switch (hf[f].kind) {
	case GW_HK_TEXT:
		s = get_str(r, h, name);
		break;
	case GW_HK_NUMBER:
		if ((dn = get_object(r, h, name)) != NULL)
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
read_header(reader *r, json_t *h)
{
	json_t *spans;
	int order[GW_NHFIELDS];

	if (h == NULL)
		return;
	spans = get_object(r, h, "spans");
	header_order(order);
	for (int i = 0; i < GW_NHFIELDS; i++)
		read_field(r, h, spans, order[i]);
}

static void
read_nodes(reader *r, json_t *a, int part, int parent, int depth)
{
	size_t i;
	json_t *e;

	if (a == NULL)
		return;
	if (depth > GW_LIMIT_DEPTH) {
		bad(r, "nodes nest deeper than " GW_STR(GW_LIMIT_DEPTH) " levels");
		return;
	}
	if (r->d->nnodes + json_array_size(a) > GW_LIMIT_NODES) { /* what gw-segment can write */
		bad(r, "more than " GW_STR(GW_LIMIT_NODES) " nodes");
		return;
	}
	json_array_foreach(a, i, e) {
		char *id, *num, *heading, *kindname;
		long long ord = 0;
		int kind, k;

		if (!json_is_object(e)) {
			bad(r, "a node is not an object");
			return;
		}
		kindname = get_str(r, e, "kind");
		kind = kindname ? gw_kind_from_name(kindname) : -1;
		free(kindname);
		if (kind < 0) {
			bad(r, "a node has no known kind");
			return;
		}
		id = get_str(r, e, "id");
		num = get_str(r, e, "num");
		heading = get_str(r, e, "heading");
		get_int(r, e, "ordinal", &ord);
		k = gw_doc_add_node(r->d, (enum gw_kind)kind, part, parent, num, (long)ord, heading,
		                    get_span(r, e, "span"), get_span(r, e, "heading_span"));
		r->d->nodes[k].id = id;
		if (id)
			json_object_set_new(r->ids, id, json_integer(k));
		free(num);
		free(heading);
		read_nodes(r, get_array(r, e, "children"), part, k, depth + 1);
		if (r->bad)
			return;
	}
}

static void
read_attachments(reader *r, json_t *a)
{
	size_t i;
	json_t *e;

	if (a == NULL)
		return;
	json_array_foreach(a, i, e) {
		char *title;
		int part;

		if (!json_is_object(e)) {
			bad(r, "an attachment is not an object");
			return;
		}
		title = get_str(r, e, "title");
		part = gw_doc_add_attachment(r->d, title, get_span(r, e, "title_span"), get_span(r, e, "span"));
		free(title);
		read_nodes(r, get_array(r, e, "body"), part, -1, 0);
	}
}

static void
read_quantity(reader *r, json_t *e)
{
	gw_quantity *q = gw_doc_add_quantity(r->d);
	char *node = get_str(r, e, "node"), *s;

	q->id = get_str(r, e, "id");
	if (node) {
		json_t *k = json_object_get(r->ids, node);

		if (k == NULL)
			bad(r, "a quantity names a node that does not exist");
		else
			q->node = (int)json_integer_value(k);
		free(node);
	}
	q->text = get_str(r, e, "text");
	q->span = get_span(r, e, "span");
	q->has_value = get_num(r, e, "value", &q->value);
	q->has_min = get_num(r, e, "min", &q->min);
	q->has_max = get_num(r, e, "max", &q->max);
	q->unit = get_str(r, e, "unit");
	if ((s = get_str(r, e, "comparator")) != NULL) {
		int c = gw_cmp_from_name(s);

		if (c < 0)
			bad(r, "a quantity has an unknown comparator");
		q->cmp = c < 0 ? GW_CMP_EQ : (enum gw_cmp)c;
		free(s);
	}
	if ((s = get_str(r, e, "kind")) != NULL) {
		int k = gw_qkind_from_name(s);

		if (k < 0)
			bad(r, "a quantity has an unknown kind");
		q->kind = k < 0 ? GW_Q_OTHER : (enum gw_qkind)k;
		free(s);
	}
	q->subject = get_str(r, e, "subject");
	q->verb = get_str(r, e, "verb");
	q->rule = get_str(r, e, "rule");
}

static void
read_quantities(reader *r, json_t *a, json_t *rej)
{
	size_t i;
	json_t *e;

	if (json_array_size(a) > GW_LIMIT_QUANTITIES || json_array_size(rej) > GW_LIMIT_QUANTITIES) {
		bad(r, "more than " GW_STR(GW_LIMIT_QUANTITIES) " quantities or rejected candidates");
		return;
	}
	if (a)
		json_array_foreach(a, i, e) {
			if (!json_is_object(e)) {
				bad(r, "a quantity is not an object");
				return;
			}
			read_quantity(r, e);
		}
	if (rej)
		json_array_foreach(rej, i, e) {
			char *text = get_str(r, e, "text"), *reason = get_str(r, e, "reason");
			char *rule = get_str(r, e, "rule");

			gw_doc_add_rejected(r->d, text ? text : "", text ? strlen(text) : 0,
			                    get_span(r, e, "span"), reason ? reason : "", rule);
			free(text), free(reason), free(rule);
		}
}

static void
read_warnings(reader *r, json_t *a)
{
	size_t i;
	json_t *e;

	if (a == NULL)
		return;
	json_array_foreach(a, i, e) {
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
read_stages(reader *r, json_t *a)
{
	size_t i;
	json_t *e;

	if (a == NULL)
		return;
	json_array_foreach(a, i, e) {
		const char *s = json_is_string(e) ? json_string_value(e) : "";

		if (strcmp(s, "normalize") == 0)
			r->d->stages |= GW_ST_NORMALIZED;
		else if (strcmp(s, "segment") == 0)
			r->d->stages |= GW_ST_SEGMENTED;
		else if (strcmp(s, "extract") == 0)
			r->d->stages |= GW_ST_EXTRACTED;
	}
}

static void
read_record(reader *r, json_t *o)
{
	gw_doc *d = r->d;
	json_t *v, *gen;
	char *s;

	read_source(r, get_object(r, o, "source"));
	if ((v = get_object(r, o, "error")) != NULL) {
		char *code = get_str(r, v, "code");
		int c = code ? gw_code_from_name(code) : -1;

		d->error = c >= 0 ? c : GW_E_BAD_RECORD;
		d->error_msg = get_str(r, v, "message");
		if (d->error_msg == NULL)
			d->error_msg = gw_xstrdup(gw_code_message((enum gw_code)d->error));
		free(code);
		return;
	}
	if ((s = get_str(r, o, "text")) == NULL) {
		bad(r, "the record has no \"text\"");
		return;
	}
	gw_doc_set_text(d, s, strlen(s));
	if ((gen = get_object(r, o, "generator")) != NULL && (s = get_str(r, gen, "rules")) != NULL)
		get_hex64(r, s, d->rules_digest, "generator.rules");
	read_stages(r, get_array(r, o, "stages"));
	if ((v = get_array(r, o, "removed")) != NULL)
		read_removed(r, v);
	if ((v = get_array(r, o, "offset_map")) != NULL)
		read_map(r, v);
	v = json_object_get(o, "is_notice");
	d->is_notice = json_is_boolean(v) ? json_is_true(v) : -1;
	read_header(r, get_object(r, o, "header"));
	read_nodes(r, get_array(r, o, "body"), 0, -1, 0);
	read_attachments(r, get_array(r, o, "attachments"));
	read_quantities(r, get_array(r, o, "quantities"), get_array(r, o, "rejected"));
	read_warnings(r, get_array(r, o, "warnings"));
}

gw_doc *
gw_json_read(const char *line, size_t len, gw_buf *err)
{
	json_error_t je;
	json_t *o;
	reader r = {0};
	char *id;

	arena_enter();
	o = json_loadb(line, len, 0, &je);
	if (o == NULL) {
		gw_buf_printf(err, "column %d: %s", je.column, je.text);
		arena_leave();
		return NULL;
	}
	if (!json_is_object(o)) {
		gw_buf_puts(err, "the record is not a JSON object");
		json_decref(o);
		arena_leave();
		return NULL;
	}
	r.d = gw_doc_new();
	r.err = err;
	r.ids = json_object();
	id = get_str(&r, o, "id");
	r.d->id = id;
	if (!r.bad)
		read_record(&r, o);
	json_decref(r.ids);
	json_decref(o);
	arena_leave();
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
