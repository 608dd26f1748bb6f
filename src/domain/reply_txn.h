/* reply_txn.h - replies recorded inside one write transaction (reply.c):
 * what bt_reply_record, bt_reply_record_many and the import
 * (reply_import.c) share. Private to the domain floor. */
#ifndef BALLOT_REPLY_TXN_H
#define BALLOT_REPLY_TXN_H

#include "domain/domain.h"

/* What one transaction has recorded so far per member and consultation
 * (its rows are not committed: a refusal names what was held before it),
 * which quota refused a reply, for the caller (bt_reply_result.quota), and
 * the drafts given late entries (on-time replies recorded after the
 * deadline), with the outcome before the first. line: set by the import
 * before each line (0 otherwise), noted with each late entry; after a
 * refusal by reply_txn_late_check, late_line is the line of the refused
 * draft's first late entry. */
typedef struct reply_txn {
	struct quota_sum {
		int64_t cid;
		char member[4];
		int64_t bytes, rows;
		/* the contents counted in bytes (or held before): each
		 * distinct content (its SHA-256) once */
		struct quota_seen {
			char sha256[65];
		} *seen;
		size_t n_seen, cap_seen;
	} *v;
	size_t n, cap;
	int quota;
	int retry_after;
	struct late_draft {
		int64_t draft_id;
		bt_consultation c;
		const char *before;
		int reasoned, line;
		char member[4], rec[BT_ID_MAX + 1], received[BT_TIME_LEN];
	} *late;
	size_t n_late, cap_late;
	int line, late_line;
	/* the receipts this transaction queued (receipt_queue.c): one per
	 * member and consultation, whatever the number of its replies */
	struct receipt_row {
		char circular[BT_ID_MAX + 1];
		char member[4];
		int64_t id, first;
	} *rcpt;
	size_t n_rcpt, cap_rcpt;
} reply_txn;

#define REPLY_TXN_INIT { 0 }

/* Frees what t holds. */
void reply_txn_release(reply_txn *t);

/* Queues the receipt of reply (or withdrawal) event seq of member in
 * circular in the outbox, inside the reply's open transaction, when the
 * setting mail_receipts is 1 and the member has a contact (receipt_queue.c):
 * one receipt per submission, i.e. per member and consultation in t: the
 * first reply queues it (its round: the event), each later one of the same
 * transaction widens its round to "FIRST-LAST"; a receipt queued already
 * is left as it is. */
int receipt_queue(bt_db *db, const char *circular, const char *member, int64_t seq, bt_time now,
		  reply_txn *t, bt_err *e);

/* Begins a write transaction for replies and raises *now to the last
 * event's time (the clock went back: no reply is dated before it). */
int reply_txn_begin(bt_db *db, bt_time *now, bt_err *e);

/* Records one reply or withdrawal s (as bt_reply_record) inside the open
 * transaction t, through the write skeleton (db_write_in): its reply
 * event, then its late-entry event when s gives a reason. out (may be
 * NULL) receives the result. On a refusal nothing is rolled back: the
 * caller ends the transaction with reply_txn_end. */
int reply_txn_record(bt_db *db, const bt_reply_spec *s, const char *actor, bt_time now,
		     bt_reply_result *out, reply_txn *t, bt_err *e);

/* Ends the transaction: when rc is BT_OK, checks that every late entry
 * that changed a draft's outcome (as the whole transaction leaves it) has
 * its reason, and commits; rolls back on any failure. Returns the status. */
int reply_txn_end(bt_db *db, reply_txn *t, bt_time now, int rc, bt_err *e);

/* Ends the transaction of a dry run: the late-entry check of
 * reply_txn_end when rc is BT_OK, then always a rollback: nothing is
 * stored. Returns the status. */
int reply_txn_end_dry(bt_db *db, reply_txn *t, bt_time now, int rc, bt_err *e);

/* What one caller records inside the transaction (a reply_txn_grouped
 * body): its replies, at now (already raised to the last event's time). */
typedef int reply_txn_body(bt_db *db, bt_time now, void *ctx, reply_txn *t, bt_err *e);

/* Records body's replies as one change of a group commit (store.h
 * db_write_group): raises now to the last event's time, runs body, then the
 * late-entry check of reply_txn_end; the transaction (shared with the
 * replies other threads record at the same time) commits before this
 * returns BT_OK. On a failure nothing of body's is stored. */
int reply_txn_grouped(bt_db *db, bt_time now, reply_txn_body *body, void *ctx, reply_txn *t, bt_err *e);

#endif
