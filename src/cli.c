/* cli.c — the command line of every program: one option-table parser, --help from the table. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* The same for every program, as in every man page's EXIT STATUS and the README. */
static const char exit_help[] =
    "Exit status: 0 all fine (warnings do not count); 1 some documents, records or examples\n"
    "failed, the others went on (gw-search: nothing found); 2 a usage, I/O, rules or archive\n"
    "error; 3 out of memory; 4 more documents failed than --max-failed allows.";

/* "-q, --quiet" or "--rules DIR" as --help shows it; its width. */
static int
opt_label(const gw_opt *p, char *buf, size_t size)
{
	char short_name[5] = "";

	if (p->short_name)
		snprintf(short_name, sizeof short_name, "-%c, ", p->short_name);
	return snprintf(buf, size, "%s--%s%s%s", short_name, p->name, p->arg ? " " : "",
	                p->arg ? p->arg : "");
}

/* Every program's last two lines of options: the parser itself answers them. */
static const gw_opt always[] = {{0, "help", 'h', NULL, "print this help and exit"},
                                {0, "version", 0, NULL, "print the version and exit"},
                                {0}};

static void
help(const gw_cli *c)
{
	const gw_opt *tables[] = {c->opts, always};
	char label[64];
	int w = 0;

	for (int t = 0; t < 2; t++)
		for (const gw_opt *p = tables[t]; p->name; p++) {
			int n = opt_label(p, label, sizeof label);

			w = n > w ? n : w;
		}
	printf("usage: %s\n%s\n", c->synopsis, c->about);
	for (int t = 0; t < 2; t++)
		for (const gw_opt *p = tables[t]; p->name; p++) {
			opt_label(p, label, sizeof label);
			printf("  %-*s  %s\n", w, label, p->help);
		}
	printf("%s\n", exit_help);
	exit(0);
}

/* After a usage error's message: one line that says where the usage is (as GNU tools do). */
static void __attribute__((noreturn))
usage_exit(void)
{
	fprintf(stderr, "Try '%s --help'.\n", gw_prog());
	exit(2);
}

void
gw_usage_error(const char *fmt, ...)
{
	gw_buf b = GW_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	gw_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	gw_msg(NULL, 0, GW_E_USAGE, "%s", b.ptr);
	gw_buf_free(&b);
	usage_exit();
}

/* The option arg names: --name[=value] or -x[value]; NULL when it is none of the table. */
static const gw_opt *
find(const gw_cli *c, const char *arg, const char **inline_value)
{
	*inline_value = NULL;
	for (const gw_opt *p = c->opts; p->name; p++) {
		size_t n = strlen(p->name);

		if (arg[1] == '-' && strncmp(arg + 2, p->name, n) == 0 &&
		    (arg[2 + n] == '\0' || arg[2 + n] == '=')) {
			*inline_value = arg[2 + n] == '=' ? arg + 3 + n : NULL;
			return p;
		}
		if (arg[1] != '-' && arg[1] == p->short_name && p->short_name) {
			*inline_value = arg[2] ? arg + 2 : NULL;
			return p;
		}
	}
	return NULL;
}

/* --max-failed's value: N documents, or P% of them (pct set); -1 when it is neither. */
static double
max_failed(const char *v, bool *pct)
{
	char *end;
	double n = strtod(v, &end);

	*pct = *end == '%';
	if (end == v || !(v[0] >= '0' && v[0] <= '9') || end[*pct] != '\0' || n < 0 ||
	    (*pct ? n > 100 : n != (double)(long)n))
		return -1;
	return n;
}

int
gw_opts_status(const gw_opts *o, int status, size_t docs, size_t failed)
{
	bool pct;
	double n;

	if (o->max_failed == NULL || status > 1)
		return status;
	n = max_failed(o->max_failed, &pct);
	if (pct ? (double)failed * 100 > n * (double)docs : (double)failed > n)
		return GW_EXIT_TOO_MANY_FAILED;
	return 0;
}

/* What a shared option takes when v is not it; NULL when it is set. */
static const char *
set(gw_opts *o, const gw_opt *p, const char *v)
{
	char *end;
	long n;
	bool pct;

	if (p->id == GW_O_RULES || p->id == GW_O_OUT)
		*(p->id == GW_O_RULES ? &o->rules_dir : &o->out_dir) = v;
	else if (p->id == GW_O_ERRORS || p->id == GW_O_SUMMARY)
		*(p->id == GW_O_ERRORS ? &o->errors : &o->summary) = v;
	else if (p->id == GW_O_MAX_FAILED) {
		o->max_failed = v;
		if (max_failed(v, &pct) < 0)
			return "a number N or a percentage P%";
	} else if (p->id == GW_O_QUIET || p->id == GW_O_PRETTY || p->id == GW_O_HTML)
		*(p->id == GW_O_QUIET ? &o->quiet : p->id == GW_O_PRETTY ? &o->pretty : &o->html) = 1;
	else if (p->id == GW_O_NULL)
		o->null = 1;
	else if (p->id != GW_O_JOBS)
		return o->set(o->ctx, p->id, v);
	else if ((n = strtol(v, &end, 10)) < 1 || n > 256 || *v == '\0' || *end)
		return "a number from 1 to 256";
	else
		o->jobs = (int)n;
	return NULL;
}

/* One option at argv[*i]; moves *i past its value. */
static void
option(gw_opts *o, const gw_cli *c, int argc, char **argv, int *i)
{
	const char *a = argv[*i], *v, *what;
	const gw_opt *p = find(c, a, &v);

	if (p == NULL)
		gw_msg(NULL, 0, GW_E_OPTION, "%s", a), usage_exit();
	if (p->arg == NULL && v != NULL)
		gw_msg(NULL, 0, GW_E_OPTION_VALUE, "--%s takes no value", p->name), usage_exit();
	if (p->arg && v == NULL) {
		if (*i + 1 >= argc)
			gw_msg(NULL, 0, GW_E_OPTION_VALUE, "%s needs a value", a), usage_exit();
		v = argv[++*i];
	}
	if ((what = set(o, p, v)) != NULL)
		gw_msg(NULL, 0, GW_E_OPTION_VALUE, "--%s takes %s, not '%s'", p->name, what, v),
		    usage_exit();
}

void
gw_opts_parse(gw_opts *o, const gw_cli *c, int argc, char **argv)
{
	bool options = true;

	o->prog = c->prog;
	gw_set_prog(c->prog);
	o->ops = argv + 1;
	o->nops = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;

		if (!options || a[0] != '-' || a[1] == '\0' || (unsigned char)a[1] >= 0x80 ||
		    (a[1] >= '0' && a[1] <= '9' && find(c, a, &v) == NULL))
			argv[1 + o->nops++] = argv[i]; /* an operand: "-", "-5", "-农村" (query words) */
		else if (strcmp(a, "--") == 0)
			options = false;
		else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			help(c);
		else if (strcmp(a, "--version") == 0) {
			printf("%s (gongwen) %s\n", c->prog, GW_VERSION);
			exit(0);
		} else
			option(o, c, argc, argv, &i);
	}
}

void
gw_stdin_wanted(const char *want)
{
	if (isatty(STDIN_FILENO))
		gw_usage_error("standard input is a terminal: give %s, or pipe them in", want);
}

void
gw_rules_error(const char *dir, const char *err)
{
	const char *colon = err ? strchr(err, ':') : NULL;
	char *end;
	long line = colon ? strtol(colon + 1, &end, 10) : 0;

	/* "file:line:col: LEVEL: message: …" from the typed-rule checks is a catalogue line already */
	if (colon && line > 0 && end[0] == ':' && isdigit((unsigned char)end[1]))
		fprintf(stderr, "%s: %s\n", gw_prog(), err);
	else if (colon && line > 0 && end[0] == ':' && end[1] == ' ') { /* "file:line: why" */
		char *file = gw_xstrndup(err, (size_t)(colon - err));

		gw_msg(file, line, GW_E_RULES, "%s", end + 2);
		free(file);
	} else
		gw_msg(dir, 0, GW_E_RULES, "%s", err && *err ? err : "");
}

gw_rules *
gw_opts_rules(gw_opts *o)
{
	gw_buf err = GW_BUF_INIT;
	gw_rules *rs;

	if (o->rules_dir == NULL)
		o->rules_dir = gw_rules_default_dir(o->prog);
	rs = gw_rules_load_for(o->rules_dir, o->families, o->examples, &err);
	if (rs == NULL) {
		gw_rules_error(o->rules_dir, err.ptr);
		gw_buf_free(&err);
		exit(2);
	}
	o->rules = rs;
	return rs;
}
