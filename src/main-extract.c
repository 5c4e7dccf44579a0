/* main-extract.c — gw-extract: add every quantity (number, unit, comparator, kind) to each record.
 */
#include "internal.h"

static const gw_opt options[] = {
    {GW_O_QUIET, "quiet", 'q', NULL, "print only errors on stderr, not warnings"},
    {GW_O_PRETTY, "pretty", 0, NULL, "indent the records (not JSON Lines any more)"},
    GW_OPT_MAX_FAILED,
    {GW_O_RULES, "rules", 0, "DIR",
     "the rules folder (quantity.rules, kind.rules; default $GONGWEN_RULES)"},
    {0}};

static const gw_cli cli = {
    "gw-extract", "gw-extract [--quiet] [--pretty] [--rules DIR] [--max-failed N|P%] [FILE ...]",
    "  Read gongwen records (JSON Lines, as gw-segment writes them) from each FILE, or standard\n"
    "  input, and write them to standard output with their quantities (and the candidates\n"
    "  turned down, under \"rejected\") added.",
    options};

static int
stage(void *ctx, gw_doc *d)
{
	return gw_extract(ctx, d);
}

int
main(int argc, char **argv)
{
	/* the families gw_extractor_new takes (extract.c): only they are compiled */
	gw_opts o = {.families = "quantity. stop. cmp. kind. verb. subject."};
	gw_rules *rs;
	gw_buf err = GW_BUF_INIT;
	gw_extractor *x;
	int status = 2;

	gw_opts_parse(&o, &cli, argc, argv);
	rs = gw_opts_rules(&o);
	if ((x = gw_extractor_new(rs, &err)) == NULL)
		gw_rules_error(o.rules_dir, err.ptr);
	else
		status = gw_filter_inputs(&o, GW_ST_EXTRACTED, stage, x);
	gw_extractor_free(x);
	gw_rules_free(rs);
	gw_buf_free(&err);
	return status;
}
