/* main-index.c — gw-index: put gongwen records (the stream, or the out/ID.json files) into the searchable archive. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "archive.h"

static const char usage[] =
    "gw-index [--quiet] [--db FILE] [--batch N] [--remove ID] [FILE|DIR ...]\n"
    "       gw-index --bulk FILE [--index NAME] [FILE|DIR ...]\n"
    "  Read gongwen records -- JSON Lines on standard input or in FILE.jsonl, one record per\n"
    "  FILE.json, every *.json in DIR (as gongwen writes out/) -- and index them: a document\n"
    "  already there under the same id is replaced when its source sha256 or record changed.\n"
    "  --db FILE      the archive (default out/gongwen.db; created when missing)\n"
    "  --batch N      commit every N documents (default 500; 0: the whole run at once)\n"
    "  --remove ID    take document ID out of the archive (repeatable)\n"
    "  --bulk FILE    write an OpenSearch/Elasticsearch _bulk file instead (- for stdout)\n"
    "  --index NAME   the index the bulk actions name (default gongwen)\n"
    "  --quiet        no summary line on stderr\n"
    "Exit status: 0 every record indexed, 1 some records unusable, 2 usage, I/O or database error.";

typedef struct ix {
	const char *db_path, *bulk_path, *index;
	gw_archive *a;
	FILE *bulk;
	gw_buf out, err;
	long batch, inbatch, crash_after, done;
	long n[4]; /* added, replaced, unchanged, failed */
	int status, quiet;
	const char **ops, **removes; /* operands and --remove IDs, from the command line */
} ix;

static void
die(ix *x, const char *what, const char *msg)
{
	fprintf(stderr, "gw-index: %s: %s\n", what, msg ? msg : "");
	if (x->a) {
		gw_archive_rollback(x->a);
		gw_archive_close(x->a);
	}
	gw_buf_free(&x->err);
	gw_buf_free(&x->out);
	free(x->ops);
	free(x->removes);
	exit(2);
}

/* Index (or write as bulk) one record. */
static void
ix_doc(ix *x, gw_doc *d, const char *rec, size_t len)
{
	enum gw_put r;

	if (d->error) {
		fprintf(stderr, "gw-index: %s: not indexed: an error record (%s)\n", d->id,
		        d->error_msg ? d->error_msg : gw_code_name((enum gw_code)d->error));
		x->n[3]++;
		x->status = x->status > 1 ? x->status : 1;
		return;
	}
	if (x->bulk) {
		gw_buf_reset(&x->out);
		gw_archive_bulk_write(d, x->index, &x->out);
		if (fwrite(x->out.ptr, 1, x->out.len, x->bulk) != x->out.len)
			die(x, x->bulk_path, strerror(errno));
		x->n[0]++;
		return;
	}
	gw_buf_reset(&x->err);
	if ((r = gw_archive_put(x->a, d, rec, len, &x->err)) == GW_PUT_ERROR)
		die(x, x->db_path, x->err.ptr);
	x->n[r]++;
	/* a test hook: die like kill -9 halfway through a batch (tests/check/archive-safety.sh) */
	if (x->crash_after > 0 && ++x->done >= x->crash_after)
		raise(SIGKILL);
	if (x->batch > 0 && ++x->inbatch >= x->batch) {
		if (gw_archive_commit(x->a, &x->err) < 0 || gw_archive_begin(x->a, &x->err) < 0)
			die(x, x->db_path, x->err.ptr);
		x->inbatch = 0;
	}
}

static void
ix_record(ix *x, const char *buf, size_t len, const char *name, long line)
{
	gw_buf err = GW_BUF_INIT;
	gw_doc *d = gw_json_read(buf, len, &err);

	if (d == NULL) {
		if (line > 0)
			fprintf(stderr, "gw-index: %s:%ld: %s: %s\n", name, line,
			        gw_code_message(GW_E_BAD_RECORD), err.ptr ? err.ptr : "");
		else
			fprintf(stderr, "gw-index: %s: %s: %s\n", name, gw_code_message(GW_E_BAD_RECORD),
			        err.ptr ? err.ptr : "");
		x->n[3]++;
		x->status = x->status > 1 ? x->status : 1;
	} else
		ix_doc(x, d, buf, len);
	gw_doc_free(d);
	gw_buf_free(&err);
}

/* JSON Lines: one record per line, read one at a time (memory stays flat). */
static void
ix_lines(ix *x, FILE *fp, const char *name)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0;

	while ((n = getline(&line, &cap, fp)) > 0) {
		lineno++;
		if (strspn(line, " \t\r\n") == (size_t)n)
			continue;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		ix_record(x, line, (size_t)n, name, lineno);
	}
	if (ferror(fp)) {
		fprintf(stderr, "gw-index: %s: %s\n", name, strerror(errno));
		x->status = 2;
	}
	free(line);
}

static bool
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);

	return n >= k && strcmp(s + n - k, tail) == 0;
}

/* One file: JSON Lines when it is named *.jsonl, else one (pretty-printed) record. */
static void
ix_file(ix *x, const char *path)
{
	FILE *fp = fopen(path, "r");
	gw_buf b = GW_BUF_INIT;
	char chunk[65536];
	size_t n;

	if (fp == NULL) {
		fprintf(stderr, "gw-index: %s: %s\n", path, strerror(errno));
		x->status = 2;
		return;
	}
	if (ends_with(path, ".jsonl"))
		ix_lines(x, fp, path);
	else {
		while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
			gw_buf_put(&b, chunk, n);
		if (ferror(fp)) {
			fprintf(stderr, "gw-index: %s: %s\n", path, strerror(errno));
			x->status = 2;
		} else
			ix_record(x, b.ptr ? b.ptr : "", b.len, path, 0);
	}
	fclose(fp);
	gw_buf_free(&b);
}

static int
json_only(const struct dirent *e)
{
	return e->d_name[0] != '.' && ends_with(e->d_name, ".json");
}

/* Every *.json of a folder, in name order. */
static void
ix_dir(ix *x, const char *dir)
{
	struct dirent **list;
	int n = scandir(dir, &list, json_only, alphasort);

	if (n < 0) {
		fprintf(stderr, "gw-index: %s: %s\n", dir, strerror(errno));
		x->status = 2;
		return;
	}
	for (int i = 0; i < n; i++) {
		gw_buf p = GW_BUF_INIT;

		gw_buf_printf(&p, "%s/%s", dir, list[i]->d_name);
		ix_file(x, p.ptr);
		gw_buf_free(&p);
		free(list[i]);
	}
	free(list);
}

static void
ix_operand(ix *x, const char *arg)
{
	struct stat sb;

	if (strcmp(arg, "-") == 0)
		ix_lines(x, stdin, "<stdin>");
	else if (stat(arg, &sb) == 0 && S_ISDIR(sb.st_mode))
		ix_dir(x, arg);
	else
		ix_file(x, arg);
}

static void
usage_exit(int status)
{
	fprintf(status ? stderr : stdout, "usage: %s\n", usage);
	if (status)
		fprintf(stderr, "Try 'gw-index --help'.\n");
	exit(status);
}

static const char *
value(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc) {
		fprintf(stderr, "gw-index: %s needs a value\n", argv[*i]);
		usage_exit(2);
	}
	return argv[++*i];
}

/* Options anywhere on the line (GNU style); operands and --remove IDs are gathered. */
static void
parse(ix *x, int argc, char **argv, const char **ops, int *nops, const char **removes,
      int *nremoves)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		char *end;

		if (strcmp(a, "--") == 0) {
			while (++i < argc)
				ops[(*nops)++] = argv[i];
		} else if (a[0] != '-' || a[1] == '\0')
			ops[(*nops)++] = a;
		else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			usage_exit(0);
		else if (strcmp(a, "--version") == 0) {
			printf("gw-index (gongwen) %s\n", GW_VERSION);
			exit(0);
		} else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0)
			x->quiet = 1;
		else if (strcmp(a, "--db") == 0)
			x->db_path = value(argc, argv, &i);
		else if (strcmp(a, "--bulk") == 0)
			x->bulk_path = value(argc, argv, &i);
		else if (strcmp(a, "--index") == 0)
			x->index = value(argc, argv, &i);
		else if (strcmp(a, "--remove") == 0)
			removes[(*nremoves)++] = value(argc, argv, &i);
		else if (strcmp(a, "--batch") == 0) {
			const char *v = value(argc, argv, &i);

			x->batch = strtol(v, &end, 10);
			if (*v == '\0' || *end || x->batch < 0) {
				fprintf(stderr, "gw-index: --batch takes a number of documents, not '%s'\n", v);
				usage_exit(2);
			}
		} else {
			fprintf(stderr, "gw-index: unknown option '%s'\n", a);
			usage_exit(2);
		}
	}
}

/* The default archive lives in out/, which a fresh checkout may not have yet. */
static void
open_archive(ix *x, bool is_default)
{
	gw_buf err = GW_BUF_INIT;

	if (is_default)
		mkdir("out", 0777);
	x->a = gw_archive_open(x->db_path, GW_ARCHIVE_WRITE, &err);
	if (x->a == NULL || gw_archive_begin(x->a, &err) < 0) {
		gw_buf_reset(&x->err);
		gw_buf_puts(&x->err, err.ptr ? err.ptr : "");
		gw_buf_free(&err);
		die(x, x->db_path, x->err.ptr);
	}
	gw_buf_free(&err);
}

static void
remove_ids(ix *x, const char **ids, int n)
{
	for (int i = 0; i < n; i++) {
		int r = gw_archive_remove(x->a, ids[i], &x->err);

		if (r < 0)
			die(x, x->db_path, x->err.ptr);
		if (r == 0) {
			fprintf(stderr, "gw-index: %s: no such document in %s\n", ids[i], x->db_path);
			x->status = x->status > 1 ? x->status : 1;
		} else
			x->n[1]++;
	}
}

static void
finish(ix *x, int nremoves)
{
	if (x->bulk) {
		if (fflush(x->bulk) != 0 || ferror(x->bulk) || (x->bulk != stdout && fclose(x->bulk) != 0))
			die(x, x->bulk_path, strerror(errno));
		if (!x->quiet)
			fprintf(stderr, "gw-index: %s: %ld documents, %ld failed\n", x->bulk_path, x->n[0],
			        x->n[3]);
		return;
	}
	if (gw_archive_commit(x->a, &x->err) < 0)
		die(x, x->db_path, x->err.ptr);
	gw_archive_close(x->a);
	if (!x->quiet && nremoves)
		fprintf(stderr, "gw-index: %s: %ld removed\n", x->db_path, x->n[1]);
	else if (!x->quiet)
		fprintf(stderr, "gw-index: %s: %ld added, %ld replaced, %ld unchanged, %ld failed\n",
		        x->db_path, x->n[0], x->n[1], x->n[2], x->n[3]);
}

int
main(int argc, char **argv)
{
	ix x = {.db_path = NULL, .index = "gongwen", .batch = 500};
	const char **removes = x.removes = gw_xcalloc((size_t)argc, sizeof *removes);
	const char **ops = x.ops = gw_xcalloc((size_t)argc, sizeof *ops);
	const char *crash = getenv("GW_INDEX_TEST_CRASH_AFTER");
	int nremoves = 0, nops = 0;
	bool is_default;

	parse(&x, argc, argv, ops, &nops, removes, &nremoves);
	is_default = x.db_path == NULL;

	if (is_default)
		x.db_path = "out/gongwen.db";
	x.crash_after = crash ? atol(crash) : 0;
	if (x.bulk_path && nremoves) {
		fprintf(stderr, "gw-index: --remove works on an archive, not on a --bulk file\n");
		usage_exit(2);
	}
	if (x.bulk_path)
		x.bulk = strcmp(x.bulk_path, "-") == 0 ? stdout : fopen(x.bulk_path, "w");
	if (x.bulk_path && x.bulk == NULL)
		die(&x, x.bulk_path, strerror(errno));
	if (!x.bulk)
		open_archive(&x, is_default);
	if (nremoves)
		remove_ids(&x, removes, nremoves);
	else if (nops == 0)
		ix_lines(&x, stdin, "<stdin>");
	for (int i = 0; i < nops; i++)
		ix_operand(&x, ops[i]);
	finish(&x, nremoves);
	gw_buf_free(&x.out);
	gw_buf_free(&x.err);
	free(removes);
	free(ops);
	return x.status;
}
