/* test_extract.c — the user-ask matrix of gw-extract: every number form, unit, comparator, range,
 * kind, and the words that look like quantities but are not (issue 4). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gongwen.h"
#include "internal.h"

static gw_rules *rules;
static gw_extractor *ex;
static gw_doc *cur; /* the document of the last run(), freed by the next */

/* Extract from text as the body of a notice titled title (NULL: none). */
static gw_doc *
run_doc(const char *text, const char *title, int is_notice)
{
	gw_doc *d = gw_doc_new();

	d->id = gw_xstrdup("t");
	d->is_notice = is_notice;
	gw_doc_set_text(d, gw_xstrdup(text), strlen(text));
	if (title)
		gw_header_set(d, GW_H_TITLE, title, (size_t)-1, GW_NOSPAN);
	ck_assert_int_eq(gw_extract(ex, d), 0);
	if (cur)
		gw_doc_free(cur);
	cur = d;
	return d;
}

#define PLAN_TITLE "关于印发《2025年工作要点》的通知"

static gw_doc *
run(const char *text)
{
	return run_doc(text, PLAN_TITLE, 1);
}

/* The only quantity text has. */
static const gw_quantity *
one(const char *text)
{
	gw_doc *d = run(text);

	ck_assert_msg(d->nqs == 1, "%s: %zu quantities, expected 1", text, d->nqs);
	return &d->qs[0];
}

static void
check_value(const char *text, double value, const char *unit, const char *cmp)
{
	const gw_quantity *q = one(text);

	ck_assert_msg(q->has_value && !q->has_min, "%s: no single value", text);
	ck_assert_msg(q->value == value, "%s: value %.17g, expected %.17g", text, q->value, value);
	ck_assert_str_eq(q->unit, unit);
	ck_assert_msg(strcmp(gw_cmp_name(q->cmp), cmp) == 0, "%s: comparator %s, expected %s", text,
	              gw_cmp_name(q->cmp), cmp);
}

static void
check_range(const char *text, double min, double max, const char *unit)
{
	const gw_quantity *q = one(text);

	ck_assert_msg(!q->has_value && q->has_min && q->has_max, "%s: not a range", text);
	ck_assert_msg(q->min == min && q->max == max, "%s: %g..%g, expected %g..%g", text, q->min,
	              q->max, min, max);
	ck_assert_str_eq(q->unit, unit);
	ck_assert_str_eq(gw_cmp_name(q->cmp), "range");
}

static void
check_none(const char *text)
{
	gw_doc *d = run(text);

	ck_assert_msg(d->nqs == 0, "%s: found %s", text, d->nqs ? d->qs[0].text : "");
}

/* text has no quantity and a candidate turned down for reason. */
static void
check_rejected(const char *text, const char *reason)
{
	gw_doc *d = run(text);
	bool found = false;

	ck_assert_msg(d->nqs == 0, "%s: found %s", text, d->nqs ? d->qs[0].text : "");
	for (size_t i = 0; i < d->nrej; i++)
		found |= strcmp(d->rej[i].reason, reason) == 0;
	ck_assert_msg(found, "%s: nothing rejected as %s", text, reason);
}

/* ---------------------------------------------------------------- numbers */

START_TEST(arabic_numbers_with_separators_decimals_and_full_width_digits)
{
	check_value("完成筹措1,325套。", 1325, "套", "eq");
	check_value("全区绿化覆盖率达43.5%。", 43.5, "%", "eq");
	check_value("同比增长１６．１％。", 16.1, "%", "eq");
	check_value("增长16.1 %。", 16.1, "%", "eq");
}
END_TEST

START_TEST(chinese_numerals_with_liang_ling_and_financial_forms)
{
	check_value("新增两千余家企业。", 2000, "家", "approx");
	check_value("建成一百零五个站点。", 105, "个", "eq");
	check_value("合计壹仟叁佰贰拾伍元。", 1325, "元", "eq");
	check_value("培训三千零五十人。", 3050, "人", "eq");
	check_value("建成一百五十个站点。", 150, "个", "eq");
	check_value("建成一百五个站点。", 150, "个", "eq");
	check_value("带动三万五千人就业。", 35000, "人", "eq");
	check_value("带动三万五人就业。", 35000, "人", "eq");
	check_value("满意度百分之四十三点五。", 43.5, "%", "eq");
}
END_TEST

START_TEST(scale_words_are_applied_and_left_out_of_the_unit)
{
	check_value("城镇新增就业1100万人。", 11000000, "人", "eq");
	check_value("国内生产总值达到99.1万亿元。", 99100000000000.0, "元", "eq");
	check_value("服务1.2万人次。", 12000, "人次", "eq");
	check_value("粮食产量1.37万亿斤。", 1370000000000.0, "斤", "eq");
	check_value("新建绿地35万平方米。", 350000, "平方米", "eq");
	check_value("装机超过10亿千瓦。", 1000000000, "千瓦", "gt");
}
END_TEST

START_TEST(approximations_are_approx_or_ranges)
{
	check_range("覆盖五六百人。", 500, 600, "人");
	check_value("吸引十几万人。", 100000, "人", "approx");
	check_value("带动十来万人就业。", 100000, "人", "approx");
	check_value("投资500多亿元。", 50000000000.0, "元", "approx");
	check_value("新增两千余家企业。", 2000, "家", "approx");
	check_value("超过14亿多中国人。", 1400000000, "人", "gt");
}
END_TEST

START_TEST(percent_percentage_points_and_fractions_are_different_units)
{
	check_value("占比百分之六十。", 60, "%", "eq");
	check_value("比重提高3个百分点。", 3, "百分点", "eq");
	check_value("下降1.7个百分点。", 1.7, "百分点", "eq");
	check_value("减少五分之一。", 20, "%", "eq");
	check_value("削减三分之一以上。", 33.3333333333333, "%", "ge");
	check_value("增长5.5%左右。", 5.5, "%", "approx");
}
END_TEST

START_TEST(ranges_and_bounds_give_min_and_max)
{
	check_range("推进3-11岁人群接种。", 3, 11, "岁");
	check_range("每区建设3至5个。", 3, 5, "个");
	check_range("处一万元以上五万元以下罚款。", 10000, 50000, "元");
	check_range("比例为10%-15%。", 10, 15, "%");
	check_range("所得额100万元至300万元部分。", 1000000, 3000000, "元");
	check_range("补助3至5万元。", 30000, 50000, "元");
}
END_TEST

START_TEST(comparator_words_before_and_after_the_number)
{
	check_value("推进60岁以上老年人接种。", 60, "岁", "ge");
	check_value("面积不低于50%。", 50, "%", "ge");
	check_value("全年不少于5场。", 5, "场", "ge");
	check_value("至少建设一所学校。", 1, "所", "ge");
	check_value("年满18周岁的居民。", 18, "周岁", "ge"); /* as written (GUIDE.md) */
	check_value("高校毕业生超过1000万人。", 10000000, "人", "gt");
	check_value("全国财政收入突破20万亿元。", 20000000000000.0, "元", "gt");
	check_value("湿垃圾高于407吨。", 407, "吨", "gt");
	check_value("婴幼儿3岁以下。", 3, "岁", "le");
	check_value("失业率控制在5.5%以内。", 5.5, "%", "le");
	check_value("费用不超过5万元。", 50000, "元", "le");
	check_value("失业率控制在5.5%。", 5.5, "%", "le");
	check_value("干垃圾低于1610吨。", 1610, "吨", "lt");
	check_value("人数少于10人。", 10, "人", "lt");
	check_value("完成改造约48公里。", 48, "公里", "approx");
	check_value("规模近2万亿元。", 2000000000000.0, "元", "approx");
	check_value("新增30余个试点。", 30, "个", "approx");
	check_value("吸纳1万多人。", 10000, "人", "approx");
	/* a bare round amount: after 超, or with a bound marking off a class */
	check_value("投资规模超万亿元。", 1000000000000.0, "元", "gt");
	check_value("服务千人以上的水源地。", 1000, "人", "ge");
	check_value("新增就业万人以上。", 10000, "人", "ge");
}
END_TEST

START_TEST(every_measure_word_of_the_issue_is_a_unit)
{
	static const char *const units[] = {"个", "套", "所", "家", "项", "条", "座", "处", "户", "人",
	                                    "人次", "亩", "公顷", "平方米", "平方公里", "公里", "吨",
	                                    "千瓦", "元"};
	gw_doc *d = run("1个，2套，3所，4家，5项，6条，7座，8处，9户，10人，11人次，12亩，13公顷，"
	                "14平方米，15平方公里，16公里，17吨，18千瓦，19元。");

	ck_assert_int_eq(d->nqs, 19);
	for (size_t i = 0; i < 19; i++) {
		ck_assert_str_eq(d->qs[i].unit, units[i]);
		ck_assert_double_eq(d->qs[i].value, (double)(i + 1));
	}
}
END_TEST

START_TEST(the_text_starts_at_the_number_and_keeps_the_words_after_it)
{
	const gw_quantity *q = one("城镇新增就业1100万人以上，");

	ck_assert_str_eq(q->text, "1100万人以上");
	ck_assert_int_eq(q->span.start, 6);
	ck_assert_int_eq(q->span.end, 14);
	q = one("转移支付增加约1.5万亿元。");
	ck_assert_str_eq(q->text, "1.5万亿元");
	ck_assert_str_eq(gw_cmp_name(q->cmp), "approx");
}
END_TEST

START_TEST(false_friends_are_not_quantities)
{
	check_none("四川省人民政府");
	check_none("三国演义");
	check_none("全国两会胜利召开");
	check_none("一去二三里");
	check_none("推进长三角一体化发展");
	check_none("开展数字人民币试点");
}
END_TEST

START_TEST(stop_lists_turn_down_dates_ordinals_designators_and_names)
{
	check_rejected("2022年第一季度工作要点", "date");
	check_rejected("“十四五”规划", "period");
	check_rejected("实施三年行动", "period");
	check_rejected("配合做好第46届世界技能大赛", "ordinal");
	check_rejected("推进第四批示范村建设", "ordinal");
	check_rejected("党的十九大精神", "ordinal");
	check_rejected("轨交2号线", "designator");
	check_rejected("新建5G基站", "designator");
	check_rejected("5A景区创建", "designator");
	check_rejected("G15以东", "designator");
	check_rejected("做大做强“6+365”平台", "designator");
	check_rejected("推进“一网通办”改革", "name");
	check_rejected("“两山”实践创新基地", "name");
	check_rejected("推进“四个一批”项目", "name");
	check_rejected("做好六稳六保工作", "name");
	check_rejected("青府办发〔2022〕12号", "document-number");
	check_rejected("咨询电话021-12345678", "phone");
	check_rejected("著作权法第五条第一项", "article-reference");
	check_rejected("3年内完成", "duration");
	check_rejected("顶岗实习时间一般为6个月", "duration");
	check_rejected("不超过48个月", "duration");
	check_rejected("按50年一遇标准设防", "return-period");
	check_rejected("创建一个文化交流平台", "indefinite");
}
END_TEST

START_TEST(the_user_asks)
{
	check_value("全省新增两千余家。", 2000, "家", "approx");
	check_value("完成投资500多亿元。", 50000000000.0, "元", "approx");
	check_value("服务十来万人。", 100000, "人", "approx");
	check_value("比重提高3个百分点。", 3, "百分点", "eq");
	check_value("规模近2万亿元。", 2000000000000.0, "元", "approx");
	check_value("毕业生超过1000万人。", 10000000, "人", "gt");
}
END_TEST

START_TEST(kinds_follow_the_document_the_section_and_the_words)
{
	gw_doc *d = run("加大保障性租赁住房筹措力度，完成筹措1325套。推进60岁以上老年人接种。");

	ck_assert_int_eq(d->nqs, 2);
	ck_assert_str_eq(gw_qkind_name(d->qs[0].kind), "target");
	ck_assert_str_eq(gw_qkind_name(d->qs[1].kind), "other");
	d = run_doc("全年实现生产总值262.6亿元，增长5.3%。", "万载县2022年国民经济和社会发展统计公报", 1);
	ck_assert_int_eq(d->nqs, 2);
	ck_assert_str_eq(gw_qkind_name(d->qs[0].kind), "fact");
	d = run_doc("发改委表示，覆盖80%的居民。", NULL, 0);
	ck_assert_int_eq(d->nqs, 1);
	ck_assert_str_eq(gw_qkind_name(d->qs[0].kind), "other");
	d = run("对违法者处一万元以上五万元以下的罚款。");
	ck_assert_str_eq(gw_qkind_name(d->qs[0].kind), "other");
	d = run("严把教学标准和毕业学生质量标准两个关口。");
	ck_assert_str_eq(gw_qkind_name(d->qs[0].kind), "other");
	d = run("将加计扣除比例从75%提高到100%。");
	ck_assert_str_eq(gw_qkind_name(d->qs[0].kind), "fact");
	ck_assert_str_eq(gw_qkind_name(d->qs[1].kind), "target");
}
END_TEST

/* Issue 12 item 5: a fall, a negative figure or a share is a fact in a bulletin and a target in
 * a plan, as the same figure written plainly. */
START_TEST(a_negative_or_share_figure_has_the_kind_of_any_other)
{
	static const char *const titles[] = {"某市2024年国民经济和社会发展统计公报", NULL};
	static const char *const kinds[] = {"fact", "target"};

	for (int t = 0; t < 2; t++) {
		gw_doc *d = run_doc("全年能耗下降零点五个百分点，下降5个百分点。渔业产值增长-3.2%，增长3.2%。"
		                    "森林覆盖率达到四成以上，达到40%以上。",
		                    titles[t] ? titles[t] : PLAN_TITLE, 1);

		ck_assert_int_eq(d->nqs, 6);
		for (size_t i = 0; i < d->nqs; i++)
			ck_assert_msg(strcmp(gw_qkind_name(d->qs[i].kind), kinds[t]) == 0, "%s: %s, expected %s",
			              d->qs[i].text, gw_qkind_name(d->qs[i].kind), kinds[t]);
	}
}
END_TEST

START_TEST(a_fact_carries_over_its_sentence_and_thresholds_are_rules)
{
	gw_doc *d = run("全镇现有林地面积12.6万亩，森林覆盖率达72.3%。森林覆盖率达到75%。");

	ck_assert_int_eq(d->nqs, 3);
	ck_assert_str_eq(gw_qkind_name(d->qs[0].kind), "fact");
	ck_assert_str_eq(gw_qkind_name(d->qs[1].kind), "fact");
	ck_assert_str_eq(gw_qkind_name(d->qs[2].kind), "target");
	d = run("全镇现有林地面积12.6万亩，到2027年森林覆盖率达到75%。");
	ck_assert_str_eq(gw_qkind_name(d->qs[1].kind), "target");
	d = run("对日处理能力20吨及以上的设施，每季度至少开展1次监测。");
	ck_assert_int_eq(d->nqs, 2);
	ck_assert_str_eq(gw_qkind_name(d->qs[0].kind), "other");
	ck_assert_str_eq(gw_qkind_name(d->qs[1].kind), "target");
	d = run("县财政每年安排专项资金不少于1500万元，积极争取上级补助资金。");
	ck_assert_str_eq(gw_qkind_name(d->qs[0].kind), "target");
	d = run("尚有资金缺口860万元。");
	ck_assert_str_eq(gw_qkind_name(d->qs[0].kind), "fact");
}
END_TEST

/* The kinds of each quantity of text in a document titled title, joined by spaces: "target other". */
static const char *
kinds_in(const char *text, const char *title)
{
	static char buf[256];
	gw_doc *d = run_doc(text, title, 1);

	buf[0] = '\0';
	for (size_t i = 0; i < d->nqs; i++) {
		if (i)
			strcat(buf, " ");
		strcat(buf, gw_qkind_name(d->qs[i].kind));
	}
	return buf;
}

static const char *
kinds_of(const char *text)
{
	return kinds_in(text, PLAN_TITLE);
}

/* Issue 13, class 4: the rules of a scheme inside a plan (eligibility shares, what a rule permits,
 * selection criteria, specifications) are other; the plan's goals beside them stay targets. */
START_TEST(rules_of_a_scheme_inside_a_plan_are_other)
{
	ck_assert_str_eq(kinds_of("小微企业新招用人员数量达到企业现有在职职工人数25%（超过100人的企业达到15%）"
	                          "并与其签订1年以上劳动合同的，可申请最高不超过300万元的创业担保贷款。"),
	                 "other other other other");
	ck_assert_str_eq(kinds_of("新设立有限责任制专利代理机构的，允许不超过五分之一不具有专利代理人资格的人员出资。"),
	                 "other");
	ck_assert_str_eq(kinds_of("重点整治项目挑选应优先考虑两方面因素：一是规模，原则上项目面积应不小于5亩；二是重要性。"),
	                 "other other");
	ck_assert_str_eq(kinds_of("全区新增湿垃圾收运车40辆，其中载重量1吨的收运车32辆。"), "target other target");
	ck_assert_str_eq(kinds_of("整治的面积应不低于年度计划任务量的60%。"), "target");
	ck_assert_str_eq(kinds_of("完成3万平方米节能率不低于15%的既有公共建筑节能改造。"), "target target");
	ck_assert_str_eq(kinds_of("总投资为30万至100万元的小型建设工程统一在管理系统上办理。"), "other");
	ck_assert_str_eq(kinds_of("《报建备案表》（网上打印，提交二份）。"), "other");
	ck_assert_str_eq(kinds_of("关停淘汰10万千瓦及以下燃煤机组，推动年运量150万吨以上的物流园区接入铁路专用线。"),
	                 "other other");
	ck_assert_str_eq(kinds_of("完成营造林40万亩以上。本市设立5个集中回收点。"), "target target");
}
END_TEST

/* Issue 13, the constructions of the real gold and of the rest of ../shared/realcorpus: copies, what a
 * rule lets one have, 确保 in a regulation, a condition (…的，), a band of money before the projects it
 * names, a count framing where the actors are, what is taken over, a magnitude, per-unit counts and a tax
 * rate are other; a verb of doing with 了 and the base a goal counts from are facts; work done once, what
 * a 批复 or 复函 approves and the quake a plan must withstand are targets; a review heading may join the
 * year's work and the period's achievements, and a paragraph may open on the five years behind it. */
START_TEST(kinds_of_the_constructions_of_real_documents)
{
	static const char *const regulation = "关于印发《东明路街道老旧住宅小区物业达标补贴实施办法》的通知";
	static const char *const reply = "国务院关于同意乌鲁木齐高新技术产业开发区建设国家自主创新示范区的批复";
	static const char *const reply_letter = "国务院办公厅关于广东与香港合建自动气象站网有关问题的复函";
	static const struct {
		const char *text, *title, *kinds;
	} cases[] = {
	    {"镇规建办反馈《竣工验收备案表》一份。", PLAN_TITLE, "other"},
	    {"生活费补贴政策每人每年只享受一次。", PLAN_TITLE, "other"},
	    {"考核情况必须有两人以上签名，确保考核真实性。", regulation, "other"},
	    {"每年汛期前组织相关工作人员进行一次模拟应急处置演习，提高小组成员的处置能力。", PLAN_TITLE, "target"},
	    {"开展一次实地普查。", PLAN_TITLE, "target"},
	    {"入围生产企业只有1家的，采取谈判采购的方式。", PLAN_TITLE, "other"},
	    {"提交集资委会议纪要（50万元至100万元项目）或会议纪要（50万元以下项目）。", PLAN_TITLE, "other other"},
	    {"安排资金1000万元以上用于老旧小区改造。", PLAN_TITLE, "target"},
	    {"推动东北、西北、西南、东南四个片区内城市共同实施一批重大合作事项。", PLAN_TITLE, "other"},
	    {"在城桥、堡镇、长兴三个乡镇开展试点。", PLAN_TITLE, "target"},
	    {"N是市级层面结合上海市实际，新增了34个指标。", PLAN_TITLE, "fact"},
	    {"区级体检指标传导沿用住房城乡建设部65个基础性指标。", PLAN_TITLE, "other"},
	    {"1995年7月12日云南孟连又发生了7.3级强震。", PLAN_TITLE, "fact"},
	    {"今后几年将发生几次7级左右强震。", PLAN_TITLE, "other"},
	    {"首先使大中城市基本具备抗御6级左右地震的能力。", PLAN_TITLE, "target"},
	    {"一、同意乌鲁木齐、昌吉、石河子3个高新技术产业开发区享受相关政策。", reply, "target"},
	    {"一、同意广东省气象局与香港天文台合建3个自动气象站。", reply_letter, "target"},
	    {"汽车号牌每副两只，分别悬挂在车辆前后部。", PLAN_TITLE, "other"},
	    {"北京市应税大气污染物适用税额为每污染当量12元。", PLAN_TITLE, "other"},
	    {"以1995年实招人数1445名为基数，至1998年达到2000名的招生规模。", PLAN_TITLE, "fact target"},
	    {"2025年主要工作和“十四五”发展成就\n全省生产总值增长5.5%。\n", "2026年浙江省政府工作报告", "fact"},
	    {"这五年，我们以人为本。全市财政支出八成以上投向民生领域，公园总数达1136个。", PLAN_TITLE, "fact fact"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *got = kinds_in(cases[i].text, cases[i].title);

		ck_assert_msg(strcmp(got, cases[i].kinds) == 0, "%s: %s, expected %s", cases[i].text, got,
		              cases[i].kinds);
	}
}
END_TEST

/* Issue 13, class 5: counts that organise the work are other; counts of what the plan builds or does,
 * and a year's own due amount after a review of earlier years, are targets; what is done is a fact. */
START_TEST(counts_that_organise_are_other_what_the_plan_builds_is_a_target)
{
	ck_assert_str_eq(kinds_of("按照先易后难的原则，分3个阶段实施。"), "other");
	ck_assert_str_eq(kinds_of("建设涵盖管理、实务、科研3大类100个专题领域的知识库。"), "target target");
	ck_assert_str_eq(kinds_of("梳理形成六大类重点任务清单。"), "other");
	ck_assert_str_eq(kinds_of("形成涵盖建筑小区、公园绿地、道路广场、河湖水系四类建设项目的示范项目库。"), "target");
	ck_assert_str_eq(kinds_of("围绕空间定义解析等需求，研发6个垂类模型。"), "target");
	ck_assert_str_eq(kinds_of("集聚和培育20家具有全球影响力的专业服务机构。"), "target");
	ck_assert_str_eq(kinds_of("2024年及2025年已累计完成约4180亩整治任务量，2026年应完成剩余1620亩整治任务量。"),
	                 "fact target");
	ck_assert_str_eq(kinds_of("城北大居西及城北大居东共计25.2平方公里已完成海绵城市达标评估。"), "fact");
	ck_assert_str_eq(kinds_of("在现有510个绿色账户居住区开展定时定点投放。"), "fact");
}
END_TEST

/* 020, 022: a sentence that opens with the situation and answers it with what must be done — the
 * figure of the situation is measured; a clause that plans something stays a goal. */
START_TEST(the_situation_a_report_answers_is_a_fact)
{
	ck_assert_str_eq(kinds_of("今年高校毕业生达874万人，要促进市场化社会化就业。"), "fact");
	ck_assert_str_eq(kinds_of("全国近3亿人领取养老金，必须确保按时足额发放。"), "fact");
	ck_assert_str_eq(kinds_of("今年新建高标准农田8000万亩，要确保建设质量。"), "target");
	ck_assert_str_eq(kinds_of("实现上述目标，要重点抓好11个方面工作。"), "target");
}
END_TEST

START_TEST(a_plan_compares_with_last_year_for_a_goal_unless_it_speaks_of_an_earlier_year)
{
	gw_doc *d = run("2024年，全区规上工业产值同比增长8%。涉企行政检查次数同比下降20%。"
	                "2025年，全区规上工业产值增长6%。");

	ck_assert_int_eq(d->nqs, 3);
	ck_assert_str_eq(gw_qkind_name(d->qs[0].kind), "fact");
	ck_assert_str_eq(gw_qkind_name(d->qs[1].kind), "target");
	ck_assert_str_eq(gw_qkind_name(d->qs[2].kind), "target");
	d = run_doc("全县新增就业比上年增长5%。", "关于水毁工程修复情况的函", 1);
	ck_assert_str_eq(gw_qkind_name(d->qs[0].kind), "fact");
	d = run("城市内涝预警由低到高分为四级。");
	ck_assert_int_eq(d->nqs, 1);
	ck_assert_str_eq(d->qs[0].unit, "级");
	ck_assert_str_eq(gw_qkind_name(d->qs[0].kind), "other");
}
END_TEST

START_TEST(a_review_section_reports_facts)
{
	const char *text = "一、2021年工作回顾\n国内生产总值达到114万亿元。\n二、2022年工作任务\n新建1亿亩高标准农田。\n";
	gw_doc *d = gw_doc_new();

	d->id = gw_xstrdup("r");
	d->is_notice = 1;
	gw_doc_set_text(d, gw_xstrdup(text), strlen(text));
	gw_header_set(d, GW_H_TITLE, "政府工作报告", (size_t)-1, GW_NOSPAN);
	gw_doc_add_node(d, GW_LEVEL1, 0, -1, "一、", 1, "2021年工作回顾", (gw_span){0, 29},
	                (gw_span){2, 11});
	gw_doc_add_node(d, GW_LEVEL1, 0, -1, "二、", 2, "2022年工作任务", (gw_span){29, 58},
	                (gw_span){31, 40});
	gw_doc_assign_node_ids(d);
	ck_assert_int_eq(gw_extract(ex, d), 0);
	ck_assert_int_eq(d->nqs, 2);
	ck_assert_str_eq(gw_qkind_name(d->qs[0].kind), "fact");
	ck_assert_int_eq(d->qs[0].node, 0);
	ck_assert_str_eq(gw_qkind_name(d->qs[1].kind), "target");
	ck_assert_int_eq(d->qs[1].node, 1);
	ck_assert_str_eq(d->qs[1].id, "sec_2__qty_1");
	ck_assert(d->stages & GW_ST_EXTRACTED);
	gw_doc_free(d);
}
END_TEST

START_TEST(subject_and_verb_come_from_the_clause)
{
	const gw_quantity *q = one("全区绿化覆盖率达43.5%。");

	ck_assert_str_eq(q->verb, "达");
	ck_assert_str_eq(q->subject, "全区绿化覆盖率");
	q = one("持续推进千兆宽带建设，新建5G基站50个。");
	ck_assert_str_eq(q->verb, "新建");
	ck_assert_str_eq(q->subject, "5G基站");
	q = one("完成筹措1325套。");
	ck_assert_str_eq(q->verb, "完成筹措");
}
END_TEST

/* Issue 13, class 7: a subject is whole words (ICU word breaks), never a word cut in two, never the
 * point's number, a particle or a comparator; a verb inside a noun (覆盖|率) is no verb. */
START_TEST(a_subject_is_whole_words_and_never_a_particle_or_a_number)
{
	const gw_quantity *q = one("到2025年，城镇生活污水集中收集率达到70%以上。");

	ck_assert_str_eq(q->subject, "城镇生活污水集中收集率");
	ck_assert_str_eq(q->verb, "达到");
	q = one("森林覆盖率为68%。");
	ck_assert_str_eq(q->subject, "森林覆盖率");
	ck_assert_ptr_null(q->verb);
	q = one("1.全市固定资产投资总额达到5000亿元。");
	ck_assert_str_eq(q->subject, "全市固定资产投资总额");
	q = one("确保城市建成区绿地率达到40%。");
	ck_assert_str_eq(q->subject, "城市建成区绿地率");
	q = one("“一网通办”首办成功率超过90%。");
	ck_assert_str_eq(q->subject, "“一网通办”首办成功率");
	q = &run("常住人口城镇化率从2020年的50%提升到57.7%。")->qs[1];
	ck_assert_str_eq(q->subject, "常住人口城镇化率");
	q = one("投资约3亿元。");
	ck_assert_ptr_null(q->subject);
}
END_TEST

/* ---------------------------------------------------------------- the table of written forms */

/* tests/unit/numbers.tsv: category, sentence, expected (the file's opening comment). */
#define TABLE "tests/unit/numbers.tsv"

/* What the one quantity of d is, for a failure message. */
static void
describe(const gw_doc *d, char *why, size_t n)
{
	const gw_quantity *q = d->nqs ? &d->qs[0] : NULL;

	if (d->nqs != 1)
		snprintf(why, n, "%zu quantities, %zu rejected (%s)", d->nqs, d->nrej,
		         d->nrej ? d->rej[0].reason : "-");
	else
		snprintf(why, n, "read %s as %.17g [%.17g, %.17g] %s %s", q->text, q->value, q->min,
		         q->max, q->unit ? q->unit : "-", gw_cmp_name(q->cmp));
}

/* Whether d holds what the expected column says. */
static bool
reads_as(const gw_doc *d, const char *want)
{
	const gw_quantity *q = d->nqs == 1 ? &d->qs[0] : NULL;
	char unit[64], cmp[16], reason[32];
	double v, lo, hi;
	bool found = false;

	if (strcmp(want, "none") == 0)
		return d->nqs == 0;
	if (sscanf(want, "rejected %31s", reason) == 1) {
		for (size_t i = 0; i < d->nrej; i++)
			found |= strcmp(d->rej[i].reason, reason) == 0;
		return d->nqs == 0 && found;
	}
	if (q == NULL || q->unit == NULL)
		return false;
	if (sscanf(want, "range %lf %lf %63s", &lo, &hi, unit) == 3)
		return !q->has_value && q->has_min && q->has_max && q->min == lo && q->max == hi &&
		       strcmp(q->unit, unit) == 0 && q->cmp == GW_CMP_RANGE;
	ck_assert_msg(sscanf(want, "= %lf %63s %15s", &v, unit, cmp) == 3, "bad row: %s", want);
	return q->has_value && !q->has_min && q->value == v && strcmp(q->unit, unit) == 0 &&
	       strcmp(gw_cmp_name(q->cmp), cmp) == 0;
}

START_TEST(every_written_form_of_the_table_reads_right)
{
	FILE *f = fopen(TABLE, "r");
	char *line = NULL, why[512];
	size_t cap = 0, lineno = 0, rows = 0, wrong = 0;

	ck_assert_msg(f != NULL, "cannot open %s", TABLE);
	while (getline(&line, &cap, f) > 0) {
		char *cat = strtok(line, "\t\n"), *text = strtok(NULL, "\t\n"), *want = strtok(NULL, "\t\n");

		lineno++;
		if (cat == NULL || cat[0] == '#')
			continue;
		ck_assert_msg(text && want, "%s:%zu: three tab-separated columns", TABLE, lineno);
		rows++;
		if (!reads_as(run(text), want)) {
			describe(cur, why, sizeof why);
			printf("%s:%zu: %s %s: expected %s, %s\n", TABLE, lineno, cat, text, want, why);
			wrong++;
		}
	}
	free(line);
	fclose(f);
	printf("%s: %zu rows, %zu read right\n", TABLE, rows, rows - wrong);
	ck_assert_msg(rows >= 200, "%s: %zu rows, the table needs 200", TABLE, rows);
	ck_assert_msg(wrong == 0, "%s: %zu of %zu rows read wrong", TABLE, wrong, rows);
}
END_TEST

START_TEST(a_ten_thousand_digit_number_is_skipped_with_a_warning)
{
	char *text = malloc(10016); /* 10000 digits, 个，3套 (10 bytes) and the NUL */
	gw_doc *d;

	memset(text, '9', 10000);
	strcpy(text + 10000, "个，3套");
	d = run(text);
	ck_assert_int_eq(d->nqs, 1);
	ck_assert_str_eq(d->qs[0].text, "3套");
	ck_assert_int_eq(d->ndiags, 1);
	ck_assert_int_eq(d->diags[0].code, GW_W_NUMBER_TOO_LONG);
	free(text);
}
END_TEST

START_TEST(extracting_twice_gives_the_same_result)
{
	gw_doc *d = run("完成筹措1325套，开工1个基地，新建2022年第一批。");
	size_t nq = d->nqs, nr = d->nrej;

	ck_assert_int_eq(gw_extract(ex, d), 0);
	ck_assert_int_eq(d->nqs, nq);
	ck_assert_int_eq(d->nrej, nr);
	ck_assert_str_eq(d->qs[0].id, "qty_1");
}
END_TEST

START_TEST(an_empty_text_has_no_quantities)
{
	gw_doc *d = run("");

	ck_assert_int_eq(d->nqs, 0);
	ck_assert_int_eq(d->nrej, 0);
}
END_TEST

/* issue 14: a string read in two pieces, the second from where the first ended, gives the mask
 * of the whole string, also for a pattern that needs two code points (罚, 款) or none outside a
 * set (the anchored [^、]*达): what is kept is what was read, not the mask. */
START_TEST(a_prefilter_reading_grown_at_its_end_is_that_of_the_whole_string)
{
	static const char *const pat[] = {"\\G[^、]*达$", "罚.*款", "达", "^(?:分|分成)$"};
	static const char *const str[] = {"全区达到罚款", "新建、达", "的罚款", "分成", "罚5款、"};
	size_t len[4];
	gw_prefilter *f;

	for (size_t k = 0; k < 4; k++)
		len[k] = strlen(pat[k]);
	f = gw_prefilter_new(pat, len, 4, true);
	for (size_t i = 0; i < sizeof str / sizeof *str; i++) {
		size_t n = strlen(str[i]);
		gw_prefilter_mask whole, grown;

		gw_prefilter_in(f, str[i], n, &whole);
		for (size_t cut = 0; cut <= n; cut++) {
			gw_prefilter_read rd = {.req = {0}};

			if (cut < n && ((unsigned char)str[i][cut] & 0xC0) == 0x80)
				continue; /* not between two code points */
			gw_prefilter_in_more(f, str[i], 0, cut, &rd, &grown);
			gw_prefilter_in_more(f, str[i], cut, n, &rd, &grown);
			for (size_t k = 0; k < 4; k++)
				ck_assert_msg(gw_prefilter_may(f, &grown, k) == gw_prefilter_may(f, &whole, k),
				              "%s cut at %zu, pattern %zu", str[i], cut, k);
		}
	}
	gw_prefilter_free(f);
}
END_TEST

static Suite *
extract_suite(void)
{
	Suite *s = suite_create("extract");
	TCase *tc = tcase_create("extract");

	tcase_add_test(tc, arabic_numbers_with_separators_decimals_and_full_width_digits);
	tcase_add_test(tc, chinese_numerals_with_liang_ling_and_financial_forms);
	tcase_add_test(tc, scale_words_are_applied_and_left_out_of_the_unit);
	tcase_add_test(tc, approximations_are_approx_or_ranges);
	tcase_add_test(tc, percent_percentage_points_and_fractions_are_different_units);
	tcase_add_test(tc, ranges_and_bounds_give_min_and_max);
	tcase_add_test(tc, comparator_words_before_and_after_the_number);
	tcase_add_test(tc, every_measure_word_of_the_issue_is_a_unit);
	tcase_add_test(tc, the_text_starts_at_the_number_and_keeps_the_words_after_it);
	tcase_add_test(tc, false_friends_are_not_quantities);
	tcase_add_test(tc, stop_lists_turn_down_dates_ordinals_designators_and_names);
	tcase_add_test(tc, the_user_asks);
	tcase_add_test(tc, kinds_follow_the_document_the_section_and_the_words);
	tcase_add_test(tc, a_negative_or_share_figure_has_the_kind_of_any_other);
	tcase_add_test(tc, a_fact_carries_over_its_sentence_and_thresholds_are_rules);
	tcase_add_test(tc, a_plan_compares_with_last_year_for_a_goal_unless_it_speaks_of_an_earlier_year);
	tcase_add_test(tc, a_review_section_reports_facts);
	tcase_add_test(tc, subject_and_verb_come_from_the_clause);
	tcase_add_test(tc, a_subject_is_whole_words_and_never_a_particle_or_a_number);
	tcase_add_test(tc, every_written_form_of_the_table_reads_right);
	tcase_add_test(tc, a_ten_thousand_digit_number_is_skipped_with_a_warning);
	tcase_add_test(tc, extracting_twice_gives_the_same_result);
	tcase_add_test(tc, an_empty_text_has_no_quantities);
	tcase_add_test(tc, rules_of_a_scheme_inside_a_plan_are_other);
	tcase_add_test(tc, kinds_of_the_constructions_of_real_documents);
	tcase_add_test(tc, counts_that_organise_are_other_what_the_plan_builds_is_a_target);
	tcase_add_test(tc, the_situation_a_report_answers_is_a_fact);
	tcase_add_test(tc, a_prefilter_reading_grown_at_its_end_is_that_of_the_whole_string);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	const char *dir = getenv("GONGWEN_RULES");
	gw_buf err = GW_BUF_INIT;
	SRunner *sr;
	int failed;

	rules = gw_rules_load(dir && *dir ? dir : "rules", &err);
	if (rules == NULL) {
		fprintf(stderr, "test_extract: %s\n", err.ptr);
		return 1;
	}
	ex = gw_extractor_new(rules, &err);
	if (ex == NULL) {
		fprintf(stderr, "test_extract: %s\n", err.ptr);
		return 1;
	}
	sr = srunner_create(extract_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	gw_extractor_free(ex);
	gw_rules_free(rules);
	gw_buf_free(&err);
	return failed ? 1 : 0;
}
