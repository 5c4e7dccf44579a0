/* replay.c — runs a fuzz harness on files (the regression inputs) without libFuzzer. */
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *fp = fopen(argv[i], "rb");
		unsigned char *buf = NULL;
		size_t n = 0, cap = 0, r;

		if (fp == NULL) {
			perror(argv[i]);
			return 2;
		}
		do {
			if (n == cap)
				buf = realloc(buf, cap = cap ? 2 * cap : 65536);
			r = fread(buf + n, 1, cap - n, fp);
			n += r;
		} while (r > 0);
		fclose(fp);
		LLVMFuzzerTestOneInput(buf, n);
		free(buf);
	}
	return 0;
}
