/* main-merge.c — gw-merge: the outputs of many gongwen tasks (one machine's or one partition's
 * each) into one folder, as one run over every document would have left it. */
#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "emit.h"
#include "internal.h"

static const gw_opt options[] = {
    {GW_O_OUT, "out", 0, "DIR", "the merged folder, made when missing (default: out)"},
    {GW_O_HTML, "html", 0, NULL, "also DIR/ID.html and DIR/index.html"},
    {GW_O_QUIET, "quiet", 'q', NULL, "no progress line, no summary"},
    {GW_O_ERRORS, "errors", 0, "FILE", "the failures there, not in DIR/errors.jsonl"},
    {GW_O_SUMMARY, "summary", 0, "FILE", "the merged counts there, as JSON"},
    GW_OPT_MAX_FAILED,
    {0}};

static const gw_cli cli = {
    "gw-merge",
    "gw-merge [--out DIR] [--html] [--quiet] [--errors FILE] [--summary FILE]\n"
    "       [--max-failed N|P%] TASK...",
    "  Merge the outputs of gongwen tasks into DIR: each TASK a folder a task wrote (its ID.json\n"
    "  records, errors.jsonl and summary.json), a file of records named *.jsonl (gongwen --jsonl, --errors), or\n"
    "  a task's --summary file (its name ends in summary.json).  A repeated id fails; the counts\n"
    "  of the summaries must equal the documents merged (written + failed).",
    options};

typedef struct merge {
	gw_emitter *em;
	gw_sink sink; /* each record to em */
	size_t documents, skipped; /* from the tasks' summaries */
	int summaries;
} merge;

static int
put(void *m, gw_doc *d, const char *text, size_t len)
{
	(void)text, (void)len;
	gw_emitter_put(((merge *)m)->em, d);
	return 0;
}

/* A task's --summary: its documents and skipped counts add to what the merge must account for. */
static int
add_summary(merge *m, const char *path)
{
	json_error_t je;
	json_t *o = json_load_file(path, 0, &je);
	json_t *docs = json_object_get(o, "documents"), *skipped = json_object_get(o, "skipped");

	if (!json_is_integer(docs) || !json_is_integer(skipped)) {
		gw_msg(path, 0, GW_E_COUNTS, "not a gongwen summary%s%s", o ? "" : ": ",
		       o ? "" : je.text);
		json_decref(o);
		return 2;
	}
	m->documents += (size_t)json_integer_value(docs);
	m->skipped += (size_t)json_integer_value(skipped);
	m->summaries++;
	json_decref(o);
	return 0;
}

static int
json_only(const struct dirent *e)
{
	return e->d_name[0] != '.' && gw_ends_with(e->d_name, ".json") &&
	       strcmp(e->d_name, "summary.json") != 0;
}

/* A task's folder: its records, its errors.jsonl, its summary.json. */
static int
add_folder(merge *m, const char *dir)
{
	struct dirent **list;
	int n = scandir(dir, &list, json_only, alphasort), status = 0, st;
	gw_buf p = GW_BUF_INIT;
	struct stat sb;

	if (n < 0) {
		gw_msg(dir, 0, GW_E_READ, "cannot list the folder");
		return 2;
	}
	for (int i = 0; i < n; i++) {
		gw_buf_reset(&p);
		gw_buf_printf(&p, "%s/%s", dir, list[i]->d_name);
		if ((st = gw_record_file(&m->sink, p.ptr)) > status)
			status = st;
		free(list[i]);
	}
	free(list);
	for (int k = 0; k < 2; k++) {
		gw_buf_reset(&p);
		gw_buf_printf(&p, "%s/%s", dir, k ? "summary.json" : "errors.jsonl");
		if (stat(p.ptr, &sb) == 0 &&
		    (st = k ? add_summary(m, p.ptr) : gw_record_file(&m->sink, p.ptr)) > status)
			status = st;
	}
	gw_buf_free(&p);
	return status;
}

static int
add_task(merge *m, const char *path)
{
	struct stat sb;

	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return add_folder(m, path);
	if (gw_ends_with(path, "summary.json"))
		return add_summary(m, path);
	return gw_record_file(&m->sink, path);
}

/* Every document a task was given is written or failed here (or was skipped by the task). */
static int
check_counts(const merge *m, const gw_counts *c)
{
	if (m->summaries == 0 || m->documents == c->written + c->failed + m->skipped)
		return 0;
	gw_msg(NULL, 0, GW_E_COUNTS,
	       "%zu documents in the tasks' summaries, %zu written + %zu failed + %zu skipped here",
	       m->documents, c->written, c->failed, m->skipped);
	return 2;
}

int
main(int argc, char **argv)
{
	gw_opts o = {.out_dir = "out"};
	gw_buf err = GW_BUF_INIT;
	merge m = {0};
	gw_counts c;
	int status = 0, st;

	gw_opts_parse(&o, &cli, argc, argv);
	if (o.nops == 0)
		gw_usage_error("no TASK to merge");
	m.sink = (gw_sink){put, &m, true};
	m.em = gw_emitter_new(o.prog, o.out_dir,
	                      (o.quiet ? GW_EMIT_QUIET : 0) | (o.html ? GW_EMIT_HTML : 0), &err);
	if (m.em == NULL) {
		gw_msg(NULL, 0, GW_E_WRITE, "%s", err.ptr); /* it names the folder */
		gw_buf_free(&err);
		return 2;
	}
	for (int i = 0; i < o.nops; i++)
		if ((st = add_task(&m, o.ops[i])) > status)
			status = st;
	gw_emitter_counts(m.em, &c);
	gw_emitter_set_run(m.em, o.errors, o.summary, m.skipped);
	if ((st = check_counts(&m, &c)) > status)
		status = st;
	if ((st = gw_emitter_finish(m.em)) > status)
		status = st;
	return gw_opts_status(&o, status, c.written + c.failed, c.failed);
}
