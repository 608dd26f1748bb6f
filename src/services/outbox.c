/* outbox.c - the mailroom's outbox (include/ballot/outbox.h): a message is
 * recorded before it is sent and marked after the relay answered. Each
 * change is one SQL statement, atomic by itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "services/services.h"

void bt_outbox_list_free(bt_outbox_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].recipients);
		free(l->v[i].message);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int bt_outbox_find(bt_db *db, const char *circular, const char *what, const char *member,
		   const char *round, int64_t *id, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_OUTBOX_HAS, e);
	if (!st)
		return BT_EFAIL;
	db_bind_kept(st, 1, circular);
	db_bind_kept(st, 2, what);
	db_bind_kept(st, 3, member);
	db_bind_kept(st, 4, round);
	int step = sqlite3_step(st);
	*id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return step == SQLITE_ROW || step == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading the outbox");
}

int bt_outbox_queue(bt_db *db, const bt_outbox_msg *m, const void *msg, size_t len, int keep,
		    bt_time now, int64_t *id, bt_err *e)
{
	char sha[65];
	int64_t have = 0;
	int rc = bt_outbox_find(db, m->circular, m->what, m->member, m->round, &have, e);
	if (rc)
		return rc;
	if (have)
		return bt_failf(e, BT_R_CONFLICT, "member", "%s already has a %s message of %s in the outbox",
				m->member, m->what, m->circular);
	sqlite3_stmt *st = db_stmt(db, SQL_OUTBOX_INSERT, e);
	if (!st)
		return BT_EFAIL;
	sha256_hex(msg, len, sha);
	db_bind_kept(st, 1, m->circular);
	db_bind_kept(st, 2, m->member);
	db_bind_kept(st, 3, m->what);
	db_bind_kept(st, 4, m->round);
	db_bind_kept(st, 5, m->message_id);
	db_bind_kept(st, 6, sha);
	sqlite3_bind_int64(st, 7, (int64_t)len);
	if (keep)
		sqlite3_bind_blob64(st, 8, msg, len, SQLITE_STATIC);
	db_bind_kept(st, 9, m->sender);
	db_bind_kept(st, 10, m->recipients);
	sqlite3_bind_int64(st, 11, now);
	rc = db_exec_stmt(db, st, "recording a message in the outbox", e);
	*id = rc ? 0 : sqlite3_last_insert_rowid(db->h);
	return rc;
}

/* One outbox row (SQL_OUTBOX_DUE and SQL_OUTBOX_ALL share their columns;
 * ALL gives no bytes); a message kept but not copied (out of memory) has
 * message_len (size_t)-1, found by outbox_read. */
static void fill_msg(sqlite3_stmt *st, void *elem)
{
	bt_outbox_msg *m = elem;
	m->id = sqlite3_column_int64(st, 0);
	db_col_copy(st, 1, m->circular, sizeof m->circular);
	db_col_copy(st, 2, m->member, sizeof m->member);
	db_col_copy(st, 3, m->what, sizeof m->what);
	db_col_copy(st, 4, m->round, sizeof m->round);
	db_col_copy(st, 5, m->message_id, sizeof m->message_id);
	db_col_copy(st, 6, m->sha256, sizeof m->sha256);
	m->size = sqlite3_column_int64(st, 7);
	db_col_copy(st, 8, m->state, sizeof m->state);
	m->attempts = sqlite3_column_int(st, 9);
	m->next_at = sqlite3_column_int64(st, 10);
	db_col_copy(st, 11, m->answer, sizeof m->answer);
	m->queued_at = sqlite3_column_int64(st, 12);
	m->sent_at = sqlite3_column_int64(st, 13);
	db_col_copy(st, 14, m->sender, sizeof m->sender);
	m->recipients = db_col_strdup(st, 15);
	if (db_col_blobdup(st, 16, &m->message, &m->message_len))
		m->message_len = (size_t)-1;
}

/* The rows of st (its ?1 and ?2 bound) into out. */
static int outbox_read(bt_db *db, sqlite3_stmt *st, bt_outbox_list *out, bt_err *e)
{
	int rc = db_collect(db, st, &out->v, &out->n, sizeof *out->v, fill_msg, "reading the outbox", e);
	for (size_t i = 0; !rc && i < out->n; i++)
		if (!out->v[i].recipients || out->v[i].message_len == (size_t)-1)
			rc = bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	if (rc)
		bt_outbox_list_free(out);
	return rc;
}

int bt_outbox_due(bt_db *db, const char *circular, bt_time now, bt_outbox_list *out, bt_err *e)
{
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *st = db_stmt(db, SQL_OUTBOX_DUE, e);
	if (!st)
		return BT_EFAIL;
	db_bind_kept(st, 1, circular);
	sqlite3_bind_int64(st, 2, now);
	return outbox_read(db, st, out, e);
}

int bt_outbox_all(bt_db *db, const char *circular, bt_outbox_list *out, bt_err *e)
{
	out->v = NULL;
	out->n = 0;
	sqlite3_stmt *st = db_stmt(db, SQL_OUTBOX_ALL, e);
	if (!st)
		return BT_EFAIL;
	db_bind_kept(st, 1, circular);
	return outbox_read(db, st, out, e);
}

/* Runs an update of one queued row; BT_EINPUT (conflict) when it changed
 * none (the row is not queued any more). */
static int update_one(bt_db *db, sqlite3_stmt *st, int64_t id, bt_err *e)
{
	int rc = db_exec_stmt(db, st, "updating the outbox", e);
	if (!rc && sqlite3_changes(db->h) != 1)
		rc = bt_failf(e, BT_R_CONFLICT, "outbox", "message %lld is not queued", (long long)id);
	return rc;
}

int bt_outbox_rebuilt(bt_db *db, int64_t id, const char *message_id, const void *msg, size_t len,
		      bt_err *e)
{
	char sha[65];
	sqlite3_stmt *st = db_stmt(db, SQL_OUTBOX_REBUILT, e);
	if (!st)
		return BT_EFAIL;
	sha256_hex(msg, len, sha);
	sqlite3_bind_int64(st, 1, id);
	db_bind_kept(st, 2, message_id);
	db_bind_kept(st, 3, sha);
	sqlite3_bind_int64(st, 4, (int64_t)len);
	return update_one(db, st, id, e);
}

int bt_outbox_built(bt_db *db, const bt_outbox_msg *m, const void *msg, size_t len, bt_err *e)
{
	char sha[65];
	sqlite3_stmt *st = db_stmt(db, SQL_OUTBOX_BUILT, e);
	if (!st)
		return BT_EFAIL;
	sha256_hex(msg, len, sha);
	sqlite3_bind_int64(st, 1, m->id);
	db_bind_kept(st, 2, m->message_id);
	db_bind_kept(st, 3, sha);
	sqlite3_bind_int64(st, 4, (int64_t)len);
	sqlite3_bind_blob64(st, 5, msg, len, SQLITE_STATIC);
	db_bind_kept(st, 6, m->sender);
	db_bind_kept(st, 7, m->recipients ? m->recipients : "");
	return update_one(db, st, m->id, e);
}

/* The relay's answer as kept: at most BT_OUTBOX_ANSWER_MAX bytes. */
static void bind_answer(sqlite3_stmt *st, int i, const char *answer)
{
	size_t n = answer ? strlen(answer) : 0;
	sqlite3_bind_text(st, i, answer ? answer : "", (int)(n > BT_OUTBOX_ANSWER_MAX ? BT_OUTBOX_ANSWER_MAX : n),
			  SQLITE_TRANSIENT);
}

int bt_outbox_sent(bt_db *db, int64_t id, bt_time now, const char *answer, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_OUTBOX_SENT, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	bind_answer(st, 3, answer);
	return update_one(db, st, id, e);
}

int bt_outbox_retry(bt_db *db, int64_t id, bt_time next_at, const char *answer, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_OUTBOX_RETRY, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, next_at);
	bind_answer(st, 3, answer);
	return update_one(db, st, id, e);
}

int bt_outbox_failed(bt_db *db, int64_t id, const char *answer, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_OUTBOX_FAILED, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, id);
	bind_answer(st, 2, answer);
	return update_one(db, st, id, e);
}

bt_time bt_outbox_backoff(int attempts)
{
	bt_time d = 60;
	for (int i = 1; i < attempts && d < 3600; i++)
		d *= 2;
	return d > 3600 ? 3600 : d;
}

/* ---- the reminders' schedule ---- */

int bt_mail_schedule_set(bt_db *db, const char *circular, const int *days, size_t n, bt_time now,
			 bt_err *e)
{
	bt_consultation c;
	int rc = bt_consultation_get(db, circular, &c, e);
	if (rc)
		return rc;
	if (c.closed)
		return bt_failf(e, BT_R_CONFLICT, "circular", "%s is closed: nothing to remind of", c.circular);
	if (n > BT_SCHEDULE_MAX)
		return bt_failf(e, BT_R_INPUT, "reminders", "more than %d days", BT_SCHEDULE_MAX);
	for (size_t i = 0; i < n; i++) {
		if (days[i] < 0 || days[i] > 365)
			return bt_failf(e, BT_R_INPUT, "reminders", "%d is not a number of days 0-365", days[i]);
		for (size_t k = 0; k < i; k++)
			if (days[k] == days[i])
				return bt_failf(e, BT_R_INPUT, "reminders", "%d is given twice", days[i]);
	}
	if ((rc = db_begin(db, e)))
		return rc;
	sqlite3_stmt *st = db_stmt(db, SQL_SCHEDULE_CLEAR, e);
	if (st) {
		db_bind_kept(st, 1, c.circular);
		rc = db_exec_stmt(db, st, "changing the schedule", e);
	} else {
		rc = BT_EFAIL;
	}
	for (size_t i = 0; !rc && i < n; i++) {
		if (!(st = db_stmt(db, SQL_SCHEDULE_ADD, e))) {
			rc = BT_EFAIL;
			break;
		}
		db_bind_kept(st, 1, c.circular);
		sqlite3_bind_int(st, 2, days[i]);
		sqlite3_bind_int64(st, 3, now);
		rc = db_exec_stmt(db, st, "changing the schedule", e);
	}
	if (!rc)
		rc = db_commit(db, e);
	if (rc)
		db_rollback(db);
	return rc;
}

int bt_mail_schedule_get(bt_db *db, const char *circular, int days[BT_SCHEDULE_MAX], size_t *n, bt_err *e)
{
	bt_consultation c;
	*n = 0;
	int rc = bt_consultation_get(db, circular, &c, e);
	sqlite3_stmt *st = rc ? NULL : db_stmt(db, SQL_SCHEDULE_OF, e);
	if (!st)
		return rc ? rc : BT_EFAIL;
	db_bind_kept(st, 1, c.circular);
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if (*n < BT_SCHEDULE_MAX)
			days[(*n)++] = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return step == SQLITE_DONE ? BT_OK : db_fail(db, e, "reading the schedule");
}

void bt_mail_due_list_free(bt_mail_due_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void fill_scheduled(sqlite3_stmt *st, void *elem)
{
	bt_mail_due *d = elem;
	db_col_copy(st, 0, d->circular, sizeof d->circular);
	snprintf(d->what, sizeof d->what, "reminder");
	d->days_before = sqlite3_column_int(st, 1);
}

static void fill_queued(sqlite3_stmt *st, void *elem)
{
	bt_mail_due *d = elem;
	db_col_copy(st, 0, d->circular, sizeof d->circular);
	db_col_copy(st, 1, d->what, sizeof d->what);
	d->days_before = -1;
}

int bt_mail_due_at(bt_db *db, bt_time now, bt_mail_due_list *out, bt_err *e)
{
	out->v = NULL;
	out->n = 0;
	int snap = db_read_begin(db);
	sqlite3_stmt *st = db_stmt(db, SQL_SCHEDULE_DUE, e);
	int rc = st ? BT_OK : BT_EFAIL;
	if (!rc) {
		sqlite3_bind_int64(st, 1, now);
		rc = db_collect(db, st, &out->v, &out->n, sizeof *out->v, fill_scheduled, "reading the schedule", e);
	}
	if (!rc && !(st = db_stmt(db, SQL_OUTBOX_QUEUED_KINDS, e)))
		rc = BT_EFAIL;
	if (!rc) {
		sqlite3_bind_int64(st, 1, now);
		rc = db_collect(db, st, &out->v, &out->n, sizeof *out->v, fill_queued, "reading the outbox", e);
	}
	db_read_end(db, snap);
	if (rc)
		bt_mail_due_list_free(out);
	return rc;
}
