/* chars.h — the character classes every stage shares: white space, sentence ends, Han, digits. */
#ifndef GW_CHARS_H
#define GW_CHARS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The classes are inline: every stage asks them of each character it reads. */

/* White space: the ASCII blanks and line breaks, U+00A0, U+3000 and the other spaces (Zs),
 * with the zero-width space and the BOM, which print as nothing.  Not U+2028, U+2029 and
 * NEL: to the normaliser they are line breaks and a control, never spaces within a line. */
static inline bool
gw_is_space(uint32_t c)
{
	return (c >= '\t' && c <= '\r') || c == ' ' || c == 0xA0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F || c == 0x3000 ||
	       c == 0xFEFF;
}

/* The length of the white space code point at s[0..n), 0 when there is none. */
int gw_space_len(const char *s, size_t n);

/* 。！？ and ASCII ! ? end a sentence; callers that also cut at ；; or at a line end say so. */
static inline bool
gw_is_sentence_end(uint32_t c)
{
	return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?';
}

/* A Han character: CJK unified ideographs with extension A and the supplementary planes,
 * compatibility ideographs, and 々 〆 〇. */
static inline bool
gw_is_han(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
	       (c >= 0x20000 && c <= 0x3FFFF) || (c >= 0xF900 && c <= 0xFAFF) || c == 0x3005 ||
	       c == 0x3006 || c == 0x3007;
}

/* The value of an ASCII or full-width digit (0–9, ０–９), -1 for anything else. */
static inline int
gw_digit_value(uint32_t c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	if (c >= 0xFF10 && c <= 0xFF19)
		return (int)(c - 0xFF10);
	return -1;
}

#endif
