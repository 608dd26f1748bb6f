/* test_once.c - single-use form tokens kept with the sessions (session.c
 * session_once_*), on a clock the test moves: issue, claim, spend, the first
 * outcome for every later claim, a refused sending leaving the token usable,
 * the binding to session and form, the bound per session, the end with the
 * session, and a second claim waiting for the first (two threads). */
#include <setjmp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "portal/session.h"

static psessions *sess(void)
{
	psessions *s = NULL;
	bt_err e;
	assert_int_equal(sessions_new(&s, &e), 0);
	return s;
}

static bt_identity member(const char *m)
{
	bt_identity id;
	memset(&id, 0, sizeof id);
	id.role = BT_ROLE_MEMBER;
	snprintf(id.member, sizeof id.member, "%s", m);
	return id;
}

static void once_spent_once(void **state)
{
	(void)state;
	psessions *s = sess();
	bt_identity chn = member("CHN");
	char tok[65], other[65], o[65], loc[PORTAL_ONCE_LOC];
	psession p;
	assert_int_equal(session_create(s, &chn, NULL, 1000, tok, &p), 0);
	assert_int_equal(session_create(s, &chn, NULL, 1000, other, &p), 0);
	assert_int_equal(session_once_issue(s, tok, "m:205", 1000, o), 0);
	assert_int_equal(strlen(o), 64);
	/* another session, another form: unknown, and nothing claimed */
	assert_int_equal(session_once_claim(s, other, "m:205", o, 1000, loc, sizeof loc), ONCE_UNKNOWN);
	assert_int_equal(session_once_claim(s, tok, "m:206", o, 1000, loc, sizeof loc), ONCE_UNKNOWN);
	assert_int_equal(session_once_claim(s, tok, "m:205", "", 1000, loc, sizeof loc), ONCE_UNKNOWN);
	/* a refused sending: usable again */
	assert_int_equal(session_once_claim(s, tok, "m:205", o, 1000, loc, sizeof loc), ONCE_NEW);
	session_once_finish(s, tok, o, NULL, 1000);
	assert_int_equal(session_once_spent(s, tok, "m:205", o, 1000, loc, sizeof loc), 0);
	assert_int_equal(session_once_claim(s, tok, "m:205", o, 1000, loc, sizeof loc), ONCE_NEW);
	session_once_finish(s, tok, o, "/member/sent/7", 1000);
	for (int i = 0; i < 3; i++) {
		loc[0] = '\0';
		assert_int_equal(session_once_claim(s, tok, "m:205", o, 1000, loc, sizeof loc), ONCE_DONE);
		assert_string_equal(loc, "/member/sent/7");
	}
	assert_int_equal(session_once_spent(s, tok, "m:205", o, 1000, loc, sizeof loc), 1);
	/* it ends with its session */
	session_drop(s, tok, 2000);
	assert_int_equal(session_once_claim(s, tok, "m:205", o, 2000, loc, sizeof loc), ONCE_UNKNOWN);
	assert_int_equal(session_once_issue(s, tok, "m:205", 2000, o), -1);
	sessions_free(s);
}

static void once_bounded(void **state)
{
	(void)state;
	psessions *s = sess();
	bt_identity chn = member("CHN");
	char tok[65], o[PORTAL_ONCE_PER_SESSION + 1][65], spent[65], loc[PORTAL_ONCE_LOC];
	psession p;
	assert_int_equal(session_create(s, &chn, NULL, 1000, tok, &p), 0);
	/* a spent token is kept longer than the unspent ones */
	assert_int_equal(session_once_issue(s, tok, "m:205", 1000, spent), 0);
	assert_int_equal(session_once_claim(s, tok, "m:205", spent, 1000, loc, sizeof loc), ONCE_NEW);
	session_once_finish(s, tok, spent, "/member/sent/1", 1000);
	for (int i = 0; i <= PORTAL_ONCE_PER_SESSION; i++)
		assert_int_equal(session_once_issue(s, tok, "m:205", 1001 + i, o[i]), 0);
	/* one more than fits: the oldest unspent one was replaced */
	assert_int_equal(session_once_claim(s, tok, "m:205", o[0], 2000, loc, sizeof loc), ONCE_UNKNOWN);
	assert_int_equal(session_once_claim(s, tok, "m:205", spent, 2000, loc, sizeof loc), ONCE_DONE);
	assert_int_equal(session_once_claim(s, tok, "m:205", o[PORTAL_ONCE_PER_SESSION], 2000, loc, sizeof loc),
			 ONCE_NEW);
	sessions_free(s);
}

typedef struct claim_arg {
	psessions *s;
	const char *tok, *once;
	once_state st;
	char loc[PORTAL_ONCE_LOC];
} claim_arg;

static void *claim_thread(void *arg)
{
	claim_arg *a = arg;
	a->st = session_once_claim(a->s, a->tok, "m:205", a->once, 1000, a->loc, sizeof a->loc);
	return NULL;
}

static void once_second_waits(void **state)
{
	(void)state;
	psessions *s = sess();
	bt_identity chn = member("CHN");
	char tok[65], o[65], loc[PORTAL_ONCE_LOC];
	psession p;
	assert_int_equal(session_create(s, &chn, NULL, 1000, tok, &p), 0);
	assert_int_equal(session_once_issue(s, tok, "m:205", 1000, o), 0);
	assert_int_equal(session_once_claim(s, tok, "m:205", o, 1000, loc, sizeof loc), ONCE_NEW);
	/* a double click: the second claim waits for the first's outcome */
	claim_arg a = { s, tok, o, ONCE_UNKNOWN, "" };
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, claim_thread, &a), 0);
	usleep(100 * 1000);
	session_once_finish(s, tok, o, "/member/sent/9", 1000);
	pthread_join(t, NULL);
	assert_int_equal(a.st, ONCE_DONE);
	assert_string_equal(a.loc, "/member/sent/9");
	sessions_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(once_spent_once),
		cmocka_unit_test(once_bounded),
		cmocka_unit_test(once_second_waits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
