/* fuzz.h — what the libFuzzer harnesses share: stage objects opened once, and the output checks. */
#ifndef GW_FUZZ_H
#define GW_FUZZ_H

#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "emit.h"
#include "gongwen.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static const char *
fuzz_rules_dir(void)
{
	const char *d = getenv("GONGWEN_RULES");

	return d && *d ? d : "rules";
}

/* The document must be valid, its record must write, read back and write again to the same bytes,
 * and its XML must be well-formed. */
static void
fuzz_check_outputs(const gw_doc *d)
{
	gw_buf a = GW_BUF_INIT, b = GW_BUF_INIT, err = GW_BUF_INIT;
	gw_doc *e;

	/* what a stage makes keeps the invariants the writers rely on */
	if (!d->error && gw_doc_validate(d, &err) != 0) {
		fprintf(stderr, "the document breaks an invariant: %s\n", err.ptr);
		abort();
	}
	gw_json_write(d, &a, 0);
	e = gw_json_read(a.ptr, a.len - 1, &err);
	if (e == NULL) {
		fprintf(stderr, "record does not read back: %s\n", err.ptr);
		abort();
	}
	gw_json_write(e, &b, 0);
	if (strcmp(a.ptr, b.ptr) != 0)
		abort();
	gw_doc_free(e);
	if (!d->error) {
		xmlDocPtr x;

		gw_buf_reset(&b);
		gw_xml_write(d, &b);
		/* whatever the text, the XML is well-formed (emit helper) */
		x = xmlReadMemory(b.ptr, (int)b.len, "fuzz.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
		if (x == NULL) {
			fprintf(stderr, "the XML is not well-formed\n");
			abort();
		}
		xmlFreeDoc(x);
	}
	gw_buf_free(&a);
	gw_buf_free(&b);
	gw_buf_free(&err);
}

/* Normalise data as a document called "fuzz". */
static gw_doc *
fuzz_normalize(gw_normalizer *n, const unsigned char *data, size_t size)
{
	gw_doc *d = gw_doc_new();

	d->id = gw_xstrdup("fuzz");
	d->src_path = gw_xstrdup("fuzz.txt");
	gw_normalize(n, d, (const char *)data, size);
	return d;
}

#endif
