/* internal.h — what the library's modules share with each other and the programs, not with users. */
#ifndef GW_INTERNAL_H
#define GW_INTERNAL_H

#include <string.h>

#include "gongwen.h"

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

/* Options every program takes (cli.c). */
typedef struct gw_opts {
	const char *prog;
	const char *rules_dir; /* --rules DIR, $GONGWEN_RULES */
	const char *out_dir;   /* --out DIR (gw-emit, gongwen) */
	int quiet;
	int pretty;
	int jobs;              /* --jobs N (gongwen) */
	const gw_rules *rules; /* set by the program once loaded: its digest goes in each record */
} gw_opts;

/* Parse the options every program shares (--help --version --quiet --rules DIR --out DIR
 * --jobs N); usage is the text --help prints (after "usage: ").  Returns the index of the
 * first operand; exits 0 after --help/--version and 2 on a usage error. */
int gw_opts_parse(gw_opts *o, int argc, char **argv, const char *usage);
/* Load the rules o names (or the default folder); on error print it and exit 2. */
gw_rules *gw_opts_rules(gw_opts *o);

/* A stage applied to each usable document of a stream; returns 0 ok, 1 document failed. */
typedef int (*gw_stage_fn)(void *ctx, gw_doc *d);

/* Read JSON Lines records from fp (named name in messages), apply fn to each that is not an
 * error record, write each record to out.  Error records pass through untouched.  Returns
 * the exit status: 0 every document fine, 1 some failed. */
int gw_filter_stream(FILE *fp, const char *name, FILE *out, const gw_opts *o, gw_stage_fn fn,
                     void *ctx);

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

/* numeral.c: the value of a Chinese digit (〇零 一壹 二两贰 … 九玖), -1 when c is none; the
 * multiplier of a unit character (十拾 百佰 千仟 万萬 亿億), 0 when c is none. */
int gw_zh_digit(uint32_t c);
long long gw_zh_unit(uint32_t c);

/* words.c: word boundaries by ICU's word break rules, for short strings (a clause).  One
 * gw_words per thread; NULL when ICU has no word break data. */
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

/* rules.c (issue 6): gw_rule_match for a match starting exactly at start (PCRE2_ANCHORED). */
int gw_rule_match_at(const gw_rule *r, const char *subject, size_t len, size_t start,
                     size_t *ov, int ovmax);

#endif
