/* main-normalize.c — gw-normalize: read documents (paths, or JSON Lines records carrying their
 * content) and write one normalised record per document. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum { STDIN_TEXT = GW_O_PROG, RECORDS_ONLY };

static const gw_opt options[] = {
    {GW_O_QUIET, "quiet", 'q', NULL, "print only errors on stderr, not warnings"},
    {GW_O_PRETTY, "pretty", 0, NULL, "indent the records (not JSON Lines any more)"},
    {GW_O_RULES, "rules", 0, "DIR", "the rules folder (its chrome.* rules remove web-page chrome)"},
    {GW_O_NULL, "null", '0', NULL,
     "the paths on stdin each end in NUL (find -print0), not a newline"},
    {STDIN_TEXT, "stdin-text", 0, NULL,
     "stdin is one document's text (as the FILE - is), not paths"},
    {RECORDS_ONLY, "records-only", 0, NULL,
     "a record must carry its content: one naming a path fails, no file is read"},
    GW_OPT_MAX_FAILED,
    {0}};

static const gw_cli cli = {
    "gw-normalize",
    "gw-normalize [--quiet] [--pretty] [--rules DIR] [-0] [--stdin-text] [--records-only]\n"
    "       [--max-failed N|P%] [FILE ...]",
    "  Decode and normalise each FILE (- : the text on stdin) into one JSON Lines record on\n"
    "  stdout.  With no FILE, read stdin: each line a path, or a JSON object {\"id\",\n"
    "  \"content\" | \"content_base64\", \"path\"}.",
    options};

typedef struct prog {
	gw_normalizer *n;
	gw_filter out; /* with no stage function: the records are made here */
	int stdin_text, records_only;
} prog;

/* Print d's diagnostics, write its record; its status. */
static int
finish(prog *p, gw_doc *d)
{
	int st = gw_filter_put(&p->out, d, NULL, 0);

	gw_doc_free(d);
	return st;
}

/* A path operand (lineno 0, "-": the text on stdin), or line lineno of stdin naming one. */
static int
do_path(prog *p, const char *path, long lineno)
{
	gw_doc *d = gw_doc_new();

	d->id = gw_path_id(path, false);
	d->src_path = strcmp(path, "-") != 0 ? gw_xstrdup(path) : NULL;
	if (lineno && p->records_only)
		gw_input_refuse_path(d, "stdin", lineno);
	else
		gw_normalize_file(p->n, d, path);
	return finish(p, d);
}

/* A JSON Lines input record: {"id", "path", "content" | "content_base64"}. */
static int
do_record(prog *p, const char *line, size_t len, long lineno)
{
	gw_buf bytes = GW_BUF_INIT;
	bool by_path;
	gw_doc *d = gw_input_record("stdin", line, len, lineno, &bytes, &by_path);

	if (by_path && p->records_only)
		gw_input_refuse_path(d, "stdin", lineno);
	else if (by_path)
		gw_normalize_file(p->n, d, d->src_path);
	else if (!d->error)
		gw_normalize(p->n, d, bytes.ptr ? bytes.ptr : "", bytes.len);
	gw_buf_free(&bytes);
	return finish(p, d);
}

/* Each line of stdin: a path, or a JSON object when it starts with '{'. */
static int
stdin_line(void *ctx, char *line, size_t len, long lineno, bool complete)
{
	size_t lead = strspn(line, " \t");

	(void)complete;
	if (lead == len)
		return 0;
	if (line[lead] == '{')
		return do_record(ctx, line + lead, len - lead, lineno);
	return do_path(ctx, line, lineno);
}

static const char *
set(void *prog_, int id, const char *value)
{
	prog *p = prog_;

	(void)value; /* --stdin-text and --records-only take none */
	*(id == STDIN_TEXT ? &p->stdin_text : &p->records_only) = 1;
	return NULL;
}

int
main(int argc, char **argv)
{
	prog p = {0};
	/* the families gw_normalizer_set_rules takes (normalize.c): only they are compiled */
	gw_opts o = {.set = set, .ctx = &p, .families = "chrome. node. opener."};
	gw_buf err = GW_BUF_INIT;
	gw_rules *rs;
	int status = 0, st;

	gw_opts_parse(&o, &cli, argc, argv);
	p.out = (gw_filter){.o = &o, .stage = GW_ST_NORMALIZED};
	rs = gw_opts_rules(&o);
	if ((p.n = gw_normalizer_new(&err)) == NULL) {
		gw_msg(NULL, 0, GW_E_SYSTEM, "%s", err.ptr);
		return 2;
	}
	gw_normalizer_set_rules(p.n, rs);
	if (o.nops == 0 && p.stdin_text)
		status = do_path(&p, "-", 0);
	else if (o.nops == 0) {
		gw_stdin_wanted("FILEs");
		status = gw_read_paths(&o, stdin_line, &p);
	}
	for (int i = 0; i < o.nops; i++)
		if ((st = do_path(&p, o.ops[i], 0)) > status)
			status = st;
	if ((st = gw_stdout_done()) > status)
		status = st;
	gw_normalizer_free(p.n);
	gw_rules_free(rs);
	gw_buf_free(&p.out.rec);
	gw_buf_free(&err);
	return gw_opts_status(&o, status, p.out.docs, p.out.failed);
}
