/* db.c - opening, creating and migrating the SQLite store (include/ballot/db.h). */
#include <errno.h>
#include <fcntl.h>
#include <gnutls/crypto.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"

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
		bt_fail(e, BT_EFAIL, "statement cache full");
		return NULL;
	}
	return st;
}

int db_fail(bt_db *db, bt_err *e, const char *what)
{
	return bt_fail(e, BT_EFAIL, "database error while %s: %s", what,
		       db && db->h ? sqlite3_errmsg(db->h) : "no connection");
}

static int db_exec(bt_db *db, const char *sql, const char *what, bt_err *e)
{
	char *msg = NULL;
	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		bt_fail(e, BT_EFAIL, "database error while %s: %s", what,
			msg ? msg : sqlite3_errmsg(db->h));
		sqlite3_free(msg);
		return BT_EFAIL;
	}
	return BT_OK;
}

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
	int rc = db_exec(db, "BEGIN IMMEDIATE", "starting a transaction", e);
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
	int rc = db_exec(db, "COMMIT", "committing", e);
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

void db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
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

void sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char d[32];
	gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len, d);
	hex_encode(d, sizeof d, out);
}

static int pragma_int64(bt_db *db, const char *sql, int64_t *out)
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
	int rc = pragma_int64(db, sql, &v);
	*out = (int)v;
	return rc;
}

int bt_db_schema_version(bt_db *db)
{
	int v = 0;
	pragma_int(db, "PRAGMA user_version", &v);
	return v;
}

/* Switches the file to WAL. A no-op once it is WAL; the switch itself does
 * not wait on the busy handler, so a racing opener retries for a while. */
static int wal_on(bt_db *db, bt_err *e)
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

/* Applies the per-connection settings of stack-notes.md. */
static int configure(bt_db *db, int readonly, bt_err *e)
{
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DQS_DDL, 0, NULL);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db->h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_busy_timeout(db->h, 10000);
	if (db_exec(db, "PRAGMA foreign_keys=ON", "configuring", e))
		return BT_EFAIL;
	if (!readonly && !sqlite3_db_readonly(db->h, "main") && wal_on(db, e))
		return BT_EFAIL;
	return db_exec(db, "PRAGMA synchronous=FULL", "configuring", e);
}

/* Brings the schema to SQL_SCHEMA_VERSION inside the caller's write
 * transaction (so the version read cannot race another opener). */
static int apply_migrations(bt_db *db, bt_err *e)
{
	char sql[64];
	int from = 0;
	/* a version that cannot be read is an error, not version 0 */
	if (pragma_int(db, "PRAGMA user_version", &from))
		return db_fail(db, e, "reading the schema version");
	for (int v = from; v < SQL_SCHEMA_VERSION; v++)
		if (db_exec(db, SQL_MIGRATIONS[v], "migrating the schema", e))
			return BT_EFAIL;
	snprintf(sql, sizeof sql, "PRAGMA user_version=%d", SQL_SCHEMA_VERSION);
	if (db_exec(db, sql, "migrating the schema", e))
		return BT_EFAIL;
	snprintf(sql, sizeof sql, "PRAGMA application_id=%d", BT_APPLICATION_ID);
	return db_exec(db, sql, "migrating the schema", e);
}

/* Applies pending migrations in one transaction. */
static int migrate(bt_db *db, bt_err *e)
{
	int v = 0;
	if (pragma_int(db, "PRAGMA user_version", &v))
		return db_fail(db, e, "reading the schema version");
	if (v >= SQL_SCHEMA_VERSION)
		return BT_OK;
	if (sqlite3_db_readonly(db->h, "main"))
		return bt_fail(e, BT_EINPUT, "database %s needs an upgrade but is read-only", db->path);
	if (db_begin(db, e))
		return BT_EFAIL;
	/* The default calendar comes with the migration that adds it, as
	 * events of their own in the chain (once per database). */
	bt_time now;
	if (bt_now(&now, e) || apply_migrations(db, e) ||
	    calendar_install_default(db, "ballot:migration", now, e) ||
	    members_install_baseline(db, "ballot:migration", now, e) ||
	    hashes_install_baseline(db, "ballot:migration", now, e) || db_commit(db, e)) {
		db_rollback(db);
		return BT_EFAIL;
	}
	return BT_OK;
}

static int db_open_raw(const char *path, int flags, bt_db **out, bt_err *e)
{
	bt_db *db = calloc(1, sizeof *db);
	if (!db || !(db->path = strdup(path))) {
		free(db);
		return bt_fail(e, BT_EFAIL, "out of memory");
	}
	db->wit_fd = -1;
	int oflags = SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE |
		     ((flags & BT_DB_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
		     ((flags & BT_DB_CREATE) ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &db->h, oflags, NULL) != SQLITE_OK) {
		int rc = bt_fail(e, BT_EINPUT, "--db: cannot open '%s': %s", path,
				 db->h ? sqlite3_errmsg(db->h) : "out of memory");
		bt_db_close(db);
		return rc;
	}
	sqlite3_busy_timeout(db->h, 10000);
	*out = db;
	return BT_OK;
}

/* Fails unless db is a ballot database (or, when allow_empty, an empty one). */
static int check_ours(bt_db *db, int allow_empty, int *empty, bt_err *e)
{
	int64_t app = 0, tables = 0;
	/* One statement, so both come from the same snapshot even while an
	 * init races us. */
	if (pragma_int64(db, "SELECT (SELECT application_id FROM pragma_application_id())"
			   " * 1000000 + (SELECT count(*) FROM sqlite_schema)", &app)) {
		int code = sqlite3_errcode(db->h) & 0xff;
		if (code == SQLITE_READONLY)
			return bt_fail(e, BT_EINPUT, "--db: '%s' is read-only", db->path);
		if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
			return bt_fail(e, BT_EINPUT, "--db: '%s' is not a ballot database (%s)",
				       db->path, sqlite3_errmsg(db->h));
		return bt_fail(e, BT_EFAIL, "--db: cannot read '%s': %s", db->path, sqlite3_errmsg(db->h));
	}
	tables = app % 1000000;
	app /= 1000000;
	*empty = app == 0 && tables == 0;
	if (*empty && allow_empty)
		return BT_OK;
	if (app != BT_APPLICATION_ID)
		return bt_fail(e, BT_EINPUT, "--db: '%s' is not a ballot database", db->path);
	if (bt_db_schema_version(db) > SQL_SCHEMA_VERSION)
		return bt_fail(e, BT_EINPUT,
			       "--db: '%s' has schema version %d, newer than this ballot (%d)",
			       db->path, bt_db_schema_version(db), SQL_SCHEMA_VERSION);
	return BT_OK;
}

int bt_db_open(const char *path, int flags, bt_db **out, bt_err *e)
{
	struct stat sb;
	*out = NULL;
	if (!path || !*path)
		return bt_fail(e, BT_EINPUT, "--db: empty path");
	if (stat(path, &sb) != 0) {
		if (errno == ENOENT && !(flags & BT_DB_CREATE))
			return bt_fail(e, BT_EINPUT, "--db: no database at '%s'; run ballot init", path);
		if (errno != ENOENT)
			return bt_fail(e, BT_EINPUT, "--db: cannot use '%s': %s", path, strerror(errno));
	} else if (!S_ISREG(sb.st_mode)) {
		return bt_fail(e, BT_EINPUT, "--db: '%s' is not a regular file", path);
	}
	bt_db *db;
	int rc = db_open_raw(path, flags, &db, e), empty = 0;
	if (rc)
		return rc;
	rc = check_ours(db, 0, &empty, e);
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
		rc = db_exec(db, "PRAGMA locking_mode=EXCLUSIVE", "opening on a full disk", e);
		if (!rc)
			rc = check_ours(db, 0, &empty, e);
	}
	if (rc ||
	    (rc = configure(db, flags & BT_DB_READONLY, e)) || (rc = migrate(db, e))) {
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
			return bt_fail(e, BT_EFAIL, "out of memory");
		int rc = BT_OK;
		if (stat(f.data, &sb) != 0) {
			if (errno != ENOENT || !i)
				rc = bt_fail(e, BT_EINPUT, "--db: cannot use '%s': %s", f.data, strerror(errno));
		} else if (sb.st_mode & 077) {
			rc = bt_fail(e, BT_EINPUT, "--db: '%s' can be read by others (mode %04o); chmod 600 it",
				     f.data, (unsigned)(sb.st_mode & 07777));
		}
		bt_buf_release(&f);
		if (rc)
			return rc;
	}
	return BT_OK;
}

int bt_db_readonly(bt_db *db)
{
	return sqlite3_db_readonly(db->h, "main") == 1;
}

int bt_db_require_writable(bt_db *db, bt_err *e)
{
	if (bt_db_readonly(db))
		return bt_fail(e, BT_EINPUT, "--db: '%s' is read-only", db->path);
	return BT_OK;
}

/* Creates path as an empty file of mode 0600 before SQLite opens it: the
 * database holds password hashes and attachments, and SQLite gives the -wal,
 * -shm and -journal files beside it the database file's mode. An existing
 * file (an earlier database, or another init racing this one) is left as it
 * is, and *existed says so. The descriptor is closed before SQLite opens the
 * file, so no lock of SQLite's can go with it. */
static int create_private(const char *path, int *existed, bt_err *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	*existed = fd < 0 && errno == EEXIST;
	if (fd < 0)
		return *existed ? BT_OK
				: bt_fail(e, BT_EINPUT, "--db: cannot create '%s': %s", path, strerror(errno));
	/* 0600 whatever the umask */
	int rc = fchmod(fd, 0600) ? bt_fail(e, BT_EFAIL, "--db: cannot set the mode of '%s': %s", path,
					   strerror(errno))
				  : BT_OK;
	close(fd);
	if (rc)
		unlink(path);
	return rc;
}

int bt_db_init(const char *path, const char *members_tsv, size_t len,
	       const char *source, const char *actor, bt_time now, int *created,
	       bt_err *e)
{
	*created = 0;
	int existed = 0;
	int rc = create_private(path, &existed, e), empty = 0;
	if (rc)
		return rc;
	bt_db *db;
	rc = db_open_raw(path, BT_DB_CREATE, &db, e);
	if (rc)
		return rc;
	if ((rc = check_ours(db, 1, &empty, e)))
		goto out;
	if (!empty) {
		/* Already ours: bring the schema up to date, change nothing else. */
		rc = configure(db, 0, e) ? BT_EFAIL : migrate(db, e);
		goto out;
	}
	/* Create in the default journal mode, whose locks wait on the busy
	 * handler, so a racing init waits for this one; WAL comes after. */
	if ((rc = bt_db_require_writable(db, e)) || (rc = configure(db, 1, e)) || (rc = db_begin(db, e)))
		goto out;
	/* Inside the write lock, look again: another init may have won. */
	if ((rc = check_ours(db, 1, &empty, e)))
		goto fail;
	if (!empty) {
		db_rollback(db);
		goto out;
	}
	/* Schema, members and the first event commit together or not at all. */
	if ((rc = apply_migrations(db, e)))
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
		rc = event_write(db, &slot, "init", NULL, now, bt_buf_str(&payload), NULL, NULL, e);
	bt_buf_release(&payload);
	if (rc ||
	    (rc = calendar_install_default(db, actor, now, e)) || (rc = db_commit(db, e)))
		goto fail;
	*created = 1;
	rc = wal_on(db, e);
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

int64_t bt_setting_int(bt_db *db, const char *key, int64_t dflt)
{
	sqlite3_stmt *st = db_stmt(db, SQL_SETTING_GET, NULL);
	if (!st)
		return dflt;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int64_t v = dflt;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);
		char *end;
		long long x = s ? strtoll(s, &end, 10) : 0;
		if (s && *s && !*end)
			v = x;
	}
	sqlite3_reset(st);
	return v;
}

/* The settings a database keeps, with what each may be. */
static const struct setting_def {
	const char *key, *what;
	int64_t min, max;
} settings[] = {
	{ "attachment_max", "a size in bytes", 1, BT_ATTACHMENT_MAX_LIMIT },
	{ "quota_bytes", "a size in bytes", 1, BT_QUOTA_BYTES_LIMIT },
	{ "replies_per_hour", "a number of replies", 1, BT_REPLIES_PER_HOUR_LIMIT },
};

int bt_setting_set(bt_db *db, const char *key, const char *value,
		   const char *actor, bt_time now, bt_err *e)
{
	const struct setting_def *def = NULL;
	for (size_t i = 0; i < sizeof settings / sizeof settings[0]; i++)
		if (strcmp(key, settings[i].key) == 0)
			def = &settings[i];
	if (!def)
		return bt_fail(e, BT_EINPUT, "setting: unknown key '%s' (known: attachment_max, quota_bytes, "
			       "replies_per_hour)", bt_text_clean(key, 0) && strlen(key) < 64 ? key : "(unprintable)");
	char *end;
	errno = 0;
	long long v = strtoll(value, &end, 10);
	if (!*value || *end || errno || v < def->min || v > def->max)
		return bt_fail(e, BT_EINPUT, "%s: '%s' is not %s between %lld and %lld", key,
			       bt_text_clean(value, 0) && strlen(value) < 64 ? value : "(unprintable)", def->what,
			       (long long)def->min, (long long)def->max);
	int rc = db_begin(db, e);
	if (rc)
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_SETTING_PUT, e);
	if (!st)
		goto fail;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, v);
	if (db_exec_stmt(db, st, "saving a setting", e))
		goto fail;
	bt_buf p = BT_BUF_INIT;
	bt_json_kv_str(&p, "key", key, 1);
	bt_json_kv_int(&p, "value", v, 0);
	rc = p.failed ? bt_fail(e, BT_EFAIL, "out of memory")
		      : event_append(db, "setting", NULL, actor, now, bt_buf_str(&p), e);
	bt_buf_release(&p);
	if (rc || db_commit(db, e))
		goto fail;
	return BT_OK;
fail:
	db_rollback(db);
	return e && e->code ? e->code : BT_EFAIL;
}
