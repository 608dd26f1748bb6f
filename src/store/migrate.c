/* migrate.c - bringing the schema to SQL_SCHEMA_VERSION (store floor; what
 * a migration records in the event log is done above, in services/init.c). */
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
