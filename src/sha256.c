/* sha256.c — SHA-256 (FIPS 180-4) for source hashes and the rules digest. */
#include <stdatomic.h>
#include <string.h>

#include "gongwen.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define HAVE_SHA_NI 1
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
#include <sys/platform/x86.h> /* what glibc's loader read with CPUID already */
#define HAVE_GLIBC_CPU 1
#endif
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void
block(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, k, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (; i < 64; i++) {
		uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
	for (i = 0; i < 64; i++) {
		t1 = k + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		k = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

#ifdef HAVE_SHA_NI
/* W[t..t+3] from a = W[t-16..], b = W[t-12..], c = W[t-8..], d = W[t-4..] (SHA256MSG1 adds
 * σ0 of W[t-15], the alignment W[t-7], SHA256MSG2 σ1 of W[t-2]). */
__attribute__((target("sha,sse4.1"))) static inline __m128i
schedule(__m128i a, __m128i b, __m128i c, __m128i d)
{
	__m128i w = _mm_add_epi32(_mm_sha256msg1_epu32(a, b), _mm_alignr_epi8(d, c, 4));

	return _mm_sha256msg2_epu32(w, d);
}

/* Rounds 4g … 4g + 3 with the message words m: two rounds per SHA256RNDS2. */
__attribute__((target("sha,sse4.1"))) static inline void
rounds(__m128i *s0, __m128i *s1, __m128i m, int g)
{
	__m128i w = _mm_add_epi32(m, _mm_loadu_si128((const __m128i *)(K + 4 * g)));

	*s1 = _mm_sha256rnds2_epu32(*s1, *s0, w);
	*s0 = _mm_sha256rnds2_epu32(*s0, *s1, _mm_shuffle_epi32(w, 0x0E));
}

/* The x86 SHA extensions (Intel SDM vol. 2: SHA256RNDS2, SHA256MSG1, SHA256MSG2), where the
 * portable block takes 68 instructions a byte.  The state is kept as ABEF and CDGH, the order
 * SHA256RNDS2 wants. */
__attribute__((target("sha,sse4.1"))) static void
blocks_ni(uint32_t h[8], const unsigned char *p, size_t nblocks)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i t = _mm_loadu_si128((const __m128i *)h), s0, m0, m1, m2, m3;
	__m128i s1 = _mm_loadu_si128((const __m128i *)(h + 4));

	t = _mm_shuffle_epi32(t, 0xB1);    /* CDAB */
	s1 = _mm_shuffle_epi32(s1, 0x1B);  /* EFGH */
	s0 = _mm_alignr_epi8(t, s1, 8);    /* ABEF */
	s1 = _mm_blend_epi16(s1, t, 0xF0); /* CDGH */
	for (; nblocks > 0; nblocks--, p += 64) {
		__m128i abef = s0, cdgh = s1;

		m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)p), bswap);
		m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16)), bswap);
		m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 32)), bswap);
		m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 48)), bswap);
		rounds(&s0, &s1, m0, 0), rounds(&s0, &s1, m1, 1);
		rounds(&s0, &s1, m2, 2), rounds(&s0, &s1, m3, 3);
		for (int g = 4; g < 16; g += 4) {
			m0 = schedule(m0, m1, m2, m3), rounds(&s0, &s1, m0, g);
			m1 = schedule(m1, m2, m3, m0), rounds(&s0, &s1, m1, g + 1);
			m2 = schedule(m2, m3, m0, m1), rounds(&s0, &s1, m2, g + 2);
			m3 = schedule(m3, m0, m1, m2), rounds(&s0, &s1, m3, g + 3);
		}
		s0 = _mm_add_epi32(s0, abef);
		s1 = _mm_add_epi32(s1, cdgh);
	}
	t = _mm_shuffle_epi32(s0, 0x1B);   /* FEBA */
	s1 = _mm_shuffle_epi32(s1, 0xB1);  /* DCHG */
	s0 = _mm_blend_epi16(t, s1, 0xF0); /* DCBA */
	s1 = _mm_alignr_epi8(s1, t, 8);    /* HGFE */
	_mm_storeu_si128((__m128i *)h, s0);
	_mm_storeu_si128((__m128i *)(h + 4), s1);
}

/* Whether the CPU has the SHA extensions and SSSE3/SSE4.1 (the shuffles and blends): glibc's
 * answer where it has one (issue 14: a CPUID traps to the hypervisor, 15 us on our machine). */
static bool
have_sha_ni(void)
{
#ifdef HAVE_GLIBC_CPU
	return CPU_FEATURE_ACTIVE(SHA) && CPU_FEATURE_ACTIVE(SSSE3) && CPU_FEATURE_ACTIVE(SSE4_1);
#else
	static atomic_int have = -1; /* asked once: CPUID may trap to the hypervisor */
	int v = atomic_load_explicit(&have, memory_order_relaxed);
	unsigned a, b, c, d;

	if (v < 0) {
		v = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSSE3) && (c & bit_SSE4_1) &&
		    __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_SHA);
		atomic_store_explicit(&have, v, memory_order_relaxed);
	}
	return v;
#endif
}
#endif

/* The blocks of p with the SHA extensions when the CPU has them, else portably. */
static void
blocks(uint32_t h[8], const unsigned char *p, size_t nblocks)
{
#ifdef HAVE_SHA_NI
	if (have_sha_ni()) {
		blocks_ni(h, p, nblocks);
		return;
	}
#endif
	for (; nblocks > 0; nblocks--, p += 64)
		block(h, p);
}

void
gw_sha256_init(gw_sha256 *s)
{
	static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

	memcpy(s->h, h0, sizeof h0);
	s->n = 0;
}

void
gw_sha256_add(gw_sha256 *s, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t have = s->n % 64, k = 64 - have < n ? 64 - have : n;

	s->n += n;
	if (have) { /* the block begun by the bytes added before */
		memcpy(s->buf + have, p, k);
		if (have + k < 64)
			return;
		blocks(s->h, s->buf, 1);
		p += k, n -= k;
	}
	blocks(s->h, p, n / 64);
	memcpy(s->buf, p + n / 64 * 64, n % 64);
}

void
gw_sha256_end(gw_sha256 *s, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char tail[128] = {0};
	size_t rest = s->n % 64, tl = rest < 56 ? 64 : 128;
	uint64_t bits = s->n * 8;
	int i;

	memcpy(tail, s->buf, rest);
	tail[rest] = 0x80;
	for (i = 0; i < 8; i++)
		tail[tl - 1 - i] = (unsigned char)(bits >> (8 * i));
	blocks(s->h, tail, tl / 64);
	for (i = 0; i < 32; i++) {
		unsigned char byte = (unsigned char)(s->h[i / 4] >> (24 - 8 * (i % 4)));

		hex[2 * i] = digits[byte >> 4];
		hex[2 * i + 1] = digits[byte & 15];
	}
	hex[64] = '\0';
}

void
gw_sha256_hex(const void *data, size_t n, char hex[65])
{
	gw_sha256 s;

	gw_sha256_init(&s);
	gw_sha256_add(&s, data, n);
	gw_sha256_end(&s, hex);
}
