/* main-index.c — gw-index: put gongwen records (the stream, or the out/ID.json files) into the
 * searchable archive. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "archive.h"
#include "internal.h"

enum { DB = GW_O_PROG, BATCH, REMOVE, BULK, INDEX };

static const gw_opt options[] = {
    {DB, "db", 0, "FILE",
     "the archive (default: gongwen.db beside the first FILE or in DIR; for stdin "
     "out/gongwen.db); created when missing"},
    {BATCH, "batch", 0, "N", "commit every N documents (default 500; 0: the whole run at once)"},
    {REMOVE, "remove", 0, "ID", "take document ID out of the archive (repeatable)"},
    {BULK, "bulk", 0, "FILE",
     "write an OpenSearch/Elasticsearch _bulk file instead (- for stdout)"},
    {INDEX, "index", 0, "NAME", "the index the bulk actions name (default gongwen)"},
    {GW_O_QUIET, "quiet", 'q', NULL, "no summary line on stderr"},
    {0}};

static const gw_cli cli = {
    "gw-index",
    "gw-index [--quiet] [--db FILE] [--batch N] [--remove ID] [FILE|DIR ...]\n"
    "       gw-index --bulk FILE [--index NAME] [FILE|DIR ...]",
    "  Read gongwen records -- JSON Lines on standard input or in FILE.jsonl, one record per\n"
    "  FILE.json, every *.json in DIR (as gongwen writes out/) -- and index them: a document\n"
    "  already there under the same id is replaced when its source sha256 or record changed.",
    options};

typedef struct ix {
	const char *db_path, *bulk_path, *index;
	gw_archive *a;
	FILE *bulk;
	gw_buf out, err;
	long batch, inbatch, crash_after, done;
	long n[4]; /* added, replaced, unchanged, failed */
	int status;
	bool tty; /* a count on stderr as it goes (issue 16: a long run shows it works) */
	gw_opts o;
	const char **removes; /* --remove IDs */
	int nremoves;
} ix;

static void
die(ix *x, enum gw_code c, const char *what, const char *msg)
{
	gw_msg(what, 0, c, "%s", msg ? msg : "");
	if (x->a) {
		gw_archive_rollback(x->a);
		gw_archive_close(x->a);
	}
	gw_buf_free(&x->err);
	gw_buf_free(&x->out);
	free(x->removes);
	exit(2);
}

/* On a terminal, the count of documents so far, every 100. */
static void
progress(const ix *x)
{
	long n = x->n[0] + x->n[1] + x->n[2] + x->n[3];

	if (x->tty && n > 0 && n % 100 == 0)
		fprintf(stderr, "\rgw-index: %ld documents\033[K", n);
}

/* Index (or write as bulk) one record: the sink of the record loop. */
static int
ix_doc(void *ctx, gw_doc *d, const char *rec, size_t len)
{
	ix *x = ctx;
	enum gw_put r;

	progress(x);
	if (d->error) { /* rec NULL: a line that was no record, said already */
		if (rec)
			gw_msg(d->id, 0, GW_E_NOT_INDEXED, "%s",
			       d->error_msg ? d->error_msg : gw_code_name((enum gw_code)d->error));
		x->n[3]++;
		return 1;
	}
	if (x->bulk) {
		gw_buf_reset(&x->out);
		gw_archive_bulk_write(d, x->index, &x->out);
		if (fwrite(x->out.ptr, 1, x->out.len, x->bulk) != x->out.len)
			die(x, GW_E_WRITE, x->bulk_path, strerror(errno));
		x->n[0]++;
		return 0;
	}
	gw_buf_reset(&x->err);
	if ((r = gw_archive_put(x->a, d, rec, len, &x->err)) == GW_PUT_ERROR)
		die(x, GW_E_ARCHIVE, x->db_path, x->err.ptr);
	x->n[r]++;
	/* a test hook: die like kill -9 halfway through a batch (tests/check/archive-safety.sh) */
	if (x->crash_after > 0 && ++x->done >= x->crash_after)
		raise(SIGKILL);
	if (x->batch > 0 && ++x->inbatch >= x->batch) {
		if (gw_archive_commit(x->a, &x->err) < 0 || gw_archive_begin(x->a, &x->err) < 0)
			die(x, GW_E_ARCHIVE, x->db_path, x->err.ptr);
		x->inbatch = 0;
	}
	return 0;
}

static int
json_only(const struct dirent *e)
{
	return e->d_name[0] != '.' && gw_ends_with(e->d_name, ".json");
}

/* Every *.json of a folder, in name order. */
static int
ix_dir(const gw_sink *s, const char *dir)
{
	struct dirent **list;
	int n = scandir(dir, &list, json_only, alphasort), status = 0, st;

	if (n < 0) {
		gw_msg(dir, 0, GW_E_READ, "%s", strerror(errno));
		return 2;
	}
	for (int i = 0; i < n; i++) {
		gw_buf p = GW_BUF_INIT;

		gw_buf_printf(&p, "%s/%s", dir, list[i]->d_name);
		if ((st = gw_record_file(s, p.ptr)) > status)
			status = st;
		gw_buf_free(&p);
		free(list[i]);
	}
	free(list);
	return status;
}

static void
ix_operand(ix *x, const char *arg)
{
	gw_sink s = {ix_doc, x, false};
	struct stat sb;
	int st;

	if (strcmp(arg, "-") == 0)
		st = gw_records(stdin, "<stdin>", &s);
	else if (stat(arg, &sb) == 0 && S_ISDIR(sb.st_mode))
		st = ix_dir(&s, arg);
	else
		st = gw_record_file(&s, arg);
	x->status = st > x->status ? st : x->status;
}

static const char *
set(void *ctx, int id, const char *v)
{
	ix *x = ctx;
	char *end;

	if (id == DB || id == BULK || id == INDEX)
		*(id == DB ? &x->db_path : id == BULK ? &x->bulk_path : &x->index) = v;
	else if (id == REMOVE)
		x->removes[x->nremoves++] = v;
	else if ((x->batch = strtol(v, &end, 10)) < 0 || *v == '\0' || *end) /* --batch */
		return "a number of documents";
	return NULL;
}

/* The archive goes beside the records it indexes (issue 16): DIR/gongwen.db, or in the first
 * FILE's folder; for stdin (and --remove) out/gongwen.db, in an out/ that must exist: no folder
 * the user did not ask for is made. */
static char *
default_db(const ix *x)
{
	const char *first = x->o.nops ? x->o.ops[0] : "-", *slash = strrchr(first, '/');
	struct stat sb;
	gw_buf b = GW_BUF_INIT;

	if (strcmp(first, "-") == 0 && (stat("out", &sb) != 0 || !S_ISDIR(sb.st_mode)))
		gw_usage_error(
		    "no out/ folder for the archive of the records on stdin: give --db FILE");
	if (strcmp(first, "-") == 0)
		gw_buf_puts(&b, "out/gongwen.db");
	else if (stat(first, &sb) == 0 && S_ISDIR(sb.st_mode))
		gw_buf_printf(&b, "%s%sgongwen.db", first,
		              first[strlen(first) - 1] == '/' ? "" : "/");
	else
		gw_buf_printf(&b, "%.*sgongwen.db", slash ? (int)(slash - first + 1) : 0, first);
	return gw_buf_detach(&b);
}

static void
open_archive(ix *x)
{
	x->a = gw_archive_open(x->db_path, GW_ARCHIVE_WRITE, &x->err);
	if (x->a == NULL || gw_archive_begin(x->a, &x->err) < 0)
		die(x, GW_E_ARCHIVE, x->db_path, x->err.ptr);
}

static void
remove_ids(ix *x)
{
	for (int i = 0; i < x->nremoves; i++) {
		int r = gw_archive_remove(x->a, x->removes[i], &x->err);

		if (r < 0)
			die(x, GW_E_ARCHIVE, x->db_path, x->err.ptr);
		if (r == 0) {
			gw_msg(x->db_path, 0, GW_E_NO_DOCUMENT, "%s", x->removes[i]);
			x->status = x->status > 1 ? x->status : 1;
		} else
			x->n[1]++;
	}
}

/* The summary lines are no diagnostics: they say what was done (--quiet drops them). */
static void
finish(ix *x)
{
	if (x->tty)
		fputs("\r\033[K", stderr);
	if (x->bulk) {
		if (fflush(x->bulk) != 0 || ferror(x->bulk) ||
		    (x->bulk != stdout && fclose(x->bulk) != 0))
			die(x, GW_E_WRITE, x->bulk_path, strerror(errno));
		if (!x->o.quiet)
			fprintf(stderr, "gw-index: %s: %ld documents, %ld failed\n", x->bulk_path,
			        x->n[0], x->n[3]);
		return;
	}
	if (gw_archive_commit(x->a, &x->err) < 0)
		die(x, GW_E_ARCHIVE, x->db_path, x->err.ptr);
	gw_archive_close(x->a);
	if (!x->o.quiet && x->nremoves)
		fprintf(stderr, "gw-index: %s: %ld removed\n", x->db_path, x->n[1]);
	else if (!x->o.quiet)
		fprintf(stderr,
		        "gw-index: %s: %ld added, %ld replaced, %ld unchanged, %ld failed\n",
		        x->db_path, x->n[0], x->n[1], x->n[2], x->n[3]);
}

int
main(int argc, char **argv)
{
	ix x = {.db_path = NULL, .index = "gongwen", .batch = 500};
	const char *crash = getenv("GW_INDEX_TEST_CRASH_AFTER");
	char *db = NULL;

	x.removes = gw_xcalloc((size_t)argc, sizeof *x.removes);
	x.o = (gw_opts){.set = set, .ctx = &x};
	gw_opts_parse(&x.o, &cli, argc, argv);
	if (x.o.nops == 0 && !x.nremoves)
		gw_stdin_wanted("FILEs or DIRs of records");
	x.tty = !x.o.quiet && isatty(STDERR_FILENO);
	if (x.db_path == NULL && !x.bulk_path)
		x.db_path = db = default_db(&x);
	x.crash_after = crash ? atol(crash) : 0;
	if (x.bulk_path && x.nremoves)
		gw_usage_error("--remove works on an archive, not on a --bulk file");
	if (x.bulk_path)
		x.bulk = strcmp(x.bulk_path, "-") == 0 ? stdout : fopen(x.bulk_path, "w");
	if (x.bulk_path && x.bulk == NULL)
		die(&x, GW_E_WRITE, x.bulk_path, strerror(errno));
	if (!x.bulk)
		open_archive(&x);
	if (x.nremoves)
		remove_ids(&x);
	else if (x.o.nops == 0)
		ix_operand(&x, "-");
	for (int i = 0; i < x.o.nops; i++)
		ix_operand(&x, x.o.ops[i]);
	finish(&x);
	free(db);
	gw_buf_free(&x.out);
	gw_buf_free(&x.err);
	free(x.removes);
	return x.status;
}
