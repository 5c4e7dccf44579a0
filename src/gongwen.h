/* gongwen.h — the one document model shared by every stage, and the library's entry points. */
#ifndef GONGWEN_H
#define GONGWEN_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define GW_VERSION "0.1.0"
/* The "schema" field of every record and output file; bump on incompatible change. */
#define GW_SCHEMA "gongwen/1"

/* ---------------------------------------------------------------- memory */

/* Out of memory is not an error path: these report and exit(3). */
void *gw_xmalloc(size_t n);
void *gw_xcalloc(size_t n, size_t size);
void *gw_xrealloc(void *p, size_t n);
char *gw_xstrdup(const char *s);
char *gw_xstrndup(const char *s, size_t n);
/* Grow *arr (of elements of size elsz) so that it holds at least need elements. */
void gw_grow(void **arr, size_t *cap, size_t need, size_t elsz);

/* One growable byte buffer.  ptr is always NUL-terminated once anything was put. */
typedef struct gw_buf {
	char *ptr;
	size_t len, cap;
} gw_buf;

#define GW_BUF_INIT {NULL, 0, 0}
void gw_buf_put(gw_buf *b, const void *p, size_t n);
void gw_buf_puts(gw_buf *b, const char *s);
void gw_buf_putc(gw_buf *b, int c);
void gw_buf_printf(gw_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void gw_buf_vprintf(gw_buf *b, const char *fmt, va_list ap);
/* Append v: an integer as an integer (11000000), else the shortest decimal that reads back as v. */
void gw_buf_put_number(gw_buf *b, double v);
/* Append one code point as UTF-8. */
void gw_buf_put_cp(gw_buf *b, uint32_t cp);
/* Make room for n more bytes at once (a writer that knows about how much it will put). */
void gw_buf_reserve(gw_buf *b, size_t n);
/* Append an integer in decimal, without printf (the writers' hot path). */
void gw_buf_put_int(gw_buf *b, long long v);
void gw_buf_reset(gw_buf *b);
/* Hand the bytes over to the caller (who frees them); b is empty after. */
char *gw_buf_detach(gw_buf *b);
void gw_buf_free(gw_buf *b);

/* ---------------------------------------------------------------- UTF-8 */

/* Decode one code point at s[0..n); returns its length (1..4), or 0 with *cp = 0xFFFD
 * for an invalid sequence (then skip one byte).  Never reads past n. */
int gw_utf8_decode(const char *s, size_t n, uint32_t *cp);
size_t gw_utf8_count(const char *s, size_t n); /* code points in valid UTF-8 */

/* ---------------------------------------------------------------- diagnostics */

enum gw_level { GW_NOTE, GW_WARNING, GW_ERROR, GW_FATAL };

/* The catalogue (diag.c): each code has a name, a fixed level and a message. */
enum gw_code {
	/* reading and decoding (gw-normalize) */
	GW_E_READ = 1,      /* cannot read the file (codes start at 1: gw_doc.error 0 is "none") */
	GW_E_NOT_FILE,      /* a directory or other non-regular file */
	GW_E_EMPTY,         /* empty file */
	GW_E_BINARY,        /* NUL bytes: a binary file */
	GW_E_UNDECODABLE,   /* mostly undecodable in every candidate encoding */
	GW_E_TOO_LARGE,     /* over the document size limit */
	GW_W_INVALID_BYTES, /* invalid byte sequence replaced by U+FFFD */
	GW_W_MIXED_ENCODING,
	GW_W_CONTROL_CHARS, /* control characters removed */
	GW_W_LINE_TOO_LONG,
	/* the record stream */
	GW_E_BAD_RECORD,    /* a JSON Lines record that cannot be used */
	GW_E_TRUNCATED,     /* a last line without its newline that does not parse */
	/* rules */
	GW_E_RULE_LIMIT,    /* a rule hit the PCRE2 match or depth limit */
	GW_E_LIMIT,         /* a document went over a structural limit */
	/* segment: header (GB/T 9704-2012 clause 7.2) */
	GW_W_DOCNUM_BRACKET,    /* 7.2.4: year in 〔〕, not [] () （） */
	GW_W_DOCNUM_PADDED,     /* 7.2.4: serial not zero-padded */
	GW_W_DOCNUM_DI,         /* 7.2.4: no 第 before the serial */
	GW_W_DOCNUM_SPLIT,      /* 发文字号 split over lines */
	GW_W_DATE_NOT_ARABIC,   /* 7.3.5.1: 成文日期 in Arabic numerals */
	/* segment: structure (GB/T 9704-2012 clause 7.3.3) */
	GW_W_ORDINAL_SKIPPED,
	GW_W_ORDINAL_REPEATED,
	/* extract */
	GW_W_NUMBER_TOO_LONG,
	/* emit (added by the gw-emit helper) */
	GW_E_WRITE,         /* an output file cannot be written */
	GW_E_INVALID,       /* the document breaks an invariant the writers rely on (gw_doc_validate) */
	/* about the run, not a document (exit status 2, or 1 for the two gw-index ones) */
	GW_E_USAGE,         /* options or operands that do not go together */
	GW_E_OPTION,        /* an unknown option */
	GW_E_OPTION_VALUE,  /* an option's value is missing or wrong */
	GW_E_RULES,         /* the rules folder does not load */
	GW_E_SYSTEM,        /* the program cannot start: ICU, threads */
	GW_E_ARCHIVE,       /* gw-index, gw-search: the archive cannot be opened or written */
	GW_E_SEARCH,        /* gw-search: a query that cannot be run */
	GW_E_NOT_INDEXED,   /* gw-index: an error record is not indexed */
	GW_E_NO_DOCUMENT,   /* gw-index --remove: no such id */
	GW_N_UNDATED,       /* gw-search --from/--to: documents without a date are left out */
	GW_E_COUNTS,        /* gw-merge: documents in != written + failed + skipped */
	GW_F_MEMORY,        /* out of memory (exit status 3) */
	/* a rule file that does not load (issue 11: typed rules, rules/README.md) */
	GW_E_RULE_ATTR,     /* an attribute the rule's family does not take */
	GW_E_RULE_KEY,      /* a key one or two letters from a known one: socpe for scope */
	GW_E_RULE_VALUE,    /* a value the attribute does not allow: heading inlnie */
	GW_E_RULE_MISSING,  /* an attribute the rule's family needs */
	/* issue 16, appended so that the codes above keep their numbers */
	GW_E_NUL_PATH,      /* a path line on stdin holds a NUL: find -print0 output without -0 */
	GW_W_NO_TEXT_FILES, /* gongwen: a folder operand holds no text file */
	GW_E_NOT_TEXT,      /* a PDF, DOCX/ZIP, DOC (OLE) or HTML file, known by its first bytes */
	GW_NCODES
};

const char *gw_code_name(enum gw_code c);
enum gw_level gw_code_level(enum gw_code c);
const char *gw_code_message(enum gw_code c);
const char *gw_level_name(enum gw_level l);
/* The gw_stage bit of the stage that emits c (a warning kept in the record); 0 for none. */
unsigned gw_code_stage(enum gw_code c);
/* Look a code up by its name; -1 when unknown. */
int gw_code_from_name(const char *name);
/* Print "prog: file:line:col: LEVEL: message[: detail]" on fp.  line/col 0 are left out. */
void gw_diag_print(FILE *fp, const char *prog, const char *file, long line, long col,
                   enum gw_code c, const char *detail);
/* The program every message names (gw_opts_parse sets it; "gongwen" until then). */
void gw_set_prog(const char *prog);
const char *gw_prog(void);
/* A message of the catalogue on stderr: "prog: file:line:1: LEVEL: message: detail"; file NULL
 * for one about the whole run, line 0 for none, fmt NULL or "" for no detail. */
void gw_msg(const char *file, long line, enum gw_code c, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---------------------------------------------------------------- the document */

/* [start, end) in code points of the normalised text; start < 0: none. */
typedef struct gw_span {
	int32_t start, end;
} gw_span;
#define GW_NOSPAN ((gw_span){-1, -1})

/* One run of the offset map: code points cp, cp+1, … each came from `width` source bytes
 * starting at src, on source line `line` (1-based) from column `col` (1-based, in source
 * characters).  Runs are sorted by cp; a code point past a run's end before the next run
 * starts does not exist (runs cover every code point of the text). */
typedef struct gw_run {
	uint32_t cp, src, width, line, col;
} gw_run;

enum gw_kind {
	GW_PART,    /* 第X部分, 第X篇 */
	GW_CHAPTER, /* 第X章 */
	GW_SECTION, /* 第X节 */
	GW_ARTICLE, /* 第X条 */
	GW_LEVEL1,  /* 一、 */
	GW_LEVEL2,  /* （一） */
	GW_LEVEL3,  /* 1. 1． 1、 */
	GW_LEVEL4,  /* （1） */
	GW_LEVEL5,  /* ① */
	GW_OUTLINE, /* 1.1, 4.2.2 */
	GW_NKINDS
};
const char *gw_kind_name(enum gw_kind k); /* "level1" … */
int gw_kind_from_name(const char *name);  /* -1 when unknown */
/* The Akoma Ntoso element and eId prefix of each kind (see README). */
const char *gw_kind_akn_element(enum gw_kind k);
const char *gw_kind_akn_prefix(enum gw_kind k);

typedef struct gw_node {
	enum gw_kind kind;
	char *id;      /* unique in the document, AKN eId style: sec_5__point_16 */
	char *num;     /* the number as written: "（一）", "16.", "第五条" */
	long ordinal;  /* 十一 → 11 */
	char *heading; /* NULL when the unit has no heading */
	gw_span span;  /* the whole unit, from its number to the start of the next unit */
	gw_span heading_span;
	int part;      /* 0: the notice body; k > 0: attachment k */
	int parent, first_child, last_child, next_sibling; /* indices in doc->nodes; -1: none */
} gw_node;

enum gw_cmp { GW_CMP_EQ, GW_CMP_GE, GW_CMP_GT, GW_CMP_LE, GW_CMP_LT, GW_CMP_APPROX, GW_CMP_RANGE };
const char *gw_cmp_name(enum gw_cmp c); /* "eq" "ge" "gt" "le" "lt" "approx" "range" */
int gw_cmp_from_name(const char *name);

enum gw_qkind { GW_Q_TARGET, GW_Q_FACT, GW_Q_OTHER };
const char *gw_qkind_name(enum gw_qkind k); /* "target" "fact" "other" */
int gw_qkind_from_name(const char *name);

typedef struct gw_quantity {
	char *id;   /* eId style: sec_5__point_16__qty_1 */
	int node;   /* innermost node containing it (index in doc->nodes), -1: none */
	char *text; /* as written in the normalised text */
	gw_span span;
	bool has_value, has_min, has_max;
	double value, min, max;
	char *unit; /* 套 % 百分点 元 …, without the scale word */
	enum gw_cmp cmp;
	enum gw_qkind kind;
	char *subject; /* NULL when none */
	char *verb;    /* NULL when none */
	char *rule;    /* id of the rule that found it */
} gw_quantity;

/* A candidate the extractor looked at and turned down, kept so users can audit it. */
typedef struct gw_rejected {
	char *text;
	gw_span span;
	char *reason; /* "date", "ordinal", "designator", … */
	char *rule;
} gw_rejected;

/* Header elements: GB/T 9704-2012 clause 7 and 党政机关公文处理工作条例 第九条.  The one list of
 * them, in the model's order (the JSON "spans" and the XML <gw:field>s follow it): the model,
 * the JSON writer and reader and the XML writer take their fields from here, so that a new
 * element is one line (and its keys in schema/gongwen-1.schema.json: emit-schema checks).  The
 * columns:
 *   name   the JSON key of its text and of its span, the name of its <gw:field>
 *   kind   TEXT: the text alone; NUMBER: the key holds {text, agency_code, year, serial};
 *          LIST: header.<name> is the list split from the line, the line's text is "<name>_text";
 *          DATE: header.<name> is the date in ISO 8601, the text as written is "<name>_text"
 *   lead   n > 0: the nth key of the JSON header (the keys score.py and downstream systems read
 *          first); 0: after those, in this order
 *   akn    the Akoma Ntoso element it becomes inline; alias: the name="" of an <inline>
 *   nest   of equal spans, the lower nest is the outer element (issuer mark around issuer,
 *          title around doc type)
 *   region PRE: one that ends before the first numbered unit may end the preface; CON: one that
 *          starts after the last numbered unit may start the conclusions
 *   label  its name in GB/T 9704 (the HTML page's card) */
// clang-format off
#define GW_HFIELDS(X) \
	/* X(id, name, kind, lead, akn, alias, nest, region, label) */ \
	X(COPY_NO,         copy_no,         TEXT,   0, "inline",       "copyNo",         0, PRE, "份号") \
	X(SECRECY,         secrecy,         TEXT,   0, "inline",       "secrecy",        0, PRE, "密级和保密期限") \
	X(URGENCY,         urgency,         TEXT,   0, "inline",       "urgency",        0, PRE, "紧急程度") \
	X(ISSUER_MARK,     issuer_mark,     TEXT,   0, "inline",       "issuerMark",     0, PRE, "发文机关标志") \
	X(DOC_NUMBER,      doc_number,      NUMBER, 2, "docNumber",    NULL,             0, PRE, "发文字号") \
	X(SIGNER,          signer,          TEXT,   0, "inline",       "signer",         0, PRE, "签发人") \
	X(TITLE,           title,           TEXT,   3, "docTitle",     NULL,             0, PRE, "标题") \
	X(DOC_TYPE,        doc_type,        TEXT,   4, "docType",      NULL,             2, NONE, "文种") \
	X(ADDRESSEES,      addressees,      LIST,   5, "inline",       "addressees",     0, PRE, "主送机关") \
	X(ATTACHMENT_NOTE, attachment_note, TEXT,   0, "inline",       "attachmentNote", 0, NONE, "附件说明") \
	X(SIGNATURE,       signature,       TEXT,   0, "signature",    NULL,             0, CON, "发文机关署名") \
	X(DATE,            date,            DATE,   6, "docDate",      NULL,             0, CON, "成文日期") \
	X(NOTE,            note,            TEXT,   0, "inline",       "note",           0, NONE, "附注") \
	X(CC,              cc,              LIST,   0, "inline",       "cc",             0, NONE, "抄送机关") \
	X(PRINTER,         printer,         TEXT,   0, "inline",       "printer",        0, NONE, "印发机关") \
	X(PRINT_DATE,      print_date,      DATE,   0, "inline",       "printDate",      0, NONE, "印发日期") \
	X(ISSUER,          issuer,          TEXT,   1, "docProponent", NULL,             1, NONE, "发文机关") /* from the mark, signature or title */
// clang-format on

enum gw_hkind { GW_HK_TEXT, GW_HK_NUMBER, GW_HK_LIST, GW_HK_DATE };
#define GW_HFIELD_ENUM(id, ...) GW_H_##id,
enum gw_hfield { GW_HFIELDS(GW_HFIELD_ENUM) GW_NHFIELDS };
#undef GW_HFIELD_ENUM
const char *gw_hfield_name(enum gw_hfield f); /* JSON key: "copy_no" … */

typedef struct gw_field {
	char *text; /* NULL when absent */
	gw_span span;
} gw_field;

typedef struct gw_strlist {
	char **items;
	gw_span *spans;
	size_t n, cap;
} gw_strlist;
void gw_strlist_add(gw_strlist *l, const char *s, size_t n, gw_span span);
void gw_strlist_free(gw_strlist *l);

typedef struct gw_header {
	gw_field f[GW_NHFIELDS];
	char *agency_code; /* 发文字号 parts: 青府办发 */
	int year;          /* 2022; 0 when none */
	char *serial;      /* "12" as written (kept as text: 〔2022〕012号 keeps its zeros) */
	char *date;        /* ISO 8601 成文日期, NULL when none */
	char *print_date;  /* ISO 8601 印发日期 */
	gw_strlist addressees, cc;
} gw_header;

typedef struct gw_attachment {
	char *title;
	gw_span title_span;
	gw_span span; /* the attached document's text */
} gw_attachment;

typedef struct gw_kv {
	char *key, *value;
} gw_kv;

/* Text left out of the notice but not lost: front matter, page chrome, … */
typedef struct gw_removed {
	char *kind;          /* "front-matter" "markdown" "disclaimer" "chrome" */
	uint32_t src_start, src_end; /* bytes of the source file */
	char *text;
} gw_removed;

typedef struct gw_diag {
	enum gw_code code;
	long line, col; /* in the source file; 0: unknown */
	gw_span span;   /* in the text; GW_NOSPAN when none */
	char *detail;   /* NULL or extra words after the catalogue message */
} gw_diag;

enum gw_stage { GW_ST_NORMALIZED = 1, GW_ST_SEGMENTED = 2, GW_ST_EXTRACTED = 4 };

typedef struct gw_doc {
	char *id;          /* the file stem, or the id a record carried */
	/* source */
	char *src_path;
	char src_sha256[65];
	uint64_t src_bytes;
	char *encoding;    /* "UTF-8" "UTF-16LE" "GB18030" "Big5" … */
	gw_kv *meta;       /* front matter, in order */
	size_t nmeta, capmeta;
	gw_removed *removed;
	size_t nremoved, capremoved;
	/* the normalised text, UTF-8 */
	char *text;
	size_t text_len;   /* bytes */
	size_t ncp;        /* code points */
	gw_run *runs;      /* offset map back to the source */
	size_t nruns, capruns;
	size_t nmapped;    /* code points the map covers */
	/* the map's integers as a record gave them (json.c), when they were in the form the JSON
	 * writer gives them ("0,0,3,1,1,…"; malloc'd): written again as they are.  Length 0 when
	 * the runs were not read so, and once a run is added (gw_doc_map_push). */
	char *map_json;
	size_t map_json_len;
	/* segment */
	int is_notice;     /* 1 notice, 0 not, -1 unknown */
	gw_header header;
	gw_node *nodes;    /* document order; tree through the index links */
	size_t nnodes, capnodes;
	gw_attachment *atts;
	size_t natts, capatts;
	/* extract */
	gw_quantity *qs;
	size_t nqs, capqs;
	gw_rejected *rej;
	size_t nrej, caprej;
	/* every stage */
	gw_diag *diags;
	size_t ndiags, capdiags;
	unsigned stages;   /* gw_stage bits */
	char rules_digest[65]; /* of the rules the stages ran with; "" when none */
	/* an error record: the document could not be processed */
	int error;         /* 0, or the enum gw_code */
	char *error_msg;
	/* private: the code point index of text (doc.c) */
	uint32_t *cpx;
	size_t ncpx;
	size_t lastb, lastn; /* gw_doc_byte_to_cp's last answer: code points starting before byte lastb */
	/* private: where the strings doc.c copies in are kept (doc.c; issue 14).  A string field
	 * set elsewhere is malloc'd: gw_doc_free tells the two apart. */
	struct gw_arena *strs;
} gw_doc;

gw_doc *gw_doc_new(void);
void gw_doc_free(gw_doc *d);
/* d as gw_doc_new gives it, for the next document: the arrays and the memory of the strings
 * are kept, so that a worker's documents after the first grow nothing (issue 14). */
void gw_doc_reset(gw_doc *d);
/* The strings of the model that doc.c's functions copy in (node numbers, headings and ids,
 * header fields, quantity ids, rejected candidates, meta, removed text, attachment titles)
 * live in the document's arena and must not be passed to free(); gw_doc_free, gw_doc_reset
 * and the clear functions give back both these and the strings a stage malloc'd itself. */
/* A copy of s[0..n) kept in d's arena, for a string field of d that is NULL. */
char *gw_doc_strndup(gw_doc *d, const char *s, size_t n);
/* Replace the string *field of d with a copy of s[0..n), kept as the one it replaces was: in
 * d's arena (also when *field is NULL), or malloc'd. */
void gw_doc_set_str(gw_doc *d, char **field, const char *s, size_t n);
/* Drop the quantities and rejected candidates (gw_extract does before it runs again). */
void gw_doc_clear_results(gw_doc *d);

/* Take text (UTF-8, valid, owned by the doc afterwards) as the normalised text. */
void gw_doc_set_text(gw_doc *d, char *text, size_t len);
/* Code point ↔ byte offset in d->text (indexed once per document, O(log n) after). */
size_t gw_doc_cp_to_byte(const gw_doc *d, int32_t cp);
/* The byte k code points after the one at byte b; the caller knows that many are there. */
size_t gw_doc_cp_skip(const gw_doc *d, size_t b, size_t k);
int32_t gw_doc_byte_to_cp(gw_doc *d, size_t byte);
/* Record that the next n code points of the text came from src_len bytes each from src_start
 * on, on source line `line` from column `col` on.  Call in order of the text. */
void gw_doc_map_push(gw_doc *d, uint32_t src_start, uint32_t src_len, uint32_t line, uint32_t col,
                     uint32_t n);
/* The source byte range [*start, *end) of span; false when span is empty or unmapped. */
bool gw_doc_src_range(const gw_doc *d, gw_span span, uint32_t *start, uint32_t *end);
/* The same, for spans asked in the order of the text: *at (0 at first) keeps where the last
 * was found, so that the next is found from there. */
bool gw_doc_src_range_from(const gw_doc *d, gw_span span, size_t *at, uint32_t *start,
                           uint32_t *end);
/* The source byte range of each node's, attachment's and quantity's span, which the JSON and
 * the XML writer of one document both write (issue 14: found once, not once a writer):
 * (*src)[0..nnodes) the nodes', then the attachments', then the quantities'; grown in *src, *cap. */
typedef struct gw_srcrange {
	uint32_t start, end;
	bool ok; /* false: gw_doc_src_range_from had none */
} gw_srcrange;
void gw_doc_src_ranges(const gw_doc *d, gw_srcrange **src, size_t *cap);
/* Source line and column (1-based) of code point cp; 0, 0 when unknown. */
void gw_doc_src_pos(const gw_doc *d, int32_t cp, long *line, long *col);

void gw_doc_meta_add(gw_doc *d, const char *key, const char *value);
void gw_doc_removed_add(gw_doc *d, const char *kind, uint32_t src_start, uint32_t src_end,
                        const char *text, size_t textlen);

/* Add a diagnostic; line/col are taken from span.start through the map when it has one. */
void gw_doc_diag(gw_doc *d, enum gw_code c, gw_span span, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The same at a known source position (decoding, where there is no text yet). */
void gw_doc_diag_at(gw_doc *d, enum gw_code c, long line, long col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Turn d into an error record (keeps id and source; drops text and results). */
void gw_doc_fail(gw_doc *d, enum gw_code c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* diag.c: print d's diagnostics of the stages in `stages` (gw_stage bits) at level min or
 * above, then its error if it is an error record ("prog: file:line:col: LEVEL: message"). */
void gw_doc_print_diags(const gw_doc *d, FILE *fp, const char *prog, unsigned stages,
                        enum gw_level min);
/* diag.c: drop the diagnostics the stage (a gw_stage bit) emitted, before it runs again. */
void gw_doc_clear_diags(gw_doc *d, unsigned stage);

/* Add a node as the last child of parent (-1: top level of its part); returns its index.
 * Strings are copied; heading may be NULL. */
int gw_doc_add_node(gw_doc *d, enum gw_kind kind, int part, int parent, const char *num,
                    long ordinal, const char *heading, gw_span span, gw_span heading_span);
/* Give every node its eId from its kind, ordinal and ancestors (unique: repeats get _2 …). */
void gw_doc_assign_node_ids(gw_doc *d);
/* The innermost node whose span contains cp, or -1. */
int gw_doc_node_at(const gw_doc *d, int32_t cp);
int gw_doc_add_attachment(gw_doc *d, const char *title, gw_span title_span, gw_span span);
/* Drop the nodes and attachments, before the segmenter runs again (the arrays stay). */
void gw_doc_clear_nodes(gw_doc *d);
gw_quantity *gw_doc_add_quantity(gw_doc *d); /* zeroed, node = -1, spans none */
/* Give every quantity its id ("<node id>__qty_N", "qty_N" outside nodes). */
void gw_doc_assign_quantity_ids(gw_doc *d);
void gw_doc_add_rejected(gw_doc *d, const char *text, size_t len, gw_span span,
                         const char *reason, const char *rule);
/* Empty the header: every field, the 发文字号 parts, the dates and the lists. */
void gw_header_clear(gw_doc *d);
/* Header field: copies text[0..n) (n == (size_t)-1: strlen). */
void gw_header_set(gw_doc *d, enum gw_hfield f, const char *text, size_t n, gw_span span);
/* Where a LIST field's list and a DATE field's ISO date are (header.<name>); NULL for a field of
 * another kind.  Like strchr, a const header gives pointers the caller must not write through. */
gw_strlist *gw_header_list(const gw_header *h, enum gw_hfield f);
char **gw_header_iso(const gw_header *h, enum gw_hfield f);
/* f was found: it has text, or its list has items (a record keeps only the list of 主送/抄送
 * and the span of the whole line). */
bool gw_header_has(const gw_header *h, enum gw_hfield f);

/* Check the invariants writers rely on (unique ids, spans inside the text and inside their
 * parent's, children in order).  Returns 0, or -1 with a message in err. */
int gw_doc_validate(const gw_doc *d, gw_buf *err);

/* ---------------------------------------------------------------- the record stream */

enum { GW_JSON_PRETTY = 1 };
/* Write d as one JSON document (one line unless GW_JSON_PRETTY), with a final newline. */
void gw_json_write(const gw_doc *d, gw_buf *out, int flags);
/* The same with the source ranges of gw_doc_src_ranges (NULL: found as it writes). */
void gw_json_write_src(const gw_doc *d, gw_buf *out, int flags, const gw_srcrange *src);
/* Read one record; NULL with a message in err when it cannot be used at all. */
gw_doc *gw_json_read(const char *line, size_t len, gw_buf *err);

/* ---------------------------------------------------------------- rules */

typedef struct gw_rules gw_rules;
typedef struct gw_rule gw_rule;

/* Load every *.rules file of dir (sorted by name), checking each rule's attributes against
 * its family's table.  NULL on error, with "file:line: message" in err (for an attribute,
 * "file:line:1: ERROR: message: rule ID: detail", a diagnostic of the catalogue).
 * See rules/README.md for the format. */
gw_rules *gw_rules_load(const char *dir, gw_buf *err);
/* The same for a program that runs rules and does not check them: only the rules of families
 * (id prefixes, space-separated: "chrome. node."; NULL: every family) compiled, and the
 * examples kept only when examples is set (gw_rules_check_examples reads them).  Every rule is
 * parsed, checked and expanded all the same, and the digest covers every file.  Handing out a
 * rule that was not compiled aborts. */
gw_rules *gw_rules_load_for(const char *dir, const char *families, bool examples, gw_buf *err);
void gw_rules_free(gw_rules *rs);
/* The folder rules come from: --rules, else $GONGWEN_RULES, else the installed or
 * in-tree folder. */
const char *gw_rules_default_dir(const char *argv0);
/* sha256 over every rule file's name and bytes, hex. */
const char *gw_rules_digest(const gw_rules *rs);
const gw_rule *gw_rules_get(const gw_rules *rs, const char *id);
size_t gw_rules_count(const gw_rules *rs);
const gw_rule *gw_rules_at(const gw_rules *rs, size_t i);
/* Rules whose id starts with prefix, in file order: iterate with *i = 0 until NULL. */
const gw_rule *gw_rules_next(const gw_rules *rs, const char *prefix, size_t *i);
/* The value of a `define NAME value` in the rule files; NULL when none. */
const char *gw_rules_define(const gw_rules *rs, const char *name);
const char *gw_rule_id(const gw_rule *r);
/* The value of an attribute line "key value" in the rule's block (a list attribute given on
 * several lines: their values joined by a space); NULL when none. */
const char *gw_rule_attr(const gw_rule *r, const char *key);
/* Match at subject[start..len); subject must be valid UTF-8 (checked once by the caller).
 * Returns the number of captured pairs (> 0), 0 for no match, or < 0 on an error, such as
 * PCRE2_ERROR_MATCHLIMIT (the caller fails the document with GW_E_RULE_LIMIT).
 * ov receives 2 * ovmax byte offsets. */
int gw_rule_match(const gw_rule *r, const char *subject, size_t len, size_t start,
                  size_t *ov, int ovmax);
/* Index of the named group, or -1. */
int gw_rule_group(const gw_rule *r, const char *name);
/* Run every rule's examples and the captures they assert; prints "file:line: rule ID: …" for
 * each failure to fp.
 * Returns the number of failures; *nchecked receives the number of examples. */
int gw_rules_check_examples(const gw_rules *rs, FILE *fp, int *nchecked);

/* ---------------------------------------------------------------- stages */

typedef struct gw_normalizer gw_normalizer;
gw_normalizer *gw_normalizer_new(gw_buf *err);
void gw_normalizer_free(gw_normalizer *n);
/* Decode and normalise bytes[0..len) into d (whose id and src_path are set).  Fills source,
 * text, map, metadata, removed spans and diagnostics, or makes d an error record.
 * Returns 0 when d is usable, 1 when it became an error record. */
int gw_normalize(gw_normalizer *n, gw_doc *d, const char *bytes, size_t len);
/* Read path and normalise it; a file that cannot be read becomes an error record. */
int gw_normalize_file(gw_normalizer *n, gw_doc *d, const char *path);
/* normalize.c (added by the gw-normalize helper): the rules whose chrome.* patterns remove page
 * chrome; NULL (the default) removes none.  rs must outlive n's use. */
void gw_normalizer_set_rules(gw_normalizer *n, const gw_rules *rs);

typedef struct gw_segmenter gw_segmenter;
gw_segmenter *gw_segmenter_new(const gw_rules *rs, gw_buf *err);
void gw_segmenter_free(gw_segmenter *s);
/* Add header, is_notice, attachments and nodes.  0 ok, 1 d became an error record. */
int gw_segment(gw_segmenter *s, gw_doc *d);

typedef struct gw_extractor gw_extractor;
gw_extractor *gw_extractor_new(const gw_rules *rs, gw_buf *err);
void gw_extractor_free(gw_extractor *x);
/* Add quantities and rejected candidates.  0 ok, 1 d became an error record. */
int gw_extract(gw_extractor *x, gw_doc *d);

/* Akoma Ntoso 3.0 XML of d (which has been segmented and extracted). */
void gw_xml_write(const gw_doc *d, gw_buf *out);
void gw_xml_write_src(const gw_doc *d, gw_buf *out, const gw_srcrange *src); /* as gw_json_write_src */
/* One self-contained HTML5 page of d (html.c): header card, outline, the text with one mark per
 * quantity, the targets table.  Deterministic; every byte of the document's text escaped. */
void gw_html_write(const gw_doc *d, gw_buf *out);

/* ---------------------------------------------------------------- small helpers */

/* Parse an integer written in Arabic digits or Chinese numerals (一二三 十百千万亿 〇零两,
 * 壹贰叁…拾佰仟, digit strings like 二〇二二) from s[0..n), all of it; false when it is not one. */
bool gw_parse_int(const char *s, size_t n, long long *out);

/* sha256 of p[0..n) as 64 hex digits + NUL in hex. */
void gw_sha256_hex(const void *p, size_t n, char hex[65]);
/* The same over bytes added a piece at a time (the rules digest, over every file). */
typedef struct gw_sha256 {
	uint32_t h[8];
	uint64_t n;            /* bytes added */
	unsigned char buf[64]; /* the last n % 64 of them, not hashed yet */
} gw_sha256;
void gw_sha256_init(gw_sha256 *s);
void gw_sha256_add(gw_sha256 *s, const void *p, size_t n);
void gw_sha256_end(gw_sha256 *s, char hex[65]);
/* The file stem of path: "corpus/000_x.txt" → "000_x". Caller frees. */
char *gw_path_stem(const char *path);
/* A document's id from its path: the stem, or with whole the path less its leading ./ ../ /
 * and extension, / as _ ("a/notice.txt" → "a_notice"); "stdin" for "-".  Caller frees. */
char *gw_path_id(const char *path, bool whole);
bool gw_ends_with(const char *s, const char *tail);

#endif
