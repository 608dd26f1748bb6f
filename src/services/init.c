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

int bt_db_init(const char *path, const char *members_tsv, size_t len,
	       const char *source, const char *actor, bt_time now, int *created,
	       bt_err *e)
{
	*created = 0;
	int existed = 0;
	int rc = db_create_private(path, &existed, e), empty = 0;
	if (rc)
		return rc;
	bt_db *db;
	rc = db_open_raw(path, BT_DB_CREATE, &db, e);
	if (rc)
		return rc;
	if ((rc = db_check_ours(db, 1, &empty, e)))
		goto out;
	if (!empty) {
		/* Already ours: bring the schema up to date, change nothing else. */
		rc = db_configure(db, 0, e) ? BT_EFAIL : migrate(db, e);
		goto out;
	}
	/* Create in the default journal mode, whose locks wait on the busy
	 * handler, so a racing init waits for this one; WAL comes after. */
	if ((rc = bt_db_require_writable(db, e)) || (rc = db_configure(db, 1, e)) || (rc = db_begin(db, e)))
		goto out;
	/* Inside the write lock, look again: another init may have won. */
	if ((rc = db_check_ours(db, 1, &empty, e)))
		goto fail;
	if (!empty) {
		db_rollback(db);
		goto out;
	}
	/* Schema, members and the first event commit together or not at all. */
	if ((rc = db_apply_migrations(db, e)))
		goto fail;
	/* A new database: a witness left by an earlier one at this path names
	 * nothing of this one. */
	if ((rc = witness_reset(path, 0, ZERO_HASH, e)))
		goto fail;
	bt_member_import_stats st;
	event_slot slot;
	bt_buf payload = BT_BUF_INIT;
	int found;
	/* the members are recorded by the init event itself */
	if ((rc = event_reserve(db, actor, &slot, e)) ||
	    (rc = members_import_txn(db, members_tsv, len, source, NULL, 0, slot.seq, now, &st, e)))
		goto fail;
	bt_buf_addf(&payload, "\"schema\":%d,\"members\":%d,", SQL_SCHEMA_VERSION, st.added);
	if (!(rc = member_payload(db, slot.seq, &payload, &found, e)))
		rc = event_write(db, &slot, EVK_INIT, NULL, now, bt_buf_str(&payload), NULL, NULL, e);
	bt_buf_release(&payload);
	if (rc ||
	    (rc = calendar_install_default(db, actor, now, e)) || (rc = db_commit(db, e)))
		goto fail;
	*created = 1;
	rc = db_wal_on(db, e);
	goto out;
fail:
	db_rollback(db);
out:
	bt_db_close(db);
	if (rc && !existed && !*created) {
		/* The transaction left the new file empty: remove it, so that a
		 * failed init leaves nothing behind. Another init that raced us
		 * holds the write lock until it commits, and we only get here
		 * when ours failed, which does not happen when it won. */
		char side[4096];
		if (strlen(path) + 5 < sizeof side) {
			remove(path);
			snprintf(side, sizeof side, "%s-wal", path);
			remove(side);
			snprintf(side, sizeof side, "%s-shm", path);
			remove(side);
			witness_remove(path);
		}
	}
	return rc;
}
