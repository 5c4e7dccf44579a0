/* numeral.c — integers in Arabic digits or Chinese numerals, for ordinals and dates. */
#include <string.h>

#include "internal.h"

int
gw_zh_digit(uint32_t c)
{
	switch (c) {
	case 0x3007: case 0x25CB: case 0x96F6: return 0; /* 〇 ○ (often typed for 〇) 零 */
	case 0x4E00: case 0x58F9: case 0x5F0C: return 1; /* 一 壹 弌 */
	case 0x4E8C: case 0x4E24: case 0x8D30: case 0x8CB3: case 0x5169: return 2; /* 二 两 贰 貳 兩 */
	case 0x4E09: case 0x53C1: case 0x53C2: return 3; /* 三 叁 參 */
	case 0x56DB: case 0x8086: return 4; /* 四 肆 */
	case 0x4E94: case 0x4F0D: return 5; /* 五 伍 */
	case 0x516D: case 0x9646: case 0x9678: return 6; /* 六 陆 陸 */
	case 0x4E03: case 0x67D2: return 7; /* 七 柒 */
	case 0x516B: case 0x634C: return 8; /* 八 捌 */
	case 0x4E5D: case 0x7396: return 9; /* 九 玖 */
	}
	return -1;
}

long long
gw_zh_unit(uint32_t c)
{
	switch (c) {
	case 0x5341: case 0x62FE: return 10;          /* 十 拾 */
	case 0x767E: case 0x4F70: return 100;         /* 百 佰 */
	case 0x5343: case 0x4EDF: return 1000;        /* 千 仟 */
	case 0x4E07: case 0x842C: return 10000;       /* 万 萬 */
	case 0x4EBF: case 0x5104: return 100000000LL; /* 亿 億 */
	}
	return 0;
}

/* Digit value of an Arabic or Chinese digit, -1 when not a digit. */
static int
cn_digit(uint32_t c)
{
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	return gw_zh_digit(c);
}

bool
gw_parse_int(const char *s, size_t n, long long *out)
{
	uint32_t cps[64];
	size_t k = 0, i;
	int len, has_unit = 0;

	while (n > 0 && k < 64) {
		len = gw_utf8_decode(s, n, &cps[k]);
		if (len == 0)
			return false;
		s += len, n -= (size_t)len, k++;
	}
	if (n > 0 || k == 0)
		return false;
	for (i = 0; i < k; i++) {
		if (gw_zh_unit(cps[i]))
			has_unit = 1;
		else if (cn_digit(cps[i]) < 0)
			return false;
	}
	if (!has_unit) { /* a digit string: 2022, 二〇二二 */
		long long v = 0;

		if (k > 18)
			return false;
		for (i = 0; i < k; i++)
			v = v * 10 + cn_digit(cps[i]);
		*out = v;
		return true;
	}
	/* positional with units: 一千三百二十五, 十一, 两万零五 */
	long long total = 0, section = 0, digit = -1;

	for (i = 0; i < k; i++) {
		long long u = gw_zh_unit(cps[i]);

		if (!u) {
			if (digit > 0)
				return false; /* two digits in a row: 二三 */
			digit = cn_digit(cps[i]);
			continue;
		}
		if (u == 10000) { /* 万: the section so far counts in ten-thousands */
			section += digit > 0 ? digit : 0;
			total += (section ? section : 1) * u;
			section = 0;
		} else if (u > 10000) { /* 亿: everything so far counts in hundred-millions */
			section += digit > 0 ? digit : 0;
			total = (total + section ? total + section : 1) * u;
			section = 0;
		} else {
			section += (digit < 0 ? 1 : digit) * u; /* 十一: a bare 十 is 一十 */
		}
		digit = -1;
	}
	if (digit > 0)
		section += digit;
	*out = total + section;
	return true;
}
