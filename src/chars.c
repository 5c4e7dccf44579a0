/* chars.c — the character classes every stage shares (chars.h), each written once. */
#include "chars.h"

int
gw_digit_value(uint32_t c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	if (c >= 0xFF10 && c <= 0xFF19)
		return (int)(c - 0xFF10);
	return -1;
}
