/* test_draft_titles.c - a draft's titles and summaries in the other
 * languages (draft_titles.c): given at draft add or by draft set, the
 * latest standing, the deadline's rule, refusals that change nothing; and
 * the spaces a line must not break at (pdf/glue.c). */
#include "dump.h"
#include "pdf/glue.h"

static const bt_time BEFORE = 1578650400; /* 2020-01-10T10:00:00Z */

static bt_draft_titles_spec set_spec(void)
{
	bt_draft_titles_spec s = { 0 };
	s.circular = "205";
	s.rec = "Q.5051";
	return s;
}

static void lang_index(void **state)
{
	(void)state;
	assert_int_equal(bt_draft_lang_index("fr"), 0);
	assert_int_equal(bt_draft_lang_index("ar"), 4);
	assert_int_equal(bt_draft_lang_index("en"), -1);
	assert_int_equal(bt_draft_lang_index("de"), -1);
	assert_int_equal(bt_draft_lang_index(NULL), -1);
}

static void given_at_add_then_set(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	bt_draft_spec d = { .circular = "205", .rec = "Q.2", .title = "English", .summary = "Sum" };
	d.titles[0] = "Français";
	d.summaries[4] = "ملخص";
	bt_draft out;
	assert_int_equal(bt_draft_add(f->db, &d, "t", BEFORE, &out, &f->e), BT_OK);
	assert_string_equal(bt_draft_title_in(&out, "fr"), "Français");
	assert_string_equal(bt_draft_title_in(&out, "en"), "English");
	assert_null(bt_draft_title_in(&out, "zh"));
	assert_null(bt_draft_title_in(&out, "ar"));
	assert_string_equal(bt_draft_summary_in(&out, "ar"), "ملخص");
	assert_string_equal(bt_draft_summary_in(&out, "en"), "Sum");
	bt_draft_clear(&out);
	char *ev = last_event(f->path);
	assert_non_null(strstr(ev, ",\"titles\":{\"fr\":{\"title\":\"Français\"},\"ar\":{\"summary\":\"ملخص\"}}}"));
	free(ev);

	/* set: a correction before the deadline, the latest stands */
	bt_draft_titles_spec s = set_spec();
	s.rec = "Q.2";
	s.titles[0] = "Français corrigé";
	s.titles[3] = "中文";
	int changed = -1;
	assert_int_equal(bt_draft_set_titles(f->db, &s, "t", BEFORE + 60, &changed, &f->e), BT_OK);
	assert_int_equal(changed, 2);
	ev = last_event(f->path);
	assert_non_null(strstr(ev, "draft-titles 205 {"));
	assert_non_null(strstr(ev, "\"draft\":\"Q.2\",\"titles\":{\"fr\":{\"title\":\"Français corrigé\"},"
				   "\"zh\":{\"title\":\"中文\"}}}"));
	free(ev);
	assert_int_equal(bt_draft_find(f->db, "205", "Q.2", &out, &f->e), BT_OK);
	assert_string_equal(out.titles[0], "Français corrigé");
	assert_string_equal(out.titles[3], "中文");
	assert_string_equal(out.summaries[4], "ملخص");
	bt_draft_clear(&out);
	/* the same again: nothing recorded */
	char *before = dump_db(f->path);
	assert_int_equal(bt_draft_set_titles(f->db, &s, "t", BEFORE + 120, &changed, &f->e), BT_OK);
	assert_int_equal(changed, 0);
	char *after = dump_db(f->path);
	assert_string_equal(before, after);
	free(before);
	free(after);
	/* the list carries them too */
	bt_draft_list l;
	assert_int_equal(bt_drafts_list(f->db, "205", &l, &f->e), BT_OK);
	assert_int_equal(l.n, 2);
	assert_null(l.v[0].titles[0]);
	assert_string_equal(l.v[1].titles[3], "中文");
	bt_draft_list_free(&l);
	bt_audit_report r;
	assert_int_equal(bt_audit_verify(f->db, &r, &f->e), BT_OK);
	assert_int_equal(r.first_bad, 0);
}

static void refusals(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	bt_draft_titles_spec s = set_spec();
	REFUSED(f, bt_draft_set_titles(f->db, &s, "t", BEFORE, NULL, &f->e), "nothing to set");
	s.titles[1] = "";
	REFUSED(f, bt_draft_set_titles(f->db, &s, "t", BEFORE, NULL, &f->e), "title_es: empty");
	s = set_spec();
	s.summaries[2] = "bad \xff";
	REFUSED(f, bt_draft_set_titles(f->db, &s, "t", BEFORE, NULL, &f->e), "summary_ru: not valid UTF-8");
	char big[1002];
	memset(big, 'a', 1001);
	big[1001] = '\0';
	s = set_spec();
	s.titles[4] = big;
	REFUSED(f, bt_draft_set_titles(f->db, &s, "t", BEFORE, NULL, &f->e), "title_ar: ");
	big[1000] = '\0';
	assert_int_equal(bt_draft_set_titles(f->db, &s, "t", BEFORE, NULL, &f->e), BT_OK);
	s = set_spec();
	s.rec = "Q.9";
	s.titles[0] = "x";
	REFUSED(f, bt_draft_set_titles(f->db, &s, "t", BEFORE, NULL, &f->e), "no draft 'Q.9'");
	bt_draft_spec d = { .circular = "205", .rec = "Q.3", .title = "T", .summary = "S" };
	d.titles[3] = "";
	REFUSED(f, bt_draft_add(f->db, &d, "t", BEFORE, NULL, &f->e), "title_zh: empty");
}

/* After the deadline: add where none was, never change; closed too. */
static void deadline_rule(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	bt_draft_titles_spec s = set_spec();
	s.titles[0] = "Cadre";
	assert_int_equal(bt_draft_set_titles(f->db, &s, "t", BEFORE, NULL, &f->e), BT_OK);
	bt_time after = T("2020-02-22T08:00:00Z");
	s.titles[0] = "Autre cadre";
	REFUSED(f, bt_draft_set_titles(f->db, &s, "t", after, NULL, &f->e),
		"title_fr: consultation '205' is past its deadline (2020-02-21T23:59:00Z)");
	s.titles[0] = "Cadre"; /* as it is: fine, and the new one is added */
	s.summaries[0] = "Résumé";
	int changed = 0;
	assert_int_equal(bt_draft_set_titles(f->db, &s, "t", after, &changed, &f->e), BT_OK);
	assert_int_equal(changed, 1);
	assert_int_equal(bt_consultation_close(f->db, "205", "t", after + 60, NULL, &f->e), BT_OK);
	s = set_spec();
	s.titles[2] = "Рамки";
	assert_int_equal(bt_draft_set_titles(f->db, &s, "t", after + 120, NULL, &f->e), BT_OK);
	s.titles[2] = "Другие рамки";
	REFUSED(f, bt_draft_set_titles(f->db, &s, "t", after + 180, NULL, &f->e), "no longer changed");
}

/* u: the code points of s (UTF-8), into out (cap 128); their count. */
static int cps(const char *s, uint32_t out[128])
{
	int n = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p && n < 128) {
		uint32_t c = *p++;
		int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
		c &= more == 3 ? 0x07 : more == 2 ? 0x0F : more == 1 ? 0x1F : 0x7F;
		while (more-- && *p)
			c = c << 6 | (*p++ & 0x3F);
		out[n++] = c;
	}
	return n;
}

/* 1 when the space at byte offset... : the first space after the text
 * marker is glued. */
static int glued_after(const char *s, const char *before)
{
	uint32_t u[128];
	int n = cps(s, u), k = cps(before, (uint32_t[128]){ 0 });
	return pdf_glued_space(u, n, k);
}

static void glue(void **state)
{
	(void)state;
	assert_true(glued_after("Recommendation ITU-T Q.5051 is", "Recommendation ITU-T"));
	assert_true(glued_after("UIT-T Q.5051", "UIT-T"));
	assert_true(glued_after("МСЭ-Т Q.5051", "МСЭ-Т"));
	assert_true(glued_after("at 23:59 UTC on", "at 23:59"));
	assert_true(glued_after("9:05 UTC", "9:05"));
	assert_true(glued_after("BHR Bahrain; BEL Belgium", "BHR"));
	assert_true(glued_after("x; BEL Belgium", "x; BEL"));
	assert_true(glued_after("BHR البحرين", "BHR"));
	assert_true(glued_after("CHN 中国", "CHN"));
	/* breakable */
	assert_false(glued_after("Recommendation ITU-T Q.5051", "Recommendation"));
	assert_false(glued_after("ITU Member States", "ITU"));
	assert_false(glued_after("at 23:59 on", "at 23:59"));
	assert_false(glued_after("123:59 UTC", "123:59"));
	assert_false(glued_after("BHRX Bahrain", "BHRX"));
	assert_false(glued_after("BHR 12", "BHR"));
	assert_false(glued_after("Q.5051 ITU-T", "Q.5051"));
	assert_false(glued_after("ITU-T 5", "ITU-T"));
	assert_false(glued_after("UTC (x)", "UTC"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lang_index),
		cmocka_unit_test(glue),
		cmocka_unit_test_setup_teardown(given_at_add_then_set, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(refusals, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(deadline_rule, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
