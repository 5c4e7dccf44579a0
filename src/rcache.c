/* rcache.c — a file cache of bytes that cost work to make (issue 14: start-up, the compiled
 * rules): one file a key, checked before it is used, written whole or not at all. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/* A file: this header, the key (padded to 8 bytes), the payload.  The key is kept whole and
 * compared again on read: its hash names the file and two keys may share a hash. */
#define MAGIC "gwcache\n"
#define FORMAT 2u

struct head {
	char magic[8];
	uint32_t format;
	uint32_t keylen; /* without the padding */
	uint64_t len;    /* of the payload */
	uint64_t sum;    /* gw_hash64 of the payload: a torn or stale file is told apart */
};

#define PAD8(n) (((n) + 7) & ~(size_t)7)

/* One step of gw_hash64: the eight bytes at s mixed into h. */
static inline uint64_t
mix(uint64_t h, const unsigned char *s)
{
	uint64_t w;

	memcpy(&w, s, 8);
	h = (h ^ w) * 0xFF51AFD7ED558CCDu;
	return h ^ h >> 32;
}

/* A cheap 64-bit hash, 32 bytes a step in four lanes that do not wait on each other's
 * multiplication (the payload is some hundred KB).  Not against an attacker: whoever can write
 * the cache can write the rules. */
uint64_t
gw_hash64(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t a = 0x9E3779B97F4A7C15u ^ n, b = 0xC2B2AE3D27D4EB4Fu, c = 0x165667B19E3779F9u,
	         d = 0x27D4EB2F165667C5u, h, w;

	for (; n >= 32; s += 32, n -= 32)
		a = mix(a, s), b = mix(b, s + 8), c = mix(c, s + 16), d = mix(d, s + 24);
	h = a ^ (b << 16 | b >> 48) ^ (c << 32 | c >> 32) ^ (d << 48 | d >> 16);
	for (; n >= 8; s += 8, n -= 8)
		h = mix(h, s);
	for (w = 0; n > 0; n--)
		w = w << 8 | s[n - 1];
	h = (h ^ w) * 0xC4CEB9FE1A85EC53u;
	return h ^ h >> 29;
}

/* The cache folder: GONGWEN_CACHE (off or empty: none), else $XDG_CACHE_HOME/gongwen, else
 * $HOME/.cache/gongwen; NULL when there is none.  Malloc'd. */
static char *
cache_dir(void)
{
	const char *c = getenv("GONGWEN_CACHE"), *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");
	char *dir;

	if (c != NULL)
		return *c && strcmp(c, "off") != 0 ? gw_xstrdup(c) : NULL;
	if (x != NULL && x[0] == '/') { /* the XDG spec: a relative path is to be ignored */
		dir = gw_xmalloc(strlen(x) + sizeof "/gongwen");
		sprintf(dir, "%s/gongwen", x);
		return dir;
	}
	if (h == NULL || *h == '\0')
		return NULL;
	dir = gw_xmalloc(strlen(h) + sizeof "/.cache/gongwen");
	sprintf(dir, "%s/.cache/gongwen", h);
	return dir;
}

/* dir/NAME-HASH.bin for key, or NULL when there is no cache folder.  Malloc'd. */
static char *
cache_path(const char *name, const char *key)
{
	char *dir = cache_dir(), *path;

	if (dir == NULL)
		return NULL;
	path = gw_xmalloc(strlen(dir) + strlen(name) + 32);
	sprintf(path, "%s/%s-%016llx.bin", dir, name,
	        (unsigned long long)gw_hash64(key, strlen(key)));
	free(dir);
	return path;
}

/* The file mapped, its page table made in one go (MAP_POPULATE; issue 14: start-up is mostly
 * the kernel's, and on a virtual machine a page fault costs some 10 us).  Mapped, not read:
 * reading the 214 KB of the rules' file into memory of our own, then checking it there, took
 * 0.45 ms of a 5.6 ms start.  The risk a mapping brings is a file cut short while it is mapped
 * (SIGBUS): gongwen never shortens a cache file (a new one is renamed over it, and a mapped file
 * replaced or removed stays whole), so only another program truncating a file of the user's
 * own cache in place could. */
const void *
gw_rcache_open(gw_rcache *c, const char *name, const char *key, size_t *len)
{
	char *path = cache_path(name, key);
	size_t keylen = strlen(key), off = sizeof(struct head) + PAD8(keylen);
	int flags = MAP_PRIVATE;
	struct head h;
	struct stat st;
	const char *p;
	int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;

	free(path);
	c->map = NULL;
	if (fd < 0)
		return NULL;
#ifdef MAP_POPULATE
	flags |= MAP_POPULATE;
#endif
	/* a file another user wrote is not ours to decode (the checks below are against damage,
	 * not against someone who writes a file to be decoded) */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
	    (uint64_t)st.st_size >= off && (uint64_t)st.st_size < SIZE_MAX / 2) {
		c->size = (size_t)st.st_size;
		c->map = mmap(NULL, c->size, PROT_READ, flags, fd, 0);
		if (c->map == MAP_FAILED)
			c->map = NULL;
	}
	close(fd);
	if (c->map == NULL)
		return NULL;
	p = c->map;
	memcpy(&h, p, sizeof h);
	if (memcmp(h.magic, MAGIC, 8) != 0 || h.format != FORMAT || h.keylen != keylen ||
	    memcmp(p + sizeof h, key, keylen) != 0 || h.len != c->size - off ||
	    gw_hash64(p + off, (size_t)h.len) != h.sum) {
		gw_rcache_close(c);
		return NULL;
	}
	*len = (size_t)h.len;
	return p + off; /* 8-byte aligned: the header and the padded key are */
}

void
gw_rcache_close(gw_rcache *c)
{
	if (c->map != NULL)
		munmap(c->map, c->size);
	c->map = NULL;
}

/* Each missing folder of path made (0700), like mkdir -p. */
static void
make_dirs(char *path)
{
	for (char *p = path + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0700);
			*p = '/';
		}
	mkdir(path, 0700);
}

/* Files of name in dir not written for STALE_DAYS removed (rules edited or an upgrade leave
 * their files behind; a killed writer its temporary file): the folder does not grow without
 * end.  Run when a file is written, that is when the rules or the program changed. */
#define STALE_DAYS 30

static void
prune(const char *dir, const char *name)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	size_t n = strlen(name);
	time_t old = time(NULL) - (time_t)STALE_DAYS * 24 * 3600;
	struct stat st;

	if (dp == NULL)
		return;
	while ((de = readdir(dp)) != NULL)
		if (strncmp(de->d_name, name, n) == 0 && de->d_name[n] == '-' &&
		    fstatat(dirfd(dp), de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode) && st.st_mtime < old)
			unlinkat(dirfd(dp), de->d_name, 0);
	closedir(dp);
}

void
gw_rcache_write(const char *name, const char *key, const void *payload, size_t len)
{
	char *path = cache_path(name, key), *tmp, *slash;
	static const char zero[8];
	size_t keylen = strlen(key);
	struct head h;
	int fd, rc;

	if (path == NULL)
		return;
	slash = strrchr(path, '/');
	*slash = '\0';
	make_dirs(path);
	prune(path, name);
	*slash = '/';
	/* a file of its own, renamed into place: a reader sees the old file or the whole new one,
	 * and two processes writing at once each rename a whole file */
	tmp = gw_xmalloc(strlen(path) + sizeof ".XXXXXX");
	sprintf(tmp, "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd >= 0) {
		memset(&h, 0, sizeof h);
		memcpy(h.magic, MAGIC, 8);
		h.format = FORMAT;
		h.keylen = (uint32_t)keylen;
		h.len = len;
		h.sum = gw_hash64(payload, len);
		rc = gw_fd_all(fd, (void *)&h, sizeof h, true);
		rc = rc < 0 ? rc : gw_fd_all(fd, (void *)key, keylen, true);
		rc = rc < 0 ? rc : gw_fd_all(fd, (void *)zero, PAD8(keylen) - keylen, true);
		rc = rc < 0 ? rc : gw_fd_all(fd, (void *)payload, len, true);
		if (close(fd) < 0 || rc < 0 || rename(tmp, path) < 0)
			unlink(tmp);
	}
	free(tmp);
	free(path);
}
