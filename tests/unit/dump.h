/* dump.h - the whole content of a database file as text, read behind the
 * engine's back (sqlite3), to show that a refused change changed nothing and
 * that a copy is identical. */
#ifndef BALLOT_TEST_DUMP_H
#define BALLOT_TEST_DUMP_H

#include <sqlite3.h>
#include "fixture.h"

/* Every row of every table (tables by name, rows by rowid; schema text
 * included) of the database file at path, into a new heap string. */
static inline char *dump_db(const char *path)
{
	sqlite3 *h;
	bt_buf out = BT_BUF_INIT, q = BT_BUF_INIT;
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		fail_msg("dump: cannot open %s", path);
	sqlite3_stmt *t;
	if (sqlite3_prepare_v2(h, "SELECT name, sql FROM sqlite_schema WHERE type = 'table' ORDER BY name", -1, &t,
			       NULL) != SQLITE_OK)
		fail_msg("dump: %s", sqlite3_errmsg(h));
	while (sqlite3_step(t) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(t, 0);
		bt_buf_addf(&out, "== %s\n%s\n", name, (const char *)sqlite3_column_text(t, 1));
		bt_buf_reset(&q);
		bt_buf_addf(&q, "SELECT * FROM \"%s\" ORDER BY rowid", name);
		sqlite3_stmt *r;
		if (sqlite3_prepare_v2(h, bt_buf_str(&q), -1, &r, NULL) != SQLITE_OK) {
			bt_buf_reset(&q);
			bt_buf_addf(&q, "SELECT * FROM \"%s\"", name); /* WITHOUT ROWID */
			if (sqlite3_prepare_v2(h, bt_buf_str(&q), -1, &r, NULL) != SQLITE_OK)
				fail_msg("dump: %s", sqlite3_errmsg(h));
		}
		while (sqlite3_step(r) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(r); c++) {
				const unsigned char *v = sqlite3_column_text(r, c);
				int n = sqlite3_column_bytes(r, c);
				bt_buf_add(&out, "|", 1);
				if (v)
					bt_buf_add(&out, v, (size_t)n);
				else
					bt_buf_adds(&out, "NULL");
			}
			bt_buf_addc(&out, '\n');
		}
		sqlite3_finalize(r);
	}
	sqlite3_finalize(t);
	sqlite3_stmt *v;
	if (sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &v, NULL) == SQLITE_OK && sqlite3_step(v) == SQLITE_ROW)
		bt_buf_addf(&out, "user_version %d\n", sqlite3_column_int(v, 0));
	sqlite3_finalize(v);
	sqlite3_close(h);
	bt_buf_release(&q);
	if (out.failed)
		fail_msg("dump: out of memory");
	return bt_buf_detach(&out, NULL);
}

/* Runs sql on the file behind the engine's back; fails the test on error. */
static inline void db_exec(const char *path, const char *sql)
{
	sqlite3 *h;
	char *msg = NULL;
	if (sqlite3_open(path, &h) != SQLITE_OK)
		fail_msg("exec: cannot open %s", path);
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("exec: %s: %s", sql, msg);
	sqlite3_close(h);
}

/* The first column of the first row sql gives on the file at path, read
 * behind the engine's back, into a new heap string ("" for no row or NULL). */
static inline char *db_text(const char *path, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		fail_msg("db_text: cannot open %s", path);
	if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("db_text: %s: %s", sql, sqlite3_errmsg(h));
	const char *v = sqlite3_step(st) == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
	char *out = strdup(v ? v : "");
	sqlite3_finalize(st);
	sqlite3_close(h);
	if (!out)
		fail_msg("db_text: out of memory");
	return out;
}

/* The last event of the file at path: "KIND CIRCULAR BODY" ("-" for no
 * circular), into a new heap string. */
static inline char *last_event(const char *path)
{
	return db_text(path, "SELECT kind || ' ' || ifnull(circular, '-') || ' ' || body FROM events"
			     " ORDER BY seq DESC LIMIT 1");
}

/* Runs call, which must refuse with BT_EINPUT and a message holding want,
 * and change nothing in the database file of fixture f. */
#define REFUSED(f, call, want)                                                                   \
	do {                                                                                     \
		char *before_ = dump_db((f)->path);                                              \
		int rc_ = (call);                                                                \
		if (rc_ != BT_EINPUT || !strstr((f)->e.msg, (want)))                             \
			fail_msg("%s gave %d '%s', not BT_EINPUT with '%s'", #call, rc_,          \
				 (f)->e.msg, (want));                                            \
		char *after_ = dump_db((f)->path);                                               \
		if (strcmp(before_, after_))                                                     \
			fail_msg("%s refused but changed the database", #call);                  \
		free(before_);                                                                   \
		free(after_);                                                                    \
	} while (0)

#endif
