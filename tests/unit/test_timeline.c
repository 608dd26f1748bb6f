/* test_timeline.c - a consultation's dates in order and the checks of
 * §9.3 and §9.4.1 (timeline.c). */
#include "dump.h"

static void dates(const bt_timeline *t, char *out, size_t n)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < t->ndates && o < n; i++) {
		const bt_timeline_date *d = &t->dates[i];
		char ts[BT_TIME_LEN];
		bt_time_format(d->at, ts);
		o += (size_t)snprintf(out + o, n - o, "%.10s %s%s%s%s%s\n", ts, d->what, d->rec[0] ? " " : "", d->rec,
				      d->detail[0] ? " " : "", d->detail);
	}
}

static const bt_timeline_check *check(const bt_timeline *t, const char *name, const char *rec)
{
	for (size_t i = 0; i < t->nchecks; i++)
		if (!strcmp(t->checks[i].name, name) && !strcmp(t->checks[i].rec, rec ? rec : ""))
			return &t->checks[i];
	fail_msg("no check %s %s", name, rec ? rec : "");
	return NULL;
}

static void tap_dates_and_checks(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL); /* Q.5051: no texts date */
	bt_draft_spec d = { .circular = "205", .rec = "Q.2", .title = "t", .summary = "s", .has_texts_available = 1,
			    .texts_available = D("2020-02-01") };
	assert_int_equal(bt_draft_add(f->db, &d, "t", T("2019-12-03T00:00:00Z"), NULL, &f->e), BT_OK);
	d.rec = "Q.3";
	d.texts_available = D("2020-02-20");
	assert_int_equal(bt_draft_add(f->db, &d, "t", T("2019-12-03T00:00:00Z"), NULL, &f->e), BT_OK);
	bt_reply_spec r = { .circular = "205", .member = "CHE", .rec = "Q.5051", .choice = BT_AUTHORIZE,
			    .has_received = 1, .received = T("2020-02-01T00:00:00Z") };
	assert_int_equal(bt_reply_record(f->db, &r, "t", T("2020-02-01T00:00:00Z"), NULL, &f->e), BT_OK);
	assert_int_equal(bt_consultation_close(f->db, "205", "t", T("2020-02-22T08:00:00Z"), NULL, &f->e), BT_OK);
	const char *asked[] = { "CHE" };
	bt_decision_spec x = { .circular = "205", .rec = "Q.5051", .kind = BT_DECISION_MORE_TIME, .codes = asked,
			       .n_codes = 1, .has_date = 1, .date = D("2020-03-13") };
	assert_int_equal(bt_decide(f->db, &x, "t", T("2020-03-13T18:00:00Z"), NULL, &f->e), BT_OK);

	bt_timeline t;
	assert_int_equal(bt_timeline_get(f->db, "205", &t, &f->e), BT_OK);
	assert_string_equal(t.circular, "205");
	assert_int_equal(t.applies, 1);
	char got[1024];
	dates(&t, got, sizeof got);
	/* the decision on the meeting's last day comes before that day ends */
	assert_string_equal(got, "2019-12-02 circular\n"
				 "2020-02-01 texts-available Q.2\n"
				 "2020-02-20 texts-available Q.3\n"
				 "2020-02-21 deadline\n"
				 "2020-03-04 meeting-start\n"
				 "2020-03-13 decision Q.5051 more-time\n"
				 "2020-03-13 meeting-end\n"
				 "2020-04-10 more-time-ends Q.5051\n");
	assert_string_equal(t.dates[0].clause, "WTSA Res. 1 §9.3.3");
	assert_int_equal(t.dates[0].date_only, 1);
	assert_int_equal(t.dates[3].date_only, 0);
	assert_int_equal(t.dates[3].at, T("2020-02-21T23:59:00Z"));
	assert_string_equal(t.dates[3].clause, "WTSA Res. 1 §9.4.1");
	assert_string_equal(t.dates[5].clause, "WTSA Res. 1 §9.5.5");

	/* announcement, per draft texts and summary, deadline */
	assert_int_equal(t.nchecks, 1 + 3 * 2 + 1);
	const bt_timeline_check *k = check(&t, "announcement", NULL);
	assert_int_equal(k->holds, 1);
	assert_int_equal(k->due, D("2019-12-04"));
	assert_int_equal(k->date, T("2019-12-02T00:00:00Z"));
	k = check(&t, "texts_available", "Q.5051");
	assert_int_equal(k->holds, -1); /* not recorded */
	assert_int_equal(k->has_date, 0);
	assert_int_equal(k->due, D("2020-02-04"));
	assert_int_equal(check(&t, "texts_available", "Q.2")->holds, 1);
	assert_int_equal(check(&t, "texts_available", "Q.3")->holds, 0);
	assert_int_equal(check(&t, "summary", "Q.3")->holds, 1);
	k = check(&t, "deadline", NULL);
	assert_int_equal(k->working_days, 7);
	assert_int_equal(k->holds, 1);
	assert_int_equal(k->date, T("2020-02-21T23:59:00Z"));
	bt_timeline_free(&t);
	assert_null(t.dates);
}

static void late_announcement_and_short_deadline(void **state)
{
	fx *f = *state;
	bt_consultation_spec s = { .circular = "206", .group = 11, .date = D("2020-01-10"),
				   .meeting_start = D("2020-03-04"), .meeting_end = D("2020-03-13"), .has_deadline = 1,
				   .deadline = T("2020-02-27T23:59:00Z"), .force_deadline = 1, .reason = "late" };
	char warn[300];
	assert_int_equal(bt_consultation_create(f->db, &s, "t", T("2020-01-10T00:00:00Z"), NULL, warn, sizeof warn,
						&f->e), BT_OK);
	bt_timeline t;
	assert_int_equal(bt_timeline_get(f->db, "206", &t, &f->e), BT_OK);
	assert_int_equal(t.nchecks, 2); /* no drafts */
	assert_int_equal(check(&t, "announcement", NULL)->holds, 0);
	const bt_timeline_check *k = check(&t, "deadline", NULL);
	assert_int_equal(k->working_days, 3); /* 28 Feb, 2 and 3 March */
	assert_int_equal(k->holds, 0);
	bt_timeline_free(&t);
}

static void other_rules_and_unknown(void **state)
{
	fx *f = *state;
	bt_consultation_spec s = { .circular = "Q1", .group = 11, .date = D("2019-12-02"),
				   .meeting_start = D("2020-03-04"), .meeting_end = D("2020-03-13"), .rule = "question" };
	char warn[300];
	assert_int_equal(bt_consultation_create(f->db, &s, "t", T("2019-12-02T00:00:00Z"), NULL, warn, sizeof warn,
						&f->e), BT_OK);
	bt_timeline t;
	assert_int_equal(bt_timeline_get(f->db, "Q1", &t, &f->e), BT_OK);
	assert_int_equal(t.applies, 0);
	assert_int_equal(t.nchecks, 0);
	assert_int_equal(t.ndates, 4);
	assert_string_equal(t.dates[0].clause, "WTSA Res. 1 §7.2.3");
	assert_string_equal(t.dates[1].what, "deadline");
	assert_int_equal(t.dates[1].at, T("2020-02-02T23:59:00Z"));
	bt_timeline_free(&t);
	memset(&t, 0x5a, sizeof t);
	assert_int_equal(bt_timeline_get(f->db, "999", &t, &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "circular: no consultation '999'");
	assert_null(t.dates);
	assert_int_equal(t.ndates, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(tap_dates_and_checks, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(late_announcement_and_short_deadline, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(other_rules_and_unknown, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
