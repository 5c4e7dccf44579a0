/* header.c — the header elements of a notice (GB/T 9704-2012 clause 7): 版头, 主体 and 版记 fields, the issuer and is_notice. */
#include <stdlib.h>
#include <string.h>

#include "segment.h"

#define TOP_LINES 10   /* the 版头 (份号 … 发文字号) sits in the first lines */
#define ZONE_LINES 14  /* lines after the title where 发文字号, 主送机关 … may come */
#define TITLE_LINES 4  /* a title is printed on at most this many lines */
#define TITLE_MAX 100  /* code points on a title line */
#define CONT_MAX 40    /* code points on a title's continuation line */
#define SIG_LINES 16   /* joint issuers: lines of names above the 成文日期 */
#define REPORT_LINES 6 /* lines after the header where 我代表… is looked for */
#define PROMULGATION_LINES 3 /* lines under a title where its promulgation notes are */

/* Where the scan put things (line indices, -1: none). */
typedef struct hscan {
	int title0, title1, addr, date, sig0, body0;
	int mark;              /* the 发文机关标志 */
	size_t mark_s, mark_e; /* the issuer inside it */
	int subdate;           /* a ——date subtitle */
	int issue;             /* body + date under a 纪要's title */
	bool report;           /* a work report: issuer from 我代表… */
} hscan;

/* Field f from bytes b0 (on line i) to b1 (on line j) of the text. */
static void
set_bytes(gw_lines *c, enum gw_hfield f, int i, size_t b0, int j, size_t b1)
{
	gw_header_set(c->d, f, c->d->text + b0, b1 - b0, gw_lines_span(c, i, b0, j, b1));
}

/* Set field f from group g of header rule h matched on line i. */
static bool
set_group(gw_lines *c, enum gw_hfield f, enum gw_hrule h, const char *g, int i,
          const size_t *ov)
{
	size_t s, e;

	if (!gw_lines_group(c->s->h[h], g, ov, c->ln[i].b0, &s, &e))
		return false;
	set_bytes(c, f, i, s, i, e);
	return true;
}

/* Field f from group v of header rule h on line i (ov: the match); false when h does not match. */
static bool
rule_field(gw_lines *c, enum gw_hfield f, enum gw_hrule h, int i, size_t *ov)
{
	return gw_lines_rule(c, h, i, ov) > 0 && set_group(c, f, h, "v", i, ov);
}

static bool
is_date_line(gw_lines *c, int i)
{
	return gw_lines_is(c, HR_DATE, i) || gw_lines_is(c, HR_DATE_MONTH, i);
}

/* A line of body names right above a date: the issuers, not a title (统计公报). */
static bool
sig_over_date(gw_lines *c, int i)
{
	return gw_lines_is(c, HR_SIGNATURE, i) && is_date_line(c, i + 1);
}

/* ---------------------------------------------------------------- 发文字号 */

/* Year, serial and the GB/T 9704-2012 7.2.5 warnings, from rule h matched at line i. */
static void
docnum_parts(gw_lines *c, enum gw_hrule h, int i, const size_t *ov)
{
	const gw_rule *r = c->s->h[h];
	gw_header *hd = &c->d->header;
	gw_span sp = hd->f[GW_H_DOC_NUMBER].span;
	const char *t = c->d->text;
	size_t b = c->ln[i].b0, s, e, s2, e2;
	long long v;

	if (gw_lines_group(r, "year", ov, b, &s, &e) && gw_parse_int(t + s, e - s, &v))
		hd->year = (int)v;
	if (gw_lines_group(r, "serial", ov, b, &s, &e)) {
		free(hd->serial);
		hd->serial = gw_xstrndup(t + s, e - s);
		if (t[s] == '0' && e - s > 1)
			gw_doc_diag(c->d, GW_W_DOCNUM_PADDED, sp, "%s", hd->serial);
	}
	if (gw_lines_group(r, "di", ov, b, &s, &e))
		gw_doc_diag(c->d, GW_W_DOCNUM_DI, sp, "第%s", hd->serial ? hd->serial : "");
	if (gw_lines_group(r, "open", ov, b, &s, &e) && gw_lines_group(r, "close", ov, b, &s2, &e2) &&
	    (strncmp(t + s, "〔", e - s) != 0 || strncmp(t + s2, "〕", e2 - s2) != 0))
		gw_doc_diag(c->d, GW_W_DOCNUM_BRACKET, sp, "%s", hd->f[GW_H_DOC_NUMBER].text);
}

/* Whether a 发文字号 starts at line i. */
static bool
docnum_next(gw_lines *c, int i)
{
	return gw_lines_is(c, HR_DOCNUM, i) ||
	       (gw_lines_is(c, HR_DOCNUM_HEAD, i) && gw_lines_is(c, HR_DOCNUM_TAIL, i + 1));
}

/* A 发文字号 at line i, whole or with its agency code on the line before the year; returns the
 * lines it takes (0: none). */
static int
scan_docnum(gw_lines *c, int i)
{
	size_t ov[2 * GW_OVMAX], s, e, cs = c->ln[i].b0, ce = c->ln[i].b1;
	gw_header *hd = &c->d->header;
	enum gw_hrule h = HR_DOCNUM;
	gw_buf b = GW_BUF_INIT;
	int j = i;

	if (hd->f[GW_H_DOC_NUMBER].text || !docnum_next(c, i))
		return 0;
	if (gw_lines_rule(c, HR_DOCNUM, i, ov) <= 0) { /* the agency code is all of line i */
		h = HR_DOCNUM_TAIL, j = i + 1;
		gw_lines_rule(c, h, j, ov);
	}
	gw_lines_group(c->s->h[h], "v", ov, c->ln[j].b0, &s, &e);
	if (j == i)
		gw_lines_group(c->s->h[h], "code", ov, c->ln[i].b0, &cs, &ce);
	else
		s = cs; /* from the agency code on, white space removed */
	gw_lines_squeeze(c->d->text, s, e, &b);
	gw_header_set(c->d, GW_H_DOC_NUMBER, b.ptr, b.len, gw_lines_span(c, i, s, j, e));
	gw_buf_free(&b);
	hd->agency_code = gw_xstrndup(c->d->text + cs, ce - cs);
	set_group(c, GW_H_SIGNER, h, "signer", j, ov);
	docnum_parts(c, h, j, ov);
	if (j > i)
		gw_doc_diag(c->d, GW_W_DOCNUM_SPLIT, hd->f[GW_H_DOC_NUMBER].span, "%s",
		            hd->f[GW_H_DOC_NUMBER].text);
	memset(c->skip + i, 1, (size_t)(j - i + 1));
	return j - i + 1;
}

/* ---------------------------------------------------------------- dates */

/* Date field f (成文日期, 印发日期) from group v of rule h on line i, matched into ov, with its
 * ISO form YYYY-MM-DD from groups y, m and d; false when h does not match.  warn: the 成文日期
 * wants Arabic numerals (GB/T 9704-2012 7.3.5.1), but not on a 纪要's issue line. */
static bool
set_date(gw_lines *c, enum gw_hfield f, enum gw_hrule h, int i, size_t *ov, bool warn)
{
	static const char *const g[3] = {"y", "m", "d"};
	char iso[11], **p = gw_header_iso(&c->d->header, f);
	gw_field *fl = &c->d->header.f[f];
	const char *t = c->d->text;
	long long v[3] = {0, 0, 0};
	bool arabic = true;
	size_t s, e;

	if (!rule_field(c, f, h, i, ov))
		return false;
	c->skip[i] = 1;
	for (int k = 0; k < 3; k++) {
		if (!gw_lines_group(c->s->h[h], g[k], ov, c->ln[i].b0, &s, &e) ||
		    !gw_parse_int(t + s, e - s, &v[k]))
			return true;
		arabic = arabic && (unsigned char)t[s] < 0x80;
	}
	/* a date without its day (2023年5月) is no 成文日期 to give as YYYY-MM-DD: date_text keeps it */
	if (v[0] < 1000 || v[0] > 9999 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31)
		return true;
	snprintf(iso, sizeof iso, "%04lld-%02lld-%02lld", v[0], v[1], v[2]);
	free(*p);
	*p = gw_xstrdup(iso);
	if (warn && !arabic)
		gw_doc_diag(c->d, GW_W_DATE_NOT_ARABIC, fl->span, "%s", fl->text);
	return true;
}

/* The 成文日期: under the issuers in the header, else the first date line of its own after the
 * header (under the signature), else the date of a report's subtitle. */
static void
find_date(gw_lines *c, hscan *hs)
{
	size_t ov[2 * GW_OVMAX];

	for (int i = hs->body0; hs->date < 0 && i < c->n && !gw_lines_is(c, HR_ANNEX_LABEL, i); i++)
		if (gw_lines_is(c, HR_DATE, i))
			hs->date = i; /* not in an attached document */
	if (hs->date >= 0)
		set_date(c, GW_H_DATE, gw_lines_is(c, HR_DATE, hs->date) ? HR_DATE : HR_DATE_MONTH,
		         hs->date, ov, true);
	else if (hs->issue >= 0)
		set_date(c, GW_H_DATE, HR_ISSUE_LINE, hs->issue, ov, false);
	else if (hs->subdate >= 0)
		set_date(c, GW_H_DATE, HR_DATE_SUBTITLE, hs->subdate, ov, true);
}

/* ---------------------------------------------------------------- title */

/* Whether bytes [s, e) of the text are the names of bodies (header.signature). */
static bool
is_body(gw_lines *c, size_t s, size_t e)
{
	size_t ov[2 * GW_OVMAX];

	return gw_lines_match(c, HR_SIGNATURE, c->d->text + s, e - s, ov);
}

/* A title is complete once it ends in a 文种 (or what heads a table or list), and a 关于 in it
 * has had its 的. */
static bool
title_complete(gw_lines *c, const gw_buf *t)
{
	size_t ov[2 * GW_OVMAX];

	return gw_lines_match(c, HR_TITLE_END, t->ptr, t->len, ov) &&
	       !gw_lines_match(c, HR_TITLE_OPEN, t->ptr, t->len, ov);
}

/* Whether line i may be (part of) a title of at most maxcp code points. */
static bool
title_line(gw_lines *c, int i, int maxcp)
{
	static const enum gw_hrule not[] = {HR_NOT_TITLE, HR_DATE, HR_DATE_MONTH, HR_DOCNUM_TAIL,
	                                    HR_TABLE, HR_TOC, HR_ANNEX_LABEL, HR_ANNEX_NOTE,
	                                    HR_NOTE, HR_DATE_SUBTITLE};

	if (i < 0 || i >= c->n || c->skip[i] || gw_lines_nc(c, i) > maxcp)
		return false;
	for (size_t k = 0; k < sizeof not / sizeof not[0]; k++)
		if (gw_lines_is(c, not[k], i))
			return false;
	return !docnum_next(c, i) && !gw_lines_numbered(c, i, false, NULL);
}

bool
gw_header_title_at(gw_lines *c, int i, int maxlines, int *last)
{
	gw_buf t = GW_BUF_INIT;
	int j = i;
	bool done = false; /* title_complete of t, once asked */

	if (!title_line(c, i, TITLE_MAX) || sig_over_date(c, i))
		return false;
	gw_lines_join(c, i, i, &t);
	while (j + 1 < c->n && j - i + 1 < maxlines && !(done = title_complete(c, &t)) &&
	       title_line(c, j + 1, CONT_MAX) && !sig_over_date(c, j + 1)) {
		j++;
		gw_lines_join(c, j, j, &t);
	}
	/* a complete title may still have its period or status on the next line */
	if (j + 1 < c->n && j - i + 1 < maxlines && done && !c->skip[j + 1] &&
	    gw_lines_is(c, HR_TITLE_SUFFIX, j + 1))
		j++;
	gw_buf_free(&t);
	*last = j;
	return true;
}

/* Whether lines [i, j] joined end in a 文种. */
static bool
typed_title(gw_lines *c, int i, int j)
{
	gw_buf t = GW_BUF_INIT;
	size_t ov[2 * GW_OVMAX];
	bool typed;

	gw_lines_join(c, i, j, &t);
	typed = gw_lines_match(c, HR_DOC_TYPE, t.ptr, t.len, ov);
	gw_buf_free(&t);
	return typed;
}

/* The title at line i, or, when that names no 文种, a title that does a few lines below it
 * (above the 主送机关 or the first paragraph): lines a scraper left over the title are not it;
 * nor is a title over a 发文字号 with another title under it. */
static bool
find_title(gw_lines *c, int i, int *first, int *last)
{
	int j, l2;

	if (!gw_header_title_at(c, i, TITLE_LINES, last))
		return false;
	*first = i;
	if (typed_title(c, i, *last)) {
		/* a page's heading over the 版头: the 发文字号, then the notice's own title (issue 13) */
		j = *last + 1;
		if (j + 1 < c->n && gw_lines_is(c, HR_DOCNUM, j) &&
		    gw_header_title_at(c, j + 1, TITLE_LINES, &l2) && typed_title(c, j + 1, l2) &&
		    scan_docnum(c, j) == 1)
			*first = j + 1, *last = l2;
		return true;
	}
	for (j = *last + 1; j < c->n && j < i + ZONE_LINES; j++) {
		if (gw_lines_is(c, HR_ADDRESSEES, j) || gw_lines_numbered(c, j, false, NULL) ||
		    (gw_lines_is(c, HR_NOT_TITLE, j) && gw_lines_nc(c, j) > CONT_MAX))
			break;
		if (gw_header_title_at(c, j, TITLE_LINES, &l2) && typed_title(c, j, l2)) {
			*first = j, *last = l2;
			break;
		}
	}
	return true;
}

/* 标题 and 文种 from lines [i, j]: white space removed, a footnote mark dropped, the label of a
 * catalogue record (【标题】) left out. */
static void
set_title(gw_lines *c, hscan *hs, int i, int j)
{
	gw_buf t = GW_BUF_INIT;
	size_t ov[2 * GW_OVMAX], s, e, b0 = c->ln[i].b0;
	gw_span sp;

	gw_lines_value(c, HR_TITLE_LABEL, i, "v", &b0, &e);
	sp = gw_lines_span(c, i, b0, j, c->ln[j].b1);
	gw_lines_squeeze(c->d->text, b0, c->ln[i].b1, &t);
	gw_lines_join(c, i + 1, j, &t);
	memset(c->skip + i, 1, (size_t)(j - i + 1));
	if (gw_lines_match(c, HR_TITLE_FOOTNOTE, t.ptr, t.len, ov))
		t.len = ov[0];
	gw_header_set(c->d, GW_H_TITLE, t.ptr, t.len, sp);
	hs->title0 = i, hs->title1 = j;
	/* the 文种 ends the title, so it is on its last line (unless letter-spaced) */
	if (!rule_field(c, GW_H_DOC_TYPE, HR_DOC_TYPE, j, ov) &&
	    gw_lines_match(c, HR_DOC_TYPE, t.ptr, t.len, ov) &&
	    gw_lines_group(c->s->h[HR_DOC_TYPE], "v", ov, 0, &s, &e))
		gw_header_set(c->d, GW_H_DOC_TYPE, t.ptr + s, e - s, sp);
	gw_buf_free(&t);
}

/* ---------------------------------------------------------------- the 版头 */

/* The 发文机关标志 from group v of rule h on line i, the issuer inside it from group g. */
static int
set_mark(gw_lines *c, hscan *hs, enum gw_hrule h, const char *g, int i, const size_t *ov)
{
	set_group(c, GW_H_ISSUER_MARK, h, "v", i, ov);
	gw_lines_group(c->s->h[h], g, ov, c->ln[i].b0, &hs->mark_s, &hs->mark_e);
	hs->mark = i;
	return 1;
}

/* 份号, 密级, 紧急程度, 发文机关标志 (or a 令's mark and number), 发文字号, 签发人: the lines
 * above the title, k at a time.  Returns the first line after them. */
static int
scan_top(gw_lines *c, hscan *hs)
{
	size_t ov[2 * GW_OVMAX];
	int i, k;

	for (i = 0; i < c->n && i < TOP_LINES; i += k) {
		if ((i == 0 && rule_field(c, GW_H_COPY_NO, HR_COPY_NO, i, ov)) ||
		    rule_field(c, GW_H_SECRECY, HR_SECRECY, i, ov) ||
		    rule_field(c, GW_H_URGENCY, HR_URGENCY, i, ov))
			k = 1;
		else if (gw_lines_rule(c, HR_MARK, i, ov) > 0)
			k = set_mark(c, hs, HR_MARK, "issuer", i, ov);
		else if (hs->mark < 0 && docnum_next(c, i + 1) &&
		         gw_lines_rule(c, HR_SIGNATURE, i, ov) > 0) /* the mark without 文件 */
			k = set_mark(c, hs, HR_SIGNATURE, "v", i, ov);
		else if (i + 1 < c->n && gw_lines_rule(c, HR_DECREE, i, ov) > 0 &&
		         gw_lines_is(c, HR_DECREE_NUMBER, i + 1)) {
			/* a 令: its mark is also its title (国务院令), its number on the next line */
			set_mark(c, hs, HR_DECREE, "issuer", i, ov);
			set_title(c, hs, i, i);
			rule_field(c, GW_H_DOC_NUMBER, HR_DECREE_NUMBER, i + 1, ov);
			docnum_parts(c, HR_DECREE_NUMBER, i + 1, ov);
			k = 2;
		} else if ((k = scan_docnum(c, i)) == 0)
			k = rule_field(c, GW_H_SIGNER, HR_SIGNER, i, ov);
		if (k == 0)
			break;
		memset(c->skip + i, 1, (size_t)k);
	}
	return i;
}

/* After the title: a duplicate of it, 发文字号, a subtitle date, issuers over a date, and the
 * 主送机关 that ends the header.  Sets hs->body0. */
static void
scan_zone(gw_lines *c, hscan *hs, int i)
{
	size_t ov[2 * GW_OVMAX];
	const char *title = c->d->header.f[GW_H_TITLE].text;
	int end = i + ZONE_LINES < c->n ? i + ZONE_LINES : c->n, k;

	for (; i < end; i++) {
		if (title && gw_lines_same(c, i, title, strlen(title)))
			c->skip[i] = 1; /* the title printed twice (scraped page heading + text) */
		else if ((k = scan_docnum(c, i)) > 0)
			i += k - 1;
		else if (rule_field(c, GW_H_SIGNER, HR_SIGNER, i, ov))
			continue;
		else if (gw_lines_is(c, HR_DATE_SUBTITLE, i)) {
			if (hs->subdate < 0)
				hs->subdate = i;
		} else if (is_date_line(c, i)) {
			if (hs->date < 0)
				hs->date = i;
		} else if (sig_over_date(c, i))
			continue;
		else if (hs->issue < 0 && gw_lines_is(c, HR_ISSUE_LINE, i)) {
			hs->issue = i;
			c->skip[i] = 1;
		} else if (gw_lines_rule(c, HR_ADDRESSEES, i, ov) > 0) {
			hs->addr = i++;
			break;
		} else if (gw_lines_is(c, HR_NOT_TITLE, i) || gw_lines_numbered(c, i, false, NULL))
			break;
	}
	hs->body0 = i;
}

/* ---------------------------------------------------------------- lists and the issuer */

/* Cut bytes [s, e) of line i into the items of l (header.addressee-sep, not kept). */
static void
split_list(gw_lines *c, int i, size_t s, size_t e, gw_strlist *l)
{
	size_t ov[2 * GW_OVMAX];

	while (s < e) {
		size_t cut = e, next = e;

		if (gw_lines_match(c, HR_ADDRESSEE_SEP, c->d->text + s, e - s, ov))
			cut = s + ov[0], next = s + ov[1];
		if (next == s) /* an empty match: take the rest */
			cut = next = e;
		if (cut > s)
			gw_strlist_add(l, c->d->text + s, cut - s, gw_lines_span(c, i, s, i, cut));
		s = next;
	}
}

/* 主送机关 on line hs->addr, and on the lines before it when it breaks after a 、 or ，. */
static void
set_addressees(gw_lines *c, hscan *hs)
{
	size_t s, e;
	int i = hs->addr, top = i;

	if (!gw_lines_value(c, HR_ADDRESSEES, i, "v", &s, &e))
		return;
	while (top - 1 > hs->title1 && top - 1 >= 0 && !c->skip[top - 1] && i - top < 4 &&
	       gw_lines_is(c, HR_ADDRESSEES_HEAD, top - 1))
		top--;
	for (int k = top; k <= i; k++) /* the lines over it whole, its own line's group v */
		split_list(c, k, k < i ? c->ln[k].b0 : s, k < i ? c->ln[k].b1 : e,
		           &c->d->header.addressees);
	set_bytes(c, GW_H_ADDRESSEES, top, top < i ? c->ln[top].b0 : s, i, e);
	memset(c->skip + top, 1, (size_t)(i - top + 1));
}

/* 发文机关署名: the lines of body names right above the 成文日期; with no 成文日期, a bulletin's
 * last line when it is its body's name in brackets: （万载县统计局）. */
static void
find_signature(gw_lines *c, hscan *hs)
{
	int top = hs->date, last = hs->date - 1;
	size_t s, e;

	if (hs->date < 0) {
		top = last = c->n - 1;
		if (last <= hs->title1 || c->skip[last] ||
		    !gw_lines_value(c, HR_SIG_BRACKETED, last, "v", &s, &e))
			return;
	} else {
		for (int i = last; i >= 0 && i >= hs->date - SIG_LINES; i--) {
			if ((hs->title0 >= 0 && i >= hs->title0 && i <= hs->title1) || i == hs->addr ||
			    !gw_lines_is(c, HR_SIGNATURE, i))
				break;
			top = i;
		}
		if (top == hs->date)
			return;
		s = c->ln[top].b0, e = c->ln[last].b1;
	}
	hs->sig0 = top;
	set_bytes(c, GW_H_SIGNATURE, top, s, last, e);
	memset(c->skip + top, 1, (size_t)(last - top + 1));
}

/* Bytes [s, e) cut at the first separator of joint issuers. */
static size_t
first_issuer(gw_lines *c, size_t s, size_t e)
{
	size_t ov[2 * GW_OVMAX];

	if (gw_lines_match(c, HR_ISSUER_SEP, c->d->text + s, e - s, ov) && ov[0] > 0)
		return s + ov[0];
	return e;
}

/* The first of joint issuers in bytes [s, e) of line i: cut at a separator, or where the name
 * of the first body repeats (黄浦区发展和改革委员会黄浦区建设和管理委员会). */
static void
set_issuer(gw_lines *c, int i, size_t s, size_t e)
{
	const char *t = c->d->text;
	uint32_t cp;
	size_t p;
	int n;

	e = first_issuer(c, s, e);
	/* the first two characters again, after a name that ends like a body's name */
	n = gw_utf8_decode(t + s, e - s, &cp);
	if (n > 0)
		n += gw_utf8_decode(t + s + n, e - s - (size_t)n, &cp);
	for (p = s + 2 * (size_t)n; n >= 4 && p + (size_t)n <= e; p++)
		if (memcmp(t + p, t + s, (size_t)n) == 0 && is_body(c, s, p)) {
			e = p;
			break;
		}
	if (e > s)
		set_bytes(c, GW_H_ISSUER, i, s, i, e);
}

/* The issuer from group g of rule h on line i, when h matches. */
static bool
issuer_from(gw_lines *c, enum gw_hrule h, const char *g, int i)
{
	size_t s, e;

	if (!gw_lines_value(c, h, i, g, &s, &e))
		return false;
	set_issuer(c, i, s, e);
	return true;
}

/* A report speaks for 省人民政府: whose?  The place comes from the lines above the body (title,
 * subtitle, speaker), by rule header.issuer-place, when its level word is the issuer's first
 * word: 广东省 + 人民政府.  The span stays that of the words in the text. */
static void
place_issuer(gw_lines *c, const hscan *hs)
{
	const gw_rule *r = c->s->h[HR_ISSUER_PLACE];
	gw_field *is = &c->d->header.f[GW_H_ISSUER];
	size_t ov[2 * GW_OVMAX], s, e, ls, le;
	gw_buf b = GW_BUF_INIT;

	if (is->text == NULL)
		return;
	for (int i = 0; i < c->n && i < hs->body0 + REPORT_LINES; i++) {
		if (!gw_lines_match(c, HR_ISSUER_PLACE, c->d->text + c->ln[i].b0,
		                    c->ln[i].b1 - c->ln[i].b0, ov) ||
		    !gw_lines_group(r, "v", ov, c->ln[i].b0, &s, &e) ||
		    !gw_lines_group(r, "lv", ov, c->ln[i].b0, &ls, &le))
			continue;
		if (strncmp(is->text, c->d->text + ls, le - ls) != 0 || is->text[le - ls] == '\0')
			return; /* the issuer names its place already, or another level */
		gw_buf_put(&b, c->d->text + s, e - s);
		gw_buf_puts(&b, is->text + (le - ls));
		gw_header_set(c->d, GW_H_ISSUER, b.ptr, b.len, is->span);
		gw_buf_free(&b);
		return;
	}
}

/* A regulation with no signature (a 条例, 办法 as published with its history): the date, the
 * issuer and, for a decree, the number from its promulgation note on the lines right under the
 * title (issue 13).  The first note is the one that made it.  A title that names its issuer
 * (国务院关于…的暂行规定 over 1983年9月12日 国务院发布) still takes the note's date. */
static void
find_promulgation(gw_lines *c, const hscan *hs)
{
	gw_header *hd = &c->d->header;
	size_t ov[2 * GW_OVMAX], s, e;

	if ((hd->f[GW_H_ISSUER].text && hd->f[GW_H_DATE].text) || hs->title1 < 0)
		return;
	for (int i = hs->title1 + 1; i < c->n && i <= hs->title1 + PROMULGATION_LINES; i++) {
		if (gw_lines_rule(c, HR_PROMULGATION, i, ov) <= 0 ||
		    !gw_lines_group(c->s->h[HR_PROMULGATION], "issuer", ov, c->ln[i].b0, &s, &e))
			continue;
		if (!hd->f[GW_H_ISSUER].text)
			set_issuer(c, i, s, e);
		if (!hd->f[GW_H_DATE].text) /* matches the note again, into ov */
			set_date(c, GW_H_DATE, HR_PROMULGATION, i, ov, true);
		if (!hd->f[GW_H_DOC_NUMBER].text &&
		    set_group(c, GW_H_DOC_NUMBER, HR_PROMULGATION, "num", i, ov))
			docnum_parts(c, HR_PROMULGATION, i, ov);
		return;
	}
}

/* The body a work report speaks for (我代表国务院), on the lines from line from (-1: none). */
static bool
report_issuer(gw_lines *c, hscan *hs, int from)
{
	if (from < 0 || !issuer_from(c, HR_ISSUER_REPORT, "v",
	                             gw_lines_find(c, HR_ISSUER_REPORT, from, from + REPORT_LINES)))
		return false;
	hs->report = true;
	place_issuer(c, hs);
	return true;
}

/* Whether the characters of bytes [s, e) stand in order in bytes [fs, fe), not as its start or its
 * end: an abbreviated signature (市交通委) of the body the title names in full (上海市交通委员会), but
 * not a body over its office (国务院 / 国务院办公厅) nor a name printed without its place
 * (奉贤区柘林镇人民政府 / 上海市奉贤区柘林镇人民政府, kept as signed). */
static bool
abbreviates(const char *t, size_t s, size_t e, size_t fs, size_t fe)
{
	uint32_t a, b;
	int n, m;

	if (fe - fs <= e - s || memcmp(t + fs, t + s, e - s) == 0 ||
	    memcmp(t + fe - (e - s), t + s, e - s) == 0)
		return false;
	while (s < e && fs < fe) {
		if ((n = gw_utf8_decode(t + s, e - s, &a)) <= 0 ||
		    (m = gw_utf8_decode(t + fs, fe - fs, &b)) <= 0)
			return false;
		s += a == b ? (size_t)n : 0;
		fs += (size_t)m;
	}
	return s == e;
}

/* The issuer from the signature, or the body the title names in full when the signature
 * abbreviates it (issue 13: 市交通委 under 上海市交通委员会、上海市公安局关于…的通告). */
static void
signature_issuer(gw_lines *c, const hscan *hs)
{
	size_t s = c->ln[hs->sig0].b0, e = c->ln[hs->sig0].b1, fs, fe;

	gw_lines_value(c, HR_SIG_BRACKETED, hs->sig0, "v", &s, &e); /* first line, unbracketed */
	if (gw_lines_value(c, HR_ISSUER_TITLE, hs->title0, "v", &fs, &fe)) {
		fe = first_issuer(c, fs, fe);
		if (abbreviates(c->d->text, s, first_issuer(c, s, e), fs, fe) && is_body(c, fs, fe)) {
			set_issuer(c, hs->title0, fs, fe);
			return;
		}
	}
	set_issuer(c, hs->sig0, s, e);
}

/* The issuer: the mark without 文件, else the signature (or a 纪要's issue line), else the head of the title (or its
 * first line when that is only body names), else the body a work report speaks for (我代表国务院). */
static void
find_issuer(gw_lines *c, hscan *hs)
{
	size_t s, e;

	if (hs->mark >= 0 && hs->mark_e > hs->mark_s) {
		set_issuer(c, hs->mark, hs->mark_s, hs->mark_e);
		return;
	}
	if (hs->sig0 >= 0) {
		signature_issuer(c, hs);
		return;
	}
	if (issuer_from(c, HR_ISSUE_LINE, "issuer", hs->issue))
		return; /* a 纪要's issuing office, printed like a signature */
	if (gw_lines_value(c, HR_ISSUER_TITLE, hs->title0, "v", &s, &e) && is_body(c, s, e)) {
		set_issuer(c, hs->title0, s, e);
		return;
	}
	/* joint issuers on a title line of their own: 中共中央　国务院 / 关于……的意见 */
	if (hs->title1 > hs->title0 && issuer_from(c, HR_SIGNATURE, "v", hs->title0))
		return;
	/* 我代表… opens the body, or follows the salutation, which a news page may put below a
	 * lead and a caption (in a titled report: one with no title has no issuer, GUIDE) */
	if (!report_issuer(c, hs, hs->body0) && hs->title0 >= 0)
		report_issuer(c, hs,
		              gw_lines_find(c, HR_REPORT_SALUTE, hs->body0, hs->body0 + ZONE_LINES));
}

/* ---------------------------------------------------------------- 版记 and the rest */

/* The 印发机关 of the 印发日期 line i (rule header.printer matched as ov): on the line itself,
 * or when the date is alone, the line of body names right above it (a 版记 set in two lines). */
static void
find_printer(gw_lines *c, int i, const size_t *ov)
{
	size_t ov2[2 * GW_OVMAX];

	if (set_group(c, GW_H_PRINTER, HR_PRINTER, "printer", i, ov) || i == 0 || c->skip[i - 1] ||
	    !rule_field(c, GW_H_PRINTER, HR_SIGNATURE, i - 1, ov2))
		return;
	c->skip[i - 1] = 1;
}

/* 附注, 附件说明 (before the 成文日期), 抄送机关, 印发机关和印发日期. */
static void
find_tail(gw_lines *c, const hscan *hs)
{
	size_t ov[2 * GW_OVMAX], s, e;
	gw_header *hd = &c->d->header;

	for (int i = hs->body0; i < c->n; i++) {
		if (!hd->f[GW_H_ATTACHMENT_NOTE].text && (hs->date < 0 || i < hs->date) &&
		    gw_lines_rule(c, HR_ANNEX_NOTE, i, ov) > 0) {
			int j = i;

			while (gw_lines_is(c, HR_ANNEX_ITEM, j + 1))
				j++;
			set_bytes(c, GW_H_ATTACHMENT_NOTE, i, c->ln[i].b0, j, c->ln[j].b1);
		} else if (!hd->f[GW_H_NOTE].text && hs->date >= 0 && i > hs->date &&
		           i <= hs->date + 2 && rule_field(c, GW_H_NOTE, HR_NOTE, i, ov)) {
			c->skip[i] = 1;
		} else if (!hd->f[GW_H_CC].text && rule_field(c, GW_H_CC, HR_CC, i, ov)) {
			gw_lines_group(c->s->h[HR_CC], "v", ov, c->ln[i].b0, &s, &e);
			split_list(c, i, s, e, &hd->cc);
			c->skip[i] = 1;
		} else if (!hd->f[GW_H_PRINT_DATE].text &&
		           set_date(c, GW_H_PRINT_DATE, HR_PRINTER, i, ov, false))
			find_printer(c, i, ov);
	}
}

/* Whether a dated notice 印发/转发 a document: said in its title or in its first paragraphs
 * (the document follows the 成文日期: an undated notice is not asked). */
static bool
find_transmit(gw_lines *c, const hscan *hs)
{
	return gw_lines_find(c, HR_TRANSMIT_TITLE, hs->title0, hs->title1 + 1) >= 0 ||
	       gw_lines_find(c, HR_TRANSMIT_BODY, hs->body0,
	                     hs->date < hs->body0 + 6 ? hs->date : hs->body0 + 6) >= 0;
}

/* A headline for a title, or a byline or a news agency's mark in the first lines. */
static bool
is_news(gw_lines *c, const hscan *hs)
{
	const char *title = c->d->header.f[GW_H_TITLE].text;
	size_t ov[2 * GW_OVMAX];

	if (title && *title && gw_lines_match(c, HR_HEADLINE, title, strlen(title), ov))
		return true;
	return gw_lines_find(c, HR_NEWS, 0, hs->body0 + 3) >= 0;
}

void
gw_header_scan(gw_lines *c, gw_hpos *p)
{
	hscan hs = {.title0 = -1, .title1 = -1, .addr = -1, .date = -1, .sig0 = -1,
	            .mark = -1, .subdate = -1, .issue = -1};
	gw_header *hd = &c->d->header;
	int i, last;

	i = scan_top(c, &hs);
	if (hs.title0 < 0 && find_title(c, i, &i, &last)) {
		set_title(c, &hs, i, last);
		i = last + 1;
	}
	scan_zone(c, &hs, i);
	set_addressees(c, &hs);
	find_date(c, &hs);
	find_signature(c, &hs);
	find_issuer(c, &hs);
	find_promulgation(c, &hs);
	if (!hd->f[GW_H_DOC_TYPE].text && hs.title0 < 0 && hs.report)
		gw_header_set(c->d, GW_H_DOC_TYPE, gw_rule_attr(c->s->h[HR_ISSUER_REPORT], "doc-type"),
		              (size_t)-1, GW_NOSPAN);
	find_tail(c, &hs);
	/* a notice names its 文种, carries a 发文字号 or a mark, or is signed and dated by a body;
	 * a news report (a byline, 本报讯 …) that names a 文种 in its headline is not one; a work
	 * report to a people's congress addresses 各位代表 at the start of a line */
	c->d->is_notice = hd->f[GW_H_DOC_NUMBER].text || hd->f[GW_H_ISSUER_MARK].text ||
	                  (hs.sig0 >= 0 && hs.date >= 0) ||
	                  ((hd->f[GW_H_DOC_TYPE].text ||
	                    gw_lines_find(c, HR_REPORT_SALUTE, hs.body0, c->n) >= 0) &&
	                   !is_news(c, &hs));
	*p = (gw_hpos){hs.title0, hs.date, hs.body0,
	               c->d->is_notice && hs.date >= 0 && find_transmit(c, &hs)};
	if (!c->d->is_notice)
		gw_header_clear(c->d); /* not a government document: no header */
}
