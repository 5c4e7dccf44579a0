/* chars.c — the character classes every stage shares: those that decode (gw_space_len); the others are inline in chars.h. */
#include "chars.h"
#include "gongwen.h"

/* issue 14: asked of every line end and start, and at each character a heading is squeezed
 * by: the spaces of gw_is_space read by their UTF-8 forms (C2 A0; E1 9A 80; E2 80 80–8B, E2 80
 * AF, E2 81 9F; E3 80 80; EF BB BF), which test_core checks against gw_is_space over every
 * code point; 。 and ， are turned down at their second or third byte, not decoded. */
int
gw_space_len(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	if (n == 0)
		return 0;
	if (u[0] < 0x80)
		return gw_is_space(u[0]);
	if (u[0] == 0xC2)
		return n >= 2 && u[1] == 0xA0 ? 2 : 0;
	if (n < 3 || (u[2] & 0xC0) != 0x80)
		return 0;
	switch (u[0]) {
	case 0xE1:
		return u[1] == 0x9A && u[2] == 0x80 ? 3 : 0;
	case 0xE2:
		return (u[1] == 0x80 && (u[2] <= 0x8B || u[2] == 0xAF)) || (u[1] == 0x81 && u[2] == 0x9F)
		           ? 3
		           : 0;
	case 0xE3:
		return u[1] == 0x80 && u[2] == 0x80 ? 3 : 0;
	case 0xEF:
		return u[1] == 0xBB && u[2] == 0xBF ? 3 : 0;
	default:
		return 0;
	}
}
