/* test_draft.c - the drafts of a consultation (draft.c): added, found,
 * listed, digested; refused drafts leave the database as it was. */
#include "dump.h"

static bt_draft_spec spec(const char *rec)
{
	bt_draft_spec d = { 0 };
	d.circular = "205";
	d.rec = rec;
	d.title = "A title";
	d.summary = "A summary.";
	return d;
}

static int add(fx *f, const bt_draft_spec *d, bt_draft *out)
{
	return bt_draft_add(f->db, d, "test", T("2019-12-03T09:00:00Z"), out, &f->e);
}

static void add_find_list(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL); /* Q.5051 */
	bt_draft_spec s = spec("Q.1234(rev)");
	s.former = "Q.SEC_X";
	s.summary = "line one\nline two";
	s.source = "SG11-R25";
	s.revised = 1;
	s.text = "the exact text";
	s.text_len = 14;
	s.has_texts_available = 1;
	s.texts_available = D("2020-02-01");
	bt_draft d;
	assert_int_equal(add(f, &s, &d), BT_OK);
	assert_string_equal(d.rec, "Q.1234(rev)");
	assert_string_equal(d.title, "A title");
	assert_string_equal(d.former, "Q.SEC_X");
	assert_string_equal(d.summary, "line one\nline two");
	assert_string_equal(d.source, "SG11-R25");
	assert_int_equal(d.revised, 1);
	char sha[65];
	bt_sha256_hex("the exact text", 14, sha);
	assert_string_equal(d.text_sha256, sha);
	assert_string_equal(d.state, BT_STATE_IN_CONSULTATION);
	assert_string_equal(d.outcome, "");
	assert_int_equal(d.texts_available, D("2020-02-01"));
	bt_draft_clear(&d);

	/* several drafts: find needs the rec */
	assert_int_equal(bt_draft_find(f->db, "205", NULL, &d, &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "draft: consultation '205' has 2 drafts; say which");
	assert_int_equal(bt_draft_find(f->db, "205", "Q.5051", &d, &f->e), BT_OK);
	assert_string_equal(d.former, "Q.FW_CSM");
	assert_string_equal(d.text_sha256, "");
	assert_null(d.source);
	assert_int_equal(d.texts_available, BT_DATE_NONE);
	bt_draft_clear(&d);
	assert_int_equal(bt_draft_find(f->db, "205", "Q.9999", &d, &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "draft: consultation '205' has no draft 'Q.9999'");
	assert_int_equal(bt_draft_find(f->db, "206", "Q.5051", &d, &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "circular: no consultation '206'");

	bt_draft_list l;
	assert_int_equal(bt_drafts_list(f->db, "205", &l, &f->e), BT_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].rec, "Q.5051"); /* in the order added */
	assert_string_equal(l.v[1].rec, "Q.1234(rev)");
	bt_consultation c;
	assert_int_equal(bt_consultation_get(f->db, "205", &c, &f->e), BT_OK);
	assert_int_equal(c.drafts, 2);
	bt_draft_list_free(&l);
}

static void digest_follows_the_list(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	bt_draft_list l;
	char got[65], want[65];
	assert_int_equal(bt_drafts_list(f->db, "205", &l, &f->e), BT_OK);
	bt_drafts_digest(&l, got);
	const char *line = "Q.5051\tQ.FW_CSM\tFramework for combating the use of stolen mobile devices\tnew\t\n";
	bt_sha256_hex(line, strlen(line), want);
	assert_string_equal(got, want);
	bt_draft_list_free(&l);

	bt_draft_spec s = spec("Q.2");
	s.text = "x";
	s.text_len = 1;
	assert_int_equal(add(f, &s, NULL), BT_OK);
	assert_int_equal(bt_drafts_list(f->db, "205", &l, &f->e), BT_OK);
	char sha[65], two[400];
	bt_sha256_hex("x", 1, sha);
	snprintf(two, sizeof two, "%sQ.2\t\tA title\tnew\t%s\n", line, sha);
	bt_sha256_hex(two, strlen(two), want);
	bt_drafts_digest(&l, got);
	assert_string_equal(got, want);
	bt_draft_list_free(&l);
	/* no drafts: the digest of nothing */
	bt_draft_list none = { NULL, 0 };
	bt_drafts_digest(&none, got);
	assert_string_equal(got, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void bad_drafts_are_refused(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	bt_draft_spec s;
	static const char *bad_recs[] = { "", "../x", ".x", "a/b", "Q 1", "Q..1",
					  "123456789012345678901234567890123" };
	for (size_t i = 0; i < sizeof bad_recs / sizeof *bad_recs; i++) {
		s = spec(bad_recs[i]);
		REFUSED(f, add(f, &s, NULL), "is not a Recommendation number");
	}
	s = spec(NULL);
	REFUSED(f, add(f, &s, NULL), "rec: '(unprintable)' is not a Recommendation number");
	s = spec("Q.5051");
	REFUSED(f, add(f, &s, NULL), "rec: consultation '205' already has draft 'Q.5051'");
	s = spec("Q.1");
	s.title = "";
	REFUSED(f, add(f, &s, NULL), "title: empty");
	s.title = NULL;
	REFUSED(f, add(f, &s, NULL), "title: empty");
	s.title = "two\nlines";
	REFUSED(f, add(f, &s, NULL), "title: ");
	s.title = "evil \xe2\x80\xae" "fdp.exe"; /* U+202E */
	REFUSED(f, add(f, &s, NULL), "U+202E");
	s = spec("Q.1");
	s.summary = NULL;
	REFUSED(f, add(f, &s, NULL), "summary: required under the tap rule");
	s.summary = "";
	REFUSED(f, add(f, &s, NULL), "summary: required under the tap rule");
	s.summary = "bad \x01 byte";
	REFUSED(f, add(f, &s, NULL), "summary: not valid UTF-8 or has control characters");
	s = spec("Q.1");
	s.source = "a\nb";
	REFUSED(f, add(f, &s, NULL), "source: not valid UTF-8 or has control characters");
	s = spec("Q.1");
	s.former = "Q FW";
	REFUSED(f, add(f, &s, NULL), "former: 'Q FW' is not a draft name");
	s = spec("Q.1");
	s.text = "";
	s.text_len = 0;
	REFUSED(f, add(f, &s, NULL), "text: the draft text is empty");
	s = spec("Q.1");
	s.has_texts_available = 1;
	s.texts_available = D("2020-03-04");
	REFUSED(f, add(f, &s, NULL), "texts_available: 2020-03-04 is not before the meeting (2020-03-04)");
	s = spec("Q.1");
	s.circular = "999";
	REFUSED(f, add(f, &s, NULL), "circular: no consultation '999'");
	/* a title at the cap is fine, one byte more is not */
	char title[1002];
	memset(title, 'a', 1001);
	title[1001] = '\0';
	s = spec("Q.1");
	s.title = title;
	REFUSED(f, add(f, &s, NULL), "title: ");
	title[1000] = '\0';
	assert_int_equal(add(f, &s, NULL), BT_OK);
}

static void late_drafts_are_refused(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	bt_draft_spec s = spec("Q.2");
	REFUSED(f, bt_draft_add(f->db, &s, "t", T("2020-02-22T00:00:00Z"), NULL, &f->e),
		"circular: consultation '205' is past its deadline (deadline 2020-02-21T23:59:00Z); a draft cannot join it now");
	/* at the deadline itself it still joins */
	assert_int_equal(bt_draft_add(f->db, &s, "t", T("2020-02-21T23:59:00Z"), NULL, &f->e), BT_OK);
	assert_int_equal(bt_consultation_close(f->db, "205", "t", T("2020-02-22T08:00:00Z"), NULL, &f->e), BT_OK);
	s = spec("Q.3");
	REFUSED(f, bt_draft_add(f->db, &s, "t", T("2020-02-21T00:00:00Z"), NULL, &f->e),
		"circular: consultation '205' is closed");
	/* a question needs no summary */
	bt_consultation_spec q = { .circular = "Q1", .group = 11, .date = D("2019-12-02"),
				   .meeting_start = D("2020-03-04"), .meeting_end = D("2020-03-13"),
				   .rule = "question" };
	char warn[200];
	assert_int_equal(bt_consultation_create(f->db, &q, "t", T("2019-12-02T00:00:00Z"), NULL, warn, sizeof warn,
						&f->e), BT_OK);
	s = spec("Q.4");
	s.circular = "Q1";
	s.summary = NULL;
	assert_int_equal(add(f, &s, NULL), BT_OK);
}

/* The draft's event carries the stored row; an unusable actor is refused
 * after the checks (the event is reserved then) and writes nothing. */
static void draft_event_and_actor(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	bt_draft_spec s = spec("Q.5052");
	s.text = "the exact text";
	s.text_len = 14;
	bt_draft d = { 0 };
	REFUSED(f, bt_draft_add(f->db, &s, "", T("2019-12-03T09:00:00Z"), &d, &f->e), "actor: ");
	assert_null(d.title); /* nothing handed out */
	REFUSED(f, bt_draft_add(f->db, &s, "two\nlines", T("2019-12-03T09:00:00Z"), NULL, &f->e), "actor: ");
	assert_int_equal(add(f, &s, &d), BT_OK);
	char sha[65], want[120];
	bt_sha256_hex("the exact text", 14, sha);
	snprintf(want, sizeof want, "\"revised\":false,\"text_sha256\":\"%s\"}", sha);
	char *ev = last_event(f->path);
	assert_non_null(strstr(ev, "draft 205 {"));
	assert_non_null(strstr(ev, "\"actor\":\"test\""));
	assert_non_null(strstr(ev, "\"rec\":\"Q.5052\",\"title\":\"A title\",\"former\":null,\"summary\":\"A summary.\""));
	assert_non_null(strstr(ev, want));
	free(ev);
	assert_string_equal(d.text_sha256, sha);
	bt_draft_clear(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(add_find_list, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(digest_follows_the_list, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(bad_drafts_are_refused, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(late_drafts_are_refused, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(draft_event_and_actor, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
