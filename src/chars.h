/* chars.h — the character classes every stage shares: white space, sentence ends, Han, digits. */
#ifndef GW_CHARS_H
#define GW_CHARS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* White space: the ASCII blanks and line breaks, U+00A0, U+3000 and the other spaces (Zs),
 * with the zero-width space and the BOM, which print as nothing.  Not U+2028, U+2029 and
 * NEL: to the normaliser they are line breaks and a control, never spaces within a line. */
bool gw_is_space(uint32_t c);
/* The length of the white space code point at s[0..n), 0 when there is none. */
int gw_space_len(const char *s, size_t n);
/* 。！？ and ASCII ! ? end a sentence; callers that also cut at ；; or at a line end say so. */
bool gw_is_sentence_end(uint32_t c);
/* A Han character: CJK unified ideographs with extension A and the supplementary planes,
 * compatibility ideographs, and 々 〆 〇. */
bool gw_is_han(uint32_t c);
/* The value of an ASCII or full-width digit (0–9, ０–９), -1 for anything else. */
int gw_digit_value(uint32_t c);

#endif
