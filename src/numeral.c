/* numeral.c — Arabic and Chinese numerals (and the two mixed) to values: the one parser, for
 * quantities (fully scaled values) and for ordinals, dates and years (integers). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chars.h"
#include "gongwen.h"
#include "numeral.h"
#include "internal.h"

/* At most this many tokens in one number: 三千五百六十七万八千九百零一亿… is far shorter. */
#define MAX_TOKENS 48

enum tok_kind { T_VAL, T_SCALE, T_POINT, T_APPROX, T_JI };

typedef struct tok {
	enum tok_kind kind;
	double v;     /* T_VAL: the value; T_SCALE: the multiplier */
	bool digit;   /* T_VAL: one Chinese digit (or one Arabic digit) */
	bool zero;    /* T_VAL: 零 〇 ○ */
	bool upper;   /* 壹 贰 … 拾 佰 仟: the financial forms */
} tok;

int
gw_zh_digit(uint32_t c)
{
	switch (c) {
	case 0x3007: case 0x25CB: case 0x96F6: return 0; /* 〇 ○ (often typed for 〇) 零 */
	case 0x4E00: case 0x58F9: case 0x5F0C: return 1; /* 一 壹 弌 */
	case 0x4E8C: case 0x4E24: case 0x8D30: case 0x8CB3: case 0x5169: return 2; /* 二 两 贰 貳 兩 */
	case 0x4E09: case 0x53C1: case 0x53C3: return 3; /* 三 叁 參 (not 参, as in 参加) */
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

/* The financial (uppercase) numerals: alone, 陆 and 伍 are family names, not numbers. */
static bool
is_upper(uint32_t c)
{
	static const uint32_t up[] = {0x58F9, 0x8D30, 0x8CB3, 0x53C1, 0x53C3, 0x8086, 0x4F0D, 0x9646,
	                              0x9678, 0x67D2, 0x634C, 0x7396, 0x62FE, 0x4F70, 0x4EDF};

	for (size_t i = 0; i < sizeof up / sizeof up[0]; i++)
		if (up[i] == c)
			return true;
	return false;
}

/* Whether exactly three digits (ASCII or full-width) stand at s[i..n). */
static bool
three_digits_follow(const char *s, size_t i, size_t n)
{
	int k = 0, len;
	uint32_t c;

	while (i < n && (len = gw_utf8_decode(s + i, n - i, &c)) > 0 && gw_digit_value(c) >= 0)
		k++, i += (size_t)len;
	return k == 3;
}

/* Read an Arabic number (1,325.5 ５．５) at s[0..n) into t; returns bytes used, 0 when too long. */
static size_t
read_arabic(const char *s, size_t n, tok *t, bool *too_long)
{
	char buf[GW_NUMBER_MAX_DIGITS + 8];
	size_t i = 0, k = 0, ndig = 0;
	bool point = false;
	uint32_t c;
	int len;

	while (i < n && (len = gw_utf8_decode(s + i, n - i, &c)) > 0) {
		int d = gw_digit_value(c);

		if (d >= 0) {
			if (++ndig > GW_NUMBER_MAX_DIGITS) {
				*too_long = true;
				return 0;
			}
			buf[k++] = (char)('0' + d);
		} else if ((c == ',' || c == 0xFF0C) && !point && k > 0) {
			/* a thousands separator only before exactly three digits: 1,325 ２，０００
			 * (3，5 is two numbers and a clause comma) */
			if (!three_digits_follow(s, i + (size_t)len, n))
				break;
		} else if ((c == '.' || c == 0xFF0E) && !point && k > 0) {
			uint32_t c2 = 0;

			if (i + (size_t)len >= n || gw_utf8_decode(s + i + len, n - i - len, &c2) == 0 ||
			    gw_digit_value(c2) < 0)
				break;
			point = true;
			buf[k++] = '.';
		} else
			break;
		i += (size_t)len;
	}
	buf[k] = '\0';
	t->kind = T_VAL;
	t->v = strtod(buf, NULL);
	t->digit = k == 1;
	t->zero = false;
	t->upper = false;
	return i;
}

/* Split s[0..n) into tokens; GW_NUMBER_OK or why not. */
static int
tokenize(const char *s, size_t n, tok *t, int *nt, bool *chinese)
{
	size_t i = 0;
	bool too_long = false;

	*nt = 0;
	while (i < n) {
		uint32_t c;
		int len = gw_utf8_decode(s + i, n - i, &c);
		tok *k = &t[*nt];
		int d;

		if (len == 0)
			return GW_NUMBER_INVALID;
		if (*nt >= MAX_TOKENS)
			return GW_NUMBER_TOO_LONG;
		if (gw_digit_value(c) >= 0) {
			size_t used = read_arabic(s + i, n - i, k, &too_long);

			if (too_long)
				return GW_NUMBER_TOO_LONG;
			i += used;
			(*nt)++;
			continue;
		}
		if ((d = gw_zh_digit(c)) >= 0)
			*k = (tok){T_VAL, d, true, d == 0, is_upper(c)}, *chinese = true;
		else if (gw_zh_unit(c) > 0)
			*k = (tok){T_SCALE, (double)gw_zh_unit(c), false, false, is_upper(c)},
			*chinese = true;
		else if (c == 0x70B9 || c == 0x9EDE) /* 点 點 */
			*k = (tok){T_POINT, 0, false, false, false};
		else if (c == 0x591A || c == 0x4F59 || c == 0x6765) /* 多 余 来 */
			*k = (tok){T_APPROX, 0, false, false, false};
		else if (c == 0x51E0) /* 几 */
			*k = (tok){T_JI, 0, true, false, false};
		else
			return GW_NUMBER_INVALID;
		(*nt)++;
		i += (size_t)len;
	}
	return *nt ? GW_NUMBER_OK : GW_NUMBER_INVALID;
}

/* 五六 七八 一两: two neighbouring digits, an approximate range. */
static bool
neighbours(const tok *a, const tok *b)
{
	return a->digit && b->digit && !a->zero && b->v == a->v + 1;
}

/* A run of digits with no scale word: 二〇二二 → 2022, 一两 → 1..2. */
static int
eval_digits(const tok *t, int nt, gw_number *out)
{
	double v = 0;
	int i;

	if (nt == 2 && neighbours(&t[0], &t[1]) && t[0].v + t[1].v > 0) {
		out->value = t[0].v, out->max = t[1].v, out->is_range = true;
		return GW_NUMBER_OK;
	}
	bool zero = false;

	for (i = 0; i < nt; i++) {
		if (t[i].kind != T_VAL || !t[i].digit)
			return GW_NUMBER_INVALID;
		v = v * 10 + t[i].v;
		zero |= t[i].zero;
	}
	/* 一二三 (一二三产业) is a list of ordinals; digit strings have a 〇: 二〇二二, 一〇〇 */
	if (!zero)
		return GW_NUMBER_INVALID;
	out->value = out->max = v;
	return GW_NUMBER_OK;
}

/* Whether the last token is a digit that may count in the scale below: 一百五, not 一百五多. */
static bool
tail_digit(const tok *t, int nt)
{
	return t[nt - 1].kind != T_APPROX && (t[nt - 1].digit || t[nt - 1].kind == T_JI);
}

/* Add what follows the last scale word.  A lone digit after it counts in the next lower one
 * (一百五 = 150, 三万五 = 35000, 13万2 = 132000, 两千三点一 = 2300.1: ip is the whole part of
 * a decimal), unless a 零 stands between (一百零五 = 105: plain).  What is left after 万 or
 * 亿 is less than it (3万4000); 3万40000 is no number. */
static int
add_tail(double *val, double num, double ip, double last_scale, bool plain)
{
	double whole = ip >= 0 ? ip : num;

	if (!plain && last_scale >= 10 && whole < 10 && whole == (long)whole) {
		*val += whole * last_scale / 10 + (num - whole);
		return GW_NUMBER_OK;
	}
	if (last_scale >= 1e4 && num >= last_scale)
		return GW_NUMBER_INVALID;
	*val += num;
	return GW_NUMBER_OK;
}

typedef struct term {
	double v, level;
} term;

/* Positional evaluation with scale words; pick chooses the low (0) or high (1) digit of a
 * neighbouring pair.  Everything below a scale word is multiplied by it: 99.1万亿, 三亿五千万. */
static int
eval_positional(const tok *t, int nt, int pick, double *val)
{
	term st[MAX_TOKENS];
	int ns = 0, i, frac = 0;
	double num = -1, ip = -1, last_scale = 0;
	bool zero = false, paired = false;

	for (i = 0; i < nt; i++) {
		const tok *k = &t[i];

		if (k->kind == T_APPROX)
			continue;
		if (k->kind == T_POINT) {
			if (num < 0 && (zero || ns > 0))
				num = 0; /* 零点五, 十点五, 一百点五: the whole part is above */
			if (num < 0 || frac)
				return GW_NUMBER_INVALID;
			/* the whole part, when one digit that may count in the scale below: 两千三点一 */
			ip = i > 0 && t[i - 1].kind == T_VAL && t[i - 1].digit && !zero ? num : -1;
			frac = 1;
			continue;
		}
		if (k->kind == T_VAL || k->kind == T_JI) {
			double v = k->kind == T_JI ? (i == 0 ? 1 : 0) : k->v;

			if (frac) {
				double f = 1;

				if (!k->digit)
					return GW_NUMBER_INVALID;
				for (int j = 0; j < frac; j++)
					f /= 10;
				num += v * f, frac++;
			} else if (k->zero && k->kind == T_VAL)
				zero = true;
			else if (num >= 0) {
				if (paired || !neighbours(&t[i - 1], k))
					return GW_NUMBER_INVALID; /* 十四五 */
				paired = true;
				num = pick ? v : num;
			} else
				num = v;
			continue;
		}
		/* a scale word */
		{
			double s = k->v, sum = 0;

			while (ns > 0 && st[ns - 1].level < s)
				sum += st[--ns].v;
			if (num < 0 && sum == 0 && !(s <= 1e4 && i == 0))
				return GW_NUMBER_INVALID; /* 亿万, 亿 with nothing before (超万亿元 is 1e12) */
			st[ns++] = (term){(sum + (num >= 0 ? num : (sum > 0 ? 0 : 1))) * s, s};
			num = -1, ip = -1, frac = 0, zero = false, last_scale = s;
		}
	}
	*val = 0;
	for (i = 0; i < ns; i++)
		*val += st[i].v;
	if (num >= 0)
		return add_tail(val, num, frac ? ip : -1, last_scale, zero || (!frac && !tail_digit(t, nt)));
	return GW_NUMBER_OK;
}

/* The product of the scale words at the end: 万亿 → 1e12, 1100万 → 1e4; 1 when none. */
static double
trailing_scale(const tok *t, int nt)
{
	double s = 1;

	while (nt > 0 && t[nt - 1].kind == T_APPROX)
		nt--;
	while (nt > 0 && t[nt - 1].kind == T_SCALE)
		s *= t[--nt].v;
	return s;
}

/* 4374.4亿 is 437440000000.00006 in binary: keep the 15 digits a double holds exactly.  Without
 * printing when v times 10^k rounds to an integer N of at most 15 digits (k = 0..6: most
 * numbers, issue 14): v is then within half an ulp of N of N / 10^k, far closer than half its
 * 15th digit, so printing gives the digits of N / 10^k and strtod their nearest double, which is
 * the correctly rounded N / 10^k (both exact doubles). */
double
gw_round15(double v)
{
	char buf[40];
	double p = 1;

	for (int k = 0; k <= 6; k++, p *= 10) {
		double n = v * p;

		if (n > -1e15 && n < 1e15 && n == (double)(long long)n)
			return n / p;
	}
	snprintf(buf, sizeof buf, "%.15g", v);
	return strtod(buf, NULL);
}

/* The bytes of a minus sign at s[0..n): - − － 负 零下 (before a digit), 0 when none. */
size_t
gw_minus_sign(const char *s, size_t n)
{
	static const char *const signs[] = {"-", "\xe2\x88\x92", "\xef\xbc\x8d", "负", "零下"};

	for (size_t k = 0; k < sizeof signs / sizeof signs[0]; k++) {
		size_t l = strlen(signs[k]);
		uint32_t c;

		if (n > l && memcmp(s, signs[k], l) == 0 && gw_utf8_decode(s + l, n - l, &c) > 0 &&
		    (gw_digit_value(c) >= 0 || (k >= 3 && (gw_zh_digit(c) > 0 || gw_zh_unit(c) == 10))))
			return l;
	}
	return 0;
}

/* A negative number: the positive one read, then turned round (负五六 → −6..−5). */
static int
negate(int rc, gw_number *out)
{
	double v = out->value;

	out->value = -out->max, out->max = -v;
	return rc;
}

/* 二又三分之一 = 2 + 1/3: a whole number, 又, a fraction (you: where 又 is in s[0..n)). */
static int
parse_mixed(const char *s, size_t n, const char *you, gw_number *out)
{
	const char *den = you + 3, *fz = gw_find(den, (size_t)(s + n - den), "分之", 6);
	gw_number num, d;

	if (fz == NULL || gw_number_parse(s, (size_t)(you - s), out) != GW_NUMBER_OK ||
	    gw_number_parse(den, (size_t)(fz - den), &d) != GW_NUMBER_OK ||
	    gw_number_parse(fz + 6, (size_t)(s + n - fz - 6), &num) != GW_NUMBER_OK ||
	    out->is_range || d.is_range || num.is_range || d.value <= 0 || num.value >= d.value)
		return GW_NUMBER_INVALID;
	out->value = out->max = gw_round15(out->value + num.value / d.value);
	out->scale = 1;
	return GW_NUMBER_OK;
}

/* 3元5角2分 = 3.52, 3元零5分 = 3.05: yuan, jiao and fen, one amount in 元.  A jiao or fen
 * is one digit. */
static int
parse_yuan(const char *s, size_t n, gw_number *out)
{
	static const char *const marks[] = {"元", "角", "分"};
	static const double worth[] = {1, 0.1, 0.01};
	double v = 0;
	size_t i = 0;
	gw_number part;

	for (int k = 0; k < 3 && i < n; k++) {
		const char *m = gw_find(s + i, n - i, marks[k], 3);

		if (m == NULL)
			continue;
		if (m == s + i || gw_number_parse(s + i, (size_t)(m - s) - i, &part) != GW_NUMBER_OK ||
		    part.is_range || (k > 0 && (part.approx || part.value >= 10)))
			return GW_NUMBER_INVALID;
		v += part.value * worth[k];
		i = (size_t)(m - s) + 3;
	}
	if (i != n)
		return GW_NUMBER_INVALID;
	memset(out, 0, sizeof *out);
	out->value = out->max = gw_round15(v);
	out->scale = 1;
	return GW_NUMBER_OK;
}

/* The value of an ASCII number without sign, separator or scale word (2024, 12.5) in *v, as
 * read_arabic reads it (strtod of its digits); false for another. */
static bool
arabic_value(const char *s, size_t n, double *v)
{
	static const double pow10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14};
	char buf[GW_NUMBER_MAX_DIGITS + 1];
	size_t point = 0; /* digits after the point */
	bool dot = false;

	*v = 0;
	if (n == 0 || n > GW_NUMBER_MAX_DIGITS || s[0] == '.' || s[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.' && !dot)
			dot = true;
		else if (s[i] >= '0' && s[i] <= '9')
			*v = *v * 10 + (s[i] - '0'), point += dot;
		else
			return false;
	}
	/* at most 15 digits: v is exact, and so is its quotient by 10^point rounded, as strtod rounds
	 * the digits read_arabic gives it; more: as read_arabic reads them */
	if (n - dot <= 15)
		*v /= pow10[point];
	else {
		memcpy(buf, s, n), buf[n] = '\0';
		*v = strtod(buf, NULL);
	}
	return true;
}

/* An ASCII number without sign, separator or scale word (2024, 12.5: most of them) read as
 * tokenize and the evaluation would read it, without them (issue 14); false for another. */
static bool
plain_arabic(const char *s, size_t n, gw_number *out)
{
	double v;

	if (!arabic_value(s, n, &v))
		return false;
	*out = (gw_number){gw_round15(v), gw_round15(v), 1, false, false, false};
	return true;
}

/* An ASCII number above 0 and scale words each larger than the one before (1100万, 1.2亿,
 * 9.5万亿, 3千万: four in five of the others) read as tokenize and eval_positional would read
 * it, without them (issue 14: 2,000 instructions a number, strtod and the evaluation twice):
 * each scale word multiplies all before it, as eval_positional's stack does when it pops the one
 * term there; the scale is the product of the scale words from the last back, as
 * trailing_scale makes it.  False for another (those the tokens read). */
static bool
scaled_arabic(const char *s, size_t n, gw_number *out)
{
	size_t a = 0;
	double v, level = 0, scale = 1;

	while (a < n && ((s[a] >= '0' && s[a] <= '9') || s[a] == '.'))
		a++;
	if (a == n || !arabic_value(s, a, &v) || !(v > 0) || (n - a) % 3 != 0)
		return false;
	for (size_t i = a; i < n; i += 3) {
		uint32_t c;
		double u;

		if (gw_utf8_decode_fast(s + i, n - i, &c) != 3 || (u = (double)gw_zh_unit(c)) <= level)
			return false;
		v *= u, level = u;
	}
	for (size_t i = n; i > a; i -= 3) {
		uint32_t c;

		gw_utf8_decode_fast(s + i - 3, 3, &c);
		scale *= (double)gw_zh_unit(c);
	}
	v = gw_round15(v);
	*out = (gw_number){v, v, scale, false, false, true};
	return true;
}

int
gw_number_parse(const char *s, size_t n, gw_number *out)
{
	tok t[MAX_TOKENS];
	int nt, rc, i;
	bool scales = false, digits_only = true;
	size_t minus;
	const char *you;

	if (plain_arabic(s, n, out) || scaled_arabic(s, n, out))
		return GW_NUMBER_OK;
	minus = gw_minus_sign(s, n);
	you = gw_find(s, n, "又", 3);
	if (minus)
		return negate(gw_number_parse(s + minus, n - minus, out), out);
	if (you)
		return parse_mixed(s, n, you, out);
	if (gw_find(s, n, "元", 3))
		return parse_yuan(s, n, out);
	memset(out, 0, sizeof *out);
	out->scale = 1;
	rc = tokenize(s, n, t, &nt, &out->chinese);
	if (rc != GW_NUMBER_OK)
		return rc;
	for (i = 0; i < nt; i++) {
		if (t[i].kind == T_SCALE)
			scales = true;
		if (t[i].kind == T_APPROX || t[i].kind == T_JI)
			out->approx = true;
		if (t[i].kind != T_VAL || !t[i].digit || !out->chinese)
			digits_only = false;
	}
	if (t[0].kind == T_APPROX || t[0].kind == T_POINT)
		return GW_NUMBER_INVALID;
	/* a lone 零 (零部件, 零容忍) or a lone 陆 伍 (names) is a word, not a number */
	if (nt == 1 && t[0].kind == T_VAL && (t[0].zero || t[0].upper))
		return GW_NUMBER_INVALID;
	if (digits_only && nt > 1)
		return eval_digits(t, nt, out);
	rc = eval_positional(t, nt, 0, &out->value);
	if (rc != GW_NUMBER_OK)
		return rc;
	rc = eval_positional(t, nt, 1, &out->max);
	if (rc != GW_NUMBER_OK)
		return rc;
	out->is_range = out->max != out->value;
	out->scale = scales ? trailing_scale(t, nt) : 1;
	out->value = gw_round15(out->value);
	out->max = gw_round15(out->max);
	return GW_NUMBER_OK;
}

/* Ordinals, dates and 发文字号 years (gongwen.h): the same tokens and evaluation, integers
 * only; a digit string needs no 〇 here (一九九九年, 第一二三 is not written). */
bool
gw_parse_int(const char *s, size_t n, long long *out)
{
	tok t[MAX_TOKENS];
	int nt, i;
	bool chinese = false, digits = true;
	double lo = 0, hi;

	if (tokenize(s, n, t, &nt, &chinese) != GW_NUMBER_OK)
		return false;
	for (i = 0; i < nt; i++) {
		if (t[i].kind != T_VAL && t[i].kind != T_SCALE)
			return false; /* 点 几 多 余 来 */
		digits &= t[i].kind == T_VAL && t[i].digit;
	}
	if (digits && nt > 1) {
		for (i = 0; i < nt; i++)
			lo = lo * 10 + t[i].v;
		hi = lo;
	} else if (eval_positional(t, nt, 0, &lo) != GW_NUMBER_OK ||
	           eval_positional(t, nt, 1, &hi) != GW_NUMBER_OK)
		return false;
	lo = gw_round15(lo), hi = gw_round15(hi);
	if (lo != hi || lo > 1e15 || lo != (double)(long long)lo)
		return false; /* 五六十 (a range), 1.5, or too long for an ordinal */
	*out = (long long)lo;
	return true;
}
