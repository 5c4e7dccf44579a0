/* main-normalize.c — gw-normalize: read documents (paths, or JSON Lines records carrying their
 * content) and write one normalised record per document. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum { STDIN_TEXT = GW_O_PROG };

static const gw_opt options[] = {
    {GW_O_QUIET, "quiet", 'q', NULL, "print only errors on stderr, not warnings"},
    {GW_O_PRETTY, "pretty", 0, NULL, "indent the records (not JSON Lines any more)"},
    {GW_O_RULES, "rules", 0, "DIR", "the rules folder (its chrome.* rules remove web-page chrome)"},
    {GW_O_NULL, "null", '0', NULL,
     "the paths on stdin each end in NUL (find -print0), not a newline"},
    {STDIN_TEXT, "stdin-text", 0, NULL,
     "stdin is one document's text (as the FILE - is), not paths"},
    {0}};

static const gw_cli cli = {
    "gw-normalize",
    "gw-normalize [--quiet] [--pretty] [--rules DIR] [-0] [--stdin-text] [FILE ...]",
    "  Decode and normalise each FILE (- : the text on stdin) into one JSON Lines record on\n"
    "  stdout.  With no FILE, read stdin: each line a path, or a JSON object {\"id\",\n"
    "  \"content\" | \"content_base64\", \"path\"}.",
    options};

typedef struct prog {
	gw_normalizer *n;
	gw_filter out; /* with no stage function: the records are made here */
} prog;

/* Print d's diagnostics, write its record; its status. */
static int
finish(prog *p, gw_doc *d)
{
	int st = gw_filter_put(&p->out, d, NULL, 0);

	gw_doc_free(d);
	return st;
}

static gw_doc *
doc_for(const char *id, const char *path)
{
	gw_doc *d = gw_doc_new();

	d->id = id ? gw_xstrdup(id) : gw_path_id(path, false);
	d->src_path = path && strcmp(path, "-") != 0 ? gw_xstrdup(path) : NULL;
	return d;
}

static int
do_path(prog *p, const char *path)
{
	gw_doc *d = doc_for(NULL, path);

	gw_normalize_file(p->n, d, path);
	return finish(p, d);
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

/* A JSON Lines input record: {"id", "path", "content" | "content_base64"}. */
static int
do_record(prog *p, const char *line, size_t len, long lineno)
{
	json_error_t je;
	json_t *o = json_loadb(line, len, JSON_ALLOW_NUL, &je);
	json_t *id = json_object_get(o, "id"), *path = json_object_get(o, "path");
	json_t *text = json_object_get(o, "content"), *b64 = json_object_get(o, "content_base64");
	char fallback[32];
	gw_buf bytes = GW_BUF_INIT;
	gw_doc *d;

	snprintf(fallback, sizeof fallback, "line-%ld", lineno);
	d = doc_for(json_is_string(id)     ? json_string_value(id)
	            : json_is_string(path) ? NULL
	                                   : fallback,
	            json_is_string(path) ? json_string_value(path) : NULL);
	if (!json_is_object(o))
		gw_doc_fail(d, GW_E_BAD_RECORD, "stdin line %ld: %s", lineno,
		            o ? "not an object" : je.text);
	else if (json_is_string(text))
		gw_normalize(p->n, d, json_string_value(text), json_string_length(text));
	else if (json_is_string(b64)) {
		if (b64_decode(json_string_value(b64), json_string_length(b64), &bytes))
			gw_normalize(p->n, d, bytes.ptr, bytes.len);
		else
			gw_doc_fail(d, GW_E_BAD_RECORD,
			            "stdin line %ld: content_base64 is not base64", lineno);
	} else if (json_is_string(path))
		gw_normalize_file(p->n, d, json_string_value(path));
	else
		gw_doc_fail(d, GW_E_BAD_RECORD,
		            "stdin line %ld: no content, content_base64 or path", lineno);
	gw_buf_free(&bytes);
	json_decref(o);
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
	return do_path(ctx, line);
}

static const char *
set(void *stdin_text, int id, const char *value)
{
	(void)id, (void)value; /* --stdin-text, the one option of its own */
	*(int *)stdin_text = 1;
	return NULL;
}

int
main(int argc, char **argv)
{
	int stdin_text = 0;
	gw_opts o = {.set = set, .ctx = &stdin_text};
	prog p = {.out = {.o = &o, .stage = GW_ST_NORMALIZED}};
	gw_buf err = GW_BUF_INIT;
	gw_rules *rs;
	int status = 0, st;

	gw_opts_parse(&o, &cli, argc, argv);
	rs = gw_opts_rules(&o);
	if ((p.n = gw_normalizer_new(&err)) == NULL) {
		gw_msg(NULL, 0, GW_E_SYSTEM, "%s", err.ptr);
		return 2;
	}
	gw_normalizer_set_rules(p.n, rs);
	if (o.nops == 0 && stdin_text)
		status = do_path(&p, "-");
	else if (o.nops == 0) {
		gw_stdin_wanted("FILEs");
		status = gw_read_paths(&o, stdin_line, &p);
	}
	for (int i = 0; i < o.nops; i++)
		if ((st = do_path(&p, o.ops[i])) > status)
			status = st;
	if ((st = gw_stdout_done()) > status)
		status = st;
	gw_normalizer_free(p.n);
	gw_rules_free(rs);
	gw_buf_free(&p.out.rec);
	gw_buf_free(&err);
	return status;
}
