/* test_group.c - group commit (src/store/group.c): changes asked for at the
 * same time by threads on their own connections share one transaction and
 * one COMMIT; a change that fails is rolled back alone (its rows and its
 * event), the others are kept; the witness names the last kept event;
 * nobody returns before the COMMIT that holds its change. */
#define _GNU_SOURCE
#include <pthread.h>
#include <time.h>
#include "fixture.h"
#include "store/store.h"

#define N 4

/* One thread's change: a settings row and its setting event, then BT_OK or
 * (fail) a refusal after both were written. */
typedef struct change {
	fx *f;
	bt_db *db;        /* the thread's own connection */
	int fail;         /* refuse after writing */
	int hold;         /* the first change: wait until the others queue */
	bt_db *ran_on;    /* the connection its step was given */
	int committed_before_return; /* its row was visible to a new connection on return */
	int rc;
	bt_err e;
} change;

static int commits; /* COMMITs on any of the connections */
static pthread_mutex_t commits_lock = PTHREAD_MUTEX_INITIALIZER;

static int count_commit(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&commits_lock);
	commits++;
	pthread_mutex_unlock(&commits_lock);
	return 0;
}

static int64_t count(bt_db *db, const char *sql)
{
	int64_t n = -1;
	assert_int_equal(db_pragma_int64(db, sql, &n), 0);
	return n;
}

static int step(bt_db *db, void *ctx, bt_err *e)
{
	change *c = ctx;
	c->ran_on = db;
	if (c->hold) { /* the others queue while this batch runs (10 s at most) */
		for (int i = 0; i < 10000 && db_group_queued() < N - 1; i++)
			nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	}
	char sql[128], payload[128];
	snprintf(sql, sizeof sql, "INSERT INTO settings(key, value) VALUES ('test_group_%p', 1)", (void *)c);
	snprintf(payload, sizeof payload, "\"key\":\"test_group_%p\",\"value\":1", (void *)c);
	int rc = db_exec_sql(db, sql, "test insert", e);
	if (!rc)
		rc = event_append(db, EVK_SETTING, NULL, "test", T("2020-01-01T00:00:00Z"), payload, e);
	if (!rc && c->fail)
		rc = bt_failf(e, BT_R_INPUT, "test", "refused on purpose");
	return rc;
}

static void *run(void *arg)
{
	change *c = arg;
	c->rc = db_write_group(c->db, step, c, &c->e);
	/* on return the change is committed: another connection sees it */
	bt_db *other = NULL;
	bt_err e;
	if (bt_db_open(c->f->path, 0, &other, &e) == BT_OK) {
		char sql[128];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM settings WHERE key = 'test_group_%p'", (void *)c);
		int64_t n = -1;
		db_pragma_int64(other, sql, &n);
		c->committed_before_return = n == 1;
		bt_db_close(other);
	}
	return NULL;
}

/* Runs N changes: the first alone (it holds its batch until the N - 1
 * others are queued), then the others, which must share one batch. */
static void run_all(fx *f, change *c, int refused)
{
	pthread_t t[N];
	commits = 0;
	for (int i = 0; i < N; i++) {
		c[i] = (change){ .f = f, .hold = i == 0, .fail = i == refused };
		assert_int_equal(bt_db_open(f->path, 0, &c[i].db, &c[i].e), BT_OK);
		sqlite3_commit_hook(c[i].db->h, count_commit, NULL);
	}
	assert_int_equal(pthread_create(&t[0], NULL, run, &c[0]), 0);
	/* the first is leading (its step runs) before the others come */
	for (int i = 0; i < 10000 && !c[0].ran_on; i++)
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	assert_non_null(c[0].ran_on);
	for (int i = 1; i < N; i++)
		assert_int_equal(pthread_create(&t[i], NULL, run, &c[i]), 0);
	for (int i = 0; i < N; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	for (int i = 0; i < N; i++)
		sqlite3_commit_hook(c[i].db->h, NULL, NULL);
}

static void close_all(change *c)
{
	for (int i = 0; i < N; i++)
		bt_db_close(c[i].db);
}

/* The witness names the last event (the chain's head). */
static void witness_is_head(fx *f)
{
	int64_t wseq = 0, lseq = 0;
	char wh[65], lh[65];
	assert_int_equal(witness_read(f->db, &wseq, wh, &f->e), BT_OK);
	assert_int_equal(event_last(f->db, &lseq, lh, &f->e), BT_OK);
	assert_int_equal(wseq, lseq);
	assert_string_equal(wh, lh);
}

static void changes_together_share_one_commit(void **state)
{
	fx *f = *state;
	change c[N];
	int64_t events = count(f->db, "SELECT count(*) FROM events");
	run_all(f, c, -1);
	for (int i = 0; i < N; i++) {
		assert_int_equal(c[i].rc, BT_OK);
		assert_true(c[i].committed_before_return);
	}
	/* the first alone, then the three others in one transaction, on one
	 * of their connections */
	assert_int_equal(commits, 2);
	assert_ptr_equal(c[0].ran_on, c[0].db);
	assert_ptr_equal(c[2].ran_on, c[1].ran_on);
	assert_ptr_equal(c[3].ran_on, c[1].ran_on);
	assert_int_equal(count(f->db, "SELECT count(*) FROM settings WHERE key LIKE 'test_group_%'"), N);
	assert_int_equal(count(f->db, "SELECT count(*) FROM events"), events + N);
	witness_is_head(f);
	close_all(c);
}

static void a_refusal_is_rolled_back_alone(void **state)
{
	fx *f = *state;
	change c[N];
	int64_t events = count(f->db, "SELECT count(*) FROM events");
	run_all(f, c, 2);
	assert_int_equal(commits, 2);
	assert_int_equal(c[2].rc, BT_EINPUT);
	assert_int_equal(c[2].e.reason, BT_R_INPUT);
	assert_string_equal(c[2].e.msg, "test: refused on purpose");
	assert_false(c[2].committed_before_return); /* its row is not there */
	for (int i = 0; i < N; i++) {
		if (i == 2)
			continue;
		assert_int_equal(c[i].rc, BT_OK);
		assert_true(c[i].committed_before_return);
	}
	assert_int_equal(count(f->db, "SELECT count(*) FROM settings WHERE key LIKE 'test_group_%'"), N - 1);
	/* its event is gone too, and the chain goes on without a gap */
	assert_int_equal(count(f->db, "SELECT count(*) FROM events"), events + N - 1);
	assert_int_equal(count(f->db, "SELECT max(seq) - min(seq) + 1 - count(*) FROM events"), 0);
	witness_is_head(f);
	bt_audit_report rep;
	assert_int_equal(bt_audit_verify(f->db, &rep, &f->e), BT_OK);
	if (rep.first_bad)
		fprintf(stderr, "audit: %s\n", rep.problem);
	assert_int_equal(rep.first_bad, 0);
	close_all(c);
}

static void alone_and_refused_commits_nothing(void **state)
{
	fx *f = *state;
	change c = { .f = f, .fail = 1, .db = f->db };
	int64_t events = count(f->db, "SELECT count(*) FROM events");
	commits = 0;
	sqlite3_commit_hook(f->db->h, count_commit, NULL);
	assert_int_equal(db_write_group(f->db, step, &c, &c.e), BT_EINPUT);
	sqlite3_commit_hook(f->db->h, NULL, NULL);
	assert_int_equal(commits, 0);
	assert_int_equal(count(f->db, "SELECT count(*) FROM events"), events);
	/* and the writer slot is free again */
	assert_int_equal(db_begin(f->db, &f->e), BT_OK);
	db_rollback(f->db);
}

/* Inside the caller's own transaction (which the contract rules out): a
 * refusal at once, nothing queued (no wait for the write lock this thread
 * holds), nothing written. */
static void inside_a_transaction_refused_at_once(void **state)
{
	fx *f = *state;
	change c = { .f = f, .db = f->db };
	int64_t events = count(f->db, "SELECT count(*) FROM events");
	assert_int_equal(db_begin(f->db, &f->e), BT_OK);
	assert_int_not_equal(db_write_group(f->db, step, &c, &c.e), BT_OK);
	assert_null(c.ran_on);
	assert_int_equal(db_group_queued(), 0);
	db_rollback(f->db);
	assert_int_equal(count(f->db, "SELECT count(*) FROM events"), events);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(changes_together_share_one_commit, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(a_refusal_is_rolled_back_alone, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(alone_and_refused_commits_nothing, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(inside_a_transaction_refused_at_once, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
