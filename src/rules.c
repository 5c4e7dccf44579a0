/* rules.c — load rule files (rules/README.md), check each rule's attributes against its family's
 * table, compile them once, match with limits, run their examples and the captures they assert. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* Limits on the work one match may do, so that no rule can hang a document (issue 6). */
#define MATCH_LIMIT GW_LIMIT_MATCH
#define DEPTH_LIMIT GW_LIMIT_MATCH_DEPTH
#define HEAP_LIMIT_KIB GW_LIMIT_MATCH_HEAP_KIB
#define JIT_STACK_MAX GW_LIMIT_JIT_STACK

typedef struct example {
	char *text;
	char *captures; /* after " => ": name=value … that the match must capture, or NULL */
	int line;
	bool must_match;
} example;

typedef struct attr {
	char *key, *value;
	int line;
} attr;

/* A code's JIT-compiled copy, made on the code's JIT_AFTER-th run (issue 14: a process runs
 * most of the rules it uses only a few times, where JIT-compiling each cost more than running
 * it in the interpreter: a third of the instructions of a run over one document).  A copy,
 * because other threads may be running the code in the interpreter meanwhile. */
#define JIT_AFTER 3

struct jit {
	pcre2_code *code;  /* when state is 2 */
	atomic_int state;  /* 0 not made yet, 1 none (JIT off, absent or failed), 2 made */
	atomic_uint runs;
};

struct gw_rule {
	char *id;
	uint32_t idhash;  /* of id: most ids compared are told apart without reading them */
	const char *file; /* points into rules->files */
	int line;
	gw_buf pattern;
	int pattern_line;
	example *ex;
	size_t nex, capex;
	attr *attrs;
	size_t nattrs, capattrs;
	pcre2_code *code;  /* never JIT-compiled: what the interpreter runs */
	const struct gw_rules *owner; /* for the shared match context */
	struct jit jit;    /* code's JIT-compiled copy */
	/* issue 6: the pattern compiled with PCRE2_ANCHORED for gw_rule_match_at, on first use
	 * (JIT cannot anchor at match time); from the expanded pattern kept here */
	gw_buf expanded;
	pcre2_code *acode;
	atomic_int anchored; /* 1 compiled or failed */
	struct jit ajit;     /* acode's JIT-compiled copy */
	uint32_t pairs;    /* capture pairs a match fills, with the whole match */
	bool has_first;    /* first: the bytes a match can start with (PCRE2's start bitmap) */
	bool at_start;     /* anchored by its pattern (^): a match begins at the start */
	bool has_last;     /* PCRE2 found a code unit every match ends in or holds */
	uint8_t first[32];
};

/* The codes decoded from the cache, in pages made in one go (MAP_POPULATE), not by a malloc each
 * whose pages fault one at a time (issue 14: start-up: on a virtual machine a fault costs some
 * 10 us, a populated page half of it).  PCRE2 asks for the codes' memory through this while the
 * load decodes them (one thread); what it asks for later (a code's JIT functions, in any thread)
 * comes from malloc, and a free of memory of the pages is nothing: they go with the rules. */
struct arena {
	char *base;
	size_t size, used;
	bool open;
};

typedef struct define {
	char *name, *value;
	const char *file;
	int line;
	size_t namelen; /* of name: find_define compares lengths first */
} define;

struct gw_rules {
	char **files;
	size_t nfiles;
	gw_rule *rules;
	size_t nrules, caprules;
	define *defs;
	size_t ndefs, capdefs;
	pcre2_match_context *mctx;
	char digest[65];
	struct gw_union *unions; /* built by gw_rules_union, shared like the rules */
	struct typed *typed;     /* while loading: what checking a value of each attribute needs */
	pcre2_match_data *md;    /* while loading: for each T_REGEX value checked */
	struct arena arena;      /* of the codes decoded from the cache */
	const char *families;    /* while loading: the families compiled (gw_rules_load_for) */
	bool examples;           /* each rule's examples kept (gw_rules_load) */
};

/* Per-thread match data and JIT stack: the compiled rules are shared read-only. */
static _Thread_local pcre2_match_data *tl_md;
static _Thread_local uint32_t tl_mdpairs;
static _Thread_local pcre2_jit_stack *tl_jit;
static pthread_key_t tl_key; /* its destructor frees them when a worker thread ends */
static pthread_once_t tl_once = PTHREAD_ONCE_INIT;

static void
tl_release(void *unused)
{
	(void)unused;
	pcre2_match_data_free(tl_md);
	tl_md = NULL;
	tl_mdpairs = 0;
	pcre2_jit_stack_free(tl_jit);
	tl_jit = NULL;
}

static void
tl_key_make(void)
{
	pthread_key_create(&tl_key, tl_release);
}

/* This thread made its match data or JIT stack: have them freed when it ends. */
static void
tl_made(void)
{
	pthread_once(&tl_once, tl_key_make);
	pthread_setspecific(tl_key, &tl_key);
}

static pcre2_jit_stack *
jit_stack_cb(void *unused)
{
	(void)unused;
	if (tl_jit == NULL) {
		tl_jit = pcre2_jit_stack_create(32 * 1024, JIT_STACK_MAX, NULL);
		tl_made();
	}
	return tl_jit;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted list of *.rules files in dir; -1 when dir cannot be read. */
static int
list_files(gw_rules *rs, const char *dir, gw_buf *err)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	size_t cap = 0;

	if (dp == NULL) {
		gw_buf_printf(err, "%s: cannot open rules folder: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(dp)) != NULL) {
		size_t n = strlen(de->d_name);

		if (n < 7 || strcmp(de->d_name + n - 6, ".rules") != 0 || de->d_name[0] == '.')
			continue;
		gw_grow((void **)&rs->files, &cap, rs->nfiles + 1, sizeof *rs->files);
		rs->files[rs->nfiles] = gw_xmalloc(strlen(dir) + n + 2);
		sprintf(rs->files[rs->nfiles], "%s/%s", dir, de->d_name);
		rs->nfiles++;
	}
	closedir(dp);
	if (rs->nfiles == 0) {
		gw_buf_printf(err, "%s: no *.rules files in the rules folder", dir);
		return -1;
	}
	qsort(rs->files, rs->nfiles, sizeof *rs->files, name_cmp);
	return 0;
}

/* The bytes of path, NUL-terminated; NULL with errno when it cannot be opened.  Read into a
 * buffer of the file's size, not grown 8 KB at a time (issue 14: start-up); a file that grows
 * meanwhile is read on, and a read error ends the bytes as the end of the file does. */
static char *
read_all(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	gw_buf b = GW_BUF_INIT;

	if (fd < 0)
		return NULL;
	/* the NUL, and a byte for the read that sees the end */
	gw_buf_reserve(&b, fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0
	                       ? (size_t)st.st_size + 1 : 8191);
	gw_fd_read_rest(fd, &b, 1, SIZE_MAX);
	close(fd);
	*len = b.len;
	return b.ptr;
}

/* A copy of s[0..n) with \n \t \\ made a line break, a tab, a backslash (in examples); the
 * bytes up to the next backslash copied at once. */
static char *
unescape(const char *s, size_t n)
{
	gw_buf b = GW_BUF_INIT;
	const char *end = s + n, *q;

	while ((q = memchr(s, '\\', (size_t)(end - s))) != NULL) {
		bool esc = q + 1 < end && strchr("nt\\", q[1]);

		gw_buf_put(&b, s, (size_t)(q - s));
		gw_buf_putc(&b, !esc ? '\\' : q[1] == 'n' ? '\n' : q[1] == 't' ? '\t' : '\\');
		s = q + 1 + esc;
	}
	gw_buf_put(&b, s, (size_t)(end - s));
	return gw_buf_detach(&b);
}

static uint32_t
id_hash(const char *id)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	while (*id)
		h = (h ^ (unsigned char)*id++) * 16777619u;
	return h;
}

/* Parse one "keyword value" line into rs; -1 with a message on error. */
static int
parse_line(gw_rules *rs, const char *file, int lineno, char *s, gw_buf *err)
{
	char *kw = s, *val;
	gw_rule *r = rs->nrules ? &rs->rules[rs->nrules - 1] : NULL;

	while (*s && *s != ' ' && *s != '\t')
		s++;
	val = s;
	if (*s) {
		*s = '\0';
		val = s + 1;
		while (*val == ' ' || *val == '\t')
			val++;
	}
	if (strcmp(kw, "define") == 0) {
		char *v = val;

		while (*v && *v != ' ' && *v != '\t')
			v++;
		if (v == val) {
			gw_buf_printf(err, "%s:%d: define needs a name and a value", file, lineno);
			return -1;
		}
		if (*v)
			*v++ = '\0';
		while (*v == ' ' || *v == '\t')
			v++;
		gw_grow((void **)&rs->defs, &rs->capdefs, rs->ndefs + 1, sizeof *rs->defs);
		rs->defs[rs->ndefs++] =
		    (define){gw_xstrdup(val), gw_xstrdup(v), file, lineno, strlen(val)};
		return 0;
	}
	if (strcmp(kw, "rule") == 0) {
		uint32_t h = id_hash(val);

		if (*val == '\0' || strpbrk(val, " \t")) {
			gw_buf_printf(err, "%s:%d: rule needs one id", file, lineno);
			return -1;
		}
		for (size_t i = 0; i < rs->nrules; i++)
			if (rs->rules[i].idhash == h && strcmp(rs->rules[i].id, val) == 0) {
				gw_buf_printf(err, "%s:%d: rule %s: id already used at %s:%d", file,
				              lineno, val, rs->rules[i].file, rs->rules[i].line);
				return -1;
			}
		gw_grow((void **)&rs->rules, &rs->caprules, rs->nrules + 1, sizeof *rs->rules);
		r = &rs->rules[rs->nrules++];
		memset(r, 0, sizeof *r);
		r->id = gw_xstrdup(val);
		r->idhash = h;
		r->file = file;
		r->line = lineno;
		return 0;
	}
	if (r == NULL) {
		gw_buf_printf(err, "%s:%d: '%s' outside a rule block", file, lineno, kw);
		return -1;
	}
	if (strcmp(kw, "pattern") == 0) {
		if (r->pattern_line == 0)
			r->pattern_line = lineno;
		gw_buf_puts(&r->pattern, val);
	} else if (strcmp(kw, "match") == 0 || strcmp(kw, "nomatch") == 0) {
		char *cap = strstr(val, " => ");

		if (!rs->examples) /* only gw_rules_check_examples reads them */
			return 0;
		if (cap)
			*cap = '\0', cap += 4;
		gw_grow((void **)&r->ex, &r->capex, r->nex + 1, sizeof *r->ex);
		r->ex[r->nex++] = (example){unescape(val, strlen(val)), cap ? gw_xstrdup(cap) : NULL,
		                            lineno, kw[0] == 'm'};
	} else {
		gw_grow((void **)&r->attrs, &r->capattrs, r->nattrs + 1, sizeof *r->attrs);
		r->attrs[r->nattrs++] = (attr){gw_xstrdup(kw), gw_xstrdup(val), lineno};
	}
	return 0;
}

/* The lines of text (NUL-terminated at len) are cut in place: the digest has read it. */
static int
parse_file(gw_rules *rs, const char *file, char *text, size_t len, gw_buf *err)
{
	char *p = text, *end = text + len;
	int lineno = 0;

	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		char *e = nl ? nl : end;

		lineno++;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		while (e > p && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			e--;
		*e = '\0';
		if (p < e && *p != '#' && parse_line(rs, file, lineno, p, err) < 0)
			return -1;
		p = nl ? nl + 1 : end;
	}
	return 0;
}

static const define *
find_define(const gw_rules *rs, const char *name, size_t n)
{
	for (size_t i = rs->ndefs; i-- > 0;)
		if (rs->defs[i].namelen == n && memcmp(rs->defs[i].name, name, n) == 0)
			return &rs->defs[i];
	return NULL;
}

/* Expand {NAME} macros of src into out; depth guards against a define that uses itself. */
static int
expand(const gw_rules *rs, const char *src, gw_buf *out, int depth, const char *file, int line,
       gw_buf *err)
{
	const char *p = src;

	if (depth > 16) {
		gw_buf_printf(err, "%s:%d: defines nest too deep (a define that uses itself?)", file, line);
		return -1;
	}
	while (*p) {
		const char *q = p + 1;

		if (*p == '{' && *q >= 'A' && *q <= 'Z') {
			while ((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_')
				q++;
			if (*q == '}') {
				const define *d = find_define(rs, p + 1, (size_t)(q - p - 1));

				if (d == NULL) {
					gw_buf_printf(err, "%s:%d: {%.*s} is not defined", file, line,
					              (int)(q - p - 1), p + 1);
					return -1;
				}
				if (expand(rs, d->value, out, depth + 1, file, line, err) < 0)
					return -1;
				p = q + 1;
				continue;
			}
		}
		q = strchr(p + 1, '{'); /* the bytes up to the next brace, at once */
		q = q ? q : p + strlen(p);
		gw_buf_put(out, p, (size_t)(q - p));
		p = q;
	}
	return 0;
}

/* ---------------------------------------------------------------- typed attributes */

/* The attributes each family of rules takes (issue 11): the ones its stage reads, with the values
 * it understands, so that a typo (region tial, socpe after) stops the load instead of silently
 * turning a rule off.  family is an id prefix ("" for every rule). */
enum atype {
	T_ENUM,  /* one word of arg, or a name that name_at gives */
	T_INT,   /* a decimal integer in min..max */
	T_HEX,   /* a hexadecimal code point in min..max */
	T_RULES, /* the id of a rule of the family arg */
	T_REGEX, /* text that the pattern arg matches */
};

typedef struct aspec {
	const char *family, *name;
	enum atype type;
	const char *arg;
	long min, max;
	bool list; /* several values, space-separated; the attribute may be given on several lines */
	bool need; /* every rule of the family has it */
	const char *(*name_at)(int i); /* T_ENUM without arg: the names the model defines */
} aspec;

static const char *
kind_at(int i)
{
	return i < GW_NKINDS ? gw_kind_name((enum gw_kind)i) : NULL;
}

static const char *
qkind_at(int i)
{
	return i <= GW_Q_OTHER ? gw_qkind_name((enum gw_qkind)i) : NULL;
}

#define SCOPES "notice doc heading section unit number text before sentence line after since when column"

static const aspec specs[] = {
    {"", "options", T_ENUM, .arg = "caseless multiline extended dotall", .list = true},
    /* rules/header.rules, read by gw-segment */
    {"header.", "doc-type", T_REGEX, .arg = "^\\p{Han}+$"},
    /* rules/normalize.rules: page chrome, read by gw-normalize */
    {"chrome.", "region", T_ENUM, .arg = "head tail both"},
    {"chrome.", "kind", T_REGEX, .arg = "^[a-z][a-z-]*$"},
    /* rules/structure.rules: numbered units, read by gw-segment and gw-normalize */
    {"node.", "kind", T_ENUM, .need = true, .name_at = kind_at},
    {"node.", "heading", T_ENUM, .arg = "line inline article"},
    {"node.", "heading-max", T_INT, .min = 1, .max = 1000},
    {"node.", "series", T_ENUM, .arg = "yes no"},
    {"node.", "outline-top", T_ENUM, .arg = "yes no"},
    {"node.", "ordinal-base", T_HEX, .min = 0x20, .max = 0x10FFFF},
    /* rules/quantity.rules, read by gw-extract */
    {"quantity.", "unit", T_REGEX, .arg = "^\\S+$"},
    {"quantity.", "comparator", T_ENUM, .arg = "range"},
    {"quantity.", "value", T_ENUM, .arg = "fraction tenths"},
    {"stop.", "reason", T_REGEX, .arg = "^[a-z][a-z-]*$"},
    {"stop.", "lead", T_REGEX, .arg = "^\\S+$"},
    {"cmp.", "side", T_ENUM, .arg = "before after"},
    {"cmp.", "comparator", T_ENUM, .arg = "eq ge gt le lt approx", .need = true},
    {"subject.", "units", T_REGEX, .arg = "^\\S+$", .list = true},
    /* rules/kind.rules, read by gw-extract */
    {"kind.", "kind", T_ENUM, .name_at = qkind_at},
    {"kind.", "scope", T_ENUM, .arg = SCOPES, .list = true, .need = true},
    {"kind.", "requires", T_RULES, .arg = "kind.", .list = true},
    {"kind.", "unless", T_RULES, .arg = "kind.", .list = true},
};

/* The keywords of the format itself, for the misspelt-key check. */
static const char *const keywords[] = {"rule", "define", "pattern", "match", "nomatch"};

static bool
in_family(const char *id, const char *family)
{
	return strncmp(id, family, strlen(family)) == 0;
}

static const aspec *
spec_of(const gw_rule *r, const char *key)
{
	for (size_t i = 0; i < sizeof specs / sizeof *specs; i++)
		if (in_family(r->id, specs[i].family) && strcmp(specs[i].name, key) == 0)
			return &specs[i];
	return NULL;
}

/* Optimal string alignment distance between a and b (byte-wise; keys are ASCII), at most 3. */
static int
distance(const char *a, const char *b)
{
	size_t m = strlen(a), n = strlen(b);
	int d[24][24];

	if (m > 22 || n > 22)
		return 3;
	for (size_t i = 0; i <= m; i++)
		for (size_t j = 0; j <= n; j++) {
			int v = i == 0 ? (int)j : j == 0 ? (int)i : d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);

			if (i > 0 && j > 0) {
				v = d[i - 1][j] + 1 < v ? d[i - 1][j] + 1 : v;
				v = d[i][j - 1] + 1 < v ? d[i][j - 1] + 1 : v;
				if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
				    d[i - 2][j - 2] + 1 < v)
					v = d[i - 2][j - 2] + 1;
			}
			d[i][j] = v;
		}
	return d[m][n] < 3 ? d[m][n] : 3;
}

/* The word of words (space-separated) nearest to w, when it is one or two edits away and w is
 * not much shorter than that: socpe → scope, inlnie → inline. */
static const char *
nearest(const char *w, const char *words, char *out, size_t cap)
{
	int best = 3;

	while (*words) {
		size_t n = strcspn(words, " ");
		char cand[32];
		int dist;

		if (n < sizeof cand) {
			memcpy(cand, words, n);
			cand[n] = '\0';
			dist = distance(w, cand);
			if (dist < best && (size_t)dist * 3 < n && n < cap)
				best = dist, memcpy(out, cand, n + 1);
		}
		words += n;
		words += *words == ' ';
	}
	return best < 3 ? out : NULL;
}

static int reject(gw_buf *err, const gw_rule *r, int line, enum gw_code c, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* "file:line:1: ERROR: message: rule ID: detail", the catalogue's format without the program. */
static int
reject(gw_buf *err, const gw_rule *r, int line, enum gw_code c, const char *fmt, ...)
{
	va_list ap;

	gw_buf_printf(err, "%s:%d:1: %s: %s: rule %s: ", r->file, line,
	              gw_level_name(gw_code_level(c)), gw_code_message(c), r->id);
	va_start(ap, fmt);
	gw_buf_vprintf(err, fmt, ap);
	va_end(ap);
	return -1;
}

/* Every attribute name r's family takes, space-separated, into b. */
static void
names_of(const gw_rule *r, gw_buf *b, bool with_keywords)
{
	for (size_t i = 0; i < sizeof specs / sizeof *specs; i++)
		if (in_family(r->id, specs[i].family))
			gw_buf_printf(b, "%s%s", b->len ? " " : "", specs[i].name);
	for (size_t i = 0; with_keywords && i < sizeof keywords / sizeof *keywords; i++)
		gw_buf_printf(b, " %s", keywords[i]);
}

static int
unknown_key(const gw_rule *r, const attr *a, gw_buf *err)
{
	gw_buf names = GW_BUF_INIT;
	char near[32];
	int rc;

	names_of(r, &names, true);
	if (nearest(a->key, names.ptr, near, sizeof near))
		rc = reject(err, r, a->line, GW_E_RULE_KEY, "%s (did you mean %s?)", a->key, near);
	else {
		gw_buf_reset(&names);
		names_of(r, &names, false);
		rc = reject(err, r, a->line, GW_E_RULE_ATTR, "%s (this rule takes: %s)", a->key,
		            names.ptr);
	}
	gw_buf_free(&names);
	return rc;
}

/* The words a T_ENUM allows, space-separated: its arg, or the names name_at gives, into b. */
static const char *
words_of(const aspec *s, gw_buf *b)
{
	const char *w;

	if (s->arg)
		return s->arg;
	for (int i = 0; (w = s->name_at(i)) != NULL; i++)
		gw_buf_printf(b, "%s%s", i ? " " : "", w);
	return b->ptr;
}

static bool
is_word_of(const char *v, const char *words)
{
	size_t k = strlen(v);

	for (const char *p = words; (p = strstr(p, v)) != NULL; p += k)
		if ((p == words || p[-1] == ' ') && (p[k] == ' ' || p[k] == '\0'))
			return k > 0;
	return false;
}

/* What checking a value of s needs, made for its first value and kept for the load's others
 * (issue 14: start-up): the words of a T_ENUM, the compiled pattern of a T_REGEX. */
struct typed {
	const char *words; /* its arg, or the names printed into names */
	gw_buf names;
	pcre2_code *re;
};

static struct typed *
typed_of(gw_rules *rs, const aspec *s)
{
	struct typed *t;
	int ec;
	PCRE2_SIZE eo;

	if (rs->typed == NULL)
		rs->typed = gw_xcalloc(sizeof specs / sizeof *specs, sizeof *rs->typed);
	t = &rs->typed[s - specs];
	if (s->type == T_ENUM && t->words == NULL)
		t->words = words_of(s, &t->names);
	if (s->type == T_REGEX && t->re == NULL)
		t->re = pcre2_compile((PCRE2_SPTR)s->arg, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP,
		                      &ec, &eo, NULL);
	return t;
}

static void
typed_free(gw_rules *rs)
{
	for (size_t k = 0; rs->typed && k < sizeof specs / sizeof *specs; k++)
		gw_buf_free(&rs->typed[k].names), pcre2_code_free(rs->typed[k].re);
	free(rs->typed);
	rs->typed = NULL;
	pcre2_match_data_free(rs->md);
	rs->md = NULL;
}

/* Whether one value v (NUL-terminated) has the type of s. */
static bool
value_ok(gw_rules *rs, const aspec *s, const char *v)
{
	char *end;
	long n;

	switch (s->type) {
	case T_ENUM:
		return is_word_of(v, typed_of(rs, s)->words);
	case T_INT:
	case T_HEX:
		n = strtol(v, &end, s->type == T_INT ? 10 : 16);
		return end != v && *end == '\0' && n >= s->min && n <= s->max;
	case T_RULES:
		return in_family(v, s->arg) && gw_rules_get(rs, v) != NULL;
	case T_REGEX: /* one match data for the load: PCRE2 allocates its frames at a first match */
		if (rs->md == NULL)
			rs->md = pcre2_match_data_create(1, NULL);
		return pcre2_match(typed_of(rs, s)->re, (PCRE2_SPTR)v, PCRE2_ZERO_TERMINATED, 0, 0,
		                   rs->md, NULL) > 0;
	}
	return false;
}

static int
bad_value(const gw_rule *r, const attr *a, const aspec *s, const char *v, gw_buf *err)
{
	char near[32];
	gw_buf b = GW_BUF_INIT;
	int rc;

	const char *words;

	switch (s->type) {
	case T_ENUM:
		words = words_of(s, &b);
		if (nearest(v, words, near, sizeof near))
			rc = reject(err, r, a->line, GW_E_RULE_VALUE, "%s %s (did you mean %s?)", a->key,
			            v, near);
		else
			rc = reject(err, r, a->line, GW_E_RULE_VALUE, "%s %s (one of: %s)", a->key, v,
			            words);
		gw_buf_free(&b);
		return rc;
	case T_INT:
		return reject(err, r, a->line, GW_E_RULE_VALUE, "%s %s (an integer in %ld..%ld)",
		              a->key, v, s->min, s->max);
	case T_HEX:
		return reject(err, r, a->line, GW_E_RULE_VALUE,
		              "%s %s (a hexadecimal code point in %lX..%lX)", a->key, v, s->min, s->max);
	case T_RULES:
		return reject(err, r, a->line, GW_E_RULE_VALUE, "%s %s (not the id of a %s* rule)",
		              a->key, v, s->arg);
	default:
		return reject(err, r, a->line, GW_E_RULE_VALUE, "%s %s (does not match %s)", a->key,
		              v, s->arg);
	}
}

/* Each word of a list attribute, or the whole value of another, against its type. */
static int
check_value(gw_rules *rs, const gw_rule *r, const attr *a, const aspec *s, gw_buf *err)
{
	const char *p = a->value;
	char *v;
	int rc = 0;

	if (!s->list)
		return value_ok(rs, s, p) ? 0 : bad_value(r, a, s, p, err);
	while (rc == 0 && *p) {
		size_t n = strcspn(p, " \t");

		v = gw_xstrndup(p, n);
		if (!value_ok(rs, s, v))
			rc = bad_value(r, a, s, v, err);
		free(v);
		p += n;
		p += strspn(p, " \t");
	}
	return rc;
}

/* r's attributes against the table: known to its family, given once (a list may take several
 * lines), each value of its type, none that the family needs missing. */
static int
check_attrs(gw_rules *rs, const gw_rule *r, gw_buf *err)
{
	for (size_t i = 0; i < r->nattrs; i++) {
		const attr *a = &r->attrs[i];
		const aspec *s = spec_of(r, a->key);

		if (s == NULL)
			return unknown_key(r, a, err);
		for (size_t k = 0; k < i && !s->list; k++)
			if (strcmp(r->attrs[k].key, a->key) == 0)
				return reject(err, r, a->line, GW_E_RULE_VALUE,
				              "%s given twice (first on line %d)", a->key, r->attrs[k].line);
		if (check_value(rs, r, a, s, err) < 0)
			return -1;
	}
	for (size_t i = 0; i < sizeof specs / sizeof *specs; i++)
		if (specs[i].need && in_family(r->id, specs[i].family) &&
		    gw_rule_attr(r, specs[i].name) == NULL)
			return reject(err, r, r->line, GW_E_RULE_MISSING, "%s", specs[i].name);
	return 0;
}

/* A list attribute given on several lines reads as one list: later lines join the first. */
static void
merge_lists(gw_rule *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nattrs; i++) {
		attr *a = &r->attrs[i];
		size_t k = 0;

		while (k < n && strcmp(r->attrs[k].key, a->key) != 0)
			k++;
		if (k == n) {
			r->attrs[n++] = *a;
			continue;
		}
		r->attrs[k].value = gw_xrealloc(r->attrs[k].value,
		                                strlen(r->attrs[k].value) + strlen(a->value) + 2);
		strcat(strcat(r->attrs[k].value, " "), a->value);
		free(a->key), free(a->value);
	}
	r->nattrs = n;
}

/* what every rule is compiled with (part of the cache's key) */
#define BASE_OPTIONS (PCRE2_UTF | PCRE2_UCP)

static uint32_t
options_of(const gw_rule *r)
{
	const char *o = gw_rule_attr(r, "options");
	uint32_t opt = BASE_OPTIONS;

	if (o == NULL)
		return opt;
	if (strstr(o, "caseless"))
		opt |= PCRE2_CASELESS;
	if (strstr(o, "multiline"))
		opt |= PCRE2_MULTILINE;
	if (strstr(o, "extended"))
		opt |= PCRE2_EXTENDED;
	if (strstr(o, "dotall"))
		opt |= PCRE2_DOTALL;
	return opt;
}

/* The bytes a match of code can start with, from what PCRE2's study found (a first code unit
 * or a bitmap; none when the pattern can match the empty string or starts at a line start), so
 * that gw_rule_match_at turns down a start it cannot match without running the pattern: most
 * rules tried at a number start cannot begin there (a digit rule at 一, a 第 rule at 5).  A
 * first ASCII letter admits its other case too: the pattern may be caseless from within, (?i). */
static bool
first_bytes(const pcre2_code *code, uint8_t first[32])
{
	uint32_t type = 0, unit;
	const uint8_t *map = NULL;

	pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODETYPE, &type);
	if (type == 1) {
		pcre2_pattern_info(code, PCRE2_INFO_FIRSTCODEUNIT, &unit);
		memset(first, 0, 32);
		first[unit >> 3] = (uint8_t)(1u << (unit & 7));
		if ((unit | 0x20) >= 'a' && (unit | 0x20) <= 'z')
			unit ^= 0x20, first[unit >> 3] |= (uint8_t)(1u << (unit & 7));
		return true;
	}
	if (type == 0 && pcre2_pattern_info(code, PCRE2_INFO_FIRSTBITMAP, &map) == 0 && map) {
		memcpy(first, map, 32);
		return true;
	}
	return false;
}

/* issue 14: start-up.  A load whose rules a run compiled before takes their codes from the
 * cache (rcache.c): decoding them costs a fraction of compiling.  The payload: the number of
 * twin records (u32, then 4 zero bytes), the records (u32 k, then the 32 start bytes of the
 * twin of the k-th code: start_filter), zeros to a multiple of 8, pcre2_serialize_encode's
 * bytes of the codes in the order of the rules.  Change CACHE_FORMAT when what a load compiles
 * or keeps of it changes. */
#define CACHE_FORMAT 1
#define TWIN_BYTES 36

struct compiled {
	char *key;
	pcre2_code **codes;  /* decoded, each handed to its rule; NULL: compile them */
	size_t n, next;      /* codes of the load, and the one the next rule compiled takes */
	uint8_t *twins;      /* the twin records read */
	size_t ntwins, twin; /* and the next one to look at */
	gw_buf made;         /* the twin records made while compiling, for the cache */
	gw_buf expanding;    /* each pattern expanded here, then copied to its rule at its size */
};

/* issue 14: PCRE2 studies no start bytes for a pattern that anchors itself (^\h*…, the line
 * rules), so each line cost a run of the pattern.  Where the subject starts, the pattern
 * without its leading ^ matches just as it does: its start bytes are the pattern's.  The
 * twin's start bytes come from the cache when the code did (k: the code's number). */
static void
start_filter(gw_rule *r, struct compiled *cc, uint32_t k)
{
	uint32_t opt = 0, last = 0;
	pcre2_code *twin;
	int ec;
	PCRE2_SIZE eo;

	pcre2_pattern_info(r->code, PCRE2_INFO_ALLOPTIONS, &opt);
	r->at_start = (opt & PCRE2_ANCHORED) != 0;
	pcre2_pattern_info(r->code, PCRE2_INFO_LASTCODETYPE, &last);
	r->has_last = last != 0;
	r->has_first = first_bytes(r->code, r->first);
	if (r->has_first || !r->at_start || r->expanded.len < 2 || r->expanded.ptr[0] != '^')
		return;
	if (cc->codes != NULL) { /* a record when the twin had start bytes */
		uint32_t t = 0;

		for (; cc->twin < cc->ntwins; cc->twin++) {
			memcpy(&t, cc->twins + cc->twin * TWIN_BYTES, 4);
			if (t >= k)
				break;
		}
		if (cc->twin < cc->ntwins && t == k) {
			memcpy(r->first, cc->twins + cc->twin * TWIN_BYTES + 4, 32);
			r->has_first = true;
		}
		return;
	}
	twin = pcre2_compile((PCRE2_SPTR)r->expanded.ptr + 1, r->expanded.len - 1, options_of(r),
	                     &ec, &eo, NULL);
	if (twin)
		r->has_first = first_bytes(twin, r->first);
	pcre2_code_free(twin);
	if (r->has_first) {
		gw_buf_put(&cc->made, &k, 4);
		gw_buf_put(&cc->made, r->first, 32);
	}
}

/* Whether id is of one of families ("chrome. node.": id prefixes); NULL is every family. */
static bool
in_families(const char *id, const char *families)
{
	for (const char *p = families; p && *p; p += *p == ' ') {
		size_t n = strcspn(p, " ");

		if (n && strncmp(id, p, n) == 0)
			return true;
		p += n;
	}
	return families == NULL;
}

/* r's pattern expanded, and compiled when r is of a family the program runs (issue 14: a
 * program compiles the rules its stages run, not every rule of the folder). */
static int
compile_rule(gw_rules *rs, gw_rule *r, struct compiled *cc, gw_buf *err)
{
	const gw_buf *pat = &r->expanded; /* freed with r, with what an error left (fuzz_rules) */
	int ec;
	PCRE2_SIZE eo;

	if (r->pattern.len == 0) {
		gw_buf_printf(err, "%s:%d: rule %s has no pattern", r->file, r->line, r->id);
		return -1;
	}
	/* expanded in a buffer of the load, not grown in each rule's (issue 14: start-up: fewer
	 * pages touched); the pattern as written is not read again, and the expanded one only
	 * for a rule compiled (no stage is handed another) */
	cc->expanding.len = 0;
	if (expand(rs, r->pattern.ptr, &cc->expanding, 0, r->file, r->pattern_line, err) < 0)
		return -1;
	gw_buf_free(&r->pattern);
	if (!in_families(r->id, rs->families))
		return 0;
	if (cc->expanding.len > 0)
		gw_buf_put(&r->expanded, cc->expanding.ptr, cc->expanding.len);
	if (cc->codes != NULL && cc->next < cc->n) {
		r->code = cc->codes[cc->next];
		cc->codes[cc->next] = NULL;
	} else
		r->code =
		    pcre2_compile((PCRE2_SPTR)pat->ptr, pat->len, options_of(r), &ec, &eo, NULL);
	if (r->code == NULL) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(ec, msg, sizeof msg);
		gw_buf_printf(err, "%s:%d: rule %s: %s at offset %zu of the expanded pattern: %s",
		              r->file, r->pattern_line, r->id, (char *)msg, (size_t)eo, pat->ptr);
		return -1;
	}
	pcre2_pattern_info(r->code, PCRE2_INFO_CAPTURECOUNT, &r->pairs);
	r->pairs++;
	start_filter(r, cc, (uint32_t)cc->next++);
	return 0;
}

static void *
arena_malloc(PCRE2_SIZE n, void *data)
{
	struct arena *a = data;
	size_t k = (n + 15) & ~(size_t)15; /* as malloc aligns */

	if (a->open && k >= n && a->size - a->used >= k) {
		void *p = a->base + a->used;

		a->used += k;
		return p;
	}
	return malloc(n);
}

static bool
in_arena(const struct arena *a, const void *p)
{
	uintptr_t u = (uintptr_t)p, b = (uintptr_t)a->base;

	return a->base != NULL && u >= b && u - b < a->size;
}

static void
arena_free(void *p, void *data)
{
	if (!in_arena(data, p))
		free(p);
}

/* n codes decoded from bytes into codes[], their memory from rs's arena of size bytes (the
 * serialized codes hold every byte the decoded ones take, but for alignment); its return. */
static int32_t
arena_decode(gw_rules *rs, pcre2_code **codes, int32_t n, const uint8_t *bytes, size_t size)
{
	struct arena *a = &rs->arena;
	pcre2_general_context *gc = pcre2_general_context_create(arena_malloc, arena_free, a);
	int32_t got;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;

#ifdef MAP_POPULATE
	flags |= MAP_POPULATE;
#endif
	a->size = size + 16 * ((size_t)n + 2);
	a->base = gc ? mmap(NULL, a->size, PROT_READ | PROT_WRITE, flags, -1, 0) : MAP_FAILED;
	if (a->base == MAP_FAILED)
		a->base = NULL, a->size = 0;
	a->used = 0;
	a->open = true;
	got = pcre2_serialize_decode(codes, n, bytes, gc);
	a->open = false;
	pcre2_general_context_free(gc);
	return got;
}

static void
arena_close(struct arena *a)
{
	if (a->base != NULL)
		munmap(a->base, a->size);
	*a = (struct arena){0};
}

/* What the cached codes depend on besides the rules: the families compiled, PCRE2 (its
 * serialized codes load only into the same version and build), the options, this program. */
static char *
cache_key(const gw_rules *rs)
{
	PCRE2_UCHAR ver[64] = "";
	const uint16_t one = 1;
	gw_buf k = GW_BUF_INIT;

	pcre2_config(PCRE2_CONFIG_VERSION, ver);
	gw_buf_printf(&k,
	              "rules cache %d\ngongwen %s\ndigest %s\nfamilies %s\npcre2 %s\n"
	              "options %x\nsizes %zu %zu %s\n",
	              CACHE_FORMAT, GW_VERSION, rs->digest, rs->families ? rs->families : "*",
	              (const char *)ver, (unsigned)BASE_OPTIONS, sizeof(void *), sizeof(size_t),
	              *(const uint8_t *)&one ? "le" : "be");
	return gw_buf_detach(&k);
}

/* The codes of the load's rules from the cache, when it has them for this key: cc->codes. */
static void
cache_open(gw_rules *rs, struct compiled *cc)
{
	size_t len = 0, off;
	uint32_t ntwins = 0;
	int32_t got;
	gw_rcache file;
	const uint8_t *p;

	for (size_t i = 0; i < rs->nrules; i++)
		cc->n += in_families(rs->rules[i].id, rs->families);
	cc->key = cache_key(rs);
	if (cc->n == 0 || (p = gw_rcache_open(&file, "rules", cc->key, &len)) == NULL)
		return;
	/* the file checked (key, length, checksum): what a run wrote for these rules, but
	 * pcre2_serialize_decode trusts its bytes, so each count is checked too */
	if (len >= 8)
		memcpy(&ntwins, p, 4);
	off = (8 + (size_t)ntwins * TWIN_BYTES + 7) & ~(size_t)7;
	if (len < 8 || ntwins > len / TWIN_BYTES || off + 16 > len ||
	    pcre2_serialize_get_number_of_codes(p + off) != (int32_t)cc->n) {
		gw_rcache_close(&file);
		return;
	}
	cc->codes = gw_xcalloc(cc->n, sizeof *cc->codes);
	got = arena_decode(rs, cc->codes, (int32_t)cc->n, p + off, len - off);
	if (got != (int32_t)cc->n) {
		for (int32_t i = 0; i < got; i++)
			pcre2_code_free(cc->codes[i]);
		free(cc->codes);
		cc->codes = NULL;
		arena_close(&rs->arena);
	} else {
		cc->ntwins = ntwins;
		cc->twins = gw_xmalloc((size_t)ntwins * TWIN_BYTES + 1);
		memcpy(cc->twins, p + 8, (size_t)ntwins * TWIN_BYTES);
	}
	gw_rcache_close(&file);
}

/* The codes just compiled, and their twins' start bytes, written to the cache. */
static void
cache_save(const gw_rules *rs, struct compiled *cc)
{
	const pcre2_code **codes = gw_xcalloc(cc->n + 1, sizeof *codes);
	uint32_t ntwins = (uint32_t)(cc->made.len / TWIN_BYTES), zero = 0;
	uint8_t *bytes = NULL;
	PCRE2_SIZE size = 0;
	gw_buf b = GW_BUF_INIT;
	size_t n = 0;

	for (size_t i = 0; i < rs->nrules; i++)
		if (rs->rules[i].code != NULL && n < cc->n)
			codes[n++] = rs->rules[i].code;
	if (n == cc->n && n > 0 &&
	    pcre2_serialize_encode(codes, (int32_t)n, &bytes, &size, NULL) == (int32_t)n) {
		gw_buf_put(&b, &ntwins, 4);
		gw_buf_put(&b, &zero, 4);
		gw_buf_put(&b, cc->made.ptr, cc->made.len);
		while (b.len % 8)
			gw_buf_putc(&b, '\0');
		gw_buf_put(&b, bytes, size);
		gw_rcache_write("rules", cc->key, b.ptr, b.len);
	}
	pcre2_serialize_free(bytes);
	gw_buf_free(&b);
	free(codes);
}

/* The codes decoded and not handed to a rule (a load that failed) freed, and the rest. */
static void
cache_close(struct compiled *cc)
{
	for (size_t i = 0; cc->codes && i < cc->n; i++)
		pcre2_code_free(cc->codes[i]);
	free(cc->codes);
	free(cc->twins);
	free(cc->key);
	gw_buf_free(&cc->made);
	gw_buf_free(&cc->expanding);
}

/* Rule file i read, its name and bytes added to the digest (each ending in NUL), then parsed. */
static int
load_file(gw_rules *rs, size_t i, gw_sha256 *digest, gw_buf *err)
{
	const char *base = strrchr(rs->files[i], '/');
	size_t len;
	char *text = read_all(rs->files[i], &len);
	int rc = -1;

	if (text == NULL)
		gw_buf_printf(err, "%s: cannot read: %s", rs->files[i], strerror(errno));
	else if (memchr(text, '\0', len) != NULL)
		gw_buf_printf(err, "%s: NUL byte in a rule file", rs->files[i]);
	else {
		base = base ? base + 1 : rs->files[i];
		gw_sha256_add(digest, base, strlen(base) + 1);
		gw_sha256_add(digest, text, len + 1);
		rc = parse_file(rs, rs->files[i], text, len, err);
	}
	free(text);
	return rc;
}

gw_rules *
gw_rules_load(const char *dir, gw_buf *err)
{
	return gw_rules_load_for(dir, NULL, true, err);
}

gw_rules *
gw_rules_load_for(const char *dir, const char *families, bool examples, gw_buf *err)
{
	gw_rules *rs = gw_xcalloc(1, sizeof *rs);
	gw_sha256 digest;
	struct compiled cc = {0};
	int rc = list_files(rs, dir, err);

	rs->families = families;
	rs->examples = examples;

	gw_sha256_init(&digest);
	for (size_t i = 0; i < rs->nfiles && rc == 0; i++)
		rc = load_file(rs, i, &digest, err);
	if (rc == 0) {
		gw_sha256_end(&digest, rs->digest);
		cache_open(rs, &cc);
	}
	for (size_t i = 0; i < rs->nrules && rc == 0; i++) {
		rc = check_attrs(rs, &rs->rules[i], err);
		if (rc == 0) {
			merge_lists(&rs->rules[i]);
			rc = compile_rule(rs, &rs->rules[i], &cc, err);
		}
	}
	typed_free(rs);
	if (rc == 0 && cc.codes == NULL)
		cache_save(rs, &cc);
	cache_close(&cc);
	rs->families = NULL;
	if (rc == 0) {
		rs->mctx = pcre2_match_context_create(NULL);
		pcre2_set_match_limit(rs->mctx, MATCH_LIMIT);
		pcre2_set_depth_limit(rs->mctx, DEPTH_LIMIT);
		pcre2_set_heap_limit(rs->mctx, HEAP_LIMIT_KIB);
		pcre2_jit_stack_assign(rs->mctx, jit_stack_cb, NULL);
		for (size_t i = 0; i < rs->nrules; i++)
			rs->rules[i].owner = rs;
	}
	if (rc < 0) {
		gw_rules_free(rs);
		return NULL;
	}
	return rs;
}

static void union_free(struct gw_union *u);

void
gw_rules_free(gw_rules *rs)
{
	if (rs == NULL)
		return;
	for (size_t i = 0; i < rs->nrules; i++) {
		gw_rule *r = &rs->rules[i];

		free(r->id);
		gw_buf_free(&r->pattern);
		for (size_t k = 0; k < r->nex; k++)
			free(r->ex[k].text), free(r->ex[k].captures);
		free(r->ex);
		for (size_t k = 0; k < r->nattrs; k++)
			free(r->attrs[k].key), free(r->attrs[k].value);
		free(r->attrs);
		pcre2_code_free(r->code);
		pcre2_code_free(r->acode);
		pcre2_code_free(r->jit.code);
		pcre2_code_free(r->ajit.code);
		gw_buf_free(&r->expanded);
	}
	free(rs->rules);
	arena_close(&rs->arena); /* after the codes in it: their free reads it */
	for (size_t i = 0; i < rs->ndefs; i++)
		free(rs->defs[i].name), free(rs->defs[i].value);
	free(rs->defs);
	for (size_t i = 0; i < rs->nfiles; i++)
		free(rs->files[i]);
	free(rs->files);
	pcre2_match_context_free(rs->mctx);
	union_free(rs->unions);
	free(rs);
	tl_release(NULL); /* this thread's match data and JIT stack */
}

static bool
has_rules(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	bool found = false;

	if (dp == NULL)
		return false;
	while (!found && (de = readdir(dp)) != NULL) {
		size_t n = strlen(de->d_name);

		found = n > 6 && strcmp(de->d_name + n - 6, ".rules") == 0;
	}
	closedir(dp);
	return found;
}

const char *
gw_rules_default_dir(const char *argv0)
{
	static char found[PATH_MAX + 32];
	const char *env = getenv("GONGWEN_RULES");
	char exe[PATH_MAX];
	ssize_t n;

	(void)argv0;
	if (env && *env)
		return env;
	/* in the source tree (build/gw-x → rules/) or installed beside bin/ */
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(found, sizeof found, "%s/../rules", exe);
			if (has_rules(found))
				return found;
			snprintf(found, sizeof found, "%s/../share/gongwen/rules", exe);
			if (has_rules(found))
				return found;
		}
	}
#ifdef GW_RULES_DIR
	return GW_RULES_DIR;
#else
	return "rules";
#endif
}

const char *
gw_rules_digest(const gw_rules *rs)
{
	return rs->digest;
}

/* r, once loaded, as a stage takes it: a rule of a family the program did not compile is a
 * mistake in its family list (a stage takes its rules when it is made, so any run shows it). */
static const gw_rule *
handed(const gw_rule *r)
{
	if (r && r->owner && r->code == NULL) {
		fprintf(stderr, "%s: rule %s: not compiled: not of the families the program runs\n",
		        gw_prog(), r->id);
		abort();
	}
	return r;
}

const gw_rule *
gw_rules_get(const gw_rules *rs, const char *id)
{
	uint32_t h = id_hash(id);

	for (size_t i = 0; i < rs->nrules; i++)
		if (rs->rules[i].idhash == h && strcmp(rs->rules[i].id, id) == 0)
			return handed(&rs->rules[i]);
	return NULL;
}

size_t
gw_rules_count(const gw_rules *rs)
{
	return rs->nrules;
}

const gw_rule *
gw_rules_at(const gw_rules *rs, size_t i)
{
	return i < rs->nrules ? handed(&rs->rules[i]) : NULL;
}

const gw_rule *
gw_rules_next(const gw_rules *rs, const char *prefix, size_t *i)
{
	size_t n = strlen(prefix);

	for (; *i < rs->nrules; (*i)++)
		if (strncmp(rs->rules[*i].id, prefix, n) == 0)
			return handed(&rs->rules[(*i)++]);
	return NULL;
}

const char *
gw_rules_define(const gw_rules *rs, const char *name)
{
	const define *d = find_define(rs, name, strlen(name));

	return d ? d->value : NULL;
}

const char *
gw_rule_id(const gw_rule *r)
{
	return r->id;
}

const char *
gw_rule_attr(const gw_rule *r, const char *key)
{
	for (size_t i = 0; i < r->nattrs; i++)
		if (strcmp(r->attrs[i].key, key) == 0)
			return r->attrs[i].value;
	return NULL;
}

static pcre2_match_data *
match_data(uint32_t pairs)
{
	if (pairs > tl_mdpairs) {
		pcre2_match_data_free(tl_md);
		tl_mdpairs = pairs < 32 ? 32 : pairs;
		tl_md = pcre2_match_data_create(tl_mdpairs, NULL);
		tl_made();
	}
	return tl_md;
}

/* The JIT code to run code with, NULL for the interpreter: until code's JIT_AFTER-th run, and
 * always when JIT is absent or switched off with GONGWEN_NO_JIT (valgrind cannot follow JIT
 * code).  The interpreter and the JIT code match alike; they differ only in the limits a
 * runaway match meets.  A thread that finds another one compiling runs the interpreter
 * meanwhile and asks again at the next run (issue 14: with two workers, each waited for the
 * other's compiles of the batch's first documents; two jobs over the bench's documents took
 * 0.347 s, now 0.338 s); with one thread, a code's runs from its JIT_AFTER-th on are JIT code,
 * whatever the timing. */
static const pcre2_code *
jit_of(const pcre2_code *code, const struct jit *j)
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	struct jit *w = (struct jit *)j;
	int state = atomic_load_explicit(&w->state, memory_order_acquire);

	if (state)
		return state == 2 ? w->code : NULL;
	if (atomic_fetch_add_explicit(&w->runs, 1, memory_order_relaxed) + 1 < JIT_AFTER)
		return NULL;
	if (pthread_mutex_trylock(&mu) != 0)
		return NULL;
	if (!atomic_load_explicit(&w->state, memory_order_relaxed)) {
		pcre2_code *c = getenv("GONGWEN_NO_JIT") ? NULL : pcre2_code_copy(code);

		if (c && pcre2_jit_compile(c, PCRE2_JIT_COMPLETE) != 0)
			pcre2_code_free(c), c = NULL;
		w->code = c;
		atomic_store_explicit(&w->state, c ? 2 : 1, memory_order_release);
	}
	pthread_mutex_unlock(&mu);
	return w->code;
}

/* r compiled with PCRE2_ANCHORED, on first use (its JIT code: jit_of); NULL when it
 * does not compile (the caller then anchors at match time, without JIT).  No start
 * optimisation: the check for a required character would scan far past the start each time. */
static const pcre2_code *
anchored_once(const gw_rule *r)
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	gw_rule *w = (gw_rule *)r;
	int ec;
	PCRE2_SIZE eo;

	if (atomic_load_explicit(&w->anchored, memory_order_acquire))
		return w->acode;
	pthread_mutex_lock(&mu);
	if (!atomic_load_explicit(&w->anchored, memory_order_relaxed)) {
		w->acode = pcre2_compile((PCRE2_SPTR)(w->expanded.ptr ? w->expanded.ptr : ""),
		                         w->expanded.len,
		                         options_of(w) | PCRE2_ANCHORED | PCRE2_NO_START_OPTIMIZE, &ec,
		                         &eo, NULL);
		atomic_store_explicit(&w->anchored, 1, memory_order_release);
	}
	pthread_mutex_unlock(&mu);
	return w->acode;
}

static int
match_with(const gw_rules *rs, const gw_rule *r, const char *s, size_t len, size_t start,
           size_t *ov, int ovmax, uint32_t flags)
{
	const pcre2_code *code = r->code, *jit;
	pcre2_match_data *md;
	int rc, n;

	if (((flags & PCRE2_ANCHORED) || r->at_start) && r->has_first && start < len &&
	    !(r->first[(uint8_t)s[start] >> 3] & (1u << ((uint8_t)s[start] & 7))))
		return 0;
	if ((flags & PCRE2_ANCHORED) && r->at_start && !r->has_last)
		/* anchored by its \G or ^, with no code unit it must end in to look for far ahead:
		 * its own code does what the anchored twin would (issue 14: one compile less) */
		flags &= ~PCRE2_ANCHORED, jit = jit_of(code, &r->jit);
	else if ((flags & PCRE2_ANCHORED) && anchored_once(r) != NULL)
		code = r->acode, flags &= ~PCRE2_ANCHORED, jit = jit_of(code, &r->ajit);
	else
		jit = jit_of(code, &r->jit);
	md = match_data(r->pairs);
	/* the JIT code called straight, without pcre2_match's checks (the subject was checked) */
	if (jit && (flags & PCRE2_NO_UTF_CHECK))
		rc = pcre2_jit_match(jit, (PCRE2_SPTR)s, len, start, flags & ~PCRE2_NO_UTF_CHECK, md,
		                     rs ? rs->mctx : NULL);
	else
		rc = pcre2_match(jit ? jit : code, (PCRE2_SPTR)s, len, start, flags, md,
		                 rs ? rs->mctx : NULL);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0)
		return rc;
	/* the pairs the match set (PCRE2_UNSET is (size_t)-1 too), the others unset */
	n = rc < ovmax ? rc : ovmax;
	n = (uint32_t)n < pcre2_get_ovector_count(md) ? n : (int)pcre2_get_ovector_count(md);
	memcpy(ov, pcre2_get_ovector_pointer(md), 2 * (size_t)n * sizeof *ov);
	memset(ov + 2 * n, 0xFF, 2 * (size_t)(ovmax - n) * sizeof *ov);
	return rc > 0 ? rc : 1;
}

int
gw_rule_match(const gw_rule *r, const char *subject, size_t len, size_t start, size_t *ov,
              int ovmax)
{
	return match_with(r->owner, r, subject, len, start, ov, ovmax, PCRE2_NO_UTF_CHECK);
}

/* issue 14: whether r anchors itself at the start (its ^), so that a search from 0 finds what
 * gw_rule_match_at finds there (declared in internal.h). */
bool
gw_rule_anchored(const gw_rule *r)
{
	return r->at_start;
}

/* issue 6: a match that must start at start, so that a rule failing there costs no search of
 * the rest of the subject (declared in internal.h). */
int
gw_rule_match_at(const gw_rule *r, const char *subject, size_t len, size_t start, size_t *ov,
                 int ovmax)
{
	return match_with(r->owner, r, subject, len, start, ov, ovmax,
	                  PCRE2_NO_UTF_CHECK | PCRE2_ANCHORED);
}

/* ---------------------------------------------------------------- unions (issue 14) */

/* Rules tried in order where a number starts (the first that matches), or searched for in
 * strings, with the prefilter read from their patterns (prefilter.c) that says which of them
 * can match at a start or in a string: only those run (a number start ran all 41 stop and
 * quantity rules, each reading the number again). */
struct gw_union {
	struct gw_union *next;
	const gw_rule **r;
	size_t n;
	bool search;
	gw_prefilter *pf;
};

static void
union_free(struct gw_union *u)
{
	while (u) {
		struct gw_union *next = u->next;

		gw_prefilter_free(u->pf);
		free(u->r);
		free(u);
		u = next;
	}
}

/* The prefilter of rules r[0..n) (one with options is always tried: it reads none; but
 * multiline, which changes only where ^ and $ match, and the filter reads them as zero-width). */
static gw_prefilter *
prefilter_of(const gw_rule *const *r, size_t n, bool search)
{
	const char **pat = gw_xcalloc(n ? n : 1, sizeof *pat);
	size_t *len = gw_xcalloc(n ? n : 1, sizeof *len);
	gw_prefilter *f;

	for (size_t k = 0; k < n; k++)
		if ((options_of(r[k]) & ~PCRE2_MULTILINE) == (PCRE2_UTF | PCRE2_UCP))
			pat[k] = r[k]->expanded.ptr, len[k] = r[k]->expanded.len;
	f = gw_prefilter_new(pat, len, n, search);
	free(pat), free(len);
	return f;
}

static struct gw_union *
union_build(const gw_rule *const *r, size_t n, bool search)
{
	struct gw_union *u = gw_xcalloc(1, sizeof *u);

	u->r = gw_xmalloc((n ? n : 1) * sizeof *u->r);
	memcpy(u->r, r, n * sizeof *u->r);
	u->n = n, u->search = search;
	u->pf = prefilter_of(r, n, search);
	return u;
}

const gw_union *
gw_rules_union(const gw_rule *const *r, size_t n, bool search)
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	gw_rules *rs = n ? (gw_rules *)r[0]->owner : NULL;
	struct gw_union *u;

	if (rs == NULL)
		return NULL;
	pthread_mutex_lock(&mu);
	for (u = rs->unions; u; u = u->next)
		if (u->n == n && u->search == search && memcmp(u->r, r, n * sizeof *r) == 0)
			break;
	if (u == NULL) {
		u = union_build(r, n, search);
		u->next = rs->unions;
		rs->unions = u;
	}
	pthread_mutex_unlock(&mu);
	return u;
}

const gw_prefilter *
gw_union_prefilter(const gw_union *u)
{
	return u ? u->pf : NULL;
}

int
gw_union_first_at(const gw_union *u, const char *s, size_t len, size_t start, size_t from,
                  gw_prefilter_cursor *cur, size_t *ov, int ovmax)
{
	gw_prefilter_mask may;

	gw_prefilter_at(u->pf, s, len, start, cur, &may);
	for (size_t k = gw_prefilter_next(u->pf, &may, from); k < u->n;
	     k = gw_prefilter_next(u->pf, &may, k + 1)) {
		int rc = match_with(u->r[k]->owner, u->r[k], s, len, start, ov, ovmax,
		                    PCRE2_NO_UTF_CHECK | PCRE2_ANCHORED);

		if (rc != 0)
			return rc < 0 ? -1 : (int)k;
	}
	return (int)u->n;
}

int
gw_rule_group(const gw_rule *r, const char *name)
{
	int n = pcre2_substring_number_from_name(r->code, (PCRE2_SPTR)name);

	return n < 0 ? -1 : n;
}

/* The captures an example asserts ("num=1325 unit=套"; an unset group reads as empty), against
 * the match in ov; prints what differs and returns the number of failures. */
static int
check_captures(const gw_rule *r, const example *e, const size_t *ov, int nov, FILE *fp)
{
	const char *p = e->captures;
	int fails = 0;

	while (*p) {
		size_t n = strcspn(p, " ");
		const char *eq = memchr(p, '=', n);
		char *name = gw_xstrndup(p, eq ? (size_t)(eq - p) : n);
		char *want = eq ? unescape(eq + 1, n - (size_t)(eq + 1 - p)) : NULL;
		int g = gw_rule_group(r, name);
		size_t a = g >= 0 && g < nov ? ov[2 * g] : (size_t)-1;
		size_t len = a == (size_t)-1 ? 0 : ov[2 * g + 1] - a;

		if (want == NULL || g < 0) {
			fprintf(fp, "%s:%d: rule %s: %s: not a capture assertion name=value of a group\n",
			        r->file, e->line, r->id, name);
			fails++;
		} else if (strlen(want) != len || memcmp(want, e->text + a, len) != 0) {
			fprintf(fp, "%s:%d: rule %s: %s captures \"%.*s\", not \"%s\"\n", r->file, e->line,
			        r->id, name, (int)len, len ? e->text + a : "", want);
			fails++;
		}
		free(name), free(want);
		p += n;
		p += strspn(p, " ");
	}
	return fails;
}

static int
check_example(const gw_rules *rs, const gw_rule *r, const example *e,
              gw_prefilter *const pf[2], FILE *fp)
{
	size_t ov[2 * 32];
	int rc = match_with(rs, r, e->text, strlen(e->text), 0, ov, 32, 0);
	gw_prefilter_mask in, at;

	if (rc < 0) {
		fprintf(fp, "%s:%d: rule %s: match error %d on: %s\n", r->file, e->line, r->id, rc,
		        e->text);
		return 1;
	}
	if ((rc > 0) != e->must_match) {
		fprintf(fp, "%s:%d: rule %s: %s: %s\n", r->file, e->line, r->id,
		        e->must_match ? "should match but does not" : "should not match but does",
		        e->text);
		return 1;
	}
	if (rc > 0) { /* issue 14: what the prefilters say of a match they must let through */
		gw_prefilter_in(pf[0], e->text, strlen(e->text), &in);
		gw_prefilter_at(pf[1], e->text, strlen(e->text), ov[0], &(gw_prefilter_cursor){0}, &at);
		if (!gw_prefilter_may(pf[0], &in, 0) || !gw_prefilter_may(pf[1], &at, 0)) {
			fprintf(fp, "%s:%d: rule %s: the prefilter (src/prefilter.c) turns down a match: %s\n",
			        r->file, e->line, r->id, e->text);
			return 1;
		}
	}
	if (e->captures && !e->must_match) {
		fprintf(fp, "%s:%d: rule %s: a nomatch example asserts no captures\n", r->file, e->line,
		        r->id);
		return 1;
	}
	return e->captures ? check_captures(r, e, ov, 32, fp) : 0;
}

int
gw_rules_check_examples(const gw_rules *rs, FILE *fp, int *nchecked)
{
	int fails = 0, n = 0;

	for (size_t i = 0; i < rs->nrules; i++) {
		const gw_rule *r = &rs->rules[i];
		size_t yes = 0;

		for (size_t k = 0; k < r->nex; k++)
			yes += r->ex[k].must_match;
		if (yes == 0 || yes == r->nex) {
			fprintf(fp, "%s:%d: rule %s: needs at least one match and one nomatch example\n",
			        r->file, r->line, r->id);
			fails++;
		}
		gw_prefilter *pf[2] = {prefilter_of(&r, 1, true), prefilter_of(&r, 1, false)};

		for (size_t k = 0; k < r->nex; k++, n++)
			fails += check_example(rs, r, &r->ex[k], pf, fp);
		gw_prefilter_free(pf[0]), gw_prefilter_free(pf[1]);
	}
	*nchecked = n;
	return fails;
}
