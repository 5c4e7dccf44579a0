/* chars.c — the character classes every stage shares: those that decode (gw_space_len); the others are inline in chars.h. */
#include "chars.h"
#include "gongwen.h"

int
gw_space_len(const char *s, size_t n)
{
	uint32_t c;
	int len = gw_utf8_decode(s, n, &c);

	return len > 0 && gw_is_space(c) ? len : 0;
}
