/* test_archive.c — the archive: tokenizer, sentences, node paths, query syntax, put/replace, search, bulk. */
#include <check.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "archive.h"

#define GW_STR_(x) #x
#define GW_STR(x) GW_STR_(x)

/* The tokens the gongwen tokenizer makes of text, space-separated (through fts5vocab). */
static char *
tokens_of(const char *text)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	gw_buf b = GW_BUF_INIT;

	ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	ck_assert_int_eq(gw_fts_icu_register(db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='gongwen');"
	                                  "CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance');",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?1)", -1, &st, NULL);
	sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_prepare_v2(db, "SELECT term FROM v ORDER BY offset", -1, &st, NULL);
	while (sqlite3_step(st) == SQLITE_ROW)
		gw_buf_printf(&b, "%s%s", b.len ? " " : "", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return b.ptr ? gw_buf_detach(&b) : gw_xstrdup("");
}

#define ck_tokens(text, want)                                                                      \
	do {                                                                                       \
		char *got_ = tokens_of(text);                                                      \
		ck_assert_str_eq(got_, want);                                                      \
		free(got_);                                                                        \
	} while (0)

START_TEST(tokenizer_indexes_every_pair_of_characters_and_the_last_alone)
{
	ck_tokens("推进保障性租赁住房", "推进 进保 保障 障性 性租 租赁 赁住 住房 房");
	ck_tokens("绿化覆盖率达到40%以上。",
	          "绿化 化覆 覆盖 盖率 率达 达到 到4 40 0% %以 以上 上。 。");
}
END_TEST

START_TEST(tokenizer_cuts_latin_and_digits_into_characters_in_lower_case)
{
	/* 5G is found in 55GWh, as a substring scan finds it */
	ck_tokens("新建5G基站", "新建 建5 5g g基 基站 站");
	ck_tokens("PM2.5 55GWh", "pm m2 2. .5 55 55 5g gw wh h");
}
END_TEST

START_TEST(tokenizer_folds_full_width_letters_and_digits)
{
	ck_tokens("ＰＭ２．５和５Ｇ", "pm m2 2. .5 5和 和5 5g g");
	ck_tokens("面积㎡", "面积 积m m2 2");
}
END_TEST

START_TEST(tokenizer_keeps_punctuation_and_drops_spaces)
{
	ck_tokens("“六稳”、“六保”　——", "“六 六稳 稳” ”、 、“ “六 六保 保” ”— —— —");
	ck_tokens("国发〔2019〕5号", "国发 发〔 〔2 20 01 19 9〕 〕5 5号 号");
	ck_tokens("", "");
}
END_TEST

/* One SQL function of the archive on text and its second argument, as text. */
static char *
sql_fn(const char *fn, const char *text, const char *arg)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	gw_buf sql = GW_BUF_INIT;
	char *r;

	ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
	ck_assert_int_eq(gw_fts_icu_register(db), SQLITE_OK);
	gw_buf_printf(&sql, "SELECT %s(?1, ?2)", fn);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql.ptr, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, arg, -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	r = gw_xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	gw_buf_free(&sql);
	return r;
}

START_TEST(candidates_are_checked_and_marked_in_the_folded_text_without_white_space)
{
	static const char *const cases[][4] = {
	    {"gw_has", "人民政府", "政府", "1"},
	    {"gw_has", "政，府", "政府", "0"},
	    {"gw_has", "ＰＭ２．５浓度", "pm2.5", "1"},
	    {"gw_has", "国内 生产总值", "内生", "1"},
	    {"gw_has", "面积10㎡", "0m2", "1"},
	    {"gw_mark", "地方政府和人民政府", "政府\x1F", "地方\x02政府\x03和人民\x02政府\x03"},
	    /* occurrences that overlap or touch are one mark; a mark covers a folded character
	       whole */
	    {"gw_mark", "政府政府工作", "政府\x1F府工\x1F", "\x02政府政府工\x03作"},
	    {"gw_mark", "ＰＭ２．５和10㎡", "pm2.5\x1Fm2\x1F", "\x02ＰＭ２．５\x03和10\x02㎡\x03"},
	    {"gw_mark", "国内 生产", "内生\x1F", "国\x02内 生\x03产"},
	    {"gw_mark", "住房", "", "住房"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = sql_fn(cases[i][0], cases[i][1], cases[i][2]);

		ck_assert_str_eq(got, cases[i][3]);
		free(got);
	}
}
END_TEST

START_TEST(rank_prefers_whole_words_and_short_sentences)
{
	/* ICU cuts 地方|政府 and 人民政府 */
	char *whole = sql_fn("gw_rank", "加强地方政府建设", "政府\x1F");
	char *part = sql_fn("gw_rank", "加强人民政府建设", "政府\x1F");
	char *longer =
	    sql_fn("gw_rank", "加强政府建设和各项工作的组织领导以及监督检查考核评估", "政府\x1F");

	ck_assert_double_gt(atof(whole), atof(part));
	ck_assert_double_gt(atof(whole), atof(longer));
	free(part), free(longer);
	free(whole);
	whole = sql_fn("gw_rank", "加强地方政府建设", "住房\x1F");
	ck_assert_str_eq(whole, "0.0");
	free(whole);
}
END_TEST

/* What gw_archive_fts_query gives, on three lines (GW_NEEDLE_END as |), or its error. */
static char *
fts(const char *q)
{
	gw_buf f = GW_BUF_INIT, c = GW_BUF_INIT, n = GW_BUF_INIT, err = GW_BUF_INIT,
	       out = GW_BUF_INIT;

	if (gw_archive_fts_query(q, &f, &c, &n, &err) < 0)
		gw_buf_puts(&out, err.ptr);
	else
		gw_buf_printf(&out, "%s\n%s\n%s", f.ptr, c.ptr, n.ptr);
	for (size_t i = 0; i < out.len; i++)
		if (out.ptr[i] == GW_NEEDLE_END)
			out.ptr[i] = '|';
	gw_buf_free(&f), gw_buf_free(&c), gw_buf_free(&n), gw_buf_free(&err);
	return gw_buf_detach(&out);
}

#define ck_fts(q, want)                                                                            \
	do {                                                                                       \
		char *got_ = fts(q);                                                               \
		ck_assert_str_eq(got_, want);                                                      \
		free(got_);                                                                        \
	} while (0)

START_TEST(query_syntax_asks_fts5_for_the_pairs_and_checks_the_words)
{
	ck_fts("PM2.5 5G", "(\"pm\" AND \"m2\" AND \"2.\" AND \".5\" ) AND (\"5g\" )\n"
	                   "( gw_has(s.text, 'pm2.5') AND gw_has(s.text, '5g') )\npm2.5|5g|");
	/* a pair once; one character is a prefix (the pairs it starts, or itself last) */
	ck_fts("人民政府人民 发",
	       "(\"人民\" AND \"民政\" AND \"政府\" AND \"府人\" ) AND (\"发\"* )\n"
	       "( gw_has(s.text, '人民政府人民') AND gw_has(s.text, '发') )\n人民政府人民|发|");
	ck_fts("a:b　c", "(\"a:\" AND \":b\" ) AND (\"c\"* )\n"
	                 "( gw_has(s.text, 'a:b') AND gw_has(s.text, 'c') )\na:b|c|");
	/* quotes: SQL's in the check, FTS5's in the pairs; white space is no character */
	ck_fts("it's \"say \"\"hi\"\"\"*", "(\"it\" AND \"t'\" AND \"'s\" ) AND (\"sa\" AND \"ay\" "
	                                   "AND \"y\"\"\" AND \"\"\"h\" AND \"hi\" AND "
	                                   "\"i\"\"\" )\n( gw_has(s.text, 'it''s') AND "
	                                   "gw_has(s.text, 'say\"hi\"') )\nit's|say\"hi\"|");
}
END_TEST

START_TEST(query_syntax_keeps_operators_and_drops_the_star_and_the_caret)
{
	/* 租赁* is 租赁, found inside 租赁住房 already; what NOT leaves out is no part of the
	 * candidates (they would lose the sentences with 公 and 寓 apart) */
	ck_fts("租赁* OR (住房 NOT 公寓)",
	       "(\"租赁\" ) OR ( (\"住房\" ) )\n"
	       "( gw_has(s.text, '租赁') OR ( gw_has(s.text, '住房') AND NOT "
	       "gw_has(s.text, '公寓') ) )\n租赁|住房|");
	ck_fts("^绿化 and OR 住房",
	       "(\"绿化\" ) AND (\"an\" AND \"nd\" ) OR (\"住房\" )\n"
	       "( gw_has(s.text, '绿化') AND gw_has(s.text, 'and') OR gw_has(s.text, '住房') )\n"
	       "绿化|and|住房|");
	ck_fts("住房 NOT (公寓 OR 宿舍) 租赁",
	       "(\"住房\" ) AND (\"租赁\" )\n"
	       "( gw_has(s.text, '住房') AND NOT ( gw_has(s.text, '公寓') OR "
	       "gw_has(s.text, '宿舍') ) AND gw_has(s.text, '租赁') )\n住房|租赁|");
}
END_TEST

START_TEST(query_syntax_ands_a_group_after_a_word)
{
	/* FTS5 has no implicit AND before a parenthesis (issue 15: exit 2) */
	ck_fts(
	    "城镇 (就业 OR 失业)",
	    "(\"城镇\" ) AND ( (\"就业\" ) OR (\"失业\" ) )\n"
	    "( gw_has(s.text, '城镇') AND ( gw_has(s.text, '就业') OR gw_has(s.text, '失业') ) )\n"
	    "城镇|就业|失业|");
	ck_fts("(a) (b)", "( (\"a\"* ) ) AND ( (\"b\"* ) )\n( ( gw_has(s.text, 'a') ) AND ( "
	                  "gw_has(s.text, 'b') ) )\na|b|");
}
END_TEST

START_TEST(query_syntax_reads_minus_word_as_not)
{
	/* web-search habit: -农村 leaves 农村 out (it was AND 农村); -5 is still a number */
	ck_fts("垃圾分类 -农村",
	       "(\"垃圾\" AND \"圾分\" AND \"分类\" )\n"
	       "( gw_has(s.text, '垃圾分类') ) AND NOT ( gw_has(s.text, '农村') )\n垃圾分类|");
	ck_fts("垃圾 -农村 -乡镇",
	       "(\"垃圾\" )\n( gw_has(s.text, '垃圾') ) AND NOT ( gw_has(s.text, "
	       "'农村') OR gw_has(s.text, '乡镇') )\n垃圾|");
	ck_fts("下降 -5", "(\"下降\" ) AND (\"-5\" )\n( gw_has(s.text, '下降') AND gw_has(s.text, "
	                  "'-5') )\n下降|-5|");
	ck_fts("-农村", "only words to leave out: give a word to look for (垃圾分类 -农村)");
	ck_fts("NOT 农村", "only words to leave out: give a word to look for (垃圾分类 -农村)");
}
END_TEST

START_TEST(query_syntax_refuses_an_open_quote)
{
	ck_fts("\"住房", "a \" is not closed");
}
END_TEST

static gw_doc *
doc_with(const char *id, const char *text)
{
	gw_doc *d = gw_doc_new();

	d->id = gw_xstrdup(id);
	d->src_path = gw_xstrdup("t.txt");
	memset(d->src_sha256, 'a', 64);
	gw_doc_set_text(d, gw_xstrdup(text), strlen(text));
	return d;
}

/* The span of needle's first occurrence at or after byte `from`, in code points. */
static gw_span
find(gw_doc *d, const char *needle)
{
	const char *p = strstr(d->text, needle);

	ck_assert_ptr_nonnull(p);
	return (gw_span){gw_doc_byte_to_cp(d, (size_t)(p - d->text)),
	                 gw_doc_byte_to_cp(d, (size_t)(p - d->text) + strlen(needle))};
}

START_TEST(node_path_is_the_numbers_without_their_punctuation)
{
	gw_doc *d = doc_with("p", "五、住房\n（三）保障\n16.筹措\n第三章 总则\n第十条 内容\n");
	int five = gw_doc_add_node(d, GW_LEVEL1, 0, -1, "五、", 5, NULL, (gw_span){0, 30},
	                           GW_NOSPAN);
	int three = gw_doc_add_node(d, GW_LEVEL2, 0, five, "（三）", 3, NULL, (gw_span){5, 30},
	                            GW_NOSPAN);
	int sixteen = gw_doc_add_node(d, GW_LEVEL3, 0, three, "16.", 16, NULL, (gw_span){12, 30},
	                              GW_NOSPAN);
	int ch = gw_doc_add_node(d, GW_CHAPTER, 0, -1, "第三章", 3, NULL, (gw_span){30, 45},
	                         GW_NOSPAN);
	int art = gw_doc_add_node(d, GW_ARTICLE, 0, ch, "第十条", 10, NULL, (gw_span){36, 45},
	                          GW_NOSPAN);
	char *p[3] = {gw_archive_node_path(d, five), gw_archive_node_path(d, sixteen),
	              gw_archive_node_path(d, art)};

	ck_assert_str_eq(p[0], "五");
	ck_assert_str_eq(p[1], "五/（三）/16");
	ck_assert_str_eq(p[2], "第三章/第十条");
	for (int i = 0; i < 3; i++)
		free(p[i]);
	gw_doc_free(d);
}
END_TEST

/* The sentences of text, joined with |. */
static char *
sentences_of(gw_doc *d)
{
	gw_span *sv;
	size_t n = gw_archive_sentences(d, &sv);
	gw_buf b = GW_BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		size_t a = gw_doc_cp_to_byte(d, sv[i].start), z = gw_doc_cp_to_byte(d, sv[i].end);

		gw_buf_printf(&b, "%s%.*s", i ? "|" : "", (int)(z - a), d->text + a);
	}
	free(sv);
	return b.ptr ? gw_buf_detach(&b) : gw_xstrdup("");
}

START_TEST(sentences_end_at_stops_lines_and_closing_quotes)
{
	gw_doc *d = doc_with("s", "　第一句。第二句！“引用。”后面；\n\n最后一行\n");
	char *s = sentences_of(d);

	ck_assert_str_eq(s, "第一句。|第二句！|“引用。”|后面；|最后一行");
	free(s);
	gw_doc_free(d);
}
END_TEST

START_TEST(sentences_end_where_a_unit_starts)
{
	gw_doc *d = doc_with("u", "主要工作如下：一、住房保障，1.筹措房源");
	char *s;

	gw_doc_add_node(d, GW_LEVEL1, 0, -1, "一、", 1, NULL, find(d, "一、住房保障，1.筹措房源"),
	                GW_NOSPAN);
	gw_doc_add_node(d, GW_LEVEL3, 0, 0, "1.", 1, NULL, find(d, "1.筹措房源"), GW_NOSPAN);
	s = sentences_of(d);
	ck_assert_str_eq(s, "主要工作如下：|一、住房保障，|1.筹措房源");
	free(s);
	gw_doc_free(d);
}
END_TEST

START_TEST(sentences_are_cut_at_the_maximum_length)
{
	gw_buf b = GW_BUF_INIT;
	gw_doc *d;
	gw_span *sv;
	size_t n;

	for (int i = 0; i < GW_ARCHIVE_SENTENCE_MAX + 10; i++)
		gw_buf_puts(&b, "字");
	d = doc_with("long", b.ptr);
	n = gw_archive_sentences(d, &sv);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(sv[0].end - sv[0].start, GW_ARCHIVE_SENTENCE_MAX);
	ck_assert_int_eq(sv[1].end - sv[1].start, 10);
	free(sv);
	gw_buf_free(&b);
	gw_doc_free(d);
}
END_TEST

/* A temporary archive path (removed with its -wal and -shm by rm_db). */
static char *
tmp_db(void)
{
	char *p = gw_xstrdup("/tmp/test_archive_XXXXXX");
	int fd = mkstemp(p);

	ck_assert_int_ge(fd, 0);
	close(fd);
	return p;
}

static void
rm_db(char *p)
{
	gw_buf b = GW_BUF_INIT;

	unlink(p);
	gw_buf_printf(&b, "%s-wal", p);
	unlink(b.ptr);
	gw_buf_reset(&b);
	gw_buf_printf(&b, "%s-shm", p);
	unlink(b.ptr);
	gw_buf_free(&b);
	free(p);
}

static gw_doc *
housing_doc(const char *id, const char *count)
{
	gw_buf t = GW_BUF_INIT;
	gw_doc *d;
	gw_quantity *q;

	gw_buf_printf(&t, "关于住房的通知\n一、住房保障\n1.筹集保障性租赁住房%s套。其他。\n", count);
	d = doc_with(id, t.ptr);
	d->src_sha256[0] = count[0]; /* another count, another source (not a copy) */
	gw_header_set(d, GW_H_TITLE, "关于住房的通知", (size_t)-1, find(d, "关于住房的通知"));
	gw_header_set(d, GW_H_DOC_TYPE, "通知", (size_t)-1, find(d, "通知"));
	d->header.date = gw_xstrdup("2022-03-15");
	gw_doc_add_node(d, GW_LEVEL1, 0, -1, "一、", 1, "住房保障", find(d, "一、住房保障\n1."),
	                find(d, "住房保障"));
	gw_doc_add_node(d, GW_LEVEL3, 0, 0, "1.", 1, NULL, find(d, "1.筹集"), GW_NOSPAN);
	d->nodes[1].span.end = (int32_t)d->ncp;
	d->nodes[0].span.end = (int32_t)d->ncp;
	gw_doc_assign_node_ids(d);
	q = gw_doc_add_quantity(d);
	q->node = 1;
	q->text = gw_xstrdup(strstr(d->text, count));
	q->text[strlen(count) + 3] = '\0'; /* the count and 套 */
	q->span = find(d, q->text);
	q->has_value = true;
	q->value = atof(count);
	q->unit = gw_xstrdup("套");
	q->kind = GW_Q_TARGET;
	gw_doc_assign_quantity_ids(d);
	gw_buf_free(&t);
	return d;
}

static int
collect(void *ctx, const gw_hit *h)
{
	gw_buf *b = ctx;

	gw_buf_printf(b, "%s %s [%s]", h->doc_id, h->path, h->marked);
	for (size_t i = 0; i < h->nqs; i++)
		gw_buf_printf(b, " {%s %s}", h->qs[i].text, h->qs[i].kind);
	gw_buf_putc(b, '\n');
	return 0;
}

static char *
search(gw_archive *a, const gw_query *q)
{
	gw_buf b = GW_BUF_INIT, err = GW_BUF_INIT;
	long n = gw_archive_search(a, q, collect, &b, &err);

	if (n < 0)
		return gw_buf_detach(&err);
	gw_buf_free(&err);
	for (char *p = b.ptr; p && *p; p++)
		*p = *p == GW_MARK_OPEN ? '<' : *p == GW_MARK_CLOSE ? '>' : *p;
	return b.ptr ? gw_buf_detach(&b) : gw_xstrdup("");
}

/* The rows of a table of the archive. */
static long long
count_rows(gw_archive *a, const char *table)
{
	char sql[64];
	sqlite3_stmt *st;
	long long n = -1;

	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	if (sqlite3_prepare_v2(gw_archive_db(a), sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

START_TEST(put_adds_then_skips_the_same_then_replaces_a_changed_document_in_a_batch_too)
{
	char *path = tmp_db(), *s;
	gw_buf err = GW_BUF_INIT;
	gw_archive *a = gw_archive_open(path, GW_ARCHIVE_WRITE, &err);
	gw_doc *v1 = housing_doc("h", "5000"), *v2 = housing_doc("h", "6000");
	gw_query q = {.text = "保障性租赁住房", .kind = -1};

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(gw_archive_put(a, v1, NULL, 0, &err), GW_PUT_ADDED);
	ck_assert_int_eq(gw_archive_put(a, v1, NULL, 0, &err), GW_PUT_UNCHANGED);
	ck_assert_int_eq(gw_archive_put(a, v2, NULL, 0, &err), GW_PUT_REPLACED);
	ck_assert_int_eq(count_rows(a, "documents"), 1);
	ck_assert_int_eq(count_rows(a, "nodes"), 2);
	ck_assert_int_eq(count_rows(a, "sentences"), 4);
	ck_assert_int_eq(count_rows(a, "quantities"), 1);
	s = search(a, &q);
	ck_assert_str_eq(s, "h 一/1 [1.筹集<保障性租赁住房>6000套。] {6000套 target}\n");
	free(s);
	/* in a batch, the new rows of the last document take the rowids of its old ones: the
	 * batch's FTS5 pass must not skip them (issue 15: "1 replaced", and no text query found it) */
	ck_assert_int_eq(gw_archive_begin(a, &err), 0);
	ck_assert_int_eq(gw_archive_put(a, v1, NULL, 0, &err), GW_PUT_REPLACED);
	ck_assert_int_eq(gw_archive_commit(a, &err), 0);
	s = search(a, &q);
	ck_assert_str_eq(s, "h 一/1 [1.筹集<保障性租赁住房>5000套。] {5000套 target}\n");
	free(s);
	gw_archive_close(a);
	gw_doc_free(v1);
	gw_doc_free(v2);
	gw_buf_free(&err);
	rm_db(path);
}
END_TEST

START_TEST(search_filters_on_quantities_and_dates)
{
	char *path = tmp_db(), *s;
	gw_buf err = GW_BUF_INIT;
	gw_archive *a = gw_archive_open(path, GW_ARCHIVE_WRITE, &err);
	gw_doc *d1 = housing_doc("small", "800"), *d2 = housing_doc("big", "1200");
	gw_query q = {.kind = GW_Q_TARGET, .unit = "套", .has_min = true, .min = 1000};

	free(d1->header.date);
	d1->header.date = gw_xstrdup("2021-12-31");
	ck_assert_int_eq(gw_archive_put(a, d1, NULL, 0, &err), GW_PUT_ADDED);
	ck_assert_int_eq(gw_archive_put(a, d2, NULL, 0, &err), GW_PUT_ADDED);
	s = search(a, &q);
	ck_assert_str_eq(s, "big 一/1 [1.筹集保障性租赁住房1200套。] {1200套 target}\n");
	free(s);
	q = (gw_query){.text = "租赁*", .kind = -1, .from = "2021", .to = "2021"};
	s = search(a, &q);
	ck_assert_str_eq(s, "small 一/1 [1.筹集保障性<租赁>住房800套。] {800套 target}\n");
	free(s);
	q = (gw_query){.kind = GW_Q_FACT};
	s = search(a, &q);
	ck_assert_str_eq(s, "");
	free(s);
	gw_archive_close(a);
	gw_doc_free(d1);
	gw_doc_free(d2);
	gw_buf_free(&err);
	rm_db(path);
}
END_TEST

START_TEST(a_common_word_is_ranked_among_its_last_matches_with_a_limit)
{
	char *path = tmp_db(), *s;
	gw_buf err = GW_BUF_INIT, t = GW_BUF_INIT;
	gw_archive *a = gw_archive_open(path, GW_ARCHIVE_WRITE, &err);
	gw_query q = {.text = "住房", .kind = -1, .limit = 1};
	gw_doc *d;

	/* the best sentence first, then GW_RANK_CAP others */
	gw_buf_puts(&t, "住房住房。\n");
	for (int i = 0; i < GW_RANK_CAP; i++)
		gw_buf_puts(&t, "关于加快发展保障性租赁住房的工作。\n");
	d = doc_with("many", t.ptr);
	ck_assert_int_eq(gw_archive_put(a, d, NULL, 0, &err), GW_PUT_ADDED);
	s = search(a, &q);
	ck_assert_str_eq(s, "many  [关于加快发展保障性租赁<住房>的工作。]\n");
	free(s);
	/* --limit 0 ranks every match */
	q.limit = 0;
	s = search(a, &q);
	ck_assert_int_eq(strncmp(s, "many  [<住房住房>。]\n", strlen("many  [<住房住房>。]\n")), 0);
	free(s);
	gw_archive_close(a);
	gw_doc_free(d);
	gw_buf_free(&t);
	gw_buf_free(&err);
	rm_db(path);
}
END_TEST

START_TEST(search_reports_a_bad_query)
{
	char *path = tmp_db(), *s;
	gw_buf err = GW_BUF_INIT;
	gw_archive *a = gw_archive_open(path, GW_ARCHIVE_WRITE, &err);
	gw_query q = {.text = "住房 AND", .kind = -1};

	s = search(a, &q);
	ck_assert_str_eq(s, "bad query '住房 AND': fts5: syntax error near \"\"");
	free(s);
	/* what FTS5 reads (住房) is fine, the check (住房 AND NOT) is not */
	q.text = "住房 NOT";
	s = search(a, &q);
	ck_assert_str_eq(s, "bad query '住房 NOT': near \")\": syntax error");
	free(s);
	gw_archive_close(a);
	gw_buf_free(&err);
	rm_db(path);
}
END_TEST

START_TEST(search_sql_looks_quantities_up_per_match_only_with_a_text_query)
{
	gw_query q = {.text = "住房", .kind = GW_Q_TARGET, .limit = 10};
	gw_buf a = GW_BUF_INIT, b = GW_BUF_INIT, c = GW_BUF_INIT;

	gw_archive_search_sql(&q, &a);
	ck_assert_ptr_nonnull(strstr(a.ptr, "EXISTS (SELECT 1 FROM quantities q WHERE q.sentence = s.id"));
	q.text = NULL;
	gw_archive_search_sql(&q, &b);
	ck_assert_ptr_nonnull(strstr(b.ptr, "s.id IN (SELECT q.sentence FROM quantities q"));
	/* a text query with a limit ranks the last GW_RANK_CAP matches FTS5 gives */
	q = (gw_query){.text = "住房", .kind = -1, .limit = 10};
	gw_archive_search_sql(&q, &c);
	ck_assert_ptr_nonnull(strstr(c.ptr, "MATCH ? AND ( gw_has(s.text, '住房') ) ORDER BY "
	                                    "sentences_fts.rowid DESC LIMIT ?) h"));
	gw_buf_free(&a);
	gw_buf_free(&b);
	gw_buf_free(&c);
}
END_TEST

START_TEST(search_finds_joint_issuers_and_undated_documents_and_stops_past_the_time_limit)
{
	char *path = tmp_db(), *s;
	gw_buf err = GW_BUF_INIT;
	gw_archive *a = gw_archive_open(path, GW_ARCHIVE_WRITE, &err);
	gw_doc *d = housing_doc("joint", "100"), *undated = housing_doc("undated", "200");
	gw_query q = {.kind = -1, .issuer = "国务院"};

	/* 中共中央 国务院 documents: the issuer is the first body, the title names both */
	gw_header_set(d, GW_H_ISSUER, "中共中央", (size_t)-1, GW_NOSPAN);
	gw_doc_set_str(d, &d->header.f[GW_H_TITLE].text, "中共中央 国务院关于住房的通知",
	               strlen("中共中央 国务院关于住房的通知"));
	gw_doc_meta_add(d, "文号", "中发〔2022〕1号");
	gw_doc_meta_add(d, "状态", "有效");
	free(undated->header.date);
	undated->header.date = NULL;
	ck_assert_int_eq(gw_archive_put(a, d, NULL, 0, &err), GW_PUT_ADDED);
	ck_assert_int_eq(gw_archive_put(a, undated, NULL, 0, &err), GW_PUT_ADDED);
	q.limit = 1;
	s = search(a, &q);
	ck_assert_str_eq(s, "joint  [关于住房的通知]\n");
	free(s);
	ck_assert_int_eq(gw_archive_undated(a), 1);
	/* max_ms < 0: the deadline has passed before the query starts */
	q = (gw_query){.text = "住房", .kind = -1, .max_ms = -1};
	s = search(a, &q);
	ck_assert_str_eq(s, "the query '住房' ran for more than -1 ms and was stopped: give more "
	                    "words or a filter");
	free(s);
	gw_archive_close(a);
	gw_doc_free(d);
	gw_doc_free(undated);
	gw_buf_free(&err);
	rm_db(path);
}
END_TEST

static int
collect_doc(void *ctx, const gw_hit *h)
{
	gw_buf_printf(ctx, "%s %ld", h->doc_id, h->nhits);
	for (size_t i = 0; i < h->ncopies; i++)
		gw_buf_printf(ctx, " =%s", h->copies[2 * i]);
	gw_buf_putc(ctx, '\n');
	return 0;
}

static int
collect_count(void *ctx, const char *key, long n)
{
	gw_buf_printf(ctx, "%s:%ld ", key ? key : "-", n);
	return 0;
}

START_TEST(identical_documents_are_found_once_listed_with_their_copies)
{
	char *path = tmp_db();
	gw_buf err = GW_BUF_INIT, b = GW_BUF_INIT;
	gw_archive *a = gw_archive_open(path, GW_ARCHIVE_WRITE, &err);
	gw_doc *d1 = housing_doc("one", "5000"), *d2 = housing_doc("two", "5000");
	gw_query q = {.text = "住房", .kind = -1, .documents = true};

	/* the same source sha256 (housing_doc: aaa…): two only has its document row */
	ck_assert_int_eq(gw_archive_put(a, d1, NULL, 0, &err), GW_PUT_ADDED);
	ck_assert_int_eq(gw_archive_put(a, d2, NULL, 0, &err), GW_PUT_ADDED);
	ck_assert_int_eq(gw_archive_search(a, &q, collect_doc, &b, &err), 1);
	ck_assert_str_eq(b.ptr, "one 3 =two\n");
	gw_buf_reset(&b);
	ck_assert_int_eq(gw_archive_count(a, &q, GW_COUNT_YEAR, collect_count, &b, &err), 1);
	ck_assert_int_eq(gw_archive_count(a, &q, GW_COUNT_KIND, collect_count, &b, &err), 1);
	ck_assert_str_eq(b.ptr, "2022:1 target:1 ");
	/* the original goes: its copy inherits the rows */
	ck_assert_int_eq(gw_archive_remove(a, "one", &err), 1);
	gw_buf_reset(&b);
	ck_assert_int_eq(gw_archive_search(a, &q, collect_doc, &b, &err), 1);
	ck_assert_str_eq(b.ptr, "two 3\n");
	gw_archive_close(a);
	gw_doc_free(d1);
	gw_doc_free(d2);
	gw_buf_free(&err);
	gw_buf_free(&b);
	rm_db(path);
}
END_TEST

/* Open path (after writing bytes to it) read-only; the message, or "ok". */
static char *
open_message(const char *bytes, size_t n, int mode)
{
	char *path = tmp_db();
	FILE *fp = fopen(path, "w");
	gw_buf err = GW_BUF_INIT;
	gw_archive *a;

	fwrite(bytes, 1, n, fp);
	fclose(fp);
	a = gw_archive_open(path, mode, &err);
	gw_archive_close(a);
	rm_db(path);
	if (a)
		gw_buf_puts(&err, "ok");
	return gw_buf_detach(&err);
}

START_TEST(open_refuses_a_file_that_is_not_an_archive)
{
	char *m = open_message("hello, this is not a database at all, not even close to one......"
	                       "................................................................",
	                       128, GW_ARCHIVE_READ);

	ck_assert_str_eq(m, "cannot read it: file is not a database (the archive is damaged: build "
	                    "it again with gw-index into a new file)");
	free(m);
	m = open_message("", 0, GW_ARCHIVE_READ);
	ck_assert_str_eq(m, "an empty database, not a gongwen archive (build one with gw-index)");
	free(m);
	m = open_message("", 0, GW_ARCHIVE_WRITE);
	ck_assert_str_eq(m, "ok");
	free(m);
}
END_TEST

START_TEST(open_refuses_another_programs_database_and_another_version)
{
	char *path = tmp_db();
	sqlite3 *db;
	gw_buf err = GW_BUF_INIT;

	sqlite3_open(path, &db);
	sqlite3_exec(db, "CREATE TABLE t (x); PRAGMA application_id = 42;", NULL, NULL, NULL);
	sqlite3_close(db);
	ck_assert_ptr_null(gw_archive_open(path, GW_ARCHIVE_WRITE, &err));
	ck_assert_str_eq(err.ptr, "an SQLite database, but not a gongwen archive (application_id 42)");
	gw_buf_reset(&err);
	sqlite3_open(path, &db);
	sqlite3_exec(db, "PRAGMA application_id = " GW_STR(GW_ARCHIVE_APP_ID) "; PRAGMA user_version = 7;",
	             NULL, NULL, NULL);
	sqlite3_close(db);
	ck_assert_ptr_null(gw_archive_open(path, GW_ARCHIVE_READ, &err));
	ck_assert_str_eq(err.ptr, "a gongwen archive of version 7; this gongwen knows version 3 "
	                          "(build it again with gw-index into a new file)");
	gw_buf_free(&err);
	rm_db(path);
}
END_TEST

/* An archive made, then taken back to an older version by old_sql: gw-search refuses it,
 * gw-index brings it to this version, where the record put again is `again`. */
static void
ck_conversion(int version, const char *old_sql, enum gw_put again)
{
	char *path = tmp_db(), *s;
	gw_buf err = GW_BUF_INIT, want = GW_BUF_INIT;
	gw_archive *a = gw_archive_open(path, GW_ARCHIVE_WRITE, &err);
	gw_doc *d = housing_doc("h", "5000");
	gw_query q = {.text = "障性租", .kind = -1};
	sqlite3 *db;
	sqlite3_stmt *st;

	ck_assert_int_eq(gw_archive_put(a, d, NULL, 0, &err), GW_PUT_ADDED);
	gw_archive_close(a);
	sqlite3_open(path, &db);
	ck_assert_int_eq(gw_fts_icu_register(db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, old_sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	ck_assert_ptr_null(gw_archive_open(path, GW_ARCHIVE_READ, &err));
	gw_buf_printf(&want,
	              "a gongwen archive of version %d, made by an older gongwen: 'gw-index "
	              "--db FILE </dev/null' brings it to version 3",
	              version);
	ck_assert_str_eq(err.ptr, want.ptr);
	a = gw_archive_open(path, GW_ARCHIVE_WRITE, &err);
	ck_assert_ptr_nonnull(a);
	s = search(a, &q);
	ck_assert_str_eq(s, "h 一/1 [1.筹集保<障性租>赁住房5000套。] {5000套 target}\n");
	free(s);
	sqlite3_prepare_v2(gw_archive_db(a),
	                   "SELECT sql FROM sqlite_schema WHERE name = 'sentences_fts'", -1, &st,
	                   NULL);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_ptr_nonnull(strstr((const char *)sqlite3_column_text(st, 0), "detail = none"));
	sqlite3_finalize(st);
	ck_assert_int_eq(gw_archive_put(a, d, NULL, 0, &err), again);
	gw_archive_close(a);
	gw_doc_free(d);
	gw_buf_free(&err);
	gw_buf_free(&want);
	rm_db(path);
}

/* the full-text index of versions 1 and 2: every token with its positions */
#define OLD_FTS                                                                                    \
	"DROP TABLE sentences_fts; CREATE VIRTUAL TABLE sentences_fts USING fts5 (text, content "  \
	"= "                                                                                       \
	"'sentences', content_rowid = 'id', tokenize = 'gongwen');"

START_TEST(open_brings_a_version_1_archive_to_this_version_when_writing)
{
	/* no front-matter columns; the same record again fills them */
	ck_conversion(
	    1,
	    OLD_FTS
	    "ALTER TABLE documents DROP COLUMN pub_date; ALTER TABLE documents DROP "
	    "COLUMN status; ALTER TABLE documents DROP COLUMN issuers; DROP INDEX "
	    "documents_copy_of; ALTER TABLE documents DROP COLUMN copy_of; ALTER TABLE nodes "
	    "ADD COLUMN text TEXT; PRAGMA user_version = 1;",
	    GW_PUT_REPLACED);
}
END_TEST

START_TEST(open_brings_a_version_2_archive_to_this_version_when_writing)
{
	/* the same record is unchanged: nothing new to fill */
	ck_conversion(2, OLD_FTS "PRAGMA user_version = 2;", GW_PUT_UNCHANGED);
}
END_TEST

START_TEST(open_makes_a_new_archive_in_wal_mode)
{
	char *path = tmp_db();
	gw_buf err = GW_BUF_INIT;
	gw_archive *a = gw_archive_open(path, GW_ARCHIVE_WRITE, &err);
	sqlite3_stmt *st;

	ck_assert_ptr_nonnull(a);
	sqlite3_prepare_v2(gw_archive_db(a), "PRAGMA journal_mode", -1, &st, NULL);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	gw_archive_close(a);
	gw_buf_free(&err);
	rm_db(path);
}
END_TEST

START_TEST(bulk_writes_an_action_line_and_a_document_line)
{
	gw_doc *d = housing_doc("h", "5000");
	gw_buf b = GW_BUF_INIT;
	char *nl;

	gw_archive_bulk_write(d, "gongwen", &b);
	nl = strchr(b.ptr, '\n');
	ck_assert_ptr_nonnull(nl);
	*nl = '\0';
	ck_assert_str_eq(b.ptr, "{\"index\":{\"_index\":\"gongwen\",\"_id\":\"h\"}}");
	ck_assert_ptr_nonnull(strstr(nl + 1, "\"date\":\"2022-03-15\""));
	ck_assert_ptr_nonnull(strstr(nl + 1, "\"path\":\"一/1\""));
	ck_assert_ptr_nonnull(strstr(nl + 1, "\"sentence\":\"1.筹集保障性租赁住房5000套。\""));
	ck_assert_int_eq(b.ptr[b.len - 1], '\n');
	gw_buf_free(&b);
	gw_doc_free(d);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("archive");
	TCase *tc = tcase_create("archive");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, tokenizer_indexes_every_pair_of_characters_and_the_last_alone);
	tcase_add_test(tc, tokenizer_cuts_latin_and_digits_into_characters_in_lower_case);
	tcase_add_test(tc, tokenizer_folds_full_width_letters_and_digits);
	tcase_add_test(tc, tokenizer_keeps_punctuation_and_drops_spaces);
	tcase_add_test(tc,
	               candidates_are_checked_and_marked_in_the_folded_text_without_white_space);
	tcase_add_test(tc, rank_prefers_whole_words_and_short_sentences);
	tcase_add_test(tc, query_syntax_asks_fts5_for_the_pairs_and_checks_the_words);
	tcase_add_test(tc, query_syntax_keeps_operators_and_drops_the_star_and_the_caret);
	tcase_add_test(tc, query_syntax_ands_a_group_after_a_word);
	tcase_add_test(tc, query_syntax_reads_minus_word_as_not);
	tcase_add_test(tc, query_syntax_refuses_an_open_quote);
	tcase_add_test(tc, node_path_is_the_numbers_without_their_punctuation);
	tcase_add_test(tc, sentences_end_at_stops_lines_and_closing_quotes);
	tcase_add_test(tc, sentences_end_where_a_unit_starts);
	tcase_add_test(tc, sentences_are_cut_at_the_maximum_length);
	tcase_add_test(tc, put_adds_then_skips_the_same_then_replaces_a_changed_document_in_a_batch_too);
	tcase_add_test(tc, search_filters_on_quantities_and_dates);
	tcase_add_test(tc, a_common_word_is_ranked_among_its_last_matches_with_a_limit);
	tcase_add_test(tc, search_reports_a_bad_query);
	tcase_add_test(tc, identical_documents_are_found_once_listed_with_their_copies);
	tcase_add_test(tc, search_finds_joint_issuers_and_undated_documents_and_stops_past_the_time_limit);
	tcase_add_test(tc, search_sql_looks_quantities_up_per_match_only_with_a_text_query);
	tcase_add_test(tc, open_refuses_a_file_that_is_not_an_archive);
	tcase_add_test(tc, open_refuses_another_programs_database_and_another_version);
	tcase_add_test(tc, open_brings_a_version_1_archive_to_this_version_when_writing);
	tcase_add_test(tc, open_brings_a_version_2_archive_to_this_version_when_writing);
	tcase_add_test(tc, open_makes_a_new_archive_in_wal_mode);
	tcase_add_test(tc, bulk_writes_an_action_line_and_a_document_line);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
