/* txn.c - write transactions: one writer per process, the damage guard
 * inside BEGIN, the witness after COMMIT (store floor). */
#include <pthread.h>
#include "store/store.h"

/* One write transaction at a time per process. Connections of one process
 * (the portal's request threads) queue here instead of in SQLite's busy
 * handler, which sleeps in steps of up to 100 ms and made a reply wait
 * seconds under load (make bench); other processes still meet SQLite's
 * lock and busy timeout. */
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;

static void write_unlock(bt_db *db)
{
	if (db->write_locked && sqlite3_get_autocommit(db->h)) {
		db->write_locked = 0;
		pthread_mutex_unlock(&write_lock);
	}
}

int db_begin(bt_db *db, bt_err *e)
{
	int took = !db->write_locked;
	if (took) {
		pthread_mutex_lock(&write_lock);
		db->write_locked = 1;
	}
	int rc = db_exec_sql(db, "BEGIN IMMEDIATE", "starting a transaction", e);
	if (!rc && took && (rc = db_damage_guard(db, e)))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	if (rc && took) {
		db->write_locked = 0;
		pthread_mutex_unlock(&write_lock);
	}
	return rc;
}

int db_commit(bt_db *db, bt_err *e)
{
	int rc = db_exec_sql(db, "COMMIT", "committing", e);
	/* Committed: the witness follows before anything is acknowledged
	 * (witness.c says why in this order). */
	if (!rc && db->wit_seq && sqlite3_get_autocommit(db->h))
		rc = witness_advance(db, db->wit_seq, db->wit_hash, e);
	if (sqlite3_get_autocommit(db->h))
		db->wit_seq = 0;
	write_unlock(db);
	return rc;
}

void db_rollback(bt_db *db)
{
	db->wit_seq = 0;
	/* h is NULL when sqlite3_open_v2 could not allocate the connection */
	if (db->h && !sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	write_unlock(db);
}

int db_in_transaction(bt_db *db, bt_err *e)
{
	if (!sqlite3_get_autocommit(db->h))
		return BT_OK;
	return bt_failf(e, BT_R_IO, NULL, "the write's transaction was rolled back by SQLite (out of memory or an "
			"I/O error); nothing was recorded");
}
