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
 * and gives the number of rows, or -1 when it could not run: out says why
 * and *code is SQLite's result code. fault, when not NULL, gives for each
 * row the result code of a fault it reports (0 for none): the first is
 * *code, and the pragma then counts as not run. */
static int64_t pragma_rows(bt_db *db, const char *sql, void (*describe)(sqlite3_stmt *, char *, size_t),
			   int (*fault)(sqlite3_stmt *), char *out, size_t n, int *code)
{
	sqlite3_stmt *st;
	int64_t rows = 0;
	int step = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL), f = 0;
	if (step == SQLITE_OK) {
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			if (rows++ == 0)
				describe(st, out, n);
			if (fault && !f)
				f = fault(st);
		}
		sqlite3_finalize(st);
	}
	if (step != SQLITE_DONE) {
		*code = step;
		snprintf(out, n, "could not run: %s", sqlite3_errmsg(db->h));
		return -1;
	}
	if (f) {
		*code = f;
		snprintf(out, n, "could not read a page: %s", sqlite3_errstr(f));
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

/* integrity_check reports a page it could not read as a problem: a tree
 * page with SQLite's result code ("Page 7: unable to get the page. error
 * code=266"), a page of an overflow chain or the free list without one
 * ("failed to get page 80": the pager failed to read it; a page number out
 * of range is "invalid page number"). A fault of this run (db_is_fault:
 * out of memory, an I/O error) is no evidence of damage. The result code
 * of the first such fault (SQLITE_IOERR for a page without one), or 0. */
static int integrity_fault(sqlite3_stmt *st)
{
	static const char mark[] = "unable to get the page. error code=";
	const char *row = (const char *)sqlite3_column_text(st, 0);
	for (const char *p = row; p && (p = strstr(p, mark)); p += sizeof mark - 1) {
		int code = atoi(p + sizeof mark - 1);
		if (code && db_is_fault(code))
			return code;
	}
	return row && strstr(row, "failed to get page ") ? SQLITE_IOERR : 0;
}

/* foreign_key_check: a row (table, rowid, parent, fk) per dangling reference. */
static void foreign_key_row(sqlite3_stmt *st, char *out, size_t n)
{
	const char *table = (const char *)sqlite3_column_text(st, 0);
	const char *parent = (const char *)sqlite3_column_text(st, 2);
	snprintf(out, n, "%s row %lld refers to a missing %s row", table ? table : "?",
		 (long long)sqlite3_column_int64(st, 1), parent ? parent : "?");
}

/* integrity_check and foreign_key_check into r. A pragma that could not run
 * for want of memory or an I/O error (db_is_fault) is e, not damage: it
 * says nothing about the file; any other failure to run is damage, in r. */
static int check_pragmas(bt_db *db, bt_check_report *r, bt_err *e)
{
	int code = SQLITE_OK;
	bt_progress("integrity_check", 0, 0);
	int64_t n = pragma_rows(db, SQL_INTEGRITY_CHECK, integrity_row, integrity_fault, r->integrity,
				sizeof r->integrity, &code);
	if (n < 0 && db_is_fault(code))
		return bt_failf(e, db_reason(code), NULL, "integrity_check %s", r->integrity);
	r->integrity_ok = n == 1 && strcmp(r->integrity, "ok") == 0;
	bt_progress("foreign_key_check", 0, 0);
	n = pragma_rows(db, SQL_FOREIGN_KEY_CHECK, foreign_key_row, NULL, r->foreign_keys, sizeof r->foreign_keys,
			&code);
	if (n < 0 && db_is_fault(code))
		return bt_failf(e, db_reason(code), NULL, "foreign_key_check %s", r->foreign_keys);
	r->foreign_keys_ok = n == 0;
	if (n == 0)
		snprintf(r->foreign_keys, sizeof r->foreign_keys, "ok");
	return BT_OK;
}

/* The event chain (bt_audit_verify) into r; the audit failing for want of
 * memory or an I/O error is e, any other failure is damage, in r. */
static int check_chain(bt_db *db, bt_check_report *r, bt_err *e)
{
	bt_err ae = { 0 };
	if (bt_audit_verify(db, &r->audit, &ae) != BT_OK) {
		if (ae.reason == BT_R_NOMEM || ae.reason == BT_R_IO) {
			*e = ae;
			return bt_err_wrap(e, "event chain: could not be read: ");
		}
		snprintf(r->chain, sizeof r->chain, "could not be read: %.280s", ae.msg);
	} else if (r->audit.first_bad) {
		snprintf(r->chain, sizeof r->chain, "event %lld: %s", (long long)r->audit.first_bad,
			 r->audit.problem);
	} else if (r->audit.events == 0) {
		snprintf(r->chain, sizeof r->chain, "no events (a ballot database has at least one)");
	} else {
		snprintf(r->chain, sizeof r->chain, "ok");
		r->chain_ok = 1;
	}
	return BT_OK;
}

int bt_db_check(bt_db *db, bt_check_report *r, bt_err *e)
{
	memset(r, 0, sizeof *r);
	/* the witness before the snapshot (witness_check says why) */
	int64_t wseq;
	char whash[65];
	bt_err we = { 0 };
	if (witness_read(db, &wseq, whash, &we)) {
		if (we.reason != BT_R_DAMAGED) { /* it cannot be read: not damage */
			*e = we;
			return bt_err_wrap(e, "witness: ");
		}
		snprintf(r->witness, sizeof r->witness, "%.300s", we.msg);
	}
	int snap = db_read_begin(db);
	int rc = check_pragmas(db, r, e);
	if (!rc)
		rc = check_chain(db, r, e);
	if (!rc && !we.reason) {
		int w = witness_check(db, wseq, whash, r->witness, sizeof r->witness, e);
		if (w < 0 && (e->reason == BT_R_NOMEM || e->reason == BT_R_IO))
			rc = bt_err_wrap(e, "witness: ");
		else if (w < 0)
			bt_err_clear(e); /* damage: in r */
		r->witness_ok = w == 1;
	}
	db_read_end(db, snap);
	return rc;
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

/* Refuses a dest that bt_backup must not write (backup.h says which). */
static int backup_dest_ok(bt_db *db, const char *dest, int force, const char *field, bt_err *e)
{
	struct stat sb;
	char eb[128];
	if (!*dest)
		return bt_failf(e, BT_R_INPUT, field, "empty file name");
	if (lstat(dest, &sb) != 0)
		return errno == ENOENT ? BT_OK
				       : bt_failf(e, BT_R_INPUT, field, "cannot use '%s': %s", dest,
						  errtext(errno, eb, sizeof eb));
	if (S_ISDIR(sb.st_mode))
		return bt_failf(e, BT_R_INPUT, field, "'%s' is a directory", dest);
	if (same_file(dest, db->path))
		return bt_failf(e, BT_R_INPUT, field, "'%s' is the database itself", dest);
	if (!force)
		return bt_failf(e, BT_R_CONFLICT, field, "'%s' exists ({force} replaces it)", dest);
	if (!S_ISREG(sb.st_mode))
		return bt_failf(e, BT_R_INPUT, field, "'%s' is not a regular file", dest);
	if (has_side_files(dest))
		return bt_failf(e, BT_R_INPUT, field,
				"'%s' has a -wal or -journal file beside it (is it in use?)", dest);
	return BT_OK;
}

/* Copies db into the empty file tmp as one self-contained file (rollback
 * journal), synchronously. */
static int backup_copy(bt_db *db, const char *tmp, const char *field, bt_err *e)
{
	sqlite3 *h = NULL;
	int s = open_raw(tmp, SQLITE_OPEN_READWRITE, &h), rc = BT_OK;
	if (s == SQLITE_OK)
		s = sqlite3_exec(h, SQL_SYNCHRONOUS_FULL, NULL, NULL, NULL);
	if (s != SQLITE_OK) /* our own new file: never the caller's input */
		rc = bt_failf(e, h ? db_reason(s) : BT_R_NOMEM, field, "opening '%s': %s", tmp,
			      h ? sqlite3_errmsg(h) : "out of memory");
	else if ((s = copy_db(h, db->h)) != SQLITE_OK)
		rc = bt_failf(e, db_reason(s), field, "copying the database: %s", sqlite3_errstr(s));
	/* The copy carries the source's WAL header: make it one file. */
	else if ((s = sqlite3_exec(h, SQL_JOURNAL_DELETE, NULL, NULL, NULL)) != SQLITE_OK)
		rc = bt_failf(e, db_reason(s), field, "writing '%s': %s", tmp, sqlite3_errmsg(h));
	sqlite3_close(h);
	return rc;
}

/* The checks (r) of the copy tmp; BT_R_DAMAGED when it fails them. */
static int backup_check(const char *tmp, const char *field, bt_check_report *r, bt_err *e)
{
	bt_db *copy = NULL;
	int rc;
	if ((rc = bt_db_open(tmp, BT_DB_READONLY, &copy, e)) ||
	    ((rc = bt_db_check(copy, r, e)) && bt_err_wrap(e, "checking the copy '%s': ", tmp))) {
		bt_db_close(copy);
		return rc;
	}
	bt_db_close(copy);
	if (bt_check_passed(r))
		return BT_OK;
	char what[400];
	bt_check_first_problem(r, what, sizeof what);
	return bt_failf(e, BT_R_DAMAGED, field, "the copy fails %s; the database is damaged (see {cmd:check})",
			what);
}

/* Makes the checked copy tmp the file dest: fsync, then rename (force) or
 * link (never over a dest that appeared meanwhile), then the directory.
 * *placed is set once dest is the copy. */
static int backup_place(const char *tmp, const char *dest, int force, const char *field, int *placed,
			bt_err *e)
{
	char eb[128];
	if (sync_path(tmp, 0) != 0)
		return bt_failf(e, BT_R_IO, field, "writing '%s': %s", tmp, errtext(errno, eb, sizeof eb));
	if (force ? rename(tmp, dest) != 0 : link(tmp, dest) != 0) {
		int err = errno;
		if (err == EEXIST)
			return bt_failf(e, BT_R_CONFLICT, field, "cannot write '%s': it exists ({force} replaces it)",
					dest);
		return bt_failf(e, BT_R_IO, field, "cannot write '%s': %s", dest, errtext(err, eb, sizeof eb));
	}
	*placed = 1;
	if (!force)
		unlink(tmp);
	if (sync_dir_of(dest) != 0)
		return bt_failf(e, BT_R_IO, field, "syncing the directory of '%s': %s", dest,
				errtext(errno, eb, sizeof eb));
	return BT_OK;
}

int bt_backup(bt_db *db, const char *dest, int force, const char *field,
	      bt_check_report *r, bt_err *e)
{
	memset(r, 0, sizeof *r);
	char *tmp = NULL;
	int placed = 0;
	int rc = backup_dest_ok(db, dest, force, field, e);
	if (!rc)
		rc = temp_beside(dest, field, &tmp, e);
	if (rc)
		return rc;
	if (!(rc = backup_copy(db, tmp, field, e)) && !(rc = backup_check(tmp, field, r, e)))
		rc = backup_place(tmp, dest, force, field, &placed, e);
	if (!placed)
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
	if (db_is_fault(rc)) /* out of memory, an I/O error: not the file's fault */
		return bt_failf(e, db_reason(rc), field, "cannot read '%s': %s", src, sqlite3_errmsg(h));
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
			: bt_failf(e, errno == ENOMEM ? BT_R_NOMEM : errno == EIO ? BT_R_IO : BT_R_INPUT, "db",
				   "cannot use '%s': %s", path, errtext(errno, eb, sizeof eb));
	if (!S_ISREG(sb.st_mode))
		return bt_failf(e, BT_R_INPUT, "db", "'%s' is not a regular file", path);
	sqlite3 *h = NULL;
	int version = 0, damaged = 0, rc;
	if ((rc = open_raw(path, SQLITE_OPEN_READONLY, &h)) != SQLITE_OK)
		rc = db_open_fail(h, rc, "db", path, e);
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

/* Refuses a src or a path that bt_restore must not use (backup.h says
 * which); *live is 1 when a database is at path. */
static int restore_paths_ok(const char *path, const char *src, const char *field, int *live, bt_err *e)
{
	struct stat sb;
	char eb[128];
	if (!*src)
		return bt_failf(e, BT_R_INPUT, field, "empty file name");
	if (!path || !*path)
		return bt_failf(e, BT_R_INPUT, "db", "empty path");
	if (stat(src, &sb) != 0)
		return bt_failf(e, BT_R_INPUT, field, "'%s': %s", src, errtext(errno, eb, sizeof eb));
	if (!S_ISREG(sb.st_mode))
		return bt_failf(e, BT_R_INPUT, field, "'%s' is not a regular file", src);
	*live = stat(path, &sb) == 0;
	if (!*live && errno != ENOENT)
		return bt_failf(e, BT_R_INPUT, "db", "cannot use '%s': %s", path, errtext(errno, eb, sizeof eb));
	if (*live && !S_ISREG(sb.st_mode))
		return bt_failf(e, BT_R_INPUT, "db", "'%s' is not a regular file", path);
	if (*live && same_file(src, path))
		return bt_failf(e, BT_R_INPUT, field, "'%s' is the database itself", src);
	return BT_OK;
}

/* Why copying src beside path failed (copy_db's result s): this run's
 * failure (memory, the disk, an I/O error), or the file's. */
static int restore_copy_failed(int s, const char *src, const char *path, const char *field, bt_err *e)
{
	if ((s & 0xff) == SQLITE_FULL)
		return bt_failf(e, BT_R_IO, "db", "cannot write beside '%s': the disk is full", path);
	if ((s & 0xff) == SQLITE_NOMEM)
		return bt_failf(e, BT_R_NOMEM, field, "copying '%s': out of memory", src);
	if (s == SQLITE_IOERR_READ)
		return bt_failf(e, BT_R_IO, field, "copying '%s': %s", src, sqlite3_errstr(s));
	if (db_is_fault(s))
		return bt_failf(e, BT_R_IO, "db", "cannot write beside '%s': %s", path, sqlite3_errstr(s));
	return bt_failf(e, BT_R_INPUT, field, "'%s' cannot be read whole: %s", src, sqlite3_errstr(s));
}

/* Copies the ballot database src (identify) into a new temporary file beside
 * path, *tmp (free() it; the caller removes it): that copy is what is
 * checked and then restored, so src changing meanwhile cannot slip
 * anything past the checks. */
static int restore_copy(const char *path, const char *src, const char *field, int *version, char **tmp,
			bt_err *e)
{
	sqlite3 *sh = NULL, *th = NULL;
	int rc, s, damaged = 0;
	/* Read-write when it can be (SQLite falls back to reading only), so that
	 * a WAL file beside src is merged and removed, not left behind. */
	if ((s = open_raw(src, SQLITE_OPEN_READWRITE, &sh)) != SQLITE_OK)
		rc = db_open_fail(sh, s, field, src, e);
	else if (!(rc = identify(sh, src, field, version, &damaged, e)) && damaged)
		rc = bt_failf(e, BT_R_INPUT, field, "'%s' fails integrity_check: " UNREADABLE, src);
	if (!rc)
		rc = temp_beside(path, "db", tmp, e);
	if (!rc && (s = open_raw(*tmp, SQLITE_OPEN_READWRITE, &th)) != SQLITE_OK)
		rc = bt_failf(e, th ? db_reason(s) : BT_R_NOMEM, field, "opening '%s': %s", *tmp,
			      th ? sqlite3_errmsg(th) : "out of memory");
	if (!rc && (s = copy_db(th, sh)) != SQLITE_OK)
		rc = restore_copy_failed(s, src, path, field, e);
	sqlite3_close(th);
	sqlite3_close(sh);
	return rc;
}

/* Opens the copy tmp of src (which migrates an older schema forward and
 * makes it WAL) as *copy and checks it (r): BT_EINPUT naming src when it
 * is not a sound ballot database; this run's own failures (memory, the
 * disk) are BT_EFAIL. */
static int restore_open_checked(const char *tmp, const char *src, const char *path, const char *field,
				bt_check_report *r, bt_db **copy, bt_err *e)
{
	if (bt_db_open(tmp, 0, copy, e) != BT_OK) {
		char why[sizeof e->msg];
		snprintf(why, sizeof why, "%s", e->msg);
		if (e->reason == BT_R_NOMEM || e->reason == BT_R_IO)
			return bt_failf(e, e->reason, "db", "cannot write beside '%s': %s", path, why);
		return bt_failf(e, BT_R_INPUT, field, "'%s' cannot be opened as a ballot database (%s)", src, why);
	}
	int rc = bt_db_check(*copy, r, e);
	if (rc)
		return bt_err_wrap(e, "checking the copy of '%s': ", src);
	if (bt_check_passed(r))
		return BT_OK;
	char what[400];
	bt_check_first_problem(r, what, sizeof what);
	return bt_failf(e, BT_R_INPUT, field, "'%s' fails %s", src, what);
}

/* Copies the checked copy into the live database at path in one write
 * transaction (other connections see the old or the restored content, and
 * re-read their schema), then sets the witness to the restored head. */
static int restore_live(bt_db *copy, const char *path, int64_t rseq, const char rhash[65],
			bt_restore_info *info, bt_err *e)
{
	bt_db *dst = NULL;
	int rc, s;
	if ((rc = bt_db_open(path, 0, &dst, e)) || (rc = bt_db_require_writable(dst, e)) ||
	    (rc = head_of(dst, &info->old_events, info->old_head, e))) {
		bt_db_close(dst);
		return rc;
	}
	if ((s = copy_db(dst->h, copy->h)) != SQLITE_OK)
		rc = bt_failf(e, db_reason(s), NULL, "restoring into '%s': %s", path,
			      (s & 0xff) == SQLITE_FULL ? "the disk is full" : sqlite3_errstr(s));
	else if ((rc = witness_reset(path, rseq, rhash, e)) == BT_OK)
		bt_damage_note(path, NULL); /* the damage is repaired */
	bt_db_close(dst);
	return rc;
}

/* Makes the checked *copy (the file tmp) the database at path: linked into
 * place when there is none (info->created), else restore_live. The restored
 * head is what was acknowledged from now on (the witness of the database it
 * replaces names events it may not have). */
static int restore_install(bt_db **copy, const char *tmp, const char *path, int live, bt_restore_info *info,
			   bt_err *e)
{
	int64_t rseq;
	char rhash[65];
	int rc = head_of(*copy, &rseq, rhash, e);
	if (rc || live)
		return rc ? rc : restore_live(*copy, path, rseq, rhash, info, e);
	bt_db_close(*copy);
	*copy = NULL;
	if ((rc = link_into_place(tmp, path, e)) || (rc = witness_reset(path, rseq, rhash, e)))
		return rc;
	info->created = 1;
	witness_remove(tmp); /* the copy's own, when migrating it wrote events */
	bt_damage_note(path, NULL); /* a mark left from an earlier file */
	return BT_OK;
}

int bt_restore(const char *path, const char *src, const char *field,
	       bt_check_report *r, bt_restore_info *info, bt_err *e)
{
	memset(r, 0, sizeof *r);
	memset(info, 0, sizeof *info);
	int live = 0;
	char *tmp = NULL;
	bt_db *copy = NULL;
	int rc = restore_paths_ok(path, src, field, &live, e);
	if (!rc)
		rc = restore_copy(path, src, field, &info->from_version, &tmp, e);
	if (!rc)
		rc = restore_open_checked(tmp, src, path, field, r, &copy, e);
	if (!rc)
		rc = restore_install(&copy, tmp, path, live, info, e);
	bt_db_close(copy);
	if (tmp)
		remove_db_files(tmp);
	free(tmp);
	return rc;
}
