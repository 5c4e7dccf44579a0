/* stream.c — the one JSON Lines loop of every program: lines, records, a sink, the stage filter,
 * and the input records that carry a document's content. */
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* The piece buf[0..n) to fn: without the delim (and, for lines, without trailing \r), a NUL
 * after it. */
static int
piece(char *buf, size_t n, bool complete, int delim, long lineno, gw_line_fn fn, void *ctx)
{
	size_t len = n - complete;

	while (delim == '\n' && len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	return fn(ctx, buf, len, lineno, complete);
}

/* Each piece of fp ending in delim (the last may not) to fn, without the delim (and, for lines,
 * without trailing \r).  The bytes are read(2) into one buffer and each piece is handed over
 * where it lies: getdelim copied every byte out of stdio's buffer into its line, grown by
 * realloc (issue 14: 3 % of gw-emit alone).  A read returns what a pipe holds, so a piece goes
 * to fn as soon as it is there, as before.  fp has not been read from (its stdio buffer is not
 * used). */
static int
read_pieces(FILE *fp, const char *name, int delim, gw_line_fn fn, void *ctx)
{
	size_t cap = 1 << 18, start = 0, end = 0, scan = 0;
	char *buf = gw_xmalloc(cap + 1), *at;
	int fd = fileno(fp), status = 0, st, err = 0;
	long lineno = 0;
	ssize_t got;

	for (;;) {
		if ((at = memchr(buf + scan, delim, end - scan)) != NULL) {
			size_t n = (size_t)(at - buf) + 1 - start;

			if ((st = piece(buf + start, n, true, delim, ++lineno, fn, ctx)) > status)
				status = st;
			start = scan = start + n;
			continue;
		}
		scan = end;
		/* room for 64 KiB more: the piece begun moved to the front, or the buffer doubled */
		if (cap - end < 65536 && start > 0) {
			memmove(buf, buf + start, end - start);
			end -= start, scan -= start, start = 0;
		}
		if (cap - end < 65536) {
			cap *= 2;
			buf = gw_xrealloc(buf, cap + 1);
		}
		if ((got = read(fd, buf + end, cap - end)) < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			err = got < 0 ? errno : 0;
			break;
		}
		end += (size_t)got;
	}
	if (end > start && (st = piece(buf + start, end - start, false, delim, ++lineno, fn, ctx)) > status)
		status = st;
	if (err) {
		gw_msg(name, 0, GW_E_READ, "%s", strerror(err));
		status = 2;
	}
	free(buf);
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

/* fp (not read yet) with a buffer of 256 KiB, one for stdin and one for the file being read: a
 * record is tens of kilobytes, and stdio's own 4 KiB made a read(2) per 4 KiB of a pipe
 * between two stages.  (glibc ignores the size of a buffer it allocates itself.) */
static FILE *
big_buffer(FILE *fp)
{
	static char in[1 << 18], file[1 << 18];

	if (fp)
		setvbuf(fp, fp == stdin ? in : file, _IOFBF, sizeof in);
	return fp;
}

int
gw_record_file(const gw_sink *s, const char *path)
{
	FILE *fp = fopen(path, "r");
	gw_buf b = GW_BUF_INIT;
	char chunk[65536];
	size_t n;
	int st;

	if (fp == NULL) {
		gw_msg(path, 0, GW_E_READ, "%s", strerror(errno));
		return 2;
	}
	if (gw_ends_with(path, ".jsonl"))
		st = gw_records(fp, path, s);
	else {
		while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
			gw_buf_put(&b, chunk, n);
		if (ferror(fp)) {
			gw_msg(path, 0, GW_E_READ, "%s", strerror(errno));
			st = 2;
		} else
			st = gw_record_put(s, path, 0, true, b.ptr ? b.ptr : "", b.len);
	}
	fclose(fp);
	gw_buf_free(&b);
	return st;
}

int
gw_inputs(const gw_opts *o, const gw_sink *s)
{
	int status = 0, st;

	if (o->nops == 0) {
		gw_stdin_wanted("FILEs of records");
		return gw_records(big_buffer(stdin), "<stdin>", s);
	}
	for (int i = 0; i < o->nops; i++) {
		const char *name = o->ops[i];
		FILE *fp = strcmp(name, "-") == 0 ? stdin : big_buffer(fopen(name, "r"));

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

static int
b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' || c == '-' ? 62 : c == '/' || c == '_' ? 63 : -1;
}

/* Decode base64 (standard or URL alphabet, padding and white space allowed); false if invalid. */
static bool
b64_decode(const char *s, size_t n, gw_buf *out)
{
	unsigned acc = 0;
	int bits = 0;

	for (size_t i = 0; i < n; i++) {
		int v = b64_value((unsigned char)s[i]);

		if (s[i] == '=' || s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')
			continue;
		if (v < 0)
			return false;
		acc = (acc << 6) | (unsigned)v;
		if ((bits += 6) >= 8) {
			bits -= 8;
			gw_buf_putc(out, (int)((acc >> bits) & 0xFF));
		}
	}
	gw_buf_put(out, "", 0);
	return true;
}

/* {"id", "path", "content" | "content_base64"}: the document, its bytes or its path. */
gw_doc *
gw_input_record(const char *name, const char *line, size_t len, long lineno, gw_buf *bytes,
                bool *by_path)
{
	json_error_t je;
	json_t *o = json_loadb(line, len, JSON_ALLOW_NUL, &je);
	json_t *id = json_object_get(o, "id"), *path = json_object_get(o, "path");
	json_t *text = json_object_get(o, "content"), *b64 = json_object_get(o, "content_base64");
	gw_doc *d = gw_doc_new();

	*by_path = false;
	d->src_path = json_is_string(path) ? gw_xstrdup(json_string_value(path)) : NULL;
	if (json_is_string(id))
		d->id = gw_xstrdup(json_string_value(id));
	else if (d->src_path)
		d->id = gw_path_stem(d->src_path);
	else {
		gw_buf_printf(bytes, "line-%ld", lineno);
		d->id = gw_buf_detach(bytes);
	}
	if (!json_is_object(o))
		gw_doc_fail(d, GW_E_BAD_RECORD, "%s line %ld: %s", name, lineno,
		            o ? "not an object" : je.text);
	else if (json_is_string(text))
		gw_buf_put(bytes, json_string_value(text), json_string_length(text));
	else if (json_is_string(b64)) {
		if (!b64_decode(json_string_value(b64), json_string_length(b64), bytes))
			gw_doc_fail(d, GW_E_BAD_RECORD, "%s line %ld: content_base64 is not base64",
			            name, lineno);
	} else if (d->src_path)
		*by_path = true;
	else
		gw_doc_fail(d, GW_E_BAD_RECORD, "%s line %ld: no content, content_base64 or path",
		            name, lineno);
	json_decref(o);
	return d;
}

void
gw_input_refuse_path(gw_doc *d, const char *name, long lineno)
{
	gw_doc_fail(d, GW_E_BAD_RECORD,
	            "%s line %ld: a path, not content: --records-only reads no file", name, lineno);
}

/* A pipe on stdout gets 1 MiB (Linux; by default the most a process may ask for), once: the
 * next stage of a chain then lags by a record or more, not by 64 KiB, and the four programs wait
 * less on each other. */
static void
wide_pipe(void)
{
#ifdef F_SETPIPE_SZ
	static bool done;

	if (!done)
		(void)fcntl(STDOUT_FILENO, F_SETPIPE_SZ, 1 << 20);
	done = true;
#endif
}

int
gw_filter_put(void *filter, gw_doc *d, const char *text, size_t len)
{
	gw_filter *f = filter;
	/* a bad line (said already) is a failure; an earlier stage's error record passes through */
	int st = f->fn && text == NULL;

	(void)len;
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
	wide_pipe();
	fwrite(f->rec.ptr, 1, f->rec.len, stdout);
	f->docs++;
	f->failed += (size_t)st;
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
	gw_filter f = {o, stage, fn, ctx, GW_BUF_INIT, 0, 0};
	gw_sink s = {gw_filter_put, &f, false};
	int status = gw_inputs(o, &s), st = gw_stdout_done();

	gw_buf_free(&f.rec);
	return gw_opts_status(o, st > status ? st : status, f.docs, f.failed);
}
