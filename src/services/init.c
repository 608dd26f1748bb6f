/* init.c - creating a database and bringing an old one up to date: the
 * schema, then what each migration records in the event log (members,
 * calendar, hash baselines) (include/ballot/db.h; services floor). */
#include <stdio.h>
#include <string.h>
#include "services/services.h"

/* Applies pending migrations in one transaction. */
static int migrate(bt_db *db, bt_err *e)
{
	int64_t v = 0;
	/* a version that cannot be read is an error, not version 0 */
	if (db_pragma_int64(db, "PRAGMA user_version", &v))
		return db_fail(db, e, "reading the schema version");
	if (v >= SQL_SCHEMA_VERSION)
		return BT_OK;
	if (sqlite3_db_readonly(db->h, "main"))
		return bt_failf(e, BT_R_FORBIDDEN, NULL,
				"database %s needs an upgrade but is read-only", db->path);
	if (db_begin(db, e))
		return BT_EFAIL;
	/* The default calendar comes with the migration that adds it, as
	 * events of their own in the chain (once per database). */
	bt_time now;
	if (bt_now(&now, e) || db_apply_migrations(db, e) ||
	    calendar_install_default(db, "ballot:migration", now, e) ||
	    members_install_baseline(db, "ballot:migration", now, e) ||
	    hashes_install_baseline(db, "ballot:migration", now, e) || db_commit(db, e)) {
		db_rollback(db);
		return BT_EFAIL;
	}
	return BT_OK;
}

int bt_db_open(const char *path, int flags, bt_db **out, bt_err *e)
{
	bt_db *db;
	*out = NULL;
	int rc = db_open(path, flags, &db, e);
	if (rc)
		return rc;
	if ((rc = migrate(db, e))) {
		bt_db_close(db);
		return rc;
	}
	*out = db;
	return BT_OK;
}

/* What the init event records (its db_write's ctx): the Member States. */
typedef struct init_members {
	const char *tsv;
	size_t len;
	const char *source;
} init_members;

/* The init event's rows: the members, recorded by the event itself, whose
 * payload gives the schema version and renders them. */
static int init_rows(bt_db *db, db_write *w, bt_err *e)
{
	init_members *m = w->ctx;
	bt_member_import_stats st;
	int found, rc = members_import_txn(db, m->tsv, m->len, m->source, NULL, 0, w->ev.seq, w->now, &st, e);
	if (rc)
		return rc;
	bt_buf_addf(&w->payload, "\"schema\":%d,\"members\":%d,", SQL_SCHEMA_VERSION, st.added);
	return member_payload(db, w->ev.seq, &w->payload, &found, e);
}

/* Inside the write lock: when the database is still empty (*fresh), the
 * schema, the init event with the members and the calendar; when another
 * init has won meanwhile, nothing. */
static int init_fill(bt_db *db, const char *path, db_write *w, int *fresh, bt_err *e)
{
	int empty = 0;
	int rc = db_check_ours(db, 1, &empty, e);
	if (rc || !(*fresh = empty))
		return rc;
	/* A new database: a witness left by an earlier one at this path names
	 * nothing of this one. */
	if ((rc = db_apply_migrations(db, e)) || (rc = witness_reset(path, 0, ZERO_HASH, e)) ||
	    (rc = db_write_in(db, w, NULL, init_rows, e)))
		return rc;
	return calendar_install_default(db, w->actor, w->now, e);
}

/* Makes the empty database db at path a ballot database: schema, members
 * and the first events commit together or not at all (*created then). */
static int init_create(bt_db *db, const char *path, db_write *w, int *created, bt_err *e)
{
	int fresh = 0, rc;
	/* Create in the default journal mode, whose locks wait on the busy
	 * handler, so a racing init waits for this one; WAL comes after. */
	if ((rc = bt_db_require_writable(db, e)) || (rc = db_configure(db, BT_DB_READONLY, e)) || (rc = db_begin(db, e)))
		return rc;
	/* Inside the write lock, look again: another init may have won. */
	if ((rc = init_fill(db, path, w, &fresh, e)) || !fresh || (rc = db_commit(db, e))) {
		db_rollback(db);
		return rc;
	}
	*created = 1;
	return db_wal_on(db, e);
}

/* The database just opened at path: made one when empty, else (already
 * ours) brought up to date with nothing else changed. */
static int init_open(bt_db *db, const char *path, db_write *w, int *created, bt_err *e)
{
	int empty = 0;
	int rc = db_check_ours(db, 1, &empty, e);
	if (rc)
		return rc;
	if (!empty)
		return db_configure(db, 0, e) ? BT_EFAIL : migrate(db, e);
	return init_create(db, path, w, created, e);
}

/* What a failed init made at path: the file (left empty by the rolled-back
 * transaction), its journal files and its witness. Another init that raced
 * us holds the write lock until it commits, and we only get here when ours
 * failed, which does not happen when it won. */
static void init_undo(const char *path)
{
	char side[4096];
	if (strlen(path) + 5 >= sizeof side)
		return;
	remove(path);
	snprintf(side, sizeof side, "%s-wal", path);
	remove(side);
	snprintf(side, sizeof side, "%s-shm", path);
	remove(side);
	witness_remove(path);
}

int bt_db_init(const char *path, const char *members_tsv, size_t len,
	       const char *source, const char *actor, bt_time now, int *created,
	       bt_err *e)
{
	*created = 0;
	int existed = 0;
	int rc = db_create_private(path, &existed, e);
	if (rc)
		return rc;
	init_members m = { members_tsv, len, source };
	db_write w = { .kind = EVK_INIT, .actor = actor, .now = now, .ctx = &m };
	bt_db *db;
	if (!(rc = db_open_raw(path, BT_DB_CREATE, &db, e))) {
		rc = init_open(db, path, &w, created, e);
		bt_db_close(db);
	}
	/* a failed init leaves nothing behind */
	if (rc && !existed && !*created)
		init_undo(path);
	return rc;
}
