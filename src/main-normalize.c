/* main-normalize.c — gw-normalize: read documents (paths, or JSON Lines records carrying their
 * content) and write one normalised record per document. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char usage[] =
    "gw-normalize [--quiet] [--pretty] [--rules DIR] [FILE ...]\n"
    "  Decode and normalise each FILE into one JSON Lines record on stdout.  With no FILE, read\n"
    "  stdin: each line a path, or a JSON object {\"id\", \"content\" | \"content_base64\", "
    "\"path\"}.\n"
    "  --quiet      print only errors on stderr, not warnings\n"
    "  --pretty     indent the records (not JSON Lines any more)\n"
    "  --rules DIR  the rules folder (its chrome.* rules remove web-page chrome)\n"
    "Exit status: 0 all documents fine, 1 some failed, 2 usage, I/O or rule-file error.";

typedef struct prog {
	gw_opts o;
	gw_normalizer *n;
	gw_buf rec;
	int status;
} prog;

/* Print d's diagnostics, write its record, and account for it. */
static void
finish(prog *p, gw_doc *d)
{
	gw_doc_print_diags(d, stderr, p->o.prog, GW_ST_NORMALIZED, p->o.quiet ? GW_ERROR : GW_NOTE);
	if (d->error)
		p->status = 1;
	else if (p->o.rules)
		snprintf(d->rules_digest, sizeof d->rules_digest, "%s",
		         gw_rules_digest(p->o.rules));
	gw_buf_reset(&p->rec);
	gw_json_write(d, &p->rec, p->o.pretty ? GW_JSON_PRETTY : 0);
	fwrite(p->rec.ptr, 1, p->rec.len, stdout);
	gw_doc_free(d);
}

static gw_doc *
doc_for(const char *id, const char *path)
{
	gw_doc *d = gw_doc_new();

	d->id = id ? gw_xstrdup(id) : gw_path_stem(path);
	d->src_path = path ? gw_xstrdup(path) : NULL;
	return d;
}

static void
do_path(prog *p, const char *path)
{
	gw_doc *d = doc_for(NULL, path);

	gw_normalize_file(p->n, d, path);
	finish(p, d);
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
static void
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
	finish(p, d);
}

/* Each line of stdin: a path, or a JSON object when it starts with '{'. */
static void
do_stdin(prog *p)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;

	while ((n = getline(&line, &cap, stdin)) > 0) {
		size_t len = (size_t)n, lead;

		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		lead = strspn(line, " \t");
		if (lead == len)
			continue;
		if (line[lead] == '{')
			do_record(p, line + lead, len - lead, lineno);
		else
			do_path(p, line);
	}
	if (ferror(stdin)) {
		perror("gw-normalize: stdin");
		p->status = 2;
	}
	free(line);
}

int
main(int argc, char **argv)
{
	prog p = {.o = {.prog = "gw-normalize"}};
	gw_buf err = GW_BUF_INIT;
	int i = gw_opts_parse(&p.o, argc, argv, usage);
	gw_rules *rs = gw_opts_rules(&p.o);

	if ((p.n = gw_normalizer_new(&err)) == NULL) {
		fprintf(stderr, "gw-normalize: %s\n", err.ptr);
		return 2;
	}
	gw_normalizer_set_rules(p.n, rs);
	if (i >= argc)
		do_stdin(&p);
	for (; i < argc; i++)
		do_path(&p, argv[i]);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("gw-normalize: stdout");
		p.status = 2;
	}
	gw_normalizer_free(p.n);
	gw_rules_free(rs);
	gw_buf_free(&p.rec);
	gw_buf_free(&err);
	return p.status;
}
