/* test_segment.c — gw_segment: header elements, dates, 发文字号, is_notice, attachments and the numbered structure. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gongwen.h"

static gw_rules *rules;
static gw_segmenter *seg;

static void
setup(void)
{
	const char *dir = getenv("GONGWEN_RULES");
	gw_buf err = GW_BUF_INIT;

	rules = gw_rules_load(dir && *dir ? dir : "rules", &err);
	ck_assert_msg(rules != NULL, "rules: %s", err.ptr ? err.ptr : "");
	seg = gw_segmenter_new(rules, &err);
	ck_assert_msg(seg != NULL, "segmenter: %s", err.ptr ? err.ptr : "");
	gw_buf_free(&err);
}

static void
teardown(void)
{
	gw_segmenter_free(seg);
	gw_rules_free(rules);
}

/* Segment text (copied) and return the document. */
static gw_doc *
run(const char *text)
{
	gw_doc *d = gw_doc_new();

	d->id = gw_xstrdup("t");
	gw_doc_set_text(d, gw_xstrdup(text), strlen(text));
	ck_assert_int_eq(gw_segment(seg, d), 0);
	ck_assert(d->stages & GW_ST_SEGMENTED);
	return d;
}

static const char *
field(const gw_doc *d, enum gw_hfield f)
{
	return d->header.f[f].text;
}

static bool
has_diag(const gw_doc *d, enum gw_code c)
{
	for (size_t i = 0; i < d->ndiags; i++)
		if (d->diags[i].code == c)
			return true;
	return false;
}

/* The text a span covers, in a static buffer. */
static const char *
span_text(gw_doc *d, gw_span s)
{
	static char buf[256];
	size_t b0 = gw_doc_cp_to_byte(d, s.start), b1 = gw_doc_cp_to_byte(d, s.end);

	snprintf(buf, sizeof buf, "%.*s", (int)(b1 - b0), d->text + b0);
	return buf;
}

static const char notice[] =
    "青浦区人民政府办公室文件\n\n"
    "青府办发〔2022〕12号\n\n"
    "上海市青浦区人民政府办公室关于印发《区政府2022年第一季度工作要点》的通知\n\n"
    "各镇人民政府、街道办事处，区政府各委办局，各有关单位：\n\n"
    "经区政府同意，现将《区政府2022年第一季度工作要点》印发给你们，请按照执行。\n\n"
    "2022年2月18日\n\n"
    "区政府2022年第一季度工作要点\n\n"
    "主要工作如下：\n\n"
    "一、常态化疫情防控\n\n"
    "1. 从严做好高风险源防控。强化集中隔离点管理。\n\n"
    "2.严格落实元旦春节防控措施。加强春运疫情防控。\n\n"
    "二、重大战略任务\n\n"
    "3.示范区建设。推进一体化示范区制度创新。\n";

START_TEST(test_doc_number_is_split_into_code_year_and_serial)
{
	gw_doc *d = run(notice);

	ck_assert_str_eq(field(d, GW_H_DOC_NUMBER), "青府办发〔2022〕12号");
	ck_assert_str_eq(d->header.agency_code, "青府办发");
	ck_assert_int_eq(d->header.year, 2022);
	ck_assert_str_eq(d->header.serial, "12");
	ck_assert(!has_diag(d, GW_W_DOCNUM_BRACKET));
	gw_doc_free(d);
}
END_TEST

START_TEST(test_header_fields_of_the_sample_notice)
{
	gw_doc *d = run(notice);

	ck_assert_int_eq(d->is_notice, 1);
	ck_assert_str_eq(field(d, GW_H_ISSUER), "青浦区人民政府办公室");
	ck_assert_str_eq(field(d, GW_H_ISSUER_MARK), "青浦区人民政府办公室文件");
	ck_assert_str_eq(field(d, GW_H_TITLE),
	                 "上海市青浦区人民政府办公室关于印发《区政府2022年第一季度工作要点》的通知");
	ck_assert_str_eq(field(d, GW_H_DOC_TYPE), "通知");
	ck_assert_str_eq(d->header.date, "2022-02-18");
	ck_assert_uint_eq(d->header.addressees.n, 4);
	ck_assert_str_eq(d->header.addressees.items[0], "各镇人民政府");
	ck_assert_str_eq(d->header.addressees.items[3], "各有关单位");
	ck_assert_str_eq(span_text(d, d->header.addressees.spans[1]), "街道办事处");
	gw_doc_free(d);
}
END_TEST

START_TEST(test_transmitted_plan_is_an_attachment_with_its_nodes)
{
	gw_doc *d = run(notice);

	ck_assert_uint_eq(d->natts, 1);
	ck_assert_str_eq(d->atts[0].title, "区政府2022年第一季度工作要点");
	ck_assert_str_eq(span_text(d, d->atts[0].title_span), "区政府2022年第一季度工作要点");
	ck_assert_uint_eq(d->nnodes, 5);
	for (size_t i = 0; i < d->nnodes; i++)
		ck_assert_int_eq(d->nodes[i].part, 1);
	gw_doc_free(d);
}
END_TEST

START_TEST(test_level3_nests_under_level1_when_level2_is_skipped)
{
	gw_doc *d = run(notice);
	const gw_node *n = d->nodes;

	ck_assert_int_eq(n[0].kind, GW_LEVEL1);
	ck_assert_int_eq(n[1].kind, GW_LEVEL3);
	ck_assert_int_eq(n[1].parent, 0);
	ck_assert_int_eq(n[2].parent, 0);
	ck_assert_int_eq(n[3].kind, GW_LEVEL1);
	ck_assert_int_eq(n[3].ordinal, 2);
	ck_assert_int_eq(n[4].parent, 3);
	gw_doc_free(d);
}
END_TEST

START_TEST(test_numbering_running_on_across_sections_is_not_a_skip)
{
	gw_doc *d = run(notice);

	ck_assert_int_eq(d->nodes[4].ordinal, 3);
	ck_assert_str_eq(d->nodes[4].num, "3.");
	ck_assert(!has_diag(d, GW_W_ORDINAL_SKIPPED));
	ck_assert(!has_diag(d, GW_W_ORDINAL_REPEATED));
	gw_doc_free(d);
}
END_TEST

START_TEST(test_inline_heading_ends_at_the_first_full_stop)
{
	gw_doc *d = run(notice);

	ck_assert_str_eq(d->nodes[0].heading, "常态化疫情防控");
	ck_assert_str_eq(d->nodes[1].heading, "从严做好高风险源防控");
	ck_assert_str_eq(span_text(d, d->nodes[1].heading_span), "从严做好高风险源防控");
	ck_assert_str_eq(d->nodes[2].heading, "严格落实元旦春节防控措施");
	gw_doc_free(d);
}
END_TEST

START_TEST(test_node_span_runs_to_the_next_node_of_the_same_or_higher_level)
{
	gw_doc *d = run(notice);

	ck_assert_str_eq(span_text(d, d->nodes[2].span), "2.严格落实元旦春节防控措施。加强春运疫情防控。\n\n");
	ck_assert_int_eq(d->nodes[0].span.end, d->nodes[3].span.start);
	ck_assert_int_eq(d->nodes[3].span.end, (int32_t)d->ncp);
	gw_doc_free(d);
}
END_TEST

START_TEST(test_node_ids_are_assigned)
{
	gw_doc *d = run(notice);

	ck_assert_ptr_nonnull(d->nodes[0].id);
	ck_assert_str_eq(d->nodes[0].id, "att_1__sec_1");
	ck_assert_str_eq(d->nodes[1].id, "att_1__sec_1__point_1");
	gw_doc_free(d);
}
END_TEST

START_TEST(test_chinese_numeral_date_becomes_iso_with_a_warning)
{
	gw_doc *d = run("国务院关于印发某方案的通知\n各省、自治区、直辖市人民政府：\n现将方案印发给你们。\n"
	                "国务院\n二〇二二年二月十八日\n某方案\n一、总则\n");

	ck_assert_str_eq(d->header.date, "2022-02-18");
	ck_assert_str_eq(field(d, GW_H_DATE), "二〇二二年二月十八日");
	ck_assert(has_diag(d, GW_W_DATE_NOT_ARABIC));
	ck_assert_str_eq(field(d, GW_H_ISSUER), "国务院");
	gw_doc_free(d);
}
END_TEST

START_TEST(test_date_with_white_circle_for_zero)
{
	gw_doc *d = run("国务院关于加强某工作的意见\n各部门：\n现提出如下意见。\n国务院\n二○○四年六月二十六日\n");

	ck_assert_str_eq(d->header.date, "2004-06-26");
	gw_doc_free(d);
}
END_TEST

START_TEST(test_odd_doc_number_brackets_padding_and_di_are_warned)
{
	gw_doc *d = run("京政发[2019]第08号\n北京市人民政府关于某事项的通知\n各区政府：\n特此通知。\n");

	ck_assert_str_eq(field(d, GW_H_DOC_NUMBER), "京政发[2019]第08号");
	ck_assert_str_eq(d->header.serial, "08");
	ck_assert_int_eq(d->header.year, 2019);
	ck_assert(has_diag(d, GW_W_DOCNUM_BRACKET));
	ck_assert(has_diag(d, GW_W_DOCNUM_PADDED));
	ck_assert(has_diag(d, GW_W_DOCNUM_DI));
	gw_doc_free(d);
}
END_TEST

START_TEST(test_doc_number_split_over_two_lines)
{
	gw_doc *d = run("国办发\n〔2019〕4号\n国务院办公厅关于某工作的意见\n各部门：\n现提出意见。\n");

	ck_assert_str_eq(field(d, GW_H_DOC_NUMBER), "国办发〔2019〕4号");
	ck_assert_str_eq(d->header.agency_code, "国办发");
	ck_assert(has_diag(d, GW_W_DOCNUM_SPLIT));
	gw_doc_free(d);
}
END_TEST

START_TEST(test_news_article_is_not_a_notice)
{
	gw_doc *d = run("某市力推政府采购改革\n今年以来，某市财政局深入推进改革，取得明显成效。\n"
	                "下一步，该局将继续加大力度。\n");

	ck_assert_int_eq(d->is_notice, 0);
	ck_assert_ptr_null(field(d, GW_H_TITLE));
	ck_assert_ptr_null(field(d, GW_H_ISSUER));
	ck_assert_uint_eq(d->natts, 0);
	gw_doc_free(d);
}
END_TEST

START_TEST(test_article_alone_on_its_line_has_no_heading)
{
	gw_doc *d = run("某市条例\n第一章　总　　则\n第一条\n为了规范管理，制定本条例。\n第二条　本条例适用于本市。\n");

	ck_assert_uint_eq(d->nnodes, 3);
	ck_assert_int_eq(d->nodes[0].kind, GW_CHAPTER);
	ck_assert_str_eq(d->nodes[0].heading, "总则");
	ck_assert_int_eq(d->nodes[1].kind, GW_ARTICLE);
	ck_assert_int_eq(d->nodes[1].parent, 0);
	ck_assert_ptr_null(d->nodes[1].heading);
	ck_assert_str_eq(span_text(d, d->nodes[1].span), "第一条\n为了规范管理，制定本条例。\n");
	gw_doc_free(d);
}
END_TEST

START_TEST(test_level1_paragraphs_inside_a_chapter)
{
	gw_doc *d = run("某工作规则\n第一章　总则\n一、为做好工作，制定本规则。\n二、坚持依法行政。\n"
	                "第二章　职责\n三、各部门依法履职。\n");

	ck_assert_uint_eq(d->nnodes, 5);
	ck_assert_int_eq(d->nodes[1].kind, GW_LEVEL1);
	ck_assert_int_eq(d->nodes[1].parent, 0);
	ck_assert_int_eq(d->nodes[4].parent, 3);
	ck_assert_int_eq(d->nodes[4].ordinal, 3);
	ck_assert_str_eq(d->nodes[1].heading, "为做好工作，制定本规则");
	gw_doc_free(d);
}
END_TEST

START_TEST(test_run_ins_bullets_and_inline_lists_make_no_nodes)
{
	gw_doc *d = run("某方案\n一、主要任务\n一是加强领导。二是落实责任。\n——强化考核。\n"
	                "（1）春季检查；（2）秋季检查。\n全年完成1.5万亩。\n");

	ck_assert_uint_eq(d->nnodes, 1);
	ck_assert_int_eq(d->nodes[0].kind, GW_LEVEL1);
	gw_doc_free(d);
}
END_TEST

START_TEST(test_table_rows_and_attachment_lists_make_no_nodes)
{
	gw_doc *d = run("某方案\n一、任务\n附件：1.任务清单\n2.分解表\n附件1\n任务清单\n序号\n任务\n1\n1.新建公园\n"
	                "2\n2.道路绿化\n");

	ck_assert_uint_eq(d->nnodes, 1);
	ck_assert_uint_eq(d->natts, 1);
	ck_assert_str_eq(d->atts[0].title, "任务清单");
	gw_doc_free(d);
}
END_TEST

START_TEST(test_uppercase_and_circled_ordinals)
{
	gw_doc *d = run("某方案\n壹、总体要求\n（十一）工作目标\n（23）具体指标\n①加强领导，明确分工。\n");

	ck_assert_uint_eq(d->nnodes, 4);
	ck_assert_int_eq(d->nodes[0].ordinal, 1);
	ck_assert_int_eq(d->nodes[1].ordinal, 11);
	ck_assert_int_eq(d->nodes[2].kind, GW_LEVEL4);
	ck_assert_int_eq(d->nodes[2].ordinal, 23);
	ck_assert_int_eq(d->nodes[3].kind, GW_LEVEL5);
	ck_assert_int_eq(d->nodes[3].ordinal, 1);
	gw_doc_free(d);
}
END_TEST

START_TEST(test_decimal_outline_numbers_nest_by_depth)
{
	gw_doc *d = run("某应急预案\n1　总则\n1.1　编制目的\n为了提高能力，制定本预案。\n1.2　适用范围\n"
	                "1.2.1　国家级：全国范围。\n2　组织体系\n");

	ck_assert_uint_eq(d->nnodes, 5);
	ck_assert_int_eq(d->nodes[0].kind, GW_OUTLINE);
	ck_assert_int_eq(d->nodes[3].kind, GW_OUTLINE);
	ck_assert_str_eq(d->nodes[3].num, "1.2.1");
	ck_assert_int_eq(d->nodes[3].ordinal, 1);
	ck_assert_int_eq(d->nodes[3].parent, 2);
	ck_assert_str_eq(d->nodes[3].heading, "国家级");
	ck_assert_int_eq(d->nodes[4].parent, -1);
	gw_doc_free(d);
}
END_TEST

START_TEST(test_skipped_and_repeated_ordinals_are_warned)
{
	gw_doc *d = run("某方案\n一、甲\n二、乙\n四、丁\n（一）子\n（一）子\n");

	ck_assert(has_diag(d, GW_W_ORDINAL_SKIPPED));
	ck_assert(has_diag(d, GW_W_ORDINAL_REPEATED));
	gw_doc_free(d);
}
END_TEST

START_TEST(test_segmenting_twice_adds_nothing)
{
	gw_doc *d = run(notice);
	size_t nodes = d->nnodes, diags = d->ndiags;

	ck_assert_int_eq(gw_segment(seg, d), 0);
	ck_assert_uint_eq(d->nnodes, nodes);
	ck_assert_uint_eq(d->natts, 1);
	ck_assert_uint_eq(d->ndiags, diags);
	ck_assert_uint_eq(d->header.addressees.n, 4);
	gw_doc_free(d);
}
END_TEST

START_TEST(test_empty_text_is_fine)
{
	gw_doc *d = run("");

	ck_assert_uint_eq(d->nnodes, 0);
	ck_assert_int_eq(d->is_notice, 0);
	gw_doc_free(d);
}
END_TEST

START_TEST(test_segmenter_needs_the_header_rules)
{
	gw_rules *rs;
	gw_buf err = GW_BUF_INIT;
	char dir[] = "/tmp/gw-test-segment-XXXXXX", path[64];
	FILE *fp;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/x.rules", dir);
	fp = fopen(path, "w");
	fputs("rule node.level1\nkind level1\npattern ^(?<num>(?<n>一)、)\nmatch 一、\nnomatch 二、\n", fp);
	fclose(fp);
	rs = gw_rules_load(dir, &err);
	ck_assert_ptr_nonnull(rs);
	ck_assert_ptr_null(gw_segmenter_new(rs, &err));
	ck_assert_ptr_nonnull(strstr(err.ptr, "header.copy-no"));
	gw_rules_free(rs);
	gw_buf_free(&err);
	remove(path);
	rmdir(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("segment");
	TCase *tc = tcase_create("segment");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_doc_number_is_split_into_code_year_and_serial);
	tcase_add_test(tc, test_header_fields_of_the_sample_notice);
	tcase_add_test(tc, test_transmitted_plan_is_an_attachment_with_its_nodes);
	tcase_add_test(tc, test_level3_nests_under_level1_when_level2_is_skipped);
	tcase_add_test(tc, test_numbering_running_on_across_sections_is_not_a_skip);
	tcase_add_test(tc, test_inline_heading_ends_at_the_first_full_stop);
	tcase_add_test(tc, test_node_span_runs_to_the_next_node_of_the_same_or_higher_level);
	tcase_add_test(tc, test_node_ids_are_assigned);
	tcase_add_test(tc, test_chinese_numeral_date_becomes_iso_with_a_warning);
	tcase_add_test(tc, test_date_with_white_circle_for_zero);
	tcase_add_test(tc, test_odd_doc_number_brackets_padding_and_di_are_warned);
	tcase_add_test(tc, test_doc_number_split_over_two_lines);
	tcase_add_test(tc, test_news_article_is_not_a_notice);
	tcase_add_test(tc, test_article_alone_on_its_line_has_no_heading);
	tcase_add_test(tc, test_level1_paragraphs_inside_a_chapter);
	tcase_add_test(tc, test_run_ins_bullets_and_inline_lists_make_no_nodes);
	tcase_add_test(tc, test_table_rows_and_attachment_lists_make_no_nodes);
	tcase_add_test(tc, test_uppercase_and_circled_ordinals);
	tcase_add_test(tc, test_decimal_outline_numbers_nest_by_depth);
	tcase_add_test(tc, test_skipped_and_repeated_ordinals_are_warned);
	tcase_add_test(tc, test_segmenting_twice_adds_nothing);
	tcase_add_test(tc, test_empty_text_is_fine);
	tcase_add_test(tc, test_segmenter_needs_the_header_rules);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
