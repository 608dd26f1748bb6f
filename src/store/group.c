/* group.c - group commit (store floor): changes that threads of one process
 * ask for at the same time share one write transaction, so one COMMIT (one
 * fsync of the log and one of the witness) acknowledges them all. The
 * portal's replies wait on the disk, not the processor: one transaction per
 * reply made the disk the limit (make bench).
 *
 * A caller queues its change and waits. Whoever finds no batch running
 * becomes the leader: it takes every queued change for the same database,
 * begins on its own connection, runs each change inside a SAVEPOINT (a
 * refusal rolls back that change alone, as if it had been its own
 * transaction; the changes run in the order they came, each seeing those
 * before it), commits once, and only then hands each waiter its own
 * outcome. Nobody is answered before the COMMIT that holds its change has
 * returned and the witness has followed. */
#include <pthread.h>
#include <string.h>
#include "store/store.h"

/* The most changes in one transaction: a bound on the time the write lock
 * is held, and on what one failure of the COMMIT refuses. */
#define GROUP_MAX 64

typedef struct group_item {
	bt_db *db;
	db_group_step *step;
	void *ctx;
	bt_err *e;
	int rc, done;
	struct group_item *next;
} group_item;

static pthread_mutex_t group_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t group_done = PTHREAD_COND_INITIALIZER;
static group_item *queue_head;
static int leading; /* a batch runs */

/* Takes up to GROUP_MAX queued changes for the database of db, in the
 * order they came, into batch; returns how many. Under group_lock. */
static size_t take_batch(bt_db *db, group_item **batch)
{
	size_t n = 0;
	for (group_item **p = &queue_head; *p && n < GROUP_MAX;) {
		group_item *it = *p;
		if (strcmp(it->db->path, db->path) != 0) {
			p = &it->next;
			continue;
		}
		*p = it->next;
		batch[n++] = it;
	}
	return n;
}

/* Every change of batch[0..n-1] that was kept fails with why (the
 * transaction that held it is lost); refused ones keep their refusal. */
static void batch_lost(group_item **batch, size_t n, int rc, const bt_err *why)
{
	for (size_t i = 0; i < n; i++) {
		if (!batch[i]->rc) {
			batch[i]->rc = rc;
			if (batch[i]->e)
				*batch[i]->e = *why;
		}
	}
}

/* Runs one change inside its savepoint: BT_OK when it is kept; its
 * refusal (its savepoint rolled back) otherwise; -2 when the transaction
 * itself was lost (SQLite rolled it back, or the savepoint could not be
 * rolled back), why saying so. */
static int run_one(bt_db *db, group_item *it, bt_err *why)
{
	int64_t wit_seq = db->wit_seq;
	char wit_hash[65];
	memcpy(wit_hash, db->wit_hash, sizeof wit_hash);
	if (db_exec_sql(db, "SAVEPOINT bt_group", "starting a change", it->e))
		return it->rc = BT_EFAIL, db_in_transaction(db, why) ? -2 : BT_OK;
	it->rc = it->step(db, it->ctx, it->e);
	if (db_in_transaction(db, why))
		return -2;
	if (it->rc) {
		/* the refused change leaves nothing, the witness included */
		if (db_exec_sql(db, "ROLLBACK TO bt_group", "undoing a refused change", why))
			return -2;
		db->wit_seq = wit_seq;
		memcpy(db->wit_hash, wit_hash, sizeof wit_hash);
	}
	if (db_exec_sql(db, "RELEASE bt_group", "ending a change", why))
		return -2;
	return BT_OK;
}

/* The leader's work: one transaction on db for batch[0..n-1], each item's
 * rc (and *e) set. */
static void run_batch(bt_db *db, group_item **batch, size_t n)
{
	bt_err why;
	int rc = db_begin(db, &why), kept = 0;
	if (rc) {
		batch_lost(batch, n, rc, &why);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (run_one(db, batch[i], &why) == -2) {
			db_rollback(db);
			batch_lost(batch, n, BT_EFAIL, &why);
			return;
		}
		kept += !batch[i]->rc;
	}
	if (!kept) { /* every change refused: nothing to commit */
		db_rollback(db);
		return;
	}
	if ((rc = db_commit(db, &why))) {
		db_rollback(db);
		batch_lost(batch, n, rc, &why);
	}
}

int db_write_group(bt_db *db, db_group_step *step, void *ctx, bt_err *e)
{
	group_item me = { .db = db, .step = step, .ctx = ctx, .e = e };
	group_item *batch[GROUP_MAX];
	if (db->write_locked || !sqlite3_get_autocommit(db->h)) {
		/* inside the caller's transaction (which the contract rules
		 * out): alone, never queued behind a leader that would wait for
		 * the write lock this thread holds; its BEGIN refuses */
		group_item *self = &me;
		run_batch(db, &self, 1);
		return me.rc;
	}
	pthread_mutex_lock(&group_lock);
	group_item **tail = &queue_head;
	while (*tail)
		tail = &(*tail)->next;
	*tail = &me;
	while (!me.done) {
		if (leading) {
			pthread_cond_wait(&group_done, &group_lock);
			continue;
		}
		/* lead: this change and those queued with it for db */
		leading = 1;
		size_t n = take_batch(db, batch);
		pthread_mutex_unlock(&group_lock);
		run_batch(db, batch, n);
		pthread_mutex_lock(&group_lock);
		for (size_t i = 0; i < n; i++)
			batch[i]->done = 1;
		leading = 0;
		pthread_cond_broadcast(&group_done);
	}
	pthread_mutex_unlock(&group_lock);
	return me.rc;
}

size_t db_group_queued(void)
{
	size_t n = 0;
	pthread_mutex_lock(&group_lock);
	for (const group_item *it = queue_head; it; it = it->next)
		n++;
	pthread_mutex_unlock(&group_lock);
	return n;
}
