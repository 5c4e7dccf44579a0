/* libgongwen.h — the public interface of libgongwen (installed; see gongwen(3)): load the rules,
 * turn one document's bytes into the model, write it as JSON or Akoma Ntoso XML, read a record
 * back.  The handles are opaque: their layout is the library's own and may change. */
#ifndef LIBGONGWEN_H
#define LIBGONGWEN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GW_LIB_VERSION 0 /* the soname's number: libgongwen.so.0 */

typedef struct gw_rules gw_rules;   /* compiled rules: read-only once loaded, shared by threads */
typedef struct gw_worker gw_worker; /* one thread's stages (ICU converters, match data) */
typedef struct gw_doc gw_doc;       /* one document: the model, or an error record */

/* "0.1.0": the version of the library and of the programs built with it. */
const char *gw_version(void);

/* Load every *.rules file of dir (NULL: $GONGWEN_RULES, else the installed rules).  NULL on
 * error, with "file:line: why" in err (err may be NULL; errsize bytes at most, NUL included). */
gw_rules *gw_rules_open(const char *dir, char *err, size_t errsize);
void gw_rules_free(gw_rules *rs);

/* The stages of one thread over rules rs, which must outlive it.  NULL on error (ICU data
 * missing), with why in err. */
gw_worker *gw_worker_new(const gw_rules *rs, char *err, size_t errsize);
void gw_worker_free(gw_worker *w);

/* Decode, normalise, segment and extract bytes[0..len), the document id (it names the files
 * gongwen(1) writes) read from path (kept in the record as its source; may be NULL).  Never
 * NULL: a document that cannot be processed comes back as an error record (gw_doc_error).
 * The caller frees the result with gw_doc_free. */
gw_doc *gw_worker_process(gw_worker *w, const char *id, const char *path, const void *bytes,
                          size_t len);

/* Read one record (a line of gw-extract's output, or a DIR/ID.json file) back into the model;
 * NULL with why in err when it cannot be used. */
gw_doc *gw_doc_read_json(const char *text, size_t len, char *err, size_t errsize);
void gw_doc_free(gw_doc *d);

/* The document's id; NULL when it has none. */
const char *gw_doc_id(const gw_doc *d);
/* NULL for a document; for an error record, its message ("the file is empty"). */
const char *gw_doc_error(const gw_doc *d);

enum { GW_OUT_PRETTY = 1 }; /* JSON indented as gongwen(1) writes ID.json; 0: one line */

/* Write d into buf[0..size) as JSON (flags GW_OUT_PRETTY or 0), or as Akoma Ntoso XML (as
 * gongwen(1) writes ID.xml; an error record has none: 0), like snprintf: at most size - 1 bytes
 * and a NUL (when size > 0).  Returns the length of the whole text: when it is size or more,
 * the text was cut and a buffer of the returned length + 1 takes it. */
size_t gw_doc_json(const gw_doc *d, int flags, char *buf, size_t size);
size_t gw_doc_xml(const gw_doc *d, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
