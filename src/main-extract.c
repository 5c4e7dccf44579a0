/* main-extract.c — gw-extract: add every quantity (number, unit, comparator, kind) to each record. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const char usage[] =
    "gw-extract [--quiet] [--pretty] [--rules DIR] [FILE ...]\n"
    "  Read gongwen records (JSON Lines, as gw-segment writes them) from each FILE, or standard\n"
    "  input, and write them to standard output with their quantities (and the candidates\n"
    "  turned down, under \"rejected\") added.\n"
    "  --quiet      print only errors on stderr, not warnings\n"
    "  --pretty     indent the records (not JSON Lines any more)\n"
    "  --rules DIR  the rules folder (quantity.rules, kind.rules; default $GONGWEN_RULES)\n"
    "Exit status: 0 all documents fine, 1 some failed, 2 usage, I/O or rule-file error.";

static int
extract_one(void *ctx, gw_doc *d)
{
	return gw_extract(ctx, d);
}

int
main(int argc, char **argv)
{
	gw_opts o = {.prog = "gw-extract"};
	int i = gw_opts_parse(&o, argc, argv, usage), status = 0;
	gw_rules *rs = gw_opts_rules(&o);
	gw_buf err = GW_BUF_INIT;
	gw_extractor *x = gw_extractor_new(rs, &err);

	if (x == NULL) {
		fprintf(stderr, "gw-extract: %s: %s\n", o.rules_dir, err.ptr ? err.ptr : "bad rules");
		gw_buf_free(&err);
		gw_rules_free(rs);
		return 2;
	}
	if (i >= argc)
		status = gw_filter_stream(stdin, "<stdin>", stdout, &o, GW_ST_EXTRACTED, extract_one, x);
	for (; i < argc; i++) {
		FILE *fp = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "r");
		int st;

		if (fp == NULL) {
			perror(argv[i]);
			status = 2;
			continue;
		}
		st = gw_filter_stream(fp, argv[i], stdout, &o, GW_ST_EXTRACTED, extract_one, x);
		if (st > status)
			status = st;
		if (fp != stdin)
			fclose(fp);
	}
	gw_extractor_free(x);
	gw_rules_free(rs);
	gw_buf_free(&err);
	return status;
}
