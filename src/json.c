/* json.c — the record stream: one document as JSON (Jansson), written and read back losslessly. */
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---------------------------------------------------------------- the arena
 * Building and freeing a Jansson tree is one malloc and one free per value: most of the cost of
 * writing a record.  While a record is written or read, Jansson allocates from a per-thread arena
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

/* ---------------------------------------------------------------- writing */

/* Strings in the model are valid UTF-8 (the normaliser and the reader make sure). */
static json_t *
jstr(const char *s)
{
	return s ? json_stringn_nocheck(s, strlen(s)) : json_null();
}

static json_t *
jspan(gw_span s)
{
	if (s.start < 0)
		return json_null();
	return json_pack("[II]", (json_int_t)s.start, (json_int_t)s.end);
}

static json_t *
jsrc(const gw_doc *d, gw_span s)
{
	uint32_t a, b;

	if (!gw_doc_src_range(d, s, &a, &b))
		return json_null();
	return json_pack("[II]", (json_int_t)a, (json_int_t)b);
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

static json_t *
write_source(const gw_doc *d)
{
	json_t *src = json_object(), *meta = json_object();

	json_object_set_new(src, "path", jstr(d->src_path));
	json_object_set_new(src, "sha256", d->src_sha256[0] ? jstr(d->src_sha256) : json_null());
	json_object_set_new(src, "bytes", json_integer((json_int_t)d->src_bytes));
	json_object_set_new(src, "encoding", jstr(d->encoding));
	for (size_t i = 0; i < d->nmeta; i++)
		json_object_set_new(meta, d->meta[i].key, jstr(d->meta[i].value));
	json_object_set_new(src, "metadata", meta);
	return src;
}

static json_t *
write_generator(const gw_doc *d)
{
	return json_pack("{s:s,s:s,s:o}", "name", "gongwen", "version", GW_VERSION, "rules",
	                 d->rules_digest[0] ? jstr(d->rules_digest) : json_null());
}

static json_t *
write_stages(const gw_doc *d)
{
	json_t *a = json_array();

	if (d->stages & GW_ST_NORMALIZED)
		json_array_append_new(a, json_string("normalize"));
	if (d->stages & GW_ST_SEGMENTED)
		json_array_append_new(a, json_string("segment"));
	if (d->stages & GW_ST_EXTRACTED)
		json_array_append_new(a, json_string("extract"));
	return a;
}

static json_t *
write_removed(const gw_doc *d)
{
	json_t *a = json_array();

	for (size_t i = 0; i < d->nremoved; i++) {
		const gw_removed *r = &d->removed[i];

		json_array_append_new(a, json_pack("{s:o,s:[II],s:o}", "kind", jstr(r->kind),
		                                   "source_span", (json_int_t)r->src_start,
		                                   (json_int_t)r->src_end, "text", jstr(r->text)));
	}
	return a;
}

static json_t *
write_map(const gw_doc *d)
{
	json_t *a = json_array();

	for (size_t i = 0; i < d->nruns; i++) {
		const gw_run *r = &d->runs[i];

		json_array_append_new(a, json_integer(r->cp));
		json_array_append_new(a, json_integer(r->src));
		json_array_append_new(a, json_integer(r->width));
		json_array_append_new(a, json_integer(r->line));
		json_array_append_new(a, json_integer(r->col));
	}
	return a;
}

static json_t *
write_list(const gw_strlist *l)
{
	json_t *a = json_array();

	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, jstr(l->items[i]));
	return a;
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
write_field(json_t *o, const gw_header *h, enum gw_hfield f)
{
	const char *name = gw_hfield_name(f), *text = h->f[f].text;
	char key[64];

	switch (hf[f].kind) {
	case GW_HK_TEXT:
		json_object_set_new(o, name, jstr(text));
		return;
	case GW_HK_NUMBER:
		json_object_set_new(o, name,
		                    text ? json_pack("{s:o,s:o,s:o,s:o}", "text", jstr(text), "agency_code",
		                                     jstr(h->agency_code), "year",
		                                     h->year ? json_integer(h->year) : json_null(),
		                                     "serial", jstr(h->serial))
		                         : json_null());
		return;
	case GW_HK_LIST:
		json_object_set_new(o, name, write_list(gw_header_list(h, f)));
		break;
	case GW_HK_DATE:
		json_object_set_new(o, name, jstr(*gw_header_iso(h, f)));
		break;
	}
	snprintf(key, sizeof key, "%s_text", name);
	json_object_set_new(o, key, jstr(text));
}

static json_t *
write_header(const gw_doc *d)
{
	const gw_header *h = &d->header;
	json_t *o = json_object(), *spans = json_object();
	int order[GW_NHFIELDS];

	header_order(order);
	for (int i = 0; i < GW_NHFIELDS; i++)
		write_field(o, h, order[i]);
	for (int f = 0; f < GW_NHFIELDS; f++)
		if (gw_header_has(h, f) && h->f[f].span.start >= 0)
			json_object_set_new(spans, gw_hfield_name(f), jspan(h->f[f].span));
	json_object_set_new(o, "spans", spans);
	return o;
}

static json_t *write_nodes(const gw_doc *d, int first);

static json_t *
write_node(const gw_doc *d, const gw_node *n)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", jstr(n->id));
	json_object_set_new(o, "kind", json_string(gw_kind_name(n->kind)));
	json_object_set_new(o, "num", jstr(n->num));
	json_object_set_new(o, "ordinal", json_integer(n->ordinal));
	json_object_set_new(o, "heading", jstr(n->heading));
	json_object_set_new(o, "span", jspan(n->span));
	json_object_set_new(o, "heading_span", jspan(n->heading_span));
	json_object_set_new(o, "source_span", jsrc(d, n->span));
	json_object_set_new(o, "children", write_nodes(d, n->first_child));
	return o;
}

static json_t *
write_nodes(const gw_doc *d, int first)
{
	json_t *a = json_array();

	for (int i = first; i >= 0; i = d->nodes[i].next_sibling)
		json_array_append_new(a, write_node(d, &d->nodes[i]));
	return a;
}

/* The top-level nodes of one part, in order. */
static json_t *
write_part(const gw_doc *d, int part)
{
	json_t *a = json_array();

	for (size_t i = 0; i < d->nnodes; i++)
		if (d->nodes[i].parent < 0 && d->nodes[i].part == part)
			json_array_append_new(a, write_node(d, &d->nodes[i]));
	return a;
}

static json_t *
write_attachments(const gw_doc *d)
{
	json_t *a = json_array();

	for (size_t i = 0; i < d->natts; i++) {
		const gw_attachment *t = &d->atts[i];
		json_t *o = json_object();

		json_object_set_new(o, "title", jstr(t->title));
		json_object_set_new(o, "title_span", jspan(t->title_span));
		json_object_set_new(o, "span", jspan(t->span));
		json_object_set_new(o, "source_span", jsrc(d, t->span));
		json_object_set_new(o, "body", write_part(d, (int)i + 1));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
write_quantity(const gw_doc *d, const gw_quantity *q)
{
	json_t *o = json_object();
	int nd = q->node;

	json_object_set_new(o, "id", jstr(q->id));
	json_object_set_new(o, "node", nd >= 0 && (size_t)nd < d->nnodes ? jstr(d->nodes[nd].id) : json_null());
	json_object_set_new(o, "text", jstr(q->text));
	json_object_set_new(o, "span", jspan(q->span));
	json_object_set_new(o, "source_span", jsrc(d, q->span));
	json_object_set_new(o, "value", gw_json_number(q->has_value, q->value));
	json_object_set_new(o, "min", gw_json_number(q->has_min, q->min));
	json_object_set_new(o, "max", gw_json_number(q->has_max, q->max));
	json_object_set_new(o, "unit", jstr(q->unit));
	json_object_set_new(o, "comparator", json_string(gw_cmp_name(q->cmp)));
	json_object_set_new(o, "kind", json_string(gw_qkind_name(q->kind)));
	json_object_set_new(o, "subject", jstr(q->subject));
	json_object_set_new(o, "verb", jstr(q->verb));
	json_object_set_new(o, "rule", jstr(q->rule));
	return o;
}

static json_t *
write_quantities(const gw_doc *d)
{
	json_t *a = json_array();

	for (size_t i = 0; i < d->nqs; i++)
		json_array_append_new(a, write_quantity(d, &d->qs[i]));
	return a;
}

static json_t *
write_rejected(const gw_doc *d)
{
	json_t *a = json_array();

	for (size_t i = 0; i < d->nrej; i++) {
		const gw_rejected *r = &d->rej[i];

		json_array_append_new(a, json_pack("{s:o,s:o,s:o,s:o}", "text", jstr(r->text), "span",
		                                   jspan(r->span), "reason", jstr(r->reason), "rule",
		                                   jstr(r->rule)));
	}
	return a;
}

static json_t *
write_warnings(const gw_doc *d)
{
	json_t *a = json_array();

	for (size_t i = 0; i < d->ndiags; i++) {
		const gw_diag *g = &d->diags[i];
		json_t *o = json_object();

		json_object_set_new(o, "code", json_string(gw_code_name(g->code)));
		json_object_set_new(o, "level", json_string(gw_level_name(gw_code_level(g->code))));
		json_object_set_new(o, "message", json_string(gw_code_message(g->code)));
		json_object_set_new(o, "detail", jstr(g->detail));
		json_object_set_new(o, "line", g->line > 0 ? json_integer(g->line) : json_null());
		json_object_set_new(o, "col", g->col > 0 ? json_integer(g->col) : json_null());
		json_object_set_new(o, "span", jspan(g->span));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *
write_error(const gw_doc *d)
{
	json_t *o = json_object(), *src = json_object();

	json_object_set_new(o, "schema", json_string(GW_SCHEMA));
	json_object_set_new(o, "id", jstr(d->id));
	json_object_set_new(src, "path", jstr(d->src_path));
	json_object_set_new(src, "sha256", d->src_sha256[0] ? jstr(d->src_sha256) : json_null());
	json_object_set_new(src, "bytes", json_integer((json_int_t)d->src_bytes));
	json_object_set_new(o, "source", src);
	json_object_set_new(o, "error", json_pack("{s:s,s:o}", "code", gw_code_name(d->error),
	                                          "message", jstr(d->error_msg)));
	return o;
}

/* Does the array opening at s[i] hold only scalars (numbers, strings, literals)?  Then it is
 * written on one line: spans and offset maps stay readable. */
static bool
flat_array(const char *s, size_t n, size_t i)
{
	bool str = false;

	for (i++; i < n; i++) {
		if (str) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				str = false;
		} else if (s[i] == '"')
			str = true;
		else if (s[i] == '[' || s[i] == '{')
			return false;
		else if (s[i] == ']')
			return true;
	}
	return true;
}

static void
newline(gw_buf *out, int depth)
{
	static const char spaces[] = "\n                                                                ";
	int n = 2 * depth;

	gw_buf_put(out, spaces, 1);
	for (; n > 64; n -= 64)
		gw_buf_put(out, spaces + 1, 64);
	gw_buf_put(out, spaces + 1, (size_t)n);
}

/* The bytes that end a run of plain characters in compact JSON. */
static const bool structural[256] = {
    ['"'] = true, ['{'] = true, ['}'] = true, ['['] = true, [']'] = true, [','] = true, [':'] = true,
};

static bool
is_structural(unsigned char c)
{
	return structural[c];
}

/* Re-indent compact JSON (Jansson's JSON_COMPACT output) two spaces a level, one member a line,
 * arrays of scalars on one line.  One pass; strings are copied untouched. */
static void
indent_json(const char *s, size_t n, gw_buf *out)
{
	int depth = 0, flat = 0; /* flat: inside a one-line array */
	size_t i = 0, run;

	gw_buf_put(out, "", 0);
	if (out->cap < out->len + n + n / 2) { /* one allocation for most documents */
		out->cap = out->len + n + n / 2;
		out->ptr = gw_xrealloc(out->ptr, out->cap);
	}
	while (i < n) {
		char c = s[i];

		if (c == '"') { /* copy the whole string: up to a quote not escaped */
			run = i + 1;
			for (;;) {
				const char *q = memchr(s + run, '"', n - run);
				size_t bs = 0;

				if (q == NULL) {
					run = n - 1;
					break;
				}
				run = (size_t)(q - s);
				while (s[run - 1 - bs] == '\\')
					bs++;
				if (bs % 2 == 0)
					break;
				run++;
			}
			gw_buf_put(out, s + i, run + 1 - i);
			i = run + 1;
			continue;
		}
		if (!is_structural((unsigned char)c)) {
			for (run = i + 1; run < n && !is_structural((unsigned char)s[run]); run++)
				;
			gw_buf_put(out, s + i, run - i);
			i = run;
			continue;
		}
		if ((c == '{' || c == '[') && i + 1 < n && (s[i + 1] == '}' || s[i + 1] == ']')) {
			gw_buf_put(out, s + i, 2); /* {} [] */
			i += 2;
			continue;
		}
		if (flat) {
			if (c == ']')
				flat = 0;
			gw_buf_put(out, c == ',' ? ", " : s + i, c == ',' ? 2 : 1);
		} else if (c == '{' || c == '[') {
			gw_buf_put(out, s + i, 1);
			if (c == '[' && flat_array(s, n, i))
				flat = 1;
			else
				newline(out, ++depth);
		} else if (c == '}' || c == ']') {
			newline(out, --depth);
			gw_buf_put(out, s + i, 1);
		} else if (c == ',') {
			gw_buf_put(out, ",", 1);
			newline(out, depth);
		} else /* : */
			gw_buf_put(out, ": ", 2);
		i++;
	}
}

static int
dump_to_buf(const char *p, size_t n, void *out)
{
	gw_buf *b = out;

	if (b->len + n < b->cap) { /* the common case, without a call */
		memcpy(b->ptr + b->len, p, n);
		b->len += n;
		b->ptr[b->len] = '\0';
	} else
		gw_buf_put(b, p, n);
	return 0;
}

void
gw_json_write(const gw_doc *d, gw_buf *out, int flags)
{
	json_t *o;
	size_t flg = JSON_REAL_PRECISION(15) | JSON_COMPACT;
	gw_buf compact = GW_BUF_INIT;

	arena_enter();
	if (d->error)
		o = write_error(d);
	else {
		o = json_object();
		json_object_set_new(o, "schema", json_string(GW_SCHEMA));
		json_object_set_new(o, "id", jstr(d->id));
		json_object_set_new(o, "source", write_source(d));
		json_object_set_new(o, "generator", write_generator(d));
		json_object_set_new(o, "stages", write_stages(d));
		json_object_set_new(o, "text", d->text ? json_stringn_nocheck(d->text, d->text_len) : json_string(""));
		json_object_set_new(o, "removed", write_removed(d));
		json_object_set_new(o, "offset_map", write_map(d));
		json_object_set_new(o, "is_notice", d->is_notice < 0 ? json_null() : json_boolean(d->is_notice));
		json_object_set_new(o, "header", write_header(d));
		json_object_set_new(o, "body", write_part(d, 0));
		json_object_set_new(o, "attachments", write_attachments(d));
		json_object_set_new(o, "quantities", write_quantities(d));
		json_object_set_new(o, "rejected", write_rejected(d));
		json_object_set_new(o, "warnings", write_warnings(d));
	}
	if (flags & GW_JSON_PRETTY) {
		gw_buf_put(&compact, "", 0);
		compact.ptr = gw_xrealloc(compact.ptr, compact.cap = 2 * d->text_len + 65536);
		json_dump_callback(o, dump_to_buf, &compact, flg);
		indent_json(compact.ptr, compact.len, out);
		gw_buf_free(&compact);
	} else
		json_dump_callback(o, dump_to_buf, out, flg);
	gw_buf_putc(out, '\n');
	json_decref(o);
	arena_leave();
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
