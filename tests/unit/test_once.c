/* test_once.c - single-use form tokens kept with the sessions (session.c
 * session_once_*), on a clock the test moves: issue, claim, spend, the first
 * outcome for every later claim, a refused sending leaving the token usable,
 * the binding to session and form, the bound per session, the end with the
 * session, and a second claim waiting for the first (two threads); a
 * secret shown once (session_keep/take: a new reply code) taken once, only
 * by its session, only within PORTAL_KEPT_MS, gone with the session. */
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
#include "portal_fixture.h"

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

static void kept_taken_once(void **state)
{
	(void)state;
	psessions *s = sess();
	bt_identity tsb;
	memset(&tsb, 0, sizeof tsb);
	tsb.role = BT_ROLE_SECRETARIAT;
	snprintf(tsb.user, sizeof tsb.user, "tsb");
	char tok[65], other[65], h[33], h2[33], v[PORTAL_KEPT_VALUE];
	psession p;
	assert_int_equal(session_create(s, &tsb, NULL, 1000, tok, &p), 0);
	assert_int_equal(session_create(s, &tsb, NULL, 1000, other, &p), 0);
	assert_int_equal(session_keep(s, tok, "205\nFRA\nCODE-1", 1000, h), 0);
	assert_int_equal(strlen(h), 32);
	/* another session of the same account: not found, and not used up */
	assert_int_equal(session_take(s, other, h, 1000, v, sizeof v), -1);
	assert_int_equal(session_take(s, tok, "", 1000, v, sizeof v), -1);
	assert_int_equal(session_take(s, tok, h, 1000, v, sizeof v), 0);
	assert_string_equal(v, "205\nFRA\nCODE-1");
	/* once */
	assert_int_equal(session_take(s, tok, h, 1000, v, sizeof v), -1);
	/* expired after PORTAL_KEPT_MS (and a value too long is refused) */
	assert_int_equal(session_keep(s, tok, "205\nDEU\nCODE-2", 2000, h2), 0);
	assert_int_equal(session_take(s, tok, h2, 2000 + PORTAL_KEPT_MS + 1, v, sizeof v), -1);
	char big[PORTAL_KEPT_VALUE + 1];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(session_keep(s, tok, big, 3000, h2), -1);
	/* gone with the session; none for a session that does not exist */
	assert_int_equal(session_keep(s, tok, "205\nCHE\nCODE-3", 3000, h2), 0);
	session_drop(s, tok, 3000);
	assert_int_equal(session_take(s, tok, h2, 3000, v, sizeof v), -1);
	assert_int_equal(session_keep(s, tok, "x", 3000, h2), -1);
	/* more than PORTAL_KEPT_PER_SESSION: the oldest makes room */
	char hs[PORTAL_KEPT_PER_SESSION + 1][33];
	for (int i = 0; i <= PORTAL_KEPT_PER_SESSION; i++)
		assert_int_equal(session_keep(s, other, "v", 4000 + i, hs[i]), 0);
	assert_int_equal(session_take(s, other, hs[0], 5000, v, sizeof v), -1);
	for (int i = 1; i <= PORTAL_KEPT_PER_SESSION; i++)
		assert_int_equal(session_take(s, other, hs[i], 5000, v, sizeof v), 0);
	sessions_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(once_spent_once),
		cmocka_unit_test(once_bounded),
		cmocka_unit_test(once_second_waits),
		cmocka_unit_test(kept_taken_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
