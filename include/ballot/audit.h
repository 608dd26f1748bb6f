/* audit.h - the hash-chained event log.
 *
 * Every change appends an event: hash = SHA-256(previous hash (hex) || "\n" ||
 * the event's canonical JSON). The first event's previous hash is 64 zeros.
 */
#ifndef BALLOT_AUDIT_H
#define BALLOT_AUDIT_H

#include <stdint.h>
#include "ballot/db.h"

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

#endif
