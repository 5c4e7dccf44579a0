/* emit.c — the batch writer: each document's JSON and XML (and HTML) file written atomically,
 * failures kept for errors.jsonl, counts for the summary. */
#define _GNU_SOURCE /* O_TMPFILE, AT_EMPTY_PATH */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "emit.h"
#include "internal.h"

#ifndef O_TMPFILE /* not Linux: open(dir, O_WRONLY) fails (EISDIR), and the files are renamed */
#define O_TMPFILE 0
#endif
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0
#endif

/* Longest id that still makes a file name: ".<id>.json.XXXXXX.tmp" within NAME_MAX (255). */
#define ID_MAX 200

/* How a document's finished files get their names.  PLACE_RENAME: each is written under a
 * temporary name and renamed.  PLACE_LINK_FD, PLACE_LINK_PROC: each is written as a file of the
 * folder with no name (O_TMPFILE) and then linked under its name, by its descriptor (linkat
 * AT_EMPTY_PATH, which needs CAP_DAC_READ_SEARCH) or by /proc/self/fd; a name that is taken is
 * replaced through a temporary name, as with PLACE_RENAME.  A new file so costs the folder one
 * change, not two, and the new inode is made while the folder is not locked (issue 14: with two
 * workers in one folder, each waited on the other's lock of it). */
enum place { PLACE_RENAME, PLACE_LINK_FD, PLACE_LINK_PROC };

/* One line of errors.jsonl: an error record, the same shape as in the stream. */
typedef struct failure {
	char *id, *source, *code, *message;
	char sha256[65];
	uint64_t bytes;
} failure;

#define KEEP_BUF (16u << 20) /* bytes of a buffer kept for the next document, at most */

/* The buffers of one document's files, kept for the next document: a worker reuses their memory
 * instead of asking for it again (and having its pages faulted in again) each time. */
typedef struct outbufs {
	struct outbufs *next;
	gw_buf out[3], name[3];
	gw_srcrange *src; /* the source ranges both writers write (gw_doc_src_ranges) */
	size_t capsrc;
} outbufs;

struct gw_emitter {
	char *prog, *dir;
	int flags;
	mode_t mode;   /* of the files: 0666 less the umask, as open(2) would give */
	bool chmod;    /* the folder does not give a new file that mode (a default ACL): set it */
	enum place place; /* how a finished file gets its name (check_writable) */
	char tag[7];   /* a temporary file's own part of its name: the process id in base 36 */
	bool tty;
	pthread_mutex_t mu;
	/* under mu */
	size_t done, written, failed, nodes, quantities, kinds[3], total, fresh; /* kinds: by gw_qkind */
	failure *fails;
	size_t nfails, capfails;
	/* ids of this run, each with '+' and its path as errors.jsonl shows it or '-' for none, NUL,
	 * its sha256, NUL: a repeat is caught before it overwrites (a few bytes a document, not a
	 * JSON object: the set grows with the run) */
	gw_idset seen;
	double t0, shown;
	bool progress_on;
	const char *errors, *summary; /* gw_emitter_set_run */
	size_t skipped;
	outbufs *spare; /* buffers no thread uses now */
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* mkdir -p */
static int
make_dir(const char *path)
{
	char *p = gw_xstrdup(path);
	struct stat st;
	int rc = 0;

	for (char *s = p + 1; *s && rc == 0; s++)
		if (*s == '/') {
			*s = '\0';
			if (mkdir(p, 0777) != 0 && errno != EEXIST)
				rc = -1;
			*s = '/';
		}
	if (rc == 0 && mkdir(p, 0777) != 0 && errno != EEXIST)
		rc = -1;
	if (rc == 0 && (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))) {
		errno = ENOTDIR;
		rc = -1;
	}
	free(p);
	return rc;
}

/* Tests only (emit.h): how a finished file is put in place. */
int (*gw_emitter_rename)(const char *from, const char *to) = rename;
int (*gw_emitter_linkat)(int fd, const char *from, int dirfd, const char *to, int flags) = linkat;

/* Names the file of fd, which has none (O_TMPFILE), path, as e->place says: 0, or -1 with errno
 * (EEXIST: the name is taken). */
static int
link_fd(const gw_emitter *e, int fd, const char *path)
{
	char proc[48] = "/proc/self/fd/";

	if (e->place == PLACE_LINK_FD)
		return gw_emitter_linkat(fd, "", AT_FDCWD, path, AT_EMPTY_PATH);
	proc[14 + gw_fmt_int(proc + 14, fd)] = '\0';
	return gw_emitter_linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW);
}

/* How the files of folder e->dir get their names (enum place): a file with no name is made there
 * and linked under the probe's name, first by its descriptor, then by /proc; where the folder
 * cannot have such a file (an older kernel, a file system without O_TMPFILE) or neither link
 * works, PLACE_RENAME.  The file made tells whether the folder gives it e->mode (e->chmod). */
static int
probe_link(gw_emitter *e, const char *probe)
{
	struct stat st;
	int fd = open(e->dir, O_WRONLY | O_TMPFILE | O_CLOEXEC, 0666);

	e->place = PLACE_RENAME;
	if (fd < 0)
		return -1;
	e->chmod = fstat(fd, &st) != 0 || (st.st_mode & 07777) != e->mode;
	for (enum place p = PLACE_LINK_FD; p <= PLACE_LINK_PROC && e->place == PLACE_RENAME; p++) {
		e->place = p;
		if (link_fd(e, fd, probe) == 0)
			unlink(probe);
		else
			e->place = PLACE_RENAME;
	}
	close(fd);
	return 0;
}

/* A folder the run cannot write in fails once, at the start, not once per document (issue 16):
 * a probe file is made and removed (access(2) would not see a read-only mount, nor ACLs).  It is
 * made as the documents' files are, so it also tells whether the folder gives a new file the
 * mode the umask gives, or a default ACL another one, which each file then has set again, and
 * how the files get their names (probe_link). */
static int
check_writable(gw_emitter *e, gw_buf *err)
{
	gw_buf probe = GW_BUF_INIT;
	struct stat st;
	int fd = 0;

	gw_buf_printf(&probe, "%s/.gongwen-probe.%s.tmp", e->dir, e->tag);
	if (probe_link(e, probe.ptr) != 0 || e->place == PLACE_RENAME) {
		if ((fd = open(probe.ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) < 0)
			gw_buf_printf(err, "%s: cannot write in the output folder: %s", e->dir,
			              strerror(errno));
		else {
			e->chmod = fstat(fd, &st) != 0 || (st.st_mode & 07777) != e->mode;
			close(fd);
			unlink(probe.ptr);
		}
	}
	gw_buf_free(&probe);
	return fd < 0 ? -1 : 0;
}

/* The temporary files of a run that was killed (kill -9 gives it no time to remove them):
 * ".NAME.XXXXXX.tmp", as write_temp names them, removed at the start of the next run; so two
 * runs must not share an output folder. */
static void
remove_stale_temps(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *de;

	while (dp && (de = readdir(dp)) != NULL) {
		size_t n = strlen(de->d_name);

		if (de->d_name[0] == '.' && n > 12 && strcmp(de->d_name + n - 4, ".tmp") == 0 &&
		    de->d_name[n - 11] == '.') {
			gw_buf path = GW_BUF_INIT;

			gw_buf_printf(&path, "%s/%s", dir, de->d_name);
			unlink(path.ptr);
			gw_buf_free(&path);
		}
	}
	if (dp)
		closedir(dp);
}

gw_emitter *
gw_emitter_new(const char *prog, const char *out_dir, int flags, gw_buf *err)
{
	gw_emitter *e;
	mode_t mask;

	if (!(flags & GW_EMIT_NO_FILES) && make_dir(out_dir) != 0) { /* --jsonl writes no folder */
		gw_buf_printf(err, "%s: cannot make the output folder: %s", out_dir, strerror(errno));
		return NULL;
	}
	/* Jansson sets up its globals here, before any thread uses them */
	json_object_seed(0);
	e = gw_xcalloc(1, sizeof *e);
	e->prog = gw_xstrdup(prog);
	e->dir = gw_xstrdup(out_dir ? out_dir : ".");
	e->flags = flags;
	mask = umask(0);
	umask(mask);
	e->mode = 0666 & ~mask;
	e->chmod = true;
	for (unsigned long pid = (unsigned long)getpid(), i = 0; i < 6; i++, pid /= 36)
		e->tag[5 - i] = "0123456789abcdefghijklmnopqrstuvwxyz"[pid % 36];
	if (!(flags & GW_EMIT_NO_FILES)) {
		remove_stale_temps(out_dir); /* a probe of a killed run with this pid too */
		if (check_writable(e, err) != 0) {
			free(e->prog), free(e->dir), free(e);
			return NULL;
		}
	}
	e->tty = !(flags & GW_EMIT_QUIET) && isatty(STDERR_FILENO);
	pthread_mutex_init(&e->mu, NULL);
	gw_idset_init(&e->seen, 64);
	e->t0 = now();
	return e;
}

void
gw_emitter_set_total(gw_emitter *e, size_t total)
{
	pthread_mutex_lock(&e->mu);
	e->total = total;
	pthread_mutex_unlock(&e->mu);
}

void
gw_emitter_set_fresh(gw_emitter *e, size_t fresh)
{
	pthread_mutex_lock(&e->mu);
	e->fresh = fresh;
	pthread_mutex_unlock(&e->mu);
}

void
gw_emitter_print_diags(gw_emitter *e, const gw_doc *d, unsigned stages, enum gw_level min)
{
	pthread_mutex_lock(&e->mu);
	if (e->progress_on) /* a message on a line of its own, not glued to the progress line */
		fputs("\r\033[K", stderr);
	gw_doc_print_diags(d, stderr, e->prog, stages, min);
	e->shown = 0; /* redrawn with the next document */
	pthread_mutex_unlock(&e->mu);
}

/* ---------------------------------------------------------------- files */

/* The strings of s, to NULL, put after each other in b: a path or file name without printf
 * (six a document). */
static void
put_strs(gw_buf *b, const char *const s[])
{
	for (; *s; s++)
		gw_buf_adds(b, *s);
}

/* p[0..n) into the new file fd, its mode set when chmod says (a default ACL gave it another),
 * synced with GW_EMIT_FSYNC: 0, or -1 with errno. */
static int
fill(const gw_emitter *e, int fd, const char *p, size_t n, bool chmod)
{
	int rc = gw_fd_all(fd, (void *)p, n, true);

	if (rc == 0 && chmod)
		rc = fchmod(fd, e->mode);
	if (rc == 0 && (e->flags & GW_EMIT_FSYNC))
		rc = fsync(fd);
	return rc;
}

/* The temporary name of file name in tmp: ".NAME.TAG.tmp" in the output folder, the process's tag
 * six characters (remove_stale_temps removes a killed run's; write_temp may put mkstemps' six in
 * their place). */
static void
temp_name(const gw_emitter *e, const char *name, gw_buf *tmp)
{
	put_strs(tmp, (const char *const[]){e->dir, "/.", name, ".", e->tag, ".tmp", NULL});
}

/* p[0..n) in a new temporary file in dir (the same file system as its final name), its path in
 * tmp: named with the process's tag (the ids of a run differ, so do their names), or, when such a
 * file is there (another run in the folder), by mkstemps.  0, or -1 with errno and no temporary
 * left. */
static int
write_temp(const gw_emitter *e, const char *name, const char *p, size_t n, gw_buf *tmp)
{
	bool chmod = e->chmod;
	int fd, rc, saved;

	temp_name(e, name, tmp);
	fd = open(tmp->ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0 && errno == EEXIST) {
		memcpy(tmp->ptr + tmp->len - 10, "XXXXXX", 6);
		fd = mkstemps(tmp->ptr, 4), chmod = true;
	}
	if (fd < 0)
		return -1;
	rc = fill(e, fd, p, n, chmod);
	saved = errno;
	if (close(fd) != 0 && rc == 0)
		rc = -1, saved = errno;
	if (rc != 0)
		unlink(tmp->ptr);
	errno = saved;
	return rc;
}

/* p[0..n) in a new file of the folder with no name yet (O_TMPFILE): its descriptor, or -1 with
 * errno and nothing left. */
static int
write_unnamed(const gw_emitter *e, const char *p, size_t n)
{
	int fd = open(e->dir, O_WRONLY | O_TMPFILE | O_CLOEXEC, 0666), saved;

	if (fd < 0 || fill(e, fd, p, n, e->chmod) == 0)
		return fd;
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

/* Where a file of write_files is: written whole with no name, under a temporary name, or under
 * its own. */
enum fstate { F_NONE, F_UNNAMED, F_TEMP, F_PLACED };

/* Names the unnamed file fd path; when path is taken, a temporary name (F_TEMP) that is renamed
 * over it once every file is named; when that is taken too (a run in the same folder), the file
 * is written again under a name of mkstemps'.  0, or -1 with errno. */
static int
name_unnamed(const gw_emitter *e, int fd, const char *name, const gw_buf *out, const gw_buf *path,
             gw_buf *tmp, enum fstate *st)
{
	if (link_fd(e, fd, path->ptr) == 0) {
		*st = F_PLACED;
		return 0;
	}
	if (errno != EEXIST)
		return -1;
	temp_name(e, name, tmp);
	if (link_fd(e, fd, tmp->ptr) != 0) {
		if (errno != EEXIST)
			return -1;
		gw_buf_reset(tmp);
		if (write_temp(e, name, out->ptr, out->len, tmp) != 0)
			return -1;
	}
	*st = F_TEMP;
	return 0;
}

/* dir/name[i] holds out[i] for every i < n (n <= 3), or no file of this call is left.  Each is
 * written whole first, with no name or under a temporary one (e->place); only when all are whole
 * are they named, a new name at once (linked), a taken one by renaming a temporary name over it;
 * when one fails, the others already named are removed again.  0, or -1 with errno and the
 * index of the name that failed in *failed. */
static int
write_files(const gw_emitter *e, int n, const char *const name[], const gw_buf out[], int *failed)
{
	gw_buf tmp[3] = {GW_BUF_INIT, GW_BUF_INIT, GW_BUF_INIT};
	gw_buf path[3] = {GW_BUF_INIT, GW_BUF_INIT, GW_BUF_INIT};
	enum fstate st[3] = {F_NONE, F_NONE, F_NONE};
	int fd[3] = {-1, -1, -1}, bad = -1, saved = 0;

	for (int i = 0; i < n; i++)
		put_strs(&path[i], (const char *const[]){e->dir, "/", name[i], NULL});
	for (int i = 0; i < n && bad < 0; i++) /* every file whole */
		if (e->place == PLACE_RENAME) {
			if (write_temp(e, name[i], out[i].ptr, out[i].len, &tmp[i]) == 0)
				st[i] = F_TEMP;
			else
				bad = i, saved = errno;
		} else if ((fd[i] = write_unnamed(e, out[i].ptr, out[i].len)) >= 0)
			st[i] = F_UNNAMED;
		else
			bad = i, saved = errno;
	for (int i = 0; i < n && bad < 0; i++) /* named */
		if (st[i] == F_UNNAMED && name_unnamed(e, fd[i], name[i], &out[i], &path[i], &tmp[i], &st[i]) != 0)
			bad = i, saved = errno;
	for (int i = 0; i < n && bad < 0; i++)
		if (st[i] == F_TEMP) {
			if (gw_emitter_rename(tmp[i].ptr, path[i].ptr) == 0)
				st[i] = F_PLACED;
			else
				bad = i, saved = errno;
		}
	for (int i = 0; i < n; i++) /* a write the file system reports only now (NFS) fails too */
		if (fd[i] >= 0 && close(fd[i]) != 0 && bad < 0)
			bad = i, saved = errno;
	for (int i = 0; i < n; i++) {
		if (bad >= 0 && st[i] == F_PLACED)
			unlink(path[i].ptr);
		else if (st[i] == F_TEMP)
			unlink(tmp[i].ptr);
		gw_buf_free(&tmp[i]);
		gw_buf_free(&path[i]);
	}
	*failed = bad;
	errno = saved;
	return bad < 0 ? 0 : -1;
}

/* An id names two files in the output folder: it must stay inside it and be a plain name. */
static const char *
id_problem(const char *id)
{
	if (id == NULL || *id == '\0')
		return "the document has no id";
	if (strlen(id) > ID_MAX)
		return "the id is too long for a file name";
	for (const char *s = id; *s; s++)
		if (*s == '/' || (unsigned char)*s < 0x20 || *s == 0x7F)
			return "the id has a '/' or a control character: it cannot name a file";
	if (id[0] == '.')
		return "the id starts with '.': it would name a hidden file";
	return NULL;
}

/* ---------------------------------------------------------------- bookkeeping */

/* Caller holds e->mu. */
static void
add_failure(gw_emitter *e, const gw_doc *d, const char *code, const char *message)
{
	gw_grow((void **)&e->fails, &e->capfails, e->nfails + 1, sizeof *e->fails);
	failure *f = &e->fails[e->nfails++];

	*f = (failure){d->id ? gw_xstrdup(d->id) : NULL, d->src_path ? gw_xstrdup(d->src_path) : NULL,
	               gw_xstrdup(code), gw_xstrdup(message), "", d->src_bytes};
	memcpy(f->sha256, d->src_sha256, sizeof f->sha256);
	e->failed++;
}

/* Caller holds e->mu.  On a terminal at most ten times a second. */
static void
progress(gw_emitter *e)
{
	double t = now(), rate;

	if (!e->tty || (t - e->shown < 0.1 && e->done != e->total))
		return;
	e->shown = t;
	rate = t > e->t0 ? (double)e->done / (t - e->t0) : 0.0;
	if (e->total)
		fprintf(stderr, "\r%s: %zu/%zu done, %.1f/s, %zu failed\033[K", e->prog, e->done,
		        e->total, rate, e->failed);
	else
		fprintf(stderr, "\r%s: %zu done, %.1f/s, %zu failed\033[K", e->prog, e->done, rate,
		        e->failed);
	e->progress_on = true;
}

static void
fail_locked(gw_emitter *e, const gw_doc *d, const char *code, const char *message, bool say)
{
	pthread_mutex_lock(&e->mu);
	if (say) {
		if (e->progress_on)
			fputs("\r\033[K", stderr);
		fprintf(stderr, "%s: %s: ERROR: %s\n", e->prog,
		        d->src_path ? d->src_path : d->id ? d->id : "?", message);
	}
	add_failure(e, d, code, message);
	e->done++;
	progress(e);
	pthread_mutex_unlock(&e->mu);
}

/* A failed document leaves no output from an earlier run behind to be taken for this one's. */
static void
remove_outputs(const gw_emitter *e, const char *id)
{
	static const char *const ext[] = {".json", ".xml", ".html"};
	gw_buf path = GW_BUF_INIT;

	if (id_problem(id))
		return;
	for (int i = 0; i < 3; i++) {
		gw_buf_reset(&path);
		gw_buf_printf(&path, "%s/%s%s", e->dir, id, ext[i]);
		unlink(path.ptr);
	}
	gw_buf_free(&path);
}

static void put_clean(gw_buf *b, const char *s, size_t n);

/* Why d's id cannot be had: which document of this run had it (had: what claim_id kept after
 * the id), and whether d is the same file again (issue 16). */
static void
repeat_message(const char *had, const gw_doc *d, gw_buf *why)
{
	const char *path = had[0] == '+' ? had + 1 : NULL;
	const char *sha = had + strlen(had) + 1;

	if (path == NULL)
		gw_buf_puts(why, "the id repeats one of this run");
	else if (sha && *sha && strcmp(sha, d->src_sha256) == 0)
		gw_buf_printf(why, "a duplicate of %s (the same bytes): its id repeats", path);
	else
		gw_buf_printf(why,
		              "the id repeats that of %s, another file (gongwen --id-from path "
		              "names each after its path)",
		              path);
}

/* Claim d's id for this run; false, with why, when another document had it. */
static bool
claim_id(gw_emitter *e, const gw_doc *d, gw_buf *why)
{
	const char *had;

	pthread_mutex_lock(&e->mu);
	had = gw_idset_get(&e->seen, d->id);
	if (had == NULL) {
		gw_buf b = GW_BUF_INIT;

		gw_buf_putc(&b, d->src_path ? '+' : '-');
		if (d->src_path)
			put_clean(&b, d->src_path, strlen(d->src_path));
		gw_buf_putc(&b, '\0');
		put_clean(&b, d->src_sha256, strlen(d->src_sha256));
		gw_buf_putc(&b, '\0');
		gw_idset_add_data(&e->seen, d->id, b.ptr, b.len);
		gw_buf_free(&b);
	} else
		repeat_message(had + strlen(had) + 1, d, why);
	pthread_mutex_unlock(&e->mu);
	return had == NULL;
}

/* Whether a document of this run has id: a failed one then leaves its files alone
 * (report.pdf failing after report.txt was written). */
static bool
id_taken(gw_emitter *e, const char *id)
{
	bool taken;

	pthread_mutex_lock(&e->mu);
	taken = id && gw_idset_get(&e->seen, id) != NULL;
	pthread_mutex_unlock(&e->mu);
	return taken;
}

/* ---------------------------------------------------------------- documents */

/* A set of buffers for one document, emptied: a spare one, else a new one. */
static outbufs *
take_bufs(gw_emitter *e)
{
	outbufs *o;

	pthread_mutex_lock(&e->mu);
	if ((o = e->spare) != NULL)
		e->spare = o->next;
	pthread_mutex_unlock(&e->mu);
	if (o == NULL)
		return gw_xcalloc(1, sizeof *o);
	for (int i = 0; i < 3; i++) {
		gw_buf_reset(&o->out[i]);
		gw_buf_reset(&o->name[i]);
	}
	return o;
}

static void
give_bufs(gw_emitter *e, outbufs *o)
{
	for (int i = 0; i < 3; i++)
		if (o->out[i].cap > KEEP_BUF) /* one big document does not hold its memory to the end */
			gw_buf_free(&o->out[i]);
	pthread_mutex_lock(&e->mu);
	o->next = e->spare;
	e->spare = o;
	pthread_mutex_unlock(&e->mu);
}

/* The JSON and XML files (and the HTML page, with GW_EMIT_HTML): all or none, or a message in why. */
static int
write_doc(gw_emitter *e, const gw_doc *d, gw_buf *why)
{
	outbufs *o = take_bufs(e);
	gw_buf *out = o->out, *name = o->name;
	const char *names[3];
	int rc, failed, n = 2;

	gw_doc_src_ranges(d, &o->src, &o->capsrc);
	gw_json_write_src(d, &out[0], GW_JSON_PRETTY, o->src);
	gw_xml_write_src(d, &out[1], o->src);
	put_strs(&name[0], (const char *const[]){d->id, ".json", NULL});
	put_strs(&name[1], (const char *const[]){d->id, ".xml", NULL});
	if (e->flags & GW_EMIT_HTML) {
		gw_html_write(d, &out[2]);
		put_strs(&name[2], (const char *const[]){d->id, ".html", NULL});
		n = 3;
	}
	for (int i = 0; i < n; i++)
		names[i] = name[i].ptr;
	rc = write_files(e, n, names, out, &failed);
	if (rc != 0)
		gw_buf_printf(why, "%s/%s: %s", e->dir, names[failed], strerror(errno));
	give_bufs(e, o);
	return rc;
}

/* Record d as failed with code and message; say it on stderr unless an earlier stage did. */
static int
reject(gw_emitter *e, const gw_doc *d, enum gw_code code, const char *message, bool say)
{
	fail_locked(e, d, gw_code_name(code), message ? message : gw_code_message(code), say);
	return 1;
}

int
gw_emitter_put(gw_emitter *e, const gw_doc *d)
{
	gw_buf why = GW_BUF_INIT;
	const char *problem = id_problem(d->id);
	size_t kinds[3] = {0, 0, 0};
	int rc = 0;

	/* error_msg too: GW_E_READ is code 0, the same as "no error" */
	if (d->error || d->error_msg) {
		if (!(e->flags & GW_EMIT_NO_FILES) && !id_taken(e, d->id))
			remove_outputs(e, d->id);
		return reject(e, d, (enum gw_code)d->error, d->error_msg, false);
	}
	if (problem)
		return reject(e, d, GW_E_BAD_RECORD, problem, true);
	if (!claim_id(e, d, &why)) {
		rc = reject(e, d, GW_E_BAD_RECORD, why.ptr, true);
		gw_buf_free(&why);
		return rc;
	}
	if (!(e->flags & GW_EMIT_VALID) && gw_doc_validate(d, &why) != 0)
		rc = reject(e, d, GW_E_INVALID, why.ptr, true);
	else if (!(e->flags & GW_EMIT_NO_FILES) && write_doc(e, d, &why) != 0)
		rc = reject(e, d, GW_E_WRITE, why.ptr, true);
	gw_buf_free(&why);
	if (rc) {
		remove_outputs(e, d->id);
		return rc;
	}
	for (size_t i = 0; i < d->nqs; i++)
		kinds[d->qs[i].kind]++;
	pthread_mutex_lock(&e->mu);
	e->written++;
	e->done++;
	e->nodes += d->nnodes;
	e->quantities += d->nqs;
	for (int k = 0; k < 3; k++)
		e->kinds[k] += kinds[k];
	progress(e);
	pthread_mutex_unlock(&e->mu);
	return 0;
}

/* ---------------------------------------------------------------- the end of the run */

static int
cmp_nullable(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* By id, then source, code and message: the same failures give the same file in any order. */
static int
failure_cmp(const void *pa, const void *pb)
{
	const failure *a = pa, *b = pb;
	int c = cmp_nullable(a->id, b->id);

	if (c == 0)
		c = cmp_nullable(a->source, b->source);
	if (c == 0)
		c = strcmp(a->code, b->code);
	return c ? c : strcmp(a->message, b->message);
}

/* s[0..n) to b, invalid UTF-8 (a file name is any bytes) as U+FFFD; ASCII (most paths, a
 * digest) as it is, with no code point to decode. */
static void
put_clean(gw_buf *b, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (unsigned char)s[i] < 0x80)
		i++;
	gw_buf_put(b, s, i);
	while (i < n) {
		uint32_t c;
		int k = gw_utf8_decode(s + i, n - i, &c);

		gw_buf_put_cp(b, k ? c : 0xFFFD);
		i += k ? (size_t)k : 1;
	}
}

/* s as a JSON string, invalid UTF-8 as U+FFFD (put_clean); null for NULL. */
static json_t *
jstr_or_null(const char *s)
{
	gw_buf b = GW_BUF_INIT;
	json_t *v;

	if (s == NULL)
		return json_null();
	put_clean(&b, s, strlen(s));
	v = json_stringn(b.ptr ? b.ptr : "", b.len);
	gw_buf_free(&b);
	return v ? v : json_null();
}

/* Say that dir/name (a file of the run, not a document) could not be written; errno says why. */
static void
write_failed(const gw_emitter *e, const char *name)
{
	const char *why = strerror(errno);
	gw_buf path = GW_BUF_INIT;

	gw_buf_printf(&path, "%s/%s", e->dir, name);
	gw_msg(path.ptr, 0, GW_E_WRITE, "%s", why);
	gw_buf_free(&path);
}

/* A file of the run: name in the output folder (errors.jsonl, index.html), or, with dir false, a
 * path of the command line (--errors FILE, --summary FILE); atomically, as the documents' files. */
static int
write_run_file(gw_emitter *e, const char *name, bool in_dir, const gw_buf *b)
{
	const char *slash = in_dir ? NULL : strrchr(name, '/');
	char *dir = e->dir;
	bool chmod = e->chmod;
	enum place place = e->place;
	int rc, failed;

	if (!in_dir) /* a folder not probed */
		e->chmod = true, e->place = PLACE_RENAME;
	if (!in_dir)
		e->dir = slash == NULL ? gw_xstrdup(".")
		         : slash == name ? gw_xstrdup("/")
		                         : gw_xstrndup(name, (size_t)(slash - name));
	rc = write_files(e, 1, (const char *const[]){slash ? slash + 1 : name}, b, &failed);
	if (rc != 0)
		write_failed(e, slash ? slash + 1 : name);
	if (!in_dir)
		free(e->dir);
	e->dir = dir;
	e->chmod = chmod;
	e->place = place;
	return rc;
}

static int
write_errors(gw_emitter *e)
{
	gw_buf b = GW_BUF_INIT;
	int rc;

	if (e->nfails)
		qsort(e->fails, e->nfails, sizeof *e->fails, failure_cmp);
	for (size_t i = 0; i < e->nfails; i++) {
		const failure *f = &e->fails[i];
		json_t *o = json_object();
		char *s;

		json_object_set_new(o, "schema", json_string(GW_SCHEMA));
		json_object_set_new(o, "id", jstr_or_null(f->id));
		json_object_set_new(o, "source",
		                    json_pack("{s:o,s:o,s:I}", "path", jstr_or_null(f->source), "sha256",
		                              jstr_or_null(f->sha256[0] ? f->sha256 : NULL), "bytes",
		                              (json_int_t)f->bytes));
		json_object_set_new(o, "error", json_pack("{s:o,s:o}", "code", jstr_or_null(f->code),
		                                          "message", jstr_or_null(f->message)));
		s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		gw_buf_puts(&b, s);
		gw_buf_putc(&b, '\n');
		free(s);
		json_decref(o);
	}
	rc = write_run_file(e, e->errors ? e->errors : "errors.jsonl", e->errors == NULL, &b);
	gw_buf_free(&b);
	return rc;
}

void
gw_emitter_set_run(gw_emitter *e, const char *errors, const char *summary, size_t skipped)
{
	e->errors = errors;
	e->summary = summary;
	e->skipped = skipped;
}

void
gw_emitter_counts(const gw_emitter *e, gw_counts *c)
{
	*c = (gw_counts){e->written + e->failed + e->skipped, e->written, e->failed, e->skipped,
	                 e->nodes, {e->kinds[0], e->kinds[1], e->kinds[2]}};
}

/* --summary: the counts as one JSON object, for a scheduler to read. */
static int
write_summary(gw_emitter *e)
{
	gw_counts c;
	json_t *q = json_object(), *o;
	char *s;
	gw_buf b = GW_BUF_INIT;
	int rc;

	gw_emitter_counts(e, &c);
	for (int k = 0; k < 3; k++)
		json_object_set_new(q, gw_qkind_name((enum gw_qkind)k),
		                    json_integer((json_int_t)c.quantities[k]));
	o = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:o,s:f}", "schema", GW_SCHEMA, "documents",
	              (json_int_t)c.documents, "written", (json_int_t)c.written, "failed",
	              (json_int_t)c.failed, "skipped", (json_int_t)c.skipped, "nodes",
	              (json_int_t)c.nodes, "quantities", q, "seconds", now() - e->t0);
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	gw_buf_printf(&b, "%s\n", s);
	rc = write_run_file(e, e->summary, false, &b);
	free(s);
	json_decref(o);
	gw_buf_free(&b);
	return rc;
}

/* index.html: rebuilt from every record of the folder, so that a run that wrote only some
 * documents (gongwen --update) still lists them all. */
static int
write_index(gw_emitter *e)
{
	gw_buf b = GW_BUF_INIT;
	int rc;

	gw_html_index(e->dir, &b);
	rc = write_run_file(e, "index.html", true, &b);
	gw_buf_free(&b);
	return rc;
}

int
gw_emitter_finish(gw_emitter *e)
{
	int status = e->failed ? 1 : 0;
	gw_buf fresh = GW_BUF_INIT;

	if (e->fresh) /* gongwen --update: what needed no work */
		gw_buf_printf(&fresh, "%zu up to date, ", e->fresh);
	if ((!(e->flags & GW_EMIT_NO_ERRORS) || e->errors) && write_errors(e) != 0)
		status = 2;
	if (e->summary && write_summary(e) != 0)
		status = 2;
	if ((e->flags & GW_EMIT_HTML) && write_index(e) != 0)
		status = 2;
	if (e->progress_on)
		fputs("\r\033[K", stderr);
	if (!(e->flags & GW_EMIT_QUIET))
		fprintf(stderr,
		        "%s: %zu document%s written, %s%zu failed, %zu node%s, %zu quantit%s, "
		        "%zu target%s, %.2f s\n",
		        e->prog, e->written, e->written == 1 ? "" : "s", fresh.ptr ? fresh.ptr : "",
		        e->failed, e->nodes,
		        e->nodes == 1 ? "" : "s", e->quantities, e->quantities == 1 ? "y" : "ies",
		        e->kinds[GW_Q_TARGET], e->kinds[GW_Q_TARGET] == 1 ? "" : "s", now() - e->t0);
	gw_buf_free(&fresh);
	for (size_t i = 0; i < e->nfails; i++) {
		free(e->fails[i].id);
		free(e->fails[i].source);
		free(e->fails[i].code);
		free(e->fails[i].message);
	}
	free(e->fails);
	for (outbufs *o = e->spare, *next; o; o = next) {
		next = o->next;
		for (int i = 0; i < 3; i++) {
			gw_buf_free(&o->out[i]);
			gw_buf_free(&o->name[i]);
		}
		free(o->src);
		free(o);
	}
	gw_idset_free(&e->seen);
	pthread_mutex_destroy(&e->mu);
	free(e->prog);
	free(e->dir);
	free(e);
	return status;
}
