/* outbox.h - the outbox of the mailroom (issue 18): every message is
 * recorded here before it is sent and marked sent only after the relay
 * accepted it, so that a crash or a relay outage neither sends a message
 * twice nor forgets one.
 *
 * A message is identified by (circular, what, member, round): round is ""
 * for the circular and the codes (one each per member), the day for a
 * reminder, the reply's event number for a receipt. The outbox is the
 * secretariat's working state, not part of the record: its rows are not
 * events (the codes a `codes` message carries are, as codes-issue events).
 * The engine records and reports; building the messages and talking to the
 * relay are the front end's (src/cli/mail_*.c). */
#ifndef BALLOT_OUTBOX_H
#define BALLOT_OUTBOX_H

#include <stddef.h>
#include <stdint.h>
#include "ballot/consultation.h"
#include "ballot/contact.h"
#include "ballot/db.h"
#include "ballot/timeutil.h"

#define BT_OUTBOX_ANSWER_MAX 300  /* bytes of the relay's answer kept */
#define BT_OUTBOX_MSGID_MAX 250   /* bytes of a Message-ID, angle brackets included */

typedef struct bt_outbox_msg {
	int64_t id;
	char circular[BT_ID_MAX + 1];
	char member[4];
	char what[10];       /* circular, codes, reminder, receipt */
	char round[32];
	char message_id[BT_OUTBOX_MSGID_MAX + 1];
	char sha256[65];     /* of the message as last built */
	int64_t size;
	char state[8];       /* queued, sent, failed */
	int attempts;
	bt_time next_at, queued_at, sent_at; /* sent_at 0 until sent */
	char answer[BT_OUTBOX_ANSWER_MAX + 1]; /* the relay's last answer, "" */
	char sender[BT_CONTACT_ADDRESS_MAX + 1];
	char *recipients;    /* ASCII addresses, comma-separated (heap) */
	unsigned char *message; /* the bytes (heap; NULL when not kept) */
	size_t message_len;
} bt_outbox_msg;

typedef struct bt_outbox_list {
	bt_outbox_msg *v;
	size_t n;
} bt_outbox_list;

/* Frees the list's messages (their recipients and bytes) and the list. */
void bt_outbox_list_free(bt_outbox_list *l);

/* *id: the outbox row of (circular, what, member, round), 0 when none. */
int bt_outbox_find(bt_db *db, const char *circular, const char *what, const char *member,
		   const char *round, int64_t *id, bt_err *e);

/* Records m (its circular, member, what, round, message_id, sender,
 * recipients) as queued, due at now, with the SHA-256 and size of the
 * message bytes msg[0..len); the bytes themselves are kept only when keep
 * is set (a `codes` message is not kept: the clear code never rests in the
 * outbox; it is built again, with a fresh code, at each attempt). *id: the
 * new row. BT_EINPUT (conflict) when the row exists already. */
int bt_outbox_queue(bt_db *db, const bt_outbox_msg *m, const void *msg, size_t len, int keep,
		    bt_time now, int64_t *id, bt_err *e);

/* The queued messages (of circular; NULL: all) due at or before now, in
 * order, with their bytes when kept. */
int bt_outbox_due(bt_db *db, const char *circular, bt_time now, bt_outbox_list *out, bt_err *e);

/* Every message of the outbox (of circular; NULL: all), without bytes. */
int bt_outbox_all(bt_db *db, const char *circular, bt_outbox_list *out, bt_err *e);

/* A queued message not kept, built again just before an attempt: its new
 * Message-ID and the SHA-256 and size of the new bytes, recorded before
 * they are sent. */
int bt_outbox_rebuilt(bt_db *db, int64_t id, const char *message_id, const void *msg, size_t len,
		      bt_err *e);

/* A receipt queued by the reply's transaction (setting mail_receipts; no
 * bytes yet) built at last: its Message-ID, bytes (kept from now on, so a
 * later attempt sends the same bytes), SHA-256, size, sender and
 * recipients recorded before they are sent. BT_EINPUT (conflict) when the
 * row is not a queued one without bytes. */
int bt_outbox_built(bt_db *db, const bt_outbox_msg *m, const void *msg, size_t len, bt_err *e);

/* After an attempt: sent (the relay accepted it; answer: its reply), retry
 * (a transient refusal or no relay: due again at next_at), failed (a
 * permanent refusal: never sent again). Each changes only a queued row. */
int bt_outbox_sent(bt_db *db, int64_t id, bt_time now, const char *answer, bt_err *e);
int bt_outbox_retry(bt_db *db, int64_t id, bt_time next_at, const char *answer, bt_err *e);
int bt_outbox_failed(bt_db *db, int64_t id, const char *answer, bt_err *e);

/* The delay before attempt n + 1 after n failed ones: 1, 2, 4 ... minutes,
 * at most an hour. */
bt_time bt_outbox_backoff(int attempts);

/* ---- the reminders' schedule (`mail schedule`, `mail run`) ---- */

#define BT_SCHEDULE_MAX 16 /* days in one schedule */

/* Sets circular's reminders to the n days (0-365, each once) before its
 * deadline; n 0 clears it. Working state like the outbox, not an event.
 * BT_EINPUT for an unknown or closed consultation or a bad day. */
int bt_mail_schedule_set(bt_db *db, const char *circular, const int *days, size_t n, bt_time now,
			 bt_err *e);

/* circular's reminder days, largest first, into days[0..*n) (at most
 * BT_SCHEDULE_MAX). */
int bt_mail_schedule_get(bt_db *db, const char *circular, int days[BT_SCHEDULE_MAX], size_t *n, bt_err *e);

/* What `mail run` sends: (circular, what) pairs; days_before, for a
 * scheduled reminder, the point of the schedule reached. */
typedef struct bt_mail_due {
	char circular[BT_ID_MAX + 1];
	char what[10];
	int days_before; /* -1: messages queued, to resume */
} bt_mail_due;

typedef struct bt_mail_due_list {
	bt_mail_due *v;
	size_t n;
} bt_mail_due_list;

/* At now: for each open consultation before its deadline whose schedule
 * has a point reached, its reminder (the latest point reached: the same
 * round until the next point, so a run repeated sends nothing again), then
 * every (circular, kind) with messages queued and due. */
int bt_mail_due_at(bt_db *db, bt_time now, bt_mail_due_list *out, bt_err *e);
void bt_mail_due_list_free(bt_mail_due_list *l);

#endif
