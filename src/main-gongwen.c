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

enum { UPDATE = GW_O_PROG, RECURSIVE, ID_FROM };

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
    {0}};

static const gw_cli cli = {
    "gongwen",
    "gongwen [--jobs N] [--out DIR] [--rules DIR] [--html] [--update] [--quiet] [-0] [-r]\n"
    "               [--id-from stem|path] PATH...",
    "  Process every PATH (a file, - for stdin, or a folder: its *.txt files) into DIR/ID.json\n"
    "  and DIR/ID.xml, failures into DIR/errors.jsonl.  With no PATH, read one path a line\n"
    "  (with -0: NUL-separated) from stdin.",
    options};

/* The options of gongwen's own. */
typedef struct flags {
	int update, recursive, id_path;
} flags;

typedef struct batch {
	const flags *f;
	char **paths;
	size_t n, cap;
	atomic_size_t next;
	const gw_opts *o;
	const gw_rules *rs;
	gw_emitter *em;
	atomic_int status;
} batch;

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
 * loop). */
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
		if (stat(path.ptr, &st) == 0 && S_ISDIR(st.st_mode)) {
			bool down = b->f->recursive && lstat(path.ptr, &st) == 0 && S_ISDIR(st.st_mode);

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
		char *stem = gw_path_id(b->paths[i], b->f->id_path);
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

/* One document through every stage; the worker's stage objects are its own. */
static void
process(batch *b, gw_normalizer *nz, gw_segmenter *sg, gw_extractor *ex, const char *path)
{
	gw_doc *d = gw_doc_new();
	int failed;

	d->id = gw_path_id(path, b->f->id_path);
	d->src_path = strcmp(path, "-") ? gw_xstrdup(path) : NULL;
	failed = gw_normalize_file(nz, d, path);
	if (!failed && !d->error)
		failed = gw_segment(sg, d);
	if (!failed && !d->error)
		failed = gw_extract(ex, d);
	if (!d->error)
		snprintf(d->rules_digest, sizeof d->rules_digest, "%s", gw_rules_digest(b->rs));
	gw_emitter_print_diags(b->em, d, ~0u, b->o->quiet ? GW_ERROR : GW_NOTE);
	if (gw_emitter_put(b->em, d) != 0 || failed || d->error)
		atomic_store(&b->status, 1);
	gw_doc_free(d);
}

static void *
worker(void *arg)
{
	batch *b = arg;
	gw_buf err = GW_BUF_INIT;
	gw_normalizer *nz = gw_normalizer_new(&err);
	gw_segmenter *sg = nz ? gw_segmenter_new(b->rs, &err) : NULL;
	gw_extractor *ex = sg ? gw_extractor_new(b->rs, &err) : NULL;
	size_t i;

	if (nz)
		gw_normalizer_set_rules(nz, b->rs);
	if (ex == NULL) {
		gw_msg(NULL, 0, GW_E_SYSTEM, "%s", err.ptr ? err.ptr : "a worker");
		atomic_store(&b->status, 2);
		atomic_store(&b->next, b->n); /* the others stop too */
	} else
		while ((i = atomic_fetch_add(&b->next, 1)) < b->n)
			process(b, nz, sg, ex, b->paths[i]);
	gw_extractor_free(ex);
	gw_segmenter_free(sg);
	gw_normalizer_free(nz);
	gw_buf_free(&err);
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

static int
run_workers(batch *b, int jobs)
{
	pthread_t *tid = gw_xcalloc((size_t)jobs, sizeof *tid);
	int started = 0;

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
	free(tid);
	return atomic_load(&b->status);
}

static const char *
set(void *ctx, int id, const char *value)
{
	flags *f = ctx;

	if (id == ID_FROM && strcmp(value, "stem") && strcmp(value, "path"))
		return "stem or path";
	*(id == UPDATE ? &f->update : id == RECURSIVE ? &f->recursive : &f->id_path) =
	    id != ID_FROM || strcmp(value, "path") == 0;
	return NULL;
}

/* Free what the batch holds; the exit status. */
static int
batch_end(batch *b, gw_buf *err, int status)
{
	for (size_t k = 0; k < b->n; k++)
		free(b->paths[k]);
	free(b->paths);
	gw_rules_free((gw_rules *)b->rs);
	gw_buf_free(err);
	return status;
}

int
main(int argc, char **argv)
{
	int status, fin;
	size_t listed;
	flags f = {0};
	gw_opts o = {.out_dir = "out", .set = set, .ctx = &f};
	batch b = {.f = &f};
	gw_buf err = GW_BUF_INIT;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	gw_opts_parse(&o, &cli, argc, argv);
	b.rs = gw_opts_rules(&o);
	b.o = &o;
	if (o.nops == 0)
		gw_stdin_wanted("PATHs");
	if (o.nops == 0 && gw_read_paths(&o, stdin_path, &b) != 0)
		return batch_end(&b, &err, 2);
	for (int i = 0; i < o.nops; i++)
		add_operand(&b, o.ops[i]);
	listed = b.n;
	if (f.update)
		drop_fresh(&b, o.out_dir, newest_input(o.rules_dir), o.html);
	b.em = gw_emitter_new(o.prog, o.out_dir,
	                      (o.quiet ? GW_EMIT_QUIET : 0) | (o.html ? GW_EMIT_HTML : 0), &err);
	if (b.em == NULL) {
		gw_msg(NULL, 0, GW_E_WRITE, "%s", err.ptr); /* it names the folder */
		return batch_end(&b, &err, 2);
	}
	gw_emitter_set_total(b.em, b.n);
	gw_emitter_set_fresh(b.em, listed - b.n);
	if (o.jobs == 0)
		o.jobs = cores > 0 ? (int)(cores < 64 ? cores : 64) : 1;
	if ((size_t)o.jobs > b.n && b.n > 0)
		o.jobs = (int)b.n;
	status = b.n ? run_workers(&b, o.jobs) : 0;
	fin = gw_emitter_finish(b.em);
	return batch_end(&b, &err, fin > status ? fin : status);
}
