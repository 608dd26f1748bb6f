/* receipt_queue.c - the receipt of a reply queued in the outbox in the
 * reply's own transaction when the database's setting mail_receipts is 1
 * (include/ballot/outbox.h): never lost, since it commits with the reply or
 * not at all. One receipt per submission: the replies of one member to one
 * consultation recorded in one transaction (a portal form of three drafts,
 * `reply` with several --choice, an inbox entry, an import) share one row,
 * whose round is the first event, or "FIRST-LAST" once a second one came.
 * The row has no bytes yet: `ballot mail run` (or `mail send --what
 * receipt`, or the sender of `ballot serve`) builds the message, keeps it,
 * then sends it. */
#include <stdio.h>
#include <string.h>
#include "domain/reply_txn.h"

/* The receipt t queued already for member in circular, NULL if none. */
static struct receipt_row *queued_of(reply_txn *t, const char *circular, const char *member)
{
	for (size_t i = 0; t && i < t->n_rcpt; i++)
		if (!strcmp(t->rcpt[i].circular, circular) && !strcmp(t->rcpt[i].member, member))
			return &t->rcpt[i];
	return NULL;
}

/* A later reply of the same submission: the row's round widened. */
static int widen(bt_db *db, const struct receipt_row *q, int64_t seq, bt_err *e)
{
	char round[48];
	sqlite3_stmt *st = db_stmt(db, SQL_OUTBOX_RECEIPT_WIDEN, e);
	if (!st)
		return BT_EFAIL;
	snprintf(round, sizeof round, "%lld-%lld", (long long)q->first, (long long)seq);
	sqlite3_bind_int64(st, 1, q->id);
	sqlite3_bind_text(st, 2, round, -1, SQLITE_TRANSIENT);
	return db_exec_stmt(db, st, "queueing the reply's receipt", e);
}

int receipt_queue(bt_db *db, const char *circular, const char *member, int64_t seq, bt_time now,
		  reply_txn *t, bt_err *e)
{
	if (bt_setting_int(db, "mail_receipts", 0) != 1)
		return BT_OK;
	struct receipt_row *q = queued_of(t, circular, member);
	if (q)
		return q->id ? widen(db, q, seq, e) : BT_OK;
	sqlite3_stmt *st = db_stmt(db, SQL_OUTBOX_RECEIPT_QUEUE, e);
	if (!st)
		return BT_EFAIL;
	char round[24];
	snprintf(round, sizeof round, "%lld", (long long)seq);
	db_bind_kept(st, 1, circular);
	db_bind_kept(st, 2, member);
	sqlite3_bind_text(st, 3, round, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, now);
	int rc = db_exec_stmt(db, st, "queueing the reply's receipt", e);
	if (rc || !t)
		return rc;
	if (array_reserve(&t->rcpt, &t->cap_rcpt, t->n_rcpt + 1, sizeof *t->rcpt))
		return bt_failf(e, BT_R_NOMEM, NULL, "out of memory");
	q = &t->rcpt[t->n_rcpt++];
	memset(q, 0, sizeof *q);
	snprintf(q->circular, sizeof q->circular, "%s", circular);
	memcpy(q->member, member, sizeof q->member);
	q->first = seq;
	/* 0: nothing inserted (no contact, or queued already): left alone */
	q->id = sqlite3_changes(db->h) == 1 ? sqlite3_last_insert_rowid(db->h) : 0;
	return BT_OK;
}
