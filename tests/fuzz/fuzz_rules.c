/* fuzz_rules.c — libFuzzer harness: the rule-file loader, on a folder holding one file of the input's bytes. */
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static char dir[64];
	char path[96];
	gw_buf err = GW_BUF_INIT;
	gw_rules *rs;
	FILE *fp;
	int n;

	if (dir[0] == '\0') {
		snprintf(dir, sizeof dir, "/tmp/gw-fuzz-rules-%ld", (long)getpid());
		mkdir(dir, 0700);
	}
	snprintf(path, sizeof path, "%s/a.rules", dir);
	if ((fp = fopen(path, "wb")) == NULL)
		return 0;
	fwrite(data, 1, size, fp);
	fclose(fp);
	rs = gw_rules_load(dir, &err);
	if (rs) {
		{
			FILE *null = fopen("/dev/null", "w");

			gw_rules_check_examples(rs, null ? null : stderr, &n);
			if (null)
				fclose(null);
		}
		gw_rules_free(rs);
	}
	gw_buf_free(&err);
	return 0;
}
