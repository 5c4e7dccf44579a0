/* html.c — a self-contained HTML5 page of a document (header card, outline, the text with every
 * quantity marked, the targets table), and the index page of an output folder. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "internal.h"

/* The page's only script: sorts a table.sortable by the column whose header is clicked (or gets
 * Enter).  The table is plain HTML and complete without it.  The Content-Security-Policy of the
 * page allows this script by its hash and nothing else, so no script in a document can run even
 * if escaping were ever wrong. */
static const char sort_script[] =
    "document.querySelectorAll('table.sortable th').forEach(function(th,i){"
    "th.tabIndex=0;function go(){var tb=th.closest('table').tBodies[0],"
    "rows=Array.prototype.slice.call(tb.rows),up=th.getAttribute('aria-sort')!=='ascending';"
    "rows.sort(function(a,b){var x=a.cells[i],y=b.cells[i],u=x.getAttribute('data-v'),"
    "v=y.getAttribute('data-v'),c=u!==null&&v!==null?u-v:"
    "x.textContent.localeCompare(y.textContent,'zh');return up?c:-c;});"
    "rows.forEach(function(r){tb.appendChild(r);});"
    "th.parentNode.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort');});"
    "th.setAttribute('aria-sort',up?'ascending':'descending');}"
    "th.addEventListener('click',go);"
    "th.addEventListener('keydown',function(ev){if(ev.key==='Enter')go();});});"
    "document.documentElement.className='js';";

/* Three kinds, three colours (orange, blue, grey: apart for the usual colour blindnesses) that
 * also differ in line: a solid box, a double underline, a dotted underline (apart in grey). */
static const char style[] =
    "body{font:16px/1.7 'Noto Serif CJK SC','Source Han Serif SC',SimSun,'WenQuanYi Micro Hei',"
    "serif;margin:0 auto;max-width:60em;padding:1em;color:#111;background:#fff}"
    "h1{font-size:1.5em;text-align:center}h2{font-size:1.2em;border-bottom:1px solid #999}"
    ".card{border:1px solid #888;border-radius:6px;padding:.5em 1em;background:#fafafa}"
    ".card dl{display:grid;grid-template-columns:8em 1fr;margin:0}.card dt{font-weight:bold}"
    ".card dd{margin:0}.warn{color:#8a2c00}"
    ".outline ol{margin:0;padding-left:1.5em;list-style:none}.outline summary{font-weight:bold}"
    ".text{white-space:pre-wrap;border-left:3px solid #ddd;padding-left:1em}"
    ".u{border-left:1px dotted #bbb;padding-left:.5em}"
    ".q,.key{position:relative;color:inherit;text-decoration:none;padding:0 1px}"
    ".q-target,.key-target{background:#ffd8a8;border:2px solid #b35900}"
    ".q-fact,.key-fact{background:#cfe4ff;border-bottom:4px double #0050a0}"
    ".q-other,.key-other{background:#eee;border-bottom:2px dotted #555}"
    ".q:focus{outline:3px solid #000}"
    ".q:focus::after{content:attr(title);position:absolute;left:0;top:1.6em;z-index:2;"
    "white-space:pre;font-size:.85em;background:#ffffe0;border:1px solid #333;padding:.2em .4em}"
    "table{border-collapse:collapse;width:100%}th,td{border:1px solid #aaa;padding:.2em .4em;"
    "vertical-align:top}th{background:#eee}.js th{cursor:pointer}"
    "th[aria-sort=ascending]::after{content:' \\25B2'}"
    "th[aria-sort=descending]::after{content:' \\25BC'}"
    "td.n{text-align:right}:target{outline:3px solid #000}";

/* Header card labels: the names GB/T 9704-2012 clause 7 gives the elements. */
#define HF_LABEL(id, name, kind, lead, akn, alias, nest, region, label) [GW_H_##id] = label,
static const char *const field_label[GW_NHFIELDS] = {GW_HFIELDS(HF_LABEL)};

/* The order of the card: who, which, what, to whom, when, then the rest. */
static const enum gw_hfield card_order[GW_NHFIELDS] = {
    GW_H_ISSUER,     GW_H_DOC_NUMBER,  GW_H_TITLE,           GW_H_DOC_TYPE, GW_H_ADDRESSEES,
    GW_H_DATE,       GW_H_SIGNATURE,   GW_H_ATTACHMENT_NOTE, GW_H_CC,       GW_H_PRINTER,
    GW_H_PRINT_DATE, GW_H_ISSUER_MARK, GW_H_COPY_NO,         GW_H_SECRECY,  GW_H_URGENCY,
    GW_H_SIGNER,     GW_H_NOTE,
};

static const char *const cmp_sign[] = {"=", "≥", ">", "≤", "<", "≈", "–"};

/* ---------------------------------------------------------------- escaping */

static void
put_str(gw_buf *o, const char *s)
{
	if (s)
		gw_escape(o, s, strlen(s), GW_ESC_HTML_TEXT);
}

/* s as text between two pieces of markup. */
static void
put_in(gw_buf *o, const char *before, const char *s, const char *after)
{
	gw_buf_puts(o, before);
	put_str(o, s);
	gw_buf_puts(o, after);
}

/* An id attribute value or fragment: escaped, and no whitespace (HTML5 ids have none). */
static void
put_id(gw_buf *o, const char *prefix, const char *id)
{
	char *s = gw_xstrdup(id ? id : "");

	for (char *p = s; *p; p++)
		if (strchr(" \t\n\f\r", *p))
			*p = '_';
	gw_buf_puts(o, prefix);
	gw_escape(o, *s ? s : "_", *s ? strlen(s) : 1, GW_ESC_HTML_ATTR);
	free(s);
}

/* A file name as a relative URL: every byte outside [A-Za-z0-9._~-] percent-encoded. */
static void
put_href(gw_buf *o, const char *name, const char *ext)
{
	for (const unsigned char *s = (const unsigned char *)name; *s; s++)
		if (strchr("._~-", *s) || (*s >= '0' && *s <= '9') ||
		    ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z'))
			gw_buf_putc(o, *s);
		else
			gw_buf_printf(o, "%%%02X", *s);
	gw_buf_puts(o, ext);
}

/* The Content-Security-Policy source of the script: sha256 in base64. */
static void
put_script_hash(gw_buf *o)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char hex[65];
	unsigned char raw[33] = {0};

	gw_sha256_hex(sort_script, sizeof sort_script - 1, hex);
	for (int i = 0; i < 32; i++)
		raw[i] = (unsigned char)strtoul((char[]){hex[2 * i], hex[2 * i + 1], 0}, NULL, 16);
	gw_buf_puts(o, "'sha256-");
	for (int i = 0; i < 33; i += 3) {
		unsigned v = (unsigned)raw[i] << 16 | (unsigned)raw[i + 1] << 8 | raw[i + 2];

		gw_buf_putc(o, b64[v >> 18 & 63]);
		gw_buf_putc(o, b64[v >> 12 & 63]);
		gw_buf_putc(o, i + 1 < 32 ? b64[v >> 6 & 63] : '=');
		gw_buf_putc(o, i + 2 < 32 ? b64[v & 63] : '=');
	}
	gw_buf_putc(o, '\'');
}

static void
page_start(gw_buf *o, const char *title)
{
	gw_buf_puts(o, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
	               "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	               "style-src 'unsafe-inline'; script-src ");
	put_script_hash(o);
	gw_buf_puts(
	    o, "\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	       "<meta name=\"generator\" content=\"gongwen " GW_VERSION "\">\n<title>");
	put_str(o, title);
	gw_buf_printf(o, "</title>\n<style>%s</style>\n</head>\n<body>\n", style);
}

static void
page_end(gw_buf *o)
{
	gw_buf_printf(o, "<script>%s</script>\n</body>\n</html>\n", sort_script);
}

/* ---------------------------------------------------------------- the document page */

typedef struct hw {
	const gw_doc *d;
	gw_buf *o;
	size_t *off; /* off[cp]: byte offset of code point cp; off[ncp] = text_len */
	int32_t ncp;
	int *norder, *qorder; /* nodes by (start, longest first), quantities by start */
	int *stack;           /* the units open at the walk's position */
	int depth, open_q;
	size_t nk[3]; /* quantities of each kind */
	bool *placed;
} hw;

/* Sort keys: by a, then b, then index (qsort is not stable; the page must be deterministic). */
typedef struct key {
	int32_t a, b;
	int i;
} key;

static int
key_cmp(const void *pa, const void *pb)
{
	const key *x = pa, *y = pb;

	if (x->a != y->a)
		return x->a < y->a ? -1 : 1;
	if (x->b != y->b)
		return x->b < y->b ? -1 : 1;
	return x->i - y->i;
}

/* order[0..n) of the items keyed k[0..n). */
static int *
sorted(key *k, size_t n)
{
	int *order = gw_xcalloc(n + 1, sizeof *order);

	qsort(k, n, sizeof *k, key_cmp);
	for (size_t i = 0; i < n; i++)
		order[i] = k[i].i;
	free(k);
	return order;
}

static void
hw_init(hw *w, const gw_doc *d, gw_buf *o)
{
	key *nk = gw_xcalloc(d->nnodes + 1, sizeof *nk), *qk = gw_xcalloc(d->nqs + 1, sizeof *qk);
	int32_t cp = 0;

	*w = (hw){d, o, NULL, 0, NULL, NULL, NULL, 0, -1, {0, 0, 0}, NULL};
	w->off = gw_xcalloc(d->text_len + 2, sizeof *w->off);
	for (size_t i = 0; d->text && i < d->text_len; cp++) {
		uint32_t c;
		int k = gw_utf8_decode(d->text + i, d->text_len - i, &c);

		w->off[cp] = i;
		i += k ? (size_t)k : 1;
	}
	w->off[cp] = d->text_len;
	w->ncp = cp;
	for (size_t i = 0; i < d->nnodes; i++)
		nk[i] = (key){d->nodes[i].span.start, -d->nodes[i].span.end, (int)i};
	for (size_t i = 0; i < d->nqs; i++) {
		qk[i] = (key){d->qs[i].span.start, 0, (int)i};
		w->nk[d->qs[i].kind <= GW_Q_OTHER ? d->qs[i].kind : GW_Q_OTHER]++;
	}
	w->norder = sorted(nk, d->nnodes);
	w->qorder = sorted(qk, d->nqs);
	w->stack = gw_xcalloc(d->nnodes + 1, sizeof *w->stack);
	w->placed = gw_xcalloc(d->nqs + 1, sizeof *w->placed);
}

static void
hw_free(hw *w)
{
	free(w->off);
	free(w->norder);
	free(w->qorder);
	free(w->stack);
	free(w->placed);
}

/* Text of code points [a, b), clamped to the text. */
static void
put_cps(hw *w, int32_t a, int32_t b)
{
	a = a < 0 ? 0 : a > w->ncp ? w->ncp : a;
	b = b < a ? a : b > w->ncp ? w->ncp : b;
	gw_escape(w->o, w->d->text + w->off[a], w->off[b] - w->off[a], GW_ESC_HTML_TEXT);
}

/* The value (60), the range (3–11, –5, 8–) or both; nothing when the quantity has neither. */
static void
put_value(gw_buf *o, const gw_quantity *q)
{
	if (q->has_value)
		gw_buf_put_number(o, q->value);
	if (q->has_min || q->has_max) {
		if (q->has_min)
			gw_buf_put_number(o, q->min);
		gw_buf_puts(o, "–");
		if (q->has_max)
			gw_buf_put_number(o, q->max);
	}
}

/* What a mark shows on hover and focus: one "name: value" a line. */
static void
put_qty_title(gw_buf *o, const gw_quantity *q)
{
	gw_buf t = GW_BUF_INIT;

	gw_buf_printf(&t, "%s\n%s: ", gw_qkind_name(q->kind),
	              q->has_min || q->has_max ? "range" : "value");
	put_value(&t, q);
	gw_buf_putc(&t, '\n');
	gw_buf_printf(&t, "unit: %s\ncomparator: %s\nsubject: %s\nverb: %s\nrule: %s",
	              q->unit ? q->unit : "—", gw_cmp_name(q->cmp), q->subject ? q->subject : "—",
	              q->verb ? q->verb : "—", q->rule ? q->rule : "—");
	gw_escape(o, t.ptr, t.len, GW_ESC_HTML_ATTR);
	gw_buf_free(&t);
}

/* One element per quantity: a link to its row for a target, focusable for the others. */
static void
open_mark(hw *w, int qi)
{
	const gw_quantity *q = &w->d->qs[qi];
	const char *kind = gw_qkind_name(q->kind);

	gw_buf_printf(w->o, "<a class=\"q q-%s\" id=\"", kind);
	put_id(w->o, "", q->id);
	if (q->kind == GW_Q_TARGET) {
		gw_buf_puts(w->o, "\" href=\"#");
		put_id(w->o, "row-", q->id);
	} else
		gw_buf_puts(w->o, "\" tabindex=\"0");
	gw_buf_puts(w->o, "\" title=\"");
	put_qty_title(w->o, q);
	gw_buf_puts(w->o, "\">");
	w->placed[qi] = true;
	w->open_q = qi;
}

static void
close_mark(hw *w)
{
	if (w->open_q >= 0)
		gw_buf_puts(w->o, "</a>");
	w->open_q = -1;
}

/* Close the units that end at or before cp, innermost first. */
static void
close_units(hw *w, int32_t cp)
{
	while (w->depth > 0 && w->d->nodes[w->stack[w->depth - 1]].span.end <= cp) {
		close_mark(w);
		gw_buf_puts(w->o, "</div>");
		w->depth--;
	}
}

static void
open_unit(hw *w, int i)
{
	const gw_node *n = &w->d->nodes[i];

	close_mark(w);
	gw_buf_printf(w->o, "<div class=\"u u-%s\" id=\"", gw_kind_name(n->kind));
	put_id(w->o, "", n->id);
	gw_buf_puts(w->o, "\">");
	w->stack[w->depth++] = i;
}

/* The events at code point cp: marks and units that end, units, attachments and marks that
 * start.  A mark that a unit boundary or another mark cuts ends there: every quantity still has
 * exactly one element. */
static void
walk_events(hw *w, int32_t cp, size_t *ni, size_t *qi, size_t *ai)
{
	const gw_doc *d = w->d;

	if (w->open_q >= 0 && d->qs[w->open_q].span.end <= cp)
		close_mark(w);
	close_units(w, cp);
	for (; *ni < d->nnodes && d->nodes[w->norder[*ni]].span.start <= cp; ++*ni) {
		close_units(w, cp);
		open_unit(w, w->norder[*ni]);
	}
	for (; *ai < d->natts && d->atts[*ai].span.start <= cp; ++*ai) {
		close_mark(w);
		gw_buf_printf(w->o, "<span class=\"att\" id=\"att-%zu\"></span>", *ai + 1);
	}
	for (; *qi < d->nqs && d->qs[w->qorder[*qi]].span.start <= cp; ++*qi) {
		if (d->qs[w->qorder[*qi]].span.start < 0)
			continue;
		close_mark(w);
		open_mark(w, w->qorder[*qi]);
		if (d->qs[w->open_q].span.end <= cp)
			close_mark(w);
	}
}

static void
put_text(hw *w)
{
	size_t ni = 0, qi = 0, ai = 0;
	bool unplaced = false;

	gw_buf_puts(w->o, "<main class=\"text\" id=\"text\">");
	for (int32_t cp = 0; cp <= w->ncp; cp++) {
		walk_events(w, cp, &ni, &qi, &ai);
		if (cp < w->ncp)
			put_cps(w, cp, cp + 1);
	}
	close_mark(w);
	close_units(w, INT32_MAX);
	/* a quantity whose span is not in the text (a record read back) still gets its mark */
	for (size_t i = 0; i < w->d->nqs; i++)
		if (!w->placed[i]) {
			if (!unplaced)
				gw_buf_puts(w->o, "<p class=\"unplaced\">not in the text: ");
			unplaced = true;
			open_mark(w, (int)i);
			put_str(w->o, w->d->qs[i].text);
			close_mark(w);
			gw_buf_putc(w->o, ' ');
		}
	if (unplaced)
		gw_buf_puts(w->o, "</p>");
	gw_buf_puts(w->o, "</main>\n");
}

/* ---------------------------------------------------------------- around the text */

static void
put_dd(gw_buf *o, const char *label, const char *text)
{
	put_in(o, "<dt>", label, "</dt><dd>");
	put_in(o, "", text, "</dd>\n");
}

/* The GB/T 9704 warnings and the other diagnostics of the document. */
static void
put_warnings(gw_buf *o, const gw_doc *d)
{
	if (d->ndiags == 0) {
		gw_buf_puts(o, "<p class=\"nowarn\">No warnings.</p>\n");
		return;
	}
	gw_buf_printf(o, "<details open class=\"warn\"><summary>%zu warning%s</summary><ul>\n",
	              d->ndiags, d->ndiags == 1 ? "" : "s");
	for (size_t i = 0; i < d->ndiags; i++) {
		const gw_diag *g = &d->diags[i];

		gw_buf_puts(o, "<li>");
		if (g->line > 0)
			gw_buf_printf(o, "line %ld: ", g->line);
		gw_buf_printf(o, "%s: <code>%s</code>: ", gw_level_name(gw_code_level(g->code)),
		              gw_code_name(g->code));
		put_str(o, gw_code_message(g->code));
		if (g->detail)
			put_in(o, ": ", g->detail, "");
		gw_buf_puts(o, "</li>\n");
	}
	gw_buf_puts(o, "</ul></details>\n");
}

static void
put_card(gw_buf *o, const gw_doc *d)
{
	const gw_header *h = &d->header;

	put_in(o, "<header class=\"card\" id=\"header\">\n<h1>",
	       h->f[GW_H_TITLE].text ? h->f[GW_H_TITLE].text : d->id, "</h1>\n<dl>\n");
	put_dd(o, "id", d->id);
	if (d->is_notice == 0)
		put_dd(o, "公文", "no: the text is not a notice");
	for (int k = 0; k < GW_NHFIELDS; k++) {
		enum gw_hfield f = card_order[k];

		if (h->f[f].text)
			put_dd(o, field_label[f], h->f[f].text);
		if (f == GW_H_DATE && h->date)
			put_dd(o, "成文日期 (ISO)", h->date);
		if (f == GW_H_ATTACHMENT_NOTE)
			for (size_t i = 0; i < d->natts; i++) {
				gw_buf_printf(o, "<dt>附件 %zu</dt><dd><a href=\"#att-%zu\">",
				              i + 1, i + 1);
				put_in(o, "", d->atts[i].title, "</a></dd>\n");
			}
	}
	gw_buf_puts(o, "</dl>\n");
	put_warnings(o, d);
	gw_buf_puts(o, "</header>\n");
}

static void put_outline_list(hw *w, int first);

/* One unit of the outline: its number and heading (or the start of its line), its children. */
static void
put_outline_item(hw *w, int i)
{
	const gw_node *n = &w->d->nodes[i];
	int32_t a = n->span.start, b = a;

	gw_buf_puts(w->o, "<li><a href=\"#");
	put_id(w->o, "", n->id);
	gw_buf_puts(w->o, "\">");
	if (n->heading) {
		put_str(w->o, n->num);
		put_str(w->o, n->heading);
	} else {
		while (b < n->span.end && b < w->ncp && b - a < 24 && w->d->text[w->off[b]] != '\n')
			b++;
		put_cps(w, a, b);
	}
	gw_buf_puts(w->o, "</a>");
	if (n->first_child >= 0)
		put_outline_list(w, n->first_child);
	gw_buf_puts(w->o, "</li>\n");
}

static void
put_outline_list(hw *w, int first)
{
	gw_buf_puts(w->o, "<ol>\n");
	for (int i = first; i >= 0 && (size_t)i < w->d->nnodes; i = w->d->nodes[i].next_sibling)
		put_outline_item(w, i);
	gw_buf_puts(w->o, "</ol>\n");
}

/* Top-level units of one part (0: the notice, k: attachment k). */
static void
put_outline_part(hw *w, int part)
{
	bool any = false;

	for (size_t i = 0; i < w->d->nnodes; i++) {
		const gw_node *n = &w->d->nodes[i];

		if (n->parent >= 0 || n->part != part)
			continue;
		gw_buf_puts(w->o, any ? "" : "<ol>\n");
		any = true;
		put_outline_item(w, (int)i);
	}
	if (any)
		gw_buf_puts(w->o, "</ol>\n");
}

static void
put_outline(hw *w)
{
	const gw_doc *d = w->d;

	gw_buf_printf(w->o,
	              "<nav class=\"outline\" id=\"outline\"><details><summary>Outline: %zu "
	              "numbered unit%s, %zu attachment%s</summary>\n",
	              d->nnodes, d->nnodes == 1 ? "" : "s", d->natts, d->natts == 1 ? "" : "s");
	if (d->nnodes == 0 && d->natts == 0)
		gw_buf_puts(w->o, "<p>No numbered units.</p>\n");
	put_outline_part(w, 0);
	if (d->natts)
		gw_buf_puts(w->o, "<ul>\n");
	for (size_t k = 0; k < d->natts; k++) {
		gw_buf_printf(w->o, "<li><a href=\"#att-%zu\">附件 %zu ", k + 1, k + 1);
		put_in(w->o, "", d->atts[k].title, "</a>\n");
		put_outline_part(w, (int)k + 1);
		gw_buf_puts(w->o, "</li>\n");
	}
	if (d->natts)
		gw_buf_puts(w->o, "</ul>\n");
	gw_buf_puts(w->o, "</details></nav>\n");
}

/* The legend: a sample of each kind's mark and how many the document has. */
static void
put_counts(hw *w)
{
	gw_buf_puts(w->o, "<p class=\"counts\" id=\"counts\">");
	for (int k = GW_Q_TARGET; k <= GW_Q_OTHER; k++)
		gw_buf_printf(
		    w->o,
		    "%s<span class=\"key key-%s\">%s</span> <b id=\"n-%s\" data-n=\"%zu\">%zu</b>",
		    k ? " · " : "", gw_qkind_name(k), gw_qkind_name(k), gw_qkind_name(k), w->nk[k],
		    w->nk[k]);
	gw_buf_puts(w->o, "</p>\n");
}

static bool
is_sentence_end(uint32_t c)
{
	return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == 0xFF1B || c == '\n';
}

static uint32_t
cp_at(const hw *w, int32_t i)
{
	uint32_t c = 0;

	gw_utf8_decode(w->d->text + w->off[i], w->off[i + 1] - w->off[i], &c);
	return c;
}

/* The sentence around q: from the last 。！？；or line end before it to the next, at most 120
 * characters each way; the quantity itself in <b>. */
static void
put_sentence(hw *w, const gw_quantity *q)
{
	int32_t s = q->span.start, e = q->span.end, a = s, b = e;

	if (s < 0 || e > w->ncp || s > e) {
		put_str(w->o, q->text);
		return;
	}
	while (a > 0 && s - a < 120 && !is_sentence_end(cp_at(w, a - 1)))
		a--;
	while (b < w->ncp && b - e < 120 && !is_sentence_end(cp_at(w, b)))
		b++;
	if (b < w->ncp && cp_at(w, b) != '\n')
		b++;
	put_cps(w, a, s);
	gw_buf_puts(w->o, "<b>");
	put_cps(w, s, e);
	gw_buf_puts(w->o, "</b>");
	put_cps(w, e, b);
}

static void
put_target_row(hw *w, const gw_quantity *q, size_t nth)
{
	gw_buf *o = w->o;
	const gw_node *n =
	    q->node >= 0 && (size_t)q->node < w->d->nnodes ? &w->d->nodes[q->node] : NULL;

	gw_buf_puts(o, "<tr id=\"");
	put_id(o, "row-", q->id);
	gw_buf_printf(o, "\"><td class=\"n\" data-v=\"%zu\"><a href=\"#", nth);
	put_id(o, "", q->id);
	gw_buf_printf(o, "\">%zu</a></td><td class=\"n\"", nth);
	if (q->has_value || q->has_min || q->has_max) {
		gw_buf_puts(o, " data-v=\"");
		gw_buf_put_number(o, q->has_value ? q->value : q->has_min ? q->min : q->max);
		gw_buf_putc(o, '"');
	}
	gw_buf_putc(o, '>');
	put_value(o, q);
	put_in(o, "</td><td>", q->unit, "");
	gw_buf_printf(o, "</td><td>%s %s</td><td>",
	              (unsigned)q->cmp <= GW_CMP_RANGE ? cmp_sign[q->cmp] : "",
	              gw_cmp_name(q->cmp));
	if (n) {
		gw_buf_puts(o, "<a href=\"#");
		put_id(o, "", n->id);
		put_in(o, "\">", n->num, "</a>");
	}
	gw_buf_puts(o, "</td><td>");
	put_sentence(w, q);
	gw_buf_puts(o, "</td></tr>\n");
}

static void
put_targets(hw *w)
{
	size_t nth = 0;

	gw_buf_printf(w->o, "<section id=\"targets\">\n<h2>Targets (%zu)</h2>\n",
	              w->nk[GW_Q_TARGET]);
	if (w->nk[GW_Q_TARGET] == 0) {
		gw_buf_puts(w->o, "<p>No targets.</p>\n</section>\n");
		return;
	}
	gw_buf_puts(w->o,
	            "<table class=\"sortable\">\n<thead><tr><th>#</th><th>value</th><th>unit</th>"
	            "<th>comparator</th><th>in unit</th><th>sentence</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < w->d->nqs; i++)
		if (w->d->qs[w->qorder[i]].kind == GW_Q_TARGET)
			put_target_row(w, &w->d->qs[w->qorder[i]], ++nth);
	gw_buf_puts(w->o, "</tbody>\n</table>\n</section>\n");
}

void
gw_html_write(const gw_doc *d, gw_buf *out)
{
	hw w;

	hw_init(&w, d, out);
	page_start(out, d->header.f[GW_H_TITLE].text ? d->header.f[GW_H_TITLE].text : d->id);
	put_card(out, d);
	put_outline(&w);
	put_counts(&w);
	put_text(&w);
	put_targets(&w);
	page_end(out);
	hw_free(&w);
}

/* ---------------------------------------------------------------- the index page */

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of dir's *.json files, sorted; *n receives how many. */
static char **
json_files(const char *dir, size_t *n)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t cap = 0;

	*n = 0;
	while (dp && (de = readdir(dp)) != NULL) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len <= 5 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		gw_grow((void **)&names, &cap, *n + 1, sizeof *names);
		names[(*n)++] = gw_xstrndup(de->d_name, len - 5);
	}
	if (dp)
		closedir(dp);
	if (*n)
		qsort(names, *n, sizeof *names, name_cmp);
	return names;
}

static gw_doc *
read_record(const char *dir, const char *stem)
{
	gw_buf path = GW_BUF_INIT, bytes = GW_BUF_INIT, err = GW_BUF_INIT;
	char chunk[65536];
	size_t k;
	FILE *fp;
	gw_doc *d = NULL;

	gw_buf_printf(&path, "%s/%s.json", dir, stem);
	if ((fp = fopen(path.ptr, "rb")) != NULL) {
		while ((k = fread(chunk, 1, sizeof chunk, fp)) > 0)
			gw_buf_put(&bytes, chunk, k);
		fclose(fp);
		d = gw_json_read(bytes.ptr ? bytes.ptr : "", bytes.len, &err);
	}
	gw_buf_free(&path);
	gw_buf_free(&bytes);
	gw_buf_free(&err);
	return d;
}

static void
put_index_row(gw_buf *o, const char *stem, const gw_doc *d)
{
	const gw_header *h = &d->header;
	size_t nk[3] = {0, 0, 0};

	for (size_t i = 0; i < d->nqs; i++)
		nk[d->qs[i].kind <= GW_Q_OTHER ? d->qs[i].kind : GW_Q_OTHER]++;
	gw_buf_puts(o, "<tr><td><a href=\"");
	put_href(o, stem, ".html");
	put_in(o, "\">", h->f[GW_H_TITLE].text ? h->f[GW_H_TITLE].text : stem, "</a></td>");
	put_in(o, "<td>", h->f[GW_H_ISSUER].text, "</td>");
	put_in(o, "<td>", h->f[GW_H_DOC_NUMBER].text, "</td>");
	put_in(o, "<td>", h->date ? h->date : h->f[GW_H_DATE].text, "</td>");
	put_in(o, "<td>", h->f[GW_H_DOC_TYPE].text, "</td>");
	gw_buf_printf(
	    o,
	    "<td class=\"n\" data-v=\"%zu\">%zu</td><td class=\"n\" data-v=\"%zu\">%zu</td>"
	    "<td class=\"n\" data-v=\"%zu\">%zu</td><td class=\"n\" data-v=\"%zu\">%zu</td>",
	    d->nnodes, d->nnodes, nk[GW_Q_TARGET], nk[GW_Q_TARGET], nk[GW_Q_FACT], nk[GW_Q_FACT],
	    d->ndiags, d->ndiags);
	gw_buf_puts(o, "<td><a href=\"");
	put_href(o, stem, ".html");
	gw_buf_puts(o, "\">HTML</a> <a href=\"");
	put_href(o, stem, ".json");
	gw_buf_puts(o, "\">JSON</a> <a href=\"");
	put_href(o, stem, ".xml");
	gw_buf_puts(o, "\">XML</a></td></tr>\n");
}

int
gw_html_index(const char *dir, gw_buf *out)
{
	size_t n, bad = 0;
	char **stems = json_files(dir, &n);

	page_start(out, "gongwen: documents");
	gw_buf_puts(out,
	            "<h1>Documents</h1>\n<table class=\"sortable\">\n<thead><tr><th>title</th>"
	            "<th>issuer</th><th>发文字号</th><th>date</th><th>文种</th><th>nodes</th>"
	            "<th>targets</th><th>facts</th><th>warnings</th><th>files</th></tr></thead>\n"
	            "<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		gw_doc *d = read_record(dir, stems[i]);

		if (d && !d->error && !d->error_msg)
			put_index_row(out, stems[i], d);
		else
			bad++;
		gw_doc_free(d);
		free(stems[i]);
	}
	free(stems);
	gw_buf_printf(out, "</tbody>\n</table>\n<p>%zu document%s", n - bad,
	              n - bad == 1 ? "" : "s");
	if (bad)
		gw_buf_printf(out, "; %zu JSON file%s could not be read", bad, bad == 1 ? "" : "s");
	gw_buf_puts(out,
	            ". Failures are listed in <a href=\"errors.jsonl\">errors.jsonl</a>.</p>\n");
	page_end(out);
	return (int)n - (int)bad;
}
