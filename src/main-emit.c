/* main-emit.c — gw-emit: write each JSON Lines record as out/<id>.json and out/<id>.xml. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "internal.h"

static const char usage[] =
    "gw-emit [--out DIR] [--html] [--quiet] [FILE ...]\n"
    "  Read gongwen records (JSON Lines) from each FILE, or standard input, and write\n"
    "  DIR/<id>.json (pretty JSON) and DIR/<id>.xml (Akoma Ntoso 3.0) for each document,\n"
    "  and DIR/errors.jsonl listing the documents that failed.\n"
    "  --out DIR  the output folder, made when missing (default: out)\n"
    "  --html     also DIR/<id>.html (a page to read) and DIR/index.html (every document of DIR)\n"
    "  --quiet    no progress line, no summary\n"
    "Exit status: 0 every document written, 1 some failed, 2 usage or system error.";

/* An error record for a line that is not a usable record: its id when it has one. */
static gw_doc *
bad_line(const char *name, const char *line, size_t len, long lineno, enum gw_code c,
         const char *why)
{
	gw_doc *d = gw_doc_new();
	json_t *o = json_loadb(line, len, 0, NULL);
	json_t *id = json_object_get(o, "id"), *src = json_object_get(o, "source");
	json_t *path = json_object_get(src, "path");
	gw_buf b = GW_BUF_INIT;

	if (json_is_string(id))
		d->id = gw_xstrdup(json_string_value(id));
	else {
		gw_buf_printf(&b, "line-%ld", lineno);
		d->id = gw_buf_detach(&b);
	}
	if (json_is_string(path))
		d->src_path = gw_xstrdup(json_string_value(path));
	json_decref(o);
	gw_doc_fail(d, c, "%s:%ld: %s", name, lineno, why);
	return d;
}

/* Every record of fp to the emitter; 0, or 2 on a read error. */
static int
emit_stream(gw_emitter *e, FILE *fp, const char *name, const char *prog)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;
	gw_buf err = GW_BUF_INIT;
	int status = 0;

	while ((n = getline(&line, &cap, fp)) > 0) {
		bool complete = line[n - 1] == '\n';
		size_t len = (size_t)n - complete;
		gw_doc *d;

		lineno++;
		if (strspn(line, " \t\r\n") == (size_t)n)
			continue;
		gw_buf_reset(&err);
		d = gw_json_read(line, len, &err);
		if (d == NULL) {
			enum gw_code c = complete ? GW_E_BAD_RECORD : GW_E_TRUNCATED;

			fprintf(stderr, "%s: %s:%ld:1: %s: %s: %s\n", prog, name, lineno,
			        gw_level_name(gw_code_level(c)), gw_code_message(c), err.ptr ? err.ptr : "");
			d = bad_line(name, line, len, lineno, c, err.ptr ? err.ptr : "");
		}
		gw_emitter_put(e, d);
		gw_doc_free(d);
	}
	if (ferror(fp)) {
		fprintf(stderr, "%s: %s: read error: %s\n", prog, name, strerror(errno));
		status = 2;
	}
	free(line);
	gw_buf_free(&err);
	return status;
}

int
main(int argc, char **argv)
{
	gw_opts o = {.prog = "gw-emit", .out_dir = "out"};
	int i = gw_opts_parse(&o, argc, argv, usage), status = 0, st;
	gw_buf err = GW_BUF_INIT;
	gw_emitter *e = gw_emitter_new(
	    o.prog, o.out_dir, (o.quiet ? GW_EMIT_QUIET : 0) | (o.html ? GW_EMIT_HTML : 0), &err);

	if (e == NULL) {
		fprintf(stderr, "%s: %s\n", o.prog, err.ptr);
		gw_buf_free(&err);
		return 2;
	}
	if (i >= argc)
		status = emit_stream(e, stdin, "<stdin>", o.prog);
	for (; i < argc; i++) {
		FILE *fp = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "r");

		if (fp == NULL) {
			fprintf(stderr, "%s: %s: %s\n", o.prog, argv[i], strerror(errno));
			status = 2;
			continue;
		}
		if (emit_stream(e, fp, argv[i], o.prog) != 0)
			status = 2;
		if (fp != stdin)
			fclose(fp);
	}
	st = gw_emitter_finish(e);
	return status ? status : st;
}
