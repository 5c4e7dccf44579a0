/* main-search.c — gw-search: full-text and quantity search over the archive gw-index builds. */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unicode/uchar.h>
#include <unistd.h>

#include "archive.h"
#include "internal.h"

/* clang-format off */
enum { DB = GW_O_PROG, ISSUER, DOC_TYPE, FROM, TO, KIND, UNIT, MIN, MAX, LIMIT, RAW, JSON, TABLE,
       QUERIES, TIMING, DOC_NUMBER, STATUS, DOCUMENTS, COUNT_BY };
/* clang-format on */

static const gw_opt options[] = {
    {DB, "db", 0, "FILE", "the archive (default out/gongwen.db)"},
    {ISSUER, "issuer", 0, "TEXT", "an issuer contains TEXT"},
    {DOC_TYPE, "doc-type", 0, "TYPE", "exactly this 文种"},
    {FROM, "from", 0, "DATE", "the date (成文日期, 印发日期, 发布日期) on or after DATE, YYYY[-MM[-DD]]"},
    {TO, "to", 0, "DATE", "the date on or before DATE"},
    {DOC_NUMBER, "doc-number", 0, "TEXT", "the 发文字号 contains TEXT"},
    {STATUS, "status", 0, "TEXT", "状态 is TEXT (有效)"},
    {KIND, "kind", 0, "KIND", "only sentences with a quantity of this kind (target, fact, other)"},
    {UNIT, "unit", 0, "UNIT", "... of this unit (套, %, 万元 is 元)"},
    {MIN, "min", 0, "N", "... of at least N"},
    {MAX, "max", 0, "N", "... of at most N"},
    {LIMIT, "limit", 0, "N", "at most N hits (default 100; 0: all)"},
    {RAW, "raw", 0, NULL, "the query is FTS5 syntax as is"},
    {JSON, "json", 0, NULL, "JSON Lines, even on a terminal"},
    {TABLE, "table", 0, NULL, "a table, even on a pipe"},
    {QUERIES, "queries", 0, "FILE", "run each line of FILE as a query"},
    {TIMING, "timing", 0, NULL, "with --queries: each query's time on stderr"},
    {DOCUMENTS, "documents", 0, NULL, "one line per document: its number of hits, identical copies listed"},
    {COUNT_BY, "count-by", 0, "KEY", "documents with hits per issuer, year, doc_type or kind"},
    {0}};

static const gw_cli cli = {
    "gw-search",
    "gw-search [--db FILE] [--issuer TEXT] [--doc-type TYPE] [--from DATE] [--to DATE]\n"
    "                 [--kind target|fact|other] [--unit UNIT] [--min N] [--max N] [--limit N]\n"
    "                 [--doc-number TEXT] [--status TEXT] [--documents | --count-by KEY]\n"
    "                 [--raw] [--json|--table] [--queries FILE [--timing]] [QUERY ...]",
    "  Find the sentences of archived documents that hold QUERY (words, found inside longer\n"
    "  ones, \"phrases\", AND OR NOT, -word, parentheses; --raw: FTS5 syntax as is) and pass\n"
    "  every filter.  Each hit:\n"
    "  the document's title and number, the node path (五/16), the sentence with the match\n"
    "  marked, and its quantities.  A table on a terminal, JSON Lines otherwise.",
    options};

static const char *const head[5] = {"TITLE", "NUMBER", "WHERE", "SENTENCE", "QUANTITY"};

typedef struct row {
	char *cell[5]; /* title, number, where, sentence (with marks), quantities */
} row;

/* The run: its options, its archive, the exit status so far and the table being made. */
typedef struct out {
	gw_query q;
	const char *db, *queries;
	int table, color; /* table: -1 until known (a table on a terminal) */
	int timing, count_by; /* count_by: enum gw_count_by, or -1 */
	const char *query; /* in --queries mode */
	gw_archive *a;
	int status; /* 1 until a query finds something, 2 after one fails */
	row *rows;
	size_t nrows, caprows;
} out;

/* ---------------------------------------------------------------- JSON Lines */

/* j as one line of standard output; j is released. */
static void
put_line(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);

	puts(s);
	free(s);
	json_decref(j);
}

/* The "query" member of a line: the --queries line, or NULL, which json_pack's o* leaves out. */
static json_t *
json_query(const out *o)
{
	return o->query ? gw_json_string(o->query) : NULL;
}

/* The identical documents: [{"doc", "path"}] */
static json_t *
json_copies(const gw_hit *h)
{
	json_t *a = json_array();

	for (size_t i = 0; i < h->ncopies; i++)
		json_array_append_new(a, json_pack("{s:o,s:o}", "doc", gw_json_string(h->copies[2 * i]),
		                                   "path", gw_json_string(h->copies[2 * i + 1])));
	return a;
}

/* --documents: one line per document */
static void
print_document(const out *o, const gw_hit *h)
{
	if (o->table)
		printf("%5ld  %-10s  %-20s  %s%s\n", h->nhits, h->date ? h->date : "-",
		       h->doc_number ? h->doc_number : "-", h->title ? h->title : h->doc_id,
		       h->ncopies ? " (+ identical copies)" : "");
	else
		put_line(json_pack(
		    "{s:o*,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:o}", "query", json_query(o), "doc",
		    gw_json_string(h->doc_id), "title", gw_json_string(h->title), "doc_number",
		    gw_json_string(h->doc_number), "issuer", gw_json_string(h->issuer), "doc_type",
		    gw_json_string(h->doc_type), "date", gw_json_string(h->date), "status",
		    gw_json_string(h->status), "path", gw_json_string(h->source_path), "hits",
		    (json_int_t)h->nhits, "copies", json_copies(h)));
}

/* --count-by: one line per key */
static int
on_count(void *ctx, const char *key, long n)
{
	out *o = ctx;

	if (o->table)
		printf("%6ld  %s\n", n, key ? key : "-");
	else
		put_line(json_pack("{s:o,s:I,s:o*}", gw_count_by_name(o->count_by),
		                   gw_json_string(key), "documents", (json_int_t)n, "query",
		                   json_query(o)));
	return 0;
}

/* The marked sentence with « », and the marks as [start, end) code points of the sentence. */
static json_t *
marks(const char *m, gw_buf *shown)
{
	json_t *a = json_array();
	json_int_t cp = 0, open = -1;

	for (const unsigned char *p = (const unsigned char *)m; p && *p; p++) {
		if (*p == GW_MARK_OPEN) {
			gw_buf_puts(shown, "«");
			open = cp;
		} else if (*p == GW_MARK_CLOSE) {
			gw_buf_puts(shown, "»");
			if (open >= 0)
				json_array_append_new(a, json_pack("[II]", open, cp));
			open = -1;
		} else {
			gw_buf_putc(shown, (char)*p);
			cp += (*p & 0xC0) != 0x80;
		}
	}
	if (shown->ptr == NULL)
		gw_buf_puts(shown, "");
	return a;
}

static json_t *
json_quantities(const gw_hit *h)
{
	json_t *a = json_array();

	for (size_t i = 0; i < h->nqs; i++) {
		const gw_hit_qty *q = &h->qs[i];

		json_array_append_new(
		    a,
		    json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id",
		              gw_json_string(q->id), "text", gw_json_string(q->text), "value",
		              gw_json_number(q->has_value, q->value), "min",
		              gw_json_number(q->has_min, q->min), "max",
		              gw_json_number(q->has_max, q->max), "unit", gw_json_string(q->unit),
		              "comparator", gw_json_string(q->comparator), "kind",
		              gw_json_string(q->kind), "subject", gw_json_string(q->subject),
		              "verb", gw_json_string(q->verb)));
	}
	return a;
}

/* One line a hit.  Built key by key: json_pack reads its format for every hit (0.6% of the
 * queries' instructions). */
static void
print_json(const out *o, const gw_hit *h)
{
	gw_buf shown = GW_BUF_INIT;
	json_t *m = marks(h->marked, &shown), *j = json_object();

	if (o->query)
		json_object_set_new(j, "query", gw_json_string(o->query));
	json_object_set_new(j, "doc", gw_json_string(h->doc_id));
	json_object_set_new(j, "title", gw_json_string(h->title));
	json_object_set_new(j, "doc_number", gw_json_string(h->doc_number));
	json_object_set_new(j, "issuer", gw_json_string(h->issuer));
	json_object_set_new(j, "doc_type", gw_json_string(h->doc_type));
	json_object_set_new(j, "date", gw_json_string(h->date));
	json_object_set_new(j, "part", json_integer(h->part));
	json_object_set_new(j, "node", gw_json_string(h->node_id));
	json_object_set_new(j, "path", gw_json_string(h->path));
	json_object_set_new(j, "span", json_pack("[ii]", h->start, h->end));
	json_object_set_new(j, "sentence", gw_json_string(h->sentence));
	json_object_set_new(j, "marked", gw_json_string(shown.ptr));
	json_object_set_new(j, "matches", m);
	json_object_set_new(j, "quantities", json_quantities(h));
	json_object_set_new(j, "copies", json_copies(h));
	put_line(j);
	gw_buf_free(&shown);
}

/* ---------------------------------------------------------------- the table */

/* Columns a code point takes on a terminal: CJK is two wide, the marks none. */
static int
cp_width(uint32_t c)
{
	int ea;

	if (c == (uint32_t)GW_MARK_OPEN || c == (uint32_t)GW_MARK_CLOSE || c < 0x20)
		return 0;
	if (u_getCombiningClass((UChar32)c) != 0)
		return 0;
	ea = u_getIntPropertyValue((UChar32)c, UCHAR_EAST_ASIAN_WIDTH);
	return ea == U_EA_WIDE || ea == U_EA_FULLWIDTH ? 2 : 1;
}

/* The columns of s[0..n). */
static int
width_n(const char *s, size_t n)
{
	int w = 0;

	for (size_t i = 0; i < n;) {
		uint32_t c;
		int len = gw_utf8_decode(s + i, n - i, &c);

		w += cp_width(c);
		i += len > 0 ? (size_t)len : 1;
	}
	return w;
}

/* s cut to at most width columns (ending in … when cut), after skipping about `skip` columns
 * (shown as a leading …); the marks are always kept, and one left open is closed. */
static char *
fit(const char *s, int width, int skip)
{
	gw_buf b = GW_BUF_INIT;
	size_t n = strlen(s);
	int w = 0, open = 0, full = width_n(s, n);
	bool cut;

	if (skip > full - (width - 1))
		skip = full - (width - 1);
	if (skip > 0) {
		gw_buf_puts(&b, "…");
		w = 1;
	}
	cut = full - (skip > 0 ? skip : 0) + w > width;
	for (size_t i = 0; i < n;) {
		uint32_t c;
		int len = gw_utf8_decode(s + i, n - i, &c), cw = cp_width(c);

		len = len > 0 ? len : 1;
		if (c == (uint32_t)GW_MARK_OPEN || c == (uint32_t)GW_MARK_CLOSE)
			open = c == (uint32_t)GW_MARK_OPEN;
		else if (skip > 0) {
			skip -= cw;
			i += (size_t)len;
			continue;
		} else if (cut && w + cw > width - 1) {
			gw_buf_puts(&b, "…");
			break;
		}
		gw_buf_put(&b, s + i, (size_t)len);
		w += cw;
		i += (size_t)len;
	}
	if (open)
		gw_buf_putc(&b, GW_MARK_CLOSE);
	return b.ptr ? gw_buf_detach(&b) : gw_xstrdup("");
}

/* Columns before the first mark, so a long sentence can be shown from near its match. */
static int
first_mark_col(const char *s)
{
	const char *m = strchr(s, GW_MARK_OPEN);

	return m ? width_n(s, (size_t)(m - s)) : 0;
}

static char *
quantity_cell(const gw_hit *h)
{
	gw_buf b = GW_BUF_INIT;

	for (size_t i = 0; i < h->nqs; i++)
		gw_buf_printf(&b, "%s%s %s", i ? "; " : "", h->qs[i].text ? h->qs[i].text : "",
		              h->qs[i].kind ? h->qs[i].kind : "");
	return b.ptr ? gw_buf_detach(&b) : gw_xstrdup("");
}

static void
keep_row(out *o, const gw_hit *h)
{
	row *r;
	gw_buf where = GW_BUF_INIT;

	if (h->part > 0)
		gw_buf_printf(&where, "附件%d%s", h->part, *h->path ? " " : "");
	gw_buf_puts(&where, h->path);
	gw_grow((void **)&o->rows, &o->caprows, o->nrows + 1, sizeof *o->rows);
	r = &o->rows[o->nrows++];
	r->cell[0] = gw_xstrdup(h->title ? h->title : h->doc_id);
	r->cell[1] = gw_xstrdup(h->doc_number ? h->doc_number : "");
	r->cell[2] = where.ptr ? gw_buf_detach(&where) : gw_xstrdup("");
	r->cell[3] = gw_xstrdup(h->marked ? h->marked : "");
	r->cell[4] = quantity_cell(h);
}

static void
put_cell(const out *o, const char *s, int width, bool last)
{
	int w = width_n(s, strlen(s));

	for (const char *p = s; *p; p++) {
		if (*p == GW_MARK_OPEN || *p == GW_MARK_CLOSE)
			w += !o->color; /* « » take a column each when there is no colour */
		if (*p == GW_MARK_OPEN)
			fputs(o->color ? "\033[1;31m" : "«", stdout);
		else if (*p == GW_MARK_CLOSE)
			fputs(o->color ? "\033[0m" : "»", stdout);
		else
			putchar(*p);
	}
	if (!last)
		printf("%*s", width - w + 2, "");
}

static int
term_width(void)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
		return ws.ws_col;
	if (c && atoi(c) >= 40)
		return atoi(c);
	return 120;
}

/* Cap each column, then give the sentence what is left of the terminal's width. */
static void
table_widths(const out *o, int w[5])
{
	static const int cap[5] = {20, 20, 16, 0, 20};
	int used = 0;

	for (int c = 0; c < 5; c++) {
		w[c] = (int)strlen(head[c]);
		for (size_t i = 0; i < o->nrows; i++) {
			const char *cell = o->rows[i].cell[c];
			int cw = width_n(cell, strlen(cell)) + (o->color ? 0 : 2);

			w[c] = cw > w[c] ? cw : w[c];
		}
		if (cap[c] && w[c] > cap[c])
			w[c] = cap[c];
		if (c != 3)
			used += w[c] + 2;
	}
	if (w[3] > term_width() - used)
		w[3] = term_width() - used < 20 ? 20 : term_width() - used;
}

static void
print_table(out *o)
{
	int w[5];

	if (o->nrows == 0)
		return;
	table_widths(o, w);
	for (int c = 0; c < 5; c++)
		put_cell(o, head[c], w[c], c == 4);
	putchar('\n');
	for (size_t i = 0; i < o->nrows; i++) {
		for (int c = 0; c < 5; c++) {
			int room = w[c] - (o->color || c != 3 ? 0 : 2);
			int skip = c == 3 ? first_mark_col(o->rows[i].cell[3]) - room / 3 : 0;
			char *s = fit(o->rows[i].cell[c], room, skip);

			put_cell(o, s, w[c], c == 4);
			free(s);
			free(o->rows[i].cell[c]);
		}
		putchar('\n');
	}
	printf("(%zu hit%s)\n", o->nrows, o->nrows == 1 ? "" : "s");
	o->nrows = 0;
}

static int
on_hit(void *ctx, const gw_hit *h)
{
	out *o = ctx;

	if (h->nhits > 0 && h->sentence == NULL)
		print_document(o, h);
	else if (o->table)
		keep_row(o, h);
	else
		print_json(o, h);
	return 0;
}

/* ---------------------------------------------------------------- options */

/* A number; false when v is none. */
static bool
num_arg(const char *v, double *d)
{
	char *end;

	errno = 0;
	*d = strtod(v, &end);
	return *v != '\0' && !*end && !errno && isfinite(*d);
}

/* The options whose value is checked; NULL, or what the value should be. */
static const char *
set_checked(gw_query *q, int id, const char *v)
{
	double d = 0;

	switch (id) {
	case FROM:
	case TO:
		*(id == FROM ? &q->from : &q->to) = v;
		return gw_date_ok(v, true) ? NULL : "YYYY, YYYY-MM or YYYY-MM-DD";
	case KIND:
		return (q->kind = gw_qkind_from_name(v)) < 0 ? "target, fact or other" : NULL;
	case LIMIT:
		if (!num_arg(v, &d) || d < 0 || d != floor(d))
			return "a whole number";
		q->limit = (long)d;
		return NULL;
	default: /* MIN, MAX */
		if (!num_arg(v, &d))
			return "a number";
		*(id == MIN ? &q->has_min : &q->has_max) = true;
		*(id == MIN ? &q->min : &q->max) = d;
		return NULL;
	}
}

/* One option of gw-search's own; NULL, or what its value should be. */
static const char *
set(void *ctx, int id, const char *v)
{
	out *o = ctx;
	const char **s = id == DB         ? &o->db
	                 : id == QUERIES  ? &o->queries
	                 : id == ISSUER   ? &o->q.issuer
	                 : id == DOC_TYPE ? &o->q.doc_type
	                 : id == UNIT       ? &o->q.unit
	                 : id == DOC_NUMBER ? &o->q.doc_number
	                 : id == STATUS     ? &o->q.status
	                                    : NULL;

	if (s)
		*s = v;
	else if (id == RAW)
		o->q.raw = 1;
	else if (id == JSON || id == TABLE)
		o->table = id == TABLE;
	else if (id == TIMING)
		o->timing = 1;
	else if (id == DOCUMENTS)
		o->q.documents = true;
	else if (id == COUNT_BY)
		return (o->count_by = gw_count_by_from_name(v)) < 0 ? "issuer, year, doc_type or kind" : NULL;
	else
		return set_checked(&o->q, id, v);
	return NULL;
}

/* ---------------------------------------------------------------- main */

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* One query: its hits printed, and the exit status (0 when it found something, 2 when one
 * failed: message printed). */
static void
run_query(out *o)
{
	gw_buf err = GW_BUF_INIT;
	double t0 = now_ms();
	clock_t c0 = clock();
	long n = o->count_by >= 0 ? gw_archive_count(o->a, &o->q, o->count_by, on_count, o, &err)
	                          : gw_archive_search(o->a, &o->q, on_hit, o, &err);

	if (o->timing) /* what was asked for, not a diagnostic */
		fprintf(stderr, "gw-search: timing: %.3f ms, %ld hits, %.3f ms CPU: %s\n",
		        now_ms() - t0, n, (double)(clock() - c0) * 1000 / CLOCKS_PER_SEC,
		        o->q.text ? o->q.text : "");
	if (n < 0)
		gw_msg(NULL, 0, GW_E_SEARCH, "%s", err.ptr ? err.ptr : "");
	if (o->table)
		print_table(o);
	gw_buf_free(&err);
	o->status = n < 0 ? 2 : n > 0 && o->status != 2 ? 0 : o->status;
}

static int
query_line(void *ctx, char *line, size_t len, long lineno, bool complete)
{
	out *o = ctx;

	(void)len, (void)lineno, (void)complete;
	if (line[strspn(line, " \t")] == '\0') /* a blank line is no query (it listed every sentence) */
		return 0;
	o->q.text = o->query = line;
	run_query(o);
	return 0;
}

static void
run_queries(out *o)
{
	FILE *fp = strcmp(o->queries, "-") == 0 ? stdin : fopen(o->queries, "r");

	if (fp == NULL) {
		gw_msg(o->queries, 0, GW_E_READ, "%s", strerror(errno));
		o->status = 2;
		return;
	}
	if (gw_read_lines(fp, o->queries, query_line, o) > 1)
		o->status = 2;
	if (fp != stdin)
		fclose(fp);
}

int
main(int argc, char **argv)
{
	out o = {.q = {.kind = -1, .limit = 100}, .db = "out/gongwen.db", .table = -1,
	         .count_by = -1, .status = 1};
	gw_opts go = {.set = set, .ctx = &o};
	gw_query *q = &o.q;
	gw_buf text = GW_BUF_INIT, err = GW_BUF_INIT;
	long undated;

	gw_opts_parse(&go, &cli, argc, argv);
	for (int i = 0; i < go.nops; i++) /* the words make the query */
		gw_buf_printf(&text, "%s%s", text.len ? " " : "", go.ops[i]);
	q->text = text.ptr;
	if (!text.len && !o.queries && !gw_query_has_quantity_filter(q) && !q->issuer &&
	    !q->doc_type && !q->from && !q->to && !q->doc_number && !q->status && o.count_by < 0)
		gw_usage_error("give a query or a filter");
	if (o.table < 0)
		o.table = isatty(STDOUT_FILENO);
	o.color = o.table && isatty(STDOUT_FILENO) && !getenv("NO_COLOR") &&
	          !(getenv("TERM") && strcmp(getenv("TERM"), "dumb") == 0);
	if ((o.a = gw_archive_open(o.db, GW_ARCHIVE_READ, &err)) == NULL) {
		gw_msg(o.db, 0, GW_E_ARCHIVE, "%s", err.ptr);
		gw_buf_free(&err);
		gw_buf_free(&text);
		return 2;
	}
	if (o.queries)
		run_queries(&o);
	else
		run_query(&o);
	if ((q->from || q->to) && (undated = gw_archive_undated(o.a)) > 0)
		gw_msg(NULL, 0, GW_N_UNDATED, "%ld documents", undated);
	gw_archive_close(o.a);
	free(o.rows);
	gw_buf_free(&text);
	gw_buf_free(&err);
	if (gw_stdout_done() != 0)
		o.status = 2;
	return o.status;
}
