/* test_tmpl.c - the text templates of the PDF documents: loading, checking,
 * expanding; and the shipped templates of all six languages load. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "pdf/annex2.h"
#include "pdf/lang.h"
#include "pdf/report.h"
#include "pdf/tmpl.h"

#ifndef BALLOT_FORMS_DIR
#define BALLOT_FORMS_DIR "forms"
#endif

static const pdf_tmpl_key schema[] = {
	{ "subject", "circular drafts" },
	{ "sep", "" },
	{ "months", "" },
};

static char path[64];

static int write_tmpl(const char *text)
{
	snprintf(path, sizeof path, "/tmp/ballot-tmpl-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Loads text; returns the status and leaves the message in e. */
static int load(const char *text, pdf_tmpl **t, bt_err *e)
{
	assert_int_equal(write_tmpl(text), 0);
	int rc = pdf_tmpl_load(path, schema, 3, t, e);
	unlink(path);
	return rc;
}

static void good_template_expands(void **state)
{
	(void)state;
	pdf_tmpl *t;
	bt_err e;
	assert_int_equal(load("\xEF\xBB\xBF# comment\n\n"
			      "subject = Reply to {circular} on {drafts}\\nline 2\n"
			      "sep = \", \"\n"
			      "months = a|b|c\n", &t, &e), BT_OK);
	assert_string_equal(pdf_tmpl_raw(t, "sep"), ", ");
	bt_buf b = BT_BUF_INIT;
	const char *vars[] = { "circular", "205", "drafts", "Q.5051", NULL };
	assert_int_equal(pdf_tmpl_expand(t, "subject", vars, &b), 0);
	assert_string_equal(bt_buf_str(&b), "Reply to 205 on Q.5051\nline 2");
	char parts[3][8];
	assert_int_equal(pdf_tmpl_split(t, "months", 3, &parts[0][0], 8), 0);
	assert_string_equal(parts[2], "c");
	assert_int_equal(pdf_tmpl_split(t, "months", 4, &parts[0][0], 8), -1);
	/* right-to-left: values with a strong character are embedded in its
	 * direction; a number is left alone */
	bt_buf_reset(&b);
	pdf_tmpl_set_rtl(t, 1);
	assert_int_equal(pdf_tmpl_expand(t, "subject", vars, &b), 0);
	assert_string_equal(bt_buf_str(&b), "Reply to 205 on "
			    "\xE2\x80\xAAQ.5051\xE2\x80\xAC\nline 2");
	/* an Arabic value is embedded right to left */
	bt_buf_reset(&b);
	const char *ar[] = { "circular", "205", "drafts",
			     "\xD9\x85\xD8\xB4\xD8\xB1\xD9\x88\xD8\xB9", NULL };
	assert_int_equal(pdf_tmpl_expand(t, "subject", ar, &b), 0);
	assert_string_equal(bt_buf_str(&b), "Reply to 205 on \xE2\x80\xAB"
			    "\xD9\x85\xD8\xB4\xD8\xB1\xD9\x88\xD8\xB9"
			    "\xE2\x80\xAC\nline 2");
	bt_buf_release(&b);
	pdf_tmpl_free(t);
}

static void expect_refused(const char *text, const char *needle)
{
	pdf_tmpl *t = NULL;
	bt_err e;
	assert_int_equal(load(text, &t, &e), BT_EINPUT);
	assert_null(t);
	if (!strstr(e.msg, needle))
		fail_msg("message '%s' lacks '%s'", e.msg, needle);
}

static void bad_templates_are_refused(void **state)
{
	(void)state;
	expect_refused("subject = Reply to {drafts}\nsep = ,\nmonths = a\n",
		       ":1: key 'subject' lacks placeholder {circular}");
	expect_refused("subject = {circular} {drafts} {member}\nsep = ,\n"
		       "months = a\n", "unknown placeholder {member}");
	expect_refused("subject = {circular} {drafts}\nsep = ,\n",
		       "key 'months' is missing");
	expect_refused("subject = {circular} {drafts}\nsep = ,\nmonths = a\n"
		       "colour = red\n", ":4: unknown key 'colour'");
	expect_refused("subject = {circular} {drafts}\nsep = ,\nsep = ;\n"
		       "months = a\n", ":3: key 'sep' repeated (first on line 2)");
	expect_refused("subject = {circular} {drafts}\nsep\nmonths = a\n",
		       ":2: expected 'key = value'");
	expect_refused("subject = {circular {drafts}\nsep = ,\nmonths = a\n",
		       "unclosed or empty");
	expect_refused("subject = {circular} {drafts}}\nsep = ,\nmonths = a\n",
		       "stray '}'");
	expect_refused("subject = {circular} {drafts}\nsep = \\t\nmonths = a\n",
		       "unknown escape");
	expect_refused("subject = {circular} {drafts}\nsep =\nmonths = a\n",
		       "empty value");
	expect_refused("subject = {circular} {drafts} \xC3\x28\nsep = ,\n"
		       "months = a\n", "not valid UTF-8");
}

static void missing_file_is_refused(void **state)
{
	(void)state;
	pdf_tmpl *t = NULL;
	bt_err e;
	assert_int_equal(pdf_tmpl_load("/nonexistent/x.txt", schema, 3, &t, &e),
			 BT_EINPUT);
	assert_non_null(strstr(e.msg, "/nonexistent/x.txt"));
}

/* Every shipped template passes its schema, in all six languages. */
static void shipped_templates_load(void **state)
{
	(void)state;
	for (int i = 0; i < PDF_NLANGS; i++) {
		annex2_lang *a = NULL;
		report_lang *r = NULL;
		bt_err e;
		if (annex2_lang_load(BALLOT_FORMS_DIR, pdf_langs[i], &a, &e))
			fail_msg("annex2 %s: %s", pdf_langs[i], e.msg);
		if (report_lang_load(BALLOT_FORMS_DIR, pdf_langs[i], &r, &e))
			fail_msg("report %s: %s", pdf_langs[i], e.msg);
		annex2_lang_free(a);
		report_lang_free(r);
	}
}

static void languages_parse(void **state)
{
	(void)state;
	const char *l[PDF_NLANGS];
	int n;
	bt_err e;
	assert_int_equal(pdf_langs_parse("all", l, &n, &e), BT_OK);
	assert_int_equal(n, 6);
	assert_int_equal(pdf_langs_parse("zh,ar", l, &n, &e), BT_OK);
	assert_int_equal(n, 2);
	assert_string_equal(l[1], "ar");
	assert_int_equal(pdf_langs_parse("en,de", l, &n, &e), BT_EINPUT);
	assert_non_null(strstr(e.msg, "'de'"));
	assert_int_equal(pdf_langs_parse("en,en", l, &n, &e), BT_EINPUT);
	assert_int_equal(pdf_langs_parse("", l, &n, &e), BT_EINPUT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_template_expands),
		cmocka_unit_test(bad_templates_are_refused),
		cmocka_unit_test(missing_file_is_refused),
		cmocka_unit_test(shipped_templates_load),
		cmocka_unit_test(languages_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
