/* main-gongwen.c — gongwen: normalise, segment, extract and emit many files in one process, on
 * every core. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emit.h"
#include "internal.h"

enum { UPDATE = GW_O_PROG, RECURSIVE, ID_FROM, RECORDS, READ_PATHS, JSONL };

/* --jsonl with several jobs: how many documents a job a worker may run ahead of the first record
 * not yet written (the records held meanwhile are the memory it costs) */
enum { JSONL_AHEAD = 16 };

static const gw_opt options[] = {
    {GW_O_JOBS, "jobs", 'j', "N", "worker threads (default: the number of cores)"},
    {GW_O_OUT, "out", 0, "DIR", "output folder (default: out)"},
    {GW_O_RULES, "rules", 0, "DIR",
     "rules folder (default: $GONGWEN_RULES, else the installed rules)"},
    {GW_O_HTML, "html", 0, NULL,
     "also DIR/ID.html (a page to read) and DIR/index.html (every document of DIR)"},
    {UPDATE, "update", 0, NULL,
     "skip a file whose outputs are newer than it, the rules and this program"},
    {GW_O_QUIET, "quiet", 'q', NULL, "no progress line, no summary, no warnings"},
    {GW_O_NULL, "null", '0', NULL,
     "the paths on stdin each end in NUL (find -print0), not a newline"},
    {RECURSIVE, "recursive", 'r', NULL,
     "a folder stands for its text files and its subfolders' too"},
    {ID_FROM, "id-from", 0, "stem|path",
     "a document's id: its file name's stem (default), or its path (a/b.txt: a_b)"},
    {RECORDS, "records", 0, NULL,
     "read JSON Lines records {id, content | content_base64} (stdin, or each PATH)"},
    {READ_PATHS, "read-paths", 0, NULL, "with --records: read a record's path (default: refused)"},
    {JSONL, "jsonl", 0, NULL, "write each document's record on stdout, in input order, no files"},
    {GW_O_ERRORS, "errors", 0, "FILE", "the failures there, not in DIR/errors.jsonl"},
    {GW_O_SUMMARY, "summary", 0, "FILE", "the run's counts there, as JSON"},
    GW_OPT_MAX_FAILED,
    {0}};

static const gw_cli cli = {
    "gongwen",
    "gongwen [--jobs N] [--out DIR] [--rules DIR] [--html] [--update] [--quiet] [-0] [-r]\n"
    "        [--id-from stem|path] [--records [--read-paths]] [--jsonl] [--errors FILE]\n"
    "        [--summary FILE] [--max-failed N|P%] PATH...",
    "  Process every PATH (a file, - for stdin, or a folder: its *.txt files) into DIR/ID.json\n"
    "  and DIR/ID.xml, failures into DIR/errors.jsonl.  With no PATH, read one path a line\n"
    "  (with -0: NUL-separated) from stdin.  With --records, each line of stdin (or of each\n"
    "  PATH) is a record carrying a document.",
    options};

/* --records: a document made from its record (or an error record), with its content. */
typedef struct rec {
	gw_doc *d;
	gw_buf bytes;
	bool by_path; /* --read-paths: read from d->src_path */
} rec;

typedef struct batch {
	char **paths;
	size_t n, cap;
	rec *recs;            /* --records: the documents, n of them (and cap), not paths */
	const char *rec_name; /* --records: the file being read, for messages */
	gw_buf *lines;        /* --jsonl: each document's record, in input order */
	bool *ready;          /* --jsonl: lines[i] is complete (under out_mu) */
	size_t written;       /* --jsonl: the records before it are on stdout (under out_mu) */
	size_t window;        /* --jsonl: how far ahead of written a worker may take a document (0: any) */
	pthread_mutex_t out_mu;
	pthread_cond_t out_cv;
	int flags;            /* gongwen's own options, a bit each: FLAG(RECORDS) … */
	int id_path;          /* --id-from path */
	size_t skipped;       /* --update: the paths whose outputs are fresh */
	char **ids;           /* the documents' ids from their paths (order_by_id), NULL for records */
	size_t *order;        /* the documents in the order they are processed (order_by_id) */
	size_t end;           /* the end in order of the rank being processed */
	atomic_size_t next;
	const gw_opts *o;
	const gw_rules *rs;
	gw_emitter *em;
	atomic_int status;
} batch;

#define FLAG(opt) (1 << ((opt)-GW_O_PROG))

static void
add_path(batch *b, const char *p)
{
	gw_grow((void **)&b->paths, &b->cap, b->n + 1, sizeof *b->paths);
	b->paths[b->n++] = gw_xstrdup(p);
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
is_text_name(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && strcasecmp(name + n - 4, ".txt") == 0; /* NOTICE.TXT too */
}

/* Every text file of folder p, and with -r of its subfolders, in name order: counts in n[0]
 * what was skipped, n[1] the subfolders not read (a link to a folder is not followed: no
 * loop).  An entry the folder says is a regular file is not looked at again (issue 14: a stat
 * a document); a link, or an entry of a file system that does not say, is. */
static void
add_folder(batch *b, const char *p, DIR *dp, size_t n[2])
{
	struct dirent *de;
	size_t first = b->n;

	while ((de = readdir(dp)) != NULL) {
		gw_buf path = GW_BUF_INIT;
		struct stat st;
		DIR *sub;

		if (de->d_name[0] == '.')
			continue;
		gw_buf_printf(&path, "%s%s%s", p, p[strlen(p) - 1] == '/' ? "" : "/", de->d_name);
		if (de->d_type != DT_REG && stat(path.ptr, &st) == 0 && S_ISDIR(st.st_mode)) {
			bool down = (b->flags & FLAG(RECURSIVE)) && lstat(path.ptr, &st) == 0 && S_ISDIR(st.st_mode);

			n[1] += !down;
			if (down && (sub = opendir(path.ptr)) != NULL) {
				add_folder(b, path.ptr, sub, n);
				closedir(sub);
			}
		} else if (is_text_name(de->d_name))
			add_path(b, path.ptr);
		else
			n[0]++;
		gw_buf_free(&path);
	}
	if (b->n > first) /* paths is NULL while empty */
		qsort(b->paths + first, b->n - first, sizeof *b->paths, str_cmp);
}

/* A folder stands for its text files (see add_folder); anything else is passed on as it is (a
 * missing path becomes an error record, not a stop).  A folder with no text file is said. */
static void
add_operand(batch *b, const char *p)
{
	struct stat st;
	DIR *dp;
	size_t first = b->n, skipped[2] = {0, 0};

	if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode) || (dp = opendir(p)) == NULL) {
		add_path(b, p);
		return;
	}
	add_folder(b, p, dp, skipped);
	closedir(dp);
	if (b->n == first && !b->o->quiet)
		gw_msg(p, 0, GW_W_NO_TEXT_FILES, "%zu other file%s skipped%s", skipped[0],
		       skipped[0] == 1 ? "" : "s",
		       skipped[1] ? " (and subfolders: -r reads them)" : "");
}

static double
mtime_of(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return -1;
	return (double)st.st_mtim.tv_sec + st.st_mtim.tv_nsec / 1e9;
}

/* The newest of the rule files and this program: outputs older than it are stale. */
static double
newest_input(const char *rules_dir)
{
	double t = mtime_of("/proc/self/exe"), m;
	DIR *dp = opendir(rules_dir);
	struct dirent *de;

	while (dp && (de = readdir(dp)) != NULL) {
		gw_buf p = GW_BUF_INIT;

		gw_buf_printf(&p, "%s/%s", rules_dir, de->d_name);
		if ((m = mtime_of(p.ptr)) > t)
			t = m;
		gw_buf_free(&p);
	}
	if (dp)
		closedir(dp);
	return t;
}

/* --update: keep only the paths whose outputs are missing or older than their inputs (with
 * --html, a missing page counts). */
static void
drop_fresh(batch *b, const char *out_dir, double floor_time, int html)
{
	size_t k = 0;

	for (size_t i = 0; i < b->n; i++) {
		char *stem = gw_path_id(b->paths[i], b->id_path);
		gw_buf j = GW_BUF_INIT, x = GW_BUF_INIT;
		double src = mtime_of(b->paths[i]), tj, tx;

		gw_buf_printf(&j, "%s/%s.json", out_dir, stem);
		gw_buf_printf(&x, "%s/%s.xml", out_dir, stem);
		tj = mtime_of(j.ptr), tx = mtime_of(x.ptr);
		if (html) { /* tx: the older of the XML and the page */
			gw_buf_reset(&x);
			gw_buf_printf(&x, "%s/%s.html", out_dir, stem);
			tx = tx < mtime_of(x.ptr) ? tx : mtime_of(x.ptr);
		}
		if (src >= 0 && tj >= src && tx >= src && tj >= floor_time && tx >= floor_time)
			free(b->paths[i]);
		else
			b->paths[k++] = b->paths[i];
		free(stem);
		gw_buf_free(&j);
		gw_buf_free(&x);
	}
	b->n = k;
}

/* --jsonl: the complete records from the first not written on, up to one not complete, to
 * stdout in input order, flushed whole (for a reader at the other end of a pipe), and out of
 * memory; whether any was written.  Called under out_mu. */
static bool
write_ready(batch *b)
{
	size_t from = b->written;

	for (; b->written < b->n && b->ready[b->written]; b->written++) {
		fwrite(b->lines[b->written].ptr, 1, b->lines[b->written].len, stdout);
		gw_buf_free(&b->lines[b->written]);
	}
	if (b->written == from)
		return false;
	fflush(stdout);
	return true;
}

/* --jsonl: record i is complete; it goes out with every complete one after it that no earlier
 * document holds back (a batch's records are not all held to its end: its memory stays flat,
 * and the first records are out while the rest run). */
static void
put_line(batch *b, size_t i)
{
	pthread_mutex_lock(&b->out_mu);
	b->ready[i] = true;
	if (write_ready(b))
		pthread_cond_broadcast(&b->out_cv);
	pthread_mutex_unlock(&b->out_mu);
}

/* --jsonl: a worker about to take document i waits while it is window documents or more ahead
 * of the first record not yet written (a slow document holds the others' records; each one
 * before i is being processed by a worker that does not wait, so the wait ends). */
static void
wait_window(batch *b, size_t i)
{
	if (b->window == 0)
		return;
	pthread_mutex_lock(&b->out_mu);
	while (i >= b->written + b->window)
		pthread_cond_wait(&b->out_cv, &b->out_mu);
	pthread_mutex_unlock(&b->out_mu);
}

/* One document through every stage; the worker's stage objects are its own, and so is spare,
 * the model a file is read into: reset after each, it keeps what the last one grew (issue 14). */
static void
process(batch *b, gw_worker *w, gw_doc *spare, size_t i)
{
	gw_doc *d = b->recs ? b->recs[i].d : spare;
	const char *content = NULL, *path = NULL; /* content NULL: read the file path */
	size_t len = 0;
	int failed = 1;

	if (b->recs == NULL) {
		path = b->paths[i];
		d->id = b->ids[i], b->ids[i] = NULL;
		d->src_path = strcmp(path, "-") ? gw_xstrdup(path) : NULL;
	} else if (b->recs[i].by_path)
		path = d->src_path;
	else if (!b->recs[i].by_path) {
		content = b->recs[i].bytes.ptr ? b->recs[i].bytes.ptr : "";
		len = b->recs[i].bytes.len;
	}
	if (!d->error) /* a record that could not be used was made an error record already */
		failed = gw_worker_run(w, d, path, content, len);
	if (b->lines)
		gw_json_write(d, &b->lines[i], 0);
	if (b->recs)
		gw_buf_free(&b->recs[i].bytes);
	gw_emitter_print_diags(b->em, d, ~0u, b->o->quiet ? GW_ERROR : GW_NOTE);
	if (gw_emitter_put(b->em, d) != 0 || failed)
		atomic_store(&b->status, 1);
	if (d == spare)
		gw_doc_reset(d);
	else
		gw_doc_free(d);
	if (b->lines)
		put_line(b, i);
}

static void *
worker(void *arg)
{
	batch *b = arg;
	char err[512] = "";
	gw_worker *w = gw_worker_new(b->rs, err, sizeof err);
	gw_doc *spare = gw_doc_new();
	size_t i;

	if (w == NULL) {
		gw_msg(NULL, 0, GW_E_SYSTEM, "%s", *err ? err : "a worker");
		atomic_store(&b->status, 2);
		atomic_store(&b->next, b->n); /* the others stop too */
	} else
		while ((i = atomic_fetch_add(&b->next, 1)) < b->end) {
			wait_window(b, b->order[i]);
			process(b, w, spare, b->order[i]);
		}
	gw_doc_free(spare);
	gw_worker_free(w);
	return NULL;
}

static int
stdin_path(void *b, char *line, size_t len, long lineno, bool complete)
{
	(void)lineno, (void)complete;
	if (len)
		add_operand(b, line);
	return 0;
}

/* --records: one input record a line of name. */
static int
record_line(void *ctx, char *line, size_t len, long lineno, bool complete)
{
	batch *b = ctx;
	const char *name = b->rec_name;
	rec *r;

	(void)complete;
	if (strspn(line, " \t") == len)
		return 0;
	gw_grow((void **)&b->recs, &b->cap, b->n + 1, sizeof *b->recs);
	r = &b->recs[b->n++];
	*r = (rec){NULL, GW_BUF_INIT, false};
	r->d = gw_input_record(name, line, len, lineno, &r->bytes, &r->by_path);
	if (r->by_path && !(b->flags & FLAG(READ_PATHS))) {
		gw_input_refuse_path(r->d, name, lineno);
		r->by_path = false;
	}
	return 0;
}

/* --records: every record of stdin, or of each operand; 2 when a file cannot be read. */
static int
read_records(batch *b, const gw_opts *o)
{
	int status = 0;

	for (int i = 0; i < (o->nops ? o->nops : 1); i++) {
		const char *name = o->nops && strcmp(o->ops[i], "-") ? o->ops[i] : "stdin";
		FILE *fp = strcmp(name, "stdin") ? fopen(name, "r") : stdin;
		int st = fp ? (b->rec_name = name, gw_read_lines(fp, name, record_line, b)) : 2;

		if (fp == NULL)
			gw_msg(name, 0, GW_E_READ, "%s", strerror(errno));
		else if (fp != stdin)
			fclose(fp);
		status = st > status ? st : status;
	}
	return status;
}

/* Which documents have an id an earlier one of the input has too (with several threads, which
 * of them claimed the id first was once a matter of timing).  Each document gets a rank, the
 * number of documents of its id before it in the input, and b->order lists them by rank, in
 * input order within one: all documents of rank 0 are processed, then those of rank 1 and so on
 * (one pass of the workers each, run_workers), so the documents of one id reach the emitter in
 * input order, as with one job.  The documents of different ids do not meet there: the outputs
 * are the same in any order of them.  Returns the number of ranks; the end of rank r in b->order
 * is ends[r]. */
static size_t
order_by_id(batch *b, size_t **ends)
{
	uint32_t *rank = gw_xcalloc(b->n + 1, sizeof *rank), *seen = gw_xcalloc(b->n + 1, sizeof *seen);
	size_t nrank = 1, *count, distinct = 0;
	gw_idset ids;

	gw_idset_init(&ids, b->n);
	if (b->recs == NULL)
		b->ids = gw_xcalloc(b->n + 1, sizeof *b->ids);
	for (size_t i = 0; i < b->n; i++) {
		const char *id = b->recs ? b->recs[i].d->id : (b->ids[i] = gw_path_id(b->paths[i], b->id_path));
		const char *had = id ? gw_idset_get(&ids, id) : NULL;
		uint32_t k = (uint32_t)distinct;

		if (id == NULL)
			continue;
		if (had)
			memcpy(&k, had + strlen(had) + 1, sizeof k);
		else
			gw_idset_add_data(&ids, id, &k, sizeof k), distinct++;
		rank[i] = seen[k]++;
		nrank = rank[i] >= nrank ? rank[i] + 1 : nrank;
	}
	count = gw_xcalloc(nrank + 1, sizeof *count);
	for (size_t i = 0; i < b->n; i++)
		count[rank[i] + 1]++;
	for (size_t r = 1; r <= nrank; r++)
		count[r] += count[r - 1]; /* count[r]: where rank r starts */
	b->order = gw_xmalloc((b->n + 1) * sizeof *b->order);
	for (size_t i = 0; i < b->n; i++)
		b->order[count[rank[i]]++] = i; /* count[r]: where rank r ends */
	gw_idset_free(&ids);
	free(rank), free(seen);
	*ends = count;
	return nrank;
}

static int
run_workers(batch *b, int jobs)
{
	pthread_t *tid = gw_xcalloc((size_t)jobs, sizeof *tid);
	size_t *ends, nrank = order_by_id(b, &ends);

	/* --jsonl over one pass: records written as they complete, a worker at most JSONL_AHEAD
	 * documents a job ahead of the first one not written.  With ids seen twice, a later pass
	 * holds its documents' records and those after them until it runs: no window */
	b->window = b->lines && nrank == 1 && jobs > 1 ? JSONL_AHEAD * (size_t)jobs : 0;

	for (size_t r = 0; r < nrank && atomic_load(&b->status) != 2; r++) {
		int started = 0;

		atomic_store(&b->next, r ? ends[r - 1] : 0);
		b->end = ends[r];
		if (jobs == 1) /* no thread: easier to debug and profile */
			worker(b);
		else {
			for (; started < jobs; started++)
				if (pthread_create(&tid[started], NULL, worker, b) != 0) {
					gw_msg(NULL, 0, GW_E_SYSTEM, "a thread: %s", strerror(errno));
					break;
				}
			if (started == 0)
				worker(b);
			for (int t = 0; t < started; t++)
				pthread_join(tid[t], NULL);
		}
	}
	free(ends);
	free(tid);
	return atomic_load(&b->status);
}

static const char *
set(void *ctx, int id, const char *value)
{
	batch *b = ctx;

	if (id == ID_FROM && strcmp(value, "stem") && strcmp(value, "path"))
		return "stem or path";
	if (id == ID_FROM)
		b->id_path = strcmp(value, "path") == 0;
	else
		b->flags |= FLAG(id); /* the others are flags */
	return NULL;
}

/* The documents to process, from the operands or stdin: paths, or records (--records). */
static int
read_inputs(batch *b, const gw_opts *o)
{
	if (b->flags & FLAG(RECORDS))
		return read_records(b, o);
	if (o->nops == 0)
		gw_stdin_wanted("PATHs");
	if (o->nops == 0 && gw_read_paths(o, stdin_path, b) != 0)
		return 2;
	for (int i = 0; i < o->nops; i++)
		add_operand(b, o->ops[i]);
	if (b->flags & FLAG(UPDATE)) {
		b->skipped = b->n;
		drop_fresh(b, o->out_dir, newest_input(o->rules_dir), o->html);
		b->skipped -= b->n;
	}
	return 0;
}

/* --jsonl: the records not written yet (none, unless a worker could not start: the documents
 * it left have empty records), in input order; 0, or 2 after a write error. */
static int
write_lines(batch *b)
{
	for (size_t i = b->written; i < b->n; i++)
		b->ready[i] = true;
	write_ready(b);
	free(b->lines);
	free(b->ready);
	pthread_cond_destroy(&b->out_cv);
	pthread_mutex_destroy(&b->out_mu);
	return gw_stdout_done();
}

static void
batch_free(batch *b)
{
	for (size_t k = 0; k < b->n && b->paths; k++)
		free(b->paths[k]), free(b->ids ? b->ids[k] : NULL);
	free(b->paths);
	free(b->ids);
	free(b->order);
	free(b->recs);
	gw_rules_free((gw_rules *)b->rs);
}

int
main(int argc, char **argv)
{
	int status, fin, emit;
	batch b = {0};
	gw_opts o = {.out_dir = "out", .set = set, .ctx = &b};
	gw_buf err = GW_BUF_INIT;
	gw_counts c;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	gw_opts_parse(&o, &cli, argc, argv);
	b.rs = gw_opts_rules(&o);
	b.o = &o;
	if (read_inputs(&b, &o) != 0) {
		batch_free(&b);
		return 2;
	}
	emit = (o.quiet ? GW_EMIT_QUIET : 0) |
	       (b.flags & FLAG(JSONL) ? GW_EMIT_NO_FILES | GW_EMIT_NO_ERRORS
	                              : o.html ? GW_EMIT_HTML : 0);
	if ((b.em = gw_emitter_new(o.prog, o.out_dir, emit, &err)) == NULL) {
		gw_msg(NULL, 0, GW_E_WRITE, "%s", err.ptr); /* it names the folder */
		batch_free(&b);
		gw_buf_free(&err);
		return 2;
	}
	gw_emitter_set_total(b.em, b.n);
	gw_emitter_set_run(b.em, o.errors, o.summary, b.skipped);
	gw_emitter_set_fresh(b.em, b.skipped);
	if (b.flags & FLAG(JSONL)) {
		b.lines = gw_xcalloc(b.n + 1, sizeof *b.lines);
		b.ready = gw_xcalloc(b.n + 1, sizeof *b.ready);
		pthread_mutex_init(&b.out_mu, NULL);
		pthread_cond_init(&b.out_cv, NULL);
	}
	if (o.jobs == 0)
		o.jobs = cores > 0 ? (int)(cores < 64 ? cores : 64) : 1;
	if ((size_t)o.jobs > b.n && b.n > 0)
		o.jobs = (int)b.n;
	status = b.n ? run_workers(&b, o.jobs) : 0;
	if (b.lines && (fin = write_lines(&b)) > status)
		status = fin;
	gw_emitter_counts(b.em, &c);
	fin = gw_emitter_finish(b.em);
	batch_free(&b);
	gw_buf_free(&err);
	return gw_opts_status(&o, fin > status ? fin : status, c.documents, c.failed);
}
