/* old_schema.c - a test tool for the upgrade tests (not part of ballot):
 *
 *   old_schema N NEW.db [FROM.db]
 *
 * makes NEW.db a database of schema version N: SQL_MIGRATIONS[0..N) of
 * src/store/sql.c applied in order (what the ballot of that version made),
 * user_version N and ballot's application_id. With FROM.db (a database of
 * today's schema, and its .key and .witness beside it when the test copies
 * them), every row of FROM.db's tables that schema N has is copied, with
 * the columns schema N has: the same records as an older ballot would
 * hold them, without a hand-kept list of what later migrations added.
 * NEW.db is made mode 0600, as ballot wants it. Exits 0, or 1 with a
 * message on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "store/sql.h"
#include "store/store.h"

static int fail(sqlite3 *db, const char *what)
{
	fprintf(stderr, "old_schema: %s: %s\n", what, db ? sqlite3_errmsg(db) : "cannot open");
	return 1;
}

/* The columns of table t in schema s ("main" or "cur"), as a list for SQL
 * ("a","b",...), into out (n bytes). */
static int columns_of(sqlite3 *db, const char *s, const char *t, char *out, size_t n)
{
	char *sql = sqlite3_mprintf("SELECT name FROM pragma_table_info(%Q, %Q)", t, s);
	sqlite3_stmt *st;
	size_t at = 0;
	out[0] = '\0';
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	sqlite3_free(sql);
	if (rc != SQLITE_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		char *q = sqlite3_mprintf("%s\"%w\"", at ? "," : "", (const char *)sqlite3_column_text(st, 0));
		size_t len = strlen(q);
		if (at + len + 1 < n) {
			memcpy(out + at, q, len + 1);
			at += len;
		}
		sqlite3_free(q);
	}
	return sqlite3_finalize(st) == SQLITE_OK ? 0 : -1;
}

/* Copies the rows of every table of schema N from cur (FROM.db). */
static int copy_rows(sqlite3 *db)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT name FROM main.sqlite_schema WHERE type = 'table'"
			       " AND name NOT LIKE 'sqlite_%' ORDER BY rowid", -1, &st, NULL) != SQLITE_OK)
		return fail(db, "listing tables");
	int rc = 0;
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		char cols[8192];
		if (columns_of(db, "main", t, cols, sizeof cols))
			rc = fail(db, t);
		char *sql = rc ? NULL : sqlite3_mprintf("INSERT INTO main.\"%w\"(%s) SELECT %s FROM cur.\"%w\"",
							   t, cols, cols, t);
		if (sql && sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
			rc = fail(db, t);
		sqlite3_free(sql);
	}
	sqlite3_finalize(st);
	return rc;
}

int main(int argc, char **argv)
{
	int n = argc >= 3 ? atoi(argv[1]) : -1;
	if (argc < 3 || argc > 4 || n < 1 || n > SQL_SCHEMA_VERSION) {
		fprintf(stderr, "usage: old_schema N NEW.db [FROM.db]  (N: 1..%d)\n", SQL_SCHEMA_VERSION);
		return 2;
	}
	sqlite3 *db = NULL;
	umask(077); /* as ballot makes its databases: readable by their owner alone */
	if (sqlite3_open_v2(argv[2], &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
		return fail(db, argv[2]);
	int rc = sqlite3_exec(db, "PRAGMA foreign_keys = OFF; BEGIN", NULL, NULL, NULL) != SQLITE_OK;
	for (int v = 0; !rc && v < n; v++)
		if (sqlite3_exec(db, SQL_MIGRATIONS[v], NULL, NULL, NULL) != SQLITE_OK)
			rc = fail(db, "a migration");
	if (!rc && argc == 4) {
		char *sql = sqlite3_mprintf("ATTACH %Q AS cur", argv[3]);
		/* ATTACH cannot run inside a transaction: commit the schema first */
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK ||
		     sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK ||
		     sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ? fail(db, argv[3]) : copy_rows(db);
		sqlite3_free(sql);
	}
	char *sql = sqlite3_mprintf("PRAGMA user_version = %d; PRAGMA application_id = %d; COMMIT", n,
				    BT_APPLICATION_ID);
	if (!rc && sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		rc = fail(db, "setting the version");
	sqlite3_free(sql);
	sqlite3_close(db);
	return rc;
}
