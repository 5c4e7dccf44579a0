/* extract.c — every quantity of a document: its number, unit, comparator or range, kind, subject and verb. */
#define _GNU_SOURCE /* memrchr */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chars.h"
#include "internal.h"
#include "numeral.h"

#define NGROUPS 16      /* capture pairs read from one match */
#define CLAUSE_MAX 80   /* code points looked at before a number for its clause */
#define SENTENCE_MAX 200
#define LINE_MAX_CP 400

/* What a kind.* rule is matched against (rules/kind.rules). */
enum scope {
	SC_NOTICE, SC_DOC, SC_HEADING, SC_SECTION, SC_UNIT, SC_NUMBER, SC_TEXT, SC_BEFORE,
	SC_SENTENCE, SC_LINE, SC_AFTER, SC_SINCE, SC_WHEN, SC_COLUMN, SC_COUNT
};
static const char *const scope_names[SC_COUNT] = {
	"notice", "doc", "heading", "section", "unit", "number", "text", "before", "sentence", "line",
	"after", "since", "when", "column",
};

typedef struct qrule {
	const gw_rule *r;
	int num, num2, den, unit, unit1, post; /* group indices, -1 when absent */
	const char *unit_attr;
	bool range, fraction, tenths; /* tenths: 成 and 折 shares, ×10 as a percentage */
} qrule;

typedef struct srule {
	const gw_rule *r;
	const char *reason;
	const char *lead; /* characters before the number that belong to the rejected text */
} srule;

typedef struct crule {
	const gw_rule *r;
	bool after;
	enum gw_cmp cmp;
} crule;

/* A verb.* or subject.* rule, with its groups (-1 when absent) and the units it applies to. */
typedef struct vrule {
	const gw_rule *r;
	int verb, subject, object;
	const char *units;
} vrule;

typedef struct kcond {
	int k;     /* index into the krule array */
	bool want; /* requires (it must match) or unless (it must not) */
} kcond;

typedef struct krule {
	const gw_rule *r;
	unsigned scopes; /* a bit per enum scope: the pattern is tried on each, one match is enough */
	int one;         /* the scope of a rule that has only one, else -1 */
	bool doc;        /* only the document's own scopes: matched once a document */
	int kind;        /* enum gw_qkind, or -1: a condition for another rule */
	kcond *cond;
	size_t ncond;
} krule;

#define MASK_MIN 3 /* rules on a scope that its string is prefiltered for: more than these */

/* Only the document's own scopes (notice, doc): matched once per document. */
#define DOC_SCOPES ((1u << SC_NOTICE) | (1u << SC_DOC))

/* The words of a space-separated list, found by a hash of their bytes (issue 14: a search of
 * the list cost some 200 instructions a word). */
#define WORDSET_SLOTS 256 /* a power of two, over twice the words of a list */
typedef struct wordset {
	const char *w[WORDSET_SLOTS]; /* into the list; NULL: a free slot */
	uint8_t n[WORDSET_SLOTS];
} wordset;

/* Words that open a clause's words but are never the start of its subject: particles,
 * prepositions, modal verbs, the tail of a date or of a bound (2025年, 以上的) ... */
static const char subject_lead[] = "的 了 和 及 与 并 将 把 对 在 使 让 为 由 从 至 到 之 以 而 或 又 也 中 年 "
                                   "月 日 是 等 其中 共 共计 累计 确保 力争 争取 要 应 拟 预计 努力 全年 "
                                   "今年 以上 以下 以内 左右 继续 进一步 持续 加快 大力 积极 逐步 可 可以 超过";
/* ... and words that close them but are never the end of a subject: particles, comparator words
 * left before the number. */
static const char subject_tail[] = "的 了 和 及 与 并 为 由 从 至 到 是 等 约 近 超 达 达到 超过 突破 不低于 "
                                   "不少于 至少 不超过 控制在 保持在 稳定在 共 共计 累计 未 分别 不 最高 最低 至多";

struct gw_extractor {
	qrule *q;
	size_t nq;
	srule *s;
	size_t ns;
	crule *c;
	size_t nc;
	krule *k;
	size_t nk;
	struct kstep {
		uint32_t k; /* the kind rules that give a kind, in order: those kind_of asks */
		int quick; /* the scope of a quick rule, else -1 */
		int one;   /* the one scope of a rule with conditions, not the document's, else -1 */
	} *steps;
	size_t ndecide;
	vrule *verb, *subj;
	size_t nverb, nsubj;
	const gw_rule **start; /* the stop.* rules, then the quantity.* rules: tried where a number starts */
	const gw_union *starts; /* the same, with their prefilter (gw_rules_union) */
	/* per scope masked: the kind.* rules on it that can match in its string (issue 14), a filter
	 * of their own (one over all 126 rules had a clause a rule: kind.past-sentence's 截至 过去…
	 * 创新高, folded into one, passed 4,000 sentences to match 15), and per kind rule its clauses
	 * in it, then 1 when it is always tried ([nk]: w[2] 2 until read) */
	const gw_prefilter *kpf[SC_COUNT];
	struct kbits {
		uint64_t w[3];
	} *kbits[SC_COUNT];
	unsigned masked; /* the scopes kind rules are prefiltered on: those of more than MASK_MIN
	                  * rules (for fewer, reading the string costs more than running them) */
	const gw_prefilter *clause; /* the cmp.* rules, then the verb.* rules: both searched for in
	                             * the clause before a number, read once for them (issue 14) */
	gw_words *words; /* where subjects may be cut; NULL: at any code point */
	wordset lead, tail; /* subject_lead and subject_tail */
	wordset from, open, close; /* what a subject is compared with, and the brackets around it */
	uint8_t *may;    /* per code point of the BMP: 2 a number may start there, 1 not, 0 not known yet */
	uint8_t *block;  /* per first two bytes of a three-byte code point (may + 0x10000), E1–EC or
	                  * EE–EF then a continuation byte: 1 no number starts in its block of 64, 2 +
	                  * k one may (stop[2 + k] says where), 0 not known yet */
	struct mixed {
		uint64_t stop[256]; /* per value b of block, a bit per third byte: where the scan
		                     * stops (0: everywhere, 1: nowhere, 2 + k: the k-th block) */
		int n;
	} *mixed; /* the blocks where some number may start, learnt as block is */
};

/* A line of the text that reads like an unnumbered heading: “十四五”时期工作回顾. */
typedef struct hline {
	size_t start, end;
} hline;

typedef struct found found;

/* One document's working state. */
typedef struct ctx {
	const gw_extractor *x;
	gw_doc *d;
	const char *t;
	size_t n;
	hline *heads;
	size_t nheads, capheads;
	signed char *memo; /* per kind rule: -1 not yet matched, 0, 1 (on the string of memogen) */
	unsigned *memogen; /* per kind rule: the generation of its scope's string it was matched on */
	unsigned gen[SC_COUNT]; /* per scope: bumped when its string differs from the last one (from 1) */
	gw_buf last[SC_COUNT];  /* per scope built into scope[]: the last string */
	/* the quantity being classified, and which of its scopes are built */
	const struct found *cur;
	const gw_quantity *curq;
	size_t clause;
	size_t sentence; /* where its sentence starts (SENTENCE_MAX code points at most), SIZE_MAX: not known yet */
	struct {
		size_t from, to; /* the last walk to a sentence start (from: SIZE_MAX none), or line start */
		int len;         /* code points walked */
	} walk, line;
	unsigned built;
	int decider;     /* the kind rule that decided the current quantity, -1: none */
	size_t fact_end; /* end of the last quantity a clause-level rule found a fact, 0: none */
	int doc_year;    /* the year of the 成文日期, else of the title; 0: unknown */
	int headnode;    /* the node the heading scope was built for, INT_MIN: none */
	gw_buf scope[SC_COUNT]; /* the strings of the scopes that are not bytes of the text */
	struct sview {
		const char *p;
		size_t len, from; /* from: where it starts in the text, SIZE_MAX: in scope[] */
	} str[SC_COUNT];        /* the strings kind rules are matched against */
	gw_prefilter_mask kmay[SC_COUNT]; /* per scope: the kind rules that can match in its string */
	unsigned kmaygen[SC_COUNT]; /* per scope: the generation of the string kmay is of, 0: none */
	struct kread {
		size_t from, len;     /* a scope of bytes of the text: the string kmay was read on */
		gw_prefilter_read rd; /* and what was read of it, for a string that only grew */
	} kread[SC_COUNT];
	gw_prefilter_cursor cursor; /* of the prefilter of the rules tried at number starts */
	/* the clause last read for the cmp and verb rules, from..to, and what was read of it: the
	 * next number's clause, when it starts at the same place, is read from to on only */
	struct {
		size_t from, to;
		gw_prefilter_read rd;
	} cread;
	struct table *table; /* the last flattened table column_scope read, NULL: none yet */
	int failed;
} ctx;

/* ---------------------------------------------------------------- loading the rules */

/* The slot of the word s[0..n) in ws: its own, else the free one where it goes. */
static size_t
word_slot(const wordset *ws, const char *s, size_t n)
{
	size_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	for (h &= WORDSET_SLOTS - 1; ws->w[h] && !(ws->n[h] == n && memcmp(ws->w[h], s, n) == 0);)
		h = (h + 1) & (WORDSET_SLOTS - 1);
	return h;
}

static void
wordset_fill(wordset *ws, const char *list)
{
	for (size_t n; *list; list += n + (list[n] == ' ')) {
		size_t h = word_slot(ws, list, n = strcspn(list, " "));

		ws->w[h] = list, ws->n[h] = (uint8_t)n;
	}
}

/* Whether s[0..n) up to a NUL is one of the words of ws (as in_words finds it in the list). */
static bool
in_wordset(const wordset *ws, const char *s, size_t n)
{
	n = strnlen(s, n);
	return n > 0 && ws->w[word_slot(ws, s, n)] != NULL;
}

static int
group(const gw_rule *r, const char *name)
{
	return gw_rule_group(r, name);
}

/* The prefilter of n rules searched for in strings, each the first member of a struct of size
 * sz at rules, then of n2 more at rules2. */
static const gw_prefilter *
prefilter_of(const void *rules, size_t n, size_t sz, const void *rules2, size_t n2, size_t sz2)
{
	const gw_rule **r = gw_xcalloc(n + n2 ? n + n2 : 1, sizeof *r);
	const gw_prefilter *f;

	for (size_t k = 0; k < n + n2; k++)
		r[k] = *(const gw_rule *const *)(k < n ? (const char *)rules + k * sz
		                                       : (const char *)rules2 + (k - n) * sz2);
	f = gw_union_prefilter(gw_rules_union(r, n + n2, true));
	free(r);
	return f;
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
		                        val && strcmp(val, "fraction") == 0,
		                        val && strcmp(val, "tenths") == 0};
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
		x->s[x->ns++] = (srule){r, why ? why : "stop-list", gw_rule_attr(r, "lead")};
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

/* The bits of the scopes named in list ("before sentence"); the loader checked the names. */
static unsigned
scopes_of(const char *list)
{
	unsigned m = 0;

	for (int i = 0; i < SC_COUNT; i++) {
		size_t n = strlen(scope_names[i]);

		for (const char *p = list; (p = strstr(p, scope_names[i])) != NULL; p += n)
			if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
				m |= 1u << i;
	}
	return m;
}

/* Add to kr the kind.* rules named in list (the loader checked that they exist). */
static void
add_conds(gw_extractor *x, krule *kr, const char *list, bool want)
{
	while (list && *list) {
		size_t n = strcspn(list, " ");

		for (size_t j = 0; j < x->nk; j++)
			if (strncmp(gw_rule_id(x->k[j].r), list, n) == 0 && gw_rule_id(x->k[j].r)[n] == '\0') {
				kr->cond = gw_xrealloc(kr->cond, (kr->ncond + 1) * sizeof *kr->cond);
				kr->cond[kr->ncond++] = (kcond){(int)j, want};
			}
		list += n;
		list += *list == ' ';
	}
}

static void
load_kind_rules(gw_extractor *x, const gw_rules *rs)
{
	size_t i = 0, cap = 0;
	const gw_rule *r;
	krule *on;

	while ((r = gw_rules_next(rs, "kind.", &i)) != NULL) {
		const char *kind = gw_rule_attr(r, "kind");
		unsigned sc = scopes_of(gw_rule_attr(r, "scope"));
		int one = (sc & (sc - 1)) == 0 && sc ? __builtin_ctz(sc) : -1;

		gw_grow((void **)&x->k, &cap, x->nk + 1, sizeof *x->k);
		x->k[x->nk++] = (krule){r, sc, one, (sc & ~DOC_SCOPES) == 0,
		                        kind ? gw_qkind_from_name(kind) : -1, NULL, 0};
	}
	on = gw_xmalloc((x->nk ? x->nk : 1) * sizeof *on); /* the rules on one scope */
	for (int sc = 0; sc < SC_COUNT; sc++) {
		size_t n = 0;

		for (size_t k = 0; k < x->nk; k++)
			if (x->k[k].scopes >> sc & 1)
				on[n++] = x->k[k];
		x->masked |= (unsigned)(n > MASK_MIN) << sc;
		if (n > MASK_MIN) {
			x->kpf[sc] = prefilter_of(on, n, sizeof *on, NULL, 0, 0);
			x->kbits[sc] = gw_xcalloc(x->nk + 1, sizeof *x->kbits[sc]);
			x->kbits[sc][x->nk].w[2] = 2;
		}
	}
	free(on);
	/* resolved once all are known, so a condition may come after its user */
	x->steps = gw_xmalloc((x->nk + 1) * sizeof *x->steps);
	for (i = 0; i < x->nk; i++) {
		krule *kr = &x->k[i];

		add_conds(x, kr, gw_rule_attr(kr->r, "requires"), true);
		add_conds(x, kr, gw_rule_attr(kr->r, "unless"), false);
		/* quick: one scope, not the document's, and no condition */
		if (kr->kind >= 0)
			x->steps[x->ndecide++] = (struct kstep){
				(uint32_t)i, (kr->one >= 0 && !kr->doc && kr->ncond == 0 ? kr->one : -1),
				(kr->one >= 0 && !kr->doc && kr->ncond > 0 ? kr->one : -1)};
	}
}

static void
load_vrules(const gw_rules *rs, const char *prefix, vrule **out, size_t *n)
{
	size_t i = 0, cap = 0;
	const gw_rule *r;

	while ((r = gw_rules_next(rs, prefix, &i)) != NULL) {
		gw_grow((void **)out, &cap, *n + 1, sizeof **out);
		(*out)[(*n)++] = (vrule){r, group(r, "verb"), group(r, "subject"), group(r, "object"),
		                         gw_rule_attr(r, "units")};
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
	if (load_cmp_rules(x, rs, err) < 0) {
		gw_extractor_free(x);
		return NULL;
	}
	load_kind_rules(x, rs);
	load_vrules(rs, "verb.", &x->verb, &x->nverb);
	x->clause = prefilter_of(x->c, x->nc, sizeof *x->c, x->verb, x->nverb, sizeof *x->verb);
	load_vrules(rs, "subject.", &x->subj, &x->nsubj);
	x->start = gw_xmalloc((x->ns + x->nq) * sizeof *x->start);
	for (size_t k = 0; k < x->ns + x->nq; k++)
		x->start[k] = k < x->ns ? x->s[k].r : x->q[k - x->ns].r;
	x->starts = gw_rules_union(x->start, x->ns + x->nq, false);
	x->words = gw_words_new();
	wordset_fill(&x->lead, subject_lead);
	wordset_fill(&x->tail, subject_tail);
	wordset_fill(&x->from, "从 由 较");
	wordset_fill(&x->open, "（ ( 【 《");
	wordset_fill(&x->close, "） ) 】 》");
	x->may = gw_xcalloc(0x20000, 1);
	x->block = x->may + 0x10000;
	x->mixed = gw_xcalloc(1, sizeof *x->mixed);
	x->mixed->stop[0] = UINT64_MAX; /* a block not known yet: stop and learn it */
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
	for (size_t i = 0; i < x->nk; i++)
		free(x->k[i].cond);
	free(x->k);
	free(x->steps);
	free(x->verb);
	free(x->subj);
	free(x->start);
	free(x->may);
	free(x->mixed);
	for (int sc = 0; sc < SC_COUNT; sc++)
		free(x->kbits[sc]);
	gw_words_free(x->words);
	free(x);
}

/* ---------------------------------------------------------------- text helpers */

static inline uint32_t
cp_at(const char *t, size_t n, size_t i, int *len)
{
	uint32_t c;

	*len = gw_utf8_decode_fast(t + i, n - i, &c);
	if (*len == 0)
		*len = 1;
	return c;
}

/* The start of the code point before byte i (i > 0): a three-byte one at once (the text is
 * valid UTF-8; issue 14: the walks back to a clause or sentence start, 200,000 code points a
 * pass). */
static inline size_t
prev_start(const char *t, size_t i)
{
	if (i >= 3 && ((unsigned char)t[i - 3] & 0xF0) == 0xE0)
		return i - 3;
	do
		i--;
	while (i > 0 && ((unsigned char)t[i] & 0xC0) == 0x80);
	return i;
}

static inline uint32_t
cp_before(const char *t, size_t n, size_t i)
{
	int len;

	return i == 0 ? 0 : cp_at(t, n, prev_start(t, i), &len);
}

static bool
in_set(uint32_t c, const char *set)
{
	uint32_t d;

	for (int len; *set; set += len)
		if ((len = gw_utf8_decode_fast(set, 4, &d)) <= 0 || d == c)
			return len > 0;
	return false;
}

typedef bool (*cp_test)(uint32_t c);

static bool
is_line_end(uint32_t c)
{
	return c == '\n' || c == '\r';
}

/* 。！？ and line ends close a sentence (not ；: the quantity's sentence goes on after one). */
static bool
is_sentence_end(uint32_t c)
{
	return gw_is_sentence_end(c) || is_line_end(c);
}

/* ，；： close a clause as well. */
static bool
is_clause_end(uint32_t c)
{
	return is_sentence_end(c) || c == 0xFF0C || c == ',' || c == 0xFF1B || c == ';' ||
	       c == 0xFF1A || c == ':';
}

static bool
is_nothing(uint32_t c)
{
	(void)c;
	return false;
}

/* The start of the line around byte i and its end (a line end is an ASCII byte, never part of
 * another character: no decoding, issue 14). */
static size_t
line_start(const char *t, size_t i)
{
	while (i > 0 && t[i - 1] != '\n' && t[i - 1] != '\r')
		i--;
	return i;
}

static size_t
line_end(const char *t, size_t n, size_t i)
{
	while (i < n && t[i] != '\n' && t[i] != '\r')
		i++;
	return i;
}

/* Where the clause before byte i starts: the walk back over at most CLAUSE_MAX code points to a
 * clause end.  Only those led by E3 or EF are decoded (。 and the full-width ，；：！？; the other
 * ends are ASCII: issue 14). */
static size_t
clause_start(const char *t, size_t n, size_t i)
{
	for (int max = CLAUSE_MAX; i > 0 && max-- > 0; ) {
		size_t j = prev_start(t, i);
		unsigned char b = (unsigned char)t[j];
		int len;

		if (b < 0x80 ? is_clause_end(b) : (b == 0xE3 || b == 0xEF) && is_clause_end(cp_at(t, n, j, &len)))
			break;
		i = j;
	}
	return i;
}

/* Walk forward from byte i over at most max code points that do not stop it.  Every stop (a
 * clause or sentence end) is ASCII or led by E3 or EF: a well-formed ideograph led by E4–EC is
 * passed undecoded (issue 14). */
static inline size_t
fwd_to(const char *t, size_t n, size_t i, cp_test stop, int max)
{
	const unsigned char *u = (const unsigned char *)t;

	while (i < n && max-- > 0) {
		int len;

		if (u[i] >= 0xE4 && u[i] <= 0xEC && i + 2 < n && (u[i + 1] & 0xC0) == 0x80 && (u[i + 2] & 0xC0) == 0x80)
			len = 3;
		else if (stop(cp_at(t, n, i, &len)))
			break;
		i += (size_t)len;
	}
	return i;
}

static bool
is_digit(uint32_t c)
{
	return gw_digit_value(c) >= 0;
}

/* Whether a number starts at c, given the two code points before it: not inside another
 * number (1.5, 1,325, 一百, 十点五); a bare 百 千 万 starts one only for the rules that take it
 * (百分之, 超百亿元, 千人以上). */
static bool
starts_number(uint32_t c, uint32_t prev, uint32_t prev2)
{
	if (!is_digit(c) && gw_zh_digit(c) < 0 && gw_zh_unit(c) != 10 && c != 0x767E &&
	    c != 0x5343 && c != 0x4E07)
		return false;
	if (is_digit(prev) || gw_zh_digit(prev) >= 0 || gw_zh_unit(prev))
		return false;
	if ((prev == '.' || prev == 0xFF0E || prev == ',') && is_digit(c) && is_digit(prev2))
		return false;
	/* the decimals of 十点五 when the number could not be read whole: never read alone */
	if ((prev == 0x70B9 || prev == 0x9EDE) &&
	    (is_digit(prev2) || gw_zh_digit(prev2) >= 0 || gw_zh_unit(prev2)))
		return false;
	return true;
}

static bool
is_minus(uint32_t c)
{
	return c == '-' || c == 0x2212 || c == 0xFF0D || c == 0x8D1F;
}

/* Whether a minus sign starts a number at byte i: after a verb of change, a copula, an opening
 * bracket or a clause mark (增长-3.2%, 为负3.2%, （-2.1）); not after another word (税负5700亿元,
 * 365天-104天, 2020年-2023年: a word or an operator).  零下 starts as a numeral (零). */
static bool
starts_negative(const ctx *c, size_t i, uint32_t ch, uint32_t prev)
{
	if (!is_minus(ch))
		return false;
	if (prev != 0 && prev != '\n' && !in_set(prev, "长降为是至到达于从：:（(，,、；; \t"))
		return false;
	return gw_minus_sign(c->t + i, c->n - i) > 0;
}

/* Whether a number can start at c, whatever stands before it (starts_number and is_minus say),
 * learnt once a block of 64 code points of the BMP (issue 14: the scan looks at most characters
 * no further, and passes the code points of a known block undecoded). */
static bool
may_start_at(const gw_extractor *x, uint32_t c)
{
	if (c >= 0x10000)
		return starts_number(c, 0, 0) || is_minus(c);
	if (x->may[c] == 0) {
		uint64_t bits = 0;

		for (uint32_t d = c & ~63u; d <= (c | 63u); d++) {
			x->may[d] = (uint8_t)(1 + (starts_number(d, 0, 0) || is_minus(d)));
			bits |= (uint64_t)(x->may[d] == 2) << (d & 63);
		}
		if (c >= 0x1000 && (c < 0xD000 || c >= 0xE000) && /* led by E1–EC or EE–EF */
		    (bits == 0 || x->mixed->n < (int)(sizeof x->mixed->stop / sizeof *x->mixed->stop) - 2)) {
			if (bits)
				x->mixed->stop[2 + x->mixed->n++] = bits;
			x->block[(0xE0 | c >> 12) | (0x80 | (c >> 6 & 0x3F)) << 8] =
				(uint8_t)(bits ? 1 + x->mixed->n : 1);
		}
	}
	return x->may[c] == 2;
}

/* The first byte from i on where a number may start (its code point in *ch, of *len bytes), or
 * n.  A three-byte code point of a known block is passed on its bytes, without decoding it:
 * its first two give its block, the block's bit of its third byte says whether to stop (the
 * text is valid UTF-8: the model never holds other).  One branch a code point, taken where
 * the scan stops: a branch on whether the block is one where some number starts was
 * mispredicted on about one code point in three (issue 14: the blocks of 一 上 不 个 中 and
 * of 十 千 are among the commonest). */
static size_t
next_start(const gw_extractor *x, const char *t, size_t n, size_t i, uint32_t *ch, int *len)
{
	const unsigned char *u = (const unsigned char *)t, *end = n > 2 ? u + n - 2 : u;
	const uint8_t *block = x->block;
	const uint64_t *stop = x->mixed->stop;

	for (;; i += (size_t)*len) {
		const unsigned char *p = u + i;

		while (p < end && !(stop[block[p[0] | p[1] << 8]] >> (p[2] & 63) & 1))
			p += 3;
		if ((i = (size_t)(p - u)) >= n)
			return n;
		*ch = u[i], *len = 1;
		if (*ch >= 0x80 && (*len = gw_utf8_decode_fast(t + i, n - i, ch)) == 0)
			*len = 1;
		if (may_start_at(x, *ch))
			return i;
	}
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

static bool
group_set(const size_t *ov, int g)
{
	return g > 0 && ov[2 * g] != (size_t)-1;
}

/* ---------------------------------------------------------------- stop-lists */

static gw_span
span_of(ctx *c, size_t start, size_t end)
{
	return (gw_span){gw_doc_byte_to_cp(c->d, start), gw_doc_byte_to_cp(c->d, end)};
}

/* Widen a rejected text back from the number over the rule's lead characters: 第46届, G15. */
static size_t
lead_start(const ctx *c, const srule *sr, size_t p)
{
	int max = 8;

	while (sr->lead && p > 0 && max-- > 0) {
		size_t j = prev_start(c->t, p);
		int len;
		uint32_t ch = cp_at(c->t, c->n, j, &len);

		if (!in_set(ch, sr->lead) && !(ch == ' ' && max < 8))
			break;
		p = j;
	}
	return p;
}

/* The first of the rules tried where a number starts (stop.* then quantity.*) from the k-th on
 * that matches at byte p, its match in ov: its index, ns + nq when none, -1 on a rule error.
 * Only those the prefilter does not turn down run (issue 14: a number start ran all 41, each
 * reading the number again); when one goes over a limit, all of them one by one say which. */
static int
start_rule(ctx *c, size_t p, size_t k, size_t *ov)
{
	size_t n = c->x->ns + c->x->nq;
	int rc;

	if (c->x->starts && (rc = gw_union_first_at(c->x->starts, c->t, c->n, p, k, &c->cursor, ov, NGROUPS)) >= 0)
		return rc;
	for (; k < n; k++) {
		if ((rc = gw_rule_match_at(c->x->start[k], c->t, c->n, p, ov, NGROUPS)) < 0) {
			gw_doc_fail(c->d, GW_E_RULE_LIMIT, "rule %s", gw_rule_id(c->x->start[k]));
			return -1;
		}
		if (rc > 0)
			return (int)k;
	}
	return (int)n;
}

/* Whether the match ov of stop rule sr at byte p takes the number: then it is listed as rejected
 * and *end is where the scan goes on. */
static bool
stop_takes(ctx *c, const srule *sr, size_t p, const size_t *ov, size_t *end)
{
	size_t from;

	if (ov[0] != p || ov[1] <= p)
		return false;
	from = lead_start(c, sr, p);
	gw_doc_add_rejected(c->d, c->t + from, ov[1] - from, span_of(c, from, ov[1]), sr->reason,
	                    gw_rule_id(sr->r));
	*end = ov[1];
	return true;
}

/* ---------------------------------------------------------------- one quantity */

/* A match of a quantity.* rule, with its numbers parsed. */
struct found {
	const qrule *qr;
	size_t ov[2 * NGROUPS];
	size_t start, end; /* the quantity's text: from the number to the end of the match */
	gw_number a, b;
	bool has_b;
};

static int
parse_group(const ctx *c, const size_t *ov, int g, gw_number *out)
{
	if (!group_set(ov, g))
		return GW_NUMBER_INVALID;
	return gw_number_parse(c->t + ov[2 * g], ov[2 * g + 1] - ov[2 * g], out);
}

/* Whether the match f->ov of quantity rule qr at byte p is a quantity, its numbers parsed: 1 yes,
 * 0 no (the next rule is tried), -1 no and none is (a number too long). */
static int
quantity_takes(ctx *c, const qrule *qr, size_t p, found *f)
{
	int pa, pb = GW_NUMBER_OK;

	if (f->ov[0] != p)
		return 0;
	f->qr = qr;
	f->start = p;
	f->end = f->ov[1];
	pa = parse_group(c, f->ov, qr->num, &f->a);
	f->has_b = group_set(f->ov, qr->num2) || group_set(f->ov, qr->den);
	if (f->has_b)
		pb = parse_group(c, f->ov, group_set(f->ov, qr->num2) ? qr->num2 : qr->den, &f->b);
	if (pa == GW_NUMBER_TOO_LONG || pb == GW_NUMBER_TOO_LONG) {
		gw_doc_diag(c->d, GW_W_NUMBER_TOO_LONG, span_of(c, f->start, f->end), NULL);
		return -1;
	}
	return pa == GW_NUMBER_OK && pb == GW_NUMBER_OK;
}

/* Try the stop-lists, then the quantity rules at byte p: 1 a stop rule took the number (*end is
 * where the scan goes on), 2 a quantity was found (f), 0 neither, -1 a rule error. */
static int
number_at(ctx *c, size_t p, found *f, size_t *end)
{
	size_t ns = c->x->ns, n = ns + c->x->nq;
	int k, rc;

	for (k = start_rule(c, p, 0, f->ov); k >= 0 && (size_t)k < n; k = start_rule(c, p, (size_t)k + 1, f->ov)) {
		if ((size_t)k < ns) {
			if (stop_takes(c, &c->x->s[k], p, f->ov, end))
				return 1;
		} else if ((rc = quantity_takes(c, &c->x->q[(size_t)k - ns], p, f)) != 0)
			return rc > 0 ? 2 : 0;
	}
	return k < 0 ? -1 : 0;
}

/* Units written in traditional characters, kept as their simplified form so that one unit has
 * one name: 個 百分點 圓 (Big5 documents and the same texts in traditional script). */
static const char *const trad_units[][2] = {
	{"個百分點", "百分点"}, {"百分點", "百分点"}, {"個", "个"}, {"圓", "元"},
};

/* The unit as the model keeps it: % for ％, 百分点 for 个百分点, 岁 for 周岁. */
static char *
unit_of(const ctx *c, const found *f)
{
	const char *u;
	size_t n;

	if (f->qr->unit_attr)
		return gw_doc_strndup(c->d, f->qr->unit_attr, strlen(f->qr->unit_attr));
	if (!group_set(f->ov, f->qr->unit))
		return NULL;
	u = c->t + f->ov[2 * f->qr->unit];
	n = f->ov[2 * f->qr->unit + 1] - f->ov[2 * f->qr->unit];
	if (n > 3 && memcmp(u, "个", 3) == 0 && (n == 12 || n == 9) &&
	    (memcmp(u + 3, "百分点", 9) == 0 || memcmp(u + 3, "千分点", 9) == 0))
		u += 3, n -= 3;
	if (n == 3 && memcmp(u, "％", 3) == 0)
		return gw_doc_strndup(c->d, "%", 1);
	for (size_t k = 0; k < sizeof trad_units / sizeof trad_units[0]; k++)
		if (n == strlen(trad_units[k][0]) && memcmp(u, trad_units[k][0], n) == 0)
			return gw_doc_strndup(c->d, trad_units[k][1], strlen(trad_units[k][1]));
	return gw_doc_strndup(c->d, u, n);
}

/* Value, or min and max, of an amount or a range. */
static void
set_amounts(gw_quantity *q, const found *f)
{
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

/* Value, or min and max, from the parsed numbers. */
static void
set_values(gw_quantity *q, const found *f)
{
	if (f->qr->fraction || (f->qr->tenths && group_set(f->ov, f->qr->den))) {
		q->has_value = true;
		q->value = f->qr->fraction ? gw_round15(f->a.value / f->b.value * 100) /* 五分之一 */
		                           : f->a.value * 10 + f->b.value;          /* 八五折 */
		return;
	}
	set_amounts(q, f);
	if (f->qr->tenths) /* 四成 → 40 % */
		q->value = gw_round15(q->value * 10), q->min = gw_round15(q->min * 10),
		q->max = gw_round15(q->max * 10);
}

/* The comparator from the words after the unit, else before the number (the clause, whose
 * prefilter mask is may), else the number. */
static int
comparator_of(ctx *c, const found *f, size_t clause, const gw_prefilter_mask *may)
{
	size_t ov[2]; /* whether it matches, not where */
	int g = f->qr->post;

	for (size_t k = 0; k < c->x->nc; k++) {
		const crule *cr = &c->x->c[k];
		int rc;

		if (cr->after) {
			if (!group_set(f->ov, g))
				continue;
			rc = gw_rule_match(cr->r, c->t, f->ov[2 * g + 1], f->ov[2 * g], ov, 1);
		} else if (group_set(f->ov, g) || !gw_prefilter_may(c->x->clause, may, k))
			rc = 0;
		else
			rc = gw_rule_match(cr->r, c->t, f->start, clause, ov, 1);
		if (rc > 0)
			return (int)cr->cmp;
	}
	return f->a.approx ? GW_CMP_APPROX : GW_CMP_EQ;
}

/* ---------------------------------------------------------------- kind */

/* The string of scope sc is now p[0..len) (from: where it starts in the text, SIZE_MAX: it is
 * in scope[sc]); its generation goes up when it differs from the last one. */
static void
set_string(ctx *c, enum scope sc, const char *p, size_t len, size_t from)
{
	struct sview *v = &c->str[sc];
	bool same;

	if (from != SIZE_MAX)
		same = len == v->len && (from == v->from || memcmp(p, v->p, len) == 0);
	else { /* v->p is p's buffer: the last string is in last[sc] */
		same = len == c->last[sc].len && (len == 0 || memcmp(p, c->last[sc].ptr, len) == 0);
		if (!same)
			gw_buf_reset(&c->last[sc]), gw_buf_put(&c->last[sc], p, len);
	}
	c->gen[sc] += !same;
	*v = (struct sview){p, len, from};
}

/* The string of scope sc is the bytes [from, to) of the text (none when to <= from). */
static void
put_range(ctx *c, enum scope sc, size_t from, size_t to)
{
	set_string(c, sc, c->t + from, to > from ? to - from : 0, from);
}

/* The year four ASCII digits and a 年 at s[0..n) give (20xx, 19xx), else 0. */
static int
year_at(const char *s, size_t n)
{
	int y = 0;

	if (n < 7 || (s[0] != '1' && s[0] != '2'))
		return 0;
	for (int k = 0; k < 4; k++) {
		if (s[k] < '0' || s[k] > '9')
			return 0;
		y = y * 10 + (s[k] - '0');
	}
	return memcmp(s + 4, "年", 3) == 0 ? y : 0;
}

/* The document's own year: its 成文日期, else the first year its title names. */
static int
doc_year(const gw_header *h)
{
	const char *t = h->f[GW_H_TITLE].text;

	if (h->date && strlen(h->date) >= 4)
		return atoi(h->date);
	for (size_t i = 0; t && t[i]; i++)
		if (year_at(t + i, strlen(t + i)))
			return year_at(t + i, strlen(t + i));
	return 0;
}

/* Whether a code point that starts with byte b may end a sentence: ! ? line ends, 。！？. */
static inline bool
may_end_sentence(unsigned char b)
{
	return b == '!' || b == '?' || b == '\n' || b == '\r' || b == 0xE3 || b == 0xEF;
}

/* Where the sentence of the quantity being classified starts: the walk back from its start over
 * at most SENTENCE_MAX code points to a sentence end, found once (three scopes ask).  Quantities come in text order: where the walk
 * reaches the start of an earlier one whose walk stopped at a sentence end or the text's start,
 * it would go on the same way (issue 14). */
static size_t
sentence_start(ctx *c)
{
	size_t i = c->cur->start;
	int m = 0;

	if (c->sentence != SIZE_MAX)
		return c->sentence;
	for (; i > 0 && m < SENTENCE_MAX; m++) {
		size_t j = prev_start(c->t, i);
		int len;

		if (i == c->walk.from && m + c->walk.len <= SENTENCE_MAX) {
			i = c->walk.to, m += c->walk.len;
			break;
		}
		if (may_end_sentence((unsigned char)c->t[j]) && is_sentence_end(cp_at(c->t, c->n, j, &len)))
			break;
		i = j;
	}
	c->walk.from = m < SENTENCE_MAX ? c->cur->start : SIZE_MAX;
	c->walk.to = i, c->walk.len = m;
	return c->sentence = i;
}

/* The walk back from byte i over at most LINE_MAX_CP code points to a line end, without
 * decoding: a line end is an ASCII byte, and a line is mostly shorter than LINE_MAX_CP code
 * points.  The walk stops where the last one started, when it found the start of that line
 * (issue 14: several quantities share a line). */
static size_t
line_back(ctx *c, size_t i)
{
	const char *t = c->t;
	size_t s, floor = i > 4 * (size_t)LINE_MAX_CP ? i - 4 * (size_t)LINE_MAX_CP : 0;

	if (c->line.from <= i && c->line.to >= floor && !memchr(t + c->line.from, '\n', i - c->line.from) &&
	    !memchr(t + c->line.from, '\r', i - c->line.from))
		s = c->line.to;
	else {
		const char *nl = memrchr(t + floor, '\n', i - floor);
		const char *cr = memrchr(nl ? nl + 1 : t + floor, '\r', (size_t)(t + i - (nl ? nl + 1 : t + floor)));

		s = cr ? (size_t)(cr + 1 - t) : nl ? (size_t)(nl + 1 - t) : floor;
	}
	if (s == 0 || t[s - 1] == '\n' || t[s - 1] == '\r')
		c->line.from = i, c->line.to = s;
	if (i - s <= LINE_MAX_CP || gw_utf8_count(t + s, i - s) <= LINE_MAX_CP)
		return s;
	for (int max = LINE_MAX_CP; max > 0; max--) /* more than that: as many back from i */
		i = prev_start(t, i);
	return i;
}

/* The when scope: "past", "current" or "future" when the sentence opens with a year
 * (2024年，… / 截至2024年底) before, equal to or after the document's year; else empty. */
static void
when_scope(ctx *c, gw_buf *b)
{
	static const char *const lead[] = {"截至", "截止", "在", "自", ""};
	size_t s = sentence_start(c);
	int y = 0;

	while (s < c->n && (c->t[s] == ' ' || c->t[s] == '\t'))
		s++;
	for (size_t k = 0; k < sizeof lead / sizeof lead[0] && y == 0; k++)
		if (strncmp(c->t + s, lead[k], strlen(lead[k])) == 0)
			y = year_at(c->t + s + strlen(lead[k]), c->n - s - strlen(lead[k]));
	if (y && c->doc_year)
		gw_buf_puts(b, y < c->doc_year ? "past" : y == c->doc_year ? "current" : "future");
}

/* The document-wide scopes: is_notice, and the title with its 文种 (or the text's opening). */
static void
doc_scopes(ctx *c)
{
	const gw_header *h = &c->d->header;
	gw_buf *b = &c->scope[SC_DOC];

	c->doc_year = doc_year(h);
	gw_buf_puts(&c->scope[SC_NOTICE], c->d->is_notice == 1 ? "notice" :
	                                  c->d->is_notice == 0 ? "news" : "unknown");
	if (h->f[GW_H_TITLE].text) {
		gw_buf_puts(b, h->f[GW_H_TITLE].text);
		gw_buf_putc(b, '\n');
		if (h->f[GW_H_DOC_TYPE].text)
			gw_buf_puts(b, h->f[GW_H_DOC_TYPE].text);
	} else
		gw_buf_put(b, c->t, fwd_to(c->t, c->n, 0, is_nothing, 300));
	for (int sc = SC_NOTICE; sc <= SC_DOC; sc++)
		set_string(c, sc, c->scope[sc].ptr ? c->scope[sc].ptr : "", c->scope[sc].len, SIZE_MAX);
}

/* Whether t[s..e) reads like a heading of its own: short, no sentence punctuation, at least
 * four Han characters (so that a table cell such as 95.8% is not one). */
static bool
heading_like(const char *t, size_t s, size_t e)
{
	size_t ncp = e - s > 4 * 40 ? 41 : gw_utf8_count(t + s, e - s); /* no counting a long line */
	int han = 0;

	if (ncp < 4 || ncp > 40)
		return false;
	for (size_t i = s; i < e;) {
		int len;
		uint32_t c = cp_at(t, e, i, &len);

		if (is_clause_end(c) || c == 0x3001) /* 、 */
			return false;
		han += gw_is_han(c);
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

/* ---------------------------------------------------------------- flattened tables */

#define TABLE_MAX_CELLS 512
#define CELL_MAX_CP 30

typedef struct cellref {
	size_t s, e;
} cellref;

/* The line around byte p, trimmed of blanks into [*s, *e); returns where it starts. */
static size_t
line_of(const ctx *c, size_t p, size_t *s, size_t *e)
{
	size_t rs = line_start(c->t, p);
	int len;

	*s = rs, *e = line_end(c->t, c->n, p);
	while (*s < *e && gw_is_space(cp_at(c->t, *e, *s, &len)))
		*s += (size_t)len;
	while (*e > *s && gw_is_space(cp_before(c->t, c->n, *e)))
		*e = prev_start(c->t, *e);
	return rs;
}

/* Whether a line opens with a chapter or section heading number: 第三章, 第2节. */
static bool
chapter_line(const char *t, size_t s, size_t e)
{
	int len;
	size_t i = s;

	if (cp_at(t, e, i, &len) != 0x7B2C) /* 第 */
		return false;
	do
		i += (size_t)len;
	while (i < e && in_set(cp_at(t, e, i, &len), "一二三四五六七八九十百零〇0123456789"));
	return i < e && i > s + 3 && in_set(cp_at(t, e, i, &len), "章节编");
}

/* Whether a non-empty line can be a cell of a table flattened one cell per line: short, no
 * sentence punctuation, not a caption (表1) nor a numbered heading (一、 （一） 第三章). */
static bool
cell_line(const char *t, size_t s, size_t e)
{
	int len, len2;
	uint32_t c0 = cp_at(t, e, s, &len);
	uint32_t c1 = s + (size_t)len < e ? cp_at(t, e, s + (size_t)len, &len2) : 0;

	if (e - s > 4 * CELL_MAX_CP || gw_utf8_count(t + s, e - s) > CELL_MAX_CP || c0 == 0xFF08 || c0 == '(' ||
	    (c0 == 0x8868 && (is_digit(c1) || gw_is_space(c1))) || c1 == 0x3001 ||
	    chapter_line(t, s, e))
		return false;
	for (size_t i = s; i < e; i += (size_t)len)
		switch (cp_at(t, e, i, &len)) {
		case 0x3002: case 0xFF1B: case ';': case 0xFF1A: case ':': case 0xFF01: case '!':
		case 0xFF1F: case '?': /* 。；;：:！!？? */
			return false;
		}
	return true;
}

/* Whether a cell holds a figure (66.2% 12 -2.1), not a year heading (2025年现状值). */
static bool
value_cell(const char *t, const cellref *cl)
{
	size_t i = cl->s;
	int len;

	if (i < cl->e && (t[i] == '-' || t[i] == '+'))
		i++;
	if (i >= cl->e || !is_digit(cp_at(t, cl->e, i, &len)))
		return false;
	while (i < cl->e && (is_digit(cp_at(t, cl->e, i, &len)) || t[i] == '.'))
		i += (size_t)len;
	return i >= cl->e || cp_at(t, cl->e, i, &len) != 0x5E74; /* 年 */
}

/* A table flattened one cell per line, read once for the quantities of its cells (issue 14). */
typedef struct table {
	size_t first; /* where its first line starts */
	size_t to;    /* the lines from first up to byte to are cells or blank; 0: first is not where
	               * a walk back from a later line would stop */
	cellref cells[TABLE_MAX_CELLS];
	size_t n, v, k; /* cells; the first figure (n: none); the row length (table_period) */
} table;

/* The cells of the table from its first line, in order; returns where the reading stopped. */
static size_t
table_cells(ctx *c, size_t from, cellref *cells, size_t *n)
{
	size_t s, e, p = from;

	*n = 0;
	while (p < c->n && *n < TABLE_MAX_CELLS) {
		size_t rend = line_end(c->t, c->n, p);

		line_of(c, p, &s, &e);
		if (s < e) {
			if (!cell_line(c->t, s, e))
				break;
			cells[(*n)++] = (cellref){s, e};
		}
		p = rend + 1;
	}
	return p;
}

/* The smallest row length with which the figures of the table repeat row after row. */
static size_t
table_period(const char *t, const cellref *cells, size_t n, size_t v)
{
	for (size_t k = 2; k <= 12 && v + k < n; k++) {
		bool ok = value_cell(t, &cells[v + k]);

		for (size_t i = v + k; ok && i < n; i++)
			ok = value_cell(t, &cells[i]) == value_cell(t, &cells[i - k]);
		if (ok)
			return k;
	}
	return 0;
}

/* Whether at most two code points stand between the text of the line (blanks at its ends are
 * none) and bytes a and b: what column_scope asks first, found without walking a long line
 * (column_scope checks it again on the whole line). */
static bool
near_line_edges(const ctx *c, size_t a, size_t b)
{
	int len;

	for (int k = 0; k < 2 && a > 0 && !is_line_end(cp_before(c->t, c->n, a)); k++)
		a = prev_start(c->t, a);
	while (a > 0 && !is_line_end(cp_before(c->t, c->n, a)) && gw_is_space(cp_before(c->t, c->n, a)))
		a = prev_start(c->t, a);
	if (a > 0 && !is_line_end(cp_before(c->t, c->n, a)))
		return false;
	for (int k = 0; k < 2 && b < c->n && !is_line_end(cp_at(c->t, c->n, b, &len)); k++)
		b += (size_t)len;
	while (b < c->n && !is_line_end(cp_at(c->t, c->n, b, &len)) && gw_is_space(cp_at(c->t, c->n, b, &len)))
		b += (size_t)len;
	return b >= c->n || is_line_end(cp_at(c->t, c->n, b, &len));
}

/* Whether a cell holds the serial number n (a row's first cell), followed by a label. */
static bool
serial_cell(const char *t, const cellref *cells, size_t i, size_t n, size_t serial)
{
	size_t v = 0, s, e;

	if (i + 1 >= n)
		return false;
	s = cells[i].s, e = cells[i].e;
	if (s == e || e - s > 19 || t[s] == '0') /* as %zu writes it */
		return false;
	for (size_t j = s; j < e; j++) {
		if (t[j] < '0' || t[j] > '9')
			return false;
		v = v * 10 + (size_t)(t[j] - '0');
	}
	return v == serial && !value_cell(t, &cells[i + 1]);
}

/* The header of cell me in a table whose rows start with serial numbers 1 2 3 but differ in
 * length (a category cell only on a group's first row, ≤490 or >5 cells): the rows end
 * aligned, so cell me is under the header as far from the header row's end as me is from its
 * row's end.  NULL when the table is not of that shape. */
static const cellref *
serial_row_head(const char *t, const cellref *cells, size_t n, size_t me)
{
	size_t h = 0, row, end, serial = 2;

	while (h < n && !serial_cell(t, cells, h, n, 1))
		h++;
	if (h == 0 || h >= me)
		return NULL;
	for (row = h, end = h + 1; end < n; end++) {
		if (!serial_cell(t, cells, end, n, serial))
			continue;
		if (end > me)
			break;
		row = end, serial++;
	}
	if (end - row > h || end - 1 - me >= h)
		return NULL;
	return &cells[h - 1 - (end - 1 - me)];
}

/* Whether the walk back over cell and blank lines from the line at ls would stop at the first
 * line of the table read last: the lines between were read as its cells, and there are not
 * more of them than the walk's guard. */
static bool
in_last_table(const ctx *c, size_t ls)
{
	const table *tb = c->table;
	size_t ends = 0;

	if (tb == NULL || ls < tb->first || ls >= tb->to)
		return false;
	for (size_t i = tb->first; i < ls && ends <= 2 * TABLE_MAX_CELLS; i++)
		ends += c->t[i] == '\n' || c->t[i] == '\r';
	return ends <= 2 * TABLE_MAX_CELLS;
}

/* The table whose line starts at ls: the first of the lines before it that are cells or
 * blank, and its cells. */
static const table *
table_at(ctx *c, size_t ls)
{
	table *tb = c->table ? c->table : (c->table = gw_xmalloc(sizeof *c->table));
	size_t ps, pe, first = ls;
	int guard = 0;

	for (; first > 0 && guard < 2 * TABLE_MAX_CELLS; guard++) {
		size_t prs = line_of(c, first - 1, &ps, &pe);

		if (ps < pe && !cell_line(c->t, ps, pe))
			break;
		first = prs;
	}
	tb->first = first;
	tb->to = table_cells(c, first, tb->cells, &tb->n);
	if (guard >= 2 * TABLE_MAX_CELLS)
		tb->to = 0;
	for (tb->v = 0; tb->v < tb->n && !value_cell(c->t, &tb->cells[tb->v]);)
		tb->v++;
	tb->k = tb->v < tb->n ? table_period(c->t, tb->cells, tb->n, tb->v) : 0;
	return tb;
}

/* When the quantity is a whole cell of a table flattened one cell per line, the header of
 * its column: 2024年现状值 over 66.2%, 2027年目标值 over 68%. */
static void
column_scope(ctx *c, gw_buf *b)
{
	const table *tb;
	const cellref *cells, *head;
	size_t s, e, ls, n, v, k, o = 0, row, me = 0;
	int y;

	if (!near_line_edges(c, c->cur->start, c->cur->end))
		return;
	ls = line_of(c, c->cur->start, &s, &e);
	if (c->cur->start - s > 8 || gw_utf8_count(c->t + s, c->cur->start - s) > 2 ||
	    e - c->cur->end > 8 || gw_utf8_count(c->t + c->cur->end, e - c->cur->end) > 2 ||
	    !cell_line(c->t, s, e))
		return;
	tb = in_last_table(c, ls) ? c->table : table_at(c, ls);
	cells = tb->cells, n = tb->n, v = tb->v, k = tb->k;
	while (me < n && !(cells[me].s <= c->cur->start && c->cur->start < cells[me].e))
		me++;
	if (me >= n || v >= n)
		return;
	if (k == 0) {
		if ((head = serial_row_head(c->t, cells, n, me)) == NULL)
			return;
	} else {
		/* a first column of serial numbers 1 2 3 starts each row; else the labels
		 * before the figures do */
		if (!(cells[v].e - cells[v].s == 1 && c->t[cells[v].s] == '1'))
			while (o < k && !value_cell(c->t, &cells[v + k - 1 - o]))
				o++;
		if (v < o + k || me < v - o)
			return;
		row = v - o;
		head = &cells[row - k + (me - row) % k];
	}
	gw_buf_put(b, c->t + head->s, head->e - head->s);
	/* a column named by a year before the document's holds measured values */
	y = year_at(c->t + head->s, head->e - head->s);
	if (y && c->doc_year && y < c->doc_year)
		gw_buf_puts(b, " =past");
}

/* A scope built into scope[sc]: the headings, the unit, when and the column header. */
static void
build_scope(ctx *c, enum scope sc)
{
	gw_buf *b = &c->scope[sc];

	if (sc == SC_HEADING && c->curq->node == c->headnode)
		return; /* the string built for the quantity before, kept (issue 14) */
	c->headnode = sc == SC_HEADING ? c->curq->node : c->headnode;
	gw_buf_reset(b);
	gw_buf_put(b, "", 0);
	switch (sc) {
	case SC_HEADING:
		for (int n = c->curq->node; n >= 0; n = c->d->nodes[n].parent) {
			if (c->d->nodes[n].heading)
				gw_buf_puts(b, c->d->nodes[n].heading);
			gw_buf_putc(b, '\n');
		}
		break;
	case SC_UNIT:
		if (c->curq->unit)
			gw_buf_puts(b, c->curq->unit);
		break;
	case SC_WHEN:
		when_scope(c, b);
		break;
	default:
		column_scope(c, b);
		break;
	}
	set_string(c, sc, b->ptr, b->len, SIZE_MAX);
}

/* The string of scope sc for the quantity being classified, found the first time a rule asks
 * for it (rules/kind.rules says what each one is).  Most are bytes of the text, not copied
 * (issue 14). */
static void
find_scope(ctx *c, enum scope sc)
{
	const found *f = c->cur;
	int g = f->qr->num;
	const hline *sec;

	c->built |= 1u << sc;
	switch (sc) {
	case SC_SECTION:
		sec = section_of(c, f->start);
		put_range(c, sc, sec ? sec->start : 0, sec ? sec->end : 0);
		break;
	case SC_NUMBER:
		put_range(c, sc, group_set(f->ov, g) ? f->ov[2 * g] : 0, group_set(f->ov, g) ? f->ov[2 * g + 1] : 0);
		break;
	case SC_TEXT:
		put_range(c, sc, f->start, f->end);
		break;
	case SC_BEFORE:
		put_range(c, sc, c->clause, f->start);
		break;
	case SC_SENTENCE:
		put_range(c, sc, sentence_start(c), fwd_to(c->t, c->n, f->end, is_sentence_end, SENTENCE_MAX));
		break;
	case SC_LINE:
		put_range(c, sc, line_back(c, f->start), f->start);
		break;
	case SC_SINCE:
		/* a fact earlier in the sentence: 全镇现有林地12.6万亩，森林覆盖率达72.3% */
		if (c->fact_end > 0 && c->fact_end <= f->start && c->fact_end >= sentence_start(c))
			put_range(c, sc, c->fact_end, f->start);
		else
			put_range(c, sc, 0, 0);
		break;
	case SC_AFTER:
		put_range(c, sc, f->end, fwd_to(c->t, c->n, f->end, is_clause_end, CLAUSE_MAX));
		break;
	default:
		build_scope(c, sc);
		break;
	}
}

static inline const struct sview *
scope_of(ctx *c, enum scope sc)
{
	if (sc > SC_DOC && !(c->built & (1u << sc)))
		find_scope(c, sc);
	return &c->str[sc];
}

/* The kind rules that can match in the string of scope sc (gw_prefilter_in).  A string of the
 * text that starts where the last one did and is no shorter (the clause or line before the next
 * number) is read from the last one's end on: what was read is kept, not the mask, which is no
 * union of its parts' when a rule needs two code points. */
static void
kind_mask(ctx *c, int sc)
{
	const struct sview *v = &c->str[sc];
	struct kread *r = &c->kread[sc];
	const gw_prefilter *f = c->x->kpf[sc];
	struct kbits *kb = c->x->kbits[sc];

	if (v->from == SIZE_MAX)
		gw_prefilter_in(f, v->p, v->len, &c->kmay[sc]);
	else {
		if (v->from != r->from || v->len < r->len)
			r->from = v->from, r->len = 0, r->rd = (gw_prefilter_read){.req = {0}};
		gw_prefilter_in_more(f, v->p, r->len, v->len, &r->rd, &c->kmay[sc]);
		r->len = v->len;
	}
	c->kmaygen[sc] = c->gen[sc];
	/* the filter is built now: each rule's clauses, once (each word stored with what it ends as,
	 * threads may do it at once; [nk] last, released, so that one seeing it done sees them) */
	if (__atomic_load_n(&kb[c->x->nk].w[2], __ATOMIC_ACQUIRE) == 2) {
		for (size_t k = 0, j = 0; k < c->x->nk; k++) {
			bool on = c->x->k[k].scopes >> sc & 1;
			uint64_t m[2] = {0, 0};

			kb[k].w[2] = !(on && gw_prefilter_clauses(f, j, m));
			kb[k].w[0] = m[0], kb[k].w[1] = m[1];
			j += on;
		}
		__atomic_store_n(&kb[c->x->nk].w[2], 0, __ATOMIC_RELEASE);
	}
}

/* Whether kind rule k may match in the string of scope sc, by its mask (kind_mask made it). */
static inline bool
kind_may(const ctx *c, size_t k, int sc)
{
	const uint64_t *m = c->x->kbits[sc][k].w;

	return ((c->kmay[sc].w[0] & m[0]) | (c->kmay[sc].w[1] & m[1]) | m[2]) != 0;
}

/* Kind rule k (of one scope sc, not the document's) on the string of sc: matched again only when
 * that string changed (issue 14: quantities that share a sentence or a heading share the results
 * on it), and not when the string's mask turns it down. */
static inline __attribute__((always_inline)) int
krule_on(ctx *c, size_t k, int sc)
{
	size_t ov[2]; /* whether it matches, not where */
	int rc = 0;

	if (!(c->built & (1u << sc)))
		find_scope(c, (enum scope)sc); /* brings gen[sc] up to date */
	if (c->memogen[k] == c->gen[sc])
		return c->memo[k];
	if (c->x->masked & (1u << sc)) {
		if (c->kmaygen[sc] != c->gen[sc])
			kind_mask(c, sc);
		if (!kind_may(c, k, sc))
			goto out;
	}
	if ((rc = gw_rule_match(c->x->k[k].r, c->str[sc].p, c->str[sc].len, 0, ov, 1)) < 0) {
		gw_doc_fail(c->d, GW_E_RULE_LIMIT, "rule %s", gw_rule_id(c->x->k[k].r));
		c->failed = 1;
		c->memo[k] = 0, c->memogen[k] = 0;
		return 0;
	}
out:
	c->memo[k] = (signed char)(rc > 0);
	c->memogen[k] = c->gen[sc];
	return rc > 0;
}

/* Whether kr matches on one of its scopes.  A rule on the document's own scopes is matched once
 * per document, one on a single scope by krule_on.  Inlined in its three calls. */
static inline __attribute__((always_inline)) int
krule_matches(ctx *c, size_t k)
{
	size_t ov[2];
	const krule *kr = &c->x->k[k];
	int rc = 0;

	if (!kr->doc && kr->one >= 0)
		return krule_on(c, k, kr->one);
	if (kr->doc && c->memo[k] >= 0)
		return c->memo[k];
	for (unsigned left = kr->scopes; left && rc == 0; left &= left - 1) {
		int sc = __builtin_ctz(left);
		const struct sview *v = scope_of(c, (enum scope)sc);
		bool masked = c->x->masked & (1u << sc);

		if (masked && c->kmaygen[sc] != c->gen[sc])
			kind_mask(c, sc);
		if (!masked || kind_may(c, k, sc))
			rc = gw_rule_match(kr->r, v->p, v->len, 0, ov, 1);
	}
	if (rc < 0) {
		gw_doc_fail(c->d, GW_E_RULE_LIMIT, "rule %s", gw_rule_id(kr->r));
		c->failed = 1;
	}
	if (kr->doc) {
		c->memo[k] = (signed char)(rc > 0);
		c->memogen[k] = 0;
	}
	return rc > 0;
}

/* Whether the mask of scope sc, when it has one already (nothing is built for it), turns down
 * kind rule k: then k cannot match, whatever its conditions say. */
static inline bool
masked_out(const ctx *c, size_t k, int sc)
{
	return (c->built & c->x->masked & (1u << sc)) && c->kmaygen[sc] == c->gen[sc] && !kind_may(c, k, sc);
}

/* Whether kr matches, every rule it requires matches and none it names with unless does.  What
 * it requires is asked first: mostly a short scope (the unit, the number) that turns down the
 * quantity before kr's own pattern runs on a long one (issue 14). */
static bool
krule_holds(ctx *c, size_t k)
{
	const krule *kr = &c->x->k[k];

	for (size_t i = 0; i < kr->ncond && !c->failed; i++)
		if (kr->cond[i].want && !krule_matches(c, (size_t)kr->cond[i].k))
			return false;
	if (c->failed || !krule_matches(c, k))
		return false;
	for (size_t i = 0; i < kr->ncond && !c->failed; i++)
		if (!kr->cond[i].want && krule_matches(c, (size_t)kr->cond[i].k))
			return false;
	return true;
}

/* The first kind.* rule that holds decides; else other.  A quick rule (one scope, no condition)
 * is asked inline from its step (issue 14: some 27 rules a quantity, most ending at a memo or a
 * mask; through krule_holds each cost some 60 instructions).  One of one scope with conditions
 * is first turned down by that scope's mask when it has one already: what it requires is not
 * asked then (issue 14: 36,000 of the 65,000 rules with conditions asked a pass). */
static enum gw_qkind
kind_of(ctx *c)
{
	const struct kstep *st = c->x->steps, *end = st + c->x->ndecide;

	for (; st < end && !c->failed; st++) {
		if (st->quick >= 0 ? !krule_on(c, st->k, st->quick)
		                   : (st->one >= 0 && masked_out(c, st->k, st->one)) || !krule_holds(c, st->k))
			continue;
#ifdef GW_EXTRACT_DEBUG
		fprintf(stderr, "kind: %.*s: %s\n", (int)scope_of(c, SC_TEXT)->len, scope_of(c, SC_TEXT)->p,
		        gw_rule_id(c->x->k[st->k].r));
#endif
		c->decider = (int)st->k;
		return (enum gw_qkind)c->x->k[st->k].kind;
	}
	c->decider = -1;
	return GW_Q_OTHER;
}

/* ---------------------------------------------------------------- verb and subject */

/* Whether word is one of the space-separated words of list: found in it between spaces (one
 * search of the list, not a comparison a word; a word with a space is none of them). */
static bool
in_words(const char *list, const char *word)
{
	size_t n = strlen(word);

	if (n == 0 || strchr(word, ' '))
		return false;
	for (const char *p = list; (p = strstr(p, word)) != NULL; p++)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

#define SUBJECT_MAX 16 /* code points of a subject: the words nearest the number */
#define WORDS_MAX 256

/* Whether s[0..n) is a number: digits only (the number of a point, 1; a year, 2025), not 5G. */
static bool
numeric(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint32_t c;
		int len = gw_utf8_decode(s + i, n - i, &c);

		if (len <= 0 || gw_digit_value(c) < 0)
			return false;
		i += (size_t)len;
	}
	return n > 0;
}

/* Whether piece k of s (from at[k] to at[k + 1]) is one of the words of ws. */
static bool
piece_in(const wordset *ws, const char *s, const size_t *at, size_t k)
{
	return in_wordset(ws, s + at[k], at[k + 1] - at[k]);
}

/* Whether piece k stands at the edge of a subject only: no word, a number, or one of ws. */
static bool
edge_piece(const wordset *ws, const char *s, const size_t *at, const bool *word, size_t k)
{
	return !word[k] || numeric(s + at[k], at[k + 1] - at[k]) ||
	       in_wordset(ws, s + at[k], at[k + 1] - at[k]);
}

/* The last occurrence of m (of length l > 0) in s[a..b), or NULL. */
static const char *
last_of(const char *s, size_t a, size_t b, const char *m, size_t l)
{
	for (size_t i = b; i >= a + l; i--)
		if (s[i - l] == m[0] && memcmp(s + i - l, m, l) == 0)
			return s + i - l;
	return NULL;
}

/* Keep the quotes and brackets of a subject in pairs: 一带一路”国家直接投资 takes its “ back (or
 * loses the ”), “中国节水奖 takes its ” when it follows.  A string without ( ) or a byte that
 * leads the others (E2 E3 EF) has none: most subjects, ideographs (issue 14). */
static void
pair_marks(const char *s, size_t n, size_t *sa, size_t *sb)
{
	static const char *const marks[][2] = {{"“", "”"}, {"《", "》"}, {"（", "）"}, {"(", ")"},
	                                        {"【", "】"}, {"「", "」"}, {"‘", "’"}};
	size_t i = 0;

	while (i < n && s[i] != '(' && s[i] != ')' && (unsigned char)s[i] != 0xE2 &&
	       (unsigned char)s[i] != 0xE3 && (unsigned char)s[i] != 0xEF)
		i++;
	if (i == n)
		return;

	for (size_t k = 0; k < sizeof marks / sizeof *marks; k++) {
		const char *o = marks[k][0], *c = marks[k][1], *cl, *op;
		size_t lo = strlen(o), lc = strlen(c);

		cl = gw_find(s + *sa, *sb - *sa, c, lc);
		if (cl && !gw_find(s + *sa, (size_t)(cl - s) - *sa, o, lo)) {
			op = last_of(s, 0, *sa, o, lo);
			*sa = op ? (size_t)(op - s) : (size_t)(cl - s) + lc;
		}
		op = last_of(s, *sa, *sb, o, lo);
		if (op && !gw_find(op, (size_t)(s + *sb - op), c, lc) && *sb + lc <= n &&
		    memcmp(s + *sb, c, lc) == 0)
			*sb += lc;
	}
}

/* Whether the ideographs s[0..n) open (or, at_end, close) with one of the words of ws, none of
 * which is longer than three code points. */
static bool
edge_word(const wordset *ws, const char *s, size_t n, bool at_end)
{
	for (size_t l = 3; l <= 9 && l <= n; l += 3)
		if (in_wordset(ws, at_end ? s + n - l : s, l))
			return true;
	return false;
}

/* Whether the subject in s[0..n) (trimmed, two code points or more) is all of it, whatever its
 * words: at most SUBJECT_MAX ideographs (every piece of them a word, no bracket, no digit), none of
 * 从 由 较 but the first, no word of subject_lead it opens with and none of subject_tail it
 * closes with. Then no piece is cut at either edge and ICU's breaks, some 2,500 instructions a
 * code point, are not needed (issue 14: 1,033 of the 2,112 strings ICU broke over the corpus). */
static bool
whole_subject(const gw_extractor *x, const char *s, size_t n)
{
	size_t k = 0;
	uint32_t c;
	int len;

	for (size_t i = 0; i < n; i += (size_t)len, k++) {
		len = gw_utf8_decode_fast(s + i, n - i, &c);
		if (len <= 0 || c < 0x4E00 || c > 0x9FFF || k >= SUBJECT_MAX ||
		    (k > 0 && (c == 0x4ECE || c == 0x7531 || c == 0x8F83))) /* 从 由 较 */
			return false;
	}
	return !edge_word(&x->lead, s, n, false) && !edge_word(&x->tail, s, n, true);
}

/* The subject in s[0..n): whole words nearest the number, at most SUBJECT_MAX code points (or
 * the last word when it is longer), without the particles, digits, comparators and punctuation
 * at either edge; NULL when fewer than two code points are left (约, 的, 率 are no subject). */
static char *
subject_of(const gw_extractor *x, gw_doc *d, const char *s, size_t n)
{
	size_t at[WORDS_MAX], nb = 0, a = 0, b, sa, sb;
	bool word[WORDS_MAX];

	trim(&s, &n);
	if (n == 0 || gw_utf8_count(s, n) < 2) /* no subject, whatever its words (1,700 of 4,000) */
		return NULL;
	if (whole_subject(x, s, n))
		return gw_doc_strndup(d, s, n);
	if (x->words)
		nb = gw_words_bounds(x->words, s, n, at, word, WORDS_MAX);
	if (nb < 2 || at[nb - 1] != n) { /* no word breaks: every code point is a word */
		nb = 0;
		for (size_t i = 0; i < n && nb < WORDS_MAX - 1; i++)
			if (((unsigned char)s[i] & 0xC0) != 0x80)
				word[nb] = true, at[nb++] = i;
		at[nb++] = n;
	}
	if (nb < 2)
		return NULL;
	/* what it is compared with is not the subject: 城镇化率|从2020年, 企业|较“十三五”期末 */
	for (b = 1; b < nb - 1 && !piece_in(&x->from, s, at, b); b++)
		;
	while (a + 1 < b && gw_utf8_count(s + at[a], at[b] - at[a]) > SUBJECT_MAX)
		a++;
	/* the subject is inside a bracket opened and not closed before the number: 人数20%（超过 */
	for (size_t k = b; k-- > a;)
		if (piece_in(&x->open, s, at, k)) {
			a = k + 1;
			break;
		} else if (piece_in(&x->close, s, at, k))
			break;
	for (; a < b && edge_piece(&x->lead, s, at, word, a); a++)
		/* the measure word of a count cut off: 7|家|高质量平台 */
		if (a + 2 < b && numeric(s + at[a], at[a + 1] - at[a]) &&
		    gw_utf8_count(s + at[a + 1], at[a + 2] - at[a + 1]) == 1)
			a++;
	while (b > a && edge_piece(&x->tail, s, at, word, b - 1))
		b--;
	if (b <= a)
		return NULL;
	sa = at[a], sb = at[b];
	pair_marks(s, n, &sa, &sb);
	if (sb <= sa || gw_utf8_count(s + sa, sb - sa) < 2)
		return NULL;
	return gw_doc_strndup(d, s + sa, sb - sa);
}

/* Whether s opens with a suffix that makes the verb before it part of a noun: 覆盖|率, 投资|总额. */
static bool
noun_suffix(const char *s, size_t n)
{
	static const char *const suf[] = {"率", "量", "数", "额", "值", "总额", "总量", "规模", "面积", "比例",
	                                  "比重", "水平", "能力", "人数", "户数", "个数"};

	for (size_t k = 0; k < sizeof suf / sizeof *suf; k++)
		if (n >= strlen(suf[k]) && memcmp(s, suf[k], strlen(suf[k])) == 0)
			return true;
	return false;
}

/* Whether byte i of s[0..n) is between two words (a verb that ends inside 覆盖率 is no verb).
 * The end of s is always one (ICU's last boundary, and a clause has fewer words than WORDS_MAX):
 * no word breaks are looked for when the verb ends at the number, two times in three. */
_Static_assert(CLAUSE_MAX < WORDS_MAX, "every boundary of a clause fits in at[]");
static bool
word_ends_at(const gw_extractor *x, const char *s, size_t n, size_t i)
{
	size_t at[WORDS_MAX], nb;
	bool word[WORDS_MAX];

	if (i == n || x->words == NULL || (nb = gw_words_bounds(x->words, s, n, at, word, WORDS_MAX)) == 0)
		return true;
	for (size_t k = 0; k < nb; k++)
		if (at[k] == i)
			return true;
	return false;
}

static void
verb_and_subject(ctx *c, gw_quantity *q, const found *f, size_t clause, const gw_prefilter_mask *may)
{
	size_t ov[2 * NGROUPS];

	for (size_t k = 0; k < c->x->nverb && !q->verb; k++) {
		const vrule *vr = &c->x->verb[k];
		int gv = vr->verb, gs = vr->subject, go = vr->object;

		if (!gw_prefilter_may(c->x->clause, may, c->x->nc + k) ||
		    gw_rule_match(vr->r, c->t, f->start, clause, ov, NGROUPS) <= 0 || !group_set(ov, gv))
			continue;
		if (!word_ends_at(c->x, c->t + clause, f->start - clause, ov[2 * gv + 1] - clause) ||
		    (group_set(ov, go) && noun_suffix(c->t + ov[2 * go], ov[2 * go + 1] - ov[2 * go]))) {
			/* 森林覆盖率为, 投资总额达: the verb is part of the noun, which is the subject */
			q->subject = subject_of(c->x, c->d, c->t + clause, f->start - clause);
			break;
		}
		q->verb = gw_doc_strndup(c->d, c->t + ov[2 * gv], ov[2 * gv + 1] - ov[2 * gv]);
		if (group_set(ov, go))
			q->subject = subject_of(c->x, c->d, c->t + ov[2 * go], ov[2 * go + 1] - ov[2 * go]);
		if (q->subject == NULL && group_set(ov, gs))
			q->subject = subject_of(c->x, c->d, c->t + ov[2 * gs], ov[2 * gs + 1] - ov[2 * gs]);
	}
	for (size_t k = 0; k < c->x->nsubj && !q->subject && q->unit; k++) {
		const vrule *sr = &c->x->subj[k];
		int gs = sr->subject;

		if (sr->units && !in_words(sr->units, q->unit))
			continue;
		if (gw_rule_match(sr->r, c->t, c->n, f->end, ov, NGROUPS) > 0 && group_set(ov, gs))
			q->subject = subject_of(c->x, c->d, c->t + ov[2 * gs], ov[2 * gs + 1] - ov[2 * gs]);
	}
}

/* ---------------------------------------------------------------- the document */

static void
add_quantity(ctx *c, const found *f)
{
	size_t clause = clause_start(c->t, c->n, f->start);
	gw_quantity *q = gw_doc_add_quantity(c->d);
	gw_prefilter_mask may; /* of the cmp and verb rules, on the clause */

	if (clause != c->cread.from || f->start < c->cread.to)
		c->cread.from = c->cread.to = clause, c->cread.rd = (gw_prefilter_read){.req = {0}};
	gw_prefilter_in_more(c->x->clause, c->t + clause, c->cread.to - clause, f->start - clause,
	                     &c->cread.rd, &may);
	c->cread.to = f->start;

	q->span = span_of(c, f->start, f->end);
	q->node = gw_doc_node_at(c->d, q->span.start);
	q->text = gw_doc_strndup(c->d, c->t + f->start, f->end - f->start);
	q->unit = unit_of(c, f);
	q->rule = gw_doc_strndup(c->d, gw_rule_id(f->qr->r), strlen(gw_rule_id(f->qr->r)));
	set_values(q, f);
	if (q->cmp != GW_CMP_RANGE)
		q->cmp = (enum gw_cmp)comparator_of(c, f, clause, &may);
	c->cur = f, c->curq = q, c->clause = clause, c->sentence = SIZE_MAX, c->built = 0;
	q->kind = kind_of(c);
	if (q->kind == GW_Q_FACT && c->decider >= 0 && (c->x->k[c->decider].scopes & ~DOC_SCOPES))
		c->fact_end = f->end;
	verb_and_subject(c, q, f, clause, &may);
}

/* A match that is no reading of its text is listed as rejected, not reported: a range whose low
 * end is above its high end (5-3个; 气温-5～-3℃ read from the 5, the - being no minus after a
 * noun), or a share over the whole (十二成, 三分之五: out-of-range). */
static bool
unreadable(ctx *c, const found *f)
{
	const char *why = NULL;

	if (f->qr->range && f->has_b && f->a.value > f->b.max)
		why = "inverted-range";
	else if ((f->qr->tenths && (f->a.max > 10 || (f->has_b && f->b.max > 10))) ||
	         (f->qr->fraction && f->a.max > f->b.value))
		why = "out-of-range";
	if (why)
		gw_doc_add_rejected(c->d, c->t + f->start, f->end - f->start,
		                    span_of(c, f->start, f->end), why, gw_rule_id(f->qr->r));
	return why != NULL;
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

		if (is_digit(c))
			(*ndigits)++;
		else if (c != ',' && c != '.' && c != 0xFF0E)
			break;
		j += (size_t)len;
	}
	return j - i;
}

/* At byte i, where a number may start (ch, of len bytes): the byte where the scan goes on; 0 on
 * an error or a limit. */
static size_t
number_start(ctx *c, size_t i, uint32_t ch, int len)
{
	uint32_t prev = cp_before(c->t, c->n, i), prev2 = 0;
	size_t run, nd, end, next = i + (size_t)len;
	found f;
	int rc;

	/* the one before it: only starts_number asks, after . ． , 点 點 */
	if (prev == '.' || prev == 0xFF0E || prev == ',' || prev == 0x70B9 || prev == 0x9EDE)
		prev2 = cp_before(c->t, c->n, prev_start(c->t, i));
	if (!starts_number(ch, prev, prev2) && !starts_negative(c, i, ch, prev))
		return next;
	run = digit_run(c->t, c->n, i, &nd);
	if (nd > GW_NUMBER_MAX_DIGITS) {
		gw_doc_diag(c->d, GW_W_NUMBER_TOO_LONG, span_of(c, i, i + run), "%zu digits", nd);
		next = i + run;
	} else if ((rc = number_at(c, i, &f, &end)) < 0) {
		return 0;
	} else if (rc == 1) {
		next = end;
	} else if (rc == 2) {
		if (!unreadable(c, &f))
			add_quantity(c, &f);
		next = f.end > i ? f.end : next;
	}
	if (c->d->nqs > GW_LIMIT_QUANTITIES || c->d->nrej > GW_LIMIT_QUANTITIES) {
		gw_doc_fail(c->d, GW_E_LIMIT, "more than %d %s", GW_LIMIT_QUANTITIES,
		            c->d->nqs > GW_LIMIT_QUANTITIES ? "quantities" : "rejected candidates");
		return 0;
	}
	return next;
}

/* Walk the text; where a number starts, try the stop-lists, then the quantity rules. */
static int
scan(ctx *c)
{
	size_t i = 0;
	uint32_t ch = 0;
	int len = 1;

	while ((i = next_start(c->x, c->t, c->n, i, &ch, &len)) < c->n)
		if ((i = number_start(c, i, ch, len)) == 0 || c->failed)
			return -1;
	return 0;
}

/* Drop what an earlier run of gw-extract left, so that running it twice changes nothing. */
static void
clear_results(gw_doc *d)
{
	gw_doc_clear_results(d);
	gw_doc_clear_diags(d, GW_ST_EXTRACTED);
}

int
gw_extract(gw_extractor *x, gw_doc *d)
{
	ctx c = {.x = x, .d = d, .t = d->text ? d->text : "", .n = d->text ? d->text_len : 0,
	         .walk.from = SIZE_MAX, .line.from = SIZE_MAX, .headnode = INT_MIN};
	int rc = 0;

	clear_results(d);
	c.memo = gw_xmalloc(x->nk + 1);
	memset(c.memo, -1, x->nk + 1);
	c.memogen = gw_xcalloc(x->nk + 1, sizeof *c.memogen);
	for (int i = 0; i < SC_COUNT; i++) /* the empty string every scope starts with, generation 1 */
		c.gen[i] = 1, c.str[i] = (struct sview){"", 0, SIZE_MAX};
	doc_scopes(&c);
	find_heading_lines(&c);
	if (scan(&c) < 0)
		rc = 1;
	else {
		gw_doc_assign_quantity_ids(d);
		d->stages |= GW_ST_EXTRACTED;
	}
	free(c.heads);
	free(c.table);
	free(c.memo);
	free(c.memogen);
	for (int i = 0; i < SC_COUNT; i++)
		gw_buf_free(&c.scope[i]), gw_buf_free(&c.last[i]);
	return rc || d->error ? 1 : 0;
}
