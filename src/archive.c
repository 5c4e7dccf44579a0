/* archive.c — gongwen records in an SQLite database with an FTS5 sentence index, and searches over it. */
#include <jansson.h>
#include <math.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "archive.h"
#include "chars.h"
#include "internal.h"

/* Prepared once per archive, reused for every document. */
enum {
	ST_FIND, ST_LAST, ST_DEL_Q, ST_DEL_FTS, ST_DEL_S, ST_DEL_N, ST_DEL_D, ST_INS_D, ST_INS_N,
	ST_INS_S, ST_INS_Q, ST_FTS_DOC, ST_FTS_FROM, ST_ORIGINAL, ST_HEIR, ST_COPIES, ST_UNDATED,
	NST
};

static const char *const stmt_sql[NST] = {
	"SELECT id, coalesce(sha256, '') = ?2 AND record_sha256 = ?3 FROM documents"
	" WHERE doc_id = ?1",
	"SELECT coalesce(max(id), 0) FROM sentences",
	"DELETE FROM quantities WHERE doc = ?1",
	/* external content: FTS5 needs the old text to take a row out (only rows it has seen) */
	"INSERT INTO sentences_fts (sentences_fts, rowid, text) SELECT 'delete', id, text FROM sentences"
	" WHERE doc = ?1 AND id <= ?2",
	"DELETE FROM sentences WHERE doc = ?1",
	"DELETE FROM nodes WHERE doc = ?1",
	"DELETE FROM documents WHERE id = ?1",
	"INSERT INTO documents (doc_id, title, issuer, doc_number, doc_type, date, source_path, sha256,"
	" record_sha256, is_notice, pub_date, status, issuers, copy_of, nsentences)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
	"INSERT INTO nodes (doc, node_id, part, path, kind, num, ordinal, heading, start_cp, end_cp)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	"INSERT INTO sentences (doc, node, part, start_cp, end_cp, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	"INSERT INTO quantities (doc, node, sentence, qty_id, text, value, min, max, unit, comparator,"
	" kind, subject, verb, rule, start_cp, end_cp)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
	"INSERT INTO sentences_fts (rowid, text) SELECT id, text FROM sentences WHERE doc = ?1",
	"INSERT INTO sentences_fts (rowid, text) SELECT id, text FROM sentences WHERE id > ?1",
	"SELECT id FROM documents WHERE sha256 = ?1 AND copy_of IS NULL LIMIT 1",
	"SELECT min(id) FROM documents WHERE copy_of = ?1",
	"SELECT doc_id, source_path FROM documents WHERE copy_of = ?1 ORDER BY doc_id",
	"SELECT count(*) FROM documents WHERE date IS NULL",
};

/* The full-text index of version 3: each character of a sentence, folded, without positions
 * (detail=none) or lengths (columnsize=0): a query's candidates are the sentences that hold all
 * its characters, checked in their text (gw_has), and ranked by gw_rank; the positions FTS5
 * kept for phrases were most of the archive's size, and the text is stored anyway. */
#define FTS_SQL                                                                                    \
	"CREATE VIRTUAL TABLE sentences_fts USING fts5 (text, content = 'sentences',"              \
	" content_rowid = 'id', tokenize = '" GW_FTS_TOKENIZER "', detail = none,"                 \
	" columnsize = 0);\n"

/* Version 3 of the archive.  Sentences are the unit of search: the FTS5 table indexes their
 * text (external content, FTS_SQL); nodes and quantities point at them.  Version 2 indexed every
 * character with its positions (version 1: ICU's words only) and filed a document's front matter:
 * pub_date (发布日期) and status (有效, 失效 ...); doc_number comes from it when the text has none.
 * issuers holds every name a document is issued under (--issuer): the issuer, the 发文机关标志,
 * the signature, the title's head (中共中央 国务院关于…) and the front matter's 发布单位.
 * A document whose source sha256 is already there is a copy: copy_of names the original, which
 * holds the only nodes, sentences and quantities of that text (found once, listed with its
 * copies; identical documents filled the first hits).  A node's own text is not stored again
 * (version 1 did: a quarter of the archive): it is its sentences (sentences.node).  The text is
 * UTF-16 (an archive made from version 3 on): two bytes a Chinese character, not three; big
 * endian, so that text sorts by code point as in UTF-8 (ORDER BY doc_id, --count-by).  No triggers
 * keep the FTS5 table in step: FTS5 writes its pending terms out at every statement savepoint, so
 * one INSERT per sentence would make a segment per sentence (45% of the time).  Rows go in per
 * batch instead. */
static const char schema_sql[] =
    "PRAGMA encoding = 'UTF-16be';\n"
    "CREATE TABLE documents (id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL UNIQUE, title TEXT,"
    " issuer TEXT, doc_number TEXT, doc_type TEXT, date TEXT, source_path TEXT, sha256 TEXT,"
    " record_sha256 TEXT NOT NULL, is_notice INTEGER, nsentences INTEGER, pub_date TEXT,"
    " status TEXT, issuers TEXT, copy_of INTEGER REFERENCES documents (id));\n"
    "CREATE INDEX documents_sha256 ON documents (sha256);\n"
    "CREATE INDEX documents_copy_of ON documents (copy_of);\n"
    "CREATE INDEX documents_date ON documents (date);\n"
    "CREATE TABLE nodes (id INTEGER PRIMARY KEY, doc INTEGER NOT NULL REFERENCES documents (id),"
    " node_id TEXT NOT NULL, part INTEGER NOT NULL, path TEXT NOT NULL, kind TEXT NOT NULL,"
    " num TEXT, ordinal INTEGER, heading TEXT, start_cp INTEGER, end_cp INTEGER);\n"
    "CREATE INDEX nodes_doc ON nodes (doc);\n"
    "CREATE TABLE sentences (id INTEGER PRIMARY KEY, doc INTEGER NOT NULL REFERENCES"
    " documents (id), node INTEGER REFERENCES nodes (id), part INTEGER NOT NULL,"
    " start_cp INTEGER NOT NULL, end_cp INTEGER NOT NULL, text TEXT NOT NULL);\n"
    "CREATE INDEX sentences_doc ON sentences (doc);\n"
    "CREATE TABLE quantities (id INTEGER PRIMARY KEY, doc INTEGER NOT NULL REFERENCES"
    " documents (id), node INTEGER REFERENCES nodes (id), sentence INTEGER REFERENCES"
    " sentences (id), qty_id TEXT, text TEXT, value REAL, min REAL, max REAL, unit TEXT,"
    " comparator TEXT, kind TEXT, subject TEXT, verb TEXT, rule TEXT, start_cp INTEGER,"
    " end_cp INTEGER);\n"
    "CREATE INDEX quantities_doc ON quantities (doc);\n"
    "CREATE INDEX quantities_sentence ON quantities (sentence);\n"
    "CREATE INDEX quantities_kind ON quantities (kind, unit, value);\n" FTS_SQL;

struct gw_archive {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *st[NST];
	gw_buf rec;       /* scratch: a record written to be hashed */
	char rec_sha[65]; /* of the document being put */
	bool batch;       /* between gw_archive_begin and commit */
	sqlite3_int64 fts_from; /* sentences after this id are not in the FTS5 table yet */
	bool writer;            /* opened with GW_ARCHIVE_WRITE */
	clock_t deadline, step; /* a search is stopped when no hit comes for step (CPU time) */
};

/* ---------------------------------------------------------------- opening */

/* err gets "what: SQLite's message", with a hint for the errors a user can act on. */
static void
db_error(sqlite3 *db, gw_buf *err, const char *what)
{
	int rc = sqlite3_extended_errcode(db) & 0xff;

	gw_buf_printf(err, "%s: %s", what, sqlite3_errmsg(db));
	if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB)
		gw_buf_puts(err, " (the archive is damaged: build it again with gw-index into a new file)");
	else if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		gw_buf_puts(err, " (another gw-index is writing to it)");
}

/* An integer from a one-value query; -1 with err on an error. */
static int
query_int(sqlite3 *db, const char *sql, long long *out, gw_buf *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_OK || rc == SQLITE_DONE)
		return 0;
	db_error(db, err, "cannot read it");
	return -1;
}

/* Version 1 → 2: the new columns, and every record marked as changed, so that indexing the same
 * records again fills the new fields (then 2 → 3 makes the FTS5 index again). */
static const char migrate_1_sql[] =
    "ALTER TABLE documents ADD COLUMN pub_date TEXT;\n"
    "ALTER TABLE documents ADD COLUMN status TEXT;\n"
    "ALTER TABLE documents ADD COLUMN issuers TEXT;\n"
    "ALTER TABLE documents ADD COLUMN copy_of INTEGER REFERENCES documents (id);\n"
    "CREATE INDEX documents_copy_of ON documents (copy_of);\n"
    "UPDATE documents SET record_sha256 = '', issuers = issuer;\n"
    "ALTER TABLE nodes DROP COLUMN text;\n";

/* Version 2 → 3: the full-text index made again without positions. */
static const char migrate_2_sql[] =
    "DROP TABLE sentences_fts;\n" FTS_SQL
    "INSERT INTO sentences_fts (sentences_fts) VALUES ('rebuild');\n";

/* Runs inside check_schema's write transaction. */
static int
create_schema(sqlite3 *db, long long version, gw_buf *err)
{
	gw_buf sql = GW_BUF_INIT;
	int rc;

	gw_buf_printf(&sql, "%s%sPRAGMA application_id = %d;\nPRAGMA user_version = %d;",
	              version == 0   ? schema_sql
	              : version == 1 ? migrate_1_sql
	                             : "",
	              version == 0 ? "" : migrate_2_sql, GW_ARCHIVE_APP_ID, GW_ARCHIVE_VERSION);
	rc = sqlite3_exec(db, sql.ptr, NULL, NULL, NULL);
	gw_buf_free(&sql);
	if (rc != SQLITE_OK) {
		db_error(db, err, version ? "cannot bring the archive to this version"
		                          : "cannot create the archive");
		return -1;
	}
	return 0;
}

/* Is this our database, of our version?  An empty one becomes ours when we may write, one of
 * an older version is brought to this version.  When writing, this runs inside BEGIN IMMEDIATE: two
 * gw-index that start on a new file create the schema once (the second finds it made). */
static int
check_version(sqlite3 *db, int mode, gw_buf *err)
{
	long long app = 0, version = 0, ntables = 0;

	if (query_int(db, "PRAGMA application_id", &app, err) < 0 ||
	    query_int(db, "PRAGMA user_version", &version, err) < 0 ||
	    query_int(db, "SELECT count(*) FROM sqlite_schema", &ntables, err) < 0)
		return -1;
	if (app == 0 && version == 0 && ntables == 0) {
		if (mode == GW_ARCHIVE_WRITE)
			return create_schema(db, 0, err);
		gw_buf_puts(err, "an empty database, not a gongwen archive (build one with gw-index)");
		return -1;
	}
	if (app != GW_ARCHIVE_APP_ID) {
		gw_buf_printf(err, "an SQLite database, but not a gongwen archive (application_id %lld)", app);
		return -1;
	}
	if (version >= 1 && version < GW_ARCHIVE_VERSION && mode == GW_ARCHIVE_WRITE)
		return create_schema(db, version, err);
	if (version >= 1 && version < GW_ARCHIVE_VERSION)
		gw_buf_printf(err,
		              "a gongwen archive of version %lld, made by an older gongwen: "
		              "'gw-index --db FILE </dev/null' brings it to version %d",
		              version, GW_ARCHIVE_VERSION);
	else if (version != GW_ARCHIVE_VERSION)
		gw_buf_printf(err, "a gongwen archive of version %lld; this gongwen knows version %d "
		              "(build it again with gw-index into a new file)", version, GW_ARCHIVE_VERSION);
	return version == GW_ARCHIVE_VERSION ? 0 : -1;
}

static int
check_schema(sqlite3 *db, int mode, gw_buf *err)
{
	long long n = 0;
	int rc;

	if (mode == GW_ARCHIVE_WRITE && sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		rc = sqlite3_errcode(db);
		db_error(db, err, rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT ? "cannot read it"
		                                                              : "cannot write to it");
		return -1;
	}
	rc = check_version(db, mode, err);
	if (mode == GW_ARCHIVE_WRITE &&
	    sqlite3_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK && rc == 0) {
		db_error(db, err, "cannot write to it");
		rc = -1;
	}
	/* read every table's first page, so a damaged file is found here and not halfway */
	return rc < 0 ? -1 : query_int(db, "SELECT (SELECT count(*) FROM documents LIMIT 1) + "
	                                  "(SELECT count(*) FROM (SELECT 1 FROM sentences_fts LIMIT 1))",
	                               &n, err);
}

static int
open_db(const char *path, int mode, sqlite3 **db, gw_buf *err)
{
	struct stat sb;
	int flags = mode == GW_ARCHIVE_WRITE ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
	                                     : SQLITE_OPEN_READONLY;

	if (stat(path, &sb) < 0 && mode != GW_ARCHIVE_WRITE) {
		gw_buf_puts(err, "no such archive (build one with gw-index)");
		return -1;
	}
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		gw_buf_puts(err, "not a regular file");
		return -1;
	}
	if (sqlite3_open_v2(path, db, flags, NULL) != SQLITE_OK) {
		db_error(*db, err, "cannot open it");
		return -1;
	}
	sqlite3_extended_result_codes(*db, 1);
	/* a reader waits for a writer's checkpoint; a second writer waits its turn */
	sqlite3_busy_timeout(*db, 30000);
	if (gw_fts_icu_register(*db) != SQLITE_OK) {
		gw_buf_puts(err, "cannot register the FTS5 tokenizer (is this SQLite built with FTS5?)");
		return -1;
	}
	return 0;
}

/* Switch to WAL mode: readers see the last commit while a batch is written; a crash loses only
 * the batch (synchronous=NORMAL is still safe against corruption in WAL mode).  The switch needs
 * the archive to itself and may answer SQLITE_BUSY at once (without the busy handler) while
 * another gw-index finishes and switches it back: retry for as long as the busy timeout allows.
 * 0, or -1 with a message. */
static int
wal_mode(sqlite3 *db, gw_buf *err)
{
	int rc;

	for (int ms = 0; ms < 30000; ms += 20) {
		rc = sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;", NULL,
		                  NULL, NULL);
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			break;
		sqlite3_sleep(20);
	}
	if (rc == SQLITE_OK)
		return 0;
	db_error(db, err, "cannot switch it to WAL mode");
	return -1;
}

gw_archive *
gw_archive_open(const char *path, int mode, gw_buf *err)
{
	gw_archive *a;
	sqlite3 *db = NULL;

	if (open_db(path, mode, &db, err) < 0 || check_schema(db, mode, err) < 0 ||
	    (mode == GW_ARCHIVE_WRITE && wal_mode(db, err) < 0)) {
		sqlite3_close(db);
		return NULL;
	}
	/* a reader maps the file: no copy of each page a query reads (a tenth of its time) */
	if (mode == GW_ARCHIVE_READ)
		sqlite3_exec(db, "PRAGMA mmap_size = 1073741824", NULL, NULL, NULL);
	a = gw_xcalloc(1, sizeof *a);
	a->db = db;
	a->path = gw_xstrdup(path);
	a->writer = mode == GW_ARCHIVE_WRITE;
	return a;
}

void
gw_archive_close(gw_archive *a)
{
	if (a == NULL)
		return;
	for (int i = 0; i < NST; i++)
		sqlite3_finalize(a->st[i]);
	/* out of WAL mode when the last writer is done: a reader that cannot write the folder
	 * (an archive on read-only storage) cannot make the -shm file WAL needs.  Busy while
	 * another program has the archive open: it stays in WAL mode then. */
	if (a->writer)
		sqlite3_exec(a->db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
	sqlite3_close(a->db);
	gw_buf_free(&a->rec);
	free(a->path);
	free(a);
}

struct sqlite3 *
gw_archive_db(gw_archive *a)
{
	return a->db;
}

static int
exec(gw_archive *a, const char *sql, gw_buf *err)
{
	if (sqlite3_exec(a->db, sql, NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	db_error(a->db, err, a->path);
	return -1;
}

static int run(gw_archive *a, sqlite3_int64 *out, int which, const char *fmt, ...);

int
gw_archive_begin(gw_archive *a, gw_buf *err)
{
	/* IMMEDIATE: take the write lock now, not halfway through the first document */
	if (exec(a, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	if (run(a, &a->fts_from, ST_LAST, "") < 0) {
		db_error(a->db, err, "cannot read it");
		return -1;
	}
	a->batch = true;
	return 0;
}

int
gw_archive_commit(gw_archive *a, gw_buf *err)
{
	/* the batch's sentences go into the FTS5 table in one statement */
	if (a->batch && run(a, NULL, ST_FTS_FROM, "I", a->fts_from) < 0) {
		db_error(a->db, err, a->path);
		return -1;
	}
	a->batch = false;
	return exec(a, "COMMIT", err);
}

void
gw_archive_rollback(gw_archive *a)
{
	a->batch = false;
	if (!sqlite3_get_autocommit(a->db))
		sqlite3_exec(a->db, "ROLLBACK", NULL, NULL, NULL);
}

/* The cached statement i, reset and unbound. */
static sqlite3_stmt *
stmt(gw_archive *a, int i)
{
	if (a->st[i] == NULL && sqlite3_prepare_v3(a->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
	                                           &a->st[i], NULL) != SQLITE_OK)
		return NULL;
	sqlite3_reset(a->st[i]);
	sqlite3_clear_bindings(a->st[i]);
	return a->st[i];
}

/* Bind the values after fmt to st's parameters 1, 2, ..., a letter each: s a string (NULL: null),
 * S a string to free, i an int, n an int (negative: null), I a 64-bit int, r a rowid (0 or
 * less: null), d a bool and a double (false or not finite: null). */
static void
bind(sqlite3_stmt *st, const char *fmt, va_list ap)
{
	for (int i = 1; *fmt; fmt++, i++) {
		int has, k;
		double v;
		sqlite3_int64 r;

		switch (*fmt) {
		case 's':
		case 'S':
			sqlite3_bind_text(st, i, va_arg(ap, char *), -1,
			                  *fmt == 'S' ? free : SQLITE_STATIC);
			break;
		case 'i':
		case 'n':
			if ((k = va_arg(ap, int)) >= 0 || *fmt == 'i')
				sqlite3_bind_int(st, i, k);
			break;
		case 'I':
		case 'r':
			if ((r = va_arg(ap, sqlite3_int64)) > 0 || *fmt == 'I')
				sqlite3_bind_int64(st, i, r);
			break;
		default: /* d */
			has = va_arg(ap, int);
			v = va_arg(ap, double);
			if (has && isfinite(v))
				sqlite3_bind_double(st, i, v);
		}
	}
}

/* Run the cached statement which, its parameters bound from fmt (see bind).  With out: an
 * insert's new rowid, or a query's first row (out[i] its column i; 0 when there is no row).
 * 0, or -1 on an error. */
static int
run(gw_archive *a, sqlite3_int64 *out, int which, const char *fmt, ...)
{
	sqlite3_stmt *st = stmt(a, which);
	va_list ap;
	int rc;

	/* bound even without a statement: SQLite frees an S string when its bind fails */
	va_start(ap, fmt);
	bind(st, fmt, ap);
	va_end(ap);
	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (out && sqlite3_column_count(st) == 0)
		out[0] = sqlite3_last_insert_rowid(a->db);
	for (int i = 0; out && i < sqlite3_column_count(st); i++)
		out[i] = rc == SQLITE_ROW ? sqlite3_column_int64(st, i) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* ---------------------------------------------------------------- what is indexed */

/* A node number without its trailing 、 . ． ， and spaces: 五、 → 五, 16. → 16; （三） stays. */
static size_t
num_trim(const char *s)
{
	static const char *const tails[] = {"、", "．", "，", "\xE3\x80\x80", ".", ",", " ", "\t"};
	size_t n = strlen(s);
	bool again = true;

	while (again && n > 0) {
		again = false;
		for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
			size_t k = strlen(tails[i]);

			if (n > k && memcmp(s + n - k, tails[i], k) == 0) {
				n -= k;
				again = true;
			}
		}
	}
	return n;
}

char *
gw_archive_node_path(const gw_doc *d, int node)
{
	int chain[64], depth = 0;
	gw_buf b = GW_BUF_INIT;

	for (int k = node; k >= 0 && (size_t)k < d->nnodes && depth < 64; k = d->nodes[k].parent)
		chain[depth++] = k;
	while (depth-- > 0) {
		const char *num = d->nodes[chain[depth]].num;

		if (b.len)
			gw_buf_putc(&b, '/');
		if (num && *num)
			gw_buf_put(&b, num, num_trim(num));
		else
			gw_buf_printf(&b, "%ld", d->nodes[chain[depth]].ordinal);
	}
	return b.ptr ? gw_buf_detach(&b) : gw_xstrdup("");
}

/* 。！？!? and ；; end a sentence (a 公文 lists its measures in clauses closed by ；). */
static bool
is_stop(uint32_t c)
{
	return gw_is_sentence_end(c) || c == 0xFF1B || c == ';';
}

/* Closing quotes and brackets right after a stop belong to the sentence: 。” */
static bool
is_closer(uint32_t c)
{
	return c == 0x201D || c == 0x2019 || c == 0xFF09 || c == ')' || c == 0x300D || c == 0x300F ||
	       c == 0x3011 || c == 0x300B || c == '"';
}

/* Code points where a sentence must end because a unit or an attachment starts there. */
static bool *
unit_starts(const gw_doc *d)
{
	bool *cut = gw_xcalloc(d->ncp + 1, sizeof *cut);

	for (size_t i = 0; i < d->nnodes; i++) {
		int32_t s = d->nodes[i].span.start;

		if (s > 0 && (size_t)s <= d->ncp)
			cut[s] = true;
	}
	for (size_t i = 0; i < d->natts; i++) {
		int32_t s = d->atts[i].span.start, t = d->atts[i].title_span.start;

		if (s > 0 && (size_t)s <= d->ncp)
			cut[s] = true;
		if (t > 0 && (size_t)t <= d->ncp)
			cut[t] = true;
	}
	return cut;
}

typedef struct sent_acc {
	uint32_t *cps; /* the code points of the text, decoded once */
	gw_span *v;
	size_t n, cap;
} sent_acc;

/* Add [s, e) trimmed of spaces, when anything is left. */
static void
sent_add(sent_acc *acc, int32_t s, int32_t e)
{
	while (s < e && gw_is_space(acc->cps[s]))
		s++;
	while (e > s && gw_is_space(acc->cps[e - 1]))
		e--;
	if (s >= e)
		return;
	gw_grow((void **)&acc->v, &acc->cap, acc->n + 1, sizeof *acc->v);
	acc->v[acc->n++] = (gw_span){s, e};
}

size_t
gw_archive_sentences(gw_doc *d, gw_span **out)
{
	sent_acc acc = {NULL, NULL, 0, 0};
	bool *cut = unit_starts(d);
	int32_t n = (int32_t)d->ncp, start = 0, i = 0;
	size_t b = 0;

	acc.cps = gw_xmalloc(((size_t)n + 1) * sizeof *acc.cps);
	for (int32_t k = 0; k < n && b < d->text_len; k++) {
		int len = gw_utf8_decode(d->text + b, d->text_len - b, &acc.cps[k]);

		b += len > 0 ? (size_t)len : 1;
	}
	while (i < n) {
		uint32_t c = acc.cps[i];

		if (i > start && (cut[i] || i - start >= GW_ARCHIVE_SENTENCE_MAX)) {
			sent_add(&acc, start, i);
			start = i;
		}
		i++;
		if (c == '\n' || is_stop(c)) {
			while (c != '\n' && i < n && (is_closer(acc.cps[i]) || is_stop(acc.cps[i])))
				i++;
			sent_add(&acc, start, i);
			start = i;
		}
	}
	sent_add(&acc, start, n);
	free(cut);
	free(acc.cps);
	*out = acc.v;
	return acc.n;
}

/* The text of [s, e) appended to b (nothing when e is not after s). */
static void
span_put(gw_doc *d, int32_t s, int32_t e, gw_buf *b)
{
	size_t a = gw_doc_cp_to_byte(d, s), z = gw_doc_cp_to_byte(d, e);

	gw_buf_put(b, d->text + a, z > a ? z - a : 0);
}

/* The text of [s, e) as a new string. */
static char *
span_text(gw_doc *d, int32_t s, int32_t e)
{
	gw_buf b = GW_BUF_INIT;

	span_put(d, s, e, &b);
	return b.ptr ? gw_buf_detach(&b) : gw_xstrdup("");
}

/* A node's own text: its span without its children's (they are indexed as nodes of their own). */
static char *
node_own_text(gw_doc *d, int k)
{
	const gw_node *n = &d->nodes[k];
	gw_buf b = GW_BUF_INIT;
	int32_t at = n->span.start;

	for (int c = n->first_child; c >= 0; c = d->nodes[c].next_sibling) {
		span_put(d, at, d->nodes[c].span.start, &b);
		if (d->nodes[c].span.end > at)
			at = d->nodes[c].span.end;
	}
	span_put(d, at, n->span.end, &b);
	return b.ptr ? gw_buf_detach(&b) : gw_xstrdup("");
}

/* The part (0 notice, k attachment k) that code point cp is in. */
static int
part_at(const gw_doc *d, int32_t cp)
{
	for (size_t k = 0; k < d->natts; k++) {
		gw_span s = d->atts[k].span, t = d->atts[k].title_span;

		if ((s.start >= 0 && s.start <= cp && cp < s.end) ||
		    (t.start >= 0 && t.start <= cp && cp < t.end))
			return (int)k + 1;
	}
	return 0;
}

/* A front-matter field (the first of the keys given that is there), or NULL. */
static const char *
meta(const gw_doc *d, const char *k1, const char *k2)
{
	for (size_t i = 0; i < d->nmeta; i++)
		if (strcmp(d->meta[i].key, k1) == 0 || (k2 && strcmp(d->meta[i].key, k2) == 0))
			return d->meta[i].value;
	return NULL;
}

/* The date a document is filed under: 成文日期, else 印发日期, else the front matter's 发布日期. */
static const char *
doc_date(const gw_doc *d)
{
	return d->header.date         ? d->header.date
	       : d->header.print_date ? d->header.print_date
	                              : meta(d, "发布日期", "date");
}

static const char *
doc_number(const gw_doc *d)
{
	const char *n = d->header.f[GW_H_DOC_NUMBER].text;

	return n ? n : meta(d, "文号", "doc_number");
}

/* Every name the document is issued under, one per line (see the schema). */
static char *
doc_issuers(const gw_doc *d)
{
	static const int fields[] = {GW_H_ISSUER, GW_H_ISSUER_MARK, GW_H_SIGNATURE};
	const char *title = d->header.f[GW_H_TITLE].text, *about, *unit = meta(d, "发布单位", NULL);
	gw_buf b = GW_BUF_INIT;

	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		if (d->header.f[fields[i]].text)
			gw_buf_printf(&b, "%s\n", d->header.f[fields[i]].text);
	if (title && (about = strstr(title, "关于")) != NULL)
		gw_buf_printf(&b, "%.*s\n", (int)(about - title), title);
	if (unit)
		gw_buf_printf(&b, "%s\n", unit);
	return b.ptr ? gw_buf_detach(&b) : NULL;
}

/* ---------------------------------------------------------------- putting a document */

/* A copy has the original's rowid, and no sentences of its own (ns -1). */
static int
put_document(gw_archive *a, gw_doc *d, sqlite3_int64 original, int ns, sqlite3_int64 *rowid)
{
	const gw_field *f = d->header.f;

	return run(a, rowid, ST_INS_D, "sssssssssnssSrn", d->id, f[GW_H_TITLE].text,
	           f[GW_H_ISSUER].text, doc_number(d), f[GW_H_DOC_TYPE].text, doc_date(d),
	           d->src_path, d->src_sha256[0] ? d->src_sha256 : NULL, a->rec_sha, d->is_notice,
	           meta(d, "发布日期", "date"), meta(d, "状态", "status"), doc_issuers(d), original,
	           ns);
}

/* Every node, in document order; rows[k] receives node k's rowid. */
static int
put_nodes(gw_archive *a, gw_doc *d, sqlite3_int64 doc, sqlite3_int64 *rows)
{
	for (size_t k = 0; k < d->nnodes; k++) {
		const gw_node *n = &d->nodes[k];

		if (run(a, &rows[k], ST_INS_N, "IsiSssIsii", doc, n->id ? n->id : "", n->part,
		        gw_archive_node_path(d, (int)k), gw_kind_name(n->kind), n->num,
		        (sqlite3_int64)n->ordinal, n->heading, n->span.start, n->span.end) < 0)
			return -1;
	}
	return 0;
}

/* Every sentence; srows[i] receives sentence i's rowid. */
static int
put_sentences(gw_archive *a, gw_doc *d, sqlite3_int64 doc, const sqlite3_int64 *nrows,
              const gw_span *sv, size_t ns, sqlite3_int64 *srows)
{
	for (size_t i = 0; i < ns; i++) {
		int node = gw_doc_node_at(d, sv[i].start);

		if (run(a, &srows[i], ST_INS_S, "IriiiS", doc, node >= 0 ? nrows[node] : 0,
		        node >= 0 ? d->nodes[node].part : part_at(d, sv[i].start), sv[i].start,
		        sv[i].end, span_text(d, sv[i].start, sv[i].end)) < 0)
			return -1;
	}
	return 0;
}

/* The sentence holding code point cp (sentences are sorted and disjoint), or -1. */
static long
sentence_at(const gw_span *sv, size_t ns, int32_t cp)
{
	size_t lo = 0, hi = ns;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (sv[mid].end <= cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ns && sv[lo].start <= cp ? (long)lo : -1;
}

static int
put_quantities(gw_archive *a, gw_doc *d, sqlite3_int64 doc, const sqlite3_int64 *nrows,
               const gw_span *sv, size_t ns, const sqlite3_int64 *srows)
{
	for (size_t i = 0; i < d->nqs; i++) {
		const gw_quantity *q = &d->qs[i];
		long s = q->span.start >= 0 ? sentence_at(sv, ns, q->span.start) : -1;
		bool has_node = q->node >= 0 && (size_t)q->node < d->nnodes;

		if (run(a, NULL, ST_INS_Q, "Irrssdddssssssii", doc, has_node ? nrows[q->node] : 0,
		        s >= 0 ? srows[s] : 0, q->id, q->text, q->has_value, q->value, q->has_min,
		        q->min, q->has_max, q->max, q->unit, gw_cmp_name(q->cmp),
		        gw_qkind_name(q->kind), q->subject, q->verb, q->rule, q->span.start,
		        q->span.end) < 0)
			return -1;
	}
	return 0;
}

/* Insert d's rows: the document, its nodes, sentences and quantities; a copy of a document
 * already there (the same source sha256) only its document row. */
static int
put_rows(gw_archive *a, gw_doc *d)
{
	sqlite3_int64 doc, *nrows, *srows;
	sqlite3_int64 original = 0;
	gw_span *sv = NULL;
	size_t ns;
	int rc = -1;

	if (d->src_sha256[0] && run(a, &original, ST_ORIGINAL, "s", d->src_sha256) < 0)
		return -1;
	if (original != 0)
		return put_document(a, d, original, -1, &doc);
	nrows = gw_xcalloc(d->nnodes + 1, sizeof *nrows);
	ns = gw_archive_sentences(d, &sv);
	srows = gw_xcalloc(ns + 1, sizeof *srows);
	if (put_document(a, d, 0, (int)ns, &doc) == 0 && put_nodes(a, d, doc, nrows) == 0 &&
	    put_sentences(a, d, doc, nrows, sv, ns, srows) == 0)
		rc = put_quantities(a, d, doc, nrows, sv, ns, srows);
	/* outside a batch, the document's sentences go into the FTS5 table now */
	if (rc == 0 && !a->batch)
		rc = run(a, NULL, ST_FTS_DOC, "I", doc);
	free(nrows), free(srows), free(sv);
	return rc;
}

/* An original with copies leaves its rows to the first copy, which becomes the original. */
static int
bequeath(gw_archive *a, sqlite3_int64 doc, sqlite3_int64 heir)
{
	gw_buf sql = GW_BUF_INIT;
	int rc;

	gw_buf_printf(&sql,
	              "UPDATE nodes SET doc = %1$lld WHERE doc = %2$lld;"
	              "UPDATE sentences SET doc = %1$lld WHERE doc = %2$lld;"
	              "UPDATE quantities SET doc = %1$lld WHERE doc = %2$lld;"
	              "UPDATE documents SET copy_of = %1$lld"
	              " WHERE copy_of = %2$lld AND id <> %1$lld;"
	              "UPDATE documents SET copy_of = NULL, nsentences = (SELECT nsentences FROM"
	              " documents WHERE id = %2$lld) WHERE id = %1$lld;"
	              "DELETE FROM documents WHERE id = %2$lld;",
	              (long long)heir, (long long)doc);
	rc = sqlite3_exec(a->db, sql.ptr, NULL, NULL, NULL);
	gw_buf_free(&sql);
	return rc == SQLITE_OK ? 0 : -1;
}

static int
delete_rows(gw_archive *a, sqlite3_int64 doc)
{
	static const int order[] = {ST_DEL_Q, ST_DEL_FTS, ST_DEL_S, ST_DEL_N, ST_DEL_D};
	sqlite3_int64 heir, last;

	if (run(a, &heir, ST_HEIR, "I", doc) < 0)
		return -1;
	if (heir != 0)
		return bequeath(a, doc, heir);
	/* rows put earlier in this batch are not in the FTS5 table yet (ST_DEL_FTS's ?2) */
	for (size_t i = 0; i < sizeof order / sizeof *order; i++)
		if (run(a, NULL, order[i], order[i] == ST_DEL_FTS ? "II" : "I", doc,
		        a->batch ? a->fts_from : INT64_MAX) < 0)
			return -1;
	/* SQLite gives a new row the largest rowid + 1: when the rows just deleted were the last
	 * ones, the next document's sentences take their rowids again, and the batch's FTS5 pass
	 * (rowids above fts_from) would skip them (issue 15: a re-indexed last document lost its
	 * text search).  Every row up to the largest left is in the FTS5 table already. */
	if (a->batch && run(a, &last, ST_LAST, "") < 0)
		return -1;
	if (a->batch && last < a->fts_from)
		a->fts_from = last;
	return 0;
}

enum gw_put
gw_archive_put(gw_archive *a, gw_doc *d, const char *rec, size_t len, gw_buf *err)
{
	/* the id's row, and whether its source sha256 and record are the same */
	sqlite3_int64 old[2];

	if (rec == NULL) {
		gw_buf_reset(&a->rec);
		gw_json_write(d, &a->rec, 0);
		rec = a->rec.ptr;
		len = a->rec.len;
	}
	gw_sha256_hex(rec, len, a->rec_sha);
	if (run(a, old, ST_FIND, "sss", d->id, d->src_sha256, a->rec_sha) < 0) {
		db_error(a->db, err, d->id);
		return GW_PUT_ERROR;
	}
	if (old[0] && old[1])
		return GW_PUT_UNCHANGED;
	/* a savepoint: the old rows go and the new ones come in one step, or neither */
	if (exec(a, "SAVEPOINT put", err) < 0)
		return GW_PUT_ERROR;
	if ((old[0] && delete_rows(a, old[0]) < 0) || put_rows(a, d) < 0) {
		db_error(a->db, err, d->id);
		sqlite3_exec(a->db, "ROLLBACK TO put; RELEASE put", NULL, NULL, NULL);
		return GW_PUT_ERROR;
	}
	if (exec(a, "RELEASE put", err) < 0)
		return GW_PUT_ERROR;
	return old[0] ? GW_PUT_REPLACED : GW_PUT_ADDED;
}

int
gw_archive_remove(gw_archive *a, const char *id, gw_buf *err)
{
	sqlite3_int64 row[2];

	if (run(a, row, ST_FIND, "s", id) < 0 || (row[0] && delete_rows(a, row[0]) < 0)) {
		db_error(a->db, err, id);
		return -1;
	}
	return row[0] != 0;
}

long
gw_archive_undated(gw_archive *a)
{
	sqlite3_int64 n;

	return run(a, &n, ST_UNDATED, "") < 0 ? -1 : (long)n;
}

/* ---------------------------------------------------------------- the query syntax */

/* The query being translated into what gw_archive_fts_query gives; the -words are kept for the
 * end.  operand: the last thing written was an operand (a word or a closing parenthesis): FTS5
 * has no implicit AND next to a parenthesis, so every AND is written out.  skip: the depth at
 * which the operand of a NOT started, which the FTS5 query leaves out (-1: none). */
typedef struct fq {
	gw_buf *fts, *check, *needles, neg;
	bool operand, not_next;
	int depth, skip;
} fq;

/* An operator or a parenthesis: into the check, and into the FTS5 query unless skipped. */
static void
put_op(fq *f, const char *fts, const char *check)
{
	if (f->skip < 0)
		gw_buf_puts(f->fts, fts);
	gw_buf_puts(f->check, check);
}

/* The folded word w[0..n) (no white space) as FTS5 candidates: the sentences that hold each
 * of its pairs of characters, or its one character as a prefix (see the tokenizer). */
static void
put_pairs(gw_buf *fts, const char *w, size_t n)
{
	size_t i = 0, j, k;

	gw_buf_puts(fts, " (");
	for (; i < n; i = j) {
		j = i + 1;
		while (j < n && ((unsigned char)w[j] & 0xC0) == 0x80)
			j++;
		for (k = j + (j < n); k < n && ((unsigned char)w[k] & 0xC0) == 0x80;)
			k++;
		if (k == j && i > 0)
			break; /* the last character: in the pair before it */
		if (gw_find(w, k - 1, w + i, k - i))
			continue; /* the same pair already */
		gw_buf_puts(fts, fts->ptr[fts->len - 1] == '(' ? "\"" : " AND \"");
		for (size_t c = i; c < k; c++) {
			gw_buf_putc(fts, w[c]);
			if (w[c] == '"')
				gw_buf_putc(fts, '"');
		}
		gw_buf_puts(fts, k == j ? "\"*" : "\"");
	}
	gw_buf_puts(fts, " )");
}

/* A word or a phrase s[0..n) as written: in the FTS5 query the AND of its pairs, in the
 * check gw_has(s.text, 'word'), and a needle to rank and mark unless it is left out (NOT). */
static void
put_term(fq *f, const char *s, size_t n, bool negative)
{
	gw_buf w = GW_BUF_INIT, *check = negative ? &f->neg : f->check;

	gw_fold(s, n, &w);
	if (negative && check->len)
		gw_buf_puts(check, " OR");
	gw_buf_puts(check, " gw_has(s.text, '");
	for (size_t i = 0; i < w.len; i++) {
		if ((unsigned char)w.ptr[i] < 0x20)
			continue; /* control characters end a needle */
		gw_buf_putc(check, w.ptr[i]);
		if (w.ptr[i] == '\'')
			gw_buf_putc(check, '\''); /* an SQL string */
		if (!negative && f->skip < 0)
			gw_buf_putc(f->needles, w.ptr[i]);
	}
	gw_buf_puts(check, "')");
	if (!negative && f->skip < 0) {
		gw_buf_putc(f->needles, GW_NEEDLE_END);
		put_pairs(f->fts, w.ptr, w.len);
	}
	gw_buf_free(&w);
}

/* Before an operand: the AND next to the last one, and the start of a NOT's operand. */
static void
operand(fq *f)
{
	if (f->operand)
		put_op(f, " AND", " AND");
	if (f->not_next && f->skip < 0)
		f->skip = f->depth;
	f->not_next = false;
}

/* After a word or a group: the end of a NOT's operand. */
static void
operand_end(fq *f)
{
	if (f->skip == f->depth)
		f->skip = -1;
	f->operand = true;
}

/* A "quoted phrase" as FTS5 reads it ("" is a quote inside), with a * after it dropped. */
static const char *
put_quoted(fq *f, const char *p, gw_buf *err)
{
	gw_buf t = GW_BUF_INIT;

	for (p++;; p++) {
		if (*p == '\0') {
			gw_buf_puts(err, "a \" is not closed");
			gw_buf_free(&t);
			return NULL;
		}
		if (*p == '"' && p[1] != '"')
			break;
		p += *p == '"';
		gw_buf_putc(&t, *p);
	}
	p++;
	p += *p == '*';
	operand(f);
	put_term(f, t.ptr ? t.ptr : "", t.len, false);
	operand_end(f);
	gw_buf_free(&t);
	return p;
}

/* A bare word: AND OR NOT stay operators; -word is kept for the NOT at the end; ^word and
 * word* are word (every character is indexed, so a word is found inside longer ones already). */
static const char *
put_word(fq *f, const char *p)
{
	const char *s = p, *e;

	/* 4 bytes at most: the NUL ends a code point before it is passed */
	while (*p && !gw_space_len(p, strnlen(p, 4)) && *p != '(' && *p != ')' && *p != '"')
		p++;
	e = p;
	if ((e - s == 3 && (memcmp(s, "AND", 3) == 0 || memcmp(s, "NOT", 3) == 0)) ||
	    (e - s == 2 && memcmp(s, "OR", 2) == 0)) {
		if (*s == 'N') /* NOT b: b is left out of the candidates, the check keeps it out */
			put_op(f, "", " AND NOT");
		else
			put_op(f, *s == 'A' ? " AND" : " OR", *s == 'A' ? " AND" : " OR");
		f->not_next = *s == 'N';
		f->operand = false;
		return p;
	}
	s += *s == '^';
	while (e > s && e[-1] == '*')
		e--;
	if (*s == '-' && e - s > 1 && !(s[1] >= '0' && s[1] <= '9'))
		put_term(f, s + 1, (size_t)(e - s - 1), true);
	else if (e > s) {
		operand(f);
		put_term(f, s, (size_t)(e - s), false);
		operand_end(f);
	}
	return p;
}

/* Query limits: a query is what a person types, not a document (issue 15: a 5,000-word query
 * ran for two minutes). */
static int
check_limits(const char *text, gw_buf *err)
{
	size_t ncp = 0, nwords = 0;
	bool in = false;

	for (const char *p = text; *p; p++) {
		size_t sp = (size_t)gw_space_len(p, strnlen(p, 4));

		ncp += ((unsigned char)*p & 0xC0) != 0x80;
		nwords += !sp && !in;
		in = !sp;
		p += sp ? sp - 1 : 0;
	}
	if (ncp > GW_QUERY_MAX_CHARS)
		gw_buf_printf(err, "the query is too long: %zu characters, at most %d", ncp,
		              GW_QUERY_MAX_CHARS);
	else if (nwords > GW_QUERY_MAX_TERMS)
		gw_buf_printf(err, "the query has too many words: %zu, at most %d", nwords,
		              GW_QUERY_MAX_TERMS);
	return err->len ? -1 : 0;
}

/* One step of the translation at p; the next position, or NULL on an error. */
static const char *
fq_step(fq *f, const char *p, gw_buf *err)
{
	if (*p == '(') {
		operand(f);
		put_op(f, " (", " (");
		f->depth++;
		f->operand = false;
		return p + 1;
	}
	if (*p == ')') {
		put_op(f, " )", " )");
		f->depth--;
		operand_end(f);
		return p + 1;
	}
	if (*p == '"')
		return put_quoted(f, p, err);
	return put_word(f, p);
}

int
gw_archive_fts_query(const char *text, gw_buf *fts, gw_buf *check, gw_buf *needles, gw_buf *err)
{
	gw_buf body = GW_BUF_INIT, cbody = GW_BUF_INIT;
	fq f = {&body, &cbody, needles, GW_BUF_INIT, false, false, 0, -1};
	const char *p = text;

	while (p && *p) {
		size_t sp = (size_t)gw_space_len(p, strnlen(p, 4));

		p = sp ? p + sp : fq_step(&f, p, err);
	}
	/* what is written first starts with a space */
	if (p && body.len == 0 && (f.neg.len || cbody.len)) {
		gw_buf_puts(err, "only words to leave out: give a word to look for (垃圾分类 -农村)");
		p = NULL;
	} else if (p && body.len) {
		gw_buf_puts(fts, body.ptr + 1);
		if (f.neg.len)
			gw_buf_printf(check, "(%s ) AND NOT (%s )", cbody.ptr, f.neg.ptr);
		else
			gw_buf_printf(check, "(%s )", cbody.ptr);
	}
	gw_buf_free(&f.neg);
	gw_buf_free(&body);
	gw_buf_free(&cbody);
	gw_buf_puts(fts, "");
	gw_buf_puts(check, "");
	gw_buf_puts(needles, "");
	return p ? 0 : -1;
}

/* ---------------------------------------------------------------- searching */

typedef struct qparam {
	const char *s; /* NULL: the number v */
	double v;
} qparam;

typedef struct qsql {
	gw_buf sql;
	qparam p[20];
	int np;
} qsql;

static void
param_s(qsql *q, const char *clause, const char *s)
{
	gw_buf_puts(&q->sql, clause);
	q->p[q->np++] = (qparam){s, 0};
}

static void
param_v(qsql *q, const char *clause, double v)
{
	gw_buf_puts(&q->sql, clause);
	q->p[q->np++] = (qparam){NULL, v};
}

bool
gw_query_has_quantity_filter(const gw_query *q)
{
	return q->kind >= 0 || q->unit || q->has_min || q->has_max;
}

/* The unit as the archive stores it: gw-extract folds 万, 亿 and 万亿 into the value (5万元 is
 * 50000 元), so --unit 万元 --min 5 means 元 from 50000.  千 and 百 stay: 千瓦, 百分点. */
static const char *
base_unit(const char *unit, double *scale)
{
	static const struct {
		const char *prefix;
		double scale;
	} mag[] = {{"万亿", 1e12}, {"亿", 1e8}, {"万", 1e4}};

	*scale = 1;
	for (size_t i = 0; i < sizeof mag / sizeof *mag; i++) {
		size_t n = strlen(mag[i].prefix);

		if (strncmp(unit, mag[i].prefix, n) == 0 && unit[n]) {
			*scale = mag[i].scale;
			return unit + n;
		}
	}
	return unit;
}

/* A quantity's value, or its range, reaches into [min, max]: "at least 1000" keeps 800-1200. */
static void
quantity_filters(const gw_query *q, qsql *s)
{
	double scale = 1;

	if (q->kind >= 0)
		param_s(s, " AND q.kind = ?", gw_qkind_name((enum gw_qkind)q->kind));
	if (q->unit)
		param_s(s, " AND q.unit = ?", base_unit(q->unit, &scale));
	if (q->has_min)
		param_v(s, " AND coalesce(q.value, q.max, q.min) >= ?", q->min * scale);
	if (q->has_max)
		param_v(s, " AND coalesce(q.value, q.min, q.max) <= ?", q->max * scale);
}

/* Dates compare as text: "2022-02-18" <= "2022" || '~' keeps --to 2022 inclusive. */
static void
document_filters(const gw_query *q, qsql *s)
{
	if (q->issuer)
		param_s(s, " AND instr(d.issuers, ?) > 0", q->issuer);
	if (q->doc_type)
		param_s(s, " AND d.doc_type = ?", q->doc_type);
	if (q->from)
		param_s(s, " AND d.date >= ?", q->from);
	if (q->to)
		param_s(s, " AND d.date <= ? || '~'", q->to);
	if (q->doc_number)
		param_s(s, " AND instr(d.doc_number, ?) > 0", q->doc_number);
	if (q->status)
		param_s(s, " AND d.status = ?", q->status);
}

static bool
has_text(const gw_query *q)
{
	return q->text && q->text[strspn(q->text, " \t\r\n")] != '\0';
}

static bool
has_document_filter(const gw_query *q)
{
	return q->issuer || q->doc_type || q->from || q->to || q->doc_number || q->status;
}

/* A text query as gw_archive_fts_query gives it: the FTS5 query that finds the candidates, the
 * SQL expression that checks them ("" with --raw) and the words to rank and mark. */
typedef struct qtext {
	gw_buf fts, check, needles;
} qtext;

/* The matching sentences s, their document d and node n: FROM … WHERE …, with join (NULL or
 * more tables) before the WHERE.  With a text query, the candidates FTS5 finds are checked in
 * their text and ranked in a subquery (h.sc; rank 2: gw_rank, 1: without whole words, 0: not
 * ranked); cap > 0: only the cap last indexed matches (FTS5 gives them in rowid order and stops
 * there), so that a common word is not ranked over all its matches (issue 15: 发展 in 170,000
 * sentences took 250 ms). */
static void
hits_from(const gw_query *q, const qtext *t, int rank, long cap, const char *join, qsql *s)
{
	gw_buf *b = &s->sql;
	bool qf = gw_query_has_quantity_filter(q);

	gw_buf_puts(b, " FROM ");
	if (t) {
		if (rank)
			param_s(s,
			        rank > 1 ? "(SELECT s.id AS sid, gw_rank(s.text, ?) AS sc"
			                 : "(SELECT s.id AS sid, gw_rank(s.text, ?, 0) AS sc",
			        t->needles.ptr);
		else
			gw_buf_puts(b, "(SELECT s.id AS sid, 0 AS sc");
		gw_buf_puts(b,
		            " FROM sentences_fts JOIN sentences s ON s.id = sentences_fts.rowid");
		if (has_document_filter(q))
			gw_buf_puts(b, " JOIN documents d ON d.id = s.doc");
		param_s(s, " WHERE sentences_fts MATCH ?", t->fts.ptr);
		if (t->check.len)
			gw_buf_printf(b, " AND %s", t->check.ptr);
	} else
		gw_buf_printf(b,
		              "sentences s JOIN documents d ON d.id = s.doc LEFT JOIN nodes n"
		              " ON n.id = s.node%s WHERE 1",
		              join ? join : "");
	document_filters(q, s);
	/* with a text query, look up each match's quantities; without, start from the quantities */
	if (qf) {
		gw_buf_puts(b, t ? " AND EXISTS (SELECT 1 FROM quantities q WHERE q.sentence = s.id"
		                 : " AND s.id IN (SELECT q.sentence FROM quantities q WHERE"
		                   " q.sentence IS NOT NULL");
		quantity_filters(q, s);
		gw_buf_puts(b, ")");
	}
	if (t && cap > 0)
		param_v(s, " ORDER BY sentences_fts.rowid DESC LIMIT ?", (double)cap);
	if (t)
		gw_buf_printf(
		    b,
		    ") h JOIN sentences s ON s.id = h.sid JOIN documents d ON d.id = s.doc"
		    " LEFT JOIN nodes n ON n.id = s.node%s",
		    join ? join : "");
}

/* The hit query (sentences, or with q->documents one row per document and its number of hits);
 * t: the text query, or NULL. */
static void
build_sql(const gw_query *q, const qtext *t, qsql *s)
{
	gw_buf *b = &s->sql;
	long cap = q->limit > GW_RANK_CAP ? q->limit : GW_RANK_CAP;

	if (q->documents)
		gw_buf_puts(
		    b, "SELECT min(s.id), d.doc_id, d.title, d.doc_number, d.issuer, d.doc_type,"
		       " d.date, 0, NULL, NULL, NULL, NULL, 0, 0, d.id, d.source_path, d.status,"
		       " count(*)");
	else {
		gw_buf_puts(b, "SELECT s.id, d.doc_id, d.title, d.doc_number, d.issuer, d.doc_type,"
		               " d.date, s.part, n.node_id, n.path, s.text, ");
		if (t) /* the sentence marked */
			param_s(s, "gw_mark(s.text, ?)", t->needles.ptr);
		else
			gw_buf_puts(b, "s.text");
		gw_buf_puts(b, ", s.start_cp, s.end_cp, d.id, d.source_path, d.status, 1");
	}
	hits_from(q, t, q->documents ? 1 : 2, q->documents || q->limit <= 0 ? 0 : cap, NULL, s);
	if (q->documents)
		gw_buf_puts(b, t ? " GROUP BY d.id ORDER BY max(h.sc) DESC, d.doc_id"
		                 : " GROUP BY d.id ORDER BY d.date DESC, d.doc_id");
	else
		gw_buf_puts(b, t ? " ORDER BY h.sc DESC, d.doc_id, s.start_cp"
		                 : " ORDER BY d.date DESC, d.doc_id, s.start_cp");
	if (q->limit > 0)
		param_v(s, " LIMIT ?", (double)q->limit);
}

static int
prepare(sqlite3 *db, qsql *s, sqlite3_stmt **st, int first)
{
	if (sqlite3_prepare_v2(db, s->sql.ptr, -1, st, NULL) != SQLITE_OK)
		return -1;
	for (int i = 0; i < s->np; i++) {
		if (s->p[i].s)
			sqlite3_bind_text(*st, first + i, s->p[i].s, -1, SQLITE_STATIC);
		else if (s->p[i].v == floor(s->p[i].v) && fabs(s->p[i].v) < 9e15)
			sqlite3_bind_int64(*st, first + i, (sqlite3_int64)s->p[i].v);
		else
			sqlite3_bind_double(*st, first + i, s->p[i].v);
	}
	return 0;
}

static const char *
col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static char *
col_dup(sqlite3_stmt *st, int i)
{
	const char *s = col(st, i);

	return s ? gw_xstrdup(s) : NULL;
}

static void
hit_qty_free(gw_hit *h)
{
	for (size_t i = 0; i < h->nqs; i++) {
		gw_hit_qty *q = &h->qs[i];

		free((char *)q->id), free((char *)q->text), free((char *)q->unit);
		free((char *)q->comparator), free((char *)q->kind), free((char *)q->subject);
		free((char *)q->verb);
	}
	free(h->qs);
	h->qs = NULL;
	h->nqs = 0;
}

/* The quantities of sentence row that pass the filters (qs is bound from parameter 2 on). */
static int
hit_quantities(sqlite3_stmt *qs, sqlite3_int64 row, gw_hit *h)
{
	size_t cap = 0;
	int rc;

	sqlite3_reset(qs);
	sqlite3_bind_int64(qs, 1, row);
	while ((rc = sqlite3_step(qs)) == SQLITE_ROW) {
		gw_hit_qty *q;

		gw_grow((void **)&h->qs, &cap, h->nqs + 1, sizeof *h->qs);
		q = &h->qs[h->nqs++];
		q->id = col_dup(qs, 0);
		q->text = col_dup(qs, 1);
		q->has_value = sqlite3_column_type(qs, 2) != SQLITE_NULL;
		q->value = sqlite3_column_double(qs, 2);
		q->has_min = sqlite3_column_type(qs, 3) != SQLITE_NULL;
		q->min = sqlite3_column_double(qs, 3);
		q->has_max = sqlite3_column_type(qs, 4) != SQLITE_NULL;
		q->max = sqlite3_column_double(qs, 4);
		q->unit = col_dup(qs, 5);
		q->comparator = col_dup(qs, 6);
		q->kind = col_dup(qs, 7);
		q->subject = col_dup(qs, 8);
		q->verb = col_dup(qs, 9);
	}
	return rc == SQLITE_DONE ? 0 : -1;
}

static void
hit_fill(sqlite3_stmt *st, gw_hit *h)
{
	h->doc_id = col(st, 1);
	h->title = col(st, 2);
	h->doc_number = col(st, 3);
	h->issuer = col(st, 4);
	h->doc_type = col(st, 5);
	h->date = col(st, 6);
	h->part = sqlite3_column_int(st, 7);
	h->node_id = col(st, 8);
	h->path = col(st, 9) ? col(st, 9) : "";
	h->sentence = col(st, 10);
	h->marked = col(st, 11);
	h->start = sqlite3_column_int(st, 12);
	h->end = sqlite3_column_int(st, 13);
	h->source_path = col(st, 15);
	h->status = col(st, 16);
	h->nhits = sqlite3_column_int(st, 17);
}

/* The documents identical to the hit's (copy_of it): their ids and source paths. */
static int
hit_copies(gw_archive *a, sqlite3_int64 doc, gw_hit *h)
{
	sqlite3_stmt *cp = stmt(a, ST_COPIES);
	size_t cap = 0;
	int rc;

	if (cp == NULL)
		return -1;
	sqlite3_bind_int64(cp, 1, doc);
	while ((rc = sqlite3_step(cp)) == SQLITE_ROW) {
		gw_grow((void **)&h->copies, &cap, 2 * h->ncopies + 2, sizeof *h->copies);
		h->copies[2 * h->ncopies] = col_dup(cp, 0);
		h->copies[2 * h->ncopies++ + 1] = col_dup(cp, 1);
	}
	sqlite3_reset(cp);
	return rc == SQLITE_DONE ? 0 : -1;
}

static void
hit_free(gw_hit *h)
{
	hit_qty_free(h);
	for (size_t i = 0; i < 2 * h->ncopies; i++)
		free((char *)h->copies[i]);
	free(h->copies);
}

/* Step through the hits, calling fn on each; the number of hits, or -1.  qs: NULL for
 * documents. */
static long
search_loop(gw_archive *a, sqlite3_stmt *st, sqlite3_stmt *qs, gw_hit_fn fn, void *ctx)
{
	long n = 0;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		gw_hit h = {0};
		int stop;

		hit_fill(st, &h);
		if ((qs && hit_quantities(qs, sqlite3_column_int64(st, 0), &h) < 0) ||
		    hit_copies(a, sqlite3_column_int64(st, 14), &h) < 0) {
			hit_free(&h);
			return -1;
		}
		n++;
		stop = fn(ctx, &h);
		hit_free(&h);
		a->deadline = clock() + a->step;
		if (stop)
			break;
	}
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : -1;
}

static void
qtext_free(qtext *t)
{
	gw_buf_free(&t->fts);
	gw_buf_free(&t->check);
	gw_buf_free(&t->needles);
}

/* q's text query into t: 1, 0 when there is none, or -1 with a message.  FTS5 reads the
 * candidates' query first (a NULL: not), so that its syntax errors are reported as FTS5 words
 * them. */
static int
text_query(gw_archive *a, const gw_query *q, qtext *t, gw_buf *err)
{
	gw_buf e = GW_BUF_INIT;
	sqlite3_stmt *st = NULL;
	int rc;

	if (!has_text(q))
		return 0;
	/* over a limit, the query is not written back in full */
	if (check_limits(q->text, err) < 0)
		return -1;
	if (q->raw) {
		gw_buf_puts(&t->fts, q->text);
		gw_buf_puts(&t->check, "");
		gw_buf_puts(&t->needles, "");
	} else if (gw_archive_fts_query(q->text, &t->fts, &t->check, &t->needles, &e) < 0) {
		gw_buf_printf(err, "bad query '%s': %s", q->text, e.ptr);
		gw_buf_free(&e);
		return -1;
	}
	if (a == NULL)
		return 1;
	rc = sqlite3_prepare_v2(a->db,
	                        "SELECT 1 FROM sentences_fts WHERE sentences_fts MATCH ?1"
	                        " AND rowid = 0",
	                        -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, t->fts.ptr, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_ROW ? SQLITE_ROW : sqlite3_errcode(a->db);
	}
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		gw_buf_printf(err, "bad query '%s': %s", q->text, sqlite3_errmsg(a->db));
	sqlite3_finalize(st);
	return err->len ? -1 : 1;
}

void
gw_archive_search_sql(const gw_query *q, gw_buf *sql)
{
	qsql s = {GW_BUF_INIT, {{0}}, 0};
	qtext t = {GW_BUF_INIT, GW_BUF_INIT, GW_BUF_INIT};
	gw_buf err = GW_BUF_INIT;

	build_sql(q, text_query(NULL, q, &t, &err) > 0 ? &t : NULL, &s);
	gw_buf_puts(sql, s.sql.ptr);
	gw_buf_free(&s.sql);
	gw_buf_free(&err);
	qtext_free(&t);
}

/* SQLite's progress handler: a non-zero return interrupts the query past its deadline (CPU
 * time, as the bench measures queries), which each hit moves on: --limit 0 may list for long. */
static int
past_deadline(void *archive)
{
	gw_archive *a = archive;

	return clock() > a->deadline;
}

static void
search_error(gw_archive *a, const gw_query *q, long max_ms, gw_buf *err)
{
	const char *m = sqlite3_errmsg(a->db);

	if (sqlite3_errcode(a->db) == SQLITE_INTERRUPT)
		gw_buf_printf(err, "the query '%s' ran for more than %ld ms and was stopped: give more "
		              "words or a filter", q->text ? q->text : "", max_ms);
	else if (strncmp(m, "fts5:", 5) == 0 || strstr(m, "MATCH") || strstr(m, "no such column") ||
	         strstr(m, "syntax error") || strstr(m, "incomplete input"))
		gw_buf_printf(err, "bad query '%s': %s", q->text, m);
	else
		db_error(a->db, err, a->path);
}

long
gw_archive_search(gw_archive *a, const gw_query *q, gw_hit_fn fn, void *ctx, gw_buf *err)
{
	qsql s = {GW_BUF_INIT, {{0}}, 0}, qq = {GW_BUF_INIT, {{0}}, 0};
	qtext t = {GW_BUF_INIT, GW_BUF_INIT, GW_BUF_INIT};
	sqlite3_stmt *st = NULL, *qs = NULL;
	long n = -1, max_ms = q->max_ms ? q->max_ms : GW_QUERY_MAX_MS;
	int text = text_query(a, q, &t, err);

	if (text < 0)
		goto done;
	build_sql(q, text ? &t : NULL, &s);
	gw_buf_puts(&qq.sql, "SELECT q.qty_id, q.text, q.value, q.min, q.max, q.unit, q.comparator,"
	                     " q.kind, q.subject, q.verb FROM quantities q WHERE q.sentence = ?");
	quantity_filters(q, &qq);
	gw_buf_puts(&qq.sql, " ORDER BY q.start_cp");
	a->step = (clock_t)((double)max_ms * CLOCKS_PER_SEC / 1000);
	a->deadline = clock() + a->step;
	sqlite3_progress_handler(a->db, 100, past_deadline, a);
	if (prepare(a->db, &s, &st, 1) < 0 || (!q->documents && prepare(a->db, &qq, &qs, 2) < 0) ||
	    (n = search_loop(a, st, qs, fn, ctx)) < 0) {
		search_error(a, q, max_ms, err);
		n = -1;
	}
	sqlite3_progress_handler(a->db, 0, NULL, NULL);
done:
	sqlite3_finalize(st);
	sqlite3_finalize(qs);
	gw_buf_free(&s.sql);
	gw_buf_free(&qq.sql);
	qtext_free(&t);
	return n;
}

static const char *const count_sql[GW_NCOUNT][2] = {
	[GW_COUNT_ISSUER] = {"d.issuer", NULL},
	[GW_COUNT_YEAR] = {"substr(d.date, 1, 4)", NULL},
	[GW_COUNT_DOC_TYPE] = {"d.doc_type", NULL},
	[GW_COUNT_KIND] = {"k.kind", " JOIN quantities k ON k.sentence = s.id"},
};
static const char *const count_names[GW_NCOUNT] = {"issuer", "year", "doc_type", "kind"};

const char *
gw_count_by_name(int by)
{
	return by >= 0 && by < GW_NCOUNT ? count_names[by] : "?";
}

int
gw_count_by_from_name(const char *name)
{
	for (int i = 0; i < GW_NCOUNT; i++)
		if (strcmp(name, count_names[i]) == 0)
			return i;
	return -1;
}

long
gw_archive_count(gw_archive *a, const gw_query *q, int by, gw_count_fn fn, void *ctx, gw_buf *err)
{
	qsql s = {GW_BUF_INIT, {{0}}, 0};
	qtext t = {GW_BUF_INIT, GW_BUF_INIT, GW_BUF_INIT};
	sqlite3_stmt *st = NULL;
	long n = -1;
	int rc = SQLITE_ERROR, text = text_query(a, q, &t, err);

	if (text < 0)
		goto done;
	gw_buf_printf(&s.sql, "SELECT %s, count(DISTINCT d.id)", count_sql[by][0]);
	hits_from(q, text ? &t : NULL, 0, 0, count_sql[by][1], &s);
	gw_buf_puts(&s.sql, " GROUP BY 1 ORDER BY 2 DESC, 1");
	if (prepare(a->db, &s, &st, 1) == 0)
		for (n = 0; (rc = sqlite3_step(st)) == SQLITE_ROW && !fn(ctx, col(st, 0), sqlite3_column_int(st, 1));)
			n++;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		search_error(a, q, GW_QUERY_MAX_MS, err);
		n = -1;
	}
done:
	sqlite3_finalize(st);
	gw_buf_free(&s.sql);
	qtext_free(&t);
	return n;
}

/* ---------------------------------------------------------------- OpenSearch bulk */

static json_t *
bulk_date(const char *s)
{
	return gw_date_ok(s, true) ? json_string(s) : json_null();
}

/* A path as the cluster may see it: never an absolute path of the indexing machine (its file
 * name then); a relative one as given. */
static const char *
bulk_path(const char *p)
{
	return p && p[0] == '/' ? strrchr(p, '/') + 1 : p;
}

static json_t *
bulk_nodes(gw_doc *d)
{
	json_t *a = json_array();

	for (size_t k = 0; k < d->nnodes; k++) {
		const gw_node *n = &d->nodes[k];
		char *path = gw_archive_node_path(d, (int)k), *text = node_own_text(d, (int)k);

		json_array_append_new(a, json_pack("{s:o,s:i,s:o,s:s,s:o,s:I,s:o,s:o}", "node_id",
		                                   gw_json_string(n->id), "part", n->part, "path", gw_json_string(path),
		                                   "kind", gw_kind_name(n->kind), "num", gw_json_string(n->num),
		                                   "ordinal", (json_int_t)n->ordinal, "heading",
		                                   gw_json_string(n->heading), "text", gw_json_string(text)));
		free(path), free(text);
	}
	return a;
}

static json_t *
bulk_quantity(gw_doc *d, const gw_quantity *q, const gw_span *sv, size_t ns)
{
	long s = q->span.start >= 0 ? sentence_at(sv, ns, q->span.start) : -1;
	bool has_node = q->node >= 0 && (size_t)q->node < d->nnodes;
	char *path = has_node ? gw_archive_node_path(d, q->node) : gw_xstrdup("");
	char *sent = s >= 0 ? span_text(d, sv[s].start, sv[s].end) : NULL;
	json_t *o = json_pack(
	    "{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:s,s:o,s:o}", "qty_id", gw_json_string(q->id),
	    "node_id", gw_json_string(has_node ? d->nodes[q->node].id : NULL), "path",
	    gw_json_string(path), "text", gw_json_string(q->text), "sentence", gw_json_string(sent),
	    "value", gw_json_number(q->has_value, q->value), "min", gw_json_number(q->has_min, q->min),
	    "max", gw_json_number(q->has_max, q->max), "unit", gw_json_string(q->unit), "comparator",
	    gw_cmp_name(q->cmp), "kind", gw_qkind_name(q->kind), "subject", gw_json_string(q->subject),
	    "verb", gw_json_string(q->verb));

	free(path), free(sent);
	return o;
}

void
gw_archive_bulk_write(gw_doc *d, const char *index, gw_buf *out)
{
	const gw_header *h = &d->header;
	json_t *act = json_pack("{s:{s:s,s:s}}", "index", "_index", index, "_id", d->id);
	json_t *doc, *qs = json_array();
	gw_span *sv = NULL;
	size_t ns = gw_archive_sentences(d, &sv);

	for (size_t i = 0; i < d->nqs; i++)
		json_array_append_new(qs, bulk_quantity(d, &d->qs[i], sv, ns));
	doc = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "id", gw_json_string(d->id),
	                "title", gw_json_string(h->f[GW_H_TITLE].text), "issuer",
	                gw_json_string(h->f[GW_H_ISSUER].text), "doc_number", gw_json_string(doc_number(d)),
	                "doc_type", gw_json_string(h->f[GW_H_DOC_TYPE].text), "date", bulk_date(doc_date(d)),
	                "pub_date", bulk_date(meta(d, "发布日期", "date")), "status",
	                gw_json_string(meta(d, "状态", "status")), "sha256",
	                gw_json_string(d->src_sha256[0] ? d->src_sha256 : NULL), "source_path",
	                gw_json_string(bulk_path(d->src_path)), "is_notice",
	                d->is_notice < 0 ? json_null() : json_boolean(d->is_notice), "text",
	                gw_json_string(d->text ? d->text : ""), "nodes", bulk_nodes(d), "quantities", qs);
	for (int i = 0; i < 2; i++) { /* the action, then the document */
		char *s = json_dumps(i ? doc : act, JSON_COMPACT);

		gw_buf_puts(out, s);
		gw_buf_putc(out, '\n');
		free(s);
	}
	json_decref(act);
	json_decref(doc);
	free(sv);
}
