/* cli.c — what every program shares: its options, and the JSON Lines filter loop. */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static void
usage_exit(const gw_opts *o, const char *usage, int status)
{
	FILE *fp = status ? stderr : stdout;

	fprintf(fp, "usage: %s\n", usage);
	if (status)
		fprintf(fp, "Try '%s --help'.\n", o->prog);
	exit(status);
}

/* The value of an option that takes one: "--rules DIR" or "--rules=DIR". */
static const char *
opt_value(const gw_opts *o, int argc, char **argv, int *i, const char *name, const char *usage)
{
	size_t n = strlen(name);

	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (*i + 1 >= argc) {
		fprintf(stderr, "%s: %s needs a value\n", o->prog, name);
		usage_exit(o, usage, 2);
	}
	return argv[++*i];
}

static bool
is_opt(const char *arg, const char *name)
{
	size_t n = strlen(name);

	return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

int
gw_opts_parse(gw_opts *o, int argc, char **argv, const char *usage)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0)
			return i + 1;
		if (a[0] != '-' || a[1] == '\0')
			break;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			usage_exit(o, usage, 0);
		else if (strcmp(a, "--version") == 0) {
			printf("%s (gongwen) %s\n", o->prog, GW_VERSION);
			exit(0);
		} else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0)
			o->quiet = 1;
		else if (strcmp(a, "--pretty") == 0)
			o->pretty = 1;
		else if (is_opt(a, "--rules"))
			o->rules_dir = opt_value(o, argc, argv, &i, "--rules", usage);
		else if (is_opt(a, "--out"))
			o->out_dir = opt_value(o, argc, argv, &i, "--out", usage);
		else if (is_opt(a, "--jobs") || strcmp(a, "-j") == 0) {
			const char *v = opt_value(o, argc, argv, &i, a[1] == 'j' ? "-j" : "--jobs", usage);
			char *end;
			long n = strtol(v, &end, 10);

			if (*end || n < 1 || n > 256) {
				fprintf(stderr, "%s: --jobs takes a number from 1 to 256, not '%s'\n", o->prog, v);
				usage_exit(o, usage, 2);
			}
			o->jobs = (int)n;
		} else {
			fprintf(stderr, "%s: unknown option '%s'\n", o->prog, a);
			usage_exit(o, usage, 2);
		}
	}
	return i;
}

gw_rules *
gw_opts_rules(gw_opts *o)
{
	gw_buf err = GW_BUF_INIT;
	gw_rules *rs;

	if (o->rules_dir == NULL)
		o->rules_dir = gw_rules_default_dir(o->prog);
	rs = gw_rules_load(o->rules_dir, &err);
	if (rs == NULL) {
		fprintf(stderr, "%s: %s\n", o->prog, err.ptr ? err.ptr : "cannot load rules");
		gw_buf_free(&err);
		exit(2);
	}
	o->rules = rs;
	return rs;
}

/* An error record for a line that could not be read as a record: keep its id when it has one. */
static gw_doc *
bad_record(const char *line, size_t len, long lineno, enum gw_code code, const char *why)
{
	gw_doc *d = gw_doc_new();
	json_t *o = json_loadb(line, len, 0, NULL);
	json_t *id = o ? json_object_get(o, "id") : NULL;
	json_t *src = o ? json_object_get(o, "source") : NULL;
	json_t *path = json_is_object(src) ? json_object_get(src, "path") : NULL;

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
	gw_doc_fail(d, code, "record %ld: %s", lineno, why);
	return d;
}

int
gw_filter_stream(FILE *fp, const char *name, FILE *out, const gw_opts *o, unsigned stage,
                 gw_stage_fn fn, void *ctx)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;
	int status = 0;
	gw_buf err = GW_BUF_INIT, rec = GW_BUF_INIT;

	while ((n = getline(&line, &cap, fp)) > 0) {
		bool complete = line[n - 1] == '\n';
		size_t len = (size_t)n - complete;
		gw_doc *d;

		lineno++;
		if (len == 0 || strspn(line, " \t\r\n") == (size_t)n)
			continue;
		gw_buf_reset(&err);
		d = gw_json_read(line, len, &err);
		if (d == NULL) {
			enum gw_code c = complete ? GW_E_BAD_RECORD : GW_E_TRUNCATED;

			fprintf(stderr, "%s: %s:%ld:1: %s: %s: %s\n", o->prog, name, lineno,
			        gw_level_name(gw_code_level(c)), gw_code_message(c), err.ptr ? err.ptr : "");
			d = bad_record(line, len, lineno, c, err.ptr ? err.ptr : "");
			status = 1;
		} else if (!d->error) {
			if (fn(ctx, d) != 0 || d->error)
				status = 1;
			if (o->rules && !d->error)
				snprintf(d->rules_digest, sizeof d->rules_digest, "%s", gw_rules_digest(o->rules));
			gw_doc_print_diags(d, stderr, o->prog, stage, o->quiet ? GW_ERROR : GW_NOTE);
		} else
			status = 1; /* an error record from an earlier stage passes through */
		gw_buf_reset(&rec);
		gw_json_write(d, &rec, o->pretty ? GW_JSON_PRETTY : 0);
		fwrite(rec.ptr, 1, rec.len, out);
		gw_doc_free(d);
	}
	if (ferror(fp)) {
		fprintf(stderr, "%s: %s: read error: %s\n", o->prog, name, strerror(errno));
		status = 2;
	}
	if (fflush(out) != 0 || ferror(out)) {
		fprintf(stderr, "%s: write error: %s\n", o->prog, strerror(errno));
		status = 2;
	}
	free(line);
	gw_buf_free(&err);
	gw_buf_free(&rec);
	return status;
}
