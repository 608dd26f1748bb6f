/* inbox.h - the inbox of the mailroom (issue 18, receiving): each message
 * taken from the secretariat's mailbox (`ballot mail fetch`) is kept here,
 * its bytes (up to the size cap) and its attachments with their SHA-256,
 * never lost and never taken twice (by content SHA-256; a second message
 * with a Message-ID already taken is kept, refused). The front end parses
 * the message and reads its forms; the engine stores the entry, and records
 * what the secretariat decides: inbox-accept (the form's replies, recorded
 * in the same transaction) and inbox-reject, each an event.
 *
 * States: matched (a returned form whose reference names a circular and a
 * member, from one of the member's contacts), unmatched (no reference
 * found), refused (a form for another circular, a sender who is not a
 * contact of the member, a message over the size cap, a MIME bomb, a
 * Message-ID taken already), then accepted or rejected. */
#ifndef BALLOT_INBOX_H
#define BALLOT_INBOX_H

#include <stddef.h>
#include <stdint.h>
#include "ballot/consultation.h"
#include "ballot/contact.h"
#include "ballot/db.h"
#include "ballot/formref.h"
#include "ballot/outbox.h"
#include "ballot/reply.h"
#include "ballot/timeutil.h"

#define BT_INBOX_REASON_MAX 300   /* bytes of a reason kept */
#define BT_INBOX_MAX_DEFAULT ((int64_t)25 * 1024 * 1024) /* mail_max_message */

/* One attachment of a message, as stored. */
typedef struct bt_inbox_part {
	char name[128];
	char type[64];
	char sha256[65];
	int64_t size;
	unsigned char *data; /* heap (bt_inbox_get), else NULL */
	size_t len;
} bt_inbox_part;

typedef struct bt_inbox_entry {
	int64_t id;
	char message_id[BT_OUTBOX_MSGID_MAX + 1]; /* "" when the message has none */
	char sha256[65];       /* of the whole message as fetched */
	int64_t size;          /* its size in bytes */
	char source[256];      /* the Maildir file or "imap UID n" */
	bt_time received_at;   /* the secretariat's server's receipt time */
	char received_by[16];  /* how it was found: received, internaldate, file */
	char sender[BT_CONTACT_ADDRESS_MAX + 1];
	char subject[200];
	char state[10];
	char reason[BT_INBOX_REASON_MAX + 1]; /* why unmatched or refused */
	char circular[BT_ID_MAX + 1], member[4];
	char reference[BT_FORM_REF_MAX];
	char choices[256];     /* "REC=choice, ..." as the form proposes */
	char form[128];        /* the attachment holding the form, "" */
	const unsigned char *message; /* the bytes kept (add: the caller's) */
	size_t message_len;
	int kept;              /* 1: message holds all of it; 0: cut at the cap */
	bt_time fetched_at;
	int64_t done_seq;      /* the inbox-accept or inbox-reject event, 0 */
	bt_time done_at;
	char done_reason[BT_INBOX_REASON_MAX + 1];
	bt_inbox_part *parts;
	size_t nparts;
	unsigned char *owned;  /* bt_inbox_get: message's heap copy */
} bt_inbox_entry;

typedef struct bt_inbox_list {
	bt_inbox_entry *v;
	size_t n;
} bt_inbox_list;

/* Frees what bt_inbox_get put in en (its bytes and parts). */
void bt_inbox_entry_free(bt_inbox_entry *en);
void bt_inbox_list_free(bt_inbox_list *l);

/* *by_sha: the entry holding a message of SHA-256 sha256, *by_msgid: the
 * first holding Message-ID message_id ("" matches none); 0 when none. */
int bt_inbox_seen(bt_db *db, const char *sha256, const char *message_id, int64_t *by_sha, int64_t *by_msgid,
		  bt_err *e);

/* Stores en (its fields, en->message[0..message_len), its parts' bytes)
 * in one transaction, fetched at now; *id: the new entry. The inbox is the
 * secretariat's working state: storing is not an event (accepting or
 * rejecting is). BT_EINPUT (conflict) when a message of the same SHA-256
 * is stored already. */
int bt_inbox_add(bt_db *db, const bt_inbox_entry *en, bt_time now, int64_t *id, bt_err *e);

/* Every entry, in order, without bytes or parts. */
int bt_inbox_list_all(bt_db *db, bt_inbox_list *out, bt_err *e);

/* Entry id with its bytes and parts (freed by bt_inbox_entry_free).
 * BT_EINPUT (not found) naming "inbox" when there is none. */
int bt_inbox_get(bt_db *db, int64_t id, bt_inbox_entry *out, bt_err *e);

/* Rejects entry id (matched, unmatched or refused) for reason (1-300
 * bytes of UTF-8 text): one inbox-reject event. BT_EINPUT naming "inbox"
 * when it is not there or decided already, "reason" when reason is bad. */
int bt_inbox_reject(bt_db *db, int64_t id, const char *reason, const char *actor, bt_time now, bt_err *e);

/* Accepts matched entry id: records specs[0..n) (the form's replies, as
 * bt_reply_record_many) and the inbox-accept event naming the entry, its
 * SHA-256 and the reply events, all in one transaction; out[i]: what each
 * reply recorded. BT_EINPUT naming "inbox" when the entry is not matched
 * (or decided already); the engine's refusals of the replies as
 * bt_reply_record_many. */
int bt_inbox_accept(bt_db *db, int64_t id, const bt_reply_spec *specs, size_t n, const char *actor, bt_time now,
		    bt_reply_result *out, bt_err *e);

#endif
