/* audit.h - the hash-chained event log.
 *
 * Every change appends an event: hash = SHA-256(previous hash (hex) || "\n" ||
 * the event's canonical JSON). The first event's previous hash is 64 zeros.
 */
#ifndef BALLOT_AUDIT_H
#define BALLOT_AUDIT_H

#include <stddef.h>
#include <stdint.h>
#include "ballot/db.h"
#include "ballot/timeutil.h"

typedef struct bt_audit_report {
	int64_t events;     /* events checked */
	int64_t first_bad;  /* 0 when intact, else the first broken event */
	char problem[256];  /* what is wrong with it */
	char head[65];      /* hash of the last event ("" when none) */
} bt_audit_report;

/* Checks the chain, the stored hashes, and that every reply row and
 * attachment still matches the event that recorded it. Returns BT_OK when the
 * check ran (then report->first_bad tells), BT_EFAIL when it could not. */
int bt_audit_verify(bt_db *db, bt_audit_report *report, bt_err *e);

/* SHA-256 of len bytes at data as 64 lowercase hex digits. */
void bt_sha256_hex(const void *data, size_t len, char out[65]);

/* The time, the SHA-256 of the canonical content (as in bt_reply_result.sha256)
 * and the chain hash of event seq, for a receipt shown again later.
 * BT_EINPUT when there is no such event. */
int bt_event_digest(bt_db *db, int64_t seq, bt_time *at, char sha256[65],
		    char hash[65], bt_err *e);

#endif
