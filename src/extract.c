/* extract.c — every quantity of a document: its number, unit, comparator or range, kind, subject and verb. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongwen.h"
#include "number.h"

#define NGROUPS 16      /* capture pairs read from one match */
#define CLAUSE_MAX 80   /* code points looked at before a number for its clause */
#define SENTENCE_MAX 200
#define LINE_MAX_CP 400

/* What a kind.* rule is matched against (rules/kind.rules). */
enum scope {
	SC_NOTICE, SC_DOC, SC_HEADING, SC_SECTION, SC_UNIT, SC_NUMBER, SC_TEXT, SC_BEFORE,
	SC_SENTENCE, SC_LINE, SC_AFTER, SC_COUNT
};
static const char *const scope_names[SC_COUNT] = {
	"notice", "doc", "heading", "section", "unit", "number", "text", "before", "sentence", "line",
	"after",
};

typedef struct qrule {
	const gw_rule *r;
	int num, num2, den, unit, unit1, post; /* group indices, -1 when absent */
	const char *unit_attr;
	bool range, fraction;
} qrule;

typedef struct srule {
	const gw_rule *r;
	const char *reason;
} srule;

typedef struct crule {
	const gw_rule *r;
	bool after;
	enum gw_cmp cmp;
} crule;

typedef struct krule {
	const gw_rule *r;
	enum scope scope;
	int kind;     /* enum gw_qkind, or -1: a condition for another rule */
	int requires; /* index into the krule array, -1 when none */
} krule;

struct gw_extractor {
	qrule *q;
	size_t nq;
	srule *s;
	size_t ns;
	crule *c;
	size_t nc;
	krule *k;
	size_t nk;
	const gw_rule **verb, **subj;
	size_t nverb, nsubj;
};

/* A stretch of text a stop.* rule matched: numbers starting in it are not quantities. */
typedef struct stop {
	size_t start, end;
	const srule *why;
} stop;

/* A line of the text that reads like an unnumbered heading: “十四五”时期工作回顾. */
typedef struct hline {
	size_t start, end;
} hline;

/* One document's working state. */
typedef struct ctx {
	const gw_extractor *x;
	gw_doc *d;
	const char *t;
	size_t n;
	stop *stops;
	size_t nstops, capstops;
	hline *heads;
	size_t nheads, capheads;
	gw_buf scope[SC_COUNT]; /* the strings kind rules are matched against */
	int failed;
} ctx;

/* ---------------------------------------------------------------- loading the rules */

static int
group(const gw_rule *r, const char *name)
{
	return gw_rule_group(r, name);
}

static int
load_quantity_rules(gw_extractor *x, const gw_rules *rs)
{
	size_t i = 0, cap = 0;
	const gw_rule *r;

	while ((r = gw_rules_next(rs, "quantity.", &i)) != NULL) {
		const char *cmp = gw_rule_attr(r, "comparator");
		const char *val = gw_rule_attr(r, "value");

		gw_grow((void **)&x->q, &cap, x->nq + 1, sizeof *x->q);
		x->q[x->nq++] = (qrule){r, group(r, "num"), group(r, "num2"), group(r, "den"),
		                        group(r, "unit"), group(r, "unit1"), group(r, "post"),
		                        gw_rule_attr(r, "unit"), cmp && strcmp(cmp, "range") == 0,
		                        val && strcmp(val, "fraction") == 0};
	}
	return x->nq ? 0 : -1;
}

static void
load_stop_rules(gw_extractor *x, const gw_rules *rs)
{
	size_t i = 0, cap = 0;
	const gw_rule *r;

	while ((r = gw_rules_next(rs, "stop.", &i)) != NULL) {
		const char *why = gw_rule_attr(r, "reason");

		gw_grow((void **)&x->s, &cap, x->ns + 1, sizeof *x->s);
		x->s[x->ns++] = (srule){r, why ? why : "stop-list"};
	}
}

static int
load_cmp_rules(gw_extractor *x, const gw_rules *rs, gw_buf *err)
{
	size_t i = 0, cap = 0;
	const gw_rule *r;

	while ((r = gw_rules_next(rs, "cmp.", &i)) != NULL) {
		const char *side = gw_rule_attr(r, "side");
		const char *c = gw_rule_attr(r, "comparator");
		int cmp = c ? gw_cmp_from_name(c) : -1;

		if (cmp < 0 || cmp == GW_CMP_RANGE) {
			gw_buf_printf(err, "rule %s: comparator must be eq ge gt le lt or approx", gw_rule_id(r));
			return -1;
		}
		gw_grow((void **)&x->c, &cap, x->nc + 1, sizeof *x->c);
		x->c[x->nc++] = (crule){r, side && strcmp(side, "after") == 0, (enum gw_cmp)cmp};
	}
	return 0;
}

static int
scope_from_name(const char *s)
{
	for (int i = 0; i < SC_COUNT; i++)
		if (s && strcmp(s, scope_names[i]) == 0)
			return i;
	return -1;
}

static int
load_kind_rules(gw_extractor *x, const gw_rules *rs, gw_buf *err)
{
	size_t i = 0, cap = 0;
	const gw_rule *r;

	while ((r = gw_rules_next(rs, "kind.", &i)) != NULL) {
		const char *kind = gw_rule_attr(r, "kind");
		int sc = scope_from_name(gw_rule_attr(r, "scope"));
		int k = kind ? gw_qkind_from_name(kind) : -1;

		if (sc < 0 || (kind && k < 0)) {
			gw_buf_printf(err, "rule %s: needs a scope (notice doc heading unit number text "
			              "before sentence line after) and kind target, fact or other", gw_rule_id(r));
			return -1;
		}
		gw_grow((void **)&x->k, &cap, x->nk + 1, sizeof *x->k);
		x->k[x->nk++] = (krule){r, (enum scope)sc, k, -1};
	}
	/* requires: resolved once all are known, so a condition may come after its user */
	for (i = 0; i < x->nk; i++) {
		const char *req = gw_rule_attr(x->k[i].r, "requires");

		if (req == NULL)
			continue;
		for (size_t j = 0; j < x->nk; j++)
			if (strcmp(gw_rule_id(x->k[j].r), req) == 0)
				x->k[i].requires = (int)j;
		if (x->k[i].requires < 0) {
			gw_buf_printf(err, "rule %s: requires %s, which is not a kind.* rule",
			              gw_rule_id(x->k[i].r), req);
			return -1;
		}
	}
	return 0;
}

static void
load_list(const gw_rules *rs, const char *prefix, const gw_rule ***out, size_t *n)
{
	size_t i = 0, cap = 0;
	const gw_rule *r;

	while ((r = gw_rules_next(rs, prefix, &i)) != NULL) {
		gw_grow((void **)out, &cap, *n + 1, sizeof **out);
		(*out)[(*n)++] = r;
	}
}

gw_extractor *
gw_extractor_new(const gw_rules *rs, gw_buf *err)
{
	gw_extractor *x = gw_xcalloc(1, sizeof *x);

	if (load_quantity_rules(x, rs) < 0) {
		gw_buf_printf(err, "no quantity.* rules in the rules folder");
		gw_extractor_free(x);
		return NULL;
	}
	load_stop_rules(x, rs);
	if (load_cmp_rules(x, rs, err) < 0 || load_kind_rules(x, rs, err) < 0) {
		gw_extractor_free(x);
		return NULL;
	}
	load_list(rs, "verb.", &x->verb, &x->nverb);
	load_list(rs, "subject.", &x->subj, &x->nsubj);
	return x;
}

void
gw_extractor_free(gw_extractor *x)
{
	if (x == NULL)
		return;
	free(x->q);
	free(x->s);
	free(x->c);
	free(x->k);
	free(x->verb);
	free(x->subj);
	free(x);
}

/* ---------------------------------------------------------------- text helpers */

static uint32_t
cp_at(const char *t, size_t n, size_t i, int *len)
{
	uint32_t c;

	*len = gw_utf8_decode(t + i, n - i, &c);
	if (*len == 0)
		*len = 1;
	return c;
}

/* The start of the code point before byte i (i > 0). */
static size_t
prev_start(const char *t, size_t i)
{
	do
		i--;
	while (i > 0 && ((unsigned char)t[i] & 0xC0) == 0x80);
	return i;
}

static uint32_t
cp_before(const char *t, size_t n, size_t i)
{
	int len;

	return i == 0 ? 0 : cp_at(t, n, prev_start(t, i), &len);
}

static bool
in_set(uint32_t c, const char *set)
{
	size_t n = strlen(set), i = 0;

	while (i < n) {
		int len;

		if (cp_at(set, n, i, &len) == c)
			return true;
		i += (size_t)len;
	}
	return false;
}

static const char CLAUSE_END[] = "，,。；;：:！？!?\n\r";
static const char SENTENCE_END[] = "。！？!?\n\r";

/* Walk back from byte i over at most max code points that are not in set. */
static size_t
back_to(const char *t, size_t n, size_t i, const char *set, int max)
{
	while (i > 0 && max-- > 0) {
		size_t j = prev_start(t, i);
		int len;

		if (in_set(cp_at(t, n, j, &len), set))
			break;
		i = j;
	}
	return i;
}

/* Walk forward from byte i over at most max code points that are not in set. */
static size_t
fwd_to(const char *t, size_t n, size_t i, const char *set, int max)
{
	while (i < n && max-- > 0) {
		int len;

		if (in_set(cp_at(t, n, i, &len), set))
			break;
		i += (size_t)len;
	}
	return i;
}

static bool
is_digit_cp(uint32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

/* Characters a number is made of: a number never starts right after one. */
static bool
is_numeral_cp(uint32_t c)
{
	return is_digit_cp(c) || in_set(c, "〇零○一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億貳參陸兩");
}

/* Characters a number may start with (百 for 百分之). */
static bool
is_start_cp(uint32_t c)
{
	return is_digit_cp(c) || in_set(c, "〇零○一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾貳參陸兩百");
}

/* Whether a number may start at byte i: not inside another number (1.5, 1,325, 一百). */
static bool
starts_number(const char *t, size_t n, size_t i, uint32_t c)
{
	uint32_t p;

	if (!is_start_cp(c))
		return false;
	p = cp_before(t, n, i);
	if (is_numeral_cp(p))
		return false;
	if ((p == '.' || p == 0xFF0E || p == ',') && is_digit_cp(c) && i >= 2 &&
	    is_digit_cp(cp_before(t, n, prev_start(t, i))))
		return false;
	return true;
}

static void
trim(const char **s, size_t *n)
{
	static const char *const sp[] = {" ", "\t", "\xe3\x80\x80", "\xc2\xa0"};
	bool again = true;

	while (again && *n > 0) {
		again = false;
		for (size_t k = 0; k < 4; k++) {
			size_t l = strlen(sp[k]);

			if (*n >= l && memcmp(*s, sp[k], l) == 0)
				*s += l, *n -= l, again = true;
			if (*n >= l && memcmp(*s + *n - l, sp[k], l) == 0)
				*n -= l, again = true;
		}
	}
}

static char *
dup_trimmed(const char *s, size_t n)
{
	trim(&s, &n);
	return n ? gw_xstrndup(s, n) : NULL;
}

static bool
group_set(const size_t *ov, int g)
{
	return g > 0 && ov[2 * g] != (size_t)-1;
}

/* ---------------------------------------------------------------- stop-lists */

static int
stop_cmp(const void *a, const void *b)
{
	const stop *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->why != y->why)
		return x->why < y->why ? -1 : 1; /* at one place the earlier rule gives the reason */
	return x->end > y->end ? -1 : x->end < y->end;
}

/* Every match of every stop.* rule over the whole text, sorted; -1 on a rule error. */
static int
collect_stops(ctx *c)
{
	size_t ov[2 * NGROUPS];

	for (size_t k = 0; k < c->x->ns; k++) {
		size_t at = 0;
		int rc;

		while (at <= c->n && (rc = gw_rule_match(c->x->s[k].r, c->t, c->n, at, ov, NGROUPS)) > 0) {
			int len;

			if (ov[1] > ov[0]) {
				gw_grow((void **)&c->stops, &c->capstops, c->nstops + 1, sizeof *c->stops);
				c->stops[c->nstops++] = (stop){ov[0], ov[1], &c->x->s[k]};
				at = ov[1];
			} else if (ov[0] < c->n) {
				cp_at(c->t, c->n, ov[0], &len);
				at = ov[0] + (size_t)len;
			} else
				break;
		}
		if (rc < 0) {
			gw_doc_fail(c->d, GW_E_RULE_LIMIT, "rule %s", gw_rule_id(c->x->s[k].r));
			return -1;
		}
	}
	qsort(c->stops, c->nstops, sizeof *c->stops, stop_cmp);
	return 0;
}

static gw_span
span_of(ctx *c, size_t start, size_t end)
{
	return (gw_span){gw_doc_byte_to_cp(c->d, start), gw_doc_byte_to_cp(c->d, end)};
}

/* List every stop match as rejected, leaving out those that overlap an earlier one. */
static void
report_stops(ctx *c)
{
	size_t covered = 0;

	for (size_t i = 0; i < c->nstops; i++) {
		const stop *s = &c->stops[i];

		if (i > 0 && s->start < covered)
			continue;
		if (s->end > covered)
			covered = s->end;
		gw_doc_add_rejected(c->d, c->t + s->start, s->end - s->start, span_of(c, s->start, s->end),
		                    s->why->reason, gw_rule_id(s->why->r));
	}
}

/* Whether byte p lies inside a stop match; *next walks the sorted list along with p. */
static bool
stopped(const ctx *c, size_t p, size_t *next, size_t *reach)
{
	while (*next < c->nstops && c->stops[*next].start <= p) {
		if (c->stops[*next].end > *reach)
			*reach = c->stops[*next].end;
		(*next)++;
	}
	return p < *reach;
}

/* ---------------------------------------------------------------- one quantity */

/* A match of a quantity.* rule, with its numbers parsed. */
typedef struct found {
	const qrule *qr;
	size_t ov[2 * NGROUPS];
	size_t start, end; /* the quantity's text: from the number to the end of the match */
	gw_number a, b;
	bool has_b;
} found;

static int
parse_group(const ctx *c, const size_t *ov, int g, gw_number *out)
{
	if (!group_set(ov, g))
		return GW_NUMBER_INVALID;
	return gw_number_parse(c->t + ov[2 * g], ov[2 * g + 1] - ov[2 * g], out);
}

/* Try every quantity.* rule at byte p; 1 found, 0 none, -1 a rule error. */
static int
match_at(ctx *c, size_t p, found *f)
{
	for (size_t k = 0; k < c->x->nq; k++) {
		const qrule *qr = &c->x->q[k];
		int rc = gw_rule_match(qr->r, c->t, c->n, p, f->ov, NGROUPS);
		int pa, pb = GW_NUMBER_OK;

		if (rc < 0) {
			gw_doc_fail(c->d, GW_E_RULE_LIMIT, "rule %s", gw_rule_id(qr->r));
			return -1;
		}
		if (rc == 0 || f->ov[0] != p)
			continue;
		f->qr = qr;
		f->start = p;
		f->end = f->ov[1];
		pa = parse_group(c, f->ov, qr->num, &f->a);
		f->has_b = group_set(f->ov, qr->num2) || group_set(f->ov, qr->den);
		if (f->has_b)
			pb = parse_group(c, f->ov, group_set(f->ov, qr->num2) ? qr->num2 : qr->den, &f->b);
		if (pa == GW_NUMBER_TOO_LONG || pb == GW_NUMBER_TOO_LONG) {
			gw_doc_diag(c->d, GW_W_NUMBER_TOO_LONG, span_of(c, f->start, f->end), NULL);
			return 0;
		}
		if (pa == GW_NUMBER_OK && pb == GW_NUMBER_OK)
			return 1;
	}
	return 0;
}

/* The unit as the model keeps it: % for ％, 百分点 for 个百分点, 岁 for 周岁. */
static char *
unit_of(const ctx *c, const found *f)
{
	const char *u;
	size_t n;

	if (f->qr->unit_attr)
		return gw_xstrdup(f->qr->unit_attr);
	if (!group_set(f->ov, f->qr->unit))
		return NULL;
	u = c->t + f->ov[2 * f->qr->unit];
	n = f->ov[2 * f->qr->unit + 1] - f->ov[2 * f->qr->unit];
	if (n > 3 && memcmp(u, "个", 3) == 0 && (n == 12 || n == 9) &&
	    (memcmp(u + 3, "百分点", 9) == 0 || memcmp(u + 3, "千分点", 9) == 0))
		u += 3, n -= 3;
	else if (n == 6 && memcmp(u, "周岁", 6) == 0)
		u += 3, n -= 3;
	if (n == 3 && memcmp(u, "％", 3) == 0)
		return gw_xstrdup("%");
	return gw_xstrndup(u, n);
}

/* 1/3 as a percentage to the 15 digits a double holds: 33.3333333333333. */
static double
round15(double v)
{
	char buf[40];

	snprintf(buf, sizeof buf, "%.15g", v);
	return strtod(buf, NULL);
}

/* Value, or min and max, from the parsed numbers. */
static void
set_values(gw_quantity *q, const found *f)
{
	if (f->qr->fraction) {
		q->has_value = true;
		q->value = round15(f->a.value / f->b.value * 100); /* 五分之一: a numerator, b den */
		return;
	}
	if (f->qr->range && f->has_b) {
		double lo = f->a.value;

		/* 3至5万元: the scale word of the second number is the first one's too */
		if (f->a.scale == 1 && f->b.scale > 1 && lo * f->b.scale <= f->b.max)
			lo *= f->b.scale;
		q->has_min = q->has_max = true;
		q->min = lo, q->max = f->b.max;
		q->cmp = GW_CMP_RANGE;
		return;
	}
	if (f->a.is_range) {
		q->has_min = q->has_max = true;
		q->min = f->a.value, q->max = f->a.max;
		q->cmp = GW_CMP_RANGE;
		return;
	}
	q->has_value = true;
	q->value = f->a.value;
}

/* The comparator from the words after the unit, else before the number, else the number. */
static int
comparator_of(ctx *c, const found *f, size_t clause)
{
	size_t ov[2 * NGROUPS];
	int g = f->qr->post;

	for (size_t k = 0; k < c->x->nc; k++) {
		const crule *cr = &c->x->c[k];
		int rc;

		if (cr->after) {
			if (!group_set(f->ov, g))
				continue;
			rc = gw_rule_match(cr->r, c->t, f->ov[2 * g + 1], f->ov[2 * g], ov, NGROUPS);
		} else
			rc = group_set(f->ov, g) ? 0 : gw_rule_match(cr->r, c->t, f->start, clause, ov, NGROUPS);
		if (rc > 0)
			return (int)cr->cmp;
	}
	return f->a.approx ? GW_CMP_APPROX : GW_CMP_EQ;
}

/* ---------------------------------------------------------------- kind */

static void
put_range(ctx *c, enum scope sc, size_t from, size_t to)
{
	gw_buf_put(&c->scope[sc], c->t + from, to > from ? to - from : 0);
}

/* The document-wide scopes: is_notice, and the title with its 文种 (or the text's opening). */
static void
doc_scopes(ctx *c)
{
	const gw_header *h = &c->d->header;
	gw_buf *b = &c->scope[SC_DOC];

	gw_buf_puts(&c->scope[SC_NOTICE], c->d->is_notice == 1 ? "notice" :
	                                  c->d->is_notice == 0 ? "news" : "unknown");
	if (h->f[GW_H_TITLE].text) {
		gw_buf_puts(b, h->f[GW_H_TITLE].text);
		gw_buf_putc(b, '\n');
		if (h->f[GW_H_DOC_TYPE].text)
			gw_buf_puts(b, h->f[GW_H_DOC_TYPE].text);
	} else
		put_range(c, SC_DOC, 0, fwd_to(c->t, c->n, 0, "", 300));
}

/* Whether t[s..e) reads like a heading of its own: short, no sentence punctuation, at least
 * four Han characters (so that a table cell such as 95.8% is not one). */
static bool
heading_like(const char *t, size_t s, size_t e)
{
	size_t ncp = gw_utf8_count(t + s, e - s);
	int han = 0;

	if (ncp < 4 || ncp > 40)
		return false;
	for (size_t i = s; i < e;) {
		int len;
		uint32_t c = cp_at(t, e, i, &len);

		if (in_set(c, "。；;，,：:！!？?、"))
			return false;
		han += c >= 0x4E00 && c <= 0x9FFF;
		i += (size_t)len;
	}
	return han >= 4;
}

/* Every heading-like line, in order (the section scope). */
static void
find_heading_lines(ctx *c)
{
	size_t s = 0;

	while (s < c->n) {
		const char *nl = memchr(c->t + s, '\n', c->n - s);
		size_t e = nl ? (size_t)(nl - c->t) : c->n;
		size_t e2 = e > s && c->t[e - 1] == '\r' ? e - 1 : e;

		if (heading_like(c->t, s, e2)) {
			gw_grow((void **)&c->heads, &c->capheads, c->nheads + 1, sizeof *c->heads);
			c->heads[c->nheads++] = (hline){s, e2};
		}
		s = e + 1;
	}
}

/* The last heading-like line that ends before byte p. */
static const hline *
section_of(const ctx *c, size_t p)
{
	size_t lo = 0, hi = c->nheads;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (c->heads[mid].end < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &c->heads[lo - 1] : NULL;
}

/* The scopes of one quantity (rules/kind.rules says what each one is). */
static void
quantity_scopes(ctx *c, const found *f, const gw_quantity *q, size_t clause)
{
	size_t s0 = back_to(c->t, c->n, f->start, SENTENCE_END, SENTENCE_MAX);
	size_t s1 = fwd_to(c->t, c->n, f->end, SENTENCE_END, SENTENCE_MAX);
	const hline *sec = section_of(c, f->start);
	int g = f->qr->num;

	for (int i = SC_HEADING; i < SC_COUNT; i++)
		gw_buf_reset(&c->scope[i]);
	for (int n = q->node; n >= 0; n = c->d->nodes[n].parent) {
		if (c->d->nodes[n].heading)
			gw_buf_puts(&c->scope[SC_HEADING], c->d->nodes[n].heading);
		gw_buf_putc(&c->scope[SC_HEADING], '\n');
	}
	if (sec)
		put_range(c, SC_SECTION, sec->start, sec->end);
	if (q->unit)
		gw_buf_puts(&c->scope[SC_UNIT], q->unit);
	if (group_set(f->ov, g))
		put_range(c, SC_NUMBER, f->ov[2 * g], f->ov[2 * g + 1]);
	put_range(c, SC_TEXT, f->start, f->end);
	put_range(c, SC_BEFORE, clause, f->start);
	put_range(c, SC_SENTENCE, s0, s1);
	put_range(c, SC_LINE, back_to(c->t, c->n, f->start, "\n", LINE_MAX_CP), f->start);
	put_range(c, SC_AFTER, f->end, fwd_to(c->t, c->n, f->end, CLAUSE_END, CLAUSE_MAX));
}

static int
krule_matches(ctx *c, const krule *kr)
{
	size_t ov[2 * NGROUPS];
	const gw_buf *b = &c->scope[kr->scope];
	int rc = gw_rule_match(kr->r, b->ptr ? b->ptr : "", b->len, 0, ov, NGROUPS);

	if (rc < 0) {
		gw_doc_fail(c->d, GW_E_RULE_LIMIT, "rule %s", gw_rule_id(kr->r));
		c->failed = 1;
	}
	return rc > 0;
}

/* The first kind.* rule that matches (with what it requires) decides; else other. */
static enum gw_qkind
kind_of(ctx *c)
{
	for (size_t k = 0; k < c->x->nk && !c->failed; k++) {
		const krule *kr = &c->x->k[k];

		if (kr->kind < 0 || !krule_matches(c, kr))
			continue;
		if (kr->requires >= 0 && !krule_matches(c, &c->x->k[kr->requires]))
			continue;
#ifdef GW_EXTRACT_DEBUG
		fprintf(stderr, "kind: %s: %s\n", c->scope[SC_TEXT].ptr, gw_rule_id(kr->r));
#endif
		return (enum gw_qkind)kr->kind;
	}
	return GW_Q_OTHER;
}

/* ---------------------------------------------------------------- verb and subject */

/* Whether word is one of the space-separated words of list. */
static bool
in_words(const char *list, const char *word)
{
	size_t n = strlen(word);

	while (*list) {
		size_t k = strcspn(list, " ");

		if (k == n && memcmp(list, word, n) == 0)
			return true;
		list += k;
		list += strspn(list, " ");
	}
	return false;
}

/* At most the last max code points of s[0..n): a subject is the noun nearest the number. */
static void
keep_tail(const char **s, size_t *n, int max)
{
	size_t i = *n;

	while (i > 0 && max-- > 0)
		i = prev_start(*s, i);
	*s += i, *n -= i;
}

static void
verb_and_subject(ctx *c, gw_quantity *q, const found *f, size_t clause)
{
	size_t ov[2 * NGROUPS];

	for (size_t k = 0; k < c->x->nverb && !q->verb; k++) {
		const gw_rule *r = c->x->verb[k];
		int gv = gw_rule_group(r, "verb"), gs = gw_rule_group(r, "subject");
		int go = gw_rule_group(r, "object");

		if (gw_rule_match(r, c->t, f->start, clause, ov, NGROUPS) <= 0 || !group_set(ov, gv))
			continue;
		q->verb = gw_xstrndup(c->t + ov[2 * gv], ov[2 * gv + 1] - ov[2 * gv]);
		if (group_set(ov, go))
			q->subject = dup_trimmed(c->t + ov[2 * go], ov[2 * go + 1] - ov[2 * go]);
		if (q->subject == NULL && group_set(ov, gs)) {
			const char *s = c->t + ov[2 * gs];
			size_t n = ov[2 * gs + 1] - ov[2 * gs];

			keep_tail(&s, &n, 10);
			q->subject = dup_trimmed(s, n);
		}
	}
	for (size_t k = 0; k < c->x->nsubj && !q->subject && q->unit; k++) {
		const gw_rule *r = c->x->subj[k];
		const char *units = gw_rule_attr(r, "units");
		int gs = gw_rule_group(r, "subject");

		if (units && !in_words(units, q->unit))
			continue;
		if (gw_rule_match(r, c->t, c->n, f->end, ov, NGROUPS) > 0 && group_set(ov, gs))
			q->subject = dup_trimmed(c->t + ov[2 * gs], ov[2 * gs + 1] - ov[2 * gs]);
	}
}

/* ---------------------------------------------------------------- the document */

static void
add_quantity(ctx *c, const found *f)
{
	size_t clause = back_to(c->t, c->n, f->start, CLAUSE_END, CLAUSE_MAX);
	gw_quantity *q = gw_doc_add_quantity(c->d);

	q->span = span_of(c, f->start, f->end);
	q->node = gw_doc_node_at(c->d, q->span.start);
	q->text = gw_xstrndup(c->t + f->start, f->end - f->start);
	q->unit = unit_of(c, f);
	q->rule = gw_xstrdup(gw_rule_id(f->qr->r));
	set_values(q, f);
	if (q->cmp != GW_CMP_RANGE)
		q->cmp = (enum gw_cmp)comparator_of(c, f, clause);
	quantity_scopes(c, f, q, clause);
	q->kind = kind_of(c);
	verb_and_subject(c, q, f, clause);
}

/* Bytes of the run of digits at i (to skip a number too long to be an amount). */
static size_t
digit_run(const char *t, size_t n, size_t i, size_t *ndigits)
{
	size_t j = i;
	int len;

	*ndigits = 0;
	while (j < n) {
		uint32_t c = cp_at(t, n, j, &len);

		if (is_digit_cp(c))
			(*ndigits)++;
		else if (c != ',' && c != '.' && c != 0xFF0E)
			break;
		j += (size_t)len;
	}
	return j - i;
}

/* Walk the text; at each place a number starts, try the quantity rules. */
static int
scan(ctx *c)
{
	size_t i = 0, next = 0, reach = 0;
	found f;

	while (i < c->n && !c->failed) {
		int len, rc;
		uint32_t ch = cp_at(c->t, c->n, i, &len);
		size_t run, nd;

		if (!starts_number(c->t, c->n, i, ch) || stopped(c, i, &next, &reach)) {
			i += (size_t)len;
			continue;
		}
		run = digit_run(c->t, c->n, i, &nd);
		if (nd > GW_NUMBER_MAX_DIGITS) {
			gw_doc_diag(c->d, GW_W_NUMBER_TOO_LONG, span_of(c, i, i + run), "%zu digits", nd);
			i += run;
			continue;
		}
		rc = match_at(c, i, &f);
		if (rc < 0)
			return -1;
		if (rc == 0) {
			i += (size_t)len;
			continue;
		}
		add_quantity(c, &f);
		i = f.end > i ? f.end : i + (size_t)len;
	}
	return c->failed ? -1 : 0;
}

/* Drop what an earlier run of gw-extract left, so that running it twice changes nothing. */
static void
clear_results(gw_doc *d)
{
	for (size_t i = 0; i < d->nqs; i++) {
		gw_quantity *q = &d->qs[i];

		free(q->id), free(q->text), free(q->unit);
		free(q->subject), free(q->verb), free(q->rule);
	}
	d->nqs = 0;
	for (size_t i = 0; i < d->nrej; i++)
		free(d->rej[i].text), free(d->rej[i].reason), free(d->rej[i].rule);
	d->nrej = 0;
}

int
gw_extract(gw_extractor *x, gw_doc *d)
{
	ctx c = {.x = x, .d = d, .t = d->text ? d->text : "", .n = d->text ? d->text_len : 0};
	int rc = 0;

	clear_results(d);
	doc_scopes(&c);
	find_heading_lines(&c);
	if (collect_stops(&c) < 0 || scan(&c) < 0)
		rc = 1;
	else {
		report_stops(&c);
		gw_doc_assign_quantity_ids(d);
		d->stages |= GW_ST_EXTRACTED;
	}
	free(c.stops);
	free(c.heads);
	for (int i = 0; i < SC_COUNT; i++)
		gw_buf_free(&c.scope[i]);
	return rc || d->error ? 1 : 0;
}
