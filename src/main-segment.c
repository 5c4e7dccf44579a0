/* main-segment.c — gw-segment: add the header, attachments and numbered structure to each JSON
 * Lines record. */
#include "internal.h"

static const gw_opt options[] = {
    {GW_O_RULES, "rules", 0, "DIR",
     "the rules folder (default: $GONGWEN_RULES, else the installed rules)"},
    {GW_O_QUIET, "quiet", 'q', NULL, "print only errors, not warnings"},
    {GW_O_PRETTY, "pretty", 0, NULL, "indent the JSON (one record then spans several lines)"},
    GW_OPT_MAX_FAILED,
    {0}};

static const gw_cli cli = {
    "gw-segment", "gw-segment [--rules DIR] [--quiet] [--pretty] [--max-failed N|P%] [FILE ...]",
    "  Read gongwen JSON Lines records (gw-normalize's output) from each FILE, or from the\n"
    "  standard input when there is none or FILE is -, and write each record with its header,\n"
    "  is_notice, attachments and numbered nodes added to the standard output.",
    options};

static int
stage(void *ctx, gw_doc *d)
{
	return gw_segment(ctx, d);
}

int
main(int argc, char **argv)
{
	/* the families gw_segmenter_new takes (lines.h, lines.c): only they are compiled */
	gw_opts o = {.families = "header. region. node."};
	gw_rules *rs;
	gw_buf err = GW_BUF_INIT;
	gw_segmenter *s;
	int status = 2;

	gw_opts_parse(&o, &cli, argc, argv);
	rs = gw_opts_rules(&o);
	if ((s = gw_segmenter_new(rs, &err)) == NULL)
		gw_rules_error(o.rules_dir, err.ptr);
	else
		status = gw_filter_inputs(&o, GW_ST_SEGMENTED, stage, s);
	gw_segmenter_free(s);
	gw_rules_free(rs);
	gw_buf_free(&err);
	return status;
}
