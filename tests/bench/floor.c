/* floor.c — the bench's floor: read every file named on stdin and validate it as UTF-8, nothing more. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongwen.h"

int
main(void)
{
	char path[4096];
	char *buf = NULL;
	size_t cap = 0, total = 0, bad = 0, files = 0;

	while (fgets(path, sizeof path, stdin)) {
		FILE *fp;
		size_t n = 0, r, i;
		uint32_t cp;

		path[strcspn(path, "\n")] = '\0';
		if ((fp = fopen(path, "rb")) == NULL)
			continue;
		for (;;) {
			if (n == cap)
				buf = gw_xrealloc(buf, cap = cap ? 2 * cap : 1 << 20);
			if ((r = fread(buf + n, 1, cap - n, fp)) == 0)
				break;
			n += r;
		}
		fclose(fp);
		for (i = 0; i < n;) {
			int len;

			if ((unsigned char)buf[i] < 0x80) { /* ASCII fast path */
				i++;
				continue;
			}
			len = gw_utf8_decode(buf + i, n - i, &cp);
			if (len == 0)
				bad++, len = 1;
			i += (size_t)len;
		}
		total += n;
		files++;
	}
	printf("%zu files, %zu bytes, %zu invalid\n", files, total, bad);
	free(buf);
	return 0;
}
