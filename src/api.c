/* api.c — libgongwen's public interface (libgongwen.h, gongwen(3)) over the stages, and the one
 * pipeline of a document that gongwen(1) runs too. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "libgongwen.h"

struct gw_worker {
	const gw_rules *rs;
	gw_normalizer *nz;
	gw_segmenter *sg;
	gw_extractor *ex;
};

/* snprintf's contract for a finished text: the whole length back, as much as fits in buf (a
 * caller that wants no error text passes NULL).  b is freed. */
static size_t
give(gw_buf *b, char *buf, size_t size)
{
	size_t len = b->len;

	if (buf && size > 0) {
		size_t n = len < size ? len : size - 1;

		if (n)
			memcpy(buf, b->ptr, n);
		buf[n] = '\0';
	}
	gw_buf_free(b);
	return len;
}

const char *
gw_version(void)
{
	return GW_VERSION;
}

gw_rules *
gw_rules_open(const char *dir, char *err, size_t errsize)
{
	gw_buf e = GW_BUF_INIT;
	gw_rules *rs;

	/* Jansson sets up its hash seed here, before the caller starts threads; no examples kept */
	json_object_seed(0);
	rs = gw_rules_load_for(dir ? dir : gw_rules_default_dir(NULL), NULL, false, &e);
	if (rs == NULL)
		give(&e, err, errsize);
	gw_buf_free(&e);
	return rs;
}

gw_worker *
gw_worker_new(const gw_rules *rs, char *err, size_t errsize)
{
	gw_buf e = GW_BUF_INIT;
	gw_worker *w = gw_xcalloc(1, sizeof *w);

	w->rs = rs;
	if ((w->nz = gw_normalizer_new(&e)) != NULL)
		gw_normalizer_set_rules(w->nz, rs);
	w->sg = w->nz ? gw_segmenter_new(rs, &e) : NULL;
	w->ex = w->sg ? gw_extractor_new(rs, &e) : NULL;
	if (w->ex == NULL) {
		give(&e, err, errsize);
		gw_worker_free(w);
		w = NULL;
	}
	gw_buf_free(&e);
	return w;
}

void
gw_worker_free(gw_worker *w)
{
	if (w == NULL)
		return;
	gw_extractor_free(w->ex);
	gw_segmenter_free(w->sg);
	gw_normalizer_free(w->nz);
	free(w);
}

int
gw_worker_run(gw_worker *w, gw_doc *d, const char *path, const char *bytes, size_t len)
{
	int failed = bytes ? gw_normalize(w->nz, d, bytes, len) : gw_normalize_file(w->nz, d, path);

	if (!failed && !d->error)
		failed = gw_segment(w->sg, d);
	if (!failed && !d->error)
		failed = gw_extract(w->ex, d);
	if (!d->error)
		snprintf(d->rules_digest, sizeof d->rules_digest, "%s", gw_rules_digest(w->rs));
	return failed || d->error;
}

gw_doc *
gw_worker_process(gw_worker *w, const char *id, const char *path, const void *bytes, size_t len)
{
	gw_doc *d = gw_doc_new();
	gw_buf why = GW_BUF_INIT;

	d->id = id ? gw_xstrdup(id) : NULL;
	d->src_path = path ? gw_xstrdup(path) : NULL;
	/* gongwen(1) writes no files for a document the writers could not rely on */
	if (gw_worker_run(w, d, NULL, bytes ? bytes : "", len) == 0 && gw_doc_validate(d, &why) != 0)
		gw_doc_fail(d, GW_E_INVALID, "%s", why.ptr);
	gw_buf_free(&why);
	return d;
}

gw_doc *
gw_doc_read_json(const char *text, size_t len, char *err, size_t errsize)
{
	gw_buf e = GW_BUF_INIT;
	gw_doc *d = gw_json_read(text, len, &e);

	if (d == NULL)
		give(&e, err, errsize);
	gw_buf_free(&e);
	return d;
}

const char *
gw_doc_id(const gw_doc *d)
{
	return d->id;
}

const char *
gw_doc_error(const gw_doc *d)
{
	if (!d->error)
		return NULL;
	return d->error_msg ? d->error_msg : gw_code_message((enum gw_code)d->error);
}

size_t
gw_doc_json(const gw_doc *d, int flags, char *buf, size_t size)
{
	gw_buf b = GW_BUF_INIT;

	gw_json_write(d, &b, flags & GW_OUT_PRETTY ? GW_JSON_PRETTY : 0);
	return give(&b, buf, size);
}

size_t
gw_doc_xml(const gw_doc *d, char *buf, size_t size)
{
	gw_buf b = GW_BUF_INIT;

	if (gw_doc_error(d) == NULL)
		gw_xml_write(d, &b);
	return give(&b, buf, size);
}
