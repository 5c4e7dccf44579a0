/* util.c — allocation that never returns NULL, the growable buffer, UTF-8 and small helpers. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gongwen.h"
#include "internal.h"

/* Through the catalogue, but with no allocation: there is no memory left. */
static void
oom(size_t n)
{
	char detail[48];

	snprintf(detail, sizeof detail, "%zu bytes", n);
	gw_diag_print(stderr, gw_prog(), NULL, 0, 0, GW_F_MEMORY, detail);
	exit(3);
}

void *
gw_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom(n);
	return p;
}

void *
gw_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom(n * size);
	return p;
}

void *
gw_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom(n);
	return q;
}

char *
gw_xstrdup(const char *s)
{
	return gw_xstrndup(s, strlen(s));
}

const char *
gw_find(const char *s, size_t n, const char *m, size_t l)
{
	const char *p = s, *last;

	if (l == 0 || l > n)
		return l == 0 ? s : NULL;
	last = s + n - l; /* the last place m can start */
	/* memchr finds the places that start with m's first byte, at memchr's speed */
	while ((p = memchr(p, m[0], (size_t)(last - p) + 1)) != NULL) {
		if (memcmp(p, m, l) == 0)
			return p;
		if (p++ == last)
			break;
	}
	return NULL;
}

bool
gw_date_ok(const char *s, bool partial)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	size_t n = s ? strlen(s) : 0;
	int y, m, d;

	if (n != 10 && !(partial && (n == 4 || n == 7)))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			return false;
	y = atoi(s), m = n > 4 ? atoi(s + 5) : 1, d = n > 7 ? atoi(s + 8) : 1;
	/* a day that is in no calendar (2022-02-30) is none: xsd:date and the searches agree */
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	return !(m == 2 && d == 29 && (y % 4 != 0 || (y % 100 == 0 && y % 400 != 0)));
}

char *
gw_xstrndup(const char *s, size_t n)
{
	char *p = gw_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
gw_grow(void **arr, size_t *cap, size_t need, size_t elsz)
{
	size_t c = *cap;

	if (need <= c)
		return;
	if (c < 8)
		c = 8;
	while (c < need)
		c += c / 2;
	*arr = gw_xrealloc(*arr, c * elsz);
	*cap = c;
}

/* ---------------------------------------------------------------- the arena */

#define ARENA_FIRST 4096 /* bytes of the first block: the strings of a short notice */
#define ARENA_KEEP (1u << 20) /* bytes at most kept from one document for the next */

#if defined(__SANITIZE_ADDRESS__) /* gcc */
#define ARENA_ASAN 1
#elif defined(__has_feature) /* clang */
#if __has_feature(address_sanitizer)
#define ARENA_ASAN 1
#endif
#endif
#ifdef ARENA_ASAN
/* make test-asan: what no string holds is poisoned, so that a read past a string's NUL or of a
 * string after the reset is caught as it is with malloc'd ones */
#include <sanitizer/asan_interface.h>
#define ARENA_GAP 8 /* poisoned bytes after each string, which starts 8-aligned */
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define ARENA_GAP 0
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

typedef struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	char mem[];
} arena_block;

struct gw_arena {
	arena_block *head, *cur; /* blocks in the order they were taken; cur: the one in use */
};

static arena_block *
block_new(size_t cap)
{
	arena_block *b = gw_xmalloc(sizeof *b + cap);

	b->next = NULL, b->used = 0, b->cap = cap;
	POISON(b->mem, cap);
	return b;
}

char *
gw_arena_strndup(gw_arena **ap, const char *s, size_t n)
{
	gw_arena *a = *ap;
	arena_block *b;
	size_t take = ARENA_GAP ? (n + 1 + ARENA_GAP + 7) / 8 * 8 : n + 1;
	char *p;

	if (a == NULL) {
		a = *ap = gw_xmalloc(sizeof *a);
		a->head = a->cur = block_new(ARENA_FIRST);
	}
	b = a->cur;
	if (b->cap - b->used < take) {
		/* a new block at the end, each twice the last: a few blocks for a long document */
		size_t cap = 2 * b->cap;

		while (cap < take)
			cap *= 2;
		b = b->next = block_new(cap);
		a->cur = b;
	}
	p = b->mem + b->used;
	b->used += take;
	UNPOISON(p, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

bool
gw_arena_owns(const gw_arena *a, const void *p)
{
	uintptr_t c = (uintptr_t)p;

	for (const arena_block *b = a ? a->head : NULL; b; b = b->next)
		if (c - (uintptr_t)b->mem < b->used)
			return true;
	return false;
}

void
gw_arena_reset(gw_arena *a)
{
	size_t cap = 0;

	if (a == NULL)
		return;
	if (a->head->next == NULL) {
		a->head->used = 0;
		POISON(a->head->mem, a->head->cap);
		return;
	}
	/* the next document of the same size fits in one block: no block to chain, none to look
	 * through in gw_arena_owns; after a huge one the arena starts small again */
	for (arena_block *b = a->head, *next; b; b = next) {
		next = b->next;
		cap += b->cap;
		UNPOISON(b->mem, b->cap);
		free(b);
	}
	a->head = a->cur = block_new(cap <= ARENA_KEEP ? cap : ARENA_FIRST);
}

void
gw_arena_free(gw_arena *a)
{
	if (a == NULL)
		return;
	for (arena_block *b = a->head, *next; b; b = next) {
		next = b->next;
		UNPOISON(b->mem, b->cap);
		free(b);
	}
	free(a);
}

void
gw_buf_grow(gw_buf *b, size_t n)
{
	size_t c = b->cap < 64 ? 64 : b->cap;

	while (c < b->len + n + 1)
		c *= 2;
	b->ptr = gw_xrealloc(b->ptr, c);
	b->cap = c;
}

void
gw_buf_put(gw_buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap)
		gw_buf_grow(b, n);
	if (n)
		memcpy(b->ptr + b->len, p, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

void
gw_buf_puts(gw_buf *b, const char *s)
{
	gw_buf_put(b, s, strlen(s));
}

void
gw_buf_putc(gw_buf *b, int c)
{
	char *p = gw_buf_room(b, 1);

	*p = (char)c;
	gw_buf_wrote(b, 1);
}

void
gw_buf_vprintf(gw_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	vsnprintf(gw_buf_room(b, (size_t)n), (size_t)n + 1, fmt, ap);
	gw_buf_wrote(b, (size_t)n);
}

void
gw_buf_printf(gw_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gw_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/* v, not an integer, as the decimal m / 10^k with the least k that reads back as v, when it has
 * at most 15 significant digits and 1e-4 <= |v| < 1e15 (no exponent): then "%.*g" at the least
 * precision that reads back and "%.15g" give these bytes, as strtod rounds m / 10^k the way the
 * division does.  Its length, or 0 for any other v (the caller goes to printf). */
size_t
gw_fmt_decimal(char *s, double v)
{
	static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	                             1e11, 1e12, 1e13, 1e14, 1e15};
	double a = fabs(v), m = 0;
	int k;

	if (!(a >= 1e-4 && a < 1e15) || a == floor(a))
		return 0;
	for (k = 1; k < 15; k++) {
		m = floor(a * p10[k] + 0.5);
		if (m >= 1e15)
			return 0;
		if (m / p10[k] == a)
			break;
	}
	/* m is a whole number under 1e15 here: its last digit from the integer, not fmod */
	if (k == 15 || (long long)m % 10 == 0)
		return 0;
	char digits[24], *p = s;
	size_t n = gw_fmt_int(digits, (long long)m), whole = n > (size_t)k ? n - (size_t)k : 0;

	if (v < 0)
		*p++ = '-';
	if (whole == 0)
		*p++ = '0';
	memcpy(p, digits, whole);
	p += whole;
	*p++ = '.';
	for (size_t z = n - whole; z < (size_t)k; z++)
		*p++ = '0';
	memcpy(p, digits + whole, n - whole);
	p += n - whole;
	*p = '\0';
	return (size_t)(p - s);
}

size_t
gw_fmt_number(char *s, double v)
{
	size_t n = 0;

	if (v == floor(v) && fabs(v) < 9007199254740992.0) {
		if (v == 0 && signbit(v))
			s[n++] = '-'; /* as %.0f wrote it: -0 */
		return n + gw_fmt_int(s + n, (long long)v);
	}
	if ((n = gw_fmt_decimal(s, v)) > 0)
		return n;
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(s, 40, "%.*g", prec, v);
		if (strtod(s, NULL) == v)
			break;
	}
	return strlen(s);
}

void
gw_buf_put_number(gw_buf *b, double v)
{
	gw_buf_wrote(b, gw_fmt_number(gw_buf_room(b, 40), v));
}

void
gw_buf_reserve(gw_buf *b, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = b->len + n + 1;
		b->ptr = gw_xrealloc(b->ptr, b->cap);
		b->ptr[b->len] = '\0';
	}
}

void
gw_buf_put_int(gw_buf *b, long long v)
{
	char *p = gw_buf_room(b, 24);

	gw_buf_wrote(b, gw_fmt_int(p, v));
}

void
gw_buf_put_cp(gw_buf *b, uint32_t cp)
{
	char *s = gw_buf_room(b, 4);
	size_t n;

	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		s[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		s[0] = (char)(0xC0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		s[0] = (char)(0xE0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		s[0] = (char)(0xF0 | (cp >> 18));
		s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	gw_buf_wrote(b, n);
}

void
gw_buf_reset(gw_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

char *
gw_buf_detach(gw_buf *b)
{
	char *p = b->ptr ? b->ptr : gw_xstrdup("");

	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void
gw_buf_free(gw_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

int
gw_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c, min;
	int len, i;

	*cp = 0xFFFD;
	if (n == 0)
		return 0;
	c = u[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (n >= 3 && c >= 0xE1 && c != 0xED && c <= 0xEF && (u[1] & 0xC0) == 0x80 &&
	           (u[2] & 0xC0) == 0x80) { /* most CJK: no overlong form, no surrogate possible */
		*cp = (c & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
		return 3;
	} else if (c >= 0xC2 && c <= 0xDF) {
		len = 2, c &= 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, c &= 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, c &= 0x07, min = 0x10000;
	} else
		return 0;
	if ((size_t)len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3F);
	}
	/* overlong forms, surrogates (also UTF-8-encoded ones) and values past U+10FFFF */
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

size_t
gw_utf8_count(const char *s, size_t n)
{
	size_t i = 0, k = 0;

	for (; i + 8 <= n; i += 8)
		k += gw_utf8_starts8(s + i);
	for (; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}

bool
gw_ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);

	return n >= k && strcmp(s + n - k, tail) == 0;
}

char *
gw_path_id(const char *path, bool whole)
{
	gw_buf b = GW_BUF_INIT;
	const char *dot;

	if (strcmp(path, "-") == 0)
		return gw_xstrdup("stdin");
	if (!whole)
		return gw_path_stem(path);
	/* the path less its leading ./, ../ and /, and its extension; / becomes _ */
	while (*path == '/' || strncmp(path, "./", 2) == 0 || strncmp(path, "../", 3) == 0)
		path += *path == '/' ? 1 : path[1] == '/' ? 2 : 3;
	dot = strrchr(path, '.');
	if (dot == NULL || strchr(dot, '/') || dot == path || dot[-1] == '/')
		dot = path + strlen(path);
	for (const char *s = path; s < dot; s++)
		gw_buf_putc(&b, *s == '/' ? '_' : *s);
	return b.ptr ? gw_buf_detach(&b) : gw_xstrdup("");
}

char *
gw_path_stem(const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	if (dot == NULL || dot == base)
		return gw_xstrdup(base);
	return gw_xstrndup(base, (size_t)(dot - base));
}

/* The rest of fd appended to b, each read into room for at least room bytes (made when b has
 * less), until the end of the file or a read error, or until b holds more than max bytes; b
 * stays NUL-terminated.  0, or -1 with errno on a read error.  A caller that knows the size
 * reserves it first: the read that meets the end then needs no more room. */
int
gw_fd_read_rest(int fd, gw_buf *b, size_t room, size_t max)
{
	ssize_t k;

	do {
		char *p = gw_buf_room(b, room);

		k = read(fd, p, b->cap - b->len - 1);
		if (k > 0)
			gw_buf_wrote(b, (size_t)k);
	} while ((k > 0 || (k < 0 && errno == EINTR)) && b->len <= max);
	return k < 0 ? -1 : 0;
}

/* All n bytes of p written to fd (out) or read from it into p: a short read or write goes on
 * where it stopped, EINTR is tried again.  0, or -1 with errno (a read that meets the end of the
 * file first: -1 with errno 0; a write that takes no byte: ENOSPC). */
int
gw_fd_all(int fd, void *p, size_t n, bool out)
{
	char *s = p;

	while (n > 0) {
		ssize_t k = out ? write(fd, s, n) : read(fd, s, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k == 0) /* a write that takes nothing: as a full disk; a read: the end */
			errno = out ? ENOSPC : 0;
		if (k <= 0)
			return -1;
		s += k, n -= (size_t)k;
	}
	return 0;
}
