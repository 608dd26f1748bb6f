/* receipt_queue.c - the receipt of a reply queued in the outbox in the
 * reply's own transaction when the database's setting mail_receipts is 1
 * (include/ballot/outbox.h): never lost, since it commits with the reply or
 * not at all. The row has no bytes yet: `ballot mail run` (or `mail send
 * --what receipt`) builds the message, keeps it, then sends it. */
#include <stdio.h>
#include "domain/domain.h"

int receipt_queue(bt_db *db, const char *circular, const char *member, int64_t seq, bt_time now, bt_err *e)
{
	if (bt_setting_int(db, "mail_receipts", 0) != 1)
		return BT_OK;
	sqlite3_stmt *st = db_stmt(db, SQL_OUTBOX_RECEIPT_QUEUE, e);
	if (!st)
		return BT_EFAIL;
	char round[24];
	snprintf(round, sizeof round, "%lld", (long long)seq);
	db_bind_kept(st, 1, circular);
	db_bind_kept(st, 2, member);
	sqlite3_bind_text(st, 3, round, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, now);
	return db_exec_stmt(db, st, "queueing the reply's receipt", e);
}
