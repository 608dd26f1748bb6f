/* migrate.c - bringing the schema to SQL_SCHEMA_VERSION, and the one path by
 * which a migration records a baseline in the event log once (store floor;
 * what each baseline holds is the domain's, and services/init.c runs them). */
#include <stdio.h>
#include "store/store.h"

/* Brings the schema to SQL_SCHEMA_VERSION inside the caller's write
 * transaction (so the version read cannot race another opener). */
int db_apply_migrations(bt_db *db, bt_err *e)
{
	char sql[64];
	int64_t from = 0;
	/* a version that cannot be read is an error, not version 0 */
	if (db_pragma_int64(db, "PRAGMA user_version", &from))
		return db_fail(db, e, "reading the schema version");
	for (int v = (int)from; v < SQL_SCHEMA_VERSION; v++)
		if (db_exec_sql(db, SQL_MIGRATIONS[v], "migrating the schema", e))
			return BT_EFAIL;
	snprintf(sql, sizeof sql, "PRAGMA user_version=%d", SQL_SCHEMA_VERSION);
	if (db_exec_sql(db, sql, "migrating the schema", e))
		return BT_EFAIL;
	snprintf(sql, sizeof sql, "PRAGMA application_id=%d", BT_APPLICATION_ID);
	return db_exec_sql(db, sql, "migrating the schema", e);
}

int db_write_once(bt_db *db, const char *done_sql, db_write *w, size_t n, db_write_step *check,
		  db_write_step *insert, bt_err *e)
{
	int64_t done = 0;
	if (db_pragma_int64(db, done_sql, &done))
		return db_fail(db, e, "reading the event log");
	int rc = BT_OK;
	for (size_t i = 0; !done && !rc && i < n; i++)
		rc = db_write_in(db, &w[i], check, insert, e);
	return rc;
}
