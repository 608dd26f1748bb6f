/* inbox_done.c - deciding an entry of the mailroom's inbox
 * (include/ballot/inbox.h): accepted (its form's replies recorded in the
 * same transaction as the inbox-accept event) or rejected (an
 * inbox-reject event), each through the write skeleton. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "domain/reply_txn.h"

typedef struct inbox_done {
	int64_t id;
	const char *state;          /* accepted, rejected */
	const char *reason;         /* rejected: why */
	int accepting;
	const bt_reply_result *res; /* accepted: the replies recorded */
	size_t n;
	char sha256[65], circular[BT_ID_MAX + 1], member[4], sender[BT_CONTACT_ADDRESS_MAX + 1];
} inbox_done;

/* An entry is accepted only while its sender is one of the member's
 * contacts: one removed after the message was fetched is refused. */
static int sender_check(bt_db *db, const inbox_done *d, bt_err *e)
{
	sqlite3_stmt *st = db_stmt(db, SQL_INBOX_SENDER_CONTACT, e);
	if (!st)
		return BT_EFAIL;
	db_bind_kept(st, 1, d->member);
	db_bind_kept(st, 2, d->sender);
	int step = sqlite3_step(st);
	int64_t n = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (step != SQLITE_ROW)
		return db_fail(db, e, "reading the contacts");
	return n ? BT_OK
		 : bt_failf(e, BT_R_CONFLICT, "inbox", "entry %lld: its sender '%s' is not a contact of %s any more",
			    (long long)d->id, d->sender, d->member);
}

/* The entry is there and not decided (an accepted one must be matched). */
static int done_check(bt_db *db, db_write *w, bt_err *e)
{
	inbox_done *d = w->ctx;
	char state[12] = "";
	sqlite3_stmt *st = db_stmt(db, SQL_INBOX_STATE, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, d->id);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		db_col_copy(st, 0, state, sizeof state);
		db_col_copy(st, 1, d->sha256, sizeof d->sha256);
		db_col_copy(st, 2, d->circular, sizeof d->circular);
		db_col_copy(st, 3, d->member, sizeof d->member);
		db_col_copy(st, 4, d->sender, sizeof d->sender);
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return db_fail(db, e, "reading the inbox");
	if (step == SQLITE_DONE)
		return bt_failf(e, BT_R_NOT_FOUND, "inbox", "no entry %lld in the inbox", (long long)d->id);
	if (!strcmp(state, "accepted") || !strcmp(state, "rejected"))
		return bt_failf(e, BT_R_CONFLICT, "inbox", "entry %lld is %s already", (long long)d->id, state);
	if (d->accepting && strcmp(state, "matched") != 0 && strcmp(state, "uncertain") != 0)
		return bt_failf(e, BT_R_CONFLICT, "inbox", "entry %lld is %s: only a matched entry is accepted",
				(long long)d->id, state);
	return d->accepting ? sender_check(db, d, e) : BT_OK;
}

static int done_insert(bt_db *db, db_write *w, bt_err *e)
{
	inbox_done *d = w->ctx;
	sqlite3_stmt *st = db_stmt(db, SQL_INBOX_DONE, e);
	if (!st)
		return BT_EFAIL;
	sqlite3_bind_int64(st, 1, d->id);
	db_bind_kept(st, 2, d->state);
	sqlite3_bind_int64(st, 3, w->ev.seq);
	sqlite3_bind_int64(st, 4, w->now);
	if (d->reason)
		db_bind_kept(st, 5, d->reason);
	int rc = db_exec_stmt(db, st, "deciding an inbox entry", e);
	if (!rc && sqlite3_changes(db->h) != 1)
		rc = bt_failf(e, BT_R_CONFLICT, "inbox", "entry %lld is decided already", (long long)d->id);
	if (rc)
		return rc;
	bt_json_kv_int(&w->payload, "entry", d->id, 1);
	bt_json_kv_str(&w->payload, "sha256", d->sha256, 0);
	bt_json_kv_str(&w->payload, "state", d->state, 0);
	if (d->reason)
		bt_json_kv_str(&w->payload, "reason", d->reason, 0);
	if (d->accepting) {
		bt_json_kv_str(&w->payload, "circular", d->circular, 0);
		bt_json_kv_str(&w->payload, "member", d->member, 0);
		bt_json_key(&w->payload, "replies", 0);
		bt_buf_addc(&w->payload, '[');
		for (size_t i = 0; i < d->n; i++)
			bt_buf_addf(&w->payload, "%s%lld", i ? "," : "", (long long)d->res[i].event_seq);
		bt_buf_addc(&w->payload, ']');
	}
	return BT_OK;
}

int bt_inbox_reject(bt_db *db, int64_t id, const char *reason, const char *actor, bt_time now, bt_err *e)
{
	size_t n = reason ? strlen(reason) : 0;
	if (n == 0 || n > BT_INBOX_REASON_MAX || !bt_utf8_valid(reason, n) || strpbrk(reason, "\r\n"))
		return bt_failf(e, BT_R_INPUT, "reason", "'%.60s' is not 1-%d bytes of text on one line",
				reason ? reason : "", BT_INBOX_REASON_MAX);
	/* no control, bidirectional or invisible character: a reason is read
	 * back by people, as a name is */
	int rc = bt_name_check("reason", reason, BT_INBOX_REASON_MAX, e);
	if (rc)
		return rc;
	inbox_done d = { .id = id, .state = "rejected", .reason = reason };
	db_write w = { .kind = EVK_INBOX_REJECT, .actor = actor, .now = now, .ctx = &d };
	return db_write_run(db, &w, done_check, done_insert, e);
}

int bt_inbox_accept(bt_db *db, int64_t id, const bt_reply_spec *specs, size_t n, const char *actor, bt_time now,
		    bt_reply_result *out, bt_err *e)
{
	if (n == 0)
		return bt_failf(e, BT_R_INPUT, NULL, "choice: none given for any draft");
	inbox_done d = { .id = id, .state = "accepted", .accepting = 1, .res = out, .n = n };
	db_write w = { .kind = EVK_INBOX_ACCEPT, .actor = actor, .ctx = &d };
	reply_txn q = REPLY_TXN_INIT;
	int rc = reply_txn_begin(db, &now, e);
	if (rc)
		return rc;
	w.now = now;
	rc = done_check(db, &w, e);
	for (size_t i = 0; !rc && i < n; i++)
		if ((rc = reply_txn_record(db, &specs[i], actor, now, &out[i], &q, e)))
			bt_err_wrap(e, "%s: ", specs[i].rec ? specs[i].rec : "draft");
	if (!rc)
		rc = db_write_in(db, &w, NULL, done_insert, e);
	rc = reply_txn_end(db, &q, now, rc, e);
	if (rc) {
		out[0].quota = q.quota;
		out[0].retry_after = q.retry_after;
	}
	reply_txn_release(&q);
	return rc;
}
