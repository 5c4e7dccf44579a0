/* chars.c — the character classes every stage shares (chars.h), each written once. */
#include "chars.h"
#include "gongwen.h"

bool
gw_is_space(uint32_t c)
{
	return (c >= '\t' && c <= '\r') || c == ' ' || c == 0xA0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F || c == 0x3000 ||
	       c == 0xFEFF;
}

int
gw_space_len(const char *s, size_t n)
{
	uint32_t c;
	int len = gw_utf8_decode(s, n, &c);

	return len > 0 && gw_is_space(c) ? len : 0;
}

bool
gw_is_sentence_end(uint32_t c)
{
	return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?';
}

bool
gw_is_han(uint32_t c)
{
	return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
	       (c >= 0x20000 && c <= 0x3FFFF) || (c >= 0xF900 && c <= 0xFAFF) || c == 0x3005 ||
	       c == 0x3006 || c == 0x3007;
}

int
gw_digit_value(uint32_t c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	if (c >= 0xFF10 && c <= 0xFF19)
		return (int)(c - 0xFF10);
	return -1;
}
