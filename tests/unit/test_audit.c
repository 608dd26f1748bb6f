/* test_audit.c - the event chain detects rewritten history. */
#include <sqlite3.h>
#include "fixture.h"

/* Runs SQL on the database file behind the engine's back, as an attacker
 * with the sqlite3 tool would (dropping the append-only triggers first). */
static void tamper(fx *f, const char *sql)
{
	sqlite3 *h;
	char *msg = NULL;
	assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
	int rc = sqlite3_exec(h,
			      "DROP TRIGGER IF EXISTS replies_append_only_u;"
			      "DROP TRIGGER IF EXISTS attachments_append_only_u;"
			      "DROP TRIGGER IF EXISTS events_append_only_u;"
			      "DROP TRIGGER IF EXISTS replies_append_only_d;"
			      "DROP TRIGGER IF EXISTS consultations_close_only;"
			      "DROP TRIGGER IF EXISTS drafts_state_only;"
			      "DROP TRIGGER IF EXISTS electorate_append_only_d;"
			      "DROP TRIGGER IF EXISTS decisions_append_only_u;",
			      NULL, NULL, &msg);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fail_msg("tamper: %s", msg);
	sqlite3_close(h);
}

static int64_t setup_history(fx *f)
{
	fx_circular(f, "205", NULL, NULL);
	assert_int_equal(fx_reply(f, "205", "CHE", BT_NOT_AUTHORIZE, "2020-02-01T10:00Z", 1), BT_OK);
	assert_int_equal(fx_reply(f, "205", "FRA", BT_AUTHORIZE, "2020-02-01T11:00Z", 0), BT_OK);
	bt_audit_report r;
	assert_int_equal(bt_audit_verify(f->db, &r, &f->e), BT_OK);
	assert_int_equal(r.first_bad, 0);
	assert_int_equal(r.events, 7); /* init, the default calendar (2), consultation, draft, two replies */
	return r.events;
}

static int64_t first_bad(fx *f, char *problem, size_t n)
{
	bt_audit_report r;
	assert_int_equal(bt_audit_verify(f->db, &r, &f->e), BT_OK);
	snprintf(problem, n, "%s", r.problem);
	return r.first_bad;
}

static void changed_reply_choice_is_named(void **state)
{
	fx *f = *state;
	setup_history(f);
	tamper(f, "UPDATE replies SET choice = 'authorize' WHERE member = 'CHE'");
	char p[256];
	assert_int_equal(first_bad(f, p, sizeof p), 6);
	assert_non_null(strstr(p, "reply"));
}

static void changed_received_time_is_named(void **state)
{
	fx *f = *state;
	setup_history(f);
	tamper(f, "UPDATE replies SET received = received - 86400 WHERE member = 'FRA'");
	char p[256];
	assert_int_equal(first_bad(f, p, sizeof p), 7);
}

static void changed_attachment_is_named(void **state)
{
	fx *f = *state;
	setup_history(f);
	tamper(f, "UPDATE attachments SET content = X'00'");
	char p[256];
	assert_int_equal(first_bad(f, p, sizeof p), 6);
	assert_non_null(strstr(p, "attachment"));
}

static void changed_event_body_is_named(void **state)
{
	fx *f = *state;
	setup_history(f);
	tamper(f, "UPDATE events SET body = replace(body, '\"group\":11', '\"group\":12') WHERE seq = 4");
	char p[256];
	assert_int_equal(first_bad(f, p, sizeof p), 4);
	assert_non_null(strstr(p, "hash"));
}

static void deleted_reply_is_named(void **state)
{
	fx *f = *state;
	setup_history(f);
	tamper(f, "DELETE FROM replies WHERE member = 'FRA'");
	char p[256];
	assert_int_equal(first_bad(f, p, sizeof p), 7);
	assert_non_null(strstr(p, "missing"));
}

static void append_only_triggers_refuse_updates(void **state)
{
	fx *f = *state;
	setup_history(f);
	sqlite3 *h;
	assert_int_equal(sqlite3_open(f->path, &h), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(h, "UPDATE replies SET choice = 'authorize'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(h, "DELETE FROM events", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(h, "UPDATE consultations SET deadline = 0", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(h, "UPDATE drafts SET title = 'x'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(h, "DELETE FROM electorate", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

static void edited_deadline_is_named(void **state)
{
	fx *f = *state;
	setup_history(f);
	tamper(f, "UPDATE consultations SET deadline = deadline + 4 * 86400");
	char p[256];
	assert_int_equal(first_bad(f, p, sizeof p), 4);
	assert_non_null(strstr(p, "consultation"));
}

static void shrunken_electorate_is_named(void **state)
{
	fx *f = *state;
	setup_history(f);
	tamper(f, "DELETE FROM electorate WHERE member IN ('FRA', 'DEU')");
	char p[256];
	assert_int_equal(first_bad(f, p, sizeof p), 4);
}

static void edited_draft_state_is_named(void **state)
{
	fx *f = *state;
	setup_history(f);
	tamper(f, "UPDATE drafts SET state = 'approved'");
	char p[256];
	assert_int_equal(first_bad(f, p, sizeof p), 5);
	assert_non_null(strstr(p, "state"));
}

static void flipped_frozen_outcome_is_named(void **state)
{
	fx *f = *state;
	setup_history(f);
	/* CHE against, FRA for: 50 %, so not-ready; pretend it passed. */
	assert_int_equal(bt_consultation_close(f->db, "205", "t", T("2020-02-22T08:00Z"), NULL, &f->e), BT_OK);
	tamper(f, "UPDATE drafts SET state = 'ready-for-approval', outcome = 'proceed'");
	char p[256];
	assert_int_equal(first_bad(f, p, sizeof p), 8);
	assert_non_null(strstr(p, "outcome"));
}

static void forged_decision_is_named(void **state)
{
	fx *f = *state;
	setup_history(f);
	tamper(f, "INSERT INTO decisions(draft_id, kind, detail, decided_at, recorded_by, event_seq)"
		  " VALUES(1, 'approved', '', 0, 'x', 999)");
	char p[256];
	assert_int_equal(first_bad(f, p, sizeof p), 5); /* the draft's state no longer follows */
	/* With the state made to match, the forged row itself is named. */
	tamper(f, "UPDATE drafts SET state = 'approved'");
	assert_int_equal(first_bad(f, p, sizeof p), 999);
	assert_non_null(strstr(p, "decision row"));
}

static void changed_recorder_is_named(void **state)
{
	fx *f = *state;
	setup_history(f);
	tamper(f, "UPDATE replies SET recorded_by = 'cli:director' WHERE member = 'FRA'");
	char p[256];
	assert_int_equal(first_bad(f, p, sizeof p), 7);
}

/* A reply code's stored hash swapped for another's (whose code the swapper
 * holds): no event holds the hash, but its codes-issue event holds the
 * SHA-256 of it. */
static void swapped_code_hash_is_named(void **state)
{
	fx *f = *state;
	setup_history(f);
	bt_code_list l = { 0 };
	bt_time now = T("2020-02-10T12:00:00Z");
	assert_int_equal(bt_codes_issue(f->db, "205", "CHE", "test", now, &l, &f->e), BT_OK);
	bt_code_list_free(&l);
	assert_int_equal(bt_codes_issue(f->db, "205", "FRA", "test", now, &l, &f->e), BT_OK);
	bt_code_list_free(&l);
	char p[256];
	assert_int_equal(first_bad(f, p, sizeof p), 0);
	tamper(f, "DROP TRIGGER reply_codes_revoke_only;"
		  "UPDATE reply_codes SET hash = (SELECT hash FROM reply_codes WHERE member = 'FRA')"
		  " WHERE member = 'CHE'");
	assert_int_equal(first_bad(f, p, sizeof p), 8);
	assert_non_null(strstr(p, "reply_codes table"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(changed_reply_choice_is_named, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(changed_received_time_is_named, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(changed_attachment_is_named, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(changed_event_body_is_named, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(deleted_reply_is_named, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(append_only_triggers_refuse_updates, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(edited_deadline_is_named, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(shrunken_electorate_is_named, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(edited_draft_state_is_named, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(flipped_frozen_outcome_is_named, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(forged_decision_is_named, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(changed_recorder_is_named, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(swapped_code_hash_is_named, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
