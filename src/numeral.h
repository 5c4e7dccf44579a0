/* numeral.h — the one numeral parser: Arabic and Chinese numerals to values, for every caller. */
#ifndef GW_NUMERAL_H
#define GW_NUMERAL_H

#include <stdbool.h>
#include <stddef.h>

#include "internal.h"

/* More significant digits than this is not an amount but a run of digits (GW_W_NUMBER_TOO_LONG). */
#define GW_NUMBER_MAX_DIGITS GW_LIMIT_DIGITS

typedef struct gw_number {
	double value;   /* fully scaled: 1100万 → 11000000; the low end of 五六百 */
	double max;     /* the high end of 五六百; == value otherwise */
	double scale;   /* the scale word at the end (万 → 1e4, 万亿 → 1e12); 1 when none */
	bool is_range;  /* two neighbouring digits: 五六百 → 500..600, 一两 → 1..2 */
	bool approx;    /* 几 来 多 余 inside: 十几万, 两千余, 500多亿 */
	bool chinese;   /* written with a Chinese digit (not only Arabic digits) */
} gw_number;

enum { GW_NUMBER_OK = 0, GW_NUMBER_INVALID = -1, GW_NUMBER_TOO_LONG = -2 };

/* Parse all of s[0..n) as one quantity's number: Arabic digits (ASCII or full-width, 1,325
 * thousands separators, . or ． decimals), Chinese numerals (一二三 两 〇零, 壹贰叁…拾佰仟,
 * 十百千万亿万亿, 点 decimals: 四十三点五), the two mixed (1.2万, 13万2 → 132000), with the
 * approximation marks 几 来 多 余, neighbouring-digit ranges (五六百) and a minus sign
 * (gw_minus_sign), a mixed fraction (二又三分之一 = 2 + 1/3) and 元角分 (3元5角 = 3.5).  零点五 = 0.5; 两千三点一 = 2300.1; after 万 or 亿 the rest is less than it
 * (3万4000 = 34000, 3万40000 is no number); 2，000 as 2,000 (three digits after the comma).  A digit after the
 * last scale word counts in the next lower one (一百五 = 150, 三万五 = 35000), unless a 零
 * stands between (一百零五 = 105).  Returns GW_NUMBER_OK, GW_NUMBER_INVALID (亿万, a lone
 * 零 or 陆, a list 一二三: not a number) or GW_NUMBER_TOO_LONG.
 * gw_parse_int (gongwen.h) reads ordinals and dates with the same parser: integers only, no
 * ranges or approximations, and any digit string (一九九九) is a number. */
int gw_number_parse(const char *s, size_t n, gw_number *out);

/* v to the 15 significant digits a double holds exactly: 4374.4亿 is 437440000000.00006 in binary,
 * 1/3 as a percentage 33.3333333333333. */
double gw_round15(double v);

/* The bytes of a minus sign at s[0..n) before a number: - − － before a digit, 负 零下 before
 * a digit or Chinese numeral (增长-3.2%, 零下5℃, 负增长 is none); 0 when none.
 * gw_number_parse reads it: 零下5 → −5. */
size_t gw_minus_sign(const char *s, size_t n);

/* The value of a Chinese digit (〇○零 一壹 二两贰 … 九玖), -1 when c is none; the multiplier
 * of a scale character (十拾 百佰 千仟 万萬 亿億), 0 when c is none. */
int gw_zh_digit(uint32_t c);
long long gw_zh_unit(uint32_t c);

#endif
