/* fuzz_jsonl.c — libFuzzer harness: the JSON Lines record reader every program uses. */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	gw_buf err = GW_BUF_INIT;
	gw_doc *d = gw_json_read((const char *)data, size, &err);

	if (d) {
		fuzz_check_outputs(d);
		gw_doc_free(d);
	}
	gw_buf_free(&err);
	return 0;
}
