/* emit.h — the batch writer: out/<id>.json, out/<id>.xml (and out/<id>.html) per document,
 * out/errors.jsonl (and out/index.html). */
#ifndef GW_EMIT_H
#define GW_EMIT_H

#include "gongwen.h"

enum {
	GW_EMIT_QUIET = 1,     /* no progress line, no summary (errors are still reported) */
	GW_EMIT_FSYNC = 2,     /* fsync each file before renaming it into place */
	GW_EMIT_NO_ERRORS = 4, /* leave errors.jsonl alone (a driver that merges several emitters) */
	GW_EMIT_HTML = 8,      /* also <id>.html per document, and index.html at the end (issue 17) */
	GW_EMIT_NO_FILES = 16, /* no file per document (gongwen --jsonl): failures and counts only */
	GW_EMIT_VALID = 32,    /* each document put is valid (gw_json_read checked it): no 2nd check */
};

/* What a run did (--summary, gongwen --merge's check): documents = written + failed + skipped. */
typedef struct gw_counts {
	size_t documents, written, failed, skipped, nodes;
	size_t quantities[3]; /* by enum gw_qkind */
} gw_counts;

typedef struct gw_emitter gw_emitter;

/* Create out_dir (and its parents) when missing, and remove the temporary files a killed run
 * left in it.  prog names the program in messages.  NULL with a message in err when the folder
 * cannot be made or written in.  Call it from the main thread before starting any: it also
 * initialises Jansson for threaded use. */
gw_emitter *gw_emitter_new(const char *prog, const char *out_dir, int flags, gw_buf *err);
/* How many documents the run expects, for the progress line (0: unknown). */
void gw_emitter_set_total(gw_emitter *e, size_t total);
/* How many documents were up to date and left alone (gongwen --update), for the summary. */
void gw_emitter_set_fresh(gw_emitter *e, size_t fresh);
/* d's diagnostics of the given stages, at min or above, on stderr: on a line of their own
 * (the progress line is cleared first), never interleaved with another thread's. */
void gw_emitter_print_diags(gw_emitter *e, const gw_doc *d, unsigned stages, enum gw_level min);
/* Write d's JSON and XML files, both or neither (temporary files in out_dir, renamed only when
 * both are whole), or record why not: an error record, an id that cannot name a file or repeats
 * one of this run, a document that fails gw_doc_validate, a write error.  A failed document
 * whose id names files has none left in out_dir, so errors.jsonl and the folder agree.  d is
 * not changed.  Returns 0 written, 1 failed.  Thread-safe: several threads may share one emitter; the files are written
 * concurrently and only the counters, the id set and the failure list take its mutex. */
int gw_emitter_put(gw_emitter *e, const gw_doc *d);
/* Before gw_emitter_finish: errors.jsonl written to errors instead (NULL: DIR/errors.jsonl), the
 * counts as JSON to summary (NULL: none), skipped documents counted in (gongwen --update).  The
 * strings must live until the emitter is finished. */
void gw_emitter_set_run(gw_emitter *e, const char *errors, const char *summary, size_t skipped);
void gw_emitter_counts(const gw_emitter *e, gw_counts *c);
/* Write errors.jsonl — one error record per failed document, the stream's own shape
 * {schema, id, source {path, sha256, bytes}, error {code, message}}, sorted by id, atomically,
 * empty when nothing failed — print the summary
 * unless quiet, free e.  Returns the exit status: 0 every document written, 1 some failed,
 * 2 errors.jsonl (or, with GW_EMIT_HTML, index.html) could not be written. */
int gw_emitter_finish(gw_emitter *e);

/* Tests only: how a finished file is put in place, renamed from a temporary name (rename(3) by
 * default) or linked from one with none (linkat(2)), so that a test can make one fail.  Set them
 * before any thread uses an emitter. */
extern int (*gw_emitter_rename)(const char *from, const char *to);
extern int (*gw_emitter_linkat)(int fd, const char *from, int dirfd, const char *to, int flags);

/* html.c: the index page of folder dir, one row per <id>.json record in it (sorted by name), into
 * out.  Returns the number of rows. */
int gw_html_index(const char *dir, gw_buf *out);

#endif
