/* backup.c - backup, restore and the checks of a database file
 * (include/ballot/backup.h). */
#include <stdio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "services/services.h"
#include "ballot/backup.h"

/* strerror in lowercase, as the other messages are. */
static const char *errtext(int err, char *buf, size_t len)
{
	snprintf(buf, len, "%s", err == ENOENT ? "no such file" : strerror(err));
	if (buf[0] >= 'A' && buf[0] <= 'Z')
		buf[0] = (char)(buf[0] - 'A' + 'a');
	return buf;
}

/* Runs a checking pragma: describes its first row into out with describe
 * and gives the number of rows, or -1 (out says why) when it could not run. */
static int64_t pragma_rows(bt_db *db, const char *sql, void (*describe)(sqlite3_stmt *, char *, size_t),
			   char *out, size_t n)
{
	sqlite3_stmt *st;
	int64_t rows = 0;
	int step = SQLITE_ERROR;
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) == SQLITE_OK) {
		while ((step = sqlite3_step(st)) == SQLITE_ROW)
			if (rows++ == 0)
				describe(st, out, n);
		sqlite3_finalize(st);
	}
	if (step != SQLITE_DONE) {
		snprintf(out, n, "could not run: %s", sqlite3_errmsg(db->h));
		return -1;
	}
	if (rows > 1) {
		size_t len = strlen(out);
		snprintf(out + len, n - len, " (and %lld more)", (long long)(rows - 1));
	}
	return rows;
}

/* integrity_check: one row "ok", or one row per problem. */
static void integrity_row(sqlite3_stmt *st, char *out, size_t n)
{
	const char *row = (const char *)sqlite3_column_text(st, 0);
	snprintf(out, n, "%s", row ? row : "?");
}

/* foreign_key_check: a row (table, rowid, parent, fk) per dangling reference. */
static void foreign_key_row(sqlite3_stmt *st, char *out, size_t n)
{
	const char *table = (const char *)sqlite3_column_text(st, 0);
	const char *parent = (const char *)sqlite3_column_text(st, 2);
	snprintf(out, n, "%s row %lld refers to a missing %s row", table ? table : "?",
		 (long long)sqlite3_column_int64(st, 1), parent ? parent : "?");
}

int bt_db_check(bt_db *db, bt_check_report *r, bt_err *e)
{
	(void)e;
	memset(r, 0, sizeof *r);
	/* the witness before the snapshot (witness_check says why) */
	int64_t wseq;
	char whash[65];
	bt_err we = { 0 };
	int wread = witness_read(db, &wseq, whash, &we);
	int snap = db_read_begin(db);
	bt_progress("integrity_check", 0, 0);
	int64_t n = pragma_rows(db, SQL_INTEGRITY_CHECK, integrity_row, r->integrity, sizeof r->integrity);
	r->integrity_ok = n == 1 && strcmp(r->integrity, "ok") == 0;
	bt_progress("foreign_key_check", 0, 0);
	n = pragma_rows(db, SQL_FOREIGN_KEY_CHECK, foreign_key_row, r->foreign_keys, sizeof r->foreign_keys);
	r->foreign_keys_ok = n == 0;
	if (n == 0)
		snprintf(r->foreign_keys, sizeof r->foreign_keys, "ok");
	bt_err ae = { 0 };
	if (bt_audit_verify(db, &r->audit, &ae) != BT_OK)
		snprintf(r->chain, sizeof r->chain, "could not be read: %.280s", ae.msg);
	else if (r->audit.first_bad)
		snprintf(r->chain, sizeof r->chain, "event %lld: %s", (long long)r->audit.first_bad,
			 r->audit.problem);
	else if (r->audit.events == 0)
		snprintf(r->chain, sizeof r->chain, "no events (a ballot database has at least one)");
	else {
		snprintf(r->chain, sizeof r->chain, "ok");
		r->chain_ok = 1;
	}
	if (wread)
		snprintf(r->witness, sizeof r->witness, "%.300s", we.msg);
	else
		r->witness_ok = witness_check(db, wseq, whash, r->witness, sizeof r->witness);
	db_read_end(db, snap);
	return BT_OK;
}

int bt_check_passed(const bt_check_report *r)
{
	return r->integrity_ok && r->foreign_keys_ok && r->chain_ok && r->witness_ok;
}

void bt_check_first_problem(const bt_check_report *r, char *out, size_t n)
{
	if (!r->integrity_ok)
		snprintf(out, n, "integrity_check: %s", r->integrity);
	else if (!r->foreign_keys_ok)
		snprintf(out, n, "foreign_key_check: %s", r->foreign_keys);
	else if (!r->chain_ok)
		snprintf(out, n, "event chain: %s", r->chain);
	else if (!r->witness_ok)
		snprintf(out, n, "witness: %s", r->witness);
	else if (n)
		out[0] = '\0';
}

/* The directory part of path into dir ("." for a bare name). */
static void dir_of(const char *path, char *dir, size_t n)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, n, ".");
	else
		snprintf(dir, n, "%.*s", slash == path ? 1 : (int)(slash - path), path);
}

/* Creates an empty temporary file beside path (".<name>.XXXXXX", mode 0600)
 * and gives its name (free() it). SQLite opens it by name afterwards. */
static int temp_beside(const char *path, const char *field, char **out, bt_err *e)
{
	char dir[4096], eb[128];
	const char *slash = strrchr(path, '/');
	dir_of(path, dir, sizeof dir);
	bt_buf t = BT_BUF_INIT;
	bt_buf_addf(&t, "%s/.%s.XXXXXX", dir, slash ? slash + 1 : path);
	if (t.failed || !t.data)
		return bt_failf(e, BT_R_NOMEM, field, "out of memory");
	int fd = mkstemp(t.data);
	if (fd < 0) {
		int err = errno;
		bt_buf_release(&t);
		return bt_failf(e, err == ENOSPC || err == EIO ? BT_R_IO : BT_R_INPUT, field,
				"cannot write in '%s': %s", dir, errtext(err, eb, sizeof eb));
	}
	close(fd);
	*out = t.data;
	return BT_OK;
}

/* Removes a database file and the files SQLite may keep beside it. */
static void remove_db_files(const char *p)
{
	char side[4200];
	unlink(p);
	static const char *const ext[] = { "-wal", "-shm", "-journal", ".witness" };
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		snprintf(side, sizeof side, "%s%s", p, ext[i]);
		unlink(side);
	}
}

/* 1 when path has a -wal or -journal file beside it. */
static int has_side_files(const char *path)
{
	char side[4200];
	struct stat sb;
	snprintf(side, sizeof side, "%s-wal", path);
	if (lstat(side, &sb) == 0)
		return 1;
	snprintf(side, sizeof side, "%s-journal", path);
	return lstat(side, &sb) == 0;
}

/* fsync of a file (no SQLite connection has it open) or directory. */
static int sync_path(const char *path, int directory)
{
	int fd = open(path, O_RDONLY | (directory ? O_DIRECTORY : 0));
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	if (close(fd) != 0)
		rc = -1;
	return rc;
}

static int sync_dir_of(const char *path)
{
	char dir[4096];
	dir_of(path, dir, sizeof dir);
	return sync_path(dir, 1);
}

static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

static int open_raw(const char *path, int flags, sqlite3 **h)
{
	int rc = sqlite3_open_v2(path, h, flags | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE, NULL);
	if (*h)
		sqlite3_busy_timeout(*h, 10000);
	return rc;
}

/* Copies the main database of src into dst in one backup step: one read
 * transaction on src, one write transaction on dst. Retries while either is
 * busy (the busy handlers wait first). An SQLite result code. */
static int copy_db(sqlite3 *dst, sqlite3 *src)
{
	bt_progress("copy", 0, 0);
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b)
		return sqlite3_errcode(dst);
	int rc, tries = 0;
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_OK ||
	       (((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) && tries++ < 100))
		sqlite3_sleep(100);
	int fin = sqlite3_backup_finish(b);
	return rc == SQLITE_DONE ? fin : rc;
}

int bt_backup(bt_db *db, const char *dest, int force, const char *field,
	      bt_check_report *r, bt_err *e)
{
	struct stat sb;
	char eb[128];
	memset(r, 0, sizeof *r);
	if (!*dest)
		return bt_failf(e, BT_R_INPUT, field, "empty file name");
	if (lstat(dest, &sb) == 0) {
		if (S_ISDIR(sb.st_mode))
			return bt_failf(e, BT_R_INPUT, field, "'%s' is a directory", dest);
		if (same_file(dest, db->path))
			return bt_failf(e, BT_R_INPUT, field, "'%s' is the database itself", dest);
		if (!force)
			return bt_failf(e, BT_R_CONFLICT, field,
					"'%s' exists ({force} replaces it)", dest);
		if (!S_ISREG(sb.st_mode))
			return bt_failf(e, BT_R_INPUT, field, "'%s' is not a regular file", dest);
		if (has_side_files(dest))
			return bt_failf(e, BT_R_INPUT, field,
					"'%s' has a -wal or -journal file beside it"
					" (is it in use?)", dest);
	} else if (errno != ENOENT) {
		return bt_failf(e, BT_R_INPUT, field, "cannot use '%s': %s", dest,
				errtext(errno, eb, sizeof eb));
	}
	char *tmp = NULL;
	int rc = temp_beside(dest, field, &tmp, e);
	if (rc)
		return rc;
	sqlite3 *h = NULL;
	bt_db *copy = NULL;
	int src;
	if (open_raw(tmp, SQLITE_OPEN_READWRITE, &h) != SQLITE_OK ||
	    sqlite3_exec(h, SQL_SYNCHRONOUS_FULL, NULL, NULL, NULL) != SQLITE_OK) {
		rc = bt_failf(e, BT_R_IO, field, "opening '%s': %s", tmp,
			      h ? sqlite3_errmsg(h) : "out of memory");
		goto out;
	}
	if ((src = copy_db(h, db->h)) != SQLITE_OK) {
		rc = bt_failf(e, BT_R_IO, field, "copying the database: %s", sqlite3_errstr(src));
		goto out;
	}
	/* The copy carries the source's WAL header: make it one file. */
	if (sqlite3_exec(h, SQL_JOURNAL_DELETE, NULL, NULL, NULL) != SQLITE_OK) {
		rc = bt_failf(e, BT_R_IO, field, "writing '%s': %s", tmp, sqlite3_errmsg(h));
		goto out;
	}
	sqlite3_close(h);
	h = NULL;
	if ((rc = bt_db_open(tmp, BT_DB_READONLY, &copy, e)) || (rc = bt_db_check(copy, r, e)))
		goto out;
	bt_db_close(copy);
	copy = NULL;
	if (!bt_check_passed(r)) {
		char what[400];
		bt_check_first_problem(r, what, sizeof what);
		rc = bt_failf(e, BT_R_DAMAGED, field,
			      "the copy fails %s; the database is damaged (see {cmd:check})", what);
		goto out;
	}
	if (sync_path(tmp, 0) != 0) {
		rc = bt_failf(e, BT_R_IO, field,
			      "writing '%s': %s", tmp, errtext(errno, eb, sizeof eb));
		goto out;
	}
	/* Without force, link() refuses a dest that appeared meanwhile. */
	if (force ? rename(tmp, dest) != 0 : link(tmp, dest) != 0) {
		int err = errno;
		rc = bt_failf(e, err == EEXIST ? BT_R_CONFLICT : BT_R_IO, field,
			      "cannot write '%s': %s", dest,
			      err == EEXIST ? "it exists ({force} replaces it)" : errtext(err, eb, sizeof eb));
		goto out;
	}
	if (!force)
		unlink(tmp);
	if (sync_dir_of(dest) != 0)
		rc = bt_failf(e, BT_R_IO, field, "syncing the directory of '%s': %s", dest,
			      errtext(errno, eb, sizeof eb));
	free(tmp);
	return rc;
out:
	sqlite3_close(h);
	bt_db_close(copy);
	remove_db_files(tmp);
	free(tmp);
	return rc;
}

/* Checks that src (open as h) is a ballot database this ballot can read,
 * before anything else reads it: *version gets its schema version.
 * *damaged is set (and BT_OK returned) when SQLite knows the file but cannot
 * read its schema (a truncated or overwritten database). */
static int identify(sqlite3 *h, const char *src, const char *field, int *version,
		    int *damaged, bt_err *e)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(h, SQL_FILE_IDENTITY, -1, &st, NULL);
	int64_t app = 0;
	*damaged = 0;
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		app = sqlite3_column_int64(st, 0);
		*version = sqlite3_column_int(st, 1);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if ((rc & 0xff) == SQLITE_CORRUPT) {
		*damaged = 1;
		return BT_OK;
	}
	if ((rc & 0xff) == SQLITE_NOTADB)
		return bt_failf(e, BT_R_INPUT, field, "'%s' is not an SQLite database", src);
	if (rc != SQLITE_OK)
		return bt_failf(e, BT_R_INPUT, field,
				"cannot read '%s': %s", src, sqlite3_errmsg(h));
	if (app != BT_APPLICATION_ID)
		return bt_failf(e, BT_R_INPUT, field,
				"'%s' is not a ballot database (application_id %lld)", src, (long long)app);
	if (*version > SQL_SCHEMA_VERSION)
		return bt_failf(e, BT_R_INPUT, field,
				"'%s' has schema version %d, newer than this ballot (%d)", src, *version, SQL_SCHEMA_VERSION);
	return BT_OK;
}

#define UNREADABLE "database disk image is malformed (its schema cannot be read)"

int bt_db_check_path(const char *path, bt_check_report *r, bt_err *e)
{
	struct stat sb;
	char eb[128];
	memset(r, 0, sizeof *r);
	if (!path || !*path)
		return bt_failf(e, BT_R_INPUT, "db", "empty path");
	if (stat(path, &sb) != 0)
		return errno == ENOENT
			? bt_failf(e, BT_R_NOT_FOUND, "db", "no database at '%s'; run {cmd:init}", path)
			: bt_failf(e, BT_R_INPUT, "db", "cannot use '%s': %s", path, errtext(errno, eb, sizeof eb));
	if (!S_ISREG(sb.st_mode))
		return bt_failf(e, BT_R_INPUT, "db", "'%s' is not a regular file", path);
	sqlite3 *h = NULL;
	int version = 0, damaged = 0, rc;
	if (open_raw(path, SQLITE_OPEN_READONLY, &h) != SQLITE_OK)
		rc = bt_failf(e, BT_R_INPUT, "db", "cannot open '%s': %s", path,
			      h ? sqlite3_errmsg(h) : "out of memory");
	else
		rc = identify(h, path, "db", &version, &damaged, e);
	sqlite3_close(h);
	if (rc)
		return rc;
	if (damaged) {
		snprintf(r->integrity, sizeof r->integrity, UNREADABLE);
		snprintf(r->foreign_keys, sizeof r->foreign_keys, "not run");
		snprintf(r->chain, sizeof r->chain, "not run");
		snprintf(r->witness, sizeof r->witness, "not run");
		return BT_OK;
	}
	bt_db *db;
	if ((rc = bt_db_open(path, BT_DB_READONLY, &db, e)))
		return rc;
	rc = bt_db_check(db, r, e);
	bt_db_close(db);
	return rc;
}

/* The last event of db (0 and "" when none). */
static int head_of(bt_db *db, int64_t *seq, char hash[65], bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EVENT_LAST, e);
	if (!st)
		return BT_EFAIL;
	int rc = sqlite3_step(st);
	*seq = 0;
	hash[0] = '\0';
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		db_col_copy(st, 1, hash, 65);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading the last event");
}

/* Makes the checked copy tmp the database at path, which does not exist:
 * the mode a new database gets (0600: it holds password hashes and
 * attachments), fsync, link (never over a file that appeared meanwhile),
 * then the directory. */
static int link_into_place(const char *tmp, const char *path, bt_err *e)
{
	char eb[128];
	if (chmod(tmp, 0600) != 0 || sync_path(tmp, 0) != 0)
		return bt_failf(e, BT_R_IO, "db", "writing '%s': %s", tmp, errtext(errno, eb, sizeof eb));
	if (link(tmp, path) != 0) {
		int err = errno;
		return bt_failf(e, err == EEXIST ? BT_R_CONFLICT : BT_R_IO, "db", "cannot create '%s': %s", path,
				err == EEXIST ? "a database appeared there meanwhile" : errtext(err, eb, sizeof eb));
	}
	unlink(tmp);
	if (sync_dir_of(path) != 0)
		return bt_failf(e, BT_R_IO, "db", "syncing the directory of '%s': %s", path,
				errtext(errno, eb, sizeof eb));
	return BT_OK;
}

int bt_restore(const char *path, const char *src, const char *field,
	       bt_check_report *r, bt_restore_info *info, bt_err *e)
{
	struct stat sb;
	char eb[128];
	memset(r, 0, sizeof *r);
	memset(info, 0, sizeof *info);
	if (!*src)
		return bt_failf(e, BT_R_INPUT, field, "empty file name");
	if (!path || !*path)
		return bt_failf(e, BT_R_INPUT, "db", "empty path");
	if (stat(src, &sb) != 0)
		return bt_failf(e, BT_R_INPUT, field,
				"'%s': %s", src, errtext(errno, eb, sizeof eb));
	if (!S_ISREG(sb.st_mode))
		return bt_failf(e, BT_R_INPUT, field, "'%s' is not a regular file", src);
	int live = stat(path, &sb) == 0;
	if (!live && errno != ENOENT)
		return bt_failf(e, BT_R_INPUT, "db", "cannot use '%s': %s", path, errtext(errno, eb, sizeof eb));
	if (live && !S_ISREG(sb.st_mode))
		return bt_failf(e, BT_R_INPUT, "db", "'%s' is not a regular file", path);
	if (live && same_file(src, path))
		return bt_failf(e, BT_R_INPUT, field, "'%s' is the database itself", src);

	sqlite3 *sh = NULL, *th = NULL;
	bt_db *copy = NULL, *dst = NULL;
	char *tmp = NULL;
	int rc, s;
	int damaged;
	/* Read-write when it can be (SQLite falls back to reading only), so that
	 * a WAL file beside src is merged and removed, not left behind. */
	if (open_raw(src, SQLITE_OPEN_READWRITE, &sh) != SQLITE_OK) {
		rc = bt_failf(e, BT_R_INPUT, field, "cannot open '%s': %s", src,
			      sh ? sqlite3_errmsg(sh) : "out of memory");
		goto out;
	}
	if ((rc = identify(sh, src, field, &info->from_version, &damaged, e)))
		goto out;
	if (damaged) {
		rc = bt_failf(e, BT_R_INPUT, field, "'%s' fails integrity_check: " UNREADABLE, src);
		goto out;
	}
	/* The copy beside the database is what is checked and then restored,
	 * so src changing meanwhile cannot slip anything past the checks. */
	if ((rc = temp_beside(path, "db", &tmp, e)))
		goto out;
	if (open_raw(tmp, SQLITE_OPEN_READWRITE, &th) != SQLITE_OK) {
		rc = bt_failf(e, BT_R_IO, field, "opening '%s': %s", tmp,
			      th ? sqlite3_errmsg(th) : "out of memory");
		goto out;
	}
	if ((s = copy_db(th, sh)) != SQLITE_OK) {
		/* writing the copy failed, not reading the backup */
		if ((s & 0xff) == SQLITE_FULL || (s & 0xff) == SQLITE_IOERR)
			rc = bt_failf(e, BT_R_IO, "db", "cannot write beside '%s': %s", path,
				      (s & 0xff) == SQLITE_FULL ? "the disk is full" : sqlite3_errstr(s));
		else
			rc = bt_failf(e, BT_R_INPUT, field,
				      "'%s' cannot be read whole: %s", src, sqlite3_errstr(s));
		goto out;
	}
	sqlite3_close(th);
	th = NULL;
	sqlite3_close(sh);
	sh = NULL;
	/* Opening it migrates an older schema forward (and makes it WAL). */
	if (bt_db_open(tmp, 0, &copy, e) != BT_OK) {
		char why[sizeof e->msg];
		if (strstr(e->msg, "database or disk is full")) {
			rc = bt_failf(e, BT_R_IO, "db", "cannot write beside '%s': the disk is full", path);
			goto out;
		}
		snprintf(why, sizeof why, "%s", e->msg);
		rc = bt_failf(e, BT_R_INPUT, field,
			      "'%s' cannot be opened as a ballot database (%s)",
			      src, why);
		goto out;
	}
	if ((rc = bt_db_check(copy, r, e)))
		goto out;
	if (!bt_check_passed(r)) {
		char what[400];
		bt_check_first_problem(r, what, sizeof what);
		rc = bt_failf(e, BT_R_INPUT, field, "'%s' fails %s", src, what);
		goto out;
	}
	/* The restored head is what was acknowledged from now on (the witness
	 * of the database it replaces names events it may not have). */
	int64_t rseq;
	char rhash[65];
	if ((rc = head_of(copy, &rseq, rhash, e)))
		goto out;
	if (!live) {
		bt_db_close(copy);
		copy = NULL;
		if ((rc = link_into_place(tmp, path, e)) || (rc = witness_reset(path, rseq, rhash, e)))
			goto out;
		info->created = 1;
		witness_remove(tmp); /* the copy's own, when migrating it wrote events */
		free(tmp);
		bt_damage_note(path, NULL); /* a mark left from an earlier file */
		return BT_OK;
	}
	if ((rc = bt_db_open(path, 0, &dst, e)) || (rc = bt_db_require_writable(dst, e)) ||
	    (rc = head_of(dst, &info->old_events, info->old_head, e)))
		goto out;
	/* One write transaction on the live database: other connections see
	 * the old or the restored content, and re-read their schema. */
	if ((s = copy_db(dst->h, copy->h)) != SQLITE_OK) {
		rc = bt_failf(e, BT_R_IO, NULL, "restoring into '%s': %s", path,
			      (s & 0xff) == SQLITE_FULL ? "the disk is full" : sqlite3_errstr(s));
		goto out;
	}
	rc = witness_reset(path, rseq, rhash, e);
	if (rc == BT_OK)
		bt_damage_note(path, NULL); /* the damage is repaired */
out:
	sqlite3_close(sh);
	sqlite3_close(th);
	bt_db_close(copy);
	bt_db_close(dst);
	if (tmp)
		remove_db_files(tmp);
	free(tmp);
	return rc;
}
