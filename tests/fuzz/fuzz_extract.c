/* fuzz_extract.c — libFuzzer harness: any text through normalise, segment and gw_extract, then both writers. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static gw_normalizer *n;
	static gw_segmenter *s;
	static gw_extractor *x;
	static gw_rules *rs;
	gw_buf err = GW_BUF_INIT;
	gw_doc *d;

	if (rs == NULL) {
		if ((rs = gw_rules_load(fuzz_rules_dir(), &err)) == NULL || (n = gw_normalizer_new(&err)) == NULL ||
		    (s = gw_segmenter_new(rs, &err)) == NULL || (x = gw_extractor_new(rs, &err)) == NULL) {
			fprintf(stderr, "fuzz_extract: %s\n", err.ptr);
			abort();
		}
		gw_normalizer_set_rules(n, rs);
	}
	d = fuzz_normalize(n, data, size);
	if (!d->error && gw_segment(s, d) == 0 && !d->error)
		gw_extract(x, d);
	fuzz_check_outputs(d);
	gw_doc_free(d);
	return 0;
}
