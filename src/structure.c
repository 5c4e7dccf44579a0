/* structure.c — the structure of a notice's text: the documents it carries and the numbered nodes of each part (GB/T 9704-2012 7.3.3), around its regions (目录, tables, attachment lists). */
#include <stdlib.h>
#include <string.h>

#include "chars.h"
#include "internal.h"
#include "segment.h"

#define TOC_MAX 300       /* lines a 目录 may take */
#define ANNEX_CONT_MAX 30 /* code points on a continuation line of an attachment list */
#define ATT_TITLE_LINES 3 /* lines an attached document's title may take */
#define MAX_NODES GW_LIMIT_NODES /* nodes in one document (GW_E_LIMIT past it) */

/* ---------------------------------------------------------------- candidate nodes */

typedef struct cand {
	gw_numline m;
	int rank;
	int parent;      /* index among the part's candidates, -1 */
	int prev;        /* the sibling before it, -1 */
	int node;        /* index in d->nodes once added */
	bool ok;
} cand;

/* Nesting order of the kinds: a node nests under the nearest one of lower rank.  The kinds
 * nest in their order in gongwen.h, part to level5; a decimal outline ranks as a level1 plus
 * its depth (1.1 under 1, above （一）). */
static int
rank_of(enum gw_kind k, int depth)
{
	return k == GW_OUTLINE ? 10 * GW_LEVEL1 + depth : 10 * (int)k;
}

/* v in Chinese numerals (1 … 99), for the next marker of a （一） list. */
static void
cn_numeral(long v, gw_buf *b)
{
	static const char *const dig[] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

	if (v >= 20)
		gw_buf_puts(b, dig[v / 10 % 10]);
	if (v >= 10)
		gw_buf_puts(b, "十");
	gw_buf_puts(b, dig[v % 10]);
}

/* An inline list （1）…；（2）… inside one sentence is not a structure (GUIDE): the next
 * marker on the same line gives it away.  m: room for the marker, kept for the part. */
static bool
inline_list(gw_lines *c, const gw_numline *cd, gw_buf *m)
{
	const char *t = c->d->text;
	bool found = false;

	for (int form = 0; form < (cd->nr->base ? 1 : 2) && !found; form++) {
		gw_buf_reset(m);
		if (cd->nr->base)
			gw_buf_put_cp(m, cd->nr->base + (uint32_t)cd->ordinal);
		else if (cd->kind == GW_LEVEL4 || cd->kind == GW_LEVEL2) {
			gw_buf_puts(m, form ? "(" : "（");
			if (cd->kind == GW_LEVEL4)
				gw_buf_printf(m, "%ld", cd->ordinal + 1);
			else
				cn_numeral(cd->ordinal + 1, m);
			gw_buf_puts(m, form ? ")" : "）");
		} else
			break;
		found = gw_find(t + cd->rest0, cd->rest1 - cd->rest0, m->ptr, m->len) != NULL;
	}
	return found;
}

/* ---------------------------------------------------------------- regions */

enum region { R_NONE, R_TOC, R_TABLE, R_ANNEX };

typedef struct collector {
	cand *v;
	size_t n, cap;
	enum region region;
	int toc_line, toc_first;
	bool toc_cand;   /* the first entry of the 目录 is a numbered heading … */
	gw_numline toc_entry; /* … this one */
	gw_buf toc_text; /* the first entry without white space and page number */
	gw_buf mark;     /* inline_list's */
	long last[GW_NKINDS]; /* the last ordinal of each kind seen outside a region */
	size_t strong;        /* candidates that always become nodes (not series, not outline) */
	size_t room;          /* nodes the document may still take (MAX_NODES) */
	int cut;              /* the line where the back matter starts, -1 */
	int over;             /* 1: more nodes than that, 2: more than 4 * MAX_NODES numbered
	                       * lines; the document fails, nothing is emitted */
} collector;

/* The text of a 目录 entry without white space and its page number (总则……1 → 总则). */
static void
toc_entry_text(gw_lines *c, int i, gw_buf *b)
{
	size_t ov[2 * GW_OVMAX], e = c->ln[i].b1;

	if (gw_lines_rule(c, HR_TOC_PAGE, i, ov) > 0 && ov[0] > 0)
		e = c->ln[i].b0 + ov[0];
	gw_buf_reset(b);
	gw_lines_squeeze(c->d->text, c->ln[i].b0, e, b);
}

/* Whether line i is still inside the current region (and so makes no node). */
static bool
in_region(gw_lines *c, collector *k, int i)
{
	gw_numline cd;

	switch (k->region) {
	case R_TOC: /* runs until its first entry comes again as a heading, or running text */
		if (k->toc_first < 0) {
			k->toc_first = i;
			k->toc_cand = gw_lines_numbered(c, i, true, &k->toc_entry);
			toc_entry_text(c, i, &k->toc_text);
			return true;
		}
		if (gw_lines_same(c, i, k->toc_text.ptr, k->toc_text.len) ||
		    i - k->toc_line >= TOC_MAX || gw_lines_is(c, HR_NOT_TITLE, i))
			break;
		if (!k->toc_cand || !gw_lines_numbered(c, i, true, &cd) ||
		    cd.kind != k->toc_entry.kind || cd.ordinal != k->toc_entry.ordinal ||
		    cd.depth != k->toc_entry.depth)
			return true;
		break;
	case R_TABLE: /* to a 注：line, or a heading that carries on the numbering before it */
		if (gw_lines_is(c, HR_TABLE_END, i)) {
			k->region = R_NONE;
			return true;
		}
		if (!gw_lines_numbered(c, i, false, &cd) || cd.kind > GW_LEVEL2 ||
		    k->last[cd.kind] <= 0 || cd.ordinal != k->last[cd.kind] + 1)
			return true;
		break;
	case R_ANNEX: /* the numbered or broken lines of an attachment list */
		if (gw_lines_is(c, HR_ANNEX_ITEM, i) ||
		    (gw_lines_nc(c, i) <= ANNEX_CONT_MAX && !gw_lines_is(c, HR_NOT_TITLE, i) &&
		     !gw_lines_is(c, HR_ANNEX_LABEL, i) && !gw_lines_numbered(c, i, false, NULL)))
			return true;
		break;
	case R_NONE:
		break;
	}
	k->region = R_NONE;
	return false;
}

/* Whether line i opens a region (an attachment's label opens none, but makes no node). */
static bool
region_start(gw_lines *c, collector *k, int i)
{
	static const struct {
		enum gw_hrule h;
		enum region r;
	} opens[] = {{HR_TOC, R_TOC}, {HR_TABLE, R_TABLE}, {HR_ANNEX_NOTE, R_ANNEX},
	             {HR_ANNEX_LABEL, R_NONE}};

	for (size_t j = 0; j < sizeof opens / sizeof opens[0]; j++) /* toc_*: read in R_TOC only */
		if (gw_lines_is(c, opens[j].h, i)) {
			k->region = opens[j].r, k->toc_line = i, k->toc_first = -1;
			return true;
		}
	return false;
}

static void
collect(gw_lines *c, int l0, int l1, collector *k)
{
	for (int i = l0; i < l1; i++) {
		cand cd = {.parent = -1, .prev = -1, .node = -1};

		if (c->skip[i] || in_region(c, k, i) || region_start(c, k, i))
			continue;
		if (!gw_lines_numbered(c, i, true, &cd.m) || inline_list(c, &cd.m, &k->mark))
			continue;
		/* over the node limit: stop at once rather than collect a million lines of 1. */
		k->strong += !cd.m.nr->series && cd.m.kind != GW_OUTLINE;
		if (k->strong > k->room || k->n >= 4 * (size_t)MAX_NODES) {
			k->over = k->strong > k->room ? 1 : 2;
			return;
		}
		gw_grow((void **)&k->v, &k->cap, k->n + 1, sizeof *k->v);
		k->v[k->n++] = cd;
		if (!cd.m.nr->series)
			k->last[cd.m.kind] = cd.m.ordinal;
	}
}

/* ---------------------------------------------------------------- filtering and nesting */

/* A weak candidate counts in an unbroken series: 1 (with a 2 to come), then 2, 3 … */
static bool
series_ok(const collector *k, size_t i, long *last)
{
	const cand *cd = &k->v[i];

	if (*last > 0 && cd->m.ordinal == *last + 1)
		return true;
	if (cd->m.ordinal != 1)
		return false;
	for (size_t j = i + 1; j < k->n; j++) /* the next one of its rule must be 2 */
		if (k->v[j].m.nr == cd->m.nr)
			return k->v[j].m.ordinal == 2;
	return false;
}

/* Decimal outline numbers count only in order: x.1, then x.2 … at each depth. */
static bool
outline_ok(const gw_numline *cd, long *last, int maxdepth)
{
	if (cd->depth < 1 || cd->depth >= maxdepth)
		return false;
	if (cd->ordinal != 1 && cd->ordinal != last[cd->depth] + 1)
		return false;
	last[cd->depth] = cd->ordinal;
	for (int d = cd->depth + 1; d < maxdepth; d++)
		last[d] = 0;
	return true;
}

static void
filter(collector *k)
{
	long series_last = 0, olast[8] = {0};
	bool outline = false;

	for (size_t i = 0; i < k->n; i++)
		outline |= k->v[i].m.kind == GW_OUTLINE && !k->v[i].m.nr->series;
	for (size_t i = 0; i < k->n; i++) {
		cand *cd = &k->v[i];

		cd->ok = true;
		if (cd->m.nr->series) {
			cd->ok = series_ok(k, i, &series_last);
			if (cd->ok)
				series_last = cd->m.ordinal;
			if (cd->ok && outline && cd->m.nr->outline_top)
				cd->m.kind = GW_OUTLINE, cd->m.depth = 1;
		}
		if (cd->ok && cd->m.kind == GW_OUTLINE)
			cd->ok = outline_ok(&cd->m, olast, 8);
		cd->rank = rank_of(cd->m.kind, cd->m.depth);
	}
}

/* Parents by rank: a node nests under the nearest node before it of lower rank, so that
 * skipped levels (一、 straight to 1.) nest where they stand. */
static void
nest(collector *k)
{
	int stack[64], top = 0;
	int *last = gw_xmalloc((k->n + 1) * sizeof *last); /* last child of candidate p at p + 1 */

	for (size_t i = 0; i <= k->n; i++)
		last[i] = -1;
	for (size_t i = 0; i < k->n; i++) {
		cand *cd = &k->v[i];

		if (!cd->ok)
			continue;
		if (k->cut >= 0 && cd->m.line > k->cut && top > 0 && k->v[stack[0]].m.line < k->cut)
			top = 0; /* the notes of the back matter nest under nothing before them */
		while (top > 0 && k->v[stack[top - 1]].rank >= cd->rank)
			top--;
		cd->parent = top > 0 ? stack[top - 1] : -1;
		cd->prev = last[cd->parent + 1];
		last[cd->parent + 1] = (int)i;
		stack[top++] = (int)i; /* ranks rise up the stack: one of each rank at most */
	}
	free(last);
}

/* ---------------------------------------------------------------- headings */

/* The punctuation the GUIDE strips from the end of a heading. */
#define TAIL_PUNCT "。：:；;，,、"

/* The first byte in [s, e) where one of the characters of set stands, or e. */
static size_t
find_first(const char *t, size_t s, size_t e, const char *set)
{
	uint32_t cp;
	int n;

	for (; *set && (n = gw_utf8_decode(set, strlen(set), &cp)) > 0; set += n) {
		const char *p = gw_find(t + s, e - s, set, (size_t)n);

		if (p)
			e = (size_t)(p - t); /* the next ones are looked for before it */
	}
	return e;
}

/* The byte range of a candidate's heading (GUIDE), or false for none. */
static bool
heading_range(gw_lines *c, const gw_numline *cd, bool body_follows, size_t *hs, size_t *he)
{
	const char *t = c->d->text;
	size_t s = cd->rest0, e = cd->rest1, p, q;

	if (s >= e)
		return false;
	switch (cd->nr->heading) {
	case GW_HEAD_LINE:
		e = find_first(t, s, e, "。");
		break;
	case GW_HEAD_ARTICLE: /* 第五条（目的） */
		if (strncmp(t + s, "（", 3) != 0 && t[s] != '(')
			return false;
		p = s + (t[s] == '(' ? 1 : 3);
		q = find_first(t, p, e, "）)");
		if (q == e || gw_lines_ncp(c, p, q) > cd->nr->heading_max)
			return false;
		s = p, e = q;
		break;
	case GW_HEAD_INLINE:
		p = find_first(t, s, e, "。：:");
		if (p < e) { /* a run-in title, with the item's text after it or below it */
			q = p + (t[p] == ':' ? 1 : 3);
			if (gw_lines_ncp(c, s, p) > cd->nr->heading_max || (q >= e && !body_follows))
				return false;
			e = p;
		} else if (gw_lines_ncp(c, s, e) > cd->nr->heading_max ||
		           find_first(t, s, e, "；;") < e)
			return false; /* a plain paragraph, not a title on its own line */
		break;
	}
	e = gw_lines_trim(t, s, e, TAIL_PUNCT); /* no trailing white space or TAIL_PUNCT */
	*hs = s, *he = e;
	return e > s;
}

/* ---------------------------------------------------------------- emitting nodes */

/* GB/T 9704-2012 7.3.3: a skipped or repeated ordinal, within a parent (numbering may run
 * on from the previous parent). */
static void
check_ordinal(gw_lines *c, collector *k, size_t i, long *part_last)
{
	const gw_numline *cd = &k->v[i].m, *prev = NULL;
	gw_span sp = gw_lines_span(c, cd->line, cd->num0, cd->line, cd->num1);

	for (int j = k->v[i].prev, steps = 0; j >= 0 && steps < 8; j = k->v[j].prev, steps++)
		if (k->v[j].m.kind == cd->kind && k->v[j].m.depth == cd->depth) {
			prev = &k->v[j].m;
			break;
		}
	if (prev && cd->ordinal == prev->ordinal)
		gw_doc_diag(c->d, GW_W_ORDINAL_REPEATED, sp, "%ld again", cd->ordinal);
	else if (prev && cd->ordinal > prev->ordinal + 1)
		gw_doc_diag(c->d, GW_W_ORDINAL_SKIPPED, sp, "%ld after %ld", cd->ordinal, prev->ordinal);
	else if (!prev && cd->ordinal != 1 && cd->ordinal != part_last[cd->kind] + 1)
		gw_doc_diag(c->d, GW_W_ORDINAL_SKIPPED, sp, "%ld first", cd->ordinal);
	part_last[cd->kind] = cd->ordinal;
}

static void
emit(gw_lines *c, collector *k, int part, int l1, int32_t end)
{
	gw_buf num = GW_BUF_INIT, head = GW_BUF_INIT;
	long part_last[GW_NKINDS] = {0};
	const char *t = c->d->text;

	for (size_t i = 0; i < k->n; i++) {
		cand *cd = &k->v[i];
		const gw_numline *m = &cd->m;
		size_t j, hs, he;
		int32_t cend = k->cut >= 0 && m->line < k->cut ? gw_lines_c0(c, k->cut) : end;
		bool body;

		if (!cd->ok)
			continue;
		for (j = i + 1; j < k->n; j++)
			if (k->v[j].ok && k->v[j].rank <= cd->rank) {
				if (gw_lines_c0(c, k->v[j].m.line) < cend)
					cend = gw_lines_c0(c, k->v[j].m.line);
				break;
			}
		for (j = i + 1; j < k->n && !k->v[j].ok; j++)
			;
		body = m->line + 1 < l1 && (j >= k->n || k->v[j].m.line != m->line + 1);
		gw_buf_reset(&num), gw_buf_reset(&head);
		gw_buf_put(&num, t + m->num0, m->num1 - m->num0);
		if (heading_range(c, m, body, &hs, &he))
			gw_lines_squeeze(t, hs, he, &head);
		else
			hs = he = m->rest0;
		check_ordinal(c, k, i, part_last);
		cd->node = gw_doc_add_node(
		    c->d, m->kind, part, cd->parent >= 0 ? k->v[cd->parent].node : -1, num.ptr,
		    m->ordinal, head.len ? head.ptr : NULL,
		    (gw_span){gw_lines_cp(c, m->line, m->num0), cend},
		    head.len ? gw_lines_span(c, m->line, hs, m->line, he) : GW_NOSPAN);
	}
	gw_buf_free(&num);
	gw_buf_free(&head);
}

/* Does line j start a 版记 line the header found (抄送, 印发机关, 印发日期)?  at: the bytes
 * they start at, SIZE_MAX for none. */
static bool
imprint_line(gw_lines *c, const size_t *at, int j)
{
	for (size_t i = 0; i < 3; i++)
		if (at[i] >= c->ln[j].b0 && at[i] < c->ln[j].b1)
			return true;
	return false;
}

/* Is line j the label of notes after the last section: 注释：, or 注： with no node after it? */
static bool
notes_line(gw_lines *c, const collector *k, int j)
{
	size_t ov[2 * GW_OVMAX], s, e;

	if (gw_lines_rule(c, HR_NOTES, j, ov) <= 0)
		return false;
	if (gw_lines_group(c->s->h[HR_NOTES], "all", ov, c->ln[j].b0, &s, &e))
		return true;
	for (size_t i = 0; i < k->n; i++)
		if (k->v[i].ok && k->v[i].m.line > j)
			return false;
	return true;
}

/* The back matter of the part after its last top-level node: a notes block or the 抄送 and
 * 印发 lines of the 版记 are no part of the last point (issue 13); the numbered notes are nodes
 * of their own at the top.  Sets k->cut to its first line (-1: none). */
static void
find_back_matter(gw_lines *c, collector *k, int l1)
{
	static const enum gw_hfield f[] = {GW_H_CC, GW_H_PRINTER, GW_H_PRINT_DATE};
	int top = -1, from = -1;
	size_t at[3];

	for (size_t i = 0; i < 3; i++) {
		const gw_field *hf = &c->d->header.f[f[i]];

		at[i] = hf->text && hf->span.start >= 0 ? gw_doc_cp_to_byte(c->d, hf->span.start)
		                                        : SIZE_MAX;
	}
	k->cut = -1;
	for (size_t i = 0; i < k->n; i++)
		if (k->v[i].ok && (top < 0 || k->v[i].rank <= top))
			top = k->v[i].rank, from = k->v[i].m.line;
	for (int j = from + 1; from >= 0 && j < l1 && k->cut < 0; j++)
		if (imprint_line(c, at, j) || (!c->skip[j] && notes_line(c, k, j)))
			k->cut = j;
}

/* The nodes of one part: lines [l0, l1), ending at code point end.  0, or the collector's
 * over when they would take the document over MAX_NODES (then none is added). */
static int
build_part(gw_lines *c, int part, int l0, int l1, int32_t end)
{
	collector k = {.room = MAX_NODES - c->d->nnodes};
	size_t nok = 0;

	collect(c, l0, l1, &k);
	if (!k.over) {
		filter(&k);
		find_back_matter(c, &k, l1);
		for (size_t i = 0; i < k.n; i++)
			nok += k.v[i].ok;
		k.over = nok > k.room;
	}
	if (!k.over) {
		nest(&k);
		emit(c, &k, part, l1, end);
	}
	free(k.v);
	gw_buf_free(&k.toc_text);
	gw_buf_free(&k.mark);
	return k.over;
}

/* ---------------------------------------------------------------- attachments */

/* An attachment from line `line` (its label or its title) on, titled by the lines from ti or
 * else by the notice's 《》: added to the document, the one before it ending where it starts,
 * and its line kept in at.  Returns its title's last line, -1 for none. */
static int
add_att(gw_lines *c, const gw_hpos *p, int *at, int line, int ti)
{
	size_t na = c->d->natts, s, e;
	gw_buf title = GW_BUF_INIT;
	gw_span ts = GW_NOSPAN;
	int last = -1;

	if (na >= GW_LIMIT_ATTACHMENTS)
		return -1;
	if (gw_header_title_at(c, ti, ATT_TITLE_LINES, &last)) {
		gw_lines_join(c, ti, last, &title);
		ts = gw_lines_span(c, ti, c->ln[ti].b0, last, c->ln[last].b1);
		memset(c->skip + line, 1, (size_t)(last - line + 1));
	} else if (gw_lines_value(c, HR_QUOTED, p->title0, "v", &s, &e)) {
		gw_lines_squeeze(c->d->text, s, e, &title);
		ts = gw_lines_span(c, p->title0, s, p->title0, e);
	}
	if (na > 0)
		c->d->atts[na - 1].span.end = gw_lines_c0(c, line);
	at[na] = line;
	gw_doc_add_attachment(c->d, title.len ? title.ptr : NULL, ts,
	                      (gw_span){gw_lines_c0(c, line), (int32_t)c->d->ncp});
	gw_buf_free(&title);
	return last;
}

/* Whether line j labels an attached document whose title is on the next line: 附件, 附件2,
 * or 附件： when no list of attachment titles follows it. */
static bool
annex_label(gw_lines *c, int j)
{
	size_t ov[2 * GW_OVMAX], s, e;
	int last;

	if (!gw_lines_is(c, HR_ANNEX_LABEL, j)) {
		if (gw_lines_rule(c, HR_ANNEX_NOTE, j, ov) <= 0 ||
		    (gw_lines_group(c->s->h[HR_ANNEX_NOTE], "list", ov, c->ln[j].b0, &s, &e) && e > s) ||
		    gw_lines_is(c, HR_ANNEX_ITEM, j + 1) ||
		    gw_find(c->d->text + c->ln[j + 1].b0, c->ln[j + 1].b1 - c->ln[j + 1].b0, "：", 3))
			return false;
	}
	return gw_header_title_at(c, j + 1, ATT_TITLE_LINES, &last);
}

/* The documents a notice carries: the one it 印发/转发 (right after its 成文日期 and 附注), and
 * each one under a 附件 label.  Returns how many, their first lines in at. */
static size_t
find_attachments(gw_lines *c, const gw_hpos *p, int *at)
{
	int from = p->date >= 0 ? p->date + 1 : p->body0, j, last;

	if (!c->d->is_notice)
		return 0;
	if (p->transmit) {
		for (j = p->date + 1; j < c->n && (c->skip[j] || gw_lines_is(c, HR_NOTE, j)); j++)
			;
		if (j < c->n && !gw_lines_is(c, HR_ANNEX_LABEL, j)) {
			last = add_att(c, p, at, j, j);
			from = last >= 0 ? last + 1 : j + 1;
		}
	}
	for (j = from; j + 1 < c->n; j++)
		if (annex_label(c, j))
			add_att(c, p, at, j, j + 1);
	return c->d->natts;
}

int
gw_structure_build(gw_lines *c, const gw_hpos *p)
{
	int at[GW_LIMIT_ATTACHMENTS], l0 = 0, over = 0;
	size_t na = find_attachments(c, p, at);

	for (size_t k = 0; k <= na && !over; k++) {
		int l1 = k < na ? at[k] : c->n;

		over = build_part(c, (int)k, l0, l1,
		                  k < na ? gw_lines_c0(c, l1) : (int32_t)c->d->ncp);
		l0 = l1;
	}
	return over;
}
