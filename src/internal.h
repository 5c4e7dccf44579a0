/* internal.h — what the library's modules share with each other and the programs, not with users. */
#ifndef GW_INTERNAL_H
#define GW_INTERNAL_H

#include <string.h>

#include "gongwen.h"
#include "libgongwen.h"

/* ---------------------------------------------------------------- limits (issue 6)
 * Every limit on what one document may hold or cost, in one place; docs/limits.md says what
 * happens at each and which test covers it.  Over a structural limit a document fails
 * (gw_doc_fail, GW_E_LIMIT or GW_E_TOO_LARGE) and the batch goes on. */
#define GW_LIMIT_DOC_BYTES (64u << 20)   /* source file: bigger → too-large error record */
#define GW_LIMIT_LINES 1000000           /* source lines → limit error */
#define GW_LIMIT_LONG_LINE (1u << 20)    /* source line: longer → line-too-long warning, kept */
#define GW_LIMIT_RUNS 2000000            /* offset map runs (text of alternating widths) → limit */
#define GW_LIMIT_RULE_LINE (64u << 10)   /* header and region rules skip longer lines (body text) */
#define GW_LIMIT_NODES 20000             /* numbered units in a document → limit error */
#define GW_LIMIT_QUANTITIES 50000        /* quantities, and rejected candidates → limit error */
#define GW_LIMIT_DEPTH 64                /* node nesting in a record read back → bad record */
#define GW_LIMIT_ATTACHMENTS 64          /* attached documents; later 附件 labels stay text */
#define GW_LIMIT_DIGITS 24               /* digits of one number → number-too-long warning */
#define GW_LIMIT_DIAGS 1000              /* warnings kept per document; one more says so */
#define GW_LIMIT_MATCH 5000000           /* PCRE2 match limit per rule match → rule-limit */
#define GW_LIMIT_MATCH_DEPTH 100000      /* PCRE2 depth limit (backtracking frames) */
#define GW_LIMIT_MATCH_HEAP_KIB 65536    /* PCRE2 heap limit, KiB */
#define GW_LIMIT_JIT_STACK (4 << 20)     /* PCRE2 JIT stack, bytes */
#define GW_STR_(x) #x
#define GW_STR(x) GW_STR_(x)             /* a limit as a string literal, for messages */

/* ---------------------------------------------------------------- the command line (cli.c)
 * Each program declares a table of its options; one parser reads them all (--opt value,
 * --opt=value, -x value, options anywhere, -- ends them; "-5" is an operand) and --help is
 * printed from the same table.  The shared options land in gw_opts, the program's own go to
 * its set function. */
enum {
	GW_O_RULES = 1, GW_O_OUT, GW_O_QUIET, GW_O_PRETTY, GW_O_JOBS, GW_O_HTML, GW_O_NULL,
	GW_O_MAX_FAILED, GW_O_ERRORS, GW_O_SUMMARY, GW_O_PROG = 100
};
/* The failure policy, the same line in every document program's table (issue 18). */
#define GW_OPT_MAX_FAILED \
	{GW_O_MAX_FAILED, "max-failed", 0, "N|P%", \
	 "exit 0 when at most N (or P% of the) documents failed, 4 when more"}
/* The exit status of a run beyond its --max-failed. */
enum { GW_EXIT_TOO_MANY_FAILED = 4 };

typedef struct gw_opt {
	int id;           /* GW_O_* for a shared option, GW_O_PROG + n for the program's own */
	const char *name; /* "rules": --rules; NULL ends the table */
	char short_name;  /* 'q': -q; 0 for none */
	const char *arg;  /* "DIR": the option takes a value, so named in --help; NULL: a flag */
	const char *help; /* its line in --help */
} gw_opt;

typedef struct gw_cli {
	const char *prog;     /* "gw-segment" */
	const char *synopsis; /* --help's first line, after "usage: " */
	const char *about;    /* what the program does, lines indented by two spaces */
	const gw_opt *opts;
} gw_cli;

/* The run's options; set and ctx, when the program has options of its own, before parsing. */
typedef struct gw_opts {
	const char *prog;
	const char *rules_dir; /* --rules DIR, $GONGWEN_RULES */
	const char *out_dir;   /* --out DIR (gw-emit, gongwen) */
	int quiet;
	int pretty;
	int jobs;              /* --jobs N (gongwen) */
	int html;              /* --html (gw-emit, gongwen): also ID.html and index.html */
	int null;              /* -0, --null (gongwen, gw-normalize): paths on stdin end in NUL */
	const char *max_failed; /* --max-failed N|P%: NULL when none (then any failure gives 1) */
	const char *errors;    /* --errors FILE (gongwen, gw-emit, gw-merge): not DIR/errors.jsonl */
	const char *summary;   /* --summary FILE (gongwen, gw-emit, gw-merge): counts as JSON */
	const gw_rules *rules; /* set by the program once loaded: its digest goes in each record */
	const char *families;  /* the rule families its stages run (gw_rules_load_for); NULL: all */
	int examples;          /* gw-rules: the rules' examples kept, to be run */
	char **ops;            /* the operands, in order */
	int nops;
	/* a program's own option (value NULL for a flag): NULL when fine, else what it takes */
	const char *(*set)(void *ctx, int id, const char *value);
	void *ctx;
} gw_opts;

/* Parse argv by c's table into o; exits 0 after --help or --version, 2 on a usage error
 * (one message).  Sets the program name of every message. */
void gw_opts_parse(gw_opts *o, const gw_cli *c, int argc, char **argv);
/* A usage error the program finds itself: the message, then exit 2. */
void gw_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* Before reading stdin for want (what the program expects there): when stdin is a terminal
 * nothing is coming, so say what the program wants (a usage error) instead of waiting. */
void gw_stdin_wanted(const char *want);
/* The exit status of a run whose worst status is status, of docs documents of which failed
 * failed (new failures: not error records passed on): status itself without --max-failed, or
 * at 1, 0 within the policy and GW_EXIT_TOO_MANY_FAILED beyond it. */
int gw_opts_status(const gw_opts *o, int status, size_t docs, size_t failed);
/* Load the rules o names (or the default folder); on error print it and exit 2. */
gw_rules *gw_opts_rules(gw_opts *o);
/* A rules error (err as gw_rules_load or a stage's _new gives it: "file:line: why" or "why")
 * through the catalogue; dir names it when err has no file. */
void gw_rules_error(const char *dir, const char *err);

/* ---------------------------------------------------------------- streams (stream.c)
 * The one loop every program reads JSON Lines through: lines, then records, into a sink. */

/* Each line of fp without its newline and trailing \r: fn's status (0 fine, 1 failed, 2 stop
 * everything) is gathered, the worst returned; a read error is said and gives 2. */
typedef int (*gw_line_fn)(void *ctx, char *line, size_t len, long lineno, bool complete);
int gw_read_lines(FILE *fp, const char *name, gw_line_fn fn, void *ctx);
/* The paths on stdin, one a line, or each ending in NUL with o->null (find -print0): fn gets
 * each non-empty one.  A line holding a NUL is refused (said, status 2): it is -0 output. */
int gw_read_paths(const gw_opts *o, gw_line_fn fn, void *ctx);

/* Where records go.  put gets each record (d, freed after it returns, and its JSON text);
 * text is NULL for a line that was no usable record: d is then an error record and the loop
 * has said why.  put returns the record's status, 0 fine, 1 failed, 2 a system error. */
typedef struct gw_sink {
	int (*put)(void *ctx, gw_doc *d, const char *text, size_t len);
	void *ctx;
	bool file_in_error; /* a bad line's error record says "FILE:LINE: why" (gw-emit's
	                       errors.jsonl gathers many files), else "record LINE: why" */
} gw_sink;

/* One record's JSON text (line lineno of the file name; 0 for a whole file) to the sink. */
int gw_record_put(const gw_sink *s, const char *name, long lineno, bool complete,
                  const char *text, size_t len);
/* Every record of fp, then of every operand of o (a file, or - for stdin; stdin when there
 * is none): the worst status; a file that cannot be read is said and gives 2. */
int gw_records(FILE *fp, const char *name, const gw_sink *s);
/* The records of the file path: JSON Lines when it is named *.jsonl, else one (pretty) record,
 * a DIR/ID.json; a file that cannot be read is said and gives 2. */
int gw_record_file(const gw_sink *s, const char *path);
int gw_inputs(const gw_opts *o, const gw_sink *s);

/* An input record {"id", "path", "content" | "content_base64"} (gw-normalize, gongwen --records),
 * line lineno of name: a new document with its id (else the path's stem, else "line-N") and path,
 * its bytes in bytes; *by_path when it names only a path (the caller reads the file, or refuses
 * it); an error record when it cannot be used. */
gw_doc *gw_input_record(const char *name, const char *line, size_t len, long lineno, gw_buf *bytes,
                        bool *by_path);
/* --records-only: d named a path; it fails, and no file is read. */
void gw_input_refuse_path(gw_doc *d, const char *name, long lineno);

/* A stage applied to each usable document of a stream; returns 0 ok, 1 document failed. */
typedef int (*gw_stage_fn)(void *ctx, gw_doc *d);

/* The sink of the stage programs: the stage (fn, NULL when the record is made already)
 * applied to each record that is not an error record, its warnings (of the stage bit) said,
 * the record written to stdout. */
typedef struct gw_filter {
	const gw_opts *o;
	unsigned stage;
	gw_stage_fn fn;
	void *ctx;
	gw_buf rec;
	size_t docs, failed; /* records seen; new failures (an error record passed on is none) */
} gw_filter;
int gw_filter_put(void *filter, gw_doc *d, const char *text, size_t len);
/* Every operand of o through the stage to stdout; the exit status (gw_opts_status). */
int gw_filter_inputs(const gw_opts *o, unsigned stage, gw_stage_fn fn, void *ctx);
/* Flush stdout: 0, or 2 after a write error (said). */
int gw_stdout_done(void);

/* gw_buf_put, gw_buf_putc and gw_buf_puts with the common case inline, room enough (the
 * writers reserve it once per document): the JSON and XML writers put a few bytes at a time. */
static inline void
gw_buf_add(gw_buf *b, const void *p, size_t n)
{
	if (b->len + n < b->cap) {
		memcpy(b->ptr + b->len, p, n);
		b->len += n;
		b->ptr[b->len] = '\0';
	} else
		gw_buf_put(b, p, n);
}

/* Room for n more bytes (and the NUL after them) at the end of b, for a writer that puts them
 * there itself and then calls gw_buf_wrote(b, how many it put). */
void gw_buf_grow(gw_buf *b, size_t n);
static inline char *
gw_buf_room(gw_buf *b, size_t n)
{
	if (b->len + n >= b->cap)
		gw_buf_grow(b, n);
	return b->ptr + b->len;
}

static inline void
gw_buf_wrote(gw_buf *b, size_t n)
{
	b->len += n;
	b->ptr[b->len] = '\0';
}

/* The code points that start in the eight bytes at s: a continuation byte (10xxxxxx) has its top
 * bit set and the next one clear, and the multiplication adds up the top bits left, one a byte. */
static inline size_t
gw_utf8_starts8(const char *s)
{
	const uint64_t top = 0x8080808080808080ULL;
	uint64_t x;

	memcpy(&x, s, 8);
	return 8 - ((((x & ~(x << 1) & top) >> 7) * 0x0101010101010101ULL) >> 56);
}

/* v in decimal at s (room for 24 bytes), its length (inline: the writers' offset maps and spans
 * are thousands of integers a document). */
static inline size_t
gw_fmt_int(char *s, long long v)
{
	static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	                            "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	                            "8081828384858687888990919293949596979899";
	static const unsigned long long p10[20] = {1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL,
	    1000000ULL, 10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL,
	    1000000000000ULL, 10000000000000ULL, 100000000000000ULL, 1000000000000000ULL,
	    10000000000000000ULL, 100000000000000000ULL, 1000000000000000000ULL,
	    10000000000000000000ULL};
	unsigned long long u = v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v;
	size_t n, len;
	char *p;

	if (u < 100 && v >= 0) { /* widths, columns: most values are small */
		if (u < 10) {
			*s = (char)('0' + u);
			return 1;
		}
		memcpy(s, pairs + 2 * u, 2);
		return 2;
	}
	/* count the digits, then write them from the last: floor(bits * log10(2)) is the count
	 * or one less (1233 / 4096 is log10(2) a little over) */
	n = (size_t)((64 - __builtin_clzll(u)) * 1233) >> 12;
	n += u >= p10[n];
	if (v < 0)
		*s++ = '-';
	len = n + (v < 0);
	p = s + n;
	for (; u > UINT32_MAX; u /= 100)
		memcpy(p -= 2, pairs + 2 * (u % 100), 2);
	for (uint32_t x = (uint32_t)u;; x /= 100) { /* 32-bit: a division is a multiply and a shift */
		if (x < 100) {
			if (x >= 10)
				memcpy(p - 2, pairs + 2 * x, 2);
			else
				p[-1] = (char)('0' + x);
			return len;
		}
		memcpy(p -= 2, pairs + 2 * (x % 100), 2);
	}
}

/* util.c: a real that is no integer, at s (room for 24 bytes), as gw_buf_put_number and
 * Jansson's %.15g both write it, when that needs no exponent and at most 15 digits (most values,
 * 2.5 or 0.35); its length, or 0 when it does not (then printf decides). */
size_t gw_fmt_decimal(char *s, double v);
/* util.c: v as gw_buf_put_number writes it (the shortest decimal that reads back as v), at s
 * (room for 40 bytes); its length. */
size_t gw_fmt_number(char *s, double v);

static inline void
gw_buf_addc(gw_buf *b, char c)
{
	gw_buf_add(b, &c, 1);
}

static inline void
gw_buf_adds(gw_buf *b, const char *s)
{
	gw_buf_add(b, s, strlen(s));
}

/* gw_utf8_decode with ASCII and well-formed three-byte sequences (CJK) decoded inline, the
 * same results: the extractor's and the XML writer's loops decode every code point (issue 14). */
static inline int
gw_utf8_decode_fast(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;

	if (n > 0 && u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (n > 2 && (u[0] & 0xF0) == 0xE0 && (u[1] & 0xC0) == 0x80 && (u[2] & 0xC0) == 0x80) {
		uint32_t c = (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);

		if (c >= 0x800 && (c < 0xD800 || c > 0xDFFF)) {
			*cp = c;
			return 3;
		}
	}
	return gw_utf8_decode(s, n, cp);
}


/* words.c: word boundaries by ICU's word break rules, for short strings (a clause).  One
 * gw_words per thread; ICU's break iterator is opened on the first string (0 breaks for every
 * string when ICU has no word break data). */
typedef struct gw_words gw_words;
gw_words *gw_words_new(void);
void gw_words_free(gw_words *w);
/* The byte offsets in s[0..n) where a word starts or ends, in order, 0 and n included, at most
 * max of them; word[k] says whether at[k]..at[k+1] is a word (not punctuation or space).
 * Returns how many offsets (0 when ICU fails). */
size_t gw_words_bounds(gw_words *w, const char *s, size_t n, size_t *at, bool *word, size_t max);

/* json.c: the JSON values the record writer uses, for the other writers (archive, search).
 * A number as JSON: an integer when integral (11000000, not 1.1e7), else a real; null when
 * absent.  A string, or null for NULL (and for invalid UTF-8, which the model never holds). */
typedef struct json_t json_t;
json_t *gw_json_number(bool has, double v);
json_t *gw_json_string(const char *s);

/* api.c: d (id and src_path set) through every stage, from bytes[0..len), or from the file
 * path ("-": stdin) when bytes is NULL; the rules' digest kept in it.  1 when d failed (an error
 * record). */
int gw_worker_run(gw_worker *w, gw_doc *d, const char *path, const char *bytes, size_t len);

/* rules.c (issue 6): gw_rule_match for a match starting exactly at start (PCRE2_ANCHORED). */
int gw_rule_match_at(const gw_rule *r, const char *subject, size_t len, size_t start,
                     size_t *ov, int ovmax);
/* rules.c (issue 14): whether r anchors itself at the start of the subject (^ or \A). */
bool gw_rule_anchored(const gw_rule *r);

/* What gw_prefilter_at keeps of one string between its calls, the starts in order (zeroed for
 * a new string; NULL: nothing kept, the conditions that reach far are not asked). */
#define GW_PREFILTER_FAR 4
#define GW_PREFILTER_STOPS 4
typedef struct gw_prefilter_cursor {
	const char *s;
	size_t start; /* the last start asked */
	size_t from[GW_PREFILTER_FAR], to[GW_PREFILTER_FAR];
	size_t at[GW_PREFILTER_FAR][GW_PREFILTER_STOPS];
	size_t efrom, eend; /* with eset: the first line end from efrom on is at eend */
	bool eset;
} gw_prefilter_cursor;
/* rules.c (issue 14): rules r[0..n) tried in order at one start, or searched for in strings
 * (search), with their prefilter (below), built once for the rules (shared by the threads,
 * freed with them; the same array finds them again). */
typedef struct gw_union gw_union;
typedef struct gw_prefilter gw_prefilter;
const gw_union *gw_rules_union(const gw_rule *const *r, size_t n, bool search);
const gw_prefilter *gw_union_prefilter(const gw_union *u);
/* The index of the first of the rules from the from-th on that matches at start, with ov as
 * gw_rule_match_at fills it for that rule; n when none does; -1 when one went over a match
 * limit: the caller then tries the rules one by one, which reports it. */
int gw_union_first_at(const gw_union *u, const char *subject, size_t len, size_t start,
                      size_t from, gw_prefilter_cursor *cur, size_t *ov, int ovmax);

/* prefilter.c (issue 14): which of n patterns can match at a place, or in a string (search:
 * for gw_prefilter_in only), from the code points there; a NULL pattern, one it does not read
 * or one past its 128 clauses (an alternative each, one a pattern for a search) is always
 * tried.  The patterns are borrowed: they must live until the filter is first used (or freed). */
typedef struct gw_prefilter_mask {
	uint64_t w[2];  /* per clause */
	uint64_t rules; /* per rule, by gw_prefilter_at when there are at most 64 */
} gw_prefilter_mask;
gw_prefilter *gw_prefilter_new(const char *const *pat, const size_t *len, size_t n, bool search);
void gw_prefilter_free(gw_prefilter *f);
/* may: the patterns that can match starting at byte start of s (anchored there) */
void gw_prefilter_at(const gw_prefilter *f, const char *s, size_t len, size_t start,
                     gw_prefilter_cursor *cur, gw_prefilter_mask *may);
/* may: the patterns that can match somewhere in s (a search: one of their first code points is
 * in it) */
void gw_prefilter_in(const gw_prefilter *f, const char *s, size_t len, gw_prefilter_mask *may);
/* What gw_prefilter_in_more has read of a string: the bits its code points set (zeroed: none
 * read yet). */
typedef struct gw_prefilter_read {
	uint64_t req[2], req2[2]; /* clauses with a code point of their req set, req2 set */
	uint64_t out[2];          /* clauses with a code point outside their only set */
} gw_prefilter_read;
/* gw_prefilter_in of s[0..len) when rd holds the reading of s[0..from) (a boundary of code
 * points), which it brings to len */
void gw_prefilter_in_more(const gw_prefilter *f, const char *s, size_t from, size_t len,
                          gw_prefilter_read *rd, gw_prefilter_mask *may);
/* whether pattern k, and the first pattern from the from-th on, may match where may was found
 * (by gw_prefilter_at or gw_prefilter_in, which build the filter on first use) */
bool gw_prefilter_may(const gw_prefilter *f, const gw_prefilter_mask *may, size_t k);
/* the clauses of pattern k (its bits of may->w; one of them set: what gw_prefilter_may says);
 * false when it has none of its own (always tried) */
bool gw_prefilter_clauses(const gw_prefilter *f, size_t k, uint64_t m[2]);
size_t gw_prefilter_next(const gw_prefilter *f, const gw_prefilter_mask *may, size_t from);

/* doc.c: a set of strings, the ids of one document (node and quantity ids, eIds): each added
 * is copied into the set's pool. */
typedef struct gw_idset {
	uint32_t *slot; /* 0: empty, else 1 + the offset of the string in pool */
	uint32_t *next; /* per slot: the suffix gw_idset_unique tries first for that id */
	size_t cap, n;
	gw_buf pool;
} gw_idset;
/* An empty set, with room for about n strings before it grows. */
void gw_idset_init(gw_idset *set, size_t n);
/* Add s: false when it was there already. */
bool gw_idset_add(gw_idset *set, const char *s);
/* The same when the caller knows s's length n (s[n] is its NUL). */
bool gw_idset_addn(gw_idset *set, const char *s, size_t n);
/* Add s with n bytes of data kept after its NUL; false when s was there already. */
bool gw_idset_add_data(gw_idset *set, const char *s, const void *data, size_t n);
/* s as kept in the set (its data follows its NUL), or NULL; valid until the next add. */
const char *gw_idset_get(const gw_idset *set, const char *s);
/* Make the string in id unique in set, appending _2, _3 … (the least suffix not taken), and add
 * it. */
void gw_idset_unique(gw_idset *set, gw_buf *id);
void gw_idset_free(gw_idset *set);

/* util.c: an arena, the strings of one document (issue 14).  Each is a pointer bump in a
 * block instead of a malloc, and all are given back at once; the blocks are kept for the next
 * document.  A string from the arena must never reach free(): gw_arena_owns tells them apart
 * from malloc'd ones where both may be met (a field a stage sets itself). */
typedef struct gw_arena gw_arena;
/* A copy of s[0..n) with a NUL after it; *a is made at the first string. */
char *gw_arena_strndup(gw_arena **a, const char *s, size_t n);
/* p is a string a (NULL: none) gave out since it was last reset. */
bool gw_arena_owns(const gw_arena *a, const void *p);
/* Every string given back; the memory kept, in one block, for the next document. */
void gw_arena_reset(gw_arena *a);
void gw_arena_free(gw_arena *a);

/* xml.c: s[0..n) to o as XML 1.0 or HTML5 text or attribute value, or (GW_ESC_CLEAN) only
 * valid for XML: characters the format does not take become U+FFFD, markup characters entities. */
enum gw_esc { GW_ESC_XML_TEXT, GW_ESC_XML_ATTR, GW_ESC_CLEAN, GW_ESC_HTML_TEXT, GW_ESC_HTML_ATTR };
void gw_escape(gw_buf *o, const char *s, size_t n, enum gw_esc how);

/* rcache.c: a cache of bytes that cost work to make (issue 14: the compiled rules), in
 * GONGWEN_CACHE, $XDG_CACHE_HOME/gongwen or $HOME/.cache/gongwen (GONGWEN_CACHE=off: none).
 * The payload cached for key under name (*len bytes, 8-byte aligned, valid until
 * gw_rcache_close(c)), checked against key and its checksum; NULL when there is none or it
 * does not check (nothing to close then). */
typedef struct gw_rcache {
	void *map;
	size_t size;
} gw_rcache;
const void *gw_rcache_open(gw_rcache *c, const char *name, const char *key, size_t *len);
void gw_rcache_close(gw_rcache *c);
/* payload cached for key, written to a file of its own and renamed into place; any failure
 * is silent (the cache never fails a run). */
void gw_rcache_write(const char *name, const char *key, const void *payload, size_t len);
/* A cheap 64-bit hash (not against an attacker). */
uint64_t gw_hash64(const void *p, size_t n);
/* util.c: all n bytes of p written to fd (out) or read from it; 0, or -1 with errno. */
int gw_fd_all(int fd, void *p, size_t n, bool out);
/* util.c: the rest of fd appended to b (read room bytes or more at a time) up to its end, or
 * until b holds more than max bytes; 0, or -1 with errno on a read error. */
int gw_fd_read_rest(int fd, gw_buf *b, size_t room, size_t max);

/* util.c: the first occurrence of m (of length l) in s[0..n), or NULL (memmem is not C11). */
const char *gw_find(const char *s, size_t n, const char *m, size_t l);

/* util.c: s is YYYY-MM-DD naming a day of the calendar, year 0001 to 9999 (what xsd:date and
 * an OpenSearch date take); with partial, YYYY and YYYY-MM too. */
bool gw_date_ok(const char *s, bool partial);

#endif
