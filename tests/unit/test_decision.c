/* test_decision.c - the plenary's decisions (decision.c) along the §9.5
 * sequence, read back; every decision outside it is refused and changes
 * nothing. */
#include "dump.h"

/* Circular 205 closed with Q.5051 ready for approval (CHE, FRA support;
 * GBR did not reply). */
static void ready(fx *f)
{
	fx_circular(f, "205", NULL, NULL);
	assert_int_equal(fx_reply(f, "205", "CHE", BT_AUTHORIZE, "2020-02-01T10:00:00Z", 0), BT_OK);
	assert_int_equal(fx_reply(f, "205", "FRA", BT_AUTHORIZE, "2020-02-01T11:00:00Z", 0), BT_OK);
	assert_int_equal(bt_consultation_close(f->db, "205", "t", T("2020-02-22T08:00:00Z"), NULL, &f->e), BT_OK);
}

static int decide(fx *f, bt_decision_kind k, const char *const *codes, const char *const *notes, size_t n,
		  const char *date, const char *now, int64_t *seq)
{
	bt_decision_spec s = { 0 };
	s.circular = "205";
	s.kind = k;
	s.codes = codes;
	s.notes = notes;
	s.n_codes = n;
	if (date) {
		s.has_date = 1;
		s.date = D(date);
	}
	return bt_decide(f->db, &s, "chair", T(now), seq, &f->e);
}

static const char *state(fx *f)
{
	static char s[24];
	bt_draft d;
	assert_int_equal(bt_draft_find(f->db, "205", NULL, &d, &f->e), BT_OK);
	snprintf(s, sizeof s, "%s", d.state);
	bt_draft_clear(&d);
	return s;
}

static void names_and_dates(void **state_)
{
	(void)state_;
	assert_string_equal(bt_decision_kind_name(BT_DECISION_APPROVED), "approved");
	assert_string_equal(bt_decision_kind_name(BT_DECISION_MORE_TIME), "more-time");
	assert_string_equal(bt_decision_kind_name(BT_DECISION_NOT_APPROVED), "not-approved");
	assert_null(bt_decision_kind_name(0));
	assert_null(bt_decision_kind_name(4));
	assert_int_equal(bt_more_time_until(D("2020-03-13")), D("2020-04-10"));
	assert_int_equal(bt_more_time_until(D("2020-02-20")), D("2020-03-19")); /* 2020 is a leap year */
}

static void approved_with_a_reservation(void **state_)
{
	fx *f = *state_;
	ready(f);
	const char *codes[] = { "ch" };
	const char *notes[] = { "editorial concerns" };
	int64_t seq = 0;
	assert_int_equal(decide(f, BT_DECISION_APPROVED, codes, notes, 1, "2020-03-05", "2020-03-05T10:00:00Z", &seq),
			 BT_OK);
	assert_true(seq > 0);
	assert_string_equal(state(f), BT_STATE_APPROVED);
	bt_decision_list l;
	assert_int_equal(bt_decisions_get(f->db, "205", T("2020-03-05T10:00:00Z"), &l, &f->e), BT_OK);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].seq, seq);
	assert_string_equal(l.v[0].rec, "Q.5051");
	assert_int_equal(l.v[0].kind, BT_DECISION_APPROVED);
	assert_string_equal(l.v[0].from, BT_STATE_READY);
	assert_int_equal(l.v[0].date, D("2020-03-05"));
	assert_int_equal(l.v[0].recorded_at, T("2020-03-05T10:00:00Z"));
	assert_int_equal(l.v[0].oppose_by, BT_DATE_NONE);
	assert_int_equal(l.v[0].n, 1);
	assert_string_equal(l.v[0].members[0].code, "CHE");
	assert_string_equal(l.v[0].members[0].note, "editorial concerns");
	bt_decision_list_free(&l);
	/* as of before it was recorded there is none */
	assert_int_equal(bt_decisions_get(f->db, "205", T("2020-03-05T09:59:59Z"), &l, &f->e), BT_OK);
	assert_int_equal(l.n, 0);
	bt_decision_list_free(&l);
	assert_int_equal(bt_decisions_get(f->db, "999", T("2020-03-05T10:00:00Z"), &l, &f->e), BT_EINPUT);
	bt_decision_list_free(&l);
	/* approved is final */
	REFUSED(f, decide(f, BT_DECISION_NOT_APPROVED, codes, NULL, 1, "2020-03-06", "2020-03-06T10:00:00Z", NULL),
		"draft: Q.5051 is approved; the not-approved decision needs ready-for-approval or more-time");
}

static void more_time_then_opposition(void **state_)
{
	fx *f = *state_;
	ready(f);
	const char *asked[] = { "GBR", "CHE" };
	int64_t seq;
	assert_int_equal(decide(f, BT_DECISION_MORE_TIME, asked, NULL, 2, "2020-03-10", "2020-03-10T10:00:00Z", &seq),
			 BT_OK);
	assert_string_equal(state(f), BT_STATE_MORE_TIME);
	bt_decision_list l;
	assert_int_equal(bt_decisions_get(f->db, "205", T("2020-03-10T10:00:00Z"), &l, &f->e), BT_OK);
	assert_int_equal(l.v[0].oppose_by, D("2020-04-10"));
	assert_int_equal(l.v[0].n, 2);
	bt_decision_list_free(&l);

	/* only members that asked may oppose */
	const char *fra[] = { "FRA" };
	REFUSED(f, decide(f, BT_DECISION_NOT_APPROVED, fra, NULL, 1, "2020-03-20", "2020-03-20T10:00:00Z", NULL),
		"opposed_by: FRA did not ask for more time on Q.5051; only those that did may oppose, until 2020-04-10");
	/* not before the more-time decision, not after the four weeks */
	const char *gbr[] = { "GBR" };
	REFUSED(f, decide(f, BT_DECISION_NOT_APPROVED, gbr, NULL, 1, "2020-03-09", "2020-03-20T10:00:00Z", NULL),
		"date: 2020-03-09 is before the more-time decision of 2020-03-10 on Q.5051");
	REFUSED(f, decide(f, BT_DECISION_NOT_APPROVED, gbr, NULL, 1, "2020-04-11", "2020-04-12T10:00:00Z", NULL),
		"date: 2020-04-11 is after the four weeks for formal opposition, which ended on 2020-04-10");
	/* approval must wait for the four weeks */
	REFUSED(f, decide(f, BT_DECISION_APPROVED, NULL, NULL, 0, "2020-04-10", "2020-04-10T10:00:00Z", NULL),
		"date: 2020-04-10 is not after the four weeks after the meeting, which end on 2020-04-10");
	/* GBR, which never replied, opposes: allowed, and marked; CHE replied */
	const char *both[] = { "GBR", "CHE" };
	assert_int_equal(decide(f, BT_DECISION_NOT_APPROVED, both, NULL, 2, "2020-04-10", "2020-04-10T10:00:00Z", &seq),
			 BT_OK);
	assert_string_equal(state(f), BT_STATE_NOT_APPROVED);
	assert_int_equal(bt_decisions_get(f->db, "205", T("2020-04-10T10:00:00Z"), &l, &f->e), BT_OK);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[1].kind, BT_DECISION_NOT_APPROVED);
	assert_string_equal(l.v[1].from, BT_STATE_MORE_TIME);
	assert_string_equal(l.v[1].members[0].code, "GBR");
	assert_int_equal(l.v[1].members[0].no_reply, 1);
	assert_int_equal(l.v[1].n, 2);
	assert_string_equal(l.v[1].members[1].code, "CHE");
	assert_int_equal(l.v[1].members[1].no_reply, 0);
	assert_int_equal(l.v[1].seq, seq);
	bt_decision_list_free(&l);
}

static void more_time_then_approval(void **state_)
{
	fx *f = *state_;
	ready(f);
	const char *asked[] = { "CHE" };
	assert_int_equal(decide(f, BT_DECISION_MORE_TIME, asked, NULL, 1, "2020-03-13", "2020-03-13T10:00:00Z", NULL),
			 BT_OK);
	assert_int_equal(decide(f, BT_DECISION_APPROVED, NULL, NULL, 0, "2020-04-11", "2020-04-11T10:00:00Z", NULL),
			 BT_OK);
	assert_string_equal(state(f), BT_STATE_APPROVED);
}

static void more_time_recorded_too_late(void **state_)
{
	fx *f = *state_;
	ready(f);
	const char *asked[] = { "CHE" };
	/* dated at the meeting, but recorded after the four weeks */
	REFUSED(f, decide(f, BT_DECISION_MORE_TIME, asked, NULL, 1, "2020-03-13", "2020-04-11T10:00:00Z", NULL),
		"more_time: the four weeks after the meeting ended on 2020-04-10");
	/* on their last day it is still recorded */
	assert_int_equal(decide(f, BT_DECISION_MORE_TIME, asked, NULL, 1, "2020-03-13", "2020-04-10T23:00:00Z", NULL),
			 BT_OK);
}

static void refused_decisions(void **state_)
{
	fx *f = *state_;
	fx_circular(f, "205", NULL, NULL);
	assert_int_equal(fx_reply(f, "205", "CHE", BT_AUTHORIZE, "2020-02-01T10:00:00Z", 0), BT_OK);
	const char *che[] = { "CHE" }, *two[] = { "CHE", "CH" }, *xxx[] = { "XXX" }, *plw[] = { "PLW" };
	const char *note[] = { "x" }, *notes2[] = { "x", "y" }, *empty[] = { "" }, *ctl[] = { "a\x01" };
	/* not closed yet */
	REFUSED(f, decide(f, BT_DECISION_APPROVED, NULL, NULL, 0, "2020-03-05", "2020-03-05T10:00:00Z", NULL),
		"draft: Q.5051 is in-consultation; the approved decision needs ready-for-approval or more-time");
	assert_int_equal(bt_consultation_close(f->db, "205", "t", T("2020-02-22T08:00:00Z"), NULL, &f->e), BT_OK);
	REFUSED(f, decide(f, 0, NULL, NULL, 0, "2020-03-05", "2020-03-05T10:00:00Z", NULL),
		"decision: none given ({approved}, {more_time} or {not_approved})");
	REFUSED(f, decide(f, BT_DECISION_MORE_TIME, NULL, NULL, 0, "2020-03-05", "2020-03-05T10:00:00Z", NULL),
		"more_time: name the Member States that asked for more time");
	REFUSED(f, decide(f, BT_DECISION_NOT_APPROVED, NULL, NULL, 0, "2020-03-05", "2020-03-05T10:00:00Z", NULL),
		"opposed_by: name the Member States that opposed approval");
	REFUSED(f, decide(f, BT_DECISION_APPROVED, NULL, NULL, 0, "2020-03-03", "2020-03-05T10:00:00Z", NULL),
		"date: 2020-03-03 is before the study group meeting (2020-03-04 to 2020-03-13)");
	REFUSED(f, decide(f, BT_DECISION_APPROVED, NULL, NULL, 0, "2020-03-14", "2020-03-20T10:00:00Z", NULL),
		"date: 2020-03-14 is after the study group meeting");
	REFUSED(f, decide(f, BT_DECISION_APPROVED, NULL, NULL, 0, NULL, "2020-03-20T10:00:00Z", NULL),
		"date: 2020-03-20 (today) is after the study group meeting");
	REFUSED(f, decide(f, BT_DECISION_APPROVED, NULL, NULL, 0, "2020-03-06", "2020-03-05T10:00:00Z", NULL),
		"date: 2020-03-06 is in the future (today is 2020-03-05)");
	REFUSED(f, decide(f, BT_DECISION_APPROVED, che, NULL, 1, "2020-03-05", "2020-03-05T10:00:00Z", NULL),
		"reservation: CHE has no text (CODE:TEXT)");
	REFUSED(f, decide(f, BT_DECISION_APPROVED, che, empty, 1, "2020-03-05", "2020-03-05T10:00:00Z", NULL),
		"reservation: CHE has no text");
	REFUSED(f, decide(f, BT_DECISION_APPROVED, che, ctl, 1, "2020-03-05", "2020-03-05T10:00:00Z", NULL),
		"reservation: the text for CHE is unclean or too long");
	REFUSED(f, decide(f, BT_DECISION_APPROVED, two, notes2, 2, "2020-03-05", "2020-03-05T10:00:00Z", NULL),
		"reservation: CHE is named twice");
	REFUSED(f, decide(f, BT_DECISION_APPROVED, xxx, note, 1, "2020-03-05", "2020-03-05T10:00:00Z", NULL),
		"XXX");
	REFUSED(f, decide(f, BT_DECISION_NOT_APPROVED, plw, NULL, 1, "2020-03-05", "2020-03-05T10:00:00Z", NULL),
		"opposed_by: PLW is not a Member State on the decision date");
	bt_decision_spec s = { .circular = "999", .kind = BT_DECISION_APPROVED };
	REFUSED(f, bt_decide(f->db, &s, "chair", T("2020-03-05T10:00:00Z"), NULL, &f->e), "999");
	assert_string_equal(state(f), BT_STATE_READY);
}

static void regional_electorate_limits_who_is_named(void **state_)
{
	fx *f = *state_;
	fx_circular(f, "205", NULL, "ZAF\nKEN\nNGA\n");
	assert_int_equal(fx_reply(f, "205", "KEN", BT_AUTHORIZE, "2020-02-01T10:00:00Z", 0), BT_OK);
	assert_int_equal(bt_consultation_close(f->db, "205", "t", T("2020-02-22T08:00:00Z"), NULL, &f->e), BT_OK);
	const char *fra[] = { "FRA" }, *zaf[] = { "ZAF" };
	REFUSED(f, decide(f, BT_DECISION_MORE_TIME, fra, NULL, 1, "2020-03-05", "2020-03-05T10:00:00Z", NULL),
		"more_time: FRA is not in the electorate of circular 205 (a regional group");
	assert_int_equal(decide(f, BT_DECISION_MORE_TIME, zaf, NULL, 1, "2020-03-05", "2020-03-05T10:00:00Z", NULL),
			 BT_OK);
}

static void not_ready_cannot_be_approved(void **state_)
{
	fx *f = *state_;
	fx_circular(f, "205", NULL, NULL);
	assert_int_equal(fx_reply(f, "205", "CHE", BT_NOT_AUTHORIZE, "2020-02-01T10:00:00Z", 1), BT_OK);
	assert_int_equal(bt_consultation_close(f->db, "205", "t", T("2020-02-22T08:00:00Z"), NULL, &f->e), BT_OK);
	assert_string_equal(state(f), BT_STATE_NOT_READY);
	REFUSED(f, decide(f, BT_DECISION_APPROVED, NULL, NULL, 0, "2020-03-05", "2020-03-05T10:00:00Z", NULL),
		"draft: Q.5051 is not-ready; the approved decision needs ready-for-approval or more-time");
	const char *che[] = { "CHE" };
	REFUSED(f, decide(f, BT_DECISION_MORE_TIME, che, NULL, 1, "2020-03-05", "2020-03-05T10:00:00Z", NULL),
		"the more-time decision needs ready-for-approval");
}

/* A decision's event carries its detail as recorded in its row, and its
 * number is the one handed back; an unusable actor is refused after every
 * check passed, and nothing is written. */
static void decision_event_is_its_detail(void **state_)
{
	fx *f = *state_;
	ready(f);
	const char *asked[] = { "GBR", "CHE" };
	bt_decision_spec s = { .circular = "205", .kind = BT_DECISION_MORE_TIME, .codes = asked, .n_codes = 2,
			       .has_date = 1, .date = D("2020-03-10") };
	int64_t seq = -1;
	REFUSED(f, bt_decide(f->db, &s, "", T("2020-03-10T10:00:00Z"), &seq, &f->e), "actor: ");
	assert_int_equal(seq, -1);
	assert_string_equal(state(f), BT_STATE_READY);
	assert_int_equal(bt_decide(f->db, &s, "chair", T("2020-03-10T10:00:00Z"), &seq, &f->e), BT_OK);
	const char *detail = "\"draft\":\"Q.5051\",\"decision\":\"more-time\",\"date\":\"2020-03-10\","
			     "\"from\":\"ready-for-approval\",\"more_time\":[{\"member\":\"GBR\"},{\"member\":\"CHE\"}],"
			     "\"oppose_by\":\"2020-04-10\"";
	char *row = db_text(f->path, "SELECT detail FROM decisions ORDER BY id DESC LIMIT 1");
	assert_string_equal(row, detail);
	free(row);
	char *ev = last_event(f->path), want[400];
	snprintf(want, sizeof want, ",%s}", detail);
	assert_non_null(strstr(ev, "decision 205 {"));
	assert_non_null(strstr(ev, "\"actor\":\"chair\""));
	assert_string_equal(ev + strlen(ev) - strlen(want), want);
	free(ev);
	char *last = db_text(f->path, "SELECT max(seq) FROM events");
	char *rowseq = db_text(f->path, "SELECT event_seq FROM decisions ORDER BY id DESC LIMIT 1");
	assert_int_equal(atoll(last), seq);
	assert_int_equal(atoll(rowseq), seq);
	free(last);
	free(rowseq);
	/* an opposition by a member that never replied is said in the event */
	const char *gbr[] = { "GBR" };
	assert_int_equal(decide(f, BT_DECISION_NOT_APPROVED, gbr, NULL, 1, "2020-03-20", "2020-03-20T10:00:00Z", NULL),
			 BT_OK);
	ev = last_event(f->path);
	assert_non_null(strstr(ev, "\"from\":\"more-time\",\"opposed_by\":[{\"member\":\"GBR\",\"no_reply\":true}]}"));
	free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_and_dates),
		cmocka_unit_test_setup_teardown(approved_with_a_reservation, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(more_time_then_opposition, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(more_time_then_approval, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(more_time_recorded_too_late, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(refused_decisions, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(regional_electorate_limits_who_is_named, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(not_ready_cannot_be_approved, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(decision_event_is_its_detail, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
