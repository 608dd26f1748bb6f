/* test_txn.c - write transactions (src/store/txn.c): a rollback leaves
 * nothing and frees the process's one writer slot; a commit keeps the
 * change and frees it; a damage mark refuses the transaction at BEGIN,
 * holding nothing; one writer at a time across a process's connections. */
#define _GNU_SOURCE /* pthread_timedjoin_np */
#include <pthread.h>
#include <time.h>
#include "fixture.h"
#include "store/store.h"

static int64_t count(bt_db *db, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(db_pragma_int64(db, sql, &n), 0);
	return n;
}

static void put(fx *f, const char *key)
{
	char sql[128];
	snprintf(sql, sizeof sql, "INSERT INTO settings(key, value) VALUES ('%s', 'v')", key);
	assert_int_equal(db_exec_sql(f->db, sql, "test insert", &f->e), BT_OK);
}

/* A second connection to f's database, trying to begin from a thread. */
typedef struct other {
	bt_db *db;
	int rc;
	bt_err e;
} other;

static void *begin_other(void *arg)
{
	other *o = arg;
	o->rc = db_begin(o->db, &o->e);
	if (o->rc == BT_OK)
		db_rollback(o->db);
	return NULL;
}

/* 1 when a second connection can begin (and end) a write transaction
 * within 10 s; a leaked writer slot would keep it waiting (then the waiting
 * thread and its connection are left behind: the test has failed). */
static int other_can_write(fx *f)
{
	other *o = calloc(1, sizeof *o);
	assert_non_null(o);
	assert_int_equal(bt_db_open(f->path, 0, &o->db, &o->e), BT_OK);
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, begin_other, o), 0);
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 10;
	if (pthread_timedjoin_np(t, NULL, &until) != 0) {
		pthread_detach(t);
		return 0;
	}
	int ok = o->rc == BT_OK;
	bt_db_close(o->db);
	free(o);
	return ok;
}

static void rollback_leaves_nothing(void **state)
{
	fx *f = *state;
	int64_t before = count(f->db, "SELECT count(*) FROM settings");
	assert_int_equal(db_begin(f->db, &f->e), BT_OK);
	put(f, "test_rolled_back");
	db_rollback(f->db);
	assert_int_equal(count(f->db, "SELECT count(*) FROM settings"), before);
	assert_true(other_can_write(f));
	/* a rollback outside any transaction is harmless */
	db_rollback(f->db);
	assert_true(other_can_write(f));
}

static void commit_keeps_the_change(void **state)
{
	fx *f = *state;
	assert_int_equal(db_begin(f->db, &f->e), BT_OK);
	put(f, "test_committed");
	assert_int_equal(db_commit(f->db, &f->e), BT_OK);
	assert_int_equal(count(f->db, "SELECT count(*) FROM settings WHERE key = 'test_committed'"), 1);
	assert_true(other_can_write(f));
}

static void damage_mark_refuses_at_begin(void **state)
{
	fx *f = *state;
	assert_int_equal(bt_damage_note(f->path, "test: a row was changed"), 0);
	bt_err_clear(&f->e);
	assert_int_equal(db_begin(f->db, &f->e), BT_EFAIL);
	assert_int_equal(f->e.reason, BT_R_DAMAGED);
	assert_non_null(strstr(f->e.msg, "a row was changed"));
	assert_null(strchr(f->e.msg, '\n'));
	/* refused at BEGIN: no transaction is open, nothing is held */
	assert_true(sqlite3_get_autocommit(f->db->h));
	assert_int_equal(bt_damage_note(f->path, NULL), 0);
	assert_true(other_can_write(f));
	assert_int_equal(db_begin(f->db, &f->e), BT_OK);
	db_rollback(f->db);
}

static void one_writer_at_a_time(void **state)
{
	fx *f = *state;
	assert_int_equal(db_begin(f->db, &f->e), BT_OK);
	/* the other connection waits for this transaction, it is not refused */
	other o = { 0 };
	assert_int_equal(bt_db_open(f->path, 0, &o.db, &o.e), BT_OK);
	o.rc = -1;
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, begin_other, &o), 0);
	struct timespec soon;
	clock_gettime(CLOCK_REALTIME, &soon);
	soon.tv_nsec += 200 * 1000000L;
	if (soon.tv_nsec >= 1000000000L) {
		soon.tv_sec++;
		soon.tv_nsec -= 1000000000L;
	}
	assert_int_not_equal(pthread_timedjoin_np(t, NULL, &soon), 0); /* still waiting */
	put(f, "test_first");
	assert_int_equal(db_commit(f->db, &f->e), BT_OK);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(o.rc, BT_OK);
	bt_db_close(o.db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(rollback_leaves_nothing, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(commit_keeps_the_change, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(damage_mark_refuses_at_begin, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(one_writer_at_a_time, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
