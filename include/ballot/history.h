/* history.h - every reply, withdrawal, closure and decision ever recorded. */
#ifndef BALLOT_HISTORY_H
#define BALLOT_HISTORY_H

#include <stddef.h>
#include <stdint.h>
#include "ballot/buf.h"
#include "ballot/consultation.h"
#include "ballot/reply.h"

typedef struct bt_attachment {
	int64_t id;
	char role[16];     /* "comments" or "reasons" */
	char *name;
	char sha256[65];
	int64_t size;
} bt_attachment;

typedef struct bt_history_item {
	int64_t seq;            /* event number */
	char kind[16];          /* "reply", "withdrawal", "close", "deadline",
				   "decision", "late-entry" */
	char member[4];         /* "" for close */
	char rec[BT_ID_MAX + 1];/* "" for close */
	char what[32];          /* choice name, decision kind, or "close" */
	bt_time received;       /* for replies and withdrawals; else recorded_at */
	char channel[8];
	char *signatory, *title;/* may be NULL */
	char *detail;           /* decisions and closures: a JSON object with
				   the details (members, notes, figures); may be NULL */
	/* For replies and withdrawals, judged against the deadline only:
	 * "counted", "superseded", "withdrawn" (a reply a withdrawal removed),
	 * "withdrawal", "late"; "" otherwise. */
	char status[16];
	int without_reasons;
	char *recorded_by;
	bt_time recorded_at;
	int64_t reply_id;       /* 0 unless a reply or withdrawal */
	char *late_entry;       /* an on-time reply entered after the deadline
				   with a reason (--late-entry-reason): the
				   reason; else NULL */
	bt_attachment *attachments;
	size_t n_attachments;
	char *signer;           /* a reply from a signed PDF form: the signer's
				   subject; else NULL */
	char signer_sha256[65]; /* ... its certificate's SHA-256 */
	int signer_verified;    /* ... 1: it chained to a certificate the
				   member registered for signing */
} bt_history_item;

typedef struct bt_history {
	bt_history_item *v;
	size_t n;
} bt_history;

/* The history of circular (of one member when member is not NULL), in event
 * order. */
int bt_history_get(bt_db *db, const char *circular, const char *member,
		   bt_history *out, bt_err *e);

/* The history as it stood at as_of: only what was recorded by then (replies,
 * withdrawals, decisions, closures, deadline moves, late entries), each
 * reply's status judged as of then, as the tally at as_of counts it.
 * bt_history_get is this at the end of time. */
int bt_history_as_of(bt_db *db, const char *circular, const char *member,
		     bt_time as_of, bt_history *out, bt_err *e);
/* The reply or withdrawal of member (its code or a former name) in force on
 * each draft of circular that it answered: its latest by time received,
 * then as recorded, one item per draft in draft order, with the status
 * bt_history_get gives it ("counted", "withdrawal" or "late"). Without
 * attachments or late-entry reasons (none loaded). One query, whatever the
 * number of replies: what the member's pages show of each draft. */
int bt_history_in_force(bt_db *db, const char *circular, const char *member,
			bt_history *out, bt_err *e);
/* Where reply (or withdrawal) reply_id of member (alpha-3 or alpha-2)
 * stands: 1 with its consultation in circular and its event in *seq; 0 when
 * member has no such reply (another member's, or none at all); -1 with e
 * when it cannot be read. One query, whatever the number of consultations
 * and replies (the receipt pages' look-up). */
int bt_history_locate(bt_db *db, int64_t reply_id, const char *member, char circular[BT_ID_MAX + 1],
		      int64_t *seq, bt_err *e);
void bt_history_free(bt_history *h);

/* Reads the content of attachment id into out (replacing its contents). */
int bt_attachment_content(bt_db *db, int64_t id, bt_buf *out, bt_err *e);

#endif
