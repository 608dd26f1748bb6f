/* test_count.c - which reply counts (count.c: count_resolve), where a new
 * reply stands before it is recorded (count_place_new) and the
 * figures of one draft from its rows (tally.c: tally_rows), the code the
 * tally and the bundle verifier share. Both are engine-internal: includes
 * domain/domain.h. */
#include "fixture.h"
#include "domain/domain.h"

#define DEADLINE 1000
#define INF BT_INF_TIME

static count_row row(const char *member, bt_choice c, bt_time received, bt_time recorded, int att)
{
	count_row r;
	memset(&r, 0, sizeof r);
	snprintf(r.member, sizeof r.member, "%s", member);
	r.choice = c;
	r.received = received;
	r.recorded = recorded;
	r.has_attachment = att;
	r.status = "unset";
	return r;
}

/* The statuses of rows joined by ',' ("-" for NULL). */
static const char *statuses(const count_row *rows, size_t n)
{
	static char out[256];
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", i ? "," : "", rows[i].status ? rows[i].status : "-");
	return out;
}

static void resolve(count_row *rows, size_t n, bt_time as_of, int want_index, int want_withdrawn,
		    const char *want_statuses)
{
	int withdrawn = -1;
	int k = count_resolve(rows, n, DEADLINE, as_of, &withdrawn);
	if (k != want_index || withdrawn != want_withdrawn || strcmp(statuses(rows, n), want_statuses))
		fail_msg("got %d %d %s, want %d %d %s", k, withdrawn, statuses(rows, n), want_index, want_withdrawn,
			 want_statuses);
}

static void the_latest_on_time_reply_counts(void **state)
{
	(void)state;
	count_row r[4];
	r[0] = row("CHE", BT_AUTHORIZE, 100, 0, 0);
	resolve(r, 1, INF, 0, 0, "counted");
	r[1] = row("CHE", BT_NOT_AUTHORIZE, 200, 0, 1);
	resolve(r, 2, INF, 1, 0, "superseded,counted");
	/* at the deadline itself: on time */
	r[1].received = DEADLINE;
	resolve(r, 2, INF, 1, 0, "superseded,counted");
	/* one second later: late, and the earlier one stands */
	r[1].received = DEADLINE + 1;
	resolve(r, 2, INF, 0, 0, "counted,late");
	resolve(r, 0, INF, -1, 0, "");
	/* withdrawn may be NULL */
	r[1].received = 200;
	assert_int_equal(count_resolve(r, 2, DEADLINE, INF, NULL), 1);
}

static void withdrawals(void **state)
{
	(void)state;
	count_row r[4];
	r[0] = row("CHE", BT_AUTHORIZE, 100, 0, 0);
	r[1] = row("CHE", BT_WITHDRAW, 200, 0, 0);
	resolve(r, 2, INF, -1, 1, "withdrawn,withdrawal");
	r[2] = row("CHE", BT_NOT_AUTHORIZE, 300, 0, 0);
	resolve(r, 3, INF, 2, 0, "withdrawn,withdrawal,counted");
	/* a late withdrawal removes nothing */
	r[1].received = DEADLINE + 5;
	resolve(r, 2, INF, 0, 0, "counted,late");
	/* a late reply after an on-time withdrawal: nothing counts, and the
	 * member withdrew */
	r[1].received = 200;
	r[2].received = DEADLINE + 5;
	resolve(r, 3, INF, -1, 1, "withdrawn,withdrawal,late");
}

static void as_of_an_earlier_time(void **state)
{
	(void)state;
	count_row r[3];
	r[0] = row("CHE", BT_AUTHORIZE, 100, 0, 0);
	r[1] = row("CHE", BT_NOT_AUTHORIZE, 200, 0, 1);
	/* before the second was received it does not exist */
	resolve(r, 2, 150, 0, 0, "counted,-");
	resolve(r, 2, 199, 0, 0, "counted,-");
	resolve(r, 2, 200, 1, 0, "superseded,counted");
	resolve(r, 2, 99, -1, 0, "-,-");
	/* received early but recorded later (entered after the fact): not on
	 * record before it was recorded */
	r[1].recorded = 500;
	resolve(r, 2, 499, 0, 0, "counted,-");
	resolve(r, 2, 500, 1, 0, "superseded,counted");
	/* a late reply as of before its arrival is not yet there either */
	r[1] = row("CHE", BT_NOT_AUTHORIZE, DEADLINE + 10, 0, 1);
	resolve(r, 2, DEADLINE + 9, 0, 0, "counted,-");
	resolve(r, 2, DEADLINE + 10, 0, 0, "counted,late");
}

static void place(const count_row *rows, size_t n, bt_time received, int want_in_force, int want_ontime,
		  int want_outdated)
{
	count_place p = { 7, 7, 7 };
	int late = received > DEADLINE;
	count_place_new(rows, n, received, DEADLINE, late, &p);
	if (p.in_force != want_in_force || p.ontime_in_force != want_ontime || p.outdated != want_outdated)
		fail_msg("received %lld: got in_force %d, ontime_in_force %d, outdated %d; want %d %d %d",
			 (long long)received, p.in_force, p.ontime_in_force, p.outdated, want_in_force,
			 want_ontime, want_outdated);
}

/* count_place_new: what a new row would supersede, and whether a row
 * received later already stands over it. */
static void placing_a_new_reply(void **state)
{
	(void)state;
	count_row r[3];
	memset(r, 0, sizeof r);
	place(r, 0, 100, -1, -1, 0); /* the first reply: nothing before, nothing over it */
	r[0] = row("CHE", BT_AUTHORIZE, 100, 0, 0);
	r[1] = row("CHE", BT_NOT_AUTHORIZE, 300, 0, 1);
	place(r, 2, 50, -1, -1, 1);  /* received before both: outdated by them */
	place(r, 2, 200, 0, 0, 1);   /* between: would supersede the first, outdated by the second */
	place(r, 2, 300, 1, 1, 0);   /* at the same time as the second: after it (a higher id) */
	place(r, 2, 400, 1, 1, 0);   /* the latest: supersedes the second */
	/* a late one supersedes nothing on time and is outdated by any later row */
	place(r, 2, DEADLINE + 5, 1, 1, 0);
	r[2] = row("CHE", BT_AUTHORIZE, DEADLINE + 10, 0, 0);
	place(r, 3, DEADLINE + 5, 1, 1, 1);
	place(r, 3, DEADLINE + 20, 2, 1, 0); /* in force at received: the late row; on time: the second */
	/* a later late row does not stand over an on-time one */
	place(r, 3, 500, 1, 1, 0);
	/* a withdrawal in force: nothing to supersede */
	r[1] = row("CHE", BT_WITHDRAW, 300, 0, 0);
	place(r, 2, 400, -1, -1, 0);
	place(r, 2, 200, 0, 0, 1);   /* before the withdrawal: the first is in force, the withdrawal over it */
}

/* count_place_new agrees with count_resolve: a new on-time reply counts
 * once recorded exactly when it is not outdated, and then the row it
 * supersedes (ontime_in_force) is the one counted before it. */
static void placing_agrees_with_counting(void **state)
{
	(void)state;
	const bt_time times[] = { 50, 100, 150, 300, 500, DEADLINE, DEADLINE + 1, DEADLINE + 20, DEADLINE + 50 };
	const count_row base[] = { row("CHE", BT_AUTHORIZE, 100, 0, 0), row("CHE", BT_WITHDRAW, 300, 0, 0),
				   row("CHE", BT_NOT_AUTHORIZE, 500, 0, 1),
				   row("CHE", BT_AUTHORIZE, DEADLINE + 20, 0, 0) };
	size_t nb = sizeof base / sizeof *base, checked = 0;
	for (size_t k = 0; k <= nb; k++) /* the first k rows of base */
		for (size_t t = 0; t < sizeof times / sizeof *times; t++) {
			count_row r[8];
			memcpy(r, base, k * sizeof *r);
			count_place p;
			int late = times[t] > DEADLINE;
			count_place_new(r, k, times[t], DEADLINE, late, &p);
			int before = count_resolve(r, k, DEADLINE, INF, NULL);
			/* the new row, after the rows received at or before it */
			size_t at = 0;
			while (at < k && r[at].received <= times[t])
				at++;
			memmove(r + at + 1, r + at, (k - at) * sizeof *r);
			r[at] = row("CHE", BT_NOT_AUTHORIZE, times[t], 0, 1);
			int now = count_resolve(r, k + 1, DEADLINE, INF, NULL);
			int counts = now == (int)at;
			if (counts != (!late && !p.outdated))
				fail_msg("k %zu, received %lld: counts %d, late %d, outdated %d", k,
					 (long long)times[t], counts, late, p.outdated);
			if (counts && p.ontime_in_force != before)
				fail_msg("k %zu, received %lld: supersedes %d, counted before %d", k,
					 (long long)times[t], p.ontime_in_force, before);
			checked++;
		}
	assert_int_equal(checked, 45);
}

static void one_drafts_figures(void **state)
{
	(void)state;
	const bt_rule *tap = bt_rule_find("tap");
	assert_non_null(tap);
	/* sorted by member, received, id */
	count_row r[] = {
		row("AAA", BT_AUTHORIZE, 100, 0, 0),
		row("BBB", BT_NOT_AUTHORIZE, 100, 0, 1),
		row("CCC", BT_NOT_AUTHORIZE, 100, 0, 0),
		row("DDD", BT_AUTHORIZE, 100, 0, 0),
		row("DDD", BT_WITHDRAW, 200, 0, 0),
		row("EEE", BT_AUTHORIZE, DEADLINE + 1, 0, 0),
		row("FFF", BT_AUTHORIZE_WITH_COMMENTS, 100, 0, 1),
		row("FFF", BT_NOT_AUTHORIZE, DEADLINE + 1, 0, 1),
		row("GGG", BT_AUTHORIZE, 100, 0, 0),
		row("GGG", BT_WITHDRAW, 200, 0, 0),
		row("GGG", BT_AUTHORIZE, DEADLINE + 2, 0, 0),
	};
	size_t n = sizeof r / sizeof *r;
	bt_tally t;
	memset(&t, 0, sizeof t);
	t.deadline = DEADLINE;
	t.as_of = DEADLINE + 100;
	t.final = 1;
	t.electorate = 10;
	bt_draft_tally d;
	memset(&d, 0, sizeof d);
	tally_rows(tap, r, n, &t, &d);
	assert_int_equal(d.replies, 4);            /* AAA, BBB, CCC, FFF */
	assert_int_equal(d.support, 2);
	assert_int_equal(d.authorize, 1);
	assert_int_equal(d.authorize_with_comments, 1);
	assert_int_equal(d.not_authorize, 2);
	assert_int_equal(d.not_authorize_without_reasons, 1); /* CCC */
	assert_int_equal(d.late, 3);               /* EEE, FFF's second, GGG's last */
	assert_int_equal(d.withdrawn, 2);          /* DDD, GGG */
	assert_int_equal(d.outstanding, 6);
	assert_int_equal(d.outstanding_late, 2);   /* EEE, GGG: late wins over withdrawn */
	assert_int_equal(d.outstanding_withdrawn, 1); /* DDD */
	assert_int_equal(d.did_not_reply, 3);
	assert_int_equal(d.support_pct10, 500);
	assert_int_equal(d.threshold_pct, 70);
	assert_string_equal(d.if_closed_now, "not-proceed");
	assert_string_equal(d.outcome, "not-proceed");
	assert_int_equal(d.support_needed, -1);    /* final: nothing more can come */
	assert_int_equal(d.opposition_to_block, -1);
	assert_string_equal(d.state, BT_STATE_AWAITING_CLOSE);

	/* before the deadline: pending, and what could still change it */
	memset(&d, 0, sizeof d);
	t.as_of = 500;
	t.final = 0;
	tally_rows(tap, r, n, &t, &d);
	assert_int_equal(d.replies, 4);            /* GGG, DDD withdrawn; EEE not yet */
	assert_int_equal(d.late, 0);
	assert_int_equal(d.withdrawn, 2);
	assert_int_equal(d.outstanding_withdrawn, 2);
	assert_int_equal(d.outstanding_late, 0);
	assert_string_equal(d.outcome, "pending");
	assert_int_equal(d.support_needed, 3);     /* (2+3)/(4+3) = 71 % */
	assert_int_equal(d.opposition_to_block, 0); /* it fails already */
	assert_string_equal(d.state, BT_STATE_IN_CONSULTATION);

	/* two thirds round to 66.7 % */
	count_row s[] = { row("AAA", BT_AUTHORIZE, 1, 0, 0), row("BBB", BT_AUTHORIZE, 1, 0, 0),
			  row("CCC", BT_NOT_AUTHORIZE, 1, 0, 1) };
	memset(&d, 0, sizeof d);
	tally_rows(tap, s, 3, &t, &d);
	assert_int_equal(d.support_pct10, 667);
	/* no replies: no share, and TAP proceeds */
	memset(&d, 0, sizeof d);
	tally_rows(tap, s, 0, &t, &d);
	assert_int_equal(d.support_pct10, -1);
	assert_string_equal(d.if_closed_now, "proceed");
	assert_int_equal(d.did_not_reply, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_latest_on_time_reply_counts),
		cmocka_unit_test(withdrawals),
		cmocka_unit_test(as_of_an_earlier_time),
		cmocka_unit_test(placing_a_new_reply),
		cmocka_unit_test(placing_agrees_with_counting),
		cmocka_unit_test(one_drafts_figures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
