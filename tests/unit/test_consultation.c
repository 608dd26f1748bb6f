/* test_consultation.c - registering a consultation (consultation.c): its
 * deadline under each rule, its electorate, moving the deadline, closing;
 * and every refused input leaves the database as it was. */
#include "dump.h"

static bt_consultation_spec spec(const char *circular)
{
	bt_consultation_spec s = { 0 };
	s.circular = circular;
	s.group = 11;
	s.date = D("2019-12-02");
	s.meeting_start = D("2020-03-04");
	s.meeting_end = D("2020-03-13");
	return s;
}

static int create(fx *f, const bt_consultation_spec *s, bt_consultation *out, char *warn, size_t n)
{
	return bt_consultation_create(f->db, s, "test", T("2019-12-02T09:00:00Z"), out, warn, n, &f->e);
}

static void fmt(bt_time t, char out[BT_TIME_LEN])
{
	bt_time_format(t, out);
}

static void create_and_get(void **state)
{
	fx *f = *state;
	bt_consultation_spec s = spec("205");
	bt_consultation c, g;
	char warn[300], t[BT_TIME_LEN];
	assert_int_equal(create(f, &s, &c, warn, sizeof warn), BT_OK);
	assert_string_equal(warn, ""); /* three months before the meeting */
	assert_string_equal(c.circular, "205");
	assert_int_equal(c.group, 11);
	assert_string_equal(c.rule, "tap");
	fmt(c.deadline, t);
	/* §9.4.1: the default TAP deadline, working days before the meeting */
	assert_string_equal(t, "2020-02-21T23:59:00Z");
	assert_int_equal(c.closed, 0);
	assert_int_equal(c.drafts, 0);
	assert_int_equal(c.custom_electorate, 0);
	bt_member_list m;
	assert_int_equal(bt_members_list(f->db, D("2019-12-02"), &m, &f->e), BT_OK);
	assert_int_equal(c.electorate, (int)m.n);
	assert_int_equal(c.electorate, 193); /* Palau joined in 2024 */
	bt_member_list_free(&m);

	assert_int_equal(bt_consultation_get(f->db, "205", &g, &f->e), BT_OK);
	assert_int_equal(g.id, c.id);
	assert_int_equal(g.deadline, c.deadline);
	assert_int_equal(g.electorate, c.electorate);
	assert_int_equal(bt_consultation_get(f->db, "206", &g, &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "circular: no consultation '206'");

	int in = -1;
	assert_int_equal(bt_electorate_has(f->db, "205", "che", &in, &f->e), BT_OK);
	assert_int_equal(in, 1);
	assert_int_equal(bt_electorate_has(f->db, "205", "PLW", &in, &f->e), BT_OK);
	assert_int_equal(in, 0);
	assert_int_equal(bt_electorate_has(f->db, "205", "XXX", &in, &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "XXX"));
	assert_int_equal(bt_electorate_has(f->db, "999", "CHE", &in, &f->e), BT_EINPUT);
}

static void rules_give_their_deadlines(void **state)
{
	fx *f = *state;
	bt_consultation_spec s = spec("Q1");
	bt_consultation c;
	char warn[300], t[BT_TIME_LEN];
	s.rule = "question";
	assert_int_equal(create(f, &s, &c, warn, sizeof warn), BT_OK);
	fmt(c.deadline, t);
	assert_string_equal(t, "2020-02-02T23:59:00Z"); /* two months */
	assert_string_equal(c.rule, "question");
	s = spec("D1");
	s.rule = "deletion";
	assert_int_equal(create(f, &s, &c, warn, sizeof warn), BT_OK);
	fmt(c.deadline, t);
	assert_string_equal(t, "2020-03-02T23:59:00Z"); /* three months */
	/* a short notice is a warning, not a refusal */
	s = spec("206");
	s.date = D("2020-01-10");
	assert_int_equal(create(f, &s, &c, warn, sizeof warn), BT_OK);
	assert_non_null(strstr(warn, "circular date 2020-01-10 is less than three months before the meeting (2020-03-04)"));

	bt_consultation_list l;
	assert_int_equal(bt_consultations_list(f->db, 11, &l, &f->e), BT_OK);
	assert_int_equal(l.n, 3);
	/* by deadline */
	assert_string_equal(l.v[0].circular, "Q1");
	assert_string_equal(l.v[1].circular, "206");
	assert_string_equal(l.v[2].circular, "D1");
	bt_consultation_list_free(&l);
	assert_int_equal(bt_consultations_list(f->db, 12, &l, &f->e), BT_OK);
	assert_int_equal(l.n, 0);
	bt_consultation_list_free(&l);
}

/* A member's consultations: those whose electorate holds it (any spelling
 * of its code), by deadline; an unknown member is refused. */
static void consultations_of_a_member(void **state)
{
	fx *f = *state;
	bt_consultation c;
	char warn[300];
	bt_consultation_spec s = spec("205");
	assert_int_equal(create(f, &s, &c, warn, sizeof warn), BT_OK);
	s = spec("206");
	s.electorate = "ZAF\nKEN\n";
	s.electorate_len = strlen(s.electorate);
	assert_int_equal(create(f, &s, &c, warn, sizeof warn), BT_OK);
	bt_consultation_list l;
	assert_int_equal(bt_consultations_of_member(f->db, "ken", &l, &f->e), BT_OK);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].circular, "205");
	assert_string_equal(l.v[1].circular, "206");
	assert_int_equal(l.v[1].electorate, 2);
	assert_int_equal(l.v[1].custom_electorate, 1);
	bt_consultation_list_free(&l);
	assert_int_equal(bt_consultations_of_member(f->db, "FR", &l, &f->e), BT_OK);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].circular, "205");
	bt_consultation_list_free(&l);
	assert_int_equal(bt_consultations_of_member(f->db, "XXX", &l, &f->e), BT_EINPUT);
	assert_int_equal(l.n, 0);
	assert_string_equal(f->e.field, "member");
}

static void explicit_deadlines(void **state)
{
	fx *f = *state;
	bt_consultation_spec s = spec("205");
	bt_consultation c;
	char warn[300], t[BT_TIME_LEN];
	s.has_deadline = 1;
	s.deadline = T("2020-02-15T23:59:00Z");
	REFUSED(f, create(f, &s, &c, warn, sizeof warn),
		"deadline: 2020-02-15T23:59:00Z falls on a Saturday ({force_deadline} {reason} TEXT keeps it)");
	s.deadline = T("2020-02-28T23:59:00Z");
	REFUSED(f, create(f, &s, &c, warn, sizeof warn), "working days before the meeting; WTSA Res. 1 §9.4.1 asks for seven");
	s.deadline = T("2020-03-04T00:00:00Z");
	REFUSED(f, create(f, &s, &c, warn, sizeof warn), "deadline: 2020-03-04T00:00:00Z is not before the meeting's first day 2020-03-04");
	s.deadline = T("2019-12-01T12:00:00Z");
	REFUSED(f, create(f, &s, &c, warn, sizeof warn), "deadline: 2019-12-01T12:00:00Z is before the circular's date 2019-12-02");
	/* forced, with a reason */
	s.deadline = T("2020-02-15T23:59:00Z");
	s.force_deadline = 1;
	REFUSED(f, create(f, &s, &c, warn, sizeof warn), "reason: required with {force_deadline}");
	s.reason = "the meeting moved";
	assert_int_equal(create(f, &s, &c, warn, sizeof warn), BT_OK);
	fmt(c.deadline, t);
	assert_string_equal(t, "2020-02-15T23:59:00Z");
	bt_tally tl;
	assert_int_equal(bt_tally_compute(f->db, "205", T("2020-01-01T00:00:00Z"), &tl, &f->e), BT_OK);
	assert_string_equal(tl.deadline_forced, "the meeting moved");
	bt_tally_free(&tl);
	/* forcing a deadline that breaks no rule */
	s = spec("206");
	s.has_deadline = 1;
	s.deadline = T("2020-02-14T23:59:00Z");
	s.force_deadline = 1;
	s.reason = "why not";
	REFUSED(f, create(f, &s, &c, warn, sizeof warn), "breaks no rule of §9.4.1; nothing to force");
	s.force_deadline = 0;
	REFUSED(f, create(f, &s, &c, warn, sizeof warn), "reason: only with {force_deadline}");
	s.reason = NULL;
	assert_int_equal(create(f, &s, &c, warn, sizeof warn), BT_OK);
	s.has_deadline = 0;
	s.force_deadline = 1;
	s.circular = "207";
	s.reason = "x";
	REFUSED(f, create(f, &s, &c, warn, sizeof warn), "force_deadline: only with an explicit {deadline}");
}

static void bad_specs_are_refused(void **state)
{
	fx *f = *state;
	bt_consultation_spec s;
	bt_consultation c;
	char warn[300];
	static const char *bad_ids[] = { "", "../205", ".205", "a/b", "a\\b", "a b", "a..b",
					 "123456789012345678901234567890123" };
	for (size_t i = 0; i < sizeof bad_ids / sizeof *bad_ids; i++) {
		s = spec(bad_ids[i]);
		REFUSED(f, create(f, &s, &c, warn, sizeof warn), "is not a circular ID");
	}
	s = spec(NULL);
	REFUSED(f, create(f, &s, &c, warn, sizeof warn), "circular: '(unprintable)' is not a circular ID");
	s = spec("205");
	s.group = 0;
	REFUSED(f, create(f, &s, &c, warn, sizeof warn), "group: '0' is not a study group number (1-99)");
	s.group = 100;
	REFUSED(f, create(f, &s, &c, warn, sizeof warn), "group: '100' is not a study group number");
	s = spec("205");
	s.rule = "majority";
	REFUSED(f, create(f, &s, &c, warn, sizeof warn), "rule: 'majority' is not a rule (tap, question, deletion)");
	s = spec("205");
	s.meeting_end = D("2020-03-03");
	REFUSED(f, create(f, &s, &c, warn, sizeof warn), "meeting_end: 2020-03-03 is before {meeting_start} 2020-03-04");
	s = spec("205");
	s.date = D("2020-03-04");
	REFUSED(f, create(f, &s, &c, warn, sizeof warn), "date: circular date 2020-03-04 is not before the meeting (2020-03-04)");
	s = spec("205");
	assert_int_equal(create(f, &s, &c, warn, sizeof warn), BT_OK);
	REFUSED(f, create(f, &s, &c, warn, sizeof warn), "circular: consultation '205' already exists");
	/* the longest ID is fine */
	s = spec("12345678901234567890123456789012");
	assert_int_equal(create(f, &s, &c, warn, sizeof warn), BT_OK);
}

static void electorate_files(void **state)
{
	fx *f = *state;
	bt_consultation_spec s = spec("205");
	bt_consultation c;
	char warn[300];
	const char *text = "# regional\nZAF\n  ng  # Nigeria, alpha-2 in lower case\n\nKEN\r\n";
	s.electorate = text;
	s.electorate_len = strlen(text);
	assert_int_equal(create(f, &s, &c, warn, sizeof warn), BT_OK);
	assert_int_equal(c.electorate, 3);
	assert_int_equal(c.custom_electorate, 1);
	bt_member_list m;
	assert_int_equal(bt_electorate_list(f->db, "205", &m, &f->e), BT_OK);
	assert_int_equal(m.n, 3);
	assert_string_equal(m.v[0].code, "KEN");
	assert_string_equal(m.v[1].code, "NGA");
	assert_string_equal(m.v[2].code, "ZAF");
	bt_member_list_free(&m);
	int in;
	assert_int_equal(bt_electorate_has(f->db, "205", "FRA", &in, &f->e), BT_OK);
	assert_int_equal(in, 0);

	struct {
		const char *text, *want;
	} bad[] = {
		{ "ZAF\nKEN\nZA\n", "electorate line 3: 'ZA' is ZAF, already on line 1: one line per member" },
		{ "ZAF KEN\n", "electorate line 1: one member code per line, found more after 'ZAF'" },
		{ "ZAF\nXXX\n", "electorate line 2: " },
		{ "# nobody\n\n", "electorate: the file lists no Member State" },
		{ "PLW\n", "electorate line 1: PLW became a Member State on 2024-09-19, after the circular's date 2019-12-02" },
		{ "ZAF\n\xff\n", "electorate: not valid UTF-8 text" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		s = spec("206");
		s.electorate = bad[i].text;
		s.electorate_len = strlen(bad[i].text);
		REFUSED(f, create(f, &s, &c, warn, sizeof warn), bad[i].want);
	}
}

static void moving_the_deadline(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	/* two replies after the first deadline: late, then on time */
	assert_int_equal(fx_reply(f, "205", "CHE", BT_AUTHORIZE, "2020-02-22T10:00:00Z", 0), BT_OK);
	assert_int_equal(fx_reply(f, "205", "FRA", BT_AUTHORIZE, "2020-02-23T10:00:00Z", 0), BT_OK);
	bt_tally t;
	assert_int_equal(bt_tally_compute(f->db, "205", T("2020-02-24T00:00:00Z"), &t, &f->e), BT_OK);
	assert_int_equal(t.drafts[0].late, 2);
	bt_tally_free(&t);
	bt_time now = T("2020-02-24T00:00:00Z");
	int n = -1;
	REFUSED(f, bt_consultation_set_deadline(f->db, "205", T("2020-02-26T23:59:00Z"), NULL, "t", now, &n, &f->e),
		"reason: required (why the deadline moves)");
	REFUSED(f, bt_consultation_set_deadline(f->db, "205", T("2020-02-26T23:59:00Z"), "a\x01", "t", now, &n, &f->e),
		"reason: not 1-500 bytes");
	REFUSED(f, bt_consultation_set_deadline(f->db, "205", T("2020-02-21T23:59:00Z"), "r", "t", now, &n, &f->e),
		"new_deadline: 2020-02-21T23:59:00Z is already the deadline");
	REFUSED(f, bt_consultation_set_deadline(f->db, "205", T("2020-02-23T23:59:00Z"), "r", "t", now, &n, &f->e),
		"new_deadline: 2020-02-23T23:59:00Z is already past");
	REFUSED(f, bt_consultation_set_deadline(f->db, "205", T("2020-03-04T00:00:00Z"), "r", "t", now, &n, &f->e),
		"new_deadline: 2020-03-04T00:00:00Z is not before the meeting's first day 2020-03-04");
	REFUSED(f, bt_consultation_set_deadline(f->db, "999", T("2020-02-26T23:59:00Z"), "r", "t", now, &n, &f->e),
		"circular: no consultation '999'");
	assert_int_equal(bt_consultation_set_deadline(f->db, "205", T("2020-02-26T23:59:00Z"), "the server was down", "t",
						      now, &n, &f->e), BT_OK);
	assert_int_equal(n, 2);
	bt_consultation c;
	char ts[BT_TIME_LEN];
	assert_int_equal(bt_consultation_get(f->db, "205", &c, &f->e), BT_OK);
	fmt(c.deadline, ts);
	assert_string_equal(ts, "2020-02-26T23:59:00Z");
	assert_int_equal(bt_tally_compute(f->db, "205", now, &t, &f->e), BT_OK);
	assert_int_equal(t.drafts[0].late, 0);
	assert_int_equal(t.drafts[0].replies, 2);
	bt_tally_free(&t);
	bt_deadline_info di;
	assert_int_equal(bt_deadline_info_get(f->db, "205", &di, &f->e), BT_OK);
	assert_int_equal(di.nchanges, 1);
	assert_string_equal(di.changes[0].reason, "the server was down");
	assert_int_equal(di.changes[0].old_deadline, T("2020-02-21T23:59:00Z"));
	assert_int_equal(di.first_deadline, T("2020-02-21T23:59:00Z"));
	bt_deadline_info_free(&di);
	/* closed: no more moves */
	assert_int_equal(bt_consultation_close(f->db, "205", "t", T("2020-02-27T00:00:00Z"), NULL, &f->e), BT_OK);
	REFUSED(f, bt_consultation_set_deadline(f->db, "205", T("2020-02-28T23:59:00Z"), "r", "t",
						T("2020-02-27T01:00:00Z"), &n, &f->e),
		"was closed at 2020-02-27T00:00:00Z; its deadline can no longer move");
}

static void closing_freezes_the_outcome(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	assert_int_equal(fx_reply(f, "205", "CHE", BT_NOT_AUTHORIZE, "2020-02-01T10:00:00Z", 1), BT_OK);
	assert_int_equal(fx_reply(f, "205", "FRA", BT_AUTHORIZE, "2020-02-01T11:00:00Z", 0), BT_OK);
	REFUSED(f, bt_consultation_close(f->db, "205", "t", T("2020-02-21T23:59:00Z"), NULL, &f->e),
		"circular: consultation '205' cannot close before its deadline 2020-02-21T23:59:00Z");
	REFUSED(f, bt_consultation_close(f->db, "999", "t", T("2020-02-22T00:00:00Z"), NULL, &f->e),
		"circular: no consultation '999'");
	bt_tally frozen;
	assert_int_equal(bt_consultation_close(f->db, "205", "t", T("2020-02-22T08:00:00Z"), &frozen, &f->e), BT_OK);
	assert_int_equal(frozen.drafts[0].replies, 2);
	assert_int_equal(frozen.drafts[0].support_pct10, 500);
	assert_string_equal(frozen.drafts[0].if_closed_now, "not-proceed"); /* 50 % < 70 % */
	bt_tally_free(&frozen);
	bt_consultation c;
	assert_int_equal(bt_consultation_get(f->db, "205", &c, &f->e), BT_OK);
	assert_int_equal(c.closed, 1);
	assert_int_equal(c.closed_at, T("2020-02-22T08:00:00Z"));
	bt_draft d;
	assert_int_equal(bt_draft_find(f->db, "205", NULL, &d, &f->e), BT_OK);
	assert_string_equal(d.state, BT_STATE_NOT_READY);
	assert_string_equal(d.outcome, "not-proceed");
	bt_draft_clear(&d);
	REFUSED(f, bt_consultation_close(f->db, "205", "t", T("2020-02-23T00:00:00Z"), NULL, &f->e),
		"circular: consultation '205' was already closed at 2020-02-22T08:00:00Z");

	/* a consultation without drafts cannot close */
	bt_consultation_spec s = spec("206");
	char warn[300];
	assert_int_equal(create(f, &s, &c, warn, sizeof warn), BT_OK);
	REFUSED(f, bt_consultation_close(f->db, "206", "t", T("2020-02-22T08:00:00Z"), NULL, &f->e),
		"circular: consultation '206' has no drafts to close");
}

/* The warnings of a consultation registered all the same, one a line. */
static void warnings_one_a_line(void **state)
{
	fx *f = *state;
	bt_consultation_spec s = spec("Q1");
	bt_consultation c;
	char warn[600];
	/* a question's two months end after the meeting began, and before now */
	s.rule = "question";
	s.meeting_start = D("2020-01-15");
	s.meeting_end = D("2020-01-20");
	assert_int_equal(bt_consultation_create(f->db, &s, "test", T("2020-03-01T00:00:00Z"), &c, warn, sizeof warn,
						&f->e), BT_OK);
	assert_string_equal(warn, "deadline 2020-02-02T23:59:00Z falls on or after the meeting's first day\n"
			    "deadline 2020-02-02T23:59:00Z is already past: every reply recorded from now on is late "
			    "(a consultation of the past is recorded under its own clock, BALLOT_NOW)");
	/* TAP: a short notice, and a default deadline already past */
	s = spec("205");
	s.date = D("2020-01-10");
	assert_int_equal(bt_consultation_create(f->db, &s, "test", T("2020-03-01T00:00:00Z"), &c, warn, sizeof warn,
						&f->e), BT_OK);
	assert_string_equal(warn, "circular date 2020-01-10 is less than three months before the meeting (2020-03-04); "
			    "WTSA Res. 1 §9.3.3 asks for three\n"
			    "deadline 2020-02-21T23:59:00Z is already past: every reply recorded from now on is late "
			    "(a consultation of the past is recorded under its own clock, BALLOT_NOW)");
	/* no room for warnings: none asked for */
	s = spec("206");
	s.date = D("2020-01-10");
	assert_int_equal(bt_consultation_create(f->db, &s, "test", T("2020-01-10T00:00:00Z"), NULL, NULL, 0, &f->e),
			 BT_OK);
}

/* An explicit deadline on a day ITU is closed, or already past, is kept
 * only when forced. */
static void explicit_deadline_closed_or_past(void **state)
{
	fx *f = *state;
	bt_consultation_spec s = spec("205");
	bt_consultation c;
	char warn[300];
	assert_int_equal(bt_calendar_add(f->db, D("2020-02-14"), "A test closure", "test", T("2019-12-01T00:00:00Z"),
					 &f->e), BT_OK);
	s.has_deadline = 1;
	s.deadline = T("2020-02-14T23:59:00Z");
	REFUSED(f, create(f, &s, &c, warn, sizeof warn),
		"deadline: 2020-02-14T23:59:00Z falls on a day ITU is closed (A test closure)");
	s.deadline = T("2020-02-13T23:59:00Z");
	REFUSED(f, bt_consultation_create(f->db, &s, "test", T("2020-02-14T00:00:00Z"), &c, warn, sizeof warn, &f->e),
		"deadline: 2020-02-13T23:59:00Z is already past ({force_deadline} {reason} TEXT keeps it)");
	s.force_deadline = 1;
	s.reason = "recorded late";
	assert_int_equal(bt_consultation_create(f->db, &s, "test", T("2020-02-14T00:00:00Z"), &c, warn, sizeof warn,
						&f->e), BT_OK);
	assert_int_equal(c.deadline, T("2020-02-13T23:59:00Z"));
	assert_string_equal(warn, ""); /* an explicit past deadline is the refusal's, not a warning */
	char *ev = last_event(f->path);
	assert_non_null(strstr(ev, "\"deadline_forced\":\"recorded late\""));
	free(ev);
}

/* A closed day before the meeting moves the default deadline a working day
 * earlier, is recorded with it (row and event), and the deadline the
 * calendar would give today follows the calendar. */
static void closed_days_skipped_are_recorded(void **state)
{
	fx *f = *state;
	bt_consultation_spec s = spec("205");
	bt_consultation c;
	char warn[300];
	assert_int_equal(bt_calendar_add(f->db, D("2020-02-27"), "A test closure", "test", T("2019-12-01T00:00:00Z"),
					 &f->e), BT_OK);
	assert_int_equal(create(f, &s, &c, warn, sizeof warn), BT_OK);
	assert_int_equal(c.deadline, T("2020-02-20T23:59:00Z"));
	char *ev = last_event(f->path);
	assert_non_null(strstr(ev, "consultation 205 {"));
	assert_non_null(strstr(ev, "\"deadline\":\"2020-02-20T23:59:00Z\""));
	assert_non_null(strstr(ev, "\"skipped_closed_days\":[{\"date\":\"2020-02-27\",\"name\":\"A test closure\"}]"));
	assert_non_null(strstr(ev, "\"electorate\":[\"AFG\","));
	free(ev);
	bt_deadline_info di;
	assert_int_equal(bt_deadline_info_get(f->db, "205", &di, &f->e), BT_OK);
	assert_int_equal(di.with_calendar, 1);
	assert_int_equal(di.nskipped, 1);
	assert_int_equal(di.skipped[0].day, D("2020-02-27"));
	assert_string_equal(di.skipped[0].name, "A test closure");
	assert_int_equal(di.first_deadline, T("2020-02-20T23:59:00Z"));
	assert_int_equal(di.default_deadline, T("2020-02-20T23:59:00Z"));
	assert_int_equal(di.has_today, 1);
	assert_int_equal(di.today_deadline, T("2020-02-20T23:59:00Z"));
	assert_int_equal(di.nchanges, 0);
	bt_deadline_info_free(&di);
	assert_int_equal(bt_calendar_remove(f->db, D("2020-02-27"), "test", T("2019-12-03T00:00:00Z"), &f->e), BT_OK);
	assert_int_equal(bt_deadline_info_get(f->db, "205", &di, &f->e), BT_OK);
	assert_int_equal(di.today_deadline, T("2020-02-21T23:59:00Z"));
	assert_int_equal(di.first_deadline, T("2020-02-20T23:59:00Z"));
	bt_deadline_info_free(&di);
	/* a question's deadline is its period's: no closed day skipped, none today */
	s = spec("Q1");
	s.rule = "question";
	assert_int_equal(create(f, &s, &c, warn, sizeof warn), BT_OK);
	assert_int_equal(bt_deadline_info_get(f->db, "Q1", &di, &f->e), BT_OK);
	assert_int_equal(di.with_calendar, 1);
	assert_int_equal(di.nskipped, 0);
	assert_int_equal(di.has_today, 0);
	bt_deadline_info_free(&di);
	assert_int_equal(bt_deadline_info_get(f->db, "999", &di, &f->e), BT_EINPUT);
}

/* An electorate file may open with a byte order mark; an unprintable
 * second code is not echoed. */
static void electorate_file_edges(void **state)
{
	fx *f = *state;
	bt_consultation_spec s = spec("205");
	bt_consultation c;
	char warn[300];
	const char *bom = "\xef\xbb\xbf" "ZAF\nKEN # Kenya\n";
	s.electorate = bom;
	s.electorate_len = strlen(bom);
	assert_int_equal(create(f, &s, &c, warn, sizeof warn), BT_OK);
	assert_int_equal(c.electorate, 2);
	char *ev = last_event(f->path);
	assert_non_null(strstr(ev, "\"custom_electorate\":true,\"electorate\":[\"KEN\",\"ZAF\"]"));
	free(ev);
	const char *two = "ZAF\nKEN NGA\n";
	s = spec("206");
	s.electorate = two;
	s.electorate_len = strlen(two);
	REFUSED(f, create(f, &s, &c, warn, sizeof warn),
		"electorate line 2: one member code per line, found more after 'KEN'");
	const char *nul = "ZAF\0KEN\n";
	s.electorate = nul;
	s.electorate_len = 8;
	REFUSED(f, create(f, &s, &c, warn, sizeof warn), "electorate: not valid UTF-8 text");
}

/* Each write's event is reserved after its check: an unusable actor is
 * refused there and nothing is written (the tally a close computed is
 * released: the ASan run of this test shows no leak). */
static void a_bad_actor_writes_nothing(void **state)
{
	fx *f = *state;
	bt_consultation_spec s = spec("205");
	char warn[300];
	REFUSED(f, bt_consultation_create(f->db, &s, "", T("2019-12-02T09:00:00Z"), NULL, warn, sizeof warn, &f->e),
		"actor: ");
	fx_circular(f, "205", NULL, NULL);
	int n = -1;
	REFUSED(f, bt_consultation_set_deadline(f->db, "205", T("2020-02-26T23:59:00Z"), "r", "bad\nactor",
						T("2020-02-01T00:00:00Z"), &n, &f->e),
		"actor: ");
	assert_int_equal(n, -1);
	bt_tally t;
	REFUSED(f, bt_consultation_close(f->db, "205", "", T("2020-02-22T08:00:00Z"), &t, &f->e), "actor: ");
}

/* Moving a question's deadline past the meeting's start is allowed (only
 * TAP ties it to the meeting); the event records the move. */
static void moving_a_question_deadline(void **state)
{
	fx *f = *state;
	bt_consultation_spec s = spec("Q1");
	bt_consultation c;
	char warn[300];
	s.rule = "question";
	assert_int_equal(create(f, &s, &c, warn, sizeof warn), BT_OK);
	int n = -1;
	assert_int_equal(bt_consultation_set_deadline(f->db, "Q1", T("2020-03-10T23:59:00Z"), "more time", "t",
						      T("2020-01-10T00:00:00Z"), &n, &f->e), BT_OK);
	assert_int_equal(n, 0);
	char *ev = last_event(f->path);
	assert_non_null(strstr(ev, "deadline Q1 {"));
	assert_non_null(strstr(ev, "\"old_deadline\":\"2020-02-02T23:59:00Z\",\"deadline\":\"2020-03-10T23:59:00Z\","
				   "\"reason\":\"more time\""));
	free(ev);
	REFUSED(f, bt_consultation_set_deadline(f->db, "Q1", T("2019-12-01T23:59:00Z"), "r", "t",
						T("2019-12-01T00:00:00Z"), &n, &f->e),
		"new_deadline: 2019-12-01T23:59:00Z is before the circular's date 2019-12-02");
}

/* Closing two drafts freezes each its own outcome; the close event lists
 * both with their counts. */
static void closing_two_drafts(void **state)
{
	fx *f = *state;
	fx_circular(f, "205", NULL, NULL);
	bt_draft_spec d = { .circular = "205", .rec = "Q.5052", .title = "Second", .summary = "Another." };
	assert_int_equal(bt_draft_add(f->db, &d, "test", T("2019-12-03T00:00:00Z"), NULL, &f->e), BT_OK);
	bt_attachment_in a = { "reasons.txt", "some text", 9 };
	bt_reply_spec r = { .circular = "205", .member = "CHE", .rec = "Q.5052", .choice = BT_NOT_AUTHORIZE,
			    .channel = "email", .attachments = &a, .n_attachments = 1 };
	bt_reply_result rr;
	assert_int_equal(bt_reply_record(f->db, &r, "test", T("2020-02-01T10:00:00Z"), &rr, &f->e), BT_OK);
	assert_int_equal(bt_consultation_close(f->db, "205", "t", T("2020-02-22T08:00:00Z"), NULL, &f->e), BT_OK);
	char *ev = last_event(f->path);
	assert_non_null(strstr(ev, "close 205 {"));
	assert_non_null(strstr(ev, "\"deadline\":\"2020-02-21T23:59:00Z\",\"rule\":\"tap\",\"drafts\":["
				   "{\"rec\":\"Q.5051\",\"outcome\":\"proceed\",\"replies\":0,\"support\":0,"
				   "\"not_authorize\":0,\"late\":0},"
				   "{\"rec\":\"Q.5052\",\"outcome\":\"not-proceed\",\"replies\":1,\"support\":0,"
				   "\"not_authorize\":1,\"late\":0}]}"));
	free(ev);
	bt_draft x;
	assert_int_equal(bt_draft_find(f->db, "205", "Q.5051", &x, &f->e), BT_OK);
	assert_string_equal(x.state, BT_STATE_READY);
	assert_string_equal(x.outcome, "proceed");
	bt_draft_clear(&x);
	assert_int_equal(bt_draft_find(f->db, "205", "Q.5052", &x, &f->e), BT_OK);
	assert_string_equal(x.state, BT_STATE_NOT_READY);
	assert_string_equal(x.outcome, "not-proceed");
	bt_draft_clear(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(create_and_get, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(rules_give_their_deadlines, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(explicit_deadlines, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(bad_specs_are_refused, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(electorate_files, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(moving_the_deadline, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(closing_freezes_the_outcome, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(warnings_one_a_line, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(explicit_deadline_closed_or_past, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(closed_days_skipped_are_recorded, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(electorate_file_edges, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(a_bad_actor_writes_nothing, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(moving_a_question_deadline, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(closing_two_drafts, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(consultations_of_a_member, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
