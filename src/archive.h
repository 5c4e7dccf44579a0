/* archive.h — the searchable archive: gongwen records in SQLite with FTS5 (gw-index, gw-search). */
#ifndef GW_ARCHIVE_H
#define GW_ARCHIVE_H

#include "gongwen.h"

struct sqlite3;

/* The archive's own schema: application_id "gwar" and this user_version.  A database with
 * another application_id is foreign; with another version, gw-index refuses to touch it. */
#define GW_ARCHIVE_APP_ID 0x67776172
#define GW_ARCHIVE_VERSION 3
/* The FTS5 tokenizer name (fts_icu.c): tokenize='gongwen' */
#define GW_FTS_TOKENIZER "gongwen"
/* Sentences longer than this (code points) are cut, so one flattened table is not one hit. */
#define GW_ARCHIVE_SENTENCE_MAX 400

/* Register the "gongwen" FTS5 tokenizer (pairs of characters folded to NFKC_Casefold) and the SQL
 * functions that check its candidates against the sentence text: gw_has(text, needle) (1 when
 * the folded text holds the folded needle), gw_rank(text, needles[, whole words 0]) and
 * gw_mark(text, needles) (needles folded, each ended by GW_NEEDLE_END); an SQLite result code. */
int gw_fts_icu_register(struct sqlite3 *db);
#define GW_NEEDLE_END '\x1F'
/* s[0..n) folded as the tokenizer and gw_has fold it (per code point, NFKC_Casefold) into out. */
void gw_fold(const char *s, size_t n, gw_buf *out);

typedef struct gw_archive gw_archive;

enum { GW_ARCHIVE_READ = 0, GW_ARCHIVE_WRITE = 1 };

/* Open the archive at path (memory-mapped when reading); with GW_ARCHIVE_WRITE, create it (WAL
 * mode) when the file is missing or empty.  NULL with a message in err when the file is not an
 * SQLite database, is another program's database, has another schema version, or is corrupt. */
gw_archive *gw_archive_open(const char *path, int mode, gw_buf *err);
void gw_archive_close(gw_archive *a);
/* The SQLite connection (for tests and tools). */
struct sqlite3 *gw_archive_db(gw_archive *a);

/* Batches: documents put between begin and commit become visible together; a run stopped in
 * between leaves the archive as it was at the last commit.  0, or -1 with a message. */
int gw_archive_begin(gw_archive *a, gw_buf *err);
int gw_archive_commit(gw_archive *a, gw_buf *err);
void gw_archive_rollback(gw_archive *a);

enum gw_put {
	GW_PUT_ADDED,     /* a new id */
	GW_PUT_REPLACED,  /* the id was there with another source sha256 or another record */
	GW_PUT_UNCHANGED, /* the same id, source sha256 and record: nothing written */
	GW_PUT_ERROR = -1 /* a database error: message in err; the batch should be rolled back */
};
/* Index one document (not an error record) as a unit: its old rows, if any, are replaced.
 * rec[0..len) is the record d was read from, whose sha256 tells a changed record from the same
 * one; NULL: d as gw_json_write writes it (slower: a fifth of the indexing time). */
enum gw_put gw_archive_put(gw_archive *a, gw_doc *d, const char *rec, size_t len, gw_buf *err);
/* Remove a document by id: 1 removed, 0 not there, -1 error. */
int gw_archive_remove(gw_archive *a, const char *id, gw_buf *err);

/* Documents without a date (no 成文日期, 印发日期 or 发布日期): a date filter leaves them out. */
long gw_archive_undated(gw_archive *a);

/* ---------------------------------------------------------------- search */

typedef struct gw_query {
	const char *text;     /* the full-text query (NULL: none), in the simple syntax below */
	int raw;              /* text is FTS5 query syntax, passed as is */
	const char *issuer;   /* the issuer contains this */
	const char *doc_type; /* exactly this 文种 */
	const char *from, *to; /* date range, YYYY[-MM[-DD]], inclusive */
	int kind;             /* enum gw_qkind, or -1 */
	const char *unit;
	bool has_min, has_max; /* a quantity's value (or range) reaches into [min, max] */
	double min, max;
	const char *doc_number; /* the 发文字号 contains this */
	const char *status;   /* exactly this 状态 (front matter): 有效, 失效 */
	bool documents;       /* one hit per document (gw_hit.nhits), not per sentence */
	long limit;           /* 0: all */
	long max_ms;          /* stop the query after this long without a hit, CPU time (0: GW_QUERY_MAX_MS; < 0: at once) */
} gw_query;

/* True when q restricts quantities: hits are then sentences holding such a quantity. */
bool gw_query_has_quantity_filter(const gw_query *q);

typedef struct gw_hit_qty {
	const char *id, *text, *unit, *comparator, *kind, *subject, *verb;
	bool has_value, has_min, has_max;
	double value, min, max;
} gw_hit_qty;

/* One hit: a sentence, where it is, and its quantities (those that pass the filters). */
typedef struct gw_hit {
	const char *doc_id, *title, *doc_number, *issuer, *doc_type, *date;
	int part;            /* 0 the notice, k attachment k */
	const char *node_id; /* NULL: outside every numbered unit */
	const char *path;    /* 五/16; "" outside every unit */
	const char *sentence;
	const char *marked;  /* the sentence with each match between GW_MARK_OPEN and GW_MARK_CLOSE */
	int32_t start, end;  /* the sentence's span in the document's text */
	gw_hit_qty *qs;
	size_t nqs;
	const char *source_path, *status;
	long nhits;          /* with gw_query.documents: the document's matching sentences */
	const char **copies; /* doc id, source path, doc id, …: the identical documents (sha256) */
	size_t ncopies;      /* pairs in copies */
} gw_hit;
#define GW_MARK_OPEN '\x02'
#define GW_MARK_CLOSE '\x03'

typedef int (*gw_hit_fn)(void *ctx, const gw_hit *h);
/* Run q; fn is called for each hit in order (gw_rank with a text query, among the GW_RANK_CAP
 * last indexed matches; else newest document first); a non-zero return stops.  Returns the number
 * of hits, or -1 with a message in err (a bad query, a corrupt archive). */
long gw_archive_search(gw_archive *a, const gw_query *q, gw_hit_fn fn, void *ctx, gw_buf *err);

/* --count-by: the number of documents with hits for each issuer, year (of the date), 文种 or
 * quantity kind, most first. */
enum gw_count_by { GW_COUNT_ISSUER, GW_COUNT_YEAR, GW_COUNT_DOC_TYPE, GW_COUNT_KIND, GW_NCOUNT };
int gw_count_by_from_name(const char *name); /* -1: none of issuer year doc_type kind */
const char *gw_count_by_name(int by);
typedef int (*gw_count_fn)(void *ctx, const char *key, long n); /* key NULL: none; non-zero stops */
/* The number of keys, or -1 with a message in err. */
long gw_archive_count(gw_archive *a, const gw_query *q, int by, gw_count_fn fn, void *ctx, gw_buf *err);

/* The simple query syntax: words and "phrases" (a word is found wherever its characters stand
 * in a row, 政府 in 人民政府; word* is word), AND OR NOT, -word (NOT), and parentheses (a group
 * next to a word is ANDed).  Into fts the FTS5 query of the candidates (each word the AND of its
 * characters, quoted, so PM2.5 or 5G need no quotes; what NOT leaves out is not there), into
 * check the SQL expression that holds for a candidate's text s.text when it matches (each word
 * gw_has(s.text, 'word')), into needles the words to rank and mark (folded, each ended by
 * GW_NEEDLE_END).  0, or -1 with a message.  gw_archive_search refuses a query of over
 * GW_QUERY_MAX_CHARS code points or GW_QUERY_MAX_TERMS words, and stops one that runs for
 * max_ms without a hit. */
int gw_archive_fts_query(const char *text, gw_buf *fts, gw_buf *check, gw_buf *needles,
                         gw_buf *err);
#define GW_QUERY_MAX_CHARS 200
#define GW_QUERY_MAX_TERMS 24
/* A query with a limit ranks only its last GW_RANK_CAP matches (or limit, if more), in the
 * order they were indexed, not every match of a common word. */
#define GW_RANK_CAP 1000
/* A query is stopped after this long (ms of CPU) without a hit (gw_query.max_ms 0) */
#define GW_QUERY_MAX_MS 10000
/* The SQL gw_archive_search runs for q (parameters bound in order of appearance). */
void gw_archive_search_sql(const gw_query *q, gw_buf *sql);

/* ---------------------------------------------------------------- what is indexed */

/* A node's path: each ancestor's number without its trailing 、 or .: "五/16", "第三章/第十条",
 * "二/（三）/2".  Caller frees. */
char *gw_archive_node_path(const gw_doc *d, int node);
/* The sentences of d's text: cut after 。！？；!?; (with closing quotes and brackets), at line
 * ends, where a numbered unit starts, and at GW_ARCHIVE_SENTENCE_MAX; trimmed; never empty.
 * Returns their number; *out (caller frees) their spans. */
size_t gw_archive_sentences(gw_doc *d, gw_span **out);

/* ---------------------------------------------------------------- OpenSearch / Elasticsearch */

/* Append d as one _bulk action pair (index action line, then the document line) for index,
 * matching schema/opensearch-mapping.json. */
void gw_archive_bulk_write(gw_doc *d, const char *index, gw_buf *out);

#endif
