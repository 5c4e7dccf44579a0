/* lines.c — the segmenter's line layer: its rules looked up once, the index of a document's non-blank lines, and matching those lines against the rules. */
#include <stdlib.h>
#include <string.h>

#include "chars.h"
#include "internal.h"
#include "lines.h"

#define HRULE_ID(name, id) [HR_##name] = id,
static const char *const hrule_ids[HR_COUNT] = {GW_HRULES(HRULE_ID)};

/* ---------------------------------------------------------------- the rules */

static void
noderule_init(gw_noderule *nr, const gw_rule *r)
{
	const char *v;

	nr->rule = r; /* every field is set here; the loader requires a known kind */
	nr->kind = (enum gw_kind)gw_kind_from_name(gw_rule_attr(r, "kind"));
	v = gw_rule_attr(r, "heading");
	nr->heading = v && strcmp(v, "inline") == 0    ? GW_HEAD_INLINE
	              : v && strcmp(v, "article") == 0 ? GW_HEAD_ARTICLE
	                                               : GW_HEAD_LINE;
	v = gw_rule_attr(r, "heading-max");
	nr->heading_max = v ? atoi(v) : 30;
	v = gw_rule_attr(r, "series");
	nr->series = v && strcmp(v, "yes") == 0;
	v = gw_rule_attr(r, "outline-top");
	nr->outline_top = v && strcmp(v, "yes") == 0;
	v = gw_rule_attr(r, "ordinal-base");
	nr->base = v ? (uint32_t)strtoul(v, NULL, 16) : 0;
	nr->num = gw_rule_group(r, "num"), nr->n = gw_rule_group(r, "n");
	nr->rest = gw_rule_group(r, "rest");
	nr->ovmax = 1 + (nr->num > nr->n ? nr->num : nr->n);
	nr->ovmax = nr->rest >= nr->ovmax ? nr->rest + 1 : nr->ovmax;
}

/* issue 14: the rules asked of many lines (the node rules, 附件, 抄送, 目录 … on every line) asked
 * first of one prefilter, once a line: a rule it turns down at the line start is not run (a 第
 * rule at 1., 附件 at most lines).  Only the rules that anchor themselves there, so that a search
 * from the line start finds what it would, and the first 64 (a bit each): a user's other rules
 * are run as before. */
static int
line_rule(gw_segmenter *s, const gw_rule *r, size_t *n)
{
	if (!gw_rule_anchored(r) || *n == 64)
		return -1;
	s->lrule[*n] = r;
	return (int)(*n)++;
}

static gw_segmenter *
lines_union(gw_segmenter *s)
{
	size_t n = 0;

	s->lrule = gw_xcalloc(s->nnr + HR_COUNT, sizeof *s->lrule);
	for (size_t k = 0; k < s->nnr; k++) {
		int u = s->nr[k].u = line_rule(s, s->nr[k].rule, &n);
		uint64_t bit = u < 0 ? ~0ull : 1ull << u; /* not filtered: may match any line */

		s->nodes[0] |= bit;
		s->nodes[1] |= s->nr[k].series ? 0 : bit;
	}
	for (int h = 0; h < HR_COUNT; h++)
		s->hu[h] = line_rule(s, s->h[h], &n);
	s->pf = gw_union_prefilter(gw_rules_union(s->lrule, n, false));
	return s;
}

gw_segmenter *
gw_segmenter_new(const gw_rules *rs, gw_buf *err)
{
	gw_segmenter *s = gw_xcalloc(1, sizeof *s);
	const gw_rule *r;
	size_t i = 0, cap = 0;

	for (int h = 0; h < HR_COUNT; h++)
		if ((s->h[h] = gw_rules_get(rs, hrule_ids[h])) == NULL) {
			gw_buf_printf(err, "the rules have no rule %s (see rules/header.rules)", hrule_ids[h]);
			gw_segmenter_free(s);
			return NULL;
		}
	while ((r = gw_rules_next(rs, "node.", &i)) != NULL) {
		if (gw_rule_group(r, "num") < 0 || gw_rule_group(r, "n") < 0) {
			gw_buf_printf(err, "rule %s: a node rule needs the groups num and n",
			              gw_rule_id(r));
			gw_segmenter_free(s);
			return NULL;
		}
		gw_grow((void **)&s->nr, &cap, s->nnr + 1, sizeof *s->nr);
		noderule_init(&s->nr[s->nnr++], r);
	}
	return lines_union(s);
}

void
gw_segmenter_free(gw_segmenter *s)
{
	if (s == NULL)
		return;
	free(s->nr);
	free(s->lrule);
	free(s);
}

/* ---------------------------------------------------------------- matching */

/* Rule r against s[0, n): >0 a match, 0 none; a PCRE2 error marks the document failed and
 * counts as no match. */
static int
match(gw_lines *c, const gw_rule *r, const char *s, size_t n, size_t *ov)
{
	int rc = gw_rule_match(r, s, n, 0, ov, GW_OVMAX);

	if (rc < 0) {
		if (c->failed == NULL)
			c->failed = gw_rule_id(r);
		return 0;
	}
	return rc;
}

static int
match_line(gw_lines *c, const gw_rule *r, int i, size_t *ov)
{
	return match(c, r, c->d->text + c->ln[i].b0, c->ln[i].b1 - c->ln[i].b0, ov);
}

bool
gw_lines_match(gw_lines *c, enum gw_hrule h, const char *s, size_t n, size_t *ov)
{
	return match(c, c->s->h[h], s, n, ov) > 0;
}

int
gw_lines_rule(gw_lines *c, enum gw_hrule h, int i, size_t *ov)
{
	/* a line this long is body text: no header or region rule may cost a match limit on it */
	if (c->ln[i].b1 - c->ln[i].b0 > GW_LIMIT_RULE_LINE || !gw_lines_may(c, c->s->hu[h], i))
		return 0;
	return match_line(c, c->s->h[h], i, ov);
}

int
gw_lines_find(gw_lines *c, enum gw_hrule h, int from, int to)
{
	for (int i = from < 0 ? 0 : from; i < to && i < c->n; i++)
		if (gw_lines_is(c, h, i))
			return i;
	return -1;
}

/* Byte range of group number k after a match on bytes starting at b0; false when unset. */
static bool
group_at(int k, const size_t *ov, size_t b0, size_t *s, size_t *e)
{
	if (k < 0 || k >= GW_OVMAX || ov[2 * k] == (size_t)-1 || ov[2 * k + 1] < ov[2 * k])
		return false;
	*s = b0 + ov[2 * k];
	*e = b0 + ov[2 * k + 1];
	return true;
}

bool
gw_lines_group(const gw_rule *r, const char *g, const size_t *ov, size_t b0, size_t *s,
               size_t *e)
{
	return group_at(gw_rule_group(r, g), ov, b0, s, e);
}

bool
gw_lines_value(gw_lines *c, enum gw_hrule h, int i, const char *g, size_t *s, size_t *e)
{
	size_t ov[2 * GW_OVMAX];

	return i >= 0 && i < c->n && gw_lines_rule(c, h, i, ov) > 0 &&
	       gw_lines_group(c->s->h[h], g, ov, c->ln[i].b0, s, e);
}

/* ---------------------------------------------------------------- code points and white space */

int32_t
gw_lines_ncp(const gw_lines *c, size_t b0, size_t b1)
{
	return (int32_t)gw_utf8_count(c->d->text + b0, b1 - b0);
}

int32_t
gw_lines_c0(gw_lines *c, int i)
{
	if (c->ln[i].c0 < 0) /* issue 14: from the text's index, for the few lines asked */
		c->ln[i].c0 = gw_doc_byte_to_cp(c->d, c->ln[i].b0);
	return c->ln[i].c0;
}

int32_t
gw_lines_nc(const gw_lines *c, int i)
{
	return gw_lines_ncp(c, c->ln[i].b0, c->ln[i].b1);
}

int32_t
gw_lines_cp(gw_lines *c, int i, size_t b)
{
	size_t b0 = c->ln[i].b0;

	return gw_lines_c0(c, i) + (b >= b0 ? gw_lines_ncp(c, b0, b) : -gw_lines_ncp(c, b, b0));
}

gw_span
gw_lines_span(gw_lines *c, int i, size_t b0, int j, size_t b1)
{
	int32_t a = gw_lines_cp(c, i, b0);

	/* most spans lie within a line: their end counted from their start */
	return (gw_span){a, i == j && b1 >= b0 ? a + gw_lines_ncp(c, b0, b1)
	                                       : gw_lines_cp(c, j, b1)};
}

/* Whether white space (gw_is_space) may start at byte c: the first bytes of its UTF-8 forms. */
static bool
space_lead(unsigned char c)
{
	return (c >= '\t' && c <= '\r') || c == ' ' || c == 0xC2 || c == 0xE1 || c == 0xE2 ||
	       c == 0xE3 || c == 0xEF;
}

void
gw_lines_squeeze(const char *s, size_t b0, size_t b1, gw_buf *out)
{
	while (b0 < b1) {
		size_t e = b0;
		int k;

		while (e < b1 && !space_lead((unsigned char)s[e]))
			e += (unsigned char)s[e] - 0xE4u <= 5 && e + 3 <= b1 ? 3 : 1; /* an ideograph */
		gw_buf_put(out, s + b0, e - b0); /* the bytes up to where a space may start */
		if (e == b1)
			break;
		k = gw_space_len(s + e, b1 - e);
		b0 = e + (k ? (size_t)k : 0);
		if (!k)
			gw_buf_putc(out, s[b0++]);
	}
	gw_buf_put(out, "", 0);
}

size_t
gw_lines_trim(const char *t, size_t b, size_t e, const char *set)
{
	while (e > b) {
		size_t s = e - 1;

		while (s > b && ((unsigned char)t[s] & 0xC0) == 0x80)
			s--; /* to the first byte of the last code point */
		if (!gw_space_len(t + s, e - s) &&
		    (!*set || !gw_find(set, strlen(set), t + s, e - s)))
			break;
		e = s;
	}
	return e;
}

void
gw_lines_join(const gw_lines *c, int i, int j, gw_buf *out)
{
	for (int k = i; k <= j; k++)
		gw_lines_squeeze(c->d->text, c->ln[k].b0, c->ln[k].b1, out);
}

bool
gw_lines_same(const gw_lines *c, int i, const char *s, size_t n)
{
	gw_buf a = GW_BUF_INIT;
	bool same;

	gw_lines_join(c, i, i, &a);
	same = a.len == n && memcmp(a.ptr, s, n) == 0;
	gw_buf_free(&a);
	return same;
}

/* ---------------------------------------------------------------- the line index */

/* The first byte from b that is no white space, or e. */
static size_t
skip_space(const char *t, size_t b, size_t e)
{
	size_t k;

	while (b < e && (k = (size_t)gw_space_len(t + b, e - b)) > 0)
		b += k;
	return b;
}

/* Non-blank lines without their surrounding white space (and a scraper's Markdown #), each
 * with the line rules that may match it.  Their code points are counted when asked. */
void
gw_lines_index(gw_lines *c, gw_segmenter *s, gw_doc *d)
{
	const char *t = d->text;
	size_t len = d->text ? d->text_len : 0, p = 0, cap = 0;

	*c = (gw_lines){.s = s, .d = d};
	while (p < len) {
		const char *nl = memchr(t + p, '\n', len - p);
		size_t e = nl ? (size_t)(nl - t) : len, b = skip_space(t, p, e), q;

		if (b < e && t[b] == '#') {
			size_t h = b;

			while (h < e && t[h] == '#')
				h++;
			if (h - b <= 6 && h < e && gw_space_len(t + h, e - h))
				b = skip_space(t, h, e);
		}
		q = gw_lines_trim(t, b, e, "");
		if (q > b) {
			gw_prefilter_mask m = {.rules = ~0ull};

			if (s->pf)
				gw_prefilter_at(s->pf, t + b, q - b, 0, NULL, &m);
			if ((size_t)c->n == cap)
				gw_grow((void **)&c->ln, &cap, (size_t)c->n + 1, sizeof *c->ln);
			c->ln[c->n++] = (gw_line){b, q, -1, m.rules};
		}
		p = nl ? e + 1 : len;
	}
	if (len)
		c->skip = gw_xcalloc((size_t)c->n + 1, 1);
}

void
gw_lines_free(gw_lines *c)
{
	free(c->ln);
	free(c->skip);
}

/* ---------------------------------------------------------------- numbered lines */

/* The ordinal of an outline number 4.2.2 (its last component) and its depth. */
static bool
outline_ordinal(const char *s, size_t n, long long *ord, int *depth)
{
	size_t last = 0;

	*depth = 1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			last = i + 1, ++*depth;
		} else if (i + 2 < n && memcmp(s + i, "．", 3) == 0) {
			last = i + 3, ++*depth;
			i += 2;
		}
	}
	return gw_parse_int(s + last, n - last, ord);
}

/* The value of the numeral s[0, n) (gw_parse_int), kept: lines are numbered with a few
 * numerals, which gw_parse_int reads in some 650 instructions each (issue 14). */
static bool
numeral(gw_segmenter *sg, const char *s, size_t n, long long *v)
{
	size_t k = n;

	for (size_t i = 0; i < n && n < sizeof sg->num[0].s; i++)
		k = k * 31 + (unsigned char)s[i];
	k %= sizeof sg->num / sizeof sg->num[0];
	if (n >= sizeof sg->num[k].s)
		return gw_parse_int(s, n, v);
	if (sg->num[k].n != n || memcmp(sg->num[k].s, s, n) != 0) {
		memcpy(sg->num[k].s, s, n);
		sg->num[k].n = (unsigned char)n;
		sg->num[k].ok = gw_parse_int(s, n, &sg->num[k].v);
	}
	*v = sg->num[k].v;
	return sg->num[k].ok;
}

static bool
fill_numline(gw_lines *c, const gw_noderule *nr, int i, const size_t *ov, gw_numline *m)
{
	const char *t = c->d->text;
	size_t b = c->ln[i].b0, n0, n1; /* the numeral */
	long long v = 0;
	uint32_t cp;

	memset(m, 0, sizeof *m);
	if (!group_at(nr->num, ov, b, &m->num0, &m->num1) || !group_at(nr->n, ov, b, &n0, &n1))
		return false;
	if (!group_at(nr->rest, ov, b, &m->rest0, &m->rest1))
		m->rest0 = m->rest1 = m->num1;
	m->line = i, m->nr = nr, m->kind = nr->kind;
	if (nr->base) {
		if (gw_utf8_decode(t + n0, n1 - n0, &cp) <= 0 || cp < nr->base)
			return false;
		v = cp - nr->base + 1;
	} else if (nr->kind == GW_OUTLINE) {
		if (!outline_ordinal(t + n0, n1 - n0, &v, &m->depth))
			return false;
	} else if (n1 == n0 || !numeral(c->s, t + n0, n1 - n0, &v))
		return false;
	if (v < 1 || v > 100000)
		return false;
	m->ordinal = (long)v;
	return true;
}

bool
gw_lines_numbered(gw_lines *c, int i, bool weak, gw_numline *m)
{
	size_t ov[2 * GW_OVMAX], n = c->ln[i].b1 - c->ln[i].b0;
	gw_numline none;
	int rc = 0;

	if (!(c->ln[i].may & c->s->nodes[!weak])) /* none may match: most lines */
		return false;
	for (size_t k = 0; k < c->s->nnr; k++) {
		const gw_noderule *nr = &c->s->nr[k];

		if ((nr->series && !weak) || !gw_lines_may(c, nr->u, i))
			continue;
		if (nr->u >= 0) /* anchored at the line start, as its union tries it */
			rc = gw_rule_match_at(nr->rule, c->d->text + c->ln[i].b0, n, 0, ov, nr->ovmax);
		if (nr->u < 0 || rc < 0) /* or searched: over a match limit, this reports it */
			rc = match_line(c, nr->rule, i, ov);
		if (rc > 0 && fill_numline(c, nr, i, ov, m ? m : &none))
			return true;
	}
	return false;
}
