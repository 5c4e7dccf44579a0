/* test_core.c — the document model, offsets, ids, numerals, character classes, sha256 and the
 * record codec. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <check.h>
#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "chars.h"
#include "gongwen.h"
#include "internal.h"
#include "numeral.h"

/* The one numeral parser (numeral.c): each written form, as a quantity's number
 * (gw_number_parse) and as an ordinal or date (gw_parse_int), from one table. */
#define NOT -1.0     /* value: gw_number_parse turns it down */
#define NO LLONG_MIN /* integer: gw_parse_int turns it down */

static const struct row {
	const char *s;
	double value, max; /* max 0: the same as value */
	long long integer;
	bool approx;
} rows[] = {
    /* a digit after the last scale word counts in the next lower one (issue 11) */
    {"一百五十", 150, 0, 150, 0},
    {"一百五", 150, 0, 150, 0},
    {"三万五千", 35000, 0, 35000, 0},
    {"三万五", 35000, 0, 35000, 0},
    {"两千三", 2300, 0, 2300, 0},
    {"13万2", 132000, 0, 132000, 0},
    /* unless 零 stands between */
    {"一百零五", 105, 0, 105, 0},
    {"一千零五十", 1050, 0, 1050, 0},
    {"三万零五", 30005, 0, 30005, 0},
    {"两万零五", 20005, 0, 20005, 0},
    /* each scale word, bare and after a digit */
    {"十", 10, 0, 10, 0},
    {"十一", 11, 0, 11, 0},
    {"二十", 20, 0, 20, 0},
    {"二十三", 23, 0, 23, 0},
    {"一百", 100, 0, 100, 0},
    {"两千", 2000, 0, 2000, 0},
    {"一千三百二十五", 1325, 0, 1325, 0},
    {"一万", 10000, 0, 10000, 0},
    {"一亿", 100000000, 0, 100000000, 0},
    {"三亿五千万", 350000000, 0, 350000000, 0},
    {"一万亿", 1e12, 0, 1000000000000LL, 0},
    {"两", 2, 0, 2, 0},
    {"壹仟叁佰贰拾伍", 1325, 0, 1325, 0},
    {"貳萬", 20000, 0, 20000, 0},
    /* 廿 and 卅 are not read (no 公文 writes them in a number) */
    {"廿", NOT, 0, NO, 0},
    {"卅", NOT, 0, NO, 0},
    /* digit strings: a year; without 〇 only an ordinal or date reads one (一二三产业) */
    {"二〇二六", 2026, 0, 2026, 0},
    {"二○二二", 2022, 0, 2022, 0},
    {"二零二二", 2022, 0, 2022, 0},
    {"一九九九", NOT, 0, 1999, 0},
    /* Arabic, full-width, and mixed with scale words */
    {"1325", 1325, 0, 1325, 0},
    {"１３２５", 1325, 0, 1325, 0},
    {"1,325", 1325, 0, 1325, 0},
    {"４３．５", 43.5, 0, NO, 0},
    {"3万", 30000, 0, 30000, 0},
    {"３万", 30000, 0, 30000, 0},
    {"1.5亿", 150000000, 0, 150000000, 0},
    {"1.2万", 12000, 0, 12000, 0},
    {"1100万", 11000000, 0, 11000000, 0},
    {"99.1万亿", 99100000000000.0, 0, 99100000000000LL, 0},
    {"4374.4亿", 437440000000.0, 0, 437440000000LL, 0},
    {"3千万", 30000000, 0, 30000000, 0},
    {"0.5万", 5000, 0, 5000, 0},
    {"12.5百万", 12500000, 0, 12500000, 0},
    /* scale words not each larger than the one before, or nothing to scale: no number (the
     * tokens read these, not scaled_arabic) */
    {"3万千", NOT, 0, NO, 0},
    {"3万万", NOT, 0, NO, 0},
    {"0万亿", NOT, 0, NO, 0},
    /* decimals, ranges and approximations: quantities only */
    {"四十三点五", 43.5, 0, NO, 0},
    {"一点五万", 15000, 0, NO, 0},
    {"五六百", 500, 600, NO, 0},
    {"十四五", 14, 15, NO, 0}, /* the plan's name: the rules turn it down */
    {"十几万", 100000, 0, NO, 1},
    {"十来万", 100000, 0, NO, 1},
    {"500多亿", 50000000000.0, 0, NO, 1},
    {"两千余", 2000, 0, NO, 1},
    /* words, not numbers */
    {"亿万", NOT, 0, NO, 0},
    {"一是", NOT, 0, NO, 0},
    {"参", NOT, 0, NO, 0}, /* 参加, not 叁 */
    {"12a", NOT, 0, NO, 0},
    {"", NOT, 0, NO, 0},
    /* alone, 零 and 陆 are words in running text (零部件, a family name), numbers in a date */
    {"零", NOT, 0, 0, 0},
    {"陆", NOT, 0, 6, 0},
    {"一二三", NOT, 0, 123, 0},
};

START_TEST(each_written_form_reads_the_same_as_quantity_and_as_ordinal)
{
	const struct row *r = &rows[_i];
	gw_number n;
	long long v = NO;
	int rc = gw_number_parse(r->s, strlen(r->s), &n);

	if (r->value == NOT)
		ck_assert_msg(rc == GW_NUMBER_INVALID, "%s: read as a quantity", r->s);
	else {
		ck_assert_msg(rc == GW_NUMBER_OK, "%s: not read as a quantity", r->s);
		ck_assert_msg(n.value == r->value, "%s: %.17g, not %.17g", r->s, n.value, r->value);
		ck_assert_msg(n.max == (r->max ? r->max : r->value), "%s: max %.17g", r->s, n.max);
		ck_assert_msg(n.approx == r->approx, "%s: approx %d", r->s, n.approx);
	}
	if (!gw_parse_int(r->s, strlen(r->s), &v))
		v = NO;
	ck_assert_msg(v == r->integer, "%s: integer %lld, not %lld", r->s, v, r->integer);
}
END_TEST

/* issue 14: gw_round15 gives without printing what printing 15 digits and reading them back gives,
 * to the bit (the sign of zero too). */
START_TEST(round15_is_printing_fifteen_digits_and_reading_them_back)
{
	const double v[] = {0, -0.0, 43.5, -43.5, 437440000000.00006, 1.0 / 3 * 100, 0.1 + 0.2,
	                    1e15 - 1, 1e15 + 0.5, 123456.789012, 2.675, 1e-7, 99.99999999999999,
	                    5e-324, -1234567.1234567};

	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		char buf[40];
		double want, got = gw_round15(v[i]);

		snprintf(buf, sizeof buf, "%.15g", v[i]);
		want = strtod(buf, NULL);
		ck_assert_msg(memcmp(&want, &got, sizeof got) == 0, "%.17g: %.17g, not %.17g", v[i], got, want);
	}
}
END_TEST

/* issue 14: gw_fmt_number (the XML writer's numbers, in place) writes what gw_buf_put_number
 * always wrote: an integer below 2^53 in full (-0 too), else the shortest %.*g that reads back. */
START_TEST(numbers_are_written_as_the_shortest_decimal_that_reads_back)
{
	const double v[] = {0, -0.0, 7, -7, 1325, 9007199254740991.0, 9007199254740992.0, 1e20,
	                    43.5, -43.5, 0.35, 0.1 + 0.2, 2.675, 1e-4, 1e-7, 1.0 / 3, 99.99999999999999,
	                    123456789012345.6, 5e-324, 1.5e300, HUGE_VAL, -HUGE_VAL, NAN};

	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		char want[48], got[48];
		size_t n = gw_fmt_number(got, v[i]);

		got[n] = '\0';
		if (v[i] == floor(v[i]) && fabs(v[i]) < 9007199254740992.0)
			snprintf(want, sizeof want, "%.0f", v[i]);
		else
			for (int prec = 1; prec <= 17; prec++) {
				snprintf(want, sizeof want, "%.*g", prec, v[i]);
				if (strtod(want, NULL) == v[i])
					break;
			}
		ck_assert_str_eq(got, want);
	}
}
END_TEST

START_TEST(endless_digits_are_too_long)
{
	gw_number n;
	long long v;
	char *big = malloc(10001);

	memset(big, '7', 10000);
	big[10000] = '\0';
	ck_assert_int_eq(gw_number_parse(big, 10000, &n), GW_NUMBER_TOO_LONG);
	ck_assert(!gw_parse_int(big, 10000, &v));
	free(big);
}
END_TEST

START_TEST(character_classes_are_the_ones_every_stage_uses)
{
	static const uint32_t space[] = {' ', '\t', '\n', '\r', 0xA0, 0x2002, 0x200B, 0x3000, 0xFEFF};
	static const uint32_t han[] = {0x4E00, 0x9FA5, 0x3400, 0x20000, 0xF900, 0x3007, 0x3005};

	for (size_t i = 0; i < sizeof space / sizeof *space; i++)
		ck_assert_msg(gw_is_space(space[i]), "U+%04X is not white space", space[i]);
	ck_assert(!gw_is_space(0x2028) && !gw_is_space(0x85) && !gw_is_space('a'));
	ck_assert_int_eq(gw_space_len("\xe3\x80\x80x", 4), 3);
	ck_assert_int_eq(gw_space_len("x ", 2), 0);
	/* by its bytes, as gw_is_space says of the code point decoded, cut short or not */
	for (uint32_t c = 0; c < 0x10000; c++) {
		char b[4];
		size_t n = 0;

		if (c >= 0xD800 && c <= 0xDFFF)
			continue;
		if (c < 0x80)
			b[n++] = (char)c;
		else if (c < 0x800)
			b[n++] = (char)(0xC0 | c >> 6), b[n++] = (char)(0x80 | (c & 0x3F));
		else
			b[n++] = (char)(0xE0 | c >> 12), b[n++] = (char)(0x80 | (c >> 6 & 0x3F)),
			b[n++] = (char)(0x80 | (c & 0x3F));
		for (size_t k = 1; k <= n; k++)
			ck_assert_msg(gw_space_len(b, k) == (k == n && gw_is_space(c) ? (int)n : 0),
			              "U+%04X in %zu bytes", c, k);
	}
	ck_assert_int_eq(gw_space_len("\xe2\x80\x20", 3), 0);
	ck_assert_int_eq(gw_space_len("\xc2\x20", 2), 0);
	ck_assert(gw_is_sentence_end(0x3002) && gw_is_sentence_end(0xFF1F) && gw_is_sentence_end('!'));
	ck_assert(!gw_is_sentence_end(0xFF1B) && !gw_is_sentence_end(0xFF0C) && !gw_is_sentence_end('.'));
	for (size_t i = 0; i < sizeof han / sizeof *han; i++)
		ck_assert_msg(gw_is_han(han[i]), "U+%04X is not Han", han[i]);
	ck_assert(!gw_is_han(0x3042) && !gw_is_han(0xAC00) && !gw_is_han(0x3002)); /* あ 가 。 */
	ck_assert_int_eq(gw_digit_value('7'), 7);
	ck_assert_int_eq(gw_digit_value(0xFF19), 9);
	ck_assert_int_eq(gw_digit_value(0x4E03), -1); /* 七 is a numeral (numeral.c), not a digit */
}
END_TEST

START_TEST(one_date_check_for_xml_bulk_and_search)
{
	static const char *const days[] = {"2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31"};
	static const char *const none[] = {"2023-02-29", "1900-02-29", "2022-04-31", "0000-01-01",
	                                   "2022-13-01", "2022-00-10", "1-01-01",    "2022-1-01",
	                                   "2022/01/01", "2022-01-01T", "",          "20220101"};

	for (size_t i = 0; i < sizeof days / sizeof *days; i++)
		ck_assert_msg(gw_date_ok(days[i], false), "%s is a day", days[i]);
	for (size_t i = 0; i < sizeof none / sizeof *none; i++)
		ck_assert_msg(!gw_date_ok(none[i], true), "%s is no date", none[i]);
	ck_assert(gw_date_ok("2022", true) && gw_date_ok("2022-07", true));
	ck_assert(!gw_date_ok("2022", false) && !gw_date_ok("2022-07", false));
	ck_assert(!gw_date_ok("0000", true) && !gw_date_ok("2022-7", true) && !gw_date_ok(NULL, true));
}
END_TEST

START_TEST(idset_keeps_data_after_each_string_across_growth)
{
	gw_idset set;
	char id[16], data[16];

	gw_idset_init(&set, 1);
	for (int i = 0; i < 1000; i++) {
		snprintf(id, sizeof id, "doc%d", i);
		snprintf(data, sizeof data, "+p%d", i);
		ck_assert(gw_idset_add_data(&set, id, data, strlen(data) + 1));
	}
	ck_assert(!gw_idset_add_data(&set, "doc7", "x", 2)); /* a repeat keeps the first data */
	ck_assert(!gw_idset_add(&set, "doc999"));
	ck_assert_ptr_null(gw_idset_get(&set, "doc1000"));
	for (int i = 0; i < 1000; i += 111) {
		const char *had;

		snprintf(id, sizeof id, "doc%d", i);
		snprintf(data, sizeof data, "+p%d", i);
		had = gw_idset_get(&set, id);
		ck_assert_str_eq(had, id);
		ck_assert_str_eq(had + strlen(had) + 1, data);
	}
	gw_idset_free(&set);
}
END_TEST

START_TEST(arena_strings_survive_growth_and_reset_keeps_one_block)
{
	gw_arena *a = NULL;
	char *first, *big, *s[500], want[32];

	ck_assert(!gw_arena_owns(a, "x"));
	first = gw_arena_strndup(&a, "abc", 2);
	ck_assert_str_eq(first, "ab");
	big = gw_arena_strndup(&a, "", 0); /* an empty string takes its NUL */
	ck_assert_str_eq(big, "");
	for (int i = 0; i < 500; i++) { /* past the first block, and past the second */
		snprintf(want, sizeof want, "string %d", i);
		s[i] = gw_arena_strndup(&a, want, strlen(want));
	}
	char *huge = gw_xcalloc(20000, 1);
	memset(huge, 'h', 19999);
	big = gw_arena_strndup(&a, huge, 19999); /* longer than twice the last block */
	ck_assert_uint_eq(strlen(big), 19999);
	for (int i = 0; i < 500; i++) {
		snprintf(want, sizeof want, "string %d", i);
		ck_assert_str_eq(s[i], want);
		ck_assert(gw_arena_owns(a, s[i]));
	}
	ck_assert(gw_arena_owns(a, first) && gw_arena_owns(a, big + 19999));
	ck_assert(!gw_arena_owns(a, huge) && !gw_arena_owns(a, want));
	gw_arena_reset(a);
	ck_assert(!gw_arena_owns(a, first)); /* nothing is given out after a reset */
	first = gw_arena_strndup(&a, huge, 19999); /* the blocks became one that holds it */
	ck_assert(gw_arena_owns(a, first));
	ck_assert_mem_eq(first, huge, 20000);
	free(huge);
	gw_arena_free(a);
	gw_arena_free(NULL);
	gw_arena_reset(NULL);
}
END_TEST

/* A reused model starts as a new one, and the strings a stage malloc'd beside the ones the
 * model keeps are freed with it (make test-asan and make leakcheck see any slip). */
START_TEST(doc_reset_gives_a_new_doc_and_frees_both_kinds_of_strings)
{
	gw_doc *d = gw_doc_new(), *fresh = gw_doc_new();

	for (int round = 0; round < 3; round++) {
		gw_quantity *q;
		int n;

		d->id = gw_xstrdup("doc");
		gw_doc_meta_add(d, "title", "x");
		n = gw_doc_add_node(d, GW_LEVEL1, 0, -1, "一、", 1, "总体要求", (gw_span){0, 4},
		                    (gw_span){2, 4});
		gw_doc_assign_node_ids(d);
		gw_header_set(d, GW_H_TITLE, "关于印发的通知", (size_t)-1, (gw_span){0, 7});
		gw_doc_set_str(d, &d->header.f[GW_H_TITLE].text, "通知", strlen("通知"));
		gw_doc_set_str(d, &d->nodes[n].heading, "要求", strlen("要求"));
		q = gw_doc_add_quantity(d);
		q->text = gw_xstrdup("3个"); /* as gw_extract sets them: malloc'd */
		q->unit = gw_doc_strndup(d, "个", strlen("个")); /* or kept with the model */
		q->node = n;
		gw_doc_assign_quantity_ids(d);
		gw_doc_add_rejected(d, "2022年", strlen("2022年"), (gw_span){1, 2}, "date", NULL);
		gw_doc_diag(d, GW_W_CONTROL_CHARS, GW_NOSPAN, "%d", round);
		ck_assert_str_eq(d->nodes[0].id, "sec_1");
		ck_assert_str_eq(d->qs[0].id, "sec_1__qty_1");
		ck_assert_str_eq(d->header.f[GW_H_TITLE].text, "通知");
		ck_assert_str_eq(d->nodes[0].heading, "要求");
		if (round == 1) { /* a record's id read back is malloc'd, then replaced */
			d->nodes[0].id = gw_xstrdup("sec_9");
			gw_doc_assign_node_ids(d);
		}
		gw_doc_clear_results(d);
		ck_assert_uint_eq(d->nqs + d->nrej, 0);
		gw_doc_reset(d);
		ck_assert_int_eq(d->is_notice, fresh->is_notice);
		ck_assert(d->id == NULL && d->nnodes == 0 && d->nmeta == 0 && d->ndiags == 0);
		ck_assert(d->header.f[GW_H_TITLE].text == NULL);
		ck_assert_int_eq(d->header.f[GW_H_DATE].span.start, fresh->header.f[GW_H_DATE].span.start);
		ck_assert(d->capnodes > 0 && d->capmeta > 0); /* kept for the next document */
	}
	gw_doc_free(d);
	gw_doc_free(fresh);
}
END_TEST

START_TEST(utf8_count_counts_code_points_at_any_length)
{
	/* a, 字 (3 bytes), é (2), 𠀀 (4) repeated: every length crosses the eight-byte steps */
	const char *s = "a字é𠀀a字é𠀀a字é𠀀a字é𠀀";
	size_t n = 0;

	for (size_t len = 0; len <= strlen(s); len++) {
		n += len > 0 && ((unsigned char)s[len - 1] & 0xC0) != 0x80;
		ck_assert_uint_eq(gw_utf8_count(s, len), n);
	}
	ck_assert_uint_eq(gw_utf8_count(s, strlen(s)), 16);
}
END_TEST

START_TEST(sha256_matches_the_fips_examples)
{
	char hex[65];

	gw_sha256_hex("abc", 3, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	gw_sha256_hex("", 0, hex);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	gw_sha256_hex(m, strlen(m), hex);
	ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	m = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnop"
	    "qrlmnopqrsmnopqrstnopqrstu";
	gw_sha256_hex(m, strlen(m), hex); /* two blocks and a block of padding */
	ck_assert_str_eq(hex, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
	/* many blocks at once (by the SHA extensions when the CPU has them) */
	char *a = gw_xmalloc(1000000);
	memset(a, 'a', 1000000);
	gw_sha256_hex(a, 1000000, hex);
	ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(a);
}
END_TEST

/* The rules digest is hashed a file at a time: pieces that begin and end inside a block, fill one
 * exactly, or span several give the hash of the whole. */
START_TEST(sha256_in_pieces_matches_the_whole)
{
	static const size_t piece[] = {1, 63, 64, 65, 127, 1000, 7};
	char *a = gw_xmalloc(1000000), hex[65];
	gw_sha256 s;
	size_t at = 0;

	memset(a, 'a', 1000000);
	gw_sha256_init(&s);
	for (size_t k = 0; at < 1000000; k++) {
		size_t n = piece[k % (sizeof piece / sizeof *piece)];

		n = n < 1000000 - at ? n : 1000000 - at;
		gw_sha256_add(&s, a + at, n);
		at += n;
	}
	gw_sha256_end(&s, hex);
	ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(a);
}
END_TEST

START_TEST(offsets_map_code_points_to_source_bytes)
{
	gw_doc *d = gw_doc_new();
	uint32_t a, b;
	long line, col;

	/* source "1325 套\r\n" (UTF-8): 1 3 2 5 kept, the space dropped, 套 3 bytes, CRLF → LF */
	gw_doc_map_push(d, 0, 1, 1, 1, 1);
	gw_doc_map_push(d, 1, 1, 1, 2, 3); /* three at once go on the same run */
	gw_doc_map_push(d, 5, 3, 1, 6, 1);
	gw_doc_map_push(d, 8, 2, 1, 7, 1);
	ck_assert_uint_eq(d->nruns, 3);
	gw_doc_set_text(d, gw_xstrdup("1325套\n"), strlen("1325套\n"));
	ck_assert_uint_eq(d->ncp, 6);
	ck_assert(gw_doc_src_range(d, (gw_span){0, 5}, &a, &b));
	ck_assert_uint_eq(a, 0);
	ck_assert_uint_eq(b, 8);
	ck_assert(gw_doc_src_range(d, (gw_span){5, 6}, &a, &b));
	ck_assert_uint_eq(a, 8);
	ck_assert_uint_eq(b, 10);
	gw_doc_src_pos(d, 4, &line, &col);
	ck_assert_int_eq(line, 1);
	ck_assert_int_eq(col, 6);
	ck_assert_uint_eq(gw_doc_cp_to_byte(d, 5), 7);
	ck_assert_int_eq(gw_doc_byte_to_cp(d, 7), 5);
	ck_assert_int_eq(gw_doc_byte_to_cp(d, 5), 4); /* inside 套 */
	gw_doc_free(d);
}
END_TEST

/* gw_doc_byte_to_cp against a count a byte at a time, for every byte (inside a character too),
 * asked forwards, backwards and in long jumps: the walk from the last answer, the search and the
 * last bytes counted in one word all meet it. */
static int32_t
naive_byte_to_cp(const char *s, size_t len, size_t byte)
{
	int32_t cp = 0;

	if (byte >= len) {
		for (size_t i = 0; i < len; i++)
			cp += ((unsigned char)s[i] & 0xC0) != 0x80;
		return cp;
	}
	for (size_t i = 0; i < byte; i++)
		cp += ((unsigned char)s[i] & 0xC0) != 0x80;
	return cp - (((unsigned char)s[byte] & 0xC0) == 0x80);
}

START_TEST(byte_to_cp_is_exact_at_every_byte)
{
	static const char *const pieces[] = {"a", "\xC3\xA9", "\xE5\xAD\x97", "\xF0\x9F\x98\x80", "bc"};
	gw_doc *d = gw_doc_new();
	gw_buf b = GW_BUF_INIT;
	size_t len;

	for (int i = 0; i < 1500; i++)
		gw_buf_puts(&b, pieces[(i * 7 + i / 5) % 5]);
	len = b.len;
	gw_doc_set_text(d, b.ptr, b.len);
	b.ptr = NULL;
	for (size_t by = 0; by <= len; by++)
		ck_assert_int_eq(gw_doc_byte_to_cp(d, by), naive_byte_to_cp(d->text, len, by));
	for (size_t by = len + 1; by-- > 0;)
		ck_assert_int_eq(gw_doc_byte_to_cp(d, by), naive_byte_to_cp(d->text, len, by));
	for (size_t i = 0; i <= len; i++) {
		size_t by = i * 7919 % (len + 1);

		ck_assert_int_eq(gw_doc_byte_to_cp(d, by), naive_byte_to_cp(d->text, len, by));
	}
	gw_doc_free(d);
}
END_TEST

START_TEST(cp_index_is_exact_over_long_text)
{
	gw_doc *d = gw_doc_new();
	gw_buf b = GW_BUF_INIT;

	for (int i = 0; i < 1000; i++)
		gw_buf_puts(&b, i % 3 ? "字" : "a");
	gw_doc_set_text(d, b.ptr, b.len);
	b.ptr = NULL;
	for (int32_t cp = 0; cp <= 1000; cp++) {
		size_t by = gw_doc_cp_to_byte(d, cp);

		ck_assert_int_eq(gw_doc_byte_to_cp(d, by), cp);
	}
	gw_doc_free(d);
}
END_TEST

static gw_doc *
sample_doc(void)
{
	gw_doc *d = gw_doc_new();
	const char *t = "一、总则\n1.住房保障。完成1325套。\n1.重复。";
	int s, p;
	gw_quantity *q;

	d->id = gw_xstrdup("x");
	gw_doc_set_text(d, gw_xstrdup(t), strlen(t));
	s = gw_doc_add_node(d, GW_LEVEL1, 0, -1, "一、", 1, "总则", (gw_span){0, 26}, (gw_span){2, 4});
	p = gw_doc_add_node(d, GW_LEVEL3, 0, s, "1.", 1, "住房保障", (gw_span){5, 21}, GW_NOSPAN);
	gw_doc_add_node(d, GW_LEVEL3, 0, s, "1.", 1, NULL, (gw_span){21, 26}, GW_NOSPAN);
	gw_doc_assign_node_ids(d);
	q = gw_doc_add_quantity(d);
	q->node = p;
	q->text = gw_xstrdup("1325套");
	q->span = (gw_span){14, 19};
	q->has_value = true;
	q->value = 1325;
	q->unit = gw_xstrdup("套");
	q->kind = GW_Q_TARGET;
	gw_doc_assign_quantity_ids(d);
	return d;
}

START_TEST(node_ids_follow_akn_and_stay_unique)
{
	gw_doc *d = sample_doc();
	gw_buf err = GW_BUF_INIT;

	ck_assert_str_eq(d->nodes[0].id, "sec_1");
	ck_assert_str_eq(d->nodes[1].id, "sec_1__point_1");
	ck_assert_str_eq(d->nodes[2].id, "sec_1__point_1_2");
	ck_assert_str_eq(d->qs[0].id, "sec_1__point_1__qty_1");
	ck_assert_int_eq(gw_doc_node_at(d, 16), 1);
	ck_assert_int_eq(gw_doc_node_at(d, 1), 0);
	ck_assert_int_eq(gw_doc_validate(d, &err), 0);
	gw_doc_free(d);
}
END_TEST

START_TEST(validate_finds_a_repeated_id)
{
	gw_doc *d = sample_doc();
	gw_buf err = GW_BUF_INIT;

	/* a quantity's id that a node has */
	gw_doc_set_str(d, &d->qs[0].id, "sec_1__point_1", strlen("sec_1__point_1"));
	ck_assert_int_eq(gw_doc_validate(d, &err), -1);
	ck_assert_str_eq(err.ptr, "quantity 0: missing or repeated id");
	gw_buf_reset(&err);
	/* two nodes with one id, and a copy of it (the check compares strings, not pointers) */
	gw_doc_set_str(d, &d->nodes[2].id, "sec_1", strlen("sec_1"));
	ck_assert_int_eq(gw_doc_validate(d, &err), -1);
	ck_assert_str_eq(err.ptr, "node 2: missing or repeated id sec_1");
	gw_buf_reset(&err);
	gw_doc_set_str(d, &d->nodes[2].id, "sec_1_2", strlen("sec_1_2"));
	gw_doc_set_str(d, &d->qs[0].id, "qty_1", strlen("qty_1"));
	ck_assert_int_eq(gw_doc_validate(d, &err), 0);
	gw_buf_free(&err);
	gw_doc_free(d);
}
END_TEST

START_TEST(records_round_trip_byte_for_byte)
{
	gw_doc *d = sample_doc(), *e;
	gw_buf a = GW_BUF_INIT, b = GW_BUF_INIT, err = GW_BUF_INIT;

	gw_json_write(d, &a, 0);
	e = gw_json_read(a.ptr, a.len - 1, &err);
	ck_assert_msg(e != NULL, "read back failed: %s", err.ptr);
	gw_json_write(e, &b, 0);
	ck_assert_str_eq(a.ptr, b.ptr);
	ck_assert(strstr(a.ptr, "\"value\":1325,") != NULL);
	gw_doc_free(d);
	gw_doc_free(e);
	gw_buf_free(&a);
	gw_buf_free(&b);
}
END_TEST

/* Every header field (GW_HFIELDS) is written under its keys in their order and read back: the
 * text, the span, the 发文字号 parts, the lists and the ISO dates; 抄送 from a record keeps its list
 * and the line's span without the line's text. */
START_TEST(header_fields_round_trip_in_key_order)
{
	gw_doc *d = gw_doc_new(), *e;
	gw_buf a = GW_BUF_INIT, b = GW_BUF_INIT, err = GW_BUF_INIT;
	const char *t = "abcdefghijklmnopqrstuvwxyz", *h;
	char text[2] = "a";

	d->id = gw_xstrdup("x");
	gw_doc_set_text(d, gw_xstrdup(t), strlen(t));
	for (int f = 0; f < GW_NHFIELDS; f++, text[0]++)
		if (f != GW_H_CC)
			gw_header_set(d, f, text, 1, (gw_span){f, f + 1});
	d->header.f[GW_H_CC].span = (gw_span){20, 22};
	d->header.agency_code = gw_xstrdup("青府办发");
	d->header.year = 2022;
	d->header.serial = gw_xstrdup("012");
	d->header.date = gw_xstrdup("2023-05-01");
	d->header.print_date = gw_xstrdup("2023-05-02");
	gw_strlist_add(&d->header.addressees, "甲", 3, GW_NOSPAN);
	gw_strlist_add(&d->header.cc, "乙", 3, GW_NOSPAN);
	gw_json_write(d, &a, 0);
	ck_assert_ptr_nonnull(h = strstr(a.ptr, "\"header\":"));
	ck_assert_ptr_nonnull(strstr(h, "\"header\":{\"issuer\":\"q\",\"doc_number\":{\"text\":\"e\","
	    "\"agency_code\":\"青府办发\",\"year\":2022,\"serial\":\"012\"},\"title\":\"g\",\"doc_type\":\"h\","
	    "\"addressees\":[\"甲\"],\"addressees_text\":\"i\",\"date\":\"2023-05-01\",\"date_text\":\"l\","
	    "\"copy_no\":\"a\",\"secrecy\":\"b\",\"urgency\":\"c\",\"issuer_mark\":\"d\",\"signer\":\"f\","
	    "\"attachment_note\":\"j\",\"signature\":\"k\",\"note\":\"m\",\"cc\":[\"乙\"],\"cc_text\":null,"
	    "\"printer\":\"o\",\"print_date\":\"2023-05-02\",\"print_date_text\":\"p\",\"spans\":{"
	    "\"copy_no\":[0,1],\"secrecy\":[1,2],\"urgency\":[2,3],\"issuer_mark\":[3,4],"
	    "\"doc_number\":[4,5],\"signer\":[5,6],\"title\":[6,7],\"doc_type\":[7,8],"
	    "\"addressees\":[8,9],\"attachment_note\":[9,10],\"signature\":[10,11],\"date\":[11,12],"
	    "\"note\":[12,13],\"cc\":[20,22],\"printer\":[14,15],\"print_date\":[15,16],"
	    "\"issuer\":[16,17]}}"));
	e = gw_json_read(a.ptr, a.len - 1, &err);
	ck_assert_msg(e != NULL, "read back failed: %s", err.ptr);
	gw_json_write(e, &b, 0);
	ck_assert_str_eq(a.ptr, b.ptr);
	gw_doc_free(d);
	gw_doc_free(e);
	gw_buf_free(&a);
	gw_buf_free(&b);
	gw_buf_free(&err);
}
END_TEST

START_TEST(reader_refuses_records_with_wrong_types)
{
	gw_buf err = GW_BUF_INIT;
	const char *r1 = "{\"id\":\"a\",\"text\":5}";
	const char *r2 = "{\"id\":\"a\",\"text\":\"ab\",\"body\":[{\"kind\":\"level1\",\"span\":[0,9]}]}";

	ck_assert_ptr_null(gw_json_read(r1, strlen(r1), &err));
	ck_assert_str_eq(err.ptr, "\"text\" is not a string");
	gw_buf_reset(&err);
	ck_assert_ptr_null(gw_json_read(r2, strlen(r2), &err));
	ck_assert_str_eq(err.ptr, "a span lies outside the text");
	gw_buf_free(&err);
}
END_TEST

/* A record's offset map as gongwen writes it is read packed (json.c, lex_map) and written back as
 * its bytes; with white space, a -0, values of eight digits or past UINT32_MAX it is read as any
 * array: each gives the runs and bytes the other would, compact and pretty, and a run pushed
 * after reading is written. */
START_TEST(offset_map_reads_the_same_packed_or_not)
{
	static const struct {
		const char *map, *want; /* want: the map written back, NULL: the record is refused */
		uint32_t src;           /* the last run's source byte */
		bool packed;
	} rows[] = {
	    {"0,0,3,1,1,1,3,1,1,2,2,12345678,2,1,3", "0,0,3,1,1,1,3,1,1,2,2,12345678,2,1,3", 12345678, true},
	    {"0, 0,3,1,1,1,3,1,1,2,2,12345678,2,1,3", "0,0,3,1,1,1,3,1,1,2,2,12345678,2,1,3", 12345678, false},
	    {"-0,0,3,1,1,1,3,1,1,2,2,4294967295,2,1,-0", "0,0,3,1,1,1,3,1,1,2,2,4294967295,2,1,0", 4294967295u,
	     false},
	    {"0,0,3,1,1,1,3,1,1,2,2,123456789012,2,1,3", NULL, 0, false},
	    {"0,0,3,1,1,1,3,1,1,2,2,4294967296,2,1,3", NULL, 0, false},
	    {"1,0,3,1,1,0,3,1,1,1", NULL, 0, false}, /* out of order */
	    {"0,0,1,1,1,9,1,1,1,2", NULL, 0, false}, /* past the text */
	    {"0,0,1,1,1,9,1,1,1", NULL, 0, false},
	};
	gw_buf rec = GW_BUF_INIT, out = GW_BUF_INIT, err = GW_BUF_INIT;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		gw_doc *d;
		char want[160], spaced[160];
		size_t n = 0;

		gw_buf_reset(&rec), gw_buf_reset(&out), gw_buf_reset(&err);
		gw_buf_printf(&rec, "{\"id\":\"a\",\"text\":\"abcd\",\"offset_map\":[%s]}", rows[i].map);
		d = gw_json_read(rec.ptr, rec.len, &err);
		if (rows[i].want == NULL) {
			ck_assert_ptr_null(d);
			continue;
		}
		ck_assert_msg(d != NULL, "%s: %s", rows[i].map, err.ptr);
		ck_assert_uint_eq(d->nruns, 3);
		ck_assert_uint_eq(d->runs[2].src, rows[i].src);
		ck_assert_int_eq(d->map_json_len > 0, rows[i].packed);
		gw_json_write(d, &out, 0);
		snprintf(want, sizeof want, "\"offset_map\":[%s]", rows[i].want);
		ck_assert_msg(strstr(out.ptr, want) != NULL, "%s: %s", rows[i].map, out.ptr);
		gw_buf_reset(&out);
		gw_json_write(d, &out, GW_JSON_PRETTY);
		for (const char *c = rows[i].want; *c; c++) {
			spaced[n++] = *c;
			if (*c == ',')
				spaced[n++] = ' ';
		}
		spaced[n] = '\0';
		ck_assert_msg(strstr(out.ptr, spaced) != NULL, "%s: %s", rows[i].map, out.ptr);
		gw_doc_map_push(d, 9, 1, 3, 1, 1); /* the runs change: written from them */
		gw_buf_reset(&out);
		gw_json_write(d, &out, 0);
		ck_assert_msg(strstr(out.ptr, ",4,9,1,3,1]") != NULL, "%s: %s", rows[i].map, out.ptr);
		gw_doc_free(d);
	}
	gw_buf_free(&rec), gw_buf_free(&out), gw_buf_free(&err);
}
END_TEST

/* The rules of text, loaded from a.rules in a folder of its own (removed again). */
static gw_rules *
rules_of(const char *text, gw_buf *err)
{
	char dir[] = "/tmp/gw-rules-XXXXXX";
	char path[64];
	FILE *fp;
	gw_rules *rs;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/a.rules", dir);
	fp = fopen(path, "w");
	fputs(text, fp);
	fclose(fp);
	rs = gw_rules_load(dir, err);
	remove(path);
	rmdir(dir);
	return rs;
}

START_TEST(rules_report_file_line_and_pcre2_error)
{
	gw_buf err = GW_BUF_INIT;

	ck_assert_ptr_null(rules_of("# a broken rule\nrule x.broken\npattern (ab\nmatch ab\nnomatch c\n", &err));
	ck_assert_msg(strstr(err.ptr, "a.rules:3: rule x.broken: missing closing parenthesis at offset 3") != NULL,
	              "got: %s", err.ptr);
	gw_buf_free(&err);
}
END_TEST

START_TEST(rules_expand_defines_and_match_named_groups)
{
	gw_buf err = GW_BUF_INIT;
	gw_rules *rs;
	const gw_rule *r;
	size_t ov[4];
	int n;

	rs = rules_of("define CN [一二三四五六七八九十]\ndefine NUM {CN}+\nrule t.level1\npattern ^(?<n>{NUM})、\n"
	              "match 十一、总则\nnomatch 一是\n",
	              &err);
	ck_assert_msg(rs != NULL, "%s", err.ptr);
	r = gw_rules_get(rs, "t.level1");
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(gw_rule_group(r, "n"), 1);
	ck_assert_int_gt(gw_rule_match(r, "十一、总则", strlen("十一、总则"), 0, ov, 2), 0);
	ck_assert_uint_eq(ov[3], 6);
	ck_assert_int_eq(gw_rules_check_examples(rs, stderr, &n), 0);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(strlen(gw_rules_digest(rs)), 64);
	gw_rules_free(rs);
}
END_TEST

/* The one file of rules in the cache folder dir (the prefilters have theirs beside it): its name
 * into path, its inode and payload's first word (the number of twin records: rules.c's
 * cache_save). */
static void
cache_file(const char *dir, char *path, size_t cap, ino_t *ino, uint32_t *ntwins)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	unsigned char head[4096];
	uint32_t keylen;
	struct stat st;
	FILE *fp;
	int n = 0;

	ck_assert_ptr_nonnull(dp);
	while ((de = readdir(dp)) != NULL)
		if (strncmp(de->d_name, "rules-", 6) == 0)
			snprintf(path, cap, "%s/%s", dir, de->d_name), n++;
	closedir(dp);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(stat(path, &st), 0);
	*ino = st.st_ino;
	fp = fopen(path, "rb");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_gt(fread(head, 1, sizeof head, fp), 48);
	fclose(fp);
	memcpy(&keylen, head + 12, 4);
	ck_assert_uint_lt(32 + keylen + 8, sizeof head);
	memcpy(ntwins, head + 32 + ((keylen + 7) & ~7u), 4);
}

/* Whether PCRE2 finds start bytes for pattern (a first code unit or a bitmap). */
static bool
studied(const char *pattern)
{
	int ec;
	PCRE2_SIZE eo;
	uint32_t type = 0;
	const uint8_t *map = NULL;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	                              PCRE2_UTF | PCRE2_UCP, &ec, &eo, NULL);

	ck_assert_ptr_nonnull(c);
	pcre2_pattern_info(c, PCRE2_INFO_FIRSTCODETYPE, &type);
	pcre2_pattern_info(c, PCRE2_INFO_FIRSTBITMAP, &map);
	pcre2_code_free(c);
	return type == 1 || map != NULL;
}

/* issue 14: a load that decodes the cached codes matches as the load that compiled them, the
 * start bytes of a ^-rule's twin (start_filter) included: a wrong set would turn down 乙丙.
 * The cache holds a twin record where PCRE2 studies the pattern without its ^ only (10.42
 * studies both: none). */
START_TEST(rules_from_the_cache_match_as_compiled_ones)
{
	static const char text[] = "rule t.twin\npattern ^(?:甲|乙)丙\nmatch 乙丙\nnomatch 丙\n"
	                           "rule t.plain\npattern [一二]、\nmatch 一、\nnomatch 三、\n";
	static const char *const subjects[] = {"甲丙", "乙丙", "丙甲", "丁丙", "一、", "x二、", ""};
	char dir[] = "/tmp/gw-cache-XXXXXX", path[256];
	const char *old = getenv("GONGWEN_CACHE");
	char *keep = old ? strdup(old) : NULL;
	int cold[2][7], n;
	uint32_t ntwins;
	ino_t ino, ino2;
	gw_buf err = GW_BUF_INIT;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("GONGWEN_CACHE", dir, 1);
	for (int pass = 0; pass < 2; pass++) {
		gw_rules *rs = rules_of(text, &err);
		size_t ov[2];

		ck_assert_msg(rs != NULL, "%s", err.ptr);
		for (int k = 0; k < 2; k++)
			for (int i = 0; i < 7; i++) {
				const gw_rule *r = gw_rules_get(rs, k ? "t.plain" : "t.twin");
				const char *t = subjects[i];
				int m = gw_rule_match_at(r, t, strlen(t), 0, ov, 1) +
				        2 * gw_rule_match(r, t, strlen(t), 0, ov, 1);

				if (pass == 0)
					cold[k][i] = m;
				ck_assert_msg(m == cold[k][i], "%d %s: %d, cold %d", k, t, m, cold[k][i]);
			}
		ck_assert_int_eq(cold[0][1], 3);
		ck_assert_int_eq(gw_rules_check_examples(rs, stderr, &n), 0);
		gw_rules_free(rs);
		cache_file(dir, path, sizeof path, pass ? &ino2 : &ino, &ntwins);
		ck_assert_uint_eq(ntwins, !studied("^(?:甲|乙)丙") && studied("(?:甲|乙)丙"));
	}
	ck_assert_msg(ino == ino2, "the warm load wrote the file again: it did not read it");
	{
		DIR *dp = opendir(dir); /* the rules' file and the prefilters' */
		struct dirent *de;

		ck_assert_ptr_nonnull(dp);
		while ((de = readdir(dp)) != NULL)
			if (de->d_name[0] != '.' && snprintf(path, sizeof path, "%s/%s", dir, de->d_name) > 0)
				remove(path);
		closedir(dp);
	}
	ck_assert_int_eq(rmdir(dir), 0);
	if (keep)
		setenv("GONGWEN_CACHE", keep, 1), free(keep);
	else
		unsetenv("GONGWEN_CACHE");
	gw_buf_free(&err);
}
END_TEST

START_TEST(rules_with_catastrophic_backtracking_hit_the_limit)
{
	gw_buf err = GW_BUF_INIT;
	gw_rules *rs;
	size_t ov[2];
	gw_buf s = GW_BUF_INIT;

	rs = rules_of("rule t.bad\npattern ^(a+)+$\nmatch aaa\nnomatch b\n", &err);
	ck_assert_ptr_nonnull(rs);
	for (int i = 0; i < 40; i++)
		gw_buf_putc(&s, 'a');
	gw_buf_putc(&s, 'b');
	ck_assert_int_lt(gw_rule_match(gw_rules_get(rs, "t.bad"), s.ptr, s.len, 0, ov, 1), 0);
	gw_rules_free(rs);
	gw_buf_free(&s);
}
END_TEST

/* issue 14: the rules tried where a number starts name the first that matches, with its own
 * captures and options; a rule the prefilter does not read (a backtracking verb, caseless) is
 * still tried in its place. */
START_TEST(a_union_of_rules_names_the_first_that_matches_with_its_captures)
{
	gw_buf err = GW_BUF_INIT;
	gw_rules *rs;
	const gw_rule *r[4];
	const gw_union *u;
	size_t ov[8];

	rs = rules_of("rule t.kg\noptions caseless\npattern \\G(?<n>[0-9]+)kg\nmatch 5KG\nnomatch 5个\n"
	              "rule t.verb\npattern \\G[0-9]+(*COMMIT)件\nmatch 5件\nnomatch 5个\n"
	              "rule t.ge\npattern \\G(?<n>[0-9]+)(?<u>个)(?<p>以上)?\nmatch 5个 => n=5 u=个\nnomatch 5\n"
	              "rule t.bare\npattern \\G[0-9]+\nmatch 5\nnomatch x\n",
	              &err);
	ck_assert_msg(rs != NULL, "%s", err.ptr);
	for (int i = 0; i < 4; i++)
		r[i] = gw_rules_at(rs, (size_t)i);
	u = gw_rules_union(r, 4, false);
	ck_assert_ptr_nonnull(u);
	ck_assert_ptr_eq(gw_rules_union(r, 4, false), u);
	ck_assert_int_eq(gw_union_first_at(u, "x5Kg", 4, 1, 0, NULL, ov, 3), 0);
	ck_assert_uint_eq(ov[2], 1);
	ck_assert_uint_eq(ov[3], 2);
	ck_assert_int_eq(gw_union_first_at(u, "5件", 4, 0, 0, NULL, ov, 3), 1);
	ck_assert_int_eq(gw_union_first_at(u, "12个", 5, 0, 0, NULL, ov, 4), 2);
	ck_assert_uint_eq(ov[3], 2); /* n */
	ck_assert_uint_eq(ov[4], 2); /* u */
	ck_assert_uint_eq(ov[5], 5);
	ck_assert_uint_eq(ov[6], (size_t)-1); /* p took no part */
	ck_assert_int_eq(gw_union_first_at(u, "5只", 4, 0, 0, NULL, ov, 3), 3);
	ck_assert_uint_eq(ov[1], 1);
	ck_assert_uint_eq(ov[2], (size_t)-1); /* t.bare has no group 1 */
	ck_assert_int_eq(gw_union_first_at(u, "x", 1, 0, 0, NULL, ov, 3), 4);
	ck_assert_int_eq(gw_union_first_at(u, "12个", 5, 0, 3, NULL, ov, 3), 3); /* from the fourth on */
	gw_rules_free(rs);
}
END_TEST

/* issue 14: the prefilter turns a pattern down where it cannot match, from the code points
 * before the place, at it, after the run its first items can read (the number), and the first
 * one a lookahead stops at; what it does not read is never turned down. */
/* A prefilter of the n (at most 8) patterns pat, for a search or for places. */
static gw_prefilter *
filter_of(const char *const *pat, size_t n, bool search)
{
	size_t len[8];

	ck_assert_uint_le(n, 8);
	for (size_t k = 0; k < n; k++)
		len[k] = strlen(pat[k]);
	return gw_prefilter_new(pat, len, n, search);
}

/* One place of a string and whether each pattern may match there: may[k] is '1' or '0'. */
typedef struct at_case {
	const char *s;
	size_t at;
	const char *may;
} at_case;

/* Asks a prefilter of the n patterns pat, matched at a place, about each case, with a cursor (and,
 * with also_bare, without one: a lookahead past the place is read only with a cursor): each
 * pattern's answer must be the case's. */
static void
expect_at_may(const char *const *pat, size_t n, const at_case *cases, size_t ncases, bool also_bare)
{
	gw_prefilter *f = filter_of(pat, n, false);

	for (size_t i = 0; i < ncases; i++)
		for (int c = 1; c >= (also_bare ? 0 : 1); c--) { /* with a cursor, and without */
			gw_prefilter_mask may;

			gw_prefilter_at(f, cases[i].s, strlen(cases[i].s), cases[i].at,
			                c ? &(gw_prefilter_cursor){0} : NULL, &may);
			for (size_t k = 0; k < n; k++)
				ck_assert_msg(gw_prefilter_may(f, &may, k) == (cases[i].may[k] == '1'),
				              "%s at %zu, pattern %zu", cases[i].s, cases[i].at, k);
		}
	gw_prefilter_free(f);
}

START_TEST(the_prefilter_turns_down_only_patterns_that_cannot_match)
{
	static const char *const pat[] = {
	    "\\G(?<n>[0-9]+)(?:个|件)(?<p>以上)?", /* 0: a unit after the number */
	    "\\G(?:第|(?<=第))[0-9]+",             /* 1: 第 before or at the place */
	    "\\G[0-9]+年一遇",                      /* 2: two code points after the number */
	    "\\G(?<=人大)[0-9]次",                  /* 3: two code points before */
	    "\\G[0-9](?=[^》\\n]{0,9}》)",          /* 4: the first of 》 or a line end after it is 》 */
	    "\\G[0-9]+(*COMMIT)件",                 /* 5: a verb: not read */
	    "\\G(?i:[0-9]+kg)",                     /* 6: options: not read */
	    "\\G\\d+\\.",                            /* 7: \d, a decimal digit (UCP) */
	};
	static const at_case cases[] = {
	    {"5个", 0, "10000110"},    {"12件以上", 0, "10000110"}, {"5年", 0, "00000110"},
	    {"第5条", 3, "01000110"},  {"5年一遇", 0, "00100110"},  {"人大2次", 6, "00010110"},
	    {"大2次", 3, "00000110"},  {"x", 0, "00000110"},      {"12件》", 0, "10001110"},
	    {"3\n》", 0, "00000110"}, {"５.", 0, "00000111"},     {"一.", 0, "00000110"},
	    /* 下 (E4 B8 8B) ends in the last byte of 》 (E3 80 8B): not a stop (session 8) */
	    {"1下》", 0, "00001110"},  {"1下下", 0, "00000110"},    {"1下\n》", 0, "00000110"},
	};
	expect_at_may(pat, sizeof pat / sizeof *pat, cases, sizeof cases / sizeof *cases, false);
}
END_TEST

/* session 7: a pattern anchored at the end ($ \z \Z last) is turned down where the last code
 * point before the end is not one its match can end with: the subject's end, or the first line
 * end from the place on for a pattern that consumes none (its $ matches there or nowhere, with
 * multiline or without).  A string that ends in the set is always let through. */
START_TEST(the_prefilter_turns_down_a_pattern_that_cannot_end_where_the_line_does)
{
	static const char *const pat[] = {
	    "^\\h*(?:时间|阅读量)\\h*[:：]\\h*$",           /* 0: : or ： or a \h space */
	    "^(?=(?s:.*+)(?<=发|\\h))\\h*印\\h*发\\h*$",    /* 1: 发 or a \h space */
	    "^[0-9]+(?:条|章)?$",                           /* 2: optional: a digit, 条 or 章 */
	    "^a|b$",                                        /* 3: only the second alternative */
	    "^\\h*$",                                       /* 4: may match empty: no condition */
	    "^x[^y]*z\\z",                                  /* 5: z; reads line ends: the subject's */
	};
	static const at_case cases[] = {
	    {"时间：", 0, "100010"},      {"时间： ", 0, "100010"},   {"时间：x", 0, "000010"},
	    {"阅读量:\n5", 0, "100010"}, {"阅读量:5\n", 0, "000010"}, {"印发", 0, "010010"},
	    {"印 发\t", 0, "010010"},     {"印发的", 0, "000010"},    {"12条", 0, "001010"},
	    {"12", 0, "001010"},          {"12个", 0, "000010"},      {"12\n", 0, "001010"},
	    {"12个\n", 0, "000010"},      {"12\n个", 0, "001010"},    {"ab", 0, "000110"},
	    {"cb", 1, "000110"},          {"cbc", 1, "000010"},       {"xz", 0, "000011"},
	    {"xq", 0, "000010"},          {"xq\nz", 0, "000011"},     {"xq\nq", 0, "000011"},
	    {"x\nq", 2, "000010"},        {"\n12", 0, "000010"},
	};
	expect_at_may(pat, sizeof pat / sizeof *pat, cases, sizeof cases / sizeof *cases, true);
}
END_TEST

/* Asks a search prefilter of the n patterns pat whether each may match in each case's string:
 * cases[i][1] holds '1' or '0' per pattern. */
static void
expect_search_may(const char *const *pat, size_t n, const char *const (*cases)[2], size_t ncases)
{
	gw_prefilter *f = filter_of(pat, n, true);

	for (size_t i = 0; i < ncases; i++) {
		gw_prefilter_mask may;
		char got[9] = "";

		gw_prefilter_in(f, cases[i][0], strlen(cases[i][0]), &may);
		for (size_t k = 0; k < n; k++)
			got[k] = gw_prefilter_may(f, &may, k) ? '1' : '0';
		ck_assert_msg(strcmp(got, cases[i][1]) == 0, "case %zu: %s, not %s", i, got, cases[i][1]);
	}
	gw_prefilter_free(f);
}

/* issue 14: for a search, a pattern anchored at both ends of the string is turned down where the
 * string holds a code point none of its items consumes (a line end at the end is let through);
 * \p in a class, (?s:…) and a reference by name are read (as any code point, any run). */
START_TEST(a_search_prefilter_turns_down_a_string_an_anchored_pattern_cannot_hold)
{
	static const char *const pat[] = {"\\G[^、]*达$", "^(?:分|分成)$", "达", "\\G[^、]*达",
	                                  "[\\p{Han}]{0,4}罚", "(?<x>罚)(?s:.)\\k<x>"};
	static const char *const cases[][2] = {
	    {"全区达", "101100"}, {"新建、达", "001100"}, {"分成", "010000"},
	    {"分\n", "010000"},   {"的罚款", "000011"},
	};

	expect_search_may(pat, 6, cases, sizeof cases / sizeof *cases);
}
END_TEST

/* issue 14: a code point's masks are found through blocks of 64 code points kept once: the
 * code points on either side of a block's edge, those of the blocks that share one, the first of
 * three bytes and those above the BMP keep their own. */
START_TEST(a_prefilter_tells_code_points_apart_across_its_blocks)
{
	static const char *const pat[] = {"[\\x{4E3F}\\x{4E40}]", "\\x{1F600}", "[a-c]", "\\x{800}",
	                                  "[\\x{9FA5}]"};
	static const char *const cases[][2] = {
	    {"\u4E3F", "10000"}, {"\u4E40", "10000"}, {"\u4E3E", "00000"}, {"\u4E41", "00000"},
	    {"\U0001F600", "01000"}, {"\U0001F601", "00000"}, {"b", "00100"}, {"d", "00000"},
	    {"\u0800", "00010"}, {"\u07FF", "00000"}, {"\u9FA5", "00001"}, {"\u9FA4\u9FA6", "00000"},
	    {"x\u4E40\U0001F600c", "11100"}, {"\xE4\xB8", "00000"},
	};

	expect_search_may(pat, 5, cases, sizeof cases / sizeof *cases);
}
END_TEST

/* gw_read_lines hands each line over in place (stream.c reads into one buffer): CR LF and a last
 * line without its newline, an empty line, and a line longer than the buffer it starts in. */
typedef struct seen_lines {
	int n;
	char *text[8];
	size_t len[8];
	long lineno[8];
	bool complete[8];
} seen_lines;

static int
keep_line(void *ctx, char *line, size_t len, long lineno, bool complete)
{
	seen_lines *l = ctx;

	ck_assert_int_lt(l->n, 8);
	ck_assert_int_eq(line[len], '\0');
	l->text[l->n] = gw_xstrndup(line, len);
	l->len[l->n] = len;
	l->lineno[l->n] = lineno;
	l->complete[l->n++] = complete;
	return lineno == 2 ? 1 : 0;
}

START_TEST(lines_are_read_whole_across_reads_without_their_ends)
{
	FILE *fp = tmpfile();
	seen_lines l = {0};
	size_t big = 700000; /* past the first buffer of 256 KiB and its first doubling */
	char *x = malloc(big + 1);

	ck_assert_ptr_nonnull(fp);
	memset(x, 'x', big);
	x[big] = '\0';
	fprintf(fp, "a\r\nbb\r\r\n\n%s\nlast", x);
	rewind(fp);
	ck_assert_int_eq(gw_read_lines(fp, "tmp", keep_line, &l), 1); /* the worst status of fn */
	ck_assert_int_eq(l.n, 5);
	ck_assert_str_eq(l.text[0], "a");
	ck_assert_str_eq(l.text[1], "bb");
	ck_assert_str_eq(l.text[2], "");
	ck_assert_uint_eq(l.len[3], big);
	ck_assert_int_eq(strspn(l.text[3], "x"), big);
	ck_assert_str_eq(l.text[4], "last");
	ck_assert(l.complete[3] && !l.complete[4]);
	ck_assert_int_eq(l.lineno[4], 5);
	for (int i = 0; i < l.n; i++)
		free(l.text[i]);
	free(x);
	fclose(fp);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, each_written_form_reads_the_same_as_quantity_and_as_ordinal, 0,
	                    (int)(sizeof rows / sizeof rows[0]));
	tcase_add_test(tc, endless_digits_are_too_long);
	tcase_add_test(tc, round15_is_printing_fifteen_digits_and_reading_them_back);
	tcase_add_test(tc, numbers_are_written_as_the_shortest_decimal_that_reads_back);
	tcase_add_test(tc, character_classes_are_the_ones_every_stage_uses);
	tcase_add_test(tc, one_date_check_for_xml_bulk_and_search);
	tcase_add_test(tc, idset_keeps_data_after_each_string_across_growth);
	tcase_add_test(tc, arena_strings_survive_growth_and_reset_keeps_one_block);
	tcase_add_test(tc, doc_reset_gives_a_new_doc_and_frees_both_kinds_of_strings);
	tcase_add_test(tc, utf8_count_counts_code_points_at_any_length);
	tcase_add_test(tc, sha256_matches_the_fips_examples);
	tcase_add_test(tc, sha256_in_pieces_matches_the_whole);
	tcase_add_test(tc, offsets_map_code_points_to_source_bytes);
	tcase_add_test(tc, cp_index_is_exact_over_long_text);
	tcase_add_test(tc, byte_to_cp_is_exact_at_every_byte);
	tcase_add_test(tc, node_ids_follow_akn_and_stay_unique);
	tcase_add_test(tc, validate_finds_a_repeated_id);
	tcase_add_test(tc, records_round_trip_byte_for_byte);
	tcase_add_test(tc, header_fields_round_trip_in_key_order);
	tcase_add_test(tc, reader_refuses_records_with_wrong_types);
	tcase_add_test(tc, offset_map_reads_the_same_packed_or_not);
	tcase_add_test(tc, rules_report_file_line_and_pcre2_error);
	tcase_add_test(tc, rules_expand_defines_and_match_named_groups);
	tcase_add_test(tc, rules_from_the_cache_match_as_compiled_ones);
	tcase_add_test(tc, rules_with_catastrophic_backtracking_hit_the_limit);
	tcase_add_test(tc, a_union_of_rules_names_the_first_that_matches_with_its_captures);
	tcase_add_test(tc, the_prefilter_turns_down_only_patterns_that_cannot_match);
	tcase_add_test(tc, the_prefilter_turns_down_a_pattern_that_cannot_end_where_the_line_does);
	tcase_add_test(tc, a_search_prefilter_turns_down_a_string_an_anchored_pattern_cannot_hold);
	tcase_add_test(tc, a_prefilter_tells_code_points_apart_across_its_blocks);
	tcase_add_test(tc, lines_are_read_whole_across_reads_without_their_ends);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
