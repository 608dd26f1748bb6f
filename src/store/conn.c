/* conn.c - the connection to the SQLite store: cached statements, reads,
 * binding and columns, pragmas (store floor). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store/store.h"

sqlite3_stmt *db_stmt(bt_db *db, const char *sql, bt_err *e)
{
	int i;
	for (i = 0; i < BT_STMT_CACHE && db->cache[i].sql; i++) {
		if (db->cache[i].sql == sql) {
			sqlite3_reset(db->cache[i].st);
			sqlite3_clear_bindings(db->cache[i].st);
			return db->cache[i].st;
		}
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		db_fail(db, e, "preparing a statement");
		return NULL;
	}
	if (i < BT_STMT_CACHE) {
		db->cache[i].sql = sql;
		db->cache[i].st = st;
	} else {
		/* The cache is sized for every statement in sql.c. */
		sqlite3_finalize(st);
		bt_failf(e, BT_R_IO, NULL, "statement cache full");
		return NULL;
	}
	return st;
}

bt_reason db_reason(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_NOMEM:
		return BT_R_NOMEM;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
	case SQLITE_ERROR:    /* the engine's own SQL: the schema lacks what it names */
	case SQLITE_SCHEMA:
	case SQLITE_MISMATCH:
	case SQLITE_FORMAT:
		return BT_R_DAMAGED;
	default:              /* I/O, a full disk, a lock, a refused write */
		return BT_R_IO;
	}
}

int db_is_fault(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_NOMEM:
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_NOLFS:
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_INTERRUPT:
		return 1;
	default:
		return 0;
	}
}

int db_fail(bt_db *db, bt_err *e, const char *what)
{
	return bt_failf(e, db && db->h ? db_reason(sqlite3_errcode(db->h)) : BT_R_IO, NULL,
			"database error while %s: %s", what,
			db && db->h ? sqlite3_errmsg(db->h) : "no connection");
}

int db_exec_sql(bt_db *db, const char *sql, const char *what, bt_err *e)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		bt_failf(e, db_reason(rc), NULL, "database error while %s: %s", what,
			 msg ? msg : sqlite3_errmsg(db->h));
		sqlite3_free(msg);
		return BT_EFAIL;
	}
	return BT_OK;
}

int db_read_begin(bt_db *db)
{
	if (!sqlite3_get_autocommit(db->h))
		return 0;
	return sqlite3_exec(db->h, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
}

void db_read_end(bt_db *db, int started)
{
	if (started)
		sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
}

int db_exec_stmt(bt_db *db, sqlite3_stmt *st, const char *what, bt_err *e)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(db, e, what);
	sqlite3_reset(st);
	return BT_OK;
}

int db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (!s)
		return sqlite3_bind_null(st, i);
	int rc = sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	/* The copy failed (SQLite had no memory for it) and SQLite bound NULL:
	 * bind s itself, which allocates nothing, so that a look-up still
	 * finds its row and an insert stores what the caller wrote rather than
	 * a NULL. s outlives the step (the contract in store.h). */
	if (rc == SQLITE_NOMEM)
		rc = sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	return rc;
}

int db_bind_kept(sqlite3_stmt *st, int i, const char *s)
{
	return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

char *db_col_strdup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? strdup((const char *)s) : NULL;
}

void db_col_copy(sqlite3_stmt *st, int i, char *out, size_t n)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	snprintf(out, n, "%s", s ? (const char *)s : "");
}

int db_col_blobdup(sqlite3_stmt *st, int i, unsigned char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return BT_OK;
	const void *b = sqlite3_column_blob(st, i);
	size_t n = (size_t)sqlite3_column_bytes(st, i);
	if (!(*out = malloc(n ? n : 1)))
		return BT_EFAIL;
	if (n)
		memcpy(*out, b, n);
	*len = n;
	return BT_OK;
}

int db_pragma_int64(bt_db *db, const char *sql, int64_t *out)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int pragma_int(bt_db *db, const char *sql, int *out)
{
	int64_t v = 0;
	int rc = db_pragma_int64(db, sql, &v);
	*out = (int)v;
	return rc;
}

int bt_db_schema_version(bt_db *db)
{
	int v = 0;
	pragma_int(db, "PRAGMA user_version", &v);
	return v;
}

int bt_db_readonly(bt_db *db)
{
	return sqlite3_db_readonly(db->h, "main") == 1;
}

int bt_db_require_writable(bt_db *db, bt_err *e)
{
	if (bt_db_readonly(db))
		return bt_failf(e, BT_R_FORBIDDEN, "db", "'%s' is read-only", db->path);
	return BT_OK;
}

int db_collect(bt_db *db, sqlite3_stmt *st, void *v, size_t *n, size_t elem,
	       db_row_fill *fill, const char *what, bt_err *e)
{
	size_t cap = *n;
	int rc = BT_OK, step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (array_reserve(v, &cap, *n + 1, elem)) {
			rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
			break;
		}
		char *at = *(char **)v + *n * elem;
		memset(at, 0, elem);
		fill(st, at);
		(*n)++;
	}
	sqlite3_reset(st);
	if (!rc && step != SQLITE_DONE)
		rc = db_fail(db, e, what);
	return rc;
}
