/* prefilter.c — which of the rules tried at one place of a text can match there, told from their
 * patterns once and from the few code points around the place (issue 14: a number start ran
 * every stop and quantity rule, each reading the number again and trying some 150 unit words).
 *
 * Each pattern is read as far as a conservative grammar goes (literals, classes, groups and
 * (?s:…) groups, alternatives, repeats, lookarounds, anchors, \k<name> as any run; anything else:
 * no filter for that rule) into
 * clauses, one per leading alternative: a match of the clause needs the code point before the
 * place in `before` (its leading lookbehinds), the one at the place in `first`, and, after a run
 * of code points of `skip` (what its first items can consume: the number), one of `acc` (what
 * the rest can start with: a unit, 年, 以上 …), followed by one of `acc2` when the rest starts
 * with a single code point (年一遇); a lookahead that reads a run and then needs a code point
 * (stop.title) asks where the run stops (`far`, kept in a cursor for one text).  For a search
 * (a kind rule on a string) a clause keeps `req` and `req2`: one of each is in every match (two
 * of its items' first code points: 了 and the 完 新 … of kind.perfective's 完成了 新增了); and `only`,
 * for a clause anchored at both ends: what every code point of the string must be.  A clause
 * anchored at the end ($ \z \Z) keeps `end`, the code points its match can end with, asked of the
 * one before the first \n from the place on (or the subject's end): its $ can match there or
 * nowhere (session 7: header.printer, chrome.empty-field, the node and title rules were run
 * on every line whose end they could not match).  Every set is
 * a superset of what PCRE2 can match, so a rule turned down cannot match; a rule not turned down
 * is run as before.  A filter reads its patterns when a text first asks it, not when it is made
 * (a program given no document builds none). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define CP_MAX 0x10FFFF
#define W 2                 /* words of a clause mask: at most 128 clauses */
#define RULE_CLAUSES 24     /* a rule whose alternatives give more is one clause */
#define SKIP_MAX 4096       /* code points of a skip set: more would walk on through the text */
#define SPLIT_DEPTH 3       /* leading alternatives split up to this depth */
#define SPLIT_MAX 256       /* and into at most this many clauses a rule, before folding them */

/* ---------------------------------------------------------------- sets of code points */

typedef struct cpset {
	uint32_t *r; /* ranges r[2i]..r[2i + 1], inclusive, sorted, apart */
	size_t n, cap; /* cap 0: r is not the set's own but borrowed (set_ref), never changed */
} cpset;

static uint32_t all_r[2] = {0, CP_MAX};
static const cpset NONE = {NULL, 0, 0}, ALL = {all_r, 1, 0};

/* Append [lo, hi] (lo at or after the ranges there), merging it with the last one; room is
 * made by the caller. */
static void
set_push(cpset *s, uint32_t lo, uint32_t hi)
{
	if (s->n && s->r[2 * s->n - 1] + 1 >= lo) {
		if (hi > s->r[2 * s->n - 1])
			s->r[2 * s->n - 1] = hi;
		return;
	}
	s->r[2 * s->n] = lo, s->r[2 * s->n + 1] = hi;
	s->n++;
}

/* Where the lists of ranges of the sets come from while a filter is built (session 8: a
 * malloc, a realloc and a free for most of some 20,000 sets a process): lists of 2^k ranges,
 * those let go kept for the next of their size (free[k], chained through their first words),
 * cut from blocks freed when the build is done.  Every set lives within a build (build sets
 * it, under the lock of ready), and a list is never freed but to these. */
#define LISTS_BLOCK 32768 /* bytes */

typedef struct lists {
	uint32_t *free[32];
	char **blk;
	size_t nblk, capblk, used;
} lists;

static _Thread_local lists *set_lists;

/* A list for 2^k ranges. */
static uint32_t *
lists_get(unsigned k)
{
	lists *m = set_lists;
	size_t size = (size_t)8 << k;
	uint32_t *r = m->free[k];

	if (r) {
		memcpy(&m->free[k], r, sizeof m->free[k]);
		return r;
	}
	if (m->nblk == 0 || m->used + size > LISTS_BLOCK) {
		gw_grow((void **)&m->blk, &m->capblk, m->nblk + 1, sizeof *m->blk);
		if (size > LISTS_BLOCK / 4) { /* a block of its own, before the one in use */
			m->blk[m->nblk++] = gw_xmalloc(size);
			if (m->nblk >= 2) {
				char *own = m->blk[m->nblk - 1];

				m->blk[m->nblk - 1] = m->blk[m->nblk - 2], m->blk[m->nblk - 2] = own;
				return (uint32_t *)own;
			}
			m->used = LISTS_BLOCK; /* the next asks a new block */
			return (uint32_t *)m->blk[0];
		}
		m->blk[m->nblk++] = gw_xmalloc(LISTS_BLOCK);
		m->used = 0;
	}
	m->used += size;
	return (uint32_t *)(m->blk[m->nblk - 1] + m->used - size);
}

/* Room in s for n ranges: a list of twice the size, or one of its own for a borrowed set. */
static void
set_room(cpset *s, size_t n)
{
	unsigned k = 0;
	uint32_t *r;

	if (n <= s->cap)
		return;
	while (((size_t)1 << k) < n)
		k++;
	r = lists_get(k);
	if (s->n)
		memcpy(r, s->r, 2 * s->n * sizeof *r);
	if (s->cap) { /* let go: a power of two */
		unsigned j = (unsigned)__builtin_ctzll(s->cap);

		memcpy(s->r, &set_lists->free[j], sizeof set_lists->free[j]);
		set_lists->free[j] = s->r;
	}
	s->r = r, s->cap = (size_t)1 << k;
}

static void
set_free(cpset *s)
{
	if (s->cap) {
		unsigned j = (unsigned)__builtin_ctzll(s->cap);

		memcpy(s->r, &set_lists->free[j], sizeof set_lists->free[j]);
		set_lists->free[j] = s->r;
	}
	*s = (cpset){0};
}

/* s borrowed, not copied: s must not change while the result is used (session 8: most sets
 * of a clause are those of the nodes or every code point, and were copied, often in vain). */
static cpset
set_ref(const cpset *s)
{
	return (cpset){s->r, s->n, 0};
}

/* a = a ∪ b in place: the two lists merged from their last ranges back into the end of a's
 * room, then moved to its start (session 8: a list made and freed at each union was most of
 * the build's malloc). */
static void
set_or(cpset *a, const cpset *b)
{
	size_t i = a->n, j = b->n, w = a->n + b->n;
	uint32_t lo, hi;

	if (b->n == 0)
		return;
	if (a->n == 0 || a->r[2 * a->n - 1] + 1 < b->r[0]) { /* b after a: appended */
		set_room(a, a->n + b->n);
		memcpy(a->r + 2 * a->n, b->r, 2 * b->n * sizeof *b->r);
		a->n += b->n;
		return;
	}
	set_room(a, w);
	/* by their last code points, from the end: a range that does not reach the one after it is
	 * apart from every one after that; the front range is written when the next one is apart */
	lo = hi = 0;
	for (bool any = false; i || j;) {
		bool from_a = j == 0 || (i && a->r[2 * i - 1] >= b->r[2 * j - 1]);
		const uint32_t *x = from_a ? &a->r[2 * --i] : &b->r[2 * --j];

		if (any && x[1] + 1 >= lo) {
			lo = x[0] < lo ? x[0] : lo;
			continue;
		}
		if (any)
			w--, a->r[2 * w] = lo, a->r[2 * w + 1] = hi;
		lo = x[0], hi = x[1], any = true;
	}
	w--, a->r[2 * w] = lo, a->r[2 * w + 1] = hi;
	a->n = a->n + b->n - w;
	memmove(a->r, a->r + 2 * w, 2 * a->n * sizeof *a->r);
}

/* a = a ∩ b, made in a list of its own (on the stack when small: most are) and copied back. */
static void
set_and(cpset *a, const cpset *b)
{
	uint32_t stack[2 * 64];
	cpset o = {stack, 0, 64};
	size_t i = 0, j = 0;

	if (a->n == 0 || (b->n == 1 && b->r[0] == 0 && b->r[1] == CP_MAX))
		return; /* a as it is (most of the analysis meets these) */
	if (a->n + b->n > o.cap)
		o.r = gw_xmalloc((a->n + b->n) * 2 * sizeof *o.r), o.cap = a->n + b->n;
	while (i < a->n && j < b->n) {
		uint32_t lo = a->r[2 * i] > b->r[2 * j] ? a->r[2 * i] : b->r[2 * j];
		uint32_t hi = a->r[2 * i + 1] < b->r[2 * j + 1] ? a->r[2 * i + 1] : b->r[2 * j + 1];

		if (lo <= hi)
			set_push(&o, lo, hi);
		if (a->r[2 * i + 1] < b->r[2 * j + 1])
			i++;
		else
			j++;
	}
	set_room(a, o.n);
	memcpy(a->r, o.r, 2 * o.n * sizeof *o.r);
	a->n = o.n;
	if (o.r != stack)
		free(o.r);
}

/* [lo, hi] put at the end of s, in any order: s is a list of ranges, not a set, until
 * set_close (session 8: a set made of many pieces, a class or the union of a hundred
 * alternatives, is sorted once, not merged again at each piece). */
static void
set_put(cpset *s, uint32_t lo, uint32_t hi)
{
	set_room(s, s->n + 1);
	s->r[2 * s->n] = lo, s->r[2 * s->n + 1] = hi;
	s->n++;
}

/* The n ranges r[2i]..r[2i + 1] put at the end of s (set_put). */
static void
set_put_ranges(cpset *s, const uint32_t *r, size_t n)
{
	set_room(s, s->n + n);
	memcpy(s->r + 2 * s->n, r, 2 * n * sizeof *r);
	s->n += n;
}

/* The end of the run of ranges sorted by their first code points from i on, in r[0..n). */
static size_t
run_end(const uint32_t *r, size_t i, size_t n)
{
	for (i++; i < n && r[2 * i - 2] <= r[2 * i]; i++)
		;
	return i;
}

/* Ranges r[0..n) sorted by their first code points: few by insertion; else the runs already
 * sorted (the sets of a union, each sorted) merged two by two through t (room for n) until
 * one is left (session 8: a union of a few large sets is a few passes, not a sort). */
static void
sort_ranges(uint32_t *r, uint32_t *t, size_t n)
{
	uint32_t *from = r, *to = t;

	if (n <= 8) {
		for (size_t i = 1; i < n; i++) {
			uint32_t lo = r[2 * i], hi = r[2 * i + 1];
			size_t j = i;

			for (; j > 0 && r[2 * j - 2] > lo; j--)
				r[2 * j] = r[2 * j - 2], r[2 * j + 1] = r[2 * j - 1];
			r[2 * j] = lo, r[2 * j + 1] = hi;
		}
		return;
	}
	for (size_t runs = 2; runs > 1;) {
		uint32_t *x;

		runs = 0;
		for (size_t b = 0; b < n; runs++) {
			size_t i = b, m = run_end(from, b, n), j = m, o = b;
			size_t e = m < n ? run_end(from, m, n) : n;

			while (i < m || j < e) {
				size_t k = j >= e || (i < m && from[2 * i] <= from[2 * j]) ? i++ : j++;

				to[2 * o] = from[2 * k], to[2 * o + 1] = from[2 * k + 1], o++;
			}
			b = e;
		}
		x = from, from = to, to = x;
	}
	if (from != r)
		memcpy(r, from, 2 * n * sizeof *r);
}

/* The ranges put into s made a set: sorted, and those that overlap or touch joined. */
static void
set_close(cpset *s)
{
	size_t n = s->n, k;

	for (k = 1; k < n && s->r[2 * k - 1] + 1 < s->r[2 * k]; k++)
		;
	if (k >= n)
		return; /* a set already */
	set_room(s, n);
	if (n <= 256) {
		uint32_t t[2 * 256];

		sort_ranges(s->r, t, n);
	} else {
		uint32_t *t = gw_xmalloc(2 * n * sizeof *t);

		sort_ranges(s->r, t, n);
		free(t);
	}
	s->n = 0;
	for (size_t i = 0; i < n; i++)
		set_push(s, s->r[2 * i], s->r[2 * i + 1]);
}

static void
set_add(cpset *s, uint32_t lo, uint32_t hi)
{
	uint32_t r[2] = {lo, hi};

	set_or(s, &(cpset){r, 1, 1});
}

static void
set_invert(cpset *s)
{
	cpset o = {0};
	uint32_t from = 0;

	set_room(&o, s->n + 1);
	for (size_t i = 0; i < s->n; from = s->r[2 * i + 1] + 1, i++)
		if (s->r[2 * i] > from)
			set_push(&o, from, s->r[2 * i] - 1);
	if (from <= CP_MAX && !(s->n && s->r[2 * s->n - 1] == CP_MAX))
		set_push(&o, from, CP_MAX);
	set_free(s);
	*s = o;
}

/* Whether c is in s. */
static bool
set_has(const cpset *s, uint32_t c)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) { /* the first range that ends at or after c */
		size_t mid = (lo + hi) / 2;

		if (s->r[2 * mid + 1] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && s->r[2 * lo] <= c;
}

/* Whether every code point of a is in b. */
static bool
set_within(const cpset *a, const cpset *b)
{
	size_t j = 0;

	for (size_t i = 0; i < a->n; i++) {
		while (j < b->n && b->r[2 * j + 1] < a->r[2 * i])
			j++;
		if (j == b->n || b->r[2 * j] > a->r[2 * i] || b->r[2 * j + 1] < a->r[2 * i + 1])
			return false;
	}
	return true;
}

static bool
set_is_all(const cpset *s)
{
	return s->n == 1 && s->r[0] == 0 && s->r[1] == CP_MAX;
}

static uint32_t
set_size(const cpset *s)
{
	uint32_t k = 0;

	for (size_t i = 0; i < s->n; i++)
		k += s->r[2 * i + 1] - s->r[2 * i] + 1;
	return k;
}

static cpset
set_copy(const cpset *s)
{
	cpset o = {0};

	if (s->n) {
		set_room(&o, s->n);
		memcpy(o.r, s->r, s->n * 2 * sizeof *o.r);
		o.n = s->n;
	}
	return o;
}

static cpset
set_all(void)
{
	return set_ref(&ALL);
}

/* ---------------------------------------------------------------- reading a pattern */

enum ntype { N_SET, N_SEQ, N_ALT, N_REP, N_AHEAD, N_BEHIND, N_ZERO };

/* What a node can match (an analysis, kept with it once made):
 *   fne    the first code points of its non-empty matches
 *   e      whether it can match the empty string; then ce: what the code point there may be
 *          (all: anything, the end of the subject too; a lookahead narrows it; when it cannot,
 *          ce is not asked)
 *   chars  every code point it can consume
 * The sets are the node's own (in mine), or borrowed from one of its items, or NONE or ALL
 * (session 8: a copy of every set at every level of a pattern was a third of the build). */
typedef struct ana {
	const cpset *fne, *ce, *chars;
	bool e;
} ana;


typedef struct node {
	enum ntype type;
	cpset set;             /* N_SET; its ranges in one when it is a single range */
	uint32_t one[2];
	struct node **kid;     /* N_SEQ N_ALT: its items or alternatives; else kid[0] */
	size_t nkid;
	unsigned min, max;     /* N_REP; max UINT32_MAX: no bound */
	char anchor;           /* N_ZERO: ^ $, or the letter of \G \A \z \Z \b \B; else 0 */
	ana a;
	cpset *mine;           /* the sets of a made for it, when it makes some: fne, ce and chars */
	bool done;
} node;

#define MEMO_SLOTS 1024 /* a power of two */
#define MEMO_MIN 24     /* bytes of a group worth looking up */

typedef struct memo {
	const char *text; /* NULL: a free slot */
	size_t len;
	struct node *nd;
} memo;

#define POOL_BLOCK 32768 /* bytes of a block of the pool */

typedef struct px {
	const char *s;
	size_t n, i;
	bool bad;         /* a construct the grammar does not read: no filter */
	node **stk;       /* the items of the sequences and alternations being read */
	size_t nstk, capstk;
	char **blk;       /* the pool: nodes, their items and sets, freed at once */
	size_t nblk, capblk, used;
	memo *memo;       /* groups read, by their text: the rules share their defines (Q_UNIT) */
	size_t nmemo;
	size_t *end;      /* group_end: per byte, the end of the group opened there (0: not known) */
	uint32_t *scan;   /* and the number of the scan that found it (nscan: the last) */
	size_t capend, *open, capopen;
	uint32_t nscan;
	struct lit {      /* the nodes of single code points (cp CP_MAX + 1: the dot), by a hash */
		uint32_t cp;
		struct node *nd;
	} *lit;
	size_t nlit, caplit;
} px;

/* size bytes from the pool, not cleared (session 8: a malloc and a free for every node and
 * every list of items, some 10,000 a process). */
static void *
pool_get(px *p, size_t size)
{
	size = (size + 15) / 16 * 16;
	if (p->nblk == 0 || p->used + size > POOL_BLOCK) {
		gw_grow((void **)&p->blk, &p->capblk, p->nblk + 1, sizeof *p->blk);
		p->blk[p->nblk++] = gw_xmalloc(size > POOL_BLOCK ? size : POOL_BLOCK);
		p->used = 0;
		if (size > POOL_BLOCK) { /* a block of its own, before the one in use */
			char *big = p->blk[p->nblk - 1];

			if (p->nblk >= 2) {
				p->blk[p->nblk - 1] = p->blk[p->nblk - 2], p->blk[p->nblk - 2] = big;
				p->used = POOL_BLOCK; /* not known: the next asks a new block */
			}
			return big;
		}
	}
	p->used += size;
	return p->blk[p->nblk - 1] + p->used - size;
}

static node *
mk(px *p, enum ntype t)
{
	node *nd = pool_get(p, sizeof *nd);

	*nd = (node){.type = t};
	if (t == N_SEQ || t == N_ALT || t == N_AHEAD) { /* those whose analysis makes sets */
		nd->mine = pool_get(p, 3 * sizeof *nd->mine);
		nd->mine[0] = nd->mine[1] = nd->mine[2] = (cpset){0};
	}
	return nd;
}

/* nd's items: the nodes on the stack from base on, which are taken off. */
static void
take_kids(px *p, node *nd, size_t base)
{
	nd->nkid = p->nstk - base;
	nd->kid = pool_get(p, (nd->nkid ? nd->nkid : 1) * sizeof *nd->kid);
	if (nd->nkid)
		memcpy(nd->kid, p->stk + base, nd->nkid * sizeof *nd->kid);
	p->nstk = base;
}

static void
push_kid(px *p, node *k)
{
	gw_grow((void **)&p->stk, &p->capstk, p->nstk + 1, sizeof *p->stk);
	p->stk[p->nstk++] = k;
}

/* A node of type t with the one item k. */
static node *
mk_over(px *p, enum ntype t, node *k)
{
	node *nd = mk(p, t);

	nd->kid = pool_get(p, sizeof *nd->kid);
	nd->kid[0] = k, nd->nkid = 1;
	return nd;
}

/* The node of the range lo..hi: one for all the literals of a code point (and all the dots) of
 * the patterns (session 8: most nodes are literals, and most literals are some 1,500 Han
 * characters again and again).  A node is never changed once read, only wrapped. */
static node *
mk_set(px *p, uint32_t lo, uint32_t hi)
{
	uint32_t key = lo == hi ? lo : CP_MAX + 1, h;
	node *nd;

	if (lo != hi && !(lo == 0 && hi == CP_MAX))
		key = UINT32_MAX; /* not kept */
	if (key != UINT32_MAX && 2 * (p->nlit + 1) > p->caplit) { /* more slots: placed again */
		struct lit *old = p->lit;
		size_t n = p->caplit;

		p->caplit = n ? 2 * n : 1024;
		p->lit = gw_xcalloc(p->caplit, sizeof *p->lit);
		for (size_t k = 0; k < n; k++)
			if (old[k].nd) {
				h = old[k].cp * 2654435761u % p->caplit;
				while (p->lit[h].nd)
					h = (h + 1) % p->caplit;
				p->lit[h] = old[k];
			}
		free(old);
	}
	if (key != UINT32_MAX) {
		for (h = key * 2654435761u % p->caplit; p->lit[h].nd; h = (h + 1) % p->caplit)
			if (p->lit[h].cp == key)
				return p->lit[h].nd;
	}
	nd = mk(p, N_SET);
	nd->one[0] = lo, nd->one[1] = hi;
	nd->set = (cpset){nd->one, 1, 0}; /* borrowed: never grown */
	if (key != UINT32_MAX)
		p->lit[h] = (struct lit){key, nd}, p->nlit++;
	return nd;
}

/* \s \h \v as PCRE2 reads them with PCRE2_UCP: \p{Zs} or \h or \v, exactly (a negated class may
 * hold them). */
static void
add_space(cpset *s, char k)
{
	static const uint32_t h[] = {0x09, 0x09, 0x20, 0x20, 0xA0, 0xA0, 0x1680, 0x1680, 0x180E, 0x180E,
	                             0x2000, 0x200A, 0x202F, 0x202F, 0x205F, 0x205F, 0x3000, 0x3000};
	static const uint32_t v[] = {0x0A, 0x0D, 0x85, 0x85, 0x2028, 0x2029};

	if (k != 'v')
		set_put_ranges(s, h, sizeof h / sizeof *h / 2);
	if (k != 'h')
		set_put_ranges(s, v, sizeof v / sizeof *v / 2);
}

/* \d as PCRE2 reads it with PCRE2_UCP, \p{Nd}: the decimal digits of Unicode 15 (a superset
 * of PCRE2 10.42's, of Unicode 14; a later Unicode adds blocks of its own), ten from each start.
 * Not any code point: a node rule's \d turns it down at 一 or 第, and a set this small is a run
 * the filter can skip (a number) to the code point it looks for after it. */
static void
add_digits(cpset *s)
{
	static const uint32_t d[] = {
	    0x30,    0x660,   0x6F0,   0x7C0,   0x966,   0x9E6,   0xA66,   0xAE6,   0xB66,   0xBE6,
	    0xC66,   0xCE6,   0xD66,   0xDE6,   0xE50,   0xED0,   0xF20,   0x1040,  0x1090,  0x17E0,
	    0x1810,  0x1946,  0x19D0,  0x1A80,  0x1A90,  0x1B50,  0x1BB0,  0x1C40,  0x1C50,  0xA620,
	    0xA8D0,  0xA900,  0xA9D0,  0xA9F0,  0xAA50,  0xABF0,  0xFF10,  0x104A0, 0x10D30, 0x11066,
	    0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0,
	    0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x11F50, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8,
	    0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E4F0, 0x1E950, 0x1FBF0};

	set_room(s, s->n + sizeof d / sizeof *d);
	for (size_t i = 0; i < sizeof d / sizeof *d; i++)
		s->r[2 * s->n] = d[i], s->r[2 * s->n + 1] = d[i] + 9, s->n++;
}

static uint32_t
hex_escape(px *p)
{
	uint32_t v = 0;
	bool brace = p->i < p->n && p->s[p->i] == '{';
	int k = 0;

	p->i += brace;
	for (; p->i < p->n && k < (brace ? 8 : 2); p->i++, k++) {
		char c = p->s[p->i];
		int d = c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;

		if (d < 0)
			break;
		v = v * 16 + (uint32_t)d;
	}
	if (brace && (p->i >= p->n || p->s[p->i++] != '}'))
		p->bad = true;
	return v > CP_MAX ? (p->bad = true, 0) : v;
}

/* The escape after a backslash at p->i, its ranges put into s (set_put): 1 a set, 0 an anchor
 * (outside a class), -1 not read.  exact: the set must be exact (a negated class), not a superset. */
static int
escape(px *p, cpset *s, bool in_class, bool exact)
{
	uint32_t c;
	int len;
	char k;

	if (p->i >= p->n)
		return -1;
	k = p->s[p->i++];
	if (strchr("shv", k) && k)
		return add_space(s, k), 1;
	if (!in_class && strchr("GbBAzZ", k) && k)
		return 0;
	if (strchr("dwDSWHVNRXpP", k) && k) {
		if (exact)
			return -1;
		if ((k == 'p' || k == 'P') && p->i < p->n && p->s[p->i] == '{')
			while (p->i < p->n && p->s[p->i++] != '}')
				;
		else if (k == 'p' || k == 'P')
			p->i++;
		if (k == 'd')
			return add_digits(s), 1;
		return set_put(s, 0, CP_MAX), 1;
	}
	switch (k) {
	case 'n': c = '\n'; break;
	case 't': c = '\t'; break;
	case 'r': c = '\r'; break;
	case 'f': c = '\f'; break;
	case 'e': c = 0x1B; break;
	case 'a': c = 0x07; break;
	case 'b': c = 0x08; break; /* in a class */
	case 'x': c = hex_escape(p); break;
	default:
		if ((k >= '0' && k <= '9') || (k >= 'A' && k <= 'Z') || (k >= 'a' && k <= 'z'))
			return -1; /* a reference, \K \Q \c …: not read */
		p->i--;
		if ((len = gw_utf8_decode(p->s + p->i, p->n - p->i, &c)) <= 0)
			return -1;
		p->i += (size_t)len;
	}
	set_put(s, c, c);
	return 1;
}

/* One code point of a class (a literal or an escape for one), into *c; false for a set escape
 * (its code points are then in s). */
static bool
class_member(px *p, cpset *s, uint32_t *c, bool exact)
{
	size_t n0 = s->n;
	int len;

	if (p->s[p->i] != '\\') {
		if ((len = gw_utf8_decode(p->s + p->i, p->n - p->i, c)) <= 0)
			return p->bad = true, false;
		p->i += (size_t)len;
		return true;
	}
	p->i++;
	if (escape(p, s, true, exact) != 1)
		p->bad = true;
	if (s->n == n0 + 1 && s->r[2 * n0] == s->r[2 * n0 + 1]) { /* one code point: taken back */
		*c = s->r[2 * n0];
		s->n = n0;
		return true;
	}
	return false;
}

static node *
parse_class(px *p)
{
	node *nd = mk(p, N_SET);
	bool neg = p->i < p->n && p->s[p->i] == '^', first = true;
	uint32_t lo, hi;

	p->i += neg;
	while (!p->bad && p->i < p->n && (p->s[p->i] != ']' || first)) {
		first = false;
		if (p->s[p->i] == '[' && p->i + 1 < p->n && strchr(":.=", p->s[p->i + 1]))
			return p->bad = true, nd; /* [:alpha:] */
		if (!class_member(p, &nd->set, &lo, neg))
			continue;
		hi = lo;
		if (p->i + 1 < p->n && p->s[p->i] == '-' && p->s[p->i + 1] != ']') {
			p->i++;
			if (!class_member(p, &nd->set, &hi, neg) || hi < lo)
				return p->bad = true, nd;
		}
		set_put(&nd->set, lo, hi);
	}
	if (p->i >= p->n)
		p->bad = true;
	set_close(&nd->set);
	p->i++;
	if (neg)
		set_invert(&nd->set);
	return nd;
}

static node *parse_alt(px *p);

/* The byte after the ")" that closes the group opened at i, or 0: over escapes and classes.
 * The ends of the groups inside it are kept (p->end[j] for the "(" at j, when p->scan[j] is
 * the number of the scan that found it): they are asked next, and a group nested d deep was
 * read d + 1 times (session 8). */
static size_t
group_end(px *p, size_t i)
{
	const char *s = p->s;
	size_t n = p->n, depth = 0, cap = p->capend;

	if (i < cap && p->scan[i] == p->nscan && p->end[i])
		return p->end[i];
	if (n > cap) { /* the new room zeroed: no scan numbered there */
		gw_grow((void **)&p->end, &p->capend, n, sizeof *p->end);
		p->scan = gw_xrealloc(p->scan, p->capend * sizeof *p->scan);
		memset(p->scan + cap, 0, (p->capend - cap) * sizeof *p->scan);
	}
	p->nscan++;
	for (; i < n; i++)
		if (s[i] == '\\')
			i++;
		else if (s[i] == '[') {
			i += i + 1 < n && s[i + 1] == '^';
			for (i += 2; i < n && s[i] != ']'; i++) /* a ] first is a member */
				i += s[i] == '\\';
		} else if (s[i] == '(') {
			gw_grow((void **)&p->open, &p->capopen, depth + 1, sizeof *p->open);
			p->open[depth++] = i;
			p->scan[i] = p->nscan, p->end[i] = 0;
		} else if (s[i] == ')' && depth > 0) {
			p->end[p->open[--depth]] = i + 1;
			if (depth == 0)
				return i + 1;
		}
	return 0;
}

/* The first slot of the memo for a group whose text starts with t[0..16): its entries are
 * found by their first 16 bytes (every group kept has MEMO_MIN), then compared whole. */
static size_t
memo_first(const char *t)
{
	uint32_t h = 2166136261u;

	for (size_t k = 0; k < 16; k++)
		h = (h ^ (unsigned char)t[k]) * 16777619u;
	return h & (MEMO_SLOTS - 1);
}

static node *parse_group(px *p);
static node *parse_class(px *p);

/* The node kept for the text from byte from on (a whole group or class), or NULL: p->i then
 * after that text. */
static node *
memo_find(px *p, size_t from)
{
	for (size_t h = memo_first(p->s + from); p->memo[h].text; h = (h + 1) & (MEMO_SLOTS - 1))
		if (p->memo[h].len <= p->n - from && memcmp(p->memo[h].text, p->s + from, p->memo[h].len) == 0) {
			p->i = from + p->memo[h].len;
			return p->memo[h].nd;
		}
	return NULL;
}

/* nd kept for the text from byte from to p->i, when it is long enough to be worth it. */
static void
memo_keep(px *p, size_t from, node *nd)
{
	size_t h;

	if (p->i - from < MEMO_MIN)
		return;
	for (h = memo_first(p->s + from); p->memo[h].text; h = (h + 1) & (MEMO_SLOTS - 1))
		;
	p->memo[h] = (memo){p->s + from, p->i - from, nd};
	p->nmemo++;
}

/* A group after its "(" at p->i - 1: read once for all the patterns that hold its text.  A
 * group kept is found by comparing its text with the bytes from here (session 8: not by its
 * end, which a scan of the whole group found first, for every rule that holds Q_UNIT): the
 * text of a whole group ends where the group does. */
static node *
group(px *p)
{
	size_t from = p->i - 1, end;
	bool look = p->nmemo < MEMO_SLOTS / 2 && p->n - from >= MEMO_MIN;
	node *nd;

	if (look && (nd = memo_find(p, from)) != NULL)
		return nd;
	end = look ? group_end(p, from) : 0;
	nd = parse_group(p);
	if (look && end > from && !p->bad && p->i == end)
		memo_keep(p, from, nd);
	return nd;
}

/* A class after its "[" at p->i - 1: read once for the patterns that hold its text, as a
 * group (session 8: Q_ZD's 27 numerals and the like, sorted again in every rule). */
static node *
class(px *p)
{
	size_t from = p->i - 1;
	bool look = p->nmemo < MEMO_SLOTS / 2 && p->n - from >= MEMO_MIN;
	node *nd;

	if (look && (nd = memo_find(p, from)) != NULL)
		return nd;
	nd = parse_class(p);
	if (look && !p->bad)
		memo_keep(p, from, nd);
	return nd;
}

/* A group after its "(": its kind from the characters that open it. */
static node *
parse_group(px *p)
{
	static const struct {
		const char *open;
		enum ntype t;
	} kinds[] = {{"?:", N_SEQ}, {"?>", N_SEQ}, {"?=", N_AHEAD}, {"?!", N_ZERO},
	             {"?<=", N_BEHIND}, {"?<!", N_ZERO}, {"?<", N_SEQ}, {"?P<", N_SEQ}, {"?'", N_SEQ},
	             {"?s:", N_SEQ}};
	enum ntype t = N_SEQ;
	node *in;

	if (p->i < p->n && p->s[p->i] == '?') {
		size_t k = 0;
		const char *open;

		while (k < sizeof kinds / sizeof *kinds &&
		       (p->n - p->i < strlen(kinds[k].open) ||
		        memcmp(p->s + p->i, kinds[k].open, strlen(kinds[k].open)) != 0))
			k++;
		if (k == sizeof kinds / sizeof *kinds)
			return p->bad = true, NULL; /* options, conditions, recursion, comments */
		open = kinds[k].open;
		p->i += strlen(open);
		t = kinds[k].t;
		if (strcmp(open, "?<") == 0 || strcmp(open, "?P<") == 0 || strcmp(open, "?'") == 0) {
			char close = open[1] == '\'' ? '\'' : '>'; /* a name to its end */

			while (p->i < p->n && p->s[p->i] != close)
				p->i++;
			p->i++;
		}
	} else if (p->i < p->n && p->s[p->i] == '*')
		return p->bad = true, NULL; /* a verb */
	in = parse_alt(p);
	if (p->i >= p->n || p->s[p->i] != ')')
		return p->bad = true, in;
	p->i++;
	if (t == N_SEQ)
		return in;
	return mk_over(p, t, in);
}

/* A repeat after an atom, {m}, {m,} or {m,n}: false when the brace is a literal. */
static bool
braces(px *p, unsigned *min, unsigned *max)
{
	size_t i = p->i + 1;
	unsigned a = 0, b;
	bool digits = false;

	while (i < p->n && p->s[i] >= '0' && p->s[i] <= '9')
		a = a * 10 + (unsigned)(p->s[i++] - '0'), digits = true;
	if (!digits || i >= p->n)
		return false;
	b = a;
	if (p->s[i] == ',') {
		b = UINT32_MAX;
		if (i + 1 < p->n && p->s[i + 1] >= '0' && p->s[i + 1] <= '9')
			for (b = 0, i++; i < p->n && p->s[i] >= '0' && p->s[i] <= '9';)
				b = b * 10 + (unsigned)(p->s[i++] - '0');
		else
			i++;
	}
	if (i >= p->n || p->s[i] != '}')
		return false;
	p->i = i + 1, *min = a, *max = b;
	return true;
}

static node *
quantified(px *p, node *atom)
{
	unsigned min, max;
	node *nd;
	char c = p->i < p->n ? p->s[p->i] : 0;

	if (c == '?' || c == '*' || c == '+')
		min = c == '+', max = c == '?' ? 1 : UINT32_MAX, p->i++;
	else if (!(c == '{' && braces(p, &min, &max)))
		return atom;
	if (p->i < p->n && (p->s[p->i] == '?' || p->s[p->i] == '+'))
		p->i++; /* lazy or possessive: the same strings */
	nd = mk_over(p, N_REP, atom);
	nd->min = min, nd->max = max;
	return nd;
}

static node *
parse_atom(px *p)
{
	char c = p->s[p->i++];
	node *nd;
	uint32_t cp;
	int len;

	if (c == '(')
		nd = group(p);
	else if (c == '[')
		nd = class(p);
	else if (c == '.')
		nd = mk_set(p, 0, CP_MAX);
	else if (c == '^' || c == '$')
		nd = mk(p, N_ZERO), nd->anchor = c;
	else if (c == '\\' && p->i + 1 < p->n && p->s[p->i] == 'k' && strchr("<{'", p->s[p->i + 1])) {
		/* a reference by name: some string, read as any run (issue 14: chrome.breadcrumb) */
		char close = p->s[p->i + 1] == '<' ? '>' : p->s[p->i + 1] == '{' ? '}' : '\'';

		for (p->i += 2; p->i < p->n && p->s[p->i] != close; p->i++)
			;
		if (p->i++ >= p->n)
			return p->bad = true, NULL;
		nd = mk_over(p, N_REP, mk_set(p, 0, CP_MAX));
		nd->min = 0, nd->max = UINT32_MAX;
	} else if (c == '\\') {
		nd = mk(p, N_SET);
		len = escape(p, &nd->set, false, false);
		set_close(&nd->set);
		if (len < 0)
			p->bad = true;
		else if (len == 0)
			nd->type = N_ZERO, nd->anchor = p->s[p->i - 1];
	} else if (c == '*' || c == '+' || c == '?')
		return p->bad = true, NULL;
	else {
		p->i--;
		if ((len = gw_utf8_decode(p->s + p->i, p->n - p->i, &cp)) <= 0)
			return p->bad = true, NULL;
		p->i += (size_t)len;
		nd = mk_set(p, cp, cp);
	}
	return p->bad || nd == NULL ? NULL : quantified(p, nd);
}

static node *
parse_seq(px *p)
{
	node *seq = mk(p, N_SEQ), *a;
	size_t base = p->nstk;

	while (!p->bad && p->i < p->n && p->s[p->i] != '|' && p->s[p->i] != ')')
		if ((a = parse_atom(p)) != NULL)
			push_kid(p, a);
	take_kids(p, seq, base);
	return seq;
}

static node *
parse_alt(px *p)
{
	node *first = parse_seq(p), *alt;
	size_t base = p->nstk;

	if (p->i >= p->n || p->s[p->i] != '|')
		return first;
	alt = mk(p, N_ALT);
	push_kid(p, first);
	while (!p->bad && p->i < p->n && p->s[p->i] == '|') {
		p->i++;
		push_kid(p, parse_seq(p));
	}
	take_kids(p, alt, base);
	return alt;
}

/* ---------------------------------------------------------------- what a node can match */

/* The code points a match of a can start with, empty matches too, into a set of its own. */
static cpset
acc_of(const ana *a)
{
	cpset s = set_copy(a->fne);

	if (a->e)
		set_or(&s, a->ce);
	return s;
}

/* The union of the sets v[0..n): the one that is not empty or holds every code point,
 * borrowed, or made in own (empty): a few merged at once, more put and sorted by runs. */
static const cpset *
set_union(const cpset *const *v, size_t n, cpset *own)
{
	const cpset *one = &NONE;
	size_t k = 0, room = 0;

	for (size_t i = 0; i < n; i++)
		if (set_is_all(v[i]))
			return v[i];
		else if (v[i]->n)
			one = v[i], k++, room += v[i]->n;
	if (k <= 1)
		return one;
	set_room(own, room);
	if (k == 2) { /* most: the two merged */
		const cpset *a = NULL, *b = NULL;
		size_t i = 0, j = 0;

		for (size_t q = 0; q < n; q++)
			if (v[q]->n)
				*(a ? &b : &a) = v[q];
		while (i < a->n || j < b->n)
			if (j >= b->n || (i < a->n && a->r[2 * i] <= b->r[2 * j]))
				set_push(own, a->r[2 * i], a->r[2 * i + 1]), i++;
			else
				set_push(own, b->r[2 * j], b->r[2 * j + 1]), j++;
		return own;
	}
	for (size_t i = 0; i < n; i++)
		if (v[i]->n) {
			memcpy(own->r + 2 * own->n, v[i]->r, 2 * v[i]->n * sizeof *own->r);
			own->n += v[i]->n;
		}
	set_close(own);
	return own;
}

static const ana *analyse(node *nd);

/* A sequence: its first code points those of each item that only empty ones precede (where
 * their ce allow them), its ce where every item's allows. */
static void
ana_seq(node *nd, const cpset **v)
{
	const cpset *ce = &ALL;
	cpset cut = {0}; /* the first code points of items narrowed by the empty ones before them */
	size_t nf = 0;
	bool e = true;

	for (size_t k = 0; k < nd->nkid; k++) {
		const ana *b = analyse(nd->kid[k]);

		v[nd->nkid + k] = b->chars;
		if (!e)
			continue;
		if (ce == &ALL)
			v[nf++] = b->fne;
		else if (b->fne->n) {
			cpset t = set_copy(b->fne);

			set_and(&t, ce);
			if (t.n) {
				set_room(&cut, cut.n + t.n);
				memcpy(cut.r + 2 * cut.n, t.r, 2 * t.n * sizeof *t.r);
				cut.n += t.n;
			}
			set_free(&t);
		}
		if (b->e && !set_is_all(b->ce)) {
			if (ce == &ALL)
				nd->mine[1] = set_ref(b->ce), ce = &nd->mine[1];
			else
				set_and(&nd->mine[1], b->ce);
		}
		e = b->e;
	}
	nd->a.e = e;
	nd->a.ce = e ? ce : &NONE;
	if (cut.n)
		set_close(&cut), v[nf++] = &cut;
	nd->a.fne = set_union(v, nf, &nd->mine[0]);
	if (nd->a.fne == &cut)
		nd->mine[0] = cut, cut = (cpset){0}, nd->a.fne = &nd->mine[0];
	set_free(&cut);
	nd->a.chars = set_union(v + nd->nkid, nd->nkid, &nd->mine[2]);
}

/* An alternation: what any alternative can. */
static void
ana_alt(node *nd, const cpset **v)
{
	size_t ne = 0;

	nd->a.e = false;
	for (size_t k = 0; k < nd->nkid; k++) {
		const ana *b = analyse(nd->kid[k]);

		v[k] = b->fne, v[nd->nkid + k] = b->chars;
		if (b->e)
			v[2 * nd->nkid + ne++] = b->ce, nd->a.e = true;
	}
	nd->a.fne = set_union(v, nd->nkid, &nd->mine[0]);
	nd->a.chars = set_union(v + nd->nkid, nd->nkid, &nd->mine[2]);
	nd->a.ce = set_union(v + 2 * nd->nkid, ne, &nd->mine[1]);
}

static const ana *
analyse(node *nd)
{
	static const ana empty = {&NONE, &ALL, &NONE, true};
	const ana *k;

	if (nd->done)
		return &nd->a;
	switch (nd->type) {
	case N_SET:
		nd->a = (ana){&nd->set, &NONE, &nd->set, false};
		break;
	case N_SEQ:
	case N_ALT: {
		const cpset **v = gw_xmalloc((3 * nd->nkid + 1) * sizeof *v);

		if (nd->type == N_SEQ)
			ana_seq(nd, v);
		else
			ana_alt(nd, v);
		free(v);
		break;
	}
	case N_AHEAD:
		k = analyse(nd->kid[0]);
		nd->a = empty;
		if (!k->e || k->ce->n == 0)
			nd->a.ce = k->fne;
		else if (k->fne->n == 0)
			nd->a.ce = k->ce;
		else
			nd->mine[1] = acc_of(k), nd->a.ce = &nd->mine[1];
		break;
	case N_REP:
		k = analyse(nd->kid[0]);
		nd->a = nd->max == 0 ? empty : *k;
		if (nd->max != 0 && nd->min == 0)
			nd->a.ce = &ALL, nd->a.e = true;
		break;
	default: /* N_ZERO, N_BEHIND: zero width here */
		nd->a = empty;
	}
	nd->done = true;
	return &nd->a;
}

/* ---------------------------------------------------------------- clauses */

typedef struct clause {
	cpset before[2];   /* the code point before the place, and the one before it */
	cpset first, skip, acc;
	cpset acc2;        /* with has2: what must follow a code point of acc */
	cpset req;         /* one of these is in every match (the fewest of first and its items') */
	cpset req2;        /* and one of these (the next fewest, the last of its size) */
	cpset only;        /* for a search: every code point of a string it matches is one of these */
	cpset far_s, far_f; /* with far: the first code point from the place on not in far_s is in far_f */
	cpset end;         /* anchored at the end: what the last code point of a match may be */
	bool end_nl;       /* and the clause consumes no line end: the end is the line's */
	bool far;
	bool has2;
	bool empty_ok;     /* the skipped part can be empty: acc is asked at the place */
	bool always;       /* no condition after first */
	size_t rule;
} clause;

typedef struct item_list {
	node **it;
	size_t n, cap;
} item_list;

static void
flatten(node *nd, item_list *l)
{
	if (nd->type == N_SEQ) {
		for (size_t k = 0; k < nd->nkid; k++)
			flatten(nd->kid[k], l);
		return;
	}
	gw_grow((void **)&l->it, &l->cap, l->n + 1, sizeof *l->it);
	l->it[l->n++] = nd;
}

static bool
zero_width(const node *nd)
{
	return nd->type == N_ZERO || nd->type == N_AHEAD || nd->type == N_BEHIND;
}

/* The code points a and b share. */
static uint32_t
shared(const cpset *a, const cpset *b)
{
	uint32_t k = 0;

	for (size_t i = 0, j = 0; i < a->n && j < b->n;) {
		uint32_t lo = a->r[2 * i] > b->r[2 * j] ? a->r[2 * i] : b->r[2 * j];
		uint32_t hi = a->r[2 * i + 1] < b->r[2 * j + 1] ? a->r[2 * i + 1] : b->r[2 * j + 1];

		k += lo <= hi ? hi - lo + 1 : 0;
		if (a->r[2 * i + 1] < b->r[2 * j + 1])
			i++;
		else
			j++;
	}
	return k;
}

/* How often acc may let a clause through: its size, and much more for each code point that
 * the number itself may hold (a digit after the sign: it is always there); UINT32_MAX as soon
 * as it is known to be more than best (a score below UINT32_MAX - 1), which does not need it. */
static uint32_t
score(const cpset *acc, const cpset *first, const cpset *skip, uint32_t best)
{
	uint32_t size = set_size(acc), k;
	bool cut = best < UINT32_MAX - 1;

	if (cut && size > best)
		return UINT32_MAX;
	if ((k = shared(acc, first)) > 1000)
		return UINT32_MAX - 1;
	if (cut && k * 1000 + size > best)
		return UINT32_MAX;
	k += shared(acc, skip);
	return k > 1000 ? UINT32_MAX - 1 : k * 1000 + size;
}

/* The last two code points of a match of a lookbehind's y, into last[0] (the last) and last[1]:
 * exact for a string of single code points or alternatives of them, else what y can consume
 * and anything. */
static void
last_two(node *y, cpset last[2])
{
	item_list l = {0};

	if (y->type == N_ALT) {
		cpset b[2] = {{0}, {0}};

		for (size_t k = 0; k < y->nkid; k++) {
			last_two(y->kid[k], b);
			set_or(&last[0], &b[0]), set_or(&last[1], &b[1]);
			set_free(&b[0]), set_free(&b[1]), b[0] = b[1] = (cpset){0};
		}
		return;
	}
	flatten(y, &l);
	for (size_t k = 0; k < l.n && l.n; k++)
		if (l.it[k]->type != N_SET)
			l.n = 0;
	if (l.n >= 1) {
		last[0] = set_ref(&l.it[l.n - 1]->set);
		last[1] = l.n >= 2 ? set_ref(&l.it[l.n - 2]->set) : set_all();
	} else {
		last[0] = analyse(y)->e ? set_all() : set_ref(analyse(y)->chars);
		last[1] = set_all();
	}
	free(l.it);
}

/* The leading lookbehinds of l narrow what may stand before the place. */
static void
lookbehinds(const item_list *l, clause *c)
{
	for (size_t k = 0; k < l->n && zero_width(l->it[k]); k++)
		if (l->it[k]->type == N_BEHIND) {
			cpset last[2] = {{0}, {0}};

			last_two(l->it[k]->kid[0], last);
			set_and(&c->before[0], &last[0]), set_and(&c->before[1], &last[1]);
			set_free(&last[0]), set_free(&last[1]);
		}
}

/* A lookahead of l that a match passes after items that only read code points of a set S and
 * that reads a run of S, then an item that cannot match empty and starts outside S (stop.title:
 * a number, then (?=[^《》\n]{0,60}》)): the first code point from the place on that is not in S
 * must start that item. */
static void
far_of(const item_list *l, clause *c)
{
	for (size_t a = 0; a < l->n && !c->far; a++) {
		item_list y = {0};
		bool in = true;

		if (l->it[a]->type != N_AHEAD)
			continue;
		flatten(l->it[a]->kid[0], &y);
		if (y.n >= 2 && y.it[0]->type == N_REP && y.it[0]->kid[0]->type == N_SET &&
		    !analyse(y.it[1])->e) {
			const cpset *sk = &y.it[0]->kid[0]->set, *f = analyse(y.it[1])->fne;

			for (size_t k = 0; k < a && in; k++) /* what the items before read is in S */
				in = set_within(analyse(l->it[k])->chars, sk);
			if (shared(f, sk) == 0 && in) {
				c->far = true;
				c->far_s = set_ref(sk), c->far_f = set_ref(f);
			}
		}
		free(y.it);
	}
}

/* The split of items l (rest[j]: what items j.. can start with) after which the rest can start
 * with the fewest code points that are not the number's (the number read, then its unit),
 * skipping at most SKIP_MAX kinds of code point: skip and acc of c, and acc2 when the rest
 * starts with one code point of a set. */
static void
choose_split(const item_list *l, const ana *const *rest, clause *c)
{
	cpset pre = {0}, made = {0};
	uint32_t best = UINT32_MAX;
	size_t bestj = 0;
	bool pre_e = true;

	for (size_t j = 0; j < l->n; j++) { /* pre has at most SKIP_MAX code points */
		const cpset *acc = rest[j]->e ? (made = acc_of(rest[j]), &made) : rest[j]->fne;
		uint32_t size = set_is_all(acc) ? UINT32_MAX : score(acc, &c->first, &pre, best);

		if (size <= best && size < UINT32_MAX) {
			best = size, bestj = j, c->always = false, c->empty_ok = pre_e;
			set_free(&c->skip), set_free(&c->acc);
			c->skip = set_copy(&pre);
			c->acc = acc == &made ? made : set_copy(acc), made = (cpset){0};
		}
		set_free(&made), made = (cpset){0};
		if (j + 1 == l->n)
			break; /* no item after: what it reads is not skipped */
		set_or(&pre, analyse(l->it[j])->chars);
		if (set_size(&pre) > SKIP_MAX)
			break; /* nor may any after it be skipped to: pre only grows */
		pre_e = pre_e && analyse(l->it[j])->e;
	}
	set_free(&pre);
	if (!c->always && l->it[bestj]->type == N_SET) {
		c->acc2 = acc_of(rest[bestj + 1]);
		c->has2 = !set_is_all(&c->acc2);
	}
}

/* What the items of l from each k on can start with, into rest[k] (rest[l->n]: nothing, the
 * empty string).  An item that cannot match empty starts every match of its suffix: its own
 * analysis serves; a suffix that starts with one that can is made in own[k], with the sets it
 * does not borrow in mine[2k] and mine[2k + 1]. */
static void
rests_of(const item_list *l, const ana **rest, ana *own, cpset *mine)
{
	own[l->n] = (ana){&NONE, &ALL, &NONE, true}, rest[l->n] = &own[l->n];
	for (size_t k = l->n; k-- > 0;) {
		const ana *a = analyse(l->it[k]), *r = rest[k + 1];
		const cpset *v[2] = {a->fne, r->fne};
		cpset cut = {0};

		if (!a->e) {
			rest[k] = a;
			continue;
		}
		if (!set_is_all(a->ce)) /* what may follow the empty match narrowed by its ce */
			cut = set_copy(r->fne), set_and(&cut, a->ce), v[1] = &cut;
		own[k] = (ana){set_union(v, 2, &mine[2 * k]), &NONE, &NONE, r->e};
		if (own[k].fne == &cut)
			mine[2 * k] = cut, cut = (cpset){0}, own[k].fne = &mine[2 * k];
		set_free(&cut);
		if (r->e && set_is_all(a->ce))
			own[k].ce = r->ce;
		else if (r->e && set_is_all(r->ce))
			own[k].ce = a->ce;
		else if (r->e) {
			mine[2 * k + 1] = set_ref(a->ce);
			set_and(&mine[2 * k + 1], r->ce);
			own[k].ce = &mine[2 * k + 1];
		}
		rest[k] = &own[k];
	}
}

/* Whether one of the zero-width items at the start (at_end: the end) of l is one of anchors. */
static bool
anchored(const item_list *l, bool at_end, const char *anchors)
{
	for (size_t k = 0; k < l->n; k++) {
		const node *nd = l->it[at_end ? l->n - 1 - k : k];

		if (!zero_width(nd))
			break;
		if (nd->anchor && strchr(anchors, nd->anchor))
			return true;
	}
	return false;
}

/* What a string that items l match may hold: when they are anchored at its start and at its
 * end, every code point is one of those they consume, or the line end $ may stand before
 * (verb.clause: a clause with a 、 is turned down); else anything. */
static cpset
only_of(const item_list *l)
{
	cpset s = {0};

	if (!anchored(l, false, "^GA") || !anchored(l, true, "$zZ"))
		return set_all();
	for (size_t k = 0; k < l->n; k++)
		set_or(&s, analyse(l->it[k])->chars);
	set_add(&s, '\n', '\n');
	return s;
}

/* The last code points of the non-empty matches of nd into s; whether nd can match empty.  A
 * repeat's last code point is one of its item's, a sequence's one of its last item's or, when
 * that can match empty, of the items before it. */
static bool
last_of(node *nd, cpset *s)
{
	bool e = false;

	switch (nd->type) {
	case N_SET:
		set_or(s, &nd->set);
		return false;
	case N_SEQ:
		for (size_t k = nd->nkid; k-- > 0;)
			if (!last_of(nd->kid[k], s))
				return false;
		return true;
	case N_ALT:
		for (size_t k = 0; k < nd->nkid; k++)
			e = last_of(nd->kid[k], s) || e;
		return e;
	case N_REP:
		if (nd->max == 0)
			return true;
		return last_of(nd->kid[0], s) || nd->min == 0;
	default: /* lookarounds and anchors consume nothing */
		return true;
	}
}

/* For items l anchored at the end ($ \z \Z among the zero-width items that end them), that
 * every match ends at the end of the subject or of its line (before a final line end, and with
 * multiline, which the filter is not told, before any): the code points the last code point of
 * a match may be, into c->end, and whether l consumes no line end (c->end_nl), when the end is
 * the first line end from the place on.  Else (l may match empty: the code point before the end
 * is not its own) c->end is every code point. */
static void
end_of(const item_list *l, clause *c)
{
	cpset last = {0};
	bool e = true;

	c->end = set_all();
	if (!anchored(l, true, "$zZ"))
		return;
	for (size_t k = l->n; k-- > 0 && e;)
		e = last_of(l->it[k], &last);
	if (!e) {
		set_free(&c->end);
		c->end = last, last = (cpset){0};
		c->end_nl = true;
		for (size_t k = 0; k < l->n; k++)
			c->end_nl = c->end_nl && !set_has(analyse(l->it[k])->chars, '\n');
	}
	set_free(&last);
}

/* The clause of the items l (for a search, only first, req and only). */
static clause
clause_of(const item_list *l, size_t rule, bool search)
{
	enum { FEW = 32 }; /* items of most clauses: their suffixes on the stack */
	clause c = {.before = {set_all(), set_all()}, .always = true, .rule = rule};
	const ana *rest_s[FEW + 1], **rest = l->n <= FEW ? rest_s : gw_xmalloc((l->n + 1) * sizeof *rest);
	ana own_s[FEW + 1], *own = l->n <= FEW ? own_s : gw_xmalloc((l->n + 1) * sizeof *own);
	cpset mine_s[2 * (FEW + 1)], *mine = l->n <= FEW ? mine_s : gw_xmalloc(2 * (l->n + 1) * sizeof *mine);

	memset(mine, 0, 2 * (l->n + 1) * sizeof *mine);

	rests_of(l, rest, own, mine);
	c.first = acc_of(rest[0]);
	c.req = set_copy(&c.first), c.req2 = set_all();
	for (size_t j = 0; j < l->n; j++) { /* an item that cannot match empty puts one of its own */
		const cpset *fne = analyse(l->it[j])->fne;

		if (analyse(l->it[j])->e || set_size(fne) > set_size(&c.req2))
			continue;
		set_free(&c.req2);
		if (set_size(fne) < set_size(&c.req))
			c.req2 = c.req, c.req = set_ref(fne);
		else
			c.req2 = set_ref(fne);
	}
	if (!search)
		lookbehinds(l, &c), choose_split(l, rest, &c), far_of(l, &c), end_of(l, &c);
	else
		c.end = set_all();
	c.only = search ? only_of(l) : set_all();
	for (size_t k = 0; k < 2 * (l->n + 1); k++)
		set_free(&mine[k]);
	if (l->n > FEW)
		free(mine), free(own), free(rest);
	return c;
}

typedef struct clauses {
	clause *c;
	size_t n, cap;
} clauses;

/* The clauses of items l: one, or one per alternative of the first item that consumes, as long
 * as out stays within limit. */
static void
split(const item_list *l, size_t rule, int depth, bool search, size_t limit, clauses *out)
{
	size_t i = 0;

	while (i < l->n && zero_width(l->it[i]))
		i++;
	if (i < l->n && l->it[i]->type == N_ALT && depth > 0 && out->n + l->it[i]->nkid <= limit) {
		node *alt = l->it[i];

		for (size_t b = 0; b < alt->nkid; b++) {
			item_list m = {0};

			for (size_t k = 0; k < i; k++)
				flatten(l->it[k], &m);
			flatten(alt->kid[b], &m);
			for (size_t k = i + 1; k < l->n; k++)
				flatten(l->it[k], &m);
			split(&m, rule, depth - 1, search, limit, out);
			free(m.it);
		}
		return;
	}
	gw_grow((void **)&out->c, &out->cap, out->n + 1, sizeof *out->c);
	out->c[out->n++] = clause_of(l, rule, search);
}

static void
clause_free(clause *c)
{
	set_free(&c->before[0]), set_free(&c->before[1]), set_free(&c->first), set_free(&c->skip);
	set_free(&c->acc), set_free(&c->acc2), set_free(&c->req), set_free(&c->req2), set_free(&c->far_s), set_free(&c->far_f);
	set_free(&c->only), set_free(&c->end);
}

/* Clauses c[1..n) folded into c[0], which any match of one of them passes. */
static void
merge(clause *c, size_t n)
{
	static const size_t field[] = { /* the sets folded, each the union of all the clauses' */
	    offsetof(clause, before), offsetof(clause, before) + sizeof(cpset), offsetof(clause, first),
	    offsetof(clause, skip), offsetof(clause, acc), offsetof(clause, acc2), offsetof(clause, req),
	    offsetof(clause, req2), offsetof(clause, only), offsetof(clause, end)};
	cpset **v = gw_xmalloc(n * sizeof *v);

	for (size_t f = 0; f < sizeof field / sizeof *field; f++) {
		cpset u = {0}, *to = (cpset *)((char *)&c[0] + field[f]), t;
		const cpset *got;

		for (size_t k = 0; k < n; k++)
			v[k] = (cpset *)((char *)&c[k] + field[f]);
		got = set_union((const cpset *const *)v, n, &u);
		if (got == &u)
			set_free(to), *to = u;
		for (size_t k = 1; k < n; k++) /* one clause's own set: taken, its own freed with it */
			if (got == v[k])
				t = *to, *to = *v[k], *v[k] = t;
	}
	free(v);
	for (size_t k = 1; k < n; k++) {
		c[0].end_nl = c[0].end_nl && c[k].end_nl;
		c[0].has2 = c[0].has2 && c[k].has2;
		c[0].far = false; /* folded: no far condition (its sets are freed with it) */
		c[0].empty_ok = c[0].empty_ok || c[k].empty_ok;
		c[0].always = c[0].always || c[k].always;
		clause_free(&c[k]);
	}
}

/* The clauses of one pattern into out (one per leading alternative, or all of them folded into
 * one when they are too many; a search's keep only first, req and only); false when it is not
 * read (no filter for it).  p keeps the nodes read, for the patterns after it. */
static bool
pattern_clauses(px *p, const char *pat, size_t len, size_t rule, size_t room, bool search, clauses *out)
{
	item_list l = {0};
	size_t n0 = out->n;

	p->s = pat, p->n = len, p->i = 0, p->bad = false;
	p->nscan++; /* no group ends kept from another pattern */
	flatten(parse_alt(p), &l);
	if (p->bad || p->i != len || room == 0) {
		free(l.it);
		return false;
	}
	split(&l, rule, SPLIT_DEPTH, search, n0 + SPLIT_MAX, out);
	free(l.it);
	if (out->n - n0 > RULE_CLAUSES || out->n - n0 > room) {
		merge(&out->c[n0], out->n - n0);
		out->n = n0 + 1;
	}
	return true;
}

static void
px_free(px *p)
{
	for (size_t k = 0; k < p->nblk; k++) /* the nodes; their sets go with the build's lists */
		free(p->blk[k]);
	free(p->stk), free(p->blk), free(p->memo), free(p->end), free(p->scan), free(p->open), free(p->lit);
}

/* ---------------------------------------------------------------- the filter */

/* The masks of a class, what gw_prefilter_at reads of each code point in its first 64 bytes
 * (issue 14: a cache line, the records aligned to it). */
_Static_assert(W == 2, "gw_prefilter_at and gw_prefilter_in read two words a mask");

typedef struct masks {
	uint64_t first[W], skip[W], acc[W], acc2[W], before[W], before2[W], far_s[W], far_f[W];
	uint64_t end[W];
} masks;

typedef struct reqmask {
	uint64_t w[W], w2[W], only[W]; /* the clauses whose req set, req2 set, only set holds the class */
	uint64_t pad[2];               /* zero: a record a cache line (issue 14) */
} reqmask;

/* Where a code point's record is (issue 14: a table of the BMP's 64K classes, 128 KB a filter,
 * and records of 128 bytes a class missed the caches on the real CPU, with five filters live
 * at once).  Classes with the same masks share a record, and the BMP is cut in blocks of 64
 * code points whose record numbers are kept once however many blocks have them (most Han
 * blocks do): a filter reads a few KB.  Above the BMP, the class's record. */
typedef struct cpmap {
	uint16_t blk[0x10000 / 64]; /* per block of the BMP: where its record numbers start in rec */
	uint16_t *rec;              /* 64 record numbers a distinct block */
	uint16_t *big;              /* per class: its record number */
	void *mem;                  /* where the records are, from a cache line on */
	size_t nrec, nblk;          /* distinct records, distinct blocks (rec holds 64 a block) */
} cpmap;

struct gw_prefilter {
	size_t n;           /* rules */
	bool search;        /* built for gw_prefilter_in, else for gw_prefilter_at (the other one lets
	                     * every rule through) */
	const char **pat;   /* per rule, until the filter is built: its pattern (NULL: none), */
	size_t *len;        /* borrowed, and its bytes */
	atomic_bool built;  /* what follows: made on first use (gw_prefilter_ready) */
	bool *plain;        /* per rule: no filter, always tried */
	uint64_t (*rmask)[W];/* per rule: its clauses */
	uint8_t crule[W * 64]; /* per clause: its rule, when there are at most 64 */
	uint64_t plainbits; /* the rules always tried, when there are at most 64 */
	uint64_t empty[W];  /* the clauses whose skipped part can be empty */
	uint64_t always[W]; /* the clauses with no condition after first */
	uint64_t has2[W];   /* the clauses with acc2 */
	uint64_t far[W];    /* the clauses with a far condition: the first GW_PREFILTER_FAR */
	uint64_t endc[W];   /* the clauses with an end condition (clause.end) */
	uint64_t endnl[W];  /* of those, the ones that consume no line end (clause.end_nl) */
	uint8_t farclause[GW_PREFILTER_FAR];
	size_t nfar;
	gw_buf stop[GW_PREFILTER_FAR][GW_PREFILTER_STOPS]; /* per far clause: the code points its
	                                                     * run stops at (UTF-8), when so few */
	size_t nstop[GW_PREFILTER_FAR];
	uint64_t anyreq[W], anyreq2[W]; /* the clauses whose req set, req2 set holds every code point */
	uint32_t *bound;    /* the code points where the classes start; class k: [bound[k], bound[k + 1]) */
	size_t nclass;
	bool none;          /* more classes than a uint16_t names: every rule always tried */
	bool nobefore;      /* every class has the same before and before2 masks (no lookbehind) */
	masks *cls;         /* not a search: the distinct masks of the classes (gw_prefilter_at) */
	reqmask *req;       /* a search: their distinct reqmasks (gw_prefilter_in) */
	cpmap at, in;       /* code point to its masks, its reqmask */
	uint16_t *bmp;      /* while the classes are painted: the class starting at each bound of the BMP */
};

/* The class of code point c, by its bounds. */
static inline size_t
class_of(const gw_prefilter *f, uint32_t c)
{
	size_t lo = 0, hi = f->nclass;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (f->bound[mid] <= c)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Mark where the ranges of s start and end, in a bit a code point (and one past the last), and
 * the words of at so marked in a bit a word of sum: a word of at is cleared when it is first
 * marked, and the bounds are read from the few words marked (session 8: not all 17,000 of a
 * table cleared and read). */
static void
mark_bounds(uint64_t *at, uint64_t *sum, const cpset *s)
{
	for (size_t i = 0; i < s->n; i++)
		for (int e = 0; e < 2; e++) {
			uint32_t c = s->r[2 * i + e] + (uint32_t)e;

			if (!(sum[c / 4096] & 1ull << (c / 64 % 64)))
				at[c / 64] = 0, sum[c / 4096] |= 1ull << (c / 64 % 64);
			at[c / 64] |= 1ull << (c % 64);
		}
}

/* Bit b of the mask at offset off of masks (req: of reqmask) set in every class inside s:
 * flipped where each range of s starts and where the class after it starts (a bound too), which
 * spread_flips turns into the classes between.  Each bit of a mask is painted from one set.
 * Every code point flipped at is a bound (build_classes marked them): f->bmp has its class. */
static void
paint(gw_prefilter *f, const cpset *s, bool req, size_t off, size_t b)
{
	for (size_t i = 0; i < s->n; i++)
		for (int e = 0; e < 2; e++) {
			uint32_t c = s->r[2 * i + e] + (uint32_t)e;
			size_t k;

			if (c > CP_MAX)
				continue;
			k = c < 0x10000 ? f->bmp[c] : class_of(f, c);
			((uint64_t *)(req ? (char *)&f->req[k] + off : (char *)&f->cls[k] + off))[b / 64] ^=
			    1ull << (b % 64);
		}
}

/* Each class's masks xor those of the classes before it: the flips of paint become runs. */
static void
spread_flips(gw_prefilter *f)
{
	const size_t nw = f->search ? sizeof *f->req / sizeof(uint64_t) : sizeof *f->cls / sizeof(uint64_t);
	uint64_t *m = f->search ? (uint64_t *)f->req : (uint64_t *)f->cls;

	for (size_t k = 1; k < f->nclass; k++)
		for (size_t w = 0; w < nw; w++)
			m[k * nw + w] ^= m[(k - 1) * nw + w];
}

/* Clause i's far condition: its sets painted, and the code points its run stops at, when at
 * most GW_PREFILTER_STOPS, to be looked for with find_by_last. */
static void
add_far(gw_prefilter *f, const clause *c, size_t i)
{
	cpset stop = set_copy(&c->far_s);
	size_t k = f->nfar++;

	paint(f, &c->far_s, false, offsetof(masks, far_s), i), paint(f, &c->far_f, false, offsetof(masks, far_f), i);
	f->far[i / 64] |= 1ull << (i % 64);
	f->farclause[k] = (uint8_t)i;
	set_invert(&stop);
	if (set_size(&stop) <= GW_PREFILTER_STOPS)
		for (size_t r = 0; r < stop.n; r++)
			for (uint32_t cp = stop.r[2 * r]; cp <= stop.r[2 * r + 1]; cp++)
				gw_buf_put_cp(&f->stop[k][f->nstop[k]++], cp);
	set_free(&stop);
}

/* Items of size bytes (a multiple of 8) kept once each, found again by a hash of their words. */
typedef struct uniq {
	char *it;       /* the distinct items */
	size_t n, cap;  /* items, and room for them */
	size_t size;
	uint32_t *slot; /* an item's number + 1, 0: free; twice as many as items at least */
	size_t nslot;
} uniq;

/* The slot of the item at p, or the free slot where it goes. */
static size_t
uniq_find(const uniq *u, const void *p)
{
	uint64_t h = 0;
	size_t i;

	for (size_t k = 0; k < u->size / 8; k++) {
		uint64_t x;

		memcpy(&x, (const char *)p + 8 * k, 8);
		h = ((h << 23 | h >> 41) ^ x) * 0x9E3779B97F4A7C15ull;
	}
	for (i = (h >> 40) & (u->nslot - 1); u->slot[i]; i = (i + 1) & (u->nslot - 1))
		if (memcmp(u->it + (u->slot[i] - 1) * u->size, p, u->size) == 0)
			break;
	return i;
}

/* The number of the item at p, added when it is new. */
static uint16_t
uniq_put(uniq *u, const void *p)
{
	size_t i;

	if (2 * (u->n + 1) > u->nslot) { /* more slots: the items placed again */
		u->nslot = u->nslot ? 2 * u->nslot : 64;
		free(u->slot);
		u->slot = gw_xcalloc(u->nslot, sizeof *u->slot);
		for (size_t k = 0; k < u->n; k++)
			u->slot[uniq_find(u, u->it + k * u->size)] = (uint32_t)k + 1;
	}
	if (u->slot[i = uniq_find(u, p)] == 0) {
		gw_grow((void **)&u->it, &u->cap, u->n + 1, u->size);
		memcpy(u->it + u->n * u->size, p, u->size);
		u->slot[i] = (uint32_t)++u->n;
	}
	return (uint16_t)(u->slot[i] - 1);
}

/* m for the records *recs of the classes (size bytes each), which keeps their distinct ones:
 * a block of the BMP in one class (most) is looked up by its record, the others by their
 * numbers. */
static size_t
map_build(const gw_prefilter *f, cpmap *m, void **recs, size_t size)
{
	uniq r = {.size = size}, b = {.size = 64 * sizeof(uint16_t)};
	uint16_t one[64], *whole;
	size_t k = 0;

	m->big = gw_xmalloc(f->nclass * sizeof *m->big);
	for (r.nslot = 64; r.nslot < 2 * (f->nclass + 1); r.nslot *= 2) /* never placed again */
		;
	r.slot = gw_xcalloc(r.nslot, sizeof *r.slot);
	for (size_t c = 0; c < f->nclass; c++)
		m->big[c] = uniq_put(&r, (char *)*recs + c * size);
	free(*recs), free(r.slot);
	m->mem = gw_xmalloc((r.n + 1) * size); /* the records from a cache line on (size: 64 or more) */
	*recs = (char *)m->mem + (64 - (uintptr_t)m->mem % 64) % 64;
	memcpy(*recs, r.it, r.n * size);
	free(r.it);
	whole = gw_xmalloc(r.n * sizeof *whole);
	memset(whole, 0xFF, r.n * sizeof *whole);
	for (uint32_t lo = 0; lo < 0x10000; lo += 64) {
		while (k + 1 < f->nclass && f->bound[k + 1] <= lo)
			k++;
		if (k + 1 == f->nclass || f->bound[k + 1] >= lo + 64) { /* in class k */
			if (whole[m->big[k]] == UINT16_MAX) {
				for (int j = 0; j < 64; j++)
					one[j] = m->big[k];
				whole[m->big[k]] = uniq_put(&b, one);
			}
			m->blk[lo / 64] = (uint16_t)(whole[m->big[k]] * 64);
			continue;
		}
		for (size_t q = k, c = lo; c < lo + 64; q++) { /* the classes in the block, a run each */
			size_t e = q + 1 < f->nclass && f->bound[q + 1] < lo + 64 ? f->bound[q + 1] : lo + 64;

			for (; c < e; c++)
				one[c - lo] = m->big[q];
		}
		m->blk[lo / 64] = (uint16_t)(uniq_put(&b, one) * 64);
	}
	free(whole), free(b.slot);
	m->rec = (uint16_t *)b.it;
	m->nrec = r.n, m->nblk = b.n;
	return r.n;
}

/* The record of code point c in m. */
static inline size_t
rec_of(const gw_prefilter *f, const cpmap *m, uint32_t c)
{
	return c < 0x10000 ? m->rec[m->blk[c >> 6] + (c & 63)] : m->big[class_of(f, c)];
}

/* The classes of code points that no set tells apart, their masks and the maps of code points
 * to them; false when there are more than a uint16_t names. */
static bool
build_classes(gw_prefilter *f, const clauses *cs)
{
	uint64_t *at = gw_xmalloc(((CP_MAX + 2) / 64 + 1) * sizeof *at); /* cleared where marked */
	uint64_t sum[((CP_MAX + 2) / 64 + 1 + 63) / 64] = {1};
	size_t m = 0;

	at[0] = 1; /* the first class starts at 0 */
	for (size_t i = 0; i < cs->n; i++) {
		const clause *c = &cs->c[i];

		mark_bounds(at, sum, &c->before[0]), mark_bounds(at, sum, &c->before[1]);
		mark_bounds(at, sum, &c->first), mark_bounds(at, sum, &c->skip);
		mark_bounds(at, sum, &c->acc), mark_bounds(at, sum, &c->acc2);
		mark_bounds(at, sum, &c->req), mark_bounds(at, sum, &c->req2);
		mark_bounds(at, sum, &c->far_s), mark_bounds(at, sum, &c->far_f);
		mark_bounds(at, sum, &c->only);
		mark_bounds(at, sum, &c->end);
	}
	for (size_t v = 0, cap = 0; v < sizeof sum / sizeof *sum; v++)
		for (uint64_t words = sum[v]; words; words &= words - 1) {
			size_t w = 64 * v + (size_t)__builtin_ctzll(words);

			for (uint64_t bits = w <= CP_MAX / 64 ? at[w] : 0; bits; bits &= bits - 1) {
				gw_grow((void **)&f->bound, &cap, m + 1, sizeof *f->bound);
				f->bound[m++] = (uint32_t)(64 * w + (size_t)__builtin_ctzll(bits));
			}
		}
	free(at);
	if ((f->nclass = m) > UINT16_MAX)
		return false;
	if (f->search) /* the masks gw_prefilter_in reads, or those gw_prefilter_at does */
		f->req = gw_xcalloc(m, sizeof *f->req);
	else
		f->cls = gw_xcalloc(m, sizeof *f->cls);
	f->bmp = gw_xmalloc(0x10000 * sizeof *f->bmp); /* set at the bounds alone: paint asks no other */
	for (size_t k = 0; k < m && f->bound[k] < 0x10000; k++)
		f->bmp[f->bound[k]] = (uint16_t)k;
	for (size_t i = 0; i < cs->n; i++) {
		const clause *c = &cs->c[i];

		if (f->search) {
			f->anyreq[i / 64] |= (uint64_t)set_is_all(&c->req) << (i % 64);
			f->anyreq2[i / 64] |= (uint64_t)set_is_all(&c->req2) << (i % 64);
			paint(f, &c->req, true, offsetof(reqmask, w), i);
			paint(f, &c->req2, true, offsetof(reqmask, w2), i);
			paint(f, &c->only, true, offsetof(reqmask, only), i);
		} else {
			paint(f, &c->before[0], false, offsetof(masks, before), i);
			paint(f, &c->before[1], false, offsetof(masks, before2), i);
			paint(f, &c->first, false, offsetof(masks, first), i);
			paint(f, &c->skip, false, offsetof(masks, skip), i);
			paint(f, &c->acc, false, offsetof(masks, acc), i);
			paint(f, &c->acc2, false, offsetof(masks, acc2), i);
			paint(f, &c->end, false, offsetof(masks, end), i);
			f->has2[i / 64] |= (uint64_t)c->has2 << (i % 64);
			f->endc[i / 64] |= (uint64_t)!set_is_all(&c->end) << (i % 64);
			f->endnl[i / 64] |= (uint64_t)(!set_is_all(&c->end) && c->end_nl) << (i % 64);
			if (c->far && f->nfar < GW_PREFILTER_FAR)
				add_far(f, c, i);
		}
		f->empty[i / 64] |= (uint64_t)c->empty_ok << (i % 64);
		f->always[i / 64] |= (uint64_t)c->always << (i % 64);
		f->rmask[c->rule][i / 64] |= 1ull << (i % 64);
		f->crule[i] = (uint8_t)(c->rule < 64 ? c->rule : 0);
	}
	spread_flips(f);
	free(f->bmp), f->bmp = NULL;
	if (f->search)
		map_build(f, &f->in, (void **)&f->req, sizeof *f->req);
	else {
		size_t n = map_build(f, &f->at, (void **)&f->cls, sizeof *f->cls);

		f->nobefore = true; /* then the code points before a place need not be found */
		for (size_t r = 1; r < n; r++)
			if (memcmp(f->cls[r].before, f->cls[0].before, sizeof f->cls[0].before) != 0 ||
			    memcmp(f->cls[r].before2, f->cls[0].before2, sizeof f->cls[0].before2) != 0)
				f->nobefore = false;
	}
	return true;
}

/* The patterns are read when a text first asks the filter (issue 14: a program that reads no
 * document builds none; the work is the same otherwise).  They are borrowed, not copied (issue
 * 14: start-up: a copy of the rules' patterns is some 100 KB of pages touched at each start). */
gw_prefilter *
gw_prefilter_new(const char *const *pat, const size_t *len, size_t n, bool search)
{
	gw_prefilter *f = gw_xcalloc(1, sizeof *f);

	f->n = n, f->search = search;
	f->pat = gw_xmalloc((n ? n : 1) * sizeof *f->pat);
	f->len = gw_xmalloc((n ? n : 1) * sizeof *f->len);
	for (size_t k = 0; k < n; k++)
		f->pat[k] = pat[k], f->len[k] = pat[k] ? len[k] : 0;
	return f;
}

static void
build(gw_prefilter *f)
{
	clauses cs = {0};
	uint32_t nl;
	px p = {.memo = gw_xcalloc(MEMO_SLOTS, sizeof *p.memo)};
	lists sets = {.blk = NULL};
	size_t later = 0; /* the rules after the k-th with a pattern */

	set_lists = &sets;
	f->plain = gw_xcalloc(f->n ? f->n : 1, sizeof *f->plain);
	f->rmask = gw_xcalloc(f->n ? f->n : 1, sizeof *f->rmask);
	for (size_t k = 0; k < f->n; k++)
		later += f->pat[k] != NULL;
	for (size_t k = 0; k < f->n; k++) {
		/* a search keeps a clause per leading alternative too, each with its own req and req2
		 * (kind.past-sentence's 截至 过去… 创新高: merged, 截 过 创 … then 至 去 新 … passed nearly
		 * every sentence), within a room that leaves one to each rule after it */
		size_t room = W * 64 - cs.n;

		later -= f->pat[k] != NULL;
		if (f->search)
			room = room > later ? room - later : (room > 0);
		f->plain[k] = f->pat[k] == NULL || !pattern_clauses(&p, f->pat[k], f->len[k], k, room, f->search, &cs);
	}
	if (pcre2_config(PCRE2_CONFIG_NEWLINE, &nl) < 0 || nl != PCRE2_NEWLINE_LF)
		for (size_t i = 0; i < cs.n; i++) /* $ may match before another line end: no end condition */
			set_free(&cs.c[i].end), cs.c[i].end = set_all();
	if (!build_classes(f, &cs)) {
		for (size_t k = 0; k < f->n; k++)
			f->plain[k] = true;
		f->none = true;
	}
	for (size_t k = 0; k < f->n && k < 64; k++)
		f->plainbits |= (uint64_t)f->plain[k] << k;
	for (size_t i = 0; i < cs.n; i++)
		clause_free(&cs.c[i]);
	px_free(&p); /* after the clauses, which borrow sets of the nodes */
	for (size_t k = 0; k < sets.nblk; k++)
		free(sets.blk[k]);
	free(sets.blk);
	set_lists = NULL;
	free(cs.c);
}

/* ---------------------------------------------------------------- the cache of built filters */

/* issue 14: building the filters a run asks for was 17 M of the 62 M instructions of gongwen
 * over one document, the same in every run of the same rules.  A built filter is kept in the
 * cache of rcache.c (GONGWEN_CACHE) under a key of all that the build reads: the patterns,
 * search or not, PCRE2's line end, and the source of the build itself (GW_PREFILTER_ID, a hash
 * of this file and the headers the Makefile passes; a program built without it caches
 * nothing: a filter from another build could be wrong for this one).  The payload: the fields
 * of gw_prefilter that build sets, in order, each count before its items.  It is the same
 * machine's and checked by rcache.c; what would make a lookup read out of its tables (a
 * record or block number, a bound out of order, a count too large) is checked again here
 * before the filter is used, and then the filter is built as if there were no file. */
#define PF_CACHE_FORMAT 1

static void free_built(gw_prefilter *f);

static char *
cache_key(const gw_prefilter *f)
{
#ifdef GW_PREFILTER_ID
	gw_buf k = GW_BUF_INIT;
	uint32_t nl = 0;

	pcre2_config(PCRE2_CONFIG_NEWLINE, &nl);
	gw_buf_printf(&k, "prefilter %d\nsource %s\nsearch %d\nnewline %u\nwidths %zu %zu\nrules %zu\n",
	              PF_CACHE_FORMAT, GW_PREFILTER_ID, (int)f->search, (unsigned)nl,
	              sizeof(size_t), sizeof(masks), f->n);
	for (size_t k2 = 0; k2 < f->n; k2++) {
		if (f->pat[k2] == NULL) {
			gw_buf_puts(&k, "-\n");
			continue;
		}
		gw_buf_printf(&k, "%zu ", f->len[k2]);
		gw_buf_put(&k, f->pat[k2], f->len[k2]);
		gw_buf_putc(&k, '\n');
	}
	if (memchr(k.ptr, '\0', k.len) != NULL) { /* a key is a string */
		gw_buf_free(&k);
		return NULL;
	}
	gw_buf_putc(&k, '\0');
	return k.ptr;
#else
	(void)f;
	return NULL;
#endif
}

static void
put_u64(gw_buf *b, uint64_t v)
{
	gw_buf_put(b, &v, sizeof v);
}

static void
save_map(gw_buf *b, const gw_prefilter *f, const cpmap *m, const void *recs, size_t size)
{
	gw_buf_put(b, m->blk, sizeof m->blk);
	put_u64(b, m->nblk);
	gw_buf_put(b, m->rec, m->nblk * 64 * sizeof *m->rec);
	gw_buf_put(b, m->big, f->nclass * sizeof *m->big);
	put_u64(b, m->nrec);
	gw_buf_put(b, recs, m->nrec * size);
}

static void
cache_save(const gw_prefilter *f, const char *key)
{
	gw_buf b = GW_BUF_INIT;

	put_u64(&b, f->n);
	gw_buf_put(&b, f->plain, f->n * sizeof *f->plain);
	gw_buf_put(&b, f->rmask, f->n * sizeof *f->rmask);
	gw_buf_put(&b, f->crule, sizeof f->crule);
	put_u64(&b, f->plainbits);
	gw_buf_put(&b, f->empty, sizeof f->empty), gw_buf_put(&b, f->always, sizeof f->always);
	gw_buf_put(&b, f->has2, sizeof f->has2), gw_buf_put(&b, f->far, sizeof f->far);
	gw_buf_put(&b, f->endc, sizeof f->endc), gw_buf_put(&b, f->endnl, sizeof f->endnl);
	gw_buf_put(&b, f->farclause, sizeof f->farclause);
	put_u64(&b, f->nfar);
	for (size_t k = 0; k < f->nfar; k++) {
		put_u64(&b, f->nstop[k]);
		for (size_t j = 0; j < f->nstop[k]; j++) {
			put_u64(&b, f->stop[k][j].len);
			gw_buf_put(&b, f->stop[k][j].ptr, f->stop[k][j].len);
		}
	}
	gw_buf_put(&b, f->anyreq, sizeof f->anyreq), gw_buf_put(&b, f->anyreq2, sizeof f->anyreq2);
	put_u64(&b, f->nclass);
	put_u64(&b, (uint64_t)f->none << 1 | f->nobefore);
	gw_buf_put(&b, f->bound, f->nclass * sizeof *f->bound);
	if (!f->none) {
		if (f->search)
			save_map(&b, f, &f->in, f->req, sizeof *f->req);
		else
			save_map(&b, f, &f->at, f->cls, sizeof *f->cls);
	}
	while (b.len % 8) /* the checksum reads words */
		gw_buf_putc(&b, '\0');
	gw_rcache_write("prefilter", key, b.ptr, b.len);
	gw_buf_free(&b);
}

/* Reading a payload: each read checks that the bytes are there. */
typedef struct reader {
	const char *p, *end;
	bool bad;
} reader;

static bool
get(reader *r, void *to, size_t n)
{
	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = true;
		return false;
	}
	memcpy(to, r->p, n);
	r->p += n;
	return true;
}

static uint64_t
get_u64(reader *r)
{
	uint64_t v = 0;

	get(r, &v, sizeof v);
	return v;
}

/* count items of size bytes, malloc'd (at least one byte); NULL when they are not there. */
static void *
get_array(reader *r, uint64_t count, size_t size)
{
	void *a;

	if (r->bad || count > (uint64_t)(r->end - r->p) / size) {
		r->bad = true;
		return NULL;
	}
	a = gw_xmalloc(count > 0 ? count * size : 1);
	get(r, a, count * size);
	return a;
}

static bool
load_map(reader *r, gw_prefilter *f, cpmap *m, void **recs, size_t size)
{
	if (!get(r, m->blk, sizeof m->blk) || (m->nblk = get_u64(r)) > 0x10000 / 64 ||
	    (m->rec = get_array(r, m->nblk * 64, sizeof *m->rec)) == NULL ||
	    (m->big = get_array(r, f->nclass, sizeof *m->big)) == NULL ||
	    (m->nrec = get_u64(r)) > f->nclass || m->nrec * size > (size_t)(r->end - r->p))
		return false;
	m->mem = gw_xmalloc((m->nrec + 1) * size); /* the records from a cache line on, as map_build */
	*recs = (char *)m->mem + (64 - (uintptr_t)m->mem % 64) % 64;
	get(r, *recs, m->nrec * size);
	for (size_t i = 0; i < sizeof m->blk / sizeof *m->blk; i++)
		if (m->blk[i] % 64 || m->blk[i] / 64 >= m->nblk)
			return false;
	for (size_t i = 0; i < m->nblk * 64; i++)
		if (m->rec[i] >= m->nrec)
			return false;
	for (size_t c = 0; c < f->nclass; c++)
		if (m->big[c] >= m->nrec)
			return false;
	return true;
}

/* f's built fields from the cache; false (nothing of it kept) when there is none for key or it
 * does not check. */
static bool
cache_load(gw_prefilter *f, const char *key)
{
	gw_rcache c;
	size_t len = 0;
	const char *p = gw_rcache_open(&c, "prefilter", key, &len);
	reader r = {p, p, false};
	uint64_t flags;
	bool ok;

	if (p == NULL)
		return false;
	r.end = p + len;
	ok = get_u64(&r) == f->n &&
	     (f->plain = get_array(&r, f->n, sizeof *f->plain)) != NULL &&
	     (f->rmask = get_array(&r, f->n, sizeof *f->rmask)) != NULL &&
	     get(&r, f->crule, sizeof f->crule);
	f->plainbits = get_u64(&r);
	get(&r, f->empty, sizeof f->empty), get(&r, f->always, sizeof f->always);
	get(&r, f->has2, sizeof f->has2), get(&r, f->far, sizeof f->far);
	get(&r, f->endc, sizeof f->endc), get(&r, f->endnl, sizeof f->endnl);
	get(&r, f->farclause, sizeof f->farclause);
	ok = ok && !r.bad && (f->nfar = get_u64(&r)) <= GW_PREFILTER_FAR;
	for (size_t k = 0; ok && k < f->nfar; k++) {
		ok = (f->nstop[k] = get_u64(&r)) <= GW_PREFILTER_STOPS && f->farclause[k] < W * 64;
		for (size_t j = 0; ok && j < f->nstop[k]; j++) {
			uint64_t n = get_u64(&r);

			ok = !r.bad && n <= (uint64_t)(r.end - r.p);
			if (ok)
				gw_buf_put(&f->stop[k][j], r.p, n), r.p += n;
		}
	}
	get(&r, f->anyreq, sizeof f->anyreq), get(&r, f->anyreq2, sizeof f->anyreq2);
	f->nclass = get_u64(&r);
	flags = get_u64(&r);
	f->none = flags >> 1 & 1, f->nobefore = flags & 1;
	ok = ok && !r.bad && f->nclass > 0 && f->nclass <= (f->none ? SIZE_MAX / 8 : UINT16_MAX) &&
	     (f->bound = get_array(&r, f->nclass, sizeof *f->bound)) != NULL && f->bound[0] == 0;
	for (size_t k = 1; ok && k < f->nclass; k++)
		ok = f->bound[k] > f->bound[k - 1] && f->bound[k] <= CP_MAX;
	for (size_t i = 0; ok && i < W * 64; i++)
		ok = f->crule[i] < 64;
	if (ok && !f->none)
		ok = f->search ? load_map(&r, f, &f->in, (void **)&f->req, sizeof *f->req)
		               : load_map(&r, f, &f->at, (void **)&f->cls, sizeof *f->cls);
	gw_rcache_close(&c);
	if (!ok)
		free_built(f);
	return ok;
}

/* f built (or read from the cache), once for the threads that share it. */
static const gw_prefilter *
ready(const gw_prefilter *cf)
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	gw_prefilter *f = (gw_prefilter *)cf;

	if (atomic_load_explicit(&f->built, memory_order_acquire))
		return f;
	pthread_mutex_lock(&mu);
	if (!atomic_load_explicit(&f->built, memory_order_relaxed)) {
		char *key = cache_key(f);

		if (key == NULL || !cache_load(f, key)) {
			build(f);
			if (key)
				cache_save(f, key);
		}
		free(key);
		free(f->pat), free(f->len);
		f->pat = NULL, f->len = NULL;
		atomic_store_explicit(&f->built, true, memory_order_release);
	}
	pthread_mutex_unlock(&mu);
	return f;
}

/* What build (or cache_load) made of f freed, and set to nothing. */
static void
free_built(gw_prefilter *f)
{
	free(f->plain), free(f->rmask), free(f->bound), free(f->at.mem), free(f->in.mem);
	free(f->at.rec), free(f->at.big), free(f->in.rec), free(f->in.big);
	for (size_t k = 0; k < GW_PREFILTER_FAR; k++)
		for (size_t j = 0; j < GW_PREFILTER_STOPS; j++)
			gw_buf_free(&f->stop[k][j]);
	memset(&f->plain, 0, sizeof *f - offsetof(gw_prefilter, plain));
}

void
gw_prefilter_free(gw_prefilter *f)
{
	if (f == NULL)
		return;
	free(f->pat), free(f->len);
	free_built(f);
	free(f);
}

/* The code point at byte i (U+FFFD for a byte that starts none), *next the byte after it. */
static inline uint32_t
cp_at(const char *s, size_t len, size_t i, size_t *next)
{
	uint32_t c = (unsigned char)s[i];
	int l = 1;

	if (c >= 0x80 && (l = gw_utf8_decode_fast(s + i, len - i, &c)) <= 0)
		l = 1, c = 0xFFFD;
	*next = i + (size_t)l;
	return c;
}

/* The masks of the code point at byte i, *next the byte after it. */
static inline const masks *
class_at(const gw_prefilter *f, const char *s, size_t len, size_t i, size_t *next)
{
	return &f->cls[rec_of(f, &f->at, cp_at(s, len, i, next))];
}

/* The classes of the two code points before byte i (NUL before the subject's start). */
static void
classes_before(const gw_prefilter *f, const char *s, size_t len, size_t i, const masks *b[2])
{
	for (int k = 0; k < 2; k++) {
		size_t j = i;

		if (i == 0) {
			b[k] = &f->cls[rec_of(f, &f->at, 0)];
			continue;
		}
		while (i > 0 && ((unsigned char)s[--i] & 0xC0) == 0x80)
			;
		b[k] = class_at(f, s, len, i, &j);
	}
}

/* Which clauses may match at byte start: those whose before and first sets hold the code
 * points there, and then, walking over what the skip set holds, meet one of acc (followed by
 * one of acc2, for a clause that has it). */
/* The first m (of l > 0 bytes) in s[0..n), by its last byte: the lead byte of 《 》 is that of
 * 、 。 and most CJK punctuation, its last byte a continuation byte, rarer (issue 14).  The
 * byte before it is asked before the whole is compared: the last byte of 《 》 (0x8A, 0x8B) is
 * that of one CJK character in 64 too (session 8: 32,000 compares a pass, for a few hundred). */
static const char *
find_by_last(const char *s, size_t n, const char *m, size_t l)
{
	for (const char *p = s + l - 1; p < s + n && (p = memchr(p, m[l - 1], (size_t)(s + n - p))) != NULL; p++)
		if ((l == 1 || p[-1] == m[l - 2]) && memcmp(p - (l - 1), m, l) == 0)
			return p - (l - 1);
	return NULL;
}

/* The first byte from start on where a code point stops far clause k's run: by a search for each
 * of its few stops (find_by_last; the next of each kept in the cursor), else a code point at a time (the end
 * kept: the starts meet it again). */
static size_t
far_stop(const gw_prefilter *f, const char *s, size_t len, size_t start, size_t k, size_t ci,
         gw_prefilter_cursor *cur)
{
	size_t q = len, next;

	for (size_t j = 0; j < f->nstop[k]; j++) {
		if (cur->at[k][j] == SIZE_MAX || cur->at[k][j] < start) {
			const char *p = find_by_last(s + start, len - start, f->stop[k][j].ptr, f->stop[k][j].len);

			cur->at[k][j] = p ? (size_t)(p - s) : len;
		}
		q = cur->at[k][j] < q ? cur->at[k][j] : q;
	}
	if (f->nstop[k])
		return q;
	if (start < cur->from[k] || start > cur->to[k]) {
		for (q = start; q < len && (class_at(f, s, len, q, &next)->far_s[ci / 64] & (1ull << (ci % 64)));)
			q = next;
		cur->from[k] = start, cur->to[k] = q;
	}
	return cur->to[k];
}

/* cur at start of s: emptied for another string or a start before the last one. */
static void
cursor_to(gw_prefilter_cursor *cur, const char *s, size_t start)
{
	if (cur->s != s || start < cur->start) {
		memset(cur, 0, sizeof *cur);
		memset(cur->at, 0xFF, sizeof cur->at);
		cur->s = s;
	}
	cur->start = start;
}

/* Whether far clause k (clause ci) holds at start: the first code point from there on that is
 * not in its far_s set is in its far_f set.  The cursor keeps where it is for the starts of one
 * string, which come in order. */
static bool
far_holds(const gw_prefilter *f, const char *s, size_t len, size_t start, size_t k, size_t ci,
          gw_prefilter_cursor *cur)
{
	size_t q, next;

	cursor_to(cur, s, start);
	q = far_stop(f, s, len, start, k, ci, cur);
	return q < len && (class_at(f, s, len, q, &next)->far_f[ci / 64] & (1ull << (ci % 64)));
}

/* The clauses of may anchored at the end turned down when the last code point before the end
 * is not one of their end set.  The end is the first \n from start on for a clause that consumes
 * none, which cannot pass it and whose $ matches there or nowhere; with no \n from start on, the
 * subject's end for every clause.  No code point before it (the end at start): none of them can
 * match, their matches are not empty.  (Only when PCRE2's newline is \n: build.) */
static void
end_holds(const gw_prefilter *f, const char *s, size_t len, size_t start, gw_prefilter_cursor *cur,
          gw_prefilter_mask *may)
{
	const unsigned char *u = (const unsigned char *)s;
	const char *nl;
	size_t e, j, next;
	uint64_t chk[W], end[W] = {0};

	if (cur) /* the starts of one string in order: its line ends found once */
		cursor_to(cur, s, start);
	if (cur && cur->eset && start >= cur->efrom && start <= cur->eend)
		e = cur->eend;
	else
		e = (nl = memchr(s + start, '\n', len - start)) ? (size_t)(nl - s) : len;
	if (cur)
		cur->efrom = start, cur->eend = e, cur->eset = true;
	for (int w = 0; w < W; w++)
		chk[w] = f->endc[w] & (e == len ? ~0ull : f->endnl[w]);
	if (e > start) {
		for (j = e - 1; j > start && (u[j] & 0xC0) == 0x80; j--)
			;
		memcpy(end, class_at(f, s, len, j, &next)->end, sizeof end);
	}
	for (int w = 0; w < W; w++)
		may->w[w] &= ~chk[w] | end[w];
}

void
gw_prefilter_at(const gw_prefilter *f, const char *s, size_t len, size_t start, gw_prefilter_cursor *cur,
                gw_prefilter_mask *may)
{
	uint64_t a0, a1, p0, p1, y0, y1, h0, h1, g0, g1; /* alive, pend, may, hit, has2: a word each
	                                                  * (issue 14: not arrays, which stayed in memory) */
	size_t i = start;
	const masks *b[2], *m;

	f = ready(f);
	if (f->none || f->search || start >= len) {
		memset(may, 0xFF, sizeof *may);
		return;
	}
	if (f->nobefore)
		b[0] = b[1] = f->cls;
	else
		classes_before(f, s, len, start, b);
	m = class_at(f, s, len, i, &i);
	g0 = f->has2[0], g1 = f->has2[1];
	a0 = b[0]->before[0] & b[1]->before2[0] & m->first[0];
	a1 = b[0]->before[1] & b[1]->before2[1] & m->first[1];
	y0 = a0 & f->always[0], y1 = a1 & f->always[1];
	a0 &= ~f->always[0], a1 &= ~f->always[1];
	h0 = a0 & f->empty[0] & m->acc[0], h1 = a1 & f->empty[1] & m->acc[1];
	p0 = h0 & g0, p1 = h1 & g1;
	y0 |= h0 & ~g0, y1 |= h1 & ~g1;
	a0 &= ~y0, a1 &= ~y1;
	for (;;) {
		a0 &= m->skip[0], a1 &= m->skip[1];
		if ((a0 | a1 | p0 | p1) == 0 || i >= len)
			break;
		m = class_at(f, s, len, i, &i);
		y0 |= p0 & m->acc2[0], y1 |= p1 & m->acc2[1];
		a0 &= ~y0, a1 &= ~y1;
		h0 = a0 & m->acc[0], h1 = a1 & m->acc[1];
		p0 = h0 & g0, p1 = h1 & g1;
		y0 |= h0 & ~g0, y1 |= h1 & ~g1;
		a0 &= ~y0, a1 &= ~y1;
	}
	may->w[0] = y0, may->w[1] = y1;
	for (size_t k = 0; cur && k < f->nfar; k++)
		if ((may->w[f->farclause[k] / 64] >> (f->farclause[k] % 64) & 1) &&
		    !far_holds(f, s, len, start, k, f->farclause[k], cur))
			may->w[f->farclause[k] / 64] &= ~(1ull << (f->farclause[k] % 64));
	if ((may->w[0] & f->endc[0]) | (may->w[1] & f->endc[1]))
		end_holds(f, s, len, start, cur, may);
	may->rules = f->plainbits;
	for (int w = 0; w < W; w++)
		for (uint64_t bits = may->w[w]; bits; bits &= bits - 1)
			may->rules |= 1ull << f->crule[64 * w + __builtin_ctzll(bits)];
}

/* Which clauses may match somewhere in s: those with a code point of their req set and one of
 * their req2 set in it (or with every one: they may match the empty string, s may be empty) and
 * none outside their only set.  CJK (first) and ASCII decoded inline: this reads every string a
 * kind rule is matched on.  The bytes s[from..len) are read into rd, which holds what the bytes
 * before them gave: each code point adds its bits, whatever came before it (issue 14: a clause
 * that grows by the next number is read from where the last one ended; the mask itself could
 * not be grown so, a clause needing two code points is not the union of its parts' masks). */
void
gw_prefilter_in_more(const gw_prefilter *f, const char *s, size_t from, size_t len,
                     gw_prefilter_read *rd, gw_prefilter_mask *may)
{
	const unsigned char *u = (const unsigned char *)s;
	uint64_t w0, w1, v0, v1, o0, o1; /* not arrays (issue 14) */
	const reqmask *req;
	const uint16_t *rec, *blk;
	size_t i = from;

	may->rules = UINT64_MAX; /* not kept for a search: gw_prefilter_may asks the clauses */
	f = ready(f);
	if (f->none || !f->search) {
		memset(may->w, 0xFF, sizeof may->w);
		return;
	}
	w0 = rd->req[0], w1 = rd->req[1], v0 = rd->req2[0], v1 = rd->req2[1];
	o0 = ~rd->out[0], o1 = ~rd->out[1];
	req = f->req, rec = f->in.rec, blk = f->in.blk;
	while (i < len) {
		const reqmask *m;
		uint32_t c = u[i], c1, c2;

		if (c - 0xE0 < 0x10 && i + 2 < len && ((c1 = u[i + 1] ^ 0x80u) | (c2 = u[i + 2] ^ 0x80u)) < 0x40) {
			m = &req[rec[blk[(c & 0x0F) << 6 | c1] + c2]]; /* the continuation bytes' bits */
			i += 3;
		} else if (c < 0x80)
			m = &req[rec[blk[c >> 6] + (c & 0x3F)]], i++;
		else {
			size_t j = i;

			m = &req[rec_of(f, &f->in, cp_at(s, len, j, &i))];
		}
		w0 |= m->w[0], w1 |= m->w[1], v0 |= m->w2[0], v1 |= m->w2[1];
		o0 &= m->only[0], o1 &= m->only[1];
	}
	rd->req[0] = w0, rd->req[1] = w1, rd->req2[0] = v0, rd->req2[1] = v1;
	rd->out[0] = ~o0, rd->out[1] = ~o1;
	may->w[0] = (w0 | f->anyreq[0]) & (v0 | f->anyreq2[0]) & o0;
	may->w[1] = (w1 | f->anyreq[1]) & (v1 | f->anyreq2[1]) & o1;
}

void
gw_prefilter_in(const gw_prefilter *f, const char *s, size_t len, gw_prefilter_mask *may)
{
	gw_prefilter_read rd = {.req = {0}};

	gw_prefilter_in_more(f, s, 0, len, &rd, may);
}

/* Rule k's clauses into m, false when it has none of its own (always tried): the caller tests
 * them in a mask itself (issue 14: the kind rules, some 100,000 asks a pass). */
bool
gw_prefilter_clauses(const gw_prefilter *f, size_t k, uint64_t m[2])
{
	f = ready(f);
	if (k >= f->n || f->plain[k] || f->none || (f->rmask[k][0] | f->rmask[k][1]) == 0)
		return false;
	m[0] = f->rmask[k][0], m[1] = f->rmask[k][1];
	return true;
}

/* Whether rule k may match where may was found. */
bool
gw_prefilter_may(const gw_prefilter *f, const gw_prefilter_mask *may, size_t k)
{
	if (k >= f->n || f->plain[k])
		return true;
	for (int w = 0; w < W; w++)
		if (may->w[w] & f->rmask[k][w])
			return true;
	return false;
}

/* The first rule from the from-th on that may match where may was found by gw_prefilter_at;
 * n when none. */
size_t
gw_prefilter_next(const gw_prefilter *f, const gw_prefilter_mask *may, size_t from)
{
	uint64_t b;

	if (f->n > 64) {
		while (from < f->n && !gw_prefilter_may(f, may, from))
			from++;
		return from;
	}
	b = from < 64 ? may->rules >> from << from : 0;
	return b ? (size_t)__builtin_ctzll(b) : f->n;
}
