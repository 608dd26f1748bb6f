/* damage.c - what is known of damage without a full audit (audit.h): the
 * damage mark left by `check` and `audit verify`, and the chain's tail. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "store/store.h"

static void mark_path(const char *path, char *out, size_t n)
{
	snprintf(out, n, "%s-damaged", path);
}

int bt_damage_note(const char *path, const char *what)
{
	char mark[4200];
	mark_path(path, mark, sizeof mark);
	if (!what)
		return unlink(mark) == 0 || errno == ENOENT ? 0 : -1;
	int fd = open(mark, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	char line[512];
	int len = snprintf(line, sizeof line, "%.500s\n", what);
	int rc = write(fd, line, (size_t)len) == len && fsync(fd) == 0 ? 0 : -1;
	close(fd);
	return rc;
}

/* 1 when the last event hashes and links to the one before it (or is a
 * first event linking to 64 zeros); else 0 and what is wrong in out. */
static int tail_ok(bt_db *db, char *out, size_t n)
{
	sqlite3_stmt *st = db_stmt(db, SQL_EVENTS_TAIL, NULL);
	if (!st)
		return 1; /* cannot tell: the full audit will */
	int ok = 1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(st, 0);
		const char *prev = (const char *)sqlite3_column_text(st, 1);
		const char *hash = (const char *)sqlite3_column_text(st, 2);
		const char *body = (const char *)sqlite3_column_text(st, 3);
		char want_prev[65] = ZERO_HASH, got[65];
		int64_t before = 0;
		bt_buf b = BT_BUF_INIT;
		bt_buf_adds(&b, prev ? prev : "");
		bt_buf_addc(&b, '\n');
		bt_buf_adds(&b, body ? body : "");
		sha256_hex(b.data ? b.data : "", b.len, got);
		/* out of memory: cannot tell, which is not damage (the full audit
		 * will tell) */
		int hashed = b.failed || (prev && hash && body && strcmp(got, hash) == 0);
		bt_buf_release(&b);
		char have_prev[65] = "";
		if (prev)
			snprintf(have_prev, sizeof have_prev, "%s", prev);
		/* (stepping on frees the first row's text) */
		if (sqlite3_step(st) == SQLITE_ROW) {
			before = sqlite3_column_int64(st, 0);
			db_col_copy(st, 2, want_prev, sizeof want_prev);
		}
		if (!hashed) {
			snprintf(out, n, "event %lld: its content does not match its hash", (long long)seq);
			ok = 0;
		} else if (before != seq - 1 || strcmp(have_prev, want_prev) != 0) {
			snprintf(out, n, "event %lld: it does not link to the event before it", (long long)seq);
			ok = 0;
		}
	}
	sqlite3_reset(st);
	return ok;
}

int bt_db_damaged(bt_db *db, bt_err *why)
{
	char mark[4200], line[512] = "";
	mark_path(db->path, mark, sizeof mark);
	FILE *f = fopen(mark, "re");
	if (f) {
		if (!fgets(line, sizeof line, f))
			line[0] = '\0';
		fclose(f);
		line[strcspn(line, "\n")] = '\0';
		bt_failf(why, BT_R_DAMAGED, NULL, "marked by `{cmd:check}` or `{cmd:audit verify}`: %s",
			 line[0] ? line : "damaged");
		return 1;
	}
	if (!tail_ok(db, line, sizeof line)) {
		bt_failf(why, BT_R_DAMAGED, NULL, "%s", line);
		return 1;
	}
	return 0;
}

int db_damage_guard(bt_db *db, bt_err *e)
{
	bt_err why;
	if (!bt_db_damaged(db, &why))
		return BT_OK;
	if (e) {
		*e = why;
		bt_err_wrap(e, "the database is damaged (");
		/* the rest is the engine's own words, its reference kept */
		size_t n = strlen(e->msg);
		snprintf(e->msg + n, sizeof e->msg - n, "%s",
			 "); every change is refused until it is restored from a backup (`{cmd:restore}`)");
	}
	return BT_EFAIL;
}
