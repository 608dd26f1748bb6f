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
	char table[32];     /* the table of the row that differs ("" when not a row) */
	int64_t row;        /* that row's id (0 when unknown or missing) */
} bt_audit_report;

/* Checks the chain, the stored hashes, and that every reply row and
 * attachment still matches the event that recorded it. Returns BT_OK when the
 * check ran (then report->first_bad tells), BT_EFAIL when it could not. */
int bt_audit_verify(bt_db *db, bt_audit_report *report, bt_err *e);

/* Checks the rows a decision about circular reads (its consultation, drafts,
 * replies, decisions and deadline changes) against the events that wrote
 * them. BT_OK when they agree; BT_EFAIL with a one-line message naming the
 * table, the row and the event when one differs (and pointing to `ballot
 * check`); BT_EINPUT when there is no such consultation is left to the
 * caller (none of its rows is then checked). */
int bt_audit_circular(bt_db *db, const char *circular, bt_err *e);

/* What is known of damage to db without a full audit: a damage mark left by
 * `audit verify` or `check` (bt_damage_note), or a last event that does not
 * hash or link. Returns 1 and sets why (when not NULL; reason damaged,
 * naming commands as {cmd:check}) when damaged, else 0. */
int bt_db_damaged(bt_db *db, bt_err *why);

/* Leaves (what != NULL: the one-line problem found) or clears (what ==
 * NULL: the database was found intact) the damage mark of the database at
 * path: the file path + "-damaged". While it is there every write refuses
 * (BT_EFAIL) until a restore, or a check that finds the database intact,
 * clears it. Best effort: returns 0, or -1 when the mark could not be
 * written or removed. */
int bt_damage_note(const char *path, const char *what);

/* SHA-256 of len bytes at data as 64 lowercase hex digits. */
void bt_sha256_hex(const void *data, size_t len, char out[65]);

/* The time, the SHA-256 of the canonical content (as in bt_reply_result.sha256)
 * and the chain hash of event seq, for a receipt shown again later.
 * BT_EINPUT when there is no such event. */
int bt_event_digest(bt_db *db, int64_t seq, bt_time *at, char sha256[65],
		    char hash[65], bt_err *e);

#endif
