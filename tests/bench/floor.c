/* floor.c — the bench's floors.
 *   bench-floor < LIST            read every file named on LIST and validate it as UTF-8, nothing more:
 *                                 what reading the input costs.
 *   bench-floor --write DIR < LIST  for every file named on LIST, write as many bytes to DIR/NAME the way
 *                                 the driver writes its outputs (a new file with no name, one write,
 *                                 linked under its name; or a temporary file renamed, as emit.c does where
 *                                 the folder has no O_TMPFILE): what the kernel takes to store the output,
 *                                 whatever the program computes. */
#define _GNU_SOURCE /* O_TMPFILE, AT_EMPTY_PATH */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gongwen.h"

static int
read_floor(void)
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

/* n bytes of buf in the new file dir/name, as emit.c writes a new output file: with no name
 * (O_TMPFILE), then linked under its name, by descriptor or else by /proc; where the folder has no
 * O_TMPFILE, under a temporary name renamed.  0, or -1 with errno. */
static int
write_one(const char *dir, const char *name, const char *buf, size_t n)
{
	static bool by_proc; /* linking by descriptor failed once (no CAP_DAC_READ_SEARCH) */
	char tmp[4200], to[4200], proc[64];
	int fd = open(dir, O_WRONLY | O_TMPFILE | O_CLOEXEC, 0666);

	snprintf(to, sizeof to, "%s/%s", dir, name);
	if (fd >= 0) {
		if (write(fd, buf, n) != (ssize_t)n)
			return close(fd), -1;
		snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
		if ((by_proc || linkat(fd, "", AT_FDCWD, to, AT_EMPTY_PATH) != 0) &&
		    ((by_proc = true), linkat(AT_FDCWD, proc, AT_FDCWD, to, AT_SYMLINK_FOLLOW) != 0))
			return close(fd), -1;
		return close(fd);
	}
	snprintf(tmp, sizeof tmp, "%s/.%s.floor.tmp", dir, name);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666)) < 0)
		return -1;
	if (write(fd, buf, n) != (ssize_t)n)
		return close(fd), -1;
	return close(fd) != 0 ? -1 : rename(tmp, to);
}

/* The bytes of every listed file, written anew under dir as emit.c writes an output file. */
static int
write_floor(const char *dir)
{
	char path[4096];
	char *buf = NULL;
	size_t cap = 0, total = 0, files = 0;

	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "bench-floor: %s: %s\n", dir, strerror(errno));
		return 2;
	}
	while (fgets(path, sizeof path, stdin)) {
		struct stat st;
		const char *name;
		size_t n;

		path[strcspn(path, "\n")] = '\0';
		if (stat(path, &st) != 0)
			continue;
		n = (size_t)st.st_size;
		if (n > cap) {
			buf = gw_xrealloc(buf, cap = n);
			memset(buf, 'x', cap);
		}
		name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		if (write_one(dir, name, buf, n) != 0) {
			fprintf(stderr, "bench-floor: %s/%s: %s\n", dir, name, strerror(errno));
			free(buf);
			return 2;
		}
		total += n;
		files++;
	}
	printf("%zu files, %zu bytes written\n", files, total);
	free(buf);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--write") == 0)
		return write_floor(argv[2]);
	if (argc != 1) {
		fprintf(stderr, "usage: bench-floor < LIST | bench-floor --write DIR < LIST\n");
		return 2;
	}
	return read_floor();
}
