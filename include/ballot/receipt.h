/* receipt.h - signed receipts of replies, withdrawals and decisions.
 *
 * A receipt is one line of canonical JSON (format "ballot-receipt/1"):
 *   {"format","kind","circular","member","draft","choice","attachments",
 *    "received","recorded","event","prev","hash","body","key","signature"}
 * body is the event's canonical JSON exactly as chained (a string), prev the
 * chain hash before it and hash = SHA-256(prev "\n" body): anyone can check
 * that the summary fields say what the event says and that the event is the
 * one at that place in the chain. The signature (sign.h) covers the document
 * up to "signature", closed with '}'. Receipts are deterministic: issuing
 * the same event's receipt again gives the same bytes.
 */
#ifndef BALLOT_RECEIPT_H
#define BALLOT_RECEIPT_H

#include <stdint.h>
#include "ballot/buf.h"
#include "ballot/db.h"
#include "ballot/sign.h"

#define BT_RECEIPT_FORMAT "ballot-receipt/1"


/* What a receipt that verified says. */
typedef struct bt_receipt {
	char kind[16];        /* "reply", "withdrawal", "decision" */
	char circular[33];
	char member[4];       /* "" for a decision */
	char draft[33];
	char choice[32];      /* the Annex 2 choice, "withdraw", or the decision */
	char received[32];    /* "" for a decision */
	char recorded[32];
	int64_t event;
	char hash[65];
	int attachments;      /* how many */
	char signer[256];     /* a reply from a signed PDF form: the signer's
				 subject; else "" */
	int signer_verified;  /* 1: the signer chained to a certificate the
				 member registered for signing */
} bt_receipt;

/* Appends the signed receipt of event seq and a newline to out; info (may
 * be NULL) receives what it says. BT_EINPUT when there is no event seq or it
 * is not a reply, withdrawal or decision. */
int bt_receipt_issue(bt_db *db, int64_t seq, const bt_key *key, bt_buf *out, bt_receipt *info,
		     bt_err *e);

/* Checks the receipt in text[0..len) without any database: strict JSON, the
 * format, the key it names is pub, the chain hash of its body, each summary
 * field against the body, and the signature. BT_EINPUT naming the first
 * field found wrong ("signature: ...", "choice: ..."). out (may be NULL) is
 * filled when it verifies. The text may end with a line end and start with
 * "receipt: ", as `ballot reply` prints it. */
int bt_receipt_verify(const char *text, size_t len, const bt_pubkey *pub, bt_receipt *out,
		      bt_err *e);

#endif
