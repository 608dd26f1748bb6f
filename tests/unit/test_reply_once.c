/* test_reply_once.c - replies recorded once per idempotency key
 * (bt_reply_record_once): the same key and body give the first reply back
 * and record nothing; another body is refused; keys are per token; a
 * refused reply keeps no key; the key is written with the reply, so a
 * reopened database still knows it; malformed keys are refused. */
#include <sqlite3.h>
#include "fixture.h"
#include "ballot/idem.h"

#define NOW "2020-01-10T10:00:00Z"

/* A secretariat account with two write tokens. */
static void tokens(fx *f, char a[BT_TOKEN_LEN + 1], char b[BT_TOKEN_LEN + 1])
{
	assert_int_equal(bt_user_add(f->db, "tsb", BT_ROLE_SECRETARIAT, 0, "correct horse battery", "test", T(NOW),
				     &f->e), BT_OK);
	assert_int_equal(bt_token_create(f->db, "tsb", BT_SCOPE_WRITE, 0, "test", T(NOW), a, NULL, &f->e), BT_OK);
	assert_int_equal(bt_token_create(f->db, "tsb", BT_SCOPE_WRITE, 0, "test", T(NOW), b, NULL, &f->e), BT_OK);
}

static int64_t count(fx *f, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_open_v2(f->path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

static int once(fx *f, const char *member, const char *token, const char *key, const char *body,
		bt_reply_result *res, int *replayed)
{
	bt_reply_spec s = { .circular = "205", .member = member, .choice = BT_AUTHORIZE, .channel = "email" };
	bt_idem k = { key, token, body, strlen(body) };
	return bt_reply_record_once(f->db, &s, "api:tsb", T(NOW), &k, res, replayed, &f->e);
}

static void replay_and_conflict(void **state)
{
	fx *f = *state;
	char a[BT_TOKEN_LEN + 1], b[BT_TOKEN_LEN + 1];
	bt_reply_result r1, r2;
	int rep = -1;
	fx_circular(f, "205", NULL, NULL);
	tokens(f, a, b);
	assert_int_equal(once(f, "AUS", a, "k-1", "{AUS}", &r1, &rep), BT_OK);
	assert_int_equal(rep, 0);
	assert_true(r1.event_seq > 0 && r1.reply_id > 0);
	int64_t events = count(f, "SELECT count(*) FROM events");
	/* the same key and body: the first reply, nothing written */
	assert_int_equal(once(f, "AUS", a, "k-1", "{AUS}", &r2, &rep), BT_OK);
	assert_int_equal(rep, 1);
	assert_int_equal(r2.event_seq, r1.event_seq);
	assert_int_equal(r2.reply_id, r1.reply_id);
	assert_int_equal(count(f, "SELECT count(*) FROM events"), events);
	assert_int_equal(count(f, "SELECT count(*) FROM replies"), 1);
	/* another body: refused, naming the key */
	assert_int_equal(once(f, "AUS", a, "k-1", "{AUS }", &r2, &rep), BT_EINPUT);
	assert_int_equal(f->e.reason, BT_R_CONFLICT);
	assert_string_equal(f->e.field, "idempotency_key");
	assert_int_equal(rep, 0);
	assert_int_equal(count(f, "SELECT count(*) FROM events"), events);
	/* keys are per token: the same key of the other token is new */
	assert_int_equal(once(f, "BRA", b, "k-1", "{BRA}", &r2, &rep), BT_OK);
	assert_int_equal(rep, 0);
	assert_true(r2.event_seq > r1.event_seq);
	assert_int_equal(count(f, "SELECT count(*) FROM api_idempotency"), 2);
	/* the key's row holds hashes, never the key or the token */
	assert_int_equal(count(f, "SELECT count(*) FROM api_idempotency WHERE key_hash = 'k-1'"), 0);
}

static void refusal_keeps_no_key(void **state)
{
	fx *f = *state;
	char a[BT_TOKEN_LEN + 1], b[BT_TOKEN_LEN + 1];
	bt_reply_result r;
	int rep;
	fx_circular(f, "205", NULL, NULL);
	tokens(f, a, b);
	/* an unknown member: refused, and the key stays unused */
	assert_int_equal(once(f, "XXX", a, "k-2", "{XXX}", &r, &rep), BT_EINPUT);
	assert_int_equal(count(f, "SELECT count(*) FROM api_idempotency"), 0);
	assert_int_equal(once(f, "AUS", a, "k-2", "{AUS}", &r, &rep), BT_OK);
	assert_int_equal(rep, 0);
	/* a reopened database (a restarted server) still knows the key */
	bt_db_close(f->db);
	assert_int_equal(bt_db_open(f->path, 0, &f->db, &f->e), BT_OK);
	bt_reply_result again;
	assert_int_equal(once(f, "AUS", a, "k-2", "{AUS}", &again, &rep), BT_OK);
	assert_int_equal(rep, 1);
	assert_int_equal(again.event_seq, r.event_seq);
	assert_int_equal(count(f, "SELECT count(*) FROM replies"), 1);
	/* a token that was never created */
	char fake[BT_TOKEN_LEN + 1];
	memcpy(fake, a, sizeof fake);
	fake[BT_TOKEN_LEN - 1] = fake[BT_TOKEN_LEN - 1] == '0' ? '1' : '0';
	assert_int_equal(once(f, "BRA", fake, "k-3", "{BRA}", &r, &rep), BT_EINPUT);
	assert_int_equal(f->e.reason, BT_R_FORBIDDEN);
	assert_int_equal(count(f, "SELECT count(*) FROM replies"), 1);
}

static void key_rules(void **state)
{
	fx *f = *state;
	char long_key[BT_IDEM_KEY_MAX + 2];
	memset(long_key, 'k', sizeof long_key - 1);
	long_key[BT_IDEM_KEY_MAX + 1] = '\0';
	assert_int_equal(bt_idem_key_check("9f1c2d3e-0000-4000-8000-000000000001", &f->e), BT_OK);
	assert_int_equal(bt_idem_key_check("ab+/=_.:~", &f->e), BT_OK);
	long_key[BT_IDEM_KEY_MAX] = '\0';
	assert_int_equal(bt_idem_key_check(long_key, &f->e), BT_OK);
	long_key[BT_IDEM_KEY_MAX] = 'k';
	assert_int_equal(bt_idem_key_check(long_key, &f->e), BT_EINPUT);
	assert_string_equal(f->e.field, "idempotency_key");
	assert_int_equal(bt_idem_key_check("", &f->e), BT_EINPUT);
	assert_int_equal(bt_idem_key_check("a b", &f->e), BT_EINPUT);
	assert_int_equal(bt_idem_key_check("a\"b", &f->e), BT_EINPUT);
	assert_int_equal(bt_idem_key_check("caf\xc3\xa9", &f->e), BT_EINPUT);
	assert_non_null(strstr(f->e.msg, "idempotency_key: "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(replay_and_conflict, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(refusal_keeps_no_key, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(key_rules, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
