/* segment.h — what segment.c and header.c share: the line index, the rules they look up, one document's scan state. */
#ifndef GW_SEGMENT_H
#define GW_SEGMENT_H

#include "gongwen.h"

/* The header rules (rules/header.rules), looked up once by id in gw_segmenter_new. */
enum gw_hrule {
	HR_COPY_NO, HR_SECRECY, HR_URGENCY, HR_MARK, HR_DECREE, HR_DOCNUM, HR_DOCNUM_TAIL,
	HR_DOCNUM_HEAD, HR_DECREE_NUMBER, HR_SIGNER, HR_DATE, HR_DATE_MONTH, HR_DATE_SUBTITLE,
	HR_ADDRESSEES, HR_ADDRESSEES_HEAD, HR_ADDRESSEE_SEP, HR_DOC_TYPE, HR_TITLE_FOOTNOTE, HR_TITLE_END,
	HR_TITLE_OPEN, HR_NOT_TITLE, HR_ISSUER_TITLE, HR_ISSUER_REPORT, HR_SIGNATURE,
	HR_ISSUER_SEP, HR_NOTE, HR_CC, HR_PRINTER, HR_TRANSMIT_TITLE, HR_TRANSMIT_BODY,
	HR_QUOTED, HR_NEWS, HR_HEADLINE, HR_TITLE_SUFFIX,
	/* rules/structure.rules regions */
	HR_TOC, HR_TOC_PAGE, HR_TABLE, HR_TABLE_END, HR_ANNEX_NOTE, HR_ANNEX_ITEM, HR_ANNEX_LABEL,
	HR_COUNT
};

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
	int g_num, g_n, g_rest;
} gw_noderule;

struct gw_segmenter {
	const gw_rules *rs;
	const gw_rule *h[HR_COUNT];
	gw_noderule *nr;
	size_t nnr;
};

/* One non-blank line of the text: its content without surrounding white space. */
typedef struct gw_line {
	size_t b0, b1; /* bytes of d->text */
	int32_t c0;    /* code point of b0 */
	int32_t nc;    /* code points in [b0, b1) */
} gw_line;

/* Where the header scan put things (line indices, -1: none). */
typedef struct gw_segctx {
	gw_segmenter *s;
	gw_doc *d;
	gw_line *ln;
	int n;
	unsigned char *skip; /* per line: a header element, never a node */
	const char *failed;  /* id of a rule that hit a PCRE2 limit */
	int title0, title1, addr0, addr, date, sig0, sig1, body0;
	int report;          /* a work report: issuer from 我代表… */
	bool transmit;       /* the notice 印发/转发 another document */
} gw_segctx;

#define GW_OVMAX 32

/* Match rule r against line i (or bytes [b0, b1) of the text); >0 match, 0 none.  A PCRE2
 * error marks the document failed and counts as no match. */
int gw_seg_match_line(gw_segctx *c, const gw_rule *r, int i, size_t *ov);
int gw_seg_match(gw_segctx *c, const gw_rule *r, size_t b0, size_t b1, size_t *ov);
/* The header rule h matched against line i. */
int gw_seg_hline(gw_segctx *c, enum gw_hrule h, int i, size_t *ov);
/* Byte range of named group g of rule r after a match on bytes starting at b0; false when unset. */
bool gw_seg_group(const gw_rule *r, const char *g, const size_t *ov, size_t b0, size_t *s,
                  size_t *e);
/* Code point of byte offset b of the text (b inside line i). */
int32_t gw_seg_cp(const gw_segctx *c, int i, size_t b);
/* Code points in bytes [b0, b1) of the text. */
int32_t gw_seg_ncp(const gw_segctx *c, size_t b0, size_t b1);
/* True when line i opens a numbered node by one of the strong node rules. */
bool gw_seg_is_node(gw_segctx *c, int i);
/* Every node's number and heading as printed in the source (full-width forms the normaliser
 * folded come back); header.c. */
void gw_seg_restore_nodes(gw_doc *d);
/* Bytes [b0, b1) with all white space removed, appended to out. */
void gw_seg_squeeze(const char *s, size_t b0, size_t b1, gw_buf *out);

/* header.c: fill d->header, d->is_notice and the line indices of c. */
void gw_header_scan(gw_segctx *c);
/* header.c: the title of an attached document at line i: its lines [i, *last]; returns
 * false when line i cannot be a title. */
bool gw_header_title_at(gw_segctx *c, int i, int maxlines, int *last);

#endif
