/* test_emit.c — the Akoma Ntoso writer (gw_xml_write), the HTML writer (gw_html_write) and the
 * batch emitter (gw_emitter_*). */
#define _GNU_SOURCE /* O_TMPFILE, AT_EMPTY_PATH */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emit.h"
#include "internal.h"

/* The span of the nth occurrence of needle in d's text, in code points. */
static gw_span
find(gw_doc *d, const char *needle, int nth)
{
	const char *p = d->text - 1;

	for (int i = 0; i <= nth; i++)
		ck_assert_ptr_nonnull(p = strstr(p + 1, needle));
	return (gw_span){gw_doc_byte_to_cp(d, (size_t)(p - d->text)),
	                 gw_doc_byte_to_cp(d, (size_t)(p - d->text) + strlen(needle))};
}

static gw_doc *
doc_with(const char *id, const char *text)
{
	gw_doc *d = gw_doc_new();

	d->id = gw_xstrdup(id);
	d->src_path = gw_xstrdup("t.txt");
	gw_doc_set_text(d, gw_xstrdup(text), strlen(text));
	return d;
}

static char *
xml_of(const gw_doc *d)
{
	gw_buf b = GW_BUF_INIT;

	gw_xml_write(d, &b);
	return gw_buf_detach(&b);
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

START_TEST(xml_replaces_characters_xml_forbids)
{
	gw_doc *d = doc_with("x", "a\x01" "b\xef\xbf\xbe" "c\xef\xb7\x90" "d\xc2\x80" "e<&>\n");
	char *x = xml_of(d);

	ck_assert_ptr_nonnull(strstr(x, "<p>a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd" "d\xef\xbf\xbd"
	                                "e&lt;&amp;&gt;</p>"));
	ck_assert_ptr_null(strstr(x, "\x01"));
	free(x);
	gw_doc_free(d);
}
END_TEST

static char *
html_of(const gw_doc *d)
{
	gw_buf b = GW_BUF_INIT;

	gw_html_write(d, &b);
	return gw_buf_detach(&b);
}

/* Markup in a document is text, and characters HTML5 forbids become U+FFFD (issue 17). */
START_TEST(html_escapes_the_text_and_replaces_characters_html_forbids)
{
	gw_doc *d = doc_with("x", "<script>alert(1)</script></textarea>&\x01\"\xef\xbf\xbe\n");
	char *h = html_of(d);

	ck_assert_ptr_nonnull(strstr(h, "<main class=\"text\" id=\"text\">&lt;script&gt;alert(1)"
	                                "&lt;/script&gt;&lt;/textarea&gt;&amp;\xef\xbf\xbd\""
	                                "\xef\xbf\xbd\n</main>"));
	ck_assert_int_eq(count(h, "<script"), 1); /* the page's own */
	ck_assert_ptr_null(strstr(h, "\x01"));
	free(h);
	gw_doc_free(d);
}
END_TEST

/* Exactly one mark per quantity: one cut by a unit boundary ends there, one that overlaps the one
 * before starts a new mark, one outside the text is listed after it. */
START_TEST(html_gives_every_quantity_one_mark)
{
	gw_doc *d = doc_with("x", "一、甲100\n元二、乙5%\n");
	static const char *const texts[] = {"100\n元", "0\n元二", "5%", "?"};
	char *h;

	gw_doc_add_node(d, GW_LEVEL1, 0, -1, "一、", 1, NULL, (gw_span){0, 7}, GW_NOSPAN);
	gw_doc_add_node(d, GW_LEVEL1, 0, -1, "二、", 2, NULL, (gw_span){7, 13}, GW_NOSPAN);
	gw_doc_assign_node_ids(d);
	for (int i = 0; i < 4; i++) {
		gw_quantity *q = gw_doc_add_quantity(d);

		q->text = gw_xstrdup(texts[i]);
		q->span = i < 3 ? find(d, texts[i], 0) : GW_NOSPAN;
		q->kind = i == 2 ? GW_Q_TARGET : GW_Q_FACT;
	}
	gw_doc_assign_quantity_ids(d);
	h = html_of(d);
	ck_assert_int_eq(count(h, "<a class=\"q q-"), 4);
	ck_assert_int_eq(count(h, "<a class=\"q q-target\" id=\"qty_3\" href=\"#row-qty_3\""), 1);
	ck_assert_int_eq(count(h, "<tr id=\"row-qty_3\">"), 1);
	ck_assert_ptr_nonnull(strstr(h, "\">10</a><a class=\"q q-fact\" id=\"qty_2\""));
	ck_assert_ptr_nonnull(strstr(h, "\">0\n</a></div><div class=\"u u-level1\" id=\"sec_2\">元二"));
	ck_assert_ptr_nonnull(strstr(h, "<p class=\"unplaced\">not in the text: <a class=\"q q-fact\" "
	                                "id=\"qty_4\""));
	free(h);
	gw_doc_free(d);
}
END_TEST

/* gw_escape reads runs of plain ASCII eight bytes at a time: a byte to escape or replace is
 * found wherever it falls in the word, in each mode. */
START_TEST(escape_finds_a_byte_at_every_place_of_an_ascii_run)
{
	static const struct {
		char c;
		enum gw_esc how;
		const char *put;
	} cases[] = {
	    {'<', GW_ESC_XML_TEXT, "&lt;"},     {'&', GW_ESC_XML_ATTR, "&amp;"},
	    {'"', GW_ESC_XML_ATTR, "&quot;"},   {'"', GW_ESC_XML_TEXT, "\""},
	    {'\t', GW_ESC_XML_ATTR, "&#9;"},    {'\x7f', GW_ESC_XML_TEXT, "\xEF\xBF\xBD"},
	    {'\x01', GW_ESC_CLEAN, "\xEF\xBF\xBD"}, {' ', GW_ESC_XML_ATTR, " "},
	    {'>', GW_ESC_HTML_ATTR, "&gt;"},
	};

	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
		for (int at = 0; at < 17; at++) {
			char in[18], want[32];
			gw_buf b = GW_BUF_INIT;

			memcpy(in, "abcdefghijklmnopq", 18);
			in[at] = cases[k].c;
			snprintf(want, sizeof want, "%.*s%s%s", at, in, cases[k].put, in + at + 1);
			gw_escape(&b, in, 17, cases[k].how);
			ck_assert_str_eq(b.ptr, want);
			gw_buf_free(&b);
		}
}
END_TEST

/* ... and runs of CJK ideographs three at a time: what follows a run of any length is still
 * escaped, and a sequence cut short inside a run is replaced. */
START_TEST(escape_finds_a_byte_after_a_run_of_ideographs)
{
	for (int k = 0; k < 12; k++) {
		gw_buf in = GW_BUF_INIT, want = GW_BUF_INIT, b = GW_BUF_INIT, cut = GW_BUF_INIT;

		for (int j = 0; j < k; j++)
			gw_buf_adds(&in, "\xE4\xB8\xAD"); /* 中 */
		gw_buf_add(&want, in.ptr, in.len);
		gw_buf_add(&cut, in.ptr, in.len);
		gw_buf_adds(&in, "<\xE9\xBE\xA5\xC2\x80x");       /* < 龥 U+0080 x */
		gw_buf_adds(&want, "&lt;\xE9\xBE\xA5\xEF\xBF\xBDx");
		gw_escape(&b, in.ptr, in.len, GW_ESC_XML_TEXT);
		ck_assert_str_eq(b.ptr, want.ptr);
		gw_buf_adds(&cut, "\xE4\xB8\xE4\xB8\xAD\xE4\xB8\xAD\xE4\xB8\xAD");
		gw_buf_reset(&b);
		gw_escape(&b, cut.ptr, cut.len, GW_ESC_XML_TEXT);
		ck_assert_uint_eq(b.len, cut.len + 4); /* E4 B8 cut short: a U+FFFD for each byte */
		ck_assert_mem_eq(b.ptr + 3 * k, "\xEF\xBF\xBD\xEF\xBF\xBD\xE4\xB8\xAD", 9);
		gw_buf_free(&in), gw_buf_free(&want), gw_buf_free(&b), gw_buf_free(&cut);
	}
}
END_TEST

/* The writer looks for what XML does not take sixteen bytes at a time (find_escapes): each such
 * character, and some that stay, found at every place of a look and across two. */
START_TEST(xml_finds_what_to_replace_at_every_place_of_a_look)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"\x01", "\xEF\xBF\xBD"}, {"\x7F", "\xEF\xBF\xBD"}, {"\r", "&#13;"}, {"<", "&lt;"},
	    {"&", "&amp;"}, {">", "&gt;"}, {"\xC2\x80", "\xEF\xBF\xBD"}, {"\xC2\xA9", "\xC2\xA9"},
	    {"\xEF\xB7\x90", "\xEF\xBF\xBD"}, {"\xEF\xBF\xBE", "\xEF\xBF\xBD"},
	    {"\xEF\xB7\x80", "\xEF\xB7\x80"}, {"\xEF\xBC\x8C", "\xEF\xBC\x8C"},
	    {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"}, {"\xF4\x8F\xBF\xBE", "\xEF\xBF\xBD"},
	    {"\t", "\t"}, {"=", "="},
	};

	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
		for (int at = 0; at < 40; at++) {
			gw_buf in = GW_BUF_INIT, want = GW_BUF_INIT;
			gw_doc *d;
			char *x;

			gw_buf_adds(&in, "z");
			for (int j = 0; j < at / 3; j++)
				gw_buf_adds(&in, "\xE4\xB8\xAD"); /* 中 */
			for (int j = 0; j < at % 3; j++)
				gw_buf_adds(&in, "a");
			gw_buf_add(&want, in.ptr, in.len);
			gw_buf_adds(&in, cases[k].in);
			gw_buf_adds(&want, cases[k].out);
			for (int j = 0; j < 8; j++)
				gw_buf_adds(&in, "\xE6\x96\x87"), gw_buf_adds(&want, "\xE6\x96\x87"); /* 文 */
			gw_buf_adds(&in, "y\n"), gw_buf_adds(&want, "y</p>");
			d = doc_with("x", in.ptr);
			x = xml_of(d);
			ck_assert_msg(strstr(x, want.ptr) != NULL, "case %zu at %d", k, at);
			free(x);
			gw_doc_free(d);
			gw_buf_free(&in), gw_buf_free(&want);
		}
}
END_TEST

START_TEST(xml_makes_repeated_or_spaced_ids_unique)
{
	gw_doc *d = doc_with("x", "一、甲\n二、乙\n");
	int a = gw_doc_add_node(d, GW_LEVEL1, 0, -1, "一、", 1, NULL, (gw_span){0, 4}, GW_NOSPAN);
	int b = gw_doc_add_node(d, GW_LEVEL1, 0, -1, "二、", 2, NULL, (gw_span){4, 8}, GW_NOSPAN);
	char *x;

	d->nodes[a].id = gw_xstrdup("sec 1");
	d->nodes[b].id = gw_xstrdup("sec_1");
	x = xml_of(d);
	ck_assert_int_eq(count(x, "eId=\"sec_1\""), 1);
	ck_assert_int_eq(count(x, "eId=\"sec_1_2\""), 1);
	free(x);
	gw_doc_free(d);
}
END_TEST

START_TEST(xml_keeps_a_quantity_across_a_unit_boundary_in_meta)
{
	gw_doc *d = doc_with("x", "一、甲100\n元二、乙5%\n");
	int a = gw_doc_add_node(d, GW_LEVEL1, 0, -1, "一、", 1, NULL, (gw_span){0, 7}, GW_NOSPAN);
	gw_quantity *q;
	char *x;

	gw_doc_add_node(d, GW_LEVEL1, 0, -1, "二、", 2, NULL, (gw_span){7, 13}, GW_NOSPAN);
	gw_doc_assign_node_ids(d);
	q = gw_doc_add_quantity(d);
	q->text = gw_xstrdup("100\n元"), q->span = find(d, "100\n元", 0), q->node = a;
	q->has_value = true, q->value = 100;
	q = gw_doc_add_quantity(d);
	q->text = gw_xstrdup("5%"), q->span = find(d, "5%", 0), q->node = a + 1;
	q->has_value = true, q->value = 5, q->kind = GW_Q_FACT;
	gw_doc_assign_quantity_ids(d);
	x = xml_of(d);
	ck_assert_ptr_nonnull(strstr(x, "<gw:quantity gw:id=\"sec_1__qty_1\""));
	ck_assert_ptr_nonnull(strstr(x, "<quantity eId=\"sec_2__qty_1\" refersTo=\"#qkind_fact\" "
	                                "normalized=\"5\""));
	free(x);
	gw_doc_free(d);
}
END_TEST

/* corpus 051: a point numbered 4． in a text otherwise half width keeps its number as printed in the
 * record, while the XML shows the normalised text once (it gave 4．4.建立 before). */
START_TEST(xml_num_restored_as_printed_is_written_from_the_text_once)
{
	gw_doc *d = doc_with("x", "4.建立机制。\n");
	char *x;

	gw_doc_add_node(d, GW_LEVEL3, 0, -1, "4\xef\xbc\x8e", 4, NULL, (gw_span){0, 7}, GW_NOSPAN);
	gw_doc_assign_node_ids(d);
	x = xml_of(d);
	ck_assert_int_eq(count(x, "<num>4.</num>"), 1);
	ck_assert_ptr_null(strstr(x, "4\xef\xbc\x8e"));
	free(x);
	gw_doc_free(d);
}
END_TEST

START_TEST(xml_of_an_empty_text_still_has_a_main_body)
{
	gw_doc *d = doc_with("x", "");
	char *x = xml_of(d);

	ck_assert_ptr_nonnull(strstr(x, "<mainBody>\n      <p></p>\n    </mainBody>"));
	ck_assert_ptr_nonnull(strstr(x, "<FRBRdate date=\"0001-01-01\" name=\"unknown\"/>"));
	free(x);
	gw_doc_free(d);
}
END_TEST

START_TEST(xml_takes_no_impossible_date)
{
	gw_doc *d = doc_with("x", "2023年2月29日\n");
	char *x;

	gw_header_set(d, GW_H_DATE, "2023年2月29日", (size_t)-1, (gw_span){0, 10});
	d->header.date = gw_xstrdup("2023-02-29");
	x = xml_of(d);
	ck_assert_ptr_null(strstr(x, " date=\"2023-02-29\""));
	ck_assert_ptr_nonnull(strstr(x, "<inline name=\"date\" gw:date=\"2023-02-29\">2023年2月29日</inline>"));
	free(x);
	gw_doc_free(d);
}
END_TEST

static char dir[] = "/tmp/gw-test-emit-XXXXXX";

static int
files_in(const char *path, const char *suffix)
{
	DIR *dp = opendir(path);
	struct dirent *de;
	int n = 0;

	ck_assert_ptr_nonnull(dp);
	while ((de = readdir(dp)) != NULL) {
		size_t l = strlen(de->d_name), k = strlen(suffix);

		n += l >= k && strcmp(de->d_name + l - k, suffix) == 0;
	}
	closedir(dp);
	return n;
}

/* Remove a flat folder of test output. */
static void
rm_dir(const char *path)
{
	DIR *dp = opendir(path);
	struct dirent *de;
	char f[512];

	while (dp && (de = readdir(dp)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			snprintf(f, sizeof f, "%s/%s", path, de->d_name);
			unlink(f);
		}
	if (dp)
		closedir(dp);
	rmdir(path);
}

typedef struct job {
	gw_emitter *e;
	int first;
} job;

static void *
put_many(void *arg)
{
	job *j = arg;
	char id[32];

	for (int i = j->first; i < j->first + 50; i++) {
		gw_doc *d;

		snprintf(id, sizeof id, "doc-%03d", i);
		d = doc_with(id, "一、甲\n");
		gw_doc_add_node(d, GW_LEVEL1, 0, -1, "一、", 1, "甲", (gw_span){0, 4}, (gw_span){2, 3});
		gw_doc_assign_node_ids(d);
		gw_emitter_put(j->e, d);
		gw_doc_free(d);
	}
	return NULL;
}

START_TEST(emitter_shared_by_four_threads_writes_every_document)
{
	gw_buf err = GW_BUF_INIT;
	gw_emitter *e;
	pthread_t t[4];
	job jobs[4];
	char path[128];
	struct stat st;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	e = gw_emitter_new("test", dir, GW_EMIT_QUIET, &err);
	ck_assert_ptr_nonnull(e);
	for (int i = 0; i < 4; i++) {
		jobs[i] = (job){e, i * 50};
		ck_assert_int_eq(pthread_create(&t[i], NULL, put_many, &jobs[i]), 0);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	ck_assert_int_eq(gw_emitter_finish(e), 0);
	ck_assert_int_eq(files_in(dir, ".json"), 200);
	ck_assert_int_eq(files_in(dir, ".xml"), 200);
	ck_assert_int_eq(files_in(dir, ".tmp"), 0);
	snprintf(path, sizeof path, "%s/errors.jsonl", dir);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_size, 0);
	rm_dir(dir);
	gw_buf_free(&err);
}
END_TEST

START_TEST(emitter_refuses_ids_that_leave_the_folder_and_repeats)
{
	gw_buf err = GW_BUF_INIT;
	char d2[] = "/tmp/gw-test-emit-XXXXXX", path[128], line[512];
	const char *bad[] = {"../up", "a/b", ".hidden", "", "ok", "ok"};
	gw_emitter *e;
	FILE *fp;
	int n = 0;

	ck_assert_ptr_nonnull(mkdtemp(d2));
	e = gw_emitter_new("test", d2, GW_EMIT_QUIET, &err);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		gw_doc *d = doc_with(bad[i], "正文\n");

		ck_assert_int_eq(gw_emitter_put(e, d), i == 4 ? 0 : 1);
		gw_doc_free(d);
	}
	ck_assert_int_eq(gw_emitter_finish(e), 1);
	ck_assert_int_eq(files_in(d2, ".json"), 1);
	snprintf(path, sizeof path, "%s/errors.jsonl", d2);
	ck_assert_ptr_nonnull(fp = fopen(path, "r"));
	while (fgets(line, sizeof line, fp)) {
		ck_assert_ptr_nonnull(strstr(line, "\"code\":\"bad-record\""));
		n++;
	}
	fclose(fp);
	ck_assert_int_eq(n, 5);
	rm_dir(d2);
	gw_buf_free(&err);
}
END_TEST

/* The whole of a small file, or NULL when there is none. */
static char *slurp(const char *path);

/* The whole of small file name in folder. */
static char *
slurp_in(const char *folder, const char *name)
{
	char path[512];

	snprintf(path, sizeof path, "%s/%s", folder, name);
	return slurp(path);
}

/* The whole of a small file, or NULL when there is none. */
static char *
slurp(const char *path)
{
	static char buf[4096];
	FILE *fp = fopen(path, "r");
	size_t n;

	if (fp == NULL)
		return NULL;
	n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static bool
exists(const char *folder, const char *name)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof path, "%s/%s", folder, name);
	return lstat(path, &st) == 0;
}

static const char *pair_dir;
static int renames, temps_at_first_rename;

/* A rename that fails for the XML file, counting the temporary files there when it is first called. */
static int
rename_but_xml(const char *from, const char *to)
{
	if (renames++ == 0)
		temps_at_first_rename = files_in(pair_dir, ".tmp");
	if (strlen(to) > 4 && strcmp(to + strlen(to) - 4, ".xml") == 0) {
		errno = EIO;
		return -1;
	}
	return rename(from, to);
}

/* Put one document into folder with a fresh emitter; the emitter's status. */
static int
emit_one(const char *folder, gw_doc *d)
{
	gw_buf err = GW_BUF_INIT;
	gw_emitter *e = gw_emitter_new("test", folder, GW_EMIT_QUIET, &err);

	ck_assert_ptr_nonnull(e);
	gw_emitter_put(e, d);
	gw_buf_free(&err);
	return gw_emitter_finish(e);
}

/* Neither file of document p is left in folder, nor a temporary file, and errors.jsonl holds
 * its write-failed record: writing p.xml failed with EIO. */
static void
neither_left(const char *folder)
{
	char path[128], want[512];

	ck_assert(!exists(folder, "p.json"));
	ck_assert(!exists(folder, "p.xml"));
	ck_assert_int_eq(files_in(folder, ".tmp"), 0);
	snprintf(path, sizeof path, "%s/errors.jsonl", folder);
	snprintf(want, sizeof want,
	         "{\"schema\":\"gongwen/1\",\"id\":\"p\",\"source\":{\"path\":\"t.txt\",\"sha256\":null,"
	         "\"bytes\":0},\"error\":{\"code\":\"write-failed\",\"message\":\"%s/p.xml: %s\"}}\n",
	         folder, strerror(EIO));
	ck_assert_str_eq(slurp(path), want);
}

START_TEST(emitter_writes_both_files_or_neither)
{
	char d2[] = "/tmp/gw-test-emit-XXXXXX";
	gw_doc *d = doc_with("p", "正文\n");

	ck_assert_ptr_nonnull(mkdtemp(d2));
	ck_assert_int_eq(emit_one(d2, d), 0); /* an earlier run's files */
	ck_assert(exists(d2, "p.json") && exists(d2, "p.xml"));
	pair_dir = d2;
	gw_emitter_rename = rename_but_xml;
	ck_assert_int_eq(emit_one(d2, d), 1);
	gw_emitter_rename = rename;
	/* both were whole before the first was renamed; neither is left */
	ck_assert_int_eq(temps_at_first_rename, 2);
	neither_left(d2);
	gw_doc_free(d);
	rm_dir(d2);
}
END_TEST

/* How the emitter named the files of a run (the gw_emitter_linkat and gw_emitter_rename hooks):
 * the links made, by descriptor or by /proc/self/fd (the probe's among them), the links by
 * descriptor tried, the renames. */
static int links_fd, links_proc, tried_fd, renamed;
static bool no_link_fd, no_link_proc, fail_xml_link;

static int
counting_linkat(int fd, const char *from, int dirfd, const char *to, int flags)
{
	size_t n = strlen(to);
	bool by_fd = flags & AT_EMPTY_PATH;
	int rc;

	tried_fd += by_fd;
	if (!by_fd)
		ck_assert_int_eq(strncmp(from, "/proc/self/fd/", 14), 0);
	if ((by_fd && no_link_fd) || (!by_fd && no_link_proc)) {
		errno = ENOENT; /* as linkat(2) without CAP_DAC_READ_SEARCH, or with no /proc */
		return -1;
	}
	if (fail_xml_link && n > 4 && strcmp(to + n - 4, ".xml") == 0) {
		errno = EIO;
		return -1;
	}
	if ((rc = linkat(fd, from, dirfd, to, flags)) == 0)
		*(by_fd ? &links_fd : &links_proc) += 1;
	return rc;
}

static int
counting_rename(const char *from, const char *to)
{
	renamed++;
	return rename(from, to);
}

/* Whether the folder can hold a file with no name (O_TMPFILE): else every file is renamed. */
static bool
has_tmpfile(const char *folder)
{
	int fd = open(folder, O_WRONLY | O_TMPFILE, 0600);

	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

/* One document into a fresh folder twice, the hooks counting: its files, whole. */
static void
emit_twice_counting(char *folder, int link_calls[2], int renames_made[2])
{
	gw_doc *d = doc_with("n", "正文\n");

	gw_emitter_linkat = counting_linkat;
	gw_emitter_rename = counting_rename;
	ck_assert_ptr_nonnull(mkdtemp(folder));
	for (int run = 0; run < 2; run++) {
		links_fd = links_proc = tried_fd = renamed = 0;
		ck_assert_int_eq(emit_one(folder, d), 0);
		link_calls[run] = links_fd + links_proc;
		renames_made[run] = renamed;
		ck_assert(exists(folder, "n.json") && exists(folder, "n.xml"));
		ck_assert_int_eq(files_in(folder, ".tmp"), 0);
		ck_assert_int_eq(files_in(folder, ".json"), 1);
	}
	ck_assert_ptr_nonnull(strstr(slurp_in(folder, "n.xml"), "正文"));
	gw_doc_free(d);
}

START_TEST(emitter_links_new_files_and_renames_over_taken_names)
{
	char d2[] = "/tmp/gw-test-emit-XXXXXX";
	int links[2], renames_made[2];

	emit_twice_counting(d2, links, renames_made);
	if (has_tmpfile(d2)) {
		/* the probe, the two files under their names, errors.jsonl; then over them: the probe,
		 * the three under temporary names, each renamed over its file */
		ck_assert_int_eq(links[0], 1 + 2 + 1);
		ck_assert_int_eq(renames_made[0], 0);
		ck_assert_int_eq(links[1], 1 + 2 + 1);
		ck_assert_int_eq(renames_made[1], 2 + 1);
	} else { /* every file renamed */
		ck_assert_int_eq(links[0] + links[1], 0);
		ck_assert_int_eq(renames_made[0], 3);
	}
	rm_dir(d2);
}
END_TEST

START_TEST(emitter_links_by_proc_without_the_capability_and_else_renames)
{
	char d2[] = "/tmp/gw-test-emit-XXXXXX", d3[] = "/tmp/gw-test-emit-XXXXXX";
	int links[2], renames_made[2];

	no_link_fd = true;
	emit_twice_counting(d2, links, renames_made);
	if (has_tmpfile(d2)) { /* the probe tried by descriptor once, then by /proc for every file */
		ck_assert_int_eq(tried_fd, 1);
		ck_assert_int_eq(links_proc, 1 + 2 + 1);
		ck_assert_int_eq(links_fd, 0);
		ck_assert_int_eq(renames_made[0], 0);
		ck_assert_int_eq(renames_made[1], 3);
	}
	no_link_proc = true; /* neither: every file renamed, as on a file system without O_TMPFILE */
	emit_twice_counting(d3, links, renames_made);
	ck_assert_int_eq(links[0] + links[1], 0);
	ck_assert_int_eq(tried_fd, has_tmpfile(d3) ? 1 : 0);
	ck_assert_int_eq(renames_made[0], 3);
	ck_assert_int_eq(renames_made[1], 3);
	rm_dir(d2);
	rm_dir(d3);
}
END_TEST

START_TEST(emitter_leaves_neither_file_when_a_link_fails)
{
	char d2[] = "/tmp/gw-test-emit-XXXXXX";
	gw_doc *d = doc_with("p", "正文\n");

	ck_assert_ptr_nonnull(mkdtemp(d2));
	if (!has_tmpfile(d2)) {
		rm_dir(d2);
		gw_doc_free(d);
		return; /* no file is linked there: emitter_writes_both_files_or_neither covers it */
	}
	gw_emitter_linkat = counting_linkat;
	fail_xml_link = true;
	ck_assert_int_eq(emit_one(d2, d), 1);
	neither_left(d2);
	gw_doc_free(d);
	rm_dir(d2);
}
END_TEST

START_TEST(emitter_removes_the_files_of_a_document_that_now_fails_validation)
{
	char d2[] = "/tmp/gw-test-emit-XXXXXX";
	gw_doc *d = doc_with("v", "正文\n");

	ck_assert_ptr_nonnull(mkdtemp(d2));
	ck_assert_int_eq(emit_one(d2, d), 0);
	ck_assert(exists(d2, "v.json") && exists(d2, "v.xml"));
	gw_doc_add_node(d, GW_LEVEL1, 0, -1, "一、", 1, NULL, (gw_span){0, 99}, GW_NOSPAN);
	gw_doc_assign_node_ids(d);
	ck_assert_int_eq(emit_one(d2, d), 1);
	ck_assert(!exists(d2, "v.json"));
	ck_assert(!exists(d2, "v.xml"));
	gw_doc_free(d);
	rm_dir(d2);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("emit");
	TCase *tc = tcase_create("emit");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, xml_replaces_characters_xml_forbids);
	tcase_add_test(tc, html_escapes_the_text_and_replaces_characters_html_forbids);
	tcase_add_test(tc, html_gives_every_quantity_one_mark);
	tcase_add_test(tc, escape_finds_a_byte_at_every_place_of_an_ascii_run);
	tcase_add_test(tc, escape_finds_a_byte_after_a_run_of_ideographs);
	tcase_add_test(tc, xml_finds_what_to_replace_at_every_place_of_a_look);
	tcase_add_test(tc, xml_makes_repeated_or_spaced_ids_unique);
	tcase_add_test(tc, xml_keeps_a_quantity_across_a_unit_boundary_in_meta);
	tcase_add_test(tc, xml_num_restored_as_printed_is_written_from_the_text_once);
	tcase_add_test(tc, xml_of_an_empty_text_still_has_a_main_body);
	tcase_add_test(tc, xml_takes_no_impossible_date);
	tcase_add_test(tc, emitter_shared_by_four_threads_writes_every_document);
	tcase_add_test(tc, emitter_refuses_ids_that_leave_the_folder_and_repeats);
	tcase_add_test(tc, emitter_writes_both_files_or_neither);
	tcase_add_test(tc, emitter_removes_the_files_of_a_document_that_now_fails_validation);
	tcase_add_test(tc, emitter_links_new_files_and_renames_over_taken_names);
	tcase_add_test(tc, emitter_links_by_proc_without_the_capability_and_else_renames);
	tcase_add_test(tc, emitter_leaves_neither_file_when_a_link_fails);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
