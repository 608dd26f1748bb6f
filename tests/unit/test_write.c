/* test_write.c - the one write skeleton (src/store/write.c): a refused
 * check writes nothing, a failed insert leaves nothing, a success is one
 * event with the payload the insert rendered, a batch commits or rolls back
 * as one, a check that finds nothing to record records nothing, and a
 * migration's baseline (db_write_once) is written once. */
#include "fixture.h"
#include "store/store.h"

static int64_t events(fx *f)
{
	int64_t n = -1;
	assert_int_equal(db_pragma_int64(f->db, "SELECT count(*) FROM events", &n), 0);
	return n;
}

static int check_refuses(bt_db *db, db_write *w, bt_err *e)
{
	(void)db;
	(void)w;
	return bt_fail(e, BT_EINPUT, "test: refused");
}

static int insert_payload(bt_db *db, db_write *w, bt_err *e)
{
	(void)db;
	(void)e;
	bt_json_kv_str(&w->payload, "note", (const char *)w->ctx, 1);
	return BT_OK;
}

static int insert_then_fail(bt_db *db, db_write *w, bt_err *e)
{
	/* a row that would stay if the rollback did not happen */
	sqlite3_stmt *st = db_stmt(db, SQL_SETTING_PUT, e);
	sqlite3_bind_text(st, 1, "test_key", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, 7);
	if (db_exec_stmt(db, st, "test", e))
		return BT_EFAIL;
	bt_json_kv_str(&w->payload, "note", "x", 1);
	return bt_fail(e, BT_EFAIL, "test: insert failed");
}

static void refused_check_writes_nothing(void **state)
{
	fx *f = *state;
	int64_t before = events(f);
	db_write w = { .kind = "test", .actor = "tester", .now = T("2020-01-01T00:00:00Z") };
	assert_int_equal(db_write_run(f->db, &w, check_refuses, insert_payload, &f->e), BT_EINPUT);
	assert_string_equal(f->e.msg, "test: refused");
	assert_int_equal(events(f), before);
}

static void failed_insert_is_rolled_back(void **state)
{
	fx *f = *state;
	int64_t before = events(f), n = -1;
	db_write w = { .kind = "test", .actor = "tester", .now = T("2020-01-01T00:00:00Z") };
	assert_int_equal(db_write_run(f->db, &w, NULL, insert_then_fail, &f->e), BT_EFAIL);
	assert_int_equal(events(f), before);
	assert_int_equal(db_pragma_int64(f->db, "SELECT count(*) FROM settings WHERE key = 'test_key'", &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(w.payload.data == NULL, 1); /* released */
	/* and the store takes the next write */
	w = (db_write){ .kind = "test", .actor = "tester", .now = T("2020-01-01T00:00:00Z"), .ctx = "after" };
	assert_int_equal(db_write_run(f->db, &w, NULL, insert_payload, &f->e), BT_OK);
	assert_int_equal(events(f), before + 1);
}

static void success_is_one_event_with_the_payload(void **state)
{
	fx *f = *state;
	int64_t before = events(f);
	bt_buf body = BT_BUF_INIT;
	db_write w = { .kind = "test", .actor = "tester", .now = T("2020-01-02T03:04:05Z"), .ctx = "hello",
		       .body = &body };
	int rc = db_write_run(f->db, &w, NULL, insert_payload, &f->e);
	if (rc)
		fail_msg("%s", f->e.msg);
	assert_int_equal(events(f), before + 1);
	assert_int_equal(w.ev.seq, before + 1);
	assert_int_equal(strlen(w.hash), 64);
	assert_non_null(strstr(bt_buf_str(&body), "\"kind\":\"test\""));
	assert_non_null(strstr(bt_buf_str(&body), "\"note\":\"hello\""));
	assert_non_null(strstr(bt_buf_str(&body), "\"actor\":\"tester\""));
	int64_t same = 0;
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE seq = %lld AND hash = '%s'", (long long)w.ev.seq,
		 w.hash);
	assert_int_equal(db_pragma_int64(f->db, sql, &same), 0);
	assert_int_equal(same, 1);
	bt_buf_release(&body);
}

static void empty_actor_is_refused_before_anything(void **state)
{
	fx *f = *state;
	int64_t before = events(f);
	db_write w = { .kind = "test", .actor = "", .now = T("2020-01-01T00:00:00Z"), .ctx = "x" };
	assert_int_equal(db_write_run(f->db, &w, NULL, insert_payload, &f->e), BT_EINPUT);
	assert_int_equal(events(f), before);
}

static void batch_commits_or_rolls_back_as_one(void **state)
{
	fx *f = *state;
	int64_t before = events(f);
	db_write w;
	assert_int_equal(db_begin(f->db, &f->e), 0);
	for (int i = 0; i < 3; i++) {
		w = (db_write){ .kind = "test", .actor = "tester", .now = T("2020-01-01T00:00:00Z"), .ctx = "b" };
		assert_int_equal(db_write_in(f->db, &w, NULL, insert_payload, &f->e), BT_OK);
	}
	db_rollback(f->db);
	assert_int_equal(events(f), before);
	assert_int_equal(db_begin(f->db, &f->e), 0);
	for (int i = 0; i < 3; i++) {
		w = (db_write){ .kind = "test", .actor = "tester", .now = T("2020-01-01T00:00:00Z"), .ctx = "b" };
		assert_int_equal(db_write_in(f->db, &w, NULL, insert_payload, &f->e), BT_OK);
		assert_int_equal(w.ev.seq, before + 1 + i);
	}
	assert_int_equal(db_commit(f->db, &f->e), 0);
	assert_int_equal(events(f), before + 3);
}

static int check_nothing(bt_db *db, db_write *w, bt_err *e)
{
	(void)db;
	(void)e;
	w->kind = NULL;
	return BT_OK;
}

static int insert_must_not_run(bt_db *db, db_write *w, bt_err *e)
{
	(void)db;
	(void)w;
	fail_msg("insert ran after a check that found nothing to record");
	return bt_fail(e, BT_EFAIL, "test: insert ran");
}

static void nothing_to_record_is_no_event(void **state)
{
	fx *f = *state;
	int64_t before = events(f);
	db_write w = { .kind = "test", .actor = "tester", .now = T("2020-01-01T00:00:00Z") };
	/* no event reserved */
	assert_int_equal(db_write_run(f->db, &w, check_nothing, insert_must_not_run, &f->e), BT_OK);
	assert_int_equal(events(f), before);
	assert_int_equal(w.payload.data == NULL, 1);
	/* but a bad actor is refused all the same, before the check runs (a
	 * calendar import with nothing new took any actor name) */
	w = (db_write){ .kind = "test", .actor = "", .now = T("2020-01-01T00:00:00Z") };
	assert_int_equal(db_write_run(f->db, &w, insert_must_not_run, insert_must_not_run, &f->e), BT_EINPUT);
	assert_string_equal(f->e.field, "actor");
	assert_int_equal(events(f), before);
	/* and the store takes the next write */
	w = (db_write){ .kind = "test", .actor = "tester", .now = T("2020-01-01T00:00:00Z"), .ctx = "after" };
	assert_int_equal(db_write_run(f->db, &w, NULL, insert_payload, &f->e), BT_OK);
	assert_int_equal(events(f), before + 1);
}

static void once_writes_all_or_nothing_again(void **state)
{
	fx *f = *state;
	const char *done = "SELECT count(*) FROM events WHERE kind = 'test-once'";
	int64_t before = events(f);
	db_write w[3];
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 3; i++)
			w[i] = (db_write){ .kind = "test-once", .actor = "tester", .now = T("2020-01-01T00:00:00Z"),
					   .ctx = "once" };
		assert_int_equal(db_begin(f->db, &f->e), 0);
		if (db_write_once(f->db, done, w, 3, NULL, insert_payload, &f->e))
			fail_msg("%s", f->e.msg);
		assert_int_equal(db_commit(f->db, &f->e), 0);
		/* the three the first time (in turn), none the second */
		assert_int_equal(events(f), before + 3);
		if (round == 0)
			for (int i = 0; i < 3; i++)
				assert_int_equal(w[i].ev.seq, before + 1 + i);
	}
	/* a write that fails fails them all, and the caller rolls back */
	int64_t n = -1;
	w[0] = (db_write){ .kind = "test-twice", .actor = "tester", .now = T("2020-01-01T00:00:00Z"), .ctx = "a" };
	w[1] = (db_write){ .kind = "test-twice", .actor = "", .now = T("2020-01-01T00:00:00Z"), .ctx = "b" };
	assert_int_equal(db_begin(f->db, &f->e), 0);
	assert_int_equal(db_write_once(f->db, "SELECT 0", w, 2, NULL, insert_payload, &f->e), BT_EINPUT);
	db_rollback(f->db);
	assert_int_equal(db_pragma_int64(f->db, "SELECT count(*) FROM events WHERE kind = 'test-twice'", &n), 0);
	assert_int_equal(n, 0);
}

/* A check step that ends the transaction, as SQLite does by itself on
 * some failures (out of memory, I/O) that a tolerant read then ignores. */
static int check_loses_the_transaction(bt_db *db, db_write *w, bt_err *e)
{
	(void)w;
	return db_exec_sql(db, "ROLLBACK", "test rollback", e);
}

static int insert_a_setting(bt_db *db, db_write *w, bt_err *e)
{
	bt_json_kv_str(&w->payload, "note", "x", 1);
	return db_exec_sql(db, "INSERT INTO settings(key, value) VALUES ('test_autocommit', 'v')", "test", e);
}

static void lost_transaction_writes_nothing(void **state)
{
	fx *f = *state;
	int64_t before = events(f);
	db_write w = { .kind = "test", .actor = "tester", .now = T("2020-01-01T00:00:00Z") };
	bt_err_clear(&f->e);
	assert_int_equal(db_write_run(f->db, &w, check_loses_the_transaction, insert_a_setting, &f->e), BT_EFAIL);
	assert_int_equal(f->e.reason, BT_R_IO);
	assert_non_null(strstr(f->e.msg, "rolled back"));
	/* neither the row (it would have committed alone) nor an event */
	int64_t n = -1;
	assert_int_equal(db_pragma_int64(f->db, "SELECT count(*) FROM settings WHERE key = 'test_autocommit'", &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(events(f), before);
	/* the event writer refuses on its own too, outside any transaction */
	assert_int_equal(event_append(f->db, "test", NULL, "tester", T("2020-01-01T00:00:00Z"), NULL, &f->e),
			 BT_EFAIL);
	assert_int_equal(events(f), before);
	/* and the next write goes through */
	w = (db_write){ .kind = "test", .actor = "tester", .now = T("2020-01-01T00:00:00Z"), .ctx = "ok" };
	assert_int_equal(db_write_run(f->db, &w, NULL, insert_payload, &f->e), BT_OK);
	assert_int_equal(events(f), before + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(refused_check_writes_nothing, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(failed_insert_is_rolled_back, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(success_is_one_event_with_the_payload, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(empty_actor_is_refused_before_anything, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(batch_commits_or_rolls_back_as_one, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(nothing_to_record_is_no_event, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(once_writes_all_or_nothing_again, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(lost_transaction_writes_nothing, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
