/* test_tally.c - counting: the worked example, supersession,
 * withdrawal, lateness, the deadline edge, and the other rules. */
#include "fixture.h"

static const char *const members[] = {
	"AUS", "AUT", "BEL", "BRA", "CAN", "CHE", "CHN", "DEU", "EGY", "ESP", "FRA", "GBR",
	"IND", "ITA", "JPN", "KEN", "KOR", "MEX", "NGA", "RUS", "SAU", "SWE", "USA", "ZAF",
};

static bt_draft_tally tally(fx *f, const char *circular, const char *as_of, bt_tally *t)
{
	assert_int_equal(bt_tally_compute(f->db, circular, T(as_of), t, &f->e), BT_OK);
	assert_int_equal(t->n, 1);
	bt_draft_tally d = t->drafts[0];
	bt_tally_free(t);
	return d;
}

static void the_worked_example(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	int i = 0;
	for (; i < 7; i++)
		assert_int_equal(fx_reply(f, "205", members[i], BT_AUTHORIZE, "2020-02-01T10:00Z", 0), BT_OK);
	for (; i < 10; i++)
		assert_int_equal(fx_reply(f, "205", members[i], BT_AUTHORIZE_WITH_COMMENTS, "2020-02-02T10:00Z", 1), BT_OK);
	assert_int_equal(fx_reply(f, "205", members[i++], BT_NOT_AUTHORIZE, "2020-02-03T10:00Z", 1), BT_OK);
	assert_int_equal(fx_reply(f, "205", members[i++], BT_NOT_AUTHORIZE, "2020-02-03T10:00Z", 0), BT_OK);
	assert_int_equal(fx_reply(f, "205", members[i++], BT_NOT_AUTHORIZE, "2020-02-22T10:00Z", 0), BT_OK);
	bt_tally t;
	bt_draft_tally d = tally(f, "205", "2020-02-25T00:00:00Z", &t);
	assert_int_equal(t.electorate, 193);
	assert_true(t.final);
	assert_int_equal(d.replies, 12);
	assert_int_equal(d.support, 10);
	assert_int_equal(d.authorize, 7);
	assert_int_equal(d.authorize_with_comments, 3);
	assert_int_equal(d.not_authorize, 2);
	assert_int_equal(d.not_authorize_without_reasons, 1);
	assert_int_equal(d.late, 1);
	assert_int_equal(d.withdrawn, 0);
	assert_int_equal(d.outstanding, 181);
	assert_int_equal(d.support_pct10, 833);
	assert_int_equal(d.threshold_pct, 70);
	assert_string_equal(d.outcome, "proceed");
	assert_string_equal(d.if_closed_now, "proceed");
	/* after the deadline nothing more can count: null */
	assert_int_equal(d.support_needed, -1);
	assert_int_equal(d.opposition_to_block, -1);
	assert_string_equal(d.state, "awaiting-close");
	/* the partition: 181 = 1 late + 0 withdrawn + 180 did not reply */
	assert_int_equal(d.outstanding_late, 1);
	assert_int_equal(d.outstanding_withdrawn, 0);
	assert_int_equal(d.did_not_reply, 180);
	/* Whom to remind: exactly the outstanding members, by the same rule. */
	bt_pending_list p;
	assert_int_equal(bt_pending_get(f->db, "205", NULL, T("2020-02-25T00:00:00Z"), &p, &f->e), BT_OK);
	assert_int_equal(p.n, 181);
	for (size_t k = 0; k < p.n; k++)
		for (int m = 0; m < 12; m++)
			assert_string_not_equal(p.v[k].code, members[m]);
	assert_string_equal(p.v[0].recs[0], "Q.5051");
	bt_pending_list_free(&p);
	/* Before the deadline: pending, not final, the late one not yet there. */
	d = tally(f, "205", "2020-02-10T00:00:00Z", &t);
	assert_false(t.final);
	assert_string_equal(d.outcome, "pending");
	assert_string_equal(d.if_closed_now, "proceed");
	assert_int_equal(d.replies, 12);
	assert_int_equal(d.late, 0);
	/* As of a time before some replies: they are not counted yet. */
	d = tally(f, "205", "2020-02-01T12:00:00Z", &t);
	assert_int_equal(d.replies, 7);
}

static void no_replies_proceeds_and_seventy_percent_is_enough(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	bt_tally t;
	bt_draft_tally d = tally(f, "205", "2020-02-25T00:00:00Z", &t);
	assert_int_equal(d.replies, 0);
	assert_int_equal(d.support_pct10, -1);
	assert_string_equal(d.outcome, "proceed");
	for (int i = 0; i < 10; i++)
		assert_int_equal(fx_reply(f, "205", members[i], i < 7 ? BT_AUTHORIZE : BT_NOT_AUTHORIZE,
					  "2020-02-01T10:00Z", 0), BT_OK);
	d = tally(f, "205", "2020-02-25T00:00:00Z", &t);
	assert_int_equal(d.support_pct10, 700);
	assert_string_equal(d.outcome, "proceed");
	assert_int_equal(d.opposition_to_block, -1); /* after the deadline: null */
	d = tally(f, "205", "2020-02-20T00:00:00Z", &t);
	assert_int_equal(d.opposition_to_block, 1);
	/* 16 of 23 = 69.6 %: not enough. */
	for (int i = 10; i < 23; i++)
		assert_int_equal(fx_reply(f, "205", members[i], i < 19 ? BT_AUTHORIZE : BT_NOT_AUTHORIZE,
					  "2020-02-01T10:00Z", 0), BT_OK);
	d = tally(f, "205", "2020-02-25T00:00:00Z", &t);
	assert_int_equal(d.replies, 23);
	assert_int_equal(d.support, 16);
	assert_int_equal(d.support_pct10, 696);
	assert_string_equal(d.outcome, "not-proceed");
	assert_int_equal(d.support_needed, -1);
	d = tally(f, "205", "2020-02-20T00:00:00Z", &t);
	assert_int_equal(d.opposition_to_block, 0);
	assert_int_equal(d.support_needed, 1);
}

static void latest_on_time_reply_counts(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	assert_int_equal(fx_reply(f, "205", "CHE", BT_NOT_AUTHORIZE, "2020-02-01T10:00Z", 1), BT_OK);
	assert_int_equal(fx_reply(f, "205", "CHE", BT_AUTHORIZE, "2020-02-05T10:00Z", 0), BT_OK);
	/* Late change of mind: recorded, never displaces the on-time reply. */
	assert_int_equal(fx_reply(f, "205", "CHE", BT_NOT_AUTHORIZE, "2020-02-22T00:00Z", 1), BT_OK);
	/* Exactly at the deadline counts; one second later is late. */
	assert_int_equal(fx_reply(f, "205", "FRA", BT_AUTHORIZE, "2020-02-21T23:59:00Z", 0), BT_OK);
	assert_int_equal(fx_reply(f, "205", "DEU", BT_AUTHORIZE, "2020-02-21T23:59:01Z", 0), BT_OK);
	bt_tally t;
	bt_draft_tally d = tally(f, "205", "2020-02-25T00:00:00Z", &t);
	assert_int_equal(d.replies, 2);
	assert_int_equal(d.authorize, 2);
	assert_int_equal(d.not_authorize, 0);
	assert_int_equal(d.late, 2);
	bt_history h;
	assert_int_equal(bt_history_get(f->db, "205", "CHE", &h, &f->e), BT_OK);
	assert_int_equal(h.n, 3);
	assert_string_equal(h.v[0].status, "superseded");
	assert_string_equal(h.v[1].status, "counted");
	assert_string_equal(h.v[2].status, "late");
	bt_history_free(&h);
}

static void withdrawal_removes_the_reply(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	assert_int_equal(fx_reply(f, "205", "CHE", BT_NOT_AUTHORIZE, "2020-02-01T10:00Z", 1), BT_OK);
	assert_int_equal(fx_reply(f, "205", "CHE", BT_WITHDRAW, "2020-02-02T10:00Z", 0), BT_OK);
	assert_int_equal(fx_reply(f, "205", "FRA", BT_AUTHORIZE, "2020-02-01T10:00Z", 0), BT_OK);
	/* A withdrawal after the deadline changes nothing. */
	assert_int_equal(fx_reply(f, "205", "FRA", BT_WITHDRAW, "2020-02-23T10:00Z", 0), BT_OK);
	/* Nothing to withdraw: refused. */
	assert_int_equal(fx_reply(f, "205", "CHE", BT_WITHDRAW, "2020-02-03T10:00Z", 0), BT_EINPUT);
	assert_int_equal(fx_reply(f, "205", "DEU", BT_WITHDRAW, "2020-02-03T10:00Z", 0), BT_EINPUT);
	bt_tally t;
	bt_draft_tally d = tally(f, "205", "2020-02-25T00:00:00Z", &t);
	assert_int_equal(d.replies, 1);
	assert_int_equal(d.support, 1);
	assert_int_equal(d.withdrawn, 1);
	assert_int_equal(d.late, 0); /* withdrawals are not late replies */
	assert_int_equal(d.outstanding, 192);
}

static void question_and_deletion_rules(void **state)
{
	fx *f = *state;
	fx_circular(f, "Q1", "question", NULL);
	for (int i = 0; i < 9; i++)
		fx_reply(f, "Q1", members[i], BT_AUTHORIZE, "2020-01-10T10:00Z", 0);
	bt_tally t;
	bt_draft_tally d = tally(f, "Q1", "2020-12-01T00:00:00Z", &t);
	assert_string_equal(d.if_closed_now, "not-proceed"); /* nine replies are too few */
	assert_int_equal(d.threshold_pct, 50);
	fx_reply(f, "Q1", members[9], BT_NOT_AUTHORIZE, "2020-01-10T10:00Z", 0);
	d = tally(f, "Q1", "2020-12-01T00:00:00Z", &t);
	assert_string_equal(d.if_closed_now, "proceed");
	fx_circular(f, "D1", "deletion", NULL);
	d = tally(f, "D1", "2020-12-01T00:00:00Z", &t);
	assert_string_equal(d.if_closed_now, "proceed");
	fx_reply(f, "D1", "CHE", BT_AUTHORIZE, "2020-01-10T10:00Z", 0);
	fx_reply(f, "D1", "FRA", BT_NOT_AUTHORIZE, "2020-01-10T10:00Z", 0);
	d = tally(f, "D1", "2020-12-01T00:00:00Z", &t);
	assert_string_equal(d.if_closed_now, "not-proceed");
}

static void small_electorate_and_null_support_needed(void **state)
{
	fx *f = *state;
	fx_circular(f, "SG3", NULL, "# SG3 regional group\nche\nFR\nDEU\nITA\n");
	bt_consultation c;
	assert_int_equal(bt_consultation_get(f->db, "SG3", &c, &f->e), BT_OK);
	assert_int_equal(c.electorate, 4);
	fx_reply(f, "SG3", "CHE", BT_NOT_AUTHORIZE, "2020-01-10T10:00Z", 0);
	fx_reply(f, "SG3", "FRA", BT_NOT_AUTHORIZE, "2020-01-10T10:00Z", 0);
	assert_int_equal(fx_reply(f, "SG3", "GBR", BT_AUTHORIZE, "2020-01-10T10:00Z", 0), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "GBR"));
	bt_tally t;
	bt_draft_tally d = tally(f, "SG3", "2020-01-11T00:00:00Z", &t);
	assert_int_equal(d.outstanding, 2);
	assert_int_equal(d.support_needed, -1); /* 2 of 4 at best */
}

/* The one rule for a draft's state at a time (bt_draft_state_at). */
static void state_at(void **state)
{
	(void)state;
	assert_string_equal(bt_draft_state_at(0, 0, "proceed", NULL), "in-consultation");
	assert_string_equal(bt_draft_state_at(0, 0, "not-proceed", ""), "in-consultation");
	assert_string_equal(bt_draft_state_at(1, 0, "proceed", NULL), "awaiting-close");
	assert_string_equal(bt_draft_state_at(1, 0, "not-proceed", NULL), "awaiting-close");
	assert_string_equal(bt_draft_state_at(1, 1, "proceed", NULL), "ready-for-approval");
	assert_string_equal(bt_draft_state_at(1, 1, "not-proceed", NULL), "not-ready");
	assert_string_equal(bt_draft_state_at(1, 1, "proceed", "more-time"), "more-time");
	assert_string_equal(bt_draft_state_at(1, 1, "proceed", "approved"), "approved");
	assert_string_equal(bt_draft_state_at(1, 1, "proceed", "not-approved"), "not-approved");
}

/* A tally as of T sees only what was recorded by T: a paper form received
 * on time but entered after the deadline is not in a tally as of a time
 * before its entry, and is in one after. */
static void as_of_is_what_was_recorded(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	assert_int_equal(fx_reply(f, "205", "CHE", BT_AUTHORIZE, "2020-02-01T10:00Z", 0), BT_OK);
	bt_reply_spec s = { 0 };
	s.circular = "205";
	s.member = "DEU";
	s.choice = BT_AUTHORIZE;
	s.has_received = 1;
	s.received = T("2020-02-20T10:00Z");
	bt_reply_result r;
	/* changes no outcome (proceed either way): no reason needed */
	assert_int_equal(bt_reply_record(f->db, &s, "test", T("2020-02-24T10:00Z"), &r, &f->e), BT_OK);
	assert_true(r.late_entry);
	assert_int_equal(r.late_entry_seq, 0);
	bt_tally t;
	bt_draft_tally d = tally(f, "205", "2020-02-24T09:00:00Z", &t);
	assert_int_equal(d.replies, 1);
	d = tally(f, "205", "2020-02-24T10:00:00Z", &t);
	assert_int_equal(d.replies, 2);
	/* one that turns the outcome (2 of 3 support: 66.7 %) needs its reason */
	s.member = "FRA";
	s.choice = BT_NOT_AUTHORIZE;
	assert_int_equal(bt_reply_record(f->db, &s, "test", T("2020-02-24T11:00Z"), &r, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "late_entry_reason"));
	s.late_entry_reason = "form received by fax on time, misfiled";
	assert_int_equal(bt_reply_record(f->db, &s, "test", T("2020-02-24T11:00Z"), &r, &f->e), BT_OK);
	assert_true(r.late_entry_seq > r.event_seq);
	d = tally(f, "205", "2020-02-24T12:00:00Z", &t);
	assert_string_equal(d.outcome, "not-proceed");
	/* before the circular's date: refused */
	assert_int_equal(bt_tally_as_of(f->db, "205", T("2019-12-01T00:00Z"), &t, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "as_of"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(state_at),
		cmocka_unit_test_setup_teardown(as_of_is_what_was_recorded, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(the_worked_example, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(no_replies_proceeds_and_seventy_percent_is_enough, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(latest_on_time_reply_counts, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(withdrawal_removes_the_reply, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(question_and_deletion_rules, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(small_electorate_and_null_support_needed, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
