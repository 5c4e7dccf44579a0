/* main-segment.c — gw-segment: add the header, attachments and numbered structure to each JSON Lines record. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const char usage[] =
    "gw-segment [--rules DIR] [--quiet] [--pretty] [FILE ...]\n"
    "  Read gongwen JSON Lines records (gw-normalize's output) from each FILE, or from the\n"
    "  standard input when there is none or FILE is -, and write each record with its header,\n"
    "  is_notice, attachments and numbered nodes added to the standard output.\n"
    "  --rules DIR  the rules folder (default: $GONGWEN_RULES, else the installed rules)\n"
    "  --quiet      print only errors, not warnings\n"
    "  --pretty     indent the JSON (one record then spans several lines)\n"
    "Exit status: 0 every document segmented, 1 some document failed, 2 a usage error, a rule\n"
    "file that does not load, or a file that cannot be read.";

static int
stage(void *ctx, gw_doc *d)
{
	return gw_segment(ctx, d);
}

int
main(int argc, char **argv)
{
	gw_opts o = {.prog = "gw-segment"};
	int i = gw_opts_parse(&o, argc, argv, usage), status = 0, st;
	gw_rules *rs = gw_opts_rules(&o);
	gw_buf err = GW_BUF_INIT;
	gw_segmenter *s = gw_segmenter_new(rs, &err);

	if (s == NULL) {
		fprintf(stderr, "gw-segment: %s: %s\n", o.rules_dir, err.ptr ? err.ptr : "bad rules");
		gw_buf_free(&err);
		gw_rules_free(rs);
		return 2;
	}
	if (i >= argc)
		status = gw_filter_stream(stdin, "<stdin>", stdout, &o, GW_ST_SEGMENTED, stage, s);
	for (; i < argc; i++) {
		FILE *fp = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "r");

		if (fp == NULL) {
			fprintf(stderr, "gw-segment: %s: %s\n", argv[i], strerror(errno));
			status = 2;
			continue;
		}
		st = gw_filter_stream(fp, fp == stdin ? "<stdin>" : argv[i], stdout, &o, GW_ST_SEGMENTED, stage, s);
		if (st > status)
			status = st;
		if (fp != stdin)
			fclose(fp);
	}
	gw_segmenter_free(s);
	gw_rules_free(rs);
	return status;
}
