/* open.c - opening, checking and closing the SQLite store, and creating its
 * file private (include/ballot/db.h; store floor). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "store/store.h"

/* Switches the file to WAL. A no-op once it is WAL; the switch itself does
 * not wait on the busy handler, so a racing opener retries for a while. */
int db_wal_on(bt_db *db, bt_err *e)
{
	for (int tries = 0;; tries++) {
		int rc = sqlite3_exec(db->h, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return BT_OK;
		if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
			return db_fail(db, e, "switching to WAL");
		if (tries == 500)
			return db_fail(db, e, "switching to WAL");
		struct timespec ts = { 0, 20 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

/* Applies the per-connection settings of stack-notes.md; flags as
 * bt_db_open's (BT_DB_READONLY: no switch to WAL; BT_DB_UNMAPPED: no
 * mapping of the file). */
int db_configure(bt_db *db, int flags, bt_err *e)
{
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DQS_DDL, 0, NULL);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_busy_timeout(db->h, 10000);
	if (db_exec_sql(db, "PRAGMA foreign_keys=ON", "configuring", e))
		return BT_EFAIL;
	/* reads of a large database from the operating system's page cache,
	 * mapped, without a copy per page (make bench: a tally of 100 000
	 * replies spent 40 % of its time in pread copying pages; a larger
	 * cache_size of SQLite's own, per connection, gained no more than
	 * this). Not for BT_DB_UNMAPPED connections (the portal's request
	 * threads, see db.h): those keep SQLite's default, 0, and pread. */
	if (!(flags & BT_DB_UNMAPPED) && db_exec_sql(db, "PRAGMA mmap_size=" BT_MMAP_SIZE, "configuring", e))
		return BT_EFAIL;
	if (!(flags & BT_DB_READONLY) && !sqlite3_db_readonly(db->h, "main") && db_wal_on(db, e))
		return BT_EFAIL;
	return db_exec_sql(db, "PRAGMA synchronous=FULL", "configuring", e);
}

int db_open_fail(sqlite3 *h, int rc, const char *field, const char *path, bt_err *e)
{
	if (!h || (rc & 0xff) == SQLITE_NOMEM)
		return bt_failf(e, BT_R_NOMEM, field, "cannot open '%s': out of memory", path);
	bt_reason why = BT_R_IO; /* an I/O error: not the caller's doing */
	switch (rc & 0xff) {
	case SQLITE_CANTOPEN: /* missing, unreadable, a directory */
	case SQLITE_PERM:
	case SQLITE_AUTH:
	case SQLITE_NOTADB:
		why = BT_R_INPUT;
	}
	return bt_failf(e, why, field, "cannot open '%s': %s", path, sqlite3_errmsg(h));
}

int db_open_raw(const char *path, int flags, bt_db **out, bt_err *e)
{
	bt_db *db = calloc(1, sizeof *db);
	if (!db || !(db->path = strdup(path))) {
		free(db);
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	}
	db->wit_fd = -1;
	for (size_t i = 0; i < BT_DOC_SLOTS; i++)
		bt_buf_init(&db->doc.v[i].doc, 0);
	int oflags = SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE |
		     ((flags & BT_DB_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
		     ((flags & BT_DB_CREATE) ? SQLITE_OPEN_CREATE : 0);
	int orc = sqlite3_open_v2(path, &db->h, oflags, NULL);
	if (orc != SQLITE_OK) {
		int rc = db_open_fail(db->h, orc, "db", path, e);
		bt_db_close(db);
		return rc;
	}
	sqlite3_busy_timeout(db->h, 10000);
	*out = db;
	return BT_OK;
}

/* Fails unless db is a ballot database (or, when allow_empty, an empty one). */
int db_check_ours(bt_db *db, int allow_empty, int *empty, bt_err *e)
{
	int64_t app = 0, tables = 0;
	/* One statement, so both come from the same snapshot even while an
	 * init races us. */
	if (db_pragma_int64(db, "SELECT (SELECT application_id FROM pragma_application_id())"
			   " * 1000000 + (SELECT count(*) FROM sqlite_schema)", &app)) {
		int code = sqlite3_errcode(db->h) & 0xff;
		if (code == SQLITE_READONLY)
			return bt_failf(e, BT_R_FORBIDDEN, "db", "'%s' is read-only", db->path);
		if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
			return bt_failf(e, BT_R_INPUT, "db", "'%s' is not a ballot database (%s)",
					db->path, sqlite3_errmsg(db->h));
		return bt_failf(e, code == SQLITE_NOMEM ? BT_R_NOMEM : BT_R_IO, "db", "cannot read '%s': %s",
				db->path, sqlite3_errmsg(db->h));
	}
	tables = app % 1000000;
	app /= 1000000;
	*empty = app == 0 && tables == 0;
	if (*empty && allow_empty)
		return BT_OK;
	if (app != BT_APPLICATION_ID)
		return bt_failf(e, BT_R_INPUT, "db", "'%s' is not a ballot database", db->path);
	if (bt_db_schema_version(db) > SQL_SCHEMA_VERSION)
		return bt_failf(e, BT_R_INPUT, "db",
				"'%s' has schema version %d, newer than this ballot (%d)",
				db->path, bt_db_schema_version(db), SQL_SCHEMA_VERSION);
	return BT_OK;
}

/* Opens and checks a ballot database and configures the connection (the
 * schema is not brought up to date: bt_db_open does that). */
int db_open(const char *path, int flags, bt_db **out, bt_err *e)
{
	flags &= ~BT_DB_CREATE; /* bt_db_init creates, with mode 0600 */
	struct stat sb;
	*out = NULL;
	if (!path || !*path)
		return bt_failf(e, BT_R_INPUT, "db", "empty path");
	if (stat(path, &sb) != 0) {
		if (errno == ENOENT && !(flags & BT_DB_CREATE))
			return bt_failf(e, BT_R_NOT_FOUND, "db", "no database at '%s'; run {cmd:init}", path);
		if (errno != ENOENT)
			return bt_failf(e, errno == ENOMEM ? BT_R_NOMEM : errno == EIO ? BT_R_IO : BT_R_INPUT, "db",
					"cannot use '%s': %s", path, strerror(errno));
	} else if (!S_ISREG(sb.st_mode)) {
		return bt_failf(e, BT_R_INPUT, "db", "'%s' is not a regular file", path);
	}
	bt_db *db;
	int rc = db_open_raw(path, flags, &db, e), empty = 0;
	if (rc)
		return rc;
	rc = db_check_ours(db, 0, &empty, e);
	int code = sqlite3_errcode(db->h) & 0xff;
	if (rc && (flags & BT_DB_READONLY) && (code == SQLITE_IOERR || code == SQLITE_FULL)) {
		/* A full disk: the shared-memory index (-shm) cannot be made.
		 * In exclusive locking mode SQLite keeps that index in the
		 * process's memory instead, so reading still works (other
		 * connections wait for this one to close: for read-only opens
		 * only, the short-lived read commands, never a server's). */
		bt_db_close(db);
		/* (read-write: that mode takes an exclusive lock) */
		if ((rc = db_open_raw(path, flags & ~BT_DB_READONLY, &db, e)))
			return rc;
		bt_err_clear(e);
		rc = db_exec_sql(db, "PRAGMA locking_mode=EXCLUSIVE", "opening on a full disk", e);
		if (!rc)
			rc = db_check_ours(db, 0, &empty, e);
	}
	if (rc || (rc = db_configure(db, flags, e))) {
		bt_db_close(db);
		return rc;
	}
	*out = db;
	return BT_OK;
}

void bt_db_close(bt_db *db)
{
	if (!db)
		return;
	db_rollback(db); /* releases the write lock of an unfinished change */
	for (int i = 0; i < BT_STMT_CACHE && db->cache[i].sql; i++)
		sqlite3_finalize(db->cache[i].st);
	sqlite3_close(db->h);
	if (db->wit_fd >= 0)
		close(db->wit_fd);
	for (size_t i = 0; i < BT_DOC_SLOTS; i++)
		bt_buf_release(&db->doc.v[i].doc);
	free(db->path);
	free(db);
}

int bt_db_require_private(const char *path, bt_err *e)
{
	static const char *const side[] = { "", "-wal", "-shm" };
	for (size_t i = 0; i < sizeof side / sizeof side[0]; i++) {
		bt_buf f = BT_BUF_INIT;
		struct stat sb;
		if (bt_buf_addf(&f, "%s%s", path, side[i]))
			return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
		int rc = BT_OK;
		if (stat(f.data, &sb) != 0) {
			if (errno != ENOENT || !i)
				rc = bt_failf(e, BT_R_INPUT, "db", "cannot use '%s': %s", f.data, strerror(errno));
		} else if (sb.st_mode & 077) {
			rc = bt_failf(e, BT_R_INPUT, "db", "'%s' can be read by others (mode %04o); chmod 600 it",
				      f.data, (unsigned)(sb.st_mode & 07777));
		}
		bt_buf_release(&f);
		if (rc)
			return rc;
	}
	return BT_OK;
}

/* Creates path as an empty file of mode 0600 before SQLite opens it: the
 * database holds password hashes and attachments, and SQLite gives the -wal,
 * -shm and -journal files beside it the database file's mode. An existing
 * file (an earlier database, or another init racing this one) is left as it
 * is, and *existed says so. The descriptor is closed before SQLite opens the
 * file, so no lock of SQLite's can go with it. */
int db_create_private(const char *path, int *existed, bt_err *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	*existed = fd < 0 && errno == EEXIST;
	if (fd < 0)
		return *existed ? BT_OK
				: bt_failf(e, BT_R_INPUT, "db", "cannot create '%s': %s", path, strerror(errno));
	/* 0600 whatever the umask */
	int rc = fchmod(fd, 0600) ? bt_failf(e, BT_R_IO, "db", "cannot set the mode of '%s': %s", path,
					   strerror(errno))
				  : BT_OK;
	close(fd);
	if (rc)
		unlink(path);
	return rc;
}

