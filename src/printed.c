/* printed.c — the segmenter's last step: header fields, node numbers and headings as the source printed them, the full-width forms the normaliser folded given back. */
#include <stdlib.h>
#include <string.h>

#include "segment.h"

/* Bytes an ASCII character takes in the source encoding. */
static uint32_t
ascii_width(const char *enc)
{
	if (enc && strncmp(enc, "UTF-16", 6) == 0)
		return 2;
	if (enc && strncmp(enc, "UTF-32", 6) == 0)
		return 4;
	return 1;
}

/* Whether s[0, n) holds an ASCII graphic character (issue 14: eight bytes at a time, as CJK
 * text has no byte below 0x80). */
static bool
ascii_graphic(const char *s, size_t n)
{
	uint64_t w;

	for (size_t i = 0; i < n; i++) {
		if (i + 8 <= n) {
			memcpy(&w, s + i, 8);
			if ((w & 0x8080808080808080u) == 0x8080808080808080u) {
				i += 7;
				continue;
			}
		}
		if (s[i] > 0x20 && s[i] < 0x7F)
			return true;
	}
	return false;
}

/* *p (a header field, a node's number or heading, copied from span sp of the text) with the
 * full-width forms the source printed: GUIDE.md gives the 发文字号 and the title exactly as
 * printed.  The normaliser folded a character from a full-width form when it is ASCII and took
 * more source bytes than ASCII does, aw (［２０２２］ became [2022]).  A copy is made from the
 * first such character on. */
static void
restore(gw_doc *d, char **p, gw_span sp, uint32_t aw)
{
	gw_buf b = GW_BUF_INIT;
	const char *s = *p;
	size_t n = s ? strlen(s) : 0, i = 0, atk;
	int32_t k = sp.start;
	bool changed = false; /* and b holds s as printed up to i */

	if (!ascii_graphic(s, n) || sp.start < 0) /* only an ASCII character can have been folded */
		return;                               /* from a wide one, and only in text with a span */
	atk = gw_doc_cp_to_byte(d, sp.start);
	while (i < n) {
		uint32_t c, t = 0, ss, se;
		int len = gw_utf8_decode(s + i, n - i, &c), tl = 0;
		int32_t j = k;
		size_t at = atk; /* byte of code point j: the text is walked, not looked up */

		if (len <= 0)
			break;
		/* the same character in the text (a joined title skips its line break) */
		while (j < sp.end) {
			tl = gw_utf8_decode(d->text + at, d->text_len - at, &t);
			if (tl <= 0 || t == c)
				break;
			j++, at += (size_t)tl;
		}
		if (j < sp.end && t == c) {
			if (c > 0x20 && c < 0x7F &&
			    gw_doc_src_range(d, (gw_span){j, j + 1}, &ss, &se) && se - ss > aw) {
				if (!changed)
					gw_buf_put(&b, s, i);
				c += 0xFEE0, changed = true;
			}
			k = j + 1, atk = at + (size_t)tl;
		}
		if (changed)
			gw_buf_put_cp(&b, c);
		i += (size_t)len;
	}
	if (changed)
		gw_doc_set_str(d, p, b.ptr, b.len);
	gw_buf_free(&b);
}

/* Every header field (the parsed parts of the 发文字号 stay folded), node number and heading as
 * printed: １６．住房保障 stays full width, as GUIDE.md wants headings copied from the source.
 * The spans still point into the normalised text. */
void
gw_printed_restore(gw_doc *d)
{
	uint32_t aw = ascii_width(d->encoding);

	if (d->nruns == 0)
		return; /* the text is the source: nothing was folded */
	for (int f = 0; f < GW_NHFIELDS; f++) {
		gw_strlist *l = gw_header_list(&d->header, f);

		restore(d, &d->header.f[f].text, d->header.f[f].span, aw);
		for (size_t i = 0; l && i < l->n; i++) /* 主送机关 and 抄送机关 item by item */
			restore(d, &l->items[i], l->spans[i], aw);
	}
	for (size_t i = 0; i < d->nnodes; i++) {
		gw_node *n = &d->nodes[i];
		int32_t nl = (int32_t)gw_utf8_count(n->num, strlen(n->num));

		restore(d, &n->heading, n->heading_span, aw);
		restore(d, &n->num, (gw_span){n->span.start, n->span.start + nl}, aw);
	}
}
