/* stream.c — the one JSON Lines loop of every program: lines, records, a sink, the stage filter. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Each piece of fp ending in delim (the last may not) to fn, without the delim (and, for lines,
 * without trailing \r). */
static int
read_pieces(FILE *fp, const char *name, int delim, gw_line_fn fn, void *ctx)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;
	int status = 0, st;

	while ((n = getdelim(&line, &cap, delim, fp)) > 0) {
		bool complete = line[n - 1] == delim;
		size_t len = (size_t)n - complete;

		while (delim == '\n' && len > 0 && line[len - 1] == '\r')
			len--;
		line[len] = '\0';
		if ((st = fn(ctx, line, len, ++lineno, complete)) > status)
			status = st;
	}
	if (ferror(fp)) {
		gw_msg(name, 0, GW_E_READ, "%s", strerror(errno));
		status = 2;
	}
	free(line);
	return status;
}

int
gw_read_lines(FILE *fp, const char *name, gw_line_fn fn, void *ctx)
{
	return read_pieces(fp, name, '\n', fn, ctx);
}

typedef struct paths {
	gw_line_fn fn;
	void *ctx;
} paths;

static int
path_line(void *ctx, char *line, size_t len, long lineno, bool complete)
{
	paths *p = ctx;

	if (len == 0)
		return 0;
	if (memchr(line, '\0', len)) {
		gw_msg("<stdin>", lineno, GW_E_NUL_PATH, NULL);
		return 2;
	}
	return p->fn(p->ctx, line, len, lineno, complete);
}

int
gw_read_paths(const gw_opts *o, gw_line_fn fn, void *ctx)
{
	paths p = {fn, ctx};

	return read_pieces(stdin, "<stdin>", o->null ? '\0' : '\n', path_line, &p);
}

/* An error record for a line that could not be read as a record: keep its id when it has one. */
static gw_doc *
bad_record(const gw_sink *s, const char *name, const char *text, size_t len, long lineno,
           enum gw_code code, const char *why)
{
	gw_doc *d = gw_doc_new();
	json_t *o = json_loadb(text, len, 0, NULL);
	json_t *id = json_object_get(o, "id"), *src = json_object_get(o, "source");
	json_t *path = json_object_get(src, "path");

	if (json_is_string(id))
		d->id = gw_xstrdup(json_string_value(id));
	else {
		gw_buf b = GW_BUF_INIT;

		gw_buf_printf(&b, "line-%ld", lineno);
		d->id = gw_buf_detach(&b);
	}
	if (json_is_string(path))
		d->src_path = gw_xstrdup(json_string_value(path));
	json_decref(o);
	if (s->file_in_error)
		gw_doc_fail(d, code, "%s:%ld: %s", name, lineno, why);
	else
		gw_doc_fail(d, code, "record %ld: %s", lineno, why);
	return d;
}

int
gw_record_put(const gw_sink *s, const char *name, long lineno, bool complete, const char *text,
              size_t len)
{
	gw_buf err = GW_BUF_INIT;
	gw_doc *d = gw_json_read(text, len, &err);
	int st;

	if (d == NULL) {
		enum gw_code c = complete ? GW_E_BAD_RECORD : GW_E_TRUNCATED;
		const char *why = err.ptr ? err.ptr : "";

		gw_msg(name, lineno, c, "%s", why);
		d = bad_record(s, name, text, len, lineno, c, why);
		st = s->put(s->ctx, d, NULL, 0);
		st = st > 1 ? st : 1;
	} else
		st = s->put(s->ctx, d, text, len);
	gw_doc_free(d);
	gw_buf_free(&err);
	return st;
}

typedef struct records {
	const gw_sink *s;
	const char *name;
} records;

static int
record_line(void *ctx, char *line, size_t len, long lineno, bool complete)
{
	records *r = ctx;

	if (strspn(line, " \t\r\n") == len)
		return 0;
	return gw_record_put(r->s, r->name, lineno, complete, line, len);
}

int
gw_records(FILE *fp, const char *name, const gw_sink *s)
{
	records r = {s, name};

	return gw_read_lines(fp, name, record_line, &r);
}

int
gw_inputs(const gw_opts *o, const gw_sink *s)
{
	int status = 0, st;

	if (o->nops == 0) {
		gw_stdin_wanted("FILEs of records");
		return gw_records(stdin, "<stdin>", s);
	}
	for (int i = 0; i < o->nops; i++) {
		const char *name = o->ops[i];
		FILE *fp = strcmp(name, "-") == 0 ? stdin : fopen(name, "r");

		if (fp == NULL) {
			gw_msg(name, 0, GW_E_READ, "%s", strerror(errno));
			st = 2;
		} else {
			st = gw_records(fp, name, s);
			if (fp != stdin)
				fclose(fp);
		}
		status = st > status ? st : status;
	}
	return status;
}

int
gw_filter_put(void *filter, gw_doc *d, const char *text, size_t len)
{
	gw_filter *f = filter;
	int st = d->error ? 1 : 0;

	(void)text, (void)len;
	/* an error record from an earlier stage, or a bad line (said already), passes through */
	if (!(f->fn && d->error)) {
		if (f->fn && f->fn(f->ctx, d) != 0)
			st = 1;
		if (d->error)
			st = 1;
		else if (f->o->rules)
			snprintf(d->rules_digest, sizeof d->rules_digest, "%s",
			         gw_rules_digest(f->o->rules));
		gw_doc_print_diags(d, stderr, f->o->prog, f->stage,
		                   f->o->quiet ? GW_ERROR : GW_NOTE);
	}
	gw_buf_reset(&f->rec);
	gw_json_write(d, &f->rec, f->o->pretty ? GW_JSON_PRETTY : 0);
	fwrite(f->rec.ptr, 1, f->rec.len, stdout);
	return st;
}

int
gw_stdout_done(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		gw_msg("<stdout>", 0, GW_E_WRITE, "%s", strerror(errno));
		return 2;
	}
	return 0;
}

int
gw_filter_inputs(const gw_opts *o, unsigned stage, gw_stage_fn fn, void *ctx)
{
	gw_filter f = {o, stage, fn, ctx, GW_BUF_INIT};
	gw_sink s = {gw_filter_put, &f, false};
	int status = gw_inputs(o, &s), st = gw_stdout_done();

	gw_buf_free(&f.rec);
	return st > status ? st : status;
}
