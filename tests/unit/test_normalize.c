/* test_normalize.c — gw_normalize: decoding, each normalisation step, the offset map, decoration
 * and the documents that become error records. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongwen.h"

static gw_normalizer *nz;
static gw_rules *rules;

static void
setup(void)
{
	gw_buf err = GW_BUF_INIT;

	nz = gw_normalizer_new(&err);
	ck_assert_msg(nz != NULL, "%s", err.ptr);
	gw_buf_free(&err);
}

static void
teardown(void)
{
	gw_normalizer_free(nz);
	gw_rules_free(rules);
	rules = NULL;
}

static gw_doc *
norm_bytes(const char *s, size_t n)
{
	gw_doc *d = gw_doc_new();

	d->id = gw_xstrdup("t");
	gw_normalize(nz, d, s, n);
	return d;
}

static gw_doc *
norm(const char *s)
{
	return norm_bytes(s, strlen(s));
}

/* The normalised text of s (the document is freed). */
static char *
text_of(const char *s)
{
	gw_doc *d = norm(s);
	char *t;

	ck_assert_msg(!d->error, "error record: %s", d->error_msg);
	t = gw_xstrdup(d->text);
	gw_doc_free(d);
	return t;
}

#define ck_text(in, want)                                                                          \
	do {                                                                                       \
		char *got_ = text_of(in);                                                          \
		ck_assert_str_eq(got_, want);                                                      \
		free(got_);                                                                        \
	} while (0)

static bool
has_diag(const gw_doc *d, enum gw_code c, const char *detail_part)
{
	for (size_t i = 0; i < d->ndiags; i++)
		if (d->diags[i].code == c &&
		    (!detail_part ||
		     (d->diags[i].detail && strstr(d->diags[i].detail, detail_part))))
			return true;
	return false;
}

START_TEST(fullwidth_ascii_folds_but_cjk_punctuation_stays)
{
	ck_text("１３２５％．＋－ＡＢｃ［２］", "1325%.+-ABc[2]");
	ck_text("（一）总则：要求；如下，是否！对？", "（一）总则：要求；如下，是否！对？");
	ck_text("￥１００元", "¥100元");
}
END_TEST

START_TEST(ideographic_and_no_break_spaces_become_spaces)
{
	ck_text("Akoma\xe3\x80\x80Ntoso\xc2\xa0XML", "Akoma Ntoso XML");
	ck_text("Akoma \t  Ntoso", "Akoma Ntoso"); /* a run is one space */
}
END_TEST

START_TEST(spaces_between_han_and_digits_or_latin_go)
{
	ck_text("完成筹措 1325 套", "完成筹措1325套");
	ck_text("2022 年 2 月 18 日", "2022年2月18日");
	ck_text("朱家角古镇 5A 景区", "朱家角古镇5A景区");
	ck_text("增长 16.1 %", "增长16.1%");
	ck_text("关于印发 《区政府》的通知", "关于印发《区政府》的通知");
	ck_text("为目标， 3年内", "为目标，3年内");
}
END_TEST

START_TEST(spaces_between_latin_words_and_han_words_stay)
{
	ck_text("Akoma Ntoso 3.0", "Akoma Ntoso 3.0");
	ck_text("省长\xe3\x80\x80王予波", "省长 王予波");
	ck_text("组  长：王学政  党委副书记", "组长：王学政 党委副书记");
}
END_TEST

START_TEST(letter_spaced_han_is_closed_up)
{
	ck_text("国 务 院 工 作 规 则", "国务院工作规则");
	ck_text("第一章\xe3\x80\x80总\xe3\x80\x80\xe3\x80\x80则", "第一章 总则");
	ck_text("副 召 集人", "副召集人");
}
END_TEST

START_TEST(outline_numbers_keep_their_space)
{
	ck_text("\xe3\x80\x80\xe3\x80\x80"
	        "1.1\xe3\x80\x80编制目的",
	        "1.1 编制目的");
	ck_text("1\xe3\x80\x80总则", "1 总则");
	ck_text("20 年", "20年");
	ck_text("1. 从严做好防控。", "1.从严做好防控。");
}
END_TEST

/* issue 14: the runs between the spaces of a long line are written at once; the spaces beside
 * them are decided as one character at a time decides them, and the map stays exact. */
START_TEST(runs_between_the_spaces_of_a_line_keep_their_spaces_and_map)
{
	const char *in = "省长\xe3\x80\x80王予波在会上说，要坚持稳中求进工作总基调，完整准确全面贯彻"
	                 "新发展理念 2022 年 的 原 则 Akoma Ntoso ＡＢ１";
	gw_doc *d = norm(in);
	uint32_t s, e;

	ck_assert_str_eq(d->text, "省长 王予波在会上说，要坚持稳中求进工作总基调，完整准确全面贯彻"
	                          "新发展理念2022年的原则Akoma Ntoso AB1");
	/* the A of Akoma: code point 45, at byte 133 of the source */
	ck_assert(gw_doc_src_range(d, (gw_span){45, 46}, &s, &e));
	ck_assert_uint_eq(s, 133);
	ck_assert_uint_eq(e, 134);
	/* the 1 folded from ＡＢ１'s last, three bytes */
	ck_assert(gw_doc_src_range(d, (gw_span){59, 60}, &s, &e));
	ck_assert_uint_eq(e - s, 3);
	ck_assert_uint_eq(e, strlen(in));
	gw_doc_free(d);
}
END_TEST

START_TEST(blank_lines_collapse_and_line_ends_are_trimmed)
{
	ck_text("\n\n  甲  \n\n\n\n乙\xe3\x80\x80\n", "甲\n\n乙\n");
	ck_text("甲\r\n乙\r丙\f丁", "甲\n乙\n丙\n丁");
}
END_TEST

START_TEST(crlf_maps_to_both_bytes)
{
	gw_doc *d = norm("甲\r\n乙");
	uint32_t s, e;
	long line, col;

	ck_assert_str_eq(d->text, "甲\n乙");
	ck_assert(gw_doc_src_range(d, (gw_span){1, 2}, &s, &e));
	ck_assert_uint_eq(s, 3);
	ck_assert_uint_eq(e, 5);
	gw_doc_src_pos(d, 2, &line, &col);
	ck_assert_int_eq(line, 2);
	ck_assert_int_eq(col, 1);
	gw_doc_free(d);
}
END_TEST

START_TEST(nfc_composes_and_maps_the_whole_sequence)
{
	gw_doc *d = norm("caf"
	                 "e\xcc\x81"
	                 "\n\xef\xa4\x80"); /* e + U+0301, U+F900 */
	uint32_t s, e;

	ck_assert_str_eq(d->text, "caf\xc3\xa9\n\xe8\xb1\x88");
	ck_assert(gw_doc_src_range(d, (gw_span){3, 4}, &s, &e));
	ck_assert_uint_eq(s, 3);
	ck_assert_uint_eq(e, 6);
	ck_assert(gw_doc_src_range(d, (gw_span){5, 6}, &s, &e));
	ck_assert_uint_eq(s, 7);
	ck_assert_uint_eq(e, 10);
	gw_doc_free(d);
}
END_TEST

START_TEST(page_break_inside_a_sentence_is_joined)
{
	ck_text(
	    "3. "
	    "持续提升应急处置能力。强化快速响应指挥体系，加强区、镇联动，增强卫生健康等部门协调\n\n"
	    "联动，落实精准管控。\n\n4.稳妥推进疫苗接种。\n",
	    "3.持续提升应急处置能力。强化快速响应指挥体系，加强区、镇联动，增强卫生健康等部门协调"
	    "联动，落实精准管控。\n\n4.稳妥推进疫苗接种。\n");
}
END_TEST

START_TEST(headings_titles_and_numbered_points_are_not_joined)
{
	/* a heading has commas but no sentence end */
	ck_text("（一）巩固壮大实体经济根基，纵深推进产业强省建设\n做强做优做大资源型产业，推进改造"
	        "。\n",
	        "（一）巩固壮大实体经济根基，纵深推进产业强省建设\n做强做优做大资源型产业，推进改造"
	        "。\n");
	/* the next line opens a numbered point */
	ck_text("强化快速响应指挥体系。加强区、镇联动，增强卫生健康等部门协调\n\n"
	        "（二）落实精准管控，提升核酸检测。\n",
	        "强化快速响应指挥体系。加强区、镇联动，增强卫生健康等部门协调\n\n"
	        "（二）落实精准管控，提升核酸检测。\n");
	/* a title line has no sentence punctuation */
	ck_text("上海市青浦区人民政府办公室关于印发《区政府工作要点》的通知\n各镇人民政府，各有关单"
	        "位：\n",
	        "上海市青浦区人民政府办公室关于印发《区政府工作要点》的通知\n各镇人民政府，各有关单"
	        "位：\n");
}
END_TEST

/* What opens a unit is the node.* rules of rules/structure.rules (and opener.*), the same
 * definition gw-segment numbers lines by: a number cut by a hard wrap (1126.6亿元) is not one. */
START_TEST(numbered_lines_are_the_node_rules)
{
	gw_buf err = GW_BUF_INIT;

	rules = gw_rules_load("rules", &err);
	ck_assert_msg(rules != NULL, "%s", err.ptr);
	gw_buf_free(&err);
	gw_normalizer_set_rules(nz, rules);
	ck_text("服务贸易总额突破2500亿美元、增长12.5%。实际使用外资\n"
	        "二、落实精准管控，提升核酸检测。\n",
	        "服务贸易总额突破2500亿美元、增长12.5%。实际使用外资\n"
	        "二、落实精准管控，提升核酸检测。\n");
	ck_text("服务贸易总额突破2500亿美元、增长12.5%。实际使用外资\n"
	        "一是落实精准管控，提升核酸检测。\n",
	        "服务贸易总额突破2500亿美元、增长12.5%。实际使用外资\n"
	        "一是落实精准管控，提升核酸检测。\n");
	ck_text("服务贸易总额突破2500亿美元、增长12.5%。实际使用外资\n"
	        "1126.6亿元、增长11.3%，新设外资企业3.6万家。\n",
	        "服务贸易总额突破2500亿美元、增长12.5%。实际使用外资"
	        "1126.6亿元、增长11.3%，新设外资企业3.6万家。\n");
}
END_TEST

START_TEST(invalid_utf8_becomes_fffd_with_its_byte_offset)
{
	gw_doc *d = norm_bytes("ab\n\xe4\xb8", 5); /* cut short: not GBK, though E4 B8 is GBK */

	ck_assert_int_eq(d->error, 0);
	ck_assert_str_eq(d->encoding, "UTF-8");
	ck_assert_str_eq(d->text, "ab\n\xef\xbf\xbd");
	ck_assert(has_diag(d, GW_W_INVALID_BYTES, "byte offset 3: E4 B8"));
	ck_assert_int_eq(d->diags[0].line, 2);
	ck_assert_int_eq(d->diags[0].col, 1);
	gw_doc_free(d);
}
END_TEST

START_TEST(a_gbk_line_in_utf8_text_is_decoded_as_gb18030)
{
	/* a UTF-8 page (the most of it) with a GBK signature line glued on by a scraper */
	const char src[] = "关于做好防汛工作的通知\n全市完成堤防加固，新建泵站，汛期每日报告。\n"
	                   "\xb2\xe2\xca\xd4\xca\xd0\xc8\xcb\xc3\xf1\xd5\xfe\xb8\xae\n";
	gw_doc *d = norm_bytes(src, sizeof src - 1);

	ck_assert_int_eq(d->error, 0);
	ck_assert_str_eq(d->encoding, "UTF-8");
	ck_assert_str_eq(d->text, "关于做好防汛工作的通知\n全市完成堤防加固，新建泵站，汛期每日报告。\n"
	                          "测试市人民政府\n");
	ck_assert(has_diag(d, GW_W_MIXED_ENCODING, "1 line not UTF-8 but GB18030, decoded as such"));
	ck_assert_int_eq(d->diags[0].line, 3);
	gw_doc_free(d);
}
END_TEST

START_TEST(invalid_byte_warnings_stop_at_twenty_then_count)
{
	gw_buf b = GW_BUF_INIT;
	gw_doc *d;
	size_t n = 0;

	for (int i = 0; i < 25; i++) /* 25 stray bytes in a plainly UTF-8 text */
		gw_buf_puts(&b, "这是一行正常的中文文字。\xff\n");
	d = norm_bytes(b.ptr, b.len);
	ck_assert_str_eq(d->encoding, "UTF-8");
	for (size_t i = 0; i < d->ndiags; i++)
		n += d->diags[i].code == GW_W_INVALID_BYTES;
	ck_assert_uint_eq(n, 21);
	ck_assert(has_diag(d, GW_W_INVALID_BYTES, "5 more invalid sequences"));
	gw_doc_free(d);
	gw_buf_free(&b);
}
END_TEST

START_TEST(control_characters_are_removed_with_a_warning)
{
	gw_doc *d = norm("a\x01"
	                 "b\x7f"
	                 "c");

	ck_assert_str_eq(d->text, "abc");
	ck_assert(has_diag(d, GW_W_CONTROL_CHARS, "2 removed"));
	gw_doc_free(d);
}
END_TEST

START_TEST(unreadable_documents_become_error_records)
{
	gw_doc *d = norm_bytes("", 0);

	ck_assert_int_eq(d->error, GW_E_EMPTY);
	gw_doc_free(d);
	d = norm_bytes("ab\0cd", 5);
	ck_assert_int_eq(d->error, GW_E_BINARY);
	ck_assert_str_eq(d->src_sha256,
	                 "1bd95cf6379b94fd3b6ceb1390b70b822c76442c4bfb8273b941e09d8dfd9b56");
	gw_doc_free(d);
	d = norm(" \n\xe3\x80\x80\n");
	ck_assert_int_eq(d->error, GW_E_EMPTY);
	gw_doc_free(d);
	d = gw_doc_new();
	gw_normalize_file(nz, d, "/nonexistent/gongwen-test.txt");
	ck_assert_int_eq(d->error, GW_E_READ);
	ck_assert_ptr_nonnull(strstr(d->error_msg, "No such file"));
	gw_doc_free(d);
	d = gw_doc_new();
	gw_normalize_file(nz, d, "tests");
	ck_assert_int_eq(d->error, GW_E_NOT_FILE);
	gw_doc_free(d);
}
END_TEST

START_TEST(documents_over_the_size_limit_are_refused)
{
	size_t n = (64u << 20) + 1;
	char *big = calloc(n, 1);
	gw_doc *d = norm_bytes(big, n);

	ck_assert_int_eq(d->error, GW_E_TOO_LARGE);
	gw_doc_free(d);
	free(big);
}
END_TEST

START_TEST(gbk_bytes_decode_as_gb18030)
{
	static const char gbk[] = "\xb9\xd8\xd3\xda\xd3\xa1\xb7\xa2\xb9\xa4\xd7\xf7\xd2\xaa\xb5\xe3"
	                          "\xb5\xc4\xcd\xa8\xd6\xaa\xa3\xac\xc7\xeb\xc8\xcf\xd5\xe6\xb9\xe1"
	                          "\xb3\xb9\xd6\xb4\xd0\xd0\xa1\xa3";
	gw_doc *d = norm_bytes(gbk, sizeof gbk - 1);
	uint32_t s, e;

	ck_assert_str_eq(d->encoding, "GB18030");
	ck_assert_str_eq(d->text, "关于印发工作要点的通知，请认真贯彻执行。");
	ck_assert(gw_doc_src_range(d, (gw_span){1, 3}, &s, &e));
	ck_assert_uint_eq(s, 2);
	ck_assert_uint_eq(e, 6);
	gw_doc_free(d);
}
END_TEST

START_TEST(utf16_with_a_bom_decodes)
{
	static const char le[] =
	    "\xff\xfe\x32\x00\x30\x00\x20\x00\x74\x5e\x0d\x00\x0a\x00"; /* 20 年\r\n */
	gw_doc *d = norm_bytes(le, sizeof le - 1);
	uint32_t s, e;

	ck_assert_str_eq(d->encoding, "UTF-16LE");
	ck_assert_str_eq(d->text, "20年\n");
	ck_assert(gw_doc_src_range(d, (gw_span){2, 4}, &s, &e));
	ck_assert_uint_eq(s, 8);
	ck_assert_uint_eq(e, 14);
	gw_doc_free(d);
}
END_TEST

START_TEST(front_matter_goes_to_metadata_and_decoration_to_removed)
{
	gw_doc *d = norm("---\n文号: \"示办〔2024〕1号\"\nlayout: post\n---\n\n> "
	                 "本文由脚本提取。\n\n# 标题\n\n正文。\n");

	ck_assert_str_eq(d->text, "标题\n\n正文。\n");
	ck_assert_uint_eq(d->nmeta, 2);
	ck_assert_str_eq(d->meta[0].key, "文号");
	ck_assert_str_eq(d->meta[0].value, "示办〔2024〕1号");
	ck_assert_str_eq(d->meta[1].value, "post");
	ck_assert_uint_eq(d->nremoved, 3);
	ck_assert_str_eq(d->removed[0].kind, "front-matter");
	ck_assert_uint_eq(d->removed[0].src_end, 52); /* through the closing ---\n */
	ck_assert_uint_eq(d->removed[0].src_start, 0);
	ck_assert_str_eq(d->removed[1].kind, "disclaimer");
	ck_assert_str_eq(d->removed[2].kind, "markdown");
	ck_assert_str_eq(d->removed[2].text, "# ");
	gw_doc_free(d);
	/* the normaliser keeps nothing from one document to the next */
	d = norm("正文。\n");
	ck_assert_uint_eq(d->nmeta, 0);
	ck_assert_uint_eq(d->nremoved, 0);
	gw_doc_free(d);
}
END_TEST

START_TEST(chrome_rules_remove_page_chrome)
{
	gw_buf err = GW_BUF_INIT;
	gw_doc *d;

	rules = gw_rules_load("rules", &err);
	ck_assert_msg(rules != NULL, "%s", err.ptr);
	gw_buf_free(&err);
	gw_normalizer_set_rules(nz, rules);
	d = norm("下载\n打印\n【字号：\n加大\n减小\n】\n关于印发要点的通知\n正文。\n打印本页\n关闭"
	         "窗口\n");
	ck_assert_str_eq(d->text, "关于印发要点的通知\n正文。\n");
	ck_assert_uint_eq(d->nremoved, 4);
	ck_assert_str_eq(d->removed[2].text, "【字号：\n加大\n减小\n】");
	ck_assert_str_eq(d->removed[3].kind, "chrome");
	gw_doc_free(d);
	/* a news photo's caption over a work report is the page's (issue 13) */
	d = norm("2026年河北省政府工作报告\n王正谱作政府工作报告。本报记者 霍艳恩摄\n各位代表：\n");
	ck_assert_str_eq(d->text, "2026年河北省政府工作报告\n各位代表：\n");
	ck_assert_uint_eq(d->nremoved, 1);
	gw_doc_free(d);
	/* a 政府信息公开 table with its keys printed without colons, each value under its key */
	d = norm("关于开展工作的函\n索取号\n2024-00028\n载体类型\n发布机构\n江州市住房和建设委员会\n文件编号\n"
	         "江建规〔2024〕6号\n公开类别\n主动公开\n内容描述\n江建规〔2024〕6号\n江州市住房和建设委员会\n");
	ck_assert_str_eq(d->text, "关于开展工作的函\n江建规〔2024〕6号\n江州市住房和建设委员会\n");
	gw_doc_free(d);
}
END_TEST

START_TEST(a_run_of_ideographs_ends_at_the_first_byte_that_breaks_it)
{
	/* the line index reads ideographs sixteen bytes at a time: a sequence cut short (its
	 * lead right), an invalid lead before two continuation bytes, and a sequence cut short
	 * after the 、， a run goes on through, at every place */
	static const char *const bad[] = {"\xe4\xb8x", "\xc0\x80\x80", "、，\xe4\xb8x"};
	static const char *const fixed[] = {"\xef\xbf\xbdx", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	                                    "、，\xef\xbf\xbdx"};
	static const size_t skip[] = {0, 0, 6}, ncp[] = {2, 3, 4};

	for (size_t b = 0; b < 3; b++)
		for (size_t k = 0; k <= 12; k++) {
			char in[128], want[128], at[32];
			size_t n = 0, w = 0;
			gw_doc *d;

			for (size_t j = 0; j < k; j++)
				memcpy(in + n, "数", 3), memcpy(want + w, "数", 3), n += 3, w += 3;
			memcpy(in + n, bad[b], strlen(bad[b])), n += strlen(bad[b]);
			memcpy(want + w, fixed[b], strlen(fixed[b])), w += strlen(fixed[b]);
			for (size_t j = 0; j < 20; j++)
				memcpy(in + n, "据", 3), memcpy(want + w, "据", 3), n += 3, w += 3;
			want[w] = '\0';
			d = norm_bytes(in, n);
			ck_assert_int_eq(d->error, 0);
			ck_assert_str_eq(d->encoding, "UTF-8");
			ck_assert_str_eq(d->text, want);
			snprintf(at, sizeof at, "byte offset %zu: ", 3 * k + skip[b]);
			ck_assert(has_diag(d, GW_W_INVALID_BYTES, at));
			ck_assert_uint_eq(d->ncp, k + 20 + ncp[b]);
			gw_doc_free(d);
		}
}
END_TEST

START_TEST(a_long_line_is_kept_whole)
{
	size_t reps = 200000, unit = strlen("数据，"), n = reps * unit;
	char *s = malloc(n);
	gw_doc *d;

	for (size_t i = 0; i < reps; i++)
		memcpy(s + i * unit, "数据，", unit);
	d = norm_bytes(s, n);
	ck_assert_int_eq(d->error, 0);
	ck_assert_uint_eq(d->ncp, 3 * reps);
	ck_assert_uint_eq(d->nruns, 1);
	ck_assert(has_diag(d, GW_W_LINE_TOO_LONG, NULL));
	gw_doc_free(d);
	free(s);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("normalize");
	TCase *tc = tcase_create("normalize");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, fullwidth_ascii_folds_but_cjk_punctuation_stays);
	tcase_add_test(tc, a_run_of_ideographs_ends_at_the_first_byte_that_breaks_it);
	tcase_add_test(tc, ideographic_and_no_break_spaces_become_spaces);
	tcase_add_test(tc, spaces_between_han_and_digits_or_latin_go);
	tcase_add_test(tc, spaces_between_latin_words_and_han_words_stay);
	tcase_add_test(tc, letter_spaced_han_is_closed_up);
	tcase_add_test(tc, outline_numbers_keep_their_space);
	tcase_add_test(tc, runs_between_the_spaces_of_a_line_keep_their_spaces_and_map);
	tcase_add_test(tc, blank_lines_collapse_and_line_ends_are_trimmed);
	tcase_add_test(tc, crlf_maps_to_both_bytes);
	tcase_add_test(tc, nfc_composes_and_maps_the_whole_sequence);
	tcase_add_test(tc, page_break_inside_a_sentence_is_joined);
	tcase_add_test(tc, headings_titles_and_numbered_points_are_not_joined);
	tcase_add_test(tc, numbered_lines_are_the_node_rules);
	tcase_add_test(tc, invalid_utf8_becomes_fffd_with_its_byte_offset);
	tcase_add_test(tc, a_gbk_line_in_utf8_text_is_decoded_as_gb18030);
	tcase_add_test(tc, invalid_byte_warnings_stop_at_twenty_then_count);
	tcase_add_test(tc, control_characters_are_removed_with_a_warning);
	tcase_add_test(tc, unreadable_documents_become_error_records);
	tcase_add_test(tc, documents_over_the_size_limit_are_refused);
	tcase_add_test(tc, gbk_bytes_decode_as_gb18030);
	tcase_add_test(tc, utf16_with_a_bom_decodes);
	tcase_add_test(tc, front_matter_goes_to_metadata_and_decoration_to_removed);
	tcase_add_test(tc, chrome_rules_remove_page_chrome);
	tcase_add_test(tc, a_long_line_is_kept_whole);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
