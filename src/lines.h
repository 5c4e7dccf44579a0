/* lines.h — the segmenter's line layer (lines.c), under the header, structure and segment files: its rules, a document's lines, matching them. */
#ifndef GW_LINES_H
#define GW_LINES_H

#include "gongwen.h"
#include "internal.h"

/* The header and region rules (rules/header.rules, rules/structure.rules), looked up once by id
 * in gw_segmenter_new. */
#define GW_HRULES(X) \
	X(COPY_NO, "header.copy-no") X(SECRECY, "header.secrecy") X(URGENCY, "header.urgency") \
	X(MARK, "header.mark") X(DECREE, "header.decree") X(DOCNUM, "header.docnum") \
	X(DOCNUM_TAIL, "header.docnum-tail") X(DOCNUM_HEAD, "header.docnum-head") \
	X(DECREE_NUMBER, "header.decree-number") X(SIGNER, "header.signer") X(DATE, "header.date") \
	X(DATE_MONTH, "header.date-month") X(DATE_SUBTITLE, "header.date-subtitle") \
	X(ADDRESSEES, "header.addressees") X(ADDRESSEES_HEAD, "header.addressees-head") \
	X(ADDRESSEE_SEP, "header.addressee-sep") X(DOC_TYPE, "header.doc-type") \
	X(TITLE_FOOTNOTE, "header.title-footnote") X(TITLE_END, "header.title-end") \
	X(TITLE_OPEN, "header.title-open") X(NOT_TITLE, "header.not-title") \
	X(ISSUER_TITLE, "header.issuer-title") X(ISSUER_REPORT, "header.issuer-report") \
	X(SIGNATURE, "header.signature") X(ISSUER_SEP, "header.issuer-sep") X(NOTE, "header.note") \
	X(CC, "header.cc") X(PRINTER, "header.printer") X(TRANSMIT_TITLE, "header.transmit-title") \
	X(TRANSMIT_BODY, "header.transmit-body") X(QUOTED, "header.quoted") X(NEWS, "header.news") \
	X(REPORT_SALUTE, "header.report-salutation") X(PROMULGATION, "header.promulgation") \
	X(TITLE_LABEL, "header.title-label") \
	X(HEADLINE, "header.headline") X(TITLE_SUFFIX, "header.title-suffix") X(TOC, "region.toc") \
	X(TOC_PAGE, "region.toc-page") X(TABLE, "region.table") X(TABLE_END, "region.table-end") \
	X(ANNEX_NOTE, "region.annex-note") X(ANNEX_ITEM, "region.annex-item") \
	X(ANNEX_LABEL, "region.annex-label") X(NOTES, "region.notes") \
	X(ISSUE_LINE, "header.issue-line") X(ISSUER_PLACE, "header.issuer-place") \
	X(SIG_BRACKETED, "header.signature-bracketed")
#define GW_HRULE_ENUM(name, id) HR_##name,
enum gw_hrule { GW_HRULES(GW_HRULE_ENUM) HR_COUNT };
#undef GW_HRULE_ENUM

enum gw_heading_mode { GW_HEAD_LINE, GW_HEAD_INLINE, GW_HEAD_ARTICLE };

/* One node.* rule with its attributes read once. */
typedef struct gw_noderule {
	const gw_rule *rule;
	enum gw_kind kind;
	enum gw_heading_mode heading;
	int heading_max;    /* longest inline heading, in code points */
	bool series;        /* weak: only an unbroken series counts */
	bool outline_top;   /* the top of a decimal outline when the part has one */
	uint32_t base;      /* code point of ordinal 1, 0: parse group n */
	int num, n, rest;   /* the numbers of its groups num, n and rest (-1: none) */
	int ovmax;          /* the groups a match fills: up to the last of those */
	int u;              /* its index among the line rules, -1: not filtered */
} gw_noderule;

struct gw_segmenter {
	const gw_rule *h[HR_COUNT];
	gw_noderule *nr;
	size_t nnr;
	const gw_rule **lrule;  /* the line rules: the node, header and region rules that anchor
	                         * themselves at the line start, for their union */
	int hu[HR_COUNT];       /* the index of h among them, -1: not filtered */
	uint64_t nodes[2];      /* the bits of the node rules, of the strong ones (all: one is not
	                         * filtered) */
	const gw_prefilter *pf; /* issue 14: which of them may match a line, asked once a line */
	struct {                /* numerals read (gw_parse_int), by a hash: a segmenter is one
	                         * thread's */
		char s[15];
		unsigned char n; /* bytes in s, 0: none */
		bool ok;
		long long v;
	} num[128];
};

/* One non-blank line of the text: its content without surrounding white space. */
typedef struct gw_line {
	size_t b0, b1; /* bytes of d->text */
	int32_t c0;    /* code point of b0, -1 until asked (gw_lines_c0) */
	uint64_t may;  /* bit u: line rule u may match it */
} gw_line;

/* One document's lines, as the header and the structure scans share them. */
typedef struct gw_lines {
	gw_segmenter *s;
	gw_doc *d;
	gw_line *ln;
	int n;
	unsigned char *skip; /* per line: a header element, never a node */
	const char *failed;  /* id of a rule that hit a PCRE2 limit */
} gw_lines;

/* A line a node rule numbers. */
typedef struct gw_numline {
	int line;
	const gw_noderule *nr;
	enum gw_kind kind;
	int depth;       /* outline depth (1.1 → 2), 0 for other kinds */
	long ordinal;
	size_t num0, num1, rest0, rest1; /* bytes of the text */
} gw_numline;

#define GW_OVMAX 32

/* Index the non-blank lines of d's text, to be matched against the rules of s; gw_lines_free
 * frees the index. */
void gw_lines_index(gw_lines *c, gw_segmenter *s, gw_doc *d);
void gw_lines_free(gw_lines *c);
/* Whether header or region rule h matches in s[0, n) (bytes of the text, or a title joined
 * from its lines).  A PCRE2 error marks the document failed and counts as no match. */
bool gw_lines_match(gw_lines *c, enum gw_hrule h, const char *s, size_t n, size_t *ov);
/* The header or region rule h matched against line i (which must exist). */
int gw_lines_rule(gw_lines *c, enum gw_hrule h, int i, size_t *ov);
/* Whether the line rule of index u (-1: one not filtered) may match line i, by the line's bits. */
static inline bool
gw_lines_may(const gw_lines *c, int u, int i)
{
	return u < 0 || (c->ln[i].may >> u & 1);
}
/* Whether rule h matches line i; false for no such line.  Inline: the bits turn most lines down
 * (issue 14: 附件, 目录, 序号 … are asked of every line). */
static inline bool
gw_lines_is(gw_lines *c, enum gw_hrule h, int i)
{
	size_t ov[2 * GW_OVMAX];

	return i >= 0 && i < c->n && gw_lines_may(c, c->s->hu[h], i) &&
	       gw_lines_rule(c, h, i, ov) > 0;
}
/* The first line in [from, to) that rule h matches, or -1. */
int gw_lines_find(gw_lines *c, enum gw_hrule h, int from, int to);
/* Byte range of named group g of rule r after a match on bytes starting at b0; false when unset. */
bool gw_lines_group(const gw_rule *r, const char *g, const size_t *ov, size_t b0, size_t *s,
                    size_t *e);
/* Byte range of group g when rule h matches line i; false for no match or no such line. */
bool gw_lines_value(gw_lines *c, enum gw_hrule h, int i, const char *g, size_t *s, size_t *e);
/* Code point of byte offset b of the text (b inside line i); the code points line i starts at
 * and holds. */
int32_t gw_lines_cp(gw_lines *c, int i, size_t b);
int32_t gw_lines_c0(gw_lines *c, int i);
int32_t gw_lines_nc(const gw_lines *c, int i);
/* Code points in bytes [b0, b1) of the text. */
int32_t gw_lines_ncp(const gw_lines *c, size_t b0, size_t b1);
/* The span of bytes b0 (on line i) to b1 (on line j) of the text. */
gw_span gw_lines_span(gw_lines *c, int i, size_t b0, int j, size_t b1);
/* Bytes [b0, b1) of s with all white space removed, appended to out. */
void gw_lines_squeeze(const char *s, size_t b0, size_t b1, gw_buf *out);
/* The end of bytes [b, e) of t without the white space and the characters of set that end them. */
size_t gw_lines_trim(const char *t, size_t b, size_t e, const char *set);
/* Lines [i, j] with all white space removed, appended to out. */
void gw_lines_join(const gw_lines *c, int i, int j, gw_buf *out);
/* Whether line i without white space is s[0, n). */
bool gw_lines_same(const gw_lines *c, int i, const char *s, size_t n);
/* The first node rule that numbers line i (weak series rules only when asked), into m; with m
 * NULL and not weak: whether line i opens a node by one of the strong node rules. */
bool gw_lines_numbered(gw_lines *c, int i, bool weak, gw_numline *m);

#endif
