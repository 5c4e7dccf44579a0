/* xml.c — the Akoma Ntoso 3.0 XML of a document, written in one pass into a buffer; and the
 * escaping of text for XML and for HTML (html.c), which differ in a few characters only. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <tmmintrin.h>
#define HAVE_SSSE3_LOOK 1
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
#include <sys/platform/x86.h> /* what glibc's loader read with CPUID already */
#define HAVE_GLIBC_CPU 1
#else
#include <cpuid.h>
#include <stdatomic.h>
#endif
#endif

#include "chars.h"
#include "internal.h"

#define AKN_NS "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
/* gongwen's own attributes and proprietary metadata (schema/README.md); an identifier, not a URL
 * anyone fetches: it changes only when those attributes change incompatibly. */
#define GW_NS "https://gongwen.example/ns/1"

/* The writer's positions are bytes of the text: the model's spans, in code points, are turned
 * into bytes once (xspan), in 64 bits, so that one past the text stays past it and in order. */
typedef int64_t xpos;
typedef struct xspan {
	xpos start, end;
} xspan;

/* A span of the text that becomes an inline element wherever it falls (a header field, an
 * addressee, a quantity). */
typedef struct mark {
	xpos start, end;
	int prio;  /* equal spans: the lower prio is the outer element */
	int what;  /* MK_FIELD, MK_ADDRESSEE, MK_QTY */
	int index; /* field, addressee or quantity index */
	bool used;
} mark;

enum { MK_FIELD, MK_ADDRESSEE, MK_QTY };

/* An open element (see "elements" below); xel is its level, the root's 0. */
typedef struct openel {
	const char *name;
	size_t n;                 /* strlen(name) */
	bool gw, children, mixed; /* gw: prefix; has a child yet; holds text */
} openel;
typedef int xel;

typedef struct xw {
	const gw_doc *d;
	gw_buf *out;
	openel *st; /* the open elements, the root first */
	size_t nst, capst;
	int flat; /* open elements that hold text: inside them nothing is indented */
	const char *text;
	xpos len;
	xpos *esc;  /* in order, where a code point starts that XML does not take (xml_char_ok) or */
	size_t nesc; /* escapes in text (< > & CR): the text but these goes out as it is */
	xspan *nsp, *hsp; /* each node's span and heading span */
	xspan *asp, *tsp; /* each attachment's span and title span */
	mark *marks;
	size_t nmarks, mfirst; /* mfirst: the last answer of mark_first */
	bool *qplaced;
	xspan fspan[GW_NHFIELDS]; /* where each header element is in the text */
	gw_idset ids; /* the eIds handed out so far, so that every one is unique */
	/* the offset map's run of the last span written (gw_doc_src_range_from) */
	size_t run;
	const gw_srcrange *src; /* the source ranges found before (gw_doc_src_ranges), or NULL */
	gw_buf tmp;
} xw;

/* How each header field shows inline, nests and bounds the regions (gongwen.h, GW_HFIELDS). */
enum { REGION_NONE, REGION_PRE, REGION_CON };
#define HF_XML(id, name, kind, lead, akn, alias, nest, region, label) \
	[GW_H_##id] = {akn, alias, nest, REGION_##region},
static const struct {
	const char *element, *name;
	int nest, region;
} fieldtag[GW_NHFIELDS] = {GW_HFIELDS(HF_XML)};

/* ---------------------------------------------------------------- strings */

/* XML 1.0 Char, minus what it discourages (2.2): C1 controls but NEL, and noncharacters. */
static bool
xml_char_ok(uint32_t c)
{
	if (c < 0x20)
		return c == 0x9 || c == 0xA || c == 0xD;
	if (c >= 0x7F && c <= 0x9F)
		return c == 0x85;
	if (c >= 0xD800 && c <= 0xDFFF)
		return false;
	if (c >= 0xFDD0 && c <= 0xFDEF)
		return false;
	if ((c & 0xFFFE) == 0xFFFE)
		return false;
	return c <= 0x10FFFF;
}

/* 3 when u[0..n) starts with a three-byte sequence (most CJK) whose code point xml_char_ok
 * takes, seen from its bytes: led by E1..EC or EE, or by EF but for EF B7 (U+FDC0..U+FDFF, with
 * the noncharacters FDD0..FDEF) and EF BF (U+FFC0..U+FFFF, with FFFE and FFFF); else 0, and the
 * caller decodes it. */
static inline int
plain3(const unsigned char *u, size_t n)
{
	if (n < 3 || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80)
		return 0;
	if ((u[0] >= 0xE1 && u[0] <= 0xEC) || u[0] == 0xEE)
		return 3;
	return u[0] == 0xEF && u[1] != 0xB7 && u[1] != 0xBF ? 3 : 0;
}

/* Byte k of an eight-byte word read with memcpy, as a mask of value v, in either byte order. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define BYTE_AT(k, v) ((uint64_t)(v) << (56 - 8 * (k)))
#else
#define BYTE_AT(k, v) ((uint64_t)(v) << (8 * (k)))
#endif
#define LEADS(v) (BYTE_AT(0, v) | BYTE_AT(3, v) | BYTE_AT(6, v))

/* Whether u[0..9) (of n) is three CJK ideographs (E4..E9 and two continuation bytes each), the
 * common run of the text, told from one word and the ninth byte: every byte has its top bit,
 * bit 6 is set at bytes 0, 3 and 6 only, and those three bytes, less 0xE0, are 4 to 9. */
static inline bool
cjk3(const unsigned char *u, size_t n)
{
	uint64_t x, y;

	if (n < 9 || (u[8] & 0xC0) != 0x80)
		return false;
	memcpy(&x, u, 8);
	if ((x & 0xC0C0C0C0C0C0C0C0ULL) != (0x8080808080808080ULL | LEADS(0x40)))
		return false;
	y = (x ^ LEADS(0xE0)) & LEADS(0xFF);
	return (y & LEADS(0xF0)) == 0 && ((y + LEADS(0x7C)) & LEADS(0x80)) == LEADS(0x80) &&
	       ((y + LEADS(0x76)) & LEADS(0x80)) == 0;
}
#undef LEADS
#undef BYTE_AT

/* The code point at byte b, its length in *n. */
static uint32_t
cp_at(const xw *w, xpos b, int *n)
{
	uint32_t c;

	*n = gw_utf8_decode_fast(w->text + b, (size_t)(w->len - b), &c);
	if (*n == 0)
		*n = 1, c = 0xFFFD;
	return c;
}

/* The start of the code point before byte b (> 0). */
static xpos
cp_before(const xw *w, xpos b)
{
	while (--b > 0 && ((unsigned char)w->text[b] & 0xC0) == 0x80)
		;
	return b;
}

/* Whether the code point of one or three bytes at u, starting or ending a line, is surely no
 * white space, told from its bytes: printable ASCII but the space; a three-byte one (the text is
 * valid UTF-8) led by E0 or E4..EE, by E3 but U+3000, or by EF but U+FExx (U+FEFF); gw_is_space
 * takes none of them. */
static inline bool
ascii_not_space(unsigned char c)
{
	return c > 0x20 && c < 0x7F;
}
static inline bool
cp3_not_space(const unsigned char *u)
{
	return u[0] == 0xE0 || (u[0] >= 0xE4 && u[0] <= 0xEE) ||
	       (u[0] == 0xE3 && (u[1] != 0x80 || u[2] != 0x80)) || (u[0] == 0xEF && u[1] != 0xBB);
}

/* Shrink [*a, *b) past white space at both ends; false when nothing is left.  Most lines start
 * and end with a code point told from its bytes (issue 14); the others are decoded. */
static bool
trim(const xw *w, xpos *a, xpos *b)
{
	const unsigned char *u = (const unsigned char *)w->text;
	int n;
	xpos p;

	if (*b - *a >= 3 &&
	    (ascii_not_space(u[*a]) || ((u[*a] & 0xF0) == 0xE0 && cp3_not_space(u + *a))) &&
	    (ascii_not_space(u[*b - 1]) || ((u[*b - 3] & 0xF0) == 0xE0 && cp3_not_space(u + *b - 3))))
		return true;
	while (*a < *b && gw_is_space(cp_at(w, *a, &n)))
		*a += n;
	while (*b > *a && gw_is_space(cp_at(w, p = cp_before(w, *b), &n)))
		*b = p;
	return *a < *b;
}

/* ---------------------------------------------------------------- elements
 * The XML is written as it is built, straight into the output buffer, with the bytes libxml2's
 * formatted dump (xmlDocDumpFormatMemoryEnc, UTF-8) gave for the same tree: two spaces a level
 * (at most 30 levels), one element a line, and nothing indented inside an element that holds
 * text.  An element is named by its level among the open ones (xel); adding a child to it closes
 * whatever was open below it.  Its attributes come before its first child, and whether it holds
 * text is known at its first child: add_mixed gives it an empty text first. */

#define INDENT_MAX 30 /* libxml2's cap: 60 spaces */

/* The indent of level at p; returns its length.  A tag is put into room reserved for the
 * longest one (TAG_ROOM and its name), not byte by byte. */
static inline size_t
indent_at(char *p, size_t level)
{
	static const char spaces[2 * INDENT_MAX + 4] = "                                                                ";

	memcpy(p, spaces, 2 * INDENT_MAX + 4); /* one copy of a known size, no memset call */
	return 2 * (level > INDENT_MAX ? INDENT_MAX : level);
}
#define TAG_ROOM (2 * INDENT_MAX + 8)

/* gw_escape (internal.h), in one pass: what the format does not take becomes U+FFFD, and
 * libxml2's escapes follow in XML: < > & CR in text, " LF TAB as well in attributes; in HTML,
 * < > & in text, " and LF or CR (as LF) as well in attributes.  The ASCII bytes that stay as
 * they are, by how: a bit each (0x20..0x7E less the escaped ones; in XML text TAB and LF; in
 * XML cleaned, TAB LF CR; in HTML text TAB LF FF CR; in HTML attributes TAB FF). */
#define BIT(c) (1ULL << ((c) & 63))
#define LO 0xFFFFFFFF00000000ULL /* 0x20..0x3F */
#define HI 0x7FFFFFFFFFFFFFFFULL /* 0x40..0x7E */
#define MARKUP (LO & ~BIT('<') & ~BIT('>') & ~BIT('&'))
static const uint64_t ascii_plain[][2] = {
    [GW_ESC_XML_TEXT] = {MARKUP | BIT('\t') | BIT('\n'), HI},
    [GW_ESC_XML_ATTR] = {MARKUP & ~BIT('"'), HI},
    [GW_ESC_CLEAN] = {LO | BIT('\t') | BIT('\n') | BIT('\r'), HI},
    [GW_ESC_HTML_TEXT] = {MARKUP | BIT('\t') | BIT('\n') | BIT('\f') | BIT('\r'), HI},
    [GW_ESC_HTML_ATTR] = {(MARKUP & ~BIT('"')) | BIT('\t') | BIT('\f'), HI},
};
#undef MARKUP
#undef HI
#undef LO
#undef BIT

/* Whether the eight bytes at s are all printable ASCII but space, < > & and ": bytes that every
 * gw_esc mode keeps and that no eId changes.  A byte of 0x80 or more, below 0x21, 0x7F (+1
 * reaches 0x80), or equal to one of the four after the XOR (-1 borrows) sets its top bit. */
static inline bool
ascii_plain8(const char *s)
{
	const uint64_t ones = 0x0101010101010101ULL;
	uint64_t x;

	memcpy(&x, s, 8);
	return ((x | (x - 0x21 * ones) | (x + ones) | ((x ^ '<' * ones) - ones) |
	         ((x ^ '>' * ones) - ones) | ((x ^ '&' * ones) - ones) |
	         ((x ^ '"' * ones) - ones)) &
	        0x8080808080808080ULL) == 0;
}

/* The length of the longest prefix of s[0..n) of such bytes. */
static inline size_t
ascii_plain_run(const char *s, size_t n)
{
	size_t i = 0;
	unsigned char c;

	while (i + 8 <= n && ascii_plain8(s + i))
		i += 8;
	if (i < n && n >= 8 && i + 8 > n && ascii_plain8(s + n - 8))
		return n; /* the last eight bytes, the first of them seen already */
	while (i < n && (c = (unsigned char)s[i]) > 0x20 && c < 0x7F && c != '<' && c != '>' &&
	       c != '&' && c != '"')
		i++;
	return i;
}

void
gw_escape(gw_buf *o, const char *s, size_t n, enum gw_esc how)
{
	static const char *const ent[2][128] = {
	    {['<'] = "&lt;", ['>'] = "&gt;", ['&'] = "&amp;", ['"'] = "&quot;", ['\r'] = "&#13;",
	     ['\n'] = "&#10;", ['\t'] = "&#9;"},
	    {['<'] = "&lt;", ['>'] = "&gt;", ['&'] = "&amp;", ['"'] = "&quot;", ['\r'] = "&#10;",
	     ['\n'] = "&#10;"},
	};
	bool html = how >= GW_ESC_HTML_TEXT;
	const unsigned char *u = (const unsigned char *)s;
	const uint64_t *plain = ascii_plain[how];
	size_t i = 0, run = 0;

	while (i < n) {
		unsigned char b = u[i];
		const char *put = "\xEF\xBF\xBD"; /* U+FFFD */
		uint32_t c;
		int k = 1;

		if (b - 0xE4u < 6 && i + 2 < n && ((u[i + 1] ^ 0x80) | (u[i + 2] ^ 0x80)) < 0x40) {
			/* a CJK ideograph, as index_text takes it; those after it three at once */
			for (i += 3; cjk3(u + i, n - i); i += 9)
				;
			continue;
		}
		if (b < 0x80) {
			if ((plain[b >> 6] >> (b & 63)) & 1) {
				/* a run of ASCII that stays as it is (an id, a number, a word) */
				do
					i++, i += ascii_plain_run(s + i, n - i);
				while (i < n && u[i] < 0x80 &&
				       ((plain[u[i] >> 6] >> (u[i] & 63)) & 1));
				continue;
			}
			if (ent[html][b])
				put = ent[html][b];
		} else if (plain3(u + i, n - i)) {
			i += 3;
			continue;
		} else if ((k = gw_utf8_decode_fast(s + i, n - i, &c)) > 0 && xml_char_ok(c) &&
		           !(html && c == 0x85)) { /* HTML takes no C1 control, not even NEL */
			i += (size_t)k;
			continue;
		}
		gw_buf_add(o, s + run, i - run);
		gw_buf_adds(o, put);
		i += k > 0 ? (size_t)k : 1;
		run = i;
	}
	gw_buf_add(o, s + run, n - run);
}

/* e's name, with its prefix, at p; returns its length. */
static inline size_t
name_at(char *p, const openel *e)
{
	const char *s = e->name;
	size_t k = e->gw ? 3 : 0, n = e->n;

	memcpy(p, "gw:", 4);
	p += k;
	/* a name is short: two words that overlap, or its bytes, rather than a memcpy call */
	if (n >= 8 && n <= 16) {
		memcpy(p, s, 8);
		memcpy(p + n - 8, s + n - 8, 8);
	} else if (n >= 4 && n < 8) {
		memcpy(p, s, 4);
		memcpy(p + n - 4, s + n - 4, 4);
	} else if (n < 4) {
		for (size_t i = 0; i < n; i++)
			p[i] = s[i];
	} else
		memcpy(p, s, n);
	return k + n;
}

/* The innermost open element gets its first child, text or an element: end its start tag. */
static inline void
first_child(xw *w, bool text)
{
	openel *e = &w->st[w->nst - 1];

	if (e->children)
		return;
	e->children = true;
	if (text) {
		e->mixed = true;
		w->flat++;
	}
	gw_buf_addc(w->out, '>');
	if (w->flat == 0)
		gw_buf_addc(w->out, '\n');
}

/* Close the open elements below level (level itself stays open; -1 closes them all). */
static void
close_to(xw *w, xel level)
{
	while ((xel)w->nst - 1 > level) {
		openel *e = &w->st[--w->nst];
		char *p = gw_buf_room(w->out, TAG_ROOM + e->n), *q = p;

		if (!e->children)
			memcpy(q, "/>", 2), q += 2;
		else {
			if (w->flat == 0)
				q += indent_at(q, w->nst);
			memcpy(q, "</", 2), q += 2;
			q += name_at(q, e);
			*q++ = '>';
		}
		if (e->mixed)
			w->flat--;
		if (w->flat == 0)
			*q++ = '\n';
		gw_buf_wrote(w->out, (size_t)(q - p));
	}
}

static xel
open_eln(xw *w, xel parent, bool gw, const char *name, size_t n)
{
	openel *e;
	char *p, *q;

	close_to(w, parent);
	if (w->nst > 0)
		first_child(w, false);
	if (w->nst == w->capst)
		gw_grow((void **)&w->st, &w->capst, w->nst + 1, sizeof *w->st);
	e = &w->st[w->nst];
	*e = (openel){name, n, gw, false, false};
	q = p = gw_buf_room(w->out, TAG_ROOM + e->n);
	if (w->flat == 0)
		q += indent_at(q, w->nst);
	*q++ = '<';
	q += name_at(q, e);
	gw_buf_wrote(w->out, (size_t)(q - p));
	return (xel)w->nst++;
}

/* Inline: the length of a literal name is known where it is written. */
static inline __attribute__((always_inline)) xel
open_el(xw *w, xel parent, bool gw, const char *name)
{
	return open_eln(w, parent, gw, name, strlen(name));
}

/* Room for n bytes of attributes of el, whose start tag must still be open. */
static inline char *
attr_room(xw *w, xel el, size_t n)
{
	if (el != (xel)w->nst - 1 || w->st[el].children)
		abort(); /* the writer's own order went wrong: no file rather than a wrong one */
	return gw_buf_room(w->out, n);
}

/* An attribute of el, whose start tag must still be open: its name and =", the value next. */
static inline void
put_attr_start(xw *w, xel el, bool gw, const char *name)
{
	size_t n = strlen(name);
	char *p = attr_room(w, el, n + 6);

	memcpy(p, " gw:", 4);
	p += gw ? 4 : 1;
	memcpy(p, name, n);
	memcpy(p + n, "=\"", 2);
	gw_buf_wrote(w->out, (gw ? 4 : 1) + n + 2);
}

static inline void
put_attr(xw *w, xel el, bool gw, const char *name, const char *value)
{
	put_attr_start(w, el, gw, name);
	gw_escape(w->out, value, strlen(value), GW_ESC_XML_ATTR);
	gw_buf_addc(w->out, '"');
}

/* Set el's eId from want: XML-clean, no white space (noWhiteSpace in the XSD), never used
 * before in this file (the XSD's own uniqueness check covers one doc at a time only). */
static void
set_eid(xw *w, xel el, const char *want)
{
	gw_buf *id = &w->tmp;
	size_t n = strlen(want);
	/* most are plain: neither cleaned nor escaped */
	bool plain = n > 0 && ascii_plain_run(want, n) == n;
	char *p;

	if (plain && gw_idset_addn(&w->ids, want, n)) { /* most: unique as they are, no copy */
		put_attr_start(w, el, false, "eId");
		p = gw_buf_room(w->out, n + 1);
		memcpy(p, want, n);
		p[n] = '"';
		gw_buf_wrote(w->out, n + 1);
		return;
	}
	gw_buf_reset(id);
	if (plain)
		gw_buf_add(id, want, n);
	else {
		gw_escape(id, want, n, GW_ESC_CLEAN);
		for (p = id->ptr; *p; p++)
			if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
				*p = '_';
		if (id->len == 0)
			gw_buf_adds(id, "x");
	}
	gw_idset_unique(&w->ids, id); /* a suffix _K it adds is plain */
	put_attr_start(w, el, false, "eId");
	if (plain)
		gw_buf_add(w->out, id->ptr, id->len);
	else
		gw_escape(w->out, id->ptr, id->len, GW_ESC_XML_ATTR);
	gw_buf_addc(w->out, '"');
}

static inline xel
add_el(xw *w, xel parent, const char *name)
{
	return open_el(w, parent, false, name);
}

/* An element of mixed content: nothing inside it is indented, which would add white space to
 * the text. */
static inline xel
add_mixed(xw *w, xel parent, const char *name)
{
	xel el = add_el(w, parent, name);

	first_child(w, true);
	return el;
}

/* Text s[0..n) into parent, escaped unless it is plain. */
static void
add_text(xw *w, xel parent, const char *s, size_t n, bool plain)
{
	if (n == 0) /* cleaning leaves nothing empty that was not */
		return;
	close_to(w, parent);
	first_child(w, true);
	if (plain)
		gw_buf_add(w->out, s, n);
	else
		gw_escape(w->out, s, n, GW_ESC_XML_TEXT);
}

/* The document's text [a, b): as it is, but the code points at w->esc. */
static void
add_doc_text(xw *w, xel parent, xpos a, xpos b)
{
	size_t lo = 0, hi = w->nesc;
	int k;

	while (lo < hi) { /* the first at or after a */
		size_t mid = (lo + hi) / 2;

		if (w->esc[mid] < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; a < b; lo++) {
		xpos e = lo < w->nesc && w->esc[lo] < b ? w->esc[lo] : b;

		add_text(w, parent, w->text + a, (size_t)(e - a), true);
		if (e < b)
			cp_at(w, e, &k), add_text(w, parent, w->text + e, (size_t)k, false);
		a = e < b ? e + k : b;
	}
}

static xel
add_el_text(xw *w, xel parent, const char *name, const char *text)
{
	xel el = add_el(w, parent, name);

	add_text(w, el, text ? text : "", text ? strlen(text) : 0, false);
	return el;
}

static inline void
set_attr(xw *w, xel el, const char *name, const char *value)
{
	put_attr(w, el, false, name, value ? value : "");
}

/* A child element with attributes: name, value, …, NULL (a NULL value is written empty). */
static xel
add_el_attrs(xw *w, xel parent, const char *element, ...)
{
	xel el = add_el(w, parent, element);
	const char *name;
	va_list ap;

	va_start(ap, element);
	while ((name = va_arg(ap, const char *)) != NULL)
		set_attr(w, el, name, va_arg(ap, const char *));
	va_end(ap);
	return el;
}

static inline void
set_gw(xw *w, xel el, const char *name, const char *value)
{
	if (value)
		put_attr(w, el, true, name, value);
}

/* A value that is one of the writer's own names (a kind, a comparator) needs no escaping. */
static inline void
set_const(xw *w, xel el, bool gw, const char *name, const char *value)
{
	put_attr_start(w, el, gw, name);
	gw_buf_adds(w->out, value);
	gw_buf_addc(w->out, '"');
}

/* A number needs no escaping. */
static inline void
set_number(xw *w, xel el, bool gw, const char *name, double v)
{
	if (!isfinite(v))
		return;
	put_attr_start(w, el, gw, name);
	gw_buf_put_number(w->out, v);
	gw_buf_addc(w->out, '"');
}

#define LIT(q, s) (memcpy(q, s, sizeof s - 1), q += sizeof s - 1)
#define SPANS_ROOM 72 /* the longest two span attributes spans_at writes */

#define NO_SRC SIZE_MAX /* a span not among gw_doc_src_ranges' (a header field's) */

/* gw:span="start end" in code points and gw:source_span="start end" in source bytes, at p (room
 * for SPANS_ROOM bytes; a node's, a field's and a quantity's, issue 14); returns their end.  k:
 * the span's index in gw_doc_src_ranges, or NO_SRC. */
static char *
spans_at(xw *w, char *p, gw_span s, size_t k)
{
	gw_srcrange r;

	if (s.start < 0 || s.end < s.start)
		return p;
	LIT(p, " gw:span=\"");
	p += gw_fmt_int(p, (uint32_t)s.start);
	*p++ = ' ';
	p += gw_fmt_int(p, (uint32_t)s.end);
	*p++ = '"';
	if (w->src && k != NO_SRC)
		r = w->src[k];
	else
		r.ok = gw_doc_src_range_from(w->d, s, &w->run, &r.start, &r.end);
	if (r.ok) {
		LIT(p, " gw:source_span=\"");
		p += gw_fmt_int(p, r.start);
		*p++ = ' ';
		p += gw_fmt_int(p, r.end);
		*p++ = '"';
	}
	return p;
}

static void
set_gw_spans(xw *w, xel el, gw_span s, size_t k)
{
	char *p = attr_room(w, el, SPANS_ROOM);

	gw_buf_wrote(w->out, (size_t)(spans_at(w, p, s, k) - p));
}

/* ---------------------------------------------------------------- inline marks */

static int
mark_cmp(const void *pa, const void *pb)
{
	const mark *a = pa, *b = pb;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end > b->end ? -1 : 1;
	return (a->prio > b->prio) - (a->prio < b->prio);
}

static void
mark_add(xw *w, xspan s, int what, int index, int prio, size_t *cap)
{
	if (s.start < 0 || s.end <= s.start || s.end > w->len)
		return;
	if (w->nmarks == *cap)
		gw_grow((void **)&w->marks, cap, w->nmarks + 1, sizeof *w->marks);
	w->marks[w->nmarks++] = (mark){s.start, s.end, prio, what, index, false};
}

/* Code point cp of the text as a byte; one past the text stays as far past it, in bytes. */
static xpos
to_byte(const xw *w, int32_t cp)
{
	if (cp < 0 || (size_t)cp >= w->d->ncp)
		return cp < 0 ? cp : w->len + (cp - (xpos)w->d->ncp);
	return (xpos)gw_doc_cp_to_byte(w->d, cp);
}

/* The end of a short span is found from its start (a quantity: a few code points), not from the
 * checkpoint before it. */
static xspan
to_bytes(const xw *w, gw_span s)
{
	xpos a = to_byte(w, s.start);

	if (s.start >= 0 && s.end >= s.start && s.end - s.start < 16 && (size_t)s.end <= w->d->ncp)
		return (xspan){a, (xpos)gw_doc_cp_skip(w->d, (size_t)a, (size_t)(s.end - s.start))};
	return (xspan){a, to_byte(w, s.end)};
}

/* Addressee i's span: its own, else where its name next occurs in the 主送 line (records keep
 * only the line's span); *from is the byte to search on from. */
static xspan
addressee_span(const xw *w, int i, xpos *from)
{
	const gw_header *h = &w->d->header;
	xspan line = w->fspan[GW_H_ADDRESSEES];
	const char *item = h->addressees.items[i], *hit;
	xpos a;

	if (h->addressees.spans[i].start >= 0 || line.start < 0 || line.end > w->len || !*item)
		return to_bytes(w, h->addressees.spans[i]);
	a = *from > line.start ? *from : line.start;
	if (a >= line.end ||
	    (hit = gw_find(w->text + a, (size_t)(line.end - a), item, strlen(item))) == NULL)
		return (xspan){-1, -1};
	a = hit - w->text;
	*from = a + (xpos)strlen(item); /* valid UTF-8 in valid UTF-8: whole code points */
	return (xspan){a, *from};
}

/* The 主送 line when the record has the list but not the line's span: the first line after the
 * title that holds the first addressee, if it comes before the first numbered unit. */
static xspan
addressee_line(const xw *w)
{
	const gw_doc *d = w->d;
	const char *first = d->header.addressees.n ? d->header.addressees.items[0] : "", *hit;
	xpos from = 0, limit = w->len, a, b;

	for (int f = 0; f < GW_NHFIELDS; f++)
		if (f == GW_H_TITLE || f == GW_H_DOC_NUMBER || f == GW_H_ISSUER_MARK)
			if (d->header.f[f].text && w->fspan[f].end > from && w->fspan[f].end <= w->len)
				from = w->fspan[f].end;
	for (size_t i = 0; i < d->nnodes; i++)
		if (d->nodes[i].parent < 0 && w->nsp[i].start >= 0 && w->nsp[i].start < limit)
			limit = w->nsp[i].start;
	for (size_t k = 0; k < d->natts; k++)
		if (w->asp[k].start >= 0 && w->asp[k].start < limit)
			limit = w->asp[k].start;
	if (!*first || from >= limit)
		return (xspan){-1, -1};
	hit = gw_find(w->text + from, (size_t)(limit - from), first, strlen(first));
	if (hit == NULL)
		return (xspan){-1, -1};
	a = b = hit - w->text;
	while (a > from && w->text[a - 1] != '\n') /* a byte '\n' is a code point of its own */
		a--;
	while (b < limit && w->text[b] != '\n')
		b++;
	return trim(w, &a, &b) ? (xspan){a, b} : (xspan){-1, -1};
}

/* The marks in the order of mark_cmp (a total order: prio is unique).  The quantities, all
 * but the first nhead marks, come in the order of the text already (extract's): the few header
 * marks are sorted and merged into them instead of sorting all. */
static void
marks_sort(xw *w, size_t nhead)
{
	mark *m = w->marks, *out;
	size_t n = w->nmarks, i = 0, j = nhead, k = 0;
	bool sorted = true;

	for (size_t q = nhead + 1; q < n && sorted; q++)
		sorted = mark_cmp(&m[q - 1], &m[q]) < 0;
	if (!sorted)
		qsort(m + nhead, n - nhead, sizeof *m, mark_cmp);
	if (nhead == 0)
		return;
	qsort(m, nhead, sizeof *m, mark_cmp);
	out = gw_xmalloc(n * sizeof *out);
	while (i < nhead || j < n)
		out[k++] = j == n || (i < nhead && mark_cmp(&m[i], &m[j]) < 0) ? m[i++] : m[j++];
	free(w->marks);
	w->marks = out;
}

/* Header fields outermost (issuer mark around issuer, title around doc type: GW_HFIELDS), then
 * addressees, then quantities. */
static void
marks_collect(xw *w)
{
	const gw_doc *d = w->d;
	size_t cap = 0, nhead;
	int prio = 0;

	for (int nest = 0, deeper = 1; deeper; nest++) {
		deeper = 0;
		for (int f = 0; f < GW_NHFIELDS; f++) {
			deeper |= fieldtag[f].nest > nest;
			if (fieldtag[f].nest == nest && gw_header_has(&d->header, f))
				mark_add(w, w->fspan[f], MK_FIELD, f, prio++, &cap);
		}
	}
	for (xpos i = 0, from = 0; i < (xpos)d->header.addressees.n; i++)
		mark_add(w, addressee_span(w, (int)i, &from), MK_ADDRESSEE, (int)i, prio++, &cap);
	nhead = w->nmarks;
	gw_grow((void **)&w->marks, &cap, nhead + d->nqs, sizeof *w->marks);
	for (size_t i = 0; i < d->nqs; i++)
		mark_add(w, to_bytes(w, d->qs[i].span), MK_QTY, (int)i, prio++, &cap);
	marks_sort(w, nhead);
}

/* The first mark that starts at or after cp. */
static size_t
mark_first(xw *w, xpos cp)
{
	size_t lo = 0, hi = w->nmarks, c = w->mfirst;

	/* the writer goes through the text in order: the answer is most often the last one or
	 * a few marks after it */
	if (c <= hi && (c == 0 || w->marks[c - 1].start < cp)) { /* c == hi: past the last mark */
		for (int k = 0; k < 4; k++, c++) /* a step at a time, then a search */
			if (c == hi || w->marks[c].start >= cp)
				return w->mfirst = c;
		lo = c;
	}
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (w->marks[mid].start < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return w->mfirst = lo;
}

/* Whether gw_escape keeps s[0..n) as it is in an attribute: printable ASCII but < > & ", and
 * the three-byte sequences plain3 takes (a unit, a subject, a rule: CJK and ASCII). */
static inline bool
attr_plain(const char *s, size_t n)
{
	const uint64_t *ascii = ascii_plain[GW_ESC_XML_ATTR];
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < n;) {
		if (u[i] < 0x80) {
			if (!((ascii[u[i] >> 6] >> (u[i] & 63)) & 1))
				return false;
			i++; /* and the run after it, a word at a time */
			i += ascii_plain_run(s + i, n - i);
		} else if (plain3(u + i, n - i))
			i += 3;
		else
			return false;
	}
	return true;
}

/* A quantity's attributes; placed: it is an inline element (refersTo and normalized are
 * AKN's, which meta's gw:quantity does not take: there the value is gw:value).  All of them
 * into one room taken once (issue 14): names of known length, numbers and spans formatted in
 * place, a value that needs no escaping copied; only a value to escape goes through gw_escape. */
#define ATTR_ROOM 512 /* the attributes but the four strings: names, five numbers, two spans */
static void
quantity_attrs(xw *w, xel el, const gw_quantity *q, bool placed)
{
	/* sixteen bytes each, copied whole, and their lengths */
#define NAME16(s) {s, sizeof s - 1}
	static const struct {
		char s[16];
		unsigned char n;
	} concept[] = {NAME16("#qkind_target\""), NAME16("#qkind_fact\""), NAME16("#qkind_other\"")},
	  strname[4] = {NAME16(" gw:unit=\""), NAME16(" gw:subject=\""), NAME16(" gw:verb=\""),
	                NAME16(" gw:rule=\"")};
#undef NAME16
	const char *str[4] = {q->unit, q->subject, q->verb, q->rule};
	size_t len[4], room = ATTR_ROOM;
	gw_buf *out = w->out;
	char *p;

	for (int k = 0; k < 4; k++)
		room += 6 * (len[k] = str[k] ? strlen(str[k]) : 0); /* &quot; is the longest escape */
	p = attr_room(w, el, room);
	if (placed) {
		unsigned c = (unsigned)q->kind <= GW_Q_OTHER ? (unsigned)q->kind : GW_Q_OTHER;

		LIT(p, " refersTo=\"");
		memcpy(p, concept[c].s, 16);
		p += concept[c].n;
	}
	if (q->has_value && isfinite(q->value)) {
		if (placed)
			LIT(p, " normalized=\"");
		else
			LIT(p, " gw:value=\"");
		p += gw_fmt_number(p, q->value);
		*p++ = '"';
	}
	for (int k = 0; k < 4; k++) {
		if (k == 1) {
			const char *cmp = gw_cmp_name(q->cmp), *kind = gw_qkind_name(q->kind);
			size_t n;

			LIT(p, " gw:comparator=\"");
			memcpy(p, cmp, n = strlen(cmp)), p += n;
			*p++ = '"';
			if (q->has_min && isfinite(q->min)) {
				LIT(p, " gw:min=\"");
				p += gw_fmt_number(p, q->min);
				*p++ = '"';
			}
			if (q->has_max && isfinite(q->max)) {
				LIT(p, " gw:max=\"");
				p += gw_fmt_number(p, q->max);
				*p++ = '"';
			}
			LIT(p, " gw:kind=\"");
			memcpy(p, kind, n = strlen(kind)), p += n;
			*p++ = '"';
			p = spans_at(w, p, q->span, w->d->nnodes + w->d->natts + (size_t)(q - w->d->qs));
		}
		if (str[k] == NULL)
			continue;
		memcpy(p, strname[k].s, 16);
		p += strname[k].n;
		if (attr_plain(str[k], len[k]))
			memcpy(p, str[k], len[k]), p += len[k];
		else { /* the room taken stays: gw_escape puts at most six bytes a byte */
			gw_buf_wrote(out, (size_t)(p - (out->ptr + out->len)));
			gw_escape(out, str[k], len[k], GW_ESC_XML_ATTR);
			p = out->ptr + out->len;
		}
		*p++ = '"';
	}
	gw_buf_wrote(out, (size_t)(p - (out->ptr + out->len)));
}
#undef ATTR_ROOM
#undef LIT

/* Header field f as its element.  A DATE field carries its ISO date; docDate needs a valid
 * one (an xsd:date): without it, it is a plain <inline>. */
static xel
field_element(xw *w, xel parent, enum gw_hfield f)
{
	char *const *iso = gw_header_iso(&w->d->header, f);
	bool docdate = iso && strcmp(fieldtag[f].element, "docDate") == 0;
	xel el;

	if (docdate && gw_date_ok(*iso, false))
		return add_el_attrs(w, parent, "docDate", "date", *iso, NULL);
	el = add_el(w, parent, docdate ? "inline" : fieldtag[f].element);
	if (docdate || fieldtag[f].name)
		set_attr(w, el, "name", docdate ? gw_hfield_name(f) : fieldtag[f].name);
	if (iso)
		set_gw(w, el, "date", *iso); /* a partial date (2023-05) is no xsd:date */
	if (f == GW_H_ISSUER)
		set_attr(w, el, "refersTo", "#issuer");
	return el;
}

static xel
mark_element(xw *w, xel parent, const mark *m)
{
	xel el;

	if (m->what == MK_QTY) {
		const gw_quantity *q = &w->d->qs[m->index];

		el = add_el(w, parent, "quantity");
		set_eid(w, el, q->id ? q->id : "qty");
		quantity_attrs(w, el, q, true);
		w->qplaced[m->index] = true;
		return el;
	}
	if (m->what == MK_ADDRESSEE) {
		char ref[32] = "#addressee_";
		size_t pre = sizeof "#addressee_" - 1;

		ref[pre + gw_fmt_int(ref + pre, m->index + 1)] = '\0';
		return add_el_attrs(w, parent, "organization", "refersTo", ref, NULL);
	}
	return field_element(w, parent, m->index);
}

/* Text [a, b) into parent, with every mark that lies wholly inside it as an inline element
 * (nested marks recursively).  A mark that straddles a boundary stays plain text. */
static void
put_inline(xw *w, xel parent, xpos a, xpos b)
{
	xpos pos = a;

	for (size_t i = mark_first(w, a); i < w->nmarks && w->marks[i].start < b; i++) {
		mark *m = &w->marks[i];
		xel el;

		if (m->used || m->start < pos || m->end > b)
			continue;
		add_doc_text(w, parent, pos, m->start);
		m->used = true;
		el = mark_element(w, parent, m);
		first_child(w, true); /* mixed content, like add_mixed */
		put_inline(w, el, m->start, m->end);
		pos = m->end;
	}
	add_doc_text(w, parent, pos, b);
}

/* The end of the line that starts at a, carried past newlines that fall inside a mark. */
static xpos
line_end(xw *w, xpos a, xpos b)
{
	xpos e = a;
	size_t i = mark_first(w, a);

	for (;;) {
		const char *nl = memchr(w->text + e, '\n', (size_t)(b - e));

		if (nl == NULL)
			return b;
		e = nl - w->text;
		/* a mark that began in this line and goes on past the newline keeps the line open */
		xpos past = e;

		for (; i < w->nmarks && w->marks[i].start < e; i++)
			if (!w->marks[i].used && w->marks[i].end > past && w->marks[i].end <= b)
				past = w->marks[i].end;
		if (past == e)
			return e;
		e = past;
	}
}

/* Text [a, b) as one <p> per non-blank line. */
static void
put_paras(xw *w, xel parent, xpos a, xpos b)
{
	while (a < b) {
		xpos e = line_end(w, a, b), s = a, t = e;

		if (trim(w, &s, &t))
			put_inline(w, add_mixed(w, parent, "p"), s, t);
		a = e < b ? e + 1 : b;
	}
}

static bool
blank(const xw *w, xpos a, xpos b)
{
	return !trim(w, &a, &b);
}

/* ---------------------------------------------------------------- structure */

/* v raised to lo, then lowered to hi. */
static xpos
between(xpos v, xpos lo, xpos hi)
{
	v = v < lo ? lo : v;
	return v > hi ? hi : v;
}

static xpos
clamp(const xw *w, xpos b)
{
	return between(b, 0, w->len);
}

/* Where the text at b spells s, the code point after it; else -1. */
static xpos
text_has(const xw *w, xpos b, xpos limit, const char *s)
{
	xpos n = (xpos)strlen(s);

	if (n == 0 || b + n > limit || memcmp(w->text + b, s, (size_t)n) != 0)
		return -1;
	return b + n; /* valid UTF-8 in valid UTF-8: whole code points */
}

/* The byte k code points after b, if it is at most limit; else -1. */
static xpos
cps_after(const xw *w, xpos b, size_t k, xpos limit)
{
	int n;

	for (; k > 0 && b < limit; k--)
		cp_at(w, b, &n), b += n;
	return k == 0 && b <= limit ? b : -1;
}

static bool
is_heading_stop(uint32_t c)
{
	return c == 0x3002 || c == 0xFF1A || c == ':' || c == 0xFF1B || c == ';' || c == '.';
}

/* num and heading of node n, whose own text is [a, own); returns where its body text starts. */
static xpos
node_head(xw *w, xel el, const gw_node *n, xspan hsp, xpos a, xpos own)
{
	xpos after = a, hs = hsp.start, he = hsp.end;
	xpos numend = n->num ? text_has(w, a, own, n->num) : -1;
	int k;

	/* a number restored as printed (4．) spells the normalised text's 4. with as many code points */
	if (numend < 0 && n->num && *n->num)
		numend = cps_after(w, a, gw_utf8_count(n->num, strlen(n->num)), own);

	if (numend >= 0) {
		put_inline(w, add_mixed(w, el, "num"), a, numend);
		after = numend;
	} else if (n->num)
		add_el_text(w, el, "num", n->num);
	if (hs >= after && he > hs && he <= own) {
		xpos s = after, t = he;

		/* the 。 or ： that closes a heading belongs with it in the XML (16.住房保障。) */
		if (he < own && is_heading_stop(cp_at(w, he, &k)))
			he += k, t += k;
		if (trim(w, &s, &t))
			put_inline(w, add_mixed(w, el, "heading"), s, t);
		after = he;
	} else if (n->heading && *n->heading)
		add_el_text(w, el, "heading", n->heading); /* no span: the words are not in the text */
	return after;
}

static void put_node(xw *w, xel parent, int i, xpos a, xpos end);

/* Node i as its AKN hierarchy element over [a, end): num, heading, then content (a leaf) or
 * intro and the children (each child runs to the next one; the XSD has no room between). */
static void
put_node(xw *w, xel parent, int i, xpos a, xpos end)
{
	const gw_node *n = &w->d->nodes[i];
	xel el = add_el(w, parent, gw_kind_akn_element(n->kind));
	int fc = n->first_child < (int)w->d->nnodes ? n->first_child : -1;
	xpos own = between(fc >= 0 ? clamp(w, w->nsp[fc].start) : end, a, end), body;

	if (strcmp(gw_kind_akn_element(n->kind), "hcontainer") == 0)
		set_const(w, el, false, "name", gw_kind_name(n->kind)); /* required on hcontainer */
	set_eid(w, el, n->id ? n->id : gw_kind_akn_prefix(n->kind));
	set_const(w, el, true, "kind", gw_kind_name(n->kind));
	set_number(w, el, true, "ordinal", (double)n->ordinal);
	set_gw_spans(w, el, n->span, (size_t)i);
	body = node_head(w, el, n, w->hsp[i], a, own);
	if (!blank(w, body, own))
		put_paras(w, add_el(w, el, fc >= 0 ? "intro" : "content"), body, own);
	body = own;
	for (int c = fc; c >= 0 && (size_t)c < w->d->nnodes; c = w->d->nodes[c].next_sibling) {
		int nx = w->d->nodes[c].next_sibling;
		xpos ce = nx >= 0 && (size_t)nx < w->d->nnodes ? clamp(w, w->nsp[nx].start) : end;

		ce = between(ce, body, end);
		put_node(w, el, c, body, ce);
		body = ce; /* the next child's start */
	}
}

/* The top-level nodes of part `part` over [a, b) of the text, with the text between them in <p>;
 * container gets at least one child (mainBody requires it). */
static void
put_part(xw *w, xel container, int part, xpos a, xpos b)
{
	const gw_doc *d = w->d;
	xpos cur = a;

	for (size_t i = 0; i < d->nnodes; i++) {
		const gw_node *n = &d->nodes[i];
		xpos s, e;
		int nx = n->next_sibling;

		if (n->parent >= 0 || n->part != part)
			continue;
		s = clamp(w, w->nsp[i].start), e = clamp(w, w->nsp[i].end);
		if (nx >= 0 && (size_t)nx < d->nnodes && w->nsp[nx].start < e)
			e = clamp(w, w->nsp[nx].start);
		s = s < cur ? cur : s > b ? b : s;
		e = e < s ? s : e > b ? b : e;
		put_paras(w, container, cur, s);
		put_node(w, container, (int)i, s, e);
		cur = e;
	}
	put_paras(w, container, cur, b);
	if (!w->st[container].children)
		add_mixed(w, container, "p");
}

/* ---------------------------------------------------------------- meta */

/* The AKN URI of the work: /akn/cn/doc/<name>/<date>/<number>. */
static void
work_uri(xw *w, gw_buf *u, const char *name, const char *date)
{
	const gw_header *h = &w->d->header;
	gw_buf num = GW_BUF_INIT, *s = &w->tmp;

	if (h->agency_code && h->year > 0 && h->serial) { /* no printf: it is most of this */
		gw_buf_adds(&num, h->agency_code);
		gw_buf_addc(&num, '-');
		gw_buf_put_int(&num, h->year);
		gw_buf_addc(&num, '-');
		gw_buf_adds(&num, h->serial);
	} else
		gw_buf_adds(&num, h->f[GW_H_DOC_NUMBER].text ? h->f[GW_H_DOC_NUMBER].text
		                                             : w->d->id ? w->d->id : "nn");
	gw_buf_reset(s);
	gw_escape(s, num.ptr, num.len, GW_ESC_CLEAN);
	gw_buf_adds(u, "/akn/cn/doc/");
	gw_buf_adds(u, name);
	gw_buf_addc(u, '/');
	gw_buf_adds(u, date);
	gw_buf_addc(u, '/');
	/* characters that would end or break a URI path segment become '-' */
	for (size_t i = 0; i < s->len; i++) {
		unsigned char c = (unsigned char)s->ptr[i];
		bool bad = c <= ' ' || c == 0x7F || strchr("/?#[]@!$&'()*+,;=%\"<>\\^`{|}", c) != NULL;

		gw_buf_addc(u, bad ? '-' : (char)c);
	}
	if (num.len == 0)
		gw_buf_adds(u, "nn");
	gw_buf_free(&num);
}

/* t = uri/this. */
static void
this_uri(gw_buf *t, const gw_buf *uri, const char *this)
{
	gw_buf_reset(t);
	gw_buf_add(t, uri->ptr, uri->len);
	gw_buf_addc(t, '/');
	gw_buf_adds(t, this);
}

static void
frbr_value(xw *w, xel parent, const char *element, const char *value)
{
	add_el_attrs(w, parent, element, "value", value, NULL);
}

/* FRBR work, expression and manifestation; `this` is "!main" or "!att_K", title NULL for the
 * notice's own. */
static void
put_identification(xw *w, xel meta, const char *name, const char *this, const char *title)
{
	const gw_header *h = &w->d->header;
	const char *date = gw_date_ok(h->date, false)         ? h->date
	                   : gw_date_ok(h->print_date, false) ? h->print_date
	                                                      : "0001-01-01";
	const char *dname = date == h->date ? "date" : date == h->print_date ? "print_date" : "unknown";
	gw_buf uri = GW_BUF_INIT, t = GW_BUF_INIT;
	xel id = add_el_attrs(w, meta, "identification", "source", "#gongwen", NULL), el;

	work_uri(w, &uri, name, date);
	el = add_el(w, id, "FRBRWork");
	this_uri(&t, &uri, this);
	frbr_value(w, el, "FRBRthis", t.ptr);
	frbr_value(w, el, "FRBRuri", uri.ptr);
	add_el_attrs(w, el, "FRBRdate", "date", date, "name", dname, NULL);
	add_el_attrs(w, el, "FRBRauthor", "href", "#issuer", NULL);
	frbr_value(w, el, "FRBRcountry", "cn");
	if (title == NULL && h->f[GW_H_DOC_TYPE].text)
		frbr_value(w, el, "FRBRsubtype", h->f[GW_H_DOC_TYPE].text);
	if (h->f[GW_H_DOC_NUMBER].text)
		frbr_value(w, el, "FRBRnumber", h->f[GW_H_DOC_NUMBER].text);
	if (title ? *title != '\0' : h->f[GW_H_TITLE].text != NULL)
		frbr_value(w, el, "FRBRname", title ? title : h->f[GW_H_TITLE].text);

	el = add_el(w, id, "FRBRExpression");
	gw_buf_adds(&uri, "/zho@");
	this_uri(&t, &uri, this);
	frbr_value(w, el, "FRBRthis", t.ptr);
	frbr_value(w, el, "FRBRuri", uri.ptr);
	add_el_attrs(w, el, "FRBRdate", "date", date, "name", dname, NULL);
	add_el_attrs(w, el, "FRBRauthor", "href", "#issuer", NULL);
	add_el_attrs(w, el, "FRBRlanguage", "language", "zho", NULL);

	el = add_el(w, id, "FRBRManifestation");
	gw_buf_adds(&t, ".xml");
	frbr_value(w, el, "FRBRthis", t.ptr);
	gw_buf_adds(&uri, ".akn");
	frbr_value(w, el, "FRBRuri", uri.ptr);
	/* the source file's hash tells manifestations of different source files apart */
	add_el_attrs(w, el, "FRBRalias", "value",
	             w->d->src_sha256[0] ? w->d->src_sha256 : "unknown", "name", "source-sha256",
	             NULL);
	add_el_attrs(w, el, "FRBRdate", "date", date, "name", dname, NULL);
	add_el_attrs(w, el, "FRBRauthor", "href", "#gongwen", NULL);
	gw_buf_free(&uri);
	gw_buf_free(&t);
}

static void
tlc(xw *w, xel refs, const char *element, const char *eid, const char *href,
    const char *show)
{
	xel el = add_el(w, refs, element);

	set_eid(w, el, eid);
	set_attr(w, el, "href", href);
	set_attr(w, el, "showAs", show && *show ? show : eid);
}

static void
put_references(xw *w, xel meta)
{
	static const char *const kinds[][3] = {
	    {"qkind_target", "/ontology/concept/gongwen/quantity.target", "target"},
	    {"qkind_fact", "/ontology/concept/gongwen/quantity.fact", "fact"},
	    {"qkind_other", "/ontology/concept/gongwen/quantity.other", "other"},
	};
	const gw_header *h = &w->d->header;
	xel refs = add_el_attrs(w, meta, "references", "source", "#gongwen", NULL);
	char href[64] = "/ontology/organization/cn/addressee_";
	size_t pre = strlen(href);

	tlc(w, refs, "TLCOrganization", "gongwen", "/ontology/organization/gongwen", "gongwen");
	tlc(w, refs, "TLCOrganization", "issuer", "/ontology/organization/cn/issuer",
	    h->f[GW_H_ISSUER].text);
	for (size_t i = 0; i < h->addressees.n; i++) {
		href[pre + gw_fmt_int(href + pre, (long long)i + 1)] = '\0';
		tlc(w, refs, "TLCOrganization", href + pre - strlen("addressee_"), href,
		    h->addressees.items[i]);
	}
	for (int k = 0; k < 3; k++)
		tlc(w, refs, "TLCConcept", kinds[k][0], kinds[k][1], kinds[k][2]);
}

/* Source facts, and every header field as the segmenter found it, for readers who want them
 * without the text (a field with no span shows nowhere else). */
static void
put_proprietary(xw *w, xel meta)
{
	const gw_doc *d = w->d;
	xel p = add_el_attrs(w, meta, "proprietary", "source", "#gongwen", NULL), el;

	el = open_el(w, p, true, "source");
	set_gw(w, el, "id", d->id);
	set_gw(w, el, "path", d->src_path);
	set_gw(w, el, "sha256", d->src_sha256[0] ? d->src_sha256 : NULL);
	set_number(w, el, true, "bytes", (double)d->src_bytes);
	set_gw(w, el, "encoding", d->encoding);
	set_gw(w, el, "is_notice", d->is_notice == 1 ? "true" : d->is_notice == 0 ? "false" : NULL);
	el = open_el(w, p, true, "generator");
	set_gw(w, el, "name", "gongwen");
	set_gw(w, el, "version", GW_VERSION);
	set_gw(w, el, "schema", GW_SCHEMA);
	for (int f = 0; f < GW_NHFIELDS; f++) {
		if (d->header.f[f].text == NULL)
			continue;
		el = open_el(w, p, true, "field");
		set_gw(w, el, "name", gw_hfield_name((enum gw_hfield)f));
		set_gw_spans(w, el, d->header.f[f].span, NO_SRC);
		add_text(w, el, d->header.f[f].text, strlen(d->header.f[f].text), false);
	}
}

/* Quantities whose span could not be wrapped inline (it straddles an element boundary, or is
 * not in the text at all) keep their data in meta.  Which they are is known once the body is
 * written: their <proprietary> goes in at byte at of the output, after meta's last child. */
static void
put_unplaced(xw *w, xel meta, size_t at)
{
	gw_buf *out = w->out, part = GW_BUF_INIT;
	xel p = -1;

	w->out = &part;
	w->st[meta] = (openel){"meta", 4, false, true, false}; /* open again, as it was */
	w->nst = (size_t)meta + 1;

	for (size_t i = 0; i < w->d->nqs; i++) {
		const gw_quantity *q = &w->d->qs[i];
		xel el;

		if (w->qplaced[i])
			continue;
		if (p < 0)
			p = add_el_attrs(w, meta, "proprietary", "source", "#gongwen", NULL);
		el = open_el(w, p, true, "quantity");
		set_gw(w, el, "id", q->id);
		set_gw(w, el, "text", q->text);
		quantity_attrs(w, el, q, false);
	}
	close_to(w, meta);
	w->out = out;
	if (part.len) {
		gw_buf_add(out, part.ptr, part.len);
		memmove(out->ptr + at + part.len, out->ptr + at, out->len - part.len - at);
		memcpy(out->ptr + at, part.ptr, part.len);
	}
	gw_buf_free(&part);
}

/* ---------------------------------------------------------------- the document */

/* The regions of part 0: preface [0, *pre), body [*pre, *con), conclusions [*con, end). */
static void
notice_regions(const xw *w, xpos end, xpos *pre, xpos *con)
{
	const gw_doc *d = w->d;
	xpos first = end, last = 0;

	for (size_t i = 0; i < d->nnodes; i++)
		if (d->nodes[i].part == 0 && d->nodes[i].parent < 0) {
			if (w->nsp[i].start < first)
				first = clamp(w, w->nsp[i].start);
			if (w->nsp[i].start > last)
				last = clamp(w, w->nsp[i].start);
		}
	*pre = 0;
	for (int f = 0; f < GW_NHFIELDS; f++) {
		xspan s = w->fspan[f];

		if (fieldtag[f].region == REGION_PRE && gw_header_has(&d->header, f) && s.start >= 0 &&
		    s.end <= first && s.end > *pre)
			*pre = s.end;
	}
	/* the rest of the line of the last preface element is preface too (a byte '\n' is a code
	 * point of its own: the walks go a byte at a time) */
	while (*pre > 0 && *pre < first && w->text[*pre] != '\n')
		(*pre)++;
	/* the signature and date of the covering notice close it: after its last numbered unit */
	*con = end;
	for (int f = 0; f < GW_NHFIELDS; f++) {
		xspan s = w->fspan[f];

		if (fieldtag[f].region == REGION_CON && gw_header_has(&d->header, f) && s.start >= *pre &&
		    s.start >= last && s.end <= end && s.start < *con)
			*con = s.start;
	}
	/* a conclusions that starts mid-line would split the line: take the whole line */
	while (*con > *pre && *con < end && w->text[*con - 1] != '\n')
		(*con)--;
}

static xel
put_doc_start(xw *w, xel parent, const char *name, const char *this, const char *title)
{
	xel doc = add_el_attrs(w, parent, "doc", "name", name, NULL);

	put_identification(w, add_el(w, doc, "meta"), name, this, title);
	return doc;
}

static void
put_attachment(xw *w, xel atts, int k, xpos a, xpos b)
{
	const gw_attachment *at = &w->d->atts[k - 1];
	xel att = add_el(w, atts, "attachment"), doc, el;
	xpos ts = w->tsp[k - 1].start, te = w->tsp[k - 1].end, body = a;
	char this[24]; /* "!att_K": the eId is what follows the ! */

	snprintf(this, sizeof this, "!att_%d", k);
	set_eid(w, att, this + 1);
	set_gw_spans(w, att, at->span, w->d->nnodes + (size_t)k - 1);
	doc = put_doc_start(w, att, "attachment", this, at->title ? at->title : "");
	if (ts >= a && te > ts && te <= b) {
		el = add_el(w, doc, "preface");
		put_paras(w, el, a, ts);
		put_inline(w, add_mixed(w, add_mixed(w, el, "p"), "docTitle"), ts, te);
		body = te;
	} else if (at->title) {
		el = add_mixed(w, add_el(w, doc, "preface"), "p");
		add_el_text(w, el, "docTitle", at->title);
	}
	put_part(w, add_el(w, doc, "mainBody"), k, body, b);
}

/* Notice body: preface, mainBody, conclusions over [0, end0). */
static void
put_notice(xw *w, xel doc, xpos end0)
{
	xpos pre, con;

	notice_regions(w, end0, &pre, &con);
	if (!blank(w, 0, pre))
		put_paras(w, add_el(w, doc, "preface"), 0, pre);
	else
		pre = 0;
	put_part(w, add_el(w, doc, "mainBody"), 0, pre, con);
	if (!blank(w, con, end0))
		put_paras(w, add_el(w, doc, "conclusions"), con, end0);
}

static void
put_attachments(xw *w, xel doc, xpos *start)
{
	const gw_doc *d = w->d;
	xel atts = add_el(w, doc, "attachments");

	for (size_t k = 1; k <= d->natts; k++) {
		xpos a = start[k - 1], b = k < d->natts ? start[k] : w->len;

		put_attachment(w, atts, (int)k, a, b < a ? a : b);
	}
}

/* Where each attachment's text starts (its title, else its body), kept in order. */
static xpos *
attachment_starts(const xw *w)
{
	const gw_doc *d = w->d;
	xpos *st = gw_xcalloc(d->natts + 1, sizeof *st), prev = 0;

	for (size_t k = 0; k < d->natts; k++) {
		xpos s = w->asp[k].start, t = w->tsp[k].start;

		if (t >= 0 && (s < 0 || t < s))
			s = t;
		if (s < 0)
			s = w->len; /* no text: an empty attachment at the end */
		s = clamp(w, s);
		st[k] = prev = s < prev ? prev : s;
	}
	return st;
}

/* find_escapes looks sixteen bytes at a time for the only bytes that can start a code point
 * that XML does not take as it is (the text is valid UTF-8, gw_doc_set_text): a C0 control but
 * TAB and LF, < > & and DEL, C2 (the C1 controls), EF before B7 or BF (U+FDD0..U+FDEF, U+FFFE,
 * U+FFFF) and F0 and above (U+1FFFE …).  Each look returns the first i (from i, by sixteen)
 * whose sixteen bytes hold one, and in *end the byte after it; or, fewer than seventeen bytes
 * left, that i and n. */
#ifdef __SSE2__
#define EQ(v, c) _mm_cmpeq_epi8(v, _mm_set1_epi8((char)(c)))
static size_t
look_sse2(const unsigned char *u, size_t i, size_t n, size_t *end)
{
	for (; i + 17 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
		__m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(u + i + 1));
		__m128i c0 = _mm_andnot_si128(_mm_or_si128(EQ(v, '\t'), EQ(v, '\n')),
		                              _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v));
		__m128i ef = _mm_and_si128(EQ(v, 0xEF), _mm_or_si128(EQ(v1, 0xB7), EQ(v1, 0xBF)));
		__m128i m = _mm_or_si128(_mm_or_si128(c0, ef), EQ(_mm_or_si128(v, _mm_set1_epi8(2)), '>'));

		m = _mm_or_si128(_mm_or_si128(m, EQ(v, '&')), _mm_or_si128(EQ(v, 0x7F), EQ(v, 0xC2)));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8((char)0xF0)), v));
		if (_mm_movemask_epi8(m) != 0) {
			*end = i + (size_t)__builtin_ctz((unsigned)_mm_movemask_epi8(m)) + 1;
			return i;
		}
	}
	*end = n;
	return i;
}
#endif

#ifdef HAVE_SSSE3_LOOK
/* The same look with SSSE3: a byte's class from two table lookups, by its high and by its low
 * nibble, the byte to escape where both have a bit in common (issue 14: 27 instructions a look
 * with the loop, not 45).  Bit 01: 00..0F but TAB and LF; 02: 10..1F and F0..FF; 04: '&';
 * 08: '<' and '>'; 10: DEL; 20: C2.  EF before B7 or BF as in look_sse2. */
__attribute__((target("ssse3"))) static size_t
look_ssse3(const unsigned char *u, size_t i, size_t n, size_t *end)
{
	const __m128i hi_class = _mm_setr_epi8(0x01, 0x02, 0x04, 0x08, 0, 0, 0, 0x10, 0, 0, 0, 0,
	                                       0x20, 0, 0, 0x02);
	const __m128i lo_class = _mm_setr_epi8(0x03, 0x03, 0x23, 0x03, 0x03, 0x03, 0x07, 0x03, 0x03,
	                                       0x02, 0x02, 0x03, 0x0B, 0x03, 0x0B, 0x13);
	const __m128i nibble = _mm_set1_epi8(0x0F);

	for (; i + 17 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
		__m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(u + i + 1));
		__m128i cls = _mm_and_si128(
		    _mm_shuffle_epi8(hi_class, _mm_and_si128(_mm_srli_epi16(v, 4), nibble)),
		    _mm_shuffle_epi8(lo_class, _mm_and_si128(v, nibble)));
		/* EF before B7 or BF, which differ in bit 3 only */
		__m128i ef = _mm_and_si128(EQ(v, 0xEF), EQ(_mm_or_si128(v1, _mm_set1_epi8(8)), 0xBF));
		/* a bit for each byte that stays: no class, and no such EF */
		unsigned m = (unsigned)_mm_movemask_epi8(
		    _mm_andnot_si128(ef, _mm_cmpeq_epi8(cls, _mm_setzero_si128())));

		if (m != 0xFFFF) {
			*end = i + (size_t)__builtin_ctz(~m) + 1;
			return i;
		}
	}
	*end = n;
	return i;
}

/* Whether the CPU has SSSE3: glibc's answer where it has one (a CPUID may trap to the
 * hypervisor), else CPUID once. */
static bool
have_ssse3(void)
{
#ifdef HAVE_GLIBC_CPU
	return CPU_FEATURE_ACTIVE(SSSE3);
#else
	static atomic_int have = -1;
	int v = atomic_load_explicit(&have, memory_order_relaxed);
	unsigned a, b, c, d;

	if (v < 0) {
		v = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSSE3);
		atomic_store_explicit(&have, v, memory_order_relaxed);
	}
	return v;
#endif
}
#endif
#undef EQ

/* w->esc: the code points from the byte a look stops at are decoded up to that byte's. */
static void
find_escapes(xw *w)
{
	const uint64_t *ascii = ascii_plain[GW_ESC_XML_TEXT];
	const unsigned char *u = (const unsigned char *)w->text;
	size_t i = 0, n = (size_t)w->len, cap = 0;
#ifdef HAVE_SSSE3_LOOK
	size_t (*look)(const unsigned char *, size_t, size_t, size_t *) =
	    have_ssse3() ? look_ssse3 : look_sse2;
#endif

	while (i < n) {
		size_t end = n;
		uint32_t c;
		int k;

#if defined(HAVE_SSSE3_LOOK)
		i = look(u, i, n, &end);
#elif defined(__SSE2__)
		i = look_sse2(u, i, n, &end);
#endif
		while (i > 0 && (u[i] & 0xC0) == 0x80) /* the start of the code point i is in */
			i--;
		for (; i < end; i += (size_t)k) {
			bool bad = u[i] < 0x80 && !((ascii[u[i] >> 6] >> (u[i] & 63)) & 1);

			if (u[i] < 0x80)
				k = 1;
			else if ((k = gw_utf8_decode_fast(w->text + i, n - i, &c)) == 0 || !xml_char_ok(c))
				bad = true, k += k == 0;
			if (bad) {
				if (w->nesc == cap)
					gw_grow((void **)&w->esc, &cap, w->nesc + 1, sizeof *w->esc);
				w->esc[w->nesc++] = (xpos)i;
			}
		}
	}
}

static void
xw_init(xw *w, const gw_doc *d, gw_buf *out)
{
	memset(w, 0, sizeof *w);
	w->d = d;
	w->out = out;
	w->text = d->text ? d->text : "";
	w->len = d->text ? (xpos)d->text_len : 0;
	find_escapes(w);
	w->nsp = gw_xmalloc((2 * d->nnodes + 2 * d->natts + 1) * sizeof *w->nsp);
	w->hsp = w->nsp + d->nnodes, w->asp = w->hsp + d->nnodes, w->tsp = w->asp + d->natts;
	for (size_t i = 0; i < d->nnodes; i++)
		w->nsp[i] = to_bytes(w, d->nodes[i].span), w->hsp[i] = to_bytes(w, d->nodes[i].heading_span);
	for (size_t k = 0; k < d->natts; k++)
		w->asp[k] = to_bytes(w, d->atts[k].span), w->tsp[k] = to_bytes(w, d->atts[k].title_span);
	w->qplaced = gw_xcalloc(d->nqs + 1, sizeof *w->qplaced);
	gw_idset_init(&w->ids, d->nnodes + d->nqs + 16);
	for (int f = 0; f < GW_NHFIELDS; f++)
		w->fspan[f] = to_bytes(w, d->header.f[f].span);
	if (w->fspan[GW_H_ADDRESSEES].start < 0 && d->header.addressees.n)
		w->fspan[GW_H_ADDRESSEES] = addressee_line(w);
	marks_collect(w);
}

static void
xw_free(xw *w)
{
	free(w->nsp);
	free(w->esc);
	free(w->marks);
	free(w->qplaced);
	free(w->st);
	gw_idset_free(&w->ids);
	gw_buf_free(&w->tmp);
}

void
gw_xml_write(const gw_doc *d, gw_buf *out)
{
	gw_xml_write_src(d, out, NULL);
}

void
gw_xml_write_src(const gw_doc *d, gw_buf *out, const gw_srcrange *src)
{
	const char *name = d->is_notice == 0 ? "document" : "notice";
	xel root, doc, meta;
	xpos *starts;
	size_t at;
	xw w;

	xw_init(&w, d, out);
	w.src = src;
	gw_buf_reserve(out, 3 * d->ncp + 3 * (size_t)w.len + 16384); /* one allocation */
	gw_buf_adds(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	root = open_el(&w, -1, false, "akomaNtoso");
	gw_buf_adds(out, " xmlns=\"" AKN_NS "\" xmlns:gw=\"" GW_NS "\"");
	doc = put_doc_start(&w, root, name, "!main", NULL);
	meta = doc + 1;
	put_references(&w, meta);
	put_proprietary(&w, meta);
	close_to(&w, meta);
	at = out->len;
	starts = attachment_starts(&w);
	put_notice(&w, doc, d->natts ? starts[0] : w.len);
	if (d->natts)
		put_attachments(&w, doc, starts);
	close_to(&w, -1);
	put_unplaced(&w, meta, at);
	free(starts);
	xw_free(&w);
}
