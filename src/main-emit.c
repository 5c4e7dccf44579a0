/* main-emit.c — gw-emit: write each JSON Lines record as out/<id>.json and out/<id>.xml. */
#include "emit.h"
#include "internal.h"

static const gw_opt options[] = {
    {GW_O_OUT, "out", 0, "DIR", "the output folder, made when missing (default: out)"},
    {GW_O_HTML, "html", 0, NULL,
     "also DIR/<id>.html (a page to read) and DIR/index.html (every document of DIR)"},
    {GW_O_QUIET, "quiet", 'q', NULL, "no progress line, no summary"},
    {GW_O_ERRORS, "errors", 0, "FILE", "the failures there, not in DIR/errors.jsonl"},
    {GW_O_SUMMARY, "summary", 0, "FILE", "the run's counts there, as JSON"},
    GW_OPT_MAX_FAILED,
    {0}};

static const gw_cli cli = {
    "gw-emit",
    "gw-emit [--out DIR] [--html] [--quiet] [--errors FILE] [--summary FILE]\n"
    "       [--max-failed N|P%] [FILE ...]",
    "  Read gongwen records (JSON Lines) from each FILE, or standard input, and write\n"
    "  DIR/<id>.json (pretty JSON) and DIR/<id>.xml (Akoma Ntoso 3.0) for each document,\n"
    "  and DIR/errors.jsonl listing the documents that failed.",
    options};

/* The emitter counts what fails; its status comes from gw_emitter_finish. */
static int
put(void *e, gw_doc *d, const char *text, size_t len)
{
	(void)text, (void)len;
	gw_emitter_put(e, d);
	return 0;
}

int
main(int argc, char **argv)
{
	gw_opts o = {.out_dir = "out"};
	gw_buf err = GW_BUF_INIT;
	gw_emitter *e;
	gw_counts c;
	int status, st;

	gw_opts_parse(&o, &cli, argc, argv);
	if (o.nops == 0) /* before the output folder is made */
		gw_stdin_wanted("FILEs of records");
	if ((e = gw_emitter_new(o.prog, o.out_dir,
	                        GW_EMIT_VALID | (o.quiet ? GW_EMIT_QUIET : 0) |
	                            (o.html ? GW_EMIT_HTML : 0),
	                        &err)) == NULL) {
		gw_msg(NULL, 0, GW_E_WRITE, "%s", err.ptr); /* it names the folder */
		gw_buf_free(&err);
		return 2;
	}
	gw_emitter_set_run(e, o.errors, o.summary, 0);
	status = gw_inputs(&o, &(gw_sink){put, e, true});
	gw_emitter_counts(e, &c);
	st = gw_emitter_finish(e);
	return gw_opts_status(&o, st > status ? st : status, c.documents, c.failed);
}
