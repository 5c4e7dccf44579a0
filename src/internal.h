/* internal.h — what the library's modules share with each other and the programs, not with users. */
#ifndef GW_INTERNAL_H
#define GW_INTERNAL_H

#include "gongwen.h"

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

#endif
