/* fuzz_normalize.c — libFuzzer harness: raw bytes through gw_normalize, then the record and XML writers. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static gw_normalizer *n;
	gw_buf err = GW_BUF_INIT;
	gw_doc *d;

	static gw_rules *rs;

	if (n == NULL) {
		if ((rs = gw_rules_load(fuzz_rules_dir(), &err)) == NULL || (n = gw_normalizer_new(&err)) == NULL)
			abort();
		gw_normalizer_set_rules(n, rs);
	}
	d = fuzz_normalize(n, data, size);
	fuzz_check_outputs(d);
	gw_doc_free(d);
	return 0;
}
